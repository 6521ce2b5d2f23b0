//! Needs posted by businesses, replies from providers, quote reviews.
//!
//! A business (alone or with its adviser) writes a guided brief; the need is
//! a readable specification (page and PDF). Publishing it notifies, through
//! the outbox and once per provider, the published cards whose themes,
//! territories and business sizes match. Providers reply (one reply per card,
//! updated in place); the business shortlists, chooses or declines. Each
//! quote received gets a review checklist kept with the need.

// The select helpers compare ids of any type with the submitted text.
#![allow(clippy::cmp_owned)]

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Row, Transaction};

use crate::auth::{Role, SessionUser};
use crate::business::model::{Business, SIZE_BANDS};
use crate::db::{dialect, now_ms, Db};
use crate::diagnostic::pdf::Doc;
use crate::i18n::{Locale, Tr};
use crate::outbox::NewMail;
use crate::state::AppState;
use crate::web::access::{Access, Routes, NEEDS, PROVIDERS};
use crate::web::forms::{Violations, WebForm};
use crate::web::{format_datetime, page, render, AppError, PageCtx};

/// Routes of needs and quote reviews.
pub fn routes() -> Routes {
    Routes::new()
        .route("/besoins", Access::Roles(NEEDS), get(list))
        .route(
            "/besoins/nouveau",
            Access::Roles(NEEDS),
            get(new_form).post(create),
        )
        .route("/besoins/{id}", Access::Roles(NEEDS), get(show).post(act))
        .route(
            "/besoins/{id}/modifier",
            Access::Roles(NEEDS),
            get(edit_form).post(update),
        )
        .route(
            "/besoins/{id}/cahier-des-charges.pdf",
            Access::Roles(NEEDS),
            get(pdf),
        )
        .route(
            "/besoins/{id}/devis",
            Access::Roles(NEEDS),
            get(quotes).post(add_quote),
        )
        .route(
            "/besoins/{id}/devis/{quote}",
            Access::Roles(NEEDS),
            get(quote_form).post(update_quote),
        )
        .route(
            "/prestataire/besoins",
            Access::Roles(PROVIDERS),
            get(provider_list),
        )
        .route(
            "/prestataire/besoins/{id}",
            Access::Roles(PROVIDERS),
            get(provider_show).post(provider_reply),
        )
}

// ------------------------------------------------------------------ codes

/// Statuses of a need, in the order they are reached.
pub const STATUSES: [&str; 5] = [
    "draft",
    "published",
    "in_discussion",
    "provider_chosen",
    "closed",
];

/// Budget ranges offered by the brief.
pub const BUDGETS: [&str; 6] = [
    "under-1k", "1k-3k", "3k-10k", "10k-30k", "over-30k", "unknown",
];

/// Translation key of a need status.
pub fn status_key(s: &str) -> &'static str {
    match s {
        "published" => "need-status-published",
        "in_discussion" => "need-status-in-discussion",
        "provider_chosen" => "need-status-provider-chosen",
        "closed" => "need-status-closed",
        _ => "need-status-draft",
    }
}

fn reply_status_key(s: &str) -> &'static str {
    match s {
        "shortlisted" => "need-reply-status-shortlisted",
        "chosen" => "need-reply-status-chosen",
        "declined" => "need-reply-status-declined",
        _ => "need-reply-status-sent",
    }
}

fn budget_key(s: &str) -> &'static str {
    match s {
        "under-1k" => "need-budget-under-1k",
        "1k-3k" => "need-budget-1k-3k",
        "3k-10k" => "need-budget-3k-10k",
        "10k-30k" => "need-budget-10k-30k",
        "over-30k" => "need-budget-over-30k",
        _ => "need-budget-unknown",
    }
}

fn size_label(tr: Tr, s: &str) -> String {
    if s.is_empty() {
        tr.t("need-size-any")
    } else {
        tr.code("business-size-", s)
    }
}

/// One line of the quote review checklist: key, form fields, label, hint.
pub struct CheckDef {
    pub key: &'static str,
    pub field: &'static str,
    pub note_field: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
}

macro_rules! check {
    ($key:literal) => {
        CheckDef {
            key: $key,
            field: concat!("check_", $key),
            note_field: concat!("note_", $key),
            label: concat!("need-check-", $key),
            hint: concat!("need-check-", $key, "-hint"),
        }
    };
}

/// What every quote should answer.
pub const CHECKLIST: [CheckDef; 9] = [
    check!("scope"),
    check!("timeline"),
    check!("hosting"),
    check!("ownership"),
    check!("gdpr"),
    check!("training"),
    check!("payment"),
    check!("warranty"),
    check!("reversibility"),
];

/// Values of a checklist line.
pub const CHECK_VALUES: [&str; 3] = ["ok", "ko", "unknown"];

fn check_value_key(v: &str) -> &'static str {
    match v {
        "ok" => "need-check-ok",
        "ko" => "need-check-ko",
        _ => "need-check-unknown",
    }
}

// ------------------------------------------------------------------ model

/// A stored need.
#[derive(Debug, Clone)]
pub struct Need {
    pub id: i64,
    pub business_id: Option<i64>,
    pub business_name: String,
    pub author_id: Option<i64>,
    pub title: String,
    pub context: String,
    pub goal: String,
    pub audience: String,
    pub features: String,
    pub existing_tools: String,
    pub budget_band: String,
    pub deadline: String,
    pub constraints_text: String,
    pub territory_code: Option<String>,
    pub territory_fr: String,
    pub territory_en: String,
    pub size_band: String,
    pub status: String,
    pub chosen_provider_id: Option<i64>,
    pub chosen_name: String,
    pub published_at: Option<i64>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// (id, title_fr, title_en)
    pub themes: Vec<(i64, String, String)>,
}

impl Need {
    fn is_open(&self) -> bool {
        matches!(self.status.as_str(), "published" | "in_discussion")
    }

    fn editable(&self) -> bool {
        matches!(self.status.as_str(), "draft" | "published")
    }

    fn territory(&self, tr: Tr) -> String {
        if tr.lang() == "en" && !self.territory_en.is_empty() {
            self.territory_en.clone()
        } else {
            self.territory_fr.clone()
        }
    }

    fn theme_names(&self, tr: Tr) -> Vec<String> {
        self.themes
            .iter()
            .map(|(_, fr, en)| {
                if tr.lang() == "en" && !en.is_empty() {
                    en.clone()
                } else {
                    fr.clone()
                }
            })
            .collect()
    }

    fn shown_title(&self, tr: Tr) -> String {
        if self.title.trim().is_empty() {
            tr.t("need-untitled")
        } else {
            self.title.clone()
        }
    }

    /// A short summary for lists and mails.
    fn summary(&self) -> String {
        let src = if self.goal.trim().is_empty() {
            &self.context
        } else {
            &self.goal
        };
        let flat = src.split_whitespace().collect::<Vec<_>>().join(" ");
        if flat.chars().count() > 300 {
            let cut: String = flat.chars().take(297).collect();
            format!("{cut}…")
        } else {
            flat
        }
    }
}

const NEED_SELECT: &str = "SELECT n.id, n.business_id, b.name AS business_name, n.author_id, n.title, n.context, n.goal, \
    n.audience, n.features, n.existing_tools, n.budget_band, n.deadline, n.constraints_text, n.territory_code, \
    t.name_fr AS territory_fr, t.name_en AS territory_en, n.size_band, n.status, n.chosen_provider_id, \
    cp.name AS chosen_name, n.published_at, n.version, n.created_at, n.updated_at FROM needs n \
    LEFT JOIN businesses b ON b.id = n.business_id LEFT JOIN territories t ON t.code = n.territory_code \
    LEFT JOIN providers cp ON cp.id = n.chosen_provider_id";

fn opt_i64(r: &AnyRow, c: &str) -> Option<i64> {
    r.try_get::<Option<i64>, _>(c).ok().flatten()
}

fn opt_s(r: &AnyRow, c: &str) -> String {
    r.try_get::<Option<String>, _>(c)
        .ok()
        .flatten()
        .unwrap_or_default()
}

fn need_from_row(r: &AnyRow) -> Need {
    Need {
        id: r.get("id"),
        business_id: opt_i64(r, "business_id"),
        business_name: opt_s(r, "business_name"),
        author_id: opt_i64(r, "author_id"),
        title: r.get("title"),
        context: r.get("context"),
        goal: r.get("goal"),
        audience: r.get("audience"),
        features: r.get("features"),
        existing_tools: r.get("existing_tools"),
        budget_band: r.get("budget_band"),
        deadline: r.get("deadline"),
        constraints_text: r.get("constraints_text"),
        territory_code: r
            .try_get::<Option<String>, _>("territory_code")
            .ok()
            .flatten(),
        territory_fr: opt_s(r, "territory_fr"),
        territory_en: opt_s(r, "territory_en"),
        size_band: r.get("size_band"),
        status: r.get("status"),
        chosen_provider_id: opt_i64(r, "chosen_provider_id"),
        chosen_name: opt_s(r, "chosen_name"),
        published_at: opt_i64(r, "published_at"),
        version: r.get("version"),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
        themes: vec![],
    }
}

/// Load one need with its themes on any connection (pool or transaction).
async fn load_on(conn: &mut AnyConnection, id: i64) -> Result<Option<Need>, sqlx::Error> {
    let row = sqlx::query(&format!("{NEED_SELECT} WHERE n.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mut n = need_from_row(&row);
    n.themes = sqlx::query_as(
        "SELECT th.id, th.title_fr, th.title_en FROM need_themes nt JOIN themes th ON th.id = nt.theme_id \
         WHERE nt.need_id = $1 ORDER BY th.title_fr",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(n))
}

async fn load(db: &Db, id: i64) -> Result<Option<Need>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    load_on(&mut conn, id).await
}

/// SQL selecting `select` over every (need, published provider) pair that
/// matches: a shared theme, a territory served (the need's territory or one
/// of its ancestors) or remote work, and a business size served (no size
/// means every size; a need of unknown size matches every provider).
fn match_sql(select: &str, need_where: &str, provider_where: &str) -> String {
    format!(
        "WITH RECURSIVE anc(need_id, code) AS ( \
           SELECT n.id, n.territory_code FROM needs n WHERE {need_where} AND n.territory_code IS NOT NULL \
           UNION SELECT a.need_id, t.parent_code FROM anc a JOIN territories t ON t.code = a.code \
           WHERE t.parent_code IS NOT NULL) \
         SELECT DISTINCT {select} FROM needs n \
         JOIN need_themes nt ON nt.need_id = n.id \
         JOIN provider_themes pt ON pt.theme_id = nt.theme_id \
         JOIN providers p ON p.id = pt.provider_id \
         WHERE {need_where} AND p.status = 'published' AND {provider_where} \
         AND (p.remote = 1 OR EXISTS (SELECT 1 FROM provider_territories ptr JOIN anc ON anc.code = ptr.territory_code \
              WHERE ptr.provider_id = p.id AND anc.need_id = n.id)) \
         AND (n.size_band = '' OR NOT EXISTS (SELECT 1 FROM provider_sizes ps WHERE ps.provider_id = p.id) \
              OR EXISTS (SELECT 1 FROM provider_sizes ps2 WHERE ps2.provider_id = p.id AND ps2.size_band = n.size_band))"
    )
}

/// Where mails about a provider's card go: the card's address, or else each
/// member's account address, each in its language.
async fn provider_recipients(
    tx: &mut Transaction<'static, Any>,
    provider_id: i64,
    default: Locale,
) -> Result<(String, Vec<(String, Locale)>), sqlx::Error> {
    let Some((name, email)): Option<(String, String)> =
        sqlx::query_as("SELECT name, email FROM providers WHERE id = $1")
            .bind(provider_id)
            .fetch_optional(&mut **tx)
            .await?
    else {
        return Ok((String::new(), vec![]));
    };
    if !email.trim().is_empty() {
        return Ok((name, vec![(email.trim().to_string(), default)]));
    }
    let members: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.email, u.locale FROM provider_members m JOIN users u ON u.id = m.user_id \
         WHERE m.provider_id = $1 AND u.disabled_at IS NULL ORDER BY u.id",
    )
    .bind(provider_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok((
        name,
        members
            .into_iter()
            .map(|(e, l)| {
                let loc = if l == "en" { Locale::En } else { Locale::Fr };
                (e, loc)
            })
            .collect(),
    ))
}

/// What mails need to know about the deployment.
struct MailEnv {
    base: String,
    programme: String,
    default: Locale,
}

impl MailEnv {
    fn new(state: &AppState, ctx: &PageCtx) -> MailEnv {
        MailEnv {
            base: state
                .config
                .base_url
                .as_str()
                .trim_end_matches('/')
                .to_string(),
            programme: ctx.programme.name.clone(),
            default: ctx.programme.default_locale.unwrap_or(Locale::Fr),
        }
    }
}

/// "Label : value" as the locale writes it, with a line break.
fn fact(tr: Tr, label: &str, value: &str) -> String {
    format!(
        "{}\n",
        tr.args("need-fact", &[("label", &tr.t(label)), ("value", value)])
    )
}

fn need_facts(tr: Tr, need: &Need) -> String {
    let mut body = String::new();
    body.push_str(&need.shown_title(tr));
    body.push('\n');
    if !need.business_name.is_empty() {
        body.push_str(&format!(
            "{} — {}\n",
            need.business_name,
            need.territory(tr)
        ));
    }
    let summary = need.summary();
    if !summary.is_empty() {
        body.push_str(&fact(tr, "need-field-goal", &summary));
    }
    let themes = need.theme_names(tr);
    if !themes.is_empty() {
        body.push_str(&fact(tr, "need-field-themes", &themes.join(", ")));
    }
    if !need.budget_band.is_empty() {
        body.push_str(&fact(
            tr,
            "need-field-budget",
            &tr.t(budget_key(&need.budget_band)),
        ));
    }
    if !need.deadline.is_empty() {
        body.push_str(&fact(
            tr,
            "need-field-deadline",
            &show_date(tr, &need.deadline),
        ));
    }
    body
}

/// Notify every matching provider not told yet; returns how many were told.
async fn notify_matching(
    tx: &mut Transaction<'static, Any>,
    env: &MailEnv,
    id: i64,
) -> Result<usize, sqlx::Error> {
    let Some(need) = load_on(tx, id).await? else {
        return Ok(0);
    };
    let mut providers: Vec<i64> = sqlx::query_scalar(&match_sql("p.id", "n.id = $1", "1 = 1"))
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
    providers.sort_unstable();
    let now = now_ms();
    let mut told = 0;
    for pid in providers {
        let done = sqlx::query(
            "INSERT INTO need_notifications (need_id, provider_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (need_id, provider_id) DO NOTHING",
        )
        .bind(id)
        .bind(pid)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() != 1 {
            continue;
        }
        told += 1;
        let (name, recipients) = provider_recipients(tx, pid, env.default).await?;
        for (to, locale) in recipients {
            let tr = Tr(locale);
            let body = format!(
                "{}\n\n{}\n\n{}\n\n{}\n{}/prestataire/besoins/{id}\n\n{}\n",
                tr.t("mail-hello-anonymous"),
                tr.args(
                    "need-mail-new-intro",
                    &[("programme", &env.programme), ("provider", &name)]
                ),
                need_facts(tr, &need).trim_end(),
                tr.t("need-mail-new-link"),
                env.base,
                tr.t("need-mail-new-footer"),
            );
            crate::outbox::enqueue(
                tx,
                &NewMail {
                    kind: "need_published",
                    to,
                    reply_to: None,
                    subject: tr.ts("need-mail-new-subject", "title", &need.shown_title(tr)),
                    body_text: body,
                },
            )
            .await?;
        }
    }
    Ok(told)
}

/// Tell a provider's card that the business chose or declined it.
async fn mail_decision(
    tx: &mut Transaction<'static, Any>,
    env: &MailEnv,
    need: &Need,
    provider_id: i64,
    chosen: bool,
) -> Result<(), sqlx::Error> {
    let (name, recipients) = provider_recipients(tx, provider_id, env.default).await?;
    for (to, locale) in recipients {
        let tr = Tr(locale);
        let (subject, intro) = if chosen {
            ("need-mail-chosen-subject", "need-mail-chosen-body")
        } else {
            ("need-mail-declined-subject", "need-mail-declined-body")
        };
        let title = need.shown_title(tr);
        let body = format!(
            "{}\n\n{}\n\n{}/prestataire/besoins/{}\n",
            tr.t("mail-hello-anonymous"),
            tr.args(
                intro,
                &[
                    ("provider", &name),
                    ("title", &title),
                    ("business", &need.business_name)
                ]
            ),
            env.base,
            need.id
        );
        crate::outbox::enqueue(
            tx,
            &NewMail {
                kind: if chosen {
                    "need_chosen"
                } else {
                    "need_declined"
                },
                to,
                reply_to: None,
                subject: tr.ts(subject, "title", &title),
                body_text: body,
            },
        )
        .await?;
    }
    Ok(())
}

/// Lock a need's row for the rest of the transaction; its status.
async fn lock(
    tx: &mut Transaction<'static, Any>,
    db: &Db,
    id: i64,
) -> Result<Option<(String, i64, Option<i64>)>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT status, version, chosen_provider_id FROM needs WHERE id = $1{}",
        dialect::for_update(db.backend)
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Why a need cannot be published yet (translation keys).
async fn publish_blockers(
    tx: &mut Transaction<'static, Any>,
    id: i64,
) -> Result<Vec<&'static str>, sqlx::Error> {
    let (title, chosen): (String, Option<i64>) =
        sqlx::query_as("SELECT title, chosen_provider_id FROM needs WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    let themes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM need_themes WHERE need_id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    let mut out = vec![];
    if title.trim().is_empty() {
        out.push("need-publish-no-title");
    }
    if themes == 0 {
        out.push("need-publish-no-theme");
    }
    if chosen.is_some() {
        out.push("need-publish-chosen");
    }
    Ok(out)
}

/// Publish (or re-publish) inside the caller's transaction, which must hold
/// the need's lock. Providers already told are never told again.
async fn publish_in(
    tx: &mut Transaction<'static, Any>,
    env: &MailEnv,
    id: i64,
) -> Result<usize, sqlx::Error> {
    let now = now_ms();
    let replies: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM need_replies WHERE need_id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    let status = if replies > 0 {
        "in_discussion"
    } else {
        "published"
    };
    sqlx::query(
        "UPDATE needs SET status = $1, published_at = COALESCE(published_at, $2), updated_at = $2, \
         version = version + 1 WHERE id = $3",
    )
    .bind(status)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    notify_matching(tx, env, id).await
}

// ------------------------------------------------------------------ access

fn user_of(ctx: &PageCtx) -> Result<Arc<SessionUser>, AppError> {
    ctx.user.clone().ok_or(AppError::Forbidden)
}

/// The business a non-staff person writes needs for.
async fn own_business(state: &AppState, user: &SessionUser) -> Result<Option<Business>, AppError> {
    Ok(crate::business::model::for_member(&state.db, user.id).await?)
}

/// The need, if the signed-in person may see it on the business side: staff
/// see every need, a business owner only their business's (404 otherwise).
async fn need_for(state: &AppState, ctx: &PageCtx, id: i64) -> Result<Need, AppError> {
    let user = user_of(ctx)?;
    let need = load(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if user.is_staff() {
        return Ok(need);
    }
    match own_business(state, &user).await? {
        Some(b) if Some(b.id) == need.business_id => Ok(need),
        _ => Err(AppError::NotFound),
    }
}

// ------------------------------------------------------------------ helpers

fn paras(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn show_date(tr: Tr, s: &str) -> String {
    match crate::kernel::dates::parse_date(s) {
        Some(d) if tr.lang() == "fr" => {
            format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
        }
        Some(d) => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        None => s.to_string(),
    }
}

/// A price as the locale writes it.
pub fn format_euros(locale: Locale, cents: i64) -> String {
    let units = locale.format_int(cents / 100);
    let rest = (cents % 100).abs();
    match locale {
        Locale::Fr if rest == 0 => format!("{units}\u{a0}€"),
        Locale::Fr => format!("{units},{rest:02}\u{a0}€"),
        Locale::En if rest == 0 => format!("€{units}"),
        Locale::En => format!("€{units}.{rest:02}"),
    }
}

/// An amount that is not a number of euros.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadAmount;

/// Parse an amount in euros ("1 234,50", "1234.5", "2 000 €"); `Ok(None)`
/// when empty.
pub fn parse_euros(raw: &str) -> Result<Option<i64>, BadAmount> {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}' && *c != '€')
        .collect();
    if s.is_empty() {
        return Ok(None);
    }
    let s = s.replace(',', ".");
    let (units, decimals) = match s.split_once('.') {
        Some((u, d)) => (u.to_string(), d.to_string()),
        None => (s.clone(), String::new()),
    };
    if units.is_empty()
        || !units.chars().all(|c| c.is_ascii_digit())
        || !decimals.chars().all(|c| c.is_ascii_digit())
        || decimals.len() > 2
        || units.len() > 9
    {
        return Err(BadAmount);
    }
    let u: i64 = units.parse().map_err(|_| BadAmount)?;
    let d: i64 = match decimals.len() {
        0 => 0,
        1 => decimals.parse::<i64>().map_err(|_| BadAmount)? * 10,
        _ => decimals.parse().map_err(|_| BadAmount)?,
    };
    Ok(Some(u * 100 + d))
}

/// The readable specification, shared by the pages and the PDF.
pub struct Spec {
    pub title: String,
    pub status: String,
    pub facts: Vec<(String, String)>,
    pub sections: Vec<(String, Vec<String>)>,
}

impl Spec {
    fn new(tr: Tr, need: &Need) -> Spec {
        let mut facts = vec![];
        if !need.business_name.is_empty() {
            facts.push((tr.t("need-field-business"), need.business_name.clone()));
        }
        facts.push((tr.t("need-field-themes"), {
            let t = need.theme_names(tr);
            if t.is_empty() {
                tr.t("need-none-given")
            } else {
                t.join(", ")
            }
        }));
        facts.push((tr.t("need-field-territory"), {
            let t = need.territory(tr);
            if t.is_empty() {
                tr.t("need-none-given")
            } else {
                t
            }
        }));
        facts.push((tr.t("need-field-size"), size_label(tr, &need.size_band)));
        facts.push((
            tr.t("need-field-budget"),
            if need.budget_band.is_empty() {
                tr.t("need-none-given")
            } else {
                tr.t(budget_key(&need.budget_band))
            },
        ));
        facts.push((
            tr.t("need-field-deadline"),
            if need.deadline.is_empty() {
                tr.t("need-none-given")
            } else {
                show_date(tr, &need.deadline)
            },
        ));
        if let Some(at) = need.published_at {
            facts.push((tr.t("need-published-on"), format_datetime(tr.0, at)));
        }
        let sections = [
            ("need-field-context", &need.context),
            ("need-field-goal", &need.goal),
            ("need-field-audience", &need.audience),
            ("need-field-features", &need.features),
            ("need-field-existing-tools", &need.existing_tools),
            ("need-field-constraints", &need.constraints_text),
        ]
        .into_iter()
        .map(|(k, v)| {
            let p = paras(v);
            (
                tr.t(k),
                if p.is_empty() {
                    vec![tr.t("need-none-given")]
                } else {
                    p
                },
            )
        })
        .collect();
        Spec {
            title: need.shown_title(tr),
            status: tr.t(status_key(&need.status)),
            facts,
            sections,
        }
    }
}

// ------------------------------------------------------------------ list

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
#[template(path = "directory/needs/list.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<ListRow>,
    staff: bool,
    no_business: bool,
    status: String,
}

impl ListPage {
    fn statuses(&self) -> Vec<(&'static str, String)> {
        STATUSES
            .iter()
            .map(|s| (*s, self.ctx.tr.t(status_key(s))))
            .collect()
    }
}

/// `GET /besoins`
pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let staff = user.is_staff();
    let base = "SELECT n.id, n.title, n.status, n.updated_at, b.name AS business_name, \
        (SELECT COUNT(*) FROM need_replies r WHERE r.need_id = n.id) AS replies \
        FROM needs n LEFT JOIN businesses b ON b.id = n.business_id";
    let status = if STATUSES.contains(&q.statut.as_str()) {
        q.statut.clone()
    } else {
        String::new()
    };
    let mut no_business = false;
    let rows = if staff {
        if status.is_empty() {
            sqlx::query(&format!(
                "{base} ORDER BY n.updated_at DESC, n.id DESC LIMIT 500"
            ))
            .fetch_all(&state.db.pool)
            .await?
        } else {
            sqlx::query(&format!(
                "{base} WHERE n.status = $1 ORDER BY n.updated_at DESC, n.id DESC LIMIT 500"
            ))
            .bind(&status)
            .fetch_all(&state.db.pool)
            .await?
        }
    } else {
        match own_business(&state, &user).await? {
            Some(b) => {
                sqlx::query(&format!(
                    "{base} WHERE n.business_id = $1 ORDER BY n.updated_at DESC, n.id DESC"
                ))
                .bind(b.id)
                .fetch_all(&state.db.pool)
                .await?
            }
            None => {
                no_business = true;
                vec![]
            }
        }
    };
    let tr = ctx.tr;
    let rows = rows
        .iter()
        .map(|r| {
            let title: String = r.get("title");
            let st: String = r.get("status");
            ListRow {
                id: r.get("id"),
                title: if title.trim().is_empty() {
                    tr.t("need-untitled")
                } else {
                    title
                },
                business: opt_s(r, "business_name"),
                status: tr.t(status_key(&st)),
                replies: r.get("replies"),
                updated: format_datetime(tr.0, r.get("updated_at")),
            }
        })
        .collect();
    Ok(page(&ListPage {
        ctx,
        rows,
        staff,
        no_business,
        status,
    }))
}

// ------------------------------------------------------------------ brief form

/// What the brief sends (themes repeat).
#[derive(Debug, Default, Clone)]
pub struct NeedForm {
    pub business_id: String,
    pub title: String,
    pub context: String,
    pub goal: String,
    pub audience: String,
    pub features: String,
    pub existing_tools: String,
    pub budget_band: String,
    pub deadline: String,
    pub constraints_text: String,
    pub territory_code: String,
    pub size_band: String,
    pub themes: Vec<i64>,
    pub version: String,
    pub action: String,
}

impl NeedForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> NeedForm {
        let mut f = NeedForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "business_id" => f.business_id = v,
                "title" => f.title = v,
                "context" => f.context = v,
                "goal" => f.goal = v,
                "audience" => f.audience = v,
                "features" => f.features = v,
                "existing_tools" => f.existing_tools = v,
                "budget_band" => f.budget_band = v,
                "deadline" => f.deadline = v,
                "constraints_text" => f.constraints_text = v,
                "territory_code" => f.territory_code = v,
                "size_band" => f.size_band = v,
                "themes" => match v.trim().parse::<i64>() {
                    Ok(id) if !f.themes.contains(&id) => f.themes.push(id),
                    Ok(_) => {}
                    // Kept so the choice is refused rather than silently dropped.
                    Err(_) => f.themes.push(-1),
                },
                "version" => f.version = v,
                "action" => f.action = v,
                _ => {}
            }
        }
        f
    }

    fn from_need(n: &Need) -> NeedForm {
        NeedForm {
            business_id: n.business_id.map(|b| b.to_string()).unwrap_or_default(),
            title: n.title.clone(),
            context: n.context.clone(),
            goal: n.goal.clone(),
            audience: n.audience.clone(),
            features: n.features.clone(),
            existing_tools: n.existing_tools.clone(),
            budget_band: n.budget_band.clone(),
            deadline: n.deadline.clone(),
            constraints_text: n.constraints_text.clone(),
            territory_code: n.territory_code.clone().unwrap_or_default(),
            size_band: n.size_band.clone(),
            themes: n.themes.iter().map(|t| t.0).collect(),
            version: n.version.to_string(),
            action: String::new(),
        }
    }

    fn has_theme(&self, id: &i64) -> bool {
        self.themes.contains(id)
    }
}

/// A brief that passed validation.
struct ValidNeed {
    business_id: i64,
    title: String,
    context: String,
    goal: String,
    audience: String,
    features: String,
    existing_tools: String,
    budget_band: String,
    deadline: String,
    constraints_text: String,
    territory_code: String,
    size_band: String,
    themes: Vec<i64>,
}

/// Choices offered by the brief.
pub struct Choices {
    pub themes: Vec<(i64, String)>,
    pub communes: Vec<crate::reference::TerritoryOption>,
    pub businesses: Vec<(i64, String)>,
    pub budgets: Vec<(&'static str, String)>,
    pub sizes: Vec<(&'static str, String)>,
}

async fn choices(state: &AppState, tr: Tr, staff: bool) -> Result<Choices, AppError> {
    let english = tr.lang() == "en";
    let col = if english { "title_en" } else { "title_fr" };
    let themes = sqlx::query_as(&format!(
        "SELECT id, CASE WHEN {col} = '' THEN title_fr ELSE {col} END AS t FROM themes WHERE archived = 0 ORDER BY t"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let businesses = if staff {
        sqlx::query_as("SELECT id, name FROM businesses ORDER BY name, id")
            .fetch_all(&state.db.pool)
            .await?
    } else {
        vec![]
    };
    Ok(Choices {
        themes,
        communes: crate::reference::communes(&state.db, english).await?,
        businesses,
        budgets: BUDGETS.iter().map(|b| (*b, tr.t(budget_key(b)))).collect(),
        sizes: SIZE_BANDS
            .iter()
            .map(|s| (*s, tr.code("business-size-", s)))
            .collect(),
    })
}

/// Check a brief. Drafts may lack a title and themes; publishing may not.
async fn validate(
    state: &AppState,
    f: &NeedForm,
    c: &Choices,
    own: Option<&Business>,
    publishing: bool,
) -> Result<Result<ValidNeed, Violations>, AppError> {
    let mut v = Violations::default();
    let business = match own {
        Some(b) => Some(b.clone()),
        None => match f.business_id.trim().parse::<i64>() {
            Ok(id) if c.businesses.iter().any(|(b, _)| *b == id) => {
                crate::business::model::get(&state.db, id).await?
            }
            _ => None,
        },
    };
    if business.is_none() {
        v.add("business_id", "form-choose", None);
    }
    let title = v.text("title", &f.title, 0, 160);
    if publishing && title.is_empty() {
        v.add("title", "need-publish-no-title", None);
    }
    let context = v.text("context", &f.context, 0, 4000);
    let goal = v.text("goal", &f.goal, 0, 4000);
    let audience = v.text("audience", &f.audience, 0, 4000);
    let features = v.text("features", &f.features, 0, 4000);
    let existing_tools = v.text("existing_tools", &f.existing_tools, 0, 4000);
    let constraints_text = v.text("constraints_text", &f.constraints_text, 0, 4000);
    let budget_band = f.budget_band.trim().to_string();
    if !budget_band.is_empty() && !BUDGETS.contains(&budget_band.as_str()) {
        v.add("budget_band", "form-choose", None);
    }
    let deadline = f.deadline.trim().to_string();
    if !deadline.is_empty() && crate::kernel::dates::parse_date(&deadline).is_none() {
        v.add("deadline", "need-deadline-invalid", None);
    }
    let size_band = f.size_band.trim().to_string();
    if !size_band.is_empty() && !SIZE_BANDS.contains(&size_band.as_str()) {
        v.add("size_band", "form-choose", None);
    }
    let mut territory_code = f.territory_code.trim().to_string();
    if territory_code.is_empty() {
        if let Some(code) = business.as_ref().and_then(|b| b.commune_code.clone()) {
            territory_code = code;
        }
    }
    if territory_code.is_empty() {
        if business.is_some() {
            v.add("territory_code", "need-territory-required", None);
        }
    } else {
        let known: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM territories WHERE code = $1")
            .bind(&territory_code)
            .fetch_one(&state.db.pool)
            .await?;
        if known == 0 {
            v.add("territory_code", "form-choose", None);
        }
    }
    if f.themes
        .iter()
        .any(|t| !c.themes.iter().any(|(id, _)| id == t))
    {
        v.add("themes", "form-choose", None);
    } else if publishing && f.themes.is_empty() {
        v.add("themes", "need-publish-no-theme", None);
    }
    if f.themes.len() > 10 {
        v.add("themes", "need-themes-too-many", Some(10));
    }
    if !v.is_empty() {
        return Ok(Err(v));
    }
    Ok(Ok(ValidNeed {
        business_id: business.map(|b| b.id).unwrap_or(0),
        title,
        context,
        goal,
        audience,
        features,
        existing_tools,
        budget_band,
        deadline,
        constraints_text,
        territory_code,
        size_band,
        themes: f.themes.clone(),
    }))
}

async fn set_themes(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    themes: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM need_themes WHERE need_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for t in themes {
        sqlx::query("INSERT INTO need_themes (need_id, theme_id) VALUES ($1, $2)")
            .bind(id)
            .bind(t)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[derive(Template)]
#[template(path = "directory/needs/form.html")]
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
        self.need.as_ref().is_none_or(|n| n.status == "draft")
    }
}

/// `GET /besoins/nouveau`
pub async fn new_form(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let staff = user.is_staff();
    let own = if staff {
        None
    } else {
        own_business(&state, &user).await?
    };
    let mut input = NeedForm::default();
    if let Some(b) = &own {
        input.territory_code = b.commune_code.clone().unwrap_or_default();
        input.size_band = b.size_band.clone();
    }
    let choices = choices(&state, ctx.tr, staff).await?;
    Ok(page(&FormPage {
        no_business: !staff && own.is_none(),
        ctx,
        need: None,
        input,
        choices,
        errors: Violations::default(),
        staff,
        notice: None,
    }))
}

/// `POST /besoins/nouveau`: save a draft, or save and publish.
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let staff = user.is_staff();
    let own = if staff {
        None
    } else {
        own_business(&state, &user).await?
    };
    let form = NeedForm::from_pairs(pairs);
    let choices = choices(&state, ctx.tr, staff).await?;
    if !staff && own.is_none() {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FormPage {
                ctx,
                need: None,
                input: form,
                choices,
                errors: Violations::default(),
                staff,
                no_business: true,
                notice: None,
            },
        ));
    }
    let publishing = form.action == "publish";
    let valid = match validate(&state, &form, &choices, own.as_ref(), publishing).await? {
        Ok(v) => v,
        Err(errors) => {
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage {
                    ctx,
                    need: None,
                    input: form,
                    choices,
                    errors,
                    staff,
                    no_business: false,
                    notice: None,
                },
            ))
        }
    };
    let env = MailEnv::new(&state, &ctx);
    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO needs (business_id, author_id, title, context, goal, audience, features, existing_tools, \
         budget_band, deadline, constraints_text, territory_code, size_band, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'draft', $14, $14) RETURNING id",
    )
    .bind(valid.business_id)
    .bind(user.id)
    .bind(&valid.title)
    .bind(&valid.context)
    .bind(&valid.goal)
    .bind(&valid.audience)
    .bind(&valid.features)
    .bind(&valid.existing_tools)
    .bind(&valid.budget_band)
    .bind(&valid.deadline)
    .bind(&valid.constraints_text)
    .bind(&valid.territory_code)
    .bind(&valid.size_band)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    set_themes(&mut tx, id, &valid.themes).await?;
    let told = if publishing {
        Some(publish_in(&mut tx, &env, id).await?)
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
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let need = need_for(&state, &ctx, id).await?;
    let user = user_of(&ctx)?;
    let staff = user.is_staff();
    if !need.editable() {
        return Ok(Redirect::to(&format!("/besoins/{id}?verrouille=1")).into_response());
    }
    let choices = choices(&state, ctx.tr, staff).await?;
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
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let need = need_for(&state, &ctx, id).await?;
    let user = user_of(&ctx)?;
    let staff = user.is_staff();
    let own = if staff {
        None
    } else {
        own_business(&state, &user).await?
    };
    let mut form = NeedForm::from_pairs(pairs);
    let choices = choices(&state, ctx.tr, staff).await?;
    let publishing = form.action == "publish" || need.status != "draft";
    let errors_page =
        |ctx: PageCtx, need: Need, form: NeedForm, choices: Choices, errors, status| {
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
    if !need.editable() {
        let mut v = Violations::default();
        v.add("title", "need-not-editable", None);
        return Ok(errors_page(
            ctx,
            need,
            form,
            choices,
            v,
            StatusCode::CONFLICT,
        ));
    }
    let valid = match validate(&state, &form, &choices, own.as_ref(), publishing).await? {
        Ok(v) => v,
        Err(errors) => {
            return Ok(errors_page(
                ctx,
                need,
                form,
                choices,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    };
    let env = MailEnv::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let Some((status, version, _)) = lock(&mut tx, &state.db, id).await? else {
        return Err(AppError::NotFound);
    };
    if form.version.trim().parse::<i64>().ok() != Some(version)
        || !matches!(status.as_str(), "draft" | "published")
    {
        drop(tx);
        let fresh = load(&state.db, id).await?.ok_or(AppError::NotFound)?;
        let mut v = Violations::default();
        v.add(
            "title",
            if fresh.editable() {
                "need-edit-conflict"
            } else {
                "need-not-editable"
            },
            None,
        );
        // The next save, made knowingly, applies what was typed.
        form.version = fresh.version.to_string();
        return Ok(errors_page(
            ctx,
            fresh,
            form,
            choices,
            v,
            StatusCode::CONFLICT,
        ));
    }
    sqlx::query(
        "UPDATE needs SET business_id = $1, title = $2, context = $3, goal = $4, audience = $5, features = $6, \
         existing_tools = $7, budget_band = $8, deadline = $9, constraints_text = $10, territory_code = $11, \
         size_band = $12, updated_at = $13, version = version + 1 WHERE id = $14",
    )
    .bind(valid.business_id)
    .bind(&valid.title)
    .bind(&valid.context)
    .bind(&valid.goal)
    .bind(&valid.audience)
    .bind(&valid.features)
    .bind(&valid.existing_tools)
    .bind(&valid.budget_band)
    .bind(&valid.deadline)
    .bind(&valid.constraints_text)
    .bind(&valid.territory_code)
    .bind(&valid.size_band)
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    set_themes(&mut tx, id, &valid.themes).await?;
    // A published need whose themes or territory changed reaches the newly
    // matching providers; those already told are not told again.
    let told = if publishing {
        Some(publish_in(&mut tx, &env, id).await?)
    } else {
        None
    };
    tx.commit().await?;
    Ok(after_save(&state, id, told))
}

// ------------------------------------------------------------------ show

/// A provider's reply as the business sees it.
pub struct ReplyView {
    pub id: i64,
    pub provider_id: i64,
    pub provider: String,
    pub paras: Vec<String>,
    pub status: String,
    pub status_label: String,
    pub when: String,
}

async fn replies(db: &Db, tr: Tr, need_id: i64) -> Result<Vec<ReplyView>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.id, r.provider_id, p.name, r.message, r.status, r.updated_at FROM need_replies r \
         JOIN providers p ON p.id = r.provider_id WHERE r.need_id = $1 ORDER BY r.created_at, r.id",
    )
    .bind(need_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let status: String = r.get("status");
            ReplyView {
                id: r.get("id"),
                provider_id: r.get("provider_id"),
                provider: r.get("name"),
                paras: paras(&r.get::<String, _>("message")),
                status_label: tr.t(reply_status_key(&status)),
                status,
                when: format_datetime(tr.0, r.get("updated_at")),
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "directory/needs/show.html")]
struct ShowPage {
    ctx: PageCtx,
    need: Need,
    spec: Spec,
    replies: Vec<ReplyView>,
    notified: i64,
    quotes: i64,
    notice: Option<String>,
    errors: Vec<String>,
}

impl ShowPage {
    fn can_edit(&self) -> bool {
        self.need.editable()
    }
    fn can_publish(&self) -> bool {
        matches!(self.need.status.as_str(), "draft" | "closed")
            && self.need.chosen_provider_id.is_none()
    }
    fn can_close(&self) -> bool {
        self.need.status != "closed" && self.need.status != "draft"
    }
    fn can_decide(&self) -> bool {
        matches!(
            self.need.status.as_str(),
            "published" | "in_discussion" | "provider_chosen"
        )
    }
}

/// Notices after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowFlags {
    publie: Option<i64>,
    enregistre: Option<String>,
    ferme: Option<String>,
    decision: Option<String>,
    verrouille: Option<String>,
}

async fn show_page(
    state: &AppState,
    ctx: PageCtx,
    need: Need,
    notice: Option<String>,
    errors: Vec<String>,
) -> Result<ShowPage, AppError> {
    let replies = replies(&state.db, ctx.tr, need.id).await?;
    let notified: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM need_notifications WHERE need_id = $1")
            .bind(need.id)
            .fetch_one(&state.db.pool)
            .await?;
    let quotes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM quote_reviews WHERE need_id = $1")
        .bind(need.id)
        .fetch_one(&state.db.pool)
        .await?;
    Ok(ShowPage {
        spec: Spec::new(ctx.tr, &need),
        ctx,
        need,
        replies,
        notified,
        quotes,
        notice,
        errors,
    })
}

/// `GET /besoins/{id}`: the specification, the replies and what can be done.
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<ShowFlags>,
) -> Result<Response, AppError> {
    let need = need_for(&state, &ctx, id).await?;
    let tr = ctx.tr;
    let notice = if let Some(n) = flags.publie {
        Some(tr.tn("need-published-notice", "count", n))
    } else if flags.enregistre.is_some() {
        Some(tr.t("need-saved-notice"))
    } else if flags.ferme.is_some() {
        Some(tr.t("need-closed-notice"))
    } else if flags.decision.is_some() {
        Some(tr.t("need-decision-notice"))
    } else {
        None
    };
    let errors = if flags.verrouille.is_some() {
        vec![tr.t("need-not-editable")]
    } else {
        vec![]
    };
    let p = show_page(&state, ctx, need, notice, errors).await?;
    Ok(page(&p))
}

/// An action on the need page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    action: String,
    reply: String,
}

/// `POST /besoins/{id}`: publish, close, shortlist, choose or decline.
pub async fn act(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<ActionForm>,
) -> Result<Response, AppError> {
    let need = need_for(&state, &ctx, id).await?;
    let env = MailEnv::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let Some((status, _, chosen)) = lock(&mut tx, &state.db, id).await? else {
        return Err(AppError::NotFound);
    };
    let refuse = |keys: Vec<&'static str>| keys.into_iter().map(|k| ctx.tr.t(k)).collect();
    let errors: Vec<String> = match form.action.as_str() {
        "publish" => {
            let blockers = publish_blockers(&mut tx, id).await?;
            if blockers.is_empty() {
                let told = publish_in(&mut tx, &env, id).await?;
                tx.commit().await?;
                state.mail_notify.notify_one();
                return Ok(Redirect::to(&format!("/besoins/{id}?publie={told}")).into_response());
            }
            refuse(blockers)
        }
        "close" => {
            if status == "closed" {
                refuse(vec!["need-already-closed"])
            } else {
                sqlx::query(
                    "UPDATE needs SET status = 'closed', updated_at = $1, version = version + 1 WHERE id = $2",
                )
                .bind(now_ms())
                .bind(id)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                return Ok(Redirect::to(&format!("/besoins/{id}?ferme=1")).into_response());
            }
        }
        "shortlist" | "choose" | "decline" => {
            let reply: Option<(i64, String)> = match form.reply.trim().parse::<i64>() {
                Ok(rid) => sqlx::query_as(
                    "SELECT provider_id, status FROM need_replies WHERE id = $1 AND need_id = $2",
                )
                .bind(rid)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?,
                Err(_) => None,
            };
            match reply {
                None => refuse(vec!["need-reply-unknown"]),
                Some(_)
                    if !matches!(
                        status.as_str(),
                        "published" | "in_discussion" | "provider_chosen"
                    ) =>
                {
                    refuse(vec!["need-decide-closed"])
                }
                Some((provider_id, _)) => {
                    let rid: i64 = form.reply.trim().parse().unwrap_or(0);
                    decide(
                        &mut tx,
                        &env,
                        &need,
                        form.action.as_str(),
                        rid,
                        provider_id,
                        chosen,
                    )
                    .await?;
                    tx.commit().await?;
                    state.mail_notify.notify_one();
                    return Ok(
                        Redirect::to(&format!("/besoins/{id}?decision=1#reply-{rid}"))
                            .into_response(),
                    );
                }
            }
        }
        _ => return Err(AppError::BadRequest),
    };
    drop(tx);
    let fresh = load(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let p = show_page(&state, ctx, fresh, None, errors).await?;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
}

async fn decide(
    tx: &mut Transaction<'static, Any>,
    env: &MailEnv,
    need: &Need,
    action: &str,
    reply_id: i64,
    provider_id: i64,
    chosen: Option<i64>,
) -> Result<(), sqlx::Error> {
    let now = now_ms();
    let id = need.id;
    let was_chosen = chosen == Some(provider_id);
    let set_reply = |status: &'static str| {
        sqlx::query("UPDATE need_replies SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status)
            .bind(now)
            .bind(reply_id)
    };
    match action {
        "choose" => {
            // The previous choice, if any, goes back to the shortlist.
            sqlx::query(
                "UPDATE need_replies SET status = 'shortlisted', updated_at = $1 \
                 WHERE need_id = $2 AND status = 'chosen' AND id <> $3",
            )
            .bind(now)
            .bind(id)
            .bind(reply_id)
            .execute(&mut **tx)
            .await?;
            set_reply("chosen").execute(&mut **tx).await?;
            sqlx::query(
                "UPDATE needs SET status = 'provider_chosen', chosen_provider_id = $1, updated_at = $2, \
                 version = version + 1 WHERE id = $3",
            )
            .bind(provider_id)
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            if !was_chosen {
                mail_decision(tx, env, need, provider_id, true).await?;
            }
        }
        "shortlist" | "decline" => {
            let declining = action == "decline";
            set_reply(if declining { "declined" } else { "shortlisted" })
                .execute(&mut **tx)
                .await?;
            if was_chosen {
                sqlx::query(
                    "UPDATE needs SET status = 'in_discussion', chosen_provider_id = NULL, updated_at = $1, \
                     version = version + 1 WHERE id = $2",
                )
                .bind(now)
                .bind(id)
                .execute(&mut **tx)
                .await?;
            }
            if declining {
                mail_decision(tx, env, need, provider_id, false).await?;
            }
        }
        _ => {}
    }
    Ok(())
}

// ------------------------------------------------------------------ PDF

/// `GET /besoins/{id}/cahier-des-charges.pdf`
pub async fn pdf(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let need = need_for(&state, &ctx, id).await?;
    let tr = ctx.tr;
    let spec = Spec::new(tr, &need);
    let black = (0.1, 0.1, 0.1);
    let grey = (0.4, 0.4, 0.4);
    let mut doc = Doc::new(&format!(
        "{} — {}",
        ctx.programme.name,
        tr.t("need-spec-title")
    ));
    doc.paragraph(&tr.t("need-spec-title"), 11.0, false, grey, 0.0);
    doc.paragraph(&spec.title, 18.0, true, black, 0.0);
    doc.space(6.0);
    for (label, value) in &spec.facts {
        let line = tr.args("need-fact", &[("label", label), ("value", value)]);
        doc.paragraph(&line, 10.0, false, black, 0.0);
    }
    for (label, lines) in &spec.sections {
        doc.space(10.0);
        doc.ensure(40.0);
        doc.paragraph(label, 13.0, true, black, 0.0);
        let y = doc.y - 3.0;
        let left = doc.left();
        doc.line(left, y, left + doc.width(), y, grey, 0.5);
        doc.space(4.0);
        for line in lines {
            doc.paragraph(line, 10.5, false, black, 0.0);
            doc.space(2.0);
        }
    }
    doc.space(14.0);
    doc.paragraph(&tr.t("need-spec-neutral"), 9.0, false, grey, 0.0);
    let bytes = doc.finish();
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

// ------------------------------------------------------------------ quotes

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct CheckEntry {
    #[serde(default)]
    value: String,
    #[serde(default)]
    note: String,
}

/// One checklist line in a form or a page.
pub struct CheckLine {
    pub def: &'static CheckDef,
    pub value: String,
    pub note: String,
}

/// What the quote review form sends.
pub struct QuoteForm {
    pub label: String,
    pub provider_id: String,
    pub amount: String,
    pub notes: String,
    pub version: String,
    pub lines: Vec<CheckLine>,
}

impl QuoteForm {
    fn empty() -> QuoteForm {
        QuoteForm {
            label: String::new(),
            provider_id: String::new(),
            amount: String::new(),
            notes: String::new(),
            version: String::new(),
            lines: CHECKLIST
                .iter()
                .map(|def| CheckLine {
                    def,
                    value: "unknown".into(),
                    note: String::new(),
                })
                .collect(),
        }
    }

    fn from_pairs(pairs: Vec<(String, String)>) -> QuoteForm {
        let mut f = QuoteForm::empty();
        for (k, v) in pairs {
            match k.as_str() {
                "label" => f.label = v,
                "provider_id" => f.provider_id = v,
                "amount" => f.amount = v,
                "notes" => f.notes = v,
                "version" => f.version = v,
                _ => {
                    if let Some(line) = f.lines.iter_mut().find(|l| l.def.field == k) {
                        line.value = v;
                    } else if let Some(line) = f.lines.iter_mut().find(|l| l.def.note_field == k) {
                        line.note = v;
                    }
                }
            }
        }
        f
    }

    fn from_quote(q: &Quote, locale: Locale) -> QuoteForm {
        let mut f = QuoteForm::empty();
        f.label = q.label.clone();
        f.provider_id = q.provider_id.map(|p| p.to_string()).unwrap_or_default();
        f.amount = q
            .amount_cents
            .map(|c| {
                let sep = if locale == Locale::Fr { ',' } else { '.' };
                if c % 100 == 0 {
                    (c / 100).to_string()
                } else {
                    format!("{}{sep}{:02}", c / 100, c % 100)
                }
            })
            .unwrap_or_default();
        f.notes = q.notes.clone();
        f.version = q.version.to_string();
        for l in &mut f.lines {
            if let Some(e) = q.checklist.get(l.def.key) {
                l.value = e.value.clone();
                l.note = e.note.clone();
            }
        }
        f
    }
}

/// A stored quote review.
pub struct Quote {
    pub id: i64,
    pub provider_id: Option<i64>,
    pub provider: String,
    pub label: String,
    pub amount_cents: Option<i64>,
    checklist: BTreeMap<String, CheckEntry>,
    pub notes: String,
    pub version: i64,
    pub updated_at: i64,
}

/// A quote review prepared for display.
pub struct QuoteView {
    pub q: Quote,
    pub amount: String,
    pub lines: Vec<(String, String, String, String)>,
    pub ok: i64,
    pub ko: i64,
    pub unknown: i64,
    pub updated: String,
    pub notes: Vec<String>,
}

impl QuoteView {
    fn new(tr: Tr, q: Quote) -> QuoteView {
        let mut ok = 0;
        let mut ko = 0;
        let mut unknown = 0;
        let lines = CHECKLIST
            .iter()
            .map(|def| {
                let e = q.checklist.get(def.key).cloned().unwrap_or_default();
                match e.value.as_str() {
                    "ok" => ok += 1,
                    "ko" => ko += 1,
                    _ => unknown += 1,
                }
                let value = if CHECK_VALUES.contains(&e.value.as_str()) {
                    e.value.clone()
                } else {
                    "unknown".into()
                };
                (
                    tr.t(def.label),
                    tr.t(check_value_key(&value)),
                    value,
                    e.note,
                )
            })
            .collect();
        QuoteView {
            amount: q
                .amount_cents
                .map(|c| format_euros(tr.0, c))
                .unwrap_or_else(|| tr.t("need-none-given")),
            updated: format_datetime(tr.0, q.updated_at),
            notes: paras(&q.notes),
            lines,
            ok,
            ko,
            unknown,
            q,
        }
    }
}

const QUOTE_SELECT: &str = "SELECT q.id, q.provider_id, p.name AS provider_name, q.label, q.amount_cents, q.checklist, \
    q.notes, q.version, q.updated_at FROM quote_reviews q LEFT JOIN providers p ON p.id = q.provider_id";

fn quote_from_row(r: &AnyRow) -> Quote {
    Quote {
        id: r.get("id"),
        provider_id: opt_i64(r, "provider_id"),
        provider: opt_s(r, "provider_name"),
        label: r.get("label"),
        amount_cents: opt_i64(r, "amount_cents"),
        checklist: serde_json::from_str(&r.get::<String, _>("checklist")).unwrap_or_default(),
        notes: r.get("notes"),
        version: r.get("version"),
        updated_at: r.get("updated_at"),
    }
}

/// Repliers of a need, offered as the quote's provider.
async fn repliers(db: &Db, need_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, p.name FROM need_replies r JOIN providers p ON p.id = r.provider_id \
         WHERE r.need_id = $1 ORDER BY p.name",
    )
    .bind(need_id)
    .fetch_all(&db.pool)
    .await
}

struct ValidQuote {
    label: String,
    provider_id: Option<i64>,
    amount_cents: Option<i64>,
    checklist: String,
    notes: String,
}

fn validate_quote(f: &QuoteForm, providers: &[(i64, String)]) -> Result<ValidQuote, Violations> {
    let mut v = Violations::default();
    let label = v.text("label", &f.label, 1, 160);
    let provider_id = if f.provider_id.trim().is_empty() {
        None
    } else {
        match f.provider_id.trim().parse::<i64>() {
            Ok(p) if providers.iter().any(|(id, _)| *id == p) => Some(p),
            _ => {
                v.add("provider_id", "form-choose", None);
                None
            }
        }
    };
    let amount_cents = match parse_euros(&f.amount) {
        Ok(a) => a,
        Err(BadAmount) => {
            v.add("amount", "need-amount-invalid", None);
            None
        }
    };
    let notes = v.text("notes", &f.notes, 0, 4000);
    let mut map = BTreeMap::new();
    for l in &f.lines {
        let value = l.value.trim().to_string();
        if !CHECK_VALUES.contains(&value.as_str()) {
            v.add(l.def.field, "form-choose", None);
        }
        let note = v.text(l.def.note_field, &l.note, 0, 1000);
        map.insert(l.def.key.to_string(), CheckEntry { value, note });
    }
    if !v.is_empty() {
        return Err(v);
    }
    Ok(ValidQuote {
        label,
        provider_id,
        amount_cents,
        checklist: serde_json::to_string(&map).unwrap_or_else(|_| "{}".into()),
        notes,
    })
}

#[derive(Template)]
#[template(path = "directory/needs/quotes.html")]
struct QuotesPage {
    ctx: PageCtx,
    need: Need,
    quotes: Vec<QuoteView>,
    input: QuoteForm,
    providers: Vec<(i64, String)>,
    errors: Violations,
    notice: Option<String>,
}

impl QuotesPage {
    fn title(&self) -> String {
        self.need.shown_title(self.ctx.tr)
    }
}

impl QuotePage {
    fn title(&self) -> String {
        self.need.shown_title(self.ctx.tr)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QuoteFlags {
    enregistre: Option<String>,
}

async fn quotes_page(
    state: &AppState,
    ctx: PageCtx,
    need: Need,
    input: QuoteForm,
    errors: Violations,
    notice: Option<String>,
) -> Result<QuotesPage, AppError> {
    let rows = sqlx::query(&format!(
        "{QUOTE_SELECT} WHERE q.need_id = $1 ORDER BY q.created_at, q.id"
    ))
    .bind(need.id)
    .fetch_all(&state.db.pool)
    .await?;
    let quotes = rows
        .iter()
        .map(|r| QuoteView::new(ctx.tr, quote_from_row(r)))
        .collect();
    let providers = repliers(&state.db, need.id).await?;
    Ok(QuotesPage {
        ctx,
        need,
        quotes,
        input,
        providers,
        errors,
        notice,
    })
}

/// `GET /besoins/{id}/devis`
pub async fn quotes(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<QuoteFlags>,
) -> Result<Response, AppError> {
    let need = need_for(&state, &ctx, id).await?;
    let notice = flags.enregistre.map(|_| ctx.tr.t("need-quote-saved"));
    let p = quotes_page(
        &state,
        ctx,
        need,
        QuoteForm::empty(),
        Violations::default(),
        notice,
    )
    .await?;
    Ok(page(&p))
}

/// `POST /besoins/{id}/devis`: add a quote review.
pub async fn add_quote(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let need = need_for(&state, &ctx, id).await?;
    let user = user_of(&ctx)?;
    let form = QuoteForm::from_pairs(pairs);
    let providers = repliers(&state.db, id).await?;
    let valid = match validate_quote(&form, &providers) {
        Ok(v) => v,
        Err(errors) => {
            let p = quotes_page(&state, ctx, need, form, errors, None).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let now = now_ms();
    let qid: i64 = sqlx::query_scalar(
        "INSERT INTO quote_reviews (need_id, provider_id, label, amount_cents, checklist, notes, created_by, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(id)
    .bind(valid.provider_id)
    .bind(&valid.label)
    .bind(valid.amount_cents)
    .bind(&valid.checklist)
    .bind(&valid.notes)
    .bind(user.id)
    .bind(now)
    .fetch_one(&state.db.pool)
    .await?;
    Ok(Redirect::to(&format!("/besoins/{id}/devis?enregistre=1#quote-{qid}")).into_response())
}

#[derive(Template)]
#[template(path = "directory/needs/quote.html")]
struct QuotePage {
    ctx: PageCtx,
    need: Need,
    quote_id: i64,
    input: QuoteForm,
    providers: Vec<(i64, String)>,
    errors: Violations,
}

async fn quote_of(db: &Db, need_id: i64, quote: i64) -> Result<Quote, AppError> {
    let row = sqlx::query(&format!(
        "{QUOTE_SELECT} WHERE q.id = $1 AND q.need_id = $2"
    ))
    .bind(quote)
    .bind(need_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(quote_from_row(&row))
}

/// `GET /besoins/{id}/devis/{quote}`
pub async fn quote_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, quote)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let need = need_for(&state, &ctx, id).await?;
    let q = quote_of(&state.db, id, quote).await?;
    let providers = repliers(&state.db, id).await?;
    Ok(page(&QuotePage {
        input: QuoteForm::from_quote(&q, ctx.tr.0),
        ctx,
        need,
        quote_id: q.id,
        providers,
        errors: Violations::default(),
    }))
}

/// `POST /besoins/{id}/devis/{quote}`: save a review (stale saves get 409).
pub async fn update_quote(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, quote)): Path<(i64, i64)>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let need = need_for(&state, &ctx, id).await?;
    let q = quote_of(&state.db, id, quote).await?;
    let mut form = QuoteForm::from_pairs(pairs);
    let providers = repliers(&state.db, id).await?;
    let valid = match validate_quote(&form, &providers) {
        Ok(v) => v,
        Err(errors) => {
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &QuotePage {
                    ctx,
                    need,
                    quote_id: q.id,
                    input: form,
                    providers,
                    errors,
                },
            ))
        }
    };
    let done = sqlx::query(
        "UPDATE quote_reviews SET provider_id = $1, label = $2, amount_cents = $3, checklist = $4, notes = $5, \
         updated_at = $6, version = version + 1 WHERE id = $7 AND need_id = $8 AND version = $9",
    )
    .bind(valid.provider_id)
    .bind(&valid.label)
    .bind(valid.amount_cents)
    .bind(&valid.checklist)
    .bind(&valid.notes)
    .bind(now_ms())
    .bind(quote)
    .bind(id)
    .bind(form.version.trim().parse::<i64>().unwrap_or(-1))
    .execute(&state.db.pool)
    .await?;
    if done.rows_affected() == 0 {
        let fresh = quote_of(&state.db, id, quote).await?;
        let mut errors = Violations::default();
        errors.add("label", "need-quote-conflict", None);
        form.version = fresh.version.to_string();
        return Ok(render(
            StatusCode::CONFLICT,
            &QuotePage {
                ctx,
                need,
                quote_id: q.id,
                input: form,
                providers,
                errors,
            },
        ));
    }
    Ok(Redirect::to(&format!("/besoins/{id}/devis?enregistre=1#quote-{quote}")).into_response())
}

// ------------------------------------------------------------------ providers

/// A need in the provider's list.
pub struct ProviderRow {
    pub id: i64,
    pub title: String,
    pub business: String,
    pub territory: String,
    pub themes: String,
    pub summary: String,
    pub published: String,
    pub replied: bool,
}

#[derive(Template)]
#[template(path = "directory/needs/provider_list.html")]
struct ProviderListPage {
    ctx: PageCtx,
    rows: Vec<ProviderRow>,
    has_card: bool,
}

/// `GET /prestataire/besoins`: open needs notified to, or matching, the
/// signed-in provider's cards (programme managers see every open need).
pub async fn provider_list(
    State(state): State<AppState>,
    ctx: PageCtx,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let admin = user.has(Role::Admin);
    let cards: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM provider_members WHERE user_id = $1")
        .bind(user.id)
        .fetch_one(&state.db.pool)
        .await?;
    let mut ids: Vec<i64> = if admin {
        sqlx::query_scalar("SELECT id FROM needs WHERE status IN ('published', 'in_discussion')")
            .fetch_all(&state.db.pool)
            .await?
    } else {
        let mut ids: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT nn.need_id FROM need_notifications nn JOIN provider_members m ON m.provider_id = nn.provider_id \
             JOIN needs n ON n.id = nn.need_id WHERE m.user_id = $1 AND n.status IN ('published', 'in_discussion')",
        )
        .bind(user.id)
        .fetch_all(&state.db.pool)
        .await?;
        let matching: Vec<i64> = sqlx::query_scalar(&match_sql(
            "n.id",
            "n.status IN ('published', 'in_discussion')",
            "p.id IN (SELECT provider_id FROM provider_members WHERE user_id = $1)",
        ))
        .bind(user.id)
        .fetch_all(&state.db.pool)
        .await?;
        ids.extend(matching);
        ids
    };
    ids.sort_unstable();
    ids.dedup();
    let replied: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT r.need_id FROM need_replies r JOIN provider_members m ON m.provider_id = r.provider_id \
         WHERE m.user_id = $1",
    )
    .bind(user.id)
    .fetch_all(&state.db.pool)
    .await?;
    let tr = ctx.tr;
    let mut needs = vec![];
    for id in ids.iter().rev().take(200) {
        if let Some(n) = load(&state.db, *id).await? {
            needs.push(n);
        }
    }
    needs.sort_by_key(|n| std::cmp::Reverse(n.published_at.unwrap_or(n.created_at)));
    let rows = needs
        .iter()
        .map(|n| ProviderRow {
            id: n.id,
            title: n.shown_title(tr),
            business: n.business_name.clone(),
            territory: n.territory(tr),
            themes: n.theme_names(tr).join(", "),
            summary: n.summary(),
            published: n
                .published_at
                .map(|t| format_datetime(tr.0, t))
                .unwrap_or_default(),
            replied: replied.contains(&n.id),
        })
        .collect();
    Ok(page(&ProviderListPage {
        ctx,
        rows,
        has_card: cards > 0,
    }))
}

/// The need as a provider may see it, and the cards they may reply with.
async fn provider_access(
    state: &AppState,
    user: &SessionUser,
    id: i64,
) -> Result<(Need, Vec<(i64, String)>), AppError> {
    let need = load(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if need.status == "draft" {
        return Err(AppError::NotFound);
    }
    let mut cards: Vec<(i64, String)> = sqlx::query_as(
        "SELECT p.id, p.name FROM need_notifications nn JOIN providers p ON p.id = nn.provider_id \
         JOIN provider_members m ON m.provider_id = p.id WHERE nn.need_id = $1 AND m.user_id = $2",
    )
    .bind(id)
    .bind(user.id)
    .fetch_all(&state.db.pool)
    .await?;
    if need.is_open() {
        let matching: Vec<(i64, String)> = sqlx::query_as(&match_sql(
            "p.id, p.name",
            "n.id = $1",
            "p.id IN (SELECT provider_id FROM provider_members WHERE user_id = $2)",
        ))
        .bind(id)
        .bind(user.id)
        .fetch_all(&state.db.pool)
        .await?;
        for c in matching {
            if !cards.iter().any(|(p, _)| *p == c.0) {
                cards.push(c);
            }
        }
    }
    cards.sort_by_key(|c| c.0);
    if cards.is_empty() && !user.has(Role::Admin) {
        return Err(AppError::NotFound);
    }
    Ok((need, cards))
}

/// A provider's own reply.
pub struct OwnReply {
    pub provider: String,
    pub status: String,
    pub when: String,
    pub paras: Vec<String>,
}

#[derive(Template)]
#[template(path = "directory/needs/provider_show.html")]
struct ProviderShowPage {
    ctx: PageCtx,
    need: Need,
    spec: Spec,
    cards: Vec<(i64, String)>,
    mine: Vec<OwnReply>,
    message: String,
    provider_id: String,
    errors: Violations,
    notice: Option<String>,
}

impl ProviderShowPage {
    fn can_reply(&self) -> bool {
        self.need.is_open() && !self.cards.is_empty()
    }
    fn closed_reason(&self) -> Option<String> {
        match self.need.status.as_str() {
            "closed" => Some(self.ctx.tr.t("need-reply-closed")),
            "provider_chosen" => Some(self.ctx.tr.t("need-reply-chosen")),
            _ => None,
        }
    }
}

async fn own_replies(
    state: &AppState,
    tr: Tr,
    need_id: i64,
    user_id: i64,
) -> Result<(Vec<OwnReply>, String), sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.name, r.message, r.status, r.updated_at FROM need_replies r JOIN providers p ON p.id = r.provider_id \
         JOIN provider_members m ON m.provider_id = r.provider_id WHERE r.need_id = $1 AND m.user_id = $2 ORDER BY r.id",
    )
    .bind(need_id)
    .bind(user_id)
    .fetch_all(&state.db.pool)
    .await?;
    let last = rows
        .last()
        .map(|r| r.get::<String, _>("message"))
        .unwrap_or_default();
    Ok((
        rows.iter()
            .map(|r| OwnReply {
                provider: r.get("name"),
                status: tr.t(reply_status_key(&r.get::<String, _>("status"))),
                when: format_datetime(tr.0, r.get("updated_at")),
                paras: paras(&r.get::<String, _>("message")),
            })
            .collect(),
        last,
    ))
}

/// Notices after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReplyFlags {
    envoye: Option<String>,
}

/// `GET /prestataire/besoins/{id}`
pub async fn provider_show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<ReplyFlags>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let (need, cards) = provider_access(&state, &user, id).await?;
    let (mine, message) = own_replies(&state, ctx.tr, id, user.id).await?;
    let notice = flags.envoye.map(|_| ctx.tr.t("need-reply-sent"));
    Ok(page(&ProviderShowPage {
        spec: Spec::new(ctx.tr, &need),
        ctx,
        need,
        provider_id: cards.first().map(|c| c.0.to_string()).unwrap_or_default(),
        cards,
        mine,
        message,
        errors: Violations::default(),
        notice,
    }))
}

/// A provider's reply.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReplyForm {
    message: String,
    provider_id: String,
}

/// `POST /prestataire/besoins/{id}`: reply, or update the card's reply.
pub async fn provider_reply(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<ReplyForm>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let (need, cards) = provider_access(&state, &user, id).await?;
    let mut v = Violations::default();
    let message = v.text("message", &form.message, 10, 4000);
    let provider = if cards.len() == 1 && form.provider_id.trim().is_empty() {
        Some(cards[0].clone())
    } else {
        let wanted = form.provider_id.trim().parse::<i64>().ok();
        let found = cards.iter().find(|c| Some(c.0) == wanted).cloned();
        if found.is_none() {
            v.add(
                "provider_id",
                if cards.is_empty() {
                    "need-reply-no-card"
                } else {
                    "form-choose"
                },
                None,
            );
        }
        found
    };
    let env = MailEnv::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let Some((status, _, _)) = lock(&mut tx, &state.db, id).await? else {
        return Err(AppError::NotFound);
    };
    match status.as_str() {
        "closed" => v.add("message", "need-reply-closed", None),
        "provider_chosen" => v.add("message", "need-reply-chosen", None),
        "published" | "in_discussion" => {}
        _ => return Err(AppError::NotFound),
    }
    let (provider_id, provider_name) = match provider {
        Some(p) if v.is_empty() => p,
        _ => {
            drop(tx);
            let (mine, _) = own_replies(&state, ctx.tr, id, user.id).await?;
            let fresh = load(&state.db, id).await?.unwrap_or(need);
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ProviderShowPage {
                    spec: Spec::new(ctx.tr, &fresh),
                    ctx,
                    need: fresh,
                    cards,
                    mine,
                    message: form.message,
                    provider_id: form.provider_id,
                    errors: v,
                    notice: None,
                },
            ));
        }
    };
    let now = now_ms();
    let existed: Option<i64> =
        sqlx::query_scalar("SELECT id FROM need_replies WHERE need_id = $1 AND provider_id = $2")
            .bind(id)
            .bind(provider_id)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query(
        "INSERT INTO need_replies (need_id, provider_id, author_id, message, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'sent', $5, $5) ON CONFLICT (need_id, provider_id) DO UPDATE SET \
         message = excluded.message, author_id = excluded.author_id, updated_at = excluded.updated_at",
    )
    .bind(id)
    .bind(provider_id)
    .bind(user.id)
    .bind(&message)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if status == "published" {
        sqlx::query(
            "UPDATE needs SET status = 'in_discussion', updated_at = $1, version = version + 1 WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    if let Some(author) = need.author_id {
        let to: Option<(String, String)> =
            sqlx::query_as("SELECT email, locale FROM users WHERE id = $1 AND disabled_at IS NULL")
                .bind(author)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some((to, locale)) = to {
            let tr = Tr(if locale == "en" {
                Locale::En
            } else {
                Locale::Fr
            });
            let title = need.shown_title(tr);
            let subject_key = if existed.is_some() {
                "need-mail-reply-updated-subject"
            } else {
                "need-mail-reply-subject"
            };
            let body = format!(
                "{}\n\n{}\n\n{message}\n\n{}\n{}/besoins/{id}\n",
                tr.t("mail-hello-anonymous"),
                tr.args(
                    "need-mail-reply-intro",
                    &[("provider", &provider_name), ("title", &title)]
                ),
                tr.t("need-mail-reply-link"),
                env.base,
            );
            crate::outbox::enqueue(
                &mut tx,
                &NewMail {
                    kind: "need_reply",
                    to,
                    reply_to: None,
                    subject: tr.args(
                        subject_key,
                        &[("provider", &provider_name), ("title", &title)],
                    ),
                    body_text: body,
                },
            )
            .await?;
        }
    }
    tx.commit().await?;
    state.mail_notify.notify_one();
    Ok(Redirect::to(&format!("/prestataire/besoins/{id}?envoye=1")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_parse_and_format() {
        assert_eq!(parse_euros(""), Ok(None));
        assert_eq!(parse_euros("1 234,5"), Ok(Some(123_450)));
        assert_eq!(parse_euros("2000 €"), Ok(Some(200_000)));
        assert_eq!(parse_euros("12.34"), Ok(Some(1234)));
        assert!(parse_euros("-5").is_err());
        assert!(parse_euros("abc").is_err());
        assert!(parse_euros("1,234,5").is_err());
        assert!(parse_euros("1.234").is_err());
        assert_eq!(format_euros(Locale::En, 123_450), "€1,234.50");
        assert_eq!(format_euros(Locale::Fr, 200_000), "2\u{202f}000\u{a0}€");
    }

    #[test]
    fn every_need_status_has_its_own_label() {
        let keys: std::collections::BTreeSet<_> = STATUSES.iter().map(|s| status_key(s)).collect();
        assert_eq!(keys.len(), STATUSES.len());
    }
}
