# Programme set-up pages

## Shared
setup-subnav = Paramétrage du programme
setup-save = Enregistrer
setup-actions = Action
setup-code = Code
setup-level = Niveau
setup-parent = Rattaché à
setup-yes = Oui
setup-no = Non
setup-status = État
setup-active = Active
setup-archived = Archivée
setup-field-slug = Identifiant dans les adresses
setup-slug-invalid = Utilisez de 2 à 60 lettres minuscules sans accent, chiffres et tirets, par exemple cma-gironde.
setup-slug-taken = Cet identifiant est déjà utilisé. Choisissez-en un autre.
setup-url-invalid = Saisissez une adresse qui commence par https://, par exemple https://www.exemple.fr/logo.png.
setup-date-invalid = Saisissez une date valide au format AAAA-MM-JJ, par exemple 2026-09-01.
setup-date-hint = Format AAAA-MM-JJ, par exemple 2026-09-01.
setup-number-invalid = Saisissez un nombre entier positif, par exemple 1600.
setup-number-hint = Un nombre entier, par exemple 1600.
setup-english-fallback-hint = Laissé vide, le texte français est repris.
setup-programme-first = Enregistrez d'abord les informations du programme.

## Territory levels
setup-level-country = pays
setup-level-region = région
setup-level-department = département
setup-level-province = province
setup-level-canton = canton
setup-level-commune = commune

## Programme
setup-programme-title = Le programme
setup-programme-intro = Ces informations apparaissent sur le site public et servent à suivre les objectifs du programme.
setup-programme-identity = Identité
setup-programme-period = Période
setup-programme-targets = Objectifs
setup-programme-presentation = Présentation
setup-programme-saved = Les informations du programme sont enregistrées.
setup-field-name = Nom du programme
setup-field-operator = Structure porteuse
setup-field-logo_url = Adresse du logo
setup-logo-hint = Adresse https d'une image, par exemple https://www.exemple.fr/logo.png.
setup-field-timezone = Fuseau horaire
setup-field-default_locale = Langue par défaut
setup-field-contact_email = Adresse e-mail de contact
setup-field-start_date = Date de début
setup-field-end_date = Date de fin
setup-end-before-start = La date de fin doit être postérieure à la date de début.
setup-field-target_aware = Entreprises à sensibiliser
setup-field-target_date = Date de l'objectif de sensibilisation
setup-field-target_diagnostics = Diagnostics à réaliser
setup-field-target_coaching = Accompagnements individuels
setup-field-budget = Budget en euros
setup-budget-hint = Par exemple 337000, 337 000 ou 337000,50.
setup-budget-invalid = Saisissez un montant en euros, par exemple 337000, 337 000 ou 337000,50.
setup-field-summary_fr = Présentation en français
setup-field-summary_en = Présentation en anglais
setup-summary-hint = Deux ou trois phrases affichées sur la page d'accueil.
setup-tz-paris = France métropolitaine
setup-tz-brussels = Belgique
setup-tz-luxembourg = Luxembourg
setup-tz-noumea = Nouvelle-Calédonie
setup-tz-reunion = La Réunion
setup-tz-guadeloupe = Guadeloupe
setup-tz-martinique = Martinique
setup-tz-cayenne = Guyane
setup-tz-mayotte = Mayotte
setup-lang-fr = Français
setup-lang-en = Anglais

## Covered territories
setup-covered-title = Territoires couverts
setup-covered-intro = Les entreprises de ces territoires peuvent bénéficier du programme.
setup-covered-none = Aucun territoire pour l'instant.
setup-territory = Territoire
setup-territory-add = Ajouter un territoire
setup-territory-add-submit = Ajouter le territoire
setup-territory-hint = Régions, départements, provinces et cantons, classés par pays.
setup-territory-choose = Choisissez un territoire dans la liste.
setup-territory-remove = Retirer
setup-territory-added = Territoire ajouté : { $name }.
setup-territory-removed = Territoire retiré : { $name }.
setup-territory-remove-title = Retirer { $name } du programme ?
setup-territory-remove-body = { $name } ne sera plus un territoire couvert : il disparaîtra des listes proposées aux entreprises et des tableaux de bord du programme. Vous pourrez l'ajouter de nouveau.
setup-territory-remove-yes = Oui, retirer ce territoire

## Territories
setup-territories-title = Territoires
setup-territories-of = Territoires : { $name }
setup-territories-root = Tous les pays
setup-territories-countries = Pays
setup-territories-children-of = Subdivisions de { $name }
setup-territories-none = Aucune subdivision enregistrée.
setup-breadcrumb = Fil d'Ariane
setup-subdivisions = Subdivisions
setup-subdivision-count = { $count ->
    [0] aucune
    [one] { $shown } subdivision
   *[other] { $shown } subdivisions
}
setup-import-title = Importer des territoires
setup-import-intro = Envoyez un fichier CSV (séparé par des virgules ou des points-virgules, en UTF-8 ou depuis Excel) dont la première ligne contient les colonnes suivantes :
setup-import-col-code = code : identifiant unique du territoire, en lettres, chiffres et tirets (par exemple FR-D33) ;
setup-import-col-parent = parent_code : code du territoire qui le contient, déjà connu ou défini plus haut dans le fichier (vide pour un pays) ;
setup-import-col-level = level : country, region, department, province, canton ou commune ;
setup-import-col-names = name_fr et name_en : nom en français et en anglais (le nom anglais peut rester vide).
setup-import-example = Exemple :
setup-import-policy = Les lignes correctes sont enregistrées (un code déjà connu est mis à jour) ; chaque ligne refusée est listée avec la raison. Corrigez ces lignes et renvoyez-les seules.
setup-import-file = Fichier CSV
setup-import-submit = Importer
setup-import-stored = { $count ->
    [0] Aucune ligne enregistrée.
    [one] { $shown } ligne enregistrée.
   *[other] { $shown } lignes enregistrées.
}
setup-import-rejected = { $count ->
    [one] { $shown } ligne refusée :
   *[other] { $shown } lignes refusées :
}
setup-import-rejected-caption = Lignes refusées
setup-import-line = Ligne
setup-import-reason = Raison
setup-import-value = Valeur en cause

## Sectors
setup-sectors-title = Secteurs d'activité
setup-sectors-intro = Les secteurs prioritaires sont mis en avant dans les formulaires et les tableaux de bord.
setup-sectors-caption = Sections et divisions de la nomenclature NACE
setup-sectors-priority-count = { $count ->
    [0] Aucune division prioritaire.
    [one] { $shown } division prioritaire.
   *[other] { $shown } divisions prioritaires.
}
setup-sector = Activité
setup-priority = Prioritaire
setup-priority-set = Rendre prioritaire
setup-priority-remove = Retirer la priorité
setup-sector-now-priority = { $name } est désormais prioritaire.
setup-sector-not-priority = { $name } n'est plus prioritaire.

## Themes
setup-themes-title = Thématiques
setup-themes-intro = Les thématiques servent aux ateliers, aux fiches pratiques, aux besoins des entreprises et à l'annuaire des prestataires.
setup-themes-none = Aucune thématique dans ce groupe.
setup-themes-back = Toutes les thématiques
setup-group-sell = Vendre et être visible
setup-group-manage = Gérer et s'organiser
setup-group-customers = Relation client
setup-group-security = Sécurité et données
setup-group-funding = Financer son projet
setup-field-title = Titre
setup-field-title_fr = Titre en français
setup-field-title_en = Titre en anglais
setup-field-theme_group = Groupe
setup-field-description_fr = Description en français
setup-field-description_en = Description en anglais
setup-field-tags = Mots-clés
setup-tags-hint = Séparés par des virgules, par exemple : site, vitrine, hébergement.
setup-theme-slug-hint = Laissé vide, il est tiré du titre français.
setup-theme-add = Ajouter une thématique
setup-theme-add-submit = Ajouter la thématique
setup-theme-added = Thématique ajoutée : { $name }.
setup-theme-saved = Les modifications sont enregistrées.
setup-theme-is-archived = Cette thématique est archivée : elle n'est plus proposée pour de nouveaux contenus.
setup-theme-archive-title = Archiver
setup-theme-archive-help = Une thématique archivée n'est plus proposée, mais les contenus qui l'utilisent la gardent.
setup-theme-archive = Archiver la thématique
setup-theme-archived = La thématique est archivée.
setup-theme-restore-title = Rétablir
setup-theme-restore-help = La thématique sera de nouveau proposée.
setup-theme-restore = Rétablir la thématique
setup-theme-restored = La thématique est rétablie.

## Partners
setup-partners-title = Partenaires
setup-partners-intro = Les partenaires font connaître le programme ou reçoivent les entreprises orientées. Chacun a son lien d'inscription : les entreprises qui s'inscrivent par ce lien lui sont rattachées.
setup-partners-none = Aucun partenaire pour l'instant.
setup-partners-back = Tous les partenaires
setup-kind-chamber = Chambre consulaire
setup-kind-employer_federation = Organisation professionnelle
setup-kind-town_hall = Mairie ou collectivité
setup-kind-association = Association ou club d'entreprises
setup-kind-funder = Financeur
setup-kind-other = Autre
setup-field-partner-name = Nom du partenaire
setup-field-kind = Type
setup-field-brings = Fait connaître le programme et amène des entreprises
setup-field-receives = Reçoit des entreprises orientées par le programme
setup-field-partner-email = Adresse e-mail de contact
setup-field-website = Site internet
setup-partner-slug-hint = Sert à construire le lien d'inscription. Laissé vide, il est tiré du nom. Le changer rend l'ancien lien inutilisable.
setup-partner-brings = Amène des entreprises
setup-partner-receives = Reçoit des orientations
setup-partner-link = Lien d'inscription
setup-partner-link-help = Copiez ce lien dans vos échanges avec le partenaire : les entreprises qui s'inscrivent en le suivant lui sont rattachées.
setup-partner-brought = Entreprises apportées
setup-partner-brought-count = { $count ->
    [0] aucune
    [one] { $shown } entreprise
   *[other] { $shown } entreprises
}
setup-partner-add = Ajouter un partenaire
setup-partner-add-submit = Ajouter le partenaire
setup-partner-added = Partenaire ajouté : { $name }.
setup-partner-saved = Les modifications sont enregistrées.

## Diagnostic questionnaire (question bank)
setup-questionnaire-nav = Questionnaire
setup-bank-title = Questionnaire du diagnostic
setup-bank-intro = Le questionnaire fixe les questions posées par le diagnostic de maturité numérique et les étapes proposées dans le plan d'action. Vous pouvez en importer une nouvelle version.
setup-bank-current = Version utilisée pour les nouveaux diagnostics
setup-bank-name = Titre
setup-bank-id = Identifiant
setup-bank-version = Version
setup-bank-shipped = fournie avec Tremplin
setup-bank-imported-kind = importée
setup-bank-questions-caption = Nombre de questions par dimension (version { $version })
setup-bank-dimension = Dimension
setup-bank-quick = Diagnostic express
setup-bank-full = Diagnostic complet
setup-bank-total = Total
setup-bank-versions = Versions du questionnaire
setup-bank-versions-intro = Chaque diagnostic garde la version du questionnaire avec laquelle il a été réalisé : ses scores peuvent toujours être recalculés, même après l'import d'une nouvelle version.
setup-bank-imported-at = Importée le
setup-bank-imported-by = Importée par
setup-bank-in-use = En service
setup-bank-in-use-yes = Oui, pour les nouveaux diagnostics
setup-bank-diagnostics = Diagnostics réalisés
setup-bank-diagnostics-count = { $count ->
    [0] aucun
    [one] { $shown } diagnostic
   *[other] { $shown } diagnostics
}
setup-bank-import-title = Importer une nouvelle version
setup-bank-import-format = Le fichier suit le même format TOML que le questionnaire fourni avec Tremplin, banks/dma-2026.1.toml : partez d'une copie de ce fichier et modifiez-la.
setup-bank-import-version = Donnez-lui un numéro de version qui n'existe pas encore (la ligne version = "…" en tête du fichier).
setup-bank-import-checks = Le fichier est vérifié en entier avant l'import : les six dimensions, les questions, les thématiques citées et les prérequis des étapes. S'il contient une erreur, rien n'est importé et la ligne en cause vous est indiquée.
setup-bank-import-effect = La nouvelle version sert aussitôt pour les nouveaux diagnostics ; les diagnostics déjà commencés ou terminés gardent la leur.
setup-bank-import-file = Fichier du questionnaire (.toml)
setup-bank-import-file-hint = Fichier texte en UTF-8, 1 Mo au plus.
setup-bank-import-submit = Importer cette version
setup-bank-imported = Version { $version } importée : elle sera utilisée pour les nouveaux diagnostics.
setup-bank-nothing-changed = Rien n'a été modifié : le questionnaire en service reste le même.
setup-bank-no-file = Choisissez le fichier .toml du questionnaire à importer.
setup-bank-not-toml = Le fichier { $file } n'a pas été importé : choisissez un fichier dont le nom se termine par .toml.
setup-bank-empty = Le fichier { $file } n'a pas été importé : il est vide.
setup-bank-not-utf8 = Le fichier { $file } n'a pas été importé : il n'est pas enregistré en UTF-8. Enregistrez-le en UTF-8 depuis votre éditeur de texte puis importez-le de nouveau.
setup-bank-invalid-line = Le fichier { $file } n'a pas été importé : ligne { $line } — { $reason }
setup-bank-invalid = Le fichier { $file } n'a pas été importé : { $reason }
setup-bank-version-exists = La version { $version } existe déjà. Changez le numéro de version en tête du fichier (la ligne version = "…") puis importez-le de nouveau.
setup-programmes-title = Programmes de cette instance
setup-programmes-intro = Une instance peut porter plusieurs programmes à la fois ou l'un après l'autre. Le registre des entreprises, l'annuaire, les guides et les dispositifs de financement sont communs ; les ateliers, dossiers, diagnostics, demandes de financement et lignes budgétaires appartiennent au programme dans lequel ils sont créés. Cette page règle le programme en cours.
setup-programmes-current = programme en cours
setup-programmes-switch = Passer à « { $name } »
setup-new-programme-title = Créer un autre programme
setup-new-programme-intro = Le nouveau programme reprend le fuseau horaire et l'adresse de contact de celui-ci ; vous compléterez ensuite sa période, ses territoires, ses objectifs et son budget.
setup-field-programme-slug = Identifiant dans les adresses
setup-programme-slug-hint = Laissez vide pour le tirer du nom, par exemple tremplin-gironde-2027.
setup-new-programme-submit = Créer le programme
setup-programme-created = Le programme « { $name } » est créé et c'est maintenant celui que vous réglez.
