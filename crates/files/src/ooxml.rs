//! DOCX and XLSX: package structure and safety checks, and text extraction.
//!
//! Both are ZIP packages (Open Packaging Conventions). A package is opened with the central
//! directory only, its entry names and declared sizes are checked before anything is
//! decompressed, and every read goes through `take(limit)` so a lying size cannot make us
//! unpack more than the declared total.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Cursor, Read, Write};
use std::panic::catch_unwind;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::ZipArchive;

use crate::limits::{XML_PART_MAX, ZIP_MAX_ENTRIES, ZIP_MAX_RATIO, ZIP_MAX_UNPACKED, ZIP_RATIO_FLOOR};
use crate::{Danger, FileKind, Refusal};

type Zip<'a> = ZipArchive<Cursor<&'a [u8]>>;

const CONTENT_TYPES: &str = "[Content_Types].xml";
/// Parts kept in memory during the check (content types and relationships) are small;
/// larger ones are only streamed through.
const KEEP_MAX: u64 = 4 * 1024 * 1024;

fn dangerous(reason: Danger) -> Refusal {
    Refusal::Dangerous { reason }
}

struct Package<'a> {
    zip: Zip<'a>,
    /// Entry names by index.
    names: Vec<String>,
    /// Lowercased name → index (part names are case-insensitive in OPC).
    index: HashMap<String, usize>,
    kind: Option<FileKind>,
}

impl<'a> Package<'a> {
    /// Opens the package and checks what can be checked without decompressing: number of
    /// entries, names, links, encryption, declared sizes. `hint` is the kind to blame when
    /// the archive cannot be read at all (`None`: say the type is unknown).
    fn open(bytes: &'a [u8], hint: Option<FileKind>) -> Result<Package<'a>, Refusal> {
        let unreadable = || match hint {
            Some(kind) => Refusal::Malformed { kind },
            None => Refusal::UnknownType,
        };
        // The zip reader indexes the whole central directory: refuse a huge one before.
        if eocd_entry_count(bytes).is_some_and(|n| n > ZIP_MAX_ENTRIES) {
            return Err(dangerous(Danger::ZipBomb));
        }
        let zip = catch_unwind(|| ZipArchive::new(Cursor::new(bytes)).ok()).ok().flatten().ok_or_else(unreadable)?;
        if zip.len() > ZIP_MAX_ENTRIES {
            return Err(dangerous(Danger::ZipBomb));
        }
        let mut names = Vec::with_capacity(zip.len());
        let mut index = HashMap::with_capacity(zip.len());
        let mut declared_total: u64 = 0;
        for i in 0..zip.len() {
            let entry = zip.by_index_data(i).map_err(|_| unreadable())?;
            let raw = entry.name_raw();
            if escapes(raw) || entry.enclosed_name().is_none() || entry.is_symlink() {
                return Err(dangerous(Danger::ZipPath));
            }
            if entry.encrypted() {
                return Err(dangerous(Danger::Encrypted));
            }
            declared_total = declared_total.saturating_add(entry.size());
            let name = String::from_utf8_lossy(raw).into_owned();
            index.entry(name.to_lowercase()).or_insert(i);
            names.push(name);
        }
        if declared_total > ZIP_MAX_UNPACKED || (declared_total > ZIP_RATIO_FLOOR && declared_total / ZIP_MAX_RATIO > bytes.len() as u64) {
            return Err(dangerous(Danger::ZipBomb));
        }
        let has = |n: &str| index.contains_key(&n.to_lowercase());
        let kind = if !has(CONTENT_TYPES) {
            None
        } else if has("word/document.xml") {
            Some(FileKind::Docx)
        } else if has("xl/workbook.xml") {
            Some(FileKind::Xlsx)
        } else {
            None
        };
        Ok(Package { zip, names, index, kind })
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.index.get(&name.to_lowercase()).copied()
    }

    /// Reads one part as text, at most `XML_PART_MAX` bytes of it. A part that unpacks to
    /// more than it declares is a bomb.
    fn read_text(&mut self, i: usize, kind: FileKind) -> Result<String, Refusal> {
        let bad = Refusal::Malformed { kind };
        let mut file = self.zip.by_index(i).map_err(|_| bad.clone())?;
        let declared = file.size();
        let limit = declared.min(XML_PART_MAX);
        let mut buf = Vec::with_capacity(usize::try_from(limit.min(KEEP_MAX)).unwrap_or(0));
        (&mut file).take(limit.saturating_add(1)).read_to_end(&mut buf).map_err(|_| bad)?;
        if buf.len() as u64 > declared {
            return Err(dangerous(Danger::ZipBomb));
        }
        Ok(decode_xml_bytes(buf))
    }
}

/// The number of entries the end-of-central-directory record announces (the larger of the
/// two counts; 0xFFFF, i.e. ZIP64, counts as huge).
fn eocd_entry_count(bytes: &[u8]) -> Option<usize> {
    // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
    let from = bytes.len().saturating_sub(22 + 65_535);
    let tail = &bytes[from..];
    let at = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let rec = tail.get(at..at + 22)?;
    let on_disk = u16::from_le_bytes([rec[8], rec[9]]);
    let total = u16::from_le_bytes([rec[10], rec[11]]);
    Some(usize::from(on_disk.max(total)))
}

/// Whether a raw entry name leaves the package: absolute, drive letter, `..`, NUL.
fn escapes(raw: &[u8]) -> bool {
    if raw.is_empty() || raw.contains(&0) || raw.starts_with(b"/") || raw.starts_with(b"\\") {
        return true;
    }
    if raw.len() >= 2 && raw[1] == b':' && raw[0].is_ascii_alphabetic() {
        return true;
    }
    raw.split(|&b| b == b'/' || b == b'\\').any(|c| c == b"..")
}

/// UTF-8 (with or without BOM) or UTF-16 with BOM, lossily.
fn decode_xml_bytes(buf: Vec<u8>) -> String {
    if buf.starts_with(b"\xFF\xFE") || buf.starts_with(b"\xFE\xFF") {
        let le = buf.starts_with(b"\xFF\xFE");
        let units = buf[2..].chunks_exact(2).map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) });
        return char::decode_utf16(units).map(|r| r.unwrap_or('\u{FFFD}')).collect();
    }
    let body = buf.strip_prefix(b"\xEF\xBB\xBF").map(<[u8]>::to_vec).unwrap_or(buf);
    match String::from_utf8(body) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// Entry names that are programs or scripts, wherever they sit in the package.
fn is_program_name(lower: &str) -> bool {
    const EXTS: &[&str] = &[
        "exe", "dll", "scr", "com", "pif", "cpl", "msi", "msp", "bat", "cmd", "ps1", "psm1", "vbs", "vbe", "js", "jse", "wsf", "wsh",
        "hta", "lnk", "jar", "sh", "app", "reg", "inf",
    ];
    lower.rsplit_once('.').is_some_and(|(_, ext)| EXTS.contains(&ext))
}

/// Counts what flows through it, remembers the first bytes and optionally keeps it all.
struct Probe {
    head: Vec<u8>,
    count: u64,
    keep: Option<Vec<u8>>,
}

impl Write for Probe {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let room = 16usize.saturating_sub(self.head.len());
        self.head.extend_from_slice(&buf[..room.min(buf.len())]);
        self.count += buf.len() as u64;
        if let Some(k) = &mut self.keep {
            k.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Full check of a ZIP-based upload; returns its kind (DOCX or XLSX).
pub(crate) fn check(bytes: &[u8], declared_ext: Option<&str>) -> Result<FileKind, Refusal> {
    let hint = declared_ext.and_then(FileKind::from_extension).filter(|k| matches!(k, FileKind::Docx | FileKind::Xlsx));
    let mut pkg = Package::open(bytes, hint)?;
    let kind = pkg.kind.ok_or(Refusal::UnknownType)?;
    let bad = Refusal::Malformed { kind };
    if pkg.zip.has_duplicate_names() {
        return Err(bad);
    }
    for name in &pkg.names {
        let lower = name.to_lowercase();
        if lower.ends_with("vbaproject.bin") || lower.ends_with("vbadata.xml") || lower.contains("/vbaproject") {
            return Err(dangerous(Danger::Macro));
        }
        if lower.contains("activex/") {
            return Err(dangerous(Danger::ActiveContent));
        }
        if is_program_name(&lower) {
            return Err(dangerous(Danger::Executable));
        }
    }

    // Unpack every entry once (into a counter) to verify CRCs and the real sizes, keeping
    // the content types and relationship parts.
    let mut kept: Vec<(String, Vec<u8>)> = Vec::new();
    let mut total: u64 = 0;
    for i in 0..pkg.names.len() {
        let lower = pkg.names[i].to_lowercase();
        let mut file = pkg.zip.by_index(i).map_err(|_| bad.clone())?;
        if file.is_dir() {
            continue;
        }
        let declared = file.size();
        let wanted = lower == CONTENT_TYPES.to_lowercase() || lower.ends_with(".rels");
        let mut probe = Probe { head: Vec::new(), count: 0, keep: (wanted && declared <= KEEP_MAX).then(Vec::new) };
        io::copy(&mut (&mut file).take(declared.saturating_add(1)), &mut probe).map_err(|_| bad.clone())?;
        if probe.count > declared {
            return Err(dangerous(Danger::ZipBomb));
        }
        total = total.saturating_add(probe.count);
        if total > ZIP_MAX_UNPACKED {
            return Err(dangerous(Danger::ZipBomb));
        }
        if crate::sniff::is_executable(&probe.head) {
            return Err(dangerous(Danger::Executable));
        }
        if let Some(data) = probe.keep {
            kept.push((lower, data));
        }
    }

    for (name, data) in &kept {
        let text = decode_xml_bytes(data.clone());
        if *name == CONTENT_TYPES.to_lowercase() {
            let lower = text.to_lowercase();
            if lower.contains("macroenabled") || lower.contains("vbaproject") || lower.contains("ms-office.vba") {
                return Err(dangerous(Danger::Macro));
            }
            if lower.contains("ms-office.activex") {
                return Err(dangerous(Danger::ActiveContent));
            }
        } else if has_dangerous_external_relationship(&text) {
            return Err(dangerous(Danger::ActiveContent));
        }
    }
    Ok(kind)
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    for a in attrs.flatten() {
        if a.key.local_name().as_ref() == local {
            return Some(match a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                Ok(v) => v.into_owned(),
                Err(_) => a.value.into_owned(),
            });
        }
    }
    None
}

fn xml_reader(xml: &str) -> Reader<&[u8]> {
    let mut r = Reader::from_str(xml);
    let c = r.config_mut();
    c.check_end_names = false;
    c.allow_unmatched_ends = true;
    c.allow_dangling_amp = true;
    r
}

/// `&amp;` and friends, and character references.
fn entity(name: &str) -> Option<Cow<'static, str>> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).map(|c| Cow::Owned(c.to_string()));
    }
    Some(Cow::Borrowed(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return None,
    }))
}

/// Relationships that make Word or Excel fetch something when the file is opened: a remote
/// template (a known way to deliver macros), OLE objects, frames, sub-documents.
fn has_dangerous_external_relationship(xml: &str) -> bool {
    let mut r = xml_reader(xml);
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let external = attr(&e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("external"));
                let kind = attr(&e, "Type").unwrap_or_default().to_lowercase();
                let risky = ["/attachedtemplate", "/oleobject", "/subdocument", "/frame", "/package"].iter().any(|t| kind.ends_with(t));
                if external && risky {
                    return true;
                }
            }
            Ok(Event::Eof) | Err(_) => return false,
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// DOCX text

pub(crate) fn docx_text(bytes: &[u8], budget: usize) -> Result<String, Refusal> {
    let kind = FileKind::Docx;
    let mut pkg = Package::open(bytes, Some(kind))?;
    if pkg.kind != Some(kind) {
        return Err(Refusal::Malformed { kind });
    }
    let main = pkg.find("word/document.xml").ok_or(Refusal::Malformed { kind })?;
    let mut out = String::new();
    let xml = pkg.read_text(main, kind)?;
    docx_xml(&xml, &mut out, budget);

    // Headers, footers, footnotes and endnotes after the body, in a stable order.
    let mut extra: Vec<(String, usize)> = pkg
        .names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| {
            let l = n.to_lowercase();
            let part = l.strip_prefix("word/")?.strip_suffix(".xml")?;
            let wanted = part.starts_with("header") || part.starts_with("footer") || part == "footnotes" || part == "endnotes";
            (wanted && !part.contains('/')).then_some((l, i))
        })
        .collect();
    extra.sort_by_key(|(name, _)| natural_key(name));
    for (_, i) in extra.into_iter().take(64) {
        if out.len() > budget {
            break;
        }
        let xml = pkg.read_text(i, kind)?;
        out.push('\n');
        docx_xml(&xml, &mut out, budget);
    }
    Ok(out)
}

/// Text of a WordprocessingML part: `w:t` runs, `w:tab`, `w:br`/`w:cr`, a line per
/// paragraph and table row, cells separated by tabs. Deleted text and field codes are not
/// text (`w:delText`, `w:instrText`); `mc:Fallback` duplicates `mc:Choice` and is skipped.
fn docx_xml(xml: &str, out: &mut String, budget: usize) {
    let mut r = xml_reader(xml);
    let mut in_t = false;
    let mut skip = 0usize;
    let mut in_tabs = 0usize;
    while out.len() <= budget {
        match r.read_event() {
            Ok(Event::Start(e)) => {
                if skip > 0 {
                    skip += 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    "Fallback" => skip = 1,
                    "t" => in_t = true,
                    "tabs" => in_tabs += 1,
                    "tab" if in_tabs == 0 => out.push('\t'),
                    "br" | "cr" => out.push('\n'),
                    _ => {}
                }
            }
            Ok(Event::Empty(e)) => {
                if skip > 0 {
                    continue;
                }
                match e.local_name().as_ref() {
                    "tab" if in_tabs == 0 => out.push('\t'),
                    "br" | "cr" | "p" => out.push('\n'),
                    "noBreakHyphen" => out.push('-'),
                    _ => {}
                }
            }
            Ok(Event::End(e)) => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    "t" => in_t = false,
                    "tabs" => in_tabs = in_tabs.saturating_sub(1),
                    "p" | "tr" => out.push('\n'),
                    "tc" => out.push('\t'),
                    _ => {}
                }
            }
            Ok(Event::Text(t)) if in_t && skip == 0 => out.push_str(&t.xml10_content()),
            Ok(Event::CData(t)) if in_t && skip == 0 => out.push_str(&t),
            Ok(Event::GeneralRef(g)) if in_t && skip == 0 => {
                if let Some(s) = entity(&g) {
                    out.push_str(&s);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// XLSX text

pub(crate) fn xlsx_text(bytes: &[u8], budget: usize) -> Result<String, Refusal> {
    let kind = FileKind::Xlsx;
    let mut pkg = Package::open(bytes, Some(kind))?;
    if pkg.kind != Some(kind) {
        return Err(Refusal::Malformed { kind });
    }
    let workbook = pkg.find("xl/workbook.xml").ok_or(Refusal::Malformed { kind })?;
    let workbook = pkg.read_text(workbook, kind)?;
    let rels = match pkg.find("xl/_rels/workbook.xml.rels") {
        Some(i) => relationships(&pkg.read_text(i, kind)?),
        None => HashMap::new(),
    };
    let shared = match pkg.find("xl/sharedStrings.xml") {
        Some(i) => shared_strings(&pkg.read_text(i, kind)?),
        None => Vec::new(),
    };

    // Sheets in workbook order, by their relationship; if none resolve, every worksheet.
    let mut sheets: Vec<(String, usize)> = Vec::new();
    for (name, rid) in sheet_list(&workbook) {
        if let Some(i) = rels.get(&rid).map(|t| resolve_target("xl/", t)).and_then(|p| pkg.find(&p)) {
            sheets.push((name, i));
        }
    }
    if sheets.is_empty() {
        let mut all: Vec<(String, usize)> = pkg
            .names
            .iter()
            .enumerate()
            .filter(|(_, n)| {
                let l = n.to_lowercase();
                l.starts_with("xl/worksheets/") && l.ends_with(".xml") && l.matches('/').count() == 2
            })
            .map(|(i, n)| (n.to_lowercase(), i))
            .collect();
        all.sort_by_key(|(name, _)| natural_key(name));
        sheets = all.into_iter().map(|(_, i)| (String::new(), i)).collect();
    }

    let mut out = String::new();
    for (name, i) in sheets {
        if out.len() > budget {
            break;
        }
        if !name.is_empty() {
            out.push_str(&name);
            out.push('\n');
        }
        let xml = pkg.read_text(i, kind)?;
        sheet_xml(&xml, &shared, &mut out, budget);
        out.push('\n');
    }
    Ok(out)
}

/// `Id → Target` of a relationships part.
fn relationships(xml: &str) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let mut r = xml_reader(xml);
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    map.insert(id, target);
                }
            }
            Ok(Event::Eof) | Err(_) => return map,
            _ => {}
        }
    }
}

/// `(sheet name, relationship id)` in workbook order.
fn sheet_list(xml: &str) -> Vec<(String, String)> {
    let mut sheets = Vec::new();
    let mut r = xml_reader(xml);
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "sheet" => {
                if let Some(rid) = attr(&e, "id") {
                    sheets.push((attr(&e, "name").unwrap_or_default(), rid));
                }
            }
            Ok(Event::Eof) | Err(_) => return sheets,
            _ => {}
        }
    }
}

/// A relationship target relative to `base` ("xl/"), or absolute ("/xl/…"), as a part name.
fn resolve_target(base: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("{base}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The shared string table: the text of each `si`, without phonetic runs (`rPh`).
fn shared_strings(xml: &str) -> Vec<String> {
    let mut strings = Vec::new();
    let mut cur = String::new();
    let mut in_si = false;
    let mut in_t = false;
    let mut rph = 0usize;
    let mut r = xml_reader(xml);
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "si" => {
                    in_si = true;
                    cur.clear();
                }
                "t" => in_t = true,
                "rPh" => rph += 1,
                _ => {}
            },
            Ok(Event::Empty(e)) if e.local_name().as_ref() == "si" => strings.push(String::new()),
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "si" => {
                    if in_si {
                        strings.push(std::mem::take(&mut cur));
                    }
                    in_si = false;
                }
                "t" => in_t = false,
                "rPh" => rph = rph.saturating_sub(1),
                _ => {}
            },
            Ok(Event::Text(t)) if in_si && in_t && rph == 0 => cur.push_str(&t.xml10_content()),
            Ok(Event::CData(t)) if in_si && in_t && rph == 0 => cur.push_str(&t),
            Ok(Event::GeneralRef(g)) if in_si && in_t && rph == 0 => {
                if let Some(s) = entity(&g) {
                    cur.push_str(&s);
                }
            }
            Ok(Event::Eof) | Err(_) => return strings,
            _ => {}
        }
    }
}

/// Cells of a worksheet: shared, inline and formula strings and numbers; cells separated
/// by tabs, rows by line breaks. Formulas themselves and error values are left out.
fn sheet_xml(xml: &str, shared: &[String], out: &mut String, budget: usize) {
    let mut r = xml_reader(xml);
    let mut cell_type = String::new();
    let mut in_cell = false;
    let mut in_v = false;
    let mut in_is = false;
    let mut in_t = false;
    let mut rph = 0usize;
    let mut v = String::new();
    let mut inline = String::new();
    while out.len() <= budget {
        match r.read_event() {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "c" => {
                    in_cell = true;
                    cell_type = attr(&e, "t").unwrap_or_default();
                    v.clear();
                    inline.clear();
                }
                "v" => in_v = in_cell,
                "is" => in_is = in_cell,
                "t" => in_t = in_is,
                "rPh" => rph += 1,
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "c" => {
                    let value = match cell_type.as_str() {
                        "s" => v.trim().parse::<usize>().ok().and_then(|i| shared.get(i)).map(String::as_str),
                        "inlineStr" => Some(inline.as_str()),
                        "b" | "e" => None,
                        _ => Some(v.trim()),
                    };
                    if let Some(value) = value.filter(|s| !s.is_empty()) {
                        out.push_str(value);
                        out.push('\t');
                    }
                    in_cell = false;
                }
                "v" => in_v = false,
                "is" => in_is = false,
                "t" => in_t = false,
                "rPh" => rph = rph.saturating_sub(1),
                "row" => out.push('\n'),
                _ => {}
            },
            Ok(Event::Text(t)) => {
                if in_v {
                    v.push_str(&t.xml10_content());
                } else if in_t && rph == 0 {
                    inline.push_str(&t.xml10_content());
                }
            }
            Ok(Event::CData(t)) if in_t && rph == 0 => inline.push_str(&t),
            Ok(Event::GeneralRef(g)) => {
                if let Some(s) = entity(&g) {
                    if in_v {
                        v.push_str(&s);
                    } else if in_t && rph == 0 {
                        inline.push_str(&s);
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
}

/// Sort key that puts "sheet2" before "sheet10".
fn natural_key(s: &str) -> Vec<(String, u64)> {
    let mut key = Vec::new();
    let mut text = String::new();
    let mut num: Option<u64> = None;
    for c in s.chars() {
        if let Some(d) = c.to_digit(10) {
            num = Some(num.unwrap_or(0).saturating_mul(10).saturating_add(u64::from(d)));
        } else {
            if let Some(n) = num.take() {
                key.push((std::mem::take(&mut text), n));
            }
            text.push(c);
        }
    }
    key.push((text, num.unwrap_or(0)));
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_that_escape() {
        assert!(escapes(b"../evil"));
        assert!(escapes(b"word/../../evil"));
        assert!(escapes(b"/etc/passwd"));
        assert!(escapes(b"\\evil"));
        assert!(escapes(b"C:evil"));
        assert!(escapes(b"a\0b"));
        assert!(escapes(b"word\\..\\..\\x"));
        assert!(!escapes(b"word/document.xml"));
        assert!(!escapes(b"[Content_Types].xml"));
        assert!(!escapes(b"word/media/a..b.png"));
    }

    #[test]
    fn central_directory_size_is_read_from_the_end_record() {
        let mut fake = b"PK\x03\x04 junk ".to_vec();
        fake.extend_from_slice(b"PK\x05\x06\0\0\0\0\x10\x27\x10\x27\0\0\0\0\0\0\0\0\0\0");
        assert_eq!(eocd_entry_count(&fake), Some(10_000));
        assert_eq!(Package::open(&fake, None).err(), Some(dangerous(Danger::ZipBomb)));
        assert_eq!(eocd_entry_count(b"PK\x05\x06 short"), None);
    }

    #[test]
    fn targets_resolve() {
        assert_eq!(resolve_target("xl/", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve_target("xl/", "/xl/worksheets/sheet2.xml"), "xl/worksheets/sheet2.xml");
        assert_eq!(resolve_target("xl/", "../xl/./worksheets/s.xml"), "xl/worksheets/s.xml");
    }

    #[test]
    fn natural_order() {
        let mut v = vec!["word/header10.xml", "word/header2.xml", "word/footer1.xml"];
        v.sort_by_key(|s| natural_key(s));
        assert_eq!(v, ["word/footer1.xml", "word/header2.xml", "word/header10.xml"]);
    }

    #[test]
    fn docx_xml_paragraphs_tables_and_skips() {
        let xml = r#"<w:document xmlns:w="w" xmlns:mc="mc"><w:body>
            <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Dân</w:t></w:r><w:r><w:t xml:space="preserve"> chủ &amp; </w:t><w:tab/><w:t>cơ sở</w:t><w:br/><w:t>dòng 2</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>A1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>B1</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:delText>xoá</w:delText><w:instrText>PAGE</w:instrText></w:r></w:p>
            <w:p><mc:AlternateContent><mc:Choice><w:t>hộp</w:t></mc:Choice><mc:Fallback><w:t>hộp</w:t></mc:Fallback></mc:AlternateContent></w:p>
            </w:body></w:document>"#;
        let mut out = String::new();
        docx_xml(xml, &mut out, 10_000);
        let text = crate::text::finish(&out, 1000);
        assert_eq!(text, "Dân chủ & cơ sở\ndòng 2\nA1\nB1\nhộp");
    }

    #[test]
    fn sheet_cells() {
        let shared =
            shared_strings(r#"<sst><si><t>Họ tên</t></si><si><r><t>Số </t></r><r><t>tiền</t></r><rPh><t>ふり</t></rPh></si></sst>"#);
        assert_eq!(shared, ["Họ tên", "Số tiền"]);
        let xml = r#"<worksheet><sheetData>
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
            <row r="2"><c t="inlineStr"><is><t>Lê Văn Đức</t></is></c><c><v>125000</v></c><c t="str"><f>A1</f><v>tính</v></c><c t="e"><v>#N/A</v></c></row>
            </sheetData></worksheet>"#;
        let mut out = String::new();
        sheet_xml(xml, &shared, &mut out, 10_000);
        assert_eq!(crate::text::finish(&out, 1000), "Họ tên Số tiền\nLê Văn Đức 125000 tính");
    }
}
