"""gunicorn's settings from the environment, for production:

    gunicorn factdb.wsgi -c factdb/gunicorn.conf.py

Django's own settings still come from DJANGO_* and DATABASE_URL (factdb/settings.py).
"""

import multiprocessing
import os


def _whole_number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip() or str(default)
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number of at least 1, got {value!r}")
    return int(value)


# Loopback by default: a reverse proxy in front terminates TLS.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# Synchronous workers, each one request at a time: gunicorn's advice of 2 per core
# plus 1. Throttle counters and login attempts live in the database, shared by all.
workers = _whole_number("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
# Seconds a request may run before its worker is restarted (exports of large sets
# stream for a while).
timeout = _whole_number("GUNICORN_TIMEOUT", 60)
# Access log to stdout, errors to stderr: the process manager keeps them.
accesslog = "-"
errorlog = "-"
