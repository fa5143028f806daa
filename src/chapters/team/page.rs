//! Chapter 2 — sales team building & management: organisation, staffing and its cost,
//! training, career paths, appraisal, the commission scheme with what it pays each rep,
//! and culture.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::chapters::team::compute::{OrgHeadcount, ReviewKind, TeamModel};
use crate::chapters::team::plan::{
    AppraisalPeriod, CommissionBasis, CommissionMethod, OrgNode, Quarter, TeamPlan,
};
use crate::chapters::ChapterId;
use crate::chart::org::{org_chart, OrgBox};
use crate::chart::{bar_chart, palette, BarChart, Reference, Series};
use crate::plan::Language;
use crate::render::chapter::{join, text, Cx};
use crate::render::doc::{Block, Figure, TableView};

const CH: ChapterId = ChapterId::Team;

pub fn build(cx: &mut Cx) -> (Vec<Block>, String) {
    let (Some(plan), Some(model)) = (cx.project.chapters.team.as_ref(), cx.model.team.as_ref())
    else {
        return (Vec::new(), String::new());
    };
    let mut blocks = vec![figures(cx, plan, model)];
    if let Some(org) = &plan.org {
        blocks.push(cx.heading("sec.org"));
        blocks.push(org_block(cx, org));
        if let Some(sentence) = model.org.as_ref().and_then(|h| org_vs_staffing(cx, h)) {
            blocks.push(Block::Prose(cx.narrator.markdown(&sentence)));
        }
    }
    if !plan.staffing.is_empty() {
        blocks.extend(staffing(cx, plan, model));
    }
    if !plan.training.is_empty() {
        blocks.extend(training(cx, plan));
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
            items: vec![cx.fact("word.period", cx.fmt.cell_word(cx.t(period)))],
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
    blocks.extend(commission(cx, plan, model));
    if let Some(c) = &plan.culture {
        blocks.push(cx.heading("sec.culture"));
        if !c.values.is_empty() {
            blocks.push(Block::Facts {
                items: vec![cx.fact("word.values", join(cx.language, &c.values))],
            });
        }
        blocks.extend(cx.prose(CH, "culture.text", c.text.as_ref()));
        blocks.extend(cx.prose(CH, "culture.notes", c.notes.as_ref()));
    }
    blocks.extend(cx.prose(CH, "notes", plan.notes.as_ref()));
    (blocks, status(cx, plan, model))
}

fn status(cx: &Cx, plan: &TeamPlan, model: &TeamModel) -> String {
    let commission = cx.fmt.money_compact(model.commission_total.decimal());
    match cx.language {
        Language::En => format!(
            "{} reps with quotas · commission {commission}",
            plan.reps.len()
        ),
        Language::ZhCn => format!("{}名销售代表 · 提成{commission}", plan.reps.len()),
    }
}

/// The review period in words: "FY-to-date 1 Jan – 30 Jun 2027" or the simulation year.
fn review_words(cx: &Cx, model: &TeamModel) -> String {
    let range = format!(
        "{} – {}",
        cx.fmt.date(model.review.from),
        cx.fmt.date(model.review.to)
    );
    match (model.review_kind, cx.language) {
        (ReviewKind::FiscalYearToDate, Language::En) => format!("fiscal year to date, {range}"),
        (ReviewKind::FiscalYearToDate, Language::ZhCn) => format!("本财年至今（{range}）"),
        (ReviewKind::BaselineYear, Language::En) => {
            format!("the baseline year {range}: what last year's results would have earned under this scheme")
        }
        (ReviewKind::BaselineYear, Language::ZhCn) => {
            format!("基准年（{range}）：按本方案模拟去年业绩应得的提成")
        }
    }
}

fn figures(cx: &Cx, plan: &TeamPlan, model: &TeamModel) -> Block {
    let fmt = cx.fmt;
    let current: u32 = plan.staffing.iter().map(|s| s.current).sum();
    let planned: u32 = plan.staffing.iter().map(|s| s.planned).sum();
    let staff_cost: Decimal = model.roles.iter().map(|r| r.plan_year_cost).sum();
    let mut items = Vec::new();
    if !plan.reps.is_empty() {
        items.push(Figure {
            label: cx.t("fig.reps").to_string(),
            value: plan.reps.len().to_string(),
            comparison: match model.quota_coverage {
                Some(c) => format!("{} {}", cx.t("word.quota_coverage"), fmt.pct(c)),
                None => cx.t("word.margin_quotas").to_string(),
            },
            tone: match model.quota_coverage {
                Some(c) if c < Decimal::ONE => "bad",
                _ => "neutral",
            },
        });
    }
    if plan.commission.is_some() {
        let share = model.commission_total.ratio_to(model.review_revenue);
        items.push(Figure {
            label: cx.t("fig.commission").to_string(),
            value: fmt.money_compact(model.commission_total.decimal()),
            comparison: match (share, model.review_kind) {
                (Some(s), ReviewKind::FiscalYearToDate) => {
                    format!("{} {}", fmt.pct(s), cx.t("word.of_revenue_ytd"))
                }
                (Some(s), ReviewKind::BaselineYear) => {
                    format!("{} {}", fmt.pct(s), cx.t("word.of_revenue_baseline"))
                }
                (None, _) => cx.t("word.no_revenue").to_string(),
            },
            tone: "neutral",
        });
    }
    if !plan.staffing.is_empty() {
        let change = i64::from(planned) - i64::from(current);
        items.push(Figure {
            label: cx.t("fig.headcount").to_string(),
            value: planned.to_string(),
            comparison: format!("{} {} ({current})", signed(change), cx.t("word.vs_current")),
            tone: "neutral",
        });
        items.push(Figure {
            label: cx.t("fig.staff_cost").to_string(),
            value: fmt.money_compact(staff_cost),
            comparison: cx.t("word.plan_year").to_string(),
            tone: "neutral",
        });
    }
    Block::Figures { items }
}

fn signed(n: i64) -> String {
    match n {
        n if n > 0 => format!("+{n}"),
        n if n < 0 => format!("−{}", -n),
        _ => "±0".to_string(),
    }
}

fn org_block(cx: &mut Cx, org: &OrgNode) -> Block {
    fn to_box(cx: &Cx, node: &OrgNode) -> OrgBox {
        let count = node
            .headcount
            .filter(|&n| n > 1)
            .map(|n| format!("×{n} {}", cx.t("word.people")));
        let subtitle = match (&node.name, count) {
            (Some(name), Some(count)) => Some(format!("{name} · {count}")),
            (Some(name), None) => Some(name.clone()),
            (None, count) => count,
        };
        OrgBox {
            title: node.role.clone(),
            subtitle,
            children: node.reports.iter().map(|c| to_box(cx, c)).collect(),
        }
    }
    fn people(node: &OrgNode) -> u64 {
        node.reports
            .iter()
            .map(people)
            .fold(u64::from(node.headcount.unwrap_or(1)), u64::saturating_add)
    }
    let tree = to_box(cx, org);
    // Everyone under the head of the organisation.
    let total = people(org) - u64::from(org.headcount.unwrap_or(1));
    let (title, alt) = match cx.language {
        Language::En => (
            format!(
                "{} leads {} people in {} teams",
                org.role,
                total,
                org.reports.len()
            ),
            format!(
                "Organisation chart: {} reports to nobody; {} report directly: {}",
                org.role,
                org.reports.len(),
                org.reports
                    .iter()
                    .map(|r| r.role.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        Language::ZhCn => (
            format!("{}领导{}个团队，共{}人", org.role, org.reports.len(), total),
            format!(
                "组织架构图：{}的直接下属为{}",
                org.role,
                org.reports
                    .iter()
                    .map(|r| r.role.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        ),
    };
    let svg = org_chart(&tree, &title);
    cx.chart("team_org", svg, title, alt, None)
}

/// One sentence on why the organisation chart's people and the staffing plan's positions
/// (the staffing table, the headcount figure) differ; `None` when they agree.
fn org_vs_staffing(cx: &Cx, h: &OrgHeadcount) -> Option<String> {
    if h.reconciles() {
        return None;
    }
    let lang = cx.language;
    let unlisted: Vec<String> = h
        .unlisted
        .iter()
        .map(|(role, n)| match n {
            1 => role.clone(),
            n => format!("{role} ×{n}"),
        })
        .collect();
    let mut parts = Vec::new();
    if !unlisted.is_empty() {
        let n = h.unlisted_people();
        parts.push(match lang {
            Language::En => format!(
                "the chart includes {n} {} in roles the staffing plan does not list ({})",
                if n == 1 { "person" } else { "people" },
                join(lang, &unlisted)
            ),
            Language::ZhCn => format!(
                "架构图含编制计划未列出的岗位{n}人（{}）",
                join(lang, &unlisted)
            ),
        });
    }
    for r in h.differing() {
        parts.push(match lang {
            Language::En => format!(
                "for {} it shows {}, where the staffing plan has {} current and {} planned",
                r.role, r.in_chart, r.current, r.planned
            ),
            Language::ZhCn => format!(
                "架构图中{} {}人，编制计划现有{}人、计划{}人",
                r.role, r.in_chart, r.current, r.planned
            ),
        });
    }
    Some(match lang {
        Language::En => format!(
            "The organisation chart shows {} people including the {}; the staffing table and the planned headcount count the staffing plan's {} planned positions ({} current): {}.",
            h.total,
            h.head,
            h.planned(),
            h.current(),
            crate::render::chapter::join_phrases(lang, &parts)
        ),
        Language::ZhCn => format!(
            "组织架构图共{}人（含{}），人员编制表与计划编制按编制计划的{}个计划岗位计算（现有{}人）：{}。",
            h.total,
            h.head,
            h.planned(),
            h.current(),
            crate::render::chapter::join_phrases(lang, &parts)
        ),
    })
}

fn staffing(cx: &mut Cx, plan: &TeamPlan, model: &TeamModel) -> Vec<Block> {
    let mut blocks = vec![cx.heading("sec.staffing")];
    let costs: Vec<Decimal> = model.roles.iter().map(|r| r.plan_year_cost).collect();
    let rows: Vec<Vec<String>> = plan
        .staffing
        .iter()
        .zip(&costs)
        .map(|(s, cost)| {
            let change = i64::from(s.planned) - i64::from(s.current);
            vec![
                s.role.clone(),
                s.current.to_string(),
                s.planned.to_string(),
                signed(change),
                format!("{:?}", s.hire_quarter.unwrap_or(Quarter::Q1)),
                cx.money_plain(s.cost_per_head),
                cx.money_plain(*cost),
            ]
        })
        .chain(std::iter::once(vec![
            cx.t("col.total").to_string(),
            plan.staffing
                .iter()
                .map(|s| s.current)
                .sum::<u32>()
                .to_string(),
            plan.staffing
                .iter()
                .map(|s| s.planned)
                .sum::<u32>()
                .to_string(),
            signed(
                plan.staffing
                    .iter()
                    .map(|s| i64::from(s.planned) - i64::from(s.current))
                    .sum(),
            ),
            String::new(),
            String::new(),
            cx.money_plain(costs.iter().sum()),
        ]))
        .collect();
    let mut table = TableView::plan(
        "team_headcount",
        cx.t("sec.staffing"),
        &[
            (cx.t("col.position"), false),
            (cx.t("col.current"), true),
            (cx.t("col.planned"), true),
            (cx.t("col.change"), true),
            (cx.t("col.hire_quarter"), false),
            (cx.t("col.cost_per_head"), true),
            (cx.t("col.plan_year_cost"), true),
        ],
        rows,
    );
    table.csv = Some("data/team_headcount.csv".into());
    let current: Vec<Option<f64>> = plan
        .staffing
        .iter()
        .map(|s| Some(f64::from(s.current)))
        .collect();
    let planned: Vec<Option<f64>> = plan
        .staffing
        .iter()
        .map(|s| Some(f64::from(s.planned)))
        .collect();
    let (now, then): (u32, u32) = (
        plan.staffing.iter().map(|s| s.current).sum(),
        plan.staffing.iter().map(|s| s.planned).sum(),
    );
    let title = match cx.language {
        Language::En => format!("Headcount goes from {now} to {then} this plan year"),
        Language::ZhCn => format!("本计划年度编制由{now}人调整为{then}人"),
    };
    let svg = bar_chart(&BarChart {
        title: &title,
        categories: plan.staffing.iter().map(|s| s.role.clone()).collect(),
        bars: vec![
            Series {
                label: cx.t("legend.current").to_string(),
                color: palette::BASELINE,
                values: current,
            },
            Series {
                label: cx.t("legend.planned").to_string(),
                color: palette::TARGET,
                values: planned,
            },
        ],
        line: None,
        horizontal: true,
        axis: &|v| format!("{v:.0}"),
        reference: None,
        second_reference: None,
    });
    let alt = format!(
        "{title}: {}",
        plan.staffing
            .iter()
            .map(|s| format!("{} {} → {}", s.role, s.current, s.planned))
            .collect::<Vec<_>>()
            .join(", ")
    );
    blocks.push(cx.chart("team_headcount", svg, title, alt, Some("team_headcount")));
    blocks.push(Block::Table(table));
    blocks.extend(cx.item_notes(CH, "staffing", &plan.staffing, |s| {
        (s.role.clone(), s.notes.as_ref())
    }));
    blocks
}

fn training(cx: &mut Cx, plan: &TeamPlan) -> Vec<Block> {
    let lang = cx.language;
    let mut blocks = vec![cx.heading("sec.training")];
    let mut courses: Vec<_> = plan.training.iter().enumerate().collect();
    courses.sort_by_key(|(i, t)| (t.quarter, *i));
    let mut rows: Vec<Vec<String>> = courses
        .iter()
        .map(|(_, t)| {
            vec![
                format!("{:?}", t.quarter),
                t.name.clone(),
                join(lang, &t.topics),
                text(&t.audience),
                t.hours.map_or("—".into(), |h| cx.fmt.num(h, 1)),
                t.cost.map_or("—".into(), |c| cx.money_plain(c)),
            ]
        })
        .collect();
    let hours: Decimal = plan.training.iter().filter_map(|t| t.hours).sum();
    let cost: Decimal = plan.training.iter().filter_map(|t| t.cost).sum();
    rows.push(vec![
        cx.t("col.total").to_string(),
        String::new(),
        String::new(),
        String::new(),
        cx.fmt.num(hours, 1),
        cx.money_plain(cost),
    ]);
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
    blocks
}

fn commission(cx: &mut Cx, plan: &TeamPlan, model: &TeamModel) -> Vec<Block> {
    let mut blocks = Vec::new();
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
            cx.fact("word.basis", cx.fmt.cell_word(cx.t(basis))),
            cx.fact("word.method", cx.fmt.cell_word(cx.t(method))),
        ];
        if let Some(cap) = c.cap {
            facts.push(cx.fact("word.cap", cx.money_plain(cap)));
        }
        facts.push(cx.fact("word.review_period", review_words(cx, model)));
        blocks.push(Block::Facts { items: facts });
        let rows = c
            .tiers
            .iter()
            .map(|t| {
                vec![
                    cx.fmt.pct(t.from),
                    t.to.map_or_else(
                        || cx.fmt.cell_word(cx.t("word.and_above")),
                        |to| cx.fmt.pct(to),
                    ),
                    cx.fmt.pct(t.rate),
                ]
            })
            .collect();
        blocks.push(cx.table(
            "commission-tiers",
            "word.tiers",
            &[("col.from", true), ("col.to", true), ("col.rate", true)],
            rows,
        ));
        blocks.extend(cx.prose(CH, "commission.notes", c.notes.as_ref()));
    }
    if model.rep_results.is_empty() && plan.reps.is_empty() {
        return blocks;
    }
    blocks.push(cx.heading("sec.reps"));
    let share = model.commission_total.ratio_to(model.review_revenue);
    let summary = match (cx.language, share) {
        (Language::En, Some(s)) => format!(
            "Over the review period the scheme pays {} in commission, {} of the {} the company sold.",
            cx.money_plain(model.commission_total.decimal()),
            cx.fmt.pct(s),
            cx.money_plain(model.review_revenue.decimal())
        ),
        (Language::ZhCn, Some(s)) => format!(
            "考核期内按本方案应付提成{}，占公司同期销售额{}的{}。",
            cx.money_plain(model.commission_total.decimal()),
            cx.money_plain(model.review_revenue.decimal()),
            cx.fmt.pct(s)
        ),
        (Language::En, None) => "There is no revenue in the review period.".to_string(),
        (Language::ZhCn, None) => "考核期内没有销售额。".to_string(),
    };
    blocks.push(Block::Prose(cx.narrator.markdown(&summary)));
    // Attainment by planned rep (unplanned reps have no quota).
    let planned: Vec<(String, f64)> = model
        .rep_results
        .iter()
        .filter_map(|r| {
            let attainment = r.attainment()?;
            Some((r.name.clone(), attainment.to_f64().unwrap_or(0.0) * 100.0))
        })
        .collect();
    if !planned.is_empty() {
        let at_quota = planned.iter().filter(|(_, a)| *a >= 100.0).count();
        let (low, high) = planned
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), (_, a)| {
                (lo.min(*a), hi.max(*a))
            });
        let as_of = cx.fmt.date(model.review.to);
        // Where a rep should be by as_of while the year runs: the share of the annual
        // target due by then (its phasing), so a quota is not judged before the year ends.
        let due = (model.review_kind == ReviewKind::FiscalYearToDate)
            .then_some(cx.model.targets.as_ref())
            .flatten()
            .and_then(|t| crate::money::ratio(t.ytd_target, t.annual.decimal()))
            .and_then(|share| share.to_f64())
            .map(|share| share * 100.0)
            .filter(|share| *share < 100.0 - 1e-9);
        let on_pace = due.map(|d| planned.iter().filter(|(_, a)| *a >= d - 1e-9).count());
        let title = match (model.review_kind, cx.language) {
            (ReviewKind::FiscalYearToDate, Language::En) if due.is_some() => format!(
                "By {as_of}, {} of {} reps are on pace: at or above the {:.1}\u{a0}% of quota due by then",
                on_pace.unwrap_or(0),
                planned.len(),
                due.unwrap_or(0.0)
            ),
            (ReviewKind::FiscalYearToDate, Language::ZhCn) if due.is_some() => format!(
                "截至{as_of}，{}名销售代表中{}名进度达标（不低于届时应完成的定额{:.1}%）",
                planned.len(),
                on_pace.unwrap_or(0),
                due.unwrap_or(0.0)
            ),
            (ReviewKind::FiscalYearToDate, Language::En) => {
                format!("By {as_of}, reps have reached {low:.0}–{high:.0} % of their annual quota; {at_quota} of {} are at or above it", planned.len())
            }
            (ReviewKind::FiscalYearToDate, Language::ZhCn) => {
                format!("截至{as_of}，销售代表完成年度定额的{low:.0}%–{high:.0}%，{}人中{at_quota}人已达成", planned.len())
            }
            (ReviewKind::BaselineYear, Language::En) => {
                format!(
                    "On last year's results, {at_quota} of {} reps would have reached their quota",
                    planned.len()
                )
            }
            (ReviewKind::BaselineYear, Language::ZhCn) => {
                format!(
                    "按去年业绩模拟，{}名销售代表中{at_quota}名可达成定额",
                    planned.len()
                )
            }
        };
        let svg = bar_chart(&BarChart {
            title: &title,
            categories: planned.iter().map(|(n, _)| n.clone()).collect(),
            bars: vec![Series {
                label: cx.t("legend.attainment").to_string(),
                color: palette::TARGET,
                values: planned.iter().map(|(_, a)| Some(*a)).collect(),
            }],
            line: None,
            horizontal: true,
            axis: &|v| format!("{v:.0}%"),
            reference: Some(Reference {
                value: 100.0,
                label: cx.t("legend.quota").to_string(),
            }),
            second_reference: due.map(|value| Reference {
                value,
                label: match cx.language {
                    Language::En => format!("Due by {as_of}"),
                    Language::ZhCn => format!("截至{as_of}应达"),
                },
            }),
        });
        let alt = format!(
            "{title}: {}",
            planned
                .iter()
                .map(|(n, a)| format!("{n} {a:.1}%"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        blocks.push(cx.chart("team_attainment", svg, title, alt, Some("team_reps")));
    }
    blocks.push(Block::Table(TableView::computed(
        &model.reps,
        cx.t("sec.reps"),
        cx.fmt,
    )));
    blocks.extend(cx.item_notes(CH, "reps", &plan.reps, |r| {
        (r.name.clone(), r.notes.as_ref())
    }));
    blocks
}
