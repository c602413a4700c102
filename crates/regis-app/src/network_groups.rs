//! `regis network regions` (ties between regions, as a flow table) and `regis network weak`
//! (the weak-cooperation diagnosis: ties between actor groups against a degree-preserving
//! random baseline).

use crate::network::ActorNetwork;
use crate::table::{Cell, Column, Table, Tabular};
use crate::Result;
use regis_methods::network::baseline::{configuration_baseline, group_ties, Against};
use regis_methods::network::{mixing, Network};
use serde::Serialize;

/// The most groups (actor types, regions) a grouping column may hold: the group tables are
/// dense, groups × groups.
pub const MAX_GROUPS: usize = 1000;

/// One pair of regions.
#[derive(Debug, Clone, Serialize)]
pub struct RegionPair {
    /// One region (the first in the actors' order of appearance).
    pub origin: String,
    /// The other (the same for ties within a region).
    pub destination: String,
    /// Ties.
    pub ties: usize,
    /// Sum of their weights.
    pub weight: f64,
}

/// `regis network regions`.
#[derive(Debug, Clone, Serialize)]
pub struct RegionTies {
    /// The actors file's region column.
    pub region_col: String,
    /// Each pair of regions with ties, within-region pairs included.
    pub pairs: Vec<RegionPair>,
}

fn region_column(n: &ActorNetwork) -> Result<String> {
    n.region_col.clone().ok_or_else(|| {
        crate::Error::invalid(
            "missing-parameter",
            "regis network regions needs the actors' regions: --actors FILE --region-col COL",
        )
    })
}

/// The ties between regions, each pair once (`origin`, `destination` in the order the regions
/// first appear), with the ties inside each region.
pub fn regions(n: &ActorNetwork) -> Result<RegionTies> {
    let col = region_column(n)?;
    let (groups, names) = n.groups(&col)?;
    Ok(RegionTies {
        region_col: col,
        pairs: group_ties(&n.network, &groups, names.len())
            .into_iter()
            .map(|t| RegionPair {
                origin: names[t.a].clone(),
                destination: names[t.b].clone(),
                ties: t.ties,
                weight: t.weight,
            })
            .collect(),
    })
}

impl Tabular for RegionTies {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            Column::text("origin"),
            Column::text("destination"),
            Column::integer("ties"),
            Column::rounded("weight", "", 2),
        ]);
        for p in &self.pairs {
            t.push(vec![
                Cell::text(&p.origin),
                Cell::text(&p.destination),
                Cell::int(p.ties as i64),
                Cell::num(Some(p.weight)),
            ]);
        }
        t
    }

    fn note(&self) -> String {
        "ties between regions (each pair once, within-region ties included); as CSV it is a \
         flow table: regis zones leiden --input FILE --origin-col origin --dest-col \
         destination --value-col weight"
            .into()
    }
}

/// A count against the baseline, for the report.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Observed {
    /// Observed.
    pub observed: f64,
    /// Mean of the baseline draws.
    pub expected: f64,
    /// Their standard deviation.
    pub sd: f64,
    /// `(observed − expected) / sd`.
    pub z: Option<f64>,
}

impl From<Against> for Observed {
    fn from(a: Against) -> Observed {
        Observed {
            observed: a.observed,
            expected: a.expected,
            sd: a.sd,
            z: a.z,
        }
    }
}

/// One group of actors in one part of the network.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    /// The group (an actor type, or a region).
    pub group: String,
    /// Its actors.
    pub actors: usize,
    /// Their share of the part's actors.
    pub actor_share: f64,
    /// Their share of the part's tie ends.
    pub tie_end_share: f64,
    /// Ties among its actors.
    pub ties_within: usize,
    /// Its ties to the other groups, against the baseline.
    pub ties_across: Observed,
    /// Krackhardt and Stern's E-I index of the group.
    pub ei_index: Option<f64>,
    /// Many actors, few links: at least the average group's share of actors, and a share of
    /// tie ends below half its share of actors or ties to the others 2 sd or more below the
    /// baseline.
    pub many_but_unlinked: bool,
}

/// One pair of groups.
#[derive(Debug, Clone, Serialize)]
pub struct PairRow {
    /// One group.
    pub a: String,
    /// The other (the same for ties within a group).
    pub b: String,
    /// Ties, against the baseline.
    #[serde(flatten)]
    pub ties: Observed,
}

/// The diagnosis of one part of the network (the whole, or one value of `--per`).
#[derive(Debug, Clone, Serialize)]
pub struct WeakPart {
    /// `(all)` or the value of the `--per` column.
    pub part: String,
    /// Actors.
    pub actors: usize,
    /// Ties.
    pub ties: usize,
    /// Density.
    pub density: f64,
    /// The share of ties that join two groups, against the baseline.
    pub cross_share: Observed,
    /// Each group.
    pub groups: Vec<GroupRow>,
    /// Each pair of groups.
    pub pairs: Vec<PairRow>,
    /// The groups that are many but unlinked.
    pub many_but_unlinked: Vec<String>,
}

/// `regis network weak`.
#[derive(Debug, Clone, Serialize)]
pub struct Weak {
    /// The actors file's column that defines the groups.
    pub by: String,
    /// The column that splits the network into parts (each part: its actors and the ties
    /// among them), if any.
    pub per: Option<String>,
    /// Configuration-model draws.
    pub draws: usize,
    /// Their seed.
    pub seed: u64,
    /// The whole network first, then each part.
    pub parts: Vec<WeakPart>,
}

/// What `regis network weak` is asked.
#[derive(Debug, Clone)]
pub struct WeakRequest {
    /// The grouping column (none: the network's type column, else `type`).
    pub by: Option<String>,
    /// The splitting column.
    pub per: Option<String>,
    /// Draws of the baseline (at least 2).
    pub draws: usize,
    /// Seed of the draws.
    pub seed: u64,
}

fn part(name: &str, g: &Network, groups: &[usize], names: &[String], q: &WeakRequest) -> WeakPart {
    let count = names.len();
    let b = configuration_baseline(g, groups, count, q.draws, q.seed);
    let ei = mixing::ei_index(g, groups, count);
    let degree = g.degree();
    let (mut actors, mut ends) = (vec![0usize; count], vec![0usize; count]);
    for (v, &k) in groups.iter().enumerate() {
        actors[k] += 1;
        ends[k] += degree[v];
    }
    let (n, total_ends) = (g.nodes().max(1) as f64, (2 * g.ties()).max(1) as f64);
    let present = actors.iter().filter(|a| **a > 0).count().max(1) as f64;
    let rows: Vec<GroupRow> = (0..count)
        .filter(|&k| actors[k] > 0)
        .map(|k| {
            let actor_share = actors[k] as f64 / n;
            let tie_end_share = ends[k] as f64 / total_ends;
            let across = b.across[k];
            let below = across.z.is_some_and(|z| z <= -2.0);
            GroupRow {
                group: names[k].clone(),
                actors: actors[k],
                actor_share,
                tie_end_share,
                ties_within: ei.internal[k],
                ties_across: across.into(),
                ei_index: ei.groups[k],
                // Without ties in the part there is nothing to compare: nobody is flagged.
                many_but_unlinked: g.ties() > 0
                    && actor_share >= 1.0 / present
                    && (tie_end_share < actor_share / 2.0 || below),
            }
        })
        .collect();
    WeakPart {
        part: name.to_string(),
        actors: g.nodes(),
        ties: g.ties(),
        density: g.density(),
        cross_share: b.cross_share.into(),
        many_but_unlinked: rows
            .iter()
            .filter(|r| r.many_but_unlinked)
            .map(|r| r.group.clone())
            .collect(),
        groups: rows,
        pairs: b
            .pairs
            .iter()
            .filter(|((a, bb), _)| actors[*a] > 0 && actors[*bb] > 0)
            .map(|((a, bb), t)| PairRow {
                a: names[*a].clone(),
                b: names[*bb].clone(),
                ties: (*t).into(),
            })
            .collect(),
    }
}

/// The weak-cooperation diagnosis of the whole network and, with `per`, of each part.
pub fn weak(n: &ActorNetwork, q: &WeakRequest) -> Result<Weak> {
    if q.draws < 2 {
        return Err(crate::Error::invalid(
            "bad-draws",
            format!("--draws {}: the baseline needs at least 2 draws", q.draws),
        )
        .with_fix("draws", "200"));
    }
    let by =
        q.by.clone()
            .or_else(|| n.type_col.clone())
            .unwrap_or_else(|| "type".into());
    let (groups, names) = n.groups(&by)?;
    let mut parts = vec![part("(all)", &n.network, &groups, &names, q)];
    if let Some(per) = &q.per {
        let (split, values) = n.groups(per)?;
        // Each part's actors in one pass; one index buffer for all parts.
        let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); values.len()];
        for (v, &k) in split.iter().enumerate() {
            buckets[k].push(v);
        }
        let mut at = vec![usize::MAX; n.actors.len()];
        for (value, members) in values.iter().zip(&buckets) {
            for (i, &v) in members.iter().enumerate() {
                at[v] = i;
            }
            let ties: Vec<(usize, usize, f64)> = members
                .iter()
                .flat_map(|&u| {
                    let g = &n.network;
                    g.neighbours(u)
                        .iter()
                        .zip(g.tie_weights(u))
                        .filter(|(v, _)| **v > u && at[**v] != usize::MAX)
                        .map(|(v, w)| (at[u], at[*v], *w))
                        .collect::<Vec<_>>()
                })
                .collect();
            let sub = Network::new(members.len(), &ties)
                .map_err(|e| crate::Error::invalid("bad-network", e.to_string()))?;
            let sub_groups: Vec<usize> = members.iter().map(|&v| groups[v]).collect();
            parts.push(part(value, &sub, &sub_groups, &names, q));
            for &v in members {
                at[v] = usize::MAX;
            }
        }
    }
    Ok(Weak {
        by,
        per: q.per.clone(),
        draws: q.draws,
        seed: q.seed,
        parts,
    })
}

impl Tabular for Weak {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            Column::text("part"),
            Column::text("group"),
            Column::integer("actors"),
            Column::rounded("actor_share", "", 3),
            Column::rounded("tie_end_share", "", 3),
            Column::integer("ties_within"),
            Column::rounded("ties_across", "", 0),
            Column::rounded("expected_across", "", 1),
            Column::rounded("z", "", 2),
            Column::rounded("ei_index", "", 3),
            Column::text("many_but_unlinked"),
        ]);
        for p in &self.parts {
            for g in &p.groups {
                t.push(vec![
                    Cell::text(&p.part),
                    Cell::text(&g.group),
                    Cell::int(g.actors as i64),
                    Cell::num(Some(g.actor_share)),
                    Cell::num(Some(g.tie_end_share)),
                    Cell::int(g.ties_within as i64),
                    Cell::num(Some(g.ties_across.observed)),
                    Cell::num(Some(g.ties_across.expected)),
                    Cell::num(g.ties_across.z),
                    Cell::num(g.ei_index),
                    Cell::text(if g.many_but_unlinked { "yes" } else { "" }),
                ]);
            }
        }
        t
    }

    fn more_tables(&self) -> Vec<Table> {
        let mut t = Table::new(vec![
            Column::text("part"),
            Column::text("a"),
            Column::text("b"),
            Column::rounded("ties", "", 0),
            Column::rounded("expected", "", 1),
            Column::rounded("sd", "", 2),
            Column::rounded("z", "", 2),
        ]);
        for p in &self.parts {
            for r in &p.pairs {
                t.push(vec![
                    Cell::text(&p.part),
                    Cell::text(&r.a),
                    Cell::text(&r.b),
                    Cell::num(Some(r.ties.observed)),
                    Cell::num(Some(r.ties.expected)),
                    Cell::num(Some(r.ties.sd)),
                    Cell::num(r.ties.z),
                ]);
            }
        }
        vec![t]
    }

    fn note(&self) -> String {
        let all = &self.parts[0];
        format!(
            "groups by {}; baseline: {} configuration-model draws (seed {}), every actor keeping \
             its degree. Cross-group share of ties {:.3} against {:.3} expected (z {}). Many \
             but unlinked: {}",
            self.by,
            self.draws,
            self.seed,
            all.cross_share.observed,
            all.cross_share.expected,
            all.cross_share
                .z
                .map_or("undefined".to_string(), |z| format!("{z:.2}")),
            if all.many_but_unlinked.is_empty() {
                "none".to_string()
            } else {
                all.many_but_unlinked.join(", ")
            }
        )
    }
}

/// A question `regis network` answers (the CLI's subcommands, the API's routes).
#[derive(Debug, Clone)]
pub enum Question {
    /// `summary`.
    Summary,
    /// `centrality`.
    Centrality,
    /// `brokerage --by COL`.
    Brokerage {
        /// The grouping column.
        by: String,
    },
    /// `regions`.
    Regions,
    /// `weak`.
    Weak(WeakRequest),
    /// `triple-helix`: which values of the type column are university, industry and
    /// government.
    TripleHelix {
        /// University types.
        university: Vec<String>,
        /// Industry types.
        industry: Vec<String>,
        /// Government types.
        government: Vec<String>,
    },
    /// `core`.
    Core {
        /// Seeded random starts beside the degree-ranked ones.
        random_starts: usize,
        /// Their seed.
        seed: u64,
    },
}

/// The answer to a [`Question`].
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// See [`crate::network::summary`].
    Summary(crate::network::Summary),
    /// See [`crate::network::centrality`].
    Centrality(crate::network::Centrality),
    /// See [`crate::network::brokerage`].
    Brokerage(crate::network::Brokerage),
    /// See [`regions`].
    Regions(RegionTies),
    /// See [`weak`].
    Weak(Weak),
    /// See [`core()`].
    Core(CoreReport),
    /// See [`triple_helix`].
    TripleHelix(HelixReport),
}

/// Answers `q` on the network.
pub fn answer(n: &ActorNetwork, q: &Question) -> Result<Answer> {
    use crate::network as net;
    Ok(match q {
        Question::Summary => Answer::Summary(net::summary(n)?),
        Question::Centrality => Answer::Centrality(net::centrality(n)?),
        Question::Brokerage { by } => Answer::Brokerage(net::brokerage(n, by)?),
        Question::Regions => Answer::Regions(regions(n)?),
        Question::Weak(w) => Answer::Weak(weak(n, w)?),
        Question::TripleHelix {
            university,
            industry,
            government,
        } => Answer::TripleHelix(triple_helix(n, [university, industry, government])?),
        Question::Core {
            random_starts,
            seed,
        } => Answer::Core(core(n, *random_starts, *seed)),
    })
}

macro_rules! each_answer {
    ($self:ident, $a:ident => $e:expr) => {
        match $self {
            Answer::Summary($a) => $e,
            Answer::Centrality($a) => $e,
            Answer::Brokerage($a) => $e,
            Answer::Regions($a) => $e,
            Answer::Weak($a) => $e,
            Answer::Core($a) => $e,
            Answer::TripleHelix($a) => $e,
        }
    };
}

impl Tabular for Answer {
    fn table(&self) -> Table {
        each_answer!(self, a => a.table())
    }
    fn more_tables(&self) -> Vec<Table> {
        each_answer!(self, a => a.more_tables())
    }
    fn note(&self) -> String {
        each_answer!(self, a => a.note())
    }
}

/// One actor's place in the core-periphery partition.
#[derive(Debug, Clone, Serialize)]
pub struct CoreRow {
    /// Actor id.
    pub actor: String,
    /// In the core.
    pub in_core: bool,
    /// Ties.
    pub degree: usize,
    /// Ties to core actors.
    pub ties_to_core: usize,
}

/// `regis network core`: Borgatti and Everett's discrete core-periphery model.
#[derive(Debug, Clone, Serialize)]
pub struct CoreReport {
    /// Correlation of the ties with the ideal pattern (core pairs tied, periphery pairs not).
    pub fitness: Option<f64>,
    /// `exhaustive` (up to 20 actors) or `multi-start`.
    pub search: &'static str,
    /// Starts of the local search.
    pub starts: usize,
    /// Starts that reached the best fitness.
    pub starts_at_best: usize,
    /// Core actors.
    pub core_size: usize,
    /// Each actor, core first, then by degree.
    pub actors: Vec<CoreRow>,
}

/// The core-periphery partition of the network.
pub fn core(n: &ActorNetwork, random_starts: usize, seed: u64) -> CoreReport {
    let g = &n.network;
    let cp = regis_methods::network::core_periphery::core_periphery(g, random_starts, seed);
    let degree = g.degree();
    let mut actors: Vec<CoreRow> = (0..g.nodes())
        .map(|v| CoreRow {
            actor: n.actors[v].clone(),
            in_core: cp.core[v],
            degree: degree[v],
            ties_to_core: g.neighbours(v).iter().filter(|&&w| cp.core[w]).count(),
        })
        .collect();
    actors.sort_by(|a, b| b.in_core.cmp(&a.in_core).then(b.degree.cmp(&a.degree)));
    CoreReport {
        fitness: cp.fitness,
        search: cp.search,
        starts: cp.starts,
        starts_at_best: cp.starts_at_best,
        core_size: cp.core.iter().filter(|c| **c).count(),
        actors,
    }
}

impl Tabular for CoreReport {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            Column::text("actor"),
            Column::text("in_core"),
            Column::integer("degree"),
            Column::integer("ties_to_core"),
        ]);
        for a in &self.actors {
            t.push(vec![
                Cell::text(&a.actor),
                Cell::text(if a.in_core { "core" } else { "periphery" }),
                Cell::int(a.degree as i64),
                Cell::int(a.ties_to_core as i64),
            ]);
        }
        t
    }

    fn note(&self) -> String {
        format!(
            "Borgatti-Everett discrete core-periphery model: {} core actors, fitness {} \
             ({} search{})",
            self.core_size,
            self.fitness
                .map_or("undefined".into(), |f| format!("{f:.4}")),
            self.search,
            if self.starts > 0 {
                format!(
                    "; {} of {} starts reached it",
                    self.starts_at_best, self.starts
                )
            } else {
                String::new()
            }
        )
    }
}

/// `regis network triple-helix`: Leydesdorff's T_UIG over the projects.
#[derive(Debug, Clone, Serialize)]
pub struct HelixReport {
    /// The projects counted.
    pub projects: usize,
    /// Projects by which of university, industry and government take part: `"UIG"` keys
    /// with 1 (takes part) or 0, e.g. `"110"` for university and industry without government.
    pub counts: std::collections::BTreeMap<String, f64>,
    /// T_UIG in bits (negative: synergy).
    pub t_uig: f64,
    /// Mutual information of each pair, bits.
    pub t_ui: f64,
    /// See `t_ui`.
    pub t_ug: f64,
    /// See `t_ui`.
    pub t_ig: f64,
    /// The type values of each helix.
    pub university: Vec<String>,
    /// See `university`.
    pub industry: Vec<String>,
    /// See `university`.
    pub government: Vec<String>,
}

/// T_UIG from the projects of a participation file, each actor's helix from the type column.
pub fn triple_helix(n: &ActorNetwork, helices: [&Vec<String>; 3]) -> Result<HelixReport> {
    let col = n.type_col.clone().ok_or_else(|| {
        crate::Error::invalid(
            "missing-parameter",
            "regis network triple-helix needs the actors' types: --actors FILE --type-col COL",
        )
    })?;
    if n.projects.is_empty() {
        return Err(crate::Error::invalid(
            "missing-parameter",
            "regis network triple-helix counts joint outputs: give the projects' participants \
             (--participation FILE), not ties",
        ));
    }
    let types = n.attributes.get(&col).ok_or_else(|| {
        crate::Error::invalid(
            "missing-parameter",
            format!(
                "type_col {}: the types come from the actors file; give it (--actors FILE)",
                crate::error::shown(&col)
            ),
        )
    })?;
    let mut counts = [0.0; 8];
    for members in &n.projects {
        let mut cell = 0;
        for &v in members {
            for (bit, values) in helices.iter().enumerate() {
                if values.iter().any(|t| *t == types[v]) {
                    cell |= 1 << (2 - bit);
                }
            }
        }
        counts[cell] += 1.0;
    }
    let t = regis_methods::network::triple_helix::triple_helix(&counts)
        .ok_or_else(|| crate::Error::invalid("no-projects", "no project to count"))?;
    Ok(HelixReport {
        projects: n.projects.len(),
        counts: (0..8)
            .map(|k| (format!("{}{}{}", k >> 2 & 1, k >> 1 & 1, k & 1), counts[k]))
            .collect(),
        t_uig: t.t_uig,
        t_ui: t.t_ui,
        t_ug: t.t_ug,
        t_ig: t.t_ig,
        university: helices[0].clone(),
        industry: helices[1].clone(),
        government: helices[2].clone(),
    })
}

impl Tabular for HelixReport {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            Column::text("measure"),
            Column::rounded("bits", "", 4),
        ]);
        for (name, v) in [
            ("t_uig", self.t_uig),
            ("t_ui", self.t_ui),
            ("t_ug", self.t_ug),
            ("t_ig", self.t_ig),
        ] {
            t.push(vec![Cell::text(name), Cell::num(Some(v))]);
        }
        t
    }

    fn more_tables(&self) -> Vec<Table> {
        let mut t = Table::new(vec![Column::text("uig"), Column::integer("projects")]);
        for (k, v) in &self.counts {
            t.push(vec![Cell::text(k), Cell::int(*v as i64)]);
        }
        vec![t]
    }

    fn note(&self) -> String {
        format!(
            "Leydesdorff's T_UIG over {} projects (negative: synergy); university = {}, \
             industry = {}, government = {}",
            self.projects,
            self.university.join("|"),
            self.industry.join("|"),
            self.government.join("|")
        )
    }
}

/// Defaults of the questions, for the CLI's flags and the API's fields alike.
pub mod defaults {
    /// Configuration-model draws of `weak`.
    pub const DRAWS: usize = 200;
    /// Seeded random starts of `core`, beside the degree-ranked ones.
    pub const STARTS: usize = 20;
    /// Seed of `weak`'s draws and `core`'s starts.
    pub const SEED: u64 = 1;
    /// Type values of each helix of `triple-helix` (comma-separated).
    pub const UNIVERSITY: &str = "university";
    /// See [`UNIVERSITY`].
    pub const INDUSTRY: &str = "firm";
    /// See [`UNIVERSITY`]: public research institutes count with government (spelled as in
    /// an actors file, or as the monitoring store records them).
    pub const GOVERNMENT: &str = "government,public research institute,research_institute";
}

impl Question {
    /// The question of `regis network NAME` (`summary`, `centrality`, …) with the defaults of
    /// the CLI; `None` for another name.
    pub fn named(name: &str) -> Option<Question> {
        Some(match name {
            "summary" => Question::Summary,
            "centrality" => Question::Centrality,
            "brokerage" => Question::Brokerage { by: String::new() },
            "regions" => Question::Regions,
            "weak" => Question::Weak(WeakRequest {
                by: None,
                per: None,
                draws: defaults::DRAWS,
                seed: defaults::SEED,
            }),
            "core" => Question::Core {
                random_starts: defaults::STARTS,
                seed: defaults::SEED,
            },
            "triple-helix" => {
                let list = |v: &str| v.split(',').map(String::from).collect();
                Question::TripleHelix {
                    university: list(defaults::UNIVERSITY),
                    industry: list(defaults::INDUSTRY),
                    government: list(defaults::GOVERNMENT),
                }
            }
            _ => return None,
        })
    }

    /// Roughly how many elementary steps the answer takes on `n`, for a server to refuse
    /// what would hold a worker too long (the CLI has no such limit).
    pub fn work(&self, n: &ActorNetwork) -> f64 {
        let g = &n.network;
        let (nodes, ties) = (g.nodes() as f64, g.ties() as f64);
        let pairs: f64 = g.degree().iter().map(|d| (*d as f64).powi(2)).sum();
        let local = nodes + ties + pairs;
        match self {
            Question::Summary
            | Question::Brokerage { .. }
            | Question::Regions
            | Question::TripleHelix { .. } => local,
            // One search per source, plus the spectral iterations.
            // One search per source, and the spectral iterations (a few thousand at most
            // on most networks; the methods stop at 10,000).
            Question::Centrality => nodes * (nodes + 2.0 * ties) + 4000.0 * (nodes + ties) + local,
            // Every draw over the whole network and over each part again, each draw also
            // summing its pairs of groups (and each group's ties across: groups² again).
            Question::Weak(w) => {
                let distinct = |col: &str| -> f64 {
                    n.attributes.get(col).map_or(MAX_GROUPS as f64, |v| {
                        v.iter().collect::<std::collections::HashSet<_>>().len() as f64
                    })
                };
                let by =
                    w.by.clone()
                        .or_else(|| n.type_col.clone())
                        .unwrap_or_else(|| "type".into());
                let groups = distinct(&by).min(MAX_GROUPS as f64);
                let parts = w.per.as_deref().map_or(0.0, distinct);
                4.0 * w.draws as f64 * (parts + 1.0) * (ties + 2.0 * groups * groups) + local
            }
            Question::Core { random_starts, .. } => {
                if g.nodes() <= regis_methods::network::core_periphery::EXHAUSTIVE {
                    2f64.powi(g.nodes() as i32) * (1.0 + 2.0 * ties / nodes.max(1.0))
                } else {
                    (10 + random_starts) as f64 * nodes * nodes * 2.0
                }
            }
        }
    }
}
