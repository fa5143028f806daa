//! `content/promotions.yaml` (FORMAT.md §7.4): the promotion calendar with mechanics,
//! budgets, goals and resources.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::diag::Diagnostics;
use crate::plan::{yaml_error, Validate};
use crate::yaml::YamlSource;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromotionsPlan {
    #[serde(default = "default_baseline_days")]
    pub baseline_days: u32,
    #[serde(default)]
    pub budget_cap: Option<Decimal>,
    #[serde(default)]
    pub promotions: Vec<Promotion>,
    #[serde(default)]
    pub notes: Option<String>,
}

fn default_baseline_days() -> u32 {
    28
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Promotion {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub holiday: Option<String>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    #[serde(default)]
    pub channels: Option<Vec<String>>,
    #[serde(default)]
    pub audience: Option<String>,
    #[serde(default)]
    pub mechanics: Vec<Mechanic>,
    #[serde(default)]
    pub linkage: Option<String>,
    #[serde(default)]
    pub budget: BTreeMap<String, Decimal>,
    #[serde(default)]
    pub spend: Option<BTreeMap<String, Decimal>>,
    #[serde(default)]
    pub goals: Option<Goals>,
    #[serde(default)]
    pub resources: Vec<Resource>,
    #[serde(default)]
    pub adjustment: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// A promotion mechanic, written in plain words in the output.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Mechanic {
    Discount {
        rate: Decimal,
        #[serde(default)]
        notes: Option<String>,
    },
    SpendSave {
        threshold: Decimal,
        off: Decimal,
        #[serde(default)]
        notes: Option<String>,
    },
    Gift {
        item: String,
        #[serde(default)]
        threshold: Option<Decimal>,
        #[serde(default)]
        notes: Option<String>,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goals {
    #[serde(default)]
    pub sales: Option<Decimal>,
    #[serde(default)]
    pub conversion: Option<Decimal>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    pub department: String,
    pub task: String,
    #[serde(default)]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub notes: Option<String>,
}

impl Validate for PromotionsPlan {
    fn validate(&self, src: &YamlSource, diags: &mut Diagnostics) {
        if self.baseline_days > 3650 {
            yaml_error(
                diags,
                src,
                "baseline_days",
                format!(
                    "baseline_days is at most 3650, found {}",
                    self.baseline_days
                ),
            );
        }
        for (i, p) in self.promotions.iter().enumerate() {
            let amounts = p
                .budget
                .iter()
                .map(|(k, v)| (format!("promotions[{i}].budget.{k}"), *v));
            let spend = p
                .spend
                .iter()
                .flatten()
                .map(|(k, v)| (format!("promotions[{i}].spend.{k}"), *v));
            for (key, value) in amounts.chain(spend) {
                crate::plan::check_amount(value, &key, src, diags);
            }
        }
        if let Some(cap) = self.budget_cap {
            crate::plan::check_amount(cap, "budget_cap", src, diags);
        }
        if self.baseline_days == 0 {
            yaml_error(
                diags,
                src,
                "baseline_days",
                "baseline_days must be at least 1".into(),
            );
        }
        let mut ids = std::collections::BTreeSet::new();
        for (i, p) in self.promotions.iter().enumerate() {
            if !ids.insert(p.id.as_str()) {
                yaml_error(
                    diags,
                    src,
                    &format!("promotions[{i}].id"),
                    format!("promotion id `{}` is used twice", p.id),
                );
            }
            if p.end < p.start {
                yaml_error(
                    diags,
                    src,
                    &format!("promotions[{i}].end"),
                    format!(
                        "promotion `{}` ends ({}) before it starts ({})",
                        p.id, p.end, p.start
                    ),
                );
            }
        }
    }
}
