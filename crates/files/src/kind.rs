//! The five accepted kinds of attachment.

use std::fmt;

/// The kinds of attachment accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    Pdf,
    Docx,
    Xlsx,
    Jpeg,
    Png,
}

impl FileKind {
    pub const ALL: [FileKind; 5] = [FileKind::Pdf, FileKind::Docx, FileKind::Xlsx, FileKind::Jpeg, FileKind::Png];

    /// The media type to serve the file with.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
        }
    }

    /// The canonical extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
        }
    }

    /// A stable code for storage (`"pdf"`, `"docx"`, `"xlsx"`, `"jpeg"`, `"png"`).
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Jpeg => "jpeg",
            FileKind::Png => "png",
        }
    }

    /// Parses [`FileKind::as_str`] (case-insensitive; `"jpg"` is accepted too).
    pub fn parse(s: &str) -> Option<FileKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pdf" => Some(FileKind::Pdf),
            "docx" => Some(FileKind::Docx),
            "xlsx" => Some(FileKind::Xlsx),
            "jpeg" | "jpg" => Some(FileKind::Jpeg),
            "png" => Some(FileKind::Png),
            _ => None,
        }
    }

    pub fn is_image(self) -> bool {
        matches!(self, FileKind::Jpeg | FileKind::Png)
    }

    /// Whether a file of this kind may carry the (lowercase) extension `ext`.
    pub fn accepts_extension(self, ext: &str) -> bool {
        match self {
            FileKind::Jpeg => matches!(ext, "jpg" | "jpeg" | "jpe" | "jfif"),
            other => ext == other.extension(),
        }
    }

    /// The kind a (lowercase) extension names, if any.
    pub fn from_extension(ext: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.accepts_extension(ext))
    }

    /// Vietnamese name for messages, e.g. "ảnh PNG".
    pub fn label_vi(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF",
            FileKind::Docx => "Word (DOCX)",
            FileKind::Xlsx => "Excel (XLSX)",
            FileKind::Jpeg => "ảnh JPEG",
            FileKind::Png => "ảnh PNG",
        }
    }

    /// English name for messages, e.g. "a PNG image".
    pub fn label_en(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF",
            FileKind::Docx => "Word (DOCX)",
            FileKind::Xlsx => "Excel (XLSX)",
            FileKind::Jpeg => "JPEG image",
            FileKind::Png => "PNG image",
        }
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for FileKind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FileKind::parse(s).ok_or(())
    }
}
