//! Streaming CSV reading shared by every dataset: file resolution (globs inside ROOT),
//! encodings, delimiters, header mapping, trimming, invalid-row reporting and duplicate
//! removal (FORMAT.md §3, §4, §9). Rows are handed one at a time to a [`RowSink`], which
//! parses them into its own typed form and aggregates them; nothing holds the whole file.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufReader, IsTerminal, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};

use indicatif::{ProgressBar, ProgressStyle};

use super::hashing::FingerprintTable;
use super::lines::{LineIndex, Tracked, MAX_RECORD_BYTES};
use crate::diag::{Diagnostics, Location};
use crate::plan::{DatasetConfig, Encoding};
use crate::yaml::YamlSource;

/// How many invalid rows are listed one by one before the rest are only counted.
const LISTED_INVALID_ROWS: u64 = 20;

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
    bounds: &'r [usize],
    /// Bytes between one field's end and the next one's start: 0 in a batch (fields are
    /// concatenated), 1 in a raw line (the delimiter).
    gap: usize,
    positions: &'r [Option<usize>],
}

impl<'r> Row<'r> {
    /// The trimmed value of schema column `col`; `None` when the column is absent or empty.
    pub fn get(&self, col: usize) -> Option<&'r str> {
        let i = self.positions[col]?;
        let end = self.bounds.get(i + 1)? - self.gap;
        let value = self.text.get(*self.bounds.get(i)?..end)?.trim_ascii();
        (!value.is_empty()).then_some(value)
    }

    /// The value of a required column, or the error that makes the row invalid.
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

struct ReadState {
    counts: RowCounts,
    first_duplicate: Option<(String, u64)>,
    listed_invalid: u64,
    dedupe: bool,
}

impl ReadState {
    fn new(dedupe: bool) -> Self {
        ReadState {
            counts: RowCounts::default(),
            first_duplicate: None,
            listed_invalid: 0,
            dedupe,
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

fn delimiter_byte(
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
fn resolve_files(
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

#[allow(clippy::too_many_arguments)]
fn read_file<S: RowSink>(
    config: &DatasetConfig,
    schema: &Schema,
    (path, rel): &(PathBuf, String),
    delimiter: u8,
    sink: &mut S,
    state: &mut ReadState,
    seen: Option<&mut FingerprintTable>,
    progress: &ProgressBar,
    diags: &mut Diagnostics,
) -> Option<()> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            diags.error(
                Location::file(rel.clone()),
                format!("cannot read the file: {e}"),
            );
            return None;
        }
    };
    if file.metadata().map(|m| m.len() == 0).unwrap_or(false) {
        diags.error(
            Location::file(rel.clone()),
            "the file is empty (0 bytes): expected a header row".to_string(),
        );
        return None;
    }
    let source = RecordSource {
        encoding: config.encoding,
        delimiter,
        range: None,
    };
    if let Some(mut second_sink) = sink.split().filter(|_| !state.dedupe) {
        if let Some(at) = split_point(path, config.encoding, delimiter) {
            // Two halves at once; the second half's diagnostics follow the first's.
            let mut second_state = ReadState::new(false);
            let mut second_diags = Diagnostics::default();
            let second = RecordSource {
                range: Some(at),
                ..source
            };
            let (second_sink_ref, second_state_ref, second_diags_ref) =
                (&mut second_sink, &mut second_state, &mut second_diags);
            let (first_ok, second_ok) = std::thread::scope(|scope| {
                let second = scope.spawn(move || {
                    let file = File::open(path).ok()?;
                    pipeline(
                        second,
                        file,
                        config,
                        schema,
                        rel,
                        second_sink_ref,
                        second_state_ref,
                        None,
                        progress,
                        second_diags_ref,
                    )
                });
                let first = RecordSource {
                    range: Some(SplitAt {
                        byte: 0,
                        end: at.byte,
                        lines_before: 0,
                    }),
                    ..source
                };
                let first_ok = pipeline(
                    first, file, config, schema, rel, sink, state, None, progress, diags,
                );
                (first_ok, second.join().ok().flatten())
            });
            sink.merge(second_sink);
            state.absorb(&second_state);
            diags.extend(second_diags);
            return first_ok.and(second_ok);
        }
    }
    pipeline(
        source, file, config, schema, rel, sink, state, seen, progress, diags,
    )
}

/// One thread reads, decodes, splits and checks the records (and fingerprints them); this
/// one parses and aggregates them, in file order, so the outcome is the same as reading on
/// one thread.
#[allow(clippy::too_many_arguments)]
fn pipeline<S: RowSink>(
    source: RecordSource,
    file: File,
    config: &DatasetConfig,
    schema: &Schema,
    rel: &str,
    sink: &mut S,
    state: &mut ReadState,
    seen: Option<&mut FingerprintTable>,
    progress: &ProgressBar,
    diags: &mut Diagnostics,
) -> Option<()> {
    let (to_parser, from_reader) = mpsc::sync_channel::<Message>(4);
    let (recycle, recycled) = mpsc::channel::<Batch>();
    let file_bytes = match source.range {
        Some(range) => range.end - range.byte,
        None => file.metadata().map_or(0, |m| m.len()),
    };
    std::thread::scope(|scope| {
        let reading = progress.clone();
        let dedupe = seen.map(|seen| Dedupe::new(seen, file_bytes));
        scope.spawn(move || source.run(file, reading, to_parser, recycled, dedupe));
        parse_records(
            config,
            schema,
            rel,
            sink,
            state,
            diags,
            from_reader,
            recycle,
        )
    })
}

/// Files smaller than this are read as one piece even by a sink that could split.
const SPLIT_MIN_BYTES: u64 = 8 << 20;

/// Where the second half of a file starts: a byte just after a line break that is outside
/// any quoted value (an even number of `"` before it), near the middle.
#[derive(Debug, Clone, Copy)]
struct SplitAt {
    byte: u64,
    /// Where this piece ends (exclusive); the second half runs to the end of the file.
    end: u64,
    /// Line breaks before `byte`.
    lines_before: u64,
}

/// `None` for small files, legacy encodings (decoded as a stream) and files whose second
/// half has no line break outside quotes.
fn split_point(path: &Path, encoding: Encoding, delimiter: u8) -> Option<SplitAt> {
    split_point_from(path, encoding, delimiter, SPLIT_MIN_BYTES)
}

fn split_point_from(
    path: &Path,
    encoding: Encoding,
    delimiter: u8,
    min_bytes: u64,
) -> Option<SplitAt> {
    if encoding != Encoding::Utf8 || delimiter == b'"' || delimiter == b'\n' {
        return None;
    }
    let len = std::fs::metadata(path).ok()?.len();
    if len < min_bytes {
        return None;
    }
    let mut file = BufReader::with_capacity(1 << 20, File::open(path).ok()?);
    let middle = len / 2;
    let (mut quotes, mut breaks, mut at) = (0u64, 0u64, 0u64);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        let chunk = &buf[..n];
        if at + (n as u64) <= middle {
            quotes += memchr::memchr_iter(b'"', chunk).count() as u64;
            breaks += memchr::memchr_iter(b'\n', chunk).count() as u64;
        } else {
            for (i, &b) in chunk.iter().enumerate() {
                match b {
                    b'"' => quotes += 1,
                    b'\n' => {
                        breaks += 1;
                        let byte = at + i as u64 + 1;
                        if byte > middle && quotes % 2 == 0 && byte < len {
                            return Some(SplitAt {
                                byte,
                                end: len,
                                lines_before: breaks,
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
        at += n as u64;
    }
}

/// Consumes what the reading thread sends: header, batches of records, end or error.
#[allow(clippy::too_many_arguments)]
fn parse_records<S: RowSink>(
    config: &DatasetConfig,
    schema: &Schema,
    rel: &str,
    sink: &mut S,
    state: &mut ReadState,
    diags: &mut Diagnostics,
    from_reader: Receiver<Message>,
    recycle: Sender<Batch>,
) -> Option<()> {
    let (header, header_line) = match from_reader.recv() {
        Ok(Message::Header { names, line }) => (names, line),
        Ok(Message::Error { line, message }) => {
            diags.error(Location::csv(rel, line as usize, None), message);
            return None;
        }
        Ok(Message::NoHeader) | Ok(Message::Batch(_)) | Err(_) => {
            diags.error(
                Location::file(rel),
                "the file has no header row".to_string(),
            );
            return None;
        }
    };
    // Returning early drops the receiver, which stops the reading thread.
    let positions = map_header(&header, config, schema, rel, header_line as usize, diags)?;

    let mut ok = true;
    let mut rows_in_file = 0u64;
    // A record that failed and holds a line break may be an unclosed quote.
    let mut open_quote: Option<(u64, u64)> = None;
    for message in from_reader.iter() {
        let batch = match message {
            Message::Batch(batch) => batch,
            Message::Error { line, message } => {
                diags.error(Location::csv(rel, line.max(1) as usize, None), message);
                ok = false;
                break;
            }
            Message::Header { .. } | Message::NoHeader => break,
        };
        for record in &batch.records {
            rows_in_file += 1;
            state.counts.rows_read += 1;
            let line = record.line;
            let bounds = &batch.bounds[record.bounds.clone()];
            let fields = bounds.len() - 1;
            let outcome = if fields != header.len() {
                Err(CellError::row(format!(
                    "expected {} fields, found {fields}",
                    header.len(),
                )))
            } else {
                sink.parse(&Row {
                    text: &batch.text,
                    bounds,
                    gap: 0,
                    positions: &positions,
                })
            };
            open_quote = None;
            match outcome {
                Err(err) => {
                    if record.spanned > 0 {
                        open_quote = Some((line, record.spanned));
                    }
                    state.counts.invalid += 1;
                    if state.listed_invalid < LISTED_INVALID_ROWS {
                        state.listed_invalid += 1;
                        let column = err
                            .column
                            .map(|c| column_label(&schema.columns[c].name, config));
                        diags.warning(
                            Location::csv(rel, line as usize, column),
                            format!("{}; row excluded", err.message),
                        );
                    }
                }
                Ok(parsed) => {
                    if record.duplicate {
                        state.counts.duplicates += 1;
                        if state.first_duplicate.is_none() {
                            state.first_duplicate = Some((rel.to_string(), line));
                        }
                    } else {
                        state.counts.rows_valid += 1;
                        sink.accept(parsed);
                    }
                }
            }
        }
        let _ = recycle.send(batch);
    }
    if let Some((line, spanned)) = open_quote.filter(|&(_, spanned)| spanned > 1) {
        // The last record swallowed the rest of the file: a quote was never closed.
        diags.error(
            Location::csv(rel, line as usize, None),
            format!("a quoted value that starts on this line is never closed: it swallowed the last {spanned} lines of the file"),
        );
        ok = false;
    }
    if ok && rows_in_file == 0 && state.counts.rows_read > 0 {
        diags.warning(
            Location::file(rel),
            "the file has a header but no rows".to_string(),
        );
    }
    ok.then_some(())
}

/// What the reading thread sends, in file order.
enum Message {
    /// The trimmed header names and the header's line.
    Header {
        names: Vec<String>,
        line: u64,
    },
    /// The file has no records at all.
    NoHeader,
    Batch(Batch),
    /// Reading stopped here: undecodable text or an unreadable file.
    Error {
        line: u64,
        message: String,
    },
}

/// Records handed over together: their fields as one text, cut at `bounds`.
#[derive(Default)]
struct Batch {
    text: String,
    bounds: Vec<usize>,
    records: Vec<RecordInfo>,
}

/// Records per batch: enough to make the hand-over cheap, few enough to start parsing
/// while the rest is read.
const BATCH_RECORDS: usize = 4096;
const BATCH_BYTES: usize = 1 << 20;

/// One record of a batch.
struct RecordInfo {
    /// Its field boundaries: `batch.bounds[bounds]` (one more than its field count).
    bounds: Range<usize>,
    /// The physical line it starts on (1-based).
    line: u64,
    /// Whether an identical record came earlier (always `false` when the dataset keeps
    /// duplicates). Identical records are valid or invalid alike, so the reading thread
    /// can decide this for every record and the parser use it for the valid ones.
    duplicate: bool,
    /// For a record holding a line break: how many lines from its start were read.
    spanned: u64,
}

/// The reading side of [`read_file`]: decoding, CSV splitting, line numbers, UTF-8 checks
/// and fingerprints.
#[derive(Clone, Copy)]
struct RecordSource {
    encoding: Encoding,
    delimiter: u8,
    /// A piece of the file; the second half reads its header from the file's start.
    range: Option<SplitAt>,
}

const NOT_UTF8: &str = "the file is not valid UTF-8; if it was saved by Excel in Chinese, add `encoding: gbk` (or `gb18030`) to this dataset in content/plan.yaml";

impl RecordSource {
    fn run(
        self,
        file: File,
        progress: ProgressBar,
        to_parser: SyncSender<Message>,
        recycled: Receiver<Batch>,
        mut dedupe: Option<Dedupe>,
    ) {
        let Some(range) = self.range else {
            let file = progress.wrap_read(file);
            let decoded: Box<dyn Read> = match self.encoding {
                Encoding::Utf8 => Box::new(SkipBom::new(BufReader::with_capacity(1 << 16, file))),
                Encoding::Gbk => Box::new(Transcode::new(file, encoding_rs::GBK)),
                Encoding::Gb18030 => Box::new(Transcode::new(file, encoding_rs::GB18030)),
            };
            self.read(
                decoded,
                LineIndex::default(),
                Part::Whole,
                &to_parser,
                &recycled,
                dedupe.as_mut(),
            );
            return;
        };
        // A piece of a UTF-8 file (see `split_point`).
        let mut file = file;
        if range.byte > 0 {
            // The second half: the header comes from the start of the file.
            let head = SkipBom::new(BufReader::with_capacity(1 << 14, &file));
            self.read(
                Box::new(head),
                LineIndex::default(),
                Part::HeaderOnly,
                &to_parser,
                &recycled,
                None,
            );
        }
        use std::io::{Seek, SeekFrom};
        if let Err(e) = file.seek(SeekFrom::Start(range.byte)) {
            let _ = to_parser.send(Message::Error {
                line: range.lines_before + 1,
                message: format!("cannot read the file: {e}"),
            });
            return;
        }
        let piece = progress.wrap_read(file.take(range.end - range.byte));
        let buffered = BufReader::with_capacity(1 << 16, piece);
        if range.byte == 0 {
            let decoded = Box::new(SkipBom::new(buffered));
            self.read(
                decoded,
                LineIndex::default(),
                Part::Whole,
                &to_parser,
                &recycled,
                None,
            );
        } else {
            let index = LineIndex::starting_after(range.lines_before);
            self.read(
                Box::new(buffered),
                index,
                Part::RecordsOnly,
                &to_parser,
                &recycled,
                None,
            );
        }
    }

    /// Reads `part` of a stream, sending the header and batches of records (and an error
    /// where reading stops) to the parsing thread.
    fn read(
        &self,
        decoded: Box<dyn Read + '_>,
        index: LineIndex,
        part: Part,
        to_parser: &SyncSender<Message>,
        recycled: &Receiver<Batch>,
        mut dedupe: Option<&mut Dedupe>,
    ) {
        let lines = Rc::new(RefCell::new(index));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .flexible(true)
            .has_headers(false)
            .buffer_capacity(1 << 16)
            .from_reader(Tracked::new(decoded, Rc::clone(&lines)));
        let line_of = |record: &csv::ByteRecord| {
            let byte = record.position().map_or(0, |p| p.byte());
            lines.borrow_mut().line_of(byte)
        };
        let read_error = |e: csv::Error, fallback_line: u64| {
            let line = match e.position() {
                Some(p) => lines.borrow_mut().line_of(p.byte()),
                None => fallback_line,
            };
            let message = match e.kind() {
                csv::ErrorKind::Utf8 { .. } => NOT_UTF8.to_string(),
                csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::InvalidData => {
                    format!("{io}")
                }
                csv::ErrorKind::Io(io) => format!("cannot read the file: {io}"),
                _ => format!("unreadable CSV: {e}"),
            };
            Message::Error { line, message }
        };

        let mut record = csv::ByteRecord::new();
        let mut fingerprinter = None;
        let mut last_line = lines.borrow().passed();
        if part != Part::RecordsOnly {
            let header = match reader.read_byte_record(&mut record) {
                Ok(true) => {
                    let line = line_of(&record);
                    match std::str::from_utf8(record.as_slice()) {
                        Ok(text) => Message::Header {
                            names: (0..record.len())
                                .map(|i| {
                                    let range = record.range(i).unwrap_or_default();
                                    text.get(range).unwrap_or_default().trim_ascii().to_string()
                                })
                                .collect(),
                            line,
                        },
                        Err(_) => Message::Error {
                            line,
                            message: NOT_UTF8.to_string(),
                        },
                    }
                }
                Ok(false) => Message::NoHeader,
                Err(e) => read_error(e, 1),
            };
            let Message::Header { names, line } = &header else {
                let _ = to_parser.send(header);
                return;
            };
            if dedupe.is_some() {
                fingerprinter = Some(Fingerprinter::new(names));
            }
            last_line = *line;
            if to_parser.send(header).is_err() || part == Part::HeaderOnly {
                return;
            }
        }

        let mut batch = Batch::default();
        loop {
            let end = match reader.read_byte_record(&mut record) {
                Ok(true) => None,
                Ok(false) => Some(None),
                Err(e) => Some(Some(read_error(e, last_line + 1))),
            };
            if let Some(error) = end {
                if let Some(d) = dedupe.as_deref_mut() {
                    d.mark(&mut batch);
                }
                if !batch.records.is_empty() && to_parser.send(Message::Batch(batch)).is_err() {
                    return;
                }
                if let Some(error) = error {
                    let _ = to_parser.send(error);
                }
                return;
            }
            lines.borrow_mut().record_read_to(reader.position().byte());
            if record.len() == 1 && record[0].trim_ascii().is_empty() {
                continue; // a blank line
            }
            let line = line_of(&record);
            last_line = line;
            let Ok(text) = std::str::from_utf8(record.as_slice()) else {
                if let Some(d) = dedupe.as_deref_mut() {
                    d.mark(&mut batch);
                }
                if !batch.records.is_empty() && to_parser.send(Message::Batch(batch)).is_err() {
                    return;
                }
                let _ = to_parser.send(Message::Error {
                    line,
                    message: NOT_UTF8.to_string(),
                });
                return;
            };
            let spanned = if record.iter().any(|f| f.contains(&b'\n')) {
                let byte = record.position().map_or(0, |p| p.byte());
                lines.borrow().lines_read_after(byte)
            } else {
                0
            };
            let base = batch.text.len();
            let first = batch.bounds.len();
            batch.text.push_str(text);
            batch
                .bounds
                .extend((0..record.len()).map(|i| base + record.range(i).map_or(0, |r| r.start)));
            batch.bounds.push(base + text.len());
            batch.records.push(RecordInfo {
                bounds: first..batch.bounds.len(),
                line,
                duplicate: false,
                spanned,
            });
            if let (Some(f), Some(d)) = (fingerprinter.as_mut(), dedupe.as_deref_mut()) {
                d.pending.push(f.of(&record));
            }
            if batch.records.len() == BATCH_RECORDS || batch.text.len() >= BATCH_BYTES {
                if let Some(d) = dedupe.as_deref_mut() {
                    d.mark(&mut batch);
                }
                let mut next = recycled.try_recv().unwrap_or_default();
                next.text.clear();
                next.bounds.clear();
                next.records.clear();
                let full = std::mem::replace(&mut batch, next);
                if to_parser.send(Message::Batch(full)).is_err() {
                    return;
                }
            }
        }
    }
}

/// The duplicate check, run by the reading thread in file order: fingerprints of a batch's
/// records wait in `pending` until the batch is handed over.
struct Dedupe<'a> {
    seen: &'a mut FingerprintTable,
    pending: Vec<u128>,
    /// The file's size, to size the table from the first batch; 0 once sized.
    file_bytes: u64,
}

impl<'a> Dedupe<'a> {
    fn new(seen: &'a mut FingerprintTable, file_bytes: u64) -> Self {
        Dedupe {
            seen,
            pending: Vec::with_capacity(BATCH_RECORDS),
            file_bytes,
        }
    }

    /// Marks the records of `batch` seen before (its fingerprints are `pending`).
    fn mark(&mut self, batch: &mut Batch) {
        if self.file_bytes > 0 && !batch.records.is_empty() {
            // Size the table once for the whole file, from the first records' length
            // (plus a delimiter or line end per field), so it need not grow.
            let raw = batch.text.len() + batch.bounds.len();
            let per_row = (raw / batch.records.len()).max(1) as u64;
            let expected = self.file_bytes / per_row + self.file_bytes / per_row / 16;
            let expected = usize::try_from(expected).unwrap_or(usize::MAX);
            self.seen.expect(self.seen.len().saturating_add(expected));
            self.file_bytes = 0;
        }
        for (record, fingerprint) in batch.records.iter_mut().zip(self.pending.drain(..)) {
            record.duplicate = !self.seen.insert(fingerprint);
        }
    }
}

/// Which part of a stream [`RecordSource::read`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The header, then every record.
    Whole,
    /// The header alone (the second half of a split file takes it from the start).
    HeaderOnly,
    /// Records only, from the middle of a file.
    RecordsOnly,
}

/// A quick pass for sinks that look at few rows closely (the latest date): files are read
/// in large blocks and cut at line breaks and delimiters, without a CSV state machine or a
/// second thread. It applies only where that cut is exact: UTF-8 text without any `"`.
/// `None` as soon as a file does not qualify (the caller then uses [`read_dataset`]);
/// diagnostics are not collected: the real pass reports every problem.
pub fn scan_unquoted<S: RowSink>(
    ctx: &ReadContext,
    config: &DatasetConfig,
    schema: &Schema,
    sink: &mut S,
) -> Option<()> {
    if config.encoding != Encoding::Utf8 {
        return None;
    }
    let mut ignored = Diagnostics::default();
    let key = format!("datasets.{}", schema.dataset);
    let delimiter = delimiter_byte(config, ctx, &key, &mut ignored)?;
    if delimiter == b'"' || delimiter == b'\n' || delimiter == b'\r' {
        return None;
    }
    let files = resolve_files(ctx, config, &key, &mut ignored)?;
    for (path, rel) in &files {
        scan_file(path, rel, config, schema, delimiter, sink)?;
    }
    Some(())
}

fn scan_file<S: RowSink>(
    path: &Path,
    rel: &str,
    config: &DatasetConfig,
    schema: &Schema,
    delimiter: u8,
    sink: &mut S,
) -> Option<()> {
    let header = scan_header(path, rel, config, schema, delimiter)?;
    let len = std::fs::metadata(path).ok()?.len();
    let split = split_point(path, config.encoding, delimiter).filter(|at| at.byte > header.end);
    match (split, sink.split()) {
        (Some(at), Some(mut second)) => {
            // Two halves at once (the sink does not care about order).
            let (first_ok, second_ok) = std::thread::scope(|scope| {
                let other =
                    scope.spawn(|| scan_range(path, at.byte, len, &header, delimiter, &mut second));
                let first_ok = scan_range(path, header.end, at.byte, &header, delimiter, sink);
                (first_ok, other.join().ok().flatten())
            });
            sink.merge(second);
            first_ok.and(second_ok)
        }
        _ => scan_range(path, header.end, len, &header, delimiter, sink),
    }
}

/// A header found by the quick scan: names, positions of the schema's columns, and the
/// byte where the records start.
struct ScanHeader {
    names: Vec<String>,
    positions: Vec<Option<usize>>,
    end: u64,
}

/// The first non-blank line of a file, if it qualifies for the quick scan.
fn scan_header(
    path: &Path,
    rel: &str,
    config: &DatasetConfig,
    schema: &Schema,
    delimiter: u8,
) -> Option<ScanHeader> {
    let mut file = BufReader::with_capacity(1 << 16, File::open(path).ok()?);
    let mut line = Vec::new();
    let mut end = 0u64;
    loop {
        line.clear();
        let n = io::BufRead::read_until(&mut file, b'\n', &mut line).ok()?;
        if n == 0 || line.len() > MAX_SCAN_LINE {
            return None;
        }
        end += n as u64;
        let text = line
            .strip_prefix(b"\xEF\xBB\xBF".as_slice())
            .unwrap_or(&line);
        if memchr::memchr(b'"', text).is_some() {
            return None;
        }
        let text = std::str::from_utf8(text).ok()?.trim_ascii();
        if text.is_empty() {
            continue;
        }
        let names: Vec<String> = text
            .split(char::from(delimiter))
            .map(|n| n.trim_ascii().to_string())
            .collect();
        let mut ignored = Diagnostics::default();
        let positions = map_header(&names, config, schema, rel, 1, &mut ignored)?;
        return Some(ScanHeader {
            names,
            positions,
            end,
        });
    }
}

/// A header line longer than this is left to the full reader.
const MAX_SCAN_LINE: usize = 1 << 20;

/// Hands every line in `[start, end)` (`start` at a line start) to `sink` as a row; `None`
/// at the first `"` or invalid UTF-8, when the full reader must decide.
fn scan_range<S: RowSink>(
    path: &Path,
    start: u64,
    end: u64,
    header: &ScanHeader,
    delimiter: u8,
    sink: &mut S,
) -> Option<()> {
    use std::io::{Seek, SeekFrom};
    let mut file = File::open(path).ok()?;
    file.seek(SeekFrom::Start(start)).ok()?;
    let mut file = file.take(end.saturating_sub(start));
    // The file column of the sink's key, if it has one.
    let key = sink
        .quick_key()
        .and_then(|col| header.positions.get(col).copied().flatten());
    let mut block = vec![0u8; 1 << 20];
    // Bytes of an unfinished line carried over at the start of `block`.
    let mut carried = 0;
    let mut bounds: Vec<usize> = Vec::with_capacity(64);
    loop {
        if carried == block.len() {
            if block.len() > MAX_RECORD_BYTES as usize {
                return None;
            }
            block.resize(block.len() * 2, 0);
        }
        let n = file.read(&mut block[carried..]).ok()?;
        let eof = n == 0;
        let filled = carried + n;
        if memchr::memchr(b'"', &block[carried..filled]).is_some() {
            return None;
        }
        // Whole lines only, except at the end of the range.
        let upto = if eof {
            filled
        } else {
            match memchr::memrchr(b'\n', &block[..filled]) {
                Some(i) => i + 1,
                None => {
                    carried = filled;
                    continue;
                }
            }
        };
        for line in block[..upto].split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if let Some(k) = key {
                // Most rows are decided by their key alone.
                let Some(value) = nth_field(line, delimiter, k) else {
                    continue;
                };
                match std::str::from_utf8(value.trim_ascii()) {
                    Ok(value) if !sink.skip_by_key(value) => {}
                    _ => continue,
                }
            }
            let Ok(line) = std::str::from_utf8(line) else {
                return None;
            };
            if line.trim_ascii().is_empty() {
                continue;
            }
            // Field i is line[bounds[i]..bounds[i + 1] - 1] (the delimiter excluded).
            bounds.clear();
            bounds.push(0);
            bounds.extend(memchr::memchr_iter(delimiter, line.as_bytes()).map(|at| at + 1));
            bounds.push(line.len() + 1);
            if bounds.len() - 1 != header.names.len() {
                continue; // a wrong field count: invalid, skipped
            }
            let row = Row {
                text: line,
                bounds: &bounds,
                gap: 1,
                positions: &header.positions,
            };
            if let Ok(parsed) = sink.parse(&row) {
                sink.accept(parsed);
            }
        }
        if eof {
            return Some(());
        }
        block.copy_within(upto..filled, 0);
        carried = filled - upto;
    }
}

/// Field `k` of a raw line (no quotes), without cutting the others.
fn nth_field(line: &[u8], delimiter: u8, k: usize) -> Option<&[u8]> {
    let mut start = 0;
    for _ in 0..k {
        start += memchr::memchr(delimiter, &line[start..])? + 1;
    }
    let end = memchr::memchr(delimiter, &line[start..]).map_or(line.len(), |e| start + e);
    Some(&line[start..end])
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
fn column_label(spec_name: &str, config: &DatasetConfig) -> String {
    match config.columns.get(spec_name) {
        Some(header) if header != spec_name => format!("{header} ({spec_name})"),
        _ => spec_name.to_string(),
    }
}

/// For every schema column, its position in this file's header.
fn map_header(
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

/// 128-bit fingerprints of raw records, values keyed by header name, so identical rows of
/// files whose columns come in different orders still match.
struct Fingerprinter {
    /// Header positions sorted by header name.
    order: Vec<usize>,
    /// The sorted header names, hashed once: the fingerprint's seed.
    seed: u64,
    buffer: Vec<u8>,
}

impl Fingerprinter {
    fn new(header: &[String]) -> Self {
        let mut order: Vec<usize> = (0..header.len()).collect();
        order.sort_by(|&a, &b| header[a].cmp(&header[b]));
        let mut names = Vec::new();
        for &i in &order {
            names.extend_from_slice(header[i].as_bytes());
            names.push(0x1f);
        }
        Fingerprinter {
            order,
            seed: xxhash_rust::xxh3::xxh3_64(&names),
            buffer: Vec::with_capacity(256),
        }
    }

    /// The trimmed values in header-name order, separated, hashed in one call.
    fn of(&mut self, record: &csv::ByteRecord) -> u128 {
        self.buffer.clear();
        for &i in &self.order {
            self.buffer
                .extend_from_slice(record.get(i).unwrap_or_default().trim_ascii());
            self.buffer.push(0x1e);
        }
        xxhash_rust::xxh3::xxh3_128_with_seed(&self.buffer, self.seed)
    }
}

/// Drops a UTF-8 byte-order mark at the start of a stream.
struct SkipBom<R> {
    inner: R,
    /// Bytes read while looking for the mark that still have to be handed out.
    pending: Vec<u8>,
    checked: bool,
}

impl<R: Read> SkipBom<R> {
    fn new(inner: R) -> Self {
        SkipBom {
            inner,
            pending: Vec::new(),
            checked: false,
        }
    }
}

impl<R: Read> Read for SkipBom<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.checked {
            self.checked = true;
            let mut head = [0u8; 3];
            let mut filled = 0;
            while filled < 3 {
                let n = self.inner.read(&mut head[filled..])?;
                if n == 0 {
                    break;
                }
                filled += n;
            }
            let start = if head[..filled] == [0xEF, 0xBB, 0xBF] {
                3
            } else {
                0
            };
            self.pending = head[start..filled].to_vec();
        }
        if !self.pending.is_empty() {
            let n = buf.len().min(self.pending.len());
            buf[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

/// Decodes a legacy encoding (GBK, GB18030) to UTF-8 as the bytes stream through.
struct Transcode<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    output: Vec<u8>,
    out_pos: usize,
    eof: bool,
}

impl<R: Read> Transcode<R> {
    fn new(inner: R, encoding: &'static encoding_rs::Encoding) -> Self {
        Transcode {
            inner,
            // Sniffs a byte-order mark: a UTF-8 BOM switches the decoder to UTF-8.
            decoder: encoding.new_decoder(),
            input: vec![0; 1 << 16],
            output: Vec::with_capacity(1 << 17),
            out_pos: 0,
            eof: false,
        }
    }
}

impl<R: Read> Read for Transcode<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos == self.output.len() {
            if self.eof {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.input)?;
            self.eof = n == 0;
            self.output.clear();
            self.out_pos = 0;
            let capacity = self.decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16);
            self.output.resize(capacity, 0);
            let (result, _, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[..n],
                &mut self.output,
                self.eof,
            );
            self.output.truncate(written);
            if let encoding_rs::DecoderResult::Malformed(..) = result {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "bytes that are not valid {}",
                        self.decoder.encoding().name()
                    ),
                ));
            }
        }
        let n = buf.len().min(self.output.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.output[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_splits_after_a_line_break_outside_quotes() {
        // Line 3's quoted value spans the middle of the file with two line breaks in it:
        // the split must skip them and land at the start of line 5 (the record after it).
        let text = "h1,h2\n1,aaaaaaaaaaaaaaaa\n2,\"x\nyyyyyyyyyyyyyyyyyyyy\nz\"\n3,b\n4,c\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.csv");
        std::fs::write(&path, text).unwrap();
        let at = split_point_from(&path, Encoding::Utf8, b',', 1).expect("a split");
        assert_eq!(&text[at.byte as usize..], "3,b\n4,c\n");
        // Line breaks before it: after h1, after line 2, the two quoted ones, after line 3.
        assert_eq!(at.lines_before, 5);
        assert_eq!(at.end, text.len() as u64);
        // Legacy encodings and small files are read whole.
        assert!(split_point_from(&path, Encoding::Gbk, b',', 1).is_none());
        assert!(split_point_from(&path, Encoding::Utf8, b',', 1 << 20).is_none());
    }
}
