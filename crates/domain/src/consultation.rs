//! Consultations (lấy ý kiến, "dân bàn"): what citizens, staff and workers
//! comment on before the authority decides (Law Arts. 25–28, 53–55, 71–74;
//! spec §3, R3.1–R3.10), and the consultation on a village convention draft
//! (hương ước, D61 Art. 9, R6.5).
//!
//! The rules here: the subjects, the forms through which opinions arrive
//! (R3.2), the plan and the bodies it is sent to (R3.3), the minimum open
//! period (R3.4, R6.5), who may take part, comment and statement
//! validation, moderation with a fixed list of reasons, and the synthesis
//! (tiếp thu, giải trình) that must answer every opinion and justify any
//! departure from the majority (R3.5, R3.6).

use crate::disclosure::Regime;
use crate::{text, Msg};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------
// Subjects (R3.1, R3.9, R3.10, R6.5)
// ---------------------------------------------------------------------------

/// What a consultation is about: the law's list for the unit's regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Subject {
    regime: Regime,
    number: u8,
}

/// The village convention (hương ước, quy ước) draft: number 0 of the
/// commune regime, because it is not in Art. 25's list but in D61 Art. 9.
const CONVENTION: u8 = 0;

type SubjectText = (&'static str, &'static str);

fn subject_texts(regime: Regime) -> &'static [SubjectText] {
    match regime {
        // R3.1, Law Art. 25.
        Regime::Commune | Regime::Province => &[
            (
                "Dự thảo kế hoạch phát triển kinh tế - xã hội, chuyển dịch cơ cấu kinh tế, đề án tái định cư, phát triển thương mại",
                "Draft socio-economic plan, economic restructuring, resettlement or trade development schemes",
            ),
            (
                "Dự thảo quy hoạch, kế hoạch sử dụng đất và việc sử dụng đất giao cho xã",
                "Draft land-use plan and the use of land assigned to the commune",
            ),
            (
                "Chủ trương, chính sách đầu tư, đất đai, bồi thường, giải phóng mặt bằng, tái định cư của dự án ảnh hưởng trực tiếp đến cộng đồng",
                "Investment, land, compensation, clearance and resettlement policy of projects affecting the community",
            ),
            (
                "Đề án thành lập, giải thể, nhập, chia, đổi tên đơn vị hành chính; thành lập, sáp nhập, đổi tên thôn, tổ dân phố",
                "Schemes to establish, dissolve, merge, split or rename administrative units, villages and residential groups",
            ),
            (
                "Dự thảo quyết định hành chính của Ủy ban nhân dân ảnh hưởng đến lợi ích cộng đồng (môi trường, y tế, trật tự)",
                "Draft People's Committee decisions affecting community interests (environment, health, order)",
            ),
            ("Dự thảo nhiệm vụ, đồ án quy hoạch xây dựng", "Draft construction planning tasks and projects"),
            ("Dự thảo quy chế thực hiện dân chủ ở cơ sở", "Draft regulation on grassroots democracy"),
            (
                "Dự thảo quyết định hành chính đặt nghĩa vụ hoặc làm chấm dứt, hạn chế quyền của công dân",
                "Draft decisions imposing obligations on, or ending or limiting the rights of, citizens",
            ),
            ("Nội dung khác", "Other matters"),
        ],
        // R3.9, Law Arts. 53–55.
        Regime::Agency => &[
            ("Kế hoạch công tác của cơ quan, đơn vị", "The agency's work plans"),
            ("Phong trào thi đua, khen thưởng", "Emulation and awards"),
            ("Báo cáo sơ kết, tổng kết", "Interim and annual reports"),
            (
                "Biện pháp phòng, chống tham nhũng, tiêu cực, cải cách hành chính",
                "Anti-corruption and administrative reform measures",
            ),
            (
                "Kế hoạch tuyển dụng, đào tạo, bồi dưỡng, bổ nhiệm",
                "Recruitment, training and appointment plans",
            ),
            ("Chế độ, chính sách đối với cán bộ, công chức, viên chức", "Staff benefits and entitlements"),
            ("Dự thảo quy chế thực hiện dân chủ", "Draft democracy regulation"),
            ("Dự thảo quy chế chi tiêu nội bộ", "Draft internal spending rules"),
            ("Nội quy, quy chế nội bộ khác", "Other internal rules"),
        ],
        // R3.10, Law Arts. 71–74 (non-state enterprises follow the same list
        // through D145; the spec has no separate list for them).
        Regime::StateEnterprise | Regime::Enterprise => &[
            ("Nội quy, quy chế nội bộ", "Internal rules and regulations"),
            ("Thang lương, bảng lương, định mức lao động", "Pay scales and labour norms"),
            (
                "Điều kiện làm việc, phòng, chống tham nhũng, tiêu cực",
                "Working conditions and anti-corruption",
            ),
            (
                "Trình tự xử lý kỷ luật, giải quyết tranh chấp nội bộ",
                "Internal disciplinary and dispute procedures",
            ),
            ("Dự thảo quy chế dân chủ ở cơ sở tại nơi làm việc", "Draft workplace democracy regulation"),
            (
                "Nội dung thương lượng tập thể (theo đề nghị của tổ chức đại diện người lao động)",
                "Collective bargaining content (at the workers' organisation's request)",
            ),
            ("Nội dung đối thoại tại nơi làm việc", "Workplace dialogue content"),
        ],
    }
}

impl Subject {
    /// The subject, if `number` exists for `regime` (1-based).
    pub fn new(regime: Regime, number: u8) -> Option<Subject> {
        let regime = if regime == Regime::Province { Regime::Commune } else { regime };
        (1..=subject_texts(regime).len()).contains(&(number as usize)).then_some(Subject { regime, number })
    }

    /// The draft village convention (hương ước, quy ước), R6.5.
    pub fn village_convention() -> Subject {
        Subject { regime: Regime::Commune, number: CONVENTION }
    }

    pub fn is_village_convention(self) -> bool {
        self.number == CONVENTION
    }

    pub fn regime(self) -> Regime {
        self.regime
    }

    /// Every subject a unit of `regime` may consult on, in the law's order
    /// (for communes the village convention comes last).
    pub fn all_for(regime: Regime) -> Vec<Subject> {
        let regime = if regime == Regime::Province { Regime::Commune } else { regime };
        let mut all: Vec<Subject> = (1..=subject_texts(regime).len() as u8).map(|number| Subject { regime, number }).collect();
        if regime == Regime::Commune {
            all.push(Subject::village_convention());
        }
        all
    }

    /// The stable code: `xa-3`, `cq-8`, `dn-2`, `huong-uoc`.
    pub fn code(self) -> String {
        if self.is_village_convention() {
            return "huong-uoc".into();
        }
        let prefix = match self.regime {
            Regime::Commune | Regime::Province => "xa",
            Regime::Agency => "cq",
            Regime::StateEnterprise | Regime::Enterprise => "dn",
        };
        format!("{prefix}-{}", self.number)
    }

    /// Parses a code for a unit of `regime`; a message when it does not apply.
    pub fn parse_for(regime: Regime, code: &str) -> Result<Subject, Msg> {
        let code = code.trim().to_ascii_lowercase();
        Subject::all_for(regime).into_iter().find(|s| s.code() == code).ok_or_else(|| {
            Msg::new(
                format!("Nội dung lấy ý kiến \"{code}\" không có trong danh mục của đơn vị này. Hãy chọn trong danh sách."),
                format!("The consultation subject \"{code}\" is not in this unit's list. Choose one from the list."),
            )
        })
    }

    pub fn label(self) -> Msg {
        if self.is_village_convention() {
            return Msg::new("Dự thảo hương ước, quy ước của thôn, tổ dân phố", "Draft village convention (hương ước)");
        }
        let (vi, en) = subject_texts(self.regime)[self.number as usize - 1];
        Msg::new(vi, en)
    }

    /// The rule that lists the subject.
    pub fn rule_id(self) -> &'static str {
        if self.is_village_convention() {
            return "R6.5";
        }
        match self.regime {
            Regime::Commune | Regime::Province => "R3.1",
            Regime::Agency => "R3.9",
            Regime::StateEnterprise | Regime::Enterprise => "R3.10",
        }
    }

    /// Who takes part by default: residents for communes, staff for
    /// agencies, workers for enterprises.
    pub fn default_eligibility(self) -> Eligibility {
        match self.regime {
            Regime::Commune | Regime::Province => Eligibility::Residents,
            Regime::Agency => Eligibility::Staff,
            Regime::StateEnterprise | Regime::Enterprise => Eligibility::Workers,
        }
    }
}

// ---------------------------------------------------------------------------
// Who may take part
// ---------------------------------------------------------------------------

/// Who may comment and vote on statements online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Eligibility {
    /// Residents of the unit (or of the village, for a convention),
    /// verified against the household registry.
    Residents,
    /// Staff of the agency (cán bộ, công chức, viên chức, người lao động).
    Staff,
    /// Workers of the enterprise.
    Workers,
    /// Anyone, without an account.
    Anyone,
}

impl Eligibility {
    pub const ALL: [Eligibility; 4] = [Eligibility::Residents, Eligibility::Staff, Eligibility::Workers, Eligibility::Anyone];

    pub fn as_str(self) -> &'static str {
        match self {
            Eligibility::Residents => "residents",
            Eligibility::Staff => "staff",
            Eligibility::Workers => "workers",
            Eligibility::Anyone => "anyone",
        }
    }

    pub fn parse(s: &str) -> Option<Eligibility> {
        Eligibility::ALL.into_iter().find(|e| e.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        match self {
            Eligibility::Residents => {
                Msg::new("Người dân cư trú trên địa bàn (đối chiếu sổ hộ)", "Residents (checked against the household registry)")
            }
            Eligibility::Staff => Msg::new("Cán bộ, công chức, viên chức, người lao động của cơ quan", "Staff of the agency"),
            Eligibility::Workers => Msg::new("Người lao động của doanh nghiệp", "Workers of the enterprise"),
            Eligibility::Anyone => Msg::new("Bất kỳ ai, không cần tài khoản", "Anyone, without an account"),
        }
    }

    /// Whether a participant needs to sign in.
    pub fn needs_account(self) -> bool {
        self != Eligibility::Anyone
    }
}

// ---------------------------------------------------------------------------
// Forms through which opinions arrive (R3.2, R3.9, R6.5)
// ---------------------------------------------------------------------------

/// Where an opinion came from. Online comments are written by the
/// participant; every other channel is entered by an official with its
/// source, so all opinions are one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// On this platform (the commune's portal, R3.2).
    Online,
    /// Hội nghị đối thoại giữa Ủy ban nhân dân và Nhân dân.
    Dialogue,
    /// Hội nghị, cuộc họp của cộng đồng dân cư.
    Meeting,
    /// Phát phiếu lấy ý kiến hộ gia đình (household ballot, on paper).
    HouseholdBallot,
    /// Written opinion on paper, by post or handed in.
    Paper,
    /// Hòm thư góp ý.
    SuggestionBox,
    /// Đường dây nóng.
    Hotline,
    /// Through the Fatherland Front work committee and mass organisations.
    Front,
    /// Telecom or social networks (R3.2).
    SocialNetwork,
    /// Dialogue with the persons affected (R3.7, subject 8).
    AffectedDialogue,
    /// Staff or workers' conference, meetings (R3.9, R3.10).
    Conference,
    /// Circulation of the draft for written comments (R3.9).
    Circulation,
    /// The agency's internal system (R3.9).
    InternalSystem,
    /// Through the trade union (R3.9, R3.10).
    Union,
}

impl Channel {
    pub const ALL: [Channel; 14] = [
        Channel::Online,
        Channel::Dialogue,
        Channel::Meeting,
        Channel::HouseholdBallot,
        Channel::Paper,
        Channel::SuggestionBox,
        Channel::Hotline,
        Channel::Front,
        Channel::SocialNetwork,
        Channel::AffectedDialogue,
        Channel::Conference,
        Channel::Circulation,
        Channel::InternalSystem,
        Channel::Union,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Dialogue => "dialogue",
            Channel::Meeting => "meeting",
            Channel::HouseholdBallot => "household_ballot",
            Channel::Paper => "paper",
            Channel::SuggestionBox => "suggestion_box",
            Channel::Hotline => "hotline",
            Channel::Front => "front",
            Channel::SocialNetwork => "social_network",
            Channel::AffectedDialogue => "affected_dialogue",
            Channel::Conference => "conference",
            Channel::Circulation => "circulation",
            Channel::InternalSystem => "internal_system",
            Channel::Union => "union",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        let (vi, en) = match self {
            Channel::Online => ("Góp ý trực tuyến", "Online"),
            Channel::Dialogue => ("Hội nghị đối thoại", "Dialogue conference"),
            Channel::Meeting => ("Hội nghị, cuộc họp cộng đồng dân cư", "Community meeting"),
            Channel::HouseholdBallot => ("Phiếu lấy ý kiến hộ gia đình", "Household ballot"),
            Channel::Paper => ("Văn bản góp ý", "Written submission"),
            Channel::SuggestionBox => ("Hòm thư góp ý", "Suggestion box"),
            Channel::Hotline => ("Đường dây nóng", "Hotline"),
            Channel::Front => ("Qua Ban công tác Mặt trận và các đoàn thể", "Through the Front and mass organisations"),
            Channel::SocialNetwork => ("Qua viễn thông, mạng xã hội", "Telecom or social networks"),
            Channel::AffectedDialogue => ("Đối thoại với người bị ảnh hưởng", "Dialogue with those affected"),
            Channel::Conference => ("Hội nghị cán bộ, công chức, người lao động", "Staff or workers' conference"),
            Channel::Circulation => ("Gửi dự thảo xin ý kiến bằng văn bản", "Draft circulated for written comments"),
            Channel::InternalSystem => ("Hệ thống thông tin nội bộ", "Internal system"),
            Channel::Union => ("Qua tổ chức công đoàn", "Through the trade union"),
        };
        Msg::new(vi, en)
    }

    /// The channels a unit of `regime` may use (R3.2 for communes, R3.9 for
    /// agencies, R3.10 for enterprises). Online is always offered.
    pub fn all_for(regime: Regime) -> Vec<Channel> {
        use Channel::*;
        match regime {
            Regime::Commune | Regime::Province => {
                vec![Online, Dialogue, Meeting, HouseholdBallot, Paper, SuggestionBox, Hotline, Front, SocialNetwork, AffectedDialogue]
            }
            Regime::Agency => vec![Online, Conference, Circulation, Paper, SuggestionBox, Hotline, InternalSystem, Union],
            Regime::StateEnterprise | Regime::Enterprise => vec![Online, Conference, Circulation, Paper, SuggestionBox, Hotline, Union],
        }
    }

    /// Opinions from this channel are entered by an official (with a source).
    pub fn entered_by_official(self) -> bool {
        self != Channel::Online
    }
}

// ---------------------------------------------------------------------------
// Rules and the open period (R3.4, R6.5)
// ---------------------------------------------------------------------------

/// The configurable figures. Defaults are the law's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    /// R3.4: at least 20 (calendar) days from publication.
    pub min_days: u32,
    /// R6.5: a village convention draft is posted for at least 30 days.
    pub min_days_convention: u32,
    /// Longest comment accepted, in characters.
    pub max_comment_chars: usize,
    /// Comments one participant may post in one consultation per day.
    pub max_comments_per_day: u32,
    /// Longest statement (Pol.is-style short statement), in characters.
    pub max_statement_chars: usize,
    /// Reminder to subscribers this many days before the close.
    pub reminder_days_before_close: u32,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            min_days: 20,
            min_days_convention: 30,
            max_comment_chars: 5_000,
            max_comments_per_day: 20,
            max_statement_chars: 280,
            reminder_days_before_close: 7,
        }
    }
}

impl Rules {
    /// The minimum open period for a subject, in calendar days (C0.1). A
    /// sector law may set another period (`sector_days`, R3.4 "unless").
    pub fn min_days_for(&self, subject: Subject, sector_days: Option<u32>) -> u32 {
        match sector_days {
            Some(d) => d,
            None if subject.is_village_convention() => self.min_days_convention,
            None => self.min_days,
        }
    }

    /// The earliest day the consultation may close. The period counts from
    /// the day after publication (C0.2), so it closes no earlier than the
    /// n-th day after. C0.2's move to the next working day is for a deadline
    /// someone must act by; a minimum duration that ends on a weekend has
    /// still lasted its n days, so no move is applied here.
    pub fn earliest_close(&self, subject: Subject, opens_on: NaiveDate, sector_days: Option<u32>) -> NaiveDate {
        opens_on + Days::new(self.min_days_for(subject, sector_days) as u64)
    }

    /// Checks a period (R3.4, R6.5).
    pub fn check_period(&self, subject: Subject, opens_on: NaiveDate, closes_on: NaiveDate, sector_days: Option<u32>) -> Result<(), Msg> {
        let earliest = self.earliest_close(subject, opens_on, sector_days);
        if closes_on < earliest {
            let n = self.min_days_for(subject, sector_days);
            let rule = if sector_days.is_some() { "luật chuyên ngành" } else { subject.rule_id() };
            return Err(Msg::new(
                format!(
                    "Thời gian lấy ý kiến phải ít nhất {n} ngày kể từ ngày công bố ({rule}): mở ngày {} thì sớm nhất đóng ngày {}.",
                    opens_on.format("%d/%m/%Y"),
                    earliest.format("%d/%m/%Y")
                ),
                format!(
                    "A consultation must stay open at least {n} days from publication ({rule}): opening on {} it may close on {} at the earliest.",
                    opens_on.format("%d/%m/%Y"),
                    earliest.format("%d/%m/%Y")
                ),
            ));
        }
        Ok(())
    }
}

/// The bodies the consultation plan is sent to (R3.3), and who supervises
/// (R3.8, R3.9, R3.10).
pub fn plan_recipients(regime: Regime) -> Vec<Msg> {
    match regime {
        Regime::Commune | Regime::Province => vec![
            Msg::new("Hội đồng nhân dân xã", "Commune People's Council"),
            Msg::new("Ủy ban Mặt trận Tổ quốc Việt Nam xã", "Commune Fatherland Front Committee"),
        ],
        Regime::Agency => vec![Msg::new("Ban Chấp hành công đoàn cơ quan", "The agency's trade union committee")],
        Regime::StateEnterprise | Regime::Enterprise => {
            vec![Msg::new("Tổ chức đại diện người lao động tại cơ sở", "The workers' representative organisation")]
        }
    }
}

/// The consultation plan (kế hoạch lấy ý kiến, R3.3): content, forms,
/// method, timeline and responsibilities.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub content: String,
    pub forms: Vec<Channel>,
    pub method: String,
    pub responsibilities: String,
}

impl Plan {
    /// Every part of R3.3 must be filled in, and the forms must be ones the
    /// regime allows.
    pub fn validate(&self, regime: Regime) -> Result<(), Vec<(&'static str, Msg)>> {
        let mut errors = Vec::new();
        if text::clean_text(&self.content).is_empty() {
            errors.push(("plan_content", Msg::new("Hãy ghi nội dung lấy ý kiến (R3.3).", "Write what is consulted on (R3.3).")));
        }
        if self.forms.is_empty() {
            errors.push(("plan_forms", Msg::new("Hãy chọn ít nhất một hình thức lấy ý kiến (R3.2).", "Choose at least one form (R3.2).")));
        }
        let allowed = Channel::all_for(regime);
        if let Some(bad) = self.forms.iter().find(|f| !allowed.contains(f)) {
            errors.push((
                "plan_forms",
                Msg::new(
                    format!("Hình thức \"{}\" không áp dụng cho đơn vị này.", bad.label().vi),
                    format!("The form \"{}\" does not apply to this unit.", bad.label().en),
                ),
            ));
        }
        if text::clean_text(&self.method).is_empty() {
            errors.push(("plan_method", Msg::new("Hãy ghi cách thức tổ chức lấy ý kiến (R3.3).", "Write the method (R3.3).")));
        }
        if text::clean_text(&self.responsibilities).is_empty() {
            errors.push((
                "plan_responsibilities",
                Msg::new("Hãy ghi trách nhiệm của từng bộ phận (R3.3).", "Write who is responsible for what (R3.3)."),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

// ---------------------------------------------------------------------------
// Life cycle
// ---------------------------------------------------------------------------

/// Where a consultation is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Planned; not yet open (opens_on in the future).
    Upcoming,
    /// Open for opinions.
    Open,
    /// The period has ended; the synthesis is being prepared.
    Closed,
    /// The synthesis (tiếp thu, giải trình) is published (R3.5).
    Synthesised,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Upcoming => "upcoming",
            Phase::Open => "open",
            Phase::Closed => "closed",
            Phase::Synthesised => "synthesised",
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Phase::Upcoming => Msg::new("Sắp mở", "Upcoming"),
            Phase::Open => Msg::new("Đang lấy ý kiến", "Open for comments"),
            Phase::Closed => Msg::new("Đã hết hạn góp ý, đang tổng hợp", "Closed, synthesis in preparation"),
            Phase::Synthesised => Msg::new("Đã công bố kết quả tiếp thu, giải trình", "Synthesis published"),
        }
    }

    /// The phase on `today`: open from `opens_on` to `closes_on` inclusive.
    pub fn on(today: NaiveDate, opens_on: NaiveDate, closes_on: NaiveDate, synthesised: bool) -> Phase {
        if synthesised {
            Phase::Synthesised
        } else if today < opens_on {
            Phase::Upcoming
        } else if today <= closes_on {
            Phase::Open
        } else {
            Phase::Closed
        }
    }
}

/// Days left to comment, the closing day included (0 once closed).
pub fn days_left(today: NaiveDate, closes_on: NaiveDate) -> i64 {
    ((closes_on - today).num_days() + 1).max(0)
}

/// "Còn 5 ngày" / "5 days left", "Hôm nay là ngày cuối" on the last day.
pub fn days_left_label(today: NaiveDate, closes_on: NaiveDate) -> Msg {
    match days_left(today, closes_on) {
        0 => Msg::new("Đã hết hạn góp ý", "Closed"),
        1 => Msg::new("Hôm nay là ngày cuối góp ý", "Today is the last day"),
        n => Msg::new(format!("Còn {n} ngày"), format!("{n} days left")),
    }
}

/// The day subscribers are reminded that the consultation closes soon.
pub fn reminder_day(rules: &Rules, opens_on: NaiveDate, closes_on: NaiveDate) -> Option<NaiveDate> {
    let day = closes_on.checked_sub_days(Days::new(rules.reminder_days_before_close as u64))?;
    (day > opens_on).then_some(day)
}

// ---------------------------------------------------------------------------
// Comments and statements
// ---------------------------------------------------------------------------

/// Cleans and checks an opinion's text: not empty, not huge.
pub fn clean_comment(rules: &Rules, raw: &str) -> Result<String, Msg> {
    let text = text::clean_text(raw);
    if text.is_empty() {
        return Err(Msg::new("Ý kiến không được để trống.", "The comment is empty."));
    }
    let n = text.chars().count();
    if n > rules.max_comment_chars {
        return Err(Msg::new(
            format!("Ý kiến dài {n} ký tự, quá giới hạn {} ký tự. Hãy rút gọn hoặc chia thành nhiều ý kiến.", rules.max_comment_chars),
            format!("The comment has {n} characters, more than the {} allowed. Shorten it or split it.", rules.max_comment_chars),
        ));
    }
    Ok(text)
}

/// Cleans and checks a participant's statement: one short line.
pub fn clean_statement(rules: &Rules, raw: &str) -> Result<String, Msg> {
    let text = text::clean_line(raw);
    if text.is_empty() {
        return Err(Msg::new("Nhận định không được để trống.", "The statement is empty."));
    }
    let n = text.chars().count();
    if n > rules.max_statement_chars {
        return Err(Msg::new(
            format!("Nhận định dài {n} ký tự; hãy viết ngắn gọn trong {} ký tự, mỗi nhận định một ý.", rules.max_statement_chars),
            format!("The statement has {n} characters; keep it within {}, one idea per statement.", rules.max_statement_chars),
        ));
    }
    Ok(text)
}

/// Refuses a comment when the consultation is not open on `today`.
pub fn check_open(today: NaiveDate, opens_on: NaiveDate, closes_on: NaiveDate, synthesised: bool) -> Result<(), Msg> {
    match Phase::on(today, opens_on, closes_on, synthesised) {
        Phase::Open => Ok(()),
        Phase::Upcoming => Err(Msg::new(
            format!("Đợt lấy ý kiến bắt đầu từ ngày {}; chưa nhận góp ý.", opens_on.format("%d/%m/%Y")),
            format!("The consultation opens on {}; comments are not accepted yet.", opens_on.format("%d/%m/%Y")),
        )),
        Phase::Closed | Phase::Synthesised => Err(Msg::new(
            format!("Đợt lấy ý kiến đã kết thúc ngày {}; không nhận thêm góp ý.", closes_on.format("%d/%m/%Y")),
            format!("The consultation closed on {}; no more comments are accepted.", closes_on.format("%d/%m/%Y")),
        )),
    }
}

/// Refuses a participant's comment beyond the daily limit.
pub fn check_daily_limit(rules: &Rules, posted_today: u32) -> Result<(), Msg> {
    if posted_today >= rules.max_comments_per_day {
        return Err(Msg::new(
            format!(
                "Mỗi người được gửi tối đa {} ý kiến mỗi ngày cho một đợt lấy ý kiến. Xin gộp các ý vào một ý kiến hoặc gửi tiếp vào ngày mai.",
                rules.max_comments_per_day
            ),
            format!(
                "Each participant may send at most {} comments a day in one consultation. Merge them or continue tomorrow.",
                rules.max_comments_per_day
            ),
        ));
    }
    Ok(())
}

/// A vote on a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Agree,
    Disagree,
    Pass,
}

impl Stance {
    pub const ALL: [Stance; 3] = [Stance::Agree, Stance::Disagree, Stance::Pass];

    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Agree => "agree",
            Stance::Disagree => "disagree",
            Stance::Pass => "pass",
        }
    }

    pub fn parse(s: &str) -> Option<Stance> {
        Stance::ALL.into_iter().find(|v| v.as_str() == s.trim())
    }

    /// +1, −1, 0 for the opinion-group computation.
    pub fn value(self) -> i8 {
        match self {
            Stance::Agree => 1,
            Stance::Disagree => -1,
            Stance::Pass => 0,
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Stance::Agree => Msg::new("Đồng ý", "Agree"),
            Stance::Disagree => Msg::new("Không đồng ý", "Disagree"),
            Stance::Pass => Msg::new("Bỏ qua / chưa rõ", "Pass / unsure"),
        }
    }
}

/// A participant-written statement waits for moderation before others see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementState {
    Pending,
    Approved,
    Rejected,
}

impl StatementState {
    pub fn as_str(self) -> &'static str {
        match self {
            StatementState::Pending => "pending",
            StatementState::Approved => "approved",
            StatementState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<StatementState> {
        [StatementState::Pending, StatementState::Approved, StatementState::Rejected].into_iter().find(|v| v.as_str() == s.trim())
    }
}

// ---------------------------------------------------------------------------
// Moderation
// ---------------------------------------------------------------------------

/// Why a comment or statement is hidden: a fixed list, so the public page can
/// say how many were hidden and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HideReason {
    /// Xúc phạm, lăng mạ, kích động.
    Offensive,
    /// Lộ thông tin cá nhân của người khác (số định danh, địa chỉ, điện thoại).
    PersonalData,
    /// Quảng cáo, tin rác, gửi lặp lại hàng loạt.
    Spam,
    /// Không liên quan đến nội dung lấy ý kiến.
    OffTopic,
    /// Vi phạm pháp luật, bí mật nhà nước.
    Unlawful,
}

impl HideReason {
    pub const ALL: [HideReason; 5] =
        [HideReason::Offensive, HideReason::PersonalData, HideReason::Spam, HideReason::OffTopic, HideReason::Unlawful];

    pub fn as_str(self) -> &'static str {
        match self {
            HideReason::Offensive => "offensive",
            HideReason::PersonalData => "personal_data",
            HideReason::Spam => "spam",
            HideReason::OffTopic => "off_topic",
            HideReason::Unlawful => "unlawful",
        }
    }

    pub fn parse(s: &str) -> Option<HideReason> {
        HideReason::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        let (vi, en) = match self {
            HideReason::Offensive => ("Ngôn từ xúc phạm, lăng mạ, kích động", "Offensive or abusive language"),
            HideReason::PersonalData => ("Để lộ thông tin cá nhân của người khác", "Exposes someone's personal data"),
            HideReason::Spam => ("Quảng cáo, tin rác hoặc gửi lặp lại hàng loạt", "Advertising, spam or mass repetition"),
            HideReason::OffTopic => ("Không liên quan đến nội dung lấy ý kiến", "Unrelated to the consultation"),
            HideReason::Unlawful => ("Vi phạm pháp luật hoặc chứa bí mật nhà nước", "Unlawful content or state secrets"),
        };
        Msg::new(vi, en)
    }
}

// ---------------------------------------------------------------------------
// Synthesis: tiếp thu, giải trình (R3.5, R3.6)
// ---------------------------------------------------------------------------

/// The answer to an opinion or a group of opinions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
pub enum Response {
    /// Tiếp thu: the draft is changed accordingly (how, optionally).
    Accepted(String),
    /// Giải trình: not taken, with the reason.
    Explained(String),
}

/// Shortest explanation accepted: a reason, not a formality.
pub const MIN_EXPLANATION_CHARS: usize = 15;

impl Response {
    /// Builds a response from a form, checking that an explanation has a
    /// reason (R3.5).
    pub fn from_form(kind: &str, text: &str) -> Result<Response, Msg> {
        let text = text::clean_text(text);
        match kind.trim() {
            "accepted" => Ok(Response::Accepted(text)),
            "explained" => {
                if text.chars().count() < MIN_EXPLANATION_CHARS {
                    Err(Msg::new(
                        "Giải trình phải nêu rõ lý do không tiếp thu ý kiến (ít nhất 15 ký tự).",
                        "An explanation must give the reason the opinion is not taken (at least 15 characters).",
                    ))
                } else {
                    Ok(Response::Explained(text))
                }
            }
            _ => Err(Msg::new("Hãy chọn tiếp thu hoặc giải trình.", "Choose accept or explain.")),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Response::Accepted(_) => "accepted",
            Response::Explained(_) => "explained",
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Response::Accepted(t) | Response::Explained(t) => t,
        }
    }

    pub fn label(&self) -> Msg {
        match self {
            Response::Accepted(_) => Msg::new("Tiếp thu", "Accepted"),
            Response::Explained(_) => Msg::new("Giải trình", "Explained"),
        }
    }
}

/// The majority of the votes cast on a statement, if there is one: strictly
/// more than half of all votes cast (passes count as cast), in integers.
pub fn majority(agree: u64, disagree: u64, pass: u64) -> Option<Stance> {
    let total = agree + disagree + pass;
    if total == 0 {
        None
    } else if 2 * agree > total {
        Some(Stance::Agree)
    } else if 2 * disagree > total {
        Some(Stance::Disagree)
    } else {
        None
    }
}

/// What the synthesis must satisfy before the consultation is closed as
/// synthesised: every opinion answered (R3.5) and every departure from a
/// majority justified (R3.6). `departures_unjustified` counts statements
/// with a majority that the decision does not follow and that lack a
/// written justification.
pub fn check_synthesis(unanswered: u64, departures_unjustified: u64) -> Result<(), Msg> {
    if unanswered > 0 {
        return Err(Msg::new(
            format!("Còn {unanswered} ý kiến (hoặc nhóm ý kiến) chưa được tiếp thu hoặc giải trình; phải trả lời tất cả trước khi công bố (R3.5)."),
            format!("{unanswered} opinions (or groups) have no response yet; answer all of them before publishing (R3.5)."),
        ));
    }
    if departures_unjustified > 0 {
        return Err(Msg::new(
            format!("Có {departures_unjustified} nội dung quyết định khác ý kiến đa số mà chưa giải trình lý do (R3.6)."),
            format!("{departures_unjustified} decisions depart from the majority without a written justification (R3.6)."),
        ));
    }
    Ok(())
}

/// How an author appears in public: the display name they chose, or "a
/// resident of thôn X" — never a citizen ID or the household's name unless
/// they chose to show it.
pub fn public_author(display_name: Option<&str>, village: Option<&str>, eligibility: Eligibility) -> Msg {
    if let Some(name) = display_name.map(text::clean_line).filter(|n| !n.is_empty()) {
        return Msg::new(name.clone(), name);
    }
    match (village, eligibility) {
        (Some(v), _) => Msg::new(format!("Một người dân {v}"), format!("A resident of {v}")),
        (None, Eligibility::Staff) => Msg::new("Một cán bộ, công chức", "A staff member"),
        (None, Eligibility::Workers) => Msg::new("Một người lao động", "A worker"),
        (None, Eligibility::Residents) => Msg::new("Một người dân", "A resident"),
        (None, Eligibility::Anyone) => Msg::new("Một người tham gia", "A participant"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn r3_1_commune_subjects_are_the_nine_of_art_25_plus_the_convention() {
        let all = Subject::all_for(Regime::Commune);
        assert_eq!(all.len(), 10);
        assert_eq!(all[0].code(), "xa-1");
        assert_eq!(all[8].code(), "xa-9");
        assert!(all[9].is_village_convention());
        assert_eq!(all[9].rule_id(), "R6.5");
        assert_eq!(Subject::parse_for(Regime::Commune, " XA-7 ").unwrap().label().vi, "Dự thảo quy chế thực hiện dân chủ ở cơ sở");
        assert!(Subject::new(Regime::Commune, 10).is_none());
        assert!(Subject::new(Regime::Commune, 0).is_none());
    }

    #[test]
    fn r3_9_agency_subjects_include_internal_spending_rules() {
        let all = Subject::all_for(Regime::Agency);
        assert_eq!(all.len(), 9);
        assert!(all.iter().any(|s| s.label().vi == "Dự thảo quy chế chi tiêu nội bộ"));
        assert_eq!(all[0].default_eligibility(), Eligibility::Staff);
        assert_eq!(all[0].rule_id(), "R3.9");
        // A commune subject is refused for an agency.
        assert!(Subject::parse_for(Regime::Agency, "xa-1").is_err());
        assert!(Subject::parse_for(Regime::Agency, "huong-uoc").is_err());
    }

    #[test]
    fn r3_10_enterprise_subjects_are_for_workers() {
        for regime in [Regime::StateEnterprise, Regime::Enterprise] {
            let all = Subject::all_for(regime);
            assert_eq!(all.len(), 7);
            assert_eq!(all[0].default_eligibility(), Eligibility::Workers);
            assert_eq!(all[0].rule_id(), "R3.10");
        }
    }

    #[test]
    fn r3_2_forms_per_regime() {
        let commune = Channel::all_for(Regime::Commune);
        for c in [
            Channel::Dialogue,
            Channel::Meeting,
            Channel::HouseholdBallot,
            Channel::SuggestionBox,
            Channel::Hotline,
            Channel::Front,
            Channel::SocialNetwork,
        ] {
            assert!(commune.contains(&c), "{c:?}");
        }
        assert!(!commune.contains(&Channel::Union));
        let agency = Channel::all_for(Regime::Agency);
        assert!(agency.contains(&Channel::Union) && agency.contains(&Channel::InternalSystem));
        assert!(!agency.contains(&Channel::HouseholdBallot));
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        assert!(!Channel::Online.entered_by_official());
        assert!(Channel::Hotline.entered_by_official());
    }

    #[test]
    fn r3_3_plan_needs_every_part_and_is_sent_to_council_and_front() {
        let plan = Plan::default();
        let errors = plan.validate(Regime::Commune).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["plan_content", "plan_forms", "plan_method", "plan_responsibilities"]);
        let plan = Plan {
            content: "Dự thảo quy chế".into(),
            forms: vec![Channel::Online, Channel::Meeting],
            method: "Đăng tải, họp thôn".into(),
            responsibilities: "Văn phòng UBND".into(),
        };
        assert!(plan.validate(Regime::Commune).is_ok());
        // A union channel is not a commune form.
        let bad = Plan { forms: vec![Channel::Union], ..plan.clone() };
        assert!(bad.validate(Regime::Commune).is_err());
        let recipients: Vec<String> = plan_recipients(Regime::Commune).into_iter().map(|m| m.vi).collect();
        assert!(recipients.iter().any(|r| r.contains("Hội đồng nhân dân")));
        assert!(recipients.iter().any(|r| r.contains("Mặt trận Tổ quốc")));
        assert!(plan_recipients(Regime::Agency)[0].vi.contains("công đoàn"));
    }

    #[test]
    fn r3_4_period_of_at_least_20_days_from_publication() {
        let rules = Rules::default();
        let s = Subject::new(Regime::Commune, 7).unwrap();
        let opens = d("2026-12-01");
        assert_eq!(rules.earliest_close(s, opens, None), d("2026-12-21"));
        assert!(rules.check_period(s, opens, d("2026-12-21"), None).is_ok());
        let err = rules.check_period(s, opens, d("2026-12-20"), None).unwrap_err();
        assert!(err.vi.contains("ít nhất 20 ngày"), "{}", err.vi);
        assert!(err.vi.contains("21/12/2026"), "{}", err.vi);
        // Calendar days, not working days (C0.1): across Tết it stays 20.
        assert_eq!(rules.earliest_close(s, d("2027-02-01"), None), d("2027-02-21"));
    }

    #[test]
    fn r3_4_a_sector_law_may_set_another_period() {
        let rules = Rules::default();
        let s = Subject::new(Regime::Commune, 6).unwrap();
        let opens = d("2026-12-01");
        assert!(rules.check_period(s, opens, d("2027-01-14"), Some(45)).is_err());
        assert!(rules.check_period(s, opens, d("2027-01-15"), Some(45)).is_ok());
        assert!(rules.check_period(s, opens, d("2027-01-15"), Some(30)).is_ok());
    }

    #[test]
    fn r6_5_village_convention_draft_open_at_least_30_days() {
        let rules = Rules::default();
        let s = Subject::village_convention();
        let opens = d("2026-12-01");
        assert!(rules.check_period(s, opens, d("2026-12-30"), None).is_err());
        assert!(rules.check_period(s, opens, d("2026-12-31"), None).is_ok());
        let err = rules.check_period(s, opens, d("2026-12-21"), None).unwrap_err();
        assert!(err.vi.contains("30 ngày") && err.vi.contains("R6.5"), "{}", err.vi);
    }

    #[test]
    fn phases_and_days_left() {
        let (o, c) = (d("2026-12-01"), d("2026-12-21"));
        assert_eq!(Phase::on(d("2026-11-30"), o, c, false), Phase::Upcoming);
        assert_eq!(Phase::on(o, o, c, false), Phase::Open);
        assert_eq!(Phase::on(c, o, c, false), Phase::Open);
        assert_eq!(Phase::on(d("2026-12-22"), o, c, false), Phase::Closed);
        assert_eq!(Phase::on(d("2026-12-22"), o, c, true), Phase::Synthesised);
        assert_eq!(days_left(c, c), 1);
        assert_eq!(days_left_label(c, c).vi, "Hôm nay là ngày cuối góp ý");
        assert_eq!(days_left(d("2026-12-19"), c), 3);
        assert_eq!(days_left_label(d("2026-12-19"), c).vi, "Còn 3 ngày");
        assert_eq!(days_left(d("2026-12-22"), c), 0);
        assert_eq!(reminder_day(&Rules::default(), o, c), Some(d("2026-12-14")));
        assert_eq!(reminder_day(&Rules::default(), o, d("2026-12-05")), None);
    }

    #[test]
    fn comments_after_the_close_or_before_the_opening_are_refused() {
        let (o, c) = (d("2026-12-01"), d("2026-12-21"));
        assert!(check_open(c, o, c, false).is_ok());
        let late = check_open(d("2026-12-22"), o, c, false).unwrap_err();
        assert!(late.vi.contains("đã kết thúc ngày 21/12/2026"));
        assert!(check_open(d("2026-11-30"), o, c, false).is_err());
        assert!(check_open(d("2026-12-10"), o, c, true).is_err());
    }

    #[test]
    fn comments_empty_or_huge_are_refused_at_the_boundary() {
        let rules = Rules::default();
        assert!(clean_comment(&rules, " \n\t ").is_err());
        let max = "ạ".repeat(5_000);
        assert_eq!(clean_comment(&rules, &max).unwrap().chars().count(), 5_000);
        let over = "ạ".repeat(5_001);
        assert!(clean_comment(&rules, &over).unwrap_err().vi.contains("5001 ký tự"));
        // NFC: a decomposed "hoà" is stored composed.
        assert_eq!(clean_comment(&rules, "hoa\u{300}").unwrap(), "hoà");
        assert!(clean_statement(&rules, &"a".repeat(281)).is_err());
        assert!(clean_statement(&rules, &"a".repeat(280)).is_ok());
    }

    #[test]
    fn daily_limit_boundary() {
        let rules = Rules::default();
        assert!(check_daily_limit(&rules, 19).is_ok());
        assert!(check_daily_limit(&rules, 20).is_err());
    }

    #[test]
    fn hide_reasons_are_a_fixed_list() {
        for r in HideReason::ALL {
            assert_eq!(HideReason::parse(r.as_str()), Some(r));
            assert!(!r.label().vi.is_empty());
        }
        assert_eq!(HideReason::parse("i do not like it"), None);
    }

    #[test]
    fn r3_5_an_explanation_needs_a_reason() {
        assert!(Response::from_form("explained", "Không").is_err());
        let r = Response::from_form("explained", "Trái với quy định của Luật Đất đai 2024").unwrap();
        assert_eq!(r.kind(), "explained");
        assert_eq!(Response::from_form("accepted", "").unwrap().kind(), "accepted");
        assert!(Response::from_form("maybe", "x").is_err());
    }

    #[test]
    fn r3_5_synthesis_cannot_close_while_an_opinion_lacks_a_response() {
        let err = check_synthesis(1, 0).unwrap_err();
        assert!(err.vi.contains("Còn 1 ý kiến"));
        assert!(check_synthesis(0, 0).is_ok());
    }

    #[test]
    fn r3_6_departing_from_the_majority_needs_a_justification() {
        assert!(check_synthesis(0, 1).unwrap_err().vi.contains("R3.6"));
        // Strictly more than half of the votes cast.
        assert_eq!(majority(5, 5, 0), None);
        assert_eq!(majority(6, 5, 0), Some(Stance::Agree));
        assert_eq!(majority(5, 4, 1), None);
        assert_eq!(majority(1, 6, 4), Some(Stance::Disagree));
        assert_eq!(majority(0, 0, 0), None);
    }

    #[test]
    fn the_public_never_sees_an_id_only_a_chosen_name_or_the_village() {
        assert_eq!(public_author(None, Some("Thôn Đông"), Eligibility::Residents).vi, "Một người dân Thôn Đông");
        assert_eq!(public_author(Some("  Bà Lan "), Some("Thôn Đông"), Eligibility::Residents).vi, "Bà Lan");
        assert_eq!(public_author(Some(" "), None, Eligibility::Staff).vi, "Một cán bộ, công chức");
    }

    #[test]
    fn stances_round_trip() {
        for s in Stance::ALL {
            assert_eq!(Stance::parse(s.as_str()), Some(s));
        }
        assert_eq!(Stance::Agree.value() + Stance::Disagree.value() + Stance::Pass.value(), 0);
    }
}
