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
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    Province,
    Disclosures,
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
