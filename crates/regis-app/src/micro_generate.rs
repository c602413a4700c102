//! `regis data generate-establishments`: a seeded generator of SYNTHETIC establishment micro
//! data calibrated to the built-in Korean data (docs/SCALE.md), written as Parquet.

use crate::table::{Cell, Column, Table, Tabular};
use crate::Result;
use regis_core::{Level, Period};
use regis_data::korea;
use regis_data::micro::{self, Block};
use regis_data::{DataError, ErrorKind};
use regis_methods::random::Rng;
use serde::Serialize;
use std::path::PathBuf;

/// `regis data generate-establishments`.
#[derive(Debug, Clone)]
pub struct GenerateRequest {
    /// Rows (establishment × period) to write.
    pub rows: usize,
    /// Seed: the same seed and rows give the same file.
    pub seed: u64,
    /// Periods.
    pub periods: usize,
    /// First period.
    pub start_period: i32,
    /// The Parquet file to create (never overwritten).
    pub out: PathBuf,
}

/// What the generator wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Generated {
    /// The file.
    pub file: String,
    /// Rows.
    pub rows: usize,
    /// Distinct establishments.
    pub establishments: u64,
    /// Row groups.
    pub row_groups: usize,
    /// Periods.
    pub periods: Vec<i32>,
    /// Seed.
    pub seed: u64,
}

impl Tabular for Generated {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![Column::text("field"), Column::text("value")]);
        for (k, v) in [
            ("file", self.file.clone()),
            ("rows", self.rows.to_string()),
            ("establishments", self.establishments.to_string()),
            ("row_groups", self.row_groups.to_string()),
            (
                "periods",
                format!(
                    "{}-{}",
                    self.periods.first().unwrap_or(&0),
                    self.periods.last().unwrap_or(&0)
                ),
            ),
            ("seed", self.seed.to_string()),
        ] {
            t.push(vec![Cell::text(k), Cell::text(v)]);
        }
        t
    }

    fn note(&self) -> String {
        "SYNTHETIC establishments (not official data): districts weighted by the built-in 2020 \
         company counts, industry groups by each district's 2020 GVA by group, activities \
         within a group by the province's 2017 GVA (KOSIS GRDP activities), log-normal \
         sizes, 5-10% exits a year, entrants in every period"
            .into()
    }
}

/// Establishments per row group of the generator.
const FIRMS_PER_GROUP: usize = 100_000;

/// The generator's calibration: (district code, industry code) cells with their weights, the
/// province of each district, and labour productivity by industry.
struct Calibration {
    districts: Vec<String>,
    industries: Vec<String>,
    /// Cumulative weight of cell `d · industries + i`.
    cumulative: Vec<f64>,
}

/// The calibration: each district's weight is its 2020 company count (a city with gus
/// counted once, as the city); within a district,
/// the weight of an industry group (the 16 si-gun-gu groups A … RS) is the group's share of
/// the district's 2020 GVA, and within a group, an activity's (C1 … C7 under C; the other
/// groups are one activity each) is its share of the province's 2017 GVA in that group.
/// A district without a group breakdown takes its province's group mix, a province without
/// an activity breakdown (Sejong) the nation's.
fn calibration() -> Result<Calibration> {
    let cat = korea::catalog();
    let sgis = cat.system_index(korea::SGIS);
    let companies = korea::dataset("companies")?;
    let grdp = korea::dataset("grdp_nominal")?;
    let panel_at = |d: &'static regis_data::Dataset, level: Level, what: &str| {
        d.panel_at(level)
            .map(|p| &p.panel)
            .ok_or_else(|| DataError::argument(format!("no {what} in the built-in data")))
    };
    let district_companies = panel_at(companies, Level::DISTRICT, "district company counts")?;
    let district_gva = panel_at(grdp, Level::DISTRICT, "district GRDP by industry group")?;
    let province_gva = panel_at(grdp, Level::PROVINCE, "provincial GRDP")?;
    let nation_gva = panel_at(grdp, Level::NATION, "national GRDP")?;
    let grdp_classification = korea::classification("kosis_grdp")
        .ok_or_else(|| DataError::argument("no KOSIS GRDP classification"))?;
    // The leaves under GVA: the activities an establishment belongs to, each with its group
    // (its ancestor at depth 2, a code the si-gun-gu groups share).
    let mut industries: Vec<String> = Vec::new();
    let mut group_of: Vec<String> = Vec::new();
    for i in grdp_classification.industries() {
        if !grdp_classification.children(&i.code).is_empty()
            || matches!(i.code.as_str(), "_T" | "TAX" | "GVA")
        {
            continue;
        }
        let mut at = i;
        while at.level > 2 {
            match at
                .parent
                .as_deref()
                .and_then(|p| grdp_classification.get(p))
            {
                Some(p) => at = p,
                None => break,
            }
        }
        industries.push(i.code.clone());
        group_of.push(at.code.clone());
    }
    let mut groups: Vec<String> = Vec::new();
    for g in &group_of {
        if !groups.contains(g) {
            groups.push(g.clone());
        }
    }
    let nation = cat.at_level(Level::NATION, None).first().copied();
    // Value added by activity (or group) in a region; negative values (none expected) as 0.
    let gva = |panel: &regis_core::Panel, region, codes: &[String], year: i32| -> Vec<f64> {
        codes
            .iter()
            .map(|c| panel.get(region, c, Period(year)).unwrap_or(0.0).max(0.0))
            .collect()
    };
    let mut districts = Vec::new();
    let mut cumulative = Vec::new();
    let mut total = 0.0;
    // A city's gus (Suwon-si's Jangan-gu …) have their own counts, already inside the
    // city's; the city is kept (its GVA has the group breakdown), the gus skipped.
    let in_panel: std::collections::HashSet<_> =
        district_companies.regions().iter().copied().collect();
    for &d in district_companies.regions() {
        if cat.region(d).parent.is_some_and(|p| in_panel.contains(&p)) {
            continue;
        }
        let Some(count) = district_companies.get(d, "_T", Period(2020)) else {
            continue;
        };
        let Some(province) = cat.ancestor_at(d, Level::PROVINCE) else {
            continue;
        };
        let Some(code) = cat.code_in(d, sgis.unwrap_or(0), Some(2020)) else {
            continue;
        };
        let mut activity_mix = gva(province_gva, province, &industries, 2017);
        if activity_mix.iter().sum::<f64>() <= 0.0 {
            if let Some(n) = nation {
                activity_mix = gva(nation_gva, n, &industries, 2017);
            }
        }
        let mut group_mix = gva(district_gva, d, &groups, 2020);
        if group_mix.iter().sum::<f64>() <= 0.0 {
            group_mix = groups
                .iter()
                .map(|g| {
                    (0..industries.len())
                        .filter(|&i| group_of[i] == *g)
                        .map(|i| activity_mix[i])
                        .sum()
                })
                .collect();
        }
        let group_sum: f64 = group_mix.iter().sum();
        if group_sum <= 0.0 || count <= 0.0 {
            continue;
        }
        districts.push(code.to_string());
        for (i, group) in group_of.iter().enumerate() {
            let g = groups.iter().position(|x| x == group).unwrap_or(0);
            // The activity's share of its group in the province (equal shares when the
            // province has none in the group).
            let members: Vec<usize> = (0..industries.len())
                .filter(|&k| group_of[k] == *group)
                .collect();
            let in_group: f64 = members.iter().map(|&k| activity_mix[k]).sum();
            let share = if in_group > 0.0 {
                activity_mix[i] / in_group
            } else {
                1.0 / members.len() as f64
            };
            total += count * group_mix[g] / group_sum * share;
            cumulative.push(total);
        }
    }
    if districts.is_empty() {
        return Err(
            DataError::argument("the built-in data gave no district to calibrate on").into(),
        );
    }
    Ok(Calibration {
        districts,
        industries,
        cumulative,
    })
}

/// A standard normal draw (Box-Muller).
fn normal(rng: &mut Rng) -> f64 {
    let (u1, u2) = (rng.uniform().max(1e-300), rng.uniform());
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// Sales per employee (million KRW a year) by the activity's first letter: an illustrative
/// scale, manufacturing and utilities above services.
fn productivity(industry: &str) -> f64 {
    match industry.chars().next() {
        Some('C') => 320.0,
        Some('D') | Some('B') => 600.0,
        Some('A') => 90.0,
        Some('G') | Some('K') | Some('J') => 250.0,
        _ => 130.0,
    }
}

/// The row group `group` of the generator: its establishments' lives over the periods, at
/// most `limit` rows. Depends only on (seed, group).
fn generated_group(c: &Calibration, q: &GenerateRequest, group: usize, limit: usize) -> Block {
    let mut rng = Rng::seeded(q.seed ^ (group as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let total = *c.cumulative.last().unwrap_or(&1.0);
    let n_ind = c.industries.len();
    let mut b = Block {
        regions: c.districts.clone(),
        industries: c.industries.clone(),
        ..Block::default()
    };
    for f in 0..FIRMS_PER_GROUP {
        if b.len() >= limit {
            break;
        }
        let id = (group * FIRMS_PER_GROUP + f) as i64 + 1;
        let u = rng.uniform() * total;
        let cell = c
            .cumulative
            .partition_point(|&w| w <= u)
            .min(c.cumulative.len() - 1);
        let (district, industry) = ((cell / n_ind) as u32, (cell % n_ind) as u32);
        // Incumbents at the start; entrants spread over the later periods.
        let birth = if rng.uniform() < 0.6 || q.periods == 1 {
            0
        } else {
            1 + rng.below(q.periods - 1)
        };
        // Heavy-tailed sizes: log-normal (median 3, a long right tail), at least 1.
        let mut size = (1.1 + 1.15 * normal(&mut rng)).exp().round().max(1.0);
        let scale = productivity(&c.industries[industry as usize]);
        for p in birth..q.periods {
            if b.len() >= limit {
                break;
            }
            b.id.push(id);
            b.period.push(q.start_period + p as i32);
            b.region.push(district);
            b.industry.push(industry);
            b.employees.push(size as i64);
            let sales = size * scale * (0.45 * normal(&mut rng)).exp();
            b.sales.push((sales * 100.0).round() / 100.0);
            // Exit (more likely when small), else grow or shrink a little.
            let exit = if size < 5.0 { 0.10 } else { 0.05 };
            if rng.uniform() < exit {
                break;
            }
            size = (size * (0.02 + 0.15 * normal(&mut rng)).exp())
                .round()
                .max(1.0);
        }
    }
    b
}

/// Writes `q.rows` synthetic establishment rows as Parquet. Row groups are generated on the
/// threads of the budget and written in order, so the file is the same for every budget.
pub fn generate(q: &GenerateRequest) -> Result<Generated> {
    if q.rows == 0 || q.periods == 0 || q.periods > 1000 {
        return Err(
            DataError::argument("--rows must be at least 1, --periods from 1 to 1000").into(),
        );
    }
    if !(1000..=9999 - q.periods as i32).contains(&q.start_period) {
        return Err(DataError::argument(
            "--start-period: a year from 1000, the last period before 10000",
        )
        .into());
    }
    if q.out.exists() {
        return Err(DataError::argument(format!(
            "{} exists; choose a new file (nothing is overwritten)",
            q.out.display()
        ))
        .into());
    }
    let c = calibration()?;
    // Written under a temporary name and renamed when complete: a run stopped half-way
    // leaves no file without its footer under the name asked for.
    let partial_file = q
        .out
        .with_extension(format!("partial-{}", std::process::id()));
    let _ = std::fs::remove_file(&partial_file);
    let mut w = micro::Writer::create(&partial_file)?;
    let threads = regis_methods::parallel::thread_budget().max(1);
    let (mut written, mut group, mut groups, mut firms) = (0usize, 0usize, 0usize, 0u64);
    while written < q.rows {
        // A batch of groups generated in parallel, each capped by what is left.
        let left = q.rows - written;
        let batch: Vec<Block> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let c = &c;
                    s.spawn(move || generated_group(c, q, group + t, left))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a generator thread panicked"))
                .collect()
        });
        for b in batch {
            if written >= q.rows {
                break;
            }
            let mut b = b;
            let take = b.len().min(q.rows - written);
            if take < b.len() {
                for v in [&mut b.region, &mut b.industry] {
                    v.truncate(take);
                }
                b.id.truncate(take);
                b.period.truncate(take);
                b.employees.truncate(take);
                b.sales.truncate(take);
            }
            firms += b.id.iter().collect::<std::collections::HashSet<_>>().len() as u64;
            w.write(&b)?;
            written += take;
            groups += 1;
        }
        group += threads;
    }
    w.finish()?;
    std::fs::rename(&partial_file, &q.out)
        .map_err(|e| DataError::file(ErrorKind::Io, q.out.display().to_string(), e.to_string()))?;
    Ok(Generated {
        file: q.out.display().to_string(),
        rows: written,
        establishments: firms,
        row_groups: groups,
        periods: (0..q.periods as i32).map(|p| q.start_period + p).collect(),
        seed: q.seed,
    })
}
