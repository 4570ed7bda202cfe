//! A per-node cache of rendered public pages for anonymous visitors.
//!
//! Correctness across nodes: every write that changes a public page bumps
//! the `public_version` counter in the same transaction; each node polls that
//! counter (default every second) and drops its cache when it moves. The
//! node that made the write clears its own cache at once. So a page is at
//! most one poll interval stale on other nodes, and never on the writer.

use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::RwLock;

#[derive(Clone)]
pub struct CachedPage {
    pub body: Bytes,
    pub etag: String,
}

pub struct PageCache {
    pages: RwLock<HashMap<String, CachedPage>>,
    enabled: std::sync::atomic::AtomicBool,
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
        PageCache { pages: RwLock::new(HashMap::new()), enabled: std::sync::atomic::AtomicBool::new(true) }
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
