//! Σ amount by segment × product line × region × channel (see [`super::daily`]), held in
//! one of two forms chosen by the data:
//!
//! - **Dense**, while the combinations fit a budget: per segment, one flat array of sums
//!   indexed by `(line × regions + region) × channels + channel`. A row costs one array
//!   write — no hashing, no probing — and rows of one segment (a sorted file's) write
//!   inside one block that stays in the cache. The cells come out sorted for free.
//! - **Sparse**, once the dense arrays would pass [`DENSE_SLOTS`] (thousands of product
//!   lines over many months, most combinations never sold): one hash-table entry per cell
//!   that occurs ([`MoneyCells`]), keyed by segment and a small combination id.
//!
//! Both keep money exact: the dense sums are 64-bit integers at one scale shared by every
//! block, and a cell whose sum leaves that range (or an amount with more decimals than
//! the 64-bit sums keep) moves to an exact side table ([`super::grid`], [`MoneyCells`]).

use super::cells::{money, MoneyCells};
use super::grid::{Grid, OverBudget};
use super::hashing::FastMap;
use crate::money::Money;

/// The most dense slots (8 bytes each) one table may hold before it turns sparse: 32 MB.
pub const DENSE_SLOTS: usize = 1 << 22;

/// A cell as `[segment start, product line, region, channel]` (the segment start a
/// bit-cast day from the common era).
pub type CellKey = [u32; 4];

/// The revenue cells (see the module documentation).
#[derive(Debug)]
pub enum Revenue {
    Dense(Dense),
    Sparse(Sparse),
}

impl Default for Revenue {
    fn default() -> Self {
        Revenue::Dense(Dense::default())
    }
}

impl Revenue {
    /// Adds `amount` into the cell at `key`.
    #[inline]
    pub fn add(&mut self, key: CellKey, amount: Money) {
        match self {
            Revenue::Dense(dense) => {
                if dense.add(key, amount).is_err() {
                    self.make_sparse();
                    self.add(key, amount);
                }
            }
            Revenue::Sparse(sparse) => sparse.add(key, amount),
        }
    }

    /// Moves every dense cell into a sparse table (the dense one went over its budget).
    #[cold]
    #[inline(never)]
    fn make_sparse(&mut self) {
        let mut sparse = Sparse::default();
        if let Revenue::Dense(dense) = self {
            for (key, amount) in dense.iter() {
                sparse.add(key, amount);
            }
        }
        *self = Revenue::Sparse(sparse);
    }

    /// Every cell and its sum, sorted by segment start (as a signed day), product line,
    /// region and channel.
    pub fn sorted(&self) -> Vec<(CellKey, Money)> {
        let (mut cells, sorted) = match self {
            Revenue::Dense(dense) => dense.iter_by_segment(),
            Revenue::Sparse(sparse) => (sparse.iter().collect(), false),
        };
        if !sorted {
            cells.sort_unstable_by_key(|&([day, line, region, channel], _)| {
                (day as i32, line, region, channel)
            });
        }
        cells
    }

    /// Every cell in the order of [`Revenue::sorted`], held compactly for the queries.
    pub fn settled(&self) -> SortedCells {
        if let Revenue::Dense(dense) = self {
            if let Some(cells) = dense.settled() {
                return cells;
            }
        }
        let sorted = self.sorted();
        let mut cells = SortedCells::default();
        let mut sums = Vec::with_capacity(sorted.len());
        for ([segment, line, region, channel], v) in sorted {
            cells.push(segment, [line, region, channel]);
            sums.push(v);
        }
        cells.sums = Sums::Exact(sums);
        cells
    }

    /// Every cell, in no particular order.
    fn cells(&self) -> Box<dyn Iterator<Item = (CellKey, Money)> + '_> {
        match self {
            Revenue::Dense(dense) => Box::new(dense.iter()),
            Revenue::Sparse(sparse) => Box::new(sparse.iter()),
        }
    }

    /// Takes in `other`'s cells: `theirs` gives one of its combinations (line, region,
    /// channel) its id here, and `mine`, when `Some`, gives this table's own combinations
    /// new ids (see [`super::daily::Daily::join`]).
    pub fn join(
        &mut self,
        other: Revenue,
        mine: Option<impl Fn([u32; 3]) -> [u32; 3]>,
        theirs: impl Fn([u32; 3]) -> [u32; 3],
    ) {
        let rekey = |f: &dyn Fn([u32; 3]) -> [u32; 3], [day, l, r, c]: CellKey| {
            let [l, r, c] = f([l, r, c]);
            [day, l, r, c]
        };
        if let Some(mine) = mine {
            match self {
                Revenue::Sparse(sparse) => sparse.rename(&mine),
                Revenue::Dense(_) => {
                    let old = std::mem::take(self);
                    for (key, amount) in old.cells() {
                        self.add(rekey(&mine, key), amount);
                    }
                }
            }
        }
        for (key, amount) in other.cells() {
            self.add(rekey(&theirs, key), amount);
        }
    }
}

/// The dense form (see the module documentation): a [`Grid`] laid out by line, region and
/// channel.
#[derive(Debug)]
pub struct Dense {
    /// The regions and channels a line's slots are laid out for.
    regions: u32,
    channels: u32,
    /// The lines a block is sized for when it is made or grown.
    lines: u32,
    grid: Grid<1>,
}

impl Default for Dense {
    fn default() -> Self {
        Dense {
            regions: 0,
            channels: 0,
            lines: 0,
            grid: Grid::new(DENSE_SLOTS),
        }
    }
}

impl Dense {
    #[inline]
    fn add(
        &mut self,
        [segment, line, region, channel]: CellKey,
        amount: Money,
    ) -> Result<(), OverBudget> {
        if region >= self.regions || channel >= self.channels {
            self.widen(region, channel)?;
        }
        if line >= self.lines {
            // As many lines again: a block grows a few times, not once per line.
            self.lines = (line + 1).max(self.lines.saturating_mul(2));
        }
        let slot = self.slot(line, region, channel);
        let len = self.lines as usize * self.stride();
        self.grid.add(segment, slot, len, [amount])
    }

    #[inline]
    fn slot(&self, line: u32, region: u32, channel: u32) -> usize {
        let (regions, channels) = (self.regions as usize, self.channels as usize);
        (line as usize * regions + region as usize) * channels + channel as usize
    }

    fn stride(&self) -> usize {
        self.regions as usize * self.channels as usize
    }

    /// Lays every block out again for more regions or channels: a quarter more than
    /// before at least, so a long list of regions costs a few layouts, not one each.
    #[cold]
    #[inline(never)]
    fn widen(&mut self, region: u32, channel: u32) -> Result<(), OverBudget> {
        let wider = |have: u32, need: u32| {
            if need < have {
                have
            } else {
                (need + 1).max(have + have / 4)
            }
        };
        let old = Dense {
            regions: self.regions,
            channels: self.channels,
            lines: 0,
            grid: Grid::new(0),
        };
        let new = Dense {
            regions: wider(self.regions, region),
            channels: wider(self.channels, channel),
            lines: 0,
            grid: Grid::new(0),
        };
        let (old_stride, new_stride) = (old.stride().max(1), new.stride());
        self.grid.relayout(
            |slot| {
                let [line, region, channel] = old.decode(slot);
                new.slot(line, region, channel)
            },
            |len| len / old_stride * new_stride,
        )?;
        self.regions = new.regions;
        self.channels = new.channels;
        Ok(())
    }

    /// The line, region and channel of `slot`.
    #[inline]
    fn decode(&self, slot: usize) -> [u32; 3] {
        let channels = self.channels as usize;
        let line_region = slot / channels;
        [
            (line_region / self.regions as usize) as u32,
            (line_region % self.regions as usize) as u32,
            (slot % channels) as u32,
        ]
    }

    fn key(&self, segment: u32, slot: usize) -> CellKey {
        let [line, region, channel] = self.decode(slot);
        [segment, line, region, channel]
    }

    /// Every cell, in no particular order.
    fn iter(&self) -> impl Iterator<Item = (CellKey, Money)> + '_ {
        self.grid
            .iter()
            .map(|(segment, slot, [v])| (self.key(segment, slot), v))
    }

    /// See [`Revenue::settled`]: `None` when some sums are in the side table. A block is
    /// walked line by line, region by region and channel by channel, the order of its
    /// slots, so no slot is decoded; every slot is written at the next free place and
    /// only an occupied one moves that place on, so the walk does not branch on
    /// occupancy (a coin toss in a sparse block).
    fn settled(&self) -> Option<SortedCells> {
        let (blocks, scale) = self.grid.blocks_by_segment()?;
        // Counted first: the vectors are made once, one place longer for the last write.
        let occupied: usize = blocks
            .iter()
            .map(|(_, sums)| sums.iter().filter(|c| !Grid::is_empty(c)).count())
            .sum();
        let mut segments = Vec::with_capacity(blocks.len());
        let mut totals = Vec::with_capacity(blocks.len());
        let mut combos = vec![[0u32; 3]; occupied + 1];
        let mut units = vec![0i64; occupied + 1];
        let mut n = 0;
        // At least 1: a block is made only after the layout has a region and a channel.
        let (regions, channels) = (self.regions.max(1) as usize, self.channels.max(1) as usize);
        for (segment, sums) in blocks {
            let (start, mut total) = (n, 0i128);
            for (line, line_sums) in sums.chunks(regions * channels).enumerate() {
                for (region, region_sums) in line_sums.chunks(channels).enumerate() {
                    for (channel, cell) in region_sums.iter().enumerate() {
                        let here = !Grid::is_empty(cell);
                        combos[n] = [line as u32, region as u32, channel as u32];
                        units[n] = cell[0];
                        // Within a segment the 64-bit sums cannot leave 128 bits.
                        total += if here { i128::from(cell[0]) } else { 0 };
                        n += usize::from(here);
                    }
                }
            }
            if n > start {
                segments.push((segment, start));
                totals.push(total);
            }
        }
        combos.truncate(n);
        units.truncate(n);
        Some(SortedCells {
            segments,
            combos,
            sums: Sums::Units {
                units,
                totals,
                scale,
            },
        })
    }

    /// Every cell by segment start (as a signed day) and then slot, and whether that is
    /// sorted (it is unless some sums went to the side table).
    fn iter_by_segment(&self) -> (Vec<(CellKey, Money)>, bool) {
        let (cells, sorted) = self.grid.by_segment();
        let cells = cells
            .into_iter()
            .map(|(segment, slot, [v])| (self.key(segment, slot), v))
            .collect();
        (cells, sorted)
    }
}

/// Every cell sorted by segment start (as a signed day), product line, region and channel,
/// as the queries read them: a segment's cells are one run, found by binary search.
#[derive(Debug, Default)]
pub struct SortedCells {
    /// Each segment's start and the index of its first cell, by start.
    segments: Vec<(u32, usize)>,
    /// Each cell's product line, region and channel.
    combos: Vec<[u32; 3]>,
    sums: Sums,
}

/// The cells' sums: 64-bit integers at one scale (the dense form's) with each segment's
/// total, or exact money.
#[derive(Debug)]
enum Sums {
    Units {
        units: Vec<i64>,
        totals: Vec<i128>,
        scale: u32,
    },
    Exact(Vec<Money>),
}

impl Default for Sums {
    fn default() -> Self {
        Sums::Exact(Vec::new())
    }
}

impl SortedCells {
    /// Appends a cell (its sum goes in separately); cells come in order.
    fn push(&mut self, segment: u32, combo: [u32; 3]) {
        if self.segments.last().is_none_or(|&(s, _)| s != segment) {
            self.segments.push((segment, self.combos.len()));
        }
        self.combos.push(combo);
    }

    /// The cells of segment `k`, as indexes.
    fn run(&self, k: usize) -> std::ops::Range<usize> {
        let end = self
            .segments
            .get(k + 1)
            .map_or(self.combos.len(), |&(_, e)| e);
        self.segments[k].1..end
    }

    /// The segments from day `first` to day `last` (signed days), as indexes.
    fn between(&self, first: i32, last: i32) -> std::ops::Range<usize> {
        let from = self.segments.partition_point(|&(s, _)| (s as i32) < first);
        let to = self.segments.partition_point(|&(s, _)| s as i32 <= last);
        from..to.max(from)
    }

    /// Calls `f` with every cell of the segments from day `first` to day `last` (signed
    /// days) as `(segment, combination, sum)`, in order.
    #[inline]
    pub fn for_each_between(&self, first: i32, last: i32, mut f: impl FnMut(u32, [u32; 3], Money)) {
        for k in self.between(first, last) {
            let (segment, run) = (self.segments[k].0, self.run(k));
            let combos = &self.combos[run.clone()];
            match &self.sums {
                Sums::Units { units, scale, .. } => {
                    for (&combo, &u) in combos.iter().zip(&units[run]) {
                        f(segment, combo, money(i128::from(u), *scale));
                    }
                }
                Sums::Exact(sums) => {
                    for (&combo, &v) in combos.iter().zip(&sums[run]) {
                        f(segment, combo, v);
                    }
                }
            }
        }
    }

    /// Calls `f` with each segment from day `first` to day `last` (signed days) that has
    /// cells, and the sum of its cells (the same money as adding them up in order).
    pub fn segment_sums(&self, first: i32, last: i32, mut f: impl FnMut(u32, Money)) {
        for k in self.between(first, last) {
            let segment = self.segments[k].0;
            match &self.sums {
                Sums::Units { totals, scale, .. } => f(segment, money(totals[k], *scale)),
                Sums::Exact(sums) => f(segment, sums[self.run(k)].iter().copied().sum()),
            }
        }
    }
}

/// The sparse form (see the module documentation).
#[derive(Debug, Default)]
pub struct Sparse {
    /// Product line, region and channel by combination id, and the ids: the big table's
    /// keys stay 8 bytes.
    combos: Vec<[u32; 3]>,
    combo_ids: FastMap<[u32; 3], u32>,
    /// By segment start (high half) and combination id (low half).
    cells: MoneyCells<u64, 1>,
}

impl Sparse {
    #[inline]
    fn add(&mut self, [segment, line, region, channel]: CellKey, amount: Money) {
        let combo = self.combo_id([line, region, channel]);
        self.cells
            .add((u64::from(segment) << 32) | u64::from(combo), [amount]);
    }

    #[inline]
    fn combo_id(&mut self, combo: [u32; 3]) -> u32 {
        let next = self.combos.len() as u32;
        let id = *self.combo_ids.entry(combo).or_insert(next);
        if id == next {
            self.combos.push(combo);
        }
        id
    }

    /// Gives every combination its new ids; the cells keep their keys.
    fn rename(&mut self, mine: impl Fn([u32; 3]) -> [u32; 3]) {
        for combo in &mut self.combos {
            *combo = mine(*combo);
        }
        self.combo_ids = self
            .combos
            .iter()
            .enumerate()
            .map(|(i, &c)| (c, i as u32))
            .collect();
    }

    fn iter(&self) -> impl Iterator<Item = (CellKey, Money)> + '_ {
        self.cells.iter().map(|(k, [v])| {
            let [line, region, channel] = self.combos[(k & u64::from(u32::MAX)) as usize];
            ([(k >> 32) as u32, line, region, channel], v)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn m(text: &str) -> Money {
        Money::new(Decimal::from_str(text).unwrap())
    }

    fn shown(cells: Vec<(CellKey, Money)>) -> Vec<(CellKey, String)> {
        cells
            .into_iter()
            .map(|(k, v)| (k, v.decimal().normalize().to_string()))
            .collect()
    }

    /// Segment 20 before 10, new regions and channels after the first block was laid out
    /// (a widening), line 7 far past the first line (a growth), and a zero sum that still
    /// is a cell. Segment u32::MAX is day -1: it sorts first.
    const MIXED_ROWS: [(CellKey, &str); 7] = [
        ([20, 0, 0, 0], "1"),
        ([10, 1, 0, 0], "2"),
        ([20, 0, 2, 1], "3"),
        ([10, 7, 1, 3], "4"),
        ([20, 0, 0, 0], "0.5"),
        ([10, 1, 0, 0], "-2"),
        ([u32::MAX, 0, 0, 0], "9"),
    ];

    /// The same rows into a dense table and (forced) into a sparse one.
    fn tables(rows: &[(CellKey, &str)]) -> [Revenue; 2] {
        let mut dense = Revenue::default();
        let mut sparse = Revenue::Sparse(Sparse::default());
        for &(key, amount) in rows {
            dense.add(key, m(amount));
            sparse.add(key, m(amount));
        }
        [dense, sparse]
    }

    /// [`tables`]' cells, sorted and shown; their settled cells must be the same.
    fn both(rows: &[(CellKey, &str)]) -> [Vec<(CellKey, String)>; 2] {
        let [dense, sparse] = tables(rows);
        assert!(matches!(dense, Revenue::Dense(_)));
        // The settled cells, read over every segment, are the sorted ones.
        for table in [&dense, &sparse] {
            assert_eq!(
                shown(settled(table, i32::MIN, i32::MAX)),
                shown(table.sorted())
            );
        }
        [shown(dense.sorted()), shown(sparse.sorted())]
    }

    /// The settled cells of the segments from `first` to `last`.
    fn settled(table: &Revenue, first: i32, last: i32) -> Vec<(CellKey, Money)> {
        let mut cells = Vec::new();
        table
            .settled()
            .for_each_between(first, last, |segment, [line, region, channel], v| {
                cells.push(([segment, line, region, channel], v))
            });
        cells
    }

    #[test]
    fn settled_cells_are_read_by_segment_range_with_their_sums() {
        // MIXED_ROWS and segment 30 through a zero sum; the sums by hand: -1: 9;
        // 10: 2 + 4 - 2 = 4; 20: 1 + 0.5 + 3 = 4.5; 30: 0.
        let mut rows = MIXED_ROWS.to_vec();
        rows.push(([30, 2, 0, 0], "0"));
        for table in &tables(&rows) {
            let keys = |first, last| -> Vec<CellKey> {
                settled(table, first, last)
                    .into_iter()
                    .map(|c| c.0)
                    .collect()
            };
            assert_eq!(
                keys(10, 20),
                [[10, 1, 0, 0], [10, 7, 1, 3], [20, 0, 0, 0], [20, 0, 2, 1]]
            );
            assert_eq!(keys(-1, 9), [[u32::MAX, 0, 0, 0]]);
            assert_eq!(keys(11, 19), Vec::<CellKey>::new());
            assert_eq!(keys(25, 40), [[30, 2, 0, 0]]);
            let mut sums = Vec::new();
            table
                .settled()
                .segment_sums(i32::MIN, i32::MAX, |s, v| sums.push((s, v)));
            assert_eq!(
                sums,
                [
                    (u32::MAX, m("9")),
                    (10, m("4")),
                    (20, m("4.5")),
                    (30, m("0"))
                ]
            );
        }
        // Nothing at all: no segment, no cell.
        let empty = Revenue::default();
        assert!(settled(&empty, i32::MIN, i32::MAX).is_empty());
        let mut any = false;
        empty
            .settled()
            .segment_sums(i32::MIN, i32::MAX, |_, _| any = true);
        assert!(!any);
    }

    #[test]
    fn dense_cells_come_sorted_through_new_regions_channels_and_lines() {
        let expected = [
            ([u32::MAX, 0, 0, 0], "9"),
            ([10, 1, 0, 0], "0"),
            ([10, 7, 1, 3], "4"),
            ([20, 0, 0, 0], "1.5"),
            ([20, 0, 2, 1], "3"),
        ]
        .map(|(k, v)| (k, v.to_string()));
        let [dense, sparse] = both(&MIXED_ROWS);
        assert_eq!(dense, expected);
        assert_eq!(sparse, expected);
    }

    #[test]
    fn dense_sums_stay_exact_across_scales_and_overflow() {
        let rows = [
            ([0, 0, 0, 0], "10"),
            // Two decimals rescale every block: 10 becomes 1000 hundredths.
            ([0, 0, 0, 0], "0.25"),
            ([1, 0, 0, 0], "-3.5"),
            // Past 64 bits at two decimals (i64::MAX / 100 ≈ 9.2e16): the cell goes exact.
            ([0, 1, 0, 0], "90000000000000000"),
            ([0, 1, 0, 0], "90000000000000000.01"),
            // Twelve decimals are more than the dense sums keep.
            ([1, 1, 0, 0], "0.000000000001"),
            ([1, 1, 0, 0], "1"),
            ([0, 0, 0, 0], "0.005"),
        ];
        let expected = [
            ([0, 0, 0, 0], "10.255"),
            ([0, 1, 0, 0], "180000000000000000.01"),
            ([1, 0, 0, 0], "-3.5"),
            ([1, 1, 0, 0], "1.000000000001"),
        ]
        .map(|(k, v)| (k, v.to_string()));
        let [dense, sparse] = both(&rows);
        assert_eq!(dense, expected);
        assert_eq!(sparse, expected);
    }

    #[test]
    fn a_table_past_its_budget_turns_sparse_and_keeps_every_cell() {
        let mut revenue = Revenue::default();
        // One region and channel: a block per segment holds `lines` slots. Segments of
        // 4,096 lines each pass DENSE_SLOTS after DENSE_SLOTS / 4096 segments.
        let segments = (DENSE_SLOTS / 4096) as u32 + 1;
        for segment in 0..segments {
            revenue.add([segment, 4095, 0, 0], m("1"));
        }
        assert!(matches!(revenue, Revenue::Sparse(_)));
        let cells = revenue.sorted();
        assert_eq!(cells.len(), segments as usize);
        assert!(cells
            .iter()
            .enumerate()
            .all(|(i, (k, v))| *k == [i as u32, 4095, 0, 0] && *v == m("1")));
    }

    #[test]
    fn a_join_renames_both_sides_and_adds_where_they_meet() {
        let swap = |[l, r, c]: [u32; 3]| [1 - l, r, c];
        for sparse in [false, true] {
            let table = || {
                if sparse {
                    Revenue::Sparse(Sparse::default())
                } else {
                    Revenue::default()
                }
            };
            let mut a = table();
            a.add([5, 0, 0, 0], m("1"));
            a.add([5, 1, 0, 0], m("2"));
            let mut b = table();
            b.add([5, 0, 0, 0], m("10"));
            b.add([6, 1, 0, 0], m("20"));
            // a's lines swap; b's keep their ids: b's line 0 meets a's old line 1.
            a.join(b, Some(swap), |k| k);
            let expected = [
                ([5, 0, 0, 0], "12"),
                ([5, 1, 0, 0], "1"),
                ([6, 1, 0, 0], "20"),
            ]
            .map(|(k, v)| (k, v.to_string()));
            assert_eq!(shown(a.sorted()), expected, "sparse: {sparse}");
        }
    }
}
