//! `danchu bench`: the benchmark harness.
//!
//! It builds (once) a province-scale dataset — 166 communes, ~4,500
//! villages, 1,000,000 households — starts the server as a child process,
//! drives it with `wrk` on loopback and prints, for each scenario:
//! requests/s, p50/p99 latency, the server's CPU milliseconds per request
//! (its user+system CPU time over the requests served: the figure that holds
//! on a noisy machine), the server's peak RSS, and the ratio of the
//! scenario's throughput to `/healthz` in the same run. It also measures cold
//! start (empty setup and full database) and the import of a
//! 100,000-household XLSX file. Results go to stdout (a Markdown table) and to
//! `<data>/bench-results.json`.
//!
//! `--scenario disclosures` (issue 3) adds 1,000,000 disclosure items to the
//! same dataset (once) and measures list pages, feeds, the compliance
//! roll-up and 2,000 distinct search queries, uncached; see
//! docs/BENCHMARKS.md.

#[path = "bench_consultations.rs"]
mod consultations;
#[path = "bench_decisions.rs"]
mod decisions;

use crate::config::Config;
use crate::context::Ctx;
use crate::import::{sample_households_with, write_sample_xlsx, SampleSpec};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug, Clone)]
pub struct BenchArgs {
    /// Folder of the benchmark's database (kept between runs).
    #[arg(long, default_value = "target/bench-data")]
    pub dir: PathBuf,
    /// PostgreSQL URL to benchmark instead of SQLite (the dataset is built
    /// there if missing).
    #[arg(long)]
    pub postgres: Option<String>,
    /// Households of the province dataset.
    #[arg(long, default_value_t = 1_000_000)]
    pub households: usize,
    /// Seconds per scenario.
    #[arg(long, default_value_t = 10)]
    pub duration: u64,
    /// Concurrent connections.
    #[arg(long, default_value_t = 64)]
    pub connections: u32,
    /// wrk threads.
    #[arg(long, default_value_t = 2)]
    pub threads: u32,
    /// Households in the import benchmark's XLSX file.
    #[arg(long, default_value_t = 100_000)]
    pub import_households: usize,
    /// Skip the import benchmark.
    #[arg(long)]
    pub skip_import: bool,
    /// Port for the server under test.
    #[arg(long, default_value_t = 18080)]
    pub port: u16,
    /// Which benchmark: `province` (units, households, import: the issue 1–2
    /// figures) or `disclosures` (issue 3: disclosure items, lists, search,
    /// feeds and compliance figures on the province dataset).
    #[arg(long, value_enum, default_value_t = Scenario::Province)]
    pub scenario: Scenario,
    /// Disclosure items of the `disclosures` scenario (loaded once; a later
    /// run with the same or a smaller number reuses them).
    #[arg(long, default_value_t = 1_000_000)]
    pub items: usize,
    /// Distinct search queries of the `disclosures` scenario.
    #[arg(long, default_value_t = 2_000)]
    pub queries: usize,
    /// Connections of the search load run (wrk) of the `disclosures` scenario.
    #[arg(long, default_value_t = 4)]
    pub search_connections: u32,
    /// `disclosures` scenario: only the in-process measurements (feeds,
    /// compliance, search queries), no HTTP runs.
    #[arg(long)]
    pub skip_http: bool,
    /// `consultations` scenario: only the comment intake runs (no page runs,
    /// no in-process timings).
    #[arg(long)]
    pub intake_only: bool,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    Province,
    Disclosures,
    /// Issue 4: consultation pages and comment intake.
    Consultations,
    /// Issue 5: online ballot intake, commune-wide tally, village result page.
    Decisions,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ScenarioResult {
    pub name: String,
    pub path: String,
    pub requests: u64,
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub cpu_ms_per_req: f64,
    pub ratio_to_healthz: f64,
    pub non_2xx: u64,
}

struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
            for _ in 0..100 {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn exe() -> Result<PathBuf, String> {
    std::env::current_exe().map_err(|e| e.to_string())
}

/// One blocking HTTP/1.1 GET; returns the status code.
fn http_get(port: u16, path: &str) -> Option<u16> {
    let mut s = TcpStream::connect_timeout(&format!("127.0.0.1:{port}").parse().ok()?, Duration::from_millis(200)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut buf = [0u8; 16];
    s.read_exact(&mut buf[..12]).ok()?;
    std::str::from_utf8(&buf[9..12]).ok()?.parse().ok()
}

fn start_server(data: &Path, db_url: Option<&str>, port: u16, env: &[(&str, &str)]) -> Result<(Server, Duration), String> {
    let mut cmd = Command::new(exe()?);
    cmd.arg("--data").arg(data);
    if let Some(u) = db_url {
        cmd.arg("--database-url").arg(u);
    }
    cmd.arg("serve").arg("--listen").arg(format!("127.0.0.1:{port}")).arg("--no-demo");
    cmd.env("DANCHU_LOG_LEVEL", "warn").stdout(Stdio::null()).stderr(Stdio::inherit());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let child = cmd.spawn().map_err(|e| e.to_string())?;
    let server = Server { child };
    loop {
        if http_get(port, "/healthz") == Some(200) {
            return Ok((server, start.elapsed()));
        }
        if start.elapsed() > Duration::from_secs(120) {
            return Err("the server did not become ready within 120 s".into());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// utime + stime of a process, in milliseconds.
fn cpu_ms(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return 0.0 };
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    // Fields after the command: state is index 0; utime = 11, stime = 12.
    let ticks: f64 =
        f.get(11).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) + f.get(12).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    ticks * 1000.0 / 100.0
}

/// Peak resident set size (VmHWM) in MiB.
fn peak_rss_mib(pid: u32) -> f64 {
    let Ok(s) = std::fs::read_to_string(format!("/proc/{pid}/status")) else { return 0.0 };
    s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0)
        / 1024.0
}

fn parse_ms(s: &str) -> f64 {
    let s = s.trim();
    if let Some(v) = s.strip_suffix("us") {
        v.parse::<f64>().unwrap_or(0.0) / 1000.0
    } else if let Some(v) = s.strip_suffix("ms") {
        v.parse().unwrap_or(0.0)
    } else if let Some(v) = s.strip_suffix('s') {
        v.parse::<f64>().unwrap_or(0.0) * 1000.0
    } else {
        0.0
    }
}

fn ensure_wrk() -> Result<(), String> {
    if Command::new("wrk").arg("--version").output().is_ok() {
        return Ok(());
    }
    eprintln!("installing wrk (Debian package)…");
    let ok = Command::new("apt-get").args(["install", "-y", "-qq", "wrk"]).status().map(|s| s.success()).unwrap_or(false);
    if ok {
        Ok(())
    } else {
        Err("wrk is needed: apt-get install wrk".into())
    }
}

fn run_wrk(a: &BenchArgs, port: u16, path: &str, script: Option<&Path>, pid: u32) -> Result<(u64, f64, f64, f64, f64, u64), String> {
    let mut cmd = Command::new("wrk");
    cmd.arg(format!("-t{}", a.threads)).arg(format!("-c{}", a.connections)).arg(format!("-d{}s", a.duration)).arg("--latency");
    if let Some(s) = script {
        cmd.arg("-s").arg(s);
    }
    cmd.arg(format!("http://127.0.0.1:{port}{path}"));
    let cpu0 = cpu_ms(pid);
    let out = cmd.output().map_err(|e| format!("wrk: {e}"))?;
    let cpu1 = cpu_ms(pid);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let mut requests = 0u64;
    let (mut rps, mut p50, mut p99, mut non2xx) = (0.0, 0.0, 0.0, 0u64);
    for line in text.lines() {
        let t = line.trim();
        if let Some(r) = t.strip_prefix("Requests/sec:") {
            rps = r.trim().parse().unwrap_or(0.0);
        } else if t.contains(" requests in ") {
            requests = t.split_whitespace().next().and_then(|v| v.parse().ok()).unwrap_or(0);
        } else if let Some(r) = t.strip_prefix("50%") {
            p50 = parse_ms(r);
        } else if let Some(r) = t.strip_prefix("99%") {
            p99 = parse_ms(r);
        } else if let Some(r) = t.strip_prefix("Non-2xx or 3xx responses:") {
            non2xx = r.trim().parse().unwrap_or(0);
        }
    }
    if requests == 0 {
        return Err(format!("wrk produced no result for {path}:\n{text}\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    let cpu_per_req = (cpu1 - cpu0) / requests as f64;
    Ok((requests, rps, p50, p99, cpu_per_req, non2xx))
}

/// The scenarios: (name, path, optional wrk Lua script body).
fn scenarios(codes: &[String]) -> Vec<(String, String, Option<String>)> {
    let list = codes.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(",");
    vec![
        ("healthz".into(), "/healthz".into(), None),
        ("commune page (Phường Hạc Thành)".into(), "/units/14797".into(), None),
        (
            "commune pages, all 166 at random".into(),
            "/units/14797".into(),
            Some(format!(
                "local codes = {{{list}}}\nmath.randomseed(38)\nrequest = function()\n  return wrk.format(\"GET\", \"/units/\" .. codes[math.random(#codes)])\nend\n"
            )),
        ),
        ("communes list".into(), "/communes".into(), None),
        ("API children of 38".into(), "/api/v1/units?parent=38".into(), None),
    ]
}

fn measure(
    a: &BenchArgs,
    label: &str,
    data: &Path,
    db_url: Option<&str>,
    env: &[(&str, &str)],
    codes: &[String],
) -> Result<(Vec<ScenarioResult>, f64, Duration), String> {
    let (server, ready) = start_server(data, db_url, a.port, env)?;
    let pid = server.child.id();
    let mut results = Vec::new();
    let mut healthz_rps = 0.0;
    for (name, path, script) in scenarios(codes) {
        let script_file = match &script {
            Some(body) => {
                let p = data.join("bench-random.lua");
                std::fs::write(&p, body).map_err(|e| e.to_string())?;
                Some(p)
            }
            None => None,
        };
        // Warm up (fills caches, opens pool connections).
        for _ in 0..20 {
            let _ = http_get(a.port, &path);
        }
        let (requests, rps, p50, p99, cpu, non2xx) = run_wrk(a, a.port, &path, script_file.as_deref(), pid)?;
        if name == "healthz" {
            healthz_rps = rps;
        }
        let r = ScenarioResult {
            name: format!("{label}: {name}"),
            path: path.clone(),
            requests,
            rps,
            p50_ms: p50,
            p99_ms: p99,
            cpu_ms_per_req: cpu,
            ratio_to_healthz: if healthz_rps > 0.0 { rps / healthz_rps } else { 0.0 },
            non_2xx: non2xx,
        };
        eprintln!(
            "  {:<58} {:>9.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  cpu {:.3} ms/req  ×healthz {:.2}",
            r.name, r.rps, r.p50_ms, r.p99_ms, r.cpu_ms_per_req, r.ratio_to_healthz
        );
        results.push(r);
    }
    let rss = peak_rss_mib(pid);
    drop(server);
    Ok((results, rss, ready))
}

pub async fn run(a: &BenchArgs) -> Result<(), String> {
    ensure_wrk()?;
    if a.scenario == Scenario::Disclosures {
        return disclosures_bench(a).await;
    }
    if a.scenario == Scenario::Consultations {
        return consultations::run(a).await;
    }
    if a.scenario == Scenario::Decisions {
        return decisions::run(a).await;
    }
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!(
        "# danchu benchmark\n\nmachine: {cores} cores; wrk -t{} -c{} -d{}s; backend: {}\n",
        a.threads,
        a.connections,
        a.duration,
        if a.postgres.is_some() { "postgres" } else { "sqlite" }
    );
    std::fs::create_dir_all(&a.dir).map_err(|e| e.to_string())?;
    let db_url = a.postgres.clone();

    // 1. Cold start on an empty setup (SQLite only: creates and fills a new
    // database with the units and the demo data).
    let empty = a.dir.join("empty");
    let _ = std::fs::remove_dir_all(&empty);
    let (srv, cold_empty) = start_server(&empty, None, a.port, &[("DANCHU_DEMO_DATA", "true")])?;
    drop(srv);
    // Serve once more with --no-demo semantics turned off: the first start
    // above used --no-demo, so measure a real first start with demo data.
    let _ = std::fs::remove_dir_all(&empty);
    let cold_empty_demo = {
        let mut cmd = Command::new(exe()?);
        cmd.arg("--data").arg(&empty).arg("serve").arg("--listen").arg(format!("127.0.0.1:{}", a.port));
        cmd.env("DANCHU_LOG_LEVEL", "warn").stdout(Stdio::null());
        let start = Instant::now();
        let child = cmd.spawn().map_err(|e| e.to_string())?;
        let s = Server { child };
        while http_get(a.port, "/healthz") != Some(200) {
            if start.elapsed() > Duration::from_secs(60) {
                return Err("first start did not become ready".into());
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let d = start.elapsed();
        drop(s);
        d
    };
    println!(
        "cold start, empty setup (migrations + 740 units): {} ms; with the demo dataset: {} ms",
        cold_empty.as_millis(),
        cold_empty_demo.as_millis()
    );

    // 2. The province-scale dataset.
    let data = province_dataset(a, db_url.as_deref())?;
    let codes: Vec<String> = crate::seed::UNITS_2025.lines().skip(1).filter_map(|l| l.split(',').next()).map(str::to_string).collect();

    // 3. HTTP scenarios, with the page cache (default) and without it.
    let (cached, rss_cached, cold_full) = measure(a, "cached", &data, db_url.as_deref(), &[], &codes)?;
    let (uncached, rss_uncached, _) = measure(a, "no cache", &data, db_url.as_deref(), &[("DANCHU_PAGE_CACHE_POLL_MS", "0")], &codes)?;
    println!("cold start with the full database: {} ms", cold_full.as_millis());

    // 4. Import of a 100,000-household XLSX file, through the CLI.
    let import = if a.skip_import || db_url.is_some() { None } else { Some(import_bench(a).await?) };

    println!("\n| scenario | req/s | p50 ms | p99 ms | server CPU ms/req | × /healthz | non-2xx |\n|---|---:|---:|---:|---:|---:|---:|");
    for r in cached.iter().chain(uncached.iter()) {
        println!(
            "| {} | {:.0} | {:.2} | {:.2} | {:.3} | {:.2} | {} |",
            r.name, r.rps, r.p50_ms, r.p99_ms, r.cpu_ms_per_req, r.ratio_to_healthz, r.non_2xx
        );
    }
    println!("\nserver peak RSS: {rss_cached:.0} MiB (cached run), {rss_uncached:.0} MiB (uncached run)");
    if let Some((rows, gen, secs)) = &import {
        println!("import of {} households ({rows} rows) from XLSX: {secs:.2} s (file written in {gen:.1} s)", a.import_households);
    }
    let json = serde_json::json!({
        "backend": if db_url.is_some() { "postgres" } else { "sqlite" },
        "households": a.households,
        "cold_start_empty_ms": cold_empty.as_millis(),
        "cold_start_empty_with_demo_ms": cold_empty_demo.as_millis(),
        "cold_start_full_ms": cold_full.as_millis(),
        "scenarios": cached.iter().chain(uncached.iter()).collect::<Vec<_>>(),
        "peak_rss_mib_cached": rss_cached,
        "peak_rss_mib_uncached": rss_uncached,
        "import": import.map(|(rows, _, secs)| serde_json::json!({"households": a.import_households, "rows": rows, "seconds": secs})),
    });
    let out = a.dir.join(if db_url.is_some() { "bench-results-postgres.json" } else { "bench-results-sqlite.json" });
    std::fs::write(&out, serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    println!("\nresults written to {}", out.display());
    Ok(())
}

/// Builds (or completes) the province-scale dataset through `danchu demo
/// --scale province`, which skips communes already loaded; returns its folder.
fn province_dataset(a: &BenchArgs, db_url: Option<&str>) -> Result<PathBuf, String> {
    let data = a.dir.join(if db_url.is_some() { "pg" } else { "province" });
    std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
    let mut cmd = Command::new(exe()?);
    cmd.arg("--data").arg(&data);
    if let Some(u) = db_url {
        cmd.arg("--database-url").arg(u);
    }
    let gen_start = Instant::now();
    let status = cmd
        .args(["demo", "--scale", "province", "--households", &a.households.to_string()])
        .env("DANCHU_LOG_LEVEL", "warn")
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("building the province dataset failed".into());
    }
    println!("province dataset ready ({:.1} s, kept in {})", gen_start.elapsed().as_secs_f64(), data.display());
    Ok(data)
}

/// Writes a 100,000-household XLSX for a commune with 30 villages of a
/// fresh database, then times `danchu import-households` on it.
async fn import_bench(a: &BenchArgs) -> Result<(usize, f64, f64), String> {
    let dir = a.dir.join("import");
    let _ = std::fs::remove_dir_all(&dir);
    let cfg = Config { data_dir: dir.clone(), demo_data: false, ..Config::default() };
    let ctx = Ctx::open(cfg).await?;
    crate::seed::load_official_units(&ctx.store).await?;
    let names: Vec<String> = (1..=30).map(|n| format!("Tổ dân phố {n}")).collect();
    let villages = crate::demo::create_villages(&ctx, "14797", &names).await?;
    ctx.store.close().await;
    let gen = Instant::now();
    let households = sample_households_with(&SampleSpec {
        village_names: &villages,
        households: a.import_households,
        seed: 100,
        on: crate::web::chrome::today_vn(),
        code_prefix: "HK",
        first_number: 1,
        cccd_serial_base: 0,
    });
    let rows: usize = households.iter().map(|h| h.members.len()).sum();
    let file = dir.join("ho-gia-dinh-100000.xlsx");
    std::fs::write(&file, write_sample_xlsx(&households)).map_err(|e| e.to_string())?;
    let gen_s = gen.elapsed().as_secs_f64();
    let start = Instant::now();
    let status = Command::new(exe()?)
        .arg("--data")
        .arg(&dir)
        .args(["import-households", "--commune", "14797"])
        .arg(&file)
        .env("DANCHU_LOG_LEVEL", "warn")
        .stdout(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    let secs = start.elapsed().as_secs_f64();
    if !status.success() {
        return Err("the import failed".into());
    }
    Ok((rows, gen_s, secs))
}

// ============================================================ issue 3: disclosures

/// The generated disclosure dataset: word lists and templates. Every item
/// `i` is drawn from its own seeded generator, so the dataset does not depend
/// on how it was loaded (an interrupted load resumes with the same items).
mod gen {
    use chrono::{Datelike, NaiveDate};
    use danchu_store::disclosures::BenchItem;
    use fastrand::Rng;

    pub const SURNAMES: &[&str] = &[
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Lò", "Hà", "Cầm", "Mai", "Trịnh",
        "Lường", "Quách",
    ];
    pub const MIDDLES: &[&str] = &["Văn", "Thị", "Đức", "Minh", "Hữu", "Thanh", "Ngọc", "Xuân", "Đình", "Công", "Quang", "Kim"];
    pub const GIVEN: &[&str] = &[
        "An", "Bình", "Cường", "Dũng", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc",
        "Phương", "Quân", "Sơn", "Tâm", "Thắng", "Thảo", "Thủy", "Tiến", "Trang", "Trung", "Tuấn", "Vân", "Yến", "Đạt", "Hòa", "Lộc",
        "Nhung", "Tùng", "Hiếu", "Huyền", "Giang", "Kiên", "Luyến",
    ];
    /// Public works (công trình).
    pub const WORKS: &[&str] = &[
        "đường giao thông nội đồng",
        "nhà văn hóa",
        "trường mầm non",
        "kênh mương nội đồng",
        "cầu dân sinh",
        "trạm y tế",
        "sân thể thao",
        "hệ thống điện chiếu sáng công cộng",
        "đường bê tông liên thôn",
        "điểm tập kết rác thải",
        "kè chống sạt lở bờ sông",
        "chợ nông thôn",
        "trạm bơm tưới tiêu",
        "nghĩa trang nhân dân",
    ];
    /// Field and place names (xứ đồng, khu dân cư).
    pub const PLACES: &[&str] = &[
        "Đồng Mới",
        "Cửa Đình",
        "Bãi Sậy",
        "Gò Găng",
        "Đồng Trằm",
        "Bến Đò",
        "Cồn Cát",
        "Rọc Chùa",
        "Đồng Chuối",
        "Mả Tre",
        "Bờ Hồ",
        "Ruộng Sâu",
        "Đồng Cao",
        "Bãi Giữa",
        "Cánh Đồng Làng",
    ];
    /// Rare subjects: each appears in a small share of items.
    pub const RARE: &[&str] = &[
        "lũ quét",
        "sạt lở đất",
        "khai thác cát trái phép",
        "dịch tả lợn châu Phi",
        "cúm gia cầm",
        "rét đậm rét hại",
        "giống lúa Thiên ưu 8",
        "rừng keo lai",
        "mía nguyên liệu",
        "hợp tác xã Tân Tiến",
        "làng nghề chiếu cói",
        "di tích Lam Kinh",
        "đền Bà Triệu",
        "Khu kinh tế Nghi Sơn",
        "hồ Yên Mỹ",
        "thủy điện Trung Sơn",
        "cao tốc Bắc Nam",
        "bò sữa",
        "chè Pù Luông",
        "cói Nga Sơn",
        "nước sạch nông thôn",
        "nhà tạm dột nát",
        "xe cứu thương",
        "máy gặt đập liên hợp",
    ];
    const DOC_KINDS: &[&str] = &["QĐ-UBND", "TB-UBND", "KH-UBND", "BC-UBND", "NQ-HĐND"];

    /// (category, weight, titles, sentences); placeholders: {xa} commune,
    /// {thon} village, {nam} year, {quy} quarter, {tien} amount, {tien2},
    /// {pct}, {ngay} date, {nguoi} person, {ct} public work, {dd} place,
    /// {ho} households, {dt} area (m²), {so} number.
    pub const CATEGORIES: &[(&str, u32, &[&str], &[&str])] = &[
        (
            "xa-01",
            6,
            &[
                "Kế hoạch phát triển kinh tế - xã hội năm {nam} của {xa}",
                "Báo cáo kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội 6 tháng đầu năm {nam}",
                "Phương án chuyển dịch cơ cấu kinh tế nông nghiệp giai đoạn {nam} - {nam2}",
            ],
            &[
                "Tốc độ tăng trưởng giá trị sản xuất trên địa bàn {xa} năm {nam} ước đạt {pct}%.",
                "Thu nhập bình quân đầu người đạt {tien2} đồng/người/năm, tăng so với cùng kỳ.",
                "Toàn xã duy trì {dt} ha lúa hai vụ, chuyển đổi {so} ha đất trồng lúa kém hiệu quả sang trồng rau màu tại xứ đồng {dd}.",
                "Tỷ lệ hộ nghèo giảm còn {pct}%; {ho} lao động được giải quyết việc làm mới.",
                "Ủy ban nhân dân xã đề ra các chỉ tiêu chủ yếu về kinh tế, văn hóa - xã hội, quốc phòng - an ninh cho năm {nam}.",
            ],
        ),
        (
            "xa-02",
            14,
            &[
                "Công khai dự toán ngân sách xã năm {nam}",
                "Công khai tình hình thực hiện dự toán ngân sách quý {quy} năm {nam}",
                "Công khai quyết toán ngân sách xã năm {nam}",
                "Báo cáo thuyết minh dự toán thu, chi ngân sách năm {nam} trình Hội đồng nhân dân {xa}",
            ],
            &[
                "Tổng thu ngân sách trên địa bàn năm {nam} ước đạt {tien} đồng, bằng {pct}% dự toán được giao.",
                "Tổng chi ngân sách xã là {tien} đồng, trong đó chi đầu tư phát triển {tien2} đồng, chi thường xuyên phần còn lại.",
                "Thu từ tiền sử dụng đất đạt {tien2} đồng; thu phí, lệ phí đạt {pct}% kế hoạch.",
                "Chi sự nghiệp giáo dục, y tế, văn hóa và đảm bảo xã hội được thực hiện theo đúng dự toán Hội đồng nhân dân xã quyết định.",
                "Số dư dự phòng ngân sách cuối quý {quy} còn {tien2} đồng.",
                "Biểu mẫu công khai theo quy định của Bộ Tài chính được niêm yết tại trụ sở Ủy ban nhân dân xã và nhà văn hóa các thôn.",
            ],
        ),
        (
            "xa-03",
            14,
            &[
                "Phương án bồi thường, hỗ trợ, tái định cư khi Nhà nước thu hồi đất thực hiện dự án {ct} tại {thon}",
                "Thông báo thu hồi đất để xây dựng {ct} tại xứ đồng {dd}",
                "Công khai quy hoạch sử dụng đất, kế hoạch sử dụng đất năm {nam} của {xa}",
                "Danh sách hộ gia đình, cá nhân bị thu hồi đất nông nghiệp tại {thon}",
                "Tiến độ thực hiện dự án đầu tư xây dựng {ct} {thon}",
            ],
            &[
                "Tổng diện tích đất thu hồi là {dt} m², trong đó đất trồng lúa {so} m², thuộc {ho} hộ gia đình, cá nhân đang sử dụng.",
                "Tổng kinh phí bồi thường, hỗ trợ là {tien} đồng, đơn giá đất nông nghiệp áp dụng theo bảng giá đất của tỉnh.",
                "Các hộ có đất bị thu hồi được hỗ trợ ổn định đời sống, đào tạo chuyển đổi nghề và tìm kiếm việc làm.",
                "Hộ ông (bà) {nguoi} tại {thon} được bố trí tái định cư tại khu dân cư {dd}.",
                "Dự án {ct} có tổng mức đầu tư {tien} đồng, thời gian thực hiện từ năm {nam} đến năm {nam2}.",
                "Kế hoạch cho thuê đất nông nghiệp sử dụng vào mục đích công ích với diện tích {dt} m² tại xứ đồng {dd}.",
            ],
        ),
        (
            "xa-04",
            4,
            &[
                "Quy chế thực hiện dân chủ ở cơ sở của {xa}",
                "Nhiệm vụ, quyền hạn của cán bộ, công chức {xa} năm {nam}",
                "Quy tắc ứng xử của cán bộ, công chức và người hoạt động không chuyên trách ở thôn, tổ dân phố",
            ],
            &[
                "Quy chế quy định những nội dung công khai để Nhân dân biết, Nhân dân bàn và quyết định, Nhân dân tham gia ý kiến, Nhân dân kiểm tra, giám sát.",
                "Công chức Văn phòng - Thống kê chịu trách nhiệm tiếp nhận và trả kết quả thủ tục hành chính tại Bộ phận Một cửa.",
                "Trưởng thôn {thon} có trách nhiệm tổ chức hội nghị thôn và phổ biến nội dung công khai đến từng hộ gia đình.",
                "Người có chức vụ, quyền hạn không được gây phiền hà, sách nhiễu Nhân dân khi giải quyết công việc.",
            ],
        ),
        (
            "xa-05",
            8,
            &[
                "Công khai các khoản huy động Nhân dân đóng góp xây dựng {ct} {thon}",
                "Báo cáo thu, chi Quỹ Vì người nghèo năm {nam}",
                "Công khai việc quản lý, sử dụng quỹ đền ơn đáp nghĩa năm {nam}",
                "Kết quả vận động tài trợ xây dựng {ct} tại {thon}",
            ],
            &[
                "Tổng số tiền Nhân dân tự nguyện đóng góp là {tien2} đồng, mỗi hộ đóng góp bình quân {tien3} đồng.",
                "Quỹ đã hỗ trợ xây mới {so} nhà cho hộ nghèo, hộ có hoàn cảnh khó khăn tại {thon}.",
                "Danh sách các tổ chức, cá nhân tài trợ được niêm yết công khai tại nhà văn hóa {thon}.",
                "Ban giám sát đầu tư của cộng đồng đã kiểm tra việc sử dụng kinh phí đóng góp, không phát hiện sai phạm.",
            ],
        ),
        (
            "xa-06",
            6,
            &[
                "Công khai việc mua sắm tài sản công năm {nam} của {xa}",
                "Thông báo thanh lý tài sản công: {ct} cũ",
                "Công khai kết quả đấu giá cho thuê {ct} {thon}",
            ],
            &[
                "Giá trị tài sản mua sắm là {tien2} đồng, nguồn kinh phí từ ngân sách xã năm {nam}.",
                "Tài sản thanh lý đã hết thời gian sử dụng theo quy định, giá khởi điểm {tien3} đồng.",
                "Khoản thu từ cho thuê tài sản công năm {nam} đạt {tien2} đồng, nộp vào ngân sách xã.",
                "Hội đồng thanh lý gồm đại diện Ủy ban nhân dân, Ủy ban Mặt trận Tổ quốc và các thôn.",
            ],
        ),
        (
            "xa-07",
            16,
            &[
                "Danh sách hộ nghèo, hộ cận nghèo năm {nam} của {xa}",
                "Kết quả bình xét hỗ trợ nhà ở cho người có công và hộ nghèo tại {thon}",
                "Danh sách đối tượng được cấp thẻ bảo hiểm y tế năm {nam}",
                "Công khai danh sách người hưởng trợ cấp xã hội hằng tháng quý {quy} năm {nam}",
                "Kết quả bình xét hỗ trợ sinh kế thuộc chương trình mục tiêu quốc gia giảm nghèo bền vững",
            ],
            &[
                "Qua bình xét tại hội nghị thôn, {ho} hộ đủ điều kiện được hỗ trợ theo chính sách, mức hỗ trợ {tien3} đồng/hộ.",
                "Hộ bà {nguoi} ({thon}) được hỗ trợ {tien3} đồng để sửa chữa nhà ở.",
                "Đối tượng bảo trợ xã hội được hưởng trợ cấp hằng tháng theo Nghị định số 20/2021/NĐ-CP.",
                "Mọi ý kiến thắc mắc về kết quả bình xét gửi về Ủy ban nhân dân xã trong thời hạn {so} ngày kể từ ngày niêm yết.",
                "Tổng kinh phí hỗ trợ an sinh xã hội quý {quy} là {tien2} đồng.",
                "Chương trình hỗ trợ phát triển sản xuất cấp {so} con giống và vật tư nông nghiệp cho các hộ tại {thon}.",
            ],
        ),
        (
            "xa-08",
            5,
            &[
                "Công khai kết quả hỗ trợ khắc phục hậu quả thiên tai tại {xa}",
                "Danh sách hộ được cứu trợ do mưa lũ tháng {thang} năm {nam}",
                "Báo cáo tiếp nhận và phân bổ tiền, hàng ủng hộ đồng bào bị thiệt hại",
            ],
            &[
                "Tổng số tiền ủng hộ tiếp nhận được là {tien2} đồng và {so} tấn gạo, đã phân bổ kịp thời đến các hộ bị thiệt hại.",
                "Mức hỗ trợ đối với hộ có nhà bị sập, cuốn trôi là {tien3} đồng/hộ theo quy định của tỉnh.",
                "Mưa lớn làm ngập úng {dt} m² lúa và hoa màu tại xứ đồng {dd}, thiệt hại ước tính {tien2} đồng.",
                "Hộ ông {nguoi} ở {thon} được hỗ trợ do có người mắc bệnh hiểm nghèo.",
            ],
        ),
        (
            "xa-09",
            4,
            &[
                "Danh sách công dân đủ điều kiện gọi nhập ngũ năm {nam}",
                "Chỉ tiêu tuyển chọn và gọi công dân nhập ngũ, thực hiện nghĩa vụ tham gia Công an nhân dân năm {nam}",
                "Danh sách công dân được tạm hoãn gọi nhập ngũ năm {nam}",
            ],
            &[
                "Chỉ tiêu giao năm {nam} của {xa} là {so} công dân, trong đó {so2} công dân thực hiện nghĩa vụ tham gia Công an nhân dân.",
                "Công dân {nguoi} ({thon}) được tạm hoãn gọi nhập ngũ do đang học tại cơ sở giáo dục đại học.",
                "Hội đồng nghĩa vụ quân sự xã đã tổ chức sơ tuyển sức khỏe cho {ho} công dân trong độ tuổi.",
            ],
        ),
        (
            "xa-10",
            3,
            &[
                "Kết quả lấy phiếu tín nhiệm đối với người giữ chức vụ do Hội đồng nhân dân {xa} bầu",
                "Kết luận thanh tra việc quản lý, sử dụng đất công tại {thon}",
                "Kết quả xử lý kỷ luật cán bộ vi phạm trong quản lý kinh phí {ct}",
            ],
            &[
                "Đoàn thanh tra phát hiện sai phạm với số tiền {tien3} đồng, yêu cầu thu hồi nộp ngân sách nhà nước.",
                "Chủ tịch Ủy ban nhân dân xã {nguoi} có {pct}% số phiếu tín nhiệm cao.",
                "Cán bộ vi phạm bị xử lý kỷ luật bằng hình thức khiển trách theo quy định.",
            ],
        ),
        (
            "xa-11",
            5,
            &[
                "Lấy ý kiến Nhân dân về dự thảo đề án sáp nhập thôn, tổ dân phố",
                "Lấy ý kiến Nhân dân về chủ trương đầu tư {ct} {thon}",
                "Kết quả tổng hợp ý kiến Nhân dân về quy hoạch chung {xa}",
            ],
            &[
                "Thời gian lấy ý kiến từ ngày {ngay}, hình thức phát phiếu đến từng hộ gia đình và tổ chức hội nghị tại các thôn.",
                "Có {ho} hộ tham gia ý kiến, {pct}% số hộ đồng ý với chủ trương.",
                "Ủy ban nhân dân xã tiếp thu, giải trình các ý kiến về vị trí xây dựng {ct}.",
            ],
        ),
        (
            "xa-12",
            4,
            &[
                "Công khai mức thu phí, lệ phí áp dụng tại {xa} năm {nam}",
                "Thông báo mức thu giá dịch vụ thu gom rác thải sinh hoạt năm {nam}",
            ],
            &[
                "Lệ phí chứng thực bản sao từ bản chính là 2.000 đồng/trang; lệ phí đăng ký khai sinh được miễn.",
                "Mức thu giá dịch vụ thu gom rác thải là {tien4} đồng/hộ/tháng đối với hộ gia đình tại {thon}.",
                "Phí sử dụng đò ngang qua bến {dd} áp dụng theo Nghị quyết của Hội đồng nhân dân tỉnh.",
            ],
        ),
        (
            "xa-13",
            8,
            &[
                "Công khai thủ tục hành chính thuộc thẩm quyền giải quyết của {xa}",
                "Kết quả giải quyết thủ tục hành chính quý {quy} năm {nam}",
                "Danh mục thủ tục hành chính thực hiện trên Cổng dịch vụ công",
            ],
            &[
                "Trong quý {quy}, Bộ phận Một cửa tiếp nhận {ho} hồ sơ, giải quyết đúng hạn {pct}%.",
                "Thủ tục đăng ký khai sinh, khai tử, kết hôn được giải quyết trong ngày làm việc.",
                "Công dân có thể nộp hồ sơ trực tuyến và theo dõi tiến độ giải quyết trên Cổng dịch vụ công quốc gia.",
                "Thủ tục chứng thực hợp đồng chuyển nhượng quyền sử dụng đất thực hiện trong thời hạn {so} ngày làm việc.",
            ],
        ),
        (
            "xa-14",
            3,
            &["Thông báo lịch tiếp công dân của Chủ tịch Ủy ban nhân dân {xa}", "Thông báo về việc tổ chức Ngày hội Đại đoàn kết toàn dân tộc tại {thon}"],
            &[
                "Chủ tịch Ủy ban nhân dân xã {nguoi} tiếp công dân vào ngày {ngay} tại trụ sở.",
                "Các hộ gia đình tại {thon} tham gia vệ sinh môi trường, khơi thông cống rãnh trước ngày {ngay}.",
                "Ngày hội được tổ chức tại nhà văn hóa {thon} với sự tham gia của đông đảo Nhân dân.",
            ],
        ),
    ];

    const CLOSINGS: &[&str] = &[
        "Mọi ý kiến phản ánh xin gửi về Bộ phận Một cửa Ủy ban nhân dân {xa} trước ngày {ngay}.",
        "Nội dung này được niêm yết tại trụ sở Ủy ban nhân dân xã, nhà văn hóa các thôn và thông báo trên hệ thống truyền thanh.",
        "Thời gian niêm yết công khai ít nhất 30 ngày kể từ ngày {ngay}.",
        "Đề nghị Trưởng thôn, Tổ trưởng tổ dân phố thông báo đến từng hộ gia đình.",
    ];

    /// A commune with its villages (real names from the dataset).
    pub struct Commune {
        pub id: i64,
        pub code: String,
        pub name: String,
        pub path: String,
        pub villages: Vec<String>,
        pub weight: u32,
    }

    pub fn pick<'a>(r: &mut Rng, v: &[&'a str]) -> &'a str {
        v[r.usize(..v.len())]
    }

    pub fn person(r: &mut Rng) -> String {
        format!("{} {} {}", pick(r, SURNAMES), pick(r, MIDDLES), pick(r, GIVEN))
    }

    /// 1234567890 → "1.234.567.890".
    pub fn vnd(n: u64) -> String {
        let s = n.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push('.');
            }
            out.push(c);
        }
        out
    }

    fn fill(t: &str, v: &[(&str, String)]) -> String {
        let mut s = t.to_string();
        for (k, val) in v {
            if s.contains(k) {
                s = s.replace(k, val);
            }
        }
        s
    }

    const FIRST_DAY: (i32, u32, u32) = (2023, 1, 2);
    /// Days the dataset's publications span (to late November 2026).
    const SPAN_DAYS: i64 = 1_425;

    /// Item `i` of `n` (ids follow publication order, as in real use).
    pub fn item(i: usize, n: usize, communes: &[Commune], total_weight: u32, seed: u64) -> BenchItem {
        let mut r = Rng::with_seed(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        // Commune, weighted.
        let mut w = r.u32(..total_weight);
        let mut c = &communes[0];
        for x in communes {
            if w < x.weight {
                c = x;
                break;
            }
            w -= x.weight;
        }
        // Category, weighted.
        let total: u32 = CATEGORIES.iter().map(|c| c.1).sum();
        let mut w = r.u32(..total);
        let mut cat = &CATEGORIES[0];
        for x in CATEGORIES {
            if w < x.1 {
                cat = x;
                break;
            }
            w -= x.1;
        }
        let first = NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2).expect("date");
        let day = (i as i64 * SPAN_DAYS / n.max(1) as i64 + r.i64(-2..=2)).clamp(0, SPAN_DAYS);
        let published = first + chrono::Duration::days(day);
        let decided = published - chrono::Duration::days(r.i64(0..=9));
        let year = published.year();
        let village =
            if c.villages.is_empty() { format!("thôn {}", r.usize(1..30)) } else { c.villages[r.usize(..c.villages.len())].clone() };
        let vals: Vec<(&str, String)> = vec![
            ("{xa}", c.name.clone()),
            ("{thon}", village.clone()),
            ("{nam2}", (year + 1 + r.i32(0..4)).to_string()),
            ("{nam}", year.to_string()),
            ("{quy}", ((published.month() - 1) / 3 + 1).to_string()),
            ("{thang}", published.month().to_string()),
            ("{tien2}", vnd(r.u64(50..5_000) * 1_000_000)),
            ("{tien3}", vnd(r.u64(5..200) * 100_000)),
            ("{tien4}", vnd(r.u64(10..60) * 1_000)),
            ("{tien}", vnd(r.u64(1_000..80_000) * 1_000_000)),
            ("{pct}", format!("{},{}", r.u32(40..110), r.u32(0..10))),
            ("{ngay}", (published + chrono::Duration::days(r.i64(1..30))).format("%d/%m/%Y").to_string()),
            ("{nguoi}", person(&mut r)),
            ("{ct}", pick(&mut r, WORKS).to_string()),
            ("{dd}", pick(&mut r, PLACES).to_string()),
            ("{ho}", r.u32(3..400).to_string()),
            ("{dt}", vnd(r.u64(200..60_000))),
            ("{so2}", r.u32(1..10).to_string()),
            ("{so}", r.u32(2..60).to_string()),
        ];
        let title = fill(pick(&mut r, cat.2), &vals);
        let mut paras: Vec<String> = Vec::new();
        let mut sentences: Vec<&str> = cat.3.to_vec();
        r.shuffle(&mut sentences);
        let k = r.usize(2..=sentences.len().min(5));
        let mut p1 =
            format!("Căn cứ Luật Thực hiện dân chủ ở cơ sở năm 2022; Ủy ban nhân dân {} thông báo công khai nội dung sau.", c.name);
        for s in &sentences[..k / 2 + 1] {
            p1.push(' ');
            p1.push_str(&fill(s, &vals));
        }
        paras.push(p1);
        let mut p2 = String::new();
        for s in &sentences[k / 2 + 1..k] {
            if !p2.is_empty() {
                p2.push(' ');
            }
            p2.push_str(&fill(s, &vals));
        }
        // A rare subject in about one item of 60.
        if r.u32(..60) == 0 {
            let rare = pick(&mut r, RARE);
            p2.push_str(&format!(" Nội dung liên quan đến {rare} tại {village} được báo cáo riêng."));
        }
        if !p2.is_empty() {
            paras.push(p2.trim().to_string());
        }
        paras.push(fill(pick(&mut r, CLOSINGS), &vals));
        let body = paras.join("\n\n");
        // Attachment-like text (a table of households and amounts) in 5 %.
        let attachment_text = if r.u32(..20) == 0 {
            let mut t = format!("phu-luc-{}.pdf\nPHỤ LỤC DANH SÁCH KÈM THEO\nSTT Họ và tên Địa chỉ Số tiền (đồng)\n", i);
            for n in 1..=r.usize(5..25) {
                t.push_str(&format!("{n} {} {} {}\n", person(&mut r), village, vnd(r.u64(5..200) * 100_000)));
            }
            t
        } else {
            String::new()
        };
        let signer = format!("{} (Chủ tịch Ủy ban nhân dân)", person(&mut r));
        let hour = r.i64(7..17);
        let local = published.and_hms_opt(hour as u32, r.u32(0..60), 0).expect("time");
        let published_at = (local - chrono::Duration::hours(7)).and_utc().timestamp_millis();
        let verdict = match r.u32(..100) {
            0..=81 => "compliant",
            82..=90 => "late",
            91..=94 => "in_progress",
            95..=96 => "pending",
            _ => "non_compliant",
        };
        let earlier = (r.u32(..33) == 0).then(|| {
            let before = published - chrono::Duration::days(r.i64(3..40));
            let at = (before.and_hms_opt(9, 0, 0).expect("time") - chrono::Duration::hours(7)).and_utc().timestamp_millis();
            (format!("{title} (dự thảo)"), body.replace("thông báo công khai", "dự kiến công khai"), at, before.to_string())
        });
        BenchItem {
            unit_id: c.id,
            unit_path: c.path.clone(),
            category: cat.0.to_string(),
            audience: "citizens".into(),
            title,
            body,
            attachment_text,
            decision_number: format!("{}/{}", r.u32(1..900), pick(&mut r, DOC_KINDS)),
            decision_date: decided.to_string(),
            signer,
            published_at,
            published_on: published.to_string(),
            deadline: Some((decided + chrono::Duration::days(7)).to_string()),
            verdict: verdict.into(),
            next_review: None,
            earlier,
        }
    }

    /// Common search phrases (as citizens type them, with or without marks).
    const COMMON: &[&str] = &[
        "ngân sách",
        "dự toán ngân sách",
        "quyết toán",
        "thu hồi đất",
        "bồi thường",
        "tái định cư",
        "hỗ trợ",
        "hộ nghèo",
        "bảo hiểm y tế",
        "nhập ngũ",
        "trợ cấp xã hội",
        "thủ tục hành chính",
        "quy hoạch sử dụng đất",
        "mua sắm tài sản công",
        "đóng góp",
        "lấy ý kiến",
        "phí lệ phí",
        "cứu trợ",
        "thiên tai",
        "kế hoạch",
        "công khai",
        "nhà văn hóa",
        "đường giao thông",
        "trường mầm non",
        "quỹ vì người nghèo",
        "tín nhiệm",
        "thanh tra",
        "rác thải",
    ];

    /// `n` distinct search queries: (what the citizen typed, commune code
    /// for `don_vi=` or empty). Mix: ~35 % common words, ~20 % rare words or a
    /// person's name, ~20 % 2–4 words mixing a subject with a year, a work or
    /// a village, ~25 % scoped to a commune; 60 % typed without diacritics.
    pub fn queries(n: usize, communes: &[Commune], seed: u64) -> Vec<(String, String)> {
        let mut r = Rng::with_seed(seed);
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        let mut attempts = 0;
        while out.len() < n && attempts < n * 50 {
            attempts += 1;
            let c = &communes[r.usize(..communes.len())];
            let kind = r.u32(..100);
            let (text, scope) = match kind {
                0..=34 => (pick(&mut r, COMMON).to_string(), String::new()),
                35..=44 => (pick(&mut r, RARE).to_string(), String::new()),
                45..=54 => (person(&mut r), String::new()),
                55..=74 => {
                    let subject = pick(&mut r, COMMON);
                    let extra = match r.u32(..4) {
                        0 => format!("{}", r.i32(2023..=2026)),
                        1 => pick(&mut r, WORKS).split(' ').take(2).collect::<Vec<_>>().join(" "),
                        2 => pick(&mut r, PLACES).to_string(),
                        _ => format!("quý {}", r.u32(1..=4)),
                    };
                    // At most 4 words.
                    let words: Vec<String> = format!("{subject} {extra}").split(' ').take(4).map(str::to_string).collect();
                    (words.join(" "), String::new())
                }
                _ => {
                    let t = match r.u32(..4) {
                        0 => pick(&mut r, RARE).to_string(),
                        1 => c.villages.get(r.usize(..c.villages.len().max(1))).cloned().unwrap_or_else(|| "thôn 1".into()),
                        _ => pick(&mut r, COMMON).to_string(),
                    };
                    (t, c.code.clone())
                }
            };
            let typed = if r.u32(..100) < 60 { danchu_domain::text::fold(&text) } else { text };
            if seen.insert((typed.clone(), scope.clone())) {
                out.push((typed, scope));
            }
        }
        out
    }
}

/// Percentile (nearest rank) of sorted milliseconds.
fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let k = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[k.clamp(1, sorted.len()) - 1]
}

#[derive(Debug, Clone, serde::Serialize)]
struct Timing {
    name: String,
    runs: usize,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    note: String,
}

fn timing(name: &str, mut ms: Vec<f64>, note: &str) -> Timing {
    ms.sort_by(|a, b| a.total_cmp(b));
    let t = Timing {
        name: name.to_string(),
        runs: ms.len(),
        p50_ms: pct(&ms, 50.0),
        p95_ms: pct(&ms, 95.0),
        p99_ms: pct(&ms, 99.0),
        max_ms: ms.last().copied().unwrap_or(0.0),
        note: note.to_string(),
    };
    eprintln!(
        "  {:<70} p50 {:>7.2} ms  p95 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  ({} runs) {}",
        t.name, t.p50_ms, t.p95_ms, t.p99_ms, t.max_ms, t.runs, t.note
    );
    t
}

/// One blocking HTTP/1.1 GET read to the end; (status, body bytes).
fn http_get_full(port: u16, path: &str) -> Option<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect_timeout(&format!("127.0.0.1:{port}").parse().ok()?, Duration::from_millis(500)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let status = std::str::from_utf8(buf.get(9..12)?).ok()?.parse().ok()?;
    let body = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|p| buf[p + 4..].to_vec()).unwrap_or_default();
    Some((status, body))
}

fn search_url(q: &str, don_vi: &str) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    s.append_pair("q", q);
    if !don_vi.is_empty() {
        s.append_pair("don_vi", don_vi);
    }
    format!("/search?{}", s.finish())
}

/// A wrk Lua script: GETs of `paths` at random (or wrk's URL if empty), and
/// the p95 latency printed at the end (wrk's --latency stops at 90 and 99).
fn wrk_script(paths: &[String]) -> String {
    let mut s = String::new();
    if !paths.is_empty() {
        let list = paths.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(",\n");
        s.push_str(&format!(
            "local paths = {{{list}}}\nmath.randomseed(38)\nrequest = function()\n  return wrk.format(\"GET\", paths[math.random(#paths)])\nend\n"
        ));
    }
    s.push_str("done = function(summary, latency, requests)\n  io.write(string.format(\"P95_US %d\\n\", latency:percentile(95)))\nend\n");
    s
}

#[derive(Debug, Clone, serde::Serialize)]
struct WrkResult {
    name: String,
    path: String,
    connections: u32,
    requests: u64,
    rps: f64,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    cpu_ms_per_req: f64,
    ratio_to_healthz: f64,
    non_2xx: u64,
}

fn wrk_run(a: &BenchArgs, pid: u32, dir: &Path, name: &str, path: &str, paths: &[String], connections: u32) -> Result<WrkResult, String> {
    let script = dir.join("bench-disclosures.lua");
    std::fs::write(&script, wrk_script(paths)).map_err(|e| e.to_string())?;
    let mut cmd = Command::new("wrk");
    cmd.arg(format!("-t{}", a.threads.min(connections)))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{}s", a.duration))
        .arg("--latency")
        .arg("-s")
        .arg(&script)
        .arg(format!("http://127.0.0.1:{}{path}", a.port));
    let cpu0 = cpu_ms(pid);
    let out = cmd.output().map_err(|e| format!("wrk: {e}"))?;
    let cpu1 = cpu_ms(pid);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let mut r = WrkResult {
        name: name.to_string(),
        path: path.to_string(),
        connections,
        requests: 0,
        rps: 0.0,
        p50_ms: 0.0,
        p95_ms: 0.0,
        p99_ms: 0.0,
        cpu_ms_per_req: 0.0,
        ratio_to_healthz: 0.0,
        non_2xx: 0,
    };
    for line in text.lines() {
        let t = line.trim();
        if let Some(v) = t.strip_prefix("Requests/sec:") {
            r.rps = v.trim().parse().unwrap_or(0.0);
        } else if t.contains(" requests in ") {
            r.requests = t.split_whitespace().next().and_then(|v| v.parse().ok()).unwrap_or(0);
        } else if let Some(v) = t.strip_prefix("50%") {
            r.p50_ms = parse_ms(v);
        } else if let Some(v) = t.strip_prefix("99%") {
            r.p99_ms = parse_ms(v);
        } else if let Some(v) = t.strip_prefix("P95_US") {
            r.p95_ms = v.trim().parse::<f64>().unwrap_or(0.0) / 1000.0;
        } else if let Some(v) = t.strip_prefix("Non-2xx or 3xx responses:") {
            r.non_2xx = v.trim().parse().unwrap_or(0);
        }
    }
    if r.requests == 0 {
        return Err(format!("wrk produced no result for {path}:\n{text}\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    r.cpu_ms_per_req = (cpu1 - cpu0) / r.requests as f64;
    Ok(r)
}

/// Issue 3: 1,000,000 disclosure items over the 166 communes; list pages,
/// search, feeds and compliance figures.
async fn disclosures_bench(a: &BenchArgs) -> Result<(), String> {
    use danchu_domain::units::Level;
    use danchu_store::disclosures;
    let backend = if a.postgres.is_some() { "postgres" } else { "sqlite" };
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!(
        "# danchu benchmark — disclosures (issue 3)\n\nmachine: {cores} cores; wrk -t{} -c{} -d{}s; backend: {backend}; items: {}\n",
        a.threads, a.connections, a.duration, a.items
    );
    std::fs::create_dir_all(&a.dir).map_err(|e| e.to_string())?;
    let db_url = a.postgres.clone();
    let data = province_dataset(a, db_url.as_deref())?;

    // 1. The items, loaded once (resumed if interrupted).
    let cfg = Config {
        data_dir: data.clone(),
        database_url: crate::config::Secret(db_url.clone().unwrap_or_default()),
        demo_data: false,
        run_jobs: false,
        ..Config::default()
    };
    let ctx = Ctx::open(cfg).await?;
    let store = ctx.store.clone();
    let province = danchu_store::units::by_code(&store, danchu_domain::units::Era::Current, crate::web::PROVINCE_CODE)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("province missing")?;
    let mut communes = Vec::new();
    for c in danchu_store::units::children(&store, province.id).await.map_err(|e| e.to_string())? {
        if c.unit.kind.level() != Level::Commune || c.unit.valid_to.is_some() {
            continue;
        }
        let villages: Vec<String> =
            danchu_store::units::children(&store, c.unit.id).await.map_err(|e| e.to_string())?.into_iter().map(|v| v.unit.name).collect();
        // Wards and large communes publish more: weight 2–4 by code.
        let weight = 2 + (c.unit.code.bytes().map(|b| b as u32).sum::<u32>() % 3);
        communes.push(gen::Commune { id: c.unit.id, code: c.unit.code, name: c.unit.name, path: c.unit.path, villages, weight });
    }
    let total_weight: u32 = communes.iter().map(|c| c.weight).sum();
    let loaded = disclosures::bench_items_loaded(&store).await.map_err(|e| e.to_string())? as usize;
    let mut load_secs = None;
    if loaded < a.items {
        println!("loading disclosure items {loaded}…{} (is_demo = 1)", a.items);
        let start = Instant::now();
        let mut gen_secs = 0.0;
        const CHUNK: usize = 20_000;
        let mut i = loaded;
        while i < a.items {
            let end = (i + CHUNK).min(a.items);
            let g = Instant::now();
            let rows: Vec<_> = (i..end).map(|k| gen::item(k, a.items, &communes, total_weight, 2026)).collect();
            gen_secs += g.elapsed().as_secs_f64();
            disclosures::bulk_insert_bench(&store, &rows).await.map_err(|e| e.to_string())?;
            i = end;
            if (i / CHUNK).is_multiple_of(10) || i == a.items {
                eprintln!("  {i} items, {:.0} s", start.elapsed().as_secs_f64());
            }
        }
        let r = Instant::now();
        disclosures::recount(&store).await.map_err(|e| e.to_string())?;
        let recount_secs = r.elapsed().as_secs_f64();
        let mut analyze_secs = 0.0;
        if db_url.is_some() {
            // What autovacuum does after a bulk load; the planner needs the
            // tsvector statistics to choose between the GIN and the b-tree.
            let t = Instant::now();
            store
                .execute_admin("ANALYZE disclosures; ANALYZE disclosure_versions; ANALYZE disclosure_fts")
                .await
                .map_err(|e| e.to_string())?;
            analyze_secs = t.elapsed().as_secs_f64();
        }
        let total = start.elapsed().as_secs_f64();
        println!(
            "loaded {} items in {total:.1} s (generation {gen_secs:.1} s, roll-up recount {recount_secs:.1} s, ANALYZE {analyze_secs:.1} s)",
            a.items - loaded
        );
        load_secs = Some(total);
    } else {
        println!("{loaded} disclosure items already loaded (kept in {})", data.display());
    }

    // 2. Direct measurements, server stopped: feed, compliance, search query.
    eprintln!("direct measurements (in process, page cache not involved):");
    let state = crate::web::AppState::new(ctx.clone()).await?;
    let mut direct = Vec::new();
    let mut feed_bytes = 0usize;
    for fmt in ["rss", "atom", "json"] {
        let mut ms = Vec::new();
        for k in 0..110 {
            let t = Instant::now();
            let doc =
                crate::web::pages::portal::build_feed(&state, crate::web::PROVINCE_CODE, fmt, "").await.map_err(|e| format!("{e:?}"))?;
            if k >= 10 {
                ms.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            feed_bytes = doc.len();
        }
        direct.push(timing(&format!("build_feed(province, {fmt}) — 50 newest of {} items", a.items), ms, &format!("{feed_bytes} bytes")));
    }
    {
        let mut ms = Vec::new();
        for k in 0..110 {
            let t = Instant::now();
            let doc = crate::web::pages::portal::build_feed(&state, "14797", "rss", "xa-02").await.map_err(|e| format!("{e:?}"))?;
            if k >= 10 {
                ms.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            feed_bytes = doc.len();
        }
        direct.push(timing("build_feed(Phường Hạc Thành, rss, loai=xa-02)", ms, &format!("{feed_bytes} bytes")));
    }
    {
        let mut ms = Vec::new();
        let mut n = 0;
        for k in 0..110 {
            let t = Instant::now();
            let rows = disclosures::counts_of_children(&store, province.id).await.map_err(|e| e.to_string())?;
            if k >= 10 {
                ms.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            n = rows.iter().filter(|r| r.3.items > 0).count();
        }
        direct.push(timing("counts_of_children(province) — compliance of all communes", ms, &format!("{n} communes with items")));
    }
    let queries = gen::queries(a.queries, &communes, 3);
    let code_to_id: std::collections::HashMap<&str, i64> = communes.iter().map(|c| (c.code.as_str(), c.id)).collect();
    let parsed: Vec<disclosures::SearchQuery> = queries
        .iter()
        .map(|(q, don_vi)| {
            let mut s = disclosures::SearchQuery::parse(q);
            if let Some(id) = code_to_id.get(don_vi.as_str()) {
                s.scope.push(format!("u{id}"));
            }
            s
        })
        .collect();
    let (mut ms, mut empty, mut full) = (Vec::new(), 0, Vec::new());
    for q in &parsed {
        let t = Instant::now();
        let ids = disclosures::search(&store, q, 0, 21).await.map_err(|e| e.to_string())?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        empty += ids.is_empty() as usize;
        full.push(ids);
    }
    let full_ms = ms.clone();
    direct.push(timing("disclosures::search — the ranked-ids query, distinct queries", ms, &format!("{empty} without a hit")));
    let (bounded, bounded_ms) = disclosures_search_bounded(&store, &parsed, &full).await?;
    direct.push(bounded);
    // Per query, to see which ones are slow.
    let mut tsv = String::from("query\tdon_vi\tsearch_ms\tsearch_bounded_ms\thits_first_page\n");
    for (i, (q, d)) in queries.iter().enumerate() {
        tsv.push_str(&format!("{q}\t{d}\t{:.2}\t{:.2}\t{}\n", full_ms[i], bounded_ms[i], full[i].len()));
    }
    std::fs::write(a.dir.join(format!("bench-search-queries-{backend}.tsv")), tsv).map_err(|e| e.to_string())?;
    drop(state);
    ctx.store.close().await;

    // 3. HTTP: cached (default) and with the page cache off.
    let codes: Vec<String> = communes.iter().map(|c| c.code.clone()).collect();
    let list_paths: Vec<String> = codes.iter().map(|c| format!("/units/{c}/disclosures")).collect();
    let search_paths: Vec<String> = queries.iter().map(|(q, d)| search_url(q, d)).collect();
    let mut http = Vec::new();
    let mut seq = Vec::new();
    let modes: Vec<(&str, Vec<(&str, &str)>)> =
        if a.skip_http { vec![] } else { vec![("cached", vec![]), ("no cache", vec![("DANCHU_PAGE_CACHE_POLL_MS", "0")])] };
    for (label, env) in modes {
        let mut env = env;
        env.push(("DANCHU_RUN_JOBS", "false"));
        // The slow-statement warnings of sqlx would flood the output.
        env.push(("DANCHU_LOG_LEVEL", "warn,sqlx=error"));
        let (server, _) = start_server(&data, db_url.as_deref(), a.port, &env)?;
        let pid = server.child.id();
        let runs: Vec<(&str, &str, Vec<String>, u32)> = vec![
            ("healthz", "/healthz", vec![], a.connections),
            ("commune list page (Phường Hạc Thành)", "/units/14797/disclosures", vec![], a.connections),
            ("commune list pages, all 166 at random", "/units/14797/disclosures", list_paths.clone(), a.connections),
            ("province list page (all items)", "/units/38/disclosures", vec![], a.connections),
            ("province RSS feed", "/feeds/38.rss", vec![], a.connections),
        ];
        let mut healthz = 0.0;
        for (name, path, paths, conns) in runs {
            for _ in 0..20 {
                let _ = http_get(a.port, path);
            }
            let mut r = wrk_run(a, pid, &a.dir, &format!("{label}: {name}"), path, &paths, conns)?;
            if name == "healthz" {
                healthz = r.rps;
            }
            r.ratio_to_healthz = if healthz > 0.0 { r.rps / healthz } else { 0.0 };
            eprintln!(
                "  {:<62} {:>8.0} req/s  p50 {:>7.2}  p95 {:>7.2}  p99 {:>7.2} ms  cpu {:.3} ms/req  ×healthz {:.2}  non-2xx {}",
                r.name, r.rps, r.p50_ms, r.p95_ms, r.p99_ms, r.cpu_ms_per_req, r.ratio_to_healthz, r.non_2xx
            );
            http.push(r);
        }
        if label == "no cache" {
            // Search, every request a miss: one client, each distinct query once.
            let mut ms = Vec::new();
            let mut bad = 0;
            for p in &search_paths {
                let t = Instant::now();
                match http_get_full(a.port, p) {
                    Some((200, _)) => {}
                    _ => bad += 1,
                }
                ms.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            seq.push(timing(
                &format!("HTTP /search (page cache off), 1 client, {} distinct queries", search_paths.len()),
                ms,
                &format!("{bad} not 200"),
            ));
            // And under load: wrk picking queries at random.
            let mut r = wrk_run(
                a,
                pid,
                &a.dir,
                &format!("{label}: search, {} queries at random", search_paths.len()),
                &search_paths[0],
                &search_paths,
                a.search_connections,
            )?;
            r.ratio_to_healthz = if healthz > 0.0 { r.rps / healthz } else { 0.0 };
            eprintln!(
                "  {:<62} {:>8.0} req/s  p50 {:>7.2}  p95 {:>7.2}  p99 {:>7.2} ms  cpu {:.3} ms/req  (c={})",
                r.name, r.rps, r.p50_ms, r.p95_ms, r.p99_ms, r.cpu_ms_per_req, r.connections
            );
            http.push(r);
        }
        drop(server);
    }

    // 4. Report.
    println!("\n| scenario | conns | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/req | × /healthz | non-2xx |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &http {
        println!(
            "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.3} | {:.2} | {} |",
            r.name, r.connections, r.rps, r.p50_ms, r.p95_ms, r.p99_ms, r.cpu_ms_per_req, r.ratio_to_healthz, r.non_2xx
        );
    }
    println!("\n| measure | runs | p50 ms | p95 ms | p99 ms | max ms | note |\n|---|---:|---:|---:|---:|---:|---|");
    for t in direct.iter().chain(seq.iter()) {
        println!("| {} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {} |", t.name, t.runs, t.p50_ms, t.p95_ms, t.p99_ms, t.max_ms, t.note);
    }
    if let Some(s) = load_secs {
        println!("\nload of the items: {s:.1} s");
    }
    let json = serde_json::json!({
        "backend": backend,
        "items": a.items,
        "queries": queries.len(),
        "load_seconds": load_secs,
        "http": http,
        "direct": direct,
        "search_http_sequential": seq,
    });
    let out = a.dir.join(format!("bench-disclosures-{backend}.json"));
    std::fs::write(&out, serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    println!("\nresults written to {}", out.display());
    Ok(())
}

/// Times `disclosures::search_bounded` on the same queries; also how many of
/// the first 20 ids it shares with `disclosures::search` (`full`).
async fn disclosures_search_bounded(
    store: &danchu_store::Store,
    parsed: &[danchu_store::disclosures::SearchQuery],
    full: &[Vec<i64>],
) -> Result<(Timing, Vec<f64>), String> {
    let (mut ms, mut empty, mut shared, mut compared) = (Vec::new(), 0, 0usize, 0usize);
    for (q, f) in parsed.iter().zip(full) {
        let t = Instant::now();
        let ids = danchu_store::disclosures::search_bounded(store, q, 0, 21).await.map_err(|e| e.to_string())?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        empty += ids.is_empty() as usize;
        let a: std::collections::HashSet<i64> = f.iter().take(20).copied().collect();
        if !a.is_empty() {
            compared += a.len();
            shared += ids.iter().take(20).filter(|i| a.contains(i)).count();
        }
    }
    let note = format!(
        "{empty} without a hit; {:.0} % of search's first 20 ids also in search_bounded's first 20",
        100.0 * shared as f64 / compared.max(1) as f64
    );
    Ok((timing("disclosures::search_bounded — same queries", ms.clone(), &note), ms))
}
