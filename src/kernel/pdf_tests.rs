//! Tests of the PDF writer: text read back with pdftotext, widths, tags.
use super::*;

#[test]
fn widths_come_from_the_font() {
    // DejaVu's "W" is far wider than its "i"; the bold face is wider still.
    assert!(text_width("WWWW", 10.0, false) > 2.5 * text_width("iiii", 10.0, false));
    assert!(text_width("Dvořák", 10.0, true) > text_width("Dvořák", 10.0, false));
    // A decomposed accent measures like the composed letter.
    assert_eq!(
        text_width("e\u{301}", 10.0, false),
        text_width("é", 10.0, false)
    );
    // Width scales with the size.
    let w = text_width("Nguyễn", 10.0, false);
    assert!((text_width("Nguyễn", 20.0, false) - 2.0 * w).abs() < 1e-6);
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
    assert!(lines.iter().all(|l| text_width(l, 11.0, false) <= 150.0));
    // A single word wider than the column is cut, not left to overflow.
    let long = wrap("Wolfeschlegelsteinhausenbergerdorff", 10.0, true, 60.0);
    assert!(long.len() > 1);
    assert!(long.iter().all(|l| text_width(l, 10.0, true) <= 60.0));
    assert_eq!(long.concat(), "Wolfeschlegelsteinhausenbergerdorff");
}

#[test]
fn fitting_cuts_with_an_ellipsis() {
    assert_eq!(fit("Zoé", 10.0, false, 200.0), "Zoé");
    let cut = fit("Maximilian-Alexander Wolfeschlegelstein", 10.0, false, 80.0);
    assert!(cut.ends_with('…'));
    assert!(text_width(&cut, 10.0, false) <= 80.0);
}

/// Text and word boxes read back by poppler's `pdftotext`; `None` when it
/// is not installed (a failure under CI, where scripts/test.sh installs it).
fn extract(pdf: &[u8], bbox: bool) -> Option<String> {
    let dir = std::env::temp_dir().join(format!(
        "tremplin-pdf-{}-{}",
        std::process::id(),
        if bbox { "bbox" } else { "text" }
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.pdf");
    let output = dir.join("out.txt");
    std::fs::write(&input, pdf).unwrap();
    let mut cmd = std::process::Command::new("pdftotext");
    if bbox {
        cmd.arg("-bbox");
    }
    let run = cmd
        .arg("-enc")
        .arg("UTF-8")
        .arg(&input)
        .arg(&output)
        .output();
    match run {
        Ok(out) => {
            assert!(out.status.success(), "pdftotext: {out:?}");
            let text = std::fs::read_to_string(&output).unwrap();
            let _ = std::fs::remove_dir_all(&dir);
            Some(text)
        }
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "pdftotext (poppler-utils) is required under CI: {e}"
            );
            eprintln!("pdftotext not installed ({e}): PDF read-back skipped");
            None
        }
    }
}

const NAMES: [&str; 4] = [
    "Łukasz Dvořák",
    "Nguyễn Thị Minh Khai",
    "Œuvray",
    "Zoë Ødegård",
];

#[test]
fn any_name_prints_and_reads_back() {
    let mut d = Doc::new("Feuille d'émargement");
    d.set_meta("Émargement", "fr");
    d.heading("Présents", 1, 18.0, (0.0, 0.0, 0.0));
    for name in NAMES {
        d.paragraph(name, 11.0, false, (0.1, 0.1, 0.1), 0.0);
    }
    // A name typed with a combining accent prints as the composed letter.
    d.paragraph("Rene\u{301}e Bold", 11.0, true, (0.1, 0.1, 0.1), 0.0);
    let pdf = d.finish();
    let Some(text) = extract(&pdf, false) else {
        return;
    };
    for name in NAMES {
        assert!(text.contains(name), "{name} in {text}");
    }
    assert!(text.contains("Renée Bold"), "{text}");
    assert!(text.contains("Feuille d'émargement — 1/1"), "{text}");
}

#[test]
fn long_names_stay_in_their_column() {
    let left = MARGIN;
    let column = 160.0;
    let second = left + column;
    let people = [
        (
            "Maximilian-Alexander Wolfeschlegelsteinhausenberger",
            "Boulangerie Pâtisserie du Vieux Port",
        ),
        ("Łukasz Dvořák-Wiśniewski", "Électricité Générale Nguyễn"),
        ("WWWWWWWWWWWWWWWWWWWWWWWWWW", "MMMMMMMMMMMMMMMMMMMM"),
    ];
    let mut d = Doc::new("Colonnes");
    for (name, business) in people {
        let names = wrap(name, 10.0, false, column - 8.0);
        let businesses = wrap(business, 10.0, true, column - 8.0);
        let y = d.y;
        for (i, line) in names.iter().enumerate() {
            d.text_at(
                left,
                y - 12.0 * i as f64,
                line,
                10.0,
                false,
                (0.0, 0.0, 0.0),
            );
        }
        for (i, line) in businesses.iter().enumerate() {
            d.text_at(
                second,
                y - 12.0 * i as f64,
                line,
                10.0,
                true,
                (0.0, 0.0, 0.0),
            );
        }
        d.y -= 12.0 * names.len().max(businesses.len()) as f64 + 10.0;
    }
    let pdf = d.finish();
    let Some(html) = extract(&pdf, true) else {
        return;
    };
    let attr = |line: &str, name: &str| -> f64 {
        let at = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[at..].split('"').next().unwrap().parse().unwrap()
    };
    let mut words = 0;
    for line in html.lines().filter(|l| l.contains("<word ")) {
        let (x_min, x_max) = (attr(line, "xMin"), attr(line, "xMax"));
        if x_min < second - 1.0 {
            assert!(
                x_max <= second,
                "a first-column word runs into the second: {line}"
            );
            words += 1;
        } else {
            assert!(x_max <= second + column, "{line}");
        }
    }
    assert!(words >= 6, "{html}");
}

#[test]
fn a_titled_document_meets_pdf_ua_1() {
    use krilla::configure::{Accessibility, ConfigurationBuilder};
    let mut d = Doc::new("Tremplin");
    d.set_meta("Feuille d'émargement", "fr");
    d.heading("Feuille d'émargement", 1, 18.0, (0.0, 0.0, 0.0));
    for name in NAMES {
        d.paragraph(name, 11.0, false, (0.1, 0.1, 0.1), 0.0);
    }
    d.line(50.0, 100.0, 300.0, 100.0, (0.5, 0.5, 0.5), 0.5);
    let settings = krilla::SerializeSettings {
        configuration: ConfigurationBuilder::new()
            .with_accessibility_validator(Accessibility::UA1)
            .finish()
            .unwrap(),
        ..Default::default()
    };
    if let Err(e) = d.render(settings) {
        panic!("{e:?}");
    }
}

#[test]
fn a_document_has_a_valid_structure() {
    let mut d = Doc::new("Tremplin");
    d.set_meta("Rapport de diagnostic", "fr");
    d.heading("Łukasz Dvořák", 1, 20.0, (0.0, 0.0, 0.0));
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
    assert!(pdf.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.trim_end().ends_with("%%EOF"));
    assert!(text.contains("/StructTreeRoot"));
    assert!(text.contains("/Lang(fr)"));
    assert!(text.contains("/Title(Rapport de diagnostic)"));
    assert!(text.contains("/FlateDecode"));
    assert!(text.contains("/FontFile2"), "the font is embedded");
    // Subset: far smaller than the two shipped fonts.
    assert!(pdf.len() < 120_000, "{} bytes", pdf.len());
}
