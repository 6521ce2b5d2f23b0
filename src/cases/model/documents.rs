//! Documents checked by their content.

use super::*;

/// What a document's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocType {
    Pdf,
    Png,
    Jpeg,
    /// A zip container: .docx, .xlsx, .odt, .ods.
    Office,
}

impl DocType {
    /// The MIME type stored and served.
    pub fn mime(self, name: &str) -> &'static str {
        match self {
            DocType::Pdf => "application/pdf",
            DocType::Png => "image/png",
            DocType::Jpeg => "image/jpeg",
            DocType::Office => match extension(name).as_str() {
                "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "odt" => "application/vnd.oasis.opendocument.text",
                _ => "application/vnd.oasis.opendocument.spreadsheet",
            },
        }
    }
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Why a document is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocProblem {
    Missing,
    TooLarge,
    /// The name announces a type the content is not (or a type not accepted).
    Mismatch,
}

impl DocProblem {
    /// The Fluent key of the message.
    pub fn key(self) -> &'static str {
        match self {
            DocProblem::Missing => "case-doc-missing",
            DocProblem::TooLarge => "case-doc-too-large",
            DocProblem::Mismatch => "case-doc-mismatch",
        }
    }
}

/// Check a document by its content: the first bytes must match what its
/// name's extension announces (PDF, PNG, JPEG, or an office zip).
pub fn check_document(name: &str, bytes: &[u8]) -> Result<DocType, DocProblem> {
    if bytes.is_empty() {
        return Err(DocProblem::Missing);
    }
    if bytes.len() > DOCUMENT_LIMIT {
        return Err(DocProblem::TooLarge);
    }
    let sniffed = if bytes.starts_with(b"%PDF-") {
        Some(DocType::Pdf)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(DocType::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(DocType::Jpeg)
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some(DocType::Office)
    } else {
        None
    };
    let announced = match extension(name).as_str() {
        "pdf" => Some(DocType::Pdf),
        "png" => Some(DocType::Png),
        "jpg" | "jpeg" => Some(DocType::Jpeg),
        "docx" | "xlsx" | "odt" | "ods" => Some(DocType::Office),
        _ => None,
    };
    match (sniffed, announced) {
        (Some(s), Some(a)) if s == a => Ok(s),
        _ => Err(DocProblem::Mismatch),
    }
}

/// A shown file name: last path part, no control characters, 120 characters.
pub fn clean_name(name: &str) -> String {
    let n: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(120)
        .collect();
    if n.is_empty() {
        "document".into()
    } else {
        n
    }
}
