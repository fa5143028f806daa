//! `salesplan build`: the whole site into `--out` (default ROOT/public), replaced only when
//! the build succeeded.

use std::path::Path;

use anyhow::Result;
use salesplan::cli::BuildArgs;
use salesplan::diag::{Diagnostics, InvalidInput};
use salesplan::site::{self, Options};

pub fn run(args: &BuildArgs) -> Result<()> {
    let options = Options::resolve(&args.project, args.strict)?;
    let out = options.out_dir(args.out.as_deref())?;
    build_and_report(&options, &out)
}

/// Builds into `out` and prints the diagnostics and a one-line outcome; an invalid plan is
/// [`InvalidInput`]. Shared with `pdf`, which builds first.
pub fn build_and_report(options: &Options, out: &Path) -> Result<()> {
    let mut diags = Diagnostics::default();
    let built = site::build_into(options, out, &mut diags)?;
    diags.print(options.message_format);
    match built {
        Some(built) => {
            eprintln!("{}", built.summary(&options.root, out, &diags));
            Ok(())
        }
        None => {
            eprintln!("{}", site::failure_summary(&options.root, out, &diags));
            Err(InvalidInput.into())
        }
    }
}
