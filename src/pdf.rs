//! Printing `print.html` to PDF with a headless Chromium or Chrome, found on PATH or given
//! with `--browser` (the `pdf` command).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// Executable names tried on PATH, in order.
const BROWSERS: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
];

/// Well-known install locations outside PATH.
const BROWSER_PATHS: &[&str] = &[
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "C:\\\\Program Files\\\\Google\\\\Chrome\\\\Application\\\\chrome.exe",
];

/// The browser to print with: `--browser`, else the first known name on PATH.
pub fn find_browser(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = explicit {
        if path.is_file() {
            return Ok(path.to_path_buf());
        }
        bail!("--browser {} does not exist", path.display());
    }
    let path_var = std::env::var_os("PATH").unwrap_or_default();
    for name in BROWSERS {
        for dir in std::env::split_paths(&path_var) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    for path in BROWSER_PATHS {
        if Path::new(path).is_file() {
            return Ok(PathBuf::from(path));
        }
    }
    bail!(
        "no Chromium or Chrome found (looked for {} on PATH); install one — on Debian or Ubuntu: `apt-get install chromium fonts-noto-cjk` (the fonts print Chinese) — or pass --browser PATH",
        BROWSERS.join(", ")
    )
}

/// Prints `page` to `out` with the flags a locked-down CI machine needs; the PDF is
/// written beside `out` first and moved into place, so a failure leaves no half file.
pub fn print_to_pdf(browser: &Path, page: &Path, out: &Path) -> Result<()> {
    let profile = tempfile_dir()?;
    let partial = out.with_extension("pdf.partial");
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let status = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", partial.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .with_context(|| format!("running {}", browser.display()))?;
    let _ = std::fs::remove_dir_all(&profile);
    let written = std::fs::metadata(&partial)
        .map(|m| m.len() > 0)
        .unwrap_or(false);
    if !status.status.success() || !written {
        let _ = std::fs::remove_file(&partial);
        // The browser failed, not the plan: an I/O failure (exit code 4).
        return Err(std::io::Error::other(format!(
            "{} could not print the PDF ({}): {}",
            browser.display(),
            status.status,
            String::from_utf8_lossy(&status.stderr)
                .lines()
                .last()
                .unwrap_or("")
        ))
        .into());
    }
    std::fs::rename(&partial, out).with_context(|| format!("writing {}", out.display()))
}

/// A fresh, empty browser profile folder.
fn tempfile_dir() -> Result<PathBuf> {
    let base = std::env::temp_dir().join(format!("salesplan-chromium-{}", std::process::id()));
    if base.exists() {
        std::fs::remove_dir_all(&base).with_context(|| format!("clearing {}", base.display()))?;
    }
    std::fs::create_dir_all(&base).with_context(|| format!("creating {}", base.display()))?;
    Ok(base)
}
