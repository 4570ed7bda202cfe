//! Information requests (R1.12, R1.13) and the working-day calendar (C0.2):
//! a citizen files online and tracks by code; officials answer, refuse with
//! reasons, extend once; the administrator's calendar moves the deadlines.

use crate::both;
use crate::harness::{Client, Resp};
use axum::http::StatusCode;
use chrono::NaiveDate;
use danchu_domain::inforequest::{deadlines, Complexity, RequestChannel, RequestRules};
use danchu_store::inforequests as ir;

const HAC_THANH: &str = "14797";
const MUONG_LAT: &str = "14845";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn vn(x: NaiveDate) -> String {
    x.format("%d/%m/%Y").to_string()
}

/// Files a request online as an anonymous visitor; returns the response
/// of the POST.
async fn file_online(c: &Client, unit: &str, idem: &str, contact: &str) -> Resp {
    let form = c.get(&format!("/units/{unit}/info-requests/new")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text);
    let csrf = form.input("csrf");
    c.post_form(
        &format!("/units/{unit}/info-requests/new"),
        &[
            ("csrf", &csrf),
            ("idem", idem),
            ("ground", "not_disclosed"),
            ("subject", "Dự toán ngân sách phường năm 2026"),
            ("details", "Xin bản dự toán đã được Hội đồng nhân dân thông qua."),
            ("name", "Nguyễn Thị Hỏi"),
            ("contact", contact),
        ],
    )
    .await
}

/// The tracking code in a `/info-requests/track?code=…` location.
fn code_of(location: &str) -> String {
    let i = location.find("code=").expect("code in location") + 5;
    location[i..].split('&').next().unwrap().to_string()
}

/// An official registers a request received on `received` (dd/mm/yyyy);
/// returns the new request's id.
async fn register(c: &Client, unit_id: i64, received: &str, channel: &str, complexity: &str, idem: &str) -> i64 {
    let csrf = c.csrf().await;
    let r = c
        .post_form(
            &format!("/admin/units/{unit_id}/info-requests"),
            &[
                ("csrf", &csrf),
                ("idem", idem),
                ("received_on", received),
                ("channel", channel),
                ("complexity", complexity),
                ("ground", "period_expired"),
                ("subject", "Kế hoạch sử dụng đất"),
                ("details", ""),
                ("name", "Lê Văn Đến"),
                ("contact", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let loc = r.location();
    assert!(loc.starts_with("/admin/info-requests/"), "{loc}");
    let id: i64 = loc["/admin/info-requests/".len()..].split('?').next().unwrap().parse().unwrap();
    let page = c.get(&loc).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    id
}

async fn act(c: &Client, id: i64, what: &str, text: &str, idem: &str) -> Resp {
    let csrf = c.csrf().await;
    c.post_form(&format!("/admin/info-requests/{id}/{what}"), &[("csrf", &csrf), ("idem", idem), ("text", text)]).await
}

both!(r1_12_a_citizen_files_online_and_tracks_the_request_by_code, |app| {
    let citizen = app.client();
    let r = file_online(&citizen, HAC_THANH, "online-1", "0912 345 678").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let loc = r.location();
    assert!(loc.starts_with("/info-requests/track?code=YC-"), "{loc}");
    let code = code_of(&loc);
    // A double submission gives the same request back.
    let again = file_online(&citizen, HAC_THANH, "online-1", "0912 345 678").await;
    assert_eq!(again.location(), loc);
    let unit = app.unit_id(HAC_THANH).await;
    assert_eq!(ir::list_for_unit(app.store(), unit, 0, 10).await.unwrap().len(), 1);
    // The page shows the code and the deadline the domain computes on the
    // calendar in force (received today, electronic, simple: 3 working days).
    let page = citizen.get(&loc).await;
    assert_eq!(page.status, StatusCode::OK);
    let cal = danchu::calendar::load(app.store()).await.unwrap();
    let today = danchu::web::chrome::today_vn();
    let due = deadlines(&RequestRules::default(), &cal, today, RequestChannel::Electronic, Complexity::Simple, false).answer_by;
    assert!(page.text.contains(&code), "{}", page.text);
    assert!(page.text.contains(&format!("<dd id=\"answer-by\">{}</dd>", vn(due))), "{}", page.text);
    assert!(page.text.contains("Mã tra cứu của bạn"), "confirmation shown");
    // Never the requester's contact or name.
    for secret in ["0912345678", "0912 345 678", "Nguyễn Thị Hỏi"] {
        assert!(!page.text.contains(secret), "{secret} shown on the public page");
    }
    let stored = ir::by_code(app.store(), &code).await.unwrap().unwrap();
    assert_eq!(
        (stored.channel.as_str(), stored.complexity.as_str(), stored.requester_contact.as_str()),
        ("electronic", "simple", "0912345678")
    );
    // Tolerant of lower case, spaces and missing dashes.
    let mangled = format!("  {} ", code.to_lowercase().replace('-', " "));
    let q: String = form_urlencoded::byte_serialize(mangled.as_bytes()).collect();
    let t = app.client().get(&format!("/info-requests/track?code={q}")).await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.text);
    assert!(t.text.contains(&format!("<span id=\"tracking-code\">{code}</span>")));
    let t2 = app.client().get(&format!("/info-requests/track?code={}", code.replace('-', "").to_lowercase())).await;
    assert_eq!(t2.status, StatusCode::OK);
    // Unknown and impossible codes: a clear message, 404.
    for bad in ["YC-2345-6789-ABCD", "abc", "YC-0000-0000-0000"] {
        let u = app.client().get(&format!("/info-requests/track?code={bad}")).await;
        assert_eq!(u.status, StatusCode::NOT_FOUND, "{bad}");
        assert!(u.text.contains("Không tìm thấy yêu cầu nào có mã"), "{}", u.text);
    }
    // The JSON API: same facts, no personal data; unknown codes are 404.
    let api = app.client().get(&format!("/api/v1/info-requests/{}", code.to_lowercase())).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.text);
    let j = api.json();
    assert_eq!(
        (j["code"].as_str(), j["status"].as_str(), j["answer_by"].as_str()),
        (Some(code.as_str()), Some("open"), Some(due.to_string().as_str()))
    );
    assert!(!api.text.contains("0912345678") && !api.text.contains("Nguyễn Thị Hỏi"));
    let missing = app.client().get("/api/v1/info-requests/YC-2345-6789-ABCD").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"]["code"], "not_found");
    // The form alone, without a code.
    assert_eq!(app.client().get("/info-requests/track").await.status, StatusCode::OK);
    // The public unit page links to the form; a village does not take requests.
    let unit_page = app.client().get(&format!("/units/{HAC_THANH}")).await;
    assert!(unit_page.text.contains(&format!("/units/{HAC_THANH}/info-requests/new")));
    assert_eq!(app.client().get(&format!("/units/{HAC_THANH}.001/info-requests/new")).await.status, StatusCode::NOT_FOUND);
});

both!(r1_12_a_bad_online_request_is_refused_with_messages_and_nothing_saved, |app| {
    let c = app.client();
    let form = c.get(&format!("/units/{HAC_THANH}/info-requests/new")).await;
    let csrf = form.input("csrf");
    let r = c
        .post_form(
            &format!("/units/{HAC_THANH}/info-requests/new"),
            &[("csrf", &csrf), ("idem", "bad-1"), ("ground", "because"), ("subject", "x"), ("name", "A"), ("contact", "gọi tôi")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    for m in ["Hãy chọn trường hợp", "từ 3 đến 200 ký tự", "Họ và tên phải có", "thư điện tử hoặc số điện thoại"]
    {
        assert!(r.text.contains(m), "missing {m}: {}", r.text);
    }
    // Without the CSRF token: refused.
    let no_csrf = c.post_form(&format!("/units/{HAC_THANH}/info-requests/new"), &[("idem", "bad-2"), ("subject", "Ngân sách")]).await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    let unit = app.unit_id(HAC_THANH).await;
    assert!(ir::list_for_unit(app.store(), unit, 0, 10).await.unwrap().is_empty());
});

both!(r1_13_received_on_a_friday_electronic_simple_is_due_the_next_wednesday, |app| {
    let official = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    // Friday 20 November 2026.
    let id = register(&official, unit, "20/11/2026", "electronic", "simple", "reg-fri").await;
    let r = ir::get(app.store(), id).await.unwrap();
    let cal = danchu::calendar::load(app.store()).await.unwrap();
    let expected = deadlines(&RequestRules::default(), &cal, d(2026, 11, 20), RequestChannel::Electronic, Complexity::Simple, false);
    assert_eq!(expected.answer_by, d(2026, 11, 25), "Mon, Tue, Wed");
    assert_eq!(r.answer_by, "2026-11-25");
    let t = app.client().get(&format!("/info-requests/track?code={}", r.code)).await;
    assert!(t.text.contains("<dd id=\"answer-by\">25/11/2026</dd>"), "{}", t.text);
    // Already past: marked overdue in the official's list.
    let list = official.get(&format!("/admin/units/{unit}/info-requests")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text.contains(&r.code));
    assert!(list.text.contains("Quá hạn"), "{}", list.text);
    // In person, simple: answered the same day.
    let same = register(&official, unit, "20/11/2026", "in_person", "simple", "reg-desk").await;
    assert_eq!(ir::get(app.store(), same).await.unwrap().answer_by, "2026-11-20");
    // A date in the future is refused.
    let csrf = official.csrf().await;
    let tomorrow = danchu::web::chrome::today_vn().succ_opt().unwrap();
    let bad = official
        .post_form(
            &format!("/admin/units/{unit}/info-requests"),
            &[
                ("csrf", &csrf),
                ("idem", "reg-future"),
                ("received_on", &vn(tomorrow)),
                ("channel", "in_person"),
                ("complexity", "simple"),
                ("ground", "not_disclosed"),
                ("subject", "Quy hoạch"),
                ("name", "Lê Văn Đến"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("không được sau hôm nay"));
});

both!(r1_13_an_official_answers_and_the_citizen_reads_the_answer, |app| {
    let loc = file_online(&app.client(), HAC_THANH, "online-2", "hoi@example.vn").await.location();
    let code = code_of(&loc);
    let id = ir::by_code(app.store(), &code).await.unwrap().unwrap().id;
    let official = app.signed_in("hacthanh.chutich").await;
    let detail = official.get(&format!("/admin/info-requests/{id}")).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.text.contains("hoi@example.vn"), "the official sees the contact");
    let r = act(&official, id, "answer", "Bản dự toán được niêm yết tại trụ sở; gửi kèm qua thư điện tử.", "ans-1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let again = act(&official, id, "answer", "Lần hai", "ans-1").await;
    assert_eq!(again.location(), r.location(), "same key: same outcome");
    let stored = ir::get(app.store(), id).await.unwrap();
    assert_eq!(stored.status, "answered");
    assert_eq!(stored.answered_on.as_deref(), Some(danchu::web::chrome::today_vn().to_string().as_str()));
    let t = app.client().get(&format!("/info-requests/track?code={code}")).await;
    assert!(t.text.contains("data-status=\"answered\""), "{}", t.text);
    assert!(t.text.contains("Bản dự toán được niêm yết tại trụ sở"));
    assert!(!t.text.contains("hoi@example.vn"));
    // A closed request cannot be refused afterwards.
    let late = act(&official, id, "refuse", "Thông tin mật", "ref-late").await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(ir::get(app.store(), id).await.unwrap().refusal_reasons, None);
    // The audit trail names the action.
    let audit = official.get(&format!("/admin/units/{}/audit", app.unit_id(HAC_THANH).await)).await;
    assert!(audit.text.contains("Cung cấp thông tin theo yêu cầu"), "{}", audit.text);
});

both!(r1_13_a_refusal_without_reasons_is_refused_and_nothing_is_saved, |app| {
    let code = code_of(&file_online(&app.client(), HAC_THANH, "online-3", "0987654321").await.location());
    let id = ir::by_code(app.store(), &code).await.unwrap().unwrap().id;
    let official = app.signed_in("hacthanh.canbo").await;
    for (i, empty) in ["", "   ", " ... "].iter().enumerate() {
        let r = act(&official, id, "refuse", empty, &format!("ref-empty-{i}")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{empty:?}: {}", r.text);
        assert!(r.text.contains("phải bằng văn bản và nêu rõ lý do"), "{}", r.text);
    }
    let stored = ir::get(app.store(), id).await.unwrap();
    assert_eq!((stored.status.as_str(), stored.refusal_reasons.clone()), ("open", None));
    let ok = act(&official, id, "refuse", "Thông tin thuộc danh mục bí mật nhà nước (Điều 6 Luật Tiếp cận thông tin).", "ref-ok").await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    let t = app.client().get(&format!("/info-requests/track?code={code}")).await;
    assert!(t.text.contains("data-status=\"refused\""));
    assert!(t.text.contains("bí mật nhà nước"));
});

both!(r1_13_a_complex_request_is_extended_once_only, |app| {
    let official = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    let today = danchu::web::chrome::today_vn();
    let id = register(&official, unit, &vn(today), "in_person", "complex", "reg-cx").await;
    let r = act(&official, id, "extend", "Cần lấy ý kiến của Sở Tài nguyên và Môi trường.", "ext-1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let cal = danchu::calendar::load(app.store()).await.unwrap();
    let expected = deadlines(&RequestRules::default(), &cal, today, RequestChannel::InPerson, Complexity::Complex, true).answer_by;
    let stored = ir::get(app.store(), id).await.unwrap();
    assert_eq!(stored.extended_to, Some(expected.to_string()));
    let second = act(&official, id, "extend", "Thêm lần nữa", "ext-2").await;
    assert_eq!(second.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", second.text);
    assert!(second.text.contains("chỉ được gia hạn một lần"), "{}", second.text);
    let after = ir::get(app.store(), id).await.unwrap();
    assert_eq!(
        (after.extended_to, after.extension_reason.as_deref()),
        (stored.extended_to, Some("Cần lấy ý kiến của Sở Tài nguyên và Môi trường."))
    );
    // An extension needs a reason; a simple request cannot be extended.
    let simple = register(&official, unit, &vn(today), "electronic", "simple", "reg-simple").await;
    let no_reason = act(&official, simple, "extend", "", "ext-3").await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let not_allowed = act(&official, simple, "extend", "Bận", "ext-4").await;
    assert_eq!(not_allowed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(not_allowed.text.contains("không được gia hạn"), "{}", not_allowed.text);
    assert_eq!(ir::get(app.store(), simple).await.unwrap().extended_to, None);
    // Reclassified as complex, it gets the longer deadlines (notice in 3, answer in 15 working days).
    let csrf = official.csrf().await;
    let cx = official
        .post_form(&format!("/admin/info-requests/{simple}/complexity"), &[("csrf", &csrf), ("idem", "cls-1"), ("complexity", "complex")])
        .await;
    assert_eq!(cx.status, StatusCode::SEE_OTHER, "{}", cx.text);
    let expected = deadlines(&RequestRules::default(), &cal, today, RequestChannel::Electronic, Complexity::Complex, false);
    let s2 = ir::get(app.store(), simple).await.unwrap();
    assert_eq!((s2.notice_by, s2.answer_by), (expected.notice_by.map(|x| x.to_string()), expected.answer_by.to_string()));
});

both!(another_communes_official_gets_403_or_404_on_information_requests, |app| {
    let own = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    let id = register(&own, unit, "20/11/2026", "electronic", "complex", "reg-authz").await;
    let other = app.signed_in("muonglat.canbo").await;
    let csrf = other.csrf().await;
    for path in [format!("/admin/units/{unit}/info-requests"), format!("/admin/info-requests/{id}")] {
        let r = other.get(&path).await;
        assert!(matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "GET {path} gave {}", r.status);
        assert!(!r.text.contains("Lê Văn Đến"), "GET {path} leaked the requester");
    }
    for what in ["answer", "refuse", "extend", "withdraw", "complexity"] {
        let r = other
            .post_form(
                &format!("/admin/info-requests/{id}/{what}"),
                &[("csrf", &csrf), ("idem", &format!("x-{what}")), ("text", "Lý do"), ("complexity", "simple")],
            )
            .await;
        assert!(matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "POST {what} gave {}", r.status);
    }
    let reg = other
        .post_form(
            &format!("/admin/units/{unit}/info-requests"),
            &[
                ("csrf", &csrf),
                ("idem", "x-reg"),
                ("received_on", "20/11/2026"),
                ("channel", "in_person"),
                ("complexity", "simple"),
                ("ground", "not_disclosed"),
                ("subject", "Lạ"),
                ("name", "Kẻ Lạ"),
            ],
        )
        .await;
    assert!(matches!(reg.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "register gave {}", reg.status);
    let stored = ir::get(app.store(), id).await.unwrap();
    assert_eq!((stored.status.as_str(), stored.extended_to), ("open", None));
    assert_eq!(ir::list_for_unit(app.store(), unit, 0, 10).await.unwrap().len(), 1);
    // Their own commune's page works; roles without the action are refused.
    let ml = app.unit_id(MUONG_LAT).await;
    assert_eq!(other.get(&format!("/admin/units/{ml}/info-requests")).await.status, StatusCode::OK);
    for user in ["hacthanh.tdp1", "hacthanh.mttq"] {
        let c = app.signed_in(user).await;
        assert_eq!(c.get(&format!("/admin/info-requests/{id}")).await.status, StatusCode::FORBIDDEN, "{user}");
    }
    // Not signed in: sent to the sign-in page.
    let anon = app.client().get(&format!("/admin/info-requests/{id}")).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert!(anon.location().starts_with("/login"));
});

both!(c0_2_a_compensatory_day_off_moves_the_deadline_of_a_request, |app| {
    let official = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    let id = register(&official, unit, "20/11/2026", "electronic", "simple", "reg-cal").await;
    assert_eq!(ir::get(app.store(), id).await.unwrap().answer_by, "2026-11-25");
    // The administrator announces Monday 23 November 2026 as a day off.
    let admin = app.signed_in("quantri").await;
    let page = admin.get("/admin/calendar?year=2026").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("Tết Nguyên đán") && page.text.contains("Quốc khánh"), "holidays named");
    let csrf = page.input("csrf");
    let r = admin
        .post_form(
            "/admin/calendar",
            &[("csrf", &csrf), ("idem", "cal-1"), ("date", "23/11/2026"), ("kind", "off"), ("note", "Nghỉ bù (thử nghiệm)")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let shown = admin.get(&r.location()).await;
    assert!(shown.text.contains("Nghỉ bù (thử nghiệm)"));
    // The open request moved by one working day, and a new one counts the same way.
    let moved = ir::get(app.store(), id).await.unwrap();
    assert_eq!(moved.answer_by, "2026-11-26");
    let cal = danchu::calendar::load(app.store()).await.unwrap();
    assert!(!cal.is_working_day(d(2026, 11, 23)));
    let later = register(&official, unit, "20/11/2026", "electronic", "simple", "reg-cal-2").await;
    assert_eq!(ir::get(app.store(), later).await.unwrap().answer_by, "2026-11-26");
    let t = app.client().get(&format!("/info-requests/track?code={}", moved.code)).await;
    assert!(t.text.contains("<dd id=\"answer-by\">26/11/2026</dd>"), "{}", t.text);
    // The public calendar lists it.
    let public = app.client().get("/calendar?year=2026").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.text.contains("23/11/2026") && public.text.contains("Nghỉ bù (thử nghiệm)"), "{}", public.text);
    // Removing it moves the deadline back.
    let rm = admin.post_form("/admin/calendar/remove", &[("csrf", &csrf), ("day", "2026-11-23")]).await;
    assert_eq!(rm.status, StatusCode::SEE_OTHER, "{}", rm.text);
    assert_eq!(ir::get(app.store(), id).await.unwrap().answer_by, "2026-11-25");
    assert!(!app.client().get("/calendar?year=2026").await.text.contains("Nghỉ bù (thử nghiệm)"));
    let audit = admin.get(&format!("/admin/units/{}/audit", app.state.province.id)).await;
    assert!(audit.text.contains("Ghi ngày nghỉ, ngày làm bù") && audit.text.contains("Xoá ngày nghỉ, ngày làm bù"), "{}", audit.text);
});

both!(c0_2_only_the_administrator_edits_the_calendar_and_bad_input_saves_nothing, |app| {
    let official = app.signed_in("hacthanh.canbo").await;
    assert_eq!(official.get("/admin/calendar").await.status, StatusCode::FORBIDDEN);
    let csrf = official.csrf().await;
    let r = official
        .post_form("/admin/calendar", &[("csrf", &csrf), ("idem", "o-1"), ("date", "23/11/2026"), ("kind", "off"), ("note", "x")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(official.post_form("/admin/calendar/remove", &[("csrf", &csrf), ("day", "2026-11-23")]).await.status, StatusCode::FORBIDDEN);
    let admin = app.signed_in("quantri").await;
    let csrf = admin.csrf().await;
    let before = danchu_store::calendar::all(app.store()).await.unwrap().len();
    let cases: [(&str, &str, &str, &str); 5] = [
        ("31/02/2026", "off", "Nghỉ bù", "không hợp lệ"),
        ("23/11/2026", "off", "  ", "Hãy ghi chú căn cứ"),
        ("23/11/2026", "holiday", "Nghỉ bù", "Loại ngày không hợp lệ"),
        ("25/11/2026", "working", "Làm bù", "phải là thứ Bảy hoặc Chủ nhật"),
        ("28/11/2026", "off", "Nghỉ", "đã là ngày nghỉ"),
    ];
    for (i, (date, kind, note, msg)) in cases.iter().enumerate() {
        let r = admin
            .post_form("/admin/calendar", &[("csrf", &csrf), ("idem", &format!("bad-{i}")), ("date", date), ("kind", kind), ("note", note)])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{date} {kind}: {}", r.text);
        assert!(r.text.contains(msg), "{date} {kind}: missing {msg}: {}", r.text);
    }
    assert_eq!(danchu_store::calendar::all(app.store()).await.unwrap().len(), before, "nothing saved");
    // A Saturday worked in exchange makes it a working day.
    let ok = admin
        .post_form(
            "/admin/calendar",
            &[("csrf", &csrf), ("idem", "ok-1"), ("date", "28/11/2026"), ("kind", "working"), ("note", "Làm bù (thử)")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    assert!(danchu::calendar::load(app.store()).await.unwrap().is_working_day(d(2026, 11, 28)));
    // The dashboard links the administrator to the calendar.
    assert!(admin.get("/dashboard").await.text.contains("/admin/calendar"));
});

/// The requester who left an e-mail address is told of the answer through
/// the outbox, over a real SMTP conversation, once.
async fn requester_is_told(backend: danchu_store::Backend) {
    let sink = crate::smtp::SmtpSink::start().await;
    let port = sink.port;
    let app = crate::harness::TestApp::build(backend, true, |c| {
        c.smtp.host = "127.0.0.1".into();
        c.smtp.port = port;
        c.smtp.from = "danchu <no-reply@danchu.test>".into();
    })
    .await;
    let loc = file_online(&app.client(), HAC_THANH, "online-mail", "hoi@example.vn").await.location();
    let code = code_of(&loc);
    let id = ir::by_code(app.store(), &code).await.unwrap().unwrap().id;
    let official = app.signed_in("hacthanh.chutich").await;
    act(&official, id, "answer", "Bản dự toán gửi kèm.", "ans-m").await;
    act(&official, id, "answer", "Bản dự toán gửi kèm.", "ans-m").await;
    app.drain_jobs().await;
    let mails: Vec<String> = sink
        .messages
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.to.iter().any(|t| t.contains("hoi@example.vn")))
        .map(|m| crate::accounts::decode_body(&m.data))
        .collect();
    assert_eq!(mails.len(), 1, "one message");
    assert!(mails[0].contains(&format!("/info-requests/track?code={code}")) && mails[0].contains("đã được trả lời"), "{}", mails[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r1_13_the_requester_is_told_of_the_answer_by_email_sqlite() {
    requester_is_told(danchu_store::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r1_13_the_requester_is_told_of_the_answer_by_email_postgres() {
    requester_is_told(danchu_store::Backend::Postgres).await;
}
