//! Conformance: the spec's examples, compared with the tables an independent
//! implementation produced (tests/conformance/<case>/expected), one test per case.

use crate::support::{folders_in, matches_expected, Plan};

/// Builds a conformance case and compares it with the independent implementation's output.
fn conformance(case: &str) {
    let plan = Plan::conformance(case);
    let run = plan.run(&["build"]).succeeds();
    assert!(
        matches_expected(case, &plan, &run) > 0,
        "{case}: nothing compared"
    );
}

/// One `#[test]` per conformance case, and `CASES`, (test, case folder) of them all (so that
/// `every_conformance_case_has_a_test` can find a folder without one).
macro_rules! conformance_cases {
    ($($test:ident => $case:literal,)*) => {
        $(
            #[test]
            fn $test() {
                conformance($case);
            }
        )*

        const CASES: &[(&str, &str)] = &[$((stringify!($test), $case)),*];
    };
}

conformance_cases! {
    conformance_a_targets_april => "a_targets_april",
    conformance_i_encoding => "i_encoding",
    conformance_j_data_forms => "j_data_forms",
    conformance_b_team => "b_team",
    conformance_c_channels => "c_channels",
    conformance_d_promotions => "d_promotions",
    conformance_e_customers => "e_customers",
    conformance_f_insights => "f_insights",
    conformance_g_forecast_hw => "g_forecast_hw",
    conformance_h_forecast_linear_kpis => "h_forecast_linear_kpis",
}

#[test]
fn every_conformance_case_has_a_test() {
    for (test, case) in CASES {
        assert_eq!(
            *test,
            format!("conformance_{case}"),
            "test name of case {case}"
        );
    }
    let folders = folders_in("tests/conformance");
    let untested: Vec<&String> = folders
        .iter()
        .filter(|f| !CASES.iter().any(|(_, case)| case == f))
        .collect();
    assert!(
        untested.is_empty(),
        "conformance cases without a test: add {untested:?} to `conformance_cases!` in tests/cli/conformance.rs"
    );
    let missing: Vec<&str> = CASES
        .iter()
        .map(|(_, case)| *case)
        .filter(|c| !folders.iter().any(|f| f == c))
        .collect();
    assert!(
        missing.is_empty(),
        "no folder in tests/conformance for {missing:?}"
    );
}
