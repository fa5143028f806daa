//! Chapter 2, team and organisation: reps, commission, headcount and cost (FORMAT.md §7.2).

pub mod compute;
pub mod page;
pub mod plan;

use serde_json::{json, Map, Value as Json};

use super::{Chapter, ChapterId, Chapters};
use crate::diag::Diagnostics;
use crate::model::table::{json_number, Table};
use crate::model::Model;
use crate::render::chapter::Cx;
use crate::render::doc::Block;
use crate::yaml::YamlSource;
use compute::ReviewKind;

/// The chapter in the registry.
pub struct Team;

impl Chapter for Team {
    fn id(&self) -> ChapterId {
        ChapterId::Team
    }

    fn load(&self, src: &YamlSource, chapters: &mut Chapters, diags: &mut Diagnostics) {
        chapters.team = super::parse(src, diags);
    }

    fn tables<'m>(&self, model: &'m Model) -> Vec<&'m Table> {
        model
            .team
            .iter()
            .flat_map(|t| [&t.reps, &t.headcount])
            .collect()
    }

    fn figures(&self, model: &Model, figures: &mut Map<String, Json>) {
        let Some(t) = &model.team else { return };
        let minor = model.info.currency.minor_units;
        let review_kind = match t.review_kind {
            ReviewKind::FiscalYearToDate => "fiscal_year_to_date",
            ReviewKind::BaselineYear => "baseline_year",
        };
        figures.insert(
            "quota_coverage".into(),
            t.quota_coverage.map_or(Json::Null, |c| json_number(c, 4)),
        );
        figures.insert(
            "review_period".into(),
            json!({ "kind": review_kind, "from": t.review.from.to_string(), "to": t.review.to.to_string() }),
        );
        figures.insert(
            "commission_total".into(),
            json_number(t.commission_total.decimal(), minor),
        );
        figures.insert(
            "review_revenue".into(),
            json_number(t.review_revenue.decimal(), minor),
        );
        figures.insert(
            "commission_share".into(),
            t.commission_total
                .ratio_to(t.review_revenue)
                .map_or(Json::Null, |r| json_number(r, 4)),
        );
    }

    fn page(&self, cx: &mut Cx) -> (Vec<Block>, String) {
        page::build(cx)
    }
}
