//! Election and dismissal of the village head (bầu, cho thôi làm Trưởng
//! thôn, Tổ trưởng tổ dân phố): D59 Arts. 6–9, Law Arts. 18–21; spec §5,
//! R5.1–R5.10.
//!
//! The rules here: the preparation timeline counted back from election day
//! (R5.1), the candidate list and nominations from the floor (R5.1, R5.4),
//! the election team without candidates (R5.2), the count with the Law's
//! threshold — more than half of ALL households — and the D59 figure of
//! attendees reported beside it (R5.5, spec §12 item 4), no winner and
//! re-election (R5.7), recognition (R5.6), the term and the interim head
//! (R5.8), dismissal with its triggers and its 60-day clock (R5.9, R5.10).
//! Voters are household representatives, one per household (R5.3), so the
//! count reuses [`crate::decision`]'s household base and thresholds.

use crate::calendar::Period;
use crate::decision::{Clock, Fraction, HouseholdBase, Threshold, VillageId};
use crate::{text, Msg};
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

const D59: &str = "Nghị định 59/2023/NĐ-CP";

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A person (a resident), as the registry identifies them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PersonId(pub i64);

/// The configurable figures. Defaults are the spec's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// R5.1: days before election day, at the latest, for each step.
    pub decision_days_before: u32,
    pub candidates_days_before: u32,
    pub team_days_before: u32,
    pub announcement_days_before: u32,
    /// R5.8: the term in months. **Unverified**: the Law and D59 set none;
    /// the Home Affairs circular lets the province choose 2.5 or 5 years
    /// (30 or 60 months), and an unverified 2026 decree is said to fix 5
    /// years. Thanh Hóa's choice was not found (spec §12 item 5). Default
    /// 60, to be set per province.
    pub term_months: u32,
    /// R5.8: an interim head serves at most 6 months (consolidated circular
    /// 08/VBHN-BNV; the spec marks it likely).
    pub interim_max_months: u32,
    /// R5.6: the commune recognises or answers within 5 working days.
    pub recognition_period: Period,
    /// R5.10: the commune decides a new election within 60 days of
    /// recognising a dismissal.
    pub new_election_period: Period,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            decision_days_before: 20,
            candidates_days_before: 15,
            team_days_before: 10,
            announcement_days_before: 7,
            term_months: 60,
            interim_max_months: 6,
            recognition_period: Period::WorkingDays(5),
            new_election_period: Period::Days(60),
        }
    }
}

// ---------------------------------------------------------------------------
// Timeline (R5.1)
// ---------------------------------------------------------------------------

/// A preparation step of R5.1, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// E−20: the commune chair's decision to hold the election, with the
    /// plan agreed with the commune Front.
    Decision,
    /// E−15: the official candidate list (at least one), minutes (Mẫu 05)
    /// sent to the commune.
    CandidateList,
    /// E−10: the election team set up.
    ElectionTeam,
    /// E−7: announced to residents, posted and broadcast.
    Announcement,
}

impl Step {
    pub const ALL: [Step; 4] = [Step::Decision, Step::CandidateList, Step::ElectionTeam, Step::Announcement];

    pub fn label(self) -> Msg {
        match self {
            Step::Decision => Msg::new(
                "Chủ tịch UBND xã ra quyết định tổ chức bầu cử, kế hoạch và hướng dẫn",
                "The commune chair's decision to hold the election, with the plan",
            ),
            Step::CandidateList => Msg::new(
                "Ban công tác Mặt trận lập danh sách người ứng cử (ít nhất 01 người), gửi biên bản (Mẫu 05) về UBND xã",
                "The Front work committee's candidate list (at least one), minutes (Mẫu 05) to the commune",
            ),
            Step::ElectionTeam => Msg::new("Chủ tịch UBND xã thành lập Tổ bầu cử", "The commune chair sets up the election team"),
            Step::Announcement => Msg::new(
                "Thông báo, niêm yết tại nhà văn hóa thôn và phát trên loa truyền thanh",
                "Announced to residents, posted at the cultural house and broadcast",
            ),
        }
    }
}

/// The preparation deadlines counted back from election day `e` (R5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Timeline {
    pub election_day: NaiveDate,
    pub decision_by: NaiveDate,
    pub candidates_by: NaiveDate,
    pub team_by: NaiveDate,
    pub announcement_by: NaiveDate,
}

impl Rules {
    /// The latest day of each step: E − 20, 15, 10 and 7 calendar days
    /// (C0.1: D59 says "ngày"). A deadline counted backwards is not moved to
    /// a working day — moving it later would shorten the residents' period —
    /// so an official whose day falls on a weekend acts on the Friday.
    pub fn timeline(&self, election_day: NaiveDate) -> Timeline {
        let back = |n: u32| election_day - Days::new(n as u64);
        Timeline {
            election_day,
            decision_by: back(self.decision_days_before),
            candidates_by: back(self.candidates_days_before),
            team_by: back(self.team_days_before),
            announcement_by: back(self.announcement_days_before),
        }
    }
}

impl Timeline {
    pub fn due(&self, step: Step) -> NaiveDate {
        match step {
            Step::Decision => self.decision_by,
            Step::CandidateList => self.candidates_by,
            Step::ElectionTeam => self.team_by,
            Step::Announcement => self.announcement_by,
        }
    }

    fn days_before(&self, step: Step) -> i64 {
        (self.election_day - self.due(step)).num_days()
    }

    /// Refuses a step done after its latest day (R5.1).
    pub fn check(&self, step: Step, done_on: NaiveDate) -> Result<(), Msg> {
        let due = self.due(step);
        if done_on <= due {
            return Ok(());
        }
        let n = self.days_before(step);
        Err(Msg::new(
            format!(
                "\"{}\" phải xong chậm nhất {n} ngày trước ngày bầu cử {}, tức ngày {} (thực hiện ngày {}) (Điều 6 {D59}, R5.1).",
                step.label().vi,
                dmy(self.election_day),
                dmy(due),
                dmy(done_on)
            ),
            format!(
                "\"{}\" must be done at least {n} days before the election on {}, by {} (done on {}) (D59 Art. 6, R5.1).",
                step.label().en,
                dmy(self.election_day),
                dmy(due),
                dmy(done_on)
            ),
        ))
    }

    /// Steps not done whose latest day has passed on `today`.
    pub fn overdue(&self, today: NaiveDate, done: &[Step]) -> Vec<Step> {
        Step::ALL.into_iter().filter(|s| !done.contains(s) && today > self.due(*s)).collect()
    }
}

// ---------------------------------------------------------------------------
// Candidates and the election team (R5.1, R5.2, R5.4)
// ---------------------------------------------------------------------------

/// Checks the official candidate list: at least one, no one twice (R5.1).
pub fn check_candidates(candidates: &[PersonId]) -> Result<(), Msg> {
    if candidates.is_empty() {
        return Err(Msg::new(
            format!("Danh sách người ứng cử Trưởng thôn, Tổ trưởng tổ dân phố phải có ít nhất 01 người (Điều 6 {D59}, R5.1)."),
            "The village-head candidate list must have at least one person (D59 Art. 6, R5.1).",
        ));
    }
    let distinct: BTreeSet<_> = candidates.iter().collect();
    if distinct.len() != candidates.len() {
        return Err(Msg::new("Danh sách người ứng cử có người bị lặp.", "The candidate list repeats a person."));
    }
    Ok(())
}

/// Checks the election team (R5.2): led by a Front work committee
/// representative, with members, and no candidate on it.
pub fn check_election_team(leader_is_front_representative: bool, members: &[PersonId], candidates: &[PersonId]) -> Result<(), Msg> {
    if members.is_empty() {
        return Err(Msg::new("Tổ bầu cử chưa có thành viên (R5.2).", "The election team has no member (R5.2)."));
    }
    if !leader_is_front_representative {
        return Err(Msg::new(
            format!("Tổ trưởng Tổ bầu cử là đại diện Ban công tác Mặt trận (Điều 6 {D59}, R5.2)."),
            "The election team is led by a Front work committee representative (D59 Art. 6, R5.2).",
        ));
    }
    if let Some(p) = members.iter().find(|m| candidates.contains(m)) {
        return Err(Msg::new(
            format!("Người ứng cử (mã {}) không được là thành viên Tổ bầu cử (Điều 6 {D59}, R5.2).", p.0),
            format!("Candidate {} may not sit on the election team (D59 Art. 6, R5.2).", p.0),
        ));
    }
    Ok(())
}

/// Adds a nomination from the floor (self-nomination or nomination by
/// attendees, R5.4). Refused for someone already on the list or on the
/// election team (R5.2).
pub fn nominate_from_floor(candidates: &mut Vec<PersonId>, team: &[PersonId], person: PersonId) -> Result<(), Msg> {
    if candidates.contains(&person) {
        return Err(Msg::new("Người này đã có trong danh sách người ứng cử.", "This person is already a candidate."));
    }
    if team.contains(&person) {
        return Err(Msg::new(
            format!("Thành viên Tổ bầu cử không được ứng cử; phải rời Tổ bầu cử trước (Điều 6 {D59}, R5.2)."),
            "A member of the election team cannot stand; they must leave the team first (R5.2).",
        ));
    }
    candidates.push(person);
    Ok(())
}

// ---------------------------------------------------------------------------
// The count (R5.3, R5.5, R5.7)
// ---------------------------------------------------------------------------

/// One candidate's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CandidateResult {
    pub candidate: PersonId,
    pub votes: u64,
    /// The Law's figure: of all households (R5.5).
    pub of_households: Fraction,
    /// D59 Art. 3(5)(b)'s figure: of the household representatives attending.
    pub of_attendees: Fraction,
    /// Whether the Law's threshold is met: more than half of all households.
    pub elected_under_law: bool,
    /// Whether D59's wording (more than half of attendees) would be met;
    /// reported only — the Law prevails (spec §12 item 4).
    pub over_half_of_attendees: bool,
}

/// The result of a village-head election.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElectionOutcome {
    pub village: VillageId,
    pub date: NaiveDate,
    pub households: u64,
    pub attendees: u64,
    pub invalid: u64,
    /// Votes needed: more than half of all households.
    pub required: u64,
    /// Sorted by votes, highest first.
    pub candidates: Vec<CandidateResult>,
    pub winner: Option<PersonId>,
}

impl ElectionOutcome {
    /// Counts the election (R5.5). `attendees`: household representatives
    /// present at the meeting, or ballots returned in a household ballot.
    /// Refused: a base of another village or date (C0.4), more attendees than
    /// households, more votes than attendees, a vote for someone not on the
    /// list, or no candidate.
    pub fn count(
        base: &HouseholdBase,
        village: VillageId,
        date: NaiveDate,
        attendees: u64,
        candidates: &[PersonId],
        votes: &[(PersonId, u64)],
        invalid: u64,
    ) -> Result<ElectionOutcome, Msg> {
        base.check_for(village, date)?;
        check_candidates(candidates)?;
        let households = base.households();
        if attendees > households {
            return Err(Msg::new(
                format!("Số đại diện hộ tham dự ({attendees}) nhiều hơn tổng số hộ ({households}) (R5.3)."),
                format!("More attendees ({attendees}) than households ({households}) (R5.3)."),
            ));
        }
        if let Some((p, _)) = votes.iter().find(|(p, _)| !candidates.contains(p)) {
            return Err(Msg::new(
                format!("Có phiếu bầu cho người (mã {}) không có trong danh sách người ứng cử.", p.0),
                format!("A vote is for person {}, who is not on the candidate list.", p.0),
            ));
        }
        let seen: BTreeSet<_> = votes.iter().map(|(p, _)| p).collect();
        if seen.len() != votes.len() {
            return Err(Msg::new("Số phiếu của một người ứng cử được nhập hai lần.", "A candidate's votes are entered twice."));
        }
        let cast: u64 = votes.iter().map(|(_, n)| n).sum::<u64>() + invalid;
        if cast > attendees {
            return Err(Msg::new(
                format!("Tổng số phiếu ({cast}) nhiều hơn số đại diện hộ tham dự ({attendees}); mỗi hộ chỉ một phiếu (R5.3)."),
                format!("More ballots ({cast}) than attendees ({attendees}); one ballot per household (R5.3)."),
            ));
        }
        let law = Threshold::MORE_THAN_HALF;
        let mut results: Vec<CandidateResult> = candidates
            .iter()
            .map(|c| {
                let n = votes.iter().find(|(p, _)| p == c).map(|(_, n)| *n).unwrap_or(0);
                CandidateResult {
                    candidate: *c,
                    votes: n,
                    of_households: Fraction::new(n, households),
                    of_attendees: Fraction::new(n, attendees),
                    elected_under_law: law.passes(n, households),
                    over_half_of_attendees: attendees > 0 && law.passes(n, attendees),
                }
            })
            .collect();
        results.sort_by(|a, b| b.votes.cmp(&a.votes).then(a.candidate.cmp(&b.candidate)));
        // One ballot per household: at most one candidate can exceed half.
        let winner = results.iter().find(|r| r.elected_under_law).map(|r| r.candidate);
        Ok(ElectionOutcome {
            village,
            date,
            households,
            attendees,
            invalid,
            required: law.required(households),
            candidates: results,
            winner,
        })
    }

    /// The reason for the minutes when nobody is elected (R5.7), naming the
    /// D59 figure when it differs from the Law's.
    pub fn no_winner_reason(&self) -> Option<Msg> {
        if self.winner.is_some() {
            return None;
        }
        let best = self.candidates.first().map(|c| c.votes).unwrap_or(0);
        let mut vi = format!(
            "Không người ứng cử nào đạt trên 50% tổng số hộ gia đình của thôn ({} hộ): cần ít nhất {} phiếu, cao nhất đạt {} phiếu (khoản 1 Điều 21 Luật Thực hiện dân chủ ở cơ sở, R5.5).",
            self.households, self.required, best
        );
        let mut en = format!(
            "No candidate reached more than half of the village's {} households: {} votes needed, the highest got {} (Law Art. 21(1), R5.5).",
            self.households, self.required, best
        );
        if self.candidates.iter().any(|c| c.over_half_of_attendees) {
            vi.push_str(" Người có số phiếu cao nhất đạt trên 50% số đại diện hộ dự họp, nhưng Luật yêu cầu trên 50% tổng số hộ.");
            en.push_str(" The leader has more than half of the attendees, but the Law requires more than half of all households.");
        }
        Some(Msg::new(vi, en))
    }
}

/// Checks the no-winner minutes (R5.7): the reason must be written.
pub fn check_no_winner_minutes(reason: &str) -> Result<(), Msg> {
    if text::clean_text(reason).chars().count() < 15 {
        return Err(Msg::new(
            format!("Biên bản phải ghi rõ lý do không bầu được Trưởng thôn để báo cáo UBND xã xem xét tổ chức bầu lại (điểm d khoản 5 Điều 3 {D59}, R5.7)."),
            "The minutes must state why nobody was elected, for the commune to decide on a re-election (D59 Art. 3(5)(d), R5.7).",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Recognition, term, interim head (R5.6, R5.8)
// ---------------------------------------------------------------------------

/// The commune's answer to an election result (R5.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommuneAnswer {
    /// The winner is recognised and takes office on that day.
    Recognised,
    /// A re-election is decided.
    ReElection,
    /// A written reply with reasons.
    Replied { reasons: String },
}

impl Rules {
    /// R5.6: the commune recognises the winner, or decides a re-election, or
    /// replies in writing within 5 working days of receipt.
    pub fn recognition_clock(&self, received_on: NaiveDate) -> Clock {
        Clock::new(received_on, self.recognition_period)
    }

    /// The last day of a term that starts on `took_office` (R5.8). The head
    /// takes office on the commune's recognition (R5.6).
    pub fn term_ends(&self, took_office: NaiveDate) -> NaiveDate {
        took_office.checked_add_months(Months::new(self.term_months)).expect("date in range") - Days::new(1)
    }

    /// The last day an interim head appointed on `appointed_on` may serve (R5.8).
    pub fn interim_ends(&self, appointed_on: NaiveDate) -> NaiveDate {
        appointed_on.checked_add_months(Months::new(self.interim_max_months)).expect("date in range") - Days::new(1)
    }

    /// Refuses an interim head serving beyond 6 months on `today` (R5.8).
    pub fn check_interim(&self, appointed_on: NaiveDate, today: NaiveDate) -> Result<(), Msg> {
        let end = self.interim_ends(appointed_on);
        if today <= end {
            return Ok(());
        }
        Err(Msg::new(
            format!(
                "Trưởng thôn lâm thời chỉ được chỉ định tối đa {} tháng (đến hết ngày {}); phải tổ chức bầu Trưởng thôn (R5.8).",
                self.interim_max_months,
                dmy(end)
            ),
            format!("An interim head serves at most {} months (until {}); an election is due (R5.8).", self.interim_max_months, dmy(end)),
        ))
    }
}

// ---------------------------------------------------------------------------
// Dismissal (R5.9, R5.10)
// ---------------------------------------------------------------------------

/// A reason the Front work committee head gives for proposing a dismissal
/// (D59 Art. 9(1)(b)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrontGround {
    LossOfTrust,
    NonPerformance,
    ViolatesPeoplesMastery,
    CorruptionOrWaste,
    DisobeysCommune,
    LegalViolation,
}

/// What starts a dismissal (R5.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DismissalTrigger {
    /// The head's own written request to the commune chair.
    OwnRequest,
    /// The Front work committee head's proposal, with its ground.
    FrontProposal(FrontGround),
    /// A petition of households (or their representatives).
    HouseholdPetition { petitioners: u64 },
}

/// Checks what starts a dismissal (R5.9): a households' petition needs at
/// least 50 % of all households of the village.
pub fn check_dismissal_trigger(base: &HouseholdBase, trigger: DismissalTrigger) -> Result<(), Msg> {
    match trigger {
        DismissalTrigger::OwnRequest | DismissalTrigger::FrontProposal(_) => Ok(()),
        DismissalTrigger::HouseholdPetition { petitioners } => {
            let h = base.households();
            if petitioners <= h && Threshold::HALF.passes(petitioners, h) {
                return Ok(());
            }
            Err(Msg::new(
                format!(
                    "Đề nghị cho thôi làm Trưởng thôn cần ít nhất 50% số hộ gia đình của thôn: {petitioners}/{h} hộ, cần ít nhất {} (Điều 9 {D59}, R5.9).",
                    Threshold::HALF.required(h)
                ),
                format!("A dismissal petition needs at least 50% of households: {petitioners}/{h}, at least {} (D59 Art. 9, R5.9).", Threshold::HALF.required(h)),
            ))
        }
    }
}

impl Rules {
    /// R5.10: within 60 days of recognising the dismissal, the commune
    /// decides to hold a new election (calendar days, moved to the next
    /// working day when the 60th is a day off, C0.2).
    pub fn new_election_clock(&self, dismissal_recognised_on: NaiveDate) -> Clock {
        Clock::new(dismissal_recognised_on, self.new_election_period)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Calendar;
    use crate::decision::ClockState;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const V: VillageId = VillageId(3);
    const E: &str = "2026-12-20";

    fn base(n: u64) -> HouseholdBase {
        HouseholdBase::new(V, d(E), n).unwrap()
    }

    fn p(n: i64) -> PersonId {
        PersonId(n)
    }

    #[test]
    fn r5_1_timeline_counted_back_from_election_day() {
        let t = Rules::default().timeline(d(E));
        assert_eq!(t.decision_by, d("2026-11-30"));
        assert_eq!(t.candidates_by, d("2026-12-05"));
        assert_eq!(t.team_by, d("2026-12-10"));
        assert_eq!(t.announcement_by, d("2026-12-13"));
    }

    #[test]
    fn r5_1_each_step_at_and_after_its_day() {
        let t = Rules::default().timeline(d(E));
        assert!(t.check(Step::Decision, d("2026-11-29")).is_ok());
        assert!(t.check(Step::Decision, d("2026-11-30")).is_ok());
        let e = t.check(Step::Decision, d("2026-12-01")).unwrap_err();
        assert!(e.vi.contains("20 ngày") && e.vi.contains("30/11/2026") && e.vi.contains("R5.1"), "{}", e.vi);
        assert!(t.check(Step::CandidateList, d("2026-12-05")).is_ok());
        assert!(t.check(Step::CandidateList, d("2026-12-06")).is_err());
        assert!(t.check(Step::ElectionTeam, d("2026-12-10")).is_ok());
        assert!(t.check(Step::ElectionTeam, d("2026-12-11")).is_err());
        assert!(t.check(Step::Announcement, d("2026-12-13")).is_ok());
        assert!(t.check(Step::Announcement, d("2026-12-14")).unwrap_err().vi.contains("7 ngày"));
    }

    #[test]
    fn r5_1_overdue_steps() {
        let t = Rules::default().timeline(d(E));
        assert_eq!(t.overdue(d("2026-11-30"), &[]), Vec::<Step>::new());
        assert_eq!(t.overdue(d("2026-12-06"), &[]), vec![Step::Decision, Step::CandidateList]);
        assert_eq!(t.overdue(d("2026-12-06"), &[Step::Decision]), vec![Step::CandidateList]);
    }

    #[test]
    fn r5_1_an_election_without_candidates_is_refused() {
        assert!(check_candidates(&[]).unwrap_err().vi.contains("ít nhất 01 người"));
        assert!(check_candidates(&[p(1)]).is_ok());
        assert!(check_candidates(&[p(1), p(1)]).is_err());
        let e = ElectionOutcome::count(&base(120), V, d(E), 100, &[], &[], 0).unwrap_err();
        assert!(e.vi.contains("R5.1"));
    }

    #[test]
    fn r5_2_election_team_without_candidates() {
        assert!(check_election_team(true, &[p(10), p(11)], &[p(1)]).is_ok());
        assert!(check_election_team(true, &[p(10), p(1)], &[p(1)]).unwrap_err().vi.contains("không được là thành viên"));
        assert!(check_election_team(false, &[p(10)], &[p(1)]).is_err());
        assert!(check_election_team(true, &[], &[p(1)]).is_err());
    }

    #[test]
    fn r5_4_nominations_from_the_floor() {
        let mut list = vec![p(1)];
        assert!(nominate_from_floor(&mut list, &[p(10)], p(2)).is_ok());
        assert_eq!(list, vec![p(1), p(2)]);
        assert!(nominate_from_floor(&mut list, &[p(10)], p(2)).is_err());
        assert!(nominate_from_floor(&mut list, &[p(10)], p(10)).unwrap_err().vi.contains("Tổ bầu cử"));
        assert_eq!(list.len(), 2);
    }

    #[test]
    fn r5_5_winner_needs_more_than_half_of_all_households() {
        let c = [p(1), p(2)];
        let at = ElectionOutcome::count(&base(120), V, d(E), 110, &c, &[(p(1), 60), (p(2), 50)], 0).unwrap();
        assert_eq!((at.winner, at.required), (None, 61));
        let above = ElectionOutcome::count(&base(120), V, d(E), 110, &c, &[(p(1), 61), (p(2), 49)], 0).unwrap();
        assert_eq!(above.winner, Some(p(1)));
        assert!(above.no_winner_reason().is_none());
        let below = ElectionOutcome::count(&base(120), V, d(E), 110, &c, &[(p(1), 59), (p(2), 51)], 0).unwrap();
        assert_eq!(below.winner, None);
    }

    #[test]
    fn r5_5_the_attendee_figure_is_reported_but_the_law_decides() {
        // 70 attend of 120; 50 vote for the leader: > 50 % of attendees,
        // not > 50 % of all households.
        let o = ElectionOutcome::count(&base(120), V, d(E), 70, &[p(1), p(2)], &[(p(1), 50), (p(2), 20)], 0).unwrap();
        let top = o.candidates[0];
        assert_eq!(top.candidate, p(1));
        assert!(top.over_half_of_attendees && !top.elected_under_law);
        assert_eq!(top.of_attendees, Fraction::new(50, 70));
        assert_eq!(top.of_households.percent(2).vi, "41,67%");
        assert_eq!(o.winner, None);
        let reason = o.no_winner_reason().unwrap();
        assert!(reason.vi.contains("cần ít nhất 61 phiếu") && reason.vi.contains("trên 50% số đại diện hộ dự họp"), "{}", reason.vi);
    }

    #[test]
    fn r5_3_one_ballot_per_household() {
        let c = [p(1)];
        assert!(ElectionOutcome::count(&base(120), V, d(E), 121, &c, &[], 0).is_err());
        assert!(ElectionOutcome::count(&base(120), V, d(E), 100, &c, &[(p(1), 100)], 0).is_ok());
        assert!(ElectionOutcome::count(&base(120), V, d(E), 100, &c, &[(p(1), 100)], 1).unwrap_err().vi.contains("mỗi hộ chỉ một phiếu"));
        assert!(ElectionOutcome::count(&base(120), V, d(E), 100, &c, &[(p(9), 1)], 0).is_err());
        assert!(ElectionOutcome::count(&base(120), V, d(E), 100, &c, &[(p(1), 1), (p(1), 1)], 0).is_err());
        // The wrong base is refused (C0.4).
        let other = HouseholdBase::new(VillageId(4), d(E), 120).unwrap();
        assert!(ElectionOutcome::count(&other, V, d(E), 100, &c, &[], 0).is_err());
    }

    #[test]
    fn r5_7_no_winner_needs_a_reason_and_leads_to_re_election() {
        assert!(check_no_winner_minutes("  ").unwrap_err().vi.contains("R5.7"));
        assert!(check_no_winner_minutes("Không người ứng cử nào đạt trên 50% tổng số hộ").is_ok());
        assert_eq!(crate::decision::Redo::NoWinner.next_form(), crate::decision::Form::Meeting);
    }

    #[test]
    fn r5_6_recognition_within_five_working_days() {
        let cal = Calendar::standard();
        let clock = Rules::default().recognition_clock(d("2026-12-21")); // Monday
        assert_eq!(clock.due(&cal), d("2026-12-28"));
        assert_eq!(clock.state(&cal, d("2026-12-29"), None), ClockState::Overdue { due: d("2026-12-28") });
        assert!(matches!(clock.state(&cal, d("2026-12-29"), Some(d("2026-12-28"))), ClockState::DoneOnTime { .. }));
    }

    #[test]
    fn r5_8_term_is_configurable_and_defaults_to_five_years() {
        let rules = Rules::default();
        assert_eq!(rules.term_months, 60);
        assert_eq!(rules.term_ends(d("2026-12-28")), d("2031-12-27"));
        let short = Rules { term_months: 30, ..Rules::default() };
        assert_eq!(short.term_ends(d("2026-12-28")), d("2029-06-27"));
    }

    #[test]
    fn r5_8_interim_head_at_most_six_months() {
        let rules = Rules::default();
        let appointed = d("2026-01-10");
        assert_eq!(rules.interim_ends(appointed), d("2026-07-09"));
        assert!(rules.check_interim(appointed, d("2026-07-09")).is_ok());
        assert!(rules.check_interim(appointed, d("2026-07-10")).unwrap_err().vi.contains("tối đa 6 tháng"));
    }

    #[test]
    fn r5_9_household_petition_needs_half_of_households() {
        let b = base(120);
        assert!(check_dismissal_trigger(&b, DismissalTrigger::HouseholdPetition { petitioners: 59 })
            .unwrap_err()
            .vi
            .contains("cần ít nhất 60"));
        assert!(check_dismissal_trigger(&b, DismissalTrigger::HouseholdPetition { petitioners: 60 }).is_ok());
        assert!(check_dismissal_trigger(&b, DismissalTrigger::HouseholdPetition { petitioners: 61 }).is_ok());
        assert!(check_dismissal_trigger(&b, DismissalTrigger::HouseholdPetition { petitioners: 121 }).is_err());
        assert!(check_dismissal_trigger(&b, DismissalTrigger::OwnRequest).is_ok());
        assert!(check_dismissal_trigger(&b, DismissalTrigger::FrontProposal(FrontGround::LossOfTrust)).is_ok());
        // The dismissal vote itself: more than half of all households (R2.15).
        assert_eq!(crate::decision::Subject::VillageHead.threshold(), Threshold::MORE_THAN_HALF);
    }

    #[test]
    fn r5_10_new_election_decided_within_60_days() {
        let cal = Calendar::standard();
        let clock = Rules::default().new_election_clock(d("2026-10-01"));
        // 60 days after 1 Oct 2026 is Monday 30 Nov.
        assert_eq!(clock.due(&cal), d("2026-11-30"));
        assert!(matches!(clock.state(&cal, d("2026-12-01"), None), ClockState::Overdue { .. }));
        assert!(matches!(clock.state(&cal, d("2026-11-30"), None), ClockState::Running { .. }));
        // Ending on Saturday 5 Dec moves to Monday 7 Dec (C0.2).
        assert_eq!(Rules::default().new_election_clock(d("2026-10-06")).due(&cal), d("2026-12-07"));
    }
}
