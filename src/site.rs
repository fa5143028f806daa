//! The build, as a readable list of named steps: load → read data → compute → render →
//! write. `check` runs the same steps up to compute and writes nothing.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};

use crate::chapters::insights::compute::KpiStatus;
use crate::cli::{BuildArgs, CheckArgs, FailOn, ProjectArgs};
use crate::data::sales::PromotionScope;
use crate::data::{self, reader::ReadContext, Data, LoadOptions};
use crate::diag::{Diagnostics, InvalidInput, Location, MessageFormat};
use crate::model::table::fixed;
use crate::model::{self, Model, Periods, PlanInfo};
use crate::output;
use crate::period::FiscalYear;
use crate::period::{self, DateRange};
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
}

/// A loaded, computed plan, ready to render.
pub struct Computed {
    pub project: Project,
    pub data: Data,
    pub model: Model,
}

/// Times a step at debug level (`SALESPLAN_LOG=debug`).
struct Step {
    name: &'static str,
    start: Instant,
}

impl Step {
    fn start(name: &'static str) -> Step {
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
    let ctx = ReadContext {
        root: &options.root,
        plan_src: &project.plan_src,
    };
    let load_options = |as_of: Option<chrono::NaiveDate>, guess: bool| LoadOptions {
        ttm: as_of.map(period::ttm),
        survey_dimensions: project
            .chapters
            .customers
            .as_ref()
            .and_then(|c| c.survey.as_ref())
            .map(|s| s.dimensions.as_slice()),
        promotions: project
            .chapters
            .promotions
            .iter()
            .flat_map(|p| &p.promotions)
            .map(|p| PromotionScope {
                range: DateRange::new(p.start, p.end),
                channels: p.channels.clone(),
            })
            .collect(),
        as_of_guess: as_of.filter(|_| guess),
    };
    // as_of: the command line, else plan.yaml, else the latest valid sales date — first
    // guessed from the ends of the sales files (sorted exports keep it there) and checked
    // by the pass itself; when the guess is wrong, scanned for and read again.
    let given = options.as_of.or(project.plan.as_of);
    let guess = {
        let _t = Step::start("as_of");
        match given {
            Some(_) => None,
            None => data::guess_latest_sale(&ctx, &project.plan),
        }
    };
    let guessed = guess.and_then(|guess| {
        let _t = Step::start("data");
        let mut attempt = Diagnostics::default();
        let data = data::load(
            &ctx,
            &project.plan,
            &load_options(Some(guess), true),
            &mut attempt,
        )?;
        diags.extend(attempt);
        Some((Some(guess), data))
    });
    let (as_of, data) = match guessed {
        Some(found) => found,
        None => {
            let as_of = {
                let _t = Step::start("as_of");
                given.or_else(|| data::latest_sale(&ctx, &project.plan))
            };
            let _t = Step::start("data");
            match data::load(&ctx, &project.plan, &load_options(as_of, false), diags) {
                Some(d) => (as_of, d),
                None => return Ok(None),
            }
        }
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

/// `salesplan build`.
pub fn build_command(args: &BuildArgs) -> Result<()> {
    let options = Options::resolve(&args.project, args.strict)?;
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let out = match &args.out {
        Some(out) => output::normalize(&cwd, out),
        None => options.root.join("public"),
    };
    build_site(&options, &out)
}

/// Builds the whole site into `out`, replacing it only on success; prints the
/// diagnostics and a one-line outcome.
pub fn build_site(options: &Options, out: &Path) -> Result<()> {
    let mut diags = Diagnostics::default();
    let built = build_into(options, out, &mut diags)?;
    diags.print(options.message_format);
    match built {
        Some(built) => {
            eprintln!("{}", built.summary(&options.root, out, &diags));
            Ok(())
        }
        None => {
            eprintln!("{}", failure_summary(&options.root, out, &diags));
            Err(InvalidInput.into())
        }
    }
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
        render::render_site(&computed, diags)?
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

/// `salesplan check`.
pub fn check_command(args: &CheckArgs) -> Result<()> {
    let options = Options::resolve(&args.project, args.strict)?;
    let mut diags = Diagnostics::default();
    let mut computed = compute(&options, &mut diags)?;
    if let Some(c) = &computed {
        if render::render_site(c, &mut diags)?.is_none() {
            computed = None;
        }
    }
    diags.print(options.message_format);
    match computed {
        Some(c) => {
            let kpis_failed = args
                .fail_on
                .is_some_and(|level| print_alerts(&c.model, level));
            let counts = c.data.sales.counts;
            eprintln!(
                "check: {} is valid as of {} ({} sales rows; {})",
                PLAN_FILE,
                c.model.info.periods.as_of,
                counts.rows_valid,
                diags.summary()
            );
            if kpis_failed {
                return Err(KpiThresholdReached.into());
            }
            Ok(())
        }
        None => {
            eprintln!("check failed: {}", diags.summary());
            Err(InvalidInput.into())
        }
    }
}

/// `check --fail-on` matched: exit code 3.
#[derive(Debug)]
pub struct KpiThresholdReached;

impl std::fmt::Display for KpiThresholdReached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a KPI reached its threshold")
    }
}

impl std::error::Error for KpiThresholdReached {}

/// Prints every KPI at `level` or worse, one per line on stdout (for CI to gate on or
/// announce); returns whether there was any.
fn print_alerts(model: &Model, level: FailOn) -> bool {
    let Some(insights) = &model.insights else {
        return false;
    };
    let minimum = match level {
        FailOn::Warn => KpiStatus::Warn,
        FailOn::Alert => KpiStatus::Alert,
    };
    let mut any = false;
    for a in insights.alerts.iter().filter(|a| a.status >= minimum) {
        any = true;
        println!(
            "{}: {} value={} threshold={} owner={} due={}",
            a.status.key(),
            a.id,
            fixed(a.value, 4),
            a.threshold.normalize(),
            a.owner.as_deref().unwrap_or("-"),
            a.due.map_or_else(|| "-".to_string(), |d| d.to_string())
        );
    }
    any
}

/// A folder for messages: relative to ROOT when inside it.
fn display(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) => format!("{}/", rel.display()),
        Err(_) => format!("{}/", path.display()),
    }
}
