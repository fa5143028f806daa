//! Command-line flags (clap derive), one struct per subcommand. Flags are raw here;
//! `site::Options` is what they resolve to.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::diag::MessageFormat;
use crate::plan::Language;

/// Turns a sales department's yearly business plan (YAML + Markdown + CSV) into a static
/// site, a Markdown edition and a print edition, with every figure computed from the data.
#[derive(Debug, Parser)]
#[command(
    name = "salesplan",
    version,
    about,
    long_about = None,
    after_help = "Examples:\n  salesplan init my-plan            write a sample plan to start from\n  salesplan check --root my-plan    validate everything, write nothing\n  salesplan build --root my-plan    build my-plan/public/ (open index.html)\n  salesplan build --strict --message-format github    in CI: warnings fail, annotated"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a complete sample plan project (content/, data/) into DIR
    Init(InitArgs),
    /// Build the site, print edition, Markdown edition, charts, CSV tables and model.json
    Build(BuildArgs),
    /// Load, validate and compute everything without writing; print diagnostics
    Check(CheckArgs),
    /// Build, serve the site on 127.0.0.1, rebuild on change and reload open pages
    Serve(ServeArgs),
    /// Build, then print print.html to PDF with headless Chromium/Chrome
    Pdf(PdfArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the project in (default: the current folder)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Language of the sample plan
    #[arg(long, value_parser = parse_language, default_value = "en")]
    pub lang: Language,
}

/// Flags shared by every command that reads a project.
#[derive(Debug, Args, Clone)]
pub struct ProjectArgs {
    /// Project folder (default: the nearest folder at or above the current one that holds content/plan.yaml)
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Date the actuals run to (YYYY-MM-DD); overrides plan.yaml's as_of
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Absolute URL the site is published at (canonical links only; pages link relatively)
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    pub base_url: Option<String>,
    /// How diagnostics are printed: human, or GitHub annotations
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Output folder (default: ROOT/public)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Treat warnings as errors
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Treat warnings as errors
    #[arg(long)]
    pub strict: bool,
    /// Exit with 3 when a KPI reaches this level (alerts are printed one per line)
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Port on 127.0.0.1 (0: any free port)
    #[arg(long, short, default_value_t = 3000)]
    pub port: u16,
    /// Output folder (default: ROOT/public)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PdfArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The PDF to write (default: ROOT/public/plan.pdf)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Chromium or Chrome executable (default: found on PATH)
    #[arg(long, value_name = "PATH")]
    pub browser: Option<PathBuf>,
}

/// The KPI level that makes `check` fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Warn,
    Alert,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

fn parse_base_url(s: &str) -> Result<String, String> {
    let lower = s.to_ascii_lowercase();
    if (lower.starts_with("https://") || lower.starts_with("http://"))
        && !s.contains(char::is_whitespace)
    {
        Ok(s.trim_end_matches('/').to_string())
    } else {
        Err(format!(
            "`{s}` is not an absolute http(s) URL, such as https://example.com/plan"
        ))
    }
}

fn parse_language(s: &str) -> Result<Language, String> {
    match s {
        "en" => Ok(Language::En),
        "zh-CN" => Ok(Language::ZhCn),
        _ => Err(format!("`{s}` is not a supported language (en, zh-CN)")),
    }
}
