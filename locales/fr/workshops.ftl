# Ateliers

## Navigation
nav-workshops = Ateliers
nav-admin-workshops = Gérer les ateliers
nav-speaker = Mes séances
nav-dashboard = Tableau de bord

## Dates
weekday-1 = lundi
weekday-2 = mardi
weekday-3 = mercredi
weekday-4 = jeudi
weekday-5 = vendredi
weekday-6 = samedi
weekday-7 = dimanche
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

## Formats and statuses
ws-format-awareness = Séance de sensibilisation (1 h)
ws-format-halfday = Atelier collectif (une demi-journée, 3 h 30)
ws-format-custom = Autre durée
ws-status-scheduled = Programmée
ws-status-cancelled = Annulée
ws-reg-pending = En attente de confirmation de l'adresse e-mail
ws-reg-confirmed = Inscription confirmée
ws-reg-offered = Place proposée : à accepter
ws-reg-waiting = Sur liste d'attente
ws-reg-cancelled = Annulée
ws-reg-expired = Expirée
ws-reg-waiting-position = { $count ->
    [one] Sur liste d'attente, en { $shown }re position
   *[other] Sur liste d'attente, en { $shown }e position
}
ws-attendance-present = Présent
ws-attendance-absent = Absent
ws-attendance-excused = Excusé
ws-attendance-none = Non pointé
ws-request-open = À traiter
ws-request-done = Traitée
ws-delivery-on-site = Sur place
ws-delivery-online = En ligne
ws-source-web = Formulaire public
ws-source-account = Compte connecté
ws-source-staff = Équipe du programme
ws-source-api = API
ws-scale-1 = 1 — Pas du tout
ws-scale-2 = 2 — Peu
ws-scale-3 = 3 — Moyennement
ws-scale-4 = 4 — Beaucoup
ws-scale-5 = 5 — Tout à fait

## Agenda
ws-agenda-title = Agenda des ateliers
ws-past-title = Ateliers passés
ws-agenda-intro = Des séances courtes et concrètes près de chez vous. L'inscription est gratuite ; les places sont limitées et une liste d'attente prend le relais quand une séance est complète.
ws-upcoming-link = Voir les ateliers à venir
ws-past-link = Voir les ateliers passés et leurs supports
ws-feed-link = S'abonner au calendrier (iCal)
ws-filters = Filtrer les ateliers
ws-field-theme = Thématique
ws-field-territory = Territoire
ws-field-sector = Secteur
ws-field-format = Format
ws-field-from = Du
ws-field-to = Au
ws-any = Tous
ws-choose = Choisir…
ws-filter-submit = Filtrer
ws-bad-date = Une date de filtre n'a pas été comprise : utilisez le format AAAA-MM-JJ. Elle a été ignorée.
ws-count = { $count ->
    [0] Aucune séance ne correspond.
    [one] { $shown } séance
   *[other] { $shown } séances
}
ws-none = Aucune séance pour le moment.
ws-none-yet = Pas encore de données.
ws-seats-left = { $count ->
    [one] { $shown } place restante
   *[other] { $shown } places restantes
}
ws-full = Complet — liste d'attente ouverte
ws-full-waiting = inscrivez-vous sur la liste d'attente, elle avance toute seule
ws-with-partner = avec { $partner }
ws-slides-link = Télécharger le support de présentation
ws-pagination = Pages de l'agenda
ws-prev = Page précédente
ws-next = Page suivante
ws-page-of = Page { $page } sur { $pages }

## Session page
ws-back-agenda = Retour à l'agenda
ws-when = Quand
ws-where = Où
ws-online = En ligne
ws-online-after-booking = Le lien de connexion est envoyé avec la confirmation d'inscription.
ws-speakers = Intervenants
ws-partner = Co-organisé avec
ws-sectors = Secteurs visés
ws-seats = Places
ws-add-calendar = Ajouter à mon agenda (.ics)
ws-session-cancelled = Cette séance est annulée.
ws-cancel-reason = Motif
ws-register-title = S'inscrire
ws-join-waiting = S'inscrire sur la liste d'attente
ws-register-anonymous-hint = Vous recevrez un e-mail pour confirmer votre adresse : votre inscription est prise en compte dès que vous cliquez sur le lien.
ws-register-colleague-hint = Vous pouvez inscrire une autre personne de votre entreprise en changeant le nom et l'adresse e-mail.
ws-field-name = Nom et prénom
ws-field-email = Adresse e-mail
ws-field-business = Entreprise
ws-consent = J'accepte que mes coordonnées soient utilisées par l'équipe du programme pour gérer mon inscription, me rappeler la séance et me demander mon avis après. Elles ne sont pas transmises à des tiers.
ws-register-submit = Confirmer mon inscription
ws-join-waiting-submit = Rejoindre la liste d'attente
ws-registered-pending = Presque fini : un e-mail vient de vous être envoyé. Cliquez sur le lien qu'il contient pour confirmer votre inscription.
ws-registered-confirmed = Votre inscription est confirmée. Vous allez recevoir un e-mail avec l'invitation à ajouter à votre agenda.
ws-registered-waiting = La séance est complète : vous êtes sur la liste d'attente. Si une place se libère, elle vous est proposée par e-mail.
ws-already-registered = Cette adresse e-mail est déjà inscrite à cette séance. Retrouvez votre inscription grâce au lien reçu par e-mail.
ws-closed-cancelled = Cette séance a été annulée : les inscriptions sont fermées.
ws-closed-started = Les inscriptions sont closes : la séance a déjà commencé ou est passée.

## Private link
ws-manage-title = Mon inscription
ws-manage-for = Inscription de { $name }
ws-status = État
ws-confirm-button = Confirmer mon inscription
ws-offer-until = Une place s'est libérée pour vous. Elle vous est réservée jusqu'au { $expires }.
ws-accept-button = J'accepte la place
ws-decline-button = Je ne peux pas venir
ws-cancel-title = Vous ne pouvez plus venir ?
ws-cancel-help = Annulez votre inscription : votre place sera proposée à la personne suivante sur la liste d'attente.
ws-cancel-button = Annuler l'inscription
ws-feedback-link = Donner mon avis sur la séance
ws-done-confirm = C'est fait : votre adresse est confirmée.
ws-done-cancel = Votre inscription est annulée. Merci de nous avoir prévenus.
ws-done-decline = C'est noté : la place est proposée à la personne suivante.
ws-done-accept = Votre place est confirmée. À bientôt !
ws-done-already = Rien à faire : c'était déjà enregistré.
ws-done-closed = Ce n'est plus possible : la séance a commencé, a été annulée ou l'offre a expiré.

## Feedback
ws-feedback-title = Votre avis sur la séance
ws-feedback-satisfaction = Êtes-vous satisfait de la séance ?
ws-feedback-usefulness = La séance vous sera-t-elle utile pour votre entreprise ?
ws-feedback-themes = Quelles thématiques aimeriez-vous voir aux prochains ateliers ?
ws-feedback-comment = Un commentaire, une suggestion ?
ws-feedback-coaching = Je souhaite être accompagné individuellement par un conseiller
ws-feedback-submit = Envoyer mon avis
ws-feedback-thanks = Merci ! Votre avis aide à préparer les prochains ateliers.
ws-feedback-already = Vous avez déjà donné votre avis sur cette séance : merci ! Il n'est compté qu'une fois.
ws-feedback-not-yet = Le questionnaire s'ouvre après la séance, pour les personnes présentes.
ws-feedback-choose = Choisissez une note de 1 à 5.
ws-feedback-too-many-themes = Choisissez au plus { $limit } thématiques.

## Mails
ws-mail-manage-link = Pour consulter ou annuler votre inscription :
ws-mail-confirm-link = Pour confirmer votre inscription, ouvrez ce lien puis cliquez sur « Confirmer » :
ws-mail-offer-link = Pour accepter la place, ouvrez ce lien :
ws-mail-feedback-link = Deux minutes pour nous donner votre avis :
ws-mail-session-page = Page de la séance :
ws-mail-confirm-address-subject = Confirmez votre inscription : { $title }
ws-mail-confirm-address-body = Vous avez demandé à vous inscrire à l'atelier « { $title } ». Confirmez votre adresse pour réserver votre place.
ws-mail-confirmed-subject = Inscription confirmée : { $title }
ws-mail-confirmed-body = Votre place est réservée pour l'atelier « { $title } ». L'invitation jointe s'ajoute à votre agenda.
ws-mail-waiting-subject = Liste d'attente : { $title }
ws-mail-waiting-body = L'atelier « { $title } » est complet : vous êtes sur la liste d'attente. Si une place se libère, elle vous sera proposée par e-mail.
ws-mail-offered-subject = Une place s'est libérée : { $title }
ws-mail-offered-body = Une place s'est libérée pour l'atelier « { $title } ». Elle vous est réservée jusqu'au { $expires } ; ensuite, elle sera proposée à la personne suivante.
ws-mail-lapsed-subject = Place non retenue : { $title }
ws-mail-lapsed-body = La place proposée pour l'atelier « { $title } » n'a pas été acceptée à temps ; elle a été proposée à la personne suivante.
ws-mail-cancelled-subject = Inscription annulée : { $title }
ws-mail-cancelled-body = Votre inscription à l'atelier « { $title } » est annulée. Merci de nous avoir prévenus.
ws-mail-changed-subject = Atelier modifié : { $title }
ws-mail-changed-body = La date, l'heure ou le lieu de l'atelier « { $title } » a changé. Voici les nouvelles informations ; l'invitation jointe met à jour votre agenda.
ws-mail-session-cancelled-subject = Atelier annulé : { $title }
ws-mail-session-cancelled-body = Nous sommes désolés : l'atelier « { $title } » est annulé. Retrouvez les prochaines séances dans l'agenda.
ws-mail-reminder-subject = Rappel : { $title }
ws-mail-reminder-body = Nous vous attendons bientôt à l'atelier « { $title } ».
ws-mail-feedback-subject = Votre avis sur l'atelier : { $title }
ws-mail-feedback-body = Merci d'être venu à l'atelier « { $title } ». Votre avis nous aide à choisir les prochaines thématiques.

## Programme manager
ws-admin-title = Ateliers
ws-admin-new = Nouvelle séance
ws-admin-bulk = Créer une série de séances
ws-admin-create = Créer la séance
ws-admin-upcoming = À venir
ws-admin-past = Passées
ws-admin-registrations = Inscrits
ws-admin-duplicate = Dupliquer
ws-admin-public-page = Voir la page publique
ws-admin-created = La séance est créée. Elle apparaît dans l'agenda public.
ws-admin-saved = Modifications enregistrées.
ws-admin-saved-told = { $count ->
    [0] Modifications enregistrées.
    [one] Modifications enregistrées : { $shown } inscrit a été prévenu par e-mail.
   *[other] Modifications enregistrées : { $shown } inscrits ont été prévenus par e-mail.
}
ws-admin-cancelled = { $count ->
    [0] La séance est annulée.
    [one] La séance est annulée : { $shown } inscrit a été prévenu par e-mail.
   *[other] La séance est annulée : { $shown } inscrits ont été prévenus par e-mail.
}
ws-admin-cancel-title = Annuler la séance
ws-admin-cancel-help = { $count ->
    [0] Personne n'est encore inscrit.
    [one] { $shown } personne inscrite sera prévenue par e-mail.
   *[other] Les { $shown } personnes inscrites seront prévenues par e-mail.
}
ws-admin-cancel-button = Annuler la séance et prévenir les inscrits
ws-admin-seats = { $taken } places prises sur { $capacity }
ws-waiting-count = { $count ->
    [0] personne en liste d'attente
    [one] { $shown } personne en liste d'attente
   *[other] { $shown } personnes en liste d'attente
}
ws-field-capacity = Nombre de places
ws-field-partner = Partenaire co-organisateur
ws-field-title-fr = Titre de la séance (français)
ws-field-title-en = Titre de la séance (anglais)
ws-field-description-fr = Présentation (français)
ws-field-description-en = Présentation (anglais)
ws-field-date = Date
ws-field-start = Heure de début
ws-field-end = Heure de fin
ws-end-hint = Laissée vide, l'heure de fin suit le format : 1 h pour une sensibilisation, 3 h 30 pour une demi-journée.
ws-field-venue = Lieu (salle, bâtiment)
ws-field-address = Adresse
ws-field-commune = Commune
ws-online-only = En ligne uniquement
ws-field-online = Lien de la visioconférence
ws-field-planned = Demandes d'accompagnement prévues
ws-sectors-hint = Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.
ws-capacity-invalid = Saisissez un nombre de places entre 1 et 10 000.
ws-capacity-below-taken = { $limit ->
    [one] { $limit } place est déjà prise : la capacité ne peut pas être inférieure.
   *[other] { $limit } places sont déjà prises : la capacité ne peut pas être inférieure.
}
ws-time-invalid = Saisissez une heure au format HH:MM, par exemple 09:30.
ws-end-required = Indiquez l'heure de fin pour une séance de durée libre.
ws-end-before-start = L'heure de fin doit être après l'heure de début.
ws-url-invalid = Saisissez une adresse web complète, par exemple https://visio.exemple.fr/atelier.
ws-place-required = Choisissez une commune, ou indiquez un lien de visioconférence pour une séance en ligne.
ws-edit-cancelled = Cette séance est annulée : elle ne peut plus être modifiée. Dupliquez-la pour la reprogrammer.
ws-edit-conflict = Quelqu'un d'autre a modifié cette séance pendant que vous la modifiiez. Vos saisies sont conservées ci-dessous : vérifiez-les puis enregistrez à nouveau.
ws-bulk-intro = La même thématique dans plusieurs communes, à plusieurs dates : une ligne par séance.
ws-bulk-lines = Séances
ws-bulk-lines-hint = Une ligne par séance : date et heure (avec une fin ou une durée si besoin) ; commune ; lieu ; adresse. Par exemple : 2027-01-14 09:00-12:30 ; Libourne ; Mairie, salle 2 ; 42 place Abel Surchamp, ou 2027-01-21 14:00 1h30 ; Coutras. Sans heure, les heures de début et de fin ci-dessus s'appliquent ; avec une heure seule, la séance garde la même durée.
ws-bulk-submit = Créer les séances
ws-bulk-empty = Indiquez au moins une séance.
ws-bulk-too-many = Au plus { $limit } séances à la fois.
ws-bulk-commune-unknown = Commune inconnue : indiquez son nom exact ou son code.
ws-bulk-line = Ligne { $shown } :
ws-bulk-line-errors = { $limit ->
    [one] Une ligne est à corriger : aucune séance n'a été créée.
   *[other] { $limit } lignes sont à corriger : aucune séance n'a été créée.
}
ws-no-registrations = Personne n'est encore inscrit.
ws-promote = Donner la place
ws-staff-add = Inscrire une personne
ws-staff-add-submit = Inscrire
ws-staff-done-promote = La personne a obtenu une place et en est informée par e-mail.
ws-staff-done-cancel = L'inscription est annulée ; la place est proposée à la personne suivante.
ws-staff-done-add = La personne est inscrite et a reçu un e-mail.
ws-staff-done-full = Aucune place libre : la personne reste sur la liste d'attente.
ws-staff-done-already = Rien à faire : c'était déjà le cas.
ws-staff-done-closed = Ce n'est plus possible : la séance a commencé ou a été annulée.
ws-staff-done-linked = L'inscription est rattachée à l'entreprise du registre : elle compte désormais avec son territoire, son secteur et son partenaire.
ws-staff-done-unlinked = L'inscription n'est plus rattachée à une entreprise du registre.
ws-link-title = Rattacher au registre
ws-link-intro = Une entreprise venue à un atelier compte comme sensibilisée. Rattachée à sa fiche du registre, elle est comptée une seule fois, avec son territoire, son secteur et son partenaire.
ws-link-typed = Entreprise indiquée
ws-link-current = Rattachée à
ws-link-unlink = Détacher
ws-link-suggestions = Entreprises probables (même adresse e-mail ou même nom)
ws-link-search = Chercher dans le registre
ws-link-search-label = Nom, SIREN ou adresse
ws-link-search-submit = Chercher
ws-link-results = { $count ->
    [0] Aucune entreprise trouvée
    [one] { $count } entreprise trouvée
   *[other] { $count } entreprises trouvées
}
ws-link-none = Aucune entreprise du registre ne correspond.
ws-link-create = Ajouter l'entreprise au registre
ws-link-button = Rattacher
ws-link-button-for = Rattacher à { $name }
ws-link-action = Rattacher au registre
ws-link-change = Rattachement
ws-link-in-register = (fiche du registre)
ws-export-sessions-csv = Séances (CSV)
ws-export-sessions-xlsx = Séances (Excel)
ws-export-regs-csv = Inscriptions et présences (CSV)
ws-export-regs-xlsx = Inscriptions et présences (Excel)
ws-sheet-sessions = Séances
ws-sheet-registrations = Inscriptions
ws-col-id = N°
ws-col-session = Séance
ws-col-date = Date
ws-col-start = Début
ws-col-end = Fin
ws-col-theme = Thématique
ws-col-title = Titre
ws-col-format = Format
ws-col-commune = Commune
ws-col-venue = Lieu
ws-col-partner = Partenaire
ws-col-capacity = Places
ws-col-confirmed = Inscrits
ws-col-waiting = Liste d'attente
ws-col-present = Présents
ws-col-absent = Absents
ws-col-excused = Excusés
ws-col-status = État
ws-col-name = Nom
ws-col-email = E-mail
ws-col-business = Entreprise
ws-col-wait = Rang d'attente
ws-col-attendance = Présence
ws-col-registered = Inscrit le
ws-col-source = Origine
ws-col-message = Message

## Speakers
ws-speaker-title = Mes séances
ws-checkin-title = Pointer les présences
ws-checkin-count = { $present } présent(s) sur { $total } inscrit(s)
ws-participants = { $count ->
    [0] Aucun participant inscrit
    [one] { $shown } participant inscrit
   *[other] { $shown } participants inscrits
}
ws-sheet-title = Feuille d'émargement
ws-sheet-signature = Signature
ws-slides-title = Support de présentation
ws-slides-current = Support en ligne :
ws-slides-file = Fichier PDF
ws-slides-hint = Un PDF de 20 Mo au plus. Il apparaît sur la page publique de la séance.
ws-slides-submit = Envoyer le support
ws-slides-saved = Le support est en ligne sur la page de la séance.
ws-slides-missing = Choisissez un fichier PDF.
ws-slides-not-pdf = Ce fichier n'est pas un PDF. Enregistrez votre présentation au format PDF puis réessayez.
ws-slides-too-large = Le fichier dépasse { $limit } Mo.

## Figures
ws-dashboard-title = Tableau de bord
ws-dashboard-aware = Entreprises sensibilisées
ws-dashboard-target = Objectif : { $target } ({ $percent } % atteint)
ws-dashboard-sessions = Séances tenues
ws-dashboard-attendees = { $count ->
    [one] { $shown } participant présent
   *[other] { $shown } participants présents
}
ws-dashboard-coaching = Demandes d'accompagnement
ws-dashboard-conversion = { $percent } % des entreprises sensibilisées
ws-dashboard-by-territory = Par territoire
ws-dashboard-by-sector = Par secteur
ws-dashboard-by-partner = Par partenaire
ws-dashboard-by-month = Par mois
ws-unknown = Non renseigné
ws-no-partner = Sans partenaire
ws-report-title = Bilan des ateliers
ws-report-intro = Taux de réponse, satisfaction et demandes d'accompagnement par séance et par thématique, et les thématiques demandées pour la suite, par territoire.
ws-report-by-theme = Par thématique
ws-report-by-session = Par séance
ws-report-responses = Réponses
ws-report-satisfaction = Satisfaction (sur 5)
ws-report-usefulness = Utilité (sur 5)
ws-report-coaching = Accompagnement : réel / prévu
ws-report-coaching-vs = { $actual } / { $planned }
ws-report-sessions = { $count ->
    [one] { $shown } séance
   *[other] { $shown } séances
}
ws-report-wanted = Thématiques demandées pour les prochains ateliers
ws-report-votes = { $count ->
    [one] { $shown } demande
   *[other] { $shown } demandes
}
ws-coaching-title = Demandes d'accompagnement
ws-coaching-intro = Les participants qui ont demandé un accompagnement individuel dans le questionnaire de fin d'atelier.
