//! XLSX workbooks for exports, written by rust_xlsxwriter: text, numbers as
//! numbers, dates and date-times as real date cells (Excel sorts and filters
//! them as dates), a bold frozen header row with an autofilter, and columns
//! sized to their content.

use jiff::civil;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A string (control characters dropped, cut at Excel's limit).
    Text(String),
    /// A number; NaN and infinities are written as empty cells since XLSX cannot hold them.
    Number(f64),
    /// A calendar day, shown as dd/mm/yyyy.
    Date(civil::Date),
    /// A wall-clock date and time (already in the programme's zone), shown as dd/mm/yyyy hh:mm.
    DateTime(civil::DateTime),
    /// Nothing: the cell is left out of the sheet.
    Empty,
}

impl Cell {
    /// An instant (milliseconds since the epoch) as a date-time cell on `tz`'s clock.
    pub fn instant(ms: i64, tz: &jiff::tz::TimeZone) -> Cell {
        match jiff::Timestamp::from_millisecond(ms) {
            Ok(t) => Cell::DateTime(t.to_zoned(tz.clone()).datetime()),
            Err(_) => Cell::Empty,
        }
    }

    /// The calendar day of an instant on `tz`'s clock, as a date cell.
    pub fn day_of(ms: i64, tz: &jiff::tz::TimeZone) -> Cell {
        match Cell::instant(ms, tz) {
            Cell::DateTime(dt) => Cell::Date(dt.date()),
            other => other,
        }
    }

    /// The cell as plain text, for CSV: dates as `2027-01-21` and `2027-01-21 10:00`.
    pub fn plain(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) if n.is_finite() => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::DateTime(dt) => dt.strftime("%Y-%m-%d %H:%M").to_string(),
            Cell::Number(_) | Cell::Empty => String::new(),
        }
    }
}

/// One worksheet: a name (max 31 chars, no []:*?/\ — sanitise) and rows; the first row is the header.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// Tab name; sanitised and made unique when written.
    pub name: String,
    /// Rows of cells; the first one is the header (bold, frozen, with filters).
    pub rows: Vec<Vec<Cell>>,
}

/// Excel refuses longer sheet names.
const MAX_SHEET_NAME: usize = 31;
/// Excel reports longer cell text as a corrupt file.
const MAX_CELL_TEXT: usize = 32_767;
/// Excel's last row and column (zero-based bounds are one less).
const MAX_ROWS: usize = 1_048_576;
const MAX_COLS: usize = 16_384;
/// Widest a column is made by fitting, in pixels (about 50 characters).
const MAX_COLUMN_PIXELS: u32 = 360;

/// The bytes of an .xlsx workbook holding these sheets.
pub fn workbook(sheets: &[Sheet]) -> Vec<u8> {
    workbook_stamped(sheets, None)
}

/// A workbook whose properties name who exported it and when (`stamp`,
/// written as the author and the comment): exports of personal data.
pub fn workbook_stamped(sheets: &[Sheet], stamp: Option<(&str, &str)>) -> Vec<u8> {
    // A workbook without any sheet is rejected by Excel.
    let fallback = [Sheet {
        name: String::new(),
        rows: Vec::new(),
    }];
    let sheets = if sheets.is_empty() { &fallback } else { sheets };
    let names = unique_sheet_names(sheets);
    let mut book = Workbook::new();
    if let Some((author, comment)) = stamp {
        book.set_properties(&DocProperties::new().set_author(author).set_comment(comment));
    }
    let formats = Formats::new();
    for (sheet, name) in sheets.iter().zip(&names) {
        let ws = book.add_worksheet();
        ws.set_name(name.as_str())
            .expect("sanitised names are valid sheet names");
        write_sheet(ws, &sheet.rows, &formats);
    }
    book.save_to_buffer()
        .expect("a workbook of checked names and cells always saves")
}

/// The cell formats of a workbook.
struct Formats {
    header: Format,
    date: Format,
    date_time: Format,
    header_date: Format,
    header_date_time: Format,
}

impl Formats {
    fn new() -> Formats {
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let date_time = Format::new().set_num_format("dd/mm/yyyy hh:mm");
        Formats {
            header: Format::new().set_bold(),
            header_date: date.clone().set_bold(),
            header_date_time: date_time.clone().set_bold(),
            date,
            date_time,
        }
    }
}

fn write_sheet(ws: &mut Worksheet, rows: &[Vec<Cell>], f: &Formats) {
    let rows = &rows[..rows.len().min(MAX_ROWS)];
    let mut last_col = 0usize;
    for (r, row) in rows.iter().enumerate() {
        let header = r == 0;
        let r = r as u32;
        for (c, cell) in row.iter().enumerate().take(MAX_COLS) {
            let col = c as u16;
            // Errors are only out-of-range positions, excluded above.
            let _ = match cell {
                Cell::Text(text) => {
                    let text = truncate_utf16(&clean(text), MAX_CELL_TEXT);
                    if header {
                        ws.write_string_with_format(r, col, text, &f.header)
                    } else {
                        ws.write_string(r, col, text)
                    }
                }
                Cell::Number(n) if n.is_finite() => {
                    if header {
                        ws.write_number_with_format(r, col, *n, &f.header)
                    } else {
                        ws.write_number(r, col, *n)
                    }
                }
                Cell::Date(d) => match excel_date(*d) {
                    Some(x) => {
                        let format = if header { &f.header_date } else { &f.date };
                        ws.write_datetime_with_format(r, col, x, format)
                    }
                    None => continue,
                },
                Cell::DateTime(dt) => match excel_date_time(*dt) {
                    Some(x) => {
                        let format = if header {
                            &f.header_date_time
                        } else {
                            &f.date_time
                        };
                        ws.write_datetime_with_format(r, col, x, format)
                    }
                    None => continue,
                },
                Cell::Number(_) | Cell::Empty => continue,
            };
            last_col = last_col.max(c);
        }
    }
    if rows.first().is_some_and(|h| !h.is_empty()) {
        let _ = ws.set_freeze_panes(1, 0);
        let _ = ws.autofilter(0, 0, (rows.len() - 1) as u32, last_col as u16);
    }
    ws.set_autofit_max_width(MAX_COLUMN_PIXELS);
    ws.autofit();
}

/// Excel's calendar starts in 1900 and ends in 9999.
fn excel_date(d: civil::Date) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8).ok()
}

fn excel_date_time(dt: civil::DateTime) -> Option<ExcelDateTime> {
    excel_date(dt.date())?
        .and_hms(dt.hour() as u16, dt.minute() as u8, dt.second())
        .ok()
}

/// Text without the characters XML cannot carry.
fn clean(text: &str) -> String {
    text.chars().filter(|c| !is_stripped(*c)).collect()
}

/// Characters XML 1.0 cannot carry, even as references; CR goes too since parsers turn it into LF anyway.
fn is_stripped(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
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
    fn dates_are_date_cells_and_numbers_numbers() {
        let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
        // 2027-01-21 09:00 UTC is 10:00 in Paris.
        let ms = jiff::Timestamp::from_second(1_800_522_000)
            .unwrap()
            .as_millisecond();
        let day = jiff::civil::date(2027, 1, 21);
        let sheets = vec![Sheet {
            name: "Séances".into(),
            rows: vec![
                vec![text("Date"), text("Début"), text("Places")],
                vec![Cell::Date(day), Cell::instant(ms, &tz), Cell::Number(12.0)],
                vec![
                    Cell::Date(jiff::civil::date(1800, 1, 1)),
                    Cell::Empty,
                    Cell::Number(0.5),
                ],
            ],
        }];
        let mut wb = open(workbook(&sheets));
        let range = wb.worksheet_range("Séances").unwrap();
        let Some(Data::DateTime(date)) = range.get_value((1, 0)) else {
            panic!("a date cell, got {:?}", range.get_value((1, 0)));
        };
        assert!(date.is_datetime());
        assert_eq!(date.to_ymd_hms_milli(), (2027, 1, 21, 0, 0, 0, 0));
        let Some(Data::DateTime(start)) = range.get_value((1, 1)) else {
            panic!("a date-time cell, got {:?}", range.get_value((1, 1)));
        };
        assert_eq!(start.to_ymd_hms_milli(), (2027, 1, 21, 10, 0, 0, 0));
        assert_eq!(range.get_value((1, 2)), Some(&Data::Float(12.0)));
        assert_eq!(range.get_value((2, 2)), Some(&Data::Float(0.5)));
        // Before Excel's calendar: left empty rather than a wrong date.
        assert!(matches!(range.get_value((2, 0)), None | Some(Data::Empty)));
        // CSV shows the same values as text.
        assert_eq!(Cell::Date(day).plain(), "2027-01-21");
        assert_eq!(Cell::instant(ms, &tz).plain(), "2027-01-21 10:00");
    }

    #[test]
    fn header_is_frozen_filtered_and_columns_sized() {
        let long = "une adresse assez longue pour élargir la colonne";
        let bytes = workbook(&[Sheet {
            name: "Liste".into(),
            rows: vec![
                vec![text("Nom"), text("Adresse")],
                vec![text("Zoé"), text(long)],
            ],
        }]);
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut xml,
        )
        .unwrap();
        assert!(xml.contains("state=\"frozen\""), "{xml}");
        assert!(xml.contains("<autoFilter ref=\"A1:B2\""), "{xml}");
        assert!(xml.contains("customWidth=\"1\""), "{xml}");
    }

    #[test]
    fn empty_workbook_still_has_a_sheet() {
        let mut wb = open(workbook(&[]));
        assert_eq!(wb.sheet_names(), vec!["Sheet1"]);
        assert!(wb.worksheet_range("Sheet1").unwrap().is_empty());
    }
}
