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
                let (src, col) = shorten_source_line(src, col);
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

/// The most characters of one quoted value a message shows.
pub const QUOTE_CHARS: usize = 60;

/// The most characters a whole message keeps (a guard for values quoted without
/// backticks, such as a YAML parser's own messages).
const MESSAGE_CHARS: usize = 1000;

/// `first 60 characters… (5,000,000 characters)` for a value longer than [`QUOTE_CHARS`].
pub fn shorten(value: &str) -> String {
    match value.char_indices().nth(QUOTE_CHARS) {
        None => value.to_string(),
        Some((cut, _)) => format!(
            "{}… ({} characters)",
            &value[..cut],
            grouped(value.chars().count())
        ),
    }
}

/// The most names a message lists before it says how many more there are.
const LISTED_NAMES: usize = 50;

/// `a, b, c` for up to 50 names; the first 50 and `and 4,950 more` for more (a message
/// about 5,000 reps names 50 of them, about 500 characters).
pub fn name_list(names: &[&str]) -> String {
    if names.len() <= LISTED_NAMES {
        return names.join(", ");
    }
    format!(
        "{} and {} more",
        names[..LISTED_NAMES].join(", "),
        grouped(names.len() - LISTED_NAMES)
    )
}

/// `5000000` as `5,000,000`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// Shortens every `` `quoted` `` value of a message with [`shorten`] (the length goes
/// after the closing backtick), then the whole message to [`MESSAGE_CHARS`].
pub fn shorten_quotes(message: String) -> String {
    if message.len() <= QUOTE_CHARS {
        return message;
    }
    let mut out = String::with_capacity(message.len().min(4 * MESSAGE_CHARS));
    let mut rest = message.as_str();
    while let Some(open) = rest.find('`') {
        let Some(close) = rest[open + 1..].find('`').map(|c| open + 1 + c) else {
            break;
        };
        out.push_str(&rest[..=open]);
        let quoted = &rest[open + 1..close];
        match quoted.char_indices().nth(QUOTE_CHARS) {
            None => {
                out.push_str(quoted);
                out.push('`');
            }
            Some((cut, _)) => {
                out.push_str(&quoted[..cut]);
                out.push_str(&format!(
                    "…` ({} characters)",
                    grouped(quoted.chars().count())
                ));
            }
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    match out.char_indices().nth(MESSAGE_CHARS) {
        None => out,
        Some((cut, _)) => format!(
            "{}… (message of {} characters cut)",
            &out[..cut],
            grouped(out.chars().count())
        ),
    }
}

/// The source line shown under a message, at most about 2 × [`QUOTE_CHARS`] characters
/// around the caret's column (`…` where it is cut), and the caret's column in what is
/// shown.
fn shorten_source_line(line: &str, col: usize) -> (String, usize) {
    let chars = line.chars().count();
    if chars <= 2 * QUOTE_CHARS + 20 {
        return (line.to_string(), col);
    }
    let at = col.saturating_sub(1).min(chars);
    let start = at.saturating_sub(QUOTE_CHARS);
    let end = (at + QUOTE_CHARS).min(chars);
    let mut shown: String = line.chars().skip(start).take(end - start).collect();
    let mut new_col = at - start + 1;
    if start > 0 {
        shown.insert(0, '…');
        new_col += 1;
    }
    if end < chars {
        shown.push_str(&format!("… ({} characters)", grouped(chars)));
    }
    (shown, new_col)
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
        self.push_diagnostic(Diagnostic {
            severity,
            location,
            message,
            source_line: None,
        });
    }

    /// Adds a diagnostic, its quoted values shortened ([`shorten_quotes`]): a 5 MB cell
    /// is named, not printed. (Its source line is shortened where it is shown.)
    pub fn push_diagnostic(&mut self, mut diagnostic: Diagnostic) {
        diagnostic.message = shorten_quotes(diagnostic.message);
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
    fn long_quoted_values_are_shortened_to_sixty_characters_and_their_length() {
        let mut diags = Diagnostics::default();
        let amount = "9".repeat(5_000_000);
        diags.warning(
            Location::csv("data/sales.csv", 2, Some("amount".into())),
            format!("`{amount}` is not an amount"),
        );
        let message = &diags.iter().next().unwrap().message;
        assert_eq!(
            message,
            &format!(
                "`{}…` (5,000,000 characters) is not an amount",
                "9".repeat(60)
            )
        );
        // Characters, not bytes: 61 CJK characters keep 60; a short value and an
        // unpaired backtick stay as they are.
        let name = "东".repeat(61);
        let short = shorten_quotes(format!("unknown region `{name}`, not `East`; a ` alone"));
        assert_eq!(
            short,
            format!(
                "unknown region `{}…` (61 characters), not `East`; a ` alone",
                "东".repeat(60)
            )
        );
        assert_eq!(shorten("East"), "East");
        assert_eq!(
            shorten(&"x".repeat(1234)),
            format!("{}… (1,234 characters)", "x".repeat(60))
        );
        // A long message without backticks is cut as a whole.
        let plain = shorten_quotes("y".repeat(5000));
        assert_eq!(
            plain,
            format!("{}… (message of 5,000 characters cut)", "y".repeat(1000))
        );
    }

    #[test]
    fn long_name_lists_say_how_many_more() {
        let names: Vec<String> = (1..=5000).map(|i| format!("Rep {i:04}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(
            name_list(&names),
            format!("{} and 4,950 more", names[..50].join(", "))
        );
        assert!(name_list(&names).ends_with("Rep 0049, Rep 0050 and 4,950 more"));
        assert_eq!(name_list(&names[..50]), names[..50].join(", "));
        assert_eq!(
            name_list(&names[..51]),
            format!("{} and 1 more", names[..50].join(", "))
        );
        assert_eq!(name_list(&["A"]), "A");
    }

    #[test]
    fn a_long_source_line_is_shown_around_the_caret() {
        let line = format!("title: {}", "z".repeat(10_000));
        let d = Diagnostic {
            severity: Severity::Error,
            location: Some(Location::yaml("content/plan.yaml", 1, 5008)),
            message: "something at column 5008".into(),
            source_line: Some(line),
        };
        // Columns 4948-5067 are shown (60 either side of the caret), "…" before: the
        // caret sits at shown column 61 + 1.
        let z = "z".repeat(120);
        let pad = " ".repeat(61);
        assert_eq!(
            d.human(),
            format!(
                "error: content/plan.yaml:1:5008: something at column 5008\n  |\n1 | …{z}… (10,007 characters)\n  | {pad}^"
            )
        );
    }

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
