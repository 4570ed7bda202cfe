//! The public portal of disclosures (Dân biết): a unit's list filterable by
//! category and date, the stable page of every item with its history,
//! attachments served with safe headers, full-text search, and RSS, Atom
//! and JSON Feed for the province, a unit or a category.

use super::public::cached_as;
use super::Crumb;
use crate::disclosure::{self as svc, category_label};
use crate::error::{AppError, AppResult};
use crate::web::auth::{Here, PageLang, Viewer};
use crate::web::chrome::{vn_date, vn_time, Chrome};
use crate::web::Shared;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use danchu_domain::accounts::Action;
use danchu_domain::consultation::{days_left_label, Phase};
use danchu_domain::text::{fold, highlight, Piece};
use danchu_domain::units::{Era, UnitKind};
use danchu_domain::Lang;
use danchu_store::disclosures::{self, Item, ListFilter, SearchQuery};
use danchu_store::units::{self, Unit};

/// Items per list page and per feed.
const PAGE: i64 = 30;
const FEED_ITEMS: i64 = 50;

/// One item in a list.
pub struct Row {
    pub id: i64,
    pub title: String,
    pub unit: String,
    pub category: String,
    pub published: String,
    pub revised: bool,
    pub is_demo: bool,
}

fn row(i: &Item, lang: Lang) -> Row {
    Row {
        id: i.id,
        title: i.title.clone(),
        unit: i.unit_name.clone(),
        category: category_label(&i.category, lang),
        published: vn_date(&i.published_on),
        revised: i.version > 1,
        is_demo: i.is_demo,
    }
}

/// An option of the category filter.
pub struct CatOption {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    loai: String,
    #[serde(default)]
    tu: String,
    #[serde(default)]
    den: String,
    #[serde(default)]
    truoc: String,
}

/// A date filter: ISO `yyyy-mm-dd` (what `<input type=date>` sends) or
/// `dd/mm/yyyy`; anything else is ignored rather than refused.
fn date_filter(s: &str) -> Option<String> {
    danchu_domain::people::parse_date(s).ok().map(|d| d.to_string())
}

fn cursor(s: &str) -> Option<(i64, i64)> {
    let (a, b) = s.split_once('-')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

async fn current_unit(state: &Shared, code: &str) -> AppResult<Unit> {
    if code.len() > 40 {
        return Err(AppError::NotFound);
    }
    units::by_code(&state.ctx.store, Era::Current, code).await?.ok_or(AppError::NotFound)
}

fn crumbs_of(ancestors: &[Unit]) -> Vec<Crumb> {
    ancestors
        .iter()
        .map(|a| Crumb { name: a.name.clone(), href: if a.kind == UnitKind::Province { "/".into() } else { format!("/units/{}", a.code) } })
        .collect()
}

#[derive(Template)]
#[template(path = "portal/list.html")]
struct ListPage {
    c: Chrome,
    crumbs: Vec<Crumb>,
    unit_name: String,
    unit_code: String,
    subtree: bool,
    cats: Vec<CatOption>,
    tu: String,
    den: String,
    rows: Vec<Row>,
    older: Option<String>,
    feed_query: String,
    info_request_href: Option<String>,
}

/// A unit's disclosures for citizens, newest first: its own items, or for
/// the province every unit's (one query per page).
pub async fn list(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let st = state.clone();
    let session = viewer.0.clone();
    let key = here.clone();
    cached_as(&state, &viewer, lang, &key, &headers, "text/html; charset=utf-8", || async move {
        let unit = current_unit(&st, &code).await?;
        let ancestors = units::ancestors(&st.ctx.store, &unit).await?;
        let subtree = unit.kind == UnitKind::Province;
        let category = svc::category_for_filter(&q.loai);
        let filter = ListFilter {
            unit_id: (!subtree).then_some(unit.id),
            subtree_path: subtree.then(|| unit.path.clone()),
            category: category.clone(),
            from: date_filter(&q.tu),
            to: date_filter(&q.den),
            public_only: true,
            include_withdrawn: false,
        };
        let items = disclosures::list(&st.ctx.store, &filter, cursor(&q.truoc), PAGE + 1).await?;
        let older = (items.len() as i64 > PAGE).then(|| {
            let last = &items[PAGE as usize - 1];
            let mut qs = form_urlencoded::Serializer::new(String::new());
            if let Some(c) = &category {
                qs.append_pair("loai", c);
            }
            if let Some(d) = &filter.from {
                qs.append_pair("tu", d);
            }
            if let Some(d) = &filter.to {
                qs.append_pair("den", d);
            }
            qs.append_pair("truoc", &format!("{}-{}", last.published_at, last.id));
            format!("?{}", qs.finish())
        });
        let c = Chrome::new(&st, lang, session.as_ref(), &here);
        let page = ListPage {
            crumbs: crumbs_of(&ancestors),
            unit_name: unit.name.clone(),
            unit_code: unit.code.clone(),
            subtree,
            cats: svc::categories_for(&unit)
                .into_iter()
                .map(|(code, label)| CatOption {
                    selected: category.as_deref() == Some(code.as_str()),
                    code,
                    label: label.get(lang).to_string(),
                })
                .collect(),
            tu: filter.from.clone().unwrap_or_default(),
            den: filter.to.clone().unwrap_or_default(),
            rows: items.iter().take(PAGE as usize).map(|i| row(i, lang)).collect(),
            older,
            feed_query: category.map(|c| format!("?loai={c}")).unwrap_or_default(),
            info_request_href: super::inforequests::accepts(&unit).then(|| format!("/units/{}/info-requests/new", unit.code)),
            c,
        };
        Ok(page.render()?)
    })
    .await
}

/// A requirement's state as the item page shows it.
pub struct ReqRow {
    pub rule: &'static str,
    pub label: String,
    pub state: String,
    pub ok: bool,
    pub missing: Vec<String>,
}

pub struct VersionRow {
    pub version: i64,
    pub title: String,
    pub published: String,
    pub change_note: String,
    pub current: bool,
}

pub struct AttachmentRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub size: String,
}

#[derive(Template)]
#[template(path = "portal/item.html")]
struct ItemPage {
    c: Chrome,
    crumbs: Vec<Crumb>,
    id: i64,
    unit_name: String,
    unit_code: String,
    category: String,
    audience: String,
    title: String,
    paragraphs: Vec<String>,
    decision_number: String,
    decision_date: String,
    signer: String,
    published: String,
    version: i64,
    is_current: bool,
    withdrawn: bool,
    is_demo: bool,
    attachments: Vec<AttachmentRow>,
    versions: Vec<VersionRow>,
    verdict: String,
    verdict_ok: bool,
    deadline: Option<String>,
    requirements: Vec<ReqRow>,
    manage_href: Option<String>,
    permalink: String,
}

fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

/// Whether the viewer may see an item: items for citizens are public;
/// items for an agency's staff or an enterprise's workers only to people
/// holding a role in that unit (R1.16, R1.20 are internal disclosures).
fn may_see(viewer: &Viewer, audience: &str, unit: &Unit) -> bool {
    audience == "citizens" || viewer.0.as_ref().is_some_and(|s| s.can(Action::ViewUnitAdmin, unit).is_some())
}

/// The stable page of an item (`/disclosures/{id}`), or of one of its past
/// versions (`/disclosures/{id}/versions/{n}`): R1.10, the history stays
/// visible.
pub async fn item(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    item_page(state, viewer, lang, here, headers, id, None).await
}

pub async fn item_version(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
    Path((id, version)): Path<(i64, i64)>,
) -> AppResult<Response> {
    item_page(state, viewer, lang, here, headers, id, Some(version)).await
}

async fn item_page(
    state: Shared,
    viewer: Viewer,
    lang: Lang,
    here: String,
    headers: HeaderMap,
    id: i64,
    version: Option<i64>,
) -> AppResult<Response> {
    let d = disclosures::detail(&state.ctx.store, id).await?.ok_or(AppError::NotFound)?;
    let unit = units::get(&state.ctx.store, d.item.unit_id).await?;
    if !may_see(&viewer, &d.item.audience, &unit) {
        return Err(AppError::NotFound);
    }
    let st = state.clone();
    let session = viewer.0.clone();
    let key = here.clone();
    let build = || async move {
        let v = match version {
            None => d.current().clone(),
            Some(n) => d.versions.iter().find(|v| v.version == n).cloned().ok_or(AppError::NotFound)?,
        };
        let ancestors = units::ancestors(&st.ctx.store, &unit).await?;
        let mut crumbs = crumbs_of(&ancestors);
        crumbs.push(Crumb { name: unit.name.clone(), href: format!("/units/{}", unit.code) });
        let c = Chrome::new(&st, lang, session.as_ref(), &here);
        crumbs.push(Crumb { name: c.t.disclosures_title.to_string(), href: format!("/units/{}/disclosures", unit.code) });
        let assessment = svc::assess_detail(&st, &unit, &d).await?;
        let manage_href =
            session.as_ref().and_then(|s| s.can(Action::RecordDisclosures, &unit)).map(|_| format!("/admin/disclosures/{}", d.item.id));
        let page = ItemPage {
            crumbs,
            id: d.item.id,
            unit_name: unit.name.clone(),
            unit_code: unit.code.clone(),
            category: category_label(&d.item.category, lang),
            audience: svc::audience_label(&d.item.audience, lang),
            title: v.title.clone(),
            paragraphs: v.body.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
            decision_number: v.decision_number.clone(),
            decision_date: vn_date(&v.decision_date),
            signer: v.signer.clone(),
            published: vn_time(v.published_at),
            version: v.version,
            is_current: v.version == d.item.version,
            withdrawn: d.item.withdrawn,
            is_demo: d.item.is_demo,
            attachments: d
                .attachments
                .iter()
                .filter(|a| a.version == v.version)
                .map(|a| AttachmentRow { id: a.id, name: a.name.clone(), kind: a.kind.to_uppercase(), size: size_text(a.size) })
                .collect(),
            versions: d
                .versions
                .iter()
                .map(|x| VersionRow {
                    version: x.version,
                    title: x.title.clone(),
                    published: vn_time(x.published_at),
                    change_note: x.change_note.clone().unwrap_or_default(),
                    current: x.version == d.item.version,
                })
                .collect(),
            verdict: svc::verdict_label(&assessment.verdict, lang),
            verdict_ok: assessment.verdict == "compliant",
            deadline: assessment.deadline.as_deref().map(vn_date),
            requirements: assessment.rows(lang),
            manage_href,
            permalink: format!("{}/disclosures/{}", st.ctx.cfg.public_url.trim_end_matches('/'), d.item.id),
            c,
        };
        Ok(page.render()?)
    };
    cached_as(&state, &viewer, lang, &key, &headers, "text/html; charset=utf-8", build).await
}

/// An attachment, served with safe headers: the stored type (checked by
/// content at upload), `nosniff`, a sandboxing CSP, and `attachment`
/// disposition except for images and PDFs, which browsers show inline.
pub async fn attachment(State(state): State<Shared>, viewer: Viewer, Path((id, aid)): Path<(i64, i64)>) -> AppResult<Response> {
    let d = disclosures::detail(&state.ctx.store, id).await?.ok_or(AppError::NotFound)?;
    let unit = units::get(&state.ctx.store, d.item.unit_id).await?;
    if !may_see(&viewer, &d.item.audience, &unit) {
        return Err(AppError::NotFound);
    }
    let a = d.attachments.iter().find(|a| a.id == aid).ok_or(AppError::NotFound)?;
    let (meta, bytes) = disclosures::file(&state.ctx.store, &a.sha256).await?.ok_or(AppError::NotFound)?;
    file_response(&meta.kind, &a.name, &a.sha256, bytes)
}

/// A stored file as an HTTP response with the safe headers.
pub fn file_response(kind: &str, name: &str, sha256: &str, bytes: Vec<u8>) -> AppResult<Response> {
    let k = danchu_files::FileKind::parse(kind).ok_or(AppError::NotFound)?;
    let inline = matches!(k, danchu_files::FileKind::Pdf | danchu_files::FileKind::Jpeg | danchu_files::FileKind::Png);
    let ascii: String = fold(name).replace(' ', "-");
    let ascii = if ascii.is_empty() { format!("tep.{}", k.extension()) } else { ascii };
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>().replace('+', "%20");
    let disposition = format!("{}; filename=\"{}\"; filename*=UTF-8''{}", if inline { "inline" } else { "attachment" }, ascii, encoded);
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(k.mime()));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).map_err(|_| AppError::NotFound)?);
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    h.insert(header::ETAG, HeaderValue::from_str(&format!("\"{sha256}\"")).map_err(|_| AppError::NotFound)?);
    Ok(r)
}

// ---------------------------------------------------------------- search

#[derive(serde::Deserialize, Default)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    don_vi: String,
    #[serde(default)]
    loai: String,
    #[serde(default)]
    tu: String,
    #[serde(default)]
    den: String,
    #[serde(default)]
    trang: Option<i64>,
}

pub struct Hit {
    pub id: i64,
    pub title: Vec<Piece>,
    pub snippet: Vec<Piece>,
    pub unit: String,
    pub category: String,
    pub published: String,
}

#[derive(Template)]
#[template(path = "portal/search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    don_vi: String,
    scope_name: Option<String>,
    loai: String,
    tu: String,
    den: String,
    searched: bool,
    hits: Vec<Hit>,
    next: Option<String>,
    prev: Option<String>,
}

const SEARCH_PAGE: i64 = 20;

/// Full-text search over titles, bodies and attachment text: ranked,
/// diacritic- and tone-placement-insensitive, with highlighted snippets
/// (two queries: the ranked ids, then the rows and bodies).
pub async fn search(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
    Query(p): Query<SearchParams>,
) -> AppResult<Response> {
    let st = state.clone();
    let session = viewer.0.clone();
    let key = here.clone();
    cached_as(&state, &viewer, lang, &key, &headers, "text/html; charset=utf-8", || async move {
        let raw = danchu_domain::text::clean_line(&p.q).chars().take(200).collect::<String>();
        let mut q = SearchQuery::parse(&raw);
        let mut scope_name = None;
        let mut don_vi = String::new();
        if !p.don_vi.is_empty() && p.don_vi.len() <= 40 {
            if let Some(u) = units::by_code(&st.ctx.store, Era::Current, &p.don_vi).await? {
                q.scope.push(format!("u{}", u.id));
                scope_name = Some(u.name.clone());
                don_vi = u.code.clone();
            }
        }
        let loai = danchu_domain::disclosure::Category::parse(p.loai.trim()).map(|c| c.code()).unwrap_or_default();
        if !loai.is_empty() {
            q.scope.push(disclosures::category_token(&loai));
        }
        q.from = date_filter(&p.tu);
        q.to = date_filter(&p.den);
        let page = p.trang.unwrap_or(1).clamp(1, 50);
        let ids = disclosures::search_bounded(&st.ctx.store, &q, (page - 1) * SEARCH_PAGE, SEARCH_PAGE + 1).await?;
        let more = ids.len() as i64 > SEARCH_PAGE;
        let ids: Vec<i64> = ids.into_iter().take(SEARCH_PAGE as usize).collect();
        let items = disclosures::by_ids(&st.ctx.store, &ids).await?;
        let bodies = disclosures::bodies(&st.ctx.store, &ids).await?;
        let attached = disclosures::attachment_texts(&st.ctx.store, &ids).await?;
        let words: Vec<String> = q.words.clone();
        let hits = items
            .iter()
            .map(|i| {
                let body = bodies.iter().find(|(id, _)| *id == i.id).map(|(_, b)| b.as_str()).unwrap_or(&i.summary);
                // The snippet comes from the body, or from the first attachment
                // whose text has a match (the hit may be in a PDF or DOCX).
                let mut snippet = highlight(body, &words, Some(30));
                if !snippet.iter().any(|p| p.mark) {
                    if let Some(s) = attached
                        .iter()
                        .filter(|(id, _)| *id == i.id)
                        .map(|(_, t)| highlight(t, &words, Some(30)))
                        .find(|s| s.iter().any(|p| p.mark))
                    {
                        snippet = s;
                    }
                }
                Hit {
                    id: i.id,
                    title: highlight(&i.title, &words, None),
                    snippet,
                    unit: i.unit_name.clone(),
                    category: category_label(&i.category, lang),
                    published: vn_date(&i.published_on),
                }
            })
            .collect();
        let link = |n: i64| {
            let mut s = form_urlencoded::Serializer::new(String::new());
            s.append_pair("q", &raw);
            if !don_vi.is_empty() {
                s.append_pair("don_vi", &don_vi);
            }
            if !loai.is_empty() {
                s.append_pair("loai", &loai);
            }
            if let Some(d) = &q.from {
                s.append_pair("tu", d);
            }
            if let Some(d) = &q.to {
                s.append_pair("den", d);
            }
            s.append_pair("trang", &n.to_string());
            format!("/search?{}", s.finish())
        };
        let page = SearchPage {
            c: Chrome::new(&st, lang, session.as_ref(), &here),
            searched: !q.words.is_empty(),
            next: more.then(|| link(page + 1)),
            prev: (page > 1).then(|| link(page - 1)),
            q: raw,
            don_vi,
            scope_name,
            loai,
            tu: q.from.clone().unwrap_or_default(),
            den: q.to.clone().unwrap_or_default(),
            hits,
        };
        Ok(page.render()?)
    })
    .await
}

// ---------------------------------------------------------------- feeds

pub struct FeedEntry {
    pub id: i64,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub unit: String,
    pub published_rfc2822: String,
    pub published_rfc3339: String,
    pub updated_rfc3339: String,
    /// The consultation this item opened, while it takes opinions.
    pub consultation: Option<OpenConsultation>,
}

/// An open consultation announced by a feed entry: where to comment, until
/// when, and the days left on the day the feed was built (feeds are cached
/// per day).
pub struct OpenConsultation {
    pub url: String,
    pub closes_on: String,
    pub days_left: String,
}

#[derive(Template)]
#[template(path = "portal/feed.rss.xml")]
struct Rss {
    title: String,
    link: String,
    self_url: String,
    description: String,
    entries: Vec<FeedEntry>,
}

#[derive(Template)]
#[template(path = "portal/feed.atom.xml")]
struct Atom {
    title: String,
    link: String,
    self_url: String,
    updated: String,
    entries: Vec<FeedEntry>,
}

fn feed_day(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn rfc3339(ms: i64) -> String {
    let offset = chrono::FixedOffset::east_opt(7 * 3600).expect("valid offset");
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&offset).to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
        .unwrap_or_default()
}

fn rfc2822(ms: i64) -> String {
    let offset = chrono::FixedOffset::east_opt(7 * 3600).expect("valid offset");
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&offset).to_rfc2822()).unwrap_or_default()
}

#[derive(serde::Deserialize, Default)]
pub struct FeedQuery {
    #[serde(default)]
    loai: String,
}

/// RSS 2.0, Atom 1.0 or JSON Feed 1.1 of a unit (`/feeds/{code}.rss`,
/// `.atom`, `.json`; the province's code gives the whole province), for
/// one category with `?loai=`. Served from the page cache like the pages.
pub async fn feed(
    State(state): State<Shared>,
    viewer: Viewer,
    Here(here): Here,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(fq): Query<FeedQuery>,
) -> AppResult<Response> {
    let (code, format) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let content_type = match format {
        "rss" => "application/rss+xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "json" => "application/feed+json; charset=utf-8",
        _ => return Err(AppError::NotFound),
    };
    let (code, format) = (code.to_string(), format.to_string());
    let st = state.clone();
    // Feeds are read by machines: always Vietnamese, cached like anonymous pages.
    let anonymous = Viewer(None);
    let _ = viewer;
    cached_as(
        &state,
        &anonymous,
        Lang::Vi,
        &here,
        &headers,
        content_type,
        || async move { build_feed(&st, &code, &format, &fq.loai).await },
    )
    .await
}

/// Builds a feed document (also used by the benchmark).
pub async fn build_feed(st: &Shared, code: &str, format: &str, loai: &str) -> AppResult<String> {
    let unit = current_unit(st, code).await?;
    let subtree = unit.kind == UnitKind::Province;
    let category = svc::category_for_filter(loai);
    let filter = ListFilter {
        unit_id: (!subtree).then_some(unit.id),
        subtree_path: subtree.then(|| unit.path.clone()),
        category: category.clone(),
        public_only: true,
        ..ListFilter::default()
    };
    let items = disclosures::list(&st.ctx.store, &filter, None, FEED_ITEMS).await?;
    let base = st.ctx.cfg.public_url.trim_end_matches('/').to_string();
    let qs = category.as_ref().map(|c| format!("?loai={c}")).unwrap_or_default();
    let title = match &category {
        Some(c) => format!("Công khai thông tin — {} — {}", unit.name, category_label(c, Lang::Vi)),
        None => format!("Công khai thông tin — {}", unit.name),
    };
    let link = format!("{base}/units/{}/disclosures{qs}", unit.code);
    let self_url = format!("{base}/feeds/{}.{format}{qs}", unit.code);
    // The consultations these items opened, for their days left (R3.4;
    // issue 4 item 8): one query whatever the number of entries.
    let today = crate::web::chrome::today_vn();
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let mut open: std::collections::HashMap<i64, OpenConsultation> = danchu_store::consultations::by_opening_items(&st.ctx.store, &ids)
        .await?
        .into_iter()
        .filter_map(|c| {
            let (d, opens, closes) = (c.disclosure_id?, feed_day(&c.opens_on)?, feed_day(&c.closes_on)?);
            let phase = Phase::on(today, opens, closes, c.status == danchu_store::consultations::SYNTHESISED);
            (c.status == danchu_store::consultations::PUBLISHED && phase == Phase::Open).then(|| {
                (
                    d,
                    OpenConsultation {
                        url: format!("{base}/consultations/{}", c.id),
                        closes_on: closes.format("%d/%m/%Y").to_string(),
                        days_left: days_left_label(today, closes).get(Lang::Vi).to_string(),
                    },
                )
            })
        })
        .collect();
    let entries: Vec<FeedEntry> = items
        .iter()
        .map(|i| FeedEntry {
            id: i.id,
            url: format!("{base}/disclosures/{}", i.id),
            title: i.title.clone(),
            summary: match open.get(&i.id) {
                Some(o) => format!("Đang lấy ý kiến đến hết ngày {} ({}): {}. {}", o.closes_on, o.days_left, o.url, i.summary),
                None => i.summary.clone(),
            },
            consultation: open.remove(&i.id),
            category: category_label(&i.category, Lang::Vi),
            unit: i.unit_name.clone(),
            published_rfc2822: rfc2822(i.first_published_at),
            published_rfc3339: rfc3339(i.first_published_at),
            updated_rfc3339: rfc3339(i.published_at),
        })
        .collect();
    let updated = items.iter().map(|i| i.published_at).max().map(rfc3339).unwrap_or_else(|| rfc3339(0));
    Ok(match format {
        "rss" => Rss {
            title, link, self_url, description: "Nội dung công khai theo Luật Thực hiện dân chủ ở cơ sở".into(), entries
        }
        .render()?,
        "atom" => Atom { title, link, self_url, updated, entries }.render()?,
        _ => {
            let json = serde_json::json!({
                "version": "https://jsonfeed.org/version/1.1",
                "title": title,
                "home_page_url": link,
                "feed_url": self_url,
                "language": "vi",
                "items": entries.iter().map(|e| {
                    let mut item = serde_json::json!({
                        "id": e.url,
                        "url": e.url,
                        "title": e.title,
                        "summary": e.summary,
                        "content_text": e.summary,
                        "date_published": e.published_rfc3339,
                        "date_modified": e.updated_rfc3339,
                        "tags": [e.category, e.unit],
                    });
                    // A JSON Feed extension (keys starting with "_").
                    if let Some(o) = &e.consultation {
                        item["_danchu"] = serde_json::json!({
                            "consultation_url": o.url,
                            "closes_on": o.closes_on,
                            "days_left": o.days_left,
                        });
                    }
                    item
                }).collect::<Vec<_>>(),
            });
            serde_json::to_string_pretty(&json).map_err(|e| AppError::Internal(e.to_string()))?
        }
    })
}

// ---------------------------------------------------------------- subscriptions

#[derive(Template)]
#[template(path = "portal/subscribe.html")]
struct SubscribePage {
    c: Chrome,
    csrf: String,
    unit_name: String,
    unit_code: String,
    cats: Vec<CatOption>,
    idem: String,
    sent: bool,
    error: Option<String>,
}

async fn subscribe_page(
    state: &Shared,
    lang: Lang,
    unit: &Unit,
    csrf: String,
    sent: bool,
    error: Option<String>,
) -> AppResult<SubscribePage> {
    Ok(SubscribePage {
        c: Chrome::new(state, lang, None, &format!("/units/{}/subscribe", unit.code)),
        csrf,
        unit_name: unit.name.clone(),
        unit_code: unit.code.clone(),
        cats: svc::categories_for(unit)
            .into_iter()
            .map(|(code, label)| CatOption { code, label: label.get(lang).to_string(), selected: false })
            .collect(),
        idem: crate::keys::random_token(16),
        sent,
        error,
    })
}

/// The form to receive a unit's new items by e-mail (no account needed).
pub async fn subscribe_form(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let unit = current_unit(&state, &code).await?;
    svc::regime_of(&unit)?;
    let (token, fresh) = super::account::presession_token(&headers);
    let page = subscribe_page(&state, lang, &unit, token.clone(), false, None).await?;
    Ok(super::account::with_presession(&state, super::render(&page)?, &token, fresh))
}

#[derive(serde::Deserialize)]
pub struct SubscribeForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    loai: String,
    #[serde(default)]
    idem: String,
}

/// Records an unconfirmed subscription and e-mails the confirmation link
/// (double opt-in) through the outbox. The answer is the same whether or
/// not the address was already subscribed.
pub async fn subscribe(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    Path(code): Path<String>,
    crate::web::forms::CsrfForm(f): crate::web::forms::CsrfForm<SubscribeForm>,
) -> AppResult<Response> {
    let unit = current_unit(&state, &code).await?;
    svc::regime_of(&unit)?;
    let (csrf, _) = super::account::presession_token(&headers);
    let email = match danchu_domain::accounts::parse_email(&f.email) {
        Ok(e) => e,
        Err(m) => {
            let page = subscribe_page(&state, lang, &unit, csrf, false, Some(m.get(lang).to_string())).await?;
            let mut r = super::render(&page)?;
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(r);
        }
    };
    let category = svc::category_for_filter(&f.loai);
    if crate::web::forms::replayed(&state, &f.idem).await?.is_none() {
        let mut tx = state.ctx.store.write().await?;
        if danchu_store::notifications::find_active(&mut tx, &email, unit.id, category.as_deref()).await?.is_none() {
            let token = crate::keys::random_token(24);
            let sid = danchu_store::notifications::subscribe(&mut tx, &email, unit.id, &unit.path, category.as_deref(), &token).await?;
            let base = state.ctx.cfg.public_url.trim_end_matches('/');
            let what = match &category {
                Some(c) => format!("{} — {}", unit.name, category_label(c, Lang::Vi)),
                None => unit.name.clone(),
            };
            let body = format!(
                "Bạn (hoặc ai đó) đã đăng ký nhận tin công khai của {what} tại địa chỉ này.\n\nXác nhận đăng ký: {base}/subscriptions/{token}\n\nNếu không phải bạn, hãy bỏ qua thư này: không có thư nào được gửi thêm.\n"
            );
            crate::outbox::queue(
                &mut tx,
                "email",
                &email,
                &format!("subscription-confirm:{sid}"),
                "Xác nhận đăng ký nhận tin công khai",
                &body,
            )
            .await?;
        }
        crate::web::forms::commit_once(&state, tx, &f.idem, None, "sent").await?;
        crate::jobs::wake();
    }
    let page = subscribe_page(&state, lang, &unit, csrf, true, None).await?;
    super::render(&page)
}

#[derive(Template)]
#[template(path = "portal/subscription.html")]
struct SubscriptionPage {
    c: Chrome,
    csrf: String,
    token: String,
    what: String,
    confirmed: bool,
    cancelled: bool,
}

async fn subscription_page(state: &Shared, lang: Lang, token: &str, csrf: String) -> AppResult<SubscriptionPage> {
    if token.len() > 80 {
        return Err(AppError::NotFound);
    }
    let s = danchu_store::notifications::by_token(&state.ctx.store, token).await?.ok_or(AppError::NotFound)?;
    let unit = match s.unit_id {
        Some(id) => units::get(&state.ctx.store, id).await?.name,
        None => String::new(),
    };
    let what = match &s.category {
        Some(c) => format!("{unit} — {}", category_label(c, lang)),
        None => unit,
    };
    Ok(SubscriptionPage {
        c: Chrome::new(state, lang, None, &format!("/subscriptions/{token}")),
        csrf,
        token: token.to_string(),
        what,
        confirmed: s.confirmed,
        cancelled: s.cancelled,
    })
}

/// The page a confirmation or unsubscribe link opens: a button confirms or
/// cancels (a GET never changes anything, so link scanners cannot).
pub async fn subscription(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let (csrf, fresh) = super::account::presession_token(&headers);
    let page = subscription_page(&state, lang, &token, csrf.clone()).await?;
    Ok(super::account::with_presession(&state, super::render(&page)?, &csrf, fresh))
}

#[derive(serde::Deserialize)]
pub struct SubscriptionAction {
    #[serde(default)]
    action: String,
}

pub async fn subscription_action(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    Path(token): Path<String>,
    crate::web::forms::CsrfForm(f): crate::web::forms::CsrfForm<SubscriptionAction>,
) -> AppResult<Response> {
    if token.len() > 80 {
        return Err(AppError::NotFound);
    }
    let mut tx = state.ctx.store.write().await?;
    match f.action.as_str() {
        "confirm" => {
            danchu_store::notifications::confirm(&mut tx, &token).await?;
        }
        "cancel" => {
            danchu_store::notifications::cancel(&mut tx, &token).await?;
        }
        _ => return Err(AppError::BadRequest(danchu_domain::Msg::new("Thao tác không hợp lệ.", "Unknown action."))),
    }
    tx.commit().await.map_err(danchu_store::StoreError::from)?;
    let (csrf, _) = super::account::presession_token(&headers);
    let page = subscription_page(&state, lang, &token, csrf).await?;
    super::render(&page)
}
