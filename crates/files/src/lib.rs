//! Attachments: type by content, refusal of dangerous files, text extraction.
