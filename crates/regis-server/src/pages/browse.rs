//! Finding one's way: the index of regions (provinces with their districts), the index of
//! industries, the search over both by Korean or English name or by code, and the error page
//! that a page's failure becomes (in the page's language, never raw JSON).

use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::Html;
use regis_core::{Level, RegionCatalog, RegionId, TOTAL_INDUSTRY};
use regis_data::korea;

use crate::i18n::{t, Lang};
use crate::params::Params;

use super::*;

/// The boundary year of the indexes and the search: the built-in district data's last census.
const INDEX_YEAR: i32 = 2020;

/// Longest search text read (characters); the rest is ignored.
const MAX_QUERY_CHARS: usize = 100;

/// A region's name with its parent's, as page titles show it: "중구, 서울특별시".
pub(crate) fn name_with_parent(cat: &RegionCatalog, r: RegionId, lang: Lang) -> String {
    let reg = cat.region(r);
    match reg.parent.map(|p| cat.region(p)) {
        Some(parent) if parent.level != Level::NATION => {
            format!("{}, {}", reg.name(lang.code()), parent.name(lang.code()))
        }
        _ => reg.name(lang.code()).to_string(),
    }
}

/// The search form.
#[derive(askama::Template)]
#[template(path = "parts/search_form.html")]
struct SearchForm<'a> {
    label: &'a str,
    q: &'a str,
    placeholder: &'a str,
    l: &'a str,
    show: &'a str,
}

fn search_form(lang: Lang, q: &str) -> Block {
    let ko = lang == Lang::Ko;
    Block::Html(
        Markup::render(&SearchForm {
            label: t(lang, "search"),
            q,
            placeholder: if ko {
                "지역·산업 이름 또는 코드 (예: 울산, 31, 제조업)"
            } else {
                "region or industry, by name or code (e.g. Ulsan, 31, manufacturing)"
            },
            l: lang.code(),
            show: t(lang, "show"),
        })
        .unwrap_or_default(),
    )
}

/// GET /regions — every province with its districts.
pub async fn regions(RawQuery(q): RawQuery) -> Page {
    let p = Params::parse(q.as_deref(), &["lang"])?;
    let lang = p.lang()?;
    let cat = korea::catalog();
    let l = lang.code();
    let mut blocks = vec![search_form(lang, "")];
    let districts = cat.at_level(Level::DISTRICT, Some(INDEX_YEAR));
    for prov in cat.at_level(Level::PROVINCE, Some(INDEX_YEAR)) {
        let r = cat.region(prov);
        blocks.push(Block::Heading(r.name(l).to_string()));
        let mut links = vec![(
            format!("/region/{}?lang={l}", r.code),
            if lang == Lang::Ko {
                format!("{} 전체 ({})", r.name(l), r.code)
            } else {
                format!("All of {} ({})", r.name(l), r.code)
            },
        )];
        links.extend(
            districts
                .iter()
                .filter(|&&d| cat.region(d).parent == Some(prov))
                .map(|&d| {
                    let x = cat.region(d);
                    (
                        format!("/region/{}?lang={l}", x.code),
                        format!("{} ({})", x.name(l), x.code),
                    )
                }),
        );
        blocks.push(Block::Links(links));
    }
    let title = if lang == Lang::Ko {
        "지역: 시도와 시군구"
    } else {
        "Regions: provinces and districts"
    };
    Ok(layout_markup(
        lang,
        title,
        &format!("/regions{}", query_string(&q)),
        article(blocks)?,
    ))
}

/// The industries of the built-in GRDP tables (provinces: KOSIS activities), with their
/// traded/local flag.
fn industry_links(
    lang: Lang,
    matching: impl Fn(&regis_core::Industry) -> bool,
) -> Vec<(String, String)> {
    let Some(c) = korea::classification("kosis_grdp") else {
        return Vec::new();
    };
    let ko = lang == Lang::Ko;
    c.industries()
        .iter()
        .filter(|i| i.code != TOTAL_INDUSTRY && i.parent.is_some() && matching(i))
        .map(|i| {
            let name = if ko || i.name_en.is_empty() {
                &i.name_ko
            } else {
                &i.name_en
            };
            let flag = match (ko, c.traded_local(&i.code).map(|x| x.0)) {
                (true, Some(regis_core::TradedLocal::Traded)) => " — 교역산업",
                (true, Some(regis_core::TradedLocal::Local)) => " — 지역(비교역)산업",
                (true, Some(regis_core::TradedLocal::Public)) => " — 공공부문",
                (false, Some(regis_core::TradedLocal::Traded)) => " — traded",
                (false, Some(regis_core::TradedLocal::Local)) => " — local",
                (false, Some(regis_core::TradedLocal::Public)) => " — public",
                (_, None) => "",
            };
            (
                format!("/industry/{}?lang={}", i.code, lang.code()),
                format!("{} ({}){flag}", name, i.code),
            )
        })
        .collect()
}

/// GET /industries — the industries of the GRDP tables.
pub async fn industries(RawQuery(q): RawQuery) -> Page {
    let p = Params::parse(q.as_deref(), &["lang"])?;
    let lang = p.lang()?;
    let ko = lang == Lang::Ko;
    let blocks = vec![
        search_form(lang, ""),
        Block::Para(if ko {
            "시도 지역내총생산(KOSIS)의 경제활동별 산업입니다. 교역산업은 주로 지역 밖에 파는 산업으로, 클러스터 정책의 대상입니다 (미국 클러스터 매핑 정의, Delgado·Porter·Stern 2016)."
        } else {
            "The activities of the provinces' GRDP (KOSIS). Traded industries sell mainly outside their region and are what cluster policy targets (US Cluster Mapping definitions, Delgado, Porter & Stern 2016)."
        }
        .into()),
        Block::Links(industry_links(lang, |_| true)),
    ];
    let title = if ko { "산업" } else { "Industries" };
    Ok(layout_markup(
        lang,
        title,
        &format!("/industries{}", query_string(&q)),
        article(blocks)?,
    ))
}

/// Lower case without spaces, for matching names.
fn folded(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// GET /search?q= — regions and industries by Korean or English name, alias or code.
pub async fn search(RawQuery(q): RawQuery) -> Page {
    let p = Params::parse(q.as_deref(), &["q", "lang"])?;
    let lang = p.lang()?;
    let ko = lang == Lang::Ko;
    let text: String = p.or("q", "").chars().take(MAX_QUERY_CHARS).collect();
    let key = folded(&text);
    let mut blocks = vec![search_form(lang, &text)];
    if !key.is_empty() {
        let cat = korea::catalog();
        let l = lang.code();
        let mut found: Vec<RegionId> = [Level::PROVINCE, Level::DISTRICT]
            .iter()
            .flat_map(|&level| cat.at_level(level, Some(INDEX_YEAR)))
            .filter(|&r| {
                let x = cat.region(r);
                folded(&x.code) == key
                    || folded(&x.name_ko).contains(&key)
                    || folded(&x.name_en).contains(&key)
                    || x.aliases.iter().any(|a| folded(a).contains(&key))
            })
            .collect();
        found.truncate(200);
        let regions: Vec<(String, String)> = found
            .iter()
            .map(|&r| {
                (
                    format!("/region/{}?lang={l}", cat.region(r).code),
                    format!(
                        "{} ({})",
                        name_with_parent(cat, r, lang),
                        cat.region(r).code
                    ),
                )
            })
            .collect();
        let industries = industry_links(lang, |i| {
            folded(&i.code) == key
                || folded(&i.name_ko).contains(&key)
                || folded(&i.name_en).contains(&key)
        });
        if regions.is_empty() && industries.is_empty() {
            blocks.push(Block::Para(if ko {
                "찾는 지역이나 산업이 없습니다. 이름의 일부(예: 울산, 제조)나 코드(예: 31)로 찾아 보세요. 전체 목록은 아래에 있습니다.".into()
            } else {
                "No region or industry matches. Try part of a name (e.g. Ulsan, manuf) or a code (e.g. 31); the full lists are below.".into()
            }));
            blocks.push(Block::Links(vec![
                (format!("/regions?lang={l}"), t(lang, "regions").into()),
                (
                    format!("/industries?lang={l}"),
                    t(lang, "industries").into(),
                ),
            ]));
        }
        if !regions.is_empty() {
            blocks.push(Block::Heading(t(lang, "regions").into()));
            blocks.push(Block::Links(regions));
        }
        if !industries.is_empty() {
            blocks.push(Block::Heading(t(lang, "industries").into()));
            blocks.push(Block::Links(industries));
        }
    }
    let title = if ko { "찾기" } else { "Search" };
    Ok(layout_markup(
        lang,
        title,
        &format!("/search{}", query_string(&q)),
        article(blocks)?,
    ))
}

/// A page's error as an HTML page in the page's language: what happened in words for the
/// status, the message (English, from the layer that refused) as technical detail, and the way
/// back.
pub(crate) fn error_page(lang: Lang, status: StatusCode, message: &str) -> Html<String> {
    let ko = lang == Lang::Ko;
    let (title, what) = match (status.as_u16(), ko) {
        (400 | 405 | 409 | 415 | 422, true) => (
            "요청을 처리할 수 없습니다",
            "주소의 변수 값이 올바르지 않습니다. 양식에서 다시 선택해 주세요.",
        ),
        (400 | 405 | 409 | 415 | 422, false) => (
            "This request cannot be served",
            "A value in the address is not valid. Choose again in the form.",
        ),
        (401, true) => (
            "로그인이 필요합니다",
            "이 페이지는 로그인한 사용자만 볼 수 있습니다.",
        ),
        (401, false) => ("Sign-in needed", "Only signed-in users can see this page."),
        (403, true) => ("권한이 없습니다", "이 작업을 할 권한이 없습니다."),
        (403, false) => ("Not allowed", "Your role does not allow this."),
        (404, true) => (
            "찾을 수 없습니다",
            "찾는 페이지나 지역·산업·자료가 없습니다.",
        ),
        (404, false) => (
            "Not found",
            "There is no such page, region, industry or data.",
        ),
        (413, true) => ("요청이 너무 큽니다", "보낸 자료가 허용된 크기를 넘습니다."),
        (413, false) => ("Request too large", "What was sent is larger than allowed."),
        (429 | 503, true) => (
            "잠시 후 다시 시도해 주세요",
            "서버가 다른 요청을 처리하고 있습니다.",
        ),
        (429 | 503, false) => (
            "Please try again shortly",
            "The server is busy with other requests.",
        ),
        (_, true) => (
            "서버 오류",
            "서버에서 오류가 났습니다. 관리자에게 알려 주세요.",
        ),
        (_, false) => (
            "Server error",
            "The server failed. Please tell its administrator.",
        ),
    };
    let l = lang.code();
    let mut blocks = vec![Block::Para(what.into())];
    if !message.is_empty() {
        blocks.push(if ko {
            Block::Foreign("en", format!("{} {message}", status.as_u16()))
        } else {
            Block::Para(format!("{} {message}", status.as_u16()))
        });
    }
    blocks.push(Block::Links(vec![
        (format!("/?lang={l}"), t(lang, "overview").into()),
        (
            format!("/search?lang={l}"),
            if ko { "찾기" } else { "Search" }.into(),
        ),
    ]));
    let body = article(blocks).unwrap_or_default();
    layout_markup(lang, title, &format!("/?lang={l}"), body)
}
