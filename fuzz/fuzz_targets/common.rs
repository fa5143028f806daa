#![allow(dead_code)] // each target uses part of it
//! A throwaway plan project per fuzzing process: the target writes its files and runs the
//! same load → read → compute steps as `salesplan check`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use salesplan::diag::{Diagnostics, MessageFormat};
use salesplan::site::{compute, Options};

/// This process's project folder (under the system's temporary folder).
pub fn project() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("salesplan-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("data")).unwrap();
        root
    })
}

pub fn write(rel: &str, bytes: &[u8]) {
    std::fs::write(project().join(rel), bytes).unwrap();
}

/// Runs the whole check, rendering included (what `salesplan check` does); any outcome
/// but a panic is fine.
pub fn check() {
    let options = Options {
        root: project().to_path_buf(),
        as_of: None,
        base_url: None,
        strict: false,
        message_format: MessageFormat::Human,
    };
    let mut diags = Diagnostics::default();
    if let Ok(Some(computed)) = compute(&options, &mut diags) {
        let _ =
            salesplan::render::render_site(&computed.project, &computed.model, &mut diags);
    }
}

pub const TARGETS: &str = "annual_target: 1000000\nseasonality: history\nby_region:\n  - { name: East, share: 0.6 }\n  - { name: West, share: 0.4 }\n";

pub const SALES: &[u8] = b"date,order_id,customer_id,product,product_line,region,channel,rep,quantity,unit_price,amount,cost\n2025-01-05,S1,C1,Cola,Drinks,East,Online,Ann,2,3.50,7.00,4.00\n2025-02-05,S2,,Tea,Drinks,West,Store,Bob,1,10,10,\n2026-03-01,S3,C1,Cola,Drinks,East,Online,Ann,-1,3.50,-3.50,-2.00\n";
