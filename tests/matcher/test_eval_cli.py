from __future__ import annotations

import json

import pytest

from app.cli import main
from tests import DATA

PARAPHRASES = DATA / "search_paraphrase_regression.json"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_eval_search_public_cases_all_pass(capsys):
    code, out, _ = run(capsys, "eval", "search", str(DATA / "search_scenarios.json"))
    assert code == 0
    assert "score: 9/9 = 1.000" in out


def test_eval_search_paraphrase_regressions_all_pass_as_json(capsys):
    code, out, _ = run(capsys, "eval", "search", str(PARAPHRASES), "--json")
    data = json.loads(out)
    assert code == 0 and data["score"] == 1.0 and data["total"] >= 25


def test_eval_resolve_public_cases(capsys):
    code, out, _ = run(capsys, "eval", "resolve", str(DATA / "resolve_cases.json"),
                       "--json")
    data = json.loads(out)
    assert data["total"] == 15
    assert code == (0 if data["score"] >= 1.0 else 1)


def test_eval_below_min_score_exits_non_zero(capsys, tmp_path):
    cases = [{"q": "zzqx wibble", "names": ["nothing"], "k": 5, "need": 1}]
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases))
    code, out, _ = run(capsys, "eval", "search", str(path))
    assert code == 1 and "FAIL" in out
    code, _, _ = run(capsys, "eval", "search", str(path), "--min-score", "0")
    assert code == 0


def test_eval_missing_file_is_a_clear_error(capsys):
    code, _, err = run(capsys, "eval", "search", "/no/such/file.json")
    assert code == 2 and "no such file" in err


def test_partners_json_shape(capsys):
    code, out, _ = run(capsys, "partners", "Halton", "--top", "3", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["council"] == {"code": "E06000006", "name": "Halton"}
    assert 0 < len(data["partners"]) <= 3
    assert all(p["code"] != "E06000006" for p in data["partners"])
    assert set(data["partners"][0]) >= {"code", "name", "score", "signals", "reasons",
                                        "evidence"}


def test_partners_outside_region_and_weights(capsys):
    code, out, _ = run(capsys, "partners", "Halton", "--outside-region", "--weight",
                       "proximity=1", "--theme", "keeping social workers", "--json")
    data = json.loads(out)
    assert code == 0
    assert [t["id"] for t in data["themes"]] == ["workforce.recruitment-retention"]
    assert all(p["region"] != "E12000002" for p in data["partners"][:3])


def test_partners_unknown_council_is_one_line_error_exit_2(capsys):
    code, out, err = run(capsys, "partners", "Atlantis Borough Council")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "no council matches" in err


def test_partners_bad_weight_exit_2(capsys):
    code, _, err = run(capsys, "partners", "Halton", "--weight", "fame=2")
    assert code == 2 and "bad weight" in err


def test_search_json_shape(capsys):
    code, out, _ = run(capsys, "search", "retaining", "SWs", "--top", "5", "--json")
    data = json.loads(out)
    assert code == 0 and data["query"] == "retaining SWs"
    assert len(data["results"]) == 5
    assert set(data["results"][0]) >= {"id", "kind", "name", "score", "owner", "reasons",
                                       "evidence"}


def test_search_text_output(capsys):
    code, out, _ = run(capsys, "search", "critical event audit")
    assert code == 0 and "Age Concern Sheffield" in out


@pytest.mark.parametrize("role,region", [("LM", "North West"), ("chief exec", "Halton")])
def test_support_menu(capsys, role, region):
    code, out, _ = run(capsys, "support", "--role", role, "--region", region, "--json")
    data = json.loads(out)
    assert code == 0 and data["region"] == "E12000002" and data["items"]


def test_support_unknown_region_exit_2(capsys):
    code, _, err = run(capsys, "support", "--role", "DCS", "--region", "Narnia")
    assert code == 2 and "unknown region" in err


def test_groups(capsys):
    code, out, _ = run(capsys, "groups", "--region", "NW", "--json")
    data = json.loads(out)
    assert code == 0 and set(data) >= {"pairs", "groups"}
    code, out, _ = run(capsys, "groups", "--region", "North West")
    assert code == 0 and "Learning groups" in out
