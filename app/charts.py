"""Bar charts as plain Vega-Lite specifications, for `st.vega_lite_chart`.

Written as dictionaries rather than with Altair: Altair validates every chart against the
Vega-Lite schema as it is built (about 40 ms a chart), and the partners page draws one per
proposed council, which made a lookup take seconds. Data reaches the chart only as chart
data (inline values), never as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence


def _nominal(field: str, **more) -> dict:
    return {"field": field, "type": "nominal", **more}


def _quantitative(field: str, **more) -> dict:
    return {"field": field, "type": "quantitative", **more}


def signal_bars(rows: Sequence[dict], order: Sequence[str]) -> dict:
    """One bar per signal on a 0-1 scale with its value written beside it.

    `rows` hold `signal`, `value` (0-1), `label` (the value as written, or "not recorded")
    and `why` (shown on hover); `order` is the order of the signals, top to bottom.
    """
    position = {
        "x": _quantitative("value", scale={"domain": [0, 1]}, title=None,
                           axis={"values": [0, 0.25, 0.5, 0.75, 1], "format": ".2~f"}),
        "y": _nominal("signal", sort=list(order), title=None, axis={"labelOverlap": False}),
        "tooltip": [_nominal("signal"), _nominal("label"), _nominal("why")],
    }
    return {
        "data": {"values": list(rows)},
        "height": 26 * len(rows),
        "layer": [
            {"mark": {"type": "bar", "height": 14}, "encoding": position},
            {"mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 10},
             "encoding": {**position, "text": _nominal("label")}},
        ],
    }


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
