//! A dataset read whole: its files in order into one sink, with the row counts and the
//! dataset-level findings (no rows, more invalid rows than are listed, duplicates removed).

use std::path::PathBuf;

use crate::diagnostic::{Location, Report};
use crate::duplicates::FingerprintTable;
use crate::options::Options;
use crate::pipeline;
use crate::schema::Schema;
use crate::sink::{AnyOrder, ForkJoin, Forked, InOrder, Protocol, Sink, Unordered};

/// How many invalid rows are listed one by one before the rest are only counted.
pub(crate) const LISTED_INVALID_ROWS: u64 = 20;

/// One file of a dataset: where it is, and the name diagnostics give it.
#[derive(Debug, Clone)]
pub struct DataFile {
    pub path: PathBuf,
    pub name: String,
}

/// What a read needs besides its sink.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    /// The dataset's files, read in this order.
    pub files: &'a [DataFile],
    pub options: &'a Options,
    pub schema: &'a Schema,
    /// Called with the number of bytes read as reading goes on (from several threads).
    pub progress: &'a (dyn Fn(u64) + Sync),
}

/// Row counts of one dataset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowCounts {
    pub rows_read: u64,
    pub rows_valid: u64,
    pub duplicates: u64,
    pub invalid: u64,
}

/// Reads every file of a dataset into `sink`, parsing on one thread in file order.
/// Returns `None` after reporting an error that makes the dataset unusable (an unreadable
/// file, a bad header, undecodable text).
pub fn read_dataset<S: Sink>(
    input: &Input,
    sink: &mut S,
    report: &mut Report,
) -> Option<RowCounts> {
    read_with(input, sink, InOrder, report)
}

/// [`read_dataset`] for a sink that can be forked: the blocks of large UTF-8 files are
/// aggregated by one worker per core, with the same outcome.
pub fn read_dataset_forked<S: ForkJoin>(
    input: &Input,
    sink: &mut S,
    report: &mut Report,
) -> Option<RowCounts> {
    read_with(input, sink, Forked, report)
}

/// [`read_dataset`] for a sink that ignores row order and duplicates: a large file whose
/// duplicates are kept is read in two halves at once.
pub fn read_dataset_any_order<S: AnyOrder>(
    input: &Input,
    sink: &mut S,
    report: &mut Report,
) -> Option<RowCounts> {
    read_with(input, sink, Unordered, report)
}

fn read_with<S: Sink, P: Protocol<S>>(
    input: &Input,
    sink: &mut S,
    protocol: P,
    report: &mut Report,
) -> Option<RowCounts> {
    let schema = input.schema;
    let Some(first) = input.files.first().map(|f| &f.name) else {
        report.error(
            Location::file(schema.dataset),
            format!("dataset `{}` names no file", schema.dataset),
        );
        return None;
    };
    let mut state = ReadState::new(input.options.dedupe);
    let mut seen = FingerprintTable::default();
    let mut ok = true;
    let sizes: Vec<u64> = input
        .files
        .iter()
        .map(|f| std::fs::metadata(&f.path).map_or(0, |m| m.len()))
        .collect();
    for (i, file) in input.files.iter().enumerate() {
        if sink.gave_up() {
            break;
        }
        state.bytes_after = sizes[i + 1..].iter().sum();
        let dedupe = input.options.dedupe.then_some(&mut seen);
        ok &=
            pipeline::read_file(input, file, sink, protocol, &mut state, dedupe, report).is_some();
    }
    if !ok {
        return None;
    }
    let counts = state.counts;
    if counts.rows_read == 0 {
        report.warning(
            Location::file(first.clone()),
            format!("dataset `{}` has a header but no rows", schema.dataset),
        );
    }
    if counts.invalid > LISTED_INVALID_ROWS {
        report.warning(
            Location::file(first.clone()),
            format!(
                "{} more invalid rows of dataset `{}` excluded (only the first {LISTED_INVALID_ROWS} are listed)",
                counts.invalid - LISTED_INVALID_ROWS,
                schema.dataset
            ),
        );
    }
    if let Some((file, line)) = state.first_duplicate {
        report.warning(
            Location::line(file, line, None),
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

/// What the reading of a dataset carries from row to row and file to file.
pub(crate) struct ReadState {
    pub(crate) counts: RowCounts,
    pub(crate) first_duplicate: Option<(String, u64)>,
    pub(crate) listed_invalid: u64,
    pub(crate) dedupe: bool,
    /// Rows of the file being read.
    pub(crate) rows_in_file: u64,
    /// The number the next chunk of the dataset gets (see [`ForkJoin::begin_chunk`]).
    pub(crate) next_chunk: u64,
    /// The header of the dataset's first file (the fingerprints' column order).
    pub(crate) first_header: Option<Vec<String>>,
    /// Bytes of the dataset's files after the one being read: the duplicate table is
    /// sized for the whole dataset on its first rows, not grown file by file.
    pub(crate) bytes_after: u64,
}

impl ReadState {
    pub(crate) fn new(dedupe: bool) -> Self {
        ReadState {
            counts: RowCounts::default(),
            first_duplicate: None,
            listed_invalid: 0,
            dedupe,
            rows_in_file: 0,
            next_chunk: 0,
            first_header: None,
            bytes_after: 0,
        }
    }

    /// Adds the counts of a second half read alongside (never deduplicated).
    pub(crate) fn absorb(&mut self, second: &ReadState) {
        self.counts.rows_read += second.counts.rows_read;
        self.counts.rows_valid += second.counts.rows_valid;
        self.counts.invalid += second.counts.invalid;
        self.listed_invalid += second.listed_invalid;
    }
}
