//! Vietnamese text handling: NFC normalisation of every input, and the folded
//! search key that makes "Thanh Hoa", "thanh hóa" and "THANH HOÁ" equal.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Normalises to Unicode NFC: what every stored string must be.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// NFC, trimmed, inner runs of whitespace collapsed to one space, control
/// characters removed. For names, titles and other one-line fields.
pub fn clean_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfc() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if c.is_control() {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// NFC with line breaks kept (normalised to `\n`), other control characters
/// removed and the ends trimmed. For multi-line text fields.
pub fn clean_text(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let t: String = s.nfc().filter(|c| *c == '\n' || *c == '\t' || !c.is_control()).collect();
    t.trim().to_string()
}

/// The search key: lower case, diacritics and tone marks removed (so tone
/// placement "hoà"/"hòa" does not matter), đ → d, non-alphanumerics turned
/// into single spaces.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            for l in c.to_lowercase() {
                out.push(l);
            }
        } else {
            pending_space = true;
        }
    }
    out
}

/// Turns a name into a URL-safe slug ("Phường Hạc Thành" → "phuong-hac-thanh").
pub fn slug(s: &str) -> String {
    fold(s).replace(' ', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_ignores_diacritics_tone_placement_and_case() {
        assert_eq!(fold("Thanh Hóa"), "thanh hoa");
        assert_eq!(fold("THANH HOÁ"), "thanh hoa");
        assert_eq!(fold("hoà"), fold("hòa"));
        assert_eq!(fold("Đông Sơn"), "dong son");
        assert_eq!(fold("  Xã   Mường-Lát "), "xa muong lat");
        assert_eq!(fold("dân chủ ở cơ sở"), "dan chu o co so");
    }

    #[test]
    fn nfd_input_is_normalised_to_nfc() {
        let nfd = "Ho\u{0302}\u{0300}ng"; // "Hồng" decomposed
        assert_ne!(nfd, "Hồng");
        assert_eq!(clean_line(nfd), "Hồng");
        assert_eq!(nfc(nfd), "Hồng");
    }

    #[test]
    fn clean_line_collapses_whitespace_and_drops_controls() {
        assert_eq!(clean_line("  Nguyễn \t Văn\u{0007}  An \n"), "Nguyễn Văn An");
        assert_eq!(clean_line("   "), "");
    }

    #[test]
    fn clean_text_keeps_line_breaks() {
        assert_eq!(clean_text(" a\r\nb\rc \u{0000}"), "a\nb\nc");
    }

    #[test]
    fn slug_is_ascii() {
        assert_eq!(slug("Phường Hạc Thành"), "phuong-hac-thanh");
    }
}
