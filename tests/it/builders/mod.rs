//! Test fixtures built through the features' own stores, never by raw SQL:
//! a fixture is a row the application itself could have written, so a test
//! breaks when a feature's writes change shape. Each builder has sensible
//! defaults; a test sets only the fields it asserts on (dates in the past,
//! statuses, attendance, scores) and calls `create`.
//!
//! The module [`raw`] at the end holds the only hand-written INSERTs of the
//! test suite, each documenting why no feature could write that row.

use std::sync::atomic::{AtomicU32, Ordering};

use tremplin::business::identifiers::{IdKind, LegalId};
use tremplin::business::model::SaveError;
use tremplin::business::model::ValidBusiness;
use tremplin::cases::model::{
    ActivityKind, CaseStatus, Funder, Origin, Outcome, ValidActivity, ValidCase, ValidHours,
};
use tremplin::cases::store::{self as cases, NewCase};
use tremplin::db::now_ms;
use tremplin::diagnostic::model::Mode;
use tremplin::diagnostic::scoring::Scores;
use tremplin::diagnostic::store::NewDiagnostic;
use tremplin::funding::model::ApplicationStatus;
use tremplin::funding::store::NewApplication;
use tremplin::i18n::Locale;
use tremplin::kernel::money::Euros;
use tremplin::needs::model::ValidNeed;
use tremplin::setup::model::{PartnerKind, ValidPartner};
use tremplin::testimonies::model::{Status as TestimonyStatus, ValidTestimony};
use tremplin::workshops::booking::{self, Env, Registrant};
use tremplin::workshops::forms::{Feedback, Valid as ValidSession};
use tremplin::workshops::model::{Format, RegistrationSource};

use crate::harness::TestApp;

mod files_and_funding;
mod needs_and_testimonies;
pub use files_and_funding::*;
pub use needs_and_testimonies::*;

const HOUR: i64 = 3_600_000;
/// A day in milliseconds.
pub const DAY: i64 = 24 * HOUR;

/// Distinct legal ids and token-free names across the tests of one process.
static NEXT: AtomicU32 = AtomicU32::new(1);

fn next() -> u32 {
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A SIREN number that passes the Luhn check: eight digits of `base`, then
/// the check digit.
fn siren(base: u32) -> String {
    let body = format!("{:08}", 90_000_000 + base % 10_000_000);
    let sum: u32 = body
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap();
            // The check digit will sit at the right: the digit next to it is doubled.
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// The id of the account with this e-mail address (a demo account).
pub async fn user_id(app: &TestApp, email: &str) -> i64 {
    tremplin::cases::store::user_id(&app.db, email)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no account {email}"))
}

/// The first staff member of the demo, the author of fixtures that need one.
async fn staff(app: &TestApp) -> i64 {
    user_id(app, "responsable@tremplin-demo.fr").await
}

// ---------------------------------------------------------------- partners

/// A partner of the programme (setup store).
pub struct PartnerBuilder {
    slug: String,
    kind: PartnerKind,
}

/// A partner with this slug, named after it.
pub fn partner(slug: &str) -> PartnerBuilder {
    PartnerBuilder {
        slug: slug.to_string(),
        kind: PartnerKind::Chamber,
    }
}

impl PartnerBuilder {
    /// Store it; returns its id.
    pub async fn create(self, app: &TestApp) -> i64 {
        let programme = tremplin::setup::store::programme_id(&app.db)
            .await
            .unwrap()
            .expect("a programme");
        let p = ValidPartner {
            name: format!("Partenaire {}", self.slug),
            slug: self.slug,
            kind: self.kind,
            brings: true,
            receives: true,
            contact_email: None,
            website: None,
        };
        tremplin::setup::store::insert_partner(&app.db, programme, &p)
            .await
            .unwrap()
    }
}

// ---------------------------------------------------------------- businesses

/// A business of the register (business store), with a valid SIREN.
pub struct BusinessBuilder {
    name: String,
    sector: Option<String>,
    size_band: String,
    commune: Option<String>,
    partner: Option<i64>,
}

/// A business with this name; no sector, commune nor partner, 1–9 people.
pub fn business(name: &str) -> BusinessBuilder {
    BusinessBuilder {
        name: name.to_string(),
        sector: None,
        size_band: "1-9".into(),
        commune: None,
        partner: None,
    }
}

impl BusinessBuilder {
    /// Its sector code.
    pub fn sector(mut self, code: &str) -> Self {
        self.sector = Some(code.to_string());
        self
    }

    /// Its commune's territory code.
    pub fn commune(mut self, code: &str) -> Self {
        self.commune = Some(code.to_string());
        self
    }

    /// The partner who brought it.
    pub fn partner(mut self, id: i64) -> Self {
        self.partner = Some(id);
        self
    }

    /// Its head-count band (`0`, `1-9`, `10-49`…).
    pub fn size(mut self, band: &str) -> Self {
        self.size_band = band.to_string();
        self
    }

    /// Store it; returns its id.
    pub async fn create(self, app: &TestApp) -> i64 {
        loop {
            let legal_id = LegalId::parse(IdKind::Siren, &siren(next())).unwrap();
            let b = ValidBusiness {
                name: self.name.clone(),
                legal_id,
                sector_code: self.sector.clone(),
                size_band: self.size_band.clone(),
                commune_code: self.commune.clone(),
                address: String::new(),
                website: String::new(),
                partner_id: Some(self.partner),
                partner_slug: None,
            };
            match tremplin::business::store::create(&app.db, None, &b, None, None, self.partner)
                .await
            {
                Ok(id) => return id,
                // The demo holds this number already: take the next one.
                Err(SaveError::Duplicate { .. }) => continue,
                Err(e) => panic!("business {}: {e:?}", self.name),
            }
        }
    }
}

// ---------------------------------------------------------------- diagnostics

/// A submitted diagnostic (diagnostic store), dated when it was taken.
pub struct DiagnosticBuilder {
    business: i64,
    mode: Mode,
    at: i64,
    overall: Option<f64>,
    dimensions: Vec<(String, Option<f64>)>,
}

/// A quick check of this business, submitted now, without scores.
pub fn diagnostic(business: i64) -> DiagnosticBuilder {
    DiagnosticBuilder {
        business,
        mode: Mode::Quick,
        at: now_ms(),
        overall: None,
        dimensions: vec![],
    }
}

impl DiagnosticBuilder {
    /// The full assessment rather than the quick check.
    pub fn full(mut self) -> Self {
        self.mode = Mode::Full;
        self
    }

    /// When it was taken (submitted).
    pub fn at(mut self, at: i64) -> Self {
        self.at = at;
        self
    }

    /// Its overall score.
    pub fn overall(mut self, score: f64) -> Self {
        self.overall = Some(score);
        self
    }

    /// The score of one dimension.
    pub fn dimension(mut self, code: &str, score: f64) -> Self {
        self.dimensions.push((code.to_string(), Some(score)));
        self
    }

    /// Store it; returns its id.
    pub async fn create(self, app: &TestApp) -> i64 {
        use tremplin::diagnostic::store;
        let bank = store::current_bank(&app.db).await.unwrap();
        let (id, _) = store::create(
            &app.db,
            &bank,
            &NewDiagnostic {
                business_id: Some(self.business),
                mode: self.mode,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let scores = Scores {
            dimensions: self.dimensions,
            overall: self.overall,
        };
        store::submit_at(&app.db, id, &scores, self.at)
            .await
            .unwrap();
        id
    }
}

// ---------------------------------------------------------------- workshops

/// A workshop session (workshops store), one hour long.
pub struct SessionBuilder {
    theme: String,
    starts_at: i64,
    title: String,
    capacity: i64,
    commune: Option<String>,
    online_url: Option<String>,
}

/// A session of the theme with this slug, held yesterday, 30 seats.
pub fn session(theme: &str) -> SessionBuilder {
    SessionBuilder {
        theme: theme.to_string(),
        starts_at: now_ms() - DAY,
        title: String::new(),
        capacity: 30,
        commune: None,
        online_url: None,
    }
}

impl SessionBuilder {
    /// When it starts.
    pub fn starts_at(mut self, at: i64) -> Self {
        self.starts_at = at;
        self
    }

    /// Held in this commune (code).
    pub fn commune(mut self, code: &str) -> Self {
        self.commune = Some(code.to_string());
        self
    }

    /// Held online only, at this address (no venue).
    pub fn online(mut self, url: &str) -> Self {
        self.online_url = Some(url.to_string());
        self
    }

    /// Store it; returns its id.
    pub async fn create(self, app: &TestApp) -> i64 {
        use tremplin::workshops::store;
        let online = self.online_url.is_some();
        let theme_id = store::theme_id(&app.db, &self.theme)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no theme {}", self.theme));
        let programme = app.state.programme().await.unwrap();
        let v = ValidSession {
            theme_id,
            format: Format::Awareness,
            title_fr: self.title,
            title_en: String::new(),
            description_fr: String::new(),
            description_en: String::new(),
            starts_at: self.starts_at,
            ends_at: self.starts_at + HOUR,
            venue: if online {
                String::new()
            } else {
                "Salle des fêtes".into()
            },
            address: if online {
                String::new()
            } else {
                "1 place de la Mairie".into()
            },
            commune_code: self.commune,
            online_url: self.online_url.unwrap_or_default(),
            capacity: self.capacity,
            partner_id: None,
            planned_coaching: 0,
            speakers: vec![],
            sectors: vec![],
        };
        let mut tx = app.db.begin_write().await.unwrap();
        let id = store::insert_session(&mut tx, &v, programme.id, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        app.state.workshops.sessions_changed();
        id
    }
}

/// Someone marked present at a session (the check-in's walk-in), linked
/// to a business of the register when given.
pub struct AttendeeBuilder {
    session: i64,
    email: String,
    name: String,
    business: Option<i64>,
}

/// A person present at this session.
pub fn attendee(session: i64, email: &str) -> AttendeeBuilder {
    AttendeeBuilder {
        session,
        email: email.to_string(),
        name: "Personne Présente".into(),
        business: None,
    }
}

impl AttendeeBuilder {
    /// The business they came for.
    pub fn business(mut self, id: i64) -> Self {
        self.business = Some(id);
        self
    }

    /// Their name.
    pub fn name(mut self, name: &str) -> Self {
        self.name = name.to_string();
        self
    }

    /// Store the registration; returns its id.
    pub async fn create(self, app: &TestApp) -> i64 {
        let env = Env {
            db: &app.db,
            caches: &app.state.workshops,
            batch: &app.state.bookings,
            base_url: &app.base,
            timezone: "Europe/Paris",
        };
        let who = Registrant {
            name: self.name,
            email: self.email,
            business_name: String::new(),
            business_id: None,
            user_id: None,
            locale: Locale::Fr,
            source: RegistrationSource::Staff,
        };
        let by = staff(app).await;
        let id = booking::add_walk_in(&env, self.session, &who, by)
            .await
            .unwrap();
        if let Some(b) = self.business {
            assert!(
                tremplin::workshops::store::link_business(&app.db, self.session, id, Some(b))
                    .await
                    .unwrap()
            );
        }
        id
    }
}

/// Feedback on a session by one registration (workshops store).
pub struct FeedbackBuilder {
    registration: i64,
    satisfaction: i64,
    usefulness: i64,
    comment: String,
    coaching: bool,
}

/// Feedback given by this registration: 4/5 satisfied, 4/5 useful.
pub fn feedback(registration: i64) -> FeedbackBuilder {
    FeedbackBuilder {
        registration,
        satisfaction: 4,
        usefulness: 4,
        comment: String::new(),
        coaching: false,
    }
}

impl FeedbackBuilder {
    /// Satisfaction and usefulness, 1 to 5.
    pub fn scores(mut self, satisfaction: i64, usefulness: i64) -> Self {
        self.satisfaction = satisfaction;
        self.usefulness = usefulness;
        self
    }

    /// The free comment.
    pub fn comment(mut self, comment: &str) -> Self {
        self.comment = comment.to_string();
        self
    }

    /// Store it.
    pub async fn create(self, app: &TestApp) {
        use tremplin::workshops::store;
        let reg = store::registration(&app.db, self.registration)
            .await
            .unwrap()
            .expect("registration");
        let f = Feedback {
            satisfaction: self.satisfaction,
            usefulness: self.usefulness,
            comment: self.comment,
            themes: vec![],
            coaching: self.coaching,
        };
        let mut tx = app.db.begin_write().await.unwrap();
        store::insert_feedback(&mut tx, &reg, &f, now_ms())
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
}

// ---------------------------------------------------------------- raw rows

/// Rows no feature can write, each for a test whose point is how the
/// database or a job treats them. These are the only INSERTs of the tests.
pub mod raw {
    use crate::harness::TestApp;

    /// Try to grant a role to an account that does not exist. No feature
    /// can (roles are granted to users found first): the test checks that
    /// the foreign key refuses it on every pooled connection.
    pub async fn role_for_missing_user(app: &TestApp) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO user_roles (user_id, role, granted_at) VALUES (999999, 'admin', 0)",
        )
        .execute(&app.db.pool)
        .await
        .map(|_| ())
    }

    /// A session that expires at `expires_at`, under a known id. Sessions
    /// are opened now for a fixed lifetime; the purge test needs one that
    /// ran out in the past and one still alive, days apart.
    pub async fn session(app: &TestApp, id_hash: &str, user: i64, expires_at: i64) {
        let now = tremplin::db::now_ms();
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)",
        )
        .bind(id_hash)
        .bind(user)
        .bind(now)
        .bind(expires_at)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }

    /// A password-reset link that expires at `expires_at`, under a known
    /// hash (links are issued now for a fixed lifetime; see [`session`]).
    pub async fn reset_link(app: &TestApp, token_hash: &str, expires_at: i64) {
        let now = tremplin::db::now_ms();
        sqlx::query(
            "INSERT INTO auth_tokens (token_hash, purpose, email, created_at, expires_at) VALUES ($1, 'reset', 'a@b.fr', $2, $3)",
        )
        .bind(token_hash)
        .bind(now)
        .bind(expires_at)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }

    /// A failed login recorded at `at` (attempts are recorded now).
    pub async fn login_attempt(app: &TestApp, bucket: &str, at: i64) {
        sqlx::query("INSERT INTO login_attempts (bucket, at) VALUES ($1, $2)")
            .bind(bucket)
            .bind(at)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }

    /// An outbox message already `status` ("sent" or "failed") at `sent_at`
    /// (the worker stamps the present time when it sends).
    pub async fn outbox_message(app: &TestApp, subject: &str, status: &str, sent_at: i64) {
        let now = tremplin::db::now_ms();
        sqlx::query(
            "INSERT INTO outbox (kind, to_addr, subject, body_text, status, attempts, next_attempt_at, created_at, sent_at) \
             VALUES ('purge-test', 'a@b.fr', $1, 'x', $2, 1, $3, $3, $4)",
        )
        .bind(subject)
        .bind(status)
        .bind(now)
        .bind(sent_at)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
}
