//! A chapter as a list of neutral blocks (headings, prose, tables, charts, figures, …).
//! The chapter builders decide *what* a chapter shows once; the HTML, print and Markdown
//! templates decide *how*, so the three editions always carry the same content.

use serde::Serialize;

use super::format::Formatter;
use super::markdown::Prose;
use rust_decimal::Decimal;

use crate::model::table::{Kind, Table, Value};

/// Columns whose values are fixed words of the spec, shown translated.
const TRANSLATED_COLUMNS: &[&str] = &[
    "status", "segment", "tier", "category", "quadrant", "reading",
];

/// One piece of a chapter.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A section heading (`level` 1) or a sub-section heading (`level` 2) of a chapter.
    Heading {
        text: String,
        id: String,
        level: u8,
    },
    Prose(Prose),
    Figures {
        items: Vec<Figure>,
    },
    Table(TableView),
    Chart(ChartView),
    Facts {
        items: Vec<Fact>,
    },
    List {
        items: Vec<String>,
    },
    /// A hierarchy (the org chart as nested lists).
    Tree {
        nodes: Vec<TreeNode>,
    },
    Notes {
        items: Vec<Note>,
    },
    Notice {
        text: String,
    },
}

/// A headline number with its one-line comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub label: String,
    pub value: String,
    pub comparison: String,
    /// `good`, `bad` or `neutral`: shown with a sign or word, never colour alone.
    pub tone: &'static str,
}

/// Whether a money column reads in whole units: when every amount in it is whole, or when
/// its largest amount reaches 10,000 (board-level figures, where cents carry no
/// information: ¥1,897,644 rather than ¥1,897,643.54). Small amounts with cents — prices,
/// order values — keep them. The CSV always keeps the currency's minor units.
fn money_reads_whole(table: &Table, column: usize) -> bool {
    let amounts = || {
        table
            .rows
            .iter()
            .filter_map(move |row| match row.get(column) {
                Some(Some(Value::Decimal(d))) => Some(*d),
                _ => None,
            })
    };
    let largest = amounts().map(|d| d.abs()).max().unwrap_or_default();
    largest >= Decimal::from(10_000) || amounts().all(|d| d.fract().is_zero())
}

/// A table ready to print: localised labels, formatted cells.
#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    pub id: String,
    pub caption: String,
    pub columns: Vec<ColumnView>,
    pub rows: Vec<Vec<String>>,
    /// `data/<name>.csv` for computed tables.
    pub csv: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ColumnView {
    pub label: String,
    pub numeric: bool,
    /// Whether a negative value is a warning sign (shown in the alarm colour): losses,
    /// shortfalls, decline; not a regression coefficient, whose sign is its meaning.
    pub signals: bool,
}

/// A chart image with its text alternative and data.
#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    pub src: String,
    pub title: String,
    pub alt: String,
    pub csv: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TreeNode {
    pub label: String,
    pub children: Vec<TreeNode>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// A note attached to a named item (every YAML list item may carry `notes:`).
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub label: String,
    pub html: String,
    pub markdown: String,
}

impl TableView {
    /// A plan table: headers and already formatted rows; numeric columns right-aligned.
    pub fn plan(id: &str, caption: &str, columns: &[(&str, bool)], rows: Vec<Vec<String>>) -> Self {
        TableView {
            id: id.to_string(),
            caption: caption.to_string(),
            columns: columns
                .iter()
                .map(|&(label, numeric)| ColumnView {
                    label: label.to_string(),
                    numeric,
                    signals: numeric,
                })
                .collect(),
            rows,
            csv: None,
        }
    }

    /// A computed table, labelled in the plan's language, linked to its CSV.
    pub fn computed(table: &Table, caption: &str, fmt: &Formatter) -> Self {
        let columns = table
            .columns
            .iter()
            .map(|c| ColumnView {
                label: fmt.t(&format!("col.{}", c.name)).to_string(),
                numeric: c.kind.is_numeric(),
                signals: c.kind.is_numeric() && c.kind != Kind::Coefficient,
            })
            .collect();
        let whole: Vec<bool> = (0..table.columns.len())
            .map(|i| money_reads_whole(table, i))
            .collect();
        let rows = table
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&table.columns)
                    .zip(&whole)
                    .map(|((cell, col), &whole)| match cell {
                        Some(Value::Decimal(d)) if col.kind == Kind::Money && whole => {
                            fmt.money_whole(*d)
                        }
                        // Words the spec fixes (statuses, segments, quadrants …) read in
                        // the plan's language on the page.
                        Some(Value::Text(word)) if TRANSLATED_COLUMNS.contains(&col.name) => fmt
                            .strings
                            .try_get(&format!("value.{word}"))
                            .map_or_else(|| word.clone(), str::to_string),
                        // Ids (`product_quality`, `all`) read as names.
                        Some(Value::Text(id)) if col.kind == Kind::Text => fmt.name(id),
                        Some(v) => fmt.cell(v, col.kind),
                        None => "—".to_string(),
                    })
                    .collect()
            })
            .collect();
        TableView {
            id: table.name.to_string(),
            caption: caption.to_string(),
            columns,
            rows,
            csv: Some(format!("data/{}.csv", table.name)),
        }
    }
}
