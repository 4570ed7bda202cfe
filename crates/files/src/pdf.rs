//! PDF: safety checks and text extraction.
//!
//! Two layers:
//! 1. A raw scan of our own, before any parser sees the file: names are tokenised (with
//!    `#xx` escapes decoded, literal strings and comments skipped) outside stream bodies and
//!    inside every object stream (`/Type /ObjStm`), which is inflated with a budget, so the
//!    total a file may unpack to is bounded before `lopdf` decodes anything.
//! 2. `lopdf` (run under `catch_unwind`, with a per-stream decompression limit) parses the
//!    document; every object it knows is walked for the same names, and pages are
//!    interpreted for text with the fonts' ToUnicode CMaps (so Vietnamese comes out right).

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Encoding, LoadOptions, Object, ObjectId};

use crate::limits::{PDF_MAX_PAGES, PDF_STREAM_MAX, PDF_TIME_BUDGET, PDF_TOTAL_MAX};
use crate::{Danger, FileKind, PdfFeature, Refusal};

const BAD: Refusal = Refusal::Malformed { kind: FileKind::Pdf };
/// Readers require `%%EOF` within the last 1024 bytes; a file without it is truncated.
const EOF_WINDOW: usize = 1024;

fn dangerous(reason: Danger) -> Refusal {
    Refusal::Dangerous { reason }
}

// ---------------------------------------------------------------------------------------
// Raw scan

#[derive(Default)]
struct Scan {
    feature: Option<PdfFeature>,
    encrypted: bool,
}

impl Scan {
    fn name(&mut self, name: &[u8]) {
        if name == b"Encrypt" {
            self.encrypted = true;
        } else if self.feature.is_none() {
            self.feature = feature_of(name);
        }
    }
}

fn feature_of(name: &[u8]) -> Option<PdfFeature> {
    match name {
        b"JavaScript" | b"JS" => Some(PdfFeature::JavaScript),
        b"Launch" => Some(PdfFeature::Launch),
        b"EmbeddedFile" | b"EmbeddedFiles" => Some(PdfFeature::EmbeddedFile),
        n if n.starts_with(b"RichMedia") => Some(PdfFeature::RichMedia),
        _ => None,
    }
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0C' | 0)
}

fn is_delim(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from >= hay.len() || needle.is_empty() {
        return None;
    }
    let first = needle[0];
    let mut i = from;
    while let Some(rel) = hay[i..].iter().position(|&b| b == first) {
        let at = i + rel;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn hex_val(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// Calls `on_name` with every name token of `data` (decoded), skipping literal strings and
/// comments.
fn each_name(data: &[u8], mut on_name: impl FnMut(&[u8])) {
    let mut i = 0;
    let mut name = Vec::new();
    while i < data.len() {
        match data[i] {
            b'(' => {
                // Literal string: balanced parentheses, backslash escapes.
                let mut depth = 1usize;
                i += 1;
                while i < data.len() && depth > 0 {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => depth -= 1,
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'%' => {
                while i < data.len() && !matches!(data[i], b'\r' | b'\n') {
                    i += 1;
                }
            }
            b'/' => {
                name.clear();
                i += 1;
                while i < data.len() && !is_white(data[i]) && !is_delim(data[i]) {
                    if data[i] == b'#' {
                        if let (Some(h), Some(l)) = (data.get(i + 1).copied().and_then(hex_val), data.get(i + 2).copied().and_then(hex_val))
                        {
                            name.push(h << 4 | l);
                            i += 3;
                            continue;
                        }
                    }
                    name.push(data[i]);
                    i += 1;
                }
                on_name(&name);
            }
            _ => i += 1,
        }
    }
}

/// Inflates a zlib stream into at most `limit + 1` bytes (more means over the limit).
/// A corrupt tail keeps what was inflated before it.
fn inflate(data: &[u8], limit: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut reader = flate2::read::ZlibDecoder::new(data).take(limit as u64 + 1);
    let _ = reader.read_to_end(&mut out);
    out
}

/// Scans names outside stream bodies and inside object streams, and bounds what object
/// streams unpack to.
fn prescan(bytes: &[u8]) -> Result<Scan, Refusal> {
    let mut scan = Scan::default();
    let mut total = 0usize;
    let mut region_start = 0usize;
    let mut pos = 0usize;
    while let Some(at) = find(bytes, b"stream", pos) {
        pos = at + 6;
        if at >= 3 && &bytes[at - 3..at] == b"end" {
            continue;
        }
        // The keyword must follow a dictionary.
        let mut k = at;
        while k > 0 && is_white(bytes[k - 1]) {
            k -= 1;
        }
        if k < 2 || &bytes[k - 2..k] != b">>" {
            continue;
        }
        let mut body_start = at + 6;
        if bytes.get(body_start) == Some(&b'\r') {
            body_start += 1;
        }
        if bytes.get(body_start) == Some(&b'\n') {
            body_start += 1;
        }
        let body_end = find(bytes, b"endstream", body_start).unwrap_or(bytes.len());

        // The dictionary: from the last `obj` keyword before it (bounded look-back).
        let look_from = region_start.max(k.saturating_sub(64 * 1024));
        let dict_from = rfind(&bytes[look_from..k], b"obj").map_or(look_from, |p| look_from + p);
        let dict = &bytes[dict_from..k];
        each_name(&bytes[region_start..k], |n| scan.name(n));

        let mut is_objstm = false;
        let mut filters = Vec::new();
        let mut after_filter = false;
        each_name(dict, |n| {
            if n == b"ObjStm" {
                is_objstm = true;
            }
            if after_filter && n != b"DecodeParms" && n != b"Length" && n.ends_with(b"Decode") {
                filters.push(n.to_vec());
            }
            if n == b"Filter" {
                after_filter = true;
            }
        });
        let body = &bytes[body_start.min(body_end)..body_end];
        if is_objstm {
            if filters.is_empty() {
                each_name(body, |n| scan.name(n));
            } else if filters.iter().all(|f| f == b"FlateDecode") && filters.len() == 1 {
                let remaining = PDF_TOTAL_MAX.saturating_sub(total);
                let limit = PDF_STREAM_MAX.min(remaining);
                let plain = inflate(body, limit);
                if plain.len() > limit {
                    return Err(dangerous(Danger::ZipBomb));
                }
                total += plain.len();
                each_name(&plain, |n| scan.name(n));
            }
            // Other filters are left to lopdf, bounded per stream, and to the object walk.
        }
        pos = (body_end + 9).min(bytes.len());
        region_start = pos;
    }
    each_name(&bytes[region_start.min(bytes.len())..], |n| scan.name(n));
    Ok(scan)
}

// ---------------------------------------------------------------------------------------
// lopdf

fn load(bytes: &[u8]) -> Result<Document, Refusal> {
    let options = LoadOptions { max_decompressed_size: Some(PDF_STREAM_MAX), ..LoadOptions::default() };
    match catch_unwind(AssertUnwindSafe(|| Document::load_mem_with_options(bytes, options))) {
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err(lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword | lopdf::Error::AlreadyEncrypted)) => {
            Err(dangerous(Danger::Encrypted))
        }
        Ok(Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }))) => Err(dangerous(Danger::ZipBomb)),
        Ok(Err(_)) | Err(_) => Err(BAD),
    }
}

/// Every name (dictionary keys and name values) of every object lopdf parsed.
fn walk(obj: &Object, depth: usize, found: &mut Option<PdfFeature>) {
    if found.is_some() || depth > 64 {
        return;
    }
    match obj {
        Object::Name(n) => *found = feature_of(n),
        Object::Array(items) => items.iter().for_each(|o| walk(o, depth + 1, found)),
        Object::Dictionary(d) => walk_dict(d, depth, found),
        Object::Stream(s) => walk_dict(&s.dict, depth, found),
        _ => {}
    }
}

fn walk_dict(d: &Dictionary, depth: usize, found: &mut Option<PdfFeature>) {
    for (k, v) in d.iter() {
        if found.is_none() {
            *found = feature_of(k);
        }
        walk(v, depth + 1, found);
    }
}

fn ends_properly(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(EOF_WINDOW)..];
    find(tail, b"%%EOF", 0).is_some()
}

pub(crate) fn check(bytes: &[u8]) -> Result<(), Refusal> {
    if crate::sniff::pdf_header_at(bytes).is_none() || !ends_properly(bytes) {
        return Err(BAD);
    }
    let scan = prescan(bytes)?;
    if scan.encrypted {
        return Err(dangerous(Danger::Encrypted));
    }
    if let Some(f) = scan.feature {
        return Err(dangerous(Danger::Pdf(f)));
    }
    let doc = load(bytes)?;
    let verdict = catch_unwind(AssertUnwindSafe(|| {
        if doc.was_encrypted() || doc.trailer.has(b"Encrypt") {
            return Err(dangerous(Danger::Encrypted));
        }
        let mut found = None;
        walk_dict(&doc.trailer, 0, &mut found);
        for obj in doc.objects.values() {
            if found.is_some() {
                break;
            }
            walk(obj, 0, &mut found);
        }
        if let Some(f) = found {
            return Err(dangerous(Danger::Pdf(f)));
        }
        if doc.get_pages().is_empty() {
            return Err(BAD);
        }
        Ok(())
    }));
    verdict.unwrap_or(Err(BAD))
}

// ---------------------------------------------------------------------------------------
// Text

pub(crate) fn text(bytes: &[u8], budget: usize) -> Result<String, Refusal> {
    if crate::sniff::pdf_header_at(bytes).is_none() {
        return Err(BAD);
    }
    let scan = prescan(bytes)?;
    if scan.encrypted {
        return Err(dangerous(Danger::Encrypted));
    }
    let doc = load(bytes)?;
    if doc.was_encrypted() {
        return Err(dangerous(Danger::Encrypted));
    }
    let mut out = String::new();
    // A panic inside lopdf keeps the text gathered so far.
    let _ = catch_unwind(AssertUnwindSafe(|| extract(&doc, &mut out, budget)));
    Ok(out)
}

struct Ctx<'d> {
    doc: &'d Document,
    deadline: Instant,
    budget: usize,
    /// Decompressed content bytes so far (bounded by `PDF_TOTAL_MAX`).
    unpacked: usize,
    ops: usize,
}

impl Ctx<'_> {
    fn exhausted(&mut self, out: &str) -> bool {
        self.ops += 1;
        out.len() > self.budget || self.unpacked > PDF_TOTAL_MAX || (self.ops.is_multiple_of(512) && Instant::now() > self.deadline)
    }
}

fn extract(doc: &Document, out: &mut String, budget: usize) {
    let mut ctx = Ctx { doc, deadline: Instant::now() + PDF_TIME_BUDGET, budget, unpacked: 0, ops: 0 };
    for (_, page_id) in doc.get_pages().into_iter().take(PDF_MAX_PAGES) {
        if ctx.exhausted(out) || Instant::now() > ctx.deadline {
            break;
        }
        let Ok(content) = doc.get_page_content_with_limit(page_id, PDF_STREAM_MAX) else { continue };
        ctx.unpacked += content.len();
        let (direct, ids) = doc.get_page_resources(page_id).unwrap_or((None, Vec::new()));
        let mut resources: Vec<&Dictionary> = direct.into_iter().collect();
        resources.extend(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
        let fonts = doc.get_page_fonts(page_id).unwrap_or_default();
        let mut state = TextState::default();
        let mut seen_forms = HashSet::new();
        run(&mut ctx, &content, &fonts, &resources, 0, &mut seen_forms, &mut state, out);
        out.push('\n');
    }
}

/// How to turn a font's string bytes into text, and how wide they are.
struct Decoder<'a> {
    /// From the ToUnicode CMap.
    unicode: Option<Encoding<'a>>,
    /// From /Encoding (simple fonts only: a one-byte guess at two-byte CIDs is garbage).
    simple: Option<Encoding<'a>>,
    /// Codes are two bytes (composite fonts).
    two_byte: bool,
    /// Glyph widths in thousandths of an em, when the font says.
    widths: Option<Widths>,
}

impl Decoder<'_> {
    fn decode(&self, bytes: &[u8]) -> String {
        let unicode = self.unicode.as_ref().and_then(|e| e.bytes_to_string(bytes).ok());
        match unicode {
            Some(s) if !s.contains('\u{FFFD}') => s,
            other => match self.simple.as_ref().and_then(|e| e.bytes_to_string(bytes).ok()) {
                Some(s) if !s.is_empty() => s,
                _ => other.unwrap_or_default(),
            },
        }
    }

    /// Sum of the glyph widths (thousandths of an em) and number of glyphs, if widths are known.
    fn advance(&self, bytes: &[u8]) -> Option<(f32, usize)> {
        let widths = self.widths.as_ref()?;
        let mut total = 0.0;
        let mut count = 0;
        if self.two_byte {
            for c in bytes.chunks_exact(2) {
                total += widths.get(u32::from(c[0]) << 8 | u32::from(c[1]));
                count += 1;
            }
        } else {
            for &b in bytes {
                total += widths.get(u32::from(b));
                count += 1;
            }
        }
        Some((total, count))
    }
}

/// Glyph widths: ranges of codes → width, and a default.
struct Widths {
    ranges: BTreeMap<u32, (u32, f32)>,
    default: f32,
}

impl Widths {
    fn get(&self, code: u32) -> f32 {
        match self.ranges.range(..=code).next_back() {
            Some((_, &(last, w))) if code <= last => w,
            _ => self.default,
        }
    }
}

fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(n) => Some(*n as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    doc.dereference(o).ok().map(|(_, o)| o)
}

const MAX_WIDTH_ENTRIES: usize = 70_000;

/// `/FirstChar` + `/Widths` of a simple font.
fn simple_widths(doc: &Document, font: &Dictionary) -> Option<Widths> {
    let first = font.get(b"FirstChar").ok().and_then(number)? as u32;
    let Object::Array(list) = deref(doc, font.get(b"Widths").ok()?)? else { return None };
    let missing = font
        .get(b"FontDescriptor")
        .ok()
        .and_then(|d| deref(doc, d))
        .and_then(|d| d.as_dict().ok())
        .and_then(|d| d.get(b"MissingWidth").ok())
        .and_then(number)
        .unwrap_or(0.0);
    let mut ranges = BTreeMap::new();
    for (i, w) in list.iter().take(256).enumerate() {
        if let Some(w) = deref(doc, w).and_then(number) {
            let code = first.saturating_add(i as u32);
            ranges.insert(code, (code, w));
        }
    }
    Some(Widths { ranges, default: missing })
}

/// `/DW` + `/W` of the descendant of a composite font.
fn cid_widths(doc: &Document, font: &Dictionary) -> Option<Widths> {
    let Object::Array(descendants) = deref(doc, font.get(b"DescendantFonts").ok()?)? else { return None };
    let cid_font = deref(doc, descendants.first()?)?.as_dict().ok()?;
    let default = cid_font.get(b"DW").ok().and_then(number).unwrap_or(1000.0);
    let mut ranges = BTreeMap::new();
    if let Some(Object::Array(w)) = cid_font.get(b"W").ok().and_then(|w| deref(doc, w)) {
        let mut i = 0;
        while i < w.len() && ranges.len() < MAX_WIDTH_ENTRIES {
            let Some(first) = deref(doc, &w[i]).and_then(number).map(|f| f as u32) else { break };
            match w.get(i + 1).and_then(|o| deref(doc, o)) {
                Some(Object::Array(list)) => {
                    for (k, v) in list.iter().take(MAX_WIDTH_ENTRIES).enumerate() {
                        if let Some(v) = deref(doc, v).and_then(number) {
                            let code = first.saturating_add(k as u32);
                            ranges.insert(code, (code, v));
                        }
                    }
                    i += 2;
                }
                Some(last) => {
                    let (Some(last), Some(v)) = (number(last), w.get(i + 2).and_then(|o| deref(doc, o)).and_then(number)) else { break };
                    ranges.insert(first, (last as u32, v));
                    i += 3;
                }
                None => break,
            }
        }
    }
    Some(Widths { ranges, default })
}

/// Fonts of a resource set by name; `stripped` holds copies of fonts with a ToUnicode CMap
/// and without /Encoding, because lopdf prefers /Encoding when both are there.
fn decoders<'a>(
    doc: &'a Document,
    fonts: &BTreeMap<Vec<u8>, &'a Dictionary>,
    stripped: &'a BTreeMap<Vec<u8>, Dictionary>,
) -> BTreeMap<Vec<u8>, Decoder<'a>> {
    let mut table = BTreeMap::new();
    for (name, font) in fonts {
        let subtype = font.get(b"Subtype").and_then(Object::as_name).unwrap_or_default();
        let composite = subtype == b"Type0";
        let unicode_dict: Option<&Dictionary> = if font.has(b"ToUnicode") { Some(stripped.get(name).unwrap_or(font)) } else { None };
        let unicode = unicode_dict
            .and_then(|d| d.get_font_encoding_with_limit(doc, PDF_STREAM_MAX).ok())
            .filter(|e| matches!(e, Encoding::UnicodeMapEncoding(_)));
        let simple = if composite { None } else { font.get_font_encoding_with_limit(doc, PDF_STREAM_MAX).ok() };
        // Type3 widths are in glyph space, not thousandths of an em: treated as unknown.
        let widths = match subtype {
            b"Type0" => cid_widths(doc, font),
            b"Type3" => None,
            _ => simple_widths(doc, font),
        };
        table.insert(name.clone(), Decoder { unicode, simple, two_byte: composite, widths });
    }
    table
}

fn strip_encodings(fonts: &BTreeMap<Vec<u8>, &Dictionary>) -> BTreeMap<Vec<u8>, Dictionary> {
    fonts
        .iter()
        .filter(|(_, f)| f.has(b"ToUnicode") && f.has(b"Encoding"))
        .map(|(name, f)| {
            let mut copy = (*f).clone();
            copy.remove(b"Encoding");
            (name.clone(), copy)
        })
        .collect()
}

/// Position tracking, just enough to place spaces and line breaks. Positions are in user
/// space, approximately (the text matrix scale is kept, rotation and `cm` are ignored).
struct TextState {
    font: Option<Vec<u8>>,
    size: f32,
    char_spacing: f32,
    leading: f32,
    /// Start of the current line.
    line_x: f32,
    line_y: f32,
    /// Where the next glyph goes.
    x: f32,
    /// Text matrix scale (horizontal, vertical).
    sx: f32,
    sy: f32,
    /// Whether the width of the text shown last was known (so `x` is trustworthy).
    x_known: bool,
    last_y: Option<f32>,
    gap: Gap,
}

impl Default for TextState {
    fn default() -> Self {
        TextState {
            font: None,
            size: 12.0,
            char_spacing: 0.0,
            leading: 0.0,
            line_x: 0.0,
            line_y: 0.0,
            x: 0.0,
            sx: 1.0,
            sy: 1.0,
            x_known: false,
            last_y: None,
            gap: Gap::None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Gap {
    None,
    Space,
    Line,
}

impl TextState {
    fn want(&mut self, g: Gap) {
        if g > self.gap {
            self.gap = g;
        }
    }

    fn em(&self) -> f32 {
        (self.size * self.sx).abs().max(0.01)
    }

    /// The pen moves to the start of a (new) line at (`x`, `y`): a word space when it jumps
    /// ahead of where the last text ended (or anywhere, when that is unknown); a line break
    /// is decided by `show` from the vertical move.
    fn move_to(&mut self, x: f32, y: f32) {
        let dx = x - self.x;
        if !self.x_known || dx > 0.15 * self.em() || dx < -self.em() {
            self.want(Gap::Space);
        }
        self.line_x = x;
        self.line_y = y;
        self.x = x;
    }

    fn show(&mut self, text: &str, advance: Option<(f32, usize)>, out: &mut String) {
        if !text.is_empty() {
            if let Some(last) = self.last_y {
                let threshold = (self.size.abs() * self.sy * 0.5).max(1.0);
                if (self.line_y - last).abs() > threshold {
                    self.want(Gap::Line);
                }
            }
            if !out.is_empty() && !out.ends_with(char::is_whitespace) && !text.starts_with(char::is_whitespace) {
                match self.gap {
                    Gap::Line => out.push('\n'),
                    Gap::Space => out.push(' '),
                    Gap::None => {}
                }
            } else if self.gap == Gap::Line && !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(text);
            self.gap = Gap::None;
            self.last_y = Some(self.line_y);
        }
        match advance {
            Some((thousandths, glyphs)) => {
                self.x += (thousandths / 1000.0 * self.size + glyphs as f32 * self.char_spacing) * self.sx;
                self.x_known = true;
            }
            None => self.x_known = false,
        }
    }

    /// A number in a TJ array: moves the pen left by `n` thousandths of an em.
    fn kern(&mut self, n: f32) {
        self.x -= n / 1000.0 * self.size * self.sx;
        // A move left of more than a quarter em is a word space.
        if n < -250.0 {
            self.want(Gap::Space);
        }
    }
}

fn num(op: &Operation, i: usize) -> f32 {
    op.operands.get(i).and_then(number).unwrap_or(0.0)
}

/// A sub-dictionary (`/Font`, `/XObject`) of the first resource dictionary that has it.
fn resource<'a>(doc: &'a Document, resources: &[&'a Dictionary], key: &[u8]) -> Option<&'a Dictionary> {
    resources.iter().find_map(|r| match r.get(key).ok()? {
        Object::Dictionary(d) => Some(d),
        Object::Reference(id) => doc.get_dictionary(*id).ok(),
        _ => None,
    })
}

#[allow(clippy::too_many_arguments)]
fn run<'d>(
    ctx: &mut Ctx<'d>,
    content: &[u8],
    fonts: &BTreeMap<Vec<u8>, &'d Dictionary>,
    resources: &[&'d Dictionary],
    depth: usize,
    seen_forms: &mut HashSet<ObjectId>,
    st: &mut TextState,
    out: &mut String,
) {
    let doc = ctx.doc;
    let stripped = strip_encodings(fonts);
    let table = decoders(doc, fonts, &stripped);
    let show = |st: &mut TextState, bytes: &[u8], out: &mut String| {
        match st.font.as_ref().and_then(|f| table.get(f)) {
            Some(d) => st.show(&d.decode(bytes), d.advance(bytes), out),
            None => st.show("", None, out),
        };
    };
    for op in Content::decode_iter(content) {
        let Ok(op) = op else { break };
        if ctx.exhausted(out) {
            break;
        }
        match op.operator.as_str() {
            "BT" => {
                (st.line_x, st.line_y, st.x, st.sx, st.sy) = (0.0, 0.0, 0.0, 1.0, 1.0);
                st.x_known = false;
            }
            "ET" => st.want(Gap::Space),
            "Tf" => {
                st.font = op.operands.first().and_then(|o| o.as_name().ok()).map(<[u8]>::to_vec);
                let size = num(&op, 1);
                if size != 0.0 {
                    st.size = size;
                }
            }
            "Tc" => st.char_spacing = num(&op, 0),
            "TL" => st.leading = num(&op, 0),
            "Td" | "TD" => {
                let (tx, ty) = (num(&op, 0), num(&op, 1));
                if op.operator == "TD" {
                    st.leading = -ty;
                }
                st.move_to(st.line_x + tx * st.sx, st.line_y + ty * st.sy);
            }
            "Tm" => {
                let (a, b, c, d) = (num(&op, 0), num(&op, 1), num(&op, 2), num(&op, 3));
                let sx = a.hypot(b);
                let sy = c.hypot(d);
                st.sx = if sx > 0.0 { sx } else { 1.0 };
                st.sy = if sy > 0.0 { sy } else { 1.0 };
                // The y axis may be flipped (`1 0 0 -1 x y Tm`): only distances matter.
                st.move_to(num(&op, 4), num(&op, 5));
            }
            "T*" => {
                st.want(Gap::Line);
                st.move_to(st.line_x, st.line_y - st.leading * st.sy);
            }
            "Tj" => {
                if let Some(Object::String(s, _)) = op.operands.first() {
                    show(st, s, out);
                }
            }
            "'" | "\"" => {
                st.want(Gap::Line);
                st.move_to(st.line_x, st.line_y - st.leading * st.sy);
                let i = if op.operator == "'" { 0 } else { 2 };
                if let Some(Object::String(s, _)) = op.operands.get(i) {
                    show(st, s, out);
                }
            }
            "TJ" => {
                if let Some(Object::Array(items)) = op.operands.first() {
                    for item in items {
                        match item {
                            Object::String(s, _) => show(st, s, out),
                            other => {
                                if let Some(n) = number(other) {
                                    st.kern(n);
                                }
                            }
                        }
                    }
                }
            }
            "Do" if depth < 4 => {
                let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else { continue };
                let Some(Ok(Object::Reference(id))) = resource(doc, resources, b"XObject").map(|x| x.get(name)) else { continue };
                if seen_forms.len() > 200 || !seen_forms.insert(*id) {
                    continue;
                }
                let Ok(Object::Stream(form)) = doc.get_object(*id) else { continue };
                if form.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form".as_slice()) {
                    continue;
                }
                let Ok(data) = form.get_plain_content_with_limit(PDF_STREAM_MAX) else { continue };
                ctx.unpacked += data.len();
                let own: Option<&Dictionary> = match form.dict.get(b"Resources") {
                    Ok(Object::Dictionary(d)) => Some(d),
                    Ok(Object::Reference(r)) => doc.get_dictionary(*r).ok(),
                    _ => None,
                };
                let mut form_resources: Vec<&Dictionary> = own.into_iter().collect();
                form_resources.extend_from_slice(resources);
                let mut form_fonts = fonts.clone();
                if let Some(font_dict) = own.and_then(|r| resource(doc, &[r], b"Font")) {
                    for (k, v) in font_dict.iter() {
                        let f = match v {
                            Object::Reference(r) => doc.get_dictionary(*r).ok(),
                            Object::Dictionary(d) => Some(d),
                            _ => None,
                        };
                        if let Some(f) = f {
                            form_fonts.insert(k.clone(), f);
                        }
                    }
                }
                let saved_font = st.font.clone();
                st.want(Gap::Space);
                run(ctx, &data, &form_fonts, &form_resources, depth + 1, seen_forms, st, out);
                st.font = saved_font;
                st.want(Gap::Space);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_tokenised() {
        let mut names = Vec::new();
        each_name(b"<</S/J#61vaScript/JS (a /Launch in a string \\) /Launch) %/Launch comment\n/OpenAction>>", |n| names.push(n.to_vec()));
        assert_eq!(names, [b"S".to_vec(), b"JavaScript".to_vec(), b"JS".to_vec(), b"OpenAction".to_vec()]);
    }

    #[test]
    fn features_by_name() {
        assert_eq!(feature_of(b"JS"), Some(PdfFeature::JavaScript));
        assert_eq!(feature_of(b"JSX"), None);
        assert_eq!(feature_of(b"RichMediaContent"), Some(PdfFeature::RichMedia));
        assert_eq!(feature_of(b"EmbeddedFiles"), Some(PdfFeature::EmbeddedFile));
    }
}
