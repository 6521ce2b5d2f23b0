//! Programme managers: approve, refuse or unpublish cards, settle claims,
//! import an existing directory from CSV with a per-row report.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{self, CardForm, Provider, COLUMNS};
use super::store::{self, SaveError};
use crate::csvio;
use crate::db::now_ms;
use crate::outbox::{enqueue, NewMail};
use crate::state::AppState;
use crate::web::forms::WebForm;
use crate::web::{page, render, AppError, PageCtx};

/// A pending claim as listed.
pub struct Claim {
    pub id: i64,
    pub provider_id: i64,
    pub provider: String,
    pub person: String,
    pub email: String,
    pub message: String,
    /// Accounts that already keep the card (a claim on a kept card needs a decision).
    pub keepers: i64,
}

#[derive(Template)]
#[template(path = "directory/admin.html")]
struct AdminPage {
    ctx: PageCtx,
    pending: Vec<Provider>,
    edited: Vec<Provider>,
    published: Vec<Provider>,
    unpublished: Vec<Provider>,
    claims: Vec<Claim>,
    /// Services and areas of each pending card, by card id.
    details: std::collections::HashMap<i64, (Vec<String>, Vec<String>)>,
    stale: i64,
    notice: Option<String>,
    now: i64,
}

impl AdminPage {
    /// The services and areas of a pending card (joined for display).
    fn details_of(&self, id: &i64) -> (String, String) {
        match self.details.get(id) {
            Some((s, t)) => (s.join(", "), t.join(", ")),
            None => (String::new(), String::new()),
        }
    }

    fn stale_card(&self, c: &Provider) -> bool {
        c.is_stale(self.now)
    }

    fn when(&self, ms: &i64) -> String {
        self.ctx.datetime(*ms)
    }
}

/// Flags after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Flags {
    fait: String,
}

async fn list(state: &AppState, status: &str, limit: i64) -> Result<Vec<Provider>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM providers p WHERE p.status = $1 ORDER BY p.updated_at DESC, p.id DESC LIMIT {limit}"
    ))
    .bind(status)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(rows.iter().map(Provider::from_row).collect())
}

/// Published cards changed by their keepers since a manager approved them:
/// they stay public, and are listed here for a second look.
async fn edited_since_approval(state: &AppState) -> Result<Vec<Provider>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM providers p WHERE p.status = 'published' AND p.approved_at IS NOT NULL \
         AND p.updated_at > p.approved_at ORDER BY p.updated_at DESC LIMIT 200"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    Ok(rows.iter().map(Provider::from_row).collect())
}

/// `GET /admin/annuaire`
pub async fn moderation(
    State(state): State<AppState>,
    ctx: PageCtx,
    axum::extract::Query(f): axum::extract::Query<Flags>,
) -> Result<Response, AppError> {
    let now = now_ms();
    let claims: Vec<(i64, i64, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT c.id, c.provider_id, p.name, u.display_name, u.email, c.message, \
         (SELECT COUNT(*) FROM provider_members m WHERE m.provider_id = c.provider_id) FROM provider_claims c \
         JOIN providers p ON p.id = c.provider_id JOIN users u ON u.id = c.user_id WHERE c.status = 'pending' ORDER BY c.created_at",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let stale: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM providers WHERE status = 'published' AND confirmed_at < $1",
    )
    .bind(now - model::CONFIRM_EVERY_MS)
    .fetch_one(&state.db.pool)
    .await?;
    let notice = match f.fait.as_str() {
        "approve" | "reject" | "unpublish" | "republish" | "claim-approve" | "claim-reject" => {
            Some(ctx.tr.code("dir-admin-done-", &f.fait))
        }
        _ => None,
    };
    let pending = list(&state, "pending", 500).await?;
    let mut details: std::collections::HashMap<i64, (Vec<String>, Vec<String>)> =
        std::collections::HashMap::new();
    if !pending.is_empty() {
        let ids: Vec<String> = pending.iter().map(|p| p.id.to_string()).collect();
        let ids = ids.join(", ");
        let services: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT x.provider_id, t.title_fr FROM provider_themes x JOIN themes t ON t.id = x.theme_id \
             WHERE x.provider_id IN ({ids}) ORDER BY t.title_fr"
        ))
        .fetch_all(&state.db.pool)
        .await?;
        for (id, s) in services {
            details.entry(id).or_default().0.push(s);
        }
        let areas: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT x.provider_id, t.name_fr FROM provider_territories x JOIN territories t ON t.code = x.territory_code \
             WHERE x.provider_id IN ({ids}) ORDER BY t.name_fr"
        ))
        .fetch_all(&state.db.pool)
        .await?;
        for (id, a) in areas {
            details.entry(id).or_default().1.push(a);
        }
    }
    Ok(page(&AdminPage {
        details,
        pending,
        edited: edited_since_approval(&state).await?,
        published: list(&state, "published", 200).await?,
        unpublished: list(&state, "unpublished", 100).await?,
        claims: claims
            .into_iter()
            .map(
                |(id, provider_id, provider, person, email, message, keepers)| Claim {
                    id,
                    provider_id,
                    provider,
                    person,
                    email,
                    message,
                    keepers,
                },
            )
            .collect(),
        stale,
        notice,
        now,
        ctx,
    }))
}

/// What the moderation buttons send.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Action {
    action: String,
    id: i64,
    note: String,
}

/// Tell the keepers of a card what happened to it.
async fn tell_members(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    state: &AppState,
    provider_id: i64,
    name: &str,
    keys: (&str, &str),
    note: &str,
) -> Result<(), sqlx::Error> {
    let people: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.email, u.display_name, u.locale FROM provider_members m JOIN users u ON u.id = m.user_id WHERE m.provider_id = $1",
    )
    .bind(provider_id)
    .fetch_all(&mut **tx)
    .await?;
    for (email, person, locale) in people {
        let tr = crate::i18n::Tr(
            crate::i18n::Locale::from_tag(&locale).unwrap_or(crate::i18n::Locale::Fr),
        );
        let mut body = format!(
            "{}\n\n{}\n",
            tr.ts("mail-hello", "name", &person),
            tr.ts(keys.1, "name", name)
        );
        if !note.is_empty() {
            body.push_str(&format!("\n{}\n", note));
        }
        body.push_str(&format!(
            "\n{}\n",
            crate::kernel::links::absolute(
                &state.config.base_url,
                &format!("/prestataire/fiche/{provider_id}")
            )
        ));
        enqueue(
            tx,
            &NewMail {
                kind: "directory.moderation",
                to: email,
                reply_to: None,
                subject: tr.ts(keys.0, "name", name),
                body_text: body,
            },
        )
        .await?;
    }
    Ok(())
}

/// `POST /admin/annuaire`: approve, reject, unpublish, republish a card;
/// approve or reject a claim.
pub async fn act(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(a): WebForm<Action>,
) -> Result<Response, AppError> {
    let by = ctx.user.as_ref().map(|u| u.id);
    let note: String = a.note.trim().chars().take(1000).collect();
    match a.action.as_str() {
        "approve" | "reject" | "unpublish" | "republish" => {
            let p = model::get(&state.db, a.id)
                .await?
                .ok_or(AppError::NotFound)?;
            let (status, keys) = match a.action.as_str() {
                "approve" | "republish" => (
                    "published",
                    ("dir-mail-approved-subject", "dir-mail-approved-body"),
                ),
                "reject" => (
                    "draft",
                    ("dir-mail-rejected-subject", "dir-mail-rejected-body"),
                ),
                _ => (
                    "unpublished",
                    ("dir-mail-unpublished-subject", "dir-mail-unpublished-body"),
                ),
            };
            store::set_status(&state.db, a.id, status, by, &note).await?;
            state.directory.forget();
            let mut tx = state.db.begin_write().await?;
            tell_members(&mut tx, &state, a.id, &p.name, keys, &note).await?;
            tx.commit().await?;
        }
        "claim-approve" | "claim-reject" => {
            let mut tx = state.db.begin_write().await?;
            let claim: Option<(i64, i64)> =
                sqlx::query_as("SELECT provider_id, user_id FROM provider_claims WHERE id = $1 AND status = 'pending'")
                    .bind(a.id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((provider_id, user_id)) = claim else {
                return Ok(Redirect::to("/admin/annuaire").into_response());
            };
            let approve = a.action == "claim-approve";
            sqlx::query("UPDATE provider_claims SET status = $1, decided_at = $2 WHERE id = $3")
                .bind(if approve { "approved" } else { "rejected" })
                .bind(now_ms())
                .bind(a.id)
                .execute(&mut *tx)
                .await?;
            if approve {
                sqlx::query(
                    "INSERT INTO provider_members (provider_id, user_id) SELECT $1, $2 WHERE NOT EXISTS \
                     (SELECT 1 FROM provider_members WHERE provider_id = $1 AND user_id = $2)",
                )
                .bind(provider_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
                let name: String = sqlx::query_scalar("SELECT name FROM providers WHERE id = $1")
                    .bind(provider_id)
                    .fetch_one(&mut *tx)
                    .await?;
                tell_members(
                    &mut tx,
                    &state,
                    provider_id,
                    &name,
                    ("dir-mail-claimed-subject", "dir-mail-claimed-body"),
                    &note,
                )
                .await?;
            }
            tx.commit().await?;
        }
        _ => return Err(AppError::BadRequest),
    }
    state.mail_notify.notify_one();
    Ok(Redirect::to(&format!("/admin/annuaire?fait={}", a.action)).into_response())
}

/// One refused row of an import.
pub struct Rejected {
    pub line: i64,
    pub name: String,
    pub reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "directory/import.html")]
struct ImportPage {
    ctx: PageCtx,
    file_error: Option<String>,
    imported: Option<i64>,
    duplicates: i64,
    rejected: Vec<Rejected>,
}

/// `GET /admin/annuaire/import`
pub async fn import_form(ctx: PageCtx) -> Response {
    page(&ImportPage {
        ctx,
        file_error: None,
        imported: None,
        duplicates: 0,
        rejected: vec![],
    })
}

/// Largest directory file accepted (the route's body limit).
pub const IMPORT_LIMIT: usize = 4 * 1024 * 1024;

/// `POST /admin/annuaire/import`: every valid row becomes a published card
/// (unclaimed, so its provider can claim it); bad rows are reported with
/// their line and reasons, duplicates are skipped.
pub async fn import(
    State(state): State<AppState>,
    ctx: PageCtx,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let upload = csvio::read_upload(&mut multipart, "file").await;
    let tr = ctx.tr;
    let fail = |ctx: PageCtx, msg: String| {
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ImportPage {
                ctx,
                file_error: Some(msg),
                imported: None,
                duplicates: 0,
                rejected: vec![],
            },
        )
    };
    let csvio::Upload::File(bytes) = upload else {
        let msg = csvio::upload_problem(tr, &upload, IMPORT_LIMIT).unwrap_or_default();
        return Ok(fail(ctx, msg));
    };
    let table = match csvio::parse(&bytes, &["name"]) {
        Ok(t) => t,
        Err(e) => {
            let msg = e.message(tr);
            return Ok(fail(ctx, msg));
        }
    };
    if table.rows.len() > 5000 {
        return Ok(fail(ctx, tr.tn("dir-import-too-many", "limit", 5000)));
    }
    let idx = table.index();
    let themes: Vec<(i64, String)> = sqlx::query_as("SELECT id, slug FROM themes")
        .fetch_all(&state.db.pool)
        .await?;
    let mut imported = 0;
    let mut duplicates = 0;
    let mut rejected = vec![];
    for (line, row) in &table.rows {
        let f = |n: &str| csvio::field(row, &idx, n).trim().to_string();
        let country = {
            let c = f("country").to_uppercase();
            if c.is_empty() {
                "FR".to_string()
            } else {
                c
            }
        };
        let mut form = CardForm {
            name: f("name"),
            country,
            legal_id: f("legal_id"),
            kind: f("type"),
            description: f("description"),
            website: f("website"),
            email: f("email"),
            phone: f("phone"),
            address: f("address"),
            postcode: f("postcode"),
            town: f("town"),
            ..Default::default()
        };
        for slug in f("themes")
            .split([',', '|'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match themes.iter().find(|(_, s)| s == slug) {
                Some((id, _)) => form.links.themes.push(*id),
                None => form.links.themes.push(-1),
            }
        }
        form.links.territories = f("territories")
            .split([',', '|'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        form.remote = matches!(
            f("remote").to_lowercase().as_str(),
            "1" | "oui" | "yes" | "true"
        );
        let region = f("region");
        let valid = match model::validate(&state.db, &form, false).await? {
            Ok(v) => v,
            Err(v) => {
                rejected.push(Rejected {
                    line: *line as i64,
                    name: form.name.clone(),
                    reasons: v
                        .summary(tr)
                        .into_iter()
                        .map(|(field, m)| format!("{field} : {m}"))
                        .collect(),
                });
                continue;
            }
        };
        // Same name in the same postcode: already in the directory.
        let same: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM providers WHERE search_key = $1 AND postcode = $2",
        )
        .bind(crate::text::fold(&valid.name))
        .bind(&valid.postcode)
        .fetch_one(&state.db.pool)
        .await?;
        if same > 0 {
            duplicates += 1;
            continue;
        }
        match store::create(&state.db, &valid, "published", "import", None).await {
            Ok(id) => {
                imported += 1;
                if !region.is_empty() {
                    sqlx::query("UPDATE providers SET region = $1 WHERE id = $2")
                        .bind(region.chars().take(120).collect::<String>())
                        .bind(id)
                        .execute(&state.db.pool)
                        .await?;
                }
            }
            Err(SaveError::IdTaken(_)) => duplicates += 1,
            Err(SaveError::Stale) => {}
            Err(SaveError::Db(e)) => return Err(e.into()),
        }
    }
    state.directory.forget();
    Ok(page(&ImportPage {
        ctx,
        file_error: None,
        imported: Some(imported),
        duplicates,
        rejected,
    }))
}
