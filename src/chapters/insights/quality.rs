//! The data-quality table of FORMAT.md §7.6 (`insights_quality`), always written.

use crate::data::feedback::DateSpan;
use crate::data::reader::RowCounts;
use crate::data::Data;
use crate::model::table::{Kind, Table, Value};

/// One row per dataset present, in the order sales, traffic, surveys, complaints.
pub fn table(data: &Data) -> Table {
    let mut table = Table::new(
        "insights_quality",
        &[
            ("dataset", Kind::Text),
            ("rows_read", Kind::Integer),
            ("rows_valid", Kind::Integer),
            ("duplicates", Kind::Integer),
            ("invalid", Kind::Integer),
            ("first_date", Kind::Date),
            ("last_date", Kind::Date),
        ],
    );
    let mut push = |name: &str, counts: RowCounts, span: DateSpan| {
        table.push(vec![
            Some(name.into()),
            Some(counts.rows_read.into()),
            Some(counts.rows_valid.into()),
            Some(counts.duplicates.into()),
            Some(counts.invalid.into()),
            span.first.map(Value::from),
            span.last.map(Value::from),
        ]);
    };
    push("sales", data.sales.counts, data.sales.span);
    if let Some(d) = &data.traffic {
        push("traffic", d.counts, d.span);
    }
    if let Some(d) = &data.surveys {
        push("surveys", d.counts, d.span);
    }
    if let Some(d) = &data.complaints {
        push("complaints", d.counts, d.span);
    }
    table
}
