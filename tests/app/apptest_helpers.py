"""Helpers the app tests share: open a page, read it as a person would."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ENTRY = Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py"

_ESCAPE = re.compile(r"\\(.)")
_BOLD = re.compile(r"(?<!\\)\*\*")


def new_app() -> AppTest:
    """The whole app, run once (on Home)."""
    at = AppTest.from_file(str(ENTRY), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def unescape(text: str) -> str:
    """Markdown source as a person reads it (backslash escapes removed)."""
    return _ESCAPE.sub(r"\1", _BOLD.sub("", text))


def read(at: AppTest) -> str:
    """Everything a person would read on the page, as one string."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success"):
        parts += [unescape(str(e.value)) for e in getattr(at, kind)]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    return "\n".join(parts)
