//! The documents of a community decision (dân quyết, Law 10/2022/QH15 Arts. 18–21, Decree
//! 59/2023/NĐ-CP Arts. 3–5), built as [`Document`]s so they render as PDF and DOCX like every
//! other official document:
//!
//! - [`written_decision`]: the written decision of R2.16 (Law Art. 20(1)(2)) — Decree 59's Mẫu 03;
//! - [`vote_count_minutes`]: the vote-count minutes of a meeting, Mẫu 02 (R2.10, R2.11);
//! - [`ballot_count_minutes`]: the count minutes of household ballots, Mẫu 04 (R2.13).
//!
//! **The template texts of Mẫu 02, 03 and 04 are not in our sources** (legal-spec C0.8: they are
//! Word annexes of Decree 59 that could not be retrieved). The layout here is the Decree 30/2020
//! layout of every administrative document, and the content carries every field the law and the
//! decree's articles name (R2.10–R2.13, R2.16); the wording of the headings is ours. Names and
//! signatures that danchu does not record (the Front work committee head, the two household
//! representatives who sign) are left as dotted lines, to be filled in and signed by hand.

use crate::{Align, Block, Column, Document, Signature, Table};

/// Dotted line left for a name written by hand.
pub const BLANK: &str = "……………………………";

/// The counts of one vote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VoteTally {
    /// Đồng ý.
    pub agree: u64,
    /// Không đồng ý.
    pub disagree: u64,
    /// Ý kiến khác.
    pub other: u64,
    /// Phiếu không hợp lệ.
    pub invalid: u64,
}

impl VoteTally {
    /// Valid votes (agree + disagree + other).
    pub fn valid(&self) -> u64 {
        self.agree + self.disagree + self.other
    }

    /// Every vote counted, invalid ones included.
    pub fn voted(&self) -> u64 {
        self.valid() + self.invalid
    }
}

/// The issuing block and the date line of a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// E.g. "UBND PHƯỜNG HẠC THÀNH" above a village, "UBND TỈNH THANH HÓA" above a commune.
    pub issuer_parent: Option<String>,
    /// E.g. "TỔ DÂN PHỐ 1" or "ỦY BAN NHÂN DÂN PHƯỜNG HẠC THÀNH".
    pub issuer: String,
    /// E.g. "Hạc Thành, ngày 07 tháng 12 năm 2026".
    pub place_date: String,
    /// Printed small at the foot of every page (e.g. demo data).
    pub note: Option<String>,
}

/// One village's result, for commune-wide matters (R2.13, R2.15).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VillageResult {
    pub name: String,
    /// Households on the decision date (the frozen base, C0.4).
    pub households: u64,
    pub tally: VoteTally,
    /// Agree votes needed to pass in this village.
    pub required: u64,
    pub passed: bool,
}

/// What the written decision of R2.16 states.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionRecord {
    pub header: Header,
    /// The document's kind, e.g. "NGHỊ QUYẾT" or "BIÊN BẢN" (R2.16: resolution, minutes,
    /// memorandum or agreement).
    pub kind: String,
    /// The matter, e.g. "Làm đường bê tông ngõ 3".
    pub title: String,
    /// Where the decision is taken, e.g. "Tổ dân phố 1, phường Hạc Thành" or "phường Hạc Thành".
    pub community: String,
    /// True for a matter decided commune-wide (each village's result is listed).
    pub commune_wide: bool,
    /// The subject of Law Art. 15, e.g. "khoản 1 Điều 15 Luật Thực hiện dân chủ ở cơ sở: …".
    pub subject: String,
    /// The form, e.g. "Phát phiếu lấy ý kiến hộ gia đình".
    pub form: String,
    /// Secret vote (bỏ phiếu kín) or not.
    pub secret: bool,
    /// The question put to the households.
    pub question: String,
    /// The decision's content (what was decided).
    pub content: String,
    /// The decision date (the household base is counted on it), e.g. "07/12/2026".
    pub decision_date: String,
    /// The vote's period, e.g. "từ 08:00 ngày 01/12/2026 đến 17:00 ngày 06/12/2026".
    pub period: Option<String>,
    /// When the result was closed, e.g. "17:05 ngày 06/12/2026".
    pub closed_on: String,
    /// Total households (R2.16).
    pub total_households: u64,
    /// Household representatives who took part (present at the meeting, or whose ballot or
    /// online vote was counted) (R2.16).
    pub took_part: u64,
    pub tally: VoteTally,
    /// The pass rule, e.g. "ít nhất 2/3 tổng số hộ gia đình" (R2.15).
    pub threshold: String,
    /// Agree votes needed (village), or villages needed (commune-wide).
    pub required: u64,
    pub passed: bool,
    /// Commune-wide: every village of the commune with its result.
    pub villages: Vec<VillageResult>,
}

/// What the vote-count minutes of a meeting (Mẫu 02) state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingMinutes {
    pub header: Header,
    pub title: String,
    pub question: String,
    /// The village, e.g. "Tổ dân phố 1".
    pub village: String,
    /// E.g. "07/12/2026".
    pub held_on: String,
    /// When the notice (Mẫu 01) was given and the documents reached households (R2.9).
    pub notice_on: String,
    pub documents_on: String,
    pub total_households: u64,
    /// Household representatives present.
    pub present: u64,
    pub secretary: String,
    /// The vote-counting committee (R2.11), one name each.
    pub committee: Vec<String>,
    /// True for a secret ballot, false for a show of hands.
    pub secret: bool,
    /// The result, when recorded.
    pub tally: Option<VoteTally>,
    pub threshold: String,
    pub required: u64,
    pub passed: Option<bool>,
}

/// What the count minutes of household ballots (Mẫu 04) state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BallotMinutes {
    pub header: Header,
    pub title: String,
    pub question: String,
    pub village: String,
    /// The ballot team (3–5 members, the Front representative first), R2.13.
    pub team: Vec<String>,
    /// The two household representatives who witness the count (R2.13).
    pub witnesses: [String; 2],
    pub total_households: u64,
    /// Ballots issued (one per household), returned, and of those valid and invalid.
    pub issued: u64,
    pub returned: u64,
    pub tally: VoteTally,
    /// The return deadline, e.g. "17:00 ngày 06/12/2026".
    pub deadline: Option<String>,
    pub threshold: String,
    pub required: u64,
    pub passed: bool,
}

fn header_fields(doc: &mut Document, h: &Header) {
    doc.issuer_parent = h.issuer_parent.clone();
    doc.issuer = h.issuer.clone();
    doc.place_date = h.place_date.clone();
    doc.draft_watermark = h.note.clone();
}

fn n(v: u64) -> String {
    // Counts are written with at least two digits, as official documents do ("05 hộ").
    format!("{v:02}")
}

fn name_or_blank(s: &str) -> String {
    if s.trim().is_empty() {
        BLANK.to_string()
    } else {
        s.trim().to_string()
    }
}

/// "x/y (z%)" of a count over a base, two decimals, or "x/0".
fn share(count: u64, base: u64) -> String {
    if base == 0 {
        return format!("{count}/0");
    }
    let hundredths = (count as u128 * 10_000 + base as u128 / 2) / base as u128;
    format!("{}/{} hộ ({},{:02}%)", n(count), n(base), hundredths / 100, hundredths % 100)
}

/// Signatures side by side in a table: the role, "(Ký, ghi rõ họ tên)", room for the signature
/// and the name (or a dotted line).
fn signatures(signers: &[(&str, String)]) -> Block {
    Block::Table(Table {
        columns: signers.iter().map(|(role, _)| Column::new(*role, 1).aligned(Align::Center)).collect(),
        rows: vec![signers.iter().map(|(_, name)| format!("(Ký, ghi rõ họ tên)\n\n\n\n{}", name_or_blank(name))).collect()],
    })
}

fn tally_table(t: &VoteTally, base: u64) -> Block {
    let row = |label: &str, v: u64| vec![label.to_string(), n(v), share(v, base)];
    Block::Table(Table {
        columns: vec![
            Column::new("Nội dung", 5),
            Column::new("Số phiếu/số hộ", 2).aligned(Align::Right),
            Column::new("Tỷ lệ trên tổng số hộ", 3).aligned(Align::Right),
        ],
        rows: vec![
            row("Đồng ý", t.agree),
            row("Không đồng ý", t.disagree),
            row("Ý kiến khác", t.other),
            row("Không hợp lệ", t.invalid),
            row("Tổng số đã biểu quyết", t.voted()),
        ],
    })
}

/// The written decision of the community (R2.16; Decree 59's Mẫu 03, whose text we do not have).
///
/// Carries every mandatory field of Law Art. 20(2): the date; total households, representatives
/// taking part and households without one; the subject; the form; the vote or ballot result;
/// the decision's content; the signatures of the village head, the Front work committee head and
/// two household representatives. For a commune-wide matter, each village's result and the
/// aggregation by the commune People's Committee (R2.13, R2.15) are added.
pub fn written_decision(r: &DecisionRecord) -> Document {
    let mut doc = Document::default();
    header_fields(&mut doc, &r.header);
    doc.kind_title = if r.kind.trim().is_empty() { "NGHỊ QUYẾT".into() } else { r.kind.clone() };
    doc.subject = Some(format!("Về việc {}", r.title.trim()));
    let absent = r.total_households.saturating_sub(r.took_part);
    let mut b = vec![
        Block::Paragraph("Căn cứ Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 ngày 10 tháng 11 năm 2022 (các điều 15 đến 21);".into()),
        Block::Paragraph(
            "Căn cứ Nghị định số 59/2023/NĐ-CP ngày 14 tháng 8 năm 2023 của Chính phủ quy định chi tiết một số điều của Luật \
             Thực hiện dân chủ ở cơ sở;"
                .into(),
        ),
        Block::Paragraph(format!("Cộng đồng dân cư {} đã bàn và quyết định như sau:", r.community.trim())),
        Block::Heading("I. NỘI DUNG, HÌNH THỨC BIỂU QUYẾT".into()),
        Block::Bullet(format!("Ngày quyết định (ngày chốt số hộ gia đình): {}.", r.decision_date)),
        Block::Bullet(format!("Nội dung thuộc {}.", r.subject.trim().trim_end_matches('.'))),
        Block::Bullet(format!("Hình thức: {}{}.", r.form.trim(), if r.secret { " (bỏ phiếu kín)" } else { "" })),
    ];
    if let Some(p) = &r.period {
        b.push(Block::Bullet(format!("Thời gian biểu quyết: {p}.")));
    }
    b.push(Block::Bullet(format!("Kết thúc, chốt kết quả: {}.", r.closed_on)));
    b.push(Block::Bullet(format!("Câu hỏi biểu quyết: {}", r.question.trim())));
    b.push(Block::Heading("II. THÀNH PHẦN THAM GIA".into()));
    b.push(Block::Bullet(format!("Tổng số hộ gia đình: {} hộ.", n(r.total_households))));
    b.push(Block::Bullet(format!("Số đại diện hộ gia đình tham gia biểu quyết: {} người.", n(r.took_part))));
    b.push(Block::Bullet(format!("Số hộ gia đình không có đại diện tham gia: {} hộ.", n(absent))));
    b.push(Block::Heading("III. KẾT QUẢ BIỂU QUYẾT".into()));
    b.push(tally_table(&r.tally, r.total_households));
    if r.commune_wide {
        b.push(Block::Paragraph(
            "Kết quả của từng thôn, tổ dân phố (mỗi thôn, tổ dân phố tính theo tỷ lệ trên tổng số hộ gia đình của thôn, tổ dân \
             phố đó):"
                .into(),
        ));
        b.push(Block::Table(Table {
            columns: vec![
                Column::new("STT", 1).aligned(Align::Center),
                Column::new("Thôn, tổ dân phố", 5),
                Column::new("Tổng số hộ", 2).aligned(Align::Right),
                Column::new("Đồng ý", 2).aligned(Align::Right),
                Column::new("Không đồng ý", 2).aligned(Align::Right),
                Column::new("Ý kiến khác", 2).aligned(Align::Right),
                Column::new("Không hợp lệ", 2).aligned(Align::Right),
                Column::new("Cần đạt", 2).aligned(Align::Right),
                Column::new("Kết quả", 3).aligned(Align::Center),
            ],
            rows: r
                .villages
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    vec![
                        (i + 1).to_string(),
                        v.name.clone(),
                        n(v.households),
                        n(v.tally.agree),
                        n(v.tally.disagree),
                        n(v.tally.other),
                        n(v.tally.invalid),
                        n(v.required),
                        if v.passed { "Đạt".into() } else { "Không đạt".into() },
                    ]
                })
                .collect(),
        }));
        let passed = r.villages.iter().filter(|v| v.passed).count() as u64;
        b.push(Block::Bullet(format!(
            "Tỷ lệ cần đạt: {}; số thôn, tổ dân phố cần tán thành: {}; số thôn, tổ dân phố tán thành: {}/{}.",
            r.threshold.trim(),
            n(r.required),
            n(passed),
            n(r.villages.len() as u64)
        )));
    } else {
        b.push(Block::Bullet(format!(
            "Tỷ lệ cần đạt: {}; số hộ đồng ý cần có: {}; số hộ đồng ý: {}.",
            r.threshold.trim(),
            n(r.required),
            n(r.tally.agree)
        )));
    }
    b.push(Block::Paragraph(if r.passed {
        "Đối chiếu với tỷ lệ quy định tại khoản 1 Điều 21 Luật Thực hiện dân chủ ở cơ sở: ĐẠT. Nội dung được cộng đồng dân cư \
         quyết định."
            .into()
    } else {
        "Đối chiếu với tỷ lệ quy định tại khoản 1 Điều 21 Luật Thực hiện dân chủ ở cơ sở: KHÔNG ĐẠT. Nội dung không được cộng \
         đồng dân cư quyết định."
            .into()
    }));
    b.push(Block::Heading("IV. NỘI DUNG QUYẾT ĐỊNH".into()));
    for para in r.content.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        b.push(Block::Paragraph(para.to_string()));
    }
    b.push(Block::Paragraph(
        "Văn bản này được gửi Ủy ban nhân dân và Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã trong thời hạn 05 ngày làm việc \
         kể từ ngày kết thúc biểu quyết (khoản 3 Điều 20 Luật Thực hiện dân chủ ở cơ sở)./."
            .into(),
    ));
    b.push(Block::Heading("CHỮ KÝ XÁC NHẬN".into()));
    // R2.16: the village head (the signature block below), the head of the
    // Front work committee and two household representatives. A commune-wide
    // aggregation is signed by the People's Committee, the Front attesting.
    if r.commune_wide {
        b.push(signatures(&[("Đại diện Ủy ban MTTQ Việt Nam cấp xã", String::new())]));
    } else {
        b.push(signatures(&[
            ("Trưởng ban công tác Mặt trận", String::new()),
            ("Đại diện hộ gia đình", String::new()),
            ("Đại diện hộ gia đình", String::new()),
        ]));
    }
    doc.blocks = b;
    doc.recipients = vec!["UBND cấp xã".into(), "Ủy ban MTTQ Việt Nam cấp xã".into(), "Lưu: thôn, tổ dân phố".into()];
    doc.signature = if r.commune_wide {
        Signature { authority: Some("TM. ỦY BAN NHÂN DÂN".into()), title: "CHỦ TỊCH".into(), name: BLANK.into() }
    } else {
        Signature { authority: None, title: "TRƯỞNG THÔN, TỔ TRƯỞNG TỔ DÂN PHỐ".into(), name: BLANK.into() }
    };
    doc
}

/// The vote-count minutes of a meeting (Mẫu 02 of Decree 59, whose text we do not have; R2.10,
/// R2.11): the meeting (date, notice, documents, households present, the secretary), the
/// method (show of hands or secret ballot), the vote-counting committee, the result against the
/// threshold, the three copies, and the signatures of the chair, the secretary, the committee
/// and two household witnesses.
pub fn vote_count_minutes(m: &MeetingMinutes) -> Document {
    let mut doc = Document::default();
    header_fields(&mut doc, &m.header);
    doc.kind_title = "BIÊN BẢN KIỂM PHIẾU".into();
    doc.subject = Some(format!("Kết quả biểu quyết tại cuộc họp cộng đồng dân cư {} về việc {}", m.village.trim(), m.title.trim()));
    let absent = m.total_households.saturating_sub(m.present);
    let mut b = vec![
        Block::Paragraph(format!(
            "Hôm nay, ngày {}, cuộc họp cộng đồng dân cư {} được tổ chức để biểu quyết về việc {}.",
            m.held_on,
            m.village.trim(),
            m.title.trim()
        )),
        Block::Heading("I. THÀNH PHẦN".into()),
        Block::Bullet(format!(
            "Thông báo mời họp (Mẫu 01) gửi ngày: {}; tài liệu gửi đến các hộ gia đình ngày: {}.",
            m.notice_on, m.documents_on
        )),
        Block::Bullet(format!("Tổng số hộ gia đình: {} hộ.", n(m.total_households))),
        Block::Bullet(format!("Số đại diện hộ gia đình có mặt: {} người; số hộ không có đại diện: {} hộ.", n(m.present), n(absent))),
        Block::Bullet(format!("Thư ký cuộc họp: {}.", name_or_blank(&m.secretary))),
        Block::Bullet(format!(
            "Hình thức biểu quyết: {}.",
            if m.secret { "bỏ phiếu kín" } else { "giơ tay (kết quả được kiểm đếm và ghi ngay tại cuộc họp)" }
        )),
        Block::Heading("II. BAN KIỂM PHIẾU".into()),
    ];
    if m.committee.iter().all(|c| c.trim().is_empty()) {
        b.push(Block::Bullet(format!("{BLANK} (Trưởng ban)")));
        b.push(Block::Bullet(BLANK.to_string()));
        b.push(Block::Bullet(BLANK.to_string()));
    } else {
        for (i, c) in m.committee.iter().filter(|c| !c.trim().is_empty()).enumerate() {
            b.push(Block::Bullet(if i == 0 { format!("{} (Trưởng ban)", c.trim()) } else { c.trim().to_string() }));
        }
    }
    b.push(Block::Paragraph(
        "Ban kiểm phiếu gồm từ 03 đến 05 người, được trên 50% đại diện hộ gia đình dự họp tán thành; việc kiểm phiếu có sự \
         chứng kiến của 02 đại diện hộ gia đình (điểm c khoản 5 Điều 3 Nghị định số 59/2023/NĐ-CP)."
            .into(),
    ));
    b.push(Block::Heading("III. KẾT QUẢ".into()));
    b.push(Block::Bullet(format!("Câu hỏi biểu quyết: {}", m.question.trim())));
    match &m.tally {
        Some(t) => {
            if m.secret {
                b.push(Block::Bullet(format!("Số phiếu phát ra: {}; số phiếu thu vào: {}.", n(m.present), n(t.voted()))));
                b.push(Block::Bullet(format!("Số phiếu hợp lệ: {}; số phiếu không hợp lệ: {}.", n(t.valid()), n(t.invalid))));
            }
            b.push(tally_table(t, m.total_households));
            b.push(Block::Bullet(format!("Tỷ lệ cần đạt: {}; số hộ đồng ý cần có: {}.", m.threshold.trim(), n(m.required))));
            b.push(Block::Paragraph(match m.passed {
                Some(true) => "Kết quả: ĐẠT.".to_string(),
                Some(false) => "Kết quả: KHÔNG ĐẠT.".to_string(),
                None => "Kết quả: chưa tổng hợp.".to_string(),
            }));
        }
        None => b.push(Block::Paragraph("Kết quả biểu quyết chưa được ghi nhận.".into())),
    }
    b.push(Block::Paragraph(
        "Biên bản được lập thành 03 bản: 01 bản gửi Ủy ban nhân dân cấp xã, 01 bản gửi Ủy ban Mặt trận Tổ quốc Việt Nam cấp \
         xã, 01 bản lưu tại thôn, tổ dân phố./."
            .into(),
    ));
    b.push(Block::Heading("CHỮ KÝ".into()));
    b.push(signatures(&[
        ("Thư ký", m.secretary.clone()),
        ("Trưởng ban kiểm phiếu", m.committee.first().cloned().unwrap_or_default()),
        ("Đại diện hộ gia đình chứng kiến", String::new()),
        ("Đại diện hộ gia đình chứng kiến", String::new()),
    ]));
    doc.blocks = b;
    doc.recipients = vec!["UBND cấp xã".into(), "Ủy ban MTTQ Việt Nam cấp xã".into(), "Lưu: thôn, tổ dân phố".into()];
    doc.signature = Signature { authority: None, title: "CHỦ TRÌ CUỘC HỌP".into(), name: BLANK.into() };
    doc
}

/// The count minutes of household ballots (Mẫu 04 of Decree 59, whose text we do not have;
/// R2.13): the ballot team, the two household witnesses, ballots issued, returned, valid and
/// invalid, the count of each choice and the result against the threshold.
pub fn ballot_count_minutes(m: &BallotMinutes) -> Document {
    let mut doc = Document::default();
    header_fields(&mut doc, &m.header);
    doc.kind_title = "BIÊN BẢN KIỂM PHIẾU".into();
    doc.subject = Some(format!("Kết quả lấy ý kiến hộ gia đình {} về việc {}", m.village.trim(), m.title.trim()));
    let mut b = vec![
        Block::Paragraph(format!(
            "Tổ công tác phát phiếu lấy ý kiến hộ gia đình {} đã kiểm phiếu lấy ý kiến về việc {}.",
            m.village.trim(),
            m.title.trim()
        )),
        Block::Heading("I. TỔ CÔNG TÁC VÀ NGƯỜI CHỨNG KIẾN".into()),
    ];
    let team: Vec<&String> = m.team.iter().filter(|t| !t.trim().is_empty()).collect();
    if team.is_empty() {
        b.push(Block::Bullet(format!("{BLANK} (đại diện Ban công tác Mặt trận, Tổ trưởng)")));
        b.push(Block::Bullet(BLANK.to_string()));
        b.push(Block::Bullet(BLANK.to_string()));
    } else {
        for (i, t) in team.iter().enumerate() {
            b.push(Block::Bullet(if i == 0 { format!("{} (Tổ trưởng)", t.trim()) } else { t.trim().to_string() }));
        }
    }
    b.push(Block::Paragraph(format!(
        "Với sự chứng kiến của 02 đại diện hộ gia đình: {} và {}.",
        name_or_blank(&m.witnesses[0]),
        name_or_blank(&m.witnesses[1])
    )));
    b.push(Block::Heading("II. KẾT QUẢ KIỂM PHIẾU".into()));
    b.push(Block::Bullet(format!("Câu hỏi lấy ý kiến: {}", m.question.trim())));
    if let Some(d) = &m.deadline {
        b.push(Block::Bullet(format!("Hạn nộp phiếu: {d}.")));
    }
    b.push(Block::Bullet(format!("Tổng số hộ gia đình: {} hộ.", n(m.total_households))));
    b.push(Block::Bullet(format!("Số phiếu phát ra: {}; số phiếu thu về: {}.", n(m.issued), n(m.returned))));
    b.push(Block::Bullet(format!("Số phiếu hợp lệ: {}; số phiếu không hợp lệ: {}.", n(m.tally.valid()), n(m.tally.invalid))));
    b.push(tally_table(&m.tally, m.total_households));
    b.push(Block::Bullet(format!("Tỷ lệ cần đạt: {}; số hộ đồng ý cần có: {}.", m.threshold.trim(), n(m.required))));
    b.push(Block::Paragraph(if m.passed { "Kết quả: ĐẠT.".into() } else { "Kết quả: KHÔNG ĐẠT.".into() }));
    b.push(Block::Paragraph(
        "Biên bản được lập thành 03 bản: 01 bản gửi Ủy ban nhân dân cấp xã, 01 bản gửi Ủy ban Mặt trận Tổ quốc Việt Nam cấp \
         xã, 01 bản lưu tại thôn, tổ dân phố; đối với nội dung tổ chức trên phạm vi cấp xã, kết quả của thôn, tổ dân phố được \
         báo cáo Ủy ban nhân dân cấp xã để tổng hợp./."
            .into(),
    ));
    b.push(Block::Heading("CHỮ KÝ".into()));
    b.push(signatures(&[
        ("Tổ trưởng tổ công tác", team.first().map(|s| s.to_string()).unwrap_or_default()),
        ("Đại diện hộ gia đình chứng kiến", m.witnesses[0].clone()),
        ("Đại diện hộ gia đình chứng kiến", m.witnesses[1].clone()),
    ]));
    doc.blocks = b;
    doc.recipients = vec!["UBND cấp xã".into(), "Ủy ban MTTQ Việt Nam cấp xã".into(), "Lưu: thôn, tổ dân phố".into()];
    doc.signature = Signature {
        authority: Some("TM. TỔ CÔNG TÁC".into()),
        title: "TỔ TRƯỞNG".into(),
        name: name_or_blank(team.first().map_or("", |s| s.as_str())),
    };
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> DecisionRecord {
        DecisionRecord {
            header: Header {
                issuer_parent: Some("UBND PHƯỜNG HẠC THÀNH".into()),
                issuer: "TỔ DÂN PHỐ 1".into(),
                place_date: "Hạc Thành, ngày 07 tháng 12 năm 2026".into(),
                note: None,
            },
            kind: "NGHỊ QUYẾT".into(),
            title: "Làm đường bê tông ngõ 3".into(),
            community: "Tổ dân phố 1, phường Hạc Thành".into(),
            subject: "khoản 1 Điều 15".into(),
            form: "Phát phiếu lấy ý kiến hộ gia đình".into(),
            question: "Đồng ý làm đường?".into(),
            content: "Làm đường.\n\nMỗi hộ góp 500.000 đồng.".into(),
            decision_date: "01/12/2026".into(),
            closed_on: "17:00 ngày 06/12/2026".into(),
            total_households: 120,
            took_part: 100,
            tally: VoteTally { agree: 81, disagree: 15, other: 3, invalid: 1 },
            threshold: "ít nhất 2/3".into(),
            required: 80,
            passed: true,
            ..Default::default()
        }
    }

    #[test]
    fn r2_16_written_decision_states_every_mandatory_field() {
        let doc = written_decision(&record());
        let text = format!("{doc:?}");
        for needle in [
            "Tổng số hộ gia đình: 120",
            "tham gia biểu quyết: 100",
            "không có đại diện tham gia: 20",
            "khoản 1 Điều 15",
            "Phát phiếu lấy ý kiến hộ gia đình",
            "Đồng ý",
            "81",
            "Mỗi hộ góp 500.000 đồng.",
            "TRƯỞNG THÔN, TỔ TRƯỞNG TỔ DÂN PHỐ",
            "Trưởng ban công tác Mặt trận",
            "Đại diện hộ gia đình",
            "01/12/2026",
            "ĐẠT",
        ] {
            assert!(text.contains(needle), "missing {needle}");
        }
        assert_eq!(share(81, 120), "81/120 hộ (67,50%)");
        assert!(crate::to_pdf(&doc).is_ok() && crate::to_docx(&doc).is_ok());
    }
}
