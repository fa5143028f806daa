//! The duplicate check's table of row fingerprints (FORMAT.md §9).

/// The duplicate check's set of row fingerprints: open addressing with linear probing in
/// one flat array, sized from the expected row count. It keeps the top 96 bits of each
/// 128-bit fingerprint in a 12-byte slot, so ten million rows take 160 MB (a
/// general-purpose set of `u128` takes 285 MB, and half as much again while it grows).
/// Two different rows share 96 bits with probability about n²/2⁹⁷: below 10⁻¹⁵ for ten
/// million rows. An all-zero slot is empty; the fingerprint whose top 96 bits are zero is
/// kept aside.
#[derive(Debug, Default)]
pub struct FingerprintTable {
    /// Slot `i` is `words[3i..3i + 3]`.
    words: Vec<u32>,
    len: usize,
    has_zero: bool,
}

impl FingerprintTable {
    /// Slots per entry when sized for an expected count (load 0.8).
    const SLACK: f64 = 1.25;

    /// Makes room for `expected` fingerprints in all, so the table need not grow. A table
    /// that must grow takes at least half again: a dataset of many files asks once per
    /// file, and growing by one file's rows each time would rebuild it per file.
    pub fn expect(&mut self, expected: usize) {
        let wanted = (expected as f64 * Self::SLACK) as usize + 16;
        if wanted > self.slots() {
            self.rebuild(wanted.max(self.slots() * 3 / 2));
        }
    }

    /// Adds `fingerprint`; `false` when it was there already.
    pub fn insert(&mut self, fingerprint: u128) -> bool {
        let key = Self::key(fingerprint);
        if key == [0; 3] {
            return !std::mem::replace(&mut self.has_zero, true);
        }
        // Grow at load 0.9 (only when the expected count was too low).
        if (self.len + 1) * 10 > self.slots() * 9 {
            self.rebuild((self.slots() * 3 / 2).max(64));
        }
        let inserted = Self::place(&mut self.words, key);
        self.len += usize::from(inserted);
        inserted
    }

    /// Adds each of `fingerprints` in order, pushing to `new` whether it was new. The
    /// slots of the fingerprints a few places ahead are fetched into the cache while the
    /// current ones are placed: in a table far larger than the cache, each insert is a
    /// cache miss, and this way they overlap.
    pub fn insert_all(&mut self, fingerprints: &[u128], new: &mut Vec<bool>) {
        const AHEAD: usize = 8;
        while (self.len + fingerprints.len()) * 10 > self.slots() * 9 {
            self.rebuild((self.slots() * 3 / 2).max(64));
        }
        for (i, &fingerprint) in fingerprints.iter().enumerate() {
            if let Some(&ahead) = fingerprints.get(i + AHEAD) {
                self.prefetch(Self::key(ahead));
            }
            let key = Self::key(fingerprint);
            let inserted = if key == [0; 3] {
                !std::mem::replace(&mut self.has_zero, true)
            } else {
                Self::place(&mut self.words, key)
            };
            self.len += usize::from(inserted && key != [0; 3]);
            new.push(inserted);
        }
    }

    /// Asks for the cache line of `key`'s first slot.
    #[inline]
    fn prefetch(&self, key: [u32; 3]) {
        let i = Self::home(key, self.slots());
        // Measured with `scripts/bench` (builds alternating): without the prefetch the
        // whole build takes 4 % longer at 10M rows and 8 % at 1M.
        if let Some(slot) = self.words.get(3 * i) {
            crate::memory::prefetch(slot);
        }
    }

    /// Gives the table's memory back once no more rows will be checked (the last file of
    /// a dataset is read): what the pass joins next then fits where the table was.
    pub fn release(&mut self) {
        *self = FingerprintTable::default();
    }

    pub fn len(&self) -> usize {
        self.len + usize::from(self.has_zero)
    }

    fn slots(&self) -> usize {
        self.words.len() / 3
    }

    /// The top 96 bits, most significant word first.
    fn key(fingerprint: u128) -> [u32; 3] {
        [
            (fingerprint >> 96) as u32,
            (fingerprint >> 64) as u32,
            (fingerprint >> 32) as u32,
        ]
    }

    /// Puts `key` (not all zero) into `words`; `false` when it is there already.
    fn place(words: &mut [u32], key: [u32; 3]) -> bool {
        let n = words.len() / 3;
        let mut i = Self::home(key, n);
        loop {
            let slot = &mut words[3 * i..3 * i + 3];
            if slot == key {
                return false;
            }
            if slot == [0; 3] {
                slot.copy_from_slice(&key);
                return true;
            }
            i = if i + 1 == n { 0 } else { i + 1 };
        }
    }

    /// The slot where `key`'s search starts, in a table of `slots` slots: multiply-shift
    /// maps the top 64 bits onto any table length without a division.
    #[inline]
    fn home(key: [u32; 3], slots: usize) -> usize {
        let top = (u64::from(key[0]) << 32) | u64::from(key[1]);
        ((u128::from(top) * slots as u128) >> 64) as usize
    }

    fn rebuild(&mut self, slots: usize) {
        let mut words = vec![0; slots * 3];
        // Measured with `scripts/bench` (builds alternating): without huge pages the
        // whole build takes 3 % longer at 10M rows and 4 % at 1M.
        crate::memory::huge_pages(&mut words);
        let old = std::mem::replace(&mut self.words, words);
        for key in old.chunks_exact(3).filter(|k| *k != [0; 3]) {
            Self::place(&mut self.words, [key[0], key[1], key[2]]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(i: u64) -> u128 {
        xxhash_rust::xxh3::xxh3_128(&i.to_le_bytes())
    }

    #[test]
    fn the_fingerprint_table_finds_what_it_holds_while_it_grows() {
        let mut table = FingerprintTable::default();
        table.expect(100);
        // 10,000 distinct values: the table grows from 141 slots, each new value is new,
        // each repeated one is found, also after growing.
        for i in 0..10_000 {
            assert!(table.insert(fp(i)), "{i} is new");
            assert!(!table.insert(fp(i / 2)), "{} was added before", i / 2);
        }
        assert_eq!(table.len(), 10_000);
        // A fingerprint whose top 96 bits are zero is kept aside.
        assert!(table.insert(7));
        assert!(!table.insert(7));
        assert_eq!(table.len(), 10_001);
        // Sized for the expected count, it never grows.
        let mut sized = FingerprintTable::default();
        sized.expect(1000);
        let slots = sized.slots();
        for i in 0..1000 {
            sized.insert(fp(i));
        }
        assert_eq!(sized.slots(), slots);
    }

    #[test]
    fn inserting_a_batch_answers_as_inserting_one_by_one() {
        // 0..3000 with every third value repeated (i / 3 * 3 for every i); one by one and
        // in batches of 100 into a table that starts too small, plus the zero fingerprint.
        let values: Vec<u128> = (0..3000u64)
            .map(|i| if i % 3 == 2 { fp(i / 3 * 3) } else { fp(i) })
            .chain([5, 5])
            .collect();
        let mut one = FingerprintTable::default();
        let singly: Vec<bool> = values.iter().map(|&v| one.insert(v)).collect();
        let mut batched = FingerprintTable::default();
        let mut new = Vec::new();
        for batch in values.chunks(100) {
            batched.insert_all(batch, &mut new);
        }
        assert_eq!(new, singly);
        // 2000 distinct of 0..3000 (i % 3 != 2), and 5 once.
        assert_eq!(batched.len(), 2001);
        assert_eq!(singly.iter().filter(|&&b| b).count(), 2001);
    }
}
