//! The JSON API under /api/v1, with the same authorization as the pages,
//! described by an OpenAPI document at /api/v1/openapi.json and browsable at
//! /api/docs/. Unsafe methods need the session's CSRF token in the
//! `X-CSRF-Token` header and accept an `Idempotency-Key` header.

use super::auth::{Auth, Here, PageLang, Viewer};
use super::forms::same_token;
use super::pages::public::cached_as;
use super::Shared;
use crate::error::{AppError, AppResult};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use danchu_domain::accounts::Action;
use danchu_domain::units::{Era, Level};
use danchu_domain::{text, Lang, Msg};
use danchu_store::units::{self, UnitWithStats};
use danchu_store::{households, idempotency};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_swagger_ui::SwaggerUi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "danchu API",
        version = "1",
        description = "Nền tảng dân chủ ở cơ sở — grassroots democracy platform. Errors are `{\"error\": {\"code\", \"message\", \"details\", \"fields\"}}` with the message in the request's language (Vietnamese by default)."
    ),
    paths(
        list_units,
        get_unit,
        list_communes,
        list_households,
        me,
        create_village,
        super::pages::inforequests::api_get,
        super::api_disclosures::list,
        super::api_disclosures::search,
        super::api_disclosures::compliance,
        super::api_decisions::result,
        super::api_decisions::voting_token,
        super::api_decisions::vote
    ),
    components(schemas(
        UnitDto,
        UnitList,
        HouseholdDto,
        HouseholdList,
        MeDto,
        GrantDto,
        NewVillage,
        ErrorBody,
        ErrorDetail,
        super::api_disclosures::DisclosureDto,
        super::api_disclosures::DisclosureList,
        super::api_disclosures::ComplianceDto,
        super::api_disclosures::ComplianceList,
        super::api_decisions::DecisionResultDto,
        super::api_decisions::VillageResultDto,
        super::api_decisions::CommuneResultDto,
        super::api_decisions::VotingTokenRequest,
        super::api_decisions::VotingTokenDto,
        super::api_decisions::VoteRequest,
        super::api_decisions::ReceiptDto
    ))
)]
pub struct ApiDoc;

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/api/v1/units", get(list_units))
        .route("/api/v1/units/{code}", get(get_unit))
        .route("/api/v1/units/{code}/villages", post(create_village))
        .route("/api/v1/communes", get(list_communes))
        .route("/api/v1/villages/{code}/households", get(list_households))
        .route("/api/v1/me", get(me))
        .route("/api/v1/info-requests/{code}", get(super::pages::inforequests::api_get))
        .route("/api/v1/units/{code}/disclosures", get(super::api_disclosures::list))
        .route("/api/v1/units/{code}/compliance", get(super::api_disclosures::compliance))
        .route("/api/v1/disclosures/search", get(super::api_disclosures::search))
        .merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", ApiDoc::openapi()))
}

/// A unit with its roll-up counts.
#[derive(Serialize, ToSchema)]
pub struct UnitDto {
    /// Code, unique within the era ("14758", "14758.001").
    pub code: String,
    pub name: String,
    pub short_name: String,
    /// province, xa, phuong, thon, to_dan_pho, agency, …
    pub kind: String,
    /// The kind in the request's language.
    pub kind_label: String,
    /// "current" (since 1 July 2025) or "pre2025".
    pub era: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub villages: i64,
    pub households: i64,
    pub people: i64,
    pub is_demo: bool,
    /// Public page of the unit.
    pub url: String,
}

fn dto(lang: Lang, u: UnitWithStats) -> UnitDto {
    UnitDto {
        url: format!("/units/{}", u.unit.code),
        code: u.unit.code,
        name: u.unit.name,
        short_name: u.unit.short_name,
        kind: u.unit.kind.as_str().into(),
        kind_label: u.unit.kind.label().get(lang).into(),
        era: u.unit.era.as_str().into(),
        valid_from: u.unit.valid_from,
        valid_to: u.unit.valid_to,
        villages: u.stats.villages,
        households: u.stats.households,
        people: u.stats.people,
        is_demo: u.unit.is_demo,
    }
}

#[derive(Serialize, ToSchema)]
pub struct UnitList {
    pub parent: Option<UnitDto>,
    pub count: usize,
    pub units: Vec<UnitDto>,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    pub details: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Deserialize, IntoParams)]
pub struct UnitsQuery {
    /// Code of the parent unit ("38" = Tỉnh Thanh Hóa). Omitted: the province.
    parent: Option<String>,
    /// "current" (default) or "pre2025".
    era: Option<String>,
    /// Only children of this level: commune, village, organisation.
    level: Option<String>,
}

fn parse_era(e: Option<&str>) -> AppResult<Era> {
    match e {
        None => Ok(Era::Current),
        Some(s) => Era::parse(s)
            .ok_or_else(|| AppError::validation("era", Msg::new("era phải là current hoặc pre2025.", "era must be current or pre2025."))),
    }
}

/// Children of a unit.
#[utoipa::path(get, path = "/api/v1/units", params(UnitsQuery),
    responses((status = 200, body = UnitList), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_units(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
    Query(q): Query<UnitsQuery>,
) -> AppResult<Response> {
    let st = state.clone();
    cached_as(&state, &viewer, lang, &here, &headers, JSON, || async move { json(&list_units_body(&st, lang, q).await?) }).await
}

const JSON: &str = "application/json";

fn json<T: Serialize>(v: &T) -> AppResult<String> {
    serde_json::to_string(v).map_err(AppError::internal)
}

async fn list_units_body(state: &Shared, lang: Lang, q: UnitsQuery) -> AppResult<UnitList> {
    let era = parse_era(q.era.as_deref())?;
    let code = q.parent.unwrap_or_else(|| super::PROVINCE_CODE.to_string());
    let p = units::by_code_with_stats(&state.ctx.store, era, &code).await?.ok_or(AppError::NotFound)?;
    let level = match q.level.as_deref() {
        None => None,
        Some("commune") => Some(Level::Commune),
        Some("village") => Some(Level::Village),
        Some("organisation") => Some(Level::Organisation),
        Some("district") => Some(Level::District),
        Some(_) => return Err(AppError::validation("level", Msg::new("level không hợp lệ.", "level is not valid."))),
    };
    let children: Vec<UnitDto> = units::children(&state.ctx.store, p.unit.id)
        .await?
        .into_iter()
        .filter(|c| level.is_none_or(|l| c.unit.kind.level() == l))
        .map(|c| dto(lang, c))
        .collect();
    Ok(UnitList { parent: Some(dto(lang, p)), count: children.len(), units: children })
}

/// One unit by code.
#[utoipa::path(get, path = "/api/v1/units/{code}", params(("code" = String, Path, description = "Unit code"), ("era" = Option<String>, Query, description = "current or pre2025")),
    responses((status = 200, body = UnitDto), (status = 404, body = ErrorBody)))]
pub async fn get_unit(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<UnitsQuery>,
) -> AppResult<Response> {
    let st = state.clone();
    cached_as(&state, &viewer, lang, &here, &headers, JSON, || async move {
        let era = parse_era(q.era.as_deref())?;
        let u = units::by_code_with_stats(&st.ctx.store, era, &code).await?.ok_or(AppError::NotFound)?;
        json(&dto(lang, u))
    })
    .await
}

#[derive(Deserialize, IntoParams)]
pub struct SearchQuery {
    /// Part of the name, with or without diacritics ("hac thanh").
    #[serde(default)]
    q: String,
}

/// Search the province's communes and wards by name (diacritic-insensitive).
#[utoipa::path(get, path = "/api/v1/communes", params(SearchQuery), responses((status = 200, body = UnitList)))]
pub async fn list_communes(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
    Query(q): Query<SearchQuery>,
) -> AppResult<Response> {
    let st = state.clone();
    cached_as(&state, &viewer, lang, &here, &headers, JSON, || async move {
        let folded = text::fold(&q.q.chars().take(100).collect::<String>());
        let list: Vec<UnitDto> =
            units::search_communes(&st.ctx.store, st.province.id, &folded).await?.into_iter().map(|u| dto(lang, u)).collect();
        json(&UnitList { parent: None, count: list.len(), units: list })
    })
    .await
}

/// A household without personal identifiers.
#[derive(Serialize, ToSchema)]
pub struct HouseholdDto {
    pub id: i64,
    pub code: String,
    pub address: String,
    pub representative: Option<String>,
    pub members: i64,
    pub valid_from: String,
}

#[derive(Serialize, ToSchema)]
pub struct HouseholdList {
    pub village: String,
    /// Households in force today (the figure thresholds use).
    pub count_today: i64,
    pub page: i64,
    pub households: Vec<HouseholdDto>,
}

#[derive(Deserialize, IntoParams)]
pub struct PageQuery {
    /// 1-based page of 100.
    page: Option<i64>,
}

/// Households of a village (needs a role that may see the registry there).
#[utoipa::path(get, path = "/api/v1/villages/{code}/households", params(("code" = String, Path, description = "Village code"), PageQuery),
    responses((status = 200, body = HouseholdList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_households(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path(code): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<HouseholdList>> {
    let v = units::by_code(&state.ctx.store, Era::Current, &code).await?.ok_or(AppError::NotFound)?;
    s.require(Action::ViewHouseholds, &v)?;
    if v.kind.level() != Level::Village {
        return Err(AppError::NotFound);
    }
    let page = q.page.unwrap_or(1).clamp(1, 1_000_000);
    let rows = households::list_by_village(&state.ctx.store, v.id, (page - 1) * 100, 100).await?;
    let today = super::chrome::today_vn().to_string();
    let count_today = households::count_at(&state.ctx.store, v.id, &today).await?;
    Ok(Json(HouseholdList {
        village: v.name,
        count_today,
        page,
        households: rows
            .into_iter()
            .map(|r| HouseholdDto {
                id: r.id,
                code: r.code,
                address: r.address,
                representative: r.representative,
                members: r.members,
                valid_from: r.valid_from,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct GrantDto {
    pub role: String,
    pub role_label: String,
    pub unit_code: Option<String>,
    pub unit_name: String,
}

#[derive(Serialize, ToSchema)]
pub struct MeDto {
    pub username: String,
    pub full_name: String,
    /// Send this in `X-CSRF-Token` with every POST.
    pub csrf_token: String,
    pub grants: Vec<GrantDto>,
}

/// The signed-in user, their roles and the CSRF token for writes.
#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = MeDto), (status = 401, body = ErrorBody)))]
pub async fn me(PageLang(lang): PageLang, Auth(s): Auth) -> Json<MeDto> {
    Json(MeDto {
        username: s.user.username.clone(),
        full_name: s.user.full_name.clone(),
        csrf_token: s.csrf.clone(),
        grants: s
            .grants
            .iter()
            .map(|g| GrantDto {
                role: g.role.as_str().into(),
                role_label: g.role.label().get(lang).into(),
                unit_code: None,
                unit_name: g.unit_name.clone(),
            })
            .collect(),
    })
}

#[derive(Deserialize, ToSchema)]
pub struct NewVillage {
    /// The village's name, with or without "Thôn"/"Tổ dân phố".
    pub name: String,
}

/// Create a village in a commune (commune officials). Idempotent with an
/// `Idempotency-Key` header.
#[utoipa::path(post, path = "/api/v1/units/{code}/villages", request_body = NewVillage,
    params(("code" = String, Path, description = "Commune code"), ("X-CSRF-Token" = String, Header, description = "From GET /api/v1/me"), ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key")),
    responses((status = 201, body = UnitDto), (status = 200, body = UnitDto, description = "Replay of an earlier request with the same key"), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_village(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    viewer: Viewer,
    headers: HeaderMap,
    Path(code): Path<String>,
    body: Result<Json<NewVillage>, axum::extract::rejection::JsonRejection>,
) -> AppResult<Response> {
    let s = viewer.0.ok_or(AppError::Unauthenticated)?;
    if s.user.must_change_password {
        return Err(AppError::Forbidden);
    }
    let token = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
    if !same_token(&s.csrf, token) {
        return Err(AppError::Csrf);
    }
    let Json(body) =
        body.map_err(|e| AppError::BadRequest(Msg::new(format!("Dữ liệu JSON không hợp lệ: {e}"), format!("Invalid JSON body: {e}"))))?;
    let commune = units::by_code(&state.ctx.store, Era::Current, &code).await?.ok_or(AppError::NotFound)?;
    let grant = s.require(Action::ManageVillages, &commune)?.clone();
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(|k| format!("api:{}:{k}", s.user.id));
    if let Some(k) = &key {
        if let Some(out) = idempotency::lookup(&state.ctx.store, k).await? {
            let id: i64 = out.parse().map_err(AppError::internal)?;
            return Ok((StatusCode::OK, Json(dto(lang, units::get_with_stats(&state.ctx.store, id).await?))).into_response());
        }
    }
    let v = match super::pages::admin::check_new_village(&state, &commune, &body.name).await? {
        Ok(v) => v,
        Err(super::pages::admin::VillageProblem::Taken(m)) => return Err(AppError::Conflict(m)),
        Err(super::pages::admin::VillageProblem::Invalid(m)) => return Err(AppError::validation("name", m)),
    };
    let mut tx = state.ctx.store.write().await?;
    let v = super::pages::admin::write_village(&mut tx, &s, grant.role.as_str(), &commune, &v, "api").await?;
    if let Some(k) = &key {
        if let Err(e) = idempotency::record(&mut tx, k, Some(s.user.id), &v.id.to_string()).await {
            drop(tx);
            return match e {
                danchu_store::StoreError::Conflict(_) => {
                    let out = idempotency::lookup(&state.ctx.store, k).await?.ok_or(AppError::internal("lost idempotency key"))?;
                    let id: i64 = out.parse().map_err(AppError::internal)?;
                    Ok((StatusCode::OK, Json(dto(lang, units::get_with_stats(&state.ctx.store, id).await?))).into_response())
                }
                e => Err(e.into()),
            };
        }
    }
    tx.commit().await.map_err(danchu_store::StoreError::from)?;
    state.public_changed();
    Ok((StatusCode::CREATED, Json(dto(lang, units::get_with_stats(&state.ctx.store, v.id).await?))).into_response())
}
