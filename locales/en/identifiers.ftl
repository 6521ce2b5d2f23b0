## Business identifiers (src/business/identifiers.rs)
## Every id below must also exist in locales/fr/identifiers.ftl.

## Countries
id-country-fr = France
id-country-be = Belgium
id-country-lu = Luxembourg
id-country-nc = New Caledonia

## Kinds of number
id-kind-siren = SIREN (France, 9 digits)
id-kind-siret = SIRET (France, 14 digits)
id-kind-be-enterprise = Enterprise number (Belgium, 10 digits)
id-kind-lu-rcs = RCS number (Luxembourg, one letter and up to 6 digits)
id-kind-lu-vat = VAT number (Luxembourg, LU and 8 digits)
id-kind-ridet = RIDET (New Caledonia, 7 digits and 3 digits)

## Input help
id-hint = Accepted formats: SIREN (9 digits) or SIRET (14 digits) for France, enterprise number (0123.456.789) for Belgium, RCS number (B123456) or VAT number (LU12345678) for Luxembourg, RIDET (1234567.001) for New Caledonia. Spaces and dots are fine.

## General errors
id-error-empty = Please enter your business number.
id-error-characters = This number contains unexpected characters. Use only digits and letters (spaces, dots and hyphens are fine).
id-error-unknown-kind = Please choose the kind of number from the list.

## SIREN
id-error-length-siren = A SIREN number has 9 digits.
id-error-checksum-siren = This SIREN number is not valid: the last digit (check digit) does not match. Please check it on your Kbis extract or INSEE registration notice.
id-error-format-siren = A SIREN number contains digits only, for example 123 456 789.

## SIRET
id-error-length-siret = A SIRET number has 14 digits: the 9 digits of the SIREN followed by 5 digits for the establishment.
id-error-checksum-siret = This SIRET number is not valid: the last digit (check digit) does not match. Please check it on your Kbis extract or INSEE registration notice.
id-error-format-siret = A SIRET number contains digits only, for example 123 456 789 00012.

## Belgium: enterprise number (BCE/KBO)
id-error-length-be-enterprise = A Belgian enterprise number has 10 digits, for example 0123.456.789 (or 9 digits for an old number).
id-error-checksum-be-enterprise = This enterprise number is not valid: the last two digits (check digits) do not match. Please check it in the Crossroads Bank for Enterprises (BCE/KBO).
id-error-format-be-enterprise = A Belgian enterprise number starts with 0 or 1 and contains digits only, optionally preceded by BE.

## Luxembourg: RCS number
id-error-length-lu-rcs = An RCS number is one letter followed by 1 to 6 digits, for example B123456.
# RCS numbers have no check digit: this message is not used for now.
id-error-checksum-lu-rcs = This RCS number is not valid. Please check it on your extract from the Trade and Companies Register.
id-error-format-lu-rcs = An RCS number starts with its section letter (A, B, C, D, E, F, G, H, J or K) followed by digits, for example B123456.

## Luxembourg: VAT number
id-error-length-lu-vat = A Luxembourg VAT number has 8 digits, optionally preceded by LU, for example LU12345678.
id-error-checksum-lu-vat = This VAT number is not valid: the last two digits (check digits) do not match. Please check it on your invoices or on letters from the Registration Duties, Estates and VAT Authority (AED).
id-error-format-lu-vat = A Luxembourg VAT number starts with LU followed by 8 digits, for example LU12345678.

## New Caledonia: RIDET
id-error-length-ridet = A RIDET number has 7 digits for the business then 3 digits for the establishment, for example 1234567.001.
# RIDET numbers have no check digit: this message is not used for now.
id-error-checksum-ridet = This RIDET number is not valid. Please check it on your RIDET registration notice from ISEE.
id-error-format-ridet = A RIDET number contains digits only, for example 1234567.001.
