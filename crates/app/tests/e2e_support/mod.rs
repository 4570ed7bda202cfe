//! Support for the browser tests (tests/e2e.rs): the real server on a TCP
//! port, Chromium driven through chromedriver, and the axe-core check.

pub mod a11y;
pub mod browser;
pub mod server;
pub mod steps;

use std::future::Future;
use std::time::{Duration, Instant};

/// Polls `probe` every 200 ms until it returns `Some`, or panics after
/// `timeout` with `what` and the last state `probe` reported.
pub async fn poll_until<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let start = Instant::now();
    loop {
        let last = match probe().await {
            Ok(v) => return v,
            Err(state) => state,
        };
        if start.elapsed() > timeout {
            panic!("timed out after {timeout:?} waiting for {what}; last state: {last}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The number written in `text` (digits only: "1.234" and "1 234" are 1234).
pub fn number_in(text: &str) -> Option<u64> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The workspace folder (two levels above the `danchu` package).
pub fn workspace_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    dir.canonicalize().unwrap_or(dir)
}
