//! Why a file is refused, in plain Vietnamese and English.

use std::fmt;

use danchu_domain::Msg;

use crate::FileKind;

/// Why an uploaded file is not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No bytes at all.
    Empty,
    /// More bytes than allowed.
    TooLarge { max_bytes: usize },
    /// The content is none of the five accepted kinds.
    UnknownType,
    /// The name's extension (lowercase, without dot) does not match the content.
    Disguised { declared_ext: String, actual: FileKind },
    /// The content could hurt whoever opens it.
    Dangerous { reason: Danger },
    /// The content starts like `kind` but is truncated or corrupt.
    Malformed { kind: FileKind },
}

/// What makes a file dangerous.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Danger {
    /// A Windows, Linux or macOS program (PE, ELF, Mach-O, Java class, Windows shortcut).
    Executable,
    /// A script: `#!` shebang, PHP, batch.
    Script,
    /// HTML or SVG (may run JavaScript in a browser), whatever its name.
    Markup,
    /// Office file with macros (vbaProject.bin, macro-enabled content type, .docm/.xlsm …).
    Macro,
    /// Legacy binary Office file (OLE2: .doc, .xls, .ppt, .msi): may hide macros.
    LegacyOffice,
    /// Office file with ActiveX controls, or fetching a template or object from outside.
    ActiveContent,
    /// A package entry whose path escapes (`..`, absolute, drive letter) or is a link.
    ZipPath,
    /// A package that unpacks to far more than its size, or has too many entries.
    ZipBomb,
    /// Password-protected or encrypted: cannot be checked nor indexed.
    Encrypted,
    /// A PDF with active content.
    Pdf(PdfFeature),
    /// An image with an absurd number of pixels (a bomb for viewers).
    ImageTooLarge,
}

/// Active content found in a PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PdfFeature {
    /// `/JavaScript` or `/JS`.
    JavaScript,
    /// `/Launch`: starts another program.
    Launch,
    /// `/EmbeddedFile(s)`: files hidden inside the PDF.
    EmbeddedFile,
    /// `/RichMedia`: Flash or video that runs by itself.
    RichMedia,
}

impl Refusal {
    /// A stable code for logs, metrics and APIs.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Empty => "empty",
            Refusal::TooLarge { .. } => "too_large",
            Refusal::UnknownType => "unknown_type",
            Refusal::Disguised { .. } => "disguised",
            Refusal::Dangerous { .. } => "dangerous",
            Refusal::Malformed { .. } => "malformed",
        }
    }

    /// What to tell the person who uploaded the file.
    pub fn message(&self) -> Msg {
        match self {
            Refusal::Empty => Msg::new("Tệp trống, không có nội dung.", "The file is empty."),
            Refusal::TooLarge { max_bytes } => {
                let size = human_size(*max_bytes);
                Msg::new(format!("Tệp lớn hơn {size} cho phép."), format!("The file is larger than the {size} allowed."))
            }
            Refusal::UnknownType => Msg::new(
                "Chỉ nhận tệp PDF, Word (DOCX), Excel (XLSX), ảnh JPEG hoặc PNG. Nội dung tệp này không thuộc loại nào trong số đó.",
                "Only PDF, Word (DOCX), Excel (XLSX), JPEG or PNG files are accepted. This file's content is none of these.",
            ),
            Refusal::Disguised { declared_ext, actual } => {
                let ext = declared_ext;
                let (vi_what, en_what) = match FileKind::from_extension(ext) {
                    Some(named) => (
                        format!("không phải {} mà là {}", named.label_vi(), actual.label_vi()),
                        format!("is not {} but {}", named.label_en(), an(actual.label_en())),
                    ),
                    None => (format!("là {}", actual.label_vi()), format!("is {}", an(actual.label_en()))),
                };
                let true_ext = actual.extension();
                Msg::new(
                    format!("Tệp có đuôi .{ext} nhưng nội dung {vi_what}. Hãy kiểm tra lại tệp, đặt đúng đuôi .{true_ext} rồi tải lên lại."),
                    format!("The file name ends in .{ext} but its content {en_what}. Check the file, give it the right extension .{true_ext} and upload it again."),
                )
            }
            Refusal::Dangerous { reason } => reason.message(),
            Refusal::Malformed { kind } => Msg::new(
                format!(
                    "Tệp {} bị hỏng hoặc không đầy đủ (có thể do tải lên bị gián đoạn). Hãy mở thử tệp gốc trên máy rồi tải lên lại.",
                    kind.label_vi()
                ),
                format!(
                    "The {} file is damaged or incomplete (perhaps the upload was interrupted). Check that the original opens on your computer and upload it again.",
                    kind.label_en()
                ),
            ),
        }
    }
}

impl Danger {
    pub fn message(&self) -> Msg {
        match self {
            Danger::Executable => Msg::new(
                "Tệp là một chương trình chạy được (tệp thực thi), không được phép đăng tải.",
                "The file is an executable program, which may not be uploaded.",
            ),
            Danger::Script => Msg::new(
                "Tệp chứa mã lệnh (script), không được phép đăng tải.",
                "The file contains a script, which may not be uploaded.",
            ),
            Danger::Markup => Msg::new(
                "Tệp là trang web (HTML) hoặc ảnh SVG, có thể chứa mã lệnh nên không được phép đăng tải. Hãy chuyển sang PDF hoặc PNG.",
                "The file is a web page (HTML) or an SVG image, which can contain scripts and may not be uploaded. Convert it to PDF or PNG.",
            ),
            Danger::Macro => Msg::new(
                "Tệp Office có chứa macro (mã lệnh tự chạy), không được phép đăng tải. Hãy lưu lại dưới dạng DOCX, XLSX thông thường hoặc PDF.",
                "The Office file contains macros (code that runs by itself), which may not be uploaded. Save it as a plain DOCX, XLSX or PDF.",
            ),
            Danger::LegacyOffice => Msg::new(
                "Tệp Word/Excel định dạng cũ (.doc, .xls) không được nhận vì có thể chứa macro ẩn. Hãy mở tệp và lưu lại dưới dạng DOCX, XLSX hoặc PDF.",
                "Old-format Word/Excel files (.doc, .xls) are not accepted because they can hide macros. Open the file and save it as DOCX, XLSX or PDF.",
            ),
            Danger::ActiveContent => Msg::new(
                "Tệp Office có thành phần tự chạy (ActiveX) hoặc tự tải mẫu/đối tượng từ bên ngoài, không được phép đăng tải.",
                "The Office file has ActiveX controls or loads a template or object from outside, which is not allowed.",
            ),
            Danger::ZipPath => Msg::new(
                "Bên trong tệp có đường dẫn không hợp lệ (trỏ ra ngoài tệp), là dấu hiệu tấn công nên không được nhận.",
                "The file contains paths that point outside it, a sign of an attack, so it is not accepted.",
            ),
            Danger::ZipBomb => Msg::new(
                "Tệp khi giải nén lớn bất thường hoặc có quá nhiều thành phần (bom nén), không được nhận.",
                "The file unpacks to an abnormally large size or has too many parts (a zip bomb), so it is not accepted.",
            ),
            Danger::Encrypted => Msg::new(
                "Tệp được đặt mật khẩu hoặc mã hoá nên không thể kiểm tra và đưa vào tìm kiếm. Hãy gỡ mật khẩu rồi tải lên lại.",
                "The file is password-protected or encrypted, so it cannot be checked or made searchable. Remove the password and upload it again.",
            ),
            Danger::Pdf(feature) => {
                let (vi, en) = match feature {
                    PdfFeature::JavaScript => ("mã JavaScript", "JavaScript code"),
                    PdfFeature::Launch => ("lệnh mở chương trình khác", "a command that launches another program"),
                    PdfFeature::EmbeddedFile => ("tệp khác giấu bên trong", "other files hidden inside it"),
                    PdfFeature::RichMedia => ("nội dung đa phương tiện tự chạy (Flash, video)", "self-running media (Flash, video)"),
                };
                Msg::new(
                    format!("Tệp PDF có chứa {vi}, không được phép đăng tải. Hãy in lại thành PDF thông thường (Print → Save as PDF) rồi tải lên."),
                    format!("The PDF contains {en}, which is not allowed. Print it again to a plain PDF (Print → Save as PDF) and upload that."),
                )
            }
            Danger::ImageTooLarge => Msg::new(
                "Ảnh có số điểm ảnh lớn bất thường, không được nhận. Hãy thu nhỏ ảnh rồi tải lên lại.",
                "The image has an abnormally large number of pixels and is not accepted. Resize it and upload it again.",
            ),
        }
    }
}

impl fmt::Display for Refusal {
    /// The English message (for logs); show [`Refusal::message`] to people.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message().en)
    }
}

impl std::error::Error for Refusal {}

fn an(label: &str) -> String {
    if label.starts_with(['A', 'E', 'I', 'O', 'U']) {
        format!("an {label}")
    } else {
        format!("a {label}")
    }
}

/// "20 MB", "512 KB", "100 byte".
fn human_size(bytes: usize) -> String {
    const MB: usize = 1024 * 1024;
    const KB: usize = 1024;
    if bytes >= MB {
        if bytes.is_multiple_of(MB) {
            format!("{} MB", bytes / MB)
        } else {
            format!("{:.1} MB", bytes as f64 / MB as f64)
        }
    } else if bytes >= KB {
        format!("{} KB", bytes / KB)
    } else {
        format!("{bytes} byte")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_plainly() {
        assert_eq!(human_size(20 * 1024 * 1024), "20 MB");
        assert_eq!(human_size(1536 * 1024), "1.5 MB");
        assert_eq!(human_size(2048), "2 KB");
        assert_eq!(human_size(10), "10 byte");
    }

    #[test]
    fn messages_match_the_house_style() {
        assert_eq!(Refusal::TooLarge { max_bytes: 20 * 1024 * 1024 }.message().vi, "Tệp lớn hơn 20 MB cho phép.");
        let m = Refusal::Disguised { declared_ext: "pdf".into(), actual: FileKind::Png }.message();
        assert!(m.vi.starts_with("Tệp có đuôi .pdf nhưng nội dung không phải PDF mà là ảnh PNG."), "{}", m.vi);
        assert!(m.en.contains("is not PDF but a PNG image"), "{}", m.en);
        let m = Refusal::Disguised { declared_ext: "exe".into(), actual: FileKind::Pdf }.message();
        assert!(m.vi.starts_with("Tệp có đuôi .exe nhưng nội dung là PDF."), "{}", m.vi);
        for d in [Danger::Executable, Danger::Pdf(PdfFeature::Launch), Danger::Encrypted] {
            let m = Refusal::Dangerous { reason: d }.message();
            assert!(!m.vi.is_empty() && !m.en.is_empty());
        }
    }
}
