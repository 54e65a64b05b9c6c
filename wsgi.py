"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from cia import create_app

app = create_app()
