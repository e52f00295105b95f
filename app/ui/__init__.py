"""The Flet field app: thin views over `app.services`; blocking work runs in threads."""
