//! Operations: health, readiness, metrics, backup and restore.

use crate::both;
use crate::harness::TestApp;
use axum::http::StatusCode;
use danchu_store::Backend;

both!(health_readiness_and_metrics, |app| {
    let c = app.client();
    assert_eq!(c.get("/healthz").await.text, "ok");
    assert_eq!(c.get("/readyz").await.status, StatusCode::OK);
    let _ = c.get("/units/14797").await;
    let m = c.get("/metrics").await;
    assert_eq!(m.status, StatusCode::OK);
    assert!(m.text.contains("danchu_http_requests_total{route=\"/units/{code}\",method=\"GET\",status=\"200\"}"), "{}", m.text);
    assert!(m.text.contains("danchu_jobs_pending"));
});

async fn backup_restore(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let before = danchu_store::units::get_with_stats(app.store(), app.unit_id("14797").await).await.unwrap().stats;
    let out = app.dir.0.join("backup-1");
    // The server keeps serving while the backup runs.
    let c = app.client();
    let (b, r) = tokio::join!(danchu::backup::backup(&app.ctx, &out, true), c.get("/units/14797"));
    b.expect("backup");
    // By default the key stays out of the backup.
    let keyless = app.dir.0.join("backup-keyless");
    danchu::backup::backup(&app.ctx, &keyless, false).await.expect("backup without key");
    assert!(!keyless.join("secret.key").exists());
    assert!(out.join("secret.key").exists());
    assert_eq!(r.status, StatusCode::OK);
    danchu::backup::verify(&out).expect("manifest checks");
    // Restore into a new, empty place and compare.
    let target_dir = app.dir.0.join("restored");
    let url = match backend {
        Backend::Sqlite => format!("sqlite://{}?mode=rwc", target_dir.join("danchu.sqlite3").display()),
        Backend::Postgres => crate::harness::fresh_database_url(backend, &app.dir).await,
    };
    danchu::backup::restore(&target_dir, &url, &out).await.expect("restore");
    let mut cfg = (*app.ctx.cfg).clone();
    cfg.data_dir = target_dir.clone();
    cfg.database_url = danchu::config::Secret(url);
    let ctx = danchu::context::Ctx::open(cfg).await.expect("open restored");
    let id = danchu_store::units::by_code(&ctx.store, danchu_domain::units::Era::Current, "14797").await.unwrap().unwrap().id;
    let after = danchu_store::units::get_with_stats(&ctx.store, id).await.unwrap().stats;
    assert_eq!((before.villages, before.households, before.people), (after.villages, after.households, after.people));
    assert!(danchu_store::audit::verify(&ctx.store).await.unwrap().is_ok());
    assert_eq!(ctx.keys.cccd(), app.ctx.keys.cccd(), "the key travels with a backup made with include_key");
    // A damaged backup is refused.
    let f = if backend == Backend::Sqlite { "danchu.sqlite3" } else { "danchu.pgdump" };
    let mut bytes = std::fs::read(out.join(f)).unwrap();
    let n = bytes.len() / 2;
    bytes[n] ^= 0xff;
    std::fs::write(out.join(f), bytes).unwrap();
    assert!(danchu::backup::verify(&out).unwrap_err().contains("checksum"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_while_serving_and_restore_sqlite() {
    backup_restore(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_while_serving_and_restore_postgres() {
    backup_restore(Backend::Postgres).await;
}
