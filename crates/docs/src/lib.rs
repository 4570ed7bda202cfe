//! Official documents as PDF and DOCX.
