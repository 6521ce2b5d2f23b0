# Programme set-up pages

## Shared
setup-subnav = Programme set-up
setup-save = Save
setup-actions = Action
setup-code = Code
setup-level = Level
setup-parent = Part of
setup-yes = Yes
setup-no = No
setup-status = Status
setup-active = Active
setup-archived = Archived
setup-field-slug = Identifier used in links
setup-slug-invalid = Use 2 to 60 lowercase unaccented letters, digits and hyphens, for example cma-gironde.
setup-slug-taken = This identifier is already in use. Choose another one.
setup-url-invalid = Enter an address starting with https://, for example https://www.example.org/logo.png.
setup-date-invalid = Enter a valid date as YYYY-MM-DD, for example 2026-09-01.
setup-date-hint = YYYY-MM-DD, for example 2026-09-01.
setup-number-invalid = Enter a whole positive number, for example 1600.
setup-number-hint = A whole number, for example 1600.
setup-english-fallback-hint = If left empty, the French text is used.
setup-programme-first = Save the programme details first.

## Territory levels
setup-level-country = country
setup-level-region = region
setup-level-department = department
setup-level-province = province
setup-level-canton = canton
setup-level-commune = municipality

## Programme
setup-programme-title = The programme
setup-programme-intro = These details appear on the public site and are used to track the programme's targets.
setup-programme-identity = Identity
setup-programme-period = Period
setup-programme-targets = Targets
setup-programme-presentation = Presentation
setup-programme-saved = The programme details have been saved.
setup-field-name = Programme name
setup-field-operator = Operating organisation
setup-field-logo_url = Logo address
setup-logo-hint = The https address of an image, for example https://www.example.org/logo.png.
setup-field-timezone = Time zone
setup-field-default_locale = Default language
setup-field-contact_email = Contact email address
setup-field-start_date = Start date
setup-field-end_date = End date
setup-end-before-start = The end date must be after the start date.
setup-field-target_aware = Businesses to make aware
setup-field-target_date = Awareness target date
setup-field-target_diagnostics = Diagnostics to carry out
setup-field-target_coaching = Individual coaching files
setup-field-budget = Budget in euros
setup-budget-hint = For example 337000, 337 000 or 337000.50.
setup-budget-invalid = Enter an amount in euros, for example 337000, 337 000 or 337000.50.
setup-field-summary_fr = Presentation in French
setup-field-summary_en = Presentation in English
setup-summary-hint = Two or three sentences shown on the home page.
setup-tz-paris = Metropolitan France
setup-tz-brussels = Belgium
setup-tz-luxembourg = Luxembourg
setup-tz-noumea = New Caledonia
setup-tz-reunion = Réunion
setup-tz-guadeloupe = Guadeloupe
setup-tz-martinique = Martinique
setup-tz-cayenne = French Guiana
setup-tz-mayotte = Mayotte
setup-lang-fr = French
setup-lang-en = English

## Covered territories
setup-covered-title = Territories covered
setup-covered-intro = Businesses in these territories can take part in the programme.
setup-covered-none = No territory yet.
setup-territory = Territory
setup-territory-add = Add a territory
setup-territory-add-submit = Add the territory
setup-territory-hint = Regions, departments, provinces and cantons, grouped by country.
setup-territory-choose = Choose a territory from the list.
setup-territory-remove = Remove
setup-territory-added = Territory added: { $name }.
setup-territory-removed = Territory removed: { $name }.
setup-territory-remove-title = Remove { $name } from the programme?
setup-territory-remove-body = { $name } will no longer be a covered territory: it will leave the lists offered to businesses and the programme's dashboards. You can add it again later.
setup-territory-remove-yes = Yes, remove this territory

## Territories
setup-territories-title = Territories
setup-territories-of = Territories: { $name }
setup-territories-root = All countries
setup-territories-countries = Countries
setup-territories-children-of = Subdivisions of { $name }
setup-territories-none = No subdivision recorded.
setup-breadcrumb = Breadcrumb
setup-subdivisions = Subdivisions
setup-subdivision-count = { $count ->
    [0] none
    [one] { $shown } subdivision
   *[other] { $shown } subdivisions
}
setup-import-title = Import territories
setup-import-intro = Send a CSV file (comma- or semicolon-separated, UTF-8 or saved from Excel) whose first line holds these columns:
setup-import-col-code = code: the territory's unique identifier, in letters, digits and hyphens (for example FR-D33);
setup-import-col-parent = parent_code: the code of the territory that contains it, already known or defined earlier in the file (empty for a country);
setup-import-col-level = level: country, region, department, province, canton or commune;
setup-import-col-names = name_fr and name_en: the name in French and in English (the English name may be left empty).
setup-import-example = Example:
setup-import-policy = Correct rows are saved (a known code is updated); each refused row is listed with the reason. Fix those rows and send them again on their own.
setup-import-file = CSV file
setup-import-submit = Import
setup-import-stored = { $count ->
    [0] No row saved.
    [one] { $shown } row saved.
   *[other] { $shown } rows saved.
}
setup-import-rejected = { $count ->
    [one] { $shown } row refused:
   *[other] { $shown } rows refused:
}
setup-import-rejected-caption = Refused rows
setup-import-line = Line
setup-import-reason = Reason
setup-import-value = Value at fault

## Sectors
setup-sectors-title = Business sectors
setup-sectors-intro = Priority sectors are highlighted in forms and dashboards.
setup-sectors-caption = Sections and divisions of the NACE classification
setup-sectors-priority-count = { $count ->
    [0] No priority division.
    [one] { $shown } priority division.
   *[other] { $shown } priority divisions.
}
setup-sector = Activity
setup-priority = Priority
setup-priority-set = Make priority
setup-priority-remove = Remove priority
setup-sector-now-priority = { $name } is now a priority.
setup-sector-not-priority = { $name } is no longer a priority.

## Themes
setup-themes-title = Themes
setup-themes-intro = Themes are used by workshops, practical guides, business needs and the provider directory.
setup-themes-none = No theme in this group.
setup-themes-back = All themes
setup-group-sell = Selling and being visible
setup-group-manage = Managing and organising
setup-group-customers = Customer relations
setup-group-security = Security and data
setup-group-funding = Funding your project
setup-field-title = Title
setup-field-title_fr = Title in French
setup-field-title_en = Title in English
setup-field-theme_group = Group
setup-field-description_fr = Description in French
setup-field-description_en = Description in English
setup-field-tags = Keywords
setup-tags-hint = Separated by commas, for example: website, showcase, hosting.
setup-theme-slug-hint = If left empty, it is made from the French title.
setup-theme-add = Add a theme
setup-theme-add-submit = Add the theme
setup-theme-added = Theme added: { $name }.
setup-theme-saved = Your changes have been saved.
setup-theme-is-archived = This theme is archived: it is no longer offered for new content.
setup-theme-archive-title = Archive
setup-theme-archive-help = An archived theme is no longer offered, but content that uses it keeps it.
setup-theme-archive = Archive the theme
setup-theme-archived = The theme has been archived.
setup-theme-restore-title = Restore
setup-theme-restore-help = The theme will be offered again.
setup-theme-restore = Restore the theme
setup-theme-restored = The theme has been restored.

## Partners
setup-partners-title = Partners
setup-partners-intro = Partners spread the word about the programme or receive the businesses it refers. Each has its own sign-up link: businesses that sign up through it are attributed to that partner.
setup-partners-none = No partner yet.
setup-partners-back = All partners
setup-kind-chamber = Chamber of commerce or trades
setup-kind-employer_federation = Employer or trade federation
setup-kind-town_hall = Town hall or local authority
setup-kind-association = Association or business club
setup-kind-funder = Funder
setup-kind-other = Other
setup-field-partner-name = Partner name
setup-field-kind = Type
setup-field-brings = Spreads the word and brings businesses
setup-field-receives = Receives businesses referred by the programme
setup-field-partner-email = Contact email address
setup-field-website = Website
setup-partner-slug-hint = Used to build the sign-up link. If left empty, it is made from the name. Changing it breaks the old link.
setup-partner-brings = Brings businesses
setup-partner-receives = Receives referrals
setup-partner-link = Sign-up link
setup-partner-link-help = Share this link with the partner: businesses that sign up through it are attributed to them.
setup-partner-brought = Businesses brought
setup-partner-brought-count = { $count ->
    [0] none
    [one] { $shown } business
   *[other] { $shown } businesses
}
setup-partner-add = Add a partner
setup-partner-add-submit = Add the partner
setup-partner-added = Partner added: { $name }.
setup-partner-saved = Your changes have been saved.

## Diagnostic questionnaire (question bank)
setup-questionnaire-nav = Questionnaire
setup-bank-title = Diagnostic questionnaire
setup-bank-intro = The questionnaire sets the questions the digital-maturity diagnostic asks and the steps its action plan proposes. You can import a new version of it.
setup-bank-current = Version used for new diagnostics
setup-bank-name = Title
setup-bank-id = Identifier
setup-bank-version = Version
setup-bank-shipped = shipped with Tremplin
setup-bank-imported-kind = imported
setup-bank-questions-caption = Number of questions per dimension (version { $version })
setup-bank-dimension = Dimension
setup-bank-quick = Quick check
setup-bank-full = Full assessment
setup-bank-total = Total
setup-bank-versions = Questionnaire versions
setup-bank-versions-intro = Each diagnostic keeps the version of the questionnaire it was taken with, so its scores can always be recomputed, even after a new version is imported.
setup-bank-imported-at = Imported on
setup-bank-imported-by = Imported by
setup-bank-in-use = In use
setup-bank-in-use-yes = Yes, for new diagnostics
setup-bank-diagnostics = Diagnostics taken
setup-bank-diagnostics-count = { $count ->
    [0] none
    [one] { $shown } diagnostic
   *[other] { $shown } diagnostics
}
setup-bank-import-title = Import a new version
setup-bank-import-format = The file uses the same TOML format as the questionnaire shipped with Tremplin, banks/dma-2026.1.toml: start from a copy of that file and edit it.
setup-bank-import-version = Give it a version number that does not exist yet (the version = "…" line at the top of the file).
setup-bank-import-checks = The whole file is checked before it is imported: the six dimensions, the questions, the themes it refers to and the prerequisites of the steps. If it contains a mistake, nothing is imported and you are told which line is wrong.
setup-bank-import-effect = The new version is used straight away for new diagnostics; diagnostics already started or finished keep theirs.
setup-bank-import-file = Questionnaire file (.toml)
setup-bank-import-file-hint = UTF-8 text file, 1 MB at most.
setup-bank-import-submit = Import this version
setup-bank-imported = Version { $version } imported: it will be used for new diagnostics.
setup-bank-nothing-changed = Nothing was changed: the questionnaire in use stays the same.
setup-bank-no-file = Choose the questionnaire's .toml file to import.
setup-bank-not-toml = The file { $file } was not imported: choose a file whose name ends in .toml.
setup-bank-empty = The file { $file } was not imported: it is empty.
setup-bank-not-utf8 = The file { $file } was not imported: it is not saved as UTF-8. Save it as UTF-8 from your text editor and import it again.
setup-bank-invalid-line = The file { $file } was not imported: line { $line } — { $reason }
setup-bank-invalid = The file { $file } was not imported: { $reason }
setup-bank-version-exists = Version { $version } already exists. Change the version number at the top of the file (the version = "…" line) and import it again.
setup-programmes-title = Programmes on this instance
setup-programmes-intro = One instance can run several programmes at once or one after another. The register of businesses, the directory, guides and funding schemes are shared; workshops, follow-up files, diagnostics, funding applications and budget lines belong to the programme they are created in. This page sets up the current programme.
setup-programmes-current = current programme
setup-programmes-switch = Switch to “{ $name }”
setup-new-programme-title = Create another programme
setup-new-programme-intro = The new programme takes this one's time zone and contact address; you then complete its period, territories, targets and budget.
setup-field-programme-slug = Identifier in addresses
setup-programme-slug-hint = Leave empty to derive it from the name, for example tremplin-gironde-2027.
setup-new-programme-submit = Create the programme
setup-programme-created = The programme “{ $name }” is created and is now the one you are setting up.
