//! The allocation rule of FORMAT.md §6: split a whole number of currency units by
//! weights, floor each exact part, hand the remaining units to the largest fractional
//! remainders (ties: earlier part first). Parts always sum exactly to the whole.

use rust_decimal::Decimal;

/// Splits `whole` by non-negative decimal `weights` (normalised). `None` when the weights
/// sum to zero.
pub fn allocate(whole: i64, weights: &[Decimal]) -> Option<Vec<i64>> {
    let weights = integer_weights(weights)?;
    allocate_integer(whole, &weights)
}

/// Decimal weights as integers on their common scale, so every later step is exact.
fn integer_weights(weights: &[Decimal]) -> Option<Vec<i128>> {
    let scale = weights.iter().map(|w| w.scale()).max().unwrap_or(0);
    weights
        .iter()
        .map(|w| {
            let w = w.max(&Decimal::ZERO);
            let factor = 10i128.checked_pow(scale - w.scale())?;
            w.mantissa().checked_mul(factor)
        })
        .collect()
}

fn allocate_integer(whole: i64, weights: &[i128]) -> Option<Vec<i64>> {
    let mut weights = weights.to_vec();
    let whole = i128::from(whole);
    // Keep whole × weight inside i128; only absurd inputs ever need this.
    while weights.iter().any(|&w| w.checked_mul(whole).is_none()) {
        weights.iter_mut().for_each(|w| *w /= 10);
    }
    let total: i128 = weights.iter().sum();
    if total <= 0 {
        return None;
    }
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for &w in &weights {
        let exact = whole * w;
        parts.push(exact.div_euclid(total));
        remainders.push(exact.rem_euclid(total));
    }
    let leftover = whole - parts.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Largest remainder first; the stable sort keeps earlier parts first on ties.
    order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]));
    for &i in order.iter().take(leftover as usize) {
        parts[i] += 1;
    }
    Some(parts.into_iter().map(|p| p as i64).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn even_split_gives_leftovers_to_the_earliest() {
        // 1000 / 12 = 83.33…: floors 83 × 12 = 996, the 4 units left go to months 1-4.
        let parts = allocate(1000, &[Decimal::ONE; 12]).unwrap();
        assert_eq!(parts, [84, 84, 84, 84, 83, 83, 83, 83, 83, 83, 83, 83]);
    }

    #[test]
    fn shares_tie_on_remainder() {
        // 1000 × (0.3335, 0.3335, 0.333) = 333.5, 333.5, 333: one unit left, tie → first.
        let parts = allocate(1000, &[d("0.3335"), d("0.3335"), d("0.333")]).unwrap();
        assert_eq!(parts, [334, 333, 333]);
    }

    #[test]
    fn largest_remainder_wins_over_position() {
        // 10 × (1, 1, 2)/4 = 2.5, 2.5, 5 → floors 2, 2, 5 = 9; one unit, tie 0.5/0.5 → first.
        assert_eq!(allocate(10, &[d("1"), d("1"), d("2")]).unwrap(), [3, 2, 5]);
        // 100 × (0.1, 0.25, 0.65) → 10, 25, 65 exactly: nothing left over.
        assert_eq!(
            allocate(100, &[d("0.1"), d("0.25"), d("0.65")]).unwrap(),
            [10, 25, 65]
        );
        // 7 × (1, 2)/3 = 2.33, 4.67 → floors 2, 4; the unit goes to the .67 remainder.
        assert_eq!(allocate(7, &[d("1"), d("2")]).unwrap(), [2, 5]);
    }

    #[test]
    fn weights_of_different_scales_are_exact() {
        // Revenue weights 100.5 and 99.5 (scale 1) and 0.25 (scale 2): 10 × w / 200.25.
        let parts = allocate(10, &[d("100.5"), d("99.5"), d("0.25")]).unwrap();
        assert_eq!(parts.iter().sum::<i64>(), 10);
        assert_eq!(parts, [5, 5, 0]);
    }

    #[test]
    fn zero_weights_cannot_be_split() {
        assert_eq!(allocate(10, &[Decimal::ZERO, Decimal::ZERO]), None);
    }
}
