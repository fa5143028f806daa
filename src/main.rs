//! The `salesplan` binary: parse flags, run the command, map the outcome to an exit code.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done |
//! | 1 | the plan or the command line's values are wrong (diagnostics or the message say where) |
//! | 2 | usage error (clap: an unknown flag, a missing argument) |
//! | 3 | `check --fail-on` found a KPI at that level |
//! | 4 | the tool could not read or write a file or run a program (disk full, no permission, the browser failed) |

// The only `unsafe` of the project lives in crates/salesplan-csv, each block measured.
#![forbid(unsafe_code)]

mod cmd;

use std::process::ExitCode;

use clap::Parser;
use salesplan::cli::{Cli, Command};
use salesplan::diag::InvalidInput;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Init(args) => cmd::init::run(&args),
        Command::Build(args) => cmd::build::run(&args),
        Command::Check(args) => cmd::check::run(&args),
        Command::Serve(args) => cmd::serve::run(&args),
        Command::Pdf(args) => cmd::pdf::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Its diagnostics are printed already.
        Err(e) if e.is::<InvalidInput>() => ExitCode::from(1),
        Err(e) if e.is::<cmd::check::KpiThresholdReached>() => ExitCode::from(3),
        Err(e) => {
            eprintln!("error: {e:#}");
            let io_failure = e.chain().any(|cause| cause.is::<std::io::Error>());
            ExitCode::from(if io_failure { 4 } else { 1 })
        }
    }
}
