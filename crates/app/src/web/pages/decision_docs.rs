//! Community decisions (Dân quyết), the officials' documents: downloads of
//! the written decision (R2.16) and the count minutes (Mẫu 02, Mẫu 04) as
//! PDF or DOCX, the printable household ballots of a village (R2.13), and
//! the publication of the result as a disclosure item (R2.21).
//!
//! Who may do what, checked here on the server against the decision's
//! commune (a grant at the commune or above it):
//! - read the documents: the commune's officials and chair, the Fatherland
//!   Front officer (for reading: the Front receives the decision, R2.17,
//!   and supervises, R2.21), system administrators;
//! - print ballots (which marks them printed) and publish: who may publish
//!   the commune's disclosures (`Action::PublishDisclosures`).
//!
//! Anyone else gets 403; an unknown decision 404.

use super::admin::entry;
use crate::decision_docs::{self as svc, DocKind};
use crate::error::{AppError, AppResult};
use crate::web::auth::{Auth, Session};
use crate::web::chrome::today_vn;
use crate::web::forms::{commit_once, replayed, CsrfForm};
use crate::web::Shared;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use danchu_domain::accounts::{Action, Role};
use danchu_domain::Msg;
use danchu_store::decision_docs as dd;
use danchu_store::decisions as ds;
use danchu_store::units::Unit;
use danchu_store::{audit, now_ms};

/// The routes of this module (merged in `web/routes.rs`).
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/admin/decisions/{id}/documents/{kind}", get(document))
        .route("/admin/decisions/{id}/villages/{village}/ballots.pdf", get(ballots))
        .route("/admin/decisions/{id}/publish", post(publish))
}

/// The role under which the user reads the documents of `commune`'s
/// decisions: an official, the chair, the Front officer or an
/// administrator holding a grant at the commune or above. 403 otherwise.
fn reader(s: &Session, commune: &Unit) -> AppResult<Role> {
    s.grants
        .iter()
        .find(|g| {
            commune.path.starts_with(&g.unit_path)
                && matches!(g.role, Role::CommuneOfficial | Role::CommuneChair | Role::CommuneFrontOfficer | Role::SystemAdmin)
        })
        .map(|g| g.role)
        .ok_or(AppError::Forbidden)
}

/// The role under which the user prints ballots and publishes (403 otherwise).
fn writer(s: &Session, commune: &Unit) -> AppResult<Role> {
    Ok(s.require(Action::PublishDisclosures, commune)?.role)
}

fn file(bytes: Vec<u8>, mime: &'static str, name: &str) -> AppResult<Response> {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).map_err(AppError::internal)?);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    Ok(r)
}

#[derive(serde::Deserialize, Default)]
pub struct VillageQuery {
    #[serde(default)]
    village: Option<String>,
}

/// `GET /admin/decisions/{id}/documents/{kind}`: `decision.pdf|docx` (R2.16),
/// `minutes-02.pdf|docx` (meeting), `minutes-04.pdf|docx` (household
/// ballots), per village with `?village=<id>` when several take part. A
/// document that does not exist yet in the decision's state is a 409.
pub async fn document(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path((id, kind)): Path<(i64, String)>,
    Query(q): Query<VillageQuery>,
) -> AppResult<Response> {
    let (kind, format) = DocKind::parse(&kind).ok_or(AppError::NotFound)?;
    let l = svc::load(&state.ctx, id).await?;
    reader(&s, &l.commune)?;
    let asked = match q.village.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => Some(
            v.parse::<i64>()
                .map_err(|_| AppError::BadRequest(Msg::new("Mã thôn, tổ dân phố không hợp lệ.", "The village id is not valid.")))?,
        ),
        None => None,
    };
    let doc = match kind {
        DocKind::Decision => svc::written_decision(&state.ctx, &state.province, &l).await?,
        DocKind::Minutes02 => {
            let v = l.village(asked)?;
            svc::meeting_minutes(&state.ctx, &state.province, &l, v).await?
        }
        DocKind::Minutes04 => {
            let v = l.village(asked)?;
            svc::ballot_minutes(&state.ctx, &state.province, &l, v).await?
        }
    };
    let bytes = svc::render(doc, format).await?;
    let suffix = match (kind, asked) {
        (DocKind::Decision, _) | (_, None) => String::new(),
        (_, Some(v)) => format!("-thon-{v}"),
    };
    file(bytes, format.mime(), &format!("{}{suffix}.{}", kind.file_base(id), format.ext()))
}

/// `GET /admin/decisions/{id}/villages/{village}/ballots.pdf`: the
/// village's household ballots, two per A4 page, each with the QR code of
/// its code (R2.13). The ballots are marked printed (once; printing again
/// gives the same ballots and changes nothing).
pub async fn ballots(State(state): State<Shared>, Auth(s): Auth, Path((id, village)): Path<(i64, i64)>) -> AppResult<Response> {
    let l = svc::load(&state.ctx, id).await?;
    let role = writer(&s, &l.commune)?;
    let v = l.village(Some(village))?;
    let (pdf, n) = svc::ballots(&state.ctx, &state.province, &l, v).await?;
    let mut tx = state.ctx.store.write().await?;
    let marked = ds::mark_printed(&mut tx, id, village).await?;
    if marked > 0 {
        let summary = serde_json::json!({"village": village, "ballots": n, "newly_printed": marked}).to_string();
        audit::append(&mut tx, &entry(&s, role.as_str(), &l.commune, "decision.ballots_printed", &format!("decision:{id}"), &summary))
            .await?;
    }
    tx.commit().await.map_err(danchu_store::StoreError::from)?;
    file(pdf, "application/pdf", &format!("phieu-lay-y-kien-{id}-thon-{village}.pdf"))
}

#[derive(serde::Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    idem: String,
}

/// `POST /admin/decisions/{id}/publish`: publishes the result as one
/// disclosure item of the configured category (default xa-14) with the
/// written decision attached as PDF and DOCX, in one transaction with the
/// record of the publication, its audit entry and the item's notification
/// job; then the item's posting obligations run like any other's. 409
/// before closing. Publishing again (a double click, a second tab, a
/// retry) creates nothing and leads to the same item.
pub async fn publish(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<PublishForm>,
) -> AppResult<Response> {
    let l = svc::load(&state.ctx, id).await?;
    let role = writer(&s, &l.commune)?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    if let Some(item) = dd::publication(&state.ctx.store, id).await? {
        return Ok(Redirect::to(&format!("/admin/disclosures/{item}?done=published")).into_response());
    }
    let doc = svc::written_decision(&state.ctx, &state.province, &l).await?;
    let category = svc::result_category(&state.ctx)?;
    let today = today_vn();
    let title = format!("Kết quả biểu quyết của cộng đồng dân cư: {}", l.d.title.trim());
    let text = crate::consultation::document_text(&doc);
    let base = danchu_domain::text::slug(&format!("van-ban-quyet-dinh-{id}-{}", l.d.title));
    let attachments = {
        let (doc, base, text) = (doc.clone(), base.clone(), text.clone());
        tokio::task::spawn_blocking(move || crate::documents::render(&doc, &base, &text)).await.map_err(AppError::internal)??
    };
    let decided_on = l.d.closed_at.map(|ms| {
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| t.with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).expect("valid offset")).date_naive())
            .unwrap_or(today)
    });
    let decided_on = decided_on.unwrap_or(today).min(today);
    let v = danchu_store::disclosures::NewVersion {
        title,
        body: text,
        decision_number: String::new(),
        decision_date: decided_on.to_string(),
        signer: String::new(),
        sector_deadline: None,
        sector_basis: None,
        change_note: None,
        attachments,
        published_on: today.to_string(),
    };
    let published = super::disclosures::publish(
        &state.ctx,
        &l.commune,
        category,
        danchu_domain::disclosure::Regime::Commune.default_audience().as_str(),
        &v,
        decided_on,
        None,
        Some((&s, role.as_str())),
        l.d.is_demo,
    )
    .await;
    let (mut tx, item_id) = match published {
        Ok(p) => p,
        // A concurrent publication of this decision stores the same files
        // (the documents are deterministic): on PostgreSQL the second insert
        // of a file waits for the first transaction and then fails on the
        // file's key. That transaction has committed by then; lead to its item.
        Err(AppError::Conflict(m)) => match dd::publication(&state.ctx.store, id).await? {
            Some(item) => return Ok(Redirect::to(&format!("/admin/disclosures/{item}?done=published")).into_response()),
            None => return Err(AppError::Conflict(m)),
        },
        Err(e) => return Err(e),
    };
    // Conditional on the decision not being published yet: a concurrent
    // second request finds the row and its transaction (with its item) is
    // rolled back.
    if !dd::record_publication(&mut tx, id, item_id, Some(s.user.id), now_ms()).await? {
        drop(tx);
        let item = dd::publication(&state.ctx.store, id).await?.unwrap_or(item_id);
        return Ok(Redirect::to(&format!("/admin/disclosures/{item}?done=published")).into_response());
    }
    let summary = serde_json::json!({"disclosure": item_id, "category": category.code()}).to_string();
    audit::append(&mut tx, &entry(&s, role.as_str(), &l.commune, "decision.published", &format!("decision:{id}"), &summary)).await?;
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &format!("/admin/disclosures/{item_id}?done=published")).await?;
    super::disclosures::after_publish(&state);
    Ok(Redirect::to(&out).into_response())
}
