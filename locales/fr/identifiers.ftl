## Identifiants d'entreprise (src/business/identifiers.rs)
## Chaque identifiant ci-dessous doit aussi exister dans locales/en/identifiers.ftl.

## Pays
id-country-fr = France
id-country-be = Belgique
id-country-lu = Luxembourg
id-country-nc = Nouvelle-Calédonie

## Types de numéro
id-kind-siren = SIREN (France, 9 chiffres)
id-kind-siret = SIRET (France, 14 chiffres)
id-kind-be-enterprise = Numéro d'entreprise BCE (Belgique, 10 chiffres)
id-kind-lu-rcs = Numéro RCS (Luxembourg, une lettre et jusqu'à 6 chiffres)
id-kind-lu-vat = Numéro de TVA (Luxembourg, LU et 8 chiffres)
id-kind-ridet = RIDET (Nouvelle-Calédonie, 7 chiffres et 3 chiffres)

## Aide à la saisie
id-hint = Formats acceptés : SIREN (9 chiffres) ou SIRET (14 chiffres) pour la France, numéro d'entreprise (0123.456.789) pour la Belgique, numéro RCS (B123456) ou de TVA (LU12345678) pour le Luxembourg, RIDET (1234567.001) pour la Nouvelle-Calédonie. Les espaces et les points sont acceptés.

## Erreurs générales
id-error-empty = Indiquez le numéro de votre entreprise.
id-error-characters = Ce numéro contient des caractères inattendus. Utilisez uniquement des chiffres et des lettres (les espaces, points et tirets sont acceptés).
id-error-unknown-kind = Choisissez le type de numéro dans la liste.

## SIREN
id-error-length-siren = Le numéro SIREN doit comporter 9 chiffres.
id-error-checksum-siren = Ce numéro SIREN n'est pas valide : le dernier chiffre (clé de contrôle) ne correspond pas. Vérifiez-le sur votre extrait Kbis ou avis de situation INSEE.
id-error-format-siren = Le numéro SIREN ne contient que des chiffres, par exemple 123 456 789.

## SIRET
id-error-length-siret = Le numéro SIRET doit comporter 14 chiffres : les 9 chiffres du SIREN suivis des 5 chiffres de l'établissement.
id-error-checksum-siret = Ce numéro SIRET n'est pas valide : le dernier chiffre (clé de contrôle) ne correspond pas. Vérifiez-le sur votre extrait Kbis ou avis de situation INSEE.
id-error-format-siret = Le numéro SIRET ne contient que des chiffres, par exemple 123 456 789 00012.

## Belgique : numéro d'entreprise (BCE)
id-error-length-be-enterprise = Le numéro d'entreprise belge doit comporter 10 chiffres, par exemple 0123.456.789 (ou 9 chiffres pour un ancien numéro).
id-error-checksum-be-enterprise = Ce numéro d'entreprise n'est pas valide : les deux derniers chiffres (clé de contrôle) ne correspondent pas. Vérifiez-le dans la Banque-Carrefour des Entreprises (BCE).
id-error-format-be-enterprise = Le numéro d'entreprise belge commence par 0 ou 1 et ne contient que des chiffres, éventuellement précédés de BE.

## Luxembourg : numéro RCS
id-error-length-lu-rcs = Le numéro RCS comporte une lettre suivie de 1 à 6 chiffres, par exemple B123456.
# Le numéro RCS n'a pas de clé de contrôle : ce message n'est pas utilisé pour l'instant.
id-error-checksum-lu-rcs = Ce numéro RCS n'est pas valide. Vérifiez-le sur votre extrait du Registre de commerce et des sociétés.
id-error-format-lu-rcs = Le numéro RCS commence par la lettre de la section (A, B, C, D, E, F, G, H, J ou K) suivie de chiffres, par exemple B123456.

## Luxembourg : numéro de TVA
id-error-length-lu-vat = Le numéro de TVA luxembourgeois doit comporter 8 chiffres, éventuellement précédés de LU, par exemple LU12345678.
id-error-checksum-lu-vat = Ce numéro de TVA n'est pas valide : les deux derniers chiffres (clé de contrôle) ne correspondent pas. Vérifiez-le sur vos factures ou vos courriers de l'Administration de l'enregistrement (AED).
id-error-format-lu-vat = Le numéro de TVA luxembourgeois commence par LU suivi de 8 chiffres, par exemple LU12345678.

## Nouvelle-Calédonie : RIDET
id-error-length-ridet = Le numéro RIDET comporte 7 chiffres pour l'entreprise puis 3 chiffres pour l'établissement, par exemple 1234567.001.
# Le RIDET n'a pas de clé de contrôle : ce message n'est pas utilisé pour l'instant.
id-error-checksum-ridet = Ce numéro RIDET n'est pas valide. Vérifiez-le sur votre avis d'inscription au RIDET délivré par l'ISEE.
id-error-format-ridet = Le numéro RIDET ne contient que des chiffres, par exemple 1234567.001.
