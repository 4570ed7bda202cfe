//! Community decisions (dân quyết) outside the pages: creating a decision
//! with its frozen household bases, online votes through group commit
//! (exactly once per household, idempotent on the submission key, with a
//! receipt), paper household ballots and their count, the meeting's
//! result, the tally from the counters and the closing that freezes the
//! result and its evidence once.
//!
//! The rules are `danchu_domain::decision`'s; the SQL is
//! `danchu_store::decisions`.

use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use danchu_domain::decision::{
    self as rules, check_first_vote, check_form, check_vote_time, commune_outcome, not_in_village, Choice, CommuneOutcome, Counts, Form,
    FormFacts, HouseholdBase, HouseholdId, Outcome, Scope, Subject, Tally, VillageId,
};
use danchu_domain::units::Level;
use danchu_domain::Msg;
use danchu_store::decisions::{self as ds, Decision, PaperRefusal};
use danchu_store::{idempotency, units, StoreError, Tx};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// What a new decision needs.
#[derive(Debug, Clone)]
pub struct NewDecision {
    /// The commune (xã, phường).
    pub commune_id: i64,
    pub scope: Scope,
    /// The village, for a village decision.
    pub village_id: Option<i64>,
    pub subject: Subject,
    pub title: String,
    pub question: String,
    pub content: String,
    pub form: Form,
    /// The facts that allow the form (R2.5, R2.12, R2.14).
    pub facts: FormFacts,
    pub secret: bool,
    /// The household bases are counted on this day (C0.4).
    pub decision_date: NaiveDate,
    pub redo_of: Option<i64>,
    pub is_demo: bool,
    pub created_by: Option<i64>,
}

fn bad(vi: &str, en: &str) -> AppError {
    AppError::BadRequest(Msg::new(vi, en))
}

/// Creates a decision (draft) and freezes the household base of each
/// village taking part on the decision date: the village's for a village
/// decision, every village of the commune for a commune-wide one.
pub async fn create(ctx: &Ctx, n: &NewDecision) -> AppResult<i64> {
    check_form(n.subject, n.scope, n.form, n.facts).map_err(|m| AppError::validation("form", m))?;
    if n.title.trim().is_empty() || n.question.trim().is_empty() {
        return Err(AppError::validation(
            "title",
            Msg::new("Cần nhập tiêu đề và câu hỏi biểu quyết.", "A title and a question are needed."),
        ));
    }
    let store = &ctx.store;
    let commune = units::get(store, n.commune_id).await?;
    if commune.kind.level() != Level::Commune {
        return Err(bad(
            "Dân quyết được tổ chức tại xã, phường hoặc thôn, tổ dân phố của xã.",
            "Decisions are organised in a commune or its villages.",
        ));
    }
    let villages: Vec<i64> = match (n.scope, n.village_id) {
        (Scope::Village, Some(v)) => {
            let village = units::get(store, v).await?;
            if village.parent_id != Some(commune.id) || village.kind.level() != Level::Village {
                return Err(bad("Thôn, tổ dân phố không thuộc xã này.", "The village does not belong to this commune."));
            }
            vec![v]
        }
        (Scope::Village, None) => {
            return Err(AppError::validation("village_id", Msg::new("Cần chọn thôn, tổ dân phố.", "Choose the village.")))
        }
        (Scope::Commune, _) => units::children(store, commune.id)
            .await?
            .into_iter()
            .filter(|u| u.unit.kind.level() == Level::Village && u.unit.valid_to.is_none())
            .map(|u| u.unit.id)
            .collect(),
    };
    if villages.is_empty() {
        return Err(bad("Xã chưa có thôn, tổ dân phố nào.", "The commune has no village."));
    }
    let date = n.decision_date.to_string();
    let mut tx = store.write().await?;
    let (id, bases) = ds::create(
        &mut tx,
        &ds::NewDecision {
            unit_id: commune.id,
            unit_path: &commune.path,
            scope: scope_str(n.scope),
            village_id: if n.scope == Scope::Village { n.village_id } else { None },
            subject: n.subject.number() as i64,
            title: n.title.trim(),
            question: n.question.trim(),
            content: n.content.trim(),
            form: n.form.as_str(),
            secret: n.secret,
            redo_of: n.redo_of,
            decision_date: &date,
            opens_at: None,
            closes_at: None,
            is_demo: n.is_demo,
            created_by: n.created_by,
        },
        &villages,
    )
    .await?;
    if n.scope == Scope::Village {
        // A village without households on the decision date has no base
        // to compute a share on (C0.4).
        let (v, h) = bases.iter().next().map(|(v, h)| (*v, *h)).unwrap_or((0, 0));
        HouseholdBase::new(VillageId(v), n.decision_date, h.max(0) as u64).map_err(|m| AppError::validation("village_id", m))?;
    }
    tx.commit().await?;
    Ok(id)
}

fn scope_str(s: Scope) -> &'static str {
    match s {
        Scope::Village => "village",
        Scope::Commune => "commune",
    }
}

fn decision_scope(d: &Decision) -> Scope {
    if d.scope == "commune" {
        Scope::Commune
    } else {
        Scope::Village
    }
}

/// Loads a decision or 404.
pub async fn load(ctx: &Ctx, id: i64) -> AppResult<Decision> {
    ds::get(&ctx.store, id).await?.ok_or(AppError::NotFound)
}

/// Opens a draft decision for votes from `opens_at` (inclusive) to
/// `closes_at` (exclusive), epoch ms. Opening twice changes nothing.
pub async fn open(ctx: &Ctx, id: i64, opens_at: i64, closes_at: i64) -> AppResult<()> {
    if closes_at <= opens_at {
        return Err(AppError::validation(
            "closes_at",
            Msg::new("Thời điểm kết thúc phải sau thời điểm bắt đầu.", "The end must follow the start."),
        ));
    }
    let mut tx = ctx.store.write().await?;
    let d = ds::get_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if d.status != ds::DRAFT && d.status != ds::OPEN {
        return Err(AppError::Conflict(Msg::new("Biểu quyết đã kết thúc.", "The decision is closed.")));
    }
    ds::open(&mut tx, id, opens_at, closes_at).await?;
    tx.commit().await?;
    Ok(())
}

/// Vietnam local time of an instant (for the refusals' wording).
fn local(ms: i64) -> NaiveDateTime {
    let offset = FixedOffset::east_opt(7 * 3600).expect("valid offset");
    DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&offset).naive_local()).unwrap_or_default()
}

fn parse_date(iso: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").map_err(|e| AppError::internal(format!("stored date {iso}: {e}")))
}

// ---------------------------------------------------------------------------
// Online votes (R2.14)
// ---------------------------------------------------------------------------

/// The answer to an accepted online vote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Handed to the voter once (and again on a retry of the same
    /// submission); only its SHA-256 is stored, with the ballot.
    pub code: String,
    /// True when this was a retry of a submission already counted.
    pub replayed: bool,
}

/// Why a vote's batched write was rolled back.
enum Undo {
    Replay,
    Refused(Msg),
    Fail(AppError),
}

impl From<StoreError> for Undo {
    fn from(e: StoreError) -> Self {
        Undo::Fail(e.into())
    }
}

/// The least length of a submission key: the receipt is derived from it,
/// so it must be unguessable (the forms put 128 random bits in it).
const MIN_KEY_LEN: usize = 16;

/// The stored idempotency key of a vote: a hash, so that the submission key
/// the receipt is derived from is never stored.
fn stored_key(decision_id: i64, household_id: i64, idem: &str) -> String {
    let h = Sha256::digest(format!("danchu-decision-vote\0{decision_id}\0{household_id}\0{idem}").as_bytes());
    format!("dv:{}", hex::encode(h))
}

/// The receipt code of a submission: derived from the submission key
/// (which only the voter's browser holds), so that a retry gets the same
/// receipt while the server keeps nothing that could rebuild it.
fn receipt_code(decision_id: i64, household_id: i64, idem: &str) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let h = Sha256::digest(format!("danchu-decision-receipt\0{decision_id}\0{household_id}\0{idem}").as_bytes());
    let code: String = h.iter().take(16).map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char).collect();
    format!("{}-{}-{}-{}", &code[0..4], &code[4..8], &code[8..12], &code[12..16])
}

/// What the batched write owns.
struct VoteWrite {
    decision_id: i64,
    village_id: i64,
    household_id: i64,
    choice: Choice,
    key: String,
    receipt_hash: String,
    now: i64,
}

/// The refusal of a vote outside the decision's window or state.
fn window_refusal(s: &ds::VoteState, now: i64) -> Option<Msg> {
    match (s.status.as_str(), s.opens_at, s.closes_at) {
        (ds::OPEN, Some(o), Some(c)) => check_vote_time(local(now), local(o), local(c)).err(),
        (ds::DRAFT, _, _) => Some(Msg::new("Biểu quyết chưa mở; chưa nhận phiếu.", "The vote is not open yet.")),
        // Closed (or decided since): refused as a vote after closing.
        (_, Some(o), Some(c)) => check_vote_time(local(now.max(c)), local(o), local(c)).err().or_else(|| Some(closed_msg())),
        _ => Some(closed_msg()),
    }
}

fn closed_msg() -> Msg {
    Msg::new(
        "Biểu quyết đã kết thúc; phiếu gửi sau thời điểm kết thúc không được tính (R2.14).",
        "The vote is closed; a vote after closing is not counted (R2.14).",
    )
}

async fn write_vote(tx: &mut Tx, w: VoteWrite) -> Result<(), Undo> {
    let state = ds::vote_state(tx, w.decision_id).await?.ok_or(Undo::Fail(AppError::NotFound))?;
    if let Some(m) = window_refusal(&state, w.now) {
        return Err(Undo::Refused(m));
    }
    // The key first: a retry of a counted submission is a replay, not a
    // second vote.
    match idempotency::record(tx, &w.key, None, "voted").await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(Undo::Replay),
        Err(e) => return Err(e.into()),
    }
    let cast = ds::Cast {
        decision_id: w.decision_id,
        village_id: w.village_id,
        household_id: w.household_id,
        choice: w.choice,
        secret: state.secret,
        channel: "online",
        receipt_hash: Some(&w.receipt_hash),
        at: w.now,
    };
    match ds::cast_online(tx, &cast).await {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict(what)) if what == ds::ALREADY_VOTED => {
            Err(Undo::Refused(check_first_vote(true).expect_err("a second vote is refused")))
        }
        Err(e) => Err(e.into()),
    }
}

/// Casts a household's online vote (R2.14), exactly once: the write goes
/// through group commit and is acknowledged once durable. Refused with the
/// legal reason: a decision that is not an online vote, a household not in
/// the decision's village(s) on the decision date, a vote before opening or
/// after closing, a second vote. A retry with the same `idem_key` returns
/// the first outcome with the same receipt.
pub async fn cast_online_vote(
    ctx: &Ctx,
    decision_id: i64,
    household_id: i64,
    choice: Choice,
    idem_key: &str,
    now: i64,
) -> AppResult<Receipt> {
    let idem = idem_key.trim();
    if idem.len() < MIN_KEY_LEN || idem.len() > 100 {
        return Err(AppError::validation(
            "idem",
            Msg::new("Mã gửi phiếu không hợp lệ; vui lòng tải lại trang.", "Invalid submission key; reload the page."),
        ));
    }
    let store = &ctx.store;
    let key = stored_key(decision_id, household_id, idem);
    let receipt = receipt_code(decision_id, household_id, idem);
    if idempotency::lookup(store, &key).await?.is_some() {
        return Ok(Receipt { code: receipt, replayed: true });
    }
    let d = load(ctx, decision_id).await?;
    if d.form != Form::OnlineVote.as_str() {
        return Err(AppError::BadRequest(Msg::new(
            "Nội dung này không tổ chức biểu quyết trực tuyến (khoản 2 Điều 17 Luật Thực hiện dân chủ ở cơ sở; Điều 5 Nghị định 59/2023/NĐ-CP, R2.14).",
            "This decision is not taken by online vote (R2.14).",
        )));
    }
    let village_id = ds::household_village(store, decision_id, household_id)
        .await?
        .ok_or_else(|| AppError::BadRequest(not_in_village(HouseholdId(household_id))))?;
    let rhash = ds::receipt_hash(&receipt);
    // A replayed key whose first write is not committed yet (it shares this
    // batch, or another node's transaction) is looked up until it shows,
    // and written again if its batch failed.
    for _ in 0..50 {
        let w = VoteWrite { decision_id, village_id, household_id, choice, key: key.clone(), receipt_hash: rhash.clone(), now };
        let written = store.batched(move |tx: &mut Tx| -> danchu_store::BoxFut<'_, Result<(), Undo>> { Box::pin(write_vote(tx, w)) }).await;
        match written {
            Ok(()) => return Ok(Receipt { code: receipt, replayed: false }),
            Err(Undo::Refused(m)) => return Err(AppError::Conflict(m)),
            Err(Undo::Fail(e)) => return Err(e),
            Err(Undo::Replay) => {
                for _ in 0..40 {
                    if idempotency::lookup(store, &key).await?.is_some() {
                        return Ok(Receipt { code: receipt, replayed: true });
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                }
            }
        }
    }
    Err(AppError::internal("online vote: the submission key stayed unresolved"))
}

/// Whether the ballot of a receipt was counted (never what it says).
pub async fn receipt_counted(ctx: &Ctx, decision_id: i64, code: &str) -> AppResult<bool> {
    Ok(ds::receipt_counted(&ctx.store, decision_id, code).await?)
}

// ---------------------------------------------------------------------------
// Tally and closing (R2.15)
// ---------------------------------------------------------------------------

/// A decision's result: a village's outcome, or the commune-wide
/// aggregation with each village's outcome.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum DecisionResult {
    Village(Outcome),
    Commune { villages: Vec<Outcome>, commune: CommuneOutcome },
}

impl DecisionResult {
    pub fn passed(&self) -> bool {
        match self {
            DecisionResult::Village(o) => o.passed,
            DecisionResult::Commune { commune, .. } => commune.passed,
        }
    }
}

/// Decides from frozen bases and counts (pure).
fn decide(d: &Decision, bases: &BTreeMap<i64, i64>, counts: &BTreeMap<i64, Counts>) -> AppResult<DecisionResult> {
    let subject = u8::try_from(d.subject).ok().and_then(Subject::from_number).ok_or_else(|| AppError::internal("stored subject"))?;
    let date = parse_date(&d.decision_date)?;
    let mut outcomes = Vec::new();
    for (v, h) in bases {
        // A village without households on the decision date has no base:
        // it does not report (counted as not passing commune-wide).
        let Ok(base) = HouseholdBase::new(VillageId(*v), date, (*h).max(0) as u64) else { continue };
        let c = counts.get(v).copied().unwrap_or_default();
        let tally = Tally::new(&base, VillageId(*v), date, c).map_err(AppError::Conflict)?;
        outcomes.push(tally.decide(subject));
    }
    match decision_scope(d) {
        Scope::Village => outcomes.into_iter().next().map(DecisionResult::Village).ok_or_else(|| AppError::Conflict(rules_no_base(date))),
        Scope::Commune => {
            let all: BTreeSet<VillageId> = bases.keys().map(|v| VillageId(*v)).collect();
            let commune = commune_outcome(subject, &all, date, &outcomes).map_err(AppError::Conflict)?;
            Ok(DecisionResult::Commune { villages: outcomes, commune })
        }
    }
}

fn rules_no_base(date: NaiveDate) -> Msg {
    HouseholdBase::new(VillageId(0), date, 0).expect_err("zero households is refused")
}

/// The result of a decision now, from the counters and the frozen bases
/// (a fixed number of queries; the urn is never read).
pub async fn tally(ctx: &Ctx, id: i64) -> AppResult<DecisionResult> {
    let d = load(ctx, id).await?;
    let bases = ds::bases(&ctx.store, id).await?;
    let counts = ds::live_counts(&ctx.store, id).await?;
    decide(&d, &bases, &counts)
}

/// What closing froze.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Closed {
    pub result: DecisionResult,
    /// Households that voted (the participation list's length).
    pub voted: i64,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub closed_at: i64,
    /// False when the decision had been closed before (nothing changed).
    pub now_closed: bool,
}

fn to_freeze(result: &DecisionResult, now: i64) -> ds::Freeze {
    let village = |o: &Outcome| ds::VillageFreeze {
        village_id: o.village.0,
        counts: Counts { agree: o.agree, disagree: o.disagree, other: o.other, invalid: o.invalid },
        required: o.required as i64,
        passed: o.passed,
    };
    match result {
        DecisionResult::Village(o) => ds::Freeze {
            villages: vec![village(o)],
            households: o.households as i64,
            required: o.required as i64,
            passed: o.passed,
            commune: None,
            at: now,
        },
        DecisionResult::Commune { villages, commune } => ds::Freeze {
            villages: villages.iter().map(village).collect(),
            households: villages.iter().map(|o| o.households as i64).sum(),
            required: commune.required as i64,
            passed: commune.passed,
            commune: Some((commune.villages as i64, commune.passed_villages as i64)),
            at: now,
        },
    }
}

/// Closes an open decision once: stops the votes, reshuffles the urn of a
/// secret vote, and freezes the result with its evidence (counts, the
/// number of households that voted, the time window). A decision whose
/// window has not ended is refused; closing again returns what was frozen.
pub async fn close(ctx: &Ctx, id: i64, now: i64) -> AppResult<Closed> {
    let store = &ctx.store;
    let mut tx = store.write().await?;
    let d = ds::get_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if d.result.is_none() {
        if d.status != ds::OPEN {
            return Err(AppError::Conflict(Msg::new("Biểu quyết chưa mở nên không thể kết thúc.", "The decision is not open.")));
        }
        if let Some(c) = d.closes_at.filter(|c| now < *c) {
            return Err(AppError::Conflict(Msg::new(
                format!("Thời gian biểu quyết đến {}; chưa thể kết thúc.", local(c).format("%H:%M ngày %d/%m/%Y")),
                format!("The vote runs until {}; it cannot be closed yet.", local(c).format("%H:%M on %d/%m/%Y")),
            )));
        }
    }
    if d.result.is_some() || !ds::begin_close(&mut tx, id, now).await? {
        drop(tx);
        let d = load(ctx, id).await?;
        let f = d.result.ok_or_else(|| AppError::Conflict(Msg::new("Biểu quyết đang được kết thúc.", "The decision is being closed.")))?;
        let result = tally(ctx, id).await?;
        return Ok(Closed {
            result,
            voted: f.voted,
            opens_at: d.opens_at,
            closes_at: d.closes_at,
            closed_at: d.closed_at.unwrap_or(f.frozen_at),
            now_closed: false,
        });
    }
    if d.secret {
        ds::reshuffle_urn(&mut tx, id).await?;
    }
    let bases = ds::bases_tx(&mut tx, id).await?;
    let counts = ds::counts_tx(&mut tx, id).await?;
    let result = decide(&d, &bases, &counts)?;
    let voted: i64 = counts.values().map(|c| c.voted() as i64).sum();
    if !ds::freeze(&mut tx, id, &to_freeze(&result, now)).await? {
        return Err(AppError::internal("decision: freeze after close found it frozen"));
    }
    tx.commit().await?;
    if d.secret {
        ds::scrub_after_reshuffle(store).await;
    }
    Ok(Closed { result, voted, opens_at: d.opens_at, closes_at: d.closes_at, closed_at: now, now_closed: true })
}

// ---------------------------------------------------------------------------
// Paper household ballots (R2.13)
// ---------------------------------------------------------------------------

fn paper_refusal(r: PaperRefusal, code: &str, household: i64) -> Msg {
    match r {
        PaperRefusal::UnknownBallot => Msg::new(
            format!("Phiếu số {code} không phải phiếu đã phát; không được tính vào kết quả (R2.13)."),
            format!("Ballot {code} was never issued and cannot be counted (R2.13)."),
        ),
        PaperRefusal::OtherDecision => Msg::new(
            format!("Phiếu số {code} là phiếu của nội dung biểu quyết khác; không được tính (R2.13)."),
            format!("Ballot {code} belongs to another decision and cannot be counted (R2.13)."),
        ),
        PaperRefusal::OtherVillage => Msg::new(
            format!("Phiếu số {code} là phiếu của thôn, tổ dân phố khác; không được tính vào kết quả của thôn này (R2.13)."),
            format!("Ballot {code} belongs to another village and cannot be counted here (R2.13)."),
        ),
        PaperRefusal::AlreadyCounted => Msg::new(
            format!("Phiếu số {code} đã được kiểm; mỗi phiếu chỉ được tính một lần (R2.13)."),
            format!("Ballot {code} was already counted; each ballot counts once (R2.13)."),
        ),
        PaperRefusal::NotInVillage => not_in_village(HouseholdId(household)),
        PaperRefusal::AlreadyIssued => Msg::new(
            format!(
                "Hộ (mã {household}) đã được phát phiếu; mỗi hộ gia đình chỉ một phiếu (khoản 2 Điều 4 Nghị định 59/2023/NĐ-CP, R2.13)."
            ),
            format!("Household {household} already has a ballot; one ballot per household (R2.13)."),
        ),
        PaperRefusal::AlreadyVoted => check_first_vote(true).expect_err("a second vote is refused"),
    }
}

async fn load_for_paper(ctx: &Ctx, id: i64, village_id: i64) -> AppResult<Decision> {
    let d = load(ctx, id).await?;
    if d.form != Form::HouseholdBallot.as_str() {
        return Err(bad(
            "Nội dung này không lấy ý kiến bằng phiếu hộ gia đình (R2.13).",
            "This decision is not taken by household ballot (R2.13).",
        ));
    }
    if !ds::bases(&ctx.store, id).await?.contains_key(&village_id) {
        return Err(bad("Thôn, tổ dân phố không tham gia nội dung biểu quyết này.", "The village does not take part in this decision."));
    }
    Ok(d)
}

/// Issues one ballot to a household of the village (one per household).
pub async fn issue_paper_ballot(ctx: &Ctx, id: i64, village_id: i64, household_id: i64) -> AppResult<String> {
    load_for_paper(ctx, id, village_id).await?;
    let mut tx = ctx.store.write().await?;
    match ds::issue_paper_ballot(&mut tx, id, village_id, household_id).await? {
        Ok(code) => {
            tx.commit().await?;
            Ok(code)
        }
        Err(r) => Err(AppError::Conflict(paper_refusal(r, "", household_id))),
    }
}

/// Issues a ballot to every household of the village on the decision date
/// (never more ballots than households); returns how many were issued.
pub async fn issue_paper_ballots(ctx: &Ctx, id: i64, village_id: i64) -> AppResult<u64> {
    load_for_paper(ctx, id, village_id).await?;
    let mut tx = ctx.store.write().await?;
    let n = ds::issue_paper_ballots(&mut tx, id, village_id).await?;
    tx.commit().await?;
    Ok(n)
}

/// Records the counting team of a village with its two household
/// witnesses (R2.11, R2.13).
pub async fn add_count_team(
    ctx: &Ctx,
    id: i64,
    village_id: i64,
    members: &[&str],
    witnesses: [&str; 2],
    by: Option<i64>,
) -> AppResult<i64> {
    load_for_paper(ctx, id, village_id).await?;
    let r = rules::Rules::default();
    r.check_team_size(members.iter().filter(|m| !m.trim().is_empty()).count(), "R2.13").map_err(|m| AppError::validation("members", m))?;
    let named = witnesses.iter().filter(|w| !w.trim().is_empty()).count();
    r.check_witnesses(named, "R2.13").map_err(|m| AppError::validation("witnesses", m))?;
    let members = members.iter().map(|m| m.trim()).filter(|m| !m.is_empty()).collect::<Vec<_>>().join("\n");
    let mut tx = ctx.store.write().await?;
    let team = ds::add_count_team(
        &mut tx,
        &ds::NewCountTeam {
            decision_id: id,
            village_id,
            members: &members,
            witness_1: witnesses[0].trim(),
            witness_2: witnesses[1].trim(),
            created_by: by,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(team)
}

/// Counts one returned paper ballot (R2.13). Refused with the reason and
/// nothing written: the decision not open, an unknown code, a code of
/// another decision or village, a ballot counted twice.
pub async fn count_paper_ballot(
    ctx: &Ctx,
    id: i64,
    village_id: i64,
    team_id: i64,
    code: &str,
    choice: Choice,
    by: Option<i64>,
) -> AppResult<()> {
    let d = load_for_paper(ctx, id, village_id).await?;
    let mut tx = ctx.store.write().await?;
    let state = ds::vote_state(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if state.status != ds::OPEN {
        return Err(AppError::Conflict(closed_msg()));
    }
    let c = ds::PaperCount { decision_id: id, village_id, team_id, code, choice, secret: d.secret, entered_by: by };
    match ds::count_paper_ballot(&mut tx, &c).await? {
        Ok(_) => {
            tx.commit().await?;
            Ok(())
        }
        Err(r) => Err(AppError::Conflict(paper_refusal(r, code.trim(), 0))),
    }
}

// ---------------------------------------------------------------------------
// Meetings (R2.10–R2.12)
// ---------------------------------------------------------------------------

/// Records a meeting's counted result (show of hands or secret ballot),
/// once. Refused: more votes than households attending, or than households
/// of the village (R2.10, C0.3).
pub async fn record_meeting_result(ctx: &Ctx, meeting_id: i64, counts: Counts) -> AppResult<()> {
    let m = ds::meeting(&ctx.store, meeting_id).await?.ok_or(AppError::NotFound)?;
    let d = load(ctx, m.decision_id).await?;
    if d.status != ds::OPEN {
        return Err(AppError::Conflict(closed_msg()));
    }
    let date = parse_date(&d.decision_date)?;
    let households = ds::bases(&ctx.store, d.id).await?.get(&m.village_id).copied().unwrap_or(0);
    let base = HouseholdBase::new(VillageId(m.village_id), date, households.max(0) as u64).map_err(AppError::Conflict)?;
    let attendance = rules::Attendance::from_count(&base, m.present.max(0) as u64).map_err(AppError::Conflict)?;
    if counts.voted() > attendance.present() {
        return Err(AppError::Conflict(Msg::new(
            format!("Số biểu quyết ({}) nhiều hơn số hộ tham dự ({}) (R2.10).", counts.voted(), attendance.present()),
            format!("More votes ({}) than households attending ({}) (R2.10).", counts.voted(), attendance.present()),
        )));
    }
    Tally::new(&base, VillageId(m.village_id), date, counts).map_err(AppError::Conflict)?;
    let mut tx = ctx.store.write().await?;
    if !ds::record_meeting_result(&mut tx, meeting_id, counts).await? {
        return Err(AppError::Conflict(Msg::new("Kết quả của cuộc họp đã được ghi.", "The meeting's result was already recorded.")));
    }
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// The officials' transitions, each a step of the caller's transaction (the
// pages add the audit entry and the submission key to the same
// transaction): create, open, meetings with their notice, attendance and
// procedure, the fall-back to household ballots, paper ballots and their
// count, closing, sending (R2.17), recognition (R2.18), annulment (R2.19)
// and redo (R2.20).
// ---------------------------------------------------------------------------

use danchu_domain::calendar::Calendar;
use danchu_domain::decision::{
    check_remedy, check_secretary, fall_back_reason, meeting_check, AnnulmentGround, ClockState, MeetingCheck, Notice, Recognition, Redo,
    Remedy, VotingMethod,
};

/// Decision's commune-local day of an instant (epoch ms).
pub fn local_day(ms: i64) -> NaiveDate {
    local(ms).date()
}

/// The law's figures (defaults; the spec's configurable ones).
pub fn decision_rules() -> rules::Rules {
    rules::Rules::default()
}

/// The subject of a stored decision.
pub fn subject_of(d: &Decision) -> AppResult<Subject> {
    u8::try_from(d.subject).ok().and_then(Subject::from_number).ok_or_else(|| AppError::internal("stored subject"))
}

/// [`create`] in the caller's transaction.
pub async fn create_in(ctx: &Ctx, tx: &mut Tx, n: &NewDecision) -> AppResult<i64> {
    check_form(n.subject, n.scope, n.form, n.facts).map_err(|m| AppError::validation("form", m))?;
    if n.title.trim().is_empty() || n.question.trim().is_empty() {
        return Err(AppError::validation(
            "title",
            Msg::new("Cần nhập tiêu đề và câu hỏi biểu quyết.", "A title and a question are needed."),
        ));
    }
    let store = &ctx.store;
    let commune = units::get(store, n.commune_id).await?;
    if commune.kind.level() != Level::Commune {
        return Err(bad(
            "Dân quyết được tổ chức tại xã, phường hoặc thôn, tổ dân phố của xã.",
            "Decisions are organised in a commune or its villages.",
        ));
    }
    let villages: Vec<i64> = match (n.scope, n.village_id) {
        (Scope::Village, Some(v)) => {
            let village = units::get(store, v).await?;
            if village.parent_id != Some(commune.id) || village.kind.level() != Level::Village {
                return Err(bad("Thôn, tổ dân phố không thuộc xã này.", "The village does not belong to this commune."));
            }
            vec![v]
        }
        (Scope::Village, None) => {
            return Err(AppError::validation("village_id", Msg::new("Cần chọn thôn, tổ dân phố.", "Choose the village.")))
        }
        (Scope::Commune, _) => units::children(store, commune.id)
            .await?
            .into_iter()
            .filter(|u| u.unit.kind.level() == Level::Village && u.unit.valid_to.is_none())
            .map(|u| u.unit.id)
            .collect(),
    };
    if villages.is_empty() {
        return Err(bad("Xã chưa có thôn, tổ dân phố nào.", "The commune has no village."));
    }
    let date = n.decision_date.to_string();
    let (id, bases) = ds::create(
        tx,
        &ds::NewDecision {
            unit_id: commune.id,
            unit_path: &commune.path,
            scope: scope_str(n.scope),
            village_id: if n.scope == Scope::Village { n.village_id } else { None },
            subject: n.subject.number() as i64,
            title: n.title.trim(),
            question: n.question.trim(),
            content: n.content.trim(),
            form: n.form.as_str(),
            secret: n.secret,
            redo_of: n.redo_of,
            decision_date: &date,
            opens_at: None,
            closes_at: None,
            is_demo: n.is_demo,
            created_by: n.created_by,
        },
        &villages,
    )
    .await?;
    if n.scope == Scope::Village {
        let h = bases.values().next().copied().unwrap_or(0);
        HouseholdBase::new(VillageId(villages[0]), n.decision_date, h.max(0) as u64).map_err(|m| AppError::validation("village_id", m))?;
    }
    Ok(id)
}

/// [`open`] in the caller's transaction. False when already open (a double
/// submit changes nothing).
pub async fn open_in(tx: &mut Tx, id: i64, opens_at: i64, closes_at: i64) -> AppResult<bool> {
    if closes_at <= opens_at {
        return Err(AppError::validation(
            "closes_at",
            Msg::new("Thời điểm kết thúc phải sau thời điểm bắt đầu.", "The end must follow the start."),
        ));
    }
    let d = ds::get_tx(tx, id).await?.ok_or(AppError::NotFound)?;
    match d.status.as_str() {
        ds::DRAFT => Ok(ds::open(tx, id, opens_at, closes_at).await?),
        ds::OPEN => Ok(false),
        _ => Err(AppError::Conflict(Msg::new("Biểu quyết đã kết thúc.", "The decision is closed."))),
    }
}

/// [`close`] in the caller's transaction. `early`: the fall-back closes a
/// meeting that cannot decide before its window ends (R2.12). Returns the
/// result frozen now, or `None` when it had been closed before. After the
/// commit of a secret vote, call `ds::scrub_after_reshuffle`.
pub async fn close_in(tx: &mut Tx, id: i64, now: i64, early: bool) -> AppResult<Option<DecisionResult>> {
    let d = ds::get_tx(tx, id).await?.ok_or(AppError::NotFound)?;
    if d.result.is_some() || d.status == ds::CLOSED {
        return Ok(None);
    }
    if d.status != ds::OPEN {
        return Err(AppError::Conflict(Msg::new("Biểu quyết chưa mở nên không thể kết thúc.", "The decision is not open.")));
    }
    if let Some(c) = d.closes_at.filter(|c| now < *c && !early) {
        return Err(AppError::Conflict(Msg::new(
            format!("Thời gian biểu quyết đến {}; chưa thể kết thúc.", local(c).format("%H:%M ngày %d/%m/%Y")),
            format!("The vote runs until {}; it cannot be closed yet.", local(c).format("%H:%M on %d/%m/%Y")),
        )));
    }
    if !ds::begin_close(tx, id, now).await? {
        return Ok(None);
    }
    if d.secret {
        ds::reshuffle_urn(tx, id).await?;
    }
    let bases = ds::bases_tx(tx, id).await?;
    let counts = ds::counts_tx(tx, id).await?;
    let result = decide(&d, &bases, &counts)?;
    if !ds::freeze(tx, id, &to_freeze(&result, now)).await? {
        return Err(AppError::internal("decision: freeze after close found it frozen"));
    }
    Ok(Some(result))
}

/// [`issue_paper_ballots`] in the caller's transaction.
pub async fn issue_ballots_in(ctx: &Ctx, tx: &mut Tx, id: i64, village_id: i64) -> AppResult<u64> {
    let d = load_for_paper(ctx, id, village_id).await?;
    if d.status != ds::DRAFT && d.status != ds::OPEN {
        return Err(AppError::Conflict(closed_msg()));
    }
    Ok(ds::issue_paper_ballots(tx, id, village_id).await?)
}

/// [`add_count_team`] in the caller's transaction.
pub async fn add_team_in(
    ctx: &Ctx,
    tx: &mut Tx,
    id: i64,
    village_id: i64,
    members: &[&str],
    witnesses: [&str; 2],
    by: Option<i64>,
) -> AppResult<i64> {
    load_for_paper(ctx, id, village_id).await?;
    let r = decision_rules();
    r.check_team_size(members.iter().filter(|m| !m.trim().is_empty()).count(), "R2.13").map_err(|m| AppError::validation("members", m))?;
    r.check_witnesses(witnesses.iter().filter(|w| !w.trim().is_empty()).count(), "R2.13")
        .map_err(|m| AppError::validation("witnesses", m))?;
    let members = members.iter().map(|m| m.trim()).filter(|m| !m.is_empty()).collect::<Vec<_>>().join("\n");
    let t = ds::NewCountTeam {
        decision_id: id,
        village_id,
        members: &members,
        witness_1: witnesses[0].trim(),
        witness_2: witnesses[1].trim(),
        created_by: by,
    };
    Ok(ds::add_count_team(tx, &t).await?)
}

/// [`count_paper_ballot`] in the caller's transaction: refused (and the
/// caller rolls back) with the reason.
#[allow(clippy::too_many_arguments)]
pub async fn count_ballot_in(
    ctx: &Ctx,
    tx: &mut Tx,
    id: i64,
    village_id: i64,
    team_id: i64,
    code: &str,
    choice: Choice,
    by: Option<i64>,
) -> AppResult<()> {
    let d = load_for_paper(ctx, id, village_id).await?;
    if !ds::count_teams(&ctx.store, id).await?.iter().any(|t| t.id == team_id && t.village_id == village_id) {
        return Err(AppError::validation(
            "team",
            Msg::new(
                "Cần ghi tổ kiểm phiếu của thôn, có 02 đại diện hộ gia đình chứng kiến, trước khi kiểm phiếu (R2.13).",
                "Record the village's counting team with its two household witnesses before counting (R2.13).",
            ),
        ));
    }
    let state = ds::vote_state(tx, id).await?.ok_or(AppError::NotFound)?;
    if state.status != ds::OPEN {
        return Err(AppError::Conflict(closed_msg()));
    }
    let c = ds::PaperCount { decision_id: id, village_id, team_id, code, choice, secret: d.secret, entered_by: by };
    match ds::count_paper_ballot(tx, &c).await? {
        Ok(_) => Ok(()),
        Err(r) => Err(AppError::Conflict(paper_refusal(r, code.trim(), 0))),
    }
}

/// A meeting to schedule (R2.9, R2.10).
#[derive(Debug, Clone)]
pub struct MeetingPlan {
    pub village_id: i64,
    pub held_on: NaiveDate,
    pub notice: Notice,
    pub secretary: String,
    /// Counting committee members, one a line (secret ballot).
    pub committee: String,
    pub method: VotingMethod,
}

fn method_str(m: VotingMethod) -> &'static str {
    match m {
        VotingMethod::ShowOfHands => "hands",
        VotingMethod::SecretBallot => "secret",
    }
}

/// A notice channel's stored name.
pub fn channel_str(c: rules::NoticeChannel) -> &'static str {
    use rules::NoticeChannel::*;
    match c {
        Invitation => "invitation",
        DirectToHouseholds => "direct",
        Loudspeaker => "loudspeaker",
        Phone => "phone",
        SocialNetwork => "social_network",
    }
}

/// Schedules a village meeting on a meeting decision with its notice,
/// checked against R2.9 (at least 2 days before, posted, documents for
/// subjects 1–3). Refused with the legal reason.
pub async fn schedule_meeting_in(ctx: &Ctx, tx: &mut Tx, id: i64, p: &MeetingPlan, by: Option<i64>) -> AppResult<i64> {
    let d = ds::get_tx(tx, id).await?.ok_or(AppError::NotFound)?;
    if d.form != Form::Meeting.as_str() {
        return Err(bad(
            "Nội dung này không quyết định tại cuộc họp cộng đồng dân cư.",
            "This decision is not taken at a community meeting.",
        ));
    }
    if d.status != ds::DRAFT && d.status != ds::OPEN {
        return Err(AppError::Conflict(closed_msg()));
    }
    if !ds::bases(&ctx.store, id).await?.contains_key(&p.village_id) {
        return Err(bad("Thôn, tổ dân phố không tham gia nội dung biểu quyết này.", "The village does not take part in this decision."));
    }
    decision_rules().check_notice(subject_of(&d)?, p.held_on, &p.notice).map_err(|m| AppError::validation("notice_on", m))?;
    let iso = |o: Option<NaiveDate>| o.map(|x| x.to_string()).unwrap_or_default();
    let (held, notice_on, documents_on, posted_on) =
        (p.held_on.to_string(), iso(p.notice.sent_on), iso(p.notice.documents_sent_on), iso(p.notice.posted_on));
    let mid = ds::add_meeting(
        tx,
        &ds::NewMeeting {
            decision_id: id,
            village_id: p.village_id,
            held_on: &held,
            notice_on: &notice_on,
            documents_on: &documents_on,
            secretary: p.secretary.trim(),
            committee: p.committee.trim(),
            method: method_str(p.method),
            created_by: by,
        },
    )
    .await?;
    let channels = p.notice.channels.iter().map(|c| channel_str(*c)).collect::<Vec<_>>().join(",");
    ds::set_meeting_notice(tx, mid, &posted_on, &channels).await?;
    Ok(mid)
}

/// A meeting of `id` read in the transaction, or 404.
async fn meeting_of(tx: &mut Tx, id: i64, meeting_id: i64) -> AppResult<ds::MeetingRow> {
    ds::meeting_tx(tx, meeting_id).await?.filter(|m| m.meeting.decision_id == id).ok_or(AppError::NotFound)
}

/// The attendance of a meeting as the domain sees it (on the frozen base).
async fn attendance_of(tx: &mut Tx, d: &Decision, m: &ds::Meeting) -> AppResult<rules::Attendance> {
    let date = parse_date(&d.decision_date)?;
    let households = ds::bases_tx(tx, d.id).await?.get(&m.village_id).copied().unwrap_or(0);
    let base = HouseholdBase::new(VillageId(m.village_id), date, households.max(0) as u64).map_err(AppError::Conflict)?;
    rules::Attendance::from_count(&base, m.present.max(0) as u64).map_err(AppError::Conflict)
}

/// Records attending households (each once; households outside the village
/// on the decision date are refused). Returns how many were added.
pub async fn record_attendance_in(ctx: &Ctx, tx: &mut Tx, id: i64, meeting_id: i64, households: &[i64]) -> AppResult<u64> {
    let d = ds::get_tx(tx, id).await?.ok_or(AppError::NotFound)?;
    let m = meeting_of(tx, id, meeting_id).await?;
    if (d.status != ds::DRAFT && d.status != ds::OPEN) || m.meeting.result.is_some() {
        return Err(AppError::Conflict(Msg::new(
            "Cuộc họp đã có kết quả; không ghi thêm người dự.",
            "The meeting's result is recorded; attendance is closed.",
        )));
    }
    let roster: BTreeSet<i64> = ds::roster(&ctx.store, id, m.meeting.village_id).await?.into_iter().collect();
    if let Some(outside) = households.iter().find(|h| !roster.contains(*h)) {
        return Err(AppError::Conflict(not_in_village(HouseholdId(*outside))));
    }
    Ok(ds::add_attendance(tx, meeting_id, households).await?)
}

/// Records the secretary's election (R2.10) and, for a secret ballot, the
/// counting committee's approval and its two witnesses (R2.11), checked on
/// the attendance.
pub async fn record_procedure_in(
    tx: &mut Tx,
    id: i64,
    meeting_id: i64,
    secretary_votes: u64,
    committee_approvals: Option<u64>,
    witnesses: [&str; 2],
) -> AppResult<bool> {
    let d = ds::get_tx(tx, id).await?.ok_or(AppError::NotFound)?;
    let m = meeting_of(tx, id, meeting_id).await?;
    let att = attendance_of(tx, &d, &m.meeting).await?;
    check_secretary(&att, secretary_votes).map_err(|m| AppError::validation("secretary_votes", m))?;
    let named = witnesses.iter().filter(|w| !w.trim().is_empty()).count();
    if m.meeting.method == "secret" {
        let members = m.meeting.committee.lines().filter(|l| !l.trim().is_empty()).count();
        decision_rules()
            .check_counting_committee(&att, members, committee_approvals.unwrap_or(0), named)
            .map_err(|m| AppError::validation("committee_approvals", m))?;
    }
    let w = witnesses.iter().map(|w| w.trim()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("\n");
    Ok(ds::set_meeting_procedure(tx, meeting_id, secretary_votes as i64, committee_approvals.map(|a| a as i64), &w).await?)
}

/// What the meeting's attendance allows (R2.12).
pub async fn meeting_state(tx: &mut Tx, d: &Decision, m: &ds::Meeting) -> AppResult<MeetingCheck> {
    let att = attendance_of(tx, d, m).await?;
    Ok(meeting_check(subject_of(d)?, &att))
}

/// [`record_meeting_result`] in the caller's transaction, refused when the
/// attendance cannot reach the threshold (fall back instead, R2.12) or the
/// secretary was not elected (R2.10). False when recorded before.
pub async fn record_meeting_result_in(tx: &mut Tx, id: i64, meeting_id: i64, counts: Counts) -> AppResult<bool> {
    let d = ds::get_tx(tx, id).await?.ok_or(AppError::NotFound)?;
    let m = meeting_of(tx, id, meeting_id).await?;
    if m.meeting.result.is_some() {
        return Ok(false);
    }
    if d.status != ds::OPEN {
        return Err(AppError::Conflict(Msg::new(
            "Cần mở biểu quyết (ghi thời gian) trước khi ghi kết quả cuộc họp.",
            "Open the decision (its time window) before recording the meeting's result.",
        )));
    }
    let att = attendance_of(tx, &d, &m.meeting).await?;
    if let MeetingCheck::FallBackToBallot { present, required } = meeting_check(subject_of(&d)?, &att) {
        return Err(AppError::Conflict(fall_back_reason(present, required)));
    }
    if m.secretary_votes.is_none() {
        return Err(AppError::Conflict(Msg::new(
            "Cần ghi việc biểu quyết thư ký cuộc họp trước khi ghi kết quả (điểm a khoản 5 Điều 3 Nghị định 59/2023/NĐ-CP, R2.10).",
            "Record the secretary's election before the result (R2.10).",
        )));
    }
    if counts.voted() > att.present() {
        return Err(AppError::Conflict(Msg::new(
            format!("Số biểu quyết ({}) nhiều hơn số hộ tham dự ({}) (R2.10).", counts.voted(), att.present()),
            format!("More votes ({}) than households attending ({}) (R2.10).", counts.voted(), att.present()),
        )));
    }
    let date = parse_date(&d.decision_date)?;
    Tally::new(&att.base(), VillageId(m.meeting.village_id), date, counts).map_err(AppError::Conflict)?;
    Ok(ds::record_meeting_result(tx, meeting_id, counts).await?)
}

/// The fall-back of a meeting that cannot reach the threshold (R2.12,
/// R2.20): the meeting's decision is closed (its result frozen, not
/// passing) and the same matter is created again as a household ballot,
/// linked to it by `redo_of`. Returns the new decision; a second submit
/// returns the one created first.
pub async fn fall_back_in(ctx: &Ctx, tx: &mut Tx, id: i64, meeting_id: i64, now: i64, by: Option<i64>) -> AppResult<i64> {
    if let Some(first) = ds::redos_tx(tx, id).await?.first() {
        return Ok(*first);
    }
    let d = ds::get_tx(tx, id).await?.ok_or(AppError::NotFound)?;
    let m = meeting_of(tx, id, meeting_id).await?;
    let att = attendance_of(tx, &d, &m.meeting).await?;
    if meeting_check(subject_of(&d)?, &att) == MeetingCheck::CanDecide || m.meeting.result.is_some() {
        return Err(AppError::Conflict(Msg::new(
            "Cuộc họp có đủ số hộ tham dự để biểu quyết; không chuyển sang phát phiếu (điểm b khoản 1 Điều 19 Luật Thực hiện dân chủ ở cơ sở, R2.12).",
            "The meeting's attendance can reach the threshold; there is no fall-back (R2.12).",
        )));
    }
    match d.status.as_str() {
        ds::DRAFT => {
            ds::open(tx, id, now, now + 1).await?;
            close_in(tx, id, now + 1, true).await?;
        }
        ds::OPEN => {
            close_in(tx, id, now, true).await?;
        }
        _ => {}
    }
    let n = NewDecision {
        commune_id: d.unit_id,
        scope: decision_scope(&d),
        village_id: d.village_id,
        subject: subject_of(&d)?,
        title: d.title.clone(),
        question: d.question.clone(),
        content: d.content.clone(),
        form: Redo::AttendanceTooLow.next_form(),
        facts: FormFacts { meeting_lacked_attendance: true, head_and_front_agree: false },
        secret: d.secret,
        decision_date: local_day(now),
        redo_of: Some(id),
        is_demo: d.is_demo,
        created_by: by,
    };
    create_in(ctx, tx, &n).await
}

/// Where a statutory clock stands, for the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockView {
    pub state: ClockState,
    pub due: NaiveDate,
    /// Working days left (running) or overdue (overdue), 0 once done.
    pub working_days: i64,
}

/// Working days after `from` up to and including `to` (0 when `to <= from`).
fn working_days_between(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> i64 {
    let mut n = 0;
    let mut d = from;
    while d < to {
        d = d.succ_opt().unwrap_or(d);
        if cal.is_working_day(d) {
            n += 1;
        }
    }
    n
}

/// A clock's state on `today`.
pub fn clock_view(cal: &Calendar, clock: rules::Clock, today: NaiveDate, done: Option<NaiveDate>) -> ClockView {
    let state = clock.state(cal, today, done);
    let due = clock.due(cal);
    let working_days = match state {
        ClockState::Running { due } => working_days_between(cal, today, due),
        ClockState::Overdue { due } => working_days_between(cal, due, today),
        _ => 0,
    };
    ClockView { state, due, working_days }
}

/// The R2.17 clock of a closed decision: from the day it closed.
pub fn sending_clock(d: &Decision) -> Option<rules::Clock> {
    d.closed_at.map(|c| decision_rules().sending_clock(local_day(c)))
}

/// The R2.18 clock of a sent decision: from the day it was sent (the
/// platform takes the day of sending as the day of receipt).
pub fn recognition_clock(d: &Decision) -> Option<rules::Clock> {
    d.sent_on.as_deref().and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()).map(|s| decision_rules().recognition_clock(s))
}

/// Records the sending of a passed decision to the commune People's
/// Committee and Front (R2.17) on `sent_on`. Refused: a decision that did
/// not pass or is not closed, a date before closing or in the future, and
/// a date after the 5 working days unless the delay is explained. False
/// when it was sent before.
pub async fn send_in(tx: &mut Tx, id: i64, sent_on: NaiveDate, today: NaiveDate, late_note: &str) -> AppResult<bool> {
    let d = ds::get_tx(tx, id).await?.ok_or(AppError::NotFound)?;
    match d.status.as_str() {
        ds::DECIDED => {}
        ds::SENT | ds::RECOGNISED | ds::REFUSED => return Ok(false),
        ds::FAILED => {
            return Err(AppError::Conflict(Msg::new(
                "Nội dung không được thông qua nên không có văn bản quyết định để gửi UBND xã và UBMTTQ xã (khoản 2, 3 Điều 20 Luật Thực hiện dân chủ ở cơ sở, R2.17).",
                "The decision did not pass: there is no written decision to send (Law Art. 20, R2.17).",
            )))
        }
        _ => {
            return Err(AppError::Conflict(Msg::new(
                "Chỉ gửi văn bản sau khi kết thúc biểu quyết và có kết quả thông qua (khoản 3 Điều 20 Luật Thực hiện dân chủ ở cơ sở, R2.17).",
                "Only a closed decision that passed is sent (R2.17).",
            )))
        }
    }
    if sent_on > today {
        return Err(AppError::validation(
            "sent_on",
            Msg::new("Ngày gửi không được sau hôm nay.", "The sending date cannot be in the future."),
        ));
    }
    let closed_on = d.closed_at.map(local_day).ok_or_else(|| AppError::internal("decided without closed_at"))?;
    let cal = crate::calendar::load_tx(tx).await?;
    let note = late_note.trim();
    if let Err(m) = decision_rules().check_sent(&cal, closed_on, sent_on) {
        // Before closing is never allowed; after the deadline only with the
        // delay explained (the clock then shows it late).
        if sent_on < closed_on || note.chars().count() < 10 {
            return Err(AppError::validation("sent_on", m));
        }
    }
    Ok(ds::mark_sent(tx, id, &sent_on.to_string(), if note.is_empty() { None } else { Some(note) }).await?)
}

/// Records the commune's answer to a sent decision (R2.18): recognition,
/// or a refusal in writing with its reasons. Refused before the sending.
/// False when it was answered before.
pub async fn answer_in(tx: &mut Tx, id: i64, answer: &Recognition, on: NaiveDate, today: NaiveDate, by: Option<i64>) -> AppResult<bool> {
    let d = ds::get_tx(tx, id).await?.ok_or(AppError::NotFound)?;
    match d.status.as_str() {
        ds::SENT => {}
        ds::RECOGNISED | ds::REFUSED => return Ok(false),
        _ => {
            return Err(AppError::Conflict(Msg::new(
                "Chỉ công nhận hoặc từ chối công nhận sau khi văn bản quyết định đã được gửi đến UBND xã (khoản 3 Điều 20, Điều 21 Luật Thực hiện dân chủ ở cơ sở, R2.18).",
                "A decision is recognised or refused only after it was sent to the commune (Law Arts. 20(3), 21, R2.18).",
            )))
        }
    }
    let sent = d.sent_on.as_deref().and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()).unwrap_or(today);
    if on < sent || on > today {
        return Err(AppError::validation(
            "answered_on",
            Msg::new(
                "Ngày trả lời phải từ ngày nhận văn bản đến hôm nay.",
                "The answer's date must be between the day of receipt and today.",
            ),
        ));
    }
    let (status, note) = match answer {
        Recognition::Recognised => (ds::RECOGNISED, None),
        Recognition::Refused { reasons } => (ds::REFUSED, Some(reasons.as_str())),
    };
    Ok(ds::mark_answered(tx, id, status, &on.to_string(), note, by).await?)
}

/// A ground's stored name.
pub fn ground_str(g: AnnulmentGround) -> &'static str {
    match g {
        AnnulmentGround::Unlawful => "unlawful",
        AnnulmentGround::ProcedureNotFollowed => "procedure",
        AnnulmentGround::CommunityWishes => "community",
    }
}

/// A remedy's stored name.
pub fn remedy_str(r: Remedy) -> &'static str {
    match r {
        Remedy::Annul => "annul",
        Remedy::RequestAmendment => "amend",
        Remedy::CommunityAmends => "community_amends",
    }
}

/// What an annulment or redo did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Annulled {
    /// False when it was annulled before (nothing changed).
    pub annulled: bool,
    /// The redo created (R2.20), if the remedy asks for one.
    pub redo: Option<i64>,
}

/// Annuls a closed decision, or sends it back to be done again (R2.19,
/// R2.20): the remedy is checked against its ground, the reason written;
/// an amendment creates the redo (a new meeting) linked by `redo_of`, and
/// a change the community wishes creates the redo without annulling.
#[allow(clippy::too_many_arguments)]
pub async fn annul_in(
    ctx: &Ctx,
    tx: &mut Tx,
    id: i64,
    ground: AnnulmentGround,
    remedy: Remedy,
    reason: &str,
    today: NaiveDate,
    by: Option<i64>,
) -> AppResult<Annulled> {
    check_remedy(ground, remedy).map_err(|m| AppError::validation("remedy", m))?;
    let reason = danchu_domain::text::clean_text(reason);
    if reason.chars().count() < 15 {
        return Err(AppError::validation(
            "reason",
            Msg::new(
                "Hãy nêu rõ lý do bằng văn bản (Điều 22 Luật Thực hiện dân chủ ở cơ sở, R2.19).",
                "Write the reason (Law Art. 22, R2.19).",
            ),
        ));
    }
    let d = ds::get_tx(tx, id).await?.ok_or(AppError::NotFound)?;
    if let Some(first) = ds::redos_tx(tx, id).await?.first().copied().filter(|_| remedy != Remedy::Annul) {
        return Ok(Annulled { annulled: false, redo: Some(first) });
    }
    if d.status == ds::ANNULLED {
        return Ok(Annulled { annulled: false, redo: None });
    }
    if !matches!(d.status.as_str(), ds::DECIDED | ds::FAILED | ds::SENT | ds::RECOGNISED | ds::REFUSED) {
        return Err(AppError::Conflict(Msg::new(
            "Chỉ bãi bỏ hoặc thực hiện lại quyết định đã có kết quả biểu quyết (Điều 22 Luật Thực hiện dân chủ ở cơ sở, R2.19).",
            "Only a decision with a result is annulled or redone (R2.19).",
        )));
    }
    let annulled = if remedy == Remedy::CommunityAmends {
        false
    } else {
        ds::mark_annulled(tx, id, &today.to_string(), ground_str(ground), remedy_str(remedy), &reason).await?
    };
    let redo = if remedy == Remedy::Annul {
        None
    } else {
        let n = NewDecision {
            commune_id: d.unit_id,
            scope: decision_scope(&d),
            village_id: d.village_id,
            subject: subject_of(&d)?,
            title: d.title.clone(),
            question: d.question.clone(),
            content: d.content.clone(),
            form: Redo::ProcedureDefect.next_form(),
            facts: FormFacts::default(),
            secret: d.secret,
            decision_date: today,
            redo_of: Some(id),
            is_demo: d.is_demo,
            created_by: by,
        };
        Some(create_in(ctx, tx, &n).await?)
    };
    Ok(Annulled { annulled, redo })
}

// ---------------------------------------------------------------------------
// Citizens' side (issue 5): binding a household representative to a
// household for one decision (the voting key), and the vote window as the
// vote page shows it before anything is submitted.
// ---------------------------------------------------------------------------

/// How long a voting key lasts: a day is enough to vote on one decision;
/// the representative verifies again afterwards.
pub const VOTING_KEY_TTL_MS: i64 = 24 * 3_600_000;

/// The stored form of a voting token for one decision: SHA-256 of the
/// token and the decision id (one browser token serves every decision
/// without the stored hashes linking them).
pub fn voting_key_hash(token: &str, decision_id: i64) -> String {
    hex::encode(Sha256::digest(format!("danchu-decision-voter\0{token}\0{decision_id}").as_bytes()))
}

/// Why a representative could not be bound to a household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindRefusal {
    /// No current member has this citizen ID and birth date (a failed
    /// attempt: counted against the client address).
    NoMatch,
    /// The member's household is not on the list of the decision's
    /// village(s) on the decision date (R2.14, C0.3).
    NotInVillage(Msg),
}

/// Binds the holder of `token` to the household of the member with this
/// keyed citizen-ID hash and birth date, for this online vote, if that
/// household belonged to one of the decision's villages on the decision
/// date. Returns the household and its village.
pub async fn bind_household(
    ctx: &Ctx,
    d: &Decision,
    cccd_hash: &str,
    birth_iso: &str,
    token: &str,
    now: i64,
) -> AppResult<Result<(i64, i64), BindRefusal>> {
    let store = &ctx.store;
    let Some(household) = ds::member_household(store, cccd_hash, birth_iso).await? else {
        return Ok(Err(BindRefusal::NoMatch));
    };
    let Some(village) = ds::household_village(store, d.id, household).await? else {
        return Ok(Err(BindRefusal::NotInVillage(not_in_village(HouseholdId(household)))));
    };
    let mut tx = store.write().await?;
    let k = ds::VotingKey { decision_id: d.id, household_id: household, village_id: village };
    ds::add_voting_key(&mut tx, &voting_key_hash(token, d.id), &k, now + VOTING_KEY_TTL_MS).await?;
    tx.commit().await?;
    Ok(Ok((household, village)))
}

/// The household a voting token is bound to for this decision, if any.
pub async fn voter_of(ctx: &Ctx, decision_id: i64, token: &str, now: i64) -> AppResult<Option<ds::VotingKey>> {
    Ok(ds::voting_key(&ctx.store, &voting_key_hash(token, decision_id), now).await?.filter(|k| k.decision_id == decision_id))
}

/// What would refuse a vote now, by the decision's form, state and window
/// (the vote itself checks again in its transaction).
pub fn vote_refusal(d: &Decision, now: i64) -> Option<Msg> {
    if d.form != Form::OnlineVote.as_str() {
        return Some(Msg::new(
            "Nội dung này không tổ chức biểu quyết trực tuyến (khoản 2 Điều 17 Luật Thực hiện dân chủ ở cơ sở; Điều 5 Nghị định 59/2023/NĐ-CP, R2.14).",
            "This decision is not taken by online vote (R2.14).",
        ));
    }
    let s =
        ds::VoteState { status: d.status.clone(), form: d.form.clone(), secret: d.secret, opens_at: d.opens_at, closes_at: d.closes_at };
    window_refusal(&s, now)
}

/// The refusal of a household's second vote, with its legal reason.
pub fn already_voted_msg() -> Msg {
    check_first_vote(true).expect_err("a second vote is refused")
}
