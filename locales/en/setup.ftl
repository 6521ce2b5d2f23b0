# Programme set-up pages
