//! Leydesdorff's triple-helix indicator: the mutual information in three dimensions among
//! university (U), industry (I) and government (G) participation in joint outputs
//! (Leydesdorff 2003, *Scientometrics* 58(2), doi:10.1023/A:1026240727851; Abramson 1963).
//!
//! With outputs (papers, patents, projects) counted by which of U, I and G take part, and
//! `H` Shannon's entropy in bits of the joint and marginal distributions:
//! `T_UIG = H_U + H_I + H_G − H_UI − H_UG − H_IG + H_UIG`.
//! Negative T is synergy: the three together reduce uncertainty more than the pairs say;
//! positive T, that the pairs overlap. O(1).

/// The entropies and the indicator, in bits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TripleHelix {
    /// `T_UIG`.
    pub t_uig: f64,
    /// Mutual information of each pair: `T_UI`, `T_UG`, `T_IG`.
    pub t_ui: f64,
    /// See `t_ui`.
    pub t_ug: f64,
    /// See `t_ui`.
    pub t_ig: f64,
    /// Marginal entropies.
    pub h_u: f64,
    /// See `h_u`.
    pub h_i: f64,
    /// See `h_u`.
    pub h_g: f64,
    /// Joint entropy of all three.
    pub h_uig: f64,
    /// Outputs counted.
    pub outputs: f64,
}

fn entropy(counts: &[f64]) -> f64 {
    let total: f64 = counts.iter().sum();
    counts
        .iter()
        .filter(|c| **c > 0.0)
        .map(|c| {
            let p = c / total;
            -p * p.log2()
        })
        .sum()
}

/// The indicator from `counts[u << 2 | i << 1 | g]`: the outputs with (1) or without (0)
/// each of U, I and G. None when no output is counted or a count is negative or not finite.
///
/// ```
/// use regis_methods::network::triple_helix::triple_helix;
/// // G present exactly when one of U and I is (G = U xor I), U and I independent: each pair
/// // is independent, the three together are determined: T = 1 + 1 + 1 − 2 − 2 − 2 + 2 = −1.
/// let mut counts = [0.0; 8];
/// for (u, i) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
///     counts[u << 2 | i << 1 | (u ^ i)] = 25.0;
/// }
/// let t = triple_helix(&counts).unwrap();
/// assert!((t.t_uig + 1.0).abs() < 1e-15 && t.t_ui.abs() < 1e-15);
/// ```
pub fn triple_helix(counts: &[f64; 8]) -> Option<TripleHelix> {
    if counts.iter().any(|c| !c.is_finite() || *c < 0.0) {
        return None;
    }
    let outputs: f64 = counts.iter().sum();
    if outputs == 0.0 {
        return None;
    }
    // Marginals by summing over the other bits.
    let marginal = |keep: &[usize]| -> Vec<f64> {
        let mut m = vec![0.0; 1 << keep.len()];
        for (cell, c) in counts.iter().enumerate() {
            let key = keep
                .iter()
                .enumerate()
                .fold(0, |k, (pos, bit)| k | ((cell >> bit) & 1) << pos);
            m[key] += c;
        }
        m
    };
    // Bits: U = 2, I = 1, G = 0.
    let (h_u, h_i, h_g) = (
        entropy(&marginal(&[2])),
        entropy(&marginal(&[1])),
        entropy(&marginal(&[0])),
    );
    let (h_ui, h_ug, h_ig) = (
        entropy(&marginal(&[2, 1])),
        entropy(&marginal(&[2, 0])),
        entropy(&marginal(&[1, 0])),
    );
    let h_uig = entropy(counts);
    Some(TripleHelix {
        t_uig: h_u + h_i + h_g - h_ui - h_ug - h_ig + h_uig,
        t_ui: h_u + h_i - h_ui,
        t_ug: h_u + h_g - h_ug,
        t_ig: h_i + h_g - h_ig,
        h_u,
        h_i,
        h_g,
        h_uig,
        outputs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_tables() {
        // Independent U, I, G (each present half the time): every term cancels, T = 0.
        let t = triple_helix(&[10.0; 8]).unwrap();
        assert!(t.t_uig.abs() < 1e-15 && (t.h_uig - 3.0).abs() < 1e-15);
        // All three together or none: H = 1 everywhere, T = 3 − 3 + 1 = 1.
        let mut together = [0.0; 8];
        together[0] = 40.0;
        together[7] = 40.0;
        let t = triple_helix(&together).unwrap();
        assert!((t.t_uig - 1.0).abs() < 1e-15 && (t.t_ui - 1.0).abs() < 1e-15);
        // A skewed table by hand: counts (U,I,G) 000:0 001:10 010:20 011:5 100:30 101:5
        // 110:20 111:10 (total 100). H_U = H(35, 65) etc.; computed term by term below.
        let c = [0.0, 10.0, 20.0, 5.0, 30.0, 5.0, 20.0, 10.0];
        let h = |p: &[f64]| -> f64 {
            p.iter()
                .filter(|x| **x > 0.0)
                .map(|x| -(x / 100.0) * (x / 100.0).log2())
                .sum()
        };
        let want = h(&[35.0, 65.0]) + h(&[55.0, 45.0]) + h(&[70.0, 30.0])
            - h(&[10.0, 25.0, 35.0, 30.0])
            - h(&[20.0, 15.0, 50.0, 15.0])
            - h(&[30.0, 15.0, 40.0, 15.0])
            + h(&c);
        let t = triple_helix(&c).unwrap();
        assert!((t.t_uig - want).abs() < 1e-15, "{} vs {want}", t.t_uig);
        assert!(triple_helix(&[0.0; 8]).is_none());
        assert!(triple_helix(&[-1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]).is_none());
    }
}
