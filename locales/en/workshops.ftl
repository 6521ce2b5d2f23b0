# Workshops

## Navigation
nav-workshops = Workshops
nav-admin-workshops = Manage workshops
nav-speaker = My sessions
nav-dashboard = Dashboard

## Dates
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Formats and statuses
ws-format-awareness = Awareness session (1 hour)
ws-format-halfday = Collective workshop (half a day, 3h30)
ws-format-custom = Other length
ws-status-scheduled = Scheduled
ws-status-cancelled = Cancelled
ws-reg-pending = Waiting for the e-mail address to be confirmed
ws-reg-confirmed = Registration confirmed
ws-reg-offered = Seat offered: to accept
ws-reg-waiting = On the waiting list
ws-reg-cancelled = Cancelled
ws-reg-expired = Expired
ws-reg-waiting-position = On the waiting list, position { $shown }
ws-attendance-present = Present
ws-attendance-absent = Absent
ws-attendance-excused = Excused
ws-attendance-none = Not checked in
ws-request-open = To handle
ws-request-done = Handled
ws-delivery-on-site = On site
ws-delivery-online = Online
ws-source-web = Public form
ws-source-account = Signed-in account
ws-source-staff = Programme staff
ws-source-api = API
ws-scale-1 = 1 — Not at all
ws-scale-2 = 2 — A little
ws-scale-3 = 3 — Somewhat
ws-scale-4 = 4 — A lot
ws-scale-5 = 5 — Completely

## Agenda
ws-agenda-title = Workshop agenda
ws-past-title = Past workshops
ws-agenda-intro = Short, practical sessions near you. Registration is free; seats are limited and a waiting list takes over when a session is full.
ws-upcoming-link = See upcoming workshops
ws-past-link = See past workshops and their slides
ws-feed-link = Subscribe to the calendar (iCal)
ws-filters = Filter workshops
ws-field-theme = Theme
ws-field-territory = Territory
ws-field-sector = Sector
ws-field-format = Format
ws-field-from = From
ws-field-to = To
ws-any = All
ws-choose = Choose…
ws-filter-submit = Filter
ws-bad-date = A filter date was not understood: use the YYYY-MM-DD format. It was ignored.
ws-count = { $count ->
    [0] No session matches.
    [one] { $shown } session
   *[other] { $shown } sessions
}
ws-none = No session for now.
ws-none-yet = No data yet.
ws-seats-left = { $count ->
    [one] { $shown } seat left
   *[other] { $shown } seats left
}
ws-full = Full — waiting list open
ws-full-waiting = join the waiting list, it moves up by itself
ws-with-partner = with { $partner }
ws-slides-link = Download the slides
ws-pagination = Agenda pages
ws-prev = Previous page
ws-next = Next page
ws-page-of = Page { $page } of { $pages }

## Session page
ws-back-agenda = Back to the agenda
ws-when = When
ws-where = Where
ws-online = Online
ws-online-after-booking = The link to join is sent with the registration confirmation.
ws-speakers = Speakers
ws-partner = Co-organised with
ws-sectors = Target sectors
ws-seats = Seats
ws-add-calendar = Add to my calendar (.ics)
ws-session-cancelled = This session is cancelled.
ws-cancel-reason = Reason
ws-register-title = Register
ws-join-waiting = Join the waiting list
ws-register-anonymous-hint = You will receive an e-mail to confirm your address: your registration counts as soon as you follow the link.
ws-register-colleague-hint = You can register someone else from your business by changing the name and e-mail address.
ws-field-name = Full name
ws-field-email = E-mail address
ws-field-business = Business
ws-consent = I agree that the programme team uses my details to manage my registration, remind me of the session and ask for my feedback afterwards. They are not passed on to anyone else.
ws-register-submit = Confirm my registration
ws-join-waiting-submit = Join the waiting list
ws-registered-pending = Almost done: we have just sent you an e-mail. Follow the link in it to confirm your registration.
ws-registered-confirmed = Your registration is confirmed. You will receive an e-mail with an invitation to add to your calendar.
ws-registered-waiting = The session is full: you are on the waiting list. If a seat frees up, it will be offered to you by e-mail.
ws-already-registered = This e-mail address is already registered for this session. Find your registration through the link you received by e-mail.
ws-closed-cancelled = This session was cancelled: registrations are closed.
ws-closed-started = Registrations are closed: the session has already started or is over.

## Private link
ws-manage-title = My registration
ws-manage-for = Registration of { $name }
ws-status = Status
ws-confirm-button = Confirm my registration
ws-offer-until = A seat has freed up for you. It is held for you until { $expires }.
ws-accept-button = I accept the seat
ws-decline-button = I cannot come
ws-cancel-title = Can no longer come?
ws-cancel-help = Cancel your registration: your seat will be offered to the next person on the waiting list.
ws-cancel-button = Cancel the registration
ws-feedback-link = Give my feedback on the session
ws-done-confirm = Done: your address is confirmed.
ws-done-cancel = Your registration is cancelled. Thank you for letting us know.
ws-done-decline = Noted: the seat is offered to the next person.
ws-done-accept = Your seat is confirmed. See you soon!
ws-done-already = Nothing to do: this was already recorded.
ws-done-closed = This is no longer possible: the session has started, was cancelled or the offer expired.

## Feedback
ws-feedback-title = Your feedback on the session
ws-feedback-satisfaction = Are you satisfied with the session?
ws-feedback-usefulness = Will the session be useful for your business?
ws-feedback-themes = Which themes would you like at the next workshops?
ws-feedback-comment = A comment, a suggestion?
ws-feedback-coaching = I would like individual coaching from an adviser
ws-feedback-submit = Send my feedback
ws-feedback-thanks = Thank you! Your feedback helps plan the next workshops.
ws-feedback-already = You have already given your feedback on this session: thank you! It counts only once.
ws-feedback-not-yet = The questionnaire opens after the session, for the people who attended.
ws-feedback-choose = Choose a score from 1 to 5.
ws-feedback-too-many-themes = Choose at most { $limit } themes.

## Mails
ws-mail-manage-link = To see or cancel your registration:
ws-mail-confirm-link = To confirm your registration, open this link then click "Confirm":
ws-mail-offer-link = To accept the seat, open this link:
ws-mail-feedback-link = Two minutes to give us your feedback:
ws-mail-session-page = Session page:
ws-mail-confirm-address-subject = Confirm your registration: { $title }
ws-mail-confirm-address-body = You asked to register for the workshop "{ $title }". Confirm your address to book your seat.
ws-mail-confirmed-subject = Registration confirmed: { $title }
ws-mail-confirmed-body = Your seat is booked for the workshop "{ $title }". The attached invitation adds it to your calendar.
ws-mail-waiting-subject = Waiting list: { $title }
ws-mail-waiting-body = The workshop "{ $title }" is full: you are on the waiting list. If a seat frees up, it will be offered to you by e-mail.
ws-mail-offered-subject = A seat has freed up: { $title }
ws-mail-offered-body = A seat has freed up for the workshop "{ $title }". It is held for you until { $expires }; after that, it goes to the next person.
ws-mail-lapsed-subject = Seat not taken: { $title }
ws-mail-lapsed-body = The seat offered for the workshop "{ $title }" was not accepted in time; it has been offered to the next person.
ws-mail-cancelled-subject = Registration cancelled: { $title }
ws-mail-cancelled-body = Your registration for the workshop "{ $title }" is cancelled. Thank you for letting us know.
ws-mail-changed-subject = Workshop changed: { $title }
ws-mail-changed-body = The date, time or place of the workshop "{ $title }" has changed. Here are the new details; the attached invitation updates your calendar.
ws-mail-session-cancelled-subject = Workshop cancelled: { $title }
ws-mail-session-cancelled-body = We are sorry: the workshop "{ $title }" is cancelled. Find the next sessions in the agenda.
ws-mail-reminder-subject = Reminder: { $title }
ws-mail-reminder-body = We look forward to seeing you soon at the workshop "{ $title }".
ws-mail-feedback-subject = Your feedback on the workshop: { $title }
ws-mail-feedback-body = Thank you for coming to the workshop "{ $title }". Your feedback helps us choose the next themes.

## Programme manager
ws-admin-title = Workshops
ws-admin-new = New session
ws-admin-bulk = Create a series of sessions
ws-admin-create = Create the session
ws-admin-upcoming = Upcoming
ws-admin-past = Past
ws-admin-registrations = Registrations
ws-admin-duplicate = Duplicate
ws-admin-public-page = See the public page
ws-admin-created = The session is created. It appears in the public agenda.
ws-admin-saved = Changes saved.
ws-admin-saved-told = { $count ->
    [0] Changes saved.
    [one] Changes saved: { $shown } registrant was told by e-mail.
   *[other] Changes saved: { $shown } registrants were told by e-mail.
}
ws-admin-cancelled = { $count ->
    [0] The session is cancelled.
    [one] The session is cancelled: { $shown } registrant was told by e-mail.
   *[other] The session is cancelled: { $shown } registrants were told by e-mail.
}
ws-admin-cancel-title = Cancel the session
ws-admin-cancel-help = { $count ->
    [0] Nobody has registered yet.
    [one] { $shown } registered person will be told by e-mail.
   *[other] The { $shown } registered people will be told by e-mail.
}
ws-admin-cancel-button = Cancel the session and tell registrants
ws-admin-seats = { $taken } seats taken out of { $capacity }
ws-waiting-count = { $count ->
    [0] nobody on the waiting list
    [one] { $shown } person on the waiting list
   *[other] { $shown } people on the waiting list
}
ws-field-capacity = Number of seats
ws-field-partner = Co-organising partner
ws-field-title-fr = Session title (French)
ws-field-title-en = Session title (English)
ws-field-description-fr = Description (French)
ws-field-description-en = Description (English)
ws-field-date = Date
ws-field-start = Start time
ws-field-end = End time
ws-end-hint = Left empty, the end time follows the format: 1 hour for an awareness session, 3h30 for a half-day.
ws-field-venue = Venue (room, building)
ws-field-address = Address
ws-field-commune = Commune
ws-online-only = Online only
ws-field-online = Video-conference link
ws-field-planned = Planned coaching requests
ws-sectors-hint = Hold Ctrl (or Cmd) to pick several.
ws-capacity-invalid = Enter a number of seats between 1 and 10,000.
ws-capacity-below-taken = { $limit ->
    [one] { $limit } seat is already taken: the capacity cannot be lower.
   *[other] { $limit } seats are already taken: the capacity cannot be lower.
}
ws-time-invalid = Enter a time as HH:MM, for example 09:30.
ws-end-required = Give the end time of a session of custom length.
ws-end-before-start = The end time must be after the start time.
ws-url-invalid = Enter a full web address, for example https://video.example.org/workshop.
ws-place-required = Choose a commune, or give a video-conference link for an online session.
ws-edit-cancelled = This session is cancelled: it can no longer be edited. Duplicate it to reschedule.
ws-edit-conflict = Someone else changed this session while you were editing it. What you typed is kept below: check it and save again.
ws-bulk-intro = The same theme in several communes, on several dates: one line per session.
ws-bulk-lines = Sessions
ws-bulk-lines-hint = One line per session: date and time (with an end or a length if needed); commune; venue; address. For example: 2027-01-14 09:00-12:30 ; Libourne ; Town hall, room 2 ; 42 place Abel Surchamp, or 2027-01-21 14:00 1h30 ; Coutras. Without a time, the start and end times above apply; with a start time only, the session keeps the same length.
ws-bulk-submit = Create the sessions
ws-bulk-empty = Give at least one session.
ws-bulk-too-many = At most { $limit } sessions at once.
ws-bulk-commune-unknown = Unknown commune: give its exact name or code.
ws-bulk-line = Line { $shown }:
ws-bulk-line-errors = { $limit ->
    [one] One line needs fixing: no session was created.
   *[other] { $limit } lines need fixing: no session was created.
}
ws-no-registrations = Nobody has registered yet.
ws-promote = Give the seat
ws-staff-add = Register someone
ws-staff-add-submit = Register
ws-staff-done-promote = The person got a seat and is told by e-mail.
ws-staff-done-cancel = The registration is cancelled; the seat is offered to the next person.
ws-staff-done-add = The person is registered and received an e-mail.
ws-staff-done-full = No free seat: the person stays on the waiting list.
ws-staff-done-already = Nothing to do: it was already so.
ws-staff-done-closed = This is no longer possible: the session has started or was cancelled.
ws-staff-done-linked = The registration is attached to the business in the register: it now counts with its territory, sector and partner.
ws-staff-done-unlinked = The registration is no longer attached to a business in the register.
ws-link-title = Attach to the register
ws-link-intro = A business that came to a workshop counts as made aware. Attached to its record in the register, it is counted once, with its territory, sector and partner.
ws-link-typed = Business given
ws-link-current = Attached to
ws-link-unlink = Detach
ws-link-suggestions = Likely businesses (same e-mail address or same name)
ws-link-search = Search the register
ws-link-search-label = Name, SIREN or address
ws-link-search-submit = Search
ws-link-results = { $count ->
    [0] No business found
    [one] { $count } business found
   *[other] { $count } businesses found
}
ws-link-none = No business in the register matches.
ws-link-create = Add the business to the register
ws-link-button = Attach
ws-link-button-for = Attach to { $name }
ws-link-action = Attach to the register
ws-link-change = Attachment
ws-link-in-register = (register record)
ws-export-sessions-csv = Sessions (CSV)
ws-export-sessions-xlsx = Sessions (Excel)
ws-export-regs-csv = Registrations and attendance (CSV)
ws-export-regs-xlsx = Registrations and attendance (Excel)
ws-sheet-sessions = Sessions
ws-sheet-registrations = Registrations
ws-col-id = No.
ws-col-session = Session
ws-col-date = Date
ws-col-start = Start
ws-col-end = End
ws-col-theme = Theme
ws-col-title = Title
ws-col-format = Format
ws-col-commune = Commune
ws-col-venue = Venue
ws-col-partner = Partner
ws-col-capacity = Seats
ws-col-confirmed = Registered
ws-col-waiting = Waiting list
ws-col-present = Present
ws-col-absent = Absent
ws-col-excused = Excused
ws-col-status = Status
ws-col-name = Name
ws-col-email = E-mail
ws-col-business = Business
ws-col-wait = Waiting rank
ws-col-attendance = Attendance
ws-col-registered = Registered on
ws-col-source = Source
ws-col-message = Message

## Speakers
ws-speaker-title = My sessions
ws-checkin-title = Check attendance
ws-checkin-count = { $present } present out of { $total } registered
ws-participants = { $count ->
    [0] No registered participant
    [one] { $shown } registered participant
   *[other] { $shown } registered participants
}
ws-sheet-title = Attendance sheet
ws-sheet-signature = Signature
ws-slides-title = Slides
ws-slides-current = Slides online:
ws-slides-file = PDF file
ws-slides-hint = A PDF of at most 20 MB. It appears on the session's public page.
ws-slides-submit = Upload the slides
ws-slides-saved = The slides are online on the session page.
ws-slides-missing = Choose a PDF file.
ws-slides-not-pdf = This file is not a PDF. Save your presentation as PDF and try again.
ws-slides-too-large = The file is larger than { $limit } MB.

## Figures
ws-dashboard-title = Dashboard
ws-dashboard-aware = Businesses made aware
ws-dashboard-target = Target: { $target } ({ $percent } % reached)
ws-dashboard-sessions = Sessions held
ws-dashboard-attendees = { $count ->
    [one] { $shown } participant present
   *[other] { $shown } participants present
}
ws-dashboard-coaching = Coaching requests
ws-dashboard-conversion = { $percent } % of the businesses made aware
ws-dashboard-by-territory = By territory
ws-dashboard-by-sector = By sector
ws-dashboard-by-partner = By partner
ws-dashboard-by-month = By month
ws-unknown = Not given
ws-no-partner = No partner
ws-report-title = Workshop report
ws-report-intro = Response rate, satisfaction and coaching requests per session and per theme, and the themes asked for next, by territory.
ws-report-by-theme = By theme
ws-report-by-session = By session
ws-report-responses = Responses
ws-report-satisfaction = Satisfaction (out of 5)
ws-report-usefulness = Usefulness (out of 5)
ws-report-coaching = Coaching: actual / planned
ws-report-coaching-vs = { $actual } / { $planned }
ws-report-sessions = { $count ->
    [one] { $shown } session
   *[other] { $shown } sessions
}
ws-report-wanted = Themes asked for the next workshops
ws-report-votes = { $count ->
    [one] { $shown } request
   *[other] { $shown } requests
}
ws-coaching-title = Coaching requests
ws-coaching-intro = Participants who asked for individual coaching in the end-of-workshop questionnaire.
