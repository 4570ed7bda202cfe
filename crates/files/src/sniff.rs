//! First look at the bytes: magic numbers, programs, scripts and markup.

use crate::{Danger, FileKind, Refusal};

pub(crate) enum Sniffed {
    Kind(FileKind),
    /// A ZIP archive: DOCX, XLSX or something else, to be told by its structure.
    Zip,
}

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";
const OLE2_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// How far into a file a `%PDF-` header may start (after whitespace only), as readers allow.
const PDF_HEADER_WINDOW: usize = 1024;
/// How much of a text file is looked at for markup and scripts.
const TEXT_WINDOW: usize = 4096;

fn dangerous(reason: Danger) -> Refusal {
    Refusal::Dangerous { reason }
}

pub(crate) fn sniff(bytes: &[u8]) -> Result<Sniffed, Refusal> {
    if is_executable(bytes) {
        return Err(dangerous(Danger::Executable));
    }
    if bytes.starts_with(OLE2_MAGIC) {
        return Err(dangerous(Danger::LegacyOffice));
    }
    if bytes.starts_with(PNG_MAGIC) {
        return Ok(Sniffed::Kind(FileKind::Png));
    }
    if bytes.starts_with(b"\xFF\xD8\xFF") {
        return Ok(Sniffed::Kind(FileKind::Jpeg));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(Sniffed::Zip);
    }
    if pdf_header_at(bytes).is_some() {
        return Ok(Sniffed::Kind(FileKind::Pdf));
    }
    if let Some(reason) = text_danger(bytes) {
        return Err(dangerous(reason));
    }
    Err(Refusal::UnknownType)
}

/// Offset of `%PDF-` when only whitespace (or a UTF-8 BOM) comes before it.
pub(crate) fn pdf_header_at(bytes: &[u8]) -> Option<usize> {
    let window = &bytes[..bytes.len().min(PDF_HEADER_WINDOW)];
    let body = window.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(window);
    let skipped = window.len() - body.len();
    let start = body.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0C' | 0))?;
    body[start..].starts_with(b"%PDF-").then_some(skipped + start)
}

pub(crate) fn is_executable(b: &[u8]) -> bool {
    const MAGICS: &[&[u8]] = &[
        b"MZ",                               // DOS / Windows PE (.exe, .dll, .scr, .sys)
        b"\x7FELF",                          // Linux / BSD
        b"\xFE\xED\xFA\xCE",                 // Mach-O 32-bit
        b"\xFE\xED\xFA\xCF",                 // Mach-O 64-bit
        b"\xCE\xFA\xED\xFE",                 // Mach-O 32-bit, little-endian
        b"\xCF\xFA\xED\xFE",                 // Mach-O 64-bit, little-endian
        b"\xCA\xFE\xBA\xBE",                 // Mach-O universal binary, Java class
        b"\x4C\x00\x00\x00\x01\x14\x02\x00", // Windows shortcut (.lnk)
        b"\x00asm",                          // WebAssembly
    ];
    MAGICS.iter().any(|m| b.starts_with(m))
}

/// HTML, SVG, XML with scripts, shebang scripts, PHP and batch files, in any of the
/// encodings browsers sniff (UTF-8 with or without BOM, UTF-16).
fn text_danger(bytes: &[u8]) -> Option<Danger> {
    let window = &bytes[..bytes.len().min(TEXT_WINDOW)];
    let text: String = if window.starts_with(b"\xFF\xFE") || window.starts_with(b"\xFE\xFF") {
        let le = window.starts_with(b"\xFF\xFE");
        let units =
            window[2..].chunks_exact(2).map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) });
        char::decode_utf16(units).map(|r| r.unwrap_or('\u{FFFD}')).collect()
    } else {
        let body = window.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(window);
        // UTF-16 without BOM: drop NULs so "<\0h\0t\0m\0l\0" still reads as "<html".
        let body: Vec<u8> = body.iter().copied().filter(|&b| b != 0).collect();
        String::from_utf8_lossy(&body).into_owned()
    };
    let lower = text.to_lowercase();
    let start = lower.trim_start();
    if start.starts_with("#!") {
        return Some(Danger::Script);
    }
    if start.starts_with("<?php") || lower.contains("<?php") {
        return Some(Danger::Script);
    }
    if start.starts_with("@echo off") || start.starts_with("@echo on") {
        return Some(Danger::Script);
    }
    const MARKUP: &[&str] = &[
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<script",
        "<svg",
        "<iframe",
        "<object",
        "<embed",
        "<meta",
        "<a href",
        "<img",
        "<xsl:",
        "<!entity",
    ];
    if MARKUP.iter().any(|m| lower.contains(m)) {
        return Some(Danger::Markup);
    }
    if start.starts_with("<?xml")
        && (lower.contains("xmlns=\"http://www.w3.org/2000/svg\"") || lower.contains("http://www.w3.org/1999/xhtml"))
    {
        return Some(Danger::Markup);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(b: &[u8]) -> Option<Refusal> {
        sniff(b).err()
    }

    #[test]
    fn recognises_magic_numbers() {
        assert!(matches!(sniff(b"%PDF-1.7\n"), Ok(Sniffed::Kind(FileKind::Pdf))));
        assert!(matches!(sniff(b"\xEF\xBB\xBF\n %PDF-1.4"), Ok(Sniffed::Kind(FileKind::Pdf))));
        assert!(matches!(sniff(b"PK\x03\x04rest"), Ok(Sniffed::Zip)));
        assert_eq!(refusal(b"MZ\x90\x00"), Some(dangerous(Danger::Executable)));
        assert_eq!(refusal(b"\x7FELF\x02\x01"), Some(dangerous(Danger::Executable)));
        assert_eq!(refusal(b"\xCF\xFA\xED\xFE...."), Some(dangerous(Danger::Executable)));
        assert_eq!(refusal(OLE2_MAGIC), Some(dangerous(Danger::LegacyOffice)));
        assert_eq!(refusal(b"GIF89a"), Some(Refusal::UnknownType));
        assert_eq!(refusal(b"plain text"), Some(Refusal::UnknownType));
    }

    #[test]
    fn finds_scripts_and_markup() {
        assert_eq!(refusal(b"#!/bin/sh\nrm -rf /"), Some(dangerous(Danger::Script)));
        assert_eq!(refusal(b"  <!DOCTYPE html><p>x"), Some(dangerous(Danger::Markup)));
        assert_eq!(refusal(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), Some(dangerous(Danger::Markup)));
        assert_eq!(refusal(b"\xFF\xFE<\0h\0t\0m\0l\0>\0"), Some(dangerous(Danger::Markup)));
        assert_eq!(refusal(b"junk junk <ScRiPt>alert(1)</script>"), Some(dangerous(Danger::Markup)));
        assert_eq!(refusal(b"%PDX <?php system($_GET['c']); ?>"), Some(dangerous(Danger::Script)));
    }
}
