# Follow-up files, coaching inbox, a home for every role.

case-title = Follow-up file
case-list-title = Follow-up files
case-new-title = Open a file
case-exports = Exports:
case-none = No file yet.
case-filters = Filter
case-filter-open = Open files
case-filter-mine = My files
case-filter-all = All, closed included
case-col-business = Business
case-col-template = Template
case-col-adviser = Adviser
case-col-status = Status
case-col-opened = Opened
case-col-due = Due
case-overdue = Overdue
case-overdue-count = { $count ->
    [one] { $count } overdue activity
   *[other] { $count } overdue activities
}
case-no-template = No template
case-nobody = Nobody
case-template-hint = The template plans activities from the opening date (for example D+0, D+30, D+60).
case-open-submit = Open the file
case-opened = File opened: the template's activities are planned.
case-saved = Saved.
case-field-business = Business
case-field-template = Case template
case-field-origin = Origin
case-field-adviser = Adviser in charge
case-field-opened-on = Opening date
case-field-summary = Purpose of the coaching
case-field-outcome = Outcome
case-outcome-hint = (required to close)
case-file-form = File follow-up
case-save = Save
case-contributors = Contributors
case-edit-conflict = Someone changed this file while you were typing. What you typed is kept below; check the current version, then save again.
case-activities = Activities
case-no-activity = No activity yet.
case-add-activity = Add an activity
case-field-kind = Kind
case-field-title = Title
case-field-date = Date (done)
case-field-due = Due date (planned)
case-date-hint = Give the date if the activity took place, or a due date if it is planned.
case-field-time = Time
case-field-minutes = Length (minutes)
case-field-place = Place
case-online = Online
case-field-attendees = Attendees
case-attendees-list = Attendees: { $names }
case-field-body = Report
case-observations = Observations per dimension (audit report)
case-observations-hint = Only filled in for an audit report.
case-share-with-owner = Share with the business
case-shared = shared with the business
case-private = internal
case-note-private = A note always stays internal to the team.
case-due-on = due { $when }
case-edits = { $count ->
    [one] edited once
   *[other] edited { $count } times
}
case-created-by = Created by { $name }
case-revisions = Previous versions
case-no-revision = Never edited.
case-replaced-by = Replaced by { $name }
case-documents = Documents
case-no-document = No document.
case-document-file = File
case-document-hint = PDF, PNG, JPEG, DOCX, XLSX, ODT or ODS, 5 MB at most.
case-upload = Upload the document
case-hours = Coaching hours
case-field-funder = Funder
case-field-planned = Hours planned
case-field-delivered = Hours delivered
case-field-amount = Amount
case-field-reference = Funder's reference
case-add-hours = Record the hours
case-total-for = Total { $funder }
case-plan = Action plan
case-plan-none = No plan: the business has no diagnostic yet.
case-plan-progress = { $done } of { $total } step(s) done
case-step-done-on = done on { $day }
case-step-tick = Mark as done
case-step-undo = Undo
case-gain = Progress from T0 to T1
case-gain-none = No follow-up diagnostic (T1) since the opening yet.
case-gain-col = Gain
case-dimension = Dimension
case-t1-proposal = The file is closing: propose a follow-up diagnostic (T1) to measure the progress.
case-t1-start = Start the assisted T1 diagnostic
case-timeline = The business's history
case-history = Audit trail
case-assignments = Advisers in charge
case-by = by { $name }
case-reads = Latest reads
case-templates-title = Case templates
case-templates-intro = Each template plans its activities from the file's opening. Files already open keep their planning.
case-template-step = D+{ $offset }: { $kind } — { $title }
case-field-title-fr = Title (French)
case-field-title-en = Title (English)
case-field-steps = Steps
case-steps-hint = One step per line: offset in days;kind;French title;English title;minutes. Kinds: audit, meeting, call, closing. Example: 30;meeting;Rendez-vous de suivi;Follow-up meeting;60
case-owner-title = My coaching
case-owner-no-business = Your account is not linked to a business.
case-owner-none = You have no follow-up file yet. Ask for coaching:
case-owner-adviser = Your adviser: { $name }
case-owner-opened = opened { $when }
case-owner-next = Next meeting: { $when }

case-status-to-qualify = To qualify
case-status-active = In progress
case-status-paused = On hold
case-status-closed = Closed
case-outcome-goals-met = Goals met
case-outcome-referred-elsewhere = Referred elsewhere
case-outcome-abandoned = Abandoned
case-outcome-unreachable = Unreachable
case-origin-coaching-request = Coaching request
case-origin-assisted-diagnostic = Assisted diagnostic
case-origin-contact-message = Contact message
case-origin-partner-referral = Referred by a partner
case-origin-manual = Entered directly
case-kind-note = Internal note
case-kind-meeting = Meeting
case-kind-call = Call
case-kind-audit = Audit report
case-kind-closing = Closing
case-funder-fafcea = FAFCEA
case-funder-opco = OPCO
case-funder-region = Region
case-funder-programme = Programme budget
case-dim-strategy = Digital business strategy
case-dim-readiness = Digital readiness
case-dim-human = Human-centric digitalisation
case-dim-data = Data management
case-dim-automation = Automation and AI
case-dim-green = Green digitalisation

case-bad-business = Choose the business being coached.
case-bad-template = This template does not exist or is no longer offered.
case-bad-adviser = Choose an adviser of the team.
case-bad-outcome = This outcome does not exist.
case-outcome-required = To close the file, give its outcome.
case-bad-date = Invalid date: write it as 2027-01-21 or 21/01/2027.
case-bad-time = Invalid time: write it as 14:30.
case-date-required = Give the activity's date or its due date.
case-due-before-opening = The due date cannot be before the file's opening.
case-bad-kind = Choose the kind of activity.
case-bad-minutes = The length must be a number of minutes between 0 and { $limit }.
case-meeting-minutes = Give the meeting's length.
case-meeting-overlap = This meeting overlaps another meeting of the same adviser.
case-bad-funder = Choose the funder.
case-bad-hours = Hours must be between 0 and { $limit } (for example 3.5).
case-hours-required = Give hours planned or delivered.
case-bad-amount = Invalid amount: write for example 315 or 315.50.
case-bad-url = The link must start with https:// or http://.
case-bad-step = A step is badly written: offset;kind;French title;English title;minutes.
case-steps-required = A template has at least one step.
case-doc-missing = Choose a file to upload.
case-doc-too-large = The file is larger than { $limit } MB.
case-doc-mismatch = The file's content does not match its name (or this format is not accepted: PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS).

case-ev-diagnostic = Diagnostic
case-ev-score = score { $score }/100
case-ev-registration = Registered for the workshop "{ $theme }"
case-ev-attendance = Workshop "{ $theme }"
case-ev-feedback = Feedback on the workshop "{ $theme }"
case-ev-satisfaction = satisfaction { $score }/5
case-ev-request = Coaching request
case-ev-need = Need posted: { $title }
case-ev-replies = { $count ->
    [one] { $count } reply
   *[other] { $count } replies
}
case-ev-referral = Referred to { $body }
case-ev-referral-answer = Answer from { $body }
case-ev-reg-pending = to confirm
case-ev-reg-confirmed = confirmed
case-ev-reg-offered = seat offered
case-ev-reg-waiting = waiting list
case-ev-reg-cancelled = cancelled
case-ev-reg-expired = expired
case-ev-att-present = present
case-ev-att-absent = absent
case-ev-att-excused = excused

referral-title = Referrals
referral-none = No referral.
referral-body = Partner body
referral-note = Message to the body
referral-send = Refer
referral-sent = Referral sent: the body received a private link to answer.
referral-reopen = Reopen the referral
referral-reminders = { $count ->
    [one] { $count } reminder
   *[other] { $count } reminders
}
referral-no-body = The catalogue of partner bodies is empty.
referral-bodies-title = Partner bodies
referral-bodies-intro = The bodies advisers refer businesses to; each answers through a private link, without an account.
referral-add-body = Add a body
referral-contact = Contact
referral-email = Contact's e-mail address
referral-phone = Phone
referral-territory = Territory (code)
referral-themes = Themes handled
referral-url = Link to its catalogue
referral-status-sent = Sent
referral-status-taken-up = Taken up
referral-status-done = Completed
referral-status-no-follow-up = No follow-up possible
referral-status-unreachable = Unreachable
referral-status-declined = Declined
referral-answer-title = A business referred to you
referral-answer-intro = { $body }: the programme refers the business { $business } to you.
referral-current-status = Current status:
referral-answer-legend = Where does this referral stand?
referral-answer-text = Details (optional)
referral-answer-submit = Send the answer
referral-answer-thanks = Thank you, your answer has been passed on to the adviser.
referral-answer-required = Choose where the referral stands.
referral-answer-stale = This answer was already sent or the page is out of date: here is the current state.

coaching-inbox-title = Coaching requests
coaching-inbox-intro = Requests from workshop feedback, diagnostic results and the contact form. Take them, assign them, decline them with a reason or open a file: the person is told by e-mail.
coaching-filter-pending = To handle
coaching-filter-all = All
coaching-take = Take it
coaching-assign-to = Assign to
coaching-assign = Assign
coaching-open-file = Open a file
coaching-decline-reason = Reason for declining
coaching-decline = Decline
coaching-see-file = See the file
coaching-first-contact = first contact after { $delay }
coaching-mean-delay = Mean time to first contact: { $delay }
coaching-delay-minutes = { $count } min
coaching-delay-hours = { $count } h
coaching-delay-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
coaching-status-open = To handle
coaching-status-done = Handled
coaching-status-taken = Taken
coaching-status-file-opened = File opened
coaching-status-declined = Declined
coaching-bad-adviser = Choose an adviser of the team.
coaching-reason-required = Give the reason for declining: it is sent to the person.
coaching-not-pending = This request was already handled.
coaching-source-workshop-feedback = Workshop feedback
coaching-source-diagnostic-results = Diagnostic results
coaching-source-contact = Contact form
coaching-callback-title = Be called back by an adviser
coaching-callback-body = An adviser of the programme calls you back to talk about your results and what comes next.
coaching-callback-name = Your name
coaching-callback-email = Your e-mail address
coaching-callback-phone = Phone
coaching-callback-message = What you would like to talk about
coaching-callback-submit = Ask to be called back
coaching-callback-thanks = Noted: an adviser will contact you soon.

home-role-title = Home
home-hello = Hello { $name }
home-nothing = Nothing for now.
home-owner-first-diagnostic = Take my first diagnostic
home-owner-diagnostics = { $count ->
    [one] { $count } diagnostic and my progress
   *[other] { $count } diagnostics and my progress
}
home-owner-needs = { $count ->
    [0] Describe a need for providers
    [one] { $count } need posted and its replies
   *[other] { $count } needs posted and their replies
}
home-owner-registrations = My next workshops
home-owner-no-registration = See the workshop agenda
home-owner-next-coaching = Next step: ask for individual coaching.
home-adviser-files = My files
home-adviser-requests = { $count ->
    [0] No new request
    [one] { $count } new request
   *[other] { $count } new requests
}
home-adviser-week = My meetings this week
home-adviser-referrals = Referrals waiting for an answer
home-adviser-week-more = { $count ->
    [one] …and { $count } more this week: see the whole week
   *[other] …and { $count } more this week: see the whole week
}
home-adviser-files-more = { $count ->
    [one] …and { $count } more open file: see all my files
   *[other] …and { $count } more open files: see all my files
}
home-week-count = { $count ->
    [0] Nothing planned this week
    [one] { $count } meeting this week
   *[other] { $count } meetings this week
}
home-back = Back to the home page
case-pagination = Pages of the list
case-page-prev = Previous page
case-page-next = Next page
case-page-of = Page { $page } of { $pages }
case-list-count = { $count ->
    [0] No file
    [one] { $count } file
   *[other] { $count } files
}
home-manager-waiting = What waits for you
home-manager-unassigned = { $count ->
    [one] { $count } unassigned request
   *[other] { $count } unassigned requests
}
home-manager-moderation = { $count ->
    [one] { $count } post to moderate
   *[other] { $count } posts to moderate
}
home-manager-idle = { $count ->
    [one] { $count } file without activity for 30 days
   *[other] { $count } files without activity for 30 days
}
home-manager-sessions = This week's workshops with seats left
home-seats-left = { $count ->
    [one] { $count } seat left
   *[other] { $count } seats left
}
home-speaker-sessions = { $count ->
    [one] { $count } upcoming session
   *[other] { $count } upcoming sessions
}
home-provider-cards = { $count ->
    [one] { $count } card in the directory
   *[other] { $count } cards in the directory
}
home-provider-needs = Needs matching my cards
home-funder-title = The programme's indicators
home-funder-open = { $count ->
    [one] { $count } follow-up file in progress
   *[other] { $count } follow-up files in progress
}
home-funder-closed = { $count ->
    [one] { $count } closed file
   *[other] { $count } closed files
}
home-funder-hours = { $funder }: { $hours } delivered

mail-referral-subject = { $programme }: referral of { $business }
mail-referral-body = Hello, the { $programme } programme refers the business { $business } to you.
mail-referral-link = Tell us where this referral stands through this private link (no account needed):
mail-referral-reminder-subject = Reminder — { $programme }: referral of { $business }
mail-referral-reminder-body = { $count ->
    [one] We have no answer to this referral yet. This new link replaces the previous one:
   *[other] Reminder no. { $count }: we have no answer to this referral yet. This new link replaces the previous ones:
}
mail-request-taken-subject = { $programme }: your coaching request
mail-request-taken-body = Hello { $name }, { $adviser } is taking up your coaching request and will contact you very soon.
mail-request-declined-subject = { $programme }: your coaching request
mail-request-declined-body = Hello { $name }, we cannot follow up on your coaching request. Here is why:
mail-activity-reminder-subject = Reminder: { $business }, { $when }
mail-activity-reminder-body = "{ $title }" with { $business } is planned for { $when }.
mail-digest-subject = Your coaching week
mail-digest-intro = Hello, here are your files and this week's meetings.
mail-digest-files = { $count ->
    [one] { $count } open file
   *[other] { $count } open files
}

## Who opens a file
case-refused-title = This file is not open to you
case-refused-body = Only the adviser in charge, the contributors and the programme managers open a follow-up file.
case-refused-ask-hint = Do you also follow this business? Ask to contribute: the adviser in charge or a manager can add you.
case-refused-ask = Ask to contribute
case-refused-asked = Your request to contribute was sent on { $date }. The adviser in charge or a manager can add you.
case-access-title = Who opens this file
case-access-who = The adviser in charge, the contributors and the programme managers. An adviser who hands the file over stays a contributor.
case-access-asked = { $name } asks to contribute (on { $date }).
case-access-accept = Accept
case-access-add-label = Add a contributor
case-access-add = Add
referral-take-up = Referrals taken up by the body
