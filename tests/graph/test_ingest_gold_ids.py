"""Every id in every hand-written ingest gold file names something in the seed data.

A gold id that does not exist (a typo, a council abolished and succeeded, a theme renamed)
would count as a miss the reader can never find. These tests read the gold files and the
seed data only; they never run the reader, so the held-out notes stay unseen by it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from graph.loader import load_dir
from graph.schema import EvidenceKind, NodeKind

GOLD_FILES = sorted((Path(__file__).resolve().parents[1] / "data" / "ingest").glob("*/gold.yaml"))
MENTION_KINDS = {"council": NodeKind.COUNCIL, "organisation": NodeKind.ORGANISATION,
                 "network": NodeKind.NETWORK, "theme": NodeKind.THEME}
SUBJECT_KINDS = {NodeKind.COUNCIL, NodeKind.ORGANISATION, NodeKind.NETWORK}
TARGET_KINDS = {NodeKind.THEME, NodeKind.PRACTICE, NodeKind.NETWORK}


@pytest.fixture(scope="module")
def kg():
    return load_dir().graph()


def _documents(gold: Path) -> list[dict]:
    return yaml.safe_load(gold.read_text(encoding="utf-8"))["documents"] or []


def _label(gold: Path, doc: dict) -> str:
    return f"{gold.parent.name}/{doc['file']}"


def test_there_are_gold_files_for_every_set_and_notes_to_guard_regressions():
    # the held-out list may be empty between one set of unseen notes and the next
    by_set = {g.parent.name: g for g in GOLD_FILES}
    assert {"dev", "regression", "heldout"} <= set(by_set)
    assert isinstance(_documents(by_set["heldout"]), list)
    assert len(_documents(by_set["regression"])) >= 2


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda g: g.parent.name)
def test_every_mention_is_a_current_node_of_its_kind(kg, gold):
    wrong = []
    for doc in _documents(gold):
        mentions = doc.get("mentions") or []
        if len(set(mentions)) != len(mentions):
            wrong.append(f"{_label(gold, doc)}: a mention is listed twice")
        for mention in mentions:
            kind, _, node_id = mention.partition(":")
            node = kg.get(node_id)
            if kind not in MENTION_KINDS or node is None or node.kind != MENTION_KINDS[kind]:
                wrong.append(f"{_label(gold, doc)}: {mention}")
            elif node.kind == NodeKind.COUNCIL and node.status != "current":
                wrong.append(f"{_label(gold, doc)}: {mention} is abolished; use its successor")
    assert wrong == []


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda g: g.parent.name)
def test_every_claim_has_a_known_subject_kind_and_target(kg, gold):
    kinds = {str(k) for k in EvidenceKind}
    wrong = []
    for doc in _documents(gold):
        for claim in doc.get("claims") or []:
            subject, kind, target = claim
            s, t = kg.get(subject), kg.get(target)
            if s is None or s.kind not in SUBJECT_KINDS or kind not in kinds \
                    or t is None or t.kind not in TARGET_KINDS:
                wrong.append(f"{_label(gold, doc)}: {claim}")
    assert wrong == []


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda g: g.parent.name)
def test_claims_rest_on_things_the_document_mentions(gold):
    wrong = []
    for doc in _documents(gold):
        mentioned = {m.partition(":")[2] for m in doc.get("mentions") or []}
        for subject, _, target in doc.get("claims") or []:
            wrong += [f"{_label(gold, doc)}: {x} is claimed about but not mentioned"
                      for x in (subject, target) if x not in mentioned]
    assert wrong == []


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda g: g.parent.name)
def test_every_note_in_the_repository_exists(gold):
    # documents with `seed` live outside the repository (the seed source folder)
    missing = [_label(gold, d) for d in _documents(gold)
               if "seed" not in d and not (gold.parent / d["file"]).is_file()]
    assert missing == []
