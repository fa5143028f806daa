//! Chapter 4 — promotion planning & execution: the calendar, each promotion's mechanics,
//! linkage and resources, the results against goals (a running promotion to date, never
//! as a miss), the effect of the promotions that ran (sales against baseline, uplift,
//! return on spend, traffic and conversion), missed goals, and the money: spent on the
//! promotions that started, committed to those that have not, against the cap.

use std::collections::BTreeMap;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::chapters::promotions::compute::{
    missed_goals, Outlay, PromotionEffect, PromotionResult, PromotionsModel, Status,
};
use crate::chapters::promotions::plan::{Mechanic, PromotionsPlan};
use crate::chapters::ChapterId;
use crate::chart::gantt::{gantt, GanttFrame, GanttRow, GanttStatus};
use crate::chart::{bar_chart, palette, BarChart, Series};
use crate::plan::Language;
use crate::render::chapter::{join, text, Cx};
use crate::render::doc::{Block, Figure};

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
        blocks.extend(results(cx, plan, model));
        blocks.extend(effects(cx, model));
        blocks.extend(budget(cx, plan, model));
        blocks.extend(details(cx, plan));
    }
    blocks.extend(cx.prose(CH, "notes", plan.notes.as_ref()));
    let count = |s: Status| model.statuses.iter().filter(|x| **x == s).count();
    let (spent, committed) = (
        cx.fmt.money_compact(model.outlay.spent),
        cx.fmt.money_compact(model.outlay.committed),
    );
    let status = match cx.language {
        Language::En => format!(
            "{} promotions ({} done, {} running, {} planned) · {spent} spent, {committed} committed",
            plan.promotions.len(),
            count(Status::Done),
            count(Status::Running),
            count(Status::Planned),
        ),
        Language::ZhCn => format!(
            "{}项促销（已完成{}、进行中{}、计划中{}）· 已投入{spent}，预留{committed}",
            plan.promotions.len(),
            count(Status::Done),
            count(Status::Running),
            count(Status::Planned),
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
                Some(r) => format!("{} {}", fmt.fixed(r, 2), cx.t("word.per_unit_spent")),
                None => "—".into(),
            },
            tone: if uplift.is_sign_negative() {
                "bad"
            } else {
                "neutral"
            },
        },
    ];
    // Spent on the promotions that started; what is committed to the planned ones is
    // added before comparing with the cap.
    let outlay = model.outlay;
    let over_cap = plan.budget_cap.is_some_and(|cap| outlay.total() > cap);
    let committed = match cx.language {
        Language::En => format!(
            "+ {} {}",
            fmt.money_compact(outlay.committed),
            cx.t("word.committed")
        ),
        Language::ZhCn => format!(
            "另{} {}",
            cx.t("word.committed"),
            fmt.money_compact(outlay.committed)
        ),
    };
    let separator = match cx.language {
        Language::En => "; ",
        Language::ZhCn => "；",
    };
    items.push(Figure {
        label: cx.t("fig.promotion_spend").to_string(),
        value: fmt.money_compact(outlay.spent),
        comparison: match plan.budget_cap {
            Some(cap) if over_cap => format!(
                "{committed}{separator}▲ {} {}",
                cx.t("word.over_cap"),
                fmt.money_compact(cap)
            ),
            Some(cap) => format!(
                "{committed}{separator}{} {}",
                cx.t("word.within_cap"),
                fmt.money_compact(cap)
            ),
            None => format!("{committed}{separator}{}", cx.t("word.no_cap")),
        },
        tone: if over_cap { "bad" } else { "neutral" },
    });
    // Only finished promotions can have missed their goal.
    let missed = missed_goals(model).len();
    items.push(Figure {
        label: cx.t("fig.missed_goals").to_string(),
        value: missed.to_string(),
        comparison: cx.t("word.finished_below_goal").to_string(),
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
        Language::ZhCn => format!("{}共{in_year}项促销", cx.fmt.fiscal_year(info.fiscal_year)),
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
            status_label(cx, Status::Done),
            status_label(cx, Status::Running),
            status_label(cx, Status::Planned),
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
                status_label(cx, model.statuses[i]),
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
                cx.money_plain(p.budget.values().copied().sum()),
                p.goals
                    .as_ref()
                    .and_then(|g| g.sales)
                    .map_or("—".into(), |s| cx.money_plain(s)),
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

/// Results against goals: one row per promotion (name first), a running promotion's
/// figures to date, a planned one's as not started; then the running promotions in words
/// and the finished ones that missed their goal, with the adjustment the plan names.
fn results(cx: &mut Cx, plan: &PromotionsPlan, model: &PromotionsModel) -> Vec<Block> {
    let mut blocks = vec![cx.heading("sec.promotion_results")];
    let rows = model
        .results
        .iter()
        .map(|r| {
            let (spend, sales) = match &r.effect {
                Some(e) => (cx.money_plain(e.spend), cx.money_plain(e.sales.decimal())),
                None => ("—".to_string(), cx.fmt.cell_word(cx.t("word.not_started"))),
            };
            vec![
                r.name.clone(),
                status_label(cx, r.status),
                format!("{} – {}", cx.fmt.date(r.start), cx.fmt.date(r.end)),
                cx.money_plain(r.budget),
                spend,
                sales,
                r.goal_sales.map_or("—".into(), |g| cx.money_plain(g)),
                goal_attainment(cx, r),
            ]
        })
        .collect();
    let mut table = cx.table(
        "promotion-results",
        "sec.promotion_results",
        &[
            ("col.promotion", false),
            ("ui.status", false),
            ("col.dates", false),
            ("col.budget", true),
            ("col.spend", true),
            ("col.sales", true),
            ("col.goal_sales", true),
            ("col.goal_attainment", true),
        ],
        rows,
    );
    if let Block::Table(view) = &mut table {
        view.csv = Some(format!("data/{}.csv", model.table.name));
    }
    blocks.push(table);

    // Running promotions: how far they are, never a verdict.
    let as_of = cx.model.info.periods.as_of;
    let running: Vec<String> = model
        .results
        .iter()
        .filter(|r| r.status == Status::Running)
        .filter_map(|r| {
            let e = r.effect.as_ref()?;
            let days = (r.end - r.start).num_days() + 1;
            let elapsed = (r.end.min(as_of) - r.start).num_days() + 1;
            let goal = match (r.goal_attainment(), r.goal_sales, cx.language) {
                (Some(a), Some(g), Language::En) => {
                    format!(", {} of its {} goal", cx.fmt.pct(a), cx.money_plain(g))
                }
                (Some(a), Some(g), Language::ZhCn) => {
                    format!("，为销售目标{}的{}", cx.money_plain(g), cx.fmt.pct(a))
                }
                _ => String::new(),
            };
            Some(match cx.language {
                Language::En => format!(
                    "{} runs until {}: {} of sales to date{goal}, after {elapsed} of its {days} days.",
                    r.name,
                    cx.fmt.date(r.end),
                    cx.money_plain(e.sales.decimal()),
                ),
                Language::ZhCn => format!(
                    "{}进行至{}：已进行{days}天中的{elapsed}天，截至目前销售额{}{goal}。",
                    r.name,
                    cx.fmt.date(r.end),
                    cx.money_plain(e.sales.decimal()),
                ),
            })
        })
        .collect();
    if !running.is_empty() {
        blocks.push(Block::Heading {
            text: cx.t("sec.running_promotions").to_string(),
            id: "running-promotions".into(),
            level: 2,
        });
        blocks.push(Block::List { items: running });
    }

    // Finished promotions that missed their sales goal, with the adjustment the plan names.
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
                        "{}完成销售目标的{}。调整措施：{adjustment}",
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

/// "65.3 % to date" for a running promotion; "—" without a goal or before it starts.
fn goal_attainment(cx: &Cx, r: &PromotionResult) -> String {
    match (r.goal_attainment(), r.status, cx.language) {
        (None, _, _) => "—".to_string(),
        (Some(a), Status::Running, Language::En) => {
            format!("{} {}", cx.fmt.pct(a), cx.t("word.to_date"))
        }
        (Some(a), Status::Running, Language::ZhCn) => {
            format!("{}（{}）", cx.fmt.pct(a), cx.t("word.to_date"))
        }
        (Some(a), _, _) => cx.fmt.pct(a),
    }
}

/// A status in a table cell, as a word that starts the cell ("Running").
fn status_label(cx: &Cx, s: Status) -> String {
    cx.t(&format!("value.{}", s.key())).to_string()
}

/// A running promotion's name in a chart or table of effects: "Autumn Weeks (to date)".
fn effect_label(cx: &Cx, r: &PromotionResult) -> String {
    match (r.status, cx.language) {
        (Status::Running, Language::En) => format!("{} ({})", r.name, cx.t("word.to_date")),
        (Status::Running, Language::ZhCn) => format!("{}（{}）", r.name, cx.t("word.to_date")),
        _ => r.name.clone(),
    }
}

/// The effect of the promotions that started: sales against baseline (chart), then
/// baseline, uplift, return on spend, traffic and conversion (table, name first).
fn effects(cx: &mut Cx, model: &PromotionsModel) -> Vec<Block> {
    let mut blocks = vec![cx.heading("sec.promotion_effects")];
    // The promotions that have started, in table order (by start).
    let started: Vec<(&PromotionResult, &PromotionEffect)> = model
        .results
        .iter()
        .filter_map(|r| Some((r, r.effect.as_ref()?)))
        .collect();
    if started.is_empty() {
        return blocks;
    }
    let best = started
        .iter()
        .filter_map(|(r, e)| Some((*r, e.uplift_pct()?)))
        .max_by(|(ra, a), (rb, b)| a.cmp(b).then_with(|| rb.id.cmp(&ra.id)));
    let title = match (best, cx.language) {
        (Some((r, p)), Language::En) => format!(
            "{} lifted sales most: {} over its baseline",
            r.name,
            cx.fmt.signed_pct(p)
        ),
        (Some((r, p)), Language::ZhCn) => {
            format!("{}拉动最明显：较基准{}", r.name, cx.fmt.signed_pct(p))
        }
        (None, _) => cx.t("chart.uplift").to_string(),
    };
    let axis_fmt = cx.fmt;
    let axis = move |v: f64| axis_fmt.compact(Decimal::from_f64_retain(v).unwrap_or_default());
    let svg = bar_chart(&BarChart {
        title: &title,
        categories: started.iter().map(|(r, _)| effect_label(cx, r)).collect(),
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
        second_reference: None,
    });
    let alt = format!(
        "{title}: {}",
        started
            .iter()
            .map(|(r, e)| format!(
                "{} {}",
                effect_label(cx, r),
                e.uplift_pct().map_or("—".into(), |p| cx.fmt.signed_pct(p))
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    blocks.push(cx.chart("promotions_uplift", svg, title, alt, Some("promotions")));
    let no_traffic = cx.fmt.cell_word(cx.t("word.no_traffic_data"));
    let rows = started
        .iter()
        .map(|(r, e)| {
            let visitors = e.measured_visitors();
            vec![
                effect_label(cx, r),
                cx.money_plain(e.baseline),
                cx.money_plain(e.uplift),
                e.uplift_pct().map_or("—".into(), |p| cx.fmt.signed_pct(p)),
                e.iroas().map_or("—".into(), |x| cx.fmt.fixed(x, 2)),
                visitors.map_or_else(
                    || no_traffic.to_string(),
                    |v| cx.fmt.num(Decimal::from(v), 0),
                ),
                cx.fmt.num(Decimal::from(e.orders), 0),
                // Conversion only over visitors that were counted (and not 0).
                visitors
                    .and_then(|_| e.conversion())
                    .map_or("—".into(), |c| cx.fmt.pct(c)),
            ]
        })
        .collect();
    let mut table = cx.table(
        "promotion-effects",
        "sec.promotion_effects",
        &[
            ("col.promotion", false),
            ("col.baseline", true),
            ("col.uplift", true),
            ("col.uplift_pct", true),
            ("col.iroas", true),
            ("col.visitors", true),
            ("col.orders", true),
            ("col.conversion", true),
        ],
        rows,
    );
    if let Block::Table(view) = &mut table {
        view.csv = Some(format!("data/{}.csv", model.table.name));
    }
    blocks.push(table);
    blocks
}

/// Budget, spent and committed by cost item, and the sentence that sets spent plus
/// committed against the cap.
fn budget(cx: &mut Cx, plan: &PromotionsPlan, model: &PromotionsModel) -> Vec<Block> {
    let mut blocks = vec![cx.heading("sec.promotion_budget")];
    // Per cost item: (budget, spent, committed).
    let mut items: BTreeMap<&str, (Decimal, Decimal, Decimal)> = BTreeMap::new();
    for (p, status) in plan.promotions.iter().zip(&model.statuses) {
        for (k, v) in &p.budget {
            items.entry(k.as_str()).or_default().0 += *v;
        }
        if *status == Status::Planned {
            for (k, v) in &p.budget {
                items.entry(k.as_str()).or_default().2 += *v;
            }
            continue;
        }
        // Spend over the union of budget and spend items (§9).
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
        .map(|(k, (b, s, c))| {
            // Nothing spent or committed reads as a dash, not ¥0.
            let amount = |d: &Decimal| {
                if d.is_zero() {
                    "—".to_string()
                } else {
                    cx.money_plain(*d)
                }
            };
            vec![cost_item(cx, k), cx.money_plain(*b), amount(s), amount(c)]
        })
        .collect();
    let outlay = model.outlay;
    rows.push(vec![
        cx.t("col.total").to_string(),
        cx.money_plain(model.budget_total),
        cx.money_plain(outlay.spent),
        cx.money_plain(outlay.committed),
    ]);
    let mut facts = vec![cx.fact(
        "word.baseline_days",
        format!("{} {}", plan.baseline_days, cx.t("word.days")),
    )];
    if let Some(cap) = plan.budget_cap {
        facts.push(cx.fact("word.budget_cap", cx.money_plain(cap)));
    }
    blocks.push(Block::Facts { items: facts });
    let sentence = outlay_sentence(cx, &outlay, plan.budget_cap);
    blocks.push(Block::Prose(cx.narrator.markdown(&sentence)));
    blocks.push(cx.table(
        "promotion-budget",
        "sec.promotion_budget",
        &[
            ("col.cost_item", false),
            ("col.budget", true),
            ("col.spent", true),
            ("col.committed", true),
        ],
        rows,
    ));
    if let Some(cap) = plan.budget_cap.filter(|cap| model.budget_total > *cap) {
        let text = match cx.language {
            Language::En => format!(
                "The promotion budgets add up to {}, over the cap of {}.",
                cx.money_plain(model.budget_total),
                cx.money_plain(cap)
            ),
            Language::ZhCn => format!(
                "促销预算合计{}，超过上限{}。",
                cx.money_plain(model.budget_total),
                cx.money_plain(cap)
            ),
        };
        blocks.push(Block::Notice { text });
    }
    blocks
}

/// "¥533.5K spent on 6 promotions that have started, ¥125K committed to 2 not yet
/// started, of a ¥700K cap (¥41.5K left)."
pub fn outlay_sentence(cx: &Cx, outlay: &Outlay, cap: Option<Decimal>) -> String {
    let (spent, committed) = (
        cx.money_plain(outlay.spent),
        cx.money_plain(outlay.committed),
    );
    let (started, not_started) = (outlay.started, outlay.not_started);
    let promotions = |n: usize| if n == 1 { "promotion" } else { "promotions" };
    let has = |n: usize| if n == 1 { "has" } else { "have" };
    match (cx.language, cap) {
        (Language::En, cap) => {
            let cap = match cap {
                Some(cap) if outlay.total() > cap => format!(
                    ", {} over the {} cap",
                    cx.money_plain(outlay.total() - cap),
                    cx.money_plain(cap)
                ),
                Some(cap) => format!(
                    ", of a {} cap ({} left)",
                    cx.money_plain(cap),
                    cx.money_plain(cap - outlay.total())
                ),
                None => String::new(),
            };
            format!(
                "{spent} spent on {started} {} that {} started, {committed} committed to {not_started} not yet started{cap}.",
                promotions(started),
                has(started)
            )
        }
        (Language::ZhCn, cap) => {
            let cap = match cap {
                Some(cap) if outlay.total() > cap => format!(
                    "，合计超出预算上限{} {}",
                    cx.money_plain(cap),
                    cx.money_plain(outlay.total() - cap)
                ),
                Some(cap) => format!(
                    "，预算上限{}（尚余{}）",
                    cx.money_plain(cap),
                    cx.money_plain(cap - outlay.total())
                ),
                None => String::new(),
            };
            format!(
                "已开始的{started}项促销已投入{spent}，尚未开始的{not_started}项预留{committed}{cap}。"
            )
        }
    }
}

/// A cost item in words: its built-in label (`label.advertising` → "Advertising" / "广告")
/// or the key as words ("kol_fees" → "Kol fees").
pub fn cost_item(cx: &Cx, key: &str) -> String {
    cx.fmt.name(key)
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
            .map(|(k, v)| format!("{} {}", cost_item(cx, k), cx.money_plain(*v)))
            .collect();
        facts.push(cx.fact("col.budget", join(lang, &budget)));
        if let Some(spend) = &p.spend {
            let spend: Vec<String> = spend
                .iter()
                .map(|(k, v)| format!("{} {}", cost_item(cx, k), cx.money_plain(*v)))
                .collect();
            facts.push(cx.fact("word.spend", join(lang, &spend)));
        }
        if let Some(g) = &p.goals {
            let mut goals = Vec::new();
            if let Some(s) = g.sales {
                goals.push(cx.money_plain(s));
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
