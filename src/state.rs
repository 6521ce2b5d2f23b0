//! The state every handler may extract: the database, the configuration,
//! the mailer, metrics and the per-process caches. Handlers extract only what
//! they use (`State<Db>`, `State<Arc<Config>>`) through [`FromRef`].

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::FromRef;
use tokio::sync::{Notify, RwLock};

use crate::config::Config;
use crate::db::Db;
use crate::outbox::Mailer;
use crate::programme::{self, ProgrammeInfo};
use crate::web::metrics::Metrics;
use crate::web::AppError;

/// How long the programme record is cached (several servers may edit it).
const PROGRAMME_TTL: Duration = Duration::from_secs(5);

/// A copy read at an instant.
type Cached<T> = (Instant, Arc<T>);

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
    /// The diagnostic's caches (submitted diagnostics, results pages, themes, comparisons).
    pub diagnostic: crate::diagnostic::cache::Caches,
    /// The workshop pages' caches.
    pub workshops: crate::workshops::cache::Caches,
    /// Registrations written together on SQLite (started on first use).
    pub bookings: crate::workshops::batch::Batcher,
    /// Programmes read recently, by id (`None`: the first).
    programme: RwLock<HashMap<Option<i64>, Cached<ProgrammeInfo>>>,
    /// The programmes a visitor may choose from.
    choices: RwLock<Option<(Instant, Arc<[programme::Choice]>)>>,
    /// The directory's snapshot and search caches.
    pub directory: crate::directory::cache::Caches,
    /// The dashboard's facts, folded in memory and kept live.
    pub facts: crate::dashboard::facts::Folded,
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
            diagnostic: Default::default(),
            workshops: crate::workshops::cache::Caches::new(),
            bookings: Default::default(),
            programme: RwLock::new(HashMap::new()),
            choices: RwLock::new(None),
            directory: Default::default(),
            facts: Default::default(),
        }))
    }

    /// The programme of the request being served, cached briefly. A stale
    /// copy is served while the database is unreachable.
    pub async fn programme(&self) -> Result<Arc<ProgrammeInfo>, AppError> {
        let key = programme::current();
        if let Some((at, p)) = self.programme.read().await.get(&key) {
            if at.elapsed() < PROGRAMME_TTL {
                return Ok(p.clone());
            }
        }
        match programme::load(&self.db, key).await {
            Ok(p) => {
                let p = Arc::new(p);
                self.programme
                    .write()
                    .await
                    .insert(key, (Instant::now(), p.clone()));
                Ok(p)
            }
            Err(e) => match self.programme.read().await.get(&key) {
                Some((_, p)) => {
                    tracing::warn!(error = %e, "serving cached programme: database error");
                    Ok(p.clone())
                }
                None => Err(e.into()),
            },
        }
    }

    /// Every programme of the instance, cached briefly like the programme.
    pub async fn choices(&self) -> Result<Arc<[programme::Choice]>, AppError> {
        if let Some((at, c)) = self.choices.read().await.as_ref() {
            if at.elapsed() < PROGRAMME_TTL {
                return Ok(c.clone());
            }
        }
        match programme::choices(&self.db).await {
            Ok(c) => {
                let c: Arc<[programme::Choice]> = c.into();
                *self.choices.write().await = Some((Instant::now(), c.clone()));
                Ok(c)
            }
            Err(e) => match self.choices.read().await.as_ref() {
                Some((_, c)) => Ok(c.clone()),
                None => Err(e.into()),
            },
        }
    }

    /// The cached programme's default language, without touching the database.
    pub fn cached_default_locale(&self) -> Option<crate::i18n::Locale> {
        let key = programme::current();
        self.programme
            .try_read()
            .ok()
            .and_then(|g| g.get(&key).and_then(|(_, p)| p.default_locale))
    }

    /// The programme, or a neutral placeholder when it cannot be read (error pages).
    pub async fn programme_or_default(&self) -> Arc<ProgrammeInfo> {
        self.programme()
            .await
            .unwrap_or_else(|_| Arc::new(ProgrammeInfo::unconfigured()))
    }

    /// Forget the cached programmes (after an edit).
    pub async fn invalidate_programme(&self) {
        self.programme.write().await.clear();
        *self.choices.write().await = None;
    }
}

impl FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Db {
        state.db.clone()
    }
}

impl FromRef<AppState> for Arc<Config> {
    fn from_ref(state: &AppState) -> Arc<Config> {
        state.config.clone()
    }
}

impl FromRef<AppState> for crate::dashboard::facts::Folded {
    fn from_ref(state: &AppState) -> crate::dashboard::facts::Folded {
        state.facts.clone()
    }
}

impl FromRef<AppState> for Arc<crate::directory::index::Snapshots> {
    fn from_ref(state: &AppState) -> Arc<crate::directory::index::Snapshots> {
        state.directory.snapshot.clone()
    }
}

impl FromRef<AppState> for Mailer {
    fn from_ref(state: &AppState) -> Mailer {
        state.mailer.clone()
    }
}
