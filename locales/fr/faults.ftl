# Faults found under test (issue 12): timeouts, encodings, dates in the past, outages.
error-timeout-title = Envoi trop lent
error-timeout-body = Les informations envoyées ne sont pas arrivées à temps. Vérifiez votre connexion et réessayez.
