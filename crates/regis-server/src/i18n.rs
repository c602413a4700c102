//! Korean and English labels of the dashboard. One dictionary, one name per concept, the same
//! words as the CLI and the API.

/// Page language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// 한국어.
    Ko,
    /// English.
    En,
}

impl Lang {
    /// From `?lang=` (default Korean, the dashboard's home audience).
    pub fn parse(s: Option<&str>) -> Lang {
        match s {
            Some("en") => Lang::En,
            _ => Lang::Ko,
        }
    }

    /// `ko` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    /// The other language.
    pub fn other(self) -> Lang {
        match self {
            Lang::Ko => Lang::En,
            Lang::En => Lang::Ko,
        }
    }
}

/// A measure's unit in the page's language (the built-in units; others as stored).
///
/// ```
/// use regis_server::i18n::{unit_label, Lang};
/// assert_eq!(unit_label("persons", Lang::Ko), "명");
/// assert_eq!(unit_label("million KRW", Lang::En), "million KRW");
/// ```
pub fn unit_label(unit: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return unit.to_string();
    }
    match unit {
        "persons" => "명",
        "count" => "개",
        "million KRW" => "백만원",
        "million KRW (2010 chained)" => "백만원 (2010년 연쇄가격)",
        other => other,
    }
    .to_string()
}

/// A label by key.
pub fn t(lang: Lang, key: &str) -> &'static str {
    let (ko, en) = match key {
        "title" => (
            "Regis 지역산업 정책 근거 시스템",
            "Regis — evidence for regional industrial policy",
        ),
        "overview" => ("개요", "Overview"),
        "map" => ("지도", "Map explorer"),
        "regions" => ("지역", "Regions"),
        "industries" => ("산업", "Industries"),
        "search" => ("찾기", "Search"),
        "methods" => ("방법론", "Methods"),
        "downloads" => ("내려받기", "Downloads"),
        "region" => ("지역", "Region"),
        "industry" => ("산업", "Industry"),
        "measure" => ("지표", "Measure"),
        "level" => ("단위", "Level"),
        "province" => ("시도", "Province"),
        "district" => ("시군구", "District"),
        "period" => ("연도", "Year"),
        "index" => ("값", "Index"),
        "index_level" => ("수준", "Level"),
        "index_per_capita" => ("1인당", "Per head"),
        "index_share" => ("전국 대비 비중", "Share of the nation"),
        "index_lq" => ("입지계수(LQ)", "Location quotient (LQ)"),
        "index_growth" => ("증가율(%)", "Growth (%)"),
        "classes" => ("구간", "Classes"),
        "quantiles" => ("분위수", "Quantiles"),
        "natural-breaks" => ("자연 구간", "Natural breaks"),
        "equal-interval" => ("등간격", "Equal interval"),
        "show" => ("보기", "Show"),
        "missing" => ("자료 없음", "No data"),
        "sma_share" => ("수도권 비중", "Capital-region (SMA) share"),
        "theil_between" => (
            "타일 지수: 수도권-비수도권 간",
            "Theil: between SMA and the rest",
        ),
        "theil_within" => ("타일 지수: 권역 내", "Theil: within groups"),
        "gini" => ("지니계수", "Gini"),
        "imbalance_story" => (
            "수도권 집중의 추이",
            "The capital region's weight over time",
        ),
        "population" => ("인구", "Population"),
        "grdp_nominal" => ("지역내총생산(명목)", "GRDP (nominal)"),
        "structure" => ("산업 구조", "Industry structure"),
        "lq_bars" => (
            "입지계수(LQ), 1 이상 = 특화",
            "Location quotients (LQ ≥ 1 = specialised)",
        ),
        "shift_share" => ("변이할당 분석", "Shift-share decomposition"),
        "trend" => ("추이와 순위", "Trend and rank"),
        "rank" => ("순위", "Rank"),
        "value" => ("값", "Value"),
        "share" => ("비중", "Share"),
        "national" => ("국가 성장 효과", "National share"),
        "industry_mix" => ("산업 구조 효과", "Industry mix"),
        "competitive" => ("지역 경쟁 효과", "Competitive effect"),
        "change" => ("변화", "Change"),
        "api" => ("이 값의 API", "API for these numbers"),
        "source" => ("출처", "Source"),
        "concentration" => ("집중도 지수", "Concentration indices"),
        "where_concentrates" => ("산업이 집중된 곳", "Where the industry concentrates"),
        "ranked" => ("지역 순위", "Regions ranked"),
        "language" => ("English", "한국어"),
        _ => ("", ""),
    };
    match lang {
        Lang::Ko => ko,
        Lang::En => en,
    }
}

impl From<Lang> for regis_app::Lang {
    fn from(l: Lang) -> Self {
        match l {
            Lang::Ko => regis_app::Lang::Ko,
            Lang::En => regis_app::Lang::En,
        }
    }
}
