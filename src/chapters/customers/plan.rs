//! `content/customers.yaml` (FORMAT.md §7.5): satisfaction surveys, complaint handling,
//! membership tiers and customer events.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::diag::Diagnostics;
use crate::plan::{yaml_error, Validate};
use crate::yaml::YamlSource;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomersPlan {
    #[serde(default)]
    pub survey: Option<Survey>,
    #[serde(default)]
    pub complaints: Option<ComplaintHandling>,
    #[serde(default)]
    pub membership: Option<Membership>,
    #[serde(default)]
    pub events: Vec<CustomerEvent>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    #[serde(default)]
    pub dimensions: Vec<String>,
    /// Readers' names for dimensions (`product_quality: Product quality`); a dimension
    /// without one reads as its built-in label or its name in words.
    #[serde(default)]
    pub labels: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub targets: Option<SurveyTargets>,
    #[serde(default)]
    pub actions: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyTargets {
    #[serde(default)]
    pub csat: Option<Decimal>,
    #[serde(default)]
    pub nps: Option<Decimal>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplaintHandling {
    #[serde(default)]
    pub sla: Option<Sla>,
    #[serde(default)]
    pub channels: Vec<String>,
    #[serde(default)]
    pub process: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sla {
    pub first_response_hours: Decimal,
    pub resolution_days: Decimal,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Membership {
    #[serde(default)]
    pub tiers: Vec<MemberTier>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberTier {
    pub name: String,
    pub min_spend: Decimal,
    pub min_orders: u32,
    #[serde(default)]
    pub benefits: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerEvent {
    pub name: String,
    #[serde(default)]
    pub goal: Option<String>,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub budget: Option<Decimal>,
    #[serde(default)]
    pub promotion_channels: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

impl Validate for CustomersPlan {
    fn validate(&self, src: &YamlSource, diags: &mut Diagnostics) {
        if let Some(sla) = self.complaints.as_ref().and_then(|c| c.sla.as_ref()) {
            for (key, value, max) in [
                (
                    "complaints.sla.first_response_hours",
                    sla.first_response_hours,
                    Decimal::from(876_000),
                ),
                (
                    "complaints.sla.resolution_days",
                    sla.resolution_days,
                    Decimal::from(36_500),
                ),
            ] {
                if value <= Decimal::ZERO || value > max {
                    yaml_error(
                        diags,
                        src,
                        key,
                        format!("{key} must be above 0 and at most {max}, found {value}"),
                    );
                }
            }
        }
        if let Some(membership) = &self.membership {
            crate::plan::unique_names(
                membership.tiers.iter().map(|t| t.name.as_str()),
                "membership.tiers",
                "name",
                src,
                diags,
            );
        }
        if let Some(membership) = &self.membership {
            for (i, pair) in membership.tiers.windows(2).enumerate() {
                let (lower, upper) = (&pair[0], &pair[1]);
                if upper.min_spend < lower.min_spend || upper.min_orders < lower.min_orders {
                    yaml_error(
                        diags,
                        src,
                        &format!("membership.tiers[{}]", i + 1),
                        format!(
                            "tier `{}` must not ask less than `{}` (tiers are listed in ascending order of min_spend and min_orders)",
                            upper.name, lower.name
                        ),
                    );
                }
            }
        }
    }
}
