//! salesplan: a sales department's yearly business plan, written as YAML + Markdown + CSV,
//! built into a static site, a Markdown edition and a print edition with computed figures.
//!
//! The pipeline runs one way: [`project`] loads the plan, [`data`] streams the datasets,
//! [`model`] computes, [`chart`] draws, [`render`] writes the editions; [`site`] strings
//! the steps together.

// The only `unsafe` of the project lives in crates/salesplan-csv, each block measured.
#![forbid(unsafe_code)]

pub mod as_of;
pub mod chapters;
pub mod chart;
pub mod cli;
pub mod data;
pub mod diag;
pub mod git;
pub mod init;
pub mod model;
pub mod money;
pub mod output;
pub mod pdf;
pub mod period;
pub mod plan;
pub mod project;
pub mod render;
pub mod serve;
pub mod site;
pub mod suggest;
pub mod yaml;
