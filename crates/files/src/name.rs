//! Declared names: their extension, and a safe name to store.

use unicode_normalization::UnicodeNormalization;

use crate::limits::NAME_MAX_BYTES;
use crate::FileKind;

const FALLBACK_STEM: &str = "tep-dinh-kem";

/// Characters that render nothing but can reorder or hide text (bidirectional overrides
/// like U+202E turn "gpj.exe" into "exe.jpg" on screen, zero-width characters hide text).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// Characters Windows forbids in file names (the path separators are handled before).
fn is_forbidden(c: char) -> bool {
    matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*')
}

/// The last path component, NFC, without control and invisible characters, with forbidden
/// characters and whitespace runs turned into one space, trimmed of spaces and dots.
fn clean(declared: &str) -> String {
    let nfc: String = declared.nfc().collect();
    let base = nfc.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut out = String::with_capacity(base.len());
    let mut space = false;
    for c in base.chars() {
        if c.is_whitespace() || is_forbidden(c) {
            space = true;
            continue;
        }
        if c.is_control() || is_invisible(c) {
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out.trim_matches([' ', '.']).to_string()
}

/// Splits `name` into stem and extension when it ends in something that looks like one:
/// 1–10 ASCII letters or digits with at least one letter ("v1.2" has none).
fn split_extension(name: &str) -> Option<(&str, &str)> {
    let (stem, ext) = name.rsplit_once('.')?;
    let looks_like =
        (1..=10).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric()) && ext.bytes().any(|b| b.is_ascii_alphabetic());
    looks_like.then_some((stem, ext))
}

/// The extension of a declared name, lowercase, if it has one.
pub(crate) fn declared_extension(declared: &str) -> Option<String> {
    let cleaned = clean(declared);
    split_extension(&cleaned).map(|(_, ext)| ext.to_ascii_lowercase())
}

/// Extensions of macro-enabled Office files.
pub(crate) fn is_macro_extension(ext: &str) -> bool {
    matches!(ext, "docm" | "dotm" | "xlsm" | "xltm" | "xlam" | "pptm" | "potm" | "ppam" | "ppsm" | "sldm")
}

fn is_reserved_on_windows(stem: &str) -> bool {
    let upper = stem.to_ascii_uppercase();
    let base = upper.split('.').next().unwrap_or_default();
    matches!(base, "CON" | "PRN" | "AUX" | "NUL")
        || ((base.starts_with("COM") || base.starts_with("LPT")) && base.len() == 4 && base.as_bytes()[3].is_ascii_digit())
}

/// The declared name made safe, with the extension of `kind`.
pub(crate) fn safe_name(declared: &str, kind: FileKind) -> String {
    let cleaned = clean(declared);
    let stem = match split_extension(&cleaned) {
        Some((stem, _)) => stem,
        None => cleaned.as_str(),
    };
    let ext = kind.extension();
    let max_stem = NAME_MAX_BYTES - ext.len() - 1;
    let mut end = stem.len().min(max_stem);
    while !stem.is_char_boundary(end) {
        end -= 1;
    }
    let mut stem = stem[..end].trim_matches([' ', '.']).to_string();
    if stem.is_empty() {
        stem = FALLBACK_STEM.to_string();
    } else if is_reserved_on_windows(&stem) {
        stem.insert(0, '_');
    }
    format!("{stem}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions() {
        assert_eq!(declared_extension("Báo cáo.PDF").as_deref(), Some("pdf"));
        assert_eq!(declared_extension("report.pdf.exe").as_deref(), Some("exe"));
        assert_eq!(declared_extension("report.exe. . ").as_deref(), Some("exe"));
        assert_eq!(declared_extension("C:\\Users\\a\\scan.jpeg").as_deref(), Some("jpeg"));
        assert_eq!(declared_extension("Nghị định 12.2024"), None);
        assert_eq!(declared_extension("không đuôi"), None);
        assert_eq!(declared_extension("gpj\u{202E}.exe").as_deref(), Some("exe"));
        assert_eq!(declared_extension(""), None);
    }

    #[test]
    fn safe_names() {
        assert_eq!(safe_name("../../etc/passwd", FileKind::Pdf), "passwd.pdf");
        assert_eq!(safe_name("C:\\tmp\\Báo cáo quý 1.PDF", FileKind::Pdf), "Báo cáo quý 1.pdf");
        // NFD input becomes NFC.
        let nfd = "Thanh Ho\u{0301}a.docx";
        assert_eq!(safe_name(nfd, FileKind::Docx), "Thanh Hóa.docx");
        assert_eq!(safe_name("a\u{0}b\u{202E}c\td:e?.png", FileKind::Png), "abc d e.png");
        assert_eq!(safe_name("", FileKind::Xlsx), "tep-dinh-kem.xlsx");
        assert_eq!(safe_name("...", FileKind::Jpeg), "tep-dinh-kem.jpg");
        assert_eq!(safe_name("ảnh.jpeg", FileKind::Png), "ảnh.png");
        assert_eq!(safe_name("Nghị định 12.2024", FileKind::Pdf), "Nghị định 12.2024.pdf");
        assert_eq!(safe_name("con.pdf", FileKind::Pdf), "_con.pdf");
        let long = "ư".repeat(300);
        let s = safe_name(&long, FileKind::Pdf);
        assert!(s.len() <= NAME_MAX_BYTES && s.ends_with("ư.pdf"), "{s}");
    }
}
