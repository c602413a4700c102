//! "Which industries form clusters, and where is each cluster strong?": clusters given by a
//! definition table or derived from co-location (average linkage on the correlation of
//! regional shares, optionally averaged with input-output links), with silhouettes and the
//! European Cluster Observatory's star ratings. Behind `regis clusters` and
//! `GET /api/v1/clusters`.
//!
//! Derived clusters are drawn among the traded industries only, as Delgado, Porter & Stern
//! (2016) draw theirs: local and public services are everywhere in proportion to people and
//! would otherwise gather into one large group (12 of the 22 KOSIS activities did). They are
//! listed in the diagnostics, and `include_local` clusters them too. One cluster holding more
//! than half the industries is reported (`[lopsided-clusters]`).

use std::path::PathBuf;

use regis_core::TOTAL_INDUSTRY;
use regis_data::export::measure_json;
use regis_data::DataError;
use regis_methods::clusters::{
    aggregate, average_linkage, colocation_similarity, silhouette, star_ratings,
    within_between_ratio,
};
use serde::Serialize;

use crate::matrix::{
    choose_industries, industry_name, matrix, region_name, regions_at, require_additive,
    with_default_measure, IndustryChoice,
};
use crate::resolve::{one_period, panel_at_level};
use crate::source::{Source, Sources};
use crate::strategy::Named;
use crate::table::{Cell, Column, Table, Tabular};
use crate::{Lang, Result};

/// Where the clusters come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Definitions {
    /// Derived from co-location into `k` clusters.
    Derived {
        /// Number of clusters.
        k: usize,
    },
    /// The built-in U.S. benchmark definitions (`us`: 6-digit NAICS 2012).
    Us,
    /// A user's CSV or XLSX file with `industry` and `cluster` columns (the CLI only).
    File(PathBuf),
}

/// What to compute.
#[derive(Debug, Clone)]
pub struct ClustersRequest {
    /// The measure (default `grdp_nominal`) or file.
    pub source: Source,
    /// Level of the regions.
    pub level: regis_core::Level,
    /// The period (none: the latest).
    pub period: Option<i32>,
    /// The industries (derived clusters).
    pub choice: IndustryChoice,
    /// Where the clusters come from.
    pub definitions: Definitions,
    /// An input-output table whose links are averaged into the similarity (the CLI only).
    pub io: Option<PathBuf>,
    /// Average the built-in Bank of Korea table's links into the similarity (when no `io`
    /// file is given and the table covers the industries).
    pub io_links: bool,
    /// `clusters` (members) or `stars` (region x cluster ratings): the table of `rows`.
    pub view: String,
    /// Derived clusters: local and public industries are clustered too (by default only the
    /// traded industries are, as in Delgado, Porter & Stern 2016).
    pub include_local: bool,
    /// Language of names.
    pub lang: Lang,
}

/// A cluster and its industries.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Cluster {
    /// Number, from 1.
    pub cluster: usize,
    /// Name.
    pub name: String,
    /// Member industries.
    pub industries: Vec<Named>,
}

/// A region's strength in a cluster.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stars {
    /// Region code.
    pub region_code: String,
    /// Region name.
    pub region: String,
    /// Cluster number.
    pub cluster: usize,
    /// Cluster name.
    pub name: String,
    /// The region's value in the cluster (measure's unit).
    pub value: f64,
    /// Location quotient of the cluster in the region.
    pub lq: f64,
    /// Stars (0-3).
    pub stars: usize,
    /// Size star: top 10% of region-cluster values.
    pub size: bool,
    /// Specialisation star: LQ ≥ 2.
    pub specialisation: bool,
    /// Focus star: top 10% of shares of the region's total.
    pub focus: bool,
}

/// The clusters report.
#[derive(Debug, Clone, Serialize)]
pub struct ClustersReport {
    /// The measure.
    pub measure: serde_json::Value,
    /// Level.
    pub level: String,
    /// Period.
    pub period: i32,
    /// How the clusters were made and how well they hold together.
    pub validation: serde_json::Value,
    /// The method in words.
    pub method: String,
    /// Silhouette of derived clusters.
    pub silhouette: Option<f64>,
    /// The clusters.
    pub clusters: Vec<Cluster>,
    /// Every region x cluster rating, most stars first.
    pub stars: Vec<Stars>,
    /// Industries left out of derived clusters as local or public, with the reason.
    pub excluded: Vec<crate::strategy::Excluded>,
    /// Notes.
    pub diagnostics: Vec<String>,
    /// Where the data come from.
    pub attribution: String,
    /// The view's table.
    pub rows: Table,
    #[serde(skip)]
    note: String,
}

impl Tabular for ClustersReport {
    fn table(&self) -> Table {
        self.rows.clone()
    }
    fn note(&self) -> String {
        self.note.clone()
    }
}

/// Reads cluster definitions: industry code -> cluster name.
fn definitions(d: &Definitions) -> Result<Vec<(String, String)>> {
    let (file, table) = match d {
        Definitions::Us => {
            let (path, text) = regis_data::korea::NAICS_CLUSTERS_CSV;
            (
                path.to_string(),
                regis_data::table::Table::from_csv_text(text, path, None)?,
            )
        }
        Definitions::File(p) => (
            p.display().to_string(),
            regis_data::table::Table::read(p, &Default::default())?,
        ),
        Definitions::Derived { .. } => return Ok(Vec::new()),
    };
    let missing = |what: &str| {
        DataError::file(
            regis_data::ErrorKind::MissingColumn,
            &file,
            format!(
                "expected a `{what}` column; columns are: {}",
                table.header.join(", ")
            ),
        )
    };
    let ic = table
        .column("industry")
        .or_else(|| table.column("naics"))
        .or_else(|| table.column("code"))
        .ok_or_else(|| missing("industry"))?;
    let cc = table.column("cluster").ok_or_else(|| missing("cluster"))?;
    Ok(table
        .rows
        .iter()
        .map(|r| {
            (
                r.cells[ic].trim().to_string(),
                r.cells[cc].trim().to_string(),
            )
        })
        .collect())
}

/// Answers a [`ClustersRequest`].
pub fn clusters(sources: &Sources, q: &ClustersRequest) -> Result<ClustersReport> {
    let loaded = sources.load(&with_default_measure(&q.source), None)?;
    require_additive(&loaded, "clusters sum industries")?;
    let (level, lang) = (q.level, q.lang);
    let cat = &loaded.catalog;
    let panel = panel_at_level(&loaded, level)?;
    let period = one_period(panel.periods(), q.period, &loaded.dataset.measure.id)?;
    let regions = regions_at(&panel, cat, level);
    let mut notes: Vec<String> = Vec::new();
    let mut silhouette_value = None;
    let mut left_out = Vec::new();
    let method;
    let (industries, labels, names, validation) = match &q.definitions {
        Definitions::Derived { k } => {
            let k = *k;
            let chosen = choose_industries(&panel, &q.choice)?;
            // Clusters of related industries are drawn among the traded industries (those
            // that sell outside the region); local and public ones stay out unless asked for.
            let (eligible, excluded, _) =
                crate::strategy::eligibility(&panel, &chosen, q.include_local, lang);
            let inds: Vec<String> = eligible.iter().map(|&i| chosen[i].clone()).collect();
            if !excluded.is_empty() {
                let names: Vec<String> = excluded
                    .iter()
                    .map(|e| format!("{} ({})", e.name, e.traded_local))
                    .collect();
                notes.push(format!(
                    "[local-industries-left-out] {} industries are not clustered, being local or public (include_local / --include-local clusters them too): {}",
                    excluded.len(),
                    names.join(", ")
                ));
            }
            left_out = excluded.clone();
            let (m, _, d) = matrix(
                &panel,
                cat,
                &regions,
                &inds,
                period,
                q.choice.missing_as_zero,
            );
            // Regions with a missing cell stay out of the similarity only: the stars below
            // rate every region, a missing cell counted as zero.
            notes.extend(d.iter().map(|x| {
                if x.code == "regions-with-missing-cells" {
                    x.to_string().replace(
                        "left out (a missing industry value; --missing-as-zero keeps them)",
                        "left out of the industries' co-location similarity (a missing industry value; --missing-as-zero keeps them), but rated in the stars with the missing cell as zero",
                    )
                } else {
                    x.to_string()
                }
            }));
            if k < 2 || k >= inds.len() {
                let e = crate::Error::invalid(
                    "bad-parameter",
                    format!(
                        "--k must be between 2 and {} ({} industries to cluster{})",
                        inds.len().saturating_sub(1),
                        inds.len(),
                        if excluded.is_empty() {
                            ""
                        } else {
                            "; --include-local adds the local and public ones"
                        }
                    ),
                );
                return Err(if inds.len() > 2 {
                    e.with_fix("k", k.clamp(2, inds.len() - 1).to_string())
                } else {
                    e
                });
            }
            let mut sim = colocation_similarity(&m);
            if q.io.is_none() && q.io_links {
                if !crate::io_chain::covers(&chosen) {
                    return Err(crate::Error::invalid(
                        "no-io-table",
                        "the built-in input-output table covers the KOSIS GRDP activities; these industries are not those (give --io FILE)",
                    ));
                }
                let (z, x) = crate::io_chain::industry_flows(&chosen)?;
                let io = regis_methods::input_output::io_similarity(&z, &x).map_err(|e| {
                    crate::Error::invalid("io-table", format!("built-in table: {e}"))
                })?;
                let n = chosen.len();
                for (a, &i) in eligible.iter().enumerate() {
                    for (b, &j) in eligible.iter().enumerate() {
                        let s = &mut sim[a * inds.len() + b];
                        *s = (*s + io[i * n + j]) / 2.0;
                    }
                }
                notes.push(format!(
                    "similarity = mean of co-location correlation and the input-output links of the Bank of Korea's 2020 table (83 sectors summed to the industries); {}",
                    regis_data::korea::io::IO_ATTRIBUTION
                ));
            }
            if let Some(p) = &q.io {
                // The table may hold every industry (local ones too): links among the
                // clustered ones are kept.
                let t = regis_data::io_table::read_io_table(p, &chosen)?;
                let io = regis_methods::input_output::io_similarity(&t.flows, &t.output).map_err(
                    |e| DataError::file(regis_data::ErrorKind::NotNumeric, p, e.to_string()),
                )?;
                let n = chosen.len();
                for (a, &i) in eligible.iter().enumerate() {
                    for (b, &j) in eligible.iter().enumerate() {
                        let s = &mut sim[a * inds.len() + b];
                        *s = (*s + io[i * n + j]) / 2.0;
                    }
                }
                notes.push(
                    "similarity = mean of co-location correlation and input-output links".into(),
                );
            }
            let dist: Vec<f64> = sim.iter().map(|x| 1.0 - x).collect();
            let lab = average_linkage(&dist, inds.len(), k);
            let sil = silhouette(&dist, &lab);
            silhouette_value = Some(sil);
            // Average linkage leaves outliers as clusters of one and can gather most
            // industries in one group; say so when one cluster holds more than half.
            let largest = (0..k)
                .map(|c| lab.iter().filter(|l| **l == c).count())
                .max()
                .unwrap_or(0);
            if 2 * largest > inds.len() {
                notes.push(format!(
                    "[lopsided-clusters] one cluster holds {largest} of {} industries: at this grain their regional patterns are too alike to be told apart; a larger k or a finer level separates more",
                    inds.len()
                ));
            }
            let ratio = within_between_ratio(&sim, &lab);
            let with_io = q.io.is_some() || q.io_links;
            if with_io {
                notes.push("clusters derived from co-location and input-output links (average linkage): a simplification of Delgado, Porter & Stern (2016), which also uses occupation links".into());
                method = "co-location and input-output similarity, average linkage (a simplification of Delgado, Porter & Stern 2016)".to_string();
            } else {
                notes.push("clusters derived from co-location only (correlation of regional shares, average linkage): a simplification of Delgado, Porter & Stern (2016), which also uses input-output and occupation links (--io-links adds the built-in input-output table's)".into());
                method = "co-location similarity, average linkage (a simplification of Delgado, Porter & Stern 2016)".to_string();
            }
            // Each cluster is named after its two largest industries (national totals).
            let totals = m.industry_totals();
            let names: Vec<String> = (0..k)
                .map(|c| {
                    let mut members: Vec<usize> =
                        (0..inds.len()).filter(|&i| lab[i] == c).collect();
                    members.sort_by(|a, b| totals[*b].total_cmp(&totals[*a]));
                    let shown: Vec<String> = members
                        .iter()
                        .take(2)
                        .map(|&i| industry_name(&panel, &inds[i], lang))
                        .collect();
                    let more = members.len().saturating_sub(2);
                    match (more, lang) {
                        (0, _) => shown.join(" · "),
                        (n, Lang::Ko) => format!("{} 외 {n}개", shown.join(" · ")),
                        (n, Lang::En) => format!("{} and {n} more", shown.join(" · ")),
                    }
                })
                .collect();
            (
                inds,
                lab.into_iter().map(Some).collect::<Vec<_>>(),
                names,
                serde_json::json!({"method": if with_io { "co-location and input-output similarity, average linkage" } else { "co-location similarity, average linkage" }, "k": k, "silhouette": sil, "within_between_similarity_ratio": ratio}),
            )
        }
        given => {
            let defs = definitions(given)?;
            let spec = match given {
                Definitions::File(p) => p.display().to_string(),
                _ => "us".to_string(),
            };
            let mut names: Vec<String> = Vec::new();
            let mut inds = Vec::new();
            let mut labels = Vec::new();
            for i in panel.industries().iter().filter(|i| *i != TOTAL_INDUSTRY) {
                let label = defs.iter().find(|(code, _)| code == i).map(|(_, c)| {
                    match names.iter().position(|n| n == c) {
                        Some(k) => k,
                        None => {
                            names.push(c.clone());
                            names.len() - 1
                        }
                    }
                });
                inds.push(i.clone());
                labels.push(label);
            }
            let matched = labels.iter().filter(|l| l.is_some()).count();
            if matched == 0 {
                return Err(DataError::argument(format!("no industry of `{}` is in the cluster definitions ({} codes); the definitions must use the data's industry codes (the `us` table uses 6-digit NAICS 2012)", loaded.dataset.measure.id, defs.len())).into());
            }
            notes.push(format!(
                "{matched} of {} industries mapped to {} given clusters",
                inds.len(),
                names.len()
            ));
            method = format!("given definitions ({spec})");
            (inds, labels, names, serde_json::json!({"source": spec}))
        }
    };
    let nc = names.len();
    let clusters: Vec<Cluster> = (0..nc)
        .map(|c| Cluster {
            cluster: c + 1,
            name: names[c].clone(),
            industries: industries
                .iter()
                .zip(&labels)
                .filter(|(_, l)| **l == Some(c))
                .map(|(i, _)| Named {
                    code: i.clone(),
                    name: industry_name(&panel, i, lang),
                })
                .collect(),
        })
        .collect();
    // Stars on every industry of a cluster (a missing cell counts as absent there).
    let (m, kept, star_notes) = matrix(&panel, cat, &regions, &industries, period, true);
    let totals: Vec<f64> = kept
        .iter()
        .map(|r| {
            panel.get(*r, TOTAL_INDUSTRY, period).unwrap_or_else(|| {
                industries
                    .iter()
                    .filter_map(|i| panel.get(*r, i, period))
                    .sum()
            })
        })
        .collect();
    let agg = aggregate(&m, &labels, nc);
    let ratings = star_ratings(&agg, &totals);
    let cluster_totals = agg.industry_totals();
    let grand: f64 = totals.iter().sum();
    let mut stars = Vec::new();
    for (r, id) in kept.iter().enumerate() {
        for c in 0..nc {
            let s = ratings[r * nc + c];
            let v = agg.get(r, c);
            let lq = if totals[r] > 0.0 && cluster_totals[c] > 0.0 {
                (v / totals[r]) / (cluster_totals[c] / grand)
            } else {
                0.0
            };
            stars.push(Stars {
                region_code: cat.region(*id).code.clone(),
                region: region_name(cat, *id, lang),
                cluster: c + 1,
                name: names[c].clone(),
                value: v,
                lq,
                stars: s.count(),
                size: s.size,
                specialisation: s.specialisation,
                focus: s.focus,
            });
        }
    }
    stars.sort_by(|x, y| {
        y.stars
            .cmp(&x.stars)
            .then(x.region_code.cmp(&y.region_code))
    });
    let unit = loaded.dataset.measure.unit.clone();
    let (rows, note) = match q.view.as_str() {
        "clusters" => {
            let mut t = Table::new(vec![
                Column::integer("cluster"),
                Column::text("name"),
                Column::integer("industries"),
                Column::text("members"),
            ]);
            for c in &clusters {
                let members: Vec<&str> = c.industries.iter().map(|i| i.name.as_str()).collect();
                t.push(vec![
                    Cell::Integer(c.cluster as i64),
                    Cell::text(&c.name),
                    Cell::Integer(members.len() as i64),
                    Cell::text(members.join("; ")),
                ]);
            }
            (t, format!("{} {}", validation, notes.join(" ")))
        }
        "stars" => {
            let mut t = Table::new(vec![
                Column::text("region_code"),
                Column::text("region"),
                Column::text("cluster"),
                Column::rounded("value", &unit, 4),
                Column::rounded("lq", "ratio", 4),
                Column::integer("stars"),
                Column::text("rating"),
                Column::integer("size_star"),
                Column::integer("specialisation_star"),
                Column::integer("focus_star"),
            ]);
            for s in &stars {
                t.push(vec![
                    Cell::text(&s.region_code),
                    Cell::text(&s.region),
                    Cell::text(&s.name),
                    Cell::Number(s.value),
                    Cell::Number(s.lq),
                    Cell::Integer(s.stars as i64),
                    Cell::text("★".repeat(s.stars)),
                    Cell::int(u8::from(s.size)),
                    Cell::int(u8::from(s.specialisation)),
                    Cell::int(u8::from(s.focus)),
                ]);
            }
            let note = format!("Stars: size (top 10% of region-cluster values), specialisation (LQ ≥ 2), focus (top 10% of shares of the region's total). {} {}", notes.join(" "), star_notes.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" "));
            (t, note)
        }
        other => {
            return Err(DataError::argument(format!(
                "unknown --view `{}`; expected clusters or stars",
                crate::error::shown(other)
            ))
            .into())
        }
    };
    Ok(ClustersReport {
        measure: measure_json(&loaded.dataset.measure),
        level: level.name(),
        period: period.0,
        validation,
        method,
        silhouette: silhouette_value,
        clusters,
        stars,
        excluded: left_out,
        diagnostics: notes,
        attribution: loaded.attribution.clone(),
        rows,
        note,
    })
}
