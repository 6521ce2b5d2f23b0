//! Provider cards: what they hold, how they are checked, stored and indexed.

use sqlx::any::AnyRow;
use sqlx::Row;

use crate::business::identifiers::{Country, LegalId};
use crate::business::model::{normalise_phone, normalise_website, SIZE_BANDS};
use crate::db::{opt_text, Db};
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
