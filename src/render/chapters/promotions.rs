//! Chapter 4 — promotion planning & execution (plan content; effect tracking comes with
//! its own issue).

use rust_decimal::Decimal;

use super::{item_path, join, text, Cx};
use crate::plan::promotions::Mechanic;
use crate::plan::{ChapterId, Language};
use crate::render::doc::Block;

const CH: ChapterId = ChapterId::Promotions;

pub fn build(cx: &mut Cx) -> (Vec<Block>, String) {
    let Some(plan) = cx.computed.project.chapters.promotions.as_ref() else {
        return (Vec::new(), String::new());
    };
    let lang = cx.language;
    let mut blocks = Vec::new();
    let mut facts = vec![cx.fact(
        "word.baseline_days",
        format!("{} {}", plan.baseline_days, cx.t("word.days")),
    )];
    if let Some(cap) = plan.budget_cap {
        facts.push(cx.fact("word.budget_cap", cx.money(cap)));
    }
    blocks.push(Block::Facts { items: facts });
    if !plan.promotions.is_empty() {
        blocks.push(cx.heading("sec.promotions"));
        let mut promotions: Vec<_> = plan.promotions.iter().collect();
        promotions.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
        let rows = promotions
            .iter()
            .map(|p| {
                let budget: Decimal = p.budget.values().copied().sum();
                vec![
                    p.name.clone(),
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
                    cx.money(budget),
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
                ("col.holiday", false),
                ("col.dates", false),
                ("col.channels", false),
                ("col.mechanics", false),
                ("col.budget", true),
                ("col.goal_sales", true),
            ],
            rows,
        ));
        blocks.push(cx.heading("sec.promotion_details"));
        for (i, p) in plan.promotions.iter().enumerate() {
            blocks.push(Block::Heading {
                text: p.name.clone(),
                id: format!("promotion-{}", p.id),
                level: 2,
            });
            let mut facts = Vec::new();
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
                    "col.task",
                    &[
                        ("col.department", false),
                        ("col.task", false),
                        ("col.due", false),
                    ],
                    rows,
                ));
            }
            blocks.extend(cx.prose(CH, &item_path("promotions", i), p.notes.as_ref()));
        }
    }
    blocks.extend(cx.prose(CH, "notes", plan.notes.as_ref()));
    let budget: Decimal = plan
        .promotions
        .iter()
        .flat_map(|p| p.budget.values())
        .copied()
        .sum();
    let status = match lang {
        Language::En => format!(
            "{} promotions · budget {}",
            plan.promotions.len(),
            cx.fmt.money_compact(budget)
        ),
        Language::ZhCn => format!(
            "{} 项促销活动 · 预算 {}",
            plan.promotions.len(),
            cx.fmt.money_compact(budget)
        ),
    };
    (blocks, status)
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
