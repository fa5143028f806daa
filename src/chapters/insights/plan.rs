//! `content/insights.yaml` (FORMAT.md §7.6): KPIs with thresholds and owners, forecast,
//! ABC and elasticity settings.

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::diag::Diagnostics;
use crate::plan::{yaml_error, Validate};
use crate::yaml::YamlSource;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InsightsPlan {
    #[serde(default)]
    pub kpis: Vec<Kpi>,
    #[serde(default)]
    pub forecast: Option<ForecastSettings>,
    #[serde(default)]
    pub abc: Option<AbcSettings>,
    #[serde(default)]
    pub elasticity: Option<ElasticitySettings>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kpi {
    pub id: String,
    /// The KPI's name for readers; without it, the metric in words.
    #[serde(default)]
    pub label: Option<String>,
    pub metric: String,
    #[serde(default)]
    pub warn_below: Option<Decimal>,
    #[serde(default)]
    pub alert_below: Option<Decimal>,
    #[serde(default)]
    pub warn_above: Option<Decimal>,
    #[serde(default)]
    pub alert_above: Option<Decimal>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub respond_within: Option<serde_yaml::Value>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForecastSettings {
    #[serde(default = "twelve")]
    pub horizon: u32,
    #[serde(default = "six")]
    pub holdout: u32,
}

fn twelve() -> u32 {
    12
}

fn six() -> u32 {
    6
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbcSettings {
    pub a: Decimal,
    pub b: Decimal,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElasticitySettings {
    pub min_points: u32,
}

/// The longest response time a KPI may ask for (a hundred years), so due dates stay dates.
const MAX_RESPONSE_DAYS: i64 = 36_500;

/// The metric names of FORMAT.md §7.6 (`channel_share:<channel>` is checked separately).
pub const METRICS: &[&str] = &[
    "revenue_attainment_ytd",
    "revenue_growth_ytd",
    "last_month_attainment",
    "nps",
    "csat",
    "complaint_first_response_sla",
    "complaint_resolution_sla",
    "conversion_rate",
    "repeat_customer_rate",
    "avg_order_value",
    "gross_margin",
];

impl Kpi {
    /// `respond_within` in whole days: `Nd`, `Nh` rounded up, or a bare number of days.
    pub fn respond_within_days(&self) -> Result<Option<i64>, String> {
        let Some(value) = &self.respond_within else {
            return Ok(None);
        };
        let text = match value {
            serde_yaml::Value::Number(n) => n.to_string(),
            serde_yaml::Value::String(s) => s.trim().to_string(),
            _ => return Err("respond_within must be like `3d`, `36h` or a number of days".into()),
        };
        let bad =
            || format!("respond_within `{text}` must be like `3d`, `36h` or a number of days");
        if let Some(hours) = text.strip_suffix('h') {
            let hours: i64 = hours.trim().parse().map_err(|_| bad())?;
            if hours < 0 {
                return Err(bad());
            }
            if hours > MAX_RESPONSE_DAYS * 24 {
                return Err(format!(
                    "respond_within `{text}` is longer than {MAX_RESPONSE_DAYS} days"
                ));
            }
            return Ok(Some((hours + 23) / 24));
        }
        let days: i64 = text
            .strip_suffix('d')
            .unwrap_or(&text)
            .trim()
            .parse()
            .map_err(|_| bad())?;
        if days < 0 {
            return Err(bad());
        }
        if days > MAX_RESPONSE_DAYS {
            return Err(format!(
                "respond_within `{text}` is longer than {MAX_RESPONSE_DAYS} days"
            ));
        }
        Ok(Some(days))
    }
}

impl Validate for InsightsPlan {
    fn validate(&self, src: &YamlSource, diags: &mut Diagnostics) {
        let mut ids = std::collections::BTreeSet::new();
        for (i, kpi) in self.kpis.iter().enumerate() {
            let here = format!("kpis[{i}]");
            if !ids.insert(kpi.id.as_str()) {
                yaml_error(
                    diags,
                    src,
                    &format!("{here}.id"),
                    format!("KPI id `{}` is used twice", kpi.id),
                );
            }
            let known = METRICS.contains(&kpi.metric.as_str())
                || kpi
                    .metric
                    .strip_prefix("channel_share:")
                    .is_some_and(|c| !c.trim().is_empty());
            if !known {
                let mut message = format!("unknown metric `{}`", kpi.metric);
                if let Some(close) = crate::suggest::closest(&kpi.metric, METRICS.iter().copied()) {
                    message.push_str(&format!(" (did you mean `{close}`?)"));
                }
                yaml_error(diags, src, &format!("{here}.metric"), message);
            }
            if let (Some(warn), Some(alert)) = (kpi.warn_below, kpi.alert_below) {
                if alert > warn {
                    yaml_error(
                        diags,
                        src,
                        &format!("{here}.alert_below"),
                        format!("alert_below ({alert}) is above warn_below ({warn}): a value would reach the alert before the warning"),
                    );
                }
            }
            if let (Some(warn), Some(alert)) = (kpi.warn_above, kpi.alert_above) {
                if alert < warn {
                    yaml_error(
                        diags,
                        src,
                        &format!("{here}.alert_above"),
                        format!("alert_above ({alert}) is below warn_above ({warn}): a value would reach the alert before the warning"),
                    );
                }
            }
            let low = kpi.warn_below.or(kpi.alert_below);
            let high = kpi.warn_above.or(kpi.alert_above);
            if let (Some(low), Some(high)) = (low, high) {
                if low >= high {
                    yaml_error(
                        diags,
                        src,
                        &here,
                        format!("thresholds contradict: below {low} and above {high} overlap"),
                    );
                }
            }
            if let Err(message) = kpi.respond_within_days() {
                yaml_error(diags, src, &format!("{here}.respond_within"), message);
            }
        }
        if let Some(f) = &self.forecast {
            for (key, value) in [
                ("forecast.horizon", f.horizon),
                ("forecast.holdout", f.holdout),
            ] {
                if value > 120 {
                    yaml_error(
                        diags,
                        src,
                        key,
                        format!("{key} is at most 120 months, found {value}"),
                    );
                }
            }
        }
        if let Some(abc) = &self.abc {
            if !(Decimal::ZERO < abc.a && abc.a < abc.b && abc.b <= Decimal::ONE) {
                yaml_error(
                    diags,
                    src,
                    "abc",
                    format!(
                        "abc needs 0 < a < b ≤ 1, found a = {}, b = {}",
                        abc.a, abc.b
                    ),
                );
            }
        }
    }
}
