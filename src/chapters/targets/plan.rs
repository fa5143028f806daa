//! `content/targets.yaml` (FORMAT.md §7.1): the annual target, its seasonality and splits,
//! positioning, competitors, product and pricing strategy.

use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use crate::diag::Diagnostics;
use crate::plan::{sums_to_one, yaml_error, Validate};
use crate::yaml::YamlSource;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetsPlan {
    pub annual_target: Decimal,
    #[serde(default)]
    pub seasonality: Seasonality,
    #[serde(default)]
    pub by_product_line: Option<Vec<TargetSplit>>,
    #[serde(default)]
    pub by_region: Option<Vec<TargetSplit>>,
    #[serde(default)]
    pub positioning: Option<Positioning>,
    #[serde(default)]
    pub competitors: Vec<Competitor>,
    #[serde(default)]
    pub product_strategy: Vec<ProductStrategy>,
    #[serde(default)]
    pub pricing: Vec<Pricing>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// How the annual target is spread over the fiscal months.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Seasonality {
    /// Each fiscal month's share of baseline-year revenue.
    #[default]
    History,
    Even,
    /// Twelve non-negative weights in fiscal-month order, normalised.
    Weights(Vec<Decimal>),
}

impl<'de> Deserialize<'de> for Seasonality {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Seasonality;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`history`, `even` or a list of 12 weights")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Seasonality, E> {
                match v {
                    "history" => Ok(Seasonality::History),
                    "even" => Ok(Seasonality::Even),
                    other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Seasonality, A::Error> {
                let mut weights = Vec::new();
                while let Some(w) = seq.next_element::<Decimal>()? {
                    weights.push(w);
                }
                Ok(Seasonality::Weights(weights))
            }
        }
        d.deserialize_any(V)
    }
}

/// One line of `by_product_line` / `by_region`: an absolute target or a share.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSplit {
    pub name: String,
    #[serde(default)]
    pub target: Option<Decimal>,
    #[serde(default)]
    pub share: Option<Decimal>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Positioning {
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub segments: Vec<Segment>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub needs: Option<String>,
    #[serde(default)]
    pub share: Option<Decimal>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Competitor {
    pub name: String,
    #[serde(default)]
    pub products: Option<String>,
    #[serde(default)]
    pub price_level: Option<String>,
    #[serde(default)]
    pub channels: Option<String>,
    #[serde(default)]
    pub strengths: Vec<String>,
    #[serde(default)]
    pub weaknesses: Vec<String>,
    #[serde(default)]
    pub response: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProductRole {
    Core,
    Growth,
    New,
    Harvest,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductStrategy {
    pub product_line: String,
    pub role: ProductRole,
    #[serde(default)]
    pub actions: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pricing {
    pub product_line: String,
    #[serde(default)]
    pub strategy: Option<String>,
    #[serde(default)]
    pub price_change: Option<Decimal>,
    #[serde(default)]
    pub floor_margin: Option<Decimal>,
    #[serde(default)]
    pub notes: Option<String>,
}

impl Validate for TargetsPlan {
    fn validate(&self, src: &YamlSource, diags: &mut Diagnostics) {
        let annual = self.annual_target;
        if annual > max_amount() {
            yaml_error(
                diags,
                src,
                "annual_target",
                format!("annual_target {annual} is too large (at most 18 digits)"),
            );
        } else if annual.is_sign_negative() || !annual.fract().is_zero() {
            yaml_error(
                diags,
                src,
                "annual_target",
                format!("annual_target must be a whole, non-negative amount, found {annual}"),
            );
        }
        if let Seasonality::Weights(w) = &self.seasonality {
            if w.len() != 12 {
                yaml_error(
                    diags,
                    src,
                    "seasonality",
                    format!(
                        "seasonality needs 12 weights (one per fiscal month), found {}",
                        w.len()
                    ),
                );
            } else if let Some(i) = w.iter().position(|x| x.is_sign_negative() && !x.is_zero()) {
                yaml_error(
                    diags,
                    src,
                    &format!("seasonality[{i}]"),
                    format!("seasonality weights must not be negative, found {}", w[i]),
                );
            } else if w.iter().all(|x| x.is_zero()) {
                yaml_error(
                    diags,
                    src,
                    "seasonality",
                    "seasonality weights are all 0".into(),
                );
            }
        }
        for (key, list) in [
            ("by_product_line", &self.by_product_line),
            ("by_region", &self.by_region),
        ] {
            if let Some(list) = list {
                validate_split(key, list, annual, src, diags);
            }
        }
    }
}

/// The largest amount a plan may state: 18 digits, like the data (see data::values).
fn max_amount() -> Decimal {
    Decimal::from(999_999_999_999_999_999i64)
}

/// A split list is all targets (summing to the annual target) or all shares (summing to 1).
fn validate_split(
    key: &str,
    list: &[TargetSplit],
    annual: Decimal,
    src: &YamlSource,
    diags: &mut Diagnostics,
) {
    if list.is_empty() {
        yaml_error(
            diags,
            src,
            key,
            format!("{key} is empty: list each name with its `target` or `share`, or remove the key to split by baseline revenue"),
        );
        return;
    }
    let mut names = std::collections::BTreeSet::new();
    for (i, item) in list.iter().enumerate() {
        let here = format!("{key}[{i}]");
        if !names.insert(item.name.as_str()) {
            yaml_error(
                diags,
                src,
                &format!("{here}.name"),
                format!("`{}` is listed twice in {key}", item.name),
            );
        }
        match (item.target, item.share) {
            (Some(_), Some(_)) => yaml_error(
                diags,
                src,
                &here,
                format!("`{}` has both `target` and `share`; give one", item.name),
            ),
            (None, None) => yaml_error(
                diags,
                src,
                &here,
                format!("`{}` needs a `target` or a `share`", item.name),
            ),
            (Some(t), None) if t.is_sign_negative() || !t.fract().is_zero() || t > max_amount() => {
                yaml_error(
                    diags,
                    src,
                    &format!("{here}.target"),
                    format!("target must be a whole, non-negative amount, found {t}"),
                )
            }
            (None, Some(s)) if s.is_sign_negative() && !s.is_zero() => yaml_error(
                diags,
                src,
                &format!("{here}.share"),
                format!("share must not be negative, found {s}"),
            ),
            _ => {}
        }
    }
    let targets = list.iter().filter(|i| i.target.is_some()).count();
    let shares = list.iter().filter(|i| i.share.is_some()).count();
    if targets > 0 && shares > 0 {
        yaml_error(
            diags,
            src,
            key,
            format!("{key} mixes `target` and `share`; use one form for the whole list"),
        );
    } else if targets > 0 && targets == list.len() {
        let sum: Decimal = list.iter().filter_map(|i| i.target).sum();
        if sum != annual {
            yaml_error(
                diags,
                src,
                key,
                format!("{key} targets sum to {sum}, but annual_target is {annual}"),
            );
        }
    } else if shares > 0 && shares == list.len() {
        if let Err(sum) = sums_to_one(list.iter().filter_map(|i| i.share)) {
            yaml_error(
                diags,
                src,
                key,
                format!("{key} shares sum to {sum}, expected 1 (± 0.001)"),
            );
        }
    }
}
