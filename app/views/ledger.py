"""Who gives and who receives: engagements and peer reviews counted per council, how unevenly
the giving falls, and the councils that only ever give (the ones to rest)."""

from __future__ import annotations

import streamlit as st

from app import charts, state
from app.ui import md
from graph.ledger import ledger, lorenz, only_givers

kg = state.kg()
st.title("Who gives and who receives")
region = state.region()
where = kg.name(region) if region else "England"
st.caption("Counts agreed, active and completed engagements (improvement partnerships, peer "
           "reviews, mentoring and coaching, learning sets), including saved peer-review "
           "rounds. Choose a region in the sidebar.")
since = st.number_input("Since (year)", min_value=2000, max_value=2100, value=None, step=1,
                        key=state.L_SINCE, placeholder="all years")
led = ledger(kg, region or None, int(since) if since else None)
if not led.councils:
    st.info(f"No engagements recorded in {md(where)}"
            + (f" since {int(since)}" if since else "") + ": nobody has given or received yet. "
            "Engagements are recorded on Find partners, with `peerlink engagement`, or by "
            "saving a staffed peer-review round.")
    st.stop()

gave = sum(r.gave for r in led.councils)
c1, c2, c3 = st.columns(3)
c1.metric("Engagements given", gave)
c2.metric("Councils giving", sum(1 for r in led.councils if r.gave))
c3.metric("Inequality of giving (Gini)", f"{led.gini:.2f}",
          help="0 when every council gives the same; towards 1 when one council gives it all. "
               f"Over all {led.scope} councils in {where}, those that gave nothing included.")

givers = only_givers(led)
if givers:
    st.warning("Only give, never receive: " + md(", ".join(kg.name(c) for c in givers))
               + ". Rest them first in the next round.")

st.subheader(f"Who carries the load in {md(where)}")
load = [{"council": r.name, "engagements": n, "as": how}
        for r in led.councils for how, n in (("gave", r.gave), ("received", r.received))]
order = [r.name for r in led.councils]  # most given first
st.vega_lite_chart(spec=charts.grouped_bars(
    load, value="engagements", value_title="engagements", category="council", group="as",
    sort=order, height=max(160, 30 * len(order))), width="stretch")

st.subheader("How evenly the giving is shared")
values = [r.gave for r in led.councils] + [0] * (led.scope - len(led.councils))
points = lorenz(values)
st.line_chart({"share of councils": [p[0] for p in points],
               "share of all giving": [p[1] for p in points],
               "if shared evenly": [p[0] for p in points]},
              x="share of councils", y=["share of all giving", "if shared evenly"])
st.caption("A Lorenz curve: the further the line sags below the diagonal, the more of the "
           "giving falls on a few councils.")

st.dataframe([{"council": r.name, "code": r.code, "gave": r.gave, "received": r.received,
               "balance": r.balance} for r in led.councils],
             hide_index=True, width="stretch")
