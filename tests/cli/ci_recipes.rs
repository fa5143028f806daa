//! The CI recipes under docs/ci: every `salesplan` command line in them parses.

use std::fs;

use crate::support::repo;

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
