# FactDB: `make run` serves the admin on 127.0.0.1:8000 with the seed data;
# `make test` runs the whole suite. Both start from a clean clone.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint fixtures reliability bench serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

fixtures: $(VENV)/.installed
	$(BIN)/python fixtures/build.py

# Production (README "Deployment"): with DJANGO_DEBUG=false, DJANGO_SECRET_KEY,
# DJANGO_ALLOWED_HOSTS and DATABASE_URL set, migrate, collect the static files that
# WhiteNoise serves, and run gunicorn (GUNICORN_BIND, GUNICORN_WORKERS).
serve: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/gunicorn factdb.wsgi -c factdb/gunicorn.conf.py

# The fault and load runs (4 to 8 minutes), figures into docs/reliability.md. They
# drop and recreate their own database, serve it with gunicorn, and stop and restart
# the local PostgreSQL cluster on purpose: not while other work uses that cluster.
RELIABILITY_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/factdb_reliability

reliability: $(VENV)/.installed-dev
	DATABASE_URL=$(RELIABILITY_DATABASE_URL) $(BIN)/python manage.py reliability run

# The read benchmarks, the export and the throughput run (about 4 minutes), figures
# appended to docs/benchmarks.md, on a PostgreSQL database filled once by
# `manage.py generate_dataset --scale 1` (6 minutes; docs/benchmarks.md says how).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/factdb_bench

bench: $(VENV)/.installed
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate --noinput
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py bench
