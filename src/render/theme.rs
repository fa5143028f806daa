//! The theme: templates and static assets embedded from `themes/default/`, overridden file
//! by file from `ROOT/themes/<name>/` (user → built-in), through one table of files.

use std::path::{Path, PathBuf};

use minijinja::{Environment, Error, ErrorKind};

/// The built-in theme, `(path under themes/default/, bytes)`, sorted by path.
const EMBEDDED: &[(&str, &[u8])] = &include!(concat!(env!("OUT_DIR"), "/theme.rs"));

/// Where a theme's overrides live, if the project has them.
#[derive(Debug, Clone)]
pub struct Theme {
    dir: Option<PathBuf>,
}

impl Theme {
    /// `ROOT/themes/<name>/` when it exists; otherwise only the built-in files are used.
    pub fn new(root: &Path, name: &str) -> Theme {
        let dir = root.join("themes").join(name);
        Theme {
            dir: dir.is_dir().then_some(dir),
        }
    }

    /// A theme file: the project's override if present, else the built-in one.
    pub fn file(&self, rel: &str) -> std::io::Result<Option<Vec<u8>>> {
        if !is_safe(rel) {
            return Ok(None);
        }
        if let Some(dir) = &self.dir {
            let path = dir.join(rel);
            if path.is_file() {
                return std::fs::read(path).map(Some);
            }
        }
        Ok(EMBEDDED
            .iter()
            .find(|(p, _)| *p == rel)
            .map(|(_, b)| b.to_vec()))
    }

    /// A built-in theme file, ignoring the project's theme.
    pub fn built_in(rel: &str) -> Option<&'static [u8]> {
        EMBEDDED.iter().find(|(p, _)| *p == rel).map(|&(_, b)| b)
    }

    /// The project theme's own copy of `rel`, if it has one: (path relative to ROOT, bytes).
    pub fn override_file(&self, rel: &str) -> std::io::Result<Option<(String, Vec<u8>)>> {
        let Some(dir) = self.dir.as_ref().filter(|_| is_safe(rel)) else {
            return Ok(None);
        };
        let path = dir.join(rel);
        if !path.is_file() {
            return Ok(None);
        }
        let name = dir
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        Ok(Some((format!("themes/{name}/{rel}"), std::fs::read(path)?)))
    }

    /// Whether `rel` comes from the project's theme folder (for error locations).
    pub fn is_override(&self, rel: &str) -> bool {
        self.dir.as_ref().is_some_and(|d| d.join(rel).is_file())
    }

    /// Every static asset: built-in ones (possibly overridden) and the theme's own extras,
    /// as `(path under static/, bytes)` in name order.
    pub fn static_files(&self) -> std::io::Result<Vec<(String, Vec<u8>)>> {
        let mut names: Vec<String> = EMBEDDED
            .iter()
            .filter_map(|(p, _)| p.strip_prefix("static/").map(str::to_string))
            .collect();
        if let Some(dir) = &self.dir {
            let base = dir.join("static");
            for entry in walkdir::WalkDir::new(&base)
                .follow_links(false)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if entry.file_type().is_file() {
                    let rel = crate::data::reader::display_relative(&base, entry.path());
                    if !names.contains(&rel) {
                        names.push(rel);
                    }
                }
            }
        }
        names.sort();
        let mut files = Vec::new();
        for name in names {
            if let Some(bytes) = self.file(&format!("static/{name}"))? {
                files.push((name, bytes));
            }
        }
        Ok(files)
    }

    /// A template environment reading `templates/<name>` through this theme.
    pub fn environment(&self) -> Environment<'static> {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        let theme = self.clone();
        env.set_loader(move |name| {
            let bytes = theme.file(&format!("templates/{name}")).map_err(|e| {
                Error::new(
                    ErrorKind::InvalidOperation,
                    format!("cannot read template {name}: {e}"),
                )
            })?;
            match bytes {
                None => Ok(None),
                Some(b) => String::from_utf8(b).map(Some).map_err(|_| {
                    Error::new(
                        ErrorKind::InvalidOperation,
                        format!("template {name} is not UTF-8"),
                    )
                }),
            }
        });
        env.add_filter("md_cell", md_cell);
        // Author text outside tables (titles, headings, notices) in plan.md: escaped as
        // table cells are, unless the plan sets `allow_html` (FORMAT.md §2).
        env.add_filter(
            "md_text",
            |value: String, allow_html: bool| {
                if allow_html {
                    value
                } else {
                    md_cell(value)
                }
            },
        );
        // Width in ems (CJK a full em, Latin about half), for choosing short cells.
        env.add_filter("ems", |text: &str| crate::chart::text_width(text, 1.0));
        // minijinja's HTML escaping also escapes `/`, which turns every relative link into
        // `charts&#x2f;x.svg`: valid, but unreadable. Escape only what HTML needs.
        env.set_formatter(|out, state, value| {
            if matches!(state.auto_escape(), minijinja::AutoEscape::Html)
                && !value.is_safe()
                && value.as_str().is_some()
            {
                out.write_str(&escape_html(value.as_str().unwrap_or_default()))
                    .map_err(|_| Error::new(ErrorKind::WriteFailure, "writing template output"))
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        env
    }
}

/// `&`, `<`, `>`, `"` and `'` as entities.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Template and asset names stay inside the theme folder.
fn is_safe(rel: &str) -> bool {
    !rel.starts_with('/')
        && !rel
            .split(['/', '\\'])
            .any(|part| part == ".." || part.is_empty())
}

/// Text for a Markdown table cell or inline position: Markdown syntax escaped, one line.
fn md_cell(value: String) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_has_the_page_templates() {
        for name in [
            "templates/base.html",
            "templates/chapter.html",
            "templates/index.html",
            "templates/print.html",
            "templates/plan.md",
            "static/style.css",
        ] {
            assert!(
                EMBEDDED.iter().any(|(p, _)| *p == name),
                "{name} is embedded"
            );
        }
    }

    #[test]
    fn names_cannot_escape_the_theme() {
        assert!(!is_safe("../secret"));
        assert!(!is_safe("templates/../../x"));
        assert!(!is_safe("/etc/passwd"));
        assert!(is_safe("templates/base.html"));
    }

    #[test]
    fn html_escaping_keeps_slashes() {
        let env = Theme { dir: None }.environment();
        let out = env
            .render_str(
                "{{ a }}",
                minijinja::context! { a => "<b>\"x\" & 'y'</b> charts/a.svg" },
            )
            .unwrap();
        assert_eq!(
            out, "<b>\"x\" & 'y'</b> charts/a.svg",
            "no escaping outside HTML templates"
        );
        let tpl = env.template_from_named_str("t.html", "{{ a }}").unwrap();
        let out = tpl
            .render(minijinja::context! { a => "<b>\"x\" & 'y'</b> charts/a.svg" })
            .unwrap();
        assert_eq!(
            out,
            "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt; charts/a.svg"
        );
    }

    #[test]
    fn markdown_cells_are_escaped() {
        assert_eq!(md_cell("a|b *c*\nd".into()), "a\\|b \\*c\\* d");
    }
}
