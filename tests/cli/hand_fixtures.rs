//! Hand-derived fixtures (tests/fixtures/hand_*): the figures each DERIVATION.md derives.

use crate::support::{matches_expected, Plan};

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
    // June is still running: due by as_of 933 × 12/30 = 373.2; 195 / 373.2 = 0.52250…
    assert_eq!(t.get("2027-06", "target_to_date"), "373.20");
    assert_eq!(t.get("2027-06", "attainment_to_date"), "0.5225");
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
    // Q1 is still running: due by as_of Apr 834 + May 0 + June 933 × 12/30 = 1207.2;
    // 1115 / 1207.2 = 0.92362… → 0.9236 to date.
    assert_eq!(
        q.rows[0],
        ["Q1", "1767.00", "530.00", "1115.00", "0.6310", "1207.20", "0.9236"]
    );
    // Q4 = Jan+Feb+Mar 2028 = 900 + 633 + 1300 = 2833, no actual yet.
    assert_eq!(q.rows[3], ["Q4", "2833.00", "850.00", "", "", "", ""]);
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
