## Journeys: workshops, directory, needs (what people ran into)

ws-about-title = What happens during the session
ws-what-awareness = One hour: about 40 minutes of presentation by the speaker, with examples of businesses like yours, then 20 minutes for your questions.
ws-what-halfday = Half a day (3 h 30) in a small group: demonstrations, examples from craftspeople and shopkeepers, exercises on your own business and time for your questions.
ws-what-custom = A presentation by the speaker, concrete examples and time for your questions.
ws-bring-title = What to bring
ws-bring = Your questions, and if you can your phone or a laptop to try things on the spot. No technical knowledge is needed.
ws-bring-online = A computer or a phone with an internet connection. The link to join is sent to you by e-mail after you register.
ws-price = Price
ws-free = Free, funded by the programme
ws-map-link = See on the map
ws-map-external = OpenStreetMap, another site
ws-suited-to = Especially suited to
ws-open-to-all = Open to every business, whatever its sector.
ws-you-are-registered = You are registered
ws-almost-registered = You are almost registered
ws-manage-mine = See my registration
ws-register-another = Register someone else
ws-register-again = Register again
ws-cancel-confirm-title = Cancel your registration?
ws-cancel-confirm-help = Your seat will be offered to the next person on the waiting list. You can register again while seats are left.
ws-cancel-confirm-yes = Yes, cancel my registration
ws-cancel-confirm-no = No, keep my seat
ws-status-held = Held
ws-series-created = { $count ->
    [one] 1 session created.
   *[other] { $count } sessions created.
}
ws-bulk-duration-invalid = The end or length of this line cannot be read: write for example 14:00-17:30 or 14:00 3h30.
ws-sectors-pick-hint = Tick the sectors the session is especially suited to; it stays open to everyone. Sectors are grouped by family.
ws-sectors-filter = Filter the sectors
ws-checkin-search = Find a person (name, e-mail, business)
ws-checkin-search-submit = Search
ws-checkin-search-clear = Show everyone
ws-checkin-no-match = Nobody matches this search. If the person did not register, add them below.
ws-walk-in-title = Add someone who came without registering
ws-walk-in-help = They are added to the list and marked present: they count as a business made aware.
ws-walk-in-submit = Add and mark present
ws-walk-in-added = The person was added and marked present.
ws-report-comments = Participants' comments
ws-report-comment-score = Satisfaction: { $count } / 5

## Directory
dir-syn-title = Search synonyms
dir-syn-intro = The directory search also finds the synonyms listed here: "site internet" finds the cards that say "site web". Changes apply to the next search.
dir-syn-field = Synonym list
dir-syn-hint = One group per line, phrases separated by commas ("site internet, site web, webmaster"). With "=>", the search widens one way only ("boulangerie => artisan, commerçant"). Lines starting with # are comments. Accents, capitals and plurals are ignored.
dir-syn-save = Save the list
dir-syn-reset = Back to the shipped list
dir-syn-saved = The synonym list is saved.
dir-syn-shipped = The list shipped with Tremplin is in force.
dir-syn-edited = The list edited by the programme is in force.
dir-syn-groups = { $count ->
    [one] 1 group.
   *[other] { $count } groups.
}
dir-syn-errors = The list is not saved: fix these lines.
dir-syn-alone = at least two phrases are needed (or an arrow "=>" followed by at least one phrase).
dir-syn-empty-phrase = a phrase holds no word the search can use.
dir-syn-long-phrase = a phrase has more than 4 words.
dir-syn-too-many-phrases = more than 20 phrases on the line.
dir-syn-too-many-lines = the list is longer than 500 lines.
dir-syn-link = Search synonyms
dir-next-title = What now?
dir-next-remove-filter = Remove the filter "{ $filter }"
dir-next-fewer-words = Try fewer words, or more common ones ("site", "caisse", "comptable").
dir-next-post-need = Post your need: the providers concerned are told and answer you
dir-next-ask-adviser = Ask an adviser of the programme
dir-send-need = Send my need to this provider
need-target-notice = This need will also be sent to { $name } once published, besides the providers that match.
footer-open-data = Open data:
footer-directory-csv = directory (CSV)
footer-directory-json = directory (JSON)

## A partner's link
partner-landing-title = Welcome, on behalf of { $partner }
partner-landing-lead = { $partner } is a partner of the programme: free support for your business to move forward with digital tools, at your pace.
partner-landing-first = To begin: where do you stand?
partner-landing-diagnostic = The diagnostic takes about ten minutes, without an account. You get a score, a comparison with businesses like yours and an ordered action plan.
partner-landing-start = Take my diagnostic
partner-landing-then = Then
partner-landing-workshops = See the workshops near you
partner-landing-signup = Create my account to keep everything
dir-name-exists = A public card is already named "{ $name }". If it is your business, ask to take it over rather than keeping two.
dir-name-exists-link = See this card and take it over
dir-mail-claim-request-subject = Directory: request to take over the card "{ $name }"
dir-mail-claim-request-body = { $who } asks to manage the card "{ $name }". Accept or refuse the request in the directory moderation.
dir-admin-preview = Preview of the card as it will be published
