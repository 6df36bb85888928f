"""Council-name resolution: the names people write resolve to the right council, or to none."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graph.loader import load_dir
from graph.resolve import Resolution, Resolver, normalise
from graph.schema import Council
from tests import DATA

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seed_data"
# The loader needs these files; copying just them keeps other seed files out of this test.
LOADER_FILES = ("councils.csv", "regions.csv", "documents.yaml", "themes.yaml")


def load_councils(tmp: Path) -> list[Council]:
    """councils.csv through the project loader (validated, references checked)."""
    for name in LOADER_FILES:
        shutil.copy(SEED / name, tmp / name)
    return [n for n in load_dir(tmp).nodes if isinstance(n, Council)]


@pytest.fixture(scope="module")
def resolver(tmp_path_factory) -> Resolver:
    return Resolver(load_councils(tmp_path_factory.mktemp("seed")))


def current_codes(res: Resolution) -> list[str]:
    """What a user is pointed to: the council itself, or an abolished one's successors."""
    if res.code is None:
        return []
    return sorted(res.successors) if res.status == "abolished" else [res.code]


def eval_cases() -> list[tuple[str, list[str]]]:
    path = DATA / "resolve_cases.json"
    return [(q, sorted(codes)) for q, codes in json.loads(path.read_text(encoding="utf-8"))]


def test_every_public_eval_case_resolves_as_listed(resolver):
    wrong = []
    for query, expected in eval_cases():
        got = current_codes(resolver.resolve(query))
        if got != expected:
            wrong.append((query, expected, got))
    assert not wrong, wrong


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("NE Lincs", "E06000012"),
        ("North East Lincs Council", "E06000012"),
        ("Cheshire W & Chester", "E06000050"),
        ("CWAC", "E06000050"),
        ("Hull City Council", "E06000010"),
        ("Kingston upon Hull, City of", "E06000010"),
        ("LB Hammersmith and Fulham", "E09000013"),
        ("London Borough of Hammersmith & Fulham", "E09000013"),
        ("H&F", "E09000013"),
        ("Royal Borough of Kingston upon Thames", "E09000021"),
        ("Royal Borough of Greenwich", "E09000011"),
        ("RBKC", "E09000020"),
        ("Wigan MBC", "E08000010"),
        ("Kent CC", "E10000016"),
        ("Notts County Council", "E10000024"),
        ("Bath and NE Somerset", "E06000022"),
        ("BANES", "E06000022"),
        ("BwD", "E06000008"),
        ("Brum", "E08000025"),
        ("Bucks", "E06000060"),
        ("W&F", "E06000064"),
        ("BCP", "E06000058"),
        ("Stoke", "E06000021"),
        ("Brighton", "E06000043"),
        ("St. Helens Council", "E08000013"),
        ("Saint Helens", "E08000013"),
        ("Co. Durham", "E06000047"),
        ("Durham County Council", "E06000047"),
        ("City of London", "E09000001"),
        ("City of London Corporation", "E09000001"),
        ("Bristol, City of", "E06000023"),
        ("City of Bristol", "E06000023"),
        ("Bristol City Council", "E06000023"),
        ("Herefordshire, County of", "E06000019"),
        ("Isles of Scilly", "E06000053"),
        ("Council of the Isles of Scilly", "E06000053"),
        ("Tower Hamlets", "E09000030"),
        ("Northumberland", "E06000057"),
        ("North Northants", "E06000061"),
        ("Sheffield", "E08000019"),
        ("Leeds Children's Services", "E08000035"),
        ("e06000058", "E06000058"),
        ("E08000039", "E08000019"),  # Sheffield's ONS code since 2024
    ],
)
def test_paraphrases_resolve_to_the_council(resolver, query, code):
    res = resolver.resolve(query)
    assert res.code == code, res
    assert res.status == "current"
    assert res.successors == []


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Lancashre", "E10000017"),
        ("Manchster City Council", "E08000003"),
        ("Birmingam", "E08000025"),
        ("Hamersmith", "E09000013"),
        ("Middlesborough", "E06000002"),
        ("Leicestershre", "E10000018"),
        ("Notingham", "E06000018"),
    ],
)
def test_typos_resolve_with_a_score_below_an_exact_hit(resolver, query, code):
    res = resolver.resolve(query)
    assert res.code == code, res
    assert 85 <= res.score < 100


@pytest.mark.parametrize(
    ("query", "own", "successors"),
    [
        ("Northamptonshire", "E10000021", ["E06000061", "E06000062"]),
        ("Northants", "E10000021", ["E06000061", "E06000062"]),
        ("Bournemouth", "E06000028", ["E06000058"]),
        ("Poole", "E06000029", ["E06000058"]),
        ("Cumbria County Council", "E10000006", ["E06000063", "E06000064"]),
        ("E10000006", "E10000006", ["E06000063", "E06000064"]),
        ("Dorset County Council", "E10000009", ["E06000059"]),
        ("North Yorkshire County Council", "E10000023", ["E06000065"]),
        ("Somerset County Council", "E10000027", ["E06000066"]),
        ("Buckinghamshire County Council", "E10000002", ["E06000060"]),
    ],
)
def test_abolished_council_resolves_to_its_record_and_successors(resolver, query, own, successors):
    res = resolver.resolve(query)
    assert (res.code, res.status) == (own, "abolished"), res
    assert sorted(res.successors) == successors


@pytest.mark.parametrize(
    ("query", "code"),
    [("North Yorkshire", "E06000065"), ("Somerset", "E06000066"), ("Dorset", "E06000059")],
)
def test_todays_name_prefers_the_current_council_over_its_predecessor(resolver, query, code):
    res = resolver.resolve(query)
    assert (res.code, res.status) == (code, "current")


@pytest.mark.parametrize(
    "query",
    [
        "Atlantis Borough Council",
        "Gotham City Council",
        "Ambridge",
        "Narnia County Council",
        "Springfield",
        "Wessex",
        "Borsetshire County Council",
        "Midsomer",
        "London",
        "Yorkshire",
        "Stafford",  # a district, not a children's services authority
        "Cardiff",
        "W06000015",
        "E99999999",
        "",
        "Council",
    ],
)
def test_made_up_or_non_council_names_return_no_match(resolver, query):
    res = resolver.resolve(query)
    assert res.code is None, res
    assert res.status is None and res.successors == []


def test_kingston_alone_is_ambiguous_and_offers_both(resolver):
    res = resolver.resolve("Kingston")
    assert res.code is None
    assert {a.code for a in res.alternatives} >= {"E06000010", "E09000021"}


@pytest.mark.parametrize(
    ("query", "members"),
    [
        ("Cheshire", {"E06000049", "E06000050"}),
        ("Berkshire", {"E06000037", "E06000038"}),
        ("Greater Manchester", {"E08000003", "E08000010"}),
    ],
)
def test_areas_spanning_councils_offer_them_as_alternatives(resolver, query, members):
    res = resolver.resolve(query)
    assert res.code is None
    assert members <= {a.code for a in res.alternatives}


@pytest.mark.parametrize(
    ("query", "right", "wrong"),
    [
        ("Northumberland", "E06000057", "E06000061"),
        ("Sheffield", "E08000019", None),
        ("Leicester", "E06000016", "E10000018"),
        ("Derby", "E06000015", "E10000007"),
    ],
)
def test_similar_names_are_not_confused(resolver, query, right, wrong):
    assert resolver.resolve(query).code == right
    assert resolver.resolve(query).code != wrong


def test_json_shape_is_stable(resolver):
    out = resolver.resolve("Manchster").to_json()
    assert list(out) == ["query", "code", "name", "score", "status", "successors", "alternatives"]
    assert out["code"] == "E08000003"
    assert all(set(a) == {"code", "name", "score"} for a in out["alternatives"])
    none = resolver.resolve("Kingston").model_dump()
    assert none["code"] is None and len(none["alternatives"]) >= 2
    json.dumps(none)


def test_resolve_many_keeps_order(resolver):
    got = [r.code for r in resolver.resolve_many(["Herts", "Gotham", "Lancs"])]
    assert got == ["E10000015", None, "E10000017"]


def test_normalise_keeps_city_of_london_and_drops_generic_words():
    assert normalise("The City of London") == "city of london"
    assert normalise("Bristol, City of") == "bristol"
    assert normalise("Metropolitan Borough of Wirral") == "wirral"
    assert normalise("Nottinghamshire County Council") == "nottinghamshire"
