//! What a dataset expects of its files (a [`Schema`] of columns), how a file's header maps
//! onto it, and a record as a sink sees it ([`Row`]).

use crate::diagnostic::{Location, Report};
use crate::options::Options;

/// One column a dataset expects.
#[derive(Debug, Clone)]
pub struct ColumnDef {
    pub name: String,
    pub required: bool,
}

impl ColumnDef {
    pub fn required(name: &str) -> Self {
        ColumnDef {
            name: name.to_string(),
            required: true,
        }
    }

    pub fn optional(name: &str) -> Self {
        ColumnDef {
            name: name.to_string(),
            required: false,
        }
    }
}

/// The columns of one dataset, in the order its sink indexes them.
#[derive(Debug, Clone)]
pub struct Schema {
    pub dataset: &'static str,
    pub columns: Vec<ColumnDef>,
}

/// A record of a file, seen through the dataset's schema: its fields as checked UTF-8
/// text, cut at `bounds` (field `i` is `text[bounds[i]..bounds[i + 1] - gap]`) and trimmed
/// as they are looked at.
pub struct Row<'r> {
    pub(crate) text: &'r str,
    pub(crate) bounds: &'r [u32],
    /// Bytes between one field's end and the next one's start: 0 in a batch (fields are
    /// concatenated), 1 in a raw line (the delimiter).
    pub(crate) gap: usize,
    pub(crate) positions: &'r [Option<usize>],
}

impl<'r> Row<'r> {
    /// The trimmed value of schema column `col`; `None` when the column is absent or empty.
    #[inline]
    pub fn get(&self, col: usize) -> Option<&'r str> {
        let i = self.positions[col]?;
        let start = *self.bounds.get(i)? as usize;
        let end = (*self.bounds.get(i + 1)? as usize).checked_sub(self.gap)?;
        // The cutters cut only at ASCII bytes (delimiters and line breaks) of checked
        // UTF-8 text, so both ends are character boundaries; `str::get` checks the two
        // bytes (measured no slower than skipping the check; see the crate docs).
        let value = self
            .text
            .get(start..end)
            .expect("fields are cut at character boundaries")
            .trim_ascii();
        (!value.is_empty()).then_some(value)
    }

    /// The value of a required column, or the error that makes the row invalid.
    #[inline]
    pub fn require(&self, col: usize) -> Result<&'r str, CellError> {
        self.get(col)
            .ok_or_else(|| CellError::new(col, "missing value".to_string()))
    }
}

/// Why a row is invalid: the schema column at fault, and what was wrong.
#[derive(Debug)]
pub struct CellError {
    pub column: Option<usize>,
    pub message: String,
}

impl CellError {
    pub fn new(column: usize, message: String) -> Self {
        CellError {
            column: Some(column),
            message,
        }
    }

    pub fn row(message: String) -> Self {
        CellError {
            column: None,
            message,
        }
    }
}

/// For every schema column, its position in this file's header; `None` after reporting
/// a duplicate header name or a missing required column.
pub(crate) fn map_header(
    header: &[String],
    options: &Options,
    schema: &Schema,
    file: &str,
    line: u64,
    report: &mut Report,
) -> Option<Vec<Option<usize>>> {
    let mut ok = true;
    for (i, name) in header.iter().enumerate() {
        // Excel writes trailing empty header cells (`a,b,c,,`): unnamed columns are ignored.
        if !name.is_empty() && header[..i].contains(name) {
            report.error(
                Location::line(file, line, Some(name.clone())),
                "appears twice in the header",
            );
            ok = false;
        }
    }
    let mut positions = Vec::with_capacity(schema.columns.len());
    for col in &schema.columns {
        let mapped = options.columns.get(&col.name);
        let wanted = mapped.unwrap_or(&col.name);
        let position = header.iter().position(|h| h == wanted);
        if position.is_none() && (col.required || mapped.is_some()) {
            let message = if mapped.is_some() {
                format!("not found in the header (mapped by `columns:` in content/plan.yaml; header: {})", header.join(", "))
            } else {
                format!(
                    "required column missing from the header (header: {})",
                    header.join(", ")
                )
            };
            report.error(
                Location::line(file, line, Some(options.column_label(&col.name))),
                message,
            );
            ok = false;
        }
        positions.push(position);
    }
    ok.then_some(positions)
}
