//! `salesplan check`: loads, validates, computes and renders in memory; writes nothing.
//! With `--fail-on`, prints the KPIs at that level or worse and fails with exit code 3.

use anyhow::Result;
use salesplan::chapters::insights::compute::KpiStatus;
use salesplan::cli::{CheckArgs, FailOn};
use salesplan::diag::{Diagnostics, InvalidInput};
use salesplan::model::table::fixed;
use salesplan::model::Model;
use salesplan::project::PLAN_FILE;
use salesplan::site::{self, Options};

pub fn run(args: &CheckArgs) -> Result<()> {
    let options = Options::resolve(&args.project, args.strict)?;
    let mut diags = Diagnostics::default();
    let checked = site::check(&options, &mut diags)?;
    diags.print(options.message_format);
    let Some(computed) = checked else {
        eprintln!("check failed: {}", diags.summary());
        return Err(InvalidInput.into());
    };
    let kpis_failed = args
        .fail_on
        .is_some_and(|level| print_alerts(&computed.model, level));
    eprintln!(
        "check: {} is valid as of {} ({} sales rows; {})",
        PLAN_FILE,
        computed.model.info.periods.as_of,
        computed.data.sales.counts.rows_valid,
        diags.summary()
    );
    if kpis_failed {
        return Err(KpiThresholdReached.into());
    }
    Ok(())
}

/// `check --fail-on` matched: exit code 3.
#[derive(Debug)]
pub struct KpiThresholdReached;

impl std::fmt::Display for KpiThresholdReached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a KPI reached its threshold")
    }
}

impl std::error::Error for KpiThresholdReached {}

/// Prints every KPI at `level` or worse, one per line on stdout (for CI to gate on or
/// announce); returns whether there was any.
fn print_alerts(model: &Model, level: FailOn) -> bool {
    let Some(insights) = &model.insights else {
        return false;
    };
    let minimum = match level {
        FailOn::Warn => KpiStatus::Warn,
        FailOn::Alert => KpiStatus::Alert,
    };
    let mut any = false;
    for a in insights.alerts.iter().filter(|a| a.status >= minimum) {
        any = true;
        println!(
            "{}: {} value={} threshold={} owner={} due={}",
            a.status.key(),
            a.id,
            fixed(a.value, 4),
            a.threshold.normalize(),
            a.owner.as_deref().unwrap_or("-"),
            a.due.map_or_else(|| "-".to_string(), |d| d.to_string())
        );
    }
    any
}
