//! Holt-Winters checked against an independent implementation (statsmodels 0.15.0, fitted
//! with fixed parameters and the spec's initial states) on a public monthly sales series:
//! Perrin Frères champagne sales 1964-1972. The numbers and their provenance are in
//! tests/reference/ (README.md there says how they were produced).

use salesplan::chapters::insights::forecast::holt_winters;

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * b.abs().max(1.0)
}

#[test]
fn holt_winters_matches_statsmodels_on_champagne_sales() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/perrin_freres_champagne.json"
    ))
    .expect("reference file");
    let reference: serde_json::Value = serde_json::from_str(&text).expect("reference JSON");
    let series: Vec<f64> = reference["series"]["values"]
        .as_array()
        .expect("series values")
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(series.len(), 105);
    let cases = reference["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 2);
    for case in cases {
        let (alpha, beta, gamma) = (
            case["alpha"].as_f64().unwrap(),
            case["beta"].as_f64().unwrap(),
            case["gamma"].as_f64().unwrap(),
        );
        let fit = holt_winters(&series, alpha, beta, gamma);
        for (t, want) in case["fitted"].as_array().unwrap().iter().enumerate() {
            let got = fit.fitted[t].unwrap();
            assert!(
                close(got, want.as_f64().unwrap(), 1e-9),
                "α {alpha}: ŷ_{} = {got}, reference {want}",
                t + 1
            );
        }
        for (h, want) in case["forecast"].as_array().unwrap().iter().enumerate() {
            let got = fit.forecast(h + 1);
            assert!(
                close(got, want.as_f64().unwrap(), 1e-9),
                "α {alpha}: forecast h={} = {got}, reference {want}",
                h + 1
            );
        }
        let sse = fit.rmse.unwrap().powi(2) * series.len() as f64;
        assert!(
            close(sse, case["sse"].as_f64().unwrap(), 1e-9),
            "α {alpha}: SSE {sse}"
        );
    }
}
