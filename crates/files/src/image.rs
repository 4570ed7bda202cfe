//! Structure checks of PNG and JPEG files (headers, chunk CRCs, segment lengths, end
//! markers). Pixels are not decoded.

use crate::limits::IMAGE_MAX_PIXELS;
use crate::{Danger, FileKind, Refusal};

const PNG_BAD: Refusal = Refusal::Malformed { kind: FileKind::Png };
const JPEG_BAD: Refusal = Refusal::Malformed { kind: FileKind::Jpeg };

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([s[0], s[1]]))
}

fn check_pixels(width: u64, height: u64) -> Result<(), Refusal> {
    if width.saturating_mul(height) > IMAGE_MAX_PIXELS {
        return Err(Refusal::Dangerous { reason: Danger::ImageTooLarge });
    }
    Ok(())
}

/// Walks every chunk: IHDR first and valid, every CRC right, at least one IDAT, IEND present.
pub(crate) fn check_png(b: &[u8]) -> Result<(), Refusal> {
    if !b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(PNG_BAD);
    }
    let mut pos = 8usize;
    let mut first = true;
    let mut seen_idat = false;
    loop {
        let len = be32(b, pos).ok_or(PNG_BAD)?;
        if len > 0x7FFF_FFFF {
            return Err(PNG_BAD);
        }
        let kind_at = pos + 4;
        let data_at = kind_at + 4;
        let crc_at = data_at.checked_add(len as usize).ok_or(PNG_BAD)?;
        let end = crc_at.checked_add(4).ok_or(PNG_BAD)?;
        if end > b.len() {
            return Err(PNG_BAD);
        }
        let kind = &b[kind_at..data_at];
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(PNG_BAD);
        }
        let crc = be32(b, crc_at).ok_or(PNG_BAD)?;
        if crc32fast::hash(&b[kind_at..crc_at]) != crc {
            return Err(PNG_BAD);
        }
        let data = &b[data_at..crc_at];
        if first {
            if kind != b"IHDR" || data.len() != 13 {
                return Err(PNG_BAD);
            }
            check_ihdr(data)?;
            first = false;
        } else if kind == b"IHDR" {
            return Err(PNG_BAD);
        }
        match kind {
            b"IDAT" => seen_idat = true,
            b"IEND" => return if seen_idat { Ok(()) } else { Err(PNG_BAD) },
            _ => {}
        }
        pos = end;
    }
}

fn check_ihdr(d: &[u8]) -> Result<(), Refusal> {
    let width = be32(d, 0).ok_or(PNG_BAD)?;
    let height = be32(d, 4).ok_or(PNG_BAD)?;
    let (depth, color, compression, filter, interlace) = (d[8], d[9], d[10], d[11], d[12]);
    if width == 0 || height == 0 || width > 0x7FFF_FFFF || height > 0x7FFF_FFFF {
        return Err(PNG_BAD);
    }
    let depth_ok = match color {
        0 => matches!(depth, 1 | 2 | 4 | 8 | 16),
        3 => matches!(depth, 1 | 2 | 4 | 8),
        2 | 4 | 6 => matches!(depth, 8 | 16),
        _ => false,
    };
    if !depth_ok || compression != 0 || filter != 0 || interlace > 1 {
        return Err(PNG_BAD);
    }
    check_pixels(u64::from(width), u64::from(height))
}

/// Walks the segments: SOI, well-formed lengths, a frame header (SOF), at least one scan
/// (SOS) and the end marker (EOI). Bytes after EOI (camera trailers, motion photos) are
/// allowed.
pub(crate) fn check_jpeg(b: &[u8]) -> Result<(), Refusal> {
    if !b.starts_with(b"\xFF\xD8") {
        return Err(JPEG_BAD);
    }
    let mut pos = 2usize;
    let mut seen_frame = false;
    let mut seen_scan = false;
    loop {
        // A marker: one or more 0xFF, then the code.
        if b.get(pos) != Some(&0xFF) {
            return Err(JPEG_BAD);
        }
        while b.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let code = *b.get(pos).ok_or(JPEG_BAD)?;
        pos += 1;
        match code {
            0xD9 => return if seen_frame && seen_scan { Ok(()) } else { Err(JPEG_BAD) },
            0xD8 | 0x00 => return Err(JPEG_BAD),
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let len = usize::from(be16(b, pos).ok_or(JPEG_BAD)?);
        if len < 2 {
            return Err(JPEG_BAD);
        }
        let seg_end = pos.checked_add(len).ok_or(JPEG_BAD)?;
        if seg_end > b.len() {
            return Err(JPEG_BAD);
        }
        let seg = &b[pos + 2..seg_end];
        match code {
            // Frame headers: baseline, extended, progressive, lossless, arithmetic…
            0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                if seg.len() < 6 {
                    return Err(JPEG_BAD);
                }
                let height = u64::from(be16(seg, 1).ok_or(JPEG_BAD)?);
                let width = u64::from(be16(seg, 3).ok_or(JPEG_BAD)?);
                let components = usize::from(seg[5]);
                if width == 0 || components == 0 || components > 4 || seg.len() < 6 + 3 * components {
                    return Err(JPEG_BAD);
                }
                check_pixels(width, height.max(1))?;
                seen_frame = true;
                pos = seg_end;
            }
            0xDA => {
                if !seen_frame || seg.is_empty() {
                    return Err(JPEG_BAD);
                }
                seen_scan = true;
                pos = skip_entropy_coded(b, seg_end).ok_or(JPEG_BAD)?;
            }
            _ => pos = seg_end,
        }
    }
}

/// From the start of entropy-coded data, the offset of the next marker that is neither a
/// stuffed zero (FF 00) nor a restart marker (FF D0–D7).
fn skip_entropy_coded(b: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        let rel = b.get(pos..)?.iter().position(|&x| x == 0xFF)?;
        let at = pos + rel;
        let mut next = at + 1;
        while b.get(next) == Some(&0xFF) {
            next += 1;
        }
        match *b.get(next)? {
            0x00 | 0xD0..=0xD7 => pos = next + 1,
            _ => return Some(next - 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_entropy_skip_handles_stuffing_and_restarts() {
        let data = [0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD3, 0x56, 0xFF, 0xFF, 0xD9];
        assert_eq!(skip_entropy_coded(&data, 0), Some(8));
        assert_eq!(skip_entropy_coded(&data[..6], 0), None);
    }
}
