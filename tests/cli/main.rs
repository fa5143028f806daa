//! End-to-end tests: the real `salesplan` binary over fixture projects. Expected numbers
//! are derived by hand in the comments next to the assertions (full derivations in each
//! fixture's DERIVATION.md) or come from the spec's independent conformance outputs.
//! One test binary, one module per concern.

#[path = "../support/mod.rs"]
mod support;

mod broken;
mod ci_recipes;
mod commands;
mod conformance;
mod data_reading;
mod editions;
mod hand_fixtures;
mod honest_figures;
mod honest_promotions_team;
mod insights;
mod output_safety;
mod pdf;
mod serve;
mod theme;
