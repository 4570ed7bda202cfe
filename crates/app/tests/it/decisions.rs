//! Community decisions (dân quyết) through the service and the store, on
//! both backends: online votes counted exactly once under concurrency and
//! retries, the secret urn, closing, paper ballots, the thresholds of
//! R2.15 on the frozen household bases, and commune-wide aggregation.

use crate::both;
use crate::harness::TestApp;
use danchu::decision::{self as svc, DecisionResult, NewDecision};
use danchu::error::AppError;
use danchu_domain::decision::{Choice, Counts, Form, FormFacts, Scope, Subject};
use danchu_store::decisions as ds;
use danchu_store::households::{self, NewHousehold, NewMember};
use danchu_store::units;
use std::collections::{BTreeMap, BTreeSet, HashMap};

const HOUR: i64 = 3_600_000;

fn today() -> chrono::NaiveDate {
    danchu::web::chrome::today_vn()
}

/// The demo village 14797.001 of commune 14797 and its households.
async fn demo_village(app: &TestApp) -> (i64, i64, Vec<i64>) {
    let commune = app.unit_id("14797").await;
    let village = app.unit_id("14797.001").await;
    let hs: Vec<i64> = households::list_by_village(app.store(), village, 0, 1000).await.unwrap().into_iter().map(|h| h.id).collect();
    assert!(hs.len() >= 10, "the demo village has households");
    (commune, village, hs)
}

/// A new village of commune 14797 with exactly `n` households from today.
pub(crate) async fn village_with(app: &TestApp, name: &str, n: usize) -> (i64, i64, Vec<i64>) {
    let ctx = &app.ctx;
    danchu::demo::create_villages(ctx, "14797", &[name.to_string()]).await.unwrap();
    let commune = units::get(app.store(), app.unit_id("14797").await).await.unwrap();
    let village = units::children(app.store(), commune.id).await.unwrap().into_iter().find(|u| u.unit.name.contains(name)).unwrap().unit;
    let plan: Vec<NewHousehold> = (0..n)
        .map(|i| NewHousehold {
            code: format!("T{}-{i:04}", village.id),
            village_id: village.id,
            address: format!("Số {i}"),
            members: vec![NewMember {
                full_name: format!("Người Thử {i}"),
                birth_date: "1980-01-01".into(),
                relation: "Chủ hộ".into(),
                is_head: true,
                cccd_hash: None,
                cccd_last4: None,
            }],
            representative: 0,
        })
        .collect();
    let vmap: HashMap<i64, units::Unit> = [(village.id, village.clone())].into_iter().collect();
    let mut tx = app.store().write().await.unwrap();
    households::apply_import(&mut tx, &commune, &vmap, &plan, &today().to_string(), true).await.unwrap();
    tx.commit().await.unwrap();
    let hs: Vec<i64> = households::list_by_village(app.store(), village.id, 0, 10_000).await.unwrap().into_iter().map(|h| h.id).collect();
    assert_eq!(hs.len(), n);
    (commune.id, village.id, hs)
}

fn new_decision(commune: i64, village: Option<i64>, subject: Subject, form: Form, secret: bool) -> NewDecision {
    NewDecision {
        commune_id: commune,
        scope: if village.is_some() { Scope::Village } else { Scope::Commune },
        village_id: village,
        subject,
        title: "Làm đường bê tông ngõ 3".into(),
        question: "Hộ gia đình có đồng ý không?".into(),
        content: "Nội dung chi tiết.".into(),
        form,
        facts: FormFacts { meeting_lacked_attendance: form == Form::HouseholdBallot, head_and_front_agree: true },
        secret,
        decision_date: today(),
        redo_of: None,
        is_demo: true,
        created_by: None,
    }
}

/// An open online vote (subject 6) in `village`, window around now.
async fn online_vote(app: &TestApp, commune: i64, village: i64, secret: bool) -> i64 {
    let id = svc::create(&app.ctx, &new_decision(commune, Some(village), Subject::Other, Form::OnlineVote, secret)).await.unwrap();
    let now = danchu_store::now_ms();
    svc::open(&app.ctx, id, now - HOUR, now + HOUR).await.unwrap();
    id
}

fn key(tag: &str, h: i64) -> String {
    format!("{tag}-{h}-{}", danchu::keys::random_token(12))
}

fn choice_of(i: usize) -> Choice {
    [Choice::Agree, Choice::Agree, Choice::Disagree, Choice::Other][i % 4]
}

fn add(c: &mut Counts, choice: Choice) {
    match choice {
        Choice::Agree => c.agree += 1,
        Choice::Disagree => c.disagree += 1,
        Choice::Other => c.other += 1,
        Choice::Invalid => c.invalid += 1,
    }
}

fn message(e: &AppError) -> String {
    match e {
        AppError::Conflict(m) | AppError::BadRequest(m) => m.vi.clone(),
        AppError::Validation(f) => f.iter().map(|f| f.message.vi.clone()).collect::<Vec<_>>().join(" "),
        other => format!("{other:?}"),
    }
}

both!(r2_14_online_vote_counts_each_household_once_under_retries_and_second_devices, |app| {
    let (commune, village, hs) = demo_village(&app).await;
    let id = online_vote(&app, commune, village, false).await;
    let now = danchu_store::now_ms();
    // Per household: the first submission, its retry with the same key (a
    // double click), and a second device with a new key and another choice,
    // all at once.
    let mut tasks = Vec::new();
    for (i, h) in hs.iter().copied().enumerate() {
        let k1 = key("first", h);
        let k2 = key("second", h);
        for (k, choice) in [(k1.clone(), choice_of(i)), (k1, choice_of(i)), (k2, choice_of(i + 1))] {
            let ctx = app.ctx.clone();
            tasks.push(tokio::spawn(async move {
                let r = svc::cast_online_vote(&ctx, id, h, choice, &k, now).await;
                (h, k, choice, r)
            }));
        }
    }
    let mut won: HashMap<i64, (String, Choice, String)> = HashMap::new();
    let mut refused = 0;
    for t in tasks {
        let (h, k, choice, r) = t.await.unwrap();
        match r {
            Ok(receipt) => {
                let prev = won.insert(h, (k.clone(), choice, receipt.code.clone()));
                if let Some((pk, _, pcode)) = prev {
                    assert_eq!(pk, k, "one submission key wins per household");
                    assert_eq!(pcode, receipt.code, "a retry gets the same receipt");
                }
            }
            Err(e) => {
                assert!(message(&e).contains("Hộ gia đình đã biểu quyết"), "{e:?}");
                refused += 1;
            }
        }
    }
    assert_eq!(won.len(), hs.len(), "every household voted");
    assert!(refused >= hs.len(), "the second device (or the loser's pair) is refused: {refused}");
    // A retry after the fact still answers with the first receipt.
    let (h0, (k0, c0, code0)) = won.iter().next().map(|(h, w)| (*h, w.clone())).unwrap();
    let again = svc::cast_online_vote(&app.ctx, id, h0, c0, &k0, now).await.unwrap();
    assert!(again.replayed);
    assert_eq!(again.code, code0);
    // Counters, recount and participation agree.
    let mut expected = Counts::default();
    for (_, c, _) in won.values() {
        add(&mut expected, *c);
    }
    let live = ds::live_counts(app.store(), id).await.unwrap();
    assert_eq!(live.get(&village).copied().unwrap_or_default(), expected);
    assert_eq!(ds::live_village_counts(app.store(), id, village).await.unwrap(), expected);
    assert_eq!(ds::recount(app.store(), id).await.unwrap(), live, "counters == a full recount of the urn");
    let list = ds::participation(app.store(), id, Some(village), 0, 10_000).await.unwrap();
    let listed: BTreeSet<i64> = list.iter().map(|p| p.household_id).collect();
    assert_eq!(list.len(), hs.len(), "one row per household");
    assert_eq!(listed, hs.iter().copied().collect::<BTreeSet<_>>());
    // An open vote shows each household's choice on the list.
    for p in &list {
        assert_eq!(p.choice.as_deref(), Some(ds::choice_str(won[&p.household_id].1)));
    }
    // Every receipt is counted; an invented one is not.
    for (_, _, code) in won.values() {
        assert!(svc::receipt_counted(&app.ctx, id, code).await.unwrap());
    }
    assert!(!svc::receipt_counted(&app.ctx, id, "AAAA-BBBB-CCCC-DDDD").await.unwrap());
});

both!(r2_14_secret_vote_stores_no_row_linking_household_and_choice, |app| {
    let (commune, village, hs) = demo_village(&app).await;
    let id = online_vote(&app, commune, village, true).await;
    let now = danchu_store::now_ms();
    let mut receipts = Vec::new();
    for (i, h) in hs.iter().enumerate() {
        receipts.push(svc::cast_online_vote(&app.ctx, id, *h, choice_of(i), &key("s", *h), now).await.unwrap().code);
    }
    let (urn, voters) = ds::raw_rows(app.store(), id).await.unwrap();
    assert_eq!(urn.len(), hs.len());
    assert_eq!(voters.len(), hs.len());
    let household_ids: BTreeSet<String> = hs.iter().map(|h| h.to_string()).collect();
    let choices = ["agree", "disagree", "other", "invalid"];
    for row in &urn {
        for (col, v) in row {
            assert!(!household_ids.contains(v) || col == "village_id" || col == "decision_id", "urn column {col} holds a household id");
            assert!(!col.contains("household") && !col.contains("_at") && col != "created_at", "urn column {col}");
        }
        assert_eq!(row["id"].len(), 32, "random 128-bit key");
    }
    for row in &voters {
        for (col, v) in row {
            assert!(!choices.contains(&v.as_str()), "voter column {col} holds a choice");
        }
    }
    let before_ids: BTreeSet<String> = urn.iter().map(|r| r["id"].clone()).collect();
    let before = ds::recount(app.store(), id).await.unwrap();
    // Reshuffle: new keys, same counts, receipts still found.
    let mut tx = app.store().write().await.unwrap();
    assert_eq!(ds::reshuffle_urn(&mut tx, id).await.unwrap(), hs.len() as u64);
    tx.commit().await.unwrap();
    let (urn2, _) = ds::raw_rows(app.store(), id).await.unwrap();
    let after_ids: BTreeSet<String> = urn2.iter().map(|r| r["id"].clone()).collect();
    assert!(before_ids.is_disjoint(&after_ids), "every ballot has a new key");
    assert_eq!(ds::recount(app.store(), id).await.unwrap(), before);
    assert_eq!(ds::live_counts(app.store(), id).await.unwrap(), before);
    for code in &receipts {
        assert!(svc::receipt_counted(&app.ctx, id, code).await.unwrap());
    }
});

both!(r2_14_closing_freezes_the_result_once_and_refuses_later_votes, |app| {
    let (commune, village, hs) = demo_village(&app).await;
    let id = online_vote(&app, commune, village, true).await;
    let d = svc::load(&app.ctx, id).await.unwrap();
    let (opens, closes) = (d.opens_at.unwrap(), d.closes_at.unwrap());
    // Before opening and a household of another village: refused.
    let e = svc::cast_online_vote(&app.ctx, id, hs[0], Choice::Agree, &key("early", hs[0]), opens - 1).await.unwrap_err();
    assert!(message(&e).contains("chưa nhận phiếu"), "{e:?}");
    let other_village = app.unit_id("14797.002").await;
    let stranger = households::list_by_village(app.store(), other_village, 0, 1).await.unwrap()[0].id;
    let e = svc::cast_online_vote(&app.ctx, id, stranger, Choice::Agree, &key("x", stranger), opens + 1).await.unwrap_err();
    assert!(message(&e).contains("không có trong danh sách hộ gia đình"), "{e:?}");
    let voters = &hs[..hs.len() / 2 + 1];
    for h in voters {
        svc::cast_online_vote(&app.ctx, id, *h, Choice::Agree, &key("v", *h), opens + 1).await.unwrap();
    }
    // Closing before the end of the window is refused.
    assert!(svc::close(&app.ctx, id, closes - 1).await.is_err());
    let closed = svc::close(&app.ctx, id, closes).await.unwrap();
    assert!(closed.now_closed);
    assert_eq!(closed.voted, voters.len() as i64);
    assert!(closed.result.passed(), "more than half of {} agree", hs.len());
    // A vote at or after closing, from a household that has not voted.
    let late = hs[hs.len() - 1];
    let e = svc::cast_online_vote(&app.ctx, id, late, Choice::Disagree, &key("late", late), closes + 5).await.unwrap_err();
    assert!(message(&e).contains("đã kết thúc"), "{e:?}");
    let e = svc::cast_online_vote(&app.ctx, id, late, Choice::Disagree, &key("late2", late), opens + 2).await.unwrap_err();
    assert!(message(&e).contains("đã kết thúc"), "the closed state refuses even inside the old window: {e:?}");
    // Frozen once: a second close changes nothing.
    let again = svc::close(&app.ctx, id, closes + HOUR).await.unwrap();
    assert!(!again.now_closed);
    assert_eq!(again.voted, closed.voted);
    let d = svc::load(&app.ctx, id).await.unwrap();
    let f = d.result.unwrap();
    assert_eq!(d.status, ds::DECIDED);
    assert_eq!((f.agree, f.voted, f.households), (voters.len() as i64, voters.len() as i64, hs.len() as i64));
    assert_eq!(d.closed_at, Some(closes));
    let villages = ds::village_results(app.store(), id).await.unwrap();
    assert_eq!(villages.len(), 1);
    let (counts, required, passed) = villages[0].result.unwrap();
    assert_eq!(counts.agree, voters.len() as u64);
    assert_eq!(required, (hs.len() / 2 + 1) as i64);
    assert!(passed);
    assert_eq!(ds::participation(app.store(), id, None, 0, 10_000).await.unwrap().len(), voters.len());
});

both!(r2_14_only_online_decisions_take_online_votes, |app| {
    let (commune, village, hs) = demo_village(&app).await;
    let id =
        svc::create(&app.ctx, &new_decision(commune, Some(village), Subject::PublicWorks, Form::HouseholdBallot, false)).await.unwrap();
    let now = danchu_store::now_ms();
    svc::open(&app.ctx, id, now - HOUR, now + HOUR).await.unwrap();
    let e = svc::cast_online_vote(&app.ctx, id, hs[0], Choice::Agree, &key("k", hs[0]), now).await.unwrap_err();
    assert!(message(&e).contains("trực tuyến"), "{e:?}");
    // The form of subject 1 cannot be an online vote (R2.5).
    let e = svc::create(&app.ctx, &new_decision(commune, Some(village), Subject::PublicWorks, Form::OnlineVote, false)).await.unwrap_err();
    assert!(message(&e).contains("trực tuyến"), "{e:?}");
});

/// A household-ballot decision of subject 1 in `village`, opened, ballots
/// issued, a counting team; returns (decision, team, codes by household).
async fn paper_decision(app: &TestApp, commune: i64, village: i64) -> (i64, i64, BTreeMap<i64, String>) {
    let id =
        svc::create(&app.ctx, &new_decision(commune, Some(village), Subject::PublicWorks, Form::HouseholdBallot, false)).await.unwrap();
    let now = danchu_store::now_ms();
    svc::open(&app.ctx, id, now - HOUR, now + HOUR).await.unwrap();
    svc::issue_paper_ballots(&app.ctx, id, village).await.unwrap();
    let team =
        svc::add_count_team(&app.ctx, id, village, &["Lê A", "Lê B", "Lê C"], ["Hộ chứng kiến 1", "Hộ chứng kiến 2"], None).await.unwrap();
    let codes = ds::paper_ballots(app.store(), id, village).await.unwrap().into_iter().map(|b| (b.household_id, b.code)).collect();
    (id, team, codes)
}

both!(r2_13_paper_ballots_refuse_a_second_count_an_unknown_household_and_another_village, |app| {
    let (commune, village, hs) = demo_village(&app).await;
    let (id, team, codes) = paper_decision(&app, commune, village).await;
    assert_eq!(codes.len(), hs.len(), "one ballot per household, never more");
    // Issuing again adds nothing; one more ballot for a household is refused.
    assert_eq!(svc::issue_paper_ballots(&app.ctx, id, village).await.unwrap(), 0);
    let e = svc::issue_paper_ballot(&app.ctx, id, village, hs[0]).await.unwrap_err();
    assert!(message(&e).contains("đã được phát phiếu"), "{e:?}");
    // A household of another village (or none) gets no ballot here.
    let other_village = app.unit_id("14797.002").await;
    let stranger = households::list_by_village(app.store(), other_village, 0, 1).await.unwrap()[0].id;
    for h in [stranger, 999_999_999] {
        let e = svc::issue_paper_ballot(&app.ctx, id, village, h).await.unwrap_err();
        assert!(message(&e).contains("không có trong danh sách hộ gia đình"), "{e:?}");
    }
    let code = &codes[&hs[0]];
    svc::count_paper_ballot(&app.ctx, id, village, team, code, Choice::Agree, None).await.unwrap();
    let e = svc::count_paper_ballot(&app.ctx, id, village, team, code, Choice::Disagree, None).await.unwrap_err();
    assert!(message(&e).contains("đã được kiểm"), "{e:?}");
    let e = svc::count_paper_ballot(&app.ctx, id, village, team, "ZZZZZZZZZZZZ", Choice::Agree, None).await.unwrap_err();
    assert!(message(&e).contains("không phải phiếu đã phát"), "{e:?}");
    // A ballot of another village's decision is not counted here.
    let (other_id, other_team, other_codes) = paper_decision(&app, commune, other_village).await;
    let foreign = other_codes.values().next().unwrap();
    let e = svc::count_paper_ballot(&app.ctx, id, village, team, foreign, Choice::Agree, None).await.unwrap_err();
    assert!(message(&e).contains("nội dung biểu quyết khác"), "{e:?}");
    // A commune-wide ballot counted under the wrong village.
    let cw = svc::create(&app.ctx, &new_decision(commune, None, Subject::PublicWorks, Form::HouseholdBallot, false)).await.unwrap();
    let now = danchu_store::now_ms();
    svc::open(&app.ctx, cw, now - HOUR, now + HOUR).await.unwrap();
    svc::issue_paper_ballots(&app.ctx, cw, other_village).await.unwrap();
    let cw_code = ds::paper_ballots(app.store(), cw, other_village).await.unwrap()[0].code.clone();
    let cw_team = svc::add_count_team(&app.ctx, cw, village, &["A", "B", "C"], ["W1", "W2"], None).await.unwrap();
    let e = svc::count_paper_ballot(&app.ctx, cw, village, cw_team, &cw_code, Choice::Agree, None).await.unwrap_err();
    assert!(message(&e).contains("thôn, tổ dân phố khác"), "{e:?}");
    // A team without its two witnesses is refused.
    let e = svc::add_count_team(&app.ctx, id, village, &["A", "B", "C"], ["W1", " "], None).await.unwrap_err();
    assert!(message(&e).contains("chứng kiến"), "{e:?}");
    // Nothing refused was written.
    assert_eq!(ds::live_village_counts(app.store(), id, village).await.unwrap(), Counts { agree: 1, ..Counts::default() });
    assert_eq!(ds::participation(app.store(), id, None, 0, 100).await.unwrap().len(), 1);
    assert_eq!(ds::live_counts(app.store(), other_id).await.unwrap().len(), 0);
    let _ = other_team;
});

/// Counts `agree` ballots as agreeing and the rest of `voted` as
/// disagreeing, then closes and returns the frozen outcome.
async fn paper_result(app: &TestApp, commune: i64, village: i64, voted: usize, agree: usize) -> DecisionResult {
    let (id, team, codes) = paper_decision(app, commune, village).await;
    for (i, code) in codes.values().take(voted).enumerate() {
        let c = if i < agree { Choice::Agree } else { Choice::Disagree };
        svc::count_paper_ballot(&app.ctx, id, village, team, code, c, None).await.unwrap();
    }
    let d = svc::load(&app.ctx, id).await.unwrap();
    svc::close(&app.ctx, id, d.closes_at.unwrap()).await.unwrap().result
}

both!(r2_15_two_thirds_of_all_households_80_of_120_passes_79_fails, |app| {
    let (commune, village, _) = village_with(&app, "Thôn Thử Ngưỡng", 120).await;
    let DecisionResult::Village(o) = paper_result(&app, commune, village, 110, 80).await else { panic!("village result") };
    assert_eq!((o.households, o.agree, o.required), (120, 80, 80));
    assert!(o.passed, "80 of 120 is at least two thirds");
    let DecisionResult::Village(o) = paper_result(&app, commune, village, 120, 79).await else { panic!("village result") };
    assert_eq!((o.households, o.agree, o.voted), (120, 79, 120));
    assert!(!o.passed, "79 of 120 is less than two thirds, whoever voted");
});

both!(r2_15_more_than_half_of_all_households_60_of_120_fails_61_passes, |app| {
    let (commune, village, hs) = village_with(&app, "Thôn Thử Nửa", 120).await;
    for (n, passes) in [(60usize, false), (61, true)] {
        let id = online_vote(&app, commune, village, false).await;
        let now = danchu_store::now_ms();
        for h in &hs[..n] {
            svc::cast_online_vote(&app.ctx, id, *h, Choice::Agree, &key("half", *h), now).await.unwrap();
        }
        // The tally from the counters, then the frozen one, agree.
        let live = svc::tally(&app.ctx, id).await.unwrap();
        let d = svc::load(&app.ctx, id).await.unwrap();
        let closed = svc::close(&app.ctx, id, d.closes_at.unwrap()).await.unwrap();
        assert_eq!(live, closed.result);
        let DecisionResult::Village(o) = closed.result else { panic!("village result") };
        assert_eq!((o.households, o.agree, o.required), (120, n as u64, 61));
        assert_eq!(o.passed, passes, "{n} of 120 households");
        let d = svc::load(&app.ctx, id).await.unwrap();
        assert_eq!(d.status, if passes { ds::DECIDED } else { ds::FAILED });
    }
});

/// Counts exactly two thirds (rounded up) of a village's households as
/// agreeing in a commune-wide ballot.
async fn pass_village(app: &TestApp, id: i64, v: i64, h: i64) {
    svc::issue_paper_ballots(&app.ctx, id, v).await.unwrap();
    let team = svc::add_count_team(&app.ctx, id, v, &["A", "B", "C"], ["W1", "W2"], None).await.unwrap();
    let need = (2 * h as usize).div_ceil(3);
    for b in ds::paper_ballots(app.store(), id, v).await.unwrap().iter().take(need) {
        svc::count_paper_ballot(&app.ctx, id, v, team, &b.code, Choice::Agree, None).await.unwrap();
    }
}

both!(r2_15_commune_wide_needs_two_thirds_of_the_villages_passing, |app| {
    let commune = app.unit_id("14797").await;
    let id = svc::create(&app.ctx, &new_decision(commune, None, Subject::PublicWorks, Form::HouseholdBallot, false)).await.unwrap();
    let now = danchu_store::now_ms();
    svc::open(&app.ctx, id, now - HOUR, now + HOUR).await.unwrap();
    let bases = ds::bases(app.store(), id).await.unwrap();
    assert_eq!(bases.len(), 6, "every village of the commune takes part");
    let villages: Vec<(i64, i64)> = bases.iter().map(|(v, h)| (*v, *h)).collect();
    // Each of the first villages passes with exactly the two thirds of its
    // own households.
    for (v, h) in &villages[..3] {
        pass_village(&app, id, *v, *h).await;
    }
    let DecisionResult::Commune { villages: outs, commune: c } = svc::tally(&app.ctx, id).await.unwrap() else { panic!("commune") };
    assert_eq!((c.villages, c.passed_villages, c.required), (6, 3, 4));
    assert!(!c.passed, "3 of 6 villages is less than two thirds");
    assert_eq!(outs.len(), 6);
    let (v, h) = villages[3];
    pass_village(&app, id, v, h).await;
    let closed = svc::close(&app.ctx, id, now + HOUR).await.unwrap();
    let DecisionResult::Commune { commune: c, .. } = closed.result else { panic!("commune") };
    assert_eq!((c.passed_villages, c.required), (4, 4));
    assert!(c.passed, "4 of 6 villages is two thirds");
    let d = svc::load(&app.ctx, id).await.unwrap();
    let f = d.result.unwrap();
    assert_eq!((f.villages, f.villages_passed, f.passed), (Some(6), Some(4), true));
    assert_eq!(f.households, villages.iter().map(|(_, h)| h).sum::<i64>());
    let rows = ds::village_results(app.store(), id).await.unwrap();
    assert_eq!(rows.iter().filter(|r| r.result.map(|x| x.2).unwrap_or(false)).count(), 4);
});

both!(r2_10_meeting_result_is_recorded_once_and_never_exceeds_attendance, |app| {
    let (commune, village, hs) = demo_village(&app).await;
    let id = svc::create(&app.ctx, &new_decision(commune, Some(village), Subject::Convention, Form::Meeting, false)).await.unwrap();
    let now = danchu_store::now_ms();
    svc::open(&app.ctx, id, now - HOUR, now + HOUR).await.unwrap();
    let other_village = app.unit_id("14797.002").await;
    let stranger = households::list_by_village(app.store(), other_village, 0, 1).await.unwrap()[0].id;
    let mut tx = app.store().write().await.unwrap();
    let day = today().to_string();
    let m = ds::add_meeting(
        &mut tx,
        &ds::NewMeeting {
            decision_id: id,
            village_id: village,
            held_on: &day,
            notice_on: &day,
            documents_on: &day,
            secretary: "Thư Ký",
            committee: "A\nB\nC",
            method: "hands",
            created_by: None,
        },
    )
    .await
    .unwrap();
    // Ten households, three of them twice, and one of another village.
    let mut present: Vec<i64> = hs[..10].to_vec();
    present.extend_from_slice(&hs[..3]);
    present.push(stranger);
    assert_eq!(ds::add_attendance(&mut tx, m, &present).await.unwrap(), 10);
    tx.commit().await.unwrap();
    assert_eq!(ds::meeting(app.store(), m).await.unwrap().unwrap().present, 10);
    assert_eq!(
        ds::attendance(app.store(), m).await.unwrap(),
        hs[..10].iter().copied().collect::<BTreeSet<_>>().into_iter().collect::<Vec<_>>()
    );
    let e = svc::record_meeting_result(&app.ctx, m, Counts { agree: 11, ..Counts::default() }).await.unwrap_err();
    assert!(message(&e).contains("nhiều hơn số hộ tham dự"), "{e:?}");
    let counts = Counts { agree: 8, disagree: 2, ..Counts::default() };
    svc::record_meeting_result(&app.ctx, m, counts).await.unwrap();
    let e = svc::record_meeting_result(&app.ctx, m, counts).await.unwrap_err();
    assert!(message(&e).contains("đã được ghi"), "{e:?}");
    assert_eq!(ds::live_village_counts(app.store(), id, village).await.unwrap(), counts);
    assert_eq!(ds::recount(app.store(), id).await.unwrap(), ds::live_counts(app.store(), id).await.unwrap());
    // 8 agreeing of all the village's households is not more than half.
    let DecisionResult::Village(o) = svc::tally(&app.ctx, id).await.unwrap() else { panic!("village result") };
    assert_eq!((o.agree, o.households), (8, hs.len() as u64));
    assert!(!o.passed);
});
