//! Nhập danh sách hộ gia đình từ tệp Excel (.xlsx) hoặc CSV.
//! Household import from an Excel (.xlsx) or CSV file.
//!
//! # Định dạng tệp (tiếng Việt)
//!
//! - Tệp là bảng tính Excel `.xlsx` (đọc trang tính đầu tiên) hoặc tệp văn bản
//!   CSV mã hóa UTF-8 (có hoặc không có BOM), phân cách bằng dấu phẩy `,` hoặc
//!   dấu chấm phẩy `;` (cũng nhận phím Tab). Định dạng được nhận biết theo nội
//!   dung tệp, không theo tên tệp. Tệp `.xls` (Excel 97–2003), PDF, ZIP không
//!   phải bảng tính và văn bản không phải UTF-8 đều bị từ chối.
//! - Dòng tiêu đề là dòng đầu tiên có dữ liệu, hoặc (nếu phía trên có dòng
//!   tựa đề như "DANH SÁCH HỘ GIA ĐÌNH…") dòng đầu tiên trong 10 dòng đầu có
//!   ít nhất ba tên cột dưới đây. Tên cột không phân biệt chữ hoa, chữ
//!   thường hay dấu, và có thể có thêm chữ phía sau ("Số CCCD (nếu có)"):
//!   "Mã hộ", "Thôn/Tổ dân phố" (hoặc "Thôn", "Tổ dân phố"), "Địa chỉ", "Họ
//!   và tên", "Ngày sinh", "Quan hệ với chủ hộ" là bắt buộc; "Số CCCD" (hoặc
//!   "CCCD", "Số định danh cá nhân") và "Đại diện hộ" có thể không có. Cột
//!   khác bị bỏ qua.
//! - Mỗi dòng là một người; các dòng cùng "Mã hộ" là một hộ (không cần liền
//!   nhau) và phải ghi cùng một thôn, tổ dân phố. Địa chỉ ghi ít nhất ở một
//!   dòng của hộ. Ngày sinh ghi ngày/tháng/năm (ví dụ 05/03/1985). Người
//!   chưa có CCCD (trẻ em) để trống ô CCCD. "Chủ hộ" ghi ở cột quan hệ; người
//!   đại diện hộ đánh dấu "x" (nếu không đánh dấu: chủ hộ đủ 18 tuổi, nếu không
//!   thì người cao tuổi nhất đủ 18 tuổi).
//! - Số dòng trong thông báo lỗi là số dòng nhìn thấy trong Excel (dòng đầu
//!   tiên của trang tính là dòng 1, kể cả dòng trống).
//!
//! # File format (English)
//!
//! - An Excel `.xlsx` workbook (its first worksheet is read) or a UTF-8 CSV
//!   text file (BOM optional) separated by `,` or `;` (a tab is accepted
//!   too). The format is detected from the content, never from the file
//!   name. `.xls` (Excel 97–2003), PDF, ZIP archives that are not workbooks and
//!   non-UTF-8 text are refused with a message saying what to do.
//! - The header is the first non-empty row or, when title lines come first
//!   ("DANH SÁCH HỘ GIA ĐÌNH…"), the first of the first 10 rows naming at
//!   least three of the columns. Column names are matched ignoring case and
//!   diacritics, alone or followed by more words ("Số CCCD (nếu có)"), with
//!   English aliases accepted: household code, village, address, full name,
//!   date of birth and relation are required; citizen id (CCCD) and
//!   representative are optional. Other columns are ignored.
//! - One row per person; rows sharing a household code form a household
//!   (they need not be adjacent) and must name the same village. The address
//!   is needed on at least one row of the household. Dates are day/month/year.
//!   The representative is marked with "x"; unmarked, the adult head of
//!   household, else the oldest adult, represents the household (C0.3).
//! - Row numbers in messages are the spreadsheet row numbers users see (the
//!   sheet's first row is row 1, blank rows counted).
//!
//! Full CCCD numbers only live in memory while a row is checked: the output
//! holds the keyed hash and the last four digits only, and no message ever
//! repeats the number (non-negotiable 6).

use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx, XlsxError};
use chrono::{Datelike, NaiveDate};
use danchu_domain::cccd::Cccd;
use danchu_domain::people::{self, FullName, HouseholdCode, MemberFacts};
use danchu_domain::text;
use danchu_domain::{Lang, Msg};
use danchu_store::households::{NewHousehold, NewMember};
use danchu_store::units::Unit;
use rust_xlsxwriter::{Color, Format, Workbook, Worksheet};
use std::collections::{BinaryHeap, HashMap};
use std::io::Cursor;

/// A table as read from a file: the non-empty rows, each with its 1-based
/// row number as the user sees it in the spreadsheet (blank rows are skipped
/// but still counted), cells trimmed. The header is the first entry unless
/// title lines precede it (see [`header_position`]).
pub type Table = Vec<(usize, Vec<String>)>;

/// Cells right of this many columns are ignored (a stray value in column
/// XFD must not make every row 16,384 cells wide).
pub const MAX_COLUMNS: usize = 256;

/// At most this many errors are listed; one more line says how many more
/// there were.
pub const MAX_ERRORS: usize = 1000;

/// The most data rows an `.xlsx` sheet holds (Excel's limit less the header).
pub const XLSX_MAX_DATA_ROWS: usize = 1_048_575;

/// Progress is reported every this many rows.
const PROGRESS_EVERY: usize = 2000;

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn msg_save_as() -> &'static str {
    "Hãy mở tệp bằng Excel rồi chọn Lưu thành (Save As) dạng \"Sổ làm việc Excel (*.xlsx)\" hoặc \"CSV UTF-8\"."
}

fn msg_save_as_en() -> &'static str {
    "Open it in Excel and use Save As \"Excel Workbook (*.xlsx)\" or \"CSV UTF-8\"."
}

fn refuse(vi: &str, en: &str) -> Msg {
    Msg::new(format!("{vi} {}", msg_save_as()), format!("{en} {}", msg_save_as_en()))
}

/// Reads an uploaded file into a [`Table`], detecting its format from its
/// content: XLSX (ZIP signature, first worksheet) or UTF-8 CSV (optional
/// BOM; `,`, `;` or tab detected from the header line). Cells are trimmed
/// strings: Excel date cells become `dd/mm/yyyy`, whole numbers are written
/// without decimals (a CCCD typed as a number keeps the digits Excel kept).
/// Fully empty rows are skipped; row numbers stay those of the file.
pub fn read_table(bytes: &[u8]) -> Result<Table, Msg> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Msg::new("Tệp trống, không có dữ liệu.", "The file is empty."));
    }
    if bytes.starts_with(ZIP_MAGIC) {
        // An OpenDocument file starts with its uncompressed "mimetype" entry.
        let head = &bytes[..bytes.len().min(100)];
        if head.windows(14).any(|w| w == b"opendocument.s") {
            return Err(refuse(
                "Tệp này là bảng tính OpenDocument (.ods, LibreOffice); hệ thống chỉ đọc tệp .xlsx hoặc CSV.",
                "This is an OpenDocument (.ods, LibreOffice) spreadsheet; only .xlsx and CSV files are read.",
            ));
        }
        return read_xlsx(bytes);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Err(refuse(
            "Tệp này là bảng tính Excel 97–2003 (.xls) hoặc tệp Excel có đặt mật khẩu; hệ thống chỉ đọc tệp .xlsx hoặc CSV.",
            "This is an Excel 97–2003 (.xls) workbook or a password-protected Excel file; only .xlsx and CSV files are read.",
        ));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(refuse(
            "Tệp này là tệp PDF; hệ thống không đọc được danh sách từ tệp PDF.",
            "This is a PDF file; a list cannot be read from a PDF.",
        ));
    }
    if bytes.starts_with(b"PK") {
        return Err(refuse(
            "Tệp này là tệp nén ZIP rỗng hoặc bị hỏng, không phải bảng tính.",
            "This is an empty or damaged ZIP archive, not a spreadsheet.",
        ));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(refuse(
            "Tệp văn bản này mã hóa UTF-16 (\"Unicode Text\"); hệ thống chỉ đọc văn bản UTF-8.",
            "This text file is UTF-16 (\"Unicode Text\"); only UTF-8 text is read.",
        ));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(body) {
        Ok(t) if !t.contains('\0') => t,
        Ok(_) => {
            return Err(refuse(
                "Tệp không phải bảng tính .xlsx hay tệp CSV (có dữ liệu nhị phân).",
                "The file is neither an .xlsx workbook nor a CSV file (it holds binary data).",
            ))
        }
        Err(_) => {
            return Err(refuse(
                "Tệp không phải bảng tính .xlsx, cũng không phải văn bản CSV mã hóa UTF-8 (có thể là CSV lưu bằng bảng mã cũ như TCVN3/VNI/Windows-1258, hoặc tệp nhị phân).",
                "The file is neither an .xlsx workbook nor UTF-8 CSV text (it may be a CSV saved in a legacy encoding such as TCVN3, VNI or Windows-1258, or a binary file).",
            ))
        }
    };
    read_csv(text)
}

fn not_a_workbook() -> Msg {
    refuse(
        "Tệp này là tệp nén ZIP (ví dụ tệp Word .docx) nhưng không phải bảng tính Excel .xlsx, hoặc tệp bị hỏng.",
        "This file is a ZIP archive (a Word .docx for instance) but not an Excel .xlsx workbook, or it is damaged.",
    )
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, Msg> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        XlsxError::Password => Msg::new(
            "Tệp Excel có đặt mật khẩu; hãy bỏ mật khẩu rồi tải lên lại.",
            "The Excel file is password-protected; remove the password and upload it again.",
        ),
        _ => not_a_workbook(),
    })?;
    let sheets = wb.sheets_metadata();
    let sheet = sheets
        .iter()
        .find(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .or_else(|| sheets.iter().find(|s| s.typ == SheetType::WorkSheet))
        .map(|s| s.name.clone())
        .ok_or_else(|| Msg::new("Tệp Excel không có trang tính (worksheet) nào.", "The Excel file has no worksheet."))?;
    let damaged = || {
        Msg::new(
            format!("Không đọc được trang tính \"{sheet}\": tệp Excel bị hỏng. {}", msg_save_as()),
            format!("Cannot read worksheet \"{sheet}\": the Excel file is damaged. {}", msg_save_as_en()),
        )
    };
    let mut reader = wb.worksheet_cells_reader(&sheet).map_err(|_| damaged())?;
    let mut rows: Table = Vec::new();
    let mut cur_row: Option<u32> = None;
    let mut cur: Vec<String> = Vec::new();
    let flush = |row: Option<u32>, cur: &mut Vec<String>, rows: &mut Table| {
        if let Some(r) = row {
            if cur.iter().any(|c| !c.is_empty()) {
                rows.push((r as usize + 1, std::mem::take(cur)));
            } else {
                cur.clear();
            }
        }
    };
    while let Some(cell) = reader.next_cell().map_err(|_| damaged())? {
        let (r, c) = cell.get_position();
        if cur_row != Some(r) {
            flush(cur_row, &mut cur, &mut rows);
            cur_row = Some(r);
        }
        let c = c as usize;
        if c >= MAX_COLUMNS {
            continue;
        }
        let s = cell_text(cell.get_value());
        if s.is_empty() {
            continue;
        }
        if c >= cur.len() {
            cur.resize(c + 1, String::new());
        }
        cur[c] = s;
    }
    flush(cur_row, &mut cur, &mut rows);
    drop(reader);
    if !rows.is_sorted_by_key(|(r, _)| *r) {
        // Rows written out of order by some generator: put them in order.
        rows.sort_by_key(|(r, _)| *r);
    }
    Ok(rows)
}

/// The text of an XLSX cell, as the user sees it.
fn cell_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::Empty => String::new(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::String(s) | DataRef::DurationIso(s) => s.trim().to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(dt) => {
            if dt.is_datetime() {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                format!("{d:02}/{m:02}/{y:04}")
            } else {
                number_text(dt.as_f64())
            }
        }
        DataRef::DateTimeIso(s) => {
            let s = s.trim();
            match s.get(..10).and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok()) {
                Some(d) => d.format("%d/%m/%Y").to_string(),
                None => s.to_string(),
            }
        }
        DataRef::Error(e) => e.to_string(),
    }
}

/// A number as text: whole numbers without decimals or exponent.
fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        (f as i64).to_string()
    } else {
        f.to_string()
    }
}

/// Picks the delimiter from the header line: the one found most often
/// outside quotes on a single line among the first 10 non-empty lines (the
/// header may follow a title line); ties go to the comma.
fn detect_delimiter(text: &str) -> u8 {
    let (mut comma, mut semi, mut tab) = (0, 0, 0);
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(10) {
        let (mut c, mut s, mut t, mut quoted) = (0, 0, 0, false);
        for ch in line.chars() {
            match ch {
                '"' => quoted = !quoted,
                ',' if !quoted => c += 1,
                ';' if !quoted => s += 1,
                '\t' if !quoted => t += 1,
                _ => {}
            }
        }
        comma = comma.max(c);
        semi = semi.max(s);
        tab = tab.max(t);
    }
    if semi > comma && semi >= tab {
        b';'
    } else if tab > comma && tab > semi {
        b'\t'
    } else {
        b','
    }
}

/// The number of line breaks in the run of `\r`/`\n` starting at `from`,
/// a `\r\n` pair counting once (also when its `\r` lies before `from`).
fn blank_lines_at(bytes: &[u8], from: usize) -> usize {
    let mut n = 0;
    let mut i = from;
    while i < bytes.len() && matches!(bytes[i], b'\r' | b'\n') {
        if bytes[i] == b'\r' || i == 0 || bytes[i - 1] != b'\r' {
            n += 1;
        }
        i += 1;
    }
    n
}

fn read_csv(text: &str) -> Result<Table, Msg> {
    let mut rdr =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(detect_delimiter(text)).from_reader(text.as_bytes());
    let mut rows: Table = Vec::new();
    let mut record = csv::StringRecord::new();
    let bytes = text.as_bytes();
    // The csv reader skips blank lines, which a spreadsheet shows as empty
    // rows, and a quoted cell may span several lines of one row. A record's
    // position is where the previous one ended: the row number is the
    // previous row's plus one plus the blank lines skipped in between.
    let mut prev_row = 0usize;
    loop {
        match rdr.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => {
                let line = prev_row + 1;
                return Err(Msg::new(
                    format!("Không đọc được tệp CSV ở dòng {line}. {}", msg_save_as()),
                    format!("Cannot read the CSV file at line {line}. {}", msg_save_as_en()),
                ));
            }
        }
        let from = record.position().map(|p| p.byte() as usize).unwrap_or(0).min(bytes.len());
        let row = prev_row + 1 + blank_lines_at(bytes, from);
        prev_row = row;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let mut cells: Vec<String> = record.iter().take(MAX_COLUMNS).map(|f| f.trim().to_string()).collect();
        while cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        rows.push((row, cells));
    }
    Ok(rows)
}

// ---------------------------------------------------------------------------
// Columns
// ---------------------------------------------------------------------------

/// A column of the import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Code,
    Village,
    Address,
    FullName,
    BirthDate,
    Cccd,
    Relation,
    Representative,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Code,
        Field::Village,
        Field::Address,
        Field::FullName,
        Field::BirthDate,
        Field::Cccd,
        Field::Relation,
        Field::Representative,
    ];

    /// The Vietnamese column name written in the header of generated files.
    pub fn header(self) -> &'static str {
        match self {
            Field::Code => "Mã hộ",
            Field::Village => "Thôn/Tổ dân phố",
            Field::Address => "Địa chỉ",
            Field::FullName => "Họ và tên",
            Field::BirthDate => "Ngày sinh",
            Field::Cccd => "Số CCCD",
            Field::Relation => "Quan hệ với chủ hộ",
            Field::Representative => "Đại diện hộ",
        }
    }

    /// The English alias.
    pub fn header_en(self) -> &'static str {
        match self {
            Field::Code => "household code",
            Field::Village => "village",
            Field::Address => "address",
            Field::FullName => "full name",
            Field::BirthDate => "date of birth",
            Field::Cccd => "citizen id",
            Field::Relation => "relation",
            Field::Representative => "representative",
        }
    }

    pub fn required(self) -> bool {
        !matches!(self, Field::Cccd | Field::Representative)
    }

    /// Folded header names that designate this column.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Code => &["ma ho", "ma ho gia dinh", "household code"],
            Field::Village => &["thon to dan pho", "thon", "to dan pho", "village"],
            Field::Address => &["dia chi", "address"],
            Field::FullName => &["ho va ten", "ho ten", "full name"],
            Field::BirthDate => &["ngay sinh", "ngay thang nam sinh", "date of birth", "birth date"],
            Field::Cccd => &["so cccd", "cccd", "so dinh danh ca nhan", "citizen id"],
            Field::Relation => &["quan he voi chu ho", "quan he", "relation"],
            Field::Representative => &["dai dien ho", "nguoi dai dien ho", "representative"],
        }
    }

    /// The field a folded header names exactly.
    fn exact(folded: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| field.aliases().contains(&folded))
    }

    /// The field a folded header names followed by more words, such as
    /// "Số CCCD (nếu có)" or "Ngày sinh (ngày/tháng/năm)".
    fn prefixed(folded: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| {
            field.aliases().iter().any(|a| folded.len() > a.len() && folded.starts_with(a) && folded.as_bytes()[a.len()] == b' ')
        })
    }
}

/// How many different fields a row's cells name: a header row names most.
fn header_score(row: &[String]) -> usize {
    let mut seen = [false; 8];
    for h in row.iter().take(MAX_COLUMNS) {
        if h.is_empty() || h.len() > 100 {
            continue;
        }
        let f = text::fold(h);
        if let Some(field) = Field::exact(&f).or_else(|| Field::prefixed(&f)) {
            seen[field as usize] = true;
        }
    }
    seen.iter().filter(|s| **s).count()
}

/// Where the header row is in a table: the first of its first 10 rows that
/// names at least 3 columns (so that title lines above the header, common
/// in official lists, are skipped), else the first row.
pub fn header_position(table: &[(usize, Vec<String>)]) -> usize {
    table.iter().take(10).position(|(_, r)| header_score(r) >= 3).unwrap_or(0)
}

/// Where each field sits in the file, and the column name to show in
/// messages (the file's own header text, or the standard name when the
/// optional column is absent).
#[derive(Debug, Clone)]
pub struct Columns {
    index: [Option<usize>; 8],
    names: [String; 8],
}

impl Columns {
    pub fn index(&self, f: Field) -> Option<usize> {
        self.index[f as usize]
    }

    pub fn name(&self, f: Field) -> &str {
        &self.names[f as usize]
    }

    fn get<'r>(&self, row: &'r [String], f: Field) -> &'r str {
        self.index[f as usize].and_then(|i| row.get(i)).map(String::as_str).unwrap_or("")
    }
}

/// Maps the header row to the fields. Every missing required column is named
/// in one error; a field given by two columns is an error too.
pub fn map_columns(header: &[String], header_row: usize) -> Result<Columns, Vec<RowError>> {
    let mut index = [None; 8];
    let mut names: [String; 8] = Field::ALL.map(|f| f.header().to_string());
    let mut errors = Vec::new();
    let folded: Vec<String> = header.iter().map(|h| text::fold(h)).collect();
    // Exact names first; a name followed by more words only for a field no
    // column names exactly, and only if a single column does so.
    let mut prefixed: [Vec<usize>; 8] = Default::default();
    for (i, h) in header.iter().enumerate() {
        let Some(f) = Field::exact(&folded[i]) else {
            if let Some(f) = Field::prefixed(&folded[i]) {
                prefixed[f as usize].push(i);
            }
            continue;
        };
        let shown = text::clean_line(h);
        match index[f as usize] {
            None => {
                index[f as usize] = Some(i);
                names[f as usize] = shown;
            }
            Some(_) => errors.push(RowError::new(
                header_row,
                None,
                Msg::new(
                    format!("Cột \"{}\" và cột \"{shown}\" cùng là cột \"{}\"; hãy chỉ giữ một cột.", names[f as usize], f.header()),
                    format!("Columns \"{}\" and \"{shown}\" are both the \"{}\" column; keep only one.", names[f as usize], f.header_en()),
                ),
            )),
        }
    }
    for f in Field::ALL {
        if let (None, [i]) = (index[f as usize], prefixed[f as usize].as_slice()) {
            index[f as usize] = Some(*i);
            names[f as usize] = text::clean_line(&header[*i]);
        }
    }
    let missing: Vec<Field> = Field::ALL.into_iter().filter(|f| f.required() && index[*f as usize].is_none()).collect();
    if !missing.is_empty() {
        let vi = missing.iter().map(|f| format!("\"{}\"", f.header())).collect::<Vec<_>>().join(", ");
        let en = missing.iter().map(|f| format!("\"{}\" ({})", f.header(), f.header_en())).collect::<Vec<_>>().join(", ");
        errors.insert(
            0,
            RowError::new(
                header_row,
                None,
                Msg::new(
                    format!("Dòng tiêu đề thiếu cột bắt buộc: {vi}. Hãy dùng tệp mẫu hoặc đặt đúng tên cột."),
                    format!("The header row lacks required columns: {en}. Use the template or name the columns as it does."),
                ),
            ),
        );
    }
    if errors.is_empty() {
        Ok(Columns { index, names })
    } else {
        Err(errors)
    }
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// One problem found in the file. `vi` and `en` hold the complete message,
/// already prefixed with the row and column (`Dòng 12, cột "Số CCCD": …` /
/// `Row 12, column "Số CCCD": …`); `row` 0 means the whole file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowError {
    pub row: usize,
    pub column: Option<String>,
    pub vi: String,
    pub en: String,
}

impl RowError {
    pub fn new(row: usize, column: Option<&str>, message: Msg) -> RowError {
        let (vi, en) = match (row, column) {
            (0, _) => (message.vi, message.en),
            (r, None) => (format!("Dòng {r}: {}", message.vi), format!("Row {r}: {}", message.en)),
            (r, Some(c)) => (format!("Dòng {r}, cột \"{c}\": {}", message.vi), format!("Row {r}, column \"{c}\": {}", message.en)),
        };
        RowError { row, column: column.map(str::to_string), vi, en }
    }

    /// An error about the whole file (row 0, no prefix).
    pub fn file(message: Msg) -> RowError {
        RowError::new(0, None, message)
    }

    /// The full message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => self.vi.clone(),
            Lang::En => self.en.clone(),
        }
    }

    pub fn message(&self) -> Msg {
        Msg::new(self.vi.clone(), self.en.clone())
    }
}

struct Pending {
    row: usize,
    seq: usize,
    err: RowError,
}

impl PartialEq for Pending {
    fn eq(&self, o: &Self) -> bool {
        (self.row, self.seq) == (o.row, o.seq)
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Pending {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.row, self.seq).cmp(&(o.row, o.seq))
    }
}

/// Keeps the first [`MAX_ERRORS`] errors in row order (household errors are
/// found after the rows they attach to) and counts the rest without
/// building their messages.
struct Errors {
    kept: BinaryHeap<Pending>,
    total: usize,
    seq: usize,
}

impl Errors {
    fn new() -> Errors {
        Errors { kept: BinaryHeap::new(), total: 0, seq: 0 }
    }

    fn add(&mut self, row: usize, column: Option<&str>, msg: impl FnOnce() -> Msg) {
        self.total += 1;
        self.seq += 1;
        if self.kept.len() >= MAX_ERRORS {
            let last = self.kept.peek().expect("non-empty");
            if (row, self.seq) > (last.row, last.seq) {
                return;
            }
        }
        self.kept.push(Pending { row, seq: self.seq, err: RowError::new(row, column, msg()) });
        if self.kept.len() > MAX_ERRORS {
            self.kept.pop();
        }
    }

    fn is_empty(&self) -> bool {
        self.total == 0
    }

    fn into_vec(self) -> Vec<RowError> {
        let total = self.total;
        let mut out: Vec<RowError> = self.kept.into_sorted_vec().into_iter().map(|p| p.err).collect();
        if total > out.len() {
            let more = total - out.len();
            out.push(RowError::file(Msg::new(
                format!("Còn {more} lỗi khác chưa liệt kê ở đây; hãy sửa các lỗi trên rồi tải tệp lên lại."),
                format!("{more} more errors are not listed here; fix the ones above and upload the file again."),
            )));
        }
        out
    }
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

/// What validation needs besides the file.
#[derive(Debug, Clone, Copy)]
pub struct ValidateOptions<'a> {
    /// The day the import happens: ages and "not in the future" refer to it.
    pub today: NaiveDate,
    /// The deployment's secret key for [`Cccd::keyed_hash`].
    pub cccd_key: &'a [u8],
}

#[derive(Clone, Copy)]
enum VillageMatch {
    Found(usize),
    Ambiguous,
    Unknown,
}

/// Village lookup by folded full name, short name or code.
struct VillageIndex {
    by_key: HashMap<String, VillageMatch>,
    cache: HashMap<String, VillageMatch>,
}

impl VillageIndex {
    fn new(villages: &[Unit]) -> Self {
        let mut by_key: HashMap<String, VillageMatch> = HashMap::new();
        for (i, v) in villages.iter().enumerate() {
            let mut keys = vec![text::fold(&v.name), text::fold(&v.short_name), text::fold(&v.code)];
            keys.sort();
            keys.dedup();
            for k in keys.into_iter().filter(|k| !k.is_empty()) {
                by_key
                    .entry(k)
                    .and_modify(|m| {
                        if !matches!(m, VillageMatch::Found(j) if *j == i) {
                            *m = VillageMatch::Ambiguous;
                        }
                    })
                    .or_insert(VillageMatch::Found(i));
            }
        }
        VillageIndex { by_key, cache: HashMap::new() }
    }

    fn find(&mut self, raw: &str) -> VillageMatch {
        if let Some(m) = self.cache.get(raw) {
            return *m;
        }
        let key = text::fold(raw);
        let mut m = self.by_key.get(&key).copied().unwrap_or(VillageMatch::Unknown);
        if matches!(m, VillageMatch::Unknown) {
            // "Thôn X" written for a tổ dân phố X, or the reverse.
            for prefix in ["thon ", "to dan pho "] {
                if let Some(rest) = key.strip_prefix(prefix) {
                    if let Some(found) = self.by_key.get(rest) {
                        m = *found;
                    }
                }
            }
        }
        if self.cache.len() < 10_000 {
            self.cache.insert(raw.to_string(), m);
        }
        m
    }
}

/// A household being assembled from its rows.
struct HouseAcc<'t> {
    code: String,
    first_row: usize,
    village: Option<(usize, usize)>,
    address: Option<(String, usize)>,
    /// The raw address cell last found equal to `address`: an identical
    /// cell needs no cleaning or comparing.
    address_raw: &'t str,
    address_error: bool,
    head_row: Option<usize>,
    members: Vec<NewMember>,
    facts: Vec<MemberFacts>,
    rows: Vec<usize>,
    /// A member row had an error: the household-level representative check
    /// would only add noise.
    incomplete: bool,
}

/// Value of the representative column: empty or a "no" → false, a mark → true.
fn parse_mark(s: &str) -> Option<bool> {
    let t = s.trim();
    match t {
        "" => return Some(false),
        "x" | "X" | "✓" | "✔" | "√" | "☑" | "☒" => return Some(true),
        _ => {}
    }
    match text::fold(t).as_str() {
        "x" | "co" | "1" | "yes" | "y" | "true" | "dai dien" => Some(true),
        "khong" | "k" | "0" | "no" | "n" | "false" => Some(false),
        _ => None,
    }
}

/// [`people::parse_date`], with a fast path for the common `dd/mm/yyyy`
/// (same result: anything else, or an impossible date, goes to it).
fn parse_date_fast(s: &str) -> Result<NaiveDate, Msg> {
    let b = s.as_bytes();
    if b.len() == 10 && b[2] == b'/' && b[5] == b'/' {
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            b[r].iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32))
        };
        if let (Some(d), Some(m), Some(y)) = (num(0..2), num(3..5), num(6..10)) {
            if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
                return Ok(date);
            }
        }
    }
    people::parse_date(s)
}

/// `yyyy-mm-dd`, as the store keeps dates.
fn iso_date(d: NaiveDate) -> String {
    let (y, m, dd) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        return d.format("%Y-%m-%d").to_string();
    }
    let y = y as u32;
    let digits = [y / 1000, y / 100 % 10, y / 10 % 10, y % 10, m / 10, m % 10, dd / 10, dd % 10];
    let mut s = String::with_capacity(10);
    for (i, v) in digits.into_iter().enumerate() {
        if i == 4 || i == 6 {
            s.push('-');
        }
        s.push((b'0' + v as u8) as char);
    }
    s
}

/// Hasher for keys that are already uniformly random (a keyed HMAC).
#[derive(Default)]
struct PreHashed(u64);

impl std::hash::Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u128(&mut self, v: u128) {
        self.0 = (v as u64) ^ ((v >> 64) as u64);
    }
}

type PreHashedMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<PreHashed>>;

/// `s` shortened to `n` characters for quoting in a message.
fn quote(s: &str, n: usize) -> String {
    let s = text::clean_line(s);
    if s.chars().count() <= n {
        s
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

fn first_year() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid date")
}

/// Reads and validates a file: [`read_table`] then [`validate`], with a
/// reading failure reported as a whole-file error.
pub fn read_and_validate(
    bytes: &[u8],
    villages: &[Unit],
    opts: &ValidateOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<NewHousehold>, Vec<RowError>> {
    let table = read_table(bytes).map_err(|m| vec![RowError::file(m)])?;
    validate(&table, villages, opts, progress)
}

/// A relation cell, cleaned once per distinct value.
#[derive(Clone)]
enum Relation {
    Ok { cleaned: String, is_head: bool },
    Empty,
    TooLong,
}

fn parse_relation(raw: &str) -> Relation {
    let cleaned = text::clean_line(raw);
    match cleaned.chars().count() {
        0 => Relation::Empty,
        51.. => Relation::TooLong,
        _ => {
            let is_head = text::fold(&cleaned) == "chu ho";
            Relation::Ok { cleaned, is_head }
        }
    }
}

/// Validates a whole table as [`read_table`] returns it against the
/// commune's `villages` and builds the households to import. The header is
/// the first row, or the first of the first 10 rows that names at least
/// three columns (title lines above it are ignored, see [`header_position`]).
///
/// Every row is checked and all errors are returned in row order (at most
/// [`MAX_ERRORS`], then a line counting the rest). `progress(done, total)` is
/// called every 2,000 data rows and at the end. Households come out in order
/// of first appearance, members in row order.
pub fn validate(
    table: &[(usize, Vec<String>)],
    villages: &[Unit],
    opts: &ValidateOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<NewHousehold>, Vec<RowError>> {
    if table.is_empty() {
        return Err(vec![RowError::file(Msg::new(
            "Tệp không có dữ liệu: cần một dòng tiêu đề và mỗi người một dòng.",
            "The file holds no data: it needs a header row and one row per person.",
        ))]);
    }
    let start = header_position(table);
    let (header_row, header) = &table[start];
    let data = &table[start + 1..];
    let cols = map_columns(header, *header_row)?;
    if data.is_empty() {
        return Err(vec![RowError::file(Msg::new(
            "Tệp chỉ có dòng tiêu đề, chưa có hộ nào.",
            "The file has a header row but no households.",
        ))]);
    }
    let today = opts.today;
    let oldest = first_year();
    let total = data.len();
    let mut errs = Errors::new();
    let mut vindex = VillageIndex::new(villages);
    let mut houses: Vec<HouseAcc> = Vec::new();
    let mut house_of: HashMap<String, usize> = HashMap::with_capacity(total / 2);
    let mut cccd_rows: PreHashedMap<u128, usize> = PreHashedMap::with_capacity_and_hasher(total, Default::default());
    let mut relations: HashMap<&str, Relation> = HashMap::new();
    // Rows of a household usually follow each other: the previous row's
    // code and village cells are parsed once.
    let mut prev_code: Option<(&str, Result<usize, Msg>)> = None;
    let mut prev_village: Option<(&str, VillageMatch)> = None;

    let col = |f: Field| Some(cols.name(f));

    for (i, (row, cells)) in data.iter().enumerate() {
        let row = *row;
        if i > 0 && i % PROGRESS_EVERY == 0 {
            progress(i, total);
        }
        let mut member_ok = true;

        // Household code: the household is created at its first row.
        let code_raw = cols.get(cells, Field::Code);
        let h: Result<usize, Msg> = match &prev_code {
            Some((raw, res)) if *raw == code_raw => res.clone(),
            _ => {
                let res = HouseholdCode::parse(code_raw).map(|code| match house_of.get(code.as_str()) {
                    Some(&h) => h,
                    None => {
                        let h = houses.len();
                        house_of.insert(code.as_str().to_string(), h);
                        houses.push(HouseAcc {
                            code: code.as_str().to_string(),
                            first_row: row,
                            village: None,
                            address: None,
                            address_raw: "",
                            address_error: false,
                            head_row: None,
                            members: Vec::new(),
                            facts: Vec::new(),
                            rows: Vec::new(),
                            incomplete: false,
                        });
                        h
                    }
                });
                prev_code = Some((code_raw, res.clone()));
                res
            }
        };
        let h = match h {
            Ok(h) => Some(h),
            Err(m) => {
                errs.add(row, col(Field::Code), || m);
                None
            }
        };

        // Village.
        let vraw = cols.get(cells, Field::Village);
        let village = if vraw.is_empty() {
            errs.add(row, col(Field::Village), || Msg::new("Chưa ghi thôn, tổ dân phố.", "The village is missing."));
            None
        } else {
            let m = match prev_village {
                Some((raw, m)) if raw == vraw => m,
                _ => {
                    let m = vindex.find(vraw);
                    prev_village = Some((vraw, m));
                    m
                }
            };
            match m {
                VillageMatch::Found(v) => Some(v),
                VillageMatch::Unknown => {
                    errs.add(row, col(Field::Village), || {
                        let q = quote(vraw, 80);
                        Msg::new(
                            format!("Không có thôn, tổ dân phố \"{q}\" trong xã, phường này; hãy ghi đúng tên (ví dụ \"Thôn Đông Hòa\" hoặc \"Đông Hòa\") hoặc mã của thôn, tổ dân phố."),
                            format!("There is no village \"{q}\" in this commune; write the village's name (e.g. \"Thôn Đông Hòa\" or \"Đông Hòa\") or its code."),
                        )
                    });
                    None
                }
                VillageMatch::Ambiguous => {
                    errs.add(row, col(Field::Village), || {
                        let q = quote(vraw, 80);
                        Msg::new(
                            format!("Tên \"{q}\" trùng với nhiều thôn, tổ dân phố; hãy ghi tên đầy đủ hoặc mã."),
                            format!("\"{q}\" matches several villages; write the full name or the code."),
                        )
                    });
                    None
                }
            }
        };

        // Address: may be blank on all rows but one of the household; a cell
        // identical to the one already accepted needs no work.
        let araw = cols.get(cells, Field::Address);
        let mut address: Option<String> = None;
        let mut address_bad = false;
        if !araw.is_empty() && h.is_none_or(|h| houses[h].address_raw != araw) {
            let a = text::clean_line(araw);
            if a.chars().count() > 200 {
                errs.add(row, col(Field::Address), || Msg::new("Địa chỉ dài quá 200 ký tự.", "The address is longer than 200 characters."));
                address_bad = true;
            } else if !a.is_empty() {
                address = Some(a);
            }
        }

        // Full name.
        let name = match FullName::parse(cols.get(cells, Field::FullName)) {
            Ok(n) => Some(n),
            Err(m) => {
                errs.add(row, col(Field::FullName), || m);
                member_ok = false;
                None
            }
        };

        // Date of birth.
        let braw = cols.get(cells, Field::BirthDate);
        let birth = if braw.is_empty() {
            errs.add(row, col(Field::BirthDate), || Msg::new("Chưa ghi ngày sinh.", "The date of birth is missing."));
            None
        } else {
            match parse_date_fast(braw) {
                Ok(d) if d > today => {
                    errs.add(row, col(Field::BirthDate), || {
                        Msg::new(
                            format!("Ngày sinh {} ở sau ngày hôm nay.", d.format("%d/%m/%Y")),
                            format!("The date of birth {} is after today.", d.format("%d/%m/%Y")),
                        )
                    });
                    None
                }
                Ok(d) if d < oldest => {
                    errs.add(row, col(Field::BirthDate), || {
                        Msg::new(
                            format!("Ngày sinh {} trước năm 1900; hãy kiểm tra lại.", d.format("%d/%m/%Y")),
                            format!("The date of birth {} is before 1900; check it.", d.format("%d/%m/%Y")),
                        )
                    });
                    None
                }
                Ok(d) => Some(d),
                Err(m) => {
                    errs.add(row, col(Field::BirthDate), || m);
                    None
                }
            }
        };
        if birth.is_none() {
            member_ok = false;
        }

        // CCCD (optional). An 11-digit number is a 12-digit one whose leading
        // zero a spreadsheet dropped.
        let craw = cols.get(cells, Field::Cccd);
        let mut cccd: Option<(String, String)> = None;
        if !craw.is_empty() {
            let padded;
            let digits = if craw.len() == 11 && craw.bytes().all(|b| b.is_ascii_digit()) {
                padded = format!("0{craw}");
                padded.as_str()
            } else {
                craw
            };
            match Cccd::parse_for(digits, birth, today) {
                Ok(c) => {
                    let hash = c.keyed_hash(opts.cccd_key);
                    // The first 128 bits of the keyed hash identify the number.
                    let key = u128::from_str_radix(&hash[..32], 16).unwrap_or_default();
                    match cccd_rows.get(&key) {
                        Some(&first) => errs.add(row, col(Field::Cccd), || {
                            Msg::new(
                                format!("Số CCCD này đã có ở dòng {first}; mỗi người chỉ có một số CCCD."),
                                format!("This CCCD number is already on row {first}; each person has their own number."),
                            )
                        }),
                        None => {
                            cccd_rows.insert(key, row);
                        }
                    }
                    cccd = Some((hash, c.last4()));
                }
                Err(e) => errs.add(row, col(Field::Cccd), || e.msg()),
            }
        }

        // Relation to the head of household.
        let rraw = cols.get(cells, Field::Relation);
        let rel = match relations.get(rraw) {
            Some(r) => r.clone(),
            None => {
                let r = parse_relation(rraw);
                if relations.len() < 1000 {
                    relations.insert(rraw, r.clone());
                }
                r
            }
        };
        let (relation, is_head) = match rel {
            Relation::Ok { cleaned, is_head } => (cleaned, is_head),
            Relation::Empty => {
                errs.add(row, col(Field::Relation), || {
                    Msg::new(
                        "Chưa ghi quan hệ với chủ hộ (ví dụ \"Chủ hộ\", \"Vợ\", \"Con\").",
                        "The relation to the head of household is missing (e.g. \"Chủ hộ\", \"Vợ\", \"Con\").",
                    )
                });
                member_ok = false;
                (String::new(), false)
            }
            Relation::TooLong => {
                errs.add(row, col(Field::Relation), || {
                    Msg::new("Quan hệ với chủ hộ dài quá 50 ký tự.", "The relation to the head of household is longer than 50 characters.")
                });
                member_ok = false;
                (String::new(), false)
            }
        };

        // Representative mark.
        let marked = match parse_mark(cols.get(cells, Field::Representative)) {
            Some(b) => b,
            None => {
                errs.add(row, col(Field::Representative), || {
                    Msg::new(
                        "Cột đại diện hộ chỉ ghi \"x\" cho người đại diện hộ, hoặc để trống.",
                        "In the representative column write \"x\" for the household representative, or leave it blank.",
                    )
                });
                member_ok = false;
                false
            }
        };

        // Household-level checks.
        let Some(h) = h else { continue };
        let house = &mut houses[h];
        if let Some(v) = village {
            match house.village {
                None => house.village = Some((v, row)),
                Some((v0, r0)) if v0 != v => errs.add(row, col(Field::Village), || {
                    let (c, n) = (&house.code, &villages[v0].name);
                    Msg::new(
                        format!("Hộ {c} đã ghi thuộc \"{n}\" ở dòng {r0}; mọi dòng của một hộ phải ghi cùng một thôn, tổ dân phố."),
                        format!("Household {c} is in \"{n}\" on row {r0}; all rows of a household must name the same village."),
                    )
                }),
                Some(_) => {}
            }
        }
        if address_bad {
            house.address_error = true;
        } else if let Some(address) = address {
            match &house.address {
                None => {
                    house.address = Some((address, row));
                    house.address_raw = araw;
                }
                Some((a0, r0)) => {
                    if *a0 == address || text::fold(a0) == text::fold(&address) {
                        house.address_raw = araw;
                    } else {
                        let r0 = *r0;
                        errs.add(row, col(Field::Address), || {
                            let (c, a) = (&house.code, quote(a0, 80));
                            Msg::new(
                                format!("Hộ {c} đã ghi địa chỉ \"{a}\" ở dòng {r0}; các dòng của một hộ không được ghi hai địa chỉ khác nhau."),
                                format!("Household {c} has the address \"{a}\" on row {r0}; the rows of a household must not give two different addresses."),
                            )
                        });
                    }
                }
            }
        }
        if is_head {
            match house.head_row {
                None => house.head_row = Some(row),
                Some(r0) => errs.add(row, col(Field::Relation), || {
                    let c = &house.code;
                    Msg::new(
                        format!("Hộ {c} đã có chủ hộ ở dòng {r0}; mỗi hộ chỉ có một chủ hộ."),
                        format!("Household {c} already has its head on row {r0}; a household has one head."),
                    )
                }),
            }
        }
        match (member_ok, name, birth) {
            (true, Some(name), Some(birth)) => {
                let (cccd_hash, cccd_last4) = match cccd {
                    Some((h, l)) => (Some(h), Some(l)),
                    None => (None, None),
                };
                house.facts.push(MemberFacts { birth, is_head, marked_representative: marked });
                house.rows.push(row);
                house.members.push(NewMember {
                    full_name: name.as_str().to_string(),
                    birth_date: iso_date(birth),
                    relation,
                    is_head,
                    cccd_hash,
                    cccd_last4,
                });
            }
            _ => house.incomplete = true,
        }
    }

    let mut out: Vec<NewHousehold> = Vec::with_capacity(houses.len());
    for mut house in houses {
        let c = &house.code;
        if house.address.is_none() && !house.address_error {
            errs.add(house.first_row, col(Field::Address), || {
                Msg::new(
                    format!("Hộ {c} chưa có địa chỉ; hãy ghi địa chỉ ở ít nhất một dòng của hộ."),
                    format!("Household {c} has no address; write it on at least one of its rows."),
                )
            });
        }
        // The same person (folded name and date of birth) twice: members
        // sharing a date of birth are compared, a rare case.
        if house.facts.len() > 1 {
            let mut by_birth: Vec<usize> = (0..house.facts.len()).collect();
            by_birth.sort_by_key(|&i| (house.facts[i].birth, house.rows[i]));
            let mut start = 0;
            while start < by_birth.len() {
                let birth = house.facts[by_birth[start]].birth;
                let mut end = start + 1;
                while end < by_birth.len() && house.facts[by_birth[end]].birth == birth {
                    end += 1;
                }
                if end - start > 1 {
                    let mut named: Vec<(String, usize)> =
                        by_birth[start..end].iter().map(|&i| (text::fold(&house.members[i].full_name), house.rows[i])).collect();
                    named.sort();
                    let mut first = 0;
                    for w in 1..named.len() {
                        if named[w].0 != named[first].0 {
                            first = w;
                        } else {
                            let r0 = named[first].1;
                            errs.add(named[w].1, col(Field::FullName), || {
                                Msg::new(
                                    format!("Người này (cùng họ tên và ngày sinh) đã có trong hộ ở dòng {r0}."),
                                    format!("This person (same name and date of birth) is already in the household on row {r0}."),
                                )
                            });
                            house.incomplete = true;
                        }
                    }
                }
                start = end;
            }
        }
        let mut representative = 0;
        if !house.incomplete && !house.facts.is_empty() {
            match people::choose_representative(&house.facts, today) {
                Ok(i) => representative = i,
                Err(m) => errs.add(house.first_row, col(Field::Representative), || {
                    Msg::new(format!("Hộ {c}: {}", m.vi), format!("Household {c}: {}", m.en))
                }),
            }
        }
        if errs.is_empty() {
            let (Some((village, _)), Some((address, _))) = (house.village, house.address) else {
                continue; // unreachable: a missing village or address is an error
            };
            out.push(NewHousehold { code: house.code, village_id: villages[village].id, address, members: house.members, representative });
        }
    }
    progress(total, total);
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs.into_vec())
    }
}

// ---------------------------------------------------------------------------
// Writing sample files and the template
// ---------------------------------------------------------------------------

/// A household to write into a sample file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleHousehold {
    pub code: String,
    pub village: String,
    pub address: String,
    pub members: Vec<SampleMember>,
}

/// A member of a sample household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleMember {
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub cccd: Option<String>,
    pub relation: String,
    pub representative: bool,
}

/// The header row of generated files, in [`Field::ALL`] order.
pub fn header_row() -> [&'static str; 8] {
    Field::ALL.map(Field::header)
}

const COLUMN_WIDTHS: [f64; 8] = [12.0, 22.0, 32.0, 28.0, 13.0, 16.0, 20.0, 13.0];

fn sample_cells<'h>(h: &'h SampleHousehold, m: &'h SampleMember) -> [std::borrow::Cow<'h, str>; 8] {
    use std::borrow::Cow;
    [
        Cow::Borrowed(h.code.as_str()),
        Cow::Borrowed(h.village.as_str()),
        Cow::Borrowed(h.address.as_str()),
        Cow::Borrowed(m.full_name.as_str()),
        Cow::Owned(m.birth_date.format("%d/%m/%Y").to_string()),
        Cow::Borrowed(m.cccd.as_deref().unwrap_or("")),
        Cow::Borrowed(m.relation.as_str()),
        Cow::Borrowed(if m.representative { "x" } else { "" }),
    ]
}

/// Lays out a data sheet: name, bold frozen header, widths, and text format
/// for the date and CCCD columns so that what people type there stays text.
fn setup_data_sheet(ws: &mut Worksheet) -> Result<(), rust_xlsxwriter::XlsxError> {
    ws.set_name("Danh sách hộ")?;
    let bold = Format::new().set_bold().set_background_color(Color::RGB(0xDDEBF7));
    let as_text = Format::new().set_num_format("@");
    for (c, (title, width)) in header_row().iter().zip(COLUMN_WIDTHS).enumerate() {
        let c = c as u16;
        ws.set_column_width(c, width)?;
        if matches!(Field::ALL[c as usize], Field::BirthDate | Field::Cccd | Field::Code) {
            ws.set_column_format(c, &as_text)?;
        }
        ws.write_string_with_format(0, c, *title, &bold)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Writes households as an `.xlsx` file in the import format (dates and
/// CCCD numbers as text cells). Panics if there are more than
/// [`XLSX_MAX_DATA_ROWS`] members (use [`write_sample_csv`] for more).
pub fn write_sample_xlsx(households: &[SampleHousehold]) -> Vec<u8> {
    let rows: usize = households.iter().map(|h| h.members.len()).sum();
    assert!(rows <= XLSX_MAX_DATA_ROWS, "{rows} rows do not fit in one .xlsx sheet; write a CSV file");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    setup_data_sheet(ws).expect("valid sheet layout");
    let mut r: u32 = 1;
    for h in households {
        for m in &h.members {
            for (c, v) in sample_cells(h, m).into_iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r, c as u16, v).expect("row within limits");
                }
            }
            r += 1;
        }
    }
    wb.save_to_buffer().expect("in-memory workbook")
}

/// Writes households as a UTF-8 CSV file with BOM (so that Excel shows the
/// Vietnamese letters), comma-separated, in the import format.
pub fn write_sample_csv(households: &[SampleHousehold]) -> Vec<u8> {
    let mut buf = Vec::with_capacity(64 + households.len() * 300);
    buf.extend_from_slice(b"\xEF\xBB\xBF");
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(buf);
    w.write_record(header_row()).expect("in-memory write");
    for h in households {
        for m in &h.members {
            w.write_record(sample_cells(h, m).iter().map(|c| c.as_bytes())).expect("in-memory write");
        }
    }
    w.into_inner().expect("in-memory write")
}

/// The template offered for download: a first sheet with the header row
/// only, and a second sheet "Hướng dẫn" with instructions and examples.
pub fn template_xlsx() -> Vec<u8> {
    build_template().expect("valid template")
}

fn build_template() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    setup_data_sheet(wb.add_worksheet())?;
    let ws = wb.add_worksheet();
    ws.set_name("Hướng dẫn")?;
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold().set_background_color(Color::RGB(0xDDEBF7));
    let wrap = Format::new().set_text_wrap();
    let example = Format::new().set_italic().set_font_color(Color::RGB(0x595959));
    for (c, w) in COLUMN_WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_column_width(2, 60)?;
    ws.write_string_with_format(0, 0, "Hướng dẫn nhập danh sách hộ gia đình", &title)?;
    let lines = [
        "1. Ghi danh sách vào trang tính \"Danh sách hộ\" (trang đầu tiên), mỗi người một dòng, giữ nguyên dòng tiêu đề.",
        "2. Các dòng của cùng một hộ ghi cùng \"Mã hộ\" và cùng \"Thôn/Tổ dân phố\"; địa chỉ ghi ít nhất ở dòng đầu của hộ.",
        "3. Thôn/Tổ dân phố: ghi tên đầy đủ (\"Thôn Đông Hòa\"), tên ngắn (\"Đông Hòa\") hoặc mã thôn, tổ dân phố.",
        "4. Ngày sinh ghi theo dạng ngày/tháng/năm, ví dụ 05/03/1985.",
        "5. Số CCCD gồm 12 chữ số (để trống nếu chưa có, ví dụ trẻ em). Hệ thống không lưu số CCCD, chỉ lưu mã băm và 4 số cuối.",
        "6. Quan hệ với chủ hộ: \"Chủ hộ\", \"Vợ\", \"Chồng\", \"Con\", \"Bố\", \"Mẹ\"…; mỗi hộ chỉ có một chủ hộ.",
        "7. Đại diện hộ: ghi \"x\" cho người đại diện hộ (phải đủ 18 tuổi). Nếu để trống, chủ hộ đủ 18 tuổi là đại diện hộ; nếu chủ hộ chưa đủ 18 tuổi thì người cao tuổi nhất đủ 18 tuổi.",
        "8. Lưu tệp dạng Excel (.xlsx) hoặc CSV UTF-8 rồi tải lên. Tải lại cùng một tệp không tạo hộ trùng.",
    ];
    for (i, l) in lines.iter().enumerate() {
        ws.write_string_with_format(2 + i as u32, 0, *l, &Format::new())?;
    }
    let top = 2 + lines.len() as u32 + 1;
    ws.write_string_with_format(top, 0, "VÍ DỤ (không ghi các dòng này vào trang \"Danh sách hộ\"):", &Format::new().set_bold())?;
    for (c, t) in header_row().iter().enumerate() {
        ws.write_string_with_format(top + 1, c as u16, *t, &bold)?;
    }
    let examples: [[&str; 8]; 5] = [
        ["HK0001", "Thôn Đông Hòa", "Số 12, Thôn Đông Hòa", "Nguyễn Văn An", "05/03/1975", "038075001234", "Chủ hộ", "x"],
        ["HK0001", "Thôn Đông Hòa", "", "Lê Thị Bình", "20/11/1978", "038178005678", "Vợ", ""],
        ["HK0001", "Thôn Đông Hòa", "", "Nguyễn Minh Châu", "14/02/2012", "", "Con", ""],
        ["HK0002", "Đông Hòa", "Số 3, Thôn Đông Hòa", "Lò Văn Dũng", "01/07/1990", "038090009012", "Chủ hộ", ""],
        ["HK0002", "Đông Hòa", "", "Hà Thị Én", "09/09/1993", "038193003456", "Vợ", "x"],
    ];
    for (r, row) in examples.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string_with_format(top + 2 + r as u32, c as u16, *v, &example)?;
        }
    }
    let notes = top + 2 + examples.len() as u32 + 1;
    ws.write_string_with_format(notes, 0, "Cột bắt buộc: Mã hộ, Thôn/Tổ dân phố, Địa chỉ, Họ và tên, Ngày sinh, Quan hệ với chủ hộ. Cột không bắt buộc: Số CCCD, Đại diện hộ.", &wrap)?;
    wb.save_to_buffer()
}

// ---------------------------------------------------------------------------
// Sample data generator
// ---------------------------------------------------------------------------

/// What [`sample_households_with`] generates.
#[derive(Debug, Clone)]
pub struct SampleSpec<'a> {
    /// Villages to spread households over (their names as written in the
    /// file); "Thôn 1" if empty.
    pub village_names: &'a [String],
    pub households: usize,
    pub seed: u64,
    /// Ages refer to this day; nobody is born after it.
    pub on: NaiveDate,
    /// Household codes are `{code_prefix}{number:06}`.
    pub code_prefix: &'a str,
    /// Number of the first household's code.
    pub first_number: usize,
    /// CCCD serials start here in every (sex, birth year) group. Two calls
    /// never share a CCCD number if their bases differ by at least 6 × the
    /// number of households of the earlier call.
    pub cccd_serial_base: u32,
}

/// The day sample ages refer to by default: 1 July 2025, first day of the
/// two-level local government.
pub fn sample_reference_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).expect("valid date")
}

/// `n` realistic households deterministically generated from `seed`, over
/// `village_names`, with codes `HK000001`…, ages as of
/// [`sample_reference_date`]. Every member aged 14 or more has (almost
/// always) a valid CCCD of Thanh Hóa (038), unique across the set.
pub fn sample_households(village_names: &[String], n: usize, seed: u64) -> Vec<SampleHousehold> {
    sample_households_with(&SampleSpec {
        village_names,
        households: n,
        seed,
        on: sample_reference_date(),
        code_prefix: "HK",
        first_number: 1,
        cccd_serial_base: 0,
    })
}

const FAMILY_NAMES: [(&str, u32); 24] = [
    ("Nguyễn", 300),
    ("Lê", 110),
    ("Trần", 100),
    ("Phạm", 60),
    ("Hoàng", 45),
    ("Vũ", 35),
    ("Đỗ", 30),
    ("Bùi", 30),
    ("Đặng", 20),
    ("Ngô", 18),
    ("Trịnh", 25),
    ("Mai", 15),
    ("Lại", 8),
    ("Đinh", 15),
    ("Phan", 15),
    ("Dương", 12),
    ("Hà", 30),
    ("Lò", 20),
    ("Cầm", 12),
    ("Lương", 15),
    ("Quách", 10),
    ("Lữ", 5),
    ("Vi", 8),
    ("Trương", 12),
];

const MIDDLE_MALE: [&str; 13] = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Ngọc", "Đình", "Bá", "Trọng"];
const MIDDLE_FEMALE: [&str; 12] = ["Thị", "Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Kim", "Phương", "Bích"];
const GIVEN_MALE: [&str; 36] = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Giang", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khánh", "Khoa", "Kiên", "Long", "Mạnh",
    "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Tiến", "Toàn", "Trung", "Tuấn", "Tùng",
    "Việt", "Vinh", "Lâm",
];
const GIVEN_FEMALE: [&str; 36] = [
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huệ", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan",
    "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Thảo", "Thủy", "Trang", "Tuyết", "Vân", "Yến",
    "Xuân", "Diệp", "Lụa",
];

struct Gen {
    rng: fastrand::Rng,
    on: NaiveDate,
    family_total: u32,
    /// Next serial per (century/sex digit × 100 + two-digit year).
    serials: Vec<u32>,
    base: u32,
}

impl Gen {
    fn pct(&mut self, p: u32) -> bool {
        self.rng.u32(0..100) < p
    }

    fn family(&mut self) -> &'static str {
        let mut x = self.rng.u32(0..self.family_total);
        for (n, w) in FAMILY_NAMES {
            if x < w {
                return n;
            }
            x -= w;
        }
        FAMILY_NAMES[0].0
    }

    /// A name not yet used in the household (so that nobody appears twice
    /// with the same name and date of birth).
    fn name(&mut self, family: &str, male: bool, household: &[SampleMember]) -> String {
        loop {
            let n = self.any_name(family, male);
            if !household.iter().any(|m| m.full_name == n) {
                return n;
            }
        }
    }

    fn any_name(&mut self, family: &str, male: bool) -> String {
        let (mid, given) = if male {
            (MIDDLE_MALE[self.rng.usize(..MIDDLE_MALE.len())], GIVEN_MALE[self.rng.usize(..GIVEN_MALE.len())])
        } else {
            (MIDDLE_FEMALE[self.rng.usize(..MIDDLE_FEMALE.len())], GIVEN_FEMALE[self.rng.usize(..GIVEN_FEMALE.len())])
        };
        let mut s = String::with_capacity(family.len() + mid.len() + given.len() + 2);
        s.push_str(family);
        s.push(' ');
        s.push_str(mid);
        s.push(' ');
        s.push_str(given);
        s
    }

    /// A birth date `days` days before the reference day.
    fn born(&self, days: i64) -> NaiveDate {
        self.on - chrono::Duration::days(days.max(0))
    }

    /// A unique valid CCCD for someone born on `birth`, or `None` when the
    /// (sex, year) group is exhausted.
    fn cccd(&mut self, birth: NaiveDate, male: bool) -> Option<String> {
        let y = birth.year();
        let digit = match (y, male) {
            (1900..=1999, true) => 0,
            (1900..=1999, false) => 1,
            (2000..=2099, true) => 2,
            (2000..=2099, false) => 3,
            _ => return None,
        };
        let yy = (y % 100) as usize;
        let bucket = digit * 100 + yy;
        let k = self.base as u64 + self.serials[bucket] as u64;
        if k >= 1_000_000 {
            return None;
        }
        self.serials[bucket] += 1;
        // A fixed bijection of 0..10^6 (387,419 is prime to 10^6) so that
        // serials look random yet never repeat.
        let serial = (k * 387_419 + 123_457 + bucket as u64 * 7_919) % 1_000_000;
        Some(format!("038{digit}{yy:02}{serial:06}"))
    }

    fn member(&mut self, full_name: String, birth: NaiveDate, male: bool, relation: &str) -> SampleMember {
        let age = people::age_on(birth, self.on);
        let has_cccd = match age {
            0..=13 => false,
            14..=17 => self.pct(80),
            _ => self.pct(97),
        };
        let cccd = if has_cccd { self.cccd(birth, male) } else { None };
        SampleMember { full_name, birth_date: birth, cccd, relation: relation.to_string(), representative: false }
    }
}

const YEAR: i64 = 365;

/// The generator behind [`sample_households`], with every knob.
pub fn sample_households_with(spec: &SampleSpec) -> Vec<SampleHousehold> {
    let default_village = ["Thôn 1".to_string()];
    let villages: &[String] = if spec.village_names.is_empty() { &default_village } else { spec.village_names };
    let mut g = Gen {
        rng: fastrand::Rng::with_seed(spec.seed),
        on: spec.on,
        family_total: FAMILY_NAMES.iter().map(|(_, w)| w).sum(),
        serials: vec![0; 400],
        base: spec.cccd_serial_base,
    };
    let mut out = Vec::with_capacity(spec.households);
    for i in 0..spec.households {
        let village = villages[g.rng.usize(..villages.len())].clone();
        let address = format!("Số {}, {}", g.rng.u32(1..=300), village);
        let mut members: Vec<SampleMember> = Vec::with_capacity(6);

        // Head: 25 to 75 years old (10 days of margin for leap days).
        let head_male = g.pct(75);
        let head_days = g.rng.i64(25 * YEAR + 10..=75 * YEAR);
        let head_family = g.family();
        let head_name = g.name(head_family, head_male, &members);
        let head_birth = g.born(head_days);
        members.push(g.member(head_name, head_birth, head_male, "Chủ hộ"));

        // Spouse: 80 %, within 6 years of the head, at least 20.
        let mut youngest_parent_days = head_days;
        let mut father_family = if head_male { Some(head_family) } else { None };
        let has_spouse = g.pct(80);
        if has_spouse {
            let days = (head_days + g.rng.i64(-6 * YEAR..=6 * YEAR)).max(20 * YEAR + 10);
            let fam = g.family();
            let name = g.name(fam, !head_male, &members);
            let birth = g.born(days);
            members.push(g.member(name, birth, !head_male, if head_male { "Vợ" } else { "Chồng" }));
            youngest_parent_days = youngest_parent_days.min(days);
            if !head_male {
                father_family = Some(fam);
            }
        }
        let children_family = father_family.unwrap_or(head_family);

        // Grandparent: 15 %, 20 to 30 years older than the head, at most 95.
        let grandparent = if g.pct(15) {
            let days = head_days + g.rng.i64(20 * YEAR..=30 * YEAR);
            (days <= 95 * YEAR).then_some(days)
        } else {
            None
        };

        // Children: 0–4, born when the younger parent was 20 or older.
        let want = match g.rng.u32(0..100) {
            0..=19 => 0,
            20..=44 => 1,
            45..=79 => 2,
            80..=94 => 3,
            _ => 4,
        };
        let room = 6 - members.len() - grandparent.is_some() as usize;
        let max_child_days = youngest_parent_days - 20 * YEAR;
        if max_child_days > 0 {
            let mut ages: Vec<i64> = (0..want.min(room)).map(|_| g.rng.i64(0..=max_child_days.min(40 * YEAR))).collect();
            ages.sort_unstable_by(|a, b| b.cmp(a));
            for days in ages {
                let male = g.pct(51);
                let name = g.name(children_family, male, &members);
                let birth = g.born(days);
                members.push(g.member(name, birth, male, "Con"));
            }
        }
        if let Some(days) = grandparent {
            let male = g.pct(40);
            let fam = if male { head_family } else { g.family() };
            let name = g.name(fam, male, &members);
            let birth = g.born(days);
            members.push(g.member(name, birth, male, if male { "Bố" } else { "Mẹ" }));
        }

        // Representative: sometimes marked explicitly (the head, or the
        // adult spouse); otherwise the default rule picks the head.
        match g.rng.u32(0..100) {
            0..=29 => members[0].representative = true,
            30..=34 if has_spouse => members[1].representative = true,
            _ => {}
        }
        out.push(SampleHousehold { code: format!("{}{:06}", spec.code_prefix, spec.first_number + i), village, address, members });
    }
    out
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use danchu_domain::units::{Era, UnitKind};
    use std::collections::HashSet;

    const KEY: &[u8] = b"test-cccd-key";

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn today() -> NaiveDate {
        d(2026, 11, 28)
    }

    fn opts() -> ValidateOptions<'static> {
        ValidateOptions { today: today(), cccd_key: KEY }
    }

    fn village(id: i64, code: &str, name: &str) -> Unit {
        Unit {
            id,
            era: Era::Current,
            code: code.to_string(),
            kind: UnitKind::Thon,
            name: name.to_string(),
            short_name: danchu_domain::units::short_name(name),
            parent_id: Some(1),
            path: format!("/1/{id}/"),
            depth: 2,
            valid_from: None,
            valid_to: None,
            address: None,
            phone: None,
            email: None,
            website: None,
            is_demo: false,
        }
    }

    fn villages() -> Vec<Unit> {
        vec![village(10, "14758.001", "Thôn Đông Hòa"), village(11, "14758.002", "Thôn Tây Sơn"), village(12, "14758.003", "Thôn Bản Khó")]
    }

    fn village_names() -> Vec<String> {
        villages().iter().map(|v| v.name.clone()).collect()
    }

    const HEADER: &str = "Mã hộ,Thôn/Tổ dân phố,Địa chỉ,Họ và tên,Ngày sinh,Số CCCD,Quan hệ với chủ hộ,Đại diện hộ";

    /// A CSV file: the standard header then `rows`.
    fn csv(rows: &[&str]) -> Vec<u8> {
        let mut s = String::from(HEADER);
        for r in rows {
            s.push('\n');
            s.push_str(r);
        }
        s.into_bytes()
    }

    fn run(bytes: &[u8]) -> Result<Vec<NewHousehold>, Vec<RowError>> {
        read_and_validate(bytes, &villages(), &opts(), &mut |_, _| {})
    }

    fn errors(bytes: &[u8]) -> Vec<RowError> {
        match run(bytes) {
            Ok(h) => panic!("expected errors, got {} households", h.len()),
            Err(e) => e,
        }
    }

    fn valid(bytes: &[u8]) -> Vec<NewHousehold> {
        match run(bytes) {
            Ok(h) => h,
            Err(e) => panic!("unexpected errors: {:#?}", e.iter().map(|e| &e.vi).collect::<Vec<_>>()),
        }
    }

    /// Asserts there is exactly one error and that it starts as given.
    fn one_error(bytes: &[u8], starts: &str) -> RowError {
        let e = errors(bytes);
        assert_eq!(e.len(), 1, "{:#?}", e.iter().map(|e| &e.vi).collect::<Vec<_>>());
        assert!(e[0].vi.starts_with(starts), "{:?} does not start with {starts:?}", e[0].vi);
        e.into_iter().next().unwrap()
    }

    const HEAD: &str = "HK1,Thôn Đông Hòa,\"Số 1, Thôn Đông Hòa\",Nguyễn Văn An,05/03/1975,038075001234,Chủ hộ,";
    const WIFE: &str = "HK1,Thôn Đông Hòa,,Lê Thị Bình,20/11/1978,038178005678,Vợ,";
    const CHILD: &str = "HK1,Thôn Đông Hòa,,Nguyễn Minh Châu,14/02/2012,,Con,";

    // --- Reading ----------------------------------------------------------

    #[test]
    fn csv_round_trip_of_generated_households_is_valid() {
        let sample = sample_households(&village_names(), 300, 7);
        let bytes = write_sample_csv(&sample);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let got = valid(&bytes);
        check_same(&sample, &got);
    }

    #[test]
    fn xlsx_round_trip_of_generated_households_is_valid() {
        let sample = sample_households(&village_names(), 300, 8);
        let bytes = write_sample_xlsx(&sample);
        assert!(bytes.starts_with(ZIP_MAGIC));
        let table = read_table(&bytes).unwrap();
        assert_eq!(table[0].0, 1);
        assert_eq!(table[0].1, header_row().map(str::to_string).to_vec());
        let got = valid(&bytes);
        check_same(&sample, &got);
    }

    fn check_same(sample: &[SampleHousehold], got: &[NewHousehold]) {
        let vs = villages();
        assert_eq!(sample.len(), got.len());
        for (s, g) in sample.iter().zip(got) {
            assert_eq!(s.code, g.code);
            assert_eq!(vs.iter().find(|v| v.id == g.village_id).unwrap().name, s.village);
            assert_eq!(s.address, g.address);
            assert_eq!(s.members.len(), g.members.len());
            for (sm, gm) in s.members.iter().zip(&g.members) {
                assert_eq!(sm.full_name, gm.full_name);
                assert_eq!(sm.birth_date.format("%Y-%m-%d").to_string(), gm.birth_date);
                assert_eq!(sm.relation, gm.relation);
                assert_eq!(gm.is_head, sm.relation == "Chủ hộ");
                match &sm.cccd {
                    Some(c) => {
                        let parsed = Cccd::parse(c).unwrap();
                        assert_eq!(gm.cccd_hash.as_deref(), Some(parsed.keyed_hash(KEY).as_str()));
                        assert_eq!(gm.cccd_last4.as_deref(), Some(&c[8..]));
                    }
                    None => assert!(gm.cccd_hash.is_none() && gm.cccd_last4.is_none()),
                }
            }
            match s.members.iter().position(|m| m.representative) {
                Some(i) => assert_eq!(g.representative, i),
                None => assert_eq!(g.representative, 0, "the adult head by default"),
            }
        }
    }

    #[test]
    fn format_is_detected_by_content_and_other_files_are_refused() {
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("pdf", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".to_vec(), "PDF"),
            ("xls", [OLE_MAGIC, &[0u8; 600][..]].concat(), ".xls"),
            ("zip", include_bytes!("../tests/fixtures/not-xlsx.zip").to_vec(), "ZIP"),
            ("ods", include_bytes!("../tests/fixtures/spreadsheet.ods").to_vec(), ".ods"),
            ("empty zip", b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".to_vec(), "ZIP"),
            ("truncated xlsx", write_sample_xlsx(&[])[..200].to_vec(), "ZIP"),
            ("utf16", b"\xFF\xFEM\0\xE3\0".to_vec(), "UTF-16"),
            ("latin1", b"M\xE3 h\xF4,Th\xF4n\n".to_vec(), "UTF-8"),
            ("binary", vec![0x00, 0x01, 0x02, 0x03, 0x7F], "nhị phân"),
            ("empty", b"  \n\r\n".to_vec(), "Tệp trống"),
        ];
        for (what, bytes, needle) in cases {
            let m = read_table(&bytes).expect_err(what);
            assert!(m.vi.contains(needle), "{what}: {}", m.vi);
            assert!(!m.en.is_empty());
        }
        let mut rng = fastrand::Rng::with_seed(3);
        let random: Vec<u8> = (0..4096).map(|_| rng.u8(..)).collect();
        assert!(read_table(&random).is_err());
    }

    #[test]
    fn semicolon_csv_with_bom_and_crlf() {
        let s = format!(
            "\u{FEFF}{}\r\n{}\r\n",
            HEADER.replace(',', ";"),
            HEAD.replace("\"Số 1, Thôn Đông Hòa\"", "Số 1 Thôn Đông Hòa").replace(',', ";")
        );
        let t = read_table(s.as_bytes()).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].1[0], "Mã hộ", "the BOM is not part of the first header");
        assert_eq!(t[1].1[3], "Nguyễn Văn An");
        let h = valid(s.as_bytes());
        assert_eq!(h[0].address, "Số 1 Thôn Đông Hòa");
        // Quoted commas in a comma file, quoted semicolons in a semicolon file.
        assert_eq!(detect_delimiter("\"a;b\",c,d"), b',');
        assert_eq!(detect_delimiter("\"a,b\";c;d"), b';');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
    }

    #[test]
    fn row_numbers_are_those_of_the_spreadsheet_blank_rows_included() {
        // CSV: blank line 3, a quoted cell spanning two lines on row 4.
        let s = format!("{HEADER}\n{HEAD}\n\nHK2,Thôn Đông Hòa,\"Số 2\nngõ 3\",Lê Văn Cường,01/01/1980,,Chủ hộ,\n,,,,,,,\nHK3,Thôn Đông Hòa,Số 3,Trần Văn Dũng,01/01/1980,,Chủ hộ,q\n");
        let t = read_table(s.as_bytes()).unwrap();
        assert_eq!(t.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2, 4, 6]);
        let e = one_error(s.as_bytes(), "Dòng 6, cột \"Đại diện hộ\"");
        assert_eq!(e.row, 6);
        // The same with CRLF line ends, and blank lines before the header.
        let t = read_table(s.replace('\n', "\r\n").as_bytes()).unwrap();
        assert_eq!(t.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2, 4, 6]);
        let t = read_table(format!("\r\n\r\n{s}").as_bytes()).unwrap();
        assert_eq!(t.iter().map(|r| r.0).collect::<Vec<_>>(), vec![3, 4, 6, 8]);
        assert_eq!(e.column.as_deref(), Some("Đại diện hộ"));

        // XLSX: an empty row 3 and a row with blank cells only.
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_row(0, 0, header_row()).unwrap();
        ws.write_row(1, 0, ["HK1", "Thôn Đông Hòa", "Số 1, Thôn Đông Hòa", "Nguyễn Văn An", "05/03/1975", "038075001234", "Chủ hộ"])
            .unwrap();
        ws.write_string(4, 2, "   ").unwrap();
        ws.write_row(5, 0, ["HK3", "Thôn Đông Hòa", "Số 3", "Trần Văn Dũng", "1/1/1980", "", "Chủ hộ", "q"]).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let t = read_table(&bytes).unwrap();
        assert_eq!(t.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2, 6]);
        one_error(&bytes, "Dòng 6, cột \"Đại diện hộ\"");
    }

    #[test]
    fn excel_date_and_number_cells() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_row(0, 0, header_row()).unwrap();
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let iso = Format::new().set_num_format("yyyy-mm-dd");
        let row = |ws: &mut Worksheet, r: u32, code: &str, name: &str, rel: &str| {
            ws.write_string(r, 0, code).unwrap();
            ws.write_string(r, 1, "Đông Hòa").unwrap();
            ws.write_string(r, 2, "Số 5").unwrap();
            ws.write_string(r, 3, name).unwrap();
            ws.write_string(r, 6, rel).unwrap();
        };
        row(ws, 1, "HK1", "Nguyễn Văn An", "Chủ hộ");
        ws.write_datetime_with_format(1, 4, rust_xlsxwriter::ExcelDateTime::from_ymd(1985, 3, 5).unwrap(), &date).unwrap();
        // A CCCD typed as a number: Excel drops the leading zero.
        ws.write_number(1, 5, 38085012345.0).unwrap();
        ws.write_number(1, 7, 1.0).unwrap();
        row(ws, 2, "HK1", "Lê Thị Bình", "Vợ");
        ws.write_datetime_with_format(2, 4, rust_xlsxwriter::ExcelDateTime::from_ymd(1900, 3, 1).unwrap(), &iso).unwrap();
        ws.write_number(2, 5, 38100012346.0).unwrap();
        // The household code typed as a number.
        ws.write_number(3, 0, 42.0).unwrap();
        for (c, v) in [(1u16, "Đông Hòa"), (2, "Số 6"), (3, "Trần Văn Cường"), (4, "2000-02-29"), (6, "Chủ hộ")] {
            ws.write_string(3, c, v).unwrap();
        }
        let bytes = wb.save_to_buffer().unwrap();
        let t = read_table(&bytes).unwrap();
        assert_eq!(t[1].1[4], "05/03/1985");
        assert_eq!(t[1].1[5], "38085012345", "no decimals, no exponent");
        assert_eq!(t[1].1[7], "1");
        assert_eq!(t[2].1[4], "01/03/1900");
        assert_eq!(t[3].1[0], "42");
        let h = valid(&bytes);
        assert_eq!(h.len(), 2);
        let an = &h[0].members[0];
        assert_eq!(an.birth_date, "1985-03-05");
        assert_eq!(an.cccd_last4.as_deref(), Some("2345"));
        assert_eq!(an.cccd_hash, Some(Cccd::parse("038085012345").unwrap().keyed_hash(KEY)));
        assert_eq!(h[0].members[1].birth_date, "1900-03-01");
        assert_eq!(h[1].code, "42");
        assert_eq!(h[1].members[0].birth_date, "2000-02-29");
        assert_eq!(number_text(1.5), "1.5");
        assert_eq!(number_text(1e20), "100000000000000000000");
    }

    #[test]
    fn cccd_that_lost_its_leading_zero_is_padded_only_when_it_is_11_plain_digits() {
        let row = |c: &str| format!("HK1,Đông Hòa,Số 1,Nguyễn Văn An,05/03/1985,{c},Chủ hộ,");
        let h = valid(&csv(&[&row("38085012345")]));
        assert_eq!(h[0].members[0].cccd_last4.as_deref(), Some("2345"));
        // Spaces typed between groups are fine.
        valid(&csv(&[&row("038 085 012 345")]));
        // 11 digits with separators, or 10 digits, are not padded.
        one_error(&csv(&[&row("380 85012345")]), "Dòng 2, cột \"Số CCCD\": Số CCCD phải có đúng 12 chữ số.");
        one_error(&csv(&[&row("3808501234")]), "Dòng 2, cột \"Số CCCD\": Số CCCD phải có đúng 12 chữ số.");
        // Only in the CCCD column: an 11-digit household code stays as is.
        let h = valid(&csv(&["12345678901,Đông Hòa,Số 1,Nguyễn Văn An,05/03/1985,,Chủ hộ,"]));
        assert_eq!(h[0].code, "12345678901");
    }

    #[test]
    fn nfd_input_is_stored_nfc() {
        // "Hồng", "Đông Hòa" and "Chủ hộ" decomposed.
        let nfd_name = "Le\u{0302}\u{0301} Thi\u{0323} Ho\u{0302}\u{0300}ng";
        let nfd_rel = "Chu\u{0309} ho\u{0323}\u{0302}";
        let nfd_addr = "So\u{0302}\u{0301} 1, Tho\u{0302}n Đo\u{0302}ng Ho\u{0300}a";
        let s = format!("{HEADER}\nHK1,Đông Hòa,\"{nfd_addr}\",{nfd_name},01/01/1980,,{nfd_rel},x");
        let h = valid(s.as_bytes());
        let m = &h[0].members[0];
        assert_eq!(m.full_name, "Lế Thị Hồng");
        assert_eq!(m.relation, "Chủ hộ");
        assert!(m.is_head);
        assert_eq!(h[0].address, "Số 1, Thôn Đông Hòa");
    }

    // --- Columns ------------------------------------------------------------

    #[test]
    fn missing_required_columns_are_all_named_in_one_error_on_row_1() {
        let s = "Mã hộ,Họ và tên,CCCD,Ghi chú\nHK1,Nguyễn Văn An,,";
        let e = errors(s.as_bytes());
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].row, 1);
        for c in ["Thôn/Tổ dân phố", "Địa chỉ", "Ngày sinh", "Quan hệ với chủ hộ"] {
            assert!(e[0].vi.contains(c), "{}", e[0].vi);
            assert!(e[0].en.contains(c), "{}", e[0].en);
        }
        assert!(!e[0].vi.contains("Mã hộ\""), "present columns are not listed");
        assert!(e[0].vi.starts_with("Dòng 1: "));
    }

    #[test]
    fn headers_match_without_case_or_diacritics_english_aliases_and_extra_columns() {
        let s = "STT;HOUSEHOLD CODE;thon;Dia chi;ho va ten (*);Date of birth;Citizen ID;Quan hệ;Representative;Ghi chú\n\
                 1;hk-7;14758.002;Xóm Giữa;Nguyễn Văn An;1975-03-05;038075001234;chủ hộ;Có;abc";
        let h = valid(s.as_bytes());
        assert_eq!(h[0].code, "HK-7");
        assert_eq!(h[0].village_id, 11);
        assert!(h[0].members[0].is_head);
        assert_eq!(h[0].members[0].relation, "chủ hộ");
        let e = map_columns(&["Thôn, tổ dân phố".into(), "Tổ dân phố".into()], 1).unwrap_err();
        assert!(e.iter().any(|e| e.vi.contains("cùng là cột")), "{e:#?}");
    }

    #[test]
    fn title_lines_above_the_header_are_skipped_and_row_numbers_kept() {
        // CSV with a title line and a blank line, semicolons after a title
        // line that has a comma.
        let header = HEADER.replace(',', ";");
        let s = format!(
            "DANH SÁCH HỘ GIA ĐÌNH, XÃ ĐÔNG SƠN\n\nSTT;{header}\n{}\n1;x;Đông Hòa;Số 2;Trần Văn Bình;01/01/1970;;Chủ hộ;q\n",
            "0;HK1;Đông Hòa;Số 1;Nguyễn Văn An;05/03/1975;038075001234;Chủ hộ;"
        );
        let t = read_table(s.as_bytes()).unwrap();
        assert_eq!(header_position(&t), 1);
        assert_eq!(t[1].0, 3);
        one_error(s.as_bytes(), "Dòng 5, cột \"Đại diện hộ\"");
        // XLSX with a merged title in row 1 and the header in row 3.
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.merge_range(0, 0, 0, 7, "DANH SÁCH HỘ GIA ĐÌNH THÔN ĐÔNG HÒA", &Format::new().set_bold()).unwrap();
        ws.write_row(2, 0, header_row()).unwrap();
        ws.write_row(3, 0, ["HK1", "Đông Hòa", "Số 1", "Nguyễn Văn An", "05/03/1975", "", "Chủ hộ", "y"]).unwrap();
        ws.write_row(4, 0, ["HK2", "Đông Hòa", "Số 2", "Lê Văn Bình", "05/03/1975", "", "Chủ hộ", "?"]).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        one_error(&bytes, "Dòng 5, cột \"Đại diện hộ\"");
        // Without a recognisable header the first row is the header.
        let e = errors("Danh sách\nHK1,Nguyễn Văn An".as_bytes());
        assert!(e[0].vi.starts_with("Dòng 1: Dòng tiêu đề thiếu cột bắt buộc"), "{}", e[0].vi);
    }

    #[test]
    fn headers_with_extra_words_match_when_no_column_matches_exactly() {
        let header: Vec<String> = [
            "Mã hộ",
            "Thôn",
            "Thôn trưởng",
            "Địa chỉ thường trú",
            "Họ và tên",
            "Ngày sinh (ngày/tháng/năm)",
            "Số CCCD (nếu có)",
            "Quan hệ với chủ hộ",
        ]
        .map(String::from)
        .to_vec();
        let c = map_columns(&header, 1).unwrap();
        assert_eq!(c.index(Field::Village), Some(1), "the exact name wins");
        assert_eq!(c.index(Field::Address), Some(3));
        assert_eq!(c.index(Field::BirthDate), Some(5));
        assert_eq!(c.index(Field::Cccd), Some(6));
        assert_eq!(c.name(Field::Cccd), "Số CCCD (nếu có)");
        assert_eq!(c.index(Field::Representative), None);
        assert_eq!(c.name(Field::Representative), "Đại diện hộ");
        // Two columns with extra words for one field: neither is taken.
        let header: Vec<String> =
            ["Mã hộ", "Thôn", "Địa chỉ", "Họ và tên", "Ngày sinh", "Quan hệ", "Số CCCD cũ", "Số CCCD mới"].map(String::from).to_vec();
        assert_eq!(map_columns(&header, 1).unwrap().index(Field::Cccd), None);
    }

    #[test]
    fn header_only_or_empty_table_is_refused() {
        let e = errors(HEADER.as_bytes());
        assert!(e[0].vi.contains("chưa có hộ nào"));
        let e = validate(&[], &villages(), &opts(), &mut |_, _| {}).unwrap_err();
        assert_eq!(e[0].row, 0);
        assert!(!e[0].text(Lang::En).is_empty());
    }

    // --- Row rules ------------------------------------------------------------

    #[test]
    fn every_error_kind_gives_a_row_numbered_message_in_both_languages() {
        let cases: [(&str, &str, &str); 22] = [
            (",Đông Hòa,Số 1,Nguyễn Văn An,01/01/1980,,Chủ hộ,", "Mã hộ", "Mã hộ không được để trống."),
            ("HK 1,Đông Hòa,Số 1,Nguyễn Văn An,01/01/1980,,Chủ hộ,", "Mã hộ", "Mã hộ chỉ gồm"),
            ("HK1,,Số 1,Nguyễn Văn An,01/01/1980,,Chủ hộ,", "Thôn/Tổ dân phố", "Chưa ghi thôn"),
            ("HK1,Thôn Ma,Số 1,Nguyễn Văn An,01/01/1980,,Chủ hộ,", "Thôn/Tổ dân phố", "Không có thôn, tổ dân phố \"Thôn Ma\""),
            ("HK1,Đông Hòa,,Nguyễn Văn An,01/01/1980,,Chủ hộ,", "Địa chỉ", "Hộ HK1 chưa có địa chỉ"),
            (&format!("HK1,Đông Hòa,{},Nguyễn Văn An,01/01/1980,,Chủ hộ,", "a".repeat(201)), "Địa chỉ", "Địa chỉ dài quá 200"),
            ("HK1,Đông Hòa,Số 1,,01/01/1980,,Chủ hộ,", "Họ và tên", "Họ và tên không được để trống."),
            ("HK1,Đông Hòa,Số 1,Nguyễn Văn 3,01/01/1980,,Chủ hộ,", "Họ và tên", "Họ và tên chỉ gồm"),
            ("HK1,Đông Hòa,Số 1,A,01/01/1980,,Chủ hộ,", "Họ và tên", "Họ và tên phải dài"),
            ("HK1,Đông Hòa,Số 1,Nguyễn Văn An,,,Chủ hộ,", "Ngày sinh", "Chưa ghi ngày sinh."),
            ("HK1,Đông Hòa,Số 1,Nguyễn Văn An,31/02/1980,,Chủ hộ,", "Ngày sinh", "Ngày \"31/02/1980\" không hợp lệ"),
            ("HK1,Đông Hòa,Số 1,Nguyễn Văn An,29/11/2026,,Chủ hộ,", "Ngày sinh", "Ngày sinh 29/11/2026 ở sau ngày hôm nay."),
            ("HK1,Đông Hòa,Số 1,Nguyễn Văn An,31/12/1899,,Chủ hộ,", "Ngày sinh", "Ngày sinh 31/12/1899 trước năm 1900"),
            ("HK1,Đông Hòa,Số 1,Nguyễn Văn An,01/01/1980,0380800123,Chủ hộ,", "Số CCCD", "Số CCCD phải có đúng 12 chữ số."),
            ("HK1,Đông Hòa,Số 1,Nguyễn Văn An,01/01/1980,03808001234a,Chủ hộ,", "Số CCCD", "Số CCCD chỉ gồm chữ số."),
            ("HK1,Đông Hòa,Số 1,Nguyễn Văn An,01/01/1980,003080012345,Chủ hộ,", "Số CCCD", "Ba chữ số đầu"),
            ("HK1,Đông Hòa,Số 1,Nguyễn Văn An,01/01/1980,038081012345,Chủ hộ,", "Số CCCD", "Năm sinh trong số CCCD không khớp"),
            ("HK1,Đông Hòa,Số 1,Nguyễn Văn An,01/01/1980,038230012345,Chủ hộ,", "Số CCCD", "Năm sinh trong số CCCD ở tương lai."),
            ("HK1,Đông Hòa,Số 1,Nguyễn Văn An,01/01/1980,,,", "Quan hệ với chủ hộ", "Chưa ghi quan hệ"),
            (
                &format!("HK1,Đông Hòa,Số 1,Nguyễn Văn An,01/01/1980,,{},", "b".repeat(51)),
                "Quan hệ với chủ hộ",
                "Quan hệ với chủ hộ dài quá 50",
            ),
            ("HK1,Đông Hòa,Số 1,Nguyễn Văn An,01/01/1980,,Chủ hộ,có lẽ", "Đại diện hộ", "Cột đại diện hộ chỉ ghi"),
            ("HK1,Đông Hòa,Số 1,Nguyễn Văn An,01/01/2010,,Chủ hộ,", "Đại diện hộ", "Hộ HK1: Hộ không có thành viên nào đủ 18 tuổi"),
        ];
        for (row, column, message) in cases {
            let e = errors(&csv(&["HK0,Đông Hòa,Số 0,Trần Văn Bình,01/01/1970,,Chủ hộ,", row]));
            assert_eq!(e.len(), 1, "{row}: {:#?}", e.iter().map(|e| &e.vi).collect::<Vec<_>>());
            let e = &e[0];
            assert_eq!(e.row, 3, "{row}");
            assert_eq!(e.column.as_deref(), Some(column), "{row}");
            let prefix = format!("Dòng 3, cột \"{column}\": {message}");
            assert!(e.vi.starts_with(&prefix), "{} does not start with {prefix}", e.vi);
            assert!(e.en.starts_with(&format!("Row 3, column \"{column}\": ")), "{}", e.en);
            assert_eq!(e.text(Lang::Vi), e.vi);
            assert_eq!(e.text(Lang::En), e.en);
            assert!(!e.vi.contains("038"), "no CCCD digits in messages: {}", e.vi);
        }
    }

    #[test]
    fn row_errors_serialise_to_json_and_back() {
        let e = RowError::new(12, Some("Số CCCD"), Cccd::parse("1").unwrap_err().msg());
        assert_eq!(e.vi, "Dòng 12, cột \"Số CCCD\": Số CCCD phải có đúng 12 chữ số.");
        assert_eq!(e.en, "Row 12, column \"Số CCCD\": A citizen ID (CCCD) number has exactly 12 digits.");
        let json = serde_json::to_string(&[&e]).unwrap();
        let back: Vec<RowError> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, vec![e]);
        assert_eq!(RowError::file(Msg::new("a", "b")).text(Lang::En), "b");
    }

    #[test]
    fn boundaries_of_lengths_and_dates_are_accepted() {
        let addr = "a".repeat(200);
        let rel = "b".repeat(50);
        let h = valid(&csv(&[
            &format!("HK1,Đông Hòa,{addr},Nguyễn Văn An,01/01/1900,,Chủ hộ,"),
            &format!("HK1,Đông Hòa,,Nguyễn Văn Bé,28/11/2026,,{rel},"),
        ]));
        assert_eq!(h[0].address.chars().count(), 200);
        assert_eq!(h[0].members[1].relation, rel);
        assert_eq!(h[0].members[1].birth_date, "2026-11-28", "born today is fine");
    }

    #[test]
    fn all_errors_are_collected_in_row_order_past_the_first() {
        let e = errors(&csv(&[
            "HK1,Đông Hòa,,Nguyễn Văn An,01/01/1980,12,Chủ hộ,", // row 2: CCCD; no address (household)
            "HK2,Thôn Ma,Số 2,B,xx,,Chủ hộ,",                    // row 3: village, name, date
            "HK3,Đông Hòa,Số 3,Nguyễn Văn Cường,01/01/1980,,Chủ hộ,", // row 4: fine
            "HK4,Đông Hòa,Số 4,Nguyễn Văn Dũng,01/01/1980,,,",   // row 5: relation
        ]));
        let rows: Vec<(usize, Option<&str>)> = e.iter().map(|e| (e.row, e.column.as_deref())).collect();
        assert_eq!(
            rows,
            vec![
                (2, Some("Số CCCD")),
                (2, Some("Địa chỉ")),
                (3, Some("Thôn/Tổ dân phố")),
                (3, Some("Họ và tên")),
                (3, Some("Ngày sinh")),
                (5, Some("Quan hệ với chủ hộ")),
            ]
        );
    }

    #[test]
    fn errors_are_capped_at_1000_with_a_count_of_the_rest() {
        let rows: Vec<String> = (0..1500).map(|i| format!("HK{i},Đông Hòa,Số 1,X,01/01/1980,,Chủ hộ,")).collect();
        let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
        let e = errors(&csv(&refs));
        assert_eq!(e.len(), MAX_ERRORS + 1);
        assert!(e.windows(2).take(MAX_ERRORS - 1).all(|w| w[0].row < w[1].row));
        assert_eq!(e[MAX_ERRORS - 1].row, 1001);
        assert_eq!(e[MAX_ERRORS].row, 0);
        assert!(e[MAX_ERRORS].vi.starts_with("Còn 500 lỗi khác"), "{}", e[MAX_ERRORS].vi);
        assert!(e[MAX_ERRORS].en.starts_with("500 more errors"));
    }

    #[test]
    fn nn6_duplicate_cccd_in_the_file_names_the_first_row_and_never_the_number() {
        let e = errors(&csv(&[HEAD, "HK2,Đông Hòa,Số 2,Trần Văn Cường,05/03/1975,038 075 001 234,Chủ hộ,"]));
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].vi, "Dòng 3, cột \"Số CCCD\": Số CCCD này đã có ở dòng 2; mỗi người chỉ có một số CCCD.");
        assert!(!format!("{e:?}").contains("038075"));
    }

    #[test]
    fn nn6_only_the_keyed_hash_and_last4_are_kept() {
        let h = valid(&csv(&[HEAD]));
        let m = &h[0].members[0];
        assert_eq!(m.cccd_last4.as_deref(), Some("1234"));
        let hash = m.cccd_hash.as_deref().unwrap();
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains("038075001234"));
        assert!(!format!("{h:?}").contains("038075001234"));
        let other =
            read_and_validate(&csv(&[HEAD]), &villages(), &ValidateOptions { today: today(), cccd_key: b"k2" }, &mut |_, _| {}).unwrap();
        assert_ne!(other[0].members[0].cccd_hash.as_deref(), Some(hash));
    }

    #[test]
    fn villages_match_by_full_name_short_name_code_or_without_diacritics() {
        let h = valid(&csv(&[
            "A1,Thôn Đông Hòa,Số 1,Nguyễn Văn An,01/01/1980,,Chủ hộ,",
            "A2,đông hoà,Số 1,Nguyễn Văn An,01/01/1980,,Chủ hộ,",
            "A3,THON TAY SON,Số 1,Nguyễn Văn An,01/01/1980,,Chủ hộ,",
            "A4,14758.003,Số 1,Nguyễn Văn An,01/01/1980,,Chủ hộ,",
            "A5,Tổ dân phố Bản Khó,Số 1,Nguyễn Văn An,01/01/1980,,Chủ hộ,",
        ]));
        assert_eq!(h.iter().map(|h| h.village_id).collect::<Vec<_>>(), vec![10, 10, 11, 12, 12]);
        // Two villages with the same short name: the short name is ambiguous.
        let vs = vec![village(1, "1.001", "Thôn Hòa"), village(2, "1.002", "Tổ dân phố Hòa")];
        let t = read_table(&csv(&["A1,Hòa,Số 1,Nguyễn Văn An,01/01/1980,,Chủ hộ,"])).unwrap();
        let e = validate(&t, &vs, &opts(), &mut |_, _| {}).unwrap_err();
        assert!(e[0].vi.contains("trùng với nhiều thôn"), "{}", e[0].vi);
        let t = read_table(&csv(&["A1,Tổ dân phố Hòa,Số 1,Nguyễn Văn An,01/01/1980,,Chủ hộ,"])).unwrap();
        assert_eq!(validate(&t, &vs, &opts(), &mut |_, _| {}).unwrap()[0].village_id, 2);
    }

    // --- Household rules ------------------------------------------------------

    #[test]
    fn rows_of_a_household_need_not_be_adjacent_and_output_keeps_first_appearance_order() {
        let h = valid(&csv(&[
            "B,Tây Sơn,Số 9,Trần Văn Bảy,01/01/1960,,Chủ hộ,",
            HEAD,
            "B,Tây Sơn,,Trần Thị Tám,01/01/1990,,Con,x",
            WIFE,
            CHILD,
        ]));
        assert_eq!(h.iter().map(|h| h.code.as_str()).collect::<Vec<_>>(), vec!["B", "HK1"]);
        assert_eq!(h[0].members.iter().map(|m| m.full_name.as_str()).collect::<Vec<_>>(), vec!["Trần Văn Bảy", "Trần Thị Tám"]);
        assert_eq!(h[0].representative, 1, "the marked member");
        assert_eq!(h[1].members.len(), 3);
        assert_eq!(h[1].address, "Số 1, Thôn Đông Hòa");
        assert_eq!(h[1].village_id, 10);
        assert_eq!(h[1].representative, 0);
        assert_eq!(h[1].members[2].birth_date, "2012-02-14");
        assert!(h[1].members[2].cccd_hash.is_none());
    }

    #[test]
    fn all_rows_of_a_household_name_the_same_village() {
        let e = one_error(
            &csv(&[HEAD, "HK1,Tây Sơn,,Lê Thị Bình,20/11/1978,,Vợ,"]),
            "Dòng 3, cột \"Thôn/Tổ dân phố\": Hộ HK1 đã ghi thuộc \"Thôn Đông Hòa\" ở dòng 2",
        );
        assert!(e.en.contains("same village"));
        // The same village written differently is the same village.
        valid(&csv(&[HEAD, "HK1,14758.001,,Lê Thị Bình,20/11/1978,,Vợ,"]));
    }

    #[test]
    fn a_household_has_one_address() {
        one_error(
            &csv(&[HEAD, "HK1,Đông Hòa,Số 2,Lê Thị Bình,20/11/1978,,Vợ,"]),
            "Dòng 3, cột \"Địa chỉ\": Hộ HK1 đã ghi địa chỉ \"Số 1, Thôn Đông Hòa\" ở dòng 2",
        );
        // Repeated, or written with other spacing/case/diacritics: the same.
        let h = valid(&csv(&[HEAD, "HK1,Đông Hòa,\"so 1,  thon dong hoa\",Lê Thị Bình,20/11/1978,,Vợ,"]));
        assert_eq!(h[0].address, "Số 1, Thôn Đông Hòa", "the first one is kept");
        // The address may come on a later row.
        let h = valid(&csv(&[WIFE, HEAD]));
        assert_eq!(h[0].address, "Số 1, Thôn Đông Hòa");
    }

    #[test]
    fn a_household_has_at_most_one_head() {
        one_error(
            &csv(&[HEAD, "HK1,Đông Hòa,,Lê Thị Bình,20/11/1978,,chủ hộ,"]),
            "Dòng 3, cột \"Quan hệ với chủ hộ\": Hộ HK1 đã có chủ hộ ở dòng 2; mỗi hộ chỉ có một chủ hộ.",
        );
    }

    #[test]
    fn the_same_person_twice_in_a_household_is_an_error_but_namesakes_elsewhere_are_not() {
        one_error(
            &csv(&[HEAD, "HK1,Đông Hòa,,NGUYỄN VĂN AN,5/3/1975,,Con,"]),
            "Dòng 3, cột \"Họ và tên\": Người này (cùng họ tên và ngày sinh) đã có trong hộ ở dòng 2.",
        );
        valid(&csv(&[HEAD, "HK2,Đông Hòa,Số 2,Nguyễn Văn An,05/03/1975,,Chủ hộ,"]));
        valid(&csv(&[HEAD, "HK1,Đông Hòa,,Nguyễn Văn An,05/03/2005,,Con,"]));
    }

    #[test]
    fn c0_3_representative_must_be_adult() {
        // Marked child: refused, error on the household's first row.
        let e = one_error(
            &csv(&[HEAD, "HK1,Đông Hòa,,Nguyễn Văn Con,29/11/2008,,Con,x"]),
            "Dòng 2, cột \"Đại diện hộ\": Hộ HK1: Người đại diện hộ phải là người thành niên",
        );
        assert!(e.en.contains("must be an adult"));
        // The 18th birthday is the boundary.
        let h = valid(&csv(&[HEAD, "HK1,Đông Hòa,,Nguyễn Văn Con,28/11/2008,,Con,x"]));
        assert_eq!(h[0].representative, 1);
    }

    #[test]
    fn c0_3_one_representative_per_household() {
        one_error(
            &csv(&["HK1,Đông Hòa,Số 1,Nguyễn Văn An,05/03/1975,,Chủ hộ,x", "HK1,Đông Hòa,,Lê Thị Bình,20/11/1978,,Vợ,có"]),
            "Dòng 2, cột \"Đại diện hộ\": Hộ HK1: Một hộ chỉ có một người đại diện.",
        );
    }

    #[test]
    fn c0_3_default_representative_is_the_adult_head_else_the_oldest_adult() {
        let h = valid(&csv(&[WIFE, CHILD, HEAD]));
        assert_eq!(h[0].representative, 2, "the head");
        let h = valid(&csv(&[
            "HK1,Đông Hòa,Số 1,Nguyễn Văn Út,01/01/2010,,Chủ hộ,",
            "HK1,Đông Hòa,,Nguyễn Thị Hai,01/01/2000,,Chị,",
            "HK1,Đông Hòa,,Lê Thị Bà,01/01/1950,,Bà,",
        ]));
        assert_eq!(h[0].representative, 2, "the oldest adult");
        let h = valid(&csv(&["HK1,Đông Hòa,Số 1,Nguyễn Văn An,05/03/1975,,Em,"]));
        assert!(!h[0].members[0].is_head, "a household without a head is accepted");
    }

    #[test]
    fn representative_marks_accepted() {
        for mark in ["x", "X", "có", "Co", "1", "yes", "TRUE", "✓"] {
            let h = valid(&csv(&[HEAD, &format!("HK1,Đông Hòa,,Lê Thị Bình,20/11/1978,,Vợ,{mark}")]));
            assert_eq!(h[0].representative, 1, "{mark}");
        }
        for blank in ["", "không", "0", "no", "FALSE"] {
            let h = valid(&csv(&[HEAD, &format!("HK1,Đông Hòa,,Lê Thị Bình,20/11/1978,,Vợ,{blank}")]));
            assert_eq!(h[0].representative, 0, "{blank}");
        }
    }

    #[test]
    fn progress_is_reported_every_2000_rows_and_at_the_end() {
        let sample = sample_households(&village_names(), 1500, 2);
        let table = read_table(&write_sample_csv(&sample)).unwrap();
        let total = table.len() - 1;
        let mut calls = Vec::new();
        validate(&table, &villages(), &opts(), &mut |done, t| calls.push((done, t))).unwrap();
        let mut want: Vec<(usize, usize)> = (1..).map(|k| k * 2000).take_while(|n| *n < total).map(|n| (n, total)).collect();
        want.push((total, total));
        assert_eq!(calls, want);
    }

    // --- Files written --------------------------------------------------------

    #[test]
    fn template_has_a_header_only_sheet_and_a_guide_sheet() {
        let bytes = template_xlsx();
        let wb: Xlsx<_> = Xlsx::new(Cursor::new(&bytes)).unwrap();
        assert_eq!(wb.sheet_names(), vec!["Danh sách hộ".to_string(), "Hướng dẫn".to_string()]);
        let t = read_table(&bytes).unwrap();
        assert_eq!(t, vec![(1, header_row().map(str::to_string).to_vec())]);
        let e = errors(&bytes);
        assert!(e[0].vi.contains("chưa có hộ nào"));
    }

    #[test]
    fn sample_generator_is_deterministic_realistic_and_valid_for_20000_households() {
        let names = village_names();
        let a = sample_households(&names, 20_000, 42);
        assert_eq!(a, sample_households(&names, 20_000, 42));
        assert_ne!(a[..50], sample_households(&names, 50, 43)[..]);
        let members: usize = a.iter().map(|h| h.members.len()).sum();
        let avg = members as f64 / a.len() as f64;
        assert!((3.2..=3.8).contains(&avg), "average size {avg}");
        assert!(a.iter().all(|h| (1..=6).contains(&h.members.len())));
        assert!(a.iter().any(|h| h.members.len() == 1) && a.iter().any(|h| h.members.len() == 6));
        let mut seen = HashSet::new();
        let mut with = 0;
        for h in &a {
            assert!(h.address.starts_with("Số ") && h.address.ends_with(&h.village));
            for m in &h.members {
                let age = people::age_on(m.birth_date, sample_reference_date());
                if let Some(c) = &m.cccd {
                    with += 1;
                    assert!(age >= 14);
                    assert!(c.starts_with("038"));
                    let parsed = Cccd::parse_for(c, Some(m.birth_date), sample_reference_date()).unwrap();
                    assert_eq!(parsed.birth_year(), m.birth_date.year());
                    assert!(seen.insert(c.clone()), "duplicate CCCD");
                }
            }
            let head = &h.members[0];
            assert_eq!(head.relation, "Chủ hộ");
            for m in h.members.iter().filter(|m| m.relation == "Con") {
                assert!(people::age_on(head.birth_date, m.birth_date) >= 18, "children are younger than their parents");
            }
            let mut names: Vec<&str> = h.members.iter().map(|m| m.full_name.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), h.members.len(), "distinct names within a household");
        }
        assert!(with as f64 > members as f64 * 0.6, "{with} of {members} have a CCCD");
        let codes: HashSet<&str> = a.iter().map(|h| h.code.as_str()).collect();
        assert_eq!(codes.len(), a.len());
        assert_eq!(a[0].code, "HK000001");
        // Valid through the whole pipeline, CSV and XLSX.
        let t = read_table(&write_sample_csv(&a)).unwrap();
        let out = validate(&t, &villages(), &ValidateOptions { today: sample_reference_date(), cccd_key: KEY }, &mut |_, _| {})
            .unwrap_or_else(|e| panic!("{:#?}", &e[..e.len().min(5)]));
        assert_eq!(out.len(), 20_000);
        let hashes: HashSet<&str> = out.iter().flat_map(|h| &h.members).filter_map(|m| m.cccd_hash.as_deref()).collect();
        assert_eq!(hashes.len(), with);
    }

    #[test]
    fn sample_cccd_serial_bases_keep_two_sets_apart() {
        let names = village_names();
        let spec = |seed, base, first| SampleSpec {
            village_names: &names,
            households: 3000,
            seed,
            on: sample_reference_date(),
            code_prefix: "X",
            first_number: first,
            cccd_serial_base: base,
        };
        let a = sample_households_with(&spec(1, 0, 1));
        let b = sample_households_with(&spec(2, 18_000, 3001));
        let mut seen = HashSet::new();
        for m in a.iter().chain(&b).flat_map(|h| &h.members) {
            if let Some(c) = &m.cccd {
                assert!(seen.insert(c.clone()));
            }
        }
        assert_eq!(b[0].code, "X003001");
    }

    /// `cargo test --release -p danchu --lib import -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn timing_100000_households() {
        use std::time::Instant;
        let names: Vec<String> = (1..=12).map(|i| format!("Thôn {i}")).collect();
        let vs: Vec<Unit> = names.iter().enumerate().map(|(i, n)| village(i as i64 + 1, &format!("1.{i:03}"), n)).collect();
        let t = Instant::now();
        let sample = sample_households(&names, 100_000, 1);
        let rows: usize = sample.iter().map(|h| h.members.len()).sum();
        println!("generate 100,000 households ({rows} rows): {:?}", t.elapsed());
        let t = Instant::now();
        let big = sample_households(&names, 1_000_000, 1);
        println!("generate 1,000,000 households: {:?}", t.elapsed());
        drop(big);
        let t = Instant::now();
        let xlsx = write_sample_xlsx(&sample);
        println!("write xlsx: {:?} ({} bytes)", t.elapsed(), xlsx.len());
        let t = Instant::now();
        let csv = write_sample_csv(&sample);
        println!("write csv: {:?} ({} bytes)", t.elapsed(), csv.len());
        let o = ValidateOptions { today: sample_reference_date(), cccd_key: KEY };
        for (what, bytes) in [("xlsx", &xlsx), ("csv", &csv)] {
            let t = Instant::now();
            let table = read_table(bytes).unwrap();
            println!("read {what}: {:?}", t.elapsed());
            let t = Instant::now();
            let out = validate(&table, &vs, &o, &mut |_, _| {}).unwrap();
            println!("validate {what}: {:?} ({} households)", t.elapsed(), out.len());
        }
    }
}
