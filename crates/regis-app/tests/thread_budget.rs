//! The caller owns the parallelism: a question answered with one thread and with four gives
//! the same report, and two callers with different budgets at once each keep their own.

use regis_app::spatial::{spatial, SpatialRequest};
use regis_app::{with_thread_budget, Lang, Source, Sources};
use regis_core::Level;

fn lisa() -> SpatialRequest {
    SpatialRequest {
        source: Source::measure("grdp_nominal"),
        level: Level::DISTRICT,
        period: Some(2020),
        industry: "_T".into(),
        per: Some("population".into()),
        weights: "queen".into(),
        permutations: 999,
        seed: 7,
        local: true,
        alpha: 0.05,
        boundaries: None,
        boundary_code_field: "code".into(),
        lang: Lang::En,
    }
}

fn answer(threads: usize) -> serde_json::Value {
    with_thread_budget(threads, || {
        serde_json::to_value(spatial(&Sources::default(), &lisa()).unwrap()).unwrap()
    })
}

#[test]
fn reports_do_not_depend_on_the_thread_budget() {
    let one = answer(1);
    assert!(one["rows"].as_array().is_some_and(|r| r.len() > 200));
    assert_eq!(one, answer(4));
}

#[test]
fn each_caller_keeps_its_own_budget() {
    use regis_app::thread_budget;
    let seen: Vec<usize> = std::thread::scope(|s| {
        let a = s.spawn(|| with_thread_budget(1, || (answer(2), thread_budget()).1));
        let b = s.spawn(|| with_thread_budget(3, thread_budget));
        vec![a.join().unwrap(), b.join().unwrap()]
    });
    assert_eq!(seen, vec![1, 3]);
}
