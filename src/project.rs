//! A plan project on disk: finding ROOT, reading `content/plan.yaml`, the six chapter
//! files and their Markdown narratives into typed structs, with located errors.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use walkdir::WalkDir;

use crate::chapters::{ChapterId, Chapters};
use crate::diag::{Diagnostic, Diagnostics, Location, Severity};
use crate::money::Currency;
use crate::plan::PlanFile;
use crate::yaml::YamlSource;

pub const PLAN_FILE: &str = "content/plan.yaml";

/// A loaded plan project.
#[derive(Debug)]
pub struct Project {
    pub root: PathBuf,
    pub plan: PlanFile,
    pub plan_src: YamlSource,
    pub currency: Currency,
    pub chapters: Chapters,
    /// The YAML of each chapter that exists, for locating later diagnostics.
    pub sources: BTreeMap<ChapterId, YamlSource>,
    /// `content/<chapter>.md`: (path relative to ROOT, text).
    pub narratives: BTreeMap<ChapterId, (String, String)>,
}

/// ROOT: `explicit` if given, else the nearest folder at or above `start` that holds
/// `content/plan.yaml`.
pub fn find_root(start: &Path, explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        if !dir.join(PLAN_FILE).is_file() {
            bail!(
                "{} is not a plan project: {} not found (create one with `salesplan init`)",
                dir.display(),
                dir.join(PLAN_FILE).display()
            );
        }
        return Ok(dir.to_path_buf());
    }
    for dir in start.ancestors() {
        if dir.join(PLAN_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
    }
    bail!(
        "no {PLAN_FILE} found in {} or any folder above it (use --root, or create a plan with `salesplan init`)",
        start.display()
    )
}

impl Project {
    /// Reads plan.yaml and every chapter file. Returns `None` when plan.yaml itself is
    /// unusable; chapter errors are reported and the chapter left out.
    pub fn load(root: &Path, diags: &mut Diagnostics) -> Result<Option<Project>> {
        let plan_src = match read_yaml(root, PLAN_FILE)? {
            TextFile::Read(src) => src,
            TextFile::Missing => unreachable!("find_root checked that plan.yaml exists"),
            TextFile::Unreadable(d) => {
                diags.push_diagnostic(*d);
                return Ok(None);
            }
        };
        let plan: PlanFile = match plan_src.parse() {
            Ok(plan) => plan,
            Err(d) => {
                diags.push_diagnostic(*d);
                return Ok(None);
            }
        };
        let currency = check_plan(&plan, &plan_src, diags);
        let mut chapters = Chapters::default();
        let mut sources = BTreeMap::new();
        let mut narratives = BTreeMap::new();
        for id in ChapterId::ALL {
            let rel = format!("content/{}.yaml", id.key());
            match read_yaml(root, &rel)? {
                TextFile::Missing => diags.notice(
                    Location::file(rel.clone()),
                    format!(
                        "chapter {} is not planned yet ({rel} does not exist)",
                        id.number()
                    ),
                ),
                TextFile::Unreadable(d) => diags.push_diagnostic(*d),
                TextFile::Read(src) => {
                    id.chapter().load(&src, &mut chapters, diags);
                    sources.insert(id, src);
                }
            }
            let md = format!("content/{}.md", id.key());
            match read_text(root, &md, "a Markdown file")? {
                TextFile::Missing => {}
                TextFile::Unreadable(d) => diags.push_diagnostic(*d),
                TextFile::Read(text) => {
                    narratives.insert(id, (md, text));
                }
            }
        }
        warn_about_stray_content(root, diags);
        let Some(currency) = currency else {
            return Ok(None);
        };
        Ok(Some(Project {
            root: root.to_path_buf(),
            plan,
            plan_src,
            currency,
            chapters,
            sources,
            narratives,
        }))
    }
}

/// A text file of the project (YAML or Markdown), as found on disk.
enum TextFile<T> {
    Missing,
    Read(T),
    /// Not text the tool can read (not UTF-8, a folder): a located error.
    Unreadable(Box<Diagnostic>),
}

/// Reads a YAML file relative to ROOT.
fn read_yaml(root: &Path, rel: &str) -> Result<TextFile<YamlSource>> {
    Ok(match read_text(root, rel, "a YAML file")? {
        TextFile::Read(text) => TextFile::Read(YamlSource::new(rel, text)),
        TextFile::Missing => TextFile::Missing,
        TextFile::Unreadable(d) => TextFile::Unreadable(d),
    })
}

/// Reads a UTF-8 text file relative to ROOT (a leading BOM dropped); a folder or invalid
/// UTF-8 is a located error.
fn read_text(root: &Path, rel: &str, expected: &str) -> Result<TextFile<String>> {
    let path = root.join(rel);
    if !path.exists() {
        return Ok(TextFile::Missing);
    }
    let unreadable = |location: Location, message: String| {
        Ok(TextFile::Unreadable(Box::new(Diagnostic {
            severity: Severity::Error,
            location: Some(location),
            message,
            source_line: None,
        })))
    };
    if path.is_dir() {
        return unreadable(
            Location::file(rel),
            format!("is a folder; expected {expected}"),
        );
    }
    let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    match String::from_utf8(bytes) {
        Ok(text) => {
            let text = text
                .strip_prefix('\u{feff}')
                .map(str::to_string)
                .unwrap_or(text);
            Ok(TextFile::Read(text))
        }
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let col = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count()
                + 1;
            unreadable(
                Location::yaml(rel, line, col),
                "the file is not valid UTF-8: save plan files as UTF-8".into(),
            )
        }
    }
}

/// Checks of plan.yaml that serde cannot express; returns the currency when it is known.
fn check_plan(plan: &PlanFile, src: &YamlSource, diags: &mut Diagnostics) -> Option<Currency> {
    let mut error = |key: &str, message: String| {
        diags.push_diagnostic(src.diagnostic(Severity::Error, key, message));
    };
    if !(1..=12).contains(&plan.fiscal_year_start) {
        error(
            "fiscal_year_start",
            format!(
                "fiscal_year_start must be a month 1-12, found {}",
                plan.fiscal_year_start
            ),
        );
    }
    if !(1900..=9999).contains(&plan.fiscal_year) {
        error(
            "fiscal_year",
            format!("fiscal_year {} is not a plausible year", plan.fiscal_year),
        );
    }
    if plan.title.trim().is_empty() {
        error("title", "title must not be empty".into());
    }
    if let Some(theme) = &plan.theme {
        if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
            error(
                "theme",
                format!("theme `{theme}` must be a plain folder name under themes/"),
            );
        }
    }
    let currency = Currency::from_code(plan.currency.trim());
    if currency.is_none() {
        let known: Vec<&str> = Currency::known_codes().collect();
        let mut message = format!("unknown currency `{}`", plan.currency);
        if matches!(
            plan.currency.trim().to_uppercase().as_str(),
            "RMB" | "CNH" | "YUAN"
        ) {
            message.push_str(" (use the ISO 4217 code `CNY` for renminbi)");
        } else if let Some(close) =
            crate::suggest::closest(&plan.currency.to_uppercase(), known.iter().copied())
        {
            message.push_str(&format!(" (did you mean `{close}`?)"));
        } else {
            message.push_str(&format!("; known: {}", known.join(", ")));
        }
        error("currency", message);
    }
    currency
}

/// A YAML file in content/ that is not one the tool reads is most likely a typo.
fn warn_about_stray_content(root: &Path, diags: &mut Diagnostics) {
    let known: Vec<String> = std::iter::once("plan".to_string())
        .chain(ChapterId::ALL.iter().map(|c| c.key().to_string()))
        .collect();
    let mut stray = Vec::new();
    for entry in WalkDir::new(root.join("content"))
        .max_depth(1)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let path = entry.path();
        let is_yaml = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        );
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if entry.file_type().is_file()
            && is_yaml
            && !(path.extension().and_then(|e| e.to_str()) == Some("yaml")
                && known.iter().any(|k| k == stem))
        {
            stray.push((path.to_path_buf(), stem.to_string()));
        }
    }
    for (path, stem) in stray {
        let rel = crate::data::reader::display_relative(root, &path);
        let mut message = "this file is not read: chapter files are plan.yaml, targets.yaml, team.yaml, channels.yaml, promotions.yaml, customers.yaml and insights.yaml".to_string();
        if let Some(close) = crate::suggest::closest(&stem, known.iter().map(String::as_str)) {
            message = format!("this file is not read (did you mean content/{close}.yaml?)");
        }
        diags.warning(Location::file(rel), message);
    }
}
