"""Indexes built once per graph snapshot and kept while the snapshot lives."""

from __future__ import annotations

import weakref
from typing import Any, ClassVar, Self

from graph.knowledge import KnowledgeGraph


class PerSnapshot:
    """A class built from a snapshot (``cls(kg)``); `for_graph` builds it once per snapshot.

    Keyed weakly on the snapshot object itself (never on ``id(kg)``, which Python reuses).
    """

    _cache: ClassVar[weakref.WeakKeyDictionary]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._cache = weakref.WeakKeyDictionary()

    @classmethod
    def for_graph(cls, kg: KnowledgeGraph) -> Self:
        found = cls._cache.get(kg)
        if found is None:
            found = cls._cache[kg] = cls(kg)  # type: ignore[call-arg]
        return found
