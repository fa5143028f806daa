//! Reading the data: Excel exports and encodings, symlinks, large files read in parts or by
//! several workers, over-long records, duplicate rows across files.

use std::fs;

use crate::support::{repo, Plan};

#[test]
fn excel_exports_keep_their_line_numbers() {
    // CRLF line ends, blank lines, a trailing empty header cell (`amount,`), a GBK file
    // that starts with a UTF-8 byte-order mark anyway, and a bad row on physical line 6.
    let plan = Plan::fixture("hand_baseline_split");
    let plan_yaml = fs::read_to_string(plan.path().join("content/plan.yaml")).unwrap();
    plan.write(
        "content/plan.yaml",
        &plan_yaml.replace(
            "{ path: data/sales.csv }",
            "{ path: data/sales.csv, encoding: gbk }",
        ),
    );
    let csv = "\u{feff}date,order_id,product,product_line,region,channel,quantity,amount,\r\n\
               2026-01-12,B02,Sneaker,Footwear,East,Store,8,800,\r\n\
               \r\n\
               2026-02-28,B03,Sneaker,Footwear,North,Store,8,800,\r\n\
               \r\n\
               2027-01-05,B09,Sneaker,Footwear,East,Store,6,6oo,\r\n\
               2027-01-06,B10,Sneaker,Footwear,East,Store,6,600,\r\n";
    plan.write("data/sales.csv", csv);
    let run = plan.run(&["check"]).succeeds();
    assert_eq!(
        run.diagnostics(),
        ["warning: data/sales.csv:6: column amount: `6oo` is not an amount; row excluded"],
        "{}",
        run.stderr
    );
}

#[test]
fn dataset_symlinks_out_of_the_project_are_refused() {
    let outside = Plan::empty();
    fs::write(
        outside.path().join("sales.csv"),
        "date,product,product_line,region,channel,quantity,amount\n",
    )
    .unwrap();
    let plan = Plan::fixture("hand_april");
    fs::remove_file(plan.path().join("data/sales.csv")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("sales.csv"),
        plan.path().join("data/sales.csv"),
    )
    .unwrap();
    let run = plan.run(&["check"]).fails_with(1);
    assert!(
        run.diagnostics().contains(&"error: content/plan.yaml:9:12: dataset path `data/sales.csv` resolves outside the project folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_default_as_of_is_the_same_when_a_large_file_is_read_in_halves() {
    // Quote-free files take the quick line scan; a quoted value sends the file to the full
    // reader. Both read a file over 8 MB in two halves at once.
    latest_date_of_a_large_file(false);
    latest_date_of_a_large_file(true);
}

/// Rows run from 2025-01-01 forward; the latest VALID date, 2026-07-15, is a row three
/// quarters in (the second half); the file ends with a later row whose amount is invalid,
/// which must not count. Expected as_of: 2026-07-15. (The ends of the file suggest
/// 2026-06-30, the last valid row: the pass given that guess meets 2026-07-15 and gives
/// up, and the file is scanned and read again.)
fn latest_date_of_a_large_file(with_quotes: bool) {
    let plan = Plan::empty();
    plan.write(
        "content/plan.yaml",
        "title: Split\ncompany: C\nfiscal_year: 2026\ncurrency: CNY\ndatasets:\n  sales: { path: data/sales.csv }\n",
    );
    let mut csv =
        String::from("date,order_id,product,product_line,region,channel,quantity,amount\n");
    let rows = 130_000;
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    for i in 0..rows {
        // Dates climb to 2026-06-30 (546 days) over the file.
        let date = start + chrono::Days::new((i * 546 / rows) as u64);
        let product = if with_quotes && i == rows / 2 {
            "\"Long\nName\""
        } else {
            "Tea Leaves Premium"
        };
        csv.push_str(&format!(
            "{date},SO{i},{product},Tea,East,Online Store Channel,1,100.00\n"
        ));
        if i == rows * 3 / 4 {
            csv.push_str("2026-07-15,X1,Tea Leaves Premium,Tea,East,Online,1,5.00\n");
        }
    }
    csv.push_str("2026-12-31,X2,Tea Leaves Premium,Tea,East,Online,1,not-an-amount\n");
    assert!(csv.len() > 8 << 20, "{} bytes", csv.len());
    plan.write("data/sales.csv", &csv);
    let run = plan.run(&["check"]).succeeds();
    assert!(
        run.stderr.contains("is valid as of 2026-07-15"),
        "{}",
        run.stderr
    );
    // Every row but the invalid one counted once: 130,000 + 1.
    assert!(run.stderr.contains("(130001 sales rows;"), "{}", run.stderr);
}

#[test]
fn an_absurdly_long_record_is_refused_with_its_line() {
    // One 17 MiB product name on line 16 (the fixture has a header and 14 rows): over the
    // 16 MiB record limit, so the file is refused there instead of being held in memory.
    let plan = Plan::conformance("a_targets_april");
    let path = plan.path().join("data/sales.csv");
    let mut csv = fs::read_to_string(&path).unwrap();
    assert_eq!(csv.lines().count(), 15);
    csv.push_str(&format!(
        "2026-04-01,S99,{},Beverages,East,Online,1,50\n",
        "X".repeat(17 << 20)
    ));
    fs::write(&path, csv).unwrap();
    let run = plan.run(&["check"]).fails_with(1);
    assert!(
        run.stderr
            .contains("error: data/sales.csv:16: a record longer than 16 MiB starts here"),
        "{}",
        run.stderr
    );
    // An unclosed quote before the end of a file swallows the rest: the same limit.
    let mut csv = fs::read_to_string(plan.path().join("data/sales.csv")).unwrap();
    csv.truncate(csv.find("2026-04-01,S99").unwrap());
    csv.push_str("2026-04-01,S99,\"Cola,Beverages,East,Online,1,50\n");
    csv.push_str(&"2026-04-02,S98,Cola,Beverages,East,Online,1,50\n".repeat(400_000));
    fs::write(&path, csv).unwrap();
    let run = plan.run(&["check"]).fails_with(1);
    assert!(
        run.stderr
            .contains("error: data/sales.csv:16: a record longer than 16 MiB"),
        "{}",
        run.stderr
    );
}

#[test]
fn identical_rows_are_found_across_files_whose_columns_come_in_other_orders() {
    // Three monthly exports read as one dataset. b.csv has its columns in another order
    // and repeats a.csv's first row (padded with spaces, one value quoted, so the CSV
    // reader reads that line); c.csv repeats a.csv's second row as it is. Both repeats
    // are duplicates: 4 valid rows, 2 duplicates, the first at b.csv line 3.
    let plan = Plan::empty();
    plan.write(
        "content/plan.yaml",
        "title: Globs\ncompany: C\nfiscal_year: 2027\ncurrency: CNY\nas_of: 2027-01-31\ndatasets:\n  sales: { path: data/exports/*.csv }\n",
    );
    let header = "date,order_id,product,product_line,region,channel,quantity,amount";
    plan.write(
        "data/exports/a.csv",
        &format!("{header}\n2027-01-02,S1,Tea,Drinks,East,Online,1,10.00\n2027-01-03,S2,Cola,Drinks,West,Store,2,7.50\n"),
    );
    plan.write(
        "data/exports/b.csv",
        "amount,date,order_id,product,product_line,region,channel,quantity\n30.00,2027-01-04,S3,Juice,Drinks,East,Online,3\n 10.00 ,2027-01-02,S1,\"Tea\",Drinks,East,Online,1\n",
    );
    plan.write(
        "data/exports/c.csv",
        &format!("{header}\n2027-01-03,S2,Cola,Drinks,West,Store,2,7.50\n2027-01-05,S4,Tea,Drinks,West,Store,1,10.00\n"),
    );
    let run = plan.run(&["check"]).succeeds();
    assert!(run.stderr.contains("(4 sales rows;"), "{}", run.stderr);
    assert!(
        run.stderr.contains("data/exports/b.csv:3: duplicate row removed: identical to an earlier row (2 duplicates"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_example_read_by_several_workers_gives_what_one_reader_gives() {
    // The example's sales file (4 MB, 36,960 rows over four years, amounts with two and
    // three decimals, customers and orders throughout) is cut into 512 KiB blocks and read
    // by one worker per core, whose aggregates are joined after the pass. With the
    // header's first name quoted, the CSV reader reads it from line 1 into one sink
    // instead. Every table and every diagnostic must be the same.
    let sales = fs::read_to_string(repo().join("data/sales.csv")).unwrap();
    assert!(
        sales.len() > 4 * (512 << 10),
        "{} bytes: several blocks",
        sales.len()
    );
    let outcome = |csv: &str| {
        let plan = Plan::example();
        plan.write("data/sales.csv", csv);
        let run = plan.run(&["build"]).succeeds();
        let diagnostics: Vec<String> = run.diagnostics().iter().map(|d| d.to_string()).collect();
        (diagnostics, run.file("model.json"))
    };
    let (chunked_diags, chunked_model) = outcome(&sales);
    let (csv_diags, csv_model) = outcome(&sales.replacen("date", "\"date\"", 1));
    assert_eq!(chunked_diags, csv_diags);
    assert!(chunked_model == csv_model, "model.json differs");
    // The customers chapter counted distinct orders across blocks read apart.
    assert!(chunked_model.contains("\"customers_rfm\""));
}

#[test]
fn salesplan_workers_sets_how_many_workers_read_and_the_outcome_is_the_same() {
    // The example's 4 MB sales file is eight 512 KiB blocks: one worker reads them all
    // in order, six take them in turns (more workers than this machine has cores, so
    // blocks finish out of order). Every table, model.json and every diagnostic must be
    // the same; the debug log says how many workers read.
    let plan = Plan::example();
    let build = |workers: &str| {
        let out = format!("public-{workers}");
        let run = plan
            .run_with_env(
                &["build", "--out", &out],
                &[("SALESPLAN_WORKERS", workers), ("SALESPLAN_LOG", "debug")],
            )
            .succeeds();
        let files = crate::support::snapshot(&plan.path().join(&out));
        let diagnostics: Vec<String> = run.diagnostics().iter().map(|d| d.to_string()).collect();
        (run.stderr.clone(), files, diagnostics)
    };
    let (one_log, one_files, one_diags) = build("1");
    let (six_log, six_files, six_diags) = build("6");
    assert!(
        one_log.contains("debug: reading sales: 1 file(s)")
            && one_log.contains("up to 1 worker(s)"),
        "{one_log}"
    );
    assert!(six_log.contains("up to 6 worker(s)"), "{six_log}");
    assert_eq!(one_diags, six_diags);
    assert_eq!(one_files.len(), six_files.len());
    for ((name, one), (other, six)) in one_files.iter().zip(&six_files) {
        assert_eq!(name, other);
        // The footer of each page names the build, not the reading: all bytes match.
        assert!(one == six, "{name} differs between 1 and 6 workers");
    }

    // A value that is not a count is reported and ignored (the default is used).
    let run = plan
        .run_with_env(
            &["build", "--out", "public-0"],
            &[("SALESPLAN_WORKERS", "0")],
        )
        .succeeds();
    assert!(
        run.diagnostics().contains(
            &"warning: SALESPLAN_WORKERS must be a whole number from 1 to 64, found `0`: ignored"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_huge_offending_value_is_quoted_by_its_first_sixty_characters_and_its_length() {
    // One amount of 5,000,000 digits and one 100,000-character date: each warning quotes
    // 60 characters and says how long the value was, so stderr stays a few hundred bytes.
    let plan = Plan::empty();
    plan.write(
        "content/plan.yaml",
        "title: Long\ncompany: C\nfiscal_year: 2027\ncurrency: CNY\nas_of: 2027-01-31\ndatasets:\n  sales: { path: data/sales.csv }\n",
    );
    let amount = "9".repeat(5_000_000);
    let date = "x".repeat(100_000);
    plan.write(
        "data/sales.csv",
        &format!("date,order_id,product,product_line,region,channel,quantity,amount\n2027-01-02,S1,Tea,Drinks,East,Online,1,{amount}\n{date},S2,Tea,Drinks,East,Online,1,5.00\n2027-01-03,S3,Tea,Drinks,East,Online,1,5.00\n"),
    );
    let run = plan.run(&["check"]).succeeds();
    assert!(
        run.stderr.len() < 2_000,
        "{} bytes of stderr",
        run.stderr.len()
    );
    for expected in [
        format!(
            "data/sales.csv:2: column amount: `{}…` (5,000,000 characters) is too large",
            "9".repeat(60)
        ),
        format!(
            "data/sales.csv:3: column date: `{}…` (100,000 characters) is not a date",
            "x".repeat(60)
        ),
    ] {
        assert!(run.stderr.contains(&expected), "{}", run.stderr);
    }
}
