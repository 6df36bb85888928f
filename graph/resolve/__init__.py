"""Resolve council names as people write them to ONS GSS codes.

"Notts CC", "LB Hammersmith and Fulham", "Kingston upon Hull, City of", "Lancashre" and
"E06000010" all name a council; "Kingston" names two and "Gotham City Council" none. The
resolver answers with one council only when it is confident: a wrong council is worse than
none, so a weak or ambiguous match returns `code=None` with the candidates as `alternatives`.

One concept per module: `words` (normalisation, initials, acronyms), `fuzzy` (similarity and
when it is enough), `tables` (areas and royal boroughs, validated seed data), `result` (what a
resolution says) and `resolver` (the order in which they are tried).

>>> from graph.schema import Council
>>> r = Resolver([
...     Council(id="E10000017", name="Lancashire", type="county", region="E12000002",
...             aliases=["Lancs"]),
...     Council(id="E06000010", name="Kingston upon Hull, City of", type="unitary",
...             region="E12000003", aliases=["Hull"]),
...     Council(id="E09000021", name="Kingston upon Thames", type="london_borough",
...             region="E12000007"),
... ])
>>> r.resolve("Lancs County Council").code
'E10000017'
>>> r.resolve("Lancashre").code
'E10000017'
>>> r.resolve("Hull City Council").name
'Kingston upon Hull, City of'
>>> res = r.resolve("Kingston")
>>> res.code is None, sorted(a.code for a in res.alternatives)
(True, ['E06000010', 'E09000021'])
>>> r.resolve("Gotham City Council").code is None
True
>>> r.resolve("Royal Borough of Kingston").code
'E09000021'
"""

from graph.resolve.resolver import Resolver
from graph.resolve.result import Alternative, Resolution
from graph.resolve.tables import NameTables, load_name_tables
from graph.resolve.words import normalise

__all__ = ["Alternative", "NameTables", "Resolution", "Resolver", "load_name_tables",
           "normalise"]
