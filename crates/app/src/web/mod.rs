//! The web layer: server-rendered pages (askama templates compiled into the
//! binary), the JSON API under /api/v1, static assets, and the middleware
//! around them. Every route is listed in [`routes`].

pub mod api;
pub mod api_decisions;
pub mod api_disclosures;
pub mod auth;
pub mod cache;
pub mod chrome;
pub mod forms;
pub mod i18n;
pub mod middleware;
pub mod pages;
pub mod ratelimit;
pub mod routes;
pub mod static_files;

use crate::context::Ctx;
use crate::metrics::Metrics;
use danchu_domain::units::Era;
use danchu_store::units::Unit;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The code of the province this deployment serves (Thanh Hóa).
pub const PROVINCE_CODE: &str = "38";

/// State shared by all requests of one node. Nothing here is needed by
/// another node: the cache is derived and the flags are read from the
/// database.
pub struct AppState {
    pub ctx: Ctx,
    pub cache: cache::PageCache,
    pub metrics: Metrics,
    pub province: Unit,
    /// Whether the database holds demo data (the banner is shown).
    pub demo: AtomicBool,
    /// This node's limit on writes per client address.
    pub write_limiter: ratelimit::WriteLimiter,
    /// The part paths of published consultation versions (immutable once
    /// published, so a node may keep them: nothing to invalidate).
    pub part_paths: PartPaths,
}

/// The part paths of one version.
pub type Paths = Arc<std::collections::HashSet<String>>;

/// Part paths per (consultation, version) of published drafts, bounded.
#[derive(Default)]
pub struct PartPaths(std::sync::Mutex<std::collections::HashMap<(i64, i64), Paths>>);

impl PartPaths {
    pub fn get(&self, key: (i64, i64)) -> Option<Paths> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).get(&key).cloned()
    }

    pub fn put(&self, key: (i64, i64), paths: Paths) {
        let mut m = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() >= 512 {
            m.clear();
        }
        m.insert(key, paths);
    }
}

pub type Shared = Arc<AppState>;

impl AppState {
    pub async fn new(ctx: Ctx) -> Result<Shared, String> {
        let province = danchu_store::units::by_code(&ctx.store, Era::Current, PROVINCE_CODE)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("the province is not loaded: run `danchu migrate` first")?;
        let demo = danchu_store::meta::get(&ctx.store, crate::seed::DEMO_FLAG).await.map_err(|e| e.to_string())?.is_some();
        Ok(Arc::new(AppState {
            ctx,
            cache: cache::PageCache::new(),
            metrics: Metrics::default(),
            province,
            demo: AtomicBool::new(demo),
            write_limiter: ratelimit::WriteLimiter::default(),
            part_paths: PartPaths::default(),
        }))
    }

    pub fn demo(&self) -> bool {
        self.demo.load(Ordering::Relaxed)
    }

    /// Called after every commit that changes a public page on this node.
    /// Same mechanism as background jobs use: every page cache of this
    /// process is dropped on its next read.
    pub fn public_changed(&self) {
        cache::local_change();
    }
}
