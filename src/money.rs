//! Exact money: a decimal amount that is never binary floating point, and the currency
//! table (symbol, minor units) used to round and print it.

use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub};

use rust_decimal::{Decimal, RoundingStrategy};

/// An exact amount of money in the plan's currency, kept with every decimal it was given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    pub fn new(value: Decimal) -> Self {
        Money(value)
    }

    pub fn from_units(units: i64) -> Self {
        Money(Decimal::from(units))
    }

    pub fn decimal(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    pub fn is_positive(self) -> bool {
        self.0.is_sign_positive() && !self.0.is_zero()
    }

    /// `self / other` as an exact-as-possible decimal ratio; `None` when `other` is zero.
    pub fn ratio_to(self, other: Money) -> Option<Decimal> {
        ratio(self.0, other.0)
    }

    /// Rounded half away from zero to the currency's minor units.
    pub fn round_to(self, currency: &Currency) -> Decimal {
        round_half_away(self.0, currency.minor_units)
    }

    /// Checked addition, for sums over user data that could in theory overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
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
    fn currencies_have_minor_units() {
        assert_eq!(Currency::from_code("JPY").unwrap().minor_units, 0);
        assert_eq!(Currency::from_code("CNY").unwrap().symbol, "¥");
        assert!(Currency::from_code("cny").is_none());
    }
}
