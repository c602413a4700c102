//! The dataset store: a directory holding the user's imported measures, one tidy CSV and one
//! JSON description per measure. Every write is atomic (temporary file, then rename), the
//! data file before its description, so a failed or interrupted import leaves what was stored
//! before exactly as it was.

use std::path::{Path, PathBuf};

use regis_core::{
    FlowMatrix, Level, Measure, MeasureKind, Panel, Period, PriceBasis, Region, RegionCatalog,
    RegionId, TOTAL_INDUSTRY,
};
use serde::{Deserialize, Serialize};

use crate::atomic::write_atomic;
use crate::dataset::{Dataset, LevelPanel};
use crate::error::{DataError, ErrorKind, Result};
use crate::import::Imported;

/// Description of a stored measure.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoredMeasure {
    /// Measure id.
    pub id: String,
    /// Korean label.
    pub name_ko: String,
    /// English label.
    pub name_en: String,
    /// Unit.
    pub unit: String,
    /// Whether values add up.
    pub additive: bool,
    /// Whether negatives are allowed.
    pub allows_negative: bool,
    /// `regional` or `flow`.
    pub kind: String,
    /// Industry classification id, if any.
    pub classification: Option<String>,
    /// File it was imported from.
    pub source_file: String,
    /// Cells stored.
    pub cells: usize,
    /// Regions that are not in the built-in catalog (code, name).
    pub new_regions: Vec<(String, String)>,
}

/// A store rooted at a directory.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

/// Whether a text is spelled like a measure id: 1-64 lowercase ASCII letters, digits and `_`,
/// starting with a letter. Only such ids ever reach the disk (no `/`, `.`, `\`, NUL or
/// absolute path can), on the read path as on the write path.
pub fn is_measure_id(id: &str) -> bool {
    id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && id.len() <= 64
}

/// Checks a measure id: lowercase letters, digits and `_`, starting with a letter.
pub fn check_measure_id(id: &str) -> Result<()> {
    if !is_measure_id(id) {
        return Err(DataError::argument(format!(
            "invalid measure id `{id}`: expected lowercase letters, digits and _, starting with a letter (e.g. emp_all)"
        )));
    }
    if crate::korea::MEASURE_IDS.contains(&id) {
        return Err(DataError::argument(format!(
            "measure id `{id}` is a built-in measure; choose another id"
        )));
    }
    Ok(())
}

impl Store {
    /// Opens (and creates if needed) a store.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir.join("datasets")).map_err(|e| {
            DataError::file(
                ErrorKind::Io,
                dir,
                format!("cannot create the store directory: {e}"),
            )
        })?;
        Ok(Store {
            dir: dir.to_path_buf(),
        })
    }

    /// The store's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The data and description files of a measure; None unless `id` is spelled like a
    /// measure id, so request or command-line text never becomes a path.
    fn paths(&self, id: &str) -> Option<(PathBuf, PathBuf)> {
        if !is_measure_id(id) {
            return None;
        }
        let d = self.dir.join("datasets");
        Some((d.join(format!("{id}.csv")), d.join(format!("{id}.json"))))
    }

    /// Whether the store holds a measure of this id (false for any text that is not spelled
    /// like a measure id).
    pub fn contains(&self, id: &str) -> bool {
        self.paths(id).is_some_and(|(_, meta)| meta.is_file())
    }

    /// Stored measures, sorted by id.
    pub fn list(&self) -> Result<Vec<StoredMeasure>> {
        let mut out = Vec::new();
        let rd = std::fs::read_dir(self.dir.join("datasets"))
            .map_err(|e| DataError::file(ErrorKind::Io, &self.dir, e.to_string()))?;
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "json")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                let text = std::fs::read_to_string(&p)
                    .map_err(|e| DataError::file(ErrorKind::Io, &p, e.to_string()))?;
                let m: StoredMeasure = serde_json::from_str(&text).map_err(|e| {
                    DataError::file(
                        ErrorKind::UnsupportedFormat,
                        &p,
                        format!("damaged store description: {e}"),
                    )
                })?;
                out.push(m);
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// Stores an import under its measure id (replacing a previous version atomically).
    pub fn put(
        &self,
        data: &Imported,
        catalog: &RegionCatalog,
        source_file: &str,
    ) -> Result<StoredMeasure> {
        let base = crate::korea::catalog();
        let (measure, classification) = match data {
            Imported::Panel(p) => (&p.measure, p.classification.clone()),
            Imported::Flows(f) => (&f.measure, None),
        };
        check_measure_id(&measure.id)?;
        let mut w = csv::Writer::from_writer(Vec::new());
        let key = |r: RegionId| {
            let reg = catalog.region(r);
            (
                reg.code.clone(),
                reg.level.0.to_string(),
                reg.valid_from.to_string(),
            )
        };
        let mut new_regions = Vec::new();
        let mut cells = 0;
        let fmt = |v: Option<f64>| v.map(crate::export::format_value).unwrap_or_default();
        let io = |e: csv::Error| DataError::file(ErrorKind::Io, &self.dir, e.to_string());
        match data {
            Imported::Panel(p) => {
                w.write_record([
                    "region_code",
                    "region_level",
                    "region_from",
                    "industry",
                    "period",
                    "value",
                ])
                .map_err(io)?;
                for c in p.cells() {
                    let (code, lvl, from) = key(c.region);
                    w.write_record([
                        code,
                        lvl,
                        from,
                        c.industry.clone(),
                        c.period.to_string(),
                        fmt(c.value),
                    ])
                    .map_err(io)?;
                    cells += 1;
                }
                for &r in p.regions() {
                    if r.0 as usize >= base.regions().len() {
                        let reg = catalog.region(r);
                        new_regions.push((reg.code.clone(), reg.name_ko.clone()));
                    }
                }
            }
            Imported::Flows(f) => {
                w.write_record([
                    "origin_code",
                    "origin_level",
                    "origin_from",
                    "dest_code",
                    "dest_level",
                    "dest_from",
                    "period",
                    "value",
                ])
                .map_err(io)?;
                for &o in f.regions() {
                    for &d in f.regions() {
                        for &p in f.periods() {
                            let (a, b, c) = key(o);
                            let (x, y, z) = key(d);
                            w.write_record([a, b, c, x, y, z, p.to_string(), fmt(f.get(o, d, p))])
                                .map_err(io)?;
                            cells += 1;
                        }
                    }
                }
                for &r in f.regions() {
                    if r.0 as usize >= base.regions().len() {
                        let reg = catalog.region(r);
                        new_regions.push((reg.code.clone(), reg.name_ko.clone()));
                    }
                }
            }
        }
        let bytes = w
            .into_inner()
            .map_err(|e| DataError::file(ErrorKind::Io, &self.dir, e.to_string()))?;
        let meta = StoredMeasure {
            id: measure.id.clone(),
            name_ko: measure.name_ko.clone(),
            name_en: measure.name_en.clone(),
            unit: measure.unit.clone(),
            additive: measure.additive,
            allows_negative: measure.allows_negative,
            kind: if measure.kind == MeasureKind::Flow {
                "flow".into()
            } else {
                "regional".into()
            },
            classification,
            source_file: source_file.into(),
            cells,
            new_regions,
        };
        let (data_path, meta_path) = self
            .paths(&measure.id)
            .ok_or_else(|| DataError::argument("invalid measure id"))?;
        write_atomic(&data_path, &bytes)?;
        let json = serde_json::to_vec_pretty(&meta)
            .map_err(|e| DataError::file(ErrorKind::Io, &meta_path, e.to_string()))?;
        write_atomic(&meta_path, &json)?;
        Ok(meta)
    }

    /// Loads a stored measure; the returned catalog includes its new regions.
    pub fn get(&self, id: &str) -> Result<(Dataset, RegionCatalog)> {
        let unknown = || {
            DataError::argument(format!(
                "no measure `{}` (built-in: {}; stored: see `regis data list`)",
                if is_measure_id(id) {
                    id
                } else {
                    "(not a measure id)"
                },
                crate::korea::MEASURE_IDS.join(", ")
            ))
        };
        let (data_path, meta_path) = self.paths(id).ok_or_else(unknown)?;
        let text = std::fs::read_to_string(&meta_path).map_err(|_| unknown())?;
        let meta: StoredMeasure = serde_json::from_str(&text).map_err(|e| {
            DataError::file(
                ErrorKind::UnsupportedFormat,
                &meta_path,
                format!("damaged store description: {e}"),
            )
        })?;
        let mut cat = crate::korea::catalog().clone();
        let sys = cat.add_system("file", "codes of imported files");
        for (code, name) in &meta.new_regions {
            let r = cat.add_region(Region {
                id: RegionId(0),
                code: code.clone(),
                level: Level::PROVINCE,
                name_ko: name.clone(),
                name_en: name.clone(),
                parent: None,
                valid_from: i32::MIN,
                valid_to: i32::MAX,
                aliases: Vec::new(),
            });
            cat.add_code(r, sys, code, i32::MIN, i32::MAX);
        }
        let measure = Measure {
            id: meta.id.clone(),
            name_ko: meta.name_ko.clone(),
            name_en: meta.name_en.clone(),
            unit: meta.unit.clone(),
            price_basis: PriceBasis::NotApplicable,
            additive: meta.additive,
            allows_negative: meta.allows_negative,
            kind: if meta.kind == "flow" {
                MeasureKind::Flow
            } else {
                MeasureKind::Regional
            },
        };
        // Streamed when large: a stored measure is read with the memory of its panel.
        let t = crate::stream::open_rows(&data_path, &Default::default())?;
        let mut found: std::collections::HashMap<(String, String, String), RegionId> =
            std::collections::HashMap::new();
        let find = |cat: &RegionCatalog,
                    code: &str,
                    lvl: &str,
                    from: &str,
                    line: usize|
         -> Result<RegionId> {
            // Newest first: a measure's own regions (added last) win over a built-in region
            // with the same code.
            cat.regions()
                .iter()
                .rev()
                .find(|r| {
                    r.code == code
                        && r.level.0.to_string() == lvl
                        && r.valid_from.to_string() == from
                })
                .map(|r| r.id)
                .ok_or_else(|| {
                    DataError::file(
                        ErrorKind::UnknownRegion,
                        &data_path,
                        "stored region not in the catalog",
                    )
                    .at_line(line)
                    .with_value(code)
                })
        };
        let num = |s: &str, line: usize| -> Result<Option<f64>> {
            if s.is_empty() {
                return Ok(None);
            }
            s.parse::<f64>().map(Some).map_err(|_| {
                DataError::file(ErrorKind::NotNumeric, &data_path, "damaged store")
                    .at_line(line)
                    .with_value(s)
            })
        };
        let period = |s: &str, line: usize| -> Result<Period> {
            Period::parse(s).ok_or_else(|| {
                DataError::file(ErrorKind::BadPeriod, &data_path, "damaged store")
                    .at_line(line)
                    .with_value(s)
            })
        };
        let mut region_of = |cat: &RegionCatalog, c: &[String], line: usize| -> Result<RegionId> {
            let key = (c[0].clone(), c[1].clone(), c[2].clone());
            if let Some(&r) = found.get(&key) {
                return Ok(r);
            }
            let r = find(cat, &c[0], &c[1], &c[2], line)?;
            found.insert(key, r);
            Ok(r)
        };
        if measure.kind == MeasureKind::Flow {
            let mut recs = Vec::new();
            t.scan(&mut |_, r| {
                let c = &r.cells;
                recs.push((
                    region_of(&cat, &c[0..3], r.line)?,
                    region_of(&cat, &c[3..6], r.line)?,
                    period(&c[6], r.line)?,
                    num(&c[7], r.line)?,
                ));
                Ok(true)
            })?;
            let mut regions: Vec<RegionId> = recs.iter().flat_map(|x| [x.0, x.1]).collect();
            regions.sort();
            regions.dedup();
            let mut periods: Vec<Period> = recs.iter().map(|x| x.2).collect();
            periods.sort();
            periods.dedup();
            let mut fm = FlowMatrix::new(measure.clone(), regions, periods);
            for (o, d, p, v) in recs {
                fm.set(o, d, p, v);
            }
            return Ok((
                Dataset {
                    measure,
                    panels: Vec::new(),
                    flows: Some(fm),
                },
                cat,
            ));
        }
        // Two passes: the dimensions, then the values into the panel (no list of cells).
        let industry_of = |c: &[String]| -> String {
            if c[3].is_empty() {
                TOTAL_INDUSTRY.to_string()
            } else {
                c[3].clone()
            }
        };
        let (mut regions, mut industries, mut periods) = (Vec::new(), Vec::new(), Vec::new());
        let mut industry_ids: std::collections::HashMap<String, usize> = Default::default();
        let (mut seen_r, mut seen_p) = (
            std::collections::HashSet::new(),
            std::collections::HashSet::new(),
        );
        t.scan(&mut |_, r| {
            let c = &r.cells;
            let region = region_of(&cat, &c[0..3], r.line)?;
            if seen_r.insert(region) {
                regions.push(region);
            }
            let ind = industry_of(c);
            if !industry_ids.contains_key(&ind) {
                industry_ids.insert(ind.clone(), industries.len());
                industries.push(ind);
            }
            let p = period(&c[4], r.line)?;
            if seen_p.insert(p) {
                periods.push(p);
            }
            Ok(true)
        })?;
        periods.sort();
        let mut panel = Panel::new(
            measure.clone(),
            meta.classification.clone(),
            regions,
            industries,
            periods,
        );
        t.scan(&mut |_, r| {
            let c = &r.cells;
            let region = region_of(&cat, &c[0..3], r.line)?;
            let ind = industry_ids[&industry_of(c)];
            panel.set_at(region, ind, period(&c[4], r.line)?, num(&c[5], r.line)?);
            Ok(true)
        })?;
        let mut levels: Vec<Level> = panel
            .regions()
            .iter()
            .map(|r| cat.region(*r).level)
            .collect();
        levels.sort();
        levels.dedup();
        Ok((
            Dataset {
                measure,
                panels: vec![LevelPanel {
                    levels,
                    source: format!("imported from {}", meta.source_file),
                    panel,
                }],
                flows: None,
            },
            cat,
        ))
    }
}
