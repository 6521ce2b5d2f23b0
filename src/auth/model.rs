//! The typed domain of accounts: roles, the signed-in person, single-use
//! link purposes, account states, and the parsing of every account form.
//! Pure rules, no I/O.

use std::sync::Arc;

use serde::Deserialize;

use crate::web::forms::{checked, Violations};

/// What a person may do. One person can hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Programme manager.
    Admin,
    /// Programme adviser.
    Adviser,
    /// Workshop speaker.
    Speaker,
    /// Service provider.
    Provider,
    /// Business owner.
    Business,
    /// Funder or partner, read-only.
    Funder,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Adviser,
        Role::Speaker,
        Role::Provider,
        Role::Business,
        Role::Funder,
    ];

    /// Roles a programme manager can invite staff into.
    pub const STAFF: [Role; 4] = [Role::Admin, Role::Adviser, Role::Speaker, Role::Funder];

    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Adviser => "adviser",
            Role::Speaker => "speaker",
            Role::Provider => "provider",
            Role::Business => "business",
            Role::Funder => "funder",
        }
    }

    /// Fluent key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Admin => "role-admin",
            Role::Adviser => "role-adviser",
            Role::Speaker => "role-speaker",
            Role::Provider => "role-provider",
            Role::Business => "role-business",
            Role::Funder => "role-funder",
        }
    }

    /// Parse a stored code.
    pub fn from_code(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }

    /// Roles as stored on a single-use link: codes joined by commas.
    pub fn join(roles: &[Role]) -> String {
        roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")
    }

    /// Roles read back from [`Role::join`]; unknown codes are dropped.
    pub fn split(codes: &str) -> Vec<Role> {
        codes.split(',').filter_map(Role::from_code).collect()
    }
}

/// The signed-in person, loaded from the session.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub locale: String,
    pub roles: Vec<Role>,
    /// The programme a manager limited this person to (the team they are
    /// part of, or the programme they fund).
    pub limited_to: Option<i64>,
    /// Hash of the session id, to end this session only.
    pub session_hash: String,
}

impl SessionUser {
    /// True when the person holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// True when the person holds any of `roles`.
    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has(*r))
    }

    /// Programme staff: managers and advisers.
    pub fn is_staff(&self) -> bool {
        self.has_any(&[Role::Admin, Role::Adviser])
    }

    /// The only programme this person may work in or read, when a manager
    /// limited them to it (managers work in every programme).
    pub fn only_programme(&self) -> Option<i64> {
        self.limited_to.filter(|_| !self.has(Role::Admin))
    }
}

/// Shared pointer to the signed-in person, placed in request extensions.
pub type CurrentUser = Option<Arc<SessionUser>>;

/// Sessions last 30 days, extended while used.
pub const SESSION_TTL_MS: i64 = 30 * 24 * 3_600_000;
/// Single-use links expire after this long.
pub const VERIFY_TTL_MS: i64 = 48 * 3_600_000;
/// Password reset links are short-lived.
pub const RESET_TTL_MS: i64 = 3_600_000;
/// Invitations stay valid a week.
pub const INVITE_TTL_MS: i64 = 7 * 24 * 3_600_000;

/// Login attempts allowed per account in the window.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Attempts allowed per client address in the window.
pub const MAX_ATTEMPTS_PER_ADDRESS: i64 = 30;
/// Sign-ups and reset requests allowed per client address in the window.
pub const MAX_REQUESTS_PER_ADDRESS: i64 = 10;
/// Rate-limit window.
pub const RATE_WINDOW_MS: i64 = 15 * 60_000;

/// The text version of the sign-up consent, recorded with each account.
pub const SIGNUP_CONSENT_VERSION: &str = "cgu-2026-11";

/// Shortest password accepted.
const PASSWORD_MIN: usize = 12;
/// Longest password accepted (hashing cost stays bounded).
const PASSWORD_MAX: usize = 128;

/// What a single-use link is for; the code is stored in `auth_tokens.purpose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Confirms a new account's address.
    Verify,
    /// Sets a new password.
    Reset,
    /// Joins the programme team.
    Invite,
}

impl LinkPurpose {
    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            LinkPurpose::Verify => "verify",
            LinkPurpose::Reset => "reset",
            LinkPurpose::Invite => "invite",
        }
    }

    /// Fluent key of the page title answering this link.
    pub fn label_key(self) -> &'static str {
        match self {
            LinkPurpose::Verify => "auth-link-title",
            LinkPurpose::Reset => "auth-reset-title",
            LinkPurpose::Invite => "auth-invite-title",
        }
    }

    /// How long a link of this kind stays valid.
    pub fn ttl_ms(self) -> i64 {
        match self {
            LinkPurpose::Verify => VERIFY_TTL_MS,
            LinkPurpose::Reset => RESET_TTL_MS,
            LinkPurpose::Invite => INVITE_TTL_MS,
        }
    }

    /// Path of the page answering a link of this kind.
    pub fn path(self, token: &str) -> String {
        match self {
            LinkPurpose::Verify => format!("/verification/{token}"),
            LinkPurpose::Reset => format!("/reinitialisation/{token}"),
            LinkPurpose::Invite => format!("/invitation/{token}"),
        }
    }

    /// Where to go, and the Fluent key of the button, when a link is refused.
    pub fn retry(self) -> (&'static str, &'static str) {
        match self {
            LinkPurpose::Verify => ("/connexion", "auth-login-to-resend"),
            LinkPurpose::Reset => ("/mot-de-passe-oublie", "auth-ask-new-link"),
            LinkPurpose::Invite => ("/contact", "auth-contact-team"),
        }
    }
}

/// Why a single-use link cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    Unknown,
    Expired,
    Used,
}

impl LinkError {
    /// Fluent key of the explanation shown.
    pub fn label_key(self) -> &'static str {
        match self {
            LinkError::Unknown => "auth-link-unknown",
            LinkError::Expired => "auth-link-expired",
            LinkError::Used => "auth-link-used",
        }
    }
}

/// A link's payload once accepted.
#[derive(Debug, Clone)]
pub struct LinkGrant {
    pub user_id: Option<i64>,
    pub email: String,
    pub roles: Vec<Role>,
    /// Who issued the link (the manager behind an invitation).
    pub created_by: Option<i64>,
}

/// Where an account stands when someone tries to log into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountState {
    /// The address was never confirmed: a new verification link is sent.
    Unverified,
    /// Usable.
    Active,
    /// Closed by the programme: logging in fails like a wrong password.
    Disabled,
}

impl AccountState {
    /// The state from the account's timestamps.
    pub fn of(verified_at: Option<i64>, disabled_at: Option<i64>) -> AccountState {
        match (disabled_at, verified_at) {
            (Some(_), _) => AccountState::Disabled,
            (None, None) => AccountState::Unverified,
            (None, Some(_)) => AccountState::Active,
        }
    }

    /// Stable code (logs and tests).
    pub fn code(self) -> &'static str {
        match self {
            AccountState::Unverified => "unverified",
            AccountState::Active => "active",
            AccountState::Disabled => "disabled",
        }
    }

    /// Fluent key of what the login page says about this state.
    pub fn label_key(self) -> &'static str {
        match self {
            AccountState::Unverified => "auth-login-unverified",
            AccountState::Active => "auth-welcome",
            AccountState::Disabled => "auth-login-failed",
        }
    }
}

/// Rate-limit bucket of a client address for an action (`login`, `signup`, `reset`).
pub fn address_bucket(action: &str, ip: std::net::IpAddr) -> String {
    format!("{action}:ip:{ip}")
}

/// Rate-limit bucket of login failures on one account.
pub fn account_bucket(email: &str) -> String {
    format!("login:acct:{email}")
}

/// Checks a new password: length, not the address itself, typed twice alike.
pub fn password_rules(v: &mut Violations, password: &str, confirm: &str, email: &str) {
    let n = password.chars().count();
    if n == 0 {
        v.add("password", "form-required", None);
    } else if n < PASSWORD_MIN {
        v.add("password", "auth-password-short", Some(PASSWORD_MIN as i64));
    } else if n > PASSWORD_MAX {
        v.add("password", "form-too-long", Some(PASSWORD_MAX as i64));
    } else if password.trim().eq_ignore_ascii_case(email.trim()) {
        v.add("password", "auth-password-is-email", None);
    }
    if password != confirm {
        v.add("password_confirm", "auth-password-mismatch", None);
    }
}

/// What the sign-up form sends.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct SignupInput {
    pub name: String,
    pub email: String,
    pub password: String,
    pub password_confirm: String,
    pub account_type: String,
    pub consent: Option<String>,
}

/// A sign-up that passed every rule.
#[derive(Debug, Clone)]
pub struct Signup {
    pub name: String,
    /// Lowercased.
    pub email: String,
    pub password: String,
    /// Business owner or provider.
    pub role: Role,
}

impl SignupInput {
    /// Check the form.
    pub fn parse(&self) -> Result<Signup, Violations> {
        let mut v = Violations::default();
        let name = v.text("name", &self.name, 2, 120);
        let email = v.email("email", &self.email).to_lowercase();
        password_rules(&mut v, &self.password, &self.password_confirm, &email);
        let role = match self.account_type.as_str() {
            "business" => Some(Role::Business),
            "provider" => Some(Role::Provider),
            _ => {
                v.add("account_type", "form-choose", None);
                None
            }
        };
        v.accepted("consent", checked(&self.consent));
        match role {
            Some(role) if v.is_empty() => Ok(Signup {
                name,
                email,
                password: self.password.clone(),
                role,
            }),
            _ => Err(v),
        }
    }

    /// The form shown back, without the passwords.
    pub fn without_passwords(self) -> SignupInput {
        SignupInput {
            password: String::new(),
            password_confirm: String::new(),
            ..self
        }
    }
}

/// What the login form sends.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
    pub next: String,
}

/// A login attempt with both fields filled.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// Lowercased.
    pub email: String,
    pub password: String,
}

impl LoginInput {
    /// Check that both fields are filled.
    pub fn parse(&self) -> Result<Credentials, Violations> {
        let email = self.email.trim().to_lowercase();
        let mut v = Violations::default();
        if email.is_empty() {
            v.add("email", "form-required", None);
        }
        if self.password.is_empty() {
            v.add("password", "form-required", None);
        }
        if v.is_empty() {
            Ok(Credentials {
                email,
                password: self.password.clone(),
            })
        } else {
            Err(v)
        }
    }
}

/// What the "forgotten password" form sends.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ForgotInput {
    pub email: String,
}

impl ForgotInput {
    /// The address, lowercased.
    pub fn parse(&self) -> Result<String, Violations> {
        let mut v = Violations::default();
        let email = v.email("email", &self.email).to_lowercase();
        if v.is_empty() {
            Ok(email)
        } else {
            Err(v)
        }
    }
}

/// What the new-password form sends (reset and invitation).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PasswordInput {
    pub name: String,
    pub password: String,
    pub password_confirm: String,
}

/// A new password, and the name when an invitation asks for it.
#[derive(Debug, Clone)]
pub struct NewPassword {
    pub name: String,
    pub password: String,
}

impl PasswordInput {
    /// Check the password for the account at `email`; `with_name` also asks for a name.
    pub fn parse(&self, email: &str, with_name: bool) -> Result<NewPassword, (String, Violations)> {
        let mut v = Violations::default();
        let name = if with_name {
            v.text("name", &self.name, 2, 120)
        } else {
            String::new()
        };
        password_rules(&mut v, &self.password, &self.password_confirm, email);
        if v.is_empty() {
            Ok(NewPassword {
                name,
                password: self.password.clone(),
            })
        } else {
            Err((name, v))
        }
    }
}

/// What the invitation form sends.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct InviteInput {
    pub email: String,
    pub role_admin: Option<String>,
    pub role_adviser: Option<String>,
    pub role_speaker: Option<String>,
    pub role_funder: Option<String>,
}

/// An invitation to send.
#[derive(Debug, Clone)]
pub struct Invitation {
    /// Lowercased.
    pub email: String,
    pub roles: Vec<Role>,
}

impl InviteInput {
    /// The staff roles ticked.
    pub fn roles(&self) -> Vec<Role> {
        [
            (&self.role_admin, Role::Admin),
            (&self.role_adviser, Role::Adviser),
            (&self.role_speaker, Role::Speaker),
            (&self.role_funder, Role::Funder),
        ]
        .into_iter()
        .filter(|(on, _)| checked(on))
        .map(|(_, role)| role)
        .collect()
    }

    /// Check the form: an address and at least one role.
    pub fn parse(&self) -> Result<Invitation, Violations> {
        let mut v = Violations::default();
        let email = v.email("email", &self.email).to_lowercase();
        let roles = self.roles();
        if roles.is_empty() {
            v.add("roles", "auth-choose-role", None);
        }
        if v.is_empty() {
            Ok(Invitation { email, roles })
        } else {
            Err(v)
        }
    }
}

/// What the API-token form sends.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct TokenInput {
    pub name: String,
    pub role: String,
}

/// A token to create: its name and one role the person holds.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub name: String,
    pub role: Role,
}

impl TokenInput {
    /// Check the form for a person holding `roles`.
    pub fn parse(&self, roles: &[Role]) -> Result<NewToken, Violations> {
        let mut v = Violations::default();
        let name = v.text("name", &self.name, 2, 80);
        let role = Role::from_code(self.role.trim()).filter(|r| roles.contains(r));
        match role {
            Some(role) if v.is_empty() => Ok(NewToken { name, role }),
            Some(_) => Err(v),
            None => {
                v.add("role", "form-choose", None);
                Err(v)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_codes() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
            assert_eq!(r.label_key(), format!("role-{}", r.code()));
        }
        assert_eq!(Role::join(&[Role::Admin, Role::Funder]), "admin,funder");
        assert_eq!(
            Role::split("admin,,nope,funder"),
            [Role::Admin, Role::Funder]
        );
    }

    #[test]
    fn account_states() {
        assert_eq!(AccountState::of(None, None), AccountState::Unverified);
        assert_eq!(AccountState::of(Some(1), None), AccountState::Active);
        assert_eq!(AccountState::of(Some(1), Some(2)), AccountState::Disabled);
        assert_eq!(LinkPurpose::Invite.code(), "invite");
        assert_eq!(LinkPurpose::Reset.path("ab"), "/reinitialisation/ab");
    }

    #[test]
    fn sign_up_rules() {
        let ok = SignupInput {
            name: "Léa Martin".into(),
            email: "Lea@Example.org".into(),
            password: "un mot de passe long".into(),
            password_confirm: "un mot de passe long".into(),
            account_type: "provider".into(),
            consent: Some("on".into()),
        };
        let s = ok.parse().unwrap();
        assert_eq!(s.email, "lea@example.org");
        assert_eq!(s.role, Role::Provider);
        let bad = SignupInput {
            password: "court".into(),
            account_type: "admin".into(),
            consent: None,
            ..ok
        };
        let v = bad.parse().unwrap_err();
        assert!(v.has("password") && v.has("account_type") && v.has("consent"));
    }

    #[test]
    fn invitations_need_a_role() {
        let i = InviteInput {
            email: "a@b.fr".into(),
            ..Default::default()
        };
        assert!(i.parse().unwrap_err().has("roles"));
        let i = InviteInput {
            role_funder: Some("on".into()),
            ..i
        };
        assert_eq!(i.parse().unwrap().roles, [Role::Funder]);
    }
}
