//! Exact money: a decimal amount that is never binary floating point, and the currency
//! table (symbol, minor units) used to round and print it.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub};

use rust_decimal::{Decimal, RoundingStrategy};

/// An exact decimal kept with every decimal it was given: a scaled integer,
/// `units × 10^-scale`. Amounts ([`Money`]) and quantities are summed as these.
///
/// Sums are what the streaming pass does millions of times, so adding two values of the
/// same scale (the usual case: every amount of an export has the same decimals) is one
/// 128-bit addition. Values of different scales are aligned to the larger one, as a
/// decimal sum keeps every decimal. 128 bits hold 38 digits: values are limited to 18
/// digits before the point when read, so sums stay exact up to billions of rows at any
/// realistic scale. Should a sum ever need more than 38 digits, it is taken to the 96-bit
/// decimal type, which rounds its last decimals (and, past 7.9 × 10^28, saturates).
///
/// Equality, order and hashing are by value: `1.50` equals `1.5`.
#[derive(Clone, Copy, Default)]
#[repr(C, packed(8))]
pub struct Exact {
    units: i128,
    scale: u32,
}

/// `10^n` for `n` up to 38.
fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

impl Exact {
    pub const ZERO: Exact = Exact { units: 0, scale: 0 };

    pub fn new(value: Decimal) -> Self {
        Exact {
            units: value.mantissa(),
            scale: value.scale(),
        }
    }

    /// `units × 10^-scale`.
    pub fn from_scaled(units: i64, scale: u32) -> Self {
        Exact {
            units: i128::from(units),
            scale,
        }
    }

    pub fn from_units(units: i64) -> Self {
        Exact::from_scaled(units, 0)
    }

    /// `units × 10^-scale`, for sums kept apart as integers.
    pub fn from_parts(units: i128, scale: u32) -> Self {
        Exact { units, scale }
    }

    /// The units and scale the value is held at (see [`Exact::from_parts`]).
    pub fn parts(self) -> (i128, u32) {
        (self.units, self.scale)
    }

    /// The value as a decimal (rounded at its last decimals in the case the type
    /// documentation describes).
    pub fn decimal(self) -> Decimal {
        // Decimal holds 96 bits and 28 decimals: drop as few decimals as that takes, and
        // round once (half away from zero) from the exact value.
        let fits = |units: i128, scale: u32| scale <= 28 && units.unsigned_abs() < 1 << 96;
        let mut drop = 0;
        let mut truncated = self.units;
        while self.scale > drop && !fits(truncated, self.scale - drop) {
            truncated /= 10;
            drop += 1;
        }
        loop {
            let (units, scale) = match pow10(drop) {
                Some(p) if drop > 0 => {
                    let (q, r) = (self.units / p, self.units % p);
                    let away = r.unsigned_abs() >= p.unsigned_abs().div_ceil(2);
                    (
                        q + if away { self.units.signum() } else { 0 },
                        self.scale - drop,
                    )
                }
                _ => (self.units, self.scale),
            };
            if let Ok(d) = Decimal::try_from_i128_with_scale(units, scale) {
                return d;
            }
            // Rounding carried past 96 bits (or no decimals are left to drop).
            if scale == 0 {
                return if units < 0 {
                    Decimal::MIN
                } else {
                    Decimal::MAX
                };
            }
            drop += 1;
        }
    }

    pub fn is_zero(self) -> bool {
        self.units == 0
    }

    pub fn is_positive(self) -> bool {
        self.units > 0
    }

    /// Checked addition, for sums over user data that could in theory overflow.
    pub fn checked_add(self, other: Exact) -> Option<Exact> {
        let (a, b, scale) = self.aligned(other)?;
        Some(Exact {
            units: a.checked_add(b)?,
            scale,
        })
    }

    /// Both amounts' units at the larger scale; `None` when that does not fit.
    fn aligned(self, other: Exact) -> Option<(i128, i128, u32)> {
        let (a, sa, b, sb) = (self.units, self.scale, other.units, other.scale);
        match sa.cmp(&sb) {
            Ordering::Equal => Some((a, b, sa)),
            Ordering::Less => Some((a.checked_mul(pow10(sb - sa)?)?, b, sb)),
            Ordering::Greater => Some((a, b.checked_mul(pow10(sa - sb)?)?, sa)),
        }
    }

    /// Addition past the fast path: a fresh sum (zero, no decimals) takes the first
    /// value's scale, as a decimal sum would; others are aligned, or else go through the
    /// decimal type.
    #[inline(never)]
    fn add_slow(self, other: Exact) -> Exact {
        if self.scale == 0 && self.units == 0 {
            return other;
        }
        self.checked_add(other).unwrap_or_else(|| {
            let (a, b) = (self.decimal(), other.decimal());
            Exact::new(a.checked_add(b).unwrap_or(if a.is_sign_negative() {
                Decimal::MIN
            } else {
                Decimal::MAX
            }))
        })
    }
}

impl Add for Exact {
    type Output = Exact;
    #[inline]
    fn add(mut self, rhs: Exact) -> Exact {
        self += rhs;
        self
    }
}

impl AddAssign for Exact {
    /// One 128-bit addition when the scales match (the usual case); the rest out of line.
    #[inline]
    fn add_assign(&mut self, rhs: Exact) {
        if self.scale == rhs.scale {
            if let Some(units) = self.units.checked_add(rhs.units) {
                self.units = units;
                return;
            }
        }
        *self = self.add_slow(rhs);
    }
}

impl Neg for Exact {
    type Output = Exact;
    fn neg(self) -> Exact {
        match self.units.checked_neg() {
            Some(units) => Exact {
                units,
                scale: self.scale,
            },
            None => Exact::new(-self.decimal()),
        }
    }
}

impl Sub for Exact {
    type Output = Exact;
    #[inline]
    fn sub(self, rhs: Exact) -> Exact {
        self + -rhs
    }
}

impl PartialEq for Exact {
    fn eq(&self, other: &Exact) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Exact {}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Exact) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Exact {
    fn cmp(&self, other: &Exact) -> Ordering {
        match self.aligned(*other) {
            Some((a, b, _)) => a.cmp(&b),
            None => self.decimal().cmp(&other.decimal()),
        }
    }
}

impl Hash for Exact {
    /// By value: the units with trailing zeros dropped.
    fn hash<H: Hasher>(&self, state: &mut H) {
        let (mut units, mut scale) = (self.units, self.scale);
        while scale > 0 && units % 10 == 0 {
            units /= 10;
            scale -= 1;
        }
        units.hash(state);
        scale.hash(state);
    }
}

impl fmt::Debug for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.decimal())
    }
}

/// An exact amount of money in the plan's currency, kept with every decimal it was given.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Exact);

impl Money {
    pub const ZERO: Money = Money(Exact::ZERO);

    pub fn new(value: Decimal) -> Self {
        Money(Exact::new(value))
    }

    pub fn exact(value: Exact) -> Self {
        Money(value)
    }

    /// The exact amount.
    pub fn as_exact(self) -> Exact {
        self.0
    }

    pub fn from_units(units: i64) -> Self {
        Money(Exact::from_units(units))
    }

    pub fn decimal(self) -> Decimal {
        self.0.decimal()
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    pub fn is_positive(self) -> bool {
        self.0.is_positive()
    }

    /// `self / other` as an exact-as-possible decimal ratio; `None` when `other` is zero.
    pub fn ratio_to(self, other: Money) -> Option<Decimal> {
        ratio(self.decimal(), other.decimal())
    }

    /// Rounded half away from zero to the currency's minor units.
    pub fn round_to(self, currency: &Currency) -> Decimal {
        round_half_away(self.decimal(), currency.minor_units)
    }

    /// Checked addition, for sums over user data that could in theory overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }
}

impl Add for Money {
    type Output = Money;
    #[inline]
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    #[inline]
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    #[inline]
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({})", self.decimal())
    }
}

/// `a / b` in decimal arithmetic (28 significant digits); `None` when `b` is zero.
pub fn ratio(a: Decimal, b: Decimal) -> Option<Decimal> {
    if b.is_zero() {
        None
    } else {
        a.checked_div(b)
    }
}

/// Rounding used for every output number (FORMAT.md §9): half away from zero.
pub fn round_half_away(value: Decimal, decimals: u32) -> Decimal {
    value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

/// An ISO 4217 currency as the plan names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Currency {
    pub code: &'static str,
    pub symbol: &'static str,
    pub minor_units: u32,
}

/// Currencies with their usual symbol and minor units. Codes not listed are an error in
/// plan.yaml, so a typo never silently prints the wrong symbol.
const CURRENCIES: &[(&str, &str, u32)] = &[
    ("AED", "AED ", 2),
    ("AUD", "A$", 2),
    ("BRL", "R$", 2),
    ("CAD", "CA$", 2),
    ("CHF", "CHF ", 2),
    ("CNY", "¥", 2),
    ("CZK", "Kč ", 2),
    ("DKK", "kr ", 2),
    ("EUR", "€", 2),
    ("GBP", "£", 2),
    ("HKD", "HK$", 2),
    ("IDR", "Rp ", 2),
    ("INR", "₹", 2),
    ("JPY", "¥", 0),
    ("KRW", "₩", 0),
    ("MOP", "MOP$", 2),
    ("MXN", "MX$", 2),
    ("MYR", "RM ", 2),
    ("NOK", "kr ", 2),
    ("NZD", "NZ$", 2),
    ("PHP", "₱", 2),
    ("PLN", "zł ", 2),
    ("RUB", "₽", 2),
    ("SAR", "SAR ", 2),
    ("SEK", "kr ", 2),
    ("SGD", "S$", 2),
    ("THB", "฿", 2),
    ("TRY", "₺", 2),
    ("TWD", "NT$", 2),
    ("USD", "$", 2),
    ("VND", "₫", 0),
    ("ZAR", "R ", 2),
];

impl Currency {
    /// Looks a code up in the built-in table (exact, upper-case ISO code).
    pub fn from_code(code: &str) -> Option<Currency> {
        CURRENCIES
            .iter()
            .find(|(c, _, _)| *c == code)
            .map(|&(code, symbol, minor_units)| Currency {
                code,
                symbol,
                minor_units,
            })
    }

    /// All codes the table knows, for error messages.
    pub fn known_codes() -> impl Iterator<Item = &'static str> {
        CURRENCIES.iter().map(|(c, _, _)| *c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_half_away(d("0.125"), 2), d("0.13"));
        assert_eq!(round_half_away(d("-0.125"), 2), d("-0.13"));
        assert_eq!(round_half_away(d("2.5"), 0), d("3"));
        assert_eq!(round_half_away(d("0.12345"), 4), d("0.1235"));
    }

    #[test]
    fn sums_keep_every_decimal() {
        // 22.368 + 0.0015 + 1 = 23.3695 exactly; binary floating point would not.
        let total: Money = [d("22.368"), d("0.0015"), d("1")]
            .into_iter()
            .map(Money::new)
            .sum();
        assert_eq!(total.decimal(), d("23.3695"));
        let cny = Currency::from_code("CNY").unwrap();
        assert_eq!(total.round_to(&cny), d("23.37"));
    }

    #[test]
    fn amounts_of_different_scales_add_exactly_and_compare_by_value() {
        let m = |s: &str| Money::new(d(s));
        // 0.1 + 0.25 = 0.35; a fresh sum takes the first amount's scale (0 + 1.50 = 1.50).
        assert_eq!((m("0.1") + m("0.25")).decimal().to_string(), "0.35");
        assert_eq!((Money::ZERO + m("1.50")).decimal().to_string(), "1.50");
        // 2 − 0.125 = 1.875, and −(−3) = 3.
        assert_eq!((m("2") - m("0.125")).decimal(), d("1.875"));
        assert_eq!(-m("-3"), m("3"));
        // By value: 1.50 = 1.5 (same hash too), 1.5 < 1.51, −1 < 0.
        assert_eq!(m("1.50"), m("1.5"));
        let hash = |x: Money| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            x.hash(&mut h);
            h.finish()
        };
        assert_eq!(hash(m("1.50")), hash(m("1.5")));
        assert_eq!(hash(m("0.00")), hash(Money::ZERO));
        assert!(m("1.5") < m("1.51") && m("-1") < Money::ZERO);
        assert!(m("0.01").is_positive() && !m("-0.01").is_positive() && m("0.000").is_zero());
    }

    #[test]
    fn sums_past_128_bits_go_through_the_decimal_type() {
        let huge = Exact::from_scaled(i64::MAX, 0);
        let mut total = Exact::ZERO;
        for _ in 0..10 {
            total += huge;
        }
        // 10 × (2^63 − 1) = 92233720368547758070 exactly (fits 128 bits at scale 0).
        assert_eq!(total.decimal(), d("92233720368547758070"));
        // 0.123456789012345678901234567890 (30 decimals): its decimal form is rounded
        // to 28 — …5678|90 rounds up to …5679.
        let fine = Exact {
            units: 123_456_789_012_345_678_901_234_567_890,
            scale: 30,
        };
        assert_eq!(fine.decimal(), d("0.1234567890123456789012345679"));
        // Rounded once, not digit by digit: 0.1 followed by 27 zeros and 49 keeps …0 at
        // 28 decimals (rounding the 9 first, then the 5, would give …1).
        let once = Exact {
            units: 10i128.pow(29) + 49,
            scale: 30,
        };
        assert_eq!(once.decimal(), d("0.1000000000000000000000000000"));
        // Negative values round away from zero: −0.…95 at 30 decimals → −0.…1 at 28.
        let negative = Exact {
            units: -(10i128.pow(29) + 95),
            scale: 30,
        };
        assert_eq!(negative.decimal(), d("-0.1000000000000000000000000001"));
        // Two amounts whose alignment overflows 128 bits (10^37 at 20 decimals) add
        // through the decimal type, which saturates past 7.9 × 10^28.
        let wide = Exact {
            units: 10i128.pow(37),
            scale: 0,
        };
        let tiny = Exact {
            units: 1,
            scale: 20,
        };
        assert_eq!((wide + tiny).decimal(), Decimal::MAX);
    }

    #[test]
    fn currencies_have_minor_units() {
        assert_eq!(Currency::from_code("JPY").unwrap().minor_units, 0);
        assert_eq!(Currency::from_code("CNY").unwrap().symbol, "¥");
        assert!(Currency::from_code("cny").is_none());
    }
}
