//! Economic complexity and relatedness on a binary region × industry specialisation matrix
//! `M` (`M_ri = 1` when `RCA_ri ≥ 1`): diversity and ubiquity, the Economic Complexity Index of
//! regions (ECI) and the Product (industry) Complexity Index (PCI) by the eigenvector method and
//! by the method of reflections, proximity, relatedness density, complexity outlook (COI) and
//! outlook gain (COG); relatedness by co-occurrence, cosine and association strength.
//!
//! Conventions follow py-ecomplexity (Harvard Growth Lab) so that numbers agree:
//! * ECI and PCI come from the eigenvector of the second-largest eigenvalue of
//!   `M̃ = U⁻¹ Mᵀ D⁻¹ M` (D, U: diversity and ubiquity). **Sign convention:** an eigenvector's
//!   sign is arbitrary; it is fixed so that ECI correlates positively with diversity (more
//!   diverse regions are more complex), and PCI takes the same sign.
//! * ECI is standardised (mean 0, population sd 1); PCI is standardised with ECI's mean and sd
//!   (so both share one scale); COI is standardised; COG is divided by ECI's sd.
//! * Regions with diversity 0 and industries with ubiquity 0 get no ECI/PCI (None).
//!
//! The presence matrix is stored sparsely (a list of industries per region) and the
//! eigenvector iteration touches only its non-zeros; density, COI and COG are dense outputs.
//! Only the needed eigenvector is computed, on the symmetric similar matrix
//! `S = U^{−½} Mᵀ D⁻¹ M U^{−½}`: its top eigenvector `U^{½}1` (eigenvalue 1) is known, so
//! power iteration on S deflated by it converges to the second; `kp = U^{−½} v`.
//! Complexity: O(nnz(M) · iterations) for the eigenvector; O(R · P²) for density.
//! Reference: Hidalgo, C. A. & Hausmann, R. (2009) The building blocks of economic complexity,
//! *PNAS* 106(26), 10570-10575, doi:10.1073/pnas.0900943106; Hausmann, R., Hidalgo, C. A. et al.
//! (2014) *The Atlas of Economic Complexity*, MIT Press, doi:10.7551/mitpress/9647.001.0001;
//! Hidalgo, C. A., Klinger, B., Barabási, A.-L. & Hausmann, R. (2007) The product space
//! conditions the development of nations, *Science* 317(5837), 482-487,
//! doi:10.1126/science.1144581.

use regis_core::Diagnostic;

/// A binary region × industry matrix, stored sparsely: for each region the sorted list of the
/// industries it is specialised in (memory O(nnz)).
#[derive(Debug, Clone, PartialEq)]
pub struct Presence {
    rows: Vec<Vec<u32>>,
    industries: usize,
}

impl Presence {
    /// From a row-major boolean matrix (regions in rows).
    pub fn new(m: Vec<bool>, regions: usize, industries: usize) -> Presence {
        assert_eq!(m.len(), regions * industries, "matrix shape");
        let rows = (0..regions)
            .map(|r| {
                (0..industries)
                    .filter(|&i| m[r * industries + i])
                    .map(|i| i as u32)
                    .collect()
            })
            .collect();
        Presence { rows, industries }
    }

    /// From (region, industry) pairs of a sparse matrix; duplicates are merged.
    pub fn from_pairs(
        regions: usize,
        industries: usize,
        pairs: impl IntoIterator<Item = (usize, usize)>,
    ) -> Presence {
        let mut rows: Vec<Vec<u32>> = vec![Vec::new(); regions];
        for (r, i) in pairs {
            assert!(r < regions && i < industries, "pair outside the matrix");
            rows[r].push(i as u32);
        }
        for row in rows.iter_mut() {
            row.sort_unstable();
            row.dedup();
        }
        Presence { rows, industries }
    }

    /// `M_ri`.
    pub fn get(&self, r: usize, i: usize) -> bool {
        self.rows[r].binary_search(&(i as u32)).is_ok()
    }

    /// The industries region r is specialised in.
    pub fn row(&self, r: usize) -> impl Iterator<Item = usize> + '_ {
        self.rows[r].iter().map(|&i| i as usize)
    }

    /// Regions.
    pub fn regions(&self) -> usize {
        self.rows.len()
    }

    /// Industries.
    pub fn industries(&self) -> usize {
        self.industries
    }

    /// Diversity of each region.
    pub fn diversity(&self) -> Vec<usize> {
        self.rows.iter().map(|r| r.len()).collect()
    }

    /// Ubiquity of each industry.
    pub fn ubiquity(&self) -> Vec<usize> {
        let mut u = vec![0; self.industries];
        for row in &self.rows {
            for &i in row {
                u[i as usize] += 1;
            }
        }
        u
    }
}

/// Results of the complexity analysis of one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Complexity {
    /// ECI of each region (standardised), None when its diversity is 0.
    pub eci: Vec<Option<f64>>,
    /// PCI of each industry (standardised with ECI's mean and sd), None when its ubiquity is 0.
    pub pci: Vec<Option<f64>>,
    /// Proximity matrix φ (industries × industries, row-major).
    pub proximity: Vec<f64>,
    /// Relatedness density of each region × industry (row-major), 0 to 1.
    pub density: Vec<f64>,
    /// Complexity outlook index of each region (standardised).
    pub coi: Vec<Option<f64>>,
    /// Complexity outlook gain of each region × industry (row-major), divided by ECI's sd.
    pub cog: Vec<f64>,
    /// The second eigenvalue of M̃.
    pub eigenvalue: f64,
    /// Power iterations used for the eigenvector.
    pub iterations: usize,
    /// Notes (empty regions or industries, slow convergence).
    pub diagnostics: Vec<Diagnostic>,
}

/// Proximity `φ_ij = C_ij / max(U_i, U_j)` with co-occurrence `C = MᵀM`: the minimum of the two
/// conditional probabilities of being specialised in one industry given the other (Hidalgo et
/// al. 2007). φ_ii = 1 for a present industry; 0 where an industry is absent everywhere.
///
/// ```
/// use regis_methods::complexity::{proximity, Presence};
/// let m = Presence::new(vec![true, true, true, false, false, true], 3, 2);
/// let phi = proximity(&m);
/// assert_eq!(phi, vec![1.0, 0.5, 0.5, 1.0]);
/// ```
pub fn proximity(m: &Presence) -> Vec<f64> {
    let p = m.industries();
    let u = m.ubiquity();
    let c = co_occurrence(m);
    let mut phi = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..p {
            let den = u[i].max(u[j]);
            phi[i * p + j] = if den > 0 {
                c[i * p + j] as f64 / den as f64
            } else {
                0.0
            };
        }
    }
    phi
}

/// Co-occurrence counts `C_ij = Σ_r M_ri M_rj` (industries × industries), computed on bit
/// sets of each industry's regions (popcounts of their intersections): O(P² R / 64).
pub fn co_occurrence(m: &Presence) -> Vec<usize> {
    let p = m.industries();
    let words = m.regions().div_ceil(64);
    let mut bits = vec![0u64; p * words];
    for r in 0..m.regions() {
        for i in m.row(r) {
            bits[i * words + r / 64] |= 1u64 << (r % 64);
        }
    }
    let mut c = vec![0usize; p * p];
    for i in 0..p {
        let bi = &bits[i * words..(i + 1) * words];
        for j in i..p {
            let bj = &bits[j * words..(j + 1) * words];
            let n: u32 = bi.iter().zip(bj).map(|(a, b)| (a & b).count_ones()).sum();
            c[i * p + j] = n as usize;
            c[j * p + i] = n as usize;
        }
    }
    c
}

/// Cosine relatedness `C_ij / sqrt(C_ii C_jj)`.
///
/// Reference: van Eck, N. J. & Waltman, L. (2009) How to normalize cooccurrence data?, *JASIST*
/// 60(8), 1635-1651, doi:10.1002/asi.21075.
pub fn cosine_relatedness(m: &Presence) -> Vec<f64> {
    let p = m.industries();
    let c = co_occurrence(m);
    (0..p * p)
        .map(|k| {
            let (i, j) = (k / p, k % p);
            let den = ((c[i * p + i] * c[j * p + j]) as f64).sqrt();
            if den > 0.0 {
                c[k] as f64 / den
            } else {
                0.0
            }
        })
        .collect()
}

/// Association strength `C_ij · R / (C_ii C_jj)` (observed over expected co-occurrence, R the
/// number of regions); above 1, industries co-occur more than by chance. van Eck & Waltman
/// (2009), doi:10.1002/asi.21075.
pub fn association_strength(m: &Presence) -> Vec<f64> {
    let p = m.industries();
    let c = co_occurrence(m);
    let r = m.regions() as f64;
    (0..p * p)
        .map(|k| {
            let (i, j) = (k / p, k % p);
            let den = (c[i * p + i] * c[j * p + j]) as f64;
            if den > 0.0 {
                c[k] as f64 * r / den
            } else {
                0.0
            }
        })
        .collect()
}

/// Method of reflections (Hidalgo & Hausmann 2009): `k_r,0 = D_r`, `k_i,0 = U_i`,
/// `k_r,n = (1/D_r) Σ_i M_ri k_i,n−1`, `k_i,n = (1/U_i) Σ_r M_ri k_r,n−1`; returns
/// `(k_r,N, k_i,N)`. Even iterations rank regions like the eigenvector ECI as N grows.
pub fn reflections(m: &Presence, iterations: usize) -> (Vec<f64>, Vec<f64>) {
    let d: Vec<f64> = m.diversity().iter().map(|x| *x as f64).collect();
    let u: Vec<f64> = m.ubiquity().iter().map(|x| *x as f64).collect();
    let (mut kr, mut ki) = (d.clone(), u.clone());
    for _ in 0..iterations {
        let nr: Vec<f64> = (0..m.regions())
            .map(|r| {
                if d[r] > 0.0 {
                    m.row(r).map(|i| ki[i]).sum::<f64>() / d[r]
                } else {
                    0.0
                }
            })
            .collect();
        let mut ni = vec![0.0; m.industries()];
        for (r, k) in kr.iter().enumerate() {
            for i in m.row(r) {
                ni[i] += k;
            }
        }
        for (x, ui) in ni.iter_mut().zip(&u) {
            *x = if *ui > 0.0 { *x / ui } else { 0.0 };
        }
        kr = nr;
        ki = ni;
    }
    (kr, ki)
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    (
        m,
        (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n).sqrt(),
    )
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let (ma, sa) = mean_sd(a);
    let (mb, sb) = mean_sd(b);
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - ma) * (y - mb))
        .sum::<f64>()
        / (a.len() as f64 * sa * sb)
}

/// For every region r, `out[r, ·] = Σ_{j ∈ r} w_j φ_j·` (w = 1 when None): rows of the
/// symmetric proximity matrix summed over the region's industries. Regions are processed in
/// blocks so that each proximity row is read once per block, and blocks run on all cores.
fn row_sums_by_region(m: &Presence, phi: &[f64], w: Option<&[f64]>) -> Vec<f64> {
    let (nr, np) = (m.regions(), m.industries());
    let mut out = vec![0.0; nr * np];
    const BLOCK: usize = 16;
    let work = |first: usize, slot: &mut [f64]| {
        let regions = slot.len() / np.max(1);
        // For each industry, the regions of this block specialised in it.
        let mut holders: Vec<Vec<usize>> = vec![Vec::new(); np];
        for b in 0..regions {
            for j in m.row(first + b) {
                holders[j].push(b);
            }
        }
        for (j, hs) in holders.iter().enumerate() {
            if hs.is_empty() {
                continue;
            }
            let row = &phi[j * np..(j + 1) * np];
            let wj = w.map(|w| w[j]).unwrap_or(1.0);
            for &b in hs {
                for (o, p) in slot[b * np..(b + 1) * np].iter_mut().zip(row) {
                    *o += wj * p;
                }
            }
        }
    };
    let threads = crate::parallel::thread_budget();
    if threads <= 1 || nr * np < 200_000 {
        for (k, slot) in out.chunks_mut(BLOCK * np.max(1)).enumerate() {
            work(k * BLOCK, slot);
        }
        return out;
    }
    let blocks: Vec<(usize, &mut [f64])> = out
        .chunks_mut(BLOCK * np.max(1))
        .enumerate()
        .map(|(k, s)| (k * BLOCK, s))
        .collect();
    let per = blocks.len().div_ceil(threads);
    let mut groups: Vec<Vec<(usize, &mut [f64])>> = Vec::new();
    let mut it = blocks.into_iter().peekable();
    while it.peek().is_some() {
        groups.push(it.by_ref().take(per).collect());
    }
    std::thread::scope(|scope| {
        for g in groups {
            let work = &work;
            scope.spawn(move || {
                for (first, slot) in g {
                    work(first, slot);
                }
            });
        }
    });
    out
}

/// ECI, PCI, proximity, density, COI and COG of a presence matrix (see the module docs for
/// formulas and conventions).
///
/// ```
/// use regis_methods::complexity::{complexity, Presence};
/// // A nested structure: region 0 does everything, region 2 only the ubiquitous industry.
/// let m = Presence::new(vec![true, true, true, true, true, false, true, false, false], 3, 3);
/// let c = complexity(&m);
/// let eci: Vec<f64> = c.eci.iter().map(|x| x.unwrap()).collect();
/// assert!(eci[0] > eci[1] && eci[1] > eci[2]);
/// ```
pub fn complexity(m: &Presence) -> Complexity {
    let (nr, np) = (m.regions(), m.industries());
    let d = m.diversity();
    let u = m.ubiquity();
    let mut diagnostics = Vec::new();
    let rows: Vec<usize> = (0..nr).filter(|&r| d[r] > 0).collect();
    let cols: Vec<usize> = (0..np).filter(|&i| u[i] > 0).collect();
    if rows.len() < nr || cols.len() < np {
        diagnostics.push(Diagnostic::info("empty-rows-or-columns", format!("{} region(s) without and {} industry(ies) without any specialisation get no ECI/PCI", nr - rows.len(), np - cols.len())));
    }
    let phi = proximity(m);
    let k = cols.len();
    let mut eci = vec![None; nr];
    let mut pci = vec![None; np];
    let mut eigenvalue = f64::NAN;
    let mut iterations = 0;
    let mut kp_full = vec![0.0; np];
    let mut kc_full = vec![f64::NAN; nr];
    if k >= 2 && rows.len() >= 2 {
        // S = U^{-1/2} Mᵀ D^{-1} M U^{-1/2} on the valid rows and columns; apply as v -> S v.
        let us: Vec<f64> = cols.iter().map(|&i| (u[i] as f64).sqrt()).collect();
        // Column position of each valid industry (industries with ubiquity 0 have none).
        let mut pos = vec![usize::MAX; np];
        for (c, &i) in cols.iter().enumerate() {
            pos[i] = c;
        }
        // S v = U^{-1/2} Mᵀ D⁻¹ M U^{-1/2} v, in O(nnz) using the sparse rows.
        let apply = |v: &[f64]| -> Vec<f64> {
            let mut out = vec![0.0; k];
            for &r in &rows {
                let t: f64 = m.row(r).map(|i| v[pos[i]] / us[pos[i]]).sum::<f64>() / d[r] as f64;
                for i in m.row(r) {
                    out[pos[i]] += t;
                }
            }
            for (o, s) in out.iter_mut().zip(&us) {
                *o /= s;
            }
            out
        };
        // Known top eigenvector (eigenvalue 1): U^{1/2} 1, normalised.
        let norm1 = us.iter().map(|x| x * x).sum::<f64>().sqrt();
        let v1: Vec<f64> = us.iter().map(|x| x / norm1).collect();
        let deflate = |v: &mut Vec<f64>| {
            let dot: f64 = v.iter().zip(&v1).map(|(a, b)| a * b).sum();
            for (x, y) in v.iter_mut().zip(&v1) {
                *x -= dot * y;
            }
            let n = v.iter().map(|x| x * x).sum::<f64>().sqrt();
            if n > 0.0 {
                for x in v.iter_mut() {
                    *x /= n;
                }
            }
        };
        // Deterministic start not orthogonal to typical second eigenvectors.
        let mut v: Vec<f64> = (0..k)
            .map(|c| {
                1.0 + (c as f64 * 0.618_033_988_749_895).fract()
                    - 0.5 * (u[cols[c]] as f64 / nr as f64)
            })
            .collect();
        deflate(&mut v);
        let mut lambda = 0.0;
        let mut converged = false;
        for _ in 0..200_000 {
            iterations += 1;
            let mut w = apply(&v);
            let l: f64 = w.iter().zip(&v).map(|(a, b)| a * b).sum();
            deflate(&mut w);
            let diff: f64 = w
                .iter()
                .zip(&v)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            v = w;
            lambda = l;
            if diff < 1e-15 {
                converged = true;
                break;
            }
        }
        if !converged {
            diagnostics.push(Diagnostic::warning("slow-convergence", "the second eigenvector converged slowly (eigenvalues close together): ECI/PCI are approximate"));
        }
        eigenvalue = lambda;
        for (c, &i) in cols.iter().enumerate() {
            kp_full[i] = v[c] / us[c];
        }
        for &r in &rows {
            kc_full[r] = m.row(r).map(|i| kp_full[i]).sum::<f64>() / d[r] as f64;
        }
        let kc: Vec<f64> = rows.iter().map(|&r| kc_full[r]).collect();
        let dv: Vec<f64> = rows.iter().map(|&r| d[r] as f64).collect();
        let sign = if pearson(&dv, &kc) < 0.0 { -1.0 } else { 1.0 };
        for x in kp_full.iter_mut() {
            *x *= sign;
        }
        for x in kc_full.iter_mut() {
            *x *= sign;
        }
    } else {
        diagnostics.push(Diagnostic::warning(
            "degenerate",
            "fewer than two regions or industries with specialisations: no complexity",
        ));
    }
    // Density (ecomplexity: proximity rows normalised by their sums, diagonal included).
    let row_sum: Vec<f64> = (0..np)
        .map(|i| phi[i * np..(i + 1) * np].iter().sum())
        .collect();
    // density[r, i] = Σ_{j ∈ r} φ_ij / Σ_k φ_ik; φ is symmetric, so whole rows φ_j· are
    // added for the region's industries (see `row_sums_by_region`).
    let mut density = row_sums_by_region(m, &phi, None);
    for r in 0..nr {
        for (o, s) in density[r * np..(r + 1) * np].iter_mut().zip(&row_sum) {
            *o = if *s > 0.0 { *o / s } else { 0.0 };
        }
    }
    // COI and COG with the un-standardised PCI (as ecomplexity), then the scalings.
    let eci_raw: Vec<f64> = rows.iter().map(|&r| kc_full[r]).collect();
    let (em, es) = if eci_raw.len() >= 2 {
        mean_sd(&eci_raw)
    } else {
        (0.0, f64::NAN)
    };
    let coi_raw: Vec<f64> = (0..nr)
        .map(|r| {
            (0..np)
                .filter(|&i| !m.get(r, i))
                .map(|i| density[r * np + i] * kp_full[i])
                .sum()
        })
        .collect();
    // COG_ri = (1 − M_ri) Σ_{j ∉ r} φ_ji w_j with w_j = PCI_j / Σ_k φ_jk: the sum over all j
    // (computed once) minus the sum over the region's industries (sparse).
    let w: Vec<f64> = (0..np)
        .map(|j| {
            if row_sum[j] > 0.0 {
                kp_full[j] / row_sum[j]
            } else {
                0.0
            }
        })
        .collect();
    let all: Vec<f64> = (0..np)
        .map(|i| (0..np).map(|j| phi[j * np + i] * w[j]).sum())
        .collect();
    let inside = row_sums_by_region(m, &phi, Some(&w));
    let mut cog = vec![0.0; nr * np];
    for r in 0..nr {
        for i in 0..np {
            cog[r * np + i] = (all[i] - inside[r * np + i]) / es;
        }
        for j in m.row(r) {
            cog[r * np + j] = 0.0;
        }
    }
    let (cm, cs) = mean_sd(&coi_raw);
    let coi = coi_raw
        .iter()
        .map(|c| (cs > 0.0).then(|| (c - cm) / cs))
        .collect();
    if es.is_finite() && es > 0.0 {
        for &r in &rows {
            eci[r] = Some((kc_full[r] - em) / es);
        }
        for &i in &cols {
            pci[i] = Some((kp_full[i] - em) / es);
        }
    }
    Complexity {
        eci,
        pci,
        proximity: phi,
        density,
        coi,
        cog,
        eigenvalue,
        iterations,
        diagnostics,
    }
}
