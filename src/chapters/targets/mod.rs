//! Chapter 1, sales targets: the annual target split by month, quarter, product line and region (FORMAT.md §7.1).

pub mod compute;
pub mod page;
pub mod plan;

use serde_json::{Map, Value as Json};

use super::{Chapter, ChapterId, Chapters};
use crate::diag::Diagnostics;
use crate::model::table::{json_number, Table};
use crate::model::Model;
use crate::render::chapter::Cx;
use crate::render::doc::Block;
use crate::yaml::YamlSource;

/// The chapter in the registry.
pub struct Targets;

impl Chapter for Targets {
    fn id(&self) -> ChapterId {
        ChapterId::Targets
    }

    fn load(&self, src: &YamlSource, chapters: &mut Chapters, diags: &mut Diagnostics) {
        chapters.targets = super::parse(src, diags);
    }

    fn tables<'m>(&self, model: &'m Model) -> Vec<&'m Table> {
        model
            .targets
            .iter()
            .flat_map(|t| [&t.monthly, &t.quarterly, &t.by_product_line, &t.by_region])
            .collect()
    }

    fn figures(&self, model: &Model, figures: &mut Map<String, Json>) {
        let Some(t) = &model.targets else { return };
        let minor = model.info.currency.minor_units;
        let money = |m: crate::money::Money| json_number(m.decimal(), minor);
        let ratio = |r: Option<rust_decimal::Decimal>| r.map_or(Json::Null, |r| json_number(r, 4));
        figures.insert("annual".into(), money(t.annual));
        figures.insert("baseline_total".into(), money(t.baseline_total));
        figures.insert("growth".into(), ratio(t.growth));
        figures.insert("ytd_target".into(), json_number(t.ytd_target, minor));
        figures.insert("ytd_actual".into(), t.ytd_actual.map_or(Json::Null, money));
        figures.insert("ytd_attainment".into(), ratio(t.ytd_attainment));
        figures.insert("ytd_growth".into(), ratio(t.ytd_growth));
    }

    fn page(&self, cx: &mut Cx) -> (Vec<Block>, String) {
        page::build(cx)
    }
}
