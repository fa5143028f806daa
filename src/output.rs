//! The output folder: refusing dangerous `--out` values, and replacing the folder only
//! once a complete new build exists beside it, so a failed build never damages the last
//! good one (FORMAT.md §1).

use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The file whose presence marks a folder as written by salesplan.
const MARKER: &str = "model.json";

/// `path` made absolute against `cwd`, `.`/`..` resolved, symlinks of its existing part
/// resolved, so two spellings of one folder compare equal.
pub fn normalize(cwd: &Path, path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut clean = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    // Canonicalise the longest prefix that exists, then re-append the rest.
    let mut existing = clean.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut result = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        result.push(name);
    }
    result
}

/// Refuses an output folder that is ROOT, a folder above it, or inside the plan's own
/// sources (content/, data/, themes/, .git/), or an existing folder salesplan did not write.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<()> {
    let shown = out.display();
    if root.starts_with(out) {
        bail!("refusing --out {shown}: it is the project folder or a folder above it, and building would replace it; choose another --out (the default is public/ in the project)");
    }
    for protected in ["content", "data", "themes", ".git"] {
        if out.starts_with(root.join(protected)) {
            bail!("refusing --out {shown}: it is inside the project's {protected}/ folder, which building would overwrite; choose another --out outside content/, data/, themes/ and .git/");
        }
    }
    if out.is_file() {
        bail!("refusing --out {shown}: it is a file; choose a folder for --out");
    }
    if out.is_dir() && !out.join(MARKER).is_file() && !is_empty_dir(out)? {
        bail!("refusing --out {shown}: it is not empty and was not written by salesplan (no {MARKER}); choose another --out or empty it");
    }
    Ok(())
}

fn is_empty_dir(dir: &Path) -> Result<bool> {
    Ok(fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .next()
        .is_none())
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{tag}"))
}

/// Builds the new output in a temporary folder beside `out` with `fill`, then swaps it in.
/// If `fill` fails, `out` is untouched. On Linux the swap is one atomic exchange of the two
/// folders, so a build killed at any moment leaves either the old or the new `out`, whole;
/// elsewhere the old folder is moved aside first and a later run puts it back if the
/// build died between the two moves.
pub fn replace_dir(out: &Path, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let parent = out.parent().context("the output folder has no parent")?;
    fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let staging = sibling(out, "new");
    let previous = sibling(out, "old");
    // A run killed between the two moves of the fallback left the last good build aside.
    if !out.exists() && previous.join(MARKER).is_file() {
        fs::rename(&previous, out).with_context(|| format!("restoring {}", out.display()))?;
    }
    for stale in [&staging, &previous] {
        if stale.exists() {
            fs::remove_dir_all(stale).with_context(|| format!("removing {}", stale.display()))?;
        }
    }
    fs::create_dir(&staging).with_context(|| format!("creating {}", staging.display()))?;
    if let Err(e) = fill(&staging) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if !out.exists() {
        return fs::rename(&staging, out)
            .with_context(|| format!("moving the new build to {}", out.display()));
    }
    if exchange(&staging, out) {
        // `staging` now holds the old build.
        return fs::remove_dir_all(&staging)
            .with_context(|| format!("removing the old build {}", staging.display()));
    }
    fs::rename(out, &previous).with_context(|| format!("moving {} aside", out.display()))?;
    fs::rename(&staging, out)
        .with_context(|| format!("moving the new build to {}", out.display()))?;
    fs::remove_dir_all(&previous).with_context(|| format!("removing {}", previous.display()))
}

/// Swaps two folders in one step (Linux `renameat2` with `RENAME_EXCHANGE`); `false` when
/// the system or file system cannot, and nothing was changed.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_dots() {
        let cwd = Path::new("/nonexistent-salesplan/a/b");
        assert_eq!(
            normalize(cwd, Path::new("../c/./d")),
            PathBuf::from("/nonexistent-salesplan/a/c/d")
        );
    }

    #[test]
    fn dangerous_out_dirs_are_refused() {
        let root = Path::new("/nonexistent-salesplan/plan");
        for bad in [
            "/nonexistent-salesplan/plan",
            "/nonexistent-salesplan",
            "/",
            "/nonexistent-salesplan/plan/content",
            "/nonexistent-salesplan/plan/data/out",
        ] {
            assert!(check_out_dir(root, Path::new(bad)).is_err(), "{bad}");
        }
        assert!(check_out_dir(root, Path::new("/nonexistent-salesplan/plan/public")).is_ok());
        assert!(check_out_dir(root, Path::new("/nonexistent-salesplan/site")).is_ok());
    }
}
