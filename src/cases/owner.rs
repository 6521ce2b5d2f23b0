//! The business owner's view of their follow-up files: the shared part
//! only (meetings and other shared activities, referrals, plan progress,
//! shared documents), never the adviser's private notes.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::pages::{activity_views, referral_views, user_of, ActivityView, ReferralView};
use super::store;
use super::timeline::{self, PlanStep};
use crate::db::{now_ms, Db};
use crate::web::{page, AppError, PageCtx};

/// One file as its business sees it.
pub struct SharedFile {
    pub id: i64,
    pub template: String,
    pub status: String,
    pub adviser: String,
    pub opened: String,
    pub activities: Vec<ActivityView>,
    pub referrals: Vec<ReferralView>,
    pub documents: Vec<store::Document>,
    pub plan: Vec<PlanStep>,
    pub plan_done: usize,
    /// "2 of 5 steps done".
    pub progress: String,
    pub next_meeting: Option<String>,
}

/// The shared part of a business's files (used by this page and the owner's home).
pub async fn shared_files(
    db: &Db,
    ctx: &PageCtx,
    business_id: i64,
) -> Result<Vec<SharedFile>, AppError> {
    let now = now_ms();
    let mut files = vec![];
    for case in store::of_business(db, business_id).await? {
        let acts = store::activities(db, case.id, true).await?;
        let next_meeting = acts
            .iter()
            .filter(|a| a.happened_at.is_none() && a.due_at.is_some_and(|d| d >= now))
            .map(|a| a.due_at.unwrap_or(0))
            .min()
            .map(|d| ctx.datetime(d));
        let referrals = store::referrals(db, case.id).await?;
        let story = timeline::story(db, ctx, &case, true, &acts, &referrals).await?;
        let activities = activity_views(ctx, acts, &HashMap::new(), &[], now);
        let plan_done = story.plan.iter().filter(|s| s.done_on.is_some()).count();
        let progress = ctx.tr.args(
            "case-plan-progress",
            &[
                ("done", &plan_done.to_string()),
                ("total", &story.plan.len().to_string()),
            ],
        );
        files.push(SharedFile {
            id: case.id,
            template: match ctx.tr.0 {
                crate::i18n::Locale::Fr => case.template_fr.clone(),
                crate::i18n::Locale::En => case.template_en.clone(),
            }
            .unwrap_or_else(|| ctx.tr.t("case-no-template")),
            status: ctx.tr.t(case.status().label_key()),
            adviser: case.adviser_name.clone().unwrap_or_default(),
            opened: ctx.datetime(case.opened_at),
            activities,
            referrals: referral_views(ctx, referrals),
            documents: store::documents(db, case.id, true).await?,
            plan_done,
            progress,
            plan: story.plan,
            next_meeting,
        });
    }
    Ok(files)
}

#[derive(Template)]
#[template(path = "cases/owner.html")]
struct OwnerPage {
    ctx: PageCtx,
    files: Vec<SharedFile>,
    no_business: bool,
}

/// `GET /mon-accompagnement`
pub async fn show(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let business = crate::business::store::for_member(&db, user.id).await?;
    let files = match &business {
        Some(b) => shared_files(&db, &ctx, b.id).await?,
        None => vec![],
    };
    Ok(page(&OwnerPage {
        no_business: business.is_none(),
        ctx,
        files,
    }))
}
