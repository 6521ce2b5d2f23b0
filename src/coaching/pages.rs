//! The list of coaching requests.

use askama::Template;
use axum::response::Response;

use super::model::RequestStatus;
use super::store;
use crate::db::Db;
use crate::kernel::dates;
use crate::web::{page, AppError, PageCtx};
use axum::extract::State;

/// Requests listed at most.
const LIMIT: i64 = 500;

/// A coaching request as listed for advisers.
pub struct Request {
    pub name: String,
    pub email: String,
    pub business: String,
    pub session: String,
    pub session_id: Option<i64>,
    pub message: String,
    pub when: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "coaching/requests.html")]
struct RequestsPage {
    ctx: PageCtx,
    requests: Vec<Request>,
}

/// `GET /accompagnement/demandes`
pub async fn requests(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let requests = store::latest(&db, ctx.tr.0, LIMIT)
        .await?
        .into_iter()
        .map(|r| Request {
            when: dates::long_date(ctx.tr, &tz, r.created_at),
            status: match RequestStatus::from_code(&r.status) {
                Some(s) => ctx.tr.t(s.label_key()),
                None => r.status,
            },
            name: r.name,
            email: r.email,
            business: r.business_name,
            session: r.theme.unwrap_or_default(),
            session_id: r.session_id,
            message: r.message,
        })
        .collect();
    Ok(page(&RequestsPage { ctx, requests }))
}
