# Input refused before any processing (src/web/input.rs, src/csvio.rs).
input-nul-title = Forbidden character
input-nul-field = The field “{ $field }” contains a null character (byte 0), which is not accepted. Remove it and try again.
csv-nul-byte = Line { $line }: the column “{ $column }” contains a null character (byte 0), which is not accepted. Fix the file and try again.
