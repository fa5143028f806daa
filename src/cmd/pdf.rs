//! `salesplan pdf`: builds the site into ROOT/public, then prints its print edition to PDF
//! with a headless Chromium or Chrome.

use anyhow::Result;
use salesplan::cli::PdfArgs;
use salesplan::pdf::{find_browser, print_edition};
use salesplan::site::Options;

pub fn run(args: &PdfArgs) -> Result<()> {
    let options = Options::resolve(&args.project, false)?;
    let browser = find_browser(args.browser.as_deref())?;
    let site = options.root.join("public");
    super::build::build_and_report(&options, &site)?;
    let out = match &args.out {
        Some(out) => options.out_dir(Some(out))?,
        None => site.join("plan.pdf"),
    };
    print_edition(&browser, &site, &out)?;
    eprintln!("printed {} with {}", out.display(), browser.display());
    Ok(())
}
