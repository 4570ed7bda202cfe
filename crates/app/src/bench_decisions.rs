//! `danchu bench --scenario decisions` (issue 5): online ballot intake over
//! HTTP, the tally of a commune-wide decision across 1,000,000 households,
//! and a village's result page during intake.
//!
//! On its own database (SQLite in `<dir>/decisions`, or the `--postgres`
//! database) it builds once: 40 villages of 25,000 households (1,000,000) in
//! commune 14797 (households without members: a vote needs the household
//! and its village history only), a commune-wide decision (subject 1, paper
//! household ballots) whose household bases are counted on those 1,000,000
//! households and whose urn holds one ballot per household, and one open
//! online vote per village (subject 6) for the intake runs, each with a
//! voting token per household.
//!
//! Then it measures (b) in process: the tally from the counters and the
//! full recount from the urn; and over HTTP against the release binary:
//! (a) ballots posted with wrk to `POST /api/v1/decisions/{id}/votes` (a
//! new household each, its own `Idempotency-Key`), counted as acknowledged
//! when answered 201, checked durable afterwards (voters = urn = counters ≥
//! acknowledged); (c) a village's result page (`/decisions/{id}?thon=`)
//! measured with a second wrk during the intake.

use super::{start_server, wrk_run, BenchArgs};
use crate::config::Config;
use crate::context::Ctx;
use crate::decision::{self as svc, NewDecision};
use danchu_domain::decision::{Form, FormFacts, Scope, Subject};
use danchu_store::decisions as ds;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const VILLAGES: usize = 40;
const PER_VILLAGE: i64 = 25_000;
const COMMUNE: &str = "14797";
const TALLY_TITLE: &str = "Bench: dân quyết toàn xã (1.000.000 hộ)";
const VOTE_TITLE: &str = "Bench: biểu quyết trực tuyến thôn";

/// The voting token of household index `j` (0-based, in the village) for
/// run `r`: digits only, 64 characters, rebuilt the same way by the wrk
/// script.
fn token(r: usize, j: usize) -> String {
    format!("{r:08}{j:056}")
}

fn e<T: std::fmt::Display>(x: T) -> String {
    x.to_string()
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

fn new_decision(commune: i64, village: Option<i64>, title: &str, subject: Subject, form: Form, secret: bool) -> NewDecision {
    NewDecision {
        commune_id: commune,
        scope: if village.is_some() { Scope::Village } else { Scope::Commune },
        village_id: village,
        subject,
        title: title.to_string(),
        question: "Hộ gia đình có đồng ý không?".into(),
        content: "Dữ liệu đo hiệu năng.".into(),
        form,
        facts: FormFacts { meeting_lacked_attendance: form == Form::HouseholdBallot, head_and_front_agree: true },
        secret,
        decision_date: crate::web::chrome::today_vn(),
        redo_of: None,
        is_demo: true,
        created_by: None,
    }
}

/// The data, built once: villages, households, the commune-wide decision
/// with its ballots, and one open online vote per village with tokens for
/// `runs` runs. Returns (commune-wide decision, [(online vote, village,
/// token series)]).
async fn dataset(ctx: &Ctx, runs: usize) -> Result<(i64, Vec<(i64, i64, usize)>), String> {
    let store = &ctx.store;
    let commune = danchu_store::units::by_code(store, danchu_domain::units::Era::Current, COMMUNE).await.map_err(e)?.ok_or("14797")?;
    let today = crate::web::chrome::today_vn();
    let mut villages: Vec<i64> = danchu_store::units::children(store, commune.id)
        .await
        .map_err(e)?
        .into_iter()
        .filter(|u| u.unit.name.contains("Bench "))
        .map(|u| u.unit.id)
        .collect();
    if villages.len() < VILLAGES {
        let t = Instant::now();
        let names: Vec<String> = (1..=VILLAGES).map(|v| format!("Bench {v:02}")).collect();
        crate::demo::create_villages(ctx, COMMUNE, &names).await?;
        let vs = danchu_store::units::children(store, commune.id).await.map_err(e)?;
        villages = vs.iter().filter(|u| u.unit.name.contains("Bench ")).map(|u| u.unit.id).collect();
        for (k, v) in villages.iter().enumerate() {
            let mut tx = store.write().await.map_err(e)?;
            ds::bench_households(&mut tx, commune.id, *v, &format!("B{k:02}-"), PER_VILLAGE, &today.to_string()).await.map_err(e)?;
            tx.commit().await.map_err(e)?;
        }
        println!("households: {} in {} villages written in {:.1} s", PER_VILLAGE * VILLAGES as i64, VILLAGES, t.elapsed().as_secs_f64());
    }
    villages.sort();
    let list = ds::list_for_unit(store, commune.id, 1000).await.map_err(e)?;
    let tally_id = match list.iter().find(|d| d.title == TALLY_TITLE) {
        Some(d) => d.id,
        None => {
            let t = Instant::now();
            let id = svc::create(
                ctx,
                &new_decision(commune.id, None, TALLY_TITLE, Subject::from_number(1).ok_or("subject 1")?, Form::HouseholdBallot, true),
            )
            .await
            .map_err(|x| format!("{x:?}"))?;
            println!("commune-wide decision created (household bases counted on the decision date): {:.2} s", t.elapsed().as_secs_f64());
            let now = danchu_store::now_ms();
            svc::open(ctx, id, now - 3_600_000, now + 30 * 86_400_000).await.map_err(|x| format!("{x:?}"))?;
            let t = Instant::now();
            let mut n = 0;
            for v in &villages {
                let mut tx = store.write().await.map_err(e)?;
                n += ds::bench_cast_all(&mut tx, id, *v).await.map_err(e)?;
                tx.commit().await.map_err(e)?;
            }
            println!("{n} ballots of the commune-wide decision written in bulk in {:.1} s", t.elapsed().as_secs_f64());
            id
        }
    };
    // One online vote per village, created when first needed; a vote that
    // already has ballots (an earlier run used its tokens) is skipped.
    let mut votes = Vec::new();
    for (r, v) in villages.iter().enumerate() {
        if votes.len() == runs {
            break;
        }
        let title = format!("{VOTE_TITLE} {r}");
        let id = match list.iter().find(|d| d.title == title) {
            Some(d) => d.id,
            None => {
                let id = svc::create(ctx, &new_decision(commune.id, Some(*v), &title, Subject::Other, Form::OnlineVote, true))
                    .await
                    .map_err(|x| format!("{x:?}"))?;
                let now = danchu_store::now_ms();
                svc::open(ctx, id, now - 3_600_000, now + 30 * 86_400_000).await.map_err(|x| format!("{x:?}"))?;
                let hs = ds::decision_households(store, id, PER_VILLAGE + 1).await.map_err(e)?;
                let keys: Vec<(String, ds::VotingKey)> = hs
                    .iter()
                    .enumerate()
                    .map(|(j, (h, vv))| {
                        (svc::voting_key_hash(&token(r, j), id), ds::VotingKey { decision_id: id, household_id: *h, village_id: *vv })
                    })
                    .collect();
                let mut tx = store.write().await.map_err(e)?;
                ds::add_voting_keys(&mut tx, &keys, now + 30 * 86_400_000).await.map_err(e)?;
                tx.commit().await.map_err(e)?;
                id
            }
        };
        if ds::evidence_totals(store, id).await.map_err(e)?.0 == 0 {
            votes.push((id, *v, r));
        }
    }
    Ok((tally_id, votes))
}

/// The intake script: household `j` = (request − 1) × threads + thread, its
/// token rebuilt from (run, j), its own submission key and address.
fn intake_script(id: i64, run: usize, threads: u32) -> String {
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
local function pad(n, w)
  local s = tostring(n)
  return string.rep("0", w - #s) .. s
end
request = function()
  counter = counter + 1
  local j = (counter - 1) * {threads} + (tid - 1)
  local token = pad({run}, 8) .. pad(j, 56)
  local headers = {{}}
  headers["Content-Type"] = "application/json"
  headers["Authorization"] = "Bearer " .. token
  headers["Idempotency-Key"] = "bench-{run}-" .. pad(j, 10)
  headers["X-Forwarded-For"] = "10." .. math.random(250) .. "." .. math.random(250) .. "." .. math.random(250)
  local choice = "agree"
  if j % 3 == 0 then choice = "disagree" end
  return wrk.format("POST", "/api/v1/decisions/{id}/votes", headers, '{{"choice":"' .. choice .. '"}}')
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
        "# danchu benchmark — decisions (issue 5)\n\nmachine: {cores} cores; wrk -t{}; {} s per run; backend: {backend}\n",
        a.threads, a.duration
    );
    let data = a.dir.join(if a.postgres.is_some() { "decisions-pg" } else { "decisions" });
    std::fs::create_dir_all(&data).map_err(e)?;
    let ctx = Ctx::open(Config {
        data_dir: data.clone(),
        database_url: crate::config::Secret(a.postgres.clone().unwrap_or_default()),
        demo_data: false,
        run_jobs: false,
        ..Config::default()
    })
    .await?;
    crate::seed::load_official_units(&ctx.store).await?;
    crate::server::prepare(&ctx).await?;
    let conns: [u32; 2] = [16, 64];
    let t = Instant::now();
    let (tally_id, votes) = dataset(&ctx, conns.len()).await?;
    println!("data ready in {:.1} s (kept in {})", t.elapsed().as_secs_f64(), data.display());

    // (b) The tally of the commune-wide decision, in process.
    let households: i64 = ds::bases(&ctx.store, tally_id).await.map_err(e)?.values().sum();
    let mut tally_ms = Vec::new();
    for _ in 0..21 {
        let t = Instant::now();
        let r = svc::tally(&ctx, tally_id).await.map_err(|x| format!("{x:?}"))?;
        tally_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(r);
    }
    tally_ms.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let mut recount_ms = Vec::new();
    let mut urn = 0u64;
    for _ in 0..3 {
        let t = Instant::now();
        let c = ds::recount(&ctx.store, tally_id).await.map_err(e)?;
        recount_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        urn = c.values().map(|c| c.voted()).sum();
    }
    recount_ms.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let result = svc::tally(&ctx, tally_id).await.map_err(|x| format!("{x:?}"))?;
    println!(
        "(b) tally of the commune-wide decision ({households} households, {urn} ballots in the urn, {} villages): from the counters median {:.2} ms, max {:.2} ms (21 runs); full recount from the urn median {:.0} ms (3 runs); passed: {}",
        VILLAGES,
        tally_ms[tally_ms.len() / 2],
        tally_ms[tally_ms.len() - 1],
        recount_ms[1],
        result.passed()
    );
    drop(ctx);

    // (a) + (c) over HTTP.
    let env = [("DANCHU_TRUST_FORWARDED_FOR", "true"), ("DANCHU_RUN_JOBS", "false")];
    let (server, _) = start_server(&data, a.postgres.as_deref(), a.port, &env)?;
    let pid = server.child.id();
    let mut rows = Vec::new();
    for (r, ((id, village, series), c)) in votes.iter().zip(conns).enumerate() {
        let script = data.join(format!("bench-decisions-intake-{r}.lua"));
        std::fs::write(&script, intake_script(*id, *series, a.threads)).map_err(e)?;
        let cpu0 = super::cpu_ms(pid);
        let intake = Command::new("wrk")
            .arg(format!("-t{}", a.threads))
            .arg(format!("-c{c}"))
            .arg(format!("-d{}s", a.duration))
            .arg("--latency")
            .arg("-s")
            .arg(&script)
            .arg(format!("http://127.0.0.1:{}/api/v1/decisions/{id}/votes", a.port))
            .stdout(std::process::Stdio::piped())
            .spawn()
            .map_err(|x| format!("wrk: {x}"))?;
        // (c) The village's page, 2 connections, during the intake.
        let page = wrk_run(a, pid, &data, "village result page during intake", &format!("/decisions/{id}?thon={village}"), &[], 2)?;
        let out = intake.wait_with_output().map_err(e)?;
        let cpu1 = super::cpu_ms(pid);
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let p99 = text.lines().find_map(|l| l.trim().strip_prefix("99%")).map(super::parse_ms).unwrap_or(0.0);
        let mut statuses: Vec<(u16, u64)> = text
            .lines()
            .filter_map(|l| l.strip_prefix("STATUS "))
            .filter_map(|l| l.split_once(' ').and_then(|(a, b)| Some((a.parse().ok()?, b.trim().parse().ok()?))))
            .collect();
        statuses.sort();
        let acknowledged = statuses.iter().filter(|(s, _)| *s == 201).map(|(_, n)| n).sum::<u64>();
        let other = statuses.iter().filter(|(s, _)| *s != 201).map(|(s, n)| format!("{s}: {n}")).collect::<Vec<_>>().join(", ");
        let ctx = open_ctx(&data, a).await?;
        let after = ds::evidence_totals(&ctx.store, *id).await.map_err(e)?;
        drop(ctx);
        let durable = after.0 >= acknowledged as i64 && after.0 == after.1 && after.1 == after.2;
        if !durable {
            return Err(format!("run {r}: {acknowledged} acknowledged but voters/urn/counters = {after:?}"));
        }
        rows.push((
            c,
            acknowledged,
            acknowledged as f64 / a.duration as f64,
            p99,
            (cpu1 - cpu0) / acknowledged.max(1) as f64,
            other,
            page,
            after,
        ));
    }
    drop(server);
    println!(
        "\n| run | conns | ballots acknowledged (201) | ballots/s | intake p99 ms | server CPU ms/ballot | other answers | village page during intake: req/s, p50, p99 ms | stored (voters, urn, counters) |\n|---|---:|---:|---:|---:|---:|---|---|---|"
    );
    for (c, n, rps, p99, cpu, other, page, after) in &rows {
        println!(
            "| POST /api/v1/decisions/{{id}}/votes | {c} | {n} | {rps:.0} | {p99:.2} | {cpu:.3} | {other} | {:.0}, {:.2}, {:.2} | {after:?} |",
            page.rps, page.p50_ms, page.p99_ms
        );
    }
    let json = serde_json::json!({
        "backend": backend,
        "households": households,
        "tally_ms_median": tally_ms[tally_ms.len() / 2],
        "recount_ms_median": recount_ms[1],
        "intake": rows.iter().map(|r| serde_json::json!({"connections": r.0, "acknowledged": r.1, "rps": r.2, "p99_ms": r.3, "cpu_ms": r.4, "page_p99_ms": r.6.p99_ms, "page_rps": r.6.rps})).collect::<Vec<_>>(),
    });
    let out = data.join("bench-results-decisions.json");
    std::fs::write(&out, serde_json::to_string_pretty(&json).map_err(e)?).map_err(e)?;
    println!("results written to {}", out.display());
    Ok(())
}
