//! The OpenAPI 3.1 document, built from one table of endpoints (the router's test checks that
//! every route is in the table and every entry is routed).

use serde_json::{json, Map, Value};

use crate::guard::{ADMIN, COUNCIL, EVALUATOR};

/// One endpoint: path, summary, response type, query parameters (name, required, description).
pub struct Endpoint {
    /// Path (OpenAPI template syntax).
    pub path: &'static str,
    /// One-line summary.
    pub summary: &'static str,
    /// Media type of the 200 response.
    pub produces: &'static str,
    /// Path parameters.
    pub path_params: &'static [(&'static str, &'static str)],
    /// Query parameters.
    pub query: &'static [(&'static str, bool, &'static str)],
}

const MEASURE: (&str, bool, &str) = (
    "measure",
    false,
    "measure id: population, grdp_nominal, grdp_real, companies, or an imported one",
);
const LEVEL: (&str, bool, &str) = ("level", false, "province (default) or district");
const PERIOD: (&str, bool, &str) = ("period", false, "year; default the latest");
const LANG: (&str, bool, &str) = ("lang", false, "ko (default) or en");
const INDUSTRY: (&str, bool, &str) = (
    "industry",
    false,
    "industry code (see /api/v1/measures); default _T, the total",
);

const INDUSTRIES: (&str, bool, &str) = (
    "industries",
    false,
    "industries compared, comma-separated codes; default the finest partition",
);
const INDUSTRY_DEPTH: (&str, bool, &str) = (
    "industry_depth",
    false,
    "compare the industries at this depth of the classification",
);
const MISSING_AS_ZERO: (&str, bool, &str) = (
    "missing_as_zero",
    false,
    "true: read missing cells as zero (reported) instead of leaving the region out",
);

/// All endpoints of the API.
pub const ENDPOINTS: &[Endpoint] = &[
    Endpoint { path: "/api/v1/measures", summary: "Built-in measures with units, price basis, additivity, levels and periods", produces: "application/json", path_params: &[], query: &[] },
    Endpoint { path: "/api/v1/regions", summary: "Regions of a level (codes and Korean/English names)", produces: "application/json", path_params: &[], query: &[LEVEL, ("year", false, "only regions that existed in this year"), LANG] },
    Endpoint { path: "/api/v1/values", summary: "Values of a measure for every region of a level in a period, as level, per head, share, LQ or growth", produces: "application/json", path_params: &[], query: &[MEASURE, LEVEL, PERIOD, INDUSTRY, ("index", false, "level (default), per_capita, share, lq, growth"), LANG] },
    Endpoint { path: "/api/v1/imbalance", summary: "Group share and inequality indices per period (the regis diagnose report)", produces: "application/json", path_params: &[], query: &[MEASURE, ("group", false, "region group, default SMA"), LEVEL, ("per", false, "denominator measure for per-head values, e.g. population")] },
    Endpoint { path: "/api/v1/diagnose", summary: "The regis diagnose report: a group's share and inequality indices per period, for any industry, group, period range, denominator and boundary vintage (its JSON is the CLI's)", produces: "application/json", path_params: &[], query: &[MEASURE, INDUSTRY, LEVEL, ("group", false, "catalog group (SMA); default SMA on Korean data, none on other data"), ("group_members", false, "a group of your own: NAME=code,code"), PERIOD, ("from", false, "first year"), ("to", false, "last year"), ("per", false, "denominator measure: per head, weighted"), ("vintage", false, "carry to the boundaries of this year"), LANG] },
    Endpoint { path: "/api/v1/specialise", summary: "The regis specialise report: Krugman, Herfindahl, entropy, diversity and top LQs per region (view=regions), concentration per industry (view=industries) or every LQ (view=lq); regions with a missing or negative cell are left out and named", produces: "application/json", path_params: &[], query: &[MEASURE, LEVEL, PERIOD, INDUSTRIES, INDUSTRY_DEPTH, MISSING_AS_ZERO, ("threshold", false, "LQ threshold of specialisation, default 1"), ("view", false, "regions (default), industries or lq"), LANG] },
    Endpoint { path: "/api/v1/shift-share", summary: "The regis shift-share report: national, industry-mix, competitive and allocation components of the change, per region or per region and industry", produces: "application/json", path_params: &[], query: &[MEASURE, LEVEL, ("from", false, "start year; default the first"), ("to", false, "end year; default the last"), ("method", false, "classic (default), esteban-marquillas or dynamic"), ("cells", false, "true: one row per region and industry"), ("regions", false, "only these regions, comma-separated codes or names"), INDUSTRIES, INDUSTRY_DEPTH, MISSING_AS_ZERO, LANG] },
    Endpoint { path: "/api/v1/convergence", summary: "The regis convergence report: β-convergence (OLS, speed, half-life; conditional on a group) and σ-convergence per year", produces: "application/json", path_params: &[], query: &[MEASURE, LEVEL, ("from", false, "start year; default the first"), ("to", false, "end year; default the last"), INDUSTRY, ("per", false, "denominator measure: per head"), ("conditional_on", false, "group whose dummy enters the regression, e.g. SMA"), ("vintage", false, "carry to the boundaries of this year"), LANG] },
    Endpoint { path: "/api/v1/complexity", summary: "The regis complexity report: ECI and COI of regions (view=regions), PCI of industries (view=industries), or relatedness density and COG of every region and industry (view=density)", produces: "application/json", path_params: &[], query: &[MEASURE, LEVEL, PERIOD, INDUSTRIES, INDUSTRY_DEPTH, MISSING_AS_ZERO, ("view", false, "regions (default), industries or density"), LANG] },
    Endpoint { path: "/api/v1/spatial", summary: "The regis spatial report on the built-in boundaries: Moran's I, Geary's C, Getis-Ord G and the spatial Gini, or with local=true LISA and G_i* per unit", produces: "application/json", path_params: &[], query: &[MEASURE, LEVEL, PERIOD, INDUSTRY, ("per", false, "denominator measure: per head"), ("weights", false, "queen (default), rook, knn:K or band:KM"), ("permutations", false, "default 999, at most 99999"), ("seed", false, "default 12345"), ("local", false, "true: LISA and G_i* per unit"), ("alpha", false, "significance of the LISA classes, default 0.05"), LANG] },
    Endpoint { path: "/api/v1/zones/lma", summary: "The regis zones lma report on a built-in flow measure: labour-market areas (Istat/Coombes rules) with their self-containment and validity, compared with administrative regions", produces: "application/json", path_params: &[], query: &[("measure", false, "built-in flow measure, default migration"), ("period", false, "year; default the latest"), ("min_size", false, "default 1000"), ("target_size", false, "default 10000"), ("min_self_containment", false, "default 0.6667"), ("target_self_containment", false, "default 0.75"), ("single_pass", false, "true: one pass, as Istat's package"), ("admin_prefix", false, "compare with regions given by the first N characters of the codes"), ("contiguity", false, "true: contiguous zones")] },
    Endpoint { path: "/api/v1/zones/leiden", summary: "The regis zones leiden report on a built-in flow measure: Leiden communities of the symmetrised flows", produces: "application/json", path_params: &[], query: &[("measure", false, "built-in flow measure, default migration"), ("period", false, "year; default the latest"), ("quality", false, "modularity (default) or cpm"), ("resolution", false, "default 1"), ("seed", false, "default 1"), ("contiguity", false, "true: contiguous communities")] },
    Endpoint { path: "/api/v1/zones/maxp", summary: "The regis zones maxp report: the most contiguous regions of districts (or provinces) that each reach a threshold, alike in the attributes", produces: "application/json", path_params: &[], query: &[("attributes", false, "measures compared, comma-separated; default grdp_nominal,companies"), ("per", false, "divide the attributes by this measure"), ("period", false, "default 2020"), ("level", false, "district (default) or province"), ("standardise", false, "true: z-scores"), ("threshold", false, "default 1500000"), ("threshold_by", false, "default population"), ("iterations", false, "construction iterations, default 99"), ("annealing_runs", false, "default 10"), ("seed", false, "default 12345")] },
    Endpoint { path: "/api/v1/zones/skater", summary: "The regis zones skater report: k contiguous regions cut from the minimum spanning tree, each above a floor", produces: "application/json", path_params: &[], query: &[("attributes", false, "measures compared, comma-separated; default grdp_nominal,companies"), ("per", false, "divide the attributes by this measure"), ("period", false, "default 2020"), ("level", false, "district (default) or province"), ("standardise", false, "true: z-scores"), ("regions", false, "number of regions, default 5"), ("floor", false, "least total per region, default 1"), ("floor_by", false, "the measure summed against the floor"), ("seed", false, "unused by SKATER, accepted for symmetry")] },
    Endpoint { path: "/api/v1/evaluate/cs", summary: "The regis evaluate cs report: Callaway & Sant'Anna staggered difference-in-differences (ATT(g,t), simple, dynamic, group and calendar aggregations, analytic standard errors) on a measure, the treated regions given with their first treated year", produces: "application/json", path_params: &[], query: &[("measure", false, "default grdp_nominal"), LEVEL, INDUSTRY, ("per", false, "the outcome per head of this measure"), ("treated", false, "treated regions with their first treated year, e.g. 38=2005,26=2005; default the provinces of the 2005 innovation-cluster pilot (26,31,32,24,35,37,38 from 2005)"), ("control", false, "never (default) or not-yet"), ("base_period", false, "varying (default) or universal"), ("anticipation", false, "periods of anticipation, default 0"), ("covariates", false, "measures to adjust for, e.g. population (conditional parallel trends); default none"), ("estimator", false, "with covariates: dr (doubly robust, default), ipw or reg"), ("bootstrap", false, "multiplier-bootstrap draws for the uniform 95% bands, 0 to 100000, default 999"), ("seed", false, "seed of the bootstrap, default 12345"), LANG] },
    Endpoint { path: "/api/v1/evaluate/sc", summary: "The regis evaluate sc report: a synthetic control of one treated region (donor weights, predictor balance, gaps by period, the V search's spread, in-space placebos and the Fisher p-value)", produces: "application/json", path_params: &[], query: &[("measure", false, "default grdp_nominal"), LEVEL, INDUSTRY, ("per", false, "the outcome per head of this measure"), ("treated", false, "the treated region and its first treated year, default 26=2005"), ("predictors", false, "outcome, outcome@YEAR or outcome@FROM-TO, comma-separated; default the pre-treatment mean and three pre-treatment values"), ("fit", false, "periods the V search fits, FROM-TO; default every pre-treatment period"), ("placebos", false, "false: skip the placebos (default true)"), ("seed", false, "default 12345"), LANG] },
    Endpoint { path: "/api/v1/evaluate/sdid", summary: "The regis evaluate sdid report: synthetic difference-in-differences of a block of treated regions with the synthetic-control and DiD estimates side by side, unit and time weights, placebo standard errors", produces: "application/json", path_params: &[], query: &[("measure", false, "default grdp_nominal"), LEVEL, INDUSTRY, ("per", false, "the outcome per head of this measure"), ("treated", false, "treated regions, all from the same year, e.g. 38=2005,26=2005; default the provinces of the 2005 pilot"), ("placebos", false, "false: no placebo standard errors (default true, 200 replications)"), ("seed", false, "default 12345"), LANG] },
    Endpoint { path: "/api/v1/evaluate/did", summary: "The regis evaluate did report: two-way fixed-effects difference-in-differences (static estimate clustered by unit, event study, joint Wald test of the leads) on a measure, the treated regions given with their first treated year", produces: "application/json", path_params: &[], query: &[("measure", false, "default grdp_nominal"), LEVEL, INDUSTRY, ("per", false, "the outcome per head of this measure"), ("treated", false, "treated regions with their first treated year; default the provinces of the 2005 pilot"), ("control", false, "accepted as for /evaluate/cs; not used"), ("base_period", false, "accepted as for /evaluate/cs; not used"), ("anticipation", false, "accepted as for /evaluate/cs; not used"), ("covariates", false, "refused: the TWFE regression takes none"), ("estimator", false, "accepted as for /evaluate/cs; not used"), ("bootstrap", false, "accepted as for /evaluate/cs; not used"), ("seed", false, "accepted as for /evaluate/cs; not used"), LANG] },
    Endpoint { path: "/api/v1/regions/{code}/profile", summary: "A region's industry structure, location quotients, shift-share, trend and rank", produces: "application/json", path_params: &[("code", "SGIS census code (11, 31010) or name")], query: &[MEASURE, LANG] },
    Endpoint { path: "/api/v1/regions/{code}/tables/{table}", summary: "One table of a region's profile as CSV with every digit: structure (values, shares, LQs and LQ ranks), traded_strengths (traded industries with LQ of at least 1; strong = LQ in the top quarter), shift_share or trend", produces: "text/csv", path_params: &[("code", "SGIS census code (11, 31010) or name"), ("table", "structure, traded_strengths, shift_share or trend")], query: &[MEASURE, LANG] },
    Endpoint { path: "/api/v1/industries/{code}", summary: "Where an industry concentrates: ranked regions and concentration indices", produces: "application/json", path_params: &[("code", "industry code (C, K...) or name")], query: &[MEASURE, LEVEL, PERIOD, LANG] },
    Endpoint { path: "/api/v1/map.json", summary: "The map's regions as GeoJSON (longitude, latitude) with code, name, parent and value, and the title, year and unit (what the interactive map draws)", produces: "application/geo+json", path_params: &[], query: &[MEASURE, LEVEL, PERIOD, INDUSTRY, ("index", false, "level, per_capita, share, lq, growth"), LANG] },
    Endpoint { path: "/api/v1/map.svg", summary: "Choropleth map (EPSG:5179) of a measure and index", produces: "image/svg+xml", path_params: &[], query: &[MEASURE, LEVEL, PERIOD, INDUSTRY, ("index", false, "level, per_capita, share, lq, growth"), ("scheme", false, "quantiles (default), natural-breaks, equal-interval"), ("classes", false, "2 to 9, default 5"), LANG] },
    Endpoint { path: "/api/v1/charts/imbalance.svg", summary: "SMA shares of population and GRDP, Theil between and within, over time", produces: "image/svg+xml", path_params: &[], query: &[LANG] },
    Endpoint { path: "/api/v1/charts/lq.svg", summary: "Location-quotient bars of a region", produces: "image/svg+xml", path_params: &[], query: &[("region", true, "SGIS code or name"), MEASURE, LANG] },
    Endpoint { path: "/api/v1/charts/lorenz.svg", summary: "Lorenz curve of a measure across regions", produces: "image/svg+xml", path_params: &[], query: &[MEASURE, LEVEL, PERIOD, LANG] },
    Endpoint { path: "/api/v1/download", summary: "The data as CSV, XLSX, or GeoJSON boundaries with values", produces: "application/octet-stream", path_params: &[], query: &[MEASURE, LEVEL, PERIOD, ("industry", false, "industry code, all, or default _T"), ("format", false, "csv (default), xlsx, geojson")] },
    Endpoint { path: "/api/v1/strategy/{code}", summary: "A region's candidate industries scored on six criteria, with the evidence and the sensitivity of the top-k to the weights", produces: "application/json", path_params: &[("code", "SGIS code or name of a province")], query: &[MEASURE, LEVEL, PERIOD, ("top", false, "industries to select, default 4"), ("weights", false, "e.g. specialisation=0.4,density=0.3"), ("include_local", false, "true: local and public industries are candidates too (default: traded industries only)"), LANG] },
    Endpoint { path: "/api/v1/strategy", summary: "Every region's strategic industries, their overlap, contested industries and differentiation suggestions", produces: "application/json", path_params: &[], query: &[MEASURE, LEVEL, PERIOD, ("top", false, "default 4"), ("contested", false, "regions from which an industry is contested, default 3"), ("weights", false, "as for /strategy/{code}"), ("include_local", false, "as for /strategy/{code}"), LANG] },
    Endpoint { path: "/api/v1/clusters", summary: "Clusters of related industries derived from co-location, and each region's star ratings", produces: "application/json", path_params: &[], query: &[MEASURE, LEVEL, PERIOD, ("k", false, "number of clusters, default 5"), ("definitions", false, "us: the US Cluster Mapping definitions (NAICS codes); leave out for derived clusters"), ("view", false, "clusters (default) or stars"), ("include_local", false, "true: derived clusters take in local and public industries too (default: traded industries only)"), ("io_links", false, "true: derived clusters combine co-location with the built-in Bank of Korea input-output table's links"), LANG] },
    Endpoint { path: "/api/v1/io/multipliers", summary: "The regis io multipliers report on the built-in Bank of Korea 2020 input-output table: output multipliers and the income, GVA and employment effects and multipliers of every sector (type I; type II too with household_closure)", produces: "application/json", path_params: &[], query: &[("sectors", false, "table level: 33 (default), 83 or 165 sectors"), ("household_closure", false, "true: type II multipliers too (households endogenous)"), LANG] },
    Endpoint { path: "/api/v1/io/linkages", summary: "The regis io linkages report on the built-in table: normalised backward (Leontief) and forward (Ghosh; Leontief-based beside it) linkages and key sectors", produces: "application/json", path_params: &[], query: &[("sectors", false, "table level: 33 (default), 83 or 165 sectors"), LANG] },
    Endpoint { path: "/api/v1/io/chain", summary: "A sector's largest suppliers and customers in the built-in table (shares of its intermediate inputs and sales)", produces: "application/json", path_params: &[], query: &[("sector", true, "sector code of the table level"), ("sectors", false, "table level: 33 (default), 83 or 165 sectors"), ("top", false, "how many suppliers and customers, default 5"), LANG] },
    Endpoint { path: "/api/v1/io/regionalise", summary: "The regis io regionalise report: a province's in-region multipliers from the built-in table (83 sectors) by location quotients, with the δ sensitivity and BoK's survey-based multipliers beside them", produces: "application/json", path_params: &[], query: &[("region", true, "province code or name"), ("quotient", false, "flq (default), aflq, cilq or slq"), ("delta", false, "FLQ/AFLQ δ in [0, 1), default 0.3"), LANG] },
    Endpoint { path: "/api/v1/io/calibration", summary: "The regis io regionalise --calibrate report: FLQ's error against the Bank of Korea's survey-based regional multipliers by δ, province by province, and the best δ", produces: "application/json", path_params: &[], query: &[LANG] },
    Endpoint { path: "/api/openapi.json", summary: "This document", produces: "application/json", path_params: &[], query: &[] },
];

/// Monitoring endpoints (method, path, summary, roles that may write: a mask of
/// [`crate::guard::ADMIN`], [`crate::guard::COUNCIL`], [`crate::guard::EVALUATOR`]; 0 for reads
/// and the login; an example request body, empty for reads): authenticated with `Authorization: Bearer`
/// tokens from /api/v1/auth/login; the public sees published records only.
pub const MONITOR_ENDPOINTS: &[(&str, &str, &str, u8, &str)] = &[
    ("post", "/api/v1/auth/login", "Log in with {username, password}; returns a bearer token valid 8 hours", 0, r#"{"username": "seoul", "password": "..."}"#),
    ("post", "/api/v1/auth/logout", "Log out: revokes the bearer token of the request (204)", 0, ""),
    ("get", "/api/v1/projects", "Projects visible to the caller", 0, ""),
    ("get", "/api/v1/projects/{id}", "One project", 0, ""),
    ("put", "/api/v1/projects/{id}", "Change a project: the fields (`region` the lead region, `partner_regions` the others of a cooperation project, `organisation_type` the executing organisation's type, `partners` the partner organisations with type and region, which replace the stored list) and the `version` they were read at (409 if it changed since; 403 outside your region). Types: firm, university, research_institute, support_organisation, government, other", ADMIN | COUNCIL, r#"{"version": 1, "programme_id": 1, "title": "AI 반도체 실증 (예시)", "objective": "...", "region": "11", "partner_regions": [], "industry": "C26", "organisation": "서울테크노파크", "organisation_type": "support_organisation", "partners": [{"organisation": "서울 소재 대학 (예시)", "organisation_type": "university", "region": "11"}], "start_year": 2024, "end_year": 2026, "status": "published"}"#),
    ("post", "/api/v1/projects/{id}/evaluations", "Score a project: {kind: interim|final, scores: [[criterion, score, weight]]} (assigned evaluators and admins)", ADMIN | EVALUATOR, r#"{"kind": "interim", "scores": [["relevance", 80, 0.3], ["performance", 70, 0.5], ["management", 75, 0.2]]}"#),
    ("get", "/api/v1/indicators/{id}/values", "A KPI's baseline-target-actual values by period", 0, ""),
    ("post", "/api/v1/indicators/{id}/values", "Report a KPI: {period, target, actual, version (omit to create)}", ADMIN | COUNCIL, r#"{"period": 2026, "target": 120, "actual": 95}"#),
    ("get", "/api/v1/overlaps", "Overlapping projects (same region, industry, years; similar titles or objectives)", 0, ""),
    ("get", "/api/v1/audit", "The audit log: who changed what, when, before and after (admin)", 0, ""),
    ("post", "/api/v1/imports/projects", "Import projects: a JSON array of objects in the template's columns (programme_id, title, objective, region, industry, organisation, start_year, end_year, status, and optionally partner_regions separated by `;`, organisation_type, and partners as `name|type|region` separated by `;`); all stored or none, 400 `invalid-rows` lists every problem by row and field", ADMIN | COUNCIL, r#"[{"programme_id": 1, "title": "스마트공장 확산 (예시)", "objective": "...", "region": "11", "industry": "C", "organisation": "서울테크노파크", "start_year": 2025, "end_year": 2027, "status": "draft"}]"#),
    ("get", "/api/v1/plans", "Regional development plans visible to the caller (the public: approved ones)", 0, ""),
    ("post", "/api/v1/plans", "A new draft plan: {region, title, start_year, end_year, body} (the region's council members, admins)", ADMIN | COUNCIL, r#"{"region": "11", "title": "서울 지역혁신 계획 2026 (예시)", "start_year": 2026, "end_year": 2030, "body": "..."}"#),
    ("put", "/api/v1/plans/{id}", "Revise a draft or returned plan: the fields and the `version` read (409 if it changed)", ADMIN | COUNCIL, r#"{"version": 1, "region": "11", "title": "서울 지역혁신 계획 2026 (예시)", "start_year": 2026, "end_year": 2030, "body": "..."}"#),
    ("post", "/api/v1/plans/{id}/steps", "A review step: {action: submit|start_review|approve|return, comments (return), version}", ADMIN | COUNCIL, r#"{"action": "submit", "version": 1}"#),
    ("get", "/api/v1/conflicts", "The conflict log between plans and regions (staff)", 0, ""),
    ("post", "/api/v1/conflicts", "Log a conflict: {plan_id, other_region, subject}", ADMIN | COUNCIL, r#"{"plan_id": 1, "other_region": "21", "subject": "수소 산업 중복 (예시)"}"#),
    ("post", "/api/v1/conflicts/{id}/resolution", "Settle a conflict: {resolution, version}", ADMIN | COUNCIL, r#"{"resolution": "역할 분담 합의 (예시)", "version": 1}"#),
    ("get", "/api/v1/evaluations", "Evaluations visible to the caller (scores, total, grade) and the impact estimates attached to them", 0, ""),
    ("post", "/api/v1/evaluations/{id}/estimates", "Attach an impact estimate to an evaluation: {method: cs|did|sc|sdid, outcome, att, std_error, ci_low, ci_high, pre_fit, data_version, query: /evaluate?...} (admins and the evaluators assigned to its project)", ADMIN | EVALUATOR, r#"{"method": "sdid", "outcome": "grdp_nominal C per population", "att": -0.31, "std_error": 2.23, "ci_low": -4.68, "ci_high": 4.06, "data_version": "grdp_nominal: KOSIS", "query": "/evaluate?method=sdid&measure=grdp_nominal&industry=C&per=population&treated=38%3D2005"}"#),
    ("get", "/api/v1/projects/{id}/indicators", "The project's indicators (name, unit, baseline) with their values by period", 0, ""),
    ("get", "/api/v1/projects/{id}/results", "The project's results framework: results (level output|outcome|impact, title, description) with the ids of the indicators measuring them", 0, ""),
    ("post", "/api/v1/projects/{id}/results", "Add a result: {level: output|outcome|impact, title, description}", ADMIN | COUNCIL, r#"{"level": "output", "title": "시제품 제작 (예시)", "description": "..."}"#),
    ("post", "/api/v1/results/{id}/indicators", "Put an indicator of the same project under a result: {indicator_id}", ADMIN | COUNCIL, r#"{"indicator_id": 1}"#),
    ("get", "/api/v1/projects/{id}/milestones", "Milestones by due date, each with `status` today: planned, overdue, done or done_late", 0, ""),
    ("post", "/api/v1/projects/{id}/milestones", "Add a milestone: {title, due_on: YYYY-MM-DD}", ADMIN | COUNCIL, r#"{"title": "중간 점검 (예시)", "due_on": "2026-06-30"}"#),
    ("post", "/api/v1/milestones/{id}/completion", "Complete a milestone: {completed_on: YYYY-MM-DD or null to re-open, version}", ADMIN | COUNCIL, r#"{"completed_on": "2026-01-10", "version": 1}"#),
    ("get", "/api/v1/indicators/{id}/regions", "A KPI's values disaggregated by region (regions inside the project's region), by period", 0, ""),
    ("post", "/api/v1/indicators/{id}/regions", "Report a KPI for one region: {period, region, target, actual, version (omit to create)}", ADMIN | COUNCIL, r#"{"period": 2026, "region": "11010", "target": 10, "actual": 8}"#),
    ("post", "/api/v1/imports/kpi", "Import KPI reports: a JSON array of {indicator_id, period, target, actual, version}; all stored or none (409 if a version is stale)", ADMIN | COUNCIL, r#"[{"indicator_id": 1, "period": 2026, "target": 120, "actual": 95}]"#),
];

/// The OpenAPI document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for (method, path, summary, roles, example) in MONITOR_ENDPOINTS {
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[*method] = json!({"x-regis-roles": crate::guard::role_names(*roles),"summary": summary, "security": [{"bearer": []}], "responses": {
            "200": {"description": "OK"}, "400": {"description": "Invalid input (names the field) or malformed body"},
            "401": {"description": "Unknown or expired token (writes: before the body is read)"}, "403": {"description": "Not permitted for your role or region"},
            "413": {"description": "Body over 64 KiB"}, "429": {"description": "Login throttled after repeated failures (Retry-After)"}, "503": {"description": "Busy (Retry-After)"},
            "404": {"description": "Not found or not visible"}, "409": {"description": "Edit conflict: reload and retry"}}});
        if !example.is_empty() {
            let example: Value = serde_json::from_str(example).expect("example bodies are JSON");
            entry[*method]["requestBody"] =
                json!({"content": {"application/json": {"example": example}}});
        }
    }
    // regis network on uploaded files.
    let mut props = Map::new();
    for f in crate::network_api::FILE_FIELDS {
        props.insert(f.to_string(), json!({"type": "string", "format": "binary"}));
    }
    for f in crate::network_api::TEXT_FIELDS {
        props.insert(f.to_string(), json!({"type": "string"}));
    }
    paths.insert(
        "/api/v1/network/{question}".into(),
        json!({"post": {
            // A computation on the request's own files: it writes nothing and needs no login.
            "x-regis-writes": false,
            "summary": "regis network on uploaded files: question summary, centrality, brokerage, core, triple-helix, regions or weak; the ties as the file `edges` (or the projects' participants as `participation`), optionally `actors`, and the CLI's options as text fields (source_col, type_col, by, draws...); the JSON is the CLI's",
            "parameters": [{"name": "question", "in": "path", "required": true, "description": "summary, centrality, brokerage, core, triple-helix, regions or weak", "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"type": "object", "properties": props}}}},
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {}}},
                "400": {"description": "Malformed file (names the file, line and field), unknown field or bad option", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "404": {"description": "Unknown question", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "413": {"description": "Body over 4 MiB, or more work than one request may ask (run the CLI)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }}}),
    );
    let options: Vec<Value> = crate::network_api::QUERY_FIELDS
        .iter()
        .map(|n| json!({"name": n, "in": "query", "required": false, "description": "the option of the CLI's flag of the same name (by: a column, type or region; draws, seed, starts: whole numbers; university, industry, government: comma-separated types)", "schema": {"type": "string"}}))
        .collect();
    let mut get_params = vec![
        json!({"name": "question", "in": "path", "required": true, "description": "summary, centrality, brokerage, core, triple-helix, regions or weak", "schema": {"type": "string"}}),
    ];
    get_params.extend(options);
    paths["/api/v1/network/{question}"]["get"] = json!({
    "summary": "regis network --from-monitoring: the question on the cooperation network of the monitored projects (executing and partner organisations, columns type, region and projects); as the caller may see them (a bearer token's user, else the public: published projects only); the JSON is the CLI's",
    "security": [{}, {"bearer": []}],
    "parameters": get_params,
    "responses": {
        "200": {"description": "OK", "content": {"application/json": {}}},
        "400": {"description": "Unknown parameter or bad option", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "401": {"description": "Unknown or expired token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "404": {"description": "Unknown question, or no monitoring store", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "413": {"description": "More work than one request may ask (run the CLI)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    }});
    for e in ENDPOINTS {
        let mut params: Vec<Value> = e.path_params.iter().map(|(n, d)| json!({"name": n, "in": "path", "required": true, "description": d, "schema": {"type": "string"}})).collect();
        params.extend(e.query.iter().map(|(n, r, d)| json!({"name": n, "in": "query", "required": r, "description": d, "schema": {"type": "string"}})));
        paths.insert(
            e.path.to_string(),
            json!({"get": {"summary": e.summary, "parameters": params, "responses": {
                "200": {"description": "OK", "content": {e.produces: {}}},
                "400": {"description": "Bad parameter (unknown parameter, malformed query, period out of range...)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "404": {"description": "Unknown measure, region or industry", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }}}),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Regis API", "version": env!("CARGO_PKG_VERSION"), "description": "Regional industry, imbalance and cluster-policy evidence. Data: Statistics Korea (KOSIS, SGIS), KOGL type 1."},
        "paths": paths,
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": {"Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {"status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"}}}}}}}
    })
}
