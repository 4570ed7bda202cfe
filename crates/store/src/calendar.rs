//! The yearly calendar announcements (compensatory days off, swapped working
//! days) that an administrator keeps; the rules themselves live in
//! `danchu_domain::calendar`.

use crate::db::{now_ms, Result, Store, Tx};
use sqlx::Row;

/// One announced day.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CalendarDay {
    /// ISO date.
    pub day: String,
    /// `off`, `working` or `not_off`.
    pub kind: String,
    pub note: String,
}

/// Every announced day, in date order (one query; a few dozen rows a year).
pub async fn all(store: &Store) -> Result<Vec<CalendarDay>> {
    let rows = sqlx::query("SELECT day, kind, note FROM calendar_days ORDER BY day").fetch_all(store.reader()).await?;
    rows.iter().map(|r| Ok(CalendarDay { day: r.try_get("day")?, kind: r.try_get("kind")?, note: r.try_get("note")? })).collect()
}

/// Every announced day, read inside a write transaction.
pub async fn all_tx(tx: &mut Tx) -> Result<Vec<CalendarDay>> {
    let rows = sqlx::query("SELECT day, kind, note FROM calendar_days ORDER BY day").fetch_all(&mut **tx).await?;
    rows.iter().map(|r| Ok(CalendarDay { day: r.try_get("day")?, kind: r.try_get("kind")?, note: r.try_get("note")? })).collect()
}

/// Records or replaces the announcement for a day; returns the previous
/// entry if there was one.
pub async fn put(tx: &mut Tx, day: &CalendarDay, user_id: Option<i64>) -> Result<Option<CalendarDay>> {
    let old = sqlx::query("SELECT day, kind, note FROM calendar_days WHERE day = $1").bind(&day.day).fetch_optional(&mut **tx).await?;
    let old = match old {
        Some(r) => Some(CalendarDay { day: r.try_get("day")?, kind: r.try_get("kind")?, note: r.try_get("note")? }),
        None => None,
    };
    sqlx::query("DELETE FROM calendar_days WHERE day = $1").bind(&day.day).execute(&mut **tx).await?;
    sqlx::query("INSERT INTO calendar_days (day, kind, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&day.day)
        .bind(&day.kind)
        .bind(&day.note)
        .bind(user_id)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    Ok(old)
}

/// Removes the announcement for a day; whether there was one.
pub async fn remove(tx: &mut Tx, day: &str) -> Result<bool> {
    let n = sqlx::query("DELETE FROM calendar_days WHERE day = $1").bind(day).execute(&mut **tx).await?.rows_affected();
    Ok(n > 0)
}
