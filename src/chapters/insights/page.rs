//! Chapter 6 — data analysis & decision support: the KPI board with owners and deadlines,
//! the revenue forecast and where the year will land, product structure (ABC and
//! growth-share), price sensitivity with the pricing it implies, and data quality.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::chapters::insights::compute::{
    forecast_table, AbcClass, ForecastMonth, InsightsModel, KpiStatus, PriceElasticity,
    PriceReading, Quadrant,
};
use crate::chapters::insights::forecast::Method;
use crate::chapters::insights::plan::InsightsPlan;
use crate::chapters::ChapterId;
use crate::chart::{
    bar_chart, forecast_chart, palette, scatter_chart, BarChart, ForecastChart, Point,
    ScatterChart, Series,
};
use crate::plan::Language;
use crate::render::chapter::{text, Cx};
use crate::render::doc::{Block, Figure, TableView};
use crate::render::markdown::Prose;

const CH: ChapterId = ChapterId::Insights;

pub fn build(cx: &mut Cx) -> (Vec<Block>, String) {
    let lang = cx.language;
    let mut blocks = Vec::new();
    let plan = cx.project.chapters.insights.as_ref();
    let model = cx.model.insights.as_ref();
    if let (Some(plan), Some(model)) = (plan, model) {
        blocks.push(figures(cx, model));
        blocks.extend(kpis(cx, plan, model));
        blocks.extend(forecast(cx, plan, model));
        blocks.extend(abc(cx, model));
        blocks.extend(growth_share(cx, model));
        blocks.extend(elasticity(cx, model));
    }
    let quality = &cx.model.quality;
    blocks.push(cx.heading("sec.quality"));
    blocks.push(Block::Table(TableView::computed(
        quality,
        cx.t("sec.quality"),
        cx.fmt,
    )));
    if let Some(plan) = plan {
        blocks.extend(cx.prose(CH, "notes", plan.notes.as_ref()));
    }
    let alerts = model.map_or(0, |m| {
        m.alerts
            .iter()
            .filter(|a| a.status == KpiStatus::Alert)
            .count()
    });
    let alerts_text = match (lang, alerts) {
        (Language::En, 1) => "1 KPI alert".to_string(),
        (Language::En, n) => format!("{n} KPI alerts"),
        (Language::ZhCn, n) => format!("{n}项指标告警"),
    };
    let status = match (lang, model.and_then(|m| m.landing_vs_target)) {
        (Language::En, Some(l)) => format!(
            "Forecast landing {} of target · {alerts_text}",
            cx.fmt.pct(l)
        ),
        (Language::ZhCn, Some(l)) => {
            format!("预测全年为年度目标的{} · {alerts_text}", cx.fmt.pct(l))
        }
        (_, None) => alerts_text,
    };
    (blocks, status)
}

fn figures(cx: &Cx, model: &InsightsModel) -> Block {
    let fmt = cx.fmt;
    let alerts = model
        .alerts
        .iter()
        .filter(|a| a.status == KpiStatus::Alert)
        .count();
    let warnings = model
        .alerts
        .iter()
        .filter(|a| a.status == KpiStatus::Warn)
        .count();
    let mut items = vec![Figure {
        label: cx.t("fig.landing").to_string(),
        value: model.landing.map_or("—".into(), |l| fmt.money_compact(l)),
        comparison: model.landing_vs_target.map_or_else(
            || cx.t("word.no_forecast").to_string(),
            |r| format!("{} {}", fmt.pct(r), cx.t("word.of_annual_target")),
        ),
        tone: match model.landing_vs_target {
            Some(r) if r < Decimal::ONE => "bad",
            Some(_) => "good",
            None => "neutral",
        },
    }];
    items.push(Figure {
        label: cx.t("fig.kpi_alerts").to_string(),
        value: alerts.to_string(),
        comparison: format!("{warnings} {}", cx.t("word.warnings")),
        tone: if alerts > 0 { "bad" } else { "good" },
    });
    if let Some(m) = model.mape {
        items.push(Figure {
            label: cx.t("fig.backtest").to_string(),
            value: fmt.pct(Decimal::from_f64_retain(m).unwrap_or_default()),
            comparison: model.seasonal_naive_mape.map_or_else(
                || cx.t("word.mape").to_string(),
                |n| {
                    format!(
                        "{} {}",
                        cx.t("word.vs_naive"),
                        fmt.pct(Decimal::from_f64_retain(n).unwrap_or_default())
                    )
                },
            ),
            tone: match model.seasonal_naive_mape {
                Some(n) if m > n => "bad",
                _ => "neutral",
            },
        });
    }
    Block::Figures { items }
}

/// A KPI value in its natural unit: ratios as percentages, NPS and CSAT as numbers,
/// average order value as money.
fn kpi_value(cx: &Cx, metric: &str, value: Decimal) -> String {
    format_kpi(cx.fmt, metric, value)
}

/// A KPI's name for readers: the plan's `label:`; else its id when the author wrote a
/// name there ("累计目标达成率", "Online share"); else, for an identifier such as
/// `ytd_attainment`, its metric in words.
pub fn kpi_name(
    fmt: &crate::render::format::Formatter,
    id: &str,
    label: Option<&str>,
    metric: &str,
) -> String {
    match label {
        Some(label) => label.to_string(),
        None if crate::render::format::is_identifier(id) => fmt.metric(metric),
        None => id.to_string(),
    }
}

/// A KPI value for reading, by its metric.
pub fn format_kpi(fmt: &crate::render::format::Formatter, metric: &str, value: Decimal) -> String {
    match metric {
        "nps" => fmt.num(value, 1),
        "csat" => format!("{} / 5", fmt.num(value, 2)),
        // ¥1,792.40 for a value, ¥1,500 for a whole threshold.
        "avg_order_value" if value.fract().is_zero() => fmt.money_whole(value),
        "avg_order_value" => fmt.money(value),
        "revenue_growth_ytd" => fmt.signed_pct(value),
        _ => fmt.pct(value),
    }
}

fn kpis(cx: &mut Cx, plan: &InsightsPlan, model: &InsightsModel) -> Vec<Block> {
    if plan.kpis.is_empty() {
        return Vec::new();
    }
    let mut blocks = vec![cx.heading("sec.kpis")];
    let symbol = |status: KpiStatus| match status {
        KpiStatus::Alert => format!("▲ {}", cx.t("word.kpi_alert")),
        KpiStatus::Warn => format!("● {}", cx.t("word.kpi_warn")),
        KpiStatus::Ok => format!("✓ {}", cx.t("word.kpi_ok")),
        KpiStatus::NoData => format!("– {}", cx.t("word.kpi_no_data")),
    };
    let threshold =
        |below: Option<Decimal>, above: Option<Decimal>, metric: &str| match (below, above) {
            (Some(b), Some(a)) => format!(
                "< {} · > {}",
                kpi_value(cx, metric, b),
                kpi_value(cx, metric, a)
            ),
            (Some(b), None) => format!("< {}", kpi_value(cx, metric, b)),
            (None, Some(a)) => format!("> {}", kpi_value(cx, metric, a)),
            (None, None) => "—".into(),
        };
    // One result per planned KPI, in plan order, by name (`kpi_name`); the metric column
    // is shown only when some KPI has a name of its own (otherwise it would repeat the
    // first column).
    let labelled = plan
        .kpis
        .iter()
        .any(|k| k.label.is_some() || !crate::render::format::is_identifier(&k.id));
    let rows = plan
        .kpis
        .iter()
        .zip(&model.kpi_results)
        .map(|(k, r)| {
            let mut row = vec![kpi_name(cx.fmt, &k.id, k.label.as_deref(), &k.metric)];
            if labelled {
                row.push(cx.fmt.metric(&k.metric));
            }
            row.extend([
                r.value.map_or("—".into(), |v| kpi_value(cx, &k.metric, v)),
                symbol(r.status),
                threshold(k.warn_below, k.warn_above, &k.metric),
                threshold(k.alert_below, k.alert_above, &k.metric),
                text(&k.owner),
                r.due.map_or("—".into(), |d| cx.fmt.date(d)),
            ]);
            row
        })
        .collect();
    let mut columns = vec![(cx.t("col.kpi"), false)];
    if labelled {
        columns.push((cx.t("col.metric"), false));
    }
    columns.extend([
        (cx.t("col.value"), true),
        (cx.t("col.status"), false),
        (cx.t("col.warn"), false),
        (cx.t("col.alert"), false),
        (cx.t("col.owner"), false),
        (cx.t("col.due"), false),
    ]);
    let mut table = TableView::plan("insights_kpis", cx.t("sec.kpis"), &columns, rows);
    table.csv = Some("data/insights_kpis.csv".into());
    blocks.push(Block::Table(table));
    blocks.extend(cx.item_notes(CH, "kpis", &plan.kpis, |k| {
        (
            kpi_name(cx.fmt, &k.id, k.label.as_deref(), &k.metric),
            k.notes.as_ref(),
        )
    }));
    blocks
}

fn forecast(cx: &mut Cx, plan: &InsightsPlan, model: &InsightsModel) -> Vec<Block> {
    let lang = cx.language;
    let info = &cx.model.info;
    let mut blocks = vec![cx.heading("sec.forecast")];
    // The chart shows the last 24 months of history and the horizon: older history only
    // squeezes the months the board decides on (the table and CSV keep every month).
    let history = model
        .forecast_months
        .iter()
        .filter(|m| m.actual.is_some())
        .count();
    let months = &model.forecast_months[history.saturating_sub(24)..];
    let to_f = |v: Option<Decimal>| v.and_then(|d| d.to_f64());
    let actual: Vec<Option<f64>> = months
        .iter()
        .map(|m| to_f(m.actual.map(|a| a.decimal())))
        .collect();
    let forecast: Vec<Option<f64>> = months
        .iter()
        .zip(&actual)
        .map(|(m, a)| if a.is_some() { None } else { to_f(m.forecast) })
        .collect();
    let band: Vec<Option<(f64, f64)>> = months
        .iter()
        .map(|m| Some((to_f(m.lower)?, to_f(m.upper)?)))
        .collect();
    // Monthly targets where a forecast month is an FY month.
    let targets = cx.model.targets.as_ref().map(|t| {
        let fy = info.periods.fy;
        months
            .iter()
            .map(|m| {
                fy.months()
                    .position(|ym| ym == m.month)
                    .map(|k| t.monthly_targets[k] as f64)
            })
            .collect::<Vec<_>>()
    });
    let method = crate::chapters::insights::forecast::Method::for_length(
        actual.iter().filter(|a| a.is_some()).count(),
    );
    let method_words = match method {
        Some(Method::HoltWinters) => cx.t("word.holt_winters").to_string(),
        Some(Method::SeasonalNaive) => cx.t("word.seasonal_naive").to_string(),
        Some(Method::Linear) => cx.t("word.linear_trend").to_string(),
        None => cx.t("word.no_forecast").to_string(),
    };
    let annual = cx.model.targets.as_ref().map(|t| t.annual.decimal());
    let fy = cx.fmt.fiscal_year(info.fiscal_year);
    let title = match (model.landing, model.landing_vs_target, annual, lang) {
        (Some(l), Some(r), Some(a), Language::En) => format!(
            "{fy} lands at {} on the forecast: {} of the {} annual target",
            cx.fmt.money_compact(l),
            cx.fmt.pct(r),
            cx.fmt.money_compact(a)
        ),
        (Some(l), Some(r), Some(a), Language::ZhCn) => format!(
            "按预测{fy}将达{}，为年度目标{}的{}",
            cx.fmt.money_compact(l),
            cx.fmt.money_compact(a),
            cx.fmt.pct(r)
        ),
        _ => cx.t("chart.forecast").to_string(),
    };
    if !months.is_empty() {
        // A tick each quarter; every January carries its year (Jan 2026 / 2026年1月).
        let labels: Vec<String> = months
            .iter()
            .map(|m| match m.month.month {
                1 => cx.fmt.month(m.month),
                4 | 7 | 10 => cx.fmt.month_short(m.month),
                _ => String::new(),
            })
            .collect();
        let axis_fmt = cx.fmt;
        let axis = move |v: f64| axis_fmt.compact(Decimal::from_f64_retain(v).unwrap_or_default());
        let svg = forecast_chart(&ForecastChart {
            title: &title,
            categories: labels,
            actual: Series {
                label: cx.t("legend.actual").to_string(),
                color: palette::TARGET,
                values: actual.clone(),
            },
            forecast: Series {
                label: cx.t("legend.forecast").to_string(),
                color: palette::ACTUAL,
                values: forecast,
            },
            band,
            band_label: cx.t("legend.band").to_string(),
            targets: targets.map(|values| Series {
                label: cx.t("legend.target").to_string(),
                color: palette::MUTED,
                values,
            }),
            axis: &axis,
        });
        let alt = format!("{title} ({method_words})");
        blocks.push(cx.chart(
            "insights_forecast",
            svg,
            title,
            alt,
            Some("insights_forecast"),
        ));
    }
    let mut facts = vec![cx.fact("word.method", method_words)];
    if let (Some(a), Some(b), Some(g)) = (model.alpha, model.beta, model.gamma) {
        facts.push(cx.fact("word.parameters", format!("α {a:.2} · β {b:.2} · γ {g:.2}")));
    }
    let pct = |v: Option<f64>| {
        v.map_or("—".into(), |v| {
            cx.fmt.pct(Decimal::from_f64_retain(v).unwrap_or_default())
        })
    };
    let holdout = plan.forecast.as_ref().map_or(6, |f| f.holdout);
    facts.push(cx.fact(
        "word.backtest",
        format!(
            "{} {} · {} {}",
            cx.t("word.mape"),
            pct(model.mape),
            cx.t("word.vs_naive"),
            pct(model.seasonal_naive_mape)
        ),
    ));
    facts.push(cx.fact("word.holdout", holdout.to_string()));
    blocks.push(Block::Facts { items: facts });
    // On the page, the fiscal year and what follows; the CSV keeps the whole history.
    let first = info.periods.fy.first_month();
    let recent: Vec<ForecastMonth> = months
        .iter()
        .filter(|m| m.month >= first)
        .cloned()
        .collect();
    let recent = forecast_table(&recent);
    blocks.push(Block::Table(TableView::computed(
        &recent,
        cx.t("sec.forecast"),
        cx.fmt,
    )));
    blocks
}

fn abc(cx: &mut Cx, model: &InsightsModel) -> Vec<Block> {
    let lang = cx.language;
    let mut blocks = vec![cx.heading("sec.abc")];
    let products = &model.abc_products;
    if !products.is_empty() {
        let a_products = products.iter().filter(|p| p.class == AbcClass::A);
        let a_count = a_products.clone().count();
        let a_share: Decimal = a_products.filter_map(|p| p.share).sum();
        let title = match lang {
            Language::En => format!(
                "{a_count} of {} products (class A) bring {} of revenue",
                products.len(),
                cx.fmt.pct(a_share)
            ),
            Language::ZhCn => format!(
                "{}个产品中{a_count}个（A 类）贡献{}的销售额",
                products.len(),
                cx.fmt.pct(a_share)
            ),
        };
        // A Pareto chart: each product's share as a bar, the cumulative share as a line,
        // both in percent on one axis; beyond twelve products the rest are one bar.
        let shares: Vec<f64> = products
            .iter()
            .map(|p| p.share.and_then(|d| d.to_f64()).unwrap_or(0.0) * 100.0)
            .collect();
        let shown = products.len().min(12);
        let short = |n: &str| {
            if n.chars().count() > 22 {
                format!("{}…", n.chars().take(21).collect::<String>())
            } else {
                n.to_string()
            }
        };
        let mut categories: Vec<String> = products[..shown]
            .iter()
            .map(|p| format!("{} {}", short(&p.product), p.class.key()))
            .collect();
        let mut bars: Vec<Option<f64>> = shares[..shown].iter().map(|v| Some(*v)).collect();
        if products.len() > shown {
            categories.push(format!(
                "+{} {}",
                products.len() - shown,
                cx.t("word.others")
            ));
            bars.push(Some(shares[shown..].iter().sum()));
        }
        let mut cumulative = 0.0;
        let line: Vec<Option<f64>> = bars
            .iter()
            .map(|b| {
                cumulative += b.unwrap_or(0.0);
                Some(cumulative)
            })
            .collect();
        let svg = bar_chart(&BarChart {
            title: &title,
            categories,
            bars: vec![Series {
                label: cx.t("legend.share_of_revenue").to_string(),
                color: palette::TARGET,
                values: bars,
            }],
            line: Some(Series {
                label: cx.t("legend.cumulative_share").to_string(),
                color: palette::ACTUAL,
                values: line,
            }),
            horizontal: false,
            axis: &|v| format!("{v:.0}%"),
            reference: None,
            second_reference: None,
        });
        let alt = format!(
            "{title}: {}",
            products
                .iter()
                .map(|p| format!("{} {}", p.product, p.class.key()))
                .collect::<Vec<_>>()
                .join(", ")
        );
        blocks.push(cx.chart("insights_abc", svg, title, alt, Some("insights_abc")));
    }
    blocks.push(Block::Table(TableView::computed(
        &model.abc,
        cx.t("sec.abc"),
        cx.fmt,
    )));
    blocks
}

fn growth_share(cx: &mut Cx, model: &InsightsModel) -> Vec<Block> {
    let lang = cx.language;
    let mut blocks = vec![cx.heading("sec.growth_share")];
    let lines = &model.growth_share_lines;
    let points: Vec<Point> = lines
        .iter()
        .filter_map(|l| {
            Some(Point {
                label: l.product_line.clone(),
                x: l.share?.to_f64()? * 100.0,
                y: l.growth()?.to_f64()? * 100.0,
            })
        })
        .collect();
    if !points.is_empty() {
        let company = model
            .company_growth
            .map(|g| g.to_f64().unwrap_or(0.0) * 100.0);
        let stars: Vec<&str> = lines
            .iter()
            .filter(|l| l.quadrant == Some(Quadrant::Star))
            .map(|l| l.product_line.as_str())
            .collect();
        let title = match (lang, stars.is_empty()) {
            (Language::En, false) => format!("Stars: {}", stars.join(", ")),
            (Language::ZhCn, false) => format!("明星产品线：{}", stars.join("、")),
            (Language::En, true) => {
                "No product line is both large and growing faster than the company".to_string()
            }
            (Language::ZhCn, true) => "没有既占比高又增长快于公司整体的产品线".to_string(),
        };
        let svg = scatter_chart(&ScatterChart {
            title: &title,
            points,
            x_label: cx.t("legend.share_ttm").to_string(),
            y_label: cx.t("legend.growth_ttm").to_string(),
            x_line: (!lines.is_empty()).then(|| 100.0 / lines.len() as f64),
            y_line: company,
            // The quadrant lines say what they are: an even share of revenue, the
            // company's own growth.
            x_line_label: (!lines.is_empty()).then(|| match lang {
                Language::En => format!("Even share (1/{})", lines.len()),
                Language::ZhCn => format!("平均占比（1/{}）", lines.len()),
            }),
            y_line_label: model.company_growth.map(|g| match lang {
                Language::En => format!("Company growth {}", cx.fmt.signed_pct(g)),
                Language::ZhCn => format!("公司整体增长{}", cx.fmt.signed_pct(g)),
            }),
            x_axis: &|v| format!("{v:.0}%"),
            y_axis: &|v| format!("{v:.0}%"),
        });
        let alt = format!(
            "{title}: {}",
            lines
                .iter()
                .map(|l| format!(
                    "{} {}",
                    l.product_line,
                    l.quadrant.map_or(String::new(), |q| cx
                        .t(&format!("value.{}", q.key()))
                        .to_string())
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
        blocks.push(cx.chart(
            "insights_growth_share",
            svg,
            title,
            alt,
            Some("insights_growth_share"),
        ));
    }
    blocks.push(Block::Table(TableView::computed(
        &model.growth_share,
        cx.t("sec.growth_share"),
        cx.fmt,
    )));
    blocks
}

fn elasticity(cx: &mut Cx, model: &InsightsModel) -> Vec<Block> {
    let lang = cx.language;
    let fmt = cx.fmt;
    let mut blocks = vec![cx.heading("sec.elasticity")];
    let reliable: Vec<&PriceElasticity> = model
        .elasticities
        .iter()
        .filter(|p| p.significant == Some(true))
        .collect();
    let (n, total) = (reliable.len(), model.elasticities.len());
    blocks.push(Block::Prose(Prose::paragraph(&match lang {
        Language::En => format!(
            "{} of {} products have a reliable estimate: the 95\u{a0}% confidence interval of \
                 their elasticity excludes 0. Pricing advice is given only for those; for the \
                 others the months show too little price variation to tell.",
            fmt.num(Decimal::from(n), 0),
            fmt.num(Decimal::from(total), 0)
        ),
        Language::ZhCn => format!(
            "{}个产品中有{}个的估计可靠（弹性的95%置信区间不含0），仅对这些产品给出定价建议；\
                 其余产品的月度价格变动不足，无法判断。",
            fmt.num(Decimal::from(total), 0),
            fmt.num(Decimal::from(n), 0)
        ),
    })));
    blocks.push(Block::Table(elasticity_view(cx, model)));
    // Pricing advice only where the interval excludes 0.
    let advice: Vec<String> = reliable
        .iter()
        .filter_map(|p| {
            let e = p.elasticity?;
            let (low, high) = p.interval?;
            let name = &p.product;
            let e_text = match lang {
                Language::En => format!(
                    "elasticity {}, 95\u{a0}% interval {} to {}",
                    fmt.coefficient(e),
                    fmt.coefficient(low),
                    fmt.coefficient(high)
                ),
                Language::ZhCn => format!(
                    "弹性{}，95%置信区间{}至{}",
                    fmt.coefficient(e),
                    fmt.coefficient(low),
                    fmt.coefficient(high)
                ),
            };
            Some(match (p.reading?, lang) {
                (PriceReading::Elastic, Language::En) => format!("{name} ({e_text}): demand reacts more than price; a 1\u{a0}% price rise loses more than 1\u{a0}% of volume — compete on value, avoid list-price rises"),
                (PriceReading::Elastic, Language::ZhCn) => format!("{name}（{e_text}）：需求对价格敏感，涨价1%销量下降超过1%——以价值竞争，避免上调标价"),
                (PriceReading::Inelastic, Language::En) => format!("{name} ({e_text}): volume reacts less than price; there is room to hold or raise prices"),
                (PriceReading::Inelastic, Language::ZhCn) => format!("{name}（{e_text}）：销量对价格不敏感，可维持或适度上调价格"),
                (PriceReading::NoEffect, Language::En) => format!("{name} ({e_text}): volume rose with price; something other than price drives it (season, positioning), so price is not the lever"),
                (PriceReading::NoEffect, Language::ZhCn) => format!("{name}（{e_text}）：销量随价格上升，驱动销量的是价格以外的因素（季节、定位），价格不是抓手"),
            })
        })
        .collect();
    if !advice.is_empty() {
        blocks.push(Block::Heading {
            text: cx.t("sec.pricing_implications").to_string(),
            id: "pricing-implications".into(),
            level: 2,
        });
        blocks.push(Block::List { items: advice });
    }
    if let Some(targets) = &cx.project.chapters.targets {
        if !targets.pricing.is_empty() {
            blocks.push(crate::chapters::targets::page::pricing_table(
                cx,
                &targets.pricing,
                "pricing-plan",
                "sec.pricing_plan",
            ));
        }
    }
    blocks
}

/// The elasticity table as a board reads it: the interval in one column, and a reading
/// only where the interval excludes 0. The CSV keeps every column of
/// `insights_elasticity`.
fn elasticity_view(cx: &Cx, model: &InsightsModel) -> TableView {
    let fmt = cx.fmt;
    let dash = || "—".to_string();
    let rows = model
        .elasticities
        .iter()
        .map(|p| {
            let interval = p
                .interval
                .map_or_else(dash, |(low, high)| match cx.language {
                    Language::En => {
                        format!("{} to {}", fmt.coefficient(low), fmt.coefficient(high))
                    }
                    Language::ZhCn => {
                        format!("{}至{}", fmt.coefficient(low), fmt.coefficient(high))
                    }
                });
            let reading = match (p.reading, p.significant) {
                // A reliable positive slope: volume rose with price (the spec's
                // no_effect, which for a board reads as what it is).
                (Some(PriceReading::NoEffect), Some(true))
                    if p.elasticity.is_some_and(|e| e > Decimal::ZERO) =>
                {
                    cx.t("value.rises_with_price")
                }
                (Some(reading), Some(true)) => cx.t(&format!("value.{}", reading.key())),
                (Some(_), _) => cx.t("value.not_enough_variation"),
                (None, _) => "—",
            };
            vec![
                p.product.clone(),
                fmt.num(Decimal::from(p.points), 0),
                p.elasticity.map_or_else(dash, |e| fmt.coefficient(e)),
                interval,
                p.r2.map_or_else(dash, |r| fmt.coefficient(r)),
                reading.to_string(),
            ]
        })
        .collect();
    let mut view = TableView::plan(
        model.elasticity.name,
        cx.t("sec.elasticity"),
        &[
            (cx.t("col.product"), false),
            (cx.t("col.points"), true),
            (cx.t("col.elasticity"), true),
            (cx.t("col.interval"), true),
            (cx.t("col.r2"), true),
            (cx.t("col.reading"), false),
        ],
        rows,
    );
    // A coefficient's sign is its meaning, not an alarm.
    for column in &mut view.columns {
        column.signals = false;
    }
    view.csv = Some(format!("data/{}.csv", model.elasticity.name));
    view
}
