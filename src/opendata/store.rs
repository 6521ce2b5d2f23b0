//! Every SQL statement of open data (read-only over the other features'
//! tables, plus the programme's licence).

use super::model::{IndicatorItem, Licence};
use crate::db::{now_ms, Db};

pub async fn licence(db: &Db, programme_id: Option<i64>) -> Result<Licence, sqlx::Error> {
    let Some(id) = programme_id else {
        return Ok(Licence::Etalab2);
    };
    let code: Option<String> = sqlx::query_scalar("SELECT licence FROM programmes WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(code
        .and_then(|c| Licence::parse(&c))
        .unwrap_or(Licence::Etalab2))
}

pub async fn set_licence(db: &Db, programme_id: i64, l: Licence) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE programmes SET licence = $1, updated_at = $2 WHERE id = $3")
        .bind(l.code())
        .bind(now_ms())
        .bind(programme_id)
        .execute(&db.writer)
        .await?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
pub struct GuideRow {
    pub id: i64,
    pub slug: String,
    pub title_fr: String,
    pub title_en: String,
    pub summary_fr: String,
    pub summary_en: String,
    pub level: String,
    pub updated_at: i64,
}

pub async fn guides(db: &Db) -> Result<Vec<GuideRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, slug, title_fr, title_en, summary_fr, summary_en, level, updated_at \
         FROM guides WHERE status = 'published' ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct SchemeRow {
    pub id: i64,
    pub slug: String,
    pub title_fr: String,
    pub title_en: String,
    pub summary_fr: String,
    pub summary_en: String,
    pub opens_on: String,
    pub closes_on: String,
    pub link: String,
    pub updated_at: i64,
}

pub async fn schemes(db: &Db) -> Result<Vec<SchemeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, slug, title_fr, title_en, summary_fr, summary_en, opens_on, closes_on, link, updated_at \
         FROM funding_schemes WHERE status = 'published' ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
}

async fn count(db: &Db, sql: &str, now: i64) -> Result<i64, sqlx::Error> {
    let n: i64 = if sql.contains("$1") {
        sqlx::query_scalar(sql)
            .bind(now)
            .fetch_one(&db.pool)
            .await?
    } else {
        sqlx::query_scalar(sql).fetch_one(&db.pool).await?
    };
    Ok(n)
}

/// Headline figures anyone may read: simple counts, each with its rule.
/// The full indicators (targets, breakdowns, small-cell hiding) belong to
/// the dashboard; this is the public seam.
pub async fn indicators(db: &Db, now: i64) -> Result<Vec<IndicatorItem>, sqlx::Error> {
    const RULES: &[(&str, &str, &str, &str)] = &[
        (
            "sessions_held",
            "Ateliers tenus",
            "Workshop sessions held",
            "SELECT COUNT(*) FROM workshop_sessions WHERE status = 'scheduled' AND ends_at < $1",
        ),
        (
            "sessions_planned",
            "Ateliers à venir",
            "Upcoming workshop sessions",
            "SELECT COUNT(*) FROM workshop_sessions WHERE status = 'scheduled' AND starts_at >= $1",
        ),
        (
            "attendees",
            "Présences aux ateliers",
            "Workshop attendances",
            "SELECT COUNT(*) FROM workshop_registrations WHERE attendance = 'present'",
        ),
        (
            "diagnostics_completed",
            "Diagnostics terminés",
            "Diagnostics completed",
            "SELECT COUNT(*) FROM diagnostics WHERE status = 'submitted'",
        ),
        (
            "businesses_diagnosed",
            "Entreprises diagnostiquées",
            "Businesses diagnosed",
            "SELECT COUNT(DISTINCT business_id) FROM diagnostics WHERE status = 'submitted' AND business_id IS NOT NULL",
        ),
        (
            "providers_listed",
            "Prestataires dans l'annuaire",
            "Providers in the directory",
            "SELECT COUNT(*) FROM providers WHERE status = 'published'",
        ),
        (
            "guides_published",
            "Fiches pratiques publiées",
            "Practical guides published",
            "SELECT COUNT(*) FROM guides WHERE status = 'published'",
        ),
        (
            "schemes_published",
            "Aides publiées",
            "Funding schemes published",
            "SELECT COUNT(*) FROM funding_schemes WHERE status = 'published'",
        ),
    ];
    let mut out = Vec::with_capacity(RULES.len());
    for (id, fr, en, sql) in RULES {
        out.push(IndicatorItem {
            id: (*id).into(),
            label_fr: (*fr).to_string(),
            label_en: (*en).to_string(),
            value: count(db, sql, now).await?,
            rule: (*sql).into(),
        });
    }
    Ok(out)
}

/// When each dataset last changed (Unix ms), by dataset id.
pub async fn updated(db: &Db) -> Result<Vec<(&'static str, Option<i64>)>, sqlx::Error> {
    let max = |sql: &'static str| async move {
        sqlx::query_scalar::<_, Option<i64>>(sql)
            .fetch_one(&db.pool)
            .await
    };
    Ok(vec![
        (
            "agenda",
            max("SELECT MAX(updated_at) FROM workshop_sessions").await?,
        ),
        (
            "providers",
            max("SELECT MAX(updated_at) FROM providers WHERE status = 'published'").await?,
        ),
        (
            "guides",
            max("SELECT MAX(updated_at) FROM guides WHERE status = 'published'").await?,
        ),
        (
            "testimonies",
            max("SELECT MAX(updated_at) FROM testimonies WHERE status = 'published' AND consent_at IS NOT NULL").await?,
        ),
        (
            "schemes",
            max("SELECT MAX(updated_at) FROM funding_schemes WHERE status = 'published'").await?,
        ),
        ("indicators", Some(now_ms())),
    ])
}
