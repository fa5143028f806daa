//! Physical line numbers for CSV records. The csv crate's own line count drifts on CRLF
//! files and after blank lines (its byte offset may point at the blank lines or the `\n`
//! before a record), so the decoded stream is watched as it passes: every line end is
//! noted with whether the line had content, and a record's line is the first line at or
//! after its byte offset that has content.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::rc::Rc;

/// Line ends seen but not yet passed by a record.
#[derive(Debug, Default)]
pub struct LineIndex {
    /// (offset of the `\n`, offset of the last content byte of the line, if any).
    ends: VecDeque<(u64, Option<u64>)>,
    /// Lines fully before the last record looked up.
    passed: u64,
    /// Where the record being read starts (the end of the last one read).
    record_start: u64,
}

/// The longest record read: beyond it the file is refused, so an unclosed quote in a large
/// file, or a file that is not CSV, costs bounded memory.
pub const MAX_RECORD_BYTES: u64 = 16 << 20;

impl LineIndex {
    /// An index for a stream that starts after `lines` whole lines of its file.
    pub fn starting_after(lines: u64) -> Self {
        LineIndex {
            passed: lines,
            ..LineIndex::default()
        }
    }

    /// The reader finished a record; the next one starts at `byte`.
    pub fn record_read_to(&mut self, byte: u64) {
        self.record_start = byte;
    }

    /// Lines fully before the last record looked up.
    pub fn passed(&self) -> u64 {
        self.passed
    }

    /// The 1-based line of the first content byte at or after `byte`.
    pub fn line_of(&mut self, byte: u64) -> u64 {
        while let Some(&(end, last_content)) = self.ends.front() {
            let ends_before = end < byte;
            let blank_from_here = last_content.is_none_or(|c| c < byte);
            if ends_before || blank_from_here {
                self.ends.pop_front();
                self.passed += 1;
            } else {
                break;
            }
        }
        self.passed + 1
    }

    /// Lines ending after `byte` that were already read: how far a record reaches.
    pub fn lines_read_after(&self, byte: u64) -> u64 {
        self.ends.iter().filter(|(end, _)| *end >= byte).count() as u64
    }
}

/// A reader that records line ends into a shared [`LineIndex`] as bytes pass through.
pub struct Tracked<R> {
    inner: R,
    offset: u64,
    last_content: Option<u64>,
    index: Rc<RefCell<LineIndex>>,
}

impl<R: Read> Tracked<R> {
    pub fn new(inner: R, index: Rc<RefCell<LineIndex>>) -> Self {
        Tracked {
            inner,
            offset: 0,
            last_content: None,
            index,
        }
    }
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut index = self.index.borrow_mut();
        // Read-ahead stays within one buffer of the record start; more means one record
        // has grown past the limit.
        if self.offset.saturating_sub(index.record_start) > MAX_RECORD_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "a record longer than {} MiB starts here (a quote that is never closed, or not a CSV file?)",
                    MAX_RECORD_BYTES >> 20
                ),
            ));
        }
        let n = self.inner.read(buf)?;
        let data = &buf[..n];
        // The last byte of a segment that is not `\r` is the line's last content so far.
        let last_content_in = |segment: &[u8]| segment.iter().rposition(|&b| b != b'\r');
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', data) {
            if let Some(c) = last_content_in(&data[start..end]) {
                self.last_content = Some(self.offset + (start + c) as u64);
            }
            index
                .ends
                .push_back((self.offset + end as u64, self.last_content.take()));
            start = end + 1;
        }
        if let Some(c) = last_content_in(&data[start..]) {
            self.last_content = Some(self.offset + (start + c) as u64);
        }
        self.offset += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (first field, physical line) of every record csv reads from `data`.
    fn lines(data: &str) -> Vec<(String, u64)> {
        let whole = lines_read_by(data.as_bytes());
        // Reads that end anywhere (mid-line, between `\r` and `\n`) give the same lines.
        let bytewise = lines_read_by(OneByte(data.as_bytes()));
        assert_eq!(whole, bytewise, "line numbers independent of read sizes");
        whole
    }

    /// Hands out one byte per read.
    struct OneByte<'a>(&'a [u8]);

    impl Read for OneByte<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((&b, rest)), Some(slot)) => {
                    *slot = b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    fn lines_read_by(data: impl Read) -> Vec<(String, u64)> {
        let index = Rc::new(RefCell::new(LineIndex::default()));
        let reader = Tracked::new(data, Rc::clone(&index));
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(reader);
        let mut record = csv::StringRecord::new();
        let mut out = Vec::new();
        while csv.read_record(&mut record).unwrap() {
            let byte = record.position().unwrap().byte();
            out.push((record[0].to_string(), index.borrow_mut().line_of(byte)));
        }
        out
    }

    fn expect(pairs: &[(&str, u64)]) -> Vec<(String, u64)> {
        pairs.iter().map(|(s, l)| (s.to_string(), *l)).collect()
    }

    #[test]
    fn blank_lines_are_counted() {
        // a,b / 1,2 / (blank) / 3,4 / (blank) / (blank) / 5,6
        assert_eq!(
            lines("a,b\n1,2\n\n3,4\n\n\n5,6\n"),
            expect(&[("a", 1), ("1", 2), ("3", 4), ("5", 7)])
        );
    }

    #[test]
    fn crlf_files_are_counted() {
        assert_eq!(
            lines("a,b\r\n1,2\r\n\r\n3,4\r\n\r\n\r\n5,6\r\n"),
            expect(&[("a", 1), ("1", 2), ("3", 4), ("5", 7)])
        );
        assert_eq!(
            lines("a,b\r\n1,2\r\n3,4"),
            expect(&[("a", 1), ("1", 2), ("3", 3)])
        );
    }

    #[test]
    fn quoted_newlines_belong_to_their_record() {
        // The second record spans lines 2-3; the next starts on line 4.
        assert_eq!(
            lines("a,b\n\"x\ny\",2\n3,4\n"),
            expect(&[("a", 1), ("x\ny", 2), ("3", 4)])
        );
    }
}
