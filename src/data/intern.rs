//! Interned names: each distinct product, region, channel … string is stored once and
//! referred to by a small integer id in the aggregates.

use super::hashing::FastMap;

/// A set of names with stable ids in order of first appearance.
///
/// When a file is read in chunks by several threads, each thread interns into its own
/// `Names`, noting the chunk a name was first seen in ([`Names::set_chunk`]);
/// [`Names::join`] then restores the ids a one-thread read in file order would have given.
#[derive(Debug, Default, Clone)]
pub struct Names {
    ids: FastMap<Box<str>, u32>,
    names: Vec<Box<str>>,
    /// The chunk each name was first seen in, by id.
    first_chunk: Vec<u64>,
    /// The chunk being read.
    chunk: u64,
    /// The id returned last: rows of one order or day repeat their names.
    last: Option<u32>,
}

impl Names {
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(last) = self.last {
            if *self.names[last as usize] == *name {
                return last;
            }
        }
        let id = match self.ids.get(name) {
            Some(&id) => id,
            None => self.add(name, self.chunk),
        };
        self.last = Some(id);
        id
    }

    fn add(&mut self, name: &str, chunk: u64) -> u32 {
        let id = u32::try_from(self.names.len()).expect("fewer than 4 billion distinct names");
        self.names.push(name.into());
        self.first_chunk.push(chunk);
        self.ids.insert(name.into(), id);
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
        // (first chunk, side, id on that side) for every distinct name.
        let mut order: Vec<(u64, u8, u32)> = Vec::with_capacity(self.len() + other.len());
        for (id, name) in self.names.iter().enumerate() {
            let mine = (self.first_chunk[id], 0, id as u32);
            let theirs = other
                .ids
                .get(name)
                .map(|&o| (other.first_chunk[o as usize], 1, o));
            order.push(theirs.map_or(mine, |t| mine.min(t)));
        }
        for (id, name) in other.names.iter().enumerate() {
            if !self.ids.contains_key(name) {
                order.push((other.first_chunk[id], 1, id as u32));
            }
        }
        order.sort_unstable();
        let mut joined = Names {
            chunk: self.chunk.max(other.chunk),
            ..Names::default()
        };
        for &(chunk, side, id) in &order {
            let name = if side == 0 {
                self.name(id)
            } else {
                other.name(id)
            };
            joined.add(name, chunk);
        }
        let remap =
            |names: &Names| -> Vec<u32> { names.names.iter().map(|n| joined.ids[n]).collect() };
        let maps = (remap(self), remap(other));
        *self = joined;
        maps
    }

    pub fn id(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
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
