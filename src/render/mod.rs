//! Rendering the computed model into the editions of FORMAT.md §8: the HTML site, the
//! print edition, the Markdown edition, charts, CSV tables and model.json.

pub mod tables;

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

use crate::diag::Diagnostics;
use crate::site::Computed;

/// What a build wrote, for the closing summary line.
#[derive(Debug, Default, Clone, Copy)]
pub struct Written {
    pub pages: usize,
    pub charts: usize,
    pub tables: usize,
}

/// Writes every output file into `dir` (an empty staging folder).
pub fn write_site(dir: &Path, computed: &Computed, diags: &Diagnostics) -> Result<Written> {
    let model = &computed.model;
    let mut written = Written::default();
    let minor = model.info.currency.minor_units;
    for table in model.tables() {
        write(
            dir,
            &format!("data/{}.csv", table.name),
            &tables::table_csv(table, minor, model.info.language),
        )?;
        written.tables += 1;
    }
    write(
        dir,
        "model.json",
        &tables::json_bytes(&model.to_json(diags)),
    )?;
    Ok(written)
}

/// Writes one output file, creating its folder.
pub fn write(dir: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
}
