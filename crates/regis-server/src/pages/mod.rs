//! The dashboard's HTML pages: server-rendered through the templates of `templates/pages`,
//! figures inline as SVG, and no external request of any kind (fonts fall back to the user's
//! Korean fonts). The one script is the map explorer's interactive map (`assets/map.js` on the
//! vendored Apache ECharts, both served from this server); without it the SVG map stays. Every
//! section links the API call that returns its numbers.
//!
//! `mod.rs` holds the frame and the parts every page uses; `explore.rs` the overview, map,
//! region, industry, methods and downloads pages; `strategy.rs` strategic industries, their
//! overlap and clusters; `zones.rs` functional zones and max-p regions; `evaluate.rs` the
//! evaluation page (did a programme work?); `io.rs` input-output multipliers, key sectors and
//! value chains; `browse.rs` the region and industry indexes, the search and the error page.

use axum::response::Html;
use regis_data::korea;
use regis_viz::svg::{label, FONT_STACK};
use serde_json::Value;

use crate::error::AppError;
use crate::html::Markup;
use crate::i18n::{t, Lang};

mod browse;
mod clusters;
mod evaluate;
mod explore;
mod io;
mod network;
mod region;
mod strategy;
mod zones;

pub(crate) use browse::error_page;
pub use browse::{industries, regions, search};
pub use clusters::clusters;
pub use evaluate::evaluate;
pub use explore::{downloads, industry, map, methods, overview};
pub use io::io;
pub use network::network;
pub use region::region;
pub use strategy::{strategy, strategy_overlap};
pub use zones::{maxp_regions, zones};

pub(super) type Page = Result<Html<String>, AppError>;

/// The dashboard's pages a visitor tours on the built-in data: the browser test, the
/// language crawl and the load test each visit every one.
pub const TOUR: &[&str] = &[
    "/",
    "/map",
    "/map?level=district&measure=grdp_nominal",
    "/regions",
    "/industries",
    "/region/11",
    "/region/11010",
    "/region/26?measure=grdp_nominal",
    "/industry/C",
    "/strategy?region=26",
    "/strategy/overlap",
    "/clusters",
    "/io",
    "/zones",
    "/methods",
    "/downloads",
    "/search?q=Ulsan",
    "/evaluate",
    "/network",
    "/monitor",
];

/// The dashboard's page frame (navigation, language switch, attribution) around a body.
#[derive(askama::Template)]
#[template(path = "layout.html")]
struct Layout<'a> {
    l: &'a str,
    title: &'a str,
    font: Markup,
    overview: &'a str,
    map: &'a str,
    regions: &'a str,
    industries: &'a str,
    search: &'a str,
    methods: &'a str,
    strategy: &'a str,
    clusters: &'a str,
    io: &'a str,
    downloads: &'a str,
    zones: &'a str,
    network: &'a str,
    monitor: &'a str,
    switch: &'a str,
    language: &'a str,
    other: &'a str,
    attribution: &'a str,
    body: Markup,
}

/// A page: the frame around a body that was itself rendered by a template.
pub(crate) fn layout_markup(
    lang: Lang,
    title: &str,
    path_and_query: &str,
    body: Markup,
) -> Html<String> {
    let other = lang.other();
    let switch = if path_and_query.contains("lang=") {
        path_and_query.replace(
            &format!("lang={}", lang.code()),
            &format!("lang={}", other.code()),
        )
    } else if path_and_query.contains('?') {
        format!("{path_and_query}&lang={}", other.code())
    } else {
        format!("{path_and_query}?lang={}", other.code())
    };
    let ko = lang == Lang::Ko;
    let page = Layout {
        l: lang.code(),
        title,
        font: Markup::constant(FONT_STACK),
        overview: t(lang, "overview"),
        map: t(lang, "map"),
        regions: t(lang, "regions"),
        industries: t(lang, "industries"),
        search: t(lang, "search"),
        methods: t(lang, "methods"),
        strategy: if ko { "전략산업" } else { "Strategy" },
        clusters: if ko { "클러스터" } else { "Clusters" },
        io: if ko { "산업연관" } else { "Input-output" },
        downloads: t(lang, "downloads"),
        zones: if ko { "기능권역" } else { "Zones" },
        network: if ko {
            "혁신 네트워크"
        } else {
            "Networks"
        },
        monitor: if ko {
            "사업 모니터링"
        } else {
            "Monitoring"
        },
        switch: &switch,
        language: t(lang, "language"),
        attribution: if ko {
            korea::ATTRIBUTION_KO
        } else {
            korea::ATTRIBUTION
        },
        other: other.code(),
        body,
    };
    match Markup::render(&page) {
        Ok(m) => Html(m.into_string()),
        Err(_) => Html(String::from(
            "<!doctype html><title>Regis</title><p>internal error; see the server log</p>",
        )),
    }
}

/// The cache key of a page on the built-in data: its path and its decoded parameters, sorted,
/// empty ones left out (so `?lang=en&` and `?lang=en` are one page); none when a parameter
/// names a measure that is not built in (`measure`, `per`, `covariates`: stored measures
/// change when re-imported) or the query does not decode.
pub(super) fn builtin_page_key(path: &str, q: &Option<String>) -> Option<String> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(q.as_deref().unwrap_or("")).ok()?;
    let builtin = |m: &str| korea::MEASURE_IDS.contains(&m.trim());
    let mut kept = Vec::new();
    for (k, v) in pairs {
        if v.is_empty() {
            continue;
        }
        let stored = match k.as_str() {
            "measure" | "per" => !builtin(&v),
            "covariates" => v.split(',').any(|c| !c.trim().is_empty() && !builtin(c)),
            _ => false,
        };
        if stored {
            return None;
        }
        kept.push((k, v));
    }
    kept.sort();
    Some(format!("{path:?}?{kept:?}"))
}

/// The query as one spelling per meaning: decoded, empty parameters left out, sorted and
/// encoded again (`?lang=%65n&` is `?lang=en`), so a cached page's own links do not keep the
/// first visitor's spelling; a query that does not decode is kept as it is (and refused).
pub(super) fn canonical_query(q: &Option<String>) -> Option<String> {
    let Ok(mut pairs) =
        serde_urlencoded::from_str::<Vec<(String, String)>>(q.as_deref().unwrap_or(""))
    else {
        return q.clone();
    };
    pairs.retain(|(_, v)| !v.is_empty());
    pairs.sort();
    let encoded = serde_urlencoded::to_string(&pairs).ok()?;
    (!encoded.is_empty()).then_some(encoded)
}

/// A page rendered once per `key` and served from the figure cache after; without a key (a
/// stored measure) rendered every time.
pub(super) fn cached_page(
    s: &crate::AppState,
    key: Option<String>,
    render: impl FnOnce() -> Page,
) -> Page {
    let page = s.figure(key.as_deref().unwrap_or(""), key.is_some(), || {
        render().map(|h| h.0)
    })?;
    Ok(Html(page.as_str().to_string()))
}

/// The data notes beside a figure.
#[derive(askama::Template)]
#[template(path = "parts/caveats.html")]
struct Caveats<'a> {
    title: &'a str,
    notes: Vec<(&'static str, String)>,
}

/// The caveats of the built-in `measure` at `level` for `year` (none: the whole series), plus
/// `extra` notes, in the page's language; nothing for an imported measure without notes.
pub(super) fn caveats(
    lang: Lang,
    measures: &[&str],
    level: regis_core::Level,
    year: Option<i32>,
    extra: &[(&'static str, &str)],
) -> Markup {
    let mut notes: Vec<(&'static str, String)> = Vec::new();
    for m in measures {
        for c in korea::caveats(m, level, year) {
            if !notes.iter().any(|(id, _)| *id == c.id) {
                notes.push((c.id, if lang == Lang::Ko { c.ko } else { c.en }.to_string()));
            }
        }
    }
    notes.extend(extra.iter().map(|(id, text)| (*id, text.to_string())));
    Markup::render(&Caveats {
        title: if lang == Lang::Ko {
            "자료 주의"
        } else {
            "About these data"
        },
        notes,
    })
    .unwrap_or_default()
}

/// Headline figures as cards.
#[derive(askama::Template)]
#[template(path = "parts/cards.html")]
struct Cards {
    cards: Vec<(&'static str, String, String, String, String)>,
}

/// A region's headline figures (population, GRDP, per head) as cards with year, rank and share.
pub(super) fn headline_cards(
    sources: &regis_app::Sources,
    region: regis_core::RegionId,
    lang: Lang,
) -> Markup {
    let cat = korea::catalog();
    let ko = lang == Lang::Ko;
    let level = if cat.region(region).level == regis_core::Level::DISTRICT {
        t(lang, "district")
    } else {
        t(lang, "province")
    };
    let cards = regis_app::headline::headline(sources, region, lang.into())
        .into_iter()
        .map(|h| {
            let share = h
                .share_of_nation
                .map(|s| {
                    if ko {
                        format!(" · 전국의 {:.1}%", 100.0 * s)
                    } else {
                        format!(" · {:.1}% of the nation", 100.0 * s)
                    }
                })
                .unwrap_or_default();
            let note = if ko {
                format!("{}년 · {}개 {level} 중 {}위{share}", h.year, h.of, h.rank)
            } else {
                format!(
                    "{} · rank {} of {} {}s{share}",
                    h.year,
                    h.rank,
                    h.of,
                    level.to_lowercase()
                )
            };
            (h.id, h.label, label(h.value), h.unit, note)
        })
        .collect();
    Markup::render(&Cards { cards }).unwrap_or_default()
}

/// The line under a section that gives the API call for its numbers.
#[derive(askama::Template)]
#[template(path = "parts/api_link.html")]
struct ApiLink<'a> {
    label: &'a str,
    url: &'a str,
}

pub(super) fn api_link(lang: Lang, url: &str) -> Markup {
    Markup::render(&ApiLink {
        label: t(lang, "api"),
        url,
    })
    .unwrap_or_default()
}

pub(super) fn query_string(raw: &Option<String>) -> String {
    raw.as_deref().map(|q| format!("?{q}")).unwrap_or_default()
}

/// A block of a page assembled from parts: text is escaped, markup comes from templates or
/// figures.
pub(crate) enum Block {
    /// A paragraph of text.
    Para(String),
    /// A section heading.
    Heading(String),
    /// Rendered markup (a table, a form, an API line).
    Html(Markup),
    /// A row of side-by-side parts, each with an optional element id.
    Row(Vec<(Option<&'static str>, Markup)>),
    /// A line of small print (a CLI command).
    Cli(String),
    /// A paragraph holding one link: id, href, text.
    Link(&'static str, String, String),
    /// A paragraph of text followed by a link: text, href, link text.
    ParaLink(String, String, String),
    /// A list of links: (href, text).
    Links(Vec<(String, String)>),
    /// A paragraph in another language than the page's (its `lang` code, the text): technical
    /// detail that exists only in English.
    Foreign(&'static str, String),
}

/// A page body made of [`Block`]s.
#[derive(askama::Template)]
#[template(path = "pages/article.html")]
pub(crate) struct Article {
    pub(crate) blocks: Vec<Block>,
}

/// The body of blocks, rendered.
pub(crate) fn article(blocks: Vec<Block>) -> Result<Markup, AppError> {
    Markup::render(&Article { blocks })
}

/// A labelled drop-down of a form.
#[derive(askama::Template)]
#[template(path = "parts/select.html")]
struct Select<'a> {
    name: &'a str,
    label: &'a str,
    options: &'a [(String, String)],
    current: &'a str,
}

pub(super) fn select(
    name: &str,
    label: &str,
    options: &[(String, String)],
    current: &str,
) -> Markup {
    Markup::render(&Select {
        name,
        label,
        options,
        current,
    })
    .unwrap_or_default()
}

/// A table of text cells (every cell escaped).
#[derive(askama::Template)]
#[template(path = "parts/table.html")]
struct Table<'a> {
    id: &'a str,
    head: &'a [&'a str],
    rows: &'a [Vec<String>],
}

pub(super) fn table(head: &[&str], rows: &[Vec<String>], id: &str) -> Markup {
    Markup::render(&Table { id, head, rows }).unwrap_or_default()
}

/// A table of text cells whose column `korean` holds Korean text (marked `lang="ko"`, for an
/// English page that shows names the data have only in Korean).
#[derive(askama::Template)]
#[template(path = "parts/table_ko.html")]
struct TableKo<'a> {
    id: &'a str,
    head: &'a [&'a str],
    rows: &'a [Vec<String>],
    korean: usize,
}

pub(super) fn table_with_korean(
    head: &[&str],
    rows: &[Vec<String>],
    id: &str,
    korean: usize,
) -> Markup {
    Markup::render(&TableKo {
        id,
        head,
        rows,
        korean,
    })
    .unwrap_or_default()
}

/// The y axis of a chart of `series` in the measure unit `unit` (as stored: `million KRW`,
/// `persons`): 조원/억원 or trillion/billion KRW, 만 명 or million persons, the unit written
/// above it in the page's language.
pub(crate) fn axis_for(
    series: &[regis_viz::chart::Series],
    unit: &str,
    lang: Lang,
) -> regis_viz::axis::AxisScale {
    let max = series
        .iter()
        .flat_map(|s| s.points.iter().filter_map(|p| p.1))
        .fold(0.0f64, |m, v| m.max(v.abs()));
    let mut axis = regis_viz::axis::axis_scale(max, unit, lang == Lang::Ko);
    if axis.divisor == 1.0 && axis.unit == unit {
        // A unit the scale does not know is written in the page's language where it can be.
        axis.unit = crate::i18n::unit_label(unit, lang);
    }
    axis
}

/// A profile's trend (`v["trend"]` of `profile_json`) as a line chart titled `title`, its
/// axis scaled to the measure's unit: the profile page and the region report draw the same.
pub(crate) fn trend_chart(v: &Value, name: &str, title: &str, lang: Lang) -> String {
    let series = [regis_viz::chart::Series {
        name: name.to_string(),
        points: v["trend"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| (x["period"].as_f64().unwrap_or(0.0), x["value"].as_f64()))
            .collect(),
    }];
    regis_viz::chart::line_chart_scaled(
        &series,
        title,
        t(lang, "trend"),
        640.0,
        280.0,
        &axis_for(&series, v["measure"]["unit"].as_str().unwrap_or(""), lang),
    )
}

pub(super) fn num(v: &Value) -> String {
    v.as_f64().map(label).unwrap_or_default()
}

pub(super) fn korea_period(year: i32) -> regis_core::Period {
    regis_core::Period(year)
}
