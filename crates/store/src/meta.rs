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
    // One atomic statement, so two concurrent writers never both write n+1.
    sqlx::query(
        "INSERT INTO meta (key, value) VALUES ($1, '1') \
         ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)",
    )
    .bind(PUBLIC_VERSION)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn public_version(store: &Store) -> Result<i64> {
    Ok(get(store, PUBLIC_VERSION).await?.and_then(|v| v.parse().ok()).unwrap_or(0))
}
