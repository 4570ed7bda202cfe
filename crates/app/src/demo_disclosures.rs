//! Demo disclosures, clearly labelled (`is_demo`): the province publishes
//! Resolution 53/2024/NQ-HĐND (its real text, embedded from
//! `data/seeds/`) with its PDF and DOCX, and demo communes publish items
//! across the 14 categories with postings that give every verdict (on
//! time, late, running, pending, not compliant) so the compliance pages
//! have something to show.

use crate::context::Ctx;
use crate::web::pages::disclosures::publish;
use chrono::{Days, NaiveDate};
use danchu_docs::{Block, Document, Signature};
use danchu_domain::disclosure::{Category, Channel, Regime};
use danchu_domain::units::{Era, Level};
use danchu_store::disclosures::{self, NewRecord, NewVersion};
use danchu_store::{meta, units};

/// The resolution's text as published (Markdown-ish, from the seed).
pub const RESOLUTION_53: &str = include_str!("../../../data/seeds/nq-53-2024-nq-hdnd-thanh-hoa.md");

const FLAG: &str = "demo_disclosures";

/// The communes of the small demo that get demo items (Hạc Thành and
/// Mường Lát are left empty for officials to try publishing from zero).
pub const SMALL_COMMUNES: &[&str] = &["14758"];

/// The resolution as plain paragraphs: Markdown marks removed, the hard
/// line breaks inside a paragraph joined.
pub fn resolution_paragraphs() -> Vec<String> {
    let mut out = Vec::new();
    for block in RESOLUTION_53.split("\n\n") {
        let joined = block.lines().map(|l| l.trim().trim_start_matches('#').trim()).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
        let clean = joined.replace("**", "").replace("  ", " ").trim().to_string();
        if !clean.is_empty() {
            out.push(danchu_domain::text::nfc(&clean));
        }
    }
    out
}

fn resolution_document() -> Document {
    let paras = resolution_paragraphs();
    // The text from "Căn cứ" to the end is the body; the header lines are
    // drawn by the layout.
    let start = paras.iter().position(|p| p.starts_with("Căn cứ")).unwrap_or(0);
    let end = paras.iter().position(|p| p.starts_with("Nơi nhận")).unwrap_or(paras.len());
    let blocks = paras[start..end]
        .iter()
        .map(|p| {
            if p.starts_with("Điều ") || p.starts_with("QUYẾT NGHỊ") {
                Block::Heading(p.clone())
            } else {
                Block::Paragraph(p.clone())
            }
        })
        .collect();
    Document {
        issuer_parent: None,
        issuer: "HỘI ĐỒNG NHÂN DÂN TỈNH THANH HÓA".into(),
        number: Some("Số: 53/2024/NQ-HĐND".into()),
        place_date: "Thanh Hóa, ngày 14 tháng 12 năm 2024".into(),
        kind_title: "NGHỊ QUYẾT".into(),
        subject: Some("Về việc quyết định các biện pháp bảo đảm thực hiện dân chủ ở cơ sở trên địa bàn tỉnh Thanh Hóa".into()),
        blocks,
        recipients: vec!["Như Điều 5".into(), "Ủy ban Thường vụ Quốc hội".into(), "Chính phủ".into(), "Lưu: VT".into()],
        signature: Signature { authority: None, title: "CHỦ TỊCH".into(), name: "Lại Thế Nguyên".into() },
        draft_watermark: Some("Bản dựng lại từ văn bản gốc để minh họa — danchu".into()),
        ..Document::default()
    }
}

/// What each commune category's demo item says.
const ITEMS: &[(u8, &str, &str)] = &[
    (1, "Kế hoạch phát triển kinh tế - xã hội năm 2026", "Kế hoạch phát triển kinh tế - xã hội năm 2026 với các chỉ tiêu về thu nhập bình quân, tỷ lệ hộ nghèo, trường học và trạm y tế đạt chuẩn."),
    (2, "Dự toán ngân sách xã năm 2026 đã được Hội đồng nhân dân thông qua", "Tổng thu ngân sách trên địa bàn, chi thường xuyên, chi đầu tư phát triển và dự phòng ngân sách năm 2026."),
    (3, "Phương án bồi thường, hỗ trợ giải phóng mặt bằng đường giao thông liên thôn", "Danh sách hộ bị thu hồi đất, diện tích, đơn giá bồi thường và thời gian chi trả."),
    (4, "Quy chế thực hiện dân chủ ở cơ sở của xã", "Quy chế quy định trách nhiệm của cán bộ, công chức và cách Nhân dân được biết, bàn, làm, kiểm tra, giám sát."),
    (5, "Công khai thu, chi Quỹ phòng, chống thiên tai năm 2025", "Số tiền đã thu của các hộ gia đình, số đã nộp cấp trên và số đã chi hỗ trợ khắc phục hậu quả mưa lũ."),
    (6, "Thanh lý tài sản công: máy phát điện và bàn ghế cũ của trụ sở", "Danh mục tài sản, giá trị còn lại, hình thức thanh lý và số tiền thu được nộp ngân sách."),
    (7, "Danh sách hộ nghèo, hộ cận nghèo được hỗ trợ thẻ bảo hiểm y tế", "Tiêu chí, đối tượng, quy trình bình xét và danh sách hộ được hỗ trợ năm 2026."),
    (8, "Hỗ trợ các hộ bị thiệt hại do cơn bão số 3", "Mức hỗ trợ theo mức độ thiệt hại nhà ở, hoa màu; danh sách hộ được hỗ trợ và nguồn ủng hộ tự nguyện."),
    (9, "Danh sách công dân trong độ tuổi gọi nhập ngũ năm 2026", "Chỉ tiêu giao quân, tiêu chuẩn, danh sách công dân đủ điều kiện và các trường hợp tạm hoãn, miễn."),
    (10, "Kết luận thanh tra việc quản lý đất công ích", "Kết luận thanh tra và kết quả xử lý sai phạm liên quan đến cán bộ thôn."),
    (11, "Kế hoạch lấy ý kiến Nhân dân về quy hoạch khu dân cư mới", "Nội dung lấy ý kiến, hình thức, thời gian và tổng hợp ý kiến, giải trình, tiếp thu."),
    (12, "Mức thu phí chợ và phí trông giữ xe năm 2026", "Đối tượng nộp, mức thu từng loại và cách thức nộp trực tiếp tại xã."),
    (13, "Danh mục thủ tục hành chính giải quyết tại cấp xã", "Thủ tục chứng thực, hộ tịch, đất đai: thành phần hồ sơ, thời hạn giải quyết và lệ phí."),
    (14, "Kết quả tiếp công dân và giải quyết kiến nghị quý III", "Số lượt tiếp công dân, số kiến nghị đã giải quyết và đang giải quyết."),
];

/// Loads the demo disclosures once (a flag in `meta` remembers it). The
/// province's resolution and, for each of `commune_codes`, one item per
/// category with records spread to show every verdict.
pub async fn load(ctx: &Ctx, commune_codes: &[&str]) -> Result<bool, String> {
    let e = |e: danchu_store::StoreError| e.to_string();
    if meta::get(&ctx.store, FLAG).await.map_err(e)?.is_some() {
        return Ok(false);
    }
    let today = crate::web::chrome::today_vn();
    let province = units::by_code(&ctx.store, Era::Current, crate::web::PROVINCE_CODE).await.map_err(e)?.ok_or("province missing")?;
    // The province's resolution: published on the portal when it took effect.
    let doc = resolution_document();
    let body = resolution_paragraphs().join("\n\n");
    let mut attachments = crate::documents::render(&doc, "nghi-quyet-53-2024-nq-hdnd", &body).map_err(|e| format!("{e:?}"))?;
    for a in &mut attachments {
        a.text = body.clone();
    }
    let v = NewVersion {
        title: "Nghị quyết số 53/2024/NQ-HĐND quyết định các biện pháp bảo đảm thực hiện dân chủ ở cơ sở trên địa bàn tỉnh Thanh Hóa"
            .into(),
        body,
        decision_number: "53/2024/NQ-HĐND".into(),
        decision_date: "2024-12-14".into(),
        signer: "Lại Thế Nguyên, Chủ tịch Hội đồng nhân dân tỉnh".into(),
        sector_deadline: None,
        sector_basis: None,
        change_note: None,
        attachments,
        published_on: "2024-12-24".into(),
    };
    let cat = Category::parse("tinh-01").ok_or("category tinh-01")?;
    let decided = NaiveDate::from_ymd_opt(2024, 12, 14).expect("valid date");
    let (mut tx, _) = publish(ctx, &province, cat, "citizens", &v, decided, None, None, true).await.map_err(|e| format!("{e:?}"))?;
    meta::set(&mut tx, FLAG, "loaded").await.map_err(e)?;
    tx.commit().await.map_err(|x| x.to_string())?;

    for code in commune_codes {
        let Some(commune) = units::by_code(&ctx.store, Era::Current, code).await.map_err(e)? else { continue };
        let villages: Vec<i64> = units::children(&ctx.store, commune.id)
            .await
            .map_err(e)?
            .into_iter()
            .filter(|c| c.unit.kind.level() == Level::Village)
            .map(|c| c.unit.id)
            .collect();
        for (i, (n, title, body)) in ITEMS.iter().enumerate() {
            let category = Category::new(Regime::Commune, *n).ok_or("category")?;
            // Decisions from 75 days ago to today, so the verdicts differ.
            let age = 75 - (i as u64 * 75 / ITEMS.len() as u64);
            let decided = today - Days::new(age);
            let late = i % 5 == 3;
            let published = if late { decided + Days::new(12) } else { decided + Days::new(1) };
            let v = NewVersion {
                title: (*title).into(),
                body: format!("{body}\n\nNội dung minh họa của {}.", commune.name),
                decision_number: format!("{}/QĐ-UBND", 100 + i),
                decision_date: decided.to_string(),
                signer: "Chủ tịch Ủy ban nhân dân (mẫu)".into(),
                sector_deadline: None,
                sector_basis: None,
                change_note: None,
                attachments: Vec::new(),
                published_on: published.min(today).to_string(),
            };
            let (mut tx, id) =
                publish(ctx, &commune, category, "citizens", &v, decided, None, None, true).await.map_err(|e| format!("{e:?}"))?;
            // Postings: most items fully posted; every fourth one a day short
            // at one village (flagged); the newest ones not posted yet.
            if age > 3 {
                let start = published.min(today);
                let full = start + Days::new(29);
                let end = (full <= today).then_some(full);
                let rec = |channel: Channel, place: Option<i64>, end: Option<NaiveDate>| NewRecord {
                    channel: channel.as_str().into(),
                    place_id: place,
                    start_on: start.to_string(),
                    end_on: end.map(|d| d.to_string()),
                    written_to_all: false,
                    responsible: "Văn phòng UBND (mẫu)".into(),
                    note: String::new(),
                    photo: None,
                };
                let mut records = vec![rec(Channel::PostingHq, None, end)];
                for (k, vid) in villages.iter().enumerate() {
                    let short = i % 4 == 1 && k == 0 && end.is_some();
                    let e2 = if short { end.map(|d| d - Days::new(1)) } else { end };
                    records.push(rec(Channel::PostingVillage, Some(*vid), e2));
                    records.push(rec(Channel::VillageHead, Some(*vid), Some(start)));
                }
                let b_end = start + Days::new(2);
                records.push(rec(Channel::Loudspeaker, None, (b_end <= today).then_some(b_end)));
                for r in &records {
                    disclosures::add_record(&mut tx, id, 1, r, None).await.map_err(e)?;
                }
                crate::disclosure::reevaluate(ctx, &mut tx, id, today).await.map_err(|e| format!("{e:?}"))?;
            }
            tx.commit().await.map_err(|x| x.to_string())?;
        }
    }
    crate::web::cache::local_change();
    Ok(true)
}

/// The codes of every commune of the province (for the province-scale demo).
pub async fn commune_codes(ctx: &Ctx) -> Result<Vec<String>, String> {
    let e = |e: danchu_store::StoreError| e.to_string();
    let province = units::by_code(&ctx.store, Era::Current, crate::web::PROVINCE_CODE).await.map_err(e)?.ok_or("province missing")?;
    Ok(units::children(&ctx.store, province.id)
        .await
        .map_err(e)?
        .into_iter()
        .filter(|c| c.unit.kind.level() == Level::Commune)
        .map(|c| c.unit.code)
        .collect())
}
