//! The disclosures in the JSON API (read-only, public items only): what a
//! provincial e-portal or another site needs besides the feeds.

use super::auth::{Here, Viewer};
use super::pages::public::cached_as;
use super::Shared;
use crate::disclosure::{audience_label, category_label, verdict_label};
use crate::error::{AppError, AppResult};
use crate::web::pages::disclosures::rate_text;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use danchu_domain::units::{Era, UnitKind};
use danchu_domain::Lang;
use danchu_store::disclosures::{self, Counts, ListFilter, SearchQuery};
use danchu_store::units;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A disclosure item in lists.
#[derive(Serialize, ToSchema)]
pub struct DisclosureDto {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub unit_code: String,
    pub unit_name: String,
    /// Category code (`xa-01` … `xa-14`, `cq-…`, `dnnn-…`, `dn-…`, `tinh-…`).
    pub category: String,
    pub category_label: String,
    pub audience_label: String,
    /// Current version (R1.10: every version stays readable).
    pub version: i64,
    pub decision_date: String,
    pub published_on: String,
    /// Deadline to disclose computed by the law's rules, if any.
    pub deadline: Option<String>,
    /// compliant, late, in_progress, pending or non_compliant.
    pub verdict: String,
    pub verdict_label: String,
    /// The stable public page.
    pub url: String,
    pub is_demo: bool,
}

fn dto(i: &disclosures::Item) -> DisclosureDto {
    DisclosureDto {
        id: i.id,
        title: i.title.clone(),
        summary: i.summary.clone(),
        unit_code: i.unit_code.clone(),
        unit_name: i.unit_name.clone(),
        category: i.category.clone(),
        category_label: category_label(&i.category, Lang::Vi),
        audience_label: audience_label(&i.audience, Lang::Vi),
        version: i.version,
        decision_date: i.decision_date.clone(),
        published_on: i.published_on.clone(),
        deadline: i.deadline.clone(),
        verdict: i.verdict.clone(),
        verdict_label: verdict_label(&i.verdict, Lang::Vi),
        url: format!("/disclosures/{}", i.id),
        is_demo: i.is_demo,
    }
}

#[derive(Serialize, ToSchema)]
pub struct DisclosureList {
    pub items: Vec<DisclosureDto>,
    /// Pass as `truoc` to get the next (older) page.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct ListParams {
    /// Category code filter.
    loai: Option<String>,
    /// From this publication date (yyyy-mm-dd).
    tu: Option<String>,
    /// To this publication date (yyyy-mm-dd).
    den: Option<String>,
    /// Cursor from the previous page.
    truoc: Option<String>,
}

fn iso(s: &Option<String>) -> Option<String> {
    s.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok()).map(|d| d.to_string())
}

/// A unit's public disclosures, newest first (the province's: every unit's).
#[utoipa::path(get, path = "/api/v1/units/{code}/disclosures", params(("code" = String, Path, description = "Unit code"), ListParams),
    responses((status = 200, body = DisclosureList), (status = 404, body = super::api::ErrorBody)), tag = "disclosures")]
pub async fn list(
    State(state): State<Shared>,
    viewer: Viewer,
    Here(here): Here,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    let st = state.clone();
    cached_as(&state, &viewer, Lang::Vi, &here, &headers, "application/json", || async move {
        let unit = units::by_code(&st.ctx.store, Era::Current, &code).await?.ok_or(AppError::NotFound)?;
        let subtree = unit.kind == UnitKind::Province;
        let f = ListFilter {
            unit_id: (!subtree).then_some(unit.id),
            subtree_path: subtree.then(|| unit.path.clone()),
            category: p.loai.as_deref().and_then(|c| danchu_domain::disclosure::Category::parse(c.trim())).map(|c| c.code()),
            from: iso(&p.tu),
            to: iso(&p.den),
            public_only: true,
            include_withdrawn: false,
        };
        let cursor = p.truoc.as_deref().and_then(|s| s.split_once('-')).and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)));
        let items = disclosures::list(&st.ctx.store, &f, cursor, 51).await?;
        let next_cursor = (items.len() > 50).then(|| format!("{}-{}", items[49].published_at, items[49].id));
        let body = DisclosureList { items: items.iter().take(50).map(dto).collect(), next_cursor };
        serde_json::to_string(&body).map_err(|e| AppError::Internal(e.to_string()))
    })
    .await
}

#[derive(Deserialize, IntoParams)]
pub struct SearchParams {
    /// Words, with or without diacritics.
    q: String,
    /// Limit to a unit and the units below it.
    don_vi: Option<String>,
    /// Page (1–50), 20 results each.
    trang: Option<i64>,
}

/// Full-text search over titles, bodies and attachment text, best first.
#[utoipa::path(get, path = "/api/v1/disclosures/search", params(SearchParams), responses((status = 200, body = DisclosureList)), tag = "disclosures")]
pub async fn search(
    State(state): State<Shared>,
    viewer: Viewer,
    Here(here): Here,
    headers: HeaderMap,
    Query(p): Query<SearchParams>,
) -> AppResult<Response> {
    let st = state.clone();
    cached_as(&state, &viewer, Lang::Vi, &here, &headers, "application/json", || async move {
        let mut q = SearchQuery::parse(&danchu_domain::text::clean_line(&p.q).chars().take(200).collect::<String>());
        if let Some(code) = p.don_vi.as_deref().filter(|c| c.len() <= 40) {
            match units::by_code(&st.ctx.store, Era::Current, code).await? {
                Some(u) => q.scope.push(format!("u{}", u.id)),
                None => return Err(AppError::NotFound),
            }
        }
        let page = p.trang.unwrap_or(1).clamp(1, 50);
        let ids = disclosures::search_bounded(&st.ctx.store, &q, (page - 1) * 20, 20).await?;
        let items = disclosures::by_ids(&st.ctx.store, &ids).await?;
        let body = DisclosureList { items: items.iter().map(dto).collect(), next_cursor: None };
        serde_json::to_string(&body).map_err(|e| AppError::Internal(e.to_string()))
    })
    .await
}

/// The verdict counts of a unit.
#[derive(Serialize, ToSchema)]
pub struct ComplianceDto {
    pub unit_code: String,
    pub unit_name: String,
    pub items: i64,
    pub compliant: i64,
    pub late: i64,
    pub in_progress: i64,
    pub pending: i64,
    pub non_compliant: i64,
    /// Compliant ÷ (compliant + late + non-compliant), as text ("98,7 %"), or "—".
    pub rate: String,
}

#[derive(Serialize, ToSchema)]
pub struct ComplianceList {
    pub unit: ComplianceDto,
    /// The units directly below (the 166 communes for the province).
    pub children: Vec<ComplianceDto>,
}

fn cdto(code: String, name: String, c: &Counts) -> ComplianceDto {
    ComplianceDto {
        unit_code: code,
        unit_name: name,
        items: c.items,
        compliant: c.compliant,
        late: c.late,
        in_progress: c.in_progress,
        pending: c.pending,
        non_compliant: c.non_compliant,
        rate: rate_text(Lang::Vi, c),
    }
}

/// Disclosure compliance of a unit and of each unit below it, from the
/// roll-up (public: citizens may check it too).
#[utoipa::path(get, path = "/api/v1/units/{code}/compliance", params(("code" = String, Path, description = "Unit code")),
    responses((status = 200, body = ComplianceList), (status = 404, body = super::api::ErrorBody)), tag = "disclosures")]
pub async fn compliance(
    State(state): State<Shared>,
    viewer: Viewer,
    Here(here): Here,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let st = state.clone();
    cached_as(&state, &viewer, Lang::Vi, &here, &headers, "application/json", || async move {
        let unit = units::by_code(&st.ctx.store, Era::Current, &code).await?.ok_or(AppError::NotFound)?;
        let own = disclosures::counts(&st.ctx.store, unit.id).await?;
        let children = disclosures::counts_of_children(&st.ctx.store, unit.id).await?;
        let body = ComplianceList {
            unit: cdto(unit.code.clone(), unit.name.clone(), &own),
            children: children.iter().map(|(_, code, name, c)| cdto(code.clone(), name.clone(), c)).collect(),
        };
        serde_json::to_string(&body).map_err(|e| AppError::Internal(e.to_string()))
    })
    .await
}
