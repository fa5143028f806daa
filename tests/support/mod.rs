//! A small builder that runs the real `salesplan` binary over a copy of a fixture project
//! and reads what it wrote.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

/// The repository root (the example plan lives here).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The names of the folders directly inside `rel` (relative to the repository), sorted.
pub fn folders_in(rel: &str) -> Vec<String> {
    let mut folders: Vec<String> = fs::read_dir(repo().join(rel))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    folders
}

/// A plan project copied into a temporary folder, so builds never touch the repository.
pub struct Plan {
    dir: Rc<tempfile::TempDir>,
}

impl Plan {
    /// `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Plan {
        Plan::copy_of(&repo().join("tests/fixtures").join(name))
    }

    /// `tests/conformance/<name>` (the spec's conformance examples).
    pub fn conformance(name: &str) -> Plan {
        Plan::copy_of(&repo().join("tests/conformance").join(name))
    }

    /// `tests/fixtures/broken/<name>`.
    pub fn broken(name: &str) -> Plan {
        Plan::copy_of(&repo().join("tests/fixtures/broken").join(name))
    }

    /// The repository's own example plan (content/ and data/).
    pub fn example() -> Plan {
        let plan = Plan::empty();
        for dir in ["content", "data"] {
            copy_dir(&repo().join(dir), &plan.path().join(dir));
        }
        plan
    }

    pub fn empty() -> Plan {
        Plan {
            dir: Rc::new(tempfile::tempdir().expect("creating a temporary folder")),
        }
    }

    fn copy_of(src: &Path) -> Plan {
        assert!(src.is_dir(), "fixture {} exists", src.display());
        let plan = Plan::empty();
        copy_dir(src, plan.path());
        plan
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `salesplan ARGS` with the project as the current folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// Runs `salesplan ARGS` with extra environment variables.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_salesplan"));
        command
            .args(args)
            .current_dir(self.path())
            .env_remove("SALESPLAN_LOG");
        for (k, v) in env {
            command.env(k, v);
        }
        let output = command.output().expect("running salesplan");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            out: self.path().join("public"),
            _dir: Rc::clone(&self.dir),
        }
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

pub fn copy_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for entry in fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let target = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The outcome of one run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// The default output folder, ROOT/public.
    pub out: PathBuf,
    /// Keeps the project folder alive as long as the run is inspected.
    _dir: Rc<tempfile::TempDir>,
}

impl Run {
    pub fn succeeds(self) -> Run {
        assert_eq!(self.code, 0, "expected success, stderr:\n{}", self.stderr);
        self
    }

    pub fn fails_with(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "expected exit {code}, stderr:\n{}",
            self.stderr
        );
        self
    }

    /// Diagnostic lines (`error:` / `warning:`), without the source snippets.
    pub fn diagnostics(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error: ") || l.starts_with("warning: "))
            .collect()
    }

    pub fn file(&self, rel: &str) -> String {
        fs::read_to_string(self.out.join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    pub fn bytes(&self, rel: &str) -> Vec<u8> {
        fs::read(self.out.join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    /// The words a reader sees on a page: the `<body>` without tags, scripts or styles,
    /// entities decoded, runs of ASCII white space as one space (no-break spaces kept).
    pub fn page_text(&self, rel: &str) -> String {
        page_text(&self.file(rel))
    }

    /// `public/data/<name>.csv`.
    pub fn table(&self, name: &str) -> Table {
        Table::read(&self.out.join("data").join(format!("{name}.csv")))
    }

    pub fn model(&self) -> serde_json::Value {
        serde_json::from_str(&self.file("model.json")).expect("model.json is JSON")
    }
}

/// A CSV table, cells as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub bom: bool,
}

impl Table {
    pub fn read(path: &Path) -> Table {
        let bytes = fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let bom = bytes.starts_with(b"\xEF\xBB\xBF");
        let mut reader = csv::ReaderBuilder::new().from_reader(&bytes[if bom { 3 } else { 0 }..]);
        let header = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        let rows = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        Table { header, rows, bom }
    }

    /// The cell in the row whose first column is `key`.
    pub fn get(&self, key: &str, column: &str) -> &str {
        let col = self
            .header
            .iter()
            .position(|h| h == column)
            .unwrap_or_else(|| panic!("no column {column}"));
        let row = self
            .rows
            .iter()
            .find(|r| r[0] == key)
            .unwrap_or_else(|| panic!("no row {key}"));
        &row[col]
    }

    /// One column, top to bottom.
    pub fn column(&self, column: &str) -> Vec<&str> {
        let col = self
            .header
            .iter()
            .position(|h| h == column)
            .unwrap_or_else(|| panic!("no column {column}"));
        self.rows.iter().map(|r| r[col].as_str()).collect()
    }

    /// First-column keys, in order.
    pub fn keys(&self) -> Vec<&str> {
        self.rows.iter().map(|r| r[0].as_str()).collect()
    }
}

/// Compares an output table with an expected one: text exact, numbers within the
/// tolerance their expected precision implies (money 0.01, ratios 0.0001, integers exact).
/// Columns after the expected ones are ignored (FORMAT.md §10: added columns), so the
/// header must start with the expected header.
pub fn assert_table_matches(name: &str, got: &Table, expected: &Table) {
    assert_eq!(
        got.header.get(..expected.header.len()),
        Some(&expected.header[..]),
        "{name}: header (the spec's columns first)"
    );
    assert_eq!(got.bom, expected.bom, "{name}: byte-order mark");
    assert_eq!(
        got.rows.len(),
        expected.rows.len(),
        "{name}: row count\n got {:?}\nwant {:?}",
        got.rows,
        expected.rows
    );
    for (r, (g, e)) in got.rows.iter().zip(&expected.rows).enumerate() {
        for (c, (gv, ev)) in g.iter().zip(e).enumerate() {
            let column = &expected.header[c];
            match (gv.parse::<f64>(), ev.parse::<f64>()) {
                (Ok(gn), Ok(en)) => {
                    let decimals = ev.split_once('.').map_or(0, |(_, f)| f.len());
                    let tolerance = 10f64.powi(-(decimals as i32)) + 1e-9;
                    assert!(
                        (gn - en).abs() <= tolerance,
                        "{name} row {r} {column}: got {gv}, want {ev}"
                    );
                }
                _ => assert_eq!(gv, ev, "{name} row {r} {column}"),
            }
        }
    }
}

/// Every HTML page of a build: the front page, the six chapters, the print edition.
pub const PAGES: &[&str] = &[
    "index.html",
    "targets.html",
    "team.html",
    "channels.html",
    "promotions.html",
    "customers.html",
    "insights.html",
    "print.html",
];

/// See [`Run::page_text`].
pub fn page_text(html: &str) -> String {
    let body = html
        .split_once("<body")
        .and_then(|(_, b)| b.split_once('>'))
        .map_or(html, |(_, b)| b);
    let mut text = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        rest = &rest[open..];
        // Skip the contents of script and style elements with the tag.
        let skip_to = ["script", "style"]
            .iter()
            .find(|t| rest[1..].starts_with(*t))
            .map(|t| format!("</{t}>"));
        let end = match skip_to {
            Some(close) => rest.find(&close).map(|i| i + close.len()),
            None => rest.find('>').map(|i| i + 1),
        };
        rest = &rest[end.unwrap_or(rest.len())..];
    }
    text.push_str(rest);
    let text = text
        .replace("&nbsp;", "\u{a0}")
        .replace("&#160;", "\u{a0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    text.split(|c: char| c.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads `expected/summary.json` style figures as a map.
pub fn summary(path: &Path) -> BTreeMap<String, serde_json::Value> {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// Every file of a folder, as (relative path, bytes), sorted.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Compares a build with a project's `expected/` folder: every `expected/<name>.csv` with the
/// built `data/<name>.csv`, `as_of` and every chapter's figures in `expected/summary.json`.
/// A table or figure the build did not produce fails, and so does a file there that is
/// neither. Returns how many tables were compared.
pub fn matches_expected(case: &str, plan: &Plan, run: &Run) -> usize {
    let expected_dir = plan.path().join("expected");
    let mut names = Vec::new();
    for entry in fs::read_dir(&expected_dir)
        .unwrap_or_else(|e| panic!("{case}: reading {}: {e}", expected_dir.display()))
    {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        match file.strip_suffix(".csv") {
            Some(name) => names.push(name.to_string()),
            None => assert_eq!(
                file, "summary.json",
                "{case}: expected/{file} is neither a table (.csv) nor summary.json"
            ),
        }
    }
    names.sort();
    for name in &names {
        let built = run.out.join("data").join(format!("{name}.csv"));
        assert!(
            built.is_file(),
            "{case}: expected/{name}.csv has no counterpart: the build wrote no data/{name}.csv"
        );
        assert_table_matches(
            &format!("{case}/{name}"),
            &run.table(name),
            &Table::read(&expected_dir.join(format!("{name}.csv"))),
        );
    }
    let expected = summary(&expected_dir.join("summary.json"));
    let model = run.model();
    assert_eq!(model["plan"]["as_of"], expected["as_of"], "{case}: as_of");
    for (chapter, figures) in &expected {
        if chapter == "as_of" {
            continue;
        }
        let figures = figures.as_object().unwrap_or_else(|| {
            panic!("{case}: summary.json `{chapter}` is not an object of figures")
        });
        let computed = model.get(chapter).unwrap_or_else(|| {
            panic!("{case}: summary.json has chapter `{chapter}`, which model.json does not")
        });
        for (key, want) in figures {
            let got = computed.get(key).unwrap_or_else(|| {
                panic!("{case}: summary.json has {chapter}.{key}, which model.json does not")
            });
            match (got.as_f64(), want.as_f64()) {
                (Some(g), Some(w)) => assert!(
                    (g - w).abs() <= 0.01 + 1e-9,
                    "{case}: {chapter}.{key} = {g}, want {w}"
                ),
                _ => assert_eq!(got, want, "{case}: {chapter}.{key}"),
            }
        }
    }
    names.len()
}
