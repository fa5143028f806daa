//! Hash maps for the streaming pass: FxHash for small keys (ids, dates, names), and a
//! folding hasher for 128-bit fingerprints, which are uniformly random already. Neither is
//! ever iterated into output without sorting, so the choice of hasher cannot change a byte
//! of what is written.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

pub use rustc_hash::FxBuildHasher;

pub type FastMap<K, V> = HashMap<K, V, FxBuildHasher>;

/// A map keyed by xxh3-64 fingerprints of order ids.
pub type OrderMap<V> = HashMap<u64, V, BuildHasherDefault<FoldHasher>>;

/// Ids for keys in order of first appearance, the previous key's id kept at hand: rows of
/// one day (or month) mostly come together, so most lookups compare one key.
#[derive(Debug, Clone)]
pub struct KeyIds<K> {
    ids: FastMap<K, u32>,
    last: Option<(K, u32)>,
}

impl<K> Default for KeyIds<K> {
    fn default() -> Self {
        KeyIds {
            ids: FastMap::default(),
            last: None,
        }
    }
}

impl<K: std::hash::Hash + Eq + Copy> KeyIds<K> {
    /// The id of `key`, and whether it is new (then it is the number of keys before it).
    #[inline]
    pub fn id(&mut self, key: K) -> (u32, bool) {
        if let Some((last, id)) = self.last {
            if last == key {
                return (id, false);
            }
        }
        let next = self.ids.len() as u32;
        let id = *self.ids.entry(key).or_insert(next);
        self.last = Some((key, id));
        (id, id == next)
    }
}

/// Hashes a fingerprint by folding its halves: its bits are already uniform.
#[derive(Default, Clone, Copy)]
pub struct FoldHasher(u64);

impl Hasher for FoldHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write_u128(&mut self, value: u128) {
        self.0 ^= (value as u64) ^ ((value >> 64) as u64);
    }

    fn write_u64(&mut self, value: u64) {
        self.0 ^= value;
    }

    /// Anything but a `u128` (never used): FxHash-style mixing, still a valid hash.
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
}
