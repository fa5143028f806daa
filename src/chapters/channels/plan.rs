//! `content/channels.yaml` (FORMAT.md §7.3): channels and their target shares, partners,
//! selection criteria, channel budgets and conflict rules.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::diag::Diagnostics;
use crate::plan::{sums_to_one, yaml_error, Validate};
use crate::yaml::YamlSource;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelsPlan {
    #[serde(default)]
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub partners: Vec<Partner>,
    #[serde(default)]
    pub selection: Option<Selection>,
    #[serde(default)]
    pub budget: Vec<ChannelBudget>,
    #[serde(default)]
    pub conflicts: Option<Conflicts>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelType {
    Online,
    Offline,
    O2o,
    Partner,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ChannelType,
    pub target_share: Decimal,
    #[serde(default)]
    pub strategy: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub name: String,
    pub channel: String,
    #[serde(default)]
    pub territory: Option<Vec<String>>,
    #[serde(default)]
    pub scores: BTreeMap<String, Decimal>,
    #[serde(default)]
    pub contract_end: Option<NaiveDate>,
    #[serde(default)]
    pub review: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// A partner-selection criterion and its weight.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub name: String,
    /// The criterion's name for readers; without it, `name` in words.
    #[serde(default)]
    pub label: Option<String>,
    pub weight: Decimal,
    #[serde(default)]
    pub notes: Option<String>,
}

impl Selection {
    /// A criterion's name for readers: its `label:`, else the built-in label or the
    /// name in words (`financial_stability` → "Financial stability").
    pub fn criterion_name(&self, fmt: &crate::render::format::Formatter, name: &str) -> String {
        self.criteria
            .iter()
            .find(|c| c.name == name)
            .and_then(|c| c.label.clone())
            .unwrap_or_else(|| fmt.name(name))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    #[serde(default)]
    pub criteria: Vec<Criterion>,
    #[serde(default)]
    pub min_score: Option<Decimal>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelBudget {
    pub channel: String,
    #[serde(default)]
    pub personnel: Option<Decimal>,
    #[serde(default)]
    pub advertising: Option<Decimal>,
    #[serde(default)]
    pub logistics: Option<Decimal>,
    #[serde(default)]
    pub other: Option<Decimal>,
    #[serde(default)]
    pub notes: Option<String>,
}

impl ChannelBudget {
    /// The sum of its cost items.
    pub fn total(&self) -> Decimal {
        [self.personnel, self.advertising, self.logistics, self.other]
            .into_iter()
            .flatten()
            .sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConflictType {
    Price,
    Territory,
    Other,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conflicts {
    #[serde(default)]
    pub price_tolerance: Option<Decimal>,
    #[serde(default)]
    pub resolution: Vec<Resolution>,
    #[serde(default)]
    pub safeguards: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    #[serde(rename = "type")]
    pub kind: ConflictType,
    pub mechanism: String,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

impl Validate for ChannelsPlan {
    fn validate(&self, src: &YamlSource, diags: &mut Diagnostics) {
        crate::plan::unique_names(
            self.channels.iter().map(|c| c.name.as_str()),
            "channels",
            "name",
            src,
            diags,
        );
        crate::plan::unique_names(
            self.partners.iter().map(|p| p.name.as_str()),
            "partners",
            "name",
            src,
            diags,
        );
        crate::plan::unique_names(
            self.budget.iter().map(|b| b.channel.as_str()),
            "budget",
            "channel",
            src,
            diags,
        );
        for (i, b) in self.budget.iter().enumerate() {
            for value in [b.personnel, b.advertising, b.logistics, b.other]
                .into_iter()
                .flatten()
            {
                crate::plan::check_amount(value, &format!("budget[{i}]"), src, diags);
            }
        }
        if !self.channels.is_empty() {
            if let Err(sum) = sums_to_one(self.channels.iter().map(|c| c.target_share)) {
                yaml_error(
                    diags,
                    src,
                    "channels",
                    format!("channel target_share values sum to {sum}, expected 1 (± 0.001)"),
                );
            }
        }
        let names: BTreeSet<&str> = self.channels.iter().map(|c| c.name.as_str()).collect();
        for (i, line) in self.budget.iter().enumerate() {
            if !names.contains(line.channel.as_str()) {
                yaml_error(
                    diags,
                    src,
                    &format!("budget[{i}].channel"),
                    format!(
                        "budget names channel `{}`, which is not in `channels`",
                        line.channel
                    ),
                );
            }
        }
        let criteria: BTreeSet<&str> = self
            .selection
            .iter()
            .flat_map(|s| s.criteria.iter().map(|c| c.name.as_str()))
            .collect();
        if let Some(selection) = &self.selection {
            for (i, c) in selection.criteria.iter().enumerate() {
                if c.weight <= Decimal::ZERO {
                    yaml_error(
                        diags,
                        src,
                        &format!("selection.criteria[{i}].weight"),
                        format!(
                            "weight of `{}` must be positive, found {}",
                            c.name, c.weight
                        ),
                    );
                }
            }
        }
        for (i, p) in self.partners.iter().enumerate() {
            if !self.channels.is_empty() && !names.contains(p.channel.as_str()) {
                yaml_error(
                    diags,
                    src,
                    &format!("partners[{i}].channel"),
                    format!(
                        "partner `{}` names channel `{}`, which is not in `channels`",
                        p.name, p.channel
                    ),
                );
            }
            for (criterion, score) in &p.scores {
                if !criteria.contains(criterion.as_str()) {
                    yaml_error(
                        diags,
                        src,
                        &format!("partners[{i}].scores.{criterion}"),
                        format!("partner `{}` is scored on `{criterion}`, which is not in selection.criteria", p.name),
                    );
                } else if *score < Decimal::ONE || *score > Decimal::from(5) {
                    yaml_error(
                        diags,
                        src,
                        &format!("partners[{i}].scores.{criterion}"),
                        format!("scores are 1-5, found {score}"),
                    );
                }
            }
        }
    }
}
