//! Background jobs and the outbox, in the database so that any node can run
//! them: a job is claimed with a lease (`locked_until`); a node that dies
//! mid-job lets the lease expire and another node retries it. Jobs must be
//! idempotent. An optional idempotency key makes enqueueing idempotent too.

use crate::db::{now_ms, Backend, Result, Store, Tx};
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    pub max_attempts: i64,
}

/// Enqueues a job in the caller's transaction (so the job exists exactly when
/// the change that needs it commits). Returns false when the key was
/// already enqueued.
pub async fn enqueue(tx: &mut Tx, kind: &str, payload: &str, key: Option<&str>, run_at: i64) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO jobs (kind, payload, idempotency_key, run_at, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(kind)
    .bind(payload)
    .bind(key)
    .bind(run_at)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// Job keys this node has seen enqueued *and committed*: a hot path (a
/// comment schedules the same minute's regrouping as hundreds of others)
/// skips even the look-up of [`enqueue_once`] for them. Only a memo: a key
/// is noted by the caller after its transaction committed, so a noted job
/// is in the database; another node without the note looks it up. Bounded:
/// forgotten wholesale at 4,096 keys (the hot keys carry a time bucket).
#[derive(Default)]
pub struct Recent(std::sync::Mutex<std::collections::HashSet<String>>);

impl Recent {
    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashSet<String>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Whether this node saw the job key enqueued and committed (see [`Recent`]).
pub fn known_enqueued(store: &Store, key: &str) -> bool {
    store.recent_jobs().lock().contains(key)
}

/// Notes job keys whose transaction has committed (see [`Recent`]).
pub fn note_enqueued(store: &Store, keys: &[String]) {
    let mut set = store.recent_jobs().lock();
    if set.len() + keys.len() > 4_096 {
        set.clear();
    }
    set.extend(keys.iter().cloned());
}

/// Enqueues a job unless one with the same key exists already (checked
/// first with a plain read, so concurrent writers of a busy key do not
/// queue on the unique index's lock as `enqueue` alone would on
/// PostgreSQL). Returns whether it enqueued.
pub async fn enqueue_once(tx: &mut Tx, kind: &str, payload: &str, key: &str, run_at: i64) -> Result<bool> {
    let exists = sqlx::query("SELECT 1 AS one FROM jobs WHERE idempotency_key = $1").bind(key).fetch_optional(&mut **tx).await?.is_some();
    if exists {
        return Ok(false);
    }
    enqueue(tx, kind, payload, Some(key), run_at).await
}

/// Withdraws a job enqueued in the caller's transaction (or earlier) and not
/// yet claimed, by its idempotency key. Returns whether one was withdrawn.
pub async fn cancel(tx: &mut Tx, key: &str) -> Result<bool> {
    let r = sqlx::query("DELETE FROM jobs WHERE idempotency_key = $1 AND done_at IS NULL AND locked_until IS NULL AND attempts = 0")
        .bind(key)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// Claims the next due job for `lease_ms`.
pub async fn claim(store: &Store, lease_ms: i64) -> Result<Option<Job>> {
    let now = now_ms();
    // PostgreSQL: SKIP LOCKED lets concurrent nodes claim different jobs.
    // SQLite: the write transaction is exclusive, so the plain form is atomic.
    let lock = match store.backend() {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET locked_until = $1, attempts = attempts + 1 WHERE id = (\
           SELECT id FROM jobs WHERE done_at IS NULL AND run_at <= $2 AND attempts < max_attempts \
           AND (locked_until IS NULL OR locked_until < $2) ORDER BY run_at, id LIMIT 1 {lock}) \
         RETURNING id, kind, payload, attempts, max_attempts"
    );
    let mut tx = store.write().await?;
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now + lease_ms).bind(now).fetch_optional(&mut *tx).await?;
    tx.commit().await?;
    r.map(|r| {
        Ok(Job {
            id: r.try_get("id")?,
            kind: r.try_get("kind")?,
            payload: r.try_get("payload")?,
            attempts: r.try_get("attempts")?,
            max_attempts: r.try_get("max_attempts")?,
        })
    })
    .transpose()
}

/// Marks a job done. Its payload is cleared: finished jobs keep no copy of
/// what they carried (e-mails hold one-time links and addresses).
pub async fn complete(store: &Store, id: i64) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query("UPDATE jobs SET done_at = $1, locked_until = NULL, last_error = NULL, payload = '{}' WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a failure; the job runs again after an exponential back-off until
/// it has used its attempts.
pub async fn fail(store: &Store, job: &Job, error: &str) -> Result<()> {
    let delay = 1000i64 * (1 << job.attempts.clamp(0, 12));
    let mut tx = store.write().await?;
    sqlx::query("UPDATE jobs SET locked_until = NULL, last_error = $1, run_at = $2 WHERE id = $3")
        .bind(error.chars().take(1000).collect::<String>())
        .bind(now_ms() + delay)
        .bind(job.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the job has used its last attempt (after `fail`).
pub fn exhausted(job: &Job) -> bool {
    job.attempts >= job.max_attempts
}

/// Counts of pending and failed (out of attempts) jobs, for /metrics.
pub async fn counts(store: &Store) -> Result<(i64, i64)> {
    let r = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM jobs WHERE done_at IS NULL AND attempts < max_attempts) AS pending, \
                (SELECT COUNT(*) FROM jobs WHERE done_at IS NULL AND attempts >= max_attempts) AS dead",
    )
    .fetch_one(store.reader())
    .await?;
    Ok((r.try_get("pending")?, r.try_get("dead")?))
}
