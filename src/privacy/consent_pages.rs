//! Consent pages: a person's consents in their space (give, withdraw, a
//! new text asked again), the signed link of every mail (one click to
//! withdraw, no sign-in), and the ledger for programme managers.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::consent::{self, Channel, LedgerRow, Purpose, Standing, PURPOSES};
use super::model::{self, AuditAction};
use super::store::{self, NewAudit};
use crate::db::Db;
use crate::kernel::dates;
use crate::web::forms::WebForm;
use crate::web::{page, render, AppError, PageCtx};

/// One purpose as a page shows it.
struct Line {
    code: &'static str,
    label: String,
    text: String,
    /// "granted", "withdrawn" or "none".
    state: &'static str,
    state_label: String,
    /// "version 2026-12, 3 Dec 2026 10:00 (web)".
    detail: String,
    withdrawable: bool,
    can_give: bool,
    outdated: bool,
}

fn lines(ctx: &PageCtx, standings: &[Standing], signed_in: bool) -> Vec<Line> {
    let tz = dates::zone(&ctx.programme.timezone);
    let tr = ctx.tr;
    standings
        .iter()
        .map(|s| {
            let state = match &s.latest {
                Some(r) if r.granted == 1 => "granted",
                Some(_) => "withdrawn",
                None => "none",
            };
            let detail = s
                .latest
                .as_ref()
                .map(|r| {
                    tr.args(
                        "privacy-consent-detail",
                        &[
                            ("version", &r.text_version),
                            ("date", &dates::date_time(tr.0, &tz, r.at)),
                            ("channel", &tr.t(&format!("privacy-channel-{}", r.channel))),
                        ],
                    )
                })
                .unwrap_or_default();
            Line {
                code: s.purpose.code(),
                label: tr.t(&s.purpose.label_key()),
                text: tr.t(&s.purpose.text_key()),
                state,
                state_label: tr.t(&format!("privacy-consent-state-{state}")),
                detail,
                withdrawable: s.purpose.withdrawable() && s.granted(),
                can_give: signed_in && s.purpose.self_given() && (!s.granted() || s.outdated()),
                outdated: s.outdated(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "privacy/consents.html")]
struct ConsentsPage {
    ctx: PageCtx,
    lines: Vec<Line>,
    /// Where the forms post.
    action: String,
    /// The link's address and signature (empty in the person's space).
    e: String,
    s: String,
    done: bool,
    signed_in: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct DoneQuery {
    fait: Option<String>,
}

/// `GET /compte/consentements`: my consents.
pub(super) async fn mine(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let user = ctx.user.as_ref().ok_or(AppError::Forbidden)?;
    let email = model::normalise_email(&user.email);
    let rows = consent::rows_of(&db, &email, Some(user.id)).await?;
    let lines = lines(&ctx, &consent::standings(&rows), true);
    Ok(page(&ConsentsPage {
        ctx,
        lines,
        action: "/compte/consentements".into(),
        e: String::new(),
        s: String::new(),
        done: q.fait.is_some(),
        signed_in: true,
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct AnswerInput {
    purpose: String,
    answer: String,
    e: String,
    s: String,
}

/// Record an answer; false when the purpose is unknown or not answerable so.
async fn answer(
    db: &Db,
    email: &str,
    user_id: Option<i64>,
    input: &AnswerInput,
    channel: Channel,
    locale: &str,
) -> Result<bool, AppError> {
    let Some(purpose) = Purpose::from_code(&input.purpose) else {
        return Ok(false);
    };
    let give = match input.answer.as_str() {
        "give" if user_id.is_some() && purpose.self_given() => true,
        "withdraw" if purpose.withdrawable() => false,
        _ => return Ok(false),
    };
    let mut tx = db.begin_write().await?;
    consent::record(&mut tx, email, user_id, purpose, give, channel, locale).await?;
    if !give {
        let subject = model::subject_key(email);
        store::record(
            &mut *tx,
            &NewAudit {
                actor_id: user_id,
                actor: &subject,
                action: AuditAction::ConsentWithdrawn,
                subject: &subject,
                detail: &format!("{} ({})", purpose.code(), channel.code()),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// `POST /compte/consentements`: give or withdraw one consent.
pub(super) async fn answer_mine(
    State(db): State<Db>,
    ctx: PageCtx,
    WebForm(input): WebForm<AnswerInput>,
) -> Result<Response, AppError> {
    let user = ctx.user.as_ref().ok_or(AppError::Forbidden)?;
    let email = model::normalise_email(&user.email);
    if !answer(
        &db,
        &email,
        Some(user.id),
        &input,
        Channel::Account,
        ctx.tr.lang(),
    )
    .await?
    {
        return Err(AppError::BadRequest);
    }
    Ok(Redirect::to("/compte/consentements?fait=1").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct LinkQuery {
    e: String,
    s: String,
    fait: Option<String>,
}

/// The refusal of a link that was changed or cut.
fn bad_link(ctx: PageCtx) -> Response {
    render(StatusCode::FORBIDDEN, &BadLinkPage { ctx })
}

#[derive(Template)]
#[template(path = "privacy/consent_bad_link.html")]
struct BadLinkPage {
    ctx: PageCtx,
}

/// `GET /consentement?e=…&s=…`: the consents of the address a mail was
/// sent to, each withdrawn in one click, without signing in.
pub(super) async fn link(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<LinkQuery>,
) -> Result<Response, AppError> {
    if q.e.is_empty() || q.s.is_empty() {
        // No link at all: a signed-in person has their own page; anyone
        // else is told the address needs the link from a mail.
        if ctx.user.is_some() {
            return Ok(Redirect::to("/compte/consentements").into_response());
        }
        return Ok(render(StatusCode::BAD_REQUEST, &BadLinkPage { ctx }));
    }
    let secret = consent::secret(&db).await?;
    let Some(email) = consent::check_link(&secret, &q.e, &q.s) else {
        return Ok(bad_link(ctx));
    };
    let rows = consent::rows_of(&db, &email, None).await?;
    let lines = lines(&ctx, &consent::standings(&rows), false);
    Ok(page(&ConsentsPage {
        ctx,
        lines,
        action: "/consentement".into(),
        e: q.e,
        s: q.s,
        done: q.fait.is_some(),
        signed_in: false,
    }))
}

/// `POST /consentement`: withdraw one consent from a mail's link.
pub(super) async fn answer_link(
    State(db): State<Db>,
    ctx: PageCtx,
    WebForm(input): WebForm<AnswerInput>,
) -> Result<Response, AppError> {
    let secret = consent::secret(&db).await?;
    let Some(email) = consent::check_link(&secret, &input.e, &input.s) else {
        return Ok(bad_link(ctx));
    };
    if input.answer != "withdraw"
        || !answer(&db, &email, None, &input, Channel::Mail, ctx.tr.lang()).await?
    {
        return Err(AppError::BadRequest);
    }
    Ok(Redirect::to(&format!("/consentement?e={}&s={}&fait=1", input.e, input.s)).into_response())
}

/// The footer every mail carries: where to withdraw one's consents.
pub async fn mail_footer(db: &Db, base_url: &str, to: &str) -> Result<String, sqlx::Error> {
    let secret = consent::secret(db).await?;
    let url = format!(
        "{}{}",
        base_url.trim_end_matches('/'),
        consent::link_path(&secret, to)
    );
    Ok(format!(
        "\n\n--\nVos consentements (retrait en un clic) / Your consents (withdraw in one click):\n{url}\n"
    ))
}

#[derive(Template)]
#[template(path = "privacy/ledger.html")]
struct LedgerPage {
    ctx: PageCtx,
    rows: Vec<LedgerRow>,
    purposes: Vec<(&'static str, String)>,
    q: LedgerQuery,
}

impl LedgerPage {
    fn when(&self, at: &i64) -> String {
        let tz = dates::zone(&self.ctx.programme.timezone);
        dates::date_time(self.ctx.tr.0, &tz, *at)
    }

    fn purpose_label(&self, code: &str) -> String {
        Purpose::from_code(code)
            .map(|p| self.ctx.tr.t(&p.label_key()))
            .unwrap_or_else(|| code.to_string())
    }

    fn channel_label(&self, code: &str) -> String {
        self.ctx.tr.t(&format!("privacy-channel-{code}"))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct LedgerQuery {
    purpose: String,
    q: String,
}

/// `GET /admin/consentements`: the ledger, filtered by purpose and address.
pub(super) async fn ledger(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<LedgerQuery>,
) -> Result<Response, AppError> {
    let needle = crate::text::like_escape(&q.q.trim().to_lowercase());
    let rows = consent::ledger(&db, Purpose::from_code(&q.purpose), &needle, 500).await?;
    let purposes = PURPOSES
        .iter()
        .map(|p| (p.code(), ctx.tr.t(&p.label_key())))
        .collect();
    Ok(page(&LedgerPage {
        ctx,
        rows,
        purposes,
        q,
    }))
}
