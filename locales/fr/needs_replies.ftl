# Besoins : montant, délai et devis d'une réponse ; messages sur un besoin ; confirmations.
needr-amount = Montant indicatif
needr-delay = Délai indicatif
needr-quote = Devis joint
needr-amount-field = Montant indicatif (en euros)
needr-delay-field = Délai indicatif (en jours)
needr-delay-hint = Nombre de jours pour livrer après l'accord, par exemple 30.
needr-delay-days = { $count ->
    [one] { $shown } jour
   *[other] { $shown } jours
}
needr-delay-invalid = Indiquez un nombre de jours entre 1 et { $limit }, par exemple 30.
needr-quote-field = Devis (PDF ou image)
needr-quote-hint = PDF, PNG ou JPEG, { $limit } Mo au plus. Un nouveau fichier remplace le précédent ; sans fichier, le devis déjà joint est gardé.
needr-quote-mismatch = Ce fichier n'est pas un PDF ou une image PNG ou JPEG (son contenu ne correspond pas à son nom).
needr-quote-too-large = Le devis dépasse { $limit } Mo.
needr-quote-empty = Le fichier choisi est vide.
needr-side-business = L'entreprise
needr-side-provider = Le prestataire
needr-side-adviser = Le conseiller
needr-thread-title = Messages avec { $provider }
needr-thread-empty = Aucun message pour le moment. Posez vos questions ici : l'autre partie est prévenue par courriel, et le conseiller de l'entreprise les lit aussi.
needr-message-label = Votre message
needr-message-send = Envoyer le message
needr-message-sent = Votre message est envoyé ; l'autre partie est prévenue par courriel.
needr-message-closed = Ce besoin est clos : on ne peut plus y écrire.
needr-message-no-thread = Les messages s'échangent avec un prestataire qui a répondu au besoin.
needr-mail-message-subject = { $from } vous écrit au sujet de « { $title } »
needr-mail-message-intro = { $from } a écrit un message au sujet du besoin « { $title } » :
needr-mail-message-link = Lire et répondre :
needr-close-title = Clore le besoin « { $title } » ?
needr-close-body = Les prestataires ne pourront plus répondre ni écrire de messages. Vous pourrez le publier à nouveau plus tard.
needr-close-yes = Oui, clore le besoin
needr-decline-title = Décliner la réponse de { $provider } ?
needr-decline-body = { $provider } sera prévenu par courriel que sa proposition n'est pas retenue.
needr-decline-yes = Oui, décliner
ws-session-cancel-ask-title = Annuler la séance « { $title } » et prévenir les inscrits ?
ws-session-cancel-ask-yes = Oui, annuler la séance
# Communes : la recherche dans les listes officielles.
commune-search-title = Trouver une commune
commune-search-intro = Toutes les communes de France (Nouvelle-Calédonie comprise) et de Wallonie, d'après les listes officielles. Cherchez par nom (les accents et les tirets sont facultatifs) ou par code postal.
commune-search-label = Nom ou code postal
commune-search-button = Rechercher
commune-search-count = { $count ->
    [0] Aucune commune ne correspond.
    [one] { $shown } commune trouvée
   *[other] { $shown } communes trouvées
}
commune-col-name = Commune
commune-col-postcodes = Codes postaux
commune-col-code = Code officiel
commune-search-copy = Dans un formulaire, tapez le nom de la commune et son code postal, par exemple « Saint-Émilion (33330) ».
commune-search-sources = Sources : INSEE, Découpage administratif (Licence Ouverte) ; Statbel (CC BY 4.0).
commune-field-hint = Tapez le nom ou le code postal, par exemple « Saint-Émilion » ou « 33330 ».
commune-field-link = Chercher une commune
