//! Computed tables: named columns of a known kind and rows of optional values. The kind
//! fixes how a value is rounded, so the CSV files, model.json and the pages agree.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{Map, Number, Value as Json};

use crate::money::{round_half_away, Money};

/// What a column holds, and therefore how it is rounded and printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// Money, rounded to the currency's minor units.
    Money,
    /// A ratio (attainment, growth, share …), 4 decimals, read as a percentage.
    Ratio,
    /// A change ratio (growth, uplift), 4 decimals, read as a signed percentage: `+13.2 %`.
    Growth,
    /// A regression coefficient (elasticity, its standard error and interval, r²), 4
    /// decimals, read as a plain signed number: `−1.23`, never as a percentage.
    Coefficient,
    /// A ratio read as a multiple (target per unit of cost), 4 decimals.
    Multiple,
    /// A score on its own scale (partner scores 1-5), 4 decimals.
    Score,
    /// Any other decimal (means, hours, KPI values), 4 decimals.
    Decimal4,
    /// NPS, 1 decimal.
    Decimal1,
    Integer,
    Date,
    /// A calendar month written `YYYY-MM`, read as `Jan 2026` / `2026年1月`.
    Month,
    Bool,
}

impl Kind {
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Kind::Money
                | Kind::Ratio
                | Kind::Growth
                | Kind::Coefficient
                | Kind::Multiple
                | Kind::Score
                | Kind::Decimal4
                | Kind::Decimal1
                | Kind::Integer
        )
    }
}

/// One cell value; `None` in a row is an empty cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Decimal(Decimal),
    Integer(i64),
    Date(NaiveDate),
    Bool(bool),
}

impl Value {
    /// The value as a decimal, if it is a number.
    pub fn decimal(value: &Option<Value>) -> Option<Decimal> {
        match value {
            Some(Value::Decimal(d)) => Some(*d),
            Some(Value::Integer(i)) => Some(Decimal::from(*i)),
            _ => None,
        }
    }

    /// The value as text, if it is text (else empty).
    pub fn text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            _ => String::new(),
        }
    }
}

impl From<Money> for Value {
    fn from(m: Money) -> Self {
        Value::Decimal(m.decimal())
    }
}

impl From<Decimal> for Value {
    fn from(d: Decimal) -> Self {
        Value::Decimal(d)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Integer(i)
    }
}

impl From<u64> for Value {
    fn from(i: u64) -> Self {
        Value::Integer(i64::try_from(i).unwrap_or(i64::MAX))
    }
}

impl From<NaiveDate> for Value {
    fn from(d: NaiveDate) -> Self {
        Value::Date(d)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
}

/// A computed table of FORMAT.md §7, written to `data/<name>.csv` and model.json.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: &'static str,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Option<Value>>>,
}

impl Table {
    pub fn new(name: &'static str, columns: &[(&'static str, Kind)]) -> Self {
        Table {
            name,
            columns: columns
                .iter()
                .map(|&(name, kind)| Column { name, kind })
                .collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Option<Value>>) {
        debug_assert_eq!(row.len(), self.columns.len(), "row width of {}", self.name);
        self.rows.push(row);
    }

    /// The index of a column by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// One column's cells, top to bottom (`None` for an unknown column name).
    pub fn cells(&self, name: &str) -> Vec<Option<Value>> {
        match self.column(name) {
            Some(col) => self.rows.iter().map(|r| r[col].clone()).collect(),
            None => Vec::new(),
        }
    }

    /// One numeric column as decimals (integers converted; text and empty cells `None`).
    pub fn decimals(&self, name: &str) -> Vec<Option<Decimal>> {
        self.cells(name).iter().map(Value::decimal).collect()
    }

    /// One text column (empty string where a cell is not text).
    pub fn texts(&self, name: &str) -> Vec<String> {
        self.cells(name)
            .iter()
            .map(|v| v.as_ref().map_or_else(String::new, Value::text))
            .collect()
    }

    /// A cell as the CSV file writes it (`.`-decimal, no separators, empty for none).
    pub fn csv_cell(&self, row: usize, col: usize, minor_units: u32) -> String {
        match &self.rows[row][col] {
            None => String::new(),
            Some(v) => plain(v, self.columns[col].kind, minor_units),
        }
    }

    /// The rows as JSON objects keyed by column name, numbers rounded like the CSV.
    pub fn to_json(&self, minor_units: u32) -> Json {
        let rows = self
            .rows
            .iter()
            .map(|row| {
                let mut obj = Map::new();
                for (col, cell) in self.columns.iter().zip(row) {
                    obj.insert(
                        col.name.to_string(),
                        json_value(cell.as_ref(), col.kind, minor_units),
                    );
                }
                Json::Object(obj)
            })
            .collect();
        Json::Array(rows)
    }
}

/// Decimals a kind is rounded to.
pub fn decimals(kind: Kind, minor_units: u32) -> u32 {
    match kind {
        Kind::Money => minor_units,
        Kind::Ratio
        | Kind::Growth
        | Kind::Coefficient
        | Kind::Multiple
        | Kind::Score
        | Kind::Decimal4 => 4,
        Kind::Decimal1 => 1,
        _ => 0,
    }
}

/// A decimal rounded half away from zero and written with exactly `dp` decimals.
pub fn fixed(value: Decimal, dp: u32) -> String {
    let mut rounded = round_half_away(value, dp);
    if rounded.is_zero() {
        rounded.set_sign_positive(true);
    }
    rounded.rescale(dp);
    rounded.to_string()
}

/// A value in the plain machine form of the CSV files.
pub fn plain(value: &Value, kind: Kind, minor_units: u32) -> String {
    match value {
        Value::Text(s) => s.clone(),
        Value::Decimal(d) => fixed(*d, decimals(kind, minor_units)),
        Value::Integer(i) => i.to_string(),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::Bool(b) => b.to_string(),
    }
}

/// A value as model.json carries it: numbers as JSON numbers, rounded; empty as null.
pub fn json_value(value: Option<&Value>, kind: Kind, minor_units: u32) -> Json {
    match value {
        None => Json::Null,
        Some(Value::Decimal(d)) => json_number(*d, decimals(kind, minor_units)),
        Some(Value::Integer(i)) => Json::from(*i),
        Some(Value::Bool(b)) => Json::Bool(*b),
        Some(v) => Json::String(plain(v, kind, minor_units)),
    }
}

/// A rounded decimal as a JSON number (`null` if it cannot be represented).
pub fn json_number(value: Decimal, dp: u32) -> Json {
    let rounded = round_half_away(value, dp);
    rounded
        .to_f64()
        .and_then(Number::from_f64)
        .map(Json::Number)
        .unwrap_or(Json::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn fixed_pads_and_rounds_half_away() {
        assert_eq!(fixed(Decimal::from(84), 2), "84.00");
        assert_eq!(fixed(Decimal::from_str("124.645").unwrap(), 2), "124.65");
        assert_eq!(fixed(Decimal::from_str("-0.00004").unwrap(), 4), "0.0000");
        assert_eq!(fixed(Decimal::from_str("0.46795").unwrap(), 4), "0.4680");
    }
}
