//! Disclosures (Dân biết) through the real router: publishing with
//! attachments, computed compliance (R1.3–R1.10), search, feeds,
//! subscriptions over real SMTP, generated documents, authorization and bad
//! input. Each test runs on SQLite and on PostgreSQL.

use crate::both;
use crate::harness::{Client, Resp, TestApp};
use crate::smtp::SmtpSink;
use axum::http::StatusCode;
use chrono::{Days, NaiveDate};
use danchu::web::chrome::today_vn;
use danchu_docs::{Block, Document};

const HAC_THANH: &str = "14797";

#[test]
fn generated_documents_give_their_text_back_to_the_search_index() {
    let docx = docx_with("Quỹ phòng, chống thiên tai");
    let text = danchu_files::extract_text(danchu_files::FileKind::Docx, &docx, 10_000).unwrap();
    assert!(text.contains("Quỹ phòng, chống thiên tai"), "{text}");
    let pdf = pdf_with("Biên bản nghiệm thu Đông Hòa");
    let text = danchu_files::extract_text(danchu_files::FileKind::Pdf, &pdf, 10_000).unwrap();
    assert!(text.contains("Biên bản nghiệm thu Đông Hòa"), "{text}");
}

fn docx_with(text: &str) -> Vec<u8> {
    let doc = Document {
        issuer: "ỦY BAN NHÂN DÂN XÃ HẠC THÀNH".into(),
        kind_title: "THÔNG BÁO".into(),
        blocks: vec![Block::Paragraph(text.into())],
        ..Document::default()
    };
    danchu_docs::to_docx(&doc).unwrap()
}

fn pdf_with(text: &str) -> Vec<u8> {
    let doc = Document {
        issuer: "ỦY BAN NHÂN DÂN XÃ HẠC THÀNH".into(),
        kind_title: "THÔNG BÁO".into(),
        blocks: vec![Block::Paragraph(text.into())],
        ..Document::default()
    };
    danchu_docs::to_pdf(&doc).unwrap()
}

fn days_ago(n: u64) -> NaiveDate {
    today_vn() - Days::new(n)
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Publishes an item as `c`; returns the response.
#[allow(clippy::too_many_arguments)]
async fn publish(
    c: &Client,
    unit: i64,
    category: &str,
    title: &str,
    decided: NaiveDate,
    body: &str,
    files: &[(&str, &str, &[u8])],
    idem: &str,
) -> Resp {
    let csrf = c.csrf().await;
    c.multipart(
        &format!("/admin/units/{unit}/disclosures"),
        &[
            ("csrf", &csrf),
            ("idem", idem),
            ("category", category),
            ("title", title),
            ("decision_number", "12/QĐ-UBND"),
            ("decision_date", &dmy(decided)),
            ("signer", "Trần Thị Chủ"),
            ("body", body),
        ],
        files,
    )
    .await
}

fn item_id(r: &Resp) -> i64 {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let loc = r.location();
    loc.trim_start_matches("/admin/disclosures/").split('?').next().unwrap().parse().unwrap_or_else(|_| panic!("{loc}"))
}

async fn record(c: &Client, item: i64, channel: &str, place: Option<i64>, start: NaiveDate, end: Option<NaiveDate>, idem: &str) -> Resp {
    let csrf = c.csrf().await;
    let place = place.map(|p| p.to_string()).unwrap_or_default();
    let end = end.map(|e| e.to_string()).unwrap_or_default();
    c.multipart(
        &format!("/admin/disclosures/{item}/records"),
        &[
            ("csrf", &csrf),
            ("idem", idem),
            ("channel", channel),
            ("place", &place),
            ("start_on", &start.to_string()),
            ("end_on", &end),
            ("responsible", "Nguyễn Văn Cán"),
        ],
        &[],
    )
    .await
}

async fn verdict(app: &TestApp, id: i64) -> String {
    danchu_store::disclosures::detail(app.store(), id).await.unwrap().unwrap().item.verdict
}

async fn villages(app: &TestApp, commune: i64) -> Vec<i64> {
    danchu_store::units::children(app.store(), commune)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.unit.kind.level() == danchu_domain::units::Level::Village)
        .map(|c| c.unit.id)
        .collect()
}

async fn count_items(app: &TestApp, unit: i64) -> i64 {
    danchu_store::disclosures::counts(app.store(), unit).await.unwrap().items
}

both!(r1_5_posting_of_29_days_is_flagged_and_30_days_at_every_village_is_compliant, |app| {
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    let decided = days_ago(60);
    // Item 2 (budget): portal, 30 days at the HQ and at every village (R1.4, R1.5);
    // it was on the commune's portal the day after the decision.
    let csrf = c.csrf().await;
    let r = c
        .multipart(
            &format!("/admin/units/{unit}/disclosures"),
            &[
                ("csrf", &csrf),
                ("idem", "p1"),
                ("category", "xa-02"),
                ("title", "Dự toán ngân sách xã năm 2026"),
                ("decision_date", &dmy(decided)),
                ("published_on", &dmy(decided + Days::new(1))),
                ("body", "Dự toán thu, chi ngân sách."),
            ],
            &[],
        )
        .await;
    let id = item_id(&r);
    // Nothing posted within 5 working days: overdue, not compliant.
    assert_eq!(verdict(&app, id).await, "non_compliant");
    let page = c.get(&format!("/admin/disclosures/{id}")).await;
    assert!(page.text.contains("R1.5"), "{}", page.text);
    assert!(page.text.contains("Quá hạn"), "the overdue requirement is named");
    let start = decided + Days::new(1);
    // 29 days at the HQ: accepted as recorded, flagged as too short.
    let r = record(&c, id, "posting_hq", None, start, Some(start + Days::new(28)), "r1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = c.get(&format!("/admin/disclosures/{id}")).await;
    assert!(page.text.contains("29"), "the 29 days are shown as recorded");
    assert_eq!(verdict(&app, id).await, "non_compliant");
    let stored = danchu_store::disclosures::detail(app.store(), id).await.unwrap().unwrap();
    assert_eq!(stored.records[0].end_on.as_deref(), Some((start + Days::new(28)).to_string().as_str()), "never silently fixed");
    // 30 days at the HQ and every village, relayed and broadcast: compliant.
    let vs = villages(&app, unit).await;
    assert_eq!(vs.len(), 6);
    record(&c, id, "posting_hq", None, start, Some(start + Days::new(29)), "r2").await;
    for (i, v) in vs.iter().enumerate() {
        let last = if i == 0 { 28 } else { 29 };
        let r = record(&c, id, "posting_village", Some(*v), start, Some(start + Days::new(last)), &format!("v{i}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    }
    // One village had only 29 days: still not compliant, and it is named.
    assert_eq!(verdict(&app, id).await, "non_compliant");
    let page = c.get(&format!("/admin/disclosures/{id}")).await;
    assert!(page.text.contains("Còn thiếu tại"), "the missing village is listed");
    record(&c, id, "posting_village", Some(vs[0]), start, Some(start + Days::new(29)), "v0b").await;
    assert_eq!(verdict(&app, id).await, "compliant");
    let counts = danchu_store::disclosures::counts(app.store(), unit).await.unwrap();
    assert_eq!((counts.items, counts.compliant, counts.non_compliant), (1, 1, 0), "the roll-up follows in the same transaction");
});

both!(r1_8_broadcast_and_r1_9_relay_are_required_for_social_items, |app| {
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    let decided = days_ago(1);
    let id = item_id(&publish(&c, unit, "xa-07", "Danh sách hộ nghèo được hỗ trợ", decided, "Danh sách kèm theo.", &[], "p1").await);
    let page = c.get(&format!("/admin/disclosures/{id}")).await;
    for rule in ["R1.4", "R1.5", "R1.8", "R1.9"] {
        assert!(page.text.contains(rule), "{rule} applies to item 7");
    }
    // Within the deadline, nothing done: pending, not yet counted against.
    assert_eq!(verdict(&app, id).await, "pending");
    // A commune without loudspeakers: R1.8 no longer applies.
    let csrf = c.csrf().await;
    let r = c.post_form(&format!("/admin/units/{unit}/disclosure-settings"), &[("csrf", &csrf), ("idem", "s1"), ("has_portal", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = c.get(&format!("/admin/disclosures/{id}")).await;
    assert!(!page.text.contains("R1.8"), "no loudspeaker system, no broadcast duty");
});

both!(r1_10_a_new_version_is_disclosed_again_and_history_stays_visible, |app| {
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    let id = item_id(&publish(&c, unit, "xa-12", "Mức thu phí chợ", days_ago(3), "Mức thu 10.000 đồng.", &[], "p1").await);
    let csrf = c.csrf().await;
    let r = c
        .multipart(
            &format!("/admin/disclosures/{id}/versions"),
            &[
                ("csrf", &csrf),
                ("idem", "v2"),
                ("title", "Mức thu phí chợ (sửa đổi)"),
                ("decision_date", &dmy(days_ago(1))),
                ("change_note", "Giảm mức thu"),
                ("body", "Mức thu 8.000 đồng."),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let anon = app.client();
    let now = anon.get(&format!("/disclosures/{id}")).await;
    assert!(now.text.contains("8.000 đồng") && now.text.contains("Giảm mức thu"), "{}", now.text);
    let old = anon.get(&format!("/disclosures/{id}/versions/1")).await;
    assert_eq!(old.status, StatusCode::OK);
    assert!(old.text.contains("10.000 đồng"), "the first version stays readable");
    assert_eq!(anon.get(&format!("/disclosures/{id}/versions/9")).await.status, StatusCode::NOT_FOUND);
    // The roll-up counts the item once.
    assert_eq!(count_items(&app, unit).await, 1);
});

both!(search_without_diacritics_finds_titles_bodies_and_attachment_text, |app| {
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    let docx = docx_with("Kế hoạch sử dụng Quỹ phòng, chống thiên tai năm 2026 của xã.");
    let pdf = pdf_with("Biên bản nghiệm thu đường giao thông nông thôn thôn Đông Hòa.");
    let fund = item_id(
        &publish(
            &c,
            unit,
            "xa-05",
            "Quản lý quỹ và đóng góp của Nhân dân",
            days_ago(2),
            "Thực hiện dân chủ ở cơ sở.",
            &[("files", "ke-hoach.docx", &docx)],
            "p1",
        )
        .await,
    );
    let road = item_id(
        &publish(
            &c,
            unit,
            "xa-03",
            "Dự án đường giao thông",
            days_ago(2),
            "Tiến độ dự án hoà thành.",
            &[("files", "bien-ban.pdf", &pdf)],
            "p2",
        )
        .await,
    );
    let link = |id: i64| format!("href=\"/disclosures/{id}\"");
    let anon = app.client();
    let hit = anon.get("/search?q=dan+chu+co+so").await;
    assert_eq!(hit.status, StatusCode::OK);
    assert!(hit.text.contains("<mark>dân</mark>") || hit.text.contains("<mark>Dân</mark>"), "highlighted snippet: {}", hit.text);
    let docx_hit = anon.get("/search?q=quy+phong+chong+thien+tai").await;
    assert!(docx_hit.text.contains(&link(fund)), "found by the DOCX attachment's text: {}", docx_hit.text);
    assert!(docx_hit.text.contains("<mark>thiên</mark> <mark>tai</mark>"), "the snippet comes from the attachment: {}", docx_hit.text);
    assert!(!docx_hit.text.contains(&link(road)));
    let pdf_hit = anon.get("/search?q=nghiem+thu+dong+hoa").await;
    assert!(pdf_hit.text.contains(&link(road)), "found by the PDF attachment's text: {}", pdf_hit.text);
    // Tone placement: "hòa" finds "hoà".
    let tone = anon.get("/search?q=h%C3%B2a+th%C3%A0nh").await;
    assert!(tone.text.contains(&link(road)), "{}", tone.text);
    // Scoped to another commune: nothing.
    let other = anon.get("/search?q=quy&don_vi=14845").await;
    assert!(!other.text.contains(&link(fund)));
    // Odd input never errors and never reaches the query syntax.
    for q in ["%27+OR+1%3D1%3B+--", "%22%2A%22", "NEAR%28", "%E2%80%8B%F0%9F%98%80", "a%00b", &"x".repeat(500), "title%3Aquy"] {
        let r = anon.get(&format!("/search?q={q}")).await;
        assert_eq!(r.status, StatusCode::OK, "query {q}: {}", r.text);
    }
});

both!(search_takes_the_newest_matches_across_search_partitions, |app| {
    use danchu_store::disclosures::{
        extend_search_partitions, search_bounded, search_candidates, search_partition_of, search_partitions, SearchQuery,
    };
    const PART: i64 = danchu_store::disclosures::SEARCH_PARTITION_IDS;
    let pg = app.backend == danchu_store::Backend::Postgres;
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    // On PostgreSQL the id sequence is moved on so that the items land in
    // different partitions: the first, the second (two items), then beyond
    // the last partition created (the migration made two on the empty
    // database), where the DEFAULT partition takes the row. SQLite: one
    // FTS5 table, same results.
    let first_ids = [None, Some(PART + 49_998), None, Some(3 * PART + 7)];
    let mut ids = Vec::new();
    for (k, first) in first_ids.into_iter().enumerate() {
        if let (true, Some(n)) = (pg, first) {
            app.store().execute_admin(&format!("SELECT setval(pg_get_serial_sequence('disclosures', 'id'), {})", n - 1)).await.unwrap();
        }
        let title = format!("Kế hoạch phân vùng chỉ mục số {k}");
        ids.push(item_id(&publish(&c, unit, "xa-01", &title, days_ago(3), "Nội dung kế hoạch.", &[], &format!("part{k}")).await));
    }
    let (a, b, c1, d) = (ids[0], ids[1], ids[2], ids[3]);
    let part = |lo: i64| format!("disclosure_fts_p{lo:012}");
    let store = app.store();
    let where_is = |id: i64| search_partition_of(store, id);
    if pg {
        assert_eq!((b, c1, d), (PART + 49_998, PART + 49_999, 3 * PART + 7));
        assert_eq!(where_is(a).await.unwrap(), Some(part(0)));
        assert_eq!(where_is(b).await.unwrap(), Some(part(PART)));
        assert_eq!(where_is(d).await.unwrap(), Some("disclosure_fts_default".into()), "a write beyond the partitions still works");
        assert_eq!(search_partitions(store).await.unwrap(), vec!["disclosure_fts_default".to_string(), part(PART), part(0)]);
    } else {
        assert_eq!(where_is(d).await.unwrap(), Some("disclosure_fts".into()));
    }
    // Same rank for all four (same words, same length): newest first.
    let q = SearchQuery::parse("phan vung chi muc");
    assert_eq!(search_bounded(store, &q, 0, 10).await.unwrap(), vec![d, c1, b, a]);
    assert_eq!(search_bounded(store, &q, 1, 2).await.unwrap(), vec![c1, b], "offset and limit across partitions");
    // The walk stops at the partition that completes the bound, taking from
    // it only what is still needed (PostgreSQL: inside the server, migration
    // 0005; d is in the DEFAULT partition, c1 and b in the second, a in the
    // first).
    for (want, expected) in [(1, vec![d]), (2, vec![d, c1]), (3, vec![d, c1, b]), (9, vec![d, c1, b, a])] {
        assert_eq!(search_candidates(store, &q, want).await.unwrap(), expected, "the {want} newest candidates");
    }
    let anon = app.client();
    let page = anon.get("/search?q=phan+vung+chi+muc").await;
    let pos = |id: i64| page.text.find(&format!("href=\"/disclosures/{id}\"")).unwrap_or_else(|| panic!("{id} not found: {}", page.text));
    assert!(pos(d) < pos(c1) && pos(c1) < pos(b) && pos(b) < pos(a), "newest first on the search page");

    // The job creates the partitions up to one whole partition beyond the
    // highest id, moving the early row out of the DEFAULT partition; a
    // second run has nothing to do.
    let created = extend_search_partitions(store).await.unwrap();
    assert_eq!(extend_search_partitions(store).await.unwrap(), 0);
    let e = item_id(&publish(&c, unit, "xa-01", "Kế hoạch phân vùng chỉ mục số 4", days_ago(3), "Nội dung kế hoạch.", &[], "part4").await);
    if pg {
        assert_eq!(created, 3, "[200,000, 300,000), [300,000, 400,000) and [400,000, 500,000)");
        assert_eq!(where_is(d).await.unwrap(), Some(part(3 * PART)));
        assert_eq!(where_is(e).await.unwrap(), Some(part(3 * PART)));
        assert_eq!(
            search_partitions(store).await.unwrap(),
            vec!["disclosure_fts_default".to_string(), part(4 * PART), part(3 * PART), part(2 * PART), part(PART), part(0)]
        );
    } else {
        assert_eq!(created, 0);
    }
    assert_eq!(search_bounded(store, &q, 0, 10).await.unwrap(), vec![e, d, c1, b, a]);
    // A withdrawn item leaves the index, wherever it was.
    let csrf = c.csrf().await;
    let r = c.post_form(&format!("/admin/disclosures/{c1}/withdraw"), &[("csrf", &csrf), ("idem", "w1"), ("reason", "Đăng nhầm")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(where_is(c1).await.unwrap(), None);
    assert_eq!(search_bounded(store, &q, 0, 10).await.unwrap(), vec![e, d, b, a]);
});

both!(feeds_rss_atom_and_json_per_unit_category_and_province, |app| {
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    let id =
        item_id(&publish(&c, unit, "xa-13", "Thủ tục hành chính cấp xã <mới> & đủ", days_ago(1), "Danh mục thủ tục.", &[], "p1").await);
    let anon = app.client();
    let rss = anon.get(&format!("/feeds/{HAC_THANH}.rss")).await;
    assert_eq!(rss.status, StatusCode::OK);
    assert!(rss.headers["content-type"].to_str().unwrap().starts_with("application/rss+xml"));
    assert!(rss.text.contains(&format!("/disclosures/{id}</link>")), "{}", rss.text);
    assert!(rss.text.contains("&#60;mới&#62; &#38; đủ") && !rss.text.contains("<mới>"), "escaped XML: {}", rss.text);
    let atom = anon.get(&format!("/feeds/{HAC_THANH}.atom")).await;
    assert!(atom.text.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\"") && atom.text.contains(&format!("/disclosures/{id}")));
    let json = anon.get(&format!("/feeds/{HAC_THANH}.json")).await;
    let v: serde_json::Value = serde_json::from_str(&json.text).unwrap();
    assert_eq!(v["version"], "https://jsonfeed.org/version/1.1");
    assert!(v["items"][0]["url"].as_str().unwrap().ends_with(&format!("/disclosures/{id}")));
    // The province's feed has every unit's items; a category feed only its own.
    let province = anon.get("/feeds/38.rss").await;
    assert!(province.text.contains(&format!("/disclosures/{id}")), "{}", province.text);
    let other_cat = anon.get(&format!("/feeds/{HAC_THANH}.rss?loai=xa-01")).await;
    assert!(!other_cat.text.contains(&format!("/disclosures/{id}")));
    let same_cat = anon.get(&format!("/feeds/{HAC_THANH}.atom?loai=xa-13")).await;
    assert!(same_cat.text.contains(&format!("/disclosures/{id}")));
    assert_eq!(anon.get(&format!("/feeds/{HAC_THANH}.exe")).await.status, StatusCode::NOT_FOUND);
});

both!(api_lists_searches_and_reports_compliance, |app| {
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    let id = item_id(&publish(&c, unit, "xa-12", "Mức thu phí trông giữ xe", days_ago(2), "Mức thu 5.000 đồng một lượt.", &[], "p1").await);
    let anon = app.client();
    let list = anon.get(&format!("/api/v1/units/{HAC_THANH}/disclosures")).await.json();
    assert_eq!(list["items"][0]["id"], id);
    assert_eq!(list["items"][0]["category"], "xa-12");
    assert_eq!(list["items"][0]["verdict"], "pending");
    let found = anon.get(&format!("/api/v1/disclosures/search?q=phi+trong+giu+xe&don_vi={HAC_THANH}")).await.json();
    assert_eq!(found["items"][0]["id"], id);
    let none = anon.get("/api/v1/disclosures/search?q=phi+trong+giu+xe&don_vi=14845").await.json();
    assert_eq!(none["items"].as_array().unwrap().len(), 0);
    let comp = anon.get("/api/v1/units/38/compliance").await.json();
    assert_eq!(comp["children"].as_array().unwrap().len(), 166);
    let hac = comp["children"].as_array().unwrap().iter().find(|c| c["unit_code"] == HAC_THANH).unwrap().clone();
    assert_eq!((hac["items"].as_i64(), hac["pending"].as_i64()), (Some(1), Some(1)));
    assert_eq!(anon.get("/api/v1/units/99999/disclosures").await.status, StatusCode::NOT_FOUND);
});

both!(attachments_are_checked_by_content_and_served_with_safe_headers, |app| {
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    // A Windows program named .pdf: refused, nothing saved.
    let exe = [b"MZ\x90\x00".as_slice(), &[0u8; 200]].concat();
    let r = publish(&c, unit, "xa-01", "Kế hoạch phát triển", days_ago(1), "Nội dung.", &[("files", "ke-hoach.pdf", &exe)], "p1").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("ke-hoach.pdf"), "the file is named in the message: {}", r.text);
    // HTML disguised as a PNG.
    let r = publish(
        &c,
        unit,
        "xa-01",
        "Kế hoạch phát triển",
        days_ago(1),
        "Nội dung.",
        &[("files", "anh.png", b"<html><script>alert(1)</script></html>")],
        "p2",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(count_items(&app, unit).await, 0, "nothing half-saved");
    // A real PDF is stored and served back with safe headers.
    let pdf = pdf_with("Kế hoạch phát triển kinh tế - xã hội.");
    let id = item_id(&publish(&c, unit, "xa-01", "Kế hoạch phát triển", days_ago(1), "", &[("files", "Kế hoạch.pdf", &pdf)], "p3").await);
    let d = danchu_store::disclosures::detail(app.store(), id).await.unwrap().unwrap();
    let a = &d.attachments[0];
    assert_eq!(a.kind, "pdf");
    let anon = app.client();
    let f = anon.get(&format!("/disclosures/{id}/files/{}", a.id)).await;
    assert_eq!(f.status, StatusCode::OK);
    assert_eq!(f.headers["content-type"], "application/pdf");
    assert_eq!(f.headers["x-content-type-options"], "nosniff");
    assert!(f.headers["content-security-policy"].to_str().unwrap().contains("sandbox"));
    assert!(f.text.starts_with("%PDF-"));
    // Too large for the configured limit.
    let big = [pdf.as_slice(), &vec![b' '; 11 * 1024 * 1024]].concat();
    let r = publish(&c, unit, "xa-01", "Tệp lớn", days_ago(1), "x", &[("files", "lon.pdf", &big)], "p4").await;
    assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::PAYLOAD_TOO_LARGE, "{}", r.status);
    assert_eq!(count_items(&app, unit).await, 1);
});

both!(bad_input_gets_vietnamese_messages_and_saves_nothing, |app| {
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    let csrf = c.csrf().await;
    // Missing decision date.
    let r = c
        .multipart(
            &format!("/admin/units/{unit}/disclosures"),
            &[("csrf", &csrf), ("idem", "b1"), ("category", "xa-01"), ("title", "Kế hoạch"), ("body", "x")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Thiếu ngày ban hành"), "{}", r.text);
    // A category of another regime (an agency's) for a commune.
    let r = publish(&c, unit, "cq-06", "Tuyển dụng", days_ago(1), "x", &[], "b2").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("không áp dụng"), "{}", r.text);
    // A decision dated in the future.
    let r = publish(&c, unit, "xa-01", "Kế hoạch", today_vn() + Days::new(3), "x", &[], "b3").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count_items(&app, unit).await, 0);
    // A posting that ends before it starts.
    let id = item_id(&publish(&c, unit, "xa-01", "Kế hoạch", days_ago(10), "x", &[], "b4").await);
    let r = record(&c, id, "posting_hq", None, days_ago(5), Some(days_ago(8)), "b5").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("không được trước ngày bắt đầu"), "{}", r.text);
    // A village of another commune.
    let other = villages(&app, app.unit_id("14845").await).await[0];
    let r = record(&c, id, "posting_village", Some(other), days_ago(5), None, "b6").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(danchu_store::disclosures::detail(app.store(), id).await.unwrap().unwrap().records.is_empty());
    // The same submission twice records once.
    let r1 = record(&c, id, "posting_hq", None, days_ago(5), None, "same").await;
    let r2 = record(&c, id, "posting_hq", None, days_ago(5), None, "same").await;
    assert_eq!((r1.status, r2.status), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER));
    assert_eq!(danchu_store::disclosures::detail(app.store(), id).await.unwrap().unwrap().records.len(), 1);
});

both!(other_communes_and_village_heads_are_kept_to_their_rights, |app| {
    let hac = app.unit_id(HAC_THANH).await;
    let owner = app.signed_in("hacthanh.canbo").await;
    let id = item_id(&publish(&owner, hac, "xa-09", "Danh sách gọi nhập ngũ", days_ago(1), "x", &[], "p1").await);
    let other = app.signed_in("muonglat.canbo").await;
    assert_eq!(other.get(&format!("/admin/units/{hac}/disclosures")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(other.get(&format!("/admin/disclosures/{id}")).await.status, StatusCode::FORBIDDEN);
    let r = publish(&other, hac, "xa-01", "Giả mạo", days_ago(1), "x", &[], "o1").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = record(&other, id, "posting_hq", None, days_ago(1), None, "o2").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A village head records the posting at the village but cannot publish.
    let head = app.signed_in("hacthanh.tdp1").await;
    let r = publish(&head, hac, "xa-01", "Không được", days_ago(1), "x", &[], "h1").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let village = villages(&app, hac).await[0];
    let r = record(&head, id, "posting_village", Some(village), days_ago(1), None, "h2").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    // … but not at another village, nor at the commune's office.
    let other_village = villages(&app, hac).await[1];
    assert_eq!(record(&head, id, "posting_village", Some(other_village), days_ago(1), None, "h3").await.status, StatusCode::FORBIDDEN);
    assert_eq!(record(&head, id, "posting_hq", None, days_ago(1), None, "h4").await.status, StatusCode::FORBIDDEN);
    // A photo of the posted notice: seen by the commune's officials, not by another commune.
    let png: &[u8] = include_bytes!("../../../files/tests/fixtures/flag.png");
    let csrf = owner.csrf().await;
    let r = owner
        .multipart(
            &format!("/admin/disclosures/{id}/records"),
            &[
                ("csrf", &csrf),
                ("idem", "ph"),
                ("channel", "posting_hq"),
                ("start_on", &days_ago(1).to_string()),
                ("responsible", "Cán bộ"),
            ],
            &[("photo", "anh.png", png)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let d = danchu_store::disclosures::detail(app.store(), id).await.unwrap().unwrap();
    let rid = d.records.iter().find(|r| r.photo_sha256.is_some()).unwrap().id;
    let photo = owner.get(&format!("/admin/disclosures/{id}/records/{rid}/photo")).await;
    assert_eq!(photo.status, StatusCode::OK);
    assert_eq!(photo.headers["content-type"], "image/png");
    assert_eq!(other.get(&format!("/admin/disclosures/{id}/records/{rid}/photo")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(count_items(&app, hac).await, 1);
});

both!(r1_11_plan_r1_7_quarterly_list_and_r1_14_report_are_generated_as_pdf_and_docx_and_published, |app| {
    let c = app.signed_in("hacthanh.chutich").await;
    let unit = app.unit_id(HAC_THANH).await;
    item_id(&publish(&c, unit, "xa-06", "Thanh lý tài sản công", today_vn(), "x", &[], "p1").await);
    let csrf = c.csrf().await;
    let year = chrono::Datelike::year(&today_vn()).to_string();
    let quarter = ((chrono::Datelike::month(&today_vn()) - 1) / 3 + 1).to_string();
    for (kind, idem) in [("plan", "d1"), ("quarter", "d2"), ("report", "d4")] {
        let r = c
            .post_form(
                &format!("/admin/units/{unit}/disclosure-documents"),
                &[
                    ("csrf", &csrf),
                    ("idem", idem),
                    ("kind", kind),
                    ("year", &year),
                    ("quarter", &quarter),
                    ("responsible", "Văn phòng"),
                    ("signer", "Trần Thị Chủ"),
                ],
            )
            .await;
        let id = item_id(&r);
        let d = danchu_store::disclosures::detail(app.store(), id).await.unwrap().unwrap();
        let kinds: Vec<&str> = d.attachments.iter().map(|a| a.kind.as_str()).collect();
        assert_eq!(kinds, ["pdf", "docx"], "{kind}");
        if kind == "quarter" {
            assert!(d.current().body.contains("Thanh lý tài sản công"), "the quarter's items are listed");
        } else if kind == "report" {
            // R1.14: the counts per category, for the council and the Front.
            assert!(d.current().body.contains("Tài sản công | 1"), "{}", d.current().body);
        } else {
            assert!(d.current().body.contains("Niêm yết ít nhất 30 ngày liên tục"), "{}", d.current().body);
        }
        let pdf = app.client().get(&format!("/disclosures/{id}/files/{}", d.attachments[0].id)).await;
        assert!(pdf.text.starts_with("%PDF-"));
    }
    // The same period twice: refused with a message, nothing new.
    let r = c
        .post_form(
            &format!("/admin/units/{unit}/disclosure-documents"),
            &[("csrf", &csrf), ("idem", "d3"), ("kind", "plan"), ("year", &year), ("responsible", "Văn phòng"), ("signer", "Trần Thị Chủ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(count_items(&app, unit).await, 4);
});

both!(province_sees_the_compliance_of_all_communes, |app| {
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    item_id(&publish(&c, unit, "xa-02", "Dự toán ngân sách", days_ago(40), "x", &[], "p1").await);
    let sup = app.signed_in("tinh.giamsat").await;
    let province = app.unit_id("38").await;
    let r = sup.get(&format!("/admin/units/{province}/compliance")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.text.matches("/disclosures\">").count(), 166, "one row per commune");
    // The overdue item puts Hạc Thành at 0 %, among the first rows (worst first).
    let row = &r.text[r.text.find(&format!("/admin/units/{unit}/disclosures")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("0,0 %"), "{row}");
    let first_unrated = r.text.find("<td class=\"num\">—</td>").unwrap();
    assert!(
        r.text.find(&format!("/admin/units/{unit}/disclosures")).unwrap() < first_unrated,
        "rated units come before units with nothing due"
    );
    assert_eq!(c.get(&format!("/admin/units/{province}/compliance")).await.status, StatusCode::FORBIDDEN);
});

/// Publishes, subscribes, confirms and checks the e-mail arrives once.
async fn subscription_journey(backend: danchu_store::Backend) {
    let sink = SmtpSink::start().await;
    let port = sink.port;
    let app = TestApp::build(backend, true, |c| {
        c.smtp.host = "127.0.0.1".into();
        c.smtp.port = port;
        c.smtp.from = "danchu <no-reply@danchu.test>".into();
    })
    .await;
    let anon = app.client();
    let form = anon.get(&format!("/units/{HAC_THANH}/subscribe")).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.input("csrf");
    let r = anon
        .post_form(&format!("/units/{HAC_THANH}/subscribe"), &[("csrf", &csrf), ("idem", "s1"), ("email", "dan@example.vn"), ("loai", "")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = anon
        .post_form(
            &format!("/units/{HAC_THANH}/subscribe"),
            &[("csrf", &csrf), ("idem", "s2"), ("email", "khong-phai-email"), ("loai", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.drain_jobs().await;
    let confirm = sink
        .messages
        .lock()
        .unwrap()
        .iter()
        .find(|m| m.to.iter().any(|t| t.contains("dan@example.vn")))
        .cloned()
        .expect("confirmation mail");
    let text = crate::accounts::decode_body(&confirm.data);
    let token = text.split("/subscriptions/").nth(1).unwrap().split_whitespace().next().unwrap().trim().to_string();
    let page = anon.get(&format!("/subscriptions/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let r = anon.post_form(&format!("/subscriptions/{token}"), &[("csrf", &page.input("csrf")), ("action", "confirm")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // A new item reaches the subscriber once, even if the fan-out runs twice.
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    let id = item_id(&publish(&c, unit, "xa-08", "Hỗ trợ sau bão số 3", days_ago(1), "Danh sách hộ được hỗ trợ.", &[], "p1").await);
    app.drain_jobs().await;
    let mut tx = app.store().write().await.unwrap();
    danchu_store::jobs::enqueue(
        &mut tx,
        danchu::outbox::NOTIFY_DISCLOSURE,
        &serde_json::json!({"id": id, "version": 1}).to_string(),
        Some("again"),
        0,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    app.drain_jobs().await;
    let about: Vec<_> = sink
        .messages
        .lock()
        .unwrap()
        .iter()
        .filter(|m| crate::accounts::decode_body(&m.data).contains(&format!("/disclosures/{id}")))
        .cloned()
        .collect();
    assert_eq!(about.len(), 1, "exactly one e-mail for the item");
    assert!(about[0].data.contains("Message-ID: <outbox-"), "{}", about[0].data);
    let (queued, sent) = danchu_store::notifications::count_sent(app.store()).await.unwrap();
    assert_eq!((queued, sent), (2, 2));
    // Unsubscribed: the next item sends nothing.
    let page = anon.get(&format!("/subscriptions/{token}")).await;
    anon.post_form(&format!("/subscriptions/{token}"), &[("csrf", &page.input("csrf")), ("action", "cancel")]).await;
    let id2 = item_id(&publish(&c, unit, "xa-08", "Hỗ trợ đợt 2", days_ago(1), "x", &[], "p2").await);
    app.drain_jobs().await;
    assert!(!sink.messages.lock().unwrap().iter().any(|m| crate::accounts::decode_body(&m.data).contains(&format!("/disclosures/{id2}"))));
}

#[tokio::test]
async fn subscription_journey_sqlite() {
    subscription_journey(danchu_store::Backend::Sqlite).await;
}

#[tokio::test]
async fn subscription_journey_postgres() {
    subscription_journey(danchu_store::Backend::Postgres).await;
}

both!(demo_publishes_resolution_53_as_the_provinces_disclosure_and_commune_items_in_every_category, |app| {
    let anon = app.client();
    let found = anon.get("/api/v1/disclosures/search?q=nghi+quyet+53+bien+phap+bao+dam+dan+chu").await.json();
    let first = &found["items"][0];
    assert_eq!(first["unit_code"], "38", "{found}");
    assert_eq!(first["category"], "tinh-01");
    assert_eq!(first["is_demo"], true, "demo data is labelled");
    let id = first["id"].as_i64().unwrap();
    let page = anon.get(&format!("/disclosures/{id}")).await;
    assert!(page.text.contains("53/2024/NQ-HĐND") && page.text.contains(".pdf") && page.text.contains(".docx"), "{}", page.text);
    assert!(page.text.contains("Lại Thế Nguyên"));
    // The demo commune has one item in each of the 14 categories, with mixed verdicts.
    let list = anon.get("/api/v1/units/14758/disclosures").await.json();
    let items = list["items"].as_array().unwrap();
    let mut cats: Vec<&str> = items.iter().map(|i| i["category"].as_str().unwrap()).collect();
    cats.sort();
    cats.dedup();
    assert_eq!(cats.len(), 14);
    let verdicts: std::collections::BTreeSet<&str> = items.iter().map(|i| i["verdict"].as_str().unwrap()).collect();
    assert!(verdicts.len() >= 3, "{verdicts:?}");
});

both!(r1_19_an_agency_discloses_to_its_staff_for_20_days_and_not_to_the_public, |app| {
    let c = app.signed_in("hacthanh.canbo").await;
    let school = app.unit_id("14797.T01").await;
    // A commune category is refused for a public service unit.
    let r = publish(&c, school, "xa-01", "Kế hoạch", days_ago(30), "x", &[], "a0").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let id = item_id(
        &publish(&c, school, "cq-06", "Kết quả đánh giá, xếp loại viên chức năm 2026", days_ago(30), "Danh sách kèm theo.", &[], "a1")
            .await,
    );
    // For staff only: not on the public pages, feeds or search.
    let anon = app.client();
    assert_eq!(anon.get(&format!("/disclosures/{id}")).await.status, StatusCode::NOT_FOUND);
    assert!(!anon.get("/feeds/14797.T01.rss").await.text.contains(&format!("/disclosures/{id}")));
    assert!(!anon.get("/search?q=xep+loai+vien+chuc").await.text.contains(&format!("/disclosures/{id}\"")));
    assert_eq!(c.get(&format!("/disclosures/{id}")).await.status, StatusCode::OK, "people of the unit read it");
    let page = c.get(&format!("/admin/disclosures/{id}")).await;
    assert!(page.text.contains("R1.19"), "{}", page.text);
    // Posted at the office for 19 days: too short; 20 days: compliant.
    let start = days_ago(29);
    record(&c, id, "posting_hq", None, start, Some(start + Days::new(18)), "r1").await;
    assert_eq!(verdict(&app, id).await, "non_compliant");
    record(&c, id, "posting_hq", None, start, Some(start + Days::new(19)), "r2").await;
    assert_eq!(verdict(&app, id).await, "compliant");
});

both!(r1_3_the_daily_review_turns_an_item_not_done_by_its_deadline_into_not_compliant, |app| {
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    let id =
        item_id(&publish(&c, unit, "xa-07", "Danh sách hộ được hỗ trợ tiền điện", days_ago(1), "Danh sách kèm theo.", &[], "p1").await);
    assert_eq!(verdict(&app, id).await, "pending");
    // Nothing is due today: the sweep evaluates nothing.
    assert_eq!(danchu::disclosure::review_due(&app.ctx, today_vn()).await.unwrap(), 0);
    assert_eq!(verdict(&app, id).await, "pending");
    // Once the deadline has passed with nothing posted, the stored verdict and the roll-up move.
    // (The demo commune's items are due too: at least ours is evaluated.)
    assert!(danchu::disclosure::review_due(&app.ctx, today_vn() + Days::new(40)).await.unwrap() >= 1);
    assert_eq!(verdict(&app, id).await, "non_compliant");
    let counts = danchu_store::disclosures::counts(app.store(), unit).await.unwrap();
    assert_eq!((counts.pending, counts.non_compliant), (0, 1));
});

both!(c0_2_a_day_off_announced_after_publication_moves_the_disclosure_deadline, |app| {
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    let decided = today_vn();
    let id = item_id(&publish(&c, unit, "xa-01", "Kế hoạch phát triển kinh tế - xã hội", decided, "x", &[], "p1").await);
    let standard = danchu_domain::calendar::Calendar::standard();
    let before = standard.deadline(decided, danchu_domain::calendar::Period::WorkingDays(5));
    let stored = |d: &danchu_store::disclosures::Detail| d.item.deadline.clone();
    assert_eq!(stored(&danchu_store::disclosures::detail(app.store(), id).await.unwrap().unwrap()), Some(before.to_string()));
    // The administrator announces the next working day as a day off.
    let day_off = standard.next_working_day(decided + Days::new(1));
    let admin = app.signed_in("quantri").await;
    let page = admin.get("/admin/calendar").await;
    let r = admin
        .post_form(
            "/admin/calendar",
            &[("csrf", &page.input("csrf")), ("idem", "cal"), ("date", &dmy(day_off)), ("kind", "off"), ("note", "Nghỉ bù (thử nghiệm)")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    // The item is scheduled for review today; the sweep moves its deadline by one working day.
    assert!(danchu::disclosure::review_due(&app.ctx, today_vn()).await.unwrap() >= 1);
    let after = danchu_domain::calendar::Calendar::with_overrides(&[day_off], &[], &[])
        .deadline(decided, danchu_domain::calendar::Period::WorkingDays(5));
    assert_ne!(after, before);
    assert_eq!(stored(&danchu_store::disclosures::detail(app.store(), id).await.unwrap().unwrap()), Some(after.to_string()));
});

both!(the_dashboard_says_what_disclosures_are_still_to_do, |app| {
    let c = app.signed_in("hacthanh.canbo").await;
    let unit = app.unit_id(HAC_THANH).await;
    item_id(&publish(&c, unit, "xa-02", "Dự toán ngân sách", days_ago(40), "x", &[], "p1").await);
    item_id(&publish(&c, unit, "xa-12", "Mức thu phí chợ", days_ago(1), "x", &[], "p2").await);
    let dash = c.get("/dashboard").await;
    assert!(
        dash.text.contains("Công khai thông tin: 1 nội dung chưa đúng quy định, 1 nội dung đang thực hiện hoặc còn hạn"),
        "{}",
        dash.text
    );
    let sup = app.signed_in("tinh.giamsat").await;
    assert!(sup.get("/dashboard").await.text.contains("/compliance\""));
});
