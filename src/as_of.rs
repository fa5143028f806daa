//! Settling `as_of` while the datasets are read. It is the command line's, else plan.yaml's,
//! else the latest valid sales date: first guessed from the ends of the sales files (sorted
//! exports keep it there) and checked by the pass itself, which gives up at the first valid
//! row after the guess; when the guess was wrong, the files are scanned for it and read
//! again. Every window that depends on it (the trailing twelve months, promotion order
//! counts) is cut while the rows stream, so it must be known before the pass.

use std::path::Path;

use chrono::NaiveDate;

use crate::data::reader::ReadContext;
use crate::data::sales::PromotionScope;
use crate::data::{self, Data, LoadOptions};
use crate::diag::Diagnostics;
use crate::model::Periods;
use crate::period::{self, months_before, DateRange, FiscalYear};
use crate::project::Project;
use crate::site::Step;

/// Reads every dataset for `as_of` (`given`, else found in the sales data); `None` when a
/// dataset cannot be read (diagnostics say why). The date is `None` when nothing gave one
/// (no valid sales row and none given), which the caller reports.
pub fn read_data(
    project: &Project,
    root: &Path,
    given: Option<NaiveDate>,
    diags: &mut Diagnostics,
) -> Option<(Option<NaiveDate>, Data)> {
    let ctx = ReadContext {
        root,
        plan_src: &project.plan_src,
        workers: crate::data::reader::workers_from_env(diags),
    };
    let load_options = |as_of: Option<NaiveDate>, guess: bool| LoadOptions {
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
        cuts: as_of.map_or_else(Vec::new, |as_of| day_cuts(project, as_of)),
    };
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
                None => return None,
            }
        }
    };
    Some((as_of, data))
}

/// The dates the chapters' windows of sales start on, or end the day before, at `as_of`:
/// the pass sums the rows between them, a month at most (see [`crate::data::daily`]). A
/// window a chapter asks for that is missing here is refused at the query, so a new one
/// must be added.
pub fn day_cuts(project: &Project, as_of: NaiveDate) -> Vec<NaiveDate> {
    let plan = &project.plan;
    let periods = Periods {
        fy: FiscalYear::new(plan.fiscal_year, plan.fiscal_year_start),
        as_of,
    };
    let mut cuts = Vec::new();
    let mut window = |range: DateRange| {
        cuts.push(range.from);
        cuts.extend(range.to.succ_opt());
    };
    // Targets, channels, team and KPIs: the fiscal year to date, each month of it up to
    // as_of, and (targets' growth) the same dates a year earlier.
    if let Some(ytd) = periods.fy_to_date() {
        window(ytd);
        window(DateRange::new(
            months_before(ytd.from, 12),
            months_before(ytd.to, 12),
        ));
    }
    window(DateRange::new(as_of, as_of));
    // Insights: the trailing twelve months and the twelve before them.
    window(period::ttm(as_of));
    window(period::previous_ttm(as_of));
    // Promotions: each one's days up to as_of, and its baseline days before it.
    if let Some(plan) = &project.chapters.promotions {
        let baseline = chrono::Duration::days(i64::from(plan.baseline_days));
        for p in &plan.promotions {
            window(DateRange::new(p.start, p.end.min(as_of)));
            window(DateRange::new(
                p.start - baseline,
                p.start - chrono::Duration::days(1),
            ));
        }
    }
    cuts
}
