# Needs, replies and quote reviews

need-list-title = Besoins
need-list-lead = Décrivez ce dont votre entreprise a besoin : les prestataires du territoire qui font ce travail sont prévenus et vous répondent. Le programme ne recommande aucun prestataire, vous choisissez librement.
need-list-empty = Aucun besoin pour le moment.
need-all-statuses = Tous les statuts
need-filter = Filtrer
need-col-replies = Réponses
need-col-updated = Mis à jour
need-untitled = Besoin sans titre
need-no-business = Votre compte n'est rattaché à aucune entreprise : renseignez d'abord votre entreprise pour pouvoir décrire un besoin.
need-no-business-link = Renseigner mon entreprise
need-new-title = Décrire un besoin
need-edit-title = Modifier le besoin
need-back-to-need = Retour au besoin
need-form-lead = Répondez simplement, avec vos mots : chaque question est guidée. Vous pouvez enregistrer un brouillon et y revenir plus tard ; le besoin n'est envoyé aux prestataires que lorsque vous le publiez.
need-choose = — Choisir —
need-step-what = 1. Votre projet
need-step-how = 2. Ce qui est attendu
need-step-frame = 3. Le cadre
need-field-business = Entreprise
need-field-title = Titre du besoin
need-field-title-hint = En une phrase, par exemple « Un site vitrine pour présenter la boulangerie et ses horaires ».
need-field-themes = Thèmes
need-field-themes-hint = Cochez un ou plusieurs thèmes : ils servent à prévenir les prestataires qui font ce travail.
need-field-context = Contexte
need-field-context-hint = Qui êtes-vous, que faites-vous, pourquoi ce projet maintenant ?
need-field-goal = Objectif
need-field-goal-hint = Qu'est-ce qui doit changer pour votre entreprise une fois le projet terminé ? Par exemple « être trouvé sur internet par les habitants du quartier ».
need-field-audience = Public visé
need-field-audience-hint = Vos clients, vos fournisseurs, votre équipe… À qui le projet s'adresse-t-il ?
need-field-features = Fonctionnalités attendues
need-field-features-hint = Une ligne par besoin : par exemple « horaires d'ouverture », « commande en ligne à retirer en boutique », « page en anglais ».
need-field-existing-tools = Outils déjà en place
need-field-existing-tools-hint = Site, logiciel de caisse, fichier clients, réseaux sociaux, nom de domaine… Ce qui existe déjà et doit être repris ou relié.
need-field-constraints = Contraintes
need-field-constraints-hint = Ce qu'il faut savoir : accessibilité, langues, matériel, disponibilités, exigences d'un financeur…
need-field-budget = Budget envisagé
need-field-deadline = Échéance souhaitée
need-field-territory = Lieu de l'entreprise
need-field-territory-hint = Sert à prévenir les prestataires qui interviennent sur ce territoire (et ceux qui travaillent à distance).
need-field-size = Taille de l'entreprise
need-field-status = Statut
need-size-any = Non précisée
need-budget-under-1k = Moins de 1 000 €
need-budget-1k-3k = De 1 000 à 3 000 €
need-budget-3k-10k = De 3 000 à 10 000 €
need-budget-10k-30k = De 10 000 à 30 000 €
need-budget-over-30k = Plus de 30 000 €
need-budget-unknown = Je ne sais pas encore
need-deadline-invalid = Saisissez une date valide, par exemple 2026-09-30.
need-territory-required = Choisissez le lieu de l'entreprise.
need-themes-too-many = { $limit ->
    [one] Choisissez au plus { $limit } thème.
   *[other] Choisissez au plus { $limit } thèmes.
}
need-save-draft = Enregistrer le brouillon
need-save = Enregistrer
need-save-publish = Enregistrer et publier
need-publish-hint = Publier envoie le besoin aux prestataires dont les thèmes, le territoire et la taille d'entreprise servie correspondent. Chacun n'est prévenu qu'une fois.
need-publish-no-title = Le besoin n'a pas de titre : donnez-lui un titre avant de le publier.
need-publish-no-theme = Aucun thème n'est choisi : cochez au moins un thème pour que les prestataires concernés soient prévenus.
need-publish-chosen = Un prestataire a déjà été choisi pour ce besoin : il ne peut pas être republié.
need-edit-conflict = Quelqu'un a modifié ce besoin pendant que vous le modifiiez. Vos saisies sont conservées ci-dessous : vérifiez-les puis enregistrez à nouveau.
need-not-editable = Ce besoin ne peut plus être modifié : il est en discussion avec des prestataires, attribué ou clos.
need-saved-notice = Le besoin est enregistré.
need-published-notice = { $count ->
    [0] Le besoin est publié. Aucun nouveau prestataire correspondant n'a été prévenu pour le moment : ceux qui s'inscrivent ensuite le verront dans leur espace.
    [one] Le besoin est publié : { $shown } prestataire correspondant a été prévenu.
   *[other] Le besoin est publié : { $shown } prestataires correspondants ont été prévenus.
}
need-closed-notice = Le besoin est clos.
need-decision-notice = Votre décision est enregistrée.
need-already-closed = Ce besoin est déjà clos.
need-reply-unknown = Cette réponse n'existe pas ou ne concerne pas ce besoin.
need-decide-closed = Ce besoin n'est pas ouvert : publiez-le à nouveau avant de présélectionner ou de choisir un prestataire.
need-spec-title = Cahier des charges
need-spec-neutral = Ce cahier des charges a été rédigé par l'entreprise, éventuellement avec son conseiller. Le programme ne recommande aucun prestataire.
need-none-given = Non précisé
need-published-on = Publié le
need-fact = { $label } : { $value }
need-chosen-provider = prestataire choisi : { $provider }
need-status-draft = Brouillon
need-status-published = Publié
need-status-in-discussion = En discussion
need-status-provider-chosen = Prestataire choisi
need-status-closed = Clos
need-publish = Publier le besoin
need-republish = Publier à nouveau
need-close = Clore le besoin
need-download-pdf = Télécharger le cahier des charges (PDF)
need-notified-count = { $count ->
    [0] Aucun prestataire n'a encore été prévenu.
    [one] { $shown } prestataire a été prévenu.
   *[other] { $shown } prestataires ont été prévenus.
}
need-replies-title = Réponses des prestataires
need-replies-empty = Aucune réponse pour le moment.
need-see-card = voir la fiche
need-shortlist = Présélectionner
need-choose-provider = Choisir ce prestataire
need-decline = Décliner
need-reply-status-sent = Reçue
need-reply-status-shortlisted = Présélectionné
need-reply-status-chosen = Choisi
need-reply-status-declined = Décliné

need-quotes-title = Analyse des devis
need-quotes-lead = Pour chaque devis reçu, vérifiez point par point ce qu'il prévoit, avec votre conseiller si vous le souhaitez. L'analyse reste attachée au besoin.
need-quotes-empty = Aucun devis analysé pour le moment.
need-quote-add = Analyser un devis
need-quote-edit = Modifier l'analyse
need-quote-save = Enregistrer l'analyse
need-quote-saved = L'analyse du devis est enregistrée.
need-quote-conflict = Quelqu'un a modifié cette analyse pendant que vous la modifiiez. Vos saisies sont conservées : vérifiez-les puis enregistrez à nouveau.
need-quote-label = Nom du devis
need-quote-label-hint = Par exemple « Devis Web Atelier du 12 mars ».
need-quote-provider = Prestataire
need-quote-provider-none = Autre prestataire ou non précisé
need-quote-amount = Montant
need-quote-amount-hint = En euros, par exemple 2 400 ou 2 400,50.
need-amount-invalid = Saisissez un montant en euros, par exemple 2 400 ou 2 400,50.
need-quote-checklist = Points à vérifier
need-quote-checklist-hint = Pour chaque point : le devis répond-il clairement ? Notez ce qui manque ou ce qu'il faut demander.
need-quote-notes = Remarques générales
need-quote-point = Point
need-quote-answer = Réponse
need-quote-ok-count = { $count ->
    [one] { $shown } point clair
   *[other] { $shown } points clairs
}
need-quote-ko-count = { $count ->
    [one] { $shown } point problématique
   *[other] { $shown } points problématiques
}
need-quote-unknown-count = { $count ->
    [one] { $shown } point à vérifier
   *[other] { $shown } points à vérifier
}
need-check-ok = Clair
need-check-ko = Problème
need-check-unknown = À vérifier
need-check-note = Note
need-check-scope = Périmètre et livrables
need-check-scope-hint = Le devis liste-t-il précisément ce qui sera livré (pages, fonctions, contenus) ?
need-check-timeline = Délais
need-check-timeline-hint = Les étapes et la date de mise en service sont-elles indiquées ?
need-check-hosting = Hébergement et maintenance
need-check-hosting-hint = Qui héberge, à quel prix par an, et qui fait les mises à jour de sécurité ?
need-check-ownership = Propriété du nom de domaine et des contenus
need-check-ownership-hint = Le nom de domaine, les textes, les photos et le site vous appartiennent-ils, à votre nom ?
need-check-gdpr = Données personnelles (RGPD)
need-check-gdpr-hint = Mentions légales, consentement aux cookies, sécurité des données de vos clients : qu'est-ce qui est prévu ?
need-check-training = Formation
need-check-training-hint = Serez-vous formé pour modifier vous-même vos contenus ?
need-check-payment = Échéancier de paiement
need-check-payment-hint = Acompte, paiements intermédiaires, solde : à quelles étapes ?
need-check-warranty = Garantie et assistance
need-check-warranty-hint = Combien de temps les défauts sont-ils corrigés gratuitement ? Comment joindre le prestataire ?
need-check-reversibility = Réversibilité
need-check-reversibility-hint = Pourrez-vous récupérer vos données et changer de prestataire sans tout perdre ?

need-provider-list-title = Besoins des entreprises
need-provider-list-lead = Les besoins publiés qui correspondent à vos fiches (thèmes, territoire, taille d'entreprise). Lisez le cahier des charges et répondez directement à l'entreprise.
need-provider-list-empty = Aucun besoin ouvert ne correspond à vos fiches pour le moment.
need-provider-no-card = Vous n'avez pas encore de fiche publiée dans l'annuaire : les besoins vous sont proposés d'après vos fiches.
need-provider-no-card-link = Gérer mes fiches
need-provider-replied = Vous avez répondu.
need-reply-title = Votre réponse
need-reply-card = Répondre au nom de la fiche
need-reply-message = Message à l'entreprise
need-reply-hint = Présentez votre approche, vos délais, une première estimation et comment vous joindre.
need-reply-update-hint = Votre réponse a été envoyée. Vous pouvez la compléter : l'entreprise verra la version mise à jour.
need-reply-send = Envoyer la réponse
need-reply-update = Mettre à jour la réponse
need-reply-sent = Votre réponse est envoyée à l'entreprise.
need-reply-closed = Ce besoin est clos : il n'accepte plus de réponse.
need-reply-chosen = L'entreprise a déjà choisi un prestataire pour ce besoin : il n'accepte plus de réponse.
need-reply-no-card = Aucune de vos fiches ne correspond à ce besoin : vous ne pouvez pas y répondre.

need-mail-new-subject = Nouveau besoin d'une entreprise : { $title }
need-mail-new-intro = Une entreprise accompagnée par { $programme } a publié un besoin qui correspond à votre fiche « { $provider } » (thèmes, territoire et taille d'entreprise).
need-mail-new-link = Lisez le cahier des charges et répondez ici :
need-mail-new-footer = Vous ne recevez ce message qu'une fois par besoin. Le programme ne recommande aucun prestataire : l'entreprise choisit librement.
need-mail-reply-subject = { $provider } a répondu à votre besoin « { $title } »
need-mail-reply-updated-subject = { $provider } a mis à jour sa réponse à « { $title } »
need-mail-reply-intro = { $provider } a répondu à votre besoin « { $title } » :
need-mail-reply-link = Lisez les réponses, présélectionnez ou choisissez un prestataire ici :
need-mail-chosen-subject = Vous avez été choisi pour « { $title } »
need-mail-chosen-body = { $business } a choisi votre fiche « { $provider } » pour son besoin « { $title } ». Prenez contact pour la suite :
need-mail-declined-subject = Réponse déclinée : « { $title } »
need-mail-declined-body = { $business } a décliné la réponse de « { $provider } » à son besoin « { $title } ». Merci d'avoir répondu.

# Notice board

board-title = Annonces
board-lead = Les annonces du programme (événements, appels à projets) et les offres des prestataires (emplois, stages). Les annonces des prestataires sont relues avant publication.
board-empty = Aucune annonce pour le moment.
board-filter = Type d'annonce
board-all-kinds = Toutes
board-more = En savoir plus
board-expires = Jusqu'au { $date }
board-by-programme = Le programme
board-kind-announcement = Annonce du programme
board-kind-event = Événement
board-kind-call-for-projects = Appel à projets
board-kind-job = Offre d'emploi
board-kind-internship = Offre de stage
board-status-pending = En attente de relecture
board-status-published = Publiée
board-status-rejected = Refusée
board-new-title = Publier une annonce
board-new-lead-staff = Les annonces du programme sont publiées immédiatement.
board-new-lead-provider = Votre annonce sera relue par l'équipe du programme avant d'être publiée ; vous recevrez un e-mail.
board-choose = — Choisir —
board-field-kind = Type
board-field-card = Au nom de la fiche
board-field-title = Titre
board-field-body = Texte de l'annonce
board-field-link = Lien pour en savoir plus
board-field-expires = Date de fin de publication
board-link-invalid = Saisissez une adresse web complète, commençant par https://
board-date-invalid = Saisissez une date valide, par exemple 2026-09-30.
board-date-past = Cette date est déjà passée : choisissez aujourd'hui ou une date à venir.
board-submit = Envoyer pour relecture
board-publish = Publier
board-reject = Refuser
board-unpublish = Retirer
board-sent-to-moderation = Votre annonce est envoyée : elle sera publiée après relecture par l'équipe du programme.
board-admin-title = Modération des annonces
board-admin-pending = À relire
board-admin-published = Publiées
board-admin-rejected = Refusées ou retirées
board-admin-none = Aucune.
board-col-by = Auteur
board-col-when = Date
board-col-actions = Actions
board-note = Note à l'auteur
board-note-hint = Obligatoire pour un refus : expliquez ce qu'il faut changer.
board-note-required = Pour refuser une annonce, expliquez pourquoi à son auteur dans la note.
board-note-too-long = La note est trop longue : 1 000 caractères au plus.
board-already-moderated = Cette annonce a déjà été traitée entre-temps.
board-moderated = La décision est enregistrée.
board-mail-published-subject = Votre annonce est publiée : { $title }
board-mail-published-body = Votre annonce « { $title } » est publiée sur le tableau d'annonces.
board-mail-rejected-subject = Votre annonce n'est pas publiée : { $title }
board-mail-rejected-body = Votre annonce « { $title } » n'est pas (ou plus) publiée sur le tableau d'annonces.
board-mail-note = Message de l'équipe du programme :
