//! Headless Chromium through chromedriver (a child process on a free port),
//! driven with fantoccini over plain HTTP (no TLS stack needed).

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Chromium's binary (`DANCHU_CHROMIUM` overrides).
fn chromium_binary() -> String {
    std::env::var("DANCHU_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// chromedriver's binary (`DANCHU_CHROMEDRIVER` overrides; else from PATH).
fn chromedriver_binary() -> String {
    std::env::var("DANCHU_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port").local_addr().expect("port").port()
}

/// The chromedriver child (and the Chromium it starts) plus the browser's
/// throwaway profile. Dropping it kills them, also when a test panics or
/// times out.
pub struct Driver {
    /// The watchdog shell that runs chromedriver.
    child: Child,
    pub port: u16,
    dir: PathBuf,
}

impl Driver {
    /// Starts chromedriver and waits until it answers.
    pub async fn start() -> Driver {
        let dir = std::env::temp_dir().join(format!("danchu-e2e-{}-{}", std::process::id(), danchu::keys::random_token(6)));
        std::fs::create_dir_all(dir.join("profile")).expect("profile folder");
        let log = std::fs::File::create(dir.join("chromedriver.log")).expect("chromedriver log");
        let port = free_port();
        // chromedriver runs under a small shell, leader of its own process
        // group (with chromedriver and Chromium), that kills this group as
        // soon as the test process is gone: a test killed by a signal (a
        // nextest timeout, ^C) runs no destructor.
        let watchdog = r#""$@" & d=$!; while kill -0 "$PPID" 2>/dev/null && kill -0 "$d" 2>/dev/null; do sleep 1; done; kill -KILL -$$"#;
        let mut cmd = Command::new("sh");
        cmd.args(["-c", watchdog, "sh", &chromedriver_binary(), &format!("--port={port}"), "--allowed-ips=127.0.0.1"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log);
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd.spawn().expect("start sh");
        let mut driver = Driver { child, port, dir };
        let start = Instant::now();
        loop {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return driver;
            }
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!(
                    "chromedriver exited ({status}): install Debian's chromium-driver (./scripts/test does); its log:\n{}",
                    driver.log()
                );
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("chromedriver did not answer on port {port} within 30 s; its log:\n{}", driver.log());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn profile_dir(&self) -> PathBuf {
        self.dir.join("profile")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("chromedriver.log")).unwrap_or_default()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let pid = self.child.id();
        // The process group started above: the watchdog shell, chromedriver
        // and Chromium, nothing else.
        let _ = Command::new("sh").args(["-c", "kill -KILL -$0", &pid.to_string()]).stderr(Stdio::null()).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The result of [`Browser::layout`].
#[derive(Debug)]
pub struct Layout {
    pub scroll_width: u64,
    pub inner_width: u64,
    /// Elements outside a `.table-wrap` that reach past the limit.
    pub too_wide: Vec<String>,
}

/// A response fetched by the page ([`Browser::fetch`]).
#[derive(Debug)]
pub struct Fetched {
    pub status: u16,
    pub content_type: String,
    /// The body's size in bytes.
    pub length: u64,
    /// The body decoded as UTF-8.
    pub text: String,
}

/// What the browser is started with.
#[derive(Clone, Copy)]
pub struct Options {
    pub javascript: bool,
    /// Emulate a phone's viewport of `width` × `height` (Chrome does not
    /// make a window narrower than 500 px, even headless).
    pub phone: bool,
    pub width: u32,
    pub height: u32,
}

impl Default for Options {
    fn default() -> Options {
        Options { javascript: true, phone: true, width: 360, height: 800 }
    }
}

/// A browser session against one server.
pub struct Browser {
    pub client: Client,
    pub base: String,
    driver: Driver,
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium.
    pub async fn start(base: &str, opts: Options) -> Browser {
        let driver = Driver::start().await;
        let mut chrome = json!({
            "binary": chromium_binary(),
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--lang=vi-VN",
                format!("--window-size={},{}", opts.width, opts.height),
                format!("--user-data-dir={}", driver.profile_dir().display()),
            ],
        });
        if opts.phone {
            // As DevTools' device mode does.
            chrome["mobileEmulation"] = json!({
                "deviceMetrics": { "width": opts.width, "height": opts.height, "pixelRatio": 1.0, "mobile": true, "touch": true }
            });
        }
        // A Vietnamese browser (the site is Vietnamese first anyway).
        chrome["prefs"] = json!({ "intl.accept_languages": "vi-VN,vi" });
        if !opts.javascript {
            chrome["prefs"]["profile.managed_default_content_settings.javascript"] = json!(2);
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("goog:chromeOptions".into(), chrome);
        caps.insert("timeouts".into(), json!({ "script": 60_000, "pageLoad": 60_000, "implicit": 0 }));
        // Plain HTTP to chromedriver: fantoccini without its TLS features
        // needs a connector, hence the `hyper-util` dev-dependency (already
        // in the tree through fantoccini and axum).
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut last_error = String::new();
        for _attempt in 0..3 {
            match ClientBuilder::new(connector.clone()).capabilities(caps.clone()).connect(&driver.url()).await {
                Ok(client) => return Browser { client, base: base.trim_end_matches('/').to_string(), driver },
                Err(e) => {
                    last_error = e.to_string();
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        }
        panic!("cannot start a Chromium session: {last_error}\nchromedriver log:\n{}", driver.log());
    }

    /// Ends the session (Chromium quits), then chromedriver is killed.
    pub async fn close(self) {
        let Browser { client, driver, .. } = self;
        let _ = tokio::time::timeout(Duration::from_secs(15), client.close()).await;
        drop(driver);
    }

    /// Opens `path` on the server.
    pub async fn open(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client.goto(&url).await.unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// Path and query of the current page.
    pub async fn path(&self) -> String {
        let u = self.client.current_url().await.expect("current URL");
        match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        }
    }

    /// Waits (10 s) until the current path (without query) is `path`.
    pub async fn wait_path(&self, path: &str) {
        super::poll_until(&format!("the page {path}"), Duration::from_secs(10), || async {
            let now = self.path().await;
            if now.split('?').next() == Some(path) {
                Ok(())
            } else {
                Err(format!("at {now}"))
            }
        })
        .await
    }

    /// Waits (10 s) for an element, then returns it.
    pub async fn wait(&self, what: Locator<'_>) -> Element {
        let desc = format!("{what:?}");
        match self.client.wait().at_most(Duration::from_secs(10)).for_element(what).await {
            Ok(e) => e,
            Err(e) => panic!("no element {desc} on {} ({e}); page text:\n{}", self.path().await, self.body_text().await),
        }
    }

    pub async fn css(&self, selector: &str) -> Element {
        self.wait(Locator::Css(selector)).await
    }

    pub async fn xpath(&self, xpath: &str) -> Element {
        self.wait(Locator::XPath(xpath)).await
    }

    /// The visible text of the first element matching `selector`.
    pub async fn text(&self, selector: &str) -> String {
        self.css(selector).await.text().await.unwrap_or_else(|e| panic!("text of {selector}: {e}"))
    }

    pub async fn body_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(b) => b.text().await.unwrap_or_default(),
            Err(e) => format!("(no body: {e})"),
        }
    }

    /// Clears the field and types `value` into it.
    pub async fn fill(&self, selector: &str, value: &str) {
        let e = self.css(selector).await;
        e.clear().await.unwrap_or_else(|err| panic!("clear {selector}: {err}"));
        e.send_keys(value).await.unwrap_or_else(|err| panic!("type into {selector}: {err}"));
    }

    pub async fn click(&self, e: &Element, what: &str) {
        e.click().await.unwrap_or_else(|err| panic!("click {what}: {err}"));
    }

    /// Signs in through the login form and waits for the dashboard.
    pub async fn sign_in(&self, username: &str, password: &str) {
        self.open("/login").await;
        self.fill("#username", username).await;
        self.fill("#password", password).await;
        let submit = self.css("main form[action='/login'] button[type=submit]").await;
        self.click(&submit, "the sign-in button").await;
        self.wait_path("/dashboard").await;
    }

    /// Signs out with the header's button and waits for its sign-in link.
    pub async fn sign_out(&self) {
        let logout = self.xpath("//header//button[normalize-space()='Đăng xuất']").await;
        self.click(&logout, "Đăng xuất").await;
        self.xpath("//header//a[normalize-space()='Đăng nhập']").await;
    }

    /// Chooses the option whose value is `value` in the `<select>` matched
    /// by `selector`.
    pub async fn select(&self, selector: &str, value: &str) {
        let option = self.css(&format!("{selector} option[value='{value}']")).await;
        self.click(&option, &format!("the option {value} of {selector}")).await;
        let chosen = self.css(selector).await.prop("value").await.ok().flatten().unwrap_or_default();
        assert_eq!(chosen, value, "{selector} did not take the value {value}");
    }

    /// Waits (10 s) until the current path starts with `prefix`, then
    /// returns the path (without query).
    pub async fn wait_path_prefix(&self, prefix: &str) -> String {
        super::poll_until(&format!("a page under {prefix}"), Duration::from_secs(10), || async {
            let now = self.path().await;
            let path = now.split('?').next().unwrap_or_default().to_string();
            if path.starts_with(prefix) {
                Ok(path)
            } else {
                Err(format!("at {now}: {}", self.body_text().await))
            }
        })
        .await
    }

    /// Fetches `path` from the page open in the browser (same origin, its
    /// cookies; needs JavaScript).
    pub async fn fetch(&self, path: &str) -> Fetched {
        let script = r#"
const done = arguments[arguments.length - 1];
fetch(arguments[0], { credentials: 'same-origin' })
  .then(async r => {
    const bytes = await r.arrayBuffer();
    done({ status: r.status, type: r.headers.get('content-type') || '', length: bytes.byteLength,
           text: new TextDecoder('utf-8').decode(bytes) });
  })
  .catch(e => done({ status: 0, type: '', length: 0, text: String(e) }));
"#;
        let v = self.client.execute_async(script, vec![json!(path)]).await.unwrap_or_else(|e| panic!("fetch {path}: {e}"));
        Fetched {
            status: v["status"].as_u64().unwrap_or(0) as u16,
            content_type: v["type"].as_str().unwrap_or_default().to_string(),
            length: v["length"].as_u64().unwrap_or(0),
            text: v["text"].as_str().unwrap_or_default().to_string(),
        }
    }

    /// The number shown in the statistic whose label contains `label`
    /// (`<ul class="stats"><li><b>N</b>label</li>`).
    pub async fn stat(&self, label: &str) -> u64 {
        let xpath = format!("//ul[contains(concat(' ', @class, ' '), ' stats ')]/li[contains(., '{label}')]/b");
        let t = self.xpath(&xpath).await.text().await.expect("stat text");
        super::number_in(&t).unwrap_or_else(|| panic!("statistic '{label}' is not a number: {t:?}"))
    }

    /// How wide the current page lays out; `too_wide` lists elements
    /// reaching past `limit` px.
    pub async fn layout(&self, limit: u64) -> Layout {
        let script = r#"
const limit = arguments[0];
const wide = [];
for (const el of document.body.querySelectorAll('*')) {
  if (el.closest('.table-wrap')) continue;
  const r = el.getBoundingClientRect();
  if (r.width > 0 && r.right > limit + 0.5) {
    const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    const href = el.getAttribute('href') ? '[href="' + el.getAttribute('href') + '"]' : '';
    wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls + href + ' (right edge ' + Math.round(r.right) + ' px)');
  }
}
return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, wide: wide.slice(0, 20) };
"#;
        let v = self.client.execute(script, vec![json!(limit)]).await.unwrap_or_else(|e| panic!("layout probe: {e}"));
        Layout {
            scroll_width: v["scrollWidth"].as_u64().expect("scrollWidth"),
            inner_width: v["innerWidth"].as_u64().expect("innerWidth"),
            too_wide: v["wide"].as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect()).unwrap_or_default(),
        }
    }

    /// Asserts that the page does not scroll sideways at `max_width` px
    /// (tables may scroll inside their `.table-wrap`).
    pub async fn assert_fits(&self, max_width: u64, page: &str) {
        let l = self.layout(max_width).await;
        assert!(
            l.scroll_width <= max_width,
            "{page} scrolls sideways at {max_width} px: document scrollWidth = {} (window.innerWidth = {}); \
             elements reaching past {max_width} px (outside .table-wrap): {:?}",
            l.scroll_width,
            l.inner_width,
            l.too_wide
        );
        assert_eq!(l.inner_width, max_width, "{page}: the viewport is {} px wide, not {max_width} px", l.inner_width);
    }

    /// Saves a PNG of the current page (a failure is only reported).
    pub async fn screenshot_to(&self, path: &std::path::Path) {
        let png = match self.client.screenshot().await {
            Ok(p) => p,
            Err(e) => return eprintln!("screenshot failed: {e}"),
        };
        let tmp = path.with_extension(format!("png.{}", std::process::id()));
        let written = path
            .parent()
            .map(std::fs::create_dir_all)
            .transpose()
            .and_then(|_| std::fs::write(&tmp, &png))
            .and_then(|_| std::fs::rename(&tmp, path));
        match written {
            Ok(()) => println!("screenshot: {}", path.display()),
            Err(e) => eprintln!("could not write the screenshot {}: {e}", path.display()),
        }
    }
}
