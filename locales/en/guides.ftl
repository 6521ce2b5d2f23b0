guides-title = Practical guides
guides-lead = Short guides written by the programme's team to take action step by step.
guides-admin-link = Manage guides
guides-filter-words = Words
guides-filter-theme = Theme
guides-filter-sector = Sector
guides-filter-territory = Territory
guides-filter-submit = Filter
guides-any = All
guides-count = { $count ->
    [0] No guide
    [one] { $count } guide
   *[other] { $count } guides
}
guides-none = No guide matches these filters.
guides-see-all = See every guide
guides-minutes = { $count ->
    [one] { $count } minute read
   *[other] { $count } minutes read
}
guides-level-beginner = Beginner
guides-level-intermediate = Intermediate
guides-level-advanced = Advanced
guides-status-draft = Draft
guides-status-published = Published
guides-draft-notice = This guide is a draft: only the programme's team can see it.
guides-edit = Edit the guide
guides-new = New guide
guides-vote-question = Was this article useful?
guides-vote-yes = Yes
guides-vote-no = No
guides-vote-thanks = Thank you for your answer: it helps us improve the guides.
guides-cta-diagnostic = Take the diagnostic
guides-cta-workshops = See the workshops
guides-cta-funding = See funding schemes
guides-admin-title = Practical guides: management
guides-public-link = See the public list
guides-admin-caption = Every guide, drafts included
guides-version = Version
guides-reads = Reads
guides-useful = Useful (yes / no)
guides-export = Export
guides-view = View
guides-stats-title = Reads and answers per theme
guides-import-title = Import guides
guides-import-help = Markdown files (.md) with a "---" header (slug, status, level, themes, sectors, sizes, territories, title_fr, title_en, summary_fr, summary_en), the French text, a "::: en" line, then the English text. A guide whose slug exists gets a new version.
guides-import-files = .md files
guides-import-submit = Import
guides-import-empty = Choose at least one .md file.
guides-import-done = Guides created: { $created }, updated: { $updated }.
guides-file-no-front-matter = no "---" header at the top of the file.
guides-file-bad-line = line { $line }: not a known "key: value" line.
guides-file-no-english = no "::: en" line before the English text.
guides-unknown-codes = This field contains an unknown code (see the list above).
guides-unknown-list = Unknown codes: { $codes }.
guides-field-title = Title
guides-field-title-fr = Title (French)
guides-field-title-en = Title (English)
guides-field-slug = Identifier in the address (made from the title when empty)
guides-field-status = Status
guides-field-level = Level
guides-field-summary-fr = Summary (French)
guides-field-summary-en = Summary (English)
guides-field-body-fr = Text (French)
guides-field-body-en = Text (English)
guides-markdown-hint = In Markdown: # heading, **bold**, - list, [link](https://…). HTML, scripts and javascript: links are removed.
guides-field-themes = Themes (codes separated by commas)
guides-theme-codes = Theme codes
guides-field-sectors = NACE sectors (codes; empty = all)
guides-field-sizes = Sizes (0, 1-9, 10-49, 50-249; empty = all)
guides-field-territories = Territories (codes; empty = everywhere)
guides-save = Save
guides-saved = Guide saved.
guides-stale = Someone saved another version of this guide while you were editing it. Your text is kept below: reload the guide to see their changes before saving.
guides-history = Version history
guides-when = Date
guides-who = By
guides-changed = Fields changed
search-title = Search
search-label = Guides, workshops, providers and funding
search-submit = Search
search-none = No result of this kind.
guides-open-data = Open data, under the programme's licence:
guides-to-testimonies = Read testimonies of business owners who were supported
