//! `/admin/partenaires`: bodies that bring businesses or receive referrals,
//! each with its own sign-up link.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{slug_taken, Partner, PartnerForm, PartnerKind, ValidPartner};
use super::store;
use crate::config::Config;
use crate::db::{is_unique_violation, Db};
use crate::kernel::links::absolute;
use crate::state::AppState;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// Kind choices, labelled.
fn kind_options(ctx: &PageCtx) -> Vec<(&'static str, String)> {
    PartnerKind::ALL
        .iter()
        .map(|k| (k.code(), ctx.tr.t(k.label_key())))
        .collect()
}

#[derive(Template)]
#[template(path = "setup/partners.html")]
struct PartnersPage {
    ctx: PageCtx,
    partners: Vec<(Partner, String)>,
    configured: bool,
    input: PartnerForm,
    errors: Violations,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "setup/partner.html")]
struct PartnerPage {
    ctx: PageCtx,
    partner: Partner,
    link: String,
    input: PartnerForm,
    errors: Violations,
    notice: Option<String>,
}

impl PartnersPage {
    fn kind_options(&self) -> Vec<(&'static str, String)> {
        kind_options(&self.ctx)
    }
    fn kind(&self, k: &str) -> String {
        self.ctx.tr.code("setup-kind-", k)
    }
}

impl PartnerPage {
    fn kind_options(&self) -> Vec<(&'static str, String)> {
        kind_options(&self.ctx)
    }
}

async fn list_page(
    state: &AppState,
    ctx: PageCtx,
    input: PartnerForm,
    errors: Violations,
    notice: Option<String>,
) -> Result<PartnersPage, AppError> {
    let programme_id = state.programme().await?.id;
    let partners = match programme_id {
        Some(pid) => store::partners(&state.db, pid)
            .await?
            .into_iter()
            .map(|p| {
                let link = absolute(&state.config.base_url, &p.signup_path());
                (p, link)
            })
            .collect(),
        None => vec![],
    };
    Ok(PartnersPage {
        ctx,
        partners,
        configured: programme_id.is_some(),
        input,
        errors,
        notice,
    })
}

/// Check a submission against the model and the slugs already taken;
/// `except` is the partner being edited.
async fn check(
    db: &Db,
    form: &PartnerForm,
    except: Option<i64>,
) -> Result<Result<ValidPartner, Violations>, AppError> {
    let taken = store::partner_slug_taken(db, &form.wanted_slug(), except).await?;
    Ok(form.parse(taken))
}

/// Query flags shown after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Flags {
    ajoute: Option<i64>,
    enregistre: Option<String>,
}

/// `GET /admin/partenaires`
pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Flags>,
) -> Result<Response, AppError> {
    let notice = match q.ajoute {
        Some(id) => store::partner(&state.db, id)
            .await?
            .map(|p| ctx.tr.ts("setup-partner-added", "name", &p.name)),
        None => None,
    };
    let input = PartnerForm {
        brings: Some("on".into()),
        ..Default::default()
    };
    let p = list_page(&state, ctx, input, Violations::default(), notice).await?;
    Ok(page(&p))
}

/// `POST /admin/partenaires`: add a partner.
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(form): WebForm<PartnerForm>,
) -> Result<Response, AppError> {
    let programme_id = state.programme().await?.id.ok_or(AppError::BadRequest)?;
    let errors = match check(&state.db, &form, None).await? {
        Ok(valid) => match store::insert_partner(&state.db, programme_id, &valid).await {
            Ok(id) => {
                return Ok(
                    Redirect::to(&format!("/admin/partenaires?ajoute={id}#partner-{id}"))
                        .into_response(),
                )
            }
            Err(e) if is_unique_violation(&e) => slug_taken(),
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    let p = list_page(&state, ctx, form, errors, None).await?;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
}

/// `GET /admin/partenaires/{id}`
pub async fn edit(
    State(db): State<Db>,
    State(config): State<Arc<Config>>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<Flags>,
) -> Result<Response, AppError> {
    let partner = store::partner(&db, id).await?.ok_or(AppError::NotFound)?;
    let notice = q.enregistre.map(|_| ctx.tr.t("setup-partner-saved"));
    let input = partner.to_form();
    let link = absolute(&config.base_url, &partner.signup_path());
    Ok(page(&PartnerPage {
        ctx,
        partner,
        link,
        input,
        errors: Violations::default(),
        notice,
    }))
}

/// `POST /admin/partenaires/{id}`
pub async fn update(
    State(db): State<Db>,
    State(config): State<Arc<Config>>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<PartnerForm>,
) -> Result<Response, AppError> {
    let partner = store::partner(&db, id).await?.ok_or(AppError::NotFound)?;
    let errors = match check(&db, &form, Some(id)).await? {
        Ok(valid) => match store::update_partner(&db, id, &valid).await {
            Ok(()) => {
                return Ok(
                    Redirect::to(&format!("/admin/partenaires/{id}?enregistre=1")).into_response(),
                )
            }
            Err(e) if is_unique_violation(&e) => slug_taken(),
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    let link = absolute(&config.base_url, &partner.signup_path());
    Ok(render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &PartnerPage {
            ctx,
            partner,
            link,
            input: form,
            errors,
            notice: None,
        },
    ))
}
