//! Handlers of sponsors: the manager's page, adding (with a logo checked by
//! content), removing, placement rules, and the public logo.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{Category, Clash, Order, Page, Placement, Sponsor, SponsorForm, Tier};
use super::store;
use crate::state::AppState;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

#[derive(Template)]
#[template(path = "sponsors/admin.html")]
struct AdminPage {
    ctx: PageCtx,
    sponsors: Vec<Sponsor>,
    placement: Placement,
    form: SponsorForm,
    errors: Violations,
    clash: Option<String>,
    saved: bool,
}

impl AdminPage {
    fn categories(&self) -> Vec<(&'static str, String)> {
        Category::ALL
            .iter()
            .map(|c| (c.code(), self.ctx.tr.t(c.label_key())))
            .collect()
    }
    fn tiers(&self) -> Vec<(&'static str, String)> {
        Tier::ALL
            .iter()
            .map(|t| (t.code(), self.ctx.tr.t(t.label_key())))
            .collect()
    }
    fn pages(&self) -> Vec<(&'static str, String, bool)> {
        Page::ALL
            .iter()
            .map(|p| {
                (
                    p.code(),
                    self.ctx.tr.t(p.label_key()),
                    self.placement.shows(*p),
                )
            })
            .collect()
    }
    fn orders(&self) -> Vec<(&'static str, String, bool)> {
        Order::ALL
            .iter()
            .map(|o| {
                (
                    o.code(),
                    self.ctx.tr.t(o.label_key()),
                    self.placement.order == *o,
                )
            })
            .collect()
    }
    fn excepted(&self, code: &str) -> bool {
        self.form.except.iter().any(|c| c == code)
    }
    fn period(&self, s: &Sponsor) -> String {
        use crate::kernel::dates::show_date_text;
        format!(
            "{} – {}",
            show_date_text(self.ctx.tr.0, &s.starts_on),
            show_date_text(self.ctx.tr.0, &s.ends_on)
        )
    }
    fn amount(&self, s: &Sponsor) -> String {
        s.amount.format(self.ctx.tr.0)
    }
    fn exclusivity(&self, s: &Sponsor) -> String {
        if !s.exclusive {
            return String::new();
        }
        let mut text = self.ctx.tr.ts(
            "sponsors-exclusive-in",
            "category",
            &self.ctx.tr.t(s.category.label_key()),
        );
        if !s.except.is_empty() {
            let list: Vec<String> = s
                .except
                .iter()
                .map(|c| self.ctx.tr.t(c.label_key()))
                .collect();
            text.push_str(&self.ctx.tr.ts("sponsors-except", "list", &list.join(", ")));
        }
        text
    }
}

fn programme_id(ctx: &PageCtx) -> Result<i64, AppError> {
    ctx.programme.id.ok_or(AppError::NotFound)
}

async fn admin_page(
    state: &AppState,
    ctx: PageCtx,
    form: SponsorForm,
    errors: Violations,
    clash: Option<String>,
    saved: bool,
) -> Result<AdminPage, AppError> {
    let id = programme_id(&ctx)?;
    Ok(AdminPage {
        sponsors: store::list(&state.db, id).await?,
        placement: store::placement(&state.db, id).await?,
        ctx,
        form,
        errors,
        clash,
        saved,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    enregistre: Option<String>,
}

/// `GET /admin/mecenes`
pub async fn admin(
    State(state): State<AppState>,
    ctx: PageCtx,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Result<Response, AppError> {
    let form = SponsorForm {
        tier: "partner".into(),
        ..Default::default()
    };
    let p = admin_page(
        &state,
        ctx,
        form,
        Violations::default(),
        None,
        q.enregistre.is_some(),
    )
    .await?;
    Ok(page(&p))
}

/// The multipart form as typed, and the uploaded logo if any.
async fn read_form(multipart: &mut Multipart) -> (SponsorForm, Vec<u8>) {
    let mut f = SponsorForm::default();
    let mut logo = Vec::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or("").to_string();
        if name == "logo" {
            if let Ok(b) = field.bytes().await {
                logo = b.to_vec();
            }
            continue;
        }
        let value = field.text().await.unwrap_or_default();
        match name.as_str() {
            "name" => f.name = value,
            "link" => f.link = value,
            "logo_url" => f.logo_url = value,
            "category" => f.category = value,
            "tier" => f.tier = value,
            "amount" => f.amount = value,
            "exclusive" => f.exclusive = !value.is_empty(),
            "except" => f.except.push(value),
            "starts_on" => f.starts_on = value,
            "ends_on" => f.ends_on = value,
            _ => {}
        }
    }
    (f, logo)
}

/// `POST /admin/mecenes` (multipart, CSRF token in the query)
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let programme = programme_id(&ctx)?;
    let (form, logo) = read_form(&mut multipart).await;
    let refuse = |state: AppState, ctx, form, errors, clash| async move {
        let p = admin_page(&state, ctx, form, errors, clash, false).await?;
        Ok::<Response, AppError>(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
    };
    let valid = match form.parse() {
        Ok(v) => v,
        Err(errors) => return refuse(state, ctx, form, errors, None).await,
    };
    let png = if logo.is_empty() {
        None
    } else {
        match crate::directory::cards::process_logo_off_thread(logo).await {
            Ok(png) => Some(png),
            Err(key) => {
                let mut errors = Violations::default();
                errors.add("logo", key, None);
                return refuse(state, ctx, form, errors, None).await;
            }
        }
    };
    match store::insert(&state.db, programme, &valid, png).await? {
        Ok(_) => {
            state.invalidate_programme().await;
            Ok(Redirect::to("/admin/mecenes?enregistre=1").into_response())
        }
        Err(c) => {
            let tr = ctx.tr;
            let message = match c {
                Clash::TakenByExclusive { other, category } => tr.args(
                    "sponsors-clash-taken",
                    &[("other", &other), ("category", &tr.t(category.label_key()))],
                ),
                Clash::WouldExclude { other, category } => tr.args(
                    "sponsors-clash-would-exclude",
                    &[("other", &other), ("category", &tr.t(category.label_key()))],
                ),
            };
            refuse(state, ctx, form, Violations::default(), Some(message)).await
        }
    }
}

/// The placement form: the pages ticked and the order.
#[derive(Debug, Default)]
pub struct PlacementForm {
    pages: Vec<String>,
    order: String,
}

/// `POST /admin/mecenes/placement`
pub async fn save_placement(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let programme = programme_id(&ctx)?;
    let form = PlacementForm {
        pages: pairs
            .iter()
            .filter(|(k, _)| k == "pages")
            .map(|(_, v)| v.clone())
            .collect(),
        order: crate::web::forms::first_value(&pairs, "order"),
    };
    let placement = Placement {
        pages: Page::ALL
            .into_iter()
            .filter(|p| form.pages.iter().any(|c| c == p.code()))
            .collect(),
        order: Order::parse(&form.order).unwrap_or(Order::Amount),
    };
    store::save_placement(&state.db, programme, &placement).await?;
    state.invalidate_programme().await;
    Ok(Redirect::to("/admin/mecenes?enregistre=1").into_response())
}

/// `POST /admin/mecenes/{id}/supprimer`
pub async fn delete(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let programme = programme_id(&ctx)?;
    if !store::delete(&state.db, programme, id).await? {
        return Err(AppError::NotFound);
    }
    state.invalidate_programme().await;
    Ok(Redirect::to("/admin/mecenes?enregistre=1").into_response())
}

/// `GET /mecenes/{id}/logo.png`
pub async fn logo(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let bytes = store::logo(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        bytes,
    )
        .into_response())
}
