//! The test harness: a fresh database per test on SQLite or PostgreSQL, the
//! real router driven in-process, and a small cookie-keeping client.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use danchu::config::Config;
use danchu::context::Ctx;
use danchu::keys::Keys;
use danchu::web::{routes, Shared};
use danchu_store::{Backend, Store, StoreOptions};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

pub use danchu::demo::DEMO_PASSWORD;

/// Generates one test per backend: `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both {
    ($(#[$m:meta])* $name:ident, |$app:ident| $body:block) => {
        $(#[$m])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = $crate::harness::TestApp::demo(danchu_store::Backend::Sqlite).await;
                $body
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let $app = $crate::harness::TestApp::demo(danchu_store::Backend::Postgres).await;
                $body
            }
        }
    };
}

/// A throwaway folder removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("danchu-test-{tag}-{}-{}", std::process::id(), danchu::keys::random_token(6)));
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The admin URL of the test PostgreSQL server.
pub fn pg_admin_url() -> String {
    std::env::var("DANCHU_TEST_PG_URL").unwrap_or_else(|_| {
        panic!("DANCHU_TEST_PG_URL is not set: run ./scripts/test, which starts a throwaway PostgreSQL, or point it at a server")
    })
}

/// Creates an empty database for one test and returns its URL.
pub async fn fresh_database_url(backend: Backend, dir: &TempDir) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}?mode=rwc", dir.0.join("danchu.sqlite3").display()),
        Backend::Postgres => {
            let admin = pg_admin_url();
            let name = format!("danchu_t_{}", danchu::keys::random_token(8));
            let store = Store::connect(&admin, &StoreOptions { max_connections: 1, ..Default::default() })
                .await
                .expect("connect to the test PostgreSQL");
            store.execute_admin(&format!("CREATE DATABASE {name}")).await.expect("create test database");
            store.close().await;
            let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin);
            format!("{base}/{name}")
        }
    }
}

pub struct TestApp {
    pub backend: Backend,
    pub ctx: Ctx,
    pub state: Shared,
    pub router: Router,
    pub dir: TempDir,
}

impl TestApp {
    /// A fresh database with migrations and the official units.
    pub async fn new(backend: Backend) -> TestApp {
        Self::build(backend, false, |_| {}).await
    }

    /// As `new`, plus the small demo dataset (3 communes, demo accounts).
    pub async fn demo(backend: Backend) -> TestApp {
        Self::build(backend, true, |_| {}).await
    }

    pub async fn build(backend: Backend, demo: bool, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let dir = TempDir::new(backend.name());
        let url = fresh_database_url(backend, &dir).await;
        let mut cfg = Config {
            data_dir: dir.0.clone(),
            database_url: danchu::config::Secret(url),
            demo_data: demo,
            db_max_connections: 4,
            ..Config::default()
        };
        tweak(&mut cfg);
        let ctx = Ctx::open(cfg).await.expect("open");
        assert_eq!(ctx.store.backend(), backend);
        danchu::seed::load_official_units(&ctx.store).await.expect("units");
        let state = danchu::server::prepare(&ctx).await.expect("state");
        let router = routes::app(state.clone());
        TestApp { backend, ctx, state, router, dir }
    }

    pub fn keys(&self) -> &Keys {
        &self.ctx.keys
    }

    pub fn store(&self) -> &Store {
        &self.ctx.store
    }

    pub fn client(&self) -> Client {
        Client { router: self.router.clone(), cookies: Arc::new(Mutex::new(BTreeMap::new())), ip: "203.0.113.7".into() }
    }

    /// A client signed in as `username` (demo password).
    pub async fn signed_in(&self, username: &str) -> Client {
        let c = self.client();
        let r = c.login(username, DEMO_PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login of {username} failed: {}", r.text);
        c
    }

    /// Runs every due background job now.
    pub async fn drain_jobs(&self) -> usize {
        danchu::jobs::drain(&self.ctx).await.expect("jobs")
    }

    pub async fn unit_id(&self, code: &str) -> i64 {
        danchu_store::units::by_code(self.store(), danchu_domain::units::Era::Current, code)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("unit {code}"))
            .id
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
    pub text: String,
}

impl Resp {
    pub fn location(&self) -> String {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// The value of the first hidden input named `name`.
    pub fn input(&self, name: &str) -> String {
        let needle = format!("name=\"{name}\" value=\"");
        let i = self.text.find(&needle).unwrap_or_else(|| panic!("no input {name} in page"));
        let rest = &self.text[i + needle.len()..];
        rest[..rest.find('"').unwrap_or(0)].to_string()
    }
}

/// A client with a cookie jar, talking to the router in-process.
#[derive(Clone)]
pub struct Client {
    router: Router,
    cookies: Arc<Mutex<BTreeMap<String, String>>>,
    pub ip: String,
}

impl Client {
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies.lock().unwrap().insert(name.into(), value.into());
    }

    pub async fn send(&self, mut req: Request<Body>) -> Resp {
        let jar = self.cookies.lock().unwrap().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        if !jar.is_empty() {
            req.headers_mut().insert(header::COOKIE, jar.parse().unwrap());
        }
        let addr: SocketAddr = format!("{}:40000", self.ip).parse().unwrap();
        req.extensions_mut().insert(axum::extract::ConnectInfo(addr));
        let resp = self.router.clone().oneshot(req).await.expect("router");
        let status = resp.status();
        let headers = resp.headers().clone();
        for sc in headers.get_all(header::SET_COOKIE) {
            let s = sc.to_str().unwrap();
            let first = s.split(';').next().unwrap();
            let (k, v) = first.split_once('=').unwrap();
            if s.contains("Max-Age=0") {
                self.cookies.lock().unwrap().remove(k);
            } else {
                self.cookies.lock().unwrap().insert(k.to_string(), v.to_string());
            }
        }
        let body = axum::body::to_bytes(resp.into_body(), 64 * 1024 * 1024).await.expect("body").to_vec();
        let text = String::from_utf8_lossy(&body).to_string();
        Resp { status, headers, body, text }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Request::builder().uri(path).body(Body::empty()).unwrap()).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut b = Request::builder().uri(path);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields.iter()).finish();
        self.send(
            Request::builder()
                .method(Method::POST)
                .uri(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>, headers: &[(&str, &str)]) -> Resp {
        let mut b = Request::builder().method(Method::POST).uri(path).header(header::CONTENT_TYPE, content_type);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.send(b.body(Body::from(body)).unwrap()).await
    }

    /// A multipart upload of `file` with the session's CSRF token.
    pub async fn upload(&self, path: &str, csrf: &str, idem: &str, file_name: &str, data: &[u8]) -> Resp {
        let boundary = "danchuTESTboundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (k, v) in [("csrf", csrf), ("idem", idem)] {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.post_raw(path, &format!("multipart/form-data; boundary={boundary}"), body, &[]).await
    }

    /// A multipart form with text fields and files `(field, file name, bytes)`.
    pub async fn multipart(&self, path: &str, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Resp {
        let boundary = "danchuTESTboundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
        }
        for (field, name, data) in files {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .as_bytes(),
            );
            body.extend_from_slice(data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.post_raw(path, &format!("multipart/form-data; boundary={boundary}"), body, &[]).await
    }

    /// Signs in through the login form.
    pub async fn login(&self, username: &str, password: &str) -> Resp {
        let form = self.get("/login").await;
        assert_eq!(form.status, StatusCode::OK);
        let csrf = form.input("csrf");
        self.post_form("/login", &[("csrf", &csrf), ("username", username), ("password", password), ("next", "/dashboard")]).await
    }

    /// The session's CSRF token, read from a signed-in page.
    pub async fn csrf(&self) -> String {
        let r = self.get("/dashboard").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.input("csrf")
    }
}
