//! Community decisions ("dân quyết", Nhân dân bàn và quyết định): the six
//! subjects households decide (Law Arts. 15–24, D59 Arts. 3–5; spec §2,
//! R2.1–R2.22).
//!
//! The rules here: the subjects (R2.1), who starts a decision (R2.2) and the
//! citizen initiative with its expiring consents (R2.3), the forms allowed per
//! subject (R2.4, R2.5, R2.12, R2.14), the pass thresholds (R2.15) in exact
//! integer arithmetic, the figures the minutes need, commune-wide
//! aggregation, clusters (R2.8), the meeting notice (R2.9), meeting
//! procedure and the fall-back to a household ballot (R2.10–R2.12, R2.20),
//! paper-ballot counting (R2.13), online votes (R2.14), the written decision
//! (R2.16), its clocks (R2.17, R2.18) and annulment (R2.19).
//!
//! Thresholds are computed on the household count of the village on the
//! decision date (C0.4), carried by [`HouseholdBase`]. The attendance of a
//! meeting is another type ([`Attendance`]), so it cannot be passed where the
//! law wants all households; a base from another village or another date is
//! refused ([`HouseholdBase::check_for`]). No floating point is used: shares
//! are [`Fraction`]s compared by cross-multiplication in `u128`, and rendered
//! as percentages by integer division.

use crate::calendar::{Calendar, Period};
use crate::{text, Msg};
use chrono::{Days, Months, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::ops::RangeInclusive;

/// The law cited in refusals: Luật Thực hiện dân chủ ở cơ sở 2022.
const LAW: &str = "Luật Thực hiện dân chủ ở cơ sở";
/// The decree cited in refusals: Nghị định 59/2023/NĐ-CP.
const D59: &str = "Nghị định 59/2023/NĐ-CP";

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

// ---------------------------------------------------------------------------
// Identifiers and the household base (C0.3, C0.4)
// ---------------------------------------------------------------------------

/// A household (hộ gia đình) of the registry: the voting unit (C0.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct HouseholdId(pub i64);

/// A village (thôn, tổ dân phố).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct VillageId(pub i64);

/// The total number of households of a village on a date: the base every
/// "of all households" threshold is computed on (C0.4). It cannot be zero.
/// Build it from the registry's count at the decision date, or from a
/// [`Roster`] (which derives it from the list, so the two cannot disagree).
/// It is serialised for the record but never deserialised: it is only built
/// through [`HouseholdBase::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct HouseholdBase {
    village: VillageId,
    on: NaiveDate,
    households: u64,
}

impl HouseholdBase {
    /// The base of `village` on `on`; refused when the village has no household.
    pub fn new(village: VillageId, on: NaiveDate, households: u64) -> Result<HouseholdBase, Msg> {
        if households == 0 {
            return Err(Msg::new(
                format!("Thôn, tổ dân phố chưa có hộ gia đình nào vào ngày {}; không thể tính tỷ lệ biểu quyết (C0.4).", dmy(on)),
                format!("The village has no household on {}; no share can be computed (C0.4).", dmy(on)),
            ));
        }
        Ok(HouseholdBase { village, on, households })
    }

    pub fn village(&self) -> VillageId {
        self.village
    }

    /// The date the count is taken at.
    pub fn on(&self) -> NaiveDate {
        self.on
    }

    /// The total number of households.
    pub fn households(&self) -> u64 {
        self.households
    }

    /// Refuses a base taken for another village or on another date than the
    /// decision's: a quorum on the wrong base (C0.4, R2.15).
    pub fn check_for(&self, village: VillageId, decision_date: NaiveDate) -> Result<(), Msg> {
        if self.village != village {
            return Err(Msg::new(
                format!(
                    "Số hộ dùng để tính tỷ lệ là của thôn, tổ dân phố khác; tỷ lệ phải tính trên tổng số hộ gia đình của chính thôn, tổ dân phố biểu quyết (khoản 1 Điều 21 {LAW}, C0.4)."
                ),
                "The household count belongs to another village; the share must be computed on the voting village's own households (Law Art. 21(1), C0.4).",
            ));
        }
        if self.on != decision_date {
            return Err(Msg::new(
                format!(
                    "Số hộ dùng để tính tỷ lệ được lấy vào ngày {}, không phải ngày biểu quyết {}; phải dùng tổng số hộ tại ngày biểu quyết (C0.4).",
                    dmy(self.on),
                    dmy(decision_date)
                ),
                format!(
                    "The household count is taken on {}, not on the decision date {}; use the count on the decision date (C0.4).",
                    dmy(self.on),
                    dmy(decision_date)
                ),
            ));
        }
        Ok(())
    }
}

/// The households of a village in force on a date, by id: what ballots and
/// attendance are checked against. Its [`HouseholdBase`] is its length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    base: HouseholdBase,
    households: BTreeSet<HouseholdId>,
}

impl Roster {
    /// The roster of `village` on `on`; refused when empty.
    pub fn new(village: VillageId, on: NaiveDate, households: impl IntoIterator<Item = HouseholdId>) -> Result<Roster, Msg> {
        let households: BTreeSet<HouseholdId> = households.into_iter().collect();
        let base = HouseholdBase::new(village, on, households.len() as u64)?;
        Ok(Roster { base, households })
    }

    pub fn base(&self) -> HouseholdBase {
        self.base
    }

    pub fn contains(&self, household: HouseholdId) -> bool {
        self.households.contains(&household)
    }
}

// ---------------------------------------------------------------------------
// Exact fractions and thresholds (R2.15)
// ---------------------------------------------------------------------------

/// An exact share `num / den`, e.g. 80 of 120 households. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Fraction {
    pub num: u64,
    pub den: u64,
}

impl Fraction {
    pub fn new(num: u64, den: u64) -> Fraction {
        Fraction { num, den }
    }

    /// The share as a percentage with `decimals` decimals, rounded half up by
    /// integer division: 80/120 → "66,67%" (vi) and "66.67%" (en). For
    /// display only: a verdict is always decided on the counts, since two
    /// shares either side of a threshold can round to the same text. An empty
    /// base renders as "—".
    pub fn percent(self, decimals: u32) -> Msg {
        if self.den == 0 {
            return Msg::new("—", "—");
        }
        let scale = 10u128.pow(decimals);
        let (num, den) = (self.num as u128, self.den as u128);
        let scaled = (2 * num * 100 * scale + den) / (2 * den);
        let (int, frac) = (scaled / scale, scaled % scale);
        if decimals == 0 {
            return Msg::new(format!("{int}%"), format!("{int}%"));
        }
        let w = decimals as usize;
        Msg::new(format!("{int},{frac:0w$}%"), format!("{int}.{frac:0w$}%"))
    }

    /// "80/120".
    pub fn ratio(self) -> String {
        format!("{}/{}", self.num, self.den)
    }
}

/// A pass rule as the law writes it: "at least p/q" (ít nhất, từ … trở lên)
/// or "more than p/q" (trên) of a base. Decided in integers:
/// `count·q ≥ p·base` or `count·q > p·base`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Threshold {
    num: u64,
    den: u64,
    strict: bool,
}

impl Threshold {
    /// ≥ 2/3 (R2.15 subjects 1–2; R7.4 quorum).
    pub const TWO_THIRDS: Threshold = Threshold::at_least(2, 3);
    /// > 50 % (R2.15 subjects 3–6; R2.14; R5.5; R6.6; R7.4).
    pub const MORE_THAN_HALF: Threshold = Threshold::more_than(1, 2);
    /// ≥ 50 % (R5.9: households petitioning a dismissal).
    pub const HALF: Threshold = Threshold::at_least(1, 2);
    /// ≥ 10 % (R2.3, R6.3: citizen initiative).
    pub const ONE_TENTH: Threshold = Threshold::at_least(1, 10);
    /// ≥ 1/3 (R7.1, R7.7: staff or workers proposing the agenda).
    pub const ONE_THIRD: Threshold = Threshold::at_least(1, 3);

    /// "At least num/den". `den` must not be zero.
    pub const fn at_least(num: u64, den: u64) -> Threshold {
        assert!(den > 0 && num <= den);
        Threshold { num, den, strict: false }
    }

    /// "More than num/den". `den` must not be zero.
    pub const fn more_than(num: u64, den: u64) -> Threshold {
        assert!(den > 0 && num < den);
        Threshold { num, den, strict: true }
    }

    /// Whether `count` of `base` meets the rule.
    pub fn passes(self, count: u64, base: u64) -> bool {
        let lhs = count as u128 * self.den as u128;
        let rhs = self.num as u128 * base as u128;
        if self.strict {
            lhs > rhs
        } else {
            lhs >= rhs
        }
    }

    /// The smallest count of `base` that meets the rule: `required` passes
    /// and `required − 1` fails. It may exceed `base` (e.g. "more than half"
    /// of 0), in which case the rule cannot be met.
    pub fn required(self, base: u64) -> u64 {
        let p = self.num as u128 * base as u128;
        let q = self.den as u128;
        let r = if self.strict { p / q + 1 } else { p.div_ceil(q) };
        r as u64
    }

    /// "ít nhất 2/3" / "at least 2/3", "trên 50%" / "more than 50%".
    pub fn describe(self) -> Msg {
        let share = if self.den == 100 || (self.den == 2 && self.num == 1) || (self.den == 10 && self.num == 1) {
            Fraction::new(self.num, self.den).percent(0)
        } else {
            Msg::new(format!("{}/{}", self.num, self.den), format!("{}/{}", self.num, self.den))
        };
        if self.strict {
            Msg::new(format!("trên {}", share.vi), format!("more than {}", share.en))
        } else {
            Msg::new(format!("ít nhất {}", share.vi), format!("at least {}", share.en))
        }
    }
}

// ---------------------------------------------------------------------------
// Subjects (R2.1) and scope
// ---------------------------------------------------------------------------

/// What the community decides (Law Art. 15, R2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// (1) Public works funded wholly or partly by the people, and the
    /// contribution levels.
    PublicWorks,
    /// (2) Voluntary contributions outside the law's, and funds and assets
    /// the community manages or receives.
    Contributions,
    /// (3) The content of the village convention (hương ước, quy ước).
    Convention,
    /// (4) Election and dismissal of the village head.
    VillageHead,
    /// (5) Election and dismissal of the inspection and investment
    /// supervision boards' members.
    Boards,
    /// (6) Other lawful self-governing matters.
    Other,
}

impl Subject {
    pub const ALL: [Subject; 6] =
        [Subject::PublicWorks, Subject::Contributions, Subject::Convention, Subject::VillageHead, Subject::Boards, Subject::Other];

    /// The number in Law Art. 15 (1–6).
    pub fn number(self) -> u8 {
        Subject::ALL.iter().position(|s| *s == self).expect("in ALL") as u8 + 1
    }

    pub fn from_number(n: u8) -> Option<Subject> {
        (1..=6).contains(&n).then(|| Subject::ALL[n as usize - 1])
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Subject::PublicWorks => "public_works",
            Subject::Contributions => "contributions",
            Subject::Convention => "convention",
            Subject::VillageHead => "village_head",
            Subject::Boards => "boards",
            Subject::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Subject> {
        Subject::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        let (vi, en) = match self {
            Subject::PublicWorks => (
                "Chủ trương và mức đóng góp xây dựng cơ sở hạ tầng, công trình công cộng do Nhân dân đóng góp toàn bộ hoặc một phần kinh phí",
                "Building infrastructure or public works funded wholly or partly by the people, and the contribution levels",
            ),
            Subject::Contributions => (
                "Việc thu, chi, quản lý các khoản đóng góp tự nguyện ngoài quy định của pháp luật; các khoản kinh phí, tài sản do cộng đồng dân cư quản lý hoặc được tài trợ",
                "Collection, spending and management of voluntary contributions outside those fixed by law, and of funds and assets the community manages or receives",
            ),
            Subject::Convention => ("Nội dung hương ước, quy ước của cộng đồng dân cư", "The content of the village convention (hương ước, quy ước)"),
            Subject::VillageHead => ("Bầu, cho thôi làm Trưởng thôn, Tổ trưởng tổ dân phố", "Election and dismissal of the village head"),
            Subject::Boards => (
                "Bầu, bãi nhiệm thành viên Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng",
                "Election and dismissal of members of the People's Inspection Board and the Community Investment Supervision Board",
            ),
            Subject::Other => (
                "Các công việc tự quản khác trong nội bộ cộng đồng dân cư không trái pháp luật, phù hợp thuần phong mỹ tục",
                "Other lawful self-governing matters consistent with good custom",
            ),
        };
        Msg::new(vi, en)
    }

    /// The village pass rule (R2.15): at least 2/3 of all households for
    /// subjects 1–2, more than half for 3–6.
    pub fn threshold(self) -> Threshold {
        match self {
            Subject::PublicWorks | Subject::Contributions => Threshold::TWO_THIRDS,
            _ => Threshold::MORE_THAN_HALF,
        }
    }

    /// Whether the matter may be organised commune-wide. R2.15 (Law Art.
    /// 21(1)) gives a commune-wide rule for subjects 1 and 2 only; the others
    /// are each village's own (its convention, its head, its boards'
    /// members, its self-governing matters). This is our reading.
    pub fn may_be_commune_wide(self) -> bool {
        matches!(self, Subject::PublicWorks | Subject::Contributions)
    }
}

/// Where a decision is organised (R2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// In one village (thôn, tổ dân phố).
    Village,
    /// Across the whole commune, each village voting.
    Commune,
}

// ---------------------------------------------------------------------------
// Who starts a decision (R2.2) and the citizen initiative (R2.3)
// ---------------------------------------------------------------------------

/// Who proposes a decision (Law Art. 16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Initiator {
    /// The commune People's Committee chair, for commune-wide matters.
    CommuneChair,
    /// The village head, for the village's matters.
    VillageHead,
    /// Citizens of the village (sáng kiến của Nhân dân, R2.3).
    Citizens,
}

/// Checks who starts a decision (R2.2). `agreed_with_front`: the commune
/// chair agreed with the commune Front chair (commune-wide), or the village
/// head with the head of the village Front work committee (village).
pub fn check_initiator(scope: Scope, initiator: Initiator, agreed_with_front: bool) -> Result<(), Msg> {
    match (scope, initiator) {
        (Scope::Commune, Initiator::CommuneChair) | (Scope::Village, Initiator::VillageHead) if !agreed_with_front => Err(Msg::new(
            format!("Nội dung và hình thức phải được thống nhất với Mặt trận Tổ quốc trước khi tổ chức (khoản 1, 2 Điều 16 {LAW}, R2.2)."),
            "The content and form must be agreed with the Fatherland Front first (Law Art. 16(1)(2), R2.2).",
        )),
        (Scope::Commune, Initiator::CommuneChair) | (Scope::Village, Initiator::VillageHead | Initiator::Citizens) => Ok(()),
        (Scope::Commune, _) => Err(Msg::new(
            format!("Nội dung trong phạm vi cấp xã do Chủ tịch Ủy ban nhân dân xã quyết định đưa ra (khoản 1 Điều 16 {LAW}, R2.2)."),
            "A commune-wide matter is put forward by the commune People's Committee chair (Law Art. 16(1), R2.2).",
        )),
        (Scope::Village, Initiator::CommuneChair) => Err(Msg::new(
            format!("Nội dung trong phạm vi thôn, tổ dân phố do Trưởng thôn, Tổ trưởng tổ dân phố đề xuất hoặc theo sáng kiến của Nhân dân (khoản 2, 3 Điều 16 {LAW}, R2.2)."),
            "A village matter is proposed by the village head or by a citizen initiative (Law Art. 16(2)(3), R2.2).",
        )),
    }
}

/// The configurable figures of this module. Every default is the law's;
/// the ones the spec marks unverified say so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// R2.3: a consent is valid for 3 months from the day it was given.
    pub consent_months: u32,
    /// R2.8: villages with at least this many households may meet in clusters.
    pub cluster_min_households: u64,
    /// R2.9, R2.13: notices, documents and the ballot plan's publication at
    /// least this many (calendar) days before.
    pub notice_days: u32,
    /// R2.13: the ballot plan goes to the commune within this period of its
    /// issue ("trong 02 ngày", calendar days).
    pub ballot_plan_send: Period,
    /// R2.17: the decision goes to the commune within 5 working days.
    pub send_period: Period,
    /// R2.18: recognition or refusal within 5 working days of receipt.
    pub recognition_period: Period,
    /// R2.11, R2.13, R2.14: counting committee, ballot team and online team.
    pub team_size: RangeInclusive<usize>,
    /// R2.11, R2.13: household representatives witnessing the count.
    pub witnesses: usize,
    /// R2.11: copies of the count minutes (UBND, UBMTTQ, village archive).
    pub minutes_copies: u32,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            consent_months: 3,
            cluster_min_households: 200,
            notice_days: 2,
            ballot_plan_send: Period::Days(2),
            send_period: Period::WorkingDays(5),
            recognition_period: Period::WorkingDays(5),
            team_size: 3..=5,
            witnesses: 2,
            minutes_copies: 3,
        }
    }
}

/// One household's consent to a citizen initiative (R2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub household: HouseholdId,
    pub given_on: NaiveDate,
}

impl Rules {
    /// The last day a consent given on `given_on` counts: 3 months later, on
    /// the corresponding day (or the month's last day when there is none),
    /// as C0.2 reads the Civil Code for periods in months (C0.2 itself is
    /// unverified). A validity is not a deadline to act, so it is not moved
    /// to a working day.
    pub fn consent_valid_until(&self, given_on: NaiveDate) -> NaiveDate {
        given_on.checked_add_months(Months::new(self.consent_months)).expect("date in range")
    }

    /// Whether the consent still counts on `on` (R2.3).
    pub fn consent_valid_on(&self, consent: &Consent, on: NaiveDate) -> bool {
        consent.given_on <= on && on <= self.consent_valid_until(consent.given_on)
    }
}

/// Where a citizen initiative stands (R2.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InitiativeStatus {
    /// Distinct households of the village with a consent valid on the day.
    pub valid_consents: u64,
    /// Consents no longer (or not yet) valid on the day.
    pub expired_consents: u64,
    /// The households needed: at least 10 % of all households.
    pub required: u64,
    /// Whether the initiative goes to the community.
    pub goes_forward: bool,
    /// True when it goes forward below 10 % on the Front committee's approval.
    pub by_front_approval: bool,
}

/// Counts the consents to a citizen initiative on `on` (R2.3): at least 10 %
/// of the village's households, each consent valid for 3 months, a
/// household counted once; below 10 % it goes forward only with the village
/// Front work committee's approval. A consent from a household that is not
/// in the village is refused: the initiator answers for the list.
pub fn initiative_status(
    rules: &Rules,
    roster: &Roster,
    consents: &[Consent],
    on: NaiveDate,
    front_approved: bool,
) -> Result<InitiativeStatus, Msg> {
    if let Some(c) = consents.iter().find(|c| !roster.contains(c.household)) {
        return Err(Msg::new(
            format!(
                "Danh sách đồng ý có hộ (mã {}) không thuộc thôn, tổ dân phố; người khởi xướng chịu trách nhiệm về tính chính xác của danh sách (khoản 3 Điều 16 {LAW}, R2.3).",
                c.household.0
            ),
            format!(
                "The consent list includes a household ({}) outside the village; the initiator answers for the list (Law Art. 16(3), R2.3).",
                c.household.0
            ),
        ));
    }
    let valid: BTreeSet<HouseholdId> = consents.iter().filter(|c| rules.consent_valid_on(c, on)).map(|c| c.household).collect();
    let expired = consents.iter().filter(|c| !rules.consent_valid_on(c, on)).count() as u64;
    let base = roster.base().households();
    let n = valid.len() as u64;
    let reached = Threshold::ONE_TENTH.passes(n, base);
    Ok(InitiativeStatus {
        valid_consents: n,
        expired_consents: expired,
        required: Threshold::ONE_TENTH.required(base),
        goes_forward: reached || front_approved,
        by_front_approval: !reached && front_approved,
    })
}

// ---------------------------------------------------------------------------
// Convenor (R2.6)
// ---------------------------------------------------------------------------

/// What a meeting is for, as far as its convenor is concerned (R2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingPurpose {
    Ordinary,
    VillageHeadElection,
    VillageHeadDismissal,
}

/// Who convenes and chairs the meeting (R2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Convenor {
    VillageHead,
    /// The election team (Tổ bầu cử).
    ElectionTeam,
    /// The head of the village Front work committee.
    FrontHead,
    /// The commune People's Committee chair.
    CommuneChair,
    /// A Front representative or respected resident appointed by the commune
    /// chair while the village-head post is vacant.
    Appointee,
}

/// The convenor the law requires (Law Art. 18(1); D59 Art. 3(1)).
/// `head_is_front_head`: the village head also heads the Front committee.
pub fn required_convenor(purpose: MeetingPurpose, head_vacant: bool, head_is_front_head: bool) -> Convenor {
    match purpose {
        MeetingPurpose::VillageHeadElection => Convenor::ElectionTeam,
        MeetingPurpose::VillageHeadDismissal if head_is_front_head => Convenor::CommuneChair,
        MeetingPurpose::VillageHeadDismissal => Convenor::FrontHead,
        MeetingPurpose::Ordinary if head_vacant => Convenor::Appointee,
        MeetingPurpose::Ordinary => Convenor::VillageHead,
    }
}

// ---------------------------------------------------------------------------
// Forms (R2.4, R2.5, R2.12, R2.14)
// ---------------------------------------------------------------------------

/// How households decide (Law Art. 17(1), R2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// Cuộc họp của cộng đồng dân cư.
    Meeting,
    /// Phát phiếu lấy ý kiến hộ gia đình.
    HouseholdBallot,
    /// Biểu quyết trực tuyến.
    OnlineVote,
}

impl Form {
    pub const ALL: [Form; 3] = [Form::Meeting, Form::HouseholdBallot, Form::OnlineVote];

    pub fn as_str(self) -> &'static str {
        match self {
            Form::Meeting => "meeting",
            Form::HouseholdBallot => "household_ballot",
            Form::OnlineVote => "online_vote",
        }
    }

    pub fn parse(s: &str) -> Option<Form> {
        Form::ALL.into_iter().find(|f| f.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        match self {
            Form::Meeting => Msg::new("Họp cộng đồng dân cư", "Community meeting"),
            Form::HouseholdBallot => Msg::new("Phát phiếu lấy ý kiến hộ gia đình", "Household ballot"),
            Form::OnlineVote => Msg::new("Biểu quyết trực tuyến", "Online vote"),
        }
    }
}

fn not_commune_wide() -> Msg {
    Msg::new(
        format!("Chỉ nội dung tại khoản 1, 2 Điều 15 {LAW} mới được tổ chức trong phạm vi cấp xã (khoản 1 Điều 21, R2.15)."),
        "Only subjects 1 and 2 may be organised commune-wide (Law Art. 21(1), R2.15).",
    )
}

/// The facts that open the ballot and online forms (R2.5, R2.12, R2.14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FormFacts {
    /// A meeting was held and its attendance could not reach the threshold.
    pub meeting_lacked_attendance: bool,
    /// The village head and the Front work committee agree (for subject 6:
    /// a ballot, or that neither meeting nor ballot is needed for an online vote).
    pub head_and_front_agree: bool,
}

/// Checks the form for a subject (R2.5, R2.12): subjects 3–5 at a meeting,
/// or a household ballot after a meeting without enough attendance; online
/// only for subject 6, in one village, with the head and the Front agreeing
/// (then see [`OnlinePreconditions`]). A commune-wide matter may go to a
/// household ballot when the commune chair chooses it.
pub fn check_form(subject: Subject, scope: Scope, form: Form, facts: FormFacts) -> Result<(), Msg> {
    if scope == Scope::Commune && !subject.may_be_commune_wide() {
        return Err(not_commune_wide());
    }
    match form {
        Form::Meeting => Ok(()),
        Form::HouseholdBallot => {
            let allowed =
                facts.meeting_lacked_attendance || scope == Scope::Commune || (subject == Subject::Other && facts.head_and_front_agree);
            if allowed {
                Ok(())
            } else if matches!(subject, Subject::Convention | Subject::VillageHead | Subject::Boards) {
                Err(Msg::new(
                    format!("Nội dung này phải quyết định tại cuộc họp cộng đồng dân cư; chỉ phát phiếu khi cuộc họp không đủ số hộ tham dự để đạt tỷ lệ biểu quyết (khoản 2 Điều 17, điểm b khoản 1 Điều 19 {LAW}, R2.5)."),
                    "This subject must be decided at a meeting; a ballot is used only when the meeting's attendance cannot reach the threshold (Law Arts. 17(2), 19(1)(b), R2.5).",
                ))
            } else {
                Err(Msg::new(
                    format!("Chỉ phát phiếu lấy ý kiến hộ gia đình khi: Chủ tịch UBND xã quyết định với nội dung cấp xã; cuộc họp không đủ số hộ tham dự; hoặc với nội dung khác, Trưởng thôn quyết định sau khi thống nhất với Ban công tác Mặt trận (khoản 1 Điều 19 {LAW}; khoản 1 Điều 4 {D59}, R2.12)."),
                    "A household ballot is used only when the commune chair chooses it for a commune-wide matter, when a meeting lacked attendance, or for subject 6 when the village head decides it with the Front committee (Law Art. 19(1); D59 Art. 4(1), R2.12).",
                ))
            }
        }
        Form::OnlineVote => {
            if subject != Subject::Other || scope != Scope::Village {
                Err(Msg::new(
                    format!("Biểu quyết trực tuyến chỉ áp dụng cho công việc tự quản khác (khoản 6 Điều 15) trong phạm vi thôn, tổ dân phố (khoản 2 Điều 17 {LAW}; Điều 5 {D59}, R2.5)."),
                    "An online vote is allowed only for subject 6 within one village (Law Art. 17(2); D59 Art. 5, R2.5).",
                ))
            } else if !facts.head_and_front_agree {
                Err(Msg::new(
                    format!("Biểu quyết trực tuyến cần Trưởng thôn và Ban công tác Mặt trận thống nhất là không cần họp hoặc phát phiếu (khoản 1 Điều 5 {D59}, R2.5)."),
                    "An online vote needs the village head and the Front committee to agree that neither a meeting nor a ballot is needed (D59 Art. 5(1), R2.5).",
                ))
            } else {
                Ok(())
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Counts, tally and outcome (R2.15, R2.16)
// ---------------------------------------------------------------------------

/// The counted votes or ballots of one village (or cluster).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    pub agree: u64,
    pub disagree: u64,
    /// "Other opinion" (ý kiến khác), R2.13, R2.14.
    pub other: u64,
    /// Invalid or blank ballots.
    pub invalid: u64,
}

impl Counts {
    /// Households whose vote or ballot was cast (valid or not).
    pub fn voted(&self) -> u64 {
        self.agree + self.disagree + self.other + self.invalid
    }

    fn add(self, o: Counts) -> Counts {
        Counts {
            agree: self.agree + o.agree,
            disagree: self.disagree + o.disagree,
            other: self.other + o.other,
            invalid: self.invalid + o.invalid,
        }
    }
}

/// Counts checked against the household base of the village on the
/// decision date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tally {
    base: HouseholdBase,
    counts: Counts,
}

impl Tally {
    /// Refuses a base of another village or date ([`HouseholdBase::check_for`])
    /// and more votes than households.
    pub fn new(base: &HouseholdBase, village: VillageId, decision_date: NaiveDate, counts: Counts) -> Result<Tally, Msg> {
        base.check_for(village, decision_date)?;
        if counts.voted() > base.households() {
            return Err(Msg::new(
                format!(
                    "Số phiếu ({}) nhiều hơn tổng số hộ gia đình của thôn, tổ dân phố ({}); mỗi hộ chỉ có một phiếu (khoản 2 Điều 18 {LAW}, C0.3).",
                    counts.voted(),
                    base.households()
                ),
                format!(
                    "More votes ({}) than households in the village ({}); each household has one vote (Law Art. 18(2), C0.3).",
                    counts.voted(),
                    base.households()
                ),
            ));
        }
        Ok(Tally { base: *base, counts })
    }

    pub fn base(&self) -> HouseholdBase {
        self.base
    }

    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// The outcome under `threshold` of all households.
    pub fn outcome(&self, threshold: Threshold) -> Outcome {
        let h = self.base.households();
        let c = self.counts;
        Outcome {
            village: self.base.village(),
            date: self.base.on(),
            threshold,
            households: h,
            voted: c.voted(),
            not_voted: h - c.voted(),
            agree: c.agree,
            disagree: c.disagree,
            other: c.other,
            invalid: c.invalid,
            required: threshold.required(h),
            passed: threshold.passes(c.agree, h),
            agree_of_households: Fraction::new(c.agree, h),
            disagree_of_households: Fraction::new(c.disagree, h),
            turnout: Fraction::new(c.voted(), h),
            agree_of_voted: Fraction::new(c.agree, c.voted()),
        }
    }

    /// The outcome under the subject's village rule (R2.15).
    pub fn decide(&self, subject: Subject) -> Outcome {
        self.outcome(subject.threshold())
    }
}

/// The result of a village vote with every figure the minutes need (R2.14,
/// R2.16; Mẫu 02, Mẫu 04).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub village: VillageId,
    /// The decision date the base was taken at.
    pub date: NaiveDate,
    pub threshold: Threshold,
    /// Total households of the village (the base).
    pub households: u64,
    pub voted: u64,
    pub not_voted: u64,
    pub agree: u64,
    pub disagree: u64,
    pub other: u64,
    pub invalid: u64,
    /// The smallest number of agreeing households that passes.
    pub required: u64,
    pub passed: bool,
    pub agree_of_households: Fraction,
    pub disagree_of_households: Fraction,
    pub turnout: Fraction,
    /// Agreeing among those who voted (shown for information; the law's
    /// base is all households).
    pub agree_of_voted: Fraction,
}

impl Outcome {
    /// The result line for the minutes.
    pub fn summary(&self) -> Msg {
        let rule = self.threshold.describe();
        let (verdict_vi, verdict_en) = if self.passed { ("THÔNG QUA", "PASSED") } else { ("KHÔNG THÔNG QUA", "NOT PASSED") };
        let a = self.agree_of_households.percent(2);
        let t = self.turnout.percent(2);
        Msg::new(
            format!(
                "Tổng số hộ: {}; số hộ tham gia: {} ({}); đồng ý: {} ({} tổng số hộ); không đồng ý: {}; ý kiến khác: {}; phiếu không hợp lệ, để trống: {}. Cần {} tổng số hộ, tức ít nhất {} hộ đồng ý: {}.",
                self.households, self.voted, t.vi, self.agree, a.vi, self.disagree, self.other, self.invalid, rule.vi, self.required, verdict_vi
            ),
            format!(
                "Households: {}; voted: {} ({}); agree: {} ({} of all households); disagree: {}; other: {}; invalid or blank: {}. Needs {} of all households, that is at least {} agreeing: {}.",
                self.households, self.voted, t.en, self.agree, a.en, self.disagree, self.other, self.invalid, rule.en, self.required, verdict_en
            ),
        )
    }
}

/// A commune-wide result: villages passing under their own rule (R2.15).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommuneOutcome {
    /// All villages of the commune (the base), reporting or not.
    pub villages: u64,
    pub reported: u64,
    pub passed_villages: u64,
    /// Villages needed: at least 2/3 of all villages.
    pub required: u64,
    pub passed: bool,
    pub share: Fraction,
}

/// Aggregates village outcomes of a commune-wide matter (subjects 1–2,
/// R2.15): passes when at least 2/3 of all the commune's villages pass
/// under the village rule. A village that did not report counts as not
/// passing. Refused: a village outside the commune, a village reported
/// twice, a result on another date, or one decided under another rule.
pub fn commune_outcome(
    subject: Subject,
    commune_villages: &BTreeSet<VillageId>,
    decision_date: NaiveDate,
    results: &[Outcome],
) -> Result<CommuneOutcome, Msg> {
    if !subject.may_be_commune_wide() {
        return Err(not_commune_wide());
    }
    if commune_villages.is_empty() {
        return Err(Msg::new("Xã chưa có thôn, tổ dân phố nào.", "The commune has no village."));
    }
    let mut seen = BTreeSet::new();
    for r in results {
        if !commune_villages.contains(&r.village) {
            return Err(Msg::new(
                format!("Kết quả của thôn (mã {}) không thuộc xã này.", r.village.0),
                format!("The result of village {} does not belong to this commune.", r.village.0),
            ));
        }
        if !seen.insert(r.village) {
            return Err(Msg::new(
                format!("Kết quả của thôn (mã {}) được tổng hợp hai lần; mỗi thôn chỉ tính một lần.", r.village.0),
                format!("Village {} is reported twice; each village counts once.", r.village.0),
            ));
        }
        if r.date != decision_date {
            return Err(Msg::new(
                format!(
                    "Kết quả của thôn (mã {}) tính trên số hộ ngày {}, không phải ngày biểu quyết {} (C0.4).",
                    r.village.0,
                    dmy(r.date),
                    dmy(decision_date)
                ),
                format!(
                    "Village {}'s result uses the count of {}, not the decision date {} (C0.4).",
                    r.village.0,
                    dmy(r.date),
                    dmy(decision_date)
                ),
            ));
        }
        if r.threshold != subject.threshold() {
            return Err(Msg::new(
                format!(
                    "Kết quả của thôn (mã {}) không tính theo tỷ lệ của thôn cho nội dung này (khoản 1 Điều 21 {LAW}, R2.15).",
                    r.village.0
                ),
                format!("Village {}'s result was not decided under the village rule for this subject (R2.15).", r.village.0),
            ));
        }
    }
    let villages = commune_villages.len() as u64;
    let passed_villages = results.iter().filter(|r| r.passed).count() as u64;
    Ok(CommuneOutcome {
        villages,
        reported: results.len() as u64,
        passed_villages,
        required: Threshold::TWO_THIRDS.required(villages),
        passed: Threshold::TWO_THIRDS.passes(passed_villages, villages),
        share: Fraction::new(passed_villages, villages),
    })
}

// ---------------------------------------------------------------------------
// Clusters (R2.8)
// ---------------------------------------------------------------------------

/// Whether a village may meet in clusters (R2.8): 200 households or more,
/// or scattered settlement.
pub fn may_meet_in_clusters(rules: &Rules, households: u64, scattered: bool) -> bool {
    scattered || households >= rules.cluster_min_households
}

/// What a cluster's chair reports to the village head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterReport {
    pub name: String,
    /// Households whose representative attended this cluster's meeting.
    pub present: BTreeSet<HouseholdId>,
    pub counts: Counts,
}

/// Consolidates the clusters of one village (R2.8) into the village's
/// attendance and counts. Refused: a village that may not meet in clusters,
/// a plan without the commune's approval (after the Front's agreement), a
/// household outside the village or attending two clusters, or a cluster
/// with more votes than attendees.
pub fn consolidate_clusters(
    rules: &Rules,
    roster: &Roster,
    scattered: bool,
    plan_approved: bool,
    clusters: &[ClusterReport],
) -> Result<(Attendance, Counts), Msg> {
    if !may_meet_in_clusters(rules, roster.base().households(), scattered) {
        return Err(Msg::new(
            format!(
                "Chỉ thôn, tổ dân phố có từ {} hộ gia đình trở lên hoặc dân cư không tập trung mới được họp theo cụm dân cư (khoản 3 Điều 18 {LAW}, R2.8).",
                rules.cluster_min_households
            ),
            format!("Only villages of {} households or more, or scattered ones, may meet in clusters (Law Art. 18(3), R2.8).", rules.cluster_min_households),
        ));
    }
    if !plan_approved {
        return Err(Msg::new(
            format!("Kế hoạch họp theo cụm dân cư phải được Ủy ban nhân dân xã phê duyệt sau khi thống nhất với Ban công tác Mặt trận (khoản 6 Điều 3 {D59}, R2.8)."),
            "The cluster plan needs the commune's approval after agreement with the Front committee (D59 Art. 3(6), R2.8).",
        ));
    }
    let mut all = BTreeSet::new();
    let mut total = Counts::default();
    for c in clusters {
        if c.counts.voted() > c.present.len() as u64 {
            return Err(Msg::new(
                format!("Cụm {}: số biểu quyết ({}) nhiều hơn số hộ có mặt ({}).", c.name, c.counts.voted(), c.present.len()),
                format!("Cluster {}: more votes ({}) than households present ({}).", c.name, c.counts.voted(), c.present.len()),
            ));
        }
        for h in &c.present {
            if !roster.contains(*h) {
                return Err(not_in_village(*h));
            }
            if !all.insert(*h) {
                return Err(Msg::new(
                    format!("Hộ (mã {}) có mặt ở hai cụm dân cư; mỗi hộ chỉ được tính một lần (C0.3, R2.8).", h.0),
                    format!("Household {} attended two clusters; each household counts once (C0.3, R2.8).", h.0),
                ));
            }
        }
        total = total.add(c.counts);
    }
    Ok((Attendance { base: roster.base(), present: all.len() as u64 }, total))
}

/// The refusal of a household that is not on the village's list on the
/// decision date (C0.3): for ballots, attendance and online votes.
pub fn not_in_village(h: HouseholdId) -> Msg {
    Msg::new(
        format!("Hộ (mã {}) không có trong danh sách hộ gia đình của thôn, tổ dân phố tại ngày biểu quyết; chỉ đại diện hộ gia đình của thôn được biểu quyết (khoản 2 Điều 18 {LAW}, C0.3).", h.0),
        format!("Household {} is not on the village's list on the decision date; only the village's household representatives vote (Law Art. 18(2), C0.3).", h.0),
    )
}

// ---------------------------------------------------------------------------
// The meeting: notice, attendance, procedure, fall-back (R2.9–R2.12, R2.20)
// ---------------------------------------------------------------------------

/// How the notice reached the attendees (D59 Art. 3(3), R2.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeChannel {
    Invitation,
    DirectToHouseholds,
    Loudspeaker,
    Phone,
    /// A social network the community agreed to use.
    SocialNetwork,
}

/// The meeting notice (Mẫu 01) and documents, with their dates (R2.9).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Notice {
    /// The day the notice reached the attendees.
    pub sent_on: Option<NaiveDate>,
    pub channels: Vec<NoticeChannel>,
    /// The day it was posted at the cultural house or community points.
    pub posted_on: Option<NaiveDate>,
    /// Subjects 1–3: the day the documents reached every household.
    pub documents_sent_on: Option<NaiveDate>,
}

impl Rules {
    /// The last day the notice may reach attendees for a meeting on
    /// `meeting_on` (R2.9): "at least 2 days before" in calendar days
    /// (the decree says "ngày", not "ngày làm việc", C0.1), so a notice on
    /// Monday allows a meeting on Wednesday; weekends and holidays count.
    pub fn latest_notice_day(&self, meeting_on: NaiveDate) -> NaiveDate {
        meeting_on - Days::new(self.notice_days as u64)
    }

    /// Checks the notice of a meeting on `meeting_on` (R2.9).
    pub fn check_notice(&self, subject: Subject, meeting_on: NaiveDate, notice: &Notice) -> Result<(), Msg> {
        let latest = self.latest_notice_day(meeting_on);
        let n = self.notice_days;
        let late = |what_vi: &str, what_en: &str, on: NaiveDate| {
            Msg::new(
                format!(
                    "{what_vi} phải đến người dự họp ít nhất {n} ngày trước ngày họp {}, tức chậm nhất ngày {} (đã gửi ngày {}) (khoản 3, 4 Điều 3 {D59}, R2.9).",
                    dmy(meeting_on),
                    dmy(latest),
                    dmy(on)
                ),
                format!(
                    "{what_en} must reach attendees at least {n} days before the meeting on {}, that is by {} (sent on {}) (D59 Art. 3(3)(4), R2.9).",
                    dmy(meeting_on),
                    dmy(latest),
                    dmy(on)
                ),
            )
        };
        let sent = notice.sent_on.ok_or_else(|| {
            Msg::new(
                format!("Chưa gửi thông báo triệu tập cuộc họp (Mẫu 01, khoản 3 Điều 3 {D59}, R2.9)."),
                "The meeting notice (Mẫu 01) was not sent (R2.9).",
            )
        })?;
        if sent > latest {
            return Err(late("Thông báo triệu tập cuộc họp", "The meeting notice", sent));
        }
        if notice.channels.is_empty() {
            return Err(Msg::new(
                "Hãy ghi cách gửi thông báo: giấy mời, thông báo trực tiếp đến hộ, loa truyền thanh, điện thoại hoặc mạng xã hội đã thống nhất (R2.9).",
                "Record how the notice was sent: invitation, direct notice, loudspeaker, phone or the agreed social network (R2.9).",
            ));
        }
        match notice.posted_on {
            None => {
                return Err(Msg::new(
                    "Thông báo phải được niêm yết tại nhà văn hóa hoặc điểm sinh hoạt cộng đồng của thôn (R2.9).",
                    "The notice must also be posted at the cultural house or community points (R2.9).",
                ))
            }
            Some(p) if p > latest => return Err(late("Thông báo niêm yết", "The posted notice", p)),
            Some(_) => {}
        }
        if matches!(subject, Subject::PublicWorks | Subject::Contributions | Subject::Convention) {
            match notice.documents_sent_on {
                None => {
                    return Err(Msg::new(
                        format!("Với nội dung tại khoản 1, 2, 3 Điều 15 {LAW}, tài liệu phải được gửi đến từng hộ gia đình (khoản 4 Điều 3 {D59}, R2.9)."),
                        "For subjects 1–3 the documents must reach every household (D59 Art. 3(4), R2.9).",
                    ))
                }
                Some(d) if d > latest => return Err(late("Tài liệu cuộc họp", "The meeting documents", d)),
                Some(_) => {}
            }
        }
        Ok(())
    }
}

/// Who attended a meeting: distinct households of the village (R2.10).
/// Carries the base, so "of those attending" and "of all households" are
/// never confused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Attendance {
    base: HouseholdBase,
    present: u64,
}

impl Attendance {
    /// Attendance recorded per household; refused for a household outside
    /// the village or recorded twice.
    pub fn record(roster: &Roster, present: &[HouseholdId]) -> Result<Attendance, Msg> {
        let mut seen = BTreeSet::new();
        for h in present {
            if !roster.contains(*h) {
                return Err(not_in_village(*h));
            }
            if !seen.insert(*h) {
                return Err(Msg::new(
                    format!("Hộ (mã {}) được ghi có mặt hai lần; mỗi hộ một đại diện (C0.3).", h.0),
                    format!("Household {} is recorded twice; one representative per household (C0.3).", h.0),
                ));
            }
        }
        Ok(Attendance { base: roster.base(), present: seen.len() as u64 })
    }

    /// Attendance from a count (e.g. from consolidated clusters); refused
    /// above the base.
    pub fn from_count(base: &HouseholdBase, present: u64) -> Result<Attendance, Msg> {
        if present > base.households() {
            return Err(Msg::new(
                format!("Số hộ có mặt ({present}) nhiều hơn tổng số hộ của thôn ({}).", base.households()),
                format!("More households present ({present}) than in the village ({}).", base.households()),
            ));
        }
        Ok(Attendance { base: *base, present })
    }

    pub fn base(&self) -> HouseholdBase {
        self.base
    }

    pub fn present(&self) -> u64 {
        self.present
    }

    /// Households without a representative at the meeting (R2.16).
    pub fn absent(&self) -> u64 {
        self.base.households() - self.present
    }

    /// Whether `votes` of those present is more than half (R2.10, R2.11:
    /// secretary, counting committee, choice of voting method).
    pub fn approves(&self, votes: u64) -> bool {
        votes <= self.present && Threshold::MORE_THAN_HALF.passes(votes, self.present)
    }
}

/// Checks the election of the secretary by show of hands: more than half of
/// the household representatives present (R2.10).
pub fn check_secretary(attendance: &Attendance, votes_for: u64) -> Result<(), Msg> {
    if attendance.approves(votes_for) {
        return Ok(());
    }
    Err(Msg::new(
        format!(
            "Thư ký cuộc họp cần trên 50% đại diện hộ gia đình dự họp tán thành: {votes_for}/{} chưa đủ, cần ít nhất {} (điểm a khoản 5 Điều 3 {D59}, R2.10).",
            attendance.present(),
            Threshold::MORE_THAN_HALF.required(attendance.present())
        ),
        format!(
            "The secretary needs more than half of the representatives present: {votes_for}/{} is not enough, at least {} (D59 Art. 3(5)(a), R2.10).",
            attendance.present(),
            Threshold::MORE_THAN_HALF.required(attendance.present())
        ),
    ))
}

/// How a meeting votes, as it decides (R2.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VotingMethod {
    ShowOfHands,
    SecretBallot,
}

impl Rules {
    /// Checks a team's size (R2.11 counting committee, R2.13 ballot team,
    /// R2.14 online team): 3 to 5 people.
    pub fn check_team_size(&self, members: usize, rule: &str) -> Result<(), Msg> {
        if self.team_size.contains(&members) {
            return Ok(());
        }
        let (lo, hi) = (self.team_size.start(), self.team_size.end());
        Err(Msg::new(
            format!("Tổ (ban) phải có từ {lo} đến {hi} người; hiện có {members} ({rule})."),
            format!("The team must have {lo} to {hi} members; it has {members} ({rule})."),
        ))
    }

    /// Checks the secret-ballot counting committee (R2.11): 3–5 people
    /// approved by more than half of those present, and 2 household
    /// representatives witnessing the count.
    pub fn check_counting_committee(&self, attendance: &Attendance, members: usize, approvals: u64, witnesses: usize) -> Result<(), Msg> {
        self.check_team_size(members, "Ban kiểm phiếu, điểm c khoản 5 Điều 3 Nghị định 59/2023/NĐ-CP, R2.11")?;
        if !attendance.approves(approvals) {
            return Err(Msg::new(
                format!(
                    "Ban kiểm phiếu cần trên 50% đại diện hộ dự họp tán thành: {approvals}/{} chưa đủ (điểm c khoản 5 Điều 3 {D59}, R2.11).",
                    attendance.present()
                ),
                format!("The counting committee needs more than half of those present: {approvals}/{} (R2.11).", attendance.present()),
            ));
        }
        self.check_witnesses(witnesses, "R2.11")
    }

    /// Two household representatives witness a count (R2.11, R2.13).
    pub fn check_witnesses(&self, witnesses: usize, rule: &str) -> Result<(), Msg> {
        if witnesses >= self.witnesses {
            return Ok(());
        }
        Err(Msg::new(
            format!("Việc kiểm phiếu phải có {} đại diện hộ gia đình chứng kiến; hiện có {witnesses} ({rule}).", self.witnesses),
            format!("{} household representatives must witness the count; there are {witnesses} ({rule}).", self.witnesses),
        ))
    }
}

/// What follows a meeting's attendance for a subject (R2.12, R2.20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MeetingCheck {
    /// Enough households attend for the threshold to be reachable.
    CanDecide,
    /// Even if every attendee agreed the threshold could not be met: the
    /// decision falls back to a household ballot (Law Art. 19(1)(b)).
    FallBackToBallot { present: u64, required: u64 },
}

/// Whether a meeting can decide `subject`, given its attendance: the rule
/// is on all households, so a meeting whose attendees are fewer than the
/// required number cannot pass anything and falls back to a household
/// ballot (R2.12, R2.20; R5.5 for the village head).
pub fn meeting_check(subject: Subject, attendance: &Attendance) -> MeetingCheck {
    let required = subject.threshold().required(attendance.base().households());
    if attendance.present() >= required {
        MeetingCheck::CanDecide
    } else {
        MeetingCheck::FallBackToBallot { present: attendance.present(), required }
    }
}

/// The refusal shown when a meeting that cannot reach the threshold tries
/// to decide: it must fall back to a household ballot.
pub fn fall_back_reason(present: u64, required: u64) -> Msg {
    Msg::new(
        format!(
            "Cuộc họp chỉ có {present} hộ tham dự, ít hơn {required} hộ cần để đạt tỷ lệ biểu quyết trên tổng số hộ; phải chuyển sang phát phiếu lấy ý kiến hộ gia đình (điểm b khoản 1 Điều 19 {LAW}, R2.12, R2.20)."
        ),
        format!(
            "Only {present} households attend, fewer than the {required} needed for the threshold on all households; the decision falls back to a household ballot (Law Art. 19(1)(b), R2.12, R2.20)."
        ),
    )
}

// ---------------------------------------------------------------------------
// Household ballots on paper (R2.13)
// ---------------------------------------------------------------------------

/// What a returned ballot says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    Agree,
    Disagree,
    Other,
    /// Invalid or blank.
    Invalid,
}

/// A returned paper ballot, as entered by the counting team. `serial` is the
/// ballot's printed number (its QR code), which identifies the ballot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperBallot {
    pub serial: String,
    pub village: VillageId,
    pub household: HouseholdId,
    pub choice: Choice,
}

/// Counts the returned ballots of one village (R2.13). Every ballot is
/// refused with its reason when: there are more ballots than households;
/// it belongs to another village; its household is not on the village's
/// list on the decision date; the same ballot is entered twice; or a
/// household returns two ballots (one ballot per household).
pub fn count_paper_ballots(roster: &Roster, ballots: &[PaperBallot]) -> Result<Counts, Msg> {
    let base = roster.base();
    if ballots.len() as u64 > base.households() {
        return Err(Msg::new(
            format!(
                "Số phiếu thu về ({}) nhiều hơn tổng số hộ gia đình của thôn, tổ dân phố ({}); mỗi hộ chỉ được phát một phiếu (khoản 2 Điều 4 {D59}, R2.13).",
                ballots.len(),
                base.households()
            ),
            format!("More ballots ({}) than households in the village ({}); one ballot per household (D59 Art. 4(2), R2.13).", ballots.len(), base.households()),
        ));
    }
    let mut serials = BTreeSet::new();
    let mut households = BTreeSet::new();
    let mut counts = Counts::default();
    for b in ballots {
        if b.village != base.village() {
            return Err(Msg::new(
                format!("Phiếu số {} là phiếu của thôn, tổ dân phố khác; không được tính vào kết quả của thôn này (R2.13).", b.serial),
                format!("Ballot {} belongs to another village and cannot be counted here (R2.13).", b.serial),
            ));
        }
        if !roster.contains(b.household) {
            return Err(not_in_village(b.household));
        }
        if !serials.insert(b.serial.as_str()) {
            return Err(Msg::new(
                format!("Phiếu số {} đã được kiểm; mỗi phiếu chỉ được tính một lần (R2.13).", b.serial),
                format!("Ballot {} was already counted; each ballot counts once (R2.13).", b.serial),
            ));
        }
        if !households.insert(b.household) {
            return Err(Msg::new(
                format!("Hộ (mã {}) đã có phiếu được kiểm; mỗi hộ gia đình chỉ một phiếu (khoản 2 Điều 4 {D59}, R2.13).", b.household.0),
                format!("Household {} already has a counted ballot; one ballot per household (D59 Art. 4(2), R2.13).", b.household.0),
            ));
        }
        match b.choice {
            Choice::Agree => counts.agree += 1,
            Choice::Disagree => counts.disagree += 1,
            Choice::Other => counts.other += 1,
            Choice::Invalid => counts.invalid += 1,
        }
    }
    Ok(counts)
}

/// Where the ballot is authenticated (R2.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BallotMark {
    /// The commune People's Committee stamp, top left (commune-wide).
    CommuneStamp,
    /// The village head's signature, bottom right (village scope).
    VillageHeadSignature,
}

/// The printed household ballot (R2.13).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BallotTemplate {
    pub title: String,
    pub question: String,
    pub options_and_instructions: String,
    pub has_other_opinion_field: bool,
    pub return_by: Option<NaiveDate>,
    pub mark: Option<BallotMark>,
}

impl BallotTemplate {
    /// Every field R2.13 lists, and the mark the scope requires.
    pub fn validate(&self, scope: Scope) -> Result<(), Vec<(&'static str, Msg)>> {
        let mut e = Vec::new();
        let missing = |vi: &str, en: &str| {
            Msg::new(format!("Phiếu lấy ý kiến phải có {vi} (khoản 3 Điều 4 {D59}, R2.13)."), format!("The ballot must show {en} (R2.13)."))
        };
        if text::clean_line(&self.title).is_empty() {
            e.push(("title", missing("tiêu đề", "a title")));
        }
        if text::clean_text(&self.question).is_empty() {
            e.push(("question", missing("nội dung lấy ý kiến", "the question")));
        }
        if text::clean_text(&self.options_and_instructions).is_empty() {
            e.push(("options", missing("các phương án và hướng dẫn ghi phiếu", "the options and instructions")));
        }
        if !self.has_other_opinion_field {
            e.push(("other_opinion", missing("mục ý kiến khác", "an \"other opinion\" field")));
        }
        if self.return_by.is_none() {
            e.push(("return_by", missing("thời hạn nộp lại phiếu", "the return deadline")));
        }
        let want = match scope {
            Scope::Commune => BallotMark::CommuneStamp,
            Scope::Village => BallotMark::VillageHeadSignature,
        };
        if self.mark != Some(want) {
            e.push((
                "mark",
                match want {
                    BallotMark::CommuneStamp => missing("dấu của Ủy ban nhân dân xã ở góc trên bên trái", "the commune stamp, top left"),
                    BallotMark::VillageHeadSignature => {
                        missing("chữ ký của Trưởng thôn ở góc dưới bên phải", "the village head's signature, bottom right")
                    }
                },
            ));
        }
        if e.is_empty() {
            Ok(())
        } else {
            Err(e)
        }
    }
}

impl Rules {
    /// The last day the ballot plan reaches the commune chair and the
    /// commune Front chair: 2 (calendar) days after its issue, moved to the
    /// next working day (C0.2) (R2.13).
    pub fn ballot_plan_due(&self, cal: &Calendar, issued_on: NaiveDate) -> NaiveDate {
        cal.deadline(issued_on, self.ballot_plan_send)
    }

    /// Checks the ballot procedure's dates and team (R2.13): plan sent in
    /// time; content, timing and team published at least 2 days before
    /// distribution; a team of 3–5 led by the Front representative.
    pub fn check_ballot_plan(&self, cal: &Calendar, plan: &BallotPlan) -> Result<(), Msg> {
        let due = self.ballot_plan_due(cal, plan.issued_on);
        match plan.sent_to_commune_on {
            Some(s) if s <= due => {}
            _ => {
                return Err(Msg::new(
                    format!(
                        "Kế hoạch phát phiếu phải gửi Chủ tịch UBND xã và Chủ tịch UBMTTQ xã trong 02 ngày kể từ ngày ban hành, tức chậm nhất ngày {} (khoản 2 Điều 4 {D59}, R2.13).",
                        dmy(due)
                    ),
                    format!("The ballot plan must reach the commune chair and the commune Front chair within 2 days of issue, by {} (R2.13).", dmy(due)),
                ))
            }
        }
        let latest = plan.distribution_on - Days::new(self.notice_days as u64);
        if plan.published_on > latest {
            return Err(Msg::new(
                format!(
                    "Nội dung, thời gian phát phiếu và thành phần Tổ phát phiếu phải công khai ít nhất {} ngày trước ngày phát phiếu {}, tức chậm nhất ngày {} (R2.13).",
                    self.notice_days,
                    dmy(plan.distribution_on),
                    dmy(latest)
                ),
                format!(
                    "The content, timing and team must be published at least {} days before distribution on {}, by {} (R2.13).",
                    self.notice_days,
                    dmy(plan.distribution_on),
                    dmy(latest)
                ),
            ));
        }
        if plan.return_by < plan.distribution_on {
            return Err(Msg::new(
                "Thời hạn nộp phiếu không được trước ngày phát phiếu.",
                "The return deadline cannot precede distribution.",
            ));
        }
        self.check_team_size(plan.team_members, "Tổ phát phiếu, R2.13")?;
        if !plan.team_led_by_front {
            return Err(Msg::new(
                "Tổ phát phiếu do đại diện Ban công tác Mặt trận làm tổ trưởng (R2.13).",
                "The ballot team is led by the Front work committee's representative (R2.13).",
            ));
        }
        Ok(())
    }
}

/// The household-ballot plan's facts (R2.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotPlan {
    pub issued_on: NaiveDate,
    pub sent_to_commune_on: Option<NaiveDate>,
    pub published_on: NaiveDate,
    pub distribution_on: NaiveDate,
    pub return_by: NaiveDate,
    pub team_members: usize,
    pub team_led_by_front: bool,
}

// ---------------------------------------------------------------------------
// Online votes (R2.14)
// ---------------------------------------------------------------------------

/// The preconditions of an online vote (D59 Art. 5, R2.14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OnlinePreconditions {
    /// Households have connected devices.
    pub households_connected: bool,
    /// The village head and the Front reported to the commune UBND and
    /// UBMTTQ before starting.
    pub reported_to_commune: bool,
    pub team_members: usize,
    pub team_led_by_front: bool,
    pub team_has_it_skills: bool,
}

impl Rules {
    /// Checks the preconditions of an online vote (R2.14); the subject and
    /// agreement are checked by [`check_form`].
    pub fn check_online_preconditions(&self, p: &OnlinePreconditions) -> Result<(), Msg> {
        if !p.households_connected {
            return Err(Msg::new(
                format!("Chỉ biểu quyết trực tuyến khi các hộ gia đình có thiết bị kết nối mạng (khoản 1 Điều 5 {D59}, R2.14)."),
                "An online vote needs households with connected devices (D59 Art. 5(1), R2.14).",
            ));
        }
        if !p.reported_to_commune {
            return Err(Msg::new(
                "Trưởng thôn và Ban công tác Mặt trận phải báo cáo UBND xã và UBMTTQ xã trước khi tổ chức biểu quyết trực tuyến (R2.14).",
                "The village head and the Front must report to the commune UBND and UBMTTQ before the online vote (R2.14).",
            ));
        }
        self.check_team_size(p.team_members, "Tổ biểu quyết trực tuyến, R2.14")?;
        if !p.team_led_by_front || !p.team_has_it_skills {
            return Err(Msg::new(
                "Tổ biểu quyết trực tuyến do đại diện Ban công tác Mặt trận làm tổ trưởng và có người am hiểu công nghệ thông tin (R2.14).",
                "The online team is led by the Front's representative and includes someone skilled in IT (R2.14).",
            ));
        }
        Ok(())
    }
}

/// The preliminary poll on voting online (R2.14): it goes ahead only if
/// more than half of ALL households agree — not of those who answered.
pub fn online_poll(base: &HouseholdBase, village: VillageId, poll_date: NaiveDate, agree_to_vote_online: u64) -> Result<Outcome, Msg> {
    let tally = Tally::new(base, village, poll_date, Counts { agree: agree_to_vote_online, ..Counts::default() })?;
    Ok(tally.outcome(Threshold::MORE_THAN_HALF))
}

/// Refuses a vote outside its window (R2.14; "a vote after closing"):
/// accepted from `opens` inclusive to `closes` exclusive.
pub fn check_vote_time(at: NaiveDateTime, opens: NaiveDateTime, closes: NaiveDateTime) -> Result<(), Msg> {
    let fmt = |t: NaiveDateTime| t.format("%H:%M ngày %d/%m/%Y").to_string();
    let fmt_en = |t: NaiveDateTime| t.format("%H:%M on %d/%m/%Y").to_string();
    if at < opens {
        return Err(Msg::new(
            format!("Biểu quyết bắt đầu lúc {}; chưa nhận phiếu.", fmt(opens)),
            format!("The vote opens at {}.", fmt_en(opens)),
        ));
    }
    if at >= closes {
        return Err(Msg::new(
            format!("Biểu quyết đã kết thúc lúc {}; phiếu gửi sau thời điểm kết thúc không được tính (R2.14).", fmt(closes)),
            format!("The vote closed at {}; a vote after closing is not counted (R2.14).", fmt_en(closes)),
        ));
    }
    Ok(())
}

/// Refuses a second vote of a household (C0.3): a retry of the same
/// submission is answered with the first one by the caller, never counted.
pub fn check_first_vote(already_voted: bool) -> Result<(), Msg> {
    if already_voted {
        return Err(Msg::new(
            format!("Hộ gia đình đã biểu quyết; mỗi hộ chỉ có một phiếu biểu quyết (khoản 2 Điều 18 {LAW}, C0.3)."),
            "This household has already voted; one vote per household (Law Art. 18(2), C0.3).",
        ));
    }
    Ok(())
}

/// The online vote's minutes (D59 Art. 5(4), R2.14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnlineMinutes {
    pub started_at: NaiveDateTime,
    pub ended_at: NaiveDateTime,
    /// Households that took part (the published participant list).
    pub participants: Vec<HouseholdId>,
    pub counts: Counts,
    /// The stored screenshot (or frozen evidence) of the result.
    pub screenshot: Option<String>,
}

impl OnlineMinutes {
    /// Start before end; one participant per household; the counts equal the
    /// participants; the screenshot present.
    pub fn validate(&self) -> Result<(), Msg> {
        if self.ended_at <= self.started_at {
            return Err(Msg::new("Thời điểm kết thúc phải sau thời điểm bắt đầu (R2.14).", "The end must follow the start (R2.14)."));
        }
        let distinct: BTreeSet<_> = self.participants.iter().collect();
        if distinct.len() != self.participants.len() {
            return Err(Msg::new("Danh sách hộ tham gia có hộ bị lặp (C0.3).", "The participant list repeats a household (C0.3)."));
        }
        if self.counts.voted() != self.participants.len() as u64 {
            return Err(Msg::new(
                format!(
                    "Tổng số phiếu ({}) phải bằng số hộ tham gia ({}) trong biên bản (khoản 4 Điều 5 {D59}, R2.14).",
                    self.counts.voted(),
                    self.participants.len()
                ),
                format!(
                    "The votes ({}) must equal the participating households ({}) (R2.14).",
                    self.counts.voted(),
                    self.participants.len()
                ),
            ));
        }
        if self.screenshot.as_deref().map(str::trim).unwrap_or("").is_empty() {
            return Err(Msg::new(
                "Biên bản phải kèm ảnh chụp màn hình kết quả biểu quyết (R2.14).",
                "The minutes need a screenshot of the result (R2.14).",
            ));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// The written decision (R2.16) and its clocks (R2.17, R2.18)
// ---------------------------------------------------------------------------

/// The kind of the written decision (Law Art. 20(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Resolution,
    Minutes,
    Memorandum,
    Agreement,
}

impl DocumentKind {
    pub fn label(self) -> Msg {
        match self {
            DocumentKind::Resolution => Msg::new("Nghị quyết", "Resolution"),
            DocumentKind::Minutes => Msg::new("Biên bản", "Minutes"),
            DocumentKind::Memorandum => Msg::new("Bản ghi nhớ", "Memorandum"),
            DocumentKind::Agreement => Msg::new("Bản thỏa thuận", "Agreement"),
        }
    }
}

/// The community decision in writing, with every mandatory field (R2.16).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WrittenDecision {
    pub kind: DocumentKind,
    pub date: NaiveDate,
    pub subject: Subject,
    pub form: Form,
    pub total_households: u64,
    pub representatives_present: u64,
    pub households_without_representative: u64,
    pub outcome: Outcome,
    pub content: String,
    pub village_head_signed: bool,
    pub front_head_signed: bool,
    /// The household representatives who signed (at least 2).
    pub household_signatories: Vec<HouseholdId>,
}

impl WrittenDecision {
    /// Every R2.16 field, consistent with the outcome.
    pub fn validate(&self) -> Result<(), Vec<(&'static str, Msg)>> {
        let mut e = Vec::new();
        let cite = format!("khoản 2 Điều 20 {LAW}, R2.16");
        if self.total_households != self.outcome.households {
            e.push((
                "total_households",
                Msg::new(
                    format!(
                        "Tổng số hộ ({}) khác số hộ dùng để tính kết quả ({}) ({cite}).",
                        self.total_households, self.outcome.households
                    ),
                    format!(
                        "The total households ({}) differ from the result's base ({}) (R2.16).",
                        self.total_households, self.outcome.households
                    ),
                ),
            ));
        }
        if self.representatives_present + self.households_without_representative != self.total_households {
            e.push((
                "representatives_present",
                Msg::new(
                    format!("Số đại diện hộ tham dự cộng số hộ không có đại diện phải bằng tổng số hộ ({cite})."),
                    "Representatives present plus households without one must equal the total (R2.16).",
                ),
            ));
        }
        if self.date != self.outcome.date {
            e.push((
                "date",
                Msg::new(
                    format!("Ngày của văn bản khác ngày biểu quyết ({cite})."),
                    "The document's date differs from the vote's (R2.16).",
                ),
            ));
        }
        if self.subject.threshold() != self.outcome.threshold {
            e.push((
                "subject",
                Msg::new(
                    format!("Kết quả không tính theo tỷ lệ của nội dung này ({cite}, R2.15)."),
                    "The result was not decided under this subject's rule (R2.15).",
                ),
            ));
        }
        if text::clean_text(&self.content).is_empty() {
            e.push(("content", Msg::new(format!("Hãy ghi nội dung quyết định ({cite})."), "Write the decision's content (R2.16).")));
        }
        if !self.village_head_signed {
            e.push((
                "village_head",
                Msg::new(
                    format!("Thiếu chữ ký của Trưởng thôn, Tổ trưởng tổ dân phố ({cite})."),
                    "The village head's signature is missing (R2.16).",
                ),
            ));
        }
        if !self.front_head_signed {
            e.push((
                "front_head",
                Msg::new(
                    format!("Thiếu chữ ký của Trưởng ban công tác Mặt trận ({cite})."),
                    "The Front work committee head's signature is missing (R2.16).",
                ),
            ));
        }
        let signers: BTreeSet<_> = self.household_signatories.iter().collect();
        if signers.len() < 2 {
            e.push((
                "household_signatories",
                Msg::new(format!("Cần chữ ký của 02 đại diện hộ gia đình ({cite})."), "Two household representatives must sign (R2.16)."),
            ));
        }
        if e.is_empty() {
            Ok(())
        } else {
            Err(e)
        }
    }
}

/// A statutory clock: started on an event, due after a period (C0.1, C0.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub started: NaiveDate,
    pub period: Period,
}

/// Where a clock stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ClockState {
    Running { due: NaiveDate },
    Overdue { due: NaiveDate },
    DoneOnTime { due: NaiveDate, done: NaiveDate },
    DoneLate { due: NaiveDate, done: NaiveDate },
}

impl Clock {
    pub fn new(started: NaiveDate, period: Period) -> Clock {
        Clock { started, period }
    }

    pub fn due(&self, cal: &Calendar) -> NaiveDate {
        cal.deadline(self.started, self.period)
    }

    /// The state on `today`, given the day the act was done, if done.
    pub fn state(&self, cal: &Calendar, today: NaiveDate, done: Option<NaiveDate>) -> ClockState {
        let due = self.due(cal);
        match done {
            Some(done) if done <= due => ClockState::DoneOnTime { due, done },
            Some(done) => ClockState::DoneLate { due, done },
            None if today <= due => ClockState::Running { due },
            None => ClockState::Overdue { due },
        }
    }
}

impl Rules {
    /// R2.17: the decision goes to the commune UBND and UBMTTQ within 5
    /// working days after the meeting, or after the ballot or online-vote
    /// period closes.
    pub fn sending_clock(&self, closed_on: NaiveDate) -> Clock {
        Clock::new(closed_on, self.send_period)
    }

    /// Refuses recording a sending after the R2.17 deadline without saying so.
    pub fn check_sent(&self, cal: &Calendar, closed_on: NaiveDate, sent_on: NaiveDate) -> Result<(), Msg> {
        if sent_on < closed_on {
            return Err(Msg::new(
                "Ngày gửi không được trước ngày kết thúc biểu quyết.",
                "The sending cannot precede the close of the vote.",
            ));
        }
        let due = self.sending_clock(closed_on).due(cal);
        if sent_on > due {
            return Err(Msg::new(
                format!(
                    "Văn bản phải gửi UBND xã và UBMTTQ xã trong 05 ngày làm việc kể từ ngày kết thúc biểu quyết {}, tức chậm nhất ngày {} (khoản 3 Điều 20 {LAW}, R2.17).",
                    dmy(closed_on),
                    dmy(due)
                ),
                format!("The decision must reach the commune within 5 working days after {}, by {} (Law Art. 20(3), R2.17).", dmy(closed_on), dmy(due)),
            ));
        }
        Ok(())
    }

    /// R2.18: recognition or written refusal within 5 working days of receipt.
    pub fn recognition_clock(&self, received_on: NaiveDate) -> Clock {
        Clock::new(received_on, self.recognition_period)
    }
}

/// When a decision takes effect, and who recognises it (R2.18).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EntryIntoForce {
    /// On the vote date (subjects 1, 2 and 6 at village scope).
    OnVoteDate,
    /// On the date the commune UBND sets after aggregating (1–2 commune-wide).
    OnDateSetByCommune,
    /// From the commune People's Committee's recognition (subjects 3–4).
    OnCommuneRecognition,
    /// From the commune Front committee's recognition (subject 5).
    OnFrontRecognition,
}

pub fn entry_into_force(subject: Subject, scope: Scope) -> EntryIntoForce {
    match (subject, scope) {
        (Subject::PublicWorks | Subject::Contributions, Scope::Commune) => EntryIntoForce::OnDateSetByCommune,
        (Subject::Convention | Subject::VillageHead, _) => EntryIntoForce::OnCommuneRecognition,
        (Subject::Boards, _) => EntryIntoForce::OnFrontRecognition,
        _ => EntryIntoForce::OnVoteDate,
    }
}

/// The recognising body's answer (R2.18): recognised, or refused in writing
/// with reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recognition {
    Recognised,
    Refused { reasons: String },
}

impl Recognition {
    /// A refusal needs its reasons in writing.
    pub fn refused(reasons: &str) -> Result<Recognition, Msg> {
        let reasons = text::clean_text(reasons);
        if reasons.chars().count() < 15 {
            return Err(Msg::new(
                format!("Từ chối công nhận phải bằng văn bản và nêu rõ lý do (khoản 2 Điều 21 {LAW}, R2.18)."),
                "A refusal must be in writing with its reasons (Law Art. 21(2), R2.18).",
            ));
        }
        Ok(Recognition::Refused { reasons })
    }
}

// ---------------------------------------------------------------------------
// Annulment and redo (R2.19, R2.20)
// ---------------------------------------------------------------------------

/// Why a decision is changed or annulled (Law Art. 22).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnulmentGround {
    /// Trái pháp luật, trái đạo đức xã hội.
    Unlawful,
    /// Không đúng trình tự, thủ tục.
    ProcedureNotFollowed,
    /// The community wishes to change it.
    CommunityWishes,
}

/// What is done about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Remedy {
    /// The commune UBND annuls the decision.
    Annul,
    /// The commune UBND asks the community to amend (redo).
    RequestAmendment,
    /// The community amends it through the same procedure (Arts. 18–21).
    CommunityAmends,
}

/// Checks a remedy against its ground (R2.19): an unlawful decision is
/// annulled; a procedural defect is annulled or sent back for a redo; a
/// change the community wishes goes through the same procedure again.
pub fn check_remedy(ground: AnnulmentGround, remedy: Remedy) -> Result<(), Msg> {
    let ok = matches!(
        (ground, remedy),
        (AnnulmentGround::Unlawful, Remedy::Annul)
            | (AnnulmentGround::ProcedureNotFollowed, Remedy::Annul | Remedy::RequestAmendment)
            | (AnnulmentGround::CommunityWishes, Remedy::CommunityAmends)
    );
    if ok {
        return Ok(());
    }
    Err(match ground {
        AnnulmentGround::Unlawful => Msg::new(
            format!("Quyết định trái pháp luật, đạo đức xã hội phải bị Ủy ban nhân dân xã bãi bỏ (Điều 22 {LAW}, R2.19)."),
            "An unlawful or immoral decision is annulled by the commune UBND (Law Art. 22, R2.19).",
        ),
        AnnulmentGround::ProcedureNotFollowed => Msg::new(
            format!("Quyết định không đúng trình tự, thủ tục thì UBND xã bãi bỏ hoặc yêu cầu cộng đồng dân cư thực hiện lại (Điều 22 {LAW}, R2.19)."),
            "A procedural defect is annulled or sent back for a redo by the commune UBND (Law Art. 22, R2.19).",
        ),
        AnnulmentGround::CommunityWishes => Msg::new(
            format!("Cộng đồng muốn thay đổi thì sửa đổi theo trình tự của Điều 18 đến Điều 21 {LAW} (R2.19)."),
            "A change the community wishes follows the same procedure as the decision (Law Arts. 18–21, R2.19).",
        ),
    })
}

/// Why a decision is done again (R2.20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Redo {
    /// The meeting's attendance could not reach the threshold: household ballot.
    AttendanceTooLow,
    /// The commune annulled it or asked for a redo for a procedural defect.
    ProcedureDefect,
    /// A village-head election without a winner: re-election (R5.7).
    NoWinner,
}

impl Redo {
    /// The form the redo takes: a household ballot after a poorly attended
    /// meeting, a new meeting otherwise.
    pub fn next_form(self) -> Form {
        match self {
            Redo::AttendanceTooLow => Form::HouseholdBallot,
            Redo::ProcedureDefect | Redo::NoWinner => Form::Meeting,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const V: VillageId = VillageId(7);

    fn base(n: u64) -> HouseholdBase {
        HouseholdBase::new(V, d("2026-12-06"), n).unwrap()
    }

    fn tally(n: u64, agree: u64) -> Outcome {
        Tally::new(&base(n), V, d("2026-12-06"), Counts { agree, ..Counts::default() }).unwrap().outcome(Threshold::MORE_THAN_HALF)
    }

    fn decide(subject: Subject, n: u64, agree: u64) -> Outcome {
        Tally::new(&base(n), V, d("2026-12-06"), Counts { agree, disagree: n - agree, ..Counts::default() }).unwrap().decide(subject)
    }

    fn roster(n: i64) -> Roster {
        Roster::new(V, d("2026-12-06"), (1..=n).map(HouseholdId)).unwrap()
    }

    #[test]
    fn r2_1_six_subjects_with_both_texts() {
        assert_eq!(Subject::ALL.len(), 6);
        for (i, s) in Subject::ALL.into_iter().enumerate() {
            assert_eq!(s.number() as usize, i + 1);
            assert_eq!(Subject::from_number(s.number()), Some(s));
            assert_eq!(Subject::parse(s.as_str()), Some(s));
            assert!(!s.label().vi.is_empty() && !s.label().en.is_empty());
        }
        assert_eq!(Subject::from_number(0), None);
        assert_eq!(Subject::from_number(7), None);
        assert!(Subject::VillageHead.label().vi.contains("Trưởng thôn"));
    }

    #[test]
    fn r2_15_more_than_half_60_of_120_fails() {
        let o = decide(Subject::Other, 120, 60);
        assert!(!o.passed);
        assert_eq!(o.required, 61);
        assert!(decide(Subject::Other, 120, 61).passed);
        assert!(!decide(Subject::Convention, 120, 59).passed);
    }

    #[test]
    fn r2_15_two_thirds_80_of_120_passes() {
        let o = decide(Subject::PublicWorks, 120, 80);
        assert!(o.passed);
        assert_eq!(o.required, 80);
        assert!(decide(Subject::Contributions, 120, 81).passed);
    }

    #[test]
    fn r2_15_two_thirds_79_of_120_fails() {
        assert!(!decide(Subject::PublicWorks, 120, 79).passed);
        assert!(!decide(Subject::Contributions, 120, 79).passed);
    }

    #[test]
    fn r2_15_two_thirds_when_not_divisible() {
        // 2/3 of 100 = 66.67: 66 fails, 67 passes.
        assert_eq!(Threshold::TWO_THIRDS.required(100), 67);
        assert!(!decide(Subject::PublicWorks, 100, 66).passed);
        assert!(decide(Subject::PublicWorks, 100, 67).passed);
        // More than half of an odd base: 51 of 101 passes, 50 fails.
        assert_eq!(Threshold::MORE_THAN_HALF.required(101), 51);
        assert!(decide(Subject::Other, 101, 51).passed);
        assert!(!decide(Subject::Other, 101, 50).passed);
    }

    #[test]
    fn r2_15_subjects_three_to_six_use_more_than_half_and_one_two_use_two_thirds() {
        for s in [Subject::PublicWorks, Subject::Contributions] {
            assert_eq!(s.threshold(), Threshold::TWO_THIRDS);
        }
        for s in [Subject::Convention, Subject::VillageHead, Subject::Boards, Subject::Other] {
            assert_eq!(s.threshold(), Threshold::MORE_THAN_HALF);
        }
    }

    #[test]
    fn r2_15_the_base_is_all_households_not_the_voters() {
        // 61 of 70 voters agree, but 120 households: fails "more than half of all".
        let t = Tally::new(&base(120), V, d("2026-12-06"), Counts { agree: 59, disagree: 11, ..Counts::default() }).unwrap();
        let o = t.decide(Subject::Other);
        assert!(!o.passed);
        assert_eq!(o.agree_of_voted, Fraction::new(59, 70));
        assert_eq!(o.not_voted, 50);
    }

    #[test]
    fn c0_4_a_quorum_on_the_wrong_base_is_refused() {
        let other_village = HouseholdBase::new(VillageId(8), d("2026-12-06"), 120).unwrap();
        let e = Tally::new(&other_village, V, d("2026-12-06"), Counts::default()).unwrap_err();
        assert!(e.vi.contains("thôn, tổ dân phố khác"), "{}", e.vi);
        let other_date = HouseholdBase::new(V, d("2026-11-01"), 120).unwrap();
        let e = Tally::new(&other_date, V, d("2026-12-06"), Counts::default()).unwrap_err();
        assert!(e.vi.contains("ngày biểu quyết 06/12/2026"), "{}", e.vi);
        assert!(HouseholdBase::new(V, d("2026-12-06"), 0).is_err());
    }

    #[test]
    fn r2_15_a_tally_larger_than_the_households_is_refused() {
        let at = Counts { agree: 100, disagree: 20, ..Counts::default() };
        assert!(Tally::new(&base(120), V, d("2026-12-06"), at).is_ok());
        let over = Counts { invalid: 1, ..at };
        let e = Tally::new(&base(120), V, d("2026-12-06"), over).unwrap_err();
        assert!(e.vi.contains("(121) nhiều hơn tổng số hộ") && e.vi.contains("(120)"), "{}", e.vi);
    }

    #[test]
    fn r2_16_outcome_gives_the_figures_of_the_minutes() {
        let t = Tally::new(&base(120), V, d("2026-12-06"), Counts { agree: 80, disagree: 25, other: 3, invalid: 2 }).unwrap();
        let o = t.decide(Subject::PublicWorks);
        assert_eq!((o.households, o.voted, o.not_voted, o.agree, o.disagree, o.other, o.invalid), (120, 110, 10, 80, 25, 3, 2));
        assert_eq!(o.required, 80);
        assert_eq!(o.agree_of_households.percent(2).vi, "66,67%");
        assert_eq!(o.agree_of_households.percent(2).en, "66.67%");
        assert_eq!(o.turnout.percent(2).vi, "91,67%");
        let s = o.summary();
        assert!(
            s.vi.contains("Tổng số hộ: 120") && s.vi.contains("ít nhất 2/3") && s.vi.contains("ít nhất 80 hộ đồng ý: THÔNG QUA"),
            "{}",
            s.vi
        );
        assert!(tally(120, 60).summary().vi.contains("trên 50%") && tally(120, 60).summary().vi.contains("KHÔNG THÔNG QUA"));
    }

    #[test]
    fn fractions_render_by_integer_math() {
        assert_eq!(Fraction::new(1, 3).percent(2).vi, "33,33%");
        assert_eq!(Fraction::new(1, 8).percent(2).vi, "12,50%");
        assert_eq!(Fraction::new(1, 8).percent(1).vi, "12,5%");
        // Half up: 0.125 % → 0.13 %.
        assert_eq!(Fraction::new(1, 800).percent(2).vi, "0,13%");
        assert_eq!(Fraction::new(120, 120).percent(0).vi, "100%");
        assert_eq!(Fraction::new(0, 0).percent(2).vi, "—");
        assert_eq!(Fraction::new(80, 120).ratio(), "80/120");
        // A huge base does not overflow.
        assert_eq!(Fraction::new(u64::MAX, u64::MAX).percent(2).en, "100.00%");
    }

    /// Exhaustive property (proptest is not in the workspace lock, so the
    /// space is enumerated): `required` is minimal and `passes` is monotone.
    #[test]
    fn r2_15_required_is_minimal_for_every_base_up_to_600() {
        for t in [Threshold::TWO_THIRDS, Threshold::MORE_THAN_HALF, Threshold::HALF, Threshold::ONE_TENTH, Threshold::ONE_THIRD] {
            for n in 0..=600u64 {
                let r = t.required(n);
                assert!(t.passes(r, n), "{t:?} {n}");
                if r > 0 {
                    assert!(!t.passes(r - 1, n), "{t:?} {n}");
                }
                for k in 0..=n {
                    assert_eq!(t.passes(k, n), k >= r, "{t:?} {k}/{n}");
                }
            }
        }
    }

    #[test]
    fn r2_15_thresholds_agree_with_the_rational_definition_on_large_bases() {
        // Pseudo-random large bases (an LCG, deterministic), checked against
        // the definition in u128: 3·k ≥ 2·n and 2·k > n.
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..10_000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let n = x >> 20; // up to 2^44 households
            let two_thirds = Threshold::TWO_THIRDS.required(n);
            assert!(3 * two_thirds as u128 >= 2 * n as u128);
            assert!(two_thirds == 0 || 3 * (two_thirds as u128 - 1) < 2 * n as u128);
            let half = Threshold::MORE_THAN_HALF.required(n);
            assert!(2 * half as u128 > n as u128 && 2 * (half as u128 - 1) <= n as u128);
        }
        // No overflow at the top of u64.
        assert!(Threshold::TWO_THIRDS.passes(u64::MAX, u64::MAX));
        assert!(!Threshold::MORE_THAN_HALF.passes(u64::MAX / 2, u64::MAX));
    }

    #[test]
    fn thresholds_describe_themselves() {
        assert_eq!(Threshold::TWO_THIRDS.describe().vi, "ít nhất 2/3");
        assert_eq!(Threshold::MORE_THAN_HALF.describe().vi, "trên 50%");
        assert_eq!(Threshold::ONE_TENTH.describe().en, "at least 10%");
    }

    #[test]
    fn r2_15_commune_wide_needs_two_thirds_of_all_villages() {
        let villages: BTreeSet<VillageId> = (1..=6).map(VillageId).collect();
        let date = d("2026-12-06");
        let result = |v: i64, agree: u64| {
            let b = HouseholdBase::new(VillageId(v), date, 120).unwrap();
            Tally::new(&b, VillageId(v), date, Counts { agree, ..Counts::default() }).unwrap().decide(Subject::PublicWorks)
        };
        // 4 of 6 villages pass (each ≥ 80/120): exactly 2/3 passes.
        let r: Vec<Outcome> = vec![result(1, 80), result(2, 90), result(3, 80), result(4, 100), result(5, 79), result(6, 10)];
        let c = commune_outcome(Subject::PublicWorks, &villages, date, &r).unwrap();
        assert_eq!((c.villages, c.passed_villages, c.required, c.passed), (6, 4, 4, true));
        // 3 of 6 fails: village 1 at 79 no longer passes.
        let r2: Vec<Outcome> = vec![result(1, 79), result(2, 90), result(3, 80), result(4, 100), result(5, 79), result(6, 10)];
        assert!(!commune_outcome(Subject::PublicWorks, &villages, date, &r2).unwrap().passed);
        // A village that did not report counts as not passing: 4 of 7.
        let seven: BTreeSet<VillageId> = (1..=7).map(VillageId).collect();
        let c7 = commune_outcome(Subject::PublicWorks, &seven, date, &r).unwrap();
        assert_eq!((c7.required, c7.passed), (5, false));
        // Refusals.
        let dup = vec![result(1, 80), result(1, 80)];
        assert!(commune_outcome(Subject::PublicWorks, &villages, date, &dup).unwrap_err().vi.contains("hai lần"));
        assert!(commune_outcome(Subject::PublicWorks, &villages, date, &[result(9, 80)]).is_err());
        assert!(commune_outcome(Subject::PublicWorks, &villages, d("2026-12-07"), &[result(1, 80)]).unwrap_err().vi.contains("C0.4"));
        let wrong_rule = Tally::new(&base(120), V, date, Counts::default()).unwrap().decide(Subject::Other);
        let mut vs = villages.clone();
        vs.insert(V);
        assert!(commune_outcome(Subject::PublicWorks, &vs, date, &[wrong_rule]).unwrap_err().vi.contains("R2.15"));
        assert!(commune_outcome(Subject::Other, &villages, date, &[]).is_err());
    }

    #[test]
    fn r2_2_who_starts_a_decision() {
        assert!(check_initiator(Scope::Commune, Initiator::CommuneChair, true).is_ok());
        assert!(check_initiator(Scope::Commune, Initiator::CommuneChair, false).unwrap_err().vi.contains("Mặt trận"));
        assert!(check_initiator(Scope::Commune, Initiator::VillageHead, true).is_err());
        assert!(check_initiator(Scope::Commune, Initiator::Citizens, true).is_err());
        assert!(check_initiator(Scope::Village, Initiator::VillageHead, true).is_ok());
        assert!(check_initiator(Scope::Village, Initiator::VillageHead, false).is_err());
        assert!(check_initiator(Scope::Village, Initiator::Citizens, false).is_ok());
        assert!(check_initiator(Scope::Village, Initiator::CommuneChair, true).is_err());
    }

    #[test]
    fn r2_3_ten_percent_of_households_boundary() {
        let rules = Rules::default();
        let r = roster(120);
        let on = d("2026-12-06");
        let consents = |n: i64| (1..=n).map(|h| Consent { household: HouseholdId(h), given_on: on }).collect::<Vec<_>>();
        let below = initiative_status(&rules, &r, &consents(11), on, false).unwrap();
        assert_eq!((below.valid_consents, below.required, below.goes_forward), (11, 12, false));
        let at = initiative_status(&rules, &r, &consents(12), on, false).unwrap();
        assert!(at.goes_forward && !at.by_front_approval);
        assert!(initiative_status(&rules, &r, &consents(13), on, false).unwrap().goes_forward);
        // Below 10 %: only with the Front committee's approval.
        let front = initiative_status(&rules, &r, &consents(11), on, true).unwrap();
        assert!(front.goes_forward && front.by_front_approval);
    }

    #[test]
    fn r2_3_a_household_consents_once_and_must_be_of_the_village() {
        let rules = Rules::default();
        let r = roster(20);
        let on = d("2026-12-06");
        let twice = vec![Consent { household: HouseholdId(1), given_on: on }, Consent { household: HouseholdId(1), given_on: on }];
        // 1 distinct household of 20 = 5 %: not enough though 2 consents = 10 %.
        assert!(!initiative_status(&rules, &r, &twice, on, false).unwrap().goes_forward);
        let stranger = vec![Consent { household: HouseholdId(99), given_on: on }];
        assert!(initiative_status(&rules, &r, &stranger, on, false).unwrap_err().vi.contains("R2.3"));
    }

    #[test]
    fn r2_3_consent_expires_after_three_months() {
        let rules = Rules::default();
        let c = Consent { household: HouseholdId(1), given_on: d("2026-01-15") };
        assert_eq!(rules.consent_valid_until(c.given_on), d("2026-04-15"));
        assert!(rules.consent_valid_on(&c, d("2026-04-14")));
        assert!(rules.consent_valid_on(&c, d("2026-04-15")));
        assert!(!rules.consent_valid_on(&c, d("2026-04-16")));
        assert!(!rules.consent_valid_on(&c, d("2026-01-14")));
        // No corresponding day: the month's last day.
        assert_eq!(rules.consent_valid_until(d("2026-11-30")), d("2027-02-28"));
        // An expired consent no longer counts towards 10 %.
        let r = roster(10);
        let s = initiative_status(&rules, &r, &[c], d("2026-04-16"), false).unwrap();
        assert_eq!((s.valid_consents, s.expired_consents, s.goes_forward), (0, 1, false));
        assert!(initiative_status(&rules, &r, &[c], d("2026-04-15"), false).unwrap().goes_forward);
    }

    #[test]
    fn r2_5_forms_allowed_per_subject() {
        let none = FormFacts::default();
        let lacked = FormFacts { meeting_lacked_attendance: true, ..none };
        let agree = FormFacts { head_and_front_agree: true, ..none };
        for s in Subject::ALL {
            assert!(check_form(s, Scope::Village, Form::Meeting, none).is_ok());
            // Any subject falls back to a ballot after a poorly attended meeting.
            assert!(check_form(s, Scope::Village, Form::HouseholdBallot, lacked).is_ok());
        }
        for s in [Subject::Convention, Subject::VillageHead, Subject::Boards] {
            assert!(check_form(s, Scope::Village, Form::HouseholdBallot, agree).unwrap_err().vi.contains("R2.5"));
            assert!(check_form(s, Scope::Village, Form::OnlineVote, agree).is_err());
        }
        assert!(check_form(Subject::Other, Scope::Village, Form::OnlineVote, agree).is_ok());
        assert!(check_form(Subject::Other, Scope::Village, Form::OnlineVote, none).is_err());
        assert!(check_form(Subject::PublicWorks, Scope::Village, Form::OnlineVote, agree).is_err());
        assert!(check_form(Subject::PublicWorks, Scope::Commune, Form::OnlineVote, agree).is_err());
    }

    #[test]
    fn r2_12_household_ballot_grounds() {
        let none = FormFacts::default();
        let agree = FormFacts { head_and_front_agree: true, ..none };
        assert!(check_form(Subject::PublicWorks, Scope::Commune, Form::HouseholdBallot, none).is_ok());
        assert!(check_form(Subject::PublicWorks, Scope::Village, Form::HouseholdBallot, agree).unwrap_err().vi.contains("R2.12"));
        assert!(check_form(Subject::Other, Scope::Village, Form::HouseholdBallot, agree).is_ok());
        assert!(check_form(Subject::Other, Scope::Village, Form::HouseholdBallot, none).is_err());
        assert!(check_form(Subject::Convention, Scope::Commune, Form::Meeting, none).is_err());
        for f in Form::ALL {
            assert_eq!(Form::parse(f.as_str()), Some(f));
        }
    }

    #[test]
    fn r2_6_convenor() {
        assert_eq!(required_convenor(MeetingPurpose::Ordinary, false, false), Convenor::VillageHead);
        assert_eq!(required_convenor(MeetingPurpose::Ordinary, true, false), Convenor::Appointee);
        assert_eq!(required_convenor(MeetingPurpose::VillageHeadElection, false, false), Convenor::ElectionTeam);
        assert_eq!(required_convenor(MeetingPurpose::VillageHeadDismissal, false, false), Convenor::FrontHead);
        assert_eq!(required_convenor(MeetingPurpose::VillageHeadDismissal, false, true), Convenor::CommuneChair);
    }

    #[test]
    fn r2_8_clusters_from_200_households() {
        let rules = Rules::default();
        assert!(!may_meet_in_clusters(&rules, 199, false));
        assert!(may_meet_in_clusters(&rules, 200, false));
        assert!(may_meet_in_clusters(&rules, 201, false));
        assert!(may_meet_in_clusters(&rules, 50, true));
    }

    #[test]
    fn r2_8_clusters_are_consolidated_once_per_household() {
        let rules = Rules::default();
        let r = roster(200);
        let cluster = |name: &str, hs: std::ops::RangeInclusive<i64>, agree: u64| ClusterReport {
            name: name.into(),
            present: hs.map(HouseholdId).collect(),
            counts: Counts { agree, ..Counts::default() },
        };
        let (att, counts) = consolidate_clusters(&rules, &r, false, true, &[cluster("A", 1..=90, 80), cluster("B", 91..=150, 50)]).unwrap();
        assert_eq!((att.present(), att.absent(), counts.agree), (150, 50, 130));
        // Overlap: a household in two clusters.
        let e = consolidate_clusters(&rules, &r, false, true, &[cluster("A", 1..=90, 80), cluster("B", 90..=150, 50)]).unwrap_err();
        assert!(e.vi.contains("hai cụm"));
        assert!(consolidate_clusters(&rules, &r, false, false, &[]).unwrap_err().vi.contains("phê duyệt"));
        assert!(consolidate_clusters(&rules, &roster(199), false, true, &[]).unwrap_err().vi.contains("200"));
        assert!(consolidate_clusters(&rules, &r, false, true, &[cluster("A", 1..=10, 11)]).is_err());
        assert!(consolidate_clusters(&rules, &r, false, true, &[cluster("A", 195..=201, 1)]).is_err());
    }

    fn notice(sent: &str) -> Notice {
        Notice {
            sent_on: Some(d(sent)),
            channels: vec![NoticeChannel::Loudspeaker],
            posted_on: Some(d(sent)),
            documents_sent_on: Some(d(sent)),
        }
    }

    #[test]
    fn r2_9_notice_at_least_two_days_before() {
        let rules = Rules::default();
        // Meeting on Sunday 6 Dec 2026: notice by Friday 4 Dec.
        let meeting = d("2026-12-06");
        assert_eq!(rules.latest_notice_day(meeting), d("2026-12-04"));
        assert!(rules.check_notice(Subject::Other, meeting, &notice("2026-12-03")).is_ok());
        assert!(rules.check_notice(Subject::Other, meeting, &notice("2026-12-04")).is_ok());
    }

    #[test]
    fn r2_9_notice_shorter_than_two_days_refused() {
        let rules = Rules::default();
        let meeting = d("2026-12-06");
        let e = rules.check_notice(Subject::Other, meeting, &notice("2026-12-05")).unwrap_err();
        assert!(e.vi.contains("ít nhất 2 ngày") && e.vi.contains("04/12/2026") && e.vi.contains("R2.9"), "{}", e.vi);
        // Calendar days: a weekend in between does not lengthen it (C0.1).
        assert!(rules.check_notice(Subject::Other, d("2026-12-07"), &notice("2026-12-05")).is_ok());
    }

    #[test]
    fn r2_9_posting_channels_and_documents() {
        let rules = Rules::default();
        let meeting = d("2026-12-06");
        let no_post = Notice { posted_on: None, ..notice("2026-12-03") };
        assert!(rules.check_notice(Subject::Other, meeting, &no_post).unwrap_err().vi.contains("niêm yết"));
        let late_post = Notice { posted_on: Some(d("2026-12-05")), ..notice("2026-12-03") };
        assert!(rules.check_notice(Subject::Other, meeting, &late_post).is_err());
        let no_channel = Notice { channels: vec![], ..notice("2026-12-03") };
        assert!(rules.check_notice(Subject::Other, meeting, &no_channel).is_err());
        assert!(rules.check_notice(Subject::Other, meeting, &Notice::default()).is_err());
        // Documents: required for subjects 1–3 only.
        let late_docs = Notice { documents_sent_on: Some(d("2026-12-05")), ..notice("2026-12-03") };
        assert!(rules.check_notice(Subject::PublicWorks, meeting, &late_docs).unwrap_err().vi.contains("Tài liệu"));
        assert!(rules.check_notice(Subject::Other, meeting, &late_docs).is_ok());
        let no_docs = Notice { documents_sent_on: None, ..notice("2026-12-03") };
        assert!(rules.check_notice(Subject::Convention, meeting, &no_docs).is_err());
        assert!(rules.check_notice(Subject::VillageHead, meeting, &no_docs).is_ok());
    }

    #[test]
    fn r2_10_attendance_per_household_and_secretary_majority() {
        let r = roster(120);
        let present: Vec<HouseholdId> = (1..=80).map(HouseholdId).collect();
        let a = Attendance::record(&r, &present).unwrap();
        assert_eq!((a.present(), a.absent()), (80, 40));
        assert!(check_secretary(&a, 40).unwrap_err().vi.contains("cần ít nhất 41"));
        assert!(check_secretary(&a, 41).is_ok());
        assert!(check_secretary(&a, 81).is_err());
        let mut twice = present.clone();
        twice.push(HouseholdId(1));
        assert!(Attendance::record(&r, &twice).unwrap_err().vi.contains("hai lần"));
        assert!(Attendance::record(&r, &[HouseholdId(121)]).is_err());
        assert!(Attendance::from_count(&r.base(), 121).is_err());
        assert_eq!(Attendance::from_count(&r.base(), 120).unwrap().absent(), 0);
    }

    #[test]
    fn r2_11_counting_committee_three_to_five_and_two_witnesses() {
        let rules = Rules::default();
        let a = Attendance::from_count(&base(120), 90).unwrap();
        assert!(rules.check_counting_committee(&a, 2, 60, 2).is_err());
        assert!(rules.check_counting_committee(&a, 3, 60, 2).is_ok());
        assert!(rules.check_counting_committee(&a, 5, 60, 2).is_ok());
        assert!(rules.check_counting_committee(&a, 6, 60, 2).unwrap_err().vi.contains("từ 3 đến 5"));
        assert!(rules.check_counting_committee(&a, 3, 45, 2).is_err());
        assert!(rules.check_counting_committee(&a, 3, 46, 2).is_ok());
        assert!(rules.check_counting_committee(&a, 3, 46, 1).unwrap_err().vi.contains("2 đại diện"));
        assert_eq!(rules.minutes_copies, 3);
    }

    #[test]
    fn r2_12_meeting_falls_back_to_ballot_when_attendance_cannot_reach_the_threshold() {
        // Subject 1 in 120 households needs 80: 79 attending cannot decide.
        let b = base(120);
        assert_eq!(
            meeting_check(Subject::PublicWorks, &Attendance::from_count(&b, 79).unwrap()),
            MeetingCheck::FallBackToBallot { present: 79, required: 80 }
        );
        assert_eq!(meeting_check(Subject::PublicWorks, &Attendance::from_count(&b, 80).unwrap()), MeetingCheck::CanDecide);
        // Subject 6 needs 61.
        assert!(matches!(meeting_check(Subject::Other, &Attendance::from_count(&b, 60).unwrap()), MeetingCheck::FallBackToBallot { .. }));
        assert_eq!(meeting_check(Subject::Other, &Attendance::from_count(&b, 61).unwrap()), MeetingCheck::CanDecide);
        assert!(fall_back_reason(60, 61).vi.contains("phát phiếu"));
    }

    #[test]
    fn r2_20_redo_forms() {
        assert_eq!(Redo::AttendanceTooLow.next_form(), Form::HouseholdBallot);
        assert_eq!(Redo::ProcedureDefect.next_form(), Form::Meeting);
        assert_eq!(Redo::NoWinner.next_form(), Form::Meeting);
    }

    fn ballot(serial: &str, village: i64, household: i64, choice: Choice) -> PaperBallot {
        PaperBallot { serial: serial.into(), village: VillageId(village), household: HouseholdId(household), choice }
    }

    #[test]
    fn r2_13_paper_ballots_are_counted() {
        let r = roster(4);
        let ballots = vec![
            ballot("1", 7, 1, Choice::Agree),
            ballot("2", 7, 2, Choice::Disagree),
            ballot("3", 7, 3, Choice::Other),
            ballot("4", 7, 4, Choice::Invalid),
        ];
        let c = count_paper_ballots(&r, &ballots).unwrap();
        assert_eq!(c, Counts { agree: 1, disagree: 1, other: 1, invalid: 1 });
    }

    #[test]
    fn r2_13_a_ballot_counted_twice_is_refused() {
        let r = roster(4);
        let e = count_paper_ballots(&r, &[ballot("1", 7, 1, Choice::Agree), ballot("1", 7, 2, Choice::Agree)]).unwrap_err();
        assert!(e.vi.contains("Phiếu số 1 đã được kiểm"), "{}", e.vi);
        let e = count_paper_ballots(&r, &[ballot("1", 7, 1, Choice::Agree), ballot("2", 7, 1, Choice::Agree)]).unwrap_err();
        assert!(e.vi.contains("mỗi hộ gia đình chỉ một phiếu"), "{}", e.vi);
    }

    #[test]
    fn r2_13_a_ballot_from_a_household_not_in_the_village_is_refused() {
        let r = roster(4);
        let e = count_paper_ballots(&r, &[ballot("1", 7, 5, Choice::Agree)]).unwrap_err();
        assert!(e.vi.contains("không có trong danh sách hộ gia đình"), "{}", e.vi);
        let e = count_paper_ballots(&r, &[ballot("1", 8, 1, Choice::Agree)]).unwrap_err();
        assert!(e.vi.contains("thôn, tổ dân phố khác"), "{}", e.vi);
    }

    #[test]
    fn r2_13_more_ballots_than_households_is_refused() {
        let r = roster(2);
        let at = [ballot("1", 7, 1, Choice::Agree), ballot("2", 7, 2, Choice::Agree)];
        assert!(count_paper_ballots(&r, &at).is_ok());
        let over = [ballot("1", 7, 1, Choice::Agree), ballot("2", 7, 2, Choice::Agree), ballot("3", 7, 1, Choice::Agree)];
        let e = count_paper_ballots(&r, &over).unwrap_err();
        assert!(e.vi.contains("(3) nhiều hơn tổng số hộ") && e.vi.contains("Nghị định 59/2023/NĐ-CP"), "{}", e.vi);
    }

    #[test]
    fn r2_13_ballot_template_fields_and_mark() {
        let ok = BallotTemplate {
            title: "Phiếu lấy ý kiến".into(),
            question: "Làm đường?".into(),
            options_and_instructions: "Đánh dấu X".into(),
            has_other_opinion_field: true,
            return_by: Some(d("2026-12-20")),
            mark: Some(BallotMark::VillageHeadSignature),
        };
        assert!(ok.validate(Scope::Village).is_ok());
        let fields: Vec<_> = ok.validate(Scope::Commune).unwrap_err().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["mark"]);
        let fields: Vec<_> = BallotTemplate::default().validate(Scope::Village).unwrap_err().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["title", "question", "options", "other_opinion", "return_by", "mark"]);
    }

    #[test]
    fn r2_13_ballot_plan_dates_and_team() {
        let rules = Rules::default();
        let cal = Calendar::standard();
        // Issued Thursday 3 Dec 2026: 2 days → Saturday 5 → moved to Monday 7 Dec.
        let plan = BallotPlan {
            issued_on: d("2026-12-03"),
            sent_to_commune_on: Some(d("2026-12-07")),
            published_on: d("2026-12-08"),
            distribution_on: d("2026-12-10"),
            return_by: d("2026-12-17"),
            team_members: 3,
            team_led_by_front: true,
        };
        assert_eq!(rules.ballot_plan_due(&cal, plan.issued_on), d("2026-12-07"));
        assert!(rules.check_ballot_plan(&cal, &plan).is_ok());
        let late_send = BallotPlan { sent_to_commune_on: Some(d("2026-12-08")), ..plan };
        assert!(rules.check_ballot_plan(&cal, &late_send).unwrap_err().vi.contains("07/12/2026"));
        let late_publish = BallotPlan { published_on: d("2026-12-09"), ..plan };
        assert!(rules.check_ballot_plan(&cal, &late_publish).unwrap_err().vi.contains("ít nhất 2 ngày"));
        assert!(rules.check_ballot_plan(&cal, &BallotPlan { team_members: 6, ..plan }).is_err());
        assert!(rules.check_ballot_plan(&cal, &BallotPlan { team_led_by_front: false, ..plan }).is_err());
        assert!(rules.check_ballot_plan(&cal, &BallotPlan { return_by: d("2026-12-09"), ..plan }).is_err());
        assert!(rules.check_witnesses(2, "R2.13").is_ok());
        assert!(rules.check_witnesses(1, "R2.13").is_err());
    }

    #[test]
    fn r2_14_online_vote_needs_more_than_half_of_all_households() {
        let date = d("2026-12-06");
        assert!(!online_poll(&base(120), V, date, 60).unwrap().passed);
        assert!(online_poll(&base(120), V, date, 61).unwrap().passed);
        assert!(online_poll(&base(120), V, date, 121).is_err());
        let ok = OnlinePreconditions {
            households_connected: true,
            reported_to_commune: true,
            team_members: 3,
            team_led_by_front: true,
            team_has_it_skills: true,
        };
        let rules = Rules::default();
        assert!(rules.check_online_preconditions(&ok).is_ok());
        assert!(rules.check_online_preconditions(&OnlinePreconditions { households_connected: false, ..ok }).is_err());
        assert!(rules.check_online_preconditions(&OnlinePreconditions { reported_to_commune: false, ..ok }).is_err());
        assert!(rules.check_online_preconditions(&OnlinePreconditions { team_members: 2, ..ok }).is_err());
        assert!(rules.check_online_preconditions(&OnlinePreconditions { team_has_it_skills: false, ..ok }).is_err());
    }

    #[test]
    fn r2_14_a_vote_after_closing_or_a_second_vote_is_refused() {
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let (o, c) = (t("2026-12-06 08:00"), t("2026-12-06 20:00"));
        assert!(check_vote_time(t("2026-12-06 07:59"), o, c).is_err());
        assert!(check_vote_time(o, o, c).is_ok());
        assert!(check_vote_time(t("2026-12-06 19:59"), o, c).is_ok());
        assert!(check_vote_time(c, o, c).unwrap_err().vi.contains("đã kết thúc lúc 20:00"));
        assert!(check_first_vote(false).is_ok());
        assert!(check_first_vote(true).unwrap_err().vi.contains("một phiếu"));
    }

    #[test]
    fn r2_14_online_minutes() {
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let m = OnlineMinutes {
            started_at: t("2026-12-06 08:00"),
            ended_at: t("2026-12-06 20:00"),
            participants: vec![HouseholdId(1), HouseholdId(2)],
            counts: Counts { agree: 1, other: 1, ..Counts::default() },
            screenshot: Some("sha256:ab".into()),
        };
        assert!(m.validate().is_ok());
        assert!(OnlineMinutes { screenshot: None, ..m.clone() }.validate().is_err());
        assert!(OnlineMinutes { counts: Counts { agree: 3, ..Counts::default() }, ..m.clone() }.validate().is_err());
        assert!(OnlineMinutes { participants: vec![HouseholdId(1), HouseholdId(1)], ..m.clone() }.validate().is_err());
        assert!(OnlineMinutes { ended_at: m.started_at, ..m.clone() }.validate().is_err());
    }

    fn written(o: Outcome) -> WrittenDecision {
        WrittenDecision {
            kind: DocumentKind::Resolution,
            date: o.date,
            subject: Subject::PublicWorks,
            form: Form::Meeting,
            total_households: 120,
            representatives_present: 100,
            households_without_representative: 20,
            outcome: o,
            content: "Làm đường bê tông, mỗi hộ đóng 500.000 đồng.".into(),
            village_head_signed: true,
            front_head_signed: true,
            household_signatories: vec![HouseholdId(1), HouseholdId(2)],
        }
    }

    #[test]
    fn r2_16_written_decision_has_every_mandatory_field() {
        let o = decide(Subject::PublicWorks, 120, 80);
        assert!(written(o).validate().is_ok());
        let bad = WrittenDecision {
            total_households: 121,
            content: " ".into(),
            village_head_signed: false,
            front_head_signed: false,
            household_signatories: vec![HouseholdId(1), HouseholdId(1)],
            ..written(o)
        };
        let fields: Vec<_> = bad.validate().unwrap_err().into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            ["total_households", "representatives_present", "content", "village_head", "front_head", "household_signatories"]
        );
        let wrong_subject = WrittenDecision { subject: Subject::Other, ..written(o) };
        assert!(wrong_subject.validate().is_err());
        let wrong_date = WrittenDecision { date: d("2026-12-07"), ..written(o) };
        assert!(wrong_date.validate().is_err());
        assert_eq!(DocumentKind::Agreement.label().vi, "Bản thỏa thuận");
    }

    #[test]
    fn r2_17_sent_within_five_working_days() {
        let rules = Rules::default();
        let cal = Calendar::standard();
        // Meeting Sunday 6 Dec 2026: 5 working days → Friday 11 Dec.
        let closed = d("2026-12-06");
        assert_eq!(rules.sending_clock(closed).due(&cal), d("2026-12-11"));
        assert!(rules.check_sent(&cal, closed, d("2026-12-11")).is_ok());
        assert!(rules.check_sent(&cal, closed, d("2026-12-12")).unwrap_err().vi.contains("05 ngày làm việc"));
        assert!(rules.check_sent(&cal, closed, d("2026-12-05")).is_err());
        // Across Tết 2026 (16–20 Feb off): closed Friday 13 Feb → Friday 27 Feb.
        assert_eq!(rules.sending_clock(d("2026-02-13")).due(&cal), d("2026-02-27"));
    }

    #[test]
    fn r2_18_recognition_within_five_working_days() {
        let rules = Rules::default();
        let cal = Calendar::standard();
        let clock = rules.recognition_clock(d("2026-12-07")); // Monday
        assert_eq!(clock.due(&cal), d("2026-12-14"));
        assert_eq!(clock.state(&cal, d("2026-12-14"), None), ClockState::Running { due: d("2026-12-14") });
        assert_eq!(clock.state(&cal, d("2026-12-15"), None), ClockState::Overdue { due: d("2026-12-14") });
        assert!(matches!(clock.state(&cal, d("2026-12-20"), Some(d("2026-12-14"))), ClockState::DoneOnTime { .. }));
        assert!(matches!(clock.state(&cal, d("2026-12-20"), Some(d("2026-12-15"))), ClockState::DoneLate { .. }));
        assert!(Recognition::refused("Không").is_err());
        assert!(matches!(Recognition::refused("Không đúng trình tự thông báo họp").unwrap(), Recognition::Refused { .. }));
    }

    #[test]
    fn r2_18_entry_into_force() {
        assert_eq!(entry_into_force(Subject::PublicWorks, Scope::Village), EntryIntoForce::OnVoteDate);
        assert_eq!(entry_into_force(Subject::Other, Scope::Village), EntryIntoForce::OnVoteDate);
        assert_eq!(entry_into_force(Subject::Contributions, Scope::Commune), EntryIntoForce::OnDateSetByCommune);
        assert_eq!(entry_into_force(Subject::Convention, Scope::Village), EntryIntoForce::OnCommuneRecognition);
        assert_eq!(entry_into_force(Subject::VillageHead, Scope::Village), EntryIntoForce::OnCommuneRecognition);
        assert_eq!(entry_into_force(Subject::Boards, Scope::Village), EntryIntoForce::OnFrontRecognition);
    }

    #[test]
    fn r2_19_remedy_follows_the_ground() {
        assert!(check_remedy(AnnulmentGround::Unlawful, Remedy::Annul).is_ok());
        assert!(check_remedy(AnnulmentGround::Unlawful, Remedy::RequestAmendment).is_err());
        assert!(check_remedy(AnnulmentGround::ProcedureNotFollowed, Remedy::Annul).is_ok());
        assert!(check_remedy(AnnulmentGround::ProcedureNotFollowed, Remedy::RequestAmendment).is_ok());
        assert!(check_remedy(AnnulmentGround::ProcedureNotFollowed, Remedy::CommunityAmends).is_err());
        assert!(check_remedy(AnnulmentGround::CommunityWishes, Remedy::CommunityAmends).is_ok());
        assert!(check_remedy(AnnulmentGround::CommunityWishes, Remedy::Annul).unwrap_err().vi.contains("R2.19"));
    }
}
