//! Idempotency keys: a form or API submission carries a key; the first
//! submission records its outcome in the same transaction as its write, a
//! repeat (double click, retry, second tab) gets the recorded outcome back.

use crate::db::{now_ms, Result, Store, StoreError, Tx};
use sqlx::Row;

/// The recorded outcome of a key, if the key was used before.
pub async fn lookup(store: &Store, key: &str) -> Result<Option<String>> {
    let r = sqlx::query("SELECT outcome FROM idempotency_keys WHERE key = $1").bind(key).fetch_optional(store.reader()).await?;
    Ok(r.map(|r| r.try_get("outcome")).transpose()?)
}

/// Records the key in `tx`. Fails with `Conflict` if another submission with
/// the same key committed first; the caller then rolls back and looks up.
pub async fn record(tx: &mut Tx, key: &str, user_id: Option<i64>, outcome: &str) -> Result<()> {
    if key.is_empty() || key.len() > 100 {
        return Err(StoreError::Invalid("idempotency key must have 1 to 100 characters".into()));
    }
    sqlx::query("INSERT INTO idempotency_keys (key, user_id, outcome, created_at) VALUES ($1, $2, $3, $4)")
        .bind(key)
        .bind(user_id)
        .bind(outcome)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Removes keys older than `max_age_ms` (a maintenance job).
pub async fn purge(store: &Store, max_age_ms: i64) -> Result<u64> {
    let mut tx = store.write().await?;
    let r = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1").bind(now_ms() - max_age_ms).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(r.rows_affected())
}
