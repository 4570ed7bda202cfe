//! Staff and workers' conferences through the service and the store, on
//! both backends: the yearly window (R7.2), plenary or delegates (R7.3),
//! the 2/3 quorum and more than half of those present (R7.4), the written
//! ballot after a second convening without quorum (R7.4), a state-owned
//! enterprise's workers' conference (R7.7) and the six-monthly check (R7.6).

use crate::both;
use crate::harness::TestApp;
use chrono::NaiveDate;
use danchu::conference::{self as svc, NewConference, Session};
use danchu::error::AppError;
use danchu_domain::conference::NextStep;
use danchu_domain::units::{Era, UnitKind};
use danchu_store::conferences as cs;
use danchu_store::units;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn msg(e: AppError) -> String {
    match e {
        AppError::BadRequest(m) | AppError::Conflict(m) => m.vi,
        AppError::Validation(v) => v.into_iter().map(|f| f.message.vi).collect::<Vec<_>>().join(" "),
        other => format!("{other:?}"),
    }
}

/// An organisation of commune 14797 of this kind.
async fn org(app: &TestApp, code: &str, kind: UnitKind) -> i64 {
    let parent = units::get(app.store(), app.unit_id("14797").await).await.unwrap();
    let mut tx = app.store().write().await.unwrap();
    let u = units::insert(
        &mut tx,
        &units::NewUnit {
            era: Era::Current,
            code,
            kind,
            name: "Đơn vị thử",
            short_name: "Đơn vị thử",
            search_key: "don vi thu",
            parent: Some(&parent),
            valid_from: Some("2020-01-01"),
            valid_to: None,
            is_demo: false,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    u.id
}

fn yearly(unit: i64, held: &str, staff: u64, delegates: Option<u64>) -> NewConference {
    NewConference { unit_id: unit, year_end: d("2026-12-31"), held_on: d(held), staff, delegates, dispersed: false, created_by: None }
}

both!(r7_2_r7_3_within_three_months_of_the_year_end_plenary_under_one_hundred, |app| {
    let unit = org(&app, "14797.T91", UnitKind::Agency).await;
    assert!(msg(svc::schedule(&app.ctx, &yearly(unit, "2027-04-01", 40, None)).await.unwrap_err()).contains("31/03/2027"));
    assert!(svc::schedule(&app.ctx, &yearly(unit, "2026-12-31", 40, None)).await.is_err(), "not before the year ends");
    assert!(msg(svc::schedule(&app.ctx, &yearly(unit, "2027-03-31", 99, Some(30))).await.unwrap_err()).contains("toàn thể"));
    svc::schedule(&app.ctx, &yearly(unit, "2027-03-31", 100, Some(30))).await.unwrap();
    svc::schedule(&app.ctx, &yearly(unit, "2027-01-15", 40, None)).await.unwrap();
    let village = app.unit_id("14797.001").await;
    assert!(svc::schedule(&app.ctx, &yearly(village, "2027-01-15", 40, None)).await.is_err(), "only in agencies and enterprises");
});

both!(r7_4_quorum_of_two_thirds_and_more_than_half_of_those_present, |app| {
    let unit = org(&app, "14797.T92", UnitKind::Agency).await;
    let id = svc::schedule(&app.ctx, &yearly(unit, "2027-01-20", 90, None)).await.unwrap();
    // 90 convened: 59 present lack the 2/3 (60); reconvene.
    assert_eq!(svc::record_session(&app.ctx, id, 0, 59, &[], false).await.unwrap(), Session::NoQuorum(NextStep::Reconvene));
    assert!(svc::record_session(&app.ctx, id, 0, 59, &[], false).await.is_err(), "the same convening is recorded once");
    // 60 present: 30 approvals is half, not more; 31 passes.
    let items = vec![("Quy chế chi tiêu nội bộ".to_string(), 30), ("Quy chế dân chủ".to_string(), 31)];
    match svc::record_session(&app.ctx, id, 1, 60, &items, false).await.unwrap() {
        Session::Held(rows) => {
            assert_eq!(rows.iter().map(|r| (r.required, r.passed)).collect::<Vec<_>>(), [(31, false), (31, true)]);
        }
        other => panic!("{other:?}"),
    }
    let stored = cs::get(app.store(), id).await.unwrap().unwrap();
    assert_eq!((stored.status.as_str(), stored.failed_convenings, stored.present), (cs::HELD, 1, Some(60)));
    assert_eq!(cs::decisions(app.store(), id).await.unwrap().len(), 2);
    assert!(svc::record_session(&app.ctx, id, 1, 60, &items, false).await.is_err(), "recorded once");
});

both!(r7_4_r7_7_the_written_ballot_after_a_second_convening_without_quorum, |app| {
    let unit = org(&app, "14797.T93", UnitKind::StateEnterprise).await;
    let id = svc::schedule(&app.ctx, &yearly(unit, "2027-02-10", 30, None)).await.unwrap();
    let items = vec![("Thỏa ước lao động tập thể".to_string(), 16)];
    assert!(svc::record_written_ballot(&app.ctx, id, 30, 25, &items, d("2027-02-20")).await.is_err(), "not before two failed convenings");
    assert_eq!(svc::record_session(&app.ctx, id, 0, 19, &[], false).await.unwrap(), Session::NoQuorum(NextStep::Reconvene));
    assert_eq!(svc::record_session(&app.ctx, id, 1, 19, &[], false).await.unwrap(), Session::NoQuorum(NextStep::WrittenBallot));
    // More than half of ALL 30 workers (the configurable default): 15 fails, 16 passes.
    let rows = svc::record_written_ballot(&app.ctx, id, 30, 25, &[("A".into(), 15), ("B".into(), 16)], d("2027-02-20")).await.unwrap();
    assert_eq!(rows.iter().map(|r| (r.base, r.required, r.passed)).collect::<Vec<_>>(), [(30, 16, false), (30, 16, true)]);
    assert_eq!(cs::get(app.store(), id).await.unwrap().unwrap().status, cs::BALLOT_COUNTED);
});

both!(r7_6_the_resolution_is_checked_every_six_months, |app| {
    let unit = org(&app, "14797.T94", UnitKind::PublicServiceUnit).await;
    let id = svc::schedule(&app.ctx, &yearly(unit, "2027-01-15", 12, None)).await.unwrap();
    svc::record_session(&app.ctx, id, 0, 12, &[("Nghị quyết hội nghị".into(), 10)], false).await.unwrap();
    let c = cs::get(app.store(), id).await.unwrap().unwrap();
    assert!(!svc::check_overdue(&app.ctx, &c, d("2027-07-15")).await.unwrap());
    assert!(svc::check_overdue(&app.ctx, &c, d("2027-07-16")).await.unwrap());
    assert!(svc::record_check(&app.ctx, id, d("2027-07-10"), "Đã kiểm tra, thông báo toàn thể").await.unwrap());
    assert!(!svc::record_check(&app.ctx, id, d("2027-07-10"), "lần hai").await.unwrap());
    assert!(!svc::check_overdue(&app.ctx, &c, d("2027-07-16")).await.unwrap());
    assert!(svc::check_overdue(&app.ctx, &c, d("2028-01-11")).await.unwrap());
});
