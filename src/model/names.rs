//! Names in the plan that refer to the data — product lines, regions, channels, reps,
//! partners, promotion channels, `channel_share:` metrics — must occur in the sales data;
//! one that never does is a warning with a "did you mean" suggestion (FORMAT.md §9).

use crate::chapters::{ChapterId, Chapters};
use crate::data::intern::Names;
use crate::data::sales::SalesFacts;
use crate::diag::{Diagnostics, Severity};
use crate::suggest::Candidates;
use crate::yaml::YamlSource;

/// What kind of name a reference is, and where the data keeps those names.
#[derive(Clone, Copy)]
enum Dimension {
    ProductLine,
    Region,
    Channel,
    Rep,
    Partner,
}

impl Dimension {
    fn names(self, sales: &SalesFacts) -> &Names {
        match self {
            Dimension::ProductLine => &sales.product_lines,
            Dimension::Region => &sales.regions,
            Dimension::Channel => &sales.channels,
            Dimension::Rep => &sales.reps,
            Dimension::Partner => &sales.partners,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Dimension::ProductLine => "product line",
            Dimension::Region => "region",
            Dimension::Channel => "channel",
            Dimension::Rep => "rep",
            Dimension::Partner => "partner",
        }
    }
}

/// Every (dimension, name, key path) a chapter refers to.
fn references(id: ChapterId, chapters: &Chapters) -> Vec<(Dimension, String, String)> {
    use Dimension::*;
    let mut refs = Vec::new();
    match id {
        ChapterId::Targets => {
            if let Some(t) = &chapters.targets {
                for (i, s) in t.by_product_line.iter().flatten().enumerate() {
                    refs.push((
                        ProductLine,
                        s.name.clone(),
                        format!("by_product_line[{i}].name"),
                    ));
                }
                for (i, s) in t.by_region.iter().flatten().enumerate() {
                    refs.push((Region, s.name.clone(), format!("by_region[{i}].name")));
                }
                for (i, p) in t.product_strategy.iter().enumerate() {
                    refs.push((
                        ProductLine,
                        p.product_line.clone(),
                        format!("product_strategy[{i}].product_line"),
                    ));
                }
                for (i, p) in t.pricing.iter().enumerate() {
                    refs.push((
                        ProductLine,
                        p.product_line.clone(),
                        format!("pricing[{i}].product_line"),
                    ));
                }
            }
        }
        ChapterId::Team => {
            if let Some(t) = &chapters.team {
                for (i, r) in t.reps.iter().enumerate() {
                    refs.push((Rep, r.name.clone(), format!("reps[{i}].name")));
                    if let Some(region) = &r.region {
                        refs.push((Region, region.clone(), format!("reps[{i}].region")));
                    }
                }
            }
        }
        ChapterId::Channels => {
            if let Some(c) = &chapters.channels {
                for (i, ch) in c.channels.iter().enumerate() {
                    refs.push((Channel, ch.name.clone(), format!("channels[{i}].name")));
                }
                for (i, p) in c.partners.iter().enumerate() {
                    refs.push((Partner, p.name.clone(), format!("partners[{i}].name")));
                    for (j, region) in p.territory.iter().flatten().enumerate() {
                        refs.push((
                            Region,
                            region.clone(),
                            format!("partners[{i}].territory[{j}]"),
                        ));
                    }
                }
            }
        }
        ChapterId::Promotions => {
            if let Some(p) = &chapters.promotions {
                for (i, promo) in p.promotions.iter().enumerate() {
                    for (j, ch) in promo.channels.iter().flatten().enumerate() {
                        refs.push((
                            Channel,
                            ch.clone(),
                            format!("promotions[{i}].channels[{j}]"),
                        ));
                    }
                }
            }
        }
        ChapterId::Customers => {}
        ChapterId::Insights => {
            if let Some(p) = &chapters.insights {
                for (i, k) in p.kpis.iter().enumerate() {
                    if let Some(ch) = k.metric.strip_prefix("channel_share:") {
                        refs.push((Channel, ch.trim().to_string(), format!("kpis[{i}].metric")));
                    }
                }
            }
        }
    }
    refs
}

/// Warns about every plan name that never occurs in the sales data.
pub fn check(
    chapters: &Chapters,
    sources: &std::collections::BTreeMap<ChapterId, YamlSource>,
    sales: &SalesFacts,
    diags: &mut Diagnostics,
) {
    // Each dimension's names prepared for suggestions once, on its first unknown name
    // (thousands of reps against a plan's dozens).
    let mut candidates: [Option<Candidates>; 5] = Default::default();
    for (id, src) in sources {
        for (dim, name, path) in references(*id, chapters) {
            let names = dim.names(sales);
            if names.id(&name).is_some() {
                continue;
            }
            let mut message = format!("{} `{name}` never occurs in the sales data", dim.word());
            let known =
                candidates[dim as usize].get_or_insert_with(|| Candidates::new(names.iter()));
            if let Some(close) = known.closest(&name) {
                message.push_str(&format!(" (did you mean `{close}`?)"));
            }
            diags.push_diagnostic(src.diagnostic(Severity::Warning, &path, message));
        }
    }
}
