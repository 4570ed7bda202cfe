//! The household registry pages and the household import (upload, progress,
//! report).

use super::admin::{entry, load_unit};
use super::render;
use crate::error::{AppError, AppResult};
use crate::keys::random_token;
use crate::web::auth::Session;
use crate::web::auth::{Auth, PageLang};
use crate::web::chrome::{num, today_vn, vn_date, vn_time, Chrome};
use crate::web::forms::{commit_once, replayed, same_token, CsrfForm};
use crate::web::i18n::{fill, msgs, Msgs};
use crate::web::Shared;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use danchu_domain::accounts::Action;
use danchu_domain::cccd::{mask, Cccd};
use danchu_domain::people::{is_adult_on, parse_date, FullName, HouseholdCode};
use danchu_domain::units::Level;
use danchu_domain::{Lang, Msg};
use danchu_store::households::{NewHousehold, NewMember};
use danchu_store::units::UnitStats;
use danchu_store::{audit, households, imports, jobs, now_ms, units};

const PAGE_SIZE: i64 = 50;

struct Row {
    id: i64,
    code: String,
    representative: String,
    address: String,
    members: i64,
    is_demo: bool,
}

#[derive(Template)]
#[template(path = "admin/households.html")]
struct ListPage {
    c: Chrome,
    title: String,
    village: String,
    village_id: i64,
    parent: Option<(i64, String)>,
    count_text: String,
    rows: Vec<Row>,
    prev: Option<i64>,
    next: Option<i64>,
    can_edit: bool,
    idem: String,
    errors: Vec<String>,
    f_code: String,
    f_address: String,
    f_full_name: String,
    f_birth: String,
    f_relation: String,
}

#[derive(serde::Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
    done: Option<String>,
    code: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct HouseholdForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    cccd: String,
    #[serde(default)]
    relation: String,
    #[serde(default)]
    idem: String,
}

async fn village_for(state: &Shared, s: &Session, id: i64, action: Action) -> AppResult<units::Unit> {
    let village = load_unit(state, id).await?;
    s.require(action, &village)?;
    if village.kind.level() != Level::Village {
        return Err(AppError::NotFound);
    }
    Ok(village)
}

#[allow(clippy::too_many_arguments)] // the page's state: list position, notice, form errors and values
async fn list_page(
    state: &Shared,
    lang: Lang,
    s: &Session,
    village: &units::Unit,
    page: i64,
    notice: Option<String>,
    errors: Vec<String>,
    f: &HouseholdForm,
) -> AppResult<Response> {
    let rows = households::list_by_village(&state.ctx.store, village.id, (page - 1) * PAGE_SIZE, PAGE_SIZE + 1).await?;
    let today = today_vn().to_string();
    let count = households::count_at(&state.ctx.store, village.id, &today).await?;
    let parent = match village.parent_id {
        Some(pid) => Some(units::get(&state.ctx.store, pid).await?).map(|p| (p.id, p.name)),
        None => None,
    };
    let c = Chrome::new(state, lang, Some(s), &format!("/admin/units/{}/households", village.id));
    let more = rows.len() as i64 > PAGE_SIZE;
    let p = ListPage {
        title: fill(c.t.households_title, &[&village.name]),
        count_text: fill(c.t.household_count_at, &[&vn_date(&today), &num(lang, count)]),
        // The relation is written in Vietnamese in the registry, whatever the UI language.
        f_relation: if f.relation.is_empty() { "Chủ hộ".into() } else { f.relation.clone() },
        c: c.with_notice(notice),
        village: village.name.clone(),
        village_id: village.id,
        parent,
        rows: rows
            .into_iter()
            .take(PAGE_SIZE as usize)
            .map(|r| Row {
                id: r.id,
                code: r.code,
                representative: r.representative.unwrap_or_default(),
                address: r.address,
                members: r.members,
                is_demo: r.is_demo,
            })
            .collect(),
        prev: (page > 1).then_some(page - 1),
        next: more.then_some(page + 1),
        can_edit: s.can(Action::EditHouseholds, village).is_some(),
        idem: random_token(16),
        errors,
        f_code: f.code.clone(),
        f_address: f.address.clone(),
        f_full_name: f.full_name.clone(),
        f_birth: f.birth_date.clone(),
    };
    render(&p)
}

/// Households of a village (fixed 4 queries whatever the page).
pub async fn list(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let village = village_for(&state, &s, id, Action::ViewHouseholds).await?;
    let notice = match (q.done.as_deref(), q.code.as_deref()) {
        (Some("added"), Some(code)) => Some(fill(msgs(lang).household_added, &[code])),
        _ => None,
    };
    list_page(&state, lang, &s, &village, q.page.unwrap_or(1).clamp(1, 100_000), notice, vec![], &HouseholdForm::default()).await
}

/// Adds a household with its representative (the village head's evening
/// update); other members come with a household file. Same validation and
/// write path as an import of one household.
pub async fn add(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<HouseholdForm>,
) -> AppResult<Response> {
    let village = village_for(&state, &s, id, Action::EditHouseholds).await?;
    let grant = s.require(Action::EditHouseholds, &village)?.clone();
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let commune = units::get(&state.ctx.store, village.parent_id.ok_or(AppError::NotFound)?).await?;
    let today = today_vn();
    let mut errs: Vec<Msg> = Vec::new();
    let code = HouseholdCode::parse(&f.code).map_err(|m| errs.push(m)).ok();
    let name = FullName::parse(&f.full_name).map_err(|m| errs.push(m)).ok();
    let birth = parse_date(&f.birth_date).map_err(|m| errs.push(m)).ok();
    let address = danchu_domain::text::clean_line(&f.address);
    if address.is_empty() || address.chars().count() > 200 {
        errs.push(Msg::new("Địa chỉ phải có từ 1 đến 200 ký tự.", "The address must have 1 to 200 characters."));
    }
    let relation = danchu_domain::text::clean_line(&f.relation);
    if relation.is_empty() || relation.chars().count() > 50 {
        errs.push(Msg::new("Quan hệ với chủ hộ phải có từ 1 đến 50 ký tự.", "The relation must have 1 to 50 characters."));
    }
    let cccd = match (f.cccd.trim().is_empty(), birth) {
        (true, _) => None,
        (false, b) => Cccd::parse_for(&f.cccd, b, today).map_err(|e| errs.push(e.msg())).ok(),
    };
    if let Some(b) = birth {
        if !is_adult_on(b, today) {
            errs.push(Msg::new(
                "Người đại diện hộ phải là người thành niên (đủ 18 tuổi).",
                "The household representative must be an adult (18 or older).",
            ));
        }
    }
    if let Some(c) = &code {
        if households::code_taken(&state.ctx.store, commune.id, c.as_str()).await? {
            errs.push(Msg::new(crate::web::i18n::VI.household_code_taken, crate::web::i18n::EN.household_code_taken));
        }
    }
    let key = state.ctx.keys.cccd();
    if let Some(c) = &cccd {
        if !households::cccd_holders(&state.ctx.store, &[c.keyed_hash(&key)]).await?.is_empty() {
            errs.push(Msg::new(
                format!("Số CCCD ********{} đã được đăng ký cho một thành viên của hộ khác.", c.last4()),
                format!("Citizen ID ********{} is already registered to a member of another household.", c.last4()),
            ));
        }
    }
    let (Some(code), Some(name), Some(birth), true) = (code, name, birth, errs.is_empty()) else {
        let mut r = list_page(&state, lang, &s, &village, 1, None, errs.iter().map(|m| m.get(lang).to_string()).collect(), &f).await?;
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(r);
    };
    let plan = [NewHousehold {
        code: code.as_str().to_string(),
        village_id: village.id,
        address,
        members: vec![NewMember {
            full_name: name.as_str().to_string(),
            birth_date: birth.to_string(),
            is_head: danchu_domain::text::fold(&relation) == "chu ho",
            relation,
            cccd_hash: cccd.as_ref().map(|c| c.keyed_hash(&key)),
            cccd_last4: cccd.as_ref().map(|c| c.last4()),
        }],
        representative: 0,
    }];
    let villages: std::collections::HashMap<i64, units::Unit> = [(village.id, village.clone())].into_iter().collect();
    let mut tx = state.ctx.store.write().await?;
    // Checked again inside the transaction: an import may have taken the code
    // since the check above.
    if households::code_taken_tx(&mut tx, commune.id, code.as_str()).await? {
        drop(tx);
        let msg = crate::web::i18n::msgs(lang).household_code_taken.to_string();
        let mut r = list_page(&state, lang, &s, &village, 1, None, vec![msg], &f).await?;
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(r);
    }
    households::apply_import(&mut tx, &commune, &villages, &plan, &today.to_string(), false).await?;
    let summary = serde_json::json!({"code": code.as_str(), "village": village.code}).to_string();
    audit::append(&mut tx, &entry(&s, grant.role.as_str(), &village, "household.added", &format!("household:{}", code.as_str()), &summary))
        .await?;
    danchu_store::meta::bump_public_version(&mut tx).await?;
    let n: String = form_urlencoded::byte_serialize(code.as_str().as_bytes()).collect();
    let out =
        commit_once(&state, tx, &f.idem, Some(s.user.id), &format!("/admin/units/{}/households?done=added&code={n}", village.id)).await?;
    state.public_changed();
    Ok(Redirect::to(&out).into_response())
}

struct MemberRow {
    name: String,
    birth: String,
    relation: String,
    cccd: String,
    is_rep: bool,
}

#[derive(Template)]
#[template(path = "admin/household.html")]
struct DetailPage {
    c: Chrome,
    title: String,
    id: i64,
    code: String,
    village: String,
    village_id: i64,
    address: String,
    since: String,
    until: Option<String>,
    today: String,
    can_edit: bool,
    members: Vec<MemberRow>,
}

#[derive(serde::Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn detail(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let h = households::detail(&state.ctx.store, id).await?;
    let village = load_unit(&state, h.village_id).await?;
    s.require(Action::ViewHouseholds, &village)?;
    let c = Chrome::new(&state, lang, Some(&s), &format!("/admin/households/{id}"));
    let notice = match (q.done.as_deref(), &h.valid_to) {
        (Some("closed"), Some(d)) => Some(fill(c.t.household_closed, &[&h.code, &vn_date(d)])),
        _ => None,
    };
    let p = DetailPage {
        title: fill(c.t.household_title, &[&h.code]),
        c: c.with_notice(notice),
        id,
        code: h.code.clone(),
        village: village.name.clone(),
        village_id: village.id,
        address: h.address.clone(),
        since: vn_date(&h.valid_from),
        until: h.valid_to.as_deref().map(vn_date),
        today: vn_date(&today_vn().to_string()),
        can_edit: s.can(Action::EditHouseholds, &village).is_some(),
        members: h
            .members
            .iter()
            .map(|m| MemberRow {
                name: m.full_name.clone(),
                birth: vn_date(&m.birth_date),
                relation: m.relation.clone(),
                cccd: m.cccd_last4.as_deref().map(mask).unwrap_or_else(|| "—".into()),
                is_rep: m.is_representative,
            })
            .collect(),
    };
    render(&p)
}

#[derive(serde::Deserialize)]
pub struct CloseForm {
    date: String,
}

/// Records that a household moved away or no longer exists from a date: it
/// stops counting in the village's household total from that day (C0.4).
pub async fn close(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<CloseForm>,
) -> AppResult<Response> {
    let h = households::detail(&state.ctx.store, id).await?;
    let village = load_unit(&state, h.village_id).await?;
    let grant = s.require(Action::EditHouseholds, &village)?.clone();
    let date = parse_date(&f.date).map_err(|m| AppError::validation("date", m))?;
    // Not in the future: the roll-up counts must equal the count of today.
    if date.to_string() < h.valid_from || date > today_vn() {
        return Err(AppError::validation(
            "date",
            Msg::new(
                "Ngày phải từ ngày hộ vào danh sách đến hôm nay.",
                "The date must be between the day the household entered the registry and today.",
            ),
        ));
    }
    let mut tx = state.ctx.store.write().await?;
    let members = match households::close(&mut tx, id, &date.to_string()).await {
        Ok(n) => n,
        // Already closed (a second click): show the household as it is.
        Err(danchu_store::StoreError::NotFound) => return Ok(Redirect::to(&format!("/admin/households/{id}")).into_response()),
        Err(e) => return Err(e.into()),
    };
    units::bump_stats(&mut tx, &village, UnitStats { villages: 0, households: -1, people: -members }).await?;
    let summary = serde_json::json!({"code": h.code, "date": date.to_string(), "members": members}).to_string();
    audit::append(&mut tx, &entry(&s, grant.role.as_str(), &village, "household.closed", &format!("household:{id}"), &summary)).await?;
    danchu_store::meta::bump_public_version(&mut tx).await?;
    tx.commit().await?;
    state.public_changed();
    Ok(Redirect::to(&format!("/admin/households/{id}?done=closed")).into_response())
}

struct ImportRow {
    id: i64,
    time: String,
    file: String,
    status: String,
}

#[derive(Template)]
#[template(path = "admin/imports.html")]
struct ImportsPage {
    c: Chrome,
    title: String,
    id: i64,
    name: String,
    idem: String,
    error: Option<String>,
    recent: Vec<ImportRow>,
}

pub fn status_label(t: &Msgs, status: &str) -> String {
    match status {
        "queued" => t.status_queued,
        "validating" => t.status_validating,
        "writing" => t.status_writing,
        "done" => t.status_done,
        "rejected" => t.status_rejected,
        _ => t.status_failed,
    }
    .to_string()
}

async fn commune_for_import(state: &Shared, s: &crate::web::auth::Session, id: i64) -> AppResult<(units::Unit, String)> {
    let commune = load_unit(state, id).await?;
    let role = s.require(Action::ImportHouseholds, &commune)?.role.as_str().to_string();
    if commune.kind.level() != Level::Commune {
        return Err(AppError::NotFound);
    }
    Ok((commune, role))
}

async fn imports_page(
    state: &Shared,
    lang: Lang,
    s: &crate::web::auth::Session,
    commune: &units::Unit,
    error: Option<String>,
) -> AppResult<Response> {
    let recent = imports::recent_for(&state.ctx.store, commune.id, 20).await?;
    let c = Chrome::new(state, lang, Some(s), &format!("/admin/units/{}/imports", commune.id));
    let p = ImportsPage {
        title: fill(c.t.import_title, &[&commune.name]),
        recent: recent
            .iter()
            .map(|r| ImportRow { id: r.id, time: vn_time(r.created_at), file: r.file_name.clone(), status: status_label(c.t, &r.status) })
            .collect(),
        c,
        id: commune.id,
        name: commune.name.clone(),
        idem: random_token(16),
        error,
    };
    render(&p)
}

pub async fn imports(State(state): State<Shared>, PageLang(lang): PageLang, Auth(s): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    let (commune, _) = commune_for_import(&state, &s, id).await?;
    imports_page(&state, lang, &s, &commune, None).await
}

/// Receives a file, checks it is a real XLSX or CSV (by content), stores it
/// with a queued import job in one transaction, and shows the progress page.
pub async fn upload(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    mut mp: Multipart,
) -> AppResult<Response> {
    let (commune, role) = commune_for_import(&state, &s, id).await?;
    let mut csrf = String::new();
    let mut idem = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let too_large = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::BadRequest(Msg::new("Không đọc được tệp gửi lên.", "The uploaded file could not be read."))
        }
    };
    while let Some(field) = mp.next_field().await.map_err(too_large)? {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.map_err(too_large)?,
            "idem" => idem = field.text().await.map_err(too_large)?,
            "file" => {
                let name = danchu_domain::text::clean_line(field.file_name().unwrap_or("tep-tai-len"));
                let data = field.bytes().await.map_err(too_large)?;
                file = Some((name.chars().take(200).collect(), data.to_vec()));
            }
            _ => {}
        }
    }
    if !same_token(&s.csrf, &csrf) {
        return Err(AppError::Csrf);
    }
    if let Some(out) = replayed(&state, &idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let t = msgs(lang);
    let refuse = |msg: String| async {
        imports_page(&state, lang, &s, &commune, Some(msg)).await.map(|mut r| {
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            r
        })
    };
    let Some((name, data)) = file.filter(|(_, d)| !d.is_empty()) else {
        return refuse(t.import_no_file.to_string()).await;
    };
    if let Err(m) = crate::importer::sniff(&data) {
        return refuse(m.get(lang).to_string()).await;
    }
    let sha = crate::web::cache::blake_like(&data);
    let mut tx = state.ctx.store.write().await?;
    let import_id = imports::create(&mut tx, commune.id, Some(s.user.id), &name, &sha, &data).await?;
    let payload = serde_json::json!({ "import_id": import_id, "role": role }).to_string();
    jobs::enqueue(&mut tx, crate::jobs::IMPORT_HOUSEHOLDS, &payload, Some(&format!("import:{import_id}")), now_ms()).await?;
    let summary = serde_json::json!({"import_id": import_id, "file": name, "bytes": data.len()}).to_string();
    audit::append(&mut tx, &entry(&s, &role, &commune, "household.import_uploaded", &format!("import:{import_id}"), &summary)).await?;
    let out = commit_once(&state, tx, &idem, Some(s.user.id), &format!("/admin/imports/{import_id}")).await?;
    crate::jobs::wake();
    Ok(Redirect::to(&out).into_response())
}

pub async fn template(Auth(_s): Auth) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"mau-danh-sach-ho-gia-dinh.xlsx\""),
        ],
        crate::import::template_xlsx(),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "admin/import.html")]
struct StatusPage {
    c: Chrome,
    title: String,
    commune: String,
    commune_id: i64,
    file: String,
    status: String,
    status_code: String,
    running: bool,
    done: bool,
    processed: i64,
    total: i64,
    rows_text: String,
    added: String,
    updated: String,
    unchanged: String,
    people_added: String,
    errors: Vec<String>,
}

/// The progress and report of one import (refreshes itself while running).
pub async fn import_status(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let rec = imports::get(&state.ctx.store, id).await?;
    let (commune, _) = commune_for_import(&state, &s, rec.commune_id).await?;
    let c = Chrome::new(&state, lang, Some(&s), &format!("/admin/imports/{id}"));
    let running = matches!(rec.status.as_str(), "queued" | "validating" | "writing");
    let errors: Vec<crate::import::RowError> = serde_json::from_str(&rec.errors).unwrap_or_default();
    let p = StatusPage {
        title: fill(c.t.import_title, &[&commune.name]),
        status: status_label(c.t, &rec.status),
        rows_text: fill(c.t.import_rows, &[&num(lang, rec.processed_rows), &num(lang, rec.total_rows)]),
        c,
        commune: commune.name.clone(),
        commune_id: commune.id,
        file: rec.file_name.clone(),
        status_code: rec.status.clone(),
        running,
        done: rec.status == "done",
        processed: rec.processed_rows,
        total: rec.total_rows.max(1),
        added: num(lang, rec.households_added),
        updated: num(lang, rec.households_updated),
        unchanged: num(lang, rec.households_unchanged),
        people_added: num(lang, rec.people_added),
        errors: errors.iter().map(|e| e.text(lang)).collect(),
    };
    render(&p)
}
