"""A minimal JSON client for the API, standard library only: a new connection per
request, so a killed worker costs exactly the request it was serving."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int  # 0: no HTTP answer at all (refused, reset, timed out)
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    error: str = ""

    @property
    def version(self) -> int | None:
        etag = self.headers.get("etag", "").strip('"')
        return int(etag) if etag.isdigit() else None

    @property
    def outcome(self) -> str:
        """How the request ended: `201`, `500`, `ConnectionResetError`."""
        return str(self.status) if self.status else self.error


class Api:
    def __init__(self, base_url: str, *, token: str = "", timeout: float = 10) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.timeout = timeout
        # FactDB runs behind a TLS-terminating proxy in production; the runs give
        # gunicorn the proxy's header (DJANGO_SECURE_PROXY_SSL_HEADER).
        self.headers = {"Accept": "application/json", "X-Forwarded-Proto": "https"}
        if token:
            self.headers["Authorization"] = f"Token {token}"

    def request(
        self, method: str, path: str, body: Any = None, *, if_match: int | None = None
    ) -> Reply:
        headers = dict(self.headers)
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if if_match is not None:
            headers["If-Match"] = f'"{if_match}"'
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=self.timeout
        )
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            raw = response.read()
            reply_headers = {
                name.lower(): value for name, value in response.getheaders()
            }
        except (OSError, http.client.HTTPException) as error:
            return Reply(status=0, error=type(error).__name__)
        finally:
            connection.close()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        return Reply(status=response.status, body=parsed, headers=reply_headers)
