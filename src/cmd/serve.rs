//! `salesplan serve`: builds, serves the site on 127.0.0.1 and rebuilds on every change.

use anyhow::Result;
use salesplan::cli::ServeArgs;
use salesplan::site::Options;

pub fn run(args: &ServeArgs) -> Result<()> {
    let options = Options::resolve(&args.project, false)?;
    let out = options.out_dir(args.out.as_deref())?;
    salesplan::serve::serve(&options, &out, args.port)
}
