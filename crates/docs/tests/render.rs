//! Renders the sample plan and other documents to PDF and DOCX and checks the output with
//! independent readers: lopdf (the PDF library danchu-files indexes attachments with),
//! quick-xml, the zip reader, and — where installed — poppler's `pdftotext` and LibreOffice.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use danchu_docs::{sample_document, to_docx, to_pdf, Block, Column, Document, Error, Orientation, Signature, Table};

fn pdf_text(pdf: &[u8]) -> (usize, String) {
    let doc = lopdf::Document::load_mem(pdf).expect("lopdf parses the PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("lopdf extracts the text");
    (pages.len(), text)
}

/// Runs are split at line ends; tests look for phrases with single spaces.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(tool)).find(|p| p.is_file())
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("danchu-docs-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn docx_parts(docx: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("the DOCX is a ZIP");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).expect("every part is UTF-8 text");
            (f.name().expect("entry name").into_owned(), s)
        })
        .collect()
}

/// Parses an XML part to the end (quick-xml checks that end tags match) and returns the text
/// of its `w:t` elements with entities resolved.
fn parse_xml(name: &str, xml: &str) -> String {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut text = String::new();
    let mut in_t = false;
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) => {
                depth += 1;
                in_t = e.name().as_ref() == "w:t";
            }
            Ok(Event::End(_)) => {
                depth -= 1;
                in_t = false;
            }
            Ok(Event::Text(t)) if in_t => text.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) if in_t => {
                let name = r.xml10_content();
                text.push_str(
                    quick_xml::escape::resolve_predefined_entity(&name).unwrap_or_else(|| panic!("{name}: unknown entity {name}")),
                );
            }
            Ok(_) => {}
            Err(e) => panic!("{name} is not well-formed at {}: {e}", reader.error_position()),
        }
    }
    assert_eq!(depth, 0, "{name}: unclosed elements");
    text
}

fn document_xml(docx: &[u8]) -> String {
    docx_parts(docx).into_iter().find(|(n, _)| n == "word/document.xml").expect("word/document.xml").1
}

#[test]
fn sample_plan_pdf_has_several_pages_embedded_fonts_and_extractable_vietnamese_text() {
    let pdf = to_pdf(&sample_document()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.ends_with(b"%%EOF") || pdf.ends_with(b"%%EOF\n"));

    let (pages, text) = pdf_text(&pdf);
    assert_eq!(pages, 5, "the 60-row table spans pages");
    let text = squash(&text);
    for phrase in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hạc Thành, ngày 28 tháng 11 năm 2026",
        "UBND TỈNH THANH HÓA",
        "Số: 12/KH-UBND",
        "KẾ HOẠCH",
        "Công khai thông tin năm 2026",
        // A justified line: exactly one space between the words.
        "Thông tin công khai phải chính xác, đầy đủ, kịp thời, đúng hình thức",
        "Nội dung thông tin công khai",
        "Nơi nhận:",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Văn An",
        "Bản in từ danchu – dữ liệu minh họa",
    ] {
        assert!(text.contains(phrase), "extracted text lacks {phrase:?}:\n{text}");
    }
    // The table header is repeated on the pages the table runs over.
    assert!(text.matches("Hình thức, thời hạn công khai").count() >= 3);
    // Row 60 made it.
    assert!(text.contains("60 Nội dung khác theo quy định"));

    // Four subset TrueType fonts, embedded, each with a ToUnicode map.
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let mut descriptors = 0;
    let mut fonts = Vec::new();
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        match dict.get(b"Type").and_then(|t| t.as_name()) {
            Ok(b"FontDescriptor") => {
                assert!(dict.get(b"FontFile2").is_ok(), "font not embedded");
                descriptors += 1;
            }
            Ok(b"Font") if dict.get(b"Subtype").and_then(|s| s.as_name()).is_ok_and(|s| s == b"Type0") => {
                assert!(dict.get(b"ToUnicode").is_ok(), "no ToUnicode");
                let name = String::from_utf8(dict.get(b"BaseFont").unwrap().as_name().unwrap().to_vec()).unwrap();
                fonts.push(name);
            }
            _ => {}
        }
    }
    assert_eq!(descriptors, 4);
    fonts.sort_by_key(|n| n[7..].to_string());
    let faces: Vec<&str> = fonts.iter().map(|n| &n[7..]).collect();
    assert_eq!(faces, ["LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-BoldItalic", "LiberationSerif-Italic"]);
    assert!(fonts.iter().all(|n| n.as_bytes()[6] == b'+' && n[..6].bytes().all(|b| b.is_ascii_uppercase())));

    // Subset fonts keep the file small (the four full fonts alone are 1.5 MB).
    assert!(pdf.len() < 100_000, "{} bytes", pdf.len());
}

#[test]
fn pdftotext_reads_the_vietnamese_text_when_poppler_is_installed() {
    let Some(pdftotext) = which("pdftotext") else {
        eprintln!("pdftotext not installed (Debian: poppler-utils): skipped");
        return;
    };
    let dir = scratch_dir("pdftotext");
    let path = dir.join("sample.pdf");
    std::fs::write(&path, to_pdf(&sample_document()).unwrap()).unwrap();
    let out = Command::new(pdftotext).arg(&path).arg("-").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = squash(&String::from_utf8(out.stdout).unwrap());
    for phrase in
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Hạc Thành", "Thông tin công khai phải chính xác, đầy đủ, kịp thời", "Nguyễn Văn An"]
    {
        assert!(text.contains(phrase), "pdftotext lacks {phrase:?}:\n{text}");
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn output_is_deterministic() {
    let doc = sample_document();
    assert_eq!(to_pdf(&doc).unwrap(), to_pdf(&doc).unwrap());
    assert_eq!(to_docx(&doc).unwrap(), to_docx(&doc).unwrap());
}

#[test]
fn sample_docx_has_every_part_well_formed_and_the_decree_layout() {
    let docx = to_docx(&sample_document()).unwrap();
    assert!(docx.starts_with(b"PK\x03\x04"));
    let parts = docx_parts(&docx);
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    for required in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
        "word/settings.xml",
        "docProps/core.xml",
        "word/header1.xml",
        "word/footer1.xml",
    ] {
        assert!(names.contains(&required), "missing {required}");
    }
    for (name, xml) in &parts {
        parse_xml(name, xml);
    }
    let xml = document_xml(&docx);
    let text = parse_xml("word/document.xml", &xml);
    for phrase in
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Hạc Thành, ngày 28 tháng 11 năm 2026", "Nguyễn Văn An"]
    {
        assert!(text.contains(phrase), "document.xml lacks {phrase:?}");
    }
    // A4, margins 20/15/20/30 mm in twips, no page number on page 1, repeated table header.
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
    assert!(xml.contains(r#"<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701""#));
    assert!(xml.contains("<w:titlePg/>"));
    assert_eq!(xml.matches("<w:tblHeader/>").count(), 1);
    // 60 table rows and the signature row never split across pages.
    assert_eq!(xml.matches("<w:tr><w:trPr><w:cantSplit/>").count(), 60 + 1);
    let styles = &parts.iter().find(|(n, _)| n == "word/styles.xml").unwrap().1;
    assert!(styles.contains(r#"w:ascii="Times New Roman""#));
    let header = &parts.iter().find(|(n, _)| n == "word/header1.xml").unwrap().1;
    assert!(header.contains(r#"w:instr=" PAGE ""#));
}

#[test]
fn xml_special_characters_are_escaped_in_docx_and_kept_in_pdf() {
    let title = r#"Báo cáo <số liệu> & "tổng hợp" 'quý'"#;
    let mut doc = sample_document();
    doc.subject = Some(title.into());
    doc.blocks = vec![
        Block::Paragraph(format!("Đoạn có ký tự đặc biệt: {title}")),
        Block::Table(Table { columns: vec![Column::new("A<&>\"", 1)], rows: vec![vec!["x < y && y > z".into()]] }),
    ];
    let docx = to_docx(&doc).unwrap();
    let xml = document_xml(&docx);
    assert!(xml.contains("Báo cáo &lt;số liệu&gt; &amp; &quot;tổng hợp&quot; &apos;quý&apos;"));
    assert!(!xml.contains("<số liệu>"));
    let text = parse_xml("word/document.xml", &xml);
    assert!(text.contains(title));
    assert!(text.contains("A<&>\""));
    assert!(text.contains("x < y && y > z"));
    let core = &docx_parts(&docx).into_iter().find(|(n, _)| n == "docProps/core.xml").unwrap().1;
    parse_xml("docProps/core.xml", core);
    assert!(core.contains("&lt;số liệu&gt;"));

    let (_, text) = pdf_text(&to_pdf(&doc).unwrap());
    assert!(squash(&text).contains(title), "{text}");
}

#[test]
fn decomposed_vietnamese_input_is_rendered_precomposed() {
    let mut doc = sample_document();
    // "Hạc Thành" with combining marks (NFD).
    doc.place_date = "Ha\u{0323}c Tha\u{0300}nh, nga\u{0300}y 01 tha\u{0301}ng 12 na\u{0306}m 2026".into();
    doc.blocks = vec![Block::Paragraph("Xa\u{0303} Ha\u{0323}c Tha\u{0300}nh".into())];
    let (_, text) = pdf_text(&to_pdf(&doc).unwrap());
    let text = squash(&text);
    assert!(text.contains("Hạc Thành, ngày 01 tháng 12 năm 2026"), "{text}");
    assert!(text.contains("Xã Hạc Thành"));
    assert!(!text.contains('\u{0323}'));
    let xml = document_xml(&to_docx(&doc).unwrap());
    assert!(xml.contains("Hạc Thành, ngày 01 tháng 12 năm 2026"));
}

#[test]
fn landscape_pages_are_wider_than_tall() {
    let mut doc = sample_document();
    doc.orientation = Orientation::Landscape;
    let pdf = to_pdf(&doc).unwrap();
    let parsed = lopdf::Document::load_mem(&pdf).unwrap();
    let (_, page_id) = parsed.get_pages().into_iter().next().unwrap();
    let media = parsed.get_dictionary(page_id).unwrap().get(b"MediaBox").unwrap().as_array().unwrap().clone();
    let w = media[2].as_float().unwrap();
    let h = media[3].as_float().unwrap();
    assert!((w - 841.89).abs() < 0.1 && (h - 595.28).abs() < 0.1, "{w} x {h}");
    let (pages, _) = pdf_text(&pdf);
    assert!(pages >= 2);
    let xml = document_xml(&to_docx(&doc).unwrap());
    assert!(xml.contains(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>"#));
}

#[test]
fn a_table_row_taller_than_a_page_is_split_and_nothing_is_lost() {
    let long: String = (1..=150).map(|i| format!("dòng{i}\n")).collect();
    let doc = Document {
        issuer: "Ủy ban nhân dân xã Hạc Thành".into(),
        place_date: "Hạc Thành, ngày 28 tháng 11 năm 2026".into(),
        kind_title: "Báo cáo".into(),
        blocks: vec![Block::Table(Table {
            columns: vec![Column::new("Nội dung", 1), Column::new("Ghi chú", 1)],
            rows: vec![vec![long.trim().into(), "ngắn".into()], vec!["tiếp".into(), "".into()]],
        })],
        signature: Signature { authority: None, title: "Chủ tịch".into(), name: "Trần Thị Bình".into() },
        ..Document::default()
    };
    let (pages, text) = pdf_text(&to_pdf(&doc).unwrap());
    assert!(pages >= 2);
    let text = squash(&text);
    for i in [1, 75, 150] {
        assert!(text.contains(&format!("dòng{i}")), "dòng{i} lost");
    }
    // Lowercase input becomes the uppercase the Decree asks for.
    assert!(text.contains("ỦY BAN NHÂN DÂN XÃ HẠC THÀNH") && text.contains("BÁO CÁO") && text.contains("CHỦ TỊCH"));
}

#[test]
fn a_minimal_document_renders() {
    let doc = Document { issuer: "UBND XÃ".into(), kind_title: "THÔNG BÁO".into(), ..Document::default() };
    let (pages, text) = pdf_text(&to_pdf(&doc).unwrap());
    assert_eq!(pages, 1);
    assert!(text.contains("THÔNG BÁO"));
    parse_xml("word/document.xml", &document_xml(&to_docx(&doc).unwrap()));
}

#[test]
fn malformed_tables_are_refused() {
    let mut doc = sample_document();
    doc.blocks = vec![Block::Table(Table { columns: vec![Column::new("A", 1)], rows: vec![vec!["1".into(), "2".into()]] })];
    assert!(matches!(to_pdf(&doc), Err(Error::RowTooLong { block: 0, row: 0, cells: 2, columns: 1 })));
    assert!(matches!(to_docx(&doc), Err(Error::RowTooLong { .. })));
    doc.blocks = vec![Block::Table(Table::default())];
    let err = to_pdf(&doc).unwrap_err();
    assert!(matches!(err, Error::EmptyTable { block: 0 }));
    assert_eq!(err.to_string(), "table in block 0 has no columns");
}

/// Proves the DOCX opens: LibreOffice converts it to PDF, whose text is then checked.
#[test]
fn libreoffice_opens_the_docx_when_installed() {
    let Some(soffice) = which("soffice") else {
        eprintln!("soffice not installed (Debian: libreoffice-writer-nogui): skipped");
        return;
    };
    let dir = scratch_dir("soffice");
    let docx = dir.join("sample.docx");
    std::fs::write(&docx, to_docx(&sample_document()).unwrap()).unwrap();
    let profile = format!("-env:UserInstallation=file://{}", dir.join("profile").display());
    let out = Command::new(soffice)
        .args([profile.as_str(), "--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&docx)
        .output()
        .unwrap();
    let pdf = std::fs::read(dir.join("sample.pdf"))
        .unwrap_or_else(|_| panic!("LibreOffice made no PDF: {}", String::from_utf8_lossy(&out.stderr)));
    let (pages, text) = pdf_text(&pdf);
    assert!(pages > 1, "{pages} pages");
    let text = squash(&text);
    for phrase in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Hạc Thành", "Nơi nhận:", "Nguyễn Văn An"] {
        assert!(text.contains(phrase), "LibreOffice's PDF lacks {phrase:?}:\n{text}");
    }
    std::fs::remove_dir_all(dir).ok();
}
