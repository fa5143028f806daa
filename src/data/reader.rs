//! The plan's side of reading a dataset (FORMAT.md §3, §4, §9): its files resolved from
//! `path` (a glob's matches in name order, all inside ROOT), its options checked against
//! plan.yaml with located errors, a progress bar on a terminal — then the CSV engine
//! (`crates/salesplan-csv`) reads, and what it found becomes the build's diagnostics.

use std::io::{self, IsTerminal};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use salesplan_csv::{DataFile, Delimiter, Input, Options, Report};

pub use salesplan_csv::{AnyOrder, CellError, ColumnDef, ForkJoin, Row, RowCounts, Schema, Sink};

use crate::diag::{Diagnostics, Location, Severity};
use crate::plan::{DatasetConfig, Encoding};
use crate::yaml::YamlSource;

/// The environment variable that sets how many workers read a large UTF-8 file (1–64;
/// default: one per core, at most 8), so a test can force several on any machine.
pub const WORKERS_VAR: &str = "SALESPLAN_WORKERS";

/// What every read needs to know about the project.
pub struct ReadContext<'a> {
    pub root: &'a Path,
    pub plan_src: &'a YamlSource,
    /// From [`WORKERS_VAR`] (see [`workers_from_env`]).
    pub workers: Option<NonZeroUsize>,
}

/// The worker count [`WORKERS_VAR`] asks for; a value that is not a whole number from 1
/// to 64 is reported and ignored.
pub fn workers_from_env(diags: &mut Diagnostics) -> Option<NonZeroUsize> {
    let value = std::env::var(WORKERS_VAR).ok()?;
    match value.trim().parse::<NonZeroUsize>() {
        Ok(n) if n.get() <= 64 => Some(n),
        _ => {
            diags.push(
                Severity::Warning,
                None,
                format!(
                    "{WORKERS_VAR} must be a whole number from 1 to 64, found `{value}`: ignored"
                ),
            );
            None
        }
    }
}

/// Reads every file of a dataset into `sink` on one parsing thread. Returns `None` after
/// reporting an error that makes the dataset unusable (a bad option, a missing file, a bad
/// header, undecodable text).
pub fn read_dataset<S: Sink>(
    ctx: &ReadContext,
    config: &DatasetConfig,
    schema: &Schema,
    sink: &mut S,
    diags: &mut Diagnostics,
) -> Option<RowCounts> {
    with_input(ctx, config, schema, diags, |input, report| {
        salesplan_csv::read_dataset(input, sink, report)
    })
}

/// [`read_dataset`] for a sink whose forks read blocks side by side.
pub fn read_dataset_forked<S: ForkJoin>(
    ctx: &ReadContext,
    config: &DatasetConfig,
    schema: &Schema,
    sink: &mut S,
    diags: &mut Diagnostics,
) -> Option<RowCounts> {
    with_input(ctx, config, schema, diags, |input, report| {
        salesplan_csv::read_dataset_forked(input, sink, report)
    })
}

/// [`read_dataset`] for a sink that ignores row order and duplicates.
pub fn read_dataset_any_order<S: AnyOrder>(
    ctx: &ReadContext,
    config: &DatasetConfig,
    schema: &Schema,
    sink: &mut S,
    diags: &mut Diagnostics,
) -> Option<RowCounts> {
    with_input(ctx, config, schema, diags, |input, report| {
        salesplan_csv::read_dataset_any_order(input, sink, report)
    })
}

/// The quick scan of whole quote-free UTF-8 files (see [`salesplan_csv::scan_unquoted`]);
/// it reports nothing: the full pass reports every problem once.
pub fn scan_unquoted<S: AnyOrder>(
    ctx: &ReadContext,
    config: &DatasetConfig,
    schema: &Schema,
    sink: &mut S,
) -> Option<()> {
    let mut ignored = Diagnostics::default();
    with_input(ctx, config, schema, &mut ignored, |input, _| {
        salesplan_csv::scan_unquoted(input, sink)
    })
}

/// The quick scan of the two ends of each file (see [`salesplan_csv::scan_ends`]).
pub fn scan_ends<S: AnyOrder>(
    ctx: &ReadContext,
    config: &DatasetConfig,
    schema: &Schema,
    sink: &mut S,
) -> Option<()> {
    let mut ignored = Diagnostics::default();
    with_input(ctx, config, schema, &mut ignored, |input, _| {
        salesplan_csv::scan_ends(input, sink)
    })
}

/// Checks a dataset's options and resolves its files, then runs `read` on them with a
/// progress bar, and turns the engine's report into diagnostics.
fn with_input<T>(
    ctx: &ReadContext,
    config: &DatasetConfig,
    schema: &Schema,
    diags: &mut Diagnostics,
    read: impl FnOnce(&Input, &mut Report) -> Option<T>,
) -> Option<T> {
    let key = format!("datasets.{}", schema.dataset);
    let delimiter = delimiter(config, ctx, &key, diags)?;
    check_date_format(config, ctx, &key, diags)?;
    check_column_mapping(config, schema, ctx, &key, diags)?;
    let files = resolve_files(ctx, config, &key, diags)?;
    let options = Options {
        encoding: match config.encoding {
            Encoding::Utf8 => salesplan_csv::Encoding::Utf8,
            Encoding::Gbk => salesplan_csv::Encoding::Gbk,
            Encoding::Gb18030 => salesplan_csv::Encoding::Gb18030,
        },
        delimiter,
        dedupe: config.dedupe,
        columns: config.columns.clone(),
        workers: ctx.workers,
    };
    let files: Vec<DataFile> = files
        .into_iter()
        .map(|(path, name)| DataFile { path, name })
        .collect();
    let bytes: u64 = files
        .iter()
        .filter_map(|f| f.path.metadata().ok())
        .map(|m| m.len())
        .sum();
    if std::env::var_os("SALESPLAN_LOG").is_some_and(|v| v == "debug") {
        let largest = files
            .iter()
            .filter_map(|f| f.path.metadata().ok())
            .map(|m| m.len())
            .max()
            .unwrap_or(0);
        eprintln!(
            "debug: reading {}: {} file(s), {bytes} bytes, up to {} worker(s)",
            schema.dataset,
            files.len(),
            salesplan_csv::workers_for(largest, ctx.workers)
        );
    }
    let progress = progress_bar(schema.dataset, bytes);
    let advance = |n: u64| progress.inc(n);
    let input = Input {
        files: &files,
        options: &options,
        schema,
        progress: &advance,
    };
    let mut report = Report::default();
    let result = read(&input, &mut report);
    progress.finish_and_clear();
    for found in report {
        let severity = match found.severity {
            salesplan_csv::Severity::Warning => Severity::Warning,
            salesplan_csv::Severity::Error => Severity::Error,
        };
        let location = Location {
            path: found.location.file,
            line: found.location.line.map(|l| l as usize),
            col: None,
            column: found.location.column,
        };
        diags.push(severity, Some(location), found.message);
    }
    result
}

/// The dataset's delimiter: `,` unless set, located at `delimiter:` when it cannot be one.
fn delimiter(
    config: &DatasetConfig,
    ctx: &ReadContext,
    key: &str,
    diags: &mut Diagnostics,
) -> Option<Delimiter> {
    let Some(text) = config.delimiter.as_deref() else {
        return Some(Delimiter::COMMA);
    };
    match Delimiter::parse(text) {
        Ok(delimiter) => Some(delimiter),
        Err(e) => {
            diags.push_diagnostic(ctx.plan_src.diagnostic(
                Severity::Error,
                &format!("{key}.delimiter"),
                e.to_string(),
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
        Severity::Error,
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
                Severity::Error,
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
        diags.push_diagnostic(ctx.plan_src.diagnostic(Severity::Error, &path_key, message));
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

/// Files smaller than this read too fast for a progress bar to be useful.
const PROGRESS_MIN_BYTES: u64 = 16 << 20;

/// A progress bar over a dataset's bytes, drawn only on an interactive terminal and only
/// for large files; hidden otherwise, so logs and CI output stay clean.
fn progress_bar(dataset: &str, total: u64) -> ProgressBar {
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
