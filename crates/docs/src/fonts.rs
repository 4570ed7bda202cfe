//! The embedded Liberation Serif 2.1.5 faces (metric-compatible with Times New Roman) and their
//! metrics. See `fonts/README.md` for the licence (SIL OFL 1.1).

use ttf_parser::{Face, GlyphId};

use crate::Error;

/// The four faces of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Style {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Style {
    pub(crate) const ALL: [Style; 4] = [Style::Regular, Style::Bold, Style::Italic, Style::BoldItalic];

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    pub(crate) fn is_bold(self) -> bool {
        matches!(self, Style::Bold | Style::BoldItalic)
    }

    pub(crate) fn is_italic(self) -> bool {
        matches!(self, Style::Italic | Style::BoldItalic)
    }

    /// PostScript name of the face.
    pub(crate) fn postscript_name(self) -> &'static str {
        match self {
            Style::Regular => "LiberationSerif",
            Style::Bold => "LiberationSerif-Bold",
            Style::Italic => "LiberationSerif-Italic",
            Style::BoldItalic => "LiberationSerif-BoldItalic",
        }
    }

    /// The raw TrueType file.
    pub(crate) fn data(self) -> &'static [u8] {
        match self {
            Style::Regular => include_bytes!("../fonts/LiberationSerif-Regular.ttf"),
            Style::Bold => include_bytes!("../fonts/LiberationSerif-Bold.ttf"),
            Style::Italic => include_bytes!("../fonts/LiberationSerif-Italic.ttf"),
            Style::BoldItalic => include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf"),
        }
    }
}

/// The parsed faces.
pub(crate) struct Fonts {
    faces: Vec<Face<'static>>,
}

/// Vertical metrics as fractions of the font size.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VMetrics {
    pub(crate) ascent: f32,
    pub(crate) descent: f32,
    pub(crate) line_gap: f32,
}

impl Fonts {
    pub(crate) fn load() -> Result<Fonts, Error> {
        let faces = Style::ALL
            .iter()
            .map(|s| Face::parse(s.data(), 0).map_err(|e| Error::Font(format!("{}: {e}", s.postscript_name()))))
            .collect::<Result<_, _>>()?;
        Ok(Fonts { faces })
    }

    pub(crate) fn face(&self, style: Style) -> &Face<'static> {
        &self.faces[style.index()]
    }

    /// Glyph for a character; characters the font lacks are drawn as "?" (and extracted as "?").
    pub(crate) fn glyph(&self, style: Style, c: char) -> (u16, char) {
        let face = self.face(style);
        match face.glyph_index(c) {
            Some(g) => (g.0, c),
            None if c == '\u{00A0}' => (face.glyph_index(' ').map_or(0, |g| g.0), ' '),
            None => (face.glyph_index('?').map_or(0, |g| g.0), '?'),
        }
    }

    /// Advance width of a glyph in thousandths of the font size (PDF glyph space).
    pub(crate) fn advance(&self, style: Style, glyph: u16) -> f32 {
        let face = self.face(style);
        let units = face.glyph_hor_advance(GlyphId(glyph)).unwrap_or(0);
        f32::from(units) * 1000.0 / f32::from(face.units_per_em())
    }

    /// Width of a text in points at the given size (no kerning: neither renderer applies it).
    pub(crate) fn width(&self, style: Style, size: f32, text: &str) -> f32 {
        let thousandths: f32 = text.chars().map(|c| self.advance(style, self.glyph(style, c).0)).sum();
        thousandths * size / 1000.0
    }

    pub(crate) fn vmetrics(&self, style: Style) -> VMetrics {
        let face = self.face(style);
        let em = f32::from(face.units_per_em());
        VMetrics {
            ascent: f32::from(face.ascender()) / em,
            descent: -f32::from(face.descender()) / em,
            line_gap: f32::from(face.line_gap()) / em,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vietnamese_letter_has_a_precomposed_glyph_in_every_face() {
        let fonts = Fonts::load().unwrap();
        let letters = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ";
        for style in Style::ALL {
            for c in letters.chars().flat_map(|c| c.to_uppercase().chain(std::iter::once(c))) {
                let (_, drawn) = fonts.glyph(style, c);
                assert_eq!(drawn, c, "{style:?} lacks {c}");
            }
        }
    }

    #[test]
    fn characters_without_a_glyph_are_drawn_as_a_question_mark() {
        let fonts = Fonts::load().unwrap();
        assert_eq!(fonts.glyph(Style::Regular, '\u{1F600}').1, '?');
        assert_eq!(fonts.glyph(Style::Bold, '\u{00A0}').1, '\u{00A0}');
        assert_eq!(fonts.glyph(Style::Regular, '–').1, '–');
    }

    #[test]
    fn metrics_are_those_of_times_new_roman() {
        let fonts = Fonts::load().unwrap();
        // Times New Roman: space 250, "H" 722 thousandths of an em.
        assert!((fonts.width(Style::Regular, 1000.0, " ") - 250.0).abs() < 1.0);
        assert!((fonts.width(Style::Regular, 1000.0, "H") - 722.0).abs() < 1.0);
        let m = fonts.vmetrics(Style::Regular);
        assert!((m.ascent + m.descent + m.line_gap - 1.149).abs() < 0.01, "{m:?}");
    }
}
