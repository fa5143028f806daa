//! `N` sums of money per (segment, slot), dense: per segment one flat array of 64-bit sums
//! indexed by a slot its owner lays out ([`super::revenue`]: line × region × channel; the
//! rep table: rep id), so a row costs one array write and rows of one segment (a sorted
//! file's) write inside one block that stays in the cache. The arrays are bounded by a
//! budget of slots; past it the owner turns to a sparse table ([`OverBudget`]).
//!
//! Money stays exact: the sums are integers at one scale shared by every block (an amount
//! with more decimals rescales them once), and a cell whose sum leaves 64 bits, or an
//! amount with more decimals than [`MAX_COMPACT_SCALE`], moves to an exact side table.

use super::cells::{money, units_at, MoneyCells, MAX_COMPACT_SCALE};
use super::hashing::FastMap;
use crate::money::Money;

/// The first sum of an empty slot (a sum that reaches it goes to the side table).
const EMPTY: i64 = i64::MIN;

/// A block as its segment and its slots' sums.
pub type SegmentSums<'a, const N: usize> = (u32, &'a [[i64; N]]);

/// The grid would pass its budget of slots.
#[derive(Debug)]
pub struct OverBudget;

/// One segment's sums.
#[derive(Debug)]
struct Block<const N: usize> {
    segment: u32,
    sums: Vec<[i64; N]>,
}

/// The dense sums (see the module documentation).
#[derive(Debug)]
pub struct Grid<const N: usize> {
    blocks: Vec<Block<N>>,
    block_of: FastMap<u32, u32>,
    /// The last segment written and its block: rows of a segment mostly come together.
    last: Option<(u32, u32)>,
    /// Σ of every block's length, against `budget`.
    slots: usize,
    budget: usize,
    /// The scale of every sum.
    scale: u32,
    /// Cells whose sums left the 64-bit range, by `[segment, slot]`: a cell is in a block
    /// or here, never both.
    overflow: MoneyCells<[u32; 2], N>,
}

impl<const N: usize> Grid<N> {
    /// An empty grid of at most `budget` slots.
    pub fn new(budget: usize) -> Self {
        Grid {
            blocks: Vec::new(),
            block_of: FastMap::default(),
            last: None,
            slots: 0,
            budget,
            scale: 0,
            overflow: MoneyCells::default(),
        }
    }

    /// Adds `values` into `slot` of `segment`'s block; a block too short for the slot (or
    /// a new one) is made `len` slots long (`len` > `slot`).
    #[inline]
    pub fn add(
        &mut self,
        segment: u32,
        slot: usize,
        len: usize,
        values: [Money; N],
    ) -> Result<(), OverBudget> {
        let block = self.block(segment, len)?;
        if slot >= self.blocks[block].sums.len() {
            self.grow(block, len)?;
        }
        let parts = values.map(|v| v.as_exact().parts());
        let most = parts.iter().map(|&(_, s)| s).max().unwrap_or(0);
        if most > self.scale && most <= MAX_COMPACT_SCALE {
            self.rescale(most);
        }
        let key = [segment, slot as u32];
        if self.overflow.is_empty() || !self.overflow.contains(&key) {
            let cell = &mut self.blocks[block].sums[slot];
            let mut sums = if cell[0] == EMPTY { [0; N] } else { *cell };
            let mut fits = true;
            for (sum, (units, scale)) in sums.iter_mut().zip(parts) {
                match units_at(units, scale, self.scale).and_then(|u| sum.checked_add(u)) {
                    Some(s) => *sum = s,
                    None => fits = false,
                }
            }
            if fits && sums[0] != EMPTY {
                *cell = sums;
                return Ok(());
            }
        }
        self.add_overflow(block, slot, values);
        Ok(())
    }

    /// The block of `segment`, made `len` slots long if it is new.
    #[inline]
    fn block(&mut self, segment: u32, len: usize) -> Result<usize, OverBudget> {
        if let Some((last, block)) = self.last {
            if last == segment {
                return Ok(block as usize);
            }
        }
        let block = match self.block_of.get(&segment) {
            Some(&block) => block,
            None => self.new_block(segment, len)?,
        };
        self.last = Some((segment, block));
        Ok(block as usize)
    }

    #[cold]
    fn new_block(&mut self, segment: u32, len: usize) -> Result<u32, OverBudget> {
        self.spend(len)?;
        let block = self.blocks.len() as u32;
        self.blocks.push(Block {
            segment,
            sums: vec![Self::empty(); len],
        });
        self.block_of.insert(segment, block);
        Ok(block)
    }

    fn empty() -> [i64; N] {
        let mut cell = [0; N];
        cell[0] = EMPTY;
        cell
    }

    /// Counts `more` slots against the budget.
    fn spend(&mut self, more: usize) -> Result<(), OverBudget> {
        if self.slots + more > self.budget {
            return Err(OverBudget);
        }
        self.slots += more;
        Ok(())
    }

    #[cold]
    fn grow(&mut self, block: usize, len: usize) -> Result<(), OverBudget> {
        let more = len.saturating_sub(self.blocks[block].sums.len());
        self.spend(more)?;
        self.blocks[block].sums.resize(len, Self::empty());
        Ok(())
    }

    /// Lays every block out again: the cell at `slot` moves to `moved(slot)`, and a block
    /// of `n` slots becomes `len(n)` long.
    #[cold]
    #[inline(never)]
    pub fn relayout(
        &mut self,
        moved: impl Fn(usize) -> usize,
        len: impl Fn(usize) -> usize,
    ) -> Result<(), OverBudget> {
        let slots: usize = self.blocks.iter().map(|b| len(b.sums.len())).sum();
        if slots > self.budget {
            return Err(OverBudget);
        }
        for block in &mut self.blocks {
            let mut sums = vec![Self::empty(); len(block.sums.len())];
            for (slot, cell) in block.sums.iter().enumerate() {
                if cell[0] != EMPTY {
                    sums[moved(slot)] = *cell;
                }
            }
            block.sums = sums;
        }
        let overflow = std::mem::take(&mut self.overflow);
        for ([segment, slot], values) in overflow.iter() {
            self.overflow
                .add([segment, moved(slot as usize) as u32], values);
        }
        self.slots = slots;
        Ok(())
    }

    /// Raises the scale of every sum to `scale`; cells that no longer fit move to the side
    /// table.
    #[cold]
    #[inline(never)]
    fn rescale(&mut self, scale: u32) {
        let factor = 10i64.pow(scale - self.scale);
        let old = self.scale;
        let mut moved = Vec::new();
        for block in &mut self.blocks {
            for (slot, cell) in block.sums.iter_mut().enumerate() {
                if cell[0] == EMPTY {
                    continue;
                }
                let scaled: Option<Vec<i64>> = cell.iter().map(|s| s.checked_mul(factor)).collect();
                match scaled.filter(|s| s[0] != EMPTY) {
                    Some(scaled) => cell.copy_from_slice(&scaled),
                    None => {
                        let values = cell.map(|s| money(i128::from(s), old));
                        moved.push(([block.segment, slot as u32], values));
                        *cell = Self::empty();
                    }
                }
            }
        }
        for (key, values) in moved {
            self.overflow.add(key, values);
        }
        self.scale = scale;
    }

    /// Adds into the side table, moving the slot's dense sums there first.
    #[cold]
    #[inline(never)]
    fn add_overflow(&mut self, block: usize, slot: usize, values: [Money; N]) {
        let key = [self.blocks[block].segment, slot as u32];
        let cell = &mut self.blocks[block].sums[slot];
        if cell[0] != EMPTY {
            let start = cell.map(|s| money(i128::from(s), self.scale));
            *cell = Self::empty();
            self.overflow.add(key, start);
        }
        self.overflow.add(key, values);
    }

    /// Every cell as `(segment, slot, sums)`, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, usize, [Money; N])> + '_ {
        (0..self.blocks.len())
            .flat_map(move |b| self.block_cells(b))
            .chain(self.overflow_cells())
    }

    fn overflow_cells(&self) -> impl Iterator<Item = (u32, usize, [Money; N])> + '_ {
        self.overflow
            .iter()
            .map(|([segment, slot], values)| (segment, slot as usize, values))
    }

    /// The occupied slots of block `b`, in slot order.
    fn block_cells(&self, b: usize) -> impl Iterator<Item = (u32, usize, [Money; N])> + '_ {
        let block = &self.blocks[b];
        block
            .sums
            .iter()
            .enumerate()
            .filter(|(_, cell)| cell[0] != EMPTY)
            .map(move |(slot, cell)| {
                let values = cell.map(|s| money(i128::from(s), self.scale));
                (block.segment, slot, values)
            })
    }

    /// Every block as `(segment, sums)` by segment start (as a signed day), and the scale
    /// of the sums, when no sum is in the side table (its cells would be out of that
    /// order); an empty slot's sums are [`Grid::is_empty`].
    pub fn blocks_by_segment(&self) -> Option<(Vec<SegmentSums<'_, N>>, u32)> {
        if !self.overflow.is_empty() {
            return None;
        }
        let mut blocks: Vec<SegmentSums<'_, N>> = self
            .blocks
            .iter()
            .map(|b| (b.segment, b.sums.as_slice()))
            .collect();
        blocks.sort_unstable_by_key(|&(segment, _)| segment as i32);
        Some((blocks, self.scale))
    }

    /// Whether a slot's sums (as [`Grid::blocks_by_segment`] gives them) hold no cell.
    #[inline]
    pub fn is_empty(sums: &[i64; N]) -> bool {
        sums[0] == EMPTY
    }

    /// Every cell by segment start (as a signed day) and then slot, and whether that order
    /// holds (it does unless cells went to the side table: those come last).
    pub fn by_segment(&self) -> (Vec<(u32, usize, [Money; N])>, bool) {
        let mut order: Vec<usize> = (0..self.blocks.len()).collect();
        order.sort_unstable_by_key(|&b| self.blocks[b].segment as i32);
        let mut cells: Vec<(u32, usize, [Money; N])> = order
            .into_iter()
            .flat_map(|b| self.block_cells(b))
            .collect();
        cells.extend(self.overflow_cells());
        (cells, self.overflow.is_empty())
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

    fn shown(grid: &Grid<2>) -> Vec<(u32, usize, [String; 2])> {
        let mut cells: Vec<_> = grid
            .iter()
            .map(|(segment, slot, v)| {
                (
                    segment,
                    slot,
                    v.map(|x| x.decimal().normalize().to_string()),
                )
            })
            .collect();
        cells.sort();
        cells
    }

    #[test]
    fn pairs_of_sums_stay_exact_and_move_with_a_relayout() {
        let mut grid: Grid<2> = Grid::new(100);
        grid.add(7, 0, 4, [m("10"), m("1")]).unwrap();
        // The second sum's two decimals rescale both: 10 → 1000 hundredths.
        grid.add(7, 0, 4, [m("0"), m("0.25")]).unwrap();
        // Past 64 bits at two decimals: slot 1 goes to the side table, both sums with it.
        grid.add(7, 1, 4, [m("90000000000000000"), m("1")]).unwrap();
        grid.add(7, 1, 4, [m("90000000000000000"), m("1")]).unwrap();
        // A zero sum is still a cell; a second segment's block.
        grid.add(3, 2, 4, [m("0"), m("0")]).unwrap();
        let expected = |slot0: usize, slot1: usize, slot2: usize| {
            let mut cells = vec![
                (7, slot0, ["10".to_string(), "1.25".to_string()]),
                (
                    7,
                    slot1,
                    ["180000000000000000".to_string(), "2".to_string()],
                ),
                (3, slot2, ["0".to_string(), "0".to_string()]),
            ];
            cells.sort();
            cells
        };
        assert_eq!(shown(&grid), expected(0, 1, 2));
        // Slots reversed in blocks of twice the length: dense and side-table cells move.
        grid.relayout(|slot| 7 - slot, |len| len * 2).unwrap();
        assert_eq!(shown(&grid), expected(7, 6, 5));
        grid.add(7, 6, 8, [m("0.01"), m("0")]).unwrap();
        assert_eq!(shown(&grid)[1].2[0], "180000000000000000.01");
        // Sorted by segment, then slot; the side table's cell comes last and says so.
        let (cells, sorted) = grid.by_segment();
        let order: Vec<(u32, usize)> = cells.iter().map(|c| (c.0, c.1)).collect();
        assert_eq!(order, [(3, 5), (7, 7), (7, 6)]);
        assert!(!sorted);
        // Two blocks of 8 slots: 16 of the 100; a third of 90 is over.
        assert!(grid.add(9, 0, 90, [m("1"), m("1")]).is_err());
        assert!(grid.relayout(|slot| slot, |len| len * 10).is_err());
    }
}
