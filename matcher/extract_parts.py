"""Reading a long text part by part, so a page can show progress: `extract` over each part
(split at blank lines), offsets kept as offsets into the whole text."""

from __future__ import annotations

from dataclasses import replace

from graph.knowledge import KnowledgeGraph
from matcher.extract import Claim, Extraction, extract, one_per_sentence
from matcher.mentions import Mention
from matcher.unclaimed import Unclaimed

PART_CHARS = 20_000


def extract_in_parts(text: str, kg: KnowledgeGraph, progress=None,
                     part_chars: int = PART_CHARS) -> Extraction:
    """`extract` over a long text part by part (split at blank lines), calling
    `progress(done_chars, total_chars)` after each part; offsets stay offsets into `text`.
    Gives the same result as `extract` when no sentence or table spans two parts."""
    parts: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + part_chars)
        if end < len(text):
            cut = text.rfind("\n\n", start + part_chars // 2, end)
            end = cut + 2 if cut > 0 else end
        parts.append((start, end))
        start = end
    mentions: list[Mention] = []
    claims: list[Claim] = []
    unclaimed: list[Unclaimed] = []
    for a, b in parts:
        found = extract(text[a:b], kg)
        mentions += _moved(found.mentions, a)
        claims += _moved(found.claims, a)
        unclaimed += _moved(found.unclaimed, a)
        if progress is not None:
            progress(b, len(text))
    return Extraction(tuple(mentions), one_per_sentence(claims), tuple(unclaimed))


def _moved(found, by: int) -> list:
    """Mentions, claims or pairs found in a part, at their place in the whole text."""
    return [replace(x, start=x.start + by, end=x.end + by) for x in found]
