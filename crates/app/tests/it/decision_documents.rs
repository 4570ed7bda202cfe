//! The documents of community decisions through the real router, on both
//! backends: the written decision (R2.16) and the count minutes (Mẫu 02,
//! Mẫu 04) as PDF and DOCX with every mandatory field, refused (409) before
//! they can exist, printable household ballots with the QR code of their
//! code (R2.13), the commune's officials only, and the publication of the
//! result as exactly one disclosure item (R2.21).

use crate::both;
use crate::harness::{Client, Resp, TestApp};
use axum::http::StatusCode;
use danchu::decision::{self as svc, NewDecision};
use danchu_domain::decision::{Choice, Counts, Form, FormFacts, Scope, Subject};
use danchu_files::FileKind;
use danchu_store::decision_docs as dd;
use danchu_store::decisions as ds;
use danchu_store::households;

const HOUR: i64 = 3_600_000;

fn today() -> chrono::NaiveDate {
    danchu::web::chrome::today_vn()
}

fn decision(commune: i64, village: Option<i64>, subject: Subject, form: Form) -> NewDecision {
    NewDecision {
        commune_id: commune,
        scope: if village.is_some() { Scope::Village } else { Scope::Commune },
        village_id: village,
        subject,
        title: "Làm đường bê tông ngõ Đồng Tâm".into(),
        question: "Hộ gia đình có đồng ý làm đường, mỗi hộ góp 500.000 đồng không?".into(),
        content: "Làm đường bê tông ngõ Đồng Tâm dài 300 mét.\n\nMỗi hộ gia đình đóng góp 500.000 đồng.".into(),
        form,
        facts: FormFacts { meeting_lacked_attendance: form == Form::HouseholdBallot, head_and_front_agree: true },
        secret: false,
        decision_date: today(),
        redo_of: None,
        is_demo: true,
        created_by: None,
    }
}

/// Text of a PDF or DOCX, whitespace collapsed (lines wrap anywhere).
fn text_of(kind: FileKind, bytes: &[u8]) -> String {
    let t = danchu_files::extract_text(kind, bytes, 1_000_000).unwrap_or_else(|e| panic!("{kind:?} text: {e:?}"));
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Page objects of a PDF (`/Type /Page`, not `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf).replace("/Type /", "/Type/");
    text.match_indices("/Type/Page").filter(|(i, m)| text.as_bytes().get(i + m.len()) != Some(&b's')).count()
}

fn assert_has(text: &str, needles: &[&str], what: &str) {
    for n in needles {
        assert!(text.contains(n), "{what}: missing «{n}» in {text}");
    }
}

fn assert_file(r: &Resp, mime: &str) {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.headers.get("content-type").unwrap().to_str().unwrap(), mime);
    assert!(r.headers.get("content-disposition").unwrap().to_str().unwrap().starts_with("attachment"));
}

const PDF: &str = "application/pdf";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A household-ballot decision (subject 1) in the demo village 14797.001:
/// opened, ballots issued, a counting team; returns (decision, village,
/// households, team, codes).
async fn ballot_decision(app: &TestApp) -> (i64, i64, usize, i64, Vec<String>) {
    let commune = app.unit_id("14797").await;
    let village = app.unit_id("14797.001").await;
    let id = svc::create(&app.ctx, &decision(commune, Some(village), Subject::PublicWorks, Form::HouseholdBallot)).await.unwrap();
    let now = danchu_store::now_ms();
    svc::open(&app.ctx, id, now - HOUR, now + HOUR).await.unwrap();
    svc::issue_paper_ballots(&app.ctx, id, village).await.unwrap();
    let team =
        svc::add_count_team(&app.ctx, id, village, &["Lê Văn Tổ", "Lê Thị Hai", "Lê Văn Ba"], ["Hoàng Chứng Một", "Hoàng Chứng Hai"], None)
            .await
            .unwrap();
    let codes: Vec<String> = ds::paper_ballots(app.store(), id, village).await.unwrap().into_iter().map(|b| b.code).collect();
    let households = ds::bases(app.store(), id).await.unwrap()[&village] as usize;
    assert_eq!(codes.len(), households);
    (id, village, households, team, codes)
}

/// Counts `agree` agreeing, one disagreeing, one invalid ballot, then closes.
async fn count_and_close(app: &TestApp, id: i64, village: i64, team: i64, codes: &[String], agree: usize) {
    for (i, code) in codes.iter().take(agree + 2).enumerate() {
        let c = if i < agree {
            Choice::Agree
        } else if i == agree {
            Choice::Disagree
        } else {
            Choice::Invalid
        };
        svc::count_paper_ballot(&app.ctx, id, village, team, code, c, None).await.unwrap();
    }
    let d = svc::load(&app.ctx, id).await.unwrap();
    svc::close(&app.ctx, id, d.closes_at.unwrap()).await.unwrap();
}

both!(r2_16_written_decision_and_mau_04_carry_every_mandatory_field_in_pdf_and_docx, |app| {
    let (id, village, households, team, codes) = ballot_decision(&app).await;
    let agree = households - 3;
    count_and_close(&app, id, village, team, &codes, agree).await;
    let voted = agree + 2;
    let c = app.signed_in("hacthanh.canbo").await;
    let date = today().format("%d/%m/%Y").to_string();
    let common = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Làm đường bê tông ngõ Đồng Tâm"];
    let total = format!("Tổng số hộ gia đình: {households:02} hộ");
    let took_part = format!("Số đại diện hộ gia đình tham gia biểu quyết: {voted:02} người");
    let absent = format!("Số hộ gia đình không có đại diện tham gia: {:02} hộ", households - voted);
    let decided = format!("Ngày quyết định (ngày chốt số hộ gia đình): {date}");
    for (format, kind, mime) in [("pdf", FileKind::Pdf, PDF), ("docx", FileKind::Docx, DOCX)] {
        let r = c.get(&format!("/admin/decisions/{id}/documents/decision.{format}")).await;
        assert_file(&r, mime);
        let text = text_of(kind, &r.body);
        assert_has(&text, &common, "written decision");
        assert_has(
            &text,
            &[
                "NGHỊ QUYẾT",
                &decided,
                &total,
                &took_part,
                &absent,
                "khoản 1 Điều 15 Luật Thực hiện dân chủ ở cơ sở",
                "Hình thức: Phát phiếu lấy ý kiến hộ gia đình",
                "Câu hỏi biểu quyết: Hộ gia đình có đồng ý làm đường",
                "Tỷ lệ cần đạt: ít nhất 2/3 tổng số hộ gia đình",
                "ĐẠT",
                "Mỗi hộ gia đình đóng góp 500.000 đồng.",
                "Trưởng ban công tác Mặt trận",
                "Đại diện hộ gia đình",
                "TRƯỞNG THÔN, TỔ TRƯỞNG TỔ DÂN PHỐ",
            ],
            &format!("decision.{format}"),
        );
        if kind == FileKind::Docx {
            // The table cells come whole out of the DOCX: each count.
            assert_has(&text, &[&format!("Đồng ý {agree:02}"), "Không đồng ý 01", "Không hợp lệ 01"], "decision.docx counts");
        }
        let r = c.get(&format!("/admin/decisions/{id}/documents/minutes-04.{format}")).await;
        assert_file(&r, mime);
        let text = text_of(kind, &r.body);
        assert_has(&text, &common, "Mẫu 04");
        assert_has(
            &text,
            &[
                "BIÊN BẢN KIỂM PHIẾU",
                "Lê Văn Tổ (Tổ trưởng)",
                "Lê Thị Hai",
                "Lê Văn Ba",
                "Hoàng Chứng Một",
                "Hoàng Chứng Hai",
                &format!("Số phiếu phát ra: {households:02}; số phiếu thu về: {voted:02}"),
                &format!("Số phiếu hợp lệ: {:02}; số phiếu không hợp lệ: 01", agree + 1),
                "Hạn nộp phiếu",
                &total,
                "Kết quả: ĐẠT",
            ],
            &format!("minutes-04.{format}"),
        );
    }
    // A ballot decision has no meeting minutes.
    let r = c.get(&format!("/admin/decisions/{id}/documents/minutes-02.pdf")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("không biểu quyết tại cuộc họp"), "{}", r.text);
});

both!(r2_16_commune_wide_written_decision_lists_every_village, |app| {
    let commune = app.unit_id("14797").await;
    let id = svc::create(&app.ctx, &decision(commune, None, Subject::PublicWorks, Form::HouseholdBallot)).await.unwrap();
    let now = danchu_store::now_ms();
    svc::open(&app.ctx, id, now - HOUR, now + HOUR).await.unwrap();
    svc::close(&app.ctx, id, now + HOUR).await.unwrap();
    let villages = ds::village_results(app.store(), id).await.unwrap();
    assert!(villages.len() > 1);
    let c = app.signed_in("hacthanh.canbo").await;
    let r = c.get(&format!("/admin/decisions/{id}/documents/decision.docx")).await;
    assert_file(&r, DOCX);
    let text = text_of(FileKind::Docx, &r.body);
    assert_has(&text, &["BIÊN BẢN", "ỦY BAN NHÂN DÂN", "tổng số thôn, tổ dân phố", "KHÔNG ĐẠT"], "commune-wide");
    for v in &villages {
        assert!(text.contains(&v.village_name), "village {} missing", v.village_name);
    }
    // Per-village documents need the village when several take part.
    let r = c.get(&format!("/admin/decisions/{id}/documents/minutes-04.pdf")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let with_households = villages.iter().find(|v| v.households > 0).unwrap();
    let r = c.get(&format!("/admin/decisions/{id}/documents/minutes-04.pdf?village={}", with_households.village_id)).await;
    assert_file(&r, PDF);
});

both!(r2_10_vote_count_minutes_mau_02_of_a_meeting, |app| {
    let commune = app.unit_id("14797").await;
    let village = app.unit_id("14797.001").await;
    let id = svc::create(&app.ctx, &decision(commune, Some(village), Subject::Convention, Form::Meeting)).await.unwrap();
    let now = danchu_store::now_ms();
    svc::open(&app.ctx, id, now - HOUR, now + HOUR).await.unwrap();
    let hs: Vec<i64> = households::list_by_village(app.store(), village, 0, 1000).await.unwrap().into_iter().map(|h| h.id).collect();
    let day = today().to_string();
    let mut tx = app.store().write().await.unwrap();
    let m = ds::add_meeting(
        &mut tx,
        &ds::NewMeeting {
            decision_id: id,
            village_id: village,
            held_on: &day,
            notice_on: &day,
            documents_on: &day,
            secretary: "Phạm Thư Ký",
            committee: "Trần Kiểm Một\nTrần Kiểm Hai\nTrần Kiểm Ba",
            method: "secret",
            created_by: None,
        },
    )
    .await
    .unwrap();
    let present = hs.len() - 1;
    ds::add_attendance(&mut tx, m, &hs[..present]).await.unwrap();
    tx.commit().await.unwrap();
    let c = app.signed_in("hacthanh.canbo").await;
    // No result yet: no minutes.
    let r = c.get(&format!("/admin/decisions/{id}/documents/minutes-02.docx")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("Chưa có kết quả biểu quyết của cuộc họp"), "{}", r.text);
    let agree = present as u64 - 2;
    svc::record_meeting_result(&app.ctx, m, Counts { agree, disagree: 1, other: 1, invalid: 0 }).await.unwrap();
    for (format, kind, mime) in [("pdf", FileKind::Pdf, PDF), ("docx", FileKind::Docx, DOCX)] {
        let r = c.get(&format!("/admin/decisions/{id}/documents/minutes-02.{format}")).await;
        assert_file(&r, mime);
        let text = text_of(kind, &r.body);
        assert_has(
            &text,
            &[
                "BIÊN BẢN KIỂM PHIẾU",
                "Làm đường bê tông ngõ Đồng Tâm",
                &format!("Số đại diện hộ gia đình có mặt: {present:02} người; số hộ không có đại diện: 01 hộ"),
                "Thư ký cuộc họp: Phạm Thư Ký",
                "Hình thức biểu quyết: bỏ phiếu kín",
                "Trần Kiểm Một (Trưởng ban)",
                "Trần Kiểm Hai",
                "Trần Kiểm Ba",
                &format!("Số phiếu phát ra: {present:02}; số phiếu thu vào: {present:02}"),
                "03 bản",
                "Đại diện hộ gia đình chứng kiến",
                "Tỷ lệ cần đạt: trên 50%",
            ],
            &format!("minutes-02.{format}"),
        );
    }
    // The written decision of a meeting counts the representatives present;
    // before closing it does not exist.
    let r = c.get(&format!("/admin/decisions/{id}/documents/decision.pdf")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    svc::close(&app.ctx, id, now + HOUR).await.unwrap();
    let r = c.get(&format!("/admin/decisions/{id}/documents/decision.docx")).await;
    let text = text_of(FileKind::Docx, &r.body);
    assert_has(
        &text,
        &[
            &format!("Số đại diện hộ gia đình tham gia biểu quyết: {present:02} người"),
            "Hình thức: Họp cộng đồng dân cư",
            "khoản 3 Điều 15",
        ],
        "meeting decision",
    );
});

both!(r2_16_documents_do_not_exist_before_closing_409_with_the_reason, |app| {
    let (id, village, _, _, codes) = ballot_decision(&app).await;
    let c = app.signed_in("hacthanh.canbo").await;
    for kind in ["decision.pdf", "decision.docx", "minutes-04.pdf", "minutes-04.docx"] {
        let r = c.get(&format!("/admin/decisions/{id}/documents/{kind}")).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{kind}: {}", r.text);
        assert!(r.text.contains("Biểu quyết chưa kết thúc"), "{kind}: {}", r.text);
    }
    for kind in ["minutes-03.pdf", "decision.html", "decision"] {
        assert_eq!(c.get(&format!("/admin/decisions/{id}/documents/{kind}")).await.status, StatusCode::NOT_FOUND, "{kind}");
    }
    assert_eq!(c.get("/admin/decisions/999999999/documents/decision.pdf").await.status, StatusCode::NOT_FOUND);
    let r = c.get(&format!("/admin/decisions/{id}/documents/minutes-04.pdf?village=abc")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Publishing before closing is refused and creates nothing.
    let csrf = c.csrf().await;
    let r = c.post_form(&format!("/admin/decisions/{id}/publish"), &[("csrf", &csrf), ("idem", "early-1")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(dd::publication(app.store(), id).await.unwrap(), None);
    // Ballots of a village that takes no part are a bad request; printing
    // after closing is refused.
    let other = app.unit_id("14797.002").await;
    let r = c.get(&format!("/admin/decisions/{id}/villages/{other}/ballots.pdf")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let d = svc::load(&app.ctx, id).await.unwrap();
    svc::close(&app.ctx, id, d.closes_at.unwrap()).await.unwrap();
    let r = c.get(&format!("/admin/decisions/{id}/villages/{village}/ballots.pdf")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(!codes.is_empty());
});

both!(r2_13_printed_ballots_one_per_household_with_the_qr_of_their_code, |app| {
    let (id, village, households, _, codes) = ballot_decision(&app).await;
    let c = app.signed_in("hacthanh.canbo").await;
    assert_eq!(dd::paper_stats(app.store(), id, village).await.unwrap().printed, 0);
    let r = c.get(&format!("/admin/decisions/{id}/villages/{village}/ballots.pdf")).await;
    assert_file(&r, PDF);
    assert_eq!(pdf_pages(&r.body), households.div_ceil(2), "two ballots a page");
    let text = text_of(FileKind::Pdf, &r.body);
    assert_has(
        &text,
        &[
            "PHIẾU LẤY Ý KIẾN HỘ GIA ĐÌNH",
            "Về việc: Làm đường bê tông ngõ Đồng Tâm",
            "Câu hỏi: Hộ gia đình có đồng ý làm đường",
            "Đồng ý",
            "Không đồng ý",
            "Ý kiến khác",
            "Hạn nộp phiếu",
            "Thôn, tổ dân phố:",
            "TRƯỞNG THÔN",
        ],
        "ballots",
    );
    let rows = dd::ballots_to_print(app.store(), id, village).await.unwrap();
    assert_eq!(rows.len(), households);
    for b in &rows {
        assert!(text.contains(&format!("Mã phiếu: {}", b.code)), "ballot {} missing", b.code);
        assert!(text.contains(&b.household_code), "household {} missing", b.household_code);
        // The QR code encodes the ballot's code (drawn from this matrix; the
        // docs crate's test checks the drawing against the crate's rendering).
        let (width, modules) = danchu_docs::qr_matrix(&b.code).unwrap();
        assert_eq!(modules.len(), width * width);
    }
    assert_eq!(codes.len(), households);
    // Marked printed, once; printing again changes nothing.
    assert_eq!(dd::paper_stats(app.store(), id, village).await.unwrap().printed, households as i64);
    let again = c.get(&format!("/admin/decisions/{id}/villages/{village}/ballots.pdf")).await;
    assert_file(&again, PDF);
    assert_eq!(dd::paper_stats(app.store(), id, village).await.unwrap().printed, households as i64);
    // An online vote has no ballots.
    let commune = app.unit_id("14797").await;
    let online = svc::create(&app.ctx, &decision(commune, Some(village), Subject::Other, Form::OnlineVote)).await.unwrap();
    let r = c.get(&format!("/admin/decisions/{online}/villages/{village}/ballots.pdf")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
});

/// The commune's disclosure items that publish a decision's result.
async fn result_items(app: &TestApp, commune: i64) -> Vec<danchu_store::disclosures::Item> {
    let f = danchu_store::disclosures::ListFilter { unit_id: Some(commune), include_withdrawn: true, ..Default::default() };
    danchu_store::disclosures::list(app.store(), &f, None, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|i| i.title.contains("Kết quả biểu quyết của cộng đồng dân cư"))
        .collect()
}

both!(r2_14_online_vote_decision_carries_the_participation_list, |app| {
    let commune = app.unit_id("14797").await;
    let village = app.unit_id("14797.001").await;
    let id = svc::create(&app.ctx, &decision(commune, Some(village), Subject::Other, Form::OnlineVote)).await.unwrap();
    let now = danchu_store::now_ms();
    svc::open(&app.ctx, id, now - HOUR, now + HOUR).await.unwrap();
    let hs = households::list_by_village(app.store(), village, 0, 1000).await.unwrap();
    for h in &hs[..3] {
        let key = format!("online-{}-{}", h.id, danchu::keys::random_token(8));
        svc::cast_online_vote(&app.ctx, id, h.id, Choice::Agree, &key, now).await.unwrap();
    }
    svc::close(&app.ctx, id, now + HOUR).await.unwrap();
    let c = app.signed_in("hacthanh.canbo").await;
    let r = c.get(&format!("/admin/decisions/{id}/documents/decision.docx")).await;
    assert_file(&r, DOCX);
    let text = text_of(FileKind::Docx, &r.body);
    assert_has(&text, &["DANH SÁCH HỘ GIA ĐÌNH THAM GIA BIỂU QUYẾT TRỰC TUYẾN", "Hình thức: Biểu quyết trực tuyến"], "online");
    for h in &hs[..3] {
        assert!(text.contains(&format!(" {} ", h.code)), "participant {} missing", h.code);
    }
    for h in &hs[3..] {
        assert!(!text.contains(&format!(" {} ", h.code)), "non-participant {} listed", h.code);
    }
});

async fn publish(c: &Client, id: i64, idem: &str) -> Resp {
    let csrf = c.csrf().await;
    c.post_form(&format!("/admin/decisions/{id}/publish"), &[("csrf", &csrf), ("idem", idem)]).await
}

both!(decision_documents_are_kept_to_the_decisions_commune, |app| {
    let (id, village, _, team, codes) = ballot_decision(&app).await;
    for user in ["muonglat.canbo", "congdan", "hacthanh.tdp1"] {
        let other = app.signed_in(user).await;
        for path in [
            format!("/admin/decisions/{id}/documents/decision.pdf"),
            format!("/admin/decisions/{id}/documents/minutes-04.docx"),
            format!("/admin/decisions/{id}/villages/{village}/ballots.pdf"),
        ] {
            assert_eq!(other.get(&path).await.status, StatusCode::FORBIDDEN, "{user} {path}");
        }
        assert_eq!(publish(&other, id, &format!("{user}-1")).await.status, StatusCode::FORBIDDEN, "{user}");
    }
    let anon = app.client();
    assert_ne!(anon.get(&format!("/admin/decisions/{id}/documents/decision.pdf")).await.status, StatusCode::OK);
    // The Front reads the documents but neither prints nor publishes.
    count_and_close(&app, id, village, team, &codes, 2).await;
    let front = app.signed_in("hacthanh.mttq").await;
    assert_file(&front.get(&format!("/admin/decisions/{id}/documents/decision.pdf")).await, PDF);
    assert_eq!(front.get(&format!("/admin/decisions/{id}/villages/{village}/ballots.pdf")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(publish(&front, id, "front-1").await.status, StatusCode::FORBIDDEN);
    assert_eq!(dd::publication(app.store(), id).await.unwrap(), None, "nothing published by refused requests");
    // The chair reads them too.
    let chair = app.signed_in("hacthanh.chutich").await;
    assert_file(&chair.get(&format!("/admin/decisions/{id}/documents/decision.docx")).await, DOCX);
});

both!(r2_21_publication_creates_exactly_one_disclosure_item_even_when_posted_twice, |app| {
    let (id, village, _, team, codes) = ballot_decision(&app).await;
    count_and_close(&app, id, village, team, &codes, 2).await;
    let commune = app.unit_id("14797").await;
    assert!(result_items(&app, commune).await.is_empty());
    let c = app.signed_in("hacthanh.canbo").await;
    let second = app.signed_in("hacthanh.chutich").await;
    // Two officials at once, then a double click and a retry of the first.
    let (a, b) = tokio::join!(publish(&c, id, "pub-a"), publish(&second, id, "pub-b"));
    let retry = {
        let csrf = c.csrf().await;
        c.post_form(&format!("/admin/decisions/{id}/publish"), &[("csrf", &csrf), ("idem", "pub-a")]).await
    };
    let later = publish(&c, id, "pub-c").await;
    let items = result_items(&app, commune).await;
    assert_eq!(items.len(), 1, "one item whatever the number of posts");
    let item = &items[0];
    assert_eq!(item.category, "xa-14");
    assert_eq!(dd::publication(app.store(), id).await.unwrap(), Some(item.id));
    for r in [&a, &b, &retry, &later] {
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        assert_eq!(r.location(), format!("/admin/disclosures/{}?done=published", item.id));
    }
    // The written decision is attached (PDF, and DOCX for the index); the
    // item is public like any other.
    let detail = danchu_store::disclosures::detail(app.store(), item.id).await.unwrap().unwrap();
    let kinds: Vec<&str> = detail.attachments.iter().map(|a| a.kind.as_str()).collect();
    assert!(kinds.contains(&"pdf") && kinds.contains(&"docx"), "{kinds:?}");
    let pdf = detail.attachments.iter().find(|a| a.kind == "pdf").unwrap();
    let (_, bytes) = danchu_store::disclosures::file(app.store(), &pdf.sha256).await.unwrap().unwrap();
    assert!(text_of(FileKind::Pdf, &bytes).contains("Làm đường bê tông ngõ Đồng Tâm"));
    let public = app.client().get(&format!("/disclosures/{}", item.id)).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.text.contains("Làm đường bê tông ngõ Đồng Tâm"));
});
