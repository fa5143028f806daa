//! Chapter 3 — sales channel expansion & optimisation (plan content; mix, partner scores
//! and conflict detection come with their own issue).

use rust_decimal::Decimal;

use super::{join, text, Cx};
use crate::plan::channels::{ChannelType, ConflictType};
use crate::plan::ChapterId;
use crate::render::doc::Block;

const CH: ChapterId = ChapterId::Channels;

pub fn build(cx: &mut Cx) -> (Vec<Block>, String) {
    let Some(plan) = cx.computed.project.chapters.channels.as_ref() else {
        return (Vec::new(), String::new());
    };
    let lang = cx.language;
    let mut blocks = Vec::new();
    if !plan.channels.is_empty() {
        blocks.push(cx.heading("sec.channels"));
        let rows = plan
            .channels
            .iter()
            .map(|c| {
                let kind = match c.kind {
                    ChannelType::Online => "word.online",
                    ChannelType::Offline => "word.offline",
                    ChannelType::O2o => "word.o2o",
                    ChannelType::Partner => "word.partner",
                };
                vec![
                    c.name.clone(),
                    cx.t(kind).to_string(),
                    cx.fmt.pct(c.target_share),
                    text(&c.strategy),
                ]
            })
            .collect();
        blocks.push(cx.table(
            "channels",
            "sec.channels",
            &[
                ("col.channel", false),
                ("col.type", false),
                ("col.target_share", true),
                ("col.strategy", false),
            ],
            rows,
        ));
        blocks.extend(cx.item_notes(CH, "channels", &plan.channels, |c| {
            (c.name.clone(), c.notes.as_ref())
        }));
    }
    if !plan.partners.is_empty() {
        blocks.push(cx.heading("sec.partners"));
        let rows = plan
            .partners
            .iter()
            .map(|p| {
                let scores: Vec<String> = p
                    .scores
                    .iter()
                    .map(|(k, v)| format!("{k} {}", cx.fmt.num(*v, 2)))
                    .collect();
                vec![
                    p.name.clone(),
                    p.channel.clone(),
                    p.territory.as_ref().map_or("—".into(), |t| join(lang, t)),
                    join(lang, &scores),
                    p.contract_end.map_or("—".into(), |d| cx.fmt.date(d)),
                    text(&p.review),
                ]
            })
            .collect();
        blocks.push(cx.table(
            "partners",
            "sec.partners",
            &[
                ("col.partner", false),
                ("col.channel", false),
                ("col.territory", false),
                ("col.scores", false),
                ("col.contract_end", false),
                ("col.review", false),
            ],
            rows,
        ));
        blocks.extend(cx.item_notes(CH, "partners", &plan.partners, |p| {
            (p.name.clone(), p.notes.as_ref())
        }));
    }
    if let Some(sel) = &plan.selection {
        blocks.push(cx.heading("sec.selection"));
        if let Some(min) = sel.min_score {
            blocks.push(Block::Facts {
                items: vec![cx.fact("word.min_score", cx.fmt.num(min, 2))],
            });
        }
        if !sel.criteria.is_empty() {
            let total: Decimal = sel.criteria.iter().map(|c| c.weight).sum();
            let rows = sel
                .criteria
                .iter()
                .map(|c| {
                    vec![
                        c.name.clone(),
                        crate::money::ratio(c.weight, total)
                            .map_or("—".into(), |w| cx.fmt.pct(w)),
                    ]
                })
                .collect();
            blocks.push(cx.table(
                "selection",
                "sec.selection",
                &[("col.criteria", false), ("col.weight", true)],
                rows,
            ));
        }
        blocks.extend(cx.prose(CH, "selection.notes", sel.notes.as_ref()));
    }
    if !plan.budget.is_empty() {
        blocks.push(cx.heading("sec.channel_budget"));
        let cell = |v: Option<Decimal>| v.map_or("—".into(), |v| cx.money(v));
        let mut rows: Vec<Vec<String>> = plan
            .budget
            .iter()
            .map(|b| {
                vec![
                    b.channel.clone(),
                    cell(b.personnel),
                    cell(b.advertising),
                    cell(b.logistics),
                    cell(b.other),
                    cx.money(b.total()),
                ]
            })
            .collect();
        let sum = |f: fn(&crate::plan::channels::ChannelBudget) -> Option<Decimal>| -> String {
            cx.money(plan.budget.iter().filter_map(f).sum())
        };
        rows.push(vec![
            cx.t("col.total").to_string(),
            sum(|b| b.personnel),
            sum(|b| b.advertising),
            sum(|b| b.logistics),
            sum(|b| b.other),
            cx.money(plan.budget.iter().map(|b| b.total()).sum()),
        ]);
        blocks.push(cx.table(
            "channel-budget",
            "sec.channel_budget",
            &[
                ("col.channel", false),
                ("col.personnel", true),
                ("col.advertising", true),
                ("col.logistics", true),
                ("col.other", true),
                ("col.total", true),
            ],
            rows,
        ));
        blocks.extend(cx.item_notes(CH, "budget", &plan.budget, |b| {
            (b.channel.clone(), b.notes.as_ref())
        }));
    }
    if let Some(c) = &plan.conflicts {
        blocks.push(cx.heading("sec.conflicts"));
        let tolerance = c.price_tolerance.unwrap_or(Decimal::new(5, 2));
        let mut facts = vec![cx.fact("word.price_tolerance", cx.fmt.pct(tolerance))];
        if let Some(s) = &c.safeguards {
            facts.push(cx.fact("word.safeguards", s.clone()));
        }
        blocks.push(Block::Facts { items: facts });
        if !c.resolution.is_empty() {
            let rows = c
                .resolution
                .iter()
                .map(|r| {
                    let kind = match r.kind {
                        ConflictType::Price => cx.t("word.price").to_string(),
                        ConflictType::Territory => cx.t("word.territory").to_string(),
                        ConflictType::Other => cx.t("col.other").to_string(),
                    };
                    vec![kind, r.mechanism.clone(), text(&r.owner)]
                })
                .collect();
            blocks.push(cx.table(
                "conflict-resolution",
                "sec.conflicts",
                &[
                    ("col.conflict_type", false),
                    ("col.mechanism", false),
                    ("col.owner", false),
                ],
                rows,
            ));
        }
        blocks.extend(cx.prose(CH, "conflicts.notes", c.notes.as_ref()));
    }
    blocks.extend(cx.prose(CH, "notes", plan.notes.as_ref()));
    let status = match cx.language {
        crate::plan::Language::En => format!(
            "{} channels · {} partners",
            plan.channels.len(),
            plan.partners.len()
        ),
        crate::plan::Language::ZhCn => format!(
            "{} 个渠道 · {} 家合作伙伴",
            plan.channels.len(),
            plan.partners.len()
        ),
    };
    (blocks, status)
}
