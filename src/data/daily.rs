//! Revenue at day grain — by product line × region × channel, and by rep — laid out by
//! day: each day holds its cells in plain vectors indexed by a small combination id and
//! by rep id. Rows of one day come together in most exports, so a row usually finds its
//! day in the cache and its cell by indexing, where a hash map keyed by day and names
//! would take a probe (and, in a table of a few megabytes, a cache miss) per row; and the
//! days of two threads join cell by cell.

use std::sync::OnceLock;

use chrono::NaiveDate;

use super::hashing::{FastMap, KeyIds};
use crate::money::Money;

/// Revenue of one day, product line, region and channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DayKey {
    pub date: NaiveDate,
    pub product_line: u32,
    pub region: u32,
    pub channel: u32,
}

/// One rep's day: revenue, and margin (amount − cost) over the rows that carry a cost.
#[derive(Debug, Default, Clone, Copy)]
pub struct RepDay {
    pub revenue: Money,
    pub margin: Money,
}

/// A product line, region and channel.
type Combo = (u32, u32, u32);

#[derive(Debug, Clone)]
struct Day {
    date: NaiveDate,
    /// By combination id; `None` where no row had it.
    revenue: Vec<Option<Money>>,
    /// By rep id; `None` where the rep had no row.
    reps: Vec<Option<RepDay>>,
}

/// Day-grain sales (see the module documentation).
#[derive(Debug, Default)]
pub struct Daily {
    combos: Vec<Combo>,
    combo_ids: FastMap<Combo, u32>,
    /// In order of first appearance.
    days: Vec<Day>,
    day_ids: KeyIds<NaiveDate>,
    /// Every cell as `(key, revenue)`, sorted by key (day first), built on the first query.
    sorted: OnceLock<Vec<(DayKey, Money)>>,
}

/// Adds `amount` into the cell at `i` of a vector that grows as ids appear.
fn add_at<T: Copy + Default>(cells: &mut Vec<Option<T>>, i: usize, add: impl FnOnce(&mut T)) {
    if cells.len() <= i {
        cells.resize(i + 1, None);
    }
    add(cells[i].get_or_insert_with(T::default));
}

impl Daily {
    fn day(&mut self, date: NaiveDate) -> &mut Day {
        let (id, new) = self.day_ids.id(date);
        if new {
            self.days.push(Day {
                date,
                revenue: Vec::new(),
                reps: Vec::new(),
            });
        }
        &mut self.days[id as usize]
    }

    fn combo_id(&mut self, combo: Combo) -> u32 {
        let next = self.combos.len() as u32;
        let id = *self.combo_ids.entry(combo).or_insert(next);
        if id == next {
            self.combos.push(combo);
        }
        id
    }

    /// Adds a row: its amount to its cell, and to its rep's day (with the margin when the
    /// row carries a cost).
    pub fn add(&mut self, key: DayKey, amount: Money, rep: Option<(u32, Option<Money>)>) {
        let combo = self.combo_id((key.product_line, key.region, key.channel));
        let day = self.day(key.date);
        add_at(&mut day.revenue, combo as usize, |m| *m += amount);
        if let Some((rep, cost)) = rep {
            add_at(&mut day.reps, rep as usize, |r| {
                r.revenue += amount;
                if let Some(cost) = cost {
                    r.margin += amount - cost;
                }
            });
        }
    }

    /// Every cell, sorted by day, product line, region and channel.
    pub fn cells(&self) -> &[(DayKey, Money)] {
        self.sorted.get_or_init(|| {
            let mut combo_order: Vec<u32> = (0..self.combos.len() as u32).collect();
            combo_order.sort_unstable_by_key(|&c| self.combos[c as usize]);
            let mut days: Vec<&Day> = self.days.iter().collect();
            days.sort_unstable_by_key(|d| d.date);
            let mut cells = Vec::new();
            for day in days {
                for &c in &combo_order {
                    if let Some(Some(revenue)) = day.revenue.get(c as usize) {
                        let (product_line, region, channel) = self.combos[c as usize];
                        let key = DayKey {
                            date: day.date,
                            product_line,
                            region,
                            channel,
                        };
                        cells.push((key, *revenue));
                    }
                }
            }
            cells
        })
    }

    /// Every rep's days: `(date, rep id, figures)`, in no particular order.
    pub fn rep_days(&self) -> impl Iterator<Item = (NaiveDate, u32, &RepDay)> {
        self.days.iter().flat_map(|day| {
            day.reps
                .iter()
                .enumerate()
                .filter_map(move |(rep, r)| r.as_ref().map(|r| (day.date, rep as u32, r)))
        })
    }

    /// Takes in the days of `other`, read from other rows. Ids of names change in a join
    /// (see [`super::intern::Names::join`]): `mine` and `theirs` give each side's new
    /// product line, region, channel and rep ids by old id.
    pub fn join(&mut self, other: Daily, mine: &IdMaps, theirs: &IdMaps) {
        self.sorted = OnceLock::new();
        // This side's combinations keep their ids under new keys; its reps move.
        for combo in &mut self.combos {
            *combo = mine.combo(*combo);
        }
        self.combo_ids = self
            .combos
            .iter()
            .enumerate()
            .map(|(i, &c)| (c, i as u32))
            .collect();
        for day in &mut self.days {
            let mut reps = Vec::new();
            for (rep, r) in day.reps.drain(..).enumerate() {
                if let Some(r) = r {
                    add_at(&mut reps, mine.reps[rep] as usize, |into: &mut RepDay| {
                        *into = r
                    });
                }
            }
            day.reps = reps;
        }
        let combos: Vec<u32> = other
            .combos
            .iter()
            .map(|&c| self.combo_id(theirs.combo(c)))
            .collect();
        for day in other.days {
            let into = self.day(day.date);
            for (c, revenue) in day.revenue.into_iter().enumerate() {
                if let Some(revenue) = revenue {
                    add_at(&mut into.revenue, combos[c] as usize, |m| *m += revenue);
                }
            }
            for (rep, r) in day.reps.into_iter().enumerate() {
                if let Some(r) = r {
                    add_at(&mut into.reps, theirs.reps[rep] as usize, |into| {
                        into.revenue += r.revenue;
                        into.margin += r.margin;
                    });
                }
            }
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

impl IdMaps<'_> {
    fn combo(&self, (line, region, channel): Combo) -> Combo {
        (
            self.product_lines[line as usize],
            self.regions[region as usize],
            self.channels[channel as usize],
        )
    }
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
    fn cells_come_sorted_and_joined_days_add_up() {
        let m = Money::from_units;
        let mut a = Daily::default();
        a.add(key(2, 1, 0, 0), m(5), Some((0, Some(m(1)))));
        a.add(key(1, 0, 0, 0), m(3), None);
        a.add(key(2, 1, 0, 0), m(7), Some((1, None)));
        let mut b = Daily::default();
        // In b, ids are swapped: b's line 0 is a's line 1 and b's rep 0 is a's rep 1.
        b.add(key(2, 0, 0, 0), m(10), Some((0, Some(m(4)))));
        b.add(key(3, 1, 0, 0), m(1), None);
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
        // Day 1: line 0 = 3; day 2: line 1 = 5 + 7 + 10; day 3: line 0 = 1.
        let cells: Vec<(DayKey, Money)> = a.cells().to_vec();
        assert_eq!(
            cells,
            [
                (key(1, 0, 0, 0), m(3)),
                (key(2, 1, 0, 0), m(22)),
                (key(3, 0, 0, 0), m(1))
            ]
        );
        // Rep 0 on day 2: revenue 5, margin 5 - 1; rep 1: 7 (no cost) + 10 (margin 6).
        let mut reps: Vec<(NaiveDate, u32, Money, Money)> = a
            .rep_days()
            .map(|(d, r, f)| (d, r, f.revenue, f.margin))
            .collect();
        reps.sort_by_key(|r| (r.0, r.1));
        assert_eq!(reps, [(day(2), 0, m(5), m(4)), (day(2), 1, m(17), m(6))]);
    }
}
