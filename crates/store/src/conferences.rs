//! Staff and workers' conferences (R7.1–R7.7): the conference, its
//! convenings, its decisions and the six-monthly checks of its resolution.
//! The rules are `danchu_domain::conference`'s; state changes are
//! conditional updates, so a second submission changes nothing.

use crate::db::{flag, now_ms, opt_i64, Result, Store, Tx};
use sqlx::any::AnyRow;
use sqlx::Row;

/// Planned: not yet held.
pub const PLANNED: &str = "planned";
/// Held with quorum; its decisions are recorded.
pub const HELD: &str = "held";
/// A second convening lacked quorum (or force majeure): the written ballot.
pub const BALLOT_DUE: &str = "ballot_due";
/// The written ballot is counted.
pub const BALLOT_COUNTED: &str = "ballot_counted";

/// A conference.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conference {
    pub id: i64,
    pub unit_id: i64,
    pub workplace: String,
    pub year_end: String,
    pub held_on: String,
    pub mode: String,
    pub convened: i64,
    pub status: String,
    pub failed_convenings: i64,
    pub present: Option<i64>,
    pub adopted_on: Option<String>,
}

const COLS: &str = "id, unit_id, workplace, year_end, held_on, mode, convened, status, failed_convenings, present, adopted_on";

fn from_row(r: &AnyRow) -> Result<Conference> {
    Ok(Conference {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        workplace: r.try_get("workplace")?,
        year_end: r.try_get("year_end")?,
        held_on: r.try_get("held_on")?,
        mode: r.try_get("mode")?,
        convened: r.try_get("convened")?,
        status: r.try_get("status")?,
        failed_convenings: r.try_get("failed_convenings")?,
        present: opt_i64(r, "present")?,
        adopted_on: r.try_get::<Option<String>, _>("adopted_on")?,
    })
}

/// What a new conference needs.
#[derive(Debug, Clone)]
pub struct NewConference<'a> {
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub workplace: &'a str,
    pub year_end: &'a str,
    pub held_on: &'a str,
    pub mode: &'a str,
    pub convened: i64,
    pub is_demo: bool,
    pub created_by: Option<i64>,
}

/// Records a planned conference.
pub async fn create(tx: &mut Tx, c: &NewConference<'_>) -> Result<i64> {
    let now = now_ms();
    let r = sqlx::query(
        "INSERT INTO conferences (unit_id, unit_path, workplace, year_end, held_on, mode, convened, status, is_demo, created_by, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(c.unit_id)
    .bind(c.unit_path)
    .bind(c.workplace)
    .bind(c.year_end)
    .bind(c.held_on)
    .bind(c.mode)
    .bind(c.convened)
    .bind(PLANNED)
    .bind(c.is_demo as i64)
    .bind(c.created_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(r.try_get("id")?)
}

/// One conference.
pub async fn get(store: &Store, id: i64) -> Result<Option<Conference>> {
    let sql = format!("SELECT {COLS} FROM conferences WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(store.reader()).await?;
    row.map(|r| from_row(&r)).transpose()
}

/// A unit's conferences, newest first.
pub async fn list_for_unit(store: &Store, unit_id: i64, limit: i64) -> Result<Vec<Conference>> {
    let sql = format!("SELECT {COLS} FROM conferences WHERE unit_id = $1 ORDER BY held_on DESC, id DESC LIMIT $2");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(unit_id).bind(limit).fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// Records a convening without quorum while planned: the count of failed
/// convenings must still be `failed` (a replay changes nothing). When
/// `ballot` the written ballot becomes due.
pub async fn failed_convening(tx: &mut Tx, id: i64, failed: i64, ballot: bool) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE conferences SET failed_convenings = failed_convenings + 1, status = $3, updated_at = $4 \
         WHERE id = $1 AND status = $5 AND failed_convenings = $2",
    )
    .bind(id)
    .bind(failed)
    .bind(if ballot { BALLOT_DUE } else { PLANNED })
    .bind(now_ms())
    .bind(PLANNED)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// A decision's figures.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DecisionRow {
    pub title: String,
    pub route: String,
    pub base: i64,
    pub agree: i64,
    pub required: i64,
    pub passed: bool,
}

/// Records the decisions once, moving the conference from `from` to `to`
/// (held, or ballot counted). False when it was not in `from`.
pub async fn record_decisions(
    tx: &mut Tx,
    id: i64,
    from: &str,
    to: &str,
    present: Option<i64>,
    on: &str,
    rows: &[DecisionRow],
) -> Result<bool> {
    let n = sqlx::query("UPDATE conferences SET status = $3, present = $4, adopted_on = $5, updated_at = $6 WHERE id = $1 AND status = $2")
        .bind(id)
        .bind(from)
        .bind(to)
        .bind(present)
        .bind(on)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if n != 1 {
        return Ok(false);
    }
    for d in rows {
        sqlx::query(
            "INSERT INTO conference_decisions (conference_id, title, route, base, agree, required, passed) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(&d.title)
        .bind(&d.route)
        .bind(d.base)
        .bind(d.agree)
        .bind(d.required)
        .bind(d.passed as i64)
        .execute(&mut **tx)
        .await?;
    }
    Ok(true)
}

/// The decisions of a conference, in order.
pub async fn decisions(store: &Store, id: i64) -> Result<Vec<DecisionRow>> {
    let rows =
        sqlx::query("SELECT title, route, base, agree, required, passed FROM conference_decisions WHERE conference_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(store.reader())
            .await?;
    rows.iter()
        .map(|r| {
            Ok(DecisionRow {
                title: r.try_get("title")?,
                route: r.try_get("route")?,
                base: r.try_get("base")?,
                agree: r.try_get("agree")?,
                required: r.try_get("required")?,
                passed: flag(r, "passed")?,
            })
        })
        .collect()
}

/// Records a six-monthly check (R7.6); false when that day's is recorded.
pub async fn record_check(tx: &mut Tx, id: i64, on: &str, note: &str) -> Result<bool> {
    let exists = sqlx::query("SELECT 1 AS x FROM conference_checks WHERE conference_id = $1 AND checked_on = $2")
        .bind(id)
        .bind(on)
        .fetch_optional(&mut **tx)
        .await?
        .is_some();
    if exists {
        return Ok(false);
    }
    sqlx::query("INSERT INTO conference_checks (conference_id, checked_on, note) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(on)
        .bind(note)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// The last check of a conference's resolution, if any.
pub async fn last_check(store: &Store, id: i64) -> Result<Option<String>> {
    let r = sqlx::query("SELECT MAX(checked_on) AS d FROM conference_checks WHERE conference_id = $1")
        .bind(id)
        .fetch_one(store.reader())
        .await?;
    Ok(r.try_get::<Option<String>, _>("d")?)
}
