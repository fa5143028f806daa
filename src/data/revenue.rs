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
//! [`MAX_COMPACT_SCALE`]) moves to an exact side table, as in [`MoneyCells`].

use super::cells::{money, units_at, MoneyCells, MAX_COMPACT_SCALE};
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
            Revenue::Dense(dense) => (dense.iter_by_segment(), dense.overflow.is_empty()),
            Revenue::Sparse(sparse) => (sparse.iter().collect(), false),
        };
        if !sorted {
            cells.sort_unstable_by_key(|&([day, line, region, channel], _)| {
                (day as i32, line, region, channel)
            });
        }
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

/// The value of an empty dense slot (a sum that reaches it goes to the side table).
const EMPTY: i64 = i64::MIN;

/// One segment's sums (see the module documentation).
#[derive(Debug)]
struct Block {
    segment: u32,
    sums: Vec<i64>,
}

/// The dense form (see the module documentation).
#[derive(Debug, Default)]
pub struct Dense {
    /// The regions and channels a line's slots are laid out for.
    regions: u32,
    channels: u32,
    /// The lines a block is sized for when it is made or grown.
    lines: u32,
    blocks: Vec<Block>,
    block_of: FastMap<u32, u32>,
    /// The last segment written and its block: rows of a segment mostly come together.
    last: Option<(u32, u32)>,
    /// Σ of every block's length, against [`DENSE_SLOTS`].
    slots: usize,
    /// The scale of every dense sum.
    scale: u32,
    /// Cells whose sums left the dense range: a cell is in a block or here, never both.
    overflow: MoneyCells<CellKey, 1>,
}

/// The dense table went over [`DENSE_SLOTS`].
#[derive(Debug)]
struct OverBudget;

impl Dense {
    #[inline]
    fn add(&mut self, key: CellKey, amount: Money) -> Result<(), OverBudget> {
        let [segment, line, region, channel] = key;
        if region >= self.regions || channel >= self.channels {
            self.widen(region, channel)?;
        }
        let block = self.block(segment)?;
        let slot = self.slot(line, region, channel);
        if slot >= self.blocks[block].sums.len() {
            self.grow(block, line)?;
        }
        let (units, scale) = amount.as_exact().parts();
        if scale > self.scale && scale <= MAX_COMPACT_SCALE {
            self.rescale(scale);
        }
        if self.overflow.is_empty() || !self.overflow.contains(&key) {
            if let Some(units) = units_at(units, scale, self.scale) {
                let cell = &mut self.blocks[block].sums[slot];
                let start = if *cell == EMPTY { 0 } else { *cell };
                if let Some(sum) = start.checked_add(units).filter(|&s| s != EMPTY) {
                    *cell = sum;
                    return Ok(());
                }
            }
        }
        self.add_overflow(block, slot, key, amount);
        Ok(())
    }

    #[inline]
    fn slot(&self, line: u32, region: u32, channel: u32) -> usize {
        let (regions, channels) = (self.regions as usize, self.channels as usize);
        (line as usize * regions + region as usize) * channels + channel as usize
    }

    /// The block of `segment`, made if it is new.
    #[inline]
    fn block(&mut self, segment: u32) -> Result<usize, OverBudget> {
        if let Some((last, block)) = self.last {
            if last == segment {
                return Ok(block as usize);
            }
        }
        let block = match self.block_of.get(&segment) {
            Some(&block) => block,
            None => self.new_block(segment)?,
        };
        self.last = Some((segment, block));
        Ok(block as usize)
    }

    #[cold]
    fn new_block(&mut self, segment: u32) -> Result<u32, OverBudget> {
        let len = self.lines.max(1) as usize * self.stride();
        self.spend(len)?;
        let block = self.blocks.len() as u32;
        self.blocks.push(Block {
            segment,
            sums: vec![EMPTY; len],
        });
        self.block_of.insert(segment, block);
        Ok(block)
    }

    fn stride(&self) -> usize {
        self.regions as usize * self.channels as usize
    }

    /// Counts `more` slots against the budget.
    fn spend(&mut self, more: usize) -> Result<(), OverBudget> {
        if self.slots + more > DENSE_SLOTS {
            return Err(OverBudget);
        }
        self.slots += more;
        Ok(())
    }

    /// Makes room in `block` for `line` (and, for the blocks made after, as many lines
    /// again: a block grows a few times, not once per line).
    #[cold]
    fn grow(&mut self, block: usize, line: u32) -> Result<(), OverBudget> {
        if line >= self.lines {
            self.lines = (line + 1).max(self.lines.saturating_mul(2));
        }
        let len = self.lines as usize * self.stride();
        let sums = &mut self.blocks[block].sums;
        let more = len - sums.len();
        if self.slots + more > DENSE_SLOTS {
            return Err(OverBudget);
        }
        self.slots += more;
        sums.resize(len, EMPTY);
        Ok(())
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
        let (regions, channels) = (wider(self.regions, region), wider(self.channels, channel));
        let stride = regions as usize * channels as usize;
        let slots: usize = self
            .blocks
            .iter()
            .map(|b| b.sums.len() / self.stride().max(1) * stride)
            .sum();
        if slots > DENSE_SLOTS {
            return Err(OverBudget);
        }
        let old = Dense {
            regions: self.regions,
            channels: self.channels,
            ..Dense::default()
        };
        for block in &mut self.blocks {
            let lines = block.sums.len() / old.stride().max(1);
            let mut sums = vec![EMPTY; lines * stride];
            for (slot, &sum) in block.sums.iter().enumerate() {
                if sum != EMPTY {
                    let [line, region, channel] = old.decode(slot);
                    sums[(line as usize * regions as usize + region as usize)
                        * channels as usize
                        + channel as usize] = sum;
                }
            }
            block.sums = sums;
        }
        self.regions = regions;
        self.channels = channels;
        self.slots = slots;
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

    /// Raises the scale of every dense sum to `scale`; sums that no longer fit move to the
    /// side table.
    #[cold]
    #[inline(never)]
    fn rescale(&mut self, scale: u32) {
        let factor = 10i64.pow(scale - self.scale);
        let old = self.scale;
        let mut moved = Vec::new();
        for (b, block) in self.blocks.iter_mut().enumerate() {
            for (slot, sum) in block.sums.iter_mut().enumerate() {
                if *sum != EMPTY {
                    match sum.checked_mul(factor).filter(|&s| s != EMPTY) {
                        Some(scaled) => *sum = scaled,
                        None => {
                            moved.push((b, slot, money(i128::from(*sum), old)));
                            *sum = EMPTY;
                        }
                    }
                }
            }
        }
        for (b, slot, sum) in moved {
            let key = self.key(b, slot);
            self.overflow.add(key, [sum]);
        }
        self.scale = scale;
    }

    fn key(&self, block: usize, slot: usize) -> CellKey {
        let [line, region, channel] = self.decode(slot);
        [self.blocks[block].segment, line, region, channel]
    }

    /// Adds into the side table, moving the slot's dense sum there first.
    #[cold]
    #[inline(never)]
    fn add_overflow(&mut self, block: usize, slot: usize, key: CellKey, amount: Money) {
        let cell = &mut self.blocks[block].sums[slot];
        if *cell != EMPTY {
            let start = money(i128::from(*cell), self.scale);
            *cell = EMPTY;
            self.overflow.add(key, [start]);
        }
        self.overflow.add(key, [amount]);
    }

    /// Every cell, in no particular order.
    fn iter(&self) -> impl Iterator<Item = (CellKey, Money)> + '_ {
        (0..self.blocks.len())
            .flat_map(move |b| self.block_cells(b))
            .chain(self.overflow.iter().map(|(k, [v])| (k, v)))
    }

    /// The occupied slots of block `b`, in slot order (line, region, channel).
    fn block_cells(&self, b: usize) -> impl Iterator<Item = (CellKey, Money)> + '_ {
        let block = &self.blocks[b];
        block
            .sums
            .iter()
            .enumerate()
            .filter(|(_, &sum)| sum != EMPTY)
            .map(move |(slot, &sum)| (self.key(b, slot), money(i128::from(sum), self.scale)))
    }

    /// Every cell of the blocks, by segment start (as a signed day) and then slot: sorted
    /// when the side table is empty.
    fn iter_by_segment(&self) -> Vec<(CellKey, Money)> {
        let mut order: Vec<usize> = (0..self.blocks.len()).collect();
        order.sort_unstable_by_key(|&b| self.blocks[b].segment as i32);
        let mut cells: Vec<(CellKey, Money)> = order
            .into_iter()
            .flat_map(|b| self.block_cells(b))
            .collect();
        cells.extend(self.overflow.iter().map(|(k, [v])| (k, v)));
        cells
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

    /// The same rows into a dense table and (forced) into a sparse one.
    fn both(rows: &[(CellKey, &str)]) -> [Vec<(CellKey, String)>; 2] {
        let mut dense = Revenue::default();
        let mut sparse = Revenue::Sparse(Sparse::default());
        for &(key, amount) in rows {
            dense.add(key, m(amount));
            sparse.add(key, m(amount));
        }
        assert!(matches!(dense, Revenue::Dense(_)));
        [shown(dense.sorted()), shown(sparse.sorted())]
    }

    #[test]
    fn dense_cells_come_sorted_through_new_regions_channels_and_lines() {
        // Segment 20 before 10, new regions and channels after the first block was laid
        // out (a widening), line 7 far past the first line (a growth), and a zero sum that
        // still is a cell. Segment u32::MAX is day -1: it sorts first.
        let rows = [
            ([20, 0, 0, 0], "1"),
            ([10, 1, 0, 0], "2"),
            ([20, 0, 2, 1], "3"),
            ([10, 7, 1, 3], "4"),
            ([20, 0, 0, 0], "0.5"),
            ([10, 1, 0, 0], "-2"),
            ([u32::MAX, 0, 0, 0], "9"),
        ];
        let expected = [
            ([u32::MAX, 0, 0, 0], "9"),
            ([10, 1, 0, 0], "0"),
            ([10, 7, 1, 3], "4"),
            ([20, 0, 0, 0], "1.5"),
            ([20, 0, 2, 1], "3"),
        ]
        .map(|(k, v)| (k, v.to_string()));
        let [dense, sparse] = both(&rows);
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
