//! Consultations (Dân bàn), the public side: the lists of consultations of
//! the province and of a unit, a consultation's page (the draft with its
//! table of contents, counts per part, hidden comments by reason, the
//! statements and the opinion map), the comments of the whole draft or of
//! one part with the comment form, the statements to vote on, the changes
//! between versions, and a resident's verification against the household
//! registry.
//!
//! Everything works without JavaScript on a 360 px phone. The read-only
//! consultation page is cached for anonymous visitors; the pages that carry a
//! form are rendered per visitor (their CSRF token is a double-submit cookie
//! for visitors who are not signed in).
//!
//! Who may take part (`Eligibility`): residents verified by citizen ID and
//! birth date (the participant is then recognised by a browser key, kept as a
//! SHA-256 per consultation), staff or workers signed in with a role in the
//! unit, or anyone (a browser key, or the account when signed in).

use super::public::cached_as;
use super::{render, Crumb};
use crate::consultation::{self as svc, channel_label, hide_reason_label, subject_label};
use crate::error::{AppError, AppResult};
use crate::keys::random_token;
use crate::web::auth::{client_ip, Here, PageLang, Session, Viewer, PRESESSION_COOKIE};
use crate::web::chrome::{cookie, num, today_vn, vn_date, vn_time, Chrome};
use crate::web::forms::{commit_once, replayed, set_cookie, CsrfForm};
use crate::web::i18n::{fill, Msgs};
use crate::web::Shared;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;
use danchu_domain::accounts::Action;
use danchu_domain::cccd::Cccd;
use danchu_domain::consultation::{
    check_daily_limit, check_open, clean_comment, clean_statement, days_left_label, majority, public_author, Eligibility, Phase, Rules,
    Stance,
};
use danchu_domain::disclosure::Regime;
use danchu_domain::draft;
use danchu_domain::units::{Era, UnitKind};
use danchu_domain::{text, Lang, Msg};
use danchu_store::consultations::{self as cs, CommentFilter, CommentRow, Consultation, PartRow, VoteRefusal, Who};
use danchu_store::units;
use danchu_store::{accounts, households, idempotency, meta, now_ms};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Comments per page: a whole article's comments usually fit on one.
const COMMENTS_PAGE: i64 = 100;
/// Consultations per list page.
const LIST_LIMIT: i64 = 100;
/// The browser key cookie (random; only its per-consultation hash is stored).
const KEY_COOKIE: &str = "danchu_cs";
/// Longest display name a participant may choose.
const MAX_DISPLAY_NAME: usize = 60;

/// The public consultation routes.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/consultations", get(province_list))
        .route("/units/{code}/consultations", get(unit_list))
        .route("/consultations/{id}", get(show))
        .route("/consultations/{id}/comments", get(comments_page).post(post_comment))
        .route("/consultations/{id}/parts/{path}", get(part_page))
        .route("/consultations/{id}/changes", get(changes))
        .route("/consultations/{id}/statements", get(statements_page).post(post_statement))
        .route("/consultations/{id}/statements/{sid}/vote", post(post_vote))
        .route("/consultations/{id}/verify", get(verify_form).post(verify))
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

fn phase_of(c: &Consultation, today: NaiveDate) -> Phase {
    Phase::on(today, date(&c.opens_on), date(&c.closes_on), c.status == cs::SYNTHESISED)
}

fn eligibility_of(c: &Consultation) -> Eligibility {
    Eligibility::parse(&c.eligibility).unwrap_or(Eligibility::Residents)
}

fn regime_of(c: &Consultation) -> Regime {
    UnitKind::parse(&c.unit_kind).and_then(Regime::for_unit).unwrap_or(Regime::Commune)
}

/// A published consultation (drafts are not public: 404).
async fn load(state: &Shared, id: i64) -> AppResult<Consultation> {
    match cs::get(&state.ctx.store, id).await? {
        Some(c) if c.status != cs::DRAFT => Ok(c),
        _ => Err(AppError::NotFound),
    }
}

fn crumbs_for(c: &Consultation, t: &Msgs) -> Vec<Crumb> {
    vec![
        Crumb { name: c.unit_name.clone(), href: format!("/units/{}", c.unit_code) },
        Crumb { name: t.cs_title.to_string(), href: format!("/units/{}/consultations", c.unit_code) },
    ]
}

// ---------------------------------------------------------------------------
// Lists
// ---------------------------------------------------------------------------

/// A consultation in a list.
pub struct CsRow {
    pub id: i64,
    pub title: String,
    pub unit_name: String,
    pub subject: String,
    pub phase: String,
    pub phase_code: &'static str,
    pub when: String,
    pub is_demo: bool,
}

/// The row of a consultation in a list, with its phase and days left.
pub fn row(c: &Consultation, lang: Lang, today: NaiveDate) -> CsRow {
    let phase = phase_of(c, today);
    let when = match phase {
        Phase::Open => days_left_label(today, date(&c.closes_on)).get(lang).to_string(),
        _ => format!("{} – {}", vn_date(&c.opens_on), vn_date(&c.closes_on)),
    };
    CsRow {
        id: c.id,
        title: c.title.clone(),
        unit_name: match &c.village_name {
            Some(v) => format!("{v}, {}", c.unit_name),
            None => c.unit_name.clone(),
        },
        subject: subject_label(regime_of(c), &c.subject, lang),
        phase: phase.label().get(lang).to_string(),
        phase_code: phase.as_str(),
        when,
        is_demo: c.is_demo,
    }
}

/// Open consultations of a unit's subtree, closing soonest first (the
/// province's and units' home pages show them).
pub async fn open_rows(state: &Shared, path_prefix: &str, lang: Lang, limit: i64) -> AppResult<Vec<CsRow>> {
    let today = today_vn();
    let list = cs::list_open(&state.ctx.store, path_prefix, &iso(today), limit).await?;
    Ok(list.iter().map(|c| row(c, lang, today)).collect())
}

#[derive(Template)]
#[template(path = "consultations/list.html")]
struct ListPage {
    c: Chrome,
    crumbs: Vec<Crumb>,
    heading: String,
    open: Vec<CsRow>,
    others: Vec<CsRow>,
}

/// `GET /consultations`: every open consultation of the province.
pub async fn province_list(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
) -> AppResult<Response> {
    let st = state.clone();
    let session = viewer.0.clone();
    let h = here.clone();
    cached_as(&state, &viewer, lang, &here, &headers, "text/html; charset=utf-8", || async move {
        let c = Chrome::new(&st, lang, session.as_ref(), &h);
        let open = open_rows(&st, "/", lang, LIST_LIMIT).await?;
        let page = ListPage { heading: c.t.cs_open_title.to_string(), crumbs: vec![], open, others: vec![], c };
        Ok(page.render()?)
    })
    .await
}

/// `GET /units/{code}/consultations`: the open consultations of a unit's
/// subtree, and the unit's own past and upcoming ones.
pub async fn unit_list(
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
    let u = units::by_code(&state.ctx.store, Era::Current, &code).await?.ok_or(AppError::NotFound)?;
    let st = state.clone();
    let session = viewer.0.clone();
    let h = here.clone();
    cached_as(&state, &viewer, lang, &here, &headers, "text/html; charset=utf-8", || async move {
        let c = Chrome::new(&st, lang, session.as_ref(), &h);
        let today = today_vn();
        let open = open_rows(&st, &u.path, lang, LIST_LIMIT).await?;
        let own = cs::list_for_unit(&st.ctx.store, u.id, false, LIST_LIMIT).await?;
        let others: Vec<CsRow> = own.iter().filter(|x| phase_of(x, today) != Phase::Open).map(|x| row(x, lang, today)).collect();
        let page = ListPage {
            heading: fill(c.t.cs_unit_title, &[&u.name]),
            crumbs: vec![Crumb { name: u.name.clone(), href: format!("/units/{}", u.code) }],
            open,
            others,
            c,
        };
        Ok(page.render()?)
    })
    .await
}

// ---------------------------------------------------------------------------
// The consultation page
// ---------------------------------------------------------------------------

/// A part of the draft as shown.
pub struct PartView {
    pub path: String,
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub depth: i64,
    pub is_article: bool,
    pub comments: i64,
}

/// The facts every consultation page shows at the top.
pub struct Head {
    pub id: i64,
    pub title: String,
    pub unit_name: String,
    pub unit_code: String,
    pub village: Option<String>,
    pub subject: String,
    pub phase: String,
    pub phase_code: &'static str,
    pub days_left: Option<String>,
    pub opens: String,
    pub closes: String,
    pub eligibility: String,
    pub is_demo: bool,
    pub open: bool,
}

fn head(c: &Consultation, lang: Lang, today: NaiveDate) -> Head {
    let phase = phase_of(c, today);
    Head {
        id: c.id,
        title: c.title.clone(),
        unit_name: c.unit_name.clone(),
        unit_code: c.unit_code.clone(),
        village: c.village_name.clone(),
        subject: subject_label(regime_of(c), &c.subject, lang),
        phase: phase.label().get(lang).to_string(),
        phase_code: phase.as_str(),
        days_left: (phase == Phase::Open).then(|| days_left_label(today, date(&c.closes_on)).get(lang).to_string()),
        opens: vn_date(&c.opens_on),
        closes: vn_date(&c.closes_on),
        eligibility: eligibility_of(c).label().get(lang).to_string(),
        is_demo: c.is_demo,
        open: phase == Phase::Open,
    }
}

fn paragraphs(s: &str) -> Vec<String> {
    s.split('\n').map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

fn part_view(p: &PartRow, counts: &HashMap<String, i64>, version: i64) -> PartView {
    PartView {
        path: p.path.clone(),
        heading: p.heading.replace('\n', " — "),
        paragraphs: paragraphs(&p.body),
        depth: p.depth,
        is_article: p.kind == "dieu",
        comments: counts.get(&format!("part:{version}:{}", p.path)).copied().unwrap_or(0),
    }
}

/// The text before the first part (title, legal bases), or the whole text
/// of a draft that has no articles.
fn preamble(body: &str, parts: &[PartRow]) -> String {
    let Some(first) = parts.first() else { return body.to_string() };
    let first_line = first.heading.lines().next().unwrap_or("").trim();
    if first_line.is_empty() {
        return String::new();
    }
    let norm = text::nfc(body);
    norm.find(first_line).map(|i| norm[..i].to_string()).unwrap_or_default()
}

/// A comment as the public sees it: the author as they chose to appear, or
/// the channel and source of an opinion entered by an official.
pub struct CommentView {
    pub id: i64,
    pub author: String,
    pub channel: String,
    pub online: bool,
    pub part: Option<(String, String)>,
    pub version: i64,
    pub paragraphs: Vec<String>,
    pub when: String,
    pub response: Option<(bool, String, String)>,
}

fn comment_view(m: &CommentRow, lang: Lang, el: Eligibility, part_names: &HashMap<String, String>) -> CommentView {
    let online = m.channel == "online";
    let author = if online {
        public_author(m.display_name.as_deref(), m.village_name.as_deref(), el).get(lang).to_string()
    } else if m.source.is_empty() {
        channel_label(&m.channel, lang)
    } else {
        m.source.clone()
    };
    let response = m.response_kind.as_ref().map(|k| {
        let accepted = k == "accepted";
        let label = if accepted { crate::web::i18n::msgs(lang).cs_accepted } else { crate::web::i18n::msgs(lang).cs_explained };
        (accepted, label.to_string(), m.response_text.clone().unwrap_or_default())
    });
    CommentView {
        id: m.id,
        author,
        channel: channel_label(&m.channel, lang),
        online,
        part: m.part_path.as_ref().map(|p| (p.clone(), part_names.get(p).cloned().unwrap_or_else(|| p.clone()))),
        version: m.version,
        paragraphs: paragraphs(&m.body),
        when: vn_time(m.created_at),
        response,
    }
}

/// A statement with its votes.
pub struct StatementView {
    pub id: i64,
    pub body: String,
    pub agree: i64,
    pub disagree: i64,
    pub pass: i64,
    pub majority: String,
    pub mine: Option<&'static str>,
}

fn statement_view(s: &cs::StatementRow, lang: Lang, mine: Option<&String>) -> StatementView {
    let m = majority(s.agree.max(0) as u64, s.disagree.max(0) as u64, s.pass.max(0) as u64);
    let t = crate::web::i18n::msgs(lang);
    StatementView {
        id: s.id,
        body: s.body.clone(),
        agree: s.agree,
        disagree: s.disagree,
        pass: s.pass,
        majority: match m {
            Some(st) => st.label().get(lang).to_string(),
            None => t.cs_no_majority.to_string(),
        },
        mine: mine.and_then(|v| Stance::parse(v)).map(Stance::as_str),
    }
}

/// What the opinion-group summary shows for a group.
pub struct GroupLine {
    pub letter: String,
    pub size: String,
    pub statements: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "consultations/show.html")]
struct ShowPage {
    c: Chrome,
    crumbs: Vec<Crumb>,
    h: Head,
    summary: String,
    preamble: Vec<String>,
    structured: bool,
    parts: Vec<PartView>,
    whole_comments: i64,
    visible: String,
    participants: String,
    votes: String,
    by_channel: Vec<(String, String)>,
    hidden: Vec<(String, String)>,
    hidden_total: i64,
    statements: Vec<StatementView>,
    map_svg: Option<String>,
    groups: Vec<GroupLine>,
    consensus: Vec<(String, String)>,
    version: i64,
    versions: Vec<(i64, String, String)>,
    synthesis_href: Option<String>,
    disclosure_href: Option<String>,
}

/// `GET /consultations/{id}`: the consultation, its draft, counts and
/// statements (a fixed number of queries; cached for anonymous visitors).
pub async fn show(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let c = load(&state, id).await?;
    let st = state.clone();
    let session = viewer.0.clone();
    let h = here.clone();
    cached_as(&state, &viewer, lang, &here, &headers, "text/html; charset=utf-8", || async move {
        let chrome = Chrome::new(&st, lang, session.as_ref(), &h);
        Ok(show_page(&st, chrome, &c).await?.render()?)
    })
    .await
}

async fn show_page(state: &Shared, chrome: Chrome, c: &Consultation) -> AppResult<ShowPage> {
    let store = &state.ctx.store;
    let lang = chrome.lang;
    let t = chrome.t;
    let today = today_vn();
    let parts = cs::parts(store, c.id, c.version).await?;
    let counts = cs::counts(store, c.id).await?;
    let statements = cs::statements(store, c.id, Some("approved")).await?;
    let analysis = cs::analysis(store, c.id).await?;
    let versions = cs::versions(store, c.id).await?;
    let n = |k: &str| counts.get(k).copied().unwrap_or(0);
    let current = versions.iter().find(|v| v.version == c.version);
    let body = current.map(|v| v.body.as_str()).unwrap_or("");
    let mut by_channel: Vec<(String, String)> = counts
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("channel:").filter(|_| *v > 0).map(|ch| (channel_label(ch, lang), num(lang, *v))))
        .collect();
    by_channel.sort();
    let mut hidden: Vec<(String, String)> = counts
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("hidden:").filter(|_| *v > 0).map(|r| (hide_reason_label(r, lang), num(lang, *v))))
        .collect();
    hidden.sort();
    let hidden_total: i64 = counts.iter().filter(|(k, _)| k.starts_with("hidden:")).map(|(_, v)| *v).sum();
    let text_of: HashMap<i64, String> = statements.iter().map(|s| (s.id, s.body.clone())).collect();
    let dir = |d: &str| if d == "agree" { t.cs_agree } else { t.cs_disagree };
    let (map_svg, groups, consensus) = match analysis {
        Some((_, json, svg_vi, svg_en, _)) => {
            let summary: svc::Summary = serde_json::from_str(&json).unwrap_or_default();
            let groups = summary
                .groups
                .iter()
                .map(|g| GroupLine {
                    letter: g.letter.clone(),
                    size: num(lang, g.size as i64),
                    statements: g
                        .representative
                        .iter()
                        .filter_map(|(sid, d, share, _)| {
                            text_of.get(sid).map(|b| (b.clone(), format!("{} {}%", dir(d), (*share as f64 / 10.0).round())))
                        })
                        .take(3)
                        .collect(),
                })
                .collect();
            let consensus = summary
                .consensus
                .iter()
                .filter_map(|(sid, d, share)| text_of.get(sid).map(|b| (b.clone(), format!("{} ≥ {}%", dir(d), share / 10))))
                .take(5)
                .collect();
            let svg = if summary.participants > 0 { Some(if lang == Lang::Vi { svg_vi } else { svg_en }) } else { None };
            (svg, groups, consensus)
        }
        None => (None, vec![], vec![]),
    };
    Ok(ShowPage {
        crumbs: crumbs_for(c, t),
        h: head(c, lang, today),
        summary: c.summary.clone(),
        preamble: paragraphs(&preamble(body, &parts)),
        structured: current.map(|v| v.structured).unwrap_or(false),
        whole_comments: n("visible") - counts.iter().filter(|(k, _)| k.starts_with("part:")).map(|(_, v)| *v).sum::<i64>(),
        parts: parts.iter().map(|p| part_view(p, &counts, c.version)).collect(),
        visible: num(lang, n("visible")),
        participants: num(lang, n("participants")),
        votes: num(lang, n("votes")),
        by_channel,
        hidden,
        hidden_total,
        statements: statements.iter().map(|s| statement_view(s, lang, None)).collect(),
        map_svg,
        groups,
        consensus,
        version: c.version,
        versions: versions.iter().map(|v| (v.version, vn_time(v.created_at), v.change_note.clone())).collect(),
        synthesis_href: c.synthesis_disclosure_id.map(|d| format!("/disclosures/{d}")),
        disclosure_href: c.disclosure_id.map(|d| format!("/disclosures/{d}")),
        c: chrome,
    })
}

// ---------------------------------------------------------------------------
// Who is taking part
// ---------------------------------------------------------------------------

/// The participant key of a browser for one consultation: the SHA-256 of
/// the browser's random token and the consultation id (one token serves
/// every consultation; a stored hash links to one only).
fn key_hash(token: &str, id: i64) -> String {
    hex::encode(Sha256::digest(format!("{token}:{id}").as_bytes()))
}

fn browser_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .find_map(|s| s.split(';').find_map(|p| p.trim().strip_prefix(&format!("{KEY_COOKIE}=")).map(str::to_string)))
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Who may take part, and as whom.
enum Gate {
    /// As this signed-in user.
    User(i64),
    /// As the participant of this browser key (`fresh`: the token is new and
    /// its cookie must be set).
    Key { hash: String, token: String, fresh: bool },
    /// A resident must first be verified against the household registry.
    Verify,
    /// Staff or workers must sign in.
    SignIn,
    /// Signed in, but without a role in this unit.
    NotEligible,
}

async fn gate(state: &Shared, c: &Consultation, session: Option<&Session>, headers: &HeaderMap) -> AppResult<Gate> {
    let token = browser_token(headers);
    Ok(match eligibility_of(c) {
        Eligibility::Anyone => match (session, token) {
            (Some(s), _) => Gate::User(s.user.id),
            (None, Some(t)) => Gate::Key { hash: key_hash(&t, c.id), token: t, fresh: false },
            (None, None) => {
                let t = random_token(32);
                Gate::Key { hash: key_hash(&t, c.id), token: t, fresh: true }
            }
        },
        Eligibility::Residents => match token {
            Some(t) => {
                let hash = key_hash(&t, c.id);
                match cs::find_participant(&state.ctx.store, c.id, Who::Key(&hash)).await? {
                    Some(_) => Gate::Key { hash, token: t, fresh: false },
                    None => Gate::Verify,
                }
            }
            None => Gate::Verify,
        },
        Eligibility::Staff | Eligibility::Workers => match session {
            // A working role (not a citizen's) in the unit or below it.
            Some(s) if s.grants.iter().any(|g| g.unit_path.starts_with(&c.unit_path) && g.role.allows(Action::ViewUnitAdmin)) => {
                Gate::User(s.user.id)
            }
            Some(_) => Gate::NotEligible,
            None => Gate::SignIn,
        },
    })
}

/// What the participation pages say instead of a form.
fn gate_notice(g: &Gate, c: &Consultation, t: &Msgs) -> Option<(String, Option<(String, String)>)> {
    match g {
        Gate::User(_) | Gate::Key { .. } => None,
        Gate::Verify => {
            Some((t.cs_need_verify.to_string(), Some((format!("/consultations/{}/verify", c.id), t.cs_verify_link.to_string()))))
        }
        Gate::SignIn => {
            Some((t.cs_need_sign_in.to_string(), Some((format!("/login?next=/consultations/{}/comments", c.id), t.nav_login.to_string()))))
        }
        Gate::NotEligible => Some((t.cs_not_eligible.to_string(), None)),
    }
}

/// Finds or creates the participant for a write.
async fn participant_for(
    tx: &mut danchu_store::Tx,
    c: &Consultation,
    g: &Gate,
    display_name: Option<&str>,
) -> AppResult<Option<cs::Participant>> {
    let p = match g {
        Gate::User(u) => cs::participant(tx, c.id, Who::User(*u), None, display_name, None).await?,
        Gate::Key { hash, fresh: true, .. } => cs::new_key_participant(tx, c.id, hash, display_name).await?,
        Gate::Key { hash, .. } => cs::participant(tx, c.id, Who::Key(hash), None, display_name, None).await?,
        _ => return Ok(None),
    };
    Ok(Some(p))
}

/// Sends a visitor who may not write yet where they can: the resident
/// check, or the sign-in page; refuses a signed-in user without a role here.
fn refuse(g: &Gate, c: &Consultation) -> Option<AppResult<Response>> {
    match g {
        Gate::User(_) | Gate::Key { .. } => None,
        Gate::Verify => Some(Ok(Redirect::to(&format!("/consultations/{}/verify", c.id)).into_response())),
        Gate::SignIn => Some(Ok(Redirect::to(&format!("/login?next=/consultations/{}/comments", c.id)).into_response())),
        Gate::NotEligible => Some(Err(AppError::Forbidden)),
    }
}

fn with_key_cookie(state: &Shared, mut r: Response, g: &Gate) -> Response {
    if let Gate::Key { token, fresh: true, .. } = g {
        let c = set_cookie(KEY_COOKIE, token, 400 * 86_400, true, "Lax", state.ctx.cfg.cookies_secure());
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}

/// The CSRF token for a form page: the session's, or a visitor's
/// double-submit token (set as a cookie when new).
fn form_token(session: Option<&Session>, headers: &HeaderMap) -> (String, bool) {
    match session {
        Some(s) => (s.csrf.clone(), false),
        None => super::account::presession_token(headers),
    }
}

fn posted_token(session: Option<&Session>, parts: &Parts) -> String {
    match session {
        Some(s) => s.csrf.clone(),
        None => cookie(parts, PRESESSION_COOKIE).unwrap_or_default().to_string(),
    }
}

fn display_name(raw: &str) -> Result<Option<String>, Msg> {
    let s = text::clean_line(raw);
    if s.is_empty() {
        return Ok(None);
    }
    if s.chars().count() > MAX_DISPLAY_NAME || s.chars().all(|ch| ch.is_ascii_digit() || ch.is_whitespace()) {
        return Err(Msg::new(
            format!("Tên hiển thị dài tối đa {MAX_DISPLAY_NAME} ký tự và không được là một dãy số (đừng ghi số CCCD)."),
            format!("A display name has at most {MAX_DISPLAY_NAME} characters and may not be a number (never a citizen ID)."),
        ));
    }
    Ok(Some(s))
}

// ---------------------------------------------------------------------------
// Comments: all of them, or one part's, with the form
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "consultations/comments.html")]
struct CommentsPage {
    c: Chrome,
    crumbs: Vec<Crumb>,
    h: Head,
    /// The part this page is about (its text and its sub-parts).
    part: Option<Vec<PartView>>,
    part_path: String,
    part_heading: String,
    version: i64,
    comments: Vec<CommentView>,
    total: String,
    next: Option<String>,
    first_href: Option<String>,
    hidden_total: i64,
    /// The form, when the consultation is open and the visitor may take part.
    form: bool,
    gate_text: Option<String>,
    gate_link: Option<(String, String)>,
    csrf: String,
    idem: String,
    options: Vec<(String, String)>,
    errors: Vec<String>,
    f_body: String,
    f_part: String,
    f_name: String,
    max_chars: usize,
    closed_text: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct CommentsQuery {
    #[serde(default)]
    phan: String,
    #[serde(default)]
    sau: String,
    #[serde(default)]
    done: String,
}

#[derive(serde::Deserialize, Default)]
pub struct CommentForm {
    #[serde(default)]
    part: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    idem: String,
}

struct Shown<'a> {
    part: Option<&'a str>,
    after: i64,
    errors: Vec<String>,
    form: CommentForm,
    notice: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn comments_view(
    state: &Shared,
    lang: Lang,
    session: Option<&Session>,
    headers: &HeaderMap,
    here: &str,
    c: &Consultation,
    csrf: String,
    shown: Shown<'_>,
) -> AppResult<Response> {
    let store = &state.ctx.store;
    let chrome = Chrome::new(state, lang, session, here).with_notice(shown.notice);
    let t = chrome.t;
    let today = today_vn();
    let el = eligibility_of(c);
    // A part's page needs that part and what is under it; the page of all
    // comments needs the outline (for the selector and the labels), no text.
    let (subtree, outline) = match shown.part {
        Some(p) => {
            let sub = cs::part_subtree(store, c.id, c.version, p).await?;
            if sub.is_empty() {
                return Err(AppError::NotFound);
            }
            (sub, Vec::new())
        }
        None => (Vec::new(), cs::part_outline(store, c.id, c.version).await?),
    };
    let counts = cs::counts(store, c.id).await?;
    let filter = CommentFilter { part: shown.part, ..Default::default() };
    let mut rows = cs::comments(store, c.id, &filter, shown.after, COMMENTS_PAGE + 1).await?;
    let next = (rows.len() as i64 > COMMENTS_PAGE).then(|| {
        rows.truncate(COMMENTS_PAGE as usize);
        rows.last().map(|r| r.id).unwrap_or(0)
    });
    let first_line = |h: &str| h.lines().next().unwrap_or("").to_string();
    let names: HashMap<String, String> = outline
        .iter()
        .map(|(path, heading, _)| (path.clone(), first_line(heading)))
        .chain(subtree.iter().map(|p| (p.path.clone(), first_line(&p.heading))))
        .collect();
    let base = match shown.part {
        Some(p) => format!("/consultations/{}/parts/{p}", c.id),
        None => format!("/consultations/{}/comments", c.id),
    };
    let part_view_list = shown.part.map(|_| subtree.iter().map(|p| part_view(p, &counts, c.version)).collect::<Vec<_>>());
    let total = match shown.part {
        Some(p) => counts.get(&format!("part:{}:{p}", c.version)).copied().unwrap_or(0),
        None => counts.get("visible").copied().unwrap_or(0),
    };
    let g = gate(state, c, session, headers).await?;
    let open = phase_of(c, today) == Phase::Open;
    let notice = if open { gate_notice(&g, c, t) } else { None };
    let closed_text =
        check_open(today, date(&c.opens_on), date(&c.closes_on), c.status == cs::SYNTHESISED).err().map(|m| m.get(lang).to_string());
    let mut options = vec![(String::new(), t.cs_whole_draft.to_string())];
    options.extend(
        outline.iter().map(|(path, heading, depth)| (path.clone(), format!("{}{}", "· ".repeat(*depth as usize), first_line(heading)))),
    );
    let page = CommentsPage {
        crumbs: {
            let mut cr = crumbs_for(c, t);
            cr.push(Crumb { name: c.title.clone(), href: format!("/consultations/{}", c.id) });
            cr
        },
        h: head(c, lang, today),
        part_heading: shown.part.and_then(|p| names.get(p).cloned()).unwrap_or_default(),
        part_path: shown.part.unwrap_or("").to_string(),
        version: c.version,
        part: part_view_list,
        comments: rows.iter().map(|m| comment_view(m, lang, el, &names)).collect(),
        total: num(lang, total),
        next: next.map(|n| format!("{base}?sau={n}")),
        first_href: (shown.after > 0).then(|| base.clone()),
        hidden_total: counts.iter().filter(|(k, _)| k.starts_with("hidden:")).map(|(_, v)| *v).sum(),
        form: open && notice.is_none(),
        gate_text: notice.as_ref().map(|n| n.0.clone()),
        gate_link: notice.and_then(|n| n.1),
        csrf,
        idem: random_token(16),
        options,
        errors: shown.errors,
        f_body: shown.form.body,
        f_part: if shown.form.part.is_empty() { shown.part.unwrap_or("").to_string() } else { shown.form.part },
        f_name: shown.form.display_name,
        max_chars: svc::rules(&state.ctx).max_comment_chars,
        closed_text,
        c: chrome,
    };
    render(&page)
}

fn done_notice(t: &Msgs, done: &str) -> Option<String> {
    match done {
        "comment" => Some(t.cs_comment_saved.to_string()),
        "same" => Some(t.cs_comment_same.to_string()),
        "statement" => Some(t.cs_statement_saved.to_string()),
        "vote" => Some(t.cs_vote_saved.to_string()),
        "verified" => Some(t.cs_verified.to_string()),
        _ => None,
    }
}

fn cursor(s: &str) -> i64 {
    s.parse::<i64>().ok().filter(|n| *n > 0).unwrap_or(0)
}

/// `GET /consultations/{id}/comments`: every visible comment, oldest first,
/// 100 a page, and the comment form.
pub async fn comments_page(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<CommentsQuery>,
) -> AppResult<Response> {
    let c = load(&state, id).await?;
    let part = Some(q.phan.as_str()).filter(|p| !p.is_empty() && p.len() <= 64);
    let s = viewer.0.as_ref();
    let (token, fresh) = form_token(s, &headers);
    let notice = done_notice(crate::web::i18n::msgs(lang), &q.done);
    let form = CommentForm { part: part.unwrap_or("").to_string(), ..Default::default() };
    let r = comments_view(
        &state,
        lang,
        s,
        &headers,
        &here,
        &c,
        token.clone(),
        Shown { part, after: cursor(&q.sau), errors: vec![], form, notice },
    )
    .await?;
    Ok(super::account::with_presession(&state, r, &token, fresh && s.is_none()))
}

/// `GET /consultations/{id}/parts/{path}`: one chapter, article, clause or
/// point with its sub-parts, its comments and the form to comment on it.
pub async fn part_page(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
    Path((id, path)): Path<(i64, String)>,
    Query(q): Query<CommentsQuery>,
) -> AppResult<Response> {
    let c = load(&state, id).await?;
    if path.len() > 64 {
        return Err(AppError::NotFound);
    }
    let s = viewer.0.as_ref();
    let (token, fresh) = form_token(s, &headers);
    let notice = done_notice(crate::web::i18n::msgs(lang), &q.done);
    let form = CommentForm { part: path.clone(), ..Default::default() };
    let shown = Shown { part: Some(&path), after: cursor(&q.sau), errors: vec![], form, notice };
    let r = comments_view(&state, lang, s, &headers, &here, &c, token.clone(), shown).await?;
    Ok(super::account::with_presession(&state, r, &token, fresh && s.is_none()))
}

/// `POST /consultations/{id}/comments`: stores a comment once. Refused with
/// a clear message when empty, too long, after the close, beyond the daily
/// limit, or from someone who may not take part; the same text again from
/// the same participant on the same part is not stored twice.
pub async fn post_comment(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    parts: Parts,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<CommentForm>,
) -> AppResult<Response> {
    let c = load(&state, id).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let s = viewer.0.as_ref();
    let headers = &parts.headers;
    let rules = svc::rules(&state.ctx);
    let today = today_vn();
    let back = |part: &str| {
        if part.is_empty() {
            format!("/consultations/{id}/comments")
        } else {
            format!("/consultations/{id}/parts/{part}")
        }
    };
    let g = gate(&state, &c, s, headers).await?;
    if let Some(r) = refuse(&g, &c) {
        return r;
    }
    let mut errors: Vec<Msg> = Vec::new();
    if let Err(m) = check_open(today, date(&c.opens_on), date(&c.closes_on), c.status == cs::SYNTHESISED) {
        errors.push(m);
    }
    let mut part = f.part.trim().to_string();
    if !part.is_empty() && (part.len() > 64 || !part_known(&state, &c, &part).await?) {
        // Shown again on the page of all comments, the whole draft chosen.
        part.clear();
        errors.push(Msg::new("Điều, khoản được chọn không có trong dự thảo hiện hành.", "The chosen part is not in the current draft."));
    }
    let body = clean_comment(&rules, &f.body).map_err(|m| errors.push(m)).ok();
    let name = display_name(&f.display_name).map_err(|m| errors.push(m)).ok().flatten();
    if !errors.is_empty() {
        return comment_refused(&state, lang, s, &parts, &c, &g, &back(&part), part, f, errors).await;
    }
    let Some(body) = body else { unreachable!("a comment without body has an error") };
    // The write, batched with other submissions (group commit): the
    // participant, the daily limit, the repeat check, the comment, its jobs
    // and the submission key, answered once committed.
    let w = CommentWrite {
        store: state.ctx.store.clone(),
        id,
        version: c.version,
        who: match &g {
            Gate::User(u) => Writer::User(*u),
            Gate::Key { hash, fresh: true, .. } => Writer::NewKey(hash.clone()),
            Gate::Key { hash, .. } => Writer::Key(hash.clone()),
            _ => return Err(AppError::Forbidden),
        },
        name,
        daily_limit: rules.clone(),
        today: iso(today),
        folded: text::fold(&body),
        body,
        part: part.clone(),
        idem: f.idem.clone(),
        user_id: s.map(|s| s.user.id),
        back: back(&part),
    };
    type Written = Result<(String, Vec<String>), Undo>;
    let written =
        state.ctx.store.batched(move |tx: &mut danchu_store::Tx| -> danchu_store::BoxFut<'_, Written> { Box::pin(write_comment(tx, w)) });
    let out = match written.await {
        Ok((out, jobs)) => {
            danchu_store::jobs::note_enqueued(&state.ctx.store, &jobs);
            super::disclosures::after_publish(&state);
            out
        }
        Err(Undo::Replay) => idempotency::lookup(&state.ctx.store, &f.idem).await?.unwrap_or_else(|| back(&part)),
        Err(Undo::Refused(errors)) => return comment_refused(&state, lang, s, &parts, &c, &g, &back(&part), part, f, errors).await,
        Err(Undo::Fail(e)) => return Err(e),
    };
    Ok(with_key_cookie(&state, Redirect::to(&out).into_response(), &g))
}

/// Whether `path` is a part of the consultation's current version. A
/// published version never changes (a new text is a new version), so its
/// paths are read once per node; a draft's are read each time.
async fn part_known(state: &Shared, c: &Consultation, path: &str) -> AppResult<bool> {
    if c.status == cs::DRAFT {
        return Ok(cs::part_exists(&state.ctx.store, c.id, c.version, path).await?);
    }
    let key = (c.id, c.version);
    let paths = match state.part_paths.get(key) {
        Some(p) => p,
        None => {
            let outline = cs::part_outline(&state.ctx.store, c.id, c.version).await?;
            let p = std::sync::Arc::new(outline.into_iter().map(|(path, _, _)| path).collect::<std::collections::HashSet<_>>());
            state.part_paths.put(key, p.clone());
            p
        }
    };
    Ok(paths.contains(path))
}

/// Who writes a comment, as the write needs it.
enum Writer {
    User(i64),
    NewKey(String),
    Key(String),
}

/// A comment's write, owned so that it can run on the group-commit task.
struct CommentWrite {
    store: danchu_store::Store,
    id: i64,
    version: i64,
    who: Writer,
    name: Option<String>,
    daily_limit: Rules,
    today: String,
    body: String,
    folded: String,
    part: String,
    idem: String,
    user_id: Option<i64>,
    back: String,
}

/// Why a batched write was rolled back.
enum Undo {
    /// The submission key was used before: its outcome is the answer.
    Replay,
    /// Refused with these reasons (nothing written).
    Refused(Vec<Msg>),
    Fail(AppError),
}

impl From<danchu_store::StoreError> for Undo {
    fn from(e: danchu_store::StoreError) -> Self {
        Undo::Fail(e.into())
    }
}

impl From<AppError> for Undo {
    fn from(e: AppError) -> Self {
        Undo::Fail(e)
    }
}

/// Writes one comment on the batch's transaction; returns where to send
/// the visitor and the keys of the jobs it made sure of.
async fn write_comment(tx: &mut danchu_store::Tx, w: CommentWrite) -> Result<(String, Vec<String>), Undo> {
    let name = w.name.as_deref();
    let p = match &w.who {
        Writer::User(u) => cs::participant(tx, w.id, Who::User(*u), None, name, None).await?,
        Writer::NewKey(hash) => cs::new_key_participant(tx, w.id, hash, name).await?,
        Writer::Key(hash) => cs::participant(tx, w.id, Who::Key(hash), None, name, None).await?,
    };
    let part_opt = Some(w.part.as_str()).filter(|p| !p.is_empty());
    // A participant created now has posted nothing: no limit to check, no
    // repeat to find.
    let repeated = if p.created {
        None
    } else {
        let n = cs::posted_on(tx, p.id, &w.today).await?;
        check_daily_limit(&w.daily_limit, n.max(0) as u32).map_err(|m| Undo::Refused(vec![m]))?;
        cs::same_comment(tx, p.id, part_opt, &w.folded).await?
    };
    let mut jobs = Vec::new();
    let out = match repeated {
        Some(existing) => format!("{}?done=same#c{existing}", w.back),
        None => {
            let (cid, _) = cs::add_comment(
                tx,
                &cs::NewComment {
                    consultation_id: w.id,
                    version: w.version,
                    part_path: part_opt,
                    participant_id: Some(p.id),
                    channel: "online",
                    source: "",
                    author_name: None,
                    author_household_id: None,
                    body: &w.body,
                    folded: &w.folded,
                    signature: None,
                    idem_key: &w.idem,
                    created_on: &w.today,
                    entered_by: None,
                },
            )
            .await?;
            jobs = svc::schedule_after_comment(tx, &w.store, w.id).await?;
            format!("{}?done=comment#c{cid}", w.back)
        }
    };
    match idempotency::record(tx, &w.idem, w.user_id, &out).await {
        Ok(()) => Ok((out, jobs)),
        Err(danchu_store::StoreError::Conflict(_)) => Err(Undo::Replay),
        Err(e) => Err(e.into()),
    }
}

/// The comment form again, with the reasons it was refused (422).
#[allow(clippy::too_many_arguments)]
async fn comment_refused(
    state: &Shared,
    lang: Lang,
    s: Option<&Session>,
    parts: &Parts,
    c: &Consultation,
    g: &Gate,
    here: &str,
    part: String,
    f: CommentForm,
    errors: Vec<Msg>,
) -> AppResult<Response> {
    let shown = Shown {
        part: Some(part.as_str()).filter(|p| !p.is_empty()),
        after: 0,
        errors: errors.iter().map(|m| m.get(lang).to_string()).collect(),
        form: f,
        notice: None,
    };
    let mut r = comments_view(state, lang, s, &parts.headers, here, c, posted_token(s, parts), shown).await?;
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(with_key_cookie(state, r, g))
}

// ---------------------------------------------------------------------------
// Statements: vote agree / disagree / pass, or propose one
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "consultations/statements.html")]
struct StatementsPage {
    c: Chrome,
    crumbs: Vec<Crumb>,
    h: Head,
    statements: Vec<StatementView>,
    voted: usize,
    form: bool,
    gate_text: Option<String>,
    gate_link: Option<(String, String)>,
    csrf: String,
    idem: String,
    errors: Vec<String>,
    f_body: String,
    max_chars: usize,
}

#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

#[derive(serde::Deserialize, Default)]
pub struct StatementForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    idem: String,
}

#[derive(serde::Deserialize, Default)]
pub struct VoteForm {
    #[serde(default)]
    stance: String,
    #[serde(default)]
    idem: String,
}

#[allow(clippy::too_many_arguments)]
async fn statements_view(
    state: &Shared,
    lang: Lang,
    session: Option<&Session>,
    headers: &HeaderMap,
    c: &Consultation,
    csrf: String,
    errors: Vec<String>,
    f_body: String,
    notice: Option<String>,
) -> AppResult<Response> {
    let store = &state.ctx.store;
    let here = format!("/consultations/{}/statements", c.id);
    let chrome = Chrome::new(state, lang, session, &here).with_notice(notice);
    let t = chrome.t;
    let today = today_vn();
    let g = gate(state, c, session, headers).await?;
    let mine = match &g {
        Gate::User(u) => cs::find_participant(store, c.id, Who::User(*u)).await?,
        Gate::Key { hash, .. } => cs::find_participant(store, c.id, Who::Key(hash)).await?,
        _ => None,
    };
    let votes = match &mine {
        Some(p) => cs::my_votes(store, c.id, p.id).await?,
        None => HashMap::new(),
    };
    let statements = cs::statements(store, c.id, Some("approved")).await?;
    let open = phase_of(c, today) == Phase::Open;
    let notice = if open { gate_notice(&g, c, t) } else { None };
    let page = StatementsPage {
        crumbs: {
            let mut cr = crumbs_for(c, t);
            cr.push(Crumb { name: c.title.clone(), href: format!("/consultations/{}", c.id) });
            cr
        },
        h: head(c, lang, today),
        voted: votes.len(),
        statements: statements.iter().map(|s| statement_view(s, lang, votes.get(&s.id))).collect(),
        form: open && notice.is_none(),
        gate_text: notice.as_ref().map(|n| n.0.clone()),
        gate_link: notice.and_then(|n| n.1),
        csrf,
        idem: random_token(16),
        errors,
        f_body,
        max_chars: svc::rules(&state.ctx).max_statement_chars,
        c: chrome,
    };
    render(&page)
}

/// `GET /consultations/{id}/statements`: the approved statements, each with
/// three buttons (agree, disagree, pass) that work without JavaScript.
pub async fn statements_page(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let c = load(&state, id).await?;
    let s = viewer.0.as_ref();
    let (token, fresh) = form_token(s, &headers);
    let notice = done_notice(crate::web::i18n::msgs(lang), &q.done);
    let r = statements_view(&state, lang, s, &headers, &c, token.clone(), vec![], String::new(), notice).await?;
    Ok(super::account::with_presession(&state, r, &token, fresh && s.is_none()))
}

/// `POST /consultations/{id}/statements`: proposes a statement; it is shown
/// once a moderator approves it.
pub async fn post_statement(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    parts: Parts,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<StatementForm>,
) -> AppResult<Response> {
    let c = load(&state, id).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let s = viewer.0.as_ref();
    let g = gate(&state, &c, s, &parts.headers).await?;
    if let Some(r) = refuse(&g, &c) {
        return r;
    }
    let today = today_vn();
    let mut errors = Vec::new();
    if let Err(m) = check_open(today, date(&c.opens_on), date(&c.closes_on), c.status == cs::SYNTHESISED) {
        errors.push(m);
    }
    let body = clean_statement(&svc::rules(&state.ctx), &f.body).map_err(|m| errors.push(m)).ok();
    let mut tx = state.ctx.store.write().await?;
    if let Some(b) = &body {
        if cs::statement_exists(&mut tx, id, &text::fold(b)).await? {
            errors.push(Msg::new(
                "Đã có nhận định với nội dung này; hãy biểu quyết nhận định đó.",
                "This statement exists already; vote on it instead.",
            ));
        }
    }
    let (Some(body), true) = (body, errors.is_empty()) else {
        drop(tx);
        let errs = errors.iter().map(|m| m.get(lang).to_string()).collect();
        let mut r = statements_view(&state, lang, s, &parts.headers, &c, posted_token(s, &parts), errs, f.body, None).await?;
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(r);
    };
    let p = participant_for(&mut tx, &c, &g, None).await?.ok_or(AppError::Forbidden)?;
    cs::add_statement(&mut tx, id, &body, &text::fold(&body), "pending", Some(p.id), s.map(|s| s.user.id), &f.idem).await?;
    let out = commit_once(&state, tx, &f.idem, s.map(|s| s.user.id), &format!("/consultations/{id}/statements?done=statement")).await?;
    Ok(with_key_cookie(&state, Redirect::to(&out).into_response(), &g))
}

/// `POST /consultations/{id}/statements/{sid}/vote`: records (or changes)
/// the participant's vote; a vote on a hidden or unapproved statement is
/// refused.
pub async fn post_vote(
    State(state): State<Shared>,
    viewer: Viewer,
    parts: Parts,
    Path((id, sid)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<VoteForm>,
) -> AppResult<Response> {
    let c = load(&state, id).await?;
    if let Some(out) = replayed(&state, &f.idem).await? {
        return Ok(Redirect::to(&out).into_response());
    }
    let s = viewer.0.as_ref();
    let g = gate(&state, &c, s, &parts.headers).await?;
    if let Some(r) = refuse(&g, &c) {
        return r;
    }
    check_open(today_vn(), date(&c.opens_on), date(&c.closes_on), c.status == cs::SYNTHESISED).map_err(AppError::BadRequest)?;
    let stance = Stance::parse(&f.stance)
        .ok_or_else(|| AppError::BadRequest(Msg::new("Hãy chọn đồng ý, không đồng ý hoặc bỏ qua.", "Choose agree, disagree or pass.")))?;
    let mut tx = state.ctx.store.write().await?;
    let p = participant_for(&mut tx, &c, &g, None).await?.ok_or(AppError::Forbidden)?;
    match cs::vote(&mut tx, id, sid, p.id, stance.as_str()).await? {
        Ok(_) => {}
        Err(VoteRefusal::Unknown) => return Err(AppError::NotFound),
        Err(VoteRefusal::NotVotable) => {
            return Err(AppError::Conflict(Msg::new(
                "Nhận định này đang chờ duyệt hoặc đã bị ẩn nên không biểu quyết được.",
                "This statement awaits moderation or was hidden; it cannot be voted on.",
            )))
        }
    }
    svc::schedule_analysis(&mut tx, id).await?;
    meta::bump_public_version(&mut tx).await?;
    let out = commit_once(&state, tx, &f.idem, s.map(|s| s.user.id), &format!("/consultations/{id}/statements?done=vote#s{sid}")).await?;
    super::disclosures::after_publish(&state);
    Ok(with_key_cookie(&state, Redirect::to(&out).into_response(), &g))
}

// ---------------------------------------------------------------------------
// Residents: verification against the household registry
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "consultations/verify.html")]
struct VerifyPage {
    c: Chrome,
    crumbs: Vec<Crumb>,
    h: Head,
    csrf: String,
    errors: Vec<String>,
    f_birth: String,
    f_name: String,
}

#[derive(serde::Deserialize, Default)]
pub struct VerifyForm {
    #[serde(default)]
    cccd: String,
    #[serde(default)]
    birth: String,
    #[serde(default)]
    display_name: String,
}

fn verify_page(
    state: &Shared,
    lang: Lang,
    s: Option<&Session>,
    c: &Consultation,
    csrf: String,
    errors: Vec<String>,
    f: &VerifyForm,
) -> AppResult<Response> {
    let chrome = Chrome::new(state, lang, s, &format!("/consultations/{}/verify", c.id));
    let mut crumbs = crumbs_for(c, chrome.t);
    crumbs.push(Crumb { name: c.title.clone(), href: format!("/consultations/{}", c.id) });
    render(&VerifyPage {
        crumbs,
        h: head(c, lang, today_vn()),
        csrf,
        errors,
        f_birth: f.birth.clone(),
        f_name: f.display_name.clone(),
        c: chrome,
    })
}

/// Failed resident checks allowed per client address and hour.
const VERIFY_FAILURES_PER_HOUR: i64 = 10;

/// `GET /consultations/{id}/verify`: the resident check (citizen ID and
/// birth date), for consultations open to residents.
pub async fn verify_form(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let c = load(&state, id).await?;
    if eligibility_of(&c) != Eligibility::Residents {
        return Err(AppError::NotFound);
    }
    let s = viewer.0.as_ref();
    let (token, fresh) = form_token(s, &headers);
    let r = verify_page(&state, lang, s, &c, token.clone(), vec![], &VerifyForm::default())?;
    Ok(super::account::with_presession(&state, r, &token, fresh && s.is_none()))
}

/// `POST /consultations/{id}/verify`: finds a current member of a household
/// of the unit (or of the village, for a village convention) by the keyed
/// hash of the citizen ID and the birth date, and links this browser to them
/// as a participant. The citizen ID is never stored in clear nor logged; a
/// mismatch says only that no resident matched.
pub async fn verify(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    parts: Parts,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<VerifyForm>,
) -> AppResult<Response> {
    let c = load(&state, id).await?;
    if eligibility_of(&c) != Eligibility::Residents {
        return Err(AppError::NotFound);
    }
    let s = viewer.0.as_ref();
    let mut errors: Vec<Msg> = Vec::new();
    let cccd = Cccd::parse(&f.cccd).map_err(|e| errors.push(e.msg())).ok();
    let birth = danchu_domain::people::parse_date(&f.birth).map_err(|m| errors.push(m)).ok();
    let name = display_name(&f.display_name).map_err(|m| errors.push(m)).ok().flatten();
    let scope = match c.village_id {
        Some(v) => units::get(&state.ctx.store, v).await?.path,
        None => c.unit_path.clone(),
    };
    // Guesses are limited per client address across nodes (the sign-in
    // attempts table, under its own prefix): a citizen ID and a birth date
    // are not secrets.
    let ip = format!("verify:{}", client_ip(&parts, state.ctx.cfg.trust_forwarded_for));
    let (_, failures) = accounts::recent_failures(&state.ctx.store, "", &ip, now_ms() - 3_600_000).await?;
    if failures >= VERIFY_FAILURES_PER_HOUR {
        return Err(AppError::TooManyRequests(Msg::new(
            "Đã nhập sai quá nhiều lần từ máy này. Hãy thử lại sau một giờ, hoặc nhờ trưởng thôn kiểm tra sổ hộ.",
            "Too many failed attempts from this device. Try again in an hour, or ask the village head to check the registry.",
        )));
    }
    let found = match (&cccd, birth, errors.is_empty()) {
        (Some(cccd), Some(birth), true) => {
            let hash = cccd.keyed_hash(&state.ctx.keys.cccd());
            let r = households::resident_by_cccd(&state.ctx.store, &hash, &iso(birth), &scope).await?;
            if r.is_none() {
                let mut tx = state.ctx.store.write().await?;
                accounts::record_attempt(&mut tx, &format!("verify:{id}"), &ip, false).await?;
                tx.commit().await.map_err(danchu_store::StoreError::from)?;
                errors.push(Msg::new(
                    "Không tìm thấy người dân nào trên địa bàn có số CCCD và ngày sinh này. Hãy kiểm tra lại, hoặc liên hệ trưởng thôn để cập nhật sổ hộ.",
                    "No resident of this area has this citizen ID and birth date. Check them, or ask the village head to update the registry.",
                ));
            }
            r
        }
        _ => None,
    };
    let Some((person, village, _)) = found else {
        let f = VerifyForm { cccd: String::new(), ..f };
        let mut r =
            verify_page(&state, lang, s, &c, posted_token(s, &parts), errors.iter().map(|m| m.get(lang).to_string()).collect(), &f)?;
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(r);
    };
    let (token, fresh) = match browser_token(&parts.headers) {
        Some(t) => (t, false),
        None => (random_token(32), true),
    };
    let hash = key_hash(&token, id);
    let mut tx = state.ctx.store.write().await?;
    cs::participant(&mut tx, id, Who::Person(person), Some(village), name.as_deref(), Some(&hash)).await?;
    tx.commit().await.map_err(danchu_store::StoreError::from)?;
    let r = Redirect::to(&format!("/consultations/{id}/comments?done=verified")).into_response();
    Ok(with_key_cookie(&state, r, &Gate::Key { hash, token, fresh }))
}

// ---------------------------------------------------------------------------
// What changed between versions
// ---------------------------------------------------------------------------

/// One changed part: its heading in the new (or old) version, the change,
/// and the word diff of its title and text.
pub struct ChangeView {
    pub heading: String,
    pub kind: &'static str,
    pub label: String,
    pub spans: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "consultations/changes.html")]
struct ChangesPage {
    c: Chrome,
    crumbs: Vec<Crumb>,
    h: Head,
    from: i64,
    to: i64,
    versions: Vec<(i64, String)>,
    changes: Vec<ChangeView>,
    preamble: Vec<(&'static str, String)>,
    unchanged: usize,
}

#[derive(serde::Deserialize, Default)]
pub struct ChangesQuery {
    #[serde(default)]
    tu: String,
    #[serde(default)]
    den: String,
}

fn spans(s: &[draft::Span]) -> Vec<(&'static str, String)> {
    s.iter()
        .map(|x| {
            let op = match x.op {
                draft::Op::Same => "same",
                draft::Op::Insert => "ins",
                draft::Op::Delete => "del",
            };
            (op, x.text.clone())
        })
        .collect()
}

/// `GET /consultations/{id}/changes?tu=1&den=2`: what changed between two
/// versions of the draft, part by part and word by word.
pub async fn changes(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<ChangesQuery>,
) -> AppResult<Response> {
    let c = load(&state, id).await?;
    let st = state.clone();
    let session = viewer.0.clone();
    let h = here.clone();
    cached_as(&state, &viewer, lang, &here, &headers, "text/html; charset=utf-8", || async move {
        let chrome = Chrome::new(&st, lang, session.as_ref(), &h);
        let t = chrome.t;
        let versions = cs::versions(&st.ctx.store, id).await?;
        let to = q.den.parse::<i64>().ok().filter(|v| versions.iter().any(|x| x.version == *v)).unwrap_or(c.version);
        let from = q.tu.parse::<i64>().ok().filter(|v| *v < to && versions.iter().any(|x| x.version == *v)).unwrap_or((to - 1).max(1));
        let body = |v: i64| versions.iter().find(|x| x.version == v).map(|x| x.body.as_str()).unwrap_or("");
        let (old, new) = (draft::parse(body(from)), draft::parse(body(to)));
        let mut views = Vec::new();
        let mut unchanged = 0;
        if from != to {
            for ch in draft::diff(&old, &new) {
                let (heading, kind, label) = match ch.change {
                    draft::Change::Unchanged => {
                        unchanged += 1;
                        continue;
                    }
                    draft::Change::Added => (ch.new.map(|i| new.parts[i].heading.clone()), "added", t.cs_change_added),
                    draft::Change::Removed => (ch.old.map(|i| old.parts[i].heading.clone()), "removed", t.cs_change_removed),
                    draft::Change::Changed => (ch.new.map(|i| new.parts[i].heading.clone()), "changed", t.cs_change_changed),
                    draft::Change::Renumbered => (
                        ch.new.map(|i| {
                            format!("{} ← {}", new.parts[i].heading, ch.old.map(|o| old.parts[o].heading.clone()).unwrap_or_default())
                        }),
                        "renumbered",
                        t.cs_change_renumbered,
                    ),
                };
                let mut sp = spans(&ch.title);
                sp.extend(spans(&ch.text));
                if sp.is_empty() && ch.change == draft::Change::Added {
                    sp = ch.new.map(|i| vec![("ins", new.parts[i].text.clone())]).unwrap_or_default();
                }
                if sp.is_empty() && ch.change == draft::Change::Removed {
                    sp = ch.old.map(|i| vec![("del", old.parts[i].text.clone())]).unwrap_or_default();
                }
                views.push(ChangeView {
                    heading: heading.unwrap_or_default().replace('\n', " — "),
                    kind,
                    label: label.to_string(),
                    spans: sp,
                });
            }
        }
        let pre = if old.preamble != new.preamble { spans(&draft::word_diff(&old.preamble, &new.preamble)) } else { vec![] };
        let mut crumbs = crumbs_for(&c, t);
        crumbs.push(Crumb { name: c.title.clone(), href: format!("/consultations/{}", c.id) });
        let page = ChangesPage {
            crumbs,
            h: head(&c, lang, today_vn()),
            from,
            to,
            versions: versions.iter().map(|v| (v.version, vn_time(v.created_at))).collect(),
            changes: views,
            preamble: pre,
            unchanged,
            c: chrome,
        };
        Ok(page.render()?)
    })
    .await
}
