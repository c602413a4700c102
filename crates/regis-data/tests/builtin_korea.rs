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
            assert_eq!(n, 16);
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
