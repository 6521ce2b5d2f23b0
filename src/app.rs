//! The router and the server loop. The shared state lives in `state.rs`.

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;
use tokio::sync::watch;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;

pub use crate::state::AppState;
use crate::web::access::{Access, Guard, Routes};
use crate::web::{self, forms::BODY_LIMIT};

/// Every route of the application, each with who may use it.
pub fn routes() -> Routes {
    Routes::new()
        .merge(crate::home::routes())
        .merge(crate::contact::routes())
        .merge(crate::auth::routes())
        .merge(crate::business::routes())
        .merge(crate::setup::routes())
        .merge(crate::diagnostic::routes())
        .merge(crate::workshops::routes())
        .merge(crate::dashboard::routes())
        .merge(crate::coordination::routes())
        .merge(crate::coaching::routes())
        .merge(crate::cases::routes())
        .merge(crate::directory::routes())
        .merge(crate::needs::routes())
        .merge(crate::communes::routes())
        .merge(crate::board::routes())
        .merge(crate::guides::routes())
        .merge(crate::funding::routes())
        .merge(crate::ops::routes())
        .merge(crate::privacy::routes())
        .merge(crate::sponsors::routes())
        .merge(crate::opendata::routes())
        .merge(crate::federation::routes())
        .merge(crate::api::routes())
        .merge(crate::testimonies::routes())
        .merge(crate::loans::routes())
        .merge(crate::calls::routes())
        .route("/static/{name}", Access::Public, get(web::assets::serve))
        .route(
            "/lang/{code}",
            Access::Public,
            get(web::pipeline::switch_language),
        )
        .route(
            "/programme",
            Access::Public,
            get(web::pipeline::choose_programme),
        )
}

/// The router: every route behind the request pipeline and the access guard.
pub fn router(state: AppState) -> Router {
    let (routes, table) = routes().into_parts();
    routes
        .fallback(web::pipeline::not_found)
        .layer(CatchPanicLayer::custom(web::pipeline::panic_response))
        .layer(axum::middleware::from_fn_with_state(
            Guard {
                state: state.clone(),
                table,
            },
            web::access::enforce,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            web::pipeline::frame,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// A future that completes on Ctrl-C or SIGTERM. The handlers are installed
/// when this is called (not when first polled), so call it before the port
/// opens: a SIGTERM arriving right after start-up still shuts down cleanly.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let term = signal(SignalKind::terminate()).ok();
        let int = signal(SignalKind::interrupt()).ok();
        async move {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(term) => {},
                _ = wait(int) => {},
            }
            tracing::info!("shutdown requested: finishing requests in flight");
        }
    }
    #[cfg(not(unix))]
    async move {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutdown requested: finishing requests in flight");
    }
}

/// Serve on an already-bound listener until `shutdown` completes. The outbox
/// worker runs beside the server and stops with it.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let worker = tokio::spawn(crate::outbox::worker::run(
        state.db.clone(),
        state.mailer.clone(),
        state.config.mail_from.clone(),
        state.config.base_url.to_string(),
        state.mail_notify.clone(),
        stop_rx.clone(),
    ));
    let jobs = tokio::spawn(crate::jobs::run(state.clone(), stop_rx));
    let trim = tokio::spawn(crate::trim_allocator_forever());
    tokio::spawn(crate::directory::index::warm(
        state.db.clone(),
        state.directory.snapshot.clone(),
    ));
    // The dashboard's facts folded before the first page asks for them.
    let (facts_db, folded) = (state.db.clone(), state.facts.clone());
    tokio::spawn(async move {
        if let Err(e) = folded.snapshot(&facts_db).await {
            tracing::warn!("dashboard facts not folded at start: {e}");
        }
    });
    let limits = web::server::Limits::from_config(&state.config);
    let app = router(state);
    web::server::run(listener, app, limits, shutdown).await;
    trim.abort();
    let _ = stop_tx.send(true);
    let _ = worker.await;
    let _ = jobs.await;
    Ok(())
}
