//! Household import records: status, progress and report, visible from
//! any node; the uploaded file waits here for the import job.

use crate::db::{now_ms, opt_i64, Result, Store, StoreError, Tx};
use crate::households::ImportCounts;
use sqlx::Row;

#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportRecord {
    pub id: i64,
    pub commune_id: i64,
    pub user_id: Option<i64>,
    pub file_name: String,
    pub file_sha256: String,
    pub status: String,
    pub total_rows: i64,
    pub processed_rows: i64,
    pub households_added: i64,
    pub households_updated: i64,
    pub households_unchanged: i64,
    pub people_added: i64,
    /// JSON array of row errors.
    pub errors: String,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

const COLS: &str = "id, commune_id, user_id, file_name, file_sha256, status, total_rows, processed_rows, households_added, \
    households_updated, households_unchanged, people_added, errors, created_at, finished_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<ImportRecord> {
    Ok(ImportRecord {
        id: r.try_get("id")?,
        commune_id: r.try_get("commune_id")?,
        user_id: opt_i64(r, "user_id")?,
        file_name: r.try_get("file_name")?,
        file_sha256: r.try_get("file_sha256")?,
        status: r.try_get("status")?,
        total_rows: r.try_get("total_rows")?,
        processed_rows: r.try_get("processed_rows")?,
        households_added: r.try_get("households_added")?,
        households_updated: r.try_get("households_updated")?,
        households_unchanged: r.try_get("households_unchanged")?,
        people_added: r.try_get("people_added")?,
        errors: r.try_get("errors")?,
        created_at: r.try_get("created_at")?,
        finished_at: opt_i64(r, "finished_at")?,
    })
}

/// Records a queued import with its file, in `tx`.
pub async fn create(tx: &mut Tx, commune_id: i64, user_id: Option<i64>, file_name: &str, sha: &str, data: &[u8]) -> Result<i64> {
    let r = sqlx::query(
        "INSERT INTO imports (commune_id, user_id, file_name, file_sha256, file_data, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'queued', $6) RETURNING id",
    )
    .bind(commune_id)
    .bind(user_id)
    .bind(file_name)
    .bind(sha)
    .bind(data.to_vec())
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    Ok(r.try_get("id")?)
}

pub async fn get(store: &Store, id: i64) -> Result<ImportRecord> {
    let sql = format!("SELECT {COLS} FROM imports WHERE id = $1");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(store.reader()).await?;
    from_row(&r.ok_or(StoreError::NotFound)?)
}

pub async fn file_data(store: &Store, id: i64) -> Result<Option<Vec<u8>>> {
    let r = sqlx::query("SELECT file_data FROM imports WHERE id = $1").bind(id).fetch_optional(store.reader()).await?;
    Ok(r.ok_or(StoreError::NotFound)?.try_get("file_data")?)
}

pub async fn recent_for(store: &Store, commune_id: i64, limit: i64) -> Result<Vec<ImportRecord>> {
    let sql = format!("SELECT {COLS} FROM imports WHERE commune_id = $1 ORDER BY id DESC LIMIT $2");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(commune_id).bind(limit).fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// Progress of the validation phase (short transaction of its own).
pub async fn progress(store: &Store, id: i64, status: &str, processed: i64, total: i64) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query("UPDATE imports SET status = $1, processed_rows = $2, total_rows = $3 WHERE id = $4")
        .bind(status)
        .bind(processed)
        .bind(total)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Final state, in the caller's transaction; the stored file is dropped.
pub async fn finish(tx: &mut Tx, id: i64, status: &str, total: i64, counts: &ImportCounts, errors_json: &str) -> Result<()> {
    sqlx::query(
        "UPDATE imports SET status = $1, total_rows = $2, processed_rows = $2, households_added = $3, households_updated = $4, \
         households_unchanged = $5, people_added = $6, errors = $7, finished_at = $8, file_data = NULL WHERE id = $9",
    )
    .bind(status)
    .bind(total)
    .bind(counts.households_added)
    .bind(counts.households_updated)
    .bind(counts.households_unchanged)
    .bind(counts.people_added)
    .bind(errors_json)
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
