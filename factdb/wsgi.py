"""WSGI entry point (gunicorn factdb.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from factdb.memory import tune_garbage_collection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdb.settings")
application = get_wsgi_application()
tune_garbage_collection()
