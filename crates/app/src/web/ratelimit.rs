//! A per-node limit on state-changing requests per client address, so one
//! client cannot flood a node with writes (uploads, forms, API calls).
//!
//! Counters live in this node's memory on purpose: each node protects
//! itself, and no other node needs them. The limits that must hold across
//! nodes — failed sign-ins and password-reset mails — are counted in the
//! database (see `pages::account`).

use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Unsafe requests allowed per client address and window.
pub const MAX_WRITES: u32 = 120;
pub const WINDOW: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct WriteLimiter {
    slots: Mutex<HashMap<String, (Instant, u32)>>,
}

impl WriteLimiter {
    /// Counts one write from `key`; false when over the limit.
    pub fn allow(&self, key: &str, now: Instant) -> bool {
        let Ok(mut m) = self.slots.lock() else { return true };
        if m.len() > 100_000 {
            m.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let e = m.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(e.0) >= WINDOW {
            *e = (now, 0);
        }
        e.1 += 1;
        e.1 <= MAX_WRITES
    }
}

pub async fn limit_writes(axum::extract::State(state): axum::extract::State<super::Shared>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let (parts, body) = req.into_parts();
        let ip = super::auth::client_ip(&parts, state.ctx.cfg.trust_forwarded_for);
        if !state.write_limiter.allow(&ip, Instant::now()) {
            return crate::error::AppError::TooManyRequests(danchu_domain::Msg::new(
                "Bạn gửi quá nhiều yêu cầu trong một phút. Hãy đợi một lát rồi thử lại.",
                "Too many requests in one minute. Wait a moment and try again.",
            ))
            .into_response();
        }
        return next.run(Request::from_parts(parts, body)).await;
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_up_to_the_limit_then_refuses_until_the_window_ends() {
        let l = WriteLimiter::default();
        let t0 = Instant::now();
        for _ in 0..MAX_WRITES {
            assert!(l.allow("1.2.3.4", t0));
        }
        assert!(!l.allow("1.2.3.4", t0));
        assert!(l.allow("5.6.7.8", t0), "other addresses are not affected");
        assert!(l.allow("1.2.3.4", t0 + WINDOW), "a new window starts");
    }
}
