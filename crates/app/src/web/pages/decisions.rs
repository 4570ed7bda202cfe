//! Community decisions (Dân quyết), the citizens' side: a unit's decisions
//! (`/units/{code}/decisions`, open ones first), a decision's public page
//! (`/decisions/{id}`: the matter, the form, the threshold in plain words,
//! each village's household base, live or frozen counts, the figure
//! required and the outcome, the commune-wide aggregation, an SVG chart, the
//! time window and the participation list — who voted, never how), online
//! voting by a household representative (R2.14) and the receipt check.
//!
//! Online voting: the representative proves membership of a household of
//! the decision's village(s) on the decision date with the resident check
//! of consultations (citizen ID and birth date against the registry, kept
//! only as keyed hashes; 10 failures per address and hour, counted in the
//! database). The browser then holds a random token in an HttpOnly cookie;
//! the database holds SHA-256(token, decision) bound to the household
//! (`decision_voting_keys`), so any node recognises it. The vote form
//! carries a hidden submission key: a retry, a double click or a reload
//! gets the same receipt; a second device of the same household is refused
//! with the legal reason (`decision::cast_online_vote`).
//!
//! Every page works without JavaScript on a 360 px phone. A decision's page
//! is cached for anonymous visitors once its result is frozen; while votes
//! come in it is rendered per request from the counters (a fixed number of
//! queries whatever the number of households or votes).

use super::public::cached_as;
use super::{render, Crumb};
use crate::decision::{self as svc, BindRefusal, DecisionResult};
use crate::error::{AppError, AppResult};
use crate::keys::random_token;
use crate::web::auth::{client_ip, Here, PageLang, Session, Viewer, PRESESSION_COOKIE};
use crate::web::chrome::{cookie, num, vn_date, vn_time, Chrome};
use crate::web::forms::{set_cookie, CsrfForm};
use crate::web::Shared;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use danchu_domain::cccd::Cccd;
use danchu_domain::decision::{Choice, Form, Outcome, Subject};
use danchu_domain::units::Era;
use danchu_domain::{Lang, Msg};
use danchu_store::decisions::{self as ds, Decision};
use danchu_store::{accounts, now_ms, units};
use std::collections::BTreeMap;

/// Households per page of the participation list.
pub const PARTICIPANTS_PAGE: i64 = 50;
/// Decisions per list page.
const LIST_LIMIT: i64 = 200;
/// The voting cookie: a random token; only its hash per decision is stored.
pub const VOTE_COOKIE: &str = "danchu_dv";
/// Failed registry checks allowed per client address and hour (shared with
/// the consultations' resident check: same counter, same key).
const VERIFY_FAILURES_PER_HOUR: i64 = 10;

macro_rules! texts {
    ($($key:ident: $vi:literal, $en:literal;)*) => {
        /// The strings of the decision pages in one language; each is
        /// declared once with both texts, so a missing translation does not
        /// compile (as `web::i18n`, kept here so the decision pages do not
        /// touch the shared table).
        #[derive(Debug)]
        pub struct T { $(pub $key: &'static str,)* }
        static VI: T = T { $($key: $vi,)* };
        static EN: T = T { $($key: $en,)* };
    };
}

/// The decision pages' strings in `lang`.
pub fn texts(lang: Lang) -> &'static T {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

texts! {
    list_title: "Dân quyết", "Community decisions";
    list_intro: "Những việc Nhân dân ở thôn, tổ dân phố bàn và quyết định (Điều 15 Luật Thực hiện dân chủ ở cơ sở), đang biểu quyết ở trên.", "What the residents of the villages discuss and decide (Law on grassroots democracy, Art. 15), open votes first.";
    list_none: "Chưa có nội dung nào được đưa ra biểu quyết.", "No decision has been put to a vote yet.";
    open_now: "Đang biểu quyết", "Open for votes";
    others: "Các nội dung khác", "Other decisions";
    st_draft: "Đang chuẩn bị", "Being prepared";
    st_open: "Đang biểu quyết", "Open for votes";
    st_closed: "Đã kết thúc biểu quyết", "Voting closed";
    st_decided: "Được thông qua", "Passed";
    st_failed: "Không được thông qua", "Not passed";
    st_sent: "Đã gửi Ủy ban nhân dân và Mặt trận", "Sent to the People's Committee and the Front";
    st_recognised: "Đã được công nhận", "Recognised";
    st_refused: "Bị từ chối công nhận", "Recognition refused";
    st_annulled: "Đã bị hủy bỏ", "Annulled";
    scope_village: "Trong thôn, tổ dân phố", "Within the village";
    scope_commune: "Toàn xã, phường", "Commune-wide";
    secret_yes: "Biểu quyết kín", "Secret vote";
    secret_no: "Biểu quyết công khai", "Open vote";
    l_subject: "Nội dung", "Matter";
    l_question: "Câu hỏi biểu quyết", "Question";
    l_form: "Hình thức", "Form";
    l_scope: "Phạm vi", "Scope";
    l_date: "Ngày biểu quyết (tính số hộ)", "Decision date (household count)";
    l_window: "Thời gian biểu quyết", "Voting time";
    l_status: "Tình trạng", "Status";
    window_fmt: "từ {} đến {}", "from {} to {}";
    window_none: "chưa ấn định", "not set yet";
    threshold_fmt: "Thông qua khi có {} tổng số hộ gia đình của thôn, tổ dân phố đồng ý — tính trên tất cả các hộ, không chỉ các hộ tham gia.", "Passes when {} of all households of the village agree — counted on all households, not only those who vote.";
    commune_rule: "Nội dung toàn xã được thông qua khi ít nhất 2/3 tổng số thôn, tổ dân phố của xã thông qua, mỗi thôn tính theo điều kiện trên.", "A commune-wide matter passes when at least 2/3 of all the commune's villages pass, each under the rule above.";
    commune_fmt: "Toàn xã: {} trên {} thôn, tổ dân phố đạt; cần ít nhất {}.", "Commune-wide: {} of {} villages pass; at least {} needed.";
    results: "Kết quả theo thôn, tổ dân phố", "Results by village";
    live_note: "Số liệu cập nhật theo từng phiếu trong thời gian biểu quyết; kết quả chính thức được chốt khi kết thúc.", "Figures move with each vote while voting is open; the official result is frozen at closing.";
    frozen_fmt: "Kết quả đã được chốt lúc {}.", "The result was frozen at {}.";
    th_village: "Thôn, tổ dân phố", "Village";
    th_households: "Số hộ", "Households";
    th_voted: "Đã tham gia", "Voted";
    th_agree: "Đồng ý", "Agree";
    th_disagree: "Không đồng ý", "Disagree";
    th_other: "Ý kiến khác", "Other";
    th_invalid: "Không hợp lệ", "Invalid";
    th_required: "Cần đồng ý", "Agree needed";
    th_outcome: "Kết quả", "Outcome";
    out_pass: "Thông qua", "Passes";
    out_fail: "Không thông qua", "Does not pass";
    out_pass_live: "Đã đủ số hộ đồng ý", "Enough households agree";
    out_fail_live: "Chưa đủ số hộ đồng ý", "Not enough households agree yet";
    not_voted: "Chưa tham gia", "Not voted";
    chart_title: "Biểu đồ kết quả biểu quyết", "Chart of the vote";
    chart_desc: "Mỗi thanh là số hộ trên tổng số hộ; vạch đỏ là số hộ đồng ý cần có để thông qua.", "Each bar is households out of all households; the red line is the number agreeing needed to pass.";
    chart_all: "Tất cả thôn, tổ dân phố", "All villages";
    participation: "Danh sách hộ đã tham gia biểu quyết", "Households that voted";
    participation_secret: "Biểu quyết kín: danh sách cho biết hộ nào đã tham gia và lúc nào, không cho biết hộ biểu quyết thế nào.", "Secret vote: the list says which households voted and when, never how.";
    participation_none: "Chưa có hộ nào tham gia.", "No household has voted yet.";
    col_household: "Hộ gia đình", "Household";
    col_time: "Thời điểm", "Time";
    col_channel: "Cách thức", "Channel";
    col_choice: "Biểu quyết", "Vote";
    ch_online: "Trực tuyến", "Online";
    ch_paper: "Phiếu", "Ballot";
    ch_meeting: "Tại cuộc họp", "At the meeting";
    household_of: "Hộ", "Household of";
    prev: "Trang trước", "Previous page";
    next: "Trang sau", "Next page";
    page_fmt: "Trang {}", "Page {}";
    filter_village: "Xem thôn, tổ dân phố", "Show village";
    filter_all: "Tất cả", "All";
    show: "Xem", "Show";
    vote_link: "Biểu quyết trực tuyến", "Vote online";
    receipt_link: "Kiểm tra phiếu bằng mã biên nhận", "Check a ballot with its receipt code";
    vote_title: "Biểu quyết trực tuyến", "Online vote";
    verify_intro: "Chỉ đại diện hộ gia đình của thôn, tổ dân phố có trong danh sách hộ tại ngày biểu quyết được biểu quyết. Nhập số căn cước công dân và ngày sinh của một thành viên của hộ để xác nhận.", "Only representatives of households on the village's list on the decision date may vote. Enter the citizen ID number and birth date of a member of the household to confirm.";
    verify_cccd: "Số căn cước công dân", "Citizen ID number";
    verify_cccd_hint: " (12 chữ số)", " (12 digits)";
    verify_birth: "Ngày sinh", "Date of birth";
    verify_birth_hint: " (ngày/tháng/năm)", " (dd/mm/yyyy)";
    verify_send: "Xác nhận", "Confirm";
    verify_privacy: "Số căn cước không được lưu lại; hệ thống chỉ so khớp với sổ hộ gia đình.", "The citizen ID number is not kept; it is only matched against the household registry.";
    vote_as_fmt: "Bạn biểu quyết thay mặt một hộ gia đình của {}.", "You vote for a household of {}.";
    vote_once: "Mỗi hộ gia đình chỉ có một phiếu; phiếu đã gửi không sửa được.", "One vote per household; a vote cannot be changed once sent.";
    vote_send: "Gửi phiếu biểu quyết", "Send the vote";
    vote_choose: "Chọn một ý kiến", "Choose one";
    receipt_title: "Phiếu biểu quyết đã được ghi nhận", "Your vote was recorded";
    receipt_code: "Mã biên nhận", "Receipt code";
    receipt_keep: "Hãy ghi lại mã này: trang này là nơi duy nhất hiển thị mã. Với mã này, bạn có thể kiểm tra phiếu của hộ đã được tính hay chưa; mã không cho biết nội dung phiếu.", "Write this code down: this page is the only place it is shown. With it you can check that your household's vote was counted; the code does not tell what the vote was.";
    receipt_replayed: "Phiếu này đã được ghi nhận từ trước (gửi lại cùng một phiếu không tạo phiếu mới).", "This vote had already been recorded (sending the same vote again creates no new vote).";
    back_to_decision: "Về trang nội dung biểu quyết", "Back to the decision";
    check_title: "Kiểm tra phiếu bằng mã biên nhận", "Check a ballot with its receipt code";
    check_intro: "Nhập mã biên nhận nhận được khi biểu quyết. Trang chỉ cho biết phiếu đã được tính vào kết quả hay chưa, không cho biết nội dung phiếu.", "Enter the receipt code you were given when voting. The page only says whether the ballot was counted, never what it says.";
    check_send: "Kiểm tra", "Check";
    check_counted: "Phiếu có mã biên nhận này đã được tính vào kết quả.", "The ballot with this receipt code was counted.";
    check_missing: "Không có phiếu nào với mã biên nhận này trong nội dung biểu quyết này. Hãy kiểm tra lại mã.", "No ballot of this decision has this receipt code. Check the code.";
}

/// The public decision routes (merged in `web::routes`).
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/units/{code}/decisions", get(unit_list))
        .route("/decisions/{id}", get(show))
        .route("/decisions/{id}/vote", get(vote_page).post(post_vote))
        .route("/decisions/{id}/verify", axum::routing::post(verify))
        .route("/decisions/{id}/receipt", get(receipt_form).post(receipt_check))
}

// ---------------------------------------------------------------------------
// Shared bits
// ---------------------------------------------------------------------------

pub fn status_label(t: &T, status: &str) -> &'static str {
    match status {
        ds::DRAFT => t.st_draft,
        ds::OPEN => t.st_open,
        ds::CLOSED => t.st_closed,
        ds::DECIDED => t.st_decided,
        ds::FAILED => t.st_failed,
        ds::SENT => t.st_sent,
        ds::RECOGNISED => t.st_recognised,
        ds::REFUSED => t.st_refused,
        _ => t.st_annulled,
    }
}

fn subject_of(d: &Decision) -> Option<Subject> {
    u8::try_from(d.subject).ok().and_then(Subject::from_number)
}

fn form_label(d: &Decision, lang: Lang) -> String {
    Form::parse(&d.form).map(|f| f.label().get(lang).to_string()).unwrap_or_else(|| d.form.clone())
}

fn window(t: &T, d: &Decision) -> String {
    match (d.opens_at, d.closes_at) {
        (Some(o), Some(c)) => crate::web::i18n::fill(t.window_fmt, &[&vn_time(o), &vn_time(c)]),
        _ => t.window_none.to_string(),
    }
}

fn is_online(d: &Decision) -> bool {
    d.form == Form::OnlineVote.as_str()
}

/// The voting cookie's token, if well formed.
fn vote_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .find_map(|s| s.split(';').find_map(|p| p.trim().strip_prefix(&format!("{VOTE_COOKIE}=")).map(str::to_string)))
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

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

async fn load(state: &Shared, id: i64) -> AppResult<Decision> {
    svc::load(&state.ctx, id).await
}

async fn crumbs_for(state: &Shared, d: &Decision, t: &T) -> AppResult<Vec<Crumb>> {
    let u = units::get(&state.ctx.store, d.unit_id).await?;
    Ok(vec![
        Crumb { name: u.name.clone(), href: format!("/units/{}", u.code) },
        Crumb { name: t.list_title.to_string(), href: format!("/units/{}/decisions", u.code) },
    ])
}

// ---------------------------------------------------------------------------
// Lists
// ---------------------------------------------------------------------------

/// A decision in a list.
pub struct Row {
    pub id: i64,
    pub title: String,
    pub status: &'static str,
    pub form: String,
    pub window: String,
    pub is_demo: bool,
}

#[derive(Template)]
#[template(path = "decisions/list.html")]
struct ListPage {
    c: Chrome,
    t: &'static T,
    heading: String,
    crumbs: Vec<Crumb>,
    open: Vec<Row>,
    others: Vec<Row>,
}

/// `GET /units/{code}/decisions`: the decisions of a commune (all of its
/// own) or of a village (its own and the commune-wide ones it takes part
/// in), open ones first.
pub async fn unit_list(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    Path(code): Path<String>,
) -> AppResult<Response> {
    if code.len() > 40 {
        return Err(AppError::NotFound);
    }
    let u = units::by_code(&state.ctx.store, Era::Current, &code).await?.ok_or(AppError::NotFound)?;
    let st = state.clone();
    let session = viewer.0.clone();
    let h = here.clone();
    // Opening and closing change this list without a public-version bump
    // from the vote path, so it is rendered per request (one query).
    let list = match u.kind.level() {
        danchu_domain::units::Level::Village => ds::list_for_village(&st.ctx.store, u.id, LIST_LIMIT).await?,
        _ => ds::list_for_unit(&st.ctx.store, u.id, LIST_LIMIT).await?,
    };
    let c = Chrome::new(&st, lang, session.as_ref(), &h);
    let t = texts(lang);
    let row = |d: &Decision| Row {
        id: d.id,
        title: d.title.clone(),
        status: status_label(t, &d.status),
        form: form_label(d, lang),
        window: window(t, d),
        is_demo: d.is_demo,
    };
    let (open, others): (Vec<&Decision>, Vec<&Decision>) = list.iter().partition(|d| d.status == ds::OPEN);
    let page = ListPage {
        heading: format!("{} — {}", t.list_title, u.name),
        crumbs: vec![Crumb { name: u.name.clone(), href: format!("/units/{}", u.code) }],
        open: open.into_iter().map(row).collect(),
        others: others.into_iter().map(row).collect(),
        t,
        c,
    };
    render(&page)
}

// ---------------------------------------------------------------------------
// A decision's page
// ---------------------------------------------------------------------------

/// A village's line in the results table.
pub struct VillageLine {
    pub id: i64,
    pub name: String,
    pub households: String,
    pub voted: String,
    pub agree: String,
    pub disagree: String,
    pub other: String,
    pub invalid: String,
    pub required: String,
    pub passed: bool,
    pub verdict: &'static str,
    pub selected: bool,
}

/// One bar of the SVG chart (coordinates in the 320 × N view box).
pub struct Bar {
    pub label: String,
    pub value: String,
    pub y: u32,
    pub w: u32,
    pub fill: &'static str,
    pub text_x: u32,
    pub text_fill: &'static str,
}

/// The chart: bars over the household base, and the line of the figure
/// required to pass (if one village is shown).
pub struct Chart {
    pub caption: String,
    pub bars: Vec<Bar>,
    pub height: u32,
    pub view_box: String,
    pub mark_x: Option<u32>,
    pub mark_label: String,
}

/// A household in the participation list.
pub struct PLine {
    pub household: String,
    pub village: String,
    pub time: String,
    pub channel: &'static str,
    pub choice: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "decisions/show.html")]
struct ShowPage {
    c: Chrome,
    t: &'static T,
    crumbs: Vec<Crumb>,
    d: Decision,
    subject: String,
    form: String,
    scope: &'static str,
    secret: &'static str,
    status: &'static str,
    window: String,
    date: String,
    threshold: String,
    commune_rule: bool,
    commune_line: Option<String>,
    frozen_note: Option<String>,
    villages: Vec<VillageLine>,
    chart: Chart,
    participants: Vec<PLine>,
    participants_total: String,
    page_label: String,
    prev_href: Option<String>,
    next_href: Option<String>,
    online: bool,
    vote_open: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct ShowQuery {
    /// Page of the participation list (from 1).
    #[serde(default)]
    trang: Option<String>,
    /// One village: its line, its chart and its participants (empty: all).
    #[serde(default)]
    thon: Option<String>,
}

/// `GET /decisions/{id}`: the decision and its result (a fixed number of
/// queries: the decision, its commune, its villages, the counters, a page
/// of participants and their count per village). Cached for anonymous
/// visitors once the result is frozen.
pub async fn show(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    Here(here): Here,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let d = load(&state, id).await?;
    let frozen = d.result.is_some();
    let st = state.clone();
    let session = viewer.0.clone();
    let h = here.clone();
    let build = move || async move {
        let c = Chrome::new(&st, lang, session.as_ref(), &h);
        Ok(show_page(&st, c, d, &q).await?.render()?)
    };
    if frozen {
        cached_as(&state, &viewer, lang, &here, &headers, "text/html; charset=utf-8", build).await
    } else {
        let html = build().await?;
        let mut r = axum::response::Html(html).into_response();
        r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("private, no-store"));
        Ok(r)
    }
}

fn line(o: &Outcome, name: &str, lang: Lang, t: &T, frozen: bool, selected: bool) -> VillageLine {
    VillageLine {
        id: o.village.0,
        name: name.to_string(),
        households: num(lang, o.households as i64),
        voted: num(lang, o.voted as i64),
        agree: num(lang, o.agree as i64),
        disagree: num(lang, o.disagree as i64),
        other: num(lang, o.other as i64),
        invalid: num(lang, o.invalid as i64),
        required: num(lang, o.required as i64),
        passed: o.passed,
        verdict: match (frozen, o.passed) {
            (true, true) => t.out_pass,
            (true, false) => t.out_fail,
            (false, true) => t.out_pass_live,
            (false, false) => t.out_fail_live,
        },
        selected,
    }
}

/// Bars over a base: agree, disagree, other, invalid, not voted.
fn chart(t: &T, lang: Lang, caption: String, households: u64, counts: [u64; 4], required: Option<u64>) -> Chart {
    const LEFT: u32 = 110;
    const WIDTH: u32 = 200;
    let base = households.max(1);
    let scale = |n: u64| ((n.min(base) as u128 * WIDTH as u128) / base as u128) as u32;
    let voted: u64 = counts.iter().sum();
    let rows = [
        (t.th_agree, counts[0], "#1b7a3a"),
        (t.th_disagree, counts[1], "#a32020"),
        (t.th_other, counts[2], "#8a5300"),
        (t.th_invalid, counts[3], "#555555"),
        (t.not_voted, households.saturating_sub(voted), "#c9c9c9"),
    ];
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, (label, n, fill))| Bar {
            label: label.to_string(),
            value: num(lang, *n as i64),
            y: 8 + i as u32 * 28,
            w: scale(*n),
            fill,
            // The count inside a long dark bar (white), after a short one
            // or the grey "not voted" bar (dark).
            text_x: if scale(*n) >= 60 { 114 } else { 110 + scale(*n) + 4 },
            text_fill: if scale(*n) >= 60 && i < 4 { "#ffffff" } else { "#222222" },
        })
        .collect();
    let height = 8 + 5 * 28 + 4;
    Chart {
        caption,
        bars,
        height,
        view_box: format!("0 0 320 {height}"),
        mark_x: required.filter(|r| *r <= households).map(|r| LEFT + scale(r)),
        mark_label: required.map(|r| format!("{}: {}", t.th_required, num(lang, r as i64))).unwrap_or_default(),
    }
}

async fn show_page(state: &Shared, c: Chrome, d: Decision, q: &ShowQuery) -> AppResult<ShowPage> {
    let store = &state.ctx.store;
    let lang = c.lang;
    let t = texts(lang);
    let crumbs = crumbs_for(state, &d, t).await?;
    let villages = ds::village_results(store, d.id).await?;
    let names: BTreeMap<i64, String> = villages.iter().map(|v| (v.village_id, v.village_name.clone())).collect();
    let frozen = d.result.is_some();
    // The live result from the counters (three queries); a decision without
    // a base (a village without households) shows its bases only.
    let result = svc::tally(&state.ctx, d.id).await.ok();
    let filter = q.thon.as_deref().and_then(|v| v.parse::<i64>().ok()).filter(|v| names.contains_key(v));
    let mut lines = Vec::new();
    let mut commune_line = None;
    let outcomes: Vec<Outcome> = match &result {
        Some(DecisionResult::Village(o)) => vec![*o],
        Some(DecisionResult::Commune { villages, commune }) => {
            commune_line = Some(crate::web::i18n::fill(
                t.commune_fmt,
                &[&num(lang, commune.passed_villages as i64), &num(lang, commune.villages as i64), &num(lang, commune.required as i64)],
            ));
            villages.clone()
        }
        None => Vec::new(),
    };
    for o in &outcomes {
        let name = names.get(&o.village.0).cloned().unwrap_or_default();
        lines.push(line(o, &name, lang, t, frozen, filter == Some(o.village.0)));
    }
    let subject = subject_of(&d);
    let threshold = subject.map(|s| crate::web::i18n::fill(t.threshold_fmt, &[s.threshold().describe().get(lang)])).unwrap_or_default();
    // The chart: the selected village (with its required figure), the only
    // village, or every village summed.
    let shown: Vec<&Outcome> = outcomes.iter().filter(|o| filter.is_none_or(|v| o.village.0 == v)).collect();
    let sum = |f: fn(&Outcome) -> u64| shown.iter().map(|o| f(o)).sum::<u64>();
    let households = if shown.is_empty() { villages.iter().map(|v| v.households.max(0) as u64).sum() } else { sum(|o| o.households) };
    let required = if shown.len() == 1 { Some(shown[0].required) } else { None };
    let caption = match (shown.len(), filter) {
        (1, _) => names.get(&shown[0].village.0).cloned().unwrap_or_default(),
        _ => t.chart_all.to_string(),
    };
    let chart =
        chart(t, lang, caption, households, [sum(|o| o.agree), sum(|o| o.disagree), sum(|o| o.other), sum(|o| o.invalid)], required);
    // The participation list: who and when, never how for a secret vote.
    let page = q.trang.as_deref().and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).clamp(1, 1_000_000);
    let rows = ds::participation(store, d.id, filter, (page - 1) * PARTICIPANTS_PAGE, PARTICIPANTS_PAGE + 1).await?;
    // How many voted: from the counters (each online or paper vote adds one
    // voter row and one count), except at meetings, whose counted hands have
    // no voter rows.
    let total: i64 = if d.form == Form::Meeting.as_str() {
        let counts = ds::participation_counts(store, d.id).await?;
        match filter {
            Some(v) => counts.get(&v).copied().unwrap_or(0),
            None => counts.values().sum(),
        }
    } else {
        shown.iter().map(|o| o.voted as i64).sum()
    };
    let more = rows.len() as i64 > PARTICIPANTS_PAGE;
    let participants = rows
        .iter()
        .take(PARTICIPANTS_PAGE as usize)
        .map(|p| PLine {
            household: match &p.representative {
                Some(r) => format!("{} {} ({})", t.household_of, r, p.household_code),
                None => format!("{} {}", t.household_of, p.household_code),
            },
            village: names.get(&p.village_id).cloned().unwrap_or_default(),
            time: vn_time(p.voted_at),
            channel: match p.channel.as_str() {
                "online" => t.ch_online,
                "paper" => t.ch_paper,
                _ => t.ch_meeting,
            },
            // Never for a secret vote, whatever the row holds.
            choice: if d.secret {
                None
            } else {
                p.choice.as_deref().and_then(ds::parse_choice).map(|ch| match ch {
                    Choice::Agree => t.th_agree,
                    Choice::Disagree => t.th_disagree,
                    Choice::Other => t.th_other,
                    Choice::Invalid => t.th_invalid,
                })
            },
        })
        .collect();
    let id = d.id;
    let href = |p: i64| match filter {
        Some(v) => format!("/decisions/{id}?thon={v}&trang={p}"),
        None => format!("/decisions/{id}?trang={p}"),
    };
    let now = now_ms();
    Ok(ShowPage {
        crumbs,
        subject: subject.map(|s| s.label().get(lang).to_string()).unwrap_or_default(),
        form: form_label(&d, lang),
        scope: if d.scope == "commune" { t.scope_commune } else { t.scope_village },
        secret: if d.secret { t.secret_yes } else { t.secret_no },
        status: status_label(t, &d.status),
        window: window(t, &d),
        date: vn_date(&d.decision_date),
        threshold,
        commune_rule: d.scope == "commune",
        commune_line,
        frozen_note: d.result.map(|f| crate::web::i18n::fill(t.frozen_fmt, &[&vn_time(f.frozen_at)])),
        villages: lines,
        chart,
        participants,
        participants_total: num(lang, total),
        page_label: crate::web::i18n::fill(t.page_fmt, &[&page.to_string()]),
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: more.then(|| href(page + 1)),
        online: is_online(&d),
        vote_open: is_online(&d) && svc::vote_refusal(&d, now).is_none(),
        d,
        t,
        c,
    })
}

// ---------------------------------------------------------------------------
// Online voting (R2.14)
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "decisions/verify.html")]
struct VerifyPage {
    c: Chrome,
    t: &'static T,
    crumbs: Vec<Crumb>,
    d: Decision,
    csrf: String,
    errors: Vec<String>,
    f_birth: String,
}

#[derive(Template)]
#[template(path = "decisions/vote.html")]
struct VotePage {
    c: Chrome,
    t: &'static T,
    crumbs: Vec<Crumb>,
    d: Decision,
    csrf: String,
    idem: String,
    vote_as: String,
}

#[derive(Template)]
#[template(path = "decisions/receipt.html")]
struct ReceiptPage {
    c: Chrome,
    t: &'static T,
    crumbs: Vec<Crumb>,
    d: Decision,
    code: String,
    replayed: bool,
}

async fn verify_page(
    state: &Shared,
    lang: Lang,
    s: Option<&Session>,
    d: Decision,
    csrf: String,
    errors: Vec<String>,
    birth: &str,
) -> AppResult<Response> {
    let c = Chrome::new(state, lang, s, &format!("/decisions/{}/vote", d.id));
    let t = texts(lang);
    let crumbs = crumbs_for(state, &d, t).await?;
    render(&VerifyPage { c, t, crumbs, d, csrf, errors, f_birth: birth.to_string() })
}

/// `GET /decisions/{id}/vote`: the registry check for a browser not bound
/// to a household yet, then the vote form; a household that voted is told
/// so with the legal reason (409), a vote not open with its reason.
pub async fn vote_page(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let d = load(&state, id).await?;
    let now = now_ms();
    if let Some(m) = svc::vote_refusal(&d, now) {
        return Err(if is_online(&d) { AppError::Conflict(m) } else { AppError::BadRequest(m) });
    }
    let s = viewer.0.as_ref();
    let (csrf, fresh) = form_token(s, &headers);
    let bound = match vote_token(&headers) {
        Some(tok) => svc::voter_of(&state.ctx, id, &tok, now).await?,
        None => None,
    };
    let r = match bound {
        None => verify_page(&state, lang, s, d, csrf.clone(), vec![], "").await?,
        Some(k) => {
            if ds::voter(&state.ctx.store, id, k.household_id).await?.is_some() {
                return Err(AppError::Conflict(svc::already_voted_msg()));
            }
            let village = units::get(&state.ctx.store, k.village_id).await?.name;
            let c = Chrome::new(&state, lang, s, &format!("/decisions/{id}/vote"));
            let t = texts(lang);
            let crumbs = crumbs_for(&state, &d, t).await?;
            let vote_as = crate::web::i18n::fill(t.vote_as_fmt, &[&village]);
            render(&VotePage { c, t, crumbs, d, csrf: csrf.clone(), idem: random_token(16), vote_as })?
        }
    };
    Ok(super::account::with_presession(&state, r, &csrf, fresh && s.is_none()))
}

#[derive(serde::Deserialize, Default)]
pub struct VerifyForm {
    #[serde(default)]
    cccd: String,
    #[serde(default)]
    birth: String,
}

/// The address key of the registry-check limit (shared with consultations).
fn verify_ip(state: &Shared, parts: &Parts) -> String {
    format!("verify:{}", client_ip(parts, state.ctx.cfg.trust_forwarded_for))
}

/// Refuses a client address over its failed registry checks of the hour.
pub async fn check_verify_limit(state: &Shared, ip: &str) -> AppResult<()> {
    let (_, failures) = accounts::recent_failures(&state.ctx.store, "", ip, now_ms() - 3_600_000).await?;
    if failures >= VERIFY_FAILURES_PER_HOUR {
        return Err(AppError::TooManyRequests(Msg::new(
            "Đã nhập sai quá nhiều lần từ máy này. Hãy thử lại sau một giờ, hoặc nhờ trưởng thôn kiểm tra sổ hộ.",
            "Too many failed attempts from this device. Try again in an hour, or ask the village head to check the registry.",
        )));
    }
    Ok(())
}

/// Records a failed registry check of a client address.
pub async fn record_verify_failure(state: &Shared, id: i64, ip: &str) -> AppResult<()> {
    let mut tx = state.ctx.store.write().await?;
    accounts::record_attempt(&mut tx, &format!("verify:decision:{id}"), ip, false).await?;
    tx.commit().await.map_err(danchu_store::StoreError::from)?;
    Ok(())
}

/// The message of a registry check that matched nobody.
pub fn no_match_msg() -> Msg {
    Msg::new(
        "Không tìm thấy thành viên hộ gia đình nào có số CCCD và ngày sinh này. Hãy kiểm tra lại, hoặc liên hệ trưởng thôn để cập nhật sổ hộ.",
        "No household member has this citizen ID and birth date. Check them, or ask the village head to update the registry.",
    )
}

/// `POST /decisions/{id}/verify`: matches the citizen ID (as its keyed
/// hash) and birth date against the current members of the registry,
/// checks that the household was on the list of one of the decision's
/// villages on the decision date, and binds this browser to it for this
/// decision. The citizen ID is neither stored nor logged.
pub async fn verify(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    parts: Parts,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<VerifyForm>,
) -> AppResult<Response> {
    let d = load(&state, id).await?;
    let now = now_ms();
    if let Some(m) = svc::vote_refusal(&d, now) {
        return Err(AppError::Conflict(m));
    }
    let s = viewer.0.as_ref();
    let ip = verify_ip(&state, &parts);
    check_verify_limit(&state, &ip).await?;
    let mut errors: Vec<Msg> = Vec::new();
    let cccd = Cccd::parse(&f.cccd).map_err(|e| errors.push(e.msg())).ok();
    let birth = danchu_domain::people::parse_date(&f.birth).map_err(|m| errors.push(m)).ok();
    let (token, fresh) = match vote_token(&parts.headers) {
        Some(t) => (t, false),
        None => (random_token(32), true),
    };
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if let (Some(cccd), Some(birth), true) = (&cccd, birth, errors.is_empty()) {
        let hash = cccd.keyed_hash(&state.ctx.keys.cccd());
        match svc::bind_household(&state.ctx, &d, &hash, &birth.format("%Y-%m-%d").to_string(), &token, now).await? {
            Ok(_) => {
                let mut r = Redirect::to(&format!("/decisions/{id}/vote")).into_response();
                if fresh {
                    let c = set_cookie(VOTE_COOKIE, &token, 86_400, true, "Lax", state.ctx.cfg.cookies_secure());
                    r.headers_mut().append(header::SET_COOKIE, c);
                }
                return Ok(r);
            }
            Err(BindRefusal::NoMatch) => {
                record_verify_failure(&state, id, &ip).await?;
                errors.push(no_match_msg());
            }
            Err(BindRefusal::NotInVillage(m)) => {
                status = StatusCode::FORBIDDEN;
                errors.push(m);
            }
        }
    }
    let mut r =
        verify_page(&state, lang, s, d, posted_token(s, &parts), errors.iter().map(|m| m.get(lang).to_string()).collect(), &f.birth)
            .await?;
    *r.status_mut() = status;
    Ok(r)
}

#[derive(serde::Deserialize, Default)]
pub struct VoteForm {
    #[serde(default)]
    choice: String,
    #[serde(default)]
    idem: String,
}

/// The choices of an online vote (R2.14: agree, disagree, other opinion).
pub fn parse_vote_choice(s: &str) -> AppResult<Choice> {
    match s {
        "agree" => Ok(Choice::Agree),
        "disagree" => Ok(Choice::Disagree),
        "other" => Ok(Choice::Other),
        _ => Err(AppError::validation(
            "choice",
            Msg::new("Hãy chọn đồng ý, không đồng ý hoặc ý kiến khác.", "Choose agree, disagree or other."),
        )),
    }
}

/// `POST /decisions/{id}/vote`: casts the household's vote once and shows
/// its receipt code (again, the same, on a retry of the same submission).
pub async fn post_vote(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    parts: Parts,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<VoteForm>,
) -> AppResult<Response> {
    let d = load(&state, id).await?;
    let now = now_ms();
    let Some(k) = (match vote_token(&parts.headers) {
        Some(tok) => svc::voter_of(&state.ctx, id, &tok, now).await?,
        None => None,
    }) else {
        return Ok(Redirect::to(&format!("/decisions/{id}/vote")).into_response());
    };
    let choice = parse_vote_choice(&f.choice)?;
    let receipt = svc::cast_online_vote(&state.ctx, id, k.household_id, choice, &f.idem, now).await?;
    let s = viewer.0.as_ref();
    let c = Chrome::new(&state, lang, s, &format!("/decisions/{id}"));
    let t = texts(lang);
    let crumbs = crumbs_for(&state, &d, t).await?;
    render(&ReceiptPage { c, t, crumbs, d, code: receipt.code, replayed: receipt.replayed })
}

// ---------------------------------------------------------------------------
// Receipt check
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "decisions/receipt_check.html")]
struct CheckPage {
    c: Chrome,
    t: &'static T,
    crumbs: Vec<Crumb>,
    d: Decision,
    csrf: String,
    counted: bool,
    missing: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct CheckForm {
    #[serde(default)]
    ma: String,
}

/// `GET /decisions/{id}/receipt`: the receipt check form.
pub async fn receipt_form(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let d = load(&state, id).await?;
    if !is_online(&d) {
        return Err(AppError::NotFound);
    }
    let s = viewer.0.as_ref();
    let (csrf, fresh) = form_token(s, &headers);
    let c = Chrome::new(&state, lang, s, &format!("/decisions/{id}/receipt"));
    let t = texts(lang);
    let crumbs = crumbs_for(&state, &d, t).await?;
    let r = render(&CheckPage { c, t, crumbs, d, csrf: csrf.clone(), counted: false, missing: false })?;
    Ok(super::account::with_presession(&state, r, &csrf, fresh && s.is_none()))
}

/// `POST /decisions/{id}/receipt`: says only whether the ballot of the code
/// was counted (the code has 80 random bits: guessing one is hopeless).
pub async fn receipt_check(
    State(state): State<Shared>,
    viewer: Viewer,
    PageLang(lang): PageLang,
    parts: Parts,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<CheckForm>,
) -> AppResult<Response> {
    let d = load(&state, id).await?;
    if !is_online(&d) {
        return Err(AppError::NotFound);
    }
    let code = f.ma.trim();
    if code.is_empty() || code.len() > 40 {
        return Err(AppError::validation("ma", Msg::new("Hãy nhập mã biên nhận.", "Enter the receipt code.")));
    }
    let counted = svc::receipt_counted(&state.ctx, id, code).await?;
    let s = viewer.0.as_ref();
    let c = Chrome::new(&state, lang, s, &format!("/decisions/{id}/receipt"));
    let t = texts(lang);
    let crumbs = crumbs_for(&state, &d, t).await?;
    let mut r = render(&CheckPage { c, t, crumbs, d, csrf: posted_token(s, &parts), counted, missing: !counted })?;
    if !counted {
        *r.status_mut() = StatusCode::NOT_FOUND;
    }
    Ok(r)
}
