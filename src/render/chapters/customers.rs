//! Chapter 5 — customer relationship management (plan content; CSAT, NPS, SLAs, tiers and
//! RFM come with their own issue).

use super::{item_path, join, text, Cx};
use crate::plan::{ChapterId, Language};
use crate::render::doc::Block;

const CH: ChapterId = ChapterId::Customers;

pub fn build(cx: &mut Cx) -> (Vec<Block>, String) {
    let Some(plan) = cx.computed.project.chapters.customers.as_ref() else {
        return (Vec::new(), String::new());
    };
    let lang = cx.language;
    let mut blocks = Vec::new();
    if let Some(s) = &plan.survey {
        blocks.push(cx.heading("sec.survey"));
        let mut facts = vec![cx.fact("word.dimensions", join(lang, &s.dimensions))];
        if let Some(t) = &s.targets {
            if let Some(csat) = t.csat {
                facts.push(cx.fact("word.csat_target", format!("{} / 5", cx.fmt.num(csat, 2))));
            }
            if let Some(nps) = t.nps {
                facts.push(cx.fact("word.nps_target", cx.fmt.num(nps, 1)));
            }
        }
        blocks.push(Block::Facts { items: facts });
        if !s.actions.is_empty() {
            blocks.push(Block::List {
                items: s.actions.clone(),
            });
        }
        blocks.extend(cx.prose(CH, "survey.notes", s.notes.as_ref()));
    }
    if let Some(c) = &plan.complaints {
        blocks.push(cx.heading("sec.complaints"));
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
        blocks.extend(cx.prose(CH, "complaints.notes", c.notes.as_ref()));
    }
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
        blocks.extend(cx.prose(CH, "membership.notes", m.notes.as_ref()));
    }
    if !plan.events.is_empty() {
        blocks.push(cx.heading("sec.events"));
        let rows = plan
            .events
            .iter()
            .map(|e| {
                vec![
                    e.name.clone(),
                    text(&e.goal),
                    e.date.map_or("—".into(), |d| cx.fmt.date(d)),
                    e.budget.map_or("—".into(), |b| cx.money(b)),
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
                    (e.name.clone(), e.notes.as_ref(), item_path("events", i)),
                ]
            })
            .collect::<Vec<_>>();
        blocks.extend(cx.notes(CH, notes));
    }
    blocks.extend(cx.prose(CH, "notes", plan.notes.as_ref()));
    let tiers = plan.membership.as_ref().map_or(0, |m| m.tiers.len());
    let status = match lang {
        Language::En => format!(
            "{tiers} membership tiers · {} customer events",
            plan.events.len()
        ),
        Language::ZhCn => format!("{tiers} 个会员等级 · {} 场客户活动", plan.events.len()),
    };
    (blocks, status)
}
