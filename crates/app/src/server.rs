//! Running the web server: binding, background tasks (job worker, page
//! cache invalidation), and graceful shutdown on SIGINT/SIGTERM.

use crate::context::Ctx;
use crate::web::{routes, AppState, Shared};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::sync::watch;

/// Prepares the state (demo data on an empty database if configured).
pub async fn prepare(ctx: &Ctx) -> Result<Shared, String> {
    if ctx.cfg.demo_data && crate::demo::load_small(ctx).await? {
        tracing::info!("demo dataset loaded (clearly labelled; set demo_data = false for production)");
    }
    if ctx.cfg.demo_data && crate::demo_disclosures::load(ctx, crate::demo_disclosures::SMALL_COMMUNES).await? {
        tracing::info!("demo disclosures loaded");
    }
    AppState::new(ctx.clone()).await
}

/// Polls the public-content version and drops the page cache when another
/// node changed something.
pub async fn cache_poller(state: Shared, every: Duration, mut shutdown: watch::Receiver<bool>) {
    let mut last = danchu_store::meta::public_version(&state.ctx.store).await.unwrap_or(0);
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
        match danchu_store::meta::public_version(&state.ctx.store).await {
            Ok(v) if v != last => {
                last = v;
                state.cache.clear();
                if let Ok(demo) = danchu_store::meta::get(&state.ctx.store, crate::seed::DEMO_FLAG).await {
                    state.demo.store(demo.is_some(), std::sync::atomic::Ordering::Relaxed);
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "page cache poll failed"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

pub async fn serve(ctx: Ctx) -> Result<(), String> {
    let start = std::time::Instant::now();
    let state = prepare(&ctx).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let poll = ctx.cfg.page_cache_poll_ms;
    if poll > 0 {
        tokio::spawn(cache_poller(state.clone(), Duration::from_millis(poll), stop_rx.clone()));
    } else {
        state.cache.set_enabled(false);
    }
    let worker = if ctx.cfg.run_jobs { Some(tokio::spawn(crate::jobs::worker(ctx.clone(), stop_rx.clone()))) } else { None };
    let listener = tokio::net::TcpListener::bind(&ctx.cfg.listen).await.map_err(|e| format!("cannot listen on {}: {e}", ctx.cfg.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let app = routes::app(state.clone());
    tracing::info!(listen = %addr, backend = ctx.store.backend().name(), startup_ms = start.elapsed().as_millis() as u64, "danchu ready");
    println!("danchu is ready at http://{addr} ({} database, started in {} ms)", ctx.store.backend().name(), start.elapsed().as_millis());
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!("shutting down");
    let _ = stop_tx.send(true);
    if let Some(w) = worker {
        let _ = tokio::time::timeout(Duration::from_secs(10), w).await;
    }
    ctx.store.close().await;
    Ok(())
}
