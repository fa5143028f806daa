//! The build, as a readable list of named steps: load → read data → compute → render →
//! write, with `as_of` settled while the data is read (`as_of.rs`). `check` runs the same
//! steps up to render and writes nothing. The commands in
//! `src/cmd/` call these and print.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};

use crate::as_of;
use crate::cli::ProjectArgs;
use crate::data::Data;
use crate::diag::{Diagnostics, Location, MessageFormat};
use crate::model::{self, Model, Periods, PlanInfo};
use crate::output;
use crate::period::FiscalYear;
use crate::project::{find_root, Project, PLAN_FILE};
use crate::render;

/// What a build or check resolved its flags to.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub as_of: Option<chrono::NaiveDate>,
    pub base_url: Option<String>,
    pub strict: bool,
    pub message_format: MessageFormat,
}

impl Options {
    pub fn resolve(args: &ProjectArgs, strict: bool) -> Result<Options> {
        let cwd = std::env::current_dir().context("reading the current folder")?;
        let root = find_root(&cwd, args.root.as_deref())?;
        Ok(Options {
            root: output::normalize(&cwd, &root),
            as_of: args.as_of,
            base_url: args.base_url.clone(),
            strict,
            message_format: args.message_format,
        })
    }

    /// The output folder: `--out` (relative to the current folder), else ROOT/public.
    pub fn out_dir(&self, flag: Option<&Path>) -> Result<PathBuf> {
        match flag {
            Some(out) => {
                let cwd = std::env::current_dir().context("reading the current folder")?;
                Ok(output::normalize(&cwd, out))
            }
            None => Ok(self.root.join("public")),
        }
    }
}

/// A loaded, computed plan, ready to render.
pub struct Computed {
    pub project: Project,
    pub data: Data,
    pub model: Model,
}

/// Times a step at debug level (`SALESPLAN_LOG=debug`).
pub(crate) struct Step {
    name: &'static str,
    start: Instant,
}

impl Step {
    pub(crate) fn start(name: &'static str) -> Step {
        Step {
            name,
            start: Instant::now(),
        }
    }
}

impl Drop for Step {
    fn drop(&mut self) {
        if std::env::var_os("SALESPLAN_LOG").is_some_and(|v| v == "debug") {
            eprintln!(
                "debug: {:<8} {:>8.1} ms",
                self.name,
                self.start.elapsed().as_secs_f64() * 1e3
            );
        }
    }
}

/// Loads, reads and computes. `Ok(None)` means the input is invalid (diagnostics say why).
pub fn compute(options: &Options, diags: &mut Diagnostics) -> Result<Option<Computed>> {
    let project = {
        let _t = Step::start("load");
        match Project::load(&options.root, diags)? {
            Some(p) if !diags.has_errors() => p,
            _ => return Ok(None),
        }
    };
    // The commit (two `git` processes, a few milliseconds) is looked up while the data is
    // read.
    let source = {
        let root = options.root.clone();
        std::thread::spawn(move || crate::git::source_version(&root))
    };
    let given = options.as_of.or(project.plan.as_of);
    let Some((as_of, data)) = as_of::read_data(&project, &options.root, given, diags) else {
        return Ok(None);
    };
    if diags.has_errors() {
        return Ok(None);
    }
    let source = source
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let Some(info) = plan_info(&project, as_of, source, options, diags) else {
        return Ok(None);
    };
    let model = {
        let _t = Step::start("compute");
        model::compute(&project, &data, info, diags)
    };
    if options.strict {
        diags.make_strict();
    }
    if diags.has_errors() {
        return Ok(None);
    }
    Ok(Some(Computed {
        project,
        data,
        model,
    }))
}

/// Settings of this build: CLI flags over plan.yaml, `as_of` defaulting to the data.
fn plan_info(
    project: &Project,
    as_of: Option<chrono::NaiveDate>,
    source: Option<crate::git::SourceVersion>,
    options: &Options,
    diags: &mut Diagnostics,
) -> Option<PlanInfo> {
    let plan = &project.plan;
    let as_of = match as_of {
        Some(d) => d,
        None => {
            diags.error(
                Location::file(PLAN_FILE),
                "no as_of: the sales dataset has no valid rows, so set `as_of` in content/plan.yaml or pass --as-of",
            );
            return None;
        }
    };
    Some(PlanInfo {
        title: plan.title.clone(),
        company: plan.company.clone(),
        author: plan.author.clone(),
        fiscal_year: plan.fiscal_year,
        fiscal_year_start: plan.fiscal_year_start,
        currency: project.currency.clone(),
        language: plan.language,
        paper: plan.paper,
        allow_html: plan.allow_html,
        base_url: options.base_url.clone(),
        source,
        periods: Periods {
            fy: FiscalYear::new(plan.fiscal_year, plan.fiscal_year_start),
            as_of,
        },
    })
}

/// What a successful build wrote.
#[derive(Debug)]
pub struct Built {
    pub title: String,
    pub seconds: f64,
    pub pages: usize,
    pub charts: usize,
    pub tables: usize,
}

impl Built {
    /// "built TITLE into public/ in 0.18 s (9 pages, …; 0 errors, …)".
    pub fn summary(&self, root: &Path, out: &Path, diags: &Diagnostics) -> String {
        format!(
            "built {} into {} in {:.2} s ({} pages, {} charts, {} tables; {})",
            self.title,
            display(root, out),
            self.seconds,
            self.pages,
            self.charts,
            self.tables,
            diags.summary()
        )
    }
}

/// "build failed: 1 error, …; public/ left unchanged".
pub fn failure_summary(root: &Path, out: &Path, diags: &Diagnostics) -> String {
    format!(
        "build failed: {}; {} left unchanged",
        diags.summary(),
        display(root, out)
    )
}

/// The build without printing: `Ok(None)` when the input is invalid (`diags` says why),
/// in which case `out` is untouched.
pub fn build_into(options: &Options, out: &Path, diags: &mut Diagnostics) -> Result<Option<Built>> {
    let started = Instant::now();
    output::check_out_dir(&options.root, out)?;
    let Some(computed) = compute(options, diags)? else {
        return Ok(None);
    };
    let rendered = {
        let _t = Step::start("render");
        render::render_site(&computed.project, &computed.model, diags)?
    };
    let Some((files, written)) = rendered else {
        return Ok(None);
    };
    {
        let _t = Step::start("write");
        output::replace_dir(out, |dir| render::write_files(dir, &files))?;
    }
    Ok(Some(Built {
        title: computed.project.plan.title.clone(),
        seconds: started.elapsed().as_secs_f64(),
        pages: written.pages,
        charts: written.charts,
        tables: written.tables,
    }))
}

/// `check`: loads, reads, computes and renders in memory (a narrative that names an unknown
/// figure is an error only rendering finds), writing nothing. `Ok(None)` when the input is
/// invalid.
pub fn check(options: &Options, diags: &mut Diagnostics) -> Result<Option<Computed>> {
    let Some(computed) = compute(options, diags)? else {
        return Ok(None);
    };
    Ok(render::render_site(&computed.project, &computed.model, diags)?.map(|_| computed))
}

/// A folder for messages: relative to ROOT when inside it.
fn display(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) => format!("{}/", rel.display()),
        Err(_) => format!("{}/", path.display()),
    }
}
