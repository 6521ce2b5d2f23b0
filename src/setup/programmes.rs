//! `/admin/programmes/nouveau`: another programme on the same instance
//! (an extension to a neighbouring territory, next year's edition). The
//! register of businesses, the directory, guides and funding schemes stay
//! shared; sessions, files, diagnostics, applications and budget lines
//! belong to the programme they were made in.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{valid_slug, wanted_slug};
use crate::db::now_ms;
use crate::state::AppState;
use crate::web::ctx::urlencode;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// Longest programme name accepted.
const NAME_MAX: usize = 200;

/// The form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct NewProgrammeForm {
    pub name: String,
    pub slug: String,
    pub operator: String,
}

#[derive(Template)]
#[template(path = "setup/programme_new.html")]
struct NewProgrammePage {
    ctx: PageCtx,
    input: NewProgrammeForm,
    errors: Violations,
}

/// `GET /admin/programmes/nouveau`
pub async fn show(ctx: PageCtx) -> Response {
    page(&NewProgrammePage {
        ctx,
        input: NewProgrammeForm::default(),
        errors: Violations::default(),
    })
}

/// What is wrong with the form, and the slug it asks for.
fn check(form: &NewProgrammeForm, taken: &[String]) -> (Violations, String) {
    let mut errors = Violations::default();
    let name = form.name.trim();
    if name.is_empty() {
        errors.add("name", "form-required", None);
    } else if name.chars().count() > NAME_MAX {
        errors.add("name", "form-too-long", Some(NAME_MAX as i64));
    }
    let slug = wanted_slug(&form.slug, name);
    if !name.is_empty() || !form.slug.trim().is_empty() {
        if !valid_slug(&slug) {
            errors.add("slug", "setup-slug-invalid", None);
        } else if taken.contains(&slug) {
            errors.add("slug", "setup-slug-taken", None);
        }
    }
    if form.operator.trim().chars().count() > NAME_MAX {
        errors.add("operator", "form-too-long", Some(NAME_MAX as i64));
    }
    (errors, slug)
}

/// `POST /admin/programmes/nouveau`: create the programme, then work in it.
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(form): WebForm<NewProgrammeForm>,
) -> Result<Response, AppError> {
    let taken: Vec<String> = ctx.choices.iter().map(|c| c.slug.clone()).collect();
    let (mut errors, slug) = check(&form, &taken);
    if errors.is_empty() {
        // The new programme starts with the current one's clock, language
        // and contact address; the manager completes it on its own page.
        let here = &ctx.programme;
        let created = crate::programme::create(
            &state.db,
            &crate::programme::ProgrammeSeed {
                slug: &slug,
                name: form.name.trim(),
                operator: form.operator.trim(),
                summary_fr: "",
                summary_en: "",
                contact_email: &here.contact_email,
                timezone: &here.timezone,
                target_aware: 0,
            },
            now_ms(),
        )
        .await?;
        if created {
            state.invalidate_programme().await;
            let next = urlencode("/admin/programme?cree=1");
            return Ok(
                Redirect::to(&format!("/programme?programme={slug}&next={next}")).into_response(),
            );
        }
        // Taken between the check and the write.
        errors.add("slug", "setup-slug-taken", None);
    }
    Ok(render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &NewProgrammePage {
            ctx,
            input: form,
            errors,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_makes_the_slug_and_a_taken_one_is_refused() {
        let form = NewProgrammeForm {
            name: "Tremplin Gironde 2027".into(),
            ..Default::default()
        };
        let (errors, slug) = check(&form, &[]);
        assert!(errors.is_empty());
        assert_eq!(slug, "tremplin-gironde-2027");
        let (errors, _) = check(&form, &["tremplin-gironde-2027".into()]);
        assert!(errors.has("slug"));
        let (errors, _) = check(&NewProgrammeForm::default(), &[]);
        assert!(errors.has("name"));
    }
}
