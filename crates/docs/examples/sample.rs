//! Writes the sample document as PDF and DOCX: `cargo run -p danchu-docs --example sample -- OUT_DIR`.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let doc = danchu_docs::sample_document();
    let pdf = danchu_docs::to_pdf(&doc)?;
    let docx = danchu_docs::to_docx(&doc)?;
    std::fs::write(dir.join("sample.pdf"), &pdf)?;
    std::fs::write(dir.join("sample.docx"), &docx)?;
    println!("sample.pdf {} bytes, sample.docx {} bytes", pdf.len(), docx.len());
    Ok(())
}
