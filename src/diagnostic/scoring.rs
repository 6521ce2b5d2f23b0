//! Scores and the ordered action plan, computed from answers. Pure: the
//! same bank version and answers always give the same result.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::bank::{Bank, Kind, Question, Step, DIMENSIONS};

/// One answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Answer {
    /// "Not applicable / I don't know".
    NotApplicable,
    /// The ticked items.
    Checklist { ticked: BTreeSet<String> },
    /// A rating 0–5 per row; rows in `na` do not apply to this business
    /// (allowed when the question allows "not applicable") and are left
    /// out of the score.
    Scale {
        ratings: BTreeMap<String, u8>,
        #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
        na: BTreeSet<String>,
    },
    /// 0 no, 1 partly, 2 yes.
    Triple { value: u8 },
}

/// An answer and the optional "how important is this for my business?"
/// (1 low, 2 medium, 3 high) per item, or for the question under "".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub answer: Answer,
    #[serde(default)]
    pub importance: BTreeMap<String, u8>,
}

/// Score of one question, 0–10; `None` when not applicable.
pub fn question_score(q: &Question, a: &Answer) -> Option<f64> {
    let n = q.items.len() as f64;
    match (q.kind, a) {
        (_, Answer::NotApplicable) => None,
        (Kind::Checklist, Answer::Checklist { ticked }) if n > 0.0 => {
            Some(q.items.iter().filter(|i| ticked.contains(&i.code)).count() as f64 / n * 10.0)
        }
        (Kind::Scale, Answer::Scale { ratings, na }) if n > 0.0 => {
            let rows: Vec<_> = q.items.iter().filter(|i| !na.contains(&i.code)).collect();
            if rows.is_empty() {
                return None;
            }
            let sum: u32 = rows
                .iter()
                .map(|i| u32::from(ratings.get(&i.code).copied().unwrap_or(0).min(5)))
                .sum();
            Some(f64::from(sum) / (rows.len() as f64 * 5.0) * 10.0)
        }
        (Kind::Triple, Answer::Triple { value }) => Some(f64::from((*value).min(2)) / 2.0 * 10.0),
        _ => None,
    }
}

/// Scores of a diagnostic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Per dimension, in the bank's order; `None` when nothing applied.
    pub dimensions: Vec<(String, Option<f64>)>,
    pub overall: Option<f64>,
}

impl Scores {
    /// Score of one dimension.
    pub fn of(&self, dim: &str) -> Option<f64> {
        self.dimensions
            .iter()
            .find(|(d, _)| d == dim)
            .and_then(|(_, s)| *s)
    }
}

/// Compute the scores: a dimension is the mean of its answered questions
/// (0–10) times ten; the overall score is the mean of the dimensions.
pub fn score(bank: &Bank, full: bool, responses: &HashMap<String, Response>) -> Scores {
    let dimensions: Vec<(String, Option<f64>)> = DIMENSIONS
        .iter()
        .map(|d| {
            let qs: Vec<f64> = bank
                .questions_for(full)
                .into_iter()
                .filter(|q| q.dimension == *d)
                .filter_map(|q| {
                    responses
                        .get(&q.code)
                        .and_then(|r| question_score(q, &r.answer))
                })
                .collect();
            let s = (!qs.is_empty()).then(|| qs.iter().sum::<f64>() / qs.len() as f64 * 10.0);
            (d.to_string(), s.map(round1))
        })
        .collect();
    let known: Vec<f64> = dimensions.iter().filter_map(|(_, s)| *s).collect();
    let overall =
        (!known.is_empty()).then(|| round1(known.iter().sum::<f64>() / known.len() as f64));
    Scores {
        dimensions,
        overall,
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// How far an answer is from "done" for one trigger: 0 done … 1 not at all.
fn trigger_gap(
    bank: &Bank,
    full: bool,
    responses: &HashMap<String, Response>,
    trigger: &str,
) -> Option<(f64, u8)> {
    let (qc, ic) = trigger
        .split_once('/')
        .map(|(a, b)| (a, Some(b)))
        .unwrap_or((trigger, None));
    let q = bank.question(qc)?;
    if !full && !q.quick {
        return None;
    }
    let r = responses.get(qc)?;
    let importance = ic
        .and_then(|i| r.importance.get(i))
        .or_else(|| r.importance.get(""))
        .copied()
        .unwrap_or(0);
    let gap = match (ic, &r.answer) {
        (_, Answer::NotApplicable) => return None,
        (Some(i), Answer::Checklist { ticked }) => {
            if ticked.contains(i) {
                0.0
            } else {
                1.0
            }
        }
        (Some(i), Answer::Scale { na, .. }) if na.contains(i) => return None,
        (Some(i), Answer::Scale { ratings, .. }) => {
            f64::from(5 - ratings.get(i).copied().unwrap_or(0).min(5)) / 5.0
        }
        (_, a) => 1.0 - question_score(q, a)? / 10.0,
    };
    Some((gap, importance))
}

/// A step of the action plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedStep {
    pub code: String,
    pub dimension: String,
    pub theme: String,
    /// 0–1: how much is missing.
    pub gap: f64,
    /// Higher first, within what prerequisites allow.
    pub priority: f64,
}

/// Steps whose gap is at least this are proposed.
pub const GAP_THRESHOLD: f64 = 0.5;

fn weight(importance: u8) -> f64 {
    match importance {
        1 => 0.6,
        3 => 1.5,
        _ => 1.0,
    }
}

/// The ordered action plan: steps chosen from the gaps and the stated
/// importance, never listing a step before one of its prerequisites.
pub fn plan(
    bank: &Bank,
    full: bool,
    responses: &HashMap<String, Response>,
    scores: &Scores,
) -> Vec<PlannedStep> {
    let mut chosen: Vec<(&Step, f64, f64)> = vec![];
    for step in &bank.steps {
        let mut gap: Option<f64> = None;
        let mut w: Option<f64> = None;
        for (g, importance) in step
            .triggers
            .iter()
            .filter_map(|t| trigger_gap(bank, full, responses, t))
        {
            gap = Some(gap.map_or(g, |x| x.max(g)));
            if g >= GAP_THRESHOLD {
                let wi = weight(importance);
                w = Some(w.map_or(wi, |x| x.max(wi)));
            }
        }
        let Some(gap) = gap else {
            continue;
        };
        if gap < GAP_THRESHOLD {
            continue;
        }
        let w = w.unwrap_or(1.0);
        let dim = scores.of(&step.dimension).unwrap_or(50.0);
        let priority = gap * w * (1.0 + (100.0 - dim) / 100.0);
        chosen.push((step, gap, priority));
    }
    // A prerequisite that was not chosen is already in place. Work on
    // indices: this runs on every results page.
    let pos: HashMap<&str, usize> = chosen
        .iter()
        .enumerate()
        .map(|(i, c)| (c.0.code.as_str(), i))
        .collect();
    let prereqs: Vec<Vec<usize>> = chosen
        .iter()
        .map(|c| {
            c.0.requires
                .iter()
                .filter_map(|r| pos.get(r.as_str()).copied())
                .collect()
        })
        .collect();
    let mut done = vec![false; chosen.len()];
    let mut out = Vec::with_capacity(chosen.len());
    while out.len() < chosen.len() {
        let mut best: Option<usize> = None;
        for i in 0..chosen.len() {
            if done[i] || prereqs[i].iter().any(|p| !done[*p]) {
                continue;
            }
            // Highest priority first; on a tie, the bank's order.
            if best.is_none_or(|b| chosen[i].2 > chosen[b].2) {
                best = Some(i);
            }
        }
        let Some(i) = best else { break };
        let (step, gap, priority) = chosen[i];
        done[i] = true;
        out.push(PlannedStep {
            code: step.code.clone(),
            dimension: step.dimension.clone(),
            theme: step.theme.clone(),
            gap: round1(gap * 10.0) / 10.0,
            priority: round1(priority * 10.0) / 10.0,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::bank::DEFAULT_BANK;
    use crate::diagnostic::model::Level;
    use rand::{Rng, SeedableRng};

    fn bank() -> Bank {
        Bank::parse(DEFAULT_BANK.0, DEFAULT_BANK.1, &Default::default()).unwrap()
    }

    fn random_answers(bank: &Bank, rng: &mut impl Rng) -> HashMap<String, Response> {
        bank.questions
            .iter()
            .map(|q| {
                let answer = if q.allow_na && rng.gen_bool(0.1) {
                    Answer::NotApplicable
                } else {
                    match q.kind {
                        Kind::Checklist => Answer::Checklist {
                            ticked: q
                                .items
                                .iter()
                                .filter(|_| rng.gen_bool(0.5))
                                .map(|i| i.code.clone())
                                .collect(),
                        },
                        Kind::Scale => Answer::Scale {
                            ratings: q
                                .items
                                .iter()
                                .map(|i| (i.code.clone(), rng.gen_range(0..=5)))
                                .collect(),
                            na: BTreeSet::new(),
                        },
                        Kind::Triple => Answer::Triple {
                            value: rng.gen_range(0..=2),
                        },
                    }
                };
                let mut importance = BTreeMap::new();
                for i in &q.items {
                    if rng.gen_bool(0.3) {
                        importance.insert(i.code.clone(), rng.gen_range(1..=3));
                    }
                }
                (q.code.clone(), Response { answer, importance })
            })
            .collect()
    }

    #[test]
    fn question_scores_follow_the_eu_rules() {
        let b = bank();
        let checklist = b
            .questions
            .iter()
            .find(|q| q.kind == Kind::Checklist)
            .unwrap();
        let half: BTreeSet<String> = checklist
            .items
            .iter()
            .take(checklist.items.len() / 2)
            .map(|i| i.code.clone())
            .collect();
        let expected = (checklist.items.len() / 2) as f64 / checklist.items.len() as f64 * 10.0;
        assert_eq!(
            question_score(checklist, &Answer::Checklist { ticked: half }),
            Some(expected)
        );
        let scale = b.questions.iter().find(|q| q.kind == Kind::Scale).unwrap();
        let all_five = scale.items.iter().map(|i| (i.code.clone(), 5)).collect();
        assert_eq!(
            question_score(
                scale,
                &Answer::Scale {
                    ratings: all_five,
                    na: BTreeSet::new()
                }
            ),
            Some(10.0)
        );
        let ones = scale.items.iter().map(|i| (i.code.clone(), 1)).collect();
        assert_eq!(
            question_score(
                scale,
                &Answer::Scale {
                    ratings: ones,
                    na: BTreeSet::new()
                }
            ),
            Some(2.0)
        );
        let triple = b.questions.iter().find(|q| q.kind == Kind::Triple).unwrap();
        assert_eq!(
            question_score(triple, &Answer::Triple { value: 1 }),
            Some(5.0)
        );
        assert_eq!(question_score(triple, &Answer::NotApplicable), None);
    }

    /// A tiny bank whose scores can be computed by hand.
    fn tiny() -> Bank {
        let mut toml =
            String::from("id = \"t\"\nversion = \"t1\"\ntitle_fr = \"t\"\ntitle_en = \"t\"\n");
        for d in DIMENSIONS {
            toml.push_str(&format!(
                "[[dimension]]\ncode = \"{d}\"\ntitle_fr = \"{d}\"\ntitle_en = \"{d}\"\ndescription_fr = \"x\"\ndescription_en = \"x\"\n"
            ));
        }
        for d in DIMENSIONS {
            // Two quick questions per dimension: a 4-item checklist and a 3-row scale.
            toml.push_str(&format!(
                "[[question]]\ncode = \"{d}-c\"\ndimension = \"{d}\"\nkind = \"checklist\"\nquick = true\ntitle_fr = \"q\"\ntitle_en = \"q\"\n"
            ));
            for i in 0..4 {
                toml.push_str(&format!(
                    "[[question.item]]\ncode = \"i{i}\"\nlabel_fr = \"i\"\nlabel_en = \"i\"\n"
                ));
            }
            toml.push_str(&format!(
                "[[question]]\ncode = \"{d}-s\"\ndimension = \"{d}\"\nkind = \"scale\"\nquick = true\ntitle_fr = \"q\"\ntitle_en = \"q\"\n"
            ));
            for i in 0..3 {
                toml.push_str(&format!(
                    "[[question.item]]\ncode = \"r{i}\"\nlabel_fr = \"r\"\nlabel_en = \"r\"\n"
                ));
            }
            toml.push_str(&format!(
                "[[question]]\ncode = \"{d}-t\"\ndimension = \"{d}\"\nkind = \"triple\"\ntitle_fr = \"q\"\ntitle_en = \"q\"\n"
            ));
        }
        toml.push_str("[[step]]\ncode = \"a\"\ndimension = \"data\"\ntheme = \"x\"\ntitle_fr = \"a\"\ntitle_en = \"a\"\nbody_fr = \"a\"\nbody_en = \"a\"\ntriggers = [\"data-c/i0\"]\nrequires = []\n");
        Bank::parse("tiny.toml", &toml, &Default::default()).unwrap()
    }

    fn r(answer: Answer) -> Response {
        Response {
            answer,
            importance: Default::default(),
        }
    }

    #[test]
    fn dimensions_computed_by_hand() {
        let b = tiny();
        let mut a = HashMap::new();
        // strategy: 1 of 4 ticked = 2.5; ratings 5,5,0 = 10/15 × 10 = 6.67 → (2.5 + 6.67) / 2 × 10 = 45.8
        a.insert(
            "strategy-c".to_string(),
            r(Answer::Checklist {
                ticked: ["i0".to_string()].into(),
            }),
        );
        a.insert(
            "strategy-s".to_string(),
            r(Answer::Scale {
                ratings: [
                    ("r0".to_string(), 5),
                    ("r1".to_string(), 5),
                    ("r2".to_string(), 0),
                ]
                .into(),
                na: BTreeSet::new(),
            }),
        );
        // readiness: all 4 ticked = 10; not applicable scale → dimension = 100
        a.insert(
            "readiness-c".to_string(),
            r(Answer::Checklist {
                ticked: ["i0", "i1", "i2", "i3"].map(String::from).into(),
            }),
        );
        a.insert("readiness-s".to_string(), r(Answer::NotApplicable));
        // human: nothing ticked, all zero → 0
        a.insert(
            "human-c".to_string(),
            r(Answer::Checklist {
                ticked: BTreeSet::new(),
            }),
        );
        a.insert(
            "human-s".to_string(),
            r(Answer::Scale {
                ratings: [
                    ("r0".to_string(), 0),
                    ("r1".to_string(), 0),
                    ("r2".to_string(), 0),
                ]
                .into(),
                na: BTreeSet::new(),
            }),
        );
        let quick = score(&b, false, &a);
        assert_eq!(quick.of("strategy"), Some(45.8));
        assert_eq!(quick.of("readiness"), Some(100.0));
        assert_eq!(quick.of("human"), Some(0.0));
        assert_eq!(quick.of("data"), None);
        // overall: mean of the dimensions that have answers = (45.8 + 100 + 0) / 3 = 48.6
        assert_eq!(quick.overall, Some(48.6));
        assert_eq!(Level::of(48.6), Level::Average);
        // The full assessment adds the triple (partly = 5) to strategy: (2.5 + 6.67 + 5) / 3 × 10 = 47.2
        a.insert("strategy-t".to_string(), r(Answer::Triple { value: 1 }));
        let full = score(&b, true, &a);
        assert_eq!(full.of("strategy"), Some(47.2));
        // The quick check ignores the full-only question.
        assert_eq!(score(&b, false, &a).of("strategy"), Some(45.8));
    }

    #[test]
    fn all_minimum_is_zero_and_all_maximum_is_one_hundred() {
        let b = tiny();
        let all = |max: bool| -> HashMap<String, Response> {
            b.questions
                .iter()
                .map(|q| {
                    let answer = match q.kind {
                        Kind::Checklist => Answer::Checklist {
                            ticked: if max {
                                q.items.iter().map(|i| i.code.clone()).collect()
                            } else {
                                BTreeSet::new()
                            },
                        },
                        Kind::Scale => Answer::Scale {
                            ratings: q
                                .items
                                .iter()
                                .map(|i| (i.code.clone(), if max { 5 } else { 0 }))
                                .collect(),
                            na: BTreeSet::new(),
                        },
                        Kind::Triple => Answer::Triple {
                            value: if max { 2 } else { 0 },
                        },
                    };
                    (q.code.clone(), r(answer))
                })
                .collect()
        };
        for full in [false, true] {
            assert_eq!(score(&b, full, &all(false)).overall, Some(0.0));
            assert_eq!(score(&b, full, &all(true)).overall, Some(100.0));
        }
        // The step triggered by an unticked item appears only when it is missing.
        let s = score(&b, true, &all(false));
        assert_eq!(plan(&b, true, &all(false), &s).len(), 1);
        let s = score(&b, true, &all(true));
        assert!(plan(&b, true, &all(true), &s).is_empty());
    }

    #[test]
    fn levels_have_the_eu_boundaries() {
        for (score, level) in [
            (25.0, Level::Basic),
            (26.0, Level::Average),
            (50.0, Level::Average),
            (51.0, Level::ModeratelyAdvanced),
            (75.0, Level::ModeratelyAdvanced),
            (76.0, Level::Advanced),
        ] {
            assert_eq!(Level::of(score), level, "{score}");
        }
        assert_eq!(Level::of(0.0), Level::Basic);
        assert_eq!(Level::of(25.4), Level::Basic);
        assert_eq!(Level::of(25.6), Level::Average);
        assert_eq!(Level::of(50.0), Level::Average);
        assert_eq!(Level::of(51.0), Level::ModeratelyAdvanced);
        assert_eq!(Level::of(75.0), Level::ModeratelyAdvanced);
        assert_eq!(Level::of(76.0), Level::Advanced);
        assert_eq!(Level::of(100.0), Level::Advanced);
    }

    #[test]
    fn dimension_is_the_mean_of_its_questions_times_ten() {
        let b = bank();
        let mut answers = HashMap::new();
        for q in b.questions_for(false) {
            let answer = match q.kind {
                Kind::Checklist => Answer::Checklist {
                    ticked: q.items.iter().map(|i| i.code.clone()).collect(),
                },
                Kind::Scale => Answer::Scale {
                    ratings: q.items.iter().map(|i| (i.code.clone(), 5)).collect(),
                    na: BTreeSet::new(),
                },
                Kind::Triple => Answer::Triple { value: 2 },
            };
            answers.insert(
                q.code.clone(),
                Response {
                    answer,
                    importance: Default::default(),
                },
            );
        }
        let s = score(&b, false, &answers);
        assert!(s.dimensions.iter().all(|(_, v)| *v == Some(100.0)));
        assert_eq!(s.overall, Some(100.0));
        assert!(
            plan(&b, false, &answers, &s).is_empty(),
            "nothing to do when everything is in place"
        );
        let empty = score(&b, false, &HashMap::new());
        assert_eq!(empty.overall, None);
    }

    #[test]
    fn the_plan_never_lists_a_step_before_its_prerequisites() {
        let b = bank();
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut non_trivial = 0;
        for round in 0..500 {
            let answers = random_answers(&b, &mut rng);
            let full = round % 2 == 0;
            let s = score(&b, full, &answers);
            let p = plan(&b, full, &answers, &s);
            let pos: HashMap<&str, usize> = p
                .iter()
                .enumerate()
                .map(|(i, st)| (st.code.as_str(), i))
                .collect();
            for (i, st) in p.iter().enumerate() {
                let step = b.steps.iter().find(|x| x.code == st.code).unwrap();
                for r in &step.requires {
                    if let Some(j) = pos.get(r.as_str()) {
                        assert!(*j < i, "{} listed before its prerequisite {r}", st.code);
                        non_trivial += 1;
                    }
                }
            }
        }
        assert!(
            non_trivial > 50,
            "random answers exercised prerequisites {non_trivial} times"
        );
    }

    #[test]
    fn a_customer_file_comes_before_an_online_shop() {
        let b = bank();
        let Some(shop) = b
            .steps
            .iter()
            .find(|s| s.requires.iter().any(|r| r.contains("customer")))
        else {
            panic!("the bank declares a customer-file prerequisite");
        };
        let answers: HashMap<String, Response> = b
            .questions
            .iter()
            .map(|q| {
                let answer = match q.kind {
                    Kind::Checklist => Answer::Checklist {
                        ticked: BTreeSet::new(),
                    },
                    Kind::Scale => Answer::Scale {
                        ratings: BTreeMap::new(),
                        na: BTreeSet::new(),
                    },
                    Kind::Triple => Answer::Triple { value: 0 },
                };
                (
                    q.code.clone(),
                    Response {
                        answer,
                        importance: Default::default(),
                    },
                )
            })
            .collect();
        let s = score(&b, true, &answers);
        let p = plan(&b, true, &answers, &s);
        let shop_at = p
            .iter()
            .position(|x| x.code == shop.code)
            .expect("shop step proposed");
        for r in &shop.requires {
            let at = p
                .iter()
                .position(|x| &x.code == r)
                .expect("prerequisite proposed");
            assert!(at < shop_at);
        }
    }
}
