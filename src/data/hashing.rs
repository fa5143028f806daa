//! Hash maps for the streaming pass: FxHash for small keys (ids, dates, names), and a
//! folding hasher for 128-bit fingerprints, which are uniformly random already. Neither is
//! ever iterated into output without sorting, so the choice of hasher cannot change a byte
//! of what is written.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

pub use rustc_hash::FxBuildHasher;

pub type FastMap<K, V> = HashMap<K, V, FxBuildHasher>;

/// A set of xxh3-128 fingerprints.
pub type FingerprintSet = HashSet<u128, BuildHasherDefault<FoldHasher>>;

/// A map keyed by xxh3-128 fingerprints.
pub type FingerprintMap<V> = HashMap<u128, V, BuildHasherDefault<FoldHasher>>;

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

    /// Anything but a `u128` (never used): FxHash-style mixing, still a valid hash.
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_sets_find_what_they_hold() {
        let mut set = FingerprintSet::default();
        for i in 0..1000u128 {
            assert!(set.insert(xxhash_rust::xxh3::xxh3_128(&i.to_le_bytes())));
        }
        assert!(!set.insert(xxhash_rust::xxh3::xxh3_128(&7u128.to_le_bytes())));
        assert_eq!(set.len(), 1000);
    }
}
