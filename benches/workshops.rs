//! Workshop registrations under load, over HTTP on loopback, on SQLite.
//!
//! `cargo bench --bench workshops` (release profile). Not a Criterion
//! benchmark: one load run whose figures are printed, no pass/fail.
//!
//! A temporary SQLite database is migrated and loaded with the demo data;
//! the real app (`AppState::new` + `app::serve`, mail kept in memory, the
//! outbox worker and the background jobs running as in production) listens on
//! 127.0.0.1. 100 sessions of 50 seats, starting in 10 days, are created by
//! SQL, and an admin API token. Then 10,000
//! `POST /api/v1/workshops/{id}/registrations` with distinct e-mail
//! addresses, spread round-robin over the sessions, are sent with 64 in
//! flight (one shared reqwest client). Printed: total time, registrations
//! per second (target >= 1,000/s), latency percentiles, statuses, confirmed
//! and waiting counts, and whether any session has more confirmed people
//! than seats (`OVERSOLD`).
//!
//! Environment: `BENCH_REGISTRATIONS` (default 10000), `BENCH_IN_FLIGHT`
//! (default 64), `BENCH_SESSIONS` (default 100), `BENCH_CAPACITY` (default 50).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tremplin::app::{self, AppState};
use tremplin::config::{Config, ConfigArgs};
use tremplin::db::{migrations, now_ms, Db};
use tremplin::outbox::Mailer;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is accepted and ignored.
    // The allocator is set up as `tremplin serve` sets it up.
    tremplin::tune_allocator();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run());
}

async fn run() {
    let registrations = env_usize("BENCH_REGISTRATIONS", 10_000);
    let in_flight = env_usize("BENCH_IN_FLIGHT", 64);
    let session_count = env_usize("BENCH_SESSIONS", 100);
    let capacity = env_usize("BENCH_CAPACITY", 50) as i64;

    // 1. A fresh SQLite database with the demo data.
    let dir = std::env::temp_dir().join(format!(
        "tremplin-bench-workshops-{}-{}",
        std::process::id(),
        now_ms()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}/tremplin.db", dir.display());
    tremplin::i18n::init().expect("i18n");
    let args = ConfigArgs {
        database_url: Some(url.clone()),
        bind: Some("127.0.0.1:0".into()),
        data_dir: Some(dir.clone()),
        mail_transport: Some("log".into()),
        contact_email: Some("equipe@programme.test".into()),
        ..Default::default()
    };
    let config = Config::load(&args).expect("config");
    let db = Db::connect(&url, config.db_max_connections)
        .await
        .expect("connect");
    migrations::migrate(&db).await.expect("migrate");
    tremplin::cli::seed::demo(&db).await.expect("seed --demo");

    // 2. 100 sessions of 50 seats, starting in 10 days.
    let programme_id: i64 = sqlx::query_scalar("SELECT id FROM programmes ORDER BY id LIMIT 1")
        .fetch_one(&db.pool)
        .await
        .expect("programme");
    let themes: Vec<i64> = sqlx::query_scalar("SELECT id FROM themes ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .expect("themes");
    let commune: String =
        sqlx::query_scalar("SELECT code FROM territories WHERE code = 'FR-C33063'")
            .fetch_one(&db.pool)
            .await
            .expect("Bordeaux in the territories");
    let now = now_ms();
    let starts = now + 10 * 86_400_000;
    let mut sessions = Vec::with_capacity(session_count);
    for i in 0..session_count {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO workshop_sessions (programme_id, theme_id, format, starts_at, ends_at, venue, commune_code, \
             capacity, status, created_at, updated_at) \
             VALUES ($1, $2, 'awareness', $3, $4, 'Salle de bench', $5, $6, 'scheduled', $7, $7) RETURNING id",
        )
        .bind(programme_id)
        .bind(themes[i % themes.len()])
        .bind(starts + (i as i64) * 3_600_000)
        .bind(starts + (i as i64) * 3_600_000 + 3_600_000)
        .bind(&commune)
        .bind(capacity)
        .bind(now)
        .fetch_one(&db.pool)
        .await
        .expect("insert session");
        sessions.push(id);
    }

    // 3. An admin API token, stored as POST /compte/api stores it.
    let admin: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'responsable@tremplin-demo.fr'")
            .fetch_one(&db.pool)
            .await
            .expect("demo admin");
    let secret = format!("trp_{}", &tremplin::web::pipeline::random_token()[..40]);
    sqlx::query(
        "INSERT INTO api_tokens (user_id, name, token_hash, prefix, role, created_at) VALUES ($1, $2, $3, $4, 'admin', $5)",
    )
    .bind(admin)
    .bind("bench")
    .bind(tremplin::auth::hash_secret(&secret))
    .bind(&secret[..12])
    .bind(now)
    .execute(&db.pool)
    .await
    .expect("insert token");

    // 4. The app on a free loopback port.
    let mails = Arc::new(Mutex::new(vec![]));
    let state = AppState::new(db.clone(), config, Mailer::Memory(mails.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        app::serve(listener, state, async {
            let _ = stop_rx.await;
        })
        .await
        .expect("serve");
    });
    let base = format!("http://{addr}");

    // 5. The load: `in_flight` workers sharing one client and a counter.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(in_flight)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client");
    let next = Arc::new(AtomicUsize::new(0));
    let sessions = Arc::new(sessions);
    let auth = format!("Bearer {secret}");
    println!(
        "workshops bench: {registrations} registrations over {session_count} sessions of {capacity} seats, \
         {in_flight} in flight, SQLite, {} CPU(s)",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0)
    );
    let started = Instant::now();
    let mut workers = Vec::with_capacity(in_flight);
    for _ in 0..in_flight {
        let (client, next, sessions, base, auth) = (
            client.clone(),
            next.clone(),
            sessions.clone(),
            base.clone(),
            auth.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= registrations {
                    break;
                }
                let session = sessions[n % sessions.len()];
                let body = serde_json::json!({
                    "name": format!("Personne {n}"),
                    "email": format!("personne{n}@bench.example"),
                    "business_name": format!("Entreprise {n}"),
                });
                let t = Instant::now();
                let res = client
                    .post(format!("{base}/api/v1/workshops/{session}/registrations"))
                    .header("Authorization", &auth)
                    .json(&body)
                    .send()
                    .await;
                let key = match res {
                    Ok(r) => {
                        let code = r.status().as_u16();
                        let text = r.text().await.unwrap_or_default();
                        if code == 201 {
                            let status = serde_json::from_str::<serde_json::Value>(&text)
                                .ok()
                                .and_then(|v| v["status"].as_str().map(str::to_string))
                                .unwrap_or_else(|| "?".into());
                            format!("201 {status}")
                        } else {
                            format!("{code} {}", text.chars().take(120).collect::<String>())
                        }
                    }
                    Err(e) => format!("error {e}"),
                };
                latencies.push(t.elapsed());
                *statuses.entry(key).or_default() += 1;
            }
            (latencies, statuses)
        }));
    }
    let mut latencies = Vec::with_capacity(registrations);
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    for w in workers {
        let (l, s) = w.await.expect("worker");
        latencies.extend(l);
        for (k, v) in s {
            *statuses.entry(k).or_default() += v;
        }
    }
    let elapsed = started.elapsed();
    latencies.sort();

    // 6. What the database says.
    let count = |sql: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&db.pool)
                .await
                .expect("count")
        }
    };
    let confirmed = count(
        "SELECT COUNT(*) FROM workshop_registrations r JOIN workshop_sessions s ON s.id = r.session_id \
         WHERE s.venue = 'Salle de bench' AND r.status = 'confirmed'",
    )
    .await;
    let waiting = count(
        "SELECT COUNT(*) FROM workshop_registrations r JOIN workshop_sessions s ON s.id = r.session_id \
         WHERE s.venue = 'Salle de bench' AND r.status = 'waiting'",
    )
    .await;
    let others = count(
        "SELECT COUNT(*) FROM workshop_registrations r JOIN workshop_sessions s ON s.id = r.session_id \
         WHERE s.venue = 'Salle de bench' AND r.status NOT IN ('confirmed', 'waiting')",
    )
    .await;
    let oversold: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.capacity, COUNT(r.id) FROM workshop_sessions s \
         JOIN workshop_registrations r ON r.session_id = s.id AND r.status IN ('confirmed', 'offered') \
         WHERE s.venue = 'Salle de bench' GROUP BY s.id, s.capacity HAVING COUNT(r.id) > s.capacity",
    )
    .fetch_all(&db.pool)
    .await
    .expect("oversold");
    let counters_off: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM workshop_sessions s WHERE s.venue = 'Salle de bench' AND \
         (s.seats_taken <> (SELECT COUNT(*) FROM workshop_registrations r WHERE r.session_id = s.id AND r.status IN ('confirmed', 'offered')) \
          OR s.waiting <> (SELECT COUNT(*) FROM workshop_registrations r WHERE r.session_id = s.id AND r.status = 'waiting'))",
    )
    .fetch_one(&db.pool)
    .await
    .expect("counters");
    let dup_seats: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT session_id, seat_no FROM workshop_registrations WHERE seat_no IS NOT NULL \
         AND status IN ('confirmed', 'offered') GROUP BY session_id, seat_no HAVING COUNT(*) > 1) d",
    )
    .fetch_one(&db.pool)
    .await
    .expect("seats");

    let secs = elapsed.as_secs_f64();
    println!("total time:        {secs:.2} s");
    println!(
        "registrations/s:   {:.0} (target >= 1000/s)",
        registrations as f64 / secs
    );
    println!(
        "latency ms:        p50 {:.2}, p90 {:.2}, p99 {:.2}, max {:.2}",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.90),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0)
    );
    println!("responses:");
    for (k, v) in &statuses {
        println!("  {v:>6}  {k}");
    }
    println!(
        "database:          {confirmed} confirmed, {waiting} waiting, {others} other (expected {} confirmed, {} waiting)",
        (session_count as i64 * capacity).min(registrations as i64),
        (registrations as i64 - session_count as i64 * capacity).max(0)
    );
    if oversold.is_empty() {
        println!("capacity:          OK, no session has more confirmed people than seats");
    } else {
        println!(
            "capacity:          OVERSOLD in {} session(s): {:?} (id, capacity, confirmed)",
            oversold.len(),
            oversold
        );
    }
    println!(
        "counters:          {}",
        if counters_off == 0 {
            "OK, seats_taken and waiting match the registrations".to_string()
        } else {
            format!("MISMATCH in {counters_off} session(s) (seats_taken/waiting vs registrations)")
        }
    );
    println!(
        "seat numbers:      {}",
        if dup_seats == 0 {
            "OK, no seat given twice".to_string()
        } else {
            format!("DUPLICATED: {dup_seats}")
        }
    );

    let _ = stop_tx.send(());
    let _ = server.await;
    db.pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
