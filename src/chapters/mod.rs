//! The six plan chapters, one folder each: `plan.rs` (the chapter's YAML as typed structs
//! and the checks that need only the YAML), `compute.rs` (its tables of FORMAT.md §7 from
//! the plan and the data), `page.rs` (what its page shows). [`CHAPTERS`] is the registry
//! the build loops over.

pub mod channels;
pub mod customers;
pub mod insights;
pub mod promotions;
pub mod targets;
pub mod team;

use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::diag::Diagnostics;
use crate::model::table::Table;
use crate::model::Model;
use crate::render::chapter::Cx;
use crate::render::doc::Block;
use crate::yaml::YamlSource;

/// What the build does with every chapter alike: read its YAML, list its tables, put its
/// figures into model.json and build its page. Its computation is called from
/// `model::compute`, which knows which chapter needs which other's results.
pub trait Chapter: Sync {
    fn id(&self) -> ChapterId;
    /// Parses and checks the chapter's YAML into `chapters` (left out on a parse error,
    /// which is reported).
    fn load(&self, src: &YamlSource, chapters: &mut Chapters, diags: &mut Diagnostics);
    /// The computed tables in FORMAT.md order: `data/<name>.csv` and model.json's `tables`.
    fn tables<'m>(&self, model: &'m Model) -> Vec<&'m Table>;
    /// The summary figures of model.json's chapter object (after `planned`, before
    /// `tables`); nothing when the chapter was not computed.
    fn figures(&self, model: &Model, figures: &mut Map<String, Json>);
    /// The page's blocks after the narrative, and the front page's status line.
    fn page(&self, cx: &mut Cx) -> (Vec<Block>, String);
}

/// The chapters in their order in the plan; a new chapter is one folder and one line here
/// (plus its [`ChapterId`]).
pub static CHAPTERS: [&dyn Chapter; 6] = [
    &targets::Targets,
    &team::Team,
    &channels::Channels,
    &promotions::Promotions,
    &customers::Customers,
    &insights::Insights,
];

impl ChapterId {
    /// The chapter's implementation.
    pub fn chapter(self) -> &'static dyn Chapter {
        CHAPTERS[self.number() - 1]
    }
}

/// Parses a chapter's YAML and runs its own checks; `None` (reported) when it does not
/// parse.
pub fn parse<T: serde::de::DeserializeOwned + crate::plan::Validate>(
    src: &YamlSource,
    diags: &mut Diagnostics,
) -> Option<T> {
    match src.parse::<T>() {
        Ok(chapter) => {
            chapter.validate(src, diags);
            Some(chapter)
        }
        Err(d) => {
            diags.push_diagnostic(*d);
            None
        }
    }
}

/// The six chapter files, each absent when the file does not exist.
#[derive(Debug, Clone, Default)]
pub struct Chapters {
    pub targets: Option<targets::plan::TargetsPlan>,
    pub team: Option<team::plan::TeamPlan>,
    pub channels: Option<channels::plan::ChannelsPlan>,
    pub promotions: Option<promotions::plan::PromotionsPlan>,
    pub customers: Option<customers::plan::CustomersPlan>,
    pub insights: Option<insights::plan::InsightsPlan>,
}

/// The six chapters in order, with their file stem (also the page name and model key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChapterId {
    Targets,
    Team,
    Channels,
    Promotions,
    Customers,
    Insights,
}

impl ChapterId {
    pub const ALL: [ChapterId; 6] = [
        ChapterId::Targets,
        ChapterId::Team,
        ChapterId::Channels,
        ChapterId::Promotions,
        ChapterId::Customers,
        ChapterId::Insights,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ChapterId::Targets => "targets",
            ChapterId::Team => "team",
            ChapterId::Channels => "channels",
            ChapterId::Promotions => "promotions",
            ChapterId::Customers => "customers",
            ChapterId::Insights => "insights",
        }
    }

    pub fn number(self) -> usize {
        ChapterId::ALL
            .iter()
            .position(|&c| c == self)
            .expect("every chapter is in ALL")
            + 1
    }
}
