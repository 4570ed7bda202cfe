//! Subscriptions to a unit or a category, and the notification outbox.
//!
//! The outbox holds one row per recipient and message; its `dedupe_key` is
//! unique, so fanning out the same publication twice queues nothing new,
//! and a message marked sent is never handed to a channel again.

use crate::db::{now_ms, opt_i64, Result, Store, Tx};
use sqlx::Row;

/// A subscription as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Subscription {
    pub id: i64,
    pub email: String,
    pub unit_id: Option<i64>,
    pub unit_path: String,
    pub category: Option<String>,
    pub token: String,
    pub confirmed: bool,
    pub cancelled: bool,
}

fn sub_from(r: &sqlx::any::AnyRow) -> Result<Subscription> {
    Ok(Subscription {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        unit_id: opt_i64(r, "unit_id")?,
        unit_path: r.try_get("unit_path")?,
        category: r.try_get("category")?,
        token: r.try_get("token")?,
        confirmed: opt_i64(r, "confirmed_at")?.is_some(),
        cancelled: opt_i64(r, "cancelled_at")?.is_some(),
    })
}

const SUB_COLS: &str = "id, email, unit_id, unit_path, category, token, confirmed_at, cancelled_at";

/// An active subscription of this address to the same unit and category, if any.
pub async fn find_active(tx: &mut Tx, email: &str, unit_id: i64, category: Option<&str>) -> Result<Option<Subscription>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {SUB_COLS} FROM subscriptions WHERE email = $1 AND unit_id = $2 AND cancelled_at IS NULL"
    )))
    .bind(email)
    .bind(unit_id)
    .fetch_all(&mut **tx)
    .await?;
    for r in &rows {
        let s = sub_from(r)?;
        if s.category.as_deref() == category {
            return Ok(Some(s));
        }
    }
    Ok(None)
}

/// Creates an unconfirmed subscription.
pub async fn subscribe(tx: &mut Tx, email: &str, unit_id: i64, unit_path: &str, category: Option<&str>, token: &str) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO subscriptions (email, unit_id, unit_path, category, token, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(email)
    .bind(unit_id)
    .bind(unit_path)
    .bind(category)
    .bind(token)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get("id")?)
}

/// The subscription with this token.
pub async fn by_token(store: &Store, token: &str) -> Result<Option<Subscription>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {SUB_COLS} FROM subscriptions WHERE token = $1")))
        .bind(token)
        .fetch_optional(store.reader())
        .await?;
    row.map(|r| sub_from(&r)).transpose()
}

/// Confirms a subscription (double opt-in); whether it changed.
pub async fn confirm(tx: &mut Tx, token: &str) -> Result<bool> {
    let n = sqlx::query("UPDATE subscriptions SET confirmed_at = $1 WHERE token = $2 AND confirmed_at IS NULL AND cancelled_at IS NULL")
        .bind(now_ms())
        .bind(token)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n > 0)
}

/// Cancels a subscription; whether it changed.
pub async fn cancel(tx: &mut Tx, token: &str) -> Result<bool> {
    let n = sqlx::query("UPDATE subscriptions SET cancelled_at = $1 WHERE token = $2 AND cancelled_at IS NULL")
        .bind(now_ms())
        .bind(token)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n > 0)
}

/// Confirmed, active subscriptions that cover an item of `unit_path` and
/// `category`: subscriptions to the unit or any ancestor, for all
/// categories or this one. Paged by id.
pub async fn matching(store: &Store, unit_path: &str, category: &str, after_id: i64, limit: i64) -> Result<Vec<Subscription>> {
    // The ancestors' paths are the prefixes of the item's path.
    let mut prefixes: Vec<String> = Vec::new();
    let mut acc = String::from("/");
    for part in unit_path.split('/').filter(|p| !p.is_empty()) {
        acc.push_str(part);
        acc.push('/');
        prefixes.push(acc.clone());
    }
    if prefixes.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (0..prefixes.len()).map(|i| format!("${}", i + 4)).collect();
    let sql = format!(
        "SELECT {SUB_COLS} FROM subscriptions WHERE confirmed_at IS NOT NULL AND cancelled_at IS NULL AND id > $1 \
         AND (category IS NULL OR category = $2) AND unit_path IN ({}) ORDER BY id LIMIT $3",
        placeholders.join(", ")
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(after_id).bind(category).bind(limit);
    for p in prefixes {
        q = q.bind(p);
    }
    q.fetch_all(store.reader()).await?.iter().map(sub_from).collect()
}

/// A message in the outbox.
#[derive(Debug, Clone)]
pub struct Message {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub sent: bool,
    pub attempts: i64,
}

/// Queues a message unless one with the same key was queued before;
/// returns the new row's id.
pub async fn enqueue(tx: &mut Tx, channel: &str, recipient: &str, dedupe_key: &str, subject: &str, body: &str) -> Result<Option<i64>> {
    let exists = sqlx::query("SELECT id FROM outbox WHERE dedupe_key = $1").bind(dedupe_key).fetch_optional(&mut **tx).await?;
    if exists.is_some() {
        return Ok(None);
    }
    let row = sqlx::query(
        "INSERT INTO outbox (channel, recipient, dedupe_key, subject, body, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(channel)
    .bind(recipient)
    .bind(dedupe_key)
    .bind(subject)
    .bind(body)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    Ok(Some(row.try_get("id")?))
}

/// A queued message.
pub async fn message(store: &Store, id: i64) -> Result<Option<Message>> {
    let row = sqlx::query("SELECT id, channel, recipient, subject, body, sent_at, attempts FROM outbox WHERE id = $1")
        .bind(id)
        .fetch_optional(store.reader())
        .await?;
    row.map(|r| {
        Ok(Message {
            id: r.try_get("id")?,
            channel: r.try_get("channel")?,
            recipient: r.try_get("recipient")?,
            subject: r.try_get("subject")?,
            body: r.try_get("body")?,
            sent: opt_i64(&r, "sent_at")?.is_some(),
            attempts: r.try_get("attempts")?,
        })
    })
    .transpose()
}

/// Marks a message sent; false if it was already marked (another node).
pub async fn mark_sent(store: &Store, id: i64) -> Result<bool> {
    let mut tx = store.write().await?;
    let n = sqlx::query("UPDATE outbox SET sent_at = $1, attempts = attempts + 1, body = '' WHERE id = $2 AND sent_at IS NULL")
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(n > 0)
}

/// Records a failed attempt.
pub async fn mark_failed(store: &Store, id: i64, error: &str) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = $1 WHERE id = $2").bind(error).bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// How many messages were queued and how many of them were sent.
pub async fn count_sent(store: &Store) -> Result<(i64, i64)> {
    let row = sqlx::query("SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN sent_at IS NULL THEN 0 ELSE 1 END), 0) AS sent FROM outbox")
        .fetch_one(store.reader())
        .await?;
    Ok((row.try_get("n")?, row.try_get("sent")?))
}
