//! Pools, transactions and the store's error type.

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Executor, Row};
use std::time::Duration;

/// A write transaction. Dropping it without `commit` rolls back.
pub type Tx = sqlx::Transaction<'static, Any>;

/// Which database the store speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Errors of the data layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write; the payload names the constraint
    /// or column when the database said which.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("database: {0}")]
    Db(sqlx::Error),
    #[error("migration {version}: {message}")]
    Migration { version: i64, message: String },
    #[error("{0}")]
    Invalid(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                StoreError::Conflict(d.constraint().map(str::to_string).unwrap_or_else(|| d.message().to_string()))
            }
            _ => StoreError::Db(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Pool settings.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Connections for reads (and for all work on PostgreSQL).
    pub max_connections: u32,
    /// SQLite `synchronous` pragma: FULL (default) makes every acknowledged
    /// commit survive a power cut as well as a `kill -9`.
    pub sqlite_synchronous: String,
    /// Group commit for [`Store::batched`] on SQLite: `None` or 1 on, 0 off
    /// (a transaction per write). PostgreSQL always runs a transaction per
    /// write.
    pub group_writers: Option<u32>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions { max_connections: 8, sqlite_synchronous: "FULL".into(), group_writers: None }
    }
}

/// The data store: a read pool and a write pool. On SQLite the write pool has
/// one connection, so writers queue in the process instead of failing with
/// SQLITE_BUSY, and transactions start with `BEGIN IMMEDIATE`; on PostgreSQL
/// both are the same pool.
#[derive(Clone)]
pub struct Store {
    read: AnyPool,
    write: AnyPool,
    backend: Backend,
    group_writers: u32,
    committers: std::sync::Arc<crate::batch::Committers>,
    recent_jobs: std::sync::Arc<crate::jobs::Recent>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("backend", &self.backend).finish()
    }
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Store {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://…`).
    pub async fn connect(url: &str, opts: &StoreOptions) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(StoreError::Invalid(format!(
                "database URL must start with sqlite: or postgres:// (got {})",
                url.split(':').next().unwrap_or("")
            )));
        };
        match backend {
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(opts.max_connections)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?;
                // Group commit is off unless asked for, and then with one
                // committer: batches held open on several committers waited
                // on each other's uncommitted keys, up to deadlocks
                // (docs/BENCHMARKS.md).
                let group_writers = opts.group_writers.unwrap_or(0).min(1);
                Ok(Store {
                    read: pool.clone(),
                    write: pool,
                    backend,
                    group_writers,
                    committers: Default::default(),
                    recent_jobs: Default::default(),
                })
            }
            Backend::Sqlite => {
                let sync = match opts.sqlite_synchronous.to_ascii_uppercase().as_str() {
                    "NORMAL" => "NORMAL",
                    "EXTRA" => "EXTRA",
                    _ => "FULL",
                };
                let pragmas = format!(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = {sync}; PRAGMA foreign_keys = ON; \
                     PRAGMA busy_timeout = 10000; PRAGMA cache_size = -8000; PRAGMA temp_store = MEMORY; \
                     PRAGMA secure_delete = ON;"
                );
                let p1 = pragmas.clone();
                let write = AnyPoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(Duration::from_secs(60))
                    .after_connect(move |conn, _| {
                        let p = p1.clone();
                        Box::pin(async move {
                            conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(p))).await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?;
                let p2 = pragmas.clone();
                let read = AnyPoolOptions::new()
                    .max_connections(opts.max_connections)
                    .acquire_timeout(Duration::from_secs(10))
                    .after_connect(move |conn, _| {
                        let p = p2.clone();
                        Box::pin(async move {
                            conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(p))).await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?;
                // One write connection: more than one committer would only queue.
                let group_writers = opts.group_writers.unwrap_or(1).min(1);
                Ok(Store { read, write, backend, group_writers, committers: Default::default(), recent_jobs: Default::default() })
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn group_writers(&self) -> u32 {
        self.group_writers
    }

    pub(crate) fn committers(&self) -> &crate::batch::Committers {
        &self.committers
    }

    pub(crate) fn recent_jobs(&self) -> &crate::jobs::Recent {
        &self.recent_jobs
    }

    /// The pool for reads.
    pub fn reader(&self) -> &AnyPool {
        &self.read
    }

    /// Starts a write transaction.
    pub async fn write(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.write.begin().await?,
        })
    }

    /// Applies pending migrations; safe to run from several nodes at once.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        crate::migrate::run(self).await
    }

    /// Checks that the database answers (for /readyz).
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").fetch_one(&self.read).await?;
        Ok(())
    }

    /// Closes the pools, waiting for connections to be returned.
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }

    /// Pool figures for /metrics: (size, idle) of the read pool.
    pub fn pool_stats(&self) -> (u32, usize) {
        (self.read.size(), self.read.num_idle())
    }

    /// SQLite only: writes a consistent copy of the database to `dest`
    /// (VACUUM INTO), safe while the server is serving.
    pub async fn sqlite_backup_to(&self, dest: &str) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Invalid("VACUUM INTO needs SQLite".into()));
        }
        sqlx::query("VACUUM INTO $1").bind(dest.to_string()).execute(&self.read).await?;
        Ok(())
    }

    /// SQLite only: `PRAGMA integrity_check` result.
    pub async fn sqlite_integrity_check(&self) -> Result<String> {
        let row = sqlx::query("PRAGMA integrity_check").fetch_one(&self.read).await?;
        Ok(row.try_get::<String, _>(0)?)
    }
}

/// Reads an optional integer column that may be stored as any integer width.
pub(crate) fn opt_i64(row: &AnyRow, col: &str) -> Result<Option<i64>> {
    Ok(row.try_get::<Option<i64>, _>(col)?)
}

/// The backend a transaction speaks to (for the few statements that
/// differ, such as full-text search).
pub(crate) fn tx_backend(tx: &mut Tx) -> Backend {
    if (**tx).backend_name().eq_ignore_ascii_case("postgresql") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// `1,2,3` for an `IN (…)` list of ids (integers only, so nothing to escape).
pub(crate) fn id_list(ids: &[i64]) -> String {
    ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

/// Reads a 0/1 integer column as a boolean.
pub(crate) fn flag(row: &AnyRow, col: &str) -> Result<bool> {
    Ok(row.try_get::<i64, _>(col)? != 0)
}

impl Store {
    /// Runs one administrative statement outside a transaction (CREATE
    /// DATABASE in tests and tools).
    pub async fn execute_admin(&self, sql: &str) -> Result<()> {
        self.read.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))).await?;
        Ok(())
    }
}

/// Placeholders for statements built at run time with many parameters
/// (bulk inserts). PostgreSQL numbers them (`$1, $2, …`); on SQLite they are
/// anonymous `?`, bound in order, because SQLite resolves every *numbered*
/// parameter by a linear search of the parameter list, which made a
/// 2,800-parameter insert quadratic (measured: 40 % of an import's time).
pub(crate) struct Params {
    sqlite: bool,
    n: usize,
}

impl Params {
    pub(crate) fn for_tx(tx: &Tx) -> Params {
        let sqlite = tx.backend_name().eq_ignore_ascii_case("sqlite");
        Params { sqlite, n: 0 }
    }

    /// The next placeholder.
    pub(crate) fn next(&mut self) -> String {
        self.n += 1;
        if self.sqlite {
            "?".to_string()
        } else {
            format!("${}", self.n)
        }
    }

    /// `(p, p, …)` with `k` placeholders and literal `tail` values appended.
    pub(crate) fn tuple(&mut self, k: usize, tail: &str) -> String {
        let mut out = String::from("(");
        for i in 0..k {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&self.next());
        }
        out.push_str(tail);
        out.push(')');
        out
    }
}
