//! The readable export: everything held about a person as a PDF, one
//! section per kind of data, one block per row.

use serde_json::Value;

use super::model::DataKind;
use super::pages::Line;
use super::sources::Section;
use crate::i18n::Tr;
use crate::kernel::pdf::{Doc, Rgb};

const INK: Rgb = (0.1, 0.12, 0.14);
const MUTED: Rgb = (0.35, 0.38, 0.42);
const BRAND: Rgb = (0.043, 0.365, 0.478);

fn plain(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The PDF of an export for `email`, made at `generated` (already formatted).
pub fn render(
    tr: Tr,
    programme: &str,
    email: &str,
    generated: &str,
    sections: &[Section],
) -> Vec<u8> {
    let title = tr.t("privacy-export-title");
    let mut doc = Doc::new(&format!("{programme} · {title}"));
    doc.set_meta(&title, tr.lang());
    doc.heading(&title, 1, 20.0, BRAND);
    doc.paragraph(programme, 11.0, false, MUTED, 0.0);
    doc.paragraph(
        &tr.args(
            "privacy-export-for",
            &[("email", email), ("date", generated)],
        ),
        10.0,
        false,
        INK,
        0.0,
    );
    for s in sections {
        doc.space(10.0);
        let label = DataKind::from_code(s.kind)
            .map(|k| tr.t(k.label_key()))
            .unwrap_or_else(|| s.kind.to_string());
        doc.heading(&label, 2, 14.0, BRAND);
        if s.rows() == 0 {
            doc.paragraph(&tr.t("privacy-export-nothing"), 10.0, false, MUTED, 0.0);
            continue;
        }
        for t in s.tables.iter().filter(|t| !t.rows.is_empty()) {
            doc.space(4.0);
            doc.heading(t.table, 3, 11.0, INK);
            for row in &t.rows {
                let line = row
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", plain(v)))
                    .collect::<Vec<_>>()
                    .join(" · ");
                doc.paragraph(&line, 9.0, false, INK, 8.0);
                doc.space(3.0);
            }
        }
    }
    doc.finish()
}

/// The register of processing as a PDF: one section per kind of personal
/// data with what it holds, why, on which legal basis, who sees it, how long
/// it is kept and why it cannot be kept for less.
pub(super) fn register(tr: Tr, programme: &str, generated: &str, lines: &[Line]) -> Vec<u8> {
    let title = tr.t("privacy-register-title");
    let mut doc = Doc::new(&format!("{programme} · {title}"));
    doc.set_meta(&title, tr.lang());
    doc.heading(&title, 1, 20.0, BRAND);
    doc.paragraph(
        &tr.args(
            "privacy-register-generated",
            &[("programme", programme), ("date", generated)],
        ),
        10.0,
        false,
        MUTED,
        0.0,
    );
    for l in lines {
        doc.space(10.0);
        doc.heading(&l.label, 2, 14.0, BRAND);
        for (col, value) in [
            ("privacy-col-data", &l.data),
            ("privacy-col-purpose", &l.purpose),
            ("privacy-col-basis", &l.basis),
            ("privacy-col-audience", &l.audience),
            ("privacy-col-retention", &l.kept),
        ] {
            let line = tr.args(
                "privacy-register-field",
                &[("label", &tr.t(col)), ("value", value)],
            );
            doc.paragraph(&line, 10.0, false, INK, 0.0);
            doc.space(2.0);
        }
        let minimum = tr.args(
            "privacy-register-minimum",
            &[("months", &l.min.to_string()), ("reason", &l.minimum)],
        );
        doc.paragraph(&minimum, 9.0, false, MUTED, 0.0);
    }
    doc.finish()
}
