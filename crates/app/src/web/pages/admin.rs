//! Managing a unit: its villages, attached organisations and contacts, and
//! its audit trail. Every handler checks the role on the server, scoped to
//! the unit's subtree.

use super::render;
use crate::error::{AppError, AppResult};
use crate::keys::random_token;
use crate::web::auth::{Auth, PageLang, Session};
use crate::web::chrome::{num, today_vn, vn_time, Chrome};
use crate::web::forms::{commit_once, replayed, CsrfForm};
use crate::web::i18n::fill;
use crate::web::Shared;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use danchu_domain::accounts::{self, Action};
use danchu_domain::units::{self as du, Era, Level, UnitKind, UnitName};
use danchu_domain::{text, Lang, Msg};
use danchu_store::units::{self, Unit, UnitStats};
use danchu_store::{audit, meta, Tx};

/// Loads a unit by id, or 404.
pub async fn load_unit(state: &Shared, id: i64) -> AppResult<Unit> {
    units::get(&state.ctx.store, id).await.map_err(AppError::from)
}

/// The audit entry for an action done under `grant` on `unit`.
pub fn entry<'a>(s: &'a Session, role: &'a str, unit: &'a Unit, action: &'a str, target: &'a str, summary: &'a str) -> audit::Entry<'a> {
    audit::Entry::on_unit(Some(s.user.id), role, unit, action, target, summary)
}

struct ChildRow {
    id: i64,
    code: String,
    name: String,
    households: String,
    people: String,
    is_demo: bool,
}

#[derive(Template)]
#[template(path = "admin/unit.html")]
struct UnitAdminPage {
    c: Chrome,
    title: String,
    id: i64,
    code: String,
    name: String,
    villages: String,
    households: String,
    people: String,
    children: Vec<ChildRow>,
    orgs: Vec<ChildRow>,
    can_villages: bool,
    can_households: bool,
    can_households_here: bool,
    can_import: bool,
    can_users: bool,
    can_audit: bool,
    can_info_requests: bool,
    can_consult: bool,
    /// A commune or village: its community decisions (issue 5).
    decides: bool,
    discloses: bool,
    is_province: bool,
    idem: String,
    idem2: String,
    org_kinds: Vec<(&'static str, String)>,
    address: String,
    phone: String,
    email: String,
    website: String,
    errors: Vec<String>,
}

#[derive(serde::Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
    name: Option<String>,
}

async fn unit_page(state: &Shared, lang: Lang, s: &Session, u: &Unit, notice: Option<String>, errors: Vec<String>) -> AppResult<Response> {
    s.require(Action::ViewUnitAdmin, u)?;
    let with = units::get_with_stats(&state.ctx.store, u.id).await?;
    let children = units::children(&state.ctx.store, u.id).await?;
    let (villages, orgs): (Vec<_>, Vec<_>) = children.into_iter().partition(|ch| ch.unit.kind.level() == Level::Village);
    let row = |ch: units::UnitWithStats| ChildRow {
        id: ch.unit.id,
        code: ch.unit.code,
        name: ch.unit.name,
        households: num(lang, ch.stats.households),
        people: num(lang, ch.stats.people),
        is_demo: ch.unit.is_demo,
    };
    let c = Chrome::new(state, lang, Some(s), &format!("/admin/units/{}", u.id));
    let is_commune = u.kind.level() == Level::Commune;
    let can_villages = is_commune && s.can(Action::ManageVillages, u).is_some();
    let page = UnitAdminPage {
        title: fill(c.t.admin_unit_title, &[&u.name]),
        c: c.with_notice(notice),
        id: u.id,
        code: u.code.clone(),
        name: u.name.clone(),
        villages: num(lang, with.stats.villages),
        households: num(lang, with.stats.households),
        people: num(lang, with.stats.people),
        children: villages.into_iter().map(row).collect(),
        orgs: orgs.into_iter().map(row).collect(),
        can_villages,
        can_households: s.can(Action::ViewHouseholds, u).is_some(),
        can_households_here: u.kind.level() == Level::Village && s.can(Action::ViewHouseholds, u).is_some(),
        can_import: is_commune && s.can(Action::ImportHouseholds, u).is_some(),
        can_users: s.can(Action::ManageUsers, u).is_some(),
        can_audit: s.can(Action::ViewAudit, u).is_some(),
        can_info_requests: super::inforequests::accepts(u) && s.can(Action::AnswerInfoRequests, u).is_some(),
        can_consult: danchu_domain::disclosure::Regime::for_unit(u.kind).is_some()
            && (s.can(Action::ManageConsultations, u).is_some() || s.can(Action::EnterOpinions, u).is_some()),
        discloses: danchu_domain::disclosure::Regime::for_unit(u.kind).is_some(),
        decides: matches!(u.kind.level(), Level::Commune | Level::Village),
        is_province: u.kind == danchu_domain::units::UnitKind::Province,
        idem: random_token(16),
        idem2: random_token(16),
        org_kinds: [UnitKind::Agency, UnitKind::PublicServiceUnit, UnitKind::StateEnterprise, UnitKind::Enterprise]
            .into_iter()
            .map(|k| (k.as_str(), k.label().get(lang).to_string()))
            .collect(),
        address: u.address.clone().unwrap_or_default(),
        phone: u.phone.clone().unwrap_or_default(),
        email: u.email.clone().unwrap_or_default(),
        website: u.website.clone().unwrap_or_default(),
        errors,
    };
    render(&page)
}

pub async fn unit(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let u = load_unit(&state, id).await?;
    let t = crate::web::i18n::msgs(lang);
    let name = q.name.clone().unwrap_or_default();
    let notice = match q.done.as_deref() {
        Some("village") => Some(fill(t.village_created, &[&name])),
        Some("org") => Some(fill(t.org_created, &[&name])),
        Some("contacts") => Some(t.contacts_saved.to_string()),
        _ => None,
    };
    unit_page(&state, lang, &s, &u, notice, vec![]).await
}

#[derive(serde::Deserialize)]
pub struct NameForm {
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    idem: String,
}

fn done_url(id: i64, what: &str, name: &str) -> String {
    let n: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    format!("/admin/units/{id}?done={what}&name={n}")
}

/// A village name checked for a commune: its kind, full name and search key.
pub struct VillageName {
    pub kind: UnitKind,
    pub full: String,
    pub key: String,
}

/// Why a village name cannot be used.
pub enum VillageProblem {
    /// The name itself is not valid.
    Invalid(Msg),
    /// The commune already has a village of that name.
    Taken(Msg),
}

impl VillageProblem {
    pub fn msg(self) -> Msg {
        match self {
            VillageProblem::Invalid(m) | VillageProblem::Taken(m) => m,
        }
    }
}

/// Checks a new village for `commune` (one query): the commune must be a
/// current commune-level unit; the name must be valid and not taken (ignoring
/// case, diacritics and tone placement). The outer error is a refusal of the
/// request itself; the inner one a message to show with the form.
pub async fn check_new_village(state: &Shared, commune: &Unit, raw_name: &str) -> AppResult<Result<VillageName, VillageProblem>> {
    let Some(kind) = commune.kind.village_kind().filter(|_| commune.era == Era::Current && commune.kind.level() == Level::Commune) else {
        return Err(AppError::BadRequest(Msg::new("Chỉ xã, phường mới có thôn, tổ dân phố.", "Only communes and wards have villages.")));
    };
    let name = match UnitName::parse(&text::nfc(raw_name)) {
        Ok(n) => n,
        Err(m) => return Ok(Err(VillageProblem::Invalid(m))),
    };
    let full = du::village_full_name(kind, &name);
    let key = text::fold(&full);
    if units::children(&state.ctx.store, commune.id).await?.iter().any(|c| text::fold(&c.unit.name) == key) {
        return Ok(Err(VillageProblem::Taken(Msg::new(crate::web::i18n::VI.village_exists, crate::web::i18n::EN.village_exists))));
    }
    Ok(Ok(VillageName { kind, full, key }))
}

/// Writes a checked village in `tx`: the unit, its roll-up, the audit entry
/// and the public-content version. The caller commits.
pub async fn write_village(tx: &mut Tx, s: &Session, role: &str, commune: &Unit, v: &VillageName, via: &str) -> AppResult<Unit> {
    let seq = units::next_village_seq(tx, commune).await?;
    let code = du::village_code(&commune.code, seq);
    let today = today_vn().to_string();
    let new_unit = units::NewUnit {
        era: Era::Current,
        code: &code,
        kind: v.kind,
        name: &v.full,
        short_name: &du::short_name(&v.full),
        search_key: &v.key,
        parent: Some(commune),
        valid_from: Some(&today),
        valid_to: None,
        is_demo: false,
    };
    let unit = units::insert(tx, &new_unit).await?;
    units::bump_stats(tx, &unit, UnitStats { villages: 1, households: 0, people: 0 }).await?;
    let summary = serde_json::json!({"code": code, "name": v.full, "via": via}).to_string();
    audit::append(tx, &entry(s, role, &unit, "unit.village_created", &format!("unit:{}", unit.id), &summary)).await?;
    meta::bump_public_version(tx).await?;
    Ok(unit)
}

/// Creates a village (thôn in a xã, tổ dân phố in a phường) in a commune.
pub async fn add_village(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<NameForm>,
) -> AppResult<Response> {
    let commune = load_unit(&state, id).await?;
    let grant = s.require(Action::ManageVillages, &commune)?.clone();
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let v = match check_new_village(&state, &commune, &f.name).await? {
        Ok(v) => v,
        Err(p) => return unit_page_with_error(&state, lang, &s, &commune, p.msg()).await,
    };
    let mut tx = state.ctx.store.write().await?;
    write_village(&mut tx, &s, grant.role.as_str(), &commune, &v, "web").await?;
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &done_url(commune.id, "village", &v.full)).await?;
    state.public_changed();
    Ok(Redirect::to(&out).into_response())
}

async fn unit_page_with_error(state: &Shared, lang: Lang, s: &Session, u: &Unit, m: Msg) -> AppResult<Response> {
    let mut r = unit_page(state, lang, s, u, None, vec![m.get(lang).to_string()]).await?;
    *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(r)
}

/// Attaches an agency, public service unit or enterprise to a unit.
pub async fn add_organisation(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<NameForm>,
) -> AppResult<Response> {
    let parent = load_unit(&state, id).await?;
    let grant = s.require(Action::ManageOrganisations, &parent)?.clone();
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let kind = UnitKind::parse(&f.kind)
        .filter(|k| k.level() == Level::Organisation)
        .ok_or_else(|| AppError::validation("kind", Msg::new("Loại đơn vị không hợp lệ.", "The kind of unit is not valid.")))?;
    if !kind.may_be_child_of(parent.kind) || parent.era != Era::Current {
        return Err(AppError::BadRequest(Msg::new(
            "Cơ quan, doanh nghiệp chỉ gắn với tỉnh hoặc xã, phường.",
            "Agencies and enterprises attach to the province or a commune.",
        )));
    }
    let name = match UnitName::parse(&f.name) {
        Ok(n) => n,
        Err(m) => return unit_page_with_error(&state, lang, &s, &parent, m).await,
    };
    let mut tx = state.ctx.store.write().await?;
    let seq = units::next_org_seq(&mut tx, &parent).await?;
    let code = format!("{}.T{seq:02}", parent.code);
    let o = units::insert(
        &mut tx,
        &units::NewUnit {
            era: Era::Current,
            code: &code,
            kind,
            name: name.as_str(),
            short_name: name.as_str(),
            search_key: &text::fold(name.as_str()),
            parent: Some(&parent),
            valid_from: Some(&today_vn().to_string()),
            valid_to: None,
            is_demo: false,
        },
    )
    .await?;
    let summary = serde_json::json!({"code": code, "name": name.as_str(), "kind": kind.as_str()}).to_string();
    audit::append(&mut tx, &entry(&s, grant.role.as_str(), &o, "unit.organisation_created", &format!("unit:{}", o.id), &summary)).await?;
    meta::bump_public_version(&mut tx).await?;
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &done_url(parent.id, "org", name.as_str())).await?;
    state.public_changed();
    Ok(Redirect::to(&out).into_response())
}

#[derive(serde::Deserialize)]
pub struct ContactsForm {
    #[serde(default)]
    address: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    website: String,
}

fn opt(s: &str) -> Option<String> {
    let s = text::clean_line(s);
    (!s.is_empty()).then_some(s)
}

/// Checks contact fields; returns the cleaned values or the messages.
pub fn check_contacts(f: &ContactsForm) -> Result<[Option<String>; 4], Vec<Msg>> {
    let mut errs = Vec::new();
    let address = opt(&f.address);
    if address.as_ref().is_some_and(|a| a.chars().count() > 200) {
        errs.push(Msg::new("Địa chỉ dài quá 200 ký tự.", "The address is longer than 200 characters."));
    }
    let phone = opt(&f.phone);
    if let Some(p) = &phone {
        let digits = p.chars().filter(|c| c.is_ascii_digit()).count();
        if !p.chars().all(|c| c.is_ascii_digit() || " .+-()".contains(c)) || !(8..=15).contains(&digits) {
            errs.push(Msg::new("Số điện thoại gồm 8–15 chữ số.", "A phone number has 8–15 digits."));
        }
    }
    let email = match opt(&f.email) {
        Some(e) => match accounts::parse_email(&e) {
            Ok(e) => Some(e),
            Err(m) => {
                errs.push(m);
                None
            }
        },
        None => None,
    };
    let website = opt(&f.website);
    if let Some(w) = &website {
        if !(w.starts_with("https://") || w.starts_with("http://")) || w.len() > 200 || w.contains(' ') {
            errs.push(Msg::new(
                "Trang thông tin phải bắt đầu bằng https:// hoặc http://",
                "The website must start with https:// or http://",
            ));
        }
    }
    if errs.is_empty() {
        Ok([address, phone, email, website])
    } else {
        Err(errs)
    }
}

pub async fn save_contacts(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ContactsForm>,
) -> AppResult<Response> {
    let u = load_unit(&state, id).await?;
    let grant = s.require(Action::ManageVillages, &u)?.clone();
    let [address, phone, email, website] = match check_contacts(&f) {
        Ok(v) => v,
        Err(errs) => {
            let mut r = unit_page(&state, lang, &s, &u, None, errs.iter().map(|m| m.get(lang).to_string()).collect()).await?;
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(r);
        }
    };
    let mut tx = state.ctx.store.write().await?;
    units::set_contacts(&mut tx, u.id, address.as_deref(), phone.as_deref(), email.as_deref(), website.as_deref()).await?;
    let summary = serde_json::json!({"address": address, "phone": phone, "email": email, "website": website}).to_string();
    audit::append(&mut tx, &entry(&s, grant.role.as_str(), &u, "unit.contacts_changed", &format!("unit:{}", u.id), &summary)).await?;
    meta::bump_public_version(&mut tx).await?;
    tx.commit().await.map_err(danchu_store::StoreError::from)?;
    state.public_changed();
    Ok(Redirect::to(&format!("/admin/units/{}?done=contacts", u.id)).into_response())
}

struct AuditRow {
    seq: i64,
    time: String,
    actor: String,
    action: String,
    unit: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    c: Chrome,
    title: String,
    id: i64,
    name: String,
    rows: Vec<AuditRow>,
    older: Option<i64>,
}

#[derive(serde::Deserialize)]
pub struct BeforeQuery {
    before: Option<i64>,
}

/// The audit trail of a unit's subtree, newest first, 50 a page.
pub async fn audit(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    Query(q): Query<BeforeQuery>,
) -> AppResult<Response> {
    let u = load_unit(&state, id).await?;
    s.require(Action::ViewAudit, &u)?;
    let rows = danchu_store::audit::list_subtree(&state.ctx.store, &u.path, q.before, 50).await?;
    let older = (rows.len() == 50).then(|| rows.last().map(|r| r.seq)).flatten();
    let c = Chrome::new(&state, lang, Some(&s), &format!("/admin/units/{id}/audit"));
    let page = AuditPage {
        title: fill(c.t.audit_title, &[&u.name]),
        c,
        id,
        name: u.name.clone(),
        rows: rows
            .into_iter()
            .map(|r| AuditRow {
                seq: r.seq,
                time: vn_time(r.at_ms),
                actor: r.actor.unwrap_or_else(|| "—".into()),
                action: crate::web::i18n::audit_action(lang, &r.action),
                unit: r.unit_name.unwrap_or_default(),
                summary: r.summary,
            })
            .collect(),
        older,
    };
    render(&page)
}
