//! Quote reviews: each quote a business receives is checked against a list
//! of what every quote should answer, and kept with the need.

// The select macro of needs/parts.html compares ids of any type with the submitted text.
#![allow(clippy::cmp_owned)]

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{self, Need};
use super::pages::{need_for, user_of};
use super::review::{self, CheckEntry, CheckValue, QuoteForm, QuoteInput, CHECKLIST};
use super::store::{self, QuoteRow};
use crate::db::Db;
use crate::kernel::forms::RepeatedForm;
use crate::web::forms::Violations;
use crate::web::{page, render, AppError, PageCtx};

/// One checklist line as a page shows it.
pub struct CheckView {
    pub label: String,
    pub answer: String,
    /// The answer's code, for the row's class.
    pub code: &'static str,
    pub note: String,
}

/// A quote review prepared for display.
pub struct QuoteView {
    pub id: i64,
    pub label: String,
    pub provider: String,
    pub amount: String,
    pub lines: Vec<CheckView>,
    pub ok: i64,
    pub ko: i64,
    pub unknown: i64,
    pub updated: String,
    pub notes: Vec<String>,
}

impl QuoteView {
    fn new(ctx: &PageCtx, q: QuoteRow) -> QuoteView {
        let tr = ctx.tr;
        let checklist = q.checklist();
        let (mut ok, mut ko, mut unknown) = (0, 0, 0);
        let lines = CHECKLIST
            .iter()
            .map(|def| {
                let e: CheckEntry = checklist.get(def.key).cloned().unwrap_or_default();
                let value = CheckValue::from_code(&e.value).unwrap_or(CheckValue::Unknown);
                match value {
                    CheckValue::Ok => ok += 1,
                    CheckValue::Ko => ko += 1,
                    CheckValue::Unknown => unknown += 1,
                }
                CheckView {
                    label: tr.t(def.label),
                    answer: tr.t(value.label_key()),
                    code: value.code(),
                    note: e.note,
                }
            })
            .collect();
        QuoteView {
            amount: q
                .amount()
                .map(|a| a.format(tr.0))
                .unwrap_or_else(|| tr.t("need-none-given")),
            updated: ctx.datetime(q.updated_at),
            notes: model::paras(&q.notes),
            lines,
            ok,
            ko,
            unknown,
            id: q.id,
            label: q.label,
            provider: q.provider_name.unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "needs/quotes.html")]
struct QuotesPage {
    ctx: PageCtx,
    need: Need,
    quotes: Vec<QuoteView>,
    input: QuoteInput,
    providers: Vec<(i64, String)>,
    errors: Violations,
    notice: Option<String>,
}

impl QuotesPage {
    fn title(&self) -> String {
        self.need.shown_title(self.ctx.tr)
    }
}

#[derive(Template)]
#[template(path = "needs/quote.html")]
struct QuotePage {
    ctx: PageCtx,
    need: Need,
    quote_id: i64,
    input: QuoteInput,
    providers: Vec<(i64, String)>,
    errors: Violations,
}

impl QuotePage {
    fn title(&self) -> String {
        self.need.shown_title(self.ctx.tr)
    }
}

/// Notices after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QuoteFlags {
    enregistre: Option<String>,
}

async fn quotes_page(
    db: &Db,
    ctx: PageCtx,
    need: Need,
    input: QuoteInput,
    errors: Violations,
    notice: Option<String>,
) -> Result<QuotesPage, AppError> {
    let quotes = store::quotes(db, need.id)
        .await?
        .into_iter()
        .map(|q| QuoteView::new(&ctx, q))
        .collect();
    Ok(QuotesPage {
        providers: store::repliers(db, need.id).await?,
        ctx,
        need,
        quotes,
        input,
        errors,
        notice,
    })
}

/// `GET /besoins/{id}/devis`
pub async fn quotes(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<QuoteFlags>,
) -> Result<Response, AppError> {
    let need = need_for(&db, &ctx, id).await?;
    let notice = flags.enregistre.map(|_| ctx.tr.t("need-quote-saved"));
    let p = quotes_page(
        &db,
        ctx,
        need,
        QuoteInput::empty(),
        Violations::default(),
        notice,
    )
    .await?;
    Ok(page(&p))
}

/// `POST /besoins/{id}/devis`: add a quote review.
pub async fn add_quote(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    RepeatedForm(form): RepeatedForm<QuoteForm>,
) -> Result<Response, AppError> {
    let need = need_for(&db, &ctx, id).await?;
    let user = user_of(&ctx)?;
    let input = form.input();
    let providers = store::repliers(&db, id).await?;
    let valid = match review::parse_quote(&input, &providers) {
        Ok(v) => v,
        Err(errors) => {
            let p = quotes_page(&db, ctx, need, input, errors, None).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let qid = store::insert_quote(&db, id, user.id, &valid).await?;
    Ok(Redirect::to(&format!("/besoins/{id}/devis?enregistre=1#quote-{qid}")).into_response())
}

/// `GET /besoins/{id}/devis/{quote}`
pub async fn quote_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Path((id, quote)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let need = need_for(&db, &ctx, id).await?;
    let q = store::quote(&db, id, quote)
        .await?
        .ok_or(AppError::NotFound)?;
    let input = QuoteInput::of(
        &q.label,
        q.provider_id,
        q.amount(),
        &q.notes,
        q.version,
        &q.checklist(),
        ctx.tr.0,
    );
    Ok(page(&QuotePage {
        providers: store::repliers(&db, id).await?,
        input,
        ctx,
        need,
        quote_id: q.id,
        errors: Violations::default(),
    }))
}

/// `POST /besoins/{id}/devis/{quote}`: save a review (stale saves get 409).
pub async fn update_quote(
    State(db): State<Db>,
    ctx: PageCtx,
    Path((id, quote)): Path<(i64, i64)>,
    RepeatedForm(form): RepeatedForm<QuoteForm>,
) -> Result<Response, AppError> {
    let need = need_for(&db, &ctx, id).await?;
    store::quote(&db, id, quote)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut input = form.input();
    let providers = store::repliers(&db, id).await?;
    let refuse = |ctx, need, input, providers, errors, status| {
        render(
            status,
            &QuotePage {
                ctx,
                need,
                quote_id: quote,
                input,
                providers,
                errors,
            },
        )
    };
    let valid = match review::parse_quote(&input, &providers) {
        Ok(v) => v,
        Err(errors) => {
            return Ok(refuse(
                ctx,
                need,
                input,
                providers,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    };
    let version = input.version.trim().parse::<i64>().unwrap_or(-1);
    if !store::update_quote(&db, id, quote, version, &valid).await? {
        let fresh = store::quote(&db, id, quote)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut errors = Violations::default();
        errors.add("label", "need-quote-conflict", None);
        input.version = fresh.version.to_string();
        return Ok(refuse(
            ctx,
            need,
            input,
            providers,
            errors,
            StatusCode::CONFLICT,
        ));
    }
    Ok(Redirect::to(&format!("/besoins/{id}/devis?enregistre=1#quote-{quote}")).into_response())
}
