//! salesplan's CSV engine: reads a dataset's files (UTF-8 with or without a BOM, GBK,
//! GB18030; any one-byte delimiter; quoted values; CRLF) into a caller's [`Sink`], one
//! row at a time, with physical line numbers, trimming, field-count checks, duplicate
//! removal and located [`Diagnostic`]s. Nothing holds a whole file.
//!
//! # Using it
//!
//! A dataset is an [`Input`]: its files, its [`Options`], its [`Schema`] (the columns
//! its sink indexes) and a progress callback. A [`Sink`] parses each [`Row`] into its own
//! typed form and aggregates the valid, unique ones; [`read_dataset`] returns the
//! [`RowCounts`] and appends what it found to a [`Report`]. Two opt-in traits let it use
//! more threads with the same outcome: [`ForkJoin`] ([`read_dataset_forked`]) and
//! [`AnyOrder`] ([`read_dataset_any_order`], and the quick [`scan_ends`] and
//! [`scan_unquoted`]).
//!
//! # How it reads
//!
//! - `blocks.rs`: a UTF-8 file is shared out in blocks of whole lines (512 KiB after the
//!   header, read by positioned reads), one worker per core, or [`Options::workers`].
//! - `workers.rs`: each worker cuts its blocks into records and fields (`cut.rs`), checks
//!   UTF-8, fingerprints (`fingerprint.rs`), parses and aggregates into its own fork; each
//!   block's turn at the duplicate table (`duplicates.rs`) and at the line count is taken
//!   in file order, and the forks are joined at the end, so the outcome is a one-thread
//!   read's.
//! - `pipeline.rs`: from the first line the block reader cannot cut (a quote, a lone CR)
//!   and for GBK/GB18030 (`decode.rs`), one thread decodes and splits records with the
//!   `csv` crate (`lines.rs` numbers them) while the calling thread parses them in order.
//! - `scan.rs`: the quick scans for the latest date.
//!
//! # `unsafe`
//!
//! Three blocks remain, each kept for a gain measured with `scripts/bench` (two cores,
//! the build with and without it alternating) and described at its place: the SSE2 masks
//! of `cut.rs` (20–25 %), the prefetch of the duplicate table (4–8 %) in
//! `duplicates.rs`, and the huge pages of large tables in `memory.rs` (3–4 % for the
//! duplicate table). The salesplan crate's customer table asks for them too; that use was
//! not measured apart from the session-6 customer changes it came with. A field's bounds used to skip the UTF-8 check
//! (`from_utf8_unchecked`); `str::get` checks the two character boundaries instead, and
//! was measured no slower (the difference was within the noise, 3 % in its favour).
//! The salesplan crate itself forbids `unsafe`.

mod blocks;
mod cut;
mod dataset;
mod decode;
mod diagnostic;
mod duplicates;
mod fingerprint;
mod lines;
pub mod memory;
mod options;
mod pipeline;
mod scan;
mod schema;
mod sink;
mod workers;

pub use blocks::workers_for;
pub use dataset::{
    read_dataset, read_dataset_any_order, read_dataset_forked, DataFile, Input, RowCounts,
};
pub use diagnostic::{Diagnostic, Location, Report, Severity};
pub use options::{Delimiter, DelimiterError, Encoding, Options};
pub use scan::{scan_ends, scan_unquoted};
pub use schema::{CellError, ColumnDef, Row, Schema};
pub use sink::{AnyOrder, ForkJoin, Sink};
