# Entrées refusées avant tout traitement (src/web/input.rs, src/csvio.rs).
input-nul-title = Caractère interdit
input-nul-field = Le champ « { $field } » contient un caractère nul (octet 0), qui n'est pas accepté. Retirez-le puis réessayez.
csv-nul-byte = Ligne { $line } : la colonne « { $column } » contient un caractère nul (octet 0), qui n'est pas accepté. Corrigez le fichier puis réessayez.
