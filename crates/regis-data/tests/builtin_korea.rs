//! The built-in Korea dataset reproduces published facts and its own identities.

use regis_core::{Level, Period, TOTAL_INDUSTRY};
use regis_data::korea;

fn provinces_sum(measure: &str, industry: &str, year: i32) -> (f64, f64, usize) {
    let d = korea::dataset(measure).unwrap();
    let lp = d.panel_at(Level::PROVINCE).unwrap();
    let cat = korea::catalog();
    let provinces = cat.at_level(Level::PROVINCE, Some(year));
    let mut sum = 0.0;
    let mut n = 0;
    for &r in &provinces {
        if let Some(v) = lp.panel.get(r, industry, Period(year)) {
            sum += v;
            n += 1;
        }
    }
    let nation = cat.at_level(Level::NATION, None)[0];
    let national = lp.panel.get(nation, industry, Period(year)).unwrap();
    (sum, national, n)
}

#[test]
fn population_2001_matches_kosis() {
    let (sum, national, n) = provinces_sum("population", TOTAL_INDUSTRY, 2001);
    assert_eq!(n, 16, "Sejong does not exist in 2001");
    assert_eq!(sum, 47_370_164.0);
    assert_eq!(national, 47_370_164.0);
    let cat = korea::catalog();
    let seoul = cat
        .resolve("11", cat.system_index("sgis"), Some(2001), None)
        .unwrap();
    let d = korea::dataset("population").unwrap();
    let p = &d.panel_at(Level::PROVINCE).unwrap().panel;
    assert_eq!(
        p.get(seoul, TOTAL_INDUSTRY, Period(2001)),
        Some(10_091_137.0)
    );
    // SMA share 2001: 22,093,135 / 47,370,164 = 46.64% (KOSIS).
    let sma = cat.group("SMA").unwrap();
    let s = p
        .sum_regions(&sma.members, TOTAL_INDUSTRY, Period(2001))
        .unwrap()
        .unwrap();
    assert_eq!(s, 22_093_135.0);
}

#[test]
fn grdp_nominal_2001_and_sma_share() {
    let (sum, national, _) = provinces_sum("grdp_nominal", TOTAL_INDUSTRY, 2001);
    assert_eq!(sum, 691_322_951.0);
    assert_eq!(national, 691_322_951.0);
    let cat = korea::catalog();
    let d = korea::dataset("grdp_nominal").unwrap();
    let p = &d.panel_at(Level::PROVINCE).unwrap().panel;
    let sma = cat.group("SMA").unwrap();
    let s = p
        .sum_regions(&sma.members, TOTAL_INDUSTRY, Period(2001))
        .unwrap()
        .unwrap();
    assert_eq!(s, 337_645_961.0);
}

#[test]
fn nominal_provinces_add_up_to_nation_every_year_and_activity() {
    let d = korea::dataset("grdp_nominal").unwrap();
    let p = &d.panel_at(Level::PROVINCE).unwrap().panel;
    assert_eq!(p.periods().first(), Some(&Period(1985)));
    assert_eq!(p.periods().last(), Some(&Period(2017)));
    let mut checked = 0;
    for &year in p.periods() {
        for ind in p.industries() {
            let (sum, national, n) = provinces_sum("grdp_nominal", ind, year.0);
            assert!(
                n >= 13 && (year.0 < 1998 || n == 16),
                "{year}: {n} provinces"
            );
            assert!(
                (sum - national).abs() <= 1e-9 * national.abs().max(1.0),
                "{year} {ind}: {sum} vs {national}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 33 * 26);
}

#[test]
fn real_grdp_is_not_additive_and_refuses_sums() {
    let d = korea::dataset("grdp_real").unwrap();
    assert!(!d.measure.additive);
    let p = &d.panel_at(Level::PROVINCE).unwrap().panel;
    let cat = korea::catalog();
    let err = p.sum_regions(
        &cat.group("SMA").unwrap().members,
        TOTAL_INDUSTRY,
        Period(2001),
    );
    assert!(err.is_err());
    // And the chained values indeed do not add up (KOSIS note on DT_1C61).
    let provinces = cat.at_level(Level::PROVINCE, Some(2001));
    let nation = cat.at_level(Level::NATION, None)[0];
    let s: f64 = provinces
        .iter()
        .filter_map(|&r| p.get(r, TOTAL_INDUSTRY, Period(1990)))
        .sum();
    assert_ne!(s, p.get(nation, TOTAL_INDUSTRY, Period(1990)).unwrap());
}

#[test]
fn ambiguous_codes_are_never_guessed() {
    let cat = korea::catalog();
    let err = cat
        .resolve("26", None, Some(2020), None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("Ulsan") && err.contains("Busan"), "{err}");
    let sgis = cat.system_index("sgis");
    let mois = cat.system_index("mois");
    assert_eq!(
        cat.region(cat.resolve("26", sgis, Some(2020), None).unwrap())
            .name_en,
        "Ulsan"
    );
    assert_eq!(
        cat.region(cat.resolve("26", mois, Some(2020), None).unwrap())
            .name_en,
        "Busan"
    );
    // Names in both languages and short forms.
    assert_eq!(
        cat.region(cat.resolve("경기", None, None, None).unwrap())
            .code,
        "31"
    );
    assert_eq!(
        cat.region(cat.resolve("Gyeongsangnam-do", None, None, None).unwrap())
            .code,
        "38"
    );
    // MOIS renumbering: Gangwon 42 until 2022, 51 from 2023.
    let g = cat.resolve("32", sgis, None, None).unwrap();
    assert_eq!(cat.resolve("42", mois, Some(2020), None).unwrap(), g);
    assert_eq!(cat.resolve("51", mois, Some(2023), None).unwrap(), g);
    // A near miss gets a suggestion.
    let e = cat
        .resolve("Seol", None, None, Some(Level::PROVINCE))
        .unwrap_err()
        .to_string();
    assert!(e.contains("Seoul"), "{e}");
}

#[test]
fn district_catalog_knows_the_boundary_changes() {
    let cat = korea::catalog();
    let sgis = cat.system_index("sgis");
    let mois = cat.system_index("mois");
    // Incheon Nam-gu renamed Michuhol-gu in 2018.
    let nam = cat.resolve("28170", mois, None, None).unwrap();
    let mich = cat.resolve("28177", mois, None, None).unwrap();
    assert!(cat.region(nam).valid_to < 2018 && cat.region(mich).valid_from == 2018);
    // Changwon 2010: a new unit.
    let changwon = cat.resolve("38110", sgis, Some(2015), None).unwrap();
    assert_eq!(cat.region(changwon).valid_from, 2010);
    // Sejong province from 2012.
    let sejong = cat
        .resolve("29", sgis, None, Some(Level::PROVINCE))
        .unwrap();
    assert_eq!(cat.region(sejong).valid_from, 2012);
    assert_eq!(cat.at_level(Level::PROVINCE, Some(2020)).len(), 17);
    assert_eq!(cat.at_level(Level::PROVINCE, Some(2001)).len(), 16);
}

#[test]
fn companies_and_migration_load() {
    let d = korea::dataset("companies").unwrap();
    assert_eq!(d.periods(), vec![Period(2010), Period(2015), Period(2020)]);
    let m = korea::dataset("migration").unwrap();
    let f = m.flows.as_ref().unwrap();
    assert_eq!(f.regions().len(), 17);
    assert_eq!(f.periods().len(), 9);
    let cat = korea::catalog();
    let seoul = cat.resolve("Seoul", None, None, None).unwrap();
    let busan = cat
        .resolve("Busan", None, None, Some(Level::PROVINCE))
        .unwrap();
    assert_eq!(f.get(seoul, busan, Period(2012)), Some(21437.0));
}

#[test]
fn district_values_2010_onto_2020_boundaries_keep_national_totals() {
    use regis_data::korea_history::crosswalk;
    let cat = korea::catalog();
    let (cw, unmapped) = crosswalk(Level::DISTRICT, 2010, 2020);
    let names: Vec<_> = unmapped
        .iter()
        .map(|r| cat.region(*r).name_en.clone())
        .collect();
    assert!(unmapped.is_empty(), "unmapped 2010 districts: {names:?}");
    cw.check(cat).unwrap();
    for measure in ["population", "companies", "grdp_nominal"] {
        let d = korea::dataset(measure).unwrap();
        let lp = d.panel_at(Level::DISTRICT).unwrap();
        let districts: Vec<_> = lp
            .panel
            .regions()
            .iter()
            .copied()
            .filter(|r| cat.region(*r).level == Level::DISTRICT)
            .collect();
        let p2010 = lp
            .panel
            .select(Some(&districts), None, Some(&[Period(2010)]));
        let moved = cw.apply(&p2010, cat).unwrap();
        for r in moved.regions() {
            assert!(
                cat.region(*r).valid_in(2020),
                "{measure}: {} is not a 2020 district",
                cat.region(*r).name_en
            );
        }
        for ind in p2010.industries() {
            let before: f64 = p2010
                .regions()
                .iter()
                .filter_map(|r| p2010.get(*r, ind, Period(2010)))
                .sum();
            let after: f64 = moved
                .regions()
                .iter()
                .filter_map(|r| moved.get(*r, ind, Period(2010)))
                .sum();
            assert!(
                (before - after).abs() <= 1e-9 * before.abs().max(1.0),
                "{measure} {ind}: {before} vs {after}"
            );
        }
        // Sejong (2012) receives Yeongi-gun, so it is present in 2020 boundaries.
        if measure == "population" {
            let sejong = cat
                .resolve("29010", cat.system_index("sgis"), Some(2020), None)
                .unwrap();
            assert!(moved.get(sejong, TOTAL_INDUSTRY, Period(2010)).unwrap() > 50_000.0);
            // Changwon (merged 2010) exists in both years and keeps its value.
            let changwon = cat
                .resolve("38110", cat.system_index("sgis"), Some(2020), None)
                .unwrap();
            assert!(moved.get(changwon, TOTAL_INDUSTRY, Period(2010)).is_some());
        }
    }
}

#[test]
fn sejong_folds_back_into_its_2011_provinces() {
    use regis_data::korea_history::crosswalk;
    let cat = korea::catalog();
    let (cw, unmapped) = crosswalk(Level::PROVINCE, 2015, 2011);
    assert!(unmapped.is_empty());
    let sejong = cat
        .resolve("29", cat.system_index("sgis"), None, Some(Level::PROVINCE))
        .unwrap();
    let chungnam = cat.resolve("충남", None, None, None).unwrap();
    let chungbuk = cat.resolve("충북", None, None, None).unwrap();
    let targets: Vec<_> = cw
        .links
        .iter()
        .filter(|l| l.from == sejong)
        .map(|l| (l.to, l.weight))
        .collect();
    assert!(
        targets.iter().any(|(t, w)| *t == chungnam && *w > 0.5),
        "{targets:?}"
    );
    assert!(
        targets
            .iter()
            .all(|(t, _)| *t == chungnam || *t == chungbuk),
        "{targets:?}"
    );
    let p = &korea::dataset("population")
        .unwrap()
        .panel_at(Level::PROVINCE)
        .unwrap()
        .panel;
    let folded = cw
        .apply(&p.select(None, None, Some(&[Period(2015)])), cat)
        .unwrap();
    assert!(!folded.has_region(sejong));
    let nation = cat.at_level(Level::NATION, None)[0];
    let before: f64 = cat
        .at_level(Level::PROVINCE, Some(2015))
        .iter()
        .filter_map(|r| p.get(*r, TOTAL_INDUSTRY, Period(2015)))
        .sum();
    let after: f64 = cat
        .at_level(Level::PROVINCE, Some(2011))
        .iter()
        .filter_map(|r| folded.get(*r, TOTAL_INDUSTRY, Period(2015)))
        .sum();
    assert!((before - after).abs() < 1e-6);
    assert_eq!(
        folded.get(nation, TOTAL_INDUSTRY, Period(2015)),
        p.get(nation, TOTAL_INDUSTRY, Period(2015))
    );
}

#[test]
fn harmonising_real_grdp_is_refused() {
    use regis_data::korea_history::crosswalk;
    let cat = korea::catalog();
    let (cw, _) = crosswalk(Level::PROVINCE, 2015, 2011);
    let p = &korea::dataset("grdp_real")
        .unwrap()
        .panel_at(Level::PROVINCE)
        .unwrap()
        .panel;
    let e = cw.apply(p, cat).unwrap_err();
    assert!(e.to_string().contains("not additive"), "{e}");
}

#[test]
fn grdp_zeros_of_cities_not_yet_compiled_are_missing() {
    let cat = korea::catalog();
    let p = &korea::dataset("grdp_nominal")
        .unwrap()
        .panel_at(Level::PROVINCE)
        .unwrap()
        .panel;
    let ulsan = cat
        .resolve("울산광역시", None, None, Some(Level::PROVINCE))
        .unwrap();
    assert_eq!(p.get(ulsan, TOTAL_INDUSTRY, Period(1997)), None);
    assert_eq!(p.get(ulsan, "C", Period(1990)), None);
    assert!(p.get(ulsan, TOTAL_INDUSTRY, Period(1998)).unwrap() > 0.0);
    let daejeon = cat
        .resolve("대전광역시", None, None, Some(Level::PROVINCE))
        .unwrap();
    assert_eq!(p.get(daejeon, TOTAL_INDUSTRY, Period(1988)), None);
    assert!(p.get(daejeon, TOTAL_INDUSTRY, Period(1989)).is_some());
}

#[test]
fn every_builtin_industry_is_flagged_traded_local_or_public() {
    use regis_core::TradedLocal::{Local, Public, Traded};
    let flag = |class: &str, code: &str| {
        korea::classification(class)
            .unwrap()
            .traded_local(code)
            .map(|x| x.0)
    };
    // KOSIS GRDP activities: the rule on the US Cluster Mapping definitions, and judgements.
    for (code, want) in [
        ("A", Traded),
        ("B", Traded),
        ("C", Traded),
        ("C1", Traded),
        ("DE", Traded),
        ("F", Local),
        ("G", Local),
        ("H", Traded),
        ("I", Local),
        ("J", Traded),
        ("K", Traded),
        ("L", Local),
        ("MN", Traded),
        ("O", Public),
        ("P", Local),
        ("Q", Local),
        ("RS", Local),
    ] {
        assert_eq!(flag("kosis_grdp", code), Some(want), "kosis_grdp {code}");
    }
    // KSIC: a class inherits its division's or section's flag; wholesale and retail differ.
    assert_eq!(flag("ksic10", "26111"), Some(Traded));
    assert_eq!(flag("ksic9", "26110"), Some(Traded));
    assert_eq!(flag("ksic10", "46"), Some(Traded));
    assert_eq!(flag("ksic10", "47"), Some(Local));
    assert_eq!(flag("ksic10", "84"), Some(Public));
    assert_eq!(flag("sgis18", "Q"), Some(Local));
    assert_eq!(flag("naics2012", "336411"), Some(Traded));
    // Totals carry none; every leaf of the built-in classifications carries one.
    assert_eq!(flag("kosis_grdp", "GVA"), None);
    for class in ["kosis_grdp", "sgis18", "ksic9", "ksic10"] {
        let c = korea::classification(class).unwrap();
        for i in c.industries() {
            if c.children(&i.code).is_empty() && i.parent.is_some() {
                assert!(c.traded_local(&i.code).is_some(), "{class} {}", i.code);
            }
        }
    }
    // The reason names the rule's count or the judgement.
    let (_, why) = korea::classification("kosis_grdp")
        .unwrap()
        .traded_local("G")
        .unwrap();
    assert!(why.contains("53 of 137"), "{why}");
}

/// District names in English agree with KOSTAT's 2010 code book wherever it has the same code
/// and Korean name: the code list's four misspellings (Geojae-si, Yeonjae-gu, Cheolwon-gun,
/// Cheongseong-gun) are corrected, and the old spellings still find their district.
#[test]
fn district_english_names_agree_with_the_official_code_book() {
    let cat = korea::catalog();
    let sgis = cat.system_index(korea::SGIS).unwrap();
    let (_, text) = korea::CODEBOOK_TRANSLATION_CSV;
    let mut official = std::collections::HashMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() >= 3 && f[0].len() == 5 {
            official.insert(f[0].to_string(), (f[1].to_string(), f[2].to_string()));
        }
    }
    let mut checked = 0;
    for r in cat.at_level(Level::DISTRICT, None) {
        let reg = cat.region(r);
        let same = cat
            .codes_of(r)
            .filter(|a| a.system == sgis)
            .find_map(|a| official.get(&a.code).filter(|(ko, _)| *ko == reg.name_ko));
        if let Some((_, en)) = same {
            assert_eq!(&reg.name_en, en, "{} ({})", reg.name_ko, reg.code);
            checked += 1;
        }
    }
    assert!(checked > 200, "{checked} districts checked");
    for (old, new) in [
        ("Geojae-si", "Geoje-si"),
        ("Yeonjae-gu", "Yeonje-gu"),
        ("Cheolwon-gun", "Cheorwon-gun"),
        ("Cheongseong-gun", "Cheongsong-gun"),
    ] {
        let r = cat.resolve(old, None, None, Some(Level::DISTRICT)).unwrap();
        assert_eq!(cat.region(r).name_en, new);
    }
}
