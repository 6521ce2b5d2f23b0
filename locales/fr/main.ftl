## Navigation and layout
nav-skip = Aller au contenu
nav-main = Navigation principale
nav-language = Langue
nav-home = Accueil
nav-contact = Contact
footer-operator = Programme porté par { $operator }
footer-open-source = Tremplin, logiciel libre
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
