//! The fast reader for UTF-8 text: the file is cut into blocks of whole lines, handed out
//! in file order to worker threads (one per core), and each worker reads, cuts, checks,
//! fingerprints, parses and aggregates its blocks into its own sink ([`crate::ForkJoin::fork`]).
//! One step is taken block by block in file order, whichever worker holds the block: its
//! turn at the duplicate table, which also settles its line numbers and where reading
//! stops. The forks are joined at the end of the file ([`crate::ForkJoin::join`]) and the workers'
//! diagnostics sorted by line, so the outcome is that of one thread reading in order.
//!
//! Records are lines and fields are cut at the delimiter, which is exact as long as the
//! text has no `"` and no `\r` other than before a line break: from the first line that
//! has one, the CSV reader of [`crate::pipeline`] takes over.

use std::fs::File;
use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crate::blocks::{Block, Feed, Sharing};
use crate::cut::{first_unplain, line_start, Separators};
use crate::dataset::{ReadState, RowCounts, LISTED_INVALID_ROWS};
use crate::diagnostic::{Location, Report};
use crate::duplicates::FingerprintTable;
use crate::fingerprint::{needs_trim, Fingerprinter};
use crate::lines::MAX_RECORD_BYTES;
use crate::options::Options;
use crate::pipeline::NOT_UTF8;
use crate::schema::{map_header, CellError, Row, Schema};
use crate::sink::{Protocol, Sink};

/// How a chunked read ended.
pub(crate) enum Outcome {
    /// The file was read to its end, or to an error (reported): `None`.
    Done(Option<()>),
    /// The CSV reader must go on from `byte`, the start of a line holding a quote or a
    /// lone `\r`, after `lines_before` lines of the file.
    HandOver { byte: u64, lines_before: u64 },
    /// The header (or what comes before it) needs the CSV reader, or there is no header:
    /// the CSV reader reads the whole file.
    Declined,
}

/// What the reading needs besides the sink.
pub(crate) struct FileJob<'a> {
    pub(crate) file: &'a File,
    pub(crate) rel: &'a str,
    pub(crate) options: &'a Options,
    pub(crate) schema: &'a Schema,
    pub(crate) delimiter: u8,
    pub(crate) progress: &'a (dyn Fn(u64) + Sync),
}

/// Reads one file, or declines it (see [`Outcome`]).
pub(crate) fn read_file<S: Sink, P: Protocol<S>>(
    job: &FileJob,
    sharing: Sharing,
    sink: &mut S,
    protocol: P,
    state: &mut ReadState,
    seen: Option<&mut FingerprintTable>,
    report: &mut Report,
) -> Outcome {
    let mut input = job.file;
    let head = match read_head(&mut input, job.delimiter) {
        Ok(Some(head)) => head,
        Ok(None) => return Outcome::Declined,
        Err(e) => {
            report.error(
                Location::file(job.rel),
                format!("cannot read the file: {e}"),
            );
            return Outcome::Done(None);
        }
    };
    (job.progress)(head.end);
    let Some(positions) = map_header(
        &head.names,
        job.options,
        job.schema,
        job.rel,
        head.line,
        report,
    ) else {
        return Outcome::Done(None);
    };
    state.first_header.get_or_insert_with(|| head.names.clone());
    let file_bytes = job.file.metadata().map_or(0, |m| m.len());
    let shared = Shared {
        feed: Feed {
            input: job.file,
            start: head.end,
            end: file_bytes,
            size: sharing.block_bytes.max(1) as u64,
            next: AtomicU64::new(0),
            progress: job.progress,
        },
        stopped: AtomicBool::new(false),
        turn: Mutex::new(Turn {
            next: 0,
            lines: head.line,
            seen,
            file_bytes: file_bytes.saturating_sub(head.end) + state.bytes_after,
            stop: None,
            abandoned: false,
        }),
        turned: Condvar::new(),
    };
    let context = WorkContext {
        shared: &shared,
        delimiter: job.delimiter,
        header_len: head.names.len(),
        positions: &positions,
        fingerprints: state.dedupe,
        header: &head.names,
        first_header: state.first_header.as_deref().unwrap_or(&head.names),
        first_chunk: state.next_chunk,
        listed: LISTED_INVALID_ROWS.saturating_sub(state.listed_invalid),
    };
    let mut forks: Vec<S> = (1..sharing.workers.max(1))
        .map_while(|_| protocol.fork(sink))
        .collect();
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let context = &context;
        let others: Vec<_> = forks
            .iter_mut()
            .map(|fork| scope.spawn(move || context.work(fork, protocol)))
            .collect();
        let mut tallies = vec![context.work(sink, protocol)];
        for other in others {
            match other.join() {
                Ok(tally) => tallies.push(tally),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        tallies
    });
    let listed = context.listed;
    let turn = shared
        .turn
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    let handed_over = matches!(turn.stop, Some(Stop::HandOver { .. }));
    if state.bytes_after == 0 && !handed_over {
        // The dataset's last file, read to its end here: no row is checked for
        // duplicates after these.
        if let Some(seen) = turn.seen {
            seen.release();
        }
    }
    for fork in forks {
        protocol.join(sink, fork);
    }
    state.next_chunk += turn.next + 1;

    // The workers' findings, in file order.
    let mut counts = RowCounts::default();
    let mut invalid: Vec<Invalid> = Vec::new();
    let mut first_duplicate: Option<u64> = None;
    for tally in tallies {
        counts.rows_read += tally.counts.rows_read;
        counts.rows_valid += tally.counts.rows_valid;
        counts.duplicates += tally.counts.duplicates;
        counts.invalid += tally.counts.invalid;
        invalid.extend(tally.invalid);
        first_duplicate = match (first_duplicate, tally.first_duplicate) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    invalid.sort_unstable_by_key(|i| i.line);
    invalid.truncate(listed as usize);
    for row in invalid {
        state.listed_invalid += 1;
        let column = row
            .column
            .map(|c| job.options.column_label(&job.schema.columns[c].name));
        report.warning(
            Location::line(job.rel, row.line, column),
            format!("{}; row excluded", row.message),
        );
    }
    state.counts.rows_read += counts.rows_read;
    state.counts.rows_valid += counts.rows_valid;
    state.counts.duplicates += counts.duplicates;
    state.counts.invalid += counts.invalid;
    state.rows_in_file += counts.rows_read;
    if let (Some(line), None) = (first_duplicate, &state.first_duplicate) {
        state.first_duplicate = Some((job.rel.to_string(), line));
    }
    match turn.stop {
        Some(Stop::HandOver { at, lines_before }) => Outcome::HandOver {
            byte: at,
            lines_before,
        },
        Some(Stop::Error { line, message }) => {
            report.error(Location::line(job.rel, line.max(1), None), message);
            Outcome::Done(None)
        }
        None => {
            if state.rows_in_file == 0 && state.counts.rows_read > 0 {
                report.warning(
                    Location::file(job.rel),
                    "the file has a header but no rows".to_string(),
                );
            }
            Outcome::Done(Some(()))
        }
    }
}

/// The header of a file the fast reader can take.
struct Head {
    /// Trimmed header names.
    names: Vec<String>,
    /// The header's line (blank lines may come before it).
    line: u64,
    /// The byte after the header's line break.
    end: u64,
}

/// Reads up to the header: `None` when the CSV reader must take the file (a quote or a
/// lone `\r` up to the header, a header that is not UTF-8, no header at all, or an endless
/// first line).
fn read_head(input: &mut impl Read, delimiter: u8) -> io::Result<Option<Head>> {
    let mut buf: Vec<u8> = Vec::new();
    let mut eof = false;
    let mut bom = None;
    // Blank lines searched so far: their count, and where the next line starts.
    let (mut blank, mut at) = (0u64, 0usize);
    let (line, start, end) = loop {
        if bom.is_some() {
            let mut found = None;
            while let Some(nl) = memchr::memchr(b'\n', &buf[at..]).map(|i| i + at) {
                if !buf[at..nl].trim_ascii().is_empty() {
                    found = Some((blank + 1, at, nl));
                    break;
                }
                blank += 1;
                at = nl + 1;
            }
            if let Some(found) = found {
                break found;
            }
            if eof {
                if buf[at..].trim_ascii().is_empty() {
                    return Ok(None);
                }
                break (blank + 1, at, buf.len());
            }
        }
        if buf.len() as u64 > MAX_RECORD_BYTES {
            return Ok(None);
        }
        let before = buf.len();
        buf.resize(before + (64 << 10), 0);
        let n = loop {
            match input.read(&mut buf[before..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        buf.truncate(before + n);
        eof = n == 0;
        if bom.is_none() && (buf.len() >= 3 || eof) {
            let has_bom = buf.starts_with(b"\xEF\xBB\xBF");
            if has_bom {
                buf.drain(..3);
            }
            bom = Some(if has_bom { 3 } else { 0 });
        }
    };
    let through = (end + 1).min(buf.len());
    if first_unplain(&buf[..through]).is_some() {
        return Ok(None);
    }
    let header = &buf[start..end];
    let header = header.strip_suffix(b"\r").unwrap_or(header);
    let Ok(header) = std::str::from_utf8(header) else {
        return Ok(None);
    };
    let names = header
        .split(char::from(delimiter))
        .map(|n| n.trim_ascii().to_string())
        .collect();
    Ok(Some(Head {
        names,
        line,
        end: bom.unwrap_or(0) + through as u64,
    }))
}

/// Where a file's reading stops, in file terms.
enum Stop {
    HandOver { at: u64, lines_before: u64 },
    Error { line: u64, message: String },
}

/// The steps taken block by block in file order.
struct Turn<'t> {
    /// The block whose turn it is.
    next: u64,
    /// Lines of the file before that block.
    lines: u64,
    seen: Option<&'t mut FingerprintTable>,
    /// Bytes after the header, to size the duplicate table from the first block; 0 once
    /// sized.
    file_bytes: u64,
    /// The first stop, which ends the file there: later blocks are dropped.
    stop: Option<Stop>,
    /// A worker panicked: nobody waits for turns any more.
    abandoned: bool,
}

struct Shared<'a> {
    feed: Feed<'a>,
    /// Set with the first stop, so the feed hands out no more blocks.
    stopped: AtomicBool,
    turn: Mutex<Turn<'a>>,
    turned: Condvar,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What every worker shares.
struct WorkContext<'c, 's> {
    shared: &'c Shared<'s>,
    delimiter: u8,
    header_len: usize,
    header: &'c [String],
    /// The dataset's first header (the fingerprints' column order).
    first_header: &'c [String],
    positions: &'c [Option<usize>],
    /// Whether records are fingerprinted (the dataset removes duplicates).
    fingerprints: bool,
    /// The number of this file's block 0 among the dataset's chunks.
    first_chunk: u64,
    /// Invalid rows still to be listed one by one.
    listed: u64,
}

/// One worker's findings.
#[derive(Default)]
struct Tally {
    counts: RowCounts,
    /// Its first invalid rows (a worker sees its rows in file order).
    invalid: Vec<Invalid>,
    first_duplicate: Option<u64>,
}

struct Invalid {
    line: u64,
    column: Option<usize>,
    message: String,
}

/// The records of one block.
#[derive(Default)]
struct Records {
    /// Field cuts, record after record: field `j` of a record whose cuts start at `s` is
    /// `block[cuts[s + j]..cuts[s + j + 1] - 1]`.
    cuts: Vec<u32>,
    /// Where each record's cuts start, and one more entry for the end.
    starts: Vec<u32>,
    /// Each record's line, counted from the block's first line (1).
    lines: Vec<u32>,
    fingerprints: Vec<u128>,
    duplicate: Vec<bool>,
}

impl Records {
    fn clear(&mut self) {
        self.cuts.clear();
        self.starts.clear();
        self.lines.clear();
        self.fingerprints.clear();
        self.duplicate.clear();
    }

    fn len(&self) -> usize {
        self.lines.len()
    }
}

/// What cutting a block found besides its records.
struct Cut {
    /// Lines up to where the records end (all the block's lines when nothing stops it).
    lines: u64,
    /// Where reading stops, in block terms.
    stop: Option<BlockStop>,
}

enum BlockStop {
    /// The line at this byte needs the CSV reader.
    HandOver(usize),
    /// An error at this line of the block.
    Error(u64, String),
}

impl WorkContext<'_, '_> {
    /// Takes blocks until the feed runs dry, aggregating into `sink`.
    fn work<S: Sink, P: Protocol<S>>(&self, sink: &mut S, protocol: P) -> Tally {
        let shared = self.shared;
        // Should this worker panic, the others must not wait for its turns.
        struct Abandon<'s, 'a>(&'s Shared<'a>);
        impl Drop for Abandon<'_, '_> {
            fn drop(&mut self) {
                if std::thread::panicking() {
                    lock(&self.0.turn).abandoned = true;
                    self.0.turned.notify_all();
                }
            }
        }
        let _abandon = Abandon(shared);
        let mut tally = Tally::default();
        let mut buf: Vec<u8> = Vec::new();
        let mut records = Records::default();
        let mut fingerprinter = self
            .fingerprints
            .then(|| Fingerprinter::new(self.header, self.first_header, self.delimiter));
        loop {
            if shared.stopped.load(Ordering::Relaxed) {
                break;
            }
            let Some(block) = shared.feed.take(&mut buf) else {
                break;
            };
            let bytes = &buf[block.begin..block.begin + block.len];
            let (text, cut) = self.cut(bytes, &block, fingerprinter.as_mut(), &mut records);

            // This block's turn: line numbers, duplicates, a stop.
            let lines_before = {
                let mut turn = lock(&shared.turn);
                while turn.next != block.index && !turn.abandoned {
                    turn = shared
                        .turned
                        .wait(turn)
                        .unwrap_or_else(PoisonError::into_inner);
                }
                if turn.abandoned {
                    return tally;
                }
                let keep = turn.stop.is_none();
                let lines_before = turn.lines;
                if keep {
                    turn.lines += cut.lines;
                    mark_duplicates(&mut turn, bytes.len(), &mut records);
                    if let Some(stop) = cut.stop {
                        turn.stop = Some(match stop {
                            BlockStop::HandOver(at) => Stop::HandOver {
                                at: block.offset + at as u64,
                                lines_before: lines_before + cut.lines,
                            },
                            BlockStop::Error(line, message) => Stop::Error {
                                line: lines_before + line,
                                message,
                            },
                        });
                        shared.stopped.store(true, Ordering::Relaxed);
                    }
                }
                turn.next += 1;
                drop(turn);
                shared.turned.notify_all();
                if !keep {
                    continue;
                }
                lines_before
            };

            protocol.begin_chunk(sink, self.first_chunk + block.index);
            self.parse(text, &records, lines_before, sink, &mut tally);
            if sink.gave_up() {
                shared.stopped.store(true, Ordering::Relaxed);
            }
        }
        tally
    }

    /// Cuts a block into records (checking UTF-8 and fingerprinting them) up to where it
    /// stops. Returns the checked text and what else was found.
    fn cut<'b>(
        &self,
        bytes: &'b [u8],
        block: &Block,
        mut fingerprinter: Option<&mut Fingerprinter>,
        records: &mut Records,
    ) -> (&'b str, Cut) {
        records.clear();
        let mut stop = None;
        let mut end = bytes.len();
        if let Some(at) = first_unplain(bytes) {
            end = line_start(bytes, at);
            stop = Some(BlockStop::HandOver(end));
        }
        // SIMD validation first; std's only to locate an error.
        let checked = simdutf8::basic::from_utf8(&bytes[..end])
            .or_else(|_| std::str::from_utf8(&bytes[..end]));
        let text = match checked {
            Ok(text) => text,
            Err(e) => {
                end = line_start(bytes, e.valid_up_to());
                // The error's line number is settled after the lines before it are counted.
                stop = Some(BlockStop::Error(0, NOT_UTF8.to_string()));
                std::str::from_utf8(&bytes[..end]).unwrap_or_default()
            }
        };
        let raw = text.as_bytes();
        // Owned here, so their lengths stay in registers through the loop.
        let mut cuts = std::mem::take(&mut records.cuts);
        let mut starts = std::mem::take(&mut records.starts);
        let mut lines = std::mem::take(&mut records.lines);
        let mut fingerprints = std::mem::take(&mut records.fingerprints);
        let mut line_no = 0u64;
        let mut line_start = 0usize;
        // The current line's cuts start at `cuts[first]`: its start, then one after each
        // delimiter; its end is added when its line break comes.
        let mut first = 0;
        let mut too_long = false;
        cuts.push(0);
        let mut separators = Separators::new(raw, self.delimiter);
        while let Some(at) = separators.next_break(&mut cuts) {
            line_no += 1;
            let end = if at > line_start && raw[at - 1] == b'\r' {
                at - 1
            } else {
                at
            };
            let line = &raw[line_start..end];
            line_start = at + 1;
            if cuts.len() == first + 1 && line.trim_ascii().is_empty() {
                cuts[first] = line_start as u32; // a blank line: skipped
                continue;
            }
            if line.len() as u64 > MAX_RECORD_BYTES {
                too_long = true;
                break;
            }
            cuts.push(end as u32 + 1);
            starts.push(first as u32);
            lines.push(line_no as u32);
            if let Some(f) = fingerprinter.as_deref_mut() {
                let cuts = &cuts[first..];
                let count = cuts.len() - 1;
                let field = |i: usize| &raw[cuts[i] as usize..cuts[i + 1] as usize - 1];
                let clean = (0..count).all(|i| !needs_trim(field(i)));
                let fingerprint = clean
                    .then(|| f.of_clean_line(line, count))
                    .flatten()
                    .unwrap_or_else(|| f.of_fields(count, field));
                fingerprints.push(fingerprint);
            }
            first = cuts.len();
            cuts.push(line_start as u32);
        }
        cuts.truncate(first);
        starts.push(cuts.len() as u32);
        *records = Records {
            cuts,
            starts,
            lines,
            fingerprints,
            duplicate: std::mem::take(&mut records.duplicate),
        };
        if too_long {
            let message = format!(
                "a record longer than {} MiB starts here (a quote that is never closed, or not a CSV file?)",
                MAX_RECORD_BYTES >> 20
            );
            let stop = Some(BlockStop::Error(line_no, message));
            return (
                text,
                Cut {
                    lines: line_no,
                    stop,
                },
            );
        }
        let stop = match stop {
            Some(BlockStop::Error(_, message)) => Some(BlockStop::Error(line_no + 1, message)),
            None => block
                .read_error
                .clone()
                .map(|message| BlockStop::Error(line_no + 1, message)),
            handover => handover,
        };
        (
            text,
            Cut {
                lines: line_no,
                stop,
            },
        )
    }

    /// Parses the records of a block and aggregates the valid, unique ones.
    fn parse<S: Sink>(
        &self,
        text: &str,
        records: &Records,
        lines_before: u64,
        sink: &mut S,
        tally: &mut Tally,
    ) {
        for r in 0..records.len() {
            let line = lines_before + u64::from(records.lines[r]);
            let bounds = &records.cuts[records.starts[r] as usize..records.starts[r + 1] as usize];
            let fields = bounds.len() - 1;
            tally.counts.rows_read += 1;
            let outcome = if fields != self.header_len {
                Err(CellError::row(format!(
                    "expected {} fields, found {fields}",
                    self.header_len,
                )))
            } else {
                sink.parse(&Row {
                    text,
                    bounds,
                    gap: 1,
                    positions: self.positions,
                })
            };
            match outcome {
                Err(err) => {
                    tally.counts.invalid += 1;
                    if (tally.invalid.len() as u64) < self.listed {
                        tally.invalid.push(Invalid {
                            line,
                            column: err.column,
                            message: err.message,
                        });
                    }
                }
                Ok(parsed) => {
                    if records.duplicate.get(r).copied().unwrap_or(false) {
                        tally.counts.duplicates += 1;
                        tally.first_duplicate.get_or_insert(line);
                    } else {
                        tally.counts.rows_valid += 1;
                        sink.accept(parsed);
                    }
                }
            }
        }
    }
}

/// The duplicate check of one block, in its turn: marks the records whose fingerprint
/// an earlier record had.
fn mark_duplicates(turn: &mut Turn, block_bytes: usize, records: &mut Records) {
    let Some(seen) = turn.seen.as_deref_mut() else {
        return;
    };
    if turn.file_bytes > 0 && !records.fingerprints.is_empty() {
        // Size the table once for the whole file from the first block's rows.
        let per_row = (block_bytes / records.fingerprints.len()).max(1) as u64;
        let expected = turn.file_bytes / per_row + turn.file_bytes / per_row / 16;
        seen.expect(
            seen.len()
                .saturating_add(usize::try_from(expected).unwrap_or(usize::MAX)),
        );
        turn.file_bytes = 0;
    }
    records.duplicate.clear();
    seen.insert_all(&records.fingerprints, &mut records.duplicate);
    for duplicate in &mut records.duplicate {
        *duplicate = !*duplicate;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ColumnDef;
    use crate::sink::{ForkJoin, Forked};
    use proptest::prelude::*;

    /// Collects the rows it accepts with their chunk, so joined forks can be checked to
    /// give the rows of a one-thread read in file order.
    #[derive(Default)]
    struct Collect {
        chunk: u64,
        rows: Vec<(u64, String)>,
    }

    impl Sink for Collect {
        type Parsed<'r> = String;

        fn parse<'r>(&mut self, row: &Row<'r>) -> Result<String, CellError> {
            let a = row.require(0)?;
            if a == "bad" {
                return Err(CellError::new(0, "not a value".to_string()));
            }
            Ok(format!(
                "{a}|{}|{}",
                row.get(1).unwrap_or("-"),
                row.get(2).unwrap_or("-")
            ))
        }

        fn accept(&mut self, row: String) {
            self.rows.push((self.chunk, row));
        }
    }

    impl ForkJoin for Collect {
        fn fork(&self) -> Self {
            Collect::default()
        }

        fn begin_chunk(&mut self, chunk: u64) {
            self.chunk = chunk;
        }

        fn join(&mut self, other: Self) {
            self.rows.extend(other.rows);
            self.rows.sort_by_key(|(chunk, _)| *chunk);
        }
    }

    /// Everything a read shows: outcome, counts, the first duplicate's line, the accepted
    /// rows in order, and the diagnostics (severity, line, column, message).
    #[derive(Debug, PartialEq)]
    struct Seen {
        outcome: String,
        counts: RowCounts,
        first_duplicate: Option<u64>,
        rows: Vec<String>,
        diags: Vec<(String, Option<usize>, Option<String>, String)>,
    }

    fn read(text: impl AsRef<[u8]>, sharing: Sharing, dedupe: bool) -> Seen {
        let text = text.as_ref();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, text).unwrap();
        let file = File::open(&path).unwrap();
        let options = Options {
            dedupe,
            ..Options::default()
        };
        let schema = Schema {
            dataset: "test",
            columns: vec![
                ColumnDef::required("a"),
                ColumnDef::optional("b"),
                ColumnDef::optional("c"),
            ],
        };
        let job = FileJob {
            file: &file,
            rel: "t.csv",
            options: &options,
            schema: &schema,
            delimiter: b',',
            progress: &|_| {},
        };
        let mut sink = Collect::default();
        let mut state = ReadState::new(dedupe);
        let mut seen = FingerprintTable::default();
        let mut report = Report::default();
        let outcome = read_file(
            &job,
            sharing,
            &mut sink,
            Forked,
            &mut state,
            Some(&mut seen),
            &mut report,
        );
        Seen {
            outcome: match outcome {
                Outcome::Done(r) => format!("done {r:?}"),
                Outcome::HandOver { byte, lines_before } => {
                    format!("hand over at byte {byte} after {lines_before} lines")
                }
                Outcome::Declined => "declined".to_string(),
            },
            counts: state.counts,
            first_duplicate: state.first_duplicate.map(|(_, line)| line),
            rows: sink.rows.into_iter().map(|(_, r)| r).collect(),
            diags: report
                .iter()
                .map(|d| {
                    (
                        format!("{:?}", d.severity),
                        d.location.line.map(|l| l as usize),
                        d.location.column.clone(),
                        d.message.clone(),
                    )
                })
                .collect(),
        }
    }

    /// What reading `text` must show, worked out line by line the plain way: the test's
    /// independent account of the rules (blank lines skipped, CRLF, trimming, field
    /// counts, duplicates among valid rows, the first 20 invalid rows listed, the CSV
    /// reader from the first line with a quote or a lone CR, UTF-8 errors at their line).
    fn expected(text: &[u8], dedupe: bool) -> Seen {
        let mut seen = Seen {
            outcome: "done Some(())".to_string(),
            counts: RowCounts::default(),
            first_duplicate: None,
            rows: Vec::new(),
            diags: Vec::new(),
        };
        // Where the CSV reader is needed: a quote, or a CR not followed by LF.
        let unplain = (0..text.len())
            .find(|&i| text[i] == b'"' || (text[i] == b'\r' && text.get(i + 1) != Some(&b'\n')));
        let mut keys = std::collections::HashSet::new();
        let mut header = false;
        let mut start = 0;
        let mut line_no = 0;
        while start < text.len() {
            let end = text[start..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(text.len(), |i| start + i);
            line_no += 1;
            let line = &text[start..end];
            let next = end + 1;
            if unplain.is_some_and(|u| u >= start && u <= end) {
                if !header {
                    seen.outcome = "declined".to_string();
                } else {
                    seen.outcome = format!("hand over at byte {start} after {} lines", line_no - 1);
                }
                return seen;
            }
            let Ok(line) = std::str::from_utf8(line) else {
                if header {
                    seen.outcome = "done None".to_string();
                    seen.diags
                        .push(("Error".into(), Some(line_no), None, NOT_UTF8.to_string()));
                } else {
                    seen.outcome = "declined".to_string();
                }
                return seen;
            };
            start = next;
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                continue;
            }
            if !header {
                header = true;
                continue;
            }
            seen.counts.rows_read += 1;
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            let problem = if fields.len() != 3 {
                Some((None, format!("expected 3 fields, found {}", fields.len())))
            } else if fields[0].is_empty() {
                Some((Some("a".to_string()), "missing value".to_string()))
            } else if fields[0] == "bad" {
                Some((Some("a".to_string()), "not a value".to_string()))
            } else {
                None
            };
            if let Some((column, message)) = problem {
                seen.counts.invalid += 1;
                if seen.counts.invalid <= LISTED_INVALID_ROWS {
                    seen.diags.push((
                        "Warning".into(),
                        Some(line_no),
                        column,
                        format!("{message}; row excluded"),
                    ));
                }
                continue;
            }
            if dedupe && !keys.insert(fields.join(",")) {
                seen.counts.duplicates += 1;
                seen.first_duplicate.get_or_insert(line_no as u64);
                continue;
            }
            seen.counts.rows_valid += 1;
            let value = |s: &str| {
                if s.is_empty() {
                    "-".to_string()
                } else {
                    s.to_string()
                }
            };
            seen.rows.push(format!(
                "{}|{}|{}",
                fields[0],
                value(fields[1]),
                value(fields[2])
            ));
        }
        if !header {
            seen.outcome = "declined".to_string();
        }
        seen
    }

    fn one_block() -> Sharing {
        Sharing {
            workers: 1,
            block_bytes: 1 << 20,
        }
    }

    #[test]
    fn a_file_reads_the_same_in_one_block_and_in_many_on_three_threads() {
        // Line 1 blank, header on 2; rows with spaces, a duplicate (line 6 repeats line 3
        // once trimmed), a wrong field count (7), an invalid value (8), CRLF (9), a blank
        // line (10), then a quote (11): the CSV reader takes over at line 11's start.
        let text = "\na,b,c\nx, 1,2\ny,,\n\nx,1 ,2\nz,1\nbad,1,2\r\nw,3,4\r\n\nq,\"5\",6\nr,7,8\n";
        let whole = read(text, one_block(), true);
        let at = text.find("q,").unwrap();
        assert_eq!(
            whole.outcome,
            format!("hand over at byte {at} after 10 lines")
        );
        assert_eq!(
            whole.counts,
            RowCounts {
                rows_read: 6,
                rows_valid: 3,
                duplicates: 1,
                invalid: 2
            }
        );
        assert_eq!(whole.rows, ["x|1|2", "y|-|-", "w|3|4"]);
        assert_eq!(whole.first_duplicate, Some(6));
        let lines: Vec<Option<usize>> = whole.diags.iter().map(|d| d.1).collect();
        assert_eq!(lines, [Some(7), Some(8)]);
        assert_eq!(whole, expected(text.as_bytes(), true));
        for block_bytes in [1, 3, 7, 16, 40] {
            let sharing = Sharing {
                workers: 3,
                block_bytes,
            };
            assert_eq!(read(text, sharing, true), whole, "blocks of {block_bytes}");
        }
    }

    /// Random quote-free files (blank lines, CRLF, spaces, repeats, bad rows), sometimes
    /// with a quote, a lone `\r`, a Chinese character or invalid UTF-8 somewhere.
    fn file() -> impl Strategy<Value = Vec<u8>> {
        let row = (0u8..4, 0u8..3, 0u8..8, any::<bool>()).prop_map(|(a, b, shape, crlf)| {
            let end = if crlf { "\r\n" } else { "\n" };
            match shape {
                0 => end.to_string(),
                1 if a == 0 => format!(",{b},{end}"),
                1 => format!("v{a}{end}"),
                2 => format!("bad,{b},1{end}"),
                3 => format!(" v{a} ,{b}, {end}"),
                _ => format!("v{a},{b},{}{end}", a + b),
            }
        });
        (
            prop::collection::vec(row, 0..60),
            prop::option::of((
                any::<prop::sample::Index>(),
                // A quote, a lone CR, a byte never in UTF-8, a Chinese character, and the
                // same character cut short (invalid).
                prop::sample::select(vec![
                    &b"\""[..],
                    b"\r",
                    b"\xFF",
                    "华".as_bytes(),
                    &"华".as_bytes()[..2],
                ]),
            )),
        )
            .prop_map(|(rows, insert)| {
                let mut text = format!("a,b,c\n{}", rows.concat()).into_bytes();
                if let Some((at, bytes)) = insert {
                    // The character goes in after the header: in it, it would rename a
                    // column, which is the header's business, not this test's.
                    let after = if bytes.len() == 3 { "a,b,c\n".len() } else { 0 };
                    let at = after + at.index(text.len() - after + 1);
                    text.splice(at..at, bytes.iter().copied());
                }
                text
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn any_sharing_reads_what_a_plain_line_by_line_reading_finds(
            text in file(),
            workers in 1usize..4,
            // Small blocks cut lines everywhere; larger ones take the 64-byte masks.
            block_bytes in prop_oneof![1usize..64, 64usize..600],
            dedupe in any::<bool>(),
        ) {
            let sharing = Sharing { workers, block_bytes };
            prop_assert_eq!(read(&text, sharing, dedupe), expected(&text, dedupe));
        }
    }
}
