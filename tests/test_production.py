"""Production settings: `check --deploy` passes with them; gunicorn serves the pages
over HTTPS only with a Content Security Policy and WhiteNoise the static files;
admin logins are locked out after repeated failures; passwords are hashed with
Argon2; every API view names its permission; the rate limits hold across processes.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from claims.api.permissions import DenyAll
from factdb.settings import env_int
from tests.browser import BROWSER_TESTS
from tests.conftest import REPO_ROOT

# What a deployment sets (README, "Deployment"); the key is random, 86 characters.
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "factdb.example.org",
}
HOST = "factdb.example.org"

CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
# The admin's and the API's pages come from other projects' templates with inline
# styles (factdb/security.py); scripts stay FactDB's own.
ADMIN_AND_API_CSP = CSP | {"style-src": ["'self'", "'unsafe-inline'"]}


def policy(header: str) -> dict[str, list[str]]:
    directives = (d.split() for d in header.split(";") if d.strip())
    return {name: values for name, *values in directives}


def run_python(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Python in a fresh process, in the repository, with only `env` set."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def database_url_for_tests() -> str:
    """DATABASE_URL of the test database, for another process."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    credentials = quote(settings["USER"], safe="")
    if settings["PASSWORD"]:
        credentials += ":" + quote(settings["PASSWORD"], safe="")
    return (
        f"postgres://{credentials}@{settings['HOST'] or 'localhost'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


# The deployment checks ---------------------------------------------------------------


def test_the_production_environment_passes_the_deployment_checks():
    result = run_python(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_the_deployment_checks_refuse_to_start_without_a_secret_key():
    without_key = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}

    result = run_python(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", **without_key
    )

    assert result.returncode == 1
    assert result.stderr.rstrip().endswith(
        "django.core.exceptions.ImproperlyConfigured: "
        "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off"
    )


def test_the_deployment_checks_fail_a_weakened_production_environment():
    weakened = {
        **PRODUCTION,
        "DJANGO_SECRET_KEY": "change-me",  # .env.example's placeholder
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
    }

    result = run_python(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", **weakened
    )

    assert result.returncode == 1
    assert set(re.findall(r"\(([\w.]+)\)", result.stderr)) == {
        "security.W004",  # no HSTS
        "security.W008",  # no redirect to HTTPS
        "security.W009",  # a short, guessable key
        "security.W012",  # the session cookie also over plain HTTP
        "security.W016",  # the CSRF cookie too
    }


@pytest.mark.parametrize("value", ["0", "five", "-1"])
def test_a_malformed_number_in_the_environment_is_refused_with_its_name(
    monkeypatch, value
):
    monkeypatch.setenv("FACTDB_LOGIN_FAILURE_LIMIT", value)

    with pytest.raises(ImproperlyConfigured) as raised:
        env_int("FACTDB_LOGIN_FAILURE_LIMIT", 5, minimum=1)

    assert str(raised.value) == (
        "FACTDB_LOGIN_FAILURE_LIMIT must be a whole number of at least 1, "
        f"got {value!r}"
    )


# gunicorn and WhiteNoise with DEBUG off -----------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited: {server.communicate()[1]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not listen on port {port} within {seconds} s")


def _get(port: int, path: str, **headers: str) -> tuple[int, dict, bytes]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        client.request("GET", path, headers={"Host": HOST, **headers})
        response = client.getresponse()
        return response.status, response.headers, response.read()
    finally:
        client.close()


@pytest.fixture
def production_server(db, tmp_path):
    """gunicorn (factdb/gunicorn.conf.py) with DEBUG off behind a TLS proxy's
    X-Forwarded-Proto, on the test database, serving static files that
    collectstatic wrote with the production storage."""
    env = {
        **PRODUCTION,
        "DATABASE_URL": database_url_for_tests(),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    }
    # Only the public pages' files: the admin's, DRF's and Swagger UI's go through
    # the same storage, but compressing all of them takes minutes on CI.
    collected = run_python(
        "manage.py", "collectstatic", "--noinput",
        *("--ignore=" + name for name in
          ("admin", "rest_framework", "drf_spectacular_sidecar", "import_export")),
        **env,
    )  # fmt: skip
    assert collected.returncode == 0, collected.stderr
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "factdb.wsgi",
            "-c",
            "factdb/gunicorn.conf.py",
        ],
        cwd=REPO_ROOT,
        env={
            "PATH": os.environ["PATH"],
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "1",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(port, server)
        yield port
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_gunicorn_serves_the_public_pages_over_https_only_with_their_stylesheet(
    production_server,
):
    https = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}

    status, headers, body = _get(production_server, "/", **https)
    redirect_status, redirect_headers, _ = _get(production_server, "/")
    stylesheet = re.search(
        r'<link rel="stylesheet" href="(/static/public/factdb\.[0-9a-f]{12}\.css)">',
        body.decode(),
    )
    css_status, css_headers, css = _get(production_server, stylesheet[1], **https)

    assert status == 200
    assert headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert policy(headers["Content-Security-Policy"]) == CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert (redirect_status, redirect_headers["Location"]) == (
        301,
        f"https://{HOST}/",
    )
    # WhiteNoise: the hashed name, compressed, cached for good.
    assert css_status == 200
    assert css_headers["Content-Type"].startswith("text/css")
    assert css_headers["Content-Encoding"] == "gzip"
    assert css_headers["Cache-Control"] == "max-age=315360000, public, immutable"
    source = REPO_ROOT / "claims" / "static" / "public" / "factdb.css"
    assert gzip.decompress(css) == source.read_bytes()


PRODUCTION_SETTINGS = """
import json
from django.conf import settings as s
print(json.dumps({
    "cookies": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,
                s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY],
    "static": s.STORAGES["staticfiles"]["BACKEND"],
    "proxy": s.SECURE_PROXY_SSL_HEADER,
    "logins": [s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds()],
}))
"""


def test_production_cookies_static_files_and_login_limits_follow_the_environment():
    result = run_python(
        "manage.py", "shell", "--no-imports", "-c", PRODUCTION_SETTINGS,
        **PRODUCTION,
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        FACTDB_LOGIN_FAILURE_LIMIT="3",
        FACTDB_LOGIN_COOLOFF_MINUTES="60",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        # Sent over HTTPS only, and hidden from scripts.
        "cookies": [True, True, True, True],
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
        "logins": [3, 3600.0],
    }


# Logins: django-axes and Argon2 -----------------------------------------------------


def log_in(client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def reviewer(db):
    return get_user_model().objects.create_user(
        username="reviewer", password="factdb-test", is_staff=True
    )


def test_five_failed_logins_lock_that_username_out_from_that_address(client, editor):
    failures = [log_in(client, "editor", "wrong").status_code for _ in range(5)]

    refused = log_in(client, "editor", "factdb-test")

    assert failures == [200, 200, 200, 200, 429]
    assert refused.status_code == 429
    assert refused.content.decode() == (
        "Account locked: too many login attempts. Please try again later."
    )
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("editor", "192.0.2.10")


def test_a_lockout_spares_other_users_and_other_addresses_until_axes_reset(
    client, editor, reviewer
):
    for _ in range(5):
        log_in(client, "editor", "wrong")

    other_user = log_in(client, "reviewer", "factdb-test")
    client.logout()
    other_address = log_in(client, "editor", "factdb-test", address="192.0.2.99")
    client.logout()
    still_locked = log_in(client, "editor", "factdb-test")
    call_command("axes_reset", verbosity=0)
    after_reset = log_in(client, "editor", "factdb-test")

    assert (other_user.status_code, other_user["Location"]) == (302, "/admin/")
    assert (other_address.status_code, other_address["Location"]) == (302, "/admin/")
    assert still_locked.status_code == 429
    assert (after_reset.status_code, after_reset["Location"]) == (302, "/admin/")
    assert not AccessAttempt.objects.exists()


def test_an_older_pbkdf2_password_is_rehashed_with_argon2_at_login(client, editor):
    assert editor.password.startswith("argon2$argon2id$")
    editor.password = make_password("factdb-test", hasher="pbkdf2_sha256")
    editor.save(update_fields=["password"])

    response = log_in(client, "editor", "factdb-test")

    assert (response.status_code, response["Location"]) == (302, "/admin/")
    editor.refresh_from_db()
    assert editor.password.startswith("argon2$argon2id$")
    assert check_password("factdb-test", editor.password)


# The API's permissions --------------------------------------------------------------


def _api_routes(resolver: URLResolver | None = None, prefix: str = ""):
    """(route, view) of every URL under /api/."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _api_routes(entry, route)
        elif isinstance(entry, URLPattern) and route.startswith("api/"):
            yield route, entry.callback


def test_every_api_view_names_its_permissions_and_the_default_refuses_everyone():
    unnamed = []
    for route, view in _api_routes():
        # A viewset's @action passes its own permission_classes as an initkwarg.
        named = view.initkwargs.get("permission_classes", view.cls.permission_classes)
        if not named or DenyAll in named:
            unnamed.append(route)
    routes = {route for route, _ in _api_routes()}

    assert [DenyAll] == api_settings.DEFAULT_PERMISSION_CLASSES
    assert unnamed == []
    # The walk reached the router's, the plain views' and the actions' routes.
    assert {
        "api/v1/",
        "api/v1/^statements/$",
        "api/v1/citations/export/",
        "api/v1/^sources/import/$",
        "api/v1/^sources/(?P<pk>[^/.]+)/suggestions/$",
        "api/docs/",
    } <= routes


def test_a_view_without_permission_classes_is_refused_even_to_a_superuser(
    admin_user,
):
    class Unguarded(APIView):
        def get(self, request):
            return Response({"drafts": "all of them"})

    anonymous = Unguarded.as_view()(APIRequestFactory().get("/api/v1/unguarded/"))
    request = APIRequestFactory().get("/api/v1/unguarded/")
    force_authenticate(request, user=admin_user)
    superuser = Unguarded.as_view()(request)

    assert anonymous.status_code == 401
    assert anonymous.data == {"detail": "Authentication credentials were not provided."}
    assert superuser.status_code == 403
    assert superuser.data == {
        "detail": "This endpoint names no permission, so it is closed to everyone."
    }


# Throttling in the database cache -----------------------------------------------------

TWO_REQUESTS = """
import json
import django
django.setup()
from django.test import Client
client = Client()
print(json.dumps([client.get("/api/v1/topics/").status_code for _ in range(2)]))
"""


def test_the_anonymous_rate_limit_holds_across_two_processes(transactional_db):
    env = {
        "DJANGO_SETTINGS_MODULE": "factdb.settings",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": database_url_for_tests(),
        "FACTDB_THROTTLE_ANON": "3/minute",
    }

    first = run_python("-c", TWO_REQUESTS, **env)
    second = run_python("-c", TWO_REQUESTS, **env)

    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert json.loads(first.stdout) == [200, 200]
    assert json.loads(second.stdout) == [200, 429]
    # The three counted requests are in the table, for any process's cache to read.
    another_cache = DatabaseCache("factdb_cache", {})
    assert len(another_cache.get("throttle_anon_127.0.0.1")) == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM factdb_cache")
        assert [key for (key,) in cursor.fetchall()] == [":1:throttle_anon_127.0.0.1"]


def test_a_forged_x_forwarded_for_does_not_escape_the_rate_limit(
    client, db, monkeypatch
):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "4/minute"}
    )

    statuses = [
        client.get(
            "/api/v1/topics/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(3)
    ]

    assert statuses == [200, 200, 429]
    assert len(cache.get("throttle_anon_127.0.0.1")) == 2


# The Content Security Policy in a browser ------------------------------------------


@pytest.mark.parametrize(
    "path,expected",
    [
        ("/", CSP),
        ("/search/?q=hodgepodge", CSP),
        ("/admin/login/", ADMIN_AND_API_CSP),
        ("/api/docs/", ADMIN_AND_API_CSP),
        ("/api/v1/", ADMIN_AND_API_CSP),
    ],
)
def test_every_page_carries_its_content_security_policy(client, db, path, expected):
    response = client.get(path, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert policy(response["Content-Security-Policy"]) == expected


def browser_test(function):
    for mark in BROWSER_TESTS:
        function = mark(function)
    return function


@browser_test
def test_the_public_pages_the_admin_and_swagger_ui_work_under_the_policy(
    page, django_user_model
):
    django_user_model.objects.create_superuser("csp-admin", password="factdb-test")
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and refused.append(f"{page.url}: {message.text}")
        ),
    )
    page.on("pageerror", lambda error: refused.append(f"{page.url}: {error}"))

    assert page.goto("/claims/xinjiang-camps-sexual-violence/").status == 200
    # The legend's colours are SVG fills: an inline style attribute would be refused.
    fills = page.locator("ul.legend svg.swatch circle").evaluate_all(
        "circles => circles.map(c => getComputedStyle(c).fill)"
    )
    assert len(fills) > 1 and all(fill.startswith("rgb(") for fill in fills)
    for path in ("/", "/sources/1/", "/actors/china/", "/search/?q=hodgepodge"):
        assert page.goto(path).status == 200, path

    page.goto("/admin/login/")
    page.fill("#id_username", "csp-admin")
    page.fill("#id_password", "factdb-test")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    for path in (
        "/admin/claims/statement/",
        "/admin/claims/statement/4/change/",
        "/admin/claims/statement/4/history/",
        "/admin/claims/source/1/change/",
        "/admin/claims/actor/import/",
        # DRF's browsable API, in the admin's session.
        "/api/v1/statements/4/",
    ):
        assert page.goto(path).status == 200, path
    # Swagger UI: its start-up script ran and drew every operation.
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock")

    assert page.locator(".opblock").count() > 20
    assert refused == []


def test_static_files_are_found_in_the_apps_without_collectstatic_while_debugging(
    client, db
):
    # Tests and `make run` have DEBUG on (at import): WhiteNoise serves the
    # apps' directories as they are.
    response = client.get("/static/public/factdb.css")

    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content == Path(REPO_ROOT, "claims/static/public/factdb.css").read_bytes()
