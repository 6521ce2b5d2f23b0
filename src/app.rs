//! Shared state, the router and the server loop.

use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;
use tokio::sync::{watch, Notify, RwLock};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;

use crate::config::Config;
use crate::db::Db;
use crate::outbox::Mailer;
use crate::programme::{self, ProgrammeInfo};
use crate::web::metrics::Metrics;
use crate::web::{self, forms::BODY_LIMIT, AppError};

/// How long the programme record is cached (several servers may edit it).
const PROGRAMME_TTL: Duration = Duration::from_secs(5);

/// Everything handlers share. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The contents of [`AppState`].
pub struct Inner {
    pub db: Db,
    pub config: Arc<Config>,
    pub mailer: Mailer,
    /// Wakes the outbox worker when a message was queued.
    pub mail_notify: Arc<Notify>,
    pub metrics: Metrics,
    programme: RwLock<Option<(Instant, Arc<ProgrammeInfo>)>>,
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Build the state around an open database.
    pub fn new(db: Db, config: Config, mailer: Mailer) -> AppState {
        AppState(Arc::new(Inner {
            db,
            config: Arc::new(config),
            mailer,
            mail_notify: Arc::new(Notify::new()),
            metrics: Metrics::default(),
            programme: RwLock::new(None),
        }))
    }

    /// The programme, cached briefly. A stale copy is served while the
    /// database is unreachable.
    pub async fn programme(&self) -> Result<Arc<ProgrammeInfo>, AppError> {
        if let Some((at, p)) = self.programme.read().await.as_ref() {
            if at.elapsed() < PROGRAMME_TTL {
                return Ok(p.clone());
            }
        }
        match programme::load(&self.db).await {
            Ok(p) => {
                let p = Arc::new(p);
                *self.programme.write().await = Some((Instant::now(), p.clone()));
                Ok(p)
            }
            Err(e) => match self.programme.read().await.as_ref() {
                Some((_, p)) => {
                    tracing::warn!(error = %e, "serving cached programme: database error");
                    Ok(p.clone())
                }
                None => Err(e.into()),
            },
        }
    }

    /// The cached programme's default language, without touching the database.
    pub fn cached_default_locale(&self) -> Option<crate::i18n::Locale> {
        self.programme
            .try_read()
            .ok()
            .and_then(|g| g.as_ref().and_then(|(_, p)| p.default_locale))
    }

    /// The programme, or a neutral placeholder when it cannot be read (error pages).
    pub async fn programme_or_default(&self) -> Arc<ProgrammeInfo> {
        self.programme()
            .await
            .unwrap_or_else(|_| Arc::new(ProgrammeInfo::unconfigured()))
    }

    /// Forget the cached programme (after an edit).
    pub async fn invalidate_programme(&self) {
        *self.programme.write().await = None;
    }
}

/// Every route of the application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(crate::home::routes())
        .merge(crate::contact::handlers::routes())
        .merge(crate::auth::handlers::routes())
        .merge(crate::auth::tokens::routes())
        .merge(crate::business::handlers::routes())
        .merge(crate::setup::routes())
        .merge(crate::diagnostic::handlers::routes())
        .merge(crate::workshops::routes())
        .merge(crate::directory::routes())
        .merge(crate::ops::routes())
        .merge(crate::api::routes())
        .route("/static/{name}", get(web::assets::serve))
        .route("/lang/{code}", get(web::pipeline::switch_language))
        .fallback(web::pipeline::not_found)
        .layer(CatchPanicLayer::custom(web::pipeline::panic_response))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
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
        state.mail_notify.clone(),
        stop_rx.clone(),
    ));
    let jobs = tokio::spawn(crate::jobs::run(state.clone(), stop_rx));
    let app = router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    let _ = stop_tx.send(true);
    let _ = worker.await;
    let _ = jobs.await;
    Ok(())
}
