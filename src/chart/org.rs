//! The organisation chart as a hand-built SVG: the head at the top, the first reporting
//! line in a row below, and each of their teams stacked under them, so a tree of ~40 boxes
//! stays readable at A4 width.

use std::fmt::Write as _;

use super::{escape_xml as escape, hex, palette, text_width, FONT};

/// A box of the chart: a title line (the role), an optional second line (name or count),
/// and the boxes below it.
#[derive(Debug, Clone)]
pub struct OrgBox {
    pub title: String,
    pub subtitle: Option<String>,
    pub children: Vec<OrgBox>,
}

const BOX_W: f64 = 156.0;
const BOX_H: f64 = 58.0;
const GAP_X: f64 = 14.0;
const LEVEL_GAP: f64 = 34.0;
const STACK_GAP: f64 = 10.0;
const INDENT: f64 = 18.0;
const TITLE_PX: f64 = 12.0;
const SUB_PX: f64 = 11.0;
const MARGIN: f64 = 16.0;

/// Draws the chart; `title` is written above it.
pub fn org_chart(root: &OrgBox, title: &str) -> String {
    // Up to five teams sit in one row; more wrap into rows of four on a fixed grid, so the
    // chart stays narrow enough to print legibly at A4 width. The trunk from the head runs
    // down the gap between the two middle columns to every row.
    let teams = root.children.len();
    let per_row = if teams <= 5 { teams.max(1) } else { 4 };
    let width = (MARGIN * 2.0 + per_row as f64 * BOX_W + (per_row as f64 - 1.0) * GAP_X)
        .max(BOX_W + 2.0 * MARGIN + 200.0);
    let grid_left = (width - (per_row as f64 * BOX_W + (per_row as f64 - 1.0) * GAP_X)) / 2.0;
    let top = 44.0;
    let column_height = |node: &OrgBox| BOX_H + stacked_height(&node.children);
    let rows: Vec<&[OrgBox]> = root.children.chunks(per_row).collect();
    let row_heights: Vec<f64> = rows
        .iter()
        .map(|r| r.iter().map(column_height).fold(0.0, f64::max))
        .collect();
    let height = top + BOX_H + row_heights.iter().map(|h| LEVEL_GAP + h).sum::<f64>() + MARGIN;

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg width="{w}" height="{h}" viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg" font-family="{FONT}">"#,
        w = width.round(),
        h = height.round()
    );
    let _ = write!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = write!(
        svg,
        r#"<text x="{MARGIN}" y="26" font-size="16" fill="{}">{}</text>"#,
        hex(palette::TEXT),
        escape(title)
    );
    let trunk_x = width / 2.0;
    draw_box(&mut svg, root, trunk_x - BOX_W / 2.0, top, true);
    let mut row_top = top + BOX_H + LEVEL_GAP;
    let mut trunk_from = top + BOX_H;
    for (row, row_height) in rows.iter().zip(&row_heights) {
        let bus_y = row_top - LEVEL_GAP / 2.0;
        let x_of = |i: usize| grid_left + i as f64 * (BOX_W + GAP_X);
        // A single short row is centred under the head; wrapped rows keep the grid.
        let offset = if rows.len() == 1 {
            (per_row - row.len()) as f64 * (BOX_W + GAP_X) / 2.0
        } else {
            0.0
        };
        let centers: Vec<f64> = (0..row.len())
            .map(|i| offset + x_of(i) + BOX_W / 2.0)
            .collect();
        line(&mut svg, trunk_x, trunk_from, trunk_x, bus_y);
        let left = centers.iter().copied().fold(trunk_x, f64::min);
        let right = centers.iter().copied().fold(trunk_x, f64::max);
        line(&mut svg, left, bus_y, right, bus_y);
        for (i, child) in row.iter().enumerate() {
            let x = offset + x_of(i);
            line(&mut svg, centers[i], bus_y, centers[i], row_top);
            draw_box(&mut svg, child, x, row_top, false);
            draw_stack(&mut svg, &child.children, x, row_top + BOX_H, 1);
        }
        trunk_from = bus_y;
        row_top += row_height + LEVEL_GAP;
    }
    svg.push_str("</svg>\n");
    svg
}

/// Height taken by a stacked list of boxes and their own stacked children.
fn stacked_height(nodes: &[OrgBox]) -> f64 {
    nodes
        .iter()
        .map(|n| STACK_GAP + BOX_H + stacked_height(&n.children))
        .sum()
}

/// Draws `nodes` one under another, indented from their parent at `parent_x`, with an
/// elbow connector from the parent's left edge. Returns the y below the last one.
fn draw_stack(svg: &mut String, nodes: &[OrgBox], parent_x: f64, mut y: f64, depth: usize) -> f64 {
    let x = parent_x + INDENT;
    let spine_x = parent_x + INDENT / 2.0;
    let spine_top = y;
    let mut last_mid = None;
    for node in nodes {
        y += STACK_GAP;
        let mid = y + BOX_H / 2.0;
        line(svg, spine_x, mid, x, mid);
        draw_box_width(svg, node, x, y, BOX_W - INDENT * depth as f64, false);
        last_mid = Some(mid);
        y = draw_stack(svg, &node.children, x, y + BOX_H, depth + 1);
    }
    if let Some(mid) = last_mid {
        line(svg, spine_x, spine_top, spine_x, mid);
    }
    y
}

fn draw_box(svg: &mut String, node: &OrgBox, x: f64, y: f64, head: bool) {
    draw_box_width(svg, node, x, y, BOX_W, head);
}

fn draw_box_width(svg: &mut String, node: &OrgBox, x: f64, y: f64, w: f64, head: bool) {
    let (fill, stroke, text) = if head {
        (
            hex(palette::TARGET),
            hex(palette::TARGET),
            "white".to_string(),
        )
    } else {
        (
            "#f5f6f8".to_string(),
            hex(palette::BASELINE),
            hex(palette::TEXT),
        )
    };
    let _ = write!(
        svg,
        r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{BOX_H}" rx="4" fill="{fill}" stroke="{stroke}"/>"#
    );
    let inner = w - 12.0;
    // The title takes up to two lines; the subtitle one line under it.
    let title_lines = wrap(&node.title, TITLE_PX * 1.05, inner, 2);
    let count = title_lines.len() + usize::from(node.subtitle.is_some());
    let line_h = 14.0;
    let mut baseline = y + (BOX_H - line_h * count as f64) / 2.0 + 11.0;
    for line in &title_lines {
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{baseline:.1}" font-size="{TITLE_PX}" font-weight="bold" fill="{text}">{}</text>"#,
            x + 6.0,
            escape(line)
        );
        baseline += line_h;
    }
    if let Some(sub) = &node.subtitle {
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{baseline:.1}" font-size="{SUB_PX}" fill="{text}">{}</text>"#,
            x + 6.0,
            escape(&fit(sub, SUB_PX, inner))
        );
    }
}

fn line(svg: &mut String, x1: f64, y1: f64, x2: f64, y2: f64) {
    let _ = write!(
        svg,
        r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{}" stroke-width="1.2"/>"#,
        hex(palette::MUTED)
    );
}

/// Breaks `text` into at most `max_lines` lines that fit `max` (at spaces, or between CJK
/// characters); the last line is shortened with an ellipsis if needed.
fn wrap(text: &str, px: f64, max: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    // Tokens: words with their following space, or single CJK characters.
    let mut tokens: Vec<String> = Vec::new();
    for c in text.chars() {
        let cjk = (c as u32) >= 0x2E80;
        match tokens.last_mut() {
            Some(last)
                if !cjk && !last.ends_with(' ') && !last.chars().any(|l| (l as u32) >= 0x2E80) =>
            {
                last.push(c)
            }
            _ => tokens.push(c.to_string()),
        }
    }
    for token in tokens {
        let candidate = format!("{current}{token}");
        if text_width(candidate.trim_end(), px) <= max || current.is_empty() {
            current = candidate;
        } else {
            lines.push(current.trim_end().to_string());
            current = token.trim_start().to_string();
        }
    }
    if !current.trim().is_empty() {
        lines.push(current.trim_end().to_string());
    }
    if lines.len() > max_lines {
        let rest = lines[max_lines - 1..].join(" ");
        lines.truncate(max_lines - 1);
        lines.push(rest);
    }
    if let Some(last) = lines.last_mut() {
        *last = fit(last, px, max);
    }
    lines
}

/// Shortens `text` with an ellipsis until its estimated width fits `max`.
fn fit(text: &str, px: f64, max: f64) -> String {
    if text_width(text, px) <= max {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty()
        && text_width(&format!("{}…", chars.iter().collect::<String>()), px) > max
    {
        chars.pop();
    }
    format!("{}…", chars.iter().collect::<String>().trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(title: &str) -> OrgBox {
        OrgBox {
            title: title.into(),
            subtitle: None,
            children: Vec::new(),
        }
    }

    #[test]
    fn boxes_and_connectors_for_every_node() {
        let tree = OrgBox {
            title: "Sales Director".into(),
            subtitle: Some("Liu Yang".into()),
            children: vec![
                OrgBox {
                    title: "Manager East".into(),
                    subtitle: None,
                    children: vec![leaf("Rep ×5"), leaf("Assistant")],
                },
                leaf("Ops <b> & co"),
            ],
        };
        let svg = org_chart(&tree, "组织架构 Organisation");
        assert_eq!(
            svg.matches("<rect").count(),
            1 + 5,
            "background + one box per node"
        );
        assert!(svg.contains("Ops &lt;b&gt; &amp; co"), "text is escaped");
        assert!(svg.contains("组织架构"));
        assert_eq!(
            svg,
            org_chart(&tree, "组织架构 Organisation"),
            "reproducible"
        );
    }

    #[test]
    fn forty_boxes_stay_narrow_enough_for_a4() {
        // 1 head, 8 teams, 4 roles each = 41 boxes. Eight teams wrap into two rows of four:
        // width 2 × 16 + 4 × 156 + 3 × 14 = 698 px, so printed 180 mm wide a 12 px title is
        // about 9 pt; the height stays under the width × 1.3 of an A4 text block.
        let team = |t: usize| OrgBox {
            title: format!("Regional Manager {t}"),
            subtitle: Some("Name".into()),
            children: (0..4).map(|r| leaf(&format!("Role {r}"))).collect(),
        };
        let tree = OrgBox {
            title: "Sales Director".into(),
            subtitle: None,
            children: (0..8).map(team).collect(),
        };
        let svg = org_chart(&tree, "Organisation");
        assert_eq!(svg.matches("<rect").count(), 1 + 41);
        assert!(
            svg.starts_with(r#"<svg width="698" height="#),
            "{}",
            &svg[..60]
        );
        let height: f64 = svg
            .split("height=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(height < 698.0 * 1.3, "height {height}");
    }

    #[test]
    fn titles_wrap_onto_two_lines() {
        assert_eq!(
            wrap("Regional Manager South", 12.6, 144.0, 2),
            ["Regional Manager", "South"]
        );
        assert_eq!(wrap("Sales Director", 12.6, 144.0, 2), ["Sales Director"]);
        let lines = wrap(
            "Regional Sales Manager for Central and Western China",
            12.6,
            144.0,
            2,
        );
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert_eq!(
            wrap("华东区域销售经理兼渠道负责人", 12.0, 100.0, 2).len(),
            2
        );
    }

    #[test]
    fn long_titles_are_shortened_to_fit() {
        let text = fit(
            "Regional Sales Manager for Central and Western China",
            12.0,
            140.0,
        );
        assert!(text.ends_with('…'));
        assert!(text_width(&text, 12.0) <= 140.0);
    }
}
