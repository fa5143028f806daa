//! Revenue at the grain the chapters' windows are cut at — by product line × region ×
//! channel ([`Revenue`]: dense per segment while the combinations are few, sparse past a
//! budget), and by rep (sparse cells: one entry per (segment, rep) that occurs) — so
//! memory follows the segments and cells in the data, not days × every combination, and
//! a row costs the same in any order. A segment is a run of days no window of the plan cuts through:
//! every calendar month, split at the dates the windows start or end inside it ([`Segments`],
//! given before the pass). Every query names a window; one that does not fall on segment
//! bounds is a programming error, and is refused rather than answered at a coarser grain.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};

use super::cells::MoneyCells;
use super::grid::Grid;
use super::revenue::{Revenue, SortedCells};
use crate::money::Money;
use crate::period::DateRange;

/// Revenue of one segment (given by its first day), product line, region and channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DayKey {
    /// The first day of the segment.
    pub date: NaiveDate,
    pub product_line: u32,
    pub region: u32,
    pub channel: u32,
}

/// One rep's segment: revenue, and margin (amount − cost) over the rows that carry a cost.
#[derive(Debug, Default, Clone, Copy)]
pub struct RepDay {
    pub revenue: Money,
    pub margin: Money,
}

/// Where the days are cut into segments: the first day of every month, and the dates
/// given (each the first day of a segment).
#[derive(Debug, Default, Clone)]
pub struct Segments {
    /// Days from the common era of the cuts that are not a month's first day, sorted.
    cuts: Vec<i32>,
}

impl Segments {
    pub fn new(cuts: &[NaiveDate]) -> Self {
        let mut cuts: Vec<i32> = cuts
            .iter()
            .filter(|d| d.day() != 1)
            .map(|d| d.num_days_from_ce())
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        Segments { cuts }
    }

    /// The first day of `date`'s segment, as days from the common era.
    #[inline]
    fn start(&self, date: NaiveDate) -> i32 {
        let day = date.num_days_from_ce();
        let month_start = day - (date.day() as i32 - 1);
        let after = self.cuts.partition_point(|&c| c <= day);
        match after.checked_sub(1).map(|i| self.cuts[i]) {
            Some(cut) if cut > month_start => cut,
            _ => month_start,
        }
    }

    /// Whether a segment starts on `date`.
    fn starts_on(&self, date: NaiveDate) -> bool {
        date.day() == 1 || self.cuts.binary_search(&date.num_days_from_ce()).is_ok()
    }

    /// Refuses a window that cuts through a segment (see the module documentation).
    pub fn check(&self, range: DateRange) {
        let end = range.to.succ_opt();
        assert!(
            self.starts_on(range.from) && end.is_none_or(|d| self.starts_on(d)),
            "internal error: the window {} – {} was not given to the data pass as a cut \
             (src/as_of.rs, day_cuts)",
            range.from,
            range.to
        );
    }
}

fn date_of(day: u32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day as i32).expect("a day read from a date")
}

/// Segment-grain sales (see the module documentation).
#[derive(Debug, Default)]
pub struct Daily {
    segments: Segments,
    /// By segment start, product line, region and channel.
    revenue: Revenue,
    /// By segment start and rep: revenue and margin.
    reps: RepCells,
    /// Every cell sorted by key (segment first), built on the first query.
    sorted: OnceLock<SortedCells>,
}

impl Daily {
    pub fn new(segments: Segments) -> Self {
        Daily {
            segments,
            ..Daily::default()
        }
    }

    /// Adds a row: its amount to its cell, and to its rep's segment (with the margin when
    /// the row carries a cost).
    #[inline]
    pub fn add(&mut self, key: DayKey, amount: Money, rep: Option<(u32, Option<Money>)>) {
        let segment = self.segments.start(key.date) as u32;
        self.revenue
            .add([segment, key.product_line, key.region, key.channel], amount);
        if let Some((rep, cost)) = rep {
            let margin = cost.map_or(Money::ZERO, |cost| amount - cost);
            self.reps.add([segment, rep], [amount, margin]);
        }
    }

    /// Refuses a window that cuts through a segment.
    pub fn check(&self, range: DateRange) {
        self.segments.check(range);
    }

    /// Calls `f` with every cell inside `range` (a window given to the pass as cuts), sorted
    /// by segment, product line, region and channel. The cells are laid out for this
    /// once, on the first query.
    #[inline]
    pub fn for_each_in(&self, range: DateRange, mut f: impl FnMut(&DayKey, Money)) {
        self.check(range);
        let sorted = self.settled();
        let (first, last) = (range.from.num_days_from_ce(), range.to.num_days_from_ce());
        let mut date = (u32::MAX, range.from);
        sorted.for_each_between(
            first,
            last,
            |segment, [product_line, region, channel], v| {
                if date.0 != segment {
                    date = (segment, date_of(segment));
                }
                let key = DayKey {
                    date: date.1,
                    product_line,
                    region,
                    channel,
                };
                f(&key, v)
            },
        );
    }

    /// Calls `f` with each segment inside `range` that has cells (by its first day, in
    /// order) and the sum of its cells.
    pub fn segment_sums_in(&self, range: DateRange, mut f: impl FnMut(NaiveDate, Money)) {
        self.check(range);
        let (first, last) = (range.from.num_days_from_ce(), range.to.num_days_from_ce());
        self.settled()
            .segment_sums(first, last, |segment, v| f(date_of(segment), v));
    }

    /// The cells laid out for the queries, on the first one.
    fn settled(&self) -> &SortedCells {
        self.sorted.get_or_init(|| self.revenue.settled())
    }

    /// Every cell, sorted by segment, product line, region and channel.
    #[cfg(test)]
    fn cells(&self) -> Vec<(DayKey, Money)> {
        let everything = DateRange::new(
            NaiveDate::from_ymd_opt(1, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
        );
        let mut cells = Vec::new();
        self.for_each_in(everything, |k, v| cells.push((*k, v)));
        cells
    }

    /// Every rep's segments inside `range`: `(rep id, figures)`, in no particular order.
    pub fn rep_days(&self, range: DateRange) -> impl Iterator<Item = (u32, RepDay)> + '_ {
        self.check(range);
        self.reps
            .iter()
            .filter_map(move |([day, rep], [revenue, margin])| {
                range
                    .contains(date_of(day))
                    .then_some((rep, RepDay { revenue, margin }))
            })
    }

    /// Takes in the cells of `other`, read from other rows. Ids of names change in a join
    /// (see [`super::intern::Names::join`]): `mine` and `theirs` give each side's new
    /// product line, region, channel and rep ids by old id.
    pub fn join(&mut self, other: Daily, mine: &IdMaps, theirs: &IdMaps) {
        self.sorted = OnceLock::new();
        let renamed = |maps: &IdMaps, [line, region, channel]: [u32; 3]| {
            [
                maps.product_lines[line as usize],
                maps.regions[region as usize],
                maps.channels[channel as usize],
            ]
        };
        let same = |ids: &[u32]| ids.iter().enumerate().all(|(i, &id)| i as u32 == id);
        let mine_stay = same(mine.product_lines) && same(mine.regions) && same(mine.channels);
        self.revenue.join(
            other.revenue,
            (!mine_stay).then_some(|c| renamed(mine, c)),
            |c| renamed(theirs, c),
        );
        // The first side's ids mostly stay (its names came first): then its cells do too.
        let rep = |maps: &IdMaps, [day, rep]: [u32; 2]| [day, maps.reps[rep as usize]];
        if !same(mine.reps) {
            let old = std::mem::take(&mut self.reps);
            for (key, values) in old.iter() {
                self.reps.add(rep(mine, key), values);
            }
        }
        for (key, values) in other.reps.iter() {
            self.reps.add(rep(theirs, key), values);
        }
    }
}

/// The most dense rep slots (16 bytes each) before the rep table turns sparse: 32 MB.
const REP_SLOTS: usize = 1 << 21;

/// Revenue and margin by `[segment start, rep]`: dense per segment (a block indexed by rep
/// id, see [`Grid`]) while that fits [`REP_SLOTS`], one hash entry per cell past it.
#[derive(Debug)]
enum RepCells {
    Dense { grid: Grid<2>, reps: usize },
    Sparse(MoneyCells<[u32; 2], 2>),
}

impl Default for RepCells {
    fn default() -> Self {
        RepCells::Dense {
            grid: Grid::new(REP_SLOTS),
            reps: 0,
        }
    }
}

impl RepCells {
    #[inline]
    fn add(&mut self, [segment, rep]: [u32; 2], values: [Money; 2]) {
        match self {
            RepCells::Dense { grid, reps } => {
                let rep = rep as usize;
                if rep >= *reps {
                    // As many reps again: a block grows a few times, not once per rep.
                    *reps = (rep + 1).max(*reps * 2);
                }
                if grid.add(segment, rep, *reps, values).is_err() {
                    self.make_sparse();
                    self.add([segment, rep as u32], values);
                }
            }
            RepCells::Sparse(cells) => cells.add([segment, rep], values),
        }
    }

    #[cold]
    #[inline(never)]
    fn make_sparse(&mut self) {
        let mut cells = MoneyCells::default();
        for (key, values) in self.iter() {
            cells.add(key, values);
        }
        *self = RepCells::Sparse(cells);
    }

    /// Every cell, in no particular order.
    fn iter(&self) -> Box<dyn Iterator<Item = ([u32; 2], [Money; 2])> + '_> {
        match self {
            RepCells::Dense { grid, .. } => Box::new(
                grid.iter()
                    .map(|(segment, rep, values)| ([segment, rep as u32], values)),
            ),
            RepCells::Sparse(cells) => Box::new(cells.iter()),
        }
    }
}

/// New ids by old id, for one side of a join.
pub struct IdMaps<'a> {
    pub product_lines: &'a [u32],
    pub regions: &'a [u32],
    pub channels: &'a [u32],
    pub reps: &'a [u32],
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 1, d).unwrap()
    }

    fn key(d: u32, line: u32, region: u32, channel: u32) -> DayKey {
        DayKey {
            date: day(d),
            product_line: line,
            region,
            channel,
        }
    }

    #[test]
    fn segments_are_months_cut_at_the_given_dates() {
        let s = Segments::new(&[day(10), day(20), day(1)]);
        let start = |d: NaiveDate| date_of(s.start(d) as u32);
        assert_eq!(start(day(1)), day(1));
        assert_eq!(start(day(9)), day(1));
        assert_eq!(start(day(10)), day(10));
        assert_eq!(start(day(31)), day(20));
        // February has no cut: the month is one segment; a December cut does not reach it.
        let feb = |d| NaiveDate::from_ymd_opt(2027, 2, d).unwrap();
        assert_eq!(start(feb(28)), feb(1));
        assert_eq!(
            date_of(s.start(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()) as u32),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
        s.check(DateRange::new(day(10), day(19)));
        s.check(DateRange::new(day(1), feb(28)));
        // An empty window on a cut (a promotion with no baseline days).
        s.check(DateRange::new(day(10), day(9)));
    }

    #[test]
    #[should_panic(expected = "was not given to the data pass")]
    fn a_window_through_a_segment_is_refused() {
        Segments::new(&[day(10)]).check(DateRange::new(day(1), day(14)));
    }

    #[test]
    fn rep_cells_past_their_budget_turn_sparse_and_keep_every_cell() {
        let m = Money::from_units;
        let mut reps = RepCells::default();
        // Rep ids up to 2^20 in two segments: blocks of 2^20 + 1 slots pass REP_SLOTS
        // (2^21) at the second block.
        let far = (REP_SLOTS / 2) as u32;
        reps.add([1, 0], [m(1), m(0)]);
        reps.add([1, far], [m(2), m(1)]);
        assert!(matches!(reps, RepCells::Dense { .. }));
        reps.add([2, far], [m(3), m(2)]);
        assert!(matches!(reps, RepCells::Sparse(_)));
        reps.add([1, far], [m(4), m(0)]);
        let mut cells: Vec<([u32; 2], [Money; 2])> = reps.iter().collect();
        cells.sort_by_key(|c| c.0);
        assert_eq!(
            cells,
            [
                ([1, 0], [m(1), m(0)]),
                ([1, far], [m(6), m(1)]),
                ([2, far], [m(3), m(2)])
            ]
        );
    }

    #[test]
    fn cells_come_sorted_and_joined_segments_add_up() {
        let m = Money::from_units;
        let cuts = Segments::new(&[day(2), day(3), day(4)]);
        let mut a = Daily::new(cuts.clone());
        a.add(key(2, 1, 0, 0), m(5), Some((0, Some(m(1)))));
        a.add(key(1, 0, 0, 0), m(3), None);
        a.add(key(2, 1, 0, 0), m(7), Some((1, None)));
        let mut b = Daily::new(cuts);
        // In b, ids are swapped: b's line 0 is a's line 1 and b's rep 0 is a's rep 1.
        b.add(key(2, 0, 0, 0), m(10), Some((0, Some(m(4)))));
        b.add(key(3, 1, 0, 0), m(1), None);
        // Days 4 to 31 are one segment, keyed by its first day.
        b.add(key(9, 1, 0, 0), m(2), None);
        b.add(key(30, 1, 0, 0), m(4), None);
        let identity = [0, 1];
        let swapped = [1, 0];
        let same = IdMaps {
            product_lines: &identity,
            regions: &identity,
            channels: &identity,
            reps: &identity,
        };
        let other = IdMaps {
            product_lines: &swapped,
            regions: &identity,
            channels: &identity,
            reps: &swapped,
        };
        a.join(b, &same, &other);
        // Day 1: line 0 = 3; day 2: line 1 = 5 + 7 + 10; day 3: line 0 = 1; days 4-31:
        // line 0 = 2 + 4.
        let cells: Vec<(DayKey, Money)> = a.cells();
        assert_eq!(
            cells,
            [
                (key(1, 0, 0, 0), m(3)),
                (key(2, 1, 0, 0), m(22)),
                (key(3, 0, 0, 0), m(1)),
                (key(4, 0, 0, 0), m(6))
            ]
        );
        // Rep 0 on day 2: revenue 5, margin 5 - 1; rep 1: 7 (no cost) + 10 (margin 6).
        let mut reps: Vec<(u32, Money, Money)> = a
            .rep_days(DateRange::new(day(2), day(2)))
            .map(|(r, f)| (r, f.revenue, f.margin))
            .collect();
        reps.sort_by_key(|r| r.0);
        assert_eq!(reps, [(0, m(5), m(4)), (1, m(17), m(6))]);
        assert_eq!(a.rep_days(DateRange::new(day(3), day(31))).count(), 0);
    }
}
