//! Forecasting the monthly revenue series (FORMAT.md §7.6, §9): additive Holt-Winters
//! (Winters' form, grid-searched) from 24 months, seasonal naive with drift from 12, a
//! linear trend from 3; one-step fitted values, a prediction band and a holdout backtest.
//! Floating point is used here, and only here.

/// Which method fits a series of `n` months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    HoltWinters,
    SeasonalNaive,
    Linear,
}

impl Method {
    pub fn for_length(n: usize) -> Option<Method> {
        match n {
            24.. => Some(Method::HoltWinters),
            12..=23 => Some(Method::SeasonalNaive),
            3..=11 => Some(Method::Linear),
            _ => None,
        }
    }
}

/// A fitted model: one-step fitted values (None where the method has none) and forecasts.
#[derive(Debug, Clone)]
pub struct Fit {
    pub method: Method,
    /// ŷ_t for t = 1..n.
    pub fitted: Vec<Option<f64>>,
    /// Root mean square of the one-step errors; None without any.
    pub rmse: Option<f64>,
    /// α, β, γ for Holt-Winters.
    pub params: Option<(f64, f64, f64)>,
    state: State,
}

#[derive(Debug, Clone)]
enum State {
    HoltWinters {
        level: f64,
        trend: f64,
        seasonal: Vec<f64>,
    },
    SeasonalNaive {
        series: Vec<f64>,
        drift: f64,
    },
    Linear {
        intercept: f64,
        slope: f64,
        n: usize,
    },
}

impl Fit {
    /// ŷ_{n+h} for h ≥ 1.
    pub fn forecast(&self, h: usize) -> f64 {
        match &self.state {
            State::HoltWinters {
                level,
                trend,
                seasonal,
            } => {
                // s_{n+h−12⌈h/12⌉}: the last twelve seasonal states, cycled.
                let k = h.div_ceil(12);
                let index = seasonal.len() + h - 12 * k - 1;
                level + h as f64 * trend + seasonal[index]
            }
            State::SeasonalNaive { series, drift } => {
                let k = h.div_ceil(12);
                series[series.len() + h - 12 * k - 1] + k as f64 * drift
            }
            State::Linear {
                intercept,
                slope,
                n,
            } => intercept + slope * (n + h) as f64,
        }
    }
}

/// Fits the method that suits the series length; `None` below 3 months.
pub fn fit(y: &[f64]) -> Option<Fit> {
    match Method::for_length(y.len())? {
        Method::HoltWinters => Some(holt_winters_grid(y)),
        Method::SeasonalNaive => Some(seasonal_naive(y)),
        Method::Linear => Some(linear(y)),
    }
}

fn rmse(errors: &[f64]) -> Option<f64> {
    (!errors.is_empty())
        .then(|| (errors.iter().map(|e| e * e).sum::<f64>() / errors.len() as f64).sqrt())
}

/// Additive Holt-Winters with fixed parameters; the seasonal states of the last twelve
/// months are kept for forecasting.
pub fn holt_winters(y: &[f64], alpha: f64, beta: f64, gamma: f64) -> Fit {
    let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
    let mut level = mean(&y[..12]);
    let mut trend = (mean(&y[12..24]) - level) / 12.0;
    // s_{i−12} = y_i − l_0 for i = 1..12.
    let mut seasonal: Vec<f64> = y[..12].iter().map(|v| v - level).collect();
    let mut fitted = Vec::with_capacity(y.len());
    let mut errors = Vec::with_capacity(y.len());
    for (t, &actual) in y.iter().enumerate() {
        let s_prev = seasonal[t];
        let prediction = level + trend + s_prev;
        fitted.push(Some(prediction));
        errors.push(actual - prediction);
        let new_level = alpha * (actual - s_prev) + (1.0 - alpha) * (level + trend);
        trend = beta * (new_level - level) + (1.0 - beta) * trend;
        level = new_level;
        seasonal.push(gamma * (actual - level) + (1.0 - gamma) * s_prev);
    }
    let last = seasonal.split_off(seasonal.len() - 12);
    Fit {
        method: Method::HoltWinters,
        fitted,
        rmse: rmse(&errors),
        params: Some((alpha, beta, gamma)),
        state: State::HoltWinters {
            level,
            trend,
            seasonal: last,
        },
    }
}

/// Grid search over α, β, γ ∈ {0.05, …, 0.95} (exactly k/20) minimising the one-step SSE;
/// SSEs within a relative 1e-9 are ties, won by the smallest α, then β, then γ.
fn holt_winters_grid(y: &[f64]) -> Fit {
    let grid: Vec<f64> = (1..20).map(|k| k as f64 / 20.0).collect();
    // Below this, SSEs are rounding noise (a series the states already fit exactly): ties.
    let noise = 1e-12 * y.iter().map(|v| v * v).sum::<f64>();
    let mut best: Option<(f64, (f64, f64, f64))> = None;
    let mut errors = Vec::with_capacity(y.len());
    for &alpha in &grid {
        for &beta in &grid {
            for &gamma in &grid {
                let rmse = holt_winters_rmse(y, alpha, beta, gamma, &mut errors);
                let sse = rmse.map_or(0.0, |r| r * r * y.len() as f64);
                let better = match &best {
                    None => true,
                    Some((best_sse, _)) => sse < best_sse - (1e-9 * best_sse.abs()).max(noise),
                };
                if better {
                    best = Some((sse, (alpha, beta, gamma)));
                }
            }
        }
    }
    let (alpha, beta, gamma) = best.expect("the grid is not empty").1;
    holt_winters(y, alpha, beta, gamma)
}

/// The one-step RMSE of [`holt_winters`] — the same arithmetic in the same order, so the
/// same value to the last bit — without building the fit: the grid search runs it 6,859
/// times. `errors` is scratch space.
fn holt_winters_rmse(
    y: &[f64],
    alpha: f64,
    beta: f64,
    gamma: f64,
    errors: &mut Vec<f64>,
) -> Option<f64> {
    let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
    let mut level = mean(&y[..12]);
    let mut trend = (mean(&y[12..24]) - level) / 12.0;
    // seasonal[t] of `holt_winters` is `ring[t % 12]` at step t.
    let mut ring = [0.0; 12];
    for (s, v) in ring.iter_mut().zip(&y[..12]) {
        *s = v - level;
    }
    errors.clear();
    for (t, &actual) in y.iter().enumerate() {
        let s_prev = ring[t % 12];
        let prediction = level + trend + s_prev;
        errors.push(actual - prediction);
        let new_level = alpha * (actual - s_prev) + (1.0 - alpha) * (level + trend);
        trend = beta * (new_level - level) + (1.0 - beta) * trend;
        level = new_level;
        ring[t % 12] = gamma * (actual - level) + (1.0 - gamma) * s_prev;
    }
    rmse(errors)
}

/// Seasonal naive with drift: ŷ_t = y_{t−12} + drift, drift = mean(y_t − y_{t−12}).
fn seasonal_naive(y: &[f64]) -> Fit {
    let n = y.len();
    let diffs: Vec<f64> = (12..n).map(|t| y[t] - y[t - 12]).collect();
    let drift = if diffs.is_empty() {
        0.0
    } else {
        diffs.iter().sum::<f64>() / diffs.len() as f64
    };
    let fitted: Vec<Option<f64>> = (0..n)
        .map(|t| (t >= 12).then(|| y[t - 12] + drift))
        .collect();
    let errors: Vec<f64> = (12..n).map(|t| y[t] - (y[t - 12] + drift)).collect();
    Fit {
        method: Method::SeasonalNaive,
        fitted,
        rmse: rmse(&errors),
        params: None,
        state: State::SeasonalNaive {
            series: y.to_vec(),
            drift,
        },
    }
}

/// Ordinary least squares of y on t = 1..n.
fn linear(y: &[f64]) -> Fit {
    let n = y.len();
    let ts: Vec<f64> = (1..=n).map(|t| t as f64).collect();
    let (slope, intercept) = ols(&ts, y)
        .map(|o| (o.slope, o.intercept))
        .unwrap_or((0.0, y.iter().sum::<f64>() / n as f64));
    let fitted: Vec<Option<f64>> = ts.iter().map(|t| Some(intercept + slope * t)).collect();
    let errors: Vec<f64> = y
        .iter()
        .zip(&fitted)
        .map(|(v, f)| v - f.unwrap_or(0.0))
        .collect();
    Fit {
        method: Method::Linear,
        fitted,
        rmse: rmse(&errors),
        params: None,
        state: State::Linear {
            intercept,
            slope,
            n,
        },
    }
}

/// A simple regression y = intercept + slope·x.
#[derive(Debug, Clone, Copy)]
pub struct Ols {
    pub slope: f64,
    pub intercept: f64,
    /// Standard error of the slope (needs ≥ 3 points).
    pub std_error: Option<f64>,
    pub r2: Option<f64>,
}

pub fn ols(x: &[f64], y: &[f64]) -> Option<Ols> {
    let n = x.len() as f64;
    if x.len() < 2 {
        return None;
    }
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxx: f64 = x.iter().map(|v| (v - mx) * (v - mx)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let sse: f64 = x
        .iter()
        .zip(y)
        .map(|(a, b)| (b - intercept - slope * a).powi(2))
        .sum();
    let syy: f64 = y.iter().map(|v| (v - my) * (v - my)).sum();
    let std_error = (x.len() >= 3).then(|| (sse / (n - 2.0) / sxx).sqrt());
    let r2 = (syy > 0.0).then(|| 1.0 - sse / syy);
    Some(Ols {
        slope,
        intercept,
        std_error,
        r2,
    })
}

/// Mean absolute percentage error over the months with y ≠ 0.
pub fn mape(actual: &[f64], predicted: &[f64]) -> Option<f64> {
    let terms: Vec<f64> = actual
        .iter()
        .zip(predicted)
        .filter(|(a, _)| **a != 0.0)
        .map(|(a, p)| (a - p).abs() / a.abs())
        .collect();
    (!terms.is_empty()).then(|| terms.iter().sum::<f64>() / terms.len() as f64)
}

/// The holdout backtest: refit on all but the last `holdout` months (≥ 3 training months),
/// forecast them; returns (mape, seasonal-naive mape).
pub fn backtest(y: &[f64], holdout: usize) -> (Option<f64>, Option<f64>) {
    if holdout == 0 || y.len() < holdout + 3 {
        return (None, None);
    }
    let train = y.len() - holdout;
    let Some(fit) = fit(&y[..train]) else {
        return (None, None);
    };
    let test = &y[train..];
    let predicted: Vec<f64> = (1..=holdout).map(|h| fit.forecast(h)).collect();
    // ŷ_t = y_{t−12}, where the series reaches back that far.
    let (naive_actual, naive_predicted): (Vec<f64>, Vec<f64>) = (train..y.len())
        .filter(|&t| t >= 12)
        .map(|t| (y[t], y[t - 12]))
        .unzip();
    (
        mape(test, &predicted),
        mape(&naive_actual, &naive_predicted),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_search_error_is_the_fits_error_to_the_bit() {
        // A seasonal series with trend and noise, over several parameter sets.
        let y: Vec<f64> = (0..30)
            .map(|t| 100.0 + 3.0 * t as f64 + 20.0 * ((t % 12) as f64).sin() + ((t * 7) % 5) as f64)
            .collect();
        let mut scratch = Vec::new();
        for (a, b, g) in [(0.05, 0.05, 0.05), (0.5, 0.1, 0.9), (0.95, 0.95, 0.35)] {
            let fit = holt_winters(&y, a, b, g);
            let rmse = holt_winters_rmse(&y, a, b, g, &mut scratch);
            assert_eq!(rmse.map(f64::to_bits), fit.rmse.map(f64::to_bits));
        }
    }

    /// The series of conformance case g: 2025-01 … 2027-06.
    fn g_series() -> Vec<f64> {
        let mut y: Vec<f64> = (0..12).map(|i| 10.0 + 2.0 * i as f64).collect();
        y.extend((0..12).map(|i| 22.0 + 2.0 * i as f64));
        y.extend([30.0, 37.0, 35.0, 41.0, 43.0, 45.0]);
        y
    }

    #[test]
    fn holt_winters_initial_states_by_hand() {
        // l0 = mean(10, 12, …, 32) = 21; b0 = (mean(22, …, 44) − 21) / 12 = (33 − 21)/12 = 1;
        // s for January = 10 − 21 = −11, so ŷ_1 = 21 + 1 − 11 = 11.
        let fit = holt_winters(&g_series(), 0.5, 0.5, 0.5);
        assert!((fit.fitted[0].unwrap() - 11.0).abs() < 1e-12);
        // With α = β = γ = 0.5 and y_1 = 10: l_1 = 0.5(10 + 11) + 0.5(22) = 21.5;
        // b_1 = 0.5(0.5) + 0.5(1) = 0.75; s_1 = 0.5(10 − 21.5) + 0.5(−11) = −11.25.
        // ŷ_2 = l_1 + b_1 + s(Feb) = 21.5 + 0.75 + (12 − 21) = 13.25.
        assert!((fit.fitted[1].unwrap() - 13.25).abs() < 1e-12);
    }

    #[test]
    fn grid_search_matches_the_reference_case() {
        // Conformance case g (an independent implementation): α 0.85, β 0.05, γ 0.9 and
        // the first future month 48.20 with band 42.54 … 53.86.
        let fit = fit(&g_series()).unwrap();
        assert_eq!(fit.params, Some((0.85, 0.05, 0.9)));
        let f1 = fit.forecast(1);
        assert!((f1 - 48.20).abs() < 0.005, "{f1}");
        let band = 1.96 * fit.rmse.unwrap();
        assert!((f1 - band - 42.54).abs() < 0.005);
    }

    #[test]
    fn seasonal_naive_with_drift() {
        // 14 months: drift = mean(y13 − y1, y14 − y2) = mean(5, 7) = 6.
        let y = [
            10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0, 110.0, 120.0, 15.0, 27.0,
        ];
        let fit = fit(&y).unwrap();
        assert_eq!(fit.method, Method::SeasonalNaive);
        assert_eq!(fit.fitted[12], Some(16.0));
        // ŷ_{15} = y_3 + 6 = 36; ŷ_{14+12} = y_14 + 6 = 33; ŷ_{14+13} = y_3 + 2·6 = 42.
        assert_eq!(fit.forecast(1), 36.0);
        assert_eq!(fit.forecast(12), 33.0);
        assert_eq!(fit.forecast(13), 42.0);
    }

    #[test]
    fn linear_trend_and_ols_statistics() {
        let fit = fit(&[10.0, 20.0, 30.0, 40.0, 50.0]).unwrap();
        assert_eq!(fit.method, Method::Linear);
        assert!((fit.forecast(1) - 60.0).abs() < 1e-9);
        assert!(fit.rmse.unwrap() < 1e-9);
        // ln Q = 3 − 2 ln P exactly: slope −2, no error, r² 1.
        let x: Vec<f64> = [1.0f64, 2.0, 3.0, 4.0].iter().map(|p| p.ln()).collect();
        let y: Vec<f64> = x.iter().map(|lp| 3.0 - 2.0 * lp).collect();
        let o = ols(&x, &y).unwrap();
        assert!((o.slope + 2.0).abs() < 1e-12);
        assert!(o.std_error.unwrap() < 1e-9);
        assert!((o.r2.unwrap() - 1.0).abs() < 1e-12);
        assert!(fit_too_short());
    }

    #[test]
    fn grid_ties_go_to_the_smallest_parameters() {
        // A level series with an exact yearly pattern: the initial states already predict
        // every month exactly, so every (α, β, γ) has SSE 0 — a 6859-way tie that the
        // smallest α, then β, then γ wins.
        let pattern = [5.0, 7.0, 9.0, 4.0, 6.0, 8.0, 10.0, 3.0, 5.0, 7.0, 9.0, 11.0];
        let y: Vec<f64> = pattern.iter().cycle().take(36).copied().collect();
        let fit = fit(&y).unwrap();
        assert_eq!(fit.params, Some((0.05, 0.05, 0.05)));
        assert!(fit.rmse.unwrap() < 1e-9);
        assert!((fit.forecast(1) - 5.0).abs() < 1e-9);
    }

    fn fit_too_short() -> bool {
        fit(&[1.0, 2.0]).is_none()
    }
}
