//! Printing `print.html` to PDF with a headless Chromium or Chrome, found on PATH or given
//! with `--browser` (the `pdf` command).

pub mod file;

use std::collections::BTreeMap;
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

/// Prints the site's `print.html` to `out` as the board reads it: printed once to learn
/// on which page each chapter starts, then again with those numbers in the contents; the
/// bookmarks carry the headings' text exactly, the document information the plan's title
/// and salesplan as its creator. Written beside `out` first and moved into place, so a
/// failure leaves no half file.
pub fn print_edition(browser: &Path, site: &Path, out: &Path) -> Result<()> {
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let page = site.join("print.html");
    let html =
        std::fs::read_to_string(&page).with_context(|| format!("reading {}", page.display()))?;
    let partial = out.with_extension("pdf.partial");
    print_to_pdf(browser, &page, &partial)?;
    let mut pdf =
        std::fs::read(&partial).with_context(|| format!("reading {}", partial.display()))?;
    // Skia's layout is what this reads; another printer's file is kept as it is.
    if let Some(first) = file::PdfFile::parse(pdf.clone()) {
        let numbered = number_contents(&html, &first.outline());
        let printed = match numbered {
            Some(numbered) => {
                // Beside print.html, so its relative links to assets and charts hold.
                let twice = site.join(".print-numbered.html");
                std::fs::write(&twice, numbered)
                    .with_context(|| format!("writing {}", twice.display()))?;
                let second = print_to_pdf(browser, &twice, &partial);
                let _ = std::fs::remove_file(&twice);
                second?;
                std::fs::read(&partial).with_context(|| format!("reading {}", partial.display()))?
            }
            None => pdf,
        };
        pdf = match file::PdfFile::parse(printed.clone()) {
            Some(file) => finish(&file, &html),
            None => printed,
        };
    }
    std::fs::write(&partial, &pdf).with_context(|| format!("writing {}", partial.display()))?;
    std::fs::rename(&partial, out).with_context(|| format!("writing {}", out.display()))
}

/// print.html with each chapter's first page in its contents entry
/// (`<span class="toc-page" data-title="…"></span>`), from the first print's bookmarks;
/// `None` when no chapter could be found.
fn number_contents(html: &str, outline: &[file::OutlineItem]) -> Option<String> {
    const OPEN: &str = "<span class=\"toc-page\" data-title=\"";
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    let mut found = 0;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len()..];
        let Some(end) = after.find("\"></span>") else {
            break;
        };
        let title = unescape(&after[..end]);
        out.push_str(&rest[..at + OPEN.len() + end + 2]);
        let page = outline
            .iter()
            .find(|i| i.depth == 0 && same_text(&i.title, &title))
            .and_then(|i| i.page);
        if let Some(page) = page {
            out.push_str(&page.to_string());
            found += 1;
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    (found > 0).then_some(out)
}

/// The printed file with its bookmarks titled as the headings read and its document
/// information set.
fn finish(pdf: &file::PdfFile, html: &str) -> Vec<u8> {
    let headings = headings(html);
    // Chromium joins a heading's wrapped lines without their space ("DepartmentBusiness")
    // and repeats a heading split over two pages; name each by the heading it comes from.
    let titles: BTreeMap<u32, String> = pdf
        .outline()
        .into_iter()
        .filter_map(|item| {
            let heading = headings.iter().find(|h| {
                same_text(&item.title, h) || same_text(&item.title, &format!("{h}{h}"))
            })?;
            (item.title != *heading).then(|| (item.id, heading.clone()))
        })
        .collect();
    let title = between(html, "<title>", "</title>")
        .map(unescape)
        .unwrap_or_default();
    pdf.amend(
        &titles,
        &[
            ("Title", title),
            (
                "Creator",
                format!("salesplan {}", env!("CARGO_PKG_VERSION")),
            ),
        ],
    )
}

/// The text of every `<h1>`-`<h4>` of a page, tags removed, entities decoded, white space
/// collapsed.
fn headings(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for level in 1..=4 {
        let (open, close) = (format!("<h{level}"), format!("</h{level}>"));
        let mut rest = html;
        while let Some(at) = rest.find(&open) {
            let Some(start) = rest[at..].find('>').map(|i| at + i + 1) else {
                break;
            };
            let Some(end) = rest[start..].find(&close).map(|i| start + i) else {
                break;
            };
            let mut text = String::new();
            let mut in_tag = false;
            for c in rest[start..end].chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            found.push(
                unescape(&text)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            rest = &rest[end..];
        }
    }
    found
}

/// Equal but for white space.
fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace()) || {
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        squeeze(a) == squeeze(b)
    }
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    Some(&text[start..start + text[start..].find(close)?])
}

/// The five entities salesplan's templates write, decoded.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// Prints `page` to `partial` with the flags a locked-down CI machine needs.
fn print_to_pdf(browser: &Path, page: &Path, partial: &Path) -> Result<()> {
    let profile = tempfile_dir()?;
    let _ = std::fs::remove_file(partial);
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
    let written = std::fs::metadata(partial)
        .map(|m| m.len() > 0)
        .unwrap_or(false);
    if !status.status.success() || !written {
        let _ = std::fs::remove_file(partial);
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
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::file::OutlineItem;
    use super::*;

    fn item(id: u32, title: &str, page: usize, depth: usize) -> OutlineItem {
        OutlineItem {
            id,
            title: title.into(),
            page: Some(page),
            depth,
        }
    }

    #[test]
    fn contents_take_each_chapters_first_page_from_the_bookmarks() {
        let html = r#"<li><span class="toc-page" data-title="Sales targets &amp; strategy"></span></li><li><span class="toc-page" data-title="Team"></span></li><li><span class="toc-page" data-title="Not printed"></span></li>"#;
        // Chromium joins wrapped lines without a space: still the same heading.
        let outline = [
            item(1, "Plan", 1, 0),
            item(2, "Sales targets &strategy", 3, 0),
            item(3, "Team", 4, 1),
            item(4, "Team", 9, 0),
        ];
        let numbered = number_contents(html, &outline).unwrap();
        assert_eq!(
            numbered,
            r#"<li><span class="toc-page" data-title="Sales targets &amp; strategy">3</span></li><li><span class="toc-page" data-title="Team">9</span></li><li><span class="toc-page" data-title="Not printed"></span></li>"#
        );
        assert_eq!(number_contents("<p>no contents</p>", &outline), None);
    }

    #[test]
    fn headings_are_read_as_text() {
        let html = "<h1>2026 Sales<br>Department</h1><h3 id=\"x\">Spring &amp; <em>Tea</em></h3>";
        assert_eq!(headings(html), ["2026 SalesDepartment", "Spring & Tea"]);
        assert!(same_text(
            "2026 Sales DepartmentBusiness Plan",
            "2026 Sales Department Business Plan"
        ));
    }
}
