//! Reading plan YAML into typed structs with located errors. serde_yaml deserialises (and
//! locates type errors and unknown keys); a position-keeping parse of the same text maps
//! key paths such as `by_region[1].share` to lines, so rules checked after parsing can
//! point at the offending key too.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};
use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, Location, Severity};

/// A YAML file that was read, kept for locating keys after parsing.
#[derive(Debug)]
pub struct YamlSource {
    /// Path relative to ROOT, with `/` separators.
    pub path: String,
    text: String,
    spans: HashMap<String, (usize, usize)>,
    /// The first key that occurs twice in one mapping, for a located error.
    duplicate: Option<DuplicateKey>,
}

/// A key given twice in one mapping: where the second one is, and the first one's line.
#[derive(Debug)]
struct DuplicateKey {
    key: String,
    at: (usize, usize),
    first_line: usize,
}

/// Nesting deeper than this is refused before serde_yaml sees it (stack safety).
const MAX_DEPTH: usize = 64;

impl YamlSource {
    pub fn new(path: impl Into<String>, text: String) -> Self {
        let (spans, duplicate) = index_key_positions(&text);
        YamlSource {
            path: path.into(),
            text,
            spans,
            duplicate,
        }
    }

    /// Deserialises the whole document, or returns the located error.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Box<Diagnostic>> {
        if let Some((line, col)) = too_deep(&self.text) {
            return Err(Box::new(self.diagnostic_at(
                line,
                col,
                format!("YAML nested deeper than {MAX_DEPTH} levels"),
            )));
        }
        // serde_yaml reports a duplicate at the mapping's start; point at the second key.
        if let Some(dup) = &self.duplicate {
            return Err(Box::new(self.diagnostic_at(
                dup.at.0,
                dup.at.1,
                format!(
                    "duplicate key `{}` (first given on line {})",
                    dup.key, dup.first_line
                ),
            )));
        }
        // An empty file is an empty mapping: every section is optional.
        let text = if self.text.trim().is_empty() {
            "{}"
        } else {
            &self.text
        };
        serde_yaml::from_str(text).map_err(|e| {
            let (line, col) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((1, 1));
            Box::new(self.diagnostic_at(line, col, clean_serde_message(&e.to_string())))
        })
    }

    /// The location of a key path (`by_region[1].share`), falling back to the nearest
    /// parent that is known, then to the file itself.
    pub fn locate(&self, key_path: &str) -> Location {
        let mut path = key_path;
        loop {
            if let Some(&(line, col)) = self.spans.get(path) {
                return Location::yaml(&self.path, line, col);
            }
            match parent_path(path) {
                Some(parent) => path = parent,
                None => return Location::file(&self.path),
            }
        }
    }

    /// A diagnostic at a key path, with the source line for the caret.
    pub fn diagnostic(&self, severity: Severity, key_path: &str, message: String) -> Diagnostic {
        let location = self.locate(key_path);
        let source_line = location.line.and_then(|l| self.line_text(l));
        Diagnostic {
            severity,
            location: Some(location),
            message,
            source_line,
        }
    }

    fn diagnostic_at(&self, line: usize, col: usize, message: String) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            location: Some(Location::yaml(&self.path, line, col)),
            message,
            source_line: self.line_text(line),
        }
    }

    fn line_text(&self, line: usize) -> Option<String> {
        self.text
            .lines()
            .nth(line.checked_sub(1)?)
            .map(|l| l.trim_end().to_string())
    }
}

/// `a.b[2].c` → `a.b[2]` → `a.b` → `a`.
fn parent_path(path: &str) -> Option<&str> {
    let cut = path.rfind(['.', '['])?;
    Some(&path[..cut])
}

/// serde_yaml writes " at line L column C" into its messages; the location is printed
/// separately, so those parts go, and serde's type words become plain ones.
fn clean_serde_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + " at line ".len()..];
        // Skip "L column C".
        let digits = |t: &str| t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let after_line = &tail[digits(tail)..];
        rest = match after_line.strip_prefix(" column ") {
            Some(col) => &col[digits(col)..],
            None => after_line,
        };
    }
    out.push_str(rest);
    out.replace("unknown field", "unknown key")
        .replace("missing field", "missing required key")
        .replace(
            "a Decimal type representing a fixed-point number",
            "a number",
        )
}

/// Finds the first place where nesting exceeds [`MAX_DEPTH`], by a cheap event scan.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else {
            return None; // serde_yaml reports syntax errors with its own location
        };
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some((span.start.line(), span.start.col() + 1));
                }
            }
            Event::MappingEnd | Event::SequenceEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

enum Frame {
    Mapping { path: String, key: Option<String> },
    Sequence { path: String, index: usize },
}

/// Maps every key path of the first document to the (line, column) of its key, and every
/// sequence item to the position of the item, and finds the first duplicate key. Lines
/// and columns are 1-based.
fn index_key_positions(text: &str) -> (HashMap<String, (usize, usize)>, Option<DuplicateKey>) {
    let mut spans: HashMap<String, (usize, usize)> = HashMap::new();
    let mut duplicate = None;
    let mut stack: Vec<Frame> = Vec::new();
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else { break };
        let pos = (span.start.line(), span.start.col() + 1);
        // The path of the node this event starts, if it starts a value node.
        let mut node_path = |stack: &mut Vec<Frame>, is_scalar: Option<&str>| -> Option<String> {
            match stack.last_mut() {
                None => Some(String::new()),
                Some(Frame::Mapping { path, key }) => match key.take() {
                    None => {
                        // This node is a key.
                        let name = is_scalar.unwrap_or("?").to_string();
                        let full = join(path, &name);
                        match spans.get(&full) {
                            // Merge keys (`<<`) may repeat, and complex keys (`?`) are
                            // not compared; any other key may not repeat.
                            Some(&(first_line, _))
                                if duplicate.is_none() && name != "<<" && name != "?" =>
                            {
                                duplicate = Some(DuplicateKey {
                                    key: name.clone(),
                                    at: pos,
                                    first_line,
                                });
                            }
                            Some(_) => {}
                            None => {
                                spans.insert(full, pos);
                            }
                        }
                        *key = Some(name);
                        None
                    }
                    Some(name) => Some(join(path, &name)),
                },
                Some(Frame::Sequence { path, index }) => {
                    let full = format!("{path}[{index}]");
                    *index += 1;
                    spans.entry(full.clone()).or_insert(pos);
                    Some(full)
                }
            }
        };
        match event {
            Event::Scalar(value, ..) => {
                node_path(&mut stack, Some(&value));
            }
            Event::Alias(_) => {
                node_path(&mut stack, Some("?"));
            }
            Event::MappingStart(..) => {
                let path = node_path(&mut stack, None).unwrap_or_default();
                stack.push(Frame::Mapping { path, key: None });
            }
            Event::SequenceStart(..) => {
                let path = node_path(&mut stack, None).unwrap_or_default();
                stack.push(Frame::Sequence { path, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::DocumentEnd => break,
            _ => {}
        }
    }
    (spans, duplicate)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "annual_target: 1000\nby_region:\n  - { name: East, share: 0.4 }\n  - name: West\n    share: 0.6\n";

    #[test]
    fn key_paths_map_to_lines() {
        let src = YamlSource::new("content/targets.yaml", DOC.to_string());
        assert_eq!(
            src.locate("annual_target"),
            Location::yaml("content/targets.yaml", 1, 1)
        );
        assert_eq!(
            src.locate("by_region"),
            Location::yaml("content/targets.yaml", 2, 1)
        );
        assert_eq!(
            src.locate("by_region[0].share"),
            Location::yaml("content/targets.yaml", 3, 19)
        );
        assert_eq!(
            src.locate("by_region[1]"),
            Location::yaml("content/targets.yaml", 4, 5)
        );
        assert_eq!(
            src.locate("by_region[1].share"),
            Location::yaml("content/targets.yaml", 5, 5)
        );
        // Unknown paths fall back to the nearest known parent.
        assert_eq!(
            src.locate("by_region[1].nope"),
            Location::yaml("content/targets.yaml", 4, 5)
        );
        assert_eq!(
            src.locate("missing"),
            Location::file("content/targets.yaml")
        );
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Small {
        annual_target: i64,
    }

    #[test]
    fn unknown_keys_are_located() {
        let src = YamlSource::new("t.yaml", "annual_target: 5\nanual: 3\n".to_string());
        let err = src.parse::<Small>().unwrap_err();
        assert_eq!(err.location, Some(Location::yaml("t.yaml", 2, 1)));
        assert!(
            err.message.starts_with("unknown key `anual`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn serde_positions_are_removed_from_messages() {
        assert_eq!(
            clean_serde_message("did not find expected '-' indicator at line 4 column 4, while parsing a block collection at line 3 column 3"),
            "did not find expected '-' indicator, while parsing a block collection"
        );
    }

    #[test]
    fn a_duplicate_key_is_located_at_its_second_occurrence() {
        let text = "annual_target: 5\nby_region:\n  - name: East\n    name: West\n";
        let src = YamlSource::new("t.yaml", text.to_string());
        let err = src.parse::<serde_yaml::Value>().unwrap_err();
        assert_eq!(err.location, Some(Location::yaml("t.yaml", 4, 5)));
        assert_eq!(err.message, "duplicate key `name` (first given on line 3)");
        // The same key in two different mappings is fine.
        let ok = YamlSource::new("t.yaml", "a: {x: 1}\nb: {x: 2}\n".to_string());
        assert!(ok.parse::<serde_yaml::Value>().is_ok());
    }

    #[test]
    fn an_alias_bomb_is_refused_quickly() {
        // "Billion laughs": nine levels of nine aliases would expand to 9⁹ strings.
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..=9 {
            let refs = vec![format!("*a{}", level - 1); 9].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        let src = YamlSource::new("t.yaml", text);
        let err = src.parse::<serde_yaml::Value>().unwrap_err();
        assert!(err.message.contains("repetition limit"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "a: ".to_string() + &"[".repeat(100) + &"]".repeat(100);
        let src = YamlSource::new("t.yaml", text);
        let err = src.parse::<serde_yaml::Value>().unwrap_err();
        assert!(err.message.contains("nested deeper"), "{}", err.message);
    }
}
