//! Chapter 5 — customer relationship management: satisfaction and NPS from the surveys,
//! complaint handling against its SLAs, membership tiers and RFM segments, customer events.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::chapters::customers::compute::CustomersModel;
use crate::chapters::customers::plan::CustomersPlan;
use crate::chapters::ChapterId;
use crate::chart::{bar_chart, palette, BarChart, Reference, Series};
use crate::plan::Language;
use crate::render::chapter::{join, text, Cx};
use crate::render::doc::{Block, Figure, TableView};

const CH: ChapterId = ChapterId::Customers;

pub fn build(cx: &mut Cx) -> (Vec<Block>, String) {
    let (Some(plan), Some(model)) = (
        cx.project.chapters.customers.as_ref(),
        cx.model.customers.as_ref(),
    ) else {
        return (Vec::new(), String::new());
    };
    let mut blocks = vec![figures(cx, plan, model)];
    blocks.extend(survey(cx, plan, model));
    blocks.extend(complaints(cx, plan, model));
    blocks.extend(membership(cx, plan, model));
    blocks.extend(events(cx, plan));
    blocks.extend(cx.prose(CH, "notes", plan.notes.as_ref()));
    let members = cx.fmt.count(members(model));
    let status = match (cx.language, model.nps_all) {
        (Language::En, Some(n)) => format!("NPS {} · {members} members", cx.fmt.num(n, 1)),
        (Language::ZhCn, Some(n)) => format!("NPS {} · 会员{members}人", cx.fmt.num(n, 1)),
        (Language::En, None) => format!("{members} members"),
        (Language::ZhCn, None) => format!("会员{members}人"),
    };
    (blocks, status)
}

/// Customers in a tier of the plan (everyone but `none`).
fn members(model: &CustomersModel) -> u64 {
    model
        .tier_rows
        .iter()
        .filter(|t| t.member)
        .map(|t| t.customers)
        .sum()
}

/// A horizontal bar chart of counts per name, with its alt text.
fn count_bars(
    cx: &Cx,
    title: &str,
    legend: &str,
    names: &[String],
    counts: &[Option<f64>],
) -> (String, String) {
    let svg = bar_chart(&BarChart {
        title,
        categories: names.to_vec(),
        bars: vec![Series {
            label: cx.t(legend).to_string(),
            color: palette::TARGET,
            values: counts.to_vec(),
        }],
        line: None,
        horizontal: true,
        axis: &|v| format!("{v:.0}"),
        reference: None,
        second_reference: None,
    });
    let alt = format!(
        "{title}: {}",
        names
            .iter()
            .zip(counts)
            .map(|(n, c)| format!("{n} {}", c.unwrap_or(0.0)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    (svg, alt)
}

fn figures(cx: &Cx, plan: &CustomersPlan, model: &CustomersModel) -> Block {
    let fmt = cx.fmt;
    let targets = plan.survey.as_ref().and_then(|s| s.targets.as_ref());
    let mut items = Vec::new();
    if let Some(csat) = &model.csat_rows {
        // Pooled over every dimension score.
        let (mut sum, mut n) = (Decimal::ZERO, Decimal::ZERO);
        for row in csat {
            if let Some(m) = row.mean {
                let r = Decimal::from(row.responses);
                sum += m * r;
                n += r;
            }
        }
        let pooled = crate::money::ratio(sum, n);
        let target = targets.and_then(|t| t.csat);
        items.push(Figure {
            label: cx.t("fig.csat").to_string(),
            value: pooled.map_or("—".into(), |p| format!("{} / 5", fmt.num(p, 2))),
            comparison: target.map_or_else(
                || cx.t("word.no_target").to_string(),
                |t| format!("{} {}", cx.t("col.target"), fmt.num(t, 2)),
            ),
            tone: match (pooled, target) {
                (Some(p), Some(t)) if p < t => "bad",
                (Some(_), Some(_)) => "good",
                _ => "neutral",
            },
        });
    }
    if model.nps.is_some() {
        let target = targets.and_then(|t| t.nps);
        items.push(Figure {
            label: "NPS".to_string(),
            value: model.nps_all.map_or("—".into(), |n| fmt.num(n, 1)),
            comparison: target.map_or_else(
                || cx.t("word.no_target").to_string(),
                |t| format!("{} {}", cx.t("col.target"), fmt.num(t, 1)),
            ),
            tone: match (model.nps_all, target) {
                (Some(n), Some(t)) if n < t => "bad",
                (Some(_), Some(_)) => "good",
                _ => "neutral",
            },
        });
    }
    if let Some(c) = &model.complaint_rows {
        let sla = c.all.first_response_sla;
        items.push(Figure {
            label: cx.t("fig.first_response_sla").to_string(),
            value: sla.map_or("—".into(), |s| fmt.pct(s)),
            comparison: format!(
                "{} {} · {} {}",
                c.all.count,
                cx.t("word.complaints"),
                c.all.open,
                cx.t("word.open")
            ),
            tone: "neutral",
        });
    }
    let total: u64 = model.tier_rows.iter().map(|t| t.customers).sum();
    items.push(Figure {
        label: cx.t("fig.members").to_string(),
        value: cx.fmt.count(members(model)),
        comparison: format!(
            "{} {} {}",
            cx.t("word.of"),
            cx.fmt.count(total),
            cx.t("word.customers_ttm")
        ),
        tone: "neutral",
    });
    Block::Figures { items }
}

fn survey(cx: &mut Cx, plan: &CustomersPlan, model: &CustomersModel) -> Vec<Block> {
    let Some(s) = &plan.survey else {
        return Vec::new();
    };
    let lang = cx.language;
    let mut blocks = vec![cx.heading("sec.survey")];
    let dimension_names: Vec<String> = s.dimensions.iter().map(|d| cx.fmt.name(d)).collect();
    let mut facts = vec![cx.fact("word.dimensions", join(lang, &dimension_names))];
    if let Some(t) = &s.targets {
        if let Some(csat) = t.csat {
            facts.push(cx.fact("word.csat_target", format!("{} / 5", cx.fmt.num(csat, 2))));
        }
        if let Some(nps) = t.nps {
            facts.push(cx.fact("word.nps_target", cx.fmt.num(nps, 1)));
        }
    }
    blocks.push(Block::Facts { items: facts });
    if let (Some(rows), Some(csat)) = (&model.csat_rows, &model.csat) {
        let names: Vec<String> = rows.iter().map(|r| cx.fmt.name(&r.dimension)).collect();
        let means: Vec<Option<f64>> = rows
            .iter()
            .map(|r| r.mean.and_then(|d| d.to_f64()))
            .collect();
        let target = s.targets.as_ref().and_then(|t| t.csat);
        let below = names
            .iter()
            .zip(&means)
            .filter(|(_, m)| matches!((m, target.and_then(|t| t.to_f64())), (Some(m), Some(t)) if *m < t))
            .count();
        let title = match (lang, target) {
            (Language::En, Some(_)) => format!(
                "{below} of {} dimensions below the CSAT target",
                names.len()
            ),
            (Language::ZhCn, Some(_)) => {
                format!("{}个维度中{below}个低于满意度目标", names.len())
            }
            (_, None) => cx.t("chart.csat").to_string(),
        };
        let svg = bar_chart(&BarChart {
            title: &title,
            categories: names.clone(),
            bars: vec![Series {
                label: cx.t("legend.mean_score").to_string(),
                color: palette::TARGET,
                values: means.clone(),
            }],
            line: None,
            horizontal: true,
            axis: &|v| format!("{v:.1}"),
            reference: target.and_then(|t| t.to_f64()).map(|value| Reference {
                value,
                label: cx.t("legend.target").to_string(),
            }),
            second_reference: None,
        });
        let alt = format!(
            "{title}: {}",
            names
                .iter()
                .zip(&means)
                .map(|(n, m)| format!("{n} {}", m.map_or("—".into(), |m| format!("{m:.2}"))))
                .collect::<Vec<_>>()
                .join(", ")
        );
        blocks.push(cx.chart("customers_csat", svg, title, alt, Some("customers_csat")));
        blocks.push(Block::Table(TableView::computed(
            csat,
            cx.t("sec.csat"),
            cx.fmt,
        )));
    }
    if let (Some(nps), Some(nps_table)) = (&model.nps_rows, &model.nps) {
        let quarters: Vec<(String, Option<f64>)> = nps
            .iter()
            .filter(|r| r.is_quarter)
            .map(|r| (r.segment.clone(), r.nps.and_then(|d| d.to_f64())))
            .collect();
        if !quarters.is_empty() {
            let title = match (
                quarters.first().and_then(|q| q.1),
                quarters.last().and_then(|q| q.1),
                lang,
            ) {
                (Some(a), Some(b), Language::En) if quarters.len() > 1 => format!(
                    "NPS moved from {a:.1} to {b:.1} over the last {} quarters",
                    quarters.len()
                ),
                (Some(a), Some(b), Language::ZhCn) if quarters.len() > 1 => {
                    format!("近{}个季度 NPS 由{a:.1}变为{b:.1}", quarters.len())
                }
                _ => cx.t("chart.nps").to_string(),
            };
            let target = s
                .targets
                .as_ref()
                .and_then(|t| t.nps)
                .and_then(|t| t.to_f64());
            let svg = bar_chart(&BarChart {
                title: &title,
                categories: quarters.iter().map(|q| q.0.clone()).collect(),
                bars: vec![Series {
                    label: "NPS".into(),
                    color: palette::TARGET,
                    values: quarters.iter().map(|q| q.1.map(|v| v.max(0.0))).collect(),
                }],
                line: None,
                horizontal: false,
                axis: &|v| format!("{v:.0}"),
                reference: target.map(|value| Reference {
                    value,
                    label: cx.t("legend.target").to_string(),
                }),
                second_reference: None,
            });
            let alt = format!(
                "{title}: {}",
                quarters
                    .iter()
                    .map(|(q, v)| format!("{q} {}", v.map_or("—".into(), |v| format!("{v:.1}"))))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            blocks.push(cx.chart("customers_nps", svg, title, alt, Some("customers_nps")));
        }
        blocks.push(Block::Table(TableView::computed(
            nps_table,
            cx.t("sec.nps"),
            cx.fmt,
        )));
    }
    if !s.actions.is_empty() {
        blocks.push(Block::Heading {
            text: cx.t("word.actions").to_string(),
            id: "survey-actions".into(),
            level: 2,
        });
        blocks.push(Block::List {
            items: s.actions.clone(),
        });
    }
    blocks.extend(cx.prose(CH, "survey.notes", s.notes.as_ref()));
    blocks
}

fn complaints(cx: &mut Cx, plan: &CustomersPlan, model: &CustomersModel) -> Vec<Block> {
    let Some(c) = &plan.complaints else {
        return Vec::new();
    };
    let lang = cx.language;
    let mut blocks = vec![cx.heading("sec.complaints")];
    let mut facts = Vec::new();
    if let Some(sla) = &c.sla {
        facts.push(cx.fact(
            "word.first_response",
            format!(
                "{} {}",
                cx.fmt.num(sla.first_response_hours, 1),
                cx.t("word.hours")
            ),
        ));
        facts.push(cx.fact(
            "word.resolution",
            format!(
                "{} {}",
                cx.fmt.num(sla.resolution_days, 1),
                cx.t("word.days")
            ),
        ));
    }
    if !c.channels.is_empty() {
        facts.push(cx.fact("word.complaint_channels", join(lang, &c.channels)));
    }
    if !c.process.is_empty() {
        facts.push(cx.fact("word.process", c.process.join(" → ")));
    }
    blocks.push(Block::Facts { items: facts });
    if let (Some(complaints), Some(table)) = (&model.complaint_rows, &model.complaints) {
        let names: Vec<String> = complaints
            .categories
            .iter()
            .map(|r| r.category.clone())
            .collect();
        let counts: Vec<Option<f64>> = complaints
            .categories
            .iter()
            .map(|r| Decimal::from(r.count).to_f64())
            .collect();
        if !names.is_empty() {
            let title = match lang {
                Language::En => format!("{} is the most common complaint", names[0]),
                Language::ZhCn => format!("最常见的投诉类别是{}", names[0]),
            };
            let (svg, alt) = count_bars(cx, &title, "legend.complaints", &names, &counts);
            blocks.push(cx.chart(
                "customers_complaints",
                svg,
                title,
                alt,
                Some("customers_complaints"),
            ));
        }
        blocks.push(Block::Table(TableView::computed(
            table,
            cx.t("sec.complaints"),
            cx.fmt,
        )));
    }
    blocks.extend(cx.prose(CH, "complaints.notes", c.notes.as_ref()));
    blocks
}

fn membership(cx: &mut Cx, plan: &CustomersPlan, model: &CustomersModel) -> Vec<Block> {
    let lang = cx.language;
    let mut blocks = Vec::new();
    if let Some(m) = &plan.membership {
        blocks.push(cx.heading("sec.membership"));
        let rows = m
            .tiers
            .iter()
            .map(|t| {
                vec![
                    t.name.clone(),
                    cx.money_plain(t.min_spend),
                    t.min_orders.to_string(),
                    join(lang, &t.benefits),
                ]
            })
            .collect();
        blocks.push(cx.table(
            "membership-tiers",
            "sec.membership",
            &[
                ("col.tier", false),
                ("col.min_spend", true),
                ("col.min_orders", true),
                ("col.benefits", false),
            ],
            rows,
        ));
        blocks.extend(cx.item_notes(CH, "membership.tiers", &m.tiers, |t| {
            (t.name.clone(), t.notes.as_ref())
        }));
        let names: Vec<String> = model
            .tier_rows
            .iter()
            .map(|t| cx.fmt.name(&t.tier))
            .collect();
        let counts: Vec<Option<f64>> = model
            .tier_rows
            .iter()
            .map(|t| Decimal::from(t.customers).to_f64())
            .collect();
        let member_share: Decimal = model
            .tier_rows
            .iter()
            .filter(|t| t.member)
            .filter_map(|t| t.revenue_share)
            .sum();
        let title = match lang {
            Language::En => format!(
                "{} members bring {} of customer revenue",
                cx.fmt.count(members(model)),
                cx.fmt.pct(member_share)
            ),
            Language::ZhCn => format!(
                "{}名会员贡献客户销售额的{}",
                cx.fmt.count(members(model)),
                cx.fmt.pct(member_share)
            ),
        };
        let (svg, alt) = count_bars(cx, &title, "legend.customers", &names, &counts);
        blocks.push(cx.chart("customers_tiers", svg, title, alt, Some("customers_tiers")));
        blocks.push(Block::Table(TableView::computed(
            &model.tiers,
            cx.t("sec.tiers"),
            cx.fmt,
        )));
        blocks.extend(cx.prose(CH, "membership.notes", m.notes.as_ref()));
    }
    blocks.push(cx.heading("sec.rfm"));
    blocks.push(Block::Table(TableView::computed(
        &model.rfm,
        cx.t("sec.rfm"),
        cx.fmt,
    )));
    blocks
}

fn events(cx: &mut Cx, plan: &CustomersPlan) -> Vec<Block> {
    if plan.events.is_empty() {
        return Vec::new();
    }
    let lang = cx.language;
    let mut blocks = vec![cx.heading("sec.events")];
    let rows = plan
        .events
        .iter()
        .map(|e| {
            vec![
                e.name.clone(),
                text(&e.goal),
                e.date.map_or("—".into(), |d| cx.fmt.date(d)),
                e.budget.map_or("—".into(), |b| cx.money_plain(b)),
                join(lang, &e.promotion_channels),
            ]
        })
        .collect();
    blocks.push(cx.table(
        "events",
        "sec.events",
        &[
            ("col.event", false),
            ("col.goal", false),
            ("col.date", false),
            ("col.budget", true),
            ("col.promotion_channels", false),
        ],
        rows,
    ));
    let notes = plan
        .events
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            [
                (
                    e.name.clone(),
                    e.description.as_ref(),
                    format!("events[{i}].description"),
                ),
                (
                    e.name.clone(),
                    e.notes.as_ref(),
                    crate::render::chapter::item_path("events", i),
                ),
            ]
        })
        .collect::<Vec<_>>();
    blocks.extend(cx.notes(CH, notes));
    blocks
}
