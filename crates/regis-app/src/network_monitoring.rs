//! The cooperation network among the organisations of the monitored programmes: each project's
//! executing organisation and partner organisations are its actors, tied with Newman's
//! collaboration weight, typed and placed in a region as the projects record them. Read with
//! the caller's rights: the public sees published projects only, so no draft's organisation
//! appears in its network.

use crate::network::{newman_ties, ActorNetwork};
use crate::Result;
use regis_methods::network::Network;
use regis_monitor::{Actor, Project, Store};
use std::collections::HashMap;

/// The actors file's columns this source fills: the organisation type and the region.
pub const TYPE_COL: &str = "type";
/// See [`TYPE_COL`]: the SGIS province code of the organisation.
pub const REGION_COL: &str = "region";
/// See [`TYPE_COL`]: how many of the projects read the organisation takes part in.
pub const PROJECTS_COL: &str = "projects";

/// The network of the projects `actor` may see in `store` (no limit on the pairs tied: the
/// CLI's, on the caller's own machine).
pub fn from_store(store: &dyn Store, actor: &Actor) -> Result<ActorNetwork> {
    let projects = store
        .projects(actor)
        .map_err(|e| crate::Error::invalid("monitoring", e.to_string()))?;
    if projects.is_empty() {
        return Err(crate::Error::invalid(
            "no-projects",
            "the monitoring store holds no project you may see (the public sees published \
             ones; REGIS_USER and REGIS_PASSWORD act as a user); an administrator loads the \
             illustrative projects with `regis monitor demo` or imports the programme's",
        ));
    }
    from_projects(&projects, usize::MAX)
}

/// The network of `projects`: organisations identified by their name (trimmed); an
/// organisation recorded with different types or regions in different projects takes the one
/// recorded most often (the first project's on a tie). A project whose executing
/// organisation has no partner makes a node and no tie. Refused (`over-budget`) when the
/// projects would tie more than `max_pairs` pairs (a project of n organisations ties
/// n(n − 1)/2): the server's budget, checked before the ties are built.
///
/// ```
/// use regis_app::network_monitoring::from_projects;
/// use regis_monitor::{OrganisationType, Partner, Project, Status};
/// let project = |id, lead: &str, partners: &[&str]| Project {
///     id, programme_id: 1, title: "t".into(), objective: String::new(), region: "25".into(),
///     partner_regions: vec![], industry: "C".into(), organisation: lead.into(),
///     organisation_type: OrganisationType::SupportOrganisation,
///     partners: partners.iter().map(|p| Partner { organisation: p.to_string(),
///         organisation_type: OrganisationType::Firm, region: "25".into() }).collect(),
///     start_year: 2024, end_year: 2025, status: Status::Published, version: 1 };
/// // Project 1 ties the technopark with two firms (weight 1/2 each, and between them);
/// // project 2 ties it with firm A again (weight 1): 1/2 + 1 = 1.5.
/// let n = from_projects(&[project(1, "TP", &["A", "B"]), project(2, "TP", &["A"])], 100).unwrap();
/// assert_eq!(n.actors, vec!["TP", "A", "B"]);
/// assert_eq!(n.network.weight(0, 1), 1.5);
/// assert_eq!(n.attributes["type"], vec!["support_organisation", "firm", "firm"]);
/// assert_eq!(n.attributes["projects"], vec!["2", "2", "1"]);
/// ```
pub fn from_projects(projects: &[Project], max_pairs: usize) -> Result<ActorNetwork> {
    let mut actors: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // Per actor: (type, region) → (times recorded, first project's position).
    let mut recorded: Vec<HashMap<(String, String), (usize, usize)>> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::with_capacity(projects.len());
    for (k, p) in projects.iter().enumerate() {
        let lead = (
            p.organisation.as_str(),
            p.organisation_type,
            p.region.as_str(),
        );
        let partners = p.partners.iter().map(|q| {
            (
                q.organisation.as_str(),
                q.organisation_type,
                q.region.as_str(),
            )
        });
        let mut these = Vec::new();
        for (name, kind, region) in std::iter::once(lead).chain(partners) {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            let v = *index.entry(name.to_string()).or_insert_with(|| {
                actors.push(name.to_string());
                recorded.push(HashMap::new());
                actors.len() - 1
            });
            // The store refuses a partner named twice or named as the executing
            // organisation; an older record could still repeat one.
            if these.contains(&v) {
                continue;
            }
            these.push(v);
            let seen = recorded[v]
                .entry((kind.id().to_string(), region.to_string()))
                .or_insert((0, k));
            seen.0 += 1;
        }
        members.push(these);
    }
    let mut types = Vec::with_capacity(actors.len());
    let mut regions = Vec::with_capacity(actors.len());
    let mut counts = vec![0usize; actors.len()];
    for these in &members {
        for &v in these {
            counts[v] += 1;
        }
    }
    for options in &recorded {
        let ((kind, region), _) = options
            .iter()
            .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
            .expect("an actor is recorded at least once");
        types.push(kind.clone());
        regions.push(region.clone());
    }
    let pairs: usize = members
        .iter()
        .map(|m| m.len() * m.len().saturating_sub(1) / 2)
        .sum();
    if pairs > max_pairs {
        return Err(crate::Error::invalid(
            "over-budget",
            format!(
                "the {} projects would tie {pairs} pairs of organisations, more than the \
                 {max_pairs} allowed here; run `regis network … --from-monitoring`",
                projects.len()
            ),
        ));
    }
    let ties = newman_ties(&members);
    let network = Network::new(actors.len(), &ties)
        .map_err(|e| crate::Error::invalid("bad-network", e.to_string()))?;
    let attributes = HashMap::from([
        (TYPE_COL.to_string(), types),
        (REGION_COL.to_string(), regions),
        (
            PROJECTS_COL.to_string(),
            counts.iter().map(|c| c.to_string()).collect(),
        ),
    ]);
    Ok(ActorNetwork {
        actors,
        attributes,
        type_col: Some(TYPE_COL.into()),
        region_col: Some(REGION_COL.into()),
        network,
        projects: members,
    })
}

/// What the portal's network page shows, computed at once.
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// The summary measures.
    pub summary: crate::network::Summary,
    /// Every actor's centralities.
    pub centrality: crate::network::Centrality,
    /// Gould-Fernandez brokerage by the grouping.
    pub brokerage: crate::network::Brokerage,
    /// Ties between regions.
    pub regions: crate::network_groups::RegionTies,
    /// The weak-cooperation diagnosis by the grouping.
    pub weak: crate::network_groups::Weak,
}

/// The page's answers on `n`, grouped by the actors column `by` (`type` or `region`).
pub fn dashboard(n: &ActorNetwork, by: &str) -> Result<Dashboard> {
    use crate::network_groups::{defaults, weak, WeakRequest};
    Ok(Dashboard {
        summary: crate::network::summary(n)?,
        centrality: crate::network::centrality(n)?,
        brokerage: crate::network::brokerage(n, by)?,
        regions: crate::network_groups::regions(n)?,
        weak: weak(
            n,
            &WeakRequest {
                by: Some(by.to_string()),
                per: None,
                draws: defaults::DRAWS,
                seed: defaults::SEED,
            },
        )?,
    })
}
