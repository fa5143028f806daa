//! The computed plan: pure functions from the typed plan and the aggregated data to the
//! tables and figures of FORMAT.md §7, one module per chapter. Nothing here renders.

pub mod allocation;
pub mod names;
pub mod table;

use chrono::NaiveDate;
use serde_json::{json, Map, Value as Json};

use crate::chapters::{channels, customers, insights, promotions, targets, team};
use crate::chapters::{ChapterId, Chapters, CHAPTERS};
use crate::data::Data;
use crate::diag::Diagnostics;
use crate::git::SourceVersion;
use crate::money::Currency;
use crate::period::{DateRange, FiscalYear};
use crate::plan::{Language, Paper};
use crate::project::Project;
use channels::compute::ChannelsModel;
use customers::compute::CustomersModel;
use insights::compute::InsightsModel;
use promotions::compute::PromotionsModel;
use table::Table;
use targets::compute::TargetsModel;
use team::compute::TeamModel;

/// The fiscal year being planned and the date the actuals run to.
#[derive(Debug, Clone, Copy)]
pub struct Periods {
    pub fy: FiscalYear,
    pub as_of: NaiveDate,
}

impl Periods {
    /// `[FY start, min(as_of, FY end)]`; `None` before the fiscal year starts.
    pub fn fy_to_date(&self) -> Option<DateRange> {
        (self.as_of >= self.fy.start())
            .then(|| DateRange::new(self.fy.start(), self.as_of.min(self.fy.end())))
    }
}

/// Plan settings as resolved for this build (CLI flags over plan.yaml).
#[derive(Debug, Clone)]
pub struct PlanInfo {
    pub title: String,
    pub company: String,
    pub author: Option<String>,
    pub fiscal_year: i32,
    pub fiscal_year_start: u32,
    pub currency: Currency,
    pub language: Language,
    pub paper: Paper,
    pub allow_html: bool,
    pub base_url: Option<String>,
    /// The git commit the plan was built from, when ROOT is in a repository.
    pub source: Option<SourceVersion>,
    pub periods: Periods,
}

/// Everything computed for one build.
#[derive(Debug, Clone)]
pub struct Model {
    pub info: PlanInfo,
    pub targets: Option<TargetsModel>,
    pub team: Option<TeamModel>,
    pub channels: Option<ChannelsModel>,
    pub promotions: Option<PromotionsModel>,
    pub customers: Option<CustomersModel>,
    pub insights: Option<InsightsModel>,
    pub quality: Table,
    /// Which chapters have a YAML file.
    pub planned: Vec<ChapterId>,
}

impl Model {
    /// Every computed table in chapter order, as written to `data/<name>.csv`.
    pub fn tables(&self) -> Vec<&Table> {
        CHAPTERS.iter().flat_map(|c| c.tables(self)).collect()
    }

    /// model.json: one key per chapter plus `plan` and `diagnostics`. The same object is
    /// the context of every Markdown narrative.
    pub fn to_json(&self, diagnostics: &Diagnostics) -> Json {
        let minor = self.info.currency.minor_units;
        let mut root = Map::new();
        root.insert("plan".into(), self.plan_json());
        for chapter in CHAPTERS {
            let id = chapter.id();
            let mut object = Map::new();
            object.insert("planned".into(), Json::Bool(self.planned.contains(&id)));
            chapter.figures(self, &mut object);
            let tables = chapter
                .tables(self)
                .into_iter()
                .map(|t| (t.name.to_string(), t.to_json(minor)))
                .collect();
            object.insert("tables".into(), Json::Object(tables));
            root.insert(id.key().into(), Json::Object(object));
        }
        root.insert(
            "diagnostics".into(),
            serde_json::to_value(diagnostics).expect("diagnostics serialise"),
        );
        Json::Object(root)
    }

    fn plan_json(&self) -> Json {
        let i = &self.info;
        let fy = i.periods.fy;
        json!({
            "title": i.title,
            "company": i.company,
            "author": i.author,
            "fiscal_year": i.fiscal_year,
            "fiscal_year_start": i.fiscal_year_start,
            "fy_start": fy.start().to_string(),
            "fy_end": fy.end().to_string(),
            "currency": i.currency.code,
            "language": i.language.code(),
            "paper": match i.paper { Paper::A4 => "a4", Paper::Letter => "letter" },
            "as_of": i.periods.as_of.to_string(),
            "base_url": i.base_url,
            "source": i.source.as_ref().map(|s| json!({
                "commit": s.commit,
                "date": s.date.to_string(),
                "uncommitted_changes": s.uncommitted_changes,
            })),
        })
    }
}

/// Computes every chapter from the loaded project and data.
pub fn compute(project: &Project, data: &Data, info: PlanInfo, diags: &mut Diagnostics) -> Model {
    let chapters: &Chapters = &project.chapters;
    names::check(chapters, &project.sources, &data.sales.facts, diags);
    let annual = chapters
        .targets
        .as_ref()
        .and_then(|t| i64::try_from(t.annual_target.trunc()).ok());
    // Chapter 5 (it ranks every customer) and chapter 6's forecast (a parameter search)
    // on a second thread; the forecast's diagnostics follow the other chapters', as they
    // would on one thread.
    let mut forecast_diags = Diagnostics::default();
    let (targets, team, channels, promotions, (customers, forecast)) =
        std::thread::scope(|scope| {
            let other = scope.spawn(|| {
                let customers = chapters.customers.as_ref().map(|plan| {
                    let surveys = data.surveys.as_ref().map(|s| &s.facts);
                    let complaints = data.complaints.as_ref().map(|c| &c.facts);
                    customers::compute::compute(
                        plan,
                        &data.sales.facts,
                        surveys,
                        complaints,
                        &info.periods,
                    )
                });
                let forecast = chapters.insights.as_ref().map(|plan| {
                    let src = &project.sources[&ChapterId::Insights];
                    insights::compute::forecast(plan, src, data, &info.periods, &mut forecast_diags)
                });
                (customers, forecast)
            });
            let targets = chapters.targets.as_ref().map(|plan| {
                let src = &project.sources[&ChapterId::Targets];
                targets::compute::compute(plan, src, &data.sales.facts, &info.periods, diags)
            });
            let team = chapters.team.as_ref().map(|plan| {
                let src = &project.sources[&ChapterId::Team];
                team::compute::compute(
                    plan,
                    src,
                    &data.sales.facts,
                    &info.periods,
                    annual.map(rust_decimal::Decimal::from),
                    &info.currency,
                    diags,
                )
            });
            let channels = chapters.channels.as_ref().map(|plan| {
                channels::compute::compute(plan, &data.sales.facts, &info.periods, annual)
            });
            let promotions = chapters.promotions.as_ref().map(|plan| {
                let src = &project.sources[&ChapterId::Promotions];
                let traffic = data.traffic.as_ref().map(|t| &t.facts);
                promotions::compute::compute(
                    plan,
                    src,
                    &data.sales.facts,
                    traffic,
                    &info.periods,
                    diags,
                )
            });
            let other = other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (targets, team, channels, promotions, other)
        });
    diags.extend(forecast_diags);
    let mut forecast = forecast;
    let insights = chapters.insights.as_ref().map(|plan| {
        // The SLA shares over all complaints.
        let all = customers
            .as_ref()
            .and_then(|c| c.complaint_rows.as_ref())
            .map(|c| &c.all);
        let inputs = insights::compute::KpiInputs {
            targets: targets.as_ref(),
            nps: customers.as_ref().and_then(|c| c.nps_all),
            complaint_slas: (
                all.and_then(|a| a.first_response_sla),
                all.and_then(|a| a.resolution_sla),
            ),
        };
        insights::compute::compute(
            plan,
            data,
            &info.periods,
            annual.map(rust_decimal::Decimal::from),
            &inputs,
            forecast
                .take()
                .expect("the forecast is computed when insights are planned"),
        )
    });
    let planned = ChapterId::ALL
        .into_iter()
        .filter(|id| project.sources.contains_key(id))
        .collect();
    Model {
        quality: insights::quality::table(data),
        info,
        targets,
        team,
        channels,
        promotions,
        customers,
        insights,
        planned,
    }
}
