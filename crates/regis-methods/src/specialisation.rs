//! Specialisation and concentration on a region × industry matrix `E` (employment, value added,
//! firms): location quotients (RCA), Krugman's specialisation and concentration indices,
//! Herfindahl-Hirschman, entropy, diversity and ubiquity, the locational Gini, and the
//! Ellison-Glaeser agglomeration and coagglomeration indices.
//!
//! Notation: `E_ri` the value of industry i in region r, `E_r.` the region's total, `E_.i`
//! the industry's total, `E_..` the grand total; `s_ri = E_ri/E_r.` (industry share in the
//! region), `s_i = E_.i/E_..` (national industry share), `x_r = E_r./E_..` (region's share of
//! the total), `c_ri = E_ri/E_.i` (region's share of the industry).
//!
//! Totals are computed from the matrix itself, so a matrix that omits industries (only
//! manufacturing) measures specialisation *within* those industries. Undefined cells (an empty
//! region or industry) are `None`, never a silent 0 or a NaN.

/// A dense region × industry matrix (row-major: regions in rows).
#[derive(Debug, Clone, PartialEq)]
pub struct RegionIndustry {
    values: Vec<f64>,
    regions: usize,
    industries: usize,
}

/// Why a matrix could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpecialisationError {
    /// Dimensions and data do not agree.
    #[error("{values} values for a {regions} x {industries} matrix")]
    Shape {
        /// Values given.
        values: usize,
        /// Regions.
        regions: usize,
        /// Industries.
        industries: usize,
    },
    /// A value is negative or not finite.
    #[error("value at region {region}, industry {industry} is {value}: expected a finite number >= 0 (missing cells must be filled or the region left out)")]
    Value {
        /// Region index.
        region: usize,
        /// Industry index.
        industry: usize,
        /// The value.
        value: f64,
    },
}

impl RegionIndustry {
    /// Builds and checks a matrix (values ≥ 0, finite).
    pub fn new(
        values: Vec<f64>,
        regions: usize,
        industries: usize,
    ) -> Result<Self, SpecialisationError> {
        if values.len() != regions * industries {
            return Err(SpecialisationError::Shape {
                values: values.len(),
                regions,
                industries,
            });
        }
        if let Some(k) = values.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
            return Err(SpecialisationError::Value {
                region: k / industries,
                industry: k % industries,
                value: values[k],
            });
        }
        Ok(RegionIndustry {
            values,
            regions,
            industries,
        })
    }

    /// Number of regions.
    pub fn regions(&self) -> usize {
        self.regions
    }

    /// Number of industries.
    pub fn industries(&self) -> usize {
        self.industries
    }

    /// `E_ri`.
    pub fn get(&self, r: usize, i: usize) -> f64 {
        self.values[r * self.industries + i]
    }

    /// Region totals `E_r.`.
    pub fn region_totals(&self) -> Vec<f64> {
        (0..self.regions)
            .map(|r| {
                self.values[r * self.industries..(r + 1) * self.industries]
                    .iter()
                    .sum()
            })
            .collect()
    }

    /// Industry totals `E_.i`.
    pub fn industry_totals(&self) -> Vec<f64> {
        let mut t = vec![0.0; self.industries];
        for r in 0..self.regions {
            for (i, ti) in t.iter_mut().enumerate() {
                *ti += self.get(r, i);
            }
        }
        t
    }

    /// Grand total `E_..`.
    pub fn total(&self) -> f64 {
        self.values.iter().sum()
    }
}

/// Location quotient (Balassa's revealed comparative advantage):
/// `LQ_ri = (E_ri/E_r.) / (E_.i/E_..)`. A value above 1 means the region is relatively
/// specialised in the industry. `None` where the region or the industry is empty.
///
/// Identity: `Σ_r x_r · LQ_ri = 1` for every industry (share-weighted LQs average to 1).
/// Reference: Balassa, B. (1965) Trade liberalisation and "revealed" comparative advantage,
/// *The Manchester School* 33(2), 99-123, doi:10.1111/j.1467-9957.1965.tb00050.x.
/// Units: dimensionless ratio. Complexity: O(R·I).
///
/// ```
/// use regis_methods::specialisation::{location_quotients, RegionIndustry};
/// // Seoul and the rest of Korea, manufacturing vs everything else, GRDP 2001 (million KRW):
/// // Seoul 9,614,841 of 172,078,117; Korea 175,213,558 of 691,322,951 in manufacturing.
/// let m = RegionIndustry::new(vec![9_614_841., 162_463_276., 165_598_717., 353_646_117.], 2, 2).unwrap();
/// let lq = location_quotients(&m);
/// assert!((lq[0].unwrap() - (9_614_841. / 172_078_117.) / (175_213_558. / 691_322_951.)).abs() < 1e-12);
/// assert!(lq[0].unwrap() < 0.23); // Seoul is not a manufacturing region
/// ```
pub fn location_quotients(m: &RegionIndustry) -> Vec<Option<f64>> {
    let rt = m.region_totals();
    let it = m.industry_totals();
    let t = m.total();
    let mut out = Vec::with_capacity(m.values.len());
    for (r, &er) in rt.iter().enumerate() {
        for (i, &ei) in it.iter().enumerate() {
            out.push(location_quotient(m.get(r, i), er, ei, t));
        }
    }
    out
}

/// One location quotient from totals: `LQ = (x / region_total) / (industry_total /
/// grand_total)`, where the totals may come from a reference other than the industries
/// compared (a region's GVA total, say). `None` when a total is not positive. Formula and
/// reference as [`location_quotients`]. Complexity: O(1).
///
/// ```
/// use regis_methods::specialisation::location_quotient;
/// // Seoul's manufacturing GRDP 2001 against Korea's (million KRW).
/// let lq = location_quotient(9_614_841., 172_078_117., 175_213_558., 691_322_951.).unwrap();
/// assert!((lq - 0.220_459_96).abs() < 1e-8);
/// assert_eq!(location_quotient(1.0, 0.0, 1.0, 1.0), None);
/// ```
pub fn location_quotient(
    x: f64,
    region_total: f64,
    industry_total: f64,
    grand_total: f64,
) -> Option<f64> {
    (region_total > 0.0 && industry_total > 0.0 && grand_total > 0.0)
        .then(|| (x / region_total) / (industry_total / grand_total))
}

/// Binary specialisation `M_ri = 1` when `LQ_ri ≥ threshold` (1 by convention), the matrix
/// behind diversity and ubiquity.
pub fn specialisation_matrix(m: &RegionIndustry, threshold: f64) -> Vec<bool> {
    location_quotients(m)
        .into_iter()
        .map(|lq| lq.is_some_and(|v| v >= threshold))
        .collect()
}

/// Diversity of each region: the number of industries with `LQ ≥ threshold`.
///
/// Reference: Hidalgo, C. A. & Hausmann, R. (2009) The building blocks of economic complexity,
/// *PNAS* 106(26), 10570-10575, doi:10.1073/pnas.0900943106. Complexity: O(R·I).
///
/// ```
/// use regis_methods::specialisation::{diversity, ubiquity, RegionIndustry};
/// let m = RegionIndustry::new(vec![10., 0., 5., 5.], 2, 2).unwrap();
/// assert_eq!(diversity(&m, 1.0), vec![1, 1]);
/// assert_eq!(ubiquity(&m, 1.0), vec![1, 1]);
/// ```
pub fn diversity(m: &RegionIndustry, threshold: f64) -> Vec<usize> {
    let b = specialisation_matrix(m, threshold);
    (0..m.regions)
        .map(|r| {
            b[r * m.industries..(r + 1) * m.industries]
                .iter()
                .filter(|x| **x)
                .count()
        })
        .collect()
}

/// Ubiquity of each industry: the number of regions with `LQ ≥ threshold`.
pub fn ubiquity(m: &RegionIndustry, threshold: f64) -> Vec<usize> {
    let b = specialisation_matrix(m, threshold);
    (0..m.industries)
        .map(|i| (0..m.regions).filter(|&r| b[r * m.industries + i]).count())
        .collect()
}

/// Krugman specialisation index of each region: `K_r = Σ_i |s_ri − s_i|`, from 0 (the region's
/// structure equals the nation's) to 2. As in EconGeo's `krugman_index` (no factor ½).
///
/// Reference: Krugman, P. (1991) *Geography and Trade*, MIT Press, ISBN 978-0-262-61086-9.
/// Complexity: O(R·I).
///
/// ```
/// use regis_methods::specialisation::{krugman_specialisation, RegionIndustry};
/// let m = RegionIndustry::new(vec![10., 0., 0., 10.], 2, 2).unwrap();
/// assert_eq!(krugman_specialisation(&m), vec![Some(1.0), Some(1.0)]);
/// ```
pub fn krugman_specialisation(m: &RegionIndustry) -> Vec<Option<f64>> {
    let rt = m.region_totals();
    let it = m.industry_totals();
    let t = m.total();
    rt.iter()
        .enumerate()
        .map(|(r, &er)| {
            (er > 0.0 && t > 0.0).then(|| {
                (0..m.industries)
                    .map(|i| (m.get(r, i) / er - it[i] / t).abs())
                    .sum()
            })
        })
        .collect()
}

/// Krugman concentration index of each industry: `C_i = Σ_r |c_ri − x_r|`, the distance between
/// the industry's regional distribution and the regional distribution of all activity (0 to 2).
///
/// Reference: Krugman (1991). Complexity: O(R·I).
pub fn krugman_concentration(m: &RegionIndustry) -> Vec<Option<f64>> {
    let rt = m.region_totals();
    let it = m.industry_totals();
    let t = m.total();
    it.iter()
        .enumerate()
        .map(|(i, &ei)| {
            (ei > 0.0 && t > 0.0).then(|| {
                (0..m.regions)
                    .map(|r| (m.get(r, i) / ei - rt[r] / t).abs())
                    .sum()
            })
        })
        .collect()
}

/// Herfindahl-Hirschman index of each region's industry structure: `H_r = Σ_i s_ri²`
/// (1/I for a perfectly even structure, 1 for a single industry).
///
/// Reference: Hirschman, A. O. (1964) The paternity of an index, *American Economic Review*
/// 54(5), 761. Complexity: O(R·I).
///
/// ```
/// use regis_methods::specialisation::{herfindahl_regions, RegionIndustry};
/// let m = RegionIndustry::new(vec![1., 1., 1., 1., 4., 0., 0., 0.], 2, 4).unwrap();
/// assert_eq!(herfindahl_regions(&m), vec![Some(0.25), Some(1.0)]);
/// ```
pub fn herfindahl_regions(m: &RegionIndustry) -> Vec<Option<f64>> {
    let rt = m.region_totals();
    rt.iter()
        .enumerate()
        .map(|(r, &er)| {
            (er > 0.0).then(|| (0..m.industries).map(|i| (m.get(r, i) / er).powi(2)).sum())
        })
        .collect()
}

/// Herfindahl-Hirschman index of each industry's regional distribution: `H_i = Σ_r c_ri²`.
pub fn herfindahl_industries(m: &RegionIndustry) -> Vec<Option<f64>> {
    let it = m.industry_totals();
    it.iter()
        .enumerate()
        .map(|(i, &ei)| {
            (ei > 0.0).then(|| (0..m.regions).map(|r| (m.get(r, i) / ei).powi(2)).sum())
        })
        .collect()
}

/// Shannon entropy of each region's industry structure: `H_r = −Σ_i s_ri ln s_ri` (natural log;
/// 0 for one industry, ln I for an even structure). Empty industries contribute 0.
///
/// Reference: Shannon, C. E. (1948) A mathematical theory of communication, *Bell System
/// Technical Journal* 27(3), 379-423, doi:10.1002/j.1538-7305.1948.tb01338.x; Frenken, K., Van
/// Oort, F. & Verburg, T. (2007) Related variety, unrelated variety and regional economic growth,
/// *Regional Studies* 41(5), 685-697, doi:10.1080/00343400601120296. Complexity: O(R·I).
///
/// ```
/// use regis_methods::specialisation::{entropy_regions, RegionIndustry};
/// let m = RegionIndustry::new(vec![1., 1., 1., 1.], 1, 4).unwrap();
/// assert!((entropy_regions(&m)[0].unwrap() - 4f64.ln()).abs() < 1e-15);
/// ```
pub fn entropy_regions(m: &RegionIndustry) -> Vec<Option<f64>> {
    let rt = m.region_totals();
    rt.iter()
        .enumerate()
        .map(|(r, &er)| {
            (er > 0.0).then(|| {
                -(0..m.industries)
                    .map(|i| m.get(r, i) / er)
                    .filter(|s| *s > 0.0)
                    .map(|s| s * s.ln())
                    .sum::<f64>()
            })
        })
        .collect()
}

/// Locational Gini of each industry (Krugman 1991): regions sorted by their location quotient,
/// the area between the diagonal and the curve of the cumulative share of the industry against
/// the cumulative share of all activity, computed as EconGeo's `locational.Gini`:
/// `G_i = ½ Σ_{k≥1} (C_k P_{k−1} − C_{k−1} P_k)` with `C`, `P` the cumulative industry and
/// total shares in LQ order. 0 when the industry is spread like all activity; at most ½.
///
/// Reference: Krugman (1991), ch. 2. Complexity: O(I·R log R).
///
/// ```
/// use regis_methods::specialisation::{locational_gini, RegionIndustry};
/// // An industry located like total activity has a locational Gini of 0.
/// let m = RegionIndustry::new(vec![2., 4., 1., 2.], 2, 2).unwrap();
/// assert!(locational_gini(&m)[0].unwrap().abs() < 1e-15);
/// ```
pub fn locational_gini(m: &RegionIndustry) -> Vec<Option<f64>> {
    let rt = m.region_totals();
    let t = m.total();
    (0..m.industries)
        .map(|i| {
            let ei: f64 = (0..m.regions).map(|r| m.get(r, i)).sum();
            if ei <= 0.0 || t <= 0.0 {
                return None;
            }
            let mut order: Vec<usize> = (0..m.regions).filter(|&r| rt[r] > 0.0).collect();
            order.sort_by(|&a, &b| (m.get(a, i) / rt[a]).total_cmp(&(m.get(b, i) / rt[b])));
            let (mut ci, mut cp) = (
                Vec::with_capacity(order.len()),
                Vec::with_capacity(order.len()),
            );
            let (mut a, mut b) = (0.0, 0.0);
            for &r in &order {
                a += m.get(r, i) / ei;
                b += rt[r] / t;
                ci.push(a);
                cp.push(b);
            }
            let s: f64 = (1..ci.len())
                .map(|k| ci[k] * cp[k - 1] - ci[k - 1] * cp[k])
                .sum();
            Some(s / 2.0)
        })
        .collect()
}

/// Ellison-Glaeser agglomeration index of one industry ("dartboard" model).
///
/// Formula: `γ = (G − (1 − Σ_r x_r²) H) / ((1 − Σ_r x_r²)(1 − H))` with the raw geographic
/// concentration `G = Σ_r (c_r − x_r)²` (`c_r` the region's share of the industry, `x_r` its
/// share of all activity) and `H` the plant Herfindahl of the industry (`Σ_k z_k²` over its
/// plants' employment shares). `γ = 0` is the dartboard benchmark; above 0 agglomeration.
/// Without plant data `H` is taken as 0 (a simplification, reported by callers): γ then
/// overstates agglomeration in industries of few large plants.
/// Reference: Ellison, G. & Glaeser, E. L. (1997) Geographic concentration in U.S.
/// manufacturing industries: a dartboard approach, *Journal of Political Economy* 105(5),
/// 889-927, doi:10.1086/262098. Complexity: O(R).
///
/// ```
/// use regis_methods::specialisation::ellison_glaeser;
/// // Industry shares equal to activity shares and no plant concentration: γ = 0.
/// let g = ellison_glaeser(&[0.5, 0.3, 0.2], &[0.5, 0.3, 0.2], 0.0).unwrap();
/// assert!(g.abs() < 1e-15);
/// ```
pub fn ellison_glaeser(
    industry_shares: &[f64],
    activity_shares: &[f64],
    plant_herfindahl: f64,
) -> Option<f64> {
    let g: f64 = industry_shares
        .iter()
        .zip(activity_shares)
        .map(|(c, x)| (c - x).powi(2))
        .sum();
    let sx2: f64 = activity_shares.iter().map(|x| x * x).sum();
    let den = (1.0 - sx2) * (1.0 - plant_herfindahl);
    (den.abs() > 0.0).then(|| (g - (1.0 - sx2) * plant_herfindahl) / den)
}

/// Ellison-Glaeser coagglomeration index of a group of industries.
///
/// Formula (EG 1997, eq. 14): `γ^c = [G/(1 − Σ x_r²) − H − Σ_j γ_j w_j² (1 − H_j)] /
/// (1 − Σ_j w_j²)`, with `G` the raw concentration of the group as a whole, `H = Σ_j w_j² H_j`
/// the group's plant Herfindahl, `w_j` industry j's share of the group, `γ_j` and `H_j` each
/// industry's own index and plant Herfindahl.
/// Reference: Ellison & Glaeser (1997), doi:10.1086/262098. Complexity: O(R·J).
///
/// `industries` holds, per industry j, its regional values `E_rj`; `activity_shares` are `x_r`;
/// `plant_herfindahl[j]` is `H_j` (0 when unknown).
pub fn ellison_glaeser_coagglomeration(
    industries: &[Vec<f64>],
    activity_shares: &[f64],
    plant_herfindahl: &[f64],
) -> Option<f64> {
    let totals: Vec<f64> = industries.iter().map(|v| v.iter().sum()).collect();
    let group_total: f64 = totals.iter().sum();
    if group_total <= 0.0 || industries.len() < 2 {
        return None;
    }
    let w: Vec<f64> = totals.iter().map(|t| t / group_total).collect();
    let regions = activity_shares.len();
    let group_shares: Vec<f64> = (0..regions)
        .map(|r| industries.iter().map(|v| v[r]).sum::<f64>() / group_total)
        .collect();
    let g: f64 = group_shares
        .iter()
        .zip(activity_shares)
        .map(|(c, x)| (c - x).powi(2))
        .sum();
    let sx2: f64 = activity_shares.iter().map(|x| x * x).sum();
    let h: f64 = w
        .iter()
        .zip(plant_herfindahl)
        .map(|(wj, hj)| wj * wj * hj)
        .sum();
    let mut own = 0.0;
    for (j, v) in industries.iter().enumerate() {
        if totals[j] <= 0.0 {
            continue;
        }
        let c: Vec<f64> = v.iter().map(|e| e / totals[j]).collect();
        let gj = ellison_glaeser(&c, activity_shares, plant_herfindahl[j])?;
        own += gj * w[j] * w[j] * (1.0 - plant_herfindahl[j]);
    }
    let sw2: f64 = w.iter().map(|x| x * x).sum();
    let den = 1.0 - sw2;
    (den > 0.0 && sx2 < 1.0).then(|| (g / (1.0 - sx2) - h - own) / den)
}

/// Plant Herfindahl of an industry from its plants' sizes: `H = Σ_k (e_k / Σ e)²`.
pub fn plant_herfindahl(plant_sizes: &[f64]) -> Option<f64> {
    let t: f64 = plant_sizes.iter().sum();
    (t > 0.0).then(|| plant_sizes.iter().map(|e| (e / t).powi(2)).sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m() -> RegionIndustry {
        RegionIndustry::new(
            vec![
                100., 0., 0., 0., 0., 0., 15., 5., 70., 10., 0., 20., 10., 20., 50., 0., 25., 30.,
                5., 40., 0., 40., 55., 5., 0.,
            ],
            5,
            5,
        )
        .unwrap()
    }

    #[test]
    fn share_weighted_lqs_average_to_one() {
        let m = m();
        let lq = location_quotients(&m);
        let rt = m.region_totals();
        let t = m.total();
        for i in 0..5 {
            let s: f64 = (0..5).map(|r| rt[r] / t * lq[r * 5 + i].unwrap()).sum();
            assert!((s - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn permuting_regions_permutes_results() {
        let a = m();
        let mut v = Vec::new();
        for r in (0..5).rev() {
            for i in 0..5 {
                v.push(a.get(r, i));
            }
        }
        let b = RegionIndustry::new(v, 5, 5).unwrap();
        let (ka, kb) = (krugman_specialisation(&a), krugman_specialisation(&b));
        let (ha, hb) = (herfindahl_regions(&a), herfindahl_regions(&b));
        for r in 0..5 {
            assert_eq!(ka[r], kb[4 - r]);
            assert_eq!(ha[r], hb[4 - r]);
        }
        let (la, lb) = (locational_gini(&a), locational_gini(&b));
        for i in 0..5 {
            assert!((la[i].unwrap() - lb[i].unwrap()).abs() < 1e-12);
        }
    }

    #[test]
    fn locational_gini_is_between_zero_and_half_and_one_region_industry_is_concentrated() {
        let g = locational_gini(&m());
        assert!(g.iter().all(|x| x.unwrap() >= -1e-12 && x.unwrap() <= 0.5));
        // Industry 1 lives only in region 1 (which holds 20% of activity): strongly localised.
        assert!(g[0].unwrap() > 0.35);
    }

    #[test]
    fn eg_coagglomeration_of_identical_industries_equals_their_agglomeration() {
        // Two industries with the same regional shares and no plant concentration.
        let x = [0.4, 0.35, 0.25];
        let a = vec![80.0, 10.0, 10.0];
        let b = vec![40.0, 5.0, 5.0];
        let ga = ellison_glaeser(&[0.8, 0.1, 0.1], &x, 0.0).unwrap();
        let gc = ellison_glaeser_coagglomeration(&[a, b], &x, &[0.0, 0.0]).unwrap();
        assert!((ga - gc).abs() < 1e-12, "{ga} vs {gc}");
    }

    #[test]
    fn bad_matrices_are_refused_and_empty_rows_are_undefined() {
        assert!(RegionIndustry::new(vec![1.0], 1, 2).is_err());
        assert!(RegionIndustry::new(vec![1.0, -2.0], 1, 2).is_err());
        assert!(RegionIndustry::new(vec![1.0, f64::NAN], 1, 2).is_err());
        let z = RegionIndustry::new(vec![0.0, 0.0, 1.0, 1.0], 2, 2).unwrap();
        assert_eq!(krugman_specialisation(&z)[0], None);
        assert_eq!(location_quotients(&z)[0], None);
        assert_eq!(entropy_regions(&z)[0], None);
    }
}
