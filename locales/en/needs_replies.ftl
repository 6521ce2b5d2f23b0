# Needs: a reply's amount, delay and quote; messages on a need; confirmations.
needr-amount = Indicative amount
needr-delay = Indicative delay
needr-quote = Attached quote
needr-amount-field = Indicative amount (in euros)
needr-delay-field = Indicative delay (in days)
needr-delay-hint = Days to deliver once agreed, for example 30.
needr-delay-days = { $count ->
    [one] { $shown } day
   *[other] { $shown } days
}
needr-delay-invalid = Enter a number of days between 1 and { $limit }, for example 30.
needr-quote-field = Quote (PDF or image)
needr-quote-hint = PDF, PNG or JPEG, { $limit } MB at most. A new file replaces the previous one; without a file, the quote already attached is kept.
needr-quote-mismatch = This file is not a PDF or a PNG or JPEG image (its content does not match its name).
needr-quote-too-large = The quote is larger than { $limit } MB.
needr-quote-empty = The chosen file is empty.
needr-side-business = The business
needr-side-provider = The provider
needr-side-adviser = The adviser
needr-thread-title = Messages with { $provider }
needr-thread-empty = No message yet. Ask your questions here: the other side is told by e-mail, and the business's adviser reads them too.
needr-message-label = Your message
needr-message-send = Send the message
needr-message-sent = Your message is sent; the other side is told by e-mail.
needr-message-closed = This need is closed: no one can write on it any more.
needr-message-no-thread = Messages are exchanged with a provider who replied to the need.
needr-mail-message-subject = { $from } wrote to you about “{ $title }”
needr-mail-message-intro = { $from } wrote a message about the need “{ $title }”:
needr-mail-message-link = Read and answer:
needr-close-title = Close the need “{ $title }”?
needr-close-body = Providers will no longer be able to reply or write messages. You can publish it again later.
needr-close-yes = Yes, close the need
needr-decline-title = Decline the reply from { $provider }?
needr-decline-body = { $provider } will be told by e-mail that their proposal is not retained.
needr-decline-yes = Yes, decline
ws-session-cancel-ask-title = Cancel the session “{ $title }” and tell everyone registered?
ws-session-cancel-ask-yes = Yes, cancel the session
# Communes: searching the official lists.
commune-search-title = Find a commune
commune-search-intro = Every commune of France (New Caledonia included) and Wallonia, from the official lists. Search by name (accents and hyphens are optional) or by postcode.
commune-search-label = Name or postcode
commune-search-button = Search
commune-search-count = { $count ->
    [0] No commune matches.
    [one] { $shown } commune found
   *[other] { $shown } communes found
}
commune-col-name = Commune
commune-col-postcodes = Postcodes
commune-col-code = Official code
commune-search-copy = In a form, type the commune's name and its postcode, for example “Saint-Émilion (33330)”.
commune-search-sources = Sources: INSEE, Découpage administratif (Licence Ouverte); Statbel (CC BY 4.0).
commune-field-hint = Type the name or the postcode, for example “Saint-Émilion” or “33330”.
commune-field-link = Find a commune
