# Dossiers d'accompagnement, boîte des demandes, accueil par rôle.

case-title = Dossier d'accompagnement
case-list-title = Dossiers d'accompagnement
case-new-title = Ouvrir un dossier
case-exports = Exports :
case-none = Aucun dossier pour l'instant.
case-filters = Filtrer
case-filter-open = Dossiers ouverts
case-filter-mine = Mes dossiers
case-filter-all = Tous, y compris clos
case-col-business = Entreprise
case-col-template = Modèle
case-col-adviser = Conseiller·ère
case-col-status = Statut
case-col-opened = Ouvert le
case-col-due = Échéances
case-overdue = En retard
case-overdue-count = { $count ->
    [one] { $count } activité en retard
   *[other] { $count } activités en retard
}
case-no-template = Sans modèle
case-nobody = Personne
case-template-hint = Le modèle planifie les activités à partir de la date d'ouverture (par exemple J+0, J+30, J+60).
case-open-submit = Ouvrir le dossier
case-opened = Dossier ouvert : les activités prévues par le modèle sont planifiées.
case-saved = Enregistré.
case-field-business = Entreprise
case-field-template = Modèle d'accompagnement
case-field-origin = Origine
case-field-adviser = Conseiller·ère en charge
case-field-opened-on = Date d'ouverture
case-field-summary = Objet de l'accompagnement
case-field-outcome = Issue
case-outcome-hint = (obligatoire pour clore)
case-file-form = Suivi du dossier
case-save = Enregistrer
case-contributors = Contributeurs
case-edit-conflict = Quelqu'un a modifié ce dossier pendant que vous écriviez. Ce que vous avez saisi est conservé ci-dessous ; vérifiez la version actuelle puis enregistrez à nouveau.
case-activities = Activités
case-no-activity = Aucune activité pour l'instant.
case-add-activity = Ajouter une activité
case-field-kind = Type
case-field-title = Titre
case-field-date = Date (réalisée)
case-field-due = Échéance (prévue)
case-date-hint = Indiquez la date si l'activité a eu lieu, ou une échéance si elle est prévue.
case-field-time = Heure
case-field-minutes = Durée (minutes)
case-field-place = Lieu
case-online = En visio
case-field-attendees = Participants
case-attendees-list = Participants : { $names }
case-field-body = Compte rendu
case-observations = Observations par domaine (rapport d'audit)
case-observations-hint = Remplies seulement pour un rapport d'audit.
case-share-with-owner = Partager avec l'entreprise
case-shared = partagé avec l'entreprise
case-private = interne
case-note-private = Une note reste toujours interne à l'équipe.
case-due-on = prévu le { $when }
case-edits = { $count ->
    [one] modifié { $count } fois
   *[other] modifié { $count } fois
}
case-created-by = Créé par { $name }
case-revisions = Versions précédentes
case-no-revision = Jamais modifiée.
case-replaced-by = Remplacée par { $name }
case-documents = Documents
case-no-document = Aucun document.
case-document-file = Fichier
case-document-hint = PDF, PNG, JPEG, DOCX, XLSX, ODT ou ODS, 5 Mo au plus.
case-upload = Déposer le document
case-hours = Heures d'accompagnement
case-field-funder = Financeur
case-field-planned = Heures prévues
case-field-delivered = Heures réalisées
case-field-amount = Montant
case-field-reference = Référence du financeur
case-add-hours = Enregistrer les heures
case-total-for = Total { $funder }
case-plan = Plan d'action
case-plan-none = Aucun plan : l'entreprise n'a pas encore de diagnostic.
case-plan-progress = { $done } étape(s) réalisée(s) sur { $total }
case-step-done-on = faite le { $day }
case-step-tick = Marquer comme faite
case-step-undo = Annuler
case-gain = Progrès entre T0 et T1
case-gain-none = Pas encore de diagnostic de suivi (T1) depuis l'ouverture.
case-gain-col = Gain
case-dimension = Domaine
case-t1-proposal = Le dossier arrive à sa clôture : proposez un diagnostic de suivi (T1) pour mesurer le progrès.
case-t1-start = Démarrer le diagnostic T1 accompagné
case-timeline = Historique de l'entreprise
case-history = Traçabilité
case-assignments = Conseillers successifs
case-by = par { $name }
case-reads = Dernières consultations
case-templates-title = Modèles d'accompagnement
case-templates-intro = Chaque modèle planifie ses activités à partir de l'ouverture du dossier. Les dossiers déjà ouverts gardent leur planning.
case-template-step = J+{ $offset } : { $kind } — { $title }
case-field-title-fr = Titre (français)
case-field-title-en = Titre (anglais)
case-field-steps = Étapes
case-steps-hint = Une étape par ligne : décalage en jours;type;titre français;titre anglais;minutes. Types : audit, meeting, call, closing. Exemple : 30;meeting;Rendez-vous de suivi;Follow-up meeting;60
case-owner-title = Mon accompagnement
case-owner-no-business = Votre compte n'est rattaché à aucune entreprise.
case-owner-none = Vous n'avez pas encore de dossier d'accompagnement. Demandez à être accompagné·e :
case-owner-adviser = Votre conseiller·ère : { $name }
case-owner-opened = ouvert le { $when }
case-owner-next = Prochain rendez-vous : { $when }

case-status-to-qualify = À qualifier
case-status-active = En cours
case-status-paused = En pause
case-status-closed = Clos
case-outcome-goals-met = Objectifs atteints
case-outcome-referred-elsewhere = Orienté ailleurs
case-outcome-abandoned = Abandon
case-outcome-unreachable = Injoignable
case-origin-coaching-request = Demande d'accompagnement
case-origin-assisted-diagnostic = Diagnostic accompagné
case-origin-contact-message = Message de contact
case-origin-partner-referral = Orientation par un partenaire
case-origin-manual = Saisie directe
case-kind-note = Note interne
case-kind-meeting = Rendez-vous
case-kind-call = Appel
case-kind-audit = Rapport d'audit
case-kind-closing = Clôture
case-funder-fafcea = FAFCEA
case-funder-opco = OPCO
case-funder-region = Région
case-funder-programme = Budget du programme
case-dim-strategy = Stratégie numérique
case-dim-readiness = Préparation numérique
case-dim-human = Numérique centré sur l'humain
case-dim-data = Gestion des données
case-dim-automation = Automatisation et IA
case-dim-green = Numérique responsable

case-bad-business = Choisissez l'entreprise accompagnée.
case-bad-template = Ce modèle n'existe pas ou n'est plus proposé.
case-bad-adviser = Choisissez un conseiller ou une conseillère de l'équipe.
case-bad-outcome = Cette issue n'existe pas.
case-outcome-required = Pour clore le dossier, indiquez son issue.
case-bad-date = Date invalide : écrivez-la sous la forme 21/01/2027.
case-bad-time = Heure invalide : écrivez-la sous la forme 14:30.
case-date-required = Indiquez la date de l'activité ou son échéance.
case-due-before-opening = L'échéance ne peut pas précéder l'ouverture du dossier.
case-bad-kind = Choisissez le type d'activité.
case-bad-minutes = La durée doit être un nombre de minutes entre 0 et { $limit }.
case-meeting-minutes = Indiquez la durée du rendez-vous.
case-meeting-overlap = Ce rendez-vous chevauche un autre rendez-vous du même conseiller.
case-bad-funder = Choisissez le financeur.
case-bad-hours = Les heures doivent être comprises entre 0 et { $limit } (par exemple 3,5).
case-hours-required = Indiquez des heures prévues ou réalisées.
case-bad-amount = Montant invalide : écrivez par exemple 315 ou 315,50.
case-bad-url = Le lien doit commencer par https:// ou http://.
case-bad-step = Une étape est mal écrite : décalage;type;titre français;titre anglais;minutes.
case-steps-required = Un modèle a au moins une étape.
case-doc-missing = Choisissez un fichier à déposer.
case-doc-too-large = Le fichier dépasse { $limit } Mo.
case-doc-mismatch = Le contenu du fichier ne correspond pas à son nom (ou ce format n'est pas accepté : PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS).

case-ev-diagnostic = Diagnostic
case-ev-score = score { $score }/100
case-ev-registration = Inscription à l'atelier « { $theme } »
case-ev-attendance = Atelier « { $theme } »
case-ev-feedback = Avis sur l'atelier « { $theme } »
case-ev-satisfaction = satisfaction { $score }/5
case-ev-request = Demande d'accompagnement
case-ev-need = Besoin publié : { $title }
case-ev-replies = { $count ->
    [one] { $count } réponse
   *[other] { $count } réponses
}
case-ev-referral = Orientation vers { $body }
case-ev-referral-answer = Réponse de { $body }
case-ev-reg-pending = à confirmer
case-ev-reg-confirmed = confirmée
case-ev-reg-offered = place proposée
case-ev-reg-waiting = liste d'attente
case-ev-reg-cancelled = annulée
case-ev-reg-expired = expirée
case-ev-att-present = présent·e
case-ev-att-absent = absent·e
case-ev-att-excused = excusé·e

referral-title = Orientations
referral-none = Aucune orientation.
referral-body = Organisme partenaire
referral-note = Message à l'organisme
referral-send = Orienter
referral-sent = Orientation envoyée : l'organisme a reçu un lien privé pour répondre.
referral-reopen = Relancer l'orientation
referral-reminders = { $count ->
    [one] { $count } relance
   *[other] { $count } relances
}
referral-no-body = Le catalogue des organismes partenaires est vide.
referral-bodies-title = Organismes partenaires
referral-bodies-intro = Les organismes vers lesquels les conseillers orientent les entreprises ; chacun répond par un lien privé, sans compte.
referral-add-body = Ajouter un organisme
referral-contact = Contact
referral-email = Adresse e-mail du contact
referral-phone = Téléphone
referral-territory = Territoire (code)
referral-themes = Thématiques traitées
referral-url = Lien vers son catalogue
referral-status-sent = Envoyée
referral-status-taken-up = Prise en charge
referral-status-done = Terminée
referral-status-no-follow-up = Sans suite possible
referral-status-unreachable = Injoignable
referral-status-declined = Déclinée
referral-answer-title = Orientation d'une entreprise
referral-answer-intro = { $body } : le programme vous oriente l'entreprise { $business }.
referral-current-status = Statut actuel :
referral-answer-legend = Où en est cette orientation ?
referral-answer-text = Précisions (facultatif)
referral-answer-submit = Envoyer la réponse
referral-answer-thanks = Merci, votre réponse est transmise au conseiller.
referral-answer-required = Choisissez où en est l'orientation.
referral-answer-stale = Cette réponse a déjà été envoyée ou la page n'est plus à jour : voici l'état actuel.

coaching-inbox-title = Demandes d'accompagnement
coaching-inbox-intro = Les demandes venues des avis d'atelier, des résultats de diagnostic et du formulaire de contact. Prenez-les, confiez-les, déclinez-les avec un motif ou ouvrez un dossier : la personne est prévenue par e-mail.
coaching-filter-pending = À traiter
coaching-filter-all = Toutes
coaching-take = Je la prends
coaching-assign-to = Confier à
coaching-assign = Confier
coaching-open-file = Ouvrir un dossier
coaching-decline-reason = Motif du refus
coaching-decline = Décliner
coaching-see-file = Voir le dossier
coaching-first-contact = premier contact en { $delay }
coaching-mean-delay = Délai moyen avant premier contact : { $delay }
coaching-delay-minutes = { $count } min
coaching-delay-hours = { $count } h
coaching-delay-days = { $count ->
    [one] { $count } jour
   *[other] { $count } jours
}
coaching-status-open = À traiter
coaching-status-done = Traitée
coaching-status-taken = Prise en charge
coaching-status-file-opened = Dossier ouvert
coaching-status-declined = Déclinée
coaching-bad-adviser = Choisissez un conseiller ou une conseillère de l'équipe.
coaching-reason-required = Indiquez le motif du refus : il est envoyé à la personne.
coaching-not-pending = Cette demande a déjà été traitée.
coaching-source-workshop-feedback = Avis d'atelier
coaching-source-diagnostic-results = Résultats de diagnostic
coaching-source-contact = Formulaire de contact
coaching-callback-title = Être rappelé·e par un conseiller
coaching-callback-body = Un conseiller du programme vous rappelle pour parler de vos résultats et de la suite.
coaching-callback-name = Votre nom
coaching-callback-email = Votre adresse e-mail
coaching-callback-phone = Téléphone
coaching-callback-message = Ce dont vous voulez parler
coaching-callback-submit = Demander à être rappelé·e
coaching-callback-thanks = C'est noté : un conseiller vous contacte prochainement.

home-role-title = Accueil
home-hello = Bonjour { $name }
home-nothing = Rien pour l'instant.
home-owner-first-diagnostic = Faire mon premier diagnostic
home-owner-diagnostics = { $count ->
    [one] { $count } diagnostic et ma progression
   *[other] { $count } diagnostics et ma progression
}
home-owner-needs = { $count ->
    [0] Décrire un besoin pour des prestataires
    [one] { $count } besoin publié et ses réponses
   *[other] { $count } besoins publiés et leurs réponses
}
home-owner-registrations = Mes prochains ateliers
home-owner-no-registration = Voir l'agenda des ateliers
home-owner-next-coaching = Prochaine étape : demander un accompagnement individuel.
home-adviser-files = Mes dossiers
home-adviser-requests = { $count ->
    [0] Aucune nouvelle demande
    [one] { $count } nouvelle demande
   *[other] { $count } nouvelles demandes
}
home-adviser-week = Mes rendez-vous de la semaine
home-adviser-referrals = Orientations en attente de réponse
home-adviser-week-more = { $count ->
    [one] …et { $count } autre cette semaine : voir toute la semaine
   *[other] …et { $count } autres cette semaine : voir toute la semaine
}
home-adviser-files-more = { $count ->
    [one] …et { $count } autre dossier ouvert : voir tous mes dossiers
   *[other] …et { $count } autres dossiers ouverts : voir tous mes dossiers
}
home-week-count = { $count ->
    [0] Rien de prévu cette semaine
    [one] { $count } rendez-vous cette semaine
   *[other] { $count } rendez-vous cette semaine
}
home-back = Retour à l'accueil
case-pagination = Pages de la liste
case-page-prev = Page précédente
case-page-next = Page suivante
case-page-of = Page { $page } sur { $pages }
case-list-count = { $count ->
    [0] Aucun dossier
    [one] { $count } dossier
   *[other] { $count } dossiers
}
home-manager-waiting = Ce qui vous attend
home-manager-unassigned = { $count ->
    [one] { $count } demande non attribuée
   *[other] { $count } demandes non attribuées
}
home-manager-moderation = { $count ->
    [one] { $count } annonce à modérer
   *[other] { $count } annonces à modérer
}
home-manager-idle = { $count ->
    [one] { $count } dossier sans activité depuis 30 jours
   *[other] { $count } dossiers sans activité depuis 30 jours
}
home-manager-sessions = Ateliers de la semaine avec des places libres
home-seats-left = { $count ->
    [one] { $count } place libre
   *[other] { $count } places libres
}
home-speaker-sessions = { $count ->
    [one] { $count } séance à venir
   *[other] { $count } séances à venir
}
home-provider-cards = { $count ->
    [one] { $count } fiche dans l'annuaire
   *[other] { $count } fiches dans l'annuaire
}
home-provider-needs = Les besoins qui correspondent à mes fiches
home-funder-title = Indicateurs du programme
home-funder-open = { $count ->
    [one] { $count } dossier d'accompagnement en cours
   *[other] { $count } dossiers d'accompagnement en cours
}
home-funder-closed = { $count ->
    [one] { $count } dossier clos
   *[other] { $count } dossiers clos
}
home-funder-hours = { $funder } : { $hours } réalisées

mail-referral-subject = { $programme } : orientation de { $business }
mail-referral-body = Bonjour, le programme { $programme } vous oriente l'entreprise { $business }.
mail-referral-link = Dites-nous où en est cette orientation par ce lien privé (sans compte) :
mail-referral-reminder-subject = Relance — { $programme } : orientation de { $business }
mail-referral-reminder-body = { $count ->
    [one] Nous n'avons pas encore de réponse à cette orientation. Ce nouveau lien remplace le précédent :
   *[other] Relance n° { $count } : nous n'avons pas encore de réponse à cette orientation. Ce nouveau lien remplace les précédents :
}
mail-request-taken-subject = { $programme } : votre demande d'accompagnement
mail-request-taken-body = Bonjour { $name }, { $adviser } prend en charge votre demande d'accompagnement et vous contacte très vite.
mail-request-declined-subject = { $programme } : votre demande d'accompagnement
mail-request-declined-body = Bonjour { $name }, nous ne pouvons pas donner suite à votre demande d'accompagnement. Voici pourquoi :
mail-activity-reminder-subject = Rappel : { $business }, { $when }
mail-activity-reminder-body = « { $title } » avec { $business } est prévu le { $when }.
mail-digest-subject = Votre semaine d'accompagnement
mail-digest-intro = Bonjour, voici vos dossiers et vos rendez-vous de la semaine.
mail-digest-files = { $count ->
    [one] { $count } dossier ouvert
   *[other] { $count } dossiers ouverts
}

## Who opens a file
case-refused-title = Ce dossier ne vous est pas ouvert
case-refused-body = Seuls le conseiller en charge, les contributeurs et les responsables de programme ouvrent un dossier d'accompagnement.
case-refused-ask-hint = Vous suivez aussi cette entreprise ? Demandez à contribuer : le conseiller en charge ou un responsable pourra vous ajouter.
case-refused-ask = Demander à contribuer
case-refused-asked = Votre demande de contribution a été envoyée le { $date }. Le conseiller en charge ou un responsable pourra vous ajouter.
case-access-title = Qui ouvre ce dossier
case-access-who = Le conseiller en charge, les contributeurs et les responsables de programme. Un conseiller qui passe la main reste contributeur.
case-access-asked = { $name } demande à contribuer (le { $date }).
case-access-accept = Accepter
case-access-add-label = Ajouter un contributeur
case-access-add = Ajouter
referral-take-up = Orientations prises en charge par l’organisme
