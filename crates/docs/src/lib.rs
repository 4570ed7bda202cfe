//! Official Vietnamese administrative documents as PDF and DOCX.
//!
//! One document model ([`Document`]) is rendered in the layout of Decree 30/2020/NĐ-CP on clerical
//! work (Nghị định 30/2020/NĐ-CP về công tác văn thư, Phụ lục I):
//!
//! - A4 portrait (or landscape, for wide tables), margins top 20 mm, bottom 20 mm, left 30 mm,
//!   right 15 mm; Times New Roman metrics (Liberation Serif 2.1.5 is embedded in the PDF), body 14 pt.
//! - First-page header in two columns: the issuing body (parent body upright, issuer bold, a short
//!   rule, then the number) and the national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập -
//!   Tự do - Hạnh phúc" with a rule as long as the line, then place and date in italics).
//! - Document kind (bold, uppercase), subject (bold) and a short rule, all centred.
//! - Body justified with a 1.27 cm first-line indent and 6 pt after each paragraph; tables with a
//!   bold header row repeated on every page.
//! - "Nơi nhận:" bottom left, the signature block bottom right; page numbers from page 2, top centre.
//!
//! [`to_pdf`] lays the pages out itself (greedy line breaking on the fonts' advance widths,
//! justification, table rows split across pages), embeds subsets of the fonts as CID fonts with
//! a ToUnicode map (so text extraction returns the Vietnamese text) and is byte-for-byte
//! deterministic. [`to_docx`] writes WordprocessingML by hand; Word or LibreOffice lays it out.
//!
//! All text is normalised to NFC first, so decomposed input (e.g. "a" + U+0301) renders with the
//! precomposed glyphs of the font.

mod ballot;
mod decision;
mod docx;
mod fonts;
mod layout;
mod pdf;
mod sample;
mod text;

use std::fmt;

pub use ballot::{ballots_pdf, qr_matrix, BallotCard, BallotSheet};
pub use decision::{
    ballot_count_minutes, vote_count_minutes, written_decision, BallotMinutes, DecisionRecord, Header, MeetingMinutes, VillageResult,
    VoteTally,
};
pub use sample::sample_document;

/// An official document (văn bản hành chính) in the Decree 30/2020 layout.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Upper line of the issuing-body block, e.g. "UBND TỈNH THANH HÓA" (uppercase, not bold).
    pub issuer_parent: Option<String>,
    /// The issuing body, e.g. "ỦY BAN NHÂN DÂN XÃ HẠC THÀNH" (bold, uppercase, a short rule under it).
    pub issuer: String,
    /// Number and code, e.g. "Số: 12/KH-UBND"; "Số: " is prefixed when missing.
    pub number: Option<String>,
    /// Place and date, e.g. "Hạc Thành, ngày 28 tháng 11 năm 2026" (italic).
    pub place_date: String,
    /// Document kind, e.g. "KẾ HOẠCH" (bold, centred, uppercase, 14 pt). May be empty for an official
    /// letter (công văn), whose subject then goes under the number instead; here it stays centred.
    pub kind_title: String,
    /// Subject (trích yếu), e.g. "Công khai thông tin năm 2026" (bold, centred, a short rule under it).
    pub subject: Option<String>,
    /// The body.
    pub blocks: Vec<Block>,
    /// Recipients ("Nơi nhận:"), one per item; "- " is prefixed, and ";" (or "." for the last
    /// item) appended when the item does not already end with punctuation.
    pub recipients: Vec<String>,
    /// The signature block, bottom right.
    pub signature: Signature,
    /// An optional note printed small, italic and grey at the foot of every page,
    /// e.g. "Bản in từ danchu – dữ liệu minh họa".
    pub draft_watermark: Option<String>,
    /// Page orientation; landscape suits wide tables. Margins keep their meaning (left 30 mm …).
    pub orientation: Orientation,
}

/// Page orientation (A4 either way).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Orientation {
    /// 210 × 297 mm.
    #[default]
    Portrait,
    /// 297 × 210 mm.
    Landscape,
}

/// One block of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A section heading such as "I. MỤC ĐÍCH, YÊU CẦU" (bold, kept with what follows).
    Heading(String),
    /// A justified paragraph with a first-line indent. A `'\n'` inside is a line break.
    Paragraph(String),
    /// A paragraph introduced by "- " (give the text without the dash).
    Bullet(String),
    /// A table with borders and a header row.
    Table(Table),
}

/// A table: a bold header row (repeated on every page) and rows of plain cells that wrap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// The columns, left to right.
    pub columns: Vec<Column>,
    /// The rows; a row may have fewer cells than there are columns (the rest are empty), not more.
    pub rows: Vec<Vec<String>>,
}

/// A table column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Column {
    /// Header text.
    pub title: String,
    /// Share of the table width, relative to the other columns (all zero = equal widths).
    pub width_ratio: u16,
    /// Alignment of the body cells (the header is always centred).
    pub align: Align,
}

impl Column {
    /// A left-aligned column.
    pub fn new(title: impl Into<String>, width_ratio: u16) -> Self {
        Column { title: title.into(), width_ratio, align: Align::Left }
    }

    /// The same column with another cell alignment.
    pub fn aligned(mut self, align: Align) -> Self {
        self.align = align;
        self
    }
}

/// Horizontal alignment of table cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Align {
    /// Flush left.
    #[default]
    Left,
    /// Centred.
    Center,
    /// Flush right (numbers).
    Right,
}

/// The signature block (bottom right).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signature {
    /// Authority of the signer, e.g. "TM. ỦY BAN NHÂN DÂN"; for a deputy signing on the chair's
    /// behalf give two lines separated by `'\n'`: "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH". Bold, uppercase.
    pub authority: Option<String>,
    /// Title of the signer, e.g. "CHỦ TỊCH" or "PHÓ CHỦ TỊCH" (bold, uppercase).
    pub title: String,
    /// Full name of the signer (bold), under the space left for the signature and seal.
    pub name: String,
}

/// Why a document could not be rendered.
#[derive(Debug)]
pub enum Error {
    /// A table has no columns.
    EmptyTable {
        /// Index of the block in [`Document::blocks`].
        block: usize,
    },
    /// A table row has more cells than the table has columns.
    RowTooLong {
        /// Index of the block in [`Document::blocks`].
        block: usize,
        /// Index of the row in [`Table::rows`].
        row: usize,
        /// Cells in that row.
        cells: usize,
        /// Columns of the table.
        columns: usize,
    },
    /// An embedded font could not be read or subset (a bug, not bad input).
    Font(String),
    /// The DOCX container could not be written.
    Zip(String),
    /// A ballot's code does not fit in a QR code.
    Qr(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::EmptyTable { block } => write!(f, "table in block {block} has no columns"),
            Error::RowTooLong { block, row, cells, columns } => {
                write!(f, "row {row} of the table in block {block} has {cells} cells but the table has {columns} columns")
            }
            Error::Font(e) => write!(f, "embedded font: {e}"),
            Error::Zip(e) => write!(f, "DOCX container: {e}"),
            Error::Qr(e) => write!(f, "QR code: {e}"),
        }
    }
}

impl std::error::Error for Error {}

/// Renders the document as a PDF (A4, fonts embedded as subsets, text extractable).
///
/// The same document always gives the same bytes (no timestamps, no random IDs).
pub fn to_pdf(doc: &Document) -> Result<Vec<u8>, Error> {
    let doc = text::normalized(doc)?;
    pdf::render(&doc)
}

/// Renders the document as a Word document (DOCX, WordprocessingML written by hand).
///
/// The same document always gives the same bytes (fixed ZIP timestamps, no generated IDs).
pub fn to_docx(doc: &Document) -> Result<Vec<u8>, Error> {
    let doc = text::normalized(doc)?;
    docx::render(&doc)
}
