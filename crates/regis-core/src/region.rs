//! Regions, levels, code systems with validity periods, groups, and code resolution.
//!
//! A region is one territorial unit through time (Seoul; Jongno-gu; the Changwon created by the
//! 2010 merger is a different unit from the Changwon before it). It may carry several codes in
//! several code systems, each valid for a span of years. Resolution of a code never guesses: a code
//! that names different units in different systems (26 is Ulsan as an SGIS census code and Busan
//! as a MOIS code) is reported as ambiguous with its candidates.

use std::collections::HashMap;
use std::fmt;

use crate::suggest;

/// Index of a region inside its [`RegionCatalog`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RegionId(pub u32);

/// Depth of a region in the territorial hierarchy: 0 is the nation, then province, district,
/// sub-district; deeper levels are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Level(pub u8);

impl Level {
    /// The whole country.
    pub const NATION: Level = Level(0);
    /// First-level units (Korea: si-do, 17 since 2012).
    pub const PROVINCE: Level = Level(1);
    /// Second-level autonomous units (Korea: si-gun-gu).
    pub const DISTRICT: Level = Level(2);
    /// Non-autonomous sub-units of a district (Korea: the gu of a large city such as Suwon).
    pub const SUBDISTRICT: Level = Level(3);

    /// The level's name as used on the command line and in files.
    pub fn name(self) -> String {
        match self.0 {
            0 => "nation".into(),
            1 => "province".into(),
            2 => "district".into(),
            3 => "subdistrict".into(),
            n => format!("level{n}"),
        }
    }

    /// Parses `nation`, `province` (`sido`), `district` (`sigungu`), `subdistrict`, `levelN`.
    pub fn parse(text: &str) -> Option<Level> {
        match text.trim().to_ascii_lowercase().as_str() {
            "nation" | "country" | "national" => Some(Level::NATION),
            "province" | "sido" | "si-do" => Some(Level::PROVINCE),
            "district" | "sigungu" | "si-gun-gu" | "municipality" => Some(Level::DISTRICT),
            "subdistrict" | "sub-district" => Some(Level::SUBDISTRICT),
            other => other.strip_prefix("level")?.parse().ok().map(Level),
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// One territorial unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// Its index in the catalog.
    pub id: RegionId,
    /// The code shown to users (Korea: the SGIS census code in force in the unit's last year).
    pub code: String,
    /// Hierarchy level.
    pub level: Level,
    /// Korean name (or the local-language name for other countries).
    pub name_ko: String,
    /// English name.
    pub name_en: String,
    /// The unit this one belongs to, if any.
    pub parent: Option<RegionId>,
    /// First year the unit existed (inclusive).
    pub valid_from: i32,
    /// Last year the unit existed (inclusive); `i32::MAX` when still in force.
    pub valid_to: i32,
    /// Other accepted names (former names, short forms such as 서울, 경기).
    pub aliases: Vec<String>,
}

impl Region {
    /// Whether the unit existed in `year`.
    pub fn valid_in(&self, year: i32) -> bool {
        self.valid_from <= year && year <= self.valid_to
    }

    /// The name in the requested language (`ko` or anything else for English).
    pub fn name(&self, lang: &str) -> &str {
        if lang == "ko" || self.name_en.is_empty() {
            &self.name_ko
        } else {
            &self.name_en
        }
    }
}

/// A code system (e.g. `sgis` census codes, `mois` administrative codes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSystem {
    /// Short id used on the command line (`sgis`, `mois`).
    pub id: String,
    /// Human name.
    pub name: String,
}

/// A code given to a region in a code system for a span of years (inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeAssignment {
    /// The region.
    pub region: RegionId,
    /// Index of the code system in [`RegionCatalog::systems`].
    pub system: usize,
    /// The code.
    pub code: String,
    /// First year in force.
    pub from: i32,
    /// Last year in force (`i32::MAX` if still in force).
    pub to: i32,
}

/// A named set of regions: the capital region (SMA), its complement, or a user's zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionGroup {
    /// Short id (`SMA`, `non-SMA`).
    pub id: String,
    /// Korean name.
    pub name_ko: String,
    /// English name.
    pub name_en: String,
    /// Members.
    pub members: Vec<RegionId>,
}

/// Why a code or name could not be resolved to exactly one region.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// Nothing matches; `suggestions` lists near misses.
    #[error("unknown region `{text}`{}", suggestion_text(.suggestions))]
    Unknown {
        /// The input.
        text: String,
        /// Near misses, formatted `code (name)`.
        suggestions: Vec<String>,
    },
    /// Several regions match; the caller must say which code system or level is meant.
    #[error("region `{text}` is ambiguous: it is {}; say which with the code system (--region-codes sgis|mois) or the level (--level province|district)", .candidates.join(" or "))]
    Ambiguous {
        /// The input.
        text: String,
        /// Each candidate as `name (system code, level, years)`.
        candidates: Vec<String>,
    },
}

fn suggestion_text(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", s.join(", "))
    }
}

/// All regions of a country with their codes, names and groups, and the lookups over them.
#[derive(Debug, Clone, Default)]
pub struct RegionCatalog {
    regions: Vec<Region>,
    systems: Vec<CodeSystem>,
    assignments: Vec<CodeAssignment>,
    groups: Vec<RegionGroup>,
    by_code: HashMap<String, Vec<usize>>,
    by_name: HashMap<String, Vec<RegionId>>,
    /// Names without their administrative suffix ([`bare_name_key`]).
    by_bare_name: HashMap<String, Vec<RegionId>>,
}

/// Normalises a code as found in files: trims, drops a trailing `.0` written by spreadsheets.
pub fn normalise_code(text: &str) -> String {
    let t = text.trim().trim_start_matches('\u{feff}');
    let t = t.strip_suffix(".0").unwrap_or(t);
    t.to_string()
}

fn name_key(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

/// A name without its administrative suffix, for names written another way than the
/// catalog's: `Seoul Metropolitan City`, `서울특별시` and `Seoul` are one key, so are
/// `Ulsan-si` and `Ulsan`, `Gyeonggi Province` and `Gyeonggi-do`, `울산시` and `울산`.
///
/// ```
/// use regis_core::region::bare_name_key;
/// assert_eq!(bare_name_key("Seoul Metropolitan City"), bare_name_key("Seoul"));
/// assert_eq!(bare_name_key("서울특별시"), "서울");
/// assert_eq!(bare_name_key("Ulsan-si"), "ulsan");
/// assert_eq!(bare_name_key("Gyeonggi Province"), bare_name_key("Gyeonggi-do"));
/// assert_eq!(bare_name_key("Jeju Special Self-Governing Province"), "jeju");
/// assert_eq!(bare_name_key("중구"), "중구");
/// assert_eq!(bare_name_key("대구"), "대구");
/// assert_eq!(bare_name_key("강서구"), "강서");
/// ```
pub fn bare_name_key(text: &str) -> String {
    let mut k = name_key(text).replace(['.', '_'], "");
    const ENGLISH: [&str; 13] = [
        "specialself-governingprovince",
        "specialselfgoverningprovince",
        "specialself-governingcity",
        "specialselfgoverningcity",
        "metropolitancity",
        "specialcity",
        "province",
        "county",
        "city",
        "-gun",
        "-si",
        "-do",
        "-gu",
    ];
    const KOREAN: [&str; 7] = [
        "특별자치시",
        "특별자치도",
        "특별시",
        "광역시",
        "도",
        "시",
        "군",
    ];
    for s in ENGLISH {
        if let Some(stem) = k.strip_suffix(s) {
            if !stem.is_empty() {
                k = stem.to_string();
                break;
            }
        }
    }
    for s in KOREAN.iter().chain(["구"].iter()) {
        if let Some(stem) = k.strip_suffix(s) {
            // A one-syllable stem is a name, not a stem (대구 is not 대 + 구).
            if stem.chars().count() >= 2 {
                k = stem.to_string();
                break;
            }
        }
    }
    k.trim_end_matches('-').to_string()
}

impl RegionCatalog {
    /// An empty catalog.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a code system and returns its index; an existing id returns the existing index.
    pub fn add_system(&mut self, id: &str, name: &str) -> usize {
        if let Some(i) = self.systems.iter().position(|s| s.id == id) {
            return i;
        }
        self.systems.push(CodeSystem {
            id: id.into(),
            name: name.into(),
        });
        self.systems.len() - 1
    }

    /// Adds a region (its `id` field is overwritten) and returns its id.
    pub fn add_region(&mut self, mut region: Region) -> RegionId {
        let id = RegionId(self.regions.len() as u32);
        region.id = id;
        for n in std::iter::once(&region.name_ko)
            .chain(std::iter::once(&region.name_en))
            .chain(region.aliases.iter())
        {
            if n.is_empty() {
                continue;
            }
            let v = self.by_name.entry(name_key(n)).or_default();
            if !v.contains(&id) {
                v.push(id);
            }
            let v = self.by_bare_name.entry(bare_name_key(n)).or_default();
            if !v.contains(&id) {
                v.push(id);
            }
        }
        self.regions.push(region);
        id
    }

    /// Adds a code to a region in a system for the years `from..=to`.
    pub fn add_code(&mut self, region: RegionId, system: usize, code: &str, from: i32, to: i32) {
        let code = normalise_code(code);
        if let Some(existing) = self.assignments.iter_mut().find(|a| {
            a.region == region
                && a.system == system
                && a.code == code
                && a.to.saturating_add(1) >= from
                && from >= a.from
        }) {
            existing.to = existing.to.max(to);
            return;
        }
        self.by_code
            .entry(code.clone())
            .or_default()
            .push(self.assignments.len());
        self.assignments.push(CodeAssignment {
            region,
            system,
            code,
            from,
            to,
        });
    }

    /// Adds an accepted alternative name to a region.
    pub fn add_alias(&mut self, region: RegionId, alias: &str) {
        let v = self.by_name.entry(name_key(alias)).or_default();
        if !v.contains(&region) {
            v.push(region);
        }
        let v = self.by_bare_name.entry(bare_name_key(alias)).or_default();
        if !v.contains(&region) {
            v.push(region);
        }
        self.regions[region.0 as usize].aliases.push(alias.into());
    }

    /// Adds or replaces a group.
    pub fn add_group(&mut self, group: RegionGroup) {
        self.groups.retain(|g| g.id != group.id);
        self.groups.push(group);
    }

    /// All regions.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// One region.
    pub fn region(&self, id: RegionId) -> &Region {
        &self.regions[id.0 as usize]
    }

    /// Code systems.
    pub fn systems(&self) -> &[CodeSystem] {
        &self.systems
    }

    /// Index of a code system by id.
    pub fn system_index(&self, id: &str) -> Option<usize> {
        self.systems
            .iter()
            .position(|s| s.id.eq_ignore_ascii_case(id))
    }

    /// All code assignments.
    pub fn assignments(&self) -> &[CodeAssignment] {
        &self.assignments
    }

    /// Codes of one region.
    pub fn codes_of(&self, id: RegionId) -> impl Iterator<Item = &CodeAssignment> {
        self.assignments.iter().filter(move |a| a.region == id)
    }

    /// The code of `id` in `system` in force in `year` (or its latest code when `year` is None).
    pub fn code_in(&self, id: RegionId, system: usize, year: Option<i32>) -> Option<&str> {
        self.codes_of(id)
            .filter(|a| a.system == system && year.is_none_or(|y| a.from <= y && y <= a.to))
            .max_by_key(|a| a.to)
            .map(|a| a.code.as_str())
    }

    /// Groups.
    pub fn groups(&self) -> &[RegionGroup] {
        &self.groups
    }

    /// A group by id (case-insensitive).
    pub fn group(&self, id: &str) -> Option<&RegionGroup> {
        self.groups.iter().find(|g| g.id.eq_ignore_ascii_case(id))
    }

    /// Regions at a level that exist in `year` (all years when None), in catalog order.
    pub fn at_level(&self, level: Level, year: Option<i32>) -> Vec<RegionId> {
        self.regions
            .iter()
            .filter(|r| r.level == level && year.is_none_or(|y| r.valid_in(y)))
            .map(|r| r.id)
            .collect()
    }

    /// The ancestor of `id` at `level` (the region itself if it is at that level).
    pub fn ancestor_at(&self, id: RegionId, level: Level) -> Option<RegionId> {
        let mut cur = Some(id);
        while let Some(c) = cur {
            let r = self.region(c);
            if r.level == level {
                return Some(c);
            }
            if r.level < level {
                return None;
            }
            cur = r.parent;
        }
        None
    }

    /// Resolves a code or a name to one region.
    ///
    /// * `system`: restrict to one code system (index from [`Self::system_index`]).
    /// * `year`: prefer codes in force that year; a code valid only in other years is still
    ///   accepted when it names a single unit.
    /// * `level`: restrict to one level.
    pub fn resolve(
        &self,
        text: &str,
        system: Option<usize>,
        year: Option<i32>,
        level: Option<Level>,
    ) -> Result<RegionId, ResolveError> {
        let code = normalise_code(text);
        let level_ok = |id: RegionId| level.is_none_or(|l| self.region(id).level == l);
        let by_code: Vec<&CodeAssignment> = self
            .by_code
            .get(&code)
            .map(|v| v.iter().map(|&i| &self.assignments[i]).collect())
            .unwrap_or_default();
        let by_code: Vec<&CodeAssignment> = by_code
            .into_iter()
            .filter(|a| system.is_none_or(|s| a.system == s) && level_ok(a.region))
            .collect();
        let in_year: Vec<&CodeAssignment> = by_code
            .iter()
            .copied()
            .filter(|a| year.is_none_or(|y| a.from <= y && y <= a.to))
            .collect();
        let pool = if in_year.is_empty() { by_code } else { in_year };
        let mut ids: Vec<(RegionId, usize)> = pool.iter().map(|a| (a.region, a.system)).collect();
        ids.sort();
        ids.dedup();
        let mut regions: Vec<RegionId> = ids.iter().map(|x| x.0).collect();
        regions.dedup();
        if regions.len() == 1 {
            return Ok(regions[0]);
        }
        if regions.len() > 1 {
            return Err(ResolveError::Ambiguous {
                text: text.trim().into(),
                candidates: ids
                    .iter()
                    .map(|(r, s)| self.describe(*r, Some(*s)))
                    .collect(),
            });
        }
        // Names, then names without their administrative suffix ("Ulsan-si", "울산시").
        let mut named: Vec<RegionId> = self
            .by_name
            .get(&name_key(text))
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|&id| level_ok(id))
            .collect();
        // Only for a name no region has at any level: `Gwangju` at district level is not
        // Gwangju-si of Gyeonggi.
        if named.is_empty() && !self.by_name.contains_key(&name_key(text)) {
            named = self
                .by_bare_name
                .get(&bare_name_key(text))
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|&id| level_ok(id))
                .collect();
        }
        if named.len() > 1 {
            if let Some(y) = year {
                let valid: Vec<RegionId> = named
                    .iter()
                    .copied()
                    .filter(|&id| self.region(id).valid_in(y))
                    .collect();
                if !valid.is_empty() {
                    named = valid;
                }
            }
        }
        match named.len() {
            1 => Ok(named[0]),
            0 => Err(ResolveError::Unknown {
                text: text.trim().into(),
                suggestions: self.suggest(&code, system, level),
            }),
            _ => Err(ResolveError::Ambiguous {
                text: text.trim().into(),
                candidates: named.iter().map(|&r| self.describe(r, None)).collect(),
            }),
        }
    }

    fn describe(&self, id: RegionId, system: Option<usize>) -> String {
        let r = self.region(id);
        let parent = r
            .parent
            .map(|p| self.region(p))
            .filter(|p| p.level > Level::NATION)
            .map(|p| format!(", {}", p.name_en))
            .unwrap_or_default();
        let sys = system
            .map(|s| format!("{} code, ", self.systems[s].id))
            .unwrap_or_default();
        let to = if r.valid_to == i32::MAX {
            String::new()
        } else {
            r.valid_to.to_string()
        };
        format!(
            "{} {}{} ({}{}, {}-{})",
            r.name_ko, r.name_en, parent, sys, r.level, r.valid_from, to
        )
    }

    fn suggest(&self, text: &str, system: Option<usize>, level: Option<Level>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let codes = self
            .assignments
            .iter()
            .filter(|a| system.is_none_or(|s| a.system == s))
            .filter(|a| level.is_none_or(|l| self.region(a.region).level == l))
            .map(|a| a.code.as_str());
        for c in suggest::closest(text, codes, 3) {
            if let Ok(id) = self.resolve(&c, system, None, level) {
                out.push(format!("{c} ({})", self.region(id).name_en));
            } else {
                out.push(c);
            }
        }
        let names = self
            .regions
            .iter()
            .filter(|r| level.is_none_or(|l| r.level == l))
            .flat_map(|r| [r.name_ko.as_str(), r.name_en.as_str()]);
        out.extend(suggest::closest(text, names, 3));
        out.dedup();
        out.truncate(5);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(code: &str, ko: &str, en: &str, level: Level, from: i32, to: i32) -> Region {
        Region {
            id: RegionId(0),
            code: code.into(),
            level,
            name_ko: ko.into(),
            name_en: en.into(),
            parent: None,
            valid_from: from,
            valid_to: to,
            aliases: vec![],
        }
    }

    fn catalog() -> (RegionCatalog, RegionId, RegionId, RegionId) {
        let mut c = RegionCatalog::new();
        let a = c.add_system("a", "system A");
        let b = c.add_system("b", "system B");
        let x = c.add_region(region("1", "가", "Ga", Level::PROVINCE, 1990, i32::MAX));
        let y = c.add_region(region("2", "나", "Na", Level::PROVINCE, 1990, i32::MAX));
        let old = c.add_region(region("3", "다", "Da", Level::PROVINCE, 1990, 2009));
        c.add_code(x, a, "10", 1990, i32::MAX);
        c.add_code(y, b, "10", 1990, i32::MAX);
        c.add_code(y, a, "20", 1990, i32::MAX);
        c.add_code(old, a, "30.0", 1990, 2009);
        (c, x, y, old)
    }

    #[test]
    fn a_code_in_two_systems_is_ambiguous_until_the_system_is_named() {
        let (c, x, y, _) = catalog();
        assert!(matches!(
            c.resolve("10", None, None, None),
            Err(ResolveError::Ambiguous { .. })
        ));
        assert_eq!(c.resolve("10", c.system_index("a"), None, None), Ok(x));
        assert_eq!(c.resolve("10", c.system_index("b"), None, None), Ok(y));
    }

    #[test]
    fn codes_names_and_spreadsheet_floats_resolve() {
        let (c, _, y, old) = catalog();
        assert_eq!(c.resolve("20.0", None, None, None), Ok(y));
        assert_eq!(c.resolve(" na ", None, None, None), Ok(y));
        assert_eq!(c.resolve("나", None, None, None), Ok(y));
        // A code valid only in other years still names its single unit.
        assert_eq!(c.resolve("30", None, Some(2015), None), Ok(old));
        assert_eq!(c.code_in(old, 0, Some(2000)), Some("30"));
        assert_eq!(c.code_in(old, 0, Some(2015)), None);
    }

    #[test]
    fn unknown_codes_get_suggestions() {
        let (c, ..) = catalog();
        match c.resolve("21", None, None, None) {
            Err(ResolveError::Unknown { suggestions, .. }) => assert!(
                suggestions.iter().any(|s| s.starts_with("20")),
                "{suggestions:?}"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn levels_parse_and_print() {
        assert_eq!(Level::parse("sigungu"), Some(Level::DISTRICT));
        assert_eq!(Level::parse("level5"), Some(Level(5)));
        assert_eq!(Level(5).name(), "level5");
        assert_eq!(Level::parse("county"), None);
    }
}
