//! Reliability of online voting under `kill -9` (R2.14; issue "Reliability"):
//! the real server binary takes thousands of ballots from many concurrent
//! clients and is killed without warning several times during the intake,
//! then restarted. Every client retries an unanswered ballot with the same
//! `Idempotency-Key` until it is answered. Afterwards every acknowledged
//! ballot is stored exactly once — the participation list, the urn and the
//! counters agree — a replayed key gives the receipt first given, and
//! nothing is counted twice.

use crate::harness::{fresh_database_url, TempDir};
use danchu::config::{Config, Secret};
use danchu::context::Ctx;
use danchu::decision::{self as svc, NewDecision};
use danchu_domain::decision::{Form, FormFacts, Scope, Subject};
use danchu_store::decisions as ds;
use danchu_store::Backend;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Ballots of the run (households of the village).
const BALLOTS: usize = 3_000;
/// Concurrent clients.
const CLIENTS: usize = 16;
/// Kills during the intake, at these fractions of the acknowledged ballots.
const KILLS: [usize; 4] = [1, 2, 3, 4];

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
        .env("DANCHU_LOG_LEVEL", "error")
        .env("DANCHU_RUN_JOBS", "false")
        .env("DANCHU_TRUST_FORWARDED_FOR", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
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

/// One POST of a ballot: `Some((status, body))` if an answer came back,
/// `None` if the connection failed or broke (the server was killed).
/// Each household posts from its own address (`X-Forwarded-For`): the
/// per-address write limit is not what this test is about.
fn post_vote(port: u16, id: i64, token: &str, key: &str, choice: &str, household: usize) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let body = format!("{{\"choice\":\"{choice}\"}}");
    let req = format!(
        "POST /api/v1/decisions/{id}/votes HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n\
         Authorization: Bearer {token}\r\nIdempotency-Key: {key}\r\nX-Forwarded-For: 10.9.{}.{}\r\nContent-Length: {}\r\n\r\n{body}",
        household / 250,
        household % 250 + 1,
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let status: u16 = text.get(9..12)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Some((status, body))
}

fn receipt_of(body: &str) -> String {
    // Chunked or not, the JSON is on one line.
    let i = body.find("\"receipt\":\"").expect("a receipt") + "\"receipt\":\"".len();
    body[i..i + 19].to_string()
}

const CHOICES: [&str; 3] = ["agree", "disagree", "other"];

struct Setup {
    id: i64,
    village: i64,
    /// (household, token), by household.
    voters: Vec<(i64, String)>,
}

async fn set_up(dir: &TempDir, url: &str) -> Setup {
    let ctx = Ctx::open(Config {
        data_dir: dir.0.clone(),
        database_url: Secret(url.to_string()),
        demo_data: true,
        run_jobs: false,
        db_max_connections: 4,
        ..Config::default()
    })
    .await
    .expect("open");
    danchu::seed::load_official_units(&ctx.store).await.expect("units");
    danchu::server::prepare(&ctx).await.expect("prepare");
    danchu::demo::create_villages(&ctx, "14797", &["Chịu Lỗi".to_string()]).await.unwrap();
    let commune = danchu_store::units::by_code(&ctx.store, danchu_domain::units::Era::Current, "14797").await.unwrap().unwrap();
    let village = danchu_store::units::children(&ctx.store, commune.id)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.unit.name.contains("Chịu Lỗi"))
        .unwrap()
        .unit;
    let today = danchu::web::chrome::today_vn();
    let mut tx = ctx.store.write().await.unwrap();
    ds::bench_households(&mut tx, commune.id, village.id, "CRASH-", BALLOTS as i64, &today.to_string()).await.unwrap();
    tx.commit().await.unwrap();
    let id = svc::create(
        &ctx,
        &NewDecision {
            commune_id: commune.id,
            scope: Scope::Village,
            village_id: Some(village.id),
            subject: Subject::Other,
            title: "Thử chịu lỗi".into(),
            question: "Đồng ý không?".into(),
            content: String::new(),
            form: Form::OnlineVote,
            facts: FormFacts { meeting_lacked_attendance: false, head_and_front_agree: true },
            secret: true,
            decision_date: today,
            redo_of: None,
            is_demo: true,
            created_by: None,
        },
    )
    .await
    .unwrap();
    let now = danchu_store::now_ms();
    svc::open(&ctx, id, now - 3_600_000, now + 3_600_000).await.unwrap();
    let households = ds::decision_households(&ctx.store, id, BALLOTS as i64 + 1).await.unwrap();
    assert_eq!(households.len(), BALLOTS);
    let voters: Vec<(i64, String)> = households.iter().map(|(h, _)| (*h, danchu::keys::random_token(32))).collect();
    let keys: Vec<(String, ds::VotingKey)> = voters
        .iter()
        .zip(&households)
        .map(|((h, t), (_, v))| (svc::voting_key_hash(t, id), ds::VotingKey { decision_id: id, household_id: *h, village_id: *v }))
        .collect();
    let mut tx = ctx.store.write().await.unwrap();
    ds::add_voting_keys(&mut tx, &keys, now + 3_600_000).await.unwrap();
    tx.commit().await.unwrap();
    ctx.store.close().await;
    Setup { id, village: village.id, voters }
}

/// What the clients saw.
#[derive(Default)]
struct Seen {
    /// household → the receipt of its first acknowledgement.
    receipts: BTreeMap<i64, String>,
    /// Answers lost to a kill (retried with the same key).
    lost: usize,
    /// Acknowledgements that were replays (201 lost, 200 on the retry).
    replayed: usize,
    kills: usize,
}

async fn ballots_survive_kill_9(backend: Backend) {
    let dir = TempDir::new("dvote-kill9");
    let url = fresh_database_url(backend, &dir).await;
    let setup = set_up(&dir, &url).await;
    let data = dir.0.clone();
    let (id, voters) = (setup.id, Arc::new(setup.voters));
    let url2 = url.clone();
    let seen = tokio::task::spawn_blocking(move || {
        let port = free_port();
        let server = Arc::new(Mutex::new(Some(start(&data, &url2, port))));
        let seen = Arc::new(Mutex::new(Seen::default()));
        let acked = Arc::new(AtomicUsize::new(0));
        let mut clients = Vec::new();
        for c in 0..CLIENTS {
            let (voters, seen, acked) = (voters.clone(), seen.clone(), acked.clone());
            clients.push(std::thread::spawn(move || {
                for (i, (h, token)) in voters.iter().enumerate().filter(|(i, _)| i % CLIENTS == c) {
                    let key = format!("crash-{id}-{h}-{i:08}");
                    let choice = CHOICES[i % 3];
                    let t = Instant::now();
                    loop {
                        assert!(t.elapsed() < Duration::from_secs(180), "household {h}: no answer in 3 minutes");
                        match post_vote(port, id, token, &key, choice, i) {
                            Some((201, body)) | Some((200, body)) => {
                                let r = receipt_of(&body);
                                let mut s = seen.lock().unwrap();
                                if body.contains("\"replayed\":true") {
                                    s.replayed += 1;
                                }
                                if let Some(prev) = s.receipts.insert(*h, r.clone()) {
                                    panic!("household {h} acknowledged twice ({prev}, {r})");
                                }
                                acked.fetch_add(1, Ordering::SeqCst);
                                break;
                            }
                            Some((status, body)) => panic!("household {h}: {status} {body}"),
                            None => {
                                seen.lock().unwrap().lost += 1;
                                std::thread::sleep(Duration::from_millis(25));
                            }
                        }
                    }
                }
            }));
        }
        // The killer: kill -9 at a quarter, a half, … of the intake, then
        // restart at once on the same port.
        let mut kills = 0;
        for k in KILLS {
            while acked.load(Ordering::SeqCst) < BALLOTS * k / (KILLS.len() + 1) {
                std::thread::sleep(Duration::from_millis(2));
            }
            let mut guard = server.lock().unwrap();
            if let Some(mut child) = guard.take() {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                kills += 1;
            }
            *guard = Some(start(&data, &url2, port));
        }
        for c in clients {
            c.join().expect("client");
        }
        if let Some(mut child) = server.lock().unwrap().take() {
            child.kill().unwrap();
            let _ = child.wait();
        }
        let mut s = std::mem::take(&mut *seen.lock().unwrap());
        s.kills = kills;
        s
    })
    .await
    .unwrap();
    assert!(seen.kills >= 3, "killed {} times", seen.kills);
    assert_eq!(seen.receipts.len(), BALLOTS, "every ballot ends acknowledged");
    eprintln!(
        "{}: {} ballots acknowledged, {} kills, {} answers lost and retried, {} acknowledged as replays",
        backend.name(),
        seen.receipts.len(),
        seen.kills,
        seen.lost,
        seen.replayed
    );

    // The database, read after the last kill.
    let ctx = Ctx::open(Config {
        data_dir: dir.0.clone(),
        database_url: Secret(url),
        demo_data: false,
        run_jobs: false,
        db_max_connections: 2,
        ..Config::default()
    })
    .await
    .expect("reopen");
    let (voters_n, ballots_n, counted) = ds::evidence_totals(&ctx.store, id).await.unwrap();
    assert_eq!((voters_n, ballots_n, counted), (BALLOTS as i64, BALLOTS as i64, BALLOTS as i64), "voters, urn and counters");
    let listed: BTreeSet<i64> =
        ds::participation(&ctx.store, id, None, 0, BALLOTS as i64 + 10).await.unwrap().into_iter().map(|p| p.household_id).collect();
    let acked: BTreeSet<i64> = seen.receipts.keys().copied().collect();
    assert_eq!(listed, acked, "the participation list is exactly the acknowledged households");
    // The counters per choice are what the clients sent (each once), and
    // equal the recount from the urn.
    let live = ds::live_village_counts(&ctx.store, id, setup.village).await.unwrap();
    let expect = |k: usize| (0..BALLOTS).filter(|i| i % 3 == k).count() as u64;
    assert_eq!((live.agree, live.disagree, live.other), (expect(0), expect(1), expect(2)));
    assert_eq!(ds::recount(&ctx.store, id).await.unwrap().get(&setup.village).copied().unwrap_or_default(), live);
    // Every receipt handed out is in the urn.
    for (h, r) in &seen.receipts {
        assert!(ds::receipt_counted(&ctx.store, id, r).await.unwrap(), "household {h}: receipt {r} not in the urn");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r2_14_acknowledged_ballots_survive_repeated_kill_9_exactly_once_sqlite() {
    ballots_survive_kill_9(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r2_14_acknowledged_ballots_survive_repeated_kill_9_exactly_once_postgres() {
    ballots_survive_kill_9(Backend::Postgres).await;
}
