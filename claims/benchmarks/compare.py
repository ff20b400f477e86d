"""Comparing the API's JSON with its floor's."""

from __future__ import annotations

from typing import Any


def canonical(data: Any) -> Any:
    """JSON with every list of citations in id order: the API orders a statement's
    citations by source and offset, and leaves ties to the database."""
    if isinstance(data, dict):
        return {
            key: sorted(map(canonical, value), key=lambda c: c["id"])
            if key == "citations"
            else canonical(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [canonical(item) for item in data]
    return data


def first_difference(api: Any, floor: Any, where: str = "") -> str | None:
    """Where two JSON documents first differ (`results[3].citations[0].quote`)."""
    if isinstance(api, dict) and isinstance(floor, dict):
        for key in sorted(api.keys() | floor.keys()):
            if key not in api or key not in floor:
                return f"{where}.{key}: only in the {'API' if key in api else 'floor'}"
            found = first_difference(api[key], floor[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(api, list) and isinstance(floor, list):
        if len(api) != len(floor):
            return f"{where}: {len(api)} items in the API, {len(floor)} in the floor"
        for index, (a, f) in enumerate(zip(api, floor, strict=True)):
            found = first_difference(a, f, f"{where}[{index}]")
            if found:
                return found
        return None
    return None if api == floor else f"{where}: API {api!r}, floor {floor!r}"
