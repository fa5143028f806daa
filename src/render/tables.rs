//! Machine-readable outputs: `data/<table>.csv` for every computed table and `model.json`.

use std::fmt::Write as _;

use crate::model::table::Table;
use crate::plan::Language;

/// A table as CSV: header row, `.`-decimal, no thousands separators, money with the
/// currency's minor units, ratios with 4 decimals; a UTF-8 BOM for zh-CN so Excel opens
/// Chinese text correctly (FORMAT.md §7, §8.5).
pub fn table_csv(table: &Table, minor_units: u32, language: Language) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer
        .write_record(table.columns.iter().map(|c| c.name))
        .expect("writing to memory");
    for row in 0..table.rows.len() {
        let cells: Vec<String> = (0..table.columns.len())
            .map(|col| table.csv_cell(row, col, minor_units))
            .collect();
        writer.write_record(&cells).expect("writing to memory");
    }
    let body = writer.into_inner().expect("writing to memory");
    match language {
        Language::ZhCn => [b"\xEF\xBB\xBF".as_slice(), &body].concat(),
        Language::En => body,
    }
}

/// Pretty JSON with a trailing newline.
pub fn json_bytes(value: &serde_json::Value) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values serialise");
    let _ = writeln!(text);
    text.into_bytes()
}
