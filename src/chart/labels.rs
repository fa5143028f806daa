//! Places point labels so that they overlap neither each other, nor the points, nor the
//! reference lines, nor the plot's edges: each label tries positions around its point,
//! nearest first, and takes the first free one; a label pushed away from its point gets a
//! leader line back to it.

/// A rectangle in pixels, `x0 < x1`, `y0 < y1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    fn overlaps(&self, other: &Rect) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    fn inside(&self, bounds: &Rect) -> bool {
        self.x0 >= bounds.x0 && self.x1 <= bounds.x1 && self.y0 >= bounds.y0 && self.y1 <= bounds.y1
    }
}

/// Where one label goes: its box, whether its text starts at the box's left edge, and,
/// when it sits away from its point, the leader line's two ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub rect: Rect,
    /// No free position was left: the box overlaps something.
    pub crowded: bool,
    pub leader: Option<((f64, f64), (f64, f64))>,
}

/// A point to label: its position and its label's size.
#[derive(Debug, Clone, Copy)]
pub struct Label {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// Gap between a point and its label, and the marker's radius, in pixels.
const GAP: f64 = 8.0;
const MARKER: f64 = 6.0;

/// Places every label; `obstacles` are what labels must not cover besides each other and
/// the points (reference lines as thin rectangles, their own labels), `bounds` the plot.
/// Labels are placed in the order given; a label with no free position takes the one that
/// overlaps least.
pub fn place(labels: &[Label], obstacles: &[Rect], bounds: Rect) -> Vec<Placement> {
    let markers: Vec<Rect> = labels.iter().map(marker).collect();
    // Markers, obstacles and placed labels, in a grid: a candidate is checked against
    // what lies near it, not against every rectangle (thousands on a wide plan).
    let mut taken = Grid::default();
    for rect in markers.iter().chain(obstacles) {
        taken.insert(*rect);
    }
    let mut out = Vec::with_capacity(labels.len());
    for label in labels {
        let candidates = candidates(label);
        let mut cost =
            |rect: &Rect| taken.overlapping(rect) + usize::from(!rect.inside(&bounds)) * 100;
        let (index, rect, crowded) = candidates
            .iter()
            .map(|r| (*r, cost(r)))
            .enumerate()
            // The first free candidate, else the least crowded (earliest on ties).
            .min_by_key(|(i, (_, c))| (*c, *i))
            .map(|(i, (r, c))| (i, r, c > 0))
            .expect("there are always candidates");
        taken.insert(rect);
        out.push(Placement {
            rect,
            crowded,
            // Beside, above or below its point a label needs no leader; further out it
            // could be read as a neighbour's.
            leader: (index >= ADJACENT).then(|| leader(label, &rect)),
        });
    }
    out
}

/// The box a label must keep off: its point's marker.
pub fn marker(l: &Label) -> Rect {
    Rect {
        x0: l.x - MARKER,
        y0: l.y - MARKER,
        x1: l.x + MARKER,
        y1: l.y + MARKER,
    }
}

/// Rectangles filed by the grid squares they touch.
#[derive(Default)]
struct Grid {
    rects: Vec<Rect>,
    squares: std::collections::HashMap<(i32, i32), Vec<u32>>,
    /// Per rectangle, the query that counted it last (each is counted once per query).
    seen: Vec<u32>,
    query: u32,
}

/// The side of a grid square, in pixels: about a label's size.
const SQUARE: f64 = 64.0;

impl Grid {
    fn squares_of(rect: &Rect) -> impl Iterator<Item = (i32, i32)> {
        // Clamped far outside any chart, so a stray coordinate cannot make a huge range.
        let at = |v: f64| ((v / SQUARE).floor() as i32).clamp(-1_000, 1_000);
        let (x0, x1, y0, y1) = (at(rect.x0), at(rect.x1), at(rect.y0), at(rect.y1));
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    fn insert(&mut self, rect: Rect) {
        let id = self.rects.len() as u32;
        self.rects.push(rect);
        self.seen.push(u32::MAX);
        for square in Self::squares_of(&rect) {
            self.squares.entry(square).or_default().push(id);
        }
    }

    /// How many rectangles overlap `rect`.
    fn overlapping(&mut self, rect: &Rect) -> usize {
        self.query += 1;
        let mut hits = 0;
        for square in Self::squares_of(rect) {
            for &id in self.squares.get(&square).into_iter().flatten() {
                let i = id as usize;
                if self.seen[i] != self.query {
                    self.seen[i] = self.query;
                    hits += usize::from(self.rects[i].overlaps(rect));
                }
            }
        }
        hits
    }
}

/// Positions around a point, nearest first: right, left, above, below, then the same
/// sides one and two label heights further out, then diagonals.
fn candidates(l: &Label) -> Vec<Rect> {
    let at = |x0: f64, yc: f64| Rect {
        x0,
        y0: yc - l.height / 2.0,
        x1: x0 + l.width,
        y1: yc + l.height / 2.0,
    };
    let right = l.x + GAP;
    let left = l.x - GAP - l.width;
    let centred = l.x - l.width / 2.0;
    let mut out = vec![
        at(right, l.y),
        at(left, l.y),
        at(centred, l.y - GAP - l.height / 2.0 - 2.0),
        at(centred, l.y + GAP + l.height / 2.0 + 2.0),
    ];
    for step in [1.0, 2.0, 3.0] {
        let dy = step * (l.height + 2.0);
        out.extend([
            at(right, l.y - dy),
            at(right, l.y + dy),
            at(left, l.y - dy),
            at(left, l.y + dy),
            at(centred, l.y - GAP - l.height / 2.0 - dy),
            at(centred, l.y + GAP + l.height / 2.0 + dy),
        ]);
    }
    out
}

/// The candidates right next to the point (right, left, above, below).
const ADJACENT: usize = 4;

/// A leader line from the point to the nearest edge of its label.
fn leader(l: &Label, rect: &Rect) -> ((f64, f64), (f64, f64)) {
    (
        (l.x, l.y),
        (l.x.clamp(rect.x0, rect.x1), l.y.clamp(rect.y0, rect.y1)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDS: Rect = Rect {
        x0: 0.0,
        y0: 0.0,
        x1: 700.0,
        y1: 400.0,
    };

    fn label(x: f64, y: f64) -> Label {
        Label {
            x,
            y,
            width: 110.0,
            height: 14.0,
        }
    }

    fn overlapping_pairs(p: &[Placement]) -> usize {
        let mut n = 0;
        for i in 0..p.len() {
            for j in i + 1..p.len() {
                n += usize::from(p[i].rect.overlaps(&p[j].rect));
            }
        }
        n
    }

    #[test]
    fn a_lone_label_sits_right_of_its_point_without_a_leader() {
        let p = place(&[label(100.0, 100.0)], &[], BOUNDS);
        assert_eq!(p[0].rect.x0, 108.0);
        assert_eq!(p[0].leader, None);
    }

    #[test]
    fn two_points_a_pixel_apart_get_separate_labels() {
        // Two product lines 0.1 % apart in share and growth land about a pixel apart.
        let p = place(&[label(300.0, 200.0), label(300.7, 200.5)], &[], BOUNDS);
        assert_eq!(overlapping_pairs(&p), 0);
        // The second is pushed off the first's place: to the left of the points.
        assert!(p[1].rect.x1 <= 300.7 - GAP + 1e-9, "{:?}", p[1]);
    }

    #[test]
    fn a_crowd_of_labels_never_overlaps() {
        let labels: Vec<Label> = (0..6).map(|i| label(300.0 + i as f64, 200.0)).collect();
        let p = place(&labels, &[], BOUNDS);
        assert_eq!(overlapping_pairs(&p), 0);
        // Those pushed away from their point are joined to it by a leader line.
        assert!(p.iter().any(|p| p.leader.is_some()));
    }

    #[test]
    fn labels_keep_off_reference_lines_and_inside_the_plot() {
        // A horizontal reference line through the point and the right edge close by.
        let line = Rect {
            x0: 0.0,
            y0: 199.0,
            x1: 700.0,
            y1: 201.0,
        };
        let p = place(&[label(650.0, 200.0)], &[line], BOUNDS);
        assert!(!p[0].rect.overlaps(&line), "{:?}", p[0]);
        assert!(p[0].rect.inside(&BOUNDS), "{:?}", p[0]);
    }
}
