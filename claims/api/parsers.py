"""Request parsers: DRF's, made to answer every malformed body with a 400."""

from __future__ import annotations

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, which lets Python's RecursionError (`[[[[...]]]]` nested
    a few thousand deep) through as a 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(
                "JSON parse error - arrays or objects are nested too deeply."
            ) from error
