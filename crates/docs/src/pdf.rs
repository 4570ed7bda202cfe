//! PDF: page layout done here, objects written with pdf-writer, fonts subset with subsetter and
//! embedded as CID fonts (Identity-H) with a ToUnicode map, so text can be extracted and searched.

use std::collections::BTreeMap;
use std::io::Write;

use flate2::write::ZlibEncoder;
use flate2::Compression;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Settings, Str, TextStr};
use subsetter::GlyphRemapper;

use crate::fonts::{Fonts, Style};
use crate::layout::{self, Geometry, Line, *};
use crate::{Align, Block, Document, Error, Table};

/// Something drawn on a page. `y` is measured down from the top of the page, in points.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    /// One line of text; `word_extra` is added after every space (justification).
    Text { x: f32, y: f32, style: Style, size: f32, text: String, word_extra: f32, gray: Option<f32> },
    /// A straight line.
    Rule { x1: f32, y1: f32, x2: f32, y2: f32, width: f32 },
    /// A rectangle, filled black (`stroke: None`, e.g. a QR code's module) or outlined with a line
    /// of that width (e.g. a box to tick); `(x, y)` is its top-left corner.
    Rect { x: f32, y: f32, w: f32, h: f32, stroke: Option<f32> },
}

#[derive(Debug, Default)]
pub(crate) struct Page {
    pub(crate) ops: Vec<Op>,
}

/// Horizontal placement of a line.
#[derive(Debug, Clone, Copy, PartialEq)]
enum HAlign {
    Left,
    Center,
    Right,
    Justify,
}

impl From<Align> for HAlign {
    fn from(a: Align) -> Self {
        match a {
            Align::Left => HAlign::Left,
            Align::Center => HAlign::Center,
            Align::Right => HAlign::Right,
        }
    }
}

/// A paragraph to set.
struct Para<'t> {
    text: &'t str,
    style: Style,
    size: f32,
    align: HAlign,
    first_indent: f32,
    /// Line spacing, multiple of single.
    line: f32,
    before: f32,
    after: f32,
    /// Keep this paragraph on the same page as the next few lines (headings).
    keep_next: f32,
}

/// Where a line of the latest body paragraph was set, so it can move along with the signature.
#[derive(Debug, Clone, Copy)]
struct LineMark {
    page: usize,
    /// Index of its text operation on that page (`None` for an empty line).
    op: Option<usize>,
    top: f32,
    height: f32,
}

/// Flows content onto pages.
struct Composer<'f> {
    fonts: &'f Fonts,
    geo: Geometry,
    pages: Vec<Page>,
    /// Top of the free space on the current page.
    y: f32,
    /// Lines of the latest body paragraph, when nothing has been drawn after it.
    last_lines: Vec<LineMark>,
    /// Lines moved to the next page to go with the signature.
    carried: usize,
}

impl<'f> Composer<'f> {
    fn new(fonts: &'f Fonts, geo: Geometry) -> Self {
        Composer { fonts, geo, pages: vec![Page::default()], y: MARGIN_TOP, last_lines: Vec::new(), carried: 0 }
    }

    fn left(&self) -> f32 {
        MARGIN_LEFT
    }

    fn width(&self) -> f32 {
        self.geo.content_w()
    }

    fn bottom(&self) -> f32 {
        self.geo.page_h - MARGIN_BOTTOM
    }

    fn room(&self) -> f32 {
        self.bottom() - self.y
    }

    fn at_top(&self) -> bool {
        self.y <= MARGIN_TOP + 0.01
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = MARGIN_TOP;
    }

    /// Starts a new page unless `height` fits (or the page is still empty).
    fn ensure(&mut self, height: f32) {
        if height > self.room() + 0.01 && !self.at_top() {
            self.new_page();
        }
    }

    fn push(&mut self, op: Op) {
        self.last_lines.clear();
        self.pages.last_mut().expect("there is always a page").ops.push(op);
    }

    /// Draws a line of text in the box `[x, x + w]` whose top is `top`.
    #[allow(clippy::too_many_arguments)]
    fn line_at(&mut self, line: &Line, x: f32, w: f32, top: f32, style: Style, size: f32, align: HAlign, multiple: f32) {
        if line.words.is_empty() {
            return;
        }
        let (x, extra) = match align {
            HAlign::Left => (x, 0.0),
            HAlign::Center => (x + (w - line.width) / 2.0, 0.0),
            HAlign::Right => (x + w - line.width, 0.0),
            HAlign::Justify if !line.last && line.words.len() > 1 => (x, (w - line.width).max(0.0) / (line.words.len() - 1) as f32),
            HAlign::Justify => (x, 0.0),
        };
        let y = top + baseline_offset(self.fonts, size, multiple);
        self.push(Op::Text { x, y, style, size, text: line.text(), word_extra: extra, gray: None });
    }

    fn rule(&mut self, x1: f32, x2: f32, y: f32, width: f32) {
        self.push(Op::Rule { x1, y1: y, x2, y2: y, width });
    }

    /// A centred rule under text, `share` of its width.
    fn centered_rule(&mut self, center: f32, text_w: f32, share: f32, y: f32) {
        let w = (text_w * share).max(12.0 * MM);
        self.rule(center - w / 2.0, center + w / 2.0, y, 0.6);
    }

    fn paragraph(&mut self, p: &Para<'_>) {
        let (x, w) = (self.left(), self.width());
        let lines = layout::wrap(self.fonts, p.style, p.size, p.text, w - p.first_indent, w);
        let lh = line_height(self.fonts, p.size, p.line);
        if !self.at_top() {
            self.y += p.before;
        }
        // No single first line at the foot of a page (orphan), and headings go with what follows.
        let first_block = if lines.len() >= 2 { 2.0 * lh } else { lh };
        self.ensure(first_block + p.keep_next);
        let n = lines.len();
        let mut marks = Vec::with_capacity(n);
        for (i, line) in lines.iter().enumerate() {
            // No single last line at the head of a page (widow).
            let need = if n >= 3 && i == n - 2 { 2.0 * lh } else { lh };
            if need > self.room() + 0.01 {
                self.new_page();
            }
            let indent = if i == 0 { p.first_indent } else { 0.0 };
            let top = self.y;
            let page = self.pages.len() - 1;
            let before = self.pages[page].ops.len();
            self.line_at(line, x + indent, w - indent, top, p.style, p.size, p.align, p.line);
            let op = (self.pages[page].ops.len() > before).then_some(before);
            marks.push(LineMark { page, op, top, height: lh });
            self.y += lh;
        }
        self.y += p.after;
        self.last_lines = marks;
    }

    fn body_para(&mut self, text: &str, style: Style, keep_next: f32, before: f32) {
        self.paragraph(&Para {
            text,
            style,
            size: BODY_SIZE,
            align: HAlign::Justify,
            first_indent: FIRST_LINE_INDENT,
            line: BODY_LINE,
            before,
            after: PARAGRAPH_AFTER,
            keep_next,
        });
    }

    /// Lines of a centred block inside a column; returns the widest line.
    #[allow(clippy::too_many_arguments)]
    fn column_text(&mut self, text: &str, style: Style, size: f32, x: f32, w: f32, y: &mut f32, align: HAlign) -> f32 {
        let lines = layout::wrap_balanced(self.fonts, style, size, text, w);
        let lh = line_height(self.fonts, size, 1.0);
        for line in &lines {
            self.line_at(line, x, w, *y, style, size, align, 1.0);
            *y += lh;
        }
        widest(&lines)
    }

    /// First-page header: issuing body and number on the left, national name, motto, place and date on the right.
    fn header(&mut self, doc: &Document) {
        let cols = header_columns(self.fonts, self.width());
        let (lx, lw) = (self.left() + CELL_PAD_X, cols.left - 2.0 * CELL_PAD_X);
        let (rx, rw) = (self.left() + cols.left + CELL_PAD_X, cols.right - 2.0 * CELL_PAD_X);
        let top = self.y;

        let mut ly = top;
        if let Some(parent) = &doc.issuer_parent {
            self.column_text(parent, Style::Regular, ISSUER_SIZE, lx, lw, &mut ly, HAlign::Center);
        }
        let issuer_w = self.column_text(&doc.issuer, Style::Bold, ISSUER_SIZE, lx, lw, &mut ly, HAlign::Center);
        ly += 3.0;
        self.centered_rule(lx + lw / 2.0, issuer_w, 0.4, ly);

        let mut ry = top;
        self.column_text(NATION, Style::Bold, cols.nation_size, rx, rw, &mut ry, HAlign::Center);
        let motto_w = self.column_text(MOTTO, Style::Bold, MOTTO_SIZE, rx, rw, &mut ry, HAlign::Center);
        ry += 3.0;
        self.centered_rule(rx + rw / 2.0, motto_w, 1.0, ry);

        // The number and the place and date share a line.
        let mut y = ly.max(ry) + 8.0;
        let mut left_y = y;
        if let Some(number) = &doc.number {
            self.column_text(number, Style::Regular, ISSUER_SIZE, lx, lw, &mut left_y, HAlign::Center);
        }
        let mut right_y = y + (line_height(self.fonts, ISSUER_SIZE, 1.0) - line_height(self.fonts, BODY_SIZE, 1.0)) / 2.0;
        if !doc.place_date.is_empty() {
            self.column_text(&doc.place_date, Style::Italic, BODY_SIZE, rx, rw, &mut right_y, HAlign::Center);
        }
        y = left_y.max(right_y);
        self.y = y;
    }

    /// Document kind and subject, centred, with a short rule under them.
    fn title(&mut self, doc: &Document) {
        let (x, w) = (self.left(), self.width());
        let lh = line_height(self.fonts, BODY_SIZE, 1.0);
        self.y += 18.0;
        let mut widest_line = 0.0_f32;
        let mut any = false;
        for (text, width) in [(Some(doc.kind_title.as_str()), w), (doc.subject.as_deref(), w * 0.85)] {
            let Some(text) = text.filter(|t| !t.is_empty()) else { continue };
            any = true;
            let lines = layout::wrap_balanced(self.fonts, Style::Bold, BODY_SIZE, text, width);
            for line in &lines {
                let top = self.y;
                self.line_at(line, x, w, top, Style::Bold, BODY_SIZE, HAlign::Center, 1.0);
                self.y += lh;
            }
            widest_line = widest(&lines);
        }
        if any {
            self.y += 3.0;
            self.centered_rule(x + w / 2.0, widest_line, 0.35, self.y);
        }
        self.y += 14.0;
    }

    fn table(&mut self, t: &Table) {
        let (x0, w) = (self.left(), self.width());
        let ratios: Vec<u16> = t.columns.iter().map(|c| c.width_ratio).collect();
        let widths = column_widths(&ratios, w);
        let lh = line_height(self.fonts, TABLE_SIZE, 1.0);
        let wrap_cell = |text: &str, style: Style, col_w: f32| {
            let inner = (col_w - 2.0 * CELL_PAD_X).max(1.0);
            layout::wrap(self.fonts, style, TABLE_SIZE, text, inner, inner)
        };
        let header: Vec<Vec<Line>> = t.columns.iter().zip(&widths).map(|(c, &cw)| wrap_cell(&c.title, Style::Bold, cw)).collect();
        let header_lines = header.iter().map(Vec::len).max().unwrap_or(1);
        let header_h = header_lines as f32 * lh + 2.0 * CELL_PAD_Y;
        let aligns: Vec<HAlign> = t.columns.iter().map(|c| c.align.into()).collect();
        let center = vec![HAlign::Center; widths.len()];
        let page_body = self.geo.page_h - MARGIN_TOP - MARGIN_BOTTOM;

        let first_row_h = t.rows.first().map_or(0.0, |r| {
            let lines = r.iter().zip(&widths).map(|(c, &cw)| wrap_cell(c, Style::Regular, cw).len()).max().unwrap_or(1);
            (lines as f32 * lh + 2.0 * CELL_PAD_Y).min(page_body / 2.0)
        });
        self.ensure(header_h + first_row_h);
        self.table_row(x0, &widths, &header, header_lines, Style::Bold, &center, true);

        for row in &t.rows {
            let cells: Vec<Vec<Line>> = row.iter().zip(&widths).map(|(c, &cw)| wrap_cell(c, Style::Regular, cw)).collect();
            let mut from = 0;
            let total = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            while from < total {
                let left = total - from;
                let need = left as f32 * lh + 2.0 * CELL_PAD_Y;
                if need <= self.room() + 0.01 {
                    let part: Vec<Vec<Line>> = cells.iter().map(|c| c.iter().skip(from).cloned().collect()).collect();
                    self.table_row(x0, &widths, &part, left, Style::Regular, &aligns, false);
                    break;
                }
                let fits = ((self.room() - 2.0 * CELL_PAD_Y) / lh).floor().max(0.0) as usize;
                let fresh = page_body - header_h;
                let fresh_at_top = self.y <= MARGIN_TOP + header_h + 0.01;
                if (need <= fresh || fits == 0) && !fresh_at_top {
                    // The row fits on the next page: move it there, under a repeated header.
                    self.new_page();
                    self.table_row(x0, &widths, &header, header_lines, Style::Bold, &center, true);
                    continue;
                }
                // Taller than a page: split it between lines.
                let take = fits.max(1);
                let part: Vec<Vec<Line>> = cells.iter().map(|c| c.iter().skip(from).take(take).cloned().collect()).collect();
                self.table_row(x0, &widths, &part, take, Style::Regular, &aligns, false);
                from += take;
                self.new_page();
                self.table_row(x0, &widths, &header, header_lines, Style::Bold, &center, true);
            }
        }
        self.y += PARAGRAPH_AFTER;
    }

    /// Draws one row (or part of one) with its borders at the current position.
    #[allow(clippy::too_many_arguments)]
    fn table_row(&mut self, x0: f32, widths: &[f32], cells: &[Vec<Line>], lines: usize, style: Style, aligns: &[HAlign], middle: bool) {
        let lh = line_height(self.fonts, TABLE_SIZE, 1.0);
        let h = lines as f32 * lh + 2.0 * CELL_PAD_Y;
        let top = self.y;
        let mut x = x0;
        for ((cell, &cw), &align) in cells.iter().zip(widths).zip(aligns) {
            let offset = if middle { (lines - cell.len().min(lines)) as f32 * lh / 2.0 } else { 0.0 };
            for (i, line) in cell.iter().enumerate() {
                let line_top = top + CELL_PAD_Y + offset + i as f32 * lh;
                self.line_at(line, x + CELL_PAD_X, cw - 2.0 * CELL_PAD_X, line_top, style, TABLE_SIZE, align, 1.0);
            }
            x += cw;
        }
        let right = x0 + widths.iter().sum::<f32>();
        self.rule(x0, right, top, 0.5);
        self.rule(x0, right, top + h, 0.5);
        let mut x = x0;
        for cw in std::iter::once(&0.0).chain(widths) {
            x += cw;
            self.push(Op::Rule { x1: x, y1: top, x2: x, y2: top + h, width: 0.5 });
        }
        self.y += h;
    }

    /// "Nơi nhận:" on the left and the signature on the right, kept together on one page.
    fn closing(&mut self, doc: &Document) {
        let w = self.width();
        let right_w = w * SIGNATURE_SHARE;
        let left_w = w - right_w;
        let (lx, rx) = (self.left(), self.left() + left_w);

        let title_lh = line_height(self.fonts, RECIPIENTS_TITLE_SIZE, 1.0);
        let item_lh = line_height(self.fonts, RECIPIENTS_SIZE, 1.0);
        let items: Vec<Vec<Line>> = doc
            .recipients
            .iter()
            .map(|r| layout::wrap(self.fonts, Style::Regular, RECIPIENTS_SIZE, r, left_w - 6.0, left_w - 6.0))
            .collect();
        let left_h = if doc.recipients.is_empty() { 0.0 } else { title_lh + items.iter().map(|i| i.len() as f32 * item_lh).sum::<f32>() };

        let sig_lh = line_height(self.fonts, BODY_SIZE, 1.0);
        let mut heads: Vec<Vec<Line>> = Vec::new();
        for text in doc.signature.authority.iter().flat_map(|a| a.split('\n')).chain(std::iter::once(doc.signature.title.as_str())) {
            if !text.is_empty() {
                heads.push(layout::wrap(self.fonts, Style::Bold, BODY_SIZE, text, right_w, right_w));
            }
        }
        let head_lines: usize = heads.iter().map(Vec::len).sum();
        let right_h = head_lines as f32 * sig_lh + SIGNATURE_SPACE + sig_lh;

        self.y += 6.0;
        if left_h.max(right_h) > self.room() + 0.01 && !self.at_top() {
            // Never a signature alone on the last page: the end of the text goes with it.
            self.carry_last_lines();
        }
        let top = self.y;

        if !doc.recipients.is_empty() {
            let mut y = top;
            let title = Line {
                words: RECIPIENTS_TITLE.split(' ').map(str::to_string).collect(),
                width: self.fonts.width(Style::BoldItalic, RECIPIENTS_TITLE_SIZE, RECIPIENTS_TITLE),
                last: true,
            };
            self.line_at(&title, lx, left_w, y, Style::BoldItalic, RECIPIENTS_TITLE_SIZE, HAlign::Left, 1.0);
            y += title_lh;
            for item in &items {
                for line in item {
                    self.line_at(line, lx, left_w, y, Style::Regular, RECIPIENTS_SIZE, HAlign::Left, 1.0);
                    y += item_lh;
                }
            }
        }

        let mut y = top;
        for lines in &heads {
            for line in lines {
                self.line_at(line, rx, right_w, y, Style::Bold, BODY_SIZE, HAlign::Center, 1.0);
                y += sig_lh;
            }
        }
        y += SIGNATURE_SPACE;
        let name = layout::wrap(self.fonts, Style::Bold, BODY_SIZE, &doc.signature.name, right_w, right_w);
        for line in &name {
            self.line_at(line, rx, right_w, y, Style::Bold, BODY_SIZE, HAlign::Center, 1.0);
            y += sig_lh;
        }
        self.y = top + left_h.max(y - top);
    }

    /// Starts a new page and moves onto it the last lines of the paragraph just set (two lines,
    /// or all of them on that page rather than leave one behind, but never all of a page).
    fn carry_last_lines(&mut self) {
        let current = self.pages.len() - 1;
        let marks: Vec<LineMark> = self.last_lines.iter().copied().filter(|m| m.page == current).collect();
        let mut take = marks.len().min(2);
        if marks.len() == take + 1 {
            take = marks.len();
        }
        let moved = &marks[marks.len() - take..];
        let Some(first) = moved.first().copied() else {
            self.new_page();
            return;
        };
        if first.top <= MARGIN_TOP + 0.01 {
            // The page would be left empty.
            self.new_page();
            return;
        }
        // Nothing is drawn after the paragraph (`push` forgets the marks), so its lines are the
        // last operations of the page.
        let cut = moved.iter().filter_map(|m| m.op).min().unwrap_or(self.pages[current].ops.len());
        let ops: Vec<Op> = self.pages[current].ops.drain(cut..).collect();
        self.new_page();
        let shift = MARGIN_TOP - first.top;
        for mut op in ops {
            if let Op::Text { y, .. } = &mut op {
                *y += shift;
            }
            self.pages[current + 1].ops.push(op);
        }
        self.y = MARGIN_TOP + moved.iter().map(|m| m.height).sum::<f32>() + PARAGRAPH_AFTER + 6.0;
        self.last_lines.clear();
        self.carried += take;
    }

    /// Page numbers from page 2 (top centre) and the footer note on every page.
    fn decorate(&mut self, note: Option<&str>) {
        let count = self.pages.len();
        let (x, w) = (self.left(), self.width());
        let number_y = MARGIN_TOP * 0.7;
        let note_y = self.geo.page_h - MARGIN_BOTTOM * 0.45;
        for index in 0..count {
            let mut ops = Vec::new();
            if index > 0 {
                let text = (index + 1).to_string();
                let tw = self.fonts.width(Style::Regular, PAGE_NUMBER_SIZE, &text);
                ops.push(Op::Text {
                    x: x + (w - tw) / 2.0,
                    y: number_y,
                    style: Style::Regular,
                    size: PAGE_NUMBER_SIZE,
                    text,
                    word_extra: 0.0,
                    gray: None,
                });
            }
            if let Some(note) = note {
                let lines = layout::wrap(self.fonts, Style::Italic, NOTE_SIZE, note, w, w);
                let lh = line_height(self.fonts, NOTE_SIZE, 1.0);
                for (i, line) in lines.iter().enumerate() {
                    ops.push(Op::Text {
                        x: x + (w - line.width) / 2.0,
                        y: note_y + i as f32 * lh,
                        style: Style::Italic,
                        size: NOTE_SIZE,
                        text: line.text(),
                        word_extra: 0.0,
                        gray: Some(0.4),
                    });
                }
            }
            self.pages[index].ops.extend(ops);
        }
    }
}

/// The pages laid out.
struct Composed {
    geo: Geometry,
    pages: Vec<Page>,
    /// Lines moved along with the signature (see `Composer::carry_last_lines`); read by tests.
    #[cfg_attr(not(test), allow(dead_code))]
    carried: usize,
}

/// Lays the document out into pages.
fn compose(doc: &Document, fonts: &Fonts) -> Composed {
    let geo = Geometry::new(doc.orientation);
    let mut c = Composer::new(fonts, geo);
    c.header(doc);
    c.title(doc);
    let body_lh = line_height(fonts, BODY_SIZE, BODY_LINE);
    for block in &doc.blocks {
        match block {
            Block::Heading(t) => c.body_para(t, Style::Bold, 2.0 * body_lh, PARAGRAPH_AFTER),
            Block::Paragraph(t) | Block::Bullet(t) => c.body_para(t, Style::Regular, 0.0, 0.0),
            Block::Table(t) => c.table(t),
        }
    }
    c.closing(doc);
    c.decorate(doc.draft_watermark.as_deref());
    Composed { geo, pages: c.pages, carried: c.carried }
}

/// Glyphs used from one face.
struct FontUse {
    remapper: GlyphRemapper,
    /// New glyph id → the character it stands for (the first one seen).
    unicode: BTreeMap<u16, char>,
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut enc = ZlibEncoder::new(Vec::with_capacity(data.len() / 2), Compression::best());
    // Writing into a Vec cannot fail.
    enc.write_all(data).expect("in-memory write");
    enc.finish().expect("in-memory write")
}

/// A subset tag ("ABCDEF+") derived from the glyphs in the subset, so it is stable.
fn subset_tag(glyphs: impl Iterator<Item = u16>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for g in glyphs {
        for b in g.to_be_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    (0..6)
        .map(|_| {
            let c = char::from(b'A' + (h % 26) as u8);
            h /= 26;
            c
        })
        .collect()
}

pub(crate) fn render(doc: &Document) -> Result<Vec<u8>, Error> {
    let fonts = Fonts::load()?;
    let Composed { geo, pages, .. } = compose(doc, &fonts);
    let title = match &doc.subject {
        Some(s) if !doc.kind_title.is_empty() => format!("{} {s}", doc.kind_title),
        Some(s) => s.clone(),
        None => doc.kind_title.clone(),
    };
    write(&fonts, geo, &pages, &title, &doc.issuer)
}

/// Writes laid-out pages as a PDF (also used by the printable ballots, which are laid out by
/// their own module).
pub(crate) fn write(fonts: &Fonts, geo: Geometry, pages: &[Page], title: &str, author: &str) -> Result<Vec<u8>, Error> {
    // Content streams, assigning subset glyph ids as glyphs are met.
    let mut uses: [Option<FontUse>; 4] = [None, None, None, None];
    let mut contents = Vec::with_capacity(pages.len());
    for page in pages {
        let mut content = Content::new();
        for op in &page.ops {
            match op {
                Op::Text { x, y, style, size, text, word_extra, gray } => {
                    let usage =
                        uses[style.index()].get_or_insert_with(|| FontUse { remapper: GlyphRemapper::new(), unicode: BTreeMap::new() });
                    if let Some(g) = gray {
                        content.save_state();
                        content.set_fill_gray(*g);
                    }
                    content.begin_text();
                    content.set_font(Name(font_name(*style).as_bytes()), *size);
                    content.set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, geo.page_h - *y]);
                    // In a justified line a space is not drawn as a glyph but as a whole-number
                    // move of at least a space's width: extractors that count space glyphs and
                    // moves below -100 (lopdf) and those that look at gaps (pdf-extract,
                    // pdftotext) then all see exactly one space between the words.
                    let justified = *word_extra > 0.001;
                    let space_move = -(fonts.width(*style, 1000.0, " ") + word_extra * 1000.0 / size).round();
                    let mut shown = content.show_positioned();
                    let mut items = shown.items();
                    let mut run: Vec<u8> = Vec::new();
                    for ch in text.chars() {
                        if ch == ' ' && justified {
                            if !run.is_empty() {
                                items.show(Str(&run));
                                run.clear();
                            }
                            items.adjust(space_move);
                            continue;
                        }
                        let (gid, drawn) = fonts.glyph(*style, ch);
                        let new = usage.remapper.remap(gid);
                        usage.unicode.entry(new).or_insert(drawn);
                        run.extend_from_slice(&new.to_be_bytes());
                    }
                    if !run.is_empty() {
                        items.show(Str(&run));
                    }
                    drop(items);
                    drop(shown);
                    content.end_text();
                    if gray.is_some() {
                        content.restore_state();
                    }
                }
                Op::Rule { x1, y1, x2, y2, width } => {
                    content.set_line_width(*width);
                    content.move_to(*x1, geo.page_h - *y1);
                    content.line_to(*x2, geo.page_h - *y2);
                    content.stroke();
                }
                Op::Rect { x, y, w, h, stroke } => {
                    content.rect(*x, geo.page_h - *y - *h, *w, *h);
                    match stroke {
                        Some(width) => {
                            content.set_line_width(*width);
                            content.stroke();
                        }
                        None => {
                            content.fill_nonzero();
                        }
                    }
                }
            }
        }
        contents.push(content.finish());
    }

    let mut pdf = Pdf::with_settings(Settings { pretty: false });
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog_id = alloc();
    let tree_id = alloc();
    let info_id = alloc();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();
    let font_ids: Vec<Option<Ref>> = uses.iter().map(|u| u.as_ref().map(|_| alloc())).collect();

    let mut catalog = pdf.catalog(catalog_id);
    catalog.pages(tree_id);
    catalog.lang(TextStr("vi"));
    catalog.finish();
    pdf.document_info(info_id).title(TextStr(title)).author(TextStr(author)).producer(TextStr("danchu-docs"));
    pdf.pages(tree_id).kids(page_ids.iter().map(|(p, _)| *p)).count(i32::try_from(pages.len()).unwrap_or(i32::MAX));

    for ((page_id, content_id), content) in page_ids.iter().zip(&contents) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, geo.page_w, geo.page_h));
        page.parent(tree_id);
        page.contents(*content_id);
        let mut resources = page.resources();
        let mut fonts_dict = resources.fonts();
        for style in Style::ALL {
            if let Some(id) = font_ids[style.index()] {
                fonts_dict.pair(Name(font_name(style).as_bytes()), id);
            }
        }
        fonts_dict.finish();
        resources.finish();
        page.finish();
        let data = deflate(content);
        pdf.stream(*content_id, &data).filter(Filter::FlateDecode);
    }

    for style in Style::ALL {
        let (Some(usage), Some(type0_id)) = (&uses[style.index()], font_ids[style.index()]) else { continue };
        write_font(&mut pdf, &mut alloc, fonts, style, usage, type0_id)?;
    }

    Ok(pdf.finish())
}

fn font_name(style: Style) -> &'static str {
    match style {
        Style::Regular => "F0",
        Style::Bold => "F1",
        Style::Italic => "F2",
        Style::BoldItalic => "F3",
    }
}

/// Type0 font → CIDFontType2 (TrueType outlines) → descriptor → subset font file, plus ToUnicode.
fn write_font(
    pdf: &mut Pdf,
    alloc: &mut impl FnMut() -> Ref,
    fonts: &Fonts,
    style: Style,
    usage: &FontUse,
    type0_id: Ref,
) -> Result<(), Error> {
    let (cid_id, descriptor_id, file_id, cmap_id) = (alloc(), alloc(), alloc(), alloc());
    let face = fonts.face(style);
    let subset = subsetter::subset(style.data(), 0, &usage.remapper)
        .map_err(|e| Error::Font(format!("subsetting {}: {e}", style.postscript_name())))?;
    let base = format!("{}+{}", subset_tag(usage.remapper.remapped_gids()), style.postscript_name());
    let base = Name(base.as_bytes());

    pdf.type0_font(type0_id).base_font(base).encoding_predefined(Name(b"Identity-H")).descendant_font(cid_id).to_unicode(cmap_id);

    let widths: Vec<f32> = usage.remapper.remapped_gids().map(|old| fonts.advance(style, old).round()).collect();
    let system_info = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2).base_font(base).system_info(system_info).font_descriptor(descriptor_id);
    cid.cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(0, widths);
    cid.finish();

    let em = f32::from(face.units_per_em());
    let to_pdf = |v: i16| f32::from(v) * 1000.0 / em;
    let bbox = face.global_bounding_box();
    let mut flags = FontFlags::SERIF | FontFlags::SYMBOLIC;
    if style.is_italic() {
        flags |= FontFlags::ITALIC;
    }
    let cap = face.capital_height().unwrap_or(1341);
    pdf.font_descriptor(descriptor_id)
        .name(base)
        .family(Str(b"Liberation Serif"))
        .flags(flags)
        .bbox(Rect::new(to_pdf(bbox.x_min), to_pdf(bbox.y_min), to_pdf(bbox.x_max), to_pdf(bbox.y_max)))
        .italic_angle(face.italic_angle())
        .ascent(to_pdf(face.ascender()))
        .descent(to_pdf(face.descender()))
        .cap_height(to_pdf(cap))
        .stem_v(if style.is_bold() { 140.0 } else { 80.0 })
        .weight(if style.is_bold() { 700 } else { 400 })
        .font_file2(file_id);

    let compressed = deflate(&subset);
    let mut file = pdf.stream(file_id, &compressed);
    file.filter(Filter::FlateDecode);
    file.pair(Name(b"Length1"), i32::try_from(subset.len()).unwrap_or(i32::MAX));
    file.finish();

    let mut cmap =
        UnicodeCmap::new(Name(b"Adobe-Identity-UCS"), SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"UCS"), supplement: 0 });
    for (&gid, &c) in &usage.unicode {
        cmap.pair(gid, c);
    }
    let cmap = deflate(&cmap.finish());
    pdf.stream(cmap_id, &cmap).filter(Filter::FlateDecode);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_tags_are_six_capitals_and_stable() {
        let a = subset_tag([0u16, 5, 9].into_iter());
        assert_eq!(a.len(), 6);
        assert!(a.chars().all(|c| c.is_ascii_uppercase()));
        assert_eq!(a, subset_tag([0u16, 5, 9].into_iter()));
        assert_ne!(a, subset_tag([0u16, 5, 10].into_iter()));
    }

    fn is_body_line(op: &Op) -> Option<f32> {
        match op {
            Op::Text { style: Style::Regular, size, y, .. } if *size == BODY_SIZE => Some(*y),
            _ => None,
        }
    }

    #[test]
    fn the_signature_never_stands_alone_on_the_last_page() {
        let fonts = Fonts::load().unwrap();
        let mut carried = 0;
        for n in 1..60 {
            let mut doc = crate::sample_document();
            doc.blocks = (0..n)
                .map(|i| {
                    Block::Paragraph(format!(
                        "Đoạn {i}: Ủy ban nhân dân xã Hạc Thành ban hành Kế hoạch công khai thông tin năm 2026, bảo đảm \
                         quyền được biết của Nhân dân theo đúng hình thức và thời hạn quy định."
                    ))
                })
                .collect();
            let doc = crate::text::normalized(&doc).unwrap();
            let laid = compose(&doc, &fonts);
            carried += laid.carried;
            let last = laid.pages.last().unwrap();
            let body: Vec<f32> = last.ops.iter().filter_map(is_body_line).collect();
            assert!(!body.is_empty(), "{n} paragraphs: the last page has only the signature");
            // The moved lines sit above the signature block, not on it.
            let signature_top = last
                .ops
                .iter()
                .filter_map(|op| match op {
                    Op::Text { style: Style::Bold, text, y, .. } if text == "TM. ỦY BAN NHÂN DÂN" => Some(*y),
                    _ => None,
                })
                .next()
                .unwrap();
            assert!(body.iter().all(|y| *y + BODY_SIZE < signature_top), "{n} paragraphs: text runs into the signature");
        }
        assert!(carried > 0, "no case moved lines: the test does not test the move");
    }

    #[test]
    fn justified_lines_fill_the_width_and_headers_repeat() {
        let doc = crate::text::normalized(&crate::sample_document()).unwrap();
        let fonts = Fonts::load().unwrap();
        let Composed { geo, pages, .. } = compose(&doc, &fonts);
        assert!(pages.len() > 1);
        // Every page after the first carries its number, and the table header comes back.
        for (i, page) in pages.iter().enumerate().skip(1) {
            let texts: Vec<&str> =
                page.ops.iter().filter_map(|op| if let Op::Text { text, .. } = op { Some(text.as_str()) } else { None }).collect();
            assert!(texts.contains(&(i + 1).to_string().as_str()), "page {} has no number", i + 1);
        }
        let header_pages = pages
            .iter()
            .filter(|p| p.ops.iter().any(|op| matches!(op, Op::Text { text, style: Style::Bold, .. } if text == "STT")))
            .count();
        assert!(header_pages >= 2, "table header not repeated");
        // Nothing is drawn outside the page, and body text stays inside the margins.
        for page in &pages {
            for op in &page.ops {
                if let Op::Text { x, y, style, size, text, word_extra, .. } = op {
                    let spaces = text.matches(' ').count() as f32;
                    let right = x + fonts.width(*style, *size, text) + spaces * word_extra;
                    assert!(*x >= MARGIN_LEFT - 0.01 && right <= geo.page_w - MARGIN_RIGHT + 0.5, "{text} sticks out: {x}..{right}");
                    assert!(*y > 0.0 && *y < geo.page_h);
                }
            }
        }
    }
}
