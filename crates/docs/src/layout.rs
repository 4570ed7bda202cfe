//! Measurements of Decree 30/2020 (Phụ lục I) shared by the PDF and DOCX renderers, and line
//! breaking on the fonts' advance widths.

use crate::fonts::{Fonts, Style};
use crate::Orientation;

/// Points per millimetre.
pub(crate) const MM: f32 = 72.0 / 25.4;
pub(crate) const A4_SHORT: f32 = 210.0 * MM;
pub(crate) const A4_LONG: f32 = 297.0 * MM;
pub(crate) const MARGIN_TOP: f32 = 20.0 * MM;
pub(crate) const MARGIN_BOTTOM: f32 = 20.0 * MM;
pub(crate) const MARGIN_LEFT: f32 = 30.0 * MM;
pub(crate) const MARGIN_RIGHT: f32 = 15.0 * MM;

/// Body text, headings, document kind, subject, signature: 14 pt (13–14 allowed).
pub(crate) const BODY_SIZE: f32 = 14.0;
/// Issuing body and number: 13 pt (12–13 allowed).
pub(crate) const ISSUER_SIZE: f32 = 13.0;
/// National name, "CỘNG HÒA …": 13 pt, or 12 pt where the column is too narrow (12–13 allowed).
pub(crate) const NATION_SIZE: f32 = 13.0;
/// Motto, "Độc lập - Tự do - Hạnh phúc": 14 pt (13–14 allowed).
pub(crate) const MOTTO_SIZE: f32 = 14.0;
/// "Nơi nhận:" 12 pt bold italic, the recipients 11 pt.
pub(crate) const RECIPIENTS_TITLE_SIZE: f32 = 12.0;
pub(crate) const RECIPIENTS_SIZE: f32 = 11.0;
/// Table cells.
pub(crate) const TABLE_SIZE: f32 = 12.0;
/// Page numbers (13–14 pt).
pub(crate) const PAGE_NUMBER_SIZE: f32 = 13.0;
/// The footer note.
pub(crate) const NOTE_SIZE: f32 = 9.0;
/// First-line indent of body paragraphs: 1.27 cm (1–1.27 cm allowed).
pub(crate) const FIRST_LINE_INDENT: f32 = 12.7 * MM;
/// Space after each body paragraph (at least 6 pt).
pub(crate) const PARAGRAPH_AFTER: f32 = 6.0;
/// Line spacing of the body as a multiple of single spacing (1 to 1.5 lines allowed).
pub(crate) const BODY_LINE: f32 = 1.1;
/// Height left blank for the handwritten signature and the seal.
pub(crate) const SIGNATURE_SPACE: f32 = 25.0 * MM;
/// Horizontal padding inside table cells.
pub(crate) const CELL_PAD_X: f32 = 4.0;
/// Vertical padding inside table cells.
pub(crate) const CELL_PAD_Y: f32 = 2.0;
/// The national motto.
pub(crate) const NATION: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
pub(crate) const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
pub(crate) const RECIPIENTS_TITLE: &str = "Nơi nhận:";
/// Share of the content width taken by the signature column.
pub(crate) const SIGNATURE_SHARE: f32 = 0.55;

/// Page size and the text area, in points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Geometry {
    pub(crate) page_w: f32,
    pub(crate) page_h: f32,
}

impl Geometry {
    pub(crate) fn new(orientation: Orientation) -> Geometry {
        match orientation {
            Orientation::Portrait => Geometry { page_w: A4_SHORT, page_h: A4_LONG },
            Orientation::Landscape => Geometry { page_w: A4_LONG, page_h: A4_SHORT },
        }
    }

    pub(crate) fn content_w(&self) -> f32 {
        self.page_w - MARGIN_LEFT - MARGIN_RIGHT
    }
}

/// Widths of the two header columns and the size of the national name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HeaderColumns {
    pub(crate) left: f32,
    pub(crate) right: f32,
    pub(crate) nation_size: f32,
}

/// The right column gets what "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" needs on one line (13 pt,
/// or 12 pt when that leaves the issuing body less than 38 % of the width), the left the rest.
pub(crate) fn header_columns(fonts: &Fonts, content_w: f32) -> HeaderColumns {
    let need = |size: f32| fonts.width(Style::Bold, size, NATION) + 2.0 * CELL_PAD_X;
    let nation_size = if need(NATION_SIZE) <= content_w * 0.62 { NATION_SIZE } else { 12.0 };
    let right = need(nation_size).max(content_w * 0.56).min(content_w * 0.66);
    HeaderColumns { left: content_w - right, right, nation_size }
}

/// Height of one line at the given size and multiple of single spacing.
pub(crate) fn line_height(fonts: &Fonts, size: f32, multiple: f32) -> f32 {
    let m = fonts.vmetrics(Style::Regular);
    (m.ascent + m.descent + m.line_gap) * size * multiple
}

/// Distance from the top of a line box to the baseline.
pub(crate) fn baseline_offset(fonts: &Fonts, size: f32, multiple: f32) -> f32 {
    let m = fonts.vmetrics(Style::Regular);
    let h = line_height(fonts, size, multiple);
    (h - (m.ascent + m.descent) * size) / 2.0 + m.ascent * size
}

/// A broken line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    /// The words (no spaces inside a word, except no-break spaces).
    pub(crate) words: Vec<String>,
    /// Natural width in points, with one space between words.
    pub(crate) width: f32,
    /// Last line of a paragraph or before a hard line break: never justified.
    pub(crate) last: bool,
}

impl Line {
    pub(crate) fn text(&self) -> String {
        self.words.join(" ")
    }
}

/// Greedy line breaking at spaces; `'\n'` forces a break; a word longer than a line is cut
/// between characters. The first line may be narrower (first-line indent).
pub(crate) fn wrap(fonts: &Fonts, style: Style, size: f32, text: &str, first_width: f32, width: f32) -> Vec<Line> {
    let space = fonts.width(style, size, " ");
    let mut lines = Vec::new();
    for hard in text.split('\n') {
        let mut words: Vec<String> = Vec::new();
        let mut current = 0.0_f32;
        let limit = |lines: &Vec<Line>| if lines.is_empty() { first_width } else { width };
        for word in hard.split(' ').filter(|w| !w.is_empty()) {
            let w = fonts.width(style, size, word);
            let gap = if words.is_empty() { 0.0 } else { space };
            if current + gap + w <= limit(&lines) + 0.01 {
                words.push(word.to_string());
                current += gap + w;
                continue;
            }
            if !words.is_empty() {
                lines.push(Line { words: std::mem::take(&mut words), width: current, last: false });
            }
            if w <= limit(&lines) + 0.01 {
                words.push(word.to_string());
                current = w;
                continue;
            }
            // A word wider than the line: cut it between characters.
            let mut piece = String::new();
            let mut piece_w = 0.0;
            for c in word.chars() {
                let cw = fonts.width(style, size, c.encode_utf8(&mut [0; 4]));
                if !piece.is_empty() && piece_w + cw > limit(&lines) + 0.01 {
                    lines.push(Line { words: vec![std::mem::take(&mut piece)], width: piece_w, last: false });
                    piece_w = 0.0;
                }
                piece.push(c);
                piece_w += cw;
            }
            words.push(piece);
            current = piece_w;
        }
        lines.push(Line { words, width: current, last: true });
    }
    lines
}

/// Like [`wrap`] with one width, but with lines of even length: the narrowest width that
/// still gives the same number of lines (for centred headings such as the issuing body, where
/// "ỦY BAN NHÂN DÂN / XÃ HẠC THÀNH" reads better than "ỦY BAN NHÂN DÂN XÃ HẠC / THÀNH").
pub(crate) fn wrap_balanced(fonts: &Fonts, style: Style, size: f32, text: &str, width: f32) -> Vec<Line> {
    let lines = wrap(fonts, style, size, text, width, width);
    if lines.len() < 2 {
        return lines;
    }
    let (mut lo, mut hi) = (0.0_f32, width);
    for _ in 0..24 {
        let mid = (lo + hi) / 2.0;
        if wrap(fonts, style, size, text, mid, mid).len() <= lines.len() {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    wrap(fonts, style, size, text, hi, hi)
}

/// Widest line of a wrapped text.
pub(crate) fn widest(lines: &[Line]) -> f32 {
    lines.iter().map(|l| l.width).fold(0.0, f32::max)
}

/// Column widths in points from the ratios (all zero: equal).
pub(crate) fn column_widths(ratios: &[u16], total: f32) -> Vec<f32> {
    let sum: u32 = ratios.iter().map(|&r| u32::from(r)).sum();
    if sum == 0 {
        return vec![total / ratios.len().max(1) as f32; ratios.len()];
    }
    ratios.iter().map(|&r| total * f32::from(r) / sum as f32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_within_the_width() {
        let fonts = Fonts::load().unwrap();
        let text = "Ủy ban nhân dân xã Hạc Thành ban hành Kế hoạch công khai thông tin năm 2026 như sau";
        let lines = wrap(&fonts, Style::Regular, 14.0, text, 150.0, 200.0);
        assert!(lines.len() > 2);
        assert!(lines[0].width <= 150.01);
        assert!(lines.iter().all(|l| l.width <= 200.01));
        assert!(lines.last().unwrap().last);
        assert!(!lines[0].last);
        let joined: Vec<String> = lines.iter().map(Line::text).collect();
        assert_eq!(joined.join(" "), text);
    }

    #[test]
    fn wrap_cuts_overlong_words_and_honours_line_breaks() {
        let fonts = Fonts::load().unwrap();
        let lines = wrap(&fonts, Style::Regular, 12.0, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nb", 50.0, 50.0);
        assert!(lines.len() >= 4);
        assert!(lines.iter().all(|l| l.width <= 50.01));
        assert_eq!(lines.last().unwrap().text(), "b");
        assert_eq!(wrap(&fonts, Style::Regular, 12.0, "", 50.0, 50.0).len(), 1);
    }

    #[test]
    fn balanced_wrap_keeps_the_line_count_and_evens_the_lines() {
        let fonts = Fonts::load().unwrap();
        let text = "ỦY BAN NHÂN DÂN XÃ HẠC THÀNH";
        let greedy = wrap(&fonts, Style::Bold, 13.0, text, 185.0, 185.0);
        let balanced = wrap_balanced(&fonts, Style::Bold, 13.0, text, 185.0);
        assert_eq!(greedy.len(), 2);
        assert_eq!(greedy[1].text(), "THÀNH");
        assert_eq!(balanced.iter().map(Line::text).collect::<Vec<_>>(), ["ỦY BAN NHÂN DÂN", "XÃ HẠC THÀNH"]);
    }

    #[test]
    fn the_national_name_fits_its_column_on_one_line() {
        let fonts = Fonts::load().unwrap();
        for o in [Orientation::Portrait, Orientation::Landscape] {
            let w = Geometry::new(o).content_w();
            let cols = header_columns(&fonts, w);
            assert!(fonts.width(Style::Bold, cols.nation_size, NATION) <= cols.right - 2.0 * CELL_PAD_X + 0.01);
            assert!((cols.left + cols.right - w).abs() < 0.01);
        }
    }

    #[test]
    fn column_widths_follow_ratios() {
        assert_eq!(column_widths(&[1, 3], 400.0), [100.0, 300.0]);
        assert_eq!(column_widths(&[0, 0], 400.0), [200.0, 200.0]);
    }
}
