//! The documents the disclosure rules call for, generated from the data in
//! the official layout (Decree 30/2020, via `danchu_docs`): the disclosure
//! plan (kế hoạch công khai, R1.11) and the quarterly list of everything
//! disclosed with its forms and dates (R1.7). Each is itself published as a
//! disclosure item with its PDF and DOCX attached, so it is posted and
//! searchable like any other item.

use crate::context::Ctx;
use crate::disclosure::{self as svc, category_label};
use crate::error::{AppError, AppResult};
use chrono::{Datelike, NaiveDate};
use danchu_docs::{Block, Column, Document, Signature, Table};
use danchu_domain::disclosure::{obligations, Category, Channel, Regime, Requirement};
use danchu_domain::Lang;
use danchu_store::disclosures::{self, NewAttachment, NewVersion};
use danchu_store::units::Unit;
use sha2::{Digest, Sha256};

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Plan {
        year: i32,
    },
    Quarter {
        year: i32,
        quarter: u32,
    },
    /// The report on disclosure to the People's Council, also sent to the
    /// Fatherland Front (R1.14).
    Report {
        year: i32,
    },
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Plan { .. } => "plan",
            Kind::Quarter { .. } => "quarter",
            Kind::Report { .. } => "report",
        }
    }

    pub fn period(self) -> String {
        match self {
            Kind::Plan { year } | Kind::Report { year } => year.to_string(),
            Kind::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
        }
    }

    fn range(self) -> (NaiveDate, NaiveDate) {
        match self {
            Kind::Plan { year } | Kind::Report { year } => (ymd(year, 1, 1), ymd(year, 12, 31)),
            Kind::Quarter { year, quarter } => {
                let m = (quarter - 1) * 3 + 1;
                let start = ymd(year, m, 1);
                let next = if quarter == 4 { ymd(year + 1, 1, 1) } else { ymd(year, m + 3, 1) };
                (start, next.pred_opt().expect("valid date"))
            }
        }
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The issuing body's lines for a unit: "ỦY BAN NHÂN DÂN XÃ …" under the
/// province, or the organisation's own name.
pub(crate) fn issuer(unit: &Unit, province: &Unit, regime: Regime) -> (Option<String>, String, Signature, &'static str) {
    match regime {
        Regime::Commune => (
            Some(format!("UBND {}", province.name.to_uppercase())),
            format!("ỦY BAN NHÂN DÂN {}", unit.name.to_uppercase()),
            Signature { authority: Some("TM. ỦY BAN NHÂN DÂN".into()), title: "CHỦ TỊCH".into(), name: String::new() },
            "UBND",
        ),
        Regime::Province => (
            None,
            format!("ỦY BAN NHÂN DÂN {}", unit.name.to_uppercase()),
            Signature { authority: Some("TM. ỦY BAN NHÂN DÂN".into()), title: "CHỦ TỊCH".into(), name: String::new() },
            "UBND",
        ),
        _ => (None, unit.name.to_uppercase(), Signature { authority: None, title: "THỦ TRƯỞNG ĐƠN VỊ".into(), name: String::new() }, "ĐV"),
    }
}

pub(crate) fn place_date(unit: &Unit, d: NaiveDate) -> String {
    let place = danchu_domain::units::short_name(&unit.name);
    format!("{place}, ngày {:02} tháng {:02} năm {}", d.day(), d.month(), d.year())
}

/// How the law's requirements read in the plan's "form" and "duration" columns.
fn plan_cells(reqs: &[Requirement]) -> (String, String) {
    let mut forms = Vec::new();
    let mut durations = Vec::new();
    for r in reqs {
        match r {
            Requirement::Portal => forms.push("Cổng/trang thông tin điện tử".to_string()),
            Requirement::PostingHq { min_days: Some(n) } => {
                forms.push("Niêm yết tại trụ sở".into());
                durations.push(format!("Niêm yết ít nhất {n} ngày liên tục"));
            }
            Requirement::PostingHq { min_days: None } => {
                forms.push("Niêm yết tại trụ sở".into());
                durations.push("Niêm yết thường xuyên".into());
            }
            Requirement::PostingVillages { .. } => forms.push("Niêm yết tại nhà văn hóa các thôn, tổ dân phố".into()),
            Requirement::Broadcast { min_days } => {
                forms.push("Hệ thống truyền thanh".into());
                durations.push(format!("Truyền thanh ít nhất {min_days} ngày liên tục"));
            }
            Requirement::RelayViaVillageHeads => forms.push("Qua Trưởng thôn, Tổ trưởng tổ dân phố".into()),
            Requirement::StaffPublication { min_days, .. } => {
                forms.push("Hệ thống thông tin nội bộ hoặc niêm yết tại trụ sở, nơi làm việc".into());
                durations.push(format!("Ít nhất {min_days} ngày liên tục"));
            }
            Requirement::AnyForm | Requirement::AnyChannel => forms.push("Ít nhất một hình thức theo quy định".into()),
        }
    }
    (forms.join("; "), if durations.is_empty() { "Theo quy định".into() } else { durations.join("; ") })
}

/// The document and its plain text (the item's body) for `kind`.
pub async fn build(
    ctx: &Ctx,
    unit: &Unit,
    province: &Unit,
    kind: Kind,
    responsible: &str,
    signer: &str,
    today: NaiveDate,
) -> AppResult<(Document, String, String)> {
    let regime = svc::regime_of(unit)?;
    let (parent, issuer_name, mut signature, abbr) = issuer(unit, province, regime);
    signature.name = signer.to_string();
    let facts = svc::facts(&ctx.store, unit).await?;
    let cal = crate::calendar::load(&ctx.store).await?;
    let rules = svc::rules(ctx);
    let (title, subject, blocks) = match kind {
        Kind::Plan { year } => {
            let deadline_text = match rules.deadline_period(regime) {
                Some(danchu_domain::calendar::Period::WorkingDays(n)) => format!("Chậm nhất {n} ngày làm việc kể từ ngày ban hành văn bản"),
                Some(danchu_domain::calendar::Period::Days(n)) => format!("Chậm nhất {n} ngày kể từ ngày ban hành văn bản"),
                None => "Theo quy định của pháp luật chuyên ngành".into(),
            };
            let rows: Vec<Vec<String>> = Category::all_for(regime)
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let obl = obligations(&rules, &cal, c, &facts, today, None);
                    let (forms, duration) = plan_cells(&obl.requirements);
                    vec![(i + 1).to_string(), c.label().vi.clone(), forms, deadline_text.clone(), duration, responsible.to_string()]
                })
                .collect();
            let blocks = vec![
                Block::Heading("I. MỤC ĐÍCH, YÊU CẦU".into()),
                Block::Paragraph(format!(
                    "Thực hiện Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 (Điều 11 đến Điều 14) và Nghị quyết số 53/2024/NQ-HĐND của Hội đồng nhân dân tỉnh Thanh Hóa, {} ban hành Kế hoạch công khai thông tin năm {year} nhằm bảo đảm mọi nội dung phải công khai được công khai đầy đủ, đúng hình thức, đúng thời hạn.",
                    unit.name
                )),
                Block::Heading("II. NỘI DUNG, HÌNH THỨC, THỜI ĐIỂM, THỜI HẠN VÀ TRÁCH NHIỆM".into()),
                Block::Table(Table {
                    columns: vec![
                        Column::new("STT", 5),
                        Column::new("Nội dung công khai", 30),
                        Column::new("Hình thức", 25),
                        Column::new("Thời điểm", 15),
                        Column::new("Thời hạn", 13),
                        Column::new("Trách nhiệm", 12),
                    ],
                    rows,
                }),
                Block::Heading("III. TỔ CHỨC THỰC HIỆN".into()),
                Block::Bullet("Nội dung thay đổi được công khai lại theo cùng hình thức, thời hạn (Điều 14 khoản 1).".into()),
                Block::Bullet("Hằng quý lập danh mục các nội dung đã công khai, hình thức và thời điểm công khai; niêm yết tại trụ sở và các thôn, tổ dân phố.".into()),
                Block::Bullet("Chủ tịch chỉ đạo, kiểm tra việc thực hiện và báo cáo kết quả tại kỳ họp thường lệ gần nhất của Hội đồng nhân dân.".into()),
            ];
            (format!("Kế hoạch công khai thông tin năm {year}"), format!("Công khai thông tin năm {year}"), blocks)
        }
        Kind::Report { year } => {
            let (from, to) = kind.range();
            let rows = disclosures::counts_by_category(&ctx.store, unit.id, &from.to_string(), &to.to_string()).await?;
            let mut total = disclosures::Counts::default();
            let table_rows: Vec<Vec<String>> = rows
                .iter()
                .enumerate()
                .map(|(i, (cat, c))| {
                    total.add(c);
                    vec![
                        (i + 1).to_string(),
                        category_label(cat, Lang::Vi),
                        c.items.to_string(),
                        c.compliant.to_string(),
                        c.late.to_string(),
                        c.non_compliant.to_string(),
                        (c.in_progress + c.pending).to_string(),
                    ]
                })
                .collect();
            let rate = crate::web::pages::disclosures::rate_text(Lang::Vi, &total);
            let blocks = vec![
                Block::Paragraph(format!(
                    "Thực hiện khoản 3 Điều 14 Luật Thực hiện dân chủ ở cơ sở, {} báo cáo quá trình và kết quả thực hiện công khai thông tin năm {year} (các nội dung có văn bản ban hành từ ngày {} đến ngày {}).",
                    unit.name,
                    from.format("%d/%m/%Y"),
                    to.format("%d/%m/%Y")
                )),
                Block::Heading("I. KẾT QUẢ CHUNG".into()),
                Block::Paragraph(format!(
                    "Tổng số nội dung đã công khai: {}; đúng quy định: {}; chậm: {}; không đúng quy định: {}; đang thực hiện hoặc còn trong hạn: {}. Tỷ lệ công khai đúng quy định (trên các nội dung đã đến hạn): {rate}.",
                    total.items, total.compliant, total.late, total.non_compliant, total.in_progress + total.pending
                )),
                Block::Heading("II. KẾT QUẢ THEO LĨNH VỰC".into()),
                Block::Table(Table {
                    columns: vec![
                        Column::new("STT", 5),
                        Column::new("Lĩnh vực", 35),
                        Column::new("Số nội dung", 12),
                        Column::new("Đúng quy định", 12),
                        Column::new("Chậm", 12),
                        Column::new("Không đúng", 12),
                        Column::new("Đang thực hiện", 12),
                    ],
                    rows: table_rows,
                }),
                Block::Heading("III. KIẾN NGHỊ".into()),
                Block::Paragraph("Các nội dung chậm hoặc chưa đúng quy định được nêu cụ thể trên trang quản lý công khai thông tin của đơn vị để khắc phục.".into()),
            ];
            (format!("Báo cáo kết quả công khai thông tin năm {year}"), format!("Kết quả thực hiện công khai thông tin năm {year}"), blocks)
        }
        Kind::Quarter { year, quarter } => {
            let (from, to) = kind.range();
            let (items, records) = disclosures::disclosed_between(&ctx.store, unit.id, &from.to_string(), &to.to_string()).await?;
            let rows: Vec<Vec<String>> = items
                .iter()
                .enumerate()
                .map(|(i, it)| {
                    let mut forms: Vec<String> = vec![format!("Cổng thông tin: từ {}", vn(&it.published_on))];
                    for (_, r) in records.iter().filter(|(id, _)| *id == it.id) {
                        let ch = Channel::parse(&r.channel).map(|c| c.label().vi).unwrap_or(r.channel.clone());
                        let place = r.place_name.as_deref().map(|p| format!(" ({p})")).unwrap_or_default();
                        let span = match &r.end_on {
                            Some(e) => format!("{}–{}", vn(&r.start_on), vn(e)),
                            None => format!("từ {}", vn(&r.start_on)),
                        };
                        forms.push(format!("{ch}{place}: {span}"));
                    }
                    vec![
                        (i + 1).to_string(),
                        it.title.clone(),
                        category_label(&it.category, Lang::Vi),
                        vn(&it.decision_date),
                        forms.join("; "),
                    ]
                })
                .collect();
            let n = rows.len();
            let blocks = vec![
                Block::Paragraph(format!(
                    "Thực hiện khoản 2 Điều 13 Luật Thực hiện dân chủ ở cơ sở, {} lập danh mục các nội dung đã công khai trong quý {quarter} năm {year} (từ ngày {} đến ngày {}), gồm {n} nội dung, như sau:",
                    unit.name,
                    from.format("%d/%m/%Y"),
                    to.format("%d/%m/%Y")
                )),
                Block::Table(Table {
                    columns: vec![
                        Column::new("STT", 5),
                        Column::new("Nội dung công khai", 32),
                        Column::new("Lĩnh vực", 18),
                        Column::new("Ngày ban hành", 11),
                        Column::new("Hình thức và thời gian công khai", 34),
                    ],
                    rows,
                }),
                Block::Paragraph("Danh mục này được niêm yết tại trụ sở và tại nhà văn hóa, điểm sinh hoạt cộng đồng của các thôn, tổ dân phố.".into()),
            ];
            (
                format!("Danh mục nội dung đã công khai quý {quarter} năm {year}"),
                format!("Danh mục nội dung đã công khai quý {quarter} năm {year}"),
                blocks,
            )
        }
    };
    let doc_title = match kind {
        Kind::Plan { .. } => "KẾ HOẠCH",
        Kind::Quarter { .. } => "DANH MỤC",
        Kind::Report { .. } => "BÁO CÁO",
    };
    let doc = Document {
        issuer_parent: parent,
        issuer: issuer_name,
        number: Some(format!(
            "Số:      /{}-{abbr}",
            match kind {
                Kind::Plan { .. } => "KH",
                Kind::Quarter { .. } => "DM",
                Kind::Report { .. } => "BC",
            }
        )),
        place_date: place_date(unit, today),
        kind_title: doc_title.into(),
        subject: Some(subject),
        blocks,
        recipients: vec![
            "Thường trực HĐND".into(),
            "Ban Thường trực UBMTTQ Việt Nam".into(),
            "Các thôn, tổ dân phố".into(),
            "Lưu: VT".into(),
        ],
        signature,
        draft_watermark: unit.is_demo.then(|| "Dữ liệu minh họa — danchu".to_string()),
        ..Document::default()
    };
    let text = document_text(&doc);
    Ok((doc, title, text))
}

fn vn(iso: &str) -> String {
    crate::web::chrome::vn_date(iso)
}

/// The plain text of a document (the published item's body, searchable).
/// A document's text (headings, paragraphs, bullets, table rows), for the
/// disclosure item's body and its search index.
pub(crate) fn document_text(doc: &Document) -> String {
    let mut out = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Heading(h) => out.push(h.clone()),
            Block::Paragraph(p) => out.push(p.clone()),
            Block::Bullet(p) => out.push(format!("- {p}")),
            Block::Table(t) => {
                for r in &t.rows {
                    out.push(r.join(" | "));
                }
            }
        }
    }
    out.join("\n\n")
}

fn attachment(name: &str, kind: &str, bytes: Vec<u8>, text: &str) -> NewAttachment {
    NewAttachment { sha256: hex::encode(Sha256::digest(&bytes)), kind: kind.into(), name: name.into(), content: bytes, text: text.into() }
}

/// Renders the document as PDF and DOCX attachments.
pub fn render(doc: &Document, base_name: &str, text: &str) -> AppResult<Vec<NewAttachment>> {
    let pdf = danchu_docs::to_pdf(doc).map_err(|e| AppError::Internal(format!("pdf: {e:?}")))?;
    let docx = danchu_docs::to_docx(doc).map_err(|e| AppError::Internal(format!("docx: {e:?}")))?;
    Ok(vec![attachment(&format!("{base_name}.pdf"), "pdf", pdf, ""), attachment(&format!("{base_name}.docx"), "docx", docx, text)])
}

/// The category a generated document is published under: "other items"
/// of the regime (commune item 14, agency item 12, …).
pub fn category_for(regime: Regime) -> Category {
    *Category::all_for(regime).last().expect("every regime has categories")
}

/// Builds the document and the version to publish.
pub async fn version(
    ctx: &Ctx,
    unit: &Unit,
    province: &Unit,
    kind: Kind,
    responsible: &str,
    signer: &str,
    today: NaiveDate,
) -> AppResult<NewVersion> {
    let (doc, title, text) = build(ctx, unit, province, kind, responsible, signer, today).await?;
    let base = danchu_domain::text::slug(&title);
    let attachments = render(&doc, &base, &text)?;
    Ok(NewVersion {
        title,
        body: text,
        decision_number: String::new(),
        decision_date: today.to_string(),
        signer: signer.to_string(),
        sector_deadline: None,
        sector_basis: None,
        change_note: None,
        attachments,
        published_on: today.to_string(),
    })
}
