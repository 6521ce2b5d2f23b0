//! Tests of the bulk seeds.

use super::diagnostics::*;
use super::providers::*;
use crate::business::identifiers::{IdKind, LegalId};
use crate::cli::seed::{demo, siren_from, BUSINESSES};
use crate::db::{now_ms, Db};
use crate::diagnostic::{scoring, store};
use rand::rngs::StdRng;
use rand::SeedableRng;

/// A SQLite file of its own for one test, migrated.
struct TempDb {
    db: Db,
    file: std::path::PathBuf,
}

impl TempDb {
    async fn new(tag: &str) -> TempDb {
        let file = std::env::temp_dir().join(format!(
            "tremplin-{tag}-{}-{}.db",
            std::process::id(),
            now_ms()
        ));
        let db = Db::connect(&format!("sqlite://{}", file.display()), 2)
            .await
            .unwrap();
        crate::db::migrations::migrate(&db).await.unwrap();
        TempDb { db, file }
    }

    /// Close the database and remove its files.
    async fn remove(self) {
        self.db.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.file.display()));
        }
    }
}

#[test]
fn random_responses_answer_every_question_of_the_mode() {
    let bank = store::default_bank().unwrap();
    let mut rng = StdRng::seed_from_u64(DIAGNOSTICS_SEED);
    let mut overall = vec![];
    for full in [false, true] {
        for _ in 0..50 {
            let r = random_responses(&bank, full, &mut rng);
            assert_eq!(r.len(), bank.questions_for(full).len());
            overall.extend(scoring::score(&bank, full, &r).overall);
        }
    }
    let (min, max) = overall
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(*x), b.max(*x)));
    assert!(min < 30.0 && max > 70.0, "scores spread: {min}..{max}");
}

#[tokio::test]
async fn seeded_diagnostics_are_submitted_and_comparable() {
    let temp = TempDb::new("seed-test").await;
    let db = &temp.db;
    for _ in 0..2 {
        let seeded = diagnostics(db, 40).await.unwrap();
        assert_eq!(seeded.created, 40);
        let link = seeded.link.unwrap();
        let token = link
            .strip_prefix("/diagnostic/d/")
            .and_then(|l| l.strip_suffix("/resultats"))
            .unwrap();
        let d = store::by_token(db, token).await.unwrap().unwrap();
        assert!(d.is_submitted() && d.is_full() && d.scores.is_some());
        assert_eq!(
            (d.sector_code.as_deref(), d.size_band.as_deref()),
            (Some(LINK_PROFILE.0), Some(LINK_PROFILE.1))
        );
        assert_eq!(d.territory_code.as_deref(), Some(LINK_PROFILE.2));
        let bank = store::default_bank().unwrap();
        let responses = store::responses(db, d.id).await.unwrap();
        assert_eq!(responses.len(), bank.questions_for(true).len());
        assert_eq!(
            d.scores,
            Some(scoring::score(&bank, true, &responses)),
            "stored scores are the ones the answers give"
        );
        assert!(store::benchmark(db, &Default::default(), &d)
            .await
            .unwrap()
            .is_some());
    }
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM diagnostics WHERE status = 'submitted'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(n, 80, "a second run adds more");
    temp.remove().await;
}

#[tokio::test]
async fn seeded_providers_are_searchable_like_reindexed_cards() {
    let temp = TempDb::new("seed-providers").await;
    let db = &temp.db;
    demo(db).await.unwrap();
    assert_eq!(providers(db, 300).await.unwrap(), 300);
    assert_eq!(
        providers(db, 50).await.unwrap(),
        50,
        "a second run adds more"
    );
    let seeded: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM providers WHERE source = 'seed' ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    assert_eq!(seeded.len(), 350);
    // The terms are the ones `reindex` writes.
    let terms_of = |id: i64| {
        let db = db.clone();
        async move {
            sqlx::query_as::<_, (String, i64)>(
                "SELECT term, weight FROM provider_terms WHERE provider_id = $1 ORDER BY term",
            )
            .bind(id)
            .fetch_all(&db.pool)
            .await
            .unwrap()
        }
    };
    for id in seeded.iter().step_by(37) {
        let before = terms_of(*id).await;
        assert!(!before.is_empty());
        let mut tx = db.begin_write().await.unwrap();
        crate::directory::store::reindex(&mut tx, *id)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(before, terms_of(*id).await, "card {id}");
    }
    use crate::directory::public::{run, SearchQuery};
    let snaps = std::sync::Arc::default();
    let search = |q: &str, territory: &str| SearchQuery {
        q: q.into(),
        territory: territory.into(),
        ..Default::default()
    };
    let day = crate::directory::search::day_seed(0);
    for (q, territory) in [("site web", ""), ("electricien", "FR-D33"), ("", "")] {
        let r = run(db, &snaps, &search(q, territory), "fr", day)
            .await
            .unwrap();
        assert!(r.total > 0 && !r.hits.is_empty(), "{q} {territory}");
    }
    let all = run(db, &snaps, &search("", ""), "fr", day).await.unwrap();
    assert!(all.total >= 350);
    temp.remove().await;
}

#[test]
fn demo_sirens_are_valid() {
    for (_, base, ..) in BUSINESSES {
        let s = siren_from(base);
        assert!(LegalId::parse(IdKind::Siren, &s).is_ok(), "{s}");
    }
}

#[tokio::test]
async fn seeded_activity_respects_the_constraints() {
    use super::activity::{activity, Volume};
    let temp = TempDb::new("activity-test").await;
    let db = &temp.db;
    demo(db).await.unwrap();
    let v = Volume {
        businesses: 120,
        held_sessions: 7,
        registrations: 100,
        files: 12,
        activities: 60,
    };
    // Twice: each run adds as much again (legal ids stay unique).
    for _ in 0..2 {
        let c = activity(db, v).await.unwrap();
        assert_eq!(
            (
                c.businesses,
                c.held_sessions,
                c.registrations,
                c.files,
                c.activities
            ),
            (120, 7, 100, 12, 60)
        );
        assert!(c.adviser_file.is_some());
    }
    let count = |sql: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&db.pool)
                .await
                .unwrap()
        }
    };
    // Every seeded legal id is a valid SIREN.
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id_value FROM businesses WHERE name LIKE '% %' AND id_kind = 'siren'",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert!(ids.len() >= 240);
    assert!(ids.iter().all(|v| LegalId::parse(IdKind::Siren, v).is_ok()));
    // Seats within capacity, counted, and every seated registration held.
    assert_eq!(
        count("SELECT COUNT(*) FROM workshop_sessions WHERE seats_taken > capacity").await,
        0
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM workshop_sessions s WHERE seats_taken <> \
             (SELECT COUNT(*) FROM workshop_registrations r WHERE r.session_id = s.id)"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM workshop_registrations r JOIN workshop_sessions s ON s.id = r.session_id \
             WHERE r.attendance IS NOT NULL AND s.starts_at > r.attendance_at"
        )
        .await,
        0
    );
    assert!(count("SELECT COUNT(*) FROM workshop_feedback").await > 0);
    assert_eq!(
        count("SELECT COUNT(*) FROM case_activities a JOIN cases c ON c.id = a.case_id WHERE c.summary LIKE 'Dossier d''accompagnement%'").await,
        120
    );
    temp.remove().await;
}

/// The bulk seed analyses the database (`PRAGMA optimize`, with STAT4
/// samples). SQLite must then still keep its prepared statements: without
/// the query planner stability guarantee (`.cargo/config.toml`) it parses
/// and plans again every statement whose parameters it planned with, each
/// time they are bound, and a file's page answered a third slower.
#[tokio::test]
async fn analysed_databases_keep_their_prepared_statements() {
    let temp = TempDb::new("qpsg-test").await;
    let db = &temp.db;
    let stable: i64 = sqlx::query_scalar("SELECT sqlite_compileoption_used('ENABLE_QPSG')")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let stat4: i64 = sqlx::query_scalar("SELECT sqlite_compileoption_used('ENABLE_STAT4')")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    temp.remove().await;
    assert_eq!(
        (stable, stat4),
        (1, 1),
        "SQLite built without the planner stability guarantee (LIBSQLITE3_FLAGS)"
    );
}
