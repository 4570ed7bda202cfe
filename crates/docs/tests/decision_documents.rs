//! The documents of a community decision rendered end to end: the printed
//! ballots' QR codes decode back to each ballot's code (with zbarimg and
//! pdftoppm, when installed), and the decision's documents render with their
//! text extractable. `DANCHU_DOCS_OUT=<dir>` keeps the files for a look.

use danchu_docs::{
    ballot_count_minutes, ballots_pdf, to_docx, to_pdf, vote_count_minutes, written_decision, BallotCard, BallotMinutes, BallotSheet,
    DecisionRecord, Header, MeetingMinutes, VillageResult, VoteTally,
};
use std::path::{Path, PathBuf};
use std::process::Command;

fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(tool)).find(|p| p.is_file())
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("danchu-docs-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn keep(name: &str, bytes: &[u8]) {
    if let Some(dir) = std::env::var_os("DANCHU_DOCS_OUT") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(Path::new(&dir).join(name), bytes).unwrap();
    }
}

fn sheet(commune_wide: bool) -> BallotSheet {
    BallotSheet {
        issuer_parent: Some(if commune_wide { "UBND TỈNH THANH HÓA" } else { "UBND PHƯỜNG HẠC THÀNH" }.into()),
        issuer: if commune_wide { "ỦY BAN NHÂN DÂN PHƯỜNG HẠC THÀNH" } else { "TỔ DÂN PHỐ 1" }.into(),
        commune_wide,
        title: "Làm đường bê tông ngõ 3, mỗi hộ đóng góp 500.000 đồng".into(),
        question: "Hộ gia đình có đồng ý chủ trương làm đường bê tông ngõ 3 và mức đóng góp 500.000 đồng mỗi hộ không?".into(),
        village: "Tổ dân phố 1, phường Hạc Thành".into(),
        deadline: "17:00 ngày 06/12/2026".into(),
        note: Some("Bản in từ danchu – dữ liệu minh họa".into()),
    }
}

const CODES: [&str; 3] = ["7KQ2M9XHT4WD", "23456789ABCD", "ZZYXWVUTSRQP"];

#[test]
fn r2_13_printed_qr_codes_decode_to_the_ballot_codes_when_zbar_is_installed() {
    let cards: Vec<BallotCard> = CODES
        .iter()
        .enumerate()
        .map(|(i, c)| BallotCard { code: (*c).into(), household: format!("mã hộ HT-{i:04} – đại diện: Nguyễn Văn {i}") })
        .collect();
    let pdf = ballots_pdf(&sheet(false), &cards).unwrap();
    keep("ballots-village.pdf", &pdf);
    keep("ballots-commune.pdf", &ballots_pdf(&sheet(true), &cards).unwrap());
    let (Some(pdftoppm), Some(zbarimg)) = (which("pdftoppm"), which("zbarimg")) else {
        eprintln!("pdftoppm or zbarimg not installed (Debian: poppler-utils, zbar-tools): skipped");
        return;
    };
    let dir = scratch_dir("qr");
    let path = dir.join("ballots.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = Command::new(pdftoppm).args(["-r", "200", "-gray", "-png"]).arg(&path).arg(dir.join("page")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut pages: Vec<PathBuf> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "png")).collect();
    pages.sort();
    assert_eq!(pages.len(), 2, "three ballots on two pages");
    let mut decoded = Vec::new();
    for page in &pages {
        let out = Command::new(&zbarimg).args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"]).arg(page).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        decoded.extend(text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string));
    }
    decoded.sort();
    let mut want: Vec<String> = CODES.iter().map(|c| c.to_string()).collect();
    want.sort();
    assert_eq!(decoded, want, "the QR codes carry exactly the ballots' codes");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn r2_16_decision_documents_render_in_both_formats() {
    let header = Header {
        issuer_parent: Some("UBND PHƯỜNG HẠC THÀNH".into()),
        issuer: "TỔ DÂN PHỐ 1".into(),
        place_date: "Hạc Thành, ngày 07 tháng 12 năm 2026".into(),
        note: None,
    };
    let tally = VoteTally { agree: 81, disagree: 15, other: 3, invalid: 1 };
    let decision = written_decision(&DecisionRecord {
        header: header.clone(),
        kind: "NGHỊ QUYẾT".into(),
        title: "Làm đường bê tông ngõ 3".into(),
        community: "Tổ dân phố 1, phường Hạc Thành".into(),
        commune_wide: false,
        subject: "khoản 1 Điều 15 Luật Thực hiện dân chủ ở cơ sở: Chủ trương và mức đóng góp xây dựng cơ sở hạ tầng".into(),
        form: "Phát phiếu lấy ý kiến hộ gia đình".into(),
        secret: false,
        question: "Đồng ý làm đường?".into(),
        content: "Làm đường bê tông ngõ 3 dài 300 mét.\n\nMỗi hộ đóng góp 500.000 đồng.".into(),
        decision_date: "01/12/2026".into(),
        period: Some("từ 08:00 ngày 01/12/2026 đến 17:00 ngày 06/12/2026".into()),
        closed_on: "17:00 ngày 06/12/2026".into(),
        total_households: 120,
        took_part: 100,
        tally,
        threshold: "ít nhất 2/3 tổng số hộ gia đình của thôn, tổ dân phố".into(),
        required: 80,
        passed: true,
        villages: vec![VillageResult::default()],
    });
    let meeting = vote_count_minutes(&MeetingMinutes {
        header: header.clone(),
        title: "Hương ước tổ dân phố 1".into(),
        question: "Thông qua hương ước?".into(),
        village: "Tổ dân phố 1".into(),
        held_on: "07/12/2026".into(),
        notice_on: "04/12/2026".into(),
        documents_on: "04/12/2026".into(),
        total_households: 120,
        present: 100,
        secretary: "Phạm Thư Ký".into(),
        committee: vec!["A".into(), "B".into(), "C".into()],
        secret: true,
        tally: Some(tally),
        threshold: "trên 50%".into(),
        required: 61,
        passed: Some(true),
    });
    let ballots = ballot_count_minutes(&BallotMinutes {
        header,
        title: "Làm đường".into(),
        question: "Đồng ý?".into(),
        village: "Tổ dân phố 1".into(),
        team: vec!["Lê Văn Tổ".into(), "B".into(), "C".into()],
        witnesses: ["Hoàng Một".into(), "Hoàng Hai".into()],
        total_households: 120,
        issued: 120,
        returned: 100,
        tally,
        deadline: Some("17:00 ngày 06/12/2026".into()),
        threshold: "ít nhất 2/3".into(),
        required: 80,
        passed: true,
    });
    for (name, doc) in [("decision", decision), ("minutes-02", meeting), ("minutes-04", ballots)] {
        let pdf = to_pdf(&doc).unwrap();
        let docx = to_docx(&doc).unwrap();
        assert!(pdf.starts_with(b"%PDF-") && docx.starts_with(b"PK\x03\x04"), "{name}");
        keep(&format!("{name}.pdf"), &pdf);
        keep(&format!("{name}.docx"), &docx);
    }
}

#[test]
fn r2_13_a_village_of_300_households_prints_in_a_light_pdf() {
    let cards: Vec<BallotCard> = (0..300)
        .map(|i| BallotCard {
            code: format!("{:0>12}", format!("H{i}")), household: format!("mã hộ HT-{i:04} – đại diện: Nguyễn Văn {i}")
        })
        .collect();
    let started = std::time::Instant::now();
    let pdf = ballots_pdf(&sheet(false), &cards).unwrap();
    let elapsed = started.elapsed();
    eprintln!("300 ballots: {} bytes, {} ms", pdf.len(), elapsed.as_millis());
    // The fonts are embedded once; each ballot adds its text and QR squares.
    assert!(pdf.len() < 1_500_000, "{} bytes", pdf.len());
    let pages =
        String::from_utf8_lossy(&pdf).matches("/Type /Page").count().max(String::from_utf8_lossy(&pdf).matches("/Type/Page").count());
    assert!(pages >= 150, "{pages} page objects");
}
