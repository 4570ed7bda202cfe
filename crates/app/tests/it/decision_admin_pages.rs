//! Community decisions (issue 5), the officials' pages through the real
//! router, on SQLite and PostgreSQL: who may act (the unit's subtree, R2.2,
//! CSRF), the form's legal refusals (R2.5, R2.14), the meeting notice
//! (R2.9), the fall-back to household ballots (R2.12, R2.20), the tally
//! entry (R2.13), closing, the sending and recognition clocks (R2.17,
//! R2.18) and annulment with its redo (R2.19, R2.20); every transition
//! idempotent and audited.

use crate::both;
use crate::harness::{Client, Resp, TestApp};
use axum::http::StatusCode;
use chrono::{Days, NaiveDate};
use danchu::web::chrome::today_vn;
use danchu_store::decisions as ds;

const COMMUNE: &str = "14797";
const VILLAGE: &str = "14797.001";
const OTHER_VILLAGE: &str = "14797.002";

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn today() -> String {
    dmy(today_vn())
}

/// `yyyy-mm-ddTHH:MM` in Vietnam time, `hours` from now.
fn local_in(hours: i64) -> String {
    let t = chrono::Utc::now() + chrono::Duration::hours(hours) + chrono::Duration::hours(7);
    t.format("%Y-%m-%dT%H:%M").to_string()
}

fn id_after(r: &Resp, prefix: &str) -> i64 {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let loc = r.location();
    let rest = loc.strip_prefix(prefix).unwrap_or_else(|| panic!("{loc} does not start with {prefix}"));
    rest.split(['?', '/']).next().unwrap().parse().unwrap()
}

/// Posts a form with the session's CSRF token and a fresh submission key.
async fn post(c: &Client, path: &str, idem: &str, fields: &[(&str, &str)]) -> Resp {
    let csrf = c.csrf().await;
    let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str()), ("idem", idem)];
    all.extend_from_slice(fields);
    c.post_form(path, &all).await
}

/// Creates a decision on `unit` (commune or village id) with the form's
/// usual fields; `extra` adds or overrides.
async fn create(c: &Client, unit: i64, idem: &str, extra: &[(&str, &str)]) -> Resp {
    let t = today();
    let mut f: Vec<(&str, &str)> = vec![
        ("title", "Sửa đổi hương ước tổ dân phố"),
        ("question", "Hộ gia đình có đồng ý sửa đổi hương ước không?"),
        ("content", "Bổ sung quy định giữ gìn vệ sinh chung."),
        ("decision_date", t.as_str()),
        ("agreed_front", "1"),
    ];
    for (k, v) in extra {
        f.retain(|(a, _)| *a != *k);
        f.push((*k, *v));
    }
    post(c, &format!("/admin/units/{unit}/decisions"), idem, &f).await
}

/// A village meeting decision on the convention (subject 3, more than half
/// of all households) of 14797.001, created by the commune official.
async fn meeting_decision(app: &TestApp, c: &Client) -> i64 {
    let commune = app.unit_id(COMMUNE).await;
    let village = app.unit_id(VILLAGE).await.to_string();
    let r = create(c, commune, "mk-meeting", &[("subject", "3"), ("scope", "village"), ("village", &village), ("form", "meeting")]).await;
    id_after(&r, "/admin/decisions/")
}

/// A village household-ballot decision (after a meeting without enough
/// attendance), opened with a window that has already ended.
async fn ballot_decision(app: &TestApp, c: &Client, idem: &str) -> i64 {
    let commune = app.unit_id(COMMUNE).await;
    let village = app.unit_id(VILLAGE).await.to_string();
    let r = create(
        c,
        commune,
        idem,
        &[("subject", "3"), ("scope", "village"), ("village", &village), ("form", "household_ballot"), ("lacked", "1")],
    )
    .await;
    let id = id_after(&r, "/admin/decisions/");
    let r = post(
        c,
        &format!("/admin/decisions/{id}/open"),
        &format!("{idem}-open"),
        &[("opens_at", &local_in(-3)), ("closes_at", &local_in(-1))],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    id
}

async fn team(c: &Client, id: i64, village: i64, idem: &str) -> Resp {
    post(
        c,
        &format!("/admin/decisions/{id}/villages/{village}/teams"),
        idem,
        &[("members", "Lê Văn Một\nTrần Thị Hai\nPhạm Văn Ba"), ("witness_1", "Hộ ông Đinh Văn Bốn"), ("witness_2", "Hộ bà Ngô Thị Năm")],
    )
    .await
}

async fn count(c: &Client, id: i64, village: i64, team: i64, idem: &str, code: &str, choice: &str) -> Resp {
    let team = team.to_string();
    post(c, &format!("/admin/decisions/{id}/villages/{village}/count"), idem, &[("code", code), ("choice", choice), ("team", &team)]).await
}

/// Issues the ballots of the village, records a team, counts `agree`
/// ballots as agreeing and closes: returns the team id.
async fn count_and_close(app: &TestApp, c: &Client, id: i64, agree: usize) -> i64 {
    let village = app.unit_id(VILLAGE).await;
    let r = post(c, &format!("/admin/decisions/{id}/villages/{village}/ballots"), &format!("iss-{id}"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(team(c, id, village, &format!("team-{id}")).await.status, StatusCode::SEE_OTHER);
    let team_id = ds::count_teams(app.store(), id).await.unwrap()[0].id;
    let ballots = ds::paper_ballots(app.store(), id, village).await.unwrap();
    for (i, b) in ballots.iter().take(agree).enumerate() {
        let r = count(c, id, village, team_id, &format!("cnt-{id}-{i}"), &b.code.to_lowercase(), "agree").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    }
    let r = post(c, &format!("/admin/decisions/{id}/close"), &format!("close-{id}"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    team_id
}

/// The village's frozen household base on a decision, and the agreeing
/// households "more than half" of it needs (R2.15).
async fn base_and_required(app: &TestApp, id: i64) -> (usize, usize) {
    let village = app.unit_id(VILLAGE).await;
    let h = *ds::bases(app.store(), id).await.unwrap().get(&village).unwrap() as usize;
    (h, h / 2 + 1)
}

async fn status(app: &TestApp, id: i64) -> String {
    ds::get(app.store(), id).await.unwrap().unwrap().status
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    let commune = danchu_store::units::get(app.store(), app.unit_id(COMMUNE).await).await.unwrap();
    danchu_store::audit::list_subtree(app.store(), &commune.path, None, 500).await.unwrap().into_iter().map(|e| e.action).collect()
}

/// Moves a closed decision's closing day (and its sending) into the past.
async fn closed_on(app: &TestApp, id: i64, day: &str) {
    let ms = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap().and_hms_opt(3, 0, 0).unwrap().and_utc().timestamp_millis();
    app.store().execute_admin(&format!("UPDATE decisions SET closed_at = {ms} WHERE id = {id}")).await.unwrap();
}

both!(r2_2_only_the_units_officials_act_and_every_form_needs_csrf, |app| {
    let canbo = app.signed_in("hacthanh.canbo").await;
    let id = meeting_decision(&app, &canbo).await;
    assert_eq!(canbo.get(&format!("/admin/decisions/{id}")).await.status, StatusCode::OK);
    // Another commune's official, a citizen: no access, nothing changes.
    let other = app.signed_in("muonglat.canbo").await;
    assert_eq!(other.get(&format!("/admin/decisions/{id}")).await.status, StatusCode::FORBIDDEN);
    let r =
        post(&other, &format!("/admin/decisions/{id}/open"), "x-open-1", &[("opens_at", &local_in(0)), ("closes_at", &local_in(5))]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let citizen = app.signed_in("congdan").await;
    assert_eq!(citizen.get(&format!("/admin/decisions/{id}")).await.status, StatusCode::FORBIDDEN);
    let r = post(&citizen, &format!("/admin/decisions/{id}/open"), "x-open-2", &[("opens_at", &local_in(0)), ("closes_at", &local_in(5))])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let commune = app.unit_id(COMMUNE).await;
    assert_eq!(citizen.get(&format!("/admin/units/{commune}/decisions")).await.status, StatusCode::FORBIDDEN);
    // The Front views, without the actions.
    let front = app.signed_in("hacthanh.mttq").await;
    let page = front.get(&format!("/admin/decisions/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text.contains(&format!("action=\"/admin/decisions/{id}/open\"")), "the Front sees no open form");
    let r =
        post(&front, &format!("/admin/decisions/{id}/open"), "x-open-3", &[("opens_at", &local_in(0)), ("closes_at", &local_in(5))]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // CSRF missing or wrong: refused.
    let r = canbo
        .post_form(&format!("/admin/decisions/{id}/open"), &[("idem", "x-open-4"), ("opens_at", &local_in(0)), ("closes_at", &local_in(5))])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = canbo
        .post_form(
            &format!("/admin/decisions/{id}/open"),
            &[("csrf", "nope"), ("idem", "x-open-5"), ("opens_at", &local_in(0)), ("closes_at", &local_in(5))],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(status(&app, id).await, ds::DRAFT, "nothing was opened");
    // R2.2: a commune-wide matter is the commune chair's; a village head
    // starts the village's own.
    let r = create(&canbo, commune, "x-commune-1", &[("subject", "1"), ("scope", "commune"), ("form", "household_ballot")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Chủ tịch Ủy ban nhân dân xã") && r.text.contains("R2.2"), "{}", r.text);
    let chair = app.signed_in("hacthanh.chutich").await;
    let r = create(
        &chair,
        commune,
        "x-commune-2",
        &[("subject", "1"), ("scope", "commune"), ("form", "household_ballot"), ("agreed_front", "")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Mặt trận Tổ quốc"), "agreed with the Front first: {}", r.text);
    let r = create(&chair, commune, "x-commune-3", &[("subject", "1"), ("scope", "commune"), ("form", "household_ballot")]).await;
    id_after(&r, "/admin/decisions/");
    let head = app.signed_in("hacthanh.tdp1").await;
    let (own, other_v) = (app.unit_id(VILLAGE).await, app.unit_id(OTHER_VILLAGE).await);
    let r =
        create(&head, own, "x-head-1", &[("subject", "6"), ("scope", "village"), ("village", &own.to_string()), ("form", "meeting")]).await;
    let own_id = id_after(&r, "/admin/decisions/");
    assert_eq!(head.get(&format!("/admin/decisions/{own_id}")).await.status, StatusCode::OK);
    let r =
        create(&head, own, "x-head-2", &[("subject", "6"), ("scope", "village"), ("village", &other_v.to_string()), ("form", "meeting")])
            .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("Bạn không phụ trách thôn, tổ dân phố này"));
    // Audited.
    assert!(audit_actions(&app).await.iter().filter(|a| *a == "decision.created").count() >= 3);
});

both!(r2_5_r2_14_the_form_is_refused_with_the_legal_reason, |app| {
    let canbo = app.signed_in("hacthanh.canbo").await;
    let commune = app.unit_id(COMMUNE).await;
    let village = app.unit_id(VILLAGE).await.to_string();
    let base = [("scope", "village"), ("village", village.as_str())];
    // The convention is decided at a meeting (R2.5).
    let r = create(&canbo, commune, "f-1", &[base[0], base[1], ("subject", "3"), ("form", "household_ballot")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("R2.5"), "{}", r.text);
    assert!(r.text.contains("Sửa đổi hương ước tổ dân phố"), "the form is shown again with what was typed");
    // Online only for subject 6.
    let r = create(&canbo, commune, "f-2", &[base[0], base[1], ("subject", "3"), ("form", "online_vote"), ("head_front", "1")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Online: more than half of ALL households agreed: exactly half is not enough.
    let vid = app.unit_id(VILLAGE).await;
    let households = danchu_store::households::list_by_village(app.store(), vid, 0, 10_000).await.unwrap().len();
    let (half, more) = ((households / 2).to_string(), (households / 2 + 1).to_string());
    let online = |n: &str| -> Vec<(String, String)> {
        [
            base[0],
            base[1],
            ("subject", "6"),
            ("form", "online_vote"),
            ("head_front", "1"),
            ("online_connected", "1"),
            ("online_reported", "1"),
            ("online_team", "3"),
            ("online_led", "1"),
            ("online_it", "1"),
            ("online_agreed", n),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    };
    let before = ds::list_for_unit(app.store(), commune, 100).await.unwrap().len();
    let f = online(&half);
    let r = create(&canbo, commune, "f-3", &f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let least = format!("ít nhất {more} hộ");
    assert!(r.text.contains("TỔNG số hộ") && r.text.contains("R2.14") && r.text.contains(&least), "{}", r.text);
    assert_eq!(ds::list_for_unit(app.store(), commune, 100).await.unwrap().len(), before, "nothing half-saved");
    let f = online(&more);
    let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = create(&canbo, commune, "f-4", &fields).await;
    let id = id_after(&r, "/admin/decisions/");
    let d = ds::get(app.store(), id).await.unwrap().unwrap();
    assert_eq!((d.form.as_str(), d.subject), ("online_vote", 6));
    // A double submit creates nothing more.
    let again = create(&canbo, commune, "f-4", &fields).await;
    assert_eq!(again.location(), r.location());
    assert_eq!(ds::list_for_unit(app.store(), commune, 100).await.unwrap().len(), before + 1);
});

both!(r2_9_a_notice_less_than_two_days_before_is_refused, |app| {
    let canbo = app.signed_in("hacthanh.canbo").await;
    let id = meeting_decision(&app, &canbo).await;
    let t = today_vn();
    let meeting = |held: NaiveDate| {
        vec![
            ("held_on", dmy(held)),
            ("notice_on", dmy(t)),
            ("posted_on", dmy(t)),
            ("documents_on", dmy(t)),
            ("channels", "loudspeaker".to_string()),
            ("secretary", "Bùi Thị Thư".to_string()),
            ("method", "hands".to_string()),
        ]
    };
    let f1 = meeting(t + Days::new(1));
    let r = post(&canbo, &format!("/admin/decisions/{id}/meetings"), "n-1", &f1.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("ít nhất 2 ngày") && r.text.contains("R2.9"), "{}", r.text);
    assert!(ds::meetings_for(app.store(), id).await.unwrap().is_empty(), "no meeting recorded");
    // Documents are required for the convention (subjects 1–3).
    let mut f2: Vec<(&str, String)> = meeting(t + Days::new(2));
    f2.retain(|(k, _)| *k != "documents_on");
    let r = post(&canbo, &format!("/admin/decisions/{id}/meetings"), "n-2", &f2.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("tài liệu"), "{}", r.text);
    let f3 = meeting(t + Days::new(2));
    let r = post(&canbo, &format!("/admin/decisions/{id}/meetings"), "n-3", &f3.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>())
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let ms = ds::meetings_for(app.store(), id).await.unwrap();
    assert_eq!(ms.len(), 1);
    assert_eq!(ms[0].channels, "loudspeaker");
    assert!(audit_actions(&app).await.contains(&"decision.meeting_called".to_string()));
});

/// Opens the meeting decision, calls the meeting and records `present`
/// households: returns the meeting id.
async fn meeting_with(app: &TestApp, c: &Client, id: i64, present: usize) -> i64 {
    let r =
        post(c, &format!("/admin/decisions/{id}/open"), &format!("mo-{id}"), &[("opens_at", &local_in(-1)), ("closes_at", &local_in(48))])
            .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let t = today_vn();
    let (held, notice) = (dmy(t + Days::new(2)), dmy(t));
    let r = post(
        c,
        &format!("/admin/decisions/{id}/meetings"),
        &format!("mm-{id}"),
        &[
            ("held_on", &held),
            ("notice_on", &notice),
            ("posted_on", &notice),
            ("documents_on", &notice),
            ("channels", "invitation"),
            ("secretary", "Bùi Thị Thư"),
            ("method", "hands"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let meeting = ds::meetings_for(app.store(), id).await.unwrap()[0].meeting.id;
    let village = app.unit_id(VILLAGE).await;
    let roster = ds::roster(app.store(), id, village).await.unwrap();
    let page = c.get(&format!("/admin/decisions/{id}/meetings/{meeting}/attendance")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text.matches("name=\"h\"").count(), roster.len(), "a checkbox per household of the village");
    let ids: Vec<String> = roster.iter().take(present).map(|h| h.to_string()).collect();
    let mut f: Vec<(&str, &str)> = ids.iter().map(|h| ("h", h.as_str())).collect();
    f.push(("h", ids[0].as_str()));
    let r = post(c, &format!("/admin/decisions/{id}/meetings/{meeting}/attendance"), &format!("ma-{id}"), &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    meeting
}

both!(r2_12_a_meeting_short_of_attendance_falls_back_to_household_ballots, |app| {
    let canbo = app.signed_in("hacthanh.canbo").await;
    let id = meeting_decision(&app, &canbo).await;
    let meeting = meeting_with(&app, &canbo, id, 5).await;
    assert_eq!(ds::meeting(app.store(), meeting).await.unwrap().unwrap().present, 5, "each household once");
    // A household of another village is refused (C0.3).
    let r = post(&canbo, &format!("/admin/decisions/{id}/meetings/{meeting}/attendance"), "att-x", &[("h", "999999")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    // Secretary elected by more than half of those present (R2.10): 2 of 5 is not.
    let r = post(&canbo, &format!("/admin/decisions/{id}/meetings/{meeting}/procedure"), "pr-1", &[("secretary_votes", "2")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("R2.10"), "{}", r.text);
    let r = post(&canbo, &format!("/admin/decisions/{id}/meetings/{meeting}/procedure"), "pr-2", &[("secretary_votes", "3")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    // 5 households cannot reach more than half of about 40: the result is refused and the page offers the fall-back.
    let r = post(&canbo, &format!("/admin/decisions/{id}/meetings/{meeting}/result"), "res-1", &[("agree", "5")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("phát phiếu lấy ý kiến hộ gia đình") && r.text.contains("R2.12"), "{}", r.text);
    let page = canbo.get(&format!("/admin/decisions/{id}")).await;
    assert!(page.text.contains(&format!("action=\"/admin/decisions/{id}/meetings/{meeting}/fall-back\"")), "{}", page.text);
    let r = post(&canbo, &format!("/admin/decisions/{id}/meetings/{meeting}/fall-back"), "fb-1", &[]).await;
    let redo = id_after(&r, "/admin/decisions/");
    assert_ne!(redo, id);
    // A double submit, or a second click from another page: the same redo.
    let again = post(&canbo, &format!("/admin/decisions/{id}/meetings/{meeting}/fall-back"), "fb-1", &[]).await;
    assert_eq!(again.location(), r.location());
    let other = post(&canbo, &format!("/admin/decisions/{id}/meetings/{meeting}/fall-back"), "fb-2", &[]).await;
    assert_eq!(id_after(&other, "/admin/decisions/"), redo);
    assert_eq!(ds::redos(app.store(), id).await.unwrap().len(), 1);
    let new = ds::get(app.store(), redo).await.unwrap().unwrap();
    assert_eq!((new.form.as_str(), new.redo_of, new.status.as_str()), ("household_ballot", Some(id), ds::DRAFT));
    assert_eq!(status(&app, id).await, ds::FAILED, "the meeting's decision is closed, not passing");
    // History linked both ways.
    let old_page = canbo.get(&format!("/admin/decisions/{id}")).await;
    assert!(old_page.text.contains(&format!("href=\"/admin/decisions/{redo}\"")), "old → redo");
    let new_page = canbo.get(&format!("/admin/decisions/{redo}")).await;
    assert!(new_page.text.contains(&format!("href=\"/admin/decisions/{id}\"")) && new_page.text.contains("Làm lại của"), "redo → old");
    assert!(audit_actions(&app).await.contains(&"decision.fall_back".to_string()));
});

both!(r2_10_a_meeting_with_enough_attendance_records_its_result_once, |app| {
    let canbo = app.signed_in("hacthanh.canbo").await;
    let id = meeting_decision(&app, &canbo).await;
    let meeting = meeting_with(&app, &canbo, id, 30).await;
    // Before the secretary is elected the result is refused.
    let r = post(&canbo, &format!("/admin/decisions/{id}/meetings/{meeting}/result"), "r-0", &[("agree", "25")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        post(&canbo, &format!("/admin/decisions/{id}/meetings/{meeting}/procedure"), "p-1", &[("secretary_votes", "20")]).await.status,
        StatusCode::SEE_OTHER
    );
    let r = post(&canbo, &format!("/admin/decisions/{id}/meetings/{meeting}/result"), "r-1", &[("agree", "25"), ("disagree", "6")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "31 votes from 30 households present");
    let r = post(&canbo, &format!("/admin/decisions/{id}/meetings/{meeting}/result"), "r-2", &[("agree", "25"), ("disagree", "5")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = post(&canbo, &format!("/admin/decisions/{id}/meetings/{meeting}/result"), "r-3", &[("agree", "25"), ("disagree", "5")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "a second submit changes nothing");
    let counts = ds::live_counts(app.store(), id).await.unwrap();
    assert_eq!(counts.values().map(|c| c.agree).sum::<u64>(), 25, "counted once");
    // The window has not ended: closing is refused with the time.
    let r = post(&canbo, &format!("/admin/decisions/{id}/close"), "c-1", &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("chưa thể kết thúc"), "{}", r.text);
});

both!(r2_13_a_ballot_counted_twice_is_refused_with_the_reason, |app| {
    let canbo = app.signed_in("hacthanh.canbo").await;
    let id = ballot_decision(&app, &canbo, "b1").await;
    let village = app.unit_id(VILLAGE).await;
    // No team yet: counting is refused.
    let r = post(&canbo, &format!("/admin/decisions/{id}/villages/{village}/ballots"), "b-iss", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let again = post(&canbo, &format!("/admin/decisions/{id}/villages/{village}/ballots"), "b-iss-2", &[]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let ballots = ds::paper_ballots(app.store(), id, village).await.unwrap();
    assert_eq!(ballots.len(), base_and_required(&app, id).await.0, "one ballot per household, never more");
    let page = canbo.get(&format!("/admin/decisions/{id}")).await;
    assert!(page.text.contains(&format!("/admin/decisions/{id}/villages/{village}/ballots.pdf")), "links to the printable ballots");
    let r = count(&canbo, id, village, 0, "b-c0", &ballots[0].code, "agree").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("tổ kiểm phiếu"), "{}", r.text);
    // The team needs 3–5 members and two witnesses.
    let r = post(
        &canbo,
        &format!("/admin/decisions/{id}/villages/{village}/teams"),
        "b-t0",
        &[("members", "Một\nHai\nBa"), ("witness_1", "Hộ A")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("chứng kiến"), "{}", r.text);
    assert_eq!(team(&canbo, id, village, "b-t1").await.status, StatusCode::SEE_OTHER);
    let team_id = ds::count_teams(app.store(), id).await.unwrap()[0].id;
    let form = canbo.get(&format!("/admin/decisions/{id}/villages/{village}/count")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("autofocus"), "the code field has the focus");
    let r = count(&canbo, id, village, team_id, "b-c1", &ballots[0].code, "agree").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert!(r.location().contains("choice=agree"), "the next entry keeps the choice");
    // The same submission again: the same answer, counted once.
    let replay = count(&canbo, id, village, team_id, "b-c1", &ballots[0].code, "agree").await;
    assert_eq!(replay.status, StatusCode::SEE_OTHER);
    // The same ballot entered again: refused with the reason.
    let twice = count(&canbo, id, village, team_id, "b-c2", &ballots[0].code, "disagree").await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.text.contains("đã được kiểm") && twice.text.contains("R2.13"), "{}", twice.text);
    let unknown = count(&canbo, id, village, team_id, "b-c3", "ZZZZ-ZZZZ", "agree").await;
    assert_eq!(unknown.status, StatusCode::CONFLICT);
    assert!(unknown.text.contains("không phải phiếu đã phát"), "{}", unknown.text);
    let counts = ds::live_counts(app.store(), id).await.unwrap();
    let c = counts.get(&village).copied().unwrap_or_default();
    assert_eq!((c.agree, c.disagree), (1, 0));
    assert_eq!(audit_actions(&app).await.iter().filter(|a| *a == "decision.ballot_counted").count(), 1);
});

both!(r2_13_a_ballot_of_another_village_is_refused, |app| {
    let chair = app.signed_in("hacthanh.chutich").await;
    let commune = app.unit_id(COMMUNE).await;
    let r = create(&chair, commune, "cw-1", &[("subject", "1"), ("scope", "commune"), ("form", "household_ballot")]).await;
    let id = id_after(&r, "/admin/decisions/");
    let r =
        post(&chair, &format!("/admin/decisions/{id}/open"), "cw-2", &[("opens_at", &local_in(-1)), ("closes_at", &local_in(24))]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let (a, b) = (app.unit_id(VILLAGE).await, app.unit_id(OTHER_VILLAGE).await);
    for v in [a, b] {
        assert_eq!(
            post(&chair, &format!("/admin/decisions/{id}/villages/{v}/ballots"), &format!("cw-i{v}"), &[]).await.status,
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(team(&chair, id, a, "cw-t").await.status, StatusCode::SEE_OTHER);
    let team_id = ds::count_teams(app.store(), id).await.unwrap()[0].id;
    let of_b = ds::paper_ballots(app.store(), id, b).await.unwrap();
    let r = count(&chair, id, a, team_id, "cw-c", &of_b[0].code, "agree").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("thôn, tổ dân phố khác"), "{}", r.text);
    // The live tally reads every village of the commune.
    let page = chair.get(&format!("/admin/decisions/{id}")).await;
    assert!(page.text.contains("thôn đạt"), "{}", page.text);
});

both!(r2_17_r2_18_sending_and_recognition_clocks_and_their_order, |app| {
    let canbo = app.signed_in("hacthanh.canbo").await;
    let chair = app.signed_in("hacthanh.chutich").await;
    // A decision that failed cannot be sent.
    let failed = ballot_decision(&app, &canbo, "s0").await;
    let (households, required) = base_and_required(&app, failed).await;
    assert!(households >= 30, "the demo village has about 40 households");
    count_and_close(&app, &canbo, failed, required - 1).await;
    assert_eq!(status(&app, failed).await, ds::FAILED, "half of all households is not more than half");
    let r = post(&canbo, &format!("/admin/decisions/{failed}/send"), "s0-send", &[("sent_on", &today())]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("không được thông qua") && r.text.contains("R2.17"), "{}", r.text);
    // One more passes.
    let id = ballot_decision(&app, &canbo, "s1").await;
    count_and_close(&app, &canbo, id, required).await;
    assert_eq!(status(&app, id).await, ds::DECIDED);
    let page = canbo.get(&format!("/admin/decisions/{id}")).await;
    assert!(page.text.contains("Còn ") && page.text.contains("ngày làm việc"), "the sending clock runs: {}", page.text);
    assert!(page.text.contains(&format!("/admin/decisions/{id}/documents/")), "links to the written decision");
    // Recognised before it was sent: refused.
    let r = post(&chair, &format!("/admin/decisions/{id}/answer"), "s1-a0", &[("answer", "recognise"), ("answered_on", &today())]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("R2.18"), "{}", r.text);
    // Closed on Monday 02/11/2026: due Monday 09/11 (5 working days).
    closed_on(&app, id, "2026-11-02").await;
    let page = canbo.get(&format!("/admin/decisions/{id}")).await;
    assert!(page.text.contains("Quá hạn") && page.text.contains("09/11/2026"), "{}", page.text);
    let r = post(&canbo, &format!("/admin/decisions/{id}/send"), "s1-s1", &[("sent_on", "10/11/2026")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a day late, unexplained");
    assert!(r.text.contains("05 ngày làm việc") && r.text.contains("09/11/2026"), "{}", r.text);
    let r = post(&canbo, &format!("/admin/decisions/{id}/send"), "s1-s2", &[("sent_on", "01/11/2026")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "before closing");
    let r = post(&canbo, &format!("/admin/decisions/{id}/send"), "s1-s3", &[("sent_on", "09/11/2026")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the last day is on time: {}", r.text);
    let again = post(&canbo, &format!("/admin/decisions/{id}/send"), "s1-s4", &[("sent_on", "09/11/2026")]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "sent again: nothing changes");
    let d = ds::get(app.store(), id).await.unwrap().unwrap();
    assert_eq!((d.status.as_str(), d.sent_on.as_deref()), (ds::SENT, Some("2026-11-09")));
    let page = canbo.get(&format!("/admin/decisions/{id}")).await;
    assert!(page.text.contains("Đúng hạn: ngày 09/11/2026 (hạn 09/11/2026)"), "{}", page.text);
    // R2.18: received 09/11, due 16/11; the official cannot answer, the chair can.
    assert!(page.text.contains("Quá hạn") && page.text.contains("16/11/2026"), "the recognition clock: {}", page.text);
    let r =
        post(&canbo, &format!("/admin/decisions/{id}/answer"), "s1-a1", &[("answer", "recognise"), ("answered_on", "16/11/2026")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(
        &chair,
        &format!("/admin/decisions/{id}/answer"),
        "s1-a2",
        &[("answer", "refuse"), ("answered_on", "16/11/2026"), ("reason", "ngắn")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a refusal needs its reasons");
    assert!(r.text.contains("R2.18"));
    let r =
        post(&chair, &format!("/admin/decisions/{id}/answer"), "s1-a3", &[("answer", "recognise"), ("answered_on", "08/11/2026")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "before receipt");
    let r =
        post(&chair, &format!("/admin/decisions/{id}/answer"), "s1-a4", &[("answer", "recognise"), ("answered_on", "16/11/2026")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(status(&app, id).await, ds::RECOGNISED);
    let page = chair.get(&format!("/admin/decisions/{id}")).await;
    assert!(page.text.contains("Đúng hạn: ngày 16/11/2026 (hạn 16/11/2026)"), "{}", page.text);
    // A later answer changes nothing.
    let r = post(
        &chair,
        &format!("/admin/decisions/{id}/answer"),
        "s1-a5",
        &[("answer", "refuse"), ("answered_on", "17/11/2026"), ("reason", "Không đúng trình tự lấy ý kiến.")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(status(&app, id).await, ds::RECOGNISED);
    // A late answer shows late: another decision sent on 09/11, answered 17/11.
    let late = ballot_decision(&app, &canbo, "s2").await;
    count_and_close(&app, &canbo, late, required).await;
    closed_on(&app, late, "2026-11-02").await;
    assert_eq!(
        post(&canbo, &format!("/admin/decisions/{late}/send"), "s2-s", &[("sent_on", "09/11/2026")]).await.status,
        StatusCode::SEE_OTHER
    );
    let r = post(
        &chair,
        &format!("/admin/decisions/{late}/answer"),
        "s2-a",
        &[("answer", "refuse"), ("answered_on", "17/11/2026"), ("reason", "Không đúng trình tự lấy ý kiến.")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = chair.get(&format!("/admin/decisions/{late}")).await;
    assert!(
        page.text.contains("Chậm: ngày 17/11/2026 (hạn 16/11/2026)") && page.text.contains("Không đúng trình tự lấy ý kiến."),
        "{}",
        page.text
    );
    let actions = audit_actions(&app).await;
    for a in ["decision.opened", "decision.ballots_issued", "decision.count_team", "decision.closed", "decision.sent", "decision.answered"]
    {
        assert!(actions.iter().any(|x| x == a), "{a} audited");
    }
});

both!(r2_19_r2_20_annulment_and_redo_are_linked_both_ways, |app| {
    let canbo = app.signed_in("hacthanh.canbo").await;
    let chair = app.signed_in("hacthanh.chutich").await;
    let id = ballot_decision(&app, &canbo, "a1").await;
    let (_, required) = base_and_required(&app, id).await;
    count_and_close(&app, &canbo, id, required).await;
    let reason = "Không niêm yết thông báo tại nhà văn hóa.";
    // The official cannot annul.
    let r =
        post(&canbo, &format!("/admin/decisions/{id}/annul"), "a-0", &[("ground", "procedure"), ("remedy", "annul"), ("reason", reason)])
            .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // An unlawful decision is annulled, not sent back (R2.19).
    let r =
        post(&chair, &format!("/admin/decisions/{id}/annul"), "a-1", &[("ground", "unlawful"), ("remedy", "amend"), ("reason", reason)])
            .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("R2.19"), "{}", r.text);
    let r =
        post(&chair, &format!("/admin/decisions/{id}/annul"), "a-2", &[("ground", "procedure"), ("remedy", "amend"), ("reason", "ngắn")])
            .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a reason in writing");
    let r =
        post(&chair, &format!("/admin/decisions/{id}/annul"), "a-3", &[("ground", "procedure"), ("remedy", "amend"), ("reason", reason)])
            .await;
    let redo = id_after(&r, "/admin/decisions/");
    let again =
        post(&chair, &format!("/admin/decisions/{id}/annul"), "a-4", &[("ground", "procedure"), ("remedy", "amend"), ("reason", reason)])
            .await;
    assert_eq!(id_after(&again, "/admin/decisions/"), redo, "no second redo");
    assert_eq!(status(&app, id).await, ds::ANNULLED);
    let new = ds::get(app.store(), redo).await.unwrap().unwrap();
    assert_eq!((new.redo_of, new.form.as_str()), (Some(id), "meeting"));
    let old_page = chair.get(&format!("/admin/decisions/{id}")).await;
    assert!(old_page.text.contains(reason) && old_page.text.contains(&format!("href=\"/admin/decisions/{redo}\"")), "{}", old_page.text);
    let new_page = chair.get(&format!("/admin/decisions/{redo}")).await;
    assert!(new_page.text.contains(&format!("href=\"/admin/decisions/{id}\"")));
    // Sending an annulled decision is refused.
    let r = post(&canbo, &format!("/admin/decisions/{id}/send"), "a-5", &[("sent_on", &today())]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(audit_actions(&app).await.contains(&"decision.annulled".to_string()));
});

/// Posts the progress form (multipart) with an optional photo.
async fn progress(c: &Client, id: i64, idem: &str, fields: &[(&str, &str)], photo: Option<&[u8]>) -> Resp {
    let csrf = c.csrf().await;
    let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str()), ("idem", idem)];
    all.extend_from_slice(fields);
    let files: Vec<(&str, &str, &[u8])> = photo.map(|p| vec![("photo", "anh.png", p)]).unwrap_or_default();
    c.multipart(&format!("/admin/decisions/{id}/progress"), &all, &files).await
}

both!(implementation_progress_of_a_passed_decision, |app| {
    let canbo = app.signed_in("hacthanh.canbo").await;
    let id = ballot_decision(&app, &canbo, "g1").await;
    let t = today();
    let r = progress(&canbo, id, "g-0", &[("noted_on", &t), ("note", "Đã khởi công.")], None).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "not passed yet");
    let (_, required) = base_and_required(&app, id).await;
    count_and_close(&app, &canbo, id, required + 5).await;
    let png: &[u8] = include_bytes!("../../../files/tests/fixtures/flag.png");
    let fields = [("noted_on", t.as_str()), ("note", "Đã thu đủ tiền đóng góp."), ("collected", "12.500.000"), ("spent", "0")];
    let r = progress(&canbo, id, "g-1", &fields, Some(png)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let again = progress(&canbo, id, "g-1", &fields, Some(png)).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let p = ds::progress(app.store(), id).await.unwrap();
    assert_eq!(p.len(), 1, "a double submit adds nothing");
    assert_eq!(p[0].collected, Some(12_500_000));
    assert!(p[0].photo_sha256.is_some());
    let page = canbo.get(&format!("/admin/decisions/{id}")).await;
    assert!(page.text.contains("12.500.000"), "{}", page.text);
    let photo_url = format!("/admin/decisions/{id}/progress/{}/photo", p[0].id);
    assert!(page.text.contains(&photo_url));
    let photo = canbo.get(&photo_url).await;
    assert_eq!(photo.status, StatusCode::OK);
    assert_eq!(photo.headers["content-type"], "image/png");
    let other = app.signed_in("muonglat.canbo").await;
    assert_eq!(other.get(&photo_url).await.status, StatusCode::FORBIDDEN);
    // Not a picture: refused, nothing saved.
    let r = progress(&canbo, id, "g-2", &[("noted_on", &t), ("note", "Ảnh hỏng.")], Some(b"not an image")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(ds::progress(app.store(), id).await.unwrap().len(), 1);
    // Without the CSRF token: refused.
    let r = canbo.multipart(&format!("/admin/decisions/{id}/progress"), &[("idem", "g-3"), ("noted_on", &t), ("note", "x")], &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
});
