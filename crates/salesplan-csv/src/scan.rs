//! The quick pass for sinks that look at few rows closely (the latest date).

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use crate::cut::lines_of;
use crate::dataset::Input;
use crate::diagnostic::Report;
use crate::lines::MAX_RECORD_BYTES;
use crate::options::{Encoding, Options};
use crate::pipeline::split_point;
use crate::schema::{map_header, Row, Schema};
use crate::sink::AnyOrder;

/// A quick pass for sinks that look at few rows closely (the latest date): files are read
/// in large blocks and cut at line breaks and delimiters, without a CSV state machine or a
/// second thread. It applies only where that cut is exact: UTF-8 text without any `"`.
/// `None` as soon as a file does not qualify (the caller then uses [`crate::read_dataset_any_order`]);
/// diagnostics are not collected: the real pass reports every problem.
pub fn scan_unquoted<S: AnyOrder>(input: &Input, sink: &mut S) -> Option<()> {
    let (options, schema) = scannable(input)?;
    for file in input.files {
        scan_file(&file.path, &file.name, options, schema, sink)?;
    }
    Some(())
}

/// How much of each end of a file [`scan_ends`] reads.
const END_BYTES: u64 = 64 << 10;

/// The quick scan of only the first and last 64 KiB of every file: where a file sorted by
/// date (either way) keeps its latest date. What it finds is a guess, for the caller to
/// check against the full pass. `None` where [`scan_unquoted`] would be.
pub fn scan_ends<S: AnyOrder>(input: &Input, sink: &mut S) -> Option<()> {
    let (options, schema) = scannable(input)?;
    let delimiter = options.delimiter.byte();
    for file in input.files {
        let path = file.path.as_path();
        let header = scan_header(path, &file.name, options, schema)?;
        let len = std::fs::metadata(path).ok()?.len();
        let head_end = (header.end + END_BYTES).min(len);
        scan_range(path, header.end, head_end, &header, delimiter, sink)?;
        let tail = len.saturating_sub(END_BYTES).max(head_end);
        if tail < len {
            let start = next_line_start(path, tail)?;
            scan_range(path, start, len, &header, delimiter, sink)?;
        }
    }
    Some(())
}

/// The first line start at or after byte `at` (`at` > 0).
fn next_line_start(path: &Path, at: u64) -> Option<u64> {
    use std::io::{Seek, SeekFrom};
    let mut file = File::open(path).ok()?;
    file.seek(SeekFrom::Start(at - 1)).ok()?;
    let mut bytes = Vec::new();
    file.take(MAX_SCAN_LINE as u64)
        .read_to_end(&mut bytes)
        .ok()?;
    let nl = memchr::memchr(b'\n', &bytes)?;
    Some(at + nl as u64)
}

/// The options and schema of a dataset the quick scans can read: UTF-8 files only.
fn scannable<'a>(input: &Input<'a>) -> Option<(&'a Options, &'a Schema)> {
    (input.options.encoding == Encoding::Utf8).then_some((input.options, input.schema))
}

fn scan_file<S: AnyOrder>(
    path: &Path,
    rel: &str,
    options: &Options,
    schema: &Schema,
    sink: &mut S,
) -> Option<()> {
    let delimiter = options.delimiter.byte();
    let header = scan_header(path, rel, options, schema)?;
    let len = std::fs::metadata(path).ok()?.len();
    let split = split_point(path, options.encoding).filter(|at| at.byte > header.end);
    match split {
        Some(at) => {
            let mut second = sink.split();
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
        None => scan_range(path, header.end, len, &header, delimiter, sink),
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
fn scan_header(path: &Path, rel: &str, options: &Options, schema: &Schema) -> Option<ScanHeader> {
    let delimiter = options.delimiter.byte();
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
        let mut ignored = Report::default();
        let positions = map_header(&names, options, schema, rel, 1, &mut ignored)?;
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
fn scan_range<S: AnyOrder>(
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
    let mut bounds: Vec<u32> = Vec::with_capacity(64);
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
        for line in lines_of(&block[..upto]) {
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
            bounds.extend(memchr::memchr_iter(delimiter, line.as_bytes()).map(|at| at as u32 + 1));
            bounds.push(line.len() as u32 + 1);
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
