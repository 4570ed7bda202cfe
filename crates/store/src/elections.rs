//! Village-head elections and dismissals (R5.1–R5.10) and the heads of a
//! village over time. The rules (timeline, candidates, team, threshold,
//! clocks, term) are `danchu_domain::election`'s; every write here is a
//! statement of one caller's transaction, and the state changes are
//! conditional updates, so a second submission changes nothing.

use crate::db::{flag, now_ms, opt_i64, Result, Store, Tx};
use sqlx::any::AnyRow;
use sqlx::Row;

/// Being prepared (R5.1).
pub const PLANNED: &str = "planned";
/// Counted with a winner (R5.5).
pub const ELECTED: &str = "elected";
/// Counted without a winner (R5.7).
pub const NO_WINNER: &str = "no_winner";
/// A dismissal passed at the meeting (R5.9).
pub const DISMISSED: &str = "dismissed";
/// A dismissal that did not pass.
pub const KEPT: &str = "kept";
/// Sent to the commune People's Committee and Front (R5.6).
pub const SENT: &str = "sent";
/// Recognised by the commune (R5.6, R5.10).
pub const RECOGNISED: &str = "recognised";
/// The commune decided a re-election (R5.6, R5.7).
pub const RE_ELECTION: &str = "re_election";
/// The commune replied in writing with reasons (R5.6).
pub const REPLIED: &str = "replied";

/// An election or a dismissal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Election {
    pub id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub village_id: i64,
    pub kind: String,
    pub status: String,
    pub election_day: String,
    pub redo_of: Option<i64>,
    pub decision_on: Option<String>,
    pub candidates_on: Option<String>,
    pub team_on: Option<String>,
    pub announced_on: Option<String>,
    pub households: Option<i64>,
    pub attendees: Option<i64>,
    pub invalid: Option<i64>,
    pub required: Option<i64>,
    pub winner_id: Option<i64>,
    pub no_winner_reason: Option<String>,
    pub sent_on: Option<String>,
    pub answered_on: Option<String>,
    pub answer: Option<String>,
    pub answer_reasons: Option<String>,
    pub head_id: Option<i64>,
    pub trigger_kind: Option<String>,
    pub trigger_ground: Option<String>,
    pub petitioners: Option<i64>,
    pub new_election_by: Option<String>,
    pub is_demo: bool,
}

const COLS: &str = "id, unit_id, unit_path, village_id, kind, status, election_day, redo_of, decision_on, candidates_on, team_on, \
    announced_on, households, attendees, invalid, required, winner_id, no_winner_reason, sent_on, answered_on, answer, answer_reasons, \
    head_id, trigger_kind, trigger_ground, petitioners, new_election_by, is_demo";

fn opt_s(r: &AnyRow, c: &str) -> Result<Option<String>> {
    Ok(r.try_get::<Option<String>, _>(c)?)
}

fn from_row(r: &AnyRow) -> Result<Election> {
    Ok(Election {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        unit_path: r.try_get("unit_path")?,
        village_id: r.try_get("village_id")?,
        kind: r.try_get("kind")?,
        status: r.try_get("status")?,
        election_day: r.try_get("election_day")?,
        redo_of: opt_i64(r, "redo_of")?,
        decision_on: opt_s(r, "decision_on")?,
        candidates_on: opt_s(r, "candidates_on")?,
        team_on: opt_s(r, "team_on")?,
        announced_on: opt_s(r, "announced_on")?,
        households: opt_i64(r, "households")?,
        attendees: opt_i64(r, "attendees")?,
        invalid: opt_i64(r, "invalid")?,
        required: opt_i64(r, "required")?,
        winner_id: opt_i64(r, "winner_id")?,
        no_winner_reason: opt_s(r, "no_winner_reason")?,
        sent_on: opt_s(r, "sent_on")?,
        answered_on: opt_s(r, "answered_on")?,
        answer: opt_s(r, "answer")?,
        answer_reasons: opt_s(r, "answer_reasons")?,
        head_id: opt_i64(r, "head_id")?,
        trigger_kind: opt_s(r, "trigger_kind")?,
        trigger_ground: opt_s(r, "trigger_ground")?,
        petitioners: opt_i64(r, "petitioners")?,
        new_election_by: opt_s(r, "new_election_by")?,
        is_demo: flag(r, "is_demo")?,
    })
}

/// What a new election or dismissal needs.
#[derive(Debug, Clone)]
pub struct NewElection<'a> {
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub village_id: i64,
    pub kind: &'a str,
    pub election_day: &'a str,
    pub redo_of: Option<i64>,
    pub head_id: Option<i64>,
    pub trigger_kind: Option<&'a str>,
    pub trigger_ground: Option<&'a str>,
    pub petitioners: Option<i64>,
    pub is_demo: bool,
    pub created_by: Option<i64>,
}

/// Creates an election (or dismissal) being prepared.
pub async fn create(tx: &mut Tx, e: &NewElection<'_>) -> Result<i64> {
    let now = now_ms();
    let r = sqlx::query(
        "INSERT INTO elections (unit_id, unit_path, village_id, kind, status, election_day, redo_of, head_id, trigger_kind, \
         trigger_ground, petitioners, is_demo, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
    )
    .bind(e.unit_id)
    .bind(e.unit_path)
    .bind(e.village_id)
    .bind(e.kind)
    .bind(PLANNED)
    .bind(e.election_day)
    .bind(e.redo_of)
    .bind(e.head_id)
    .bind(e.trigger_kind)
    .bind(e.trigger_ground)
    .bind(e.petitioners)
    .bind(e.is_demo as i64)
    .bind(e.created_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(r.try_get("id")?)
}

/// One election.
pub async fn get(store: &Store, id: i64) -> Result<Option<Election>> {
    let sql = format!("SELECT {COLS} FROM elections WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(store.reader()).await?;
    row.map(|r| from_row(&r)).transpose()
}

/// One election, read in a write transaction.
pub async fn get_tx(tx: &mut Tx, id: i64) -> Result<Option<Election>> {
    let sql = format!("SELECT {COLS} FROM elections WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?;
    row.map(|r| from_row(&r)).transpose()
}

/// A village's elections and dismissals, newest meeting first.
pub async fn list_for_village(store: &Store, village_id: i64, limit: i64) -> Result<Vec<Election>> {
    let sql = format!("SELECT {COLS} FROM elections WHERE village_id = $1 ORDER BY election_day DESC, id DESC LIMIT $2");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(village_id).bind(limit).fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// A preparation step of R5.1, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepColumn {
    Decision,
    Candidates,
    Team,
    Announcement,
}

impl StepColumn {
    fn column(self) -> &'static str {
        match self {
            StepColumn::Decision => "decision_on",
            StepColumn::Candidates => "candidates_on",
            StepColumn::Team => "team_on",
            StepColumn::Announcement => "announced_on",
        }
    }
}

/// Records the day a step was done, once, while the election is being
/// prepared. False when it was recorded before or the election is counted.
pub async fn set_step(tx: &mut Tx, id: i64, step: StepColumn, on: &str) -> Result<bool> {
    let c = step.column();
    let sql = format!("UPDATE elections SET {c} = $2, updated_at = $3 WHERE id = $1 AND {c} IS NULL AND status = $4");
    let n = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(on).bind(now_ms()).bind(PLANNED).execute(&mut **tx).await?.rows_affected();
    Ok(n == 1)
}

/// A candidate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Candidate {
    pub id: i64,
    pub person_id: i64,
    pub full_name: String,
    /// 'list' (R5.1) or 'floor' (R5.4).
    pub nominated: String,
    pub votes: Option<i64>,
}

/// Adds a candidate; false when the person is already on the list.
pub async fn add_candidate(tx: &mut Tx, id: i64, person_id: i64, full_name: &str, nominated: &str) -> Result<bool> {
    let exists = sqlx::query("SELECT 1 AS x FROM election_candidates WHERE election_id = $1 AND person_id = $2")
        .bind(id)
        .bind(person_id)
        .fetch_optional(&mut **tx)
        .await?
        .is_some();
    if exists {
        return Ok(false);
    }
    sqlx::query("INSERT INTO election_candidates (election_id, person_id, full_name, nominated) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(person_id)
        .bind(full_name)
        .bind(nominated)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

fn candidate_from(r: &AnyRow) -> Result<Candidate> {
    Ok(Candidate {
        id: r.try_get("id")?,
        person_id: r.try_get("person_id")?,
        full_name: r.try_get("full_name")?,
        nominated: r.try_get("nominated")?,
        votes: opt_i64(r, "votes")?,
    })
}

const CAND_SQL: &str = "SELECT id, person_id, full_name, nominated, votes FROM election_candidates WHERE election_id = $1 ORDER BY id";

/// The candidates, in the order they were listed.
pub async fn candidates(store: &Store, id: i64) -> Result<Vec<Candidate>> {
    let rows = sqlx::query(CAND_SQL).bind(id).fetch_all(store.reader()).await?;
    rows.iter().map(candidate_from).collect()
}

/// The candidates, read in a write transaction.
pub async fn candidates_tx(tx: &mut Tx, id: i64) -> Result<Vec<Candidate>> {
    let rows = sqlx::query(CAND_SQL).bind(id).fetch_all(&mut **tx).await?;
    rows.iter().map(candidate_from).collect()
}

/// A member of the election team.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TeamMember {
    pub person_id: i64,
    pub full_name: String,
    pub is_leader: bool,
    pub front_representative: bool,
}

/// Sets the election team (replacing any earlier one).
pub async fn set_team(tx: &mut Tx, id: i64, members: &[TeamMember]) -> Result<()> {
    sqlx::query("DELETE FROM election_team WHERE election_id = $1").bind(id).execute(&mut **tx).await?;
    for m in members {
        sqlx::query(
            "INSERT INTO election_team (election_id, person_id, full_name, is_leader, front_representative) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(m.person_id)
        .bind(&m.full_name)
        .bind(m.is_leader as i64)
        .bind(m.front_representative as i64)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

const TEAM_SQL: &str = "SELECT person_id, full_name, is_leader, front_representative FROM election_team WHERE election_id = $1 \
    ORDER BY is_leader DESC, person_id";

fn member_from(r: &AnyRow) -> Result<TeamMember> {
    Ok(TeamMember {
        person_id: r.try_get("person_id")?,
        full_name: r.try_get("full_name")?,
        is_leader: flag(r, "is_leader")?,
        front_representative: flag(r, "front_representative")?,
    })
}

/// The election team, leader first.
pub async fn team(store: &Store, id: i64) -> Result<Vec<TeamMember>> {
    let rows = sqlx::query(TEAM_SQL).bind(id).fetch_all(store.reader()).await?;
    rows.iter().map(member_from).collect()
}

/// The election team, read in a write transaction.
pub async fn team_tx(tx: &mut Tx, id: i64) -> Result<Vec<TeamMember>> {
    let rows = sqlx::query(TEAM_SQL).bind(id).fetch_all(&mut **tx).await?;
    rows.iter().map(member_from).collect()
}

/// The figures of a count, as the minutes give them (R5.5, R5.7, R5.9).
#[derive(Debug, Clone)]
pub struct Count<'a> {
    pub status: &'a str,
    pub households: i64,
    pub attendees: i64,
    pub invalid: i64,
    pub required: i64,
    pub winner_id: Option<i64>,
    pub no_winner_reason: Option<&'a str>,
    /// Votes per candidate id (elections), or the one figure of a
    /// dismissal under candidate id 0 (not stored per candidate).
    pub votes: &'a [(i64, i64)],
}

/// Records the count once, while the election is being prepared. False
/// when it was counted before.
pub async fn record_count(tx: &mut Tx, id: i64, c: &Count<'_>) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE elections SET status = $2, households = $3, attendees = $4, invalid = $5, required = $6, winner_id = $7, \
         no_winner_reason = $8, counted_at = $9, updated_at = $9 WHERE id = $1 AND status = $10",
    )
    .bind(id)
    .bind(c.status)
    .bind(c.households)
    .bind(c.attendees)
    .bind(c.invalid)
    .bind(c.required)
    .bind(c.winner_id)
    .bind(c.no_winner_reason)
    .bind(now_ms())
    .bind(PLANNED)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Ok(false);
    }
    for (candidate, votes) in c.votes.iter().filter(|(c, _)| *c != 0) {
        sqlx::query("UPDATE election_candidates SET votes = $3 WHERE election_id = $1 AND id = $2")
            .bind(id)
            .bind(candidate)
            .bind(votes)
            .execute(&mut **tx)
            .await?;
    }
    Ok(true)
}

/// Records the sending to the commune (R5.6), once, from a counted state.
pub async fn send(tx: &mut Tx, id: i64, on: &str) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE elections SET status = $2, sent_on = $3, updated_at = $4 WHERE id = $1 AND status IN ($5, $6, $7, $8) AND sent_on IS NULL",
    )
    .bind(id)
    .bind(SENT)
    .bind(on)
    .bind(now_ms())
    .bind(ELECTED)
    .bind(NO_WINNER)
    .bind(DISMISSED)
    .bind(KEPT)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Records the commune's answer (R5.6, R5.10), once, after sending.
pub async fn answer(tx: &mut Tx, id: i64, status: &str, on: &str, reasons: Option<&str>, new_election_by: Option<&str>) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE elections SET status = $2, answer = $2, answered_on = $3, answer_reasons = $4, new_election_by = $5, updated_at = $6 \
         WHERE id = $1 AND status = $7",
    )
    .bind(id)
    .bind(status)
    .bind(on)
    .bind(reasons)
    .bind(new_election_by)
    .bind(now_ms())
    .bind(SENT)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// A head of a village.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Head {
    pub id: i64,
    pub village_id: i64,
    pub person_id: Option<i64>,
    pub full_name: String,
    /// 'elected' or 'interim'.
    pub kind: String,
    pub election_id: Option<i64>,
    pub from_on: String,
    pub until_on: String,
    pub ended_on: Option<String>,
    pub ended_reason: Option<String>,
}

fn head_from(r: &AnyRow) -> Result<Head> {
    Ok(Head {
        id: r.try_get("id")?,
        village_id: r.try_get("village_id")?,
        person_id: opt_i64(r, "person_id")?,
        full_name: r.try_get("full_name")?,
        kind: r.try_get("kind")?,
        election_id: opt_i64(r, "election_id")?,
        from_on: r.try_get("from_on")?,
        until_on: r.try_get("until_on")?,
        ended_on: opt_s(r, "ended_on")?,
        ended_reason: opt_s(r, "ended_reason")?,
    })
}

const HEAD_COLS: &str = "id, village_id, person_id, full_name, kind, election_id, from_on, until_on, ended_on, ended_reason";

/// What a new head needs.
#[derive(Debug, Clone)]
pub struct NewHead<'a> {
    pub village_id: i64,
    pub person_id: Option<i64>,
    pub full_name: &'a str,
    pub kind: &'a str,
    pub election_id: Option<i64>,
    pub from_on: &'a str,
    pub until_on: &'a str,
}

/// Ends the village's current head (if any) on `on`, then records the new
/// one: a village has one head at a time.
pub async fn install_head(tx: &mut Tx, h: &NewHead<'_>, reason: &str) -> Result<i64> {
    end_head(tx, h.village_id, h.from_on, reason).await?;
    let r = sqlx::query(
        "INSERT INTO village_heads (village_id, person_id, full_name, kind, election_id, from_on, until_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(h.village_id)
    .bind(h.person_id)
    .bind(h.full_name)
    .bind(h.kind)
    .bind(h.election_id)
    .bind(h.from_on)
    .bind(h.until_on)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    Ok(r.try_get("id")?)
}

/// Ends the village's current head on `on`; how many were ended (0 or 1).
pub async fn end_head(tx: &mut Tx, village_id: i64, on: &str, reason: &str) -> Result<u64> {
    Ok(sqlx::query("UPDATE village_heads SET ended_on = $2, ended_reason = $3 WHERE village_id = $1 AND ended_on IS NULL")
        .bind(village_id)
        .bind(on)
        .bind(reason)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// The village's current head (not ended), if any.
pub async fn current_head(store: &Store, village_id: i64) -> Result<Option<Head>> {
    let sql =
        format!("SELECT {HEAD_COLS} FROM village_heads WHERE village_id = $1 AND ended_on IS NULL ORDER BY from_on DESC, id DESC LIMIT 1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(village_id).fetch_optional(store.reader()).await?;
    row.map(|r| head_from(&r)).transpose()
}

/// The village's heads, newest first.
pub async fn heads(store: &Store, village_id: i64) -> Result<Vec<Head>> {
    let sql = format!("SELECT {HEAD_COLS} FROM village_heads WHERE village_id = $1 ORDER BY from_on DESC, id DESC");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(village_id).fetch_all(store.reader()).await?;
    rows.iter().map(head_from).collect()
}

/// A current member of a household living in the village on `date`: the
/// person's name, or None (candidates and team members are residents).
pub async fn resident_name(store: &Store, person_id: i64, village_id: i64, date: &str) -> Result<Option<String>> {
    let row = sqlx::query(
        "SELECT p.full_name FROM people p JOIN household_villages hv ON hv.household_id = p.household_id \
         WHERE p.id = $1 AND p.valid_to IS NULL AND hv.village_id = $2 AND hv.valid_from <= $3 AND (hv.valid_to IS NULL OR hv.valid_to > $3)",
    )
    .bind(person_id)
    .bind(village_id)
    .bind(date)
    .fetch_optional(store.reader())
    .await?;
    Ok(row.map(|r| r.try_get("full_name")).transpose()?)
}
