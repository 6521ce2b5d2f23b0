//! The programme team: staff list, invitations, and accepting one.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;

use super::{accept_password_link, password_form, sign_in, Accepted};
use crate::auth::mails::{self, Inviter};
use crate::auth::model::{CurrentUser, InviteInput, LinkPurpose, PasswordInput, Role};
use crate::auth::store;
use crate::config::Config;
use crate::db::Db;
use crate::i18n::Tr;
use crate::outbox::enqueue;
use crate::state::AppState;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// A staff member as listed on the team page.
pub struct StaffRow {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    /// Each role held: its code and its name.
    pub roles: Vec<(String, String)>,
    /// The partner a funder reads alone (what it brought), if limited.
    pub partner: Option<i64>,
    /// The programme they are limited to (their team, or the one they fund).
    pub programme: Option<i64>,
    /// True for a programme manager (who works in every programme).
    pub manager: bool,
}

/// What a manager asks when taking a role away.
#[derive(Debug, Default, serde::Deserialize)]
pub struct RevokeInput {
    #[serde(default)]
    pub user_id: String,
    #[serde(default)]
    pub role: String,
}

/// A manager's choice of what a funder-role reader sees.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ScopeInput {
    #[serde(default)]
    pub user_id: String,
    /// A partner's id, or empty for the whole programme.
    #[serde(default)]
    pub partner_id: String,
}

#[derive(Template)]
#[template(path = "auth/team.html")]
struct TeamPage {
    ctx: PageCtx,
    /// The programme's partners (id, name), for a reader's scope.
    partners: Vec<(i64, String)>,
    input: InviteInput,
    errors: Violations,
    staff: Vec<StaffRow>,
    pending: Vec<(String, String)>,
    notice: Option<String>,
    /// A refused change, shown as an alert.
    refusal: Option<String>,
}

impl TeamPage {
    fn role_checked(&self, code: &str) -> bool {
        self.input.roles().iter().any(|r| r.code() == code)
    }
    fn role_label(&self, code: &str) -> String {
        self.ctx.tr.code("role-", code)
    }
    fn scope_selected(&self, s: &StaffRow, partner: &i64) -> bool {
        s.partner == Some(*partner)
    }
    fn programme_selected(&self, s: &StaffRow, c: &crate::programme::Choice) -> bool {
        s.programme == Some(c.id)
    }
}

/// Role names of stored codes, joined.
fn role_names(tr: Tr, codes: &str) -> String {
    Role::split(codes)
        .iter()
        .map(|r| tr.t(r.label_key()))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn team_page(
    db: &Db,
    ctx: PageCtx,
    input: InviteInput,
    errors: Violations,
    notice: Option<String>,
) -> Result<TeamPage, AppError> {
    let tr = ctx.tr;
    let mut staff: Vec<StaffRow> = vec![];
    for row in store::staff_roles(db).await? {
        let role = (row.role.clone(), tr.code("role-", &row.role));
        let funder = row.role == Role::Funder.code();
        let manager = row.role == Role::Admin.code();
        let partner = row.partner_id.filter(|_| funder);
        let programme = row.programme_id.filter(|_| !manager);
        match staff.last_mut() {
            Some(last) if last.user_id == row.user_id => {
                last.roles.push(role);
                last.partner = last.partner.or(partner);
                last.programme = last.programme.or(programme);
                last.manager |= manager;
            }
            _ => staff.push(StaffRow {
                user_id: row.user_id,
                name: row.display_name,
                email: row.email,
                roles: vec![role],
                partner,
                programme,
                manager,
            }),
        }
    }
    let pending = store::pending_invitations(db)
        .await?
        .into_iter()
        .map(|p| (p.email, role_names(tr, &p.roles)))
        .collect();
    let partners = crate::dashboard::store::partner_names(db).await?;
    Ok(TeamPage {
        ctx,
        partners,
        input,
        errors,
        staff,
        pending,
        notice,
        refusal: None,
    })
}

/// The team page with an empty invitation form, a notice and a refusal.
async fn blank_page(
    db: &Db,
    ctx: PageCtx,
    notice: Option<String>,
    refusal: Option<String>,
) -> Result<TeamPage, AppError> {
    let mut p = team_page(
        db,
        ctx,
        InviteInput::default(),
        Violations::default(),
        notice,
    )
    .await?;
    p.refusal = refusal;
    Ok(p)
}

/// The team page.
pub async fn show(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let p = blank_page(&db, ctx, None, None).await?;
    Ok(page(&p))
}

/// Invite someone into staff roles: a single-use link by mail.
pub async fn invite(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    WebForm(input): WebForm<InviteInput>,
) -> Result<Response, AppError> {
    let invitation = match input.parse() {
        Ok(i) => i,
        Err(v) => {
            let p = team_page(&state.db, ctx, input, v, None).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let tr = ctx.tr;
    let programme = state.programme().await?;
    let mut tx = state.db.begin_write().await?;
    let token = store::issue_link(
        &mut tx,
        LinkPurpose::Invite,
        None,
        &invitation.email,
        &invitation.roles,
        user.as_ref().map(|u| u.id),
    )
    .await?;
    let inviter = Inviter {
        name: user.as_ref().map(|u| u.name.as_str()).unwrap_or_default(),
        email: user.as_ref().map(|u| u.email.as_str()),
    };
    let mail = mails::invitation(
        tr,
        &state.config.base_url,
        &programme.name,
        inviter,
        &invitation.email,
        &invitation.roles,
        &token,
    );
    enqueue(&mut tx, &mail).await?;
    tx.commit().await?;
    state.mail_notify.notify_one();
    let notice = Some(tr.ts("auth-invite-sent", "email", &invitation.email));
    let p = blank_page(&state.db, ctx, notice, None).await?;
    Ok(page(&p))
}

/// Take one staff role away from someone. The audit log names the manager
/// who did it; the last manager keeps the role; a role already taken away
/// (two managers on the same page) is answered, not an error page.
pub async fn revoke(
    State(db): State<Db>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    WebForm(input): WebForm<RevokeInput>,
) -> Result<Response, AppError> {
    let Some(actor) = user.as_ref().map(|u| u.id) else {
        return Err(AppError::Forbidden);
    };
    let tr = ctx.tr;
    let role = Role::from_code(&input.role).filter(|r| Role::STAFF.contains(r));
    let (Ok(user_id), Some(role)) = (input.user_id.parse::<i64>(), role) else {
        let p = blank_page(&db, ctx, None, Some(tr.t("team-revoke-unknown"))).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    };
    let name = store::display_name(&db, user_id).await?.unwrap_or_default();
    let mut tx = db.begin_write().await?;
    let outcome = store::revoke_role(db.backend, &mut tx, user_id, role, actor).await?;
    let role_name = tr.t(role.label_key());
    let args = [("role", role_name.as_str()), ("name", name.as_str())];
    match outcome {
        Ok(()) => {
            tx.commit().await?;
            let notice = Some(tr.args("team-revoked", &args));
            let p = blank_page(&db, ctx, notice, None).await?;
            Ok(page(&p))
        }
        Err(refused) => {
            drop(tx);
            let key = match refused {
                store::RevokeRefused::NotHeld => "team-revoke-not-held",
                store::RevokeRefused::LastManager => "team-revoke-last-manager",
            };
            let p = blank_page(&db, ctx, None, Some(tr.args(key, &args))).await?;
            Ok(render(StatusCode::CONFLICT, &p))
        }
    }
}

/// The team page refusing a scope change: no such person or choice.
async fn unknown_scope(db: &Db, ctx: PageCtx) -> Result<Response, AppError> {
    let msg = ctx.tr.t("team-scope-unknown");
    let p = blank_page(db, ctx, None, Some(msg)).await?;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
}

/// Audit a scope change in its transaction, commit, and show the team page
/// with `notice`.
async fn scoped(
    db: &Db,
    ctx: PageCtx,
    mut tx: store::Tx,
    manager: &crate::auth::model::SessionUser,
    user_id: i64,
    detail: &str,
    notice: String,
) -> Result<Response, AppError> {
    crate::privacy::store::record(
        &mut *tx,
        &crate::privacy::store::NewAudit {
            actor_id: Some(manager.id),
            actor: &manager.email,
            action: crate::privacy::model::AuditAction::RoleScoped,
            subject: &format!("user #{user_id}"),
            detail,
        },
    )
    .await?;
    tx.commit().await?;
    let p = blank_page(db, ctx, Some(notice), None).await?;
    Ok(page(&p))
}

/// Limit a funder-role reader to what one partner brought, or let them read
/// the whole programme again.
pub async fn scope(
    State(db): State<Db>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    WebForm(input): WebForm<ScopeInput>,
) -> Result<Response, AppError> {
    let Some(manager) = user.as_ref() else {
        return Err(AppError::Forbidden);
    };
    let tr = ctx.tr;
    let partners = crate::dashboard::store::partner_names(&db).await?;
    let partner = match input.partner_id.trim() {
        "" => Ok(None),
        id => id
            .parse::<i64>()
            .ok()
            .and_then(|id| partners.iter().find(|(p, _)| *p == id))
            .map(|(id, name)| Some((*id, name.clone())))
            .ok_or(()),
    };
    let (Ok(user_id), Ok(partner)) = (input.user_id.parse::<i64>(), partner) else {
        return unknown_scope(&db, ctx).await;
    };
    let name = store::display_name(&db, user_id).await?.unwrap_or_default();
    // The change and its audit line go in together.
    let mut tx = db.begin_write().await?;
    if !store::set_reader_partner(&mut tx, user_id, partner.as_ref().map(|p| p.0)).await? {
        drop(tx);
        return unknown_scope(&db, ctx).await;
    }
    let detail = match &partner {
        Some((id, _)) => format!("funder: partner #{id}"),
        None => "funder: whole programme".to_string(),
    };
    let notice = match &partner {
        Some((_, partner)) => tr.args(
            "team-scope-partner",
            &[("name", name.as_str()), ("partner", partner.as_str())],
        ),
        None => tr.ts("team-scope-all", "name", &name),
    };
    scoped(&db, ctx, tx, manager, user_id, &detail, notice).await
}

/// A manager's choice of the programme a person works in or reads.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ProgrammeScopeInput {
    #[serde(default)]
    pub user_id: String,
    /// A programme's id, or empty for every programme.
    #[serde(default)]
    pub programme_id: String,
}

/// Limit an adviser, a speaker or a funder to one programme (the team they
/// are part of, the programme they fund), or open every programme to them.
pub async fn programme_scope(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    WebForm(input): WebForm<ProgrammeScopeInput>,
) -> Result<Response, AppError> {
    let Some(manager) = user.as_ref() else {
        return Err(AppError::Forbidden);
    };
    let db = &state.db;
    let tr = ctx.tr;
    let programme = match input.programme_id.trim() {
        "" => Ok(None),
        id => id
            .parse::<i64>()
            .ok()
            .and_then(|id| ctx.choices.iter().find(|c| c.id == id))
            .map(|c| Some((c.id, c.name.clone())))
            .ok_or(()),
    };
    let (Ok(user_id), Ok(programme)) = (input.user_id.parse::<i64>(), programme) else {
        return unknown_scope(db, ctx).await;
    };
    let name = store::display_name(db, user_id).await?.unwrap_or_default();
    // The change and its audit line go in together.
    let mut tx = db.begin_write().await?;
    if !store::set_programme_limit(&mut tx, user_id, programme.as_ref().map(|p| p.0)).await? {
        drop(tx);
        return unknown_scope(db, ctx).await;
    }
    let detail = match &programme {
        Some((id, _)) => format!("programme #{id}"),
        None => "every programme".to_string(),
    };
    let notice = match &programme {
        Some((_, programme)) => tr.args(
            "team-programme-one",
            &[("name", name.as_str()), ("programme", programme.as_str())],
        ),
        None => tr.ts("team-programme-all", "name", &name),
    };
    scoped(db, ctx, tx, manager, user_id, &detail, notice).await
}

/// The form behind an invitation link: a name and a password.
pub async fn invitation_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    password_form(&db, ctx, LinkPurpose::Invite, &token).await
}

/// Accept an invitation: create (or update) the account, grant the roles, sign in.
pub async fn accept(
    State(db): State<Db>,
    State(config): State<Arc<Config>>,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(token): Path<String>,
    WebForm(input): WebForm<PasswordInput>,
) -> Result<Response, AppError> {
    let accepted = accept_password_link(&db, ctx, LinkPurpose::Invite, &token, input).await?;
    let Accepted {
        mut tx,
        grant,
        name,
        hash,
        ctx,
    } = match accepted {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    let user_id = match store::user_id_by_email(&mut tx, &grant.email).await? {
        Some(id) => {
            store::set_password(&mut tx, id, &hash).await?;
            id
        }
        None => {
            store::create_user(
                &mut tx,
                &store::NewUser {
                    email: &grant.email,
                    name: &name,
                    password_hash: &hash,
                    locale: ctx.tr.lang(),
                    verified_at: Some(crate::db::now_ms()),
                },
            )
            .await?
        }
    };
    for role in &grant.roles {
        // Audited by the database (privacy::triggers), as on every path;
        // the manager who sent the invitation is the one who granted it.
        store::grant_role(&mut tx, user_id, *role, grant.created_by).await?;
    }
    tx.commit().await?;
    sign_in(&db, &config, &headers, user_id, "/compte?bienvenue=1").await
}
