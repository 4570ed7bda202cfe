//! Attachments: type by content, refusal of dangerous files, text extraction.
//!
//! Public disclosures (công khai) carry attachments. This crate decides what an uploaded
//! file really is from its bytes (never from its name), refuses anything that could hurt a
//! reader who downloads it, and extracts plain text for full-text search.
//!
//! * [`check`] — size, type by content, structure and danger checks, SHA-256, a safe file name.
//! * [`extract_text`] — text of DOCX, XLSX and PDF (NFC, whitespace collapsed, bounded).
//!
//! Every entry point is written for hostile input: no panics escape (the PDF library is run
//! under [`std::panic::catch_unwind`]), decompression is bounded (see [`limits`]) and the work
//! on one file is bounded in size and time.

mod image;
mod kind;
mod name;
mod ooxml;
mod pdf;
mod refusal;
mod sniff;
mod text;

use sha2::{Digest, Sha256};

pub use kind::FileKind;
pub use refusal::{Danger, PdfFeature, Refusal};

/// The bounds applied to hostile input. They are public so the app can show them.
pub mod limits {
    /// Most entries a DOCX/XLSX package may have.
    pub const ZIP_MAX_ENTRIES: usize = 5_000;
    /// Most bytes a DOCX/XLSX package may unpack to, all entries together.
    pub const ZIP_MAX_UNPACKED: u64 = 200 * 1024 * 1024;
    /// Packages that unpack to more than this many times their own size are zip bombs…
    pub const ZIP_MAX_RATIO: u64 = 100;
    /// …once they unpack to more than this (small, very regular XML parts may legitimately
    /// compress better than 100:1).
    pub const ZIP_RATIO_FLOOR: u64 = 10 * 1024 * 1024;
    /// Most bytes read from one XML part of a package when extracting text.
    pub const XML_PART_MAX: u64 = 64 * 1024 * 1024;
    /// Most bytes one PDF stream may decompress to.
    pub const PDF_STREAM_MAX: usize = 32 * 1024 * 1024;
    /// Most bytes all the object streams of a PDF may decompress to (checked before parsing),
    /// and most bytes of page content decompressed while extracting text.
    pub const PDF_TOTAL_MAX: usize = 256 * 1024 * 1024;
    /// Most pages whose text is extracted.
    pub const PDF_MAX_PAGES: usize = 3_000;
    /// Time after which PDF text extraction stops and returns what it has.
    pub const PDF_TIME_BUDGET: std::time::Duration = std::time::Duration::from_secs(15);
    /// Images with more pixels than this are refused (decompression bombs for viewers).
    pub const IMAGE_MAX_PIXELS: u64 = 150_000_000;
    /// Longest safe file name, in bytes of UTF-8, extension included.
    pub const NAME_MAX_BYTES: usize = 140;
}

/// A file that passed [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The type, decided by content.
    pub kind: FileKind,
    /// SHA-256 of the bytes, lowercase hex (64 characters).
    pub sha256_hex: String,
    /// Size in bytes.
    pub size: usize,
    /// The declared name made safe to store and to send back in `Content-Disposition`:
    /// NFC, no directories, no control or bidirectional-override characters, no characters
    /// that Windows forbids, bounded length, and the true extension of `kind`.
    pub safe_name: String,
}

/// Checks an uploaded file: size, type by content, structure, dangerous content.
///
/// `declared_name` is only used to spot disguised files (`.pdf` that is a PNG,
/// `report.pdf.exe`) and to build [`Checked::safe_name`]; a name without extension is fine.
pub fn check(bytes: &[u8], declared_name: &str, max_bytes: usize) -> Result<Checked, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > max_bytes {
        return Err(Refusal::TooLarge { max_bytes });
    }
    let declared_ext = name::declared_extension(declared_name);
    if declared_ext.as_deref().is_some_and(name::is_macro_extension) {
        return Err(Refusal::Dangerous { reason: Danger::Macro });
    }
    let kind = match sniff::sniff(bytes)? {
        sniff::Sniffed::Kind(kind) => kind,
        // DOCX and XLSX are told apart, and fully checked, by their package structure.
        sniff::Sniffed::Zip => ooxml::check(bytes, declared_ext.as_deref())?,
    };
    match kind {
        FileKind::Pdf => pdf::check(bytes)?,
        FileKind::Docx | FileKind::Xlsx => {}
        FileKind::Png => image::check_png(bytes)?,
        FileKind::Jpeg => image::check_jpeg(bytes)?,
    }
    if let Some(ext) = declared_ext {
        if !kind.accepts_extension(&ext) {
            return Err(Refusal::Disguised { declared_ext: ext, actual: kind });
        }
    }
    Ok(Checked { kind, sha256_hex: hex::encode(Sha256::digest(bytes)), size: bytes.len(), safe_name: name::safe_name(declared_name, kind) })
}

/// Extracts the text of a file for full-text search.
///
/// `kind` should come from [`check`]; bytes that are not of that kind give
/// [`Refusal::Malformed`]. Images give an empty string. The result is NFC, with runs of
/// spaces collapsed to one space and runs of line breaks to one `\n`, no control characters,
/// and at most `max_chars` characters (cut on a character boundary).
pub fn extract_text(kind: FileKind, bytes: &[u8], max_chars: usize) -> Result<String, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if max_chars == 0 {
        return Ok(String::new());
    }
    // Raw text is gathered up to a byte budget a little above what `max_chars` needs, so a
    // huge document does not cost more work than the caller wants to keep.
    let budget = max_chars.saturating_mul(4).saturating_add(4096);
    let raw = match kind {
        FileKind::Png | FileKind::Jpeg => return Ok(String::new()),
        FileKind::Docx => ooxml::docx_text(bytes, budget)?,
        FileKind::Xlsx => ooxml::xlsx_text(bytes, budget)?,
        FileKind::Pdf => pdf::text(bytes, budget)?,
    };
    Ok(text::finish(&raw, max_chars))
}
