//! Community decisions, the citizens' side, through the real router on
//! both backends: the public pages, online voting by a household
//! representative verified against the registry (R2.14), receipts, the
//! refusals with their legal reason, CSRF, and the JSON API.

use crate::both;
use crate::harness::{Client, Resp, TestApp};
use axum::http::StatusCode;
use danchu::decision::{self as svc, NewDecision};
use danchu_domain::cccd::Cccd;
use danchu_domain::decision::{Form, FormFacts, Scope, Subject};
use danchu_store::decisions as ds;
use danchu_store::households::{self, NewHousehold, NewMember};
use danchu_store::units;
use std::collections::HashMap;

const HOUR: i64 = 3_600_000;

fn today() -> chrono::NaiveDate {
    danchu::web::chrome::today_vn()
}

/// A household's member that can prove membership: citizen ID and birth
/// date as typed in the form.
#[derive(Clone)]
struct Member {
    cccd: String,
    birth: String,
    code: String,
}

/// A new village of commune 14797 with `n` households whose first member
/// has a citizen ID (serials from `serial`), from today.
async fn village_with(app: &TestApp, name: &str, n: usize, serial: u32) -> (i64, i64, Vec<Member>) {
    danchu::demo::create_villages(&app.ctx, "14797", &[name.to_string()]).await.unwrap();
    let commune = units::get(app.store(), app.unit_id("14797").await).await.unwrap();
    let village = units::children(app.store(), commune.id).await.unwrap().into_iter().find(|u| u.unit.name.contains(name)).unwrap().unit;
    let key = app.keys().cccd();
    let mut members = Vec::new();
    let plan: Vec<NewHousehold> = (0..n)
        .map(|i| {
            let cccd = format!("038180{:06}", serial + i as u32);
            let code = format!("DQ{}-{i:03}", village.id);
            members.push(Member { cccd: cccd.clone(), birth: "01/01/1980".into(), code: code.clone() });
            let c = Cccd::parse(&cccd).unwrap();
            NewHousehold {
                code,
                village_id: village.id,
                address: format!("Số {i}"),
                members: vec![NewMember {
                    full_name: format!("Người Biểu Quyết {i}"),
                    birth_date: "1980-01-01".into(),
                    relation: "Chủ hộ".into(),
                    is_head: true,
                    cccd_hash: Some(c.keyed_hash(&key)),
                    cccd_last4: Some(cccd[8..].to_string()),
                }],
                representative: 0,
            }
        })
        .collect();
    let vmap: HashMap<i64, units::Unit> = [(village.id, village.clone())].into_iter().collect();
    let mut tx = app.store().write().await.unwrap();
    households::apply_import(&mut tx, &commune, &vmap, &plan, &today().to_string(), true).await.unwrap();
    tx.commit().await.unwrap();
    (commune.id, village.id, members)
}

/// An online vote (subject 6) in `village`, open around now.
async fn online_vote(app: &TestApp, commune: i64, village: i64, secret: bool) -> i64 {
    let id = svc::create(
        &app.ctx,
        &NewDecision {
            commune_id: commune,
            scope: Scope::Village,
            village_id: Some(village),
            subject: Subject::Other,
            title: "Lắp đèn chiếu sáng ngõ 5".into(),
            question: "Hộ gia đình có đồng ý lắp đèn chiếu sáng ngõ 5 không?".into(),
            content: "Mỗi hộ đóng góp theo thỏa thuận.".into(),
            form: Form::OnlineVote,
            facts: FormFacts { meeting_lacked_attendance: false, head_and_front_agree: true },
            secret,
            decision_date: today(),
            redo_of: None,
            is_demo: true,
            created_by: None,
        },
    )
    .await
    .unwrap();
    let now = danchu_store::now_ms();
    svc::open(&app.ctx, id, now - HOUR, now + HOUR).await.unwrap();
    id
}

/// Verifies `m` on a client and returns the vote form page.
async fn verify(c: &Client, id: i64, m: &Member) -> Resp {
    let page = c.get(&format!("/decisions/{id}/vote")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let csrf = page.input("csrf");
    let r = c.post_form(&format!("/decisions/{id}/verify"), &[("csrf", &csrf), ("cccd", &m.cccd), ("birth", &m.birth)]).await;
    if r.status != StatusCode::SEE_OTHER {
        return r;
    }
    assert_eq!(r.location(), format!("/decisions/{id}/vote"));
    c.get(&format!("/decisions/{id}/vote")).await
}

/// The receipt code shown on a receipt page.
fn receipt(r: &Resp) -> String {
    let i = r.text.find("<output>").unwrap_or_else(|| panic!("no receipt in {}", r.text)) + "<output>".len();
    r.text[i..i + r.text[i..].find('<').unwrap()].to_string()
}

async fn vote(c: &Client, id: i64, form: &Resp, choice: &str, idem: &str) -> Resp {
    c.post_form(&format!("/decisions/{id}/vote"), &[("csrf", &form.input("csrf")), ("idem", idem), ("choice", choice)]).await
}

both!(r2_14_household_votes_once_retry_gets_same_receipt_second_device_refused, |app| {
    let (commune, village, members) = village_with(&app, "Biểu Quyết Một", 5, 1).await;
    let id = online_vote(&app, commune, village, false).await;
    let phone = app.client();
    let form = verify(&phone, id, &members[0]).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("name=\"choice\" value=\"agree\""), "the vote form: {}", form.text);
    let idem = form.input("idem");
    assert!(idem.len() >= 16);
    let first = vote(&phone, id, &form, "agree", &idem).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let code = receipt(&first);
    assert_eq!(code.len(), 19, "XXXX-XXXX-XXXX-XXXX: {code}");
    // A retry or double click with the same key: the same receipt, no
    // second vote.
    let again = vote(&phone, id, &form, "agree", &idem).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(receipt(&again), code);
    assert!(again.text.contains("đã được ghi nhận từ trước"));
    // A second device of the same household: "đã biểu quyết" with the
    // legal reason, on the page and on a submission.
    let mut other = app.client();
    other.ip = "203.0.113.8".into();
    let page = verify(&other, id, &members[0]).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.text);
    assert!(page.text.contains("đã biểu quyết") && page.text.contains("C0.3"), "{}", page.text);
    let csrf = other.get(&format!("/decisions/{id}/receipt")).await.input("csrf");
    let second = other
        .post_form(&format!("/decisions/{id}/vote"), &[("csrf", &csrf), ("idem", "second-device-key-0001"), ("choice", "disagree")])
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.text);
    assert!(second.text.contains("đã biểu quyết"));
    // Exactly one vote: voters, urn and counters agree.
    assert_eq!(ds::evidence_totals(app.store(), id).await.unwrap(), (1, 1, 1));
    let counts = ds::live_village_counts(app.store(), id, village).await.unwrap();
    assert_eq!((counts.agree, counts.disagree), (1, 0));
    // The public page: live counts, the household in the participation
    // list with its (open) vote, the chart.
    let show = app.client().get(&format!("/decisions/{id}")).await;
    assert_eq!(show.status, StatusCode::OK);
    assert!(show.text.contains(&members[0].code), "participation list: {}", show.text);
    assert!(show.text.contains("<td>Đồng ý</td>"), "an open vote shows the choice");
    assert!(show.text.contains("<svg") && show.text.contains("trên 50%"), "chart and threshold: {}", show.text);
    assert!(!show.text.contains(&members[0].cccd), "never a citizen ID");
});

both!(r2_14_vote_after_closing_is_refused_with_the_reason, |app| {
    let (commune, village, members) = village_with(&app, "Biểu Quyết Hai", 3, 101).await;
    let id = online_vote(&app, commune, village, false).await;
    let phone = app.client();
    let form = verify(&phone, id, &members[0]).await;
    assert_eq!(form.status, StatusCode::OK);
    let d = svc::load(&app.ctx, id).await.unwrap();
    svc::close(&app.ctx, id, d.closes_at.unwrap()).await.unwrap();
    let late = vote(&phone, id, &form, "agree", &form.input("idem")).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.text);
    assert!(late.text.contains("R2.14"), "{}", late.text);
    assert_eq!(ds::evidence_totals(app.store(), id).await.unwrap(), (0, 0, 0));
    let page = app.client().get(&format!("/decisions/{id}/vote")).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    // Frozen: the public page says so, and is served from the cache with
    // an ETag for anonymous visitors.
    let show = app.client().get(&format!("/decisions/{id}")).await;
    assert_eq!(show.status, StatusCode::OK);
    assert!(show.text.contains("Kết quả đã được chốt") && show.text.contains("Không thông qua"), "{}", show.text);
    assert!(show.headers.get("etag").is_some(), "a frozen decision's page is cached");
});

both!(r2_14_vote_before_opening_is_refused, |app| {
    let (commune, village, members) = village_with(&app, "Biểu Quyết Ba", 3, 201).await;
    let id = svc::create(
        &app.ctx,
        &NewDecision {
            commune_id: commune,
            scope: Scope::Village,
            village_id: Some(village),
            subject: Subject::Other,
            title: "Chưa mở".into(),
            question: "Đồng ý không?".into(),
            content: String::new(),
            form: Form::OnlineVote,
            facts: FormFacts { meeting_lacked_attendance: false, head_and_front_agree: true },
            secret: false,
            decision_date: today(),
            redo_of: None,
            is_demo: true,
            created_by: None,
        },
    )
    .await
    .unwrap();
    let now = danchu_store::now_ms();
    svc::open(&app.ctx, id, now + HOUR, now + 2 * HOUR).await.unwrap();
    let c = app.client();
    let r = c.get(&format!("/decisions/{id}/vote")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("chưa nhận phiếu"), "{}", r.text);
    // Nor through the form of a page opened earlier, nor through the API.
    let csrf = c.get(&format!("/decisions/{id}/receipt")).await.input("csrf");
    let r =
        c.post_form(&format!("/decisions/{id}/verify"), &[("csrf", &csrf), ("cccd", &members[0].cccd), ("birth", &members[0].birth)]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let body = serde_json::json!({"cccd": members[0].cccd, "birth": "01/01/1980"}).to_string();
    let r = c.post_raw(&format!("/api/v1/decisions/{id}/voting-token"), "application/json", body.into_bytes(), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("chưa nhận phiếu"), "{}", r.text);
});

both!(c0_3_household_of_another_village_is_refused, |app| {
    let (commune, village, _) = village_with(&app, "Biểu Quyết Bốn", 3, 301).await;
    let (_, _, outsiders) = village_with(&app, "Làng Bên", 2, 401).await;
    let id = online_vote(&app, commune, village, false).await;
    let c = app.client();
    let r = verify(&c, id, &outsiders[0]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert!(r.text.contains("không có trong danh sách hộ gia đình"), "{}", r.text);
    assert!(c.cookie(danchu::web::pages::decisions::VOTE_COOKIE).is_none(), "no voting key for an outsider");
    // A citizen ID nobody has: no match, counted as a failed attempt.
    let nobody = Member { cccd: "038180999999".into(), birth: "01/01/1980".into(), code: String::new() };
    let r = verify(&c, id, &nobody).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("Không tìm thấy"));
});

both!(r2_14_receipt_check_says_only_whether_counted_and_secret_list_hides_choices, |app| {
    let (commune, village, members) = village_with(&app, "Biểu Quyết Năm", 4, 501).await;
    let id = online_vote(&app, commune, village, true).await;
    let phone = app.client();
    let form = verify(&phone, id, &members[1]).await;
    let code = receipt(&vote(&phone, id, &form, "agree", &form.input("idem")).await);
    let checker = app.client();
    let page = checker.get(&format!("/decisions/{id}/receipt")).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.input("csrf");
    let ok = checker.post_form(&format!("/decisions/{id}/receipt"), &[("csrf", &csrf), ("ma", &code.to_lowercase())]).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert!(ok.text.contains("đã được tính vào kết quả") && !ok.text.contains("Đồng ý"), "counted, and nothing of the choice");
    let bad = checker.post_form(&format!("/decisions/{id}/receipt"), &[("csrf", &csrf), ("ma", "ABCD-EFGH-JKLM-NPQR")]).await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND);
    assert!(bad.text.contains("Không có phiếu nào"));
    // The participation list of a secret vote: who, never how.
    let show = app.client().get(&format!("/decisions/{id}")).await;
    assert!(show.text.contains(&members[1].code), "{}", show.text);
    assert!(show.text.contains("Biểu quyết kín: danh sách cho biết hộ nào"));
    assert!(!show.text.contains("<td>Đồng ý</td>"), "a secret vote's list shows no choice");
    let rows = ds::participation(app.store(), id, None, 0, 10).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].choice, None, "the voter row of a secret vote holds no choice");
});

both!(csrf_is_required_to_verify_and_to_vote, |app| {
    let (commune, village, members) = village_with(&app, "Biểu Quyết Sáu", 2, 601).await;
    let id = online_vote(&app, commune, village, false).await;
    let c = app.client();
    let _ = c.get(&format!("/decisions/{id}/vote")).await;
    let r = c
        .post_form(
            &format!("/decisions/{id}/verify"),
            &[("csrf", &"x".repeat(64)), ("cccd", &members[0].cccd), ("birth", &members[0].birth)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert!(c.cookie(danchu::web::pages::decisions::VOTE_COOKIE).is_none());
    let form = verify(&c, id, &members[0]).await;
    assert_eq!(form.status, StatusCode::OK);
    let r = c.post_form(&format!("/decisions/{id}/vote"), &[("idem", &form.input("idem")), ("choice", "agree")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(ds::evidence_totals(app.store(), id).await.unwrap(), (0, 0, 0), "nothing written without the token");
    let ok = vote(&c, id, &form, "agree", &form.input("idem")).await;
    assert_eq!(ok.status, StatusCode::OK, "the same form with its token is accepted");
});

both!(r2_14_api_votes_once_per_household_with_idempotency_key, |app| {
    let (commune, village, members) = village_with(&app, "Biểu Quyết Bảy", 3, 701).await;
    let id = online_vote(&app, commune, village, false).await;
    let c = app.client();
    let body = serde_json::json!({"cccd": members[2].cccd, "birth": "1980-01-01"}).to_string();
    let t = c.post_raw(&format!("/api/v1/decisions/{id}/voting-token"), "application/json", body.into_bytes(), &[]).await;
    assert_eq!(t.status, StatusCode::CREATED, "{}", t.text);
    let token = t.json()["token"].as_str().unwrap().to_string();
    let auth = format!("Bearer {token}");
    let path = format!("/api/v1/decisions/{id}/votes");
    let vote = |key: &'static str, choice: &'static str| {
        let c = c.clone();
        let auth = auth.clone();
        let path = path.clone();
        async move {
            let body = serde_json::json!({ "choice": choice }).to_string();
            c.post_raw(&path, "application/json", body.into_bytes(), &[("Authorization", auth.as_str()), ("Idempotency-Key", key)]).await
        }
    };
    let none = c.post_raw(&path, "application/json", br#"{"choice":"agree"}"#.to_vec(), &[("Idempotency-Key", "k-0000000000000001")]).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    let first = vote("api-key-00000000001", "disagree").await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let retry = vote("api-key-00000000001", "disagree").await;
    assert_eq!(retry.status, StatusCode::OK);
    assert_eq!(retry.json()["receipt"], first.json()["receipt"]);
    assert_eq!(retry.json()["replayed"], true);
    let second = vote("api-key-00000000002", "agree").await;
    assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.text);
    let result = app.client().get(&format!("/api/v1/decisions/{id}/result")).await;
    assert_eq!(result.status, StatusCode::OK, "{}", result.text);
    let j = result.json();
    assert_eq!(j["villages"][0]["households"], 3);
    assert_eq!(j["villages"][0]["disagree"], 1);
    assert_eq!(j["villages"][0]["agree"], 0);
    assert_eq!(j["villages"][0]["required"], 2, "more than half of 3 households is 2");
    assert_eq!(j["frozen"], false);
    let list = app.client().get("/units/14797/decisions").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text.contains(&format!("/decisions/{id}")) && list.text.contains("Đang biểu quyết"), "{}", list.text);
});

both!(r2_14_registry_check_allows_ten_failures_per_address_and_hour, |app| {
    let (commune, village, members) = village_with(&app, "Biểu Quyết Tám", 2, 801).await;
    let id = online_vote(&app, commune, village, false).await;
    let mut guesser = app.client();
    guesser.ip = "198.51.100.20".into();
    let csrf = guesser.get(&format!("/decisions/{id}/vote")).await.input("csrf");
    for k in 0..10 {
        let birth = format!("0{}/02/1980", k % 9 + 1);
        let r =
            guesser.post_form(&format!("/decisions/{id}/verify"), &[("csrf", &csrf), ("cccd", &members[0].cccd), ("birth", &birth)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "attempt {k}: {}", r.text);
    }
    // The right birth date now comes too late from this address …
    let r = guesser
        .post_form(&format!("/decisions/{id}/verify"), &[("csrf", &csrf), ("cccd", &members[0].cccd), ("birth", &members[0].birth)])
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
    // … but not from another one.
    let form = verify(&app.client(), id, &members[0]).await;
    assert_eq!(form.status, StatusCode::OK);
});
