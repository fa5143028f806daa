//! End-to-end tests: the real `salesplan` binary over fixture projects. Expected numbers
//! are derived by hand in the comments next to the assertions (full derivations in each
//! fixture's DERIVATION.md) or come from the spec's independent conformance outputs.

mod support;

use std::fs;

use support::{assert_table_matches, repo, summary, Plan, Table};

// ---------------------------------------------------------------------------------------
// Conformance: the spec's examples, compared with the tables an independent
// implementation produced (tests/conformance/<case>/expected).
// ---------------------------------------------------------------------------------------

/// Tables this build computes so far; later chapters add theirs here.
const IMPLEMENTED: &[&str] = &[
    "targets_monthly",
    "targets_quarterly",
    "targets_by_product_line",
    "targets_by_region",
    "team_reps",
    "team_headcount",
    "channels_mix",
    "channels_partners",
    "channels_price_conflicts",
    "channels_territory_conflicts",
    "promotions",
    "customers_csat",
    "customers_nps",
    "customers_complaints",
    "customers_tiers",
    "customers_rfm",
    "insights_quality",
    "insights_kpis",
    "insights_forecast",
    "insights_abc",
    "insights_growth_share",
    "insights_elasticity",
];

/// Chapters whose summary figures (expected/summary.json) are computed so far.
const IMPLEMENTED_SUMMARIES: &[&str] = &["targets", "team", "insights"];

/// Compares a build with a project's `expected/` folder: every implemented table it has
/// an expected version of, `as_of` and the implemented summary figures. Returns how many
/// tables were compared.
fn matches_expected(case: &str, plan: &Plan, run: &support::Run) -> usize {
    let expected_dir = plan.path().join("expected");
    let mut compared = 0;
    for name in IMPLEMENTED {
        let path = expected_dir.join(format!("{name}.csv"));
        if path.exists() {
            assert_table_matches(
                &format!("{case}/{name}"),
                &run.table(name),
                &Table::read(&path),
            );
            compared += 1;
        }
    }
    let expected = summary(&expected_dir.join("summary.json"));
    let model = run.model();
    assert_eq!(model["plan"]["as_of"], expected["as_of"], "{case}: as_of");
    for chapter in IMPLEMENTED_SUMMARIES {
        let figures = expected.get(*chapter).and_then(|t| t.as_object());
        for (key, want) in figures.into_iter().flatten() {
            let got = &model[*chapter][key];
            match (got.as_f64(), want.as_f64()) {
                (Some(g), Some(w)) => assert!(
                    (g - w).abs() <= 0.01 + 1e-9,
                    "{case}: {chapter}.{key} = {g}, want {w}"
                ),
                _ => assert_eq!(got, want, "{case}: {chapter}.{key}"),
            }
        }
    }
    compared
}

/// Builds a conformance case and compares it with the independent implementation's output.
fn conformance(case: &str) {
    let plan = Plan::conformance(case);
    let run = plan.run(&["build"]).succeeds();
    assert!(
        matches_expected(case, &plan, &run) > 0,
        "{case}: nothing compared"
    );
}

#[test]
fn conformance_a_targets_april() {
    conformance("a_targets_april");
}

#[test]
fn conformance_i_encoding() {
    conformance("i_encoding");
}

#[test]
fn conformance_j_data_forms() {
    conformance("j_data_forms");
}

#[test]
fn conformance_b_team() {
    conformance("b_team");
}

#[test]
fn conformance_c_channels() {
    conformance("c_channels");
}

#[test]
fn conformance_d_promotions() {
    conformance("d_promotions");
}

#[test]
fn conformance_e_customers() {
    conformance("e_customers");
}

#[test]
fn conformance_f_insights() {
    conformance("f_insights");
}

#[test]
fn conformance_g_forecast_hw() {
    conformance("g_forecast_hw");
}

#[test]
fn conformance_h_forecast_linear_kpis() {
    conformance("h_forecast_linear_kpis");
}

// ---------------------------------------------------------------------------------------
// Hand-derived fixtures.
// ---------------------------------------------------------------------------------------

#[test]
fn hand_april_monthly_targets_follow_history_and_ties() {
    // FY 2027 starts 2027-04-01; baseline FY 2026 revenue by fiscal month (Apr..Mar):
    // 250, 0, 280, 200, 600, 310, 540, 220, 350, 270, 190, 390 = 3600.
    // Exact parts 12000 × B/3600 = 10B/3: floors 833,0,933,666,2000,1033,1800,733,1166,900,633,1300
    // = 11997, three units left: Jul and Dec (remainder 2/3) first, then the five-way tie at
    // 1/3 goes to the earliest fiscal month, April (not calendar-first February).
    let run = Plan::fixture("hand_april").run(&["build"]).succeeds();
    let t = run.table("targets_monthly");
    assert_eq!(
        t.column("target"),
        [
            "834.00", "0.00", "933.00", "667.00", "2000.00", "1033.00", "1800.00", "733.00",
            "1167.00", "900.00", "633.00", "1300.00"
        ]
    );
    assert_eq!(t.keys()[0], "2027-04");
    assert_eq!(t.keys()[11], "2028-03");
    // April: 300 + 200 − 60 (a return) = 440; 440 / 834 = 0.52757… → 0.5276.
    assert_eq!(t.get("2027-04", "actual"), "440.00");
    assert_eq!(t.get("2027-04", "attainment"), "0.5276");
    // May: 150 + 30 + 120 + 180 = 480 against a target of 0 → attainment empty.
    assert_eq!(t.get("2027-05", "actual"), "480.00");
    assert_eq!(t.get("2027-05", "attainment"), "");
    // June, as_of 2027-06-12: 90 + 105 = 195 (the 500 on 06-13 is after as_of);
    // against the full-month target: 195 / 933 = 0.20900… → 0.2090.
    assert_eq!(t.get("2027-06", "actual"), "195.00");
    assert_eq!(t.get("2027-06", "attainment"), "0.2090");
    // After as_of's month: no actual.
    assert_eq!(t.get("2027-07", "actual"), "");
    // Baseline of May is 0 (no rows in 2026-05).
    assert_eq!(t.get("2027-05", "baseline"), "0.00");
}

#[test]
fn hand_april_quarters_and_summary() {
    let run = Plan::fixture("hand_april").run(&["build"]).succeeds();
    let q = run.table("targets_quarterly");
    // Q1 = Apr+May+Jun = 834 + 0 + 933 = 1767; baseline 250 + 0 + 280 = 530;
    // actual 440 + 480 + 195 = 1115; 1115 / 1767 = 0.63101… → 0.6310.
    assert_eq!(q.rows[0], ["Q1", "1767.00", "530.00", "1115.00", "0.6310"]);
    // Q4 = Jan+Feb+Mar 2028 = 900 + 633 + 1300 = 2833, no actual yet.
    assert_eq!(q.rows[3], ["Q4", "2833.00", "850.00", "", ""]);
    let m = run.model();
    let t = &m["targets"];
    // YTD target = Apr 834 + May 0 + June 933 × 12/30 = 834 + 373.2 = 1207.2.
    assert_eq!(t["ytd_target"], 1207.2);
    assert_eq!(t["ytd_actual"], 1115.0);
    // 1115 / 1207.2 = 0.92362… → 0.9236.
    assert_eq!(t["ytd_attainment"], 0.9236);
    // Prior-year window [2026-04-01, 2026-06-12]: 150 + 100 + 120 = 370 (the 160 on 06-13
    // is a day late); 1115 / 370 − 1 = 2.01351… → 2.0135.
    assert_eq!(t["ytd_growth"], 2.0135);
    // growth = 12000 / 3600 − 1 = 2.3333….
    assert_eq!(t["growth"], 2.3333);
    assert_eq!(t["baseline_total"], 3600.0);
}

#[test]
fn hand_april_splits_by_line_and_region() {
    let run = Plan::fixture("hand_april").run(&["build"]).succeeds();
    // Absolute targets; Beverages and Snacks tie at 5000 → name order; Samples (in the data,
    // not listed) gets no row. Beverages baseline 150 + 120 + 600 + 120 + 300 + 390 = 1680,
    // growth 5000/1680 − 1 = 1.97619 → 1.9762; FY actual 300 − 60 + 180 + 105 = 525;
    // pro-rated target 5000 × 1207.2/12000 = 503; 525 / 503 = 1.04373… → 1.0437.
    let lines = run.table("targets_by_product_line");
    assert_eq!(lines.keys(), ["Beverages", "Snacks", "Gifts"]);
    assert_eq!(
        lines.rows[0],
        [
            "Beverages",
            "5000.00",
            "1680.00",
            "1.9762",
            "525.00",
            "1.0437"
        ]
    );
    // Gifts: baseline 200 + 540 + 190 = 930; actual 150 + 90 = 240;
    // 240 / (2000 × 0.1006) = 240 / 201.2 = 1.19284… → 1.1928.
    assert_eq!(lines.get("Gifts", "attainment"), "1.1928");
    // Shares 0.1996 / 0.2502 / 0.3 / 0.2502 of 12000 = 2395.2, 3002.4, 3600, 3002.4:
    // floors 2395 + 3002 + 3600 + 3002 = 11999; East and West tie at .4 (South has .2) →
    // East, listed first, gets the unit. Ordered by target desc, then name.
    let regions = run.table("targets_by_region");
    assert_eq!(regions.keys(), ["North", "East", "West", "South"]);
    assert_eq!(
        regions.column("target"),
        ["3600.00", "3003.00", "3002.00", "2395.00"]
    );
    // South has no baseline: growth empty; its FY actual is 120 + 90 = 210.
    assert_eq!(regions.get("South", "growth"), "");
    assert_eq!(regions.get("South", "actual"), "210.00");
}

#[test]
fn hand_baseline_split_without_lists() {
    let run = Plan::fixture("hand_baseline_split")
        .run(&["build"])
        .succeeds();
    // Even: 10010 / 12 = 834 1/6, two units left → January and February get 835.
    let m = run.table("targets_monthly");
    assert_eq!(m.get("2027-01", "target"), "835.00");
    assert_eq!(m.get("2027-02", "target"), "835.00");
    assert_eq!(m.get("2027-03", "target"), "834.00");
    // Quarter = sum of months: 835 + 835 + 834 = 2504 (not 10010/4 = 2502.5).
    assert_eq!(
        run.table("targets_quarterly").get("Q1", "target"),
        "2504.00"
    );
    // Lines split by baseline shares over names with positive baseline, in name order:
    // Accessories 1500, Apparel 2500, Footwear 6000 of 10000 → 1501.5, 2502.5, 6006:
    // floors 1501 + 2502 + 6006 = 10009; the .5/.5 tie goes to Accessories (name order).
    // Outdoor sells only in FY 2027 → no row.
    let lines = run.table("targets_by_product_line");
    assert_eq!(lines.keys(), ["Footwear", "Apparel", "Accessories"]);
    assert_eq!(lines.column("target"), ["6006.00", "2502.00", "1502.00"]);
    // Regions: Central nets to 0 in 2026 (800 − 800) → no row; East 4300, North 3300,
    // West 2400 → 4304.3, 3303.3, 2402.4 → West has the largest remainder.
    let regions = run.table("targets_by_region");
    assert_eq!(regions.keys(), ["East", "North", "West"]);
    assert_eq!(regions.column("target"), ["4304.00", "3303.00", "2403.00"]);
    // West growth 2403/2400 − 1 = 0.00125 exactly → half away from zero → 0.0013.
    assert_eq!(regions.get("West", "growth"), "0.0013");
    // ytd_growth = 1850 / 1600 − 1 = 0.15625 → 0.1563 (half away from zero).
    assert_eq!(run.model()["targets"]["ytd_growth"], 0.1563);
}

#[test]
fn hand_fixtures_match_their_expected_tables() {
    // Every table and summary figure each fixture's DERIVATION.md derives by hand.
    for case in [
        "hand_april",
        "hand_baseline_split",
        "hand_team",
        "hand_channels",
        "hand_promotions",
        "hand_customers",
    ] {
        let plan = Plan::fixture(case);
        let run = plan.run(&["build"]).succeeds();
        assert!(
            matches_expected(case, &plan, &run) > 0,
            "{case}: nothing compared"
        );
    }
}

#[test]
fn hand_team_flat_margin_commission_over_the_baseline_year() {
    let run = Plan::fixture("hand_team").run(&["build"]).succeeds();
    // No valid 2027 row up to as_of 2027-01-31 (the one on 01-20 has amount N/A), so the
    // review period is the baseline year 2026 (a simulation of last year).
    assert_eq!(
        run.model()["team"]["review_period"]["kind"],
        "baseline_year"
    );
    let reps = run.table("team_reps");
    // Ordered by exact attainment: Ann and Hal tie at 1.0 → name order; Bob exactly 0.8
    // before Ada 0.799975 although both print 0.8000; unplanned Kim and Zed last, by name.
    assert_eq!(
        reps.keys(),
        ["Cat", "Ann", "Hal", "Bob", "Ada", "Eli", "Dee", "Kim", "Zed"]
    );
    // Cat: margin (80000−30000)+(70000−20000) = 100000 (the 9000 row has no cost, skipped);
    // 2.5 × quota → 8 % × 100000 = 8000, capped at 5000.
    assert_eq!(reps.get("Cat", "commission"), "5000.00");
    // Bob: 40000 − 20000 = 20000 of 25000 = exactly 0.8 → upper tier 5 % → 1000.
    assert_eq!(reps.get("Bob", "commission"), "1000.00");
    // Ada: 12000.25 − 4000.50 = 7999.75 of 10000 = 0.799975 → lower tier 2 % → 159.995
    // → 160.00 (half away from zero).
    assert_eq!(reps.get("Ada", "attainment"), "0.8000");
    assert_eq!(reps.get("Ada", "commission"), "160.00");
    // Dee: 3000 − 3500 = −500 (the 1000 row has no cost) → negative attainment → 0.
    assert_eq!(reps.get("Dee", "commission"), "0.00");
    // A planned rep without sales: actual 0, attainment 0, commission 0.
    assert_eq!(
        reps.rows[5],
        ["Eli", "North", "12000.00", "0.00", "0.0000", "0.00"]
    );
    // Unplanned: empty region, quota, attainment and commission.
    assert_eq!(reps.rows[7], ["Kim", "", "", "500.00", "", ""]);
    // Quota coverage is not defined on a margin basis.
    assert!(run.model()["team"]["quota_coverage"].is_null());
    // Headcount: Inside Sales hires 1 in Q4 (3 months): 4 × 70002 + 70002 × 3/12 = 297508.50;
    // Sales Manager shrinks 3 → 2: no hiring cost, 3 × 200000 = 600000.
    let hc = run.table("team_headcount");
    assert_eq!(hc.get("Inside Sales", "plan_year_cost"), "297508.50");
    assert_eq!(hc.get("Sales Manager", "change"), "-1");
    assert_eq!(hc.get("Sales Manager", "plan_year_cost"), "600000.00");
}

#[test]
fn hand_channels_price_conflicts_at_the_tolerance() {
    let run = Plan::fixture("hand_channels").run(&["build"]).succeeds();
    let conflicts = run.table("channels_price_conflicts");
    // price_tolerance 0.1. 2027-03 Kettle: Online 80, Store 88.004 → 8.004/80 = 0.10005 > 0.1
    // → a conflict (written 0.1001); 2027-04: exactly 0.1 → none; 2027-05: 0.0999 → none.
    let months: Vec<(&str, &str)> = conflicts
        .rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert!(months.contains(&("2027-03", "Kettle")));
    assert!(!months.contains(&("2027-04", "Kettle")));
    assert!(!months.contains(&("2027-05", "Kettle")));
    assert_eq!(
        conflicts.rows.last().unwrap(),
        &["2027-03", "Kettle", "Online", "80.00", "Store", "88.00", "0.1001"]
    );
    // Toaster: Direct (not a listed channel) ties Store for the high price; Direct comes
    // first by name.
    assert!(conflicts
        .rows
        .iter()
        .any(|r| r[1] == "Toaster" && r[4] == "Direct"));
    // Territory: Beacon has no territory and never conflicts; ordered by amount desc.
    let territory = run.table("channels_territory_conflicts");
    assert_eq!(
        territory.column("partner"),
        ["Cobalt", "Atlas", "Atlas", "Cobalt"]
    );
    // Atlas lacks a `reach` score: dropped from both sums, 2.65 / 0.65 = 4.0769…
    assert_eq!(
        run.table("channels_partners").get("Atlas", "score"),
        "4.0769"
    );
}

// ---------------------------------------------------------------------------------------
// Broken input: exit code 1 and the exact located message.
// ---------------------------------------------------------------------------------------

/// (fixture under tests/fixtures/broken, the first error line `check --strict` prints).
const BROKEN: &[(&str, &str)] = &[
    ("yaml_syntax", "error: content/targets.yaml:4:4: did not find expected '-' indicator, while parsing a block collection"),
    ("unknown_key", "error: content/targets.yaml:2:1: unknown key `seasonallity`, expected one of `annual_target`, `seasonality`, `by_product_line`, `by_region`, `positioning`, `competitors`, `product_strategy`, `pricing`, `notes`"),
    ("wrong_type", "error: content/targets.yaml:1:16: annual_target: invalid value: string \"lots\", expected a number"),
    ("missing_required_key", "error: content/targets.yaml:1:1: missing required key `annual_target`"),
    ("shares_not_one", "error: content/targets.yaml:2:1: by_region shares sum to 0.9, expected 1 (± 0.001)"),
    ("targets_not_summing", "error: content/targets.yaml:2:1: by_product_line targets sum to 1100, but annual_target is 1200"),
    ("mixed_target_share", "error: content/targets.yaml:2:1: by_region mixes `target` and `share`; use one form for the whole list"),
    ("seasonality_eleven_weights", "error: content/targets.yaml:2:1: seasonality needs 12 weights (one per fiscal month), found 11"),
    ("missing_dataset", "error: content/plan.yaml:7:12: dataset file `data/missing.csv` not found"),
    ("path_escapes_root", "error: content/plan.yaml:7:12: dataset path `../outside.csv` resolves outside the project folder"),
    ("glob_matches_nothing", "error: content/plan.yaml:7:12: no file matches `data/exports/*.csv`"),
    ("non_utf8_without_encoding", "error: data/sales.csv:2: the file is not valid UTF-8; if it was saved by Excel in Chinese, add `encoding: gbk` (or `gb18030`) to this dataset in content/plan.yaml"),
    ("invalid_rows_strict", "error: data/sales.csv:4: column date: `2027-02-30` is not a date (expected YYYY-MM-DD; set `date_format` for other forms); row excluded"),
    ("empty_csv", "error: data/sales.csv: the file is empty (0 bytes): expected a header row"),
    ("header_missing_column", "error: data/sales.csv:1: column amount: required column missing from the header (header: date, product, product_line, region, channel, quantity)"),
    ("duplicate_header", "error: data/sales.csv:1: column product: appears twice in the header"),
    ("unknown_currency", "error: content/plan.yaml:4:1: unknown currency `RMB` (use the ISO 4217 code `CNY` for renminbi)"),
    ("fiscal_year_start_13", "error: content/plan.yaml:4:1: fiscal_year_start must be a month 1-12, found 13"),
    ("no_rows_no_as_of", "error: content/plan.yaml: no as_of: the sales dataset has no valid rows, so set `as_of` in content/plan.yaml or pass --as-of"),
    ("narrative_undefined", "error: content/targets.md:3:31: undefined value in template: `money` was given a name that does not exist in the model"),
    ("mapped_column_missing", "error: data/sales.csv:1: column 销售额 (amount): not found in the header (mapped by `columns:` in content/plan.yaml; header: date, product, product_line, region, channel, quantity, amount)"),
    // Line 2 is `# ` then GBK bytes C4 BF B1 EA: C4 BF happens to be valid UTF-8 (one
    // character, column 3), so the first invalid byte is B1 in column 4.
    ("yaml_not_utf8", "error: content/targets.yaml:2:4: the file is not valid UTF-8: save plan files as UTF-8"),
    ("bad_date_format", "error: content/plan.yaml:7:34: date_format `%d/%m` cannot read dates: it needs a year, a month and a day, such as `%d/%m/%Y` or `%Y%m%d`"),
    // Line 3 opens a quote that never closes: lines 3-5 are read as one value.
    ("unclosed_quote", "error: data/sales.csv:3: a quoted value that starts on this line is never closed: it swallowed the last 3 lines of the file"),
    ("empty_split_list", "error: content/targets.yaml:3:1: by_region is empty: list each name with its `target` or `share`, or remove the key to split by baseline revenue"),
    // Chapters 2 and 3: the rules of §7.2/§7.3 that need only the YAML.
    ("channel_shares_not_one", "error: content/channels.yaml:1:1: channel target_share values sum to 0.9, expected 1 (± 0.001)"),
    ("budget_unknown_channel", "error: content/channels.yaml:6:7: budget names channel `Stores`, which is not in `channels`"),
    ("partner_unknown_channel", "error: content/channels.yaml:5:20: partner `DistA` names channel `Distributors`, which is not in `channels`"),
    ("selection_weight_zero", "error: content/channels.yaml:6:26: weight of `stability` must be positive, found 0"),
    ("partner_unknown_criterion", "error: content/channels.yaml:4:62: partner `DistA` is scored on `reliability`, which is not in selection.criteria"),
    ("appraisal_weights_not_one", "error: content/team.yaml:3:3: appraisal KPI weights sum to 0.9, expected 1 (± 0.001)"),
    ("tiers_not_contiguous", "error: content/team.yaml:4:9: tier starts at 0.9, expected 0.8 (tiers must be contiguous from 0)"),
    // Chapters 4 and 5.
    ("tiers_not_ascending", "error: content/customers.yaml:4:7: tier `Silver` must not ask less than `Gold` (tiers are listed in ascending order of min_spend and min_orders)"),
    ("surveys_without_dimensions", "error: content/plan.yaml:8:3: a surveys dataset needs `survey.dimensions` in content/customers.yaml (the score columns to read)"),
    ("promotion_ends_before_start", "error: content/promotions.yaml:5:5: promotion `spring` ends (2027-03-01) before it starts (2027-03-10)"),
    ("unknown_mechanic", "error: content/promotions.yaml:6:26: promotions[0].mechanics[0].type: unknown variant `bogo`, expected one of `discount`, `spend_save`, `gift`"),
    // Chapter 6.
    ("unknown_metric", "error: content/insights.yaml:2:16: unknown metric `revenue_attainment` (did you mean `revenue_attainment_ytd`?)"),
    ("contradictory_thresholds", "error: content/insights.yaml:5:5: alert_below (0.9) is above warn_below (0.8): a value would reach the alert before the warning"),
    // Limits that keep every date and sum computable (never a panic).
    ("duplicate_rep", "error: content/team.yaml:5:7: `Ann` is listed twice in reps"),
    ("respond_within_too_long", "error: content/insights.yaml:2:65: respond_within `100000000d` is longer than 36500 days"),
    ("horizon_too_long", "error: content/insights.yaml:1:13: forecast.horizon is at most 120 months, found 4000000000"),
    ("negative_sla", "error: content/customers.yaml:2:10: complaints.sla.first_response_hours must be above 0 and at most 876000, found -5"),
    ("unknown_mapped_column", "error: content/plan.yaml:9:16: `ammount` is not a column of dataset `sales` (did you mean `amount`?)"),
];

#[test]
fn broken_fixtures_fail_with_located_messages() {
    let folders: Vec<String> = fs::read_dir(repo().join("tests/fixtures/broken"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        folders.len(),
        BROKEN.len(),
        "every broken fixture has an expected message"
    );
    for (case, expected) in BROKEN {
        let plan = Plan::broken(case);
        let run = plan.run(&["check", "--strict"]).fails_with(1);
        let first_error = run
            .diagnostics()
            .into_iter()
            .find(|l| l.starts_with("error: "));
        assert_eq!(
            first_error,
            Some(*expected),
            "{case}: stderr was\n{}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{case} panicked");
        // build fails the same way and writes nothing.
        let build = plan.run(&["build", "--strict"]).fails_with(1);
        assert!(!build.out.exists(), "{case}: a failed build wrote public/");
    }
}

#[test]
fn invalid_rows_are_warnings_without_strict() {
    // The two bad rows are excluded and listed with their line numbers; the build succeeds.
    let run = Plan::broken("invalid_rows_strict")
        .run(&["build"])
        .succeeds();
    let diags = run.diagnostics();
    assert!(
        diags.contains(
            &"warning: data/sales.csv:5: column amount: `12.3.4` is not an amount; row excluded"
        ),
        "{diags:?}"
    );
    // 4 rows read, 2 valid, 2 invalid (lines 4 and 5).
    assert_eq!(
        run.table("insights_quality").rows[0][..5],
        ["sales", "4", "2", "0", "2"]
    );
}

#[test]
fn github_message_format_annotates_the_file() {
    let run = Plan::broken("shares_not_one")
        .run(&["check", "--message-format", "github"])
        .fails_with(1);
    assert!(
        run.stderr.contains("::error file=content/targets.yaml,line=2,col=1::by_region shares sum to 0.9, expected 1 (± 0.001)"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let plan = Plan::fixture("hand_april");
    plan.run(&["build", "--as-of", "31/05/2027"]).fails_with(2);
    plan.run(&["build", "--base-url", "example.com"])
        .fails_with(2);
    plan.run(&["frobnicate"]).fails_with(2);
}

#[test]
fn base_url_is_used_for_canonical_links_only() {
    let run = Plan::fixture("hand_april")
        .run(&["build", "--base-url", "https://plans.example.com/2027/"])
        .succeeds();
    let page = run.file("targets.html");
    assert!(
        page.contains(
            "<link rel=\"canonical\" href=\"https://plans.example.com/2027/targets.html\">"
        ),
        "{page}"
    );
    // Links between pages stay relative, so the site also works from file://.
    assert!(page.contains("<a href=\"index.html\">"));
    assert_eq!(
        run.model()["plan"]["base_url"],
        "https://plans.example.com/2027"
    );
}

#[test]
fn no_project_is_a_clear_error() {
    let run = Plan::empty().run(&["check"]).fails_with(1);
    assert!(
        run.stderr.contains("no content/plan.yaml found"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------------
// Output safety and reproducibility.
// ---------------------------------------------------------------------------------------

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let plan = Plan::fixture("hand_april");
    let first = plan.run(&["build"]).succeeds();
    let before = first.file("data/targets_monthly.csv");
    // Break the plan: shares no longer sum to 1.
    let targets = fs::read_to_string(plan.path().join("content/targets.yaml")).unwrap();
    plan.write(
        "content/targets.yaml",
        &targets.replace("share: 0.3 ", "share: 0.2 "),
    );
    let second = plan.run(&["build"]).fails_with(1);
    assert!(second.stderr.contains("shares sum to"), "{}", second.stderr);
    assert!(
        second.stderr.contains("public/ left unchanged"),
        "{}",
        second.stderr
    );
    assert_eq!(second.file("data/targets_monthly.csv"), before);
    assert!(second.out.join("index.html").exists());
}

#[test]
fn dangerous_out_folders_are_refused() {
    let plan = Plan::fixture("hand_april");
    for out in [".", "content", "data", "..", "content/site"] {
        let run = plan.run(&["build", "--out", out]).fails_with(1);
        assert!(
            run.stderr.contains("refusing"),
            "--out {out}: {}",
            run.stderr
        );
    }
    assert!(
        plan.path().join("content/plan.yaml").exists(),
        "nothing was deleted"
    );
    // A non-empty folder salesplan did not write is not replaced either.
    plan.write("elsewhere/keep.txt", "mine");
    plan.run(&["build", "--out", "elsewhere"]).fails_with(1);
    assert_eq!(
        fs::read_to_string(plan.path().join("elsewhere/keep.txt")).unwrap(),
        "mine"
    );
    // A fresh folder is fine.
    plan.run(&["build", "--out", "site"]).succeeds();
    assert!(plan.path().join("site/index.html").exists());
}

#[test]
fn check_writes_nothing() {
    let plan = Plan::fixture("hand_april");
    let run = plan.run(&["check"]).succeeds();
    assert!(
        run.stderr
            .contains("check: content/plan.yaml is valid as of 2027-06-12"),
        "{}",
        run.stderr
    );
    assert!(!run.out.exists());
}

/// Every file of a folder, as (relative path, bytes), sorted.
fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn builds_are_byte_for_byte_reproducible() {
    let plan = Plan::example();
    plan.run(&["build", "--out", "one"]).succeeds();
    plan.run(&["build", "--out", "two"]).succeeds();
    let one = snapshot(&plan.path().join("one"));
    let two = snapshot(&plan.path().join("two"));
    assert!(
        one.len() >= 20,
        "a full site was written ({} files)",
        one.len()
    );
    assert_eq!(
        one.iter().map(|f| &f.0).collect::<Vec<_>>(),
        two.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((name, a), (_, b)) in one.iter().zip(&two) {
        assert!(a == b, "{name} differs between two builds");
    }
}

// ---------------------------------------------------------------------------------------
// The example plan and the editions.
// ---------------------------------------------------------------------------------------

#[test]
fn the_example_plan_builds_every_edition() {
    let run = Plan::example().run(&["build", "--strict"]).succeeds();
    let others = [
        "plan.md",
        "model.json",
        "assets/style.css",
        "assets/print.css",
    ];
    for page in PAGES.iter().chain(&others) {
        assert!(run.out.join(page).is_file(), "{page} written");
    }
    for chart in [
        "targets_monthly",
        "targets_by_product_line",
        "targets_by_region",
    ] {
        let svg = run.file(&format!("charts/{chart}.svg"));
        assert!(
            svg.starts_with("<svg") && svg.contains("Noto Sans CJK SC"),
            "{chart}.svg"
        );
    }
    let index = run.file("index.html");
    assert!(index.contains("<html lang=\"en\">"));
    assert!(index.contains("Yunwu Tea Co., Ltd."));
    assert!(index.contains("href=\"targets.html\""), "relative links");
    // Every chart has a text alternative and a link to its data.
    let targets = run.file("targets.html");
    assert!(targets.contains("<img src=\"charts/targets_monthly.svg\" alt=\"Monthly target"));
    assert!(targets.contains("href=\"data/targets_monthly.csv\""));
    // The narrative quotes live figures: the annual target of targets.yaml, formatted.
    assert!(
        targets.contains("<strong>¥15,000,000.00</strong>"),
        "narrative figure"
    );
    // Chapter pages and the print edition carry the same computed table.
    let print = run.file("print.html");
    assert!(print.contains("id=\"targets-tbl-targets_monthly\""));
    assert!(print.contains("class=\"chapter\" id=\"chapter-insights\""));
    // The Markdown edition has GFM tables with right-aligned numbers and the charts.
    let md = run.file("plan.md");
    assert!(md.starts_with("# 2026 Sales Department Business Plan"));
    assert!(md.contains("![Monthly target"), "chart image in plan.md");
    assert!(md.contains("|---|---:|---:|---:|---:|"), "aligned table");
    // English CSVs have no byte-order mark.
    assert!(!run.table("targets_monthly").bom);
    // Every page: ids unique, and every in-page reference points at one.
    for page in PAGES {
        let html = run.file(page);
        let ids = attribute_values(&html, "id");
        let mut seen = std::collections::BTreeSet::new();
        for id in &ids {
            assert!(seen.insert(id), "{page}: id `{id}` used twice");
        }
        let labelled: Vec<String> = attribute_values(&html, "aria-labelledby")
            .iter()
            .flat_map(|v| v.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .collect();
        let anchors = attribute_values(&html, "href")
            .into_iter()
            .filter_map(|h| h.strip_prefix('#').map(str::to_string));
        for target in labelled.into_iter().chain(anchors) {
            assert!(seen.contains(&target), "{page}: `{target}` names no id");
        }
    }
    // The 17-column promotions table gets a landscape page in print.
    assert!(print.contains(
        "table-landscape\" role=\"region\" aria-labelledby=\"promotions-tbl-promotions-caption\""
    ));
}

const PAGES: &[&str] = &[
    "index.html",
    "targets.html",
    "team.html",
    "channels.html",
    "promotions.html",
    "customers.html",
    "insights.html",
    "print.html",
];

/// Every value of `name="…"` in `html` (attributes are always double-quoted here).
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn model_json_has_one_key_per_chapter() {
    let run = Plan::fixture("hand_april").run(&["build"]).succeeds();
    let model = run.model();
    for key in [
        "plan",
        "targets",
        "team",
        "channels",
        "promotions",
        "customers",
        "insights",
        "diagnostics",
    ] {
        assert!(model.get(key).is_some(), "model.json has {key}");
    }
    // Table rows are objects keyed by the CSV columns; empty cells are null.
    let row = &model["targets"]["tables"]["targets_monthly"][1];
    assert_eq!(row["month"], "2027-05");
    assert_eq!(row["actual"], 480.0);
    assert!(row["attainment"].is_null());
    assert_eq!(model["team"]["planned"], false);
}

#[test]
fn chinese_plans_get_chinese_pages_and_excel_friendly_csv() {
    // i_encoding is language zh-CN with a GBK sales file.
    let run = Plan::conformance("i_encoding").run(&["build"]).succeeds();
    assert!(
        run.table("targets_monthly").bom,
        "zh-CN CSVs start with a BOM"
    );
    let page = run.file("targets.html");
    assert!(page.contains("<html lang=\"zh-CN\">"));
    assert!(page.contains("销售目标与策略"));
    assert!(page.contains("年初至今达成率"));
    // 1334.50 / 3000 = 0.44483 → 44.5%, Chinese percent style without a space.
    assert!(page.contains("44.5%"), "zh percent");
    let md = run.file("plan.md");
    assert!(md.contains("第1章 销售目标与策略"));
}

#[test]
fn as_of_flag_overrides_the_plan() {
    // With as_of moved to 2027-04-30, YTD target = April's 834 and the actual is 440.
    let run = Plan::fixture("hand_april")
        .run(&["build", "--as-of", "2027-04-30"])
        .succeeds();
    let t = &run.model()["targets"];
    assert_eq!(t["ytd_target"], 834.0);
    assert_eq!(t["ytd_actual"], 440.0);
}

#[test]
fn init_writes_a_sample_that_builds_and_refuses_to_overwrite() {
    let dir = Plan::empty();
    dir.run(&["init", "plan"]).succeeds();
    assert!(dir.path().join("plan/content/plan.yaml").is_file());
    assert!(dir.path().join("plan/data/sales.csv").is_file());
    assert_eq!(
        fs::read_to_string(dir.path().join("plan/.gitignore")).unwrap(),
        "public/\n"
    );
    let run = dir.run(&["build", "--root", "plan"]).succeeds();
    assert!(
        run.stderr
            .contains("built 2026 Sales Department Business Plan"),
        "{}",
        run.stderr
    );
    assert!(dir.path().join("plan/public/index.html").is_file());
    let again = dir.run(&["init", "plan"]).fails_with(1);
    assert!(
        again.stderr.contains("refusing to overwrite"),
        "{}",
        again.stderr
    );
    // --lang zh-CN writes the Chinese sample: Chinese plan, a GBK sales export with
    // Chinese headers mapped by `columns:`, and it builds cleanly.
    dir.run(&["init", "zh", "--lang", "zh-CN"]).succeeds();
    let plan = fs::read_to_string(dir.path().join("zh/content/plan.yaml")).unwrap();
    assert!(plan.contains("language: zh-CN"));
    assert!(plan.contains("encoding: gbk"));
    let sales = fs::read(dir.path().join("zh/data/sales.csv")).unwrap();
    assert!(
        std::str::from_utf8(&sales).is_err(),
        "the sales export is GBK, not UTF-8"
    );
    let run = dir.run(&["build", "--root", "zh", "--strict"]).succeeds();
    assert!(run.stderr.contains("0 warnings"), "{}", run.stderr);
    let index = fs::read_to_string(dir.path().join("zh/public/index.html")).unwrap();
    assert!(index.contains("<html lang=\"zh-CN\">"));
    assert!(index.contains("云雾茶业有限公司"));
    assert!(index.contains("年度目标"));
}

#[test]
fn names_missing_from_the_data_are_warnings_with_a_suggestion() {
    let plan = Plan::fixture("hand_april");
    let targets = fs::read_to_string(plan.path().join("content/targets.yaml")).unwrap();
    plan.write(
        "content/targets.yaml",
        &targets.replace("{ name: East, share", "{ name: Eest, share"),
    );
    let run = plan.run(&["check"]).succeeds();
    assert!(
        run.diagnostics().contains(&"warning: content/targets.yaml:9:7: region `Eest` never occurs in the sales data (did you mean `East`?)"),
        "{}",
        run.stderr
    );
    // Under --strict the same warning fails the check.
    plan.run(&["check", "--strict"]).fails_with(1);
}

#[test]
fn dataset_symlinks_out_of_the_project_are_refused() {
    let outside = Plan::empty();
    fs::write(
        outside.path().join("sales.csv"),
        "date,product,product_line,region,channel,quantity,amount\n",
    )
    .unwrap();
    let plan = Plan::fixture("hand_april");
    fs::remove_file(plan.path().join("data/sales.csv")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("sales.csv"),
        plan.path().join("data/sales.csv"),
    )
    .unwrap();
    let run = plan.run(&["check"]).fails_with(1);
    assert!(
        run.diagnostics().contains(&"error: content/plan.yaml:9:12: dataset path `data/sales.csv` resolves outside the project folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn theme_files_override_the_built_in_ones_file_by_file() {
    let plan = Plan::fixture("hand_april");
    let plan_yaml = fs::read_to_string(plan.path().join("content/plan.yaml")).unwrap();
    plan.write("content/plan.yaml", &format!("{plan_yaml}theme: board\n"));
    // Override one template and the stylesheet; add an extra asset.
    plan.write(
        "themes/board/templates/index.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">{{ site.company }}</p>{% endblock %}",
    );
    plan.write("themes/board/static/style.css", "body { color: black; }\n");
    plan.write("themes/board/static/logo.txt", "logo");
    let run = plan.run(&["build"]).succeeds();
    assert!(run
        .file("index.html")
        .contains("<p class=\"custom\">Fixture Trading Co.</p>"));
    // base.html still comes from the built-in theme.
    assert!(run
        .file("index.html")
        .contains("<nav aria-label=\"Contents\">"));
    assert_eq!(run.file("assets/style.css"), "body { color: black; }\n");
    assert_eq!(run.file("assets/logo.txt"), "logo");
    // print.css was not overridden: the built-in one is published.
    assert!(run.file("assets/print.css").contains("@page"));
    // A broken override is a located error, not a crash.
    plan.write(
        "themes/board/templates/index.html",
        "{% extends \"base.html\" %}{% block content %}{{ nope.x }}{% endblock %}",
    );
    let run = plan.run(&["build"]).fails_with(1);
    assert!(
        run.stderr
            .contains("error: themes/board/templates/index.html:1:1: template error"),
        "{}",
        run.stderr
    );
}

#[test]
fn excel_exports_keep_their_line_numbers() {
    // CRLF line ends, blank lines, a trailing empty header cell (`amount,`), a GBK file
    // that starts with a UTF-8 byte-order mark anyway, and a bad row on physical line 6.
    let plan = Plan::fixture("hand_baseline_split");
    let plan_yaml = fs::read_to_string(plan.path().join("content/plan.yaml")).unwrap();
    plan.write(
        "content/plan.yaml",
        &plan_yaml.replace(
            "{ path: data/sales.csv }",
            "{ path: data/sales.csv, encoding: gbk }",
        ),
    );
    let csv = "\u{feff}date,order_id,product,product_line,region,channel,quantity,amount,\r\n\
               2026-01-12,B02,Sneaker,Footwear,East,Store,8,800,\r\n\
               \r\n\
               2026-02-28,B03,Sneaker,Footwear,North,Store,8,800,\r\n\
               \r\n\
               2027-01-05,B09,Sneaker,Footwear,East,Store,6,6oo,\r\n\
               2027-01-06,B10,Sneaker,Footwear,East,Store,6,600,\r\n";
    plan.write("data/sales.csv", csv);
    let run = plan.run(&["check"]).succeeds();
    assert_eq!(
        run.diagnostics(),
        ["warning: data/sales.csv:6: column amount: `6oo` is not an amount; row excluded"],
        "{}",
        run.stderr
    );
}

#[test]
fn hand_promotions_baselines_orders_and_warnings() {
    let run = Plan::fixture("hand_promotions").run(&["check"]).succeeds();
    // Σ budget = 1800 over the cap of 1400; only spring and flash share a channel (Store)
    // while their dates overlap (18-20 March).
    assert_eq!(
        run.diagnostics(),
        [
            "warning: content/promotions.yaml:2:1: promotion budgets add up to 1800, over the budget cap of 1400",
            "warning: content/promotions.yaml:42:5: promotions `flash` and `spring` overlap on Store from 2027-03-18 to 2027-03-20",
        ]
    );
    let run = Plan::fixture("hand_promotions").run(&["build"]).succeeds();
    let t = run.table("promotions");
    // newyear: data starts 5 January, so 4 of the 7 baseline days (1-7 January) have no
    // sales; the divisor stays 7: 210 / 7 × 3 days = 90.
    assert_eq!(t.get("newyear", "baseline"), "90.00");
    // spring runs 15-25 March, cut at as_of 20 March: a 6-day window, still `running`.
    assert_eq!(t.get("spring", "status"), "running");
    assert_eq!(t.get("spring", "sales"), "450.00");
    // feb-store has a traffic row of 0 visitors: conversion empty, no goals.
    assert_eq!(
        (
            t.get("feb-store", "visitors"),
            t.get("feb-store", "conversion")
        ),
        ("0", "")
    );
    // weekend covers every channel: order X1 over two rows, the return R1, two rows
    // without an id, and X2 = 5 orders.
    assert_eq!(t.get("weekend", "orders"), "5");
    // feb-app and feb-store start the same day: ordered by id.
    assert_eq!(&t.keys()[1..3], ["feb-app", "feb-store"]);
    // Planned: only budget and goal_sales.
    assert_eq!(
        t.rows.last().unwrap()[5..],
        ["300.00", "", "", "", "", "", "", "", "", "", "1000.00", ""]
    );
}

#[test]
fn hand_customers_tiers_rfm_and_slas() {
    let run = Plan::fixture("hand_customers").run(&["build"]).succeeds();
    // C2 reaches Gold's 5000 / 4 orders exactly (its return is an order and nets spend);
    // Platinum has no customers and is still listed.
    let tiers = run.table("customers_tiers");
    assert_eq!(tiers.keys(), ["Silver", "Gold", "Platinum", "none"]);
    assert_eq!(tiers.get("Platinum", "customers"), "0");
    // RFM over 7 customers: every segment reached, ties broken by customer id.
    assert_eq!(
        run.table("customers_rfm").column("customers"),
        ["1", "1", "1", "2", "1", "1"]
    );
    // Billing: k7 opened 08:00+08:00 = 00:00 UTC and answered 01:00 (naive = UTC) the next
    // day: 25 h, a breach of the 24 h SLA (17 h if the offset were ignored). k5 is not
    // answered, so the median is over k7 alone: 25.
    let complaints = run.table("customers_complaints");
    assert_eq!(complaints.keys(), ["Delivery", "Billing", "Quality", "all"]);
    assert_eq!(
        complaints.get("Billing", "median_first_response_hours"),
        "25.0000"
    );
    // NPS: 3 promoters, 2 detractors of 7 → 100 × 1 / 7 = 14.2857… → 14.3.
    assert_eq!(run.table("customers_nps").get("all", "nps"), "14.3");
}

#[test]
fn kpis_gate_check_with_exit_code_3() {
    // Case h: as_of 2027-05-31, target 1200 spread evenly (100 a month), sales 10, 20, 30,
    // 40 and 50 in January-May. YTD attainment = 150 / 500 = 0.3:
    //   `att` (alert_below 0.85) → alert; `att_edge` (warn_below 0.3) → ok, thresholds
    //   are strict; May = 50 / 100 = 0.5 < 0.6 → warn, due 31 May + 36 h → 2 days → 2 June;
    //   Online has 140 of the 150 FY revenue = 0.9333 > 0.8 → alert, due 1 June;
    //   `nps` has no surveys dataset and `growth` no sales a year earlier → no_data.
    let plan = Plan::conformance("h_forecast_linear_kpis");
    let run = plan.run(&["check", "--fail-on", "warn"]).fails_with(3);
    assert_eq!(
        run.stdout.lines().collect::<Vec<_>>(),
        [
            "alert: att value=0.3000 threshold=0.85 owner=Sales Director due=2027-06-03",
            "warn: last_month value=0.5000 threshold=0.6 owner=Ops due=2027-06-02",
            "alert: online_share value=0.9333 threshold=0.8 owner=Channels due=2027-06-01",
        ]
    );
    // --fail-on alert ignores the warning but still fails.
    let run = plan.run(&["check", "--fail-on", "alert"]).fails_with(3);
    assert_eq!(run.stdout.lines().count(), 2);
    // Without --fail-on the same plan checks fine.
    plan.run(&["check"]).succeeds();
    let kpis = plan.run(&["build"]).succeeds().table("insights_kpis");
    assert_eq!(kpis.get("att_edge", "status"), "ok");
    assert_eq!(
        (kpis.get("nps", "status"), kpis.get("nps", "value")),
        ("no_data", "")
    );
    assert_eq!(kpis.get("growth", "status"), "no_data");
}

#[test]
fn product_structure_and_price_sensitivity() {
    let run = Plan::conformance("f_insights").run(&["build"]).succeeds();
    // ABC with a = 0.8, b = 0.95 over TTM revenue 100: Alpha 70, Bravo 10, Charlie 10,
    // Delta 5, Echo 3, Foxtrot 2. The class depends on the cumulative share *before* the
    // product: Bravo 0.70 < 0.8 → A; Charlie exactly 0.80 → not < 0.8 → B; Delta 0.90 → B;
    // Echo exactly 0.95 → C.
    let abc = run.table("insights_abc");
    assert_eq!(abc.column("class"), ["A", "A", "B", "B", "C", "C"]);
    // Elasticity: E1 sells Q = 1000 / P² (P = 1, 2, 4, 8, 16, 32 in six months, March split
    // over two channels): ln Q = ln 1000 − 2 ln P exactly → −2, no error, r² 1, elastic.
    // E2: Q = 64 / √P (Q halves as P quadruples) → −0.5, inelastic. E3 keeps a
    // constant price (5 a unit): no estimate. E4 has 5 points < min_points 6: none.
    let e = run.table("insights_elasticity");
    assert_eq!(
        e.rows.iter().find(|r| r[0] == "E1").unwrap(),
        &["E1", "6", "-2.0000", "0.0000", "1.0000", "elastic"]
    );
    assert_eq!(e.get("E2", "elasticity"), "-0.5000");
    assert_eq!(e.get("E2", "reading"), "inelastic");
    assert_eq!(
        (e.get("E3", "points"), e.get("E3", "elasticity")),
        ("6", "")
    );
    assert_eq!((e.get("E4", "points"), e.get("E4", "reading")), ("5", ""));
}

#[test]
fn pdf_without_a_browser_says_how_to_install_one() {
    let plan = Plan::fixture("hand_april");
    let empty = Plan::empty();
    let run = plan
        .run_with_env(&["pdf"], &[("PATH", empty.path().to_str().unwrap())])
        .fails_with(1);
    assert!(
        run.stderr.contains("no Chromium or Chrome found"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("apt-get install chromium fonts-noto-cjk"),
        "{}",
        run.stderr
    );
    assert!(
        !run.out.exists(),
        "nothing is built without a browser to print with"
    );
}

#[test]
fn pdf_prints_the_print_edition_with_an_outline() {
    let found = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).any(|dir| {
        ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .any(|b| dir.join(b).is_file())
    });
    if !found {
        eprintln!("skipped: no Chromium or Chrome on PATH (Debian: apt-get install chromium)");
        return;
    }
    let run = Plan::fixture("hand_april")
        .run(&["pdf", "--out", "board/plan.pdf"])
        .succeeds();
    let pdf = fs::read(run.out.parent().unwrap().join("board/plan.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    // One bookmark per chapter heading (Chromium's --generate-pdf-document-outline).
    assert!(
        pdf.windows(9).any(|w| w == b"/Outlines"),
        "the PDF has a document outline"
    );
    // A4 portrait (210 × 297 mm = 595.28 × 841.89 pt; Chromium writes 594.96 × 841.92).
    let a4: &[u8] = b"/MediaBox [0 0 594.95996 841.91998]";
    assert!(pdf.windows(a4.len()).any(|w| w == a4), "A4 pages");
}

#[test]
fn kpis_and_tables_that_need_no_other_chapter() {
    // A plan with only insights.yaml and customers.yaml: revenue_growth_ytd needs only the
    // sales (2027 Jan-Feb 150 vs 2026 Jan-Feb 100 → +50 %), and customers_nps lists `all`
    // even when no survey response falls in the trailing twelve months.
    let plan = Plan::empty();
    plan.write(
        "content/plan.yaml",
        "title: T\ncompany: C\nfiscal_year: 2027\ncurrency: CNY\nas_of: 2027-02-28\ndatasets:\n  sales: { path: data/sales.csv }\n  surveys: { path: data/surveys.csv }\n",
    );
    plan.write(
        "content/insights.yaml",
        "kpis:\n  - { id: g, metric: revenue_growth_ytd, warn_below: 0 }\n",
    );
    plan.write(
        "content/customers.yaml",
        "survey: { dimensions: [quality] }\n",
    );
    plan.write(
        "data/sales.csv",
        "date,product,product_line,region,channel,quantity,amount\n2026-01-10,Cup,Ware,East,Store,2,40\n2026-02-10,Cup,Ware,East,Store,3,60\n2027-01-10,Cup,Ware,East,Store,2,50\n2027-02-10,Cup,Ware,East,Store,2,100\n",
    );
    plan.write(
        "data/surveys.csv",
        "date,quality,recommend\n2025-01-05,4,9\n",
    );
    let run = plan.run(&["build"]).succeeds();
    assert_eq!(run.table("insights_kpis").get("g", "value"), "0.5000");
    assert_eq!(
        run.table("customers_nps").rows,
        [["all", "0", "0", "0", "0", ""]]
    );
    // Cup sells 2 units in three of its four months at different prices: a constant
    // quantity is no price effect, decided exactly (slope 0 → no_effect).
    plan.write("content/insights.yaml", "elasticity: { min_points: 3 }\n");
    plan.write(
        "data/sales.csv",
        "date,product,product_line,region,channel,quantity,amount\n2026-12-10,Cup,Ware,East,Store,2,40\n2027-01-10,Cup,Ware,East,Store,2,50\n2027-02-10,Cup,Ware,East,Store,2,100\n",
    );
    let run = plan.run(&["build"]).succeeds();
    assert_eq!(
        run.table("insights_elasticity").rows,
        [["Cup", "3", "0.0000", "0.0000", "", "no_effect"]]
    );
}

// ---------------------------------------------------------------------------------------
// serve: a real server on a free port, driven over HTTP while the plan's files change.
// ---------------------------------------------------------------------------------------

/// A running `salesplan serve`, killed when dropped (also when an assertion fails).
struct Server {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    address: String,
}

impl Server {
    fn start(plan: &Plan, args: &[&str]) -> Server {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_salesplan"))
            .arg("serve")
            .args(args)
            .current_dir(plan.path())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("starting salesplan serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child,
            lines,
            address: String::new(),
        };
        let serving = server.wait_for_line("serving ");
        let start = serving.find("http://").expect("a URL") + "http://".len();
        let end = start + serving[start..].find('/').unwrap();
        server.address = serving[start..end].to_string();
        server
    }

    /// The next stderr line containing `needle` (earlier ones are skipped).
    fn wait_for_line(&mut self, needle: &str) -> String {
        let timeout = std::time::Duration::from_secs(60);
        loop {
            match self.lines.recv_timeout(timeout) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(e) => panic!("no line with `{needle}` from salesplan serve: {e}"),
            }
        }
    }

    /// GET `path`: (status code, body).
    fn get(&self, path: &str) -> (u16, String) {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&self.address).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let code = response[9..12].parse().unwrap();
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (code, body)
    }

    /// The build status once build `since` is superseded: (build number, error text).
    fn status_after(&self, since: u64) -> (u64, Option<String>) {
        let (code, body) = self.get(&format!("/__salesplan/status?since={since}"));
        assert_eq!(code, 200, "{body}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        (
            json["build"].as_u64().unwrap(),
            json["error"].as_str().map(str::to_string),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_rebuilds_on_change_and_keeps_the_last_good_site() {
    let plan = Plan::conformance("a_targets_april");
    let mut server = Server::start(&plan, &["--port", "0"]);

    // The first build is served, with the live-reload script added to pages only.
    let (code, page) = server.get("/");
    assert_eq!(code, 200);
    assert!(page.contains("Test A — April fiscal year"), "{page}");
    assert!(page.contains(r#"<script src="/__salesplan/live.js"></script>"#));
    let on_disk = fs::read_to_string(plan.path().join("public/index.html")).unwrap();
    assert!(
        !on_disk.contains("__salesplan"),
        "the built files stay clean"
    );
    assert_eq!(server.get("/__salesplan/live.js").0, 200);
    assert_eq!(server.get("/../content/plan.yaml").0, 404);
    assert_eq!(server.get("/no-such-page.html").0, 404);
    let (first, error) = server.status_after(u64::MAX);
    assert_eq!(error, None);

    // A good edit: rebuilt, and the status tells waiting pages to reload.
    let plan_yaml = fs::read_to_string(plan.path().join("content/plan.yaml")).unwrap();
    plan.write(
        "content/plan.yaml",
        &plan_yaml.replace("Test A — April fiscal year", "Renamed while serving"),
    );
    server.wait_for_line("built Renamed while serving");
    let (second, error) = server.status_after(first);
    assert_eq!((second, error), (first + 1, None));
    assert!(server
        .get("/index.html")
        .1
        .contains("Renamed while serving"));

    // A broken edit: the error reaches the terminal and the page; the last good site stays.
    plan.write("content/plan.yaml", "title: [unclosed\n");
    server.wait_for_line("build failed");
    let (third, error) = server.status_after(second);
    assert_eq!(third, second + 1);
    let error = error.expect("the failed build's error");
    assert!(error.contains("error: content/plan.yaml:"), "{error}");
    assert!(server.get("/").1.contains("Renamed while serving"));

    // Fixed again: a good build clears the error.
    plan.write("content/plan.yaml", &plan_yaml);
    server.wait_for_line("built Test A");
    let (fourth, error) = server.status_after(third);
    assert_eq!((fourth, error), (third + 1, None));
}

#[test]
fn serve_on_a_taken_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let plan = Plan::conformance("a_targets_april");
    let run = plan.run(&["serve", "--port", &port]).fails_with(1);
    assert!(
        run.stderr
            .contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{}",
        run.stderr
    );
}

#[test]
fn the_cover_names_the_git_commit_the_plan_was_built_from() {
    let plan = Plan::conformance("a_targets_april");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
            .args(args)
            .current_dir(plan.path())
            .env("GIT_AUTHOR_DATE", "2026-03-01T12:00:00+08:00")
            .env("GIT_COMMITTER_DATE", "2026-03-01T12:00:00+08:00")
            .output()
    };
    if git(&["--version"]).is_err() {
        eprintln!("skipped: git is not installed");
        return;
    }
    // Outside a repository there is no source line.
    let run = plan.run(&["build"]).succeeds();
    let cover = fs::read_to_string(run.out.join("print.html")).unwrap();
    assert!(!cover.contains("Source: commit"));

    for args in [
        &["init", "-q"][..],
        &["add", "content", "data"],
        &["commit", "-q", "-m", "plan"],
    ] {
        assert!(git(args).unwrap().status.success(), "git {args:?}");
    }
    let head = String::from_utf8(git(&["rev-parse", "HEAD"]).unwrap().stdout).unwrap();
    let short = &head.trim()[..12];
    let run = plan.run(&["build"]).succeeds();
    // The committer date, not the clock: 1 March 2026.
    let line = format!("Source: commit {short} (1 Mar 2026)</p>");
    let cover = fs::read_to_string(run.out.join("print.html")).unwrap();
    assert!(cover.contains(&line), "{line} in the cover");
    let index = fs::read_to_string(run.out.join("index.html")).unwrap();
    assert!(index.contains(&format!("Source: commit {short} (1 Mar 2026).")));
    let model: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(run.out.join("model.json")).unwrap()).unwrap();
    assert_eq!(model["plan"]["source"]["commit"], head.trim());
    assert_eq!(model["plan"]["source"]["uncommitted_changes"], false);

    // An edit not yet committed is said so; public/ itself never counts.
    let yaml = fs::read_to_string(plan.path().join("content/plan.yaml")).unwrap();
    plan.write("content/plan.yaml", &format!("{yaml}# edited\n"));
    let run = plan.run(&["build"]).succeeds();
    let cover = fs::read_to_string(run.out.join("print.html")).unwrap();
    assert!(cover.contains(&format!(
        "Source: commit {short} (1 Mar 2026), with uncommitted changes</p>"
    )));
}

#[test]
fn the_ci_recipes_use_real_commands_and_flags() {
    use clap::Parser;
    // Every `salesplan …` command line in the documented recipes must parse with the real
    // CLI, so the recipes cannot drift from it. Shell expansions become a sample URL.
    let mut checked = 0;
    for recipe in ["docs/ci/github-actions.yml", "docs/ci/gitlab-ci.yml"] {
        let text = fs::read_to_string(repo().join(recipe)).unwrap();
        for line in text.lines() {
            // `- salesplan …`, `run: salesplan …`, and commented-out steps alike.
            let line = line.trim().trim_start_matches('#').trim_start();
            let line = line.trim_start_matches("- ").trim_start_matches("run: ");
            if !line.starts_with("salesplan ") {
                continue;
            }
            let expanded = line
                .replace(
                    r#"${BASE_URL:+--base-url "$BASE_URL"}"#,
                    "--base-url https://example.com/plan",
                )
                .replace(r#""$CI_PAGES_URL""#, "https://example.com/plan");
            assert!(!expanded.contains('$'), "{recipe}: expand `{line}` here");
            let words: Vec<&str> = expanded.split_whitespace().collect();
            if let Err(e) = salesplan::cli::Cli::try_parse_from(&words) {
                panic!("{recipe}: `{line}` does not parse: {e}");
            }
            checked += 1;
        }
    }
    // github: check, the commented KPI gate, pdf; gitlab: check, pdf.
    assert_eq!(checked, 5);
}

#[test]
fn the_default_as_of_is_the_same_when_a_large_file_is_read_in_halves() {
    // Quote-free files take the quick line scan; a quoted value sends the file to the full
    // reader. Both read a file over 8 MB in two halves at once.
    latest_date_of_a_large_file(false);
    latest_date_of_a_large_file(true);
}

/// Rows run from 2025-01-01 forward; the latest VALID date, 2026-07-15, is a row three
/// quarters in (the second half); the file ends with a later row whose amount is invalid,
/// which must not count. Expected as_of: 2026-07-15. (The ends of the file suggest
/// 2026-06-30, the last valid row: the pass given that guess meets 2026-07-15 and gives
/// up, and the file is scanned and read again.)
fn latest_date_of_a_large_file(with_quotes: bool) {
    let plan = Plan::empty();
    plan.write(
        "content/plan.yaml",
        "title: Split\ncompany: C\nfiscal_year: 2026\ncurrency: CNY\ndatasets:\n  sales: { path: data/sales.csv }\n",
    );
    let mut csv =
        String::from("date,order_id,product,product_line,region,channel,quantity,amount\n");
    let rows = 130_000;
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    for i in 0..rows {
        // Dates climb to 2026-06-30 (546 days) over the file.
        let date = start + chrono::Days::new((i * 546 / rows) as u64);
        let product = if with_quotes && i == rows / 2 {
            "\"Long\nName\""
        } else {
            "Tea Leaves Premium"
        };
        csv.push_str(&format!(
            "{date},SO{i},{product},Tea,East,Online Store Channel,1,100.00\n"
        ));
        if i == rows * 3 / 4 {
            csv.push_str("2026-07-15,X1,Tea Leaves Premium,Tea,East,Online,1,5.00\n");
        }
    }
    csv.push_str("2026-12-31,X2,Tea Leaves Premium,Tea,East,Online,1,not-an-amount\n");
    assert!(csv.len() > 8 << 20, "{} bytes", csv.len());
    plan.write("data/sales.csv", &csv);
    let run = plan.run(&["check"]).succeeds();
    assert!(
        run.stderr.contains("is valid as of 2026-07-15"),
        "{}",
        run.stderr
    );
    // Every row but the invalid one counted once: 130,000 + 1.
    assert!(run.stderr.contains("(130001 sales rows;"), "{}", run.stderr);
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_or_the_new_site_whole() {
    // Two versions of one plan, A and B (different titles), built once each without
    // interruption: the only two states public/ may ever be in.
    let plan = Plan::conformance("a_targets_april");
    let yaml = fs::read_to_string(plan.path().join("content/plan.yaml")).unwrap();
    let version = |title: &str| yaml.replace("Test A — April fiscal year", title);
    let public = plan.path().join("public");
    plan.write("content/plan.yaml", &version("Version B"));
    plan.run(&["build"]).succeeds();
    let b = snapshot(&public);
    plan.write("content/plan.yaml", &version("Version A"));
    let started = std::time::Instant::now();
    plan.run(&["build"]).succeeds();
    let build_time = started.elapsed();
    let a = snapshot(&public);
    assert_ne!(a, b);

    // Build the other version and kill -9 it after a delay that sweeps the whole build,
    // from start-up to the swap at its end; then look at public/ before anything else runs.
    let rounds = 16u32;
    for round in 0..rounds {
        let current = snapshot(&public);
        let (next, title) = if current == a {
            (&b, "Version B")
        } else {
            (&a, "Version A")
        };
        plan.write("content/plan.yaml", &version(title));
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_salesplan"))
            .arg("build")
            .current_dir(plan.path())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(build_time * (round + 1) / rounds);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let after = snapshot(&public);
        assert!(
            after == current || after == *next,
            "round {round}: public/ is neither the old nor the new build"
        );
    }
    // Whatever was left beside it, the next build cleans up and completes.
    plan.write("content/plan.yaml", &version("Version A"));
    plan.run(&["build"]).succeeds();
    assert_eq!(snapshot(&public), a);
    let leftovers: Vec<_> = fs::read_dir(plan.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_absurdly_long_record_is_refused_with_its_line() {
    // One 17 MiB product name on line 16 (the fixture has a header and 14 rows): over the
    // 16 MiB record limit, so the file is refused there instead of being held in memory.
    let plan = Plan::conformance("a_targets_april");
    let path = plan.path().join("data/sales.csv");
    let mut csv = fs::read_to_string(&path).unwrap();
    assert_eq!(csv.lines().count(), 15);
    csv.push_str(&format!(
        "2026-04-01,S99,{},Beverages,East,Online,1,50\n",
        "X".repeat(17 << 20)
    ));
    fs::write(&path, csv).unwrap();
    let run = plan.run(&["check"]).fails_with(1);
    assert!(
        run.stderr
            .contains("error: data/sales.csv:16: a record longer than 16 MiB starts here"),
        "{}",
        run.stderr
    );
    // An unclosed quote before the end of a file swallows the rest: the same limit.
    let mut csv = fs::read_to_string(plan.path().join("data/sales.csv")).unwrap();
    csv.truncate(csv.find("2026-04-01,S99").unwrap());
    csv.push_str("2026-04-01,S99,\"Cola,Beverages,East,Online,1,50\n");
    csv.push_str(&"2026-04-02,S98,Cola,Beverages,East,Online,1,50\n".repeat(400_000));
    fs::write(&path, csv).unwrap();
    let run = plan.run(&["check"]).fails_with(1);
    assert!(
        run.stderr
            .contains("error: data/sales.csv:16: a record longer than 16 MiB"),
        "{}",
        run.stderr
    );
}

#[test]
fn identical_rows_are_found_across_files_whose_columns_come_in_other_orders() {
    // Three monthly exports read as one dataset. b.csv has its columns in another order
    // and repeats a.csv's first row (padded with spaces, one value quoted, so the CSV
    // reader reads that line); c.csv repeats a.csv's second row as it is. Both repeats
    // are duplicates: 4 valid rows, 2 duplicates, the first at b.csv line 3.
    let plan = Plan::empty();
    plan.write(
        "content/plan.yaml",
        "title: Globs\ncompany: C\nfiscal_year: 2027\ncurrency: CNY\nas_of: 2027-01-31\ndatasets:\n  sales: { path: data/exports/*.csv }\n",
    );
    let header = "date,order_id,product,product_line,region,channel,quantity,amount";
    plan.write(
        "data/exports/a.csv",
        &format!("{header}\n2027-01-02,S1,Tea,Drinks,East,Online,1,10.00\n2027-01-03,S2,Cola,Drinks,West,Store,2,7.50\n"),
    );
    plan.write(
        "data/exports/b.csv",
        "amount,date,order_id,product,product_line,region,channel,quantity\n30.00,2027-01-04,S3,Juice,Drinks,East,Online,3\n 10.00 ,2027-01-02,S1,\"Tea\",Drinks,East,Online,1\n",
    );
    plan.write(
        "data/exports/c.csv",
        &format!("{header}\n2027-01-03,S2,Cola,Drinks,West,Store,2,7.50\n2027-01-05,S4,Tea,Drinks,West,Store,1,10.00\n"),
    );
    let run = plan.run(&["check"]).succeeds();
    assert!(run.stderr.contains("(4 sales rows;"), "{}", run.stderr);
    assert!(
        run.stderr.contains("data/exports/b.csv:3: duplicate row removed: identical to an earlier row (2 duplicates"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_example_read_by_several_workers_gives_what_one_reader_gives() {
    // The example's sales file (4 MB, 36,960 rows over four years, amounts with two and
    // three decimals, customers and orders throughout) is cut into 512 KiB blocks and read
    // by one worker per core, whose aggregates are joined after the pass. With the
    // header's first name quoted, the CSV reader reads it from line 1 into one sink
    // instead. Every table and every diagnostic must be the same.
    let sales = fs::read_to_string(repo().join("data/sales.csv")).unwrap();
    assert!(
        sales.len() > 4 * (512 << 10),
        "{} bytes: several blocks",
        sales.len()
    );
    let outcome = |csv: &str| {
        let plan = Plan::example();
        plan.write("data/sales.csv", csv);
        let run = plan.run(&["build"]).succeeds();
        let diagnostics: Vec<String> = run.diagnostics().iter().map(|d| d.to_string()).collect();
        (diagnostics, run.file("model.json"))
    };
    let (chunked_diags, chunked_model) = outcome(&sales);
    let (csv_diags, csv_model) = outcome(&sales.replacen("date", "\"date\"", 1));
    assert_eq!(chunked_diags, csv_diags);
    assert!(chunked_model == csv_model, "model.json differs");
    // The customers chapter counted distinct orders across blocks read apart.
    assert!(chunked_model.contains("\"customers_rfm\""));
}
