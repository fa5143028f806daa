//! `salesplan init`: writes the embedded sample plan project into a folder, refusing to
//! overwrite anything that exists.

use std::fs;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::cli::InitArgs;
use crate::plan::Language;

/// The sample plan: the repository's own content/ and data/, embedded at compile time.
const SAMPLE: &[(&str, &[u8])] = &include!(concat!(env!("OUT_DIR"), "/sample.rs"));

pub fn run(args: &InitArgs) -> Result<()> {
    let dir = &args.dir;
    let existing: Vec<&str> = SAMPLE
        .iter()
        .map(|(path, _)| *path)
        .filter(|path| dir.join(path).exists())
        .collect();
    if !existing.is_empty() {
        bail!(
            "refusing to overwrite existing files in {}: {}",
            dir.display(),
            existing.join(", ")
        );
    }
    // The built site is output, not source: keep it out of the plan's repository.
    let gitignore = dir.join(".gitignore");
    if !gitignore.exists() {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        write_new(&gitignore, b"public/\n")?;
    }
    for (path, bytes) in SAMPLE {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        let bytes = if *path == "content/plan.yaml" {
            localise_plan(bytes, args.lang)
        } else {
            bytes.to_vec()
        };
        write_new(&target, &bytes)?;
    }
    eprintln!(
        "wrote a sample plan ({} files) into {}; build it with `salesplan build --root {}`",
        SAMPLE.len(),
        dir.display(),
        dir.display()
    );
    Ok(())
}

/// The sample's plan.yaml with the requested output language.
fn localise_plan(bytes: &[u8], lang: Language) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .map(|line| {
            if line.starts_with("language:") {
                format!("language: {}", lang.code())
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        .into_bytes()
        .into_iter()
        .chain(std::iter::once(b'\n'))
        .collect()
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("writing {}", path.display()))
}
