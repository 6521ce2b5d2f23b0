//! Provider cards: what they hold, how they are checked, stored and indexed.

use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::search;
use crate::business::identifiers::{Country, LegalId};
use crate::business::model::{normalise_phone, normalise_website, SIZE_BANDS};
use crate::db::{is_unique_violation, now_ms, opt_text, Db};
use crate::web::forms::{checked, Violations};

/// A card older than this without confirmation is flagged.
pub const CONFIRM_EVERY_MS: i64 = 365 * 86_400_000;

/// A provider card as pages show it.
#[derive(Debug, Clone)]
pub struct Provider {
    pub id: i64,
    pub status: String,
    pub name: String,
    pub id_kind: Option<String>,
    pub id_value: Option<String>,
    pub country: String,
    pub kind: String,
    pub description: String,
    pub prices: String,
    pub refs: String,
    pub website: String,
    pub email: String,
    pub phone: String,
    pub social: String,
    pub address: String,
    pub postcode: String,
    pub town: String,
    pub region: String,
    pub commune_code: Option<String>,
    pub remote: bool,
    pub has_logo: bool,
    pub source: String,
    pub confirmed_at: i64,
    pub updated_at: i64,
    pub moderation_note: String,
    pub version: i64,
}

/// Columns read by [`Provider::from_row`] (alias `p`).
pub const COLUMNS: &str = "p.id, p.status, p.name, p.id_kind, p.id_value, p.country, p.kind, p.description, p.prices, \
    p.refs, p.website, p.email, p.phone, p.social, p.address, p.postcode, p.town, p.region, p.commune_code, p.remote, \
    p.logo_mime, p.source, p.confirmed_at, p.updated_at, p.moderation_note, p.version";

impl Provider {
    /// Read a row selected with [`COLUMNS`].
    pub fn from_row(r: &AnyRow) -> Provider {
        Provider {
            id: r.get("id"),
            status: r.get("status"),
            name: r.get("name"),
            id_kind: opt_text(r, "id_kind"),
            id_value: opt_text(r, "id_value"),
            country: r.get("country"),
            kind: r.get("kind"),
            description: r.get("description"),
            prices: r.get("prices"),
            refs: r.get("refs"),
            website: r.get("website"),
            email: r.get("email"),
            phone: r.get("phone"),
            social: r.get("social"),
            address: r.get("address"),
            postcode: r.get("postcode"),
            town: r.get("town"),
            region: r.get("region"),
            commune_code: opt_text(r, "commune_code"),
            remote: r.get::<i64, _>("remote") == 1,
            has_logo: opt_text(r, "logo_mime").is_some(),
            source: r.get("source"),
            confirmed_at: r.get("confirmed_at"),
            updated_at: r.get("updated_at"),
            moderation_note: r.get("moderation_note"),
            version: r.get("version"),
        }
    }

    /// True when the card has not been confirmed for a year.
    pub fn is_stale(&self, now: i64) -> bool {
        now - self.confirmed_at > CONFIRM_EVERY_MS
    }

    /// The legal identifier as people write it.
    pub fn legal_id_display(&self) -> String {
        match (&self.id_kind, &self.id_value) {
            (Some(k), Some(v)) => LegalId::parse_with_kind_code(k, v)
                .map(|l| l.display())
                .unwrap_or_else(|_| v.clone()),
            _ => String::new(),
        }
    }

    /// Social links, one per line.
    pub fn social_links(&self) -> Vec<&str> {
        self.social
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    }
}

/// Load one card.
pub async fn get(db: &Db, id: i64) -> Result<Option<Provider>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM providers p WHERE p.id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.as_ref().map(Provider::from_row))
}

/// Cards a person keeps.
pub async fn for_member(db: &Db, user_id: i64) -> Result<Vec<Provider>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM providers p JOIN provider_members m ON m.provider_id = p.id WHERE m.user_id = $1 ORDER BY p.name"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(Provider::from_row).collect())
}

/// True when `user_id` keeps card `id`.
pub async fn is_member(db: &Db, id: i64, user_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM provider_members WHERE provider_id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}

/// How many accounts keep the card.
pub async fn keepers(db: &Db, id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM provider_members WHERE provider_id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await
}

/// What a card is linked to: themes, sectors, sizes, territories.
#[derive(Debug, Clone, Default)]
pub struct Links {
    pub themes: Vec<i64>,
    pub sectors: Vec<String>,
    pub sizes: Vec<String>,
    pub territories: Vec<String>,
}

/// Load the links of a card.
pub async fn links(db: &Db, id: i64) -> Result<Links, sqlx::Error> {
    Ok(Links {
        themes: sqlx::query_scalar("SELECT theme_id FROM provider_themes WHERE provider_id = $1 ORDER BY theme_id")
            .bind(id)
            .fetch_all(&db.pool)
            .await?,
        sectors: sqlx::query_scalar("SELECT sector_code FROM provider_sectors WHERE provider_id = $1 ORDER BY sector_code")
            .bind(id)
            .fetch_all(&db.pool)
            .await?,
        sizes: sqlx::query_scalar("SELECT size_band FROM provider_sizes WHERE provider_id = $1 ORDER BY size_band")
            .bind(id)
            .fetch_all(&db.pool)
            .await?,
        territories: sqlx::query_scalar(
            "SELECT territory_code FROM provider_territories WHERE provider_id = $1 ORDER BY territory_code",
        )
        .bind(id)
        .fetch_all(&db.pool)
        .await?,
    })
}

/// What the card form sends (themes, sectors, sizes, territories repeat).
#[derive(Debug, Clone, Default)]
pub struct CardForm {
    pub name: String,
    pub country: String,
    pub legal_id: String,
    pub kind: String,
    pub description: String,
    pub prices: String,
    pub refs: String,
    pub website: String,
    pub email: String,
    pub phone: String,
    pub social: String,
    pub address: String,
    pub postcode: String,
    pub town: String,
    pub commune_code: String,
    pub remote: bool,
    pub links: Links,
    pub version: String,
    pub action: String,
}

/// The card form as posted: single fields, and one value per ticked theme,
/// sector, size or territory (read by `kernel::forms::RepeatedForm`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct CardFields {
    pub name: String,
    pub country: String,
    pub legal_id: String,
    pub kind: String,
    pub description: String,
    pub prices: String,
    pub refs: String,
    pub website: String,
    pub email: String,
    pub phone: String,
    pub social: String,
    pub address: String,
    pub postcode: String,
    pub town: String,
    pub commune_code: String,
    pub remote: Option<String>,
    /// Theme numbers as sent: a value that is not a number is ignored.
    pub themes: Vec<String>,
    pub sectors: Vec<String>,
    pub sizes: Vec<String>,
    pub territories: Vec<String>,
    pub version: String,
    pub action: String,
}

/// Values in the order first sent, each once, blanks dropped.
fn distinct<T: PartialEq>(values: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut out: Vec<T> = vec![];
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

impl From<CardFields> for CardForm {
    fn from(f: CardFields) -> CardForm {
        let texts = |v: Vec<String>| distinct(v.into_iter().filter(|s| !s.is_empty()));
        CardForm {
            name: f.name,
            country: f.country,
            legal_id: f.legal_id,
            kind: f.kind,
            description: f.description,
            prices: f.prices,
            refs: f.refs,
            website: f.website,
            email: f.email,
            phone: f.phone,
            social: f.social,
            address: f.address,
            postcode: f.postcode,
            town: f.town,
            commune_code: f.commune_code,
            remote: checked(&f.remote),
            links: Links {
                themes: distinct(f.themes.iter().filter_map(|t| t.parse().ok())),
                sectors: texts(f.sectors),
                sizes: texts(f.sizes),
                territories: texts(f.territories),
            },
            version: f.version,
            action: f.action,
        }
    }
}

impl CardForm {
    /// The form of a stored card.
    pub fn from_card(p: &Provider, links: Links) -> CardForm {
        CardForm {
            name: p.name.clone(),
            country: p.country.clone(),
            legal_id: p.legal_id_display(),
            kind: p.kind.clone(),
            description: p.description.clone(),
            prices: p.prices.clone(),
            refs: p.refs.clone(),
            website: p.website.clone(),
            email: p.email.clone(),
            phone: p.phone.clone(),
            social: p.social.clone(),
            address: p.address.clone(),
            postcode: p.postcode.clone(),
            town: p.town.clone(),
            commune_code: p.commune_code.clone().unwrap_or_default(),
            remote: p.remote,
            links,
            version: p.version.to_string(),
            action: String::new(),
        }
    }

    /// For templates: is this theme ticked?
    pub fn has_theme(&self, id: &i64) -> bool {
        self.links.themes.contains(id)
    }

    /// For templates: is this code among `list`?
    pub fn has(&self, list: &str, code: &str) -> bool {
        let l = match list {
            "sectors" => &self.links.sectors,
            "sizes" => &self.links.sizes,
            _ => &self.links.territories,
        };
        l.iter().any(|c| c == code)
    }
}

/// A card that passed validation.
#[derive(Debug, Clone)]
pub struct Valid {
    pub name: String,
    pub country: String,
    pub legal_id: Option<LegalId>,
    pub kind: String,
    pub description: String,
    pub prices: String,
    pub refs: String,
    pub website: String,
    pub email: String,
    pub phone: String,
    pub social: String,
    pub address: String,
    pub postcode: String,
    pub town: String,
    pub commune_code: Option<String>,
    pub remote: bool,
    pub links: Links,
}

/// Check a card. `require_id` is false for imported cards.
pub async fn validate(
    db: &Db,
    f: &CardForm,
    require_id: bool,
) -> Result<Result<Valid, Violations>, sqlx::Error> {
    let mut v = Violations::default();
    let name = v.text("name", &f.name, 2, 160);
    let country = Country::from_code(f.country.trim());
    if country.is_none() {
        v.add("country", "form-choose", None);
    }
    let legal_id = match country {
        Some(c) if require_id || !f.legal_id.trim().is_empty() => {
            match LegalId::parse_for_country(c, &f.legal_id) {
                Ok(id) => Some(id),
                Err(e) => {
                    v.add("legal_id", e.key(), None);
                    None
                }
            }
        }
        _ => None,
    };
    let kind = v.text("kind", &f.kind, 0, 120);
    let description = v.text("description", &f.description, 0, 4000);
    let prices = v.text("prices", &f.prices, 0, 1000);
    let refs = v.text("refs", &f.refs, 0, 2000);
    let website = match normalise_website(&f.website) {
        Ok(w) => w,
        Err(_) => {
            v.add("website", "dir-website-invalid", None);
            String::new()
        }
    };
    let email = f.email.trim().to_string();
    if !email.is_empty() && !crate::web::forms::is_valid_email(&email) {
        v.add("email", "form-email-invalid", None);
    }
    let phone = match normalise_phone(&f.phone, country.unwrap_or(Country::Fr)) {
        Ok(p) => p,
        Err(_) => {
            v.add("phone", "dir-phone-invalid", None);
            String::new()
        }
    };
    let mut social_lines = vec![];
    for line in f.social.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match normalise_website(line) {
            Ok(u) if social_lines.len() < 8 => social_lines.push(u),
            _ => {
                v.add("social", "dir-social-invalid", None);
                break;
            }
        }
    }
    let address = v.text("address", &f.address, 0, 300);
    let postcode = v.text("postcode", &f.postcode, 0, 12);
    let mut town = v.text("town", &f.town, 0, 120);
    let commune_code = f.commune_code.trim().to_string();
    let commune_code = if commune_code.is_empty() {
        None
    } else {
        let name: Option<String> = sqlx::query_scalar(
            "SELECT name_fr FROM territories WHERE code = $1 AND level = 'commune'",
        )
        .bind(&commune_code)
        .fetch_optional(&db.pool)
        .await?;
        match name {
            // The town a card shows is its commune's when none is typed.
            Some(name) if town.is_empty() => town = name,
            Some(_) => {}
            None => v.add("commune_code", "form-choose", None),
        }
        Some(commune_code)
    };
    let mut links = f.links.clone();
    links.themes.truncate(30);
    for t in &links.themes {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM themes WHERE id = $1")
            .bind(t)
            .fetch_one(&db.pool)
            .await?;
        if n == 0 {
            v.add("themes", "form-choose", None);
            break;
        }
    }
    if require_id && links.themes.is_empty() {
        v.add("themes", "dir-themes-required", None);
    }
    for s in &links.sectors {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sectors WHERE code = $1 AND level = 'division'",
        )
        .bind(s)
        .fetch_one(&db.pool)
        .await?;
        if n == 0 {
            v.add("sectors", "form-choose", None);
            break;
        }
    }
    if links
        .sizes
        .iter()
        .any(|s| !SIZE_BANDS.contains(&s.as_str()))
    {
        v.add("sizes", "form-choose", None);
    }
    for t in &links.territories {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM territories WHERE code = $1")
            .bind(t)
            .fetch_one(&db.pool)
            .await?;
        if n == 0 {
            v.add("territories", "form-choose", None);
            break;
        }
    }
    if require_id && links.territories.is_empty() && !f.remote {
        v.add("territories", "dir-territories-required", None);
    }
    if !v.is_empty() {
        return Ok(Err(v));
    }
    Ok(Ok(Valid {
        name,
        country: country.map(|c| c.code()).unwrap_or("FR").to_string(),
        legal_id,
        kind,
        description,
        prices,
        refs,
        website,
        email,
        phone,
        social: social_lines.join("\n"),
        address,
        postcode,
        town,
        commune_code,
        remote: f.remote,
        links,
    }))
}

/// Why a card could not be saved.
#[derive(Debug)]
pub enum SaveError {
    /// Another card has this legal identifier.
    IdTaken(i64),
    /// Someone saved the card since it was read.
    Stale,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for SaveError {
    fn from(e: sqlx::Error) -> Self {
        SaveError::Db(e)
    }
}

async fn id_owner(
    tx: &mut Transaction<'static, Any>,
    id: &Option<LegalId>,
    except: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let Some(l) = id else { return Ok(None) };
    sqlx::query_scalar("SELECT id FROM providers WHERE id_kind = $1 AND id_value = $2 AND id <> $3")
        .bind(l.kind.code())
        .bind(&l.value)
        .bind(except)
        .fetch_optional(&mut **tx)
        .await
}

/// The columns a card form writes, in the order [`bind_card`] binds them
/// (`$1`..`$18`).
const CARD_COLUMNS: [&str; 18] = [
    "name",
    "search_key",
    "id_kind",
    "id_value",
    "country",
    "kind",
    "description",
    "prices",
    "refs",
    "website",
    "email",
    "phone",
    "social",
    "address",
    "postcode",
    "town",
    "commune_code",
    "remote",
];

/// Bind the values of [`CARD_COLUMNS`].
fn bind_card<'q>(
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    v: &'q Valid,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    q.bind(&v.name)
        .bind(crate::text::fold(&v.name))
        .bind(v.legal_id.as_ref().map(|l| l.kind.code()))
        .bind(v.legal_id.as_ref().map(|l| l.value.clone()))
        .bind(&v.country)
        .bind(&v.kind)
        .bind(&v.description)
        .bind(&v.prices)
        .bind(&v.refs)
        .bind(&v.website)
        .bind(&v.email)
        .bind(&v.phone)
        .bind(&v.social)
        .bind(&v.address)
        .bind(&v.postcode)
        .bind(&v.town)
        .bind(v.commune_code.as_deref())
        .bind(i64::from(v.remote))
}

/// Create a card; `member` keeps it. Returns its id.
pub async fn create(
    db: &Db,
    v: &Valid,
    status: &str,
    source: &str,
    member: Option<i64>,
) -> Result<i64, SaveError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    if let Some(owner) = id_owner(&mut tx, &v.legal_id, 0).await? {
        return Err(SaveError::IdTaken(owner));
    }
    let inserted = bind_card(
        sqlx::query(&format!(
            "INSERT INTO providers ({}, status, source, created_by, confirmed_at, created_at, updated_at) \
             VALUES ({}, $19, $20, $21, $22, $22, $22) RETURNING id",
            CARD_COLUMNS.join(", "),
            (1..=CARD_COLUMNS.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
        )),
        v,
    )
    .bind(status)
    .bind(source)
    .bind(member)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .and_then(|row| row.try_get::<i64, _>(0));
    let id = match inserted {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Err(SaveError::IdTaken(0)),
        Err(e) => return Err(e.into()),
    };
    if let Some(u) = member {
        sqlx::query("INSERT INTO provider_members (provider_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(u)
            .execute(&mut *tx)
            .await?;
    }
    set_links(&mut tx, id, &v.links).await?;
    reindex(&mut tx, id).await?;
    tx.commit().await.map_err(|e| {
        if is_unique_violation(&e) {
            SaveError::IdTaken(0)
        } else {
            SaveError::Db(e)
        }
    })?;
    Ok(id)
}

/// Save a card read at `version`; saving also confirms it is up to date.
pub async fn update(db: &Db, id: i64, version: i64, v: &Valid) -> Result<(), SaveError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let current: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT version FROM providers WHERE id = $1{}",
        crate::db::dialect::for_update(db.backend)
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    if current != Some(version) {
        return Err(SaveError::Stale);
    }
    if let Some(owner) = id_owner(&mut tx, &v.legal_id, id).await? {
        return Err(SaveError::IdTaken(owner));
    }
    let done = bind_card(
        sqlx::query(&format!(
            "UPDATE providers SET {}, confirmed_at = $19, updated_at = $19, version = version + 1 WHERE id = $20",
            CARD_COLUMNS
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ${}", i + 1))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        v,
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await;
    match done {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => return Err(SaveError::IdTaken(0)),
        Err(e) => return Err(e.into()),
    }
    set_links(&mut tx, id, &v.links).await?;
    reindex(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

async fn set_links(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    l: &Links,
) -> Result<(), sqlx::Error> {
    for table in [
        "provider_themes",
        "provider_sectors",
        "provider_sizes",
        "provider_territories",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE provider_id = $1"))
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    for t in &l.themes {
        sqlx::query("INSERT INTO provider_themes (provider_id, theme_id) VALUES ($1, $2)")
            .bind(id)
            .bind(t)
            .execute(&mut **tx)
            .await?;
    }
    for (table, col, values) in [
        ("provider_sectors", "sector_code", &l.sectors),
        ("provider_sizes", "size_band", &l.sizes),
        ("provider_territories", "territory_code", &l.territories),
    ] {
        for v in values {
            sqlx::query(&format!(
                "INSERT INTO {table} (provider_id, {col}) VALUES ($1, $2)"
            ))
            .bind(id)
            .bind(v)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Rebuild the search terms of a card from what is stored.
pub async fn reindex(tx: &mut Transaction<'static, Any>, id: i64) -> Result<(), sqlx::Error> {
    let row = sqlx::query(
        "SELECT p.name, p.kind, p.description, p.refs, p.prices, p.town, c.name_fr AS commune FROM providers p \
         LEFT JOIN territories c ON c.code = p.commune_code WHERE p.id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    let themes: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT t.title_fr, t.title_en, t.tags FROM provider_themes pt JOIN themes t ON t.id = pt.theme_id WHERE pt.provider_id = $1",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let name: String = row.get("name");
    let kind: String = row.get("kind");
    let description: String = row.get("description");
    let refs: String = row.get("refs");
    let prices: String = row.get("prices");
    let town: String = row.get("town");
    let commune = opt_text(&row, "commune").unwrap_or_default();
    let theme_text: String = themes
        .iter()
        .map(|(fr, en, tags)| format!("{fr} {en} {}", tags.replace(',', " ")))
        .collect::<Vec<_>>()
        .join(" ");
    let terms = search::index_terms(&[
        (&name, 5),
        (&kind, 3),
        (&theme_text, 3),
        (&town, 2),
        (&commune, 2),
        (&description, 1),
        (&refs, 1),
        (&prices, 1),
    ]);
    sqlx::query("DELETE FROM provider_terms WHERE provider_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for (term, weight) in terms.iter().take(400) {
        sqlx::query("INSERT INTO provider_terms (provider_id, term, weight) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(term)
            .bind(weight)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The row of `derived_versions` recording which folding the terms were built with.
const TERMS_DERIVED: &str = "directory_terms";

/// Rebuild every card's search terms and name key when [`crate::text::fold`]
/// changed since they were stored (its [`crate::text::FOLD_VERSION`] differs
/// from the recorded one). Runs at start-up after the migrations; cards are
/// rebuilt in batches so writers are never held up for long. Returns whether
/// anything was rebuilt.
pub async fn refold_if_stale(db: &Db) -> Result<bool, sqlx::Error> {
    let version = crate::text::FOLD_VERSION;
    let stored: Option<i64> =
        sqlx::query_scalar("SELECT version FROM derived_versions WHERE name = $1")
            .bind(TERMS_DERIVED)
            .fetch_optional(&db.pool)
            .await?;
    if stored == Some(version) {
        return Ok(false);
    }
    let cards: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM providers ORDER BY id")
        .fetch_all(&db.pool)
        .await?;
    for batch in cards.chunks(200) {
        let mut tx = db.begin_write().await?;
        for (id, name) in batch {
            sqlx::query("UPDATE providers SET search_key = $1 WHERE id = $2")
                .bind(crate::text::fold(name))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            reindex(&mut tx, *id).await?;
        }
        tx.commit().await?;
    }
    // Runs at start-up, before any state (and its search caches) exists.
    // The other stored keys were folded from text no longer at hand here:
    // folding a key again gives what folding its text gives (the former rules
    // only kept letters the new ones fold further), so they are refolded.
    refold_keys(db, "businesses", "CAST(id AS TEXT)", "id").await?;
    refold_keys(db, "territories", "code", "code").await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM derived_versions WHERE name = $1")
        .bind(TERMS_DERIVED)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO derived_versions (name, version, built_at) VALUES ($1, $2, $3)")
        .bind(TERMS_DERIVED)
        .bind(version)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Fold again the `search_key` column of `table`, writing only the keys that change.
async fn refold_keys(db: &Db, table: &str, key: &str, key_column: &str) -> Result<(), sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as(&format!("SELECT {key}, search_key FROM {table}"))
            .fetch_all(&db.pool)
            .await?;
    let changed: Vec<(String, String)> = rows
        .into_iter()
        .filter_map(|(k, old)| {
            let new = crate::text::fold(&old);
            (new != old).then_some((k, new))
        })
        .collect();
    for batch in changed.chunks(500) {
        let mut tx = db.begin_write().await?;
        for (k, new) in batch {
            sqlx::query(&format!(
                "UPDATE {table} SET search_key = $1 WHERE CAST({key_column} AS TEXT) = $2"
            ))
            .bind(new)
            .bind(k)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Change the status of a card (moderation, submission).
pub async fn set_status(
    db: &Db,
    id: i64,
    status: &str,
    by: Option<i64>,
    note: &str,
) -> Result<bool, sqlx::Error> {
    let now = now_ms();
    let approved = status == "published";
    let done = sqlx::query(
        "UPDATE providers SET status = $1, moderation_note = $2, updated_at = $3, \
         approved_at = CASE WHEN $4 = 1 THEN $3 ELSE approved_at END, approved_by = CASE WHEN $4 = 1 THEN $5 ELSE approved_by END \
         WHERE id = $6",
    )
    .bind(status)
    .bind(note)
    .bind(now)
    .bind(i64::from(approved))
    .bind(by)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The provider confirms the card is still accurate.
pub async fn confirm(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE providers SET confirmed_at = $1, reminder_sent_at = NULL WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Remind the keepers of cards unconfirmed for a year, once per year.
pub async fn remind_stale(db: &Db, base_url: &str, now: i64) -> Result<usize, sqlx::Error> {
    // One transaction per batch: the claim is one conditional UPDATE, so a
    // backlog (after an import) costs a few statements, not a few per card,
    // and two servers never remind the same card.
    let mut tx = db.begin_write().await?;
    let claimed: Vec<(i64, String)> = sqlx::query_as(&format!(
        "UPDATE providers SET reminder_sent_at = $1 \
         WHERE id IN (SELECT id FROM providers WHERE status = 'published' AND confirmed_at < $2 \
                      AND (reminder_sent_at IS NULL OR reminder_sent_at < confirmed_at) ORDER BY id LIMIT 200{}) \
           AND (reminder_sent_at IS NULL OR reminder_sent_at < confirmed_at) \
         RETURNING id, name",
        crate::db::dialect::skip_locked(db.backend)
    ))
    .bind(now)
    .bind(now - CONFIRM_EVERY_MS)
    .fetch_all(&mut *tx)
    .await?;
    if claimed.is_empty() {
        return Ok(0);
    }
    let ids: Vec<String> = claimed.iter().map(|(id, _)| id.to_string()).collect();
    let people: Vec<(i64, String, String, String)> = sqlx::query_as(&format!(
        "SELECT m.provider_id, u.email, u.display_name, u.locale FROM provider_members m JOIN users u ON u.id = m.user_id \
         WHERE m.provider_id IN ({}) ORDER BY m.provider_id, u.id",
        ids.join(", ")
    ))
    .fetch_all(&mut *tx)
    .await?;
    let names: std::collections::HashMap<i64, &str> =
        claimed.iter().map(|(id, n)| (*id, n.as_str())).collect();
    for (id, email, person, locale) in people {
        let name = names.get(&id).copied().unwrap_or_default();
        let tr = crate::i18n::Tr(
            crate::i18n::Locale::from_tag(&locale).unwrap_or(crate::i18n::Locale::Fr),
        );
        let link =
            crate::kernel::links::absolute_str(base_url, &format!("/prestataire/fiche/{id}"));
        crate::outbox::enqueue(
            &mut tx,
            &crate::outbox::NewMail {
                kind: "directory.confirm",
                to: email,
                reply_to: None,
                subject: tr.ts("dir-mail-confirm-subject", "name", name),
                body_text: format!(
                    "{}\n\n{}\n{link}\n",
                    tr.ts("mail-hello", "name", &person),
                    tr.ts("dir-mail-confirm-body", "name", name)
                ),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(claimed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_form_keeps_each_ticked_value_once() {
        let fields: CardFields = crate::kernel::forms::parse(
            b"name=Atelier+%C3%A9co&remote=on&themes=7&themes=3&themes=7&themes=x\
              &sectors=47&sectors=&sectors=47&sizes=0&territories=FR-D33&territories=FR-D33",
        )
        .unwrap();
        let form = CardForm::from(fields);
        assert_eq!(form.name, "Atelier éco");
        assert!(form.remote);
        assert_eq!(form.links.themes, [7, 3]);
        assert_eq!(form.links.sectors, ["47"]);
        assert_eq!(form.links.sizes, ["0"]);
        assert_eq!(form.links.territories, ["FR-D33"]);
        let empty = CardForm::from(crate::kernel::forms::parse::<CardFields>(b"").unwrap());
        assert!(!empty.remote && empty.links.themes.is_empty());
    }
}
