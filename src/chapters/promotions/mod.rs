//! Chapter 4, promotions: status, baseline, uplift, iROAS, budget and overlaps (FORMAT.md §7.4).

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
pub struct Promotions;

impl Chapter for Promotions {
    fn id(&self) -> ChapterId {
        ChapterId::Promotions
    }

    fn load(&self, src: &YamlSource, chapters: &mut Chapters, diags: &mut Diagnostics) {
        chapters.promotions = super::parse(src, diags);
    }

    fn tables<'m>(&self, model: &'m Model) -> Vec<&'m Table> {
        model.promotions.iter().map(|p| &p.table).collect()
    }

    fn figures(&self, model: &Model, figures: &mut Map<String, Json>) {
        let Some(p) = &model.promotions else { return };
        let minor = model.info.currency.minor_units;
        figures.insert("budget_total".into(), json_number(p.budget_total, minor));
        // Added figures (§10): spend of the started promotions, budget of the planned ones.
        figures.insert("spent_total".into(), json_number(p.outlay.spent, minor));
        figures.insert(
            "committed_total".into(),
            json_number(p.outlay.committed, minor),
        );
    }

    fn page(&self, cx: &mut Cx) -> (Vec<Block>, String) {
        page::build(cx)
    }
}
