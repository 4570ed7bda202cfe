//! Nothing acknowledged is lost, even on `kill -9`: the real binary serves,
//! acknowledges a write, is killed without warning, and the write is there
//! after a restart.

use crate::harness::{fresh_database_url, TempDir};
use danchu_store::Backend;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Http {
    port: u16,
    cookies: Vec<(String, String)>,
}

struct Reply {
    status: u16,
    body: String,
}

impl Http {
    fn request(&mut self, method: &str, path: &str, ctype: Option<&str>, body: &str, extra: &[(&str, &str)]) -> Reply {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let mut req =
            format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: {}\r\n", self.port, body.len());
        if let Some(c) = ctype {
            req.push_str(&format!("Content-Type: {c}\r\n"));
        }
        if !cookie.is_empty() {
            req.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        for (k, v) in extra {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        req.push_str(body);
        s.write_all(req.as_bytes()).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).to_string();
        let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status: u16 = head[9..12].parse().unwrap();
        for line in head.lines() {
            if let Some(v) = line.strip_prefix("set-cookie: ").or_else(|| line.strip_prefix("Set-Cookie: ")) {
                let (k, val) = v.split(';').next().unwrap().split_once('=').unwrap();
                self.cookies.retain(|(n, _)| n != k);
                if !v.contains("Max-Age=0") {
                    self.cookies.push((k.to_string(), val.to_string()));
                }
            }
        }
        let chunked = head.to_ascii_lowercase().contains("transfer-encoding: chunked");
        let body = if chunked { dechunk(rest) } else { rest.to_string() };
        Reply { status, body }
    }
}

fn dechunk(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&after[..n]);
        rest = &after[n + 2..];
    }
    out
}

fn hidden(body: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    let i = body.find(&needle).unwrap() + needle.len();
    body[i..i + body[i..].find('"').unwrap()].to_string()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[allow(clippy::zombie_processes)] // the caller kills and waits for the child
fn start(data: &std::path::Path, url: &str, port: u16) -> Child {
    let child = Command::new(env!("CARGO_BIN_EXE_danchu"))
        .arg("--data")
        .arg(data)
        .arg("--database-url")
        .arg(url)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("DANCHU_LOG_LEVEL", "warn")
        .env("DANCHU_RUN_JOBS", "false")
        .stdout(Stdio::null())
        .spawn()
        .expect("start danchu");
    let t = Instant::now();
    loop {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.write_all(b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let mut b = String::new();
            let _ = s.read_to_string(&mut b);
            if b.starts_with("HTTP/1.1 200") {
                return child;
            }
        }
        assert!(t.elapsed() < Duration::from_secs(60), "server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
}

async fn acknowledged_write_survives_kill_9(backend: Backend) {
    let dir = TempDir::new("kill9");
    let url = fresh_database_url(backend, &dir).await;
    let data = dir.0.clone();
    tokio::task::spawn_blocking(move || {
        let port = free_port();
        let mut child = start(&data, &url, port);
        let mut h = Http { port, cookies: vec![] };
        let form = h.request("GET", "/login", None, "", &[]);
        let csrf = hidden(&form.body, "csrf");
        let body = format!("csrf={csrf}&username=hacthanh.canbo&password={}&next=%2Fdashboard", danchu::demo::DEMO_PASSWORD);
        assert_eq!(h.request("POST", "/login", Some("application/x-www-form-urlencoded"), &body, &[]).status, 303);
        let me = h.request("GET", "/api/v1/me", None, "", &[]);
        let token = serde_json::from_str::<serde_json::Value>(&me.body).unwrap()["csrf_token"].as_str().unwrap().to_string();
        let created = h.request(
            "POST",
            "/api/v1/units/14797/villages",
            Some("application/json"),
            r#"{"name":"Bền Vững"}"#,
            &[("X-CSRF-Token", &token)],
        );
        assert_eq!(created.status, 201, "{}", created.body);
        // SIGKILL right after the acknowledgement: no shutdown, no flush.
        child.kill().unwrap();
        child.wait().unwrap();
        let mut child = start(&data, &url, port);
        let mut anon = Http { port, cookies: vec![] };
        let list = anon.request("GET", "/api/v1/units?parent=14797", None, "", &[]);
        child.kill().unwrap();
        let _ = child.wait();
        assert!(list.body.contains("Tổ dân phố Bền Vững"), "the acknowledged village was lost: {}", list.body);
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_write_survives_kill_9_sqlite() {
    acknowledged_write_survives_kill_9(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_write_survives_kill_9_postgres() {
    acknowledged_write_survives_kill_9(Backend::Postgres).await;
}
