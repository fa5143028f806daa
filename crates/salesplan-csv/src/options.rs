//! How a dataset's files are read: their encoding, their delimiter, whether identical rows
//! are removed, how spec column names map to header names, and how many workers read.

use std::collections::BTreeMap;
use std::fmt;
use std::num::NonZeroUsize;

/// The text encoding of a file. UTF-8 files may start with a byte order mark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Encoding {
    #[default]
    Utf8,
    Gbk,
    Gb18030,
}

/// The byte between fields: one ASCII character that is neither a line break nor the
/// quote, so records can be cut at line breaks and quotes keep their meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delimiter(u8);

/// Why a text cannot be a delimiter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelimiterError(String);

impl fmt::Display for DelimiterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DelimiterError {}

impl Delimiter {
    pub const COMMA: Delimiter = Delimiter(b',');

    /// A delimiter as a plan spells it: one ASCII character, or `\t` / `tab` for a tab.
    pub fn parse(text: &str) -> Result<Self, DelimiterError> {
        match text {
            "\\t" | "\t" | "tab" => Ok(Delimiter(b'\t')),
            _ if text.len() == 1 && text.is_ascii() => Delimiter::new(text.as_bytes()[0]),
            _ => Err(DelimiterError(format!(
                "delimiter must be a single ASCII character (or `\\t`), found `{text}`"
            ))),
        }
    }

    /// One ASCII byte other than `\n`, `\r` and `"`.
    pub fn new(byte: u8) -> Result<Self, DelimiterError> {
        let refused = match byte {
            b'\n' => "a line break (`\\n`)",
            b'\r' => "a carriage return (`\\r`)",
            b'"' => "the quote character (`\"`)",
            _ if !byte.is_ascii() => {
                return Err(DelimiterError(format!(
                    "delimiter must be a single ASCII character (or `\\t`), found byte 0x{byte:02X}"
                )))
            }
            _ => return Ok(Delimiter(byte)),
        };
        Err(DelimiterError(format!(
            "delimiter cannot be {refused}: records end at line breaks and quotes enclose values; use `,`, `;`, `|` or `\\t`"
        )))
    }

    pub fn byte(self) -> u8 {
        self.0
    }
}

impl Default for Delimiter {
    fn default() -> Self {
        Delimiter::COMMA
    }
}

/// How one dataset is read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub encoding: Encoding,
    pub delimiter: Delimiter,
    /// Whether rows identical in every column to an earlier one are removed.
    pub dedupe: bool,
    /// Spec column name → the header name the files use for it.
    pub columns: BTreeMap<String, String>,
    /// Worker threads for the block reader; `None`: one per core (at most 8), and one
    /// for files of a few blocks.
    pub workers: Option<NonZeroUsize>,
}

impl Options {
    /// `amount`, or `销售额 (amount)` when the files' header differs from the spec name.
    pub fn column_label(&self, spec_name: &str) -> String {
        match self.columns.get(spec_name) {
            Some(header) if header != spec_name => format!("{header} ({spec_name})"),
            _ => spec_name.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delimiter_is_one_ascii_character_other_than_a_line_break_or_a_quote() {
        assert_eq!(Delimiter::parse(";").map(Delimiter::byte), Ok(b';'));
        for tab in ["\\t", "\t", "tab"] {
            assert_eq!(Delimiter::parse(tab).map(Delimiter::byte), Ok(b'\t'));
        }
        for refused in ["\n", "\r", "\""] {
            let error = Delimiter::parse(refused).unwrap_err().to_string();
            assert!(
                error.starts_with("delimiter cannot be"),
                "{refused:?}: {error}"
            );
        }
        for wrong in [";;", "", "，"] {
            let error = Delimiter::parse(wrong).unwrap_err().to_string();
            assert!(
                error.contains("single ASCII character"),
                "{wrong:?}: {error}"
            );
        }
        assert!(Delimiter::new(0xE9).is_err());
    }
}
