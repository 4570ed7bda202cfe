//! Input clean-up shared by both renderers: NFC, control characters, the conventions of
//! Decree 30/2020 that are pure text (uppercase lines, "Số: ", "- " before list items), and checks.

use unicode_normalization::UnicodeNormalization;

use crate::{Block, Document, Error, Signature, Table};

/// Text in NFC, without control characters except `'\n'` (tabs become spaces, CR LF becomes LF).
pub(crate) fn clean(s: &str) -> String {
    let s = s.replace("\r\n", "\n");
    s.nfc()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' | '\r' => Some(' '),
            // XML 1.0 cannot carry them and fonts have no glyphs for them.
            c if c.is_control() || ('\u{FFFE}'..='\u{FFFF}').contains(&c) => None,
            c => Some(c),
        })
        .collect()
}

/// Uppercase (Vietnamese included: "ủy ban" becomes "ỦY BAN"), in NFC.
pub(crate) fn upper(s: &str) -> String {
    clean(s).to_uppercase().nfc().collect()
}

/// One line: line breaks become spaces (for headers that must stay on their own line).
fn one_line(s: &str) -> String {
    clean(s).replace('\n', " ")
}

fn ends_with_punctuation(s: &str) -> bool {
    s.trim_end().ends_with(['.', ';', ':', ',', '!', '?'])
}

/// The document ready to render: cleaned text, the conventions applied, tables checked and padded.
pub(crate) fn normalized(doc: &Document) -> Result<Document, Error> {
    let mut blocks = Vec::with_capacity(doc.blocks.len());
    for (index, block) in doc.blocks.iter().enumerate() {
        blocks.push(match block {
            Block::Heading(t) => Block::Heading(clean(t)),
            Block::Paragraph(t) => Block::Paragraph(clean(t)),
            Block::Bullet(t) => {
                let t = clean(t);
                let t = t.trim_start();
                let t = t.strip_prefix("- ").unwrap_or(t);
                Block::Bullet(format!("- {t}"))
            }
            Block::Table(t) => Block::Table(table(index, t)?),
        });
    }
    let last = doc.recipients.len().saturating_sub(1);
    let recipients = doc
        .recipients
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let r = one_line(r);
            let r = r.trim();
            let r = r.strip_prefix("- ").unwrap_or(r);
            let end = if ends_with_punctuation(r) {
                ""
            } else if i == last {
                "."
            } else {
                ";"
            };
            format!("- {r}{end}")
        })
        .collect();
    let number = doc.number.as_deref().map(one_line).map(|n| {
        let n = n.trim();
        if n.starts_with("Số") || n.starts_with("SỐ") {
            n.to_string()
        } else {
            format!("Số: {n}")
        }
    });
    Ok(Document {
        issuer_parent: doc.issuer_parent.as_deref().map(upper).filter(|s| !s.trim().is_empty()),
        issuer: upper(&doc.issuer),
        number,
        place_date: one_line(&doc.place_date),
        kind_title: upper(&doc.kind_title),
        subject: doc.subject.as_deref().map(clean).filter(|s| !s.trim().is_empty()),
        blocks,
        recipients,
        signature: Signature {
            authority: doc.signature.authority.as_deref().map(upper).filter(|s| !s.trim().is_empty()),
            title: upper(&doc.signature.title),
            name: one_line(&doc.signature.name),
        },
        draft_watermark: doc.draft_watermark.as_deref().map(one_line).filter(|s| !s.trim().is_empty()),
        orientation: doc.orientation,
    })
}

fn table(block: usize, t: &Table) -> Result<Table, Error> {
    let columns = t.columns.len();
    if columns == 0 {
        return Err(Error::EmptyTable { block });
    }
    let mut rows = Vec::with_capacity(t.rows.len());
    for (row, cells) in t.rows.iter().enumerate() {
        if cells.len() > columns {
            return Err(Error::RowTooLong { block, row, cells: cells.len(), columns });
        }
        let mut cleaned: Vec<String> = cells.iter().map(|c| clean(c)).collect();
        cleaned.resize(columns, String::new());
        rows.push(cleaned);
    }
    let columns = t.columns.iter().map(|c| crate::Column { title: clean(&c.title), ..c.clone() }).collect();
    Ok(Table { columns, rows })
}

/// XML text or attribute value, escaped.
pub(crate) fn xml_escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_input_becomes_precomposed() {
        // "Hạc" written as H + a + combining dot below + c.
        assert_eq!(clean("Ha\u{0323}c Tha\u{0300}nh"), "Hạc Thành");
        assert_eq!(upper("ủy ban nhân dân xã hạc thành"), "ỦY BAN NHÂN DÂN XÃ HẠC THÀNH");
        assert_eq!(upper("đ"), "Đ");
    }

    #[test]
    fn control_characters_are_dropped_and_tabs_become_spaces() {
        assert_eq!(clean("a\u{0007}b\tc\r\nd"), "ab c\nd");
    }

    #[test]
    fn recipients_get_dashes_and_punctuation() {
        let doc = Document {
            recipients: vec!["Như trên".into(), "- UBND tỉnh;".into(), "Lưu: VT".into()],
            number: Some("12/KH-UBND".into()),
            ..Document::default()
        };
        let n = normalized(&doc).unwrap();
        assert_eq!(n.recipients, ["- Như trên;", "- UBND tỉnh;", "- Lưu: VT."]);
        assert_eq!(n.number.as_deref(), Some("Số: 12/KH-UBND"));
    }

    #[test]
    fn tables_are_checked_and_padded() {
        let mut doc = Document::default();
        doc.blocks.push(Block::Table(Table { columns: vec![], rows: vec![] }));
        assert!(matches!(normalized(&doc), Err(Error::EmptyTable { block: 0 })));
        doc.blocks[0] = Block::Table(Table { columns: vec![crate::Column::new("A", 1)], rows: vec![vec!["1".into(), "2".into()]] });
        assert!(matches!(normalized(&doc), Err(Error::RowTooLong { row: 0, cells: 2, columns: 1, .. })));
        doc.blocks[0] =
            Block::Table(Table { columns: vec![crate::Column::new("A", 1), crate::Column::new("B", 1)], rows: vec![vec!["1".into()]] });
        let Block::Table(t) = &normalized(&doc).unwrap().blocks[0] else { panic!("not a table") };
        assert_eq!(t.rows[0], ["1", ""]);
    }

    #[test]
    fn xml_special_characters_are_escaped() {
        let mut out = String::new();
        xml_escape("<a & \"b\" 'c'>", &mut out);
        assert_eq!(out, "&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;");
    }
}
