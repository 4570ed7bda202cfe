//! Printable household ballots (phiếu lấy ý kiến hộ gia đình, R2.13; Law Art. 19, Decree
//! 59/2023/NĐ-CP Art. 4): one ballot per household, two A5 ballots on each A4 page (cut along
//! the middle rule).
//!
//! Each ballot shows what R2.13 lists — the title, the matter, the question, the options (agree
//! and disagree boxes) and instructions, an "other opinion" field and the return deadline — plus
//! the household and the village it was issued to, and a **QR code of the ballot's code**. The QR
//! code identifies the ballot (so the counting team enters it without typing), never the vote:
//! the vote is the mark in a box, read by the team. A commune-wide ballot leaves the top-left
//! corner for the People's Committee's stamp; a village ballot carries the village head's
//! signature bottom right (R2.13). The People's Committee issues the ballot template (R2.13); its
//! text is not in our sources, so the wording here is ours.
//!
//! The QR matrix comes from the `qrcode` crate (ISO/IEC 18004, error correction level M) and is
//! drawn here as filled squares, so the PDF needs no image.

use qrcode::{Color, EcLevel, QrCode};

use crate::fonts::{Fonts, Style};
use crate::layout::{self, baseline_offset, line_height, Geometry, MM, MOTTO, NATION};
use crate::pdf::{Op, Page};
use crate::{text, Error, Orientation};

/// What every ballot of a village shares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BallotSheet {
    /// E.g. "UBND TỈNH THANH HÓA" (commune-wide) or "UBND PHƯỜNG HẠC THÀNH" (village).
    pub issuer_parent: Option<String>,
    /// E.g. "ỦY BAN NHÂN DÂN PHƯỜNG HẠC THÀNH" or "TỔ DÂN PHỐ 1".
    pub issuer: String,
    /// A commune-wide matter: the People's Committee stamps the ballot top left; otherwise the
    /// village head signs bottom right.
    pub commune_wide: bool,
    /// The matter, e.g. "Làm đường bê tông ngõ 3".
    pub title: String,
    /// The question put to the household.
    pub question: String,
    /// The village, e.g. "Tổ dân phố 1, phường Hạc Thành".
    pub village: String,
    /// The return deadline, e.g. "17:00 ngày 06/12/2026".
    pub deadline: String,
    /// Printed small at the foot of each ballot (e.g. demo data).
    pub note: Option<String>,
}

/// One household's ballot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BallotCard {
    /// The ballot's code (what the QR code encodes).
    pub code: String,
    /// The household as printed, e.g. "Mã hộ HT-000123 – Nguyễn Văn An".
    pub household: String,
}

/// The QR matrix of a code: its width in modules and the modules row by row (`true` = dark).
pub fn qr_matrix(code: &str) -> Result<(usize, Vec<bool>), Error> {
    let qr = QrCode::with_error_correction_level(code.as_bytes(), EcLevel::M).map_err(|e| Error::Qr(e.to_string()))?;
    let width = qr.width();
    Ok((width, qr.to_colors().into_iter().map(|c| c == Color::Dark).collect()))
}

/// The ballots as a PDF: two per A4 page, in the order given.
pub fn ballots_pdf(sheet: &BallotSheet, cards: &[BallotCard]) -> Result<Vec<u8>, Error> {
    let fonts = Fonts::load()?;
    let geo = Geometry::new(Orientation::Portrait);
    let sheet = BallotSheet {
        issuer_parent: sheet.issuer_parent.as_deref().map(text::upper).filter(|s| !s.trim().is_empty()),
        issuer: text::upper(&sheet.issuer),
        commune_wide: sheet.commune_wide,
        title: text::clean(&sheet.title),
        question: text::clean(&sheet.question),
        village: text::clean(&sheet.village),
        deadline: text::clean(&sheet.deadline),
        note: sheet.note.as_deref().map(text::clean),
    };
    let mut pages: Vec<Page> = Vec::new();
    for (i, card) in cards.iter().enumerate() {
        if i % 2 == 0 {
            pages.push(Page::default());
        }
        let top = if i % 2 == 0 { 0.0 } else { geo.page_h / 2.0 };
        let card = BallotCard { code: text::clean(card.code.trim()), household: text::clean(&card.household) };
        let page = pages.last_mut().expect("pushed above");
        let mut p = Painter { fonts: &fonts, ops: &mut page.ops };
        p.ballot(&sheet, &card, top, geo)?;
        if i % 2 == 0 && i + 1 < cards.len() {
            // The cutting line between the two ballots.
            let y = geo.page_h / 2.0;
            let mut x = 8.0 * MM;
            while x < geo.page_w - 8.0 * MM {
                p.ops.push(Op::Rule { x1: x, y1: y, x2: (x + 2.0 * MM).min(geo.page_w - 8.0 * MM), y2: y, width: 0.3 });
                x += 4.0 * MM;
            }
        }
    }
    if pages.is_empty() {
        pages.push(Page::default());
    }
    crate::pdf::write(&fonts, geo, &pages, &format!("PHIẾU LẤY Ý KIẾN HỘ GIA ĐÌNH {}", sheet.title), &sheet.issuer)
}

/// Sizes of the ballot's text.
const HEAD: f32 = 10.5;
const BODY: f32 = 12.0;
const SMALL: f32 = 9.5;
/// Side of a QR module.
const MODULE: f32 = 0.8 * MM;
/// Margins of a ballot inside its half page.
const SIDE: f32 = 16.0 * MM;
const EDGE: f32 = 10.0 * MM;

struct Painter<'a> {
    fonts: &'a Fonts,
    ops: &'a mut Vec<Op>,
}

#[derive(Clone, Copy)]
enum At {
    Left,
    Center,
}

impl Painter<'_> {
    /// Sets `s` wrapped in `w` from `top`; returns the height used.
    #[allow(clippy::too_many_arguments)]
    fn text(&mut self, x: f32, top: f32, w: f32, s: &str, style: Style, size: f32, at: At, gray: Option<f32>) -> f32 {
        let lh = line_height(self.fonts, size, 1.1);
        let base = baseline_offset(self.fonts, size, 1.1);
        let lines = layout::wrap(self.fonts, style, size, s, w, w);
        for (i, line) in lines.iter().enumerate() {
            let lx = match at {
                At::Left => x,
                At::Center => x + (w - line.width) / 2.0,
            };
            self.ops.push(Op::Text { x: lx, y: top + i as f32 * lh + base, style, size, text: line.text(), word_extra: 0.0, gray });
        }
        lines.len() as f32 * lh
    }

    fn rule(&mut self, x1: f32, x2: f32, y: f32) {
        self.ops.push(Op::Rule { x1, y1: y, x2, y2: y, width: 0.5 });
    }

    /// A QR code with its quiet zone (4 modules) whose top-left corner is at (x, y); returns its side.
    fn qr(&mut self, x: f32, y: f32, code: &str) -> Result<f32, Error> {
        let (width, dark) = qr_matrix(code)?;
        let quiet = 4.0 * MODULE;
        for row in 0..width {
            // Runs of dark modules in a row are drawn as one rectangle.
            let mut col = 0;
            while col < width {
                if !dark[row * width + col] {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < width && dark[row * width + col] {
                    col += 1;
                }
                self.ops.push(Op::Rect {
                    x: x + quiet + start as f32 * MODULE,
                    y: y + quiet + row as f32 * MODULE,
                    w: (col - start) as f32 * MODULE,
                    h: MODULE,
                    stroke: None,
                });
            }
        }
        Ok(width as f32 * MODULE + 2.0 * quiet)
    }

    fn ballot(&mut self, s: &BallotSheet, card: &BallotCard, top: f32, geo: Geometry) -> Result<(), Error> {
        let x0 = SIDE;
        let w = geo.page_w - 2.0 * SIDE;
        let mut y = top + EDGE;

        // Header: issuing body left, national name and motto right.
        let left_w = w * 0.42;
        let right_x = x0 + left_w;
        let right_w = w - left_w;
        let mut ly = y;
        if let Some(parent) = &s.issuer_parent {
            ly += self.text(x0, ly, left_w, parent, Style::Regular, HEAD, At::Center, None);
        }
        ly += self.text(x0, ly, left_w, &s.issuer, Style::Bold, HEAD, At::Center, None);
        let rule_w = left_w * 0.35;
        self.rule(x0 + (left_w - rule_w) / 2.0, x0 + (left_w + rule_w) / 2.0, ly + 1.0);
        if s.commune_wide {
            // R2.13: commune-wide ballots carry the People's Committee's stamp top left.
            self.text(x0, ly + 3.0, left_w, "(Dấu của Ủy ban nhân dân)", Style::Italic, SMALL, At::Center, Some(0.45));
        }
        let mut ry = y;
        ry += self.text(right_x, ry, right_w, NATION, Style::Bold, HEAD, At::Center, None);
        let motto_w = self.fonts.width(Style::Bold, HEAD + 0.5, MOTTO);
        ry += self.text(right_x, ry, right_w, MOTTO, Style::Bold, HEAD + 0.5, At::Center, None);
        self.rule(right_x + (right_w - motto_w) / 2.0, right_x + (right_w + motto_w) / 2.0, ry + 1.0);
        y = ly.max(ry) + 6.0 * MM;

        y += self.text(x0, y, w, "PHIẾU LẤY Ý KIẾN HỘ GIA ĐÌNH", Style::Bold, 14.0, At::Center, None);
        y += self.text(x0, y, w, &format!("Về việc: {}", s.title), Style::Bold, BODY, At::Center, None);
        y += 3.0 * MM;

        // The QR code and the ballot's code at the right of the body.
        let qr_side = {
            let (width, _) = qr_matrix(&card.code)?;
            width as f32 * MODULE + 8.0 * MODULE
        };
        // A right column wide enough for the code in words (12 wide capitals at 9.5 pt need
        // about 38 mm), the QR code centred in it.
        let column = qr_side.max(42.0 * MM);
        let column_x = x0 + w - column;
        let qr_x = column_x + (column - qr_side) / 2.0;
        let qr_top = y;
        self.qr(qr_x, qr_top, &card.code)?;
        self.text(column_x, qr_top + qr_side, column, &format!("Mã phiếu: {}", card.code), Style::Regular, SMALL, At::Center, None);

        let body_w = w - column - 4.0 * MM;
        y += self.text(x0, y, body_w, &format!("Hộ gia đình: {}", card.household), Style::Regular, BODY, At::Left, None);
        y += self.text(x0, y, body_w, &format!("Thôn, tổ dân phố: {}", s.village), Style::Regular, BODY, At::Left, None);
        y += 2.0 * MM;
        y += self.text(x0, y, body_w, &format!("Câu hỏi: {}", s.question), Style::Bold, BODY, At::Left, None);
        y = y.max(qr_top + qr_side + 5.0 * MM) + 2.0 * MM;

        // The two boxes.
        let bx = 5.0 * MM;
        let lh = line_height(self.fonts, BODY, 1.1);
        let mut x = x0 + 10.0 * MM;
        for label in ["Đồng ý", "Không đồng ý"] {
            self.ops.push(Op::Rect { x, y: y + (lh - bx) / 2.0, w: bx, h: bx, stroke: Some(0.8) });
            let tw = self.fonts.width(Style::Bold, BODY, label);
            self.text(x + bx + 2.5 * MM, y, tw + 1.0, label, Style::Bold, BODY, At::Left, None);
            x += 60.0 * MM;
        }
        y += lh + 4.0 * MM;
        y += self.text(x0, y, w, "Ý kiến khác: ………………………………………………………………………………………", Style::Regular, BODY, At::Left, None);
        y += self.text(x0, y, w, "……………………………………………………………………………………………………", Style::Regular, BODY, At::Left, None);
        y += 2.0 * MM;
        y += self.text(
            x0,
            y,
            w,
            "Hướng dẫn: đánh dấu X vào một trong hai ô; nếu có ý kiến khác, ghi vào dòng «Ý kiến khác». Mỗi hộ gia đình một \
             phiếu; đại diện hộ gia đình ghi ý kiến và nộp phiếu cho tổ công tác.",
            Style::Italic,
            SMALL + 0.5,
            At::Left,
            None,
        );
        y += 1.5 * MM;
        let sig_top = y;
        self.text(x0, y, w * 0.5, &format!("Hạn nộp phiếu: {}", s.deadline), Style::Bold, BODY, At::Left, None);
        if !s.commune_wide {
            // R2.13: village ballots carry the village head's signature bottom right.
            let sx = x0 + w * 0.5;
            let mut sy = sig_top;
            sy += self.text(sx, sy, w * 0.5, "TRƯỞNG THÔN, TỔ TRƯỞNG TỔ DÂN PHỐ", Style::Bold, SMALL + 0.5, At::Center, None);
            self.text(sx, sy, w * 0.5, "(Ký, ghi rõ họ tên)", Style::Italic, SMALL, At::Center, None);
        }
        if let Some(note) = &s.note {
            let half = geo.page_h / 2.0;
            self.text(x0, top + half - 7.0 * MM, w, note, Style::Italic, 8.0, At::Center, Some(0.4));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r2_13_the_drawn_qr_matrix_is_the_crates_own() {
        let fonts = Fonts::load().unwrap();
        let geo = Geometry::new(Orientation::Portrait);
        let mut ops = Vec::new();
        let code = "7KQ2M9XHT4WD";
        let side = Painter { fonts: &fonts, ops: &mut ops }.qr(0.0, 0.0, code).unwrap();
        assert!(side > 20.0 * MM && side < geo.page_w / 4.0);
        // Paint the rectangles back into a grid and compare it with the crate's own rendering.
        let qr = QrCode::with_error_correction_level(code.as_bytes(), EcLevel::M).unwrap();
        let width = qr.width();
        let mut grid = vec![vec!['.'; width]; width];
        for op in &ops {
            if let Op::Rect { x, y, w, stroke: None, .. } = op {
                let row = ((y / MODULE) - 4.0).round() as usize;
                let first = ((x / MODULE) - 4.0).round() as usize;
                for c in 0..(w / MODULE).round() as usize {
                    grid[row][first + c] = '#';
                }
            }
        }
        let drawn: Vec<String> = grid.into_iter().map(|r| r.into_iter().collect()).collect();
        assert_eq!(drawn.join("\n"), qr.to_debug_str('#', '.'));
    }

    #[test]
    fn r2_13_two_ballots_a_page_with_every_field() {
        let sheet = BallotSheet {
            issuer_parent: Some("UBND PHƯỜNG HẠC THÀNH".into()),
            issuer: "TỔ DÂN PHỐ 1".into(),
            commune_wide: false,
            title: "Làm đường bê tông ngõ 3".into(),
            question: "Hộ gia đình có đồng ý làm đường, mỗi hộ góp 500.000 đồng không?".into(),
            village: "Tổ dân phố 1, phường Hạc Thành".into(),
            deadline: "17:00 ngày 06/12/2026".into(),
            note: None,
        };
        let cards: Vec<BallotCard> =
            (0..3).map(|i| BallotCard { code: format!("WMWMWMWMWMW{i}"), household: format!("Mã hộ HT-{i:04}") }).collect();
        let pdf = ballots_pdf(&sheet, &cards).unwrap();
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        assert_eq!(doc.get_pages().len(), 2);
        let text = doc.extract_text(&[1]).unwrap();
        for needle in [
            "PHIẾU LẤY Ý KIẾN HỘ GIA ĐÌNH",
            "Làm đường bê tông",
            "Đồng ý",
            "Không đồng ý",
            "Ý kiến khác",
            "Hạn nộp phiếu",
            "WMWMWMWMWMW0",
            "WMWMWMWMWMW1",
            "HT-0001",
            "TRƯỞNG THÔN",
        ] {
            assert!(text.contains(needle), "missing {needle} in {text}");
        }
        // The widest codes stay whole on their line (the counting team reads them); the third
        // ballot is on the second page.
        assert!(!text.contains("WMWMWMWMWMW2"));
    }
}
