//! The scheduled sessions still to come, kept in memory (a read model, see
//! `kept.rs`): what an action plan's steps lead to. A results page asks,
//! for each theme of its plan, the few sessions nearest the business, then
//! the soonest; answered here with no query instead of ranking every
//! upcoming session of those themes in SQL on every page.

use std::collections::HashMap;

use sqlx::Row;

use crate::db::Db;
use crate::kept::{Reading, Source};

/// One upcoming session, as a plan step shows it.
pub struct Line {
    pub id: i64,
    pub starts_at: i64,
    pub title_fr: Box<str>,
    pub title_en: Box<str>,
    /// The commune, as a number of [`Upcoming::codes`] (0: none).
    commune: u32,
    /// The commune's parent (its department or province), likewise.
    department: u32,
    /// The commune's French name.
    pub commune_name: Option<Box<str>>,
    /// Held online only: no venue nor address, a link.
    pub online: bool,
}

/// A theme's sessions, soonest first (then by id).
pub struct Theme {
    pub title_fr: Box<str>,
    pub title_en: Box<str>,
    lines: Vec<Line>,
}

/// Every scheduled session starting after the read, by theme slug.
#[derive(Default)]
pub struct Upcoming {
    themes: HashMap<Box<str>, Theme>,
    /// Territory codes the sessions name, numbered from 1: a plan's places
    /// are looked up once, then each session is ranked by comparing numbers.
    codes: HashMap<Box<str>, u32>,
}

/// The number of territory `code` in `codes`, given one if new (0: none).
fn number(codes: &mut HashMap<Box<str>, u32>, code: Option<String>) -> u32 {
    let Some(code) = code else { return 0 };
    let next = codes.len() as u32 + 1;
    *codes.entry(code.into()).or_insert(next)
}

impl Source for Upcoming {
    const NAME: &'static str = "upcoming sessions";

    fn fingerprint(db: Db) -> Reading<Vec<i64>> {
        Box::pin(async move {
            // A session added or removed moves the count, an edit its version
            // (and calendar sequence), a cancellation the sum of scheduled ids.
            let row = sqlx::query(
                "SELECT COUNT(*), CAST(COALESCE(SUM(version + sequence), 0) AS BIGINT), \
                 CAST(COALESCE(SUM(CASE WHEN status = 'scheduled' THEN id ELSE 0 END), 0) AS BIGINT) \
                 FROM workshop_sessions",
            )
            .fetch_one(&db.pool)
            .await?;
            Ok(vec![row.try_get(0)?, row.try_get(1)?, row.try_get(2)?])
        })
    }

    fn load(db: Db) -> Reading<Upcoming> {
        Box::pin(async move {
            let rows = sqlx::query(
                "SELECT s.id, t.slug, t.title_fr AS theme_fr, t.title_en AS theme_en, s.title_fr, s.title_en, \
                 s.starts_at, s.commune_code, c.parent_code, c.name_fr, \
                 CAST(CASE WHEN s.venue = '' AND s.address = '' AND s.online_url <> '' THEN 1 ELSE 0 END AS BIGINT) AS online \
                 FROM workshop_sessions s JOIN themes t ON t.id = s.theme_id \
                 LEFT JOIN territories c ON c.code = s.commune_code \
                 WHERE s.status = 'scheduled' AND s.starts_at > $1 ORDER BY s.starts_at, s.id",
            )
            .bind(crate::db::now_ms())
            .fetch_all(&db.pool)
            .await?;
            let mut themes: HashMap<Box<str>, Theme> = HashMap::new();
            let mut codes = HashMap::new();
            let text =
                |r: &sqlx::any::AnyRow, col: &str| -> Result<Option<Box<str>>, sqlx::Error> {
                    Ok(r.try_get::<Option<String>, _>(col)?.map(Box::from))
                };
            for r in &rows {
                let slug: String = r.try_get("slug")?;
                let theme = match themes.get_mut(slug.as_str()) {
                    Some(t) => t,
                    None => themes.entry(Box::from(slug.as_str())).or_insert(Theme {
                        title_fr: r.try_get::<String, _>("theme_fr")?.into(),
                        title_en: r.try_get::<String, _>("theme_en")?.into(),
                        lines: vec![],
                    }),
                };
                theme.lines.push(Line {
                    id: r.try_get("id")?,
                    starts_at: r.try_get("starts_at")?,
                    title_fr: r.try_get::<String, _>("title_fr")?.into(),
                    title_en: r.try_get::<String, _>("title_en")?.into(),
                    commune: number(&mut codes, r.try_get("commune_code")?),
                    department: number(&mut codes, r.try_get("parent_code")?),
                    commune_name: text(r, "name_fr")?,
                    online: r.try_get::<i64, _>("online")? == 1,
                });
            }
            for t in themes.values_mut() {
                t.lines.shrink_to_fit();
            }
            codes.shrink_to_fit();
            Ok(Upcoming { themes, codes })
        })
    }

    fn items(&self) -> usize {
        self.themes.values().map(|t| t.lines.len()).sum()
    }
}

impl Upcoming {
    /// The theme `slug`, when a session of it is to come.
    pub fn theme(&self, slug: &str) -> Option<&Theme> {
        self.themes.get(slug)
    }

    /// At most `per` sessions of `theme` starting after `now`, nearest to
    /// `places` first: in the same commune (0), the same department (1),
    /// online (2), a department whose parent is one of the places' parents
    /// (3); then the soonest, then by id. Sessions elsewhere are left out.
    /// `places` is a territory and its ancestors, nearest first (so the
    /// places' parents are the places after the first); with no place,
    /// every session ranks the same.
    pub fn nearest<'a>(
        &'a self,
        theme: &str,
        places: &[String],
        now: i64,
        per: usize,
    ) -> Vec<&'a Line> {
        let Some(t) = self.themes.get(theme) else {
            return vec![];
        };
        // A place no session names never matches (`u32::MAX`; 0 is none).
        let numbers: Vec<u32> = places
            .iter()
            .map(|p| self.codes.get(p.as_str()).copied().unwrap_or(u32::MAX))
            .collect();
        let parents = numbers.get(1..).unwrap_or(&[]);
        let rank = |l: &Line| -> Option<usize> {
            if places.is_empty() || numbers.contains(&l.commune) {
                Some(0)
            } else if numbers.contains(&l.department) {
                Some(1)
            } else if l.online {
                Some(2)
            } else if parents.contains(&l.department) {
                Some(3)
            } else {
                None
            }
        };
        // The first `per` of each rank in time order, then the ranks in turn.
        let mut ranks: [Vec<&Line>; 4] = Default::default();
        for l in t.lines.iter().filter(|l| l.starts_at > now) {
            if let Some(r) = rank(l) {
                if ranks[r].len() < per {
                    ranks[r].push(l);
                }
                if ranks[0].len() >= per {
                    break;
                }
            }
        }
        ranks.into_iter().flatten().take(per).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(
        codes: &mut HashMap<Box<str>, u32>,
        id: i64,
        starts_at: i64,
        commune: Option<&str>,
        department: Option<&str>,
        online: bool,
    ) -> Line {
        Line {
            id,
            starts_at,
            title_fr: "".into(),
            title_en: "".into(),
            commune: number(codes, commune.map(String::from)),
            department: number(codes, department.map(String::from)),
            commune_name: None,
            online,
        }
    }

    fn ids(lines: Vec<&Line>) -> Vec<i64> {
        lines.into_iter().map(|l| l.id).collect()
    }

    #[test]
    fn nearest_sessions_come_first_then_the_soonest_and_far_ones_never() {
        let mut themes = HashMap::new();
        let mut codes = HashMap::new();
        let mut line = |id, at, commune, department, online| {
            line(&mut codes, id, at, commune, department, online)
        };
        themes.insert(
            Box::from("site-vitrine"),
            Theme {
                title_fr: "Site vitrine".into(),
                title_en: "Website".into(),
                lines: vec![
                    line(1, 10, None, None, true),                     // online, soonest
                    line(2, 20, Some("75056"), Some("FR-D75"), false), // another region
                    line(3, 30, Some("33063"), Some("FR-D33"), false), // same department
                    line(4, 40, Some("33001"), Some("FR-D33"), false), // same commune
                    line(5, 50, Some("33001"), Some("FR-D33"), false), // same commune, later
                    line(6, 5, Some("33001"), Some("FR-D33"), false),  // already started
                ],
            },
        );
        let up = Upcoming { themes, codes };
        let places: Vec<String> = ["33001", "FR-D33", "FR-R75", "FR"].map(String::from).into();
        assert_eq!(
            ids(up.nearest("site-vitrine", &places, 8, 3)),
            vec![4, 5, 3]
        );
        assert_eq!(
            ids(up.nearest("site-vitrine", &places, 8, 5)),
            vec![4, 5, 3, 1]
        );
        // A business known by its department only.
        let department: Vec<String> = ["FR-D33", "FR-R75", "FR"].map(String::from).into();
        assert_eq!(
            ids(up.nearest("site-vitrine", &department, 8, 5)),
            vec![3, 4, 5, 1]
        );
        // Nowhere known: the soonest of all.
        assert_eq!(ids(up.nearest("site-vitrine", &[], 8, 2)), vec![1, 2]);
        assert!(up.nearest("reseaux-sociaux", &places, 8, 3).is_empty());
    }
}
