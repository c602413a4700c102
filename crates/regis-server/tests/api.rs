//! In-process tests of every endpoint and page (`app().oneshot(request)`), including bad
//! parameters answered with a 4xx JSON error that names the problem.

use axum::http::StatusCode;
use regis_server::openapi;

#[path = "support/get.rs"]
mod get_support;

async fn get(uri: &str) -> (StatusCode, String, String) {
    get_support::get_with(uri, None).await
}

async fn json(uri: &str) -> serde_json::Value {
    let (s, c, b) = get(uri).await;
    assert_eq!(s, StatusCode::OK, "{uri}: {b}");
    assert!(c.starts_with("application/json"), "{uri}: {c}");
    serde_json::from_str(&b).unwrap()
}

async fn error(uri: &str, status: StatusCode, code: &str) -> String {
    let (s, c, b) = get(uri).await;
    assert_eq!(s, status, "{uri}: {b}");
    assert!(c.starts_with("application/json"), "{uri}");
    let v: serde_json::Value = serde_json::from_str(&b).unwrap();
    assert_eq!(v["error"]["code"], code, "{uri}: {b}");
    v["error"]["message"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn measures_and_regions() {
    let v = json("/api/v1/measures").await;
    assert_eq!(v["measures"].as_array().unwrap().len(), 5);
    let v = json("/api/v1/regions?level=province&year=2020&lang=en").await;
    assert_eq!(v["regions"].as_array().unwrap().len(), 17);
    let v = json("/api/v1/regions?level=district&year=2020").await;
    assert!(v["regions"].as_array().unwrap().len() >= 229);
    error(
        "/api/v1/regions?level=county",
        StatusCode::BAD_REQUEST,
        "bad-parameter",
    )
    .await;
}

#[tokio::test]
async fn values_and_indices() {
    let v = json("/api/v1/values?measure=population&period=2001").await;
    let sum: f64 = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["value"].as_f64())
        .sum();
    assert_eq!(sum, 47_370_164.0);
    let v = json("/api/v1/values?measure=population&period=2001&index=share").await;
    let seoul = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "11")
        .unwrap();
    assert!((seoul["value"].as_f64().unwrap() - 10_091_137.0 / 47_370_164.0).abs() < 1e-12);
    let v = json("/api/v1/values?measure=grdp_nominal&period=2017&industry=C&index=lq").await;
    assert!(v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["value"].as_f64().unwrap_or(0.0) > 1.5));
    json("/api/v1/values?measure=grdp_nominal&index=per_capita&level=district").await;
    json("/api/v1/values?measure=population&index=growth&period=2020").await;
    let m = error(
        "/api/v1/values?period=1800",
        StatusCode::BAD_REQUEST,
        "period-out-of-range",
    )
    .await;
    assert!(m.contains("1970-2020"));
    error(
        "/api/v1/values?perid=2001",
        StatusCode::BAD_REQUEST,
        "unknown-parameter",
    )
    .await;
    error(
        "/api/v1/values?period=20x1",
        StatusCode::BAD_REQUEST,
        "bad-parameter",
    )
    .await;
    error(
        "/api/v1/values?period=%ZZ",
        StatusCode::BAD_REQUEST,
        "bad-parameter",
    )
    .await;
    error(
        "/api/v1/values?=2001",
        StatusCode::BAD_REQUEST,
        "unknown-parameter",
    )
    .await;
    error(
        "/api/v1/values?measure=gdp",
        StatusCode::NOT_FOUND,
        "unknown-measure",
    )
    .await;
    error(
        "/api/v1/values?index=rank",
        StatusCode::BAD_REQUEST,
        "bad-parameter",
    )
    .await;
    error(
        "/api/v1/values?measure=grdp_nominal&index=lq",
        StatusCode::BAD_REQUEST,
        "bad-parameter",
    )
    .await;
    error(
        "/api/v1/values?measure=grdp_nominal&industry=ZZ",
        StatusCode::BAD_REQUEST,
        "unknown-industry",
    )
    .await;
    error(
        "/api/v1/values?period=2001&period=2002",
        StatusCode::BAD_REQUEST,
        "repeated-parameter",
    )
    .await;
}

#[tokio::test]
async fn imbalance_profile_industry() {
    let v = json("/api/v1/imbalance?measure=population&group=SMA").await;
    let r2001 = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["period"] == 2001)
        .unwrap();
    assert_eq!(
        format!("{:.4}", r2001["group_share"].as_f64().unwrap()),
        "0.4664"
    );
    error(
        "/api/v1/imbalance?group=Mars",
        StatusCode::BAD_REQUEST,
        "unknown-group",
    )
    .await;
    let v = json("/api/v1/regions/11/profile?lang=en").await;
    assert_eq!(v["region"]["name"], "Seoul");
    assert_eq!(v["structure"].as_array().unwrap().len(), 22);
    let ss = &v["shift_share"]["total"];
    let sum = ss["national"].as_f64().unwrap()
        + ss["industry_mix"].as_f64().unwrap()
        + ss["competitive"].as_f64().unwrap();
    assert!((sum - ss["change"].as_f64().unwrap()).abs() < 1e-3);
    assert_eq!(v["trend"].as_array().unwrap().len(), 33);
    json("/api/v1/regions/31010/profile").await; // Suwon-si, district level
    error(
        "/api/v1/regions/99999/profile",
        StatusCode::NOT_FOUND,
        "unknown-region",
    )
    .await;
    let v = json("/api/v1/industries/C?lang=en&period=2017").await;
    assert_eq!(v["regions"].as_array().unwrap().len(), 16);
    assert!(v["concentration"]["locational_gini"].as_f64().unwrap() > 0.0);
    error(
        "/api/v1/industries/ZZ",
        StatusCode::NOT_FOUND,
        "unknown-industry",
    )
    .await;
}

#[tokio::test]
async fn figures_downloads_and_openapi() {
    for uri in [
        "/api/v1/map.svg",
        "/api/v1/map.svg?level=district&scheme=natural-breaks&classes=7&lang=en",
        "/api/v1/charts/imbalance.svg",
        "/api/v1/charts/lq.svg?region=11",
        "/api/v1/charts/lorenz.svg",
    ] {
        let (s, c, b) = get(uri).await;
        assert_eq!(s, StatusCode::OK, "{uri}: {b}");
        assert!(
            c.starts_with("image/svg+xml") && b.starts_with("<svg"),
            "{uri}"
        );
        assert!(
            !b.contains("http://")
                || b.matches("http://").count() == b.matches("http://www.w3.org/2000/svg").count(),
            "{uri} references something external"
        );
    }
    let (_, _, b) = get("/api/v1/map.svg").await;
    assert_eq!(b.matches("data-code=").count(), 17);
    let (_, _, b) = get("/api/v1/map.svg?level=district").await;
    assert!(b.matches("data-code=").count() >= 229);
    error(
        "/api/v1/map.svg?classes=40",
        StatusCode::BAD_REQUEST,
        "bad-parameter",
    )
    .await;
    error(
        "/api/v1/map.svg?scheme=fancy",
        StatusCode::BAD_REQUEST,
        "bad-parameter",
    )
    .await;
    error(
        "/api/v1/charts/lq.svg",
        StatusCode::BAD_REQUEST,
        "missing-parameter",
    )
    .await;
    let (s, c, b) = get("/api/v1/download?measure=population&period=2001").await;
    assert_eq!(s, StatusCode::OK);
    assert!(c.starts_with("text/csv") && b.lines().count() == 17);
    let (s, c, _) = get("/api/v1/download?measure=grdp_nominal&format=xlsx&industry=all").await;
    assert_eq!(s, StatusCode::OK);
    assert!(c.contains("spreadsheetml"));
    let (s, _, b) =
        get("/api/v1/download?measure=population&level=district&period=2020&format=geojson").await;
    assert_eq!(s, StatusCode::OK);
    let g: serde_json::Value = serde_json::from_str(&b).unwrap();
    assert_eq!(g["features"].as_array().unwrap().len(), 250);
    error(
        "/api/v1/download?format=pdf",
        StatusCode::BAD_REQUEST,
        "bad-parameter",
    )
    .await;
    // Every documented endpoint answers; the document lists every API route.
    let doc = json("/api/openapi.json").await;
    for e in openapi::ENDPOINTS {
        assert!(doc["paths"][e.path].is_object());
        let uri = e.path.replace(
            "{code}",
            if e.path.contains("industries") {
                "C"
            } else {
                "11"
            },
        );
        let uri = uri.replace("{table}", "traded_strengths");
        let uri = if uri.contains("lq.svg") {
            format!("{uri}?region=11")
        } else {
            uri
        };
        // Required query parameters get a sample value.
        let required: Vec<String> = e
            .query
            .iter()
            .filter(|q| q.1 && !uri.contains(&format!("{}=", q.0)))
            .map(|q| match q.0 {
                "region" => "region=26".to_string(),
                "sector" => "sector=14".to_string(),
                other => panic!("no sample value for required parameter {other}"),
            })
            .collect();
        let uri = if required.is_empty() {
            uri
        } else {
            format!(
                "{uri}{}{}",
                if uri.contains('?') { '&' } else { '?' },
                required.join("&")
            )
        };
        let (s, _, b) = get(&uri).await;
        assert_eq!(s, StatusCode::OK, "{uri}: {b}");
    }
    error("/api/v1/nothing", StatusCode::NOT_FOUND, "not-found").await;
}

#[tokio::test]
async fn pages_render_in_both_languages() {
    for uri in [
        "/",
        "/map",
        "/map?level=district",
        "/region/11",
        "/industry/C",
        "/methods",
        "/downloads",
    ] {
        for lang in ["ko", "en"] {
            let sep = if uri.contains('?') { '&' } else { '?' };
            let (s, c, b) = get(&format!("{uri}{sep}lang={lang}")).await;
            assert_eq!(s, StatusCode::OK, "{uri}: {b}");
            assert!(c.starts_with("text/html"));
            assert!(b.contains(&format!("<html lang=\"{lang}\"")));
            // No external resources: no src/href to other hosts.
            for attr in ["src=\"http", "href=\"http", "url(http", "@import"] {
                assert!(!b.contains(attr), "{uri} loads something external ({attr})");
            }
        }
    }
    let (_, _, ko) = get("/region/11?lang=ko").await;
    let (_, _, en) = get("/region/11?lang=en").await;
    assert!(ko.contains("서울특별시") && en.contains("Seoul"));
    let (_, _, b) = get("/").await;
    assert!(b.len() < 1_000_000, "first page {} bytes", b.len());
    // A page's refusal is an HTML page in its language, with the refusal's own words.
    let (s, c, b) = get("/map?level=planet").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(c.starts_with("text/html"), "{c}");
    assert!(
        b.contains("요청을 처리할 수 없습니다") && b.contains("planet"),
        "{b}"
    );
}

#[tokio::test]
async fn strategy_overlap_and_clusters() {
    let v = json("/api/v1/strategy/26?lang=en").await;
    let c = v["candidates"].as_array().unwrap();
    assert_eq!(c.len() + v["excluded"].as_array().unwrap().len(), 22);
    assert_eq!(c.iter().filter(|x| x["selected"] == true).count(), 4);
    let v2 = json("/api/v1/strategy/26?weights=density=0.6,complexity=0.4&top=3").await;
    assert_ne!(v["weights"], v2["weights"]);
    error(
        "/api/v1/strategy/26?weights=luck=1",
        StatusCode::BAD_REQUEST,
        "bad-parameter",
    )
    .await;
    error(
        "/api/v1/strategy/26?top=99",
        StatusCode::BAD_REQUEST,
        "bad-parameter",
    )
    .await;
    error(
        "/api/v1/strategy/99999",
        StatusCode::NOT_FOUND,
        "unknown-region",
    )
    .await;
    let o = json("/api/v1/strategy?top=4").await;
    assert_eq!(o["choices"].as_array().unwrap().len(), 16);
    assert!(o["industries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["contested"] == true));
    let k = json("/api/v1/clusters?k=4").await;
    assert_eq!(k["clusters"].as_array().unwrap().len(), 4);
    error(
        "/api/v1/clusters?k=1",
        StatusCode::BAD_REQUEST,
        "bad-parameter",
    )
    .await;
    for uri in [
        "/strategy",
        "/strategy?region=11&lang=en",
        "/strategy/overlap",
        "/clusters?lang=en",
    ] {
        let (s, _, b) = get(uri).await;
        assert_eq!(s, StatusCode::OK, "{uri}: {b}");
        assert!(!b.contains("src=\"http"));
    }
}

/// The zones page: migration flows 2020 drawn into functional zones on the province map; the
/// capital region, Busan-Ulsan-Gyeongnam and Daejeon-Sejong-Chungcheong come out as zones.
#[tokio::test]
async fn zones_page_maps_functional_zones_from_migration() {
    let (s, _, body) = get("/zones?period=2020&lang=en").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        body.matches("data-code=\"").count(),
        17,
        "17 provinces drawn"
    );
    let rows = body.matches("<tr><td>").count();
    assert_eq!(rows, 6, "six zones with the default parameters");
    assert!(
        body.contains("Seoul, Incheon, Gyeonggi-do"),
        "capital region in one zone"
    );
    assert!(body.contains("Busan, Ulsan, Gyeongsangnam-do"));
    let (s, _, _) = get("/zones?period=1999").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = get("/zones?min_size=x").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

/// The max-p page: districts grouped into contiguous regions of at least the threshold; every
/// region row's population reaches it; a bad threshold is refused.
#[tokio::test]
async fn regions_page_maps_maxp_regions_of_districts() {
    let (s, _, body) = get("/zones/regions?lang=en&threshold=1500000").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(
        body.matches("data-code=\"").count() >= 200,
        "districts drawn"
    );
    let table = &body[body.find("id=\"regions\"").unwrap()..];
    let rows: Vec<&str> = table.split("<tr><td>").skip(1).collect();
    assert!(rows.len() >= 20, "{} regions", rows.len());
    for row in rows {
        let people: f64 = row.split("</td><td>").nth(1).unwrap().parse().unwrap();
        assert!(people >= 1_500_000.0, "{row}");
    }
    let (s, _, _) = get("/zones/regions?threshold=-3").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (_, _, zones) = get("/zones?lang=en").await;
    assert!(zones.contains("/zones/regions?lang=en"));
}

#[tokio::test]
async fn io_routes_answer_on_the_built_in_table_and_refuse_bad_parameters() {
    let v = json("/api/v1/io/multipliers?sectors=165").await;
    assert_eq!(v["sectors"].as_array().unwrap().len(), 165);
    let v = json("/api/v1/io/chain?sectors=83&sector=31&top=3").await;
    assert_eq!(v["suppliers"].as_array().unwrap().len(), 3);
    let v = json("/api/v1/io/regionalise?region=26&delta=0.45").await;
    assert_eq!(v["region"], "울산광역시 (26)");
    // Only the canonical spellings of a level (the page is cached per address).
    for bad in ["083", "+83", "50", "83.0"] {
        error(
            &format!("/api/v1/io/multipliers?sectors={bad}"),
            StatusCode::BAD_REQUEST,
            "bad-parameter",
        )
        .await;
    }
    error(
        "/api/v1/io/multipliers?flows=/etc/passwd",
        StatusCode::BAD_REQUEST,
        "unknown-parameter",
    )
    .await;
    error(
        "/api/v1/io/chain",
        StatusCode::BAD_REQUEST,
        "missing-parameter",
    )
    .await;
    let m = error(
        "/api/v1/io/chain?sector=%3Cscript%3E",
        StatusCode::NOT_FOUND,
        "unknown-sector",
    )
    .await;
    assert!(!m.contains("<script>"), "{m}");
    error(
        "/api/v1/io/regionalise",
        StatusCode::BAD_REQUEST,
        "missing-parameter",
    )
    .await;
    error(
        "/api/v1/io/regionalise?region=26&delta=1.5",
        StatusCode::BAD_REQUEST,
        "bad-parameter",
    )
    .await;
    error(
        "/api/v1/io/regionalise?region=26&delta=NaN",
        StatusCode::BAD_REQUEST,
        "bad-parameter",
    )
    .await;
    error(
        "/api/v1/io/regionalise?region=29",
        StatusCode::BAD_REQUEST,
        "no-data",
    )
    .await;
    // The page: an unknown sector is a page in the visitor's language, the text escaped.
    let (s, c, b) = get("/io?sectors=83&sector=%3Cb%3Ex&lang=en").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{b}");
    assert!(c.starts_with("text/html") && !b.contains("<b>x"), "{b}");
}
