//! The insights chapter: the KPI gate (exit code 3), product structure and price
//! sensitivity, KPIs and tables of a plan without the other chapters.

use crate::support::Plan;

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
        // An exact fit has a zero standard error, so its 95 % interval is the point
        // itself, which excludes 0: significant.
        &["E1", "6", "-2.0000", "0.0000", "1.0000", "elastic", "-2.0000", "-2.0000", "true"]
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
        // Slope 0 with a zero standard error: the interval [0, 0] does not exclude 0.
        [[
            "Cup",
            "3",
            "0.0000",
            "0.0000",
            "",
            "no_effect",
            "0.0000",
            "0.0000",
            "false"
        ]]
    );
}

#[test]
fn elasticity_carries_a_95_percent_interval_and_advises_only_where_it_excludes_zero() {
    // Two products, six months each (one sale a month, so P = amount / quantity):
    //   Tea  P = 10, 12, 9, 11, 13, 8   Q = 100, 80, 115, 95, 70, 120
    //   Cup  P = 10, 11, 10.5, 9.5, 10, 11   Q = 50, 52, 48, 51, 49, 50
    // OLS of ln Q on ln P, with df = 6 − 2 = 4 and t(0.975, 4) = 2.776445 (tables):
    //   Tea: slope −1.115849, se 0.132470 → −1.115849 ± 0.367795 = [−1.4836, −0.7481];
    //        the interval excludes 0 → significant; slope < −1 → elastic.
    //   Cup: slope 0.045912, se 0.239585 → 0.045912 ± 0.665194 = [−0.6193, 0.7111];
    //        the interval contains 0 → not significant.
    // Independent check: scipy.stats.linregress(ln P, ln Q) and scipy.stats.t.ppf(0.975, 4)
    // give the same slope, stderr and bounds to 6 decimals.
    let plan = Plan::empty();
    plan.write(
        "content/plan.yaml",
        "title: T\ncompany: C\nfiscal_year: 2026\ncurrency: CNY\nas_of: 2026-06-30\ndatasets:\n  sales: { path: data/sales.csv }\n",
    );
    plan.write("content/insights.yaml", "elasticity: { min_points: 6 }\n");
    let tea = [
        (100, "1000"),
        (80, "960"),
        (115, "1035"),
        (95, "1045"),
        (70, "910"),
        (120, "960"),
    ];
    let cup = [
        (50, "500"),
        (52, "572"),
        (48, "504"),
        (51, "484.5"),
        (49, "490"),
        (50, "550"),
    ];
    let mut csv = String::from("date,product,product_line,region,channel,quantity,amount\n");
    for (month, ((tq, ta), (cq, ca))) in tea.iter().zip(&cup).enumerate() {
        csv += &format!("2026-{:02}-10,Tea,Tea,East,Store,{tq},{ta}\n", month + 1);
        csv += &format!("2026-{:02}-10,Cup,Ware,East,Store,{cq},{ca}\n", month + 1);
    }
    // Pot: P = 10, 12, 9, 11, 13, 8 with Q = 10 × P (100, 120, 90, …): ln Q = ln 10 + ln P
    // exactly, slope +1 with a zero standard error: reliably rising with price.
    for (month, p) in [10, 12, 9, 11, 13, 8].iter().enumerate() {
        let q = 10 * p;
        csv += &format!(
            "2026-{:02}-10,Pot,Ware,East,Store,{q},{}\n",
            month + 1,
            p * q
        );
    }
    plan.write("data/sales.csv", &csv);
    let run = plan.run(&["build"]).succeeds();
    let e = run.table("insights_elasticity");
    let row = |p: &str| e.rows.iter().find(|r| r[0] == p).unwrap().clone();
    assert_eq!(
        row("Tea"),
        ["Tea", "6", "-1.1158", "0.1325", "0.9466", "elastic", "-1.4836", "-0.7481", "true"]
    );
    assert_eq!(
        row("Cup"),
        [
            "Cup",
            "6",
            "0.0459",
            "0.2396",
            "0.0091",
            "no_effect",
            "-0.6193",
            "0.7111",
            "false"
        ]
    );
    // The page shows the elasticity as a coefficient (never "−111.6 %"), advises on Tea
    // only, and says Cup's months cannot tell.
    let page = run.page_text("insights.html");
    assert!(
        page.contains("2 of 3 products have a reliable estimate"),
        "{page}"
    );
    assert!(
        page.contains("Tea (elasticity −1.12, 95\u{a0}% interval −1.48 to −0.75)"),
        "{page}"
    );
    assert!(!page.contains("Cup (elasticity"), "{page}");
    // Pot's reliable positive slope reads as what it is, not as "no price effect".
    assert!(page.contains("Volume rises with price"), "{page}");
    assert_eq!(e.get("Pot", "reading"), "no_effect");
    assert_eq!(e.get("Pot", "significant"), "true");
    assert!(
        page.contains("Not enough price variation to tell"),
        "{page}"
    );
    assert!(!page.contains("−111.6"), "{page}");
}
