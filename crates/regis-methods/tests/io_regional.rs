//! Location-quotient regionalisation (SLQ, CILQ, FLQ, AFLQ) on the Bank of Korea's 2020 table
//! at 33 sectors: the invariants a correct FLQ keeps — δ = 0 gives CILQ, a region equal to the
//! nation gives the national table, regional coefficients never exceed the national ones (in
//! size), and output multipliers fall as δ rises. The regions are shares of the national
//! output that vary by sector (a region of 2% to 30% of each sector).

use regis_data::table::{ReadOptions, Table};
use regis_methods::input_output::{leontief_inverse, output_multipliers, technical_coefficients};
use regis_methods::io_regional::{regional_coefficients, Quotient};

fn korea33() -> (Vec<f64>, Vec<f64>) {
    let read = |name: &str| {
        let p = format!(
            "{}/../../data/korea/io/io_2020_33_{name}.csv",
            env!("CARGO_MANIFEST_DIR")
        );
        Table::read(std::path::Path::new(&p), &ReadOptions::default()).unwrap()
    };
    let sectors = read("sectors");
    let codes: Vec<String> = sectors.rows.iter().map(|r| r.cells[0].clone()).collect();
    let n = codes.len();
    let pos = |c: &str| codes.iter().position(|x| x == c).unwrap();
    let flows = read("flows");
    let mut z = vec![0.0; n * n];
    for r in &flows.rows {
        z[pos(&r.cells[0]) * n + pos(&r.cells[2])] = r.cells[4].parse().unwrap();
    }
    let out = read("output");
    let mut x = vec![0.0; n];
    for r in out.rows.iter().filter(|r| r.cells[2] == "9310") {
        x[pos(&r.cells[0])] = r.cells[5].parse().unwrap();
    }
    (technical_coefficients(&z, &x).unwrap(), x)
}

fn region(x: &[f64], seed: usize) -> Vec<f64> {
    x.iter()
        .enumerate()
        .map(|(i, v)| v * (0.02 + 0.28 * (((i * 7 + seed * 13) % 17) as f64 / 16.0)))
        .collect()
}

#[test]
fn flq_keeps_its_invariants_on_the_korean_table() {
    let (a, x) = korea33();
    let n = x.len();
    for seed in 0..5 {
        let r = region(&x, seed);
        // δ = 0 is CILQ, exactly.
        assert_eq!(
            regional_coefficients(&a, &r, &x, Quotient::Flq(0.0)).unwrap(),
            regional_coefficients(&a, &r, &x, Quotient::Cilq).unwrap()
        );
        // Never larger than the national coefficients.
        for q in [
            Quotient::Slq,
            Quotient::Cilq,
            Quotient::Flq(0.3),
            Quotient::Aflq(0.3),
        ] {
            let ra = regional_coefficients(&a, &r, &x, q).unwrap();
            assert!(
                ra.iter().zip(&a).all(|(r, a)| r.abs() <= a.abs() + 1e-15),
                "{q:?}"
            );
        }
        // Multipliers fall as δ rises.
        let mut last = vec![f64::INFINITY; n];
        for k in 0..10 {
            let d = k as f64 / 10.0;
            let ra = regional_coefficients(&a, &r, &x, Quotient::Flq(d)).unwrap();
            let m = output_multipliers(&leontief_inverse(&ra).unwrap());
            for j in 0..n {
                assert!(
                    m[j] <= last[j] + 1e-12,
                    "sector {j}: δ {d} gives {} after {}",
                    m[j],
                    last[j]
                );
                assert!(m[j] >= 1.0 - 1e-12);
            }
            last = m;
        }
    }
    // A region equal to the nation gets the national table, whatever the quotient.
    for q in [
        Quotient::Slq,
        Quotient::Cilq,
        Quotient::Flq(0.3),
        Quotient::Aflq(0.5),
    ] {
        let ra = regional_coefficients(&a, &x, &x, q).unwrap();
        for (r, v) in ra.iter().zip(&a) {
            assert!((r - v).abs() <= 1e-15, "{q:?}");
        }
    }
    // Refusals: δ out of range, a region larger than the nation, lengths that differ.
    assert!(regional_coefficients(&a, &x, &x, Quotient::Flq(1.0)).is_err());
    let big: Vec<f64> = x.iter().map(|v| v * 2.0).collect();
    assert!(regional_coefficients(&a, &big, &x, Quotient::Cilq).is_err());
    assert!(regional_coefficients(&a, &x[..3], &x, Quotient::Slq).is_err());
}

#[test]
fn extraction_on_the_korean_table_loses_at_least_the_sector_and_total_exceeds_backward() {
    use regis_methods::input_output::extraction;
    let (a, x) = korea33();
    let n = x.len();
    // Back to flows: z = a x̂.
    let z: Vec<f64> = (0..n * n).map(|k| a[k] * x[k % n]).collect();
    let e = extraction(&z, &x).unwrap();
    let total_x: f64 = x.iter().sum();
    for (j, s) in e.iter().enumerate() {
        assert!(
            s.total >= x[j] * (1.0 - 1e-9),
            "sector {j}: total {} < own output {}",
            s.total,
            x[j]
        );
        // Both demand-side: the sector removed loses at least what its not buying loses. (The
        // forward measure is supply-side, Ghosh: not comparable, and larger for mining.)
        assert!(s.total + 1e-6 * total_x >= s.backward, "sector {j}: {s:?}");
        assert!(
            s.backward >= -1e-6 * total_x && s.forward >= -1e-6 * total_x,
            "sector {j}: {s:?}"
        );
    }
}
