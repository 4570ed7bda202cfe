//! Request metrics in the Prometheus text format, kept in atomics (no
//! dependency on a metrics framework).

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Latency bucket bounds in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
pub struct Metrics {
    /// (route, method, status) → count.
    requests: Mutex<HashMap<(String, &'static str, u16), u64>>,
    buckets: [AtomicU64; 12],
    count: AtomicU64,
    sum_micros: AtomicU64,
    in_flight: AtomicU64,
}

fn method_name(m: &axum::http::Method) -> &'static str {
    match *m {
        axum::http::Method::GET => "GET",
        axum::http::Method::POST => "POST",
        axum::http::Method::HEAD => "HEAD",
        axum::http::Method::PUT => "PUT",
        axum::http::Method::DELETE => "DELETE",
        axum::http::Method::PATCH => "PATCH",
        _ => "OTHER",
    }
}

impl Metrics {
    pub fn start(&self) {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
    }

    pub fn finish(&self, route: &str, method: &axum::http::Method, status: u16, secs: f64) {
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add((secs * 1e6) as u64, Ordering::Relaxed);
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((route.to_string(), method_name(method), status)).or_insert(0) += 1;
        }
    }

    /// Renders the metrics; `extra` lines (gauges read from the database or
    /// the pools) are appended.
    pub fn render(&self, extra: &[(&str, &str, f64)]) -> String {
        let mut out = String::new();
        out.push_str("# HELP danchu_http_requests_total HTTP requests served.\n# TYPE danchu_http_requests_total counter\n");
        if let Ok(m) = self.requests.lock() {
            let mut rows: Vec<_> = m.iter().collect();
            rows.sort();
            for ((route, method, status), n) in rows {
                let route = route.replace('\\', "\\\\").replace('"', "\\\"");
                let _ = writeln!(out, "danchu_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {n}");
            }
        }
        out.push_str(
            "# HELP danchu_http_request_duration_seconds Request latency.\n# TYPE danchu_http_request_duration_seconds histogram\n",
        );
        for (i, b) in BUCKETS.iter().enumerate() {
            let _ = writeln!(out, "danchu_http_request_duration_seconds_bucket{{le=\"{b}\"}} {}", self.buckets[i].load(Ordering::Relaxed));
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "danchu_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(out, "danchu_http_request_duration_seconds_sum {}", self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6);
        let _ = writeln!(out, "danchu_http_request_duration_seconds_count {count}");
        out.push_str("# HELP danchu_http_in_flight Requests being served.\n# TYPE danchu_http_in_flight gauge\n");
        let _ = writeln!(out, "danchu_http_in_flight {}", self.in_flight.load(Ordering::Relaxed));
        for (name, help, v) in extra {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_prometheus_text() {
        let m = Metrics::default();
        m.start();
        m.finish("/units/{code}", &axum::http::Method::GET, 200, 0.003);
        let s = m.render(&[("danchu_jobs_pending", "Jobs waiting.", 2.0)]);
        assert!(s.contains("danchu_http_requests_total{route=\"/units/{code}\",method=\"GET\",status=\"200\"} 1"));
        assert!(s.contains("danchu_http_request_duration_seconds_bucket{le=\"0.0025\"} 0"));
        assert!(s.contains("danchu_http_request_duration_seconds_bucket{le=\"0.005\"} 1"));
        assert!(s.contains("danchu_http_in_flight 0"));
        assert!(s.contains("danchu_jobs_pending 2"));
    }
}
