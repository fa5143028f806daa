//! Charts drawn with plotters into hermetic SVG: plain `<text>` with a font stack that
//! includes common Chinese fonts, no system fonts needed, the same bytes on every machine.
//! plotters guesses text widths at 0.7 em per byte (2x too wide for Chinese), so legends
//! and label areas are sized here with [`text_width`] instead.

pub mod gantt;
pub mod labels;
pub mod org;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

/// Font stack for every chart label: Latin UI fonts first, then Chinese ones.
pub const FONT: &str = "Helvetica Neue, Arial, PingFang SC, Hiragino Sans GB, Microsoft YaHei, Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, sans-serif";

/// The one restrained palette every chart uses.
pub mod palette {
    use plotters::style::RGBColor;
    /// Plan / target: deep navy.
    pub const TARGET: RGBColor = RGBColor(31, 61, 107);
    /// Baseline / last year: mid grey.
    pub const BASELINE: RGBColor = RGBColor(170, 174, 181);
    /// Actual: warm amber, distinct from navy in grey-scale print too.
    pub const ACTUAL: RGBColor = RGBColor(214, 120, 28);
    pub const TEXT: RGBColor = RGBColor(40, 44, 52);
    pub const MUTED: RGBColor = RGBColor(110, 116, 126);
    pub const GRID: RGBColor = RGBColor(226, 229, 234);
}

/// `#rrggbb` for SVG attributes.
pub(crate) fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// Text escaped for SVG (XML) content and attributes.
pub(crate) fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// plotters divides font sizes by 1.24 when writing SVG; this gives `px` pixels.
fn font(px: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, px * 1.24).into_font()).color(&palette::TEXT)
}

/// Estimated rendered width of `text` at `px`: CJK glyphs are a full em, Latin ~0.55 em.
pub fn text_width(text: &str, px: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            c if (c as u32) >= 0x2E80 => 1.0,
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '|' | '\'' | '!' => 0.28,
            ' ' => 0.3,
            'm' | 'w' | 'M' | 'W' => 0.85,
            c if c.is_ascii_uppercase() => 0.66,
            _ => 0.56,
        })
        .sum::<f64>()
        * px
}

/// One data series: a label, a colour, a value per category (`None` = no value).
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub color: RGBColor,
    pub values: Vec<Option<f64>>,
}

/// A category chart: grouped bars, optionally with a line over them (vertical only).
pub struct BarChart<'a> {
    pub title: &'a str,
    pub categories: Vec<String>,
    pub bars: Vec<Series>,
    pub line: Option<Series>,
    pub horizontal: bool,
    /// Formats an axis value (compact money, percent …).
    pub axis: &'a dyn Fn(f64) -> String,
    /// A dashed reference line across the bars (100 % attainment, a minimum score).
    pub reference: Option<Reference>,
    /// A second one, lower than the first (where a rep should be by as_of), its label
    /// set beside the line rather than over it so the two never collide.
    pub second_reference: Option<Reference>,
}

/// A value marked across a chart with a dashed line and a label.
#[derive(Debug, Clone)]
pub struct Reference {
    pub value: f64,
    pub label: String,
}

const WIDTH: u32 = 760;
const TITLE_PX: f64 = 16.0;
const LABEL_PX: f64 = 12.0;

type Area<'b> = DrawingArea<SVGBackend<'b>, Shift>;

/// Draws a [`BarChart`] and returns the SVG document.
pub fn bar_chart(chart: &BarChart) -> String {
    let height = if chart.horizontal {
        (96 + 30 * chart.categories.len().max(1) * chart.bars.len().max(1)).min(1400) as u32
    } else {
        // Room for vertical labels when they do not fit their slot (see draw_bar_chart).
        let slot = (WIDTH as f64 - 96.0) / chart.categories.len().max(1) as f64;
        let widest = chart
            .categories
            .iter()
            .map(|c| text_width(c, LABEL_PX))
            .fold(0.0, f64::max);
        if widest > slot - 4.0 {
            360 + ((widest + 16.0).min(150.0) as u32).saturating_sub(30)
        } else {
            360
        }
    };
    render_svg(height, |root| draw_bar_chart(root, chart, height))
}

/// Runs `draw` on a fresh SVG canvas `height` pixels high and returns the SVG text.
fn render_svg(
    height: u32,
    draw: impl FnOnce(&Area) -> Result<(), Box<dyn std::error::Error>>,
) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        // Drawing into a String cannot fail; errors would only come from a broken backend.
        let _ = draw(&root);
        let _ = root.present();
    }
    svg
}

fn max_value(chart: &BarChart) -> f64 {
    chart
        .bars
        .iter()
        .chain(chart.line.iter())
        .flat_map(|s| s.values.iter().flatten())
        .chain(chart.reference.iter().map(|r| &r.value))
        .chain(chart.second_reference.iter().map(|r| &r.value))
        .fold(0.0f64, |m, &v| m.max(v))
}

/// Dashes from `from` to `to` (pixels), drawn as short segments.
fn dashed(root: &Area, from: (i32, i32), to: (i32, i32)) -> Result<(), Box<dyn std::error::Error>> {
    let (dx, dy) = ((to.0 - from.0) as f64, (to.1 - from.1) as f64);
    let length = (dx * dx + dy * dy).sqrt();
    let steps = (length / 8.0).floor() as i32;
    for k in 0..steps {
        let t0 = k as f64 * 8.0 / length;
        let t1 = ((k as f64 * 8.0 + 5.0) / length).min(1.0);
        let at = |t: f64| {
            (
                (from.0 as f64 + dx * t).round() as i32,
                (from.1 as f64 + dy * t).round() as i32,
            )
        };
        root.draw(&PathElement::new(
            vec![at(t0), at(t1)],
            palette::TEXT.stroke_width(1),
        ))?;
    }
    Ok(())
}

fn draw_bar_chart(
    root: &Area,
    chart: &BarChart,
    height: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    root.fill(&WHITE)?;
    root.draw(&Text::new(
        chart.title.to_string(),
        (16, 14),
        font(TITLE_PX).color(&palette::TEXT),
    ))?;
    let legend: Vec<(&Series, bool)> = chart
        .bars
        .iter()
        .map(|s| (s, false))
        .chain(chart.line.iter().map(|s| (s, true)))
        .collect();
    draw_legend(root, &legend, 16, 42)?;

    let top = 70;
    let n = chart.categories.len().max(1);
    let max = nice_max(max_value(chart));
    if chart.horizontal {
        let label_width = chart
            .categories
            .iter()
            .map(|c| text_width(c, LABEL_PX))
            .fold(40.0, f64::max)
            .min(260.0) as u32
            + 16;
        let area = root.margin(top, 16, 8, 24);
        let mut cc = ChartBuilder::on(&area)
            .x_label_area_size(28)
            .y_label_area_size(label_width)
            .build_cartesian_2d(0f64..max, 0f64..n as f64)?;
        cc.configure_mesh()
            .disable_y_mesh()
            .disable_y_axis()
            .y_labels(0)
            .x_labels(6)
            .x_max_light_lines(0)
            .x_label_formatter(&|v| (chart.axis)(*v))
            .x_label_style(font(LABEL_PX).color(&palette::MUTED))
            .light_line_style(palette::GRID)
            .bold_line_style(palette::GRID)
            .axis_style(palette::GRID)
            .draw()?;
        let groups = chart.bars.len().max(1) as f64;
        for (si, series) in chart.bars.iter().enumerate() {
            cc.draw_series(series.values.iter().enumerate().filter_map(|(i, v)| {
                let v = (*v)?;
                // Category i is drawn top-down: row 0 at the top.
                let row = (n - 1 - i) as f64;
                let band = 0.76 / groups;
                let y1 = row + 0.88 - band * si as f64;
                let y0 = y1 - band * 0.9;
                Some(Rectangle::new(
                    [(0.0, y0), (v.max(0.0), y1)],
                    series.color.filled(),
                ))
            }))?;
        }
        for (i, label) in chart.categories.iter().enumerate() {
            let row = (n - 1 - i) as f64;
            let (px, py) = cc.backend_coord(&(0.0, row + 0.5));
            let style = font(LABEL_PX).pos(Pos::new(HPos::Right, VPos::Center));
            root.draw(&Text::new(label.clone(), (px - 8, py), style))?;
        }
        if let Some(reference) = &chart.reference {
            let top_px = cc.backend_coord(&(reference.value, n as f64));
            let bottom_px = cc.backend_coord(&(reference.value, 0.0));
            dashed(root, top_px, bottom_px)?;
            let style = font(LABEL_PX - 1.0).pos(Pos::new(HPos::Center, VPos::Bottom));
            root.draw(&Text::new(
                reference.label.clone(),
                (top_px.0, top_px.1 - 2),
                style,
            ))?;
        }
        if let Some(reference) = &chart.second_reference {
            let top_px = cc.backend_coord(&(reference.value, n as f64));
            let bottom_px = cc.backend_coord(&(reference.value, 0.0));
            dashed(root, top_px, bottom_px)?;
            let style = font(LABEL_PX - 1.0)
                .color(&palette::MUTED)
                .pos(Pos::new(HPos::Right, VPos::Bottom));
            root.draw(&Text::new(
                reference.label.clone(),
                (top_px.0 - 4, top_px.1 - 2),
                style,
            ))?;
        }
        let _ = height;
    } else {
        // Labels that do not fit their slot are written vertically under the axis.
        let slot = (WIDTH as f64 - 96.0) / n as f64;
        let widest = chart
            .categories
            .iter()
            .map(|c| text_width(c, LABEL_PX))
            .fold(0.0, f64::max);
        let rotate = widest > slot - 4.0;
        let label_area = if rotate {
            (widest + 16.0).min(150.0) as u32
        } else {
            30
        };
        let area = root.margin(top, 16, 8, 8);
        let mut cc = ChartBuilder::on(&area)
            .x_label_area_size(label_area)
            .y_label_area_size(64)
            .build_cartesian_2d(0f64..n as f64, 0f64..max)?;
        cc.configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(6)
            .y_max_light_lines(0)
            .y_label_formatter(&|v| (chart.axis)(*v))
            .y_label_style(font(LABEL_PX).color(&palette::MUTED))
            .light_line_style(palette::GRID)
            .bold_line_style(palette::GRID)
            .axis_style(palette::GRID)
            .draw()?;
        let groups = chart.bars.len().max(1) as f64;
        let band = 0.7 / groups;
        for (si, series) in chart.bars.iter().enumerate() {
            cc.draw_series(series.values.iter().enumerate().filter_map(|(i, v)| {
                let v = (*v)?;
                let x0 = i as f64 + 0.15 + band * si as f64;
                Some(Rectangle::new(
                    [(x0, 0.0), (x0 + band * 0.92, v.max(0.0))],
                    series.color.filled(),
                ))
            }))?;
        }
        if let Some(line) = &chart.line {
            let points: Vec<(f64, f64)> = line
                .values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| (i as f64 + 0.5, v.max(0.0))))
                .collect();
            cc.draw_series(LineSeries::new(points.clone(), line.color.stroke_width(2)))?;
            cc.draw_series(
                points
                    .iter()
                    .map(|&p| Circle::new(p, 4, line.color.filled())),
            )?;
            cc.draw_series(points.iter().map(|&p| Circle::new(p, 2, WHITE.filled())))?;
        }
        for (i, label) in chart.categories.iter().enumerate() {
            let (px, py) = cc.backend_coord(&(i as f64 + 0.5, 0.0));
            let style = if rotate {
                font(LABEL_PX)
                    .color(&palette::MUTED)
                    .pos(Pos::new(HPos::Right, VPos::Center))
                    .transform(FontTransform::Rotate270)
            } else {
                font(LABEL_PX)
                    .color(&palette::MUTED)
                    .pos(Pos::new(HPos::Center, VPos::Top))
            };
            root.draw(&Text::new(label.clone(), (px, py + 8), style))?;
        }
        if let Some(reference) = &chart.reference {
            let left = cc.backend_coord(&(0.0, reference.value));
            let right = cc.backend_coord(&(n as f64, reference.value));
            dashed(root, left, right)?;
            let style = font(LABEL_PX - 1.0).pos(Pos::new(HPos::Right, VPos::Bottom));
            root.draw(&Text::new(
                reference.label.clone(),
                (right.0, right.1 - 2),
                style,
            ))?;
        }
        if let Some(reference) = &chart.second_reference {
            let left = cc.backend_coord(&(0.0, reference.value));
            let right = cc.backend_coord(&(n as f64, reference.value));
            dashed(root, left, right)?;
            let style = font(LABEL_PX - 1.0)
                .color(&palette::MUTED)
                .pos(Pos::new(HPos::Left, VPos::Bottom));
            root.draw(&Text::new(
                reference.label.clone(),
                (left.0 + 4, left.1 - 2),
                style,
            ))?;
        }
    }
    Ok(())
}

/// Swatches and labels in a row; widths from [`text_width`], not plotters' estimate.
fn draw_legend(
    root: &Area,
    items: &[(&Series, bool)],
    x: i32,
    y: i32,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut cursor = x;
    for (series, is_line) in items {
        if *is_line {
            root.draw(&PathElement::new(
                vec![(cursor, y), (cursor + 16, y)],
                series.color.stroke_width(2),
            ))?;
            root.draw(&Circle::new((cursor + 8, y), 4, series.color.filled()))?;
            root.draw(&Circle::new((cursor + 8, y), 2, WHITE.filled()))?;
        } else {
            root.draw(&Rectangle::new(
                [(cursor, y - 6), (cursor + 16, y + 6)],
                series.color.filled(),
            ))?;
        }
        let style = font(LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center));
        root.draw(&Text::new(series.label.clone(), (cursor + 22, y), style))?;
        cursor += 22 + text_width(&series.label, LABEL_PX) as i32 + 20;
    }
    Ok(())
}

/// A round upper bound for an axis: 1, 2, 2.5 or 5 times a power of ten above `v`.
pub fn nice_max(v: f64) -> f64 {
    if !(v.is_finite()) || v <= 0.0 {
        return 1.0;
    }
    let target = v * 1.08;
    let exp = target.log10().floor();
    let base = 10f64.powf(exp);
    for m in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if m * base >= target {
            return m * base;
        }
    }
    10.0 * base
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scatter_of_many_points_labels_the_largest_shares_where_they_fit() {
        // 500 points along a diagonal, share 0.01 … 5.0: all 500 are drawn, and at most
        // 40 labels, only among the largest shares (P460 … P499) and only where they fit.
        let points: Vec<Point> = (0..500)
            .map(|i| Point {
                label: format!("P{i}"),
                x: f64::from(i + 1) / 100.0,
                y: f64::from(i + 1) / 10.0,
            })
            .collect();
        let axis = |v: f64| format!("{v}");
        let svg = scatter_chart(&ScatterChart {
            title: "t",
            points,
            x_label: "x".into(),
            y_label: "y".into(),
            x_line: None,
            y_line: None,
            x_line_label: None,
            y_line_label: None,
            x_axis: &axis,
            y_axis: &axis,
        });
        let label = |i: u32| format!("\nP{i}\n</text>");
        let labels = (0..500).filter(|&i| svg.contains(&label(i))).count();
        assert!((1..=40).contains(&labels), "{labels} labels");
        assert!((0..460).all(|i| !svg.contains(&label(i))));
        assert_eq!(svg.matches("<circle").count(), 500);
    }

    fn sample() -> String {
        bar_chart(&BarChart {
            title: "月度目标 Monthly",
            categories: vec!["1月".into(), "2月".into()],
            bars: vec![Series {
                label: "目标".into(),
                color: palette::TARGET,
                values: vec![Some(100.0), Some(80.0)],
            }],
            line: Some(Series {
                label: "实际".into(),
                color: palette::ACTUAL,
                values: vec![Some(90.0), None],
            }),
            horizontal: false,
            axis: &|v| format!("{v:.0}"),
            reference: None,
            second_reference: None,
        })
    }

    #[test]
    fn svg_is_hermetic_and_reproducible() {
        let a = sample();
        assert_eq!(a, sample(), "same input, same bytes");
        assert!(a.starts_with("<svg"));
        assert!(a.contains("Noto Sans CJK SC"), "Chinese fonts in the stack");
        assert!(a.contains("月度目标 Monthly"));
        assert!(!a.contains("NaN"));
    }

    #[test]
    fn cjk_text_is_measured_as_full_width() {
        assert_eq!(text_width("目标", 10.0), 20.0);
        assert!(text_width("Target", 10.0) < 40.0);
    }

    #[test]
    fn axis_maximum_is_round() {
        assert_eq!(nice_max(93.0), 120.0);
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(1_000_000.0), 1_200_000.0);
    }
}

/// The forecast chart: actual history, the forecast with its band, and monthly targets.
pub struct ForecastChart<'a> {
    pub title: &'a str,
    /// One label per month; an empty label draws no tick.
    pub categories: Vec<String>,
    pub actual: Series,
    pub forecast: Series,
    /// Lower and upper band per category (`None` outside the forecast).
    pub band: Vec<Option<(f64, f64)>>,
    pub band_label: String,
    pub targets: Option<Series>,
    pub axis: &'a dyn Fn(f64) -> String,
}

/// Draws a [`ForecastChart`].
pub fn forecast_chart(chart: &ForecastChart) -> String {
    render_svg(380, |root| draw_forecast(root, chart))
}

fn draw_forecast(root: &Area, chart: &ForecastChart) -> Result<(), Box<dyn std::error::Error>> {
    root.fill(&WHITE)?;
    root.draw(&Text::new(
        chart.title.to_string(),
        (16, 14),
        font(TITLE_PX),
    ))?;
    let band_series = Series {
        label: chart.band_label.clone(),
        color: RGBColor(214, 222, 235),
        values: Vec::new(),
    };
    let mut legend: Vec<(&Series, bool)> = vec![
        (&chart.actual, true),
        (&chart.forecast, true),
        (&band_series, false),
    ];
    if let Some(t) = &chart.targets {
        legend.push((t, true));
    }
    draw_legend(root, &legend, 16, 42)?;
    let n = chart.categories.len().max(1);
    let max = chart
        .actual
        .values
        .iter()
        .chain(&chart.forecast.values)
        .chain(chart.targets.iter().flat_map(|t| &t.values))
        .flatten()
        .copied()
        .chain(chart.band.iter().flatten().map(|b| b.1))
        .fold(0.0f64, f64::max);
    let area = root.margin(70, 16, 8, 8);
    let mut cc = ChartBuilder::on(&area)
        .x_label_area_size(30)
        .y_label_area_size(64)
        .build_cartesian_2d(0f64..n as f64, 0f64..nice_max(max))?;
    cc.configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .y_max_light_lines(0)
        .y_label_formatter(&|v| (chart.axis)(*v))
        .y_label_style(font(LABEL_PX).color(&palette::MUTED))
        .bold_line_style(palette::GRID)
        .axis_style(palette::GRID)
        .draw()?;
    // The band as a polygon around the forecast months.
    let band: Vec<(usize, (f64, f64))> = chart
        .band
        .iter()
        .enumerate()
        .filter_map(|(i, b)| b.map(|b| (i, b)))
        .collect();
    if band.len() >= 2 {
        let mut outline: Vec<(f64, f64)> =
            band.iter().map(|(i, b)| (*i as f64 + 0.5, b.1)).collect();
        outline.extend(
            band.iter()
                .rev()
                .map(|(i, b)| (*i as f64 + 0.5, b.0.max(0.0))),
        );
        cc.draw_series(std::iter::once(Polygon::new(
            outline,
            band_series.color.filled(),
        )))?;
    }
    // The monthly target as steps: one level across each month it covers.
    if let Some(targets) = &chart.targets {
        for (i, v) in targets.values.iter().enumerate() {
            let Some(v) = *v else { continue };
            let from = cc.backend_coord(&(i as f64, v.max(0.0)));
            let to = cc.backend_coord(&(i as f64 + 1.0, v.max(0.0)));
            root.draw(&PathElement::new(
                vec![from, to],
                targets.color.stroke_width(2),
            ))?;
            // Joined to the next month's level, so the steps read as one line.
            if let Some(Some(next)) = targets.values.get(i + 1) {
                let up = cc.backend_coord(&(i as f64 + 1.0, next.max(0.0)));
                root.draw(&PathElement::new(
                    vec![to, up],
                    targets.color.stroke_width(1),
                ))?;
            }
        }
    }
    for (series, dashed_line) in [(&chart.actual, false), (&chart.forecast, true)] {
        let points: Vec<(f64, f64)> = series
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i as f64 + 0.5, v.max(0.0))))
            .collect();
        if dashed_line {
            for pair in points.windows(2) {
                let a = cc.backend_coord(&pair[0]);
                let b = cc.backend_coord(&pair[1]);
                root.draw(&PathElement::new(vec![a, b], series.color.stroke_width(2)))?;
            }
            cc.draw_series(
                points
                    .iter()
                    .map(|&p| Circle::new(p, 3, series.color.filled())),
            )?;
        } else {
            cc.draw_series(LineSeries::new(points, series.color.stroke_width(2)))?;
        }
    }
    // Month labels where the caller gives one (an empty label is no tick), with a tick
    // mark under each.
    for (i, label) in chart.categories.iter().enumerate() {
        if label.is_empty() {
            continue;
        }
        let (px, py) = cc.backend_coord(&(i as f64 + 0.5, 0.0));
        root.draw(&PathElement::new(
            vec![(px, py), (px, py + 5)],
            palette::MUTED.stroke_width(1),
        ))?;
        let style = font(LABEL_PX - 1.0)
            .color(&palette::MUTED)
            .pos(Pos::new(HPos::Center, VPos::Top));
        root.draw(&Text::new(label.clone(), (px, py + 8), style))?;
    }
    Ok(())
}

/// One labelled point of a scatter chart.
#[derive(Debug, Clone)]
pub struct Point {
    pub label: String,
    pub x: f64,
    pub y: f64,
}

/// The most points a scatter labels (see [`scatter_chart`]).
const MAX_POINT_LABELS: usize = 40;

/// A labelled scatter with quadrant lines (growth-share).
pub struct ScatterChart<'a> {
    pub title: &'a str,
    pub points: Vec<Point>,
    pub x_label: String,
    pub y_label: String,
    pub x_line: Option<f64>,
    pub y_line: Option<f64>,
    /// What each reference line marks, written beside it.
    pub x_line_label: Option<String>,
    pub y_line_label: Option<String>,
    pub x_axis: &'a dyn Fn(f64) -> String,
    pub y_axis: &'a dyn Fn(f64) -> String,
}

/// Draws a [`ScatterChart`].
pub fn scatter_chart(chart: &ScatterChart) -> String {
    render_svg(420, |root| draw_scatter(root, chart))
}

fn draw_scatter(root: &Area, chart: &ScatterChart) -> Result<(), Box<dyn std::error::Error>> {
    root.fill(&WHITE)?;
    root.draw(&Text::new(
        chart.title.to_string(),
        (16, 14),
        font(TITLE_PX),
    ))?;
    let xs = chart.points.iter().map(|p| p.x).chain(chart.x_line);
    let ys: Vec<f64> = chart
        .points
        .iter()
        .map(|p| p.y)
        .chain(chart.y_line)
        .collect();
    let x_max = nice_max(xs.fold(0.0, f64::max));
    let (y_lo, y_hi) = ys
        .iter()
        .fold((0.0f64, 0.0f64), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let pad = ((y_hi - y_lo) * 0.15).max(0.05);
    // Room on the right for the last tick label, centred on the plot's edge.
    let area = root.margin(50, 24, 8, 24);
    let mut cc = ChartBuilder::on(&area)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(0f64..x_max, (y_lo - pad)..(y_hi + pad))?;
    cc.configure_mesh()
        .x_labels(6)
        .y_labels(6)
        .x_max_light_lines(0)
        .y_max_light_lines(0)
        .x_label_formatter(&|v| (chart.x_axis)(*v))
        .y_label_formatter(&|v| (chart.y_axis)(*v))
        .x_desc(chart.x_label.clone())
        .y_desc(chart.y_label.clone())
        .label_style(font(LABEL_PX).color(&palette::MUTED))
        .axis_desc_style(font(LABEL_PX).color(&palette::MUTED))
        .bold_line_style(palette::GRID)
        .axis_style(palette::GRID)
        .draw()?;
    // Reference lines, each labelled at its far end; lines and their labels are
    // obstacles the point labels keep off.
    let (left, bottom) = cc.backend_coord(&(0.0, y_lo - pad));
    let (right, top) = cc.backend_coord(&(x_max, y_hi + pad));
    let height = LABEL_PX + 4.0;
    let mut obstacles = Vec::new();
    let muted = font(LABEL_PX).color(&palette::MUTED);
    if let Some(x) = chart.x_line {
        let (px, _) = cc.backend_coord(&(x, 0.0));
        dashed(root, (px, top), (px, bottom))?;
        obstacles.push(labels::Rect {
            x0: px as f64 - 2.0,
            y0: top as f64,
            x1: px as f64 + 2.0,
            y1: bottom as f64,
        });
        if let Some(text) = &chart.x_line_label {
            let w = text_width(text, LABEL_PX);
            // Right of the line at the top, or left of it when it would leave the plot.
            let x0 = if px as f64 + 4.0 + w < right as f64 {
                px as f64 + 4.0
            } else {
                px as f64 - 4.0 - w
            };
            let rect = labels::Rect {
                x0,
                y0: top as f64,
                x1: x0 + w,
                y1: top as f64 + height,
            };
            root.draw(&Text::new(
                text.clone(),
                (x0 as i32, (rect.y0 + height / 2.0) as i32),
                muted.pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
            obstacles.push(rect);
        }
    }
    if let Some(y) = chart.y_line {
        let (_, py) = cc.backend_coord(&(0.0, y));
        dashed(root, (left, py), (right, py))?;
        obstacles.push(labels::Rect {
            x0: left as f64,
            y0: py as f64 - 2.0,
            x1: right as f64,
            y1: py as f64 + 2.0,
        });
        if let Some(text) = &chart.y_line_label {
            let w = text_width(text, LABEL_PX);
            let rect = labels::Rect {
                x0: right as f64 - w,
                y0: py as f64 - 3.0 - height,
                x1: right as f64,
                y1: py as f64 - 3.0,
            };
            root.draw(&Text::new(
                text.clone(),
                (right, (rect.y0 + height / 2.0) as i32),
                muted.pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
            obstacles.push(rect);
        }
    }
    let points: Vec<labels::Label> = chart
        .points
        .iter()
        .map(|p| {
            let (px, py) = cc.backend_coord(&(p.x, p.y));
            labels::Label {
                x: px as f64,
                y: py as f64,
                width: text_width(&p.label, LABEL_PX),
                height,
            }
        })
        .collect();
    // Past a legible number of labels, the points furthest right (the largest share) keep
    // theirs, and only where one fits without overlapping; the others stay markers the
    // labels avoid (the table beside lists them all).
    let crowded_chart = points.len() > MAX_POINT_LABELS;
    let labelled: Vec<bool> = if !crowded_chart {
        vec![true; points.len()]
    } else {
        let mut order: Vec<usize> = (0..points.len()).collect();
        order.sort_by(|&a, &b| {
            chart.points[b]
                .x
                .total_cmp(&chart.points[a].x)
                .then(a.cmp(&b))
        });
        let mut keep = vec![false; points.len()];
        for &i in &order[..MAX_POINT_LABELS] {
            keep[i] = true;
        }
        keep
    };
    for (label, _) in points.iter().zip(&labelled).filter(|(_, keep)| !**keep) {
        obstacles.push(labels::marker(label));
    }
    let to_place: Vec<labels::Label> = points
        .iter()
        .zip(&labelled)
        .filter(|(_, keep)| **keep)
        .map(|(l, _)| *l)
        .collect();
    let bounds = labels::Rect {
        x0: left as f64,
        y0: top as f64,
        x1: WIDTH as f64 - 4.0,
        y1: bottom as f64,
    };
    let mut placements = labels::place(&to_place, &obstacles, bounds).into_iter();
    for ((p, label), keep) in chart.points.iter().zip(&points).zip(&labelled) {
        let place = if *keep { placements.next() } else { None }
            .filter(|place| !(crowded_chart && place.crowded));
        if let Some((from, to)) = place.as_ref().and_then(|place| place.leader) {
            root.draw(&PathElement::new(
                vec![(from.0 as i32, from.1 as i32), (to.0 as i32, to.1 as i32)],
                palette::MUTED.stroke_width(1),
            ))?;
        }
        root.draw(&Circle::new(
            (label.x as i32, label.y as i32),
            5,
            palette::TARGET.filled(),
        ))?;
        if let Some(place) = place {
            let r = place.rect;
            root.draw(&Text::new(
                p.label.clone(),
                (r.x0 as i32, ((r.y0 + r.y1) / 2.0) as i32),
                font(LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
    }
    Ok(())
}
