//! Multiregional input-output: where a region's multipliers arise and the regional accounts of
//! an extension (employment, emissions…), production- against consumption-based.
//!
//! Sectors are (region, sector) pairs; `region_of[i]` is sector i's region. With
//! `L = (I − A)⁻¹`, coefficients `s` of an extension per unit of output and final demand `Y`
//! (one column per consuming region):
//!
//! - region shares of sector j's output multiplier: `Σ_{i ∈ q} L_ij / Σ_i L_ij` for each
//!   region q; the in-region share is that of j's own region, the spill-over the rest
//!   (Miller & Blair 2009, §3.3, interregional feedbacks);
//! - accounts of region r, as pymrio's `calc_accounts` (Stadler et al. 2018, *Journal of
//!   Industrial Ecology* 22(3), doi:10.1111/jiec.12715): with `V = L Y`, production-based
//!   `Σ_{i ∈ r} s_i x_i` (`x = V 1`); consumption-based (footprint) `Σ_i s_i V_ir`; imports
//!   embodied `Σ_{i ∉ r} s_i V_ir`; exports embodied `Σ_{i ∈ r} s_i Σ_{c ≠ r} V_ic`. They
//!   balance: consumption = production − exports + imports.
//!
//! Both are computed from one LU of `I − A` and solves (no inverse): `R` row solves for the
//! shares, `R` column solves for the accounts. Complexity `2n³/3 + 4Rn²`.

use crate::linalg::Lu;

/// The accounts of one region.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegionAccounts {
    /// Extension used by the region's producers.
    pub production_based: f64,
    /// Extension used anywhere for the region's final demand (footprint).
    pub consumption_based: f64,
    /// Part of the footprint used in other regions.
    pub imports_embodied: f64,
    /// Extension the region's producers use for other regions' final demand.
    pub exports_embodied: f64,
}

/// `regions × n` shares: entry `(q, j)` is the share of sector j's output multiplier that
/// arises in region q.
///
/// ```
/// use regis_methods::io_multiregional::region_shares;
/// use regis_methods::linalg::Lu;
/// // Two regions of one sector; region 1 buys 0.2 from itself and 0.1 from region 2.
/// let a = [0.2, 0.3, 0.1, 0.4];
/// let m: Vec<f64> = (0..4).map(|k| if k % 3 == 0 { 1.0 - a[k] } else { -a[k] }).collect();
/// let shares = region_shares(&Lu::new(m, 2).unwrap(), &[0, 1], 2);
/// // L = [[0.6, 0.3], [0.1, 0.8]] / 0.45: sector 1's multiplier 1.5556, 6/7 of it at home.
/// assert!((shares[0] - 6.0 / 7.0).abs() < 1e-12 && (shares[2] - 1.0 / 7.0).abs() < 1e-12);
/// ```
pub fn region_shares(lu: &Lu, region_of: &[usize], regions: usize) -> Vec<f64> {
    let n = region_of.len();
    let mut rows = vec![0.0; (regions + 1) * n];
    for (i, &r) in region_of.iter().enumerate() {
        rows[r * n + i] = 1.0;
        rows[regions * n + i] = 1.0;
    }
    lu.solve_rows(&mut rows);
    let (by_region, total) = rows.split_at(regions * n);
    by_region
        .iter()
        .enumerate()
        .map(|(k, v)| {
            let t = total[k % n];
            if t != 0.0 {
                v / t
            } else {
                0.0
            }
        })
        .collect()
}

/// The accounts of every region for an extension with coefficients `s` (per unit of
/// output), final demand `y` (`regions` rows of n: row c is what region c's final demand
/// buys from each sector) and `region_of`.
///
/// ```
/// use regis_methods::io_multiregional::accounts;
/// use regis_methods::linalg::Lu;
/// let a = [0.2, 0.3, 0.1, 0.4];
/// let m: Vec<f64> = (0..4).map(|k| if k % 3 == 0 { 1.0 - a[k] } else { -a[k] }).collect();
/// // Each region buys 10 of its own product; one job per unit of output everywhere.
/// let acc = accounts(&Lu::new(m, 2).unwrap(), &[1.0, 1.0], &[10.0, 0.0, 0.0, 10.0], &[0, 1], 2);
/// for r in &acc {
///     let balance = r.production_based - r.exports_embodied + r.imports_embodied;
///     assert!((r.consumption_based - balance).abs() < 1e-9);
/// }
/// // Region 1's footprint: 10 × its multiplier 1.5556.
/// assert!((acc[0].consumption_based - 10.0 * 0.7 / 0.45).abs() < 1e-9);
/// ```
pub fn accounts(
    lu: &Lu,
    s: &[f64],
    y: &[f64],
    region_of: &[usize],
    regions: usize,
) -> Vec<RegionAccounts> {
    let n = region_of.len();
    let mut v = y.to_vec();
    lu.solve_columns(&mut v);
    let mut out = vec![
        RegionAccounts {
            production_based: 0.0,
            consumption_based: 0.0,
            imports_embodied: 0.0,
            exports_embodied: 0.0,
        };
        regions
    ];
    for (c, col) in v.chunks_exact(n).enumerate() {
        for (i, (&vi, &r)) in col.iter().zip(region_of).enumerate() {
            let e = s[i] * vi;
            out[r].production_based += e;
            out[c].consumption_based += e;
            if r != c {
                out[c].imports_embodied += e;
                out[r].exports_embodied += e;
            }
        }
    }
    out
}
