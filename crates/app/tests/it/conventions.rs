//! Village conventions (hương ước, quy ước) through the service and the
//! store, on both backends: the life cycle with its history (R6.3–R6.7),
//! the 30-day consultation (R6.5), adoption with the quorum and more than
//! half of ALL households (R6.6), the recognition clocks (R6.7),
//! suspension and annulment (R6.9, R6.11), amendment (R6.10),
//! dissemination (R6.12) and the yearly review (R6.13).

use crate::both;
use crate::decisions::village_with;
use crate::harness::TestApp;
use chrono::{Datelike, Days, NaiveDate};
use danchu::convention::{self as svc, Vote};
use danchu::error::AppError;
use danchu_domain::convention::{
    AnnulmentGround, Dissemination, Dossier, DraftingTeam, Extent, Proposal, State, Suspension, SuspensionGround,
};
use danchu_domain::decision::{ClockState, Counts};
use danchu_store::consultations::{self as ks, NewConsultation, NewVersion};
use danchu_store::conventions as cs;

fn today() -> NaiveDate {
    danchu::web::chrome::today_vn()
}

fn msg(e: AppError) -> String {
    match e {
        AppError::BadRequest(m) | AppError::Conflict(m) => m.vi,
        AppError::Validation(v) => v.into_iter().map(|f| f.message.vi).collect::<Vec<_>>().join(" "),
        other => format!("{other:?}"),
    }
}

/// A consultation of commune 14797 open from today for `days` days.
async fn consultation(app: &TestApp, days: u64) -> i64 {
    let unit = app.unit_id("14797").await;
    let u = danchu_store::units::get(app.store(), unit).await.unwrap();
    let (o, c) = (today(), today() + Days::new(days));
    let body = "Điều 1. Phạm vi\nHương ước này quy định nếp sống văn minh.\n";
    let d = danchu_domain::draft::parse(body);
    let parts = danchu::consultation::parts_of(&d);
    let mut tx = app.store().write().await.unwrap();
    let id = ks::create(
        &mut tx,
        &NewConsultation {
            unit_id: unit,
            unit_path: &u.path,
            village_id: None,
            subject: "huong-uoc",
            title: "Dự thảo hương ước",
            summary: "",
            eligibility: "residents",
            opens_on: &o.to_string(),
            closes_on: &c.to_string(),
            sector_days: None,
            sector_basis: None,
            plan_content: "Nội dung",
            plan_forms: "online",
            plan_method: "Niêm yết",
            plan_responsibilities: "Trưởng thôn",
            is_demo: false,
            created_by: None,
        },
        &NewVersion { body, structured: true, change_note: "", source_sha256: None, parts: &parts, created_by: None },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

/// A convention of a new village of `n` households, in the vote.
async fn in_vote(app: &TestApp, name: &str, n: usize) -> (i64, i64) {
    let (_, v, _) = village_with(app, name, n).await;
    let id = svc::propose(&app.ctx, v, "Hương ước thôn", "huong_uoc", &Proposal::VillageHead { agreed_with_front: true }, today(), None)
        .await
        .unwrap();
    svc::set_drafting_team(
        &app.ctx,
        id,
        DraftingTeam { members: 5, has_village_elder: true, has_ethnic_language_speaker: false },
        false,
        today(),
    )
    .await
    .unwrap();
    let k = consultation(app, 30).await;
    svc::open_consultation(&app.ctx, id, k, today()).await.unwrap();
    svc::advance(&app.ctx, id, State::Voting, today(), "Đưa ra biểu quyết").await.unwrap();
    (v, id)
}

fn counts(agree: u64, disagree: u64) -> Counts {
    Counts { agree, disagree, other: 0, invalid: 0 }
}

both!(r6_3_r6_4_r6_5_proposal_team_and_thirty_days_of_comments, |app| {
    let (_, v, _) = village_with(&app, "Thôn Ước Một", 10).await;
    let p = Proposal::VillageHead { agreed_with_front: false };
    assert!(msg(svc::propose(&app.ctx, v, "Hương ước", "huong_uoc", &p, today(), None).await.unwrap_err()).contains("Mặt trận"));
    let ok = Proposal::VillageHead { agreed_with_front: true };
    let id = svc::propose(&app.ctx, v, "Hương ước", "huong_uoc", &ok, today(), None).await.unwrap();
    let ethnic = DraftingTeam { members: 4, has_village_elder: false, has_ethnic_language_speaker: true };
    assert!(msg(svc::set_drafting_team(&app.ctx, id, ethnic, true, today()).await.unwrap_err()).contains("già làng"));
    svc::set_drafting_team(
        &app.ctx,
        id,
        DraftingTeam { members: 4, has_village_elder: true, has_ethnic_language_speaker: true },
        true,
        today(),
    )
    .await
    .unwrap();
    // The vote needs the consultation first; 29 days is too short, 30 is enough.
    assert!(svc::advance(&app.ctx, id, State::Voting, today(), "x").await.is_err());
    let short = consultation(&app, 28).await;
    assert!(msg(svc::open_consultation(&app.ctx, id, short, today()).await.unwrap_err()).contains("30"));
    let k = consultation(&app, 30).await;
    svc::open_consultation(&app.ctx, id, k, today()).await.unwrap();
    svc::advance(&app.ctx, id, State::Voting, today(), "Đưa ra biểu quyết").await.unwrap();
    let history: Vec<String> = cs::events(app.store(), id).await.unwrap().into_iter().map(|e| e.to_state).collect();
    assert_eq!(history, ["proposed", "drafting", "consulting", "voting"]);
});

both!(r6_6_adoption_needs_the_quorum_and_more_than_half_of_all_households, |app| {
    // 120 households: a meeting of 60 has no quorum; 60 agree is not
    // more than half; 61 adopts.
    let (_, id) = in_vote(&app, "Thôn Ước Hai", 120).await;
    let e = svc::record_adoption(&app.ctx, id, Vote::Meeting { present: 60 }, counts(60, 0), today()).await.unwrap_err();
    assert!(msg(e).contains("trên 50% số hộ"), "no quorum");
    let e = svc::record_adoption(&app.ctx, id, Vote::Ballot { meeting_failed_quorum: false }, counts(61, 0), today()).await.unwrap_err();
    assert!(msg(e).contains("không đủ"), "the ballot route only after a meeting without quorum");
    assert!(!svc::record_adoption(&app.ctx, id, Vote::Meeting { present: 100 }, counts(60, 40), today()).await.unwrap());
    let c = cs::get(app.store(), id).await.unwrap().unwrap();
    assert_eq!((c.state.as_str(), c.required, c.households), ("not_adopted", Some(61), Some(120)));
    // A failed vote may be redone.
    svc::advance(&app.ctx, id, State::Voting, today(), "Biểu quyết lại").await.unwrap();
    assert!(svc::record_adoption(&app.ctx, id, Vote::Ballot { meeting_failed_quorum: true }, counts(61, 20), today()).await.unwrap());
    assert_eq!(cs::get(app.store(), id).await.unwrap().unwrap().state, "adopted");
});

both!(r6_7_r6_10_dossier_recognition_clock_and_an_amendment_replacing_the_text, |app| {
    let (v, id) = in_vote(&app, "Thôn Ước Ba", 10).await;
    svc::record_adoption(&app.ctx, id, Vote::Meeting { present: 8 }, counts(7, 1), today()).await.unwrap();
    assert!(msg(svc::answer(&app.ctx, id, true, "", today()).await.unwrap_err()).contains("hồ sơ"));
    let partial = Dossier { request: true, minutes: false, text: true };
    assert!(msg(svc::dossier_received(&app.ctx, id, partial, today()).await.unwrap_err()).contains("Mẫu 02"));
    let full = Dossier { request: true, minutes: true, text: true };
    svc::dossier_received(&app.ctx, id, full, today()).await.unwrap();
    let c = cs::get(app.store(), id).await.unwrap().unwrap();
    let (dossier, recognition) = svc::clocks(&app.ctx, &c, today()).await.unwrap();
    assert!(matches!(dossier, Some(ClockState::DoneOnTime { .. })), "{dossier:?}");
    let due = match recognition {
        Some(ClockState::Running { due }) => due,
        other => panic!("{other:?}"),
    };
    assert!(due > today() + Days::new(4) && due <= today() + Days::new(14), "5 working days: {due}");
    assert!(msg(svc::answer(&app.ctx, id, false, "Chưa", today()).await.unwrap_err()).contains("lý do"));
    svc::answer(&app.ctx, id, true, "", today()).await.unwrap();
    assert!(svc::answer(&app.ctx, id, true, "", today()).await.is_err(), "answered once");
    // Dissemination: posted and one more way.
    assert!(svc::disseminate(&app.ctx, id, true, &[]).await.is_err());
    svc::disseminate(&app.ctx, id, true, &[Dissemination::CopiesToHouseholds]).await.unwrap();
    // An amendment, once recognised, replaces the old text (R6.10).
    let p = Proposal::VillageHead { agreed_with_front: true };
    let amend = svc::propose(&app.ctx, v, "Hương ước sửa đổi", "huong_uoc", &p, today(), Some(id)).await.unwrap();
    svc::set_drafting_team(&app.ctx, amend, DraftingTeam { members: 3, ..Default::default() }, false, today()).await.unwrap();
    let k = consultation(&app, 30).await;
    svc::open_consultation(&app.ctx, amend, k, today()).await.unwrap();
    svc::advance(&app.ctx, amend, State::Voting, today(), "Biểu quyết").await.unwrap();
    svc::record_adoption(&app.ctx, amend, Vote::Meeting { present: 9 }, counts(8, 1), today()).await.unwrap();
    svc::dossier_received(&app.ctx, amend, full, today()).await.unwrap();
    svc::answer(&app.ctx, amend, true, "", today()).await.unwrap();
    assert_eq!(cs::get(app.store(), id).await.unwrap().unwrap().state, "replaced");
    assert_eq!(cs::events(app.store(), id).await.unwrap().last().unwrap().to_state, "replaced", "the history stays");
});

both!(r6_9_r6_11_r6_13_suspension_annulment_after_its_deadline_and_the_yearly_review, |app| {
    let (_, id) = in_vote(&app, "Thôn Ước Bốn", 10).await;
    svc::record_adoption(&app.ctx, id, Vote::Meeting { present: 8 }, counts(7, 1), today()).await.unwrap();
    svc::dossier_received(&app.ctx, id, Dossier { request: true, minutes: true, text: true }, today()).await.unwrap();
    svc::answer(&app.ctx, id, true, "", today()).await.unwrap();
    // The yearly review: overdue after 18 November when not recorded.
    let commune = app.unit_id("14797").await;
    let y = today().year();
    let after = NaiveDate::from_ymd_opt(y, 11, 19).unwrap();
    let before = NaiveDate::from_ymd_opt(y, 11, 18).unwrap();
    assert!(svc::reviews_overdue(&app.ctx, commune, y, before).await.unwrap().iter().all(|c| c.id != id));
    assert!(svc::reviews_overdue(&app.ctx, commune, y, after).await.unwrap().iter().any(|c| c.id == id));
    assert!(svc::record_review(&app.ctx, id, before, "Rà soát, giữ nguyên").await.unwrap());
    assert!(!svc::record_review(&app.ctx, id, before, "Lần hai").await.unwrap(), "once a year");
    assert!(svc::reviews_overdue(&app.ctx, commune, y, after).await.unwrap().iter().all(|c| c.id != id));
    // Suspension: a procedural defect suspends in full, with reasons and a deadline.
    let bad = Suspension {
        ground: SuspensionGround::ProcedureNotFollowed,
        extent: Extent::Partial,
        signed_on: today(),
        reasons: "Không lấy ý kiến đủ 30 ngày theo quy định.".into(),
        redo_by: today() + Days::new(30),
    };
    assert!(svc::suspend(&app.ctx, id, &bad).await.is_err());
    let s = Suspension { extent: Extent::Full, ..bad };
    svc::suspend(&app.ctx, id, &s).await.unwrap();
    // Annulment for the unremedied suspension: not before its deadline.
    let g = AnnulmentGround::FullSuspensionNotRemedied;
    assert!(msg(svc::annul(&app.ctx, id, g, Extent::Full, today() + Days::new(30)).await.unwrap_err()).contains("Chưa hết thời hạn"));
    svc::annul(&app.ctx, id, g, Extent::Full, today() + Days::new(31)).await.unwrap();
    let c = cs::get(app.store(), id).await.unwrap().unwrap();
    assert_eq!((c.state.as_str(), c.annulled_on), ("annulled", Some((today() + Days::new(31)).to_string())));
});
