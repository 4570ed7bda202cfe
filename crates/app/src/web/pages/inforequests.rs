//! Information requests (R1.12, R1.13): a citizen asks a commune or an
//! agency for information online, without an account, and follows it with a
//! tracking code; officials register requests received in person, answer,
//! refuse in writing with reasons, or extend the deadline once.
//!
//! Deadlines are computed by `danchu_domain::inforequest` on the working-day
//! calendar in force, stored with the request (lists sort on them), and
//! recomputed for open requests when an administrator changes the calendar.

use super::admin::{entry, load_unit};
use super::render;
use crate::error::{AppError, AppResult};
use crate::keys::random_token;
use crate::web::auth::{Auth, PageLang, Session, Viewer, PRESESSION_COOKIE};
use crate::web::chrome::{cookie, today_vn, vn_date, Chrome};
use crate::web::forms::{commit_once, replayed, CsrfForm};
use crate::web::i18n::{fill, msgs, Msgs, EN, VI};
use crate::web::Shared;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use danchu_domain::accounts::{parse_email, Action};
use danchu_domain::calendar::{Calendar, Period};
use danchu_domain::inforequest::{
    deadlines, normalize_tracking_code, tracking_code, Complexity, Deadlines, Ground, Outcome, RequestChannel, RequestClock, RequestRules,
};
use danchu_domain::people::parse_date;
use danchu_domain::units::{Era, Level, UnitKind};
use danchu_domain::{text, Lang, Msg};
use danchu_store::inforequests::{self as store_ir, InfoRequest, NewInfoRequest};
use danchu_store::units::{self, Unit};
use danchu_store::{audit, Tx};

const PAGE_SIZE: i64 = 50;

/// Whether a unit of this kind answers information requests: a commune-level
/// People's Committee (R1.12), or an agency or public service unit (R1.19).
pub fn accepts_kind(kind: UnitKind) -> bool {
    kind.level() == Level::Commune || matches!(kind, UnitKind::Agency | UnitKind::PublicServiceUnit)
}

/// Whether a unit takes information requests now.
pub fn accepts(u: &Unit) -> bool {
    u.era == Era::Current && u.valid_to.is_none() && accepts_kind(u.kind)
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn vn(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn parse_iso(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn msg(vi: &'static str, en: &'static str) -> Msg {
    Msg::new(vi, en)
}

/// The timing facts of a stored request. An extension is marked by
/// `extended_on` (its exact notice day is in the audit trail, not needed to
/// compute the deadlines).
fn clock_of(r: &InfoRequest) -> Option<RequestClock> {
    let mut c = RequestClock::new(parse_iso(&r.received_on)?, RequestChannel::parse(&r.channel)?, Complexity::parse(&r.complexity)?);
    if r.extended_to.is_some() {
        c.extended_on = Some(c.received);
    }
    Some(c)
}

/// Deadlines as stored: (notice_by, answer_by, extended_to if extended).
fn stored(rules: &RequestRules, cal: &Calendar, c: &RequestClock) -> (Option<String>, String, Option<String>) {
    let base = deadlines(rules, cal, c.received, c.channel, c.complexity, false);
    let ext = c.extended_on.map(|_| iso(deadlines(rules, cal, c.received, c.channel, c.complexity, true).answer_by));
    (base.notice_by.map(iso), iso(base.answer_by), ext)
}

/// Recomputes the deadlines of every open request on `cal` (called in the
/// transaction that changes the calendar); returns how many moved.
pub async fn recompute_deadlines(tx: &mut Tx, cal: &Calendar) -> AppResult<usize> {
    let rules = RequestRules::default();
    let mut moved = 0;
    for r in store_ir::open_tx(tx).await? {
        let Some(c) = clock_of(&r) else { continue };
        let (notice, answer, ext) = stored(&rules, cal, &c);
        if notice != r.notice_by || answer != r.answer_by || ext != r.extended_to {
            store_ir::set_deadlines(tx, r.id, notice.as_deref(), &answer, ext.as_deref()).await?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// The dashboard's line for a unit: the link to its requests, with the
/// number of open ones due within 3 working days (overdue included).
pub async fn dashboard_link(state: &Shared, lang: Lang, unit_id: i64) -> AppResult<(String, String)> {
    let cal = crate::calendar::load(&state.ctx.store).await?;
    let soon = cal.deadline(today_vn(), Period::WorkingDays(3));
    let n = store_ir::count_open_due_by(&state.ctx.store, unit_id, &iso(soon)).await?;
    let t = msgs(lang);
    let name = if n > 0 { fill(t.ir_dash_due, &[&n.to_string()]) } else { t.ir_link.to_string() };
    Ok((name, format!("/admin/units/{unit_id}/info-requests")))
}

fn status_label(t: &Msgs, status: &str) -> &'static str {
    match status {
        store_ir::OPEN => t.ir_status_open,
        store_ir::ANSWERED => t.ir_status_answered,
        store_ir::REFUSED => t.ir_status_refused,
        _ => t.ir_status_withdrawn,
    }
}

fn label_of<T: Copy>(parse: fn(&str) -> Option<T>, label: fn(T) -> Msg, s: &str, lang: Lang) -> String {
    parse(s).map(|v| label(v).get(lang).to_string()).unwrap_or_else(|| s.to_string())
}

fn ground_label(s: &str, lang: Lang) -> String {
    label_of(Ground::parse, Ground::label, s, lang)
}

fn channel_label(s: &str, lang: Lang) -> String {
    label_of(RequestChannel::parse, RequestChannel::label, s, lang)
}

fn complexity_label(s: &str, lang: Lang) -> String {
    label_of(Complexity::parse, Complexity::label, s, lang)
}

/// Checks a requester's contact: an e-mail address or a phone number
/// (9 to 15 digits, an optional leading +; spaces, dots and dashes are
/// dropped). Only what is needed to answer is kept.
pub fn parse_contact(input: &str) -> Result<String, Msg> {
    let s = text::clean_line(input);
    if s.contains('@') {
        return parse_email(&s);
    }
    let plus = s.starts_with('+');
    let body = if plus { &s[1..] } else { &s[..] };
    let digits: String = body.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
    if (9..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(if plus { format!("+{digits}") } else { digits })
    } else {
        Err(msg(VI.ir_err_contact, EN.ir_err_contact))
    }
}

/// What a requester (online or at the desk) asked, checked.
struct Asked {
    ground: Ground,
    subject: String,
    details: String,
    name: String,
    contact: String,
}

fn check_asked(ground: &str, subject: &str, details: &str, name: &str, contact: &str, contact_required: bool) -> Result<Asked, Vec<Msg>> {
    let mut errs = Vec::new();
    let g = Ground::parse(ground);
    if g.is_none() {
        errs.push(msg(VI.ir_err_ground, EN.ir_err_ground));
    }
    let subject = text::clean_line(subject);
    if !(3..=200).contains(&subject.chars().count()) {
        errs.push(msg(VI.ir_err_subject, EN.ir_err_subject));
    }
    let details = text::clean_text(details);
    if details.chars().count() > 4000 {
        errs.push(msg(VI.ir_err_details, EN.ir_err_details));
    }
    let name = text::clean_line(name);
    if !(2..=100).contains(&name.chars().count()) {
        errs.push(msg(VI.ir_err_name, EN.ir_err_name));
    }
    let contact = if contact.trim().is_empty() && !contact_required {
        String::new()
    } else {
        parse_contact(contact).map_err(|m| errs.push(m)).unwrap_or_default()
    };
    match (g, errs.is_empty()) {
        (Some(ground), true) => Ok(Asked { ground, subject, details, name, contact }),
        _ => Err(errs),
    }
}

fn new_code() -> AppResult<String> {
    let mut b = [0u8; 10];
    getrandom::getrandom(&mut b).map_err(AppError::internal)?;
    Ok(tracking_code(b))
}

fn grounds(lang: Lang) -> Vec<(&'static str, String)> {
    Ground::ALL.iter().map(|g| (g.as_str(), g.label().get(lang).to_string())).collect()
}

// ---------------------------------------------------------------------------
// Public: the request form and tracking.

#[derive(Template)]
#[template(path = "public/info_request_new.html")]
struct NewPage {
    c: Chrome,
    title: String,
    unit_name: String,
    unit_code: String,
    csrf: String,
    idem: String,
    grounds: Vec<(&'static str, String)>,
    errors: Vec<String>,
    f_ground: String,
    f_subject: String,
    f_details: String,
    f_name: String,
    f_contact: String,
}

#[derive(serde::Deserialize, Default)]
pub struct AskForm {
    #[serde(default)]
    ground: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    details: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    idem: String,
}

async fn accepting_unit(state: &Shared, code: &str) -> AppResult<Unit> {
    if code.len() > 40 {
        return Err(AppError::NotFound);
    }
    units::by_code(&state.ctx.store, Era::Current, code).await?.filter(accepts).ok_or(AppError::NotFound)
}

fn new_page(
    state: &Shared,
    lang: Lang,
    s: Option<&Session>,
    u: &Unit,
    csrf: String,
    errors: Vec<String>,
    f: &AskForm,
) -> AppResult<Response> {
    let c = Chrome::new(state, lang, s, &format!("/units/{}/info-requests/new", u.code));
    let page = NewPage {
        title: fill(c.t.ir_new_title, &[&u.name]),
        unit_name: u.name.clone(),
        unit_code: u.code.clone(),
        csrf,
        idem: random_token(16),
        grounds: grounds(lang),
        errors,
        f_ground: f.ground.clone(),
        f_subject: f.subject.clone(),
        f_details: f.details.clone(),
        f_name: f.name.clone(),
        f_contact: f.contact.clone(),
        c,
    };
    render(&page)
}

/// `GET /units/{code}/info-requests/new`: the request form (no account
/// needed; a visitor's CSRF token is a double-submit cookie).
pub async fn new_form(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let u = accepting_unit(&state, &code).await?;
    match viewer.0.as_ref() {
        Some(s) => new_page(&state, lang, Some(s), &u, s.csrf.clone(), vec![], &AskForm::default()),
        None => {
            let (token, fresh) = super::account::presession_token(&headers);
            let r = new_page(&state, lang, None, &u, token.clone(), vec![], &AskForm::default())?;
            Ok(super::account::with_presession(&state, r, &token, fresh))
        }
    }
}

/// `POST /units/{code}/info-requests/new`: files an electronic request,
/// computes its deadlines on the calendar in force and shows the tracking
/// code. Idempotent: a second submission of the same form shows the same code.
pub async fn create_public(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    parts: Parts,
    Path(code): Path<String>,
    CsrfForm(f): CsrfForm<AskForm>,
) -> AppResult<Response> {
    let u = accepting_unit(&state, &code).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let asked = match check_asked(&f.ground, &f.subject, &f.details, &f.name, &f.contact, true) {
        Ok(a) => a,
        Err(errs) => {
            let csrf = match viewer.0.as_ref() {
                Some(s) => s.csrf.clone(),
                None => cookie(&parts, PRESESSION_COOKIE).unwrap_or_default().to_string(),
            };
            let mut r = new_page(&state, lang, viewer.0.as_ref(), &u, csrf, errs.iter().map(|m| m.get(lang).to_string()).collect(), &f)?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(r);
        }
    };
    let received = today_vn();
    let code = new_code()?;
    let mut tx = state.ctx.store.write().await?;
    let cal = crate::calendar::load_tx(&mut tx).await?;
    let d = deadlines(&RequestRules::default(), &cal, received, RequestChannel::Electronic, Complexity::Simple, false);
    let (notice, answer) = (d.notice_by.map(iso), iso(d.answer_by));
    let id = store_ir::create(
        &mut tx,
        &NewInfoRequest {
            code: &code,
            unit_id: u.id,
            unit_path: &u.path,
            channel: RequestChannel::Electronic.as_str(),
            complexity: Complexity::Simple.as_str(),
            ground: asked.ground.as_str(),
            subject: &asked.subject,
            details: &asked.details,
            requester_name: &asked.name,
            requester_contact: &asked.contact,
            received_on: &iso(received),
            notice_by: notice.as_deref(),
            answer_by: &answer,
            created_by: viewer.0.as_ref().map(|s| s.user.id),
        },
    )
    .await?;
    // No personal data in the audit trail: it is kept for ever.
    let summary =
        serde_json::json!({"code": code, "ground": asked.ground.as_str(), "channel": "electronic", "answer_by": answer}).to_string();
    let target = format!("info_request:{id}");
    let user = viewer.0.as_ref().map(|s| s.user.id);
    audit::append(&mut tx, &audit::Entry::on_unit(user, "public", &u, "info_request.filed", &target, &summary)).await?;
    let out = commit_once(&state, tx, &f.idem, user, &format!("/info-requests/track?code={code}&done=filed")).await?;
    Ok(Redirect::to(&out).into_response())
}

struct TrackView {
    code: String,
    unit_name: String,
    unit_code: String,
    subject: String,
    ground: String,
    channel: String,
    complexity: String,
    received: String,
    status: &'static str,
    status_code: String,
    notice_by: Option<String>,
    answer_by: String,
    extended_to: Option<String>,
    extension_reason: Option<String>,
    answer: Option<String>,
    refusal_reasons: Option<String>,
    answered_on: Option<String>,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "public/info_request_track.html")]
struct TrackPage {
    c: Chrome,
    q: String,
    found: Option<TrackView>,
    not_found: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct TrackQuery {
    code: Option<String>,
    done: Option<String>,
}

/// `GET /info-requests/track?code=`: the status, deadlines and outcome of a
/// request, never the requester's name or contact. The code is read as
/// people type it (lower case, spaces, no dashes). Unknown: 404.
pub async fn track(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Query(q): Query<TrackQuery>,
) -> AppResult<Response> {
    let raw: String = q.code.as_deref().map(text::clean_line).unwrap_or_default().chars().take(60).collect();
    let here = "/info-requests/track".to_string();
    let c = Chrome::new(&state, lang, viewer.0.as_ref(), &here);
    let t = c.t;
    if raw.is_empty() {
        return render(&TrackPage { c, q: raw, found: None, not_found: None });
    }
    let found = match normalize_tracking_code(&raw) {
        Some(code) => store_ir::by_code(&state.ctx.store, &code).await?,
        None => None,
    };
    let Some(r) = found else {
        let page = TrackPage { not_found: Some(fill(t.ir_track_unknown, &[&raw])), c, q: raw, found: None };
        let mut resp = render(&page)?;
        *resp.status_mut() = StatusCode::NOT_FOUND;
        return Ok(resp);
    };
    let u = units::get(&state.ctx.store, r.unit_id).await?;
    let notice = match q.done.as_deref() {
        Some("filed") => Some(fill(t.ir_filed, &[&r.code])),
        _ => None,
    };
    let view = TrackView {
        overdue: r.is_open() && r.due() < iso(today_vn()).as_str(),
        code: r.code.clone(),
        unit_name: u.name.clone(),
        unit_code: u.code.clone(),
        subject: r.subject.clone(),
        ground: ground_label(&r.ground, lang),
        channel: channel_label(&r.channel, lang),
        complexity: complexity_label(&r.complexity, lang),
        received: vn_date(&r.received_on),
        status: status_label(t, &r.status),
        status_code: r.status.clone(),
        notice_by: r.notice_by.as_deref().map(vn_date),
        answer_by: vn_date(&r.answer_by),
        extended_to: r.extended_to.as_deref().map(vn_date),
        extension_reason: r.extension_reason.clone(),
        answer: r.answer.clone(),
        refusal_reasons: r.refusal_reasons.clone(),
        answered_on: r.answered_on.as_deref().map(vn_date),
    };
    let page = TrackPage { c: c.with_notice(notice), q: r.code.clone(), found: Some(view), not_found: None };
    render(&page)
}

/// An information request as anyone holding its tracking code sees it: no
/// name, no contact. Dates are ISO (`yyyy-mm-dd`).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct InfoRequestDto {
    /// Tracking code, e.g. `YC-7K3M-Q9TX-2HBD`.
    pub code: String,
    /// Code of the commune or agency that answers it.
    pub unit_code: String,
    pub unit_name: String,
    pub subject: String,
    /// not_disclosed, period_expired or unreachable (R1.12).
    pub ground: String,
    /// in_person or electronic.
    pub channel: String,
    /// simple or complex.
    pub complexity: String,
    pub received_on: String,
    /// open, answered, refused or withdrawn.
    pub status: String,
    /// The status in the request's language.
    pub status_label: String,
    /// Complex electronic requests: notice of the time frame due by.
    pub notice_by: Option<String>,
    /// The statutory deadline (R1.13), before any extension.
    pub answer_by: String,
    /// The deadline after the one extension, if any.
    pub extended_to: Option<String>,
    pub extension_reason: Option<String>,
    /// Open past its deadline.
    pub overdue: bool,
    pub answer: Option<String>,
    pub refusal_reasons: Option<String>,
    pub answered_on: Option<String>,
}

/// An information request by its tracking code (case, spaces and dashes are
/// ignored).
#[utoipa::path(get, path = "/api/v1/info-requests/{code}",
    params(("code" = String, Path, description = "Tracking code, e.g. YC-7K3M-Q9TX-2HBD")),
    responses((status = 200, body = InfoRequestDto), (status = 404, body = crate::web::api::ErrorBody)))]
pub async fn api_get(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Path(code): Path<String>,
) -> AppResult<axum::Json<InfoRequestDto>> {
    let code = normalize_tracking_code(&code).ok_or(AppError::NotFound)?;
    let r = store_ir::by_code(&state.ctx.store, &code).await?.ok_or(AppError::NotFound)?;
    let u = units::get(&state.ctx.store, r.unit_id).await?;
    Ok(axum::Json(InfoRequestDto {
        overdue: r.is_open() && r.due() < iso(today_vn()).as_str(),
        status_label: status_label(msgs(lang), &r.status).to_string(),
        code: r.code,
        unit_code: u.code,
        unit_name: u.name,
        subject: r.subject,
        ground: r.ground,
        channel: r.channel,
        complexity: r.complexity,
        received_on: r.received_on,
        status: r.status,
        notice_by: r.notice_by,
        answer_by: r.answer_by,
        extended_to: r.extended_to,
        extension_reason: r.extension_reason,
        answer: r.answer,
        refusal_reasons: r.refusal_reasons,
        answered_on: r.answered_on,
    }))
}

// ---------------------------------------------------------------------------
// Officials: the list, registration of requests received in person, and
// the outcome of each request.

struct ListRow {
    id: i64,
    code: String,
    subject: String,
    received: String,
    channel: String,
    due: String,
    status: &'static str,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "admin/info_requests.html")]
struct ListPage {
    c: Chrome,
    title: String,
    id: i64,
    name: String,
    rows: Vec<ListRow>,
    prev: Option<i64>,
    next: Option<i64>,
    idem: String,
    errors: Vec<String>,
    grounds: Vec<(&'static str, String)>,
    channels: Vec<(&'static str, String)>,
    complexities: Vec<(&'static str, String)>,
    f: RegisterForm,
}

#[derive(serde::Deserialize, Default)]
pub struct RegisterForm {
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    complexity: String,
    #[serde(default)]
    ground: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    details: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    idem: String,
}

#[derive(serde::Deserialize)]
pub struct ListQuery {
    page: Option<i64>,
}

/// The unit, if the user may answer its requests: 403 otherwise, 404 for
/// units that take no requests.
async fn unit_for(state: &Shared, s: &Session, id: i64) -> AppResult<(Unit, String)> {
    let u = load_unit(state, id).await?;
    let role = s.require(Action::AnswerInfoRequests, &u)?.role.as_str().to_string();
    if !accepts(&u) {
        return Err(AppError::NotFound);
    }
    Ok((u, role))
}

async fn list_page(
    state: &Shared,
    lang: Lang,
    s: &Session,
    u: &Unit,
    page: i64,
    errors: Vec<String>,
    f: RegisterForm,
) -> AppResult<Response> {
    let rows = store_ir::list_for_unit(&state.ctx.store, u.id, (page - 1) * PAGE_SIZE, PAGE_SIZE + 1).await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    let today = iso(today_vn());
    let c = Chrome::new(state, lang, Some(s), &format!("/admin/units/{}/info-requests", u.id));
    let f = RegisterForm {
        received_on: if f.received_on.is_empty() { vn(today_vn()) } else { f.received_on },
        channel: if f.channel.is_empty() { RequestChannel::InPerson.as_str().into() } else { f.channel },
        complexity: if f.complexity.is_empty() { Complexity::Simple.as_str().into() } else { f.complexity },
        ..f
    };
    let p = ListPage {
        title: fill(c.t.ir_list_title, &[&u.name]),
        id: u.id,
        name: u.name.clone(),
        rows: rows
            .into_iter()
            .take(PAGE_SIZE as usize)
            .map(|r| ListRow {
                overdue: r.is_open() && r.due() < today.as_str(),
                id: r.id,
                due: vn_date(r.due()),
                code: r.code,
                subject: r.subject,
                received: vn_date(&r.received_on),
                channel: channel_label(&r.channel, lang),
                status: status_label(c.t, &r.status),
            })
            .collect(),
        prev: (page > 1).then_some(page - 1),
        next: more.then_some(page + 1),
        idem: random_token(16),
        errors,
        grounds: grounds(lang),
        channels: RequestChannel::ALL.iter().map(|x| (x.as_str(), x.label().get(lang).to_string())).collect(),
        complexities: Complexity::ALL.iter().map(|x| (x.as_str(), x.label().get(lang).to_string())).collect(),
        f,
        c,
    };
    render(&p)
}

/// `GET /admin/units/{id}/info-requests`: open requests first, soonest
/// deadline first, overdue ones marked (one query).
pub async fn list(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let (u, _) = unit_for(&state, &s, id).await?;
    list_page(&state, lang, &s, &u, q.page.unwrap_or(1).clamp(1, 100_000), vec![], RegisterForm::default()).await
}

/// `POST /admin/units/{id}/info-requests`: registers a request received at
/// the desk (or by e-mail), with the day it was received.
pub async fn register(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<RegisterForm>,
) -> AppResult<Response> {
    let (u, role) = unit_for(&state, &s, id).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let mut errs: Vec<Msg> = Vec::new();
    let received = match parse_date(&f.received_on) {
        Ok(d) if d > today_vn() => {
            errs.push(msg(VI.ir_err_received_future, EN.ir_err_received_future));
            None
        }
        Ok(d) if d < NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date") => {
            errs.push(msg(VI.ir_err_received_old, EN.ir_err_received_old));
            None
        }
        Ok(d) => Some(d),
        Err(m) => {
            errs.push(m);
            None
        }
    };
    let channel = RequestChannel::parse(&f.channel);
    if channel.is_none() {
        errs.push(msg(VI.ir_err_channel, EN.ir_err_channel));
    }
    let complexity = Complexity::parse(&f.complexity);
    if complexity.is_none() {
        errs.push(msg(VI.ir_err_complexity, EN.ir_err_complexity));
    }
    let asked = check_asked(&f.ground, &f.subject, &f.details, &f.name, &f.contact, false).map_err(|e| errs.extend(e)).ok();
    let (Some(received), Some(channel), Some(complexity), Some(asked), true) = (received, channel, complexity, asked, errs.is_empty())
    else {
        let mut r = list_page(&state, lang, &s, &u, 1, errs.iter().map(|m| m.get(lang).to_string()).collect(), f).await?;
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(r);
    };
    let code = new_code()?;
    let mut tx = state.ctx.store.write().await?;
    let cal = crate::calendar::load_tx(&mut tx).await?;
    let d: Deadlines = deadlines(&RequestRules::default(), &cal, received, channel, complexity, false);
    let (notice, answer) = (d.notice_by.map(iso), iso(d.answer_by));
    let rid = store_ir::create(
        &mut tx,
        &NewInfoRequest {
            code: &code,
            unit_id: u.id,
            unit_path: &u.path,
            channel: channel.as_str(),
            complexity: complexity.as_str(),
            ground: asked.ground.as_str(),
            subject: &asked.subject,
            details: &asked.details,
            requester_name: &asked.name,
            requester_contact: &asked.contact,
            received_on: &iso(received),
            notice_by: notice.as_deref(),
            answer_by: &answer,
            created_by: Some(s.user.id),
        },
    )
    .await?;
    let summary = serde_json::json!({
        "code": code, "ground": asked.ground.as_str(), "channel": channel.as_str(), "complexity": complexity.as_str(),
        "received_on": iso(received), "answer_by": answer,
    })
    .to_string();
    audit::append(&mut tx, &entry(&s, &role, &u, "info_request.registered", &format!("info_request:{rid}"), &summary)).await?;
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &format!("/admin/info-requests/{rid}?done=registered")).await?;
    Ok(Redirect::to(&out).into_response())
}

#[derive(Template)]
#[template(path = "admin/info_request.html")]
struct DetailPage {
    c: Chrome,
    title: String,
    unit_id: i64,
    unit_name: String,
    r: InfoRequest,
    ground: String,
    channel: String,
    complexity: String,
    status: &'static str,
    received: String,
    notice_by: Option<String>,
    answer_by: String,
    extended_to: Option<String>,
    answered_on: Option<String>,
    overdue: bool,
    open: bool,
    /// The date an extension would give, if one is still possible.
    can_extend_to: Option<String>,
    /// The other complexity, if the request may be reclassified.
    reclassify: Option<(&'static str, String)>,
    idem: String,
    errors: Vec<String>,
    f_answer: String,
    f_reasons: String,
    f_extend: String,
}

#[derive(serde::Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// Texts typed into the detail page's forms, kept when one is refused.
#[derive(Default)]
struct Typed {
    answer: String,
    reasons: String,
    extend: String,
}

#[allow(clippy::too_many_arguments)] // the page's state: request, unit, notice, errors, typed text, status
async fn detail_page(
    state: &Shared,
    lang: Lang,
    s: &Session,
    r: InfoRequest,
    u: &Unit,
    notice: Option<String>,
    errors: Vec<String>,
    typed: Typed,
    status: StatusCode,
) -> AppResult<Response> {
    let c = Chrome::new(state, lang, Some(s), &format!("/admin/info-requests/{}", r.id));
    let t = c.t;
    let today = today_vn();
    let rules = RequestRules::default();
    let can_extend_to = match clock_of(&r) {
        Some(mut clock) if r.is_open() => {
            let cal = crate::calendar::load(&state.ctx.store).await?;
            clock.extend(&rules, &cal, today).ok().map(|_| vn(clock.deadlines(&rules, &cal).answer_by))
        }
        _ => None,
    };
    let reclassify = match Complexity::parse(&r.complexity) {
        Some(cx) if r.is_open() && r.extended_to.is_none() => {
            let other = if cx == Complexity::Simple { Complexity::Complex } else { Complexity::Simple };
            Some((other.as_str(), other.label().get(lang).to_string()))
        }
        _ => None,
    };
    let p = DetailPage {
        title: fill(t.ir_detail_title, &[&r.code]),
        unit_id: u.id,
        unit_name: u.name.clone(),
        ground: ground_label(&r.ground, lang),
        channel: channel_label(&r.channel, lang),
        complexity: complexity_label(&r.complexity, lang),
        status: status_label(t, &r.status),
        received: vn_date(&r.received_on),
        notice_by: r.notice_by.as_deref().map(vn_date),
        answer_by: vn_date(&r.answer_by),
        extended_to: r.extended_to.as_deref().map(vn_date),
        answered_on: r.answered_on.as_deref().map(vn_date),
        overdue: r.is_open() && r.due() < iso(today).as_str(),
        open: r.is_open(),
        can_extend_to,
        reclassify,
        idem: random_token(16),
        errors,
        f_answer: typed.answer,
        f_reasons: typed.reasons,
        f_extend: typed.extend,
        r,
        c: c.with_notice(notice),
    };
    let mut resp = render(&p)?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// The request and its unit, if the user may answer for that unit.
async fn request_for(state: &Shared, s: &Session, id: i64) -> AppResult<(InfoRequest, Unit, String)> {
    let r = store_ir::get(&state.ctx.store, id).await?;
    let u = load_unit(state, r.unit_id).await?;
    let role = s.require(Action::AnswerInfoRequests, &u)?.role.as_str().to_string();
    Ok((r, u, role))
}

/// `GET /admin/info-requests/{id}`: the request, the requester's contact,
/// the deadlines, and the forms to answer, refuse, extend or reclassify.
pub async fn detail(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let (r, u, _) = request_for(&state, &s, id).await?;
    let t = msgs(lang);
    let notice = match q.done.as_deref() {
        Some("registered") => Some(fill(t.ir_registered, &[&r.code])),
        Some("answered") => Some(t.ir_answered.to_string()),
        Some("refused") => Some(t.ir_refused.to_string()),
        Some("extended") => Some(fill(t.ir_extended, &[&r.extended_to.as_deref().map(vn_date).unwrap_or_default()])),
        Some("classified") => Some(t.ir_classified.to_string()),
        Some("withdrawn") => Some(t.ir_withdrawn.to_string()),
        _ => None,
    };
    detail_page(&state, lang, &s, r, &u, notice, vec![], Typed::default(), StatusCode::OK).await
}

#[derive(serde::Deserialize)]
pub struct ActForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    complexity: String,
    #[serde(default)]
    idem: String,
}

/// What an official does to an open request.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Act {
    Answer,
    Refuse,
    Extend,
    Classify,
    Withdraw,
}

impl Act {
    fn audit(self) -> &'static str {
        match self {
            Act::Answer => "info_request.answered",
            Act::Refuse => "info_request.refused",
            Act::Extend => "info_request.extended",
            Act::Classify => "info_request.classified",
            Act::Withdraw => "info_request.withdrawn",
        }
    }

    fn done(self) -> &'static str {
        match self {
            Act::Answer => "answered",
            Act::Refuse => "refused",
            Act::Extend => "extended",
            Act::Classify => "classified",
            Act::Withdraw => "withdrawn",
        }
    }

    fn typed(self, text: &str) -> Typed {
        let text = text.to_string();
        match self {
            Act::Answer => Typed { answer: text, ..Typed::default() },
            Act::Refuse => Typed { reasons: text, ..Typed::default() },
            Act::Extend => Typed { extend: text, ..Typed::default() },
            _ => Typed::default(),
        }
    }
}

/// Applies one act in one transaction with its audit entry. Refused acts
/// (no reasons, a second extension, a request no longer open) show the page
/// again with the reason, status 422, and change nothing.
async fn act(state: Shared, lang: Lang, s: Session, id: i64, f: ActForm, what: Act) -> AppResult<Response> {
    let (r, u, role) = request_for(&state, &s, id).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let refuse = |r: InfoRequest, m: Msg| {
        let state = state.clone();
        let s = s.clone();
        let u = u.clone();
        let typed = what.typed(&f.text);
        async move { detail_page(&state, lang, &s, r, &u, None, vec![m.get(lang).to_string()], typed, StatusCode::UNPROCESSABLE_ENTITY).await }
    };
    if !r.is_open() {
        return refuse(r, msg(VI.ir_err_closed, EN.ir_err_closed)).await;
    }
    let today = iso(today_vn());
    let body = text::clean_text(&f.text);
    // Checks that need no transaction.
    match what {
        Act::Answer if !body.chars().any(char::is_alphanumeric) || body.chars().count() > 8000 => {
            return refuse(r, msg(VI.ir_err_answer, EN.ir_err_answer)).await;
        }
        Act::Refuse => {
            if let Err(m) = Outcome::refused(&f.text) {
                return refuse(r, m).await;
            }
            if body.chars().count() > 8000 {
                return refuse(r, msg(VI.ir_err_answer, EN.ir_err_answer)).await;
            }
        }
        Act::Extend if !body.chars().any(char::is_alphabetic) || body.chars().count() > 1000 => {
            return refuse(r, msg(VI.ir_err_extend_reason, EN.ir_err_extend_reason)).await;
        }
        _ => {}
    }
    let mut tx = state.ctx.store.write().await?;
    // Read again in the transaction: the checks below decide on this row.
    let cur = store_ir::get_tx(&mut tx, id).await?;
    let rules = RequestRules::default();
    let mut summary = serde_json::json!({"code": cur.code});
    let changed = match what {
        Act::Answer => store_ir::answer(&mut tx, id, &body, Some(s.user.id), &today).await?,
        Act::Refuse => store_ir::refuse(&mut tx, id, &body, Some(s.user.id), &today).await?,
        Act::Withdraw => store_ir::withdraw(&mut tx, id, Some(s.user.id), &today).await?,
        Act::Extend => {
            let cal = crate::calendar::load_tx(&mut tx).await?;
            let Some(mut clock) = clock_of(&cur) else { return Err(AppError::internal("stored request has bad timing fields")) };
            if let Err(m) = clock.extend(&rules, &cal, today_vn()) {
                drop(tx);
                return refuse(cur, m).await;
            }
            let to = iso(clock.deadlines(&rules, &cal).answer_by);
            summary["extended_to"] = to.clone().into();
            summary["reason"] = body.clone().into();
            store_ir::extend(&mut tx, id, &body, &to).await?
        }
        Act::Classify => {
            let Some(cx) = Complexity::parse(&f.complexity) else {
                drop(tx);
                return refuse(cur, msg(VI.ir_err_complexity, EN.ir_err_complexity)).await;
            };
            let Some(mut clock) = clock_of(&cur) else { return Err(AppError::internal("stored request has bad timing fields")) };
            clock.complexity = cx;
            let cal = crate::calendar::load_tx(&mut tx).await?;
            let (notice, answer, _) = stored(&rules, &cal, &clock);
            summary["complexity"] = cx.as_str().into();
            summary["answer_by"] = answer.clone().into();
            store_ir::classify(&mut tx, id, cx.as_str(), notice.as_deref(), &answer).await?
        }
    };
    if !changed {
        // Another official acted first (or the request was extended already).
        drop(tx);
        let now = store_ir::get(&state.ctx.store, id).await?;
        let m = if what == Act::Extend && now.is_open() {
            Msg::new(
                "Yêu cầu này đã được gia hạn; chỉ được gia hạn một lần.",
                "This request was already extended; only one extension is allowed.",
            )
        } else {
            msg(VI.ir_err_closed, EN.ir_err_closed)
        };
        return refuse(now, m).await;
    }
    audit::append(&mut tx, &entry(&s, &role, &u, what.audit(), &format!("info_request:{id}"), &summary.to_string())).await?;
    // The requester is told through the outbox when they left an e-mail
    // address (answer, refusal with its reasons, extension).
    if let Ok(email) = danchu_domain::accounts::parse_email(&cur.requester_contact) {
        let base = state.ctx.cfg.public_url.trim_end_matches('/');
        let what_happened = match what {
            Act::Answer => Some("đã được trả lời"),
            Act::Refuse => Some("đã bị từ chối bằng văn bản, có nêu lý do"),
            Act::Extend => Some("đã được gia hạn thời hạn trả lời"),
            _ => None,
        };
        if let Some(h) = what_happened {
            let subject = format!("Yêu cầu cung cấp thông tin {} {h}", cur.code);
            let body = format!(
                "Yêu cầu cung cấp thông tin của bạn gửi {} (mã {}) {h}.\n\nXem chi tiết: {base}/info-requests/track?code={}\n",
                u.name, cur.code, cur.code
            );
            crate::outbox::queue(&mut tx, "email", &email, &format!("info-request:{id}:{}", what.done()), &subject, &body).await?;
        }
    }
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &format!("/admin/info-requests/{id}?done={}", what.done())).await?;
    crate::jobs::wake();
    Ok(Redirect::to(&out).into_response())
}

/// `POST /admin/info-requests/{id}/answer`: the information was provided.
pub async fn answer(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ActForm>,
) -> AppResult<Response> {
    act(state, lang, s, id, f, Act::Answer).await
}

/// `POST /admin/info-requests/{id}/refuse`: a written refusal; the reasons
/// are required (R1.13).
pub async fn refuse(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ActForm>,
) -> AppResult<Response> {
    act(state, lang, s, id, f, Act::Refuse).await
}

/// `POST /admin/info-requests/{id}/extend`: the one extension of a complex
/// request, notified today, before the deadline.
pub async fn extend(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ActForm>,
) -> AppResult<Response> {
    act(state, lang, s, id, f, Act::Extend).await
}

/// `POST /admin/info-requests/{id}/complexity`: the official classifies the
/// request (an online request starts as simple); deadlines are recomputed.
pub async fn classify(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ActForm>,
) -> AppResult<Response> {
    act(state, lang, s, id, f, Act::Classify).await
}

/// `POST /admin/info-requests/{id}/withdraw`: the requester withdrew it.
pub async fn withdraw(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ActForm>,
) -> AppResult<Response> {
    act(state, lang, s, id, f, Act::Withdraw).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_an_email_or_a_phone_number() {
        assert_eq!(parse_contact(" An.Nguyen@Example.VN ").unwrap(), "an.nguyen@example.vn");
        assert_eq!(parse_contact("0912 345 678").unwrap(), "0912345678");
        assert_eq!(parse_contact("+84 912.345.678").unwrap(), "+84912345678");
        assert!(parse_contact("12345").is_err());
        assert!(parse_contact("gọi tôi").is_err());
        assert!(parse_contact("a@b").is_err());
    }

    #[test]
    fn only_communes_agencies_and_public_service_units_take_requests() {
        assert!(accepts_kind(UnitKind::Agency));
        assert!(accepts_kind(UnitKind::PublicServiceUnit));
        assert!(!accepts_kind(UnitKind::Enterprise));
        assert!(!accepts_kind(UnitKind::Province));
    }
}
