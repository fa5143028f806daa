//! `content/team.yaml` (FORMAT.md §7.2): organisation, staffing, training, career paths,
//! appraisal, commission scheme, reps and culture.

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::diag::Diagnostics;
use crate::plan::{sums_to_one, yaml_error, Validate};
use crate::yaml::YamlSource;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamPlan {
    #[serde(default)]
    pub org: Option<OrgNode>,
    #[serde(default)]
    pub staffing: Vec<Staffing>,
    #[serde(default)]
    pub training: Vec<Training>,
    #[serde(default)]
    pub career_paths: Vec<CareerPath>,
    #[serde(default)]
    pub appraisal: Option<Appraisal>,
    #[serde(default)]
    pub commission: Option<Commission>,
    #[serde(default)]
    pub reps: Vec<Rep>,
    #[serde(default)]
    pub culture: Option<Culture>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// A box of the org chart and the boxes that report to it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgNode {
    pub role: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub headcount: Option<u32>,
    #[serde(default)]
    pub reports: Vec<OrgNode>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
pub enum Quarter {
    Q1,
    Q2,
    Q3,
    Q4,
}

impl Quarter {
    pub fn index(self) -> u32 {
        self as u32 + 1
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Staffing {
    pub role: String,
    pub current: u32,
    pub planned: u32,
    #[serde(default)]
    pub hire_quarter: Option<Quarter>,
    pub cost_per_head: Decimal,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Training {
    pub name: String,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub audience: Option<String>,
    pub quarter: Quarter,
    #[serde(default)]
    pub hours: Option<Decimal>,
    #[serde(default)]
    pub cost: Option<Decimal>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CareerPath {
    pub level: String,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub criteria: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AppraisalPeriod {
    Monthly,
    Quarterly,
    Annual,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appraisal {
    pub period: AppraisalPeriod,
    #[serde(default)]
    pub kpis: Vec<WeightedItem>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// A named item with a weight (appraisal KPIs, partner selection criteria).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightedItem {
    pub name: String,
    pub weight: Decimal,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CommissionBasis {
    #[default]
    Revenue,
    Margin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CommissionMethod {
    #[default]
    Marginal,
    Flat,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commission {
    #[serde(default)]
    pub basis: CommissionBasis,
    #[serde(default)]
    pub method: CommissionMethod,
    pub tiers: Vec<Tier>,
    #[serde(default)]
    pub cap: Option<Decimal>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// An attainment range `[from, to)` and its commission rate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub from: Decimal,
    #[serde(default)]
    pub to: Option<Decimal>,
    pub rate: Decimal,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rep {
    pub name: String,
    #[serde(default)]
    pub region: Option<String>,
    pub quota: Decimal,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Culture {
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

impl Validate for TeamPlan {
    fn validate(&self, src: &YamlSource, diags: &mut Diagnostics) {
        crate::plan::unique_names(
            self.reps.iter().map(|r| r.name.as_str()),
            "reps",
            "name",
            src,
            diags,
        );
        for (i, r) in self.reps.iter().enumerate() {
            crate::plan::check_amount(r.quota, &format!("reps[{i}].quota"), src, diags);
        }
        for (i, s) in self.staffing.iter().enumerate() {
            crate::plan::check_amount(
                s.cost_per_head,
                &format!("staffing[{i}].cost_per_head"),
                src,
                diags,
            );
        }
        if let Some(cap) = self.commission.as_ref().and_then(|c| c.cap) {
            crate::plan::check_amount(cap, "commission.cap", src, diags);
        }
        if let Some(appraisal) = &self.appraisal {
            if !appraisal.kpis.is_empty() {
                if let Err(sum) = sums_to_one(appraisal.kpis.iter().map(|k| k.weight)) {
                    yaml_error(
                        diags,
                        src,
                        "appraisal.kpis",
                        format!("appraisal KPI weights sum to {sum}, expected 1 (± 0.001)"),
                    );
                }
            }
        }
        if let Some(commission) = &self.commission {
            validate_tiers(&commission.tiers, src, diags);
        }
        if !self.reps.is_empty() && self.commission.is_none() {
            yaml_error(
                diags,
                src,
                "reps",
                "reps are listed but there is no `commission` with tiers".into(),
            );
        }
        for (i, rep) in self.reps.iter().enumerate() {
            if rep.quota.is_sign_negative() || rep.quota.is_zero() {
                yaml_error(
                    diags,
                    src,
                    &format!("reps[{i}].quota"),
                    format!(
                        "quota of `{}` must be positive, found {}",
                        rep.name, rep.quota
                    ),
                );
            }
        }
    }
}

/// Tiers are contiguous ranges starting at 0; only the last has no `to`.
fn validate_tiers(tiers: &[Tier], src: &YamlSource, diags: &mut Diagnostics) {
    if tiers.is_empty() {
        yaml_error(
            diags,
            src,
            "commission.tiers",
            "commission needs at least one tier".into(),
        );
        return;
    }
    let mut expected_from = Decimal::ZERO;
    for (i, tier) in tiers.iter().enumerate() {
        let here = format!("commission.tiers[{i}]");
        if tier.from != expected_from {
            yaml_error(
                diags,
                src,
                &format!("{here}.from"),
                format!(
                    "tier starts at {}, expected {expected_from} (tiers must be contiguous from 0)",
                    tier.from
                ),
            );
            return;
        }
        let last = i + 1 == tiers.len();
        match tier.to {
            Some(to) if last => {
                yaml_error(
                    diags,
                    src,
                    &format!("{here}.to"),
                    format!(
                        "the last tier must have no `to` (found {to}): it covers everything above"
                    ),
                );
            }
            Some(to) if to <= tier.from => {
                yaml_error(
                    diags,
                    src,
                    &format!("{here}.to"),
                    format!("tier ends at {to}, not above its start {}", tier.from),
                );
                return;
            }
            Some(to) => expected_from = to,
            None if !last => {
                yaml_error(diags, src, &here, "only the last tier may omit `to`".into());
                return;
            }
            None => {}
        }
        if tier.rate.is_sign_negative() && !tier.rate.is_zero() {
            yaml_error(
                diags,
                src,
                &format!("{here}.rate"),
                format!("rate must not be negative, found {}", tier.rate),
            );
        }
    }
}
