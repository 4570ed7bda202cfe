//! The background job worker. Jobs live in the database (see
//! danchu_store::jobs), so any node may run them; each job kind below says
//! why it exists and is safe to run twice.

use crate::context::Ctx;
use danchu_store::jobs::{self, Job};
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// Sends one e-mail (password resets; later: notifications). Payload:
/// `{"to", "subject", "body"}`. Sending twice at worst duplicates a mail.
pub const SEND_EMAIL: &str = "send_email";
/// Validates and applies an uploaded household file. Payload:
/// `{"import_id"}`. Idempotent: a finished import is not run again, and the
/// registry write is one transaction.
pub const IMPORT_HOUSEHOLDS: &str = "import_households";

fn notify() -> &'static Notify {
    static N: OnceLock<Notify> = OnceLock::new();
    N.get_or_init(Notify::new)
}

/// Wakes this node's worker at once (after enqueueing a job).
pub fn wake() {
    notify().notify_one();
}

/// Lease of a claimed job: if the node dies, another node retries after it.
const LEASE_MS: i64 = 10 * 60 * 1000;

async fn run_one(ctx: &Ctx, job: &Job) -> Result<(), String> {
    let payload: serde_json::Value = serde_json::from_str(&job.payload).map_err(|e| e.to_string())?;
    match job.kind.as_str() {
        SEND_EMAIL => {
            let get = |k: &str| payload.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            crate::mail::send(&ctx.cfg.smtp, &get("to"), &get("subject"), &get("body")).await
        }
        IMPORT_HOUSEHOLDS => {
            let id = payload.get("import_id").and_then(|v| v.as_i64()).ok_or("import_id missing")?;
            let role = payload.get("role").and_then(|v| v.as_str()).unwrap_or("commune_official");
            crate::importer::run_job(ctx, id, role).await
        }
        crate::outbox::DELIVER => {
            let id = payload.get("outbox_id").and_then(|v| v.as_i64()).ok_or("outbox_id missing")?;
            crate::outbox::deliver(ctx, id).await
        }
        crate::outbox::NOTIFY_DISCLOSURE => {
            let id = payload.get("id").and_then(|v| v.as_i64()).ok_or("id missing")?;
            let version = payload.get("version").and_then(|v| v.as_i64()).unwrap_or(1);
            crate::outbox::fan_out(ctx, id, version).await
        }
        crate::consultation::REGROUP => {
            let id = payload.get("id").and_then(|v| v.as_i64()).ok_or("id missing")?;
            crate::consultation::run_regroup(ctx, id).await
        }
        crate::consultation::PUBLIC_BUMP => crate::consultation::run_public_bump(ctx).await,
        crate::consultation::ANALYSE => {
            let id = payload.get("id").and_then(|v| v.as_i64()).ok_or("id missing")?;
            crate::consultation::run_analysis(ctx, id).await
        }
        crate::consultation::NOTIFY => {
            let id = payload.get("id").and_then(|v| v.as_i64()).ok_or("id missing")?;
            let kind = payload.get("kind").and_then(|v| v.as_str()).unwrap_or("open");
            crate::consultation::fan_out(ctx, id, kind).await
        }
        other => Err(format!("unknown job kind {other}")),
    }
}

/// Runs due jobs until `shutdown` turns true; also purges expired sessions
/// and old idempotency keys every hour, and once a minute re-evaluates the
/// disclosures due for review and creates the search partitions ahead.
pub async fn worker(ctx: Ctx, mut shutdown: watch::Receiver<bool>) {
    let mut last_purge = std::time::Instant::now() - Duration::from_secs(3600);
    let mut last_review = std::time::Instant::now() - Duration::from_secs(3600);
    loop {
        if *shutdown.borrow() {
            return;
        }
        if last_purge.elapsed() > Duration::from_secs(3600) {
            last_purge = std::time::Instant::now();
            let _ = danchu_store::accounts::purge_expired_sessions(&ctx.store).await;
            let _ = danchu_store::idempotency::purge(&ctx.store, 7 * 24 * 3600 * 1000).await;
        }
        // Disclosures whose verdict changes with time alone (a deadline
        // passes, a posting reaches its minimum): at most once a minute,
        // cheap (an index lookup) when nothing is due.
        if last_review.elapsed() > Duration::from_secs(60) {
            last_review = std::time::Instant::now();
            if let Err(e) = crate::disclosure::review_due(&ctx, crate::web::chrome::today_vn()).await {
                tracing::warn!(error = %e, "disclosure review failed");
            }
            // Consultations closing within a week: subscribers are reminded once.
            if let Err(e) = crate::consultation::remind_due(&ctx, crate::web::chrome::today_vn()).await {
                tracing::warn!(error = %e, "consultation reminders failed");
            }
            // PostgreSQL: the search index's next partition exists before
            // an id needs it (one catalog query when nothing is to do).
            if let Err(e) = danchu_store::disclosures::extend_search_partitions(&ctx.store).await {
                tracing::warn!(error = %e, "could not extend the search partitions");
            }
        }
        match jobs::claim(&ctx.store, LEASE_MS).await {
            Ok(Some(job)) => {
                let result = run_one(&ctx, &job).await;
                let r = match &result {
                    Ok(()) => jobs::complete(&ctx.store, job.id).await,
                    Err(e) => {
                        tracing::warn!(job.id = job.id, job.kind = %job.kind, job.attempts = job.attempts, error = %e, "job failed");
                        give_up_if_exhausted(&ctx, &job).await;
                        jobs::fail(&ctx.store, &job, e).await
                    }
                };
                if let Err(e) = r {
                    tracing::error!(job.id = job.id, error = %e, "could not record job outcome");
                }
                continue;
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "could not claim a job"),
        }
        tokio::select! {
            _ = notify().notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// After the last attempt of an import, the import is marked failed and its
/// file (personal data) deleted, so its page stops waiting.
async fn give_up_if_exhausted(ctx: &Ctx, job: &Job) {
    if job.kind == IMPORT_HOUSEHOLDS && jobs::exhausted(job) {
        if let Some(id) =
            serde_json::from_str::<serde_json::Value>(&job.payload).ok().and_then(|p| p.get("import_id").and_then(|v| v.as_i64()))
        {
            if let Err(e) = crate::importer::mark_failed(ctx, id).await {
                tracing::error!(import.id = id, error = %e, "could not mark the import failed");
            }
        }
    }
}

/// Runs every due job now, in this task (tests and the CLI).
pub async fn drain(ctx: &Ctx) -> Result<usize, String> {
    let mut n = 0;
    while let Some(job) = jobs::claim(&ctx.store, LEASE_MS).await.map_err(|e| e.to_string())? {
        match run_one(ctx, &job).await {
            Ok(()) => jobs::complete(&ctx.store, job.id).await.map_err(|e| e.to_string())?,
            Err(e) => {
                give_up_if_exhausted(ctx, &job).await;
                jobs::fail(&ctx.store, &job, &e).await.map_err(|e| e.to_string())?
            }
        }
        n += 1;
    }
    Ok(n)
}
