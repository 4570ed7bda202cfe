//! Village conventions (hương ước, quy ước): Decree 61/2023/NĐ-CP; spec §6,
//! R6.1–R6.16.
//!
//! The rules here: the life cycle ([`State`]) and its transitions, the
//! proposal (R6.3, the same 10 % consent as R2.3), the drafting team (R6.4),
//! the consultation period (R6.5, delegated to [`crate::consultation`]),
//! adoption with the meeting quorum or the ballot route (R6.6), signatures
//! (R6.2), the recognition dossier and its clocks (R6.7), suspension (R6.9),
//! amendment (R6.10), annulment (R6.11), dissemination (R6.12), the yearly
//! review on 18 November (R6.13), the province's report before 30 November
//! (R6.14) and the transition of old texts (R6.16).

use crate::calendar::Period;
use crate::consultation;
use crate::decision::{self, Attendance, Clock, HouseholdId, Outcome, Tally, Threshold};
use crate::{text, Msg};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

const D61: &str = "Nghị định 61/2023/NĐ-CP";

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The configurable figures. Defaults are D61's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// R6.7: the village head sends the dossier within 5 working days after
    /// the adopting meeting or the end of the ballot.
    pub dossier_period: Period,
    /// R6.7: the recognition decision within 5 working days of a complete dossier.
    pub recognition_period: Period,
    /// R6.7: the recognised text to the village head and the Front within 2
    /// working days of recognition.
    pub send_text_period: Period,
    /// R6.9: answer a report or suspend within 3 working days.
    pub suspension_period: Period,
    /// R6.11: answer a report or annul within 5 working days.
    pub annulment_period: Period,
    /// R6.13: the yearly review day (month, day), National Great Unity Day,
    /// unless the community agrees another date.
    pub review_day: (u32, u32),
    /// R6.14: the province reports to the Ministry before this (month, day).
    pub province_report_before: (u32, u32),
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            dossier_period: Period::WorkingDays(5),
            recognition_period: Period::WorkingDays(5),
            send_text_period: Period::WorkingDays(2),
            suspension_period: Period::WorkingDays(3),
            annulment_period: Period::WorkingDays(5),
            review_day: (11, 18),
            province_report_before: (11, 30),
        }
    }
}

// ---------------------------------------------------------------------------
// Life cycle
// ---------------------------------------------------------------------------

/// Where a convention (or an amendment of one) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Proposed (R6.3); the drafting team is being set up.
    Proposed,
    /// The drafting team writes (R6.4).
    Drafting,
    /// The draft is posted for comments (R6.5).
    Consulting,
    /// Put to the households (R6.6).
    Voting,
    /// Adopted; the dossier goes to the commune (R6.7).
    Adopted,
    /// Not adopted: redo the vote, or it ends (R6.11).
    NotAdopted,
    /// Recognised by the commune UBND: in force (R6.7).
    Recognised,
    /// The commune refused recognition in writing (R6.7).
    Refused,
    /// Suspended in full or in part until a corrected version is recognised (R6.9).
    Suspended,
    /// Annulled in full (R6.11).
    Annulled,
    /// Replaced by a recognised amendment or new text (R6.10).
    Replaced,
}

impl State {
    pub const ALL: [State; 11] = [
        State::Proposed,
        State::Drafting,
        State::Consulting,
        State::Voting,
        State::Adopted,
        State::NotAdopted,
        State::Recognised,
        State::Refused,
        State::Suspended,
        State::Annulled,
        State::Replaced,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Proposed => "proposed",
            State::Drafting => "drafting",
            State::Consulting => "consulting",
            State::Voting => "voting",
            State::Adopted => "adopted",
            State::NotAdopted => "not_adopted",
            State::Recognised => "recognised",
            State::Refused => "refused",
            State::Suspended => "suspended",
            State::Annulled => "annulled",
            State::Replaced => "replaced",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        let (vi, en) = match self {
            State::Proposed => ("Đã đề xuất", "Proposed"),
            State::Drafting => ("Đang soạn thảo", "Drafting"),
            State::Consulting => ("Đang lấy ý kiến dự thảo", "Draft open for comments"),
            State::Voting => ("Đang biểu quyết thông qua", "Being voted on"),
            State::Adopted => ("Đã thông qua, chờ công nhận", "Adopted, awaiting recognition"),
            State::NotAdopted => ("Không được thông qua", "Not adopted"),
            State::Recognised => ("Đã được công nhận, có hiệu lực", "Recognised, in force"),
            State::Refused => ("Không được công nhận", "Recognition refused"),
            State::Suspended => ("Tạm ngừng thực hiện", "Suspended"),
            State::Annulled => ("Đã bãi bỏ", "Annulled"),
            State::Replaced => ("Đã được thay thế", "Replaced"),
        };
        Msg::new(vi, en)
    }

    /// The transitions D61 allows. A vote that fails may be redone; a
    /// refused text goes back to drafting; a suspension ends when the
    /// corrected version is recognised, or in annulment when its deadline
    /// passes (R6.9, R6.11); a recognised text may be suspended, annulled,
    /// or replaced by an amendment (R6.10).
    pub fn can_become(self, to: State) -> bool {
        use State::*;
        matches!(
            (self, to),
            (Proposed, Drafting)
                | (Drafting, Consulting)
                | (Consulting, Drafting | Voting)
                | (Voting, Adopted | NotAdopted)
                | (NotAdopted, Voting | Annulled)
                | (Adopted, Recognised | Refused)
                | (Refused, Drafting)
                | (Recognised, Suspended | Annulled | Replaced)
                | (Suspended, Recognised | Annulled | Replaced)
        )
    }

    /// Moves to `to`, or refuses with the reason.
    pub fn become_(self, to: State) -> Result<State, Msg> {
        if self.can_become(to) {
            Ok(to)
        } else {
            Err(Msg::new(
                format!("Hương ước, quy ước đang ở trạng thái \"{}\", không thể chuyển sang \"{}\".", self.label().vi, to.label().vi),
                format!("A convention that is \"{}\" cannot become \"{}\".", self.label().en, to.label().en),
            ))
        }
    }
}

// ---------------------------------------------------------------------------
// Proposal, drafting team, consultation (R6.3–R6.5)
// ---------------------------------------------------------------------------

/// Who proposes a convention or its amendment (R6.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Proposal {
    /// The village head, after agreeing with the Front work committee head.
    VillageHead { agreed_with_front: bool },
    /// Citizens, with the consent count of [`decision::initiative_status`].
    Citizens(decision::InitiativeStatus),
}

/// Checks a proposal (R6.3): the same 10 % of households as R2.3, or the
/// Front work committee's approval below it.
pub fn check_proposal(p: &Proposal) -> Result<(), Msg> {
    match p {
        Proposal::VillageHead { agreed_with_front: true } => Ok(()),
        Proposal::VillageHead { agreed_with_front: false } => Err(Msg::new(
            format!("Trưởng thôn đề xuất sau khi thống nhất với Trưởng ban công tác Mặt trận (Điều 7 {D61}, R6.3)."),
            "The village head proposes after agreeing with the Front work committee head (D61 Art. 7, R6.3).",
        )),
        Proposal::Citizens(s) if s.goes_forward => Ok(()),
        Proposal::Citizens(s) => Err(Msg::new(
            format!(
                "Đề xuất của công dân cần ít nhất 10% số hộ gia đình đồng ý ({}/{} hộ còn hiệu lực), hoặc được Ban công tác Mặt trận chấp thuận (Điều 7 {D61}, R6.3).",
                s.valid_consents, s.required
            ),
            format!(
                "A citizens' proposal needs at least 10% of households ({} of {} valid), or the Front committee's approval (D61 Art. 7, R6.3).",
                s.valid_consents, s.required
            ),
        )),
    }
}

/// The drafting team's make-up (R6.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DraftingTeam {
    pub members: usize,
    pub has_village_elder: bool,
    pub has_ethnic_language_speaker: bool,
}

/// Checks the drafting team (R6.4): in an ethnic-minority area it includes a
/// village elder and someone who speaks the ethnic language.
pub fn check_drafting_team(team: &DraftingTeam, ethnic_minority_area: bool) -> Result<(), Msg> {
    if team.members == 0 {
        return Err(Msg::new("Tổ soạn thảo chưa có thành viên (R6.4).", "The drafting team has no member (R6.4)."));
    }
    if ethnic_minority_area && !(team.has_village_elder && team.has_ethnic_language_speaker) {
        return Err(Msg::new(
            format!("Ở vùng đồng bào dân tộc thiểu số, Tổ soạn thảo phải có già làng, trưởng bản và người biết tiếng dân tộc (Điều 8 {D61}, R6.4)."),
            "In an ethnic-minority area the drafting team includes a village elder and someone who speaks the ethnic language (D61 Art. 8, R6.4).",
        ));
    }
    Ok(())
}

/// Checks the draft's posting period: at least 30 days (R6.5). Delegates to
/// [`consultation::Rules::check_period`], which owns the rule.
pub fn check_consultation_period(rules: &consultation::Rules, opens_on: NaiveDate, closes_on: NaiveDate) -> Result<(), Msg> {
    rules.check_period(consultation::Subject::village_convention(), opens_on, closes_on, None)
}

// ---------------------------------------------------------------------------
// Adoption (R6.6) and signatures (R6.2)
// ---------------------------------------------------------------------------

/// How the households adopt (R6.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Route {
    /// At a meeting, with its attendance.
    Meeting(Attendance),
    /// By household ballot, only after a meeting that failed its quorum.
    Ballot { meeting_failed_quorum: bool },
}

/// The adoption result (R6.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Adoption {
    pub outcome: Outcome,
    pub adopted: bool,
}

/// Decides adoption (R6.6): more than half of ALL households approve. At a
/// meeting, representatives of more than half of the households must
/// attend (quorum); a meeting without quorum cannot vote and the ballot
/// route opens. The ballot route is refused unless a meeting failed its
/// quorum. The tally must be on the same household base as the attendance.
pub fn adoption(tally: &Tally, route: Route) -> Result<Adoption, Msg> {
    match route {
        Route::Meeting(att) => {
            if att.base() != tally.base() {
                return Err(Msg::new(
                    "Số hộ dự họp và kết quả biểu quyết không cùng tổng số hộ của thôn tại ngày họp (C0.4).",
                    "The attendance and the tally are not on the same household base (C0.4).",
                ));
            }
            let h = att.base().households();
            if !Threshold::MORE_THAN_HALF.passes(att.present(), h) {
                return Err(Msg::new(
                    format!(
                        "Cuộc họp chỉ có {}/{h} hộ tham dự; phải có đại diện trên 50% số hộ (ít nhất {} hộ) mới được biểu quyết hương ước, quy ước, nếu không thì phát phiếu lấy ý kiến (Điều 10 {D61}, R6.6).",
                        att.present(),
                        Threshold::MORE_THAN_HALF.required(h)
                    ),
                    format!(
                        "Only {}/{h} households attend; more than half (at least {}) must attend to vote a convention, otherwise a household ballot is used (D61 Art. 10, R6.6).",
                        att.present(),
                        Threshold::MORE_THAN_HALF.required(h)
                    ),
                ));
            }
            if tally.counts().voted() > att.present() {
                return Err(Msg::new(
                    format!("Số biểu quyết ({}) nhiều hơn số hộ dự họp ({}).", tally.counts().voted(), att.present()),
                    format!("More votes ({}) than households present ({}).", tally.counts().voted(), att.present()),
                ));
            }
        }
        Route::Ballot { meeting_failed_quorum: false } => {
            return Err(Msg::new(
                format!(
                    "Chỉ phát phiếu lấy ý kiến về hương ước, quy ước khi cuộc họp không đủ trên 50% số hộ tham dự (Điều 10 {D61}, R6.6)."
                ),
                "A convention goes to a household ballot only after a meeting without quorum (D61 Art. 10, R6.6).",
            ))
        }
        Route::Ballot { meeting_failed_quorum: true } => {}
    }
    let outcome = tally.decide(decision::Subject::Convention);
    Ok(Adoption { outcome, adopted: outcome.passed })
}

/// Checks the signatures of the adopted text (R6.2): the village head, the
/// Front work committee head and 2 household representatives.
pub fn check_signatures(village_head: bool, front_head: bool, household_representatives: &[HouseholdId]) -> Result<(), Msg> {
    let distinct: BTreeSet<_> = household_representatives.iter().collect();
    if village_head && front_head && distinct.len() >= 2 {
        return Ok(());
    }
    Err(Msg::new(
        format!("Hương ước, quy ước phải có chữ ký của Trưởng thôn, Trưởng ban công tác Mặt trận và 02 đại diện hộ gia đình (Điều 6 {D61}, R6.2)."),
        "The convention is signed by the village head, the Front work committee head and 2 household representatives (D61 Art. 6, R6.2).",
    ))
}

// ---------------------------------------------------------------------------
// Recognition (R6.7)
// ---------------------------------------------------------------------------

/// The recognition dossier (R6.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Dossier {
    /// Request for recognition (Mẫu 01).
    pub request: bool,
    /// Resolution or minutes of adoption (Mẫu 02).
    pub minutes: bool,
    /// The adopted text.
    pub text: bool,
}

impl Dossier {
    /// A complete dossier starts the recognition clock (R6.7).
    pub fn check_complete(&self) -> Result<(), Msg> {
        let mut missing = Vec::new();
        if !self.request {
            missing.push(("văn bản đề nghị công nhận (Mẫu 01)", "the request (Mẫu 01)"));
        }
        if !self.minutes {
            missing.push(("nghị quyết hoặc biên bản thông qua (Mẫu 02)", "the adoption minutes (Mẫu 02)"));
        }
        if !self.text {
            missing.push(("văn bản hương ước, quy ước đã thông qua", "the adopted text"));
        }
        if missing.is_empty() {
            return Ok(());
        }
        let vi: Vec<&str> = missing.iter().map(|m| m.0).collect();
        let en: Vec<&str> = missing.iter().map(|m| m.1).collect();
        Err(Msg::new(
            format!("Hồ sơ đề nghị công nhận còn thiếu: {} (Điều 11 {D61}, R6.7).", vi.join("; ")),
            format!("The recognition dossier lacks: {} (D61 Art. 11, R6.7).", en.join("; ")),
        ))
    }
}

impl Rules {
    /// R6.7: the dossier goes to the commune within 5 working days after
    /// adoption (meeting day or end of the ballot).
    pub fn dossier_clock(&self, adopted_on: NaiveDate) -> Clock {
        Clock::new(adopted_on, self.dossier_period)
    }

    /// R6.7: the recognition decision (Mẫu 03) or a written refusal within
    /// 5 working days of the complete dossier. It takes effect on the
    /// decision's date.
    pub fn recognition_clock(&self, complete_dossier_on: NaiveDate) -> Clock {
        Clock::new(complete_dossier_on, self.recognition_period)
    }

    /// R6.7: the recognised text to the village head and the Front within 2
    /// working days.
    pub fn send_text_clock(&self, recognised_on: NaiveDate) -> Clock {
        Clock::new(recognised_on, self.send_text_period)
    }
}

// ---------------------------------------------------------------------------
// Suspension (R6.9), amendment (R6.10), annulment (R6.11)
// ---------------------------------------------------------------------------

/// In full or in part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Extent {
    Full,
    Partial,
}

/// Why a convention is suspended (D61 Art. 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuspensionGround {
    /// Drafting, consultation or adoption procedure not followed: in full.
    ProcedureNotFollowed,
    /// Content contrary to the purposes or principles: in part.
    ContraryContent,
    /// Harmful content: in part.
    HarmfulContent,
}

impl SuspensionGround {
    pub fn extent(self) -> Extent {
        match self {
            SuspensionGround::ProcedureNotFollowed => Extent::Full,
            SuspensionGround::ContraryContent | SuspensionGround::HarmfulContent => Extent::Partial,
        }
    }
}

/// A suspension decision (Mẫu 04, R6.9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspension {
    pub ground: SuspensionGround,
    pub extent: Extent,
    pub signed_on: NaiveDate,
    pub reasons: String,
    /// The deadline to redo or amend.
    pub redo_by: NaiveDate,
}

impl Suspension {
    /// Reasons given; a deadline after signing; the extent the ground calls for (R6.9).
    pub fn validate(&self) -> Result<(), Msg> {
        if self.extent != self.ground.extent() {
            return Err(Msg::new(
                format!("Sai thủ tục thì tạm ngừng toàn bộ; nội dung trái mục đích, nguyên tắc hoặc gây hại thì tạm ngừng một phần (Điều 12 {D61}, R6.9)."),
                "A procedural defect suspends in full; contrary or harmful content suspends in part (D61 Art. 12, R6.9).",
            ));
        }
        if text::clean_text(&self.reasons).chars().count() < 15 {
            return Err(Msg::new(
                format!("Quyết định tạm ngừng phải nêu rõ lý do (Điều 12 {D61}, R6.9)."),
                "The suspension decision must give its reasons (D61 Art. 12, R6.9).",
            ));
        }
        if self.redo_by <= self.signed_on {
            return Err(Msg::new(
                format!("Quyết định tạm ngừng phải ghi thời hạn thực hiện lại hoặc sửa đổi, sau ngày ký (Điều 12 {D61}, R6.9)."),
                "The suspension decision must set a deadline to redo or amend, after its signing (D61 Art. 12, R6.9).",
            ));
        }
        Ok(())
    }
}

impl Rules {
    /// R6.9: within 3 working days of a written report the commune replies
    /// that it is unfounded or suspends.
    pub fn suspension_clock(&self, report_received_on: NaiveDate) -> Clock {
        Clock::new(report_received_on, self.suspension_period)
    }

    /// R6.11: within 5 working days of a report the commune replies or annuls.
    pub fn annulment_clock(&self, report_received_on: NaiveDate) -> Clock {
        Clock::new(report_received_on, self.annulment_period)
    }
}

/// Why a convention is annulled (D61 Art. 14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnulmentGround {
    /// Illegal or immoral content: in full.
    UnlawfulOrImmoral,
    /// A full suspension whose deadline passed without compliance: in full.
    FullSuspensionNotRemedied,
    /// The adoption threshold was not met and the vote was not redone: in full.
    ThresholdNotMet,
    /// A partial suspension whose deadline passed: in part.
    PartialSuspensionNotRemedied,
}

/// Checks an annulment (R6.11) on `today`: its extent follows the ground,
/// and an annulment for an unremedied suspension needs a suspension of that
/// extent whose deadline has passed.
pub fn check_annulment(ground: AnnulmentGround, extent: Extent, suspension: Option<&Suspension>, today: NaiveDate) -> Result<(), Msg> {
    let want = match ground {
        AnnulmentGround::PartialSuspensionNotRemedied => Extent::Partial,
        _ => Extent::Full,
    };
    if extent != want {
        return Err(Msg::new(
            format!("Phạm vi bãi bỏ không phù hợp với căn cứ bãi bỏ (Điều 14 {D61}, R6.11)."),
            "The extent of the annulment does not match its ground (D61 Art. 14, R6.11).",
        ));
    }
    let needs = match ground {
        AnnulmentGround::FullSuspensionNotRemedied => Some(Extent::Full),
        AnnulmentGround::PartialSuspensionNotRemedied => Some(Extent::Partial),
        _ => None,
    };
    if let Some(needed) = needs {
        match suspension {
            Some(s) if s.extent == needed && today > s.redo_by => {}
            Some(s) if s.extent == needed => {
                return Err(Msg::new(
                    format!(
                    "Chưa hết thời hạn thực hiện lại theo quyết định tạm ngừng ({}); chưa thể bãi bỏ vì lý do này (Điều 14 {D61}, R6.11).",
                    dmy(s.redo_by)
                ),
                    format!(
                        "The suspension's deadline ({}) has not passed; it cannot ground an annulment yet (D61 Art. 14, R6.11).",
                        dmy(s.redo_by)
                    ),
                ))
            }
            _ => {
                return Err(Msg::new(
                    format!("Không có quyết định tạm ngừng tương ứng làm căn cứ bãi bỏ (Điều 14 {D61}, R6.11)."),
                    "There is no matching suspension to ground this annulment (D61 Art. 14, R6.11).",
                ))
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Dissemination, review, reporting (R6.12–R6.14) and transition (R6.16)
// ---------------------------------------------------------------------------

/// How a recognised text is made known besides posting (R6.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dissemination {
    CommunityConference,
    InformationNetwork,
    CopiesToHouseholds,
    TelecomOrSocialNetwork,
    LegalEducationOrMediation,
}

/// Checks dissemination (R6.12): posted, plus at least one other way.
pub fn check_dissemination(posted: bool, others: &[Dissemination]) -> Result<(), Msg> {
    if posted && !others.is_empty() {
        return Ok(());
    }
    Err(Msg::new(
        format!("Hương ước, quy ước đã công nhận phải được niêm yết tại nhà văn hóa hoặc điểm sinh hoạt cộng đồng và phổ biến thêm ít nhất một hình thức khác (khoản 1 Điều 15 {D61}, R6.12)."),
        "The recognised text must be posted and made known in at least one other way (D61 Art. 15(1), R6.12).",
    ))
}

impl Rules {
    /// The yearly review day of `year` (R6.13): 18 November, or the date the
    /// community agreed.
    pub fn review_day(&self, year: i32, agreed: Option<NaiveDate>) -> NaiveDate {
        agreed.filter(|d| d.year() == year).unwrap_or_else(|| ymd(year, self.review_day.0, self.review_day.1))
    }

    /// Whether the community's review of `year` is overdue on `today` (R6.13).
    pub fn review_overdue(&self, year: i32, agreed: Option<NaiveDate>, reviewed_on: Option<NaiveDate>, today: NaiveDate) -> bool {
        reviewed_on.is_none_or(|r| r.year() != year) && today > self.review_day(year, agreed)
    }

    /// The last day of the province's report to the Ministry of Culture,
    /// Sports and Tourism for `year`: "before 30 November", so 29 November
    /// (R6.14). Not moved to a working day: the date is fixed by the decree.
    pub fn province_report_due(&self, year: i32) -> NaiveDate {
        ymd(year, self.province_report_before.0, self.province_report_before.1).pred_opt().expect("valid date")
    }

    /// Refuses a province report dated on or after 30 November (R6.14).
    pub fn check_province_report(&self, year: i32, sent_on: NaiveDate) -> Result<(), Msg> {
        let due = self.province_report_due(year);
        if sent_on.year() == year && sent_on <= due {
            return Ok(());
        }
        Err(Msg::new(
            format!("Báo cáo hương ước, quy ước năm {year} của tỉnh phải gửi Bộ Văn hóa, Thể thao và Du lịch trước ngày 30/11 (chậm nhất {}) (Điều 16 {D61}, R6.14).", dmy(due)),
            format!("The province's {year} report must reach the Ministry before 30 November (by {}) (D61 Art. 16, R6.14).", dmy(due)),
        ))
    }
}

/// The day D61 took effect (R6.16).
pub fn d61_in_force() -> NaiveDate {
    ymd(2023, 8, 16)
}

/// What D61's transition means for a text (R6.16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Transition {
    /// Adopted under D61: its rules apply.
    UnderD61,
    /// Older and compliant: valid until amended.
    ValidUntilAmended,
    /// Older and breaching the Art. 4 principles: it had to be replaced by
    /// 31 December 2023.
    MustBeReplaced { by: NaiveDate },
}

/// The transition status of a text adopted on `adopted_on` (R6.16).
pub fn transition(adopted_on: NaiveDate, complies_with_principles: bool) -> Transition {
    if adopted_on >= d61_in_force() {
        Transition::UnderD61
    } else if complies_with_principles {
        Transition::ValidUntilAmended
    } else {
        Transition::MustBeReplaced { by: ymd(2023, 12, 31) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Calendar;
    use crate::decision::{Counts, HouseholdBase, Roster, VillageId};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const V: VillageId = VillageId(5);
    const DAY: &str = "2026-12-06";

    fn base(n: u64) -> HouseholdBase {
        HouseholdBase::new(V, d(DAY), n).unwrap()
    }

    fn tally(n: u64, agree: u64) -> Tally {
        Tally::new(&base(n), V, d(DAY), Counts { agree, ..Counts::default() }).unwrap()
    }

    fn meeting(n: u64, present: u64) -> Route {
        Route::Meeting(Attendance::from_count(&base(n), present).unwrap())
    }

    #[test]
    fn lifecycle_transitions() {
        assert!(State::Proposed.become_(State::Drafting).is_ok());
        assert!(State::Drafting.become_(State::Voting).is_err(), "the draft must be consulted first (R6.5)");
        assert!(State::Consulting.can_become(State::Voting));
        assert!(State::Adopted.can_become(State::Recognised));
        assert!(!State::Voting.can_become(State::Recognised));
        assert!(State::Recognised.can_become(State::Suspended));
        assert!(State::Suspended.can_become(State::Annulled));
        assert!(!State::Annulled.can_become(State::Recognised));
        assert!(State::Drafting.become_(State::Recognised).unwrap_err().vi.contains("không thể chuyển"));
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn r6_3_proposal_by_the_head_or_ten_percent() {
        assert!(check_proposal(&Proposal::VillageHead { agreed_with_front: true }).is_ok());
        assert!(check_proposal(&Proposal::VillageHead { agreed_with_front: false }).is_err());
        let rules = decision::Rules::default();
        let roster = Roster::new(V, d(DAY), (1..=100).map(HouseholdId)).unwrap();
        let consents = |n: i64| (1..=n).map(|h| decision::Consent { household: HouseholdId(h), given_on: d(DAY) }).collect::<Vec<_>>();
        let nine = decision::initiative_status(&rules, &roster, &consents(9), d(DAY), false).unwrap();
        assert!(check_proposal(&Proposal::Citizens(nine)).unwrap_err().vi.contains("10%"));
        let ten = decision::initiative_status(&rules, &roster, &consents(10), d(DAY), false).unwrap();
        assert!(check_proposal(&Proposal::Citizens(ten)).is_ok());
    }

    #[test]
    fn r6_4_drafting_team_in_ethnic_minority_areas() {
        let plain = DraftingTeam { members: 5, ..DraftingTeam::default() };
        assert!(check_drafting_team(&plain, false).is_ok());
        assert!(check_drafting_team(&plain, true).unwrap_err().vi.contains("già làng"));
        let full = DraftingTeam { members: 5, has_village_elder: true, has_ethnic_language_speaker: true };
        assert!(check_drafting_team(&full, true).is_ok());
        assert!(check_drafting_team(&DraftingTeam { has_ethnic_language_speaker: false, ..full }, true).is_err());
        assert!(check_drafting_team(&DraftingTeam::default(), false).is_err());
    }

    #[test]
    fn r6_5_consultation_of_at_least_30_days_reuses_consultation() {
        let rules = consultation::Rules::default();
        assert!(check_consultation_period(&rules, d("2026-11-01"), d("2026-11-30")).is_err());
        assert!(check_consultation_period(&rules, d("2026-11-01"), d("2026-12-01")).is_ok());
        assert!(check_consultation_period(&rules, d("2026-11-01"), d("2026-12-02")).is_ok());
    }

    #[test]
    fn r6_6_adoption_needs_more_than_half_of_all_households() {
        assert!(!adoption(&tally(120, 60), meeting(120, 100)).unwrap().adopted);
        assert!(adoption(&tally(120, 61), meeting(120, 100)).unwrap().adopted);
        assert!(adoption(&tally(120, 62), meeting(120, 100)).unwrap().adopted);
    }

    #[test]
    fn r6_6_meeting_quorum_more_than_half_of_households_attend() {
        let e = adoption(&tally(120, 60), meeting(120, 60)).unwrap_err();
        assert!(e.vi.contains("ít nhất 61 hộ") && e.vi.contains("R6.6"), "{}", e.vi);
        assert!(adoption(&tally(120, 61), meeting(120, 61)).unwrap().adopted);
        // More votes than households present is refused.
        assert!(adoption(&tally(120, 62), meeting(120, 61)).is_err());
        // Attendance on another base is refused.
        let other = Attendance::from_count(&HouseholdBase::new(V, d("2026-12-05"), 120).unwrap(), 100).unwrap();
        assert!(adoption(&tally(120, 61), Route::Meeting(other)).unwrap_err().vi.contains("C0.4"));
    }

    #[test]
    fn r6_6_ballot_only_after_a_meeting_without_quorum() {
        assert!(adoption(&tally(120, 61), Route::Ballot { meeting_failed_quorum: false }).unwrap_err().vi.contains("R6.6"));
        assert!(adoption(&tally(120, 61), Route::Ballot { meeting_failed_quorum: true }).unwrap().adopted);
        assert!(!adoption(&tally(120, 60), Route::Ballot { meeting_failed_quorum: true }).unwrap().adopted);
    }

    #[test]
    fn r6_2_signatures() {
        assert!(check_signatures(true, true, &[HouseholdId(1), HouseholdId(2)]).is_ok());
        assert!(check_signatures(true, true, &[HouseholdId(1)]).is_err());
        assert!(check_signatures(true, true, &[HouseholdId(1), HouseholdId(1)]).is_err());
        assert!(check_signatures(false, true, &[HouseholdId(1), HouseholdId(2)]).is_err());
        assert!(check_signatures(true, false, &[HouseholdId(1), HouseholdId(2)]).unwrap_err().vi.contains("R6.2"));
    }

    #[test]
    fn r6_7_dossier_and_its_clocks() {
        let rules = Rules::default();
        let cal = Calendar::standard();
        assert!(Dossier { request: true, minutes: true, text: true }.check_complete().is_ok());
        let e = Dossier { request: true, minutes: false, text: false }.check_complete().unwrap_err();
        assert!(e.vi.contains("Mẫu 02") && e.vi.contains("văn bản hương ước"), "{}", e.vi);
        // Adopted Sunday 6 Dec 2026: dossier by Friday 11 Dec.
        let c = rules.dossier_clock(d(DAY));
        assert_eq!(c.due(&cal), d("2026-12-11"));
        assert!(matches!(c.state(&cal, d("2026-12-12"), Some(d("2026-12-11"))), decision::ClockState::DoneOnTime { .. }));
        assert!(matches!(c.state(&cal, d("2026-12-14"), Some(d("2026-12-14"))), decision::ClockState::DoneLate { .. }));
        // Complete dossier Friday 11 Dec: decision by Friday 18 Dec.
        assert_eq!(rules.recognition_clock(d("2026-12-11")).due(&cal), d("2026-12-18"));
        // Recognised Friday 18 Dec: the text goes out by Tuesday 22 Dec.
        assert_eq!(rules.send_text_clock(d("2026-12-18")).due(&cal), d("2026-12-22"));
    }

    fn suspension(ground: SuspensionGround, extent: Extent) -> Suspension {
        Suspension {
            ground,
            extent,
            signed_on: d("2027-01-04"),
            reasons: "Không lấy ý kiến dự thảo đủ 30 ngày".into(),
            redo_by: d("2027-03-31"),
        }
    }

    #[test]
    fn r6_9_suspension_within_three_working_days_with_reasons_and_a_deadline() {
        let rules = Rules::default();
        let cal = Calendar::standard();
        // A report on Wednesday 30 Dec 2026: 31 Dec, (1 Jan off), 4 Jan, 5 Jan.
        assert_eq!(rules.suspension_clock(d("2026-12-30")).due(&cal), d("2027-01-05"));
        assert!(suspension(SuspensionGround::ProcedureNotFollowed, Extent::Full).validate().is_ok());
        assert!(suspension(SuspensionGround::ProcedureNotFollowed, Extent::Partial).validate().is_err());
        assert!(suspension(SuspensionGround::HarmfulContent, Extent::Partial).validate().is_ok());
        assert!(suspension(SuspensionGround::ContraryContent, Extent::Full).validate().is_err());
        let no_reason = Suspension { reasons: "x".into(), ..suspension(SuspensionGround::ProcedureNotFollowed, Extent::Full) };
        assert!(no_reason.validate().unwrap_err().vi.contains("lý do"));
        let no_deadline = Suspension { redo_by: d("2027-01-04"), ..suspension(SuspensionGround::ProcedureNotFollowed, Extent::Full) };
        assert!(no_deadline.validate().unwrap_err().vi.contains("thời hạn"));
    }

    #[test]
    fn r6_10_amendment_replaces_a_recognised_or_suspended_text() {
        assert!(State::Recognised.can_become(State::Replaced));
        assert!(State::Suspended.can_become(State::Replaced));
        assert!(State::Suspended.can_become(State::Recognised));
        assert!(!State::Drafting.can_become(State::Replaced));
    }

    #[test]
    fn r6_11_annulment_grounds_and_clock() {
        let rules = Rules::default();
        let cal = Calendar::standard();
        assert_eq!(rules.annulment_clock(d("2026-12-07")).due(&cal), d("2026-12-14"));
        let full = suspension(SuspensionGround::ProcedureNotFollowed, Extent::Full);
        let partial = suspension(SuspensionGround::HarmfulContent, Extent::Partial);
        let g = AnnulmentGround::FullSuspensionNotRemedied;
        // The deadline 31 Mar 2027 must have passed.
        assert!(check_annulment(g, Extent::Full, Some(&full), d("2027-03-31")).unwrap_err().vi.contains("31/03/2027"));
        assert!(check_annulment(g, Extent::Full, Some(&full), d("2027-04-01")).is_ok());
        assert!(check_annulment(g, Extent::Full, Some(&partial), d("2027-04-01")).is_err());
        assert!(check_annulment(g, Extent::Full, None, d("2027-04-01")).is_err());
        assert!(check_annulment(AnnulmentGround::PartialSuspensionNotRemedied, Extent::Partial, Some(&partial), d("2027-04-01")).is_ok());
        assert!(check_annulment(AnnulmentGround::PartialSuspensionNotRemedied, Extent::Full, Some(&partial), d("2027-04-01")).is_err());
        assert!(check_annulment(AnnulmentGround::UnlawfulOrImmoral, Extent::Full, None, d("2027-01-01")).is_ok());
        assert!(check_annulment(AnnulmentGround::ThresholdNotMet, Extent::Full, None, d("2027-01-01")).is_ok());
        assert!(check_annulment(AnnulmentGround::ThresholdNotMet, Extent::Partial, None, d("2027-01-01")).is_err());
        assert!(State::NotAdopted.can_become(State::Annulled));
    }

    #[test]
    fn r6_12_posting_plus_one_other_way() {
        assert!(check_dissemination(true, &[Dissemination::CopiesToHouseholds]).is_ok());
        assert!(check_dissemination(true, &[]).is_err());
        assert!(check_dissemination(false, &[Dissemination::CommunityConference]).unwrap_err().vi.contains("R6.12"));
    }

    #[test]
    fn r6_13_yearly_review_on_18_november() {
        let rules = Rules::default();
        assert_eq!(rules.review_day(2026, None), d("2026-11-18"));
        assert_eq!(rules.review_day(2026, Some(d("2026-12-01"))), d("2026-12-01"));
        // An agreed date of another year does not apply.
        assert_eq!(rules.review_day(2026, Some(d("2025-12-01"))), d("2026-11-18"));
        assert!(!rules.review_overdue(2026, None, None, d("2026-11-18")));
        assert!(rules.review_overdue(2026, None, None, d("2026-11-19")));
        assert!(!rules.review_overdue(2026, None, Some(d("2026-11-18")), d("2026-11-19")));
        assert!(rules.review_overdue(2026, None, Some(d("2025-11-18")), d("2026-11-19")));
    }

    #[test]
    fn r6_14_province_report_before_30_november() {
        let rules = Rules::default();
        assert_eq!(rules.province_report_due(2026), d("2026-11-29"));
        assert!(rules.check_province_report(2026, d("2026-11-28")).is_ok());
        assert!(rules.check_province_report(2026, d("2026-11-29")).is_ok());
        assert!(rules.check_province_report(2026, d("2026-11-30")).unwrap_err().vi.contains("trước ngày 30/11"));
        assert!(rules.check_province_report(2026, d("2025-11-20")).is_err());
    }

    #[test]
    fn r6_16_transition_of_older_texts() {
        assert_eq!(transition(d("2023-08-16"), false), Transition::UnderD61);
        assert_eq!(transition(d("2023-08-15"), true), Transition::ValidUntilAmended);
        assert_eq!(transition(d("2023-08-15"), false), Transition::MustBeReplaced { by: d("2023-12-31") });
    }
}
