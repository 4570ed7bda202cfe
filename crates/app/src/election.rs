//! Village-head elections and dismissals outside the pages (R5.1–R5.10):
//! preparation steps checked against the timeline counted back from the
//! meeting day, the candidate list and nominations from the floor, the
//! election team without candidates, the count with the Law's threshold
//! (more than half of ALL households) and the attendees' figure beside it,
//! no winner with its reason and the re-election, sending and the commune's
//! answer with its clock, the head taking office for the province's term,
//! the interim head, and dismissal with its 60-day clock for a new election.
//!
//! The rules are `danchu_domain::election`'s; the SQL is
//! `danchu_store::elections`. Every write is one transaction; a second
//! submission of a step that is already done changes nothing.

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use danchu_domain::decision::{ClockState, HouseholdBase, Threshold, VillageId};
use danchu_domain::election::{self as rules, CommuneAnswer, DismissalTrigger, ElectionOutcome, FrontGround, PersonId, Rules, Step};
use danchu_domain::units::Level;
use danchu_domain::Msg;
use danchu_store::elections::{self as es, Election, StepColumn};
use danchu_store::{households, units};

/// The rules with the province's settings (the term, R5.8).
pub fn rules_of(ctx: &Ctx) -> Rules {
    Rules { term_months: ctx.cfg.village_head_term_months, ..Rules::default() }
}

fn day(iso: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").map_err(|e| AppError::internal(format!("stored date {iso}: {e}")))
}

fn conflict(vi: &str, en: &str) -> AppError {
    AppError::Conflict(Msg::new(vi, en))
}

/// Loads an election or 404.
pub async fn load(ctx: &Ctx, id: i64) -> AppResult<Election> {
    es::get(&ctx.store, id).await?.ok_or(AppError::NotFound)
}

/// What a new election needs.
#[derive(Debug, Clone)]
pub struct NewElection {
    pub village_id: i64,
    pub election_day: NaiveDate,
    /// A re-election after no winner or the commune's decision (R5.6,
    /// R5.7), or the election after a dismissal (R5.10).
    pub redo_of: Option<i64>,
    pub is_demo: bool,
    pub created_by: Option<i64>,
}

async fn village_and_commune(ctx: &Ctx, village_id: i64) -> AppResult<(units::Unit, units::Unit)> {
    let village = units::get(&ctx.store, village_id).await?;
    if village.kind.level() != Level::Village {
        return Err(AppError::validation(
            "village_id",
            Msg::new("Trưởng thôn được bầu tại thôn, tổ dân phố.", "A village head is elected in a village."),
        ));
    }
    let commune = units::get(&ctx.store, village.parent_id.ok_or(AppError::NotFound)?).await?;
    Ok((village, commune))
}

/// Creates an election being prepared. A re-election names the election it
/// redoes, for which the commune decided a re-election (R5.6, R5.7), or the
/// recognised dismissal it follows (R5.10).
pub async fn create(ctx: &Ctx, n: &NewElection) -> AppResult<i64> {
    let (village, commune) = village_and_commune(ctx, n.village_id).await?;
    if let Some(prev) = n.redo_of {
        let p = load(ctx, prev).await?;
        let may = p.village_id == n.village_id
            && ((p.kind == "election" && p.status == es::RE_ELECTION) || (p.kind == "dismissal" && p.status == es::RECOGNISED));
        if !may {
            return Err(conflict(
                "Chỉ bầu lại khi cuộc bầu trước không có người trúng cử, khi UBND xã quyết định bầu lại, hoặc sau khi việc cho thôi làm Trưởng thôn được công nhận (R5.7, R5.10).",
                "A re-election follows an election without a winner, the commune's decision to re-elect, or a recognised dismissal (R5.7, R5.10).",
            ));
        }
    }
    let date = n.election_day.to_string();
    let mut tx = ctx.store.write().await?;
    let id = es::create(
        &mut tx,
        &es::NewElection {
            unit_id: commune.id,
            unit_path: &commune.path,
            village_id: village.id,
            kind: "election",
            election_day: &date,
            redo_of: n.redo_of,
            head_id: None,
            trigger_kind: None,
            trigger_ground: None,
            petitioners: None,
            is_demo: n.is_demo,
            created_by: n.created_by,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

fn column(step: Step) -> StepColumn {
    match step {
        Step::Decision => StepColumn::Decision,
        Step::CandidateList => StepColumn::Candidates,
        Step::ElectionTeam => StepColumn::Team,
        Step::Announcement => StepColumn::Announcement,
    }
}

fn planned(e: &Election) -> AppResult<()> {
    if e.status != es::PLANNED {
        return Err(conflict(
            "Cuộc bầu cử đã kiểm phiếu; không thể thay đổi phần chuẩn bị.",
            "The election is counted; its preparation is closed.",
        ));
    }
    Ok(())
}

/// Records a preparation step done on `done_on`, refused after its latest
/// day counted back from the meeting day (R5.1). Recording it again
/// changes nothing.
pub async fn record_step(ctx: &Ctx, id: i64, step: Step, done_on: NaiveDate) -> AppResult<()> {
    let e = load(ctx, id).await?;
    planned(&e)?;
    rules_of(ctx).timeline(day(&e.election_day)?).check(step, done_on).map_err(|m| AppError::validation("done_on", m))?;
    let mut tx = ctx.store.write().await?;
    es::set_step(&mut tx, id, column(step), &done_on.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

async fn resident(ctx: &Ctx, e: &Election, person: i64) -> AppResult<String> {
    es::resident_name(&ctx.store, person, e.village_id, &e.election_day).await?.ok_or_else(|| {
        AppError::validation(
            "person",
            Msg::new(
                format!("Người (mã {person}) không phải cư dân của thôn vào ngày bầu cử."),
                format!("Person {person} is not a resident of the village on the election day."),
            ),
        )
    })
}

/// Sets the official candidate list fixed on `done_on` (R5.1): at least one
/// resident of the village, nobody twice, by E−15.
pub async fn set_candidates(ctx: &Ctx, id: i64, persons: &[i64], done_on: NaiveDate) -> AppResult<()> {
    let e = load(ctx, id).await?;
    planned(&e)?;
    let ids: Vec<PersonId> = persons.iter().map(|p| PersonId(*p)).collect();
    rules::check_candidates(&ids).map_err(|m| AppError::validation("candidates", m))?;
    rules_of(ctx).timeline(day(&e.election_day)?).check(Step::CandidateList, done_on).map_err(|m| AppError::validation("done_on", m))?;
    let mut named = Vec::new();
    for p in persons {
        named.push((*p, resident(ctx, &e, *p).await?));
    }
    let team = es::team(&ctx.store, id).await?;
    if let Some(m) = team.iter().find(|m| persons.contains(&m.person_id)) {
        return Err(AppError::validation(
            "candidates",
            Msg::new(
                format!("{} là thành viên Tổ bầu cử nên không được ứng cử (Điều 6 Nghị định 59/2023/NĐ-CP, R5.2).", m.full_name),
                format!("{} sits on the election team and cannot stand (R5.2).", m.full_name),
            ),
        ));
    }
    let mut tx = ctx.store.write().await?;
    if es::candidates_tx(&mut tx, id).await?.iter().any(|c| c.nominated == "list") {
        return Err(conflict("Danh sách người ứng cử chính thức đã được lập.", "The official candidate list is already set."));
    }
    for (p, name) in &named {
        es::add_candidate(&mut tx, id, *p, name, "list").await?;
    }
    es::set_step(&mut tx, id, StepColumn::Candidates, &done_on.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the election team on `done_on` (R5.2): led by the village Front
/// work committee's representative, no candidate on it, by E−10 (R5.1).
pub async fn set_team(ctx: &Ctx, id: i64, leader: i64, leader_is_front: bool, members: &[i64], done_on: NaiveDate) -> AppResult<()> {
    let e = load(ctx, id).await?;
    planned(&e)?;
    let mut all: Vec<i64> = vec![leader];
    all.extend(members.iter().copied().filter(|m| *m != leader));
    let candidates: Vec<PersonId> = es::candidates(&ctx.store, id).await?.iter().map(|c| PersonId(c.person_id)).collect();
    let ids: Vec<PersonId> = all.iter().map(|p| PersonId(*p)).collect();
    rules::check_election_team(leader_is_front, &ids, &candidates).map_err(|m| AppError::validation("team", m))?;
    rules_of(ctx).timeline(day(&e.election_day)?).check(Step::ElectionTeam, done_on).map_err(|m| AppError::validation("done_on", m))?;
    let mut team = Vec::new();
    for p in &all {
        team.push(es::TeamMember {
            person_id: *p,
            full_name: resident(ctx, &e, *p).await?,
            is_leader: *p == leader,
            front_representative: *p == leader && leader_is_front,
        });
    }
    let mut tx = ctx.store.write().await?;
    es::set_team(&mut tx, id, &team).await?;
    es::set_step(&mut tx, id, StepColumn::Team, &done_on.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a nomination from the floor at the meeting (R5.4): a resident not
/// already standing and not on the election team (R5.2).
pub async fn nominate_from_floor(ctx: &Ctx, id: i64, person: i64) -> AppResult<()> {
    let e = load(ctx, id).await?;
    planned(&e)?;
    let mut candidates: Vec<PersonId> = es::candidates(&ctx.store, id).await?.iter().map(|c| PersonId(c.person_id)).collect();
    let team: Vec<PersonId> = es::team(&ctx.store, id).await?.iter().map(|m| PersonId(m.person_id)).collect();
    rules::nominate_from_floor(&mut candidates, &team, PersonId(person)).map_err(|m| AppError::validation("person", m))?;
    let name = resident(ctx, &e, person).await?;
    let mut tx = ctx.store.write().await?;
    es::add_candidate(&mut tx, id, person, &name, "floor").await?;
    tx.commit().await?;
    Ok(())
}

/// The household base of the village on the meeting day (C0.4).
async fn base_of(ctx: &Ctx, e: &Election) -> AppResult<HouseholdBase> {
    let date = day(&e.election_day)?;
    let n = households::count_at(&ctx.store, e.village_id, &e.election_day).await?;
    HouseholdBase::new(VillageId(e.village_id), date, n.max(0) as u64).map_err(AppError::Conflict)
}

/// Records the count of an election once (R5.5): the votes per candidate
/// (by person), the household representatives attending (or ballots
/// returned) and the invalid ballots. The winner needs more than half of ALL
/// households; the attendees' figure is reported beside it. Without a
/// winner the minutes must give the reason (R5.7). Refused: no candidate,
/// a vote for someone not standing, more ballots than attendees or
/// attendees than households.
pub async fn record_count(
    ctx: &Ctx,
    id: i64,
    attendees: u64,
    votes: &[(i64, u64)],
    invalid: u64,
    no_winner_reason: &str,
) -> AppResult<ElectionOutcome> {
    let e = load(ctx, id).await?;
    if e.kind != "election" {
        return Err(AppError::NotFound);
    }
    planned(&e)?;
    let base = base_of(ctx, &e).await?;
    let cands = es::candidates(&ctx.store, id).await?;
    let persons: Vec<PersonId> = cands.iter().map(|c| PersonId(c.person_id)).collect();
    let v: Vec<(PersonId, u64)> = votes.iter().map(|(p, n)| (PersonId(*p), *n)).collect();
    let outcome = ElectionOutcome::count(&base, VillageId(e.village_id), base.on(), attendees, &persons, &v, invalid)
        .map_err(|m| AppError::validation("votes", m))?;
    let reason = match outcome.winner {
        Some(_) => None,
        None => {
            rules::check_no_winner_minutes(no_winner_reason).map_err(|m| AppError::validation("no_winner_reason", m))?;
            Some(no_winner_reason.trim().to_string())
        }
    };
    let winner_id = outcome.winner.and_then(|w| cands.iter().find(|c| c.person_id == w.0)).map(|c| c.id);
    let by_candidate: Vec<(i64, i64)> =
        cands.iter().map(|c| (c.id, votes.iter().find(|(p, _)| *p == c.person_id).map(|(_, n)| *n as i64).unwrap_or(0))).collect();
    let mut tx = ctx.store.write().await?;
    let done = es::record_count(
        &mut tx,
        id,
        &es::Count {
            status: if winner_id.is_some() { es::ELECTED } else { es::NO_WINNER },
            households: outcome.households as i64,
            attendees: outcome.attendees as i64,
            invalid: outcome.invalid as i64,
            required: outcome.required as i64,
            winner_id,
            no_winner_reason: reason.as_deref(),
            votes: &by_candidate,
        },
    )
    .await?;
    if !done {
        return Err(conflict("Kết quả bầu cử đã được ghi.", "The election's count was already recorded."));
    }
    tx.commit().await?;
    Ok(outcome)
}

/// Records the sending of the result to the commune People's Committee and
/// Front on `sent_on` (R5.6: within 5 working days of the meeting; a late
/// sending is recorded and shows as late).
pub async fn send(ctx: &Ctx, id: i64, sent_on: NaiveDate) -> AppResult<()> {
    let e = load(ctx, id).await?;
    if sent_on < day(&e.election_day)? {
        return Err(AppError::validation(
            "sent_on",
            Msg::new("Ngày gửi không thể trước ngày họp.", "The sending cannot precede the meeting."),
        ));
    }
    let mut tx = ctx.store.write().await?;
    if !es::send(&mut tx, id, &sent_on.to_string()).await? {
        if e.status == es::SENT && e.sent_on.as_deref() == Some(&sent_on.to_string()) {
            return Ok(());
        }
        return Err(conflict(
            "Chỉ gửi kết quả sau khi đã kiểm phiếu, và chỉ một lần (R5.6).",
            "The result is sent once, after the count (R5.6).",
        ));
    }
    tx.commit().await?;
    Ok(())
}

/// The commune's clock on a sent result (R5.6, R5.10): 5 working days from
/// receipt, done when answered.
pub async fn answer_clock(ctx: &Ctx, e: &Election, today: NaiveDate) -> AppResult<Option<ClockState>> {
    let Some(sent) = e.sent_on.as_deref() else { return Ok(None) };
    let cal = crate::calendar::load(&ctx.store).await?;
    let done = e.answered_on.as_deref().map(day).transpose()?;
    Ok(Some(rules_of(ctx).recognition_clock(day(sent)?).state(&cal, today, done)))
}

/// Records the commune's answer to a sent election (R5.6): recognised (the
/// winner takes office that day, for the province's term, R5.8, and the
/// previous head's service ends), a re-election, or a written reply with
/// its reasons. Refused: an answer before sending, or twice; recognising
/// an election without a winner.
pub async fn answer(ctx: &Ctx, id: i64, a: &CommuneAnswer, on: NaiveDate) -> AppResult<()> {
    let e = load(ctx, id).await?;
    if e.status != es::SENT {
        return Err(conflict(
            "UBND xã trả lời sau khi nhận được kết quả, và một lần (R5.6).",
            "The commune answers once, after receiving the result (R5.6).",
        ));
    }
    if on < day(e.sent_on.as_deref().unwrap_or(&e.election_day))? {
        return Err(AppError::validation(
            "on",
            Msg::new("Ngày trả lời không thể trước ngày gửi.", "The answer cannot precede the sending."),
        ));
    }
    let r = rules_of(ctx);
    let iso = on.to_string();
    let mut tx = ctx.store.write().await?;
    match (a, e.kind.as_str()) {
        (CommuneAnswer::Recognised, "election") => {
            let winner = e.winner_id.ok_or_else(|| {
                conflict(
                    "Không có người trúng cử để công nhận; UBND xã quyết định bầu lại (R5.7).",
                    "There is no winner to recognise; the commune decides a re-election (R5.7).",
                )
            })?;
            let cands = es::candidates_tx(&mut tx, id).await?;
            let c = cands.iter().find(|c| c.id == winner).ok_or_else(|| AppError::internal("winner not among candidates"))?;
            if !es::answer(&mut tx, id, es::RECOGNISED, &iso, None, None).await? {
                return Err(conflict("Đã có trả lời của UBND xã.", "The commune has already answered."));
            }
            es::install_head(
                &mut tx,
                &es::NewHead {
                    village_id: e.village_id,
                    person_id: Some(c.person_id),
                    full_name: &c.full_name,
                    kind: "elected",
                    election_id: Some(id),
                    from_on: &iso,
                    until_on: &r.term_ends(on).to_string(),
                },
                "Trưởng thôn mới được công nhận",
            )
            .await?;
        }
        (CommuneAnswer::Recognised, _) => {
            // A dismissal recognised: the head's service ends; a new
            // election is decided within 60 days (R5.10).
            // Sending replaced the counted state; a dismissal that did not
            // pass keeps its reason (`no_winner_reason`), one that passed has none.
            if e.no_winner_reason.is_some() {
                return Err(conflict(
                    "Hội nghị không biểu quyết cho thôi làm Trưởng thôn; không có gì để công nhận (R5.9).",
                    "The meeting did not vote the dismissal; there is nothing to recognise (R5.9).",
                ));
            }
            let cal = crate::calendar::load_tx(&mut tx).await?;
            let by = r.new_election_clock(on).due(&cal).to_string();
            if !es::answer(&mut tx, id, es::RECOGNISED, &iso, None, Some(&by)).await? {
                return Err(conflict("Đã có trả lời của UBND xã.", "The commune has already answered."));
            }
            es::end_head(&mut tx, e.village_id, &iso, "Cho thôi làm Trưởng thôn (R5.9)").await?;
        }
        (CommuneAnswer::ReElection, "election") => {
            if !es::answer(&mut tx, id, es::RE_ELECTION, &iso, None, None).await? {
                return Err(conflict("Đã có trả lời của UBND xã.", "The commune has already answered."));
            }
        }
        (CommuneAnswer::ReElection, _) => return Err(AppError::validation("answer", Msg::new("Không áp dụng.", "Not applicable."))),
        (CommuneAnswer::Replied { reasons }, _) => {
            if danchu_domain::text::clean_text(reasons).chars().count() < 15 {
                return Err(AppError::validation(
                    "reasons",
                    Msg::new("Văn bản trả lời phải nêu rõ lý do (R5.6).", "A written reply states its reasons (R5.6)."),
                ));
            }
            if !es::answer(&mut tx, id, es::REPLIED, &iso, Some(reasons.trim()), None).await? {
                return Err(conflict("Đã có trả lời của UBND xã.", "The commune has already answered."));
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Appoints an interim head on `on` (R5.8, R5.10: a new village, a vacancy
/// or after a dismissal), for at most 6 months; the previous head's service
/// ends that day.
pub async fn appoint_interim(ctx: &Ctx, village_id: i64, person: i64, on: NaiveDate) -> AppResult<i64> {
    village_and_commune(ctx, village_id).await?;
    let iso = on.to_string();
    let name = es::resident_name(&ctx.store, person, village_id, &iso).await?.ok_or_else(|| {
        AppError::validation("person", Msg::new("Người được chỉ định không cư trú tại thôn.", "The person does not live in the village."))
    })?;
    let until = rules_of(ctx).interim_ends(on).to_string();
    let mut tx = ctx.store.write().await?;
    let h = es::install_head(
        &mut tx,
        &es::NewHead {
            village_id,
            person_id: Some(person),
            full_name: &name,
            kind: "interim",
            election_id: None,
            from_on: &iso,
            until_on: &until,
        },
        "Chỉ định Trưởng thôn lâm thời",
    )
    .await?;
    tx.commit().await?;
    Ok(h)
}

/// What starts a dismissal, as a form gives it.
#[derive(Debug, Clone, Copy)]
pub enum Trigger {
    OwnRequest,
    Front(FrontGround),
    Petition(u64),
}

/// Starts a dismissal of the village's current head, to be decided at a
/// meeting on `meeting_day` (R5.9). A households' petition needs at least
/// 50 % of all households.
pub async fn start_dismissal(ctx: &Ctx, village_id: i64, meeting_day: NaiveDate, t: Trigger, by: Option<i64>) -> AppResult<i64> {
    let (village, commune) = village_and_commune(ctx, village_id).await?;
    let head = es::current_head(&ctx.store, village_id)
        .await?
        .ok_or_else(|| conflict("Thôn chưa có Trưởng thôn đương nhiệm để cho thôi làm.", "The village has no serving head to dismiss."))?;
    let date = meeting_day.to_string();
    let n = households::count_at(&ctx.store, village_id, &date).await?;
    let base = HouseholdBase::new(VillageId(village_id), meeting_day, n.max(0) as u64).map_err(AppError::Conflict)?;
    let (trigger, kind, ground, petitioners) = match t {
        Trigger::OwnRequest => (DismissalTrigger::OwnRequest, "own_request", None, None),
        Trigger::Front(g) => (DismissalTrigger::FrontProposal(g), "front", Some(format!("{g:?}")), None),
        Trigger::Petition(p) => (DismissalTrigger::HouseholdPetition { petitioners: p }, "petition", None, Some(p as i64)),
    };
    rules::check_dismissal_trigger(&base, trigger).map_err(|m| AppError::validation("petitioners", m))?;
    let mut tx = ctx.store.write().await?;
    let id = es::create(
        &mut tx,
        &es::NewElection {
            unit_id: commune.id,
            unit_path: &commune.path,
            village_id: village.id,
            kind: "dismissal",
            election_day: &date,
            redo_of: None,
            head_id: Some(head.id),
            trigger_kind: Some(kind),
            trigger_ground: ground.as_deref(),
            petitioners,
            is_demo: false,
            created_by: by,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Records the meeting's vote on a dismissal once (R5.9): it passes with
/// more than half of ALL households of the village.
pub async fn record_dismissal_vote(ctx: &Ctx, id: i64, attendees: u64, agree: u64) -> AppResult<bool> {
    let e = load(ctx, id).await?;
    if e.kind != "dismissal" {
        return Err(AppError::NotFound);
    }
    planned(&e)?;
    let base = base_of(ctx, &e).await?;
    let h = base.households();
    if attendees > h || agree > attendees {
        return Err(AppError::validation(
            "agree",
            Msg::new(
                format!("Số liệu không hợp lệ: {agree} đồng ý, {attendees} hộ dự họp, thôn có {h} hộ (R5.3)."),
                format!("Invalid figures: {agree} agree, {attendees} attending, {h} households (R5.3)."),
            ),
        ));
    }
    let t = Threshold::MORE_THAN_HALF;
    let passed = t.passes(agree, h);
    let reason = (!passed).then(|| {
        format!("Số hộ đồng ý cho thôi làm ({agree}) chưa đạt trên 50% tổng số hộ của thôn ({h} hộ, cần {}) (R5.9).", t.required(h))
    });
    let mut tx = ctx.store.write().await?;
    let done = es::record_count(
        &mut tx,
        id,
        &es::Count {
            status: if passed { es::DISMISSED } else { es::KEPT },
            households: h as i64,
            attendees: attendees as i64,
            invalid: 0,
            required: t.required(h) as i64,
            winner_id: None,
            no_winner_reason: reason.as_deref(),
            votes: &[(0, agree as i64)],
        },
    )
    .await?;
    if !done {
        return Err(conflict("Kết quả đã được ghi.", "The result was already recorded."));
    }
    tx.commit().await?;
    Ok(passed)
}
