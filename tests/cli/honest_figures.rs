//! Figures read at as_of: periods still running are judged against what is due by then.

use crate::support::Plan;

/// FY 2027 (calendar), annual target 1,200,000 spread evenly: 100,000 a month, 300,000 a
/// quarter. as_of 2027-02-14. Sales: 90,000 in January, 40,000 on 1-14 February.
fn running_february() -> Plan {
    let plan = Plan::empty();
    plan.write(
        "content/plan.yaml",
        "title: T\ncompany: C\nfiscal_year: 2027\ncurrency: CNY\nas_of: 2027-02-14\ndatasets:\n  sales: { path: data/sales.csv }\n",
    );
    plan.write(
        "content/targets.yaml",
        "annual_target: 1200000\nseasonality: even\n",
    );
    plan.write(
        "data/sales.csv",
        "date,product,product_line,region,channel,quantity,amount\n\
         2027-01-10,Tea,Tea,East,Store,1,90000\n\
         2027-02-14,Tea,Tea,East,Store,1,40000\n",
    );
    plan
}

#[test]
fn a_running_month_and_quarter_are_judged_against_their_target_to_date() {
    let run = running_february().run(&["build"]).succeeds();
    // February: 14 of 28 days elapsed → due 100,000 × 14/28 = 50,000; 40,000 / 50,000 =
    // 0.8 to date, while the spec's attainment stays 40,000 / 100,000 = 0.4.
    // January has ended and March has not started: no to-date figures.
    let monthly = run.table("targets_monthly");
    assert_eq!(
        monthly.rows[1],
        [
            "2027-02",
            "100000.00",
            "0.00",
            "40000.00",
            "0.4000",
            "50000.00",
            "0.8000"
        ]
    );
    assert_eq!(&monthly.rows[0][5..], ["", ""]);
    assert_eq!(&monthly.rows[2][3..], ["", "", "", ""]);
    // Q1: January in full plus half of February = 150,000 due; 130,000 / 150,000 =
    // 0.866666… → 0.8667; the spec's attainment 130,000 / 300,000 = 0.4333.
    let quarterly = run.table("targets_quarterly");
    assert_eq!(
        quarterly.rows[0],
        [
            "Q1",
            "300000.00",
            "0.00",
            "130000.00",
            "0.4333",
            "150000.00",
            "0.8667"
        ]
    );
    assert_eq!(&quarterly.rows[1][5..], ["", ""]);
    // The page never shows 43.3 % of the full quarter; it shows 86.7 % to date.
    let page = run.page_text("targets.html");
    assert!(page.contains("86.7\u{a0}% to date"), "{page}");
    assert!(page.contains("80.0\u{a0}% to date"), "{page}");
    assert!(!page.contains("43.3\u{a0}%"), "{page}");
    assert!(page.contains("Feb 2027"), "months read as words: {page}");
}

#[test]
fn a_period_that_ends_on_as_of_is_complete() {
    // as_of on 28 February: February is over, so its attainment is final (0.4 → here
    // 40,000 of 100,000) and carries no to-date figures; Q1 is still running with
    // 200,000 due (January and February in full): 130,000 / 200,000 = 0.65.
    let plan = running_february();
    let run = plan.run(&["build", "--as-of", "2027-02-28"]).succeeds();
    let monthly = run.table("targets_monthly");
    assert_eq!(&monthly.rows[1][4..], ["0.4000", "", ""]);
    let quarterly = run.table("targets_quarterly");
    assert_eq!(&quarterly.rows[0][4..], ["0.4333", "200000.00", "0.6500"]);
}

#[test]
fn the_forecast_chart_shows_two_years_of_history_the_horizon_and_the_target() {
    // The example's history runs from January 2023 to October 2026 (as_of 2026-10-31);
    // its last 24 months start in November 2024, so the first January tick is 2025 and
    // 2023/2024 Januaries are not drawn. The horizon (12 months, to October 2027) brings
    // January 2027. Every January tick carries its year. The target (15,000,000 in
    // content/targets.yaml → ¥15.0M) is named in the title with the landing.
    let run = Plan::example().run(&["build"]).succeeds();
    let svg = run.file("charts/insights_forecast.svg");
    for year in ["Jan 2025", "Jan 2026", "Jan 2027"] {
        assert!(svg.contains(&format!(">\n{year}\n<")), "tick {year}");
    }
    for year in ["Jan 2023", "Jan 2024"] {
        assert!(!svg.contains(year), "{year} is older than 24 months");
    }
    assert!(svg.contains("lands at ¥"), "title names the landing");
    assert!(
        svg.contains("of the ¥15.0M annual target"),
        "title names the annual target"
    );
    // The target is drawn as a line (legend entry "Target" with steps), not as bars.
    assert!(svg.contains(">\nTarget\n<"));
}
