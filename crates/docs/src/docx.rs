//! DOCX: WordprocessingML written by hand into a ZIP container. Word or LibreOffice does the
//! layout; the measurements are the same as the PDF's (see `layout`).

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::fonts::{Fonts, Style};
use crate::layout::{self, *};
use crate::text::xml_escape;
use crate::{Align, Block, Document, Error, Orientation, Table};

const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Points to twentieths of a point (twips).
fn tw(pt: f32) -> i64 {
    (pt * 20.0).round() as i64
}

/// Points to half-points (font sizes).
fn half(pt: f32) -> i64 {
    (pt * 2.0).round() as i64
}

#[derive(Clone, Copy)]
struct Run {
    style: Style,
    size: f32,
    grey: bool,
}

impl Run {
    fn new(style: Style, size: f32) -> Self {
        Run { style, size, grey: false }
    }
}

/// Paragraph properties (written in schema order).
#[derive(Clone, Copy)]
struct PPr {
    align: &'static str,
    before: f32,
    after: f32,
    /// Line spacing as a multiple of single (`lineRule="auto"`).
    line: f32,
    first_line: f32,
    indent: f32,
    keep_next: bool,
    outline: Option<u8>,
}

impl PPr {
    fn new(align: &'static str) -> Self {
        PPr { align, before: 0.0, after: 0.0, line: 1.0, first_line: 0.0, indent: 0.0, keep_next: false, outline: None }
    }

    fn body() -> Self {
        PPr { after: PARAGRAPH_AFTER, line: BODY_LINE, first_line: FIRST_LINE_INDENT, ..PPr::new("both") }
    }
}

struct Writer<'f> {
    out: String,
    fonts: &'f Fonts,
}

impl Writer<'_> {
    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn esc(&mut self, s: &str) {
        xml_escape(s, &mut self.out);
    }

    fn ppr(&mut self, p: &PPr) {
        self.raw("<w:pPr>");
        if p.keep_next {
            self.raw("<w:keepNext/>");
        }
        let _ = write!(
            self.out,
            "<w:spacing w:before=\"{}\" w:after=\"{}\" w:line=\"{}\" w:lineRule=\"auto\"/>",
            tw(p.before),
            tw(p.after),
            (p.line * 240.0).round() as i64
        );
        if p.first_line > 0.0 || p.indent > 0.0 {
            let _ = write!(self.out, "<w:ind w:left=\"{0}\" w:right=\"{0}\" w:firstLine=\"{1}\"/>", tw(p.indent), tw(p.first_line));
        }
        let _ = write!(self.out, "<w:jc w:val=\"{}\"/>", p.align);
        if let Some(level) = p.outline {
            let _ = write!(self.out, "<w:outlineLvl w:val=\"{level}\"/>");
        }
        self.raw("</w:pPr>");
    }

    fn rpr(&mut self, r: Run) {
        self.raw("<w:rPr>");
        if r.style.is_bold() {
            self.raw("<w:b/><w:bCs/>");
        }
        if r.style.is_italic() {
            self.raw("<w:i/><w:iCs/>");
        }
        if r.grey {
            self.raw("<w:color w:val=\"666666\"/>");
        }
        let _ = write!(self.out, "<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/>", half(r.size));
        self.raw("</w:rPr>");
    }

    /// Runs of text; `'\n'` becomes a line break.
    fn runs(&mut self, text: &str, r: Run) {
        for (i, piece) in text.split('\n').enumerate() {
            self.raw("<w:r>");
            self.rpr(r);
            if i > 0 {
                self.raw("<w:br/>");
            }
            self.raw("<w:t xml:space=\"preserve\">");
            self.esc(piece);
            self.raw("</w:t></w:r>");
        }
    }

    fn para(&mut self, text: &str, p: &PPr, r: Run) {
        self.raw("<w:p>");
        self.ppr(p);
        self.runs(text, r);
        self.raw("</w:p>");
    }

    /// A centred paragraph broken into even lines here (explicit breaks), as in the PDF, so
    /// Word does not leave one word alone on the last line. Returns the widest line.
    fn balanced(&mut self, text: &str, p: &PPr, r: Run, width: f32) -> f32 {
        let lines = layout::wrap_balanced(self.fonts, r.style, r.size, text, width);
        let joined: Vec<String> = lines.iter().map(layout::Line::text).collect();
        self.para(&joined.join("\n"), p, r);
        widest(&lines)
    }

    /// A short horizontal rule: the top border of an empty paragraph, centred in `box_w`.
    fn rule(&mut self, box_w: f32, rule_w: f32, height: f32) {
        let side = ((box_w - rule_w) / 2.0).max(0.0);
        let _ = write!(
            self.out,
            "<w:p><w:pPr><w:pBdr><w:top w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>\
             <w:spacing w:before=\"60\" w:after=\"0\" w:line=\"{h}\" w:lineRule=\"exact\"/>\
             <w:ind w:left=\"{s}\" w:right=\"{s}\"/><w:rPr><w:sz w:val=\"2\"/><w:szCs w:val=\"2\"/></w:rPr></w:pPr></w:p>",
            h = tw(height).max(20),
            s = tw(side)
        );
    }

    /// An empty paragraph of a fixed height (spacing between tables, and after the last table).
    fn spacer(&mut self, height: f32) {
        let _ = write!(
            self.out,
            "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"{}\" w:lineRule=\"exact\"/>\
             <w:rPr><w:sz w:val=\"2\"/><w:szCs w:val=\"2\"/></w:rPr></w:pPr></w:p>",
            tw(height).max(20)
        );
    }

    /// `<w:tbl>` with its properties and grid; `borders` draws single lines everywhere.
    fn table_start(&mut self, widths: &[f32], borders: bool, pad_x: f32, pad_y: f32) {
        let total: f32 = widths.iter().sum();
        let _ = write!(self.out, "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblInd w:w=\"0\" w:type=\"dxa\"/>", tw(total));
        let line = if borders { "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"" } else { "w:val=\"nil\"" };
        self.raw("<w:tblBorders>");
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            let _ = write!(self.out, "<w:{side} {line}/>");
        }
        self.raw("</w:tblBorders><w:tblLayout w:type=\"fixed\"/>");
        let _ = write!(
            self.out,
            "<w:tblCellMar><w:top w:w=\"{y}\" w:type=\"dxa\"/><w:left w:w=\"{x}\" w:type=\"dxa\"/>\
             <w:bottom w:w=\"{y}\" w:type=\"dxa\"/><w:right w:w=\"{x}\" w:type=\"dxa\"/></w:tblCellMar>",
            x = tw(pad_x),
            y = tw(pad_y)
        );
        self.raw("<w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>");
        for w in widths {
            let _ = write!(self.out, "<w:gridCol w:w=\"{}\"/>", tw(*w));
        }
        self.raw("</w:tblGrid>");
    }

    fn cell_start(&mut self, w: f32, middle: bool) {
        let _ = write!(self.out, "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>", tw(w));
        if middle {
            self.raw("<w:vAlign w:val=\"center\"/>");
        }
        self.raw("</w:tcPr>");
    }

    fn header(&mut self, doc: &Document, content_w: f32) {
        let cols = header_columns(self.fonts, content_w);
        let (lw, rw) = (cols.left - 2.0 * CELL_PAD_X, cols.right - 2.0 * CELL_PAD_X);
        self.table_start(&[cols.left, cols.right], false, CELL_PAD_X, 0.0);
        self.raw("<w:tr>");

        self.cell_start(cols.left, false);
        let centre = PPr::new("center");
        if let Some(parent) = &doc.issuer_parent {
            self.balanced(parent, &centre, Run::new(Style::Regular, ISSUER_SIZE), lw);
        }
        let issuer_w = self.balanced(&doc.issuer, &centre, Run::new(Style::Bold, ISSUER_SIZE), lw);
        self.rule(lw, (issuer_w * 0.4).max(12.0 * MM), 6.0);
        self.raw("</w:tc>");

        self.cell_start(cols.right, false);
        self.para(NATION, &centre, Run::new(Style::Bold, cols.nation_size));
        self.para(MOTTO, &centre, Run::new(Style::Bold, MOTTO_SIZE));
        self.rule(rw, self.fonts.width(Style::Bold, MOTTO_SIZE, MOTTO), 6.0);
        self.raw("</w:tc></w:tr>");

        // Number and place/date on one line.
        self.raw("<w:tr>");
        self.cell_start(cols.left, false);
        let spaced = PPr { before: 2.0, ..centre };
        self.para(doc.number.as_deref().unwrap_or(""), &spaced, Run::new(Style::Regular, ISSUER_SIZE));
        self.raw("</w:tc>");
        self.cell_start(cols.right, false);
        self.balanced(&doc.place_date, &spaced, Run::new(Style::Italic, BODY_SIZE), rw);
        self.raw("</w:tc></w:tr></w:tbl>");
    }

    fn title(&mut self, doc: &Document, content_w: f32) {
        let mut first = true;
        let mut widest_line = 0.0_f32;
        for (text, share) in [(Some(doc.kind_title.as_str()), 1.0), (doc.subject.as_deref(), 0.85)] {
            let Some(text) = text.filter(|t| !t.is_empty()) else { continue };
            let w = content_w * share;
            let p = PPr { before: if first { 18.0 } else { 0.0 }, ..PPr::new("center") };
            widest_line = self.balanced(text, &p, Run::new(Style::Bold, BODY_SIZE), w);
            first = false;
        }
        if first {
            self.spacer(18.0);
        } else {
            self.rule(content_w, (widest_line * 0.35).max(12.0 * MM), 14.0);
        }
    }

    fn table(&mut self, t: &Table, content_w: f32) {
        let ratios: Vec<u16> = t.columns.iter().map(|c| c.width_ratio).collect();
        let widths = column_widths(&ratios, content_w);
        self.table_start(&widths, true, CELL_PAD_X, CELL_PAD_Y);
        self.raw("<w:tr><w:trPr><w:tblHeader/></w:trPr>");
        let cell = PPr::new("center");
        for (c, &w) in t.columns.iter().zip(&widths) {
            self.cell_start(w, true);
            self.para(&c.title, &cell, Run::new(Style::Bold, TABLE_SIZE));
            self.raw("</w:tc>");
        }
        self.raw("</w:tr>");
        for row in &t.rows {
            // Rows move to the next page whole, as in the PDF.
            self.raw("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            for ((text, &w), c) in row.iter().zip(&widths).zip(&t.columns) {
                self.cell_start(w, false);
                let align = match c.align {
                    Align::Left => "left",
                    Align::Center => "center",
                    Align::Right => "right",
                };
                self.para(text, &PPr::new(align), Run::new(Style::Regular, TABLE_SIZE));
                self.raw("</w:tc>");
            }
            self.raw("</w:tr>");
        }
        self.raw("</w:tbl>");
        // Two tables in a row would merge into one: keep a paragraph between them.
        self.spacer(PARAGRAPH_AFTER);
    }

    fn closing(&mut self, doc: &Document, content_w: f32) {
        let right = content_w * SIGNATURE_SHARE;
        let left = content_w - right;
        self.table_start(&[left, right], false, 0.0, 0.0);
        self.raw("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        self.cell_start(left, false);
        let plain = PPr::new("left");
        if doc.recipients.is_empty() {
            self.para("", &plain, Run::new(Style::Regular, RECIPIENTS_SIZE));
        } else {
            self.para(RECIPIENTS_TITLE, &PPr { before: 6.0, ..plain }, Run::new(Style::BoldItalic, RECIPIENTS_TITLE_SIZE));
            for r in &doc.recipients {
                self.para(r, &plain, Run::new(Style::Regular, RECIPIENTS_SIZE));
            }
        }
        self.raw("</w:tc>");
        self.cell_start(right, false);
        let centre = PPr::new("center");
        let mut heads: Vec<&str> = doc.signature.authority.iter().flat_map(|a| a.split('\n')).collect();
        heads.push(&doc.signature.title);
        heads.retain(|h| !h.is_empty());
        let n = heads.len();
        for (i, h) in heads.iter().enumerate() {
            let mut p = PPr { before: if i == 0 { 6.0 } else { 0.0 }, ..centre };
            if i + 1 == n {
                p.after = SIGNATURE_SPACE;
            }
            self.para(h, &p, Run::new(Style::Bold, BODY_SIZE));
        }
        let p = PPr { before: if n == 0 { SIGNATURE_SPACE } else { 0.0 }, ..centre };
        self.para(&doc.signature.name, &p, Run::new(Style::Bold, BODY_SIZE));
        self.raw("</w:tc></w:tr></w:tbl>");
    }

    fn section(&mut self, doc: &Document) {
        let geo = Geometry::new(doc.orientation);
        self.raw("<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId3\"/><w:headerReference w:type=\"first\" r:id=\"rId4\"/>");
        if doc.draft_watermark.is_some() {
            self.raw("<w:footerReference w:type=\"default\" r:id=\"rId5\"/><w:footerReference w:type=\"first\" r:id=\"rId6\"/>");
        }
        let orient = if doc.orientation == Orientation::Landscape { " w:orient=\"landscape\"" } else { "" };
        let _ = write!(
            self.out,
            "<w:pgSz w:w=\"{}\" w:h=\"{}\"{orient}/>\
             <w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" w:header=\"{}\" w:footer=\"{}\" w:gutter=\"0\"/>\
             <w:titlePg/></w:sectPr>",
            tw(geo.page_w),
            tw(geo.page_h),
            tw(MARGIN_TOP),
            tw(MARGIN_RIGHT),
            tw(MARGIN_BOTTOM),
            tw(MARGIN_LEFT),
            tw(10.0 * MM),
            tw(6.0 * MM),
        );
    }
}

fn document_xml(doc: &Document, fonts: &Fonts) -> String {
    let content_w = Geometry::new(doc.orientation).content_w();
    let mut w = Writer { out: String::with_capacity(64 * 1024), fonts };
    w.raw(XML_DECL);
    let _ = write!(w.out, "<w:document xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\"><w:body>");
    w.header(doc, content_w);
    w.title(doc, content_w);
    let last = doc.blocks.len().saturating_sub(1);
    for (i, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Heading(t) => {
                let p = PPr { keep_next: true, outline: Some(1), before: PARAGRAPH_AFTER, ..PPr::body() };
                w.para(t, &p, Run::new(Style::Bold, BODY_SIZE));
            }
            Block::Paragraph(t) | Block::Bullet(t) => {
                // The last paragraph stays with the signature: never a signature alone on a page.
                let p = PPr { keep_next: i == last, ..PPr::body() };
                w.para(t, &p, Run::new(Style::Regular, BODY_SIZE));
            }
            Block::Table(t) => w.table(t, content_w),
        }
    }
    w.closing(doc, content_w);
    // The body must end with a paragraph, not a table.
    w.spacer(1.0);
    w.section(doc);
    w.raw("</w:body></w:document>");
    w.out
}

fn styles_xml() -> String {
    format!(
        "{XML_DECL}<w:styles xmlns:w=\"{NS_W}\"><w:docDefaults><w:rPrDefault><w:rPr>\
         <w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>\
         <w:sz w:val=\"{s}\"/><w:szCs w:val=\"{s}\"/><w:lang w:val=\"vi-VN\" w:eastAsia=\"en-US\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:widowControl/><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
         <w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/>\
         <w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
         </w:styles>",
        s = half(BODY_SIZE)
    )
}

const SETTINGS_XML: &str = "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
<w:themeFontLang w:val=\"vi-VN\"/></w:settings>";

/// The page-number header (pages 2 onwards; page 1 has the empty "first" header).
fn header_xml(numbered: bool) -> String {
    let mut s = format!("{XML_DECL}<w:hdr xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\"><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>");
    if numbered {
        let _ = write!(
            s,
            "<w:fldSimple w:instr=\" PAGE \"><w:r><w:rPr><w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/></w:rPr><w:t>2</w:t></w:r></w:fldSimple>",
            half(PAGE_NUMBER_SIZE)
        );
    }
    s.push_str("</w:p></w:hdr>");
    s
}

fn footer_xml(note: &str, fonts: &Fonts) -> String {
    let mut w = Writer { out: String::new(), fonts };
    w.raw(XML_DECL);
    let _ = write!(w.out, "<w:ftr xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\">");
    w.para(note, &PPr::new("center"), Run { grey: true, ..Run::new(Style::Italic, NOTE_SIZE) });
    w.raw("</w:ftr>");
    w.out
}

fn content_types(footers: bool) -> String {
    let mut s = format!(
        "{XML_DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
         <Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
         <Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
         <Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
         <Override PartName=\"/word/header2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
    );
    if footers {
        s.push_str(
            "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
             <Override PartName=\"/word/footer2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>",
        );
    }
    s.push_str(
        "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/></Types>",
    );
    s
}

const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
</Relationships>";

fn document_rels(footers: bool) -> String {
    let t = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut s = format!(
        "{XML_DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"{t}/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"{t}/settings\" Target=\"settings.xml\"/>\
         <Relationship Id=\"rId3\" Type=\"{t}/header\" Target=\"header1.xml\"/>\
         <Relationship Id=\"rId4\" Type=\"{t}/header\" Target=\"header2.xml\"/>"
    );
    if footers {
        let _ = write!(
            s,
            "<Relationship Id=\"rId5\" Type=\"{t}/footer\" Target=\"footer1.xml\"/>\
             <Relationship Id=\"rId6\" Type=\"{t}/footer\" Target=\"footer2.xml\"/>"
        );
    }
    s.push_str("</Relationships>");
    s
}

fn core_xml(doc: &Document) -> String {
    let mut title = doc.kind_title.clone();
    if let Some(s) = &doc.subject {
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(s);
    }
    let mut s = format!(
        "{XML_DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>"
    );
    xml_escape(&title, &mut s);
    s.push_str("</dc:title><dc:creator>");
    xml_escape(&doc.issuer, &mut s);
    s.push_str("</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>");
    s
}

pub(crate) fn render(doc: &Document) -> Result<Vec<u8>, Error> {
    let fonts = Fonts::load()?;
    let footers = doc.draft_watermark.is_some();
    let mut parts: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", content_types(footers)),
        ("_rels/.rels", PACKAGE_RELS.to_string()),
        ("docProps/core.xml", core_xml(doc)),
        ("word/document.xml", document_xml(doc, &fonts)),
        ("word/_rels/document.xml.rels", document_rels(footers)),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", format!("{XML_DECL}{SETTINGS_XML}")),
        ("word/header1.xml", header_xml(true)),
        ("word/header2.xml", header_xml(false)),
    ];
    if let Some(note) = &doc.draft_watermark {
        parts.push(("word/footer1.xml", footer_xml(note, &fonts)));
        parts.push(("word/footer2.xml", footer_xml(note, &fonts)));
    }

    let zip_err = |e: zip::result::ZipError| Error::Zip(e.to_string());
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // A fixed timestamp (1980-01-01) keeps the output byte-for-byte reproducible.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::DEFAULT)
        .unix_permissions(0o644);
    for (name, xml) in &parts {
        zip.start_file(*name, options).map_err(zip_err)?;
        zip.write_all(xml.as_bytes()).map_err(|e| Error::Zip(e.to_string()))?;
    }
    Ok(zip.finish().map_err(zip_err)?.into_inner())
}
