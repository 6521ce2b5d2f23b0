//! A home for every role after login (`/accueil`): what the signed-in
//! person has to do next, with links only to pages their roles open.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::model::{self, DAY_MS};
use super::owner::{shared_files, SharedFile};
use super::pages::user_of;
use super::store;
use crate::auth::Role;
use crate::db::{now_ms, Db};
use crate::web::{page, AppError, PageCtx};

/// One of the adviser's files with what is due.
pub struct FileLine {
    pub id: i64,
    pub business: String,
    pub status: String,
    pub overdue: i64,
    pub next_due: String,
}

/// A dated line linking to a file.
pub struct Dated {
    pub case_id: i64,
    pub title: String,
    pub business: String,
    pub when: String,
}

/// The business owner's part.
pub struct OwnerPart {
    pub business: String,
    pub diagnostics: usize,
    pub last_score: Option<String>,
    pub registrations: Vec<(String, String)>,
    pub needs: i64,
    pub files: Vec<SharedFile>,
}

/// The adviser's part.
pub struct AdviserPart {
    pub files: Vec<FileLine>,
    pub requests: i64,
    pub week: Vec<Dated>,
    pub referrals: Vec<Dated>,
}

/// The programme manager's part: what waits.
pub struct ManagerPart {
    pub unassigned: i64,
    pub moderation: i64,
    pub sessions: Vec<(String, String, i64)>,
    pub idle: i64,
}

/// The funder's part: aggregates only.
pub struct FunderPart {
    pub open: i64,
    pub closed: i64,
    /// "FAFCEA: 3 h delivered".
    pub hours: Vec<String>,
}

#[derive(Template)]
#[template(path = "cases/home.html")]
struct HomePage {
    ctx: PageCtx,
    name: String,
    owner: Option<OwnerPart>,
    owner_without_business: bool,
    adviser: Option<AdviserPart>,
    manager: Option<ManagerPart>,
    speaker: Option<i64>,
    provider: Option<i64>,
    funder: Option<FunderPart>,
}

async fn owner_part(db: &Db, ctx: &PageCtx, user_id: i64) -> Result<Option<OwnerPart>, AppError> {
    let Some(b) = crate::business::store::for_member(db, user_id).await? else {
        return Ok(None);
    };
    let series = crate::diagnostic::store::series(db, Some(b.id), None).await?;
    let title = crate::kernel::bilingual::column(ctx.tr.0, "title_fr", "title_en");
    let regs: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT t.{title}, s.starts_at FROM workshop_registrations r JOIN workshop_sessions s ON s.id = r.session_id \
         JOIN themes t ON t.id = s.theme_id WHERE (r.business_id = $1 OR r.user_id = $2) AND r.status IN ('confirmed', 'waiting', 'offered', 'pending') \
         AND s.starts_at >= $3 ORDER BY s.starts_at LIMIT 10"
    ))
    .bind(b.id)
    .bind(user_id)
    .bind(now_ms())
    .fetch_all(&db.pool)
    .await?;
    let needs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM needs WHERE business_id = $1")
        .bind(b.id)
        .fetch_one(&db.pool)
        .await?;
    Ok(Some(OwnerPart {
        diagnostics: series.len(),
        last_score: series
            .last()
            .and_then(|d| d.scores.as_ref())
            .and_then(|s| s.overall)
            .map(|s| format!("{s:.0}")),
        registrations: regs
            .into_iter()
            .map(|(t, at)| (t, ctx.datetime(at)))
            .collect(),
        needs,
        files: shared_files(db, ctx, b.id).await?,
        business: b.name,
    }))
}

async fn adviser_part(db: &Db, ctx: &PageCtx, user_id: i64) -> Result<AdviserPart, AppError> {
    let now = now_ms();
    let files = store::list(db, Some(user_id), None, true, now, 50)
        .await?
        .into_iter()
        .map(|r| FileLine {
            id: r.id,
            status: ctx.tr.t(model::CaseStatus::from_code(&r.status)
                .unwrap_or(model::CaseStatus::ToQualify)
                .label_key()),
            business: r.business_name,
            overdue: r.overdue,
            next_due: r.next_due.map(|d| ctx.datetime(d)).unwrap_or_default(),
        })
        .collect();
    let tz = crate::kernel::dates::zone(&ctx.programme.timezone);
    let today = crate::kernel::dates::zoned(&tz, now);
    let monday = today
        .date()
        .checked_sub(jiff::Span::new().days(i64::from(today.weekday().to_monday_zero_offset())))
        .unwrap_or(today.date());
    let start =
        crate::kernel::dates::to_ms(&tz, monday, jiff::civil::Time::midnight()).unwrap_or(now);
    let week = store::agenda(db, user_id, start, start + 7 * DAY_MS)
        .await?
        .into_iter()
        .map(|(_, case_id, title, business, at)| Dated {
            case_id,
            title,
            business,
            when: ctx.datetime(at),
        })
        .collect();
    let mine: Vec<i64> = store::ids_of_adviser(db, user_id, 1000).await?;
    let referrals = store::waiting_referrals(db)
        .await?
        .into_iter()
        .filter(|(r, _)| mine.contains(&r.case_id))
        .map(|(r, business)| Dated {
            case_id: r.case_id,
            title: r.body_name,
            business,
            when: ctx.datetime(r.sent_at),
        })
        .collect();
    Ok(AdviserPart {
        files,
        requests: crate::coaching::store::unassigned(db).await?,
        week,
        referrals,
    })
}

async fn manager_part(db: &Db, ctx: &PageCtx) -> Result<ManagerPart, AppError> {
    let now = now_ms();
    let moderation: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM board_posts WHERE status = 'pending'")
            .fetch_one(&db.pool)
            .await?;
    let title = crate::kernel::bilingual::column(ctx.tr.0, "title_fr", "title_en");
    let sessions: Vec<(String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT t.{title}, s.starts_at, s.capacity - s.seats_taken FROM workshop_sessions s JOIN themes t ON t.id = s.theme_id \
         WHERE s.status = 'scheduled' AND s.starts_at >= $1 AND s.starts_at < $2 AND s.seats_taken < s.capacity ORDER BY s.starts_at"
    ))
    .bind(now)
    .bind(now + 7 * DAY_MS)
    .fetch_all(&db.pool)
    .await?;
    Ok(ManagerPart {
        unassigned: crate::coaching::store::unassigned(db).await?,
        moderation,
        sessions: sessions
            .into_iter()
            .map(|(t, at, left)| (t, ctx.datetime(at), left))
            .collect(),
        idle: store::idle_files(db, now - 30 * DAY_MS).await?,
    })
}

async fn funder_part(db: &Db, ctx: &PageCtx) -> Result<FunderPart, AppError> {
    let (open, closed): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN status <> 'closed' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END), 0) AS BIGINT) FROM cases",
    )
    .fetch_one(&db.pool)
    .await?;
    let hours = store::hours_by_funder(db, None)
        .await?
        .into_iter()
        .map(|(f, _, d, _)| {
            let funder = ctx.tr.t(model::Funder::from_code(&f)
                .unwrap_or(model::Funder::Programme)
                .label_key());
            ctx.tr.args(
                "home-funder-hours",
                &[("funder", &funder), ("hours", &model::show_minutes(d))],
            )
        })
        .collect();
    Ok(FunderPart {
        open,
        closed,
        hours,
    })
}

/// `GET /accueil`
pub async fn home(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let owner = if user.has(Role::Business) {
        owner_part(&db, &ctx, user.id).await?
    } else {
        None
    };
    let adviser = if user.has(Role::Adviser) {
        Some(adviser_part(&db, &ctx, user.id).await?)
    } else {
        None
    };
    let manager = if user.has(Role::Admin) {
        Some(manager_part(&db, &ctx).await?)
    } else {
        None
    };
    let speaker = if user.has(Role::Speaker) {
        Some(
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM workshop_speakers w JOIN workshop_sessions s ON s.id = w.session_id \
                 WHERE w.user_id = $1 AND s.starts_at >= $2",
            )
            .bind(user.id)
            .bind(now_ms())
            .fetch_one(&db.pool)
            .await?,
        )
    } else {
        None
    };
    let provider = if user.has(Role::Provider) {
        Some(
            sqlx::query_scalar("SELECT COUNT(*) FROM provider_members WHERE user_id = $1")
                .bind(user.id)
                .fetch_one(&db.pool)
                .await?,
        )
    } else {
        None
    };
    let funder = if user.has(Role::Funder) {
        Some(funder_part(&db, &ctx).await?)
    } else {
        None
    };
    Ok(page(&HomePage {
        name: user.name.clone(),
        owner_without_business: user.has(Role::Business) && owner.is_none(),
        owner,
        adviser,
        manager,
        speaker,
        provider,
        funder,
        ctx,
    }))
}
