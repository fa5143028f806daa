//! UI strings: chapter titles, headings, column labels and the words of the page furniture,
//! read from `themes/default/i18n/<language>.toml` (embedded) with the keys of a project
//! theme's own `i18n/<language>.toml` over them. Every key exists in every language.

use std::collections::BTreeMap;

use crate::chapters::ChapterId;
use crate::diag::{Diagnostic, Location, Severity};
use crate::plan::Language;
use crate::render::theme::Theme;

/// The UI strings of one language.
#[derive(Debug, Clone)]
pub struct Strings {
    map: BTreeMap<String, String>,
}

impl Strings {
    /// The built-in strings of `language`.
    pub fn built_in(language: Language) -> Strings {
        let rel = file_of(language);
        let bytes = Theme::built_in(&rel).expect("the built-in theme has every language's strings");
        let text = std::str::from_utf8(bytes).expect("the built-in strings are UTF-8");
        let (map, not_text) = parse(text).expect("the built-in strings are valid TOML");
        debug_assert!(
            not_text.is_empty(),
            "built-in strings that are not text: {not_text:?}"
        );
        Strings { map }
    }

    /// Adds the plan's own names for its ids (`label.<id>`), read by
    /// [`Formatter::name`](super::format::Formatter::name) like the built-in labels,
    /// which they replace.
    pub fn add_labels<'a>(&mut self, labels: impl IntoIterator<Item = (&'a str, &'a str)>) {
        for (id, label) in labels {
            self.map.insert(format!("label.{id}"), label.to_string());
        }
    }

    /// The built-in strings with the theme's overrides; a theme file that does not parse is
    /// an error, a key the built-in file does not have a warning (a typo would otherwise be
    /// ignored silently).
    pub fn load(theme: &Theme, language: Language) -> std::io::Result<(Strings, Vec<Diagnostic>)> {
        let mut strings = Strings::built_in(language);
        let mut diagnostics = Vec::new();
        let Some((path, bytes)) = theme.override_file(&file_of(language))? else {
            return Ok((strings, diagnostics));
        };
        let located = |severity, line, col, message| Diagnostic {
            severity,
            location: Some(Location::yaml(path.clone(), line, col)),
            message,
            source_line: None,
        };
        let Ok(text) = String::from_utf8(bytes) else {
            diagnostics.push(located(
                Severity::Error,
                1,
                1,
                "the file is not valid UTF-8".into(),
            ));
            return Ok((strings, diagnostics));
        };
        match parse(&text) {
            Ok((overrides, not_text)) => {
                for key in not_text {
                    let line = line_of_key(&text, &key);
                    diagnostics.push(located(
                        Severity::Error,
                        line,
                        1,
                        format!("`{key}` must be text in quotes"),
                    ));
                }
                for (key, value) in overrides {
                    match strings.map.get_mut(&key) {
                        Some(slot) => *slot = value,
                        None => {
                            let line = line_of_key(&text, &key);
                            diagnostics.push(located(
                                Severity::Warning,
                                line,
                                1,
                                format!("`{key}` is not a UI string salesplan uses; it is ignored"),
                            ));
                        }
                    }
                }
            }
            Err(e) => {
                let (line, col) = e.span().map_or((1, 1), |span| line_col(&text, span.start));
                diagnostics.push(located(
                    Severity::Error,
                    line,
                    col,
                    format!("invalid TOML: {}", e.message()),
                ));
            }
        }
        Ok((strings, diagnostics))
    }

    /// Looks a UI string up. An unknown key is a programming error (a test checks every key
    /// the code names): debug builds stop on it, release builds show `?` rather than crash.
    pub fn get(&self, key: &str) -> &str {
        let found = self.try_get(key);
        debug_assert!(found.is_some(), "missing UI string `{key}`");
        found.unwrap_or("?")
    }

    /// A UI string if the key exists (for values that may or may not have a translation).
    pub fn try_get(&self, key: &str) -> Option<&str> {
        self.map.get(key).map(String::as_str)
    }

    /// Every string, for the templates (`t["ui.contents"]`).
    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.map
    }

    /// The title of a chapter.
    pub fn chapter_title(&self, id: ChapterId) -> &str {
        self.get(&format!("chapter.{}", id.key()))
    }
}

/// `i18n/en.toml`, `i18n/zh-CN.toml`.
fn file_of(language: Language) -> String {
    format!("i18n/{}.toml", language.code())
}

/// A strings file as flat dotted keys (`[col] target = "Target"` is `col.target`), and the
/// keys whose value is not a string.
fn parse(text: &str) -> Result<(BTreeMap<String, String>, Vec<String>), toml::de::Error> {
    let table: toml::Table = toml::from_str(text)?;
    let mut map = BTreeMap::new();
    let mut not_text = Vec::new();
    flatten("", &table, &mut map, &mut not_text);
    Ok((map, not_text))
}

fn flatten(
    prefix: &str,
    table: &toml::Table,
    map: &mut BTreeMap<String, String>,
    not_text: &mut Vec<String>,
) {
    for (key, value) in table {
        let key = format!("{prefix}{key}");
        match value {
            toml::Value::Table(inner) => flatten(&format!("{key}."), inner, map, not_text),
            toml::Value::String(s) => {
                map.insert(key, s.clone());
            }
            _ => not_text.push(key),
        }
    }
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The line a dotted key's last part is written on (its first mention), for a warning.
fn line_of_key(text: &str, key: &str) -> usize {
    let last = key.rsplit('.').next().unwrap_or(key);
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.starts_with(last) && l[last.len()..].trim_start().starts_with(['=', '.'])
        })
        .map_or(1, |i| i + 1)
}

/// "Chapter 3" / "第3章".
pub fn chapter_label(language: Language, id: ChapterId) -> String {
    match language {
        Language::En => format!("Chapter {}", id.number()),
        Language::ZhCn => format!("第{}章", id.number()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_the_same_keys_and_fills_them() {
        let en = Strings::built_in(Language::En);
        let zh = Strings::built_in(Language::ZhCn);
        let en_keys: Vec<&String> = en.all().keys().collect();
        let zh_keys: Vec<&String> = zh.all().keys().collect();
        assert_eq!(
            en_keys, zh_keys,
            "en.toml and zh-CN.toml have the same keys"
        );
        for strings in [&en, &zh] {
            for (key, value) in strings.all() {
                // "第3章": the suffix is Chinese grammar only.
                let optional = key == "ui.chapter_suffix";
                assert!(optional || !value.is_empty(), "{key} is empty");
            }
        }
    }

    #[test]
    fn tables_and_dotted_keys_flatten_to_one_name() {
        let (map, not_text) =
            parse("[chapter]\ntargets = \"T\"\nshort.targets = \"S\"\nn = 1\n").unwrap();
        assert_eq!(not_text, ["chapter.n"]);
        assert_eq!(map["chapter.targets"], "T");
        assert_eq!(map["chapter.short.targets"], "S");
        assert_eq!(map.len(), 2);
    }

    /// The prefixes of UI-string keys.
    const PREFIXES: &[&str] = &[
        "chapter", "chart", "col", "fig", "legend", "sec", "ui", "value", "word",
    ];

    /// Every quoted `prefix.name` in a source or template text.
    fn quoted_keys(text: &str) -> Vec<String> {
        text.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                s.split_once('.').is_some_and(|(prefix, rest)| {
                    PREFIXES.contains(&prefix)
                        && !rest.is_empty()
                        && rest.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || "_.".contains(c)
                        })
                        && !rest.ends_with(['_', '.'])
                        // File names such as "chapter.html" are not keys.
                        && ![".html", ".md", ".svg", ".csv", ".json"].iter().any(|e| s.ends_with(e))
                })
            })
            .map(str::to_string)
            .collect()
    }

    /// The column names of computed tables: `("name", Kind::…)` in `Table::new`.
    fn column_names(text: &str) -> Vec<String> {
        text.match_indices("\", Kind::")
            .filter_map(|(end, _)| {
                let start = text[..end].rfind("(\"")? + 2;
                Some(text[start..end].to_string())
            })
            .collect()
    }

    #[test]
    fn every_key_the_code_and_templates_name_exists_in_every_language() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut named = std::collections::BTreeSet::new();
        for dir in ["src", "themes/default/templates"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
                let entry = entry.unwrap();
                let path = entry.path();
                if !entry.file_type().is_file() || path.ends_with("render/i18n.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(path).unwrap();
                for key in quoted_keys(&text) {
                    named.insert((key, path.display().to_string()));
                }
                // Keys built at run time: `col.<column>` for every computed table column.
                for column in column_names(&text) {
                    named.insert((format!("col.{column}"), path.display().to_string()));
                }
            }
        }
        for id in ChapterId::ALL {
            named.insert((format!("chapter.{}", id.key()), "ChapterId".into()));
            named.insert((format!("chapter.short.{}", id.key()), "ChapterId".into()));
        }
        for status in crate::chapters::promotions::compute::Status::ALL {
            named.insert((format!("word.status_{}", status.key()), "Status".into()));
        }
        assert!(
            named.len() > 300,
            "the scan finds the keys ({} found)",
            named.len()
        );
        for language in [Language::En, Language::ZhCn] {
            let strings = Strings::built_in(language);
            let missing: Vec<String> = named
                .iter()
                .filter(|(key, _)| strings.try_get(key).is_none())
                .map(|(key, place)| format!("{key} (in {place})"))
                .collect();
            assert!(missing.is_empty(), "{} lacks {missing:#?}", language.code());
        }
    }

    #[test]
    fn the_key_scan_finds_keys_and_columns() {
        assert_eq!(
            quoted_keys(r#"cx.t("sec.tiers"), t["ui.contents"], "word.status_{}", "a.b""#),
            ["sec.tiers", "ui.contents"]
        );
        assert_eq!(
            column_names(r#"&[("month", Kind::Text), ("target", Kind::Money)]"#),
            ["month", "target"]
        );
    }

    #[test]
    fn positions_are_one_based_lines_and_columns() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_of_key("[col]\n\ntarget = \"x\"", "col.target"), 3);
    }
}
