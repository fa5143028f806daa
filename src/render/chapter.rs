//! What each chapter shows, as blocks: its narrative, its plan content as readable tables
//! and lists, and its computed tables and charts. One module per chapter.

use rust_decimal::Decimal;

use super::doc::{Block, ChartView, Fact, Note, TableView};
use super::format::Formatter;
use super::markdown::{Narrator, Origin};
use crate::chapters::ChapterId;
use crate::diag::Diagnostic;
use crate::model::Model;
use crate::plan::Language;
use crate::project::Project;
use crate::yaml::YamlSource;

/// A chart file produced while building a chapter.
#[derive(Debug, Clone)]
pub struct ChartFile {
    /// Path inside the output, `charts/<name>.svg`.
    pub path: String,
    pub svg: String,
}

/// Shared state while building the chapters.
pub struct Cx<'a> {
    pub language: Language,
    pub fmt: &'a Formatter,
    pub narrator: &'a Narrator,
    pub project: &'a Project,
    pub model: &'a Model,
    pub errors: Vec<Diagnostic>,
    pub charts: Vec<ChartFile>,
}

impl<'a> Cx<'a> {
    pub fn t(&self, key: &str) -> &'a str {
        self.fmt.t(key)
    }

    fn project(&self) -> &'a Project {
        self.project
    }

    /// A section heading from a UI-string key (`sec.…`); its id is the key's last part.
    pub fn heading(&self, key: &str) -> Block {
        Block::Heading {
            text: self.t(key).to_string(),
            id: key.rsplit('.').next().unwrap_or(key).replace('_', "-"),
            level: 1,
        }
    }

    /// A Markdown field of a chapter YAML, rendered; errors are collected.
    pub fn prose(
        &mut self,
        chapter: ChapterId,
        key_path: &str,
        text: Option<&String>,
    ) -> Option<Block> {
        let text = text.filter(|t| !t.trim().is_empty())?;
        let location = self.source(chapter).map(|s| s.locate(key_path));
        let origin = match location {
            Some(loc) => Origin::Field(loc),
            None => Origin::File("content"),
        };
        match self.narrator.render(text, origin) {
            Ok(p) => Some(Block::Prose(p)),
            Err(e) => {
                self.errors.push(*e);
                None
            }
        }
    }

    /// Notes attached to list items, as one block: `(label, notes, key path)`.
    pub fn notes<'n>(
        &mut self,
        chapter: ChapterId,
        items: impl IntoIterator<Item = (String, Option<&'n String>, String)>,
    ) -> Option<Block> {
        let mut notes = Vec::new();
        for (label, text, key_path) in items {
            if let Some(Block::Prose(p)) = self.prose(chapter, &key_path, text) {
                notes.push(Note {
                    label,
                    html: p.html,
                    markdown: p.markdown.trim().to_string(),
                });
            }
        }
        (!notes.is_empty()).then_some(Block::Notes { items: notes })
    }

    /// The `notes:` of every item of a YAML list, labelled by `label`.
    pub fn item_notes<'n, T>(
        &mut self,
        chapter: ChapterId,
        list: &str,
        items: &'n [T],
        label: impl Fn(&'n T) -> (String, Option<&'n String>),
    ) -> Option<Block> {
        let notes: Vec<_> = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let (name, text) = label(item);
                (name, text, item_path(list, i))
            })
            .collect();
        self.notes(chapter, notes)
    }

    fn source(&self, chapter: ChapterId) -> Option<&'a YamlSource> {
        self.project().sources.get(&chapter)
    }

    /// Registers a chart file and returns the block that shows it.
    pub fn chart(
        &mut self,
        name: &str,
        svg: String,
        title: String,
        alt: String,
        csv: Option<&str>,
    ) -> Block {
        let path = format!("charts/{name}.svg");
        self.charts.push(ChartFile {
            path: path.clone(),
            svg,
        });
        Block::Chart(ChartView {
            src: path,
            title,
            alt,
            csv: csv.map(|c| format!("data/{c}.csv")),
        })
    }

    pub fn money(&self, d: Decimal) -> String {
        self.fmt.money(d)
    }

    /// Money without minor units when it is whole or reaches 10,000 (where cents carry no
    /// information, as in computed tables): `¥300`, `¥1,784,148`; `¥12.50` keeps them.
    pub fn money_plain(&self, d: Decimal) -> String {
        if d.fract().is_zero() || d.abs() >= Decimal::from(10_000) {
            self.fmt.money_whole(d)
        } else {
            self.fmt.money(d)
        }
    }

    pub fn fact(&self, key: &str, value: String) -> Fact {
        Fact {
            label: self.t(key).to_string(),
            value,
        }
    }

    /// A plan table from UI-string keys for its columns (`col.…`), numeric flags and rows.
    pub fn table(
        &self,
        id: &str,
        caption_key: &str,
        columns: &[(&str, bool)],
        rows: Vec<Vec<String>>,
    ) -> Block {
        let labels: Vec<(&str, bool)> = columns.iter().map(|&(k, n)| (self.t(k), n)).collect();
        // `-table` keeps the id apart from the section heading's (`#competitors`).
        Block::Table(TableView::plan(
            &format!("{id}-table"),
            self.t(caption_key),
            &labels,
            rows,
        ))
    }
}

/// One chapter's page content.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChapterContent {
    pub blocks: Vec<Block>,
    /// One line for the front page: where this chapter stands.
    pub status: String,
}

/// Builds every chapter in order.
pub fn build_all(cx: &mut Cx) -> Vec<(ChapterId, Option<ChapterContent>)> {
    ChapterId::ALL
        .into_iter()
        .map(|id| {
            let planned = cx.project().sources.contains_key(&id) || id == ChapterId::Insights;
            let content = planned.then(|| {
                let mut blocks = Vec::new();
                if let Some((path, text)) = cx.project().narratives.get(&id) {
                    match cx.narrator.render(text, Origin::File(path)) {
                        Ok(p) => blocks.push(Block::Prose(p)),
                        Err(e) => cx.errors.push(*e),
                    }
                }
                let (mut body, status) = id.chapter().page(cx);
                blocks.append(&mut body);
                ChapterContent { blocks, status }
            });
            (id, content)
        })
        .collect()
}

/// `a, b, c` in the plan's language.
pub fn join(language: Language, items: &[String]) -> String {
    match language {
        Language::En => items.join(", "),
        Language::ZhCn => items.join("、"),
    }
}

/// Phrases that may contain commas themselves: `a; b; c` / `a；b；c`.
pub fn join_phrases(language: Language, items: &[String]) -> String {
    match language {
        Language::En => items.join("; "),
        Language::ZhCn => items.join("；"),
    }
}

/// An optional text cell.
pub fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "—".to_string())
}

/// A key path for item `i` of list `list`.
pub fn item_path(list: &str, i: usize) -> String {
    format!("{list}[{i}].notes")
}
