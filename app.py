"""Entry point for `flask --app app` and WSGI servers."""

from ancuu_docs import create_app

app = create_app()
