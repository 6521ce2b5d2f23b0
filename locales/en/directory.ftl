# Provider directory

## Navigation
nav-needs = Needs and quotes
nav-board = Notice board
nav-directory = Directory

## Search
dir-title = Directory of digital providers
dir-intro = Digital professionals of your area: websites, management software, networks, cybersecurity, training. They keep their cards up to date themselves and the programme team checks them.
dir-search-label = Search for a provider
dir-search-hint = A trade, a service or a name, for example "website", "electrician", "e-invoicing". Accents and capitals do not matter.
dir-search-submit = Search
dir-filters = Narrow the search
dir-filter-theme = Services
dir-filter-territory = Territory
dir-filter-sector = Clients' sector
dir-filter-size = Clients' size
dir-filter-clear = All
dir-count = { $count ->
    [0] No provider matches.
    [one] { $shown } provider
   *[other] { $shown } providers
}
dir-none = Try another word or remove a filter.
dir-remote = works remotely
dir-updated = Updated on { $date }
dir-stale-flag = not confirmed for over a year
dir-pagination = Result pages
dir-order-title = How are results ordered?
dir-order-body = No paid or hidden ranking. Cards that best match the words searched come first (the name counts more than services, which count more than the description). Among equally relevant cards the order changes every day: cards are sorted by ((card number × k) modulo 1,000,003)² modulo 1,000,003, where k is computed from today's date (a shuffle that changes every day). So nobody is always on top.
dir-order-today = Today's value of k: { $k }.
dir-export-csv = Download the directory (CSV)
dir-export-json = Download the directory (JSON)

## Card
dir-back = Back to the directory
dir-logo-of = Logo of { $name }
dir-services = Services offered
dir-territories = Areas served
dir-sectors = Clients' sectors
dir-all-sectors = All sectors
dir-sizes = Clients' size
dir-all-sizes = All sizes
dir-prices = Indicative prices
dir-refs = Local references
dir-address = Address
dir-website = Website
dir-email = E-mail
dir-phone = Phone
dir-social = Social networks
dir-legal-id = Legal identifier
dir-last-update = Last updated
dir-neutral-note = The programme recommends no provider in particular: compare several quotes, your adviser can help you read them.
dir-edit-card = Edit my card
dir-stale-notice = The provider has not confirmed this information since { $date }.
dir-status-draft = Draft: the card is not public yet.
dir-status-pending = Waiting for approval by the programme team.
dir-status-published = Published in the directory.
dir-status-unpublished = Taken out of the directory by the programme team.
dir-claim-title = Is this your business?
dir-claim-help = Ask to manage this card: the programme team checks your request then gives you access.
dir-claim-message = A word for the team (your role, how to reach you)
dir-claim-submit = Ask to manage this card
dir-claim-sent = Your request is sent: the programme team will answer by e-mail.

## Provider's own cards
dir-my-cards = My provider card
dir-my-cards-intro = Your card in the programme's directory: keep it up to date, businesses of the area read it.
dir-new-card = Create my card
dir-new-card-intro = A clear and complete card helps businesses find you. It is published once the programme team approves it.
dir-no-card = You have no card yet.
dir-needs-link = Businesses' needs
dir-post-link = Post an announcement
dir-see-public = See the public card
dir-card-details = Card details
dir-card-created = The card is saved as a draft. Add your logo then send it for approval.
dir-card-saved = Card saved. Thank you for keeping it up to date!
dir-card-submitted = The card is sent to the programme team for approval. You will receive an e-mail.
dir-card-confirmed = Thank you: the card is confirmed up to date for a year.
dir-submit = Send for approval
dir-confirm = My details are up to date
dir-stale-own = Your card has not been confirmed for over a year: check it and click "My details are up to date".
dir-create = Create the card
dir-logo = Logo
dir-logo-file = Logo image (PNG or JPEG)
dir-logo-hint = 2 MB at most. The image is shrunk automatically.
dir-logo-submit = Upload the logo
dir-logo-saved = The logo is online.
dir-logo-missing = Choose an image.
dir-logo-too-large = This image is larger than { $limit } MB. Make it smaller and try again.
dir-logo-not-image = This file is not a PNG or JPEG image, whatever its name.
dir-logo-broken = This image is damaged or unreadable. Save it again and retry.
dir-field-name = Business name
dir-field-country = Country
dir-field-legal-id = Legal identifier (SIREN, SIRET, BCE, RCS or RIDET)
dir-field-kind = Trade (for example: web agency, IT technician, photographer)
dir-field-description = Description
dir-field-remote = I also work remotely, anywhere
dir-empty-all = (no choice = all)
dir-prices-hint = For example: showcase website from €1,500 excl. VAT, maintenance €40 a month.
dir-refs-hint = A few clients in the area, with their agreement.
dir-social-hint = One address per line, for example https://www.linkedin.com/company/…
dir-postcode = Postcode
dir-town = Town
dir-website-invalid = Enter a valid web address, for example www.example.org.
dir-phone-invalid = Enter a valid phone number, for example 05 56 00 00 00.
dir-social-invalid = One of the addresses is not a valid web address (8 at most).
dir-themes-required = Choose at least one service.
dir-territories-required = Choose at least one area, or tick "remotely".
dir-id-taken = This identifier already belongs to another card of the directory.
dir-id-taken-help = A card already exists with this identifier. If it is yours, ask to manage it:
dir-id-taken-link = see the existing card
dir-stale = Someone changed the card while you were editing it. What you typed is kept: check it and save again.

## Moderation
dir-admin-title = Directory moderation
dir-board-moderation = Moderate announcements
dir-admin-pending = { $count ->
    [0] No card to approve
    [one] { $shown } card to approve
   *[other] { $shown } cards to approve
}
dir-admin-claims = { $count ->
    [0] No request to manage a card
    [one] { $shown } request to manage a card
   *[other] { $shown } requests to manage cards
}
dir-admin-note = Message to the provider
dir-admin-edited = { $count ->
    [one] { $shown } published card changed since it was approved
   *[other] { $shown } published cards changed since they were approved
}
dir-admin-edited-help = They stay online; read the changes and approve them, or take the card out.
dir-admin-approve-changes = Approve the changes
dir-admin-approve = Approve
dir-admin-reject = Refuse
dir-admin-unpublish = Take out
dir-admin-republish = Publish again
dir-admin-published = Published cards
dir-admin-unpublished = Cards taken out
dir-admin-stale = { $count ->
    [0] Every card was confirmed within the year.
    [one] { $shown } card has not been confirmed for over a year (its provider got a reminder).
   *[other] { $shown } cards have not been confirmed for over a year (their providers got a reminder).
}
dir-admin-done-approve = The card is published; the provider is told.
dir-admin-done-reject = The card is back to draft; the provider is told.
dir-admin-done-unpublish = The card is taken out of the directory.
dir-admin-done-republish = The card is published again.
dir-admin-done-claim-approve = The person now manages the card.
dir-admin-done-claim-reject = The request is refused.

## Import
dir-import-title = Import a directory (CSV)
dir-import-intro = Take over an existing directory: every valid row becomes a published card that its provider can then claim. Rows in error are listed with their number and reason; duplicates are skipped.
dir-import-file = CSV file
dir-import-hint = Columns read: name (required), type, address, postcode, town, region, website, email, phone, legal_id, country, themes (identifiers separated by commas), territories (codes), remote. Separator "," or ";", UTF-8 or Windows-1252.
dir-import-submit = Import
dir-import-done = { $count ->
    [0] No card imported.
    [one] { $shown } card imported.
   *[other] { $shown } cards imported.
}
dir-import-duplicates = { $count ->
    [0] {""}
    [one] { $shown } duplicate skipped.
   *[other] { $shown } duplicates skipped.
}
dir-import-rejected = { $count ->
    [one] { $shown } row refused
   *[other] { $shown } rows refused
}
dir-import-report = Refused rows
dir-import-line = Line
dir-import-reasons = Reasons
dir-import-too-many = At most { $limit } rows per file.

## Mails
dir-mail-confirm-subject = Is your card "{ $name }" still up to date?
dir-mail-confirm-body = Your card "{ $name }" in the directory has not been confirmed for a year. Check it and confirm it in one click:
dir-mail-submitted-subject = Card to approve: { $name }
dir-mail-submitted-body = The provider card "{ $name }" is waiting for your approval:
dir-mail-approved-subject = Your card "{ $name }" is published
dir-mail-approved-body = Good news: your card "{ $name }" is published in the programme's directory.
dir-mail-rejected-subject = Your card "{ $name }" needs changes
dir-mail-rejected-body = The programme team sent your card "{ $name }" back to draft. Here is their message:
dir-mail-unpublished-subject = Your card "{ $name }" is taken out of the directory
dir-mail-unpublished-body = The programme team took your card "{ $name }" out of the directory.
dir-mail-claimed-subject = You manage the card "{ $name }"
dir-mail-claimed-body = Your request is accepted: you can now update the card "{ $name }".
