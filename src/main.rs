//! The `salesplan` binary: parse flags, run the command, map the outcome to an exit code
//! (0 ok, 1 invalid input, 2 usage, 3 `check --fail-on` matched).

use std::process::ExitCode;

use clap::Parser;
use salesplan::cli::{Cli, Command};
use salesplan::diag::InvalidInput;
use salesplan::{init, pdf, serve, site};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Init(args) => init::run(&args),
        Command::Build(args) => site::build_command(&args),
        Command::Check(args) => site::check_command(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Pdf(args) => pdf::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is::<InvalidInput>() => ExitCode::from(1),
        Err(e) if e.is::<site::KpiThresholdReached>() => ExitCode::from(3),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
