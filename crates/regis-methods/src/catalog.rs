//! The catalogue of methods shown on the dashboard's Methods page: for each method its family,
//! names in Korean and English, formula, reference and DOI. A test checks that every entry's
//! DOI appears in the documentation of the module that implements it, so the page and the code
//! cite the same sources.

/// One documented method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodDoc {
    /// Stable id, as in the CLI and API.
    pub id: &'static str,
    /// Module (family) implementing it.
    pub module: &'static str,
    /// Korean name.
    pub name_ko: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// The formula (plain text).
    pub formula: &'static str,
    /// Reference.
    pub reference: &'static str,
    /// DOI.
    pub doi: &'static str,
}

/// All methods.
pub const METHODS: &[MethodDoc] = &[
    MethodDoc {
        id: "gini",
        module: "inequality",
        name_ko: "지니계수",
        name_en: "Gini coefficient",
        formula: "G = Σ_i Σ_j w_i w_j |y_i − y_j| / (2 W² μ)",
        reference: "Yitzhaki & Schechtman (2013), The Gini Methodology, Springer",
        doi: "10.1007/978-1-4614-4720-7",
    },
    MethodDoc {
        id: "theil",
        module: "inequality",
        name_ko: "타일 지수 T (GE(1))",
        name_en: "Theil index T, GE(1)",
        formula: "T = Σ_i p_i (y_i/μ) ln(y_i/μ); GE(α) = (Σ p_i (y_i/μ)^α − 1)/(α(α−1))",
        reference: "Shorrocks (1980), Econometrica 48(3)",
        doi: "10.2307/1913126",
    },
    MethodDoc {
        id: "theil_decomposition",
        module: "inequality",
        name_ko: "타일 지수 분해(권역 간/내)",
        name_en: "Theil decomposition (between/within)",
        formula: "T = Σ_g s_g ln(s_g/p_g) + Σ_g s_g T_g",
        reference: "Shorrocks (1980)",
        doi: "10.2307/1913126",
    },
    MethodDoc {
        id: "atkinson",
        module: "inequality",
        name_ko: "앳킨슨 지수",
        name_en: "Atkinson index",
        formula: "A(ε) = 1 − (Σ p_i (y_i/μ)^{1−ε})^{1/(1−ε)}",
        reference: "Atkinson (1970), Journal of Economic Theory 2(3)",
        doi: "10.1016/0022-0531(70)90039-6",
    },
    MethodDoc {
        id: "cv",
        module: "inequality",
        name_ko: "변이계수 / 윌리엄슨 지수",
        name_en: "Coefficient of variation / Williamson index",
        formula: "CV = sqrt(Σ p_i (y_i − μ)²) / μ",
        reference: "Williamson (1965), Economic Development and Cultural Change 13(4)",
        doi: "10.1086/450136",
    },
    MethodDoc {
        id: "hoover",
        module: "inequality",
        name_ko: "후버 지수",
        name_en: "Hoover index",
        formula: "H = ½ Σ_i |s_i − p_i|",
        reference: "Hoover (1936), Review of Economics and Statistics 18(4)",
        doi: "10.2307/1927875",
    },
    MethodDoc {
        id: "lorenz",
        module: "inequality",
        name_ko: "로렌츠 곡선",
        name_en: "Lorenz curve",
        formula: "cumulative weight share vs cumulative value share, units by value",
        reference: "Lorenz (1905), Publications of the ASA 9(70)",
        doi: "10.2307/2276207",
    },
    MethodDoc {
        id: "lq",
        module: "specialisation",
        name_ko: "입지계수(LQ) / 현시비교우위",
        name_en: "Location quotient / RCA",
        formula: "LQ_ri = (E_ri/E_r.) / (E_.i/E_..)",
        reference: "Balassa (1965), The Manchester School 33(2)",
        doi: "10.1111/j.1467-9957.1965.tb00050.x",
    },
    MethodDoc {
        id: "diversity",
        module: "specialisation",
        name_ko: "다양성·편재성",
        name_en: "Diversity and ubiquity",
        formula: "diversity_r = Σ_i [LQ_ri ≥ 1]; ubiquity_i = Σ_r [LQ_ri ≥ 1]",
        reference: "Hidalgo & Hausmann (2009), PNAS 106(26)",
        doi: "10.1073/pnas.0900943106",
    },
    MethodDoc {
        id: "krugman",
        module: "specialisation",
        name_ko: "크루그먼 특화·집중 지수, 입지 지니",
        name_en: "Krugman specialisation/concentration, locational Gini",
        formula: "K_r = Σ_i |s_ri − s_i|; C_i = Σ_r |c_ri − x_r|",
        reference: "Krugman (1991), Geography and Trade, MIT Press",
        doi: "",
    },
    MethodDoc {
        id: "herfindahl",
        module: "specialisation",
        name_ko: "허핀달-허쉬만 지수",
        name_en: "Herfindahl-Hirschman index",
        formula: "H_r = Σ_i s_ri²",
        reference: "Hirschman (1964), American Economic Review 54(5)",
        doi: "",
    },
    MethodDoc {
        id: "entropy",
        module: "specialisation",
        name_ko: "엔트로피(다양성)",
        name_en: "Entropy (diversity)",
        formula: "H_r = −Σ_i s_ri ln s_ri",
        reference: "Frenken, Van Oort & Verburg (2007), Regional Studies 41(5)",
        doi: "10.1080/00343400601120296",
    },
    MethodDoc {
        id: "ellison_glaeser",
        module: "specialisation",
        name_ko: "엘리슨-글레이저 집적 지수",
        name_en: "Ellison-Glaeser agglomeration",
        formula: "γ = (G − (1 − Σx²)H) / ((1 − Σx²)(1 − H))",
        reference: "Ellison & Glaeser (1997), Journal of Political Economy 105(5)",
        doi: "10.1086/262098",
    },
    MethodDoc {
        id: "shift_share",
        module: "shift_share",
        name_ko: "변이할당 분석(고전)",
        name_en: "Shift-share (classic)",
        formula: "ΔE_ri = E_ri g + E_ri (g_i − g) + E_ri (g_ri − g_i)",
        reference: "Dunn (1960), Papers in Regional Science 6(1)",
        doi: "10.1111/j.1435-5597.1960.tb01705.x",
    },
    MethodDoc {
        id: "esteban_marquillas",
        module: "shift_share",
        name_ko: "에스테반-마르키야스 변이할당",
        name_en: "Esteban-Marquillas shift-share",
        formula: "E_ri(g_ri − g_i) = Ê_ri(g_ri − g_i) + (E_ri − Ê_ri)(g_ri − g_i)",
        reference: "Esteban-Marquillas (1972), Regional and Urban Economics 2(3)",
        doi: "10.1016/0034-3331(72)90033-0",
    },
    MethodDoc {
        id: "dynamic_shift_share",
        module: "shift_share",
        name_ko: "동태적 변이할당",
        name_en: "Dynamic shift-share",
        formula: "Σ_t of yearly classic decompositions",
        reference: "Barff & Knight (1988), Growth and Change 19(2)",
        doi: "10.1111/j.1468-2257.1988.tb00465.x",
    },
    MethodDoc {
        id: "beta_convergence",
        module: "convergence",
        name_ko: "베타 수렴",
        name_en: "β-convergence",
        formula: "(ln y_1 − ln y_0)/T = α + β ln y_0 + ε; λ = −ln(1 + βT)/T",
        reference: "Barro & Sala-i-Martin (1992), Journal of Political Economy 100(2)",
        doi: "10.1086/261816",
    },
    MethodDoc {
        id: "morans_i",
        module: "spatial",
        name_ko: "모란 I",
        name_en: "Moran's I",
        formula: "I = (n/S0) z'Wz / z'z",
        reference: "Moran (1950), Biometrika 37(1/2)",
        doi: "10.2307/2332142",
    },
    MethodDoc {
        id: "gearys_c",
        module: "spatial",
        name_ko: "기어리 C",
        name_en: "Geary's C",
        formula: "C = (n−1) Σ w_ij (y_i − y_j)² / (2 S0 Σ z²)",
        reference: "Geary (1954), The Incorporated Statistician 5(3)",
        doi: "10.2307/2986645",
    },
    MethodDoc {
        id: "getis_ord",
        module: "spatial",
        name_ko: "게티스-오드 G, G_i*",
        name_en: "Getis-Ord G and G_i*",
        formula: "G = Σ_i Σ_{j≠i} w_ij y_i y_j / Σ_i Σ_{j≠i} y_i y_j",
        reference: "Getis & Ord (1992), Geographical Analysis 24(3)",
        doi: "10.1111/j.1538-4632.1992.tb00261.x",
    },
    MethodDoc {
        id: "lisa",
        module: "spatial",
        name_ko: "국지적 모란(LISA)",
        name_en: "Local Moran (LISA)",
        formula: "I_i = (n−1) z_i Σ_j w_ij z_j / Σ z²",
        reference: "Anselin (1995), Geographical Analysis 27(2)",
        doi: "10.1111/j.1538-4632.1995.tb00338.x",
    },
    MethodDoc {
        id: "spatial_gini",
        module: "spatial",
        name_ko: "공간 지니",
        name_en: "Spatial Gini",
        formula: "Σ|x_i − x_j| split into neighbour and non-neighbour pairs",
        reference: "Rey & Smith (2013), Letters in Spatial and Resource Sciences 6",
        doi: "10.1007/s12076-012-0086-z",
    },
    MethodDoc {
        id: "callaway_santanna",
        module: "evaluation",
        name_ko: "시차 도입 이중차분 (Callaway-Sant'Anna ATT(g,t))",
        name_en: "Staggered difference-in-differences (Callaway-Sant'Anna ATT(g,t))",
        formula: "ATT(g,t) = E[Y_t − Y_(g−1) | G = g] − E[Y_t − Y_(g−1) | C]; aggregated with cohort shares",
        reference: "Callaway & Sant'Anna (2021), Journal of Econometrics 225(2)",
        doi: "10.1016/j.jeconom.2020.12.001",
    },
    MethodDoc {
        id: "synthetic_control",
        module: "evaluation_synthetic",
        name_ko: "합성통제법",
        name_en: "Synthetic control",
        formula: "W(V) = argmin (X₁ − X₀W)'V(X₁ − X₀W), W ≥ 0, ΣW = 1; V minimises the pre-period MSPE",
        reference: "Abadie, Diamond & Hainmueller (2010), JASA 105(490)",
        doi: "10.1198/jasa.2009.ap08746",
    },
    MethodDoc {
        id: "synthetic_did",
        module: "evaluation_sdid",
        name_ko: "합성 이중차분",
        name_en: "Synthetic difference-in-differences",
        formula: "τ = (Ȳ_tr,post − λ'Ȳ_tr,pre) − ω'(Ȳ_co,post − Y_co,pre λ); ω, λ regularised simplex weights",
        reference: "Arkhangelsky, Athey, Hirshberg, Imbens & Wager (2021), AER 111(12)",
        doi: "10.1257/aer.20190159",
    },
    MethodDoc {
        id: "twfe_event_study",
        module: "evaluation_did",
        name_ko: "이원고정효과 이중차분과 사건연구",
        name_en: "Two-way fixed-effects DiD and event study",
        formula: "y_it = α_i + γ_t + Σ_e β_e 1{t − g_i = e} + ε_it, errors clustered by unit (CR1); Wald test of the leads",
        reference: "Cameron & Miller (2015), Journal of Human Resources 50(2)",
        doi: "10.3368/jhr.50.2.317",
    },
    MethodDoc {
        id: "goodman_bacon",
        module: "evaluation_did",
        name_ko: "Goodman-Bacon 분해",
        name_en: "Goodman-Bacon decomposition",
        formula: "β_TWFE = Σ s_kU β_kU + Σ (s^k_kl β^k_kl + s^l_kl β^l_kl), Σ s = 1",
        reference: "Goodman-Bacon (2021), Journal of Econometrics 225(2)",
        doi: "10.1016/j.jeconom.2021.03.014",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_doi_is_cited_by_its_module() {
        // A module split into files is read whole.
        let inequality = [
            include_str!("inequality/mod.rs"),
            include_str!("inequality/indices.rs"),
            include_str!("inequality/decomposition.rs"),
            include_str!("inequality/panel.rs"),
        ]
        .concat();
        let spatial = [
            include_str!("spatial/mod.rs"),
            include_str!("spatial/weights.rs"),
            include_str!("spatial/statistics.rs"),
        ]
        .concat();
        let sources = [
            ("inequality", inequality.as_str()),
            ("specialisation", include_str!("specialisation.rs")),
            ("shift_share", include_str!("shift_share.rs")),
            ("convergence", include_str!("convergence.rs")),
            ("spatial", spatial.as_str()),
            ("evaluation", include_str!("evaluation/staggered.rs")),
            (
                "evaluation_synthetic",
                include_str!("evaluation/synthetic.rs"),
            ),
            ("evaluation_sdid", include_str!("evaluation/sdid.rs")),
            ("evaluation_did", include_str!("evaluation/did.rs")),
        ];
        for m in METHODS {
            let src = sources
                .iter()
                .find(|s| s.0 == m.module)
                .unwrap_or_else(|| panic!("module {}", m.module))
                .1;
            if !m.doi.is_empty() {
                assert!(
                    src.contains(m.doi),
                    "{}: DOI {} not cited in {}.rs",
                    m.id,
                    m.doi,
                    m.module
                );
            }
        }
    }
}
