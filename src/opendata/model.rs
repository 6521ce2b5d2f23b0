//! Open data: the licences a programme may publish under, the datasets and
//! their envelope (publisher, licence, stable ids, update times).

use serde::Serialize;

/// Licence of the published data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Licence {
    /// Licence Ouverte / Open Licence 2.0 (Etalab).
    Etalab2,
    CcBy4,
    Odbl,
    Cc0,
}

impl Licence {
    pub const ALL: [Licence; 4] = [
        Licence::Etalab2,
        Licence::CcBy4,
        Licence::Odbl,
        Licence::Cc0,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Licence::Etalab2 => "etalab-2.0",
            Licence::CcBy4 => "cc-by-4.0",
            Licence::Odbl => "odbl-1.0",
            Licence::Cc0 => "cc0-1.0",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Licence::Etalab2 => "od-licence-etalab",
            Licence::CcBy4 => "od-licence-ccby",
            Licence::Odbl => "od-licence-odbl",
            Licence::Cc0 => "od-licence-cc0",
        }
    }

    /// Name as written in the data (not translated).
    pub fn name(self) -> &'static str {
        match self {
            Licence::Etalab2 => "Licence Ouverte / Open Licence 2.0",
            Licence::CcBy4 => "Creative Commons Attribution 4.0",
            Licence::Odbl => "Open Database License 1.0",
            Licence::Cc0 => "Creative Commons Zero 1.0",
        }
    }

    pub fn url(self) -> &'static str {
        match self {
            Licence::Etalab2 => "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            Licence::CcBy4 => "https://creativecommons.org/licenses/by/4.0/",
            Licence::Odbl => "https://opendatacommons.org/licenses/odbl/1-0/",
            Licence::Cc0 => "https://creativecommons.org/publicdomain/zero/1.0/",
        }
    }

    pub fn parse(code: &str) -> Option<Licence> {
        Licence::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// The licence as the JSON documents carry it.
#[derive(Debug, Serialize)]
pub struct LicenceRef {
    pub id: &'static str,
    pub name: &'static str,
    pub url: &'static str,
}

impl From<Licence> for LicenceRef {
    fn from(l: Licence) -> Self {
        LicenceRef {
            id: l.code(),
            name: l.name(),
            url: l.url(),
        }
    }
}

/// Every JSON dataset: who publishes it, under what licence, when it last
/// changed, and its items (each with a stable `id` and `updated_at`).
#[derive(Debug, Serialize)]
pub struct Envelope<T: Serialize> {
    pub dataset: &'static str,
    pub publisher: String,
    pub licence: LicenceRef,
    /// This instance's identifier (a federated agenda uses it to refuse itself).
    pub instance: String,
    pub generated_at: String,
    pub updated_at: Option<String>,
    pub items: Vec<T>,
}

/// A session of the agenda.
#[derive(Debug, Serialize)]
pub struct AgendaItem {
    pub id: i64,
    pub uid: String,
    pub title: String,
    pub title_en: String,
    pub start: String,
    pub end: String,
    pub location: String,
    pub online: bool,
    pub status: String,
    pub url: String,
    pub updated_at: String,
}

/// A published practical guide.
#[derive(Debug, Serialize)]
pub struct GuideItem {
    pub id: i64,
    pub slug: String,
    pub title_fr: String,
    pub title_en: String,
    pub summary_fr: String,
    pub summary_en: String,
    pub level: String,
    pub url: String,
    pub updated_at: String,
}

/// A published funding scheme.
#[derive(Debug, Serialize)]
pub struct SchemeItem {
    pub id: i64,
    pub slug: String,
    pub title_fr: String,
    pub title_en: String,
    pub summary_fr: String,
    pub summary_en: String,
    pub opens_on: String,
    pub closes_on: String,
    pub link: String,
    pub url: String,
    pub updated_at: String,
}

/// A headline figure with the rule that counts it.
#[derive(Debug, Serialize, Clone)]
pub struct IndicatorItem {
    pub id: std::borrow::Cow<'static, str>,
    pub label_fr: String,
    pub label_en: String,
    pub value: i64,
    /// The SQL that counts it, or the dashboard's rule in words.
    pub rule: std::borrow::Cow<'static, str>,
}

/// One dataset of the catalogue: (id, title key, [(format, path)]).
pub type Dataset = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// The datasets the catalogue page lists.
pub const DATASETS: &[Dataset] = &[
    (
        "agenda",
        "od-dataset-agenda",
        &[
            ("JSON", "/donnees-ouvertes/agenda.json"),
            ("iCalendar", "/ateliers/agenda.ics"),
        ],
    ),
    (
        "providers",
        "od-dataset-providers",
        &[
            ("JSON", "/annuaire/export.json"),
            ("CSV", "/annuaire/export.csv"),
        ],
    ),
    (
        "guides",
        "od-dataset-guides",
        &[
            ("JSON", "/donnees-ouvertes/fiches.json"),
            ("CSV", "/donnees-ouvertes/fiches.csv"),
        ],
    ),
    (
        "testimonies",
        "od-dataset-testimonies",
        &[
            ("JSON", "/donnees-ouvertes/temoignages.json"),
            ("CSV", "/donnees-ouvertes/temoignages.csv"),
        ],
    ),
    (
        "schemes",
        "od-dataset-schemes",
        &[
            ("JSON", "/donnees-ouvertes/aides.json"),
            ("CSV", "/aides/export.csv"),
        ],
    ),
    (
        "indicators",
        "od-dataset-indicators",
        &[
            ("JSON", "/donnees-ouvertes/indicateurs.json"),
            ("CSV", "/donnees-ouvertes/indicateurs.csv"),
        ],
    ),
];
