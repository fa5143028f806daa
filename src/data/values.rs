//! Typed cell values of FORMAT.md §4 and §9: dates, datetimes, money, numbers and integers
//! as Excel exports write them. Each parser returns a readable reason on failure.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;

use crate::money::{Exact, Money};

/// Why a cell did not parse; printed after `column NAME:`.
pub type ValueResult<T> = Result<T, String>;

/// A date: `YYYY-MM-DD`, `YYYY-M-D`, `YYYY/M/D`, optionally followed by a time that is
/// ignored; or exactly `format` (a strftime pattern) when the dataset sets `date_format`.
pub fn parse_date(s: &str, format: Option<&str>) -> ValueResult<NaiveDate> {
    if format.is_none() {
        if let Some(date) = parse_iso_date(s.as_bytes()) {
            return Ok(date);
        }
    }
    if let Some(format) = format {
        let bad = || format!("`{s}` is not a date in the format `{format}`");
        if let Ok(date) = NaiveDate::parse_from_str(s, format) {
            return Ok(date);
        }
        // Excel writes `4/5/2027 0:00`: the formatted date, then a time that is ignored.
        let (date_part, time_part) = s.rsplit_once(' ').ok_or_else(bad)?;
        if !is_time(time_part) {
            return Err(bad());
        }
        return NaiveDate::parse_from_str(date_part.trim_end(), format).map_err(|_| bad());
    }
    let (date_part, time_part) = split_time(s);
    if let Some(time) = time_part {
        if !is_time(time) {
            return Err(format!("`{s}` is not a date (unreadable time `{time}`)"));
        }
    }
    parse_ymd(date_part).ok_or_else(|| {
        format!("`{s}` is not a date (expected YYYY-MM-DD; set `date_format` for other forms)")
    })
}

/// A datetime: `YYYY-MM-DD HH:MM[:SS]` (also with `T`), or RFC 3339 with an offset, which
/// is converted to UTC. Times without an offset are taken as written (UTC).
pub fn parse_datetime(s: &str) -> ValueResult<NaiveDateTime> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Ok(dt.naive_utc());
    }
    let bad = || format!("`{s}` is not a datetime (expected YYYY-MM-DD HH:MM[:SS])");
    let (date_part, time_part) = split_time(s);
    let time_text = time_part.ok_or_else(bad)?;
    let (time_text, offset) = split_offset(time_text);
    let date = parse_ymd(date_part).ok_or_else(bad)?;
    let time = parse_time(time_text).ok_or_else(bad)?;
    let naive = date.and_time(time);
    Ok(naive - chrono::Duration::seconds(offset.ok_or_else(bad)?))
}

/// Splits `2027-04-05 10:00` or `2027-04-05T10:00` into date and time parts.
fn split_time(s: &str) -> (&str, Option<&str>) {
    match s.find([' ', 'T']) {
        Some(i) => (&s[..i], Some(s[i + 1..].trim_start())),
        None => (s, None),
    }
}

/// Splits a trailing `Z` or `±HH:MM` offset off a time; the offset in seconds east of UTC.
fn split_offset(time: &str) -> (&str, Option<i64>) {
    if let Some(t) = time.strip_suffix('Z') {
        return (t, Some(0));
    }
    if let Some(i) = time.rfind(['+', '-']) {
        let (t, off) = time.split_at(i);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let digits = &off[1..];
        let (h, m) = match digits.split_once(':') {
            Some((h, m)) => (h, m),
            None if digits.len() == 4 => digits.split_at(2),
            None => return (time, None),
        };
        return match (h.parse::<i64>(), m.parse::<i64>()) {
            (Ok(h), Ok(m)) if h < 24 && m < 60 => (t, Some(sign * (h * 3600 + m * 60))),
            _ => (time, None),
        };
    }
    (time, Some(0))
}

/// A time of day as exports append it to dates: `0:00`, `00:00:00`, `12:00:00 AM`,
/// `00:00:00Z`, `10:00+08:00`.
fn is_time(s: &str) -> bool {
    let s = s.trim();
    let upper = s.to_ascii_uppercase();
    let s = match upper
        .strip_suffix("AM")
        .or_else(|| upper.strip_suffix("PM"))
    {
        Some(rest) => &s[..rest.len()],
        None => s,
    };
    let (time, offset) = split_offset(s.trim_end());
    offset.is_some() && parse_time(time).is_some()
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    ["%H:%M:%S%.f", "%H:%M:%S", "%H:%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(s, f).ok())
}

/// The fast path for exactly `YYYY-MM-DD`; `None` for anything else, including dates that
/// do not exist, which the full parser then reports.
fn parse_iso_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| {
        b[range].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

/// `YYYY-MM-DD`, `YYYY-M-D` or `YYYY/M/D` (one separator kind), a real calendar date.
fn parse_ymd(s: &str) -> Option<NaiveDate> {
    let sep = if s.contains('/') { '/' } else { '-' };
    let mut parts = s.split(sep);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || !(1..=2).contains(&m.len()) {
        return None;
    }
    if !(1..=2).contains(&d.len())
        || ![y, m, d]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// A money amount: sign, one currency symbol (optionally preceded by letters such as
/// `US$`), digits in well-formed groups of three, decimals, a trailing `元`, or accounting
/// parentheses for negatives. Held exactly.
#[inline]
pub fn parse_money(s: &str) -> ValueResult<Decimal> {
    if let Some(value) = parse_plain(s) {
        return Ok(value);
    }
    parse_money_full(s)
}

/// [`parse_money`] as [`Money`]; the plain form goes straight to the scaled integer.
#[inline]
pub fn parse_amount(s: &str) -> ValueResult<Money> {
    if let Some((units, scale)) = plain_parts(s) {
        return Ok(Money::exact(Exact::from_scaled(units, scale)));
    }
    parse_money_full(s).map(Money::new)
}

/// [`parse_number`] as an [`Exact`]; the plain form goes straight to the scaled integer.
#[inline]
pub fn parse_exact(s: &str) -> ValueResult<Exact> {
    if let Some((units, scale)) = plain_parts(s) {
        return Ok(Exact::from_scaled(units, scale));
    }
    parse_number_full(s).map(Exact::new)
}

/// Everything but the plain form: kept out of line, so the fast path inlines small.
#[inline(never)]
fn parse_money_full(s: &str) -> ValueResult<Decimal> {
    check_magnitude(s)?;
    parse_money_inner(s).ok_or_else(|| format!("`{s}` is not an amount"))
}

/// Values are limited to 18 digits before the decimal point, so that sums over billions of
/// rows stay exact in a 96-bit decimal and can never overflow.
fn check_magnitude(s: &str) -> ValueResult<()> {
    let int_part = s.split('.').next().unwrap_or(s);
    if int_part.bytes().filter(u8::is_ascii_digit).count() > 18 {
        return Err(format!(
            "`{s}` is too large (more than 18 digits before the decimal point)"
        ));
    }
    Ok(())
}

fn parse_money_inner(s: &str) -> Option<Decimal> {
    let (mut body, mut negative) = match s.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        Some(inner) => (inner.trim(), true),
        None => (s, false),
    };
    body = body.strip_suffix('元').map(str::trim_end).unwrap_or(body);
    let mut signed = false;
    if let Some(rest) = strip_sign(body, &mut negative, &mut signed) {
        body = rest;
    }
    if let Some(rest) = strip_currency(body) {
        body = rest.trim_start();
        if let Some(rest) = strip_sign(body, &mut negative, &mut signed) {
            body = rest;
        }
    }
    if s.starts_with('(') && signed {
        return None;
    }
    let value = parse_grouped_decimal(body)?;
    Some(if negative { -value } else { value })
}

/// Strips one leading sign; refuses a second one.
fn strip_sign<'a>(s: &'a str, negative: &mut bool, signed: &mut bool) -> Option<&'a str> {
    let rest = s.strip_prefix('-').or_else(|| s.strip_prefix('+'))?;
    if *signed {
        return None;
    }
    *signed = true;
    if s.starts_with('-') {
        *negative = !*negative;
    }
    Some(rest)
}

/// Strips `¥`, `￥`, `$`, `€`, `£`, optionally preceded by ASCII letters (`US$`, `HK$`).
fn strip_currency(s: &str) -> Option<&str> {
    let letters = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    let rest = &s[letters..];
    let symbol = rest.chars().next()?;
    if matches!(symbol, '¥' | '￥' | '$' | '€' | '£') {
        Some(&rest[symbol.len_utf8()..])
    } else {
        None
    }
}

/// A number: optional sign, digits (optionally grouped by `,` in threes), decimals.
#[inline]
pub fn parse_number(s: &str) -> ValueResult<Decimal> {
    match parse_plain(s) {
        Some(value) => Ok(value),
        None => parse_number_full(s),
    }
}

#[inline(never)]
fn parse_number_full(s: &str) -> ValueResult<Decimal> {
    check_magnitude(s)?;
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let value = parse_grouped_decimal(body).ok_or_else(|| format!("`{s}` is not a number"))?;
    Ok(if negative { -value } else { value })
}

/// An integer written as a number without a fractional part (`7`, `7.0`, `1,000`).
pub fn parse_integer(s: &str) -> ValueResult<i64> {
    let value = parse_number(s).map_err(|_| format!("`{s}` is not a whole number"))?;
    if !value.fract().is_zero() {
        return Err(format!("`{s}` is not a whole number"));
    }
    i64::try_from(value.trunc()).map_err(|_| format!("`{s}` is too large"))
}

/// The fast path for the common form, `-?DIGITS(.DIGITS)?` with at most 18 digits in all,
/// accumulated in a `u64`; `None` sends anything else (groups, symbols, `+`, `-0`, long
/// values) to the full parsers, which accept exactly what this accepts, with the same value.
#[inline]
fn parse_plain(s: &str) -> Option<Decimal> {
    plain_parts(s).map(|(units, scale)| Decimal::new(units, scale))
}

/// [`parse_plain`]'s value as `(units, scale)`.
#[inline]
fn plain_parts(s: &str) -> Option<(i64, u32)> {
    let bytes = s.as_bytes();
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    // Digits, then optionally `.` and more digits.
    let mut mantissa: u64 = 0;
    let whole = take_digits(digits, &mut mantissa);
    if whole == 0 {
        return None;
    }
    let mut scale = 0;
    if let Some(fraction) = digits[whole..].strip_prefix(b".") {
        scale = take_digits(fraction, &mut mantissa);
        // `5.`, or anything after the fraction.
        if scale == 0 || whole + 1 + scale != digits.len() {
            return None;
        }
    } else if whole != digits.len() {
        return None;
    }
    // Up to 18 digits never wrap a u64.
    if whole + scale > 18 || (negative && mantissa == 0) {
        return None;
    }
    let signed = mantissa as i64;
    Some((if negative { -signed } else { signed }, scale as u32))
}

/// Appends the leading ASCII digits of `bytes` to `mantissa` (wrapping: callers bound the
/// count); returns how many there were.
#[inline]
fn take_digits(bytes: &[u8], mantissa: &mut u64) -> usize {
    let mut n = 0;
    while let Some(d) = bytes
        .get(n)
        .map(|b| b.wrapping_sub(b'0'))
        .filter(|d| *d < 10)
    {
        *mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d));
        n += 1;
    }
    n
}

/// Unsigned digits with optional `,` thousands groups and an optional `.` fraction.
fn parse_grouped_decimal(s: &str) -> Option<Decimal> {
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if int_part.is_empty() {
        return None;
    }
    let mut groups = int_part.split(',');
    let first = groups.next()?;
    let grouped = int_part.contains(',');
    // `0,125` is a decimal comma, not one hundred and twenty-five.
    if first.is_empty() || (grouped && (first.len() > 3 || first.starts_with('0'))) {
        return None;
    }
    let mut mantissa: i128 = 0;
    let mut digits = 0usize;
    let mut push = |part: &str| -> Option<()> {
        for b in part.bytes() {
            if !b.is_ascii_digit() {
                return None;
            }
            mantissa = mantissa
                .checked_mul(10)?
                .checked_add(i128::from(b - b'0'))?;
            digits += 1;
        }
        Some(())
    };
    push(first)?;
    for group in groups {
        if group.len() != 3 {
            return None;
        }
        push(group)?;
    }
    let scale = match frac_part {
        Some("") => return None,
        Some(f) => {
            push(f)?;
            f.len()
        }
        None => 0,
    };
    if digits > 28 || scale > 28 {
        return None;
    }
    Decimal::try_from_i128_with_scale(mantissa, scale as u32).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn the_fast_path_agrees_with_the_full_parsers() {
        // Every string of up to 6 characters over an alphabet that makes plain numbers and
        // near misses: where the fast path answers, the full parser gives the same value
        // (and scale, and sign); where it declines, the full parser decides alone.
        let alphabet = ['0', '1', '9', '.', '-', ',', '+', ' '];
        let mut checked = 0;
        let mut text = String::new();
        fn each(text: &mut String, alphabet: &[char], depth: usize, f: &mut dyn FnMut(&str)) {
            f(text);
            if depth == 0 {
                return;
            }
            for &c in alphabet {
                text.push(c);
                each(text, alphabet, depth - 1, f);
                text.pop();
            }
        }
        each(&mut text, &alphabet, 6, &mut |s| {
            if let Some(fast) = parse_plain(s) {
                let full = check_magnitude(s).ok().and(parse_money_inner(s));
                assert_eq!(full.map(|v| v.to_string()), Some(fast.to_string()), "{s:?}");
                let number = parse_number_full(s).ok();
                assert_eq!(
                    number.map(|v| v.to_string()),
                    Some(fast.to_string()),
                    "{s:?}"
                );
                checked += 1;
            }
        });
        assert!(checked > 1000, "{checked} plain numbers checked");
        // 18 digits take the fast path; 19 go to the full parser.
        assert_eq!(
            parse_plain("123456789012345678"),
            Some(d("123456789012345678"))
        );
        assert_eq!(parse_plain("1234567890123456789"), None);
        assert_eq!(
            parse_plain("12345678901234567.8"),
            Some(d("12345678901234567.8"))
        );
        // The forms exports write take the fast path.
        for (text, value) in [
            ("474.00", "474.00"),
            ("-0.5", "-0.5"),
            ("3", "3"),
            ("0", "0"),
        ] {
            assert_eq!(parse_plain(text), Some(d(value)), "{text}");
        }
        for text in [
            "", "-", ".5", "5.", "1.2.3", "-0", "-0.00", "1e5", " 1", "1,000",
        ] {
            assert_eq!(parse_plain(text), None, "{text}");
        }
    }

    #[test]
    fn money_forms_of_the_spec_table() {
        // FORMAT.md §4, accepted column.
        for (text, value) in [
            ("1234.5", "1234.5"),
            ("-12.368", "-12.368"),
            ("1,234.50", "1234.50"),
            ("¥1,234.50", "1234.50"),
            ("￥-5", "-5"),
            ("-¥5", "-5"),
            ("US$12", "12"),
            ("(1,234.00)", "-1234.00"),
            ("1234元", "1234"),
            ("22.368", "22.368"),
        ] {
            assert_eq!(parse_money(text), Ok(d(value)), "{text}");
        }
        // Rejected column.
        for text in [
            "1,23,4", "12.3.4", "¥¥5", "N/A", "", "abc", "--5", "1234,5", "5.", "US5",
        ] {
            assert!(parse_money(text).is_err(), "{text} should be rejected");
        }
    }

    #[test]
    fn huge_values_are_refused_not_overflowed() {
        assert!(parse_money("9999999999999999999999999999")
            .unwrap_err()
            .contains("too large"));
        assert!(parse_money("999999999999999999.99").is_ok());
        assert!(parse_number("1,000,000,000,000,000,000")
            .unwrap_err()
            .contains("too large"));
    }

    #[test]
    fn numbers_and_integers() {
        assert_eq!(parse_number("3"), Ok(d("3")));
        assert_eq!(parse_number("-2"), Ok(d("-2")));
        assert_eq!(parse_number("1.5"), Ok(d("1.5")));
        assert_eq!(parse_number("1,000"), Ok(d("1000")));
        assert!(parse_number("3 pcs").is_err());
        assert!(parse_number("N/A").is_err());
        assert!(parse_number("¥3").is_err());
        assert_eq!(parse_integer("7"), Ok(7));
        assert_eq!(parse_integer("7.0"), Ok(7));
        assert_eq!(parse_integer("1,000"), Ok(1000));
        assert!(parse_integer("7.5").is_err());
    }

    #[test]
    fn dates_of_the_spec_table() {
        let april5 = NaiveDate::from_ymd_opt(2027, 4, 5).unwrap();
        for text in [
            "2027-04-05",
            "2027-4-5",
            "2027/4/5",
            "2027-04-05 00:00:00",
            "2027/4/5 23:59",
        ] {
            assert_eq!(parse_date(text, None), Ok(april5), "{text}");
        }
        for text in [
            "05/04/2027",
            "2027-02-30",
            "2027-13-01",
            "27-04-05",
            "2027-04/05",
            "",
        ] {
            assert!(parse_date(text, None).is_err(), "{text} should be rejected");
        }
        assert_eq!(parse_date("05/04/2027", Some("%d/%m/%Y")), Ok(april5));
        assert_eq!(parse_date("20270405", Some("%Y%m%d")), Ok(april5));
        // A trailing time after a formatted date is ignored too (Excel's `4/5/2027 0:00`).
        assert_eq!(parse_date("4/5/2027 0:00", Some("%m/%d/%Y")), Ok(april5));
        assert!(parse_date("4/5/2027 noon", Some("%m/%d/%Y")).is_err());
        // With date_format, it is the only accepted form.
        assert!(parse_date("2027-04-05", Some("%d/%m/%Y")).is_err());
    }

    #[test]
    fn datetimes_convert_offsets_to_utc() {
        let at = |h, m| {
            NaiveDate::from_ymd_opt(2027, 2, 1)
                .unwrap()
                .and_hms_opt(h, m, 0)
                .unwrap()
        };
        assert_eq!(parse_datetime("2027-02-01 10:00"), Ok(at(10, 0)));
        assert_eq!(parse_datetime("2027-02-01 10:00:00"), Ok(at(10, 0)));
        assert_eq!(parse_datetime("2027-02-01T10:00:00Z"), Ok(at(10, 0)));
        // 17:00 at +08:00 is 09:00 UTC.
        assert_eq!(parse_datetime("2027-02-01T17:00:00+08:00"), Ok(at(9, 0)));
        assert!(parse_datetime("2027-02-01").is_err());
        assert!(parse_datetime("yesterday").is_err());
    }
}
