//! Interned names: each distinct product, region, channel … string is stored once and
//! referred to by a small integer id in the aggregates.

/// A set of names with stable ids in order of first appearance.
///
/// When a file is read in chunks by several threads, each thread interns into its own
/// `Names`, noting the chunk a name was first seen in ([`Names::set_chunk`]);
/// [`Names::join`] then restores the ids a one-thread read in file order would have given.
///
/// Interning runs several times per row, so the lookup is its own: open addressing over
/// 8-byte slots (32 bits of the hash, compared first, and the id), short names compared
/// word by word in line rather than through `memcmp`.
#[derive(Debug, Default, Clone)]
pub struct Names {
    /// `(high half of the hash, id + 1)`; `id + 1 == 0` is an empty slot. The length is a
    /// power of two, and at most half are taken.
    slots: Vec<(u32, u32)>,
    names: Vec<Box<str>>,
    /// The chunk each name was first seen in, by id.
    first_chunk: Vec<u64>,
    /// The chunk being read.
    chunk: u64,
    /// The id returned last: rows of one order or day repeat their names.
    last: Option<u32>,
}

fn hash(name: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(name.as_bytes())
}

/// Byte equality, without a call into `memcmp` for up to 32 bytes (names, dates).
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().expect("8 bytes"));
    let half = |s: &[u8], at: usize| u32::from_le_bytes(s[at..at + 4].try_into().expect("4 bytes"));
    match n {
        // Overlapping reads cover the whole name.
        17..=32 => {
            word(a, 0) == word(b, 0)
                && word(a, 8) == word(b, 8)
                && word(a, n - 16) == word(b, n - 16)
                && word(a, n - 8) == word(b, n - 8)
        }
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        _ => a == b,
    }
}

#[inline]
fn same(a: &str, b: &str) -> bool {
    same_bytes(a.as_bytes(), b.as_bytes())
}

/// Up to this many names, interning scans them instead of hashing.
const SCAN_NAMES: usize = 8;

impl Names {
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(last) = self.last {
            if same(&self.names[last as usize], name) {
                return last;
            }
        }
        // A handful of names (regions, channels) is scanned faster than hashed.
        if self.names.len() <= SCAN_NAMES {
            if let Some(id) = self.names.iter().position(|n| same(n, name)) {
                self.last = Some(id as u32);
                return id as u32;
            }
        }
        let h = hash(name);
        let id = match self.find(name, h) {
            Ok(id) => id,
            Err(_) => self.add(name, h, self.chunk),
        };
        self.last = Some(id);
        id
    }

    /// The id of `name` (hashing to `h`), or the empty slot where it would go.
    #[inline]
    fn find(&self, name: &str, h: u64) -> Result<u32, usize> {
        if self.slots.is_empty() {
            return Err(0);
        }
        let mask = self.slots.len() - 1;
        let tag = (h >> 32) as u32;
        let mut i = h as usize & mask;
        loop {
            let (slot_tag, slot_id) = self.slots[i];
            if slot_id == 0 {
                return Err(i);
            }
            if slot_tag == tag && same(&self.names[slot_id as usize - 1], name) {
                return Ok(slot_id - 1);
            }
            i = (i + 1) & mask;
        }
    }

    fn add(&mut self, name: &str, h: u64, chunk: u64) -> u32 {
        let id = u32::try_from(self.names.len())
            .ok()
            .filter(|&id| id < u32::MAX)
            .expect("fewer than 4 billion distinct names");
        // At most half full.
        if (self.names.len() + 1) * 2 > self.slots.len() {
            let mut slots = vec![(0, 0); (self.slots.len() * 2).max(16)];
            let mask = slots.len() - 1;
            for (id, name) in self.names.iter().enumerate() {
                let h = hash(name);
                let mut i = h as usize & mask;
                while slots[i].1 != 0 {
                    i = (i + 1) & mask;
                }
                slots[i] = ((h >> 32) as u32, id as u32 + 1);
            }
            self.slots = slots;
        }
        let Err(slot) = self.find(name, h) else {
            unreachable!("`add` is called for a new name only");
        };
        self.slots[slot] = ((h >> 32) as u32, id + 1);
        self.names.push(name.into());
        self.first_chunk.push(chunk);
        id
    }

    /// Names interned from now on were first seen in `chunk` (chunks are numbered in file
    /// order; one `Names` sees its chunks in increasing order).
    pub fn set_chunk(&mut self, chunk: u64) {
        self.chunk = chunk;
    }

    /// Takes in the names of `other`, filled from other chunks of the same files. Ids are
    /// renumbered in order of first appearance across both — by first chunk, and within a
    /// chunk (which only one side read) by that side's ids. Returns the new id of each old
    /// id of `self`, and of `other`.
    pub fn join(&mut self, other: &Names) -> (Vec<u32>, Vec<u32>) {
        // Where each of `other`'s names is here, looked up once.
        let theirs_here: Vec<Option<u32>> = other.names.iter().map(|n| self.id(n)).collect();
        // The (first chunk, side, id on that side) of every distinct name: this side's
        // names first (by id), then `other`'s new ones (in their order).
        let mut keys: Vec<(u64, u8, u32)> = (0..self.len())
            .map(|i| (self.first_chunk[i], 0, i as u32))
            .collect();
        for (j, here) in theirs_here.iter().enumerate() {
            let theirs = (other.first_chunk[j], 1, j as u32);
            match here {
                Some(i) => keys[*i as usize] = keys[*i as usize].min(theirs),
                None => keys.push(theirs),
            }
        }
        let mut order: Vec<u32> = (0..keys.len() as u32).collect();
        order.sort_unstable_by_key(|&k| keys[k as usize]);
        let mut new_id = vec![0u32; keys.len()];
        for (id, &k) in order.iter().enumerate() {
            new_id[k as usize] = id as u32;
        }
        let mine = new_id[..self.len()].to_vec();
        let mut next_new = self.len();
        let theirs = theirs_here
            .iter()
            .map(|here| match here {
                Some(i) => new_id[*i as usize],
                None => {
                    next_new += 1;
                    new_id[next_new - 1]
                }
            })
            .collect();
        let mut joined = Names {
            chunk: self.chunk.max(other.chunk),
            // Room for every name, so the table never grows while filling.
            slots: vec![(0, 0); (keys.len() * 2).next_power_of_two().max(16)],
            ..Names::default()
        };
        for &k in &order {
            let (chunk, side, id) = keys[k as usize];
            let name = if side == 0 {
                self.name(id)
            } else {
                other.name(id)
            };
            joined.add(name, hash(name), chunk);
        }
        *self = joined;
        (mine, theirs)
    }

    pub fn id(&self, name: &str) -> Option<u32> {
        self.find(name, hash(name)).ok()
    }

    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Every name, by id.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|n| &**n)
    }

    /// Every name, in Unicode code-point order.
    pub fn sorted(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.names.iter().map(|n| &**n).collect();
        names.sort_unstable();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Interns `names` chunk by chunk: `(chunk, names)` pairs.
    fn read(chunks: &[(u64, &[&str])]) -> Names {
        let mut names = Names::default();
        for (chunk, list) in chunks {
            names.set_chunk(*chunk);
            for n in *list {
                names.intern(n);
            }
        }
        names
    }

    #[test]
    fn names_differing_in_any_one_byte_are_different_names() {
        // Every prefix of a 40-byte name (lengths 0..=40, through the word-compare
        // lengths) and, for each, the same with each byte changed in turn: all distinct,
        // each found again under its own id, across several table growths.
        let base = "abcdefghijklmnopqrstuvwxyz0123456789ABCD";
        let mut all: Vec<String> = Vec::new();
        for n in 0..=base.len() {
            all.push(base[..n].to_string());
            for at in 0..n {
                let mut bytes = base.as_bytes()[..n].to_vec();
                bytes[at] = b'_';
                all.push(String::from_utf8(bytes).unwrap());
            }
        }
        let mut names = Names::default();
        for (i, n) in all.iter().enumerate() {
            assert_eq!(names.intern(n), i as u32, "{n:?} is new");
        }
        for (i, n) in all.iter().enumerate().rev() {
            assert_eq!(names.intern(n), i as u32);
            assert_eq!(names.id(n), Some(i as u32));
            assert_eq!(names.name(i as u32), n);
        }
        assert_eq!(names.len(), all.len());
        assert_eq!(names.id("not there"), None);
    }

    #[test]
    fn joined_names_get_the_ids_of_a_read_in_file_order() {
        // Chunks 0..4 of one file: in file order the names first appear as
        // b (0), a (0), d (1), c (2), e (3) — so those are ids 0..5.
        let chunks: [(u64, &[&str]); 4] = [
            (0, &["b", "a", "b"]),
            (1, &["a", "d"]),
            (2, &["c", "d", "b"]),
            (3, &["e", "c"]),
        ];
        let in_order = read(&chunks);
        // Two threads took chunks 0 and 3, and 1 and 2.
        let mut first = read(&[chunks[0], chunks[3]]);
        let second = read(&[chunks[1], chunks[2]]);
        let (mine, theirs) = first.join(&second);
        let all: Vec<&str> = (0..first.len() as u32).map(|i| first.name(i)).collect();
        assert_eq!(all, ["b", "a", "d", "c", "e"]);
        let expected: Vec<&str> = (0..in_order.len() as u32)
            .map(|i| in_order.name(i))
            .collect();
        assert_eq!(all, expected);
        // first had b=0 a=1 e=2 c=3; second had a=0 d=1 c=2 b=3.
        assert_eq!(mine, [0, 1, 4, 3]);
        assert_eq!(theirs, [1, 2, 3, 0]);
        // Names seen later keep coming after the joined ones.
        first.set_chunk(9);
        assert_eq!(first.intern("f"), 5);
        assert_eq!(first.intern("a"), 1);
    }
}
