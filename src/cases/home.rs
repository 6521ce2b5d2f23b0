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
    /// The adviser's open files not listed on the home.
    pub files_more: i64,
    pub requests: i64,
    pub week: Vec<Dated>,
    /// Items of the week not shown on the home (on `/accueil/semaine`).
    pub week_more: i64,
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

/// Files the adviser's home lists (the rest under "my files").
const HOME_FILES: i64 = 20;
/// Items of the week the home shows (the rest on the week's page).
const HOME_WEEK: i64 = 10;
/// Items per page of the week's page.
const WEEK_PAGE: i64 = 50;

/// Monday 00:00 of this week in the programme's time zone, and now.
fn this_week(ctx: &PageCtx) -> (i64, i64) {
    let now = now_ms();
    let tz = crate::kernel::dates::zone(&ctx.programme.timezone);
    let today = crate::kernel::dates::zoned(&tz, now);
    let monday = today
        .date()
        .checked_sub(jiff::Span::new().days(i64::from(today.weekday().to_monday_zero_offset())))
        .unwrap_or(today.date());
    let start =
        crate::kernel::dates::to_ms(&tz, monday, jiff::civil::Time::midnight()).unwrap_or(now);
    (start, now)
}

fn dated(ctx: &PageCtx, rows: Vec<store::AgendaItem>) -> Vec<Dated> {
    rows.into_iter()
        .map(|(_, case_id, title, business, at)| Dated {
            case_id,
            title,
            business,
            when: ctx.datetime(at),
        })
        .collect()
}

async fn adviser_part(db: &Db, ctx: &PageCtx, user_id: i64) -> Result<AdviserPart, AppError> {
    let (start, now) = this_week(ctx);
    let filter = store::ListFilter {
        adviser: Some(user_id),
        business: None,
        open_only: true,
    };
    let files: Vec<FileLine> = store::list_page(db, &filter, now, HOME_FILES, 0)
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
    let files_total = if (files.len() as i64) < HOME_FILES {
        files.len() as i64
    } else {
        store::count_files(db, &filter).await?
    };
    let (week, week_total) =
        store::agenda_page(db, user_id, start, start + 7 * DAY_MS, HOME_WEEK, 0).await?;
    let week = dated(ctx, week);
    let referrals = store::waiting_referrals_of(db, user_id)
        .await?
        .into_iter()
        .map(|(r, business)| Dated {
            case_id: r.case_id,
            title: r.body_name,
            business,
            when: ctx.datetime(r.sent_at),
        })
        .collect();
    Ok(AdviserPart {
        files_more: files_total - files.len() as i64,
        files,
        requests: crate::coaching::store::unassigned(db).await?,
        week_more: week_total - week.len() as i64,
        week,
        referrals,
    })
}

#[derive(Template)]
#[template(path = "cases/week.html")]
struct WeekPage {
    ctx: PageCtx,
    items: Vec<Dated>,
    total: i64,
    page: i64,
    pages: i64,
}

impl WeekPage {
    fn page_link(&self, n: i64) -> String {
        format!("/accueil/semaine?page={n}")
    }
}

/// The page asked for (1 when missing or not a number).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PageQuery {
    pub page: String,
}

impl PageQuery {
    /// The page number, from 1.
    pub fn number(&self) -> i64 {
        self.page
            .trim()
            .parse::<i64>()
            .unwrap_or(1)
            .clamp(1, 100_000)
    }
}

/// `GET /accueil/semaine`: every meeting, audit, call and closing of the
/// adviser's week, in time order, by pages.
pub async fn week(
    State(db): State<Db>,
    ctx: PageCtx,
    axum::extract::Query(q): axum::extract::Query<PageQuery>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let (start, _) = this_week(&ctx);
    let page_no = q.number();
    let (rows, total) = store::agenda_page(
        &db,
        user.id,
        start,
        start + 7 * DAY_MS,
        WEEK_PAGE,
        (page_no - 1) * WEEK_PAGE,
    )
    .await?;
    let items = dated(&ctx, rows);
    Ok(page(&WeekPage {
        ctx,
        items,
        total,
        page: page_no,
        pages: ((total + WEEK_PAGE - 1) / WEEK_PAGE).max(1),
    }))
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
