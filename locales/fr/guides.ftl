guides-title = Fiches pratiques
guides-lead = Des fiches courtes, écrites par l'équipe du programme, pour passer à l'action étape par étape.
guides-admin-link = Gérer les fiches
guides-filter-words = Mots recherchés
guides-filter-theme = Thème
guides-filter-sector = Secteur
guides-filter-territory = Territoire
guides-filter-submit = Filtrer
guides-any = Tous
guides-count = { $count ->
    [0] Aucune fiche
    [one] { $count } fiche
   *[other] { $count } fiches
}
guides-none = Aucune fiche ne correspond à ces filtres.
guides-see-all = Voir toutes les fiches
guides-minutes = { $count ->
    [one] { $count } minute de lecture
   *[other] { $count } minutes de lecture
}
guides-level-beginner = Débutant
guides-level-intermediate = Intermédiaire
guides-level-advanced = Avancé
guides-status-draft = Brouillon
guides-status-published = Publiée
guides-draft-notice = Cette fiche est un brouillon : seule l'équipe du programme la voit.
guides-edit = Modifier la fiche
guides-new = Nouvelle fiche
guides-vote-question = Cet article vous a-t-il été utile ?
guides-vote-yes = Oui
guides-vote-no = Non
guides-vote-thanks = Merci pour votre réponse : elle nous aide à améliorer les fiches.
guides-cta-diagnostic = Faire le diagnostic
guides-cta-workshops = Voir les ateliers
guides-cta-funding = Voir les aides
guides-admin-title = Fiches pratiques : gestion
guides-public-link = Voir la liste publique
guides-admin-caption = Toutes les fiches, brouillons compris
guides-version = Version
guides-reads = Lectures
guides-useful = Utile (oui / non)
guides-export = Export
guides-view = Voir
guides-stats-title = Lectures et avis par thème
guides-import-title = Importer des fiches
guides-import-help = Fichiers Markdown (.md) avec un en-tête « --- » (slug, status, level, themes, sectors, sizes, territories, title_fr, title_en, summary_fr, summary_en), le texte français, une ligne « ::: en », puis le texte anglais. Une fiche dont le slug existe reçoit une nouvelle version.
guides-import-files = Fichiers .md
guides-import-submit = Importer
guides-import-empty = Choisissez au moins un fichier .md.
guides-import-done = Fiches créées : { $created }, mises à jour : { $updated }.
guides-file-no-front-matter = pas d'en-tête « --- » au début du fichier.
guides-file-bad-line = ligne { $line } : ce n'est pas une ligne « clé: valeur » connue.
guides-file-no-english = pas de ligne « ::: en » avant le texte anglais.
guides-unknown-codes = Ce champ contient un code inconnu (voir la liste ci-dessus).
guides-unknown-list = Codes inconnus : { $codes }.
guides-field-title = Titre
guides-field-title-fr = Titre (français)
guides-field-title-en = Titre (anglais)
guides-field-slug = Identifiant dans l'adresse (fait à partir du titre si vide)
guides-field-status = Statut
guides-field-level = Niveau
guides-field-summary-fr = Résumé (français)
guides-field-summary-en = Résumé (anglais)
guides-field-body-fr = Texte (français)
guides-field-body-en = Texte (anglais)
guides-markdown-hint = En Markdown : # titre, **gras**, - liste, [lien](https://…). Le HTML, les scripts et les liens javascript: sont retirés.
guides-field-themes = Thèmes (codes séparés par des virgules)
guides-theme-codes = Codes des thèmes
guides-field-sectors = Secteurs NACE (codes, vide = tous)
guides-field-sizes = Tailles (0, 1-9, 10-49, 50-249 ; vide = toutes)
guides-field-territories = Territoires (codes, vide = partout)
guides-save = Enregistrer
guides-saved = Fiche enregistrée.
guides-stale = Quelqu'un a enregistré une autre version de cette fiche pendant que vous la modifiiez. Votre texte est conservé ci-dessous : rechargez la fiche pour voir ses changements avant d'enregistrer.
guides-history = Historique des versions
guides-when = Date
guides-who = Par
guides-changed = Champs modifiés
search-title = Rechercher
search-label = Guides, ateliers, prestataires et aides
search-submit = Rechercher
search-none = Aucun résultat de ce type.
guides-open-data = Données ouvertes, sous la licence du programme :
guides-to-testimonies = Lire les témoignages de chefs d'entreprise accompagnés
