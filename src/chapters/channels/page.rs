//! Chapter 3 — sales channel expansion & optimisation: the channel plan and its mix
//! against the target split, partners and their scores, channel budgets, and the price and
//! territory conflicts found in the data with the mechanism that resolves them.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::chapters::channels::compute::ChannelsModel;
use crate::chapters::channels::plan::{ChannelType, ChannelsPlan, ConflictType};
use crate::chapters::ChapterId;
use crate::chart::{bar_chart, palette, BarChart, Reference, Series};
use crate::plan::Language;
use crate::render::chapter::{join, text, Cx};
use crate::render::doc::{Block, Figure, TableView};

const CH: ChapterId = ChapterId::Channels;

pub fn build(cx: &mut Cx) -> (Vec<Block>, String) {
    let (Some(plan), Some(model)) = (
        cx.project.chapters.channels.as_ref(),
        cx.model.channels.as_ref(),
    ) else {
        return (Vec::new(), String::new());
    };
    let mut blocks = vec![figures(cx, model)];
    if !plan.channels.is_empty() {
        blocks.extend(channel_mix(cx, plan, model));
    }
    if !plan.partners.is_empty() {
        blocks.extend(partners(cx, plan, model));
    }
    if !plan.budget.is_empty() {
        blocks.extend(budget(cx, plan));
    }
    blocks.extend(conflicts(cx, plan, model));
    blocks.extend(cx.prose(CH, "notes", plan.notes.as_ref()));
    let status = match cx.language {
        Language::En => format!(
            "{} channels · {} partners · {} price and {} territory conflicts",
            plan.channels.len(),
            plan.partners.len(),
            model.price_conflicts.rows.len(),
            model.territory_conflicts.rows.len()
        ),
        Language::ZhCn => format!(
            "{}个渠道 · {}家合作伙伴 · {}项价格冲突、{}项区域冲突",
            plan.channels.len(),
            plan.partners.len(),
            model.price_conflicts.rows.len(),
            model.territory_conflicts.rows.len()
        ),
    };
    (blocks, status)
}

fn figures(cx: &Cx, model: &ChannelsModel) -> Block {
    let partners = &model.partner_scores;
    let qualified = partners.iter().filter(|p| p.is_qualified()).count();
    let expiring = partners.iter().filter(|p| p.is_expiring()).count();
    let territory_amount: Decimal = model
        .out_of_territory
        .iter()
        .map(|c| c.amount.decimal())
        .sum();
    let items = vec![
        Figure {
            label: cx.t("fig.partners_qualified").to_string(),
            value: format!("{qualified} / {}", partners.len()),
            comparison: format!("{expiring} {}", cx.t("word.contracts_expiring")),
            tone: if qualified < partners.len() {
                "bad"
            } else {
                "neutral"
            },
        },
        Figure {
            label: cx.t("fig.price_conflicts").to_string(),
            value: model.price_conflicts.rows.len().to_string(),
            comparison: format!(
                "{} {}",
                cx.t("word.spread_above"),
                cx.fmt.pct(model.price_tolerance)
            ),
            tone: if model.price_conflicts.rows.is_empty() {
                "good"
            } else {
                "bad"
            },
        },
        Figure {
            label: cx.t("fig.territory_conflicts").to_string(),
            value: model.territory_conflicts.rows.len().to_string(),
            comparison: format!(
                "{} {}",
                cx.fmt.money_compact(territory_amount),
                cx.t("word.sold_outside")
            ),
            tone: if model.territory_conflicts.rows.is_empty() {
                "good"
            } else {
                "bad"
            },
        },
    ];
    Block::Figures { items }
}

fn channel_mix(cx: &mut Cx, plan: &ChannelsPlan, model: &ChannelsModel) -> Vec<Block> {
    let mut blocks = vec![cx.heading("sec.channels")];
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
                cx.fmt.cell_word(cx.t(kind)),
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

    blocks.push(cx.heading("sec.mix"));
    let mix = &model.channel_mix;
    let pct = |v: Option<Decimal>| v.and_then(|d| (d * Decimal::ONE_HUNDRED).to_f64());
    let names: Vec<String> = mix.iter().map(|r| r.channel.clone()).collect();
    let baseline: Vec<Option<Decimal>> = mix.iter().map(|r| r.baseline_share).collect();
    let target: Vec<Option<Decimal>> = mix.iter().map(|r| Some(r.target_share)).collect();
    let actual: Vec<Option<Decimal>> = mix.iter().map(|r| r.actual_share).collect();
    let fy = cx.model.info.fiscal_year;
    // The message: the channel whose share moves most from the baseline to the target.
    let biggest = names
        .iter()
        .zip(baseline.iter().zip(&target))
        .filter_map(|(n, (b, t))| Some((n, (*t)? - (*b)?)))
        .max_by(|a, b| a.1.abs().cmp(&b.1.abs()).then_with(|| b.0.cmp(a.0)));
    let title = match (biggest, cx.language) {
        (Some((name, change)), Language::En) => format!(
            "The plan moves {name}'s share by {} points from FY{}",
            signed_points(change),
            fy - 1
        ),
        (Some((name, change)), Language::ZhCn) => format!(
            "计划中{name}的占比较{}财年变化{}个百分点",
            fy - 1,
            signed_points(change)
        ),
        (None, _) => cx.t("chart.mix").to_string(),
    };
    let svg = bar_chart(&BarChart {
        title: &title,
        categories: names.clone(),
        bars: vec![
            Series {
                label: cx.t("legend.baseline_share").to_string(),
                color: palette::BASELINE,
                values: baseline.iter().map(|v| pct(*v)).collect(),
            },
            Series {
                label: cx.t("legend.target_share").to_string(),
                color: palette::TARGET,
                values: target.iter().map(|v| pct(*v)).collect(),
            },
            Series {
                label: cx.t("legend.actual_share").to_string(),
                color: palette::ACTUAL,
                values: actual.iter().map(|v| pct(*v)).collect(),
            },
        ],
        line: None,
        horizontal: true,
        axis: &|v| format!("{v:.0}%"),
        reference: None,
        second_reference: None,
    });
    let alt = format!(
        "{title}: {}",
        names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let show = |v: Option<Decimal>| v.map_or("—".to_string(), |d| cx.fmt.pct(d));
                format!(
                    "{n} {} → {} ({} {})",
                    show(baseline[i]),
                    show(target[i]),
                    cx.t("legend.actual"),
                    show(actual[i])
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    );
    blocks.push(cx.chart("channels_mix", svg, title, alt, Some("channels_mix")));
    blocks.push(Block::Table(TableView::computed(
        &model.mix,
        cx.t("sec.mix"),
        cx.fmt,
    )));
    blocks
}

fn signed_points(change: Decimal) -> String {
    let points = crate::money::round_half_away(change * Decimal::ONE_HUNDRED, 1);
    if points > Decimal::ZERO {
        format!("+{points}")
    } else {
        points.to_string().replacen('-', "−", 1)
    }
}

fn partners(cx: &mut Cx, plan: &ChannelsPlan, model: &ChannelsModel) -> Vec<Block> {
    let lang = cx.language;
    let mut blocks = vec![cx.heading("sec.partners")];
    if let Some(sel) = &plan.selection {
        let mut facts = Vec::new();
        if let Some(min) = sel.min_score {
            facts.push(cx.fact("word.min_score", cx.fmt.num(min, 2)));
        }
        let total: Decimal = sel.criteria.iter().map(|c| c.weight).sum();
        let weights: Vec<String> = sel
            .criteria
            .iter()
            .map(|c| {
                format!(
                    "{} {}",
                    sel.criterion_name(cx.fmt, &c.name),
                    crate::money::ratio(c.weight, total).map_or("—".into(), |w| cx.fmt.pct(w))
                )
            })
            .collect();
        if !weights.is_empty() {
            facts.push(cx.fact("word.criteria_weights", join(lang, &weights)));
        }
        blocks.push(Block::Facts { items: facts });
        blocks.extend(cx.prose(CH, "selection.notes", sel.notes.as_ref()));
    }
    // Partner scores against the minimum.
    let names: Vec<String> = model
        .partner_scores
        .iter()
        .map(|p| p.partner.clone())
        .collect();
    let scores: Vec<Option<Decimal>> = model.partner_scores.iter().map(|p| p.score).collect();
    let min = plan.selection.as_ref().and_then(|s| s.min_score);
    if scores.iter().any(Option::is_some) {
        let qualified = model
            .partner_scores
            .iter()
            .filter(|p| p.is_qualified())
            .count();
        let title = match (lang, min) {
            (Language::En, Some(m)) => format!(
                "{qualified} of {} partners meet the minimum score of {}",
                names.len(),
                cx.fmt.num(m, 2)
            ),
            (Language::ZhCn, Some(m)) => format!(
                "{}家合作伙伴中{qualified}家达到最低分{}",
                names.len(),
                cx.fmt.num(m, 2)
            ),
            (_, None) => cx.t("chart.partner_scores").to_string(),
        };
        let svg = bar_chart(&BarChart {
            title: &title,
            categories: names.clone(),
            bars: vec![Series {
                label: cx.t("legend.score").to_string(),
                color: palette::TARGET,
                values: scores.iter().map(|s| s.and_then(|d| d.to_f64())).collect(),
            }],
            line: None,
            horizontal: true,
            axis: &|v| format!("{v:.1}"),
            reference: min.and_then(|m| m.to_f64()).map(|value| Reference {
                value,
                label: cx.t("legend.min_score").to_string(),
            }),
            second_reference: None,
        });
        let alt = format!(
            "{title}: {}",
            names
                .iter()
                .zip(&scores)
                .map(|(n, s)| format!("{n} {}", s.map_or("—".into(), |d| cx.fmt.num(d, 2))))
                .collect::<Vec<_>>()
                .join(", ")
        );
        blocks.push(cx.chart(
            "channels_partners",
            svg,
            title,
            alt,
            Some("channels_partners"),
        ));
    }
    blocks.push(Block::Table(TableView::computed(
        &model.partners,
        cx.t("sec.partner_scores"),
        cx.fmt,
    )));
    let rows = plan
        .partners
        .iter()
        .map(|p| {
            // In the order of the selection criteria, by name; scores for criteria the
            // selection does not list are errors reported at load.
            let scores: Vec<String> = match &plan.selection {
                Some(sel) => sel
                    .criteria
                    .iter()
                    .filter_map(|c| Some((c, p.scores.get(&c.name)?)))
                    .map(|(c, v)| {
                        format!(
                            "{} {}",
                            sel.criterion_name(cx.fmt, &c.name),
                            cx.fmt.num(*v, 2)
                        )
                    })
                    .collect(),
                None => p
                    .scores
                    .iter()
                    .map(|(k, v)| format!("{} {}", cx.fmt.name(k), cx.fmt.num(*v, 2)))
                    .collect(),
            };
            vec![
                p.name.clone(),
                p.territory.as_ref().map_or("—".into(), |t| join(lang, t)),
                join(lang, &scores),
                p.review.as_deref().map_or("—".into(), |r| cx.fmt.name(r)),
            ]
        })
        .collect();
    blocks.push(cx.table(
        "partners",
        "sec.partner_terms",
        &[
            ("col.partner", false),
            ("col.territory", false),
            ("col.scores", false),
            ("col.review", false),
        ],
        rows,
    ));
    blocks.extend(cx.item_notes(CH, "partners", &plan.partners, |p| {
        (p.name.clone(), p.notes.as_ref())
    }));
    blocks
}

fn budget(cx: &mut Cx, plan: &ChannelsPlan) -> Vec<Block> {
    let mut blocks = vec![cx.heading("sec.channel_budget")];
    let cell = |v: Option<Decimal>| v.map_or("—".into(), |v| cx.money_plain(v));
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
                cx.money_plain(b.total()),
            ]
        })
        .collect();
    let sum = |f: fn(&crate::chapters::channels::plan::ChannelBudget) -> Option<Decimal>| {
        cx.money_plain(plan.budget.iter().filter_map(f).sum())
    };
    rows.push(vec![
        cx.t("col.total").to_string(),
        sum(|b| b.personnel),
        sum(|b| b.advertising),
        sum(|b| b.logistics),
        sum(|b| b.other),
        cx.money_plain(plan.budget.iter().map(|b| b.total()).sum()),
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
    blocks
}

fn conflicts(cx: &mut Cx, plan: &ChannelsPlan, model: &ChannelsModel) -> Vec<Block> {
    let mut blocks = vec![cx.heading("sec.conflicts")];
    let handling = |kind: ConflictType| -> Option<String> {
        let r = plan
            .conflicts
            .as_ref()?
            .resolution
            .iter()
            .find(|r| r.kind == kind)?;
        Some(match &r.owner {
            Some(owner) => format!("{} · {} {owner}", r.mechanism, cx.t("col.owner")),
            None => r.mechanism.clone(),
        })
    };
    if let Some(c) = &plan.conflicts {
        if let Some(s) = &c.safeguards {
            blocks.push(Block::Facts {
                items: vec![cx.fact("word.safeguards", s.clone())],
            });
        }
    }
    // Price conflicts, with how they are resolved and by whom.
    blocks.push(Block::Heading {
        text: cx.t("sec.price_conflicts").to_string(),
        id: "price-conflicts".into(),
        level: 2,
    });
    let mut facts = vec![cx.fact("word.price_tolerance", cx.fmt.pct(model.price_tolerance))];
    if let Some(h) = handling(ConflictType::Price) {
        facts.push(cx.fact("col.mechanism", h));
    }
    blocks.push(Block::Facts { items: facts });
    blocks.push(Block::Table(TableView::computed(
        &model.price_conflicts,
        cx.t("sec.price_conflicts"),
        cx.fmt,
    )));
    // Territory conflicts.
    blocks.push(Block::Heading {
        text: cx.t("sec.territory_conflicts").to_string(),
        id: "territory-conflicts".into(),
        level: 2,
    });
    if let Some(h) = handling(ConflictType::Territory) {
        blocks.push(Block::Facts {
            items: vec![cx.fact("col.mechanism", h)],
        });
    }
    blocks.push(Block::Table(TableView::computed(
        &model.territory_conflicts,
        cx.t("sec.territory_conflicts"),
        cx.fmt,
    )));
    if let Some(h) = handling(ConflictType::Other) {
        blocks.push(Block::Facts {
            items: vec![cx.fact("word.other_conflicts", h)],
        });
    }
    if let Some(c) = &plan.conflicts {
        blocks.extend(cx.prose(CH, "conflicts.notes", c.notes.as_ref()));
    }
    blocks
}
