//! What a dataset does with its rows. Every sink parses and aggregates ([`Sink`]); two
//! opt-in traits let the engine read with more than one thread:
//!
//! - [`ForkJoin`]: chunks of a file are aggregated into forks side by side and joined in
//!   file order (the result is a one-thread read's) — [`crate::read_dataset_forked`];
//! - [`AnyOrder`]: a result that depends neither on row order nor on duplicates (such as
//!   the latest date): a large file is read in two halves at once, and the quick scans
//!   may skip rows by one column — [`crate::read_dataset_any_order`], [`crate::scan_ends`],
//!   [`crate::scan_unquoted`].

use crate::schema::{CellError, Row};

/// Parses one dataset's rows into its typed form and aggregates the valid, unique ones.
pub trait Sink: Send {
    type Parsed<'r>;

    /// Parses a row; an error makes the row invalid (reported, counted, excluded).
    fn parse<'r>(&mut self, row: &Row<'r>) -> Result<Self::Parsed<'r>, CellError>;

    /// Aggregates a valid row that is not a duplicate.
    fn accept(&mut self, parsed: Self::Parsed<'_>);

    /// The sink has seen enough to know its result is of no use (a guess it was given
    /// proved wrong): reading may stop at any point, and the caller reads again.
    fn gave_up(&self) -> bool {
        false
    }
}

/// A sink that several threads can fill at once, each with some chunks of a file.
pub trait ForkJoin: Sink + Sized {
    /// An empty sink with the same options.
    fn fork(&self) -> Self;

    /// The rows that follow come from chunk `chunk`. Chunks are numbered in file order
    /// across a dataset's files, and one sink sees its chunks in increasing order.
    fn begin_chunk(&mut self, chunk: u64);

    /// Adds what a fork gathered from other chunks: the result must be what this sink
    /// would hold had it read every chunk itself, in order.
    fn join(&mut self, other: Self);
}

/// A sink whose result depends neither on the order of the rows nor on duplicates.
pub trait AnyOrder: Sink + Sized {
    /// An empty sink for the second half of a large file, read at the same time.
    fn split(&self) -> Self;

    /// Adds what a sink from [`AnyOrder::split`] gathered.
    fn merge(&mut self, second_half: Self);

    /// For the quick scans: a schema column whose value alone can show that a row does
    /// not matter to this sink (see [`AnyOrder::skip_by_key`]).
    fn quick_key(&self) -> Option<usize> {
        None
    }

    /// Whether a row whose `quick_key` column holds `value` (trimmed) can be skipped
    /// without reading the rest of it.
    fn skip_by_key(&self, _value: &str) -> bool {
        false
    }
}

/// How the readers may share a sink out: the one place the opt-in traits meet the
/// readers, which are generic over it.
pub(crate) trait Protocol<S>: Copy + Send + Sync {
    fn fork(self, _sink: &S) -> Option<S> {
        None
    }
    fn begin_chunk(self, _sink: &mut S, _chunk: u64) {}
    fn join(self, _sink: &mut S, _other: S) {}
    fn split(self, _sink: &S) -> Option<S> {
        None
    }
    fn merge(self, _sink: &mut S, _other: S) {}
}

/// Every row parsed by one thread, in file order.
#[derive(Clone, Copy)]
pub(crate) struct InOrder;

impl<S: Sink> Protocol<S> for InOrder {}

/// Chunks aggregated into forks (see [`ForkJoin`]).
#[derive(Clone, Copy)]
pub(crate) struct Forked;

impl<S: ForkJoin> Protocol<S> for Forked {
    fn fork(self, sink: &S) -> Option<S> {
        Some(sink.fork())
    }
    fn begin_chunk(self, sink: &mut S, chunk: u64) {
        sink.begin_chunk(chunk);
    }
    fn join(self, sink: &mut S, other: S) {
        sink.join(other);
    }
}

/// Halves read at once (see [`AnyOrder`]).
#[derive(Clone, Copy)]
pub(crate) struct Unordered;

impl<S: AnyOrder> Protocol<S> for Unordered {
    fn split(self, sink: &S) -> Option<S> {
        Some(sink.split())
    }
    fn merge(self, sink: &mut S, other: S) {
        sink.merge(other);
    }
}
