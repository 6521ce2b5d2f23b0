//! Minimal XLSX (Office Open XML spreadsheet) writer with its own ZIP container, to avoid a heavy spreadsheet crate.

use std::io::Write;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A string, written inline so no shared-strings part is needed.
    Text(String),
    /// A number; NaN and infinities are written as empty cells since XLSX cannot hold them.
    Number(f64),
    /// Nothing: the cell is left out of the sheet.
    Empty,
}

/// One worksheet: a name (max 31 chars, no []:*?/\ — sanitise) and rows; the first row is the header (bold is optional).
#[derive(Debug, Clone)]
pub struct Sheet {
    /// Tab name; sanitised and made unique when written.
    pub name: String,
    /// Rows of cells; the first one is shown in bold as the header.
    pub rows: Vec<Vec<Cell>>,
}

/// Excel refuses longer sheet names.
const MAX_SHEET_NAME: usize = 31;
/// Excel reports longer cell text as a corrupt file.
const MAX_CELL_TEXT: usize = 32_767;

const XML_HEADER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const NS_MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const NS_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

const STYLES: &str = concat!(
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">",
    "<fonts count=\"2\">",
    "<font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>",
    "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>",
    "</fonts>",
    // Excel expects the two reserved fills "none" and "gray125" first.
    "<fills count=\"2\">",
    "<fill><patternFill patternType=\"none\"/></fill>",
    "<fill><patternFill patternType=\"gray125\"/></fill>",
    "</fills>",
    "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>",
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>",
    "<cellXfs count=\"2\">",
    "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>",
    "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>",
    "</cellXfs>",
    "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>",
    "</styleSheet>"
);

/// The bytes of an .xlsx workbook holding these sheets.
pub fn workbook(sheets: &[Sheet]) -> Vec<u8> {
    // A workbook without any sheet is rejected by Excel.
    let fallback = [Sheet {
        name: String::new(),
        rows: Vec::new(),
    }];
    let sheets = if sheets.is_empty() { &fallback } else { sheets };
    let names = unique_sheet_names(sheets);

    let mut zip = ZipWriter::default();
    zip.add(
        "[Content_Types].xml",
        content_types(sheets.len()).as_bytes(),
    );
    zip.add("_rels/.rels", root_rels().as_bytes());
    zip.add("xl/workbook.xml", workbook_xml(&names).as_bytes());
    zip.add(
        "xl/_rels/workbook.xml.rels",
        workbook_rels(sheets.len()).as_bytes(),
    );
    zip.add("xl/styles.xml", format!("{XML_HEADER}{STYLES}").as_bytes());
    for (i, sheet) in sheets.iter().enumerate() {
        let path = format!("xl/worksheets/sheet{}.xml", i + 1);
        zip.add(&path, worksheet_xml(&sheet.rows).as_bytes());
    }
    zip.finish()
}

fn content_types(sheet_count: usize) -> String {
    let mut xml = format!(
        "{XML_HEADER}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
         <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
    );
    for i in 1..=sheet_count {
        xml.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{i}.xml\" \
             ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        ));
    }
    xml.push_str("</Types>");
    xml
}

fn root_rels() -> String {
    format!(
        "{XML_HEADER}<Relationships xmlns=\"{NS_PKG_REL}\">\
         <Relationship Id=\"rId1\" Type=\"{NS_REL}/officeDocument\" Target=\"xl/workbook.xml\"/>\
         </Relationships>"
    )
}

fn workbook_xml(names: &[String]) -> String {
    let mut xml =
        format!("{XML_HEADER}<workbook xmlns=\"{NS_MAIN}\" xmlns:r=\"{NS_REL}\"><sheets>");
    for (i, name) in names.iter().enumerate() {
        xml.push_str(&format!(
            "<sheet name=\"{}\" sheetId=\"{}\" r:id=\"rId{}\"/>",
            escape_xml(name),
            i + 1,
            i + 1
        ));
    }
    xml.push_str("</sheets></workbook>");
    xml
}

fn workbook_rels(sheet_count: usize) -> String {
    let mut xml = format!("{XML_HEADER}<Relationships xmlns=\"{NS_PKG_REL}\">");
    for i in 1..=sheet_count {
        xml.push_str(&format!(
            "<Relationship Id=\"rId{i}\" Type=\"{NS_REL}/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>"
        ));
    }
    xml.push_str(&format!(
        "<Relationship Id=\"rId{}\" Type=\"{NS_REL}/styles\" Target=\"styles.xml\"/>",
        sheet_count + 1
    ));
    xml.push_str("</Relationships>");
    xml
}

fn worksheet_xml(rows: &[Vec<Cell>]) -> String {
    let mut xml = format!("{XML_HEADER}<worksheet xmlns=\"{NS_MAIN}\"><sheetData>");
    for (r, row) in rows.iter().enumerate() {
        let row_number = r + 1;
        // Style 1 is the bold font from STYLES.
        let style = if r == 0 { " s=\"1\"" } else { "" };
        let mut cells = String::new();
        for (c, cell) in row.iter().enumerate() {
            let reference = format!("{}{row_number}", column_name(c));
            match cell {
                Cell::Text(text) => cells.push_str(&format!(
                    "<c r=\"{reference}\"{style} t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
                    escape_xml(&truncate_utf16(text, MAX_CELL_TEXT))
                )),
                Cell::Number(n) if n.is_finite() => cells.push_str(&format!(
                    "<c r=\"{reference}\"{style}><v>{}</v></c>",
                    format_number(*n)
                )),
                Cell::Number(_) | Cell::Empty => {}
            }
        }
        if !cells.is_empty() {
            xml.push_str(&format!("<row r=\"{row_number}\">{cells}</row>"));
        }
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

/// Spreadsheet column letters for a zero-based index: 0 -> A, 25 -> Z, 26 -> AA.
fn column_name(index: usize) -> String {
    // Bijective base 26: there is no zero digit, hence the -1 at each step.
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// Shortest round-trip form, preferring the exponent form when plain digits would be longer (1e300).
fn format_number(n: f64) -> String {
    let plain = format!("{n}");
    let exp = format!("{n:e}");
    if exp.len() < plain.len() {
        exp
    } else {
        plain
    }
}

/// Characters XML 1.0 cannot carry, even as references; CR goes too since parsers turn it into LF anyway.
fn is_stripped(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Escapes markup characters and drops characters that would make the part ill-formed.
fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if is_stripped(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Cuts `text` to at most `max` UTF-16 units, the unit Excel counts in.
fn truncate_utf16(text: &str, max: usize) -> String {
    let mut units = 0;
    text.chars()
        .take_while(|c| {
            units += c.len_utf16();
            units <= max
        })
        .collect()
}

/// Makes a name Excel accepts: no []:*?/\, no edge apostrophes, 1..=31 characters.
fn sanitize_sheet_name(name: &str, index: usize) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !is_stripped(*c) && !c.is_control())
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c => c,
        })
        .collect();
    let cleaned = truncate_utf16(cleaned.trim().trim_matches('\''), MAX_SHEET_NAME);
    // Truncation can expose a new trailing apostrophe or space.
    let cleaned = cleaned.trim().trim_end_matches('\'').to_string();
    if cleaned.is_empty() {
        format!("Sheet{}", index + 1)
    } else {
        cleaned
    }
}

/// Excel rejects two sheets whose names differ only in case, so later duplicates get a " (n)" suffix.
fn unique_sheet_names(sheets: &[Sheet]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(sheets.len());
    let taken = |names: &[String], candidate: &str| {
        names
            .iter()
            .any(|n| n.to_lowercase() == candidate.to_lowercase())
    };
    for (i, sheet) in sheets.iter().enumerate() {
        let base = sanitize_sheet_name(&sheet.name, i);
        let mut name = base.clone();
        let mut n = 2;
        while taken(&names, &name) {
            let suffix = format!(" ({n})");
            let room = MAX_SHEET_NAME - suffix.len();
            name = format!("{}{suffix}", truncate_utf16(&base, room));
            n += 1;
        }
        names.push(name);
    }
    names
}

/// One entry already written, remembered for the central directory.
struct Entry {
    name: String,
    crc: u32,
    compressed: u32,
    size: u32,
    offset: u32,
}

/// ZIP writer (deflate entries, no ZIP64: a workbook beyond 4 GiB is far outside what this app exports).
#[derive(Default)]
struct ZipWriter {
    out: Vec<u8>,
    entries: Vec<Entry>,
}

/// 1980-01-01 00:00, the DOS epoch: a fixed stamp keeps the output reproducible.
const DOS_DATE: u16 = (1 << 5) | 1;
const DOS_TIME: u16 = 0;
const METHOD_DEFLATE: u16 = 8;
const VERSION_NEEDED: u16 = 20;

impl ZipWriter {
    fn add(&mut self, name: &str, data: &[u8]) {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder
            .write_all(data)
            .expect("writing to a Vec cannot fail");
        let compressed = encoder.finish().expect("writing to a Vec cannot fail");
        let entry = Entry {
            name: name.to_string(),
            crc: crc.sum(),
            compressed: to_u32(compressed.len()),
            size: to_u32(data.len()),
            offset: to_u32(self.out.len()),
        };
        let out = &mut self.out;
        put32(out, 0x0403_4b50);
        put16(out, VERSION_NEEDED);
        put16(out, 0); // flags
        put16(out, METHOD_DEFLATE);
        put16(out, DOS_TIME);
        put16(out, DOS_DATE);
        put32(out, entry.crc);
        put32(out, entry.compressed);
        put32(out, entry.size);
        put16(out, to_u16(name.len()));
        put16(out, 0); // extra field length
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&compressed);
        self.entries.push(entry);
    }

    fn finish(mut self) -> Vec<u8> {
        let directory_offset = to_u32(self.out.len());
        let out = &mut self.out;
        for entry in &self.entries {
            put32(out, 0x0201_4b50);
            put16(out, VERSION_NEEDED); // version made by: MS-DOS, 2.0
            put16(out, VERSION_NEEDED);
            put16(out, 0); // flags
            put16(out, METHOD_DEFLATE);
            put16(out, DOS_TIME);
            put16(out, DOS_DATE);
            put32(out, entry.crc);
            put32(out, entry.compressed);
            put32(out, entry.size);
            put16(out, to_u16(entry.name.len()));
            put16(out, 0); // extra field length
            put16(out, 0); // comment length
            put16(out, 0); // disk number
            put16(out, 0); // internal attributes
            put32(out, 0); // external attributes
            put32(out, entry.offset);
            out.extend_from_slice(entry.name.as_bytes());
        }
        let directory_size = to_u32(out.len()) - directory_offset;
        let count = to_u16(self.entries.len());
        put32(out, 0x0605_4b50);
        put16(out, 0); // this disk
        put16(out, 0); // disk holding the directory
        put16(out, count);
        put16(out, count);
        put32(out, directory_size);
        put32(out, directory_offset);
        put16(out, 0); // comment length
        self.out
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).expect("ZIP64 is not supported")
}

fn to_u16(n: usize) -> u16 {
    u16::try_from(n).expect("ZIP64 is not supported")
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    use std::io::Cursor;

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
        open_workbook_from_rs(Cursor::new(bytes)).expect("calamine opens the workbook")
    }

    fn sample() -> Vec<Sheet> {
        let wide_header: Vec<Cell> = (0..32).map(|i| text(&format!("col{i}"))).collect();
        let wide_row: Vec<Cell> = (0..32).map(|i| Cell::Number(i as f64 * 1.5)).collect();
        vec![
            Sheet {
                name: "Inscriptions".into(),
                rows: vec![
                    vec![text("Nom"), text("Âge"), text("Note")],
                    vec![
                        text("Zoé & <Léa> \"ok\" 'x'"),
                        Cell::Number(17.0),
                        Cell::Empty,
                    ],
                    vec![Cell::Empty, Cell::Number(-0.1), text("  espaces  ")],
                    vec![
                        text("ligne\nsuivante\ttab\u{1}\u{0}"),
                        Cell::Number(f64::NAN),
                        Cell::Number(1e300),
                    ],
                ],
            },
            Sheet {
                name: "Large".into(),
                rows: vec![wide_header, wide_row],
            },
        ]
    }

    #[test]
    fn round_trip_through_calamine() {
        let mut wb = open(workbook(&sample()));
        assert_eq!(wb.sheet_names(), vec!["Inscriptions", "Large"]);

        let range = wb.worksheet_range("Inscriptions").unwrap();
        let at = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        assert_eq!(at(0, 0), Data::String("Nom".into()));
        assert_eq!(at(0, 1), Data::String("Âge".into()));
        assert_eq!(at(1, 0), Data::String("Zoé & <Léa> \"ok\" 'x'".into()));
        assert_eq!(at(1, 1), Data::Float(17.0));
        assert_eq!(at(1, 2), Data::Empty);
        assert_eq!(at(2, 0), Data::Empty);
        assert_eq!(at(2, 1), Data::Float(-0.1));
        assert_eq!(at(2, 2), Data::String("  espaces  ".into()));
        assert_eq!(at(3, 0), Data::String("ligne\nsuivante\ttab".into()));
        assert_eq!(at(3, 1), Data::Empty);
        assert_eq!(at(3, 2), Data::Float(1e300));

        let range = wb.worksheet_range("Large").unwrap();
        assert_eq!(range.get_size(), (2, 32));
        for c in 0..32u32 {
            assert_eq!(
                range.get_value((0, c)),
                Some(&Data::String(format!("col{c}")))
            );
            assert_eq!(range.get_value((1, c)), Some(&Data::Float(c as f64 * 1.5)));
        }
    }

    #[test]
    fn sheet_names_are_sanitised() {
        let sheets = vec![
            Sheet {
                name: "Bilan [2026]: a/b\\c*d?e — une très longue suite".into(),
                rows: vec![vec![text("x")]],
            },
            Sheet {
                name: "bilan _2026__ a_b_c_d_e — une très longue suite".into(),
                rows: vec![],
            },
            Sheet {
                name: "''".into(),
                rows: vec![],
            },
        ];
        let mut wb = open(workbook(&sheets));
        let names = wb.sheet_names();
        assert_eq!(
            names,
            vec![
                "Bilan _2026__ a_b_c_d_e — une t",
                "bilan _2026__ a_b_c_d_e — u (2)",
                "Sheet3",
            ]
        );
        for name in &names {
            assert!(name.chars().count() <= MAX_SHEET_NAME);
            assert!(!name.contains(['[', ']', ':', '*', '?', '/', '\\']));
        }
        let range = wb.worksheet_range(&names[0]).unwrap();
        assert_eq!(range.get_value((0, 0)), Some(&Data::String("x".into())));
    }

    #[test]
    fn empty_workbook_still_has_a_sheet() {
        let mut wb = open(workbook(&[]));
        assert_eq!(wb.sheet_names(), vec!["Sheet1"]);
        assert!(wb.worksheet_range("Sheet1").unwrap().is_empty());
    }

    #[test]
    fn column_letters() {
        let cases = [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (51, "AZ"),
            (52, "BA"),
            (701, "ZZ"),
            (702, "AAA"),
            (16_383, "XFD"),
        ];
        for (index, name) in cases {
            assert_eq!(column_name(index), name);
        }
    }

    #[test]
    fn numbers_and_escaping() {
        assert_eq!(format_number(17.0), "17");
        assert_eq!(format_number(0.1), "0.1");
        assert_eq!(format_number(1e300), "1e300");
        assert_eq!(format_number(-2.5e-12), "-2.5e-12");
        assert_eq!(
            escape_xml("a&b<c>d\"e'f\u{b}g\u{fffe}"),
            "a&amp;b&lt;c&gt;d&quot;e&apos;fg"
        );
        assert_eq!(escape_xml("tab\tnl\ncr\r"), "tab\tnl\ncr");
    }

    #[test]
    fn zip_is_consistent() {
        let bytes = workbook(&sample());
        // End-of-central-directory record is the last 22 bytes when there is no comment.
        let eocd = &bytes[bytes.len() - 22..];
        assert_eq!(&eocd[..4], &0x0605_4b50u32.to_le_bytes());
        let count = u16::from_le_bytes([eocd[10], eocd[11]]);
        assert_eq!(count, 7);
        let size = u32::from_le_bytes(eocd[12..16].try_into().unwrap()) as usize;
        let offset = u32::from_le_bytes(eocd[16..20].try_into().unwrap()) as usize;
        assert_eq!(offset + size, bytes.len() - 22);
        assert_eq!(&bytes[..4], &0x0403_4b50u32.to_le_bytes());
    }
}
