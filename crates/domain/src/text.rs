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

/// A piece of a highlighted text: `mark` pieces matched a search word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub mark: bool,
}

/// Splits `text` into pieces, marking each word whose folded form is one of
/// `folded_words` (the words of a search, already folded with [`fold`]), so
/// "Thanh Hóa" is marked for the search "thanh hoa". When `window` is
/// given, only about that many words around the first match are kept
/// (a snippet), with "…" where text was cut.
pub fn highlight(text: &str, folded_words: &[String], window: Option<usize>) -> Vec<Piece> {
    // Words and the separators between them, in order.
    let mut tokens: Vec<(String, bool)> = Vec::new();
    let mut cur = String::new();
    let mut cur_is_word = false;
    for c in text.chars() {
        let is_word = c.is_alphanumeric() || is_combining_mark(c);
        if !cur.is_empty() && is_word != cur_is_word {
            tokens.push((std::mem::take(&mut cur), cur_is_word));
        }
        cur_is_word = is_word;
        cur.push(c);
    }
    if !cur.is_empty() {
        tokens.push((cur, cur_is_word));
    }
    let matched: Vec<bool> = tokens.iter().map(|(t, w)| *w && folded_words.iter().any(|q| *q == fold(t))).collect();
    let (start, end, cut_start, cut_end) = match window {
        None => (0, tokens.len(), false, false),
        Some(n) => {
            let first = matched.iter().position(|m| *m).unwrap_or(0);
            // `n` words ≈ 2n tokens (words and separators); a third before the match.
            let before = (2 * n) / 3;
            let start = first.saturating_sub(before);
            let start = if start > 0 && !tokens[start].1 { start + 1 } else { start };
            let end = (start + 2 * n).min(tokens.len());
            (start, end, start > 0, end < tokens.len())
        }
    };
    let mut out: Vec<Piece> = Vec::new();
    if cut_start {
        out.push(Piece { text: "…".into(), mark: false });
    }
    for i in start..end {
        let (t, _) = &tokens[i];
        let t = if t.contains('\n') { t.replace('\n', " ") } else { t.clone() };
        match out.last_mut() {
            Some(last) if last.mark == matched[i] && !matched[i] => last.text.push_str(&t),
            _ => out.push(Piece { text: t, mark: matched[i] }),
        }
    }
    if cut_end {
        out.push(Piece { text: "…".into(), mark: false });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_marks_words_whatever_their_diacritics() {
        let q = vec![fold("thanh"), fold("hoa")];
        let p = highlight("Tỉnh Thanh Hóa, xã Hạc Thành", &q, None);
        let marked: Vec<&str> = p.iter().filter(|x| x.mark).map(|x| x.text.as_str()).collect();
        assert_eq!(marked, ["Thanh", "Hóa", "Thành"]);
        let all: String = p.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(all, "Tỉnh Thanh Hóa, xã Hạc Thành");
        // Tone placement: "hoà" and "hòa" both match "hoa".
        assert!(highlight("hoà giải", &[fold("hòa")], None)[0].mark);
    }

    #[test]
    fn highlight_snippet_keeps_a_window_around_the_first_match() {
        let text = (0..200).map(|i| format!("từ{i}")).collect::<Vec<_>>().join(" ");
        let p = highlight(&text, &[fold("từ150")], Some(10));
        assert!(p.first().is_some_and(|x| x.text.starts_with('…')));
        assert!(p.last().is_some_and(|x| x.text.ends_with('…')));
        assert!(p.iter().any(|x| x.mark && x.text == "từ150"));
        let words = p.iter().map(|x| x.text.split_whitespace().count()).sum::<usize>();
        assert!(words <= 14, "{words}");
    }

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
