//! Small key–value settings and counters kept in the database.

use crate::db::{Result, Store, Tx};
use sqlx::Row;

/// Key of the counter bumped by every write that changes a public page; app
/// nodes poll it to drop their rendered-page caches.
pub const PUBLIC_VERSION: &str = "public_version";

pub async fn get(store: &Store, key: &str) -> Result<Option<String>> {
    let r = sqlx::query("SELECT value FROM meta WHERE key = $1").bind(key).fetch_optional(store.reader()).await?;
    Ok(r.map(|r| r.try_get("value")).transpose()?)
}

pub async fn set(tx: &mut Tx, key: &str, value: &str) -> Result<()> {
    sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Increments the public-content version in `tx`.
pub async fn bump_public_version(tx: &mut Tx) -> Result<()> {
    // Stored as text for portability; the value only needs to change.
    let r = sqlx::query("SELECT value FROM meta WHERE key = $1").bind(PUBLIC_VERSION).fetch_optional(&mut **tx).await?;
    let n: i64 = r.and_then(|r| r.try_get::<String, _>("value").ok()).and_then(|v| v.parse().ok()).unwrap_or(0);
    set(tx, PUBLIC_VERSION, &(n + 1).to_string()).await
}

pub async fn public_version(store: &Store) -> Result<i64> {
    Ok(get(store, PUBLIC_VERSION).await?.and_then(|v| v.parse().ok()).unwrap_or(0))
}
