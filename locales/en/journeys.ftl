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
