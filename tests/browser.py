"""What the browser tests share: Debian's Chromium and how it is launched, the
marks that skip them where it is missing, and where their screenshots go.

The fixtures built on these (`browser`, `browser_context`, `page`, `screenshots`)
are in conftest.py.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# No network, no updates, no first-run UI: the browser only talks to the live server.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1200, "height": 900}
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

# A browser test module's `pytestmark`.
BROWSER_TESTS = [
    pytest.mark.e2e,
    # CI installs chromium and must run these: there a missing browser fails.
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("CI"),
        reason="chromium is not installed (CI installs it and runs these tests)",
    ),
]
