# Faults found under test (issue 12): timeouts, encodings, dates in the past, outages.
error-timeout-title = Envoi trop lent
error-timeout-body = Les informations envoyées ne sont pas arrivées à temps. Vérifiez votre connexion et réessayez.
ws-date-past = Cette date est déjà passée : une séance se programme à une date et une heure à venir.
ws-date-too-far = Cette date est trop lointaine : une séance se programme au plus { $limit } ans à l'avance. Vérifiez l'année.
error-encoding-title = Caractères illisibles
error-encoding-body = Le champ « { $field } » contient des caractères qui ne sont pas de l'UTF-8 valide : rien n'a été enregistré. Retapez ce texte (sans le coller depuis un ancien logiciel) et renvoyez le formulaire.
dir-claim-kept-help = Cette fiche est déjà tenue par un membre. Votre demande ne vous la confie pas directement : l'équipe du programme la vérifie avec vous et avec ce membre avant de décider.
dir-claim-sent-kept = Demande transmise à l'équipe du programme : cette fiche étant déjà tenue par un membre, elle vérifiera votre demande avec lui avant de décider.
dir-admin-claim-kept = { $count ->
    [one] Fiche déjà tenue par { $count } membre : vérifiez avec lui avant d'accepter (accepter ajoute un membre, sans retirer l'actuel).
   *[other] Fiche déjà tenue par { $count } membres : vérifiez avec eux avant d'accepter (accepter ajoute un membre, sans retirer les actuels).
}
csv-too-large = { $limit ->
    [one] Le fichier est trop volumineux : la limite est de { $limit } Mo. Découpez-le en plusieurs fichiers et importez-les l'un après l'autre.
   *[other] Le fichier est trop volumineux : la limite est de { $limit } Mo. Découpez-le en plusieurs fichiers et importez-les l'un après l'autre.
}
kept-form-notice = Le service est momentanément indisponible : rien n'a encore été enregistré. Ce que vous avez saisi est conservé ci-dessous ; renvoyez-le dans quelques instants.
kept-form-password = Pour votre sécurité, les mots de passe ne sont pas conservés : retapez-les ci-dessous.
kept-form-retry = Renvoyer
