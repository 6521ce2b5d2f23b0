//! The diagnostic's typed domain: mode, status, who leads it, maturity
//! level, comparison group and quartiles, and the rules that read a
//! question's form into an answer. Pure: no I/O.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::bank::{Kind, Question, DIMENSIONS};
use super::scoring::{Answer, Response, Scores};

/// Quick check (a subset of questions) or full assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Quick,
    Full,
}

impl Mode {
    /// Stored text (`diagnostics.mode`) and export value.
    pub fn code(self) -> &'static str {
        match self {
            Mode::Quick => "quick",
            Mode::Full => "full",
        }
    }

    /// Fluent message id of the mode's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Mode::Quick => "diag-quick-title",
            Mode::Full => "diag-full-title",
        }
    }

    /// The mode a stored or submitted code names; anything else is the quick check.
    pub fn from_code(s: &str) -> Mode {
        if s == "full" {
            Mode::Full
        } else {
            Mode::Quick
        }
    }

    /// True for the full assessment.
    pub fn is_full(self) -> bool {
        self == Mode::Full
    }
}

/// Where a diagnostic stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Submitted,
}

impl Status {
    /// Stored text (`diagnostics.status`) and export value.
    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
        }
    }

    /// Fluent message id of the status's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Status::Draft => "diag-status-draft",
            Status::Submitted => "diag-status-submitted",
        }
    }

    /// The status a stored code names; anything unknown is a draft.
    pub fn from_code(s: &str) -> Status {
        if s == "submitted" {
            Status::Submitted
        } else {
            Status::Draft
        }
    }
}

/// Who leads a diagnostic: the business itself or an adviser beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Guidance {
    #[default]
    SelfAssessed,
    Assisted,
}

impl Guidance {
    /// Stable code (the database stores the flag `assisted` as 0 or 1).
    pub fn code(self) -> &'static str {
        match self {
            Guidance::SelfAssessed => "self",
            Guidance::Assisted => "assisted",
        }
    }

    /// Fluent message id of the badge naming it.
    pub fn label_key(self) -> &'static str {
        match self {
            Guidance::SelfAssessed => "diag-self-badge",
            Guidance::Assisted => "diag-assisted-badge",
        }
    }

    /// From the stored flag.
    pub fn from_flag(assisted: i64) -> Guidance {
        if assisted == 1 {
            Guidance::Assisted
        } else {
            Guidance::SelfAssessed
        }
    }

    /// The stored flag.
    pub fn flag(self) -> i64 {
        i64::from(self == Guidance::Assisted)
    }
}

/// Maturity levels of the EU assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Basic,
    Average,
    ModeratelyAdvanced,
    Advanced,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 4] = [
        Level::Basic,
        Level::Average,
        Level::ModeratelyAdvanced,
        Level::Advanced,
    ];

    /// Level of a 0–100 score (basic 0–25, average 26–50, moderately
    /// advanced 51–75, advanced 76–100, on the rounded score).
    pub fn of(score: f64) -> Level {
        let s = score.round();
        if s <= 25.0 {
            Level::Basic
        } else if s <= 50.0 {
            Level::Average
        } else if s <= 75.0 {
            Level::ModeratelyAdvanced
        } else {
            Level::Advanced
        }
    }

    /// Stable code: stored in `diagnostics.level`, exported, used in CSS classes.
    pub fn code(self) -> &'static str {
        match self {
            Level::Basic => "basic",
            Level::Average => "average",
            Level::ModeratelyAdvanced => "moderate",
            Level::Advanced => "advanced",
        }
    }

    /// The level a stored code names.
    pub fn from_code(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == s)
    }

    /// Fluent message id of the level's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Level::Basic => "diag-level-basic",
            Level::Average => "diag-level-average",
            Level::ModeratelyAdvanced => "diag-level-moderate",
            Level::Advanced => "diag-level-advanced",
        }
    }

    /// Fluent message id of what the level means for the business.
    pub fn body_key(self) -> &'static str {
        match self {
            Level::Basic => "diag-level-body-basic",
            Level::Average => "diag-level-body-average",
            Level::ModeratelyAdvanced => "diag-level-body-moderate",
            Level::Advanced => "diag-level-body-advanced",
        }
    }
}

/// Which group a comparison was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    SectorSizeTerritory,
    SectorSize,
    Sector,
    All,
}

impl Group {
    /// From the narrowest group to everyone: the order a comparison widens in.
    pub const WIDENING: [Group; 4] = [
        Group::SectorSizeTerritory,
        Group::SectorSize,
        Group::Sector,
        Group::All,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Group::SectorSizeTerritory => "sector-size-territory",
            Group::SectorSize => "sector-size",
            Group::Sector => "sector",
            Group::All => "all",
        }
    }

    /// Fluent message id of the group's description.
    pub fn label_key(self) -> &'static str {
        match self {
            Group::SectorSizeTerritory => "diag-group-sector-size-territory",
            Group::SectorSize => "diag-group-sector-size",
            Group::Sector => "diag-group-sector",
            Group::All => "diag-group-all",
        }
    }

    /// The values a diagnostic's profile gives this group (sector, size,
    /// territory as far as the group goes), or `None` when its profile lacks one.
    pub fn profile<'a>(
        self,
        sector: Option<&'a str>,
        size: Option<&'a str>,
        territory: Option<&'a str>,
    ) -> Option<Vec<&'a str>> {
        match self {
            Group::SectorSizeTerritory => Some(vec![sector?, size?, territory?]),
            Group::SectorSize => Some(vec![sector?, size?]),
            Group::Sector => Some(vec![sector?]),
            Group::All => Some(vec![]),
        }
    }
}

/// Quartiles of a set of scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quartiles {
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
}

/// Linear-interpolation quartiles (None for an empty set).
pub fn quartiles(values: &mut [f64]) -> Option<Quartiles> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let at = |p: f64| {
        let pos = p * (values.len() - 1) as f64;
        let lo = pos.floor() as usize;
        let hi = pos.ceil() as usize;
        let v = values[lo] + (values[hi] - values[lo]) * (pos - lo as f64);
        (v * 10.0).round() / 10.0
    };
    Some(Quartiles {
        q1: at(0.25),
        median: at(0.5),
        q3: at(0.75),
    })
}

/// The smallest group a comparison is shown for.
pub const MIN_GROUP: usize = 5;

/// A comparison with similar businesses.
#[derive(Debug, Clone)]
pub struct Benchmark {
    pub group: Group,
    pub size: usize,
    pub overall: Quartiles,
    pub dimensions: Vec<(String, Option<Quartiles>)>,
}

impl Benchmark {
    /// The comparison with `group`'s scores, or `None` when the group is too
    /// small (fewer than [`MIN_GROUP`]) or nobody in it has an overall score.
    pub fn of(group: Group, rows: &[Scores]) -> Option<Benchmark> {
        if rows.len() < MIN_GROUP {
            return None;
        }
        let mut overall: Vec<f64> = rows.iter().filter_map(|s| s.overall).collect();
        let overall = quartiles(&mut overall)?;
        let dimensions = DIMENSIONS
            .iter()
            .map(|dim| {
                let mut v: Vec<f64> = rows.iter().filter_map(|s| s.of(dim)).collect();
                (dim.to_string(), quartiles(&mut v))
            })
            .collect();
        Some(Benchmark {
            group,
            size: rows.len(),
            overall,
            dimensions,
        })
    }

    /// Quartiles of one dimension.
    pub fn of_dimension(&self, dim: &str) -> Option<Quartiles> {
        self.dimensions
            .iter()
            .find(|(x, _)| x == dim)
            .and_then(|(_, q)| *q)
    }
}

/// The value of a 0–5 row that does not apply to this business.
pub const ROW_NA: &str = "na";

/// Read one question's answer from the submitted form pairs.
pub fn parse_answer(q: &Question, pairs: &[(String, String)]) -> Result<Response, &'static str> {
    let get = |k: &str| pairs.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
    let mut importance = BTreeMap::new();
    for (k, v) in pairs {
        if let Some(item) = k.strip_prefix("importance:") {
            if let Ok(level @ 1..=3) = v.parse::<u8>() {
                if item.is_empty() || q.items.iter().any(|i| i.code == item) {
                    importance.insert(item.to_string(), level);
                }
            }
        }
    }
    if q.allow_na && get("na") == Some("on") {
        return Ok(Response {
            answer: Answer::NotApplicable,
            importance,
        });
    }
    // Ticks and ratings must name this question's items.
    let foreign = pairs.iter().any(|(k, v)| {
        (k == "tick" && !q.items.iter().any(|i| &i.code == v))
            || k.strip_prefix("rate:")
                .is_some_and(|c| !q.items.iter().any(|i| i.code == c))
    });
    if foreign {
        return Err("diag-error-unknown-item");
    }
    let answer = match q.kind {
        Kind::Checklist => Answer::Checklist {
            ticked: q
                .items
                .iter()
                .filter(|i| pairs.iter().any(|(k, v)| k == "tick" && v == &i.code))
                .map(|i| i.code.clone())
                .collect::<BTreeSet<_>>(),
        },
        Kind::Scale => {
            let mut ratings = BTreeMap::new();
            let mut na = BTreeSet::new();
            for i in &q.items {
                let typed = get(&format!("rate:{}", i.code));
                if q.allow_na && typed == Some(ROW_NA) {
                    na.insert(i.code.clone());
                    continue;
                }
                match typed.and_then(|v| v.parse::<u8>().ok()).filter(|v| *v <= 5) {
                    Some(v) => {
                        ratings.insert(i.code.clone(), v);
                    }
                    None => return Err("diag-error-rate-every-row"),
                }
            }
            if na.len() == q.items.len() {
                Answer::NotApplicable
            } else {
                Answer::Scale { ratings, na }
            }
        }
        Kind::Triple => match get("triple")
            .and_then(|v| v.parse::<u8>().ok())
            .filter(|v| *v <= 2)
        {
            Some(value) => Answer::Triple { value },
            None => return Err("diag-error-choose-one"),
        },
    };
    Ok(Response { answer, importance })
}

/// Check that an answer sent whole (by the API) fits its question.
pub fn check_answer(q: &Question, r: &Response) -> Result<(), &'static str> {
    let known = |c: &str| q.items.iter().any(|i| i.code == c);
    if r.importance
        .iter()
        .any(|(k, v)| !(k.is_empty() || known(k)) || !(1..=3).contains(v))
    {
        return Err("diag-error-unknown-item");
    }
    match (&r.answer, q.kind) {
        (Answer::NotApplicable, _) if q.allow_na => Ok(()),
        (Answer::NotApplicable, _) => Err("diag-error-choose-one"),
        (Answer::Checklist { ticked }, Kind::Checklist) => {
            if ticked.iter().all(|t| known(t)) {
                Ok(())
            } else {
                Err("diag-error-unknown-item")
            }
        }
        (Answer::Scale { ratings, na }, Kind::Scale) => {
            if ratings.keys().chain(na.iter()).any(|k| !known(k)) || (!na.is_empty() && !q.allow_na)
            {
                Err("diag-error-unknown-item")
            } else if q
                .items
                .iter()
                .all(|i| na.contains(&i.code) || ratings.get(&i.code).is_some_and(|v| *v <= 5))
            {
                Ok(())
            } else {
                Err("diag-error-rate-every-row")
            }
        }
        (Answer::Triple { value }, Kind::Triple) if *value <= 2 => Ok(()),
        (Answer::Triple { .. }, Kind::Triple) => Err("diag-error-choose-one"),
        _ => Err("diag-error-unknown-item"),
    }
}

/// What was typed on a form, complete or not, kept to show it again: on
/// an incomplete answer, and as the draft of "save and resume later".
/// Nothing is inferred (a blank checklist stays blank, see [`is_blank`]).
pub fn partial_answer(q: &Question, pairs: &[(String, String)]) -> Response {
    let typed = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let answer = match q.kind {
        _ if q.allow_na && typed("na") == Some("on") => Answer::NotApplicable,
        Kind::Scale => Answer::Scale {
            ratings: q
                .items
                .iter()
                .filter_map(|i| {
                    typed(&format!("rate:{}", i.code))
                        .and_then(|v| v.parse::<u8>().ok())
                        .filter(|v| *v <= 5)
                        .map(|v| (i.code.clone(), v))
                })
                .collect(),
            na: q
                .items
                .iter()
                .filter(|i| q.allow_na && typed(&format!("rate:{}", i.code)) == Some(ROW_NA))
                .map(|i| i.code.clone())
                .collect(),
        },
        Kind::Checklist => Answer::Checklist {
            ticked: pairs
                .iter()
                .filter(|(k, _)| k == "tick")
                .map(|(_, v)| v.clone())
                .collect(),
        },
        Kind::Triple => Answer::Triple {
            value: typed("triple")
                .and_then(|v| v.parse::<u8>().ok())
                .filter(|v| *v <= 2)
                .unwrap_or(u8::MAX),
        },
    };
    let importance = pairs
        .iter()
        .filter_map(|(k, v)| {
            Some((
                k.strip_prefix("importance:")?.to_string(),
                v.parse::<u8>().ok()?,
            ))
        })
        .collect();
    Response { answer, importance }
}

/// True when nothing was chosen on the screen: no tick, no rating, no
/// choice. Such a screen is never taken for an answer on its way out.
pub fn is_blank(r: &Response) -> bool {
    match &r.answer {
        Answer::NotApplicable => false,
        Answer::Checklist { ticked } => ticked.is_empty(),
        Answer::Scale { ratings, na } => ratings.is_empty() && na.is_empty(),
        Answer::Triple { value } => *value > 2,
    }
}

/// The longest adviser's note kept, in characters.
pub const NOTE_MAX: usize = 2000;

/// The adviser's notes in a form's `note:<dimension>` fields: known
/// dimensions only, trimmed and cut to [`NOTE_MAX`] characters.
pub fn parse_notes(pairs: &[(String, String)]) -> Vec<(&'static str, String)> {
    pairs
        .iter()
        .filter_map(|(k, v)| {
            let dim = k.strip_prefix("note:")?;
            let dim = DIMENSIONS.iter().find(|d| **d == dim)?;
            Some((*dim, v.trim().chars().take(NOTE_MAX).collect()))
        })
        .collect()
}

/// Which button sent a question's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Go {
    Next,
    Prev,
    Later,
}

impl Go {
    /// From the form's `go` field; a missing or unknown value means "next".
    pub fn from_pairs(pairs: &[(String, String)]) -> Go {
        match pairs
            .iter()
            .find(|(k, _)| k == "go")
            .map(|(_, v)| v.as_str())
        {
            Some("prev") => Go::Prev,
            Some("later") => Go::Later,
            _ => Go::Next,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_interpolate() {
        let q = quartiles(&mut [10.0, 20.0, 30.0, 40.0, 50.0]).unwrap();
        assert_eq!((q.q1, q.median, q.q3), (20.0, 30.0, 40.0));
        let q = quartiles(&mut [40.0, 10.0, 30.0, 20.0]).unwrap();
        assert_eq!((q.q1, q.median, q.q3), (17.5, 25.0, 32.5));
        assert!(quartiles(&mut []).is_none());
    }

    #[test]
    fn codes_read_back() {
        for l in Level::ALL {
            assert_eq!(Level::from_code(l.code()), Some(l));
        }
        assert_eq!(Mode::from_code(Mode::Full.code()), Mode::Full);
        assert_eq!(Status::from_code("submitted"), Status::Submitted);
        assert_eq!(
            Guidance::from_flag(Guidance::Assisted.flag()),
            Guidance::Assisted
        );
    }

    #[test]
    fn groups_need_their_profile() {
        assert_eq!(
            Group::SectorSize.profile(Some("47"), None, Some("FR-D33")),
            None
        );
        assert_eq!(
            Group::Sector.profile(Some("47"), None, None),
            Some(vec!["47"])
        );
    }

    #[test]
    fn notes_keep_known_dimensions() {
        let pairs = vec![
            ("note:data".to_string(), "  fiches papier ".to_string()),
            ("note:bogus".to_string(), "x".to_string()),
            ("note:green".to_string(), "é".repeat(3000)),
        ];
        let notes = parse_notes(&pairs);
        assert_eq!(notes[0], ("data", "fiches papier".to_string()));
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[1].1.chars().count(), NOTE_MAX);
    }

    #[test]
    fn an_api_answer_must_fit_its_question() {
        let bank = crate::diagnostic::store::default_bank().unwrap();
        let q = bank
            .questions
            .iter()
            .find(|q| q.kind == Kind::Triple)
            .unwrap();
        let triple = |value| Response {
            answer: Answer::Triple { value },
            importance: BTreeMap::new(),
        };
        assert_eq!(check_answer(q, &triple(2)), Ok(()));
        assert_eq!(check_answer(q, &triple(3)), Err("diag-error-choose-one"));
        let wrong_kind = Response {
            answer: Answer::Scale {
                ratings: BTreeMap::new(),
                na: BTreeSet::new(),
            },
            importance: BTreeMap::new(),
        };
        assert_eq!(check_answer(q, &wrong_kind), Err("diag-error-unknown-item"));
    }
}
