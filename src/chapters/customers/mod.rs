//! Chapter 5, customers and service: CSAT, NPS, complaint SLAs, tiers and RFM (FORMAT.md §7.5).

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
pub struct Customers;

impl Chapter for Customers {
    fn id(&self) -> ChapterId {
        ChapterId::Customers
    }

    fn load(&self, src: &YamlSource, chapters: &mut Chapters, diags: &mut Diagnostics) {
        chapters.customers = super::parse(src, diags);
    }

    fn tables<'m>(&self, model: &'m Model) -> Vec<&'m Table> {
        model.customers.iter().flat_map(|c| c.tables()).collect()
    }

    fn figures(&self, model: &Model, figures: &mut Map<String, Json>) {
        let Some(c) = &model.customers else { return };
        figures.insert(
            "nps".into(),
            c.nps_all.map_or(Json::Null, |n| json_number(n, 4)),
        );
    }

    fn page(&self, cx: &mut Cx) -> (Vec<Block>, String) {
        page::build(cx)
    }
}
