//! Chapter 1 — sales targets & strategy.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::chapters::targets::compute::{PeriodResult, SplitResult, TargetsModel};
use crate::chapters::targets::plan::{ProductRole, Seasonality, TargetsPlan};
use crate::chapters::ChapterId;
use crate::chart::{bar_chart, palette, BarChart, Series};
use crate::model::table::Table;
use crate::money::Money;
use crate::plan::Language;
use crate::render::chapter::{item_path, join_phrases, text, Cx};
use crate::render::doc::{Block, Figure, TableView};

const CH: ChapterId = ChapterId::Targets;

pub fn build(cx: &mut Cx) -> (Vec<Block>, String) {
    let (Some(plan), Some(model)) = (
        cx.project.chapters.targets.as_ref(),
        cx.model.targets.as_ref(),
    ) else {
        return (Vec::new(), String::new());
    };
    let mut blocks = vec![figures(cx, model)];
    blocks.extend(computed_sections(cx, model));
    blocks.extend(strategy_sections(cx, plan));
    blocks.extend(cx.prose(CH, "notes", plan.notes.as_ref()));
    (blocks, status(cx, model))
}

/// The front-page line: annual target and YTD attainment.
fn status(cx: &Cx, m: &TargetsModel) -> String {
    let annual = cx.fmt.money_compact(m.annual.decimal());
    match m.ytd_attainment {
        Some(a) => format!(
            "{} {annual} · {} {}",
            cx.t("fig.annual"),
            cx.t("fig.ytd_attainment"),
            cx.fmt.pct(a)
        ),
        None => format!("{} {annual}", cx.t("fig.annual")),
    }
}

fn figures(cx: &Cx, m: &TargetsModel) -> Block {
    let fmt = cx.fmt;
    let fy = cx.model.info.fiscal_year;
    let tone = |r: Option<Decimal>, good_from: Decimal| match r {
        Some(r) if r >= good_from => "good",
        Some(_) => "bad",
        None => "neutral",
    };
    let mut items = vec![Figure {
        label: cx.t("fig.annual").to_string(),
        value: fmt.money_compact(m.annual.decimal()),
        comparison: match m.growth {
            Some(g) => format!(
                "{} {} {} ({})",
                fmt.signed_pct(g),
                vs(cx),
                fmt.fiscal_year(fy - 1),
                fmt.money_compact(m.baseline_total.decimal())
            ),
            None => format!("{} {}: —", cx.t("fig.baseline"), fmt.fiscal_year(fy - 1)),
        },
        tone: "neutral",
    }];
    match m.ytd_actual {
        Some(actual) => {
            items.push(Figure {
                label: cx.t("fig.ytd_actual").to_string(),
                value: fmt.money_compact(actual.decimal()),
                comparison: format!(
                    "{} {}",
                    cx.t("fig.ytd_target"),
                    fmt.money_compact(m.ytd_target)
                ),
                tone: "neutral",
            });
            let gap = actual.decimal() - m.ytd_target;
            let gap_text = if gap.is_sign_negative() {
                format!("▼ {} {}", fmt.money_compact(-gap), cx.t("fig.below_target"))
            } else {
                format!("▲ {} {}", fmt.money_compact(gap), cx.t("fig.above_target"))
            };
            items.push(Figure {
                label: cx.t("fig.ytd_attainment").to_string(),
                value: m.ytd_attainment.map_or("—".into(), |a| fmt.pct(a)),
                comparison: gap_text,
                tone: tone(m.ytd_attainment, Decimal::ONE),
            });
            items.push(Figure {
                label: cx.t("fig.ytd_growth").to_string(),
                value: m.ytd_growth.map_or("—".into(), |g| fmt.signed_pct(g)),
                comparison: format!(
                    "{} {} · {} {}",
                    vs(cx),
                    fmt.fiscal_year(fy - 1),
                    cx.t("ui.as_of"),
                    fmt.date(cx.model.info.periods.as_of)
                ),
                tone: tone(m.ytd_growth, Decimal::ZERO),
            });
        }
        None => items.push(Figure {
            label: cx.t("fig.ytd_actual").to_string(),
            value: "—".into(),
            comparison: cx.t("fig.before_fy").to_string(),
            tone: "neutral",
        }),
    }
    Block::Figures { items }
}

fn vs(cx: &Cx) -> &'static str {
    match cx.language {
        Language::En => "vs",
        Language::ZhCn => "对比",
    }
}

/// Money amounts as chart values.
fn amounts(values: impl Iterator<Item = Option<Money>>) -> Vec<Option<f64>> {
    values
        .map(|m| m.and_then(|m| m.decimal().to_f64()))
        .collect()
}

fn computed_sections(cx: &mut Cx, m: &TargetsModel) -> Vec<Block> {
    let fmt = cx.fmt;
    let fy = cx.model.info.periods.fy;
    let axis = |v: f64| fmt.compact(Decimal::from_f64_retain(v).unwrap_or_default());
    let series = |key: &str, color, values| Series {
        label: fmt.t(key).to_string(),
        color,
        values,
    };
    let months: Vec<String> = fy
        .months()
        .enumerate()
        .map(|(k, month)| {
            if k == 0 || month.month == 1 {
                format!("{}\u{2009}'{:02}", fmt.month_short(month), month.year % 100)
            } else {
                fmt.month_short(month)
            }
        })
        .collect();
    let monthly_title = monthly_message(cx, m);
    let monthly_svg = bar_chart(&BarChart {
        title: &monthly_title,
        categories: months,
        bars: vec![
            series(
                "legend.baseline",
                palette::BASELINE,
                amounts(m.months.iter().map(|p| Some(p.baseline))),
            ),
            series(
                "legend.target",
                palette::TARGET,
                amounts(m.months.iter().map(|p| Some(p.target))),
            ),
        ],
        line: Some(series(
            "legend.actual",
            palette::ACTUAL,
            amounts(m.months.iter().map(|p| p.actual)),
        )),
        horizontal: false,
        axis: &axis,
        reference: None,
        second_reference: None,
    });
    let monthly_alt = chart_alt(cx, "chart.monthly", m);
    let mut blocks = vec![cx.heading("sec.monthly")];
    blocks.push(cx.chart(
        "targets_monthly",
        monthly_svg,
        monthly_title.clone(),
        monthly_alt,
        Some("targets_monthly"),
    ));
    blocks.push(Block::Table(period_view(
        cx,
        &m.monthly,
        &m.months,
        "sec.monthly",
    )));
    blocks.push(cx.heading("sec.quarterly"));
    blocks.push(Block::Table(period_view(
        cx,
        &m.quarterly,
        &m.quarters,
        "sec.quarterly",
    )));

    for (rows, table, sec, chart_key, file, what) in [
        (
            &m.product_lines,
            &m.by_product_line,
            "sec.by_product_line",
            "chart.by_product_line",
            "targets_by_product_line",
            "col.product_line",
        ),
        (
            &m.regions,
            &m.by_region,
            "sec.by_region",
            "chart.by_region",
            "targets_by_region",
            "col.region",
        ),
    ] {
        blocks.push(cx.heading(sec));
        if !rows.is_empty() {
            let title = split_message(cx, rows).unwrap_or_else(|| cx.t(chart_key).to_string());
            let names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
            let targets = amounts(rows.iter().map(|r| Some(r.target)));
            let svg = bar_chart(&BarChart {
                title: &title,
                categories: names.clone(),
                bars: vec![
                    series("legend.target", palette::TARGET, targets.clone()),
                    series(
                        "legend.baseline",
                        palette::BASELINE,
                        amounts(rows.iter().map(|r| Some(r.baseline))),
                    ),
                ],
                line: None,
                horizontal: true,
                axis: &axis,
                reference: None,
                second_reference: None,
            });
            let alt = format!(
                "{}: {}",
                cx.t(chart_key),
                names
                    .iter()
                    .zip(&targets)
                    .map(|(n, v)| format!(
                        "{n} {}",
                        fmt.money_compact(
                            Decimal::from_f64_retain(v.unwrap_or(0.0)).unwrap_or_default()
                        )
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            blocks.push(cx.chart(file, svg, title, alt, Some(file)));
        }
        // The CSV's `name` column says what it names on the page.
        let mut view = TableView::computed(table, cx.t(sec), fmt);
        if let Some(first) = view.columns.first_mut() {
            first.label = cx.t(what).to_string();
        }
        blocks.push(Block::Table(view));
    }
    let plan = cx
        .project
        .chapters
        .targets
        .as_ref()
        .expect("built only with a plan");
    let split_notes = plan
        .by_product_line
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, s)| {
            (
                s.name.clone(),
                s.notes.as_ref(),
                item_path("by_product_line", i),
            )
        })
        .chain(
            plan.by_region
                .iter()
                .flatten()
                .enumerate()
                .map(|(i, s)| (s.name.clone(), s.notes.as_ref(), item_path("by_region", i))),
        )
        .collect::<Vec<_>>();
    blocks.extend(cx.notes(CH, split_notes));
    blocks
}

/// A month or quarter table as read at as_of: a period still running shows its
/// attainment against the target due by then, marked "to date", never a fraction of the
/// full period's target. The CSV keeps the spec's `attainment` and adds the to-date
/// columns, which the page folds into that one.
fn period_view(cx: &Cx, table: &Table, periods: &[PeriodResult], caption: &str) -> TableView {
    let mut view = TableView::computed(table, cx.t(caption), cx.fmt);
    let spec_columns = 5;
    view.columns.truncate(spec_columns);
    for (row, period) in view.rows.iter_mut().zip(periods) {
        row.truncate(spec_columns);
        if let Some(a) = period.attainment_to_date() {
            let pct = cx.fmt.pct(a);
            row[spec_columns - 1] = match cx.language {
                Language::En => format!("{pct} to date"),
                Language::ZhCn => format!("截至目前{pct}"),
            };
        } else if period.running() {
            row[spec_columns - 1] = "—".to_string();
        }
    }
    view
}

/// The monthly chart's title states its message: how the target is phased and where the
/// year stands.
fn monthly_message(cx: &Cx, m: &TargetsModel) -> String {
    let plan = cx
        .project
        .chapters
        .targets
        .as_ref()
        .expect("built only with a plan");
    let fy = cx.model.info.fiscal_year;
    let annual = cx.fmt.money_compact(m.annual.decimal());
    let en = cx.language == Language::En;
    let phasing = match (&plan.seasonality, en) {
        (Seasonality::History, true) => {
            format!("{annual} target phased like {}", cx.fmt.fiscal_year(fy - 1))
        }
        (Seasonality::History, false) => {
            format!("年度目标{annual}按{}节奏分解", cx.fmt.fiscal_year(fy - 1))
        }
        (Seasonality::Even, true) => format!("{annual} target spread evenly over the months"),
        (Seasonality::Even, false) => format!("年度目标{annual}按月平均分解"),
        (Seasonality::Weights(_), true) => {
            format!("{annual} target phased by the plan's monthly weights")
        }
        (Seasonality::Weights(_), false) => format!("年度目标{annual}按计划权重分解"),
    };
    match (m.ytd_attainment, en) {
        (Some(a), true) => format!("{phasing}; year to date at {} of target", cx.fmt.pct(a)),
        (Some(a), false) => format!("{phasing}；年初至今达成{}", cx.fmt.pct(a)),
        (None, _) => phasing,
    }
}

/// A split chart's title names the fastest-growing line or region.
fn split_message(cx: &Cx, rows: &[SplitResult]) -> Option<String> {
    let fastest = rows
        .iter()
        .filter_map(|r| Some((&r.name, r.growth?)))
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))?;
    let fy = cx.model.info.fiscal_year;
    Some(match cx.language {
        Language::En => format!(
            "{} grows fastest: target {} vs {}",
            fastest.0,
            cx.fmt.signed_pct(fastest.1),
            cx.fmt.fiscal_year(fy - 1)
        ),
        Language::ZhCn => format!(
            "{}增长最快：目标较{}{}",
            fastest.0,
            cx.fmt.fiscal_year(fy - 1),
            cx.fmt.signed_pct(fastest.1)
        ),
    })
}

/// A text alternative for the monthly chart: the range of targets and the actual so far.
fn chart_alt(cx: &Cx, key: &str, m: &TargetsModel) -> String {
    let fmt = cx.fmt;
    let min = m.monthly_targets.iter().min().copied().unwrap_or(0);
    let max = m.monthly_targets.iter().max().copied().unwrap_or(0);
    let mut alt = format!(
        "{}: {} {}–{}",
        cx.t(key),
        cx.t("legend.target"),
        fmt.money_compact(Decimal::from(min)),
        fmt.money_compact(Decimal::from(max))
    );
    if let Some(actual) = m.ytd_actual {
        alt.push_str(&format!(
            "; {} {}",
            cx.t("fig.ytd_actual"),
            fmt.money_compact(actual.decimal())
        ));
    }
    alt
}

fn strategy_sections(cx: &mut Cx, plan: &TargetsPlan) -> Vec<Block> {
    let mut blocks = Vec::new();
    let lang = cx.language;
    if let Some(p) = &plan.positioning {
        blocks.push(cx.heading("sec.positioning"));
        blocks.extend(cx.prose(CH, "positioning.text", p.text.as_ref()));
        if !p.segments.is_empty() {
            let rows = p
                .segments
                .iter()
                .map(|s| {
                    vec![
                        s.name.clone(),
                        text(&s.description),
                        text(&s.needs),
                        s.share.map_or("—".into(), |v| cx.fmt.pct(v)),
                    ]
                })
                .collect();
            blocks.push(cx.table(
                "segments",
                "sec.segments",
                &[
                    ("col.segment", false),
                    ("col.description", false),
                    ("col.needs", false),
                    ("col.share", true),
                ],
                rows,
            ));
            blocks.extend(cx.item_notes(CH, "positioning.segments", &p.segments, |s| {
                (s.name.clone(), s.notes.as_ref())
            }));
        }
        blocks.extend(cx.prose(CH, "positioning.notes", p.notes.as_ref()));
    }
    if !plan.competitors.is_empty() {
        blocks.push(cx.heading("sec.competitors"));
        let rows = plan
            .competitors
            .iter()
            .map(|c| {
                vec![
                    c.name.clone(),
                    text(&c.products),
                    c.price_level
                        .as_deref()
                        .map_or("—".into(), |l| cx.fmt.cell_word(&cx.fmt.name(l))),
                    text(&c.channels),
                    join_phrases(lang, &c.strengths),
                    join_phrases(lang, &c.weaknesses),
                    text(&c.response),
                ]
            })
            .collect();
        blocks.push(cx.table(
            "competitors",
            "sec.competitors",
            &[
                ("col.competitor", false),
                ("col.products", false),
                ("col.price_level", false),
                ("col.channels", false),
                ("col.strengths", false),
                ("col.weaknesses", false),
                ("col.response", false),
            ],
            rows,
        ));
        blocks.extend(cx.item_notes(CH, "competitors", &plan.competitors, |c| {
            (c.name.clone(), c.notes.as_ref())
        }));
    }
    if !plan.product_strategy.is_empty() {
        blocks.push(cx.heading("sec.product_strategy"));
        let rows = plan
            .product_strategy
            .iter()
            .map(|p| {
                let role = match p.role {
                    ProductRole::Core => "word.core",
                    ProductRole::Growth => "word.growth",
                    ProductRole::New => "word.new",
                    ProductRole::Harvest => "word.harvest",
                };
                vec![
                    p.product_line.clone(),
                    cx.t(role).to_string(),
                    join_phrases(lang, &p.actions),
                ]
            })
            .collect();
        blocks.push(cx.table(
            "product-strategy",
            "sec.product_strategy",
            &[
                ("col.product_line", false),
                ("col.role", false),
                ("col.actions", false),
            ],
            rows,
        ));
        blocks.extend(
            cx.item_notes(CH, "product_strategy", &plan.product_strategy, |p| {
                (p.product_line.clone(), p.notes.as_ref())
            }),
        );
    }
    if !plan.pricing.is_empty() {
        blocks.push(cx.heading("sec.pricing"));
        blocks.push(pricing_table(cx, &plan.pricing, "pricing", "sec.pricing"));
        blocks.extend(cx.item_notes(CH, "pricing", &plan.pricing, |p| {
            (p.product_line.clone(), p.notes.as_ref())
        }));
    }
    blocks
}

/// The plan's pricing strategy as a table (chapter 1, and again next to the price
/// sensitivity of chapter 6).
pub fn pricing_table(
    cx: &Cx,
    pricing: &[crate::chapters::targets::plan::Pricing],
    id: &str,
    caption_key: &str,
) -> Block {
    let rows = pricing
        .iter()
        .map(|p| {
            vec![
                p.product_line.clone(),
                text(&p.strategy),
                p.price_change.map_or("—".into(), |v| cx.fmt.signed_pct(v)),
                p.floor_margin.map_or("—".into(), |v| cx.fmt.pct(v)),
            ]
        })
        .collect();
    cx.table(
        id,
        caption_key,
        &[
            ("col.product_line", false),
            ("col.strategy", false),
            ("col.price_change", true),
            ("col.floor_margin", true),
        ],
        rows,
    )
}
