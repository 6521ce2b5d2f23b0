//! A small PDF writer for the diagnostic report: standard Helvetica fonts
//! (WinAnsi encoding covers French), text, lines and filled polygons. No
//! dependency, no font file; enough for a clean A4 report.

use std::fmt::Write;

/// A4 in points.
const W: f64 = 595.0;
const H: f64 = 842.0;
const MARGIN: f64 = 50.0;

/// Encode text in WinAnsi (Windows-1252) for the standard fonts.
fn winansi(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        let b = match c {
            '\u{20}'..='\u{7e}' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '\u{202f}' => 0xa0,
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            'Œ' => 0x8c,
            'œ' => 0x9c,
            'Ÿ' => 0x9f,
            '\n' | '\t' => b' ',
            _ => b'?',
        };
        match b {
            b'(' | b')' | b'\\' => {
                out.push(b'\\');
                out.push(b);
            }
            _ => out.push(b),
        }
    }
    out
}

/// Approximate Helvetica advance width, in thousandths of the font size.
fn char_width(c: char, bold: bool) -> f64 {
    let w = match c {
        'i' | 'j' | 'l' | '\'' | '.' | ',' | ':' | ';' | '|' | '!' | 'í' | 'î' | 'ï' => 240.0,
        'f' | 't' | 'r' | 'I' | ' ' | '(' | ')' | '-' | '/' => 300.0,
        'm' | 'M' | 'W' | 'w' => 850.0,
        'A'..='Z' | 'À'..='Ý' => 690.0,
        '0'..='9' => 556.0,
        _ => 540.0,
    };
    if bold {
        w * 1.06
    } else {
        w
    }
}

fn text_width(s: &str, size: f64, bold: bool) -> f64 {
    s.chars().map(|c| char_width(c, bold)).sum::<f64>() * size / 1000.0
}

/// Break text into lines that fit `width` points.
pub fn wrap(s: &str, size: f64, bold: bool, width: f64) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    let mut cur = String::new();
    for word in s.split_whitespace() {
        let candidate = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if text_width(&candidate, size, bold) <= width || cur.is_empty() {
            cur = candidate;
        } else {
            lines.push(std::mem::take(&mut cur));
            cur = word.to_string();
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// An RGB colour, 0–1 per channel.
pub type Rgb = (f64, f64, f64);

/// A document being laid out top to bottom.
pub struct Doc {
    pages: Vec<Vec<u8>>,
    cur: Vec<u8>,
    /// Current baseline, from the bottom of the page.
    pub y: f64,
    footer: String,
}

impl Doc {
    /// A new document; `footer` is printed on every page with its number.
    pub fn new(footer: &str) -> Doc {
        Doc {
            pages: vec![],
            cur: vec![],
            y: H - MARGIN,
            footer: footer.to_string(),
        }
    }

    /// Usable width between the margins.
    pub fn width(&self) -> f64 {
        W - 2.0 * MARGIN
    }

    fn ops(&mut self, s: &str) {
        self.cur.extend_from_slice(s.as_bytes());
    }

    /// Start a new page if less than `needed` points remain.
    pub fn ensure(&mut self, needed: f64) {
        if self.y - needed < MARGIN + 20.0 {
            self.new_page();
        }
    }

    /// Close the current page and start another.
    pub fn new_page(&mut self) {
        let page = std::mem::take(&mut self.cur);
        self.pages.push(page);
        self.y = H - MARGIN;
    }

    /// Write one line of text at `x` on the current baseline.
    pub fn text_at(&mut self, x: f64, y: f64, s: &str, size: f64, bold: bool, color: Rgb) {
        let font = if bold { "F2" } else { "F1" };
        self.ops(&format!(
            "BT {:.3} {:.3} {:.3} rg /{font} {size:.1} Tf {x:.1} {y:.1} Td (",
            color.0, color.1, color.2
        ));
        self.cur.extend_from_slice(&winansi(s));
        self.ops(") Tj ET\n");
    }

    /// A wrapped paragraph; moves down.
    pub fn paragraph(&mut self, s: &str, size: f64, bold: bool, color: Rgb, indent: f64) {
        let lines = wrap(s, size, bold, self.width() - indent);
        for line in lines {
            self.ensure(size * 1.4);
            self.y -= size * 1.35;
            let y = self.y;
            self.text_at(MARGIN + indent, y, &line, size, bold, color);
        }
    }

    /// Vertical space.
    pub fn space(&mut self, pts: f64) {
        self.y -= pts;
    }

    /// A straight line.
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, color: Rgb, width: f64) {
        self.ops(&format!(
            "{:.3} {:.3} {:.3} RG {width:.1} w {x1:.1} {y1:.1} m {x2:.1} {y2:.1} l S\n",
            color.0, color.1, color.2
        ));
    }

    /// A closed polygon, stroked and optionally filled.
    pub fn polygon(
        &mut self,
        pts: &[(f64, f64)],
        stroke: Rgb,
        fill: Option<Rgb>,
        width: f64,
        dashed: bool,
    ) {
        if pts.is_empty() {
            return;
        }
        let mut s = format!(
            "{:.3} {:.3} {:.3} RG {width:.1} w ",
            stroke.0, stroke.1, stroke.2
        );
        if dashed {
            s.push_str("[4 3] 0 d ");
        }
        if let Some(f) = fill {
            let _ = write!(s, "{:.3} {:.3} {:.3} rg ", f.0, f.1, f.2);
        }
        let _ = write!(s, "{:.1} {:.1} m ", pts[0].0, pts[0].1);
        for p in &pts[1..] {
            let _ = write!(s, "{:.1} {:.1} l ", p.0, p.1);
        }
        s.push_str(if fill.is_some() { "h B" } else { "h S" });
        if dashed {
            s.push_str(" [] 0 d");
        }
        s.push('\n');
        self.ops(&s);
    }

    /// The left margin.
    pub fn left(&self) -> f64 {
        MARGIN
    }

    /// Serialise the document.
    pub fn finish(mut self) -> Vec<u8> {
        if !self.cur.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        let total = self.pages.len();
        let footer = self.footer.clone();
        for (i, page) in self.pages.iter_mut().enumerate() {
            let label = format!("{footer} — {}/{total}", i + 1);
            let mut ops =
                format!("BT 0.4 0.4 0.4 rg /F1 8.0 Tf {MARGIN:.1} 30.0 Td (").into_bytes();
            ops.extend_from_slice(&winansi(&label));
            ops.extend_from_slice(b") Tj ET\n");
            page.extend_from_slice(&ops);
        }
        let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets: Vec<usize> = vec![];
        let mut obj = |out: &mut Vec<u8>, body: &[u8]| {
            offsets.push(out.len());
            let n = offsets.len();
            out.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        };
        // 1 catalog, 2 pages, 3 and 4 fonts, then (page, content) pairs.
        obj(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
        let kids: Vec<String> = (0..total).map(|i| format!("{} 0 R", 5 + 2 * i)).collect();
        obj(
            &mut out,
            format!(
                "<< /Type /Pages /Kids [{}] /Count {total} >>",
                kids.join(" ")
            )
            .as_bytes(),
        );
        obj(
            &mut out,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        );
        obj(&mut out, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
        for (i, page) in self.pages.iter().enumerate() {
            let content_id = 6 + 2 * i;
            obj(
                &mut out,
                format!(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {W} {H}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {content_id} 0 R >>"
                )
                .as_bytes(),
            );
            let mut body = format!("<< /Length {} >>\nstream\n", page.len()).into_bytes();
            body.extend_from_slice(page);
            body.extend_from_slice(b"\nendstream");
            obj(&mut out, &body);
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
        );
        for o in &offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                offsets.len() + 1
            )
            .as_bytes(),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_text_is_encoded_and_escaped() {
        assert_eq!(winansi("é(à)"), vec![0xe9, b'\\', b'(', 0xe0, b'\\', b')']);
        assert_eq!(winansi("œ€"), vec![0x9c, 0x80]);
    }

    #[test]
    fn a_document_has_a_valid_structure() {
        let mut d = Doc::new("Tremplin");
        d.paragraph(
            &"Un texte assez long pour passer à la ligne plusieurs fois. ".repeat(40),
            11.0,
            false,
            (0.0, 0.0, 0.0),
            0.0,
        );
        d.polygon(
            &[(100.0, 100.0), (150.0, 100.0), (120.0, 150.0)],
            (0.0, 0.0, 0.0),
            Some((0.5, 0.5, 0.5)),
            1.0,
            true,
        );
        let pdf = d.finish();
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Count 1") || text.contains("/Count 2"));
        // The xref offsets point at the objects.
        let xref_at: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(pdf[xref_at..].starts_with(b"xref"));
    }

    #[test]
    fn wrapping_respects_the_width() {
        let lines = wrap(
            "Tenir un fichier clients à jour avant d'ouvrir une boutique en ligne",
            11.0,
            false,
            150.0,
        );
        assert!(lines.len() > 2);
        assert!(lines
            .iter()
            .all(|l| text_width(l, 11.0, false) <= 150.0 || !l.contains(' ')));
    }
}
