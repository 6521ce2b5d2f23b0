# Provider directory

## Navigation
nav-needs = Besoins et devis
nav-board = Annonces
nav-directory = Annuaire

## Search
dir-title = Annuaire des prestataires du numérique
dir-intro = Des professionnels du numérique de votre territoire : sites web, logiciels de gestion, réseaux, cybersécurité, formation. Leurs fiches sont tenues à jour par eux-mêmes et vérifiées par l'équipe du programme.
dir-search-label = Rechercher un prestataire
dir-search-hint = Un métier, un service ou un nom, par exemple « site web », « électricien », « facture électronique ». Les accents et les majuscules ne comptent pas.
dir-search-submit = Rechercher
dir-filters = Affiner la recherche
dir-filter-theme = Services
dir-filter-territory = Territoire
dir-filter-sector = Secteur des clients
dir-filter-size = Taille des clients
dir-filter-clear = Tous
dir-count = { $count ->
    [0] Aucun prestataire ne correspond.
    [one] { $shown } prestataire
   *[other] { $shown } prestataires
}
dir-none = Essayez un autre mot ou retirez un filtre.
dir-remote = intervient à distance
dir-updated = Mise à jour le { $date }
dir-stale-flag = non confirmée depuis plus d'un an
dir-pagination = Pages de résultats
dir-order-title = Comment les résultats sont-ils classés ?
dir-order-body = Aucun classement payant ni caché. Les fiches qui correspondent le mieux aux mots cherchés viennent d'abord (le nom compte plus que les services, qui comptent plus que la description). À pertinence égale, l'ordre change chaque jour : les fiches sont triées selon ((numéro de fiche × k) modulo 1 000 003)² modulo 1 000 003, où k est calculé à partir de la date du jour (un brassage qui change chaque jour). Ainsi personne n'est toujours en tête.
dir-order-today = Valeur de k aujourd'hui : { $k }.
dir-export-csv = Télécharger l'annuaire (CSV)
dir-export-json = Télécharger l'annuaire (JSON)

## Card
dir-back = Retour à l'annuaire
dir-logo-of = Logo de { $name }
dir-services = Services proposés
dir-territories = Territoires d'intervention
dir-sectors = Secteurs des clients
dir-all-sectors = Tous secteurs
dir-sizes = Taille des clients
dir-all-sizes = Toutes tailles
dir-prices = Prix indicatifs
dir-refs = Références locales
dir-address = Adresse
dir-website = Site web
dir-email = E-mail
dir-phone = Téléphone
dir-social = Réseaux sociaux
dir-legal-id = Identifiant légal
dir-last-update = Dernière mise à jour
dir-neutral-note = Le programme ne recommande aucun prestataire en particulier : comparez plusieurs devis, votre conseiller peut vous aider à les lire.
dir-edit-card = Modifier ma fiche
dir-stale-notice = Ces informations n'ont pas été confirmées par le prestataire depuis le { $date }.
dir-status-draft = Brouillon : la fiche n'est pas encore publique.
dir-status-pending = En attente de validation par l'équipe du programme.
dir-status-published = Publiée dans l'annuaire.
dir-status-unpublished = Retirée de l'annuaire par l'équipe du programme.
dir-claim-title = C'est votre entreprise ?
dir-claim-help = Demandez à gérer cette fiche : l'équipe du programme vérifie votre demande puis vous donne accès.
dir-claim-message = Un mot pour l'équipe (votre fonction, comment vous joindre)
dir-claim-submit = Demander à gérer cette fiche
dir-claim-sent = Votre demande est envoyée : l'équipe du programme vous répondra par e-mail.

## Provider's own cards
dir-my-cards = Ma fiche prestataire
dir-my-cards-intro = Votre fiche dans l'annuaire du programme : tenez-la à jour, elle est vue par les entreprises du territoire.
dir-new-card = Créer ma fiche
dir-new-card-intro = Une fiche claire et complète aide les entreprises à vous trouver. Elle sera publiée après validation par l'équipe du programme.
dir-no-card = Vous n'avez pas encore de fiche.
dir-needs-link = Besoins des entreprises
dir-post-link = Publier une annonce
dir-see-public = Voir la fiche publique
dir-card-details = Informations de la fiche
dir-card-created = La fiche est enregistrée en brouillon. Ajoutez votre logo puis envoyez-la pour validation.
dir-card-saved = Fiche enregistrée. Merci de la tenir à jour !
dir-card-submitted = La fiche est envoyée à l'équipe du programme pour validation. Vous recevrez un e-mail.
dir-card-confirmed = Merci : la fiche est confirmée à jour pour un an.
dir-submit = Envoyer pour validation
dir-confirm = Mes informations sont à jour
dir-stale-own = Votre fiche n'a pas été confirmée depuis plus d'un an : vérifiez-la et cliquez sur « Mes informations sont à jour ».
dir-create = Créer la fiche
dir-logo = Logo
dir-logo-file = Image du logo (PNG ou JPEG)
dir-logo-hint = 2 Mo au plus. L'image est réduite automatiquement.
dir-logo-submit = Envoyer le logo
dir-logo-saved = Le logo est en ligne.
dir-logo-missing = Choisissez une image.
dir-logo-too-large = Cette image dépasse { $limit } Mo. Réduisez-la puis réessayez.
dir-logo-not-image = Ce fichier n'est pas une image PNG ou JPEG, quel que soit son nom.
dir-logo-broken = Cette image est abîmée ou illisible. Enregistrez-la à nouveau puis réessayez.
dir-field-name = Nom de l'entreprise
dir-field-country = Pays
dir-field-legal-id = Identifiant légal (SIREN, SIRET, BCE, RCS ou RIDET)
dir-field-kind = Métier (par exemple : agence web, informaticien, photographe)
dir-field-description = Présentation
dir-field-remote = J'interviens aussi à distance, partout
dir-empty-all = (aucun choix = tous)
dir-prices-hint = Par exemple : site vitrine à partir de 1 500 € HT, maintenance 40 € par mois.
dir-refs-hint = Quelques clients de la région, avec leur accord.
dir-social-hint = Une adresse par ligne, par exemple https://www.linkedin.com/company/…
dir-postcode = Code postal
dir-town = Ville
dir-website-invalid = Saisissez une adresse web valide, par exemple www.exemple.fr.
dir-phone-invalid = Saisissez un numéro de téléphone valide, par exemple 05 56 00 00 00.
dir-social-invalid = Une des adresses n'est pas une adresse web valide (8 au plus).
dir-themes-required = Choisissez au moins un service.
dir-territories-required = Choisissez au moins un territoire, ou cochez « à distance ».
dir-id-taken = Cet identifiant appartient déjà à une autre fiche de l'annuaire.
dir-id-taken-help = Une fiche existe déjà avec cet identifiant. Si c'est la vôtre, demandez à la gérer :
dir-id-taken-link = voir la fiche existante
dir-stale = Quelqu'un a modifié la fiche pendant que vous la modifiiez. Vos saisies sont conservées : vérifiez-les puis enregistrez à nouveau.

## Moderation
dir-admin-title = Modération de l'annuaire
dir-board-moderation = Modérer les annonces
dir-admin-pending = { $count ->
    [0] Aucune fiche à valider
    [one] { $shown } fiche à valider
   *[other] { $shown } fiches à valider
}
dir-admin-claims = { $count ->
    [0] Aucune demande de gestion
    [one] { $shown } demande de gestion d'une fiche
   *[other] { $shown } demandes de gestion de fiches
}
dir-admin-note = Message au prestataire
dir-admin-edited = { $count ->
    [one] { $shown } fiche publiée modifiée depuis sa validation
   *[other] { $shown } fiches publiées modifiées depuis leur validation
}
dir-admin-edited-help = Elles restent en ligne ; relisez les changements et validez-les, ou retirez la fiche.
dir-admin-approve-changes = Valider les modifications
dir-admin-approve = Valider
dir-admin-reject = Refuser
dir-admin-unpublish = Retirer
dir-admin-republish = Republier
dir-admin-published = Fiches publiées
dir-admin-unpublished = Fiches retirées
dir-admin-stale = { $count ->
    [0] Toutes les fiches ont été confirmées dans l'année.
    [one] { $shown } fiche n'a pas été confirmée depuis plus d'un an (le prestataire a reçu un rappel).
   *[other] { $shown } fiches n'ont pas été confirmées depuis plus d'un an (les prestataires ont reçu un rappel).
}
dir-admin-done-approve = La fiche est publiée ; le prestataire est prévenu.
dir-admin-done-reject = La fiche est renvoyée en brouillon ; le prestataire est prévenu.
dir-admin-done-unpublish = La fiche est retirée de l'annuaire.
dir-admin-done-republish = La fiche est de nouveau publiée.
dir-admin-done-claim-approve = La personne gère désormais la fiche.
dir-admin-done-claim-reject = La demande est refusée.

## Import
dir-import-title = Importer un annuaire (CSV)
dir-import-intro = Reprenez un annuaire existant : chaque ligne valide devient une fiche publiée, que le prestataire pourra ensuite revendiquer. Les lignes en erreur sont listées avec leur numéro et la raison ; les doublons sont ignorés.
dir-import-file = Fichier CSV
dir-import-hint = Colonnes reconnues : name (obligatoire), type, address, postcode, town, region, website, email, phone, legal_id, country, themes (identifiants séparés par des virgules), territories (codes), remote. Séparateur « , » ou « ; », UTF-8 ou Windows-1252.
dir-import-submit = Importer
dir-import-done = { $count ->
    [0] Aucune fiche importée.
    [one] { $shown } fiche importée.
   *[other] { $shown } fiches importées.
}
dir-import-duplicates = { $count ->
    [0] {""}
    [one] { $shown } doublon ignoré.
   *[other] { $shown } doublons ignorés.
}
dir-import-rejected = { $count ->
    [one] { $shown } ligne refusée
   *[other] { $shown } lignes refusées
}
dir-import-report = Lignes refusées
dir-import-line = Ligne
dir-import-reasons = Raisons
dir-import-too-many = Au plus { $limit } lignes par fichier.

## Mails
dir-mail-confirm-subject = Votre fiche « { $name } » est-elle toujours à jour ?
dir-mail-confirm-body = Votre fiche « { $name } » dans l'annuaire n'a pas été confirmée depuis un an. Vérifiez-la et confirmez-la en un clic :
dir-mail-submitted-subject = Fiche à valider : { $name }
dir-mail-submitted-body = La fiche prestataire « { $name } » attend votre validation :
dir-mail-approved-subject = Votre fiche « { $name } » est publiée
dir-mail-approved-body = Bonne nouvelle : votre fiche « { $name } » est publiée dans l'annuaire du programme.
dir-mail-rejected-subject = Votre fiche « { $name } » est à revoir
dir-mail-rejected-body = L'équipe du programme a renvoyé votre fiche « { $name } » en brouillon. Voici son message :
dir-mail-unpublished-subject = Votre fiche « { $name } » est retirée de l'annuaire
dir-mail-unpublished-body = L'équipe du programme a retiré votre fiche « { $name } » de l'annuaire.
dir-mail-claimed-subject = Vous gérez la fiche « { $name } »
dir-mail-claimed-body = Votre demande est acceptée : vous pouvez désormais mettre à jour la fiche « { $name } ».
