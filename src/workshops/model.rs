//! Workshop sessions: what they are, how they are stored and searched.

use sqlx::any::AnyRow;
use sqlx::Row;

use crate::db::{opt_text, Db};

/// How a theme is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One hour: about 40 minutes of talk and 20 of questions.
    Awareness,
    /// Collective half-day workshop (3h30).
    HalfDay,
    /// Any other length.
    Custom,
}

impl Format {
    /// Every format, in menu order.
    pub const ALL: [Format; 3] = [Format::Awareness, Format::HalfDay, Format::Custom];

    /// Stable code stored in the database and used in URLs.
    pub fn code(self) -> &'static str {
        match self {
            Format::Awareness => "awareness",
            Format::HalfDay => "halfday",
            Format::Custom => "custom",
        }
    }

    /// Parse a stored code.
    pub fn from_code(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.code() == s)
    }

    /// Usual length in minutes (custom sessions give their end time).
    pub fn minutes(self) -> Option<i64> {
        match self {
            Format::Awareness => Some(60),
            Format::HalfDay => Some(210),
            Format::Custom => None,
        }
    }
}

/// A session as pages show it.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: i64,
    pub theme_id: i64,
    pub theme_slug: String,
    pub theme_title_fr: String,
    pub theme_title_en: String,
    pub format: String,
    pub title_fr: String,
    pub title_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub venue: String,
    pub address: String,
    pub commune_code: Option<String>,
    pub commune_fr: Option<String>,
    pub commune_en: Option<String>,
    pub online_url: String,
    pub capacity: i64,
    pub seats_taken: i64,
    pub waiting: i64,
    pub partner_id: Option<i64>,
    pub partner_name: Option<String>,
    pub planned_coaching: i64,
    pub status: String,
    pub cancel_reason: String,
    pub sequence: i64,
    pub slides_name: Option<String>,
    pub version: i64,
    pub updated_at: i64,
}

/// Columns selected for [`Session::from_row`].
pub const SESSION_COLUMNS: &str = "s.id, s.theme_id, t.slug AS theme_slug, t.title_fr AS theme_title_fr, \
    t.title_en AS theme_title_en, s.format, s.title_fr, s.title_en, s.description_fr, s.description_en, \
    s.starts_at, s.ends_at, s.venue, s.address, s.commune_code, c.name_fr AS commune_fr, \
    c.name_en AS commune_en, s.online_url, s.capacity, s.seats_taken, s.waiting, s.partner_id, \
    p.name AS partner_name, s.planned_coaching, s.status, s.cancel_reason, s.sequence, s.slides_name, \
    s.version, s.updated_at";

/// Tables joined for [`SESSION_COLUMNS`].
pub const SESSION_FROM: &str = "workshop_sessions s JOIN themes t ON t.id = s.theme_id \
    LEFT JOIN territories c ON c.code = s.commune_code LEFT JOIN partners p ON p.id = s.partner_id";

impl Session {
    /// Read a row selected with [`SESSION_COLUMNS`].
    pub fn from_row(r: &AnyRow) -> Session {
        Session {
            id: r.get("id"),
            theme_id: r.get("theme_id"),
            theme_slug: r.get("theme_slug"),
            theme_title_fr: r.get("theme_title_fr"),
            theme_title_en: r.get("theme_title_en"),
            format: r.get("format"),
            title_fr: r.get("title_fr"),
            title_en: r.get("title_en"),
            description_fr: r.get("description_fr"),
            description_en: r.get("description_en"),
            starts_at: r.get("starts_at"),
            ends_at: r.get("ends_at"),
            venue: r.get("venue"),
            address: r.get("address"),
            commune_code: opt_text(r, "commune_code"),
            commune_fr: opt_text(r, "commune_fr"),
            commune_en: opt_text(r, "commune_en"),
            online_url: r.get("online_url"),
            capacity: r.get("capacity"),
            seats_taken: r.get("seats_taken"),
            waiting: r.get("waiting"),
            partner_id: r.try_get::<Option<i64>, _>("partner_id").ok().flatten(),
            partner_name: opt_text(r, "partner_name"),
            planned_coaching: r.get("planned_coaching"),
            status: r.get("status"),
            cancel_reason: r.get("cancel_reason"),
            sequence: r.get("sequence"),
            slides_name: opt_text(r, "slides_name"),
            version: r.get("version"),
            updated_at: r.get("updated_at"),
        }
    }

    /// Title in the interface language: the session's own, else its theme's.
    pub fn title(&self, lang: &str) -> &str {
        let (own, theme) = if lang == "en" {
            (&self.title_en, &self.theme_title_en)
        } else {
            (&self.title_fr, &self.theme_title_fr)
        };
        if !own.is_empty() {
            own
        } else if lang == "en" && !self.title_fr.is_empty() {
            &self.title_fr
        } else {
            theme
        }
    }

    /// Description in the interface language (French when no English text).
    pub fn description(&self, lang: &str) -> &str {
        if lang == "en" && !self.description_en.is_empty() {
            &self.description_en
        } else {
            &self.description_fr
        }
    }

    /// Name of the commune in the interface language.
    pub fn commune(&self, lang: &str) -> &str {
        let name = if lang == "en" {
            self.commune_en.as_deref()
        } else {
            self.commune_fr.as_deref()
        };
        name.unwrap_or("")
    }

    /// Seats still free.
    pub fn seats_left(&self) -> i64 {
        (self.capacity - self.seats_taken).max(0)
    }

    /// True when the session was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.status == "cancelled"
    }

    /// True once the session has started.
    pub fn has_started(&self, now: i64) -> bool {
        now >= self.starts_at
    }

    /// True once the session is over.
    pub fn is_past(&self, now: i64) -> bool {
        now >= self.ends_at
    }

    /// Registrations are taken until the session starts.
    pub fn is_open(&self, now: i64) -> bool {
        !self.is_cancelled() && !self.has_started(now)
    }

    /// True when the session takes place online only.
    pub fn is_online(&self) -> bool {
        self.venue.is_empty() && self.address.is_empty() && !self.online_url.is_empty()
    }

    /// One line saying where: venue, address, commune (empty when online only;
    /// the link itself is only sent to registrants).
    pub fn place(&self, lang: &str) -> String {
        let mut parts: Vec<&str> = vec![];
        for p in [
            self.venue.as_str(),
            self.address.as_str(),
            self.commune(lang),
        ] {
            if !p.is_empty() && !parts.contains(&p) {
                parts.push(p);
            }
        }
        parts.join(", ")
    }
}

/// Load one session.
pub async fn get(db: &Db, id: i64) -> Result<Option<Session>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {SESSION_COLUMNS} FROM {SESSION_FROM} WHERE s.id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.as_ref().map(Session::from_row))
}

/// Speakers of a session: (user id, name).
pub async fn speakers(db: &Db, session_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.display_name FROM workshop_speakers w JOIN users u ON u.id = w.user_id \
         WHERE w.session_id = $1 ORDER BY u.display_name",
    )
    .bind(session_id)
    .fetch_all(&db.pool)
    .await
}

/// Target sectors of a session: (code, French name, English name).
pub async fn sectors(
    db: &Db,
    session_id: i64,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.code, s.name_fr, s.name_en FROM workshop_sectors w JOIN sectors s ON s.code = w.sector_code \
         WHERE w.session_id = $1 ORDER BY s.code",
    )
    .bind(session_id)
    .fetch_all(&db.pool)
    .await
}

/// True when `user_id` speaks at the session.
pub async fn is_speaker(db: &Db, session_id: i64, user_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM workshop_speakers WHERE session_id = $1 AND user_id = $2",
    )
    .bind(session_id)
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}

/// Agenda filters, as they appear in the URL.
#[derive(Debug, Clone, Default, serde::Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct AgendaFilter {
    /// Theme slug.
    pub theme: String,
    /// Territory code (any level: a department finds its communes).
    pub territory: String,
    /// Sector division code.
    pub sector: String,
    /// Format code.
    pub format: String,
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    /// `YYYY-MM-DD`, inclusive.
    pub to: String,
    /// `past` for past sessions.
    pub when: String,
    /// 1-based page.
    pub page: Option<i64>,
}

impl AgendaFilter {
    /// Read the URL leniently: a repeated field keeps its first value, a page
    /// that is not a whole number means page 1; a hand-edited URL never errors.
    pub fn from_pairs(pairs: &[(String, String)]) -> AgendaFilter {
        let first = |k: &str| {
            crate::web::forms::first_value(pairs, k)
                .chars()
                .take(64)
                .collect::<String>()
        };
        AgendaFilter {
            theme: first("theme"),
            territory: first("territory"),
            sector: first("sector"),
            format: first("format"),
            from: first("from"),
            to: first("to"),
            when: first("when"),
            page: first("page").trim().parse().ok(),
        }
    }

    /// True when the visitor asked for past sessions.
    pub fn past(&self) -> bool {
        self.when == "past"
    }

    /// Query string of these filters (without the page), for links.
    pub fn query(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("theme", &self.theme),
            ("territory", &self.territory),
            ("sector", &self.sector),
            ("format", &self.format),
            ("from", &self.from),
            ("to", &self.to),
            ("when", &self.when),
        ] {
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        }
        q.finish()
    }
}

/// Bounds of an agenda query in Unix ms, already resolved from the filter.
#[derive(Debug, Clone, Default)]
pub struct AgendaQuery {
    pub theme: Option<String>,
    pub territory: Option<String>,
    pub sector: Option<String>,
    pub format: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub past: bool,
    pub now: i64,
    pub include_cancelled: bool,
}

/// Build the WHERE clause and its text binds for an agenda query.
fn agenda_where(q: &AgendaQuery) -> (String, Vec<String>, Vec<i64>) {
    // Text binds come first ($1…), then numbers; the clause is assembled in order.
    let mut clauses: Vec<String> = vec![];
    let mut texts: Vec<String> = vec![];
    let mut numbers: Vec<i64> = vec![];
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if let Some(t) = &q.theme {
        clauses.push(format!("t.slug = {}", next()));
        texts.push(t.clone());
    }
    if let Some(t) = &q.territory {
        clauses.push(format!(
            "s.commune_code IN (WITH RECURSIVE sub(code) AS (SELECT code FROM territories WHERE code = {} \
             UNION ALL SELECT x.code FROM territories x JOIN sub ON x.parent_code = sub.code) SELECT code FROM sub)",
            next()
        ));
        texts.push(t.clone());
    }
    if let Some(sct) = &q.sector {
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM workshop_sectors w WHERE w.session_id = s.id AND w.sector_code = {})",
            next()
        ));
        texts.push(sct.clone());
    }
    if let Some(f) = &q.format {
        clauses.push(format!("s.format = {}", next()));
        texts.push(f.clone());
    }
    if q.past {
        clauses.push(format!("s.ends_at <= {}", next()));
    } else {
        clauses.push(format!("s.ends_at > {}", next()));
    }
    numbers.push(q.now);
    if let Some(f) = q.from_ms {
        clauses.push(format!("s.starts_at >= {}", next()));
        numbers.push(f);
    }
    if let Some(t) = q.to_ms {
        clauses.push(format!("s.starts_at < {}", next()));
        numbers.push(t);
    }
    if !q.include_cancelled {
        clauses.push("s.status = 'scheduled'".into());
    }
    (clauses.join(" AND "), texts, numbers)
}

/// One page of the agenda and the total count.
pub async fn agenda(
    db: &Db,
    q: &AgendaQuery,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Session>, i64), sqlx::Error> {
    let (clause, texts, numbers) = agenda_where(q);
    let order = if q.past {
        "s.starts_at DESC, s.id DESC"
    } else {
        "s.starts_at, s.id"
    };
    let sql = format!(
        "SELECT {SESSION_COLUMNS} FROM {SESSION_FROM} WHERE {clause} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
    );
    let mut query = sqlx::query(&sql);
    for t in &texts {
        query = query.bind(t);
    }
    for n in &numbers {
        query = query.bind(*n);
    }
    let rows = query.fetch_all(&db.pool).await?;
    let count_sql = format!("SELECT COUNT(*) FROM workshop_sessions s JOIN themes t ON t.id = s.theme_id WHERE {clause}");
    let mut cq = sqlx::query_scalar::<_, i64>(&count_sql);
    for t in &texts {
        cq = cq.bind(t);
    }
    for n in &numbers {
        cq = cq.bind(*n);
    }
    let total = cq.fetch_one(&db.pool).await?;
    Ok((rows.iter().map(Session::from_row).collect(), total))
}

/// Every session matching (for calendar feeds and exports), soonest first.
pub async fn all_matching(db: &Db, q: &AgendaQuery) -> Result<Vec<Session>, sqlx::Error> {
    let (clause, texts, numbers) = agenda_where(q);
    let sql = format!(
        "SELECT {SESSION_COLUMNS} FROM {SESSION_FROM} WHERE {clause} ORDER BY s.starts_at, s.id"
    );
    let mut query = sqlx::query(&sql);
    for t in &texts {
        query = query.bind(t);
    }
    for n in &numbers {
        query = query.bind(*n);
    }
    let rows = query.fetch_all(&db.pool).await?;
    Ok(rows.iter().map(Session::from_row).collect())
}

/// Sessions a person speaks at, soonest upcoming first then past ones.
pub async fn for_speaker(db: &Db, user_id: i64) -> Result<Vec<Session>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {SESSION_COLUMNS} FROM {SESSION_FROM} JOIN workshop_speakers w ON w.session_id = s.id \
         WHERE w.user_id = $1 ORDER BY s.starts_at DESC"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(Session::from_row).collect())
}
