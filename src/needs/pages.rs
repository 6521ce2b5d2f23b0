//! The business side of needs: the list, the guided brief, the need page
//! with its decisions, and the specification as a PDF.

// The select macro of needs/parts.html compares ids of any type with the submitted text.
#![allow(clippy::cmp_owned)]

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::mails::{self, MailEnv};
use super::model::{self, BriefContext, Budget, Need, NeedForm, NeedStatus, ValidNeed};
use super::spec::Spec;
use super::store::{self, Tx};
use crate::auth::SessionUser;
use crate::business::model::{Business, SIZE_BANDS};
use crate::config::Config;
use crate::db::Db;
use crate::i18n::Tr;
use crate::kernel::forms::RepeatedForm;
use crate::state::AppState;
use crate::web::forms::Violations;
use crate::web::{page, render, AppError, PageCtx};

// ------------------------------------------------------------------ access

/// The signed-in person (the access table already required one).
pub(super) fn user_of(ctx: &PageCtx) -> Result<Arc<SessionUser>, AppError> {
    ctx.user.clone().ok_or(AppError::Forbidden)
}

/// The business a non-staff person writes needs for.
async fn own_business(db: &Db, user: &SessionUser) -> Result<Option<Business>, AppError> {
    Ok(crate::business::store::for_member(db, user.id).await?)
}

/// The need, if the signed-in person may see it on the business side: staff
/// see every need, a business owner only their business's (404 otherwise).
pub(super) async fn need_for(db: &Db, ctx: &PageCtx, id: i64) -> Result<Need, AppError> {
    let user = user_of(ctx)?;
    let need = store::get(db, id).await?.ok_or(AppError::NotFound)?;
    if user.is_staff() {
        return Ok(need);
    }
    match own_business(db, &user).await? {
        Some(b) if Some(b.id) == need.business_id => Ok(need),
        _ => Err(AppError::NotFound),
    }
}

/// What mails need from the configuration and the programme.
pub(super) fn mail_env(config: &Config, ctx: &PageCtx) -> MailEnv {
    MailEnv {
        base: config.base_url.clone(),
        programme: ctx.programme.name.clone(),
        default: ctx
            .programme
            .default_locale
            .unwrap_or(crate::i18n::Locale::Fr),
    }
}

/// Publish inside the caller's transaction (which holds the need's lock) and
/// queue one mail per newly matching provider; returns how many were told.
pub(super) async fn publish_and_tell(
    tx: &mut Tx,
    env: &MailEnv,
    id: i64,
) -> Result<usize, sqlx::Error> {
    let told = store::publish(tx, id).await?;
    let Some(need) = store::load(tx, id).await? else {
        return Ok(0);
    };
    for pid in &told {
        let recipients = store::provider_recipients(tx, *pid, env.default).await?;
        for (to, locale) in recipients.to {
            let mail = mails::need_published(env, locale, to, &need, &recipients.name);
            crate::outbox::enqueue(tx, &mail).await?;
        }
    }
    Ok(told.len())
}

/// Tell a provider's card that the business chose or declined it.
pub(super) async fn tell_decision(
    tx: &mut Tx,
    env: &MailEnv,
    need: &Need,
    provider_id: i64,
    chosen: bool,
) -> Result<(), sqlx::Error> {
    let recipients = store::provider_recipients(tx, provider_id, env.default).await?;
    for (to, locale) in recipients.to {
        let mail = mails::decision(env, locale, to, need, &recipients.name, chosen);
        crate::outbox::enqueue(tx, &mail).await?;
    }
    Ok(())
}

// ------------------------------------------------------------------ list

/// The list's filter.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    statut: String,
}

/// A need in a list.
pub struct ListRow {
    pub id: i64,
    pub title: String,
    pub business: String,
    pub status: String,
    pub replies: i64,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "needs/list.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<ListRow>,
    staff: bool,
    no_business: bool,
    status: String,
}

impl ListPage {
    fn statuses(&self) -> Vec<(&'static str, String)> {
        NeedStatus::ALL
            .iter()
            .map(|s| (s.code(), self.ctx.tr.t(s.label_key())))
            .collect()
    }
}

/// `GET /besoins`
pub async fn list(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let staff = user.is_staff();
    let status = NeedStatus::from_code(&q.statut);
    let mut no_business = false;
    let rows = if staff {
        store::list_all(&db, status).await?
    } else {
        match own_business(&db, &user).await? {
            Some(b) => store::list_for_business(&db, b.id).await?,
            None => {
                no_business = true;
                vec![]
            }
        }
    };
    let tr = ctx.tr;
    let rows = rows
        .into_iter()
        .map(|r| ListRow {
            id: r.id,
            title: model::shown_title(tr, &r.title),
            business: r.business_name.unwrap_or_default(),
            status: tr.t(NeedStatus::from_code(&r.status)
                .unwrap_or(NeedStatus::Draft)
                .label_key()),
            replies: r.replies,
            updated: ctx.datetime(r.updated_at),
        })
        .collect();
    Ok(page(&ListPage {
        ctx,
        rows,
        staff,
        no_business,
        status: status.map(|s| s.code().to_string()).unwrap_or_default(),
    }))
}

// ------------------------------------------------------------------ brief

/// Choices offered by the brief.
pub struct Choices {
    pub themes: Vec<(i64, String)>,
    pub communes: Vec<crate::reference::TerritoryOption>,
    pub businesses: Vec<(i64, String)>,
    pub budgets: Vec<(&'static str, String)>,
    pub sizes: Vec<(&'static str, String)>,
}

async fn choices(db: &Db, tr: Tr, staff: bool) -> Result<Choices, AppError> {
    Ok(Choices {
        themes: store::theme_choices(db, tr.0).await?,
        communes: crate::reference::communes(db, tr.lang() == "en").await?,
        businesses: if staff {
            store::business_choices(db).await?
        } else {
            vec![]
        },
        budgets: Budget::ALL
            .iter()
            .map(|b| (b.code(), tr.t(b.label_key())))
            .collect(),
        sizes: SIZE_BANDS
            .iter()
            .map(|s| (*s, tr.code("business-size-", s)))
            .collect(),
    })
}

/// Read what the brief is checked against, then check it.
async fn check_brief(
    db: &Db,
    f: &NeedForm,
    c: &Choices,
    own: Option<&Business>,
    publishing: bool,
) -> Result<Result<ValidNeed, Violations>, AppError> {
    let business = match own {
        Some(b) => Some(b.clone()),
        None => match f.business_choice() {
            Some(id) if c.businesses.iter().any(|(b, _)| *b == id) => {
                crate::business::store::get(db, id).await?
            }
            _ => None,
        },
    };
    let territory = f.territory(business.as_ref());
    let territory_known = !territory.is_empty() && store::territory_exists(db, &territory).await?;
    let themes: Vec<i64> = c.themes.iter().map(|(id, _)| *id).collect();
    let context = BriefContext {
        business: business.as_ref(),
        themes: &themes,
        territory,
        territory_known,
    };
    Ok(model::parse_need(f, &context, publishing))
}

#[derive(Template)]
#[template(path = "needs/form.html")]
struct FormPage {
    ctx: PageCtx,
    need: Option<Need>,
    input: NeedForm,
    choices: Choices,
    errors: Violations,
    staff: bool,
    no_business: bool,
    notice: Option<String>,
}

impl FormPage {
    fn action(&self) -> String {
        match &self.need {
            Some(n) => format!("/besoins/{}/modifier", n.id),
            None => "/besoins/nouveau".into(),
        }
    }
    fn can_publish(&self) -> bool {
        self.need
            .as_ref()
            .is_none_or(|n| n.status == NeedStatus::Draft)
    }
}

/// Who writes, and for which business: staff choose one, owners write for theirs.
async fn writer(db: &Db, ctx: &PageCtx) -> Result<(bool, Option<Business>), AppError> {
    let user = user_of(ctx)?;
    let staff = user.is_staff();
    let own = if staff {
        None
    } else {
        own_business(db, &user).await?
    };
    Ok((staff, own))
}

/// `GET /besoins/nouveau`
pub async fn new_form(
    State(db): State<Db>,
    ctx: PageCtx,
    axum::extract::Query(target): axum::extract::Query<TargetQuery>,
) -> Result<Response, AppError> {
    let (staff, own) = writer(&db, &ctx).await?;
    let mut input = NeedForm {
        prestataire: target.prestataire.clone(),
        ..NeedForm::default()
    };
    let notice = match input.target_provider() {
        Some(pid) => store::target_name(&db, pid)
            .await?
            .map(|name| ctx.tr.ts("need-target-notice", "name", &name)),
        None => None,
    };
    if notice.is_none() {
        input.prestataire.clear();
    }
    if let Some(b) = &own {
        input.territory_code = b.commune_code.clone().unwrap_or_default();
        input.size_band = b.size_band.clone();
    }
    let choices = choices(&db, ctx.tr, staff).await?;
    Ok(page(&FormPage {
        no_business: !staff && own.is_none(),
        ctx,
        need: None,
        input,
        choices,
        errors: Violations::default(),
        staff,
        notice,
    }))
}

/// `?prestataire=ID`: the need is addressed to this card as well.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TargetQuery {
    prestataire: String,
}

/// `POST /besoins/nouveau`: save a draft, or save and publish.
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    RepeatedForm(form): RepeatedForm<NeedForm>,
) -> Result<Response, AppError> {
    let db = &state.db;
    let user = user_of(&ctx)?;
    let (staff, own) = writer(db, &ctx).await?;
    let choices = choices(db, ctx.tr, staff).await?;
    let refuse = |ctx, form, choices, errors, no_business| {
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FormPage {
                ctx,
                need: None,
                input: form,
                choices,
                errors,
                staff,
                no_business,
                notice: None,
            },
        )
    };
    if !staff && own.is_none() {
        return Ok(refuse(ctx, form, choices, Violations::default(), true));
    }
    let publishing = form.publishing();
    let valid = match check_brief(db, &form, &choices, own.as_ref(), publishing).await? {
        Ok(v) => v,
        Err(errors) => return Ok(refuse(ctx, form, choices, errors, false)),
    };
    let env = mail_env(&state.config, &ctx);
    let mut tx = db.begin_write().await?;
    let id = store::insert(&mut tx, user.id, &valid).await?;
    if let Some(pid) = form.target_provider() {
        store::set_target(&mut tx, id, pid).await?;
    }
    let told = if publishing {
        Some(publish_and_tell(&mut tx, &env, id).await?)
    } else {
        None
    };
    tx.commit().await?;
    Ok(after_save(&state, id, told))
}

fn after_save(state: &AppState, id: i64, told: Option<usize>) -> Response {
    match told {
        Some(n) => {
            state.mail_notify.notify_one();
            Redirect::to(&format!("/besoins/{id}?publie={n}")).into_response()
        }
        None => Redirect::to(&format!("/besoins/{id}?enregistre=1")).into_response(),
    }
}

/// `GET /besoins/{id}/modifier`
pub async fn edit_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let need = need_for(&db, &ctx, id).await?;
    let staff = user_of(&ctx)?.is_staff();
    if !need.status.editable() {
        return Ok(Redirect::to(&format!("/besoins/{id}?verrouille=1")).into_response());
    }
    let choices = choices(&db, ctx.tr, staff).await?;
    Ok(page(&FormPage {
        input: NeedForm::from_need(&need),
        ctx,
        need: Some(need),
        choices,
        errors: Violations::default(),
        staff,
        no_business: false,
        notice: None,
    }))
}

/// `POST /besoins/{id}/modifier`: save while draft or published; a save
/// based on a stale version is refused (409) with what was typed kept.
pub async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    RepeatedForm(mut form): RepeatedForm<NeedForm>,
) -> Result<Response, AppError> {
    let db = &state.db;
    let need = need_for(db, &ctx, id).await?;
    let (staff, own) = writer(db, &ctx).await?;
    let choices = choices(db, ctx.tr, staff).await?;
    let publishing = form.publishing() || need.status != NeedStatus::Draft;
    let refuse = |ctx, need, form, choices, errors, status| {
        render(
            status,
            &FormPage {
                ctx,
                need: Some(need),
                input: form,
                choices,
                errors,
                staff,
                no_business: false,
                notice: None,
            },
        )
    };
    if !need.status.editable() {
        let mut v = Violations::default();
        v.add("title", "need-not-editable", None);
        return Ok(refuse(ctx, need, form, choices, v, StatusCode::CONFLICT));
    }
    let valid = match check_brief(db, &form, &choices, own.as_ref(), publishing).await? {
        Ok(v) => v,
        Err(errors) => {
            return Ok(refuse(
                ctx,
                need,
                form,
                choices,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    };
    let env = mail_env(&state.config, &ctx);
    let mut tx = db.begin_write().await?;
    let locked = store::lock(&mut tx, db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if form.version.trim().parse::<i64>().ok() != Some(locked.version)
        || !locked.status().editable()
    {
        drop(tx);
        let fresh = store::get(db, id).await?.ok_or(AppError::NotFound)?;
        let mut v = Violations::default();
        v.add(
            "title",
            if fresh.status.editable() {
                "need-edit-conflict"
            } else {
                "need-not-editable"
            },
            None,
        );
        // The next save, made knowingly, applies what was typed.
        form.version = fresh.version.to_string();
        return Ok(refuse(ctx, fresh, form, choices, v, StatusCode::CONFLICT));
    }
    store::update(&mut tx, id, &valid).await?;
    // A published need whose themes or territory changed reaches the newly
    // matching providers; those already told are not told again.
    let told = if publishing {
        Some(publish_and_tell(&mut tx, &env, id).await?)
    } else {
        None
    };
    tx.commit().await?;
    Ok(after_save(&state, id, told))
}

// ------------------------------------------------------------------ PDF

/// `GET /besoins/{id}/cahier-des-charges.pdf`
pub async fn pdf(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let need = need_for(&db, &ctx, id).await?;
    let bytes = Spec::new(&ctx, &need).pdf(ctx.tr, &ctx.programme.name);
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"cahier-des-charges-{id}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
