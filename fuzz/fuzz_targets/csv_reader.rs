//! The CSV reader with every dataset option: the first byte picks the encoding, delimiter,
//! date format, duplicate removal and a header mapping; the rest is the sales file.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let (options, file) = data.split_first().unwrap_or((&0, &[]));
    let encoding = ["utf-8", "gbk", "gb18030"][usize::from(options & 0b11) % 3];
    let delimiter = [",", ";", "\\t", "|"][usize::from((options >> 2) & 0b11)];
    let date_format = if options & 0b1_0000 != 0 {
        ", date_format: \"%d/%m/%Y\""
    } else {
        ""
    };
    let dedupe = if options & 0b10_0000 != 0 {
        ", dedupe: false"
    } else {
        ""
    };
    let columns = if options & 0b100_0000 != 0 {
        ", columns: { amount: 金额, date: 日期 }"
    } else {
        ""
    };
    let plan = format!(
        "title: Fuzz\ncompany: F\nfiscal_year: 2026\ncurrency: CNY\ndatasets:\n  sales: {{ path: data/sales.csv, encoding: {encoding}, delimiter: \"{delimiter}\"{date_format}{dedupe}{columns} }}\n"
    );
    common::write("content/plan.yaml", plan.as_bytes());
    common::write("content/targets.yaml", common::TARGETS.as_bytes());
    common::write("data/sales.csv", file);
    common::check();
});
