//! Plan YAML loading: the first byte picks which file the rest replaces (plan.yaml or a
//! chapter file); the other files are a small valid plan with a valid sales file.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const FILES: [&str; 7] = [
    "content/plan.yaml",
    "content/targets.yaml",
    "content/team.yaml",
    "content/channels.yaml",
    "content/promotions.yaml",
    "content/customers.yaml",
    "content/insights.yaml",
];

fuzz_target!(|data: &[u8]| {
    let (pick, yaml) = data.split_first().unwrap_or((&0, &[]));
    common::write(
        "content/plan.yaml",
        b"title: Fuzz\ncompany: F\nfiscal_year: 2026\ncurrency: CNY\ndatasets:\n  sales: { path: data/sales.csv }\n",
    );
    common::write("content/targets.yaml", common::TARGETS.as_bytes());
    for chapter in &FILES[2..] {
        let _ = std::fs::remove_file(common::project().join(chapter));
    }
    common::write("data/sales.csv", common::SALES);
    common::write(FILES[usize::from(*pick) % FILES.len()], yaml);
    common::check();
});
