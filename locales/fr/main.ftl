## Navigation and layout
nav-skip = Aller au contenu
nav-main = Navigation principale
nav-menu = Menu
nav-language = Langue
nav-home = Accueil
nav-contact = Contact
footer-operator = Programme porté par { $operator }
footer-open-source = Tremplin, logiciel libre
footer-privacy = Confidentialité
footer-accessibility = Accessibilité : partiellement conforme
footer-api = API ouverte

## Home page
home-title = Accueil
home-tagline = Le numérique, étape par étape, pour les artisans, commerçants et petites entreprises.
home-target = { $count ->
    [one] Objectif : { $shown } entreprise sensibilisée
   *[other] Objectif : { $shown } entreprises sensibilisées
}
home-cta-contact = Contacter l'équipe du programme
home-offers-title = Ce que le programme vous propose
offer-diagnostic-title = Un diagnostic de maturité numérique
offer-diagnostic-body = Une dizaine de minutes pour savoir où vous en êtes, avec un score par domaine et un plan d'action dans le bon ordre.
offer-workshops-title = Des ateliers près de chez vous
offer-workshops-body = Des séances courtes et concrètes sur un thème : être visible en ligne, fidéliser ses clients, se protéger des arnaques.
offer-coaching-title = Un accompagnement individuel
offer-coaching-body = Un conseiller vous suit pendant trois à quatre mois, vous aide à rédiger un cahier des charges et à comparer les devis.
offer-directory-title = Un annuaire de prestataires locaux
offer-directory-body = Trouvez des professionnels du numérique de votre territoire, classés de façon neutre, sans classement payant.
offer-guides-title = Des fiches pratiques
offer-guides-body = Des explications simples pour passer à l'action seul, à votre rythme.
offer-funding-title = Les aides financières
offer-funding-body = Les dispositifs auxquels votre entreprise peut prétendre, avec leurs conditions et leur montant.
home-journey-title = Comment ça se passe
journey-1 = Vous faites le diagnostic, seul ou avec un conseiller.
journey-2 = Vous recevez un plan d'action qui commence par l'essentiel.
journey-3 = Vous participez aux ateliers qui correspondent à vos priorités.
journey-4 = Un conseiller vous accompagne sur votre projet et vous oriente vers les bons partenaires.
journey-5 = Vous refaites le diagnostic pour mesurer vos progrès.
home-who-title = Pour qui ?
home-who-body = Pour les entreprises de moins de 250 salariés, artisans et commerçants en tête, quel que soit leur niveau de départ. Le programme est gratuit et financé par ses partenaires publics.

## Forms
form-required-hint = Les champs marqués d'un astérisque (*) sont obligatoires.
form-optional = (facultatif)
form-error-summary = Le formulaire contient des erreurs
form-required = Ce champ est obligatoire.
form-too-short = { $limit ->
    [one] Saisissez au moins { $limit } caractère.
   *[other] Saisissez au moins { $limit } caractères.
}
form-too-long = { $limit ->
    [one] Saisissez au plus { $limit } caractère.
   *[other] Saisissez au plus { $limit } caractères.
}
form-email-invalid = Saisissez une adresse e-mail valide, par exemple nom@entreprise.fr.
form-must-accept = Cochez cette case pour continuer.
form-choose = Choisissez une option dans la liste.

## Contact
contact-title = Contacter l'équipe du programme
contact-intro = Une question sur le programme, un atelier ou un accompagnement ? Écrivez-nous, nous vous répondons sous deux jours ouvrés.
contact-name = Votre nom
contact-email = Votre adresse e-mail
contact-organisation = Votre entreprise ou organisation
contact-topic = Sujet
contact-topic-general = Question générale
contact-topic-diagnostic = Diagnostic numérique
contact-topic-workshops = Ateliers
contact-topic-coaching = Accompagnement individuel
contact-topic-directory = Annuaire des prestataires
contact-topic-partnership = Devenir partenaire
contact-message = Votre message
contact-consent = J'accepte que mes informations soient utilisées pour répondre à ma demande.
contact-submit = Envoyer le message
contact-unavailable = Le service est momentanément indisponible : votre message n'a pas encore été envoyé. Il est conservé ci-dessous ; réessayez dans quelques instants.
contact-sent-title = Message envoyé
contact-sent-body = Merci ! L'équipe du programme a bien reçu votre message et vous répondra rapidement. Un accusé de réception vous a été envoyé par e-mail.

## E-mails
mail-contact-team-subject = [Contact] { $topic }
mail-contact-team-intro = Nouveau message reçu par le formulaire de contact de { $programme }.
mail-contact-ack-subject = Nous avons bien reçu votre message — { $programme }
mail-contact-ack-hello = Bonjour { $name },
mail-contact-ack-body = Merci pour votre message. L'équipe du programme vous répondra sous deux jours ouvrés. Pour rappel, voici ce que vous nous avez écrit :

## Errors
error-status = Erreur { $status }
error-home-link = Retour à l'accueil
error-reference = Référence de la demande : { $id }
error-bad-request-title = Demande incorrecte
error-bad-request-body = Les informations envoyées n'ont pas pu être lues. Revenez à la page précédente et réessayez.
error-forbidden-title = Accès refusé
error-forbidden-body = Vous n'avez pas accès à cette page.
error-csrf-title = Formulaire expiré
error-csrf-body = Pour votre sécurité, ce formulaire n'a pas été accepté. Revenez à la page précédente, rechargez-la, puis envoyez-le à nouveau : ce que vous avez saisi est en général conservé par votre navigateur.
error-not-found-title = Page introuvable
error-not-found-body = La page demandée n'existe pas ou a été déplacée.
error-method-title = Action non autorisée
error-method-body = Cette adresse n'accepte pas ce type de demande.
error-too-large-title = Envoi trop volumineux
error-too-large-body = Les informations envoyées dépassent la taille autorisée. Raccourcissez votre texte et réessayez.
error-media-type-title = Format non pris en charge
error-media-type-body = Le format des informations envoyées n'est pas accepté à cette adresse.
error-unavailable-title = Service momentanément indisponible
error-unavailable-body = Le service ne peut pas répondre pour l'instant. Rien de ce qui a déjà été enregistré n'est perdu ; réessayez dans quelques instants.
error-internal-title = Erreur inattendue
error-internal-body = Un problème est survenu de notre côté. L'équipe technique a été prévenue ; réessayez dans quelques instants.

## API problems
problem-validation = Certains champs ne sont pas valides.
problem-idempotency-mismatch = Cette clé d'idempotence a déjà servi pour une autre demande.
problem-idempotency-in-progress = Une demande avec cette clé d'idempotence est en cours de traitement.
error-unauthorized-title = Authentification requise
error-unauthorized-body = Cette ressource demande d'être connecté ou un jeton d'API valide.

## Accounts
nav-login = Connexion
nav-signup = Créer un compte
nav-account = Mon compte
nav-home-role = Mon accueil
nav-cases = Dossiers
nav-inbox = Demandes d'accompagnement
nav-my-coaching = Mon accompagnement
nav-logout = Se déconnecter
nav-my-business = Mon entreprise
nav-businesses = Entreprises
nav-admin = Administration
nav-admin-programme = Programme
nav-admin-partners = Partenaires
nav-admin-territories = Territoires
nav-admin-sectors = Secteurs d'activité
nav-admin-themes = Thématiques
nav-api-tokens = Jetons d'API
role-admin = Responsable de programme
role-adviser = Conseiller
role-speaker = Intervenant
role-provider = Prestataire
role-business = Entreprise
role-funder = Financeur ou partenaire
auth-signup-title = Créer un compte
auth-signup-intro = Un compte vous permet de suivre votre diagnostic, vos inscriptions aux ateliers et votre accompagnement.
auth-account-type = Vous êtes
auth-type-business = une entreprise, un artisan ou un commerçant
auth-type-provider = un prestataire du numérique
auth-name = Nom et prénom
auth-email = Adresse e-mail
auth-password = Mot de passe
auth-password-new = Choisissez un mot de passe
auth-password-confirm = Confirmez le mot de passe
auth-password-hint = Au moins 12 caractères. Une phrase facile à retenir fait un bon mot de passe.
auth-password-short = { $limit ->
    [one] Le mot de passe doit comporter au moins { $limit } caractère.
   *[other] Le mot de passe doit comporter au moins { $limit } caractères.
}
auth-password-is-email = Le mot de passe ne doit pas être votre adresse e-mail.
auth-password-mismatch = Les deux mots de passe ne sont pas identiques.
auth-password-submit = Enregistrer le mot de passe
auth-signup-consent = J'accepte les conditions d'utilisation et que mes données soient traitées par l'équipe du programme pour m'accompagner.
auth-signup-submit = Créer mon compte
auth-have-account = Vous avez déjà un compte ?
auth-login-link = Se connecter
auth-no-account = Pas encore de compte ?
auth-signup-link = Créer un compte
auth-rate-limited = Trop de tentatives depuis votre connexion. Réessayez dans un quart d'heure.
auth-check-mail-title = Vérifiez votre messagerie
auth-check-mail-body = Si l'adresse indiquée peut recevoir un compte, un e-mail vient de lui être envoyé avec un lien pour confirmer votre adresse. Pensez à regarder dans les courriers indésirables.
auth-link-title = Lien inutilisable
auth-link-unknown = Ce lien n'est pas valide. Vérifiez que vous avez copié l'adresse en entier.
auth-link-expired = Ce lien a expiré. Demandez-en un nouveau.
auth-link-used = Ce lien a déjà été utilisé. Chaque lien ne sert qu'une fois.
auth-login-to-resend = Se connecter pour recevoir un nouveau lien
auth-ask-new-link = Demander un nouveau lien
auth-contact-team = Contacter l'équipe du programme
auth-verify-title = Confirmer votre adresse e-mail
auth-verify-body = Cliquez sur le bouton pour confirmer votre adresse et ouvrir votre compte.
auth-verify-submit = Confirmer mon adresse
auth-login-title = Connexion
auth-login-submit = Se connecter
auth-login-failed = Adresse e-mail ou mot de passe incorrect.
auth-login-rate-limited = Trop de tentatives de connexion. Par sécurité, réessayez dans un quart d'heure ou réinitialisez votre mot de passe.
auth-login-unverified = Votre adresse e-mail n'est pas encore confirmée. Nous venons de vous envoyer un nouveau lien de confirmation.
auth-logged-out = Vous êtes déconnecté.
auth-logged-out-everywhere = Vous avez été déconnecté de tous vos appareils.
auth-forgot-link = Mot de passe oublié ?
auth-forgot-title = Mot de passe oublié
auth-forgot-intro = Indiquez l'adresse e-mail de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.
auth-forgot-submit = Recevoir un lien
auth-reset-sent-title = Vérifiez votre messagerie
auth-reset-sent-body = Si un compte existe avec cette adresse, un lien pour choisir un nouveau mot de passe vient d'être envoyé. Il est valable une heure.
auth-reset-title = Choisir un nouveau mot de passe
auth-for-account = Compte : { $email }
auth-invite-title = Rejoindre l'équipe du programme
auth-invite-sent = Invitation envoyée à { $email }.
auth-choose-role = Choisissez au moins un rôle.
auth-welcome = Bienvenue ! Votre compte est prêt.
auth-password-changed = Votre mot de passe a été changé. Vos autres sessions ont été fermées.
account-title = Mon compte
account-shortcuts = Accès rapides
account-sessions = Sessions
account-logout-everywhere = Se déconnecter de tous les appareils
team-title = Équipe du programme
team-members = Membres
team-empty = Personne pour l'instant.
team-roles = Rôles
team-pending = Invitations en attente
team-invite = Inviter une personne
team-invite-submit = Envoyer l'invitation
team-revoke = Retirer
team-revoke-label = Retirer le rôle { $role } à { $name }
team-revoked = Le rôle « { $role } » a été retiré à { $name }. Le journal d'audit l'enregistre à votre nom.
team-revoke-not-held = { $name } n'a plus le rôle « { $role } » : il a déjà été retiré.
team-revoke-last-manager = { $name } est le seul responsable du programme : invitez d'abord un autre responsable avant de lui retirer ce rôle.
team-revoke-unknown = Ce rôle ou cette personne n'existe pas dans l'équipe.
team-scope = Lit
team-scope-whole = tout le programme
team-scope-brought = les entreprises amenées par { $partner }
team-scope-save = Enregistrer
team-scope-save-label = Enregistrer ce que lit { $name }
team-scope-partner = { $name } ne lit plus que les chiffres des entreprises amenées par { $partner }.
team-scope-all = { $name } lit de nouveau les chiffres de tout le programme.
team-scope-unknown = Cette personne n'a pas de rôle de financeur ou partenaire, ou ce partenaire n'existe pas.
mail-hello = Bonjour { $name },
mail-hello-anonymous = Bonjour,
mail-verify-subject = Confirmez votre adresse e-mail
mail-verify-body = Pour ouvrir votre compte, confirmez votre adresse en suivant ce lien :
mail-verify-expiry = Ce lien est valable 48 heures. Si vous n'avez pas demandé de compte, ignorez ce message.
mail-existing-subject = Une demande de compte avec votre adresse
mail-existing-body = Quelqu'un, peut-être vous, a demandé à créer un compte avec cette adresse, qui en a déjà un. Pour vous connecter :
mail-existing-reset = Mot de passe oublié ? Choisissez-en un nouveau ici :
mail-reset-subject = Choisir un nouveau mot de passe
mail-reset-body = Pour choisir un nouveau mot de passe, suivez ce lien :
mail-reset-expiry = Ce lien est valable une heure et ne sert qu'une fois. Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.
mail-invite-subject = Invitation à rejoindre l'équipe — { $programme }
mail-invite-body = { $inviter } vous invite à rejoindre l'équipe du programme sur Tremplin.
mail-invite-roles = Rôles : { $roles }
mail-invite-link = Pour accepter, choisissez votre mot de passe ici :
mail-invite-expiry = Cette invitation est valable 7 jours.

## Businesses
form-select = — Choisir —
business-register-title = Enregistrer mon entreprise
business-register-intro = Quelques informations sur votre entreprise permettent au programme de vous proposer les bons ateliers et les bonnes aides.
business-new-title = Ajouter une entreprise
business-back-to-list = Toutes les entreprises
business-saved = Les modifications sont enregistrées.
business-conflict = Quelqu'un a modifié cette entreprise pendant que vous la consultiez. Vos saisies sont conservées ci-dessous : vérifiez-les puis enregistrez à nouveau.
business-duplicate = Une entreprise avec ce numéro est déjà enregistrée.
business-duplicate-named = Ce numéro est déjà celui de l'entreprise « { $name } ».
business-duplicate-owner-help = S'il s'agit de votre entreprise, demandez à l'équipe du programme de vous y rattacher.
business-open-existing = Ouvrir la fiche existante
business-field-name = Nom de l'entreprise
business-field-country = Pays d'immatriculation
business-field-legal_id = Numéro d'immatriculation
business-field-sector_code = Secteur d'activité
business-field-size_band = Nombre de salariés
business-field-commune_code = Commune
business-field-address = Adresse
business-field-website = Site internet
business-field-created = Création
business-size-0 = Aucun salarié
business-size-1-9 = 1 à 9 salariés
business-size-10-49 = 10 à 49 salariés
business-size-50-249 = 50 à 249 salariés
business-unknown-commune = Choisissez une commune de la liste.
business-bad-website = Saisissez une adresse de site valide, par exemple www.monentreprise.fr.
business-bad-phone = Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78 ou +33 6 12 34 56 78.
business-save = Enregistrer
business-people = Personnes de l'entreprise
business-no-people = Aucune personne enregistrée pour l'instant.
business-person-job = Fonction
business-person-phone = Téléphone
business-person-consent = Consentement
business-person-consent-text = Cette personne accepte d'être contactée par l'équipe du programme au sujet de son accompagnement.
business-add-person = Ajouter une personne
business-add-person-submit = Ajouter la personne
business-history = Historique des modifications
business-history-when = Date
business-history-who = Par
business-history-field = Information
business-history-before = Avant
business-history-after = Après
business-search = Nom, numéro ou adresse
business-search-submit = Rechercher
business-all = Toutes
business-count = { $count ->
    [0] Aucune entreprise
    [one] { $shown } entreprise
   *[other] { $shown } entreprises
}
business-pages = Pages de résultats
business-previous = Précédente
business-next = Suivante
business-export = Exporter en CSV
business-import-title = Importer des entreprises
business-import-intro = Envoyez un fichier CSV (séparé par des points-virgules ou des virgules, en UTF-8 ou depuis Excel) dont la première ligne contient les colonnes suivantes :
business-import-policy = Les lignes correctes sont enregistrées ; chaque ligne refusée est listée avec la raison, et rien n'en est enregistré. Vous pouvez corriger ces lignes et renvoyer uniquement celles-ci.
business-import-file = Fichier CSV
business-import-submit = Importer
business-import-done = { $count ->
    [0] Aucune entreprise importée.
    [one] { $shown } entreprise importée.
   *[other] { $shown } entreprises importées.
}
business-import-rejected = { $count ->
    [one] { $shown } ligne refusée :
   *[other] { $shown } lignes refusées :
}
business-import-line = Ligne
business-import-reasons = Raisons
csv-empty = Le fichier est vide.
csv-missing-columns = Colonnes manquantes dans la première ligne du fichier : { $columns }.
csv-malformed = Le fichier ne peut pas être lu à partir de la ligne { $line } (guillemet non fermé ?).
territory-bad-code = Code de territoire invalide.
territory-bad-level = Niveau inconnu (pays, région, département, province, canton ou commune attendu).
territory-missing-name = Nom manquant.
territory-missing-parent = Territoire parent manquant.
territory-unknown-parent = Territoire parent inconnu.

## API tokens
tokens-intro = Un jeton permet à un autre logiciel (votre CRM, un portail de données ouvertes) d'utiliser l'API du programme en votre nom, avec les droits d'un de vos rôles.
tokens-created = Voici votre nouveau jeton. Copiez-le maintenant : il ne sera plus jamais affiché.
tokens-name = Nom du jeton
tokens-prefix = Début
tokens-role = Rôle
tokens-created-at = Créé le
tokens-last-used = Dernière utilisation
tokens-state = État
tokens-revoked = Révoqué
tokens-revoke = Révoquer
tokens-new = Créer un jeton
tokens-create = Créer le jeton
business-field-partner = Partenaire qui a orienté l'entreprise
business-no-partner = Aucun
nav-diagnostic = Diagnostic
home-cta-diagnostic = Faire mon diagnostic numérique
business-start-assisted = Faire un diagnostic accompagné avec cette entreprise
nav-guides = Fiches pratiques
nav-funding = Aides

## Confirmation of destructive actions (src/web/confirm.rs)
confirm-no = Non, revenir sans rien changer
table-region = Tableau (défile horizontalement sur petit écran)
programme-choose = Programme affiché
programme-choose-submit = Changer de programme
team-programme = Programme
team-programme-every = tous les programmes
team-programme-save-label = Enregistrer le programme de { $name }
team-programme-one = { $name } ne travaille plus que dans le programme { $programme } (équipe, dossiers, tableau de bord).
team-programme-all = { $name } a de nouveau accès à tous les programmes de l'instance.
