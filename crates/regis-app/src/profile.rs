//! A region's profile as the tables people read and download: industry structure with LQs,
//! traded-industry strengths, shift-share and the trend with ranks. The page shows them and
//! `/api/v1/regions/{code}/tables/{table}` hands each one out as CSV, so a download is the
//! table on the page, with every digit.
//!
//! **Traded-industry strengths.** Cluster policy builds on the industries a region sells outside
//! itself (Delgado, Porter & Stern 2016, "Defining clusters of related industries", *Journal of
//! Economic Geography* 16(1), doi:10.1093/jeg/lbv017). A region's strengths are its traded
//! industries with a location quotient of at least 1; one whose LQ ranks in the top quarter of
//! the regions of its level is marked strong, the Cluster Mapping convention for a strong
//! cluster. *Simplification:* the built-in KOSIS activity groups are industries, not the
//! Cluster Mapping's clusters of related industries (no Korean concordance at that grain
//! ships), so each traded industry stands for its own cluster.

use regis_core::TradedLocal;

use crate::explore::Profile;
use crate::matrix::industry_name_in;
use crate::source::Loaded;
use crate::table::{Cell, Column, Table};
use crate::Lang;

/// The names of the downloadable tables of a profile, in page order.
pub const PROFILE_TABLES: [&str; 4] = ["structure", "traded_strengths", "shift_share", "trend"];

/// Whether an LQ rank `rank` out of `of` regions is in the top quarter (no more than a
/// quarter of the regions; the first always).
///
/// ```
/// use regis_app::profile::top_quarter;
/// assert!(top_quarter(4, 17));   // 17 provinces: the first 4 (4/17 = 24%)
/// assert!(!top_quarter(5, 17));
/// assert!(top_quarter(4, 16) && !top_quarter(5, 16));
/// assert!(top_quarter(1, 2));
/// ```
pub fn top_quarter(rank: usize, of: usize) -> bool {
    rank >= 1 && (rank * 4 <= of || rank == 1)
}

/// The table `name` (one of [`PROFILE_TABLES`]) of `profile` on the measure `l`, with industry
/// names in `lang`; none for an unknown name or a shift-share the profile does not have.
///
/// ```
/// use regis_app::profile::{profile_table, PROFILE_TABLES};
/// let sources = regis_app::Sources::default();
/// let l = sources.measure("grdp_nominal").unwrap();
/// let ulsan = l.catalog.resolve("26", l.catalog.system_index(regis_data::korea::SGIS), None,
///     Some(regis_core::Level::PROVINCE)).unwrap();
/// let p = regis_app::explore::profile(&l, ulsan).unwrap();
/// let t = profile_table(&l, &p, "traded_strengths", regis_app::Lang::En).unwrap();
/// // Ulsan's first strength in 2017: coal, petroleum and chemical products (C4), an LQ of
/// // 5.11, the most specialised of the 16 provinces with an LQ; a strong one.
/// assert_eq!(t.text(0, "industry"), Some("C4"));
/// assert!((t.number(0, "lq").unwrap() - 5.1125).abs() < 1e-4);
/// assert_eq!((t.number(0, "lq_rank"), t.number(0, "of")), (Some(1.0), Some(16.0)));
/// assert_eq!(t.text(0, "strong"), Some("yes"));
/// assert!(profile_table(&l, &p, "nothing", regis_app::Lang::En).is_none());
/// ```
pub fn profile_table(l: &Loaded, p: &Profile, name: &str, lang: Lang) -> Option<Table> {
    let level = l.catalog.region(p.region).level;
    let classification = l
        .dataset
        .panel_at(level)
        .or_else(|| l.dataset.panels.first())
        .and_then(|lp| lp.panel.classification.clone());
    let cl = classification.as_deref();
    let named = |code: &str| industry_name_in(cl, code, lang);
    let unit = l.dataset.measure.unit.as_str();
    match name {
        "structure" => {
            let mut t = Table::new(vec![
                Column::text("industry"),
                Column::text("name"),
                Column::exact("value", unit),
                Column::rounded("share", "share", 4),
                Column::rounded("lq", "index", 2),
                Column::integer("lq_rank"),
                Column::integer("of"),
            ]);
            for ((code, value, share, lq), rank) in p.structure.iter().zip(&p.lq_rank) {
                t.push(vec![
                    Cell::text(code),
                    Cell::text(named(code)),
                    Cell::Number(*value),
                    Cell::Number(*share),
                    Cell::num(*lq),
                    rank.map(|r| Cell::int(r.0 as i64)).unwrap_or(Cell::Empty),
                    rank.map(|r| Cell::int(r.1 as i64)).unwrap_or(Cell::Empty),
                ]);
            }
            Some(t)
        }
        "traded_strengths" => {
            let flags = cl.and_then(regis_data::korea::classification);
            // (industry, value, share, LQ, (LQ rank, of)).
            type Strength<'a> = (&'a str, f64, f64, f64, (usize, usize));
            let mut rows: Vec<Strength> = p
                .structure
                .iter()
                .zip(&p.lq_rank)
                .filter(|((code, ..), _)| {
                    flags
                        .and_then(|c| c.traded_local(code))
                        .is_some_and(|(f, _)| f == TradedLocal::Traded)
                })
                .filter_map(|((code, value, share, lq), rank)| {
                    let lq = (*lq)?;
                    (lq >= 1.0).then_some((code.as_str(), *value, *share, lq, (*rank)?))
                })
                .collect();
            rows.sort_by(|a, b| b.3.total_cmp(&a.3).then(a.0.cmp(b.0)));
            let mut t = Table::new(vec![
                Column::text("industry"),
                Column::text("name"),
                Column::exact("value", unit),
                Column::rounded("share", "share", 4),
                Column::rounded("lq", "index", 2),
                Column::integer("lq_rank"),
                Column::integer("of"),
                Column::text("strong"),
            ]);
            for (code, value, share, lq, (rank, of)) in rows {
                t.push(vec![
                    Cell::text(code),
                    Cell::text(named(code)),
                    Cell::Number(value),
                    Cell::Number(share),
                    Cell::Number(lq),
                    Cell::int(rank as i64),
                    Cell::int(of as i64),
                    Cell::text(if top_quarter(rank, of) { "yes" } else { "no" }),
                ]);
            }
            Some(t)
        }
        "shift_share" => {
            let (from, to, cells, total) = p.shift_share.as_ref()?;
            let mut t = Table::new(vec![
                Column::text("industry"),
                Column::text("name"),
                Column::integer("from"),
                Column::integer("to"),
                Column::exact("change", unit),
                Column::exact("national", unit),
                Column::exact("industry_mix", unit),
                Column::exact("competitive", unit),
            ]);
            let total_name = if lang == Lang::Ko { "합계" } else { "Total" };
            for (code, name, c) in cells
                .iter()
                .map(|(i, c)| (i.as_str(), named(i), c))
                .chain(std::iter::once(("total", total_name.to_string(), total)))
            {
                t.push(vec![
                    Cell::text(code),
                    Cell::text(name),
                    Cell::int(from.0),
                    Cell::int(to.0),
                    Cell::Number(c.change()),
                    Cell::Number(c.national),
                    Cell::Number(c.industry_mix),
                    Cell::Number(c.competitive),
                ]);
            }
            Some(t)
        }
        "trend" => {
            let mut t = Table::new(vec![
                Column::integer("period"),
                Column::exact("value", unit),
                Column::integer("rank"),
                Column::integer("of"),
            ]);
            for (period, value, rank, of) in p.trend.iter().filter(|x| x.1.is_some()) {
                t.push(vec![
                    Cell::int(period.0),
                    Cell::num(*value),
                    rank.map(|r| Cell::int(r as i64)).unwrap_or(Cell::Empty),
                    Cell::int(*of as i64),
                ]);
            }
            Some(t)
        }
        _ => None,
    }
}
