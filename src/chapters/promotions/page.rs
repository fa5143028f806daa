//! Chapter 4 — promotion planning & execution: the calendar, each promotion's mechanics,
//! linkage and resources, the effect of the promotions that ran (sales against baseline,
//! uplift, return on spend, traffic and conversion), missed goals, and the budget.

use std::collections::BTreeMap;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::chapters::promotions::compute::{
    missed_goals, spend_of, PromotionEffect, PromotionsModel, Status,
};
use crate::chapters::promotions::plan::{Mechanic, PromotionsPlan};
use crate::chapters::ChapterId;
use crate::chart::gantt::{gantt, GanttFrame, GanttRow, GanttStatus};
use crate::chart::{bar_chart, palette, BarChart, Series};
use crate::plan::Language;
use crate::render::chapter::{join, text, Cx};
use crate::render::doc::{Block, Figure, TableView};

const CH: ChapterId = ChapterId::Promotions;

pub fn build(cx: &mut Cx) -> (Vec<Block>, String) {
    let (Some(plan), Some(model)) = (
        cx.project.chapters.promotions.as_ref(),
        cx.model.promotions.as_ref(),
    ) else {
        return (Vec::new(), String::new());
    };
    let mut blocks = vec![figures(cx, plan, model)];
    if !plan.promotions.is_empty() {
        blocks.extend(calendar(cx, plan, model));
        blocks.extend(effects(cx, plan, model));
        blocks.extend(budget(cx, plan));
        blocks.extend(details(cx, plan));
    }
    blocks.extend(cx.prose(CH, "notes", plan.notes.as_ref()));
    let count = |s: Status| model.statuses.iter().filter(|x| **x == s).count();
    let status = match cx.language {
        Language::En => format!(
            "{} promotions ({} done, {} running, {} planned) · budget {}",
            plan.promotions.len(),
            count(Status::Done),
            count(Status::Running),
            count(Status::Planned),
            cx.fmt.money_compact(model.budget_total)
        ),
        Language::ZhCn => format!(
            "{} 项促销（已完成 {}、进行中 {}、计划中 {}）· 预算 {}",
            plan.promotions.len(),
            count(Status::Done),
            count(Status::Running),
            count(Status::Planned),
            cx.fmt.money_compact(model.budget_total)
        ),
    };
    (blocks, status)
}

fn figures(cx: &Cx, plan: &PromotionsPlan, model: &PromotionsModel) -> Block {
    let fmt = cx.fmt;
    let started = || model.results.iter().filter_map(|r| r.effect.as_ref());
    let uplift: Decimal = started().map(|e| e.uplift).sum();
    let spend: Decimal = started().map(|e| e.spend).sum();
    let ran = model
        .statuses
        .iter()
        .filter(|s| **s != Status::Planned)
        .count();
    let mut items = vec![
        Figure {
            label: cx.t("fig.promotions_run").to_string(),
            value: format!("{ran} / {}", plan.promotions.len()),
            comparison: cx.t("word.done_or_running").to_string(),
            tone: "neutral",
        },
        Figure {
            label: cx.t("fig.uplift").to_string(),
            value: fmt.money_compact(uplift),
            comparison: match crate::money::ratio(uplift, spend) {
                Some(r) => format!("{} {}", fmt.num(r, 2), cx.t("word.per_unit_spent")),
                None => "—".into(),
            },
            tone: if uplift.is_sign_negative() {
                "bad"
            } else {
                "neutral"
            },
        },
    ];
    let over_cap = plan.budget_cap.is_some_and(|cap| model.budget_total > cap);
    items.push(Figure {
        label: cx.t("fig.promotion_budget").to_string(),
        value: fmt.money_compact(model.budget_total),
        comparison: match plan.budget_cap {
            Some(cap) if over_cap => {
                format!("▲ {} {}", cx.t("word.over_cap"), fmt.money_compact(cap))
            }
            Some(cap) => format!("{} {}", cx.t("word.within_cap"), fmt.money_compact(cap)),
            None => cx.t("word.no_cap").to_string(),
        },
        tone: if over_cap { "bad" } else { "neutral" },
    });
    let missed = missed_goals(model).len();
    items.push(Figure {
        label: cx.t("fig.missed_goals").to_string(),
        value: missed.to_string(),
        comparison: cx.t("word.below_sales_goal").to_string(),
        tone: if missed > 0 { "bad" } else { "good" },
    });
    Block::Figures { items }
}

fn calendar(cx: &mut Cx, plan: &PromotionsPlan, model: &PromotionsModel) -> Vec<Block> {
    let lang = cx.language;
    let info = &cx.model.info;
    let fy = info.periods.fy;
    let mut blocks = vec![cx.heading("sec.promotions")];
    let mut order: Vec<usize> = (0..plan.promotions.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&plan.promotions[a], &plan.promotions[b]);
        pa.start.cmp(&pb.start).then_with(|| pa.id.cmp(&pb.id))
    });
    let fmt = cx.fmt;
    let status_word = |s: Status| fmt.t(&format!("word.status_{}", s.key())).to_string();
    let rows: Vec<GanttRow> = order
        .iter()
        .map(|&i| {
            let p = &plan.promotions[i];
            GanttRow {
                label: p.name.clone(),
                note: p.holiday.clone(),
                start: p.start,
                end: p.end,
                status: match model.statuses[i] {
                    Status::Done => GanttStatus::Done,
                    Status::Running => GanttStatus::Running,
                    Status::Planned => GanttStatus::Planned,
                },
            }
        })
        .collect();
    let in_year = rows
        .iter()
        .filter(|r| fy.contains(r.start) || fy.contains(r.end))
        .count();
    let title = match lang {
        Language::En => format!(
            "{in_year} promotions across {}",
            cx.fmt.fiscal_year(info.fiscal_year)
        ),
        Language::ZhCn => format!(
            "{}共 {in_year} 项促销",
            cx.fmt.fiscal_year(info.fiscal_year)
        ),
    };
    let frame = GanttFrame {
        title: &title,
        from: fy.start(),
        to: fy.end(),
        months: fy
            .months()
            .map(|m| (cx.fmt.month_short(m), m.first_day()))
            .collect(),
        as_of: info.periods.as_of,
        as_of_label: cx.fmt.date(info.periods.as_of),
        legend: [
            status_word(Status::Done),
            status_word(Status::Running),
            status_word(Status::Planned),
        ],
    };
    let svg = gantt(&frame, &rows);
    let alt = format!(
        "{title}: {}",
        order
            .iter()
            .map(|&i| {
                let p = &plan.promotions[i];
                format!(
                    "{} {}–{} ({})",
                    p.name,
                    cx.fmt.date(p.start),
                    cx.fmt.date(p.end),
                    status_word(model.statuses[i])
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    );
    blocks.push(cx.chart("promotions_calendar", svg, title, alt, Some("promotions")));
    let table_rows = order
        .iter()
        .map(|&i| {
            let p = &plan.promotions[i];
            vec![
                p.name.clone(),
                status_word(model.statuses[i]),
                text(&p.holiday),
                format!("{} – {}", cx.fmt.date(p.start), cx.fmt.date(p.end)),
                p.channels
                    .as_ref()
                    .map_or_else(|| cx.t("word.all_channels").to_string(), |c| join(lang, c)),
                join(
                    lang,
                    &p.mechanics
                        .iter()
                        .map(|m| mechanic(cx, m))
                        .collect::<Vec<_>>(),
                ),
                cx.money(p.budget.values().copied().sum()),
                p.goals
                    .as_ref()
                    .and_then(|g| g.sales)
                    .map_or("—".into(), |s| cx.money(s)),
            ]
        })
        .collect();
    blocks.push(cx.table(
        "promotion-calendar",
        "sec.promotions",
        &[
            ("col.promotion", false),
            ("ui.status", false),
            ("col.holiday", false),
            ("col.dates", false),
            ("col.channels", false),
            ("col.mechanics", false),
            ("col.budget", true),
            ("col.goal_sales", true),
        ],
        table_rows,
    ));
    blocks
}

fn effects(cx: &mut Cx, plan: &PromotionsPlan, model: &PromotionsModel) -> Vec<Block> {
    let mut blocks = vec![cx.heading("sec.promotion_effects")];
    // The promotions that have started, in table order (by start).
    let started: Vec<(&str, &PromotionEffect)> = model
        .results
        .iter()
        .filter_map(|r| Some((r.id.as_str(), r.effect.as_ref()?)))
        .collect();
    if !started.is_empty() {
        let pct: BTreeMap<&str, Decimal> = started
            .iter()
            .filter_map(|(id, e)| Some((*id, e.uplift_pct()?)))
            .collect();
        let names: BTreeMap<&str, &str> = plan
            .promotions
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str()))
            .collect();
        let ids: Vec<&str> = started.iter().map(|(id, _)| *id).collect();
        let best = ids
            .iter()
            .max_by(|a, b| pct.get(*a).cmp(&pct.get(*b)).then_with(|| b.cmp(a)));
        let title = match (
            best.and_then(|id| pct.get(id).map(|p| (id, p))),
            cx.language,
        ) {
            (Some((id, p)), Language::En) => format!(
                "{} lifted sales most: {} over its baseline",
                names[id],
                cx.fmt.signed_pct(*p)
            ),
            (Some((id, p)), Language::ZhCn) => {
                format!("{}拉动最明显：较基准{}", names[id], cx.fmt.signed_pct(*p))
            }
            (None, _) => cx.t("chart.uplift").to_string(),
        };
        let axis_fmt = cx.fmt;
        let axis = move |v: f64| axis_fmt.compact(Decimal::from_f64_retain(v).unwrap_or_default());
        let svg = bar_chart(&BarChart {
            title: &title,
            categories: ids.iter().map(|id| names[id].to_string()).collect(),
            bars: vec![
                Series {
                    label: cx.t("legend.baseline").to_string(),
                    color: palette::BASELINE,
                    values: started.iter().map(|(_, e)| e.baseline.to_f64()).collect(),
                },
                Series {
                    label: cx.t("legend.sales").to_string(),
                    color: palette::TARGET,
                    values: started
                        .iter()
                        .map(|(_, e)| e.sales.decimal().to_f64())
                        .collect(),
                },
            ],
            line: None,
            horizontal: true,
            axis: &axis,
            reference: None,
        });
        let alt = format!(
            "{title}: {}",
            ids.iter()
                .map(|id| format!(
                    "{} {}",
                    names[id],
                    pct.get(id).map_or("—".into(), |p| cx.fmt.signed_pct(*p))
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
        blocks.push(cx.chart("promotions_uplift", svg, title, alt, Some("promotions")));
    }
    blocks.push(Block::Table(TableView::computed(
        &model.table,
        cx.t("sec.promotion_effects"),
        cx.fmt,
    )));
    // Promotions that missed their sales goal, with the adjustment the plan names.
    let missed = missed_goals(model);
    if !missed.is_empty() {
        let items = missed
            .iter()
            .filter_map(|(id, attainment)| {
                let p = plan.promotions.iter().find(|p| &p.id == id)?;
                let adjustment = p
                    .adjustment
                    .clone()
                    .unwrap_or_else(|| cx.t("word.no_adjustment").to_string());
                Some(match cx.language {
                    Language::En => format!(
                        "{} reached {} of its sales goal. Adjustment: {adjustment}",
                        p.name,
                        cx.fmt.pct(*attainment)
                    ),
                    Language::ZhCn => format!(
                        "{}完成销售目标的 {}。调整措施：{adjustment}",
                        p.name,
                        cx.fmt.pct(*attainment)
                    ),
                })
            })
            .collect();
        blocks.push(Block::Heading {
            text: cx.t("sec.missed_goals").to_string(),
            id: "missed-goals".into(),
            level: 2,
        });
        blocks.push(Block::List { items });
    }
    blocks
}

fn budget(cx: &mut Cx, plan: &PromotionsPlan) -> Vec<Block> {
    let mut blocks = vec![cx.heading("sec.promotion_budget")];
    let mut items: BTreeMap<&str, (Decimal, Decimal)> = BTreeMap::new();
    for p in &plan.promotions {
        for (k, v) in &p.budget {
            items.entry(k.as_str()).or_default().0 += *v;
        }
        let mut spent: BTreeMap<&str, Decimal> =
            p.budget.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        for (k, v) in p.spend.iter().flatten() {
            spent.insert(k.as_str(), *v);
        }
        for (k, v) in spent {
            items.entry(k).or_default().1 += v;
        }
    }
    let mut rows: Vec<Vec<String>> = items
        .iter()
        .map(|(k, (b, s))| vec![k.to_string(), cx.money(*b), cx.money(*s)])
        .collect();
    let (budget, spend): (Decimal, Decimal) = (
        items.values().map(|v| v.0).sum(),
        plan.promotions.iter().map(spend_of).sum(),
    );
    rows.push(vec![
        cx.t("col.total").to_string(),
        cx.money(budget),
        cx.money(spend),
    ]);
    let mut facts = vec![cx.fact(
        "word.baseline_days",
        format!("{} {}", plan.baseline_days, cx.t("word.days")),
    )];
    if let Some(cap) = plan.budget_cap {
        facts.push(cx.fact("word.budget_cap", cx.money(cap)));
    }
    blocks.push(Block::Facts { items: facts });
    blocks.push(cx.table(
        "promotion-budget",
        "sec.promotion_budget",
        &[
            ("col.cost_item", false),
            ("col.budget", true),
            ("col.spend", true),
        ],
        rows,
    ));
    if let Some(cap) = plan.budget_cap.filter(|cap| budget > *cap) {
        let text = match cx.language {
            Language::En => format!(
                "The promotion budgets add up to {}, over the cap of {}.",
                cx.money(budget),
                cx.money(cap)
            ),
            Language::ZhCn => format!(
                "促销预算合计 {}，超过上限 {}。",
                cx.money(budget),
                cx.money(cap)
            ),
        };
        blocks.push(Block::Notice { text });
    }
    blocks
}

fn details(cx: &mut Cx, plan: &PromotionsPlan) -> Vec<Block> {
    let lang = cx.language;
    let mut blocks = vec![cx.heading("sec.promotion_details")];
    for (i, p) in plan.promotions.iter().enumerate() {
        blocks.push(Block::Heading {
            text: p.name.clone(),
            id: format!("promotion-{}", p.id),
            level: 2,
        });
        let mut facts = Vec::new();
        if !p.mechanics.is_empty() {
            facts.push(
                cx.fact(
                    "col.mechanics",
                    join(
                        lang,
                        &p.mechanics
                            .iter()
                            .map(|m| mechanic(cx, m))
                            .collect::<Vec<_>>(),
                    ),
                ),
            );
        }
        if let Some(a) = &p.audience {
            facts.push(cx.fact("word.audience", a.clone()));
        }
        if let Some(l) = &p.linkage {
            facts.push(cx.fact("word.linkage", l.clone()));
        }
        let budget: Vec<String> = p
            .budget
            .iter()
            .map(|(k, v)| format!("{k} {}", cx.money(*v)))
            .collect();
        facts.push(cx.fact("col.budget", join(lang, &budget)));
        if let Some(spend) = &p.spend {
            let spend: Vec<String> = spend
                .iter()
                .map(|(k, v)| format!("{k} {}", cx.money(*v)))
                .collect();
            facts.push(cx.fact("word.spend", join(lang, &spend)));
        }
        if let Some(g) = &p.goals {
            let mut goals = Vec::new();
            if let Some(s) = g.sales {
                goals.push(cx.money(s));
            }
            if let Some(c) = g.conversion {
                goals.push(format!(
                    "{} {}",
                    cx.t("word.conversion_goal"),
                    cx.fmt.pct(c)
                ));
            }
            facts.push(cx.fact("word.goals", join(lang, &goals)));
        }
        if let Some(a) = &p.adjustment {
            facts.push(cx.fact("word.adjustment", a.clone()));
        }
        blocks.push(Block::Facts { items: facts });
        blocks.extend(cx.prose(
            CH,
            &format!("promotions[{i}].description"),
            p.description.as_ref(),
        ));
        if !p.resources.is_empty() {
            let rows = p
                .resources
                .iter()
                .map(|r| {
                    vec![
                        r.department.clone(),
                        r.task.clone(),
                        r.due.map_or("—".into(), |d| cx.fmt.date(d)),
                    ]
                })
                .collect();
            blocks.push(cx.table(
                &format!("resources-{}", p.id),
                "sec.resources",
                &[
                    ("col.department", false),
                    ("col.task", false),
                    ("col.due", false),
                ],
                rows,
            ));
        }
        blocks.extend(cx.prose(
            CH,
            &crate::render::chapter::item_path("promotions", i),
            p.notes.as_ref(),
        ));
    }
    blocks
}

/// A mechanic in plain words: "15 % off" / "8.5折", "满300减50", "gift over ¥500: tea set".
pub fn mechanic(cx: &Cx, m: &Mechanic) -> String {
    let plain = |d: Decimal| cx.fmt.num(d, 2);
    match (m, cx.language) {
        (Mechanic::Discount { rate, .. }, Language::En) => {
            format!("{} % off", cx.fmt.num(*rate * Decimal::ONE_HUNDRED, 1))
        }
        (Mechanic::Discount { rate, .. }, Language::ZhCn) => {
            format!("{}折", cx.fmt.num((Decimal::ONE - *rate) * Decimal::TEN, 2))
        }
        (Mechanic::SpendSave { threshold, off, .. }, Language::En) => {
            format!(
                "{} off orders of {} or more",
                cx.money_plain(*off),
                cx.money_plain(*threshold)
            )
        }
        (Mechanic::SpendSave { threshold, off, .. }, Language::ZhCn) => {
            format!("满{}减{}", plain(*threshold), plain(*off))
        }
        (
            Mechanic::Gift {
                item,
                threshold: Some(t),
                ..
            },
            Language::En,
        ) => format!("gift over {}: {item}", cx.money_plain(*t)),
        (
            Mechanic::Gift {
                item,
                threshold: Some(t),
                ..
            },
            Language::ZhCn,
        ) => format!("满{}赠{item}", plain(*t)),
        (
            Mechanic::Gift {
                item,
                threshold: None,
                ..
            },
            Language::En,
        ) => format!("gift: {item}"),
        (
            Mechanic::Gift {
                item,
                threshold: None,
                ..
            },
            Language::ZhCn,
        ) => format!("赠{item}"),
    }
}
