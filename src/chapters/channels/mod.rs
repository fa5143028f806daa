//! Chapter 3, channels and partners: the channel mix, partner scores, price and territory conflicts (FORMAT.md §7.3).

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
pub struct Channels;

impl Chapter for Channels {
    fn id(&self) -> ChapterId {
        ChapterId::Channels
    }

    fn load(&self, src: &YamlSource, chapters: &mut Chapters, diags: &mut Diagnostics) {
        chapters.channels = super::parse(src, diags);
    }

    fn tables<'m>(&self, model: &'m Model) -> Vec<&'m Table> {
        model
            .channels
            .iter()
            .flat_map(|c| {
                [
                    &c.mix,
                    &c.partners,
                    &c.price_conflicts,
                    &c.territory_conflicts,
                ]
            })
            .collect()
    }

    fn figures(&self, model: &Model, figures: &mut Map<String, Json>) {
        let Some(c) = &model.channels else { return };
        figures.insert("price_tolerance".into(), json_number(c.price_tolerance, 4));
    }

    fn page(&self, cx: &mut Cx) -> (Vec<Block>, String) {
        page::build(cx)
    }
}
