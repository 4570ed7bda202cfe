//! Operations endpoints: liveness, readiness, metrics, and the fallback.

use crate::error::AppError;
use crate::web::Shared;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Liveness: the process answers. No database access, so a slow database
/// never gets a healthy node killed.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers.
pub async fn readyz(State(state): State<Shared>) -> Response {
    match state.ctx.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Prometheus text format.
pub async fn metrics(State(state): State<Shared>) -> Response {
    let (size, idle) = state.ctx.store.pool_stats();
    let (pending, dead) = danchu_store::jobs::counts(&state.ctx.store).await.unwrap_or((-1, -1));
    let body = state.metrics.render(&[
        ("danchu_db_pool_connections", "Open connections of the read pool.", size as f64),
        ("danchu_db_pool_idle", "Idle connections of the read pool.", idle as f64),
        ("danchu_jobs_pending", "Background jobs waiting or running.", pending as f64),
        ("danchu_jobs_dead", "Background jobs that used all their attempts.", dead as f64),
        ("danchu_page_cache_entries", "Public pages in this node's cache.", state.cache.len() as f64),
    ]);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], body).into_response()
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}
