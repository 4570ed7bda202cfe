//! Public pages: the province, the communes, a unit's page, the pre-2025
//! list. For anonymous visitors they are served from the page cache.

use super::Crumb;
use crate::error::{AppError, AppResult};
use crate::web::auth::{Here, PageLang, Viewer};
use crate::web::chrome::{num, vn_date, Chrome};
use crate::web::i18n::fill;
use crate::web::Shared;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use danchu_domain::accounts::Action;
use danchu_domain::units::{Era, Level, UnitKind};
use danchu_domain::{text, Lang};
use danchu_store::units;

/// Serves a public page: from the cache for anonymous visitors (with ETag
/// revalidation), otherwise rendered by `build`.
async fn cached<F, Fut>(state: &Shared, viewer: &Viewer, lang: Lang, here: &str, headers: &HeaderMap, build: F) -> AppResult<Response>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = AppResult<String>>,
{
    cached_as(state, viewer, lang, here, headers, "text/html; charset=utf-8", build).await
}

/// [`cached`] for any content type (the public JSON API uses it too).
pub async fn cached_as<F, Fut>(
    state: &Shared,
    viewer: &Viewer,
    lang: Lang,
    here: &str,
    headers: &HeaderMap,
    content_type: &'static str,
    build: F,
) -> AppResult<Response>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = AppResult<String>>,
{
    let anonymous = viewer.0.is_none();
    // The date is part of the key: pages show days left.
    let key = format!("{}|{}|{here}", lang.code(), crate::web::chrome::today_vn());
    let page = if anonymous {
        match state.cache.get(&key) {
            Some(p) => p,
            None => state.cache.put(key, Bytes::from(build().await?)),
        }
    } else {
        let mut r = render_private(build().await?)?;
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        return Ok(r);
    };
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(page.etag.as_str()) {
        return Ok(StatusCode::NOT_MODIFIED.into_response());
    }
    let mut r = Html(page.body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, no-cache"));
    h.insert(header::ETAG, HeaderValue::from_str(&page.etag).expect("hex"));
    h.insert(header::VARY, HeaderValue::from_static("Cookie, Accept-Language"));
    Ok(r)
}

fn render_private(html: String) -> AppResult<Response> {
    let mut r = Html(html).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(r)
}

#[derive(Template)]
#[template(path = "public/home.html")]
struct HomePage {
    c: Chrome,
    province_name: String,
    province_code: String,
    communes: String,
    villages: String,
    households: String,
    people: String,
    /// Open consultations of the province, closing soonest first.
    consultations: Vec<super::consultations::CsRow>,
}

/// Open consultations shown on the home and unit pages.
const OPEN_SHOWN: i64 = 5;

pub async fn home(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
) -> AppResult<Response> {
    let st = state.clone();
    let session = viewer.0.clone();
    let page_key = here.clone();
    cached(&state, &viewer, lang, &page_key, &headers, || async move {
        let p = units::get_with_stats(&st.ctx.store, st.province.id).await?;
        let communes = units::search_communes(&st.ctx.store, st.province.id, "").await?.len() as i64;
        let page = HomePage {
            c: Chrome::new(&st, lang, session.as_ref(), &here),
            province_name: p.unit.name.clone(),
            province_code: p.unit.code.clone(),
            communes: num(lang, communes),
            villages: num(lang, p.stats.villages),
            households: num(lang, p.stats.households),
            people: num(lang, p.stats.people),
            consultations: super::consultations::open_rows(&st, &p.unit.path, lang, OPEN_SHOWN).await?,
        };
        Ok(page.render()?)
    })
    .await
}

struct CommuneRow {
    code: String,
    name: String,
    villages: String,
    households: String,
}

#[derive(Template)]
#[template(path = "public/communes.html")]
struct CommunesPage {
    c: Chrome,
    province_name: String,
    q: String,
    count_text: String,
    none_text: String,
    rows: Vec<CommuneRow>,
}

#[derive(serde::Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub async fn communes(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
    Query(sq): Query<SearchQuery>,
) -> AppResult<Response> {
    let st = state.clone();
    let session = viewer.0.clone();
    let page_key = here.clone();
    cached(&state, &viewer, lang, &page_key, &headers, || async move {
        let q = text::clean_line(&sq.q);
        let q = q.chars().take(100).collect::<String>();
        let list = units::search_communes(&st.ctx.store, st.province.id, &text::fold(&q)).await?;
        let c = Chrome::new(&st, lang, session.as_ref(), &here);
        let page = CommunesPage {
            count_text: fill(c.t.communes_count, &[&num(lang, list.len() as i64)]),
            none_text: fill(c.t.communes_none, &[&q]),
            c,
            province_name: st.province.name.clone(),
            q,
            rows: list
                .into_iter()
                .map(|u| CommuneRow {
                    code: u.unit.code,
                    name: u.unit.name,
                    villages: num(lang, u.stats.villages),
                    households: num(lang, u.stats.households),
                })
                .collect(),
        };
        Ok(page.render()?)
    })
    .await
}

struct VillageRow {
    code: String,
    name: String,
    households: String,
    people: String,
    is_demo: bool,
}

struct OrgRow {
    code: String,
    name: String,
    kind_label: String,
}

#[derive(Template)]
#[template(path = "public/unit.html")]
struct UnitPage {
    c: Chrome,
    crumbs: Vec<Crumb>,
    name: String,
    code: String,
    kind_label: String,
    since: Option<String>,
    is_demo: bool,
    manage_href: Option<String>,
    /// Where to request information (R1.12), for units that answer requests.
    info_request_href: Option<String>,
    show_villages: bool,
    discloses: bool,
    decides: bool,
    villages: String,
    households: String,
    people: String,
    has_contacts: bool,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    villages_rows: Vec<VillageRow>,
    orgs: Vec<OrgRow>,
    consultations: Vec<super::consultations::CsRow>,
}

/// A unit's public page: a commune with its villages and contacts, a
/// village with its household count, or an organisation (3 queries).
pub async fn unit(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> AppResult<Response> {
    if code.len() > 40 {
        return Err(AppError::NotFound);
    }
    let st = state.clone();
    let session = viewer.0.clone();
    let page_key = here.clone();
    cached(&state, &viewer, lang, &page_key, &headers, || async move {
        let with = units::by_code_with_stats(&st.ctx.store, Era::Current, &code).await?.ok_or(AppError::NotFound)?;
        let u = with.unit.clone();
        let children = units::children(&st.ctx.store, u.id).await?;
        let ancestors = units::ancestors(&st.ctx.store, &u).await?;
        let c = Chrome::new(&st, lang, session.as_ref(), &here);
        let manage_href = session.as_ref().and_then(|s| s.can(Action::ViewUnitAdmin, &u)).map(|_| format!("/admin/units/{}", u.id));
        let show_villages = u.kind.level() == Level::Commune;
        let mut villages_rows = Vec::new();
        let mut orgs = Vec::new();
        for ch in children {
            match ch.unit.kind.level() {
                Level::Village => villages_rows.push(VillageRow {
                    code: ch.unit.code,
                    name: ch.unit.name,
                    households: num(lang, ch.stats.households),
                    people: num(lang, ch.stats.people),
                    is_demo: ch.unit.is_demo,
                }),
                _ => orgs.push(OrgRow { code: ch.unit.code, name: ch.unit.name, kind_label: ch.unit.kind.label().get(lang).to_string() }),
            }
        }
        let has_contacts = u.address.is_some() || u.phone.is_some() || u.email.is_some() || u.website.is_some();
        let page = UnitPage {
            crumbs: ancestors
                .iter()
                .map(|a| Crumb {
                    name: a.name.clone(),
                    href: if a.kind == UnitKind::Province { "/".into() } else { format!("/units/{}", a.code) },
                })
                .collect(),
            name: u.name.clone(),
            code: u.code.clone(),
            kind_label: u.kind.label().get(lang).to_string(),
            since: u.valid_from.as_deref().map(vn_date),
            is_demo: u.is_demo,
            manage_href,
            info_request_href: super::inforequests::accepts(&u).then(|| format!("/units/{}/info-requests/new", u.code)),
            show_villages,
            discloses: danchu_domain::disclosure::Regime::for_unit(u.kind).is_some(),
            decides: matches!(u.kind.level(), danchu_domain::units::Level::Commune | danchu_domain::units::Level::Village),
            villages: num(lang, with.stats.villages),
            households: num(lang, with.stats.households),
            people: num(lang, with.stats.people),
            has_contacts,
            address: u.address.clone(),
            phone: u.phone.clone(),
            email: u.email.clone(),
            website: u.website.clone(),
            villages_rows,
            orgs,
            consultations: super::consultations::open_rows(&st, &u.path, lang, OPEN_SHOWN).await?,
            c,
        };
        Ok(page.render()?)
    })
    .await
}

struct HistoryRow {
    code: String,
    name: String,
    district: String,
}

#[derive(Template)]
#[template(path = "public/history.html")]
struct HistoryPage {
    c: Chrome,
    province_name: String,
    q: String,
    rows: Vec<HistoryRow>,
}

/// The 547 commune-level units of the pre-2025 structure, searchable.
pub async fn history(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
    Query(sq): Query<SearchQuery>,
) -> AppResult<Response> {
    let st = state.clone();
    let session = viewer.0.clone();
    let page_key = here.clone();
    cached(&state, &viewer, lang, &page_key, &headers, || async move {
        let q = text::clean_line(&sq.q).chars().take(100).collect::<String>();
        let rows = units::pre2025_communes(&st.ctx.store, &text::fold(&q)).await?;
        let page = HistoryPage {
            c: Chrome::new(&st, lang, session.as_ref(), &here),
            province_name: st.province.name.clone(),
            q,
            rows: rows.into_iter().map(|(u, d)| HistoryRow { code: u.code, name: u.name, district: d }).collect(),
        };
        Ok(page.render()?)
    })
    .await
}
