//! The sample plan of `salesplan init`: writes the embedded sample plan project into a folder, refusing to
//! overwrite anything that exists.

use std::fs;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::plan::Language;

/// The sample plan: the repository's own content/ and data/, embedded at compile time.
const SAMPLE: &[(&str, &[u8])] = &include!(concat!(env!("OUT_DIR"), "/sample.rs"));

/// The Chinese sample (samples/zh-CN): the same company written in Chinese, its sales a GBK
/// export with Chinese headers mapped by `columns:`.
const SAMPLE_ZH: &[(&str, &[u8])] = &include!(concat!(env!("OUT_DIR"), "/sample_zh.rs"));

/// Writes the sample plan in `language` into `dir`; returns how many files it wrote.
pub fn write_sample(dir: &Path, language: Language) -> Result<usize> {
    let sample = match language {
        Language::En => SAMPLE,
        Language::ZhCn => SAMPLE_ZH,
    };
    let existing: Vec<&str> = sample
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
    for (path, bytes) in sample {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        write_new(&target, bytes)?;
    }
    Ok(sample.len())
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
