//! Community decisions in the JSON API: a decision's result (public), and
//! online voting for API clients (a village's own app, a kiosk).
//!
//! Voting is authenticated like the vote page: the representative proves
//! membership of a household of the decision's village(s) with a citizen ID
//! and a birth date (`POST /api/v1/decisions/{id}/voting-token`, 10 failures
//! per address and hour) and gets a voting token bound to that household for
//! this decision; the database keeps only its hash. A vote carries the
//! token as `Authorization: Bearer <token>` and an `Idempotency-Key`: the
//! same key gives back the same receipt, another key of the same household
//! is refused (409). No CSRF token is needed: the token is never sent by a
//! browser on its own (it is not a cookie).

use super::auth::{client_ip, Here, PageLang, Viewer};
use super::pages::decisions::{check_verify_limit, no_match_msg, parse_vote_choice, record_verify_failure};
use super::pages::public::cached_as;
use super::Shared;
use crate::decision::{self as svc, BindRefusal, DecisionResult};
use crate::error::{AppError, AppResult};
use crate::keys::random_token;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use danchu_domain::cccd::Cccd;
use danchu_domain::decision::{Outcome, Subject};
use danchu_domain::Msg;
use danchu_store::decisions as ds;
use danchu_store::now_ms;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/api/v1/decisions/{id}/result", get(result))
        .route("/api/v1/decisions/{id}/voting-token", post(voting_token))
        .route("/api/v1/decisions/{id}/votes", post(vote))
}

const JSON: &str = "application/json";

/// A village's figures.
#[derive(Serialize, ToSchema)]
pub struct VillageResultDto {
    pub village_id: i64,
    pub village_name: String,
    /// Households on the decision date (the base, C0.4).
    pub households: u64,
    pub voted: u64,
    pub agree: u64,
    pub disagree: u64,
    pub other: u64,
    pub invalid: u64,
    /// Households agreeing needed to pass.
    pub required: u64,
    pub passed: bool,
}

/// A commune-wide aggregation (R2.15).
#[derive(Serialize, ToSchema)]
pub struct CommuneResultDto {
    pub villages: u64,
    pub passed_villages: u64,
    pub required: u64,
    pub passed: bool,
}

/// A decision's result: live from the counters while open, frozen after.
#[derive(Serialize, ToSchema)]
pub struct DecisionResultDto {
    pub id: i64,
    pub title: String,
    pub question: String,
    /// draft, open, closed, decided, failed, sent, recognised, refused, annulled.
    pub status: String,
    /// meeting, household_ballot, online_vote.
    pub form: String,
    pub secret: bool,
    /// village or commune.
    pub scope: String,
    pub decision_date: String,
    /// The rule in words ("trên 50%", "ít nhất 2/3") of all households.
    pub threshold: String,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    /// True once closed: the figures no longer move.
    pub frozen: bool,
    pub passed: Option<bool>,
    pub villages: Vec<VillageResultDto>,
    pub commune: Option<CommuneResultDto>,
    /// The public page.
    pub url: String,
}

fn village_dto(o: &Outcome, names: &BTreeMap<i64, String>) -> VillageResultDto {
    VillageResultDto {
        village_id: o.village.0,
        village_name: names.get(&o.village.0).cloned().unwrap_or_default(),
        households: o.households,
        voted: o.voted,
        agree: o.agree,
        disagree: o.disagree,
        other: o.other,
        invalid: o.invalid,
        required: o.required,
        passed: o.passed,
    }
}

/// A decision's result (public; cached for anonymous clients once frozen).
#[utoipa::path(get, path = "/api/v1/decisions/{id}/result", params(("id" = i64, Path, description = "Decision id")),
    responses((status = 200, body = DecisionResultDto), (status = 404, body = super::api::ErrorBody)))]
pub async fn result(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let d = svc::load(&state.ctx, id).await?;
    let frozen = d.result.is_some();
    let st = state.clone();
    let build = move || async move {
        let names: BTreeMap<i64, String> =
            ds::village_results(&st.ctx.store, id).await?.into_iter().map(|v| (v.village_id, v.village_name)).collect();
        let r = svc::tally(&st.ctx, id).await.ok();
        let (villages, commune) = match &r {
            Some(DecisionResult::Village(o)) => (vec![village_dto(o, &names)], None),
            Some(DecisionResult::Commune { villages, commune }) => (
                villages.iter().map(|o| village_dto(o, &names)).collect(),
                Some(CommuneResultDto {
                    villages: commune.villages,
                    passed_villages: commune.passed_villages,
                    required: commune.required,
                    passed: commune.passed,
                }),
            ),
            None => (vec![], None),
        };
        let threshold = u8::try_from(d.subject)
            .ok()
            .and_then(Subject::from_number)
            .map(|s| s.threshold().describe().get(lang).to_string())
            .unwrap_or_default();
        let dto = DecisionResultDto {
            id: d.id,
            title: d.title,
            question: d.question,
            status: d.status,
            form: d.form,
            secret: d.secret,
            scope: d.scope,
            decision_date: d.decision_date,
            threshold,
            opens_at: d.opens_at,
            closes_at: d.closes_at,
            frozen,
            passed: r.as_ref().map(|r| r.passed()),
            villages,
            commune,
            url: format!("/decisions/{id}"),
        };
        serde_json::to_string(&dto).map_err(AppError::internal)
    };
    if frozen {
        cached_as(&state, &viewer, lang, &here, &headers, JSON, build).await
    } else {
        let mut r = ([(axum::http::header::CONTENT_TYPE, JSON)], build().await?).into_response();
        r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
        Ok(r)
    }
}

/// The registry check of a household representative.
#[derive(Deserialize, ToSchema)]
pub struct VotingTokenRequest {
    /// Citizen ID number (12 digits) of a member of the household; matched
    /// as a keyed hash, never stored.
    pub cccd: String,
    /// Birth date, dd/mm/yyyy or yyyy-mm-dd.
    pub birth: String,
}

/// A voting token, bound to one household for one decision.
#[derive(Serialize, ToSchema)]
pub struct VotingTokenDto {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub village_id: i64,
    /// Epoch milliseconds.
    pub expires_at: i64,
}

fn bad_json(e: impl std::fmt::Display) -> AppError {
    AppError::BadRequest(Msg::new(format!("Dữ liệu JSON không hợp lệ: {e}"), format!("Invalid JSON body: {e}")))
}

/// Get a voting token: proves membership of a household of the decision's
/// village(s) on the decision date (R2.14).
#[utoipa::path(post, path = "/api/v1/decisions/{id}/voting-token", request_body = VotingTokenRequest,
    params(("id" = i64, Path, description = "Decision id")),
    responses((status = 201, body = VotingTokenDto), (status = 403, body = super::api::ErrorBody, description = "The household is not on the village's list on the decision date"),
        (status = 409, body = super::api::ErrorBody, description = "Voting is not open"), (status = 422, body = super::api::ErrorBody), (status = 429, body = super::api::ErrorBody)))]
pub async fn voting_token(
    State(state): State<Shared>,
    parts: Parts,
    Path(id): Path<i64>,
    body: Result<Json<VotingTokenRequest>, axum::extract::rejection::JsonRejection>,
) -> AppResult<Response> {
    let Json(body) = body.map_err(bad_json)?;
    let d = svc::load(&state.ctx, id).await?;
    let now = now_ms();
    if let Some(m) = svc::vote_refusal(&d, now) {
        return Err(AppError::Conflict(m));
    }
    let ip = format!("verify:{}", client_ip(&parts, state.ctx.cfg.trust_forwarded_for));
    check_verify_limit(&state, &ip).await?;
    let cccd = Cccd::parse(&body.cccd).map_err(|e| AppError::validation("cccd", e.msg()))?;
    let birth = danchu_domain::people::parse_date(&body.birth).map_err(|m| AppError::validation("birth", m))?;
    let token = random_token(32);
    let hash = cccd.keyed_hash(&state.ctx.keys.cccd());
    match svc::bind_household(&state.ctx, &d, &hash, &birth.format("%Y-%m-%d").to_string(), &token, now).await? {
        Ok((_, village_id)) => {
            let dto = VotingTokenDto { token, village_id, expires_at: now + svc::VOTING_KEY_TTL_MS };
            Ok((StatusCode::CREATED, Json(dto)).into_response())
        }
        Err(BindRefusal::NoMatch) => {
            record_verify_failure(&state, id, &ip).await?;
            Err(AppError::validation("cccd", no_match_msg()))
        }
        Err(BindRefusal::NotInVillage(m)) => Err(AppError::BadRequest(m)),
    }
}

/// An online vote.
#[derive(Deserialize, ToSchema)]
pub struct VoteRequest {
    /// agree, disagree or other.
    pub choice: String,
}

/// The answer to an accepted vote.
#[derive(Serialize, ToSchema)]
pub struct ReceiptDto {
    /// The receipt code: check with the receipt page that the ballot was
    /// counted. Shown only here (and again on a retry with the same key).
    pub receipt: String,
    /// True when this repeats an earlier request with the same key.
    pub replayed: bool,
}

/// The bearer token of a request, if well formed.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Cast the household's online vote (R2.14), once. Acknowledged only once
/// durable. Same `Idempotency-Key`: the same receipt (200); a second vote of
/// the household: 409 with the legal reason.
#[utoipa::path(post, path = "/api/v1/decisions/{id}/votes", request_body = VoteRequest,
    params(("id" = i64, Path, description = "Decision id"), ("Authorization" = String, Header, description = "Bearer <voting token>"),
        ("Idempotency-Key" = String, Header, description = "At least 16 random characters; a retry with the same key returns the same receipt")),
    responses((status = 201, body = ReceiptDto), (status = 200, body = ReceiptDto, description = "Replay of an earlier request with the same key"),
        (status = 401, body = super::api::ErrorBody), (status = 409, body = super::api::ErrorBody, description = "Already voted, not open or closed"),
        (status = 422, body = super::api::ErrorBody)))]
pub async fn vote(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Result<Json<VoteRequest>, axum::extract::rejection::JsonRejection>,
) -> AppResult<Response> {
    let now = now_ms();
    let token = bearer(&headers).ok_or(AppError::Unauthenticated)?;
    let k = svc::voter_of(&state.ctx, id, token, now).await?.ok_or(AppError::Unauthenticated)?;
    let Json(body) = body.map_err(bad_json)?;
    let choice = parse_vote_choice(&body.choice)?;
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or("");
    if key.is_empty() {
        return Err(AppError::validation(
            "Idempotency-Key",
            Msg::new(
                "Cần tiêu đề Idempotency-Key (ít nhất 16 ký tự ngẫu nhiên).",
                "An Idempotency-Key header (16+ random characters) is needed.",
            ),
        ));
    }
    let r = svc::cast_online_vote(&state.ctx, id, k.household_id, choice, key, now).await?;
    let status = if r.replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(ReceiptDto { receipt: r.code, replayed: r.replayed })).into_response())
}
