//! The `tremplin` command.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use tremplin::app::{self, AppState};
use tremplin::config::{Config, ConfigArgs, LogFormat};
use tremplin::db::{migrations, Db};
use tremplin::outbox::Mailer;

/// Tremplin: run digital-transition programmes for very small businesses.
///
/// Every setting can be given as a flag, as a TREMPLIN_* environment
/// variable, or in the TOML file named by --config.
#[derive(Parser)]
#[command(name = "tremplin", version, about, long_about)]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server (migrates the database first).
    Serve {
        /// Load the demo data (idempotent) before serving.
        #[arg(long)]
        demo: bool,
        /// Seconds to keep retrying an unreachable database at start.
        #[arg(long, env = "TREMPLIN_DB_WAIT", default_value_t = 10)]
        db_wait: u64,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load data into the database: the demo programme, and/or many submitted
    /// diagnostics, workshop sessions and provider cards for load tests (at
    /// least one of --demo, --diagnostics, --sessions, --providers).
    #[command(group(
        clap::ArgGroup::new("what")
            .required(true)
            .multiple(true)
            .args(["demo", "diagnostics", "sessions", "providers", "businesses", "held_sessions", "registrations", "files"])
    ))]
    Seed {
        /// Load the demo programme and its content (idempotent).
        #[arg(long)]
        demo: bool,
        /// Also create N submitted diagnostics with pseudo-random answers
        /// (fixed seed, so the same answers every run), spread over NACE
        /// divisions 10, 16, 43, 45, 47, 49, 55, 56 and 96, size bands 0, 1-9,
        /// 10-49 and 50-249, departments FR-D33, FR-D24 and FR-D40, quick and
        /// full modes. Not idempotent: each run adds N more. Never on a real
        /// instance: they count in every benchmark and dashboard.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        diagnostics: Option<u32>,
        /// With --diagnostics: print, as the last line of standard output,
        /// the results page path (/diagnostic/d/TOKEN/resultats) of one of the
        /// seeded diagnostics (sector 47, size 1-9, FR-D33, full mode).
        #[arg(long, requires = "diagnostics")]
        print_link: bool,
        /// Also create N scheduled workshop sessions over the next year,
        /// spread over every theme and the demo sessions' communes (needs
        /// the demo data). Not idempotent: each run adds N more. Never on a
        /// real instance: they appear in the public agenda.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        sessions: Option<u32>,
        /// Also create N published provider cards in the directory (French
        /// names, trades and descriptions from word lists, fixed seed), over
        /// the demo themes, departments, communes and region, sectors and
        /// business sizes, some remote, with their search terms (needs the
        /// demo data). Not idempotent: each run adds N more. Never on a real
        /// instance: they appear in the public directory.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        providers: Option<u32>,
        /// Also create N businesses with a valid SIREN over the sectors,
        /// communes, sizes and partners (needs the demo data). With the
        /// four options below, a programme's activity at scale for the
        /// dashboard and follow-up file benchmarks. Not idempotent.
        #[arg(long, value_name = "N")]
        businesses: Option<u32>,
        /// Also create N workshop sessions held over the last 13 months,
        /// with the --registrations spread over them.
        #[arg(long, value_name = "N", requires = "registrations")]
        held_sessions: Option<u32>,
        /// People registered to the --held-sessions (nine in ten for a
        /// seeded business; four in five marked present, one in five of
        /// those gives feedback, one in 25 asks for coaching).
        #[arg(long, value_name = "N", requires = "held_sessions")]
        registrations: Option<u32>,
        /// Also create N follow-up files on the seeded businesses (one in
        /// four for the demo adviser); prints the newest of the demo
        /// adviser's as `adviser file: ID`.
        #[arg(long, value_name = "N")]
        files: Option<u32>,
        /// Activities spread over the --files (a third planned).
        #[arg(long, value_name = "N", requires = "files")]
        activities: Option<u32>,
    },
    /// Copy the SQLite database to FILE while the server keeps running.
    Backup {
        /// Destination file (must not exist).
        file: PathBuf,
    },
    /// Manage people who sign in.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Check the configuration and that the database is reachable.
    Check,
    /// Practical guides as Markdown files with front matter.
    Guides {
        #[command(subcommand)]
        action: GuidesAction,
    },
}

#[derive(Subcommand)]
enum GuidesAction {
    /// Import every .md file of DIR (a known slug gets a new version); bad
    /// files are reported and the others kept.
    Import {
        /// Folder of guide files, e.g. seed/guides.
        dir: PathBuf,
    },
    /// Write every guide to DIR as <slug>.md.
    Export {
        /// Destination folder (created if needed).
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// Create a user, or add roles to an existing one.
    Create {
        /// E-mail address used to sign in.
        #[arg(long)]
        email: String,
        /// Name shown in the interface.
        #[arg(long, default_value = "Administrateur")]
        name: String,
        /// Role to grant (repeatable): admin, adviser, speaker, provider, business, funder.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TREMPLIN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .init(),
        LogFormat::Text => builder.init(),
    }
}

fn main() -> ExitCode {
    tremplin::tune_allocator();
    let cli = Cli::parse();
    let config = match Config::load(&cli.config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("tremplin: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(config.log_format);
    if let Err(e) = tremplin::i18n::init() {
        eprintln!("tremplin: translation files are broken: {e}");
        return ExitCode::from(2);
    }
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tremplin: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli.command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tremplin: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn open(config: &Config, wait: Duration) -> anyhow::Result<Db> {
    Db::connect_with_retry(&config.database_url, config.db_max_connections, wait).await
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve { demo, db_wait } => {
            // A broken question bank stops the start with its file, line and reason.
            tremplin::diagnostic::store::default_bank()
                .map_err(|e| anyhow::anyhow!("question bank: {e}"))?;
            let db = open(&config, Duration::from_secs(db_wait)).await?;
            let ran = migrations::migrate(&db).await?;
            tracing::info!(
                backend = db.backend.name(),
                migrations_applied = ran,
                "database ready"
            );
            if demo {
                tremplin::cli::seed::demo(&db).await?;
                tremplin::diagnostic::demo::seed(&db).await?;
                tracing::info!("demo data loaded");
            }
            let mailer = Mailer::from_config(&config.mail_transport)?;
            let shutdown = app::shutdown_signal();
            let listener = tokio::net::TcpListener::bind(config.bind)
                .await
                .map_err(|e| {
                    anyhow::anyhow!("TREMPLIN_BIND: cannot listen on {}: {e}", config.bind)
                })?;
            tracing::info!(address = %config.bind, base_url = %config.base_url, "Tremplin is listening");
            let state = AppState::new(db, config, mailer);
            app::serve(listener, state, shutdown).await
        }
        Command::Migrate => {
            let db = open(&config, Duration::from_secs(0)).await?;
            let ran = migrations::migrate(&db).await?;
            println!("{ran} migration(s) applied on {}", db.backend.name());
            Ok(())
        }
        Command::Seed {
            demo,
            diagnostics,
            print_link,
            sessions,
            providers,
            businesses,
            held_sessions,
            registrations,
            files,
            activities,
        } => {
            let db = open(&config, Duration::from_secs(0)).await?;
            migrations::migrate(&db).await?;
            if demo {
                tremplin::cli::seed::demo(&db).await?;
                tremplin::diagnostic::demo::seed(&db).await?;
                println!("demo data loaded");
            }
            // Before the diagnostics: --print-link's path stays the last line.
            if let Some(n) = sessions {
                let started = std::time::Instant::now();
                let created = tremplin::cli::seed::sessions(&db, n as usize).await?;
                println!(
                    "{created} workshop sessions created in {:.2} s",
                    started.elapsed().as_secs_f64()
                );
            }
            let volume = tremplin::cli::bulk::activity::Volume {
                businesses: businesses.unwrap_or(0) as usize,
                held_sessions: held_sessions.unwrap_or(0) as usize,
                registrations: registrations.unwrap_or(0) as usize,
                files: files.unwrap_or(0) as usize,
                activities: activities.unwrap_or(0) as usize,
            };
            if volume.businesses + volume.held_sessions + volume.files > 0 {
                let started = std::time::Instant::now();
                let c = tremplin::cli::bulk::activity::activity(&db, volume).await?;
                println!(
                    "{} businesses, {} held sessions, {} registrations, {} files, {} activities created in {:.2} s",
                    c.businesses,
                    c.held_sessions,
                    c.registrations,
                    c.files,
                    c.activities,
                    started.elapsed().as_secs_f64()
                );
                if let Some(id) = c.adviser_file {
                    println!("adviser file: {id}");
                }
            }
            if let Some(n) = providers {
                let started = std::time::Instant::now();
                let created = tremplin::cli::seed::providers(&db, n as usize).await?;
                println!(
                    "{created} provider cards created in {:.2} s",
                    started.elapsed().as_secs_f64()
                );
            }
            if let Some(n) = diagnostics {
                let started = std::time::Instant::now();
                let seeded = tremplin::cli::seed::diagnostics(&db, n as usize).await?;
                println!(
                    "{} submitted diagnostics created in {:.2} s",
                    seeded.created,
                    started.elapsed().as_secs_f64()
                );
                if print_link {
                    let link = seeded
                        .link
                        .ok_or_else(|| anyhow::anyhow!("no diagnostic was seeded"))?;
                    println!("{link}");
                }
            }
            if demo
                || sessions.is_some()
                || providers.is_some()
                || diagnostics.is_some()
                || volume.businesses + volume.held_sessions + volume.files > 0
            {
                tremplin::cli::bulk::settle(&db).await?;
            }
            Ok(())
        }
        Command::Backup { file } => {
            let db = open(&config, Duration::from_secs(0)).await?;
            tremplin::cli::backup(&db, &file).await?;
            println!("backup written to {}", file.display());
            Ok(())
        }
        Command::User {
            action:
                UserAction::Create {
                    email,
                    name,
                    roles,
                    password_stdin,
                },
        } => {
            let db = open(&config, Duration::from_secs(0)).await?;
            migrations::migrate(&db).await?;
            let (password, generated) = if password_stdin {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s)?;
                (s.trim_end_matches(['\r', '\n']).to_string(), false)
            } else {
                (
                    tremplin::web::pipeline::random_token()[..20].to_string(),
                    true,
                )
            };
            let (id, created) =
                tremplin::cli::create_user(&db, &email, &name, &password, &roles).await?;
            if created {
                println!("user {id} created: {email} ({})", roles.join(", "));
                if generated {
                    println!("password: {password}");
                }
            } else {
                println!(
                    "user {id} already exists: roles {} added; password unchanged",
                    roles.join(", ")
                );
            }
            Ok(())
        }
        Command::Check => tremplin::cli::check(&config).await,
        Command::Guides { action } => {
            let db = open(&config, Duration::from_secs(0)).await?;
            match action {
                GuidesAction::Import { dir } => {
                    let files = tremplin::guides::files::read_folder(&dir)?;
                    let report = tremplin::guides::files::import(&db, &files, None).await?;
                    println!(
                        "guides created: {}, updated: {}, rejected: {}",
                        report.created,
                        report.updated,
                        report.rejected.len()
                    );
                    for (name, problem) in &report.rejected {
                        eprintln!("{name}: {}", tremplin::guides::files::describe(problem));
                    }
                    if !report.rejected.is_empty() {
                        anyhow::bail!("{} file(s) not imported", report.rejected.len());
                    }
                    Ok(())
                }
                GuidesAction::Export { dir } => {
                    let n = tremplin::guides::files::export(&db, &dir).await?;
                    println!("{n} guides written to {}", dir.display());
                    Ok(())
                }
            }
        }
    }
}
