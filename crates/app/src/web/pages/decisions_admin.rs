//! Community decisions (Dân quyết), the officials' side: the commune's list
//! and the creation form, and the management page of a decision with the
//! actions of its state — opening, the village meeting (notice R2.9,
//! attendance, secretary and counting committee R2.10–R2.11, result), the
//! fall-back to household ballots (R2.12, R2.20), paper ballots (issue,
//! counting team, tally entry R2.13), closing, the written decision's
//! sending (R2.17) and recognition (R2.18) with their clocks, annulment
//! and redo (R2.19, R2.20), and the implementation record.
//!
//! Who may act, checked on the server for every request: the commune's
//! officials and chair operate (the chair alone starts a commune-wide
//! matter, R2.2, and recognises or annuls); a village head operates the
//! decisions of the village; the Fatherland Front and the province's
//! supervisors view; everyone else gets 403. Every action is one
//! transaction with its audit entry and its submission key.

use super::admin::{entry, load_unit};
use super::render;
use crate::decision::{self as svc, DecisionResult, MeetingPlan, NewDecision};
use crate::error::{AppError, AppResult};
use crate::keys::random_token;
use crate::web::auth::{Auth, PageLang, Session};
use crate::web::chrome::{num, today_vn, vn_date, vn_time, Chrome};
use crate::web::forms::{commit_once, replayed, CsrfForm, MultipartForm};
use crate::web::Shared;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{NaiveDate, NaiveDateTime};
use danchu_domain::accounts::Role;
use danchu_domain::decision::{
    check_initiator, online_poll, AnnulmentGround, Choice, ClockState, Counts, Form, FormFacts, HouseholdBase, Initiator, Notice,
    NoticeChannel, OnlinePreconditions, Recognition, Remedy, Scope, Subject, VillageId, VotingMethod,
};
use danchu_domain::people::parse_date;
use danchu_domain::text::{clean_line, clean_text};
use danchu_domain::units::Level;
use danchu_domain::{Lang, Msg};
use danchu_store::decisions::{self as ds, Decision};
use danchu_store::units::{self, Unit};
use danchu_store::{audit, Tx};

/// The officials' decision routes.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/admin/units/{id}/decisions", get(list).post(create))
        .route("/admin/decisions/{id}", get(manage))
        .route("/admin/decisions/{id}/open", post(open))
        .route("/admin/decisions/{id}/close", post(close))
        .route("/admin/decisions/{id}/meetings", post(schedule))
        .route("/admin/decisions/{id}/meetings/{meeting}/attendance", get(attendance_page).post(attendance))
        .route("/admin/decisions/{id}/meetings/{meeting}/procedure", post(procedure))
        .route("/admin/decisions/{id}/meetings/{meeting}/result", post(meeting_result))
        .route("/admin/decisions/{id}/meetings/{meeting}/fall-back", post(fall_back))
        .route("/admin/decisions/{id}/villages/{village}/ballots", post(issue))
        .route("/admin/decisions/{id}/villages/{village}/teams", post(team))
        .route("/admin/decisions/{id}/villages/{village}/count", get(count_page).post(count))
        .route("/admin/decisions/{id}/send", post(send))
        .route("/admin/decisions/{id}/answer", post(answer))
        .route("/admin/decisions/{id}/annul", post(annul))
        .route("/admin/decisions/{id}/progress", post(progress))
        .route("/admin/decisions/{id}/progress/{note}/photo", get(progress_photo))
}

// ---------------------------------------------------------------------------
// Strings (Vietnamese first, English), local to these pages
// ---------------------------------------------------------------------------

macro_rules! texts {
    ($($key:ident: $vi:literal, $en:literal;)*) => {
        /// The strings of these pages in one language.
        pub struct Dt { $(pub $key: &'static str,)* }
        static DVI: Dt = Dt { $($key: $vi,)* };
        static DEN: Dt = Dt { $($key: $en,)* };
    };
}

texts! {
    link: "Dân quyết", "Community decisions";
    intro: "Những việc Nhân dân bàn và quyết định (Điều 15 Luật Thực hiện dân chủ ở cơ sở): họp cộng đồng dân cư, phát phiếu lấy ý kiến hộ gia đình hoặc biểu quyết trực tuyến.", "Matters households discuss and decide (Law Art. 15): at a community meeting, by household ballot or by an online vote.";
    none: "Chưa có nội dung biểu quyết nào.", "No decision yet.";
    col_title: "Nội dung", "Matter";
    col_status: "Trạng thái", "Status";
    col_form: "Hình thức", "Form";
    col_date: "Ngày quyết định", "Decision date";
    col_result: "Kết quả", "Result";
    new_title: "Tạo nội dung biểu quyết", "New decision";
    subject: "Nội dung (Điều 15)", "Subject (Art. 15)";
    threshold: "Tỷ lệ thông qua", "Pass rule";
    scope: "Phạm vi", "Scope";
    scope_village: "Thôn, tổ dân phố", "Village";
    scope_commune: "Toàn xã, phường", "Whole commune";
    village: "Thôn, tổ dân phố", "Village";
    title: "Tiêu đề", "Title";
    question: "Câu hỏi biểu quyết", "Question";
    content: "Nội dung chi tiết", "Details";
    form: "Hình thức", "Form";
    secret: "Bỏ phiếu kín", "Secret vote";
    decision_date: "Ngày quyết định (ngày lấy tổng số hộ)", "Decision date (households counted on it)";
    agreed_front: "Đã thống nhất nội dung, hình thức với Mặt trận Tổ quốc (R2.2)", "Content and form agreed with the Fatherland Front (R2.2)";
    head_front: "Trưởng thôn và Ban công tác Mặt trận thống nhất (nội dung khác: phát phiếu hoặc trực tuyến, R2.5)", "Village head and Front committee agree (subject 6: ballot or online, R2.5)";
    lacked: "Cuộc họp trước không đủ số hộ tham dự (R2.12)", "An earlier meeting lacked attendance (R2.12)";
    online_facts: "Điều kiện biểu quyết trực tuyến (R2.14)", "Online vote conditions (R2.14)";
    online_agreed: "Số hộ đồng ý biểu quyết trực tuyến (cần trên 50% TỔNG số hộ)", "Households that agreed to vote online (more than half of ALL households)";
    online_connected: "Các hộ có thiết bị kết nối mạng", "Households have connected devices";
    online_reported: "Đã báo cáo UBND xã và UBMTTQ xã", "Reported to the commune UBND and UBMTTQ";
    online_team: "Số thành viên tổ biểu quyết trực tuyến", "Online team members";
    online_led: "Tổ do đại diện Ban công tác Mặt trận làm tổ trưởng", "Team led by the Front's representative";
    online_it: "Tổ có người am hiểu công nghệ thông tin", "Team includes someone skilled in IT";
    create: "Tạo", "Create";
    errors: "Chưa tạo được:", "Not created:";
    state: "Trạng thái", "Status";
    window: "Thời gian biểu quyết", "Voting window";
    bases: "Tổng số hộ theo thôn (chốt ngày quyết định)", "Households per village (frozen on the decision date)";
    households: "Tổng số hộ", "Households";
    required: "Cần đồng ý", "Agree needed";
    agree: "Đồng ý", "Agree";
    disagree: "Không đồng ý", "Disagree";
    other: "Ý kiến khác", "Other";
    invalid: "Không hợp lệ, để trống", "Invalid or blank";
    live: "Kết quả tạm tính", "Running tally";
    frozen: "Kết quả đã chốt", "Frozen result";
    passes: "Đạt", "Passes";
    fails: "Chưa đạt", "Not reached";
    open_title: "Mở biểu quyết", "Open the decision";
    opens_at: "Bắt đầu", "From";
    closes_at: "Kết thúc", "Until";
    open_btn: "Mở biểu quyết", "Open";
    close_title: "Kết thúc và chốt kết quả", "Close and freeze the result";
    close_btn: "Kết thúc biểu quyết", "Close";
    meeting_title: "Cuộc họp cộng đồng dân cư", "Community meeting";
    schedule_title: "Triệu tập cuộc họp (R2.9)", "Call the meeting (R2.9)";
    held_on: "Ngày họp", "Meeting day";
    notice_on: "Ngày thông báo đến người dự họp", "Day the notice reached attendees";
    posted_on: "Ngày niêm yết tại nhà văn hóa", "Day posted at the community point";
    documents_on: "Ngày gửi tài liệu đến từng hộ (nội dung 1–3)", "Day the documents reached every household (subjects 1–3)";
    channels: "Cách thông báo", "How the notice was sent";
    secretary: "Thư ký cuộc họp", "Secretary";
    committee: "Ban kiểm phiếu (mỗi dòng một người; họp bỏ phiếu kín)", "Counting committee (one a line; secret ballot)";
    method: "Cách biểu quyết", "Voting method";
    hands: "Giơ tay", "Show of hands";
    secret_ballot: "Bỏ phiếu kín", "Secret ballot";
    schedule_btn: "Ghi thông báo triệu tập", "Record the notice";
    present: "Hộ có mặt", "Households present";
    attendance_link: "Điểm danh hộ dự họp", "Take attendance";
    attendance_title: "Điểm danh hộ gia đình dự họp", "Attendance of households";
    attendance_save: "Ghi các hộ có mặt", "Record those present";
    clusters_missing: "Thôn từ 200 hộ có thể họp theo cụm (R2.8); hệ thống chưa lưu điểm danh theo cụm — hãy điểm danh từng hộ.", "Villages of 200 households or more may meet in clusters (R2.8); attendance per cluster is not stored yet — record each household.";
    procedure_title: "Thư ký và Ban kiểm phiếu (R2.10, R2.11)", "Secretary and counting committee (R2.10, R2.11)";
    secretary_votes: "Số hộ tán thành thư ký", "Households approving the secretary";
    committee_approvals: "Số hộ tán thành Ban kiểm phiếu", "Households approving the committee";
    witness_1: "Đại diện hộ chứng kiến thứ nhất", "First household witness";
    witness_2: "Đại diện hộ chứng kiến thứ hai", "Second household witness";
    procedure_btn: "Ghi", "Record";
    result_title: "Kết quả biểu quyết tại cuộc họp", "The meeting's result";
    result_btn: "Ghi kết quả", "Record the result";
    fallback_title: "Chuyển sang phát phiếu lấy ý kiến hộ gia đình", "Fall back to household ballots";
    fallback_btn: "Chuyển sang phát phiếu", "Fall back to ballots";
    ballots_title: "Phiếu lấy ý kiến hộ gia đình (R2.13)", "Household ballots (R2.13)";
    issued: "Đã phát", "Issued";
    counted: "Đã kiểm", "Counted";
    issue_btn: "Phát phiếu cho mọi hộ của thôn", "Issue a ballot to every household";
    print_link: "In phiếu (PDF, có mã QR)", "Print the ballots (PDF with QR)";
    team_title: "Tổ kiểm phiếu", "Counting team";
    members: "Thành viên (mỗi dòng một người, 3–5 người)", "Members (one a line, 3 to 5)";
    team_btn: "Ghi tổ kiểm phiếu", "Record the team";
    count_link: "Nhập phiếu đã kiểm", "Enter counted ballots";
    count_title: "Nhập phiếu đã kiểm", "Enter counted ballots";
    count_help: "Nhập mã in trên phiếu, chọn ý kiến, nhấn Enter. Mỗi phiếu được ghi riêng; phiếu nhập lại, phiếu thôn khác hay mã lạ bị từ chối kèm lý do.", "Type the code printed on the ballot, pick the choice, press Enter. Each ballot is its own entry; a ballot entered twice, of another village or unknown is refused with the reason.";
    code: "Mã phiếu", "Ballot code";
    choice: "Ý kiến", "Choice";
    team: "Tổ kiểm phiếu", "Counting team";
    count_btn: "Ghi phiếu", "Record the ballot";
    no_team: "Cần ghi tổ kiểm phiếu với 02 đại diện hộ chứng kiến trước khi kiểm phiếu.", "Record the counting team with its two witnesses first.";
    counted_ok: "Đã ghi phiếu", "Ballot recorded";
    back: "Về trang quản lý", "Back to the decision";
    after_title: "Sau biểu quyết", "After the vote";
    documents: "Văn bản", "Documents";
    public_page: "Trang kết quả công khai", "Public result page";
    send_title: "Gửi UBND xã và UBMTTQ xã (R2.17)", "Send to the commune UBND and UBMTTQ (R2.17)";
    sent_on: "Ngày gửi", "Sent on";
    late_note: "Lý do gửi chậm (nếu quá 05 ngày làm việc)", "Why late (after 5 working days)";
    send_btn: "Ghi đã gửi", "Record the sending";
    answer_title: "Công nhận hoặc từ chối công nhận (R2.18)", "Recognition or refusal (R2.18)";
    answered_on: "Ngày trả lời", "Answered on";
    recognise: "Công nhận", "Recognise";
    refuse: "Từ chối công nhận", "Refuse";
    refuse_reason: "Lý do từ chối (bắt buộc khi từ chối)", "Reasons (required to refuse)";
    answer_btn: "Ghi", "Record";
    annul_title: "Bãi bỏ hoặc thực hiện lại (R2.19, R2.20)", "Annul or redo (R2.19, R2.20)";
    ground: "Căn cứ", "Ground";
    ground_unlawful: "Trái pháp luật, đạo đức xã hội", "Unlawful or immoral";
    ground_procedure: "Không đúng trình tự, thủ tục", "Procedure not followed";
    ground_community: "Cộng đồng muốn thay đổi", "The community wishes a change";
    remedy: "Xử lý", "Remedy";
    remedy_annul: "Bãi bỏ", "Annul";
    remedy_amend: "Yêu cầu thực hiện lại", "Ask for a redo";
    remedy_community: "Cộng đồng sửa đổi theo trình tự (làm lại)", "The community amends it (redo)";
    reason: "Lý do (bằng văn bản)", "Reason (in writing)";
    annul_btn: "Ghi", "Record";
    clock_send: "Hạn gửi văn bản (05 ngày làm việc)", "Sending deadline (5 working days)";
    clock_answer: "Hạn công nhận (05 ngày làm việc từ khi nhận)", "Recognition deadline (5 working days from receipt)";
    redo_of: "Làm lại của", "Redo of";
    redone_as: "Đã làm lại tại", "Redone as";
    annulled_note: "Đã bãi bỏ", "Annulled";
    progress_title: "Tổ chức thực hiện (dân thụ hưởng)", "Implementation";
    noted_on: "Ngày", "Date";
    note: "Tiến độ", "Progress";
    collected: "Số tiền đã thu (đồng)", "Collected (đồng)";
    spent: "Số tiền đã chi (đồng)", "Spent (đồng)";
    progress_btn: "Ghi tiến độ", "Record progress";
    photo: "Ảnh chụp (không bắt buộc)", "Photo (optional)";
    view_only: "Bạn chỉ được xem nội dung này.", "You may only view this decision.";
    done: "Đã ghi.", "Recorded.";
    done_created: "Đã tạo nội dung biểu quyết.", "The decision was created.";
    done_fallback: "Đã chuyển sang phát phiếu lấy ý kiến hộ gia đình; đây là nội dung làm lại.", "Fell back to household ballots; this is the redo.";
    done_redo: "Đã tạo nội dung làm lại.", "The redo was created.";
}

fn dt(lang: Lang) -> &'static Dt {
    match lang {
        Lang::Vi => &DVI,
        Lang::En => &DEN,
    }
}

// ---------------------------------------------------------------------------
// Who may act
// ---------------------------------------------------------------------------

/// What the user may do with a decision (or a commune's decisions).
struct Who {
    role: String,
    /// Open, meetings, ballots, counts, close, send, progress.
    operate: bool,
    /// The commune chair (or an administrator): start commune-wide matters,
    /// recognise, annul.
    chair: bool,
    /// The Front officer of the commune (recognises subject 5, R2.18).
    front: bool,
}

/// The user's power over the decisions of `commune` (a village decision of
/// `village`): the commune's officials, chair and Front from a grant at
/// the commune or above; the village head of `village`; or viewing from a
/// grant at a village of the commune. 403 otherwise.
fn who(s: &Session, commune: &Unit, village: Option<&Unit>) -> AppResult<Who> {
    let mut best: Option<Who> = None;
    for g in &s.grants {
        let above = commune.path.starts_with(&g.unit_path);
        let at_village = village.is_some_and(|v| v.path.starts_with(&g.unit_path));
        let below = g.unit_path.starts_with(&commune.path);
        let w = match g.role {
            Role::SystemAdmin if above => Who { role: g.role.as_str().into(), operate: true, chair: true, front: true },
            Role::CommuneChair if above => Who { role: g.role.as_str().into(), operate: true, chair: true, front: false },
            Role::CommuneOfficial if above => Who { role: g.role.as_str().into(), operate: true, chair: false, front: false },
            Role::CommuneFrontOfficer if above => Who { role: g.role.as_str().into(), operate: false, chair: false, front: true },
            Role::ProvinceSupervisor if above => Who { role: g.role.as_str().into(), operate: false, chair: false, front: false },
            Role::VillageHead if at_village => Who { role: g.role.as_str().into(), operate: true, chair: false, front: false },
            Role::VillageHead | Role::VillageFrontHead if below => {
                Who { role: g.role.as_str().into(), operate: false, chair: false, front: false }
            }
            _ => continue,
        };
        let better = match &best {
            None => true,
            Some(b) => (w.chair, w.operate, w.front) > (b.chair, b.operate, b.front),
        };
        if better {
            best = Some(w);
        }
    }
    best.ok_or(AppError::Forbidden)
}

/// A decision with its commune, village and the user's power.
struct Loaded {
    d: Decision,
    commune: Unit,
    village: Option<Unit>,
    who: Who,
}

async fn load(state: &Shared, s: &Session, id: i64) -> AppResult<Loaded> {
    let d = ds::get(&state.ctx.store, id).await?.ok_or(AppError::NotFound)?;
    let commune = load_unit(state, d.unit_id).await?;
    let village = match d.village_id {
        Some(v) => Some(load_unit(state, v).await?),
        None => None,
    };
    let who = who(s, &commune, village.as_ref())?;
    Ok(Loaded { d, commune, village, who })
}

async fn load_operator(state: &Shared, s: &Session, id: i64) -> AppResult<Loaded> {
    let l = load(state, s, id).await?;
    if !l.who.operate {
        return Err(AppError::Forbidden);
    }
    Ok(l)
}

/// A posted form, as pairs (repeated keys kept: checklists, channels).
struct F(Vec<(String, String)>);

impl F {
    fn get(&self, k: &str) -> &str {
        self.0.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str()).unwrap_or("")
    }
    fn all(&self, k: &str) -> Vec<&str> {
        self.0.iter().filter(|(a, _)| a == k).map(|(_, v)| v.as_str()).collect()
    }
    fn on(&self, k: &str) -> bool {
        matches!(self.get(k), "1" | "on" | "yes" | "true")
    }
    fn idem(&self) -> &str {
        self.get("idem")
    }
}

fn invalid(field: &str, m: Msg) -> AppError {
    AppError::validation(field, m)
}

fn redirect(out: &str) -> Response {
    Redirect::to(out).into_response()
}

fn date_field(f: &F, k: &str, what: Msg) -> AppResult<NaiveDate> {
    let raw = f.get(k).trim();
    if raw.is_empty() {
        return Err(invalid(k, what));
    }
    parse_date(raw).map_err(|m| invalid(k, m))
}

fn opt_date(f: &F, k: &str) -> AppResult<Option<NaiveDate>> {
    let raw = f.get(k).trim();
    if raw.is_empty() {
        return Ok(None);
    }
    parse_date(raw).map(Some).map_err(|m| invalid(k, m))
}

fn count_field(f: &F, k: &str) -> AppResult<u64> {
    let raw = f.get(k).trim();
    if raw.is_empty() {
        return Ok(0);
    }
    raw.parse::<u64>().map_err(|_| {
        invalid(
            k,
            Msg::new(format!("\"{raw}\" không phải là một số hộ hợp lệ."), format!("\"{raw}\" is not a valid number of households.")),
        )
    })
}

/// Vietnam local time `yyyy-mm-ddTHH:MM` (a datetime-local input) as epoch ms.
fn local_ms(raw: &str, field: &str) -> AppResult<i64> {
    let s = raw.trim();
    let t = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").or_else(|_| NaiveDateTime::parse_from_str(s, "%d/%m/%Y %H:%M")).map_err(
        |_| {
            invalid(
                field,
                Msg::new(
                    format!("Thời điểm \"{s}\" không hợp lệ; hãy viết ngày/tháng/năm giờ:phút."),
                    format!("Time \"{s}\" is not valid; write day/month/year hour:minute."),
                ),
            )
        },
    )?;
    Ok(t.and_utc().timestamp_millis() - 7 * 3_600_000)
}

fn local_input(ms: i64) -> String {
    let t = chrono::DateTime::from_timestamp_millis(ms + 7 * 3_600_000).map(|t| t.naive_utc()).unwrap_or_default();
    t.format("%Y-%m-%dT%H:%M").to_string()
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Commits an action with its audit entry and submission key, and
/// redirects to the decision's page.
#[allow(clippy::too_many_arguments)]
async fn finish(
    state: &Shared,
    s: &Session,
    l: &Loaded,
    mut tx: Tx,
    idem: &str,
    action: &str,
    summary: serde_json::Value,
    out: &str,
) -> AppResult<Response> {
    let unit = l.village.as_ref().unwrap_or(&l.commune);
    // A second submit that changed nothing leaves no entry.
    if summary.get("changed") != Some(&serde_json::Value::Bool(false)) {
        audit::append(&mut tx, &entry(s, &l.who.role, unit, action, &format!("decision:{}", l.d.id), &summary.to_string())).await?;
    }
    let out = commit_once(state, tx, idem, Some(s.user.id), out).await?;
    Ok(redirect(&out))
}

// ---------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------

fn status_label(status: &str, lang: Lang) -> String {
    let m = match status {
        ds::DRAFT => Msg::new("Đang chuẩn bị", "Being prepared"),
        ds::OPEN => Msg::new("Đang biểu quyết", "Open"),
        ds::CLOSED => Msg::new("Đã kết thúc", "Closed"),
        ds::DECIDED => Msg::new("Đã thông qua", "Passed"),
        ds::FAILED => Msg::new("Không thông qua", "Not passed"),
        ds::SENT => Msg::new("Đã gửi UBND xã, UBMTTQ xã", "Sent to the commune"),
        ds::RECOGNISED => Msg::new("Đã được công nhận", "Recognised"),
        ds::REFUSED => Msg::new("Bị từ chối công nhận", "Recognition refused"),
        ds::ANNULLED => Msg::new("Đã bãi bỏ", "Annulled"),
        other => Msg::new(other, other),
    };
    m.get(lang).to_string()
}

fn form_label(form: &str, lang: Lang) -> String {
    Form::parse(form).map(|f| f.label().get(lang).to_string()).unwrap_or_else(|| form.to_string())
}

fn subject_label(n: i64, lang: Lang) -> String {
    match u8::try_from(n).ok().and_then(Subject::from_number) {
        Some(s) => format!("{}. {}", s.number(), s.label().get(lang)),
        None => n.to_string(),
    }
}

fn clock_label(v: &svc::ClockView, lang: Lang) -> String {
    let due = v.due.format("%d/%m/%Y").to_string();
    let m = match v.state {
        ClockState::Running { .. } => Msg::new(
            format!("Còn {} ngày làm việc (hạn {due})", v.working_days),
            format!("{} working days left (due {due})", v.working_days),
        ),
        ClockState::Overdue { .. } => Msg::new(
            format!("Quá hạn {} ngày làm việc (hạn {due})", v.working_days),
            format!("{} working days overdue (due {due})", v.working_days),
        ),
        ClockState::DoneOnTime { done, .. } => {
            let d = done.format("%d/%m/%Y");
            Msg::new(format!("Đúng hạn: ngày {d} (hạn {due})"), format!("On time: {d} (due {due})"))
        }
        ClockState::DoneLate { done, .. } => {
            let d = done.format("%d/%m/%Y");
            Msg::new(format!("Chậm: ngày {d} (hạn {due})"), format!("Late: {d} (due {due})"))
        }
    };
    m.get(lang).to_string()
}

fn is_overdue(v: &svc::ClockView) -> bool {
    matches!(v.state, ClockState::Overdue { .. } | ClockState::DoneLate { .. })
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

fn channel_label(c: NoticeChannel) -> Msg {
    match c {
        NoticeChannel::Invitation => Msg::new("Giấy mời", "Invitation"),
        NoticeChannel::DirectToHouseholds => Msg::new("Thông báo trực tiếp đến hộ", "Direct to households"),
        NoticeChannel::Loudspeaker => Msg::new("Loa truyền thanh", "Loudspeaker"),
        NoticeChannel::Phone => Msg::new("Điện thoại", "Phone"),
        NoticeChannel::SocialNetwork => Msg::new("Mạng xã hội đã thống nhất", "Agreed social network"),
    }
}

const CHANNELS: [NoticeChannel; 5] = [
    NoticeChannel::Invitation,
    NoticeChannel::DirectToHouseholds,
    NoticeChannel::Loudspeaker,
    NoticeChannel::Phone,
    NoticeChannel::SocialNetwork,
];

fn parse_channel(s: &str) -> Option<NoticeChannel> {
    CHANNELS.into_iter().find(|c| svc::channel_str(*c) == s)
}

fn choice_label(c: Choice, t: &Dt) -> &'static str {
    match c {
        Choice::Agree => t.agree,
        Choice::Disagree => t.disagree,
        Choice::Other => t.other,
        Choice::Invalid => t.invalid,
    }
}

const CHOICES: [Choice; 4] = [Choice::Agree, Choice::Disagree, Choice::Other, Choice::Invalid];

// ---------------------------------------------------------------------------
// List and create
// ---------------------------------------------------------------------------

struct ListRow {
    id: i64,
    title: String,
    subject: String,
    status: String,
    form: String,
    date: String,
    result: String,
}

/// The create form's values as typed.
#[derive(Default)]
struct Values {
    subject: String,
    scope: String,
    village: String,
    title: String,
    question: String,
    content: String,
    form: String,
    secret: bool,
    decision_date: String,
    agreed_front: bool,
    head_front: bool,
    lacked: bool,
    online_agreed: String,
    online_connected: bool,
    online_reported: bool,
    online_team: String,
    online_led: bool,
    online_it: bool,
}

impl Values {
    fn of(f: &F) -> Values {
        Values {
            subject: f.get("subject").into(),
            scope: f.get("scope").into(),
            village: f.get("village").into(),
            title: f.get("title").into(),
            question: f.get("question").into(),
            content: f.get("content").into(),
            form: f.get("form").into(),
            secret: f.on("secret"),
            decision_date: f.get("decision_date").into(),
            agreed_front: f.on("agreed_front"),
            head_front: f.on("head_front"),
            lacked: f.on("lacked"),
            online_agreed: f.get("online_agreed").into(),
            online_connected: f.on("online_connected"),
            online_reported: f.on("online_reported"),
            online_team: f.get("online_team").into(),
            online_led: f.on("online_led"),
            online_it: f.on("online_it"),
        }
    }
}

#[derive(Template)]
#[template(path = "decisions/admin_list.html")]
struct ListPage {
    c: Chrome,
    t: &'static Dt,
    unit_id: i64,
    unit_name: String,
    rows: Vec<ListRow>,
    can_create: bool,
    subjects: Vec<Opt>,
    villages: Vec<Opt>,
    forms: Vec<Opt>,
    scope_commune: bool,
    v: Values,
    errors: Vec<String>,
    idem: String,
}

/// The commune of a unit (itself, or a village's parent) and the village.
async fn commune_of(state: &Shared, unit: Unit) -> AppResult<(Unit, Option<Unit>)> {
    match unit.kind.level() {
        Level::Commune => Ok((unit, None)),
        Level::Village => {
            let parent = unit.parent_id.ok_or(AppError::NotFound)?;
            Ok((load_unit(state, parent).await?, Some(unit)))
        }
        _ => Err(AppError::NotFound),
    }
}

async fn villages_of(state: &Shared, commune: &Unit) -> AppResult<Vec<Unit>> {
    Ok(units::children(&state.ctx.store, commune.id)
        .await?
        .into_iter()
        .filter(|u| u.unit.kind.level() == Level::Village && u.unit.valid_to.is_none())
        .map(|u| u.unit)
        .collect())
}

#[allow(clippy::too_many_arguments)]
async fn list_page(
    state: &Shared,
    lang: Lang,
    s: &Session,
    unit: &Unit,
    commune: &Unit,
    village: Option<&Unit>,
    w: &Who,
    v: Values,
    errors: Vec<Msg>,
    notice: Option<String>,
) -> AppResult<Response> {
    let store = &state.ctx.store;
    let all = match village {
        Some(vl) => ds::list_for_village(store, vl.id, 200).await?,
        None => ds::list_for_unit(store, commune.id, 200).await?,
    };
    let c = Chrome::new(state, lang, Some(s), &format!("/admin/units/{}/decisions", unit.id));
    let t = dt(lang);
    let rows = all
        .iter()
        .map(|d| ListRow {
            id: d.id,
            title: d.title.clone(),
            subject: subject_label(d.subject, lang),
            status: status_label(&d.status, lang),
            form: form_label(&d.form, lang),
            date: vn_date(&d.decision_date),
            result: match &d.result {
                Some(r) => format!(
                    "{} {}/{} · {}",
                    t.agree,
                    num(lang, r.agree),
                    num(lang, r.households),
                    if r.passed { t.passes } else { t.fails }
                ),
                None => String::new(),
            },
        })
        .collect();
    let villages = villages_of(state, commune).await?;
    let default_village = village.map(|x| x.id.to_string()).unwrap_or_default();
    let chosen_village = if v.village.is_empty() { default_village } else { v.village.clone() };
    let page = ListPage {
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        rows,
        can_create: w.operate,
        subjects: Subject::ALL
            .into_iter()
            .map(|x| {
                opt(
                    x.number().to_string(),
                    format!("{}. {} — {}", x.number(), x.label().get(lang), x.threshold().describe().get(lang)),
                    x.number().to_string() == v.subject,
                )
            })
            .collect(),
        villages: villages.iter().map(|u| opt(u.id.to_string(), u.name.clone(), u.id.to_string() == chosen_village)).collect(),
        forms: [Form::Meeting, Form::HouseholdBallot, Form::OnlineVote]
            .into_iter()
            .map(|f| opt(f.as_str(), f.label().get(lang), f.as_str() == v.form))
            .collect(),
        scope_commune: v.scope == "commune",
        errors: errors.iter().map(|m| m.get(lang).to_string()).collect(),
        idem: random_token(16),
        v: Values {
            decision_date: if v.decision_date.is_empty() { today_vn().format("%d/%m/%Y").to_string() } else { v.decision_date.clone() },
            ..v
        },
        c: c.with_notice(notice),
        t,
    };
    let mut r = render(&page)?;
    if !page.errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
    choice: Option<String>,
    team: Option<i64>,
}

fn notice(t: &Dt, q: &DoneQuery) -> Option<String> {
    Some(
        match q.done.as_deref()? {
            "created" => t.done_created,
            "fallback" => t.done_fallback,
            "redo" => t.done_redo,
            "counted" => t.counted_ok,
            _ => t.done,
        }
        .to_string(),
    )
}

/// `GET /admin/units/{id}/decisions`: the decisions of a commune (or of a
/// village) and the creation form.
pub async fn list(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let unit = load_unit(&state, id).await?;
    let (commune, village) = commune_of(&state, unit.clone()).await?;
    let w = who(&s, &commune, village.as_ref())?;
    let n = notice(dt(lang), &q);
    list_page(&state, lang, &s, &unit, &commune, village.as_ref(), &w, Values::default(), vec![], n).await
}

/// The create form checked: the decision, or the reasons.
async fn check_create(state: &Shared, s: &Session, commune: &Unit, w: &Who, v: &Values) -> Result<(NewDecision, Option<u64>), Vec<Msg>> {
    let mut errors = Vec::new();
    let subject = v.subject.trim().parse::<u8>().ok().and_then(Subject::from_number);
    if subject.is_none() {
        errors.push(Msg::new(
            "Hãy chọn nội dung (khoản 1–6 Điều 15 Luật Thực hiện dân chủ ở cơ sở).",
            "Choose the subject (Law Art. 15, items 1–6).",
        ));
    }
    let scope = if v.scope == "commune" { Scope::Commune } else { Scope::Village };
    let villages = villages_of(state, commune).await.unwrap_or_default();
    let village = match scope {
        Scope::Village => match v.village.trim().parse::<i64>().ok().and_then(|id| villages.iter().find(|u| u.id == id)) {
            Some(u) => Some(u.clone()),
            None => {
                errors.push(Msg::new("Hãy chọn thôn, tổ dân phố của xã.", "Choose a village of the commune."));
                None
            }
        },
        Scope::Commune => None,
    };
    // R2.2: the commune chair starts a commune-wide matter; the village
    // head (or the commune's officials recording the head's proposal) a
    // village's, after agreeing with the Front.
    let initiator = match scope {
        Scope::Commune if w.chair => Initiator::CommuneChair,
        Scope::Commune => Initiator::VillageHead,
        Scope::Village => Initiator::VillageHead,
    };
    if let Err(m) = check_initiator(scope, initiator, v.agreed_front) {
        errors.push(m);
    }
    if let Some(vl) = &village {
        // A village head operates only the village's own decisions.
        if who(s, commune, Some(vl)).map(|x| !x.operate).unwrap_or(true) {
            errors.push(Msg::new("Bạn không phụ trách thôn, tổ dân phố này.", "You are not in charge of this village."));
        }
    }
    let form = Form::parse(&v.form);
    if form.is_none() {
        errors.push(Msg::new(
            "Hãy chọn hình thức: họp, phát phiếu hoặc trực tuyến (R2.4).",
            "Choose the form: meeting, ballot or online (R2.4).",
        ));
    }
    let title = clean_line(&v.title);
    let question = clean_line(&v.question);
    if title.is_empty() || title.chars().count() > 300 {
        errors.push(Msg::new("Hãy nhập tiêu đề (tối đa 300 ký tự).", "Enter a title (at most 300 characters)."));
    }
    if question.is_empty() || question.chars().count() > 500 {
        errors.push(Msg::new("Hãy nhập câu hỏi biểu quyết (tối đa 500 ký tự).", "Enter the question (at most 500 characters)."));
    }
    let content = clean_text(&v.content);
    if content.chars().count() > 20_000 {
        errors.push(Msg::new("Nội dung chi tiết quá dài.", "The details are too long."));
    }
    let date = match parse_date(&v.decision_date) {
        Ok(d) => Some(d),
        Err(m) => {
            errors.push(m);
            None
        }
    };
    let facts = FormFacts { meeting_lacked_attendance: v.lacked, head_and_front_agree: v.head_front };
    let mut online_agreed = None;
    if let (Some(sj), Some(fm)) = (subject, form) {
        if let Err(m) = danchu_domain::decision::check_form(sj, scope, fm, facts) {
            errors.push(m);
        } else if fm == Form::OnlineVote {
            let p = OnlinePreconditions {
                households_connected: v.online_connected,
                reported_to_commune: v.online_reported,
                team_members: v.online_team.trim().parse().unwrap_or(0),
                team_led_by_front: v.online_led,
                team_has_it_skills: v.online_it,
            };
            if let Err(m) = svc::decision_rules().check_online_preconditions(&p) {
                errors.push(m);
            }
            match v.online_agreed.trim().parse::<u64>() {
                Ok(n) => online_agreed = Some(n),
                Err(_) => errors.push(Msg::new(
                    "Hãy nhập số hộ đồng ý biểu quyết trực tuyến (R2.14).",
                    "Enter the number of households that agreed to vote online (R2.14).",
                )),
            }
        }
    }
    match (subject, form, date, errors.is_empty()) {
        (Some(subject), Some(form), Some(date), true) => Ok((
            NewDecision {
                commune_id: commune.id,
                scope,
                village_id: village.map(|u| u.id),
                subject,
                title,
                question,
                content,
                form,
                facts,
                secret: v.secret,
                decision_date: date,
                redo_of: None,
                is_demo: commune.is_demo,
                created_by: Some(s.user.id),
            },
            online_agreed,
        )),
        _ => Err(errors),
    }
}

/// `POST /admin/units/{id}/decisions`: creates a decision (draft) with its
/// frozen household bases; the online vote's poll is checked against them.
pub async fn create(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = F(pairs);
    let unit = load_unit(&state, id).await?;
    let (commune, village) = commune_of(&state, unit.clone()).await?;
    let w = who(&s, &commune, village.as_ref())?;
    if !w.operate {
        return Err(AppError::Forbidden);
    }
    if let Some(out) = replayed(&state, f.idem()).await? {
        return Ok(redirect(&out));
    }
    let v = Values::of(&f);
    let (n, online_agreed) = match check_create(&state, &s, &commune, &w, &v).await {
        Ok(x) => x,
        Err(errors) => return list_page(&state, lang, &s, &unit, &commune, village.as_ref(), &w, v, errors, None).await,
    };
    let mut tx = state.ctx.store.write().await?;
    let did = match svc::create_in(&state.ctx, &mut tx, &n).await {
        Ok(x) => x,
        Err(e) => return create_refused(&state, lang, &s, &unit, &commune, village.as_ref(), &w, v, e).await,
    };
    if let (Some(agreed), Some(vid)) = (online_agreed, n.village_id) {
        // "More than half of ALL households" on the frozen base (R2.14).
        let h = ds::bases_tx(&mut tx, did).await?.get(&vid).copied().unwrap_or(0);
        let base = HouseholdBase::new(VillageId(vid), n.decision_date, h.max(0) as u64).map_err(AppError::Conflict)?;
        let poll = online_poll(&base, VillageId(vid), n.decision_date, agreed);
        let refusal = match poll {
            Ok(o) if o.passed => None,
            Ok(o) => Some(Msg::new(
                format!("Chỉ {agreed}/{} hộ đồng ý biểu quyết trực tuyến; cần trên 50% TỔNG số hộ, tức ít nhất {} hộ (khoản 2 Điều 5 Nghị định 59/2023/NĐ-CP, R2.14).", o.households, o.required),
                format!("Only {agreed} of {} households agreed to vote online; more than half of ALL households is needed, at least {} (D59 Art. 5(2), R2.14).", o.households, o.required),
            )),
            Err(m) => Some(m),
        };
        if let Some(m) = refusal {
            drop(tx);
            return list_page(&state, lang, &s, &unit, &commune, village.as_ref(), &w, v, vec![m], None).await;
        }
    }
    let summary = serde_json::json!({
        "subject": n.subject.number(), "scope": if n.scope == Scope::Commune { "commune" } else { "village" }, "village": n.village_id,
        "form": n.form.as_str(), "secret": n.secret, "decision_date": n.decision_date.to_string(), "title": n.title, "online_agreed": online_agreed,
    });
    let audit_unit = village.as_ref().unwrap_or(&commune);
    audit::append(&mut tx, &entry(&s, &w.role, audit_unit, "decision.created", &format!("decision:{did}"), &summary.to_string())).await?;
    let out = commit_once(&state, tx, f.idem(), Some(s.user.id), &format!("/admin/decisions/{did}?done=created")).await?;
    Ok(redirect(&out))
}

#[allow(clippy::too_many_arguments)]
async fn create_refused(
    state: &Shared,
    lang: Lang,
    s: &Session,
    unit: &Unit,
    commune: &Unit,
    village: Option<&Unit>,
    w: &Who,
    v: Values,
    e: AppError,
) -> AppResult<Response> {
    let msgs = match e {
        AppError::Validation(f) => f.into_iter().map(|x| x.message).collect(),
        AppError::BadRequest(m) | AppError::Conflict(m) => vec![m],
        other => return Err(other),
    };
    list_page(state, lang, s, unit, commune, village, w, v, msgs, None).await
}

// ---------------------------------------------------------------------------
// The management page
// ---------------------------------------------------------------------------

struct TeamView {
    id: i64,
    members: String,
    witnesses: String,
}

struct VillageView {
    id: i64,
    name: String,
    households: String,
    required: String,
    agree: String,
    disagree: String,
    other: String,
    invalid: String,
    passed: bool,
    issued: String,
    counted: String,
    has_ballots: bool,
    teams: Vec<TeamView>,
}

struct MeetingView {
    id: i64,
    village: String,
    held_on: String,
    notice_on: String,
    posted_on: String,
    channels: String,
    method: String,
    is_secret: bool,
    secretary: String,
    committee: String,
    present: String,
    required: String,
    fall_back: Option<String>,
    procedure: Option<String>,
    result: Option<String>,
    can_result: bool,
}

struct LinkView {
    id: i64,
    title: String,
    status: String,
    form: String,
}

struct ProgressView {
    id: i64,
    date: String,
    note: String,
    money: String,
    has_photo: bool,
}

#[derive(Template)]
#[template(path = "decisions/admin_manage.html")]
struct ManagePage {
    c: Chrome,
    t: &'static Dt,
    id: i64,
    /// The documents of this decision (written decision, minutes Mẫu 02/04).
    docs: Vec<(String, String)>,
    unit_id: i64,
    unit_name: String,
    title: String,
    question: String,
    content: String,
    subject: String,
    threshold: String,
    form: String,
    scope: String,
    secret: bool,
    status: String,
    status_label: String,
    decision_date: String,
    window: String,
    operate: bool,
    result_title: String,
    result_summary: String,
    villages: Vec<VillageView>,
    meetings: Vec<MeetingView>,
    is_meeting: bool,
    is_ballot: bool,
    can_open: bool,
    can_close: bool,
    can_prepare: bool,
    closed: bool,
    can_send: bool,
    can_answer: bool,
    can_annul: bool,
    send_clock: String,
    send_late: bool,
    answer_clock: String,
    answer_late: bool,
    sent_on: String,
    sent_note: String,
    answered_on: String,
    answer_note: String,
    annulment: String,
    redo_of: Option<LinkView>,
    redos: Vec<LinkView>,
    progress: Vec<ProgressView>,
    can_progress: bool,
    channels: Vec<Opt>,
    village_opts: Vec<Opt>,
    opens_default: String,
    closes_default: String,
    today: String,
    idem: String,
}

fn link_view(d: &Decision, lang: Lang) -> LinkView {
    LinkView { id: d.id, title: d.title.clone(), status: status_label(&d.status, lang), form: form_label(&d.form, lang) }
}

/// `GET /admin/decisions/{id}`: the state, bases, live tally and the
/// actions of the state (a fixed number of queries).
pub async fn manage(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let l = load(&state, &s, id).await?;
    let store = &state.ctx.store;
    let d = &l.d;
    let t = dt(lang);
    let subject = svc::subject_of(d)?;
    let rows = ds::village_results(store, id).await?;
    let live = if d.result.is_none() { svc::tally(&state.ctx, id).await.ok() } else { None };
    let progress_by_village = ds::paper_progress(store, id).await?;
    let teams = ds::count_teams(store, id).await?;
    let meetings = ds::meetings_for(store, id).await?;
    let after = ds::aftermath(store, id).await?;
    let names: std::collections::HashMap<i64, String> = rows.iter().map(|r| (r.village_id, r.village_name.clone())).collect();
    let live_of = |v: i64| -> Option<(Counts, u64, bool)> {
        match &live {
            Some(DecisionResult::Village(o)) if o.village.0 == v => {
                Some((Counts { agree: o.agree, disagree: o.disagree, other: o.other, invalid: o.invalid }, o.required, o.passed))
            }
            Some(DecisionResult::Commune { villages, .. }) => villages
                .iter()
                .find(|o| o.village.0 == v)
                .map(|o| (Counts { agree: o.agree, disagree: o.disagree, other: o.other, invalid: o.invalid }, o.required, o.passed)),
            _ => None,
        }
    };
    let villages: Vec<VillageView> = rows
        .iter()
        .map(|r| {
            let (counts, required, passed) = match (&r.result, live_of(r.village_id)) {
                (Some((c, req, p)), _) => (*c, *req as u64, *p),
                (None, Some(x)) => x,
                (None, None) => (Counts::default(), subject.threshold().required(r.households.max(0) as u64), false),
            };
            let (issued, counted) = progress_by_village.get(&r.village_id).copied().unwrap_or((0, 0));
            VillageView {
                id: r.village_id,
                name: r.village_name.clone(),
                households: num(lang, r.households),
                required: num(lang, required as i64),
                agree: num(lang, counts.agree as i64),
                disagree: num(lang, counts.disagree as i64),
                other: num(lang, counts.other as i64),
                invalid: num(lang, counts.invalid as i64),
                passed,
                issued: num(lang, issued),
                counted: num(lang, counted),
                has_ballots: issued > 0,
                teams: teams
                    .iter()
                    .filter(|x| x.village_id == r.village_id)
                    .map(|x| TeamView {
                        id: x.id,
                        members: x.members.lines().collect::<Vec<_>>().join(", "),
                        witnesses: format!("{}, {}", x.witness_1, x.witness_2),
                    })
                    .collect(),
            }
        })
        .collect();
    let (result_title, result_summary) = match (&d.result, &live) {
        (Some(r), _) => {
            let verdict = if r.passed { t.passes } else { t.fails };
            let line = match (r.villages, r.villages_passed) {
                (Some(v), Some(p)) => {
                    Msg::new(format!("{p}/{v} thôn, tổ dân phố thông qua: {verdict}."), format!("{p} of {v} villages passed: {verdict}."))
                }
                _ => Msg::new(
                    format!("Đồng ý {}/{} hộ (cần {}): {verdict}.", r.agree, r.households, r.required),
                    format!("{} of {} households agree ({} needed): {verdict}.", r.agree, r.households, r.required),
                ),
            };
            (t.frozen.to_string(), line.get(lang).to_string())
        }
        (None, Some(DecisionResult::Village(o))) => (t.live.to_string(), o.summary().get(lang).to_string()),
        (None, Some(DecisionResult::Commune { commune, .. })) => (
            t.live.to_string(),
            Msg::new(
                format!("{}/{} thôn đạt; cần ít nhất {}.", commune.passed_villages, commune.villages, commune.required),
                format!("{} of {} villages pass; at least {} needed.", commune.passed_villages, commune.villages, commune.required),
            )
            .get(lang)
            .to_string(),
        ),
        _ => (t.live.to_string(), String::new()),
    };
    // The meetings, with what their attendance allows (R2.12).
    let mut meeting_views = Vec::with_capacity(meetings.len());
    for m in &meetings {
        let households = rows.iter().find(|r| r.village_id == m.meeting.village_id).map(|r| r.households).unwrap_or(0).max(0) as u64;
        let required = subject.threshold().required(households);
        let present = m.meeting.present.max(0) as u64;
        let fall_back = if present < required && m.meeting.result.is_none() {
            Some(danchu_domain::decision::fall_back_reason(present, required).get(lang).to_string())
        } else {
            None
        };
        let channels =
            m.channels.split(',').filter_map(parse_channel).map(|c| channel_label(c).get(lang).to_string()).collect::<Vec<_>>().join(", ");
        meeting_views.push(MeetingView {
            id: m.meeting.id,
            village: names.get(&m.meeting.village_id).cloned().unwrap_or_default(),
            held_on: vn_date(&m.meeting.held_on),
            notice_on: vn_date(&m.meeting.notice_on),
            posted_on: m.posted_on.as_deref().map(vn_date).unwrap_or_default(),
            channels,
            method: if m.meeting.method == "secret" { t.secret_ballot.into() } else { t.hands.into() },
            is_secret: m.meeting.method == "secret",
            secretary: m.meeting.secretary.clone(),
            committee: m.meeting.committee.lines().collect::<Vec<_>>().join(", "),
            present: num(lang, present as i64),
            required: num(lang, required as i64),
            procedure: m.secretary_votes.map(|v| {
                let mut s = Msg::new(format!("Thư ký: {v} hộ tán thành"), format!("Secretary: {v} approving")).get(lang).to_string();
                if let Some(a) = m.committee_approvals {
                    s.push_str(Msg::new(format!("; Ban kiểm phiếu: {a} hộ tán thành"), format!("; committee: {a} approving")).get(lang));
                }
                s
            }),
            result: m.meeting.result.map(|c| {
                format!("{} {}, {} {}, {} {}, {} {}", t.agree, c.agree, t.disagree, c.disagree, t.other, c.other, t.invalid, c.invalid)
            }),
            can_result: m.meeting.result.is_none() && present >= required && m.secretary_votes.is_some() && d.status == ds::OPEN,
            fall_back,
        });
    }
    let cal = crate::calendar::load(store).await?;
    let today = today_vn();
    let send_view = svc::sending_clock(d)
        .filter(|_| !matches!(d.status.as_str(), ds::FAILED | ds::OPEN | ds::DRAFT))
        .map(|clk| svc::clock_view(&cal, clk, today, d.sent_on.as_deref().and_then(|x| NaiveDate::parse_from_str(x, "%Y-%m-%d").ok())));
    let answer_view = svc::recognition_clock(d)
        .map(|clk| svc::clock_view(&cal, clk, today, d.answered_on.as_deref().and_then(|x| NaiveDate::parse_from_str(x, "%Y-%m-%d").ok())));
    let redo_of = match d.redo_of {
        Some(r) => ds::get(store, r).await?.map(|x| link_view(&x, lang)),
        None => None,
    };
    let redos = ds::redos(store, id).await?.iter().map(|x| link_view(x, lang)).collect();
    let progress = ds::progress(store, id)
        .await?
        .into_iter()
        .map(|p| ProgressView {
            id: p.id,
            has_photo: p.photo_sha256.is_some(),
            date: vn_date(&p.noted_on),
            note: p.note,
            money: match (p.collected, p.spent) {
                (None, None) => String::new(),
                (c, sp) => format!("{} {} · {} {}", t.collected, num(lang, c.unwrap_or(0)), t.spent, num(lang, sp.unwrap_or(0))),
            },
        })
        .collect();
    let answerer = if subject == Subject::Boards { l.who.front || l.who.chair } else { l.who.chair };
    let now = now_ms();
    let docs = crate::decision_docs::document_links(d, &rows).into_iter().map(|l| (l.href, l.label.get(lang).to_string())).collect();
    let page = ManagePage {
        docs,
        id,
        unit_id: l.village.as_ref().map(|v| v.id).unwrap_or(l.commune.id),
        unit_name: l.village.as_ref().map(|v| v.name.clone()).unwrap_or_else(|| l.commune.name.clone()),
        title: d.title.clone(),
        question: d.question.clone(),
        content: d.content.clone(),
        subject: subject_label(d.subject, lang),
        threshold: subject.threshold().describe().get(lang).to_string(),
        form: form_label(&d.form, lang),
        scope: if d.scope == "commune" { t.scope_commune.into() } else { t.scope_village.into() },
        secret: d.secret,
        status: d.status.clone(),
        status_label: status_label(&d.status, lang),
        decision_date: vn_date(&d.decision_date),
        window: match (d.opens_at, d.closes_at) {
            (Some(o), Some(c)) => format!("{} – {}", vn_time(o), vn_time(c)),
            _ => String::new(),
        },
        operate: l.who.operate,
        result_title,
        result_summary,
        villages,
        meetings: meeting_views,
        is_meeting: d.form == Form::Meeting.as_str(),
        is_ballot: d.form == Form::HouseholdBallot.as_str(),
        can_open: l.who.operate && d.status == ds::DRAFT,
        can_close: l.who.operate && d.status == ds::OPEN,
        can_prepare: l.who.operate && (d.status == ds::DRAFT || d.status == ds::OPEN),
        closed: d.result.is_some(),
        can_send: l.who.operate && d.status == ds::DECIDED,
        can_answer: answerer && d.status == ds::SENT,
        can_annul: l.who.chair && matches!(d.status.as_str(), ds::DECIDED | ds::FAILED | ds::SENT | ds::RECOGNISED | ds::REFUSED),
        send_late: send_view.as_ref().is_some_and(is_overdue),
        send_clock: send_view.as_ref().map(|v| clock_label(v, lang)).unwrap_or_default(),
        answer_late: answer_view.as_ref().is_some_and(is_overdue),
        answer_clock: answer_view.as_ref().map(|v| clock_label(v, lang)).unwrap_or_default(),
        sent_on: d.sent_on.as_deref().map(vn_date).unwrap_or_default(),
        sent_note: after.sent_note.unwrap_or_default(),
        answered_on: d.answered_on.as_deref().map(vn_date).unwrap_or_default(),
        answer_note: d.answer_note.clone().unwrap_or_default(),
        annulment: match (&after.annulled_on, &after.annul_reason) {
            (Some(on), Some(r)) => format!("{} {}: {r}", t.annulled_note, vn_date(on)),
            _ => String::new(),
        },
        redo_of,
        redos,
        progress,
        can_progress: l.who.operate && matches!(d.status.as_str(), ds::DECIDED | ds::SENT | ds::RECOGNISED),
        channels: CHANNELS.into_iter().map(|c| opt(svc::channel_str(c), channel_label(c).get(lang), false)).collect(),
        village_opts: rows.iter().map(|r| opt(r.village_id.to_string(), r.village_name.clone(), false)).collect(),
        opens_default: local_input(now - now % 60_000),
        closes_default: local_input(now - now % 60_000 + 7 * 24 * 3_600_000),
        today: today.format("%d/%m/%Y").to_string(),
        idem: random_token(16),
        c: Chrome::new(&state, lang, Some(&s), &format!("/admin/decisions/{id}")).with_notice(notice(t, &q)),
        t,
    };
    render(&page)
}

// ---------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------

/// `POST /admin/decisions/{id}/open`: the time window (Vietnam time).
pub async fn open(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = F(pairs);
    let l = load_operator(&state, &s, id).await?;
    if let Some(out) = replayed(&state, f.idem()).await? {
        return Ok(redirect(&out));
    }
    let (o, c) = (local_ms(f.get("opens_at"), "opens_at")?, local_ms(f.get("closes_at"), "closes_at")?);
    let mut tx = state.ctx.store.write().await?;
    let changed = svc::open_in(&mut tx, id, o, c).await?;
    let summary = serde_json::json!({ "opens_at": o, "closes_at": c, "changed": changed });
    finish(&state, &s, &l, tx, f.idem(), "decision.opened", summary, &format!("/admin/decisions/{id}?done=opened")).await
}

/// `POST /admin/decisions/{id}/close`: closes and freezes the result.
pub async fn close(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = F(pairs);
    let l = load_operator(&state, &s, id).await?;
    if let Some(out) = replayed(&state, f.idem()).await? {
        return Ok(redirect(&out));
    }
    let mut tx = state.ctx.store.write().await?;
    let result = svc::close_in(&mut tx, id, now_ms(), false).await?;
    let summary = serde_json::json!({ "passed": result.as_ref().map(|r| r.passed()), "changed": result.is_some() });
    let r = finish(&state, &s, &l, tx, f.idem(), "decision.closed", summary, &format!("/admin/decisions/{id}?done=closed")).await?;
    if l.d.secret && result.is_some() {
        ds::scrub_after_reshuffle(&state.ctx.store).await;
    }
    Ok(r)
}

/// `POST /admin/decisions/{id}/meetings`: calls a village meeting with its
/// notice, refused under R2.9.
pub async fn schedule(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = F(pairs);
    let l = load_operator(&state, &s, id).await?;
    if let Some(out) = replayed(&state, f.idem()).await? {
        return Ok(redirect(&out));
    }
    let village_id = match (l.d.village_id, f.get("village").trim().parse::<i64>().ok()) {
        (Some(v), _) => v,
        (None, Some(v)) => v,
        (None, None) => return Err(invalid("village", Msg::new("Hãy chọn thôn, tổ dân phố họp.", "Choose the village meeting."))),
    };
    let held_on = date_field(&f, "held_on", Msg::new("Hãy nhập ngày họp.", "Enter the meeting day."))?;
    let notice = Notice {
        sent_on: opt_date(&f, "notice_on")?,
        channels: f.all("channels").into_iter().filter_map(parse_channel).collect(),
        posted_on: opt_date(&f, "posted_on")?,
        documents_sent_on: opt_date(&f, "documents_on")?,
    };
    let secretary = clean_line(f.get("secretary"));
    let method = if f.get("method") == "secret" { VotingMethod::SecretBallot } else { VotingMethod::ShowOfHands };
    let plan = MeetingPlan { village_id, held_on, notice, secretary, committee: clean_text(f.get("committee")), method };
    let mut tx = state.ctx.store.write().await?;
    let mid = svc::schedule_meeting_in(&state.ctx, &mut tx, id, &plan, Some(s.user.id)).await?;
    let summary = serde_json::json!({ "meeting": mid, "village": village_id, "held_on": held_on.to_string(),
        "notice_on": plan.notice.sent_on.map(|d| d.to_string()), "method": f.get("method") });
    finish(&state, &s, &l, tx, f.idem(), "decision.meeting_called", summary, &format!("/admin/decisions/{id}?done=meeting")).await
}

struct RosterView {
    id: i64,
    code: String,
    name: String,
    present: bool,
}

#[derive(Template)]
#[template(path = "decisions/admin_attendance.html")]
struct AttendancePage {
    c: Chrome,
    t: &'static Dt,
    id: i64,
    meeting: i64,
    title: String,
    village: String,
    present: String,
    households: String,
    rows: Vec<RosterView>,
    large: bool,
    idem: String,
}

/// `GET /admin/decisions/{id}/meetings/{meeting}/attendance`: the checklist
/// of the village's households (large, no JavaScript).
pub async fn attendance_page(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path((id, meeting)): Path<(i64, i64)>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let l = load_operator(&state, &s, id).await?;
    let store = &state.ctx.store;
    let m = ds::meeting(store, meeting).await?.filter(|m| m.decision_id == id).ok_or(AppError::NotFound)?;
    let rows = ds::roster_rows(store, id, m.village_id, meeting).await?;
    let village = load_unit(&state, m.village_id).await?;
    let t = dt(lang);
    let page = AttendancePage {
        id,
        meeting,
        title: l.d.title.clone(),
        village: village.name.clone(),
        present: num(lang, rows.iter().filter(|r| r.present).count() as i64),
        households: num(lang, rows.len() as i64),
        large: rows.len() as u64 >= svc::decision_rules().cluster_min_households,
        rows: rows
            .into_iter()
            .map(|r| RosterView { id: r.household_id, code: r.code, name: r.representative.unwrap_or_default(), present: r.present })
            .collect(),
        idem: random_token(16),
        c: Chrome::new(&state, lang, Some(&s), &format!("/admin/decisions/{id}/meetings/{meeting}/attendance")).with_notice(notice(t, &q)),
        t,
    };
    render(&page)
}

/// `POST /admin/decisions/{id}/meetings/{meeting}/attendance`: the ticked
/// households (`h`), each counted once.
pub async fn attendance(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path((id, meeting)): Path<(i64, i64)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = F(pairs);
    let l = load_operator(&state, &s, id).await?;
    if let Some(out) = replayed(&state, f.idem()).await? {
        return Ok(redirect(&out));
    }
    let mut households = Vec::new();
    for raw in f.all("h") {
        households.push(raw.trim().parse::<i64>().map_err(|_| invalid("h", Msg::new("Mã hộ không hợp lệ.", "Invalid household id.")))?);
    }
    let mut tx = state.ctx.store.write().await?;
    let added = svc::record_attendance_in(&state.ctx, &mut tx, id, meeting, &households).await?;
    let summary = serde_json::json!({ "meeting": meeting, "ticked": households.len(), "added": added });
    finish(
        &state,
        &s,
        &l,
        tx,
        f.idem(),
        "decision.attendance",
        summary,
        &format!("/admin/decisions/{id}/meetings/{meeting}/attendance?done=1"),
    )
    .await
}

/// `POST /admin/decisions/{id}/meetings/{meeting}/procedure`: the
/// secretary's election and the counting committee's approval.
pub async fn procedure(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path((id, meeting)): Path<(i64, i64)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = F(pairs);
    let l = load_operator(&state, &s, id).await?;
    if let Some(out) = replayed(&state, f.idem()).await? {
        return Ok(redirect(&out));
    }
    let votes = count_field(&f, "secretary_votes")?;
    let approvals = if f.get("committee_approvals").trim().is_empty() { None } else { Some(count_field(&f, "committee_approvals")?) };
    let (w1, w2) = (clean_line(f.get("witness_1")), clean_line(f.get("witness_2")));
    let mut tx = state.ctx.store.write().await?;
    let changed = svc::record_procedure_in(&mut tx, id, meeting, votes, approvals, [&w1, &w2]).await?;
    let summary = serde_json::json!({ "meeting": meeting, "secretary_votes": votes, "committee_approvals": approvals, "changed": changed });
    finish(&state, &s, &l, tx, f.idem(), "decision.meeting_procedure", summary, &format!("/admin/decisions/{id}?done=procedure")).await
}

/// `POST /admin/decisions/{id}/meetings/{meeting}/result`: the counted
/// show of hands or secret ballot, refused when attendance cannot reach
/// the threshold (R2.12).
pub async fn meeting_result(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path((id, meeting)): Path<(i64, i64)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = F(pairs);
    let l = load_operator(&state, &s, id).await?;
    if let Some(out) = replayed(&state, f.idem()).await? {
        return Ok(redirect(&out));
    }
    let counts = Counts {
        agree: count_field(&f, "agree")?,
        disagree: count_field(&f, "disagree")?,
        other: count_field(&f, "other")?,
        invalid: count_field(&f, "invalid")?,
    };
    let mut tx = state.ctx.store.write().await?;
    let changed = svc::record_meeting_result_in(&mut tx, id, meeting, counts).await?;
    let summary = serde_json::json!({ "meeting": meeting, "agree": counts.agree, "disagree": counts.disagree, "other": counts.other,
        "invalid": counts.invalid, "changed": changed });
    finish(&state, &s, &l, tx, f.idem(), "decision.meeting_result", summary, &format!("/admin/decisions/{id}?done=result")).await
}

/// `POST /admin/decisions/{id}/meetings/{meeting}/fall-back`: the meeting
/// cannot reach the threshold; the matter goes to household ballots as a
/// redo (R2.12, R2.20).
pub async fn fall_back(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path((id, meeting)): Path<(i64, i64)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = F(pairs);
    let l = load_operator(&state, &s, id).await?;
    if let Some(out) = replayed(&state, f.idem()).await? {
        return Ok(redirect(&out));
    }
    let mut tx = state.ctx.store.write().await?;
    let redo = svc::fall_back_in(&state.ctx, &mut tx, id, meeting, now_ms(), Some(s.user.id)).await?;
    let summary = serde_json::json!({ "meeting": meeting, "redo": redo, "form": "household_ballot" });
    finish(&state, &s, &l, tx, f.idem(), "decision.fall_back", summary, &format!("/admin/decisions/{redo}?done=fallback")).await
}

/// `POST /admin/decisions/{id}/villages/{village}/ballots`: one ballot per
/// household of the village on the decision date.
pub async fn issue(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path((id, village)): Path<(i64, i64)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = F(pairs);
    let l = load_operator(&state, &s, id).await?;
    if let Some(out) = replayed(&state, f.idem()).await? {
        return Ok(redirect(&out));
    }
    let mut tx = state.ctx.store.write().await?;
    let n = svc::issue_ballots_in(&state.ctx, &mut tx, id, village).await?;
    let summary = serde_json::json!({ "village": village, "issued": n });
    finish(&state, &s, &l, tx, f.idem(), "decision.ballots_issued", summary, &format!("/admin/decisions/{id}?done=issued")).await
}

/// `POST /admin/decisions/{id}/villages/{village}/teams`: the counting team
/// with its two household witnesses (R2.13).
pub async fn team(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path((id, village)): Path<(i64, i64)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = F(pairs);
    let l = load_operator(&state, &s, id).await?;
    if let Some(out) = replayed(&state, f.idem()).await? {
        return Ok(redirect(&out));
    }
    let members_raw = clean_text(f.get("members"));
    let members: Vec<&str> = members_raw.lines().map(str::trim).filter(|m| !m.is_empty()).collect();
    let (w1, w2) = (clean_line(f.get("witness_1")), clean_line(f.get("witness_2")));
    let mut tx = state.ctx.store.write().await?;
    let tid = svc::add_team_in(&state.ctx, &mut tx, id, village, &members, [&w1, &w2], Some(s.user.id)).await?;
    let summary = serde_json::json!({ "village": village, "team": tid, "members": members.len() });
    finish(&state, &s, &l, tx, f.idem(), "decision.count_team", summary, &format!("/admin/decisions/{id}?done=team")).await
}

#[derive(Template)]
#[template(path = "decisions/admin_count.html")]
struct CountPage {
    c: Chrome,
    t: &'static Dt,
    id: i64,
    village_id: i64,
    title: String,
    village: String,
    issued: String,
    counted: String,
    teams: Vec<Opt>,
    choices: Vec<Opt>,
    error: Option<String>,
    code: String,
    idem: String,
}

#[allow(clippy::too_many_arguments)]
async fn count_view(
    state: &Shared,
    lang: Lang,
    s: &Session,
    l: &Loaded,
    village: i64,
    team: Option<i64>,
    choice: &str,
    code: &str,
    error: Option<Msg>,
    notice_text: Option<String>,
) -> AppResult<Response> {
    let store = &state.ctx.store;
    let t = dt(lang);
    let v = load_unit(state, village).await?;
    let (issued, counted) = ds::paper_progress(store, l.d.id).await?.get(&village).copied().unwrap_or((0, 0));
    let teams = ds::count_teams(store, l.d.id).await?;
    let teams: Vec<Opt> = teams
        .iter()
        .filter(|x| x.village_id == village)
        .enumerate()
        .map(|(i, x)| {
            let selected = team.map(|tm| tm == x.id).unwrap_or(i == 0);
            opt(x.id.to_string(), format!("#{} — {}", x.id, x.members.lines().collect::<Vec<_>>().join(", ")), selected)
        })
        .collect();
    let choice = if choice.is_empty() { "agree" } else { choice };
    let page = CountPage {
        id: l.d.id,
        village_id: village,
        title: l.d.title.clone(),
        village: v.name.clone(),
        issued: num(lang, issued),
        counted: num(lang, counted),
        teams,
        choices: CHOICES.into_iter().map(|c| opt(ds::choice_str(c), choice_label(c, t), ds::choice_str(c) == choice)).collect(),
        error: error.map(|m| m.get(lang).to_string()),
        code: code.to_string(),
        idem: random_token(16),
        c: Chrome::new(state, lang, Some(s), &format!("/admin/decisions/{}/villages/{village}/count", l.d.id)).with_notice(notice_text),
        t,
    };
    let mut r = render(&page)?;
    if page.error.is_some() {
        *r.status_mut() = StatusCode::CONFLICT;
    }
    Ok(r)
}

/// `GET /admin/decisions/{id}/villages/{village}/count`: the tally-entry
/// form (the code field has the focus; the last choice and team are kept).
pub async fn count_page(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path((id, village)): Path<(i64, i64)>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let l = load_operator(&state, &s, id).await?;
    if !ds::bases(&state.ctx.store, id).await?.contains_key(&village) {
        return Err(AppError::NotFound);
    }
    let n = notice(dt(lang), &q);
    count_view(&state, lang, &s, &l, village, q.team, q.choice.as_deref().unwrap_or(""), "", None, n).await
}

/// `POST /admin/decisions/{id}/villages/{village}/count`: one returned
/// ballot, its own idempotent submission; a refusal (counted twice, other
/// village, unknown code) is shown with its reason (409).
pub async fn count(
    State(state): State<Shared>,
    PageLang(lang): PageLang,
    Auth(s): Auth,
    Path((id, village)): Path<(i64, i64)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = F(pairs);
    let l = load_operator(&state, &s, id).await?;
    if let Some(out) = replayed(&state, f.idem()).await? {
        return Ok(redirect(&out));
    }
    let code = f.get("code").trim().to_ascii_uppercase();
    let choice_raw = f.get("choice").to_string();
    let team = f.get("team").trim().parse::<i64>().ok();
    let Some(choice) = ds::parse_choice(&choice_raw) else {
        let m = Msg::new("Hãy chọn ý kiến ghi trên phiếu.", "Choose the ballot's choice.");
        return count_view(&state, lang, &s, &l, village, team, "", &code, Some(m), None).await;
    };
    if code.is_empty() {
        let m = Msg::new("Hãy nhập mã in trên phiếu.", "Type the ballot's code.");
        return count_view(&state, lang, &s, &l, village, team, &choice_raw, "", Some(m), None).await;
    }
    let mut tx = state.ctx.store.write().await?;
    let counted = svc::count_ballot_in(&state.ctx, &mut tx, id, village, team.unwrap_or(0), &code, choice, Some(s.user.id)).await;
    match counted {
        Ok(()) => {
            let summary = serde_json::json!({ "village": village, "team": team, "code": code });
            let out = format!("/admin/decisions/{id}/villages/{village}/count?done=counted&choice={choice_raw}&team={}", team.unwrap_or(0));
            finish(&state, &s, &l, tx, f.idem(), "decision.ballot_counted", summary, &out).await
        }
        Err(AppError::Conflict(m)) | Err(AppError::BadRequest(m)) => {
            drop(tx);
            count_view(&state, lang, &s, &l, village, team, &choice_raw, &code, Some(m), None).await
        }
        Err(AppError::Validation(mut e)) if !e.is_empty() => {
            drop(tx);
            let m = e.remove(0).message;
            count_view(&state, lang, &s, &l, village, team, &choice_raw, &code, Some(m), None).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /admin/decisions/{id}/send`: the written decision sent to the
/// commune People's Committee and Front (R2.17).
pub async fn send(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = F(pairs);
    let l = load_operator(&state, &s, id).await?;
    if let Some(out) = replayed(&state, f.idem()).await? {
        return Ok(redirect(&out));
    }
    let sent_on = date_field(&f, "sent_on", Msg::new("Hãy nhập ngày gửi.", "Enter the sending date."))?;
    let note = clean_text(f.get("late_note"));
    let mut tx = state.ctx.store.write().await?;
    let changed = svc::send_in(&mut tx, id, sent_on, today_vn(), &note).await?;
    let summary = serde_json::json!({ "sent_on": sent_on.to_string(), "late_note": note, "changed": changed });
    finish(&state, &s, &l, tx, f.idem(), "decision.sent", summary, &format!("/admin/decisions/{id}?done=sent")).await
}

/// `POST /admin/decisions/{id}/answer`: recognition, or refusal with its
/// reasons, by the commune chair (the Front for subject 5), R2.18.
pub async fn answer(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = F(pairs);
    let l = load(&state, &s, id).await?;
    let subject = svc::subject_of(&l.d)?;
    let allowed = if subject == Subject::Boards { l.who.front || l.who.chair } else { l.who.chair };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    if let Some(out) = replayed(&state, f.idem()).await? {
        return Ok(redirect(&out));
    }
    let on = date_field(&f, "answered_on", Msg::new("Hãy nhập ngày trả lời.", "Enter the answer's date."))?;
    let answer = match f.get("answer") {
        "recognise" => Recognition::Recognised,
        "refuse" => Recognition::refused(f.get("reason")).map_err(|m| invalid("reason", m))?,
        _ => return Err(invalid("answer", Msg::new("Hãy chọn công nhận hoặc từ chối công nhận.", "Choose to recognise or refuse."))),
    };
    let mut tx = state.ctx.store.write().await?;
    let changed = svc::answer_in(&mut tx, id, &answer, on, today_vn(), Some(s.user.id)).await?;
    let summary = serde_json::json!({ "answer": f.get("answer"), "on": on.to_string(), "reason": f.get("reason"), "changed": changed });
    finish(&state, &s, &l, tx, f.idem(), "decision.answered", summary, &format!("/admin/decisions/{id}?done=answered")).await
}

/// `POST /admin/decisions/{id}/annul`: annulment or redo (R2.19, R2.20),
/// by the commune chair.
pub async fn annul(
    State(state): State<Shared>,
    Auth(s): Auth,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = F(pairs);
    let l = load(&state, &s, id).await?;
    if !l.who.chair {
        return Err(AppError::Forbidden);
    }
    if let Some(out) = replayed(&state, f.idem()).await? {
        return Ok(redirect(&out));
    }
    let ground = match f.get("ground") {
        "unlawful" => AnnulmentGround::Unlawful,
        "procedure" => AnnulmentGround::ProcedureNotFollowed,
        "community" => AnnulmentGround::CommunityWishes,
        _ => return Err(invalid("ground", Msg::new("Hãy chọn căn cứ (Điều 22, R2.19).", "Choose the ground (Art. 22, R2.19)."))),
    };
    let remedy = match f.get("remedy") {
        "annul" => Remedy::Annul,
        "amend" => Remedy::RequestAmendment,
        "community_amends" => Remedy::CommunityAmends,
        _ => return Err(invalid("remedy", Msg::new("Hãy chọn cách xử lý (R2.19).", "Choose the remedy (R2.19)."))),
    };
    let mut tx = state.ctx.store.write().await?;
    let done = svc::annul_in(&state.ctx, &mut tx, id, ground, remedy, f.get("reason"), today_vn(), Some(s.user.id)).await?;
    let summary = serde_json::json!({ "ground": svc::ground_str(ground), "remedy": svc::remedy_str(remedy), "reason": clean_text(f.get("reason")),
        "annulled": done.annulled, "redo": done.redo });
    let out = match done.redo {
        Some(r) => format!("/admin/decisions/{r}?done=redo"),
        None => format!("/admin/decisions/{id}?done=annulled"),
    };
    finish(&state, &s, &l, tx, f.idem(), "decision.annulled", summary, &out).await
}

/// `POST /admin/decisions/{id}/progress` (multipart: an optional photo,
/// JPEG, PNG or PDF, kept in the files store): a progress note of a passed
/// decision's implementation (money collected and spent for contributions).
pub async fn progress(State(state): State<Shared>, Auth(s): Auth, Path(id): Path<i64>, mp: Multipart) -> AppResult<Response> {
    let l = load_operator(&state, &s, id).await?;
    let form = MultipartForm::read(mp, &s.csrf).await?;
    let f = F(form.fields.clone());
    if let Some(out) = replayed(&state, f.idem()).await? {
        return Ok(redirect(&out));
    }
    if !matches!(l.d.status.as_str(), ds::DECIDED | ds::SENT | ds::RECOGNISED) {
        return Err(AppError::Conflict(Msg::new(
            "Chỉ ghi tiến độ thực hiện của nội dung đã được thông qua.",
            "Progress is recorded only for a decision that passed.",
        )));
    }
    let on = date_field(&f, "noted_on", Msg::new("Hãy nhập ngày.", "Enter the date."))?;
    if on > today_vn() {
        return Err(invalid("noted_on", Msg::new("Ngày không được sau hôm nay.", "The date cannot be in the future.")));
    }
    let note = clean_text(f.get("note"));
    if note.is_empty() || note.chars().count() > 5_000 {
        return Err(invalid("note", Msg::new("Hãy ghi tiến độ thực hiện.", "Write the progress.")));
    }
    let money = |k: &str| -> AppResult<Option<i64>> {
        let raw: String = f.get(k).chars().filter(|c| !matches!(c, '.' | ',' | ' ')).collect();
        if raw.is_empty() {
            return Ok(None);
        }
        raw.parse::<i64>().ok().filter(|n| *n >= 0).map(Some).ok_or_else(|| {
            invalid(k, Msg::new(format!("Số tiền \"{}\" không hợp lệ.", f.get(k)), format!("Amount \"{}\" is not valid.", f.get(k))))
        })
    };
    let (collected, spent) = (money("collected")?, money("spent")?);
    let photo = match form.files.iter().find(|u| u.field == "photo" && !u.data.is_empty()) {
        Some(up) => {
            let a = crate::disclosure::check_attachment(&state.ctx, &up.name, &up.data).await.map_err(|m| invalid("photo", m))?;
            if !matches!(a.kind.as_str(), "jpeg" | "png" | "pdf") {
                return Err(invalid("photo", Msg::new("Ảnh chụp phải là JPEG, PNG hoặc PDF.", "The photo must be a JPEG, PNG or PDF.")));
            }
            Some(a)
        }
        None => None,
    };
    let on_s = on.to_string();
    let mut tx = state.ctx.store.write().await?;
    if let Some(a) = &photo {
        danchu_store::disclosures::put_file(&mut tx, &a.sha256, &a.kind, &a.content, &a.text).await?;
    }
    let pid = ds::add_progress(
        &mut tx,
        &ds::NewProgress {
            decision_id: id,
            noted_on: &on_s,
            note: &note,
            collected,
            spent,
            photo_sha256: photo.as_ref().map(|a| a.sha256.as_str()),
            created_by: Some(s.user.id),
        },
    )
    .await?;
    let summary = serde_json::json!({ "progress": pid, "noted_on": on_s, "collected": collected, "spent": spent,
        "photo": photo.as_ref().map(|a| a.sha256.clone()) });
    finish(&state, &s, &l, tx, f.idem(), "decision.progress", summary, &format!("/admin/decisions/{id}?done=progress")).await
}

/// `GET /admin/decisions/{id}/progress/{note}/photo`: a progress note's
/// photo, for those who may view the decision.
pub async fn progress_photo(State(state): State<Shared>, Auth(s): Auth, Path((id, note)): Path<(i64, i64)>) -> AppResult<Response> {
    load(&state, &s, id).await?;
    let notes = ds::progress(&state.ctx.store, id).await?;
    let sha = notes.iter().find(|p| p.id == note).and_then(|p| p.photo_sha256.clone()).ok_or(AppError::NotFound)?;
    let (meta, bytes) = danchu_store::disclosures::file(&state.ctx.store, &sha).await?.ok_or(AppError::NotFound)?;
    let mut r = super::portal::file_response(&meta.kind, &format!("anh-thuc-hien-{note}"), &sha, bytes)?;
    r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("private, no-store"));
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_round_trip_in_vietnam_time() {
        let ms = local_ms("2026-12-05T08:30", "x").unwrap();
        assert_eq!(local_input(ms), "2026-12-05T08:30");
        assert_eq!(vn_time(ms), "05/12/2026 08:30");
        assert!(local_ms("tomorrow", "x").is_err());
    }

    #[test]
    fn every_text_has_both_languages_and_vietnamese_is_nfc() {
        let (vi, en) = (format!("{}{}", DVI.link, DVI.count_help), format!("{}{}", DEN.link, DEN.count_help));
        assert_ne!(vi, en);
        assert_eq!(vi, danchu_domain::text::nfc(&vi));
    }
}
