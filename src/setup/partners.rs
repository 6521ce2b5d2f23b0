//! `/admin/partenaires`: bodies that bring businesses or receive referrals,
//! each with its own sign-up link.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sqlx::Row;

use super::{slugify, valid_slug};
use crate::business::model::normalise_website;
use crate::db::{is_unique_violation, now_ms};
use crate::state::AppState;
use crate::web::forms::{checked, is_valid_email, Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// Kinds of partner, in display order.
pub const KINDS: [&str; 6] = [
    "chamber",
    "employer_federation",
    "town_hall",
    "association",
    "funder",
    "other",
];

/// What the partner forms send.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PartnerForm {
    pub name: String,
    pub slug: String,
    pub kind: String,
    pub brings: Option<String>,
    pub receives: Option<String>,
    pub contact_email: String,
    pub website: String,
}

/// A stored partner with the number of businesses it brought.
pub struct Partner {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub brings: bool,
    pub receives: bool,
    pub contact_email: String,
    pub website: String,
    pub brought: i64,
}

impl Partner {
    fn to_form(&self) -> PartnerForm {
        let flag = |b: bool| b.then(|| "on".to_string());
        PartnerForm {
            name: self.name.clone(),
            slug: self.slug.clone(),
            kind: self.kind.clone(),
            brings: flag(self.brings),
            receives: flag(self.receives),
            contact_email: self.contact_email.clone(),
            website: self.website.clone(),
        }
    }
}

const SELECT: &str =
    "SELECT p.id, p.slug, p.name, p.kind, p.brings, p.receives, p.contact_email, p.website, \
     (SELECT COUNT(*) FROM businesses b WHERE b.partner_id = p.id) AS brought FROM partners p";

fn from_row(r: &sqlx::any::AnyRow) -> Partner {
    let text = |c: &str| {
        r.try_get::<Option<String>, _>(c)
            .ok()
            .flatten()
            .unwrap_or_default()
    };
    Partner {
        id: r.get("id"),
        slug: r.get("slug"),
        name: r.get("name"),
        kind: r.get("kind"),
        brings: r.get::<i64, _>("brings") == 1,
        receives: r.get::<i64, _>("receives") == 1,
        contact_email: text("contact_email"),
        website: text("website"),
        brought: r.get("brought"),
    }
}

async fn get_partner(state: &AppState, id: i64) -> Result<Option<Partner>, AppError> {
    let row = sqlx::query(&format!("{SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?;
    Ok(row.as_ref().map(from_row))
}

/// A partner that passed validation.
struct Valid {
    name: String,
    slug: String,
    kind: String,
    brings: bool,
    receives: bool,
    contact_email: Option<String>,
    website: Option<String>,
}

async fn validate(
    state: &AppState,
    f: &PartnerForm,
    except: Option<i64>,
) -> Result<Result<Valid, Violations>, AppError> {
    let mut v = Violations::default();
    let name = v.text("name", &f.name, 2, 160);
    let typed = f.slug.trim().to_lowercase();
    let slug = if typed.is_empty() {
        slugify(&name)
    } else {
        typed
    };
    if !name.is_empty() || !f.slug.trim().is_empty() {
        if !valid_slug(&slug) {
            v.add("slug", "setup-slug-invalid", None);
        } else {
            let n: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM partners WHERE slug = $1 AND id <> $2")
                    .bind(&slug)
                    .bind(except.unwrap_or(0))
                    .fetch_one(&state.db.pool)
                    .await?;
            if n > 0 {
                v.add("slug", "setup-slug-taken", None);
            }
        }
    }
    let kind = f.kind.trim().to_string();
    if !KINDS.contains(&kind.as_str()) {
        v.add("kind", "form-choose", None);
    }
    let contact_email = f.contact_email.trim().to_string();
    if !contact_email.is_empty() && !is_valid_email(&contact_email) {
        v.add("contact_email", "form-email-invalid", None);
    }
    let website = match normalise_website(&f.website) {
        Ok(w) => w,
        Err(_) => {
            v.add("website", "business-bad-website", None);
            String::new()
        }
    };
    if !v.is_empty() {
        return Ok(Err(v));
    }
    Ok(Ok(Valid {
        name,
        slug,
        kind,
        brings: checked(&f.brings),
        receives: checked(&f.receives),
        contact_email: Some(contact_email).filter(|s| !s.is_empty()),
        website: Some(website).filter(|s| !s.is_empty()),
    }))
}

/// Kind choices, labelled.
fn kind_options(ctx: &PageCtx) -> Vec<(&'static str, String)> {
    KINDS
        .iter()
        .map(|k| (*k, ctx.tr.code("setup-kind-", k)))
        .collect()
}

/// The public sign-up link of a partner.
fn signup_link(state: &AppState, slug: &str) -> String {
    format!(
        "{}/p/{slug}",
        state.config.base_url.as_str().trim_end_matches('/')
    )
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
        Some(pid) => sqlx::query(&format!(
            "{SELECT} WHERE p.programme_id = $1 ORDER BY p.name"
        ))
        .bind(pid)
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| {
            let p = from_row(r);
            let link = signup_link(state, &p.slug);
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
        Some(id) => get_partner(&state, id)
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
    let valid = match validate(&state, &form, None).await? {
        Ok(v) => v,
        Err(errors) => {
            let p = list_page(&state, ctx, form, errors, None).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let inserted = sqlx::query(
        "INSERT INTO partners (programme_id, slug, name, kind, brings, receives, contact_email, website, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(programme_id)
    .bind(&valid.slug)
    .bind(&valid.name)
    .bind(&valid.kind)
    .bind(i64::from(valid.brings))
    .bind(i64::from(valid.receives))
    .bind(valid.contact_email.as_deref())
    .bind(valid.website.as_deref())
    .bind(now_ms())
    .execute(&state.db.pool)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {
            let mut errors = Violations::default();
            errors.add("slug", "setup-slug-taken", None);
            let p = list_page(&state, ctx, form, errors, None).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
        Err(e) => return Err(e.into()),
    }
    let id: i64 = sqlx::query_scalar("SELECT id FROM partners WHERE slug = $1")
        .bind(&valid.slug)
        .fetch_one(&state.db.pool)
        .await?;
    Ok(Redirect::to(&format!("/admin/partenaires?ajoute={id}#partner-{id}")).into_response())
}

/// `GET /admin/partenaires/{id}`
pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<Flags>,
) -> Result<Response, AppError> {
    let partner = get_partner(&state, id).await?.ok_or(AppError::NotFound)?;
    let notice = q.enregistre.map(|_| ctx.tr.t("setup-partner-saved"));
    let input = partner.to_form();
    let link = signup_link(&state, &partner.slug);
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
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<PartnerForm>,
) -> Result<Response, AppError> {
    let partner = get_partner(&state, id).await?.ok_or(AppError::NotFound)?;
    let invalid = |errors: Violations, partner: Partner, ctx: PageCtx, form: PartnerForm| {
        let link = signup_link(&state, &partner.slug);
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PartnerPage {
                ctx,
                partner,
                link,
                input: form,
                errors,
                notice: None,
            },
        )
    };
    let valid = match validate(&state, &form, Some(id)).await? {
        Ok(v) => v,
        Err(errors) => return Ok(invalid(errors, partner, ctx, form)),
    };
    let updated = sqlx::query(
        "UPDATE partners SET slug = $1, name = $2, kind = $3, brings = $4, receives = $5, contact_email = $6, \
         website = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(&valid.slug)
    .bind(&valid.name)
    .bind(&valid.kind)
    .bind(i64::from(valid.brings))
    .bind(i64::from(valid.receives))
    .bind(valid.contact_email.as_deref())
    .bind(valid.website.as_deref())
    .bind(now_ms())
    .bind(id)
    .execute(&state.db.pool)
    .await;
    match updated {
        Ok(_) => Ok(Redirect::to(&format!("/admin/partenaires/{id}?enregistre=1")).into_response()),
        Err(e) if is_unique_violation(&e) => {
            let mut errors = Violations::default();
            errors.add("slug", "setup-slug-taken", None);
            Ok(invalid(errors, partner, ctx, form))
        }
        Err(e) => Err(e.into()),
    }
}
