//! Importing the two original KOSIS XLSX downloads yields exactly the numbers of the tidy CSVs
//! shipped beside them (and therefore of the built-in dataset).

use std::path::PathBuf;

use regis_core::{Level, Measure, Period, TOTAL_INDUSTRY};
use regis_data::import::{import, ColumnMap, ImportOptions, Imported};
use regis_data::korea;
use regis_data::table::{ReadOptions, Table};

fn data(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/korea")
        .join(path)
}

fn opts(measure: Measure, industry: Option<&str>, filters: &[(&str, &str)]) -> ImportOptions {
    ImportOptions {
        columns: ColumnMap {
            industry: industry.map(String::from),
            ..Default::default()
        },
        measure,
        region_system: None,
        level: Some(Level::PROVINCE),
        filters: filters
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        period: None,
        classification: None,
        allow_new_regions: false,
    }
}

/// The file's number equals the built-in one; the built-in reads KOSIS's 0 for a city not yet
/// compiled apart from its province (Ulsan before 1998) as missing.
fn same(file: Option<f64>, builtin: Option<f64>) {
    assert!(
        file == builtin || (builtin.is_none() && file == Some(0.0)),
        "{file:?} vs {builtin:?}"
    );
}

#[test]
fn grdp_xlsx_equals_tidy_csv_for_both_price_bases() {
    let t = Table::read(
        &data("kosis/101_DT_1C61_20190217115851.xlsx"),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(t.header[0], "행정구역(시도)별");
    for (basis, measure) in [
        ("당해년가격", "grdp_nominal"),
        ("2010년 기준년가격(연쇄)", "grdp_real"),
    ] {
        let m = korea::measure(measure).unwrap();
        let mut o = opts(m, Some("경제활동별"), &[("항목", basis)]);
        o.level = None;
        o.classification = korea::classification("kosis_grdp");
        let rep = import(&t, korea::catalog(), &o).unwrap();
        assert_eq!(rep.layout, "wide");
        assert_eq!(rep.unit.as_deref(), Some("백만원"));
        let Imported::Panel(p) = rep.data else {
            panic!("panel")
        };
        let builtin = &korea::dataset(measure)
            .unwrap()
            .panel_at(Level::PROVINCE)
            .unwrap()
            .panel;
        assert_eq!(p.periods(), builtin.periods());
        assert_eq!(p.count_present(), 17 * 26 * 33);
        for c in builtin.cells() {
            same(p.get(c.region, &c.industry, c.period), c.value);
        }
    }
}

#[test]
fn population_xlsx_equals_tidy_csv_for_every_sex_and_age() {
    let t = Table::read(
        &data("kosis/101_DT_1BPB001_20190218172733.xlsx"),
        &ReadOptions::default(),
    )
    .unwrap();
    let tidy = Table::read(
        &data("kosis/population_projection_base_sido_sex_age_1970_2020.csv"),
        &ReadOptions::default(),
    )
    .unwrap();
    let cat = korea::catalog();
    let mut compared = 0;
    for sex in ["계", "남자", "여자"] {
        let m = korea::measure("population").unwrap();
        let o = opts(m, Some("연령별"), &[("성별", sex)]);
        let rep = import(&t, cat, &o).unwrap();
        let Imported::Panel(p) = rep.data else {
            panic!("panel")
        };
        for row in tidy.rows.iter().filter(|r| r.cells[1] == sex) {
            let year = Period::parse(&row.cells[3]).unwrap();
            let region = cat
                .resolve(&row.cells[0], None, Some(year.0), Some(Level::PROVINCE))
                .or_else(|_| cat.resolve(&row.cells[0], None, Some(year.0), Some(Level::NATION)))
                .unwrap();
            let expected = if row.cells[4].is_empty() {
                None
            } else {
                Some(row.cells[4].parse::<f64>().unwrap())
            };
            assert_eq!(p.get(region, &row.cells[2], year), expected, "{:?}", row);
            compared += 1;
        }
    }
    assert_eq!(compared, tidy.rows.len());
    // And the built-in population is the 계/계 slice.
    let builtin = &korea::dataset("population")
        .unwrap()
        .panel_at(Level::PROVINCE)
        .unwrap()
        .panel;
    let seoul = cat
        .resolve("서울특별시", None, None, Some(Level::PROVINCE))
        .unwrap();
    assert_eq!(
        builtin.get(seoul, TOTAL_INDUSTRY, Period(2001)),
        Some(10_091_137.0)
    );
}

#[test]
fn unfiltered_price_basis_is_an_unresolved_dimension() {
    let t = Table::read(
        &data("kosis/101_DT_1C61_20190217115851.xlsx"),
        &ReadOptions::default(),
    )
    .unwrap();
    let mut o = opts(
        korea::measure("grdp_nominal").unwrap(),
        Some("경제활동별"),
        &[],
    );
    o.level = None;
    let e = import(&t, korea::catalog(), &o).unwrap_err();
    assert_eq!(e.kind, regis_data::ErrorKind::UnresolvedDimension, "{e}");
    assert!(e.to_string().contains("항목"), "{e}");
}

fn input(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/inputs")
        .join(path)
}

#[test]
fn kosis_csv_in_cp949_is_detected_and_equals_the_builtin() {
    let t = Table::read(&input("kosis_grdp_1c61_cp949.csv"), &ReadOptions::default()).unwrap();
    assert_eq!(t.encoding, Some(regis_data::text::Encoding::Cp949));
    let mut o = opts(
        korea::measure("grdp_nominal").unwrap(),
        Some("경제활동별"),
        &[("항목", "당해년가격")],
    );
    o.classification = korea::classification("kosis_grdp");
    let rep = import(&t, korea::catalog(), &o).unwrap();
    let Imported::Panel(p) = rep.data else {
        panic!("panel")
    };
    let builtin = &korea::dataset("grdp_nominal")
        .unwrap()
        .panel_at(Level::PROVINCE)
        .unwrap()
        .panel;
    assert_eq!(p.count_present(), 17 * 26 * 33);
    for c in builtin.cells() {
        same(p.get(c.region, &c.industry, c.period), c.value);
    }
}

#[test]
fn kosis_csv_with_a_two_row_header_selects_the_item_row() {
    let t = Table::read(
        &input("kosis_grdp_two_row_header.csv"),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(t.header[2], "2015 년 / 당해년가격");
    for (item, measure) in [
        ("당해년가격", "grdp_nominal"),
        ("2010년 기준년가격(연쇄)", "grdp_real"),
    ] {
        let mut o = opts(
            korea::measure(measure).unwrap(),
            Some("경제활동별"),
            &[("item", item)],
        );
        o.classification = korea::classification("kosis_grdp");
        let rep = import(&t, korea::catalog(), &o).unwrap();
        let Imported::Panel(p) = rep.data else {
            panic!("panel")
        };
        assert_eq!(p.periods(), &[Period(2015), Period(2016), Period(2017)]);
        assert_eq!(p.count_present(), 17 * 3);
        let builtin = &korea::dataset(measure)
            .unwrap()
            .panel_at(Level::PROVINCE)
            .unwrap()
            .panel;
        for c in p.cells() {
            assert_eq!(
                builtin.get(c.region, &c.industry, c.period),
                c.value,
                "{measure} {c:?}"
            );
        }
    }
    let o = opts(
        korea::measure("grdp_nominal").unwrap(),
        Some("경제활동별"),
        &[],
    );
    let e = import(&t, korea::catalog(), &o).unwrap_err();
    assert_eq!(e.kind, regis_data::ErrorKind::UnresolvedDimension);
    assert_eq!(e.line, Some(4));
}
