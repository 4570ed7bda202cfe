//! `danchu bench --scenario consultations` (issue 4): the consultation pages
//! and comment intake.
//!
//! On a fresh database with the demo communes (SQLite in `<dir>/consultations`,
//! or the `--postgres` database) it creates, once:
//! - consultation A: one article with exactly 100 comments (the page that
//!   shows them all, measured in server CPU per request);
//! - consultation B: 20,000 comments from 5,000 participants over 50
//!   articles, 50 statements and 50,000 votes (pages measured in p99);
//! - consultation C: open, empty, for the intake run (anonymous comments
//!   posted with wrk from many client addresses).
//!
//! It prints the in-process times of the grouping and opinion-group jobs on
//! B, then the HTTP figures, and checks after the intake run that every
//! acknowledged comment (303) is in the database.

use super::{cpu_ms, start_server, wrk_run, BenchArgs};
use crate::config::Config;
use crate::context::Ctx;
use danchu_store::consultations::{self as cs, NewComment, NewConsultation, NewVersion, Who};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const TITLES: [&str; 3] = ["Bench A: 100 ý kiến một điều", "Bench B: 20.000 ý kiến", "Bench C: tiếp nhận ý kiến"];

fn draft_text(articles: usize) -> String {
    let mut s = String::from("QUY CHẾ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ (DỮ LIỆU ĐO HIỆU NĂNG)\n");
    for a in 1..=articles {
        s.push_str(&format!("Điều {a}. Nội dung số {a}\n"));
        for k in 1..=3 {
            s.push_str(&format!("{k}. Khoản {k} của Điều {a}: Ủy ban nhân dân phường tổ chức lấy ý kiến Nhân dân về nội dung này.\n"));
        }
    }
    s
}

const WORDS: [&str; 24] = [
    "đề nghị",
    "bổ sung",
    "làm rõ",
    "thôn",
    "tổ dân phố",
    "hộ gia đình",
    "đường giao thông",
    "kinh phí",
    "công khai",
    "minh bạch",
    "họp",
    "biểu quyết",
    "môi trường",
    "rác thải",
    "chiếu sáng",
    "nhà văn hóa",
    "đóng góp",
    "người cao tuổi",
    "trẻ em",
    "an ninh",
    "trật tự",
    "thời gian",
    "Ủy ban",
    "Mặt trận",
];

fn comment_text(seed: usize) -> String {
    let mut x = seed as u64 * 2_654_435_761 + 12_345;
    let n = 12 + (x % 40) as usize;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        out.push(WORDS[(x >> 33) as usize % WORDS.len()]);
    }
    let mut s = out.join(" ");
    s.push('.');
    s
}

async fn create(ctx: &Ctx, title: &str, articles: usize) -> Result<i64, String> {
    let e = |e: danchu_store::StoreError| e.to_string();
    let u =
        danchu_store::units::by_code(&ctx.store, danchu_domain::units::Era::Current, "14797").await.map_err(e)?.ok_or("14797 missing")?;
    let today = crate::web::chrome::today_vn();
    let body = draft_text(articles);
    let parts = crate::consultation::parts_of(&danchu_domain::draft::parse(&body));
    let mut tx = ctx.store.write().await.map_err(e)?;
    let id = cs::create(
        &mut tx,
        &NewConsultation {
            unit_id: u.id,
            unit_path: &u.path,
            village_id: None,
            subject: "xa-7",
            title,
            summary: "Dữ liệu đo hiệu năng.",
            eligibility: "anyone",
            opens_on: &(today - chrono::Days::new(1)).to_string(),
            closes_on: &(today + chrono::Days::new(60)).to_string(),
            sector_days: None,
            sector_basis: None,
            plan_content: "Đo hiệu năng",
            plan_forms: "online",
            plan_method: "Đo hiệu năng",
            plan_responsibilities: "Đo hiệu năng",
            is_demo: true,
            created_by: None,
        },
        &NewVersion { body: &body, structured: true, change_note: "", source_sha256: None, parts: &parts, created_by: None },
    )
    .await
    .map_err(e)?;
    cs::publish(&mut tx, id, None).await.map_err(e)?;
    tx.commit().await.map_err(|x| x.to_string())?;
    Ok(id)
}

/// Adds `n` comments from `participants` participants spread over `parts`
/// article paths, 1,000 per transaction.
async fn fill(ctx: &Ctx, id: i64, n: usize, participants: usize, parts: &[String]) -> Result<Vec<i64>, String> {
    let e = |e: danchu_store::StoreError| e.to_string();
    let today = crate::web::chrome::today_vn().to_string();
    let mut pids = Vec::with_capacity(participants);
    let mut tx = ctx.store.write().await.map_err(e)?;
    for p in 0..participants {
        let key = format!("bench-{id}-{p}");
        let name = format!("Người tham gia {p}");
        pids.push(cs::participant(&mut tx, id, Who::Key(&key), None, Some(&name), None).await.map_err(e)?.id);
    }
    tx.commit().await.map_err(|x| x.to_string())?;
    for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
        let mut tx = ctx.store.write().await.map_err(e)?;
        for &i in chunk {
            let body = comment_text(i + id as usize * 1_000_003);
            let folded = danchu_domain::text::fold(&body);
            let idem = format!("bench-{id}-{i}");
            cs::add_comment(
                &mut tx,
                &NewComment {
                    consultation_id: id,
                    version: 1,
                    part_path: Some(&parts[i % parts.len()]),
                    participant_id: Some(pids[i % pids.len()]),
                    channel: "online",
                    source: "",
                    author_name: None,
                    author_household_id: None,
                    body: &body,
                    folded: &folded,
                    signature: None,
                    idem_key: &idem,
                    created_on: &today,
                    entered_by: None,
                },
            )
            .await
            .map_err(e)?;
        }
        tx.commit().await.map_err(|x| x.to_string())?;
    }
    Ok(pids)
}

async fn find(ctx: &Ctx, title: &str) -> Result<Option<i64>, String> {
    let u = danchu_store::units::by_code(&ctx.store, danchu_domain::units::Era::Current, "14797")
        .await
        .map_err(|e| e.to_string())?
        .ok_or("14797 missing")?;
    let list = cs::list_for_unit(&ctx.store, u.id, false, 1000).await.map_err(|e| e.to_string())?;
    Ok(list.iter().find(|c| c.title == title).map(|c| c.id))
}

/// The intake script: anonymous comments, each with its own submission key,
/// from client addresses spread over 10.x.y.z (the write limit is per
/// address; the server trusts X-Forwarded-For in this run).
fn intake_script(id: i64, token: &str, run: &str) -> String {
    // `tid` is a global: set in each thread's own Lua state by setup() (a
    // local would shadow it and every thread would send the same keys).
    format!(
        r#"local counter = 0
local threads = {{}}
local started = 0
statuses = {{}}
setup = function(thread)
  started = started + 1
  thread:set("tid", started)
  table.insert(threads, thread)
end
init = function(args)
  math.randomseed(tid * 7919)
end
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
request = function()
  counter = counter + 1
  local idem = "intake-{run}-" .. tid .. "-" .. counter
  local body = "csrf={token}&idem=" .. idem .. "&part=d" .. math.random(10) .. "&body=Y+kien+so+" .. counter .. "+cua+luong+" .. tid .. "+ve+du+thao+quy+che"
  local headers = {{}}
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["Cookie"] = "danchu_csrf={token}"
  headers["X-Forwarded-For"] = "10." .. math.random(250) .. "." .. math.random(250) .. "." .. math.random(250)
  return wrk.format("POST", "/consultations/{id}/comments", headers, body)
end
done = function(summary, latency, requests)
  io.write(string.format("P95_US %d\n", latency:percentile(95)))
  local all = {{}}
  for _, t in ipairs(threads) do
    local st = t:get("statuses")
    for k, v in pairs(st) do all[k] = (all[k] or 0) + v end
  end
  for k, v in pairs(all) do io.write(string.format("STATUS %d %d\n", k, v)) end
end
"#
    )
}

pub(super) async fn run(a: &BenchArgs) -> Result<(), String> {
    let backend = if a.postgres.is_some() { "postgres" } else { "sqlite" };
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!(
        "# danchu benchmark — consultations (issue 4)\n\nmachine: {cores} cores; wrk -t{}; {} s per run; backend: {backend}\n",
        a.threads, a.duration
    );
    let data = a.dir.join(if a.postgres.is_some() { "consultations-pg" } else { "consultations" });
    std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
    let cfg = Config {
        data_dir: data.clone(),
        database_url: crate::config::Secret(a.postgres.clone().unwrap_or_default()),
        demo_data: true,
        run_jobs: false,
        ..Config::default()
    };
    let ctx = Ctx::open(cfg).await?;
    crate::seed::load_official_units(&ctx.store).await?;
    crate::server::prepare(&ctx).await?;

    // 1. The data, created once.
    let t = Instant::now();
    let a_id = match find(&ctx, TITLES[0]).await? {
        Some(id) => id,
        None => {
            let id = create(&ctx, TITLES[0], 5).await?;
            fill(&ctx, id, 100, 100, &["d1".to_string()]).await?;
            id
        }
    };
    let b_id = match find(&ctx, TITLES[1]).await? {
        Some(id) => id,
        None => {
            let id = create(&ctx, TITLES[1], 50).await?;
            let parts: Vec<String> = (1..=50).map(|k| format!("d{k}")).collect();
            let pids = fill(&ctx, id, 20_000, 5_000, &parts).await?;
            let mut tx = ctx.store.write().await.map_err(|e| e.to_string())?;
            let mut sids = Vec::new();
            for s in 0..50 {
                let body = format!("Ý kiến ngắn số {s}: {}", comment_text(s * 31));
                let folded = danchu_domain::text::fold(&body);
                let (sid, _) = cs::add_statement(&mut tx, id, &body, &folded, "approved", None, None, &format!("bench-st-{id}-{s}"))
                    .await
                    .map_err(|e| e.to_string())?;
                sids.push(sid);
            }
            tx.commit().await.map_err(|e| e.to_string())?;
            // 10 votes per participant; two camps that disagree on half the
            // statements, so the opinion groups have something to find.
            for chunk in pids.chunks(500) {
                let mut tx = ctx.store.write().await.map_err(|e| e.to_string())?;
                for (k, &p) in chunk.iter().enumerate() {
                    let camp = (p as usize + k) % 2;
                    for v in 0..10 {
                        let s = (p as usize * 7 + v * 5) % sids.len();
                        let stance = if s % 2 == camp { "agree" } else { "disagree" };
                        cs::vote(&mut tx, id, sids[s], p, stance).await.map_err(|e| e.to_string())?.ok();
                    }
                }
                tx.commit().await.map_err(|e| e.to_string())?;
            }
            id
        }
    };
    let c_id = match find(&ctx, TITLES[2]).await? {
        Some(id) => id,
        None => create(&ctx, TITLES[2], 10).await?,
    };
    println!("data ready in {:.1} s (kept in {}): A = {a_id}, B = {b_id}, C = {c_id}", t.elapsed().as_secs_f64(), data.display());

    // 2. The jobs on B, in process.
    let t = Instant::now();
    crate::consultation::run_regroup(&ctx, b_id).await?;
    let regroup = t.elapsed().as_secs_f64();
    let (groups, multi) = cs::group_totals(&ctx.store, b_id).await.map_err(|e| e.to_string())?;
    let t = Instant::now();
    crate::consultation::run_analysis(&ctx, b_id).await?;
    let analysis = t.elapsed().as_secs_f64();
    println!("grouping job on B (20,000 comments, read + group + write): {regroup:.2} s → {groups} groups, {multi} of 2 or more");
    println!("opinion-group job on B (5,000 participants × 50 statements, 50,000 votes): {analysis:.2} s");
    let counts = cs::counts(&ctx.store, b_id).await.map_err(|e| e.to_string())?;
    println!("B counts: {} comments, {} participants, {} votes", counts["comments"], counts["participants"], counts["votes"]);

    // Where a page's time goes, in process (no network): each store call of
    // A's article page, and the whole request through the router.
    let skip = a.intake_only;
    eprintln!("in process, {} runs each:", if skip { 0 } else { 300 });
    let mut direct = Vec::new();
    macro_rules! time {
        ($name:expr, $e:expr) => {{
            let mut ms = Vec::new();
            for k in 0..if skip { 0 } else { 330 } {
                let t = Instant::now();
                let _ = $e;
                if k >= 30 {
                    ms.push(t.elapsed().as_secs_f64() * 1000.0);
                }
            }
            direct.push(super::timing($name, ms, ""));
        }};
    }
    let f = cs::CommentFilter { part: Some("d1"), ..Default::default() };
    time!("A: cs::get", cs::get(&ctx.store, a_id).await.map_err(|e| e.to_string())?);
    time!("A: cs::parts (5 articles, 20 parts)", cs::parts(&ctx.store, a_id, 1).await.map_err(|e| e.to_string())?);
    time!("A: cs::counts", cs::counts(&ctx.store, a_id).await.map_err(|e| e.to_string())?);
    time!("A: cs::comments (101 of d1)", cs::comments(&ctx.store, a_id, &f, 0, 101).await.map_err(|e| e.to_string())?);
    time!("B: cs::parts (50 articles, 200 parts)", cs::parts(&ctx.store, b_id, 1).await.map_err(|e| e.to_string())?);
    time!("B: cs::counts", cs::counts(&ctx.store, b_id).await.map_err(|e| e.to_string())?);
    time!("B: cs::versions", cs::versions(&ctx.store, b_id).await.map_err(|e| e.to_string())?);
    time!("B: cs::statements", cs::statements(&ctx.store, b_id, Some("approved")).await.map_err(|e| e.to_string())?);
    time!("B: cs::analysis", cs::analysis(&ctx.store, b_id).await.map_err(|e| e.to_string())?);
    let state = crate::web::AppState::new(ctx.clone()).await?;
    state.cache.set_enabled(false);
    let router = crate::web::routes::app(state);
    for (name, path) in [
        ("A: GET article page (100 comments), whole request in process", format!("/consultations/{a_id}/parts/d1")),
        ("B: GET consultation page, whole request in process", format!("/consultations/{b_id}")),
        ("B: GET article page, whole request in process", format!("/consultations/{b_id}/parts/d7")),
    ] {
        use tower::ServiceExt;
        time!(name, {
            let mut req = axum::http::Request::builder().uri(&path).body(axum::body::Body::empty()).map_err(|e| e.to_string())?;
            req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 40000))));
            let r = router.clone().oneshot(req).await.map_err(|e| e.to_string())?;
            axum::body::to_bytes(r.into_body(), usize::MAX).await.map_err(|e| e.to_string())?
        });
    }
    drop(ctx);

    // 3. HTTP runs, page cache off (every request is rendered).
    let env = [("DANCHU_PAGE_CACHE_POLL_MS", "0"), ("DANCHU_TRUST_FORWARDED_FOR", "true"), ("DANCHU_RUN_JOBS", "false")];
    let (server, _) = start_server(&data, a.postgres.as_deref(), a.port, &env)?;
    let pid = server.child.id();
    let mut results = Vec::new();
    let hz = wrk_run(a, pid, &data, "healthz", "/healthz", &[], 4)?;
    let healthz = hz.rps;
    results.push(hz);
    let b_first = first_comment_id(&data, a, b_id).await?;
    let cursors: Vec<String> = (0..200).map(|k| format!("/consultations/{b_id}/comments?sau={}", b_first + (k * 97) % 19_900)).collect();
    let parts: Vec<String> = (1..=50).map(|k| format!("/consultations/{b_id}/parts/d{k}")).collect();
    let runs: Vec<(String, String, Vec<String>, u32)> = vec![
        ("A: article page with its 100 comments, 1 connection".into(), format!("/consultations/{a_id}/parts/d1"), vec![], 1),
        ("A: article page with its 100 comments, 4 connections".into(), format!("/consultations/{a_id}/parts/d1"), vec![], 4),
        ("B: consultation page (50 articles, counts, statements, map)".into(), format!("/consultations/{b_id}"), vec![], 4),
        ("B: comments, 200 random pages of 100".into(), format!("/consultations/{b_id}/comments"), cursors, 4),
        ("B: article pages, 50 at random (first 100 of 400 comments)".into(), format!("/consultations/{b_id}/parts/d1"), parts, 4),
        ("B: statements page".into(), format!("/consultations/{b_id}/statements"), vec![], 4),
    ];
    for (name, path, paths, conns) in runs.into_iter().filter(|_| !a.intake_only) {
        for _ in 0..20 {
            let _ = super::http_get(a.port, &path);
        }
        let mut r = wrk_run(a, pid, &data, &name, &path, &paths, conns)?;
        r.ratio_to_healthz = if healthz > 0.0 { r.rps / healthz } else { 0.0 };
        eprintln!(
            "  {:<62} {:>7.0} req/s  p50 {:>6.2}  p95 {:>6.2}  p99 {:>6.2} ms  cpu {:.3} ms/req",
            r.name, r.rps, r.p50_ms, r.p95_ms, r.p99_ms, r.cpu_ms_per_req
        );
        results.push(r);
    }

    // 4. Intake: anonymous comments posted as fast as the server takes them.
    let token = "b".repeat(64);
    let before = count_comments(&data, a, c_id).await?;
    let script = data.join("bench-intake.lua");
    let mut intake_results = Vec::new();
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    for conns in [8u32, 32] {
        std::fs::write(&script, intake_script(c_id, &token, &format!("{stamp}-{conns}"))).map_err(|e| e.to_string())?;
        let cpu0 = cpu_ms(pid);
        let out = Command::new("wrk")
            .arg(format!("-t{}", a.threads))
            .arg(format!("-c{conns}"))
            .arg(format!("-d{}s", a.duration))
            .arg("--latency")
            .arg("-s")
            .arg(&script)
            .arg(format!("http://127.0.0.1:{}/consultations/{c_id}/comments", a.port))
            .output()
            .map_err(|e| format!("wrk: {e}"))?;
        let cpu1 = cpu_ms(pid);
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let p99 = text.lines().find_map(|l| l.trim().strip_prefix("99%")).map(super::parse_ms).unwrap_or(0.0);
        let mut statuses: Vec<(u16, u64)> = text
            .lines()
            .filter_map(|l| l.strip_prefix("STATUS "))
            .filter_map(|l| l.split_once(' ').and_then(|(a, b)| Some((a.parse().ok()?, b.trim().parse().ok()?))))
            .collect();
        statuses.sort();
        let acknowledged = statuses.iter().filter(|(st, _)| *st == 303).map(|(_, n)| n).sum::<u64>();
        let other = statuses.iter().filter(|(st, _)| *st != 303).map(|(st, n)| format!("{st}: {n}")).collect::<Vec<_>>().join(", ");
        let errors = text.lines().find(|l| l.contains("Socket errors")).unwrap_or("").trim().to_string();
        let note = [other, errors].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join("; ");
        intake_results.push((
            conns,
            acknowledged,
            acknowledged as f64 / a.duration as f64,
            p99,
            (cpu1 - cpu0) / acknowledged.max(1) as f64,
            note,
        ));
    }
    drop(server);
    let after = count_comments(&data, a, c_id).await?;
    let acknowledged: u64 = intake_results.iter().map(|r| r.1).sum();

    println!(
        "\n| run | conns | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/req | non-2xx |\n|---|---:|---:|---:|---:|---:|---:|---:|"
    );
    for r in &results {
        println!(
            "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.3} | {} |",
            r.name, r.connections, r.rps, r.p50_ms, r.p95_ms, r.p99_ms, r.cpu_ms_per_req, r.non_2xx
        );
    }
    println!("\n| intake run | conns | comments acknowledged (303) | comments/s | p99 ms | server CPU ms/comment | other answers |\n|---|---:|---:|---:|---:|---:|---|");
    for (conns, requests, rps, p99, cpu, errors) in &intake_results {
        println!("| POST /consultations/{c_id}/comments | {conns} | {requests} | {rps:.0} | {p99:.2} | {cpu:.3} | {errors} |");
    }
    println!(
        "\nintake check: {acknowledged} comments acknowledged (303), {} stored ({})",
        after - before,
        if after - before >= acknowledged as i64 { "ok: every acknowledged comment is in the database" } else { "MISSING" }
    );
    if after - before < acknowledged as i64 {
        return Err("comments acknowledged but not stored".into());
    }
    let json = serde_json::json!({
        "backend": backend,
        "regroup_seconds": regroup,
        "analysis_seconds": analysis,
        "runs": results,
        "intake": intake_results.iter().map(|r| serde_json::json!({"connections": r.0, "requests": r.1, "rps": r.2, "p99_ms": r.3, "cpu_ms": r.4})).collect::<Vec<_>>(),
    });
    let out = data.join("bench-results-consultations.json");
    std::fs::write(&out, serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    println!("results written to {}", out.display());
    Ok(())
}

async fn open_ctx(data: &Path, a: &BenchArgs) -> Result<Ctx, String> {
    Ctx::open(Config {
        data_dir: data.to_path_buf(),
        database_url: crate::config::Secret(a.postgres.clone().unwrap_or_default()),
        demo_data: false,
        run_jobs: false,
        ..Config::default()
    })
    .await
}

async fn first_comment_id(data: &Path, a: &BenchArgs, id: i64) -> Result<i64, String> {
    let ctx = open_ctx(data, a).await?;
    let rows = cs::comments(&ctx.store, id, &cs::CommentFilter::default(), 0, 1).await.map_err(|e| e.to_string())?;
    Ok(rows.first().map(|r| r.id).unwrap_or(0))
}

/// The comments stored, recounted from the rows (not the roll-up).
async fn count_comments(data: &Path, a: &BenchArgs, id: i64) -> Result<i64, String> {
    let ctx = open_ctx(data, a).await?;
    let mut tx = ctx.store.write().await.map_err(|e| e.to_string())?;
    cs::recount(&mut tx, id).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(cs::counts(&ctx.store, id).await.map_err(|e| e.to_string())?.get("comments").copied().unwrap_or(0))
}
