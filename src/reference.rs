//! Reference data shipped with the binary: territories and business sectors
//! (loaded at every migration, idempotently) and the demo themes.

use serde::Deserialize;
use sqlx::Row;

use crate::csvio;
use crate::db::{now_ms, Db};

const TERRITORIES: &str = include_str!("../seed/territories.csv");
const SECTORS: &str = include_str!("../seed/nace.csv");
const THEMES: &str = include_str!("../seed/themes.toml");

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
