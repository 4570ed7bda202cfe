//! Consultations (Dân bàn), the officials' side: creating a consultation
//! and its plan, versions of the draft, publication, opinions received
//! offline, moderation, responses, and the synthesis.
//!
//! The rules are in `danchu_domain::consultation` (period R3.4/R6.5, plan
//! R3.3, responses R3.5, departures R3.6); the store keeps the counters in
//! each write's transaction; this module checks who may act (the unit's
//! subtree, on the server) and turns forms into those calls.

use super::admin::{entry, load_unit};
use super::render;
use crate::consultation::{self as svc, channel_label, hide_reason_label, subject_label};
use crate::disclosure::{regime_of, villages_of};
use crate::error::{AppError, AppResult, FieldError};
use crate::keys::random_token;
use crate::web::auth::{Auth, PageLang, Session};
use crate::web::chrome::{num, today_vn, vn_date, vn_time, Chrome};
use crate::web::forms::{commit_once, replayed, CsrfForm, MultipartForm};
use crate::web::i18n::{fill, Msgs, EN, VI};
use crate::web::Shared;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;
use danchu_domain::accounts::Action;
use danchu_domain::consultation::{
    check_synthesis, days_left_label, majority, plan_recipients, Channel, Eligibility, HideReason, Phase, Plan, Response as Answer, Subject,
};
use danchu_domain::disclosure::Regime;
use danchu_domain::draft::{self, Draft};
use danchu_domain::people::parse_date;
use danchu_domain::text::{clean_line, clean_text, fold};
use danchu_domain::{Lang, Msg};
use danchu_store::consultations::{self as cs, CommentFilter, Consultation, NewComment, NewConsultation, NewVersion};
use danchu_store::disclosures::NewAttachment;
use danchu_store::units::Unit;
use danchu_store::{audit, meta};
use std::collections::HashMap;

/// The officials' consultation routes.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/admin/units/{id}/consultations", get(list).post(create))
        .route("/admin/units/{id}/consultations/new", get(new_form))
        .route("/admin/consultations/{id}", get(manage))
        .route("/admin/consultations/{id}/edit", get(edit_form).post(edit))
        .route("/admin/consultations/{id}/publish", post(publish))
        .route("/admin/consultations/{id}/plan", get(plan_file))
        .route("/admin/consultations/{id}/plan-sent", post(plan_sent))
        .route("/admin/consultations/{id}/versions", post(add_version))
        .route("/admin/consultations/{id}/opinions", post(add_opinion))
        .route("/admin/consultations/{id}/responses", get(responses))
        .route("/admin/consultations/{id}/comments/{comment}/hide", post(hide))
        .route("/admin/consultations/{id}/comments/{comment}/respond", post(respond))
        .route("/admin/consultations/{id}/groups/{group}/respond", post(respond_group))
        .route("/admin/consultations/{id}/statements", post(add_statement))
        .route("/admin/consultations/{id}/statements/{statement}/moderate", post(moderate))
        .route("/admin/consultations/{id}/statements/{statement}/decision", post(decide))
        .route("/admin/consultations/{id}/synthesis", get(synthesis_page).post(publish_synthesis))
}

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

/// A message from the i18n table (both languages).
fn tm(pick: impl Fn(&Msgs) -> &'static str) -> Msg {
    Msg::new(pick(&VI), pick(&EN))
}

fn invalid(field: &str, m: Msg) -> AppError {
    AppError::Validation(vec![FieldError { field: field.into(), message: m }])
}

/// What the signed-in user may do with a unit's consultations.
struct Access {
    role: String,
    /// Create, publish, moderate, respond, synthesise (ManageConsultations).
    manage: bool,
}

/// The user's access to `unit`'s consultations: managing them, or only
/// entering opinions received offline — which a village head or the Front
/// may do from a grant at one of the unit's villages (R3.2). 403 otherwise.
fn access(s: &Session, unit: &Unit) -> AppResult<Access> {
    if let Some(g) = s.can(Action::ManageConsultations, unit) {
        return Ok(Access { role: g.role.as_str().into(), manage: true });
    }
    let below = s.grants.iter().find(|g| g.unit_path.starts_with(&unit.path) && g.role.allows(Action::EnterOpinions));
    match s.can(Action::EnterOpinions, unit).or(below) {
        Some(g) => Ok(Access { role: g.role.as_str().into(), manage: false }),
        None => Err(AppError::Forbidden),
    }
}

fn manager(s: &Session, unit: &Unit) -> AppResult<String> {
    Ok(s.require(Action::ManageConsultations, unit)?.role.as_str().to_string())
}

/// A consultation with its unit and the user's access to it.
async fn load(state: &Shared, s: &Session, id: i64) -> AppResult<(Consultation, Unit, Regime, Access)> {
    let c = cs::get(&state.ctx.store, id).await?.ok_or(AppError::NotFound)?;
    let unit = load_unit(state, c.unit_id).await?;
    let a = access(s, &unit)?;
    let regime = regime_of(&unit)?;
    Ok((c, unit, regime, a))
}

async fn load_manager(state: &Shared, s: &Session, id: i64) -> AppResult<(Consultation, Unit, Regime, String)> {
    let (c, unit, regime, a) = load(state, s, id).await?;
    if !a.manage {
        return Err(AppError::Forbidden);
    }
    Ok((c, unit, regime, a.role))
}

fn iso_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn phase_of(c: &Consultation, today: NaiveDate) -> Phase {
    match (iso_date(&c.opens_on), iso_date(&c.closes_on)) {
        (Some(o), Some(cl)) => Phase::on(today, o, cl, c.status == cs::SYNTHESISED),
        _ => Phase::Upcoming,
    }
}

fn status_label(t: &Msgs, c: &Consultation, today: NaiveDate, lang: Lang) -> String {
    if c.status == cs::DRAFT {
        t.csa_status_draft.to_string()
    } else {
        phase_of(c, today).label().get(lang).to_string()
    }
}

fn redirect(out: &str) -> Response {
    Redirect::to(out).into_response()
}

/// A select or checkbox option.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn opt(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Opt {
    Opt { value: value.into(), label: label.into(), selected }
}

#[derive(serde::Deserialize, Default)]
pub struct NoticeQuery {
    done: Option<String>,
    #[serde(default)]
    part: Option<String>,
    #[serde(default)]
    after: Option<i64>,
    #[serde(default)]
    all: Option<String>,
}

fn notice(t: &Msgs, done: Option<&str>) -> Option<String> {
    Some(
        match done? {
            "created" => t.csa_done_created,
            "edited" => t.csa_done_edited,
            "published" => t.csa_done_published,
            "plan_sent" => t.csa_done_plan_sent,
            "version" => t.csa_done_version,
            "opinion" => t.csa_done_opinion,
            "hidden" => t.csa_done_hidden,
            "responded" => t.csa_done_responded,
            "statement" => t.csa_done_statement,
            "moderated" => t.csa_done_moderated,
            "decision" => t.csa_done_decision,
            "synthesised" => t.csa_done_synthesised,
            _ => return None,
        }
        .to_string(),
    )
}

/// The label of a part of the draft ("Điều 3. Phạm vi" → first line of its
/// heading), or "the whole draft".
fn part_label(t: &Msgs, parts: &HashMap<(i64, String), String>, version: i64, path: Option<&str>) -> String {
    match path {
        None => t.csa_whole_draft.to_string(),
        Some(p) => parts.get(&(version, p.to_string())).cloned().unwrap_or_else(|| p.to_string()),
    }
}

fn heading_line(p: &cs::PartRow) -> String {
    let first = p.heading.lines().next().unwrap_or("").trim().to_string();
    if first.is_empty() {
        p.path.clone()
    } else if p.depth > 0 && !p.title.is_empty() && !first.contains(&p.title) {
        format!("{first} {}", p.title)
    } else {
        first
    }
}

/// The labels of every part of every version: (version, path) → label.
async fn part_labels(state: &Shared, c: &Consultation) -> AppResult<HashMap<(i64, String), String>> {
    let mut out = HashMap::new();
    for v in 1..=c.version {
        let parts = cs::parts(&state.ctx.store, c.id, v).await?;
        // A clause is named with its article: "Điều 2 — Khoản 1".
        let by_ordinal: HashMap<i64, &cs::PartRow> = parts.iter().map(|p| (p.ordinal, p)).collect();
        for p in &parts {
            let mut label = heading_line(p);
            let mut parent = p.parent_ordinal;
            while let Some(po) = parent {
                let Some(pp) = by_ordinal.get(&po) else { break };
                if pp.kind == "chuong" || pp.kind == "muc" {
                    break;
                }
                label = format!("{} — {label}", pp.heading.lines().next().unwrap_or("").trim().trim_end_matches('.'));
                parent = pp.parent_ordinal;
            }
            out.insert((v, p.path.clone()), label);
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// List
// ---------------------------------------------------------------------------

struct ListRow {
    id: i64,
    title: String,
    subject: String,
    status: String,
    is_draft: bool,
    period: String,
    days_left: String,
    comments: String,
    unanswered: String,
    participants: String,
}

#[derive(Template)]
#[template(path = "consultations/admin_list.html")]
struct ListPage {
    c: Chrome,
    unit_id: i64,
    unit_name: String,
    rows: Vec<ListRow>,
    can_manage: bool,
}

/// `GET /admin/units/{id}/consultations`: the unit's consultations, drafts
/// included, with their phase and counters (one counters query each; the
/// list is bounded).
pub async fn list(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let unit = load_unit(&state, id).await?;
    let a = access(&s, &unit)?;
    let regime = regime_of(&unit)?;
    let store = &state.ctx.store;
    let all = cs::list_for_unit(store, unit.id, true, 200).await?;
    let today = today_vn();
    let c = Chrome::new(&state, lang, Some(&s), &format!("/admin/units/{id}/consultations"));
    let t = c.t;
    // The counters of every listed consultation in one query.
    let ids: Vec<i64> = all.iter().map(|x| x.id).collect();
    let counts = cs::list_counts(store, &ids).await?;
    let none = HashMap::new();
    let mut rows = Vec::with_capacity(all.len());
    for x in &all {
        let n = counts.get(&x.id).unwrap_or(&none);
        let get = |k: &str| num(lang, n.get(k).copied().unwrap_or(0));
        let phase = phase_of(x, today);
        rows.push(ListRow {
            id: x.id,
            title: x.title.clone(),
            subject: subject_label(regime, &x.subject, lang),
            status: status_label(t, x, today, lang),
            is_draft: x.status == cs::DRAFT,
            period: format!("{} – {}", vn_date(&x.opens_on), vn_date(&x.closes_on)),
            days_left: match (x.status.as_str(), phase, iso_date(&x.closes_on)) {
                (cs::PUBLISHED, Phase::Open, Some(cl)) => days_left_label(today, cl).get(lang).to_string(),
                _ => String::new(),
            },
            comments: get("comments"),
            unanswered: get("unanswered"),
            participants: get("participants"),
        });
    }
    render(&ListPage {
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        rows,
        can_manage: a.manage,
        c: c.with_notice(notice(t, q.done.as_deref())),
    })
}

// ---------------------------------------------------------------------------
// Create and edit
// ---------------------------------------------------------------------------

/// The form's values as typed (re-shown on error).
#[derive(Default, Clone)]
struct FormValues {
    subject: String,
    village: String,
    title: String,
    summary: String,
    eligibility: String,
    opens_on: String,
    closes_on: String,
    sector_days: String,
    sector_basis: String,
    plan_content: String,
    plan_forms: Vec<String>,
    plan_method: String,
    plan_responsibilities: String,
    draft_text: String,
}

impl FormValues {
    fn from_form(f: &MultipartForm) -> FormValues {
        FormValues {
            subject: f.get("subject").into(),
            village: f.get("village").into(),
            title: f.get("title").into(),
            summary: f.get("summary").into(),
            eligibility: f.get("eligibility").into(),
            opens_on: f.get("opens_on").into(),
            closes_on: f.get("closes_on").into(),
            sector_days: f.get("sector_days").into(),
            sector_basis: f.get("sector_basis").into(),
            plan_content: f.get("plan_content").into(),
            plan_forms: f.fields.iter().filter(|(k, _)| k == "plan_forms").map(|(_, v)| v.clone()).collect(),
            plan_method: f.get("plan_method").into(),
            plan_responsibilities: f.get("plan_responsibilities").into(),
            draft_text: f.get("draft_text").into(),
        }
    }

    fn of(c: &Consultation) -> FormValues {
        FormValues {
            subject: c.subject.clone(),
            village: c.village_id.map(|v| v.to_string()).unwrap_or_default(),
            title: c.title.clone(),
            summary: c.summary.clone(),
            eligibility: c.eligibility.clone(),
            opens_on: vn_date(&c.opens_on),
            closes_on: vn_date(&c.closes_on),
            sector_days: c.sector_days.map(|d| d.to_string()).unwrap_or_default(),
            sector_basis: c.sector_basis.clone().unwrap_or_default(),
            plan_content: c.plan_content.clone(),
            plan_forms: c.plan_forms.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
            plan_method: c.plan_method.clone(),
            plan_responsibilities: c.plan_responsibilities.clone(),
            draft_text: String::new(),
        }
    }
}

/// The form once checked.
struct Valid {
    subject: Subject,
    village_id: Option<i64>,
    title: String,
    summary: String,
    eligibility: Eligibility,
    opens: NaiveDate,
    closes: NaiveDate,
    sector_days: Option<u32>,
    sector_basis: Option<String>,
    plan: Plan,
}

/// Who may take part, per regime: residents in communes, staff in
/// agencies, workers in enterprises, or anyone.
fn eligibilities(regime: Regime) -> Vec<Eligibility> {
    Eligibility::ALL
        .into_iter()
        .filter(|e| match e {
            Eligibility::Residents => matches!(regime, Regime::Commune | Regime::Province),
            Eligibility::Staff => regime == Regime::Agency,
            Eligibility::Workers => matches!(regime, Regime::StateEnterprise | Regime::Enterprise),
            Eligibility::Anyone => true,
        })
        .collect()
}

fn validate(ctx: &crate::context::Ctx, v: &FormValues, regime: Regime, villages: &[Unit], today: NaiveDate) -> Result<Valid, Vec<Msg>> {
    let mut errors = Vec::new();
    let subject = Subject::parse_for(regime, &v.subject).map_err(|m| errors.push(m)).ok();
    let village_id = match subject {
        Some(s) if s.is_village_convention() => {
            match v.village.trim().parse::<i64>().ok().filter(|id| villages.iter().any(|u| u.id == *id)) {
                Some(id) => Some(id),
                None => {
                    errors.push(tm(|t| t.csa_err_village));
                    None
                }
            }
        }
        _ => None,
    };
    let title = clean_line(&v.title);
    if title.is_empty() || title.chars().count() > 300 {
        errors.push(tm(|t| t.csa_err_title));
    }
    let summary = clean_text(&v.summary);
    if summary.is_empty() || summary.chars().count() > 5_000 {
        errors.push(tm(|t| t.csa_err_summary));
    }
    let eligibility = Eligibility::parse(&v.eligibility).filter(|e| eligibilities(regime).contains(e));
    if eligibility.is_none() {
        errors.push(tm(|t| t.csa_err_eligibility));
    }
    let mut day = |raw: &str, missing: Msg| -> Option<NaiveDate> {
        if raw.trim().is_empty() {
            errors.push(missing);
            return None;
        }
        parse_date(raw).map_err(|m| errors.push(m)).ok()
    };
    let opens = day(&v.opens_on, tm(|t| t.csa_err_opens));
    let closes = day(&v.closes_on, tm(|t| t.csa_err_closes));
    let sector_days = match v.sector_days.trim() {
        "" => None,
        raw => match raw.parse::<u32>().ok().filter(|d| (1..=365).contains(d)) {
            Some(d) => Some(d),
            None => {
                errors.push(tm(|t| t.csa_err_sector_days));
                None
            }
        },
    };
    let sector_basis = Some(clean_line(&v.sector_basis)).filter(|b| !b.is_empty());
    if sector_days.is_some() && sector_basis.is_none() {
        errors.push(tm(|t| t.csa_err_sector_basis));
    }
    if let Some(o) = opens {
        if o < today {
            errors.push(tm(|t| t.csa_err_opens_past));
        }
    }
    if let (Some(s), Some(o), Some(cl)) = (subject, opens, closes) {
        // R3.4 (20 days), R6.5 (30 days for a village convention), or the
        // sector law's period.
        if let Err(m) = svc::rules(ctx).check_period(s, o, cl, sector_days) {
            errors.push(m);
        }
    }
    let forms: Vec<Channel> = v.plan_forms.iter().filter_map(|f| Channel::parse(f)).collect();
    let plan = Plan {
        content: clean_text(&v.plan_content),
        forms,
        method: clean_text(&v.plan_method),
        responsibilities: clean_text(&v.plan_responsibilities),
    };
    if let Err(e) = plan.validate(regime) {
        errors.extend(e.into_iter().map(|(_, m)| m));
    }
    match (subject, eligibility, opens, closes, errors.is_empty()) {
        (Some(subject), Some(eligibility), Some(opens), Some(closes), true) => {
            Ok(Valid { subject, village_id, title, summary, eligibility, opens, closes, sector_days, sector_basis, plan })
        }
        _ => Err(errors),
    }
}

/// A draft as submitted: its text kept whole, its parse, and the uploaded
/// file if it came as DOCX.
struct DraftIn {
    body: String,
    draft: Draft,
    source: Option<NewAttachment>,
}

/// Reads the draft from the form: an uploaded DOCX (`draft_file`), split by
/// its paragraphs, or pasted text (`draft_text`). A draft that does not
/// parse into articles is kept whole (never an error).
async fn read_draft(state: &Shared, f: &MultipartForm) -> Result<DraftIn, Msg> {
    if let Some(up) = f.files.iter().find(|u| u.field == "draft_file") {
        let a = crate::disclosure::check_attachment(&state.ctx, &up.name, &up.data).await?;
        if a.kind != "docx" {
            return Err(tm(|t| t.csa_err_draft_docx));
        }
        let paragraphs: Vec<&str> = a.text.lines().collect();
        if paragraphs.iter().all(|p| p.trim().is_empty()) {
            return Err(tm(|t| t.csa_err_draft_empty_file));
        }
        let d = draft::parse_paragraphs(&paragraphs);
        return Ok(DraftIn { body: a.text.clone(), draft: d, source: Some(a) });
    }
    let text = f.get("draft_text").replace("\r\n", "\n");
    let text = text.trim();
    if text.is_empty() {
        return Err(tm(|t| t.csa_err_draft_missing));
    }
    if text.chars().count() > 200_000 {
        return Err(tm(|t| t.csa_err_draft_long));
    }
    Ok(DraftIn { body: text.to_string(), draft: draft::parse(text), source: None })
}

#[derive(Template)]
#[template(path = "consultations/admin_form.html")]
struct FormPage {
    c: Chrome,
    unit_id: i64,
    unit_name: String,
    heading: String,
    action: String,
    is_new: bool,
    subjects: Vec<Opt>,
    villages: Vec<Opt>,
    eligibilities: Vec<Opt>,
    channels: Vec<Opt>,
    recipients: String,
    f: FormValues,
    errors: Vec<String>,
    idem: String,
    max_mb: usize,
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &Shared,
    lang: Lang,
    s: &Session,
    unit: &Unit,
    regime: Regime,
    editing: Option<i64>,
    f: FormValues,
    errors: Vec<Msg>,
) -> AppResult<Response> {
    let villages = if matches!(regime, Regime::Commune) { villages_of(&state.ctx.store, unit).await? } else { Vec::new() };
    let here = match editing {
        Some(id) => format!("/admin/consultations/{id}/edit"),
        None => format!("/admin/units/{}/consultations/new", unit.id),
    };
    let c = Chrome::new(state, lang, Some(s), &here);
    let t = c.t;
    let default_elig = Subject::all_for(regime).first().map(|s| s.default_eligibility().as_str()).unwrap_or("anyone");
    let elig = if f.eligibility.is_empty() { default_elig.to_string() } else { f.eligibility.clone() };
    let page = FormPage {
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        heading: if editing.is_some() { t.csa_edit_title.into() } else { t.csa_new_title.into() },
        action: match editing {
            Some(id) => format!("/admin/consultations/{id}/edit"),
            None => format!("/admin/units/{}/consultations", unit.id),
        },
        is_new: editing.is_none(),
        subjects: Subject::all_for(regime)
            .into_iter()
            .map(|x| opt(x.code(), format!("{} ({})", x.label().get(lang), x.rule_id()), x.code() == f.subject))
            .collect(),
        villages: villages.iter().map(|v| opt(v.id.to_string(), v.name.clone(), v.id.to_string() == f.village)).collect(),
        eligibilities: eligibilities(regime).into_iter().map(|e| opt(e.as_str(), e.label().get(lang), e.as_str() == elig)).collect(),
        channels: Channel::all_for(regime)
            .into_iter()
            .map(|ch| opt(ch.as_str(), ch.label().get(lang), f.plan_forms.iter().any(|x| x == ch.as_str())))
            .collect(),
        recipients: plan_recipients(regime).iter().map(|m| m.get(lang).to_string()).collect::<Vec<_>>().join("; "),
        errors: errors.iter().map(|m| m.get(lang).to_string()).collect(),
        idem: random_token(16),
        max_mb: state.ctx.cfg.max_attachment_bytes / (1024 * 1024),
        f,
        c,
    };
    let mut r = render(&page)?;
    if !page.errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// `GET /admin/units/{id}/consultations/new`.
pub async fn new_form(State(state): State<Shared>, PageLang(lang): PageLang, Auth(s): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    let unit = load_unit(&state, id).await?;
    manager(&s, &unit)?;
    let regime = regime_of(&unit)?;
    let today = today_vn();
    let rules = svc::rules(&state.ctx);
    let f = FormValues {
        opens_on: today.format("%d/%m/%Y").to_string(),
        closes_on: (today + chrono::Days::new(rules.min_days as u64)).format("%d/%m/%Y").to_string(),
        plan_forms: vec![Channel::Online.as_str().into()],
        ..FormValues::default()
    };
    form_page(&state, lang, &s, &unit, regime, None, f, vec![]).await
}

fn new_row<'a>(
    unit: &'a Unit,
    v: &'a Valid,
    forms: &'a str,
    opens: &'a str,
    closes: &'a str,
    subject: &'a str,
    s: &Session,
) -> NewConsultation<'a> {
    NewConsultation {
        unit_id: unit.id,
        unit_path: &unit.path,
        village_id: v.village_id,
        subject,
        title: &v.title,
        summary: &v.summary,
        eligibility: v.eligibility.as_str(),
        opens_on: opens,
        closes_on: closes,
        sector_days: v.sector_days.map(i64::from),
        sector_basis: v.sector_basis.as_deref(),
        plan_content: &v.plan.content,
        plan_forms: forms,
        plan_method: &v.plan.method,
        plan_responsibilities: &v.plan.responsibilities,
        is_demo: unit.is_demo,
        created_by: Some(s.user.id),
    }
}

fn forms_csv(p: &Plan) -> String {
    p.forms.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(",")
}

/// `POST /admin/units/{id}/consultations` (multipart: the draft may be a
/// DOCX file): creates the consultation as a draft with its first version.
pub async fn create(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    mp: Multipart,
) -> AppResult<Response> {
    let unit = load_unit(&state, id).await?;
    let role = manager(&s, &unit)?;
    let regime = regime_of(&unit)?;
    let f = MultipartForm::read(mp, &s.csrf).await?;
    if let Some(out) = replayed(&state, f.get("idem")).await? {
        return Ok(redirect(&out));
    }
    let values = FormValues::from_form(&f);
    let villages = if matches!(regime, Regime::Commune) { villages_of(&state.ctx.store, &unit).await? } else { Vec::new() };
    let today = today_vn();
    let mut errors = Vec::new();
    let valid = validate(&state.ctx, &values, regime, &villages, today).map_err(|e| errors.extend(e)).ok();
    let draft = read_draft(&state, &f).await.map_err(|m| errors.push(m)).ok();
    let (Some(v), Some(d)) = (valid, draft) else {
        return form_page(&state, lang, &s, &unit, regime, None, values, errors).await;
    };
    let parts = svc::parts_of(&d.draft);
    let (forms, opens, closes, subject) = (forms_csv(&v.plan), v.opens.to_string(), v.closes.to_string(), v.subject.code());
    let mut tx = state.ctx.store.write().await?;
    if let Some(a) = &d.source {
        danchu_store::disclosures::put_file(&mut tx, &a.sha256, &a.kind, &a.content, &a.text).await?;
    }
    let cid = cs::create(
        &mut tx,
        &new_row(&unit, &v, &forms, &opens, &closes, &subject, &s),
        &NewVersion {
            body: &d.body,
            structured: d.draft.structured,
            change_note: "",
            source_sha256: d.source.as_ref().map(|a| a.sha256.as_str()),
            parts: &parts,
            created_by: Some(s.user.id),
        },
    )
    .await?;
    let summary = serde_json::json!({
        "subject": subject, "title": v.title, "opens_on": opens, "closes_on": closes, "structured": d.draft.structured, "parts": parts.len(),
    })
    .to_string();
    audit::append(&mut tx, &entry(&s, &role, &unit, "consultation.created", &format!("consultation:{cid}"), &summary)).await?;
    let out = commit_once(&state, tx, f.get("idem"), Some(s.user.id), &format!("/admin/consultations/{cid}?done=created")).await?;
    Ok(redirect(&out))
}

/// `GET /admin/consultations/{id}/edit`: while still a draft.
pub async fn edit_form(State(state): State<Shared>, PageLang(lang): PageLang, Auth(s): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    let (c, unit, regime, _) = load_manager(&state, &s, id).await?;
    if c.status != cs::DRAFT {
        return Err(AppError::Conflict(tm(|t| t.csa_err_not_draft)));
    }
    form_page(&state, lang, &s, &unit, regime, Some(id), FormValues::of(&c), vec![]).await
}

/// `POST /admin/consultations/{id}/edit`: changes the plan, period and
/// description of a consultation not yet published.
pub async fn edit(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    mp: Multipart,
) -> AppResult<Response> {
    let (c, unit, regime, role) = load_manager(&state, &s, id).await?;
    let f = MultipartForm::read(mp, &s.csrf).await?;
    if let Some(out) = replayed(&state, f.get("idem")).await? {
        return Ok(redirect(&out));
    }
    if c.status != cs::DRAFT {
        return Err(AppError::Conflict(tm(|t| t.csa_err_not_draft)));
    }
    let values = FormValues::from_form(&f);
    let villages = if matches!(regime, Regime::Commune) { villages_of(&state.ctx.store, &unit).await? } else { Vec::new() };
    let v = match validate(&state.ctx, &values, regime, &villages, today_vn()) {
        Ok(v) => v,
        Err(errors) => return form_page(&state, lang, &s, &unit, regime, Some(id), values, errors).await,
    };
    let (forms, opens, closes, subject) = (forms_csv(&v.plan), v.opens.to_string(), v.closes.to_string(), v.subject.code());
    let mut tx = state.ctx.store.write().await?;
    if !cs::update_draft(&mut tx, id, &new_row(&unit, &v, &forms, &opens, &closes, &subject, &s)).await? {
        return Err(AppError::Conflict(tm(|t| t.csa_err_not_draft)));
    }
    let summary = serde_json::json!({"subject": subject, "title": v.title, "opens_on": opens, "closes_on": closes}).to_string();
    audit::append(&mut tx, &entry(&s, &role, &unit, "consultation.edited", &format!("consultation:{id}"), &summary)).await?;
    let out = commit_once(&state, tx, f.get("idem"), Some(s.user.id), &format!("/admin/consultations/{id}?done=edited")).await?;
    Ok(redirect(&out))
}

// ---------------------------------------------------------------------------
// The manage page
// ---------------------------------------------------------------------------

struct VersionView {
    version: i64,
    note: String,
    at: String,
    structured: bool,
}

struct PartCount {
    path: String,
    label: String,
    depth: i64,
    count: i64,
}

struct StatementView {
    id: i64,
    body: String,
    state: String,
    pending: bool,
    approved: bool,
    by_participant: bool,
    agree: i64,
    disagree: i64,
    pass: i64,
    majority: String,
    has_majority: bool,
    follows: Option<bool>,
    justification: String,
    needs_justification: bool,
}

#[derive(Template)]
#[template(path = "consultations/admin_manage.html")]
struct ManagePage {
    c: Chrome,
    id: i64,
    unit_id: i64,
    unit_name: String,
    title: String,
    summary: String,
    subject: String,
    village: Option<String>,
    eligibility: String,
    status: String,
    is_draft: bool,
    synthesised: bool,
    can_manage: bool,
    can_enter: bool,
    period: String,
    days_left: String,
    sector: Option<String>,
    plan_content: String,
    plan_forms: String,
    plan_method: String,
    plan_responsibilities: String,
    recipients: String,
    plan_sent_on: Option<String>,
    disclosure_id: Option<i64>,
    synthesis_disclosure_id: Option<i64>,
    version: i64,
    versions: Vec<VersionView>,
    unstructured: Option<String>,
    draft_body: String,
    parts: Vec<PartCount>,
    part_opts: Vec<Opt>,
    channels: Vec<Opt>,
    comments: String,
    unanswered: String,
    participants: String,
    hidden: String,
    pending_statements: String,
    statements: Vec<StatementView>,
    hide_reasons: Vec<Opt>,
    today: String,
    idem: String,
    max_mb: usize,
}

/// The channels an official may enter opinions from: the plan's offline
/// forms, or the regime's when the plan names none (R3.2).
fn offline_channels(c: &Consultation, regime: Regime) -> Vec<Channel> {
    let planned: Vec<Channel> = c.plan_forms.split(',').filter_map(Channel::parse).filter(|ch| ch.entered_by_official()).collect();
    if planned.is_empty() {
        Channel::all_for(regime).into_iter().filter(|ch| ch.entered_by_official()).collect()
    } else {
        planned
    }
}

fn statement_view(t: &Msgs, lang: Lang, st: &cs::StatementRow) -> StatementView {
    let m = majority(st.agree.max(0) as u64, st.disagree.max(0) as u64, st.pass.max(0) as u64);
    StatementView {
        id: st.id,
        body: st.body.clone(),
        state: match st.state.as_str() {
            "pending" => t.csa_st_pending,
            "approved" => t.csa_st_approved,
            _ => t.csa_st_rejected,
        }
        .to_string()
            + &st.hidden_reason.as_deref().map(|r| format!(" ({})", hide_reason_label(r, lang))).unwrap_or_default(),
        pending: st.state == "pending",
        approved: st.state == "approved" && st.hidden_reason.is_none(),
        by_participant: st.by_participant,
        agree: st.agree,
        disagree: st.disagree,
        pass: st.pass,
        majority: m.map(|x| x.label().get(lang).to_string()).unwrap_or_else(|| t.csa_no_majority.to_string()),
        has_majority: m.is_some(),
        follows: st.follows_majority,
        justification: st.justification.clone().unwrap_or_default(),
        needs_justification: m.is_some()
            && st.follows_majority == Some(false)
            && st.justification.as_deref().is_none_or(|j| j.trim().is_empty()),
    }
}

/// `GET /admin/consultations/{id}`: the plan and period, publication, the
/// plan document, versions of the draft, offline opinions, statements.
pub async fn manage(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let (c, unit, regime, a) = load(&state, &s, id).await?;
    let store = &state.ctx.store;
    let today = today_vn();
    let chrome = Chrome::new(&state, lang, Some(&s), &format!("/admin/consultations/{id}"));
    let t = chrome.t;
    let counts = cs::counts(store, id).await?;
    let get = |k: &str| counts.get(k).copied().unwrap_or(0);
    let versions = cs::versions(store, id).await?;
    let current = versions.iter().find(|v| v.version == c.version);
    let parts = cs::parts(store, id, c.version).await?;
    let labels = part_labels(&state, &c).await?;
    let statements = cs::statements(store, id, None).await?;
    let hidden: i64 = counts.iter().filter(|(k, _)| k.starts_with("hidden:")).map(|(_, n)| *n).sum();
    let phase = phase_of(&c, today);
    let page = ManagePage {
        id,
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        title: c.title.clone(),
        summary: c.summary.clone(),
        subject: subject_label(regime, &c.subject, lang),
        village: c.village_name.clone(),
        eligibility: Eligibility::parse(&c.eligibility).map(|e| e.label().get(lang).to_string()).unwrap_or_default(),
        status: status_label(t, &c, today, lang),
        is_draft: c.status == cs::DRAFT,
        synthesised: c.status == cs::SYNTHESISED,
        can_manage: a.manage,
        can_enter: c.status == cs::PUBLISHED,
        period: fill(t.csa_period_text, &[&vn_date(&c.opens_on), &vn_date(&c.closes_on)]),
        days_left: match (c.status.as_str(), phase, iso_date(&c.closes_on)) {
            (cs::PUBLISHED, Phase::Open, Some(cl)) => days_left_label(today, cl).get(lang).to_string(),
            _ => String::new(),
        },
        sector: c.sector_days.map(|d| fill(t.csa_sector_text, &[&d.to_string(), c.sector_basis.as_deref().unwrap_or("")])),
        plan_content: c.plan_content.clone(),
        plan_forms: c.plan_forms.split(',').filter(|x| !x.is_empty()).map(|x| channel_label(x, lang)).collect::<Vec<_>>().join("; "),
        plan_method: c.plan_method.clone(),
        plan_responsibilities: c.plan_responsibilities.clone(),
        recipients: plan_recipients(regime).iter().map(|m| m.get(lang).to_string()).collect::<Vec<_>>().join("; "),
        plan_sent_on: c.plan_sent_on.as_deref().map(vn_date),
        disclosure_id: c.disclosure_id,
        synthesis_disclosure_id: c.synthesis_disclosure_id,
        version: c.version,
        versions: versions
            .iter()
            .map(|v| VersionView { version: v.version, note: v.change_note.clone(), at: vn_time(v.created_at), structured: v.structured })
            .collect(),
        unstructured: current.filter(|v| !v.structured).map(|_| draft::unstructured_message().get(lang).to_string()),
        draft_body: current.filter(|v| !v.structured).map(|v| v.body.clone()).unwrap_or_default(),
        parts: parts
            .iter()
            .map(|p| PartCount {
                path: p.path.clone(),
                label: labels.get(&(c.version, p.path.clone())).cloned().unwrap_or_else(|| p.path.clone()),
                depth: p.depth,
                count: get(&format!("part:{}:{}", c.version, p.path)),
            })
            .collect(),
        part_opts: std::iter::once(opt("", t.csa_whole_draft, true))
            .chain(parts.iter().map(|p| opt(p.path.clone(), labels.get(&(c.version, p.path.clone())).cloned().unwrap_or_default(), false)))
            .collect(),
        channels: offline_channels(&c, regime).into_iter().map(|ch| opt(ch.as_str(), ch.label().get(lang), false)).collect(),
        comments: num(lang, get("comments")),
        unanswered: num(lang, get("unanswered")),
        participants: num(lang, get("participants")),
        hidden: num(lang, hidden),
        pending_statements: num(lang, get("pending_statements")),
        statements: statements.iter().map(|st| statement_view(t, lang, st)).collect(),
        hide_reasons: HideReason::ALL.into_iter().map(|r| opt(r.as_str(), r.label().get(lang), false)).collect(),
        today: today.format("%d/%m/%Y").to_string(),
        idem: random_token(16),
        max_mb: state.ctx.cfg.max_attachment_bytes / (1024 * 1024),
        c: chrome.with_notice(notice(t, q.done.as_deref())),
    };
    render(&page)
}

#[derive(serde::Deserialize)]
pub struct IdemForm {
    #[serde(default)]
    idem: String,
}

/// `POST /admin/consultations/{id}/publish`: opens the consultation on its
/// `opens_on`, publishes it as a disclosure item (R1.1 item 11, R3.5) and
/// tells subscribers — in one transaction; a second click changes nothing.
pub async fn publish(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<IdemForm>,
) -> AppResult<Response> {
    let (c, unit, regime, role) = load_manager(&state, &s, id).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(redirect(&out));
    }
    let done = format!("/admin/consultations/{id}?done=published");
    if c.status != cs::DRAFT {
        return Ok(redirect(&done));
    }
    let today = today_vn();
    let (opens, closes) = match (iso_date(&c.opens_on), iso_date(&c.closes_on)) {
        (Some(o), Some(cl)) => (o, cl),
        _ => return Err(AppError::Internal("consultation dates".into())),
    };
    // The period counts from publication (R3.4): a draft left until after its
    // opening day must get new dates first.
    if opens < today {
        return Err(invalid("opens_on", tm(|t| t.csa_err_publish_late)));
    }
    let subject = Subject::parse_for(regime, &c.subject).map_err(|m| invalid("subject", m))?;
    svc::rules(&state.ctx).check_period(subject, opens, closes, c.sector_days.map(|d| d as u32)).map_err(|m| invalid("closes_on", m))?;
    let base = state.ctx.cfg.public_url.trim_end_matches('/');
    let body = format!(
        "{}\n\n{}\n\n{}: {}\n{}: {}\n\n{} {base}/consultations/{id}",
        c.summary,
        subject.label().vi,
        VI.csa_period,
        fill(VI.csa_period_text, &[&vn_date(&c.opens_on), &vn_date(&c.closes_on)]),
        VI.csa_plan_forms,
        c.plan_forms.split(',').filter(|x| !x.is_empty()).map(|x| channel_label(x, Lang::Vi)).collect::<Vec<_>>().join("; "),
        VI.csa_read_and_comment,
    );
    let v = danchu_store::disclosures::NewVersion {
        title: fill(VI.csa_disclosure_title, &[&c.title]),
        body,
        decision_number: String::new(),
        decision_date: today.to_string(),
        signer: String::new(),
        sector_deadline: None,
        sector_basis: None,
        change_note: None,
        attachments: Vec::new(),
        published_on: today.to_string(),
    };
    let category = svc::disclosure_category(regime);
    let (mut tx, item_id) = super::disclosures::publish(
        &state.ctx,
        &unit,
        category,
        regime.default_audience().as_str(),
        &v,
        today,
        None,
        Some((&s, role.as_str())),
        unit.is_demo,
    )
    .await?;
    if !cs::publish(&mut tx, id, Some(item_id)).await? {
        // Published meanwhile by another request: nothing is written twice.
        drop(tx);
        return Ok(redirect(&done));
    }
    svc::without_disclosure_notice(&mut tx, item_id).await?;
    svc::schedule_notify(&mut tx, id, "open").await?;
    let summary = serde_json::json!({"disclosure": item_id, "opens_on": c.opens_on, "closes_on": c.closes_on}).to_string();
    audit::append(&mut tx, &entry(&s, &role, &unit, "consultation.published", &format!("consultation:{id}"), &summary)).await?;
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &done).await?;
    super::disclosures::after_publish(&state);
    Ok(redirect(&out))
}

#[derive(serde::Deserialize)]
pub struct PlanQuery {
    #[serde(default)]
    format: String,
    #[serde(default)]
    signer: String,
}

/// `GET /admin/consultations/{id}/plan?format=pdf|docx`: the plan (R3.3) in
/// the official layout, to send to the bodies the law names.
pub async fn plan_file(State(state): State<Shared>, Auth(s): Auth, Path(id): Path<i64>, Query(q): Query<PlanQuery>) -> AppResult<Response> {
    let (c, unit, _, _) = load_manager(&state, &s, id).await?;
    let doc = svc::plan_document(&unit, &state.province, &c, &clean_line(&q.signer), today_vn(), unit.is_demo);
    let (bytes, mime, ext) = match q.format.as_str() {
        "docx" => (
            danchu_docs::to_docx(&doc).map_err(|e| AppError::Internal(format!("docx: {e:?}")))?,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        _ => (danchu_docs::to_pdf(&doc).map_err(|e| AppError::Internal(format!("pdf: {e:?}")))?, "application/pdf", "pdf"),
    };
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"ke-hoach-lay-y-kien-{id}.{ext}\"")).map_err(AppError::internal)?,
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    Ok(r)
}

#[derive(serde::Deserialize)]
pub struct PlanSentForm {
    #[serde(default)]
    sent_on: String,
    #[serde(default)]
    idem: String,
}

/// `POST /admin/consultations/{id}/plan-sent`: the day the plan was sent
/// to the People's Council and the Front (R3.3).
pub async fn plan_sent(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<PlanSentForm>,
) -> AppResult<Response> {
    let (_, unit, _, role) = load_manager(&state, &s, id).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(redirect(&out));
    }
    let on = parse_date(&f.sent_on).map_err(|m| invalid("sent_on", m))?;
    if on > today_vn() {
        return Err(invalid("sent_on", tm(|t| t.csa_err_future)));
    }
    let mut tx = state.ctx.store.write().await?;
    cs::set_plan_sent(&mut tx, id, &on.to_string()).await?;
    let summary = serde_json::json!({"sent_on": on.to_string()}).to_string();
    audit::append(&mut tx, &entry(&s, &role, &unit, "consultation.plan_sent", &format!("consultation:{id}"), &summary)).await?;
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &format!("/admin/consultations/{id}?done=plan_sent")).await?;
    Ok(redirect(&out))
}

/// `POST /admin/consultations/{id}/versions` (multipart): a new version of
/// the draft, with what changed; comments stay on the version they were
/// made on.
pub async fn add_version(State(state): State<Shared>, Auth(s): Auth, Path(id): Path<i64>, mp: Multipart) -> AppResult<Response> {
    let (c, unit, _, role) = load_manager(&state, &s, id).await?;
    let f = MultipartForm::read(mp, &s.csrf).await?;
    if let Some(out) = replayed(&state, f.get("idem")).await? {
        return Ok(redirect(&out));
    }
    if c.status == cs::SYNTHESISED {
        return Err(AppError::Conflict(tm(|t| t.csa_err_synthesised)));
    }
    let note = clean_line(f.get("change_note"));
    if note.is_empty() {
        return Err(invalid("change_note", tm(|t| t.csa_err_change_note)));
    }
    let d = read_draft(&state, &f).await.map_err(|m| invalid("draft", m))?;
    let parts = svc::parts_of(&d.draft);
    let mut tx = state.ctx.store.write().await?;
    if let Some(a) = &d.source {
        danchu_store::disclosures::put_file(&mut tx, &a.sha256, &a.kind, &a.content, &a.text).await?;
    }
    let version = cs::add_version(
        &mut tx,
        id,
        &NewVersion {
            body: &d.body,
            structured: d.draft.structured,
            change_note: &note,
            source_sha256: d.source.as_ref().map(|a| a.sha256.as_str()),
            parts: &parts,
            created_by: Some(s.user.id),
        },
    )
    .await?;
    let summary = serde_json::json!({"version": version, "change": note, "structured": d.draft.structured}).to_string();
    audit::append(&mut tx, &entry(&s, &role, &unit, "consultation.version_added", &format!("consultation:{id}"), &summary)).await?;
    meta::bump_public_version(&mut tx).await?;
    let out = commit_once(&state, tx, f.get("idem"), Some(s.user.id), &format!("/admin/consultations/{id}?done=version")).await?;
    super::disclosures::after_publish(&state);
    Ok(redirect(&out))
}

// ---------------------------------------------------------------------------
// Offline opinions (R3.2)
// ---------------------------------------------------------------------------

#[derive(serde::Deserialize)]
pub struct OpinionForm {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    author_name: String,
    #[serde(default)]
    household: String,
    #[serde(default)]
    part: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    idem: String,
}

/// `POST /admin/consultations/{id}/opinions`: an opinion received at a
/// meeting, on paper, through the suggestion box, the hotline, the Front…
/// with its channel and source; a household of the unit can be recorded as
/// the author without an account. Stored once per submission.
pub async fn add_opinion(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<OpinionForm>,
) -> AppResult<Response> {
    let (c, unit, regime, a) = load(&state, &s, id).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(redirect(&out));
    }
    if c.status != cs::PUBLISHED {
        return Err(AppError::Conflict(tm(|t| t.csa_err_not_accepting)));
    }
    let mut errors = Vec::new();
    // Any offline channel of the regime: the form offers the plan's, but a
    // letter may arrive even where the plan did not foresee one (R3.2).
    let channel = Channel::parse(&f.channel).filter(|ch| ch.entered_by_official() && Channel::all_for(regime).contains(ch));
    if channel.is_none() {
        errors.push(tm(|t| t.csa_err_channel));
    }
    let source = clean_line(&f.source);
    if source.is_empty() || source.chars().count() > 300 {
        errors.push(tm(|t| t.csa_err_source));
    }
    let today = today_vn();
    let received = if f.received_on.trim().is_empty() { Ok(today) } else { parse_date(&f.received_on) };
    let received = match received {
        Ok(d) if d > today => {
            errors.push(tm(|t| t.csa_err_future));
            None
        }
        Ok(d) if iso_date(&c.opens_on).is_some_and(|o| d < o) => {
            errors.push(tm(|t| t.csa_err_before_open));
            None
        }
        Ok(d) => Some(d),
        Err(m) => {
            errors.push(m);
            None
        }
    };
    let author_name = Some(clean_line(&f.author_name)).filter(|n| !n.is_empty()).map(|n| n.chars().take(150).collect::<String>());
    let household = match clean_line(&f.household).as_str() {
        "" => None,
        code => match cs::household_in(&state.ctx.store, &unit.path, code).await? {
            Some(h) => Some(h),
            None => {
                errors.push(tm(|t| t.csa_err_household));
                None
            }
        },
    };
    let part = Some(f.part.trim()).filter(|p| !p.is_empty());
    if let Some(p) = part {
        let parts = cs::parts(&state.ctx.store, id, c.version).await?;
        if !parts.iter().any(|x| x.path == p) {
            errors.push(tm(|t| t.csa_err_part));
        }
    }
    let body = danchu_domain::consultation::clean_comment(&svc::rules(&state.ctx), &f.body).map_err(|m| errors.push(m)).ok();
    let (Some(channel), Some(received), Some(body), true) = (channel, received, body, errors.is_empty()) else {
        return Err(AppError::Validation(errors.into_iter().map(|m| FieldError { field: "opinion".into(), message: m }).collect()));
    };
    let folded = fold(&body);
    let mut tx = state.ctx.store.write().await?;
    let (cid, fresh) = cs::add_comment(
        &mut tx,
        &NewComment {
            consultation_id: id,
            version: c.version,
            part_path: part,
            participant_id: None,
            channel: channel.as_str(),
            source: &source,
            author_name: author_name.as_deref(),
            author_household_id: household,
            body: &body,
            folded: &folded,
            signature: None,
            idem_key: &f.idem,
            created_on: &received.to_string(),
            entered_by: Some(s.user.id),
        },
    )
    .await?;
    if fresh {
        svc::schedule_regroup(&mut tx, id).await?;
        let summary =
            serde_json::json!({"comment": cid, "channel": channel.as_str(), "source": source, "household": household, "part": part})
                .to_string();
        audit::append(&mut tx, &entry(&s, &a.role, &unit, "consultation.opinion_entered", &format!("consultation:{id}"), &summary)).await?;
        meta::bump_public_version(&mut tx).await?;
    }
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &format!("/admin/consultations/{id}?done=opinion")).await?;
    super::disclosures::after_publish(&state);
    Ok(redirect(&out))
}

// ---------------------------------------------------------------------------
// Moderation and responses (R3.5)
// ---------------------------------------------------------------------------

#[derive(serde::Deserialize)]
pub struct HideForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    idem: String,
}

/// `POST /admin/consultations/{id}/comments/{comment}/hide`: hides a
/// comment with a reason from the fixed list; the audit trail keeps who and
/// why, and the public page says how many were hidden and why.
pub async fn hide(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path((id, comment_id)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<HideForm>,
) -> AppResult<Response> {
    let (_, unit, _, role) = load_manager(&state, &s, id).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(redirect(&out));
    }
    let reason = HideReason::parse(&f.reason).ok_or_else(|| invalid("reason", tm(|t| t.csa_err_hide_reason)))?;
    match cs::comment(&state.ctx.store, comment_id).await? {
        Some((cid, _)) if cid == id => {}
        _ => return Err(AppError::NotFound),
    }
    let mut tx = state.ctx.store.write().await?;
    if !cs::hide_comment(&mut tx, comment_id, reason.as_str(), s.user.id).await? {
        return Err(AppError::Conflict(tm(|t| t.csa_err_already_hidden)));
    }
    svc::schedule_regroup(&mut tx, id).await?;
    let summary = serde_json::json!({"comment": comment_id, "reason": reason.as_str()}).to_string();
    audit::append(&mut tx, &entry(&s, &role, &unit, "consultation.comment_hidden", &format!("consultation:{id}"), &summary)).await?;
    meta::bump_public_version(&mut tx).await?;
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &format!("/admin/consultations/{id}/responses?done=hidden")).await?;
    super::disclosures::after_publish(&state);
    Ok(redirect(&out))
}

#[derive(serde::Deserialize)]
pub struct RespondForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    part: String,
    #[serde(default)]
    idem: String,
}

fn back_to_responses(id: i64, part: &str) -> String {
    let part = part.trim();
    if part.is_empty() {
        format!("/admin/consultations/{id}/responses?done=responded")
    } else {
        let enc: String = form_urlencoded::byte_serialize(part.as_bytes()).collect();
        format!("/admin/consultations/{id}/responses?done=responded&part={enc}")
    }
}

/// `POST /admin/consultations/{id}/comments/{comment}/respond`: accepted,
/// or explained with a reason (R3.5).
pub async fn respond(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path((id, comment_id)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<RespondForm>,
) -> AppResult<Response> {
    let (c, unit, _, role) = load_manager(&state, &s, id).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(redirect(&out));
    }
    if c.status == cs::SYNTHESISED {
        return Err(AppError::Conflict(tm(|t| t.csa_err_synthesised)));
    }
    let answer = Answer::from_form(&f.kind, &f.text).map_err(|m| invalid("text", m))?;
    let mut tx = state.ctx.store.write().await?;
    if !cs::respond(&mut tx, id, comment_id, answer.kind(), answer.text(), s.user.id).await? {
        return Err(AppError::NotFound);
    }
    let summary = serde_json::json!({"comment": comment_id, "kind": answer.kind()}).to_string();
    audit::append(&mut tx, &entry(&s, &role, &unit, "consultation.responded", &format!("consultation:{id}"), &summary)).await?;
    meta::bump_public_version(&mut tx).await?;
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &back_to_responses(id, &f.part)).await?;
    super::disclosures::after_publish(&state);
    Ok(redirect(&out))
}

/// `POST /admin/consultations/{id}/groups/{group}/respond`: one response for
/// every opinion of a group of near-duplicates.
pub async fn respond_group(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path((id, group_id)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<RespondForm>,
) -> AppResult<Response> {
    let (c, unit, _, role) = load_manager(&state, &s, id).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(redirect(&out));
    }
    if c.status == cs::SYNTHESISED {
        return Err(AppError::Conflict(tm(|t| t.csa_err_synthesised)));
    }
    let answer = Answer::from_form(&f.kind, &f.text).map_err(|m| invalid("text", m))?;
    let mut tx = state.ctx.store.write().await?;
    let n = cs::respond_group(&mut tx, id, group_id, answer.kind(), answer.text(), s.user.id).await?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    let summary = serde_json::json!({"group": group_id, "comments": n, "kind": answer.kind()}).to_string();
    audit::append(&mut tx, &entry(&s, &role, &unit, "consultation.group_responded", &format!("consultation:{id}"), &summary)).await?;
    meta::bump_public_version(&mut tx).await?;
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &back_to_responses(id, &f.part)).await?;
    super::disclosures::after_publish(&state);
    Ok(redirect(&out))
}

struct CommentView {
    id: i64,
    part: String,
    channel: String,
    source: String,
    author: String,
    body: String,
    at: String,
    response: Option<String>,
    hidden: Option<String>,
    in_group: bool,
}

struct GroupView {
    id: i64,
    size: i64,
    unanswered: i64,
    part: String,
    body: String,
}

#[derive(Template)]
#[template(path = "consultations/admin_responses.html")]
struct ResponsesPage {
    c: Chrome,
    id: i64,
    title: String,
    unit_name: String,
    unit_id: i64,
    unanswered: String,
    part: String,
    part_opts: Vec<Opt>,
    parts: Vec<PartCount>,
    whole_count: i64,
    groups: Vec<GroupView>,
    comments: Vec<CommentView>,
    next_after: Option<i64>,
    show_all: bool,
    hide_reasons: Vec<Opt>,
    synthesised: bool,
    idem: String,
}

const PAGE: i64 = 100;

fn comment_view(t: &Msgs, lang: Lang, labels: &HashMap<(i64, String), String>, m: &cs::CommentRow) -> CommentView {
    let author = m
        .author_name
        .clone()
        .or_else(|| m.display_name.clone())
        .or_else(|| m.village_name.as_ref().map(|v| fill(t.csa_resident_of, &[v])))
        .unwrap_or_else(|| t.csa_anonymous.to_string());
    CommentView {
        id: m.id,
        part: part_label(t, labels, m.version, m.part_path.as_deref()),
        channel: channel_label(&m.channel, lang),
        source: m.source.clone(),
        author,
        body: m.body.clone(),
        at: vn_time(m.created_at),
        response: m.response_kind.as_ref().map(|k| {
            let label = if k == "accepted" { t.csa_accepted } else { t.csa_explained };
            match m.response_text.as_deref().filter(|x| !x.is_empty()) {
                Some(txt) => format!("{label}: {txt}"),
                None => label.to_string(),
            }
        }),
        hidden: m.hidden_reason.as_deref().map(|r| hide_reason_label(r, lang)),
        in_group: m.group_id.is_some(),
    }
}

/// `GET /admin/consultations/{id}/responses`: the work list — groups of
/// near-duplicates (largest first) and the opinions still unanswered, by
/// part; counts per part show where the draft is contested.
pub async fn responses(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let (c, unit, _, _) = load_manager(&state, &s, id).await?;
    let store = &state.ctx.store;
    let chrome = Chrome::new(&state, lang, Some(&s), &format!("/admin/consultations/{id}/responses"));
    let t = chrome.t;
    let labels = part_labels(&state, &c).await?;
    let counts = cs::counts(store, id).await?;
    let parts = cs::parts(store, id, c.version).await?;
    let part = q.part.clone().unwrap_or_default();
    let show_all = q.all.is_some();
    let filter = CommentFilter {
        // "-" is the whole draft, "" every part.
        part: match q.part.as_deref() {
            None | Some("") => None,
            Some("-") => Some(""),
            Some(p) => Some(p),
        },
        include_hidden: show_all,
        only_unanswered: !show_all,
        ..CommentFilter::default()
    };
    let rows = cs::comments(store, id, &filter, q.after.unwrap_or(0), PAGE + 1).await?;
    let more = rows.len() as i64 > PAGE;
    let rows: Vec<_> = rows.into_iter().take(PAGE as usize).collect();
    let groups = cs::groups(store, id, 2, 0, 200).await?;
    let whole_count = {
        // Comments on the whole draft: visible minus those on parts.
        let on_parts: i64 = counts.iter().filter(|(k, _)| k.starts_with("part:")).map(|(_, n)| *n).sum();
        counts.get("visible").copied().unwrap_or(0) - on_parts
    };
    let page = ResponsesPage {
        id,
        title: c.title.clone(),
        unit_name: unit.name.clone(),
        unit_id: unit.id,
        unanswered: num(lang, counts.get("unanswered").copied().unwrap_or(0)),
        part_opts: std::iter::once(opt("", t.csa_all_parts, part.is_empty()))
            .chain(std::iter::once(opt("-", t.csa_whole_draft, part == "-")))
            .chain(
                parts
                    .iter()
                    .map(|p| opt(p.path.clone(), labels.get(&(c.version, p.path.clone())).cloned().unwrap_or_default(), p.path == part)),
            )
            .collect(),
        parts: parts
            .iter()
            .map(|p| PartCount {
                path: p.path.clone(),
                label: labels.get(&(c.version, p.path.clone())).cloned().unwrap_or_default(),
                depth: p.depth,
                count: counts.get(&format!("part:{}:{}", c.version, p.path)).copied().unwrap_or(0),
            })
            .filter(|p| p.count > 0)
            .collect(),
        whole_count,
        groups: groups
            .iter()
            .filter(|g| match q.part.as_deref() {
                None | Some("") => true,
                Some("-") => g.part_path.is_none(),
                Some(p) => g.part_path.as_deref() == Some(p),
            })
            .map(|g| GroupView {
                id: g.id,
                size: g.size,
                unanswered: g.unanswered,
                part: part_label(t, &labels, g.representative.version, g.part_path.as_deref()),
                body: g.representative.body.clone(),
            })
            .collect(),
        next_after: if more { rows.last().map(|r| r.id) } else { None },
        comments: rows.iter().map(|m| comment_view(t, lang, &labels, m)).collect(),
        part,
        show_all,
        hide_reasons: HideReason::ALL.into_iter().map(|r| opt(r.as_str(), r.label().get(lang), false)).collect(),
        synthesised: c.status == cs::SYNTHESISED,
        idem: random_token(16),
        c: chrome.with_notice(notice(t, q.done.as_deref())),
    };
    render(&page)
}

// ---------------------------------------------------------------------------
// Statements: moderation, officials' statements, decisions (R3.6)
// ---------------------------------------------------------------------------

#[derive(serde::Deserialize)]
pub struct StatementForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    idem: String,
}

/// `POST /admin/consultations/{id}/statements`: an official's statement,
/// approved at once.
pub async fn add_statement(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<StatementForm>,
) -> AppResult<Response> {
    let (c, unit, _, role) = load_manager(&state, &s, id).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(redirect(&out));
    }
    if c.status == cs::SYNTHESISED {
        return Err(AppError::Conflict(tm(|t| t.csa_err_synthesised)));
    }
    let body = danchu_domain::consultation::clean_statement(&svc::rules(&state.ctx), &f.body).map_err(|m| invalid("body", m))?;
    let folded = fold(&body);
    let mut tx = state.ctx.store.write().await?;
    if cs::statement_exists(&mut tx, id, &folded).await? {
        return Err(invalid("body", tm(|t| t.csa_err_statement_exists)));
    }
    let (sid, fresh) = cs::add_statement(&mut tx, id, &body, &folded, "approved", None, Some(s.user.id), &f.idem).await?;
    if fresh {
        let summary = serde_json::json!({"statement": sid}).to_string();
        audit::append(&mut tx, &entry(&s, &role, &unit, "consultation.statement_added", &format!("consultation:{id}"), &summary)).await?;
        meta::bump_public_version(&mut tx).await?;
    }
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &format!("/admin/consultations/{id}?done=statement#statements")).await?;
    super::disclosures::after_publish(&state);
    Ok(redirect(&out))
}

#[derive(serde::Deserialize)]
pub struct ModerateForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    idem: String,
}

/// `POST /admin/consultations/{id}/statements/{statement}/moderate`: approve
/// a participant's statement, or reject it with a reason from the list.
pub async fn moderate(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path((id, sid)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<ModerateForm>,
) -> AppResult<Response> {
    let (_, unit, _, role) = load_manager(&state, &s, id).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(redirect(&out));
    }
    let (st, reason) = match f.decision.as_str() {
        "approve" => ("approved", None),
        "reject" => ("rejected", Some(HideReason::parse(&f.reason).ok_or_else(|| invalid("reason", tm(|t| t.csa_err_hide_reason)))?)),
        _ => return Err(invalid("decision", tm(|t| t.csa_err_moderation))),
    };
    let mut tx = state.ctx.store.write().await?;
    if !cs::moderate_statement(&mut tx, id, sid, st, reason.map(|r| r.as_str())).await? {
        return Err(AppError::NotFound);
    }
    svc::schedule_analysis(&mut tx, id).await?;
    let summary = serde_json::json!({"statement": sid, "state": st, "reason": reason.map(|r| r.as_str())}).to_string();
    audit::append(&mut tx, &entry(&s, &role, &unit, "consultation.statement_moderated", &format!("consultation:{id}"), &summary)).await?;
    meta::bump_public_version(&mut tx).await?;
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &format!("/admin/consultations/{id}?done=moderated#statements")).await?;
    super::disclosures::after_publish(&state);
    Ok(redirect(&out))
}

#[derive(serde::Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    follows: String,
    #[serde(default)]
    justification: String,
    #[serde(default)]
    idem: String,
}

/// `POST /admin/consultations/{id}/statements/{statement}/decision`: whether
/// the decision follows the majority on a statement; a departure needs a
/// written justification before the synthesis can be published (R3.6), and
/// may be recorded first and justified later.
pub async fn decide(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path((id, sid)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<DecisionForm>,
) -> AppResult<Response> {
    let (c, unit, _, role) = load_manager(&state, &s, id).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(redirect(&out));
    }
    if c.status == cs::SYNTHESISED {
        return Err(AppError::Conflict(tm(|t| t.csa_err_synthesised)));
    }
    let follows = match f.follows.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(invalid("follows", tm(|t| t.csa_err_follows))),
    };
    let justification = Some(clean_text(&f.justification)).filter(|j| !j.is_empty());
    let mut tx = state.ctx.store.write().await?;
    if !cs::set_statement_decision(&mut tx, id, sid, follows, justification.as_deref()).await? {
        return Err(AppError::NotFound);
    }
    let summary = serde_json::json!({"statement": sid, "follows": follows, "justified": justification.is_some()}).to_string();
    audit::append(&mut tx, &entry(&s, &role, &unit, "consultation.decision_recorded", &format!("consultation:{id}"), &summary)).await?;
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &format!("/admin/consultations/{id}?done=decision#statements")).await?;
    Ok(redirect(&out))
}

// ---------------------------------------------------------------------------
// Synthesis (R3.5, R3.6)
// ---------------------------------------------------------------------------

struct ReportView {
    part: String,
    opinion: String,
    count: i64,
    channels: String,
    response: String,
}

#[derive(Template)]
#[template(path = "consultations/admin_synthesis.html")]
struct SynthesisPage {
    c: Chrome,
    id: i64,
    title: String,
    unit_name: String,
    unit_id: i64,
    period: String,
    channel_counts: Vec<(String, String)>,
    total: String,
    rows: Vec<ReportView>,
    departures: Vec<(String, String)>,
    blocked: Option<String>,
    synthesised: bool,
    synthesis_disclosure_id: Option<i64>,
    intro: String,
    signer: String,
    errors: Vec<String>,
    idem: String,
}

/// Why the synthesis cannot be published yet, if it cannot: the period is
/// not over, opinions lack a response (R3.5), departures lack a
/// justification (R3.6).
fn synthesis_block(c: &Consultation, counts: &HashMap<String, i64>, statements: &[cs::StatementRow], today: NaiveDate) -> Result<(), Msg> {
    if c.status == cs::DRAFT {
        return Err(tm(|t| t.csa_err_not_published));
    }
    if phase_of(c, today) != Phase::Closed && c.status != cs::SYNTHESISED {
        return Err(Msg::new(
            fill(VI.csa_err_still_open, &[&vn_date(&c.closes_on)]),
            fill(EN.csa_err_still_open, &[&vn_date(&c.closes_on)]),
        ));
    }
    check_synthesis(counts.get("unanswered").copied().unwrap_or(0).max(0) as u64, svc::unjustified_departures(statements))
}

async fn synthesis_view(
    state: &Shared,
    lang: Lang,
    s: &Session,
    id: i64,
    errors: Vec<Msg>,
    intro: String,
    signer: String,
) -> AppResult<Response> {
    let (c, unit, _, _) = load_manager(state, s, id).await?;
    let store = &state.ctx.store;
    let chrome = Chrome::new(state, lang, Some(s), &format!("/admin/consultations/{id}/synthesis"));
    let t = chrome.t;
    let counts = cs::counts(store, id).await?;
    let statements = cs::statements(store, id, Some("approved")).await?;
    let report = svc::report(&state.ctx, &c, lang).await?;
    let today = today_vn();
    let blocked = synthesis_block(&c, &counts, &statements, today).err().map(|m| m.get(lang).to_string());
    let total: i64 = report.channel_counts.iter().map(|(_, n)| n).sum();
    let page = SynthesisPage {
        id,
        title: c.title.clone(),
        unit_name: unit.name.clone(),
        unit_id: unit.id,
        period: fill(t.csa_period_text, &[&vn_date(&c.opens_on), &vn_date(&c.closes_on)]),
        channel_counts: report.channel_counts.iter().map(|(ch, n)| (channel_label(ch, lang), num(lang, *n))).collect(),
        total: num(lang, total),
        rows: report
            .rows
            .iter()
            .map(|r| ReportView {
                part: r.part.clone(),
                opinion: r.opinion.clone(),
                count: r.count,
                channels: r.channels.clone(),
                response: if r.response_text.is_empty() { r.response.clone() } else { format!("{}: {}", r.response, r.response_text) },
            })
            .collect(),
        departures: report.departures.clone(),
        blocked: if c.status == cs::SYNTHESISED { None } else { blocked },
        synthesised: c.status == cs::SYNTHESISED,
        synthesis_disclosure_id: c.synthesis_disclosure_id,
        intro: if intro.is_empty() { c.synthesis_intro.clone().unwrap_or_default() } else { intro },
        signer,
        errors: errors.iter().map(|m| m.get(lang).to_string()).collect(),
        idem: random_token(16),
        c: chrome,
    };
    let mut r = render(&page)?;
    if !page.errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// `GET /admin/consultations/{id}/synthesis`: the synthesis report as it
/// will be published (opinions by part, counts per channel, responses),
/// and what still blocks it.
pub async fn synthesis_page(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    synthesis_view(&state, lang, &s, id, vec![], String::new(), String::new()).await
}

#[derive(serde::Deserialize)]
pub struct SynthesisForm {
    #[serde(default)]
    intro: String,
    #[serde(default)]
    signer: String,
    #[serde(default)]
    idem: String,
}

/// `POST /admin/consultations/{id}/synthesis`: refused (422) while an
/// opinion is unanswered or a departure unjustified; otherwise generates the
/// report as PDF and DOCX, publishes it as a disclosure item (R3.5, so its
/// posting obligations start), marks the consultation synthesised and tells
/// subscribers — all in one transaction; a second click writes nothing.
pub async fn publish_synthesis(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<SynthesisForm>,
) -> AppResult<Response> {
    let (c, unit, regime, role) = load_manager(&state, &s, id).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(redirect(&out));
    }
    let done = format!("/admin/consultations/{id}?done=synthesised");
    if c.status == cs::SYNTHESISED {
        return Ok(redirect(&done));
    }
    let store = &state.ctx.store;
    let counts = cs::counts(store, id).await?;
    let statements = cs::statements(store, id, Some("approved")).await?;
    let today = today_vn();
    let intro = clean_text(&f.intro);
    let signer = clean_line(&f.signer);
    let mut errors = Vec::new();
    if let Err(m) = synthesis_block(&c, &counts, &statements, today) {
        errors.push(m);
    }
    if signer.is_empty() {
        errors.push(tm(|t| t.csa_err_signer));
    }
    if !errors.is_empty() {
        return synthesis_view(&state, lang, &s, id, errors, intro, signer).await;
    }
    let report = svc::report(&state.ctx, &c, Lang::Vi).await?;
    let doc = svc::synthesis_document(
        &unit,
        &state.province,
        &c,
        &intro,
        &report.channel_counts,
        &report.rows,
        &report.departures,
        &signer,
        today,
        unit.is_demo,
    );
    let text = svc::document_text(&doc);
    let title = fill(VI.csa_synthesis_doc_title, &[&c.title]);
    let base = danchu_domain::text::slug(&title);
    let attachments = {
        let (doc, base, text) = (doc.clone(), base.clone(), text.clone());
        tokio::task::spawn_blocking(move || crate::documents::render(&doc, &base, &text)).await.map_err(AppError::internal)??
    };
    let v = danchu_store::disclosures::NewVersion {
        title,
        body: text,
        decision_number: String::new(),
        decision_date: today.to_string(),
        signer: signer.clone(),
        sector_deadline: None,
        sector_basis: None,
        change_note: None,
        attachments,
        published_on: today.to_string(),
    };
    let (mut tx, item_id) = super::disclosures::publish(
        &state.ctx,
        &unit,
        svc::disclosure_category(regime),
        regime.default_audience().as_str(),
        &v,
        today,
        None,
        Some((&s, role.as_str())),
        unit.is_demo,
    )
    .await?;
    // The state change is conditional: a concurrent second click finds the
    // consultation synthesised and its transaction (with its item) is
    // rolled back.
    if !cs::mark_synthesised(&mut tx, id, Some(item_id), &intro).await? {
        drop(tx);
        return Ok(redirect(&done));
    }
    svc::without_disclosure_notice(&mut tx, item_id).await?;
    svc::schedule_notify(&mut tx, id, "synthesis").await?;
    let summary = serde_json::json!({"disclosure": item_id, "rows": report.rows.len()}).to_string();
    audit::append(&mut tx, &entry(&s, &role, &unit, "consultation.synthesised", &format!("consultation:{id}"), &summary)).await?;
    let out = commit_once(&state, tx, &f.idem, Some(s.user.id), &done).await?;
    super::disclosures::after_publish(&state);
    Ok(redirect(&out))
}
