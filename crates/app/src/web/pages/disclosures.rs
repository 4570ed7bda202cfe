//! The officials' side of disclosures: a unit's items with their computed
//! verdicts and compliance rate, publishing an item or a new version with
//! attachments, recording postings, broadcasts and relays, exemptions, the
//! unit's settings, the disclosure plan (R1.11) and the quarterly list
//! (R1.7), and the compliance of every unit below (the province's view).

use super::admin::{entry, load_unit};
use super::portal::ReqRow;
use super::render;
use crate::disclosure::{self as svc, category_label, regime_of, verdict_label};
use crate::error::{AppError, AppResult, FieldError};
use crate::keys::random_token;
use crate::web::auth::{Auth, PageLang, Session};
use crate::web::chrome::{num, today_vn, vn_date, Chrome};
use crate::web::forms::{commit_once, replayed, CsrfForm, MultipartForm};
use crate::web::Shared;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use danchu_domain::accounts::Action;
use danchu_domain::disclosure::{compliance_rate, Category, Channel, Exemption, Record, Regime, VerdictCounts};
use danchu_domain::people::parse_date;
use danchu_domain::text::{clean_line, clean_text};
use danchu_domain::{Lang, Msg};
use danchu_store::disclosures::{self, Counts, ListFilter, NewRecord, NewVersion, Settings};
use danchu_store::units::Unit;
use danchu_store::{audit, jobs, meta, now_ms};

fn invalid(field: &str, m: Msg) -> AppError {
    AppError::Validation(vec![FieldError { field: field.into(), message: m }])
}

/// A date field, dd/mm/yyyy or yyyy-mm-dd (`people::parse_date`, the
/// project's one date parser); empty is `None`, or an error when required.
fn parse_day(field: &str, raw: &str, required: bool) -> Result<Option<NaiveDate>, FieldError> {
    let err = |message| FieldError { field: field.into(), message };
    if raw.trim().is_empty() {
        if !required {
            return Ok(None);
        }
        let (vi, en) = match field {
            "decision_date" => ("Thiếu ngày ban hành quyết định, văn bản.", "The date of the decision is missing."),
            "start_on" => ("Thiếu ngày bắt đầu.", "The start date is missing."),
            "decided_on" => ("Thiếu ngày quyết định áp dụng ngoại lệ.", "The date of the exemption decision is missing."),
            _ => ("Thiếu ngày.", "The date is missing."),
        };
        return Err(err(Msg::new(vi, en)));
    }
    parse_date(raw).map(Some).map_err(err)
}

/// A required date of a handler: its error is the response.
fn required_day(field: &str, raw: &str) -> AppResult<NaiveDate> {
    match parse_day(field, raw, true) {
        Ok(d) => Ok(d.expect("required dates are present")),
        Err(e) => Err(AppError::Validation(vec![e])),
    }
}

fn counts_to_domain(c: &Counts) -> VerdictCounts {
    VerdictCounts {
        compliant: c.compliant as u64,
        late: c.late as u64,
        in_progress: c.in_progress as u64,
        pending: c.pending as u64,
        non_compliant: c.non_compliant as u64,
    }
}

/// A compliance rate as "98,7 %" (or "—" when nothing is due yet).
pub fn rate_text(lang: Lang, c: &Counts) -> String {
    match compliance_rate(&counts_to_domain(c)) {
        Some(r) => {
            let t = r.percent_tenths();
            let sep = if lang == Lang::Vi { ',' } else { '.' };
            format!("{}{}{} %", t / 10, sep, t % 10)
        }
        None => "—".into(),
    }
}

async fn unit_for(state: &Shared, s: &Session, id: i64, action: Action) -> AppResult<(Unit, Regime, String)> {
    let unit = load_unit(state, id).await?;
    let grant = s.require(action, &unit)?;
    let regime = regime_of(&unit)?;
    Ok((unit, regime, grant.role.as_str().to_string()))
}

pub struct ItemRow {
    pub id: i64,
    pub title: String,
    pub category: String,
    pub published: String,
    pub deadline: String,
    pub verdict: String,
    pub verdict_ok: bool,
    pub withdrawn: bool,
    pub internal: bool,
}

pub struct Opt {
    pub value: String,
    pub label: String,
}

pub struct ExemptionRow {
    pub category: String,
    pub ground: String,
    pub reference: String,
    pub decided_on: String,
    pub decided_by: String,
}

#[derive(Template)]
#[template(path = "disclosures/unit.html")]
struct UnitPage {
    c: Chrome,
    unit_id: i64,
    unit_name: String,
    unit_code: String,
    counts: Counts,
    rate: String,
    rows: Vec<ItemRow>,
    can_publish: bool,
    settings: Settings,
    is_commune: bool,
    categories: Vec<Opt>,
    grounds: Vec<Opt>,
    exemptions: Vec<ExemptionRow>,
    has_children: bool,
    year: i32,
    quarter: u32,
    idem: String,
}

#[derive(serde::Deserialize, Default)]
pub struct NoticeQuery {
    done: Option<String>,
}

fn notice(lang: Lang, done: Option<&str>) -> Option<String> {
    let (vi, en) = match done? {
        "published" => ("Đã đăng nội dung công khai.", "The item was published."),
        "version" => {
            ("Đã đăng nội dung sửa đổi; lịch sử các lần công khai vẫn được giữ.", "The new version was published; the history is kept.")
        }
        "recorded" => ("Đã ghi nhận việc công khai.", "The disclosure was recorded."),
        "ended" => ("Đã ghi ngày kết thúc niêm yết.", "The end of the posting was recorded."),
        "settings" => ("Đã lưu.", "Saved."),
        "exemption" => {
            ("Đã ghi nhận việc áp dụng ngoại lệ (không lưu nội dung).", "The exemption was recorded (its content is not stored).")
        }
        "withdrawn" => ("Đã gỡ nội dung khỏi trang công khai.", "The item was withdrawn from the public pages."),
        "document" => ("Đã lập và công khai văn bản.", "The document was generated and published."),
        _ => return None,
    };
    Some(Msg::new(vi, en).get(lang).to_string())
}

/// A unit's disclosures with their verdicts and its compliance rate.
pub async fn unit_page(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let (unit, regime, _) = unit_for(&state, &s, id, Action::ViewUnitAdmin).await?;
    let store = &state.ctx.store;
    let counts = disclosures::counts(store, unit.id).await?;
    let filter = ListFilter { unit_id: Some(unit.id), include_withdrawn: true, ..ListFilter::default() };
    let items = disclosures::list(store, &filter, None, 100).await?;
    let settings = disclosures::settings(store, unit.id).await?.unwrap_or_else(|| svc::default_settings(regime));
    let exemptions = disclosures::exemptions(store, unit.id).await?;
    let has_children = unit.kind.level() == danchu_domain::units::Level::Province;
    let today = today_vn();
    let c = Chrome::new(&state, lang, Some(&s), &format!("/admin/units/{id}/disclosures"));
    let page = UnitPage {
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        unit_code: unit.code.clone(),
        rate: rate_text(lang, &counts),
        counts,
        rows: items
            .iter()
            .map(|i| ItemRow {
                id: i.id,
                title: i.title.clone(),
                category: category_label(&i.category, lang),
                published: vn_date(&i.published_on),
                deadline: i.deadline.as_deref().map(vn_date).unwrap_or_else(|| "—".into()),
                verdict: verdict_label(&i.verdict, lang),
                verdict_ok: i.verdict == "compliant",
                withdrawn: i.withdrawn,
                internal: i.audience != "citizens",
            })
            .collect(),
        can_publish: s.can(Action::PublishDisclosures, &unit).is_some(),
        settings,
        is_commune: regime == Regime::Commune,
        categories: Category::all_for(regime)
            .into_iter()
            .map(|c| Opt { value: c.code(), label: c.label().get(lang).to_string() })
            .collect(),
        grounds: Exemption::all_for(regime)
            .into_iter()
            .map(|e| Opt { value: e.as_str().into(), label: e.label().get(lang).to_string() })
            .collect(),
        exemptions: exemptions
            .into_iter()
            .map(|e| ExemptionRow {
                category: category_label(&e.category, lang),
                ground: Exemption::parse(&e.ground).map(|g| g.label().get(lang).to_string()).unwrap_or(e.ground),
                reference: e.reference,
                decided_on: vn_date(&e.decided_on),
                decided_by: e.decided_by.unwrap_or_default(),
            })
            .collect(),
        has_children,
        year: chrono::Datelike::year(&today),
        quarter: (chrono::Datelike::month(&today) - 1) / 3 + 1,
        idem: random_token(16),
        c: c.with_notice(notice(lang, q.done.as_deref())),
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "disclosures/new.html")]
struct NewPage {
    c: Chrome,
    unit_id: i64,
    unit_name: String,
    categories: Vec<Opt>,
    max_mb: usize,
    idem: String,
}

pub async fn new_form(State(state): State<Shared>, PageLang(lang): PageLang, Auth(s): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    let (unit, regime, _) = unit_for(&state, &s, id, Action::PublishDisclosures).await?;
    let c = Chrome::new(&state, lang, Some(&s), &format!("/admin/units/{id}/disclosures/new"));
    render(&NewPage {
        c,
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        categories: Category::all_for(regime)
            .into_iter()
            .map(|c| Opt { value: c.code(), label: c.label().get(lang).to_string() })
            .collect(),
        max_mb: state.ctx.cfg.max_attachment_bytes / (1024 * 1024),
        idem: random_token(16),
    })
}

/// The content of a version as submitted, validated.
async fn version_from(state: &Shared, f: &MultipartForm, today: NaiveDate) -> AppResult<(NewVersion, NaiveDate, Option<NaiveDate>)> {
    let mut errors = Vec::new();
    let title = clean_line(f.get("title"));
    if title.is_empty() || title.chars().count() > 300 {
        errors.push(FieldError {
            field: "title".into(),
            message: Msg::new("Hãy nhập tiêu đề (tối đa 300 ký tự).", "Enter a title (at most 300 characters)."),
        });
    }
    let body = clean_text(f.get("body"));
    if body.chars().count() > 200_000 {
        errors.push(FieldError { field: "body".into(), message: Msg::new("Nội dung quá dài.", "The text is too long.") });
    }
    let decision_date = match parse_day("decision_date", f.get("decision_date"), true) {
        Ok(d) => d,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if decision_date.is_some_and(|d| d > today) {
        errors.push(FieldError {
            field: "decision_date".into(),
            message: Msg::new("Ngày ban hành không được sau ngày hôm nay.", "The decision date cannot be in the future."),
        });
    }
    let sector_deadline = match parse_day("sector_deadline", f.get("sector_deadline"), false) {
        Ok(d) => d,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let sector_basis = clean_line(f.get("sector_basis"));
    if sector_deadline.is_some() && sector_basis.is_empty() {
        errors.push(FieldError {
            field: "sector_basis".into(),
            message: Msg::new(
                "Hạn công khai theo luật chuyên ngành cần ghi rõ căn cứ (điều, khoản, văn bản).",
                "A deadline from a sector law needs its legal basis.",
            ),
        });
    }
    if let (Some(sd), Some(dd)) = (sector_deadline, decision_date) {
        if sd < dd {
            errors.push(FieldError {
                field: "sector_deadline".into(),
                message: Msg::new("Hạn công khai không được trước ngày ban hành.", "The deadline cannot be before the decision date."),
            });
        }
    }
    // An item already published on the unit's own portal before it was
    // entered here keeps that date (recorded in the audit trail).
    let published_on = match parse_day("published_on", f.get("published_on"), false) {
        Ok(d) => d.unwrap_or(today),
        Err(e) => {
            errors.push(e);
            today
        }
    };
    if published_on > today || decision_date.is_some_and(|d| published_on < d) {
        errors.push(FieldError {
            field: "published_on".into(),
            message: Msg::new(
                "Ngày đăng trên cổng thông tin phải từ ngày ban hành đến hôm nay.",
                "The portal publication date must lie between the decision date and today.",
            ),
        });
    }
    let mut attachments = Vec::new();
    for up in f.files.iter().filter(|u| u.field == "files") {
        match svc::check_attachment(&state.ctx, &up.name, &up.data).await {
            Ok(a) => attachments.push(a),
            Err(m) => errors.push(FieldError {
                field: "files".into(),
                message: Msg::new(format!("{}: {}", up.name, m.vi), format!("{}: {}", up.name, m.en)),
            }),
        }
    }
    if body.is_empty() && attachments.is_empty() && errors.is_empty() {
        errors.push(FieldError {
            field: "body".into(),
            message: Msg::new("Hãy nhập nội dung hoặc đính kèm tệp.", "Enter the text or attach a file."),
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let decision_date = decision_date.expect("checked above");
    Ok((
        NewVersion {
            title,
            body,
            decision_number: clean_line(f.get("decision_number")).chars().take(100).collect(),
            decision_date: decision_date.to_string(),
            signer: clean_line(f.get("signer")).chars().take(150).collect(),
            sector_deadline: sector_deadline.map(|d| d.to_string()),
            sector_basis: (!sector_basis.is_empty()).then_some(sector_basis),
            change_note: Some(clean_line(f.get("change_note"))).filter(|s| !s.is_empty()),
            attachments,
            published_on: published_on.to_string(),
        },
        decision_date,
        sector_deadline,
    ))
}

/// Publishes a new item (multipart: attachments).
pub async fn create(State(state): State<Shared>, Auth(s): Auth, Path(id): Path<i64>, mp: Multipart) -> AppResult<Response> {
    let (unit, regime, role) = unit_for(&state, &s, id, Action::PublishDisclosures).await?;
    let f = MultipartForm::read(mp, &s.csrf).await?;
    if let Some(out) = replayed(&state, f.get("idem")).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let category = Category::parse_for(regime, f.get("category")).map_err(|m| invalid("category", m))?;
    let today = today_vn();
    let (v, decision_date, sector_deadline) = version_from(&state, &f, today).await?;
    let audience = regime.default_audience();
    let (tx, item_id) =
        publish(&state.ctx, &unit, category, audience.as_str(), &v, decision_date, sector_deadline, Some((&s, role.as_str())), false)
            .await?;
    let out = commit_once(&state, tx, f.get("idem"), Some(s.user.id), &format!("/admin/disclosures/{item_id}?done=published")).await?;
    after_publish(&state);
    Ok(Redirect::to(&out).into_response())
}

/// After a commit that changed public content: this node's cached pages
/// are dropped at once and the job worker is woken.
pub(crate) fn after_publish(state: &Shared) {
    state.cache.clear();
    crate::web::cache::local_change();
    crate::jobs::wake();
}

/// Publishes an item in a new transaction (not committed): the verdict,
/// roll-up, index, audit entry, public-version bump and notification job.
/// Used by the page, the demo and the generated documents.
#[allow(clippy::too_many_arguments)]
pub async fn publish(
    ctx: &crate::context::Ctx,
    unit: &Unit,
    category: Category,
    audience: &str,
    v: &NewVersion,
    decision_date: NaiveDate,
    sector_deadline: Option<NaiveDate>,
    by: Option<(&Session, &str)>,
    is_demo: bool,
) -> AppResult<(danchu_store::Tx, i64)> {
    let today = today_vn();
    let mut tx = ctx.store.write().await?;
    let published_on = NaiveDate::parse_from_str(&v.published_on, "%Y-%m-%d").unwrap_or(today);
    let verdict = svc::initial_verdict(ctx, &mut tx, unit, category, decision_date, sector_deadline, published_on, today).await?;
    let user_id = by.map(|(s, _)| s.user.id);
    let item_id = disclosures::create(&mut tx, unit, &category.code(), audience, v, &verdict, user_id, is_demo).await?;
    let summary =
        serde_json::json!({"category": category.code(), "title": v.title, "attachments": v.attachments.len(), "published_on": v.published_on}).to_string();
    let target = format!("disclosure:{item_id}");
    let e = match by {
        Some((s, role)) => entry(s, role, unit, "disclosure.published", &target, &summary),
        None => audit::Entry::on_unit(None, "system", unit, "disclosure.published", &target, &summary),
    };
    audit::append(&mut tx, &e).await?;
    meta::bump_public_version(&mut tx).await?;
    // Demo data loaded by the system has no subscribers to tell yet.
    if !(is_demo && by.is_none()) {
        let payload = serde_json::json!({"id": item_id, "version": 1}).to_string();
        jobs::enqueue(&mut tx, crate::outbox::NOTIFY_DISCLOSURE, &payload, Some(&format!("notify:{item_id}:1")), now_ms()).await?;
    }
    Ok((tx, item_id))
}

struct RecordRowView {
    id: i64,
    channel: String,
    place: String,
    start: String,
    end: String,
    ongoing: bool,
    days: String,
    responsible: String,
    note: String,
    has_photo: bool,
}

#[derive(Template)]
#[template(path = "disclosures/item.html")]
struct ItemAdminPage {
    c: Chrome,
    id: i64,
    unit_id: i64,
    unit_name: String,
    title: String,
    category: String,
    version: i64,
    decision: String,
    verdict: String,
    verdict_ok: bool,
    deadline: Option<String>,
    requirements: Vec<ReqRow>,
    records: Vec<RecordRowView>,
    channels: Vec<Opt>,
    villages: Vec<Opt>,
    can_publish: bool,
    can_record: bool,
    withdrawn: bool,
    idem: String,
    today: String,
    max_mb: usize,
    cur_title: String,
    cur_body: String,
    cur_number: String,
    cur_signer: String,
}

async fn item_for(state: &Shared, s: &Session, id: i64, action: Action) -> AppResult<(disclosures::Detail, Unit, String)> {
    let d = disclosures::detail(&state.ctx.store, id).await?.ok_or(AppError::NotFound)?;
    let unit = load_unit(state, d.item.unit_id).await?;
    let role = match s.can(action, &unit) {
        Some(g) => g.role.as_str().to_string(),
        // A village head works on the commune's items for their own village
        // only (R1.5 posting at the village, R1.9 relay): see `add_record`.
        None if matches!(action, Action::ViewUnitAdmin | Action::RecordDisclosures) => {
            village_grant(s, &unit).ok_or(AppError::Forbidden)?.role.as_str().to_string()
        }
        None => return Err(AppError::Forbidden),
    };
    Ok((d, unit, role))
}

/// A grant to record disclosures at a village of `unit` (a village head's).
fn village_grant<'a>(s: &'a Session, unit: &Unit) -> Option<&'a danchu_store::accounts::Grant> {
    s.grants.iter().find(|g| g.unit_path.starts_with(&unit.path) && g.unit_path != unit.path && g.role.allows(Action::RecordDisclosures))
}

/// An item's obligations, what was done and what is missing, and the
/// forms to record a posting or publish a new version.
pub async fn item_page(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let (d, unit, _) = item_for(&state, &s, id, Action::ViewUnitAdmin).await?;
    let regime = regime_of(&unit)?;
    let a = svc::assess_detail(&state, &unit, &d).await?;
    let villages = svc::villages_of(&state.ctx.store, &unit).await?;
    let v = d.current().clone();
    let c = Chrome::new(&state, lang, Some(&s), &format!("/admin/disclosures/{id}"));
    let page = ItemAdminPage {
        id,
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        title: v.title.clone(),
        category: category_label(&d.item.category, lang),
        version: d.item.version,
        decision: format!("{} {}", v.decision_number, vn_date(&v.decision_date)).trim().to_string(),
        verdict: verdict_label(&a.verdict, lang),
        verdict_ok: a.verdict == "compliant",
        deadline: a.deadline.as_deref().map(vn_date),
        requirements: a.rows(lang),
        records: d
            .records
            .iter()
            .filter(|r| r.version == d.item.version)
            .map(|r| {
                let start = NaiveDate::parse_from_str(&r.start_on, "%Y-%m-%d").ok();
                let end = r.end_on.as_deref().and_then(|e| NaiveDate::parse_from_str(e, "%Y-%m-%d").ok());
                let days = match (start, end) {
                    (Some(s0), Some(e0)) => num(lang, (e0 - s0).num_days() + 1),
                    (Some(s0), None) => num(lang, (today_vn() - s0).num_days() + 1),
                    _ => String::new(),
                };
                RecordRowView {
                    id: r.id,
                    channel: Channel::parse(&r.channel).map(|c| c.label().get(lang).to_string()).unwrap_or(r.channel.clone()),
                    place: r.place_name.clone().unwrap_or_default(),
                    start: vn_date(&r.start_on),
                    end: r.end_on.as_deref().map(vn_date).unwrap_or_default(),
                    ongoing: r.end_on.is_none(),
                    days,
                    responsible: r.responsible.clone(),
                    note: if r.written_to_all { format!("{} ✓", r.note) } else { r.note.clone() },
                    has_photo: r.photo_sha256.is_some(),
                }
            })
            .collect(),
        channels: Channel::all_for(regime)
            .into_iter()
            .filter(|c| *c != Channel::Portal)
            .map(|c| Opt { value: c.as_str().into(), label: c.label().get(lang).to_string() })
            .collect(),
        villages: villages.iter().map(|v| Opt { value: v.id.to_string(), label: v.name.clone() }).collect(),
        can_publish: s.can(Action::PublishDisclosures, &unit).is_some() && !d.item.withdrawn,
        can_record: s.can(Action::RecordDisclosures, &unit).is_some() && !d.item.withdrawn,
        withdrawn: d.item.withdrawn,
        idem: random_token(16),
        today: today_vn().to_string(),
        max_mb: state.ctx.cfg.max_attachment_bytes / (1024 * 1024),
        cur_title: v.title.clone(),
        cur_body: v.body.clone(),
        cur_number: v.decision_number.clone(),
        cur_signer: v.signer.clone(),
        c: c.with_notice(notice(lang, q.done.as_deref())),
    };
    render(&page)
}

/// Records a posting, broadcast, relay or notice (multipart: an optional
/// photo of the posted notice). A posting shorter than the law's minimum
/// is accepted as recorded and flagged by the verdict, never adjusted.
pub async fn add_record(State(state): State<Shared>, Auth(s): Auth, Path(id): Path<i64>, mp: Multipart) -> AppResult<Response> {
    let (d, unit, role) = item_for(&state, &s, id, Action::RecordDisclosures).await?;
    let f = MultipartForm::read(mp, &s.csrf).await?;
    if let Some(out) = replayed(&state, f.get("idem")).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    if d.item.withdrawn {
        return Err(AppError::Conflict(Msg::new("Nội dung đã bị gỡ.", "The item was withdrawn.")));
    }
    let regime = regime_of(&unit)?;
    let channel = Channel::parse(f.get("channel"))
        .filter(|c| Channel::all_for(regime).contains(c))
        .ok_or_else(|| invalid("channel", Msg::new("Hãy chọn hình thức công khai.", "Choose how it was disclosed.")))?;
    let villages = svc::villages_of(&state.ctx.store, &unit).await?;
    let place =
        match f.get("place").trim() {
            "" => None,
            p => Some(p.parse::<i64>().ok().filter(|id| villages.iter().any(|v| v.id == *id)).ok_or_else(|| {
                invalid("place", Msg::new("Thôn, tổ dân phố không thuộc đơn vị này.", "That village is not in this unit."))
            })?),
        };
    if s.can(Action::RecordDisclosures, &unit).is_none() {
        // Only at a village the user answers for, and only the village channels.
        let own = villages.iter().find(|v| Some(v.id) == place).is_some_and(|v| s.can(Action::RecordDisclosures, v).is_some());
        if !channel.needs_place() || !own {
            return Err(AppError::Forbidden);
        }
    }
    let start = required_day("start_on", f.get("start_on"))?;
    let end = parse_day("end_on", f.get("end_on"), false).map_err(|e| AppError::Validation(vec![e]))?;
    let today = today_vn();
    let record = Record {
        channel,
        place: if channel.needs_place() { place } else { None },
        start,
        end,
        written_to_all: f.checked("written_to_all"),
    };
    record.validate().map_err(|m| invalid("end_on", m))?;
    let decision = NaiveDate::parse_from_str(&d.current().decision_date, "%Y-%m-%d").map_err(|e| AppError::Internal(e.to_string()))?;
    if start < decision {
        return Err(invalid(
            "start_on",
            Msg::new("Ngày bắt đầu công khai không được trước ngày ban hành văn bản.", "Disclosure cannot start before the decision date."),
        ));
    }
    if start > today + chrono::Days::new(60) {
        return Err(invalid("start_on", Msg::new("Ngày bắt đầu quá xa trong tương lai.", "The start date is too far in the future.")));
    }
    let photo = match f.files.iter().find(|u| u.field == "photo") {
        Some(up) => {
            let a = svc::check_attachment(&state.ctx, &up.name, &up.data).await.map_err(|m| invalid("photo", m))?;
            if !matches!(a.kind.as_str(), "jpeg" | "png" | "pdf") {
                return Err(invalid("photo", Msg::new("Ảnh chụp phải là JPEG, PNG hoặc PDF.", "The photo must be a JPEG, PNG or PDF.")));
            }
            Some(a)
        }
        None => None,
    };
    let responsible = clean_line(f.get("responsible"));
    if responsible.is_empty() {
        return Err(invalid("responsible", Msg::new("Hãy ghi người thực hiện.", "Enter who did it.")));
    }
    let r = NewRecord {
        channel: channel.as_str().into(),
        place_id: record.place,
        start_on: start.to_string(),
        end_on: end.map(|e| e.to_string()),
        written_to_all: record.written_to_all,
        responsible: responsible.chars().take(150).collect(),
        note: clean_line(f.get("note")).chars().take(500).collect(),
        photo,
    };
    let mut tx = state.ctx.store.write().await?;
    let rid = disclosures::add_record(&mut tx, id, d.item.version, &r, Some(s.user.id)).await?;
    svc::reevaluate(&state.ctx, &mut tx, id, today).await?;
    let summary =
        serde_json::json!({"record": rid, "channel": r.channel, "start": r.start_on, "end": r.end_on, "place": r.place_id}).to_string();
    audit::append(&mut tx, &entry(&s, &role, &unit, "disclosure.recorded", &format!("disclosure:{id}"), &summary)).await?;
    meta::bump_public_version(&mut tx).await?;
    let out = commit_once(&state, tx, f.get("idem"), Some(s.user.id), &format!("/admin/disclosures/{id}?done=recorded")).await?;
    after_publish(&state);
    Ok(Redirect::to(&out).into_response())
}

#[derive(serde::Deserialize)]
pub struct EndForm {
    #[serde(default)]
    end_on: String,
    #[serde(default)]
    idem: String,
}

/// Records the day a posting was taken down.
pub async fn end_record(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path((id, rid)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<EndForm>,
) -> AppResult<Response> {
    let (d, unit, role) = item_for(&state, &s, id, Action::RecordDisclosures).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let end = required_day("end_on", &f.end_on)?;
    let rec = d.records.iter().find(|r| r.id == rid && r.version == d.item.version).ok_or(AppError::NotFound)?;
    if rec.start_on.as_str() > end.to_string().as_str() {
        return Err(invalid(
            "end_on",
            Msg::new("Ngày kết thúc không được trước ngày bắt đầu.", "The end date must not be before the start date."),
        ));
    }
    let mut tx = state.ctx.store.write().await?;
    if !disclosures::end_record(&mut tx, id, rid, &end.to_string()).await? {
        return Err(AppError::Conflict(Msg::new("Việc niêm yết này đã có ngày kết thúc.", "This posting already has an end date.")));
    }
    svc::reevaluate(&state.ctx, &mut tx, id, today_vn()).await?;
    let summary = serde_json::json!({"record": rid, "end": end.to_string()}).to_string();
    audit::append(&mut tx, &entry(&s, &role, &unit, "disclosure.record_ended", &format!("disclosure:{id}"), &summary)).await?;
    meta::bump_public_version(&mut tx).await?;
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &format!("/admin/disclosures/{id}?done=ended")).await?;
    after_publish(&state);
    Ok(Redirect::to(&out).into_response())
}

/// Publishes a changed version (R1.10): disclosed again under the same
/// rules, the earlier versions stay visible.
pub async fn add_version(State(state): State<Shared>, Auth(s): Auth, Path(id): Path<i64>, mp: Multipart) -> AppResult<Response> {
    let (d, unit, role) = item_for(&state, &s, id, Action::PublishDisclosures).await?;
    let f = MultipartForm::read(mp, &s.csrf).await?;
    if let Some(out) = replayed(&state, f.get("idem")).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    if d.item.withdrawn {
        return Err(AppError::Conflict(Msg::new("Nội dung đã bị gỡ.", "The item was withdrawn.")));
    }
    let today = today_vn();
    let (mut v, decision_date, sector_deadline) = version_from(&state, &f, today).await?;
    if v.change_note.is_none() {
        return Err(invalid("change_note", Msg::new("Hãy ghi nội dung thay đổi.", "Describe what changed.")));
    }
    if v.attachments.is_empty() && f.checked("keep_files") {
        // Keep the previous version's attachments unless new ones were sent.
        for a in d.attachments.iter().filter(|a| a.version == d.item.version) {
            if let Some((meta_, bytes)) = disclosures::file(&state.ctx.store, &a.sha256).await? {
                let text = danchu_files::FileKind::parse(&meta_.kind)
                    .and_then(|k| danchu_files::extract_text(k, &bytes, 200_000).ok())
                    .unwrap_or_default();
                v.attachments.push(disclosures::NewAttachment {
                    sha256: a.sha256.clone(),
                    kind: meta_.kind,
                    name: a.name.clone(),
                    content: bytes,
                    text,
                });
            }
        }
    }
    let category = Category::parse(&d.item.category).ok_or_else(|| AppError::Internal("category".into()))?;
    let mut tx = state.ctx.store.write().await?;
    let verdict = svc::initial_verdict(&state.ctx, &mut tx, &unit, category, decision_date, sector_deadline, today, today).await?;
    let version = disclosures::add_version(&mut tx, id, &v, &verdict, Some(s.user.id)).await?.ok_or(AppError::NotFound)?;
    let summary = serde_json::json!({"version": version, "change": v.change_note}).to_string();
    audit::append(&mut tx, &entry(&s, &role, &unit, "disclosure.revised", &format!("disclosure:{id}"), &summary)).await?;
    meta::bump_public_version(&mut tx).await?;
    let payload = serde_json::json!({"id": id, "version": version}).to_string();
    jobs::enqueue(&mut tx, crate::outbox::NOTIFY_DISCLOSURE, &payload, Some(&format!("notify:{id}:{version}")), now_ms()).await?;
    let out = commit_once(&state, tx, f.get("idem"), Some(s.user.id), &format!("/admin/disclosures/{id}?done=version")).await?;
    after_publish(&state);
    Ok(Redirect::to(&out).into_response())
}

#[derive(serde::Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    idem: String,
}

/// Withdraws an item published by mistake (kept with its history, out of
/// the public lists, feeds, search and roll-up); a reason is required.
pub async fn withdraw(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<WithdrawForm>,
) -> AppResult<Response> {
    let (_, unit, role) = item_for(&state, &s, id, Action::PublishDisclosures).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let reason = clean_line(&f.reason);
    if reason.is_empty() {
        return Err(invalid("reason", Msg::new("Hãy ghi lý do gỡ nội dung.", "Give the reason for withdrawing.")));
    }
    let mut tx = state.ctx.store.write().await?;
    if !disclosures::withdraw(&mut tx, id).await? {
        return Err(AppError::Conflict(Msg::new("Nội dung đã bị gỡ trước đó.", "The item was already withdrawn.")));
    }
    let summary = serde_json::json!({"reason": reason}).to_string();
    audit::append(&mut tx, &entry(&s, &role, &unit, "disclosure.withdrawn", &format!("disclosure:{id}"), &summary)).await?;
    meta::bump_public_version(&mut tx).await?;
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &format!("/admin/disclosures/{id}?done=withdrawn")).await?;
    after_publish(&state);
    Ok(Redirect::to(&out).into_response())
}

#[derive(serde::Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    has_portal: String,
    #[serde(default)]
    has_loudspeaker: String,
    #[serde(default)]
    has_internal_system: String,
    #[serde(default)]
    idem: String,
}

/// Saves what the unit has (portal, loudspeaker system, internal system);
/// the items' verdicts follow at their next evaluation.
pub async fn save_settings(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<SettingsForm>,
) -> AppResult<Response> {
    let (unit, _, role) = unit_for(&state, &s, id, Action::PublishDisclosures).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let st = Settings {
        has_portal: !f.has_portal.is_empty(),
        has_loudspeaker: !f.has_loudspeaker.is_empty(),
        has_internal_system: !f.has_internal_system.is_empty(),
    };
    let mut tx = state.ctx.store.write().await?;
    disclosures::set_settings(&mut tx, unit.id, st).await?;
    let summary = serde_json::to_string(&st).unwrap_or_default();
    audit::append(&mut tx, &entry(&s, &role, &unit, "disclosure.settings_changed", &format!("unit:{}", unit.id), &summary)).await?;
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &format!("/admin/units/{id}/disclosures?done=settings")).await?;
    Ok(Redirect::to(&out).into_response())
}

#[derive(serde::Deserialize)]
pub struct ExemptionForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    ground: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    decided_on: String,
    #[serde(default)]
    idem: String,
}

/// Records that an exemption was used (C0.6): the ground, the reference of
/// the decision and who recorded it; the content itself is never entered.
pub async fn add_exemption(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ExemptionForm>,
) -> AppResult<Response> {
    let (unit, regime, role) = unit_for(&state, &s, id, Action::PublishDisclosures).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let category = Category::parse_for(regime, &f.category).map_err(|m| invalid("category", m))?;
    let ground = Exemption::parse_for(regime, &f.ground).map_err(|m| invalid("ground", m))?;
    let reference = clean_line(&f.reference);
    if reference.is_empty() {
        return Err(invalid(
            "reference",
            Msg::new("Hãy ghi số, ký hiệu văn bản quyết định không công khai.", "Give the reference of the decision not to disclose."),
        ));
    }
    let decided_on = required_day("decided_on", &f.decided_on)?;
    let mut tx = state.ctx.store.write().await?;
    let eid = disclosures::add_exemption(&mut tx, &unit, &category.code(), ground.as_str(), &reference, &decided_on.to_string(), s.user.id)
        .await?;
    let summary = serde_json::json!({"exemption": eid, "category": category.code(), "ground": ground.as_str()}).to_string();
    audit::append(&mut tx, &entry(&s, &role, &unit, "disclosure.exemption_used", &format!("unit:{}", unit.id), &summary)).await?;
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &format!("/admin/units/{id}/disclosures?done=exemption")).await?;
    Ok(Redirect::to(&out).into_response())
}

pub struct ChildRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub items: String,
    pub compliant: String,
    pub late: String,
    pub open: String,
    pub non_compliant: String,
    pub rate: String,
    pub rate_sort: i64,
}

#[derive(Template)]
#[template(path = "disclosures/compliance.html")]
struct CompliancePage {
    c: Chrome,
    unit_id: i64,
    unit_name: String,
    rows: Vec<ChildRow>,
    total_rate: String,
}

/// The compliance of every unit directly below (the 166 communes for the
/// province), worst first: one query over the roll-up.
pub async fn compliance(State(state): State<Shared>, PageLang(lang): PageLang, Auth(s): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    let unit = load_unit(&state, id).await?;
    s.require(Action::ViewStatistics, &unit)?;
    let children = disclosures::counts_of_children(&state.ctx.store, unit.id).await?;
    let mut total = Counts::default();
    let mut rows: Vec<ChildRow> = children
        .into_iter()
        .map(|(cid, code, name, c)| {
            total.add(&c);
            let rate_sort = compliance_rate(&counts_to_domain(&c)).map(|r| r.percent_tenths() as i64).unwrap_or(1001);
            ChildRow {
                id: cid,
                code,
                name,
                items: num(lang, c.items),
                compliant: num(lang, c.compliant),
                late: num(lang, c.late),
                open: num(lang, c.in_progress + c.pending),
                non_compliant: num(lang, c.non_compliant),
                rate: rate_text(lang, &c),
                rate_sort,
            }
        })
        .collect();
    rows.sort_by(|a, b| a.rate_sort.cmp(&b.rate_sort).then(a.code.cmp(&b.code)));
    let c = Chrome::new(&state, lang, Some(&s), &format!("/admin/units/{id}/compliance"));
    render(&CompliancePage { c, unit_id: unit.id, unit_name: unit.name.clone(), total_rate: rate_text(lang, &total), rows })
}

#[derive(serde::Deserialize)]
pub struct DocumentForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    quarter: String,
    #[serde(default)]
    responsible: String,
    #[serde(default)]
    signer: String,
    #[serde(default)]
    idem: String,
}

/// Generates the disclosure plan of a year (R1.11) or the list of a
/// quarter (R1.7) and publishes it as an item with its PDF and DOCX.
pub async fn generate_document(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<DocumentForm>,
) -> AppResult<Response> {
    let (unit, regime, role) = unit_for(&state, &s, id, Action::PublishDisclosures).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let year: i32 = f
        .year
        .trim()
        .parse()
        .ok()
        .filter(|y| (2023..=2100).contains(y))
        .ok_or_else(|| invalid("year", Msg::new("Năm không hợp lệ.", "Invalid year.")))?;
    let kind = match f.kind.as_str() {
        "plan" => crate::documents::Kind::Plan { year },
        "report" => crate::documents::Kind::Report { year },
        "quarter" => {
            let quarter: u32 = f
                .quarter
                .trim()
                .parse()
                .ok()
                .filter(|q| (1..=4).contains(q))
                .ok_or_else(|| invalid("quarter", Msg::new("Quý phải từ 1 đến 4.", "The quarter is 1 to 4.")))?;
            crate::documents::Kind::Quarter { year, quarter }
        }
        _ => return Err(invalid("kind", Msg::new("Loại văn bản không hợp lệ.", "Unknown document."))),
    };
    let signer = clean_line(&f.signer);
    let responsible = clean_line(&f.responsible);
    if signer.is_empty() || responsible.is_empty() {
        return Err(invalid(
            "signer",
            Msg::new("Hãy ghi người ký và bộ phận chịu trách nhiệm.", "Enter the signer and the responsible office."),
        ));
    }
    if let Some(existing) = disclosures::document(&state.ctx.store, unit.id, kind.code(), &kind.period()).await? {
        return Err(AppError::Conflict(Msg::new(
            format!("Văn bản của kỳ này đã được lập (mục số {existing}); hãy đăng nội dung sửa đổi trên mục đó nếu cần thay đổi."),
            format!("This period's document exists (item {existing}); publish a new version of it to change it."),
        )));
    }
    let today = today_vn();
    let v = crate::documents::version(&state.ctx, &unit, &state.province, kind, &responsible, &signer, today).await?;
    let category = crate::documents::category_for(regime);
    let (mut tx, item_id) =
        publish(&state.ctx, &unit, category, regime.default_audience().as_str(), &v, today, None, Some((&s, role.as_str())), unit.is_demo)
            .await?;
    if !disclosures::record_document(&mut tx, unit.id, kind.code(), &kind.period(), item_id, Some(s.user.id)).await? {
        return Err(AppError::Conflict(Msg::new("Văn bản của kỳ này vừa được lập.", "This period's document was just generated.")));
    }
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &format!("/admin/disclosures/{item_id}?done=document")).await?;
    after_publish(&state);
    Ok(Redirect::to(&out).into_response())
}

/// The photo of a posted notice (officials of the unit only: it may show
/// people; the record itself is public through the item's status).
pub async fn record_photo(State(state): State<Shared>, Auth(s): Auth, Path((id, rid)): Path<(i64, i64)>) -> AppResult<Response> {
    let (d, _, _) = item_for(&state, &s, id, Action::ViewUnitAdmin).await?;
    let rec = d.records.iter().find(|r| r.id == rid).ok_or(AppError::NotFound)?;
    let sha = rec.photo_sha256.as_deref().ok_or(AppError::NotFound)?;
    let (meta_, bytes) = disclosures::file(&state.ctx.store, sha).await?.ok_or(AppError::NotFound)?;
    let mut r = super::portal::file_response(&meta_.kind, &format!("anh-niem-yet-{rid}"), sha, bytes)?;
    r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("private, no-store"));
    Ok(r)
}
