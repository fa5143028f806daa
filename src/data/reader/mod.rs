//! Streaming CSV reading shared by every dataset: file resolution (globs inside ROOT),
//! encodings, delimiters, header mapping, trimming, invalid-row reporting and duplicate
//! removal (FORMAT.md §3, §4, §9). Rows are handed one at a time to a [`RowSink`], which
//! parses them into its own typed form and aggregates them; nothing holds the whole file.
//!
//! This module holds the dataset-level steps (options, files, header, counts); the
//! two-thread record reader is in [`pipeline`], the quick line scan in [`scan`], decoding
//! in [`decode`].

mod chunked;
mod decode;
mod fingerprint;
mod pipeline;
mod scan;

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};

use super::hashing::FingerprintTable;
use crate::diag::{Diagnostics, Location};
use crate::plan::DatasetConfig;
use crate::yaml::YamlSource;
use pipeline::read_file;
pub use scan::{scan_ends, scan_unquoted};

/// How many invalid rows are listed one by one before the rest are only counted.
pub(super) const LISTED_INVALID_ROWS: u64 = 20;

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
    text: &'r str,
    bounds: &'r [u32],
    /// Bytes between one field's end and the next one's start: 0 in a batch (fields are
    /// concatenated), 1 in a raw line (the delimiter).
    gap: usize,
    positions: &'r [Option<usize>],
}

impl<'r> Row<'r> {
    /// The trimmed value of schema column `col`; `None` when the column is absent or empty.
    #[inline]
    pub fn get(&self, col: usize) -> Option<&'r str> {
        let i = self.positions[col]?;
        let start = *self.bounds.get(i)? as usize;
        let end = (*self.bounds.get(i + 1)? as usize).checked_sub(self.gap)?;
        let bytes = self.text.as_bytes().get(start..end)?.trim_ascii();
        if bytes.is_empty() {
            return None;
        }
        debug_assert!(
            std::str::from_utf8(bytes).is_ok(),
            "a field cut inside a character"
        );
        // SAFETY: `bounds` lie on character boundaries of `text`: the line cutter cuts only
        // at ASCII bytes (delimiters, which are ASCII by configuration, and line breaks)
        // and at the ends of text checked to be UTF-8, and a batch concatenates whole
        // fields. Trimming removes ASCII bytes only. So `bytes` is a run of whole
        // characters of a `str`; this skips re-checking the two ends, ~13 times a row.
        Some(unsafe { std::str::from_utf8_unchecked(bytes) })
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

/// Parses one dataset's rows into its typed form and aggregates the valid, unique ones.
pub trait RowSink: Sized + Send {
    type Parsed<'r>;
    fn parse<'r>(&mut self, row: &Row<'r>) -> Result<Self::Parsed<'r>, CellError>;
    fn accept(&mut self, parsed: Self::Parsed<'_>);

    /// For a sink whose result depends neither on the order of the rows nor on duplicates
    /// (such as the latest date): an empty sink for the second half of a large file, read
    /// at the same time as the first. `None` (the default): files are read in order.
    fn split(&self) -> Option<Self> {
        None
    }

    /// Adds what a sink from [`RowSink::split`] gathered.
    fn merge(&mut self, _second_half: Self) {}

    /// For a sink that several threads can fill at once: an empty sink with the same
    /// options, filled with some chunks of a file and handed back to [`RowSink::join`].
    /// `None` (the default): the sink reads every row itself, in file order.
    fn fork(&self) -> Option<Self> {
        None
    }

    /// The rows that follow come from chunk `chunk`. Chunks are numbered in file order
    /// across a dataset's files, and one sink sees its chunks in increasing order.
    fn begin_chunk(&mut self, _chunk: u64) {}

    /// Adds what a fork gathered from other chunks: the result must be what this sink
    /// would hold had it read every chunk itself, in order.
    fn join(&mut self, _other: Self) {}

    /// The sink has seen enough to know its result is of no use (a guess it was given
    /// proved wrong): reading may stop at any point, and the caller reads again.
    fn gave_up(&self) -> bool {
        false
    }

    /// For the quick scan: a schema column whose value alone can show that a row does not
    /// matter to this sink (see [`RowSink::skip_by_key`]).
    fn quick_key(&self) -> Option<usize> {
        None
    }

    /// Whether a row whose `quick_key` column holds `value` (trimmed) can be skipped
    /// without reading the rest of it.
    fn skip_by_key(&self, _value: &str) -> bool {
        false
    }
}

/// Row counts of one dataset, for `insights_quality`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowCounts {
    pub rows_read: u64,
    pub rows_valid: u64,
    pub duplicates: u64,
    pub invalid: u64,
}

/// What every read needs to know about the project.
pub struct ReadContext<'a> {
    pub root: &'a Path,
    pub plan_src: &'a YamlSource,
}

/// Reads every file of a dataset into `sink`. Returns `None` after reporting an error that
/// makes the dataset unusable (missing file, bad header, undecodable text).
pub fn read_dataset<S: RowSink>(
    ctx: &ReadContext,
    config: &DatasetConfig,
    schema: &Schema,
    sink: &mut S,
    diags: &mut Diagnostics,
) -> Option<RowCounts> {
    let key = format!("datasets.{}", schema.dataset);
    let delimiter = delimiter_byte(config, ctx, &key, diags)?;
    check_date_format(config, ctx, &key, diags)?;
    check_column_mapping(config, schema, ctx, &key, diags)?;
    let files = resolve_files(ctx, config, &key, diags)?;
    let mut state = ReadState::new(config.dedupe);
    let mut seen = FingerprintTable::default();
    let progress = progress_bar(schema.dataset, &files);
    let mut ok = true;
    for file in &files {
        if sink.gave_up() {
            break;
        }
        let dedupe = config.dedupe.then_some(&mut seen);
        ok &= read_file(
            config, schema, file, delimiter, sink, &mut state, dedupe, &progress, diags,
        )
        .is_some();
    }
    progress.finish_and_clear();
    if !ok {
        return None;
    }
    let counts = state.counts;
    let first = &files[0].1;
    if counts.rows_read == 0 {
        diags.warning(
            Location::file(first.clone()),
            format!("dataset `{}` has a header but no rows", schema.dataset),
        );
    }
    if counts.invalid > LISTED_INVALID_ROWS {
        diags.warning(
            Location::file(first.clone()),
            format!(
                "{} more invalid rows of dataset `{}` excluded (only the first {LISTED_INVALID_ROWS} are listed)",
                counts.invalid - LISTED_INVALID_ROWS,
                schema.dataset
            ),
        );
    }
    if let Some((path, line)) = state.first_duplicate {
        diags.warning(
            Location::csv(path, line as usize, None),
            format!(
                "duplicate row removed: identical to an earlier row ({} duplicate{} in dataset `{}`; set `dedupe: false` to keep identical rows)",
                counts.duplicates,
                if counts.duplicates == 1 { "" } else { "s" },
                schema.dataset
            ),
        );
    }
    Some(counts)
}

pub(super) struct ReadState {
    counts: RowCounts,
    first_duplicate: Option<(String, u64)>,
    listed_invalid: u64,
    dedupe: bool,
    /// Rows of the file being read.
    rows_in_file: u64,
    /// The number the next chunk of the dataset gets (see [`RowSink::begin_chunk`]).
    next_chunk: u64,
    /// The header of the dataset's first file (the fingerprints' column order).
    first_header: Option<Vec<String>>,
}

impl ReadState {
    fn new(dedupe: bool) -> Self {
        ReadState {
            counts: RowCounts::default(),
            first_duplicate: None,
            listed_invalid: 0,
            dedupe,
            rows_in_file: 0,
            next_chunk: 0,
            first_header: None,
        }
    }

    /// Adds the counts of a second half read alongside (never deduplicated).
    fn absorb(&mut self, second: &ReadState) {
        self.counts.rows_read += second.counts.rows_read;
        self.counts.rows_valid += second.counts.rows_valid;
        self.counts.invalid += second.counts.invalid;
        self.listed_invalid += second.listed_invalid;
    }
}

pub(super) fn delimiter_byte(
    config: &DatasetConfig,
    ctx: &ReadContext,
    key: &str,
    diags: &mut Diagnostics,
) -> Option<u8> {
    match config.delimiter.as_deref() {
        None => Some(b','),
        Some("\\t") | Some("\t") | Some("tab") => Some(b'\t'),
        Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
        Some(d) => {
            diags.push_diagnostic(ctx.plan_src.diagnostic(
                crate::diag::Severity::Error,
                &format!("{key}.delimiter"),
                format!("delimiter must be a single ASCII character (or `\\t`), found `{d}`"),
            ));
            None
        }
    }
}

/// A `date_format` must be a strftime pattern that can read back a whole date.
fn check_date_format(
    config: &DatasetConfig,
    ctx: &ReadContext,
    key: &str,
    diags: &mut Diagnostics,
) -> Option<()> {
    let Some(format) = config.date_format.as_deref() else {
        return Some(());
    };
    use chrono::format::{Item, StrftimeItems};
    let valid = !StrftimeItems::new(format).any(|item| matches!(item, Item::Error));
    // Round trip a date with distinct year, month and day through the pattern.
    let probe = chrono::NaiveDate::from_ymd_opt(2027, 4, 25).expect("a valid date");
    let reads_dates = valid
        && chrono::NaiveDate::parse_from_str(&probe.format(format).to_string(), format)
            == Ok(probe);
    if reads_dates {
        return Some(());
    }
    diags.push_diagnostic(ctx.plan_src.diagnostic(
        crate::diag::Severity::Error,
        &format!("{key}.date_format"),
        format!("date_format `{format}` cannot read dates: it needs a year, a month and a day, such as `%d/%m/%Y` or `%Y%m%d`"),
    ));
    None
}

/// Keys of `columns:` must be this dataset's spec column names.
fn check_column_mapping(
    config: &DatasetConfig,
    schema: &Schema,
    ctx: &ReadContext,
    key: &str,
    diags: &mut Diagnostics,
) -> Option<()> {
    let mut ok = true;
    for spec_name in config.columns.keys() {
        if !schema.columns.iter().any(|c| &c.name == spec_name) {
            let names: Vec<&str> = schema.columns.iter().map(|c| c.name.as_str()).collect();
            let mut message = format!(
                "`{spec_name}` is not a column of dataset `{}`",
                schema.dataset
            );
            if let Some(close) = crate::suggest::closest(spec_name, names.iter().copied()) {
                message.push_str(&format!(" (did you mean `{close}`?)"));
            } else {
                message.push_str(&format!(" (its columns: {})", names.join(", ")));
            }
            diags.push_diagnostic(ctx.plan_src.diagnostic(
                crate::diag::Severity::Error,
                &format!("{key}.columns.{spec_name}"),
                message,
            ));
            ok = false;
        }
    }
    ok.then_some(())
}

/// The files a dataset path names: one file, or a glob's matches in name order (hidden
/// files skipped). Every file must resolve inside ROOT, symbolic links included.
pub(super) fn resolve_files(
    ctx: &ReadContext,
    config: &DatasetConfig,
    key: &str,
    diags: &mut Diagnostics,
) -> Option<Vec<(PathBuf, String)>> {
    let path_key = format!("{key}.path");
    let error = |diags: &mut Diagnostics, message: String| {
        diags.push_diagnostic(ctx.plan_src.diagnostic(
            crate::diag::Severity::Error,
            &path_key,
            message,
        ));
    };
    let pattern = config.path.trim();
    let root = match ctx.root.canonicalize() {
        Ok(r) => r,
        Err(e) => {
            error(diags, format!("cannot resolve the project folder: {e}"));
            return None;
        }
    };
    let outside = |diags: &mut Diagnostics, shown: &str| {
        error(
            diags,
            format!("dataset path `{shown}` resolves outside the project folder"),
        );
    };
    let is_glob = pattern.contains(['*', '?', '[']);
    let candidates: Vec<PathBuf> = if is_glob {
        // The project folder's own name may contain glob characters: escape it.
        let full = format!(
            "{}/{pattern}",
            glob::Pattern::escape(&root.to_string_lossy())
        );
        let options = glob::MatchOptions {
            require_literal_leading_dot: true,
            ..glob::MatchOptions::new()
        };
        match glob::glob_with(&full, options) {
            Ok(paths) => {
                let mut found: Vec<PathBuf> = paths
                    .filter_map(Result::ok)
                    .filter(|p| p.is_file())
                    .collect();
                found.sort_by_key(|p| display_relative(&root, p));
                if found.is_empty() {
                    error(diags, format!("no file matches `{pattern}`"));
                    return None;
                }
                found
            }
            Err(e) => {
                error(
                    diags,
                    format!("`{pattern}` is not a valid glob pattern: {e}"),
                );
                return None;
            }
        }
    } else {
        let full = root.join(pattern);
        if !full.exists() {
            if !crate::output::normalize(&root, &full).starts_with(&root) {
                outside(diags, pattern);
            } else {
                error(diags, format!("dataset file `{pattern}` not found"));
            }
            return None;
        }
        if full.is_dir() {
            error(diags, format!("dataset path `{pattern}` is a folder, not a file (use a glob such as `{pattern}/*.csv`)"));
            return None;
        }
        vec![full]
    };
    let mut files = Vec::new();
    for path in candidates {
        let real = match path.canonicalize() {
            Ok(p) => p,
            Err(e) => {
                error(diags, format!("cannot open `{}`: {e}", path.display()));
                return None;
            }
        };
        if !real.starts_with(&root) {
            let shown = if is_glob {
                display_relative(&root, &path)
            } else {
                pattern.to_string()
            };
            outside(diags, &shown);
            return None;
        }
        files.push((real, display_relative(&root, &path)));
    }
    Some(files)
}

/// A path relative to ROOT with `/` separators, for diagnostics.
pub fn display_relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The lines of `text` without their `\n` (a last line without one included), found with
/// memchr: much faster than a byte-by-byte split.
pub(super) fn lines_of(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', text);
    std::iter::from_fn(move || match ends.next() {
        Some(end) => {
            let line = &text[start..end];
            start = end + 1;
            Some(line)
        }
        None if start < text.len() => {
            let line = &text[start..];
            start = text.len();
            Some(line)
        }
        None => None,
    })
}

/// Files smaller than this read too fast for a progress bar to be useful.
const PROGRESS_MIN_BYTES: u64 = 16 << 20;

/// A progress bar over a dataset's bytes, drawn only on an interactive terminal and only
/// for large files; hidden otherwise, so logs and CI output stay clean.
fn progress_bar(dataset: &str, files: &[(PathBuf, String)]) -> ProgressBar {
    let total: u64 = files
        .iter()
        .filter_map(|(p, _)| p.metadata().ok())
        .map(|m| m.len())
        .sum();
    if total < PROGRESS_MIN_BYTES || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template(
        "{prefix:>10} [{bar:32}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
    )
    .expect("the template is valid")
    .progress_chars("=> ");
    ProgressBar::new(total)
        .with_style(style)
        .with_prefix(format!("reading {dataset}"))
}

/// `amount`, or `销售额 (amount)` when the file's header differs from the spec name.
pub(super) fn column_label(spec_name: &str, config: &DatasetConfig) -> String {
    match config.columns.get(spec_name) {
        Some(header) if header != spec_name => format!("{header} ({spec_name})"),
        _ => spec_name.to_string(),
    }
}

/// For every schema column, its position in this file's header.
pub(super) fn map_header(
    header: &[String],
    config: &DatasetConfig,
    schema: &Schema,
    rel: &str,
    line: usize,
    diags: &mut Diagnostics,
) -> Option<Vec<Option<usize>>> {
    let mut ok = true;
    for (i, name) in header.iter().enumerate() {
        // Excel writes trailing empty header cells (`a,b,c,,`): unnamed columns are ignored.
        if !name.is_empty() && header[..i].contains(name) {
            diags.error(
                Location::csv(rel, line, Some(name.clone())),
                "appears twice in the header".to_string(),
            );
            ok = false;
        }
    }
    let mut positions = Vec::with_capacity(schema.columns.len());
    for col in &schema.columns {
        let wanted = config.columns.get(&col.name).unwrap_or(&col.name);
        let position = header.iter().position(|h| h == wanted);
        if position.is_none() && (col.required || config.columns.contains_key(&col.name)) {
            let message = if config.columns.contains_key(&col.name) {
                format!("not found in the header (mapped by `columns:` in content/plan.yaml; header: {})", header.join(", "))
            } else {
                format!(
                    "required column missing from the header (header: {})",
                    header.join(", ")
                )
            };
            diags.error(
                Location::csv(rel, line, Some(column_label(&col.name, config))),
                message,
            );
            ok = false;
        }
        positions.push(position);
    }
    ok.then_some(positions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_cut_at_line_breaks_with_a_last_unfinished_line() {
        let lines: Vec<&[u8]> = lines_of(b"a,b\n\nc\r\nd").collect();
        assert_eq!(lines, [&b"a,b"[..], b"", b"c\r", b"d"]);
        assert_eq!(lines_of(b"x\n").count(), 1);
        assert_eq!(lines_of(b"").count(), 0);
    }
}
