//! `/api/v1/cases` (list with filters, get, change status with a version
//! check, add an activity) and `/api/v1/referral-bodies`, for staff API
//! tokens. A funder's or a business's token gets 403: files are for the
//! programme's staff, and a file only for its adviser, contributors and
//! managers.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::model::{self, CaseForm};
use super::store;
use crate::api::businesses::{forbidden, is_staff, unavailable, Api};
use crate::auth::tokens::ApiCaller;
use crate::auth::Role;
use crate::db::now_ms;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::forms::ApiJson;
use crate::web::problem::Problem;

/// A follow-up file as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiCase {
    pub id: i64,
    pub business_id: i64,
    pub business_name: String,
    pub template_id: Option<i64>,
    pub origin: String,
    pub adviser_id: Option<i64>,
    pub status: String,
    /// `open` or `closed`.
    pub status_class: String,
    pub outcome: Option<String>,
    pub summary: String,
    /// Unix milliseconds.
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    /// Send it back with a change: a stale version gets 409.
    pub version: i64,
}

impl From<store::Case> for ApiCase {
    fn from(c: store::Case) -> ApiCase {
        let status = c.status();
        ApiCase {
            status_class: match status.class() {
                model::StatusClass::Open => "open",
                model::StatusClass::Closed => "closed",
            }
            .into(),
            id: c.id,
            business_id: c.business_id,
            business_name: c.business_name,
            template_id: c.template_id,
            origin: c.origin,
            adviser_id: c.adviser_id,
            status: c.status,
            outcome: c.outcome,
            summary: c.summary,
            opened_at: c.opened_at,
            closed_at: c.closed_at,
            version: c.version,
        }
    }
}

/// Filters of the list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CaseParams {
    /// Only the files of this adviser.
    pub adviser: Option<i64>,
    /// Only the files of this business.
    pub business: Option<i64>,
    /// `true` to include closed files.
    pub closed: bool,
}

/// A file in a list, with its planning.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiCaseRow {
    pub id: i64,
    pub business_id: i64,
    pub business_name: String,
    pub adviser_id: Option<i64>,
    pub status: String,
    pub opened_at: i64,
    /// Planned activities past due and not done.
    pub overdue: i64,
    pub next_due: Option<i64>,
}

/// List follow-up files.
#[utoipa::path(get, path = "/api/v1/cases", operation_id = "list_cases", params(CaseParams),
    responses((status = 200, body = [ApiCaseRow])),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Api(c, tr): Api,
    Query(p): Query<CaseParams>,
) -> Response {
    if !is_staff(&c) {
        return forbidden(tr);
    }
    match store::list(&state.db, p.adviser, p.business, !p.closed, now_ms(), 1000).await {
        Ok(rows) => Json(
            rows.into_iter()
                .map(|r| ApiCaseRow {
                    id: r.id,
                    business_id: r.business_id,
                    business_name: r.business_name,
                    adviser_id: r.adviser_id,
                    status: r.status,
                    opened_at: r.opened_at,
                    overdue: r.overdue,
                    next_due: r.next_due,
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => unavailable(tr, e),
    }
}

/// One follow-up file (the read is logged).
#[utoipa::path(get, path = "/api/v1/cases/{id}", operation_id = "get_case",
    params(("id" = i64, Path, description = "Follow-up file id")),
    responses((status = 200, body = ApiCase)),
    security(("bearer" = [])))]
pub async fn get(State(state): State<AppState>, Api(c, tr): Api, Path(id): Path<i64>) -> Response {
    if !is_staff(&c) {
        return forbidden(tr);
    }
    let case = match open_for(&state, &c, tr, id).await {
        Ok(case) => case,
        Err(resp) => return resp,
    };
    if let Err(e) = store::log_read(&state.db, id, c.user_id, now_ms()).await {
        return unavailable(tr, e);
    }
    Json(ApiCase::from(case)).into_response()
}

fn not_found(tr: Tr) -> Response {
    Problem::new(
        tr,
        StatusCode::NOT_FOUND,
        "not-found",
        "error-not-found-title",
    )
    .into_response()
}

fn conflict(tr: Tr) -> Response {
    let mut p = Problem::new(tr, StatusCode::CONFLICT, "conflict", "case-edit-conflict");
    p.detail = Some(tr.t("case-edit-conflict"));
    p.into_response()
}

/// The file, when this staff caller may open it (manager, adviser in
/// charge, contributor); otherwise the answer to give (404 or 403).
async fn open_for(
    state: &AppState,
    c: &ApiCaller,
    tr: Tr,
    id: i64,
) -> Result<store::Case, Response> {
    let case = match store::get(&state.db, id).await {
        Ok(Some(case)) => case,
        Ok(None) => return Err(not_found(tr)),
        Err(e) => return Err(unavailable(tr, e)),
    };
    match store::may_open(&state.db, &case, c.user_id, c.role == Role::Admin).await {
        Ok(true) => Ok(case),
        Ok(false) => Err(forbidden(tr)),
        Err(e) => Err(unavailable(tr, e)),
    }
}

/// A change of status, adviser, outcome or summary.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ApiCaseChange {
    pub status: String,
    pub outcome: Option<String>,
    pub adviser_id: Option<i64>,
    pub summary: Option<String>,
    /// The version read: a stale one gets 409.
    pub version: i64,
}

/// Change a file, if nobody changed it since `version`.
#[utoipa::path(patch, path = "/api/v1/cases/{id}", operation_id = "update_case", request_body = ApiCaseChange,
    params(("id" = i64, Path, description = "Follow-up file id")),
    responses((status = 200, body = ApiCase),
        (status = 409, description = "The file changed since the version sent", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Api(c, tr): Api,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ApiCaseChange>,
) -> Response {
    if !is_staff(&c) {
        return forbidden(tr);
    }
    if let Err(resp) = open_for(&state, &c, tr, id).await {
        return resp;
    }
    let db = &state.db;
    let advisers: Vec<i64> = match store::advisers(db).await {
        Ok(a) => a.iter().map(|a| a.0).collect(),
        Err(e) => return unavailable(tr, e),
    };
    let form = CaseForm {
        status: input.status,
        outcome: input.outcome.unwrap_or_default(),
        adviser: input.adviser_id.map(|a| a.to_string()).unwrap_or_default(),
        summary: input.summary.unwrap_or_default(),
        version: input.version.to_string(),
    };
    let valid = match model::parse_case(&form, &advisers) {
        Ok(v) => v,
        Err(v) => return v.to_problem(tr).into_response(),
    };
    let result: Result<Option<bool>, sqlx::Error> = async {
        let mut tx = db.begin_write().await?;
        let Some(locked) = store::lock(&mut tx, db, id).await? else {
            return Ok(None);
        };
        if locked.version != valid.version {
            return Ok(Some(false));
        }
        store::update(&mut tx, id, &locked, &valid, c.user_id, now_ms()).await?;
        tx.commit().await?;
        Ok(Some(true))
    }
    .await;
    match result {
        Ok(Some(true)) => match store::get(db, id).await {
            Ok(Some(case)) => Json(ApiCase::from(case)).into_response(),
            Ok(None) => StatusCode::NOT_FOUND.into_response(),
            Err(e) => unavailable(tr, e),
        },
        Ok(Some(false)) => conflict(tr),
        Ok(None) => not_found(tr),
        Err(e) => unavailable(tr, e),
    }
}

/// A partner body of the catalogue.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiReferralBody {
    pub id: i64,
    pub name: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub territory_code: Option<String>,
    pub themes: String,
    pub url: String,
    pub active: bool,
}

/// The catalogue of partner bodies.
#[utoipa::path(get, path = "/api/v1/referral-bodies", operation_id = "list_referral_bodies",
    responses((status = 200, body = [ApiReferralBody])),
    security(("bearer" = [])))]
pub async fn bodies(State(state): State<AppState>, Api(c, tr): Api) -> Response {
    if !is_staff(&c) {
        return forbidden(tr);
    }
    match store::bodies(&state.db).await {
        Ok(rows) => Json(
            rows.into_iter()
                .map(|b| ApiReferralBody {
                    id: b.id,
                    name: b.name,
                    contact_name: b.contact_name,
                    email: b.email,
                    phone: b.phone,
                    territory_code: b.territory_code,
                    themes: b.themes,
                    url: b.url,
                    active: b.active == 1,
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => unavailable(tr, e),
    }
}

/// A file to open.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ApiCaseInput {
    pub business_id: i64,
    pub template_id: Option<i64>,
    /// `coaching-request`, `assisted-diagnostic`, `contact-message`, `partner-referral` or `manual`.
    pub origin: Option<String>,
    pub origin_id: Option<i64>,
    pub adviser_id: Option<i64>,
    pub summary: Option<String>,
}

/// Open a file; its template's activities are planned at once. Send an
/// `Idempotency-Key` to make a retry safe.
#[utoipa::path(post, path = "/api/v1/cases", operation_id = "create_case", request_body = ApiCaseInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Client-chosen key that makes retries safe")),
    responses((status = 201, body = ApiCase)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Api(c, tr): Api,
    headers: axum::http::HeaderMap,
    ApiJson(input): ApiJson<ApiCaseInput>,
) -> Response {
    use crate::api::idempotency;
    if !is_staff(&c) {
        return forbidden(tr);
    }
    let db = &state.db;
    let known = async {
        Ok::<_, sqlx::Error>((
            store::businesses(db)
                .await?
                .iter()
                .map(|b| b.0)
                .collect::<Vec<_>>(),
            store::templates(db)
                .await?
                .iter()
                .filter(|t| t.active == 1)
                .map(|t| t.id)
                .collect::<Vec<_>>(),
            store::advisers(db)
                .await?
                .iter()
                .map(|a| a.0)
                .collect::<Vec<_>>(),
        ))
    }
    .await;
    let (businesses, templates, advisers) = match known {
        Ok(k) => k,
        Err(e) => return unavailable(tr, e),
    };
    let form = model::OpenForm {
        business: input.business_id.to_string(),
        template: input.template_id.map(|t| t.to_string()).unwrap_or_default(),
        origin: input.origin.unwrap_or_default(),
        origin_id: input.origin_id.map(|o| o.to_string()).unwrap_or_default(),
        adviser: input.adviser_id.map(|a| a.to_string()).unwrap_or_default(),
        opened_on: String::new(),
        summary: input.summary.unwrap_or_default(),
    };
    let valid = match model::parse_open(&form, &businesses, &templates, &advisers) {
        Ok(v) => v,
        Err(v) => return v.to_problem(tr).into_response(),
    };
    let key = idempotency::key(&headers);
    let scope = format!("cases:{}", c.user_id);
    if let Some(k) = &key {
        let fp = idempotency::fingerprint(&[&form.business, &form.template, &form.summary]);
        if let Err(resp) = idempotency::reserve(&state, tr, &scope, k, &fp).await {
            return resp;
        }
    }
    let programme = state.programme_or_default().await;
    let tz = crate::kernel::dates::zone(&programme.timezone);
    let opened = super::pages::open_case(db, &tz, tr.0, &valid, c.user_id).await;
    let id = match opened {
        Ok(id) => id,
        Err(e) => {
            if let Some(k) = &key {
                idempotency::release(&state, &scope, k).await;
            }
            return unavailable(tr, e);
        }
    };
    let body = match store::get(db, id).await {
        Ok(Some(case)) => serde_json::to_string(&ApiCase::from(case)).unwrap_or_default(),
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return unavailable(tr, e),
    };
    if let Some(k) = &key {
        idempotency::complete(&state, &scope, k, StatusCode::CREATED, &body).await;
    }
    (
        StatusCode::CREATED,
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/json".to_string(),
            ),
            (axum::http::header::LOCATION, format!("/api/v1/cases/{id}")),
        ],
        body,
    )
        .into_response()
}

/// An activity to add to a file, as the file page's form takes it.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ApiActivityInput {
    /// `note`, `meeting`, `call`, `audit` or `closing`.
    pub kind: String,
    pub title: Option<String>,
    pub body: Option<String>,
    /// The day it happened (`YYYY-MM-DD`, programme time zone).
    pub date: Option<String>,
    /// When it started (`HH:MM`).
    pub time: Option<String>,
    /// The day it is planned for (`YYYY-MM-DD`), when it has not happened yet.
    pub due: Option<String>,
    /// Duration in minutes, up to a day.
    pub minutes: Option<i64>,
    pub place: Option<String>,
    pub online: Option<bool>,
    /// Who attended (meetings).
    pub attendees: Option<String>,
    /// Shown to the business owner (notes never are).
    pub shared: Option<bool>,
    /// Audit observations by diagnostic dimension code.
    pub observations: Option<std::collections::BTreeMap<String, String>>,
    /// The file's version read: when sent and stale, 409.
    pub case_version: Option<i64>,
}

/// An activity of a file.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiActivity {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    /// Unix milliseconds.
    pub due_at: Option<i64>,
    /// Unix milliseconds.
    pub happened_at: Option<i64>,
    pub minutes: i64,
    pub place: String,
    pub online: bool,
    pub attendees: String,
    pub shared: bool,
    pub author_id: Option<i64>,
    /// Unix milliseconds.
    pub created_at: i64,
    pub version: i64,
}

impl From<store::Activity> for ApiActivity {
    fn from(a: store::Activity) -> ApiActivity {
        ApiActivity {
            id: a.id,
            case_id: a.case_id,
            kind: a.kind,
            title: a.title,
            body: a.body,
            due_at: a.due_at,
            happened_at: a.happened_at,
            minutes: a.minutes,
            place: a.place,
            online: a.online == 1,
            attendees: a.attendees,
            shared: a.shared == 1,
            author_id: a.author_id,
            created_at: a.created_at,
            version: a.version,
        }
    }
}

impl ApiActivityInput {
    /// The same form the file page sends, so the same rules apply.
    fn form(&self) -> model::ActivityForm {
        let flag = |b: Option<bool>| b.filter(|b| *b).map(|_| "1".to_string());
        model::ActivityForm {
            kind: self.kind.clone(),
            title: self.title.clone().unwrap_or_default(),
            body: self.body.clone().unwrap_or_default(),
            date: self.date.clone().unwrap_or_default(),
            time: self.time.clone().unwrap_or_default(),
            due: self.due.clone().unwrap_or_default(),
            minutes: self.minutes.map(|m| m.to_string()).unwrap_or_default(),
            place: self.place.clone().unwrap_or_default(),
            online: flag(self.online),
            attendees: self.attendees.clone().unwrap_or_default(),
            shared: flag(self.shared),
            version: String::new(),
            rest: self
                .observations
                .iter()
                .flatten()
                .map(|(dim, text)| (format!("obs_{dim}"), text.clone()))
                .collect(),
        }
    }
}

/// Add an activity (note, meeting, call, audit report) to a file, checked
/// as on the file page: dates, a duration up to a day, no meeting overlapping
/// another of the same adviser (422). Send `case_version` to be told (409)
/// when the file changed since it was read, and an `Idempotency-Key` to make
/// a retry safe.
#[utoipa::path(post, path = "/api/v1/cases/{id}/activities", operation_id = "add_case_activity",
    request_body = ApiActivityInput,
    params(("id" = i64, Path, description = "Follow-up file id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Client-chosen key that makes retries safe")),
    responses((status = 201, body = ApiActivity),
        (status = 409, description = "The file changed since the version sent", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn add_activity(
    State(state): State<AppState>,
    Api(c, tr): Api,
    Path(id): Path<i64>,
    headers: axum::http::HeaderMap,
    ApiJson(input): ApiJson<ApiActivityInput>,
) -> Response {
    use crate::api::idempotency;
    if !is_staff(&c) {
        return forbidden(tr);
    }
    let db = &state.db;
    let case = match open_for(&state, &c, tr, id).await {
        Ok(case) => case,
        Err(resp) => return resp,
    };
    // The file's version is checked under its lock, after a retry has been
    // answered from its first answer.
    let programme = state.programme_or_default().await;
    let tz = crate::kernel::dates::zone(&programme.timezone);
    let busy = match case.adviser_id {
        Some(a) => match store::busy(db, a, 0).await {
            Ok(b) => b,
            Err(e) => return unavailable(tr, e),
        },
        None => vec![],
    };
    let form = input.form();
    // A retry is answered from its first answer before anything is checked
    // again (the first meeting would now overlap itself).
    let key = idempotency::key(&headers);
    let scope = format!("case-activities:{}:{id}", c.user_id);
    if let Some(k) = &key {
        let fp = serde_json::to_string(&(
            &form.kind,
            &form.title,
            &form.body,
            &form.date,
            &form.time,
            &form.due,
            &form.minutes,
        ))
        .unwrap_or_default();
        let fp = idempotency::fingerprint(&[&fp]);
        if let Err(resp) = idempotency::reserve(&state, tr, &scope, k, &fp).await {
            return resp;
        }
    }
    let valid = match model::parse_activity(
        &form,
        &model::ActivityContext {
            tz: &tz,
            opened_at: case.opened_at,
            busy: &busy,
        },
    ) {
        Ok(v) => v,
        Err(v) => {
            if let Some(k) = &key {
                idempotency::release(&state, &scope, k).await;
            }
            return v.to_problem(tr).into_response();
        }
    };
    let now = now_ms();
    let added: Result<Option<i64>, sqlx::Error> = async {
        let mut tx = db.begin_write().await?;
        let Some(locked) = store::lock(&mut tx, db, id).await? else {
            return Ok(None);
        };
        if input.case_version.is_some_and(|v| v != locked.version) {
            return Ok(Some(0));
        }
        let aid = store::insert_activity(&mut tx, id, &valid, c.user_id, now).await?;
        tx.commit().await?;
        Ok(Some(aid))
    }
    .await;
    let aid = match added {
        Ok(Some(aid)) if aid > 0 => aid,
        other => {
            if let Some(k) = &key {
                idempotency::release(&state, &scope, k).await;
            }
            return match other {
                Ok(None) => not_found(tr),
                Err(e) => unavailable(tr, e),
                _ => conflict(tr),
            };
        }
    };
    if case.adviser_id != Some(c.user_id) {
        if let Err(e) = store::add_contributor(db, id, c.user_id, now).await {
            return unavailable(tr, e);
        }
    }
    let body = match store::activity(db, id, aid).await {
        Ok(Some(a)) => serde_json::to_string(&ApiActivity::from(a)).unwrap_or_default(),
        Ok(None) => return not_found(tr),
        Err(e) => return unavailable(tr, e),
    };
    if let Some(k) = &key {
        idempotency::complete(&state, &scope, k, StatusCode::CREATED, &body).await;
    }
    (
        StatusCode::CREATED,
        [(
            axum::http::header::CONTENT_TYPE,
            "application/json".to_string(),
        )],
        body,
    )
        .into_response()
}
