"""Text the graph accepts: no control characters, checked once for every text field.

A NUL byte cannot be stored by FalkorDB (every later push would fail), and escape sequences
(`ESC [2J`) rewrite a terminal when `peerlink history` prints a name. So every string that
enters a record is refused at validation if it holds a control character, with the
character named. Line breaks and tabs stay allowed: a council's self-view is paragraphs.

>>> control_character_problem("Halton")
>>> control_character_problem("Hal\\x00ton")
'contains the control character U+0000 (NUL) at position 4: remove it'
>>> control_character_problem("two\\nlines\\tand a tab")
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, field_validator

ALLOWED_CONTROLS = "\t\n\r"
# C0 controls (less tab, line feed, carriage return), DEL and the C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BACKSPACE", 0x1B: "ESC", 0x7F: "DEL"}


def control_character_problem(text: str) -> str | None:
    """Why `text` is refused (the first control character it holds), or None if it is fine."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    code = ord(found.group())
    name = f" ({_NAMES[code]})" if code in _NAMES else ""
    return (f"contains the control character U+{code:04X}{name} at position "
            f"{found.start() + 1}: remove it")


def refuse_control_characters(value: Any) -> Any:
    """A pydantic validator for every field: raise ValueError if any string inside `value`
    (itself, or within a list or a dict, keys included) holds a control character."""
    if isinstance(value, str):
        problem = control_character_problem(value)
        if problem:
            raise ValueError(problem)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            refuse_control_characters(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_control_characters(key)
            refuse_control_characters(item)
    return value


class PlainText(BaseModel, defer_build=True):
    """A model whose every field (nested lists and dicts included) refuses control
    characters; graph.schema's records all derive from it."""

    _no_control_characters = field_validator("*")(
        classmethod(lambda cls, v: refuse_control_characters(v)))
