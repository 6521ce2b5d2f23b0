## Parcours : ateliers, annuaire, besoins (ce que les gens ont rencontré en vrai)

ws-about-title = Ce qui se passe pendant la séance
ws-what-awareness = Une heure : environ 40 minutes de présentation par l'intervenant, avec des exemples d'entreprises comme la vôtre, puis 20 minutes pour vos questions.
ws-what-halfday = Une demi-journée (3 h 30) en petit groupe : des démonstrations, des exemples d'artisans et de commerçants, des exercices sur votre propre activité et du temps pour vos questions.
ws-what-custom = Une présentation par l'intervenant, des exemples concrets et du temps pour vos questions.
ws-bring-title = À apporter
ws-bring = Vos questions, et si possible votre téléphone ou un ordinateur portable pour essayer sur place. Aucune connaissance technique n'est demandée.
ws-bring-online = Un ordinateur ou un téléphone avec une connexion internet. Le lien de connexion vous est envoyé par e-mail après l'inscription.
ws-price = Tarif
ws-free = Gratuit, financé par le programme
ws-map-link = Voir sur la carte
ws-map-external = OpenStreetMap, nouveau site
ws-suited-to = Particulièrement adapté à
ws-open-to-all = Ouvert à toutes les entreprises, quel que soit leur secteur.
ws-you-are-registered = Vous êtes inscrit·e
ws-almost-registered = Vous êtes presque inscrit·e
ws-manage-mine = Voir mon inscription
ws-register-another = Inscrire une autre personne
ws-register-again = M'inscrire à nouveau
ws-cancel-confirm-title = Annuler votre inscription ?
ws-cancel-confirm-help = Votre place sera proposée à la personne suivante sur la liste d'attente. Vous pourrez vous réinscrire tant qu'il reste des places.
ws-cancel-confirm-yes = Oui, annuler mon inscription
ws-cancel-confirm-no = Non, garder ma place
ws-status-held = Tenue
ws-series-created = { $count ->
    [one] 1 séance créée.
   *[other] { $count } séances créées.
}
ws-bulk-duration-invalid = La fin ou la durée de cette ligne est illisible : écrivez par exemple 14:00-17:30 ou 14:00 3h30.
ws-sectors-pick-hint = Cochez les secteurs pour lesquels la séance est particulièrement adaptée ; elle reste ouverte à tous. Les secteurs sont rangés par grande famille.
ws-sectors-filter = Filtrer les secteurs
ws-checkin-search = Chercher une personne (nom, e-mail, entreprise)
ws-checkin-search-submit = Chercher
ws-checkin-search-clear = Tout afficher
ws-checkin-no-match = Personne ne correspond à cette recherche. Si la personne n'est pas inscrite, ajoutez-la ci-dessous.
ws-walk-in-title = Ajouter une personne venue sans inscription
ws-walk-in-help = Elle est ajoutée à la liste et marquée présente : elle compte comme entreprise sensibilisée.
ws-walk-in-submit = Ajouter et marquer présente
ws-walk-in-added = La personne est ajoutée et marquée présente.
ws-report-comments = Commentaires des participants
ws-report-comment-score = Satisfaction : { $count } / 5

## Annuaire
dir-syn-title = Synonymes de la recherche
dir-syn-intro = La recherche de l'annuaire trouve aussi les synonymes listés ici : « site internet » trouve les fiches qui parlent de « site web ». Les changements s'appliquent à la recherche suivante.
dir-syn-field = Liste des synonymes
dir-syn-hint = Une ligne par groupe, les expressions séparées par des virgules (« site internet, site web, webmaster »). Avec « => », la recherche ne s'élargit que dans un sens (« boulangerie => artisan, commerçant »). Les lignes qui commencent par # sont des commentaires. Accents, majuscules et pluriels sont ignorés.
dir-syn-save = Enregistrer la liste
dir-syn-reset = Revenir à la liste fournie
dir-syn-saved = La liste des synonymes est enregistrée.
dir-syn-shipped = La liste fournie avec Tremplin est en vigueur.
dir-syn-edited = La liste modifiée par le programme est en vigueur.
dir-syn-groups = { $count ->
    [one] 1 groupe.
   *[other] { $count } groupes.
}
dir-syn-errors = La liste n'est pas enregistrée : corrigez ces lignes.
dir-syn-alone = il faut au moins deux expressions (ou une flèche « => » suivie d'au moins une expression).
dir-syn-empty-phrase = une expression ne contient aucun mot utile à la recherche.
dir-syn-long-phrase = une expression a plus de 4 mots.
dir-syn-too-many-phrases = plus de 20 expressions sur la ligne.
dir-syn-too-many-lines = la liste dépasse 500 lignes.
dir-syn-link = Synonymes de la recherche
dir-next-title = Que faire maintenant ?
dir-next-remove-filter = Retirer le filtre « { $filter } »
dir-next-fewer-words = Essayer avec moins de mots, ou des mots plus courants (« site », « caisse », « comptable »).
dir-next-post-need = Publier votre besoin : les prestataires concernés sont prévenus et vous répondent
dir-next-ask-adviser = Demander conseil à un conseiller du programme
dir-send-need = Envoyer mon besoin à ce prestataire
need-target-notice = Ce besoin sera aussi envoyé à { $name } dès sa publication, en plus des prestataires qui correspondent.
footer-open-data = Données ouvertes :
footer-directory-csv = annuaire (CSV)
footer-directory-json = annuaire (JSON)

## Lien d'un partenaire
partner-landing-title = Bienvenue de la part de { $partner }
partner-landing-lead = { $partner } est partenaire du programme : un accompagnement gratuit pour que votre entreprise avance sur le numérique, à votre rythme.
partner-landing-first = Pour commencer : où en êtes-vous ?
partner-landing-diagnostic = Le diagnostic prend une dizaine de minutes, sans compte. Vous obtenez un score, une comparaison avec des entreprises comme la vôtre et un plan d'action dans l'ordre.
partner-landing-start = Faire mon diagnostic
partner-landing-then = Ensuite
partner-landing-workshops = Voir les ateliers près de chez vous
partner-landing-signup = Créer mon compte pour tout retrouver
dir-name-exists = Une fiche publique porte déjà le nom « { $name } ». Si c'est votre entreprise, demandez à la reprendre plutôt que d'en garder deux.
dir-name-exists-link = Voir cette fiche et la reprendre
dir-mail-claim-request-subject = Annuaire : demande de reprise de la fiche « { $name } »
dir-mail-claim-request-body = { $who } demande à gérer la fiche « { $name } ». Acceptez ou refusez la demande dans la modération de l'annuaire.
dir-admin-preview = Aperçu de la fiche telle qu'elle sera publiée
