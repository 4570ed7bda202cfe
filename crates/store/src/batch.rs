//! Group commit: the writes of concurrent submissions share one transaction.
//!
//! A submission (a comment, a ballot) is a small write that must be durable
//! before it is acknowledged. With one transaction each, SQLite's single
//! writer spends most of its time opening, committing and syncing; under
//! load the submissions queue behind each other. [`Store::batched`] hands
//! the write to a committer task instead: the committer opens a
//! transaction, runs every write that is waiting, each inside its own
//! savepoint (a write that fails or refuses is rolled back alone and
//! answered at once), commits once, and only then answers the others. So:
//!
//! - nothing is acknowledged before its commit is durable (the caller's
//!   future resolves after `COMMIT` returned), and a failed commit fails
//!   every write of the batch: none is acknowledged, all may be retried;
//! - a write sees the writes batched before it (same transaction), so
//!   look-ups such as "is this job queued" or "was this key used" stay
//!   exact;
//! - no state lives in the process beyond the queue of unanswered writes:
//!   another node has its own committers, and the database arbitrates.
//!
//! On PostgreSQL (and on SQLite with `group_writers = 0`) each write runs in
//! its own transaction through the same interface: there, concurrent
//! connections already commit in parallel and the server groups their log
//! flushes; batches measured slower, and batches held open on several
//! committers or nodes waited on each other's uncommitted keys (a comment's
//! job keys), up to deadlocks (docs/BENCHMARKS.md).

use crate::db::{Result, Store, StoreError, Tx};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

/// A boxed future, as the batched closures return.
pub type BoxFut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a finished write does once the batch's commit is known.
type Answer = Box<dyn FnOnce(Option<&StoreError>) + Send>;
/// A write: runs on the batch's transaction, says whether it succeeded and
/// how to answer its caller.
type Job = Box<dyn for<'a> FnOnce(&'a mut Tx) -> BoxFut<'a, (bool, Answer)> + Send>;

/// Most writes in one transaction (bounds the latency of the first).
const MAX_BATCH: usize = 256;

/// The queue to the committers, started on first use.
#[derive(Default)]
pub(crate) struct Committers {
    queue: Mutex<Option<mpsc::Sender<Job>>>,
    stats: Arc<Stats>,
}

/// Counters of the committers (for /metrics and tests).
#[derive(Default)]
struct Stats {
    batches: AtomicU64,
    writes: AtomicU64,
}

impl Committers {
    fn sender(&self, store: &Store, writers: u32) -> mpsc::Sender<Job> {
        let mut q = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = q.as_ref().filter(|s| !s.is_closed()) {
            return s.clone();
        }
        let (tx, rx) = mpsc::channel::<Job>(4096);
        let rx = Arc::new(tokio::sync::Mutex::new(rx));
        for _ in 0..writers.max(1) {
            tokio::spawn(commit_loop(store.clone(), rx.clone(), self.stats.clone()));
        }
        *q = Some(tx.clone());
        tx
    }
}

fn commit_failed(e: &StoreError) -> StoreError {
    StoreError::Db(sqlx::Error::Io(std::io::Error::other(format!("group commit failed: {e}"))))
}

async fn commit_loop(store: Store, rx: Arc<tokio::sync::Mutex<mpsc::Receiver<Job>>>, stats: Arc<Stats>) {
    loop {
        // Take the first waiting write, then everything queued behind it.
        let jobs = {
            let mut rx = rx.lock().await;
            let Some(first) = rx.recv().await else { return };
            let mut jobs = vec![first];
            while jobs.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(j) => jobs.push(j),
                    Err(_) => break,
                }
            }
            jobs
        };
        stats.batches.fetch_add(1, Ordering::Relaxed);
        stats.writes.fetch_add(jobs.len() as u64, Ordering::Relaxed);
        run_batch(&store, jobs).await;
    }
}

async fn savepoint(tx: &mut Tx, sql: &'static str) -> Result<()> {
    sqlx::query(sql).execute(&mut **tx).await?;
    Ok(())
}

async fn run_batch(store: &Store, jobs: Vec<Job>) {
    let mut tx = match store.write().await {
        Ok(tx) => tx,
        Err(e) => {
            // Dropping the jobs drops their answer channels: each caller
            // gets an error, nothing was written.
            tracing::error!(error = %e, "group commit: cannot begin");
            return;
        }
    };
    let mut waiting: Vec<Answer> = Vec::with_capacity(jobs.len());
    for job in jobs {
        if let Err(e) = savepoint(&mut tx, "SAVEPOINT batch_write").await {
            tracing::error!(error = %e, "group commit: savepoint");
            fail_all(waiting, &e);
            return;
        }
        let (ok, answer) = job(&mut tx).await;
        let end = if ok {
            savepoint(&mut tx, "RELEASE SAVEPOINT batch_write").await
        } else {
            match savepoint(&mut tx, "ROLLBACK TO SAVEPOINT batch_write").await {
                Ok(()) => savepoint(&mut tx, "RELEASE SAVEPOINT batch_write").await,
                Err(e) => Err(e),
            }
        };
        match (end, ok) {
            (Err(e), _) => {
                tracing::error!(error = %e, "group commit: savepoint end");
                answer(Some(&e));
                fail_all(waiting, &e);
                return;
            }
            // A refused or failed write is answered now: its error does not
            // wait for the others' commit.
            (Ok(()), false) => answer(None),
            (Ok(()), true) => waiting.push(answer),
        }
    }
    match tx.commit().await {
        Ok(()) => waiting.into_iter().for_each(|a| a(None)),
        Err(e) => {
            let e = StoreError::from(e);
            tracing::error!(error = %e, "group commit: commit");
            fail_all(waiting, &e);
        }
    }
}

fn fail_all(waiting: Vec<Answer>, e: &StoreError) {
    waiting.into_iter().for_each(|a| a(Some(e)));
}

impl Store {
    /// Transactions committed by the group committers, and the writes they
    /// carried, since start (both 0 when group commit is off).
    pub fn group_commit_stats(&self) -> (u64, u64) {
        let s = &self.committers().stats;
        (s.batches.load(Ordering::Relaxed), s.writes.load(Ordering::Relaxed))
    }

    /// Runs `write` in a transaction shared with other concurrent writes
    /// (group commit, see the module's documentation) and returns its
    /// result once that transaction is committed. An `Err` from `write`
    /// rolls back its own changes only. `write` must not commit.
    pub async fn batched<T, E, F>(&self, write: F) -> std::result::Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: for<'a> FnOnce(&'a mut Tx) -> BoxFut<'a, std::result::Result<T, E>> + Send + 'static,
    {
        if self.group_writers() == 0 {
            let mut tx = self.write().await?;
            let out = write(&mut tx).await?;
            tx.commit().await.map_err(StoreError::from)?;
            return Ok(out);
        }
        let (reply, answer) = oneshot::channel::<std::result::Result<T, E>>();
        let job: Job = Box::new(move |tx: &mut Tx| {
            Box::pin(async move {
                let out = write(tx).await;
                let ok = out.is_ok();
                let answer: Answer = Box::new(move |commit: Option<&StoreError>| {
                    let _ = reply.send(match (commit, out) {
                        (Some(e), Ok(_)) => Err(E::from(commit_failed(e))),
                        (_, out) => out,
                    });
                });
                (ok, answer)
            })
        });
        let gone = || E::from(StoreError::Db(sqlx::Error::PoolClosed));
        self.committers().sender(self, self.group_writers()).send(job).await.map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }
}
