//! Final shaping of extracted text.

use unicode_normalization::UnicodeNormalization;

/// NFC, ligatures spelled out, control and invisible characters removed, runs of spaces
/// collapsed to one space and runs of line breaks (with the spaces around them) to one
/// `\n`, trimmed, at most `max_chars` characters.
pub(crate) fn finish(raw: &str, max_chars: usize) -> String {
    #[derive(PartialEq, PartialOrd)]
    enum Gap {
        None,
        Space,
        Line,
    }
    let mut out = String::with_capacity(raw.len().min(max_chars.saturating_mul(2)));
    let mut count = 0usize;
    let mut gap = Gap::None;
    let push = |s: &str, gap: &mut Gap, out: &mut String, count: &mut usize| -> bool {
        for c in s.chars() {
            let needed = usize::from(*gap != Gap::None && !out.is_empty()) + 1;
            if *count + needed > max_chars {
                return false;
            }
            if !out.is_empty() {
                match gap {
                    Gap::Line => out.push('\n'),
                    Gap::Space => out.push(' '),
                    Gap::None => {}
                }
            }
            *count += needed;
            *gap = Gap::None;
            out.push(c);
        }
        true
    };
    for c in raw.nfc() {
        let ok = match c {
            '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                gap = Gap::Line;
                true
            }
            c if c.is_whitespace() => {
                if gap < Gap::Space {
                    gap = Gap::Space;
                }
                true
            }
            c if c.is_control() || c == '\u{FFFD}' || is_invisible(c) => true,
            '\u{FB00}' => push("ff", &mut gap, &mut out, &mut count),
            '\u{FB01}' => push("fi", &mut gap, &mut out, &mut count),
            '\u{FB02}' => push("fl", &mut gap, &mut out, &mut count),
            '\u{FB03}' => push("ffi", &mut gap, &mut out, &mut count),
            '\u{FB04}' => push("ffl", &mut gap, &mut out, &mut count),
            '\u{FB05}' | '\u{FB06}' => push("st", &mut gap, &mut out, &mut count),
            c => {
                let mut buf = [0u8; 4];
                push(c.encode_utf8(&mut buf), &mut gap, &mut out, &mut count)
            }
        };
        if !ok {
            break;
        }
    }
    out
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::finish;

    #[test]
    fn collapses_and_truncates() {
        assert_eq!(finish("  a \t b\n\n  c  \r\n", 100), "a b\nc");
        assert_eq!(finish("Tho\u{0308}\u{FFFD}\u{0}x", 100), "Thöx");
        assert_eq!(finish("Thanh Ho\u{0301}a", 100), "Thanh Hóa");
        assert_eq!(finish("ab cd", 4), "ab c");
        assert_eq!(finish("ab cd", 3), "ab");
        assert_eq!(finish("ab cd", 0), "");
        assert_eq!(finish("\u{FB01}n", 10), "fin");
        assert_eq!(finish("   ", 10), "");
        assert_eq!(finish("ở ơ", 2), "ở");
    }
}
