"""Every page under app/views has an AppTest that opens it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OPENED = re.compile(r"""open_page\(\s*\w+\s*,\s*["'](\w+)["']""")


def test_every_page_has_an_apptest_that_opens_it():
    pages = {p.stem for p in (ROOT / "app" / "views").glob("*.py") if p.stem != "__init__"}
    opened: set[str] = set()
    for test in (ROOT / "tests" / "app").glob("test_*.py"):
        opened |= set(OPENED.findall(test.read_text(encoding="utf-8")))
    assert pages, "no pages found under app/views"
    assert sorted(pages - opened) == [], "pages without an AppTest that opens them"
