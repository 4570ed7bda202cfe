//! Village-head elections and dismissals through the service and the
//! store, on both backends: the preparation timeline (R5.1), candidates and
//! the election team (R5.1, R5.2, R5.4), the count with the Law's threshold
//! and the attendees' figure (R5.5), no winner and the re-election (R5.7),
//! recognition with its clock and the term (R5.6, R5.8), the interim head
//! (R5.8) and dismissal with its petition threshold and 60-day clock (R5.9,
//! R5.10).

use crate::both;
use crate::decisions::village_with;
use crate::harness::TestApp;
use chrono::{Days, Months, NaiveDate};
use danchu::election::{self as svc, NewElection, Trigger};
use danchu::error::AppError;
use danchu_domain::decision::ClockState;
use danchu_domain::election::{CommuneAnswer, Step};
use danchu_store::elections as es;
use danchu_store::households;

fn today() -> NaiveDate {
    danchu::web::chrome::today_vn()
}

/// A village of `n` households (one member each, from today) and its
/// residents' person ids.
async fn village(app: &TestApp, name: &str, n: usize) -> (i64, Vec<i64>) {
    let (_, village, hs) = village_with(app, name, n).await;
    let mut people = Vec::new();
    for h in hs {
        people.push(households::detail(app.store(), h).await.unwrap().members[0].id);
    }
    (village, people)
}

fn msg(e: AppError) -> String {
    match e {
        AppError::BadRequest(m) | AppError::Conflict(m) => m.vi,
        AppError::Validation(v) => v.into_iter().map(|f| f.message.vi).collect::<Vec<_>>().join(" "),
        other => format!("{other:?}"),
    }
}

/// An election on E = today + 30 with its candidates and team set.
async fn prepared(app: &TestApp, village: i64, people: &[i64], candidates: &[i64]) -> i64 {
    let e = today() + Days::new(30);
    let id = svc::create(&app.ctx, &NewElection { village_id: village, election_day: e, redo_of: None, is_demo: false, created_by: None })
        .await
        .unwrap();
    svc::record_step(&app.ctx, id, Step::Decision, today()).await.unwrap();
    svc::set_candidates(&app.ctx, id, candidates, today()).await.unwrap();
    let team: Vec<i64> = people.iter().copied().filter(|p| !candidates.contains(p)).take(3).collect();
    svc::set_team(&app.ctx, id, team[0], true, &team[1..], today()).await.unwrap();
    svc::record_step(&app.ctx, id, Step::Announcement, today()).await.unwrap();
    id
}

both!(r5_1_each_step_is_refused_after_its_day_counted_back_from_the_election, |app| {
    let (v, people) = village(&app, "Thôn Bầu Một", 10).await;
    let e = today() + Days::new(30);
    let id = svc::create(&app.ctx, &NewElection { village_id: v, election_day: e, redo_of: None, is_demo: false, created_by: None })
        .await
        .unwrap();
    // E−20 is the last day for the decision; E−19 is late.
    svc::record_step(&app.ctx, id, Step::Decision, e - Days::new(20)).await.unwrap();
    let late = svc::set_candidates(&app.ctx, id, &people[..1], e - Days::new(14)).await.unwrap_err();
    assert!(msg(late).contains("15 ngày trước ngày bầu cử"));
    svc::set_candidates(&app.ctx, id, &people[..1], e - Days::new(15)).await.unwrap();
    let late = svc::set_team(&app.ctx, id, people[1], true, &people[2..3], e - Days::new(9)).await.unwrap_err();
    assert!(msg(late).contains("10 ngày trước"));
    svc::set_team(&app.ctx, id, people[1], true, &people[2..3], e - Days::new(10)).await.unwrap();
    assert!(svc::record_step(&app.ctx, id, Step::Announcement, e - Days::new(6)).await.is_err(), "E−6 is late for the announcement");
    svc::record_step(&app.ctx, id, Step::Announcement, e - Days::new(7)).await.unwrap();
    let stored = es::get(app.store(), id).await.unwrap().unwrap();
    assert_eq!(stored.decision_on.as_deref(), Some((e - Days::new(20)).to_string().as_str()));
    assert_eq!(stored.announced_on.as_deref(), Some((e - Days::new(7)).to_string().as_str()));
    // Recording a step again keeps the first day.
    svc::record_step(&app.ctx, id, Step::Decision, e - Days::new(25)).await.unwrap();
    assert_eq!(es::get(app.store(), id).await.unwrap().unwrap().decision_on, stored.decision_on);
});

both!(r5_1_r5_2_r5_4_candidates_team_and_nominations_from_the_floor, |app| {
    let (v, people) = village(&app, "Thôn Bầu Hai", 10).await;
    let (_, other) = village(&app, "Thôn Bầu Ba", 2).await;
    let e = today() + Days::new(30);
    let id = svc::create(&app.ctx, &NewElection { village_id: v, election_day: e, redo_of: None, is_demo: false, created_by: None })
        .await
        .unwrap();
    // At least one candidate, each a resident of the village, nobody twice.
    assert!(msg(svc::set_candidates(&app.ctx, id, &[], today()).await.unwrap_err()).contains("ít nhất 01 người"));
    assert!(msg(svc::set_candidates(&app.ctx, id, &[people[0], people[0]], today()).await.unwrap_err()).contains("lặp"));
    assert!(msg(svc::set_candidates(&app.ctx, id, &[other[0]], today()).await.unwrap_err()).contains("không phải cư dân"));
    svc::set_candidates(&app.ctx, id, &people[..2], today()).await.unwrap();
    // The team: led by the Front's representative, no candidate on it.
    assert!(msg(svc::set_team(&app.ctx, id, people[3], false, &people[4..5], today()).await.unwrap_err()).contains("Ban công tác Mặt trận"));
    assert!(
        msg(svc::set_team(&app.ctx, id, people[3], true, &[people[1]], today()).await.unwrap_err()).contains("không được là thành viên")
    );
    svc::set_team(&app.ctx, id, people[3], true, &people[4..6], today()).await.unwrap();
    assert_eq!(es::team(app.store(), id).await.unwrap().len(), 3);
    // From the floor: a new resident, not one on the team, not twice.
    svc::nominate_from_floor(&app.ctx, id, people[6]).await.unwrap();
    assert!(msg(svc::nominate_from_floor(&app.ctx, id, people[6]).await.unwrap_err()).contains("đã có trong danh sách"));
    assert!(msg(svc::nominate_from_floor(&app.ctx, id, people[4]).await.unwrap_err()).contains("Tổ bầu cử"));
    let c = es::candidates(app.store(), id).await.unwrap();
    assert_eq!(c.iter().map(|c| c.nominated.as_str()).collect::<Vec<_>>(), ["list", "list", "floor"]);
});

both!(r5_5_the_winner_needs_more_than_half_of_all_households_not_of_attendees, |app| {
    // 120 households: 60 votes is half, not more than half; 61 wins.
    let (v, people) = village(&app, "Thôn Bầu Bốn", 120).await;
    let id = prepared(&app, v, &people, &people[..2]).await;
    let no = svc::record_count(&app.ctx, id, 70, &[(people[0], 60), (people[1], 8)], 2, "").await.unwrap_err();
    assert!(msg(no).contains("lý do"), "no winner needs the reason in the minutes (R5.7)");
    let o = svc::record_count(
        &app.ctx,
        id,
        70,
        &[(people[0], 60), (people[1], 8)],
        2,
        "Không người ứng cử nào đạt trên 50% tổng số hộ của thôn.",
    )
    .await
    .unwrap();
    assert_eq!((o.households, o.required, o.winner), (120, 61, None));
    assert!(o.candidates[0].over_half_of_attendees && !o.candidates[0].elected_under_law, "D59's figure reported, the Law's applied");
    let stored = es::get(app.store(), id).await.unwrap().unwrap();
    assert_eq!((stored.status.as_str(), stored.required, stored.winner_id), (es::NO_WINNER, Some(61), None));
    // Counted once.
    assert!(svc::record_count(&app.ctx, id, 70, &[(people[0], 61)], 0, "").await.is_err());

    let (v2, people2) = village(&app, "Thôn Bầu Năm", 120).await;
    let id2 = prepared(&app, v2, &people2, &people2[..2]).await;
    // More ballots than attendees, more attendees than households, a vote
    // for someone not standing: refused, nothing written.
    assert!(svc::record_count(&app.ctx, id2, 60, &[(people2[0], 61)], 0, "").await.is_err());
    assert!(svc::record_count(&app.ctx, id2, 121, &[(people2[0], 61)], 0, "").await.is_err());
    assert!(svc::record_count(&app.ctx, id2, 100, &[(people2[9], 61)], 0, "").await.is_err());
    assert_eq!(es::get(app.store(), id2).await.unwrap().unwrap().status, es::PLANNED);
    let o = svc::record_count(&app.ctx, id2, 100, &[(people2[0], 61), (people2[1], 30)], 9, "").await.unwrap();
    assert_eq!(o.winner.map(|w| w.0), Some(people2[0]));
    let c = es::candidates(app.store(), id2).await.unwrap();
    assert_eq!(c.iter().map(|c| c.votes).collect::<Vec<_>>(), [Some(61), Some(30)]);
});

both!(r5_6_r5_8_recognition_within_five_working_days_starts_the_term, |app| {
    let (v, people) = village(&app, "Thôn Bầu Sáu", 10).await;
    let id = prepared(&app, v, &people, &people[..1]).await;
    assert!(svc::answer(&app.ctx, id, &CommuneAnswer::Recognised, today()).await.is_err(), "nothing to answer before sending");
    svc::record_count(&app.ctx, id, 8, &[(people[0], 6)], 0, "").await.unwrap();
    let e = today() + Days::new(30);
    svc::send(&app.ctx, id, e + Days::new(1)).await.unwrap();
    svc::send(&app.ctx, id, e + Days::new(1)).await.unwrap();
    let sent = es::get(app.store(), id).await.unwrap().unwrap();
    let due = match svc::answer_clock(&app.ctx, &sent, e + Days::new(1)).await.unwrap() {
        Some(ClockState::Running { due }) => due,
        other => panic!("{other:?}"),
    };
    assert!(due >= e + Days::new(1 + 7) - Days::new(2) && due <= e + Days::new(1 + 14), "5 working days: {due}");
    assert!(matches!(svc::answer_clock(&app.ctx, &sent, due + Days::new(1)).await.unwrap(), Some(ClockState::Overdue { .. })));
    let short = svc::answer(&app.ctx, id, &CommuneAnswer::Replied { reasons: "Không".into() }, e + Days::new(2)).await.unwrap_err();
    assert!(msg(short).contains("lý do"));
    let on = e + Days::new(3);
    svc::answer(&app.ctx, id, &CommuneAnswer::Recognised, on).await.unwrap();
    assert!(svc::answer(&app.ctx, id, &CommuneAnswer::Recognised, on).await.is_err(), "answered once");
    let head = es::current_head(app.store(), v).await.unwrap().expect("the winner took office");
    assert_eq!((head.person_id, head.kind.as_str(), head.from_on.clone()), (Some(people[0]), "elected", on.to_string()));
    let term_end = on.checked_add_months(Months::new(app.ctx.cfg.village_head_term_months)).unwrap() - Days::new(1);
    assert_eq!(head.until_on, term_end.to_string(), "the province's term (R5.8, a setting)");
    let answered = es::get(app.store(), id).await.unwrap().unwrap();
    assert!(matches!(svc::answer_clock(&app.ctx, &answered, on).await.unwrap(), Some(ClockState::DoneOnTime { .. })));
});

both!(r5_7_no_winner_leads_to_a_re_election_decided_by_the_commune, |app| {
    let (v, people) = village(&app, "Thôn Bầu Bảy", 10).await;
    let id = prepared(&app, v, &people, &people[..2]).await;
    svc::record_count(&app.ctx, id, 9, &[(people[0], 5), (people[1], 4)], 0, "Người cao nhất đạt 5/10 hộ, chưa quá nửa.").await.unwrap();
    let e = today() + Days::new(30);
    let redo = NewElection { village_id: v, election_day: e + Days::new(30), redo_of: Some(id), is_demo: false, created_by: None };
    assert!(msg(svc::create(&app.ctx, &redo).await.unwrap_err()).contains("bầu lại"), "the commune decides the re-election first");
    svc::send(&app.ctx, id, e).await.unwrap();
    assert!(msg(svc::answer(&app.ctx, id, &CommuneAnswer::Recognised, e).await.unwrap_err()).contains("bầu lại"));
    svc::answer(&app.ctx, id, &CommuneAnswer::ReElection, e + Days::new(1)).await.unwrap();
    let again = svc::create(&app.ctx, &redo).await.unwrap();
    assert_eq!(es::get(app.store(), again).await.unwrap().unwrap().redo_of, Some(id));
    assert_eq!(es::get(app.store(), id).await.unwrap().unwrap().status, es::RE_ELECTION, "the history stays");
});

both!(r5_8_r5_9_r5_10_interim_head_dismissal_petition_and_the_sixty_day_clock, |app| {
    let (v, people) = village(&app, "Thôn Bầu Tám", 10).await;
    assert!(svc::start_dismissal(&app.ctx, v, today(), Trigger::OwnRequest, None).await.is_err(), "no head to dismiss");
    svc::appoint_interim(&app.ctx, v, people[0], today()).await.unwrap();
    let interim = es::current_head(app.store(), v).await.unwrap().unwrap();
    let six = today().checked_add_months(Months::new(6)).unwrap() - Days::new(1);
    assert_eq!((interim.kind.as_str(), interim.until_on.clone()), ("interim", six.to_string()));
    // A households' petition needs at least half of all households: 4 of 10
    // is refused, 5 starts it.
    let meeting = today() + Days::new(10);
    assert!(msg(svc::start_dismissal(&app.ctx, v, meeting, Trigger::Petition(4), None).await.unwrap_err()).contains("50%"));
    let id = svc::start_dismissal(&app.ctx, v, meeting, Trigger::Petition(5), None).await.unwrap();
    // The meeting: 5 of 10 is not more than half.
    assert!(!svc::record_dismissal_vote(&app.ctx, id, 9, 5).await.unwrap());
    svc::send(&app.ctx, id, meeting).await.unwrap();
    assert!(svc::answer(&app.ctx, id, &CommuneAnswer::Recognised, meeting).await.is_err(), "a dismissal that failed is not recognised");
    let id2 = svc::start_dismissal(&app.ctx, v, meeting, Trigger::Petition(6), None).await.unwrap();
    assert!(svc::record_dismissal_vote(&app.ctx, id2, 9, 6).await.unwrap());
    svc::send(&app.ctx, id2, meeting).await.unwrap();
    svc::answer(&app.ctx, id2, &CommuneAnswer::Recognised, meeting + Days::new(2)).await.unwrap();
    assert!(es::current_head(app.store(), v).await.unwrap().is_none(), "the head's service ended");
    let by: NaiveDate = es::get(app.store(), id2).await.unwrap().unwrap().new_election_by.unwrap().parse().unwrap();
    let sixty = meeting + Days::new(2 + 60);
    assert!(by >= sixty && by <= sixty + Days::new(4), "60 days, moved off a day off: {by} vs {sixty}");
    // The election after the dismissal names it.
    let next = NewElection { village_id: v, election_day: meeting + Days::new(40), redo_of: Some(id2), is_demo: false, created_by: None };
    svc::create(&app.ctx, &next).await.unwrap();
});
