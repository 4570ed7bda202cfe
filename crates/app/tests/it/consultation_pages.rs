//! Consultations: the public pages and participation over HTTP, on both
//! backends — reading the draft, comments (idempotent, refused when empty,
//! too long, after the close or beyond the daily limit), residents verified
//! against the household registry, statements and votes, staff-only
//! consultations, and the changes between versions.

use crate::both;
use crate::harness::{Client, TestApp};
use axum::http::StatusCode;
use chrono::Days;
use danchu::consultation as svc;
use danchu::web::chrome::today_vn;
use danchu_domain::draft;
use danchu_domain::text::fold;
use danchu_store::consultations::{self as cs, NewConsultation, NewVersion};

const HAC_THANH: &str = "14797";

const DRAFT: &str = "QUY CHẾ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ\nChương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\n1. Quy chế này quy định việc lấy ý kiến Nhân dân.\n2. Áp dụng cho các thôn, tổ dân phố.\nĐiều 2. Đối tượng áp dụng\nNhân dân cư trú trên địa bàn phường.\n";

/// A published consultation of Hạc Thành open from `opens` (days from
/// today, may be negative) for `days` days.
async fn published(app: &TestApp, eligibility: &str, opens: i64, days: u64, title: &str) -> i64 {
    let unit = app.unit_id(HAC_THANH).await;
    let u = danchu_store::units::get(app.store(), unit).await.unwrap();
    let today = today_vn();
    let opens_on = if opens >= 0 { today + Days::new(opens as u64) } else { today - Days::new((-opens) as u64) };
    let closes_on = opens_on + Days::new(days);
    let d = draft::parse(DRAFT);
    let parts = svc::parts_of(&d);
    let mut tx = app.store().write().await.unwrap();
    let id = cs::create(
        &mut tx,
        &NewConsultation {
            unit_id: unit,
            unit_path: &u.path,
            village_id: None,
            subject: "xa-7",
            title,
            summary: "Xin ý kiến về dự thảo quy chế.",
            eligibility,
            opens_on: &opens_on.to_string(),
            closes_on: &closes_on.to_string(),
            sector_days: None,
            sector_basis: None,
            plan_content: "Nội dung",
            plan_forms: "online,meeting",
            plan_method: "Đăng tải trên cổng thông tin",
            plan_responsibilities: "Văn phòng HĐND và UBND",
            is_demo: false,
            created_by: None,
        },
        &NewVersion { body: DRAFT, structured: true, change_note: "", source_sha256: None, parts: &parts, created_by: None },
    )
    .await
    .unwrap();
    cs::publish(&mut tx, id, None).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// Posts a comment from the comments page's form; returns the response.
async fn comment(client: &Client, id: i64, part: &str, body: &str) -> crate::harness::Resp {
    let page = client.get(&format!("/consultations/{id}/comments")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let (csrf, idem) = (page.input("csrf"), page.input("idem"));
    client.post_form(&format!("/consultations/{id}/comments"), &[("csrf", &csrf), ("idem", &idem), ("part", part), ("body", body)]).await
}

async fn count(app: &TestApp, id: i64, key: &str) -> i64 {
    cs::counts(app.store(), id).await.unwrap().get(key).copied().unwrap_or(0)
}

both!(r3_4_an_open_consultation_is_listed_with_its_days_left_and_its_parts, |app| {
    let id = published(&app, "anyone", 0, 20, "Dự thảo quy chế dân chủ phường").await;
    let anon = app.client();
    let list = anon.get("/consultations").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text.contains("Dự thảo quy chế dân chủ phường") && list.text.contains("Còn 21 ngày"), "{}", list.text);
    let home = anon.get("/").await;
    assert!(home.text.contains(&format!("/consultations/{id}")), "home lists the open consultation");
    let unit = anon.get(&format!("/units/{HAC_THANH}/consultations")).await;
    assert!(unit.text.contains("Dự thảo quy chế dân chủ phường"));
    let page = anon.get(&format!("/consultations/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for want in ["Điều 1. Phạm vi điều chỉnh", "href=\"#d1\"", "id=\"d1.k2\"", "/consultations/", "Đang lấy ý kiến"] {
        assert!(page.text.contains(want), "{want} missing");
    }
    let part = anon.get(&format!("/consultations/{id}/parts/d1")).await;
    assert_eq!(part.status, StatusCode::OK);
    assert!(part.text.contains("Áp dụng cho các thôn") && part.text.contains("name=\"body\""), "the part with its clauses and the form");
    assert_eq!(anon.get(&format!("/consultations/{id}/parts/d9")).await.status, StatusCode::NOT_FOUND);
    // A draft consultation is not public.
    let unit_id = app.unit_id(HAC_THANH).await;
    let u = danchu_store::units::get(app.store(), unit_id).await.unwrap();
    let mut tx = app.store().write().await.unwrap();
    let d = draft::parse(DRAFT);
    let parts = svc::parts_of(&d);
    let hidden = cs::create(
        &mut tx,
        &NewConsultation {
            unit_id,
            unit_path: &u.path,
            village_id: None,
            subject: "xa-7",
            title: "Chưa công bố",
            summary: "",
            eligibility: "anyone",
            opens_on: "2030-01-01",
            closes_on: "2030-02-01",
            sector_days: None,
            sector_basis: None,
            plan_content: "x",
            plan_forms: "online",
            plan_method: "x",
            plan_responsibilities: "x",
            is_demo: false,
            created_by: None,
        },
        &NewVersion { body: DRAFT, structured: true, change_note: "", source_sha256: None, parts: &parts, created_by: None },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(anon.get(&format!("/consultations/{hidden}")).await.status, StatusCode::NOT_FOUND);
});

both!(a_comment_is_stored_once_and_bad_comments_get_a_clear_message, |app| {
    let id = published(&app, "anyone", 0, 20, "Góp ý một lần").await;
    let anon = app.client();
    let page = anon.get(&format!("/consultations/{id}/parts/d1")).await;
    let (csrf, idem) = (page.input("csrf"), page.input("idem"));
    let fields = [("csrf", csrf.as_str()), ("idem", idem.as_str()), ("part", "d1"), ("body", "Đề nghị bổ sung tổ dân phố.")];
    let r = anon.post_form(&format!("/consultations/{id}/comments"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert!(r.location().starts_with(&format!("/consultations/{id}/parts/d1?done=comment#c")), "{}", r.location());
    assert!(anon.cookie("danchu_cs").is_some(), "the browser key is set");
    // A double click or a retry stores nothing more.
    let again = anon.post_form(&format!("/consultations/{id}/comments"), &fields).await;
    assert_eq!(again.location(), r.location());
    assert_eq!(count(&app, id, "comments").await, 1);
    assert_eq!(count(&app, id, "part:1:d1").await, 1);
    assert_eq!(count(&app, id, "participants").await, 1);
    // The same text again from the same browser is kept once.
    let same = comment(&anon, id, "d1", "Đề nghị  bổ sung tổ dân phố.").await;
    assert!(same.location().contains("done=same"), "{}", same.location());
    assert_eq!(count(&app, id, "comments").await, 1);
    // The comment is shown on the part's page, its author never identified.
    let shown = anon.get(&format!("/consultations/{id}/parts/d1")).await;
    assert!(shown.text.contains("Đề nghị bổ sung tổ dân phố.") && shown.text.contains("Một người tham gia"), "{}", shown.text);
    // Empty, too long, unknown part: 422 with the reason, nothing stored.
    let empty = comment(&anon, id, "", "   ").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text.contains("không được để trống"), "{}", empty.text);
    let long = comment(&anon, id, "", &"a".repeat(5001)).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(long.text.contains("5000") || long.text.contains("5.000"), "{}", long.text);
    let exact = comment(&anon, id, "", &"b".repeat(5000)).await;
    assert_eq!(exact.status, StatusCode::SEE_OTHER, "5,000 characters are accepted");
    let unknown = comment(&anon, id, "d42", "Ý kiến").await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&app, id, "comments").await, 2);
    // Without the CSRF token: refused.
    let forged = anon.post_form(&format!("/consultations/{id}/comments"), &[("idem", "x1"), ("body", "Giả mạo")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
});

both!(comments_are_refused_after_the_close_and_beyond_the_daily_limit, |app| {
    let closed = published(&app, "anyone", -30, 20, "Đã đóng").await;
    let anon = app.client();
    let page = anon.get(&format!("/consultations/{closed}/comments")).await;
    assert!(!page.text.contains("name=\"body\""), "no form once closed");
    assert!(page.text.contains("đã kết thúc"), "{}", page.text);
    let open = published(&app, "anyone", 0, 20, "Giới hạn mỗi ngày").await;
    for i in 0..20 {
        let r = comment(&anon, open, "", &format!("Ý kiến số {i}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "comment {i}: {}", r.text);
    }
    let over = comment(&anon, open, "", "Ý kiến thứ 21").await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(over.text.contains("20"), "{}", over.text);
    assert_eq!(count(&app, open, "comments").await, 20);
    // After the close: the form's POST is refused with the reason.
    let page2 = anon.get(&format!("/consultations/{open}/comments")).await;
    let csrf = page2.input("csrf");
    let late = anon.post_form(&format!("/consultations/{closed}/comments"), &[("csrf", &csrf), ("idem", "late-1"), ("body", "Muộn")]).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.text.contains("đã kết thúc"), "{}", late.text);
    assert_eq!(count(&app, closed, "comments").await, 0);
});

both!(residents_are_verified_by_citizen_id_and_birth_date_and_shown_by_village, |app| {
    // A household of Tổ dân phố 1 with a known citizen ID.
    let head = app.signed_in("hacthanh.tdp1").await;
    let v1 = app.unit_id("14797.001").await;
    let page = head.get(&format!("/admin/units/{v1}/households")).await;
    let (csrf, idem) = (page.input("csrf"), page.input("idem"));
    let fields = [
        ("csrf", csrf.as_str()),
        ("idem", idem.as_str()),
        ("code", "td1-gopy"),
        ("address", "Số 9, Tổ dân phố 1"),
        ("full_name", "Trần Thị Góp"),
        ("birth_date", "05/09/1968"),
        ("cccd", "038168001234"),
        ("relation", "Chủ hộ"),
    ];
    assert_eq!(head.post_form(&format!("/admin/units/{v1}/households"), &fields).await.status, StatusCode::SEE_OTHER);
    let id = published(&app, "residents", 0, 20, "Dành cho người dân").await;
    let anon = app.client();
    let page = anon.get(&format!("/consultations/{id}/comments")).await;
    assert!(!page.text.contains("name=\"body\"") && page.text.contains(&format!("/consultations/{id}/verify")), "verify first");
    // Posting before verification leads to the check.
    let csrf = anon.cookie("danchu_csrf").expect("a visitor's CSRF cookie");
    let early = anon.post_form(&format!("/consultations/{id}/comments"), &[("csrf", &csrf), ("idem", "e1"), ("body", "Sớm")]).await;
    assert_eq!(early.status, StatusCode::SEE_OTHER);
    assert_eq!(early.location(), format!("/consultations/{id}/verify"));
    let form = anon.get(&format!("/consultations/{id}/verify")).await;
    let csrf = form.input("csrf");
    // A wrong birth date matches nobody; the citizen ID is not echoed.
    let wrong =
        anon.post_form(&format!("/consultations/{id}/verify"), &[("csrf", &csrf), ("cccd", "038168001234"), ("birth", "06/09/1968")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text.contains("Không tìm thấy") && !wrong.text.contains("038168001234"), "{}", wrong.text);
    let bad = anon.post_form(&format!("/consultations/{id}/verify"), &[("csrf", &csrf), ("cccd", "12345"), ("birth", "05/09/1968")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = anon
        .post_form(&format!("/consultations/{id}/verify"), &[("csrf", &csrf), ("cccd", "038 168 001 234"), ("birth", "05/09/1968")])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    let r = comment(&anon, id, "d2", "Đề nghị ghi rõ cả người tạm trú.").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let shown = anon.get(&format!("/consultations/{id}/parts/d2")).await;
    assert!(shown.text.contains("Một người dân "), "{}", shown.text);
    assert!(!shown.text.contains("Trần Thị Góp") && !shown.text.contains("038168001234"));
    // A second browser of the same person is the same participant.
    let other = app.client();
    let f2 = other.get(&format!("/consultations/{id}/verify")).await;
    let c2 = f2.input("csrf");
    let ok2 =
        other.post_form(&format!("/consultations/{id}/verify"), &[("csrf", &c2), ("cccd", "038168001234"), ("birth", "1968-09-05")]).await;
    assert_eq!(ok2.status, StatusCode::SEE_OTHER);
    assert_eq!(count(&app, id, "participants").await, 1);
    // Guessing is limited: after 10 failed checks from one address in an
    // hour (the wrong birth date above was the first), even a right answer
    // waits, with a Vietnamese message.
    let guesser = app.client();
    let c3 = guesser.get(&format!("/consultations/{id}/verify")).await.input("csrf");
    for k in 0..9 {
        let birth = format!("{:02}/01/1970", k + 1);
        let r =
            guesser.post_form(&format!("/consultations/{id}/verify"), &[("csrf", &c3), ("cccd", "038168001234"), ("birth", &birth)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "failure {k}");
    }
    let blocked = guesser
        .post_form(&format!("/consultations/{id}/verify"), &[("csrf", &c3), ("cccd", "038168001234"), ("birth", "05/09/1968")])
        .await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS, "{}", blocked.text);
    assert!(blocked.text.contains("sai quá nhiều lần"), "{}", blocked.text);
});

both!(statements_are_voted_once_per_participant_and_hidden_ones_refuse_votes, |app| {
    let id = published(&app, "anyone", 0, 20, "Biểu quyết ý kiến ngắn").await;
    let mut tx = app.store().write().await.unwrap();
    let (s1, _) =
        cs::add_statement(&mut tx, id, "Nên họp thôn vào buổi tối.", &fold("Nên họp thôn vào buổi tối."), "approved", None, None, "st-1")
            .await
            .unwrap();
    let (s2, _) = cs::add_statement(&mut tx, id, "Chờ duyệt.", &fold("Chờ duyệt."), "pending", None, None, "st-2").await.unwrap();
    tx.commit().await.unwrap();
    let anon = app.client();
    let page = anon.get(&format!("/consultations/{id}/statements")).await;
    assert!(page.text.contains("Nên họp thôn vào buổi tối.") && !page.text.contains("Chờ duyệt."), "only approved statements");
    let csrf = page.input("csrf");
    let vote = |stance: &'static str, idem: &'static str, sid: i64| {
        let anon = anon.clone();
        let csrf = csrf.clone();
        async move {
            anon.post_form(&format!("/consultations/{id}/statements/{sid}/vote"), &[("csrf", &csrf), ("idem", idem), ("stance", stance)])
                .await
        }
    };
    assert_eq!(vote("agree", "v1", s1).await.status, StatusCode::SEE_OTHER);
    assert_eq!(vote("agree", "v1", s1).await.status, StatusCode::SEE_OTHER, "a retry");
    assert_eq!(vote("agree", "v2", s1).await.status, StatusCode::SEE_OTHER, "the same vote again");
    let st = cs::statements(app.store(), id, Some("approved")).await.unwrap();
    assert_eq!((st[0].agree, st[0].disagree), (1, 0));
    assert_eq!(vote("disagree", "v3", s1).await.status, StatusCode::SEE_OTHER, "a change of mind");
    let st = cs::statements(app.store(), id, Some("approved")).await.unwrap();
    assert_eq!((st[0].agree, st[0].disagree), (0, 1));
    let pending = vote("agree", "v4", s2).await;
    assert_eq!(pending.status, StatusCode::CONFLICT);
    assert!(pending.text.contains("chờ duyệt"), "{}", pending.text);
    assert_eq!(vote("maybe", "v5", s1).await.status, StatusCode::BAD_REQUEST);
    // Proposing a statement: pending until moderated; a repeat is refused.
    let p = anon.get(&format!("/consultations/{id}/statements")).await;
    assert!(p.text.contains("aria-pressed=\"true\""), "my vote is shown");
    let idem = p.input("idem");
    let r = anon
        .post_form(&format!("/consultations/{id}/statements"), &[("csrf", &csrf), ("idem", &idem), ("body", "Cần thêm điều về khiếu nại.")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(count(&app, id, "pending_statements").await, 2);
    let dup = anon
        .post_form(
            &format!("/consultations/{id}/statements"),
            &[("csrf", &csrf), ("idem", "other"), ("body", "Nên họp thôn vào buổi tối.")],
        )
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    let long =
        anon.post_form(&format!("/consultations/{id}/statements"), &[("csrf", &csrf), ("idem", "long"), ("body", &"x".repeat(281))]).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The votes scheduled the opinion-group analysis, off the request path.
    assert!(cs::analysis(app.store(), id).await.unwrap().is_none());
    svc::run_analysis(&app.ctx, id).await.unwrap();
    let (seen, ..) = cs::analysis(app.store(), id).await.unwrap().expect("analysed");
    assert_eq!(seen, 1);
});

both!(r3_9_a_staff_consultation_needs_a_role_in_the_unit, |app| {
    let id = published(&app, "staff", 0, 20, "Quy chế nội bộ").await;
    let anon = app.client();
    let page = anon.get(&format!("/consultations/{id}/comments")).await;
    assert!(!page.text.contains("name=\"body\"") && page.text.contains("/login?next="), "sign in first");
    let citizen = app.signed_in("congdan").await;
    let csrf = citizen.csrf().await;
    let r = citizen.post_form(&format!("/consultations/{id}/comments"), &[("csrf", &csrf), ("idem", "s1"), ("body", "Ý kiến")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let other = app.signed_in("muonglat.canbo").await;
    let csrf = other.csrf().await;
    let r = other.post_form(&format!("/consultations/{id}/comments"), &[("csrf", &csrf), ("idem", "s2"), ("body", "Ý kiến")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "another commune's official");
    let staff = app.signed_in("hacthanh.canbo").await;
    let r = comment(&staff, id, "", "Đồng ý với dự thảo.").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(count(&app, id, "comments").await, 1);
});

both!(a_new_version_keeps_comments_on_theirs_and_the_changes_are_shown_word_by_word, |app| {
    let id = published(&app, "anyone", 0, 20, "Hai bản dự thảo").await;
    let anon = app.client();
    assert_eq!(comment(&anon, id, "d2", "Nên nói rõ người tạm trú.").await.status, StatusCode::SEE_OTHER);
    let v2 = DRAFT.replace("Nhân dân cư trú trên địa bàn phường.", "Nhân dân thường trú và tạm trú trên địa bàn phường.");
    let d = draft::parse(&v2);
    let parts = svc::parts_of(&d);
    let mut tx = app.store().write().await.unwrap();
    cs::add_version(
        &mut tx,
        id,
        &NewVersion {
            body: &v2, structured: true, change_note: "Tiếp thu ý kiến", source_sha256: None, parts: &parts, created_by: None
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let page = anon.get(&format!("/consultations/{id}/changes")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("<ins>thường trú và tạm</ins>") && page.text.contains("<del>cư</del>"),
        "{}",
        &page.text[page.text.find("<main").unwrap_or(0)..]
    );
    let show = anon.get(&format!("/consultations/{id}")).await;
    assert!(show.text.contains("changes?tu=1&amp;den=2"), "a link to the changes");
    let all = anon.get(&format!("/consultations/{id}/comments")).await;
    assert!(all.text.contains("Nên nói rõ người tạm trú.") && all.text.contains("Lần 1"), "{}", all.text);
});

both!(a_comment_moves_the_public_version_once_a_second_so_other_nodes_drop_their_cached_pages, |app| {
    let id = published(&app, "anyone", 0, 20, "Nút khác thấy ý kiến mới").await;
    let anon = app.client();
    app.drain_jobs().await;
    let before = danchu_store::meta::public_version(app.store()).await.unwrap();
    let start = std::time::Instant::now();
    for i in 0..6 {
        assert_eq!(comment(&anon, id, "", &format!("Ý kiến {i} cho nút khác")).await.status, StatusCode::SEE_OTHER);
    }
    let seconds = start.elapsed().as_secs() as i64 + 2;
    // Coalesced: one job, due two seconds after its second.
    tokio::time::sleep(std::time::Duration::from_millis(3_100)).await;
    app.drain_jobs().await;
    let after = danchu_store::meta::public_version(app.store()).await.unwrap();
    // Moved, and at most once per second of comments (not once per comment).
    assert!(after > before && after - before <= seconds.min(5), "{before} → {after} in {seconds} s");
});

both!(counters_kept_by_each_comment_equal_a_recount_from_the_rows, |app| {
    // Concurrent comments from new browsers: on PostgreSQL each is one
    // statement that inserts the participant with its key and counters, then
    // one that inserts the comment with its counters (data-modifying WITH).
    let id = published(&app, "anyone", 0, 20, "Dự thảo để đếm").await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..24 {
        let client = app.client();
        let part = ["", "d1", "d1.k2"][i % 3];
        tasks.spawn(async move { comment(&client, id, part, &format!("Góp ý số {i} về quy chế của phường")).await });
    }
    while let Some(r) = tasks.join_next().await {
        let r = r.unwrap();
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    }
    let nonzero =
        |m: std::collections::HashMap<String, i64>| m.into_iter().filter(|(_, n)| *n != 0).collect::<std::collections::BTreeMap<_, _>>();
    let kept = nonzero(cs::counts(app.store(), id).await.unwrap());
    assert_eq!((kept.get("comments"), kept.get("participants")), (Some(&24), Some(&24)), "{kept:?}");
    let mut tx = app.store().write().await.unwrap();
    cs::recount(&mut tx, id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(nonzero(cs::counts(app.store(), id).await.unwrap()), kept, "the counters kept by the writes equal the recount");
});
