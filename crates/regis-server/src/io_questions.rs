//! The API twins of `regis io` on the built-in Bank of Korea 2020 table (a file a client names
//! is never read): multipliers, linkages and key sectors, a sector's value chain, a
//! province's regionalised multipliers, the FLQ calibration. The JSON is the CLI's.

use axum::extract::{RawQuery, State};
use axum::Json;
use regis_app::io::MultipliersRequest;
use regis_app::io_region::{IoSource, RegionaliseRequest};
use regis_data::korea::io::IoLevel;
use serde_json::Value;

use crate::error::{shown, AppError};
use crate::params::Params;
use crate::questions::{flag, json_of, real};
use crate::AppState;

type ApiResult<T> = Result<T, AppError>;

/// The table level of `sectors` (33, 83 or 165; default `default`).
pub(crate) fn io_level(p: &Params, default: IoLevel) -> ApiResult<IoLevel> {
    // Only the canonical spellings: the page is cached per address.
    match p.get("sectors") {
        None | Some("") => Ok(default),
        Some(v) => ["33", "83", "165"]
            .contains(&v)
            .then(|| v.parse::<usize>().ok().and_then(IoLevel::from_sectors))
            .flatten()
            .ok_or_else(|| {
                AppError::bad(
                    "bad-parameter",
                    format!(
                        "parameter `sectors` must be 33, 83 or 165 (the table's levels), not `{}`",
                        shown(v)
                    ),
                )
            }),
    }
}

/// GET /api/v1/io/multipliers — `regis io multipliers` on the built-in table.
pub async fn multipliers(RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    let p = Params::parse(q.as_deref(), &["sectors", "household_closure", "lang"])?;
    let mut r = MultipliersRequest::builtin(io_level(&p, IoLevel::Sectors33)?);
    r.household_closure = flag(&p, "household_closure")?;
    json_of(&regis_app::io::multipliers(&r)?)
}

/// GET /api/v1/io/linkages — `regis io linkages` on the built-in table.
pub async fn linkages(RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    let p = Params::parse(q.as_deref(), &["sectors", "lang"])?;
    let r = MultipliersRequest::builtin(io_level(&p, IoLevel::Sectors33)?);
    json_of(&regis_app::io::linkages(&r)?)
}

/// GET /api/v1/io/chain — a sector's largest suppliers and customers in the built-in table.
pub async fn chain(RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    let p = Params::parse(q.as_deref(), &["sectors", "sector", "top", "lang"])?;
    let r = MultipliersRequest::builtin(io_level(&p, IoLevel::Sectors33)?);
    let sector = p.get("sector").ok_or_else(|| {
        AppError::bad(
            "missing-parameter",
            "parameter `sector` is required (a sector code)",
        )
    })?;
    let top = p.int("top")?.unwrap_or(5).clamp(1, 165) as usize;
    json_of(&regis_app::io::sector_chain(&r, sector, top)?)
}

/// GET /api/v1/io/regionalise — `regis io regionalise` on the built-in table.
pub async fn regionalise(
    State(_s): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    let p = Params::parse(q.as_deref(), &["region", "quotient", "delta", "lang"])?;
    let region = p.get("region").ok_or_else(|| {
        AppError::bad(
            "missing-parameter",
            "parameter `region` is required (a province code or name)",
        )
    })?;
    let r = RegionaliseRequest {
        source: IoSource::Builtin,
        region: region.to_string(),
        quotient: regis_app::io_region::quotient(p.or("quotient", "flq"), real(&p, "delta", 0.3)?)?,
        balance: false,
    };
    json_of(&regis_app::io_region::regionalise(&r)?)
}

/// GET /api/v1/io/calibration — `regis io regionalise --calibrate`.
pub async fn calibration(RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    Params::parse(q.as_deref(), &["lang"])?;
    json_of(&regis_app::io_region::calibrate()?)
}
