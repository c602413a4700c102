//! What a reader must know beside a built-in figure: projected years, census districts that do
//! not add up to provinces, where a series ends, Sejong's start, the price basis. Each caveat in
//! Korean and English, chosen by measure, level and year, so the pages and reports print the
//! note where the number is.

use regis_core::Level;

/// One data note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caveat {
    /// Stable id (`projected-population`, `district-totals`, ...).
    pub id: &'static str,
    /// The note in Korean.
    pub ko: &'static str,
    /// The note in English.
    pub en: &'static str,
}

const PROJECTED: Caveat = Caveat {
    id: "projected-population",
    ko: "시도 인구 2018-2020년은 2017년 기준 장래인구추계(중위 가정)의 추계값입니다 (KOSIS DT_1BPB001). 2017년까지는 추계의 기준인구입니다.",
    en: "Province population for 2018-2020 is a projection (the 2017-based medium projection, KOSIS DT_1BPB001); up to 2017 it is the projection's base population.",
};

const DISTRICT_TOTALS: Caveat = Caveat {
    id: "district-totals",
    ko: "시군구 값은 인구주택총조사·경제총조사(SGIS) 기준이라 시도·전국 값과 합이 맞지 않습니다. 예: 2020년 시군구 인구 합 4,994만 명, 전국 추계인구 5,197만 명 (서울 930만 대 964만).",
    en: "District values come from the censuses (SGIS), so they do not add up to the province and national series: 2020 district population sums to 49.94 million against 51.97 million nationally (Seoul 9.30 against 9.64 million).",
};

const GRDP_ENDS: Caveat = Caveat {
    id: "grdp-series-end",
    ko: "시도 지역내총생산(KOSIS DT_1C61)은 1985-2017년입니다. 2018년 이후 시도 값은 내장 자료에 없습니다 (시군구는 2010·2015·2020년).",
    en: "Province GRDP (KOSIS DT_1C61) covers 1985-2017; the built-in data have no province values after 2017 (districts: 2010, 2015, 2020).",
};

const SEJONG: Caveat = Caveat {
    id: "sejong",
    ko: "세종특별자치시는 2012년에 출범했습니다. 그 전 해에는 값이 없고(지도의 '자료 없음'), 그 지역은 충청남도·충청북도에 들어 있습니다.",
    en: "Sejong was created in 2012: earlier years have no Sejong value (\"no data\" on maps); its area is counted in Chungcheongnam-do and Chungcheongbuk-do.",
};

const NOMINAL: Caveat = Caveat {
    id: "price-basis-nominal",
    ko: "명목 GRDP: 당해년 가격, 백만원. 연도 간 비교에는 물가 변화가 섞여 있습니다.",
    en:
        "Nominal GRDP: current prices, million KRW; comparisons across years include price changes.",
};

const REAL: Caveat = Caveat {
    id: "price-basis-real",
    ko: "실질 GRDP: 2010년 연쇄가격, 백만원. 연쇄가격은 산업을 합산할 수 없습니다.",
    en: "Real GRDP: chained 2010 prices, million KRW; chained values of industries do not add up.",
};

/// The caveats of a built-in measure at a level, for one year or (none) for its whole series.
///
/// ```
/// use regis_core::Level;
/// let c = regis_data::korea::caveats("population", Level::PROVINCE, Some(2020));
/// assert!(c.iter().any(|c| c.id == "projected-population"));
/// assert!(regis_data::korea::caveats("population", Level::PROVINCE, Some(2001))
///     .iter()
///     .all(|c| c.id != "projected-population"));
/// ```
pub fn caveats(measure: &str, level: Level, year: Option<i32>) -> Vec<Caveat> {
    let mut out = Vec::new();
    let province = level == Level::PROVINCE || level == Level::NATION;
    if measure == "population" && province && year.is_none_or(|y| y >= 2018) {
        out.push(PROJECTED);
    }
    if level == Level::DISTRICT {
        out.push(DISTRICT_TOTALS);
    }
    if matches!(measure, "grdp_nominal" | "grdp_real") && province {
        out.push(GRDP_ENDS);
    }
    if province && year.is_none_or(|y| y < 2012) {
        out.push(SEJONG);
    }
    match measure {
        "grdp_nominal" => out.push(NOMINAL),
        "grdp_real" => out.push(REAL),
        _ => {}
    }
    out
}
