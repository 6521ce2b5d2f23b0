//! Accounts: sign-up, verification, login, reset, invitations, roles.

use crate::both_databases;
use crate::harness::{link_in, Browser, TestApp, PW};
use tremplin::web::access::Access;

both_databases!(
    sign_up_verify_sign_in_and_out,
    accounts_cannot_be_enumerated,
    unverified_accounts_get_a_new_link_at_login,
    repeated_login_failures_are_rate_limited,
    password_reset_is_single_use_and_ends_other_sessions,
    log_out_everywhere_ends_every_session,
    login_rotates_the_session,
    staff_are_invited_by_a_manager,
    every_role_gets_exactly_its_routes,
    a_business_owner_never_sees_another_business,
    the_store_uses_a_link_once,
);

/// Sign up a business owner and follow the verification link: a signed-in browser.
pub async fn new_business_owner(app: &TestApp, email: &str, lang: &str) -> Browser {
    let mut b = Browser::new(app).await;
    b.cookies.insert("tremplin_lang".into(), lang.into());
    let (status, location, _) = b
        .submit(
            "/inscription",
            &[
                ("account_type", "business"),
                ("name", "Jean Menuisier"),
                ("email", email),
                ("password", "une phrase de passe solide"),
                ("password_confirm", "une phrase de passe solide"),
                ("consent", "on"),
            ],
        )
        .await;
    assert_eq!((status, location.as_str()), (303, "/inscription/envoye"));
    // Other mails to the same address (a diagnostic's link, a workshop
    // registration) may be delivered in the same round: take the one
    // that carries the confirmation link.
    let mail = app
        .wait_mail_to(email, |m| m.body_text.contains("/verification/"))
        .await;
    let link = link_in(&mail.body_text, "http");
    let path = &link[link.find("/verification/").unwrap()..];
    let (status, html) = b.page(path).await;
    assert_eq!(status, 200);
    assert!(html.contains("method=\"post\""));
    let (status, location, _) = b.submit(path, &[]).await;
    assert_eq!((status, location.as_str()), (303, "/compte?bienvenue=1"));
    b
}

async fn sign_up_verify_sign_in_and_out(app: &TestApp) {
    let mut b = new_business_owner(app, "jean@menuiserie-bois.fr", "fr").await;
    let mail = app.last_mail_to("jean@menuiserie-bois.fr").await;
    assert_eq!(mail.subject, "Confirmez votre adresse e-mail");
    let (status, html) = b.page("/compte?bienvenue=1").await;
    assert_eq!(status, 200);
    assert!(html.contains("Bienvenue"));
    assert!(html.contains("Jean Menuisier"));
    assert!(html.contains("Entreprise"));

    // The link works once.
    let path = link_in(&mail.body_text, "http");
    let path = &path[path.find("/verification/").unwrap()..];
    let (status, _, html) = b.submit(path, &[]).await;
    assert_eq!(status, 410);
    assert!(html.contains("déjà été utilisé"));

    // Sign out, then the account page asks to sign in again.
    let (status, location, _) = b.submit("/deconnexion", &[]).await;
    assert_eq!((status, location.as_str()), (303, "/connexion?sortie=1"));
    let res = b.get("/compte").await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/connexion?next=%2Fcompte");

    // And signing in again works.
    let res = b
        .login("jean@menuiserie-bois.fr", "une phrase de passe solide")
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/accueil");
}

async fn accounts_cannot_be_enumerated(app: &TestApp) {
    // Sign-up with an address that has an account: same answer, and the owner is told by mail.
    let users_before = app.count("SELECT COUNT(*) FROM users").await;
    let mut b = Browser::new(app).await;
    let form = |email: &'static str| {
        [
            ("account_type", "business"),
            ("name", "Quelqu'un"),
            ("email", email),
            ("password", "une phrase de passe solide"),
            ("password_confirm", "une phrase de passe solide"),
            ("consent", "on"),
        ]
    };
    let existing = b
        .submit("/inscription", &form("marie@boulangerie-dupont.fr"))
        .await;
    let fresh = b
        .submit("/inscription", &form("nouveau@exemple-artisan.fr"))
        .await;
    assert_eq!(
        (existing.0, existing.1.as_str()),
        (fresh.0, fresh.1.as_str())
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users").await,
        users_before + 1
    );
    let mail = app.last_mail_to("marie@boulangerie-dupont.fr").await;
    assert_eq!(mail.subject, "Une demande de compte avec votre adresse");

    // Login: a wrong password and an unknown address look the same.
    let mut b = Browser::new(app).await;
    let (s1, _, h1) = b
        .submit(
            "/connexion",
            &[
                ("email", "marie@boulangerie-dupont.fr"),
                ("password", "mauvais mot de passe"),
            ],
        )
        .await;
    let (s2, _, h2) = b
        .submit(
            "/connexion",
            &[
                ("email", "personne@nulle-part.fr"),
                ("password", "mauvais mot de passe"),
            ],
        )
        .await;
    assert_eq!(s1, 422);
    assert_eq!(s1, s2);
    assert!(h1.contains("Adresse e-mail ou mot de passe incorrect."));
    assert!(h2.contains("Adresse e-mail ou mot de passe incorrect."));

    // Reset: same page either way; a mail only for the real account.
    let (s1, _, h1) = b
        .submit(
            "/mot-de-passe-oublie",
            &[("email", "conseiller@tremplin-demo.fr")],
        )
        .await;
    let (s2, _, h2) = b
        .submit(
            "/mot-de-passe-oublie",
            &[("email", "personne@nulle-part.fr")],
        )
        .await;
    assert_eq!((s1, s2), (200, 200));
    let strip = |h: &str| {
        h.split("<main")
            .nth(1)
            .unwrap()
            .split("</main>")
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(strip(&h1), strip(&h2));
    assert_eq!(app.mails_to("conseiller@tremplin-demo.fr").await, 1);
    assert_eq!(app.mails_to("personne@nulle-part.fr").await, 0);
}

async fn unverified_accounts_get_a_new_link_at_login(app: &TestApp) {
    let mut b = Browser::new(app).await;
    b.submit(
        "/inscription",
        &[
            ("account_type", "provider"),
            ("name", "Web Atelier"),
            ("email", "contact@web-atelier.fr"),
            ("password", "une phrase de passe solide"),
            ("password_confirm", "une phrase de passe solide"),
            ("consent", "on"),
        ],
    )
    .await;
    assert_eq!(app.mails_to("contact@web-atelier.fr").await, 1);
    let (status, _, html) = b
        .submit(
            "/connexion",
            &[
                ("email", "contact@web-atelier.fr"),
                ("password", "une phrase de passe solide"),
            ],
        )
        .await;
    assert_eq!(status, 403);
    assert!(html.contains("pas encore confirmée"));
    assert_eq!(app.mails_to("contact@web-atelier.fr").await, 2);
    assert!(!b.cookies.contains_key("tremplin_session"));
}

async fn repeated_login_failures_are_rate_limited(app: &TestApp) {
    let mut b = Browser::new(app).await;
    b.cookies.insert("tremplin_lang".into(), "en".into());
    for _ in 0..5 {
        let (status, _, _) = b
            .submit(
                "/connexion",
                &[
                    ("email", "conseiller@tremplin-demo.fr"),
                    ("password", "wrong password"),
                ],
            )
            .await;
        assert_eq!(status, 422);
    }
    // Even the right password is refused for a while, with a clear message.
    let (status, _, html) = b
        .submit(
            "/connexion",
            &[("email", "conseiller@tremplin-demo.fr"), ("password", PW)],
        )
        .await;
    assert_eq!(status, 429);
    assert!(html.contains("Too many sign-in attempts"));
    // Another account from elsewhere is not affected.
    let res = Browser::new(app)
        .await
        .login("responsable@tremplin-demo.fr", PW)
        .await;
    assert_eq!(res.status(), 303);
}

async fn password_reset_is_single_use_and_ends_other_sessions(app: &TestApp) {
    let mut other_device = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    assert_eq!(other_device.page("/compte").await.0, 200);

    let mut b = Browser::new(app).await;
    b.submit(
        "/mot-de-passe-oublie",
        &[("email", "Conseiller@Tremplin-Demo.fr")],
    )
    .await;
    let mail = app.last_mail_to("conseiller@tremplin-demo.fr").await;
    assert_eq!(mail.subject, "Choisir un nouveau mot de passe");
    let link = link_in(&mail.body_text, "http");
    let path = link[link.find("/reinitialisation/").unwrap()..].to_string();
    assert_eq!(b.page(&path).await.0, 200);

    let (status, _, html) = b
        .submit(
            &path,
            &[
                ("password", "nouvelle phrase secrète"),
                ("password_confirm", "autre chose"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Les deux mots de passe ne sont pas identiques."));
    let (status, location, _) = b
        .submit(
            &path,
            &[
                ("password", "nouvelle phrase secrète"),
                ("password_confirm", "nouvelle phrase secrète"),
            ],
        )
        .await;
    assert_eq!((status, location.as_str()), (303, "/compte?reinitialise=1"));

    // Used once; the other device was signed out; the old password is gone.
    assert_eq!(b.page(&path).await.0, 410);
    assert_eq!(other_device.get("/compte").await.status(), 303);
    assert_eq!(
        Browser::new(app)
            .await
            .login("conseiller@tremplin-demo.fr", PW)
            .await
            .status(),
        422
    );
    assert_eq!(
        Browser::new(app)
            .await
            .login("conseiller@tremplin-demo.fr", "nouvelle phrase secrète")
            .await
            .status(),
        303
    );

    // An expired link is refused with its own message.
    b.submit(
        "/mot-de-passe-oublie",
        &[("email", "responsable@tremplin-demo.fr")],
    )
    .await;
    let mail = app.last_mail_to("responsable@tremplin-demo.fr").await;
    let link = link_in(&mail.body_text, "http");
    let path = link[link.find("/reinitialisation/").unwrap()..].to_string();
    sqlx::query(
        "UPDATE auth_tokens SET expires_at = 0 WHERE purpose = 'reset' AND used_at IS NULL",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let (status, html) = b.page(&path).await;
    assert_eq!(status, 410);
    assert!(html.contains("Ce lien a expiré."));
}

async fn log_out_everywhere_ends_every_session(app: &TestApp) {
    let mut phone = Browser::signed_in(app, "responsable@tremplin-demo.fr", PW).await;
    let mut desktop = Browser::signed_in(app, "responsable@tremplin-demo.fr", PW).await;
    let (status, location, _) = desktop.submit("/deconnexion-partout", &[]).await;
    assert_eq!((status, location.as_str()), (303, "/connexion?partout=1"));
    assert_eq!(phone.get("/compte").await.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
}

async fn login_rotates_the_session(app: &TestApp) {
    let mut b = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    let first = b.cookies["tremplin_session"].clone();
    b.login("responsable@tremplin-demo.fr", PW).await;
    let second = b.cookies["tremplin_session"].clone();
    assert_ne!(first, second);
    // The earlier session id no longer works.
    let mut old = Browser::new(app).await;
    old.cookies.insert("tremplin_session".into(), first);
    assert_eq!(old.get("/compte").await.status(), 303);
    let cookie = b.get("/compte").await;
    assert_eq!(cookie.status(), 200);
}

async fn staff_are_invited_by_a_manager(app: &TestApp) {
    let mut adviser = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    assert_eq!(
        adviser
            .submit(
                "/admin/equipe",
                &[("email", "x@y.fr"), ("role_admin", "on")]
            )
            .await
            .0,
        403
    );

    let mut manager = Browser::signed_in(app, "responsable@tremplin-demo.fr", PW).await;
    let (status, _, html) = manager
        .submit("/admin/equipe", &[("email", "nina@tremplin-demo.fr")])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Choisissez au moins un rôle."));
    let (status, _, html) = manager
        .submit(
            "/admin/equipe",
            &[
                ("email", "nina@tremplin-demo.fr"),
                ("role_adviser", "on"),
                ("role_speaker", "on"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Invitation envoyée à nina@tremplin-demo.fr."));
    let mail = app.last_mail_to("nina@tremplin-demo.fr").await;
    let link = link_in(&mail.body_text, "http");
    let path = link[link.find("/invitation/").unwrap()..].to_string();

    let mut nina = Browser::new(app).await;
    let (status, html) = nina.page(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("nina@tremplin-demo.fr"));
    let (status, location, _) = nina
        .submit(
            &path,
            &[
                ("name", "Nina Conseillère"),
                ("password", "bienvenue dans l'équipe"),
                ("password_confirm", "bienvenue dans l'équipe"),
            ],
        )
        .await;
    assert_eq!((status, location.as_str()), (303, "/compte?bienvenue=1"));
    let (_, html) = nina.page("/compte").await;
    assert!(
        html.contains("Conseiller, Intervenant") || html.contains("Intervenant, Conseiller"),
        "{html}"
    );
    assert_eq!(nina.page("/entreprises").await.0, 200);
    assert_eq!(nina.page("/admin/equipe").await.0, 403);
}

/// A concrete path for a route pattern.
fn example(path: &str, business_id: i64) -> String {
    path.replace("{id}", &business_id.to_string())
        .replace("{token}", "0000")
        .replace("{code}", "fr")
        .replace("{name}", "app.css")
        .replace("{slug}", "cma-gironde")
        .replace("{reg}", "1")
}

async fn every_role_gets_exactly_its_routes(app: &TestApp) {
    let business_id = app.count("SELECT MIN(id) FROM businesses").await;
    let accounts: [(&str, Option<&str>); 7] = [
        ("anonymous", None),
        ("admin", Some("responsable@tremplin-demo.fr")),
        ("adviser", Some("conseiller@tremplin-demo.fr")),
        ("speaker", Some("intervenante@tremplin-demo.fr")),
        ("funder", Some("financeur@tremplin-demo.fr")),
        ("provider", Some("prestataire@tremplin-demo.fr")),
        ("business", Some("marie@boulangerie-dupont.fr")),
    ];
    for (role, email) in accounts {
        let mut b = match email {
            Some(e) => Browser::signed_in(app, e, PW).await,
            None => Browser::new(app).await,
        };
        let routes = tremplin::app::routes();
        for policy in routes.policies() {
            // Routes that only accept POST answer GET with 405; their access
            // is checked by the flows above.
            if [
                "/deconnexion",
                "/deconnexion-partout",
                "/mon-entreprise/personnes",
                "/compte/api/{id}/revoquer",
            ]
            .contains(&policy.path)
                || policy.path.ends_with("/personnes")
                || policy.path.starts_with("/api/")
                || policy.path == "/admin/territoires/import"
            {
                continue;
            }
            let path = example(policy.path, business_id);
            let res = b.get(&path).await;
            let status = res.status().as_u16();
            let location = res
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            let allowed = match policy.access {
                Access::Public => true,
                Access::SignedIn => email.is_some(),
                Access::Roles(roles) => roles.iter().any(|r| r.code() == role),
            };
            if allowed {
                assert_ne!(status, 403, "{role} should reach {path}");
                assert!(
                    !location.starts_with("/connexion"),
                    "{role} should reach {path}"
                );
            } else if email.is_none() {
                assert_eq!(status, 303, "anonymous must sign in for {path}");
                assert!(
                    location.starts_with("/connexion?next="),
                    "{path}: {location}"
                );
            } else {
                assert_eq!(status, 403, "{role} must be refused {path}");
            }
        }
    }
}

async fn a_business_owner_never_sees_another_business(app: &TestApp) {
    let mut marie = Browser::signed_in(app, "marie@boulangerie-dupont.fr", PW).await;
    let (status, html) = marie.page("/mon-entreprise").await;
    assert_eq!(status, 200);
    assert!(html.contains("Boulangerie Dupont"));
    assert!(!html.contains("Garage du Médoc"));
    let garage = app
        .count("SELECT id FROM businesses WHERE name = 'Garage du Médoc'")
        .await;
    assert_eq!(marie.page(&format!("/entreprises/{garage}")).await.0, 403);
    assert_eq!(marie.page("/entreprises?q=garage").await.0, 403);
    assert_eq!(marie.page("/entreprises/export.csv").await.0, 403);
    // A posted edit of another business is refused too.
    let (status, _, _) = marie
        .submit(&format!("/entreprises/{garage}"), &[("name", "Piraté")])
        .await;
    assert_eq!(status, 403);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM businesses WHERE name = 'Piraté'")
            .await,
        0
    );
}

/// The store directly: a link is peeked at, used once, then refused as used;
/// an account built through the store has its role.
async fn the_store_uses_a_link_once(app: &TestApp) {
    use tremplin::auth::model::{LinkError, LinkPurpose, Role};
    use tremplin::auth::store::{self, NewUser};
    let db = &app.db;
    let mut tx = db.begin_write().await.unwrap();
    let id = store::create_user(
        &mut tx,
        &NewUser {
            email: "store@exemple.fr",
            name: "Store Test",
            password_hash: "x",
            locale: "fr",
            verified_at: None,
        },
    )
    .await
    .unwrap();
    store::grant_role(&mut tx, id, Role::Speaker, None)
        .await
        .unwrap();
    store::grant_role(&mut tx, id, Role::Speaker, None)
        .await
        .unwrap();
    let token = store::issue_link(
        &mut tx,
        LinkPurpose::Verify,
        Some(id),
        "store@exemple.fr",
        &[],
        None,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(store::user_roles(db, id).await.unwrap(), [Role::Speaker]);
    let grant = store::peek_link(db, LinkPurpose::Verify, &token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(grant.user_id, Some(id));
    assert_eq!(
        store::peek_link(db, LinkPurpose::Reset, &token)
            .await
            .unwrap()
            .unwrap_err(),
        LinkError::Unknown
    );
    let mut tx = db.begin_write().await.unwrap();
    assert!(store::consume_link(&mut tx, LinkPurpose::Verify, &token)
        .await
        .unwrap()
        .is_ok());
    assert_eq!(
        store::consume_link(&mut tx, LinkPurpose::Verify, &token)
            .await
            .unwrap()
            .unwrap_err(),
        LinkError::Used
    );
    store::mark_verified(&mut tx, id).await.unwrap();
    tx.commit().await.unwrap();
    let row = store::login_row(db, "store@exemple.fr")
        .await
        .unwrap()
        .unwrap();
    assert!(row.email_verified_at.is_some());
}
