//! Innovation networks: reading actors and ties, and the questions `regis network` answers
//! (summary, centrality, brokerage). The measures are `regis_methods::network`'s.

use crate::table::{Cell, Column, Table, Tabular};
use crate::Result;
use regis_data::table::{parse_number_in, Table as DataTable};
use regis_data::{DataError, ErrorKind};
use regis_methods::network::{mixing, paths, spectral, structure, Network};
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;

/// A file the network is read from: a path (the CLI) or uploaded bytes with the name they
/// came under (the API; never a path).
#[derive(Debug, Clone)]
pub enum Input {
    /// A file on this machine.
    Path(PathBuf),
    /// An upload: its file name (for the format and the messages) and its bytes.
    Upload {
        /// The name it was uploaded under.
        name: String,
        /// Its bytes.
        bytes: Vec<u8>,
    },
}

impl Input {
    fn read(&self) -> Result<DataTable> {
        Ok(match self {
            Input::Path(p) => DataTable::read(p, &Default::default())?,
            Input::Upload { name, bytes } => {
                let opts = regis_data::table::ReadOptions {
                    budgets: regis_data::budget::Budgets::upload(),
                    ..Default::default()
                };
                DataTable::from_bytes(bytes, name, &opts)?
            }
        })
    }
}

/// Where the network comes from: an edge list, and optionally an actors file.
#[derive(Debug, Clone, Default)]
pub struct NetworkSource {
    /// The ties: one row per tie (or `participation`).
    pub edges: Option<Input>,
    /// Instead of ties: one row per actor taking part in a project (a joint R&D project, a
    /// co-authored paper, a co-patent); actors of one project are tied with Newman's weight.
    pub participation: Option<Input>,
    /// The participation file's project column.
    pub project_col: String,
    /// The participation file's actor column.
    pub participant_col: String,
    /// The most actor pairs the projects may tie (the CLI: no limit; the server: a budget).
    pub max_project_ties: usize,
    /// The column naming one end of a tie.
    pub source_col: String,
    /// The column naming the other end.
    pub target_col: String,
    /// The tie weight column (none: every tie weighs 1).
    pub weight_col: Option<String>,
    /// The actors: one row per actor; actors without ties are nodes all the same.
    pub actors: Option<Input>,
    /// The actors file's id column.
    pub actor_col: String,
    /// The actor type column (firm, university, research institute…).
    pub type_col: Option<String>,
    /// The actor region column.
    pub region_col: Option<String>,
}

/// Actors and the network of their ties.
#[derive(Debug, Clone)]
pub struct ActorNetwork {
    /// Actor ids, in the order of the actors file, then of first appearance in the ties.
    pub actors: Vec<String>,
    /// The actors file's columns by name (each one value per actor; empty for actors that
    /// appear only in the ties).
    pub attributes: HashMap<String, Vec<String>>,
    /// The type column's name, when given.
    pub type_col: Option<String>,
    /// The region column's name, when given.
    pub region_col: Option<String>,
    /// The ties.
    pub network: Network,
    /// Each project's actors (from a participation file; empty otherwise).
    pub projects: Vec<Vec<usize>>,
}

/// Ties as `(actor, actor, weight)`.
type Ties = Vec<(usize, usize, f64)>;

/// Actor ids seen so far: those of the actors file, then new ones from the ties (refused when
/// an actors file lists the actors).
struct Ids {
    actors: Vec<String>,
    index: HashMap<String, usize>,
    listed: bool,
}

impl Ids {
    fn id(&mut self, t: &DataTable, line: usize, cell: &str, field: &str) -> Result<usize> {
        let id = cell.trim();
        if id.is_empty() {
            return Err(DataError::file(
                ErrorKind::Empty,
                &t.file,
                format!("line {line}, field `{field}`: no actor id"),
            )
            .into());
        }
        if let Some(k) = self.index.get(id) {
            return Ok(*k);
        }
        if self.listed {
            return Err(DataError::file(
                ErrorKind::UnknownActor,
                &t.file,
                format!(
                    "line {line}, field `{field}`: `{}` is not an actor of the actors file",
                    crate::error::shown(id)
                ),
            )
            .into());
        }
        self.index.insert(id.to_string(), self.actors.len());
        self.actors.push(id.to_string());
        Ok(self.actors.len() - 1)
    }
}

/// Projects from a participation file, and the ties among each project's actors with
/// Newman's collaboration weight (Newman 2001, *Physical Review E* 64, 016132,
/// doi:10.1103/PhysRevE.64.016132): `w_ij = Σ_p 1/(n_p − 1)` over the projects p that i and j
/// share, `n_p` the project's actors; a project with one actor ties nobody.
fn participation(
    s: &NetworkSource,
    input: &Input,
    ids: &mut Ids,
) -> Result<(Ties, Vec<Vec<usize>>)> {
    let t = input.read()?;
    let (p, a) = (
        t.column(&s.project_col)
            .ok_or_else(|| missing(&t, &s.project_col, "--project-col"))?,
        t.column(&s.participant_col)
            .ok_or_else(|| missing(&t, &s.participant_col, "--participant-col"))?,
    );
    let mut projects: Vec<Vec<usize>> = Vec::new();
    let mut project_index: HashMap<String, usize> = HashMap::new();
    let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
    for row in &t.rows {
        let project = row.cells[p].trim();
        if project.is_empty() {
            return Err(DataError::file(
                ErrorKind::Empty,
                &t.file,
                format!(
                    "line {}, field `{}`: no project id",
                    row.line, s.project_col
                ),
            )
            .into());
        }
        let k = *project_index.entry(project.to_string()).or_insert_with(|| {
            projects.push(Vec::new());
            projects.len() - 1
        });
        let v = ids.id(&t, row.line, &row.cells[a], &s.participant_col)?;
        if let Some(first) = seen.insert((k, v), row.line) {
            return Err(DataError::file(
                ErrorKind::Duplicate,
                &t.file,
                format!(
                    "line {}: `{}` already takes part in project `{}` at line {first}",
                    row.line,
                    crate::error::shown(&ids.actors[v]),
                    crate::error::shown(project)
                ),
            )
            .into());
        }
        projects[k].push(v);
    }
    let pairs: usize = projects
        .iter()
        .map(|m| m.len() * m.len().saturating_sub(1) / 2)
        .sum();
    if pairs > s.max_project_ties {
        return Err(DataError::file(
            ErrorKind::OverBudget,
            &t.file,
            format!(
                "the projects would tie {pairs} pairs of actors (a project of n actors ties \
                 n(n − 1)/2), more than the {} allowed here",
                s.max_project_ties
            ),
        )
        .into());
    }
    Ok((newman_ties(&projects), projects))
}

/// The ties among each project's actors with Newman's weight `Σ_p 1/(n_p − 1)`, ordered by
/// their ends.
pub(crate) fn newman_ties(projects: &[Vec<usize>]) -> Ties {
    let mut weights: HashMap<(usize, usize), f64> = HashMap::new();
    for members in projects {
        if members.len() < 2 {
            continue;
        }
        let w = 1.0 / (members.len() - 1) as f64;
        for (i, &x) in members.iter().enumerate() {
            for &y in &members[i + 1..] {
                *weights.entry((x.min(y), x.max(y))).or_insert(0.0) += w;
            }
        }
    }
    let mut ties: Vec<(usize, usize, f64)> =
        weights.into_iter().map(|((i, j), w)| (i, j, w)).collect();
    ties.sort_by_key(|t| (t.0, t.1));
    ties
}

fn missing(t: &DataTable, name: &str, flag: &str) -> DataError {
    DataError::file(
        ErrorKind::MissingColumn,
        &t.file,
        format!(
            "no column `{}` ({flag}); the columns are {}",
            crate::error::shown(name),
            t.header.join(", ")
        ),
    )
}

/// Ties from an edge list: a tie from an actor to itself, a tie given twice (either way
/// round) and a weight that is not a number > 0 are refused with the line and field.
fn edge_list(s: &NetworkSource, input: &Input, ids: &mut Ids) -> Result<Ties> {
    let t = input.read()?;
    let (a, b) = (
        t.column(&s.source_col)
            .ok_or_else(|| missing(&t, &s.source_col, "--source-col"))?,
        t.column(&s.target_col)
            .ok_or_else(|| missing(&t, &s.target_col, "--target-col"))?,
    );
    let w = match &s.weight_col {
        Some(c) => Some(t.column(c).ok_or_else(|| missing(&t, c, "--weight-col"))?),
        None => None,
    };
    let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
    let mut ties = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let (i, j) = (
            ids.id(&t, row.line, &row.cells[a], &s.source_col)?,
            ids.id(&t, row.line, &row.cells[b], &s.target_col)?,
        );
        if i == j {
            return Err(DataError::file(
                ErrorKind::SelfTie,
                &t.file,
                format!(
                    "line {}: a tie from `{}` to itself; ties join two actors",
                    row.line,
                    crate::error::shown(&ids.actors[i])
                ),
            )
            .into());
        }
        if let Some(first) = seen.insert((i.min(j), i.max(j)), row.line) {
            return Err(DataError::file(
                ErrorKind::Duplicate,
                &t.file,
                format!(
                    "line {}: the tie `{}`-`{}` is already given at line {first} \
                     (ties are undirected; add the weights into one row)",
                    row.line,
                    crate::error::shown(&ids.actors[i]),
                    crate::error::shown(&ids.actors[j])
                ),
            )
            .into());
        }
        let weight = match (w, &s.weight_col) {
            (Some(c), Some(name)) => {
                let cell = row.cells[c].trim();
                parse_number_in(cell, t.decimal_comma)
                    .filter(|x| x.is_finite() && *x > 0.0)
                    .ok_or_else(|| {
                        DataError::file(
                            ErrorKind::NotNumeric,
                            &t.file,
                            format!(
                                "line {}, field `{name}`: `{}` is not a weight > 0",
                                row.line,
                                crate::error::shown(cell)
                            ),
                        )
                    })?
            }
            _ => 1.0,
        };
        ties.push((i, j, weight));
    }
    Ok(ties)
}

/// Reads the network: the actors first (duplicates refused), then the ties, refusing an
/// unknown actor (when an actors file is given), a tie from an actor to itself, a tie given
/// twice (either way round) and a weight that is not a number > 0, each with its file, line
/// and field.
pub fn read_network(s: &NetworkSource) -> Result<ActorNetwork> {
    let mut ids = Ids {
        actors: Vec::new(),
        index: HashMap::new(),
        listed: s.actors.is_some(),
    };
    let mut attributes: HashMap<String, Vec<String>> = HashMap::new();
    if let Some(input) = &s.actors {
        let t = input.read()?;
        let id = t
            .column(&s.actor_col)
            .ok_or_else(|| missing(&t, &s.actor_col, "--actor-col"))?;
        for (flag, col) in [("--type-col", &s.type_col), ("--region-col", &s.region_col)] {
            if let Some(c) = col {
                t.column(c).ok_or_else(|| missing(&t, c, flag))?;
            }
        }
        for row in &t.rows {
            let a = row.cells[id].trim();
            if a.is_empty() {
                return Err(DataError::file(
                    ErrorKind::Empty,
                    &t.file,
                    format!("line {}, field `{}`: no actor id", row.line, s.actor_col),
                )
                .into());
            }
            if ids.index.insert(a.to_string(), ids.actors.len()).is_some() {
                return Err(DataError::file(
                    ErrorKind::Duplicate,
                    &t.file,
                    format!(
                        "line {}, field `{}`: actor `{}` is listed twice",
                        row.line,
                        s.actor_col,
                        crate::error::shown(a)
                    ),
                )
                .into());
            }
            ids.actors.push(a.to_string());
        }
        for (c, name) in t.header.iter().enumerate() {
            attributes.insert(
                name.clone(),
                t.rows
                    .iter()
                    .map(|r| r.cells[c].trim().to_string())
                    .collect(),
            );
        }
    }
    let (ties, projects) = match (&s.edges, &s.participation) {
        (Some(edges), None) => (edge_list(s, edges, &mut ids)?, Vec::new()),
        (None, Some(path)) => participation(s, path, &mut ids)?,
        _ => {
            return Err(crate::Error::invalid(
                "missing-parameter",
                "give the ties (--edges FILE) or the projects' participants \
                 (--participation FILE), one of them",
            ))
        }
    };
    let n = ids.actors.len();
    for values in attributes.values_mut() {
        values.resize(n, String::new());
    }
    let network =
        Network::new(n, &ties).map_err(|e| crate::Error::invalid("bad-network", e.to_string()))?;
    Ok(ActorNetwork {
        actors: ids.actors,
        projects,
        attributes,
        type_col: s.type_col.clone(),
        region_col: s.region_col.clone(),
        network,
    })
}

impl ActorNetwork {
    /// Each actor's group by `column` of the actors file (an empty value is its own group,
    /// `(none)`), and the group names.
    pub fn groups(&self, column: &str) -> Result<(Vec<usize>, Vec<String>)> {
        let values = self.attributes.get(column).ok_or_else(|| {
            let mut names: Vec<&String> = self.attributes.keys().collect();
            names.sort();
            crate::Error::invalid(
                "unknown-column",
                if names.is_empty() {
                    format!(
                        "--by {}: groups come from the actors file; give --actors FILE",
                        crate::error::shown(column)
                    )
                } else {
                    format!(
                        "--by {}: the actors file's columns are {}",
                        crate::error::shown(column),
                        names
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
            )
        })?;
        let mut names: Vec<String> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut groups = Vec::with_capacity(values.len());
        for v in values {
            let v = if v.is_empty() { "(none)" } else { v.as_str() };
            let k = *index.entry(v).or_insert_with(|| {
                names.push(v.to_string());
                names.len() - 1
            });
            groups.push(k);
        }
        if names.len() > crate::network_groups::MAX_GROUPS {
            return Err(crate::Error::invalid(
                "too-many-groups",
                format!(
                    "column {} has {} distinct values; groups are actor types or regions, \
                     at most {}",
                    crate::error::shown(column),
                    names.len(),
                    crate::network_groups::MAX_GROUPS
                ),
            ));
        }
        Ok((groups, names))
    }
}

/// `regis network summary`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Actors (with or without ties).
    pub nodes: usize,
    /// Ties.
    pub edges: usize,
    /// `2m / (n(n − 1))`.
    pub density: f64,
    /// Connected components (an actor without ties is one).
    pub components: usize,
    /// Share of connected triples that are closed.
    pub transitivity: f64,
    /// Mean local clustering over every actor.
    pub average_clustering: f64,
    /// Pearson correlation of degrees across ties (None when undefined).
    pub degree_assortativity: Option<f64>,
    /// Nominal assortativity by actor type (with a type column; None when undefined).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_assortativity: Option<f64>,
}

/// The summary of a network.
pub fn summary(n: &ActorNetwork) -> Result<Summary> {
    let g = &n.network;
    let clustering = structure::clustering(g);
    let type_assortativity = match &n.type_col {
        Some(c) => {
            let (groups, names) = n.groups(c)?;
            mixing::nominal_assortativity(g, &groups, names.len())
        }
        None => None,
    };
    Ok(Summary {
        nodes: g.nodes(),
        edges: g.ties(),
        density: g.density(),
        components: g.components().iter().max().map_or(0, |c| c + 1),
        transitivity: structure::transitivity(g),
        average_clustering: if g.nodes() == 0 {
            0.0
        } else {
            clustering.iter().sum::<f64>() / g.nodes() as f64
        },
        degree_assortativity: mixing::degree_assortativity(g),
        type_assortativity,
    })
}

impl Tabular for Summary {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            Column::text("measure"),
            Column::rounded("value", "", 4),
        ]);
        let rows: [(&str, Option<f64>); 8] = [
            ("nodes", Some(self.nodes as f64)),
            ("edges", Some(self.edges as f64)),
            ("density", Some(self.density)),
            ("components", Some(self.components as f64)),
            ("transitivity", Some(self.transitivity)),
            ("average_clustering", Some(self.average_clustering)),
            ("degree_assortativity", self.degree_assortativity),
            ("type_assortativity", self.type_assortativity),
        ];
        for (name, value) in rows {
            if name == "type_assortativity" && value.is_none() {
                continue;
            }
            t.push(vec![Cell::text(name), Cell::num(value)]);
        }
        t
    }
}

/// One actor's centralities.
#[derive(Debug, Clone, Serialize)]
pub struct CentralityRow {
    /// Actor id.
    pub actor: String,
    /// Actor type (with a type column).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// Actor region (with a region column).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Ties.
    pub degree: usize,
    /// Sum of tie weights.
    pub strength: f64,
    /// Normalised betweenness (networkx's convention for undirected graphs).
    pub betweenness: f64,
    /// Closeness (scaled by the share of the network reached).
    pub closeness: f64,
    /// Eigenvector centrality (norm 1).
    pub eigenvector: f64,
    /// PageRank (α 0.85, over the weights).
    pub pagerank: f64,
    /// Burt's constraint (None for an actor without ties).
    pub constraint: Option<f64>,
    /// Burt's effective size (None for an actor without ties).
    pub effective_size: Option<f64>,
    /// Core number.
    pub core: usize,
}

/// `regis network centrality`: one row per actor.
#[derive(Debug, Clone, Serialize)]
pub struct Centrality {
    /// The actors, in input order.
    pub actors: Vec<CentralityRow>,
}

/// Every actor's centralities.
pub fn centrality(n: &ActorNetwork) -> Result<Centrality> {
    let g = &n.network;
    let p = paths::centrality(g);
    let not_converged = |what: &str| {
        crate::Error::invalid(
            "not-converged",
            format!("{what} did not converge on this network"),
        )
    };
    let eigenvector = spectral::eigenvector(g).map_err(|_| not_converged("eigenvector"))?;
    let pagerank = spectral::pagerank(g, 0.85).map_err(|_| not_converged("PageRank"))?;
    let holes = structure::structural_holes(g);
    let core = structure::core_number(g);
    let (degree, strength) = (g.degree(), g.strength());
    let column = |c: &Option<String>, v: usize| {
        c.as_ref()
            .and_then(|c| n.attributes.get(c))
            .map(|values| values[v].clone())
    };
    let defined = |x: f64| x.is_finite().then_some(x);
    Ok(Centrality {
        actors: (0..g.nodes())
            .map(|v| CentralityRow {
                actor: n.actors[v].clone(),
                r#type: column(&n.type_col, v),
                region: column(&n.region_col, v),
                degree: degree[v],
                strength: strength[v],
                betweenness: p.betweenness[v],
                closeness: p.closeness[v],
                eigenvector: eigenvector[v],
                pagerank: pagerank[v],
                constraint: defined(holes.constraint[v]),
                effective_size: defined(holes.effective_size[v]),
                core: core[v],
            })
            .collect(),
    })
}

impl Tabular for Centrality {
    fn table(&self) -> Table {
        let typed = self.actors.iter().any(|a| a.r#type.is_some());
        let regional = self.actors.iter().any(|a| a.region.is_some());
        let mut columns = vec![Column::text("actor")];
        if typed {
            columns.push(Column::text("type"));
        }
        if regional {
            columns.push(Column::text("region"));
        }
        columns.extend([
            Column::integer("degree"),
            Column::rounded("strength", "", 2),
            Column::rounded("betweenness", "", 4),
            Column::rounded("closeness", "", 4),
            Column::rounded("eigenvector", "", 4),
            Column::rounded("pagerank", "", 4),
            Column::rounded("constraint", "", 4),
            Column::rounded("effective_size", "", 2),
            Column::integer("core"),
        ]);
        let mut t = Table::new(columns);
        for a in &self.actors {
            let mut row = vec![Cell::text(&a.actor)];
            if typed {
                row.push(Cell::text(a.r#type.clone().unwrap_or_default()));
            }
            if regional {
                row.push(Cell::text(a.region.clone().unwrap_or_default()));
            }
            row.extend([
                Cell::int(a.degree as i64),
                Cell::num(Some(a.strength)),
                Cell::num(Some(a.betweenness)),
                Cell::num(Some(a.closeness)),
                Cell::num(Some(a.eigenvector)),
                Cell::num(Some(a.pagerank)),
                Cell::num(a.constraint),
                Cell::num(a.effective_size),
                Cell::int(a.core as i64),
            ]);
            t.push(row);
        }
        t
    }

    fn note(&self) -> String {
        "betweenness and closeness count steps (ties alone), normalised as networkx does; \
         strength, PageRank (α 0.85), constraint and effective size use the tie weights"
            .into()
    }
}

/// The five roles and their total, for one actor or all.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RoleCounts {
    /// Broker and both ends in one group.
    pub coordinator: u64,
    /// Both ends in one group, the broker in another.
    pub itinerant: u64,
    /// The broker in the sender's group.
    pub representative: u64,
    /// The broker in the receiver's group.
    pub gatekeeper: u64,
    /// Three groups.
    pub liaison: u64,
    /// All roles.
    pub total: u64,
}

impl From<mixing::Roles> for RoleCounts {
    fn from(r: mixing::Roles) -> RoleCounts {
        RoleCounts {
            coordinator: r.coordinator,
            itinerant: r.itinerant,
            representative: r.representative,
            gatekeeper: r.gatekeeper,
            liaison: r.liaison,
            total: r.total(),
        }
    }
}

/// One actor's brokerage.
#[derive(Debug, Clone, Serialize)]
pub struct BrokerRow {
    /// Actor id.
    pub actor: String,
    /// The actor's group.
    pub group: String,
    /// Its roles.
    #[serde(flatten)]
    pub roles: RoleCounts,
}

/// `regis network brokerage --by COL`.
#[derive(Debug, Clone, Serialize)]
pub struct Brokerage {
    /// The actors file's column that defines the groups.
    pub by: String,
    /// One row per actor, in input order.
    pub actors: Vec<BrokerRow>,
    /// All actors together.
    pub totals: RoleCounts,
}

/// Gould-Fernandez brokerage roles with groups from the actors file's column `by`.
pub fn brokerage(n: &ActorNetwork, by: &str) -> Result<Brokerage> {
    let (groups, names) = n.groups(by)?;
    let (each, totals) = mixing::brokerage(&n.network, &groups);
    Ok(Brokerage {
        by: by.to_string(),
        actors: each
            .into_iter()
            .enumerate()
            .map(|(v, r)| BrokerRow {
                actor: n.actors[v].clone(),
                group: names[groups[v]].clone(),
                roles: r.into(),
            })
            .collect(),
        totals: totals.into(),
    })
}

impl Tabular for Brokerage {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            Column::text("actor"),
            Column::text("group"),
            Column::integer("coordinator"),
            Column::integer("itinerant"),
            Column::integer("representative"),
            Column::integer("gatekeeper"),
            Column::integer("liaison"),
            Column::integer("total"),
        ]);
        let row = |actor: &str, group: &str, r: &RoleCounts| {
            vec![
                Cell::text(actor),
                Cell::text(group),
                Cell::int(r.coordinator as i64),
                Cell::int(r.itinerant as i64),
                Cell::int(r.representative as i64),
                Cell::int(r.gatekeeper as i64),
                Cell::int(r.liaison as i64),
                Cell::int(r.total as i64),
            ]
        };
        for a in &self.actors {
            t.push(row(&a.actor, &a.group, &a.roles));
        }
        t.push(row("(all)", "", &self.totals));
        t
    }

    fn note(&self) -> String {
        format!(
            "Gould-Fernandez roles by {}; each open two-path a-v-c is counted both ways \
             (a→v→c and c→v→a), as R sna's brokerage counts reciprocal ties",
            self.by
        )
    }
}
