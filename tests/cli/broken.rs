//! Broken input: one test per fixture of tests/fixtures/broken (exit code 1 and the exact
//! located message), warnings and --strict, message formats, usage errors (exit code 2).

use std::fs;

use crate::support::{folders_in, Plan};

/// One `#[test]` per broken fixture, in `broken::fixture::<name>`, and `CASES`, the names of
/// them all (so that `every_broken_fixture_has_a_test` can find a folder without one).
macro_rules! broken_fixtures {
    ($($case:ident => $expected:expr,)*) => {
        mod fixture {
            $(
                #[test]
                fn $case() {
                    super::fails_with_located_message(stringify!($case), $expected);
                }
            )*
        }

        const CASES: &[&str] = &[$(stringify!($case)),*];
    };
}

// (fixture under tests/fixtures/broken, the first error line `check --strict` prints).
broken_fixtures! {
    yaml_syntax => "error: content/targets.yaml:4:4: did not find expected '-' indicator, while parsing a block collection",
    unknown_key => "error: content/targets.yaml:2:1: unknown key `seasonallity`, expected one of `annual_target`, `seasonality`, `by_product_line`, `by_region`, `positioning`, `competitors`, `product_strategy`, `pricing`, `notes`",
    wrong_type => "error: content/targets.yaml:1:16: annual_target: invalid value: string \"lots\", expected a number",
    missing_required_key => "error: content/targets.yaml:1:1: missing required key `annual_target`",
    shares_not_one => "error: content/targets.yaml:2:1: by_region shares sum to 0.9, expected 1 (± 0.001)",
    targets_not_summing => "error: content/targets.yaml:2:1: by_product_line targets sum to 1100, but annual_target is 1200",
    mixed_target_share => "error: content/targets.yaml:2:1: by_region mixes `target` and `share`; use one form for the whole list",
    seasonality_eleven_weights => "error: content/targets.yaml:2:1: seasonality needs 12 weights (one per fiscal month), found 11",
    missing_dataset => "error: content/plan.yaml:7:12: dataset file `data/missing.csv` not found",
    path_escapes_root => "error: content/plan.yaml:7:12: dataset path `../outside.csv` resolves outside the project folder",
    glob_matches_nothing => "error: content/plan.yaml:7:12: no file matches `data/exports/*.csv`",
    non_utf8_without_encoding => "error: data/sales.csv:2: the file is not valid UTF-8; if it was saved by Excel in Chinese, add `encoding: gbk` (or `gb18030`) to this dataset in content/plan.yaml",
    invalid_rows_strict => "error: data/sales.csv:4: column date: `2027-02-30` is not a date (expected YYYY-MM-DD; set `date_format` for other forms); row excluded",
    empty_csv => "error: data/sales.csv:1: the file is empty (0 bytes): expected a header row",
    header_missing_column => "error: data/sales.csv:1: column amount: required column missing from the header (header: date, product, product_line, region, channel, quantity)",
    duplicate_header => "error: data/sales.csv:1: column product: appears twice in the header",
    unknown_currency => "error: content/plan.yaml:4:1: unknown currency `RMB` (use the ISO 4217 code `CNY` for renminbi)",
    fiscal_year_start_13 => "error: content/plan.yaml:4:1: fiscal_year_start must be a month 1-12, found 13",
    no_rows_no_as_of => "error: content/plan.yaml: no as_of: the sales dataset has no valid rows, so set `as_of` in content/plan.yaml or pass --as-of",
    narrative_undefined => "error: content/targets.md:3:31: undefined value in template: `money` was given a name that does not exist in the model",
    mapped_column_missing => "error: data/sales.csv:1: column 销售额 (amount): not found in the header (mapped by `columns:` in content/plan.yaml; header: date, product, product_line, region, channel, quantity, amount)",
    // Line 2 is `# ` then GBK bytes C4 BF B1 EA: C4 BF happens to be valid UTF-8 (one
    // character, column 3), so the first invalid byte is B1 in column 4.
    yaml_not_utf8 => "error: content/targets.yaml:2:4: the file is not valid UTF-8: save plan files as UTF-8",
    bad_date_format => "error: content/plan.yaml:7:34: date_format `%d/%m` cannot read dates: it needs a year, a month and a day, such as `%d/%m/%Y` or `%Y%m%d`",
    // Line 3 opens a quote that never closes: lines 3-5 are read as one value.
    unclosed_quote => "error: data/sales.csv:3: a quoted value that starts on this line is never closed: it swallowed the last 3 lines of the file",
    empty_split_list => "error: content/targets.yaml:3:1: by_region is empty: list each name with its `target` or `share`, or remove the key to split by baseline revenue",
    // Chapters 2 and 3: the rules of §7.2/§7.3 that need only the YAML.
    channel_shares_not_one => "error: content/channels.yaml:1:1: channel target_share values sum to 0.9, expected 1 (± 0.001)",
    budget_unknown_channel => "error: content/channels.yaml:6:7: budget names channel `Stores`, which is not in `channels`",
    partner_unknown_channel => "error: content/channels.yaml:5:20: partner `DistA` names channel `Distributors`, which is not in `channels`",
    selection_weight_zero => "error: content/channels.yaml:6:26: weight of `stability` must be positive, found 0",
    partner_unknown_criterion => "error: content/channels.yaml:4:62: partner `DistA` is scored on `reliability`, which is not in selection.criteria",
    appraisal_weights_not_one => "error: content/team.yaml:3:3: appraisal KPI weights sum to 0.9, expected 1 (± 0.001)",
    tiers_not_contiguous => "error: content/team.yaml:4:9: tier starts at 0.9, expected 0.8 (tiers must be contiguous from 0)",
    // Chapters 4 and 5.
    tiers_not_ascending => "error: content/customers.yaml:4:7: tier `Silver` must not ask less than `Gold` (tiers are listed in ascending order of min_spend and min_orders)",
    surveys_without_dimensions => "error: content/plan.yaml:8:3: a surveys dataset needs `survey.dimensions` in content/customers.yaml (the score columns to read)",
    promotion_ends_before_start => "error: content/promotions.yaml:5:5: promotion `spring` ends (2027-03-01) before it starts (2027-03-10)",
    unknown_mechanic => "error: content/promotions.yaml:6:26: promotions[0].mechanics[0].type: unknown variant `bogo`, expected one of `discount`, `spend_save`, `gift`",
    // Chapter 6.
    unknown_metric => "error: content/insights.yaml:2:16: unknown metric `revenue_attainment` (did you mean `revenue_attainment_ytd`?)",
    contradictory_thresholds => "error: content/insights.yaml:5:5: alert_below (0.9) is above warn_below (0.8): a value would reach the alert before the warning",
    // Limits that keep every date and sum computable (never a panic).
    duplicate_rep => "error: content/team.yaml:5:7: `Ann` is listed twice in reps",
    respond_within_too_long => "error: content/insights.yaml:2:65: respond_within `100000000d` is longer than 36500 days",
    horizon_too_long => "error: content/insights.yaml:1:13: forecast.horizon is at most 120 months, found 4000000000",
    negative_sla => "error: content/customers.yaml:2:10: complaints.sla.first_response_hours must be above 0 and at most 876000, found -5",
    // A delimiter that would cut records apart or break quoting (the engine refuses it).
    delimiter_line_break => "error: content/plan.yaml:7:34: delimiter cannot be a line break (`\\n`): records end at line breaks and quotes enclose values; use `,`, `;`, `|` or `\\t`",
    delimiter_carriage_return => "error: content/plan.yaml:7:34: delimiter cannot be a carriage return (`\\r`): records end at line breaks and quotes enclose values; use `,`, `;`, `|` or `\\t`",
    delimiter_quote => "error: content/plan.yaml:7:34: delimiter cannot be the quote character (`\"`): records end at line breaks and quotes enclose values; use `,`, `;`, `|` or `\\t`",
    unknown_mapped_column => "error: content/plan.yaml:9:16: `ammount` is not a column of dataset `sales` (did you mean `amount`?)",
}

/// `check --strict` on the fixture fails with exit code 1 and `expected` as its first
/// error; `build --strict` fails the same way and writes nothing.
fn fails_with_located_message(case: &str, expected: &str) {
    let plan = Plan::broken(case);
    let run = plan.run(&["check", "--strict"]).fails_with(1);
    let first_error = run
        .diagnostics()
        .into_iter()
        .find(|l| l.starts_with("error: "));
    assert_eq!(
        first_error,
        Some(expected),
        "{case}: stderr was\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{case} panicked");
    // build fails the same way and writes nothing.
    let build = plan.run(&["build", "--strict"]).fails_with(1);
    assert!(!build.out.exists(), "{case}: a failed build wrote public/");
}

#[test]
fn every_broken_fixture_has_a_test() {
    let folders = folders_in("tests/fixtures/broken");
    let untested: Vec<&String> = folders
        .iter()
        .filter(|f| !CASES.contains(&f.as_str()))
        .collect();
    assert!(
        untested.is_empty(),
        "every broken fixture has an expected message: add {untested:?} to `broken_fixtures!` in tests/cli/broken.rs"
    );
    let missing: Vec<&&str> = CASES
        .iter()
        .filter(|c| !folders.iter().any(|f| f == *c))
        .collect();
    assert!(
        missing.is_empty(),
        "no folder in tests/fixtures/broken for {missing:?}"
    );
}

#[test]
fn invalid_rows_are_warnings_without_strict() {
    // The two bad rows are excluded and listed with their line numbers; the build succeeds.
    let run = Plan::broken("invalid_rows_strict")
        .run(&["build"])
        .succeeds();
    let diags = run.diagnostics();
    assert!(
        diags.contains(
            &"warning: data/sales.csv:5: column amount: `12.3.4` is not an amount; row excluded"
        ),
        "{diags:?}"
    );
    // 4 rows read, 2 valid, 2 invalid (lines 4 and 5).
    assert_eq!(
        run.table("insights_quality").rows[0][..5],
        ["sales", "4", "2", "0", "2"]
    );
}

#[test]
fn github_message_format_annotates_the_file() {
    let run = Plan::broken("shares_not_one")
        .run(&["check", "--message-format", "github"])
        .fails_with(1);
    assert!(
        run.stderr.contains("::error file=content/targets.yaml,line=2,col=1::by_region shares sum to 0.9, expected 1 (± 0.001)"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let plan = Plan::fixture("hand_april");
    plan.run(&["build", "--as-of", "31/05/2027"]).fails_with(2);
    plan.run(&["build", "--base-url", "example.com"])
        .fails_with(2);
    plan.run(&["frobnicate"]).fails_with(2);
}

#[test]
fn no_project_is_a_clear_error() {
    let run = Plan::empty().run(&["check"]).fails_with(1);
    assert!(
        run.stderr.contains("no content/plan.yaml found"),
        "{}",
        run.stderr
    );
}

#[test]
fn names_missing_from_the_data_are_warnings_with_a_suggestion() {
    let plan = Plan::fixture("hand_april");
    let targets = fs::read_to_string(plan.path().join("content/targets.yaml")).unwrap();
    plan.write(
        "content/targets.yaml",
        &targets.replace("{ name: East, share", "{ name: Eest, share"),
    );
    let run = plan.run(&["check"]).succeeds();
    assert!(
        run.diagnostics().contains(&"warning: content/targets.yaml:9:7: region `Eest` never occurs in the sales data (did you mean `East`?)"),
        "{}",
        run.stderr
    );
    // Under --strict the same warning fails the check.
    plan.run(&["check", "--strict"]).fails_with(1);
}

#[test]
fn a_narrative_that_is_not_utf8_is_a_located_error() {
    // Line 1 is ASCII, line 2 starts with the byte 0xFF: content/targets.md:2:1.
    let plan = Plan::fixture("hand_april");
    fs::write(plan.path().join("content/targets.md"), b"# Fine\n\xffbad\n").unwrap();
    let run = plan.run(&["build"]).fails_with(1);
    assert!(
        run.stderr.contains(
            "error: content/targets.md:2:1: the file is not valid UTF-8: save plan files as UTF-8"
        ),
        "{}",
        run.stderr
    );
}
