//! The computed plan: pure functions from the typed plan and the aggregated data to the
//! tables and figures of FORMAT.md §7, one module per chapter. Nothing here renders.

pub mod allocation;
pub mod channels;
pub mod customers;
pub mod forecast;
pub mod insights;
pub mod names;
pub mod promotions;
pub mod quality;
pub mod table;
pub mod targets;
pub mod team;

use chrono::NaiveDate;
use serde_json::{json, Map, Value as Json};

use crate::data::Data;
use crate::diag::Diagnostics;
use crate::git::SourceVersion;
use crate::money::Currency;
use crate::period::{DateRange, FiscalYear};
use crate::plan::{ChapterId, Chapters, Language, Paper};
use crate::project::Project;
use channels::ChannelsModel;
use customers::CustomersModel;
use insights::InsightsModel;
use promotions::PromotionsModel;
use table::{json_number, Table, Value};
use targets::TargetsModel;
use team::{ReviewKind, TeamModel};

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
        let mut tables = Vec::new();
        if let Some(t) = &self.targets {
            tables.extend([&t.monthly, &t.quarterly, &t.by_product_line, &t.by_region]);
        }
        if let Some(t) = &self.team {
            tables.extend([&t.reps, &t.headcount]);
        }
        if let Some(c) = &self.channels {
            tables.extend([
                &c.mix,
                &c.partners,
                &c.price_conflicts,
                &c.territory_conflicts,
            ]);
        }
        if let Some(p) = &self.promotions {
            tables.push(&p.table);
        }
        if let Some(c) = &self.customers {
            tables.extend(c.tables());
        }
        tables.push(&self.quality);
        if let Some(i) = &self.insights {
            tables.extend(i.tables());
        }
        tables
    }

    /// model.json: one key per chapter plus `plan` and `diagnostics`. The same object is
    /// the context of every Markdown narrative.
    pub fn to_json(&self, diagnostics: &Diagnostics) -> Json {
        let minor = self.info.currency.minor_units;
        let tables_json = |tables: &[&Table]| -> Json {
            let mut map = Map::new();
            for t in tables {
                map.insert(t.name.to_string(), t.to_json(minor));
            }
            Json::Object(map)
        };
        let mut root = Map::new();
        root.insert("plan".into(), self.plan_json());
        for id in ChapterId::ALL {
            let mut chapter = Map::new();
            chapter.insert("planned".into(), Json::Bool(self.planned.contains(&id)));
            match id {
                ChapterId::Targets => {
                    if let Some(t) = &self.targets {
                        let money = |m: crate::money::Money| json_number(m.decimal(), minor);
                        let ratio = |r: Option<rust_decimal::Decimal>| {
                            r.map_or(Json::Null, |r| json_number(r, 4))
                        };
                        chapter.insert("annual".into(), money(t.annual));
                        chapter.insert("baseline_total".into(), money(t.baseline_total));
                        chapter.insert("growth".into(), ratio(t.growth));
                        chapter.insert("ytd_target".into(), json_number(t.ytd_target, minor));
                        chapter.insert("ytd_actual".into(), t.ytd_actual.map_or(Json::Null, money));
                        chapter.insert("ytd_attainment".into(), ratio(t.ytd_attainment));
                        chapter.insert("ytd_growth".into(), ratio(t.ytd_growth));
                        chapter.insert(
                            "tables".into(),
                            tables_json(&[
                                &t.monthly,
                                &t.quarterly,
                                &t.by_product_line,
                                &t.by_region,
                            ]),
                        );
                    } else {
                        chapter.insert("tables".into(), json!({}));
                    }
                }
                ChapterId::Team => match &self.team {
                    Some(t) => {
                        let review_kind = match t.review_kind {
                            ReviewKind::FiscalYearToDate => "fiscal_year_to_date",
                            ReviewKind::BaselineYear => "baseline_year",
                        };
                        chapter.insert(
                            "quota_coverage".into(),
                            t.quota_coverage.map_or(Json::Null, |c| json_number(c, 4)),
                        );
                        chapter.insert(
                            "review_period".into(),
                            json!({ "kind": review_kind, "from": t.review.from.to_string(), "to": t.review.to.to_string() }),
                        );
                        chapter.insert(
                            "commission_total".into(),
                            json_number(t.commission_total.decimal(), minor),
                        );
                        chapter.insert(
                            "review_revenue".into(),
                            json_number(t.review_revenue.decimal(), minor),
                        );
                        chapter.insert(
                            "commission_share".into(),
                            t.commission_total
                                .ratio_to(t.review_revenue)
                                .map_or(Json::Null, |r| json_number(r, 4)),
                        );
                        chapter.insert("tables".into(), tables_json(&[&t.reps, &t.headcount]));
                    }
                    None => {
                        chapter.insert("tables".into(), json!({}));
                    }
                },
                ChapterId::Channels => match &self.channels {
                    Some(c) => {
                        chapter.insert("price_tolerance".into(), json_number(c.price_tolerance, 4));
                        chapter.insert(
                            "tables".into(),
                            tables_json(&[
                                &c.mix,
                                &c.partners,
                                &c.price_conflicts,
                                &c.territory_conflicts,
                            ]),
                        );
                    }
                    None => {
                        chapter.insert("tables".into(), json!({}));
                    }
                },
                ChapterId::Promotions => match &self.promotions {
                    Some(p) => {
                        chapter.insert("budget_total".into(), json_number(p.budget_total, minor));
                        chapter.insert("tables".into(), tables_json(&[&p.table]));
                    }
                    None => {
                        chapter.insert("tables".into(), json!({}));
                    }
                },
                ChapterId::Customers => match &self.customers {
                    Some(c) => {
                        chapter.insert(
                            "nps".into(),
                            c.nps_all.map_or(Json::Null, |n| json_number(n, 4)),
                        );
                        chapter.insert("tables".into(), tables_json(&c.tables()));
                    }
                    None => {
                        chapter.insert("tables".into(), json!({}));
                    }
                },
                ChapterId::Insights => {
                    let mut tables: Vec<&Table> = vec![&self.quality];
                    if let Some(i) = &self.insights {
                        let float = |v: Option<f64>| {
                            v.and_then(rust_decimal::Decimal::from_f64_retain)
                                .map_or(Json::Null, |d| json_number(d, 4))
                        };
                        chapter.insert("alpha".into(), float(i.alpha));
                        chapter.insert("beta".into(), float(i.beta));
                        chapter.insert("gamma".into(), float(i.gamma));
                        chapter.insert(
                            "landing".into(),
                            i.landing.map_or(Json::Null, |l| json_number(l, minor)),
                        );
                        chapter.insert(
                            "landing_vs_target".into(),
                            i.landing_vs_target
                                .map_or(Json::Null, |l| json_number(l, 4)),
                        );
                        chapter.insert("mape".into(), float(i.mape));
                        chapter.insert("seasonal_naive_mape".into(), float(i.seasonal_naive_mape));
                        chapter.insert(
                            "alerts".into(),
                            Json::from(
                                i.alerts
                                    .iter()
                                    .filter(|a| a.status == insights::KpiStatus::Alert)
                                    .count(),
                            ),
                        );
                        tables.extend(i.tables());
                    }
                    chapter.insert("tables".into(), tables_json(&tables));
                }
            }
            root.insert(id.key().into(), Json::Object(chapter));
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
                    customers::compute(plan, &data.sales.facts, surveys, complaints, &info.periods)
                });
                let forecast = chapters.insights.as_ref().map(|plan| {
                    let src = &project.sources[&ChapterId::Insights];
                    let annual = annual.map(rust_decimal::Decimal::from);
                    insights::forecast(plan, src, data, &info.periods, annual, &mut forecast_diags)
                });
                (customers, forecast)
            });
            let targets = chapters.targets.as_ref().map(|plan| {
                let src = &project.sources[&ChapterId::Targets];
                targets::compute(plan, src, &data.sales.facts, &info.periods, diags)
            });
            let team = chapters.team.as_ref().map(|plan| {
                let src = &project.sources[&ChapterId::Team];
                team::compute(
                    plan,
                    src,
                    &data.sales.facts,
                    &info.periods,
                    annual.map(rust_decimal::Decimal::from),
                    &info.currency,
                    diags,
                )
            });
            let channels = chapters
                .channels
                .as_ref()
                .map(|plan| channels::compute(plan, &data.sales.facts, &info.periods, annual));
            let promotions = chapters.promotions.as_ref().map(|plan| {
                let src = &project.sources[&ChapterId::Promotions];
                let traffic = data.traffic.as_ref().map(|t| &t.facts);
                promotions::compute(plan, src, &data.sales.facts, traffic, &info.periods, diags)
            });
            let other = other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (targets, team, channels, promotions, other)
        });
    diags.extend(forecast_diags);
    let mut forecast = forecast;
    let insights = chapters.insights.as_ref().map(|plan| {
        let complaints = customers.as_ref().and_then(|c| c.complaints.as_ref());
        let sla = |column: &str| {
            let table = complaints?;
            let col = table.column(column)?;
            match table.rows.last()?.get(col)? {
                Some(Value::Decimal(d)) => Some(*d),
                _ => None,
            }
        };
        let inputs = insights::KpiInputs {
            targets: targets.as_ref(),
            nps: customers.as_ref().and_then(|c| c.nps_all),
            complaint_slas: (sla("first_response_sla"), sla("resolution_sla")),
        };
        insights::compute(
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
        quality: quality::table(data),
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
