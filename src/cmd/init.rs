//! `salesplan init`: writes the sample plan into a folder, refusing to overwrite anything.

use anyhow::Result;
use salesplan::cli::InitArgs;
use salesplan::init::write_sample;

pub fn run(args: &InitArgs) -> Result<()> {
    let dir = &args.dir;
    let files = write_sample(dir, args.lang)?;
    eprintln!(
        "wrote a sample plan ({files} files) into {}; build it with `salesplan build --root {}`",
        dir.display(),
        dir.display()
    );
    Ok(())
}
