//! Where each step of the action plan leads, from the same theme vocabulary:
//! the next workshops on its theme nearest to the business (online ones
//! included), the practical guides, the funding schemes it is eligible for
//! (or could be, with what is missing) and the providers serving its
//! territory. When nothing matches, what to do instead. Answered from
//! memory, whatever the number of steps: the sessions to come
//! (`workshops::upcoming`), the guides and schemes ([`Catalogue`]) and the
//! directory's snapshot are read models kept in step with the database; a
//! page reads only the business's facts and places.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;
use std::sync::Arc;

use crate::db::{now_ms, Db};
use crate::diagnostic::store::Diagnostic;
use crate::directory::index::Snapshots;
use crate::funding::eligibility::Rule;
use crate::funding::model::{evaluate, overall, Facts, Outcome};
use crate::funding::store::SchemeRow;
use crate::guides::model::unpack;
use crate::i18n::{Locale, Tr};
use crate::kept::{Reading, Source};
use crate::kernel::dates;
use crate::state::AppState;

/// Most links of one kind under a step.
const PER_KIND: usize = 3;

/// One link under a plan step.
#[derive(Debug, Clone)]
pub struct Help {
    pub href: String,
    pub label: String,
    /// When, where, eligibility or what is missing.
    pub note: String,
    /// `met`, `unknown`, `not_met` for schemes; empty otherwise.
    pub outcome: &'static str,
}

/// What one theme of the plan leads to.
#[derive(Debug, Clone, Default)]
pub struct StepHelps {
    pub workshops: Vec<Help>,
    pub guides: Vec<Help>,
    pub schemes: Vec<Help>,
    pub providers: Vec<Help>,
}

impl StepHelps {
    /// What to do when a kind has nothing: (kind, link, text).
    pub fn instead(&self, tr: Tr, theme: &str) -> Vec<(&'static str, String, String)> {
        let mut out = vec![];
        if self.workshops.is_empty() {
            out.push((
                "workshops",
                format!("/ateliers?theme={theme}"),
                tr.t("diag-instead-workshops"),
            ));
        }
        if self.guides.is_empty() {
            out.push(("guides", "/contact".into(), tr.t("diag-instead-guides")));
        }
        if self.schemes.is_empty() {
            out.push(("funding", "/contact".into(), tr.t("diag-instead-funding")));
        }
        if self.providers.is_empty() {
            out.push((
                "providers",
                "/besoins/nouveau".into(),
                tr.t("diag-instead-providers"),
            ));
        }
        out
    }
}

/// The published guides and funding schemes action plans lead to: a read
/// model (`kept.rs`) checked every few seconds, so a results page does not
/// read them again. Guides most read first (that order is as fresh as the
/// last read, ten minutes at most), schemes closing soonest first.
pub struct Catalogue {
    guides: Vec<Guide>,
    schemes: Vec<Scheme>,
}

/// A published guide, its lists unpacked once when the catalogue is read.
struct Guide {
    slug: String,
    title_fr: String,
    title_en: String,
    themes: Vec<String>,
    sectors: Vec<String>,
    territories: Vec<String>,
}

/// A published scheme, its rules and themes read once when the catalogue is read.
struct Scheme {
    row: SchemeRow,
    rules: Vec<Rule>,
    themes: Vec<String>,
}

impl Source for Catalogue {
    const NAME: &'static str = "guides and funding schemes";

    /// A guide or scheme added, removed, edited (its version), published
    /// or withdrawn (the sum of published ids) moves it.
    fn fingerprint(db: Db) -> Reading<Vec<i64>> {
        Box::pin(async move {
            let of = |table: &str| {
                format!(
                    "(SELECT CAST(COUNT(*) + COALESCE(SUM(version), 0) AS BIGINT) FROM {table}), \
                     (SELECT CAST(COALESCE(SUM(CASE WHEN status = 'published' THEN id ELSE 0 END), 0) AS BIGINT) FROM {table})"
                )
            };
            let (a, b, c, d): (i64, i64, i64, i64) = sqlx::query_as(&format!(
                "SELECT {}, {}",
                of("guides"),
                of("funding_schemes")
            ))
            .fetch_one(&db.pool)
            .await?;
            Ok(vec![a, b, c, d])
        })
    }

    fn load(db: Db) -> Reading<Catalogue> {
        Box::pin(async move {
            let guides: Vec<GuideLine> = sqlx::query_as(
                "SELECT slug, title_fr, title_en, themes, sectors, territories FROM guides WHERE status = 'published' ORDER BY reads DESC, title_fr",
            )
            .fetch_all(&db.pool)
            .await?;
            let guides = guides
                .into_iter()
                .map(|g| Guide {
                    themes: unpack(&g.themes),
                    sectors: unpack(&g.sectors),
                    territories: unpack(&g.territories),
                    slug: g.slug,
                    title_fr: g.title_fr,
                    title_en: g.title_en,
                })
                .collect();
            let schemes = crate::funding::store::every_published(&db)
                .await?
                .into_iter()
                .map(|row| Scheme {
                    rules: row.rules(),
                    themes: unpack(&row.themes),
                    row,
                })
                .collect();
            Ok(Catalogue { guides, schemes })
        })
    }

    fn items(&self) -> usize {
        self.guides.len() + self.schemes.len()
    }
}

#[derive(sqlx::FromRow)]
struct GuideLine {
    slug: String,
    title_fr: String,
    title_en: String,
    themes: String,
    sectors: String,
    territories: String,
}

/// The business's facts (or, for an anonymous diagnostic, those its profile gives).
async fn facts_for(
    db: &Db,
    snaps: &Arc<Snapshots>,
    d: &Diagnostic,
    today: &str,
    tz: &jiff::tz::TimeZone,
) -> Result<Facts, sqlx::Error> {
    if let Some(b) = d.business_id {
        if let Some(f) = crate::funding::store::facts(db, snaps, b, today, tz).await? {
            return Ok(f);
        }
    }
    // The commune when given (it ranks the same town's workshops first),
    // else the department chosen.
    let place = d.commune_code.as_deref().or(d.territory_code.as_deref());
    let places = match place {
        Some(t) => crate::directory::plan::places(db, snaps, t).await?,
        None => vec![],
    };
    Ok(Facts {
        places,
        sector: d.sector_code.clone().filter(|s| !s.is_empty()),
        size_band: d.size_band.clone().filter(|s| !s.is_empty()),
        last_diagnostic_on: d.submitted_at.map(|ms| dates::date_input(tz, ms)),
        today: today.to_string(),
        ..Default::default()
    })
}

/// Where the plan's themes lead for the business of diagnostic `d`.
pub async fn load(
    state: &AppState,
    d: &Diagnostic,
    themes: &BTreeSet<String>,
    tr: Tr,
    timezone: &str,
) -> Result<HashMap<String, StepHelps>, sqlx::Error> {
    let (db, snaps) = (&state.db, &state.directory.snapshot);
    let mut out: HashMap<String, StepHelps> = themes
        .iter()
        .map(|t| (t.clone(), StepHelps::default()))
        .collect();
    if themes.is_empty() {
        return Ok(out);
    }
    let tz = dates::zone(timezone);
    let now = now_ms();
    let today = dates::date_input(&tz, now);
    let facts = facts_for(db, snaps, d, &today, &tz).await?;
    let en = tr.0 == Locale::En;
    let slugs: Vec<&String> = themes.iter().collect();

    // Workshops: per theme, the nearest first (same commune, same
    // department, online, elsewhere in the region), then the soonest; from
    // the sessions to come kept in memory (`workshops::upcoming`).
    let upcoming = state.workshops.upcoming.get(db).await?;
    for slug in &slugs {
        let (Some(h), Some(theme)) = (out.get_mut(*slug), upcoming.theme(slug)) else {
            continue;
        };
        for s in upcoming.nearest(slug, &facts.places, now, PER_KIND) {
            let title = match (en, s.title_en.is_empty(), s.title_fr.is_empty()) {
                (true, false, _) => &s.title_en,
                (false, _, false) => &s.title_fr,
                _ if en => &theme.title_en,
                _ => &theme.title_fr,
            };
            let place = if s.online {
                tr.t("diag-help-online")
            } else {
                s.commune_name.as_deref().unwrap_or_default().to_string()
            };
            // "date · hh:mm · place", the place when known.
            let when = dates::zoned(&tz, s.starts_at);
            let mut note = dates::short_date(tr.0, when.date());
            let _ = write!(note, " · {:02}:{:02}", when.hour(), when.minute());
            if !place.is_empty() {
                note.push_str(" · ");
                note.push_str(&place);
            }
            h.workshops.push(Help {
                href: format!("/ateliers/{}", s.id),
                label: title.to_string(),
                note,
                outcome: "",
            });
        }
    }

    // Guides for the business's sector and territory, most read first;
    // guides and schemes from the catalogue kept in memory.
    let catalogue = state.diagnostic.catalogue.get(db).await?;
    let guides = &catalogue.guides;
    for g in guides {
        let (sectors, territories) = (&g.sectors, &g.territories);
        let fits_sector = sectors.is_empty()
            || facts
                .sector
                .as_ref()
                .is_none_or(|s| sectors.iter().any(|x| s.starts_with(x.as_str())));
        let fits_place = territories.is_empty()
            || facts.places.is_empty()
            || territories.iter().any(|t| facts.places.contains(t));
        if !fits_sector || !fits_place {
            continue;
        }
        for t in &g.themes {
            if let Some(h) = out.get_mut(t) {
                if h.guides.len() < PER_KIND {
                    h.guides.push(Help {
                        href: format!("/fiches/{}", g.slug),
                        label: if en { &g.title_en } else { &g.title_fr }.clone(),
                        note: String::new(),
                        outcome: "",
                    });
                }
            }
        }
    }

    // Schemes open today whose perimeter covers the business: eligible ones
    // first, then those it could be eligible for (with what is missing).
    let schemes = catalogue
        .schemes
        .iter()
        .filter(|s| s.row.closes_on.is_empty() || s.row.closes_on.as_str() >= today.as_str())
        .take(crate::funding::store::MOST_PUBLISHED);
    let mut judged: Vec<(u8, Help, &[String])> = vec![];
    for Scheme {
        row: s,
        rules,
        themes,
    } in schemes
    {
        if !facts.places.is_empty()
            && !facts.places.contains(&s.perimeter_code)
            && s.perimeter_code != "FR"
        {
            continue;
        }
        let checks: Vec<_> = rules.iter().map(|r| evaluate(r, &facts)).collect();
        let o = overall(&checks);
        // A rule not met that nothing the business can do changes rules the scheme out.
        if o == Outcome::NotMet
            && checks
                .iter()
                .any(|c| c.outcome == Outcome::NotMet && c.missing_key.is_none())
        {
            continue;
        }
        let missing: Vec<String> = checks
            .iter()
            .filter(|c| c.outcome != Outcome::Met)
            .filter_map(|c| c.missing_key.map(|k| tr.t(k)))
            .collect();
        let rank = match o {
            Outcome::Met => 0,
            Outcome::Unknown => 1,
            Outcome::NotMet => 2,
        };
        let mut note = tr.t(match o {
            Outcome::Met => "diag-help-eligible",
            _ => "diag-help-could-be",
        });
        if !missing.is_empty() {
            note = format!("{note} {}", missing.join(" "));
        }
        judged.push((
            rank,
            Help {
                href: format!("/aides/{}", s.slug),
                label: s.title(tr.0).to_string(),
                note,
                outcome: o.code(),
            },
            themes,
        ));
    }
    judged.sort_by_key(|(r, _, _)| *r);
    for (_, help, scheme_themes) in judged {
        for t in scheme_themes {
            if let Some(h) = out.get_mut(t) {
                if h.schemes.len() < PER_KIND {
                    h.schemes.push(help.clone());
                }
            }
        }
    }

    // Providers serving the business's territory (or working remotely),
    // from the directory's in-memory snapshot.
    let picks =
        crate::directory::plan::providers(db, snaps, &slugs, &facts.places, PER_KIND).await?;
    for (theme, list) in picks {
        if let Some(h) = out.get_mut(&theme) {
            h.providers = list
                .into_iter()
                .map(|p| Help {
                    href: format!("/annuaire/{}", p.id),
                    label: p.name,
                    note: if p.local {
                        tr.t("diag-help-local")
                    } else {
                        tr.t("diag-help-remote")
                    },
                    outcome: "",
                })
                .collect();
        }
    }
    Ok(out)
}
