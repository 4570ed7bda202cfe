//! Information requests (R1.12, R1.13): what a citizen asked a commune or an
//! agency, the statutory deadlines computed when it was received, and how it
//! ended (answered, refused with written reasons, withdrawn).
//!
//! Every change is a conditional `UPDATE … WHERE status = 'open'`, so two
//! officials acting at once (or a double click) cannot answer twice or
//! extend twice: the second statement changes nothing and the caller says so.

use crate::db::{now_ms, Result, Store, StoreError, Tx};
use sqlx::any::AnyRow;
use sqlx::Row;

/// Still to be answered.
pub const OPEN: &str = "open";
/// The information was provided.
pub const ANSWERED: &str = "answered";
/// Refused in writing, with reasons.
pub const REFUSED: &str = "refused";
/// The requester withdrew it.
pub const WITHDRAWN: &str = "withdrawn";

/// A request as stored. Dates are ISO text (`yyyy-mm-dd`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InfoRequest {
    pub id: i64,
    /// The public tracking code.
    pub code: String,
    pub unit_id: i64,
    pub unit_path: String,
    /// `in_person` or `electronic`.
    pub channel: String,
    /// `simple` or `complex`.
    pub complexity: String,
    /// The case of R1.12 the requester relies on.
    pub ground: String,
    pub subject: String,
    pub details: String,
    #[serde(skip)]
    pub requester_name: String,
    /// Never shown on public pages.
    #[serde(skip)]
    pub requester_contact: String,
    pub received_on: String,
    /// For complex electronic requests: when the time frame must be notified.
    pub notice_by: Option<String>,
    /// The statutory deadline before any extension.
    pub answer_by: String,
    /// The deadline after the one extension the law allows.
    pub extended_to: Option<String>,
    pub extension_reason: Option<String>,
    pub status: String,
    pub answer: Option<String>,
    pub refusal_reasons: Option<String>,
    pub answered_by: Option<i64>,
    pub answered_on: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl InfoRequest {
    /// The deadline in force: the extended one if the request was extended.
    pub fn due(&self) -> &str {
        self.extended_to.as_deref().unwrap_or(&self.answer_by)
    }

    pub fn is_open(&self) -> bool {
        self.status == OPEN
    }
}

const COLUMNS: &str = "id, code, unit_id, unit_path, channel, complexity, ground, subject, details, requester_name, \
    requester_contact, received_on, notice_by, answer_by, extended_to, extension_reason, status, answer, refusal_reasons, \
    answered_by, answered_on, created_by, created_at, updated_at";

fn from_row(r: &AnyRow) -> Result<InfoRequest> {
    Ok(InfoRequest {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        unit_id: r.try_get("unit_id")?,
        unit_path: r.try_get("unit_path")?,
        channel: r.try_get("channel")?,
        complexity: r.try_get("complexity")?,
        ground: r.try_get("ground")?,
        subject: r.try_get("subject")?,
        details: r.try_get("details")?,
        requester_name: r.try_get("requester_name")?,
        requester_contact: r.try_get("requester_contact")?,
        received_on: r.try_get("received_on")?,
        notice_by: r.try_get("notice_by")?,
        answer_by: r.try_get("answer_by")?,
        extended_to: r.try_get("extended_to")?,
        extension_reason: r.try_get("extension_reason")?,
        status: r.try_get("status")?,
        answer: r.try_get("answer")?,
        refusal_reasons: r.try_get("refusal_reasons")?,
        answered_by: r.try_get("answered_by")?,
        answered_on: r.try_get("answered_on")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// A request to record.
#[derive(Debug, Clone)]
pub struct NewInfoRequest<'a> {
    pub code: &'a str,
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub channel: &'a str,
    pub complexity: &'a str,
    pub ground: &'a str,
    pub subject: &'a str,
    pub details: &'a str,
    pub requester_name: &'a str,
    pub requester_contact: &'a str,
    pub received_on: &'a str,
    pub notice_by: Option<&'a str>,
    pub answer_by: &'a str,
    /// The official who registered it; None when filed online.
    pub created_by: Option<i64>,
}

/// Records a new open request; returns its id.
pub async fn create(tx: &mut Tx, n: &NewInfoRequest<'_>) -> Result<i64> {
    let now = now_ms();
    let r = sqlx::query(
        "INSERT INTO info_requests (code, unit_id, unit_path, channel, complexity, ground, subject, details, requester_name, \
         requester_contact, received_on, notice_by, answer_by, status, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id",
    )
    .bind(n.code)
    .bind(n.unit_id)
    .bind(n.unit_path)
    .bind(n.channel)
    .bind(n.complexity)
    .bind(n.ground)
    .bind(n.subject)
    .bind(n.details)
    .bind(n.requester_name)
    .bind(n.requester_contact)
    .bind(n.received_on)
    .bind(n.notice_by)
    .bind(n.answer_by)
    .bind(OPEN)
    .bind(n.created_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(r.try_get("id")?)
}

/// The request with a tracking code (already normalised), if any.
pub async fn by_code(store: &Store, code: &str) -> Result<Option<InfoRequest>> {
    let sql = format!("SELECT {COLUMNS} FROM info_requests WHERE code = $1");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(code).fetch_optional(store.reader()).await?;
    r.as_ref().map(from_row).transpose()
}

/// A request by id, or NotFound.
pub async fn get(store: &Store, id: i64) -> Result<InfoRequest> {
    let sql = format!("SELECT {COLUMNS} FROM info_requests WHERE id = $1");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(store.reader()).await?.ok_or(StoreError::NotFound)?;
    from_row(&r)
}

/// A request by id read inside a write transaction, or NotFound.
pub async fn get_tx(tx: &mut Tx, id: i64) -> Result<InfoRequest> {
    let sql = format!("SELECT {COLUMNS} FROM info_requests WHERE id = $1");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?.ok_or(StoreError::NotFound)?;
    from_row(&r)
}

/// One page of a unit's requests: open ones first, soonest deadline first,
/// then the closed ones, latest first (one query).
pub async fn list_for_unit(store: &Store, unit_id: i64, offset: i64, limit: i64) -> Result<Vec<InfoRequest>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM info_requests WHERE unit_id = $1 \
         ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, \
           CASE WHEN status = 'open' THEN COALESCE(extended_to, answer_by) ELSE '' END, \
           updated_at DESC, id DESC LIMIT $2 OFFSET $3"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(unit_id).bind(limit).bind(offset).fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// How many open requests of a unit are due on or before `date` (ISO),
/// overdue ones included (one query on the unit's index).
pub async fn count_open_due_by(store: &Store, unit_id: i64, date: &str) -> Result<i64> {
    let r = sqlx::query(
        "SELECT COUNT(*) AS n FROM info_requests WHERE unit_id = $1 AND status = 'open' AND COALESCE(extended_to, answer_by) <= $2",
    )
    .bind(unit_id)
    .bind(date)
    .fetch_one(store.reader())
    .await?;
    Ok(r.try_get("n")?)
}

/// Every open request, read inside a write transaction (to recompute their
/// deadlines when the calendar changes).
pub async fn open_tx(tx: &mut Tx) -> Result<Vec<InfoRequest>> {
    let sql = format!("SELECT {COLUMNS} FROM info_requests WHERE status = 'open' ORDER BY id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut **tx).await?;
    rows.iter().map(from_row).collect()
}

/// Sets the statutory deadlines of an open request (after a calendar
/// change): `extended_to` is only written if the request was extended.
/// Whether a row was changed.
pub async fn set_deadlines(tx: &mut Tx, id: i64, notice_by: Option<&str>, answer_by: &str, extended_to: Option<&str>) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE info_requests SET notice_by = $1, answer_by = $2, \
         extended_to = CASE WHEN extended_to IS NULL THEN NULL ELSE $3 END, updated_at = $4 WHERE id = $5 AND status = 'open'",
    )
    .bind(notice_by)
    .bind(answer_by)
    .bind(extended_to)
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n > 0)
}

/// Changes the complexity of an open request that was not extended, with
/// its recomputed deadlines; false if it was extended or no longer open.
pub async fn classify(tx: &mut Tx, id: i64, complexity: &str, notice_by: Option<&str>, answer_by: &str) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE info_requests SET complexity = $1, notice_by = $2, answer_by = $3, updated_at = $4 \
         WHERE id = $5 AND status = 'open' AND extended_to IS NULL",
    )
    .bind(complexity)
    .bind(notice_by)
    .bind(answer_by)
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n > 0)
}

/// Records that the information was provided; false if the request was no
/// longer open.
pub async fn answer(tx: &mut Tx, id: i64, text: &str, user_id: Option<i64>, on: &str) -> Result<bool> {
    close(tx, id, ANSWERED, "answer", text, user_id, on).await
}

/// Records a written refusal with its reasons; false if the request was no
/// longer open.
pub async fn refuse(tx: &mut Tx, id: i64, reasons: &str, user_id: Option<i64>, on: &str) -> Result<bool> {
    close(tx, id, REFUSED, "refusal_reasons", reasons, user_id, on).await
}

async fn close(tx: &mut Tx, id: i64, status: &str, column: &str, text: &str, user_id: Option<i64>, on: &str) -> Result<bool> {
    // `column` is one of two constants above, never user input.
    let sql = format!(
        "UPDATE info_requests SET status = $1, {column} = $2, answered_by = $3, answered_on = $4, updated_at = $5 \
         WHERE id = $6 AND status = 'open'"
    );
    let n = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(status)
        .bind(text)
        .bind(user_id)
        .bind(on)
        .bind(now_ms())
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n > 0)
}

/// Extends the deadline of an open request to `new_date`, once: false if it
/// was already extended or is no longer open.
pub async fn extend(tx: &mut Tx, id: i64, reason: &str, new_date: &str) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE info_requests SET extended_to = $1, extension_reason = $2, updated_at = $3 \
         WHERE id = $4 AND status = 'open' AND extended_to IS NULL",
    )
    .bind(new_date)
    .bind(reason)
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n > 0)
}

/// Records that the requester withdrew the request; false if it was no
/// longer open.
pub async fn withdraw(tx: &mut Tx, id: i64, user_id: Option<i64>, on: &str) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE info_requests SET status = $1, answered_by = $2, answered_on = $3, updated_at = $4 WHERE id = $5 AND status = 'open'",
    )
    .bind(WITHDRAWN)
    .bind(user_id)
    .bind(on)
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n > 0)
}
