//! Diagnostics: located messages about the user's files, collected during a build and
//! printed once, in the human or GitHub-annotation format of FORMAT.md §1.

use std::fmt;

use serde::Serialize;

/// How serious a diagnostic is. Notices never fail a build; warnings fail under `--strict`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Notice,
    Warning,
    Error,
}

impl Severity {
    fn label(self) -> &'static str {
        match self {
            Severity::Notice => "notice",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Where a diagnostic points: a file relative to ROOT, and optionally a line, a column
/// (YAML, 1-based) or a CSV column name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub col: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl Location {
    /// A whole file.
    pub fn file(path: impl Into<String>) -> Self {
        Location {
            path: path.into(),
            ..Location::default()
        }
    }

    /// A position in a YAML file (line and column are 1-based).
    pub fn yaml(path: impl Into<String>, line: usize, col: usize) -> Self {
        Location {
            path: path.into(),
            line: Some(line),
            col: Some(col),
            column: None,
        }
    }

    /// A line of a CSV file, optionally a named column of it.
    pub fn csv(path: impl Into<String>, line: usize, column: Option<String>) -> Self {
        Location {
            path: path.into(),
            line: Some(line),
            col: None,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        if let Some(column) = &self.column {
            write!(f, ": column {column}")?;
        }
        Ok(())
    }
}

/// One message about the user's input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    pub message: String,
    /// The offending source line, shown under the message with a caret at `col`.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// The one-line form `error: PATH:LINE:COL: message`.
    pub fn headline(&self) -> String {
        match &self.location {
            Some(loc) => format!("{}: {loc}: {}", self.severity.label(), self.message),
            None => format!("{}: {}", self.severity.label(), self.message),
        }
    }

    /// The human form: the headline, then the source line with a caret when known.
    pub fn human(&self) -> String {
        let mut out = self.headline();
        if let (Some(src), Some(loc)) = (&self.source_line, &self.location) {
            if let (Some(line), Some(col)) = (loc.line, loc.col) {
                let gutter = line.to_string();
                let pad = " ".repeat(gutter.len());
                let caret_pad: String = src
                    .chars()
                    .take(col.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                out.push_str(&format!(
                    "\n{pad} |\n{gutter} | {src}\n{pad} | {caret_pad}^"
                ));
            }
        }
        out
    }

    /// The GitHub Actions workflow-command form, so CI annotates the file.
    pub fn github(&self) -> String {
        let kind = self.severity.label();
        let message = escape_github(&self.message_with_column());
        match &self.location {
            Some(loc) => {
                let mut props = format!("file={}", escape_github_property(&loc.path));
                if let Some(line) = loc.line {
                    props.push_str(&format!(",line={line}"));
                }
                if let Some(col) = loc.col {
                    props.push_str(&format!(",col={col}"));
                }
                format!("::{kind} {props}::{message}")
            }
            None => format!("::{kind}::{message}"),
        }
    }

    fn message_with_column(&self) -> String {
        match self.location.as_ref().and_then(|l| l.column.as_ref()) {
            Some(column) => format!("column {column}: {}", self.message),
            None => self.message.clone(),
        }
    }
}

fn escape_github(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_github_property(s: &str) -> String {
    escape_github(s).replace(':', "%3A").replace(',', "%2C")
}

/// How diagnostics are printed (`--message-format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    #[default]
    Human,
    Github,
}

/// Everything said about the input during one run, in the order it was found.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(transparent)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, severity: Severity, location: Option<Location>, message: String) {
        self.items.push(Diagnostic {
            severity,
            location,
            message,
            source_line: None,
        });
    }

    pub fn push_diagnostic(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn error(&mut self, location: Location, message: impl Into<String>) {
        self.push(Severity::Error, Some(location), message.into());
    }

    pub fn warning(&mut self, location: Location, message: impl Into<String>) {
        self.push(Severity::Warning, Some(location), message.into());
    }

    pub fn notice(&mut self, location: Location, message: impl Into<String>) {
        self.push(Severity::Notice, Some(location), message.into());
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// `--strict`: every warning becomes an error.
    pub fn make_strict(&mut self) {
        for d in &mut self.items {
            if d.severity == Severity::Warning {
                d.severity = Severity::Error;
            }
        }
    }

    /// Print every diagnostic to stderr in the chosen format.
    pub fn print(&self, format: MessageFormat) {
        for d in &self.items {
            match format {
                MessageFormat::Human => eprintln!("{}", d.human()),
                MessageFormat::Github => eprintln!("{}", d.github()),
            }
        }
    }

    /// "2 errors, 1 warning, 0 notices".
    pub fn summary(&self) -> String {
        let part = |n: usize, word: &str| {
            if n == 1 {
                format!("1 {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        format!(
            "{}, {}, {}",
            part(self.count(Severity::Error), "error"),
            part(self.count(Severity::Warning), "warning"),
            part(self.count(Severity::Notice), "notice")
        )
    }
}

/// The error that ends a run because the input is invalid; the diagnostics say why.
#[derive(Debug)]
pub struct InvalidInput;

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid input")
    }
}

impl std::error::Error for InvalidInput {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_location_prints_path_line_col() {
        let d = Diagnostic {
            severity: Severity::Error,
            location: Some(Location::yaml("content/targets.yaml", 3, 5)),
            message: "unknown key `shares`".into(),
            source_line: Some("  - shares: 1".into()),
        };
        assert_eq!(
            d.headline(),
            "error: content/targets.yaml:3:5: unknown key `shares`"
        );
        assert_eq!(
            d.human(),
            "error: content/targets.yaml:3:5: unknown key `shares`\n  |\n3 |   - shares: 1\n  |     ^"
        );
    }

    #[test]
    fn csv_location_names_the_column() {
        let d = Diagnostic {
            severity: Severity::Warning,
            location: Some(Location::csv("data/sales.csv", 12, Some("amount".into()))),
            message: "`abc` is not an amount".into(),
            source_line: None,
        };
        assert_eq!(
            d.headline(),
            "warning: data/sales.csv:12: column amount: `abc` is not an amount"
        );
        assert_eq!(
            d.github(),
            "::warning file=data/sales.csv,line=12::column amount: `abc` is not an amount"
        );
    }
}
