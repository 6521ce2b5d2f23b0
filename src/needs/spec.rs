//! The readable specification ("cahier des charges") of a need, shared by
//! the pages and the PDF.

use crate::diagnostic::pdf::Doc;
use crate::i18n::Tr;
use crate::kernel::dates;
use crate::web::PageCtx;

use super::model::{paras, size_label, Need};

/// The specification: title, status, facts and sections, in one language.
pub struct Spec {
    pub title: String,
    pub status: String,
    pub facts: Vec<(String, String)>,
    pub sections: Vec<(String, Vec<String>)>,
}

impl Spec {
    /// The specification of `need` for this reader (dates on the programme's clock).
    pub fn new(ctx: &PageCtx, need: &Need) -> Spec {
        let tr = ctx.tr;
        let none = || tr.t("need-none-given");
        let or_none = |s: String| if s.is_empty() { none() } else { s };
        let mut facts = vec![];
        if !need.business_name.is_empty() {
            facts.push((tr.t("need-field-business"), need.business_name.clone()));
        }
        facts.push((
            tr.t("need-field-themes"),
            or_none(need.theme_names(tr).join(", ")),
        ));
        facts.push((tr.t("need-field-territory"), or_none(need.territory(tr))));
        facts.push((tr.t("need-field-size"), size_label(tr, &need.size_band)));
        facts.push((
            tr.t("need-field-budget"),
            need.budget()
                .map(|b| tr.t(b.label_key()))
                .unwrap_or_else(none),
        ));
        facts.push((
            tr.t("need-field-deadline"),
            or_none(dates::show_date_text(tr.0, &need.deadline)),
        ));
        if let Some(at) = need.published_at {
            facts.push((tr.t("need-published-on"), ctx.datetime(at)));
        }
        let sections = [
            ("need-field-context", &need.context),
            ("need-field-goal", &need.goal),
            ("need-field-audience", &need.audience),
            ("need-field-features", &need.features),
            ("need-field-existing-tools", &need.existing_tools),
            ("need-field-constraints", &need.constraints_text),
        ]
        .into_iter()
        .map(|(k, v)| {
            let p = paras(v);
            (tr.t(k), if p.is_empty() { vec![none()] } else { p })
        })
        .collect();
        Spec {
            title: need.shown_title(tr),
            status: tr.t(need.status.label_key()),
            facts,
            sections,
        }
    }

    /// The specification as a PDF, footed with the programme's name.
    pub fn pdf(&self, tr: Tr, programme: &str) -> Vec<u8> {
        let black = (0.1, 0.1, 0.1);
        let grey = (0.4, 0.4, 0.4);
        let mut doc = Doc::new(&format!("{programme} — {}", tr.t("need-spec-title")));
        doc.set_meta(&self.title, tr.lang());
        doc.paragraph(&tr.t("need-spec-title"), 11.0, false, grey, 0.0);
        doc.heading(&self.title, 1, 18.0, black);
        doc.space(6.0);
        for (label, value) in &self.facts {
            let line = tr.args("need-fact", &[("label", label), ("value", value)]);
            doc.paragraph(&line, 10.0, false, black, 0.0);
        }
        for (label, lines) in &self.sections {
            doc.space(10.0);
            doc.ensure(40.0);
            doc.heading(label, 2, 13.0, black);
            let y = doc.y - 3.0;
            let left = doc.left();
            doc.line(left, y, left + doc.width(), y, grey, 0.5);
            doc.space(4.0);
            for line in lines {
                doc.paragraph(line, 10.5, false, black, 0.0);
                doc.space(2.0);
            }
        }
        doc.space(14.0);
        doc.paragraph(&tr.t("need-spec-neutral"), 9.0, false, grey, 0.0);
        doc.finish()
    }
}
