//! `regis network`'s reading and answers: located refusals of malformed ties, actors without
//! ties counted as nodes, and the summary of the karate club as networkx gives it.

use regis_app::network::{brokerage, centrality, read_network, summary, Input, NetworkSource};
use std::path::PathBuf;

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("regis-network-test-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn file(name: &str, text: &str) -> PathBuf {
    let p = dir().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn source(edges: PathBuf, actors: Option<PathBuf>) -> NetworkSource {
    NetworkSource {
        edges: Some(Input::Path(edges)),
        participation: None,
        project_col: "project".into(),
        participant_col: "actor".into(),
        max_project_ties: usize::MAX,
        source_col: "source".into(),
        target_col: "target".into(),
        weight_col: Some("weight".into()),
        actors: actors.map(Input::Path),
        actor_col: "actor".into(),
        type_col: Some("type".into()),
        region_col: None,
    }
}

fn refused(edges: &str, actors: Option<&str>, kind: &str, says: &str) {
    let e = file(&format!("{kind}.csv"), edges);
    let a = actors.map(|t| file(&format!("{kind}-actors.csv"), t));
    let mut s = source(e, a);
    if actors.is_none() {
        s.type_col = None;
    }
    let err = read_network(&s).unwrap_err().to_string();
    assert!(
        err.contains(&format!("[{kind}]")) && err.contains(says),
        "{kind}: {err}"
    );
}

#[test]
fn malformed_ties_are_refused_with_file_line_and_field() {
    refused(
        "source,target,weight\na,b,1\nb,a,2\n",
        None,
        "duplicate",
        "line 3: the tie `b`-`a` is already given at line 2",
    );
    refused(
        "source,target,weight\na,b,1\nc,c,1\n",
        None,
        "self-tie",
        "line 3: a tie from `c` to itself",
    );
    refused(
        "source,target,weight\na,b,-2\n",
        None,
        "not-numeric",
        "line 2, field `weight`: `-2` is not a weight > 0",
    );
    refused(
        "source,target,weight\na,zed,1\n",
        Some("actor,type\na,firm\n"),
        "unknown-actor",
        "line 2, field `target`: `zed` is not an actor",
    );
    refused(
        "source,target,weight\na,b,1\n",
        Some("actor,type\na,firm\na,university\n"),
        "duplicate",
        "line 3, field `actor`: actor `a` is listed twice",
    );
    refused(
        "from,to\na,b\n",
        None,
        "missing-column",
        "no column `source` (--source-col)",
    );
}

#[test]
fn actors_without_ties_are_nodes_and_types_give_assortativity() {
    let edges = file(
        "ok.csv",
        "source,target,weight\nu1,f1,2\nu1,f2,1\nf1,f2,1\nu2,i1,1\n",
    );
    let actors = file(
        "ok-actors.csv",
        "actor,type\nu1,university\nu2,university\nf1,firm\nf2,firm\ni1,institute\nalone,firm\n",
    );
    let n = read_network(&source(edges, Some(actors))).unwrap();
    let s = summary(&n).unwrap();
    assert_eq!((s.nodes, s.edges, s.components), (6, 4, 3));
    assert!((s.density - 4.0 / 15.0).abs() < 1e-15);
    // Tie ends by type: u-f twice (both ways: 4 ends), f-f once (2), u-i once (2).
    // e (of 8): uu 0, ff 2, ii 0, uf 2 + fu 2, ui 1 + iu 1; a_u = 3/8, a_f = 4/8, a_i = 1/8.
    let expected: f64 = (3.0f64 / 8.0).powi(2) + 0.25 + (1.0f64 / 8.0).powi(2);
    let want = (2.0 / 8.0 - expected) / (1.0 - expected);
    assert!((s.type_assortativity.unwrap() - want).abs() < 1e-12);
    let c = centrality(&n).unwrap();
    let alone = c.actors.iter().find(|a| a.actor == "alone").unwrap();
    assert_eq!((alone.degree, alone.core, alone.constraint), (0, 0, None));
    assert_eq!(c.actors[0].strength, 3.0);
    // u1 brokers f1 and f2? They are tied: no. u2 brokers nothing (one tie). Nobody brokers.
    let b = brokerage(&n, "type").unwrap();
    assert_eq!(b.totals.total, 0);
    let json = serde_json::to_value(&b).unwrap();
    assert!(json["actors"][0]["liaison"].is_u64() && json["totals"]["total"] == 0);
    assert!(brokerage(&n, "kind")
        .unwrap_err()
        .to_string()
        .contains("the actors file's columns are actor, type"));
}

#[test]
fn the_karate_club_files_give_networkx_figures() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let fixture: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            root.join("crates/regis-methods/tests/fixtures/network_peers.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let karate = &fixture["graphs"]["karate"];
    let s = NetworkSource {
        edges: Some(Input::Path(
            root.join("tests/inputs/network_karate_edges.csv"),
        )),
        participation: None,
        project_col: "project".into(),
        participant_col: "actor".into(),
        max_project_ties: usize::MAX,
        source_col: "source".into(),
        target_col: "target".into(),
        weight_col: None,
        actors: Some(Input::Path(
            root.join("tests/inputs/network_karate_actors.csv"),
        )),
        actor_col: "actor".into(),
        type_col: Some("club".into()),
        region_col: None,
    };
    let n = read_network(&s).unwrap();
    let summary = summary(&n).unwrap();
    let json = serde_json::to_value(&summary).unwrap();
    for key in [
        "density",
        "transitivity",
        "average_clustering",
        "degree_assortativity",
        "type_assortativity",
    ] {
        let (a, b) = (json[key].as_f64().unwrap(), karate[key].as_f64().unwrap());
        assert!((a - b).abs() < 1e-12, "{key}: {a} vs networkx {b}");
    }
    let c = serde_json::to_value(centrality(&n).unwrap()).unwrap();
    for row in c["actors"].as_array().unwrap() {
        // member01..member34 are networkx's nodes 0..33.
        let v: usize = row["actor"].as_str().unwrap()[6..]
            .parse::<usize>()
            .unwrap()
            - 1;
        for key in [
            "betweenness",
            "closeness",
            "eigenvector",
            "pagerank",
            "constraint",
            "effective_size",
            "core",
        ] {
            let (a, b) = (row[key].as_f64().unwrap(), karate[key][v].as_f64().unwrap());
            assert!(
                (a - b).abs() < 1e-9,
                "member {v} {key}: {a} vs networkx {b}"
            );
        }
    }
}

#[test]
fn regions_and_the_weak_cooperation_diagnosis() {
    use regis_app::network_groups::{regions, weak, WeakRequest};
    // Two regions; universities tie among themselves, firms among themselves, one
    // university-firm tie; a research institute without ties in region 2.
    let edges = file(
        "weak.csv",
        "source,target,weight\nu1,u2,1\nu2,u3,1\nu1,u3,1\nf1,f2,2\nf2,f3,1\nf1,f3,1\nu1,f1,1\n",
    );
    let actors = file(
        "weak-actors.csv",
        "actor,type,region\nu1,university,r1\nu2,university,r1\nu3,university,r2\n\
         f1,firm,r1\nf2,firm,r2\nf3,firm,r2\ni1,institute,r2\n",
    );
    let mut s = source(edges, Some(actors));
    s.region_col = Some("region".into());
    let n = read_network(&s).unwrap();
    let r = regions(&n).unwrap();
    let pair = |a: &str, b: &str| {
        r.pairs
            .iter()
            .find(|p| {
                (p.origin == a && p.destination == b) || (p.origin == b && p.destination == a)
            })
            .map(|p| (p.ties, p.weight))
    };
    // r1: u1 u2 f1; r2: u3 f2 f3 i1. Within r1: u1-u2, u1-f1 (2). Within r2: f2-f3 (1).
    // Across: u2-u3, u1-u3, f1-f2 (weight 2), f1-f3 (4 ties, weight 5).
    assert_eq!(pair("r1", "r1"), Some((2, 2.0)));
    assert_eq!(pair("r2", "r2"), Some((1, 1.0)));
    assert_eq!(pair("r1", "r2"), Some((4, 5.0)));
    let q = WeakRequest {
        by: Some("type".into()),
        per: Some("region".into()),
        draws: 400,
        seed: 2,
    };
    let w = weak(&n, &q).unwrap();
    assert_eq!(w.parts.len(), 3);
    let all = &w.parts[0];
    assert_eq!((all.actors, all.ties), (7, 7));
    // One tie of seven crosses types. By chance: 7 university and 7 firm stubs (the
    // institute has none), a stub's partner is one of the other 13, so E[cross ties] =
    // 7 · 7/13 and the expected share 7/13.
    assert!((all.cross_share.observed - 1.0 / 7.0).abs() < 1e-15);
    let (e, z) = (all.cross_share.expected, all.cross_share.z.unwrap());
    assert!(
        (e - 7.0 / 13.0).abs() < 0.03 && z < -1.5,
        "expected {e}, z {z}"
    );
    let institute = all.groups.iter().find(|g| g.group == "institute").unwrap();
    assert_eq!((institute.actors, institute.tie_end_share), (1, 0.0));
    // The same seed gives the same report; the draws are the baseline's.
    let again = weak(&n, &q).unwrap();
    assert_eq!(
        serde_json::to_string(&again).unwrap(),
        serde_json::to_string(&w).unwrap()
    );
    let bad = WeakRequest { draws: 1, ..q };
    assert!(weak(&n, &bad)
        .unwrap_err()
        .to_string()
        .contains("at least 2 draws"));
}

#[test]
fn the_karate_club_has_a_core_every_start_agrees_on() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut s = source(root.join("tests/inputs/network_karate_edges.csv"), None);
    s.type_col = None;
    let n = read_network(&s).unwrap();
    let c = regis_app::network_groups::core(&n, 20, 1);
    assert_eq!(
        (c.search, c.starts, c.starts_at_best),
        ("multi-start", 29, 29)
    );
    let core: Vec<&str> = c
        .actors
        .iter()
        .filter(|a| a.in_core)
        .map(|a| a.actor.as_str())
        .collect();
    // The two leaders (member01, Mr. Hi, and member34, the officer) are in the core.
    assert!(
        core.contains(&"member01") && core.contains(&"member34"),
        "{core:?}"
    );
    assert_eq!(c.core_size, core.len());
    assert!(c.fitness.unwrap() > 0.5);
}

#[test]
fn projects_tie_their_actors_with_newmans_weight_and_give_the_triple_helix() {
    use regis_app::network_groups::{answer, Answer, Question};
    let part = file(
        "participation.csv",
        "project,actor\nP1,u1\nP1,f1\nP2,u1\nP2,f1\nP2,g1\nP3,f2\nP3,g1\nP4,u2\nP5,f1\nP5,f2\n",
    );
    let actors = file(
        "participation-actors.csv",
        "actor,type\nu1,university\nu2,university\nf1,firm\nf2,firm\ng1,government\n",
    );
    let mut s = source(PathBuf::new(), Some(actors));
    s.edges = None;
    s.participation = Some(Input::Path(part));
    s.weight_col = None;
    let n = read_network(&s).unwrap();
    let at = |a: &str| n.actors.iter().position(|x| x == a).unwrap();
    let w = |a: &str, b: &str| n.network.weight(at(a), at(b));
    // u1-f1: P1 (2 actors, 1) + P2 (3 actors, 1/2).
    assert_eq!(w("u1", "f1"), 1.5);
    assert_eq!(
        (w("u1", "g1"), w("f1", "g1"), w("f2", "g1"), w("f1", "f2")),
        (0.5, 0.5, 1.0, 1.0)
    );
    assert_eq!((n.network.ties(), n.network.degree()[at("u2")]), (5, 0));
    let q = Question::TripleHelix {
        university: vec!["university".into()],
        industry: vec!["firm".into()],
        government: vec!["government".into()],
    };
    let Answer::TripleHelix(h) = answer(&n, &q).unwrap() else {
        panic!("a triple-helix answer")
    };
    // P1 110, P2 111, P3 011, P4 100, P5 010.
    let mut want = [0.0; 8];
    for cell in [0b110, 0b111, 0b011, 0b100, 0b010] {
        want[cell] += 1.0;
    }
    for (k, v) in want.iter().enumerate() {
        assert_eq!(
            h.counts[&format!("{}{}{}", k >> 2 & 1, k >> 1 & 1, k & 1)],
            *v
        );
    }
    let t = regis_methods::network::triple_helix::triple_helix(&want).unwrap();
    assert_eq!((h.projects, h.t_uig), (5, t.t_uig));
    // An actor twice in one project is refused with both lines.
    let dup = file("participation-dup.csv", "project,actor\nP1,u1\nP1,u1\n");
    s.participation = Some(Input::Path(dup));
    let e = read_network(&s).unwrap_err().to_string();
    assert!(
        e.contains("line 3: `u1` already takes part in project `P1` at line 2"),
        "{e}"
    );
}

#[test]
fn graphml_holds_every_actor_tie_and_attribute_escaped() {
    let edges = file(
        "gml.csv",
        "source,target,weight\n\"a&b<\"\"c\"\">\",x,2\nx,y,1\n",
    );
    let mut s = source(edges, None);
    s.type_col = None;
    let n = read_network(&s).unwrap();
    let text =
        regis_app::network_graphml::graphml(&n, &regis_app::network_groups::Question::Centrality)
            .unwrap();
    assert_eq!(text.matches("<node id=").count(), 3);
    assert_eq!(text.matches("<edge ").count(), 2);
    assert!(text.contains("a&amp;b&lt;&quot;c&quot;&gt;"), "{text}");
    assert!(!text.contains("a&b"));
    assert!(text.contains("<data key=\"weight\">2</data>"));
}

#[test]
fn what_would_exhaust_memory_or_time_is_refused_before_it_starts() {
    use regis_app::network_groups::{answer, Question, WeakRequest};
    // A grouping column with an actor's own id: thousands of "groups".
    let mut edges = String::from("source,target\n");
    let mut actors = String::from("actor,type\n");
    for k in 0..1500 {
        edges.push_str(&format!("a{k},a{}\n", k + 1));
        actors.push_str(&format!("a{k},t{k}\n"));
    }
    actors.push_str("a1500,t1500\n");
    let mut s = source(
        file("many.csv", &edges),
        Some(file("many-actors.csv", &actors)),
    );
    s.weight_col = None;
    let n = read_network(&s).unwrap();
    let q = Question::Weak(WeakRequest {
        by: Some("type".into()),
        per: None,
        draws: 10,
        seed: 1,
    });
    let e = answer(&n, &q).unwrap_err().to_string();
    assert!(
        e.contains("1501 distinct values") && e.contains("at most 1000"),
        "{e}"
    );
    // One project of 3,000 actors would tie 4.5 million pairs: over a budget of 1 million.
    let mut part = String::from("project,actor\n");
    for k in 0..3000 {
        part.push_str(&format!("P,a{k}\n"));
    }
    let mut s = source(PathBuf::new(), None);
    s.edges = None;
    s.type_col = None;
    s.weight_col = None;
    s.participation = Some(Input::Path(file("big-project.csv", &part)));
    s.max_project_ties = 1_000_000;
    let e = read_network(&s).unwrap_err().to_string();
    assert!(
        e.contains("[over-budget]") && e.contains("4498500 pairs"),
        "{e}"
    );
    // Triple helix needs the actors' types from an actors file.
    let mut s2 = s.clone();
    s2.max_project_ties = usize::MAX;
    s2.participation = Some(Input::Path(file(
        "small-project.csv",
        "project,actor\nP,a\nP,b\n",
    )));
    s2.type_col = Some("type".into());
    let n = read_network(&s2).unwrap();
    let q = Question::named("triple-helix").unwrap();
    let e = answer(&n, &q).unwrap_err().to_string();
    assert!(e.contains("give it (--actors FILE)"), "{e}");
    // GraphML is the network: refused for the other questions.
    let e = regis_app::network_graphml::graphml(&n, &Question::named("core").unwrap())
        .unwrap_err()
        .to_string();
    assert!(e.contains("use it with `regis network centrality`"), "{e}");
}

/// The demo monitoring store's cooperation network: its organisations typed and placed; the
/// public's network holds no organisation that only draft projects name, staff see them; the
/// network answers every question.
#[test]
fn the_monitoring_stores_cooperation_network_respects_roles() {
    use regis_app::network_groups::{answer, Question};
    use regis_app::network_monitoring::from_store;
    use regis_monitor::{Actor, Status, Store};
    let file = dir().join("monitor.sqlite");
    let _ = std::fs::remove_file(&file);
    let store = regis_monitor::sqlite::SqliteStore::open(&file).unwrap();
    store.bootstrap_admin("admin", "admin-password").unwrap();
    let admin = store.authenticate("admin", "admin-password").unwrap();
    regis_monitor::demo::load_demo(&store, &admin).unwrap();
    let public = from_store(&store, &Actor::public()).unwrap();
    let staff = from_store(&store, &admin).unwrap();
    // Organisations named only by drafts.
    let projects = store.projects(&admin).unwrap();
    let named = |status: Status| -> std::collections::HashSet<String> {
        projects
            .iter()
            .filter(|p| p.status == status)
            .flat_map(|p| {
                std::iter::once(p.organisation.clone())
                    .chain(p.partners.iter().map(|q| q.organisation.clone()))
            })
            .collect()
    };
    let published = named(Status::Published);
    let draft_only: Vec<String> = named(Status::Draft)
        .into_iter()
        .filter(|o| !published.contains(o))
        .collect();
    assert!(
        !draft_only.is_empty(),
        "the demo has drafts with their own partners"
    );
    for o in &draft_only {
        assert!(!public.actors.contains(o), "the public sees {o}");
        assert!(staff.actors.contains(o), "staff do not see {o}");
    }
    assert_eq!(public.actors.len(), published.len());
    assert!(staff.actors.len() > public.actors.len());
    // Every public actor has a type and a province code.
    let types = &public.attributes["type"];
    let regions = &public.attributes["region"];
    assert!(types
        .iter()
        .all(|t| regis_monitor::OrganisationType::parse(t).is_some()));
    assert!(regions
        .iter()
        .all(|r| r.len() == 2 && r.parse::<u32>().is_ok()));
    assert!(types.iter().any(|t| t == "university") && types.iter().any(|t| t == "firm"));
    // Cross-region ties exist (the national institutes and the cooperation projects).
    let n = &public.network;
    let cross = (0..n.nodes())
        .flat_map(|u| n.neighbours(u).iter().map(move |&v| (u, v)))
        .filter(|&(u, v)| regions[u] != regions[v])
        .count();
    assert!(cross > 0);
    for name in [
        "summary",
        "centrality",
        "regions",
        "weak",
        "core",
        "triple-helix",
    ] {
        answer(&public, &Question::named(name).unwrap()).unwrap();
    }
    answer(&public, &Question::Brokerage { by: "type".into() }).unwrap();
}
