//! Staff conferences of agencies (hội nghị cán bộ, công chức, viên chức,
//! người lao động, Law Arts. 49–52) and workers' conferences of state-owned
//! enterprises (hội nghị người lao động, Law Arts. 67–70); spec §7,
//! R7.1–R7.7.
//!
//! The rules here: who may propose the agenda or an extraordinary session
//! (R7.1, R7.7), the yearly window of 3 months after the year's end (R7.2,
//! R7.7), plenary or delegates (R7.3), the quorum of 2/3 and the pass rule
//! of more than half of attendees (R7.4), the written-ballot fall-back
//! (R7.4), and the six-monthly check of the resolution (R7.6). Unlike the
//! residential rules of [`crate::decision`], the pass rule here is on those
//! attending, as the Law writes it.

use crate::decision::{Fraction, Threshold};
use crate::Msg;
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

const LAW: &str = "Luật Thực hiện dân chủ ở cơ sở";

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Where the conference is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Workplace {
    /// An agency or public service unit: the staff conference (R7.1–R7.6).
    Agency,
    /// A state-owned enterprise: the workers' conference (R7.7).
    StateEnterprise,
}

impl Workplace {
    pub fn conference_label(self) -> Msg {
        match self {
            Workplace::Agency => Msg::new("Hội nghị cán bộ, công chức, viên chức, người lao động", "Staff conference"),
            Workplace::StateEnterprise => Msg::new("Hội nghị người lao động", "Workers' conference"),
        }
    }

    fn articles(self) -> &'static str {
        match self {
            Workplace::Agency => "Điều 50, 51",
            Workplace::StateEnterprise => "Điều 68, 69",
        }
    }

    fn rule(self) -> &'static str {
        match self {
            Workplace::Agency => "R7.4",
            Workplace::StateEnterprise => "R7.7",
        }
    }
}

/// The configurable figures. Defaults are the Law's, except where said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// R7.2, R7.7: held no later than this many months after the year's end.
    pub months_after_year_end: u32,
    /// R7.3: from this many staff, plenary or delegates may be chosen.
    pub delegates_from: u64,
    /// R7.3: units with at most this many staff hold a conference only if
    /// they see fit (agencies; the spec gives no such rule for enterprises).
    pub optional_up_to: u64,
    /// R7.6: months between checks of the resolution.
    pub check_every_months: u32,
    /// R7.4: the pass rule of the written ballot sent to all staff. **The
    /// spec does not state it**; the default is the stricter reading, more
    /// than half of all staff sent a ballot (the "attendees" of a ballot are
    /// everyone). Configurable until the article text is checked.
    pub written_ballot_on_all: bool,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules { months_after_year_end: 3, delegates_from: 100, optional_up_to: 7, check_every_months: 6, written_ballot_on_all: true }
    }
}

// ---------------------------------------------------------------------------
// Agenda and extraordinary sessions (R7.1, R7.7)
// ---------------------------------------------------------------------------

/// Who proposes the agenda or an extraordinary session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Proposer {
    /// The trade union executive committee.
    Union,
    /// The head of the agency, or the enterprise's management.
    Head,
    /// Staff or workers themselves, with their supporters' count.
    Staff { supporters: u64 },
}

/// Checks a proposal (R7.1, R7.7): staff need at least 1/3 of all staff.
pub fn check_proposer(workplace: Workplace, total_staff: u64, proposer: Proposer) -> Result<(), Msg> {
    match proposer {
        Proposer::Union | Proposer::Head => Ok(()),
        Proposer::Staff { supporters } if supporters <= total_staff && Threshold::ONE_THIRD.passes(supporters, total_staff) => Ok(()),
        Proposer::Staff { supporters } => {
            let need = Threshold::ONE_THIRD.required(total_staff);
            let rule = if workplace == Workplace::Agency { "R7.1" } else { "R7.7" };
            Err(Msg::new(
                format!("Đề xuất của người lao động cần ít nhất 1/3 tổng số người: {supporters}/{total_staff}, cần ít nhất {need} ({LAW}, {rule})."),
                format!("A staff proposal needs at least a third of all staff: {supporters}/{total_staff}, at least {need} ({rule})."),
            ))
        }
    }
}

// ---------------------------------------------------------------------------
// Timing (R7.2, R7.7) and attendance mode (R7.3)
// ---------------------------------------------------------------------------

impl Rules {
    /// The window of the yearly conference for the year ending on
    /// `year_end` (31 December for agencies; the fiscal year's end for
    /// enterprises): from the next day to 3 months after, on the
    /// corresponding day (31 December → 31 March).
    pub fn annual_window(&self, year_end: NaiveDate) -> (NaiveDate, NaiveDate) {
        let last = year_end.checked_add_months(Months::new(self.months_after_year_end)).expect("date in range");
        (year_end + Days::new(1), last)
    }

    /// Refuses a yearly conference outside its window (R7.2, R7.7).
    pub fn check_annual_date(&self, workplace: Workplace, year_end: NaiveDate, held_on: NaiveDate) -> Result<(), Msg> {
        let (first, last) = self.annual_window(year_end);
        if (first..=last).contains(&held_on) {
            return Ok(());
        }
        let rule = if workplace == Workplace::Agency { "R7.2" } else { "R7.7" };
        Err(Msg::new(
            format!(
                "{} thường niên tổ chức sau khi kết thúc năm ({}) và chậm nhất {} tháng sau đó, tức từ {} đến {} ({LAW}, {rule}).",
                workplace.conference_label().vi,
                dmy(year_end),
                self.months_after_year_end,
                dmy(first),
                dmy(last)
            ),
            format!(
                "The yearly {} is held after the year's end ({}) and within {} months, from {} to {} ({rule}).",
                workplace.conference_label().en.to_lowercase(),
                dmy(year_end),
                self.months_after_year_end,
                dmy(first),
                dmy(last)
            ),
        ))
    }
}

/// Who attends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// All staff.
    Plenary,
    /// Delegates.
    Delegates,
}

impl Rules {
    /// The modes allowed (R7.3, R7.7): under 100 staff, plenary; 100 or
    /// more, dispersed, or unable to leave their posts, plenary or delegates.
    pub fn allowed_modes(&self, staff: u64, dispersed: bool) -> Vec<Mode> {
        if staff >= self.delegates_from || dispersed {
            vec![Mode::Plenary, Mode::Delegates]
        } else {
            vec![Mode::Plenary]
        }
    }

    /// Whether an agency must hold the conference (R7.3): units of 7 staff
    /// or fewer hold it only if they see fit.
    pub fn conference_required(&self, workplace: Workplace, staff: u64) -> bool {
        workplace == Workplace::StateEnterprise || staff > self.optional_up_to
    }
}

// ---------------------------------------------------------------------------
// Quorum, pass rule and the written ballot (R7.4, R7.7)
// ---------------------------------------------------------------------------

/// A conference's figures for one decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ConferenceOutcome {
    /// All staff, or the delegates convened.
    pub convened: u64,
    pub present: u64,
    pub quorum_required: u64,
    pub agree: u64,
    /// Approvals needed: more than half of those present.
    pub required: u64,
    pub passed: bool,
    pub agree_of_present: Fraction,
    pub present_of_convened: Fraction,
}

/// Counts a conference decision (R7.4, R7.7): the conference is valid with
/// at least 2/3 of those convened present; a decision passes with more than
/// half of those present. Refused: no quorum (with the fall-back), more
/// present than convened, more approvals than present.
pub fn conference_outcome(workplace: Workplace, convened: u64, present: u64, agree: u64) -> Result<ConferenceOutcome, Msg> {
    if present > convened {
        return Err(Msg::new(
            format!("Số người có mặt ({present}) nhiều hơn số người được triệu tập ({convened})."),
            format!("More present ({present}) than convened ({convened})."),
        ));
    }
    if agree > present {
        return Err(Msg::new(
            format!("Số người tán thành ({agree}) nhiều hơn số người có mặt ({present})."),
            format!("More approvals ({agree}) than people present ({present})."),
        ));
    }
    let quorum_required = Threshold::TWO_THIRDS.required(convened);
    if convened == 0 || !Threshold::TWO_THIRDS.passes(present, convened) {
        return Err(Msg::new(
            format!(
                "Hội nghị chỉ có {present}/{convened} người, chưa đủ ít nhất 2/3 ({quorum_required} người); triệu tập lại, và nếu lần thứ hai vẫn không đủ thì lấy ý kiến bằng phiếu đến toàn thể người lao động ({} {LAW}, {}).",
                workplace.articles(),
                workplace.rule()
            ),
            format!(
                "Only {present}/{convened} attend, fewer than 2/3 ({quorum_required}); convene again, and if the second convening still lacks quorum send a written ballot to all staff ({}).",
                workplace.rule()
            ),
        ));
    }
    let required = Threshold::MORE_THAN_HALF.required(present);
    Ok(ConferenceOutcome {
        convened,
        present,
        quorum_required,
        agree,
        required,
        passed: Threshold::MORE_THAN_HALF.passes(agree, present),
        agree_of_present: Fraction::new(agree, present),
        present_of_convened: Fraction::new(present, convened),
    })
}

/// What follows a conference that could not be held or lacked quorum (R7.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NextStep {
    /// Convene a second time.
    Reconvene,
    /// The head, with the union, sends a written ballot to all staff.
    WrittenBallot,
}

/// After a failed convening: force majeure, or a second convening that still
/// lacks quorum, leads to the written ballot; a first failure is reconvened.
pub fn after_failed_convening(convening: u32, force_majeure: bool) -> NextStep {
    if force_majeure || convening >= 2 {
        NextStep::WrittenBallot
    } else {
        NextStep::Reconvene
    }
}

/// The written ballot's result (R7.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BallotOutcome {
    pub staff: u64,
    pub returned: u64,
    pub agree: u64,
    /// The base the rule is applied on (see [`Rules::written_ballot_on_all`]).
    pub base: u64,
    pub required: u64,
    pub passed: bool,
}

impl Rules {
    /// Counts the written ballot sent to all staff (R7.4). Refused: more
    /// ballots than staff, more approvals than ballots.
    pub fn written_ballot(&self, staff: u64, returned: u64, agree: u64) -> Result<BallotOutcome, Msg> {
        if returned > staff || agree > returned {
            return Err(Msg::new(
                format!("Số phiếu không hợp lý: {agree} tán thành, {returned} phiếu thu về, {staff} người lao động."),
                format!("Inconsistent ballots: {agree} approvals, {returned} returned, {staff} staff."),
            ));
        }
        let base = if self.written_ballot_on_all { staff } else { returned };
        Ok(BallotOutcome {
            staff,
            returned,
            agree,
            base,
            required: Threshold::MORE_THAN_HALF.required(base),
            passed: Threshold::MORE_THAN_HALF.passes(agree, base),
        })
    }

    /// The days the head and the union check the resolution adopted on
    /// `adopted_on` and notify all staff (R7.6, R7.7): every 6 months, up
    /// to and including `until`.
    pub fn check_days(&self, adopted_on: NaiveDate, until: NaiveDate) -> Vec<NaiveDate> {
        (1..)
            .map(|k| adopted_on.checked_add_months(Months::new(self.check_every_months * k)).expect("date in range"))
            .take_while(|d| *d <= until)
            .collect()
    }

    /// Whether a six-monthly check is overdue on `today` (R7.6): the last
    /// check (or the adoption) is more than 6 months ago.
    pub fn check_overdue(&self, adopted_on: NaiveDate, last_check: Option<NaiveDate>, today: NaiveDate) -> bool {
        let from = last_check.unwrap_or(adopted_on).max(adopted_on);
        today > from.checked_add_months(Months::new(self.check_every_months)).expect("date in range")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn r7_1_a_third_of_staff_may_propose() {
        let w = Workplace::Agency;
        assert!(check_proposer(w, 90, Proposer::Staff { supporters: 29 }).unwrap_err().vi.contains("cần ít nhất 30"));
        assert!(check_proposer(w, 90, Proposer::Staff { supporters: 30 }).is_ok());
        assert!(check_proposer(w, 90, Proposer::Staff { supporters: 31 }).is_ok());
        assert!(check_proposer(w, 90, Proposer::Staff { supporters: 91 }).is_err());
        assert!(check_proposer(w, 90, Proposer::Union).is_ok());
        assert!(check_proposer(w, 90, Proposer::Head).is_ok());
        // 1/3 of 100 is 33.3: 33 fails, 34 passes.
        assert!(check_proposer(w, 100, Proposer::Staff { supporters: 33 }).is_err());
        assert!(check_proposer(w, 100, Proposer::Staff { supporters: 34 }).is_ok());
    }

    #[test]
    fn r7_2_yearly_within_three_months_after_the_year_end() {
        let rules = Rules::default();
        let end = d("2026-12-31");
        assert_eq!(rules.annual_window(end), (d("2027-01-01"), d("2027-03-31")));
        assert!(rules.check_annual_date(Workplace::Agency, end, d("2026-12-31")).is_err());
        assert!(rules.check_annual_date(Workplace::Agency, end, d("2027-01-01")).is_ok());
        assert!(rules.check_annual_date(Workplace::Agency, end, d("2027-03-31")).is_ok());
        let e = rules.check_annual_date(Workplace::Agency, end, d("2027-04-01")).unwrap_err();
        assert!(e.vi.contains("31/03/2027") && e.vi.contains("R7.2"), "{}", e.vi);
    }

    #[test]
    fn r7_3_plenary_or_delegates() {
        let rules = Rules::default();
        assert_eq!(rules.allowed_modes(99, false), vec![Mode::Plenary]);
        assert_eq!(rules.allowed_modes(100, false), vec![Mode::Plenary, Mode::Delegates]);
        assert_eq!(rules.allowed_modes(20, true), vec![Mode::Plenary, Mode::Delegates]);
        assert!(!rules.conference_required(Workplace::Agency, 7));
        assert!(rules.conference_required(Workplace::Agency, 8));
        assert!(rules.conference_required(Workplace::StateEnterprise, 5));
    }

    #[test]
    fn r7_4_quorum_of_two_thirds() {
        let w = Workplace::Agency;
        // 2/3 of 90 = 60.
        let e = conference_outcome(w, 90, 59, 40).unwrap_err();
        assert!(e.vi.contains("ít nhất 2/3 (60 người)") && e.vi.contains("phiếu"), "{}", e.vi);
        assert_eq!(conference_outcome(w, 90, 60, 40).unwrap().quorum_required, 60);
        assert!(conference_outcome(w, 90, 61, 40).is_ok());
        // 2/3 of 100 = 66.67: 66 fails, 67 holds.
        assert!(conference_outcome(w, 100, 66, 50).is_err());
        assert!(conference_outcome(w, 100, 67, 50).is_ok());
        assert!(conference_outcome(w, 0, 0, 0).is_err());
        assert!(conference_outcome(w, 90, 91, 0).is_err());
        assert!(conference_outcome(w, 90, 60, 61).is_err());
    }

    #[test]
    fn r7_4_more_than_half_of_attendees_to_pass() {
        let w = Workplace::Agency;
        let at = conference_outcome(w, 90, 80, 40).unwrap();
        assert!(!at.passed);
        assert_eq!(at.required, 41);
        assert!(conference_outcome(w, 90, 80, 41).unwrap().passed);
        assert!(!conference_outcome(w, 90, 80, 39).unwrap().passed);
        assert_eq!(conference_outcome(w, 90, 80, 41).unwrap().agree_of_present.percent(2).vi, "51,25%");
    }

    #[test]
    fn r7_4_written_ballot_fall_back() {
        assert_eq!(after_failed_convening(1, false), NextStep::Reconvene);
        assert_eq!(after_failed_convening(2, false), NextStep::WrittenBallot);
        assert_eq!(after_failed_convening(1, true), NextStep::WrittenBallot);
        let rules = Rules::default();
        // On all staff by default: 45 of 90 fails, 46 passes.
        assert!(!rules.written_ballot(90, 70, 45).unwrap().passed);
        assert!(rules.written_ballot(90, 70, 46).unwrap().passed);
        // The alternative reading, on ballots returned: 36 of 70 passes.
        let on_returned = Rules { written_ballot_on_all: false, ..Rules::default() };
        assert!(on_returned.written_ballot(90, 70, 36).unwrap().passed);
        assert!(!on_returned.written_ballot(90, 70, 35).unwrap().passed);
        assert!(rules.written_ballot(90, 91, 0).is_err());
        assert!(rules.written_ballot(90, 10, 11).is_err());
    }

    #[test]
    fn r7_6_six_monthly_check() {
        let rules = Rules::default();
        let adopted = d("2027-01-20");
        assert_eq!(rules.check_days(adopted, d("2028-01-20")), vec![d("2027-07-20"), d("2028-01-20")]);
        assert_eq!(rules.check_days(adopted, d("2027-07-19")), Vec::<NaiveDate>::new());
        assert!(!rules.check_overdue(adopted, None, d("2027-07-20")));
        assert!(rules.check_overdue(adopted, None, d("2027-07-21")));
        assert!(!rules.check_overdue(adopted, Some(d("2027-07-15")), d("2028-01-15")));
        assert!(rules.check_overdue(adopted, Some(d("2027-07-15")), d("2028-01-16")));
    }

    #[test]
    fn r7_7_workers_conference_same_quorum_and_rules() {
        let w = Workplace::StateEnterprise;
        assert!(conference_outcome(w, 300, 199, 150).unwrap_err().vi.contains("R7.7"));
        assert!(conference_outcome(w, 300, 200, 101).unwrap().passed);
        assert!(!conference_outcome(w, 300, 200, 100).unwrap().passed);
        // A fiscal year ending 30 June: conference by 30 September.
        let rules = Rules::default();
        assert!(rules.check_annual_date(w, d("2026-06-30"), d("2026-09-30")).is_ok());
        assert!(rules.check_annual_date(w, d("2026-06-30"), d("2026-10-01")).unwrap_err().vi.contains("R7.7"));
        assert!(check_proposer(w, 300, Proposer::Staff { supporters: 99 }).unwrap_err().vi.contains("R7.7"));
        assert!(check_proposer(w, 300, Proposer::Staff { supporters: 100 }).is_ok());
    }
}
