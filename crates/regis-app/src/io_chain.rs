//! The input-output side of `regis strategy` on the built-in data: each region's linkages and
//! value chains from the Bank of Korea's 2020 table (83 sectors), regionalised to the region by
//! FLQ and summed to the strategy's industries (KOSIS GRDP activities).
//!
//! A region's size in an IO sector is the nation's output of the sector times the region's
//! share of the nation's value of the sector's industry in the strategy's own data (the measure
//! at the end of its window; the region's share of the whole for sectors no industry covers).
//! The regional flows `z^r_ij = r_ij · x^r_j` (FLQ coefficients `r`, regional output `x^r`)
//! and the flows national technology would need, `a_ij · x^r_j`, are summed to industries. Then:
//!
//! - linkages: the mean of the normalised backward (Leontief column sums) and forward (Ghosh
//!   row sums) linkages of the region's industry table (Rasmussen 1956; Miller & Blair 2009,
//!   §12.2) — the strategy's `linkages` criterion;
//! - value chain of an industry: its largest suppliers (share of its intermediate inputs under
//!   national technology, and the share of that need the region supplies itself) and its
//!   largest customers (share of its intermediate sales in the national table, and the share of
//!   the region's own need for it the region supplies).
//!
//! δ is [`KOREA_DELTA`], the pooled best of the calibration against BoK's survey-based
//! regional multipliers (`regis io regionalise --calibrate`; docs/IO.md).

use regis_data::korea::io::{korean_io_table, IoLevel};
use regis_methods::input_output::{
    backward_linkages, forward_linkages, ghosh_inverse, leontief_inverse, technical_coefficients,
};
use regis_methods::io_regional::{regional_coefficients, Quotient};
use serde::Serialize;

use crate::Result;

/// FLQ's δ on Korean provinces: the pooled best of `regis io regionalise --calibrate`.
pub const KOREA_DELTA: f64 = 0.45;

/// Suppliers and customers shown per candidate.
const CHAIN_LENGTH: usize = 3;

/// One link of a value chain.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChainLink {
    /// Industry code.
    pub industry: String,
    /// Share of the candidate's intermediate inputs (suppliers) or sales (customers).
    pub share: f64,
    /// Share of that need met inside the region.
    pub in_region_share: f64,
}

/// A candidate's value chain in a region.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ValueChain {
    /// Largest suppliers.
    pub suppliers: Vec<ChainLink>,
    /// Largest customers.
    pub customers: Vec<ChainLink>,
}

impl ValueChain {
    /// `C4 31% (62% in region), MN 12% (40% in region)`.
    pub fn describe(links: &[ChainLink]) -> String {
        links
            .iter()
            .map(|l| {
                format!(
                    "{} {:.0}% ({:.0}% in region)",
                    l.industry,
                    100.0 * l.share,
                    100.0 * l.in_region_share
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A region's linkages and value chains, by industry (none where the table holds nothing of
/// the industry or the region has none of it).
#[derive(Debug, Clone)]
pub struct RegionalIo {
    /// The linkages criterion.
    pub linkages: Vec<Option<f64>>,
    /// The value chains.
    pub chains: Vec<Option<ValueChain>>,
}

/// Which industry (index into `industries`) each of the 83 sectors falls in: its GRDP
/// activity, or that activity's parent (`C` for `C1`…`C7`); none when neither is an industry.
fn groups(activity: &[Option<String>], industries: &[String]) -> Vec<Option<usize>> {
    activity
        .iter()
        .map(|a| {
            let a = a.as_deref()?;
            let parent = if a.len() == 2 && a.starts_with('C') && a != "C" {
                "C"
            } else {
                a
            };
            industries
                .iter()
                .position(|i| i == a)
                .or_else(|| industries.iter().position(|i| i == parent))
        })
        .collect()
}

/// The built-in national table's flows and output summed to `industries` (row-major
/// `m × m`, `m` = industries; sectors no industry covers left out).
pub fn industry_flows(industries: &[String]) -> Result<(Vec<f64>, Vec<f64>)> {
    let t = korean_io_table(IoLevel::Sectors83)?;
    let io = &t.system;
    let n = io.sectors.len();
    let m = industries.len();
    let group = groups(&t.grdp_activity, industries);
    let (mut z, mut x) = (vec![0.0; m * m], vec![0.0; m]);
    for i in 0..n {
        let Some(gi) = group[i] else { continue };
        x[gi] += io.output[i];
        for (j, gj) in group.iter().enumerate() {
            if let Some(gj) = gj {
                z[gi * m + gj] += io.flows[i * n + j];
            }
        }
    }
    Ok((z, x))
}

/// Whether the built-in table can serve these industries (at least half of them are GRDP
/// activities the concordance knows).
pub fn covers(industries: &[String]) -> bool {
    let Ok(t) = korean_io_table(IoLevel::Sectors83) else {
        return false;
    };
    let g = groups(&t.grdp_activity, industries);
    let covered = (0..industries.len())
        .filter(|i| g.contains(&Some(*i)))
        .count();
    2 * covered >= industries.len() && covered > 1
}

/// The linkages and value chains of a region whose share of the nation's value of each
/// industry is `share` (by `industries`; `whole` for sectors no industry covers).
pub fn regional_io(industries: &[String], share: &[f64], whole: f64) -> Result<RegionalIo> {
    let t = korean_io_table(IoLevel::Sectors83)?;
    let io = &t.system;
    let n = io.sectors.len();
    let bad = |e: regis_methods::input_output::IoError| {
        crate::Error::invalid("io-table", format!("built-in table: {e}"))
    };
    let group = groups(&t.grdp_activity, industries);
    let sizes: Vec<f64> = (0..n)
        .map(|k| io.output[k] * group[k].map_or(whole, |g| share[g]))
        .collect();
    let a = technical_coefficients(&io.flows, &io.output).map_err(bad)?;
    let r = regional_coefficients(&a, &sizes, &io.output, Quotient::Flq(KOREA_DELTA))
        .map_err(|e| crate::Error::invalid("io-table", e.to_string()))?;
    // Industries, then one group for the sectors no industry covers.
    let m = industries.len() + 1;
    let g = |k: usize| group[k].unwrap_or(m - 1);
    let (mut zr, mut zn, mut zn_national, mut xr) = (
        vec![0.0; m * m],
        vec![0.0; m * m],
        vec![0.0; m * m],
        vec![0.0; m],
    );
    for i in 0..n {
        xr[g(i)] += sizes[i];
        for j in 0..n {
            let cell = g(i) * m + g(j);
            zr[cell] += r[i * n + j] * sizes[j];
            zn[cell] += a[i * n + j] * sizes[j];
            zn_national[cell] += io.flows[i * n + j];
        }
    }
    let present: Vec<bool> = (0..m).map(|k| xr[k] > 0.0).collect();
    let l = leontief_inverse(&technical_coefficients(&zr, &xr).map_err(bad)?).map_err(bad)?;
    let gh = ghosh_inverse(&zr, &xr).map_err(bad)?;
    let (bl, fl) = (backward_linkages(&l), forward_linkages(&gh));
    let top = |mut links: Vec<ChainLink>| {
        links.sort_by(|x, y| y.share.total_cmp(&x.share));
        links.truncate(CHAIN_LENGTH);
        links
    };
    let ratio = |num: f64, den: f64| if den > 0.0 { num / den } else { 0.0 };
    let chain = |j: usize| -> ValueChain {
        let inputs: f64 = (0..m).map(|i| zn[i * m + j]).sum();
        let sales: f64 = (0..m).map(|k| zn_national[j * m + k]).sum();
        ValueChain {
            suppliers: top((0..industries.len())
                .filter(|&i| zn[i * m + j] > 0.0)
                .map(|i| ChainLink {
                    industry: industries[i].clone(),
                    share: ratio(zn[i * m + j], inputs),
                    in_region_share: ratio(zr[i * m + j], zn[i * m + j]),
                })
                .collect()),
            customers: top((0..industries.len())
                .filter(|&k| zn_national[j * m + k] > 0.0)
                .map(|k| ChainLink {
                    industry: industries[k].clone(),
                    share: ratio(zn_national[j * m + k], sales),
                    in_region_share: ratio(zr[j * m + k], zn[j * m + k]),
                })
                .collect()),
        }
    };
    let covered = |i: usize| present[i] && group.contains(&Some(i));
    Ok(RegionalIo {
        linkages: (0..industries.len())
            .map(|i| covered(i).then(|| (bl[i] + fl[i]) / 2.0))
            .collect(),
        chains: (0..industries.len())
            .map(|i| covered(i).then(|| chain(i)))
            .collect(),
    })
}
