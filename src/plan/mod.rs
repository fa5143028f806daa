//! The plan as the user wrote it: `content/plan.yaml` and the six chapter files as typed
//! structs (FORMAT.md §3, §7), with the checks that need only the YAML itself.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostics, Severity};
use crate::yaml::YamlSource;

/// `content/plan.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    pub title: String,
    pub company: String,
    #[serde(default)]
    pub author: Option<String>,
    pub fiscal_year: i32,
    #[serde(default = "january")]
    pub fiscal_year_start: u32,
    pub currency: String,
    #[serde(default)]
    pub language: Language,
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default)]
    pub as_of: Option<NaiveDate>,
    #[serde(default)]
    pub allow_html: bool,
    #[serde(default)]
    pub paper: Paper,
    pub datasets: Datasets,
}

fn january() -> u32 {
    1
}

/// Output language: every UI string, chapter title, number and date format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
pub enum Language {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::ZhCn => "zh-CN",
        }
    }
}

/// Paper size of the print edition.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

/// The datasets block of plan.yaml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Datasets {
    pub sales: DatasetConfig,
    #[serde(default)]
    pub traffic: Option<DatasetConfig>,
    #[serde(default)]
    pub surveys: Option<DatasetConfig>,
    #[serde(default)]
    pub complaints: Option<DatasetConfig>,
}

/// How to read one dataset (FORMAT.md §3).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetConfig {
    pub path: String,
    #[serde(default)]
    pub encoding: Encoding,
    #[serde(default)]
    pub delimiter: Option<String>,
    #[serde(default)]
    pub date_format: Option<String>,
    #[serde(default = "yes")]
    pub dedupe: bool,
    /// Spec column name → the file's header name.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}

/// Text encoding of a CSV file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum Encoding {
    #[default]
    #[serde(rename = "utf-8", alias = "utf8", alias = "UTF-8")]
    Utf8,
    #[serde(rename = "gbk", alias = "GBK")]
    Gbk,
    #[serde(rename = "gb18030", alias = "GB18030")]
    Gb18030,
}

/// Checks a list of weights or shares sums to 1 within ±0.001, exactly in decimal.
pub fn sums_to_one(values: impl IntoIterator<Item = Decimal>) -> Result<(), Decimal> {
    let sum: Decimal = values.into_iter().sum();
    if (sum - Decimal::ONE).abs() <= Decimal::new(1, 3) {
        Ok(())
    } else {
        Err(sum)
    }
}

/// Pushes an error located at a key path of a YAML file.
pub fn yaml_error(diags: &mut Diagnostics, src: &YamlSource, key_path: &str, message: String) {
    diags.push_diagnostic(src.diagnostic(Severity::Error, key_path, message));
}

/// Pushes a warning located at a key path of a YAML file.
pub fn yaml_warning(diags: &mut Diagnostics, src: &YamlSource, key_path: &str, message: String) {
    diags.push_diagnostic(src.diagnostic(Severity::Warning, key_path, message));
}

/// Amounts in the plan have at most 18 digits before the decimal point, like the data, so
/// every sum stays exact and cannot overflow.
pub fn check_amount(value: Decimal, key_path: &str, src: &YamlSource, diags: &mut Diagnostics) {
    if value.abs() > Decimal::from(999_999_999_999_999_999i64) {
        yaml_error(
            diags,
            src,
            key_path,
            format!("{value} is too large (at most 18 digits)"),
        );
    }
}

/// Names in a list must be unique and carry no leading or trailing spaces (data cells are
/// trimmed, so ` East` could never match).
pub fn unique_names<'a>(
    names: impl IntoIterator<Item = &'a str>,
    list: &str,
    field: &str,
    src: &YamlSource,
    diags: &mut Diagnostics,
) {
    let mut seen = std::collections::BTreeSet::new();
    for (i, name) in names.into_iter().enumerate() {
        let key = format!("{list}[{i}].{field}");
        if name.trim() != name {
            yaml_error(
                diags,
                src,
                &key,
                format!("`{name}` has leading or trailing spaces"),
            );
        }
        if !seen.insert(name) {
            yaml_error(
                diags,
                src,
                &key,
                format!("`{name}` is listed twice in {list}"),
            );
        }
    }
}

/// Validation of one chapter file once it has been deserialised.
pub trait Validate {
    fn validate(&self, src: &YamlSource, diags: &mut Diagnostics);
}
