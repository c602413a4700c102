//! Shift-share analysis: the change of a region's industries decomposed into a national share,
//! an industry-mix effect and a competitive (regional) effect — classic (Dunn 1960), with the
//! Esteban-Marquillas (1972) split of the competitive effect, and dynamic (Barff & Knight 1988)
//! summing yearly decompositions. Components add up exactly to the change.
//!
//! Notation for a start year 0 and an end year 1: `E_ri` the value of industry i in region r,
//! `E_.i` the industry's national total, `E_..` the national total; growth rates
//! `g = E_..¹/E_..⁰ − 1`, `g_i = E_.i¹/E_.i⁰ − 1`, `g_ri = E_ri¹/E_ri⁰ − 1`. The "nation" is the
//! sum over the regions given.

/// The components of one region × industry cell (or of a region, summed over industries).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Components {
    /// Value at the start.
    pub start: f64,
    /// Value at the end.
    pub end: f64,
    /// National share `E_ri⁰ · g`.
    pub national: f64,
    /// Industry mix `E_ri⁰ · (g_i − g)`.
    pub industry_mix: f64,
    /// Competitive effect `E_ri⁰ · (g_ri − g_i)`; with Esteban-Marquillas this is the
    /// homothetic part `Ê_ri (g_ri − g_i)`.
    pub competitive: f64,
    /// Esteban-Marquillas allocation effect `(E_ri⁰ − Ê_ri)(g_ri − g_i)` (0 in the classic and
    /// dynamic methods).
    pub allocation: f64,
}

impl Components {
    /// The change the components explain: `end − start`.
    pub fn change(&self) -> f64 {
        self.end - self.start
    }

    /// Sum of the components (equal to the change up to rounding).
    pub fn sum(&self) -> f64 {
        self.national + self.industry_mix + self.competitive + self.allocation
    }

    fn add(&mut self, o: &Components) {
        self.start += o.start;
        self.end += o.end;
        self.national += o.national;
        self.industry_mix += o.industry_mix;
        self.competitive += o.competitive;
        self.allocation += o.allocation;
    }
}

/// Which decomposition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShiftShareMethod {
    /// Dunn (1960): national share, industry mix, competitive effect.
    Classic,
    /// Esteban-Marquillas (1972): the competitive effect split into a homothetic competitive
    /// effect and an allocation effect.
    EstebanMarquillas,
    /// Barff & Knight (1988): classic decompositions of every consecutive pair of years,
    /// summed; the base is updated every year.
    Dynamic,
}

impl ShiftShareMethod {
    /// Stable id (`classic`, `esteban-marquillas`, `dynamic`).
    pub fn id(self) -> &'static str {
        match self {
            ShiftShareMethod::Classic => "classic",
            ShiftShareMethod::EstebanMarquillas => "esteban-marquillas",
            ShiftShareMethod::Dynamic => "dynamic",
        }
    }
}

/// Result: one [`Components`] per region × industry (row-major), and per region.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftShare {
    /// Cells, `regions × industries`, row-major.
    pub cells: Vec<Components>,
    /// Region sums over industries.
    pub regions: Vec<Components>,
    /// Number of industries.
    pub industries: usize,
}

/// One year of a panel: values `E_ri` as a row-major regions × industries slice.
pub type YearMatrix<'a> = &'a [f64];

fn classic_step(start: &[f64], end: &[f64], nr: usize, ni: usize, em: bool) -> Vec<Components> {
    let tot0: f64 = start.iter().sum();
    let tot1: f64 = end.iter().sum();
    let g = if tot0 != 0.0 { tot1 / tot0 - 1.0 } else { 0.0 };
    let mut i0 = vec![0.0; ni];
    let mut i1 = vec![0.0; ni];
    let mut r0 = vec![0.0; nr];
    for r in 0..nr {
        for i in 0..ni {
            i0[i] += start[r * ni + i];
            i1[i] += end[r * ni + i];
            r0[r] += start[r * ni + i];
        }
    }
    let mut out = Vec::with_capacity(nr * ni);
    for r in 0..nr {
        for i in 0..ni {
            let (e0, e1) = (start[r * ni + i], end[r * ni + i]);
            let gi = if i0[i] != 0.0 {
                i1[i] / i0[i] - 1.0
            } else {
                0.0
            };
            let national = e0 * g;
            let industry_mix = e0 * (gi - g);
            // Competitive effect as the residual keeps the identity exact even where e0 = 0
            // (a new industry in the region: its whole growth is competitive).
            let competitive_total = (e1 - e0) - national - industry_mix;
            let (competitive, allocation) = if em {
                let homothetic = if tot0 != 0.0 {
                    r0[r] * i0[i] / tot0
                } else {
                    0.0
                };
                if e0 != 0.0 {
                    let gri_minus_gi = competitive_total / e0;
                    (homothetic * gri_minus_gi, (e0 - homothetic) * gri_minus_gi)
                } else {
                    (competitive_total, 0.0)
                }
            } else {
                (competitive_total, 0.0)
            };
            out.push(Components {
                start: e0,
                end: e1,
                national,
                industry_mix,
                competitive,
                allocation,
            });
        }
    }
    out
}

/// Decomposes the change between the first and the last of `years` (each a row-major
/// regions × industries matrix of values; all years the same shape, missing cells filled or
/// the region left out by the caller).
///
/// Formulas: classic `ΔE_ri = E_ri⁰ g + E_ri⁰ (g_i − g) + E_ri⁰ (g_ri − g_i)`;
/// Esteban-Marquillas with homothetic `Ê_ri = E_r.⁰ E_.i⁰ / E_..⁰`:
/// `E_ri⁰ (g_ri − g_i) = Ê_ri (g_ri − g_i) + (E_ri⁰ − Ê_ri)(g_ri − g_i)`; dynamic: the classic
/// decomposition of each pair (t, t+1), summed over t.
/// References: Dunn, E. S. (1960) A statistical and analytical technique for regional analysis,
/// *Papers in Regional Science* 6(1), 97-112, doi:10.1111/j.1435-5597.1960.tb01705.x;
/// Esteban-Marquillas, J. M. (1972) A reinterpretation of shift-share analysis, *Regional and
/// Urban Economics* 2(3), 249-255, doi:10.1016/0034-3331(72)90033-0; Barff, R. A. & Knight,
/// P. L. (1988) Dynamic shift-share analysis, *Growth and Change* 19(2), 1-10,
/// doi:10.1111/j.1468-2257.1988.tb00465.x.
/// Units: those of the values. Complexity: O(T·R·I).
///
/// ```
/// use regis_methods::shift_share::{shift_share, ShiftShareMethod};
/// // Two regions x two industries. The nation grows 40 -> 60 (g = 0.5); industry 0 grows
/// // 30 -> 50 (g_0 = 2/3); region 0's industry 0 grows 10 -> 20.
/// let y0 = [10.0, 10.0, 20.0, 0.0];
/// let y1 = [20.0, 10.0, 30.0, 0.0];
/// let s = shift_share(&[&y0, &y1], 2, 2, ShiftShareMethod::Classic);
/// let c = s.cells[0];
/// assert!((c.national - 5.0).abs() < 1e-12); // 10 x 0.5
/// assert!((c.industry_mix - 10.0 / 6.0).abs() < 1e-12); // 10 x (2/3 - 1/2)
/// assert!((c.competitive - 10.0 / 3.0).abs() < 1e-12); // 10 x (1 - 2/3)
/// assert!((c.sum() - c.change()).abs() < 1e-12);
/// ```
pub fn shift_share(
    years: &[YearMatrix],
    regions: usize,
    industries: usize,
    method: ShiftShareMethod,
) -> ShiftShare {
    let n = regions * industries;
    let mut cells = vec![Components::default(); n];
    if years.len() >= 2 {
        match method {
            ShiftShareMethod::Classic | ShiftShareMethod::EstebanMarquillas => {
                cells = classic_step(
                    years[0],
                    years[years.len() - 1],
                    regions,
                    industries,
                    method == ShiftShareMethod::EstebanMarquillas,
                );
            }
            ShiftShareMethod::Dynamic => {
                for w in years.windows(2) {
                    let step = classic_step(w[0], w[1], regions, industries, false);
                    for (c, s) in cells.iter_mut().zip(&step) {
                        c.national += s.national;
                        c.industry_mix += s.industry_mix;
                        c.competitive += s.competitive;
                    }
                }
                for (k, c) in cells.iter_mut().enumerate() {
                    c.start = years[0][k];
                    c.end = years[years.len() - 1][k];
                }
            }
        }
    }
    let mut by_region = vec![Components::default(); regions];
    for r in 0..regions {
        for i in 0..industries {
            by_region[r].add(&cells[r * industries + i]);
        }
    }
    ShiftShare {
        cells,
        regions: by_region,
        industries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    #[test]
    fn components_sum_to_the_change_for_every_method_and_random_panels() {
        let mut rng = Lcg(7);
        for case in 0..40 {
            let (nr, ni, nt) = (2 + case % 6, 1 + case % 5, 2 + case % 4);
            let years: Vec<Vec<f64>> = (0..nt)
                .map(|_| {
                    (0..nr * ni)
                        .map(|_| {
                            if rng.next() < 0.1 {
                                0.0
                            } else {
                                (rng.next() * 1000.0).round()
                            }
                        })
                        .collect()
                })
                .collect();
            let refs: Vec<&[f64]> = years.iter().map(|v| v.as_slice()).collect();
            for m in [
                ShiftShareMethod::Classic,
                ShiftShareMethod::EstebanMarquillas,
                ShiftShareMethod::Dynamic,
            ] {
                let s = shift_share(&refs, nr, ni, m);
                for c in s.cells.iter().chain(&s.regions) {
                    assert!(
                        (c.sum() - c.change()).abs() <= 1e-9 * c.change().abs().max(1.0),
                        "{m:?}: {c:?}"
                    );
                }
                // National components over all regions: the industry mix sums to 0 per
                // industry's weighted growth difference, the competitive effect sums to 0.
                if m != ShiftShareMethod::Dynamic {
                    let comp: f64 = s.regions.iter().map(|c| c.competitive + c.allocation).sum();
                    assert!(comp.abs() < 1e-6, "{m:?} competitive sums to {comp}");
                }
            }
        }
    }

    #[test]
    fn classic_with_two_years_equals_dynamic() {
        let y0 = [5.0, 3.0, 2.0, 7.0, 1.0, 4.0];
        let y1 = [6.0, 2.0, 4.0, 9.0, 1.0, 3.0];
        let a = shift_share(&[&y0, &y1], 3, 2, ShiftShareMethod::Classic);
        let b = shift_share(&[&y0, &y1], 3, 2, ShiftShareMethod::Dynamic);
        for (x, y) in a.cells.iter().zip(&b.cells) {
            assert!(
                (x.national - y.national).abs() < 1e-12
                    && (x.competitive - y.competitive).abs() < 1e-12
            );
        }
    }

    #[test]
    fn permuting_regions_permutes_results() {
        let y0 = [5.0, 3.0, 2.0, 7.0];
        let y1 = [6.0, 2.0, 4.0, 9.0];
        let a = shift_share(&[&y0, &y1], 2, 2, ShiftShareMethod::EstebanMarquillas);
        let b = shift_share(
            &[&[2.0, 7.0, 5.0, 3.0], &[4.0, 9.0, 6.0, 2.0]],
            2,
            2,
            ShiftShareMethod::EstebanMarquillas,
        );
        assert_eq!(a.regions[0], b.regions[1]);
    }
}
