//! Cluster mapping: industries grouped into clusters by given definitions (the US Cluster
//! Mapping NAICS table, or any mapping) or derived from co-location, validated, and each
//! region's cluster strength rated with European Cluster Observatory stars.
//!
//! Derivation, in the spirit of Delgado, M., Porter, M. E. & Stern, S. (2016) Defining
//! clusters of related industries, *Journal of Economic Geography* 16(1), 1-38,
//! doi:10.1093/jeg/lbv017: the similarity of two industries is the Pearson correlation across
//! regions of their regional shares (`c_ri = E_ri / E_.i`: do they locate in the same places?);
//! industries are grouped by average-linkage agglomerative clustering on the distance
//! `1 − similarity`, cut at k clusters; the partition is validated by the mean silhouette
//! (Rousseeuw, P. J. (1987) Silhouettes, *J. Comput. Appl. Math.* 20, 53-65,
//! doi:10.1016/0377-0427(87)90125-7) and by the ratio of the mean within-cluster to the mean
//! between-cluster similarity. This is a simplification of DPS 2016, which also uses
//! input-output and occupational links and compares many algorithms and parameters; it is named
//! as such in reports.
//!
//! Stars (European Cluster Observatory methodology: Ketels, C. & Protsiv, S. (2013) *Methodology
//! and findings report for a cluster mapping of related sectors*, European Cluster Observatory):
//! one star each for size (the region-cluster value is in the top 10% of all region-cluster
//! pairs), specialisation (LQ ≥ 2) and focus (the cluster's share of the region's total is in
//! the top 10% of all pairs). The Observatory's productivity star needs wages or value added
//! per worker; here focus stands in for it when only one measure is given.

use crate::specialisation::RegionIndustry;

/// Similarity of industries by co-location: Pearson correlation across regions of their
/// regional shares (industries × industries, row-major; 1 on the diagonal; 0 when an industry
/// has no variance).
///
/// ```
/// use regis_methods::clusters::colocation_similarity;
/// use regis_methods::specialisation::RegionIndustry;
/// let m = RegionIndustry::new(vec![10., 20., 1., 1., 2., 9., 0., 0., 8.], 3, 3).unwrap();
/// let s = colocation_similarity(&m);
/// assert!((s[0 * 3 + 1] - 1.0).abs() < 1e-12); // industries 0 and 1 locate alike
/// ```
pub fn colocation_similarity(m: &RegionIndustry) -> Vec<f64> {
    let (nr, ni) = (m.regions(), m.industries());
    let it = m.industry_totals();
    let shares: Vec<Vec<f64>> = (0..ni)
        .map(|i| {
            (0..nr)
                .map(|r| {
                    if it[i] > 0.0 {
                        m.get(r, i) / it[i]
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    let stats: Vec<(f64, f64)> = shares
        .iter()
        .map(|v| {
            let mean = v.iter().sum::<f64>() / nr as f64;
            (
                mean,
                v.iter().map(|x| (x - mean).powi(2)).sum::<f64>().sqrt(),
            )
        })
        .collect();
    let mut s = vec![0.0; ni * ni];
    for i in 0..ni {
        for j in 0..ni {
            s[i * ni + j] = if i == j {
                1.0
            } else if stats[i].1 > 0.0 && stats[j].1 > 0.0 {
                shares[i]
                    .iter()
                    .zip(&shares[j])
                    .map(|(a, b)| (a - stats[i].0) * (b - stats[j].0))
                    .sum::<f64>()
                    / (stats[i].1 * stats[j].1)
            } else {
                0.0
            };
        }
    }
    s
}

/// Average-linkage agglomerative clustering of n items on a distance matrix (row-major), cut at
/// `k` clusters. Labels are 0..k in order of each cluster's smallest member. Ties merge the
/// pair with the smallest indices. O(n³).
///
/// ```
/// use regis_methods::clusters::average_linkage;
/// let d = vec![0.0, 1.0, 9.0, 1.0, 0.0, 8.0, 9.0, 8.0, 0.0];
/// assert_eq!(average_linkage(&d, 3, 2), vec![0, 0, 1]);
/// ```
pub fn average_linkage(distance: &[f64], n: usize, k: usize) -> Vec<usize> {
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut d: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| distance[i * n + j]).collect())
        .collect();
    let mut alive: Vec<bool> = vec![true; n];
    let mut count = n;
    while count > k.max(1) {
        let mut best = (f64::INFINITY, 0, 0);
        for a in 0..n {
            if !alive[a] {
                continue;
            }
            for b in a + 1..n {
                if alive[b] && d[a][b] < best.0 {
                    best = (d[a][b], a, b);
                }
            }
        }
        let (_, a, b) = best;
        let (na, nb) = (members[a].len() as f64, members[b].len() as f64);
        for c in 0..n {
            if alive[c] && c != a && c != b {
                let v = (na * d[a][c] + nb * d[b][c]) / (na + nb);
                d[a][c] = v;
                d[c][a] = v;
            }
        }
        let mb = std::mem::take(&mut members[b]);
        members[a].extend(mb);
        alive[b] = false;
        count -= 1;
    }
    let mut groups: Vec<Vec<usize>> = members
        .into_iter()
        .zip(alive)
        .filter(|(_, a)| *a)
        .map(|(m, _)| m)
        .collect();
    for g in groups.iter_mut() {
        g.sort_unstable();
    }
    groups.sort_by_key(|g| g[0]);
    let mut labels = vec![0; n];
    for (l, g) in groups.iter().enumerate() {
        for &i in g {
            labels[i] = l;
        }
    }
    labels
}

/// Mean silhouette of a partition on a distance matrix: for each item,
/// `s = (b − a) / max(a, b)` with a the mean distance to its own cluster and b the smallest mean
/// distance to another cluster (0 for singletons, as scikit-learn does). O(n²).
pub fn silhouette(distance: &[f64], labels: &[usize]) -> f64 {
    let n = labels.len();
    let k = labels.iter().copied().max().map(|m| m + 1).unwrap_or(0);
    let mut total = 0.0;
    for i in 0..n {
        let mut sum = vec![0.0; k];
        let mut cnt = vec![0usize; k];
        for j in 0..n {
            if j != i {
                sum[labels[j]] += distance[i * n + j];
                cnt[labels[j]] += 1;
            }
        }
        let own = labels[i];
        if cnt[own] == 0 {
            continue;
        }
        let a = sum[own] / cnt[own] as f64;
        let b = (0..k)
            .filter(|&c| c != own && cnt[c] > 0)
            .map(|c| sum[c] / cnt[c] as f64)
            .fold(f64::INFINITY, f64::min);
        if b.is_finite() {
            total += (b - a) / a.max(b);
        }
    }
    total / n as f64
}

/// Mean similarity within clusters divided by the mean similarity between clusters (above 1:
/// clusters group industries that locate together).
pub fn within_between_ratio(similarity: &[f64], labels: &[usize]) -> Option<f64> {
    let n = labels.len();
    let (mut w, mut wn, mut b, mut bn) = (0.0, 0usize, 0.0, 0usize);
    for i in 0..n {
        for j in i + 1..n {
            if labels[i] == labels[j] {
                w += similarity[i * n + j];
                wn += 1;
            } else {
                b += similarity[i * n + j];
                bn += 1;
            }
        }
    }
    (wn > 0 && bn > 0 && b != 0.0).then(|| (w / wn as f64) / (b / bn as f64))
}

/// Sums industries into clusters: `labels[i]` is industry i's cluster (None: not in any).
/// Returns a region × cluster matrix.
pub fn aggregate(m: &RegionIndustry, labels: &[Option<usize>], clusters: usize) -> RegionIndustry {
    let mut v = vec![0.0; m.regions() * clusters];
    for r in 0..m.regions() {
        for (i, l) in labels.iter().enumerate() {
            if let Some(c) = l {
                v[r * clusters + c] += m.get(r, i);
            }
        }
    }
    RegionIndustry::new(v, m.regions(), clusters).expect("sums of valid values")
}

/// European Cluster Observatory stars of one region-cluster pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stars {
    /// Value in the top 10% of all region-cluster pairs.
    pub size: bool,
    /// Location quotient ≥ 2.
    pub specialisation: bool,
    /// Share of the region's total in the top 10% of all pairs.
    pub focus: bool,
}

impl Stars {
    /// Number of stars (0-3).
    pub fn count(self) -> usize {
        usize::from(self.size) + usize::from(self.specialisation) + usize::from(self.focus)
    }
}

/// Stars of every region × cluster (row-major) of a region × cluster matrix whose region totals
/// are `region_totals` (all activity, not only the clusters).
///
/// ```
/// use regis_methods::clusters::star_ratings;
/// use regis_methods::specialisation::RegionIndustry;
/// let m = RegionIndustry::new(vec![90., 0., 0., 95.], 2, 2).unwrap();
/// let s = star_ratings(&m, &[100.0, 100.0]);
/// assert!(s[0].specialisation && s[3].specialisation && !s[1].specialisation);
/// ```
pub fn star_ratings(m: &RegionIndustry, region_totals: &[f64]) -> Vec<Stars> {
    let (nr, nc) = (m.regions(), m.industries());
    let ct = m.industry_totals();
    let grand: f64 = region_totals.iter().sum();
    let values: Vec<f64> = (0..nr)
        .flat_map(|r| (0..nc).map(move |c| (r, c)))
        .map(|(r, c)| m.get(r, c))
        .collect();
    let focus: Vec<f64> = (0..nr)
        .flat_map(|r| (0..nc).map(move |c| (r, c)))
        .map(|(r, c)| {
            if region_totals[r] > 0.0 {
                m.get(r, c) / region_totals[r]
            } else {
                0.0
            }
        })
        .collect();
    let top10 = |v: &[f64]| -> f64 {
        let mut s = v.to_vec();
        s.sort_by(|a, b| b.total_cmp(a));
        let k = ((s.len() as f64) * 0.1).ceil().max(1.0) as usize;
        s[k - 1]
    };
    let (ts, tf) = (top10(&values), top10(&focus));
    (0..nr * nc)
        .map(|k| {
            let (r, c) = (k / nc, k % nc);
            let lq = if region_totals[r] > 0.0 && ct[c] > 0.0 && grand > 0.0 {
                (m.get(r, c) / region_totals[r]) / (ct[c] / grand)
            } else {
                0.0
            };
            Stars {
                size: values[k] > 0.0 && values[k] >= ts,
                specialisation: lq >= 2.0,
                focus: focus[k] > 0.0 && focus[k] >= tf,
            }
        })
        .collect()
}
