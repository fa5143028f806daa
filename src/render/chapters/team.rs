//! Chapter 2 — sales team building & management (plan content; the commission engine
//! and headcount cost come with their own issue).

use super::{join, text, Cx};
use crate::plan::team::{AppraisalPeriod, CommissionBasis, CommissionMethod, OrgNode};
use crate::plan::ChapterId;
use crate::render::doc::{Block, TreeNode};

const CH: ChapterId = ChapterId::Team;

pub fn build(cx: &mut Cx) -> (Vec<Block>, String) {
    let Some(plan) = cx.computed.project.chapters.team.as_ref() else {
        return (Vec::new(), String::new());
    };
    let lang = cx.language;
    let mut blocks = Vec::new();
    if let Some(org) = &plan.org {
        blocks.push(cx.heading("sec.org"));
        blocks.push(Block::Tree {
            nodes: vec![org_node(cx, org)],
        });
    }
    if !plan.staffing.is_empty() {
        blocks.push(cx.heading("sec.staffing"));
        let rows = plan
            .staffing
            .iter()
            .map(|s| {
                let change = i64::from(s.planned) - i64::from(s.current);
                vec![
                    s.role.clone(),
                    s.current.to_string(),
                    s.planned.to_string(),
                    if change > 0 {
                        format!("+{change}")
                    } else {
                        change.to_string().replace('-', "−")
                    },
                    format!(
                        "{:?}",
                        s.hire_quarter.unwrap_or(crate::plan::team::Quarter::Q1)
                    ),
                    cx.money(s.cost_per_head),
                ]
            })
            .collect();
        blocks.push(cx.table(
            "staffing",
            "sec.staffing",
            &[
                ("col.position", false),
                ("col.current", true),
                ("col.planned", true),
                ("col.change", true),
                ("col.hire_quarter", false),
                ("col.cost_per_head", true),
            ],
            rows,
        ));
        blocks.extend(cx.item_notes(CH, "staffing", &plan.staffing, |s| {
            (s.role.clone(), s.notes.as_ref())
        }));
    }
    if !plan.training.is_empty() {
        blocks.push(cx.heading("sec.training"));
        let mut training: Vec<_> = plan.training.iter().enumerate().collect();
        training.sort_by_key(|(i, t)| (t.quarter, *i));
        let rows = training
            .iter()
            .map(|(_, t)| {
                vec![
                    format!("{:?}", t.quarter),
                    t.name.clone(),
                    join(lang, &t.topics),
                    text(&t.audience),
                    t.hours.map_or("—".into(), |h| cx.fmt.num(h, 1)),
                    t.cost.map_or("—".into(), |c| cx.money(c)),
                ]
            })
            .collect();
        blocks.push(cx.table(
            "training",
            "sec.training",
            &[
                ("col.quarter", false),
                ("col.course", false),
                ("col.topics", false),
                ("col.audience", false),
                ("col.hours", true),
                ("col.cost", true),
            ],
            rows,
        ));
        blocks.extend(cx.item_notes(CH, "training", &plan.training, |t| {
            (t.name.clone(), t.notes.as_ref())
        }));
    }
    if !plan.career_paths.is_empty() {
        blocks.push(cx.heading("sec.career_paths"));
        let rows = plan
            .career_paths
            .iter()
            .map(|c| vec![c.level.clone(), text(&c.next), text(&c.criteria)])
            .collect();
        blocks.push(cx.table(
            "career-paths",
            "sec.career_paths",
            &[
                ("col.level", false),
                ("col.next", false),
                ("col.criteria", false),
            ],
            rows,
        ));
        blocks.extend(cx.item_notes(CH, "career_paths", &plan.career_paths, |c| {
            (c.level.clone(), c.notes.as_ref())
        }));
    }
    if let Some(a) = &plan.appraisal {
        blocks.push(cx.heading("sec.appraisal"));
        let period = match a.period {
            AppraisalPeriod::Monthly => "word.monthly",
            AppraisalPeriod::Quarterly => "word.quarterly",
            AppraisalPeriod::Annual => "word.annual",
        };
        blocks.push(Block::Facts {
            items: vec![cx.fact("word.period", cx.t(period).to_string())],
        });
        if !a.kpis.is_empty() {
            let rows = a
                .kpis
                .iter()
                .map(|k| vec![k.name.clone(), cx.fmt.pct(k.weight)])
                .collect();
            blocks.push(cx.table(
                "appraisal",
                "sec.appraisal",
                &[("col.kpi", false), ("col.weight", true)],
                rows,
            ));
        }
        blocks.extend(cx.prose(CH, "appraisal.notes", a.notes.as_ref()));
    }
    if let Some(c) = &plan.commission {
        blocks.push(cx.heading("sec.commission"));
        let basis = match c.basis {
            CommissionBasis::Revenue => "word.revenue",
            CommissionBasis::Margin => "word.margin",
        };
        let method = match c.method {
            CommissionMethod::Marginal => "word.marginal",
            CommissionMethod::Flat => "word.flat",
        };
        let mut facts = vec![
            cx.fact("word.basis", cx.t(basis).to_string()),
            cx.fact("word.method", cx.t(method).to_string()),
        ];
        if let Some(cap) = c.cap {
            facts.push(cx.fact("word.cap", cx.money(cap)));
        }
        blocks.push(Block::Facts { items: facts });
        let rows = c
            .tiers
            .iter()
            .map(|t| {
                vec![
                    cx.fmt.pct(t.from),
                    t.to.map_or_else(|| cx.t("word.and_above").to_string(), |to| cx.fmt.pct(to)),
                    cx.fmt.pct(t.rate),
                ]
            })
            .collect();
        blocks.push(cx.table(
            "commission-tiers",
            "sec.commission",
            &[("col.from", true), ("col.to", true), ("col.rate", true)],
            rows,
        ));
        blocks.extend(cx.prose(CH, "commission.notes", c.notes.as_ref()));
    }
    if !plan.reps.is_empty() {
        blocks.push(cx.heading("sec.reps"));
        let rows = plan
            .reps
            .iter()
            .map(|r| vec![r.name.clone(), text(&r.region), cx.money(r.quota)])
            .collect();
        blocks.push(cx.table(
            "reps",
            "sec.reps",
            &[
                ("col.rep", false),
                ("col.region", false),
                ("col.quota", true),
            ],
            rows,
        ));
        blocks.extend(cx.item_notes(CH, "reps", &plan.reps, |r| {
            (r.name.clone(), r.notes.as_ref())
        }));
    }
    if let Some(c) = &plan.culture {
        blocks.push(cx.heading("sec.culture"));
        if !c.values.is_empty() {
            blocks.push(Block::Facts {
                items: vec![cx.fact("word.values", join(lang, &c.values))],
            });
        }
        blocks.extend(cx.prose(CH, "culture.text", c.text.as_ref()));
        blocks.extend(cx.prose(CH, "culture.notes", c.notes.as_ref()));
    }
    blocks.extend(cx.prose(CH, "notes", plan.notes.as_ref()));
    let people: u32 = plan.staffing.iter().map(|s| s.planned).sum();
    let status = match cx.language {
        crate::plan::Language::En => format!(
            "{} reps with quotas · {people} planned headcount",
            plan.reps.len()
        ),
        crate::plan::Language::ZhCn => {
            format!("{} 名销售代表 · 计划编制 {people} 人", plan.reps.len())
        }
    };
    (blocks, status)
}

/// The org tree: `Role — Name (×3 people)` with the boxes that report to it.
fn org_node(cx: &Cx, node: &OrgNode) -> TreeNode {
    let mut label = node.role.clone();
    if let Some(name) = &node.name {
        label.push_str(&format!(" — {name}"));
    }
    if let Some(n) = node.headcount.filter(|&n| n > 1) {
        label.push_str(&format!(" (×{n} {})", cx.t("word.people")));
    }
    TreeNode {
        label,
        children: node.reports.iter().map(|c| org_node(cx, c)).collect(),
    }
}
