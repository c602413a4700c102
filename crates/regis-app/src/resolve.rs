//! Resolving what a question names: the panel of a measure at a level, periods, boundary
//! vintages and region groups.

use regis_core::{Level, Panel, Period, RegionCatalog, RegionGroup, RegionId};
use regis_data::DataError;

use crate::source::Loaded;

/// The panel of a loaded measure at a level: its own table, or finer data summed up.
pub fn panel_at_level(loaded: &Loaded, level: Level) -> Result<Panel, DataError> {
    let d = &loaded.dataset;
    if let Some(lp) = d.panel_at(level) {
        return Ok(lp.panel.clone());
    }
    if let Some(lp) = d
        .panels
        .iter()
        .find(|lp| lp.levels.iter().any(|l| *l > level))
    {
        return lp.panel.aggregate_to(&loaded.catalog, level).map_err(|e| {
            DataError::file(
                regis_data::ErrorKind::NotAdditive,
                "<arguments>",
                format!("--level {level}: {e}"),
            )
        });
    }
    let have: Vec<String> = d
        .panels
        .iter()
        .flat_map(|p| p.levels.iter().map(|l| l.name()))
        .collect();
    Err(DataError::argument(format!(
        "`{}` has no data at level {}; levels: {}",
        d.measure.id,
        level,
        if have.is_empty() {
            "none (a flow measure)".into()
        } else {
            have.join(", ")
        }
    )))
}

/// Periods chosen by --period / --from / --to among those available; errors name what is
/// covered and propose the nearest period, or `--from` and `--to` swapped when reversed.
pub fn choose_periods(
    available: &[Period],
    listed: &[i32],
    from: Option<i32>,
    to: Option<i32>,
    measure: &str,
) -> Result<Vec<Period>, crate::Error> {
    let range = crate::export::period_list(available);
    let nearest = |y: i32| {
        available
            .iter()
            .min_by_key(|p| (p.0 - y).abs())
            .map(|p| p.0.to_string())
    };
    for p in listed {
        if !available.contains(&Period(*p)) {
            let e = crate::Error::invalid(
                "period-out-of-range",
                format!("period {p} is not covered: `{measure}` has {range}"),
            );
            return Err(match (nearest(*p), listed.len()) {
                (Some(n), 1) => e.with_fix("period", n),
                _ => e,
            });
        }
    }
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(crate::Error::invalid(
                "reversed-span",
                format!("--from {f} is after --to {t}: the span runs from the earlier year"),
            )
            .with_fixes(vec![
                ("from", Some(t.to_string())),
                ("to", Some(f.to_string())),
            ]));
        }
    }
    let out: Vec<Period> = available
        .iter()
        .copied()
        .filter(|p| listed.is_empty() || listed.contains(&p.0))
        .filter(|p| from.is_none_or(|f| p.0 >= f) && to.is_none_or(|t| p.0 <= t))
        .collect();
    if out.is_empty() {
        return Err(crate::Error::invalid(
            "no-period-selected",
            format!(
                "no period of `{measure}` lies in {}-{}: it has {range}",
                from.map(|f| f.to_string()).unwrap_or_default(),
                to.map(|t| t.to_string()).unwrap_or_default()
            ),
        ));
    }
    Ok(out)
}

/// The one period a command works on: `asked` (`--period`), which the measure must cover, or
/// its latest.
pub fn one_period(
    available: &[Period],
    asked: Option<i32>,
    measure: &str,
) -> Result<Period, crate::Error> {
    match asked {
        Some(p) => Ok(choose_periods(available, &[p], None, None, measure)?[0]),
        None => available
            .last()
            .copied()
            .ok_or_else(|| DataError::argument(format!("`{measure}` has no period")).into()),
    }
}

/// The panel carried to the region boundaries of `vintage` (a year), through the code
/// history's crosswalk. Regions that cannot be carried are named in `warnings`.
pub fn to_vintage(
    panel: &Panel,
    level: Level,
    vintage: i32,
    cat: &RegionCatalog,
    warnings: &mut Vec<String>,
) -> Result<Panel, DataError> {
    let (p, unmapped) =
        regis_data::korea_history::to_vintage(panel, level, vintage).map_err(|e| {
            DataError::file(
                regis_data::ErrorKind::NotAdditive,
                "<arguments>",
                format!("--vintage {vintage}: {e}"),
            )
        })?;
    for u in unmapped {
        warnings.push(format!(
            "{} ({}) could not be carried to {vintage} boundaries",
            cat.region(u).name_en,
            cat.region(u).code
        ));
    }
    Ok(p)
}

/// Whether region `r`, or a region it lies in, is one of `members`.
pub fn in_group(cat: &RegionCatalog, r: RegionId, members: &[RegionId]) -> bool {
    let mut cur = Some(r);
    while let Some(c) = cur {
        if members.contains(&c) {
            return true;
        }
        cur = cat.region(c).parent;
    }
    false
}

/// A group named on the command line: `NAME=code,code,...`, each code or name matched among
/// the regions of the data (`candidates`), so another country's code 11 is that country's
/// region 11; unknown ones are refused with the codes the data has.
pub fn group_of_members(
    cat: &RegionCatalog,
    spec: &str,
    candidates: &[RegionId],
) -> Result<RegionGroup, DataError> {
    let (name, codes) = spec.split_once('=').ok_or_else(|| {
        DataError::argument(format!(
            "--group-members `{spec}`: expected NAME=code,code (e.g. East=11,12,13)"
        ))
    })?;
    let name = name.trim();
    if name.is_empty() {
        return Err(DataError::argument(
            "--group-members: the group needs a name before `=`",
        ));
    }
    let mut members = Vec::new();
    for code in codes.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let found = candidates.iter().copied().find(|r| {
            let reg = cat.region(*r);
            reg.code == code || reg.name_ko == code || reg.name_en.eq_ignore_ascii_case(code)
        });
        let Some(r) = found else {
            let mut known: Vec<&str> = candidates
                .iter()
                .map(|r| cat.region(*r).code.as_str())
                .collect();
            known.sort();
            return Err(DataError::argument(format!(
                "--group-members: `{code}` is not a region of the data; its codes are {}",
                known.join(", ")
            )));
        };
        members.push(r);
    }
    if members.is_empty() {
        return Err(DataError::argument(format!(
            "--group-members `{spec}`: no region codes after `=`"
        )));
    }
    Ok(RegionGroup {
        id: name.to_string(),
        name_ko: name.to_string(),
        name_en: name.to_string(),
        members,
    })
}

/// The span of a question over time: `from` and `to` as asked, or the first and last periods
/// available.
pub fn span(
    available: &[Period],
    from: Option<i32>,
    to: Option<i32>,
    measure: &str,
) -> Result<(i32, i32), DataError> {
    match (available.first(), available.last()) {
        (Some(first), Some(last)) => Ok((from.unwrap_or(first.0), to.unwrap_or(last.0))),
        _ => Err(DataError::argument(format!("`{measure}` has no period"))),
    }
}

/// The region a user names at `level`: an SGIS census code (the code every report shows) first,
/// then a code of another system or a Korean or English name. Unknown or ambiguous text is
/// refused with the candidates; text that is not a code or name is never echoed.
pub fn region_named(
    cat: &RegionCatalog,
    text: &str,
    level: Level,
) -> Result<RegionId, crate::Error> {
    region_named_in(cat, text, level, None)
}

/// [`region_named`] with the code system the user named (`--region-codes mois`: `26` is
/// Busan) tried first.
pub fn region_named_in(
    cat: &RegionCatalog,
    text: &str,
    level: Level,
    system: Option<&str>,
) -> Result<RegionId, crate::Error> {
    let first = system
        .and_then(|s| cat.system_index(s))
        .or_else(|| cat.system_index(regis_data::korea::SGIS));
    cat.resolve(text, first, None, Some(level))
        .or_else(|_| cat.resolve(text, None, None, Some(level)))
        .map_err(|e| {
            if crate::error::shown(text) != text {
                return crate::Error::not_found(
                    "unknown-region",
                    "unknown region (not a code or name): expected an SGIS census code such as 11 or 31010, or a region name",
                );
            }
            if let regis_core::region::ResolveError::Unknown { .. } = e {
                if let Some(other) = at_other_level(cat, text, level, first) {
                    return other;
                }
            }
            let near = match &e {
                regis_core::region::ResolveError::Unknown { suggestions, .. } => suggestions
                    .first()
                    .map(|s| s.split(" (").next().unwrap_or(s).to_string()),
                _ => None,
            };
            let err = crate::Error::not_found("unknown-region", e.to_string());
            match near {
                Some(n) => err.with_fix_for("region", text, n),
                None => err,
            }
        })
}

/// A region asked at `level` that exists at another: a finer one proposes its ancestor at
/// `level`, a coarser one (or a name several finer regions share) the level it is at.
fn at_other_level(
    cat: &RegionCatalog,
    text: &str,
    level: Level,
    system: Option<usize>,
) -> Option<crate::Error> {
    for other in [Level::PROVINCE, Level::DISTRICT, Level::SUBDISTRICT] {
        if other == level {
            continue;
        }
        let found = cat
            .resolve(text, system, None, Some(other))
            .or_else(|_| cat.resolve(text, None, None, Some(other)));
        match found {
            Ok(r) => {
                let reg = cat.region(r);
                if other > level {
                    let mut up = reg.parent;
                    while let Some(p) = up.filter(|p| cat.region(*p).level > level) {
                        up = cat.region(p).parent;
                    }
                    if let Some(a) = up.filter(|a| cat.region(*a).level == level) {
                        let anc = cat.region(a);
                        return Some(
                            crate::Error::not_found(
                                "region-at-another-level",
                                format!(
                                    "`{text}` is a {other} ({} {}); this question is asked of {level}s, and its {level} is {} ({})",
                                    reg.name_ko, reg.name_en, anc.code, anc.name_en
                                ),
                            )
                            .with_fix_for("region", text, anc.code.clone()),
                        );
                    }
                }
                return Some(
                    crate::Error::not_found(
                        "region-at-another-level",
                        format!(
                            "`{text}` is a {other} ({} {}), not a {level}; ask at --level {other}",
                            reg.name_ko, reg.name_en
                        ),
                    )
                    .with_fix("level", other.name()),
                );
            }
            Err(regis_core::region::ResolveError::Ambiguous { candidates, .. }) => {
                return Some(
                    crate::Error::not_found(
                        "region-at-another-level",
                        format!(
                            "`{text}` names {} {other}s, not a {level}: {}; ask at --level {other} with one of their codes (`regis regions --find {text}`)",
                            candidates.len(),
                            candidates.join("; ")
                        ),
                    )
                    .with_fix("level", other.name()),
                );
            }
            Err(_) => {}
        }
    }
    None
}

/// The window of a question over time: `from` and `to` (default the first and last periods),
/// which must both be covered and in order, and the periods between them.
pub fn window(
    available: &[Period],
    from: Option<i32>,
    to: Option<i32>,
    measure: &str,
) -> Result<(i32, i32, Vec<Period>), crate::Error> {
    let (from, to) = span(available, from, to, measure)?;
    for p in [from, to] {
        if !available.contains(&Period(p)) {
            let flag = if p == from { "from" } else { "to" };
            let e = crate::Error::invalid(
                "period-out-of-range",
                format!(
                    "--{flag} {p} is not covered by `{measure}`, which has {}",
                    crate::export::period_list(available)
                ),
            );
            let nearest = available.iter().min_by_key(|q| (q.0 - p).abs());
            return Err(match nearest {
                Some(n) => e.with_fix(flag, n.0.to_string()),
                None => e,
            });
        }
    }
    if from > to {
        return Err(crate::Error::invalid(
            "reversed-span",
            format!("--from {from} is after --to {to}: the span runs from the earlier year"),
        )
        .with_fixes(vec![
            ("from", Some(to.to_string())),
            ("to", Some(from.to_string())),
        ]));
    }
    if from == to {
        return Err(DataError::argument(format!(
            "--from and --to are both {from}: a change needs two periods"
        ))
        .into());
    }
    let periods = choose_periods(available, &[], Some(from), Some(to), measure)?;
    Ok((from, to, periods))
}

/// The region a boundary unit stands for in `year`: itself while it exists, else its successor
/// when it passed whole to one region (Incheon's Nam-gu, Michuhol-gu since 2018), through the
/// code history's crosswalk; itself when it was split.
pub fn successor_in(cat: &RegionCatalog, r: RegionId, year: i32) -> RegionId {
    let reg = cat.region(r);
    if reg.valid_in(year) || reg.valid_to >= year {
        return r;
    }
    let (cw, _) = regis_data::korea_history::crosswalk(
        reg.level.min(Level::DISTRICT),
        reg.valid_to.clamp(1998, 2024),
        year.clamp(1998, 2024),
    );
    cw.links
        .iter()
        .find(|l| l.from == r && l.weight > 0.999)
        .map_or(r, |l| l.to)
}

/// The refusal of a group `given` that the catalog does not have (`param`: the flag it came
/// in), with the group its id or name is nearest to proposed (`capital` is SMA, the capital
/// region) and the groups listed.
///
/// ```
/// let cat = regis_data::korea::catalog();
/// let e = regis_app::resolve::unknown_group(cat, "capital", "group");
/// assert!(e.to_string().contains("did you mean SMA"), "{e}");
/// assert_eq!(e.fix().unwrap().set[0], ("group", Some("SMA".to_string())));
/// ```
pub fn unknown_group(cat: &RegionCatalog, given: &str, param: &'static str) -> crate::Error {
    let ids: Vec<&str> = cat.groups().iter().map(|g| g.id.as_str()).collect();
    let word = given.to_lowercase();
    let near = crate::advice::nearest(given, ids.iter().copied())
        .map(str::to_string)
        .or_else(|| {
            // A word of a group's name (`capital` in "... (capital region)").
            cat.groups()
                .iter()
                .find(|g| {
                    word.chars().count() >= 4
                        && (g.name_en.to_lowercase().contains(&word) || g.name_ko.contains(given))
                })
                .map(|g| g.id.clone())
        });
    let e = crate::Error::invalid(
        "unknown-group",
        format!(
            "unknown group `{}`{}; groups: {} (or name your own with --group-members NAME=code,code)",
            crate::error::shown(given),
            near.as_deref()
                .map(|n| format!("; did you mean {n}?"))
                .unwrap_or_default(),
            ids.join(", ")
        ),
    );
    match near {
        Some(n) => e.with_fix(param, n),
        None => e,
    }
}
