//! The data layer: reads the datasets named in plan.yaml, each in one streaming pass, into
//! aggregates the chapters compute from. `as_of` is known before the pass (from the command
//! line, plan.yaml, or a quick first pass over the sales dates), so every window that
//! depends on it is cut as the rows arrive.

pub mod cells;
pub mod customers;
pub mod daily;
pub mod feedback;
pub mod grid;
pub mod hashing;
pub mod intern;
pub mod monthly;
pub mod reader;
pub mod revenue;
pub mod sales;
pub mod values;

use chrono::NaiveDate;

use crate::diag::{Diagnostics, Severity};
use crate::period::DateRange;
use crate::plan::{DatasetConfig, PlanFile};
use feedback::{ComplaintFacts, DateSpan, SurveyFacts, TrafficFacts};
use reader::{ReadContext, RowCounts};
use sales::{LatestSale, PromotionScope, SalesFacts, SalesOptions};

/// One dataset's aggregates with its row counts.
#[derive(Debug)]
pub struct Loaded<T> {
    pub facts: T,
    pub counts: RowCounts,
    pub span: DateSpan,
}

/// Every dataset of the plan, read.
#[derive(Debug)]
pub struct Data {
    pub sales: Loaded<SalesFacts>,
    pub traffic: Option<Loaded<TrafficFacts>>,
    pub surveys: Option<Loaded<SurveyFacts>>,
    pub complaints: Option<Loaded<ComplaintFacts>>,
}

/// What the pass over the data needs to know in advance.
#[derive(Debug, Default, Clone)]
pub struct LoadOptions<'a> {
    /// The trailing twelve months ending at as_of.
    pub ttm: Option<DateRange>,
    /// Satisfaction dimensions of customers.yaml (the surveys' score columns).
    pub survey_dimensions: Option<&'a [String]>,
    /// Promotion date ranges and channels, to count their orders.
    pub promotions: Vec<PromotionScope>,
    /// The windows were cut at a guessed as_of (see [`guess_latest_sale`]): the pass
    /// gives up (`None`) as soon as a sales row comes after it.
    pub as_of_guess: Option<NaiveDate>,
    /// Where the chapters' windows start or end inside a month (see [`daily`]).
    pub cuts: Vec<NaiveDate>,
}

/// The latest valid sales date (the default as_of), from a quick pass that reports
/// nothing: the real pass reports every problem once.
pub fn latest_sale(ctx: &ReadContext, plan: &PlanFile) -> Option<NaiveDate> {
    let (config, schema, mut sink) = latest_sale_scan(plan);
    if reader::scan_unquoted(ctx, &config, &schema, &mut sink).is_none() {
        // Quotes, a legacy encoding or an unreadable file: the full reader decides.
        sink.latest = None;
        let mut ignored = Diagnostics::default();
        reader::read_dataset_any_order(ctx, &config, &schema, &mut sink, &mut ignored)?;
    }
    sink.latest
}

/// A guess at [`latest_sale`] from the two ends of each sales file, where an export sorted
/// by date keeps it: `None` when there is nothing to guess from. A pass given the guess
/// ([`SalesOptions::as_of_guess`]) tells whether it was right.
pub fn guess_latest_sale(ctx: &ReadContext, plan: &PlanFile) -> Option<NaiveDate> {
    let (config, schema, mut sink) = latest_sale_scan(plan);
    reader::scan_ends(ctx, &config, &schema, &mut sink)?;
    sink.latest
}

/// What the quick scans for the latest date read the sales dataset with.
fn latest_sale_scan(plan: &PlanFile) -> (DatasetConfig, reader::Schema, LatestSale) {
    let sink = LatestSale {
        date_format: plan.datasets.sales.date_format.clone(),
        latest: None,
    };
    // Duplicates cannot move the latest date: skip the fingerprints.
    let config = DatasetConfig {
        dedupe: false,
        ..plan.datasets.sales.clone()
    };
    (config, sales::schema(), sink)
}

/// Reads every dataset. Returns `None` when one of them could not be read at all; the
/// diagnostics say why.
pub fn load(
    ctx: &ReadContext,
    plan: &PlanFile,
    options: &LoadOptions,
    diags: &mut Diagnostics,
) -> Option<Data> {
    let sets = &plan.datasets;
    let sales_options = SalesOptions {
        date_format: sets.sales.date_format.clone(),
        ttm: options.ttm,
        promotions: options.promotions.clone(),
        as_of_guess: options.as_of_guess,
        cuts: options.cuts.clone(),
    };
    let mut facts = SalesFacts::new(sales_options);
    let sales = reader::read_dataset_forked(ctx, &sets.sales, &sales::schema(), &mut facts, diags)
        .map(|counts| (facts, counts))
        // A guess is right when it is the latest date of the valid rows (a row after it ends
        // the pass early).
        .filter(|(facts, _)| {
            options
                .as_of_guess
                .is_none_or(|guess| facts.last_date == Some(guess))
        })
        .map(|(mut facts, counts)| {
            facts.settle();
            let span = DateSpan {
                first: facts.first_date,
                last: facts.last_date,
            };
            Loaded {
                facts,
                counts,
                span,
            }
        });
    if sales.is_none() && options.as_of_guess.is_some() {
        return None; // the caller reads again without a guess
    }
    let traffic = optional(sets.traffic.as_ref(), |config| {
        read(
            ctx,
            config,
            &TrafficFacts::schema(),
            TrafficFacts::new(config.date_format.clone()),
            diags,
        )
        .map(|(facts, counts)| Loaded {
            span: facts.span,
            facts,
            counts,
        })
    });
    let surveys = optional(sets.surveys.as_ref(), |config| {
        let Some(dimensions) = options.survey_dimensions.filter(|d| !d.is_empty()) else {
            diags.push_diagnostic(ctx.plan_src.diagnostic(
                Severity::Error,
                "datasets.surveys",
                "a surveys dataset needs `survey.dimensions` in content/customers.yaml (the score columns to read)".into(),
            ));
            return None;
        };
        let schema = SurveyFacts::schema(dimensions);
        let sink = SurveyFacts::new(config.date_format.clone(), dimensions.len(), options.ttm);
        read(ctx, config, &schema, sink, diags).map(|(facts, counts)| Loaded {
            span: facts.span,
            facts,
            counts,
        })
    });
    let complaints = optional(sets.complaints.as_ref(), |config| {
        read(
            ctx,
            config,
            &ComplaintFacts::schema(),
            ComplaintFacts::new(options.ttm),
            diags,
        )
        .map(|(facts, counts)| Loaded {
            span: facts.span,
            facts,
            counts,
        })
    });
    Some(Data {
        sales: sales?,
        traffic: traffic?,
        surveys: surveys?,
        complaints: complaints?,
    })
}

/// `Some(None)` when the dataset is not configured, `None` when it failed to read.
fn optional<T>(
    config: Option<&DatasetConfig>,
    load: impl FnOnce(&DatasetConfig) -> Option<T>,
) -> Option<Option<T>> {
    match config {
        None => Some(None),
        Some(config) => load(config).map(Some),
    }
}

fn read<S: reader::Sink>(
    ctx: &ReadContext,
    config: &DatasetConfig,
    schema: &reader::Schema,
    mut sink: S,
    diags: &mut Diagnostics,
) -> Option<(S, RowCounts)> {
    let counts = reader::read_dataset(ctx, config, schema, &mut sink, diags)?;
    Some((sink, counts))
}
