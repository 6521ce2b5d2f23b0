//! Coordination across programmes: a manager follows other programmes'
//! open indicators (another Tremplin's `/donnees-ouvertes/indicateurs.json`),
//! a background job keeps the last good copy of each, and the dashboard's
//! readers see this programme's funnel beside theirs, with the sum and its
//! caveat (a business followed by two programmes counts twice).

pub mod model;
pub mod pages;
pub mod store;

use axum::routing::{get, post};

use crate::web::access::{Access, Routes, ADMIN, DASHBOARD};

/// Routes of the coordination view.
pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/tableau-de-bord/coordination",
            Access::Roles(DASHBOARD),
            get(pages::show),
        )
        .route(
            "/tableau-de-bord/coordination/suivre",
            Access::Roles(ADMIN),
            post(pages::follow),
        )
        .route(
            "/tableau-de-bord/coordination/{id}/actualiser",
            Access::Roles(ADMIN),
            post(pages::refresh),
        )
        .route(
            "/tableau-de-bord/coordination/{id}/supprimer",
            Access::Roles(ADMIN),
            post(pages::delete),
        )
}

/// Fetch one followed programme's figures and keep them, or record why
/// not (the last good copy stays).
pub async fn refresh(
    db: &crate::db::Db,
    followed: &store::Followed,
    limits: crate::federation::fetch::Limits,
) -> Result<Result<usize, crate::federation::model::FeedError>, sqlx::Error> {
    let own = crate::federation::store::instance_token(db).await?;
    let outcome = match crate::federation::fetch::get(&followed.url, limits).await {
        Ok(body) => model::parse(&body, &own),
        Err(e) => Err(e),
    };
    let at = crate::db::now_ms();
    match outcome {
        Ok(snapshot) => {
            store::record_success(db, followed.id, &snapshot, at).await?;
            Ok(Ok(snapshot.figures.len()))
        }
        Err(e) => {
            tracing::info!(
                programme = followed.id,
                error = e.code(),
                "coordinated programme not refreshed"
            );
            store::record_failure(db, followed.id, e, at).await?;
            Ok(Err(e))
        }
    }
}

/// Refresh every followed programme (called by the federation job, on the
/// one server that claimed the period's run).
pub async fn refresh_all(db: &crate::db::Db) -> Result<usize, sqlx::Error> {
    let all = store::all(db).await?;
    for f in &all {
        let _ = refresh(db, f, Default::default()).await?;
    }
    Ok(all.len())
}
