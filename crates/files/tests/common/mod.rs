//! Fixture builders shared by the integration tests: ZIP packages (DOCX, XLSX), hand-written
//! PDFs, PNG chunks, and a small deterministic random generator.
#![allow(dead_code)]

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

pub const MB: usize = 1024 * 1024;

pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

// ---------------------------------------------------------------------------------------
// ZIP / OOXML

pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

pub const DOCX_CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

pub const PACKAGE_RELS_DOCX: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// A WordprocessingML document whose body is `body` (already XML).
pub fn document_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    )
}

pub fn para(text: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

/// A DOCX with the given body and extra entries.
pub fn docx_with(body: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let doc = document_xml(body);
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", DOCX_CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", PACKAGE_RELS_DOCX.as_bytes()),
        ("word/document.xml", doc.as_bytes()),
    ];
    entries.extend_from_slice(extra);
    zip_of(&entries)
}

/// The Vietnamese DOCX used across tests: paragraphs, a table, a tab, a break, a header.
pub fn vietnamese_docx() -> Vec<u8> {
    let body = format!(
        "{}{}<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>{}",
        para("Dân chủ ở cơ sở – Thanh Hóa"),
        r#"<w:p><w:r><w:t>Biên bản</w:t><w:tab/><w:t>họp thôn</w:t><w:br/><w:t>Đông Hưng</w:t></w:r></w:p>"#,
        para("Khoản thu"),
        para("125.000.000 đồng"),
        para("Người lập: Nguyễn Thị Hường &amp; cộng sự"),
    );
    let header = r#"<?xml version="1.0" encoding="UTF-8"?><w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>UBND xã Quảng Phú</w:t></w:r></w:p></w:hdr>"#;
    docx_with(&body, &[("word/header1.xml", header.as_bytes())])
}

pub const XLSX_CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;

/// The Vietnamese XLSX used across tests: two sheets (listed in reverse file order), shared
/// strings with a rich run, an inline string and numbers.
pub fn vietnamese_xlsx() -> Vec<u8> {
    let workbook = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Thu chi" sheetId="1" r:id="rId2"/><sheet name="Ghi chú" sheetId="2" r:id="rId1"/></sheets></workbook>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
    let shared = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>Hạng mục</t></si><si><t>Số tiền (đồng)</t></si><si><r><rPr><b/></rPr><t>Đường giao thông</t></r><r><t xml:space="preserve"> thôn Đông</t></r></si></sst>"#;
    let sheet1 = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>125000000</v></c></row><row r="3"><c r="A3" t="inlineStr"><is><t>Quỹ khuyến học &amp; y tế</t></is></c><c r="B3"><f>B2/10</f><v>12500000</v></c></row></sheetData></worksheet>"#;
    let sheet2 = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Đã niêm yết tại nhà văn hóa</t></is></c></row></sheetData></worksheet>"#;
    zip_of(&[
        ("[Content_Types].xml", XLSX_CONTENT_TYPES.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
        ("xl/sharedStrings.xml", shared.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet1.as_bytes()),
        ("xl/worksheets/sheet2.xml", sheet2.as_bytes()),
    ])
}

/// Replaces every occurrence of `from` by `to` (same length) in raw bytes: used to give
/// entries names that `ZipWriter` would not write (such as `../x`).
pub fn patch(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut out = bytes.to_vec();
    let mut i = 0;
    let mut hits = 0;
    while i + from.len() <= out.len() {
        if &out[i..i + from.len()] == from {
            out[i..i + from.len()].copy_from_slice(to);
            hits += 1;
            i += from.len();
        } else {
            i += 1;
        }
    }
    assert!(hits > 0, "nothing to patch");
    out
}

// ---------------------------------------------------------------------------------------
// PDF

/// A PDF from numbered object bodies (object 1 is the catalog), with a correct xref table.
pub fn pdf_of(objects: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

pub fn stream_obj(dict_extra: &str, data: &[u8]) -> Vec<u8> {
    let mut s = format!("<< /Length {} {dict_extra} >>\nstream\n", data.len()).into_bytes();
    s.extend_from_slice(data);
    s.extend_from_slice(b"\nendstream");
    s
}

pub fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// One page with the given content stream and font resources; more objects may follow
/// (numbered from 5).
pub fn one_page_pdf(content: &[u8], fonts: &str, catalog_extra: &str, more: &[Vec<u8>]) -> Vec<u8> {
    let mut objects = vec![
        format!("<< /Type /Catalog /Pages 2 0 R {catalog_extra} >>").into_bytes(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << {fonts} >> >> /Contents 4 0 R >>")
            .into_bytes(),
        stream_obj("", content),
    ];
    objects.extend_from_slice(more);
    pdf_of(&objects, "")
}

/// A PDF in the standard 14 Helvetica with WinAnsiEncoding ("Café crème" in Latin-1 bytes).
pub fn winansi_pdf() -> Vec<u8> {
    let content = b"BT /F1 12 Tf 72 770 Td (Hello World) Tj 0 -16 Td (Caf\\351 cr\\350me br\\373l\\351e) Tj ET";
    let font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec();
    one_page_pdf(content, "/F1 5 0 R", "", &[font])
}

pub const VIETNAMESE_LINE: &str = "Dân chủ ở cơ sở – Thanh Hóa";

/// A PDF with a Type0 / Identity-H font whose glyph ids mean nothing without its ToUnicode
/// CMap. Line 1 is [`VIETNAMESE_LINE`] (its "ở" mapped to a decomposed sequence, to check
/// NFC), line 2 "Biên bản" separated only by TJ kerning, both in a compressed content stream.
pub fn identity_h_pdf() -> Vec<u8> {
    let line2 = "Biênbản";
    let mut chars: Vec<char> = Vec::new();
    for c in VIETNAMESE_LINE.chars().chain(line2.chars()) {
        if !chars.contains(&c) {
            chars.push(c);
        }
    }
    let cid = |c: char| chars.iter().position(|&x| x == c).unwrap() as u16 + 3;
    let hex = |s: &str| s.chars().map(|c| format!("{:04X}", cid(c))).collect::<String>();
    let mut bfchar = String::new();
    for &c in &chars {
        let target = if c == 'ở' {
            "006F031B0309".to_string()
        } else {
            let mut buf = [0u16; 2];
            c.encode_utf16(&mut buf).iter().map(|u| format!("{u:04X}")).collect()
        };
        bfchar.push_str(&format!("<{:04X}> <{target}>\n", cid(c)));
    }
    let cmap = format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n{} beginbfchar\n{bfchar}endbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n",
        chars.len()
    );
    let (bien, ban) = ("Biên", "bản");
    let content = format!(
        "BT /F1 14 Tf 1 0 0 1 72 770 Tm <{}> Tj ET\nBT /F1 14 Tf 1 0 0 1 72 740 Tm [<{}> -320 <{}>] TJ ET",
        hex(VIETNAMESE_LINE),
        hex(bien),
        hex(ban)
    );
    let objects_after = vec![
        b"<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+DejaVuSans /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>".to_vec(),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+DejaVuSans /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 600 >>".to_vec(),
        stream_obj("/Filter /FlateDecode", &zlib(cmap.as_bytes())),
    ];
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        stream_obj("/Filter /FlateDecode", &zlib(content.as_bytes())),
    ];
    objects.extend(objects_after);
    pdf_of(&objects, "")
}

// ---------------------------------------------------------------------------------------
// PNG

pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    c.extend_from_slice(&crc32fast::hash(&crc_input).to_be_bytes());
    c
}

pub fn png_with_size(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &ihdr));
    png.extend(png_chunk(b"IDAT", &zlib(&[0, 255, 0, 0])));
    png.extend(png_chunk(b"IEND", b""));
    png
}

// ---------------------------------------------------------------------------------------
// Randomness

/// xorshift64*: deterministic, no dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}
