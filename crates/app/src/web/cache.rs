//! A per-node cache of rendered public pages for anonymous visitors.
//!
//! Correctness across nodes: every write that changes a public page bumps
//! the `public_version` counter in the same transaction; each node polls that
//! counter (default every second) and drops its cache when it moves. The
//! node that made the write clears its own cache at once — handlers and
//! background jobs (imports) alike call [`local_change`] — so a page is at most one poll interval stale on other
//! nodes, and never on the writer.

use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;

/// Bumped by any code of this process that committed a change to public
/// content; every cache of the process compares it on read.
static LOCAL_EPOCH: AtomicU64 = AtomicU64::new(0);

/// Marks this process's public-page caches stale (after a commit made
/// outside a request handler, e.g. by the import job).
pub fn local_change() {
    LOCAL_EPOCH.fetch_add(1, Ordering::Release);
}

#[derive(Clone)]
pub struct CachedPage {
    pub body: Bytes,
    pub etag: String,
}

pub struct PageCache {
    pages: RwLock<HashMap<String, CachedPage>>,
    enabled: std::sync::atomic::AtomicBool,
    seen_epoch: AtomicU64,
}

/// Entries kept at most; past that the cache starts again empty.
const MAX_ENTRIES: usize = 20_000;

impl Default for PageCache {
    fn default() -> Self {
        Self::new()
    }
}

impl PageCache {
    pub fn new() -> PageCache {
        PageCache {
            pages: RwLock::new(HashMap::new()),
            enabled: std::sync::atomic::AtomicBool::new(true),
            seen_epoch: AtomicU64::new(LOCAL_EPOCH.load(Ordering::Acquire)),
        }
    }

    pub fn set_enabled(&self, on: bool) {
        self.enabled.store(on, std::sync::atomic::Ordering::Relaxed);
        if !on {
            self.clear();
        }
    }

    pub fn get(&self, key: &str) -> Option<CachedPage> {
        if !self.enabled.load(std::sync::atomic::Ordering::Relaxed) {
            return None;
        }
        let epoch = LOCAL_EPOCH.load(Ordering::Acquire);
        if self.seen_epoch.load(Ordering::Acquire) != epoch {
            self.clear();
            self.seen_epoch.store(epoch, Ordering::Release);
            return None;
        }
        self.pages.read().ok()?.get(key).cloned()
    }

    pub fn put(&self, key: String, body: Bytes) -> CachedPage {
        let etag = format!("\"{}\"", &blake_like(&body));
        let page = CachedPage { body, etag };
        if self.enabled.load(std::sync::atomic::Ordering::Relaxed) {
            if let Ok(mut m) = self.pages.write() {
                if m.len() >= MAX_ENTRIES {
                    m.clear();
                }
                m.insert(key, page.clone());
            }
        }
        page
    }

    pub fn clear(&self) {
        if let Ok(mut m) = self.pages.write() {
            m.clear();
        }
    }

    pub fn len(&self) -> usize {
        self.pages.read().map(|m| m.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A short content hash for ETags.
pub fn blake_like(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(data)[..12])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_change_empties_every_cache_of_the_process() {
        let c = PageCache::new();
        c.put("vi|/".into(), Bytes::from_static(b"<html>"));
        assert!(c.get("vi|/").is_some());
        local_change();
        assert!(c.get("vi|/").is_none());
        c.put("vi|/".into(), Bytes::from_static(b"<html>2"));
        assert_eq!(c.get("vi|/").unwrap().body, Bytes::from_static(b"<html>2"));
    }

    #[test]
    fn a_disabled_cache_stores_nothing_and_etags_follow_content() {
        let c = PageCache::new();
        c.set_enabled(false);
        let p = c.put("k".into(), Bytes::from_static(b"a"));
        assert!(c.get("k").is_none());
        assert_ne!(p.etag, c.put("k".into(), Bytes::from_static(b"b")).etag);
    }
}
