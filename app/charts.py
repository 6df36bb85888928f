"""Bar charts as plain Vega-Lite specifications, for `st.vega_lite_chart`, and as text.

Written as dictionaries rather than with Altair: Altair validates every chart against the
Vega-Lite schema as it is built (about 40 ms a chart; the partners page once drew one per
proposed council, which made a lookup take seconds). Data reaches a chart only as chart data
(inline values), never as HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def _nominal(field: str, **more) -> dict:
    return {"field": field, "type": "nominal", **more}


def _quantitative(field: str, **more) -> dict:
    return {"field": field, "type": "quantitative", **more}


BAR_CELLS = 20


def signal_table(signals: Mapping[str, float | None]) -> str:
    """The signals of one proposal as a Markdown table of text bars (0-1 in 20 cells).

    Text, not a chart: the partners page shows up to twenty proposals, and twenty charts
    took the browser 0.4 s more to draw than the rest of the page.

    >>> print(signal_table({"expertise": 0.76, "capacity": None}))
    | signal | 0 to 1 | value |
    |---|---|---:|
    | expertise | `███████████████░░░░░` | 0.76 |
    | capacity | | not recorded |
    """
    lines = ["| signal | 0 to 1 | value |", "|---|---|---:|"]
    for name, value in signals.items():
        if value is None:
            lines.append(f"| {name} | | not recorded |")
            continue
        filled = round(max(0.0, min(1.0, value)) * BAR_CELLS)
        bar = "\u2588" * filled + "\u2591" * (BAR_CELLS - filled)
        lines.append(f"| {name} | `{bar}` | {value:.2f} |")
    return "\n".join(lines)


def grouped_bars(rows: Sequence[dict], *, value: str, value_title: str, category: str,
                 group: str, sort: Sequence[str] | str, height: int,
                 whole_numbers: bool = False) -> dict:
    """Horizontal bars, one row per `category`, a bar per `group` side by side in it."""
    axis = {"tickMinStep": 1, "format": "d"} if whole_numbers else {}
    sort_spec = sort if isinstance(sort, str) else list(sort)
    return {
        "data": {"values": list(rows)},
        "height": height,
        "mark": {"type": "bar"},
        "encoding": {
            "x": _quantitative(value, title=value_title, **({"axis": axis} if axis else {})),
            "y": _nominal(category, sort=sort_spec, title=None),
            "color": _nominal(group, title=None),
            "yOffset": _nominal(group),
            "tooltip": [_nominal(category), _nominal(group), _quantitative(value)],
        },
    }
