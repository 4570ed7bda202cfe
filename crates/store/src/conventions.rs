//! Village conventions (hương ước, quy ước; R6.1–R6.16): the text's life
//! cycle, each transition a conditional update on the state it leaves plus
//! a row of `convention_events`, so a double submission changes nothing and
//! the history stays. The rules are `danchu_domain::convention`'s.

use crate::db::{flag, now_ms, opt_i64, Result, Store, Tx};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A convention.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Convention {
    pub id: i64,
    pub unit_id: i64,
    pub village_id: i64,
    pub title: String,
    pub kind: String,
    pub state: String,
    pub amends_id: Option<i64>,
    pub proposed_by: String,
    pub proposed_on: String,
    pub consultation_id: Option<i64>,
    pub route: Option<String>,
    pub households: Option<i64>,
    pub present: Option<i64>,
    pub agree: Option<i64>,
    pub required: Option<i64>,
    pub adopted_on: Option<String>,
    pub dossier_complete_on: Option<String>,
    pub answered_on: Option<String>,
    pub answer_reasons: Option<String>,
    pub suspension_ground: Option<String>,
    pub suspension_extent: Option<String>,
    pub suspension_signed_on: Option<String>,
    pub suspension_redo_by: Option<String>,
    pub suspension_reasons: Option<String>,
    pub annulment_ground: Option<String>,
    pub annulled_on: Option<String>,
    pub posted: bool,
    pub disseminated: Option<String>,
    pub review_agreed_on: Option<String>,
}

const COLS: &str = "id, unit_id, village_id, title, kind, state, amends_id, proposed_by, proposed_on, consultation_id, route, households, \
    present, agree, required, adopted_on, dossier_complete_on, answered_on, answer_reasons, suspension_ground, suspension_extent, \
    suspension_signed_on, suspension_redo_by, suspension_reasons, annulment_ground, annulled_on, posted, disseminated, review_agreed_on";

fn s(r: &AnyRow, c: &str) -> Result<Option<String>> {
    Ok(r.try_get::<Option<String>, _>(c)?)
}

fn from_row(r: &AnyRow) -> Result<Convention> {
    Ok(Convention {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        village_id: r.try_get("village_id")?,
        title: r.try_get("title")?,
        kind: r.try_get("kind")?,
        state: r.try_get("state")?,
        amends_id: opt_i64(r, "amends_id")?,
        proposed_by: r.try_get("proposed_by")?,
        proposed_on: r.try_get("proposed_on")?,
        consultation_id: opt_i64(r, "consultation_id")?,
        route: s(r, "route")?,
        households: opt_i64(r, "households")?,
        present: opt_i64(r, "present")?,
        agree: opt_i64(r, "agree")?,
        required: opt_i64(r, "required")?,
        adopted_on: s(r, "adopted_on")?,
        dossier_complete_on: s(r, "dossier_complete_on")?,
        answered_on: s(r, "answered_on")?,
        answer_reasons: s(r, "answer_reasons")?,
        suspension_ground: s(r, "suspension_ground")?,
        suspension_extent: s(r, "suspension_extent")?,
        suspension_signed_on: s(r, "suspension_signed_on")?,
        suspension_redo_by: s(r, "suspension_redo_by")?,
        suspension_reasons: s(r, "suspension_reasons")?,
        annulment_ground: s(r, "annulment_ground")?,
        annulled_on: s(r, "annulled_on")?,
        posted: flag(r, "posted")?,
        disseminated: s(r, "disseminated")?,
        review_agreed_on: s(r, "review_agreed_on")?,
    })
}

/// What a proposal needs (R6.3).
#[derive(Debug, Clone)]
pub struct NewConvention<'a> {
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub village_id: i64,
    pub title: &'a str,
    pub kind: &'a str,
    pub amends_id: Option<i64>,
    pub proposed_by: &'a str,
    pub proposed_on: &'a str,
    pub is_demo: bool,
    pub created_by: Option<i64>,
}

/// Records a proposal in state `proposed`, with its first event.
pub async fn create(tx: &mut Tx, c: &NewConvention<'_>) -> Result<i64> {
    let now = now_ms();
    let r = sqlx::query(
        "INSERT INTO conventions (unit_id, unit_path, village_id, title, kind, state, amends_id, proposed_by, proposed_on, is_demo, \
         created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'proposed', $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(c.unit_id)
    .bind(c.unit_path)
    .bind(c.village_id)
    .bind(c.title)
    .bind(c.kind)
    .bind(c.amends_id)
    .bind(c.proposed_by)
    .bind(c.proposed_on)
    .bind(c.is_demo as i64)
    .bind(c.created_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let id: i64 = r.try_get("id")?;
    event(tx, id, "", "proposed", c.proposed_on, "Đề xuất xây dựng (R6.3)", c.created_by).await?;
    Ok(id)
}

async fn event(tx: &mut Tx, id: i64, from: &str, to: &str, on: &str, note: &str, by: Option<i64>) -> Result<()> {
    sqlx::query(
        "INSERT INTO convention_events (convention_id, from_state, to_state, on_day, note, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(on)
    .bind(note)
    .bind(by)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A value to set with a transition.
#[derive(Debug, Clone)]
pub enum Val<'a> {
    Int(i64),
    Text(&'a str),
}

/// Columns a transition may set (fixed names, never from input).
pub const SETTABLE: &[&str] = &[
    "team_members",
    "team_elder",
    "team_ethnic",
    "consultation_id",
    "route",
    "households",
    "present",
    "agree",
    "disagree",
    "other",
    "invalid",
    "required",
    "adopted_on",
    "dossier_complete_on",
    "answered_on",
    "answer_reasons",
    "text_sent_on",
    "suspension_ground",
    "suspension_extent",
    "suspension_signed_on",
    "suspension_redo_by",
    "suspension_reasons",
    "annulment_ground",
    "annulled_on",
    "posted",
    "disseminated",
    "review_agreed_on",
];

/// A move of the life cycle: from one state to another on a day, with the
/// event's note.
#[derive(Debug, Clone, Copy)]
pub struct Move<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub on: &'a str,
    pub note: &'a str,
    pub by: Option<i64>,
}

/// Moves a convention as `m` says, setting `set`, and keeps the event.
/// False (nothing written) when it is no longer in `m.from`.
pub async fn transition(tx: &mut Tx, id: i64, m: &Move<'_>, set: &[(&str, Val<'_>)]) -> Result<bool> {
    let (from, to) = (m.from, m.to);
    let mut sql = String::from("UPDATE conventions SET state = $3, updated_at = $4");
    for (i, (c, _)) in set.iter().enumerate() {
        assert!(SETTABLE.contains(c), "column {c} is not settable");
        sql.push_str(&format!(", {c} = ${}", i + 5));
    }
    sql.push_str(" WHERE id = $1 AND state = $2");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(from).bind(to).bind(now_ms());
    for (_, v) in set {
        q = match v {
            Val::Int(n) => q.bind(*n),
            Val::Text(t) => q.bind(*t),
        };
    }
    if q.execute(&mut **tx).await?.rows_affected() != 1 {
        return Ok(false);
    }
    event(tx, id, from, to, m.on, m.note, m.by).await?;
    Ok(true)
}

/// Sets columns without a change of state (dossier, dissemination, …),
/// while the convention is in `state`. False when it is not.
pub async fn update(tx: &mut Tx, id: i64, state: &str, set: &[(&str, Val<'_>)]) -> Result<bool> {
    let mut sql = String::from("UPDATE conventions SET updated_at = $3");
    for (i, (c, _)) in set.iter().enumerate() {
        assert!(SETTABLE.contains(c), "column {c} is not settable");
        sql.push_str(&format!(", {c} = ${}", i + 4));
    }
    sql.push_str(" WHERE id = $1 AND state = $2");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(state).bind(now_ms());
    for (_, v) in set {
        q = match v {
            Val::Int(n) => q.bind(*n),
            Val::Text(t) => q.bind(*t),
        };
    }
    Ok(q.execute(&mut **tx).await?.rows_affected() == 1)
}

/// One convention.
pub async fn get(store: &Store, id: i64) -> Result<Option<Convention>> {
    let sql = format!("SELECT {COLS} FROM conventions WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(store.reader()).await?;
    row.map(|r| from_row(&r)).transpose()
}

/// A commune's conventions in a state (e.g. the recognised ones, for the
/// yearly review), by village.
pub async fn list_in_state(store: &Store, unit_id: i64, state: &str) -> Result<Vec<Convention>> {
    let sql = format!("SELECT {COLS} FROM conventions WHERE unit_id = $1 AND state = $2 ORDER BY village_id, id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(unit_id).bind(state).fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// An event of the history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Event {
    pub from_state: String,
    pub to_state: String,
    pub on_day: String,
    pub note: String,
}

/// The history, oldest first.
pub async fn events(store: &Store, id: i64) -> Result<Vec<Event>> {
    let rows = sqlx::query("SELECT from_state, to_state, on_day, note FROM convention_events WHERE convention_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(store.reader())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Event {
                from_state: r.try_get("from_state")?,
                to_state: r.try_get("to_state")?,
                on_day: r.try_get("on_day")?,
                note: r.try_get("note")?,
            })
        })
        .collect()
}

/// Records the review of `year` once (R6.13); false when already recorded.
pub async fn record_review(tx: &mut Tx, id: i64, year: i64, on: &str, note: &str) -> Result<bool> {
    let exists = sqlx::query("SELECT 1 AS x FROM convention_reviews WHERE convention_id = $1 AND year = $2")
        .bind(id)
        .bind(year)
        .fetch_optional(&mut **tx)
        .await?
        .is_some();
    if exists {
        return Ok(false);
    }
    sqlx::query("INSERT INTO convention_reviews (convention_id, year, reviewed_on, note) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(year)
        .bind(on)
        .bind(note)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// The day each of these conventions was reviewed in `year` (one query).
pub async fn reviews_of_year(store: &Store, unit_id: i64, year: i64) -> Result<Vec<(i64, String)>> {
    let rows = sqlx::query(
        "SELECT r.convention_id, r.reviewed_on FROM convention_reviews r JOIN conventions c ON c.id = r.convention_id \
         WHERE c.unit_id = $1 AND r.year = $2",
    )
    .bind(unit_id)
    .bind(year)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(|r| Ok((r.try_get("convention_id")?, r.try_get("reviewed_on")?))).collect()
}
