//! Narrative text: Markdown files and YAML `text`/`notes`/`description` fields are first
//! rendered as minijinja templates with the computed model in scope (filters `money`,
//! `pct`, `num`), then as Markdown. Raw HTML is escaped unless `allow_html` (FORMAT.md §2).

use std::ops::Range;

use minijinja::value::{Serde, Value};
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior};
use pulldown_cmark::{html, Event, Options, Parser};
use rust_decimal::Decimal;

use super::format::Formatter;
use crate::diag::{Diagnostic, Location, Severity};

/// A narrative, rendered for the HTML editions and for the Markdown edition.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Prose {
    pub html: String,
    pub markdown: String,
}

impl Prose {
    /// One paragraph of computed text (a sentence the engine writes), escaped for both
    /// editions.
    pub fn paragraph(text: &str) -> Prose {
        let mut markdown = String::with_capacity(text.len());
        for c in text.chars() {
            if matches!(
                c,
                '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|'
            ) {
                markdown.push('\\');
            }
            markdown.push(c);
        }
        Prose {
            html: format!("<p>{}</p>", super::theme::escape_html(text)),
            markdown,
        }
    }
}

/// Where a narrative came from, to locate its errors.
pub enum Origin<'a> {
    /// A Markdown file (path relative to ROOT): template lines are file lines.
    File(&'a str),
    /// A YAML field: errors point at the field.
    Field(Location),
}

/// Renders narratives with the model as template context.
pub struct Narrator {
    env: Environment<'static>,
    context: Value,
    allow_html: bool,
}

impl Narrator {
    pub fn new(model_json: &serde_json::Value, formatter: &Formatter, allow_html: bool) -> Self {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // Narratives are Markdown, escaped after rendering; no template-level escaping.
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        let f = formatter.clone();
        env.add_filter("money", move |v: Value| -> Result<String, Error> {
            Ok(f.money(number(&v, "money")?))
        });
        let f = formatter.clone();
        env.add_filter("pct", move |v: Value| -> Result<String, Error> {
            Ok(f.pct(number(&v, "pct")?))
        });
        let f = formatter.clone();
        env.add_filter("date", move |v: Value| -> Result<String, Error> {
            let text = v.to_string();
            chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .map(|d| f.date(d))
                .map_err(|_| {
                    Error::new(
                        ErrorKind::InvalidOperation,
                        format!("`date` needs a date (YYYY-MM-DD), found `{text}`"),
                    )
                })
        });
        let f = formatter.clone();
        env.add_filter(
            "num",
            move |v: Value, dp: Option<u32>| -> Result<String, Error> {
                Ok(f.num(number(&v, "num")?, dp.unwrap_or(2)))
            },
        );
        Narrator {
            env,
            context: Value::from(Serde(model_json)),
            allow_html,
        }
    }

    /// Renders one narrative, or the located error.
    pub fn render(&self, source: &str, origin: Origin) -> Result<Prose, Box<Diagnostic>> {
        let expanded = self
            .env
            .render_str(source, self.context.clone())
            .map_err(|e| {
                let (location, source_line) = match origin {
                    Origin::File(path) => {
                        let line = e.line().unwrap_or(1);
                        let col = e.range().map(|r| column_of(source, r)).unwrap_or(1);
                        (
                            Location::yaml(path, line, col),
                            source.lines().nth(line - 1).map(str::to_string),
                        )
                    }
                    Origin::Field(location) => (location, None),
                };
                Box::new(Diagnostic {
                    severity: Severity::Error,
                    location: Some(location),
                    message: template_message(&e),
                    source_line,
                })
            })?;
        Ok(self.markdown(&expanded))
    }

    /// Markdown (already expanded) to HTML and to the Markdown edition's text.
    pub fn markdown(&self, text: &str) -> Prose {
        let options =
            Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
        let parser = Parser::new_ext(text, options).into_offset_iter();
        let mut raw_html: Vec<Range<usize>> = Vec::new();
        let events: Vec<Event> = parser
            .map(|(event, range)| match event {
                Event::Html(h) | Event::InlineHtml(h) if !self.allow_html => {
                    raw_html.push(range);
                    Event::Text(h)
                }
                other => other,
            })
            .collect();
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter());
        Prose {
            html: out,
            markdown: escape_ranges(text, &raw_html),
        }
    }
}

/// The Markdown edition with one CSV link per figure. A chart and the table of the same
/// data below it each end in a "Data (CSV)" link to one file; a link that repeats the one
/// just above it (nothing but blank lines between) is dropped: a bare link line with its
/// blank line, or the ` · [link](…)` after a table's caption.
pub fn one_csv_link_per_figure(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut last: Option<&str> = None;
    let mut skip_blank = false;
    for line in markdown.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            if !std::mem::take(&mut skip_blank) {
                out.push_str(line);
            }
            continue;
        }
        skip_blank = false;
        match csv_link(text) {
            Some((before, href)) if last == Some(href) => match before {
                // A bare link line: dropped with the blank line after it.
                None => skip_blank = true,
                // A caption: kept, without the link.
                Some(caption) => {
                    out.push_str(caption);
                    out.push_str(&line[text.len()..]);
                }
            },
            Some((_, href)) => {
                last = Some(href);
                out.push_str(line);
            }
            None => {
                last = None;
                out.push_str(line);
            }
        }
    }
    out
}

/// A line that ends in a link to `data/….csv`: the text before ` · ` (`None` when the line
/// is only the link) and the link's target.
fn csv_link(line: &str) -> Option<(Option<&str>, &str)> {
    let body = line.strip_suffix(')')?;
    let open = body.rfind("](")?;
    let href = &body[open + 2..];
    if !(href.starts_with("data/") && href.ends_with(".csv")) || href.contains([' ', '(', ')']) {
        return None;
    }
    let start = body[..open].rfind('[')?;
    if start == 0 {
        return Some((None, href));
    }
    let caption = line[..start].strip_suffix(" · ")?;
    Some((Some(caption), href))
}

/// The column (1-based, in characters) of a byte offset.
fn column_of(source: &str, range: Range<usize>) -> usize {
    let start = range.start.min(source.len());
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    source[line_start..start].chars().count() + 1
}

/// `<` in raw-HTML ranges becomes `&lt;`, so a git host shows it as text too.
fn escape_ranges(text: &str, ranges: &[Range<usize>]) -> String {
    if ranges.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for r in ranges {
        if r.start < pos {
            continue;
        }
        out.push_str(&text[pos..r.start]);
        out.push_str(&text[r.clone()].replace('<', "&lt;"));
        pos = r.end;
    }
    out.push_str(&text[pos..]);
    out
}

fn template_message(e: &Error) -> String {
    let detail = e.detail().map(|d| format!(": {d}")).unwrap_or_default();
    match e.kind() {
        ErrorKind::UndefinedError => format!("undefined value in template{detail}"),
        ErrorKind::UnknownFilter => {
            format!("unknown filter{detail} (available: money, pct, num, date)")
        }
        ErrorKind::SyntaxError => format!("template syntax error{detail}"),
        ErrorKind::InvalidOperation => e.detail().unwrap_or("invalid operation").to_string(),
        _ => format!("template error: {e}"),
    }
}

/// A template value as an exact decimal for the formatting filters.
fn number(v: &Value, filter: &str) -> Result<Decimal, Error> {
    if v.is_undefined() {
        return Err(Error::new(
            ErrorKind::UndefinedError,
            format!("`{filter}` was given a name that does not exist in the model"),
        ));
    }
    let text = v.to_string();
    text.parse::<Decimal>()
        .or_else(|_| Decimal::from_scientific(&text))
        .map_err(|_| {
            let shown = if v.is_none() || v.is_undefined() {
                "an empty value".to_string()
            } else {
                format!("`{text}`")
            };
            Error::new(
                ErrorKind::InvalidOperation,
                format!("`{filter}` needs a number, found {shown}"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use crate::plan::Language;
    use serde_json::json;

    fn narrator(allow_html: bool) -> Narrator {
        let model =
            json!({ "targets": { "annual": 120000000.0, "growth": 0.124, "ytd_growth": null } });
        let f = Formatter::new(Language::En, Currency::from_code("CNY").unwrap());
        Narrator::new(&model, &f, allow_html)
    }

    #[test]
    fn narratives_quote_live_figures() {
        let p = narrator(false)
            .render(
                "Target **{{ targets.annual | money }}**, {{ targets.growth | pct }} up.",
                Origin::File("content/targets.md"),
            )
            .unwrap();
        assert_eq!(
            p.html,
            "<p>Target <strong>¥120,000,000.00</strong>, 12.4\u{a0}% up.</p>\n"
        );
    }

    #[test]
    fn dates_read_in_the_plan_language() {
        let model = json!({ "plan": { "as_of": "2026-10-31" } });
        let zh = Formatter::new(Language::ZhCn, Currency::from_code("CNY").unwrap());
        let p = Narrator::new(&model, &zh, false)
            .render("截至{{ plan.as_of | date }}", Origin::File("x.md"))
            .unwrap();
        assert_eq!(p.html, "<p>截至2026年10月31日</p>\n");
    }

    #[test]
    fn undefined_values_are_located_errors() {
        let err = narrator(false)
            .render(
                "Intro\n\nWe aim for {{ targets.anual | money }}.",
                Origin::File("content/targets.md"),
            )
            .unwrap_err();
        assert_eq!(err.location.as_ref().unwrap().line, Some(3));
        assert!(
            err.message.starts_with("undefined value"),
            "{}",
            err.message
        );
        let err = narrator(false)
            .render(
                "{{ targets.ytd_growth | pct }}",
                Origin::File("content/targets.md"),
            )
            .unwrap_err();
        assert!(
            err.message.contains("`pct` needs a number"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_table_below_its_chart_does_not_repeat_the_csv_link() {
        let md = "![alt](charts/a.svg)\n*Title* · [Data (CSV)](data/a.csv)\n\n[Data (CSV)](data/a.csv)\n\n| A |\n|---|\n| 1 |\n\n![alt](charts/b.svg)\n*B* · [Data (CSV)](data/b.csv)\n\n*Caption* · [Data (CSV)](data/b.csv)\n\n| B |\n\n*Other* · [Data (CSV)](data/c.csv)\n\n| C |\n";
        assert_eq!(
            one_csv_link_per_figure(md),
            "![alt](charts/a.svg)\n*Title* · [Data (CSV)](data/a.csv)\n\n| A |\n|---|\n| 1 |\n\n![alt](charts/b.svg)\n*B* · [Data (CSV)](data/b.csv)\n\n*Caption*\n\n| B |\n\n*Other* · [Data (CSV)](data/c.csv)\n\n| C |\n"
        );
        // The same CSV for a second figure further down keeps its own link.
        let md =
            "*A* · [数据（CSV）](data/a.csv)\n\n| A |\n\n*A again* · [数据（CSV）](data/a.csv)\n";
        assert_eq!(one_csv_link_per_figure(md), md);
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let p = narrator(false).markdown("Hi <script>alert(1)</script> there");
        assert!(p.html.contains("&lt;script&gt;"), "{}", p.html);
        assert!(!p.html.contains("<script>"));
        assert!(p.markdown.contains("&lt;script>"));
        let p = narrator(true).markdown("Hi <b>bold</b>");
        assert!(p.html.contains("<b>bold</b>"));
    }
}
