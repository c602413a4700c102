//! Class breaks for choropleth maps: quantiles, Fisher-Jenks natural breaks, equal intervals.
//! Breaks are upper bounds (as in PySAL's mapclassify): a value is in class i when it is at most
//! `breaks[i]` and above `breaks[i-1]`.

/// A classification scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Equal counts (mapclassify `Quantiles`: percentiles with linear interpolation).
    Quantiles,
    /// Optimal natural breaks minimising within-class squared deviations (Fisher 1958;
    /// mapclassify `FisherJenks`).
    NaturalBreaks,
    /// Equal-width classes between the minimum and the maximum.
    EqualInterval,
}

impl Scheme {
    /// Parses `quantiles`, `natural-breaks` (`jenks`), `equal-interval`.
    pub fn parse(s: &str) -> Option<Scheme> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "quantiles" | "quantile" => Some(Scheme::Quantiles),
            "natural-breaks" | "jenks" | "fisher-jenks" | "natural" => Some(Scheme::NaturalBreaks),
            "equal-interval" | "equal" => Some(Scheme::EqualInterval),
            _ => None,
        }
    }

    /// Stable id.
    pub fn id(self) -> &'static str {
        match self {
            Scheme::Quantiles => "quantiles",
            Scheme::NaturalBreaks => "natural-breaks",
            Scheme::EqualInterval => "equal-interval",
        }
    }
}

/// Upper bounds of at most `k` classes of the finite values (duplicates removed, so fewer
/// classes are returned when the data have fewer distinct values). Empty for no data.
///
/// Fisher-Jenks: dynamic programme over the sorted values, O(k n²) time, O(k n) memory
/// (Fisher, W. D. (1958) On grouping for maximum homogeneity, *JASA* 53(284), 789-798,
/// doi:10.1080/01621459.1958.10501479). Quantiles: the (100·i/k)-th percentiles by linear
/// interpolation (Hyndman & Fan 1996 type 7, NumPy's default).
///
/// ```
/// use regis_viz::breaks::{breaks, Scheme};
/// let v = [1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 50.0];
/// assert_eq!(breaks(&v, 3, Scheme::NaturalBreaks), vec![3.0, 12.0, 50.0]);
/// assert_eq!(breaks(&v, 2, Scheme::EqualInterval), vec![25.5, 50.0]);
/// ```
pub fn breaks(values: &[f64], k: usize, scheme: Scheme) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() || k == 0 {
        return Vec::new();
    }
    v.sort_by(f64::total_cmp);
    let (min, max) = (v[0], v[v.len() - 1]);
    let mut out: Vec<f64> = match scheme {
        Scheme::EqualInterval => (1..=k)
            .map(|i| {
                if i == k {
                    max
                } else {
                    min + (max - min) * i as f64 / k as f64
                }
            })
            .collect(),
        Scheme::Quantiles => (1..=k)
            .map(|i| {
                let pos = (v.len() - 1) as f64 * i as f64 / k as f64;
                let lo = pos.floor() as usize;
                let hi = pos.ceil() as usize;
                v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
            })
            .collect(),
        Scheme::NaturalBreaks => fisher_jenks(&v, k),
    };
    out.dedup_by(|a, b| a == b);
    out
}

fn fisher_jenks(v: &[f64], k: usize) -> Vec<f64> {
    let n = v.len();
    let k = k.min(n);
    // Prefix sums for O(1) within-class sum of squared deviations of v[a..=b].
    let mut s1 = vec![0.0; n + 1];
    let mut s2 = vec![0.0; n + 1];
    for i in 0..n {
        s1[i + 1] = s1[i] + v[i];
        s2[i + 1] = s2[i] + v[i] * v[i];
    }
    let ssd = |a: usize, b: usize| {
        let m = (b - a + 1) as f64;
        let s = s1[b + 1] - s1[a];
        (s2[b + 1] - s2[a]) - s * s / m
    };
    // cost[j][i]: best cost of v[0..=i] in j+1 classes; from[j][i]: start of the last class.
    let mut cost = vec![vec![f64::INFINITY; n]; k];
    let mut from = vec![vec![0usize; n]; k];
    for (i, c) in cost[0].iter_mut().enumerate() {
        *c = ssd(0, i);
    }
    for j in 1..k {
        for i in j..n {
            for s in j..=i {
                let c = cost[j - 1][s - 1] + ssd(s, i);
                if c < cost[j][i] {
                    cost[j][i] = c;
                    from[j][i] = s;
                }
            }
        }
    }
    let mut uppers = Vec::with_capacity(k);
    let mut end = n - 1;
    for j in (0..k).rev() {
        uppers.push(v[end]);
        if j == 0 {
            break;
        }
        let s = from[j][end];
        end = s - 1;
    }
    uppers.reverse();
    uppers
}

/// Class of a value (0-based) given upper bounds; `None` for a non-finite value.
pub fn class_of(value: f64, upper_bounds: &[f64]) -> Option<usize> {
    if !value.is_finite() || upper_bounds.is_empty() {
        return None;
    }
    Some(
        upper_bounds
            .iter()
            .position(|b| value <= *b)
            .unwrap_or(upper_bounds.len() - 1),
    )
}

/// A sequential colour ramp for up to 9 classes (light to dark blue-green; ColorBrewer YlGnBu,
/// Brewer, C. A., www.ColorBrewer.org, Apache-2.0).
pub fn ramp(k: usize) -> Vec<&'static str> {
    const YLGNBU: [&str; 9] = [
        "#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494",
        "#081d58",
    ];
    match k {
        0 => Vec::new(),
        1 => vec![YLGNBU[4]],
        k if k >= 9 => YLGNBU.to_vec(),
        k => (0..k).map(|i| YLGNBU[(i * 8) / (k - 1)]).collect(),
    }
}
