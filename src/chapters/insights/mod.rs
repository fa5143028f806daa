//! Chapter 6, data insights: data quality, KPIs, ABC, growth-share, price sensitivity and the forecast (FORMAT.md §7.6).

pub mod compute;
pub mod forecast;
pub mod page;
pub mod plan;
pub mod quality;

use serde_json::{Map, Value as Json};

use super::{Chapter, ChapterId, Chapters};
use crate::diag::Diagnostics;
use crate::model::table::{json_number, Table};
use crate::model::Model;
use crate::render::chapter::Cx;
use crate::render::doc::Block;
use crate::yaml::YamlSource;

/// The chapter in the registry.
pub struct Insights;

impl Chapter for Insights {
    fn id(&self) -> ChapterId {
        ChapterId::Insights
    }

    fn load(&self, src: &YamlSource, chapters: &mut Chapters, diags: &mut Diagnostics) {
        chapters.insights = super::parse(src, diags);
    }

    /// `insights_quality` is computed whether or not the chapter is planned.
    fn tables<'m>(&self, model: &'m Model) -> Vec<&'m Table> {
        let mut tables = vec![&model.quality];
        if let Some(i) = &model.insights {
            tables.extend(i.tables());
        }
        tables
    }

    fn figures(&self, model: &Model, figures: &mut Map<String, Json>) {
        let Some(i) = &model.insights else { return };
        let minor = model.info.currency.minor_units;
        let float = |v: Option<f64>| {
            v.and_then(rust_decimal::Decimal::from_f64_retain)
                .map_or(Json::Null, |d| json_number(d, 4))
        };
        figures.insert("alpha".into(), float(i.alpha));
        figures.insert("beta".into(), float(i.beta));
        figures.insert("gamma".into(), float(i.gamma));
        figures.insert(
            "landing".into(),
            i.landing.map_or(Json::Null, |l| json_number(l, minor)),
        );
        figures.insert(
            "landing_vs_target".into(),
            i.landing_vs_target
                .map_or(Json::Null, |l| json_number(l, 4)),
        );
        figures.insert("mape".into(), float(i.mape));
        figures.insert("seasonal_naive_mape".into(), float(i.seasonal_naive_mape));
        figures.insert(
            "alerts".into(),
            Json::from(
                i.alerts
                    .iter()
                    .filter(|a| a.status == compute::KpiStatus::Alert)
                    .count(),
            ),
        );
    }

    fn page(&self, cx: &mut Cx) -> (Vec<Block>, String) {
        page::build(cx)
    }
}
