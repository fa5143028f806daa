//! The CSV reader, for what the chunked reader ([`crate::workers`]) cannot cut at line
//! breaks: legacy encodings, quoted values, lone `\r`. One thread decodes, splits,
//! line-numbers, checks and de-duplicates records and hands them over in batches; the
//! calling thread parses and aggregates them in file order, so the outcome is that of a
//! one-thread read. Sinks that do not care about order may have a large file read in two
//! halves at once.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::ops::Range;
use std::path::Path;
use std::rc::Rc;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};

use crate::blocks::Sharing;
use crate::dataset::{DataFile, Input, ReadState, LISTED_INVALID_ROWS};
use crate::decode::{SkipBom, Transcode};
use crate::diagnostic::{Location, Report};
use crate::duplicates::FingerprintTable;
use crate::fingerprint::Fingerprinter;
use crate::lines::{LineIndex, Tracked};
use crate::options::{Encoding, Options};
use crate::schema::{map_header, CellError, Row, Schema};
use crate::sink::{Protocol, Sink};
use crate::workers;

/// Reads one file of a dataset: with the block reader while it can cut at line breaks,
/// with the CSV reader from where it cannot.
pub(crate) fn read_file<S: Sink, P: Protocol<S>>(
    input: &Input,
    DataFile { path, name: rel }: &DataFile,
    sink: &mut S,
    protocol: P,
    state: &mut ReadState,
    seen: Option<&mut FingerprintTable>,
    diags: &mut Report,
) -> Option<()> {
    let (options, schema, progress) = (input.options, input.schema, input.progress);
    let delimiter = options.delimiter.byte();
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
        // Line 1, where the header was expected, as other header errors say.
        diags.error(
            Location::line(rel.clone(), 1, None),
            "the file is empty (0 bytes): expected a header row".to_string(),
        );
        return None;
    }
    state.rows_in_file = 0;
    let file_bytes = file.metadata().map_or(0, |m| m.len());
    let mut seen = seen;
    let mut range = None;
    if options.encoding == Encoding::Utf8 {
        let job = workers::FileJob {
            file: &file,
            rel,
            options,
            schema,
            delimiter,
            progress,
        };
        let sharing = Sharing::for_file(file_bytes, options.workers);
        let outcome = workers::read_file(
            &job,
            sharing,
            sink,
            protocol,
            state,
            seen.as_deref_mut(),
            diags,
        );
        match outcome {
            workers::Outcome::Done(result) => return result,
            workers::Outcome::HandOver { byte, lines_before } => {
                range = Some(SplitAt {
                    byte,
                    end: file_bytes.max(byte),
                    lines_before,
                });
            }
            workers::Outcome::Declined => {}
        }
    }
    // The CSV reader, for the whole file or from where the chunked reader stopped.
    protocol.begin_chunk(sink, state.next_chunk);
    state.next_chunk += 1;
    let source = RecordSource {
        encoding: options.encoding,
        delimiter,
        range,
    };
    // The chunked reader may have read the header: start from the top.
    let mut file = file;
    if let Err(e) = io::Seek::rewind(&mut file) {
        diags.error(Location::file(rel), format!("cannot read the file: {e}"));
        return None;
    }
    if range.is_some() {
        return pipeline(
            source, file, options, schema, rel, sink, state, seen, progress, diags,
        );
    }
    if let Some(mut second_sink) = protocol.split(sink).filter(|_| !state.dedupe) {
        if let Some(at) = split_point(path, options.encoding) {
            // Two halves at once; the second half's diagnostics follow the first's.
            let mut second_state = ReadState::new(false);
            let mut second_diags = Report::default();
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
                        options,
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
                    first, file, options, schema, rel, sink, state, None, progress, diags,
                );
                (first_ok, second.join().ok().flatten())
            });
            protocol.merge(sink, second_sink);
            state.absorb(&second_state);
            diags.extend(second_diags);
            return first_ok.and(second_ok);
        }
    }
    pipeline(
        source, file, options, schema, rel, sink, state, seen, progress, diags,
    )
}

/// One thread reads, decodes, splits and checks the records (and fingerprints them); this
/// one parses and aggregates them, in file order, so the outcome is the same as reading on
/// one thread.
#[allow(clippy::too_many_arguments)]
fn pipeline<S: Sink>(
    source: RecordSource,
    file: File,
    options: &Options,
    schema: &Schema,
    rel: &str,
    sink: &mut S,
    state: &mut ReadState,
    seen: Option<&mut FingerprintTable>,
    progress: &(dyn Fn(u64) + Sync),
    diags: &mut Report,
) -> Option<()> {
    let (to_parser, from_reader) = mpsc::sync_channel::<Message>(4);
    let (recycle, recycled) = mpsc::channel::<Batch>();
    let file_bytes = match source.range {
        Some(range) => range.end - range.byte,
        None => file.metadata().map_or(0, |m| m.len()),
    };
    std::thread::scope(|scope| {
        let reading = progress;
        let first_header = state.first_header.clone();
        let dedupe =
            seen.map(|seen| Dedupe::new(seen, file_bytes + state.bytes_after, first_header));
        scope.spawn(move || source.run(file, reading, to_parser, recycled, dedupe));
        parse_records(
            options,
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
pub(crate) struct SplitAt {
    pub(crate) byte: u64,
    /// Where this piece ends (exclusive); the second half runs to the end of the file.
    end: u64,
    /// Line breaks before `byte`.
    lines_before: u64,
}

/// `None` for small files, legacy encodings (decoded as a stream) and files whose second
/// half has no line break outside quotes.
pub(crate) fn split_point(path: &Path, encoding: Encoding) -> Option<SplitAt> {
    split_point_from(path, encoding, SPLIT_MIN_BYTES)
}

fn split_point_from(path: &Path, encoding: Encoding, min_bytes: u64) -> Option<SplitAt> {
    if encoding != Encoding::Utf8 {
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
fn parse_records<S: Sink>(
    options: &Options,
    schema: &Schema,
    rel: &str,
    sink: &mut S,
    state: &mut ReadState,
    diags: &mut Report,
    from_reader: Receiver<Message>,
    recycle: Sender<Batch>,
) -> Option<()> {
    let (header, header_line) = match from_reader.recv() {
        Ok(Message::Header { names, line }) => (names, line),
        Ok(Message::Error { line, message }) => {
            diags.error(Location::line(rel, line, None), message);
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
    let positions = map_header(&header, options, schema, rel, header_line, diags)?;
    state.first_header.get_or_insert(header.clone());

    let mut ok = true;
    // A record that failed and holds a line break may be an unclosed quote.
    let mut open_quote: Option<(u64, u64)> = None;
    for message in from_reader.iter() {
        let batch = match message {
            Message::Batch(batch) => batch,
            Message::Error { line, message } => {
                diags.error(Location::line(rel, line.max(1), None), message);
                ok = false;
                break;
            }
            Message::Header { .. } | Message::NoHeader => break,
        };
        for record in &batch.records {
            state.rows_in_file += 1;
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
                    gap: batch.gap,
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
                            .map(|c| options.column_label(&schema.columns[c].name));
                        diags.warning(
                            Location::line(rel, line, column),
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
        if sink.gave_up() {
            break;
        }
    }
    if let Some((line, spanned)) = open_quote.filter(|&(_, spanned)| spanned > 1) {
        // The last record swallowed the rest of the file: a quote was never closed.
        diags.error(
            Location::line(rel, line, None),
            format!("a quoted value that starts on this line is never closed: it swallowed the last {spanned} lines of the file"),
        );
        ok = false;
    }
    if ok && state.rows_in_file == 0 && state.counts.rows_read > 0 {
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

/// Records handed over together: their fields as one text, cut at `bounds` (field `i` of
/// a record is `text[bounds[i]..bounds[i + 1] - gap]`).
#[derive(Default)]
struct Batch {
    text: String,
    bounds: Vec<u32>,
    /// 0: fields concatenated (CSV reader); 1: whole lines, delimiters kept (fast path).
    gap: usize,
    records: Vec<RecordInfo>,
}

impl Batch {
    /// An empty batch, reusing one the parser handed back when there is one.
    fn next(recycled: &Receiver<Batch>, gap: usize) -> Batch {
        let mut batch = recycled.try_recv().unwrap_or_default();
        batch.text.clear();
        batch.bounds.clear();
        batch.records.clear();
        batch.gap = gap;
        batch
    }

    fn is_full(&self) -> bool {
        self.records.len() == BATCH_RECORDS || self.text.len() >= BATCH_BYTES
    }
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

pub(crate) const NOT_UTF8: &str = "the file is not valid UTF-8; if it was saved by Excel in Chinese, add `encoding: gbk` (or `gb18030`) to this dataset in content/plan.yaml";

impl RecordSource {
    fn run(
        self,
        file: File,
        progress: &(dyn Fn(u64) + Sync),
        to_parser: SyncSender<Message>,
        recycled: Receiver<Batch>,
        mut dedupe: Option<Dedupe>,
    ) {
        let Some(range) = self.range else {
            let file = Counted::new(file, progress);
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
        // A piece of a UTF-8 file: a half (see `split_point`), or the rest after the
        // chunked reader handed over.
        let mut file = file;
        let mut fingerprinter = None;
        if range.byte > 0 {
            // The header comes from the start of the file.
            let head = SkipBom::new(BufReader::with_capacity(1 << 14, &file));
            fingerprinter = self.read(
                Box::new(head),
                LineIndex::default(),
                Part::HeaderOnly,
                &to_parser,
                &recycled,
                dedupe.as_mut(),
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
        let piece = Counted::new(file.take(range.end - range.byte), progress);
        let buffered = BufReader::with_capacity(1 << 16, piece);
        if range.byte == 0 {
            let decoded = Box::new(SkipBom::new(buffered));
            self.read(
                decoded,
                LineIndex::default(),
                Part::Whole,
                &to_parser,
                &recycled,
                dedupe.as_mut(),
            );
        } else {
            let index = LineIndex::starting_after(range.lines_before);
            self.read(
                Box::new(buffered),
                index,
                Part::RecordsOnly(fingerprinter),
                &to_parser,
                &recycled,
                dedupe.as_mut(),
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
    ) -> Option<Fingerprinter> {
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
        let header_only = matches!(part, Part::HeaderOnly);
        let (reads_header, mut fingerprinter) = match part {
            Part::RecordsOnly(fingerprinter) => (false, fingerprinter),
            Part::Whole | Part::HeaderOnly => (true, None),
        };
        let mut last_line = lines.borrow().passed();
        if reads_header {
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
                return None;
            };
            if let Some(d) = dedupe.as_deref() {
                fingerprinter = Some(d.fingerprinter(names, self.delimiter));
            }
            last_line = *line;
            if to_parser.send(header).is_err() {
                return None;
            }
            if header_only {
                return fingerprinter;
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
                    return None;
                }
                if let Some(error) = error {
                    let _ = to_parser.send(error);
                }
                return None;
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
                    return None;
                }
                let _ = to_parser.send(Message::Error {
                    line,
                    message: NOT_UTF8.to_string(),
                });
                return None;
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
            batch.bounds.extend(
                (0..record.len()).map(|i| (base + record.range(i).map_or(0, |r| r.start)) as u32),
            );
            batch.bounds.push((base + text.len()) as u32);
            batch.records.push(RecordInfo {
                bounds: first..batch.bounds.len(),
                line,
                duplicate: false,
                spanned,
            });
            if let (Some(f), Some(d)) = (fingerprinter.as_mut(), dedupe.as_deref_mut()) {
                d.pending.push(f.of_record(&record));
            }
            if batch.is_full() {
                if let Some(d) = dedupe.as_deref_mut() {
                    d.mark(&mut batch);
                }
                let full = std::mem::replace(&mut batch, Batch::next(recycled, 0));
                if to_parser.send(Message::Batch(full)).is_err() {
                    return None;
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
    /// The dataset's first header (see [`Fingerprinter`]); `None`: this file's is.
    first_header: Option<Vec<String>>,
}

impl<'a> Dedupe<'a> {
    fn new(
        seen: &'a mut FingerprintTable,
        file_bytes: u64,
        first_header: Option<Vec<String>>,
    ) -> Self {
        Dedupe {
            seen,
            pending: Vec::with_capacity(BATCH_RECORDS),
            file_bytes,
            first_header,
        }
    }

    fn fingerprinter(&self, header: &[String], delimiter: u8) -> Fingerprinter {
        let first = self.first_header.as_deref().unwrap_or(header);
        Fingerprinter::new(header, first, delimiter)
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

/// A reader that reports the bytes it reads as progress.
struct Counted<'p, R> {
    inner: R,
    progress: &'p (dyn Fn(u64) + Sync),
}

impl<'p, R: Read> Counted<'p, R> {
    fn new(inner: R, progress: &'p (dyn Fn(u64) + Sync)) -> Self {
        Counted { inner, progress }
    }
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.progress)(n as u64);
        Ok(n)
    }
}

/// Which part of a stream [`RecordSource::read`] reads.
enum Part {
    /// The header, then every record.
    Whole,
    /// The header alone (the second half of a split file takes it from the start).
    HeaderOnly,
    /// Records only, from the middle of a file, fingerprinted (when duplicates are
    /// removed) by the fingerprinter of the part that read the header.
    RecordsOnly(Option<Fingerprinter>),
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
        let at = split_point_from(&path, Encoding::Utf8, 1).expect("a split");
        assert_eq!(&text[at.byte as usize..], "3,b\n4,c\n");
        // Line breaks before it: after h1, after line 2, the two quoted ones, after line 3.
        assert_eq!(at.lines_before, 5);
        assert_eq!(at.end, text.len() as u64);
        // Legacy encodings and small files are read whole.
        assert!(split_point_from(&path, Encoding::Gbk, 1).is_none());
        assert!(split_point_from(&path, Encoding::Utf8, 1 << 20).is_none());
    }
}
