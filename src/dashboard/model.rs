//! Breakdowns of the funders' figures: counted lines with their share, and
//! the area (department, province…) a commune is counted in. No I/O.

use std::collections::HashMap;

use crate::text::fold;

/// One line of a breakdown: label and count.
pub struct Line {
    pub label: String,
    pub count: i64,
    pub percent: i64,
}

/// Counts as lines, largest first, each with its share of `total`.
pub fn lines(map: HashMap<String, i64>, total: i64) -> Vec<Line> {
    let mut v: Vec<Line> = map
        .into_iter()
        .map(|(label, count)| Line {
            percent: if total > 0 { count * 100 / total } else { 0 },
            label,
            count,
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    v
}

/// A territory as the breakdowns need it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Territory {
    pub code: String,
    pub parent_code: Option<String>,
    pub level: String,
    pub name: String,
}

/// Territories by code.
pub type Territories = HashMap<String, Territory>;

/// The department (or province, or canton's parent) holding a commune.
pub fn area(t: &Territories, commune: Option<&str>, unknown: &str) -> String {
    let mut code = match commune {
        Some(c) => c.to_string(),
        None => return unknown.to_string(),
    };
    for _ in 0..6 {
        let Some(x) = t.get(&code) else { break };
        if matches!(
            x.level.as_str(),
            "department" | "province" | "region" | "country"
        ) {
            return x.name.clone();
        }
        match &x.parent_code {
            Some(parent) => code = parent.clone(),
            None => return x.name.clone(),
        }
    }
    unknown.to_string()
}

/// Who counts as one business made aware: the business attached to the
/// registration, else the business name typed, else the e-mail address.
pub fn business_key(business_id: Option<i64>, name: &str, email_key: &str) -> String {
    match business_id {
        Some(id) => format!("b{id}"),
        None if !name.trim().is_empty() => format!("n{}", fold(name)),
        None => format!("e{email_key}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(code: &str, parent: Option<&str>, level: &str, name: &str) -> (String, Territory) {
        (
            code.to_string(),
            Territory {
                code: code.to_string(),
                parent_code: parent.map(str::to_string),
                level: level.to_string(),
                name: name.to_string(),
            },
        )
    }

    #[test]
    fn communes_count_in_their_department() {
        let map: Territories = [
            t("FR", None, "country", "France"),
            t("FR-D33", Some("FR"), "department", "Gironde"),
            t("FR-C33063", Some("FR-D33"), "commune", "Bordeaux"),
        ]
        .into_iter()
        .collect();
        assert_eq!(area(&map, Some("FR-C33063"), "?"), "Gironde");
        assert_eq!(area(&map, None, "?"), "?");
        assert_eq!(area(&map, Some("XX"), "?"), "?");
        assert_eq!(business_key(Some(3), "Dupont", "m@x"), "b3");
        assert_eq!(business_key(None, " ", "m@x"), "em@x");
    }
}
