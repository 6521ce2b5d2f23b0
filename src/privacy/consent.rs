//! The consent ledger: every consent given or withdrawn is a row with the
//! version of the text shown, the time and the channel. Rows come from the
//! database triggers (a registration, an account, a business contact, a
//! testimony: see `triggers.rs`) and from the person's own choices (their
//! consents page, the signed link at the foot of every mail).
//!
//! Withdrawal links are signed with a key kept in the database, so any
//! server of many checks them and a link names one address only.

use sha2::{Digest, Sha256};

use super::store::Tx;
use crate::db::{now_ms, Db};

/// What a consent is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The notice shown when registering for a workshop.
    Registration,
    /// The privacy notice accepted when creating an account.
    Signup,
    /// A testimony published with the person's name.
    Testimony,
    /// A photo or video published with a testimony.
    Photo,
    /// The programme's newsletter.
    Newsletter,
}

/// Every purpose, in the order pages show them.
pub const PURPOSES: [Purpose; 5] = [
    Purpose::Registration,
    Purpose::Signup,
    Purpose::Testimony,
    Purpose::Photo,
    Purpose::Newsletter,
];

impl Purpose {
    /// Text stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Registration => "registration",
            Purpose::Signup => "signup",
            Purpose::Testimony => "testimony",
            Purpose::Photo => "photo",
            Purpose::Newsletter => "newsletter",
        }
    }

    /// The purpose stored as `code`.
    pub fn from_code(code: &str) -> Option<Purpose> {
        PURPOSES.iter().copied().find(|p| p.code() == code)
    }

    /// Translation key of the label.
    pub fn label_key(self) -> String {
        format!("privacy-consent-{}", self.code())
    }

    /// Translation key of the text shown when asking (its current version).
    pub fn text_key(self) -> String {
        format!("privacy-consent-text-{}", self.code())
    }

    /// The version of the text shown today. Changing a text means changing
    /// its version here: where [`Purpose::asks_again`], the person is asked
    /// again with the new text.
    pub fn version(self) -> &'static str {
        match self {
            Purpose::Registration => "2024-09",
            Purpose::Signup => "2026-12",
            Purpose::Testimony => "2026-12",
            Purpose::Photo => "2026-12",
            Purpose::Newsletter => "2026-12",
        }
    }

    /// Whether a new version of the text is asked again (at the person's
    /// next visit of their space); registrations ask at the next registration.
    pub fn asks_again(self) -> bool {
        matches!(self, Purpose::Signup | Purpose::Newsletter)
    }

    /// Whether the person withdraws it in one click. Registrations and the
    /// account notice rest on the programme's task: withdrawing them is
    /// erasing one's data (the page links there).
    pub fn withdrawable(self) -> bool {
        matches!(
            self,
            Purpose::Testimony | Purpose::Photo | Purpose::Newsletter
        )
    }

    /// Whether the person gives it themselves from their space.
    pub fn self_given(self) -> bool {
        matches!(self, Purpose::Newsletter | Purpose::Signup)
    }
}

/// Where a consent was given or withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// The person's own space.
    Account,
    /// The signed link of a mail.
    Mail,
}

impl Channel {
    /// Text stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Account => "account",
            Channel::Mail => "mail",
        }
    }
}

/// One row of the ledger.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LedgerRow {
    pub id: i64,
    pub email: String,
    pub purpose: String,
    pub text_version: String,
    pub granted: i64,
    pub channel: String,
    pub locale: String,
    pub at: i64,
}

const COLUMNS: &str = "id, email, purpose, text_version, granted, channel, locale, at";

/// Append a consent given (`granted`) or withdrawn.
pub async fn record(
    tx: &mut Tx,
    email: &str,
    user_id: Option<i64>,
    purpose: Purpose,
    granted: bool,
    channel: Channel,
    locale: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consent_ledger (email, user_id, purpose, text_version, granted, channel, locale, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(email)
    .bind(user_id)
    .bind(purpose.code())
    .bind(purpose.version())
    .bind(i64::from(granted))
    .bind(channel.code())
    .bind(locale)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    // What the withdrawal changes elsewhere.
    if !granted {
        let sql = match purpose {
            Purpose::Photo => {
                Some("UPDATE testimonies SET photo_consent = 0 WHERE LOWER(consent_by) = $1")
            }
            Purpose::Testimony => Some(
                "UPDATE testimonies SET consent_at = NULL, photo_consent = 0 WHERE LOWER(consent_by) = $1",
            ),
            _ => None,
        };
        if let Some(sql) = sql {
            sqlx::query(sql).bind(email).execute(&mut **tx).await?;
        }
    }
    Ok(())
}

/// A person's rows, newest first.
pub async fn rows_of(
    db: &Db,
    email: &str,
    user_id: Option<i64>,
) -> Result<Vec<LedgerRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM consent_ledger WHERE email = $1 OR user_id = $2 ORDER BY at DESC, id DESC"
    ))
    .bind(email)
    .bind(user_id.unwrap_or(-1))
    .fetch_all(&db.pool)
    .await
}

/// Where a person stands for one purpose: their latest answer.
#[derive(Debug, Clone)]
pub struct Standing {
    pub purpose: Purpose,
    pub latest: Option<LedgerRow>,
}

impl Standing {
    /// Given, and not withdrawn since.
    pub fn granted(&self) -> bool {
        self.latest.as_ref().is_some_and(|r| r.granted == 1)
    }

    /// Given for an older text that is asked again.
    pub fn outdated(&self) -> bool {
        self.purpose.asks_again()
            && self
                .latest
                .as_ref()
                .is_some_and(|r| r.granted == 1 && r.text_version != self.purpose.version())
    }
}

/// Every purpose with the person's latest answer.
pub fn standings(rows: &[LedgerRow]) -> Vec<Standing> {
    PURPOSES
        .iter()
        .map(|p| Standing {
            purpose: *p,
            latest: rows.iter().find(|r| r.purpose == p.code()).cloned(),
        })
        .collect()
}

/// The ledger as managers read it: newest first, filtered by purpose and
/// by address (part of it).
pub async fn ledger(
    db: &Db,
    purpose: Option<Purpose>,
    email: &str,
    limit: i64,
) -> Result<Vec<LedgerRow>, sqlx::Error> {
    let mut sql = format!("SELECT {COLUMNS} FROM consent_ledger WHERE 1 = 1");
    if purpose.is_some() {
        sql.push_str(" AND purpose = $2");
    }
    if !email.is_empty() {
        sql.push_str(" AND email LIKE $3 ESCAPE '\\'");
    }
    sql.push_str(" ORDER BY at DESC, id DESC LIMIT $1");
    // Unused parameters are not sent: renumber what is bound.
    let mut n = 1;
    let sql = ["$2", "$3"].iter().fold(sql, |s, p| {
        if s.contains(p) {
            n += 1;
            s.replace(p, &format!("${n}"))
        } else {
            s
        }
    });
    let mut q = sqlx::query_as::<_, LedgerRow>(&sql).bind(limit);
    if let Some(p) = purpose {
        q = q.bind(p.code());
    }
    if !email.is_empty() {
        q = q.bind(format!("%{}%", email.to_lowercase()));
    }
    q.fetch_all(&db.pool).await
}

/// The key that signs withdrawal links, created once.
pub async fn secret(db: &Db) -> Result<String, sqlx::Error> {
    if let Some(s) = sqlx::query_scalar("SELECT secret FROM privacy_secret WHERE id = 1")
        .fetch_optional(&db.pool)
        .await?
    {
        return Ok(s);
    }
    let mut b = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut b);
    sqlx::query("INSERT INTO privacy_secret (id, secret) VALUES (1, $1) ON CONFLICT DO NOTHING")
        .bind(hex::encode(b))
        .execute(&db.writer)
        .await?;
    sqlx::query_scalar("SELECT secret FROM privacy_secret WHERE id = 1")
        .fetch_one(&db.writer)
        .await
}

/// The signature of an address's withdrawal link.
pub fn sign(secret: &str, email: &str) -> String {
    let mut h = Sha256::new();
    h.update(secret.as_bytes());
    h.update(b"|consent|");
    h.update(email.as_bytes());
    h.update(b"|");
    h.update(secret.as_bytes());
    hex::encode(h.finalize())[..32].to_string()
}

/// The path of an address's withdrawal page (the address hex-encoded, so
/// it does not show in logs as an address).
pub fn link_path(secret: &str, email: &str) -> String {
    let email = super::model::normalise_email(email);
    format!(
        "/consentement?e={}&s={}",
        hex::encode(email.as_bytes()),
        sign(secret, &email)
    )
}

/// The address a link names, when its signature is right.
pub fn check_link(secret: &str, e: &str, s: &str) -> Option<String> {
    let email = String::from_utf8(hex::decode(e).ok()?).ok()?;
    let expected = sign(secret, &email);
    // Constant-time enough for a 32-character comparison of hex digests.
    let same = expected.len() == s.len()
        && expected
            .bytes()
            .zip(s.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    same.then_some(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_name_one_address_and_refuse_a_changed_one() {
        let path = link_path("k", " Marie@X.fr ");
        let q = path.split_once('?').unwrap().1;
        let (e, s) = q.split_once('&').unwrap();
        let (e, s) = (&e[2..], &s[2..]);
        assert_eq!(check_link("k", e, s).as_deref(), Some("marie@x.fr"));
        assert_eq!(check_link("other", e, s), None);
        let forged = hex::encode("karim@x.fr");
        assert_eq!(check_link("k", &forged, s), None);
    }

    #[test]
    fn every_purpose_reads_back_and_only_some_are_withdrawn_in_one_click() {
        for p in PURPOSES {
            assert_eq!(Purpose::from_code(p.code()), Some(p));
        }
        assert!(Purpose::Photo.withdrawable() && !Purpose::Registration.withdrawable());
    }
}
