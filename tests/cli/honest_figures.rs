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
    assert!(
        page.contains("Feb\u{a0}2027"),
        "months read as words: {page}"
    );
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
    for year in ["Jan\u{a0}2025", "Jan\u{a0}2026", "Jan\u{a0}2027"] {
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

/// Words of a page that look like identifiers (`first_response`, `after_sales`).
fn identifiers(text: &str) -> Vec<String> {
    let mut found: Vec<String> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| {
            let parts: Vec<&str> = w.split('_').collect();
            parts.len() >= 2
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        })
        .map(str::to_string)
        .collect();
    found.dedup();
    found
}

/// A page's text without its footer (which names the git commit, a hex id) and without
/// code the author quotes (`salesplan check --strict`).
fn reader_text(run: &crate::support::Run, page: &str) -> String {
    let mut html = run.file(page);
    for (open, close) in [("<footer", "</footer>"), ("<code", "</code>")] {
        while let Some(a) = html.find(open) {
            let Some(b) = html[a..].find(close) else {
                break;
            };
            html.replace_range(a..a + b + close.len(), " ");
        }
    }
    crate::support::page_text(&html)
}

#[test]
fn no_identifier_reaches_a_reader_of_the_example() {
    // The example names KPIs, partner criteria and survey dimensions by id only
    // (ytd_attainment, financial_stability, product_quality …): each must read as words.
    let run = Plan::example().run(&["build"]).succeeds();
    for page in crate::support::PAGES {
        let found = identifiers(&reader_text(&run, page));
        assert!(found.is_empty(), "{page} shows identifiers: {found:?}");
    }
    let insights = run.page_text("insights.html");
    // KPI `ytd_attainment` (metric revenue_attainment_ytd) reads by its metric.
    assert!(insights.contains("Revenue attainment, year to date"));
    assert!(insights.contains("Online Store share of revenue"));
    let channels = run.page_text("channels.html");
    assert!(
        channels.contains("Financial stability 25.0\u{a0}%"),
        "{channels}"
    );
}

#[test]
fn the_chinese_sample_reads_in_chinese() {
    // English words allowed on a Chinese page: abbreviations and names a Chinese board
    // uses as they are, file formats, the tool's name, units in product names.
    const ALLOWED: [&str; 13] = [
        "CSV",
        "JSON",
        "Markdown",
        "NPS",
        "CSAT",
        "RFM",
        "ABC",
        "Holt",
        "Winters",
        "ERP",
        "Excel",
        "GBK",
        "salesplan",
    ];
    let plan = Plan::empty();
    crate::support::copy_dir(&crate::support::repo().join("samples/zh-CN"), plan.path());
    let run = plan.run(&["build"]).succeeds();
    for page in crate::support::PAGES {
        let text = reader_text(&run, page);
        let english: Vec<&str> = text
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() >= 2 && !ALLOWED.contains(w))
            // Units inside product names (500ml) and the like.
            .filter(|w| !["ml", "kg", "g"].contains(w))
            .collect();
        assert!(english.is_empty(), "{page} has English words: {english:?}");
    }
}

#[test]
fn labels_name_what_a_plan_author_invents() {
    // `label:` on a KPI and a partner criterion, `labels:` for a survey dimension.
    let plan = Plan::empty();
    plan.write(
        "content/plan.yaml",
        "title: T\ncompany: C\nfiscal_year: 2027\ncurrency: CNY\nas_of: 2027-02-14\ndatasets:\n  sales: { path: data/sales.csv }\n  surveys: { path: data/surveys.csv }\n",
    );
    plan.write(
        "content/insights.yaml",
        "kpis:\n  - { id: aov, label: Basket size, metric: avg_order_value, warn_below: 10 }\n  - { id: kol_growth, metric: revenue_growth_ytd, warn_below: 0 }\n",
    );
    plan.write(
        "content/channels.yaml",
        "selection:\n  criteria:\n    - { name: kol_reach, label: Reach on social media, weight: 1 }\n    - { name: shelf_space, weight: 1 }\n  min_score: 3\npartners:\n  - { name: P1, channel: Store, scores: { kol_reach: 4, shelf_space: 3 } }\n",
    );
    plan.write(
        "content/customers.yaml",
        "survey:\n  dimensions: [taste_score]\n  labels: { taste_score: Taste }\n",
    );
    plan.write(
        "data/sales.csv",
        "date,product,product_line,region,channel,quantity,amount\n2027-01-10,Tea,Tea,East,Store,1,90\n",
    );
    plan.write(
        "data/surveys.csv",
        "date,taste_score,recommend\n2027-01-05,4,9\n",
    );
    let run = plan.run(&["build"]).succeeds();
    let insights = run.page_text("insights.html");
    assert!(insights.contains("Basket size"), "{insights}");
    // A KPI without a label, its id an identifier: its metric in words.
    assert!(
        insights.contains("Revenue growth, year to date"),
        "{insights}"
    );
    let channels = run.page_text("channels.html");
    assert!(channels.contains("Reach on social media"), "{channels}");
    // No label and no built-in one: the id as words.
    assert!(channels.contains("Shelf space"), "{channels}");
    let customers = run.page_text("customers.html");
    assert!(customers.contains("Taste"), "{customers}");
    for page in ["insights.html", "channels.html", "customers.html"] {
        let found = identifiers(&reader_text(&run, page));
        assert!(found.is_empty(), "{page} shows identifiers: {found:?}");
    }
    // The CSVs keep the ids.
    assert_eq!(run.table("insights_kpis").keys(), ["aov", "kol_growth"]);
}

/// The `<text>` elements of an SVG whose content is `label`: (x, y) of each.
fn text_positions(svg: &str, label: &str) -> Vec<(f64, f64)> {
    let mut found = Vec::new();
    for (i, _) in svg.match_indices(&format!(">\n{label}\n<")) {
        let open = svg[..i].rfind("<text").expect("inside a text element");
        let tag = &svg[open..i];
        let attr = |name: &str| -> f64 {
            let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            let end = start + tag[start..].find('"').unwrap();
            tag[start..end].parse().unwrap()
        };
        found.push((attr("x"), attr("y")));
    }
    found
}

#[test]
fn growth_share_labels_of_two_points_a_tenth_of_a_percent_apart_do_not_collide() {
    // Two product lines with 500 and 501 of TTM revenue (shares 49.95 % and 50.05 %) and
    // 400 and 401 the year before (growth +25.0 % and +24.9 %): their points are about a
    // pixel apart, so one label must move off the other's.
    let plan = Plan::empty();
    plan.write(
        "content/plan.yaml",
        "title: T\ncompany: C\nfiscal_year: 2027\ncurrency: CNY\nas_of: 2027-12-31\ndatasets:\n  sales: { path: data/sales.csv }\n",
    );
    plan.write("content/insights.yaml", "elasticity: { min_points: 6 }\n");
    plan.write(
        "data/sales.csv",
        "date,product,product_line,region,channel,quantity,amount\n\
         2026-06-10,A,Line A,East,Store,1,400\n\
         2026-06-10,B,Line B,East,Store,1,401\n\
         2027-06-10,A,Line A,East,Store,1,500\n\
         2027-06-10,B,Line B,East,Store,1,501\n",
    );
    let run = plan.run(&["build"]).succeeds();
    let svg = run.file("charts/insights_growth_share.svg");
    let (a, b) = (
        text_positions(&svg, "Line A"),
        text_positions(&svg, "Line B"),
    );
    assert_eq!((a.len(), b.len()), (1, 1), "one label each");
    let ((ax, ay), (bx, by)) = (a[0], b[0]);
    // Each label is about 40 px wide (6 characters at 12 px) and 16 px high; drawn from
    // its left edge. Boxes overlap only if both spans overlap.
    let (width, height) = (40.0, 16.0);
    let x_overlap = ax < bx + width && bx < ax + width;
    let y_overlap = (ay - by).abs() < height;
    assert!(
        !(x_overlap && y_overlap),
        "labels collide: A at {:?}, B at {:?}",
        a[0],
        b[0]
    );
    // The quadrant lines are labelled.
    assert!(svg.contains("Even share (1/2)"));
    assert!(svg.contains("Company growth +"));
}

#[test]
fn reps_are_judged_against_the_quota_due_by_as_of() {
    // running_february's targets: 150,000 of 1,200,000 due by 14 Feb (January in full,
    // half of February) = 12.5 % of the year. Rep Ann (quota 600,000) sold 90,000 = 15.0 %
    // (on pace); Bob (600,000) sold 40,000 = 6.7 % (behind). Neither is at 100 %, and
    // neither should be: the year is not over.
    let plan = running_february();
    plan.write(
        "content/team.yaml",
        "commission: { tiers: [ { from: 0, rate: 0.01 } ] }\nreps:\n  - { name: Ann, region: East, quota: 600000 }\n  - { name: Bob, region: East, quota: 600000 }\n",
    );
    plan.write(
        "data/sales.csv",
        "date,product,product_line,region,channel,rep,quantity,amount\n\
         2027-01-10,Tea,Tea,East,Store,Ann,1,90000\n\
         2027-02-14,Tea,Tea,East,Store,Bob,1,40000\n",
    );
    let run = plan.run(&["build"]).succeeds();
    let svg = run.file("charts/team_attainment.svg");
    assert!(
        svg.contains(
            "By 14\u{a0}Feb\u{a0}2027, 1 of 2 reps are on pace: at or above the 12.5\u{a0}% of quota due by then"
        ),
        "{svg}"
    );
    assert!(
        svg.contains(">\nDue by 14\u{a0}Feb\u{a0}2027\n<"),
        "the due line is labelled"
    );
    assert!(svg.contains(">\nQuota (100 %)\n<"), "the quota line too");
}

/// The text of every table cell and fact value of a page.
fn cells(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (open, close) in [("<td", "</td>"), ("<th", "</th>"), ("<dd", "</dd>")] {
        let mut rest = html;
        while let Some(at) = rest.find(open) {
            let Some(start) = rest[at..].find('>').map(|i| at + i + 1) else {
                break;
            };
            let Some(end) = rest[start..].find(close).map(|i| start + i) else {
                break;
            };
            found.push(crate::support::page_text(&format!(
                "<body>{}",
                &rest[start..end]
            )));
            rest = &rest[end..];
        }
    }
    found
}

#[test]
fn no_table_cell_of_the_example_is_a_lower_case_code_word() {
    // Values a reader sees in a cell start like words: "Running", "Core", "Online",
    // "Not started" — never "running", "core", "online".
    let run = Plan::example().run(&["build"]).succeeds();
    for page in crate::support::PAGES {
        let lower: Vec<String> = cells(&run.file(page))
            .into_iter()
            .filter(|c| {
                !c.is_empty()
                    && c.chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch == ' ' || ch == '-')
            })
            .collect();
        assert!(lower.is_empty(), "{page}: {lower:?}");
    }
}
