//! Reference data shipped with the binary: territories and business sectors
//! (loaded at every migration, idempotently) and the demo themes.

use serde::Deserialize;
use sqlx::Row;

use crate::csvio;
use crate::db::{now_ms, Db};

const TERRITORIES: &str = include_str!("../seed/territories.csv");
const SECTORS: &str = include_str!("../seed/nace.csv");
const THEMES: &str = include_str!("../seed/themes.toml");
const TRADES: &str = include_str!("../seed/trades.csv");

/// The value of a trade in a sector picker: `metier:<code>`, read back to
/// its NACE division by [`sector_of_choice`].
pub const TRADE_PREFIX: &str = "metier:";

/// A common trade in plain words ("Boulangerie-pâtisserie"), mapped to the
/// NACE division it is registered under, so people pick their trade and
/// the programme still stores and compares NACE codes.
#[derive(Debug, Clone, Deserialize)]
pub struct Trade {
    pub code: String,
    pub nace: String,
    pub name_fr: String,
    pub name_en: String,
}

/// The shipped trades (`seed/trades.csv`), parsed once.
pub fn trades() -> &'static [Trade] {
    static TRADES_LIST: std::sync::OnceLock<Vec<Trade>> = std::sync::OnceLock::new();
    TRADES_LIST.get_or_init(|| {
        csv::Reader::from_reader(TRADES.as_bytes())
            .deserialize()
            .collect::<Result<Vec<Trade>, _>>()
            .expect("seed/trades.csv is valid")
    })
}

/// A picked sector as a NACE division code: a trade's division, or the
/// code itself (the NACE list is the fallback). Unknown trades give `None`.
pub fn sector_of_choice(value: &str) -> Option<String> {
    let value = value.trim();
    match value.strip_prefix(TRADE_PREFIX) {
        Some(code) => trades()
            .iter()
            .find(|t| t.code == code)
            .map(|t| t.nace.clone()),
        None => Some(value.to_string()).filter(|v| !v.is_empty()),
    }
}

/// A labelled group of options (`<optgroup>`).
#[derive(Debug, Clone)]
pub struct OptionGroup {
    pub label: String,
    pub options: Vec<(String, String)>,
}

/// Sort options as a French reader expects: accents, case and hyphens
/// ignored ("Alpes-de-Haute-Provence" before "Alpes-Maritimes").
pub fn sort_labels(options: &mut [(String, String)]) {
    options.sort_by_cached_key(|(_, label)| crate::text::fold(label));
}

/// The sector picker's choices: common trades first, then every NACE division.
pub async fn sector_choices(
    db: &Db,
    english: bool,
    trades_label: String,
    nace_label: String,
) -> Result<Vec<OptionGroup>, sqlx::Error> {
    let mut common: Vec<(String, String)> = trades()
        .iter()
        .map(|t| {
            let name = if english { &t.name_en } else { &t.name_fr };
            (format!("{TRADE_PREFIX}{}", t.code), name.clone())
        })
        .collect();
    sort_labels(&mut common);
    let divisions = sector_divisions(db, english)
        .await?
        .into_iter()
        .map(|(code, label, _)| (code, label))
        .collect();
    Ok(vec![
        OptionGroup {
            label: trades_label,
            options: common,
        },
        OptionGroup {
            label: nace_label,
            options: divisions,
        },
    ])
}

/// "Name (level)", without repeating a level the name already carries
/// ("Luxembourg (province)" stays as it is).
pub fn with_level(name: &str, level_label: &str) -> String {
    if crate::text::fold(name).ends_with(&crate::text::fold(level_label)) {
        name.to_string()
    } else {
        format!("{name} ({level_label})")
    }
}

/// Departments, provinces and cantons for a profile: the programme's own
/// first (covered, or inside a covered territory), then the others by
/// country, each group in French order.
pub async fn departments_by_programme(
    db: &Db,
    english: bool,
    covered: &[String],
    programme_label: String,
) -> Result<Vec<OptionGroup>, sqlx::Error> {
    let col = if english { "name_en" } else { "name_fr" };
    let rows: Vec<(String, Option<String>, String, String)> = sqlx::query_as(&format!(
        "SELECT code, parent_code, level, {col} FROM territories WHERE level <> 'commune'"
    ))
    .fetch_all(&db.pool)
    .await?;
    let nodes: std::collections::HashMap<&str, (&Option<String>, &str, &str)> = rows
        .iter()
        .map(|(c, p, l, n)| (c.as_str(), (p, l.as_str(), n.as_str())))
        .collect();
    let mut ours = vec![];
    let mut by_country: std::collections::BTreeMap<String, Vec<(String, String)>> =
        Default::default();
    for (code, _, level, name) in &rows {
        if !matches!(level.as_str(), "department" | "province" | "canton") {
            continue;
        }
        // Walk up (bounded: imported data may loop).
        let mut inside = covered.iter().any(|c| c == code);
        let mut at = code.as_str();
        for _ in 0..10 {
            match nodes.get(at).and_then(|(p, _, _)| p.as_deref()) {
                Some(p) if nodes.contains_key(p) => {
                    inside |= covered.iter().any(|c| c == p);
                    at = p;
                }
                _ => break,
            }
        }
        let option = (code.clone(), name.clone());
        if inside {
            ours.push(option);
        } else {
            let country = nodes
                .get(at)
                .map(|(_, _, n)| n.to_string())
                .unwrap_or_default();
            by_country.entry(country).or_default().push(option);
        }
    }
    let mut groups = vec![];
    if !ours.is_empty() {
        sort_labels(&mut ours);
        groups.push(OptionGroup {
            label: programme_label,
            options: ours,
        });
    }
    let mut others: Vec<OptionGroup> = by_country
        .into_iter()
        .map(|(label, mut options)| {
            sort_labels(&mut options);
            OptionGroup { label, options }
        })
        .collect();
    others.sort_by_cached_key(|g| crate::text::fold(&g.label));
    groups.extend(others);
    Ok(groups)
}

/// Territory levels, from the widest.
pub const LEVELS: [&str; 6] = [
    "country",
    "region",
    "department",
    "province",
    "canton",
    "commune",
];

/// Outcome of a territory import: rows stored and rows refused with why.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub stored: usize,
    /// (line, translation key, offending value)
    pub rejected: Vec<(usize, &'static str, String)>,
}

/// Import territories from CSV (`code,parent_code,level,name_fr,name_en`).
/// Good rows are kept, bad rows reported; existing codes are updated.
pub async fn import_territories(
    db: &Db,
    bytes: &[u8],
) -> Result<Result<ImportReport, csvio::FileError>, sqlx::Error> {
    let table = match csvio::parse(bytes, &["code", "level", "name_fr"]) {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let idx = table.index();
    let mut report = ImportReport::default();
    let mut tx = db.begin_write().await?;
    let mut known: std::collections::HashSet<String> =
        sqlx::query_scalar::<_, String>("SELECT code FROM territories")
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
    for (line, row) in &table.rows {
        let code = csvio::field(row, &idx, "code").to_uppercase();
        let parent = csvio::field(row, &idx, "parent_code").to_uppercase();
        let level = csvio::field(row, &idx, "level").to_lowercase();
        let name_fr = csvio::field(row, &idx, "name_fr");
        let name_en = Some(csvio::field(row, &idx, "name_en"))
            .filter(|s| !s.is_empty())
            .unwrap_or(name_fr);
        let problem = if code.is_empty()
            || code.len() > 40
            || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            Some(("territory-bad-code", code.clone()))
        } else if !LEVELS.contains(&level.as_str()) {
            Some(("territory-bad-level", level.clone()))
        } else if name_fr.is_empty() {
            Some(("territory-missing-name", String::new()))
        } else if level != "country" && parent.is_empty() {
            Some(("territory-missing-parent", String::new()))
        } else if !parent.is_empty() && !known.contains(&parent) {
            Some(("territory-unknown-parent", parent.clone()))
        } else {
            None
        };
        if let Some((key, value)) = problem {
            report.rejected.push((*line, key, value));
            continue;
        }
        sqlx::query(
            "INSERT INTO territories (code, parent_code, level, name_fr, name_en, search_key) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (code) DO UPDATE SET parent_code = excluded.parent_code, level = excluded.level, \
             name_fr = excluded.name_fr, name_en = excluded.name_en, search_key = excluded.search_key",
        )
        .bind(&code)
        .bind(Some(parent.as_str()).filter(|p| !p.is_empty()))
        .bind(&level)
        .bind(name_fr)
        .bind(name_en)
        .bind(crate::text::fold(&format!("{name_fr} {name_en}")))
        .execute(&mut *tx)
        .await?;
        known.insert(code);
        report.stored += 1;
    }
    if report.stored > 0 {
        crate::dashboard::store::bump_territories(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(Ok(report))
}

/// Load the shipped territories and sectors; safe to run at every start.
pub async fn ensure(db: &Db) -> anyhow::Result<()> {
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM territories")
        .fetch_one(&db.pool)
        .await?;
    if have == 0 {
        match import_territories(db, TERRITORIES.as_bytes()).await? {
            Ok(r) if r.rejected.is_empty() => {}
            Ok(r) => anyhow::bail!("seed/territories.csv has bad rows: {:?}", r.rejected),
            Err(e) => anyhow::bail!("seed/territories.csv cannot be read: {e:?}"),
        }
    }
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sectors")
        .fetch_one(&db.pool)
        .await?;
    if have == 0 {
        let table = csvio::parse(
            SECTORS.as_bytes(),
            &["code", "level", "name_fr", "name_en", "priority"],
        )
        .map_err(|e| anyhow::anyhow!("seed/nace.csv cannot be read: {e:?}"))?;
        let idx = table.index();
        let mut tx = db.begin_write().await?;
        for (_, row) in &table.rows {
            sqlx::query(
                "INSERT INTO sectors (code, parent_code, level, name_fr, name_en, priority) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (code) DO NOTHING",
            )
            .bind(csvio::field(row, &idx, "code"))
            .bind(Some(csvio::field(row, &idx, "parent_code")).filter(|p| !p.is_empty()))
            .bind(csvio::field(row, &idx, "level"))
            .bind(csvio::field(row, &idx, "name_fr"))
            .bind(csvio::field(row, &idx, "name_en"))
            .bind(i64::from(csvio::field(row, &idx, "priority") == "1"))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

#[derive(Deserialize)]
struct ThemeFile {
    theme: Vec<ThemeSeed>,
}

#[derive(Deserialize)]
struct ThemeSeed {
    slug: String,
    group: String,
    title_fr: String,
    title_en: String,
    description_fr: String,
    description_en: String,
    tags: Vec<String>,
}

/// Theme groups, in display order.
pub const THEME_GROUPS: [&str; 5] = ["sell", "manage", "customers", "security", "funding"];

/// Load the demo catalogue of themes (idempotent).
pub async fn seed_themes(db: &Db) -> anyhow::Result<usize> {
    let file: ThemeFile =
        toml::from_str(THEMES).map_err(|e| anyhow::anyhow!("seed/themes.toml: {e}"))?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    for t in &file.theme {
        if !THEME_GROUPS.contains(&t.group.as_str()) {
            anyhow::bail!(
                "seed/themes.toml: theme {} has unknown group {}",
                t.slug,
                t.group
            );
        }
        sqlx::query(
            "INSERT INTO themes (slug, theme_group, title_fr, title_en, description_fr, description_en, tags, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (slug) DO NOTHING",
        )
        .bind(&t.slug)
        .bind(&t.group)
        .bind(&t.title_fr)
        .bind(&t.title_en)
        .bind(&t.description_fr)
        .bind(&t.description_en)
        .bind(t.tags.join(", "))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(file.theme.len())
}

/// A territory for pickers: code and localised name with its parent.
#[derive(Debug, Clone)]
pub struct TerritoryOption {
    pub code: String,
    pub label: String,
}

/// Communes, labelled "Name (Department)", in the visitor's language.
pub async fn communes(db: &Db, english: bool) -> Result<Vec<TerritoryOption>, sqlx::Error> {
    let col = if english { "name_en" } else { "name_fr" };
    let rows = sqlx::query(&format!(
        "SELECT c.code, c.{col} AS name, p.{col} AS parent FROM territories c LEFT JOIN territories p ON p.code = c.parent_code \
         WHERE c.level = 'commune' ORDER BY c.{col}"
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let name: String = r.get("name");
            let parent: Option<String> = r.try_get("parent").ok().flatten();
            TerritoryOption {
                code: r.get("code"),
                label: match parent {
                    Some(p) => format!("{name} ({p})"),
                    None => name,
                },
            }
        })
        .collect())
}

/// Sector divisions labelled "47 — Retail trade", priority ones flagged.
pub async fn sector_divisions(
    db: &Db,
    english: bool,
) -> Result<Vec<(String, String, bool)>, sqlx::Error> {
    let col = if english { "name_en" } else { "name_fr" };
    let rows = sqlx::query(&format!(
        "SELECT code, {col} AS name, priority FROM sectors WHERE level = 'division' ORDER BY code"
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let code: String = r.get("code");
            let name: String = r.get("name");
            (
                code.clone(),
                format!("{code} — {name}"),
                r.get::<i64, _>("priority") == 1,
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trades_map_to_shipped_divisions_and_sort_in_french() {
        assert!(trades().len() >= 60);
        for t in trades() {
            assert!(
                SECTORS
                    .lines()
                    .any(|l| l.starts_with(&format!("{},", t.nace)) && l.contains(",division,")),
                "{} maps to a NACE division",
                t.code
            );
        }
        assert_eq!(sector_of_choice("metier:coiffure").as_deref(), Some("96"));
        assert_eq!(sector_of_choice("metier:nope"), None);
        assert_eq!(sector_of_choice("47").as_deref(), Some("47"));
        let mut o = vec![
            ("06".to_string(), "Alpes-Maritimes".to_string()),
            ("04".to_string(), "Alpes-de-Haute-Provence".to_string()),
            ("01".to_string(), "Ain".to_string()),
        ];
        sort_labels(&mut o);
        assert_eq!(o[1].1, "Alpes-de-Haute-Provence");
        assert_eq!(
            with_level("Luxembourg (province)", "province"),
            "Luxembourg (province)"
        );
        assert_eq!(
            with_level("Gironde", "département"),
            "Gironde (département)"
        );
    }

    #[test]
    fn shipped_files_parse() {
        let t = csvio::parse(
            TERRITORIES.as_bytes(),
            &["code", "parent_code", "level", "name_fr", "name_en"],
        )
        .unwrap();
        assert!(t.rows.len() > 200);
        let s = csvio::parse(SECTORS.as_bytes(), &["code", "level", "priority"]).unwrap();
        assert_eq!(s.rows.len(), 21 + 88);
        let themes: ThemeFile = toml::from_str(THEMES).unwrap();
        assert!(themes.theme.len() >= 30);
        assert!(themes
            .theme
            .iter()
            .all(|t| THEME_GROUPS.contains(&t.group.as_str())));
    }
}
