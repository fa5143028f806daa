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

#[test]
fn every_documented_install_is_locked_and_names_this_package() {
    // README's "Installing" and both recipes install with `cargo install --locked` (the
    // committed Cargo.lock, which must exist), from this checkout (`--path .`) or a git
    // tag naming the package; the binary they put on PATH is this crate's `salesplan`.
    assert!(
        repo().join("Cargo.lock").is_file(),
        "Cargo.lock is committed"
    );
    let manifest = fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    assert!(manifest.starts_with("[package]\nname = \"salesplan\"\n"));
    assert!(std::path::Path::new(env!("CARGO_BIN_EXE_salesplan")).is_file());
    let mut installs = Vec::new();
    for doc in [
        "README.md",
        "docs/ci/github-actions.yml",
        "docs/ci/gitlab-ci.yml",
    ] {
        let text = fs::read_to_string(repo().join(doc)).unwrap();
        for line in text.lines().filter(|l| l.contains("cargo install ")) {
            let command = &line[line.find("cargo install ").unwrap()..];
            let command = command.split('#').next().unwrap().trim();
            // Prose mentioning `cargo install --root DIR` is not a command line, and other
            // tools (cargo-fuzz) are not this package.
            if command.contains('`')
                || !(command.contains("--path .") || command.contains("salesplan"))
            {
                continue;
            }
            assert!(command.contains(" --locked"), "{doc}: {command}");
            assert!(
                command.contains("--path .") || command.trim_end().ends_with(" salesplan"),
                "{doc}: {command} names neither this checkout nor the package"
            );
            installs.push(format!("{doc}: {command}"));
        }
    }
    assert!(
        installs
            .iter()
            .any(|c| c.starts_with("README.md: cargo install --locked --path .")),
        "{installs:?}"
    );
    assert!(installs.len() >= 4, "{installs:?}");
}
