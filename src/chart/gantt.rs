//! The promotion calendar as a hand-built Gantt chart over the fiscal year: one row per
//! promotion, bars by status (filled when done, outlined and hatched when planned, so the
//! status reads in black and white too), holidays named, and a line at as_of.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{escape_xml as escape, hex, palette, text_width, FONT};

/// One promotion on the calendar.
#[derive(Debug, Clone)]
pub struct GanttRow {
    pub label: String,
    pub note: Option<String>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub status: GanttStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GanttStatus {
    Done,
    Running,
    Planned,
}

/// The calendar's frame: the fiscal year, month labels, the as_of marker and legend words.
pub struct GanttFrame<'a> {
    pub title: &'a str,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Label and first day of each month on the axis.
    pub months: Vec<(String, NaiveDate)>,
    pub as_of: NaiveDate,
    pub as_of_label: String,
    /// Legend labels for done, running, planned.
    pub legend: [String; 3],
}

const WIDTH: f64 = 760.0;
const ROW_H: f64 = 26.0;
const PX: f64 = 12.0;

pub fn gantt(frame: &GanttFrame, rows: &[GanttRow]) -> String {
    let label_w = rows
        .iter()
        .map(|r| text_width(&r.label, PX))
        .fold(80.0, f64::max)
        .min(220.0)
        + 16.0;
    let left = 16.0 + label_w;
    let right = WIDTH - 16.0;
    let top = 72.0;
    let height = top + ROW_H * rows.len().max(1) as f64 + 36.0;
    let span = (frame.to - frame.from).num_days().max(1) as f64 + 1.0;
    let x = |d: NaiveDate| {
        left + (right - left) * ((d - frame.from).num_days() as f64).clamp(0.0, span) / span
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg width="{WIDTH}" height="{h}" viewBox="0 0 {WIDTH} {h}" xmlns="http://www.w3.org/2000/svg" font-family="{FONT}">"#,
        h = height.round()
    );
    let _ = write!(
        svg,
        r##"<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="{}" stroke-width="2"/></pattern></defs>"##,
        hex(palette::BASELINE)
    );
    let _ = write!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = write!(
        svg,
        r#"<text x="16" y="26" font-size="16" fill="{}">{}</text>"#,
        hex(palette::TEXT),
        escape(frame.title)
    );
    // Legend.
    let mut lx = 16.0;
    for (i, label) in frame.legend.iter().enumerate() {
        let status = [
            GanttStatus::Done,
            GanttStatus::Running,
            GanttStatus::Planned,
        ][i];
        bar(&mut svg, lx, 40.0, 16.0, 12.0, status);
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="50" font-size="{PX}" fill="{}">{}</text>"#,
            lx + 22.0,
            hex(palette::TEXT),
            escape(label)
        );
        lx += 22.0 + text_width(label, PX) + 20.0;
    }
    // Month grid and labels.
    for (label, day) in &frame.months {
        let mx = x(*day);
        let _ = write!(
            svg,
            r#"<line x1="{mx:.1}" y1="{top:.1}" x2="{mx:.1}" y2="{:.1}" stroke="{}" stroke-width="1"/>"#,
            height - 30.0,
            hex(palette::GRID)
        );
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" font-size="11" fill="{}">{}</text>"#,
            mx + 3.0,
            height - 16.0,
            hex(palette::MUTED),
            escape(label)
        );
    }
    for (i, row) in rows.iter().enumerate() {
        let y = top + ROW_H * i as f64;
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" font-size="{PX}" text-anchor="end" fill="{}">{}</text>"#,
            left - 8.0,
            y + 17.0,
            hex(palette::TEXT),
            escape(&row.label)
        );
        if row.end < frame.from || row.start > frame.to {
            continue;
        }
        let (x0, x1) = (x(row.start), x(row.end + chrono::Duration::days(1)));
        let width = (x1 - x0).max(3.0);
        bar(&mut svg, x0, y + 6.0, width, ROW_H - 12.0, row.status);
        if let Some(note) = &row.note {
            // The holiday, after the bar when it fits, else before it.
            let (tx, anchor) = if x0 + width + 6.0 + text_width(note, 11.0) < right {
                (x0 + width + 6.0, "start")
            } else {
                (x0 - 6.0, "end")
            };
            let _ = write!(
                svg,
                r#"<text x="{tx:.1}" y="{:.1}" font-size="11" text-anchor="{anchor}" fill="{}">{}</text>"#,
                y + 17.0,
                hex(palette::MUTED),
                escape(note)
            );
        }
    }
    if frame.as_of >= frame.from && frame.as_of <= frame.to {
        let ax = x(frame.as_of + chrono::Duration::days(1));
        let _ = write!(
            svg,
            r#"<line x1="{ax:.1}" y1="{:.1}" x2="{ax:.1}" y2="{:.1}" stroke="{}" stroke-width="1.5" stroke-dasharray="4 3"/>"#,
            top - 6.0,
            height - 30.0,
            hex(palette::TEXT)
        );
        let _ = write!(
            svg,
            r#"<text x="{ax:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="{}">{}</text>"#,
            top - 10.0,
            hex(palette::TEXT),
            escape(&frame.as_of_label)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

fn bar(svg: &mut String, x: f64, y: f64, w: f64, h: f64, status: GanttStatus) {
    let _ = match status {
        GanttStatus::Done => write!(
            svg,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="2" fill="{}"/>"#,
            hex(palette::TARGET)
        ),
        GanttStatus::Running => write!(
            svg,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="2" fill="{}" stroke="{}" stroke-width="1.5"/>"#,
            hex(palette::ACTUAL),
            hex(palette::TEXT)
        ),
        GanttStatus::Planned => write!(
            svg,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="2" fill="url(#hatch)" stroke="{}" stroke-width="1"/>"#,
            hex(palette::MUTED)
        ),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn one_bar_per_promotion_and_the_as_of_line() {
        let frame = GanttFrame {
            title: "Promotions",
            from: d("2027-01-01"),
            to: d("2027-12-31"),
            months: vec![
                ("Jan".into(), d("2027-01-01")),
                ("Feb".into(), d("2027-02-01")),
            ],
            as_of: d("2027-03-31"),
            as_of_label: "31 Mar".into(),
            legend: ["done".into(), "running".into(), "planned".into()],
        };
        let rows = vec![
            GanttRow {
                label: "Spring & <more>".into(),
                note: Some("Spring Festival".into()),
                start: d("2027-01-28"),
                end: d("2027-02-10"),
                status: GanttStatus::Done,
            },
            GanttRow {
                label: "Double 11".into(),
                note: None,
                start: d("2027-11-01"),
                end: d("2027-11-11"),
                status: GanttStatus::Planned,
            },
        ];
        let svg = gantt(&frame, &rows);
        // Background, three legend swatches, two bars.
        assert_eq!(svg.matches("<rect").count(), 1 + 3 + 2);
        assert!(svg.contains("Spring &amp; &lt;more&gt;"));
        assert!(svg.contains("stroke-dasharray"), "as_of line");
        assert!(
            svg.contains("url(#hatch)"),
            "planned bars are hatched for black and white"
        );
    }
}
