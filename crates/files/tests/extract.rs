//! `extract_text`: Vietnamese text out of DOCX, XLSX and PDF.

mod common;

use common::*;
use danchu_files::{extract_text, FileKind, Refusal};
use unicode_normalization::UnicodeNormalization;

fn text(kind: FileKind, bytes: &[u8]) -> String {
    let t = extract_text(kind, bytes, 100_000).unwrap_or_else(|r| panic!("{kind}: {r:?}"));
    assert_eq!(t, t.nfc().collect::<String>(), "not NFC");
    t
}

#[test]
fn docx_paragraphs_tables_breaks_and_headers() {
    let t = text(FileKind::Docx, &vietnamese_docx());
    assert_eq!(t, "Dân chủ ở cơ sở – Thanh Hóa\nBiên bản họp thôn\nĐông Hưng\nKhoản thu\n125.000.000 đồng\nNgười lập: Nguyễn Thị Hường & cộng sự\nUBND xã Quảng Phú");
}

#[test]
fn xlsx_shared_and_inline_strings_in_sheet_order() {
    let t = text(FileKind::Xlsx, &vietnamese_xlsx());
    assert_eq!(
        t,
        "Thu chi\nHạng mục Số tiền (đồng)\nĐường giao thông thôn Đông 125000000\nQuỹ khuyến học & y tế 12500000\nGhi chú\nĐã niêm yết tại nhà văn hóa"
    );
}

#[test]
fn pdf_type0_identity_h_with_tounicode() {
    let t = text(FileKind::Pdf, &identity_h_pdf());
    assert_eq!(t, format!("{VIETNAMESE_LINE}\nBiên bản"));
}

#[test]
fn pdf_winansi_helvetica() {
    let t = text(FileKind::Pdf, &winansi_pdf());
    assert_eq!(t, "Hello World\nCafé crème brûlée");
}

#[test]
fn pdf_printed_by_chromium() {
    // Skia places every glyph with its own `Td`: spaces must come from the glyph widths.
    let t = text(FileKind::Pdf, &fixture("chromium-vi.pdf"));
    // Lines break where the page layout wrapped them.
    assert_eq!(
        t.replace('\n', " "),
        "Dân chủ ở cơ sở – Thanh Hóa Biên bản họp thôn Đông Hưng: thu chi quỹ đường giao thông nông thôn năm 2024. \
         Tổng số tiền: 125.000.000 đồng. Người lập biểu: Nguyễn Thị Hường."
    );
}

#[test]
fn pdf_text_inside_form_xobjects() {
    let form = stream_obj(
        "/Type /XObject /Subtype /Form /BBox [0 0 500 100] /Resources << /Font << /F9 6 0 R >> >>",
        b"BT /F9 10 Tf 0 0 Td (Trong bi\\352u m\\342u) Tj ET",
    );
    let font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec();
    let page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X1 5 0 R >> >> /Contents 4 0 R >>";
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        page.to_vec(),
        stream_obj("", b"q 1 0 0 1 50 600 cm /X1 Do Q"),
        form,
        font,
    ];
    assert_eq!(text(FileKind::Pdf, &pdf_of(&objects, "")), "Trong biêu mâu");
}

#[test]
fn output_is_truncated_on_a_char_boundary() {
    let t = extract_text(FileKind::Docx, &vietnamese_docx(), 5).unwrap();
    assert_eq!(t, "Dân c");
    let t = extract_text(FileKind::Pdf, &identity_h_pdf(), 9).unwrap();
    assert_eq!(t, "Dân chủ ở");
    assert_eq!(extract_text(FileKind::Xlsx, &vietnamese_xlsx(), 0).unwrap(), "");
}

#[test]
fn images_have_no_text() {
    assert_eq!(extract_text(FileKind::Png, &fixture("flag.png"), 100).unwrap(), "");
    assert_eq!(extract_text(FileKind::Jpeg, &fixture("flag.jpg"), 100).unwrap(), "");
}

#[test]
fn wrong_kind_is_malformed() {
    assert_eq!(extract_text(FileKind::Docx, &vietnamese_xlsx(), 100), Err(Refusal::Malformed { kind: FileKind::Docx }));
    assert_eq!(extract_text(FileKind::Xlsx, &vietnamese_docx(), 100), Err(Refusal::Malformed { kind: FileKind::Xlsx }));
    assert_eq!(extract_text(FileKind::Pdf, &fixture("flag.png"), 100), Err(Refusal::Malformed { kind: FileKind::Pdf }));
    assert_eq!(extract_text(FileKind::Docx, b"", 100), Err(Refusal::Empty));
}

#[test]
fn large_documents_stop_at_the_budget() {
    let body = para("Nghị quyết về dân chủ ở cơ sở. ").repeat(20_000);
    let docx = docx_with(&body, &[]);
    let t = extract_text(FileKind::Docx, &docx, 1000).unwrap();
    assert_eq!(t.chars().count(), 1000);
}
