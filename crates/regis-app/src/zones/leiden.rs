//! Leiden communities of a flow network (modularity or CPM), optionally contiguous: the
//! `zones leiden` question, beside the labour-market areas of `zones.rs`.

use super::*;

/// What a Leiden question asks.
#[derive(Debug, Clone)]
pub struct LeidenRequest {
    /// The flows.
    pub source: FlowSource,
    /// `modularity` or `cpm`.
    pub quality: String,
    /// Resolution γ.
    pub resolution: f64,
    /// Seed of the random moves.
    pub seed: u64,
    /// Keep communities contiguous (queen, on the boundaries).
    pub contiguity: bool,
    /// Boundaries of a flow file's units (the CLI only).
    pub boundaries: Option<PathBuf>,
    /// Property of a boundary feature holding the unit code.
    pub boundary_code_field: String,
}

/// One community.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Community {
    /// Number, from 1.
    pub community: usize,
    /// Unit codes.
    pub units: Vec<String>,
}

/// The Leiden report.
#[derive(Debug, Clone, Serialize)]
pub struct LeidenReport {
    /// `leiden`.
    pub method: &'static str,
    /// Quality function.
    pub quality: String,
    /// Resolution.
    pub resolution: f64,
    /// Seed.
    pub seed: u64,
    /// Contiguous communities.
    pub contiguity: bool,
    /// Modularity of the partition.
    pub modularity: f64,
    /// Value of the quality function.
    pub quality_value: f64,
    /// The communities.
    pub communities: Vec<Community>,
    /// Community of each unit.
    #[serde(skip)]
    pub unit_community: Vec<(String, usize)>,
    /// Notes.
    #[serde(skip)]
    pub warnings: Vec<String>,
    #[serde(skip)]
    source: FlowSource,
}

impl LeidenReport {
    /// The province boundaries with each province's community (built-in flows only).
    pub fn geojson(&self) -> Result<serde_json::Value> {
        let codes: Vec<String> = self.unit_community.iter().map(|(c, _)| c.clone()).collect();
        provinces_geojson(
            &self.source,
            &codes,
            json!({"method": "leiden"}),
            |u, props| {
                props.insert(
                    "community".into(),
                    json!(u.map(|u| self.unit_community[u].1)),
                );
            },
        )
    }
}

impl Tabular for LeidenReport {
    fn table(&self) -> crate::table::Table {
        units_with_names(&self.source, &self.unit_community, "community")
    }
    fn note(&self) -> String {
        format!(
            "{} communities; modularity {:.6}",
            self.communities.len(),
            self.modularity
        )
    }
    fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// Answers a [`LeidenRequest`] on the symmetrised flows.
pub fn leiden(q: &LeidenRequest) -> Result<LeidenReport> {
    use regis_methods::community::{leiden, leiden_contiguous, symmetrise, Quality};
    let (codes, flows) = read_flows(&q.source)?;
    let quality = match q.quality.as_str() {
        "modularity" => Quality::Modularity {
            resolution: q.resolution,
        },
        "cpm" => Quality::Cpm {
            resolution: q.resolution,
        },
        other => {
            return Err(DataError::argument(format!(
                "--quality {}: expected modularity or cpm",
                crate::error::shown(other)
            ))
            .into())
        }
    };
    let edges = symmetrise(&flows);
    let mut warnings = Vec::new();
    let c = if q.contiguity {
        let w = unit_contiguity(
            &q.source,
            &q.boundaries,
            &q.boundary_code_field,
            &codes,
            &mut warnings,
        )?;
        let lists: Vec<Vec<usize>> = (0..codes.len()).map(|u| w.neighbours_of(u)).collect();
        leiden_contiguous(codes.len(), &edges, quality, q.seed, &lists)
    } else {
        leiden(codes.len(), &edges, quality, q.seed)
    }
    .map_err(|e| DataError::argument(e.to_string()))?;
    let mut groups: Vec<Vec<String>> = vec![Vec::new(); c.count];
    for (u, &k) in c.membership.iter().enumerate() {
        groups[k].push(codes[u].clone());
    }
    Ok(LeidenReport {
        method: "leiden",
        quality: q.quality.clone(),
        resolution: q.resolution,
        seed: q.seed,
        contiguity: q.contiguity,
        modularity: c.modularity,
        quality_value: c.quality,
        communities: groups
            .into_iter()
            .enumerate()
            .map(|(k, units)| Community {
                community: k + 1,
                units,
            })
            .collect(),
        unit_community: codes
            .iter()
            .enumerate()
            .map(|(u, code)| (code.clone(), c.membership[u] + 1))
            .collect(),
        warnings,
        source: q.source.clone(),
    })
}
