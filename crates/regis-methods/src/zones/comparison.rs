//! Comparing zones with administrative regions: the adjusted Rand index and the share of each
//! zone inside one region.

/// Adjusted Rand index of two partitions of the same units (1 = identical, about 0 = as
/// alike as chance). Hubert, L. & Arabie, P. (1985), "Comparing partitions", *Journal of
/// Classification* 2, 193-218, doi:10.1007/BF01908075. From the contingency table `n_ij`
/// with row sums `a_i`, column sums `b_j` and `C(x) = x(x−1)/2`:
/// `ARI = (Σ C(n_ij) − E) / (½(Σ C(a_i) + Σ C(b_j)) − E)`, `E = Σ C(a_i) Σ C(b_j) / C(n)`.
/// Two identical one-block (or all-singleton) partitions give 1. O(n) time.
///
/// ```
/// use regis_methods::zones::adjusted_rand_index;
/// assert_eq!(adjusted_rand_index(&[0, 0, 1, 1], &[5, 5, 7, 7]), 1.0);
/// let ari = adjusted_rand_index(&[0, 0, 0, 1, 1, 1], &[0, 0, 1, 1, 2, 2]);
/// assert!((ari - 0.24242424242424243).abs() < 1e-15);
/// ```
pub fn adjusted_rand_index(a: &[usize], b: &[usize]) -> f64 {
    assert_eq!(a.len(), b.len(), "partitions of the same units");
    let c2 = |x: f64| x * (x - 1.0) / 2.0;
    let mut table: std::collections::HashMap<(usize, usize), f64> = Default::default();
    let mut rows: std::collections::HashMap<usize, f64> = Default::default();
    let mut cols: std::collections::HashMap<usize, f64> = Default::default();
    for (&x, &y) in a.iter().zip(b) {
        *table.entry((x, y)).or_default() += 1.0;
        *rows.entry(x).or_default() += 1.0;
        *cols.entry(y).or_default() += 1.0;
    }
    let index: f64 = table.values().map(|&v| c2(v)).sum();
    let sa: f64 = rows.values().map(|&v| c2(v)).sum();
    let sb: f64 = cols.values().map(|&v| c2(v)).sum();
    let expected = sa * sb / c2(a.len() as f64);
    let max = 0.5 * (sa + sb);
    if max == expected {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

/// Functional zones against administrative regions.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneComparison {
    /// Zones whose units lie in more than one administrative region.
    pub zones_crossing: usize,
    /// Number of zones.
    pub zones: usize,
    /// Number of administrative regions.
    pub regions: usize,
    /// Adjusted Rand index of the two partitions.
    pub adjusted_rand_index: f64,
    /// Share of flows inside a zone.
    pub share_inside_zones: f64,
    /// Share of flows inside an administrative region.
    pub share_inside_regions: f64,
}

/// Compares a zone partition with administrative regions of the same units on the flows.
pub fn compare_with_regions(
    zone_of: &[usize],
    region_of: &[usize],
    flows: &[(usize, usize, f64)],
) -> ZoneComparison {
    let mut members: std::collections::HashMap<usize, std::collections::BTreeSet<usize>> =
        Default::default();
    for (&z, &r) in zone_of.iter().zip(region_of) {
        members.entry(z).or_default().insert(r);
    }
    let total: f64 = flows.iter().map(|f| f.2).sum();
    let share = |of: &[usize]| {
        if total > 0.0 {
            flows
                .iter()
                .filter(|f| of[f.0] == of[f.1])
                .map(|f| f.2)
                .sum::<f64>()
                / total
        } else {
            0.0
        }
    };
    let regions: std::collections::BTreeSet<usize> = region_of.iter().copied().collect();
    ZoneComparison {
        zones_crossing: members.values().filter(|s| s.len() > 1).count(),
        zones: members.len(),
        regions: regions.len(),
        adjusted_rand_index: adjusted_rand_index(zone_of, region_of),
        share_inside_zones: share(zone_of),
        share_inside_regions: share(region_of),
    }
}
