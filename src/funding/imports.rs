//! Import of a public aid catalogue's CSV or JSON export. Columns are read by
//! our field names or by the catalogue's (`name`, `financers`,
//! `instructors`, `start_date`, `submission_deadline`, `targeted_audiences`,
//! `mobilization_steps`, `subvention_rate_upper_bound`, `url`…). Good rows are
//! kept (a known slug is left alone), bad rows reported by line.

use std::collections::HashMap;

use super::model::{RuleError, SchemeForm};
use super::store::{self, Saved};
use crate::db::Db;
use crate::i18n::Tr;
use crate::web::forms::Violations;

/// Why a row was refused.
#[derive(Debug, Clone)]
pub enum RowProblem {
    Fields(Violations, Vec<RuleError>),
    SlugTaken,
}

/// What an import did.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub created: usize,
    /// Line (CSV) or item number (JSON, from 1) and its problem.
    pub rejected: Vec<(usize, RowProblem)>,
}

/// What an import did, as shown.
pub struct ReportView {
    pub summary: String,
    pub rejected: Vec<(usize, String)>,
}

/// `report` in `tr`'s language.
pub fn view(tr: Tr, report: &Report) -> ReportView {
    ReportView {
        summary: tr.args(
            "funding-import-done",
            &[
                ("created", &report.created.to_string()),
                ("rejected", &report.rejected.len().to_string()),
            ],
        ),
        rejected: report
            .rejected
            .iter()
            .map(|(line, p)| {
                let text = match p {
                    RowProblem::SlugTaken => tr.t("setup-slug-taken"),
                    RowProblem::Fields(v, rules) => {
                        let mut parts: Vec<String> = v
                            .summary(tr)
                            .into_iter()
                            .filter(|(f, _)| *f != "rules")
                            .map(|(f, m)| format!("{f} : {m}"))
                            .collect();
                        parts.extend(super::admin::rule_error_lines(tr, rules));
                        parts.join(" ; ")
                    }
                };
                (*line, text)
            })
            .collect(),
    }
}

/// The form field a catalogue column fills.
fn field_for(column: &str) -> Option<&'static str> {
    Some(match column {
        "slug" => "slug",
        "status" => "status",
        "title_fr" | "name" | "nom" | "titre" => "title_fr",
        "title_en" | "name_en" => "title_en",
        "summary_fr" | "description" => "summary_fr",
        "summary_en" => "summary_en",
        "aid_types" | "types_d_aide" | "types" => "aid_types",
        "audiences" | "targeted_audiences" | "beneficiaires" => "audiences",
        "stages" | "mobilization_steps" => "stages",
        "recurrence" => "recurrence",
        "opens_on" | "start_date" | "date_d_ouverture" => "opens_on",
        "closes_on" | "submission_deadline" | "date_de_cloture" => "closes_on",
        "backers" | "financers" | "porteurs" => "backers",
        "instructor" | "instructors" | "instructeurs" => "instructor",
        "perimeter" | "perimeter_code" => "perimeter",
        "themes" => "themes",
        "rate_pct" | "subvention_rate_upper_bound" | "taux" => "rate_pct",
        "cap" | "plafond" => "cap",
        "floor" | "plancher" => "floor",
        "rules" | "regles" => "rules",
        "link" | "url" | "origin_url" => "link",
        _ => return None,
    })
}

fn set(form: &mut SchemeForm, field: &str, value: String) {
    let slot = match field {
        "slug" => &mut form.slug,
        "status" => &mut form.status,
        "title_fr" => &mut form.title_fr,
        "title_en" => &mut form.title_en,
        "summary_fr" => &mut form.summary_fr,
        "summary_en" => &mut form.summary_en,
        "aid_types" => &mut form.aid_types,
        "audiences" => &mut form.audiences,
        "stages" => &mut form.stages,
        "recurrence" => &mut form.recurrence,
        "opens_on" => &mut form.opens_on,
        "closes_on" => &mut form.closes_on,
        "backers" => &mut form.backers,
        "instructor" => &mut form.instructor,
        "perimeter" => &mut form.perimeter,
        "themes" => &mut form.themes,
        "rate_pct" => &mut form.rate_pct,
        "cap" => &mut form.cap,
        "floor" => &mut form.floor,
        "rules" => &mut form.rules,
        "link" => &mut form.link,
        _ => return,
    };
    *slot = value;
}

/// A row (column → value) as a scheme form; catalogues in French only get
/// their French texts in English too, and rules written with `|` for new lines.
pub fn form_of(row: &HashMap<String, String>) -> SchemeForm {
    let mut form = SchemeForm::default();
    for (k, v) in row {
        if let Some(f) = field_for(&crate::csvio::header_key(k)) {
            set(&mut form, f, v.trim().to_string());
        }
    }
    form.rules = form.rules.replace('|', "\n");
    if form.title_en.is_empty() {
        form.title_en = form.title_fr.clone();
    }
    if form.summary_en.is_empty() {
        form.summary_en = form.summary_fr.clone();
    }
    form
}

/// Rows of a JSON export: an array of objects (or `{"results": [...]}`),
/// values as text, lists joined by commas.
fn json_rows(bytes: &[u8]) -> Option<Vec<(usize, HashMap<String, String>)>> {
    let v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let items = match v {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(mut o) => match o.remove("results") {
            Some(serde_json::Value::Array(a)) => a,
            _ => return None,
        },
        _ => return None,
    };
    fn text(v: &serde_json::Value) -> String {
        match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            serde_json::Value::Array(a) => a.iter().map(text).collect::<Vec<_>>().join(", "),
            other => other.to_string(),
        }
    }
    Some(
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let row = item
                    .as_object()
                    .map(|o| o.iter().map(|(k, v)| (k.clone(), text(v))).collect())
                    .unwrap_or_default();
                (i + 1, row)
            })
            .collect(),
    )
}

/// Import a catalogue file. `Err(key)` when the file itself cannot be read.
pub async fn import(
    db: &Db,
    name: &str,
    bytes: &[u8],
    by: Option<i64>,
) -> anyhow::Result<Result<Report, &'static str>> {
    let looks_json = name.ends_with(".json")
        || bytes
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b == b'[' || *b == b'{');
    let rows: Vec<(usize, HashMap<String, String>)> = if looks_json {
        match json_rows(bytes) {
            Some(r) => r,
            None => return Ok(Err("funding-import-bad-json")),
        }
    } else {
        let table = match crate::csvio::parse(bytes, &[]) {
            Ok(t) => t,
            Err(e) => return Ok(Err(e.key())),
        };
        table
            .rows
            .iter()
            .map(|(line, row)| {
                let map = table
                    .headers
                    .iter()
                    .zip(row.iter())
                    .map(|(h, v)| (h.clone(), v.clone()))
                    .collect();
                (*line, map)
            })
            .collect()
    };
    let mut report = Report::default();
    for (line, row) in rows {
        let form = form_of(&row);
        let (themes, sectors, territories) = form.named();
        let known = crate::guides::store::known(db, &themes, &sectors, &territories).await?;
        let valid = match form.parse(&known) {
            Ok(v) => v,
            Err((v, r)) => {
                report.rejected.push((line, RowProblem::Fields(v, r)));
                continue;
            }
        };
        match store::insert(db, &valid, by, "import").await? {
            Saved::Created(_) => report.created += 1,
            _ => report.rejected.push((line, RowProblem::SlugTaken)),
        }
    }
    Ok(Ok(report))
}
