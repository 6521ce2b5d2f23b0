## Navigation and layout
nav-skip = Skip to content
nav-main = Main navigation
nav-menu = Menu
nav-language = Language
nav-home = Home
nav-contact = Contact
footer-operator = Programme run by { $operator }
footer-open-source = Tremplin, open-source software
footer-privacy = Privacy
footer-accessibility = Accessibility: partially conformant
footer-api = Open API

## Home page
home-title = Home
home-tagline = Digital tools, step by step, for craftspeople, shopkeepers and small businesses.
home-target = { $count ->
    [one] Goal: { $shown } business made aware
   *[other] Goal: { $shown } businesses made aware
}
home-cta-contact = Contact the programme team
home-offers-title = What the programme offers you
offer-diagnostic-title = A digital-maturity diagnostic
offer-diagnostic-body = About ten minutes to see where you stand, with a score per area and an action plan in the right order.
offer-workshops-title = Workshops near you
offer-workshops-body = Short, practical sessions on one theme: being visible online, keeping your customers, protecting yourself from scams.
offer-coaching-title = One-to-one coaching
offer-coaching-body = An adviser supports you for three to four months, helps you write a brief and compare quotes.
offer-directory-title = A directory of local providers
offer-directory-body = Find digital professionals in your area, listed in a neutral order, with no paid ranking.
offer-guides-title = Practical guides
offer-guides-body = Plain explanations so you can act on your own, at your own pace.
offer-funding-title = Funding schemes
offer-funding-body = The grants your business may be eligible for, with their conditions and amounts.
home-journey-title = How it works
journey-1 = You take the diagnostic, alone or with an adviser.
journey-2 = You get an action plan that starts with the essentials.
journey-3 = You attend the workshops that match your priorities.
journey-4 = An adviser supports your project and refers you to the right partners.
journey-5 = You take the diagnostic again to measure your progress.
home-who-title = Who is it for?
home-who-body = For businesses with fewer than 250 employees, craftspeople and shopkeepers first, whatever their starting point. The programme is free and funded by its public partners.

## Forms
form-required-hint = Fields marked with an asterisk (*) are required.
form-optional = (optional)
form-error-summary = There is a problem with the form
form-required = This field is required.
form-too-short = { $limit ->
    [one] Enter at least { $limit } character.
   *[other] Enter at least { $limit } characters.
}
form-too-long = { $limit ->
    [one] Enter at most { $limit } character.
   *[other] Enter at most { $limit } characters.
}
form-email-invalid = Enter a valid email address, for example name@company.com.
form-must-accept = Tick this box to continue.
form-choose = Choose an option from the list.

## Contact
contact-title = Contact the programme team
contact-intro = A question about the programme, a workshop or coaching? Write to us; we answer within two working days.
contact-name = Your name
contact-email = Your email address
contact-organisation = Your business or organisation
contact-topic = Topic
contact-topic-general = General question
contact-topic-diagnostic = Digital diagnostic
contact-topic-workshops = Workshops
contact-topic-coaching = One-to-one coaching
contact-topic-directory = Provider directory
contact-topic-partnership = Becoming a partner
contact-message = Your message
contact-consent = I agree that my details are used to answer my request.
contact-submit = Send the message
contact-unavailable = The service is temporarily unavailable: your message has not been sent yet. It is kept below; please try again in a moment.
contact-sent-title = Message sent
contact-sent-body = Thank you! The programme team has received your message and will answer soon. We have sent you an acknowledgement by email.

## E-mails
mail-contact-team-subject = [Contact] { $topic }
mail-contact-team-intro = New message from the contact form of { $programme }.
mail-contact-ack-subject = We have received your message — { $programme }
mail-contact-ack-hello = Hello { $name },
mail-contact-ack-body = Thank you for your message. The programme team will answer within two working days. For your records, here is what you wrote:

## Errors
error-status = Error { $status }
error-home-link = Back to the home page
error-reference = Request reference: { $id }
error-bad-request-title = Bad request
error-bad-request-body = What was sent could not be read. Go back to the previous page and try again.
error-forbidden-title = Access denied
error-forbidden-body = You do not have access to this page.
error-csrf-title = Form expired
error-csrf-body = For your security, this form was not accepted. Go back to the previous page, reload it and send it again: your browser usually keeps what you typed.
error-not-found-title = Page not found
error-not-found-body = The page you asked for does not exist or has moved.
error-method-title = Action not allowed
error-method-body = This address does not accept this kind of request.
error-too-large-title = Too much data
error-too-large-body = What was sent is larger than allowed. Shorten your text and try again.
error-media-type-title = Format not supported
error-media-type-body = The format of what was sent is not accepted at this address.
error-unavailable-title = Service temporarily unavailable
error-unavailable-body = The service cannot answer right now. Nothing already saved is lost; please try again in a moment.
error-internal-title = Unexpected error
error-internal-body = Something went wrong on our side. The technical team has been told; please try again in a moment.

## API problems
problem-validation = Some fields are not valid.
problem-idempotency-mismatch = This idempotency key was already used for a different request.
problem-idempotency-in-progress = A request with this idempotency key is still being processed.
error-unauthorized-title = Authentication required
error-unauthorized-body = This resource needs you to be signed in or a valid API token.

## Accounts
nav-login = Sign in
nav-signup = Create an account
nav-account = My account
nav-home-role = My home
nav-cases = Files
nav-inbox = Coaching requests
nav-my-coaching = My coaching
nav-logout = Sign out
nav-my-business = My business
nav-businesses = Businesses
nav-admin = Administration
nav-admin-programme = Programme
nav-admin-partners = Partners
nav-admin-territories = Territories
nav-admin-sectors = Business sectors
nav-admin-themes = Themes
nav-api-tokens = API tokens
role-admin = Programme manager
role-adviser = Adviser
role-speaker = Speaker
role-provider = Provider
role-business = Business
role-funder = Funder or partner
auth-signup-title = Create an account
auth-signup-intro = An account lets you follow your diagnostic, your workshop registrations and your coaching.
auth-account-type = You are
auth-type-business = a business, craftsperson or shopkeeper
auth-type-provider = a digital service provider
auth-name = Full name
auth-email = Email address
auth-password = Password
auth-password-new = Choose a password
auth-password-confirm = Confirm the password
auth-password-hint = At least 12 characters. An easy-to-remember sentence makes a good password.
auth-password-short = { $limit ->
    [one] The password must have at least { $limit } character.
   *[other] The password must have at least { $limit } characters.
}
auth-password-is-email = The password must not be your email address.
auth-password-mismatch = The two passwords are not the same.
auth-password-submit = Save the password
auth-signup-consent = I accept the terms of use and that the programme team processes my data to support me.
auth-signup-submit = Create my account
auth-have-account = Already have an account?
auth-login-link = Sign in
auth-no-account = No account yet?
auth-signup-link = Create an account
auth-rate-limited = Too many attempts from your connection. Please try again in fifteen minutes.
auth-check-mail-title = Check your inbox
auth-check-mail-body = If the address you gave can receive an account, we have just sent it an email with a link to confirm it. Remember to look in your spam folder.
auth-link-title = Link cannot be used
auth-link-unknown = This link is not valid. Check that you copied the whole address.
auth-link-expired = This link has expired. Ask for a new one.
auth-link-used = This link has already been used. Each link works only once.
auth-login-to-resend = Sign in to get a new link
auth-ask-new-link = Ask for a new link
auth-contact-team = Contact the programme team
auth-verify-title = Confirm your email address
auth-verify-body = Click the button to confirm your address and open your account.
auth-verify-submit = Confirm my address
auth-login-title = Sign in
auth-login-submit = Sign in
auth-login-failed = Wrong email address or password.
auth-login-rate-limited = Too many sign-in attempts. For your security, try again in fifteen minutes or reset your password.
auth-login-unverified = Your email address is not confirmed yet. We have just sent you a new confirmation link.
auth-logged-out = You are signed out.
auth-logged-out-everywhere = You have been signed out on all your devices.
auth-forgot-link = Forgotten your password?
auth-forgot-title = Forgotten password
auth-forgot-intro = Enter your account's email address: we will send you a link to choose a new password.
auth-forgot-submit = Send me a link
auth-reset-sent-title = Check your inbox
auth-reset-sent-body = If an account exists with this address, we have just sent a link to choose a new password. It is valid for one hour.
auth-reset-title = Choose a new password
auth-for-account = Account: { $email }
auth-invite-title = Join the programme team
auth-invite-sent = Invitation sent to { $email }.
auth-choose-role = Choose at least one role.
auth-welcome = Welcome! Your account is ready.
auth-password-changed = Your password has been changed. Your other sessions have been closed.
account-title = My account
account-shortcuts = Shortcuts
account-sessions = Sessions
account-logout-everywhere = Sign out on all devices
team-title = Programme team
team-members = Members
team-empty = Nobody yet.
team-roles = Roles
team-pending = Pending invitations
team-invite = Invite someone
team-invite-submit = Send the invitation
team-revoke = Remove
team-revoke-label = Remove the { $role } role from { $name }
team-revoked = The “{ $role }” role was removed from { $name }. The audit log records it under your name.
team-revoke-not-held = { $name } no longer has the “{ $role }” role: it was already removed.
team-revoke-last-manager = { $name } is the programme's only manager: invite another manager before removing this role.
team-revoke-unknown = This role or this person is not in the team.
team-scope = Reads
team-scope-whole = the whole programme
team-scope-brought = the businesses { $partner } brought
team-scope-save = Save
team-scope-save-label = Save what { $name } reads
team-scope-partner = { $name } now reads only the figures of the businesses { $partner } brought.
team-scope-all = { $name } reads the whole programme's figures again.
team-scope-unknown = This person holds no funder or partner role, or this partner does not exist.
mail-hello = Hello { $name },
mail-hello-anonymous = Hello,
mail-verify-subject = Confirm your email address
mail-verify-body = To open your account, confirm your address by following this link:
mail-verify-expiry = This link is valid for 48 hours. If you did not ask for an account, ignore this message.
mail-existing-subject = An account request with your address
mail-existing-body = Someone, perhaps you, asked to create an account with this address, which already has one. To sign in:
mail-existing-reset = Forgotten your password? Choose a new one here:
mail-reset-subject = Choose a new password
mail-reset-body = To choose a new password, follow this link:
mail-reset-expiry = This link is valid for one hour and works only once. If you did not ask for anything, ignore this message: your password does not change.
mail-invite-subject = Invitation to join the team — { $programme }
mail-invite-body = { $inviter } invites you to join the programme team on Tremplin.
mail-invite-roles = Roles: { $roles }
mail-invite-link = To accept, choose your password here:
mail-invite-expiry = This invitation is valid for 7 days.

## Businesses
form-select = — Choose —
business-register-title = Register my business
business-register-intro = A few facts about your business let the programme suggest the right workshops and the right support.
business-new-title = Add a business
business-back-to-list = All businesses
business-saved = Your changes are saved.
business-conflict = Someone changed this business while you were looking at it. What you typed is kept below: check it and save again.
business-duplicate = A business with this number is already registered.
business-duplicate-named = This number already belongs to the business “{ $name }”.
business-duplicate-owner-help = If it is your business, ask the programme team to link you to it.
business-open-existing = Open the existing record
business-field-name = Business name
business-field-country = Country of registration
business-field-legal_id = Registration number
business-field-sector_code = Business sector
business-field-size_band = Number of employees
business-field-commune_code = Municipality
business-field-address = Address
business-field-website = Website
business-field-created = Creation
business-size-0 = No employees
business-size-1-9 = 1 to 9 employees
business-size-10-49 = 10 to 49 employees
business-size-50-249 = 50 to 249 employees
business-unknown-commune = Choose a municipality from the list.
business-bad-website = Enter a valid website address, for example www.mybusiness.com.
business-bad-phone = Enter a valid phone number, for example +33 6 12 34 56 78.
business-save = Save
business-people = People of the business
business-no-people = Nobody recorded yet.
business-person-job = Job title
business-person-phone = Phone
business-person-consent = Consent
business-person-consent-text = This person agrees to be contacted by the programme team about their support.
business-add-person = Add a person
business-add-person-submit = Add the person
business-history = History of changes
business-history-when = Date
business-history-who = By
business-history-field = Information
business-history-before = Before
business-history-after = After
business-search = Name, number or address
business-search-submit = Search
business-all = All
business-count = { $count ->
    [0] No businesses
    [one] { $shown } business
   *[other] { $shown } businesses
}
business-pages = Result pages
business-previous = Previous
business-next = Next
business-export = Export as CSV
business-import-title = Import businesses
business-import-intro = Send a CSV file (separated by semicolons or commas, in UTF-8 or from Excel) whose first line holds these columns:
business-import-policy = Correct lines are saved; each refused line is listed with the reason, and nothing of it is saved. You can fix those lines and send only them again.
business-import-file = CSV file
business-import-submit = Import
business-import-done = { $count ->
    [0] No businesses imported.
    [one] { $shown } business imported.
   *[other] { $shown } businesses imported.
}
business-import-rejected = { $count ->
    [one] { $shown } line refused:
   *[other] { $shown } lines refused:
}
business-import-line = Line
business-import-reasons = Reasons
csv-empty = The file is empty.
csv-missing-columns = Columns missing from the first line of the file: { $columns }.
csv-malformed = The file cannot be read from line { $line } on (an unclosed quote?).
territory-bad-code = Invalid territory code.
territory-bad-level = Unknown level (country, region, department, province, canton or commune expected).
territory-missing-name = Missing name.
territory-missing-parent = Missing parent territory.
territory-unknown-parent = Unknown parent territory.

## API tokens
tokens-intro = A token lets another piece of software (your CRM, an open-data portal) use the programme's API on your behalf, with the rights of one of your roles.
tokens-created = Here is your new token. Copy it now: it will never be shown again.
tokens-name = Token name
tokens-prefix = Starts with
tokens-role = Role
tokens-created-at = Created
tokens-last-used = Last used
tokens-state = State
tokens-revoked = Revoked
tokens-revoke = Revoke
tokens-new = Create a token
tokens-create = Create the token
business-field-partner = Partner that brought the business
business-no-partner = None
nav-diagnostic = Diagnostic
home-cta-diagnostic = Take my digital diagnostic
business-start-assisted = Run an assisted diagnostic with this business
nav-guides = Guides
nav-funding = Funding

## Confirmation of destructive actions (src/web/confirm.rs)
confirm-no = No, go back without changing anything
table-region = Table (scrolls sideways on small screens)
programme-choose = Programme shown
programme-choose-submit = Switch programme
team-programme = Programme
team-programme-every = every programme
team-programme-save-label = Save the programme of { $name }
team-programme-one = { $name } now works in the programme { $programme } only (team, files, dashboard).
team-programme-all = { $name } has access to every programme of the instance again.
