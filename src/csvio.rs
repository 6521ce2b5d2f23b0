//! CSV files as people really send them: UTF-8 with or without BOM or
//! Windows-1252 from a spreadsheet, separated by `,`, `;` or tabs.

use std::collections::HashMap;

/// A decoded CSV file: normalised header names and rows.
#[derive(Debug)]
pub struct Table {
    pub headers: Vec<String>,
    /// Each row with its line number in the file (header is line 1).
    pub rows: Vec<(usize, Vec<String>)>,
    pub separator: u8,
    pub encoding: &'static str,
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    Empty,
    /// Required columns that are missing.
    MissingColumns(Vec<String>),
    /// A line could not be parsed (e.g. an unclosed quote).
    Malformed(usize),
    /// A cell holds a NUL byte (no database stores it as sent).
    NulByte {
        line: usize,
        column: String,
    },
}

impl FileError {
    /// Translation key for the message.
    pub fn key(&self) -> &'static str {
        match self {
            FileError::Empty => "csv-empty",
            FileError::MissingColumns(_) => "csv-missing-columns",
            FileError::Malformed(_) => "csv-malformed",
            FileError::NulByte { .. } => "csv-nul-byte",
        }
    }

    /// The localised message, naming the line or columns concerned.
    pub fn message(&self, tr: crate::i18n::Tr) -> String {
        match self {
            FileError::MissingColumns(cols) => tr.ts(self.key(), "columns", &cols.join(", ")),
            FileError::Malformed(line) => tr.tn(self.key(), "line", *line as i64),
            FileError::Empty => tr.t(self.key()),
            FileError::NulByte { line, column } => tr.args(
                self.key(),
                &[("line", &line.to_string()), ("column", column)],
            ),
        }
    }
}

/// Decode bytes to text: UTF-8 (BOM removed) or, failing that, Windows-1252.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), "Windows-1252")
        }
    }
}

/// Header name as compared: folded, spaces and hyphens as underscores.
pub fn header_key(h: &str) -> String {
    crate::text::fold(h).replace([' ', '-'], "_")
}

/// Parse a CSV file, checking that `required` columns are present.
pub fn parse(bytes: &[u8], required: &[&str]) -> Result<Table, FileError> {
    let (text, encoding) = decode(bytes);
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .ok_or(FileError::Empty)?;
    let separator = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|s| first.bytes().filter(|b| b == s).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let raw_headers = reader.headers().map_err(|_| FileError::Malformed(1))?;
    if let Some(h) = raw_headers.iter().find(|h| h.contains('\0')) {
        return Err(FileError::NulByte {
            line: 1,
            column: h.replace('\0', ""),
        });
    }
    let headers: Vec<String> = raw_headers.iter().map(header_key).collect();
    let missing: Vec<String> = required
        .iter()
        .filter(|r| !headers.iter().any(|h| h == *r))
        .map(|r| r.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(FileError::MissingColumns(missing));
    }
    let mut rows = vec![];
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            FileError::Malformed(e.position().map(|p| p.line() as usize).unwrap_or(0))
        })?;
        let line = rec
            .position()
            .map(|p| p.line() as usize)
            .unwrap_or(rows.len() + 2);
        if let Some(i) = rec.iter().position(|f| f.contains('\0')) {
            let column = headers
                .get(i)
                .cloned()
                .unwrap_or_else(|| (i + 1).to_string());
            return Err(FileError::NulByte { line, column });
        }
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        rows.push((line, rec.iter().map(|f| f.trim().to_string()).collect()));
    }
    Ok(Table {
        headers,
        rows,
        separator,
        encoding,
    })
}

impl Table {
    /// Column positions by header key.
    pub fn index(&self) -> HashMap<String, usize> {
        self.headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.clone(), i))
            .collect()
    }
}

/// Read a field of a row by column name ("" when absent).
pub fn field<'a>(row: &'a [String], idx: &HashMap<String, usize>, name: &str) -> &'a str {
    idx.get(name)
        .and_then(|i| row.get(*i))
        .map(String::as_str)
        .unwrap_or("")
}

/// Quote a value for CSV output; cells starting with a formula character
/// are prefixed so spreadsheets do not execute them.
pub fn cell(value: &str) -> String {
    let v = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if v.contains([';', ',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_semicolons_and_windows_1252() {
        let bytes = b"Nom;SIRET;Commune\nBoulangerie \xC9lise;73282932000074;Bordeaux\n\n";
        let t = parse(bytes, &["nom", "siret"]).unwrap();
        assert_eq!(t.separator, b';');
        assert_eq!(t.encoding, "Windows-1252");
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].1[0], "Boulangerie Élise");
        assert_eq!(t.rows[0].0, 2);
    }

    #[test]
    fn reports_missing_columns_and_bom() {
        let bytes = "\u{FEFF}name,city\nA,B\n".as_bytes();
        assert_eq!(
            parse(bytes, &["name", "siret"]).unwrap_err(),
            FileError::MissingColumns(vec!["siret".into()])
        );
        assert_eq!(parse(b"", &[]).unwrap_err(), FileError::Empty);
    }

    #[test]
    fn refuses_nul_bytes_naming_line_and_column() {
        let bytes = b"name;city\nA;B\nC;Bor\0deaux\n";
        assert_eq!(
            parse(bytes, &["name"]).unwrap_err(),
            FileError::NulByte {
                line: 3,
                column: "city".into()
            }
        );
        assert!(matches!(
            parse(b"na\0me;city\nA;B\n", &[]).unwrap_err(),
            FileError::NulByte { line: 1, .. }
        ));
    }

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(cell("a;b"), "\"a;b\"");
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(cell("say \"hi\","), "\"say \"\"hi\"\",\"");
    }
}

/// Largest CSV file the register import accepts (50,000 rows of a register
/// take about 5 MB); the route raises the body limit to it.
pub const IMPORT_LIMIT: usize = 16 * 1024 * 1024;

/// What the file field of an upload form held.
#[derive(Debug)]
pub enum Upload {
    File(bytes::Bytes),
    /// No file, or an empty one.
    Empty,
    /// Larger than the route's body limit.
    TooLarge,
}

/// Read the file field `name` of a multipart form, telling a file over the
/// body limit apart from a missing one.
pub async fn read_upload(multipart: &mut axum::extract::Multipart, name: &str) -> Upload {
    let too_large = |s: axum::http::StatusCode| s == axum::http::StatusCode::PAYLOAD_TOO_LARGE;
    let mut out = Upload::Empty;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                if field.name() != Some(name) {
                    continue;
                }
                match field.bytes().await {
                    Ok(b) if !b.is_empty() => out = Upload::File(b),
                    Ok(_) => {}
                    Err(e) if too_large(e.status()) => return Upload::TooLarge,
                    Err(e) => {
                        tracing::info!(error = %e, "upload not read");
                        return out;
                    }
                }
            }
            Ok(None) => return out,
            Err(e) if too_large(e.status()) => return Upload::TooLarge,
            Err(e) => {
                tracing::info!(error = %e, "upload not read");
                return out;
            }
        }
    }
}

/// The message for an upload that holds no usable file, with the limit in
/// megabytes when it was too large.
pub fn upload_problem(tr: crate::i18n::Tr, upload: &Upload, limit: usize) -> Option<String> {
    match upload {
        Upload::File(_) => None,
        Upload::Empty => Some(tr.t("csv-empty")),
        Upload::TooLarge => Some(tr.tn(
            "csv-too-large",
            "limit",
            (limit / (1024 * 1024)).max(1) as i64,
        )),
    }
}
