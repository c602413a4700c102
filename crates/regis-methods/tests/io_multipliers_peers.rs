//! Type I multipliers against pymrio on the Bank of Korea's 2020 table at 33 and 165 sectors
//! (fixture script: tests/peers/make_io_multiplier_fixtures.py, which reads the same files), and the
//! table's own balances: domestic flows plus domestic final demand equal output row by row;
//! total flows plus value added equal output column by column — exactly.

use regis_data::table::{ReadOptions, Table};
use regis_methods::input_output::{
    leontief_inverse, output_multipliers, satellite_multipliers, technical_coefficients,
};
use serde_json::Value;

fn table(size: usize, name: &str) -> Table {
    let path = format!(
        "{}/../../data/korea/io/io_2020_{size}_{name}.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    Table::read(std::path::Path::new(&path), &ReadOptions::default()).unwrap()
}

/// The value in column `value` (or `col`) of each row matching `keep`, by sector position.
fn by_sector(
    t: &Table,
    sector_col: &str,
    col: &str,
    keep: impl Fn(&[String], &Table) -> bool,
    pos: &dyn Fn(&str) -> usize,
    n: usize,
) -> Vec<f64> {
    let (s, v) = (t.column(sector_col).unwrap(), t.column(col).unwrap());
    let mut out = vec![f64::NAN; n];
    for r in &t.rows {
        if keep(&r.cells, t) {
            out[pos(&r.cells[s])] = r.cells[v].parse().unwrap();
        }
    }
    out
}

#[test]
fn korean_table_balances_and_its_multipliers_agree_with_pymrio() {
    for size in [33, 165] {
        check(size);
    }
}

fn check(size: usize) {
    let table = |name: &str| table(size, name);
    let sectors = table("sectors");
    let codes: Vec<String> = sectors.rows.iter().map(|r| r.cells[0].clone()).collect();
    let n = codes.len();
    assert_eq!(n, size);
    let pos = |c: &str| codes.iter().position(|x| x == c).unwrap();
    let flows = table("flows");
    let (f, t, v, vt) = (
        flows.column("from_code").unwrap(),
        flows.column("to_code").unwrap(),
        flows.column("value").unwrap(),
        flows.column("value_total").unwrap(),
    );
    let (mut z, mut zt) = (vec![0.0; n * n], vec![0.0; n * n]);
    for r in &flows.rows {
        let k = pos(&r.cells[f]) * n + pos(&r.cells[t]);
        z[k] = r.cells[v].parse().unwrap();
        zt[k] = r.cells[vt].parse().unwrap();
    }
    let item = |code: &'static str| {
        move |cells: &[String], t: &Table| cells[t.column("item_code").unwrap()] == code
    };
    let fd = table("final_demand");
    let domestic_fd = by_sector(
        &fd,
        "sector_code",
        "value",
        |c, t| {
            c[t.column("basis").unwrap()] == "domestic"
                && c[t.column("item_code").unwrap()] == "9190"
        },
        &pos,
        n,
    );
    let x = by_sector(
        &table("output"),
        "sector_code",
        "value",
        item("9310"),
        &pos,
        n,
    );
    let va = table("value_added");
    let gva = by_sector(&va, "sector_code", "value", item("9690"), &pos, n);
    let comp = by_sector(&va, "sector_code", "value", item("9610"), &pos, n);
    let emp = by_sector(
        &table("employment"),
        "sector_code",
        "employed_fte_2020",
        |_, _| true,
        &pos,
        n,
    );
    // Balances, exactly (whole million KRW).
    for i in 0..n {
        let row: f64 = (0..n).map(|j| z[i * n + j]).sum::<f64>() + domestic_fd[i];
        assert_eq!(
            row, x[i],
            "row {}: domestic flows + domestic final demand",
            codes[i]
        );
        let col: f64 = (0..n).map(|k| zt[k * n + i]).sum::<f64>() + gva[i];
        assert_eq!(col, x[i], "column {}: total flows + value added", codes[i]);
    }
    let peer: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/tests/fixtures/{}",
            env!("CARGO_MANIFEST_DIR"),
            if size == 33 {
                "io_multipliers_peers.json".to_string()
            } else {
                format!("io_multipliers_peers_{size}.json")
            }
        ))
        .unwrap(),
    )
    .unwrap();
    let list = |k: &str| -> Vec<f64> {
        peer[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    assert_eq!(list("x"), x, "pymrio's x is the table's output");
    let l = leontief_inverse(&technical_coefficients(&z, &x).unwrap()).unwrap();
    let close = |name: &str, ours: &[f64], theirs: &[f64]| {
        for (j, (a, b)) in ours.iter().zip(theirs).enumerate() {
            assert!(
                (a - b).abs() <= 1e-10 * b.abs().max(1.0),
                "{name} of {}: {a} vs pymrio {b}",
                codes[j]
            );
        }
    };
    close(
        "output multiplier",
        &output_multipliers(&l),
        &list("output_multipliers"),
    );
    close(
        "income effect",
        &satellite_multipliers(&l, &comp, &x).effects,
        &list("income_effects"),
    );
    close(
        "GVA effect",
        &satellite_multipliers(&l, &gva, &x).effects,
        &list("gva_effects"),
    );
    close(
        "employment effect",
        &satellite_multipliers(&l, &emp, &x).effects,
        &list("employment_effects"),
    );
}
