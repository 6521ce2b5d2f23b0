# Needs, replies and quote reviews

need-list-title = Needs
need-list-lead = Describe what your business needs: local providers who do that work are told and reply to you. The programme recommends no provider; you choose freely.
need-list-empty = No needs yet.
need-all-statuses = All statuses
need-filter = Filter
need-col-replies = Replies
need-col-updated = Updated
need-untitled = Untitled need
need-no-business = Your account is not linked to a business: fill in your business first to describe a need.
need-no-business-link = Fill in my business
need-new-title = Describe a need
need-edit-title = Edit the need
need-back-to-need = Back to the need
need-form-lead = Answer simply, in your own words: each question is guided. You can save a draft and come back later; the need only goes to providers when you publish it.
need-choose = — Choose —
need-step-what = 1. Your project
need-step-how = 2. What is expected
need-step-frame = 3. The frame
need-field-business = Business
need-field-title = Title of the need
need-field-title-hint = In one sentence, for example "A showcase website with the bakery's opening hours".
need-field-themes = Themes
need-field-themes-hint = Tick one or more themes: they are used to tell the providers who do this work.
need-field-context = Context
need-field-context-hint = Who are you, what do you do, why this project now?
need-field-goal = Goal
need-field-goal-hint = What should change for your business once the project is done? For example "be found online by people in the neighbourhood".
need-field-audience = Audience
need-field-audience-hint = Your customers, suppliers, team… Who is the project for?
need-field-features = Expected features
need-field-features-hint = One line per need: for example "opening hours", "order online, collect in store", "page in English".
need-field-existing-tools = Tools already in place
need-field-existing-tools-hint = Website, till software, customer file, social networks, domain name… What exists and must be kept or connected.
need-field-constraints = Constraints
need-field-constraints-hint = What providers should know: accessibility, languages, equipment, availability, a funder's requirements…
need-field-budget = Expected budget
need-field-deadline = Desired deadline
need-field-territory = Where the business is
need-field-territory-hint = Used to tell the providers who work in this area (and those who work remotely).
need-field-size = Business size
need-field-status = Status
need-size-any = Not specified
need-budget-under-1k = Under €1,000
need-budget-1k-3k = €1,000 to €3,000
need-budget-3k-10k = €3,000 to €10,000
need-budget-10k-30k = €10,000 to €30,000
need-budget-over-30k = Over €30,000
need-budget-unknown = I don't know yet
need-deadline-invalid = Enter a valid date, for example 2026-09-30.
need-territory-required = Choose where the business is.
need-themes-too-many = { $limit ->
    [one] Choose at most { $limit } theme.
   *[other] Choose at most { $limit } themes.
}
need-save-draft = Save the draft
need-save = Save
need-save-publish = Save and publish
need-publish-hint = Publishing sends the need to the providers whose themes, territory and business sizes served match. Each is told only once.
need-publish-no-title = The need has no title: give it a title before publishing it.
need-publish-no-theme = No theme is chosen: tick at least one theme so that the right providers are told.
need-publish-chosen = A provider was already chosen for this need: it cannot be published again.
need-edit-conflict = Someone else changed this need while you were editing it. What you typed is kept below: check it and save again.
need-not-editable = This need can no longer be edited: it is in discussion with providers, awarded or closed.
need-saved-notice = The need is saved.
need-published-notice = { $count ->
    [0] The need is published. No new matching provider was told for now: those who join later will see it in their space.
    [one] The need is published: { $shown } matching provider was told.
   *[other] The need is published: { $shown } matching providers were told.
}
need-closed-notice = The need is closed.
need-decision-notice = Your decision is saved.
need-already-closed = This need is already closed.
need-reply-unknown = This reply does not exist or is not about this need.
need-decide-closed = This need is not open: publish it again before shortlisting or choosing a provider.
need-spec-title = Specification
need-spec-neutral = This specification was written by the business, possibly with its adviser. The programme recommends no provider.
need-none-given = Not specified
need-published-on = Published on
need-fact = { $label }: { $value }
need-chosen-provider = chosen provider: { $provider }
need-status-draft = Draft
need-status-published = Published
need-status-in-discussion = In discussion
need-status-provider-chosen = Provider chosen
need-status-closed = Closed
need-publish = Publish the need
need-republish = Publish again
need-close = Close the need
need-download-pdf = Download the specification (PDF)
need-notified-count = { $count ->
    [0] No provider has been told yet.
    [one] { $shown } provider was told.
   *[other] { $shown } providers were told.
}
need-replies-title = Replies from providers
need-replies-empty = No replies yet.
need-see-card = see the card
need-shortlist = Shortlist
need-choose-provider = Choose this provider
need-decline = Decline
need-reply-status-sent = Received
need-reply-status-shortlisted = Shortlisted
need-reply-status-chosen = Chosen
need-reply-status-declined = Declined

need-quotes-title = Quote review
need-quotes-lead = For each quote received, check point by point what it covers, with your adviser if you wish. The review is kept with the need.
need-quotes-empty = No quote reviewed yet.
need-quote-add = Review a quote
need-quote-edit = Edit the review
need-quote-save = Save the review
need-quote-saved = The quote review is saved.
need-quote-conflict = Someone else changed this review while you were editing it. What you typed is kept: check it and save again.
need-quote-label = Name of the quote
need-quote-label-hint = For example "Web Atelier quote of 12 March".
need-quote-provider = Provider
need-quote-provider-none = Other provider or not specified
need-quote-amount = Amount
need-quote-amount-hint = In euros, for example 2400 or 2400.50.
need-amount-invalid = Enter an amount in euros, for example 2400 or 2400.50.
need-quote-checklist = Points to check
need-quote-checklist-hint = For each point: does the quote answer clearly? Note what is missing or what to ask.
need-quote-notes = General remarks
need-quote-point = Point
need-quote-answer = Answer
need-quote-ok-count = { $count ->
    [one] { $shown } clear point
   *[other] { $shown } clear points
}
need-quote-ko-count = { $count ->
    [one] { $shown } problem
   *[other] { $shown } problems
}
need-quote-unknown-count = { $count ->
    [one] { $shown } point to check
   *[other] { $shown } points to check
}
need-check-ok = Clear
need-check-ko = Problem
need-check-unknown = To check
need-check-note = Note
need-check-scope = Scope and deliverables
need-check-scope-hint = Does the quote list exactly what will be delivered (pages, features, content)?
need-check-timeline = Timeline
need-check-timeline-hint = Are the steps and the go-live date stated?
need-check-hosting = Hosting and maintenance
need-check-hosting-hint = Who hosts, at what yearly price, and who applies security updates?
need-check-ownership = Ownership of the domain and content
need-check-ownership-hint = Are the domain name, texts, photos and site yours, in your name?
need-check-gdpr = Personal data (GDPR)
need-check-gdpr-hint = Legal notice, cookie consent, security of your customers' data: what is planned?
need-check-training = Training
need-check-training-hint = Will you be trained to edit your content yourself?
need-check-payment = Payment schedule
need-check-payment-hint = Deposit, interim payments, balance: at which steps?
need-check-warranty = Warranty and support
need-check-warranty-hint = For how long are defects fixed free of charge? How do you reach the provider?
need-check-reversibility = Reversibility
need-check-reversibility-hint = Can you get your data back and change provider without losing everything?

need-provider-list-title = Businesses' needs
need-provider-list-lead = Published needs that match your cards (themes, territory, business size). Read the specification and reply to the business directly.
need-provider-list-empty = No open need matches your cards for now.
need-provider-no-card = You have no published card in the directory yet: needs are offered according to your cards.
need-provider-no-card-link = Manage my cards
need-provider-replied = You replied.
need-reply-title = Your reply
need-reply-card = Reply on behalf of the card
need-reply-message = Message to the business
need-reply-hint = Present your approach, timeline, a first estimate and how to reach you.
need-reply-update-hint = Your reply was sent. You can complete it: the business will see the updated version.
need-reply-send = Send the reply
need-reply-update = Update the reply
need-reply-sent = Your reply was sent to the business.
need-reply-closed = This need is closed: it no longer accepts replies.
need-reply-chosen = The business already chose a provider for this need: it no longer accepts replies.
need-reply-no-card = None of your cards matches this need: you cannot reply to it.

need-mail-new-subject = New need from a business: { $title }
need-mail-new-intro = A business supported by { $programme } published a need that matches your card "{ $provider }" (themes, territory and business size).
need-mail-new-link = Read the specification and reply here:
need-mail-new-footer = You receive this message only once per need. The programme recommends no provider: the business chooses freely.
need-mail-reply-subject = { $provider } replied to your need "{ $title }"
need-mail-reply-updated-subject = { $provider } updated their reply to "{ $title }"
need-mail-reply-intro = { $provider } replied to your need "{ $title }":
need-mail-reply-link = Read the replies, shortlist or choose a provider here:
need-mail-chosen-subject = You were chosen for "{ $title }"
need-mail-chosen-body = { $business } chose your card "{ $provider }" for its need "{ $title }". Get in touch for the next steps:
need-mail-declined-subject = Reply declined: "{ $title }"
need-mail-declined-body = { $business } declined the reply of "{ $provider }" to its need "{ $title }". Thank you for replying.

# Notice board

board-title = Notice board
board-lead = Programme announcements (events, calls for projects) and providers' offers (jobs, internships). Providers' posts are reviewed before they are published.
board-empty = No posts yet.
board-filter = Kind of post
board-all-kinds = All
board-more = Read more
board-expires = Until { $date }
board-by-programme = The programme
board-kind-announcement = Programme announcement
board-kind-event = Event
board-kind-call-for-projects = Call for projects
board-kind-job = Job offer
board-kind-internship = Internship offer
board-status-pending = Awaiting review
board-status-published = Published
board-status-rejected = Rejected
board-new-title = Post a notice
board-new-lead-staff = Programme posts are published at once.
board-new-lead-provider = Your post will be reviewed by the programme team before it is published; you will get an e-mail.
board-choose = — Choose —
board-field-kind = Kind
board-field-card = On behalf of the card
board-field-title = Title
board-field-body = Text of the post
board-field-link = Link to read more
board-field-expires = Show until
board-link-invalid = Enter a full web address starting with https://
board-date-invalid = Enter a valid date, for example 2026-09-30.
board-date-past = This date has passed: choose today or a later date.
board-submit = Send for review
board-publish = Publish
board-reject = Reject
board-unpublish = Take down
board-sent-to-moderation = Your post was sent: it will be published after review by the programme team.
board-admin-title = Notice board moderation
board-admin-pending = To review
board-admin-published = Published
board-admin-rejected = Rejected or taken down
board-admin-none = None.
board-col-by = Author
board-col-when = Date
board-col-actions = Actions
board-note = Note to the author
board-note-hint = Required to reject: explain what should change.
board-note-required = To reject a post, tell its author why in the note.
board-note-too-long = The note is too long: 1,000 characters at most.
board-already-moderated = This post was already handled in the meantime.
board-moderated = The decision is saved.
board-mail-published-subject = Your post is published: { $title }
board-mail-published-body = Your post "{ $title }" is published on the notice board.
board-mail-rejected-subject = Your post is not published: { $title }
board-mail-rejected-body = Your post "{ $title }" is not (or no longer) published on the notice board.
board-mail-note = Message from the programme team:
