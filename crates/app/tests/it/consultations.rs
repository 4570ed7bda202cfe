//! Consultations (issue 4), storage layer and jobs, on both backends. The
//! pages are not built yet; these tests hold the store's contract: counts
//! kept in the write transaction equal a full recount, submissions are
//! stored once, votes are counted once per participant.

use crate::both;
use danchu::consultation as svc;
use danchu_domain::draft;
use danchu_store::consultations::{self as cs, CommentFilter, NewComment, NewConsultation, NewVersion, VoteRefusal, Who};

const HAC_THANH: &str = "14797";

const DRAFT: &str = "QUY CHẾ THỰC HIỆN DÂN CHỦ\nChương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\n1. Quy chế này quy định việc lấy ý kiến.\n2. Áp dụng cho các thôn.\nĐiều 2. Đối tượng áp dụng\nNhân dân trên địa bàn xã.\n";

async fn create(app: &crate::harness::TestApp) -> i64 {
    let unit = app.unit_id(HAC_THANH).await;
    let u = danchu_store::units::get(app.store(), unit).await.unwrap();
    let d = draft::parse(DRAFT);
    assert!(d.structured);
    let parts = svc::parts_of(&d);
    let mut tx = app.store().write().await.unwrap();
    let id = cs::create(
        &mut tx,
        &NewConsultation {
            unit_id: unit,
            unit_path: &u.path,
            village_id: None,
            subject: "xa-7",
            title: "Dự thảo quy chế dân chủ",
            summary: "Tóm tắt",
            eligibility: "anyone",
            opens_on: "2026-12-01",
            closes_on: "2026-12-21",
            sector_days: None,
            sector_basis: None,
            plan_content: "Nội dung",
            plan_forms: "online,meeting",
            plan_method: "Đăng tải",
            plan_responsibilities: "Văn phòng",
            is_demo: false,
            created_by: None,
        },
        &NewVersion { body: DRAFT, structured: true, change_note: "", source_sha256: None, parts: &parts, created_by: None },
    )
    .await
    .unwrap();
    assert!(cs::publish(&mut tx, id, None).await.unwrap());
    assert!(!cs::publish(&mut tx, id, None).await.unwrap(), "a second publication changes nothing");
    tx.commit().await.unwrap();
    id
}

fn comment<'a>(id: i64, participant: Option<i64>, part: Option<&'a str>, body: &'a str, idem: &'a str) -> NewComment<'a> {
    NewComment {
        consultation_id: id,
        version: 1,
        part_path: part,
        participant_id: participant,
        channel: if participant.is_some() { "online" } else { "meeting" },
        source: "",
        author_name: None,
        author_household_id: None,
        body,
        folded: body,
        signature: None,
        idem_key: idem,
        created_on: "2026-12-02",
        entered_by: None,
    }
}

async fn assert_counts_match_recount(app: &crate::harness::TestApp, id: i64) {
    let kept = cs::counts(app.store(), id).await.unwrap();
    let mut tx = app.store().write().await.unwrap();
    cs::recount(&mut tx, id).await.unwrap();
    tx.commit().await.unwrap();
    let mut recounted = cs::counts(app.store(), id).await.unwrap();
    recounted.retain(|_, n| *n != 0);
    let mut kept = kept;
    kept.retain(|_, n| *n != 0);
    assert_eq!(kept, recounted);
}

both!(consultation_comments_are_stored_once_and_counted_in_the_write, |app| {
    let id = create(&app).await;
    let parts = cs::parts(app.store(), id, 1).await.unwrap();
    assert!(parts.iter().any(|p| p.path == "d1.k2"), "{parts:?}");
    let mut tx = app.store().write().await.unwrap();
    let p = cs::participant(&mut tx, id, Who::Key("k1"), None, Some("Bà Lan"), None).await.unwrap();
    let again = cs::participant(&mut tx, id, Who::Key("k1"), None, None, None).await.unwrap();
    assert_eq!(p.id, again.id, "the same browser is the same participant");
    let (c1, fresh) = cs::add_comment(&mut tx, &comment(id, Some(p.id), Some("d1"), "dong y dieu 1", "idem-1")).await.unwrap();
    assert!(fresh);
    let (c1b, fresh) = cs::add_comment(&mut tx, &comment(id, Some(p.id), Some("d1"), "dong y dieu 1", "idem-1")).await.unwrap();
    assert_eq!((c1, fresh), (c1b, false), "a retried submission is stored once");
    assert_eq!(cs::same_comment(&mut tx, p.id, Some("d1"), "dong y dieu 1").await.unwrap(), Some(c1));
    assert_eq!(cs::same_comment(&mut tx, p.id, None, "dong y dieu 1").await.unwrap(), None);
    assert_eq!(cs::posted_on(&mut tx, p.id, "2026-12-02").await.unwrap(), 1);
    let (c2, _) = cs::add_comment(&mut tx, &comment(id, None, None, "can them quy dinh", "idem-2")).await.unwrap();
    let (c3, _) = cs::add_comment(&mut tx, &comment(id, None, Some("d1"), "quang cao", "idem-3")).await.unwrap();
    tx.commit().await.unwrap();

    let counts = cs::counts(app.store(), id).await.unwrap();
    assert_eq!(counts.get("comments"), Some(&3));
    assert_eq!(counts.get("part:1:d1"), Some(&2));
    assert_eq!(counts.get("channel:meeting"), Some(&2));
    assert_eq!(counts.get("participants"), Some(&1));

    // Hiding (with a reason) and answering keep the counters exact.
    let mut tx = app.store().write().await.unwrap();
    assert!(cs::hide_comment(&mut tx, c3, "spam", 1).await.unwrap());
    assert!(!cs::hide_comment(&mut tx, c3, "spam", 1).await.unwrap(), "hidden once");
    assert!(cs::respond(&mut tx, id, c1, "accepted", "", 1).await.unwrap());
    assert!(cs::respond(&mut tx, id, c1, "explained", "Trái quy định của luật hiện hành", 1).await.unwrap());
    assert!(!cs::respond(&mut tx, id, c3, "accepted", "", 1).await.unwrap(), "a hidden comment is not answered");
    tx.commit().await.unwrap();
    let counts = cs::counts(app.store(), id).await.unwrap();
    assert_eq!(counts.get("visible"), Some(&2));
    assert_eq!(counts.get("hidden:spam"), Some(&1));
    assert_eq!(counts.get("unanswered"), Some(&1), "only c2 still lacks a response");
    assert_eq!(counts.get("part:1:d1"), Some(&1));
    let listed = cs::comments(app.store(), id, &CommentFilter { part: Some("d1"), ..Default::default() }, 0, 50).await.unwrap();
    assert_eq!(listed.iter().map(|c| c.id).collect::<Vec<_>>(), vec![c1]);
    assert_eq!(listed[0].display_name.as_deref(), Some("Bà Lan"));
    let whole = cs::comments(app.store(), id, &CommentFilter { part: Some(""), ..Default::default() }, 0, 50).await.unwrap();
    assert_eq!(whole.iter().map(|c| c.id).collect::<Vec<_>>(), vec![c2]);
    assert_counts_match_recount(&app, id).await;
});

both!(consultation_votes_count_once_per_participant_and_feed_the_opinion_groups, |app| {
    let id = create(&app).await;
    let mut tx = app.store().write().await.unwrap();
    let (s1, _) =
        cs::add_statement(&mut tx, id, "Nên họp thôn mỗi quý", "nen hop thon moi quy", "approved", None, Some(1), "s1").await.unwrap();
    let (s2, _) = cs::add_statement(&mut tx, id, "Bỏ họp thôn", "bo hop thon", "approved", None, Some(1), "s2").await.unwrap();
    let (pending, _) = cs::add_statement(&mut tx, id, "Ý của tôi", "y cua toi", "pending", None, None, "s3").await.unwrap();
    let mut people = Vec::new();
    for i in 0..30 {
        people.push(cs::participant(&mut tx, id, Who::Key(&format!("key-{i}")), None, None, None).await.unwrap().id);
    }
    for (i, p) in people.iter().enumerate() {
        let (a, b) = if i < 15 { ("agree", "disagree") } else { ("disagree", "agree") };
        assert_eq!(cs::vote(&mut tx, id, s1, *p, a).await.unwrap(), Ok(true));
        assert_eq!(cs::vote(&mut tx, id, s2, *p, b).await.unwrap(), Ok(true));
    }
    // The same vote again changes nothing; a changed vote moves one count.
    assert_eq!(cs::vote(&mut tx, id, s1, people[0], "agree").await.unwrap(), Ok(false));
    assert_eq!(cs::vote(&mut tx, id, s1, people[0], "pass").await.unwrap(), Ok(true));
    assert_eq!(cs::vote(&mut tx, id, pending, people[0], "agree").await.unwrap(), Err(VoteRefusal::NotVotable));
    assert_eq!(cs::vote(&mut tx, id + 1000, s1, people[0], "agree").await.unwrap(), Err(VoteRefusal::Unknown));
    tx.commit().await.unwrap();
    let st = cs::statements(app.store(), id, Some("approved")).await.unwrap();
    let s1row = st.iter().find(|s| s.id == s1).unwrap();
    assert_eq!((s1row.agree, s1row.disagree, s1row.pass), (14, 15, 1));
    let counts = cs::counts(app.store(), id).await.unwrap();
    assert_eq!(counts.get("votes"), Some(&60));
    assert_eq!(counts.get("pending_statements"), Some(&1));
    assert_counts_match_recount(&app, id).await;

    svc::run_analysis(&app.ctx, id).await.unwrap();
    let (seen, json, svg_vi, _, _) = cs::analysis(app.store(), id).await.unwrap().unwrap();
    assert_eq!(seen, 60);
    let summary: svc::Summary = serde_json::from_str(&json).unwrap();
    assert_eq!(summary.participants, 30);
    assert!(svg_vi.contains("<svg"));
});

both!(near_duplicate_comments_are_grouped_and_answered_once, |app| {
    let id = create(&app).await;
    let mut tx = app.store().write().await.unwrap();
    let texts = ["de nghi giam phi ve sinh cho ho ngheo", "de nghi giam phi ve sinh cho cac ho ngheo", "can lam duong lien thon"];
    for (i, t) in texts.iter().enumerate() {
        cs::add_comment(&mut tx, &comment(id, None, None, t, &format!("g-{i}"))).await.unwrap();
    }
    tx.commit().await.unwrap();
    svc::run_regroup(&app.ctx, id).await.unwrap();
    let groups = cs::groups(app.store(), id, 1, 0, 50).await.unwrap();
    assert_eq!(groups.len(), 1, "the pair; the third comment is no group: {groups:?}");
    assert_eq!(groups[0].size, 2);
    let mut tx = app.store().write().await.unwrap();
    assert_eq!(cs::respond_group(&mut tx, id, groups[0].id, "accepted", "", 1).await.unwrap(), 2);
    tx.commit().await.unwrap();
    assert_eq!(cs::counts(app.store(), id).await.unwrap().get("unanswered"), Some(&1));
    assert_counts_match_recount(&app, id).await;
});

both!(subscribers_are_reminded_once_a_week_before_the_close, |app| {
    let id = create(&app).await;
    let unit = app.unit_id(HAC_THANH).await;
    let u = danchu_store::units::get(app.store(), unit).await.unwrap();
    let mut tx = app.store().write().await.unwrap();
    danchu_store::notifications::subscribe(&mut tx, "dan@example.vn", unit, &u.path, Some("xa-11"), "tok-1").await.unwrap();
    assert!(danchu_store::notifications::confirm(&mut tx, "tok-1").await.unwrap());
    tx.commit().await.unwrap();
    // Closes on 21 December: not yet due on the 13th, due on the 14th, once.
    assert_eq!(svc::remind_due(&app.ctx, day("2026-12-13")).await.unwrap(), 0);
    assert_eq!(svc::remind_due(&app.ctx, day("2026-12-14")).await.unwrap(), 1);
    assert_eq!(svc::remind_due(&app.ctx, day("2026-12-15")).await.unwrap(), 0);
    app.drain_jobs().await;
    let (queued, _) = danchu_store::notifications::count_sent(app.store()).await.unwrap();
    assert_eq!(queued, 1, "one message for the one subscriber");
    // The fan-out run twice queues nothing twice (dedupe key).
    svc::fan_out(&app.ctx, id, "reminder").await.unwrap();
    assert_eq!(danchu_store::notifications::count_sent(app.store()).await.unwrap().0, 1);
});

both!(versions_keep_comments_and_the_synthesis_closes_once_with_its_documents, |app| {
    let id = create(&app).await;
    let unit = app.unit_id(HAC_THANH).await;
    let u = danchu_store::units::get(app.store(), unit).await.unwrap();
    // A new version: version 1's comment stays on version 1.
    let v2_text = DRAFT.replace("Nhân dân trên địa bàn xã.", "Nhân dân và tổ chức trên địa bàn xã.");
    let d2 = draft::parse(&v2_text);
    let parts2 = svc::parts_of(&d2);
    let mut tx = app.store().write().await.unwrap();
    let (c1, _) = cs::add_comment(&mut tx, &comment(id, None, Some("d2"), "them to chuc", "v-1")).await.unwrap();
    let v = cs::add_version(
        &mut tx,
        id,
        &NewVersion {
            body: &v2_text,
            structured: true,
            change_note: "Tiếp thu ý kiến",
            source_sha256: None,
            parts: &parts2,
            created_by: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(v, 2);
    // A statement written by a participant waits for moderation.
    let (s, _) = cs::add_statement(&mut tx, id, "Ý kiến riêng", "y kien rieng", "pending", None, None, "st-p").await.unwrap();
    assert!(cs::moderate_statement(&mut tx, id, s, "rejected", Some("off_topic")).await.unwrap());
    assert!(!cs::moderate_statement(&mut tx, id + 99, s, "approved", None).await.unwrap(), "another consultation's statement");
    tx.commit().await.unwrap();
    let versions = cs::versions(app.store(), id).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].body, DRAFT, "the first version is kept whole");
    let old = cs::comments(app.store(), id, &CommentFilter { version: Some(1), ..Default::default() }, 0, 10).await.unwrap();
    assert_eq!(old.iter().map(|c| c.id).collect::<Vec<_>>(), vec![c1]);
    assert!(cs::comments(app.store(), id, &CommentFilter { version: Some(2), ..Default::default() }, 0, 10).await.unwrap().is_empty());
    assert_eq!(cs::counts(app.store(), id).await.unwrap().get("pending_statements").copied().unwrap_or(0), 0);
    // Listed as open in the commune and in the province until its last day.
    assert_eq!(cs::list_open(app.store(), &u.path, "2026-12-21", 10).await.unwrap().len(), 1);
    assert!(cs::list_open(app.store(), &u.path, "2026-12-22", 10).await.unwrap().is_empty());
    let province = app.state.province.clone();
    assert_eq!(cs::list_open(app.store(), &province.path, "2026-12-10", 10).await.unwrap().len(), 1);
    // The synthesis is marked once; its report renders as PDF and DOCX.
    let c = cs::get(app.store(), id).await.unwrap().unwrap();
    let rows = vec![svc::ReportRow {
        part: "Điều 2".into(),
        opinion: "Thêm tổ chức".into(),
        count: 1,
        channels: "Hội nghị".into(),
        response: "Tiếp thu".into(),
        response_text: String::new(),
    }];
    let doc = svc::synthesis_document(&u, &province, &c, "", &[("meeting".into(), 1)], &rows, &[], "Nguyễn Văn A", day("2026-12-23"), true);
    let pdf = danchu_docs::to_pdf(&doc).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let docx = danchu_docs::to_docx(&doc).unwrap();
    assert_eq!(danchu_files::check(&docx, "bao-cao.docx", 10 << 20).unwrap().kind, danchu_files::FileKind::Docx);
    let plan = danchu_docs::to_pdf(&svc::plan_document(&u, &province, &c, "Nguyễn Văn A", day("2026-11-30"), true)).unwrap();
    assert!(plan.starts_with(b"%PDF"));
    let mut tx = app.store().write().await.unwrap();
    assert!(cs::mark_synthesised(&mut tx, id, None, "").await.unwrap());
    assert!(!cs::mark_synthesised(&mut tx, id, None, "").await.unwrap(), "a double click does nothing");
    tx.commit().await.unwrap();
    assert!(
        cs::list_open(app.store(), &u.path, "2026-12-10", 10).await.unwrap().is_empty(),
        "a synthesised consultation is no longer open"
    );
});

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
