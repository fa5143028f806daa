//! Chapter 6 — data analysis & decision support: the data-quality table (always), and
//! the KPI and analysis settings of insights.yaml (monitoring, forecasting, ABC and
//! elasticity come with their own issue).

use super::{text, Cx};
use crate::plan::{ChapterId, Language};
use crate::render::doc::{Block, TableView};

const CH: ChapterId = ChapterId::Insights;

pub fn build(cx: &mut Cx) -> (Vec<Block>, String) {
    let lang = cx.language;
    let mut blocks = Vec::new();
    let plan = cx.computed.project.chapters.insights.as_ref();
    if let Some(plan) = plan {
        if !plan.kpis.is_empty() {
            blocks.push(cx.heading("sec.kpis"));
            let threshold = |below: Option<rust_decimal::Decimal>,
                             above: Option<rust_decimal::Decimal>| {
                match (below, above) {
                    (Some(b), Some(a)) => {
                        format!("< {} · > {}", cx.fmt.num(b, 4), cx.fmt.num(a, 4))
                    }
                    (Some(b), None) => format!("< {}", cx.fmt.num(b, 4)),
                    (None, Some(a)) => format!("> {}", cx.fmt.num(a, 4)),
                    (None, None) => "—".into(),
                }
            };
            let rows = plan
                .kpis
                .iter()
                .map(|k| {
                    let within = k
                        .respond_within_days()
                        .ok()
                        .flatten()
                        .map_or("—".into(), |d| format!("{d} {}", cx.t("word.days")));
                    vec![
                        k.id.clone(),
                        k.metric.clone(),
                        threshold(k.warn_below, k.warn_above),
                        threshold(k.alert_below, k.alert_above),
                        text(&k.owner),
                        within,
                    ]
                })
                .collect();
            blocks.push(cx.table(
                "kpis",
                "sec.kpis",
                &[
                    ("col.kpi", false),
                    ("col.metric", false),
                    ("col.warn", false),
                    ("col.alert", false),
                    ("col.owner", false),
                    ("col.respond_within", false),
                ],
                rows,
            ));
            blocks.extend(
                cx.item_notes(CH, "kpis", &plan.kpis, |k| (k.id.clone(), k.notes.as_ref())),
            );
        }
        let mut facts = Vec::new();
        if let Some(f) = &plan.forecast {
            facts.push(cx.fact("word.forecast_horizon", f.horizon.to_string()));
            facts.push(cx.fact("word.holdout", f.holdout.to_string()));
        }
        if let Some(a) = &plan.abc {
            facts.push(cx.fact(
                "word.abc",
                format!("A < {} · B < {}", cx.fmt.pct(a.a), cx.fmt.pct(a.b)),
            ));
        }
        if let Some(e) = &plan.elasticity {
            facts.push(cx.fact("word.min_points", e.min_points.to_string()));
        }
        if !facts.is_empty() {
            blocks.push(cx.heading("sec.analysis_settings"));
            blocks.push(Block::Facts { items: facts });
        }
    }
    let quality = &cx.computed.model.quality;
    blocks.push(cx.heading("sec.quality"));
    blocks.push(Block::Table(TableView::computed(
        quality,
        cx.t("sec.quality"),
        cx.fmt,
        lang,
    )));
    if let Some(plan) = plan {
        blocks.extend(cx.prose(CH, "notes", plan.notes.as_ref()));
    }
    let counts = cx.computed.data.sales.counts;
    let status = match lang {
        Language::En => format!(
            "{} valid sales rows · {} KPIs",
            cx.fmt.num(counts.rows_valid.into(), 0),
            plan.map_or(0, |p| p.kpis.len())
        ),
        Language::ZhCn => format!(
            "{} 条有效销售记录 · {} 项指标",
            cx.fmt.num(counts.rows_valid.into(), 0),
            plan.map_or(0, |p| p.kpis.len())
        ),
    };
    (blocks, status)
}
