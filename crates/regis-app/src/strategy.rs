//! "Which industries should a region select and focus on, and where do regions compete for the
//! same ones?": seven criteria per candidate industry, simple additive weighting, sensitivity of
//! the top-k to the weights (`regis strategy --region`, `GET /api/v1/strategy/{code}`), and
//! every region's choice with the overlap, contested industries and differentiation
//! suggestions (`regis strategy --overlap`, `GET /api/v1/strategy`, in [`crate::overlap`]).

use std::collections::BTreeMap;
use std::path::PathBuf;

use regis_core::{Panel, Period, RegionId};
use regis_data::export::measure_json;
use regis_data::DataError;
use regis_methods::strategy::{
    candidate_criteria, score, sensitivity, CriteriaValues, Weights, CRITERIA, CRITERIA_MEANING,
    DEFAULT_WEIGHTS,
};
use serde::Serialize;

use crate::matrix::{
    choose_industries, industry_name, matrix, region_name, regions_at, require_additive,
    with_default_measure, IndustryChoice,
};
use crate::resolve::{one_period, panel_at_level};
use crate::source::{Loaded, Source, Sources};
use crate::table::{Cell, Column, Table, Tabular};
use crate::{Lang, Result};

/// What a strategy question shares, for one region or for all.
#[derive(Debug, Clone)]
pub struct StrategyRequest {
    /// The measure (default `grdp_nominal`) or file.
    pub source: Source,
    /// Level of the regions.
    pub level: regis_core::Level,
    /// The last period (none: the latest).
    pub period: Option<i32>,
    /// Years before it that growth is measured over.
    pub window: i32,
    /// The candidate industries.
    pub choice: IndustryChoice,
    /// Weights, `criterion=number,...` (other criteria keep their defaults).
    pub weights: Option<String>,
    /// An input-output table (CSV) whose linkages become the seventh criterion (the CLI only).
    pub io: Option<PathBuf>,
    /// An input-output table kept in the store (`regis io import`) whose sectors are the
    /// industries: its national linkages become the seventh criterion.
    pub io_stored: Option<String>,
    /// Industries selected per region.
    pub top: usize,
    /// Sensitivity: perturbed weightings drawn.
    pub draws: usize,
    /// Sensitivity: σ of the log-normal perturbation.
    pub sigma: f64,
    /// Sensitivity: seed of the draws.
    pub seed: u64,
    /// Regions from which an industry counts as contested (overlap).
    pub contested: usize,
    /// Local and public industries are candidates too (by default only traded ones are).
    pub include_local: bool,
    /// Language of names.
    pub lang: Lang,
}

/// Parses `specialisation=0.4,density=0.3` over the default weights.
pub fn parse_weights(spec: Option<&str>) -> Result<Weights> {
    let mut w = DEFAULT_WEIGHTS;
    for part in spec
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let shown = crate::error::shown(part);
        let (k, v) = part.split_once('=').ok_or_else(|| {
            DataError::argument(format!("--weights `{shown}`: expected criterion=number"))
        })?;
        let idx = CRITERIA
            .iter()
            .position(|c| *c == k.trim())
            .ok_or_else(|| {
                DataError::argument(format!(
                    "--weights: unknown criterion `{}`; criteria: {}",
                    crate::error::shown(k),
                    CRITERIA.join(", ")
                ))
            })?;
        w[idx] = v.trim().parse().map_err(|_| {
            DataError::argument(format!(
                "--weights: `{}` is not a number",
                crate::error::shown(v)
            ))
        })?;
    }
    Ok(Weights::new(w).map_err(|e| DataError::argument(format!("--weights: {e}")))?)
}

/// The weights of a request: as given, with linkages at 0.15 when an input-output table is
/// given (or the built-in one serves the industries: `builtin_io`) and the weights do not
/// name linkages.
pub fn weights_of(q: &StrategyRequest, builtin_io: bool) -> Result<Weights> {
    let mut weights = parse_weights(q.weights.as_deref())?;
    if (q.io.is_some() || q.io_stored.is_some() || builtin_io)
        && !q.weights.as_deref().unwrap_or("").contains("linkages")
    {
        let mut w = weights.0;
        w[6] = 0.15;
        weights = Weights::new(w).map_err(|e| DataError::argument(e.to_string()))?;
    }
    Ok(weights)
}

/// Criteria of every region with complete data at both ends of the window.
pub(crate) struct Setup {
    pub loaded: Loaded,
    pub panel: Panel,
    pub regions: Vec<RegionId>,
    pub industries: Vec<String>,
    pub from: Period,
    pub to: Period,
    pub criteria: Vec<CriteriaValues>,
    pub proximity: Vec<f64>,
    pub notes: Vec<String>,
    /// The candidates (indices into `industries`): the traded ones unless local ones are
    /// asked for, or all when the classification has no traded/local flags.
    pub eligible: Vec<usize>,
    /// The industries that are not candidates, and why.
    pub excluded: Vec<Excluded>,
    /// Each industry's traded/local flag (none: the classification has none).
    pub traded_local: Vec<Option<&'static str>>,
    /// Each region's value chains by industry, from the built-in input-output table (none:
    /// an `--io` table is given, or the built-in one does not cover the industries).
    pub chains: Option<Vec<Vec<Option<crate::io_chain::ValueChain>>>>,
}

impl Setup {
    /// Region `r`'s candidates scored and ranked; each `candidate` is an index into
    /// `industries`.
    pub fn scored(&self, r: usize, weights: &Weights) -> Vec<regis_methods::strategy::Scored> {
        let ni = self.industries.len();
        let row = &self.criteria[r * ni..(r + 1) * ni];
        let crit: Vec<CriteriaValues> = self.eligible.iter().map(|&i| row[i]).collect();
        let mut scored = score(&crit, weights);
        for x in &mut scored {
            x.candidate = self.eligible[x.candidate];
        }
        scored
    }
}

/// An industry that is not a strategy candidate.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Excluded {
    /// Industry code.
    pub industry: String,
    /// Its name.
    pub name: String,
    /// `local` or `public`.
    pub traded_local: String,
    /// Why it carries that flag (the rule or the judgement).
    pub reason: String,
}

/// Which industries are candidates: the traded ones, unless `include_local`; every one when
/// the classification has no flags. Returns the candidates, the excluded and every flag.
pub(crate) fn eligibility(
    panel: &Panel,
    industries: &[String],
    include_local: bool,
    lang: Lang,
) -> (Vec<usize>, Vec<Excluded>, Vec<Option<&'static str>>) {
    let cl = panel
        .classification
        .as_deref()
        .and_then(regis_data::korea::classification);
    let flags: Vec<Option<(regis_core::TradedLocal, String)>> = industries
        .iter()
        .map(|i| {
            cl.and_then(|c| c.traded_local(i))
                .map(|(f, why)| (f, why.to_string()))
        })
        .collect();
    let mut eligible = Vec::new();
    let mut excluded = Vec::new();
    for (i, f) in flags.iter().enumerate() {
        match f {
            Some((flag, why)) if *flag != regis_core::TradedLocal::Traded && !include_local => {
                excluded.push(Excluded {
                    industry: industries[i].clone(),
                    name: industry_name(panel, &industries[i], lang),
                    traded_local: flag.as_str().to_string(),
                    reason: why.clone(),
                })
            }
            _ => eligible.push(i),
        }
    }
    let shown = flags
        .iter()
        .map(|f| f.as_ref().map(|x| x.0.as_str()))
        .collect();
    (eligible, excluded, shown)
}

/// Linkages (mean of normalised backward and forward linkages) of each industry from an IO file.
fn io_linkages(path: &std::path::Path, industries: &[String]) -> Result<Vec<Option<f64>>> {
    use regis_methods::input_output::{
        backward_linkages, forward_linkages, ghosh_inverse, leontief_inverse,
        technical_coefficients,
    };
    let t = regis_data::io_table::read_io_table(path, industries)?;
    let err = |e: regis_methods::input_output::IoError| {
        DataError::file(regis_data::ErrorKind::NotNumeric, path, e.to_string())
    };
    let l = leontief_inverse(&technical_coefficients(&t.flows, &t.output).map_err(err)?)
        .map_err(err)?;
    let g = ghosh_inverse(&t.flows, &t.output).map_err(err)?;
    let (bl, fl) = (backward_linkages(&l), forward_linkages(&g));
    Ok((0..industries.len())
        .map(|i| t.has_output[i].then(|| (bl[i] + fl[i]) / 2.0))
        .collect())
}

/// Linkages of each industry from a stored table whose sectors are industries (a sector that
/// is not one is refused, never skipped).
fn stored_linkages(sources: &Sources, id: &str, industries: &[String]) -> Result<Vec<Option<f64>>> {
    use regis_methods::input_output::{
        backward_linkages, forward_linkages, ghosh_inverse, leontief_inverse,
        technical_coefficients,
    };
    let store = sources.store.as_deref().ok_or_else(|| {
        crate::Error::invalid("no-store", "stored input-output tables need a store")
    })?;
    let (io, _) = regis_data::io_store::get(store, id)?;
    if let Some(s) = io.sectors.iter().find(|s| !industries.contains(s)) {
        return Err(crate::Error::invalid(
            "unknown-industry",
            format!(
                "stored table `{id}` has sector `{}`, which is not an industry of the measure ({})",
                crate::error::shown(s),
                industries.join(", ")
            ),
        ));
    }
    let bad = |e: regis_methods::input_output::IoError| {
        crate::Error::invalid("io-table", format!("stored table `{id}`: {e}"))
    };
    let l = leontief_inverse(&technical_coefficients(&io.flows, &io.output).map_err(bad)?)
        .map_err(bad)?;
    let g = ghosh_inverse(&io.flows, &io.output).map_err(bad)?;
    let (bl, fl) = (backward_linkages(&l), forward_linkages(&g));
    Ok(industries
        .iter()
        .map(|i| {
            let k = io.sectors.iter().position(|s| s == i)?;
            (io.output[k] > 0.0).then(|| (bl[k] + fl[k]) / 2.0)
        })
        .collect())
}

pub(crate) fn setup(sources: &Sources, q: &StrategyRequest) -> Result<Setup> {
    let loaded = sources.load(&with_default_measure(&q.source), None)?;
    require_additive(
        &loaded,
        "shares, LQs and shift-share need values that add up",
    )?;
    let level = q.level;
    let cat = &loaded.catalog;
    let panel = panel_at_level(&loaded, level)?;
    let industries = choose_industries(&panel, &q.choice)?;
    let to = one_period(panel.periods(), q.period, &loaded.dataset.measure.id)?;
    let from = panel
        .periods()
        .iter()
        .copied()
        .filter(|p| p.0 >= to.0 - q.window && *p < to)
        .min()
        .ok_or_else(|| {
            crate::Error::invalid(
                "period-out-of-range",
                format!("no period within {} years before {to}", q.window),
            )
        })?;
    let all = regions_at(&panel, cat, level);
    let z = q.choice.missing_as_zero;
    let (_, k0, d0) = matrix(&panel, cat, &all, &industries, from, z);
    let (_, k1, d1) = matrix(&panel, cat, &all, &industries, to, z);
    let regions: Vec<RegionId> = k1.into_iter().filter(|r| k0.contains(r)).collect();
    let (m0, _, _) = matrix(&panel, cat, &regions, &industries, from, z);
    let (m1, _, _) = matrix(&panel, cat, &regions, &industries, to, z);
    let linkages = match (&q.io, &q.io_stored) {
        (Some(p), _) => Some(io_linkages(p, &industries)?),
        (None, Some(id)) => Some(stored_linkages(sources, id, &industries)?),
        (None, None) => None,
    };
    let (mut criteria, cx) =
        candidate_criteria(&m0, &m1, f64::from(to.0 - from.0), linkages.as_deref());
    let regional_io = if linkages.is_none() && crate::io_chain::covers(&industries) {
        let (totals, whole, rt) = (m1.industry_totals(), m1.total(), m1.region_totals());
        let share = |v: f64, t: f64| if t > 0.0 { v / t } else { 0.0 };
        let per_region = (0..regions.len())
            .map(|r| {
                let s: Vec<f64> = (0..industries.len())
                    .map(|i| share(m1.get(r, i), totals[i]))
                    .collect();
                crate::io_chain::regional_io(&industries, &s, share(rt[r], whole))
            })
            .collect::<Result<Vec<_>>>()?;
        let ni = industries.len();
        for (r, rio) in per_region.iter().enumerate() {
            for i in 0..ni {
                criteria[r * ni + i][6] = rio.linkages[i];
            }
        }
        Some(per_region)
    } else {
        None
    };
    let mut notes: Vec<String> = d0
        .iter()
        .chain(&d1)
        .chain(&cx.diagnostics)
        .map(|x| x.to_string())
        .collect();
    notes.dedup();
    if regional_io.is_some() {
        notes.push(format!(
            "linkages and value chains: the Bank of Korea's 2020 input-output table (83 sectors) regionalised to each region by FLQ (δ = {}, calibrated: regis io regionalise --calibrate) with the region's shares of {to}; 출처: 한국은행",
            crate::io_chain::KOREA_DELTA
        ));
    } else if let (None, Some(id)) = (&q.io, &q.io_stored) {
        notes.push(format!(
            "linkages from the stored input-output table `{id}` (national; no value chains)"
        ));
    } else if q.io.is_none() {
        notes.push("no input-output table given (--io) and the built-in one does not cover these industries: the linkages criterion is not used".into());
    }
    let (eligible, excluded, traded_local) =
        eligibility(&panel, &industries, q.include_local, q.lang);
    if !excluded.is_empty() {
        notes.push(format!(
            "{} local or public industries are not candidates (cluster policy targets traded industries; --include-local makes them candidates): {}",
            excluded.len(),
            excluded
                .iter()
                .map(|e| format!("{} ({})", e.industry, e.traded_local))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    } else if traded_local.iter().all(Option::is_none) {
        notes.push(
            "the industries carry no traded/local flag (classification unknown): every one is a candidate"
                .into(),
        );
    }
    let ne = eligible.len();
    if ne < 2 {
        return Err(DataError::argument(format!(
            "{ne} traded industr{} among the {} analysed; add --include-local to rank local and public industries too",
            if ne == 1 { "y" } else { "ies" },
            industries.len()
        ))
        .into());
    }
    if q.top == 0 || q.top >= ne {
        return Err(crate::Error::invalid(
            "bad-parameter",
            format!(
                "--top must be between 1 and {} (the {ne} candidates{})",
                ne - 1,
                if excluded.is_empty() {
                    String::new()
                } else {
                    format!(", {} local or public industries left out", excluded.len())
                }
            ),
        )
        .with_fix("top", q.top.clamp(1, ne - 1).to_string()));
    }
    Ok(Setup {
        loaded,
        panel,
        regions,
        industries,
        from,
        to,
        criteria,
        proximity: cx.proximity,
        notes,
        eligible,
        excluded,
        traded_local,
        chains: regional_io.map(|v| v.into_iter().map(|r| r.chains).collect()),
    })
}

/// The weights by criterion name.
pub(crate) fn weights_map(w: &Weights) -> BTreeMap<String, f64> {
    CRITERIA
        .iter()
        .zip(w.0)
        .map(|(c, x)| (c.to_string(), x))
        .collect()
}

/// A code and a name.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Named {
    /// Code.
    pub code: String,
    /// Name in the request's language.
    pub name: String,
}

/// How a candidate's rank moves when the weights are perturbed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RankRange {
    /// Share of perturbed weightings that keep it in the top k.
    pub in_top_k: f64,
    /// Best rank seen.
    pub best_rank: usize,
    /// Worst rank seen.
    pub worst_rank: usize,
}

/// One candidate industry with its evidence.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Candidate {
    /// Industry code.
    pub industry: String,
    /// Its name.
    pub name: String,
    /// Rank by score (1 = best).
    pub rank: usize,
    /// Weighted score of the rescaled criteria.
    pub score: f64,
    /// Whether it is among the `top` selected.
    pub selected: bool,
    /// The criteria as measured (none: undefined for these data).
    pub criteria: BTreeMap<String, Option<f64>>,
    /// The criteria rescaled to 0-1 across candidates.
    pub rescaled: BTreeMap<String, f64>,
    /// Its rank under perturbed weights.
    pub sensitivity: RankRange,
    /// `traded`, `local` or `public` (none: the classification has no flag).
    pub traded_local: Option<String>,
    /// Its largest suppliers and customers, and how much of each link stays in the region
    /// (built-in input-output table).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_chain: Option<crate::io_chain::ValueChain>,
}

/// One row of the sensitivity table.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SensitivityRow {
    /// Industry code.
    pub industry: String,
    /// Rank.
    pub rank: usize,
    /// Share of weightings keeping it in the top k.
    pub in_top_k: f64,
    /// Best rank.
    pub best_rank: usize,
    /// Worst rank.
    pub worst_rank: usize,
}

/// The sensitivity analysis.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SensitivityReport {
    /// Weightings drawn.
    pub draws: usize,
    /// σ of the log-normal perturbation.
    pub sigma: f64,
    /// Seed.
    pub seed: u64,
    /// Every candidate.
    pub table: Vec<SensitivityRow>,
}

/// A region's strategy report.
#[derive(Debug, Clone, Serialize)]
pub struct StrategyReport {
    /// The region.
    pub region: Named,
    /// The measure.
    pub measure: serde_json::Value,
    /// Level.
    pub level: String,
    /// Start of the window.
    pub from: i32,
    /// End of the window.
    pub to: i32,
    /// Industries selected.
    pub top: usize,
    /// Weights by criterion.
    pub weights: BTreeMap<String, f64>,
    /// What each criterion measures.
    pub criteria_meaning: BTreeMap<String, String>,
    /// The selected candidates.
    pub selected: Vec<Candidate>,
    /// Every candidate, by rank.
    pub candidates: Vec<Candidate>,
    /// The sensitivity analysis.
    pub sensitivity: SensitivityReport,
    /// Industries that are not candidates (local and public ones, unless asked for), and why.
    pub excluded: Vec<Excluded>,
    /// Why the complexity criterion (PCI) is unreliable on these data, if so.
    pub reliability_warning: Option<String>,
    /// Regions left out, criteria not used, industries excluded.
    pub diagnostics: Vec<String>,
    /// Where the data come from.
    pub attribution: String,
}

impl StrategyReport {
    /// The mean of a criterion over the candidates that have it (the reference line of a
    /// portfolio chart); none when no candidate has it.
    pub fn criterion_mean(&self, criterion: &str) -> Option<f64> {
        let values: Vec<f64> = self
            .candidates
            .iter()
            .filter_map(|c| c.criteria.get(criterion).copied().flatten())
            .collect();
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    }
}

impl Tabular for StrategyReport {
    fn table(&self) -> Table {
        let mut columns = vec![
            Column::integer("rank"),
            Column::text("industry"),
            Column::text("industry_name"),
        ];
        columns.extend(CRITERIA.iter().map(|c| Column::rounded(c, "", 3)));
        columns.extend([
            Column::rounded("score", "", 4),
            Column::rounded("in_top_k", "share", 2),
            Column::text("rank_range"),
        ]);
        let chains = self.candidates.iter().any(|c| c.value_chain.is_some());
        if chains {
            columns.extend([Column::text("suppliers"), Column::text("customers")]);
        }
        let mut t = Table::new(columns);
        for c in &self.candidates {
            let mut row = vec![
                Cell::Integer(c.rank as i64),
                Cell::text(&c.industry),
                Cell::text(&c.name),
            ];
            row.extend(CRITERIA.iter().map(|k| Cell::num(c.criteria[*k])));
            row.extend([
                Cell::Number(c.score),
                Cell::Number(c.sensitivity.in_top_k),
                Cell::text(format!(
                    "{}-{}",
                    c.sensitivity.best_rank, c.sensitivity.worst_rank
                )),
            ]);
            if chains {
                let describe =
                    |f: fn(&crate::io_chain::ValueChain) -> &[crate::io_chain::ChainLink]| {
                        c.value_chain.as_ref().map_or(Cell::Empty, |v| {
                            Cell::text(crate::io_chain::ValueChain::describe(f(v)))
                        })
                    };
                row.push(describe(|v| &v.suppliers));
                row.push(describe(|v| &v.customers));
            }
            t.push(row);
        }
        t
    }
    fn note(&self) -> String {
        format!(
            "{} {}: {}-{}, weights {}; in_top_k and rank_range over {} perturbed weightings (σ = {}). {}",
            self.region.name,
            self.measure["name_en"].as_str().unwrap_or(""),
            self.from,
            self.to,
            self.weights
                .iter()
                .map(|(c, w)| format!("{c}={w:.2}"))
                .collect::<Vec<_>>()
                .join(","),
            self.sensitivity.draws,
            self.sensitivity.sigma,
            self.diagnostics.join(" ")
        )
    }
}

/// Answers a [`StrategyRequest`] for one region (a code or name at the request's level).
pub fn strategy(sources: &Sources, q: &StrategyRequest, region: &str) -> Result<StrategyReport> {
    let s = setup(sources, q)?;
    let weights = weights_of(q, s.chains.is_some())?;
    let cat = &s.loaded.catalog;
    let lang = q.lang;
    let rid = crate::resolve::region_named(cat, region, q.level)?;
    let r = s.regions.iter().position(|x| *x == rid).ok_or_else(|| {
        crate::Error::not_found(
            "no-data-for-region",
            format!(
                "{} has no complete data for {}-{}",
                cat.region(rid).name_en,
                s.from,
                s.to
            ),
        )
    })?;
    let ni = s.industries.len();
    let row = &s.criteria[r * ni..(r + 1) * ni];
    let crit: Vec<CriteriaValues> = s.eligible.iter().map(|&i| row[i]).collect();
    let scored = s.scored(r, &weights);
    // Sensitivity over the candidates, by position among them.
    let by_position = sensitivity(&crit, &weights, q.top, q.draws, q.sigma, q.seed);
    let mut position = vec![0; ni];
    for (k, &i) in s.eligible.iter().enumerate() {
        position[i] = k;
    }
    let sens = |i: usize| &by_position[position[i]];
    let crit = row;
    let candidate = |x: &regis_methods::strategy::Scored| {
        let i = x.candidate;
        Candidate {
            industry: s.industries[i].clone(),
            name: industry_name(&s.panel, &s.industries[i], lang),
            rank: x.rank,
            score: x.score,
            selected: x.rank <= q.top,
            criteria: CRITERIA
                .iter()
                .enumerate()
                .map(|(k, c)| (c.to_string(), crit[i][k]))
                .collect(),
            rescaled: CRITERIA
                .iter()
                .enumerate()
                .map(|(k, c)| (c.to_string(), x.rescaled[k]))
                .collect(),
            sensitivity: RankRange {
                in_top_k: sens(i).in_top_k,
                best_rank: sens(i).best_rank,
                worst_rank: sens(i).worst_rank,
            },
            traded_local: s.traded_local[i].map(str::to_string),
            value_chain: s.chains.as_ref().and_then(|c| c[r][i].clone()),
        }
    };
    let candidates: Vec<Candidate> = scored.iter().map(candidate).collect();
    let warning = crate::complexity::reliability_warning(s.industries.len(), s.regions.len(), lang);
    Ok(StrategyReport {
        region: Named {
            code: cat.region(rid).code.clone(),
            name: region_name(cat, rid, lang),
        },
        measure: measure_json(&s.loaded.dataset.measure),
        level: q.level.name(),
        from: s.from.0,
        to: s.to.0,
        top: q.top,
        weights: weights_map(&weights),
        criteria_meaning: CRITERIA
            .iter()
            .zip(CRITERIA_MEANING)
            .map(|(c, m)| (c.to_string(), m.to_string()))
            .collect(),
        selected: candidates.iter().take(q.top).cloned().collect(),
        sensitivity: SensitivityReport {
            draws: q.draws,
            sigma: q.sigma,
            seed: q.seed,
            table: scored
                .iter()
                .map(|x| SensitivityRow {
                    industry: s.industries[x.candidate].clone(),
                    rank: x.rank,
                    in_top_k: sens(x.candidate).in_top_k,
                    best_rank: sens(x.candidate).best_rank,
                    worst_rank: sens(x.candidate).worst_rank,
                })
                .collect(),
        },
        candidates,
        excluded: s.excluded,
        diagnostics: s.notes.into_iter().chain(warning.clone()).collect(),
        reliability_warning: warning,
        attribution: s.loaded.attribution.clone(),
    })
}
