//! Numbers, money, percentages and dates as a reader of each language expects them:
//! thousands separators and the currency symbol, `12.4 %` vs `12.4%`, compact figures in
//! K/M/B or 万/亿, `31 May 2027` vs `2027年5月31日`.

use crate::render::i18n::Strings;
use chrono::{Datelike, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::model::table::{fixed, Kind, Value};
use crate::money::{round_half_away, Currency};
use crate::period::YearMonth;
use crate::plan::Language;

/// Formats values for one language and currency.
#[derive(Debug, Clone)]
pub struct Formatter {
    pub language: Language,
    pub currency: Currency,
    /// The UI strings of `language` (with the theme's overrides).
    pub strings: Strings,
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Formatter {
    /// The formats of `language` with its built-in UI strings.
    pub fn new(language: Language, currency: Currency) -> Self {
        Formatter::with_strings(language, currency, Strings::built_in(language))
    }

    pub fn with_strings(language: Language, currency: Currency, strings: Strings) -> Self {
        Formatter {
            language,
            currency,
            strings,
        }
    }

    /// A UI string (`i18n/<language>.toml`).
    pub fn t(&self, key: &str) -> &str {
        self.strings.get(key)
    }

    /// A name in words for a reader: the plan's or the built-in label `label.<id>`
    /// (metrics, cost items, `all`, …), else an identifier as words ([`words`]); a name
    /// that is already words ("Online Store", "iPhone", "产品质量") stays as it is.
    pub fn name(&self, id: &str) -> String {
        match self.strings.try_get(&format!("label.{id}")) {
            Some(label) => label.to_string(),
            None if is_identifier(id) => words(id),
            None => id.to_string(),
        }
    }

    /// A word or phrase that starts a table cell or a fact, with its first letter upper
    /// case ("not started" → "Not started"); Chinese has no case and is unchanged.
    pub fn cell_word(&self, text: &str) -> String {
        let mut chars = text.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    }

    /// A KPI metric in words: `revenue_attainment_ytd` → "Revenue attainment, year to
    /// date"; `channel_share:Online Store` → "Online Store share of revenue".
    pub fn metric(&self, metric: &str) -> String {
        match metric.split_once(':') {
            Some((_, channel)) => self
                .t("label.channel_share")
                .replace("{channel}", channel.trim()),
            None => self.name(metric),
        }
    }

    /// `¥1,234,567.89`; negatives as `−¥1,234.00` (a true minus sign, visible in print).
    pub fn money(&self, value: Decimal) -> String {
        self.money_dp(value, self.currency.minor_units)
    }

    /// Money rounded to whole units: `¥1,234,568`.
    pub fn money_whole(&self, value: Decimal) -> String {
        self.money_dp(value, 0)
    }

    fn money_dp(&self, value: Decimal, dp: u32) -> String {
        let rounded = round_half_away(value, dp);
        let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
            "−"
        } else {
            ""
        };
        format!(
            "{sign}{}{}",
            self.currency.symbol,
            group(&fixed(rounded.abs(), dp))
        )
    }

    /// A compact amount for headlines and axes: `¥120.0M` / `¥1.20亿`.
    pub fn money_compact(&self, value: Decimal) -> String {
        let sign = if value.is_sign_negative() && !value.is_zero() {
            "−"
        } else {
            ""
        };
        format!(
            "{sign}{}{}",
            self.currency.symbol,
            self.compact(value.abs())
        )
    }

    /// A compact number without a currency: `1.2M`, `350K` / `1.2亿`, `350万`.
    pub fn compact(&self, value: Decimal) -> String {
        let v = value.to_f64().unwrap_or(0.0);
        let a = v.abs();
        let (scaled, suffix) = match self.language {
            Language::ZhCn => {
                if a >= 1e8 {
                    (v / 1e8, "亿")
                } else if a >= 1e4 {
                    (v / 1e4, "万")
                } else {
                    (v, "")
                }
            }
            Language::En => {
                if a >= 1e9 {
                    (v / 1e9, "B")
                } else if a >= 1e6 {
                    (v / 1e6, "M")
                } else if a >= 1e3 {
                    (v / 1e3, "K")
                } else {
                    (v, "")
                }
            }
        };
        if suffix.is_empty() {
            return group(&format!("{scaled:.0}"));
        }
        let digits = if scaled.abs() >= 100.0 {
            0
        } else if scaled.abs() >= 10.0 {
            1
        } else {
            2
        };
        let text = format!("{scaled:.digits$}");
        // 1.50M reads better as 1.5M; keep at least one decimal below 100.
        let text = if text.contains('.') {
            let trimmed = text.trim_end_matches('0');
            if trimmed.ends_with('.') {
                format!("{trimmed}0")
            } else {
                trimmed.to_string()
            }
        } else {
            text
        };
        format!("{text}{suffix}")
    }

    /// A ratio as a percentage with one decimal: `95.3 %` (en) / `95.3%` (zh-CN).
    pub fn pct(&self, ratio: Decimal) -> String {
        let value = fixed(ratio * Decimal::ONE_HUNDRED, 1);
        let value = value.replacen('-', "−", 1);
        match self.language {
            // A no-break space: the number never ends one line and its `%` the next.
            Language::En => format!("{value}\u{a0}%"),
            Language::ZhCn => format!("{value}%"),
        }
    }

    /// A growth ratio with its sign: `+12.4 %`, `−3.0 %`.
    pub fn signed_pct(&self, ratio: Decimal) -> String {
        let text = self.pct(ratio);
        if ratio > Decimal::ZERO
            && !text.starts_with('−')
            && fixed(ratio * Decimal::ONE_HUNDRED, 1) != "0.0"
        {
            format!("+{text}")
        } else {
            text
        }
    }

    /// A count with thousands separators: `1,092`.
    pub fn count(&self, n: u64) -> String {
        group(&n.to_string())
    }

    /// A number with exactly `dp` decimals, separators and a true minus sign: `3.50`.
    pub fn fixed(&self, value: Decimal, dp: u32) -> String {
        let text = fixed(value, dp);
        match text.strip_prefix('-') {
            Some(body) => format!("−{}", group(body)),
            None => group(&text),
        }
    }

    /// A regression coefficient to two decimals with a true minus sign: `−1.23`, `0.40`.
    pub fn coefficient(&self, value: Decimal) -> String {
        fixed(value, 2).replacen('-', "−", 1)
    }

    /// A plain number with separators and up to `dp` decimals (trailing zeros dropped).
    pub fn num(&self, value: Decimal, dp: u32) -> String {
        let text = fixed(value, dp);
        let text = if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text
        };
        let negative = text.starts_with('-');
        let body = group(text.trim_start_matches('-'));
        if negative {
            format!("−{body}")
        } else {
            body
        }
    }

    /// `31 May 2027` / `2027年5月31日`.
    pub fn date(&self, date: NaiveDate) -> String {
        match self.language {
            // No-break spaces: a date never splits over two lines.
            Language::En => format!(
                "{}\u{a0}{}\u{a0}{}",
                date.day(),
                MONTHS_EN[date.month0() as usize],
                date.year()
            ),
            Language::ZhCn => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        }
    }

    /// `FY2026` / `2026财年`.
    pub fn fiscal_year(&self, year: i32) -> String {
        match self.language {
            Language::En => format!("FY{year}"),
            Language::ZhCn => format!("{year}财年"),
        }
    }

    /// `Apr 2027` / `2027年4月`.
    pub fn month(&self, month: YearMonth) -> String {
        match self.language {
            Language::En => format!(
                "{}\u{a0}{}",
                MONTHS_EN[month.month as usize - 1],
                month.year
            ),
            Language::ZhCn => format!("{}年{}月", month.year, month.month),
        }
    }

    /// `Apr` / `4月`, for chart axes.
    pub fn month_short(&self, month: YearMonth) -> String {
        match self.language {
            Language::En => MONTHS_EN[month.month as usize - 1].to_string(),
            Language::ZhCn => format!("{}月", month.month),
        }
    }

    /// A table cell for reading: money with symbol and separators, ratios as percent.
    pub fn cell(&self, value: &Value, kind: Kind) -> String {
        match (value, kind) {
            (Value::Decimal(d), Kind::Money) => self.money(*d),
            (Value::Decimal(d), Kind::Ratio) => self.pct(*d),
            (Value::Decimal(d), Kind::Growth) => self.signed_pct(*d),
            (Value::Decimal(d), Kind::Coefficient) => self.coefficient(*d),
            // One decimal style per column: 5.6×, 18.0×; 4.40, 3.85.
            (Value::Decimal(d), Kind::Multiple) => format!("{}×", self.fixed(*d, 1)),
            (Value::Decimal(d), Kind::Score) => self.fixed(*d, 2),
            (Value::Decimal(d), Kind::Decimal1) => self.num(*d, 1),
            // Means, medians, hours: two decimals are what survey and SLA data support.
            (Value::Decimal(d), Kind::Decimal4) => self.fixed(*d, 2),
            (Value::Decimal(d), _) => self.num(*d, 4),
            (Value::Integer(i), _) => self.num(Decimal::from(*i), 0),
            (Value::Date(d), _) => self.date(*d),
            (Value::Bool(b), _) => match (self.language, b) {
                (Language::En, true) => "Yes".into(),
                (Language::En, false) => "No".into(),
                (Language::ZhCn, true) => "是".into(),
                (Language::ZhCn, false) => "否".into(),
            },
            (Value::Text(s), Kind::Month) => {
                YearMonth::parse(s).map_or_else(|| s.clone(), |m| self.month(m))
            }
            (Value::Text(s), _) => s.clone(),
        }
    }
}

/// An identifier as words: `_` as a space, the first letter upper case
/// (`financial_stability` → "Financial stability"); names with no `_` and an upper-case or
/// non-Latin first letter ("Online Store", "产品质量") are left as they are.
pub fn words(id: &str) -> String {
    let spaced = id.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) if first.is_ascii_lowercase() => {
            first.to_ascii_uppercase().to_string() + chars.as_str()
        }
        _ => spaced,
    }
}

/// Whether a name is an identifier rather than words: lower-case ASCII letters, digits,
/// `_` and `-` only (`ytd_attainment`, `nps`, `spring-2027`).
pub fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// Inserts `,` every three digits of the integer part of a plain decimal string.
fn group(plain: &str) -> String {
    let (int, frac) = match plain.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (plain, None),
    };
    let (sign, digits) = match int.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", int),
    };
    let mut out = String::with_capacity(plain.len() + digits.len() / 3);
    out.push_str(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn en() -> Formatter {
        Formatter::new(Language::En, Currency::from_code("CNY").unwrap())
    }

    fn zh() -> Formatter {
        Formatter::new(Language::ZhCn, Currency::from_code("CNY").unwrap())
    }

    #[test]
    fn money_has_symbol_separators_and_minor_units() {
        assert_eq!(en().money(d("1234567.891")), "¥1,234,567.89");
        assert_eq!(en().money(d("-5")), "−¥5.00");
        assert_eq!(en().money(d("0.004")), "¥0.00");
        assert_eq!(en().money_whole(d("999.5")), "¥1,000");
    }

    #[test]
    fn compact_figures_use_wan_and_yi_in_chinese() {
        assert_eq!(en().money_compact(d("120000000")), "¥120M");
        assert_eq!(en().money_compact(d("1530000")), "¥1.53M");
        assert_eq!(zh().money_compact(d("120000000")), "¥1.2亿");
        assert_eq!(zh().money_compact(d("3500000")), "¥350万");
        assert_eq!(zh().compact(d("980")), "980");
    }

    #[test]
    fn percentages_follow_the_language() {
        assert_eq!(en().pct(d("0.9534")), "95.3\u{a0}%");
        assert_eq!(zh().pct(d("0.9534")), "95.3%");
        assert_eq!(en().signed_pct(d("0.124")), "+12.4\u{a0}%");
        assert_eq!(en().signed_pct(d("-0.03")), "−3.0\u{a0}%");
    }

    #[test]
    fn identifiers_read_as_words() {
        assert_eq!(words("financial_stability"), "Financial stability");
        assert_eq!(words("reputation"), "Reputation");
        assert_eq!(words("Online Store"), "Online Store");
        assert_eq!(words("产品质量"), "产品质量");
        // A built-in label wins over the words of the id.
        assert_eq!(
            en().metric("revenue_attainment_ytd"),
            "Revenue attainment, year to date"
        );
        assert_eq!(zh().metric("revenue_attainment_ytd"), "年初至今目标达成率");
        assert_eq!(
            en().metric("channel_share:Online Store"),
            "Online Store share of revenue"
        );
        assert_eq!(zh().metric("channel_share:线上商城"), "线上商城销售占比");
    }

    #[test]
    fn dates_follow_the_language() {
        let date = NaiveDate::from_ymd_opt(2027, 5, 31).unwrap();
        assert_eq!(en().date(date), "31\u{a0}May\u{a0}2027");
        assert_eq!(zh().date(date), "2027年5月31日");
    }
}
