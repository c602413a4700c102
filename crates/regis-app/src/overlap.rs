//! "Where do regions compete for the same strategic industries?": every region's top
//! industries, how many regions chose each, the contested ones, differentiation suggestions
//! towards related industries, and the strongest finer sub-industry of a contested one. Behind
//! `regis strategy --overlap` and `GET /api/v1/strategy`.

use std::collections::BTreeMap;

use regis_data::export::measure_json;
use regis_methods::strategy::{differentiate, overlap as overlap_of};
use serde::Serialize;

use crate::matrix::{industry_name, region_name};
use crate::source::Sources;
use crate::strategy::{setup, weights_map, Named, StrategyRequest};
use crate::table::{Cell, Column, Table, Tabular};
use crate::Result;

/// A region's choice.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Choice {
    /// Region code.
    pub region_code: String,
    /// Region name.
    pub region: String,
    /// Its top industries, best first.
    pub industries: Vec<Named>,
}

/// How many regions chose an industry.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Chosen {
    /// Industry code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The regions that chose it.
    pub chosen_by: Vec<String>,
    /// How many.
    pub regions: usize,
    /// Chosen by at least the contested threshold.
    pub contested: bool,
}

/// Regions x regions: industries two regions both chose.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OverlapMatrix {
    /// Region names, in the order of rows and columns.
    pub regions: Vec<String>,
    /// Shared industries.
    pub shared: Vec<Vec<usize>>,
}

/// A suggestion to move from a contested industry to a related, less crowded one.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Suggestion {
    /// Region name.
    pub region: String,
    /// Region code.
    pub region_code: String,
    /// Contested industry name.
    pub contested: String,
    /// Its code.
    pub contested_code: String,
    /// Suggested industry name.
    pub suggestion: String,
    /// Its code.
    pub suggestion_code: String,
    /// Proximity of the two industries (co-occurrence, 0-1).
    pub proximity: f64,
    /// The region's score of the suggestion.
    pub score: f64,
}

/// The strongest sub-industry of a contested industry in a region that chose it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finer {
    /// Region name.
    pub region: String,
    /// Region code.
    pub region_code: String,
    /// Contested industry name.
    pub contested: String,
    /// Its code.
    pub contested_code: String,
    /// Sub-industry name.
    pub sub_industry: String,
    /// Its code.
    pub sub_industry_code: String,
    /// LQ of the sub-industry within the contested industry.
    pub lq_within: f64,
}

/// The overlap report.
#[derive(Debug, Clone, Serialize)]
pub struct OverlapReport {
    /// The measure.
    pub measure: serde_json::Value,
    /// Level.
    pub level: String,
    /// Start of the window.
    pub from: i32,
    /// End.
    pub to: i32,
    /// Industries selected per region.
    pub top: usize,
    /// Regions from which an industry is contested.
    pub contested_threshold: usize,
    /// Weights by criterion.
    pub weights: BTreeMap<String, f64>,
    /// Every region's choice.
    pub choices: Vec<Choice>,
    /// Industries chosen at least once.
    pub industries: Vec<Chosen>,
    /// Shared choices between regions.
    pub overlap_matrix: OverlapMatrix,
    /// Differentiation suggestions.
    pub differentiation: Vec<Suggestion>,
    /// Finer sub-industries of contested industries.
    pub finer_sub_industries: Vec<Finer>,
    /// Regions left out, criteria not used.
    pub diagnostics: Vec<String>,
    /// Where the data come from.
    pub attribution: String,
}

impl Tabular for OverlapReport {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            Column::text("region_code"),
            Column::text("region"),
            Column::text("strategic_industries"),
        ]);
        for c in &self.choices {
            let names: Vec<&str> = c.industries.iter().map(|i| i.name.as_str()).collect();
            t.push(vec![
                Cell::text(&c.region_code),
                Cell::text(&c.region),
                Cell::text(names.join("; ")),
            ]);
        }
        t
    }
    fn more_tables(&self) -> Vec<Table> {
        let mut by_count: Vec<&Chosen> = self.industries.iter().collect();
        by_count.sort_by_key(|c| std::cmp::Reverse(c.regions));
        let mut chosen = Table::new(vec![
            Column::text("industry"),
            Column::text("industry_name"),
            Column::integer("regions"),
            Column::text("flag"),
            Column::text("chosen_by"),
        ]);
        for c in by_count {
            chosen.push(vec![
                Cell::text(&c.code),
                Cell::text(&c.name),
                Cell::Integer(c.regions as i64),
                Cell::text(if c.contested { "contested" } else { "" }),
                Cell::text(c.chosen_by.join(", ")),
            ]);
        }
        let mut out = vec![chosen];
        if !self.differentiation.is_empty() {
            let mut t = Table::new(vec![
                Column::text("region"),
                Column::text("contested_industry"),
                Column::text("differentiate_towards"),
                Column::rounded("proximity", "", 2),
            ]);
            for x in &self.differentiation {
                t.push(vec![
                    Cell::text(&x.region),
                    Cell::text(&x.contested),
                    Cell::text(&x.suggestion),
                    Cell::Number(x.proximity),
                ]);
            }
            out.push(t);
        }
        if !self.finer_sub_industries.is_empty() {
            let mut t = Table::new(vec![
                Column::text("region"),
                Column::text("contested_industry"),
                Column::text("strongest_sub_industry"),
                Column::rounded("lq_within", "ratio", 2),
            ]);
            for x in &self.finer_sub_industries {
                t.push(vec![
                    Cell::text(&x.region),
                    Cell::text(&x.contested),
                    Cell::text(&x.sub_industry),
                    Cell::Number(x.lq_within),
                ]);
            }
            out.push(t);
        }
        out
    }
    fn note(&self) -> String {
        format!(
            "{} {}-{}, top {} per region; contested = chosen by ≥ {} regions. {}",
            self.measure["name_en"].as_str().unwrap_or(""),
            self.from,
            self.to,
            self.top,
            self.contested_threshold,
            self.diagnostics.join(" ")
        )
    }
}

/// Answers a [`StrategyRequest`] for every region. Suggestions are allocated greedily: an
/// industry suggested to one region counts as chosen, so the suggestions do not create a new
/// crowd.
pub fn overlap(sources: &Sources, q: &StrategyRequest) -> Result<OverlapReport> {
    let s = setup(sources, q)?;
    let weights = crate::strategy::weights_of(q, s.chains.is_some())?;
    let (cat, panel, lang) = (&s.loaded.catalog, &s.panel, q.lang);
    let ni = s.industries.len();
    let mut tops = Vec::new();
    let mut scores_by_region = Vec::new();
    for r in 0..s.regions.len() {
        let sc = s.scored(r, &weights);
        let mut by_industry = vec![0.0; ni];
        for x in &sc {
            by_industry[x.candidate] = x.score;
        }
        tops.push(
            sc.iter()
                .take(q.top)
                .map(|x| x.candidate)
                .collect::<Vec<_>>(),
        );
        scores_by_region.push(by_industry);
    }
    let o = overlap_of(&tops, ni);
    let counts: Vec<usize> = o.chosen_by.iter().map(|v| v.len()).collect();
    let contested: Vec<usize> = (0..ni).filter(|&i| counts[i] >= q.contested).collect();
    let rname = |k: usize| region_name(cat, s.regions[k], lang);
    let iname = |i: usize| industry_name(panel, &s.industries[i], lang);
    // Finer sub-industries: when a contested industry has sub-industries in the data (C with
    // C1..C7 at industry depth 2), each region that chose it is pointed to the sub-industry
    // where its location quotient within the industry is highest.
    let cl = panel
        .classification
        .as_deref()
        .and_then(regis_data::korea::classification);
    let mut finer = Vec::new();
    for &i in &contested {
        let children: Vec<String> = cl
            .map(|c| {
                c.children(&s.industries[i])
                    .iter()
                    .map(|x| x.code.clone())
                    .filter(|k| panel.industries().contains(k))
                    .collect()
            })
            .unwrap_or_default();
        if children.is_empty() {
            continue;
        }
        let parent_total: f64 = s
            .regions
            .iter()
            .filter_map(|x| panel.get(*x, &s.industries[i], s.to))
            .sum();
        for &r in &o.chosen_by[i] {
            let rid = s.regions[r];
            let best = children
                .iter()
                .filter_map(|ch| {
                    let v = panel.get(rid, ch, s.to)?;
                    let total: f64 = s
                        .regions
                        .iter()
                        .filter_map(|x| panel.get(*x, ch, s.to))
                        .sum();
                    let own = panel.get(rid, &s.industries[i], s.to)?;
                    (own > 0.0 && total > 0.0 && parent_total > 0.0)
                        .then(|| (ch.clone(), (v / own) / (total / parent_total)))
                })
                .max_by(|x, y| x.1.total_cmp(&y.1));
            if let Some((ch, lq)) = best {
                finer.push(Finer {
                    region: rname(r),
                    region_code: cat.region(rid).code.clone(),
                    contested: iname(i),
                    contested_code: s.industries[i].clone(),
                    sub_industry: industry_name(panel, &ch, lang),
                    sub_industry_code: ch,
                    lq_within: lq,
                });
            }
        }
    }
    let mut load = counts.clone();
    let mut suggestions = Vec::new();
    for &i in &contested {
        for &r in &o.chosen_by[i] {
            if let Some(j) = differentiate(
                i,
                &scores_by_region[r],
                &tops[r],
                &load,
                &s.proximity,
                ni,
                q.contested.saturating_sub(2),
            ) {
                load[j] += 1;
                suggestions.push(Suggestion {
                    region: rname(r),
                    region_code: cat.region(s.regions[r]).code.clone(),
                    contested: iname(i),
                    contested_code: s.industries[i].clone(),
                    suggestion: iname(j),
                    suggestion_code: s.industries[j].clone(),
                    proximity: s.proximity[i * ni + j],
                    score: scores_by_region[r][j],
                });
            }
        }
    }
    Ok(OverlapReport {
        measure: measure_json(&s.loaded.dataset.measure),
        level: q.level.name(),
        from: s.from.0,
        to: s.to.0,
        top: q.top,
        contested_threshold: q.contested,
        weights: weights_map(&weights),
        choices: (0..s.regions.len())
            .map(|r| Choice {
                region_code: cat.region(s.regions[r]).code.clone(),
                region: rname(r),
                industries: tops[r]
                    .iter()
                    .map(|i| Named {
                        code: s.industries[*i].clone(),
                        name: iname(*i),
                    })
                    .collect(),
            })
            .collect(),
        industries: (0..ni)
            .filter(|i| counts[*i] > 0)
            .map(|i| Chosen {
                code: s.industries[i].clone(),
                name: iname(i),
                chosen_by: o.chosen_by[i].iter().map(|r| rname(*r)).collect(),
                regions: counts[i],
                contested: counts[i] >= q.contested,
            })
            .collect(),
        overlap_matrix: OverlapMatrix {
            regions: (0..s.regions.len()).map(rname).collect(),
            shared: o.matrix,
        },
        differentiation: suggestions,
        finer_sub_industries: finer,
        diagnostics: s.notes,
        attribution: s.loaded.attribution.clone(),
    })
}
