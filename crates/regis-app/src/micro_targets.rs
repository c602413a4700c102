//! How the micro data's codes map to the panel: region codes resolved through the SGIS code
//! history in their period, industry codes to their ancestor at the panel's depth.

use crate::micro::MicroRequest;
use crate::Result;
use regis_core::Level;
use regis_data::korea;
use regis_data::DataError;
use std::collections::HashMap;

/// How a code of the input maps to the panel: the target regions and industries, and a
/// cache of the codes seen.
pub(crate) struct Targets {
    pub(crate) regions: Vec<String>,
    pub(crate) region_index: HashMap<String, usize>,
    pub(crate) industries: Vec<String>,
    pub(crate) industry_index: HashMap<String, usize>,
    pub(crate) level: Level,
    pub(crate) classification: &'static regis_core::Classification,
    pub(crate) depth: u8,
    /// With `input_classification` ksic9: each KSIC 9 code's KSIC 10 classes.
    pub(crate) concordance: Option<HashMap<String, Vec<String>>>,
}

impl Targets {
    pub(crate) fn new(q: &MicroRequest) -> Result<Targets> {
        if q.level != Level::PROVINCE && q.level != Level::DISTRICT {
            return Err(DataError::argument("--level: expected province or district").into());
        }
        let cat = korea::catalog();
        let sgis = cat.system_index(korea::SGIS).unwrap_or(0);
        let mut regions: Vec<String> = cat
            .at_level(q.level, None)
            .into_iter()
            .filter_map(|r| cat.code_in(r, sgis, None).map(str::to_string))
            .collect();
        regions.sort();
        regions.dedup();
        let classification = korea::classification(&q.classification).ok_or_else(|| {
            DataError::argument(format!(
                "--classification {}: unknown; known: kosis_grdp, sgis18, ksic9, ksic10, naics2012",
                crate::error::shown(&q.classification)
            ))
        })?;
        let mut industries: Vec<String> = classification
            .industries()
            .iter()
            .filter(|i| i.level == q.industry_depth)
            .map(|i| i.code.clone())
            .collect();
        if industries.is_empty() {
            return Err(DataError::argument(format!(
                "--industry-depth {}: {} has no industry at that depth",
                q.industry_depth, classification.id
            ))
            .into());
        }
        industries.sort();
        let concordance = match q.input_classification.as_deref() {
            None => None,
            Some(c) if c == q.classification => None,
            Some("ksic9") if classification.id == "ksic10" => {
                let mut map: HashMap<String, Vec<String>> = HashMap::new();
                for l in korea::ksic_9_to_10()?.links {
                    map.entry(l.from).or_default().push(l.to);
                }
                Some(map)
            }
            Some(c) => {
                return Err(DataError::argument(format!(
                    "--input-classification {}: only ksic9 codes into a ksic10 panel \
                     (--classification ksic10) go through a concordance",
                    crate::error::shown(c)
                ))
                .into())
            }
        };
        Ok(Targets {
            concordance,
            region_index: regions
                .iter()
                .enumerate()
                .map(|(k, c)| (c.clone(), k))
                .collect(),
            regions,
            industry_index: industries
                .iter()
                .enumerate()
                .map(|(k, c)| (c.clone(), k))
                .collect(),
            industries,
            level: q.level,
            classification,
            depth: q.industry_depth,
        })
    }

    /// The panel region of an input region code in `year` (any level at or below the
    /// panel's; a code reused across boundary vintages is read as the one valid that year).
    pub(crate) fn region(&self, code: &str, year: i32) -> std::result::Result<usize, String> {
        let cat = korea::catalog();
        let sgis = cat.system_index(korea::SGIS);
        let r = cat
            .resolve(code, sgis, Some(year), None)
            .or_else(|_| cat.resolve(code, sgis, None, None))
            .map_err(|_| {
                format!(
                    "not a region code of the SGIS code history in {year} (province, district or \
                     sub-district)"
                )
            })?;
        let reg = cat.region(r);
        let at = if reg.level == self.level {
            Some(r)
        } else {
            cat.ancestor_at(r, self.level)
        }
        .ok_or_else(|| {
            format!(
                "a {} code: coarser than the panel's level ({})",
                reg.level.name(),
                self.level.name()
            )
        })?;
        let target = cat
            .code_in(at, sgis.unwrap_or(0), None)
            .unwrap_or(&cat.region(at).code);
        self.region_index
            .get(target)
            .copied()
            .ok_or_else(|| format!("its {} ({target}) is not in the panel", self.level.name()))
    }

    /// The panel industry of an input industry code (at the panel's depth or below), through
    /// the KSIC 9 → 10 concordance when the input is KSIC 9: all the code's KSIC 10 classes
    /// must fall under one panel industry.
    pub(crate) fn industry(&self, code: &str) -> std::result::Result<usize, String> {
        let Some(map) = &self.concordance else {
            return self.ancestor(code);
        };
        let targets = map.get(code).ok_or_else(|| {
            "not a KSIC 9 class (5 digits) of the KSIC 9 → 10 concordance".to_string()
        })?;
        let found: Vec<usize> = targets
            .iter()
            .map(|t| self.ancestor(t))
            .collect::<std::result::Result<_, _>>()?;
        if found.iter().all(|&k| k == found[0]) {
            Ok(found[0])
        } else {
            let mut names: Vec<&str> = found.iter().map(|&k| self.industries[k].as_str()).collect();
            names.sort_unstable();
            names.dedup();
            Err(format!(
                "its KSIC 10 classes ({}) fall under different industries at depth {} ({}); one \
                 establishment cannot be split: give its KSIC 10 code or a coarser depth",
                targets.join(", "),
                self.depth,
                names.join(", ")
            ))
        }
    }

    /// The ancestor at the panel's depth of a code of the panel's classification.
    fn ancestor(&self, code: &str) -> std::result::Result<usize, String> {
        let mut i = self
            .classification
            .get(code)
            .ok_or_else(|| format!("not an industry code of {}", self.classification.id))?;
        if i.level < self.depth {
            return Err(format!(
                "depth {}: coarser than the panel's depth {}",
                i.level, self.depth
            ));
        }
        while i.level > self.depth {
            i = i
                .parent
                .as_deref()
                .and_then(|p| self.classification.get(p))
                .ok_or_else(|| format!("{} has no parent at depth {}", i.code, self.depth))?;
        }
        self.industry_index
            .get(&i.code)
            .copied()
            .ok_or_else(|| format!("its ancestor {} is not at depth {}", i.code, self.depth))
    }
}
