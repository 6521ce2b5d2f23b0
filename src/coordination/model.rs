//! The coordination view's rules: what another programme's open
//! indicators document must hold, and how the figures of several
//! programmes line up. No I/O here.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::federation::model::FeedError;

/// Most figures kept from one programme.
pub const MAX_ITEMS: usize = 200;

/// One figure of a programme: its id, names and value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub id: String,
    pub label_fr: String,
    pub label_en: String,
    pub value: i64,
}

/// What a programme's `indicateurs.json` says, as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub publisher: String,
    pub generated_at: String,
    pub figures: Vec<Figure>,
}

fn text(v: &Value, key: &str, max: usize) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .map(|s| s.chars().filter(|c| !c.is_control()).take(max).collect())
        .unwrap_or_default()
}

/// Read another programme's open indicators (`/donnees-ouvertes/indicateurs.json`
/// of a Tremplin). `own` is this instance's token: a document from here is refused.
pub fn parse(body: &[u8], own: &str) -> Result<Snapshot, FeedError> {
    let doc: Value = serde_json::from_slice(body).map_err(|_| FeedError::Malformed)?;
    if doc.get("dataset").and_then(Value::as_str) != Some("indicators") {
        return Err(FeedError::Malformed);
    }
    if doc.get("instance").and_then(Value::as_str) == Some(own) {
        return Err(FeedError::SelfFeed);
    }
    let items = doc
        .get("items")
        .and_then(Value::as_array)
        .ok_or(FeedError::Malformed)?;
    let figures: Vec<Figure> = items
        .iter()
        .filter_map(|i| {
            let id = text(i, "id", 80);
            let value = i.get("value").and_then(Value::as_i64)?;
            (!id.is_empty() && value >= 0).then(|| Figure {
                label_fr: text(i, "label_fr", 200),
                label_en: text(i, "label_en", 200),
                id,
                value,
            })
        })
        .take(MAX_ITEMS)
        .collect();
    if figures.is_empty() {
        return Err(FeedError::Malformed);
    }
    Ok(Snapshot {
        publisher: text(&doc, "publisher", 200),
        generated_at: text(&doc, "generated_at", 40),
        figures,
    })
}

/// A row of the coordination table: a figure across programmes.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: String,
    pub label_fr: String,
    pub label_en: String,
    /// One value per programme, in column order (None: that programme does
    /// not publish it).
    pub values: Vec<Option<i64>>,
}

impl Row {
    /// Sum over the programmes that publish it.
    pub fn total(&self) -> i64 {
        self.values.iter().flatten().sum()
    }
}

/// Line up the programmes' figures: rows in the order of the first
/// programme's (this one), then any other figure in the order first met.
pub fn table(columns: &[&[Figure]]) -> Vec<Row> {
    let mut rows: Vec<Row> = vec![];
    for (c, figures) in columns.iter().enumerate() {
        for f in figures.iter() {
            let at = match rows.iter().position(|r| r.id == f.id) {
                Some(at) => at,
                None => {
                    rows.push(Row {
                        id: f.id.clone(),
                        label_fr: f.label_fr.clone(),
                        label_en: f.label_en.clone(),
                        values: vec![None; columns.len()],
                    });
                    rows.len() - 1
                }
            };
            rows[at].values[c] = Some(f.value);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(instance: &str, items: &str) -> Vec<u8> {
        format!(
            r#"{{"dataset":"indicators","publisher":"Programme voisin","instance":"{instance}","generated_at":"2026-12-01T10:00:00Z","items":{items}}}"#
        )
        .into_bytes()
    }

    #[test]
    fn a_document_of_another_programme_is_read_and_bad_ones_refused() {
        let body = doc(
            "other",
            r#"[{"id":"funnel_aware","label_fr":"Sensibilisées","label_en":"Made aware","value":120},
                {"id":"bad","value":"12"},{"id":"","value":3},{"id":"neg","value":-1}]"#,
        );
        let s = parse(&body, "me").unwrap();
        assert_eq!(s.publisher, "Programme voisin");
        assert_eq!(s.figures.len(), 1);
        assert_eq!(s.figures[0].value, 120);
        assert_eq!(parse(&body, "other"), Err(FeedError::SelfFeed));
        assert_eq!(parse(b"not json", "me"), Err(FeedError::Malformed));
        assert_eq!(
            parse(br#"{"dataset":"agenda","items":[]}"#, "me"),
            Err(FeedError::Malformed)
        );
        assert_eq!(parse(&doc("x", "[]"), "me"), Err(FeedError::Malformed));
    }

    #[test]
    fn figures_line_up_by_id_and_add_up_where_published() {
        let f = |id: &str, v: i64| Figure {
            id: id.into(),
            label_fr: id.into(),
            label_en: id.into(),
            value: v,
        };
        let here = [f("a", 10), f("b", 2)];
        let there = [f("b", 5), f("c", 1)];
        let rows = table(&[&here, &there]);
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(rows[0].values, [Some(10), None]);
        assert_eq!(rows[1].total(), 7);
        assert_eq!(rows[2].values, [None, Some(1)]);
    }
}
