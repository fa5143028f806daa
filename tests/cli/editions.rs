//! The example plan and the editions: pages, charts, plan.md, print.html, model.json,
//! canonical links, the source commit on the cover, Chinese plans, reproducible builds.

use std::fs;

use crate::support::{snapshot, Plan, PAGES};

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
    // The 17-column promotions table is shown as two 8-column tables (results, effects)
    // that fit a portrait page (issue 15); the CSV keeps all 17 columns.
    for table in ["promotion-results-table", "promotion-effects-table"] {
        assert!(
            print.contains(&format!(
                "<div class=\"table-wrap table-wide\" role=\"region\" aria-labelledby=\"promotions-tbl-{table}-caption\""
            )),
            "{table} in print, not landscape"
        );
    }
    assert!(!print.contains("promotions-tbl-promotions-caption"));
}

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
    let line = format!("Source: commit {short} (1\u{a0}Mar\u{a0}2026)</p>");
    let cover = fs::read_to_string(run.out.join("print.html")).unwrap();
    assert!(cover.contains(&line), "{line} in the cover");
    let index = fs::read_to_string(run.out.join("index.html")).unwrap();
    assert!(index.contains(&format!("Source: commit {short} (1\u{a0}Mar\u{a0}2026).")));
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
        "Source: commit {short} (1\u{a0}Mar\u{a0}2026), with uncommitted changes</p>"
    )));
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

#[test]
fn plan_md_escapes_author_text_unless_the_plan_allows_html() {
    // A title, company and author with HTML and Markdown in them: plan.md shows them as
    // text (escaped as table cells are), so a git host renders no tag and no emphasis.
    let plan = Plan::conformance("a_targets_april");
    let yaml = fs::read_to_string(plan.path().join("content/plan.yaml")).unwrap();
    let hostile = yaml
        .replace(
            "title: Test A — April fiscal year",
            "title: \"<script>alert(1)</script> Plan\"\nauthor: \"*Bold* <b>me</b>\"",
        )
        .replace(
            "company: Conformance Examples",
            "company: \"A|B [Co](http://x)\"",
        );
    plan.write("content/plan.yaml", &hostile);
    let run = plan.run(&["build"]).succeeds();
    let md = run.file("plan.md");
    let first = md.lines().next().unwrap();
    assert_eq!(first, "# \\<script\\>alert(1)\\</script\\> Plan", "{md}");
    assert!(
        md.contains("**A\\|B \\[Co\\](http://x)**"),
        "the company line: {md}"
    );
    assert!(
        md.contains("\\*Bold\\* \\<b\\>me\\</b\\>"),
        "the author: {md}"
    );
    assert!(!md.contains("<script>"), "{md}");
    // The HTML pages escape the same text as HTML.
    assert!(run
        .file("index.html")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; Plan"));

    // With `allow_html: true` the author's HTML is kept, in plan.md as in prose.
    plan.write(
        "content/plan.yaml",
        &format!("{}\nallow_html: true\n", hostile.trim_end()),
    );
    let run = plan.run(&["build"]).succeeds();
    let md = run.file("plan.md");
    assert_eq!(
        md.lines().next().unwrap(),
        "# <script>alert(1)</script> Plan",
        "{md}"
    );
}
