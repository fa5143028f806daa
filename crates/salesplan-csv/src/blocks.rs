//! Sharing a file out in blocks: how many workers and how large a block ([`Sharing`]),
//! and the feed that hands blocks of whole lines out in file order ([`Feed`]).

use std::fs::File;
use std::io;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::lines::MAX_RECORD_BYTES;

/// How a file is shared out: worker threads and the size of a block.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sharing {
    pub(crate) workers: usize,
    pub(crate) block_bytes: usize,
}

/// Bytes per block: large enough that handing blocks out and taking turns cost nothing
/// (256 KiB measured ~3 % slower at 1M rows), small enough to stay in a core's L2 cache
/// between cutting and parsing.
const BLOCK_BYTES: usize = 512 << 10;

/// At most this many workers, however many cores.
const MAX_WORKERS: usize = 8;

impl Sharing {
    /// One worker per core for files of several blocks; one for smaller files. `workers`
    /// overrides the count for every file (the tests force several on any machine).
    pub(crate) fn for_file(file_bytes: u64, workers: Option<NonZeroUsize>) -> Self {
        let workers = match workers {
            Some(n) => n.get(),
            None if file_bytes > 4 * BLOCK_BYTES as u64 => {
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                cores.min(MAX_WORKERS)
            }
            None => 1,
        };
        Sharing {
            workers,
            block_bytes: BLOCK_BYTES,
        }
    }
}

/// How many workers read a file of `file_bytes` bytes with these options (for logs).
pub fn workers_for(file_bytes: u64, workers: Option<NonZeroUsize>) -> usize {
    Sharing::for_file(file_bytes, workers).workers
}

/// Hands out blocks in file order, each read by the worker that takes it: block `k` is
/// the lines that start in the `k`-th stretch of `size` bytes after the header, whole
/// (the last one read on past the stretch to its line break). Taking a block is one
/// atomic increment; the reads themselves (`pread`) run side by side.
pub(crate) struct Feed<'a> {
    pub(crate) input: &'a File,
    /// Where the records start (after the header), and the file's length.
    pub(crate) start: u64,
    pub(crate) end: u64,
    pub(crate) size: u64,
    /// The next block's number.
    pub(crate) next: AtomicU64,
    pub(crate) progress: &'a (dyn Fn(u64) + Sync),
}

/// A block taken from the feed: `buf[begin..begin + len]`.
pub(crate) struct Block {
    pub(crate) index: u64,
    /// The file offset of its first byte.
    pub(crate) offset: u64,
    pub(crate) begin: usize,
    pub(crate) len: usize,
    /// Reading failed after this block.
    pub(crate) read_error: Option<String>,
}

impl Feed<'_> {
    /// Reads the next block into `buf` (whose bytes are zeroed only when it grows);
    /// `None` after the end of the file.
    pub(crate) fn take(&self, buf: &mut Vec<u8>) -> Option<Block> {
        let index = self.next.fetch_add(1, Ordering::Relaxed);
        let from = self.start.checked_add(index.checked_mul(self.size)?)?;
        if from >= self.end {
            return None;
        }
        let to = from.saturating_add(self.size).min(self.end);
        (self.progress)(to - from);
        // `buf[i]` is byte `base + i`; for blocks after the first, the byte before the
        // stretch tells whether a line starts at its first byte.
        let base = if index == 0 { from } else { from - 1 };
        let stretch = (to - base) as usize;
        let mut block = Block {
            index,
            offset: base,
            begin: 0,
            len: 0,
            read_error: None,
        };
        let mut filled = 0;
        if let Err(e) = self.read(buf, &mut filled, base, to) {
            block.read_error = Some(format!("cannot read the file: {e}"));
            return Some(block);
        }
        // The first line start in the stretch: after a line break at byte from - 1 up to
        // byte to - 2 (a break at to - 1 starts the next block's first line).
        let begin = if index == 0 {
            0
        } else {
            match memchr::memchr(b'\n', &buf[..filled.min(stretch - 1)]) {
                Some(nl) => nl + 1,
                None => return Some(block), // a long line crosses the whole stretch
            }
        };
        // The last line that starts in the stretch ends at the first line break from
        // byte to - 1 on: read on until there is one (or the end of the file, or a line
        // longer than any record may be, which the worker then reports).
        let mut end = None;
        let mut searched = stretch.min(filled).saturating_sub(1).max(begin);
        let mut at = base + filled as u64;
        loop {
            if let Some(nl) = memchr::memchr(b'\n', &buf[searched..filled]) {
                end = Some(searched + nl + 1);
                break;
            }
            searched = filled;
            if at >= self.end || (filled - begin) as u64 > MAX_RECORD_BYTES {
                break;
            }
            let upto = at.saturating_add(64 << 10).min(self.end);
            if let Err(e) = self.read(buf, &mut filled, at, upto) {
                block.read_error = Some(format!("cannot read the file: {e}"));
                // The unfinished last line is dropped; the error follows the lines before.
                end = Some(
                    memchr::memrchr(b'\n', &buf[begin..searched])
                        .map_or(begin, |nl| begin + nl + 1),
                );
                break;
            }
            if base + filled as u64 == at {
                break; // the file got shorter
            }
            at = base + filled as u64;
        }
        block.begin = begin;
        block.offset = base + begin as u64;
        block.len = end.unwrap_or(filled) - begin;
        Some(block)
    }

    /// Reads `[from, to)` of the file into `buf[*filled..]`, advancing `filled` (less
    /// when the file is shorter).
    fn read(&self, buf: &mut Vec<u8>, filled: &mut usize, from: u64, to: u64) -> io::Result<()> {
        let want = (to - from) as usize;
        if buf.len() < *filled + want {
            buf.resize(*filled + want, 0);
        }
        let mut done = 0;
        while done < want {
            match read_at(
                self.input,
                &mut buf[*filled + done..*filled + want],
                from + done as u64,
            ) {
                Ok(0) => break,
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        *filled += done;
        Ok(())
    }
}

/// A positioned read, which leaves the file's own offset alone (so threads can share it).
#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}
