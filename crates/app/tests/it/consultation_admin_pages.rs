//! Consultations (issue 4), the officials' pages through the real router,
//! on SQLite and PostgreSQL: the minimum period (R3.4, R6.5), drafts kept
//! whole or split (also from DOCX), publication as a disclosure item (R3.5),
//! offline opinions (R3.2), moderation in the audit trail, responses to
//! groups, departures from the majority (R3.6), the synthesis published
//! once with its PDF and DOCX, and authorization by unit.

use crate::both;
use crate::harness::{Client, Resp, TestApp};
use axum::http::StatusCode;
use chrono::{Days, NaiveDate};
use danchu::web::chrome::today_vn;
use danchu_docs::{Block, Document};
use danchu_store::consultations::{self as cs, Who};

const HAC_THANH: &str = "14797";

const DRAFT: &str = "QUY CHẾ THỰC HIỆN DÂN CHỦ\nChương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\n1. Quy chế này quy định việc lấy ý kiến.\n2. Áp dụng cho các thôn.\nĐiều 2. Đối tượng áp dụng\nNhân dân trên địa bàn xã.\n";

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn after(n: u64) -> NaiveDate {
    today_vn() + Days::new(n)
}

/// The create form's fields; `subject`, the period and the draft vary.
fn fields<'a>(csrf: &'a str, idem: &'a str, subject: &'a str, opens: &'a str, closes: &'a str, draft: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("idem", idem),
        ("subject", subject),
        ("title", "Dự thảo quy chế thực hiện dân chủ ở cơ sở xã Hạc Thành"),
        ("summary", "Xin ý kiến Nhân dân về dự thảo quy chế."),
        ("eligibility", "residents"),
        ("opens_on", opens),
        ("closes_on", closes),
        ("plan_content", "Lấy ý kiến về toàn văn dự thảo quy chế."),
        ("plan_forms", "online"),
        ("plan_forms", "meeting"),
        ("plan_forms", "front"),
        ("plan_method", "Đăng trên cổng thông tin; tổ chức họp tại các thôn."),
        ("plan_responsibilities", "Văn phòng UBND chủ trì; các thôn tổ chức họp."),
        ("draft_text", draft),
    ]
}

async fn new_form(c: &Client, unit: i64) -> (String, String) {
    let r = c.get(&format!("/admin/units/{unit}/consultations/new")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    (r.input("csrf"), r.input("idem"))
}

/// Creates a consultation of subject xa-7 open for `days` days from today.
async fn create(c: &Client, unit: i64, days: u64, draft: &str) -> Resp {
    let (csrf, idem) = new_form(c, unit).await;
    let (opens, closes) = (dmy(today_vn()), dmy(after(days)));
    c.multipart(&format!("/admin/units/{unit}/consultations"), &fields(&csrf, &idem, "xa-7", &opens, &closes, draft), &[]).await
}

fn id_from(r: &Resp) -> i64 {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let loc = r.location();
    let rest = loc.strip_prefix("/admin/consultations/").unwrap_or_else(|| panic!("{loc}"));
    rest.split(['?', '/']).next().unwrap().parse().unwrap()
}

/// A published consultation of Hạc Thành, created and published as its
/// commune official; returns (client, unit id, consultation id).
async fn published(app: &TestApp) -> (Client, i64, i64) {
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    let id = id_from(&create(&c, unit, 20, DRAFT).await);
    let page = c.get(&format!("/admin/consultations/{id}")).await;
    let r = c.post_form(&format!("/admin/consultations/{id}/publish"), &[("csrf", &page.input("csrf")), ("idem", "pub-1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    (c, unit, id)
}

async fn enter_opinion(c: &Client, id: i64, idem: &str, part: &str, body: &str, household: &str) -> Resp {
    let page = c.get(&format!("/admin/consultations/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    c.post_form(
        &format!("/admin/consultations/{id}/opinions"),
        &[
            ("csrf", &page.input("csrf")),
            ("idem", idem),
            ("channel", "meeting"),
            ("source", "Hội nghị thôn Đông, 05/12/2026"),
            ("received_on", ""),
            ("author_name", ""),
            ("household", household),
            ("part", part),
            ("body", body),
        ],
    )
    .await
}

/// Moves the consultation's period into the past, as if it had closed.
async fn close_it(app: &TestApp, id: i64) {
    let (o, c) = (today_vn() - Days::new(30), today_vn() - Days::new(1));
    app.store().execute_admin(&format!("UPDATE consultations SET opens_on = '{o}', closes_on = '{c}' WHERE id = {id}")).await.unwrap();
}

async fn disclosures_of(app: &TestApp, unit: i64) -> Vec<danchu_store::disclosures::Item> {
    let f = danchu_store::disclosures::ListFilter { unit_id: Some(unit), include_withdrawn: true, ..Default::default() };
    danchu_store::disclosures::list(app.store(), &f, None, 100).await.unwrap()
}

both!(r3_4_a_consultation_needs_twenty_days_and_r6_5_a_convention_thirty, |app| {
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    let r = create(&c, unit, 19, DRAFT).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("ít nhất 20 ngày"), "{}", r.text);
    assert!(r.text.contains("Dự thảo quy chế thực hiện dân chủ ở cơ sở xã Hạc Thành"), "the form is shown again with what was typed");
    let id = id_from(&create(&c, unit, 20, DRAFT).await);
    let stored = cs::get(app.store(), id).await.unwrap().unwrap();
    assert_eq!((stored.status.as_str(), stored.subject.as_str()), (cs::DRAFT, "xa-7"));
    let parts = cs::parts(app.store(), id, 1).await.unwrap();
    assert!(parts.iter().any(|p| p.path == "d1.k2"), "{parts:?}");

    // A village convention (hương ước): 30 days, and a village of the commune.
    let villages = danchu::disclosure::villages_of(app.store(), &danchu_store::units::get(app.store(), unit).await.unwrap()).await.unwrap();
    let village = villages[0].id.to_string();
    for (days, expected) in [(29, StatusCode::UNPROCESSABLE_ENTITY), (30, StatusCode::SEE_OTHER)] {
        let (csrf, idem) = new_form(&c, unit).await;
        let (opens, closes) = (dmy(today_vn()), dmy(after(days)));
        let mut f = fields(&csrf, &idem, "huong-uoc", &opens, &closes, DRAFT);
        f.push(("village", &village));
        let r = c.multipart(&format!("/admin/units/{unit}/consultations"), &f, &[]).await;
        assert_eq!(r.status, expected, "{days} days: {}", r.text);
        if days == 29 {
            assert!(r.text.contains("ít nhất 30 ngày"), "{}", r.text);
        }
    }
    // Without a village, a convention is refused.
    let (csrf, idem) = new_form(&c, unit).await;
    let (opens, closes) = (dmy(today_vn()), dmy(after(30)));
    let r =
        c.multipart(&format!("/admin/units/{unit}/consultations"), &fields(&csrf, &idem, "huong-uoc", &opens, &closes, DRAFT), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("phải chọn thôn"), "{}", r.text);

    let list = c.get(&format!("/admin/units/{unit}/consultations")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text.contains(&format!("/admin/consultations/{id}")), "{}", list.text);
});

both!(a_draft_without_articles_is_kept_whole_with_a_message, |app| {
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    let text = "Đề nghị bà con cho ý kiến về việc làm đường liên thôn.\nKinh phí dự kiến 2 tỷ đồng.";
    let id = id_from(&create(&c, unit, 20, text).await);
    let v = cs::versions(app.store(), id).await.unwrap();
    assert_eq!(v.len(), 1);
    assert!(!v[0].structured);
    assert!(v[0].body.contains("Kinh phí dự kiến 2 tỷ đồng."), "kept whole: {}", v[0].body);
    let page = c.get(&format!("/admin/consultations/{id}")).await;
    assert!(page.text.contains("Không tách được dự thảo thành các điều"), "{}", page.text);
    assert!(page.text.contains("Kinh phí dự kiến 2 tỷ đồng."));
    // No draft at all is an error, not a silent empty draft.
    let r = create(&c, unit, 20, "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Hãy dán nội dung dự thảo"), "{}", r.text);
});

fn docx_of(paragraphs: &[&str]) -> Vec<u8> {
    let doc = Document {
        issuer: "ỦY BAN NHÂN DÂN XÃ HẠC THÀNH".into(),
        kind_title: "DỰ THẢO".into(),
        blocks: paragraphs.iter().map(|p| Block::Paragraph((*p).into())).collect(),
        ..Document::default()
    };
    danchu_docs::to_docx(&doc).unwrap()
}

both!(a_docx_draft_is_split_into_its_articles, |app| {
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    let docx = docx_of(&[
        "Điều 1. Phạm vi điều chỉnh",
        "1. Quy chế này quy định việc lấy ý kiến.",
        "2. Áp dụng cho các thôn.",
        "Điều 2. Đối tượng áp dụng",
        "Nhân dân trên địa bàn xã.",
    ]);
    let (csrf, idem) = new_form(&c, unit).await;
    let (opens, closes) = (dmy(today_vn()), dmy(after(20)));
    let r = c
        .multipart(
            &format!("/admin/units/{unit}/consultations"),
            &fields(&csrf, &idem, "xa-7", &opens, &closes, ""),
            &[("draft_file", "du-thao.docx", &docx)],
        )
        .await;
    let id = id_from(&r);
    let parts = cs::parts(app.store(), id, 1).await.unwrap();
    let paths: Vec<&str> = parts.iter().map(|p| p.path.as_str()).collect();
    assert!(paths.contains(&"d1") && paths.contains(&"d1.k2") && paths.contains(&"d2"), "{paths:?}");
    // A PDF is not a draft file.
    let pdf = danchu_docs::to_pdf(&Document { kind_title: "X".into(), ..Document::default() }).unwrap();
    let (csrf, idem) = new_form(&c, unit).await;
    let r = c
        .multipart(
            &format!("/admin/units/{unit}/consultations"),
            &fields(&csrf, &idem, "xa-7", &opens, &closes, ""),
            &[("draft_file", "du-thao.pdf", &pdf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("DOCX"), "{}", r.text);
});

both!(r3_5_publishing_creates_the_disclosure_item_once, |app| {
    let (c, unit, id) = published(&app).await;
    let stored = cs::get(app.store(), id).await.unwrap().unwrap();
    assert_eq!(stored.status, cs::PUBLISHED);
    let item = stored.disclosure_id.expect("a disclosure item");
    let items = disclosures_of(&app, unit).await;
    let mine: Vec<_> = items.iter().filter(|i| i.title.contains("Dự thảo quy chế thực hiện dân chủ")).collect();
    assert_eq!(mine.len(), 1, "{items:?}");
    assert_eq!((mine[0].id, mine[0].category.as_str()), (item, "xa-11"));
    // The same submission again, and a new one, change nothing.
    let page = c.get(&format!("/admin/consultations/{id}")).await;
    let csrf = page.input("csrf");
    for idem in ["pub-1", "pub-2"] {
        let r = c.post_form(&format!("/admin/consultations/{id}/publish"), &[("csrf", &csrf), ("idem", idem)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    }
    assert_eq!(disclosures_of(&app, unit).await.len(), items.len(), "published once");
    // The plan document, in both formats.
    let pdf = c.get(&format!("/admin/consultations/{id}/plan?format=pdf&signer=Nguy%E1%BB%85n+V%C4%83n+A")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with(b"%PDF"));
    let docx = c.get(&format!("/admin/consultations/{id}/plan?format=docx")).await;
    assert!(docx.body.starts_with(b"PK"));
    // Editing is over once published.
    assert_eq!(c.get(&format!("/admin/consultations/{id}/edit")).await.status, StatusCode::CONFLICT);
    // A new version keeps the old one.
    let r = c
        .multipart(
            &format!("/admin/consultations/{id}/versions"),
            &[("csrf", &csrf), ("idem", "v2"), ("change_note", "Sửa Điều 2"), ("draft_text", &DRAFT.replace("Nhân dân", "Công dân"))],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(cs::versions(app.store(), id).await.unwrap().len(), 2);
});

both!(r3_2_the_front_enters_an_opinion_with_a_household_as_author, |app| {
    let (_, unit, id) = published(&app).await;
    let u = danchu_store::units::get(app.store(), unit).await.unwrap();
    let villages = danchu::disclosure::villages_of(app.store(), &u).await.unwrap();
    let mut household = None;
    for v in &villages {
        if let Some(h) = danchu_store::households::list_by_village(app.store(), v.id, 0, 1).await.unwrap().into_iter().next() {
            household = Some(h);
            break;
        }
    }
    let household = household.expect("the demo has households");
    let front = app.signed_in("hacthanh.mttq").await;
    let r = enter_opinion(&front, id, "op-1", "d1", "Đề nghị bổ sung quy định về họp thôn.", &household.code).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let again = enter_opinion(&front, id, "op-1", "d1", "Đề nghị bổ sung quy định về họp thôn.", &household.code).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let rows = cs::comments(app.store(), id, &cs::CommentFilter::default(), 0, 10).await.unwrap();
    assert_eq!(rows.len(), 1, "stored once");
    assert_eq!((rows[0].channel.as_str(), rows[0].part_path.as_deref()), ("meeting", Some("d1")));
    assert_eq!(rows[0].source, "Hội nghị thôn Đông, 05/12/2026");
    let counts = cs::counts(app.store(), id).await.unwrap();
    assert_eq!(counts.get("channel:meeting"), Some(&1));
    // Bad input: unknown household, empty text, a channel outside the plan.
    let r = enter_opinion(&front, id, "op-2", "", "Ý kiến", "KHONG-CO").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Không tìm thấy hộ gia đình"), "{}", r.text);
    let r = enter_opinion(&front, id, "op-3", "", "   ", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("không được để trống"), "{}", r.text);
    // The village head enters the village meeting's opinions too.
    let head = app.signed_in("hacthanh.tdp1").await;
    let r = enter_opinion(&head, id, "op-4", "", "Nhất trí với dự thảo.", "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    // …but neither may publish, respond or hide.
    let csrf = front.csrf().await;
    let r = front
        .post_form(
            &format!("/admin/consultations/{id}/comments/{}/hide", rows[0].id),
            &[("csrf", &csrf), ("idem", "h-f"), ("reason", "spam")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
});

both!(hiding_needs_a_reason_and_is_in_the_audit_trail, |app| {
    let (c, unit, id) = published(&app).await;
    assert_eq!(enter_opinion(&c, id, "op-1", "", "Mua bán hàng giá rẻ, liên hệ ngay.", "").await.status, StatusCode::SEE_OTHER);
    let cid = cs::comments(app.store(), id, &cs::CommentFilter::default(), 0, 10).await.unwrap()[0].id;
    let page = c.get(&format!("/admin/consultations/{id}/responses")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("Mua bán hàng giá rẻ"));
    let csrf = page.input("csrf");
    let r =
        c.post_form(&format!("/admin/consultations/{id}/comments/{cid}/hide"), &[("csrf", &csrf), ("idem", "h-0"), ("reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Hãy chọn lý do"), "{}", r.text);
    let r = c
        .post_form(&format!("/admin/consultations/{id}/comments/{cid}/hide"), &[("csrf", &csrf), ("idem", "h-1"), ("reason", "spam")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let counts = cs::counts(app.store(), id).await.unwrap();
    assert_eq!((counts.get("hidden:spam"), counts.get("unanswered")), (Some(&1), Some(&0)));
    let audit = c.get(&format!("/admin/units/{unit}/audit")).await;
    assert!(audit.text.contains("Ẩn ý kiến góp ý"), "{}", audit.text);
    assert!(audit.text.contains("spam"), "the reason is recorded");
});

both!(r3_5_synthesis_waits_for_every_response_then_is_published_once, |app| {
    let (c, unit, id) = published(&app).await;
    for (i, body) in
        ["Đề nghị bổ sung quy định về họp thôn hằng tháng.", "Đề nghị bổ sung quy định về họp thôn hằng tháng!", "Điều 2 cần ghi rõ hơn."]
            .iter()
            .enumerate()
    {
        let part = if i < 2 { "d1" } else { "d2" };
        assert_eq!(enter_opinion(&c, id, &format!("op-{i}"), part, body, "").await.status, StatusCode::SEE_OTHER);
    }
    danchu::consultation::run_regroup(&app.ctx, id).await.unwrap();
    let groups = cs::groups(app.store(), id, 2, 0, 10).await.unwrap();
    assert_eq!(groups.len(), 1, "the two near-identical opinions are one group: {groups:?}");
    assert_eq!(groups[0].size, 2);
    close_it(&app, id).await;

    let page = c.get(&format!("/admin/consultations/{id}/synthesis")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("chưa được tiếp thu hoặc giải trình"), "{}", page.text);
    let csrf = page.input("csrf");
    let submit = |idem: &'static str| {
        let c = c.clone();
        let csrf = csrf.clone();
        async move {
            c.post_form(
                &format!("/admin/consultations/{id}/synthesis"),
                &[("csrf", &csrf), ("idem", idem), ("intro", ""), ("signer", "Nguyễn Văn A")],
            )
            .await
        }
    };
    let r = submit("syn-0").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Còn 3 ý kiến"), "{}", r.text);

    // Respond to the group at once, then to the last opinion; a too-short
    // explanation is refused.
    let r = c
        .post_form(
            &format!("/admin/consultations/{id}/groups/{}/respond", groups[0].id),
            &[("csrf", &csrf), ("idem", "g-1"), ("kind", "accepted"), ("text", "Bổ sung vào Điều 1."), ("part", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(cs::counts(app.store(), id).await.unwrap().get("unanswered"), Some(&1));
    let last = cs::comments(app.store(), id, &cs::CommentFilter { only_unanswered: true, ..Default::default() }, 0, 10).await.unwrap();
    let path = format!("/admin/consultations/{id}/comments/{}/respond", last[0].id);
    let r = c.post_form(&path, &[("csrf", &csrf), ("idem", "r-0"), ("kind", "explained"), ("text", "Không."), ("part", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("ít nhất 15 ký tự"), "{}", r.text);
    let r = c
        .post_form(
            &path,
            &[("csrf", &csrf), ("idem", "r-1"), ("kind", "explained"), ("text", "Điều 2 đã nêu rõ đối tượng theo Luật."), ("part", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);

    let before = disclosures_of(&app, unit).await.len();
    let r = submit("syn-1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let again = submit("syn-1").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let other = submit("syn-2").await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
    let items = disclosures_of(&app, unit).await;
    assert_eq!(items.len(), before + 1, "one synthesis item");
    let stored = cs::get(app.store(), id).await.unwrap().unwrap();
    assert_eq!(stored.status, cs::SYNTHESISED);
    let item = stored.synthesis_disclosure_id.expect("the synthesis item");
    let d = danchu_store::disclosures::detail(app.store(), item).await.unwrap().unwrap();
    assert_eq!(d.item.category, "xa-11");
    let kinds: Vec<&str> = d.attachments.iter().map(|a| a.kind.as_str()).collect();
    assert!(kinds.contains(&"pdf") && kinds.contains(&"docx"), "{kinds:?}");
    assert_eq!(d.attachments.len(), 2);
    let view = c.get(&format!("/admin/consultations/{id}/synthesis")).await;
    assert!(view.text.contains("Bổ sung vào Điều 1."), "{}", view.text);
});

both!(r3_6_a_departure_from_the_majority_needs_a_justification, |app| {
    let (c, _, id) = published(&app).await;
    let page = c.get(&format!("/admin/consultations/{id}")).await;
    let csrf = page.input("csrf");
    let r = c
        .post_form(
            &format!("/admin/consultations/{id}/statements"),
            &[("csrf", &csrf), ("idem", "st-1"), ("body", "Họp thôn mỗi tháng một lần.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let st = cs::statements(app.store(), id, Some("approved")).await.unwrap();
    assert_eq!(st.len(), 1, "an official's statement is approved at once");
    let sid = st[0].id;
    let mut tx = app.store().write().await.unwrap();
    for k in 0..3 {
        let p = cs::participant(&mut tx, id, Who::Key(&format!("k{k}")), None, None, None).await.unwrap();
        cs::vote(&mut tx, id, sid, p.id, if k < 2 { "agree" } else { "disagree" }).await.unwrap().unwrap();
    }
    tx.commit().await.unwrap();
    // Departs, justification to come: recorded, and it blocks the synthesis.
    let path = format!("/admin/consultations/{id}/statements/{sid}/decision");
    let r = c.post_form(&path, &[("csrf", &csrf), ("idem", "d-1"), ("follows", "no"), ("justification", "")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = c.get(&format!("/admin/consultations/{id}")).await;
    assert!(page.text.contains("chưa giải trình lý do"), "{}", page.text);
    close_it(&app, id).await;
    let r = c
        .post_form(
            &format!("/admin/consultations/{id}/synthesis"),
            &[("csrf", &csrf), ("idem", "syn-1"), ("intro", ""), ("signer", "Nguyễn Văn A")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("khác ý kiến đa số mà chưa giải trình"), "{}", r.text);
    let r = c
        .post_form(&path, &[("csrf", &csrf), ("idem", "d-2"), ("follows", "no"), ("justification", "Quy định của Luật là họp mỗi quý.")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c
        .post_form(
            &format!("/admin/consultations/{id}/synthesis"),
            &[("csrf", &csrf), ("idem", "syn-2"), ("intro", ""), ("signer", "Nguyễn Văn A")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
});

both!(another_commune_and_a_citizen_are_refused, |app| {
    let (_, unit, id) = published(&app).await;
    for user in ["muonglat.canbo", "congdan"] {
        let other = app.signed_in(user).await;
        assert_eq!(other.get(&format!("/admin/units/{unit}/consultations")).await.status, StatusCode::FORBIDDEN, "{user}");
        assert_eq!(other.get(&format!("/admin/consultations/{id}")).await.status, StatusCode::FORBIDDEN, "{user}");
        assert_eq!(other.get(&format!("/admin/consultations/{id}/responses")).await.status, StatusCode::FORBIDDEN, "{user}");
        assert_eq!(other.get(&format!("/admin/units/{unit}/consultations/new")).await.status, StatusCode::FORBIDDEN, "{user}");
        let csrf = other.csrf().await;
        let r = other.post_form(&format!("/admin/consultations/{id}/publish"), &[("csrf", &csrf), ("idem", "x-1")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
        let r = enter_form_post(&other, id, &csrf).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
    }
    // The Front officer enters opinions but does not manage.
    let front = app.signed_in("hacthanh.mttq").await;
    assert_eq!(front.get(&format!("/admin/consultations/{id}")).await.status, StatusCode::OK);
    assert_eq!(front.get(&format!("/admin/consultations/{id}/responses")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(front.get(&format!("/admin/units/{unit}/consultations/new")).await.status, StatusCode::FORBIDDEN);
    // Without a session: no page.
    let anon = app.client();
    assert_ne!(anon.get(&format!("/admin/consultations/{id}")).await.status, StatusCode::OK);
});

async fn enter_form_post(c: &Client, id: i64, csrf: &str) -> Resp {
    c.post_form(
        &format!("/admin/consultations/{id}/opinions"),
        &[("csrf", csrf), ("idem", "x-op"), ("channel", "meeting"), ("source", "Họp"), ("body", "Ý kiến"), ("part", "")],
    )
    .await
}

both!(participants_statements_wait_for_moderation, |app| {
    let (c, _, id) = published(&app).await;
    let mut tx = app.store().write().await.unwrap();
    let p = cs::participant(&mut tx, id, Who::Key("k1"), None, None, None).await.unwrap();
    let (a, _) = cs::add_statement(&mut tx, id, "Cần họp thôn buổi tối.", "can hop thon buoi toi", "pending", Some(p.id), None, "s-a")
        .await
        .unwrap();
    let (b, _) =
        cs::add_statement(&mut tx, id, "Quảng cáo bán hàng.", "quang cao ban hang", "pending", Some(p.id), None, "s-b").await.unwrap();
    tx.commit().await.unwrap();
    let page = c.get(&format!("/admin/consultations/{id}")).await;
    assert!(page.text.contains("Cần họp thôn buổi tối.") && page.text.contains("Chờ duyệt"), "{}", page.text);
    let csrf = page.input("csrf");
    let moderate = |sid: i64, idem: &'static str, decision: &'static str, reason: &'static str| {
        let (c, csrf) = (c.clone(), csrf.clone());
        async move {
            c.post_form(
                &format!("/admin/consultations/{id}/statements/{sid}/moderate"),
                &[("csrf", &csrf), ("idem", idem), ("decision", decision), ("reason", reason)],
            )
            .await
        }
    };
    let r = moderate(b, "m-0", "reject", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a rejection needs a reason: {}", r.text);
    assert_eq!(moderate(a, "m-1", "approve", "").await.status, StatusCode::SEE_OTHER);
    assert_eq!(moderate(b, "m-2", "reject", "spam").await.status, StatusCode::SEE_OTHER);
    let all = cs::statements(app.store(), id, None).await.unwrap();
    let state = |sid: i64| all.iter().find(|s| s.id == sid).map(|s| (s.state.clone(), s.hidden_reason.clone())).unwrap();
    assert_eq!(state(a), ("approved".to_string(), None));
    assert_eq!(state(b), ("rejected".to_string(), Some("spam".to_string())));
    assert_eq!(cs::counts(app.store(), id).await.unwrap().get("pending_statements").copied().unwrap_or(0), 0);
    // Someone else's statement in another consultation is not found here.
    assert_eq!(moderate(a + 1000, "m-3", "approve", "").await.status, StatusCode::NOT_FOUND);
});

both!(r3_5_subscribers_get_one_message_when_a_consultation_opens, |app| {
    let unit = app.unit_id(HAC_THANH).await;
    let u = danchu_store::units::get(app.store(), unit).await.unwrap();
    let mut tx = app.store().write().await.unwrap();
    use danchu_store::notifications as nt;
    nt::subscribe(&mut tx, "dan@example.vn", unit, &u.path, Some("xa-11"), "tok-cat").await.unwrap();
    assert!(nt::confirm(&mut tx, "tok-cat").await.unwrap());
    nt::subscribe(&mut tx, "ba@example.vn", unit, &u.path, None, "tok-all").await.unwrap();
    assert!(nt::confirm(&mut tx, "tok-all").await.unwrap());
    tx.commit().await.unwrap();
    app.drain_jobs().await;
    let (before, _) = nt::count_sent(app.store()).await.unwrap();
    published(&app).await;
    app.drain_jobs().await;
    let (after, _) = nt::count_sent(app.store()).await.unwrap();
    // The consultation's own notice, not also the generic one of its
    // disclosure item: one message per subscriber.
    assert_eq!(after - before, 2);
});

both!(r3_4_feeds_announce_an_open_consultation_with_its_days_left, |app| {
    let (_c, _unit, id) = published(&app).await;
    let anon = app.client();
    let rss = anon.get(&format!("/feeds/{HAC_THANH}.rss")).await;
    assert_eq!(rss.status, StatusCode::OK);
    let until = dmy(after(20));
    assert!(rss.text.contains(&format!("Đang lấy ý kiến đến hết ngày {until} (Còn 21 ngày)")), "{}", rss.text);
    assert!(rss.text.contains(&format!("/consultations/{id}")), "the entry says where to comment");
    let atom = anon.get(&format!("/feeds/{HAC_THANH}.atom")).await;
    assert!(atom.text.contains("Còn 21 ngày"), "{}", atom.text);
    let json: serde_json::Value = serde_json::from_str(&anon.get(&format!("/feeds/{HAC_THANH}.json")).await.text).unwrap();
    let items = json["items"].as_array().unwrap();
    let with: Vec<_> = items.iter().filter(|i| i.get("_danchu").is_some()).collect();
    assert_eq!(with.len(), 1, "only the consultation's item carries the extension: {json}");
    assert_eq!(with[0]["_danchu"]["days_left"], "Còn 21 ngày");
    assert!(with[0]["_danchu"]["consultation_url"].as_str().unwrap().ends_with(&format!("/consultations/{id}")));
});
