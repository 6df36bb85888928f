"""Bad input to any command is one line on stderr and a non-zero exit, never a traceback, a
flood of lines, a score out of nothing or terminal escape sequences passed through."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.cli import build_parser, main
from app.cli.common import INTERNAL_ERROR, escape_controls
from app.cli.graph_cmds import app_address
from graph.changes import UpsertNode
from graph.loader import DEFAULT_SEED_DIR
from graph.schema import SelfView
from graph.stores import EmbeddedStore

EXAMPLES = DEFAULT_SEED_DIR / "examples"
ESCAPES = "\x1b[2J\x1b[31mFAKE\x1b[0m\r\x07"


@pytest.fixture(autouse=True)
def journal(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "journal.sqlite"
    monkeypatch.setenv("PEERLINK_JOURNAL", str(path))
    monkeypatch.setenv("PEERLINK_GRAPH", "embedded")
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse: usage errors exit 2 after printing the usage
        code = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("peerlink: error: "), err
    return lines[0]


# ---------------------------------------------------------------------- arguments


def test_a_misspelt_flag_prints_the_subcommands_usage_not_the_top_level_one(capsys):
    code, _, err = run(capsys, "partners", "Halton", "--tpo", "3")
    assert code == 2
    assert err.startswith("usage: peerlink partners ") and "unrecognized arguments: --tpo 3" in err
    code, _, err = run(capsys, "eval", "search", "cases.json", "--bogus")
    assert code == 2 and err.startswith("usage: peerlink eval search ")


@pytest.mark.parametrize("argv", [
    ["partners", "Halton", "--top", "0"],
    ["partners", "Halton", "--top", "-1"],
    ["search", "front door", "--top", "0"],
    ["search", "front door", "--top", "9" * 30],
    ["groups", "--top", "-5"],
    ["groups", "--size", "1"],
    ["history", "--limit", "-1"],
    ["history", "--limit", "0"],
    ["eval", "search", "x.json", "--min-score", "nan"],
    ["eval", "search", "x.json", "--min-score", "2"],
    ["allocate", "--requests", "r.csv", "--reviewers", "p.csv", "--node-limit", "0"],
    ["app", "--port", "-1"],
    ["app", "--port", "70000"],
    ["server", "--port", "0"],
    ["push", "--batch", "0"],
])
def test_counts_and_numbers_out_of_range_are_usage_errors(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith(f"usage: peerlink {argv[0]}") and "error: argument" in err


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e999"])
def test_a_weight_that_is_not_finite_is_refused(capsys, value):
    code, out, err = run(capsys, "partners", "Halton", "--weight", f"expertise={value}")
    assert code == 2 and out == ""
    assert "finite number" in one_error_line(err)


def test_a_theme_that_matches_nothing_is_an_error_not_a_ranking_on_no_themes(capsys):
    code, out, err = run(capsys, "partners", "Halton", "--theme", "zzzz nonsense")
    assert code == 2 and out == ""
    assert "no theme matches 'zzzz nonsense'" in one_error_line(err)


def test_nul_bytes_in_arguments_are_one_line(capsys):
    code, _, err = run(capsys, "resolve", "Hal\0ton")
    assert code == 2 and "NUL" in one_error_line(err)


def test_app_takes_port_and_address_from_streamlits_environment(monkeypatch):
    args = build_parser().parse_args(["app"])
    monkeypatch.delenv("STREAMLIT_SERVER_PORT", raising=False)
    monkeypatch.delenv("STREAMLIT_SERVER_ADDRESS", raising=False)
    assert app_address(args) == (8501, "127.0.0.1")
    monkeypatch.setenv("STREAMLIT_SERVER_PORT", "8600")
    monkeypatch.setenv("STREAMLIT_SERVER_ADDRESS", "::1")
    assert app_address(args) == (8600, "::1")
    flags = build_parser().parse_args(["app", "--port", "8700", "--address", "0.0.0.0"])
    assert app_address(flags) == (8700, "0.0.0.0")


def test_app_with_a_bad_port_in_the_environment_is_one_line(capsys, monkeypatch):
    monkeypatch.setenv("STREAMLIT_SERVER_PORT", "-1")
    code, _, err = run(capsys, "app")
    assert code == 2 and "STREAMLIT_SERVER_PORT" in one_error_line(err)


# ---------------------------------------------------------------------- eval files


@pytest.mark.parametrize(("kind", "content", "says"), [
    ("search", {}, "must be a list of search cases"),
    ("search", [], "has no cases"),
    ("search", "front door", "must be a list"),
    ("search", [{"q": 5}], "case 1: q must be"),
    ("search", [{"q": "front door", "names": ["x"], "k": "five"}], "case 1: k must be"),
    ("search", [{"q": "front door", "names": ["x"], "k": 10 ** 30}], "case 1: k must be"),
    ("search", [{"q": "front door", "names": ["x"], "need": 3}], "could never pass"),
    ("search", [{"q": "front door"}], "councils or names"),
    ("search", [["front door", ["E06000006"]]], "case 1: must be an object"),
    ("resolve", {}, "must be a list of resolve cases"),
    ("resolve", [["Halton"]], "case 1: must be [name, [codes]]"),
    ("resolve", [[1, 2]], "case 1: must be [name, [codes]]"),
    ("resolve", [{"q": "Halton"}], "case 1: must be [name, [codes]]"),
    ("partners", {"cases": []}, "has no cases"),
    ("partners", {"cases": [{"council": 5}]}, "case 1: council must be"),
    ("partners", [{"council": "Halton", "must": "Wirral"}], "case 1: must has to be a list"),
])
def test_eval_on_json_of_the_wrong_shape_is_one_line_naming_file_and_fault(
        capsys, tmp_path, kind, content, says):
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(content))
    code, out, err = run(capsys, "eval", kind, str(path))
    assert code == 2 and out == ""
    line = one_error_line(err)
    assert f"{path}: " in line and says in line


def test_eval_search_on_an_empty_object_does_not_print_a_perfect_score(capsys, tmp_path):
    path = tmp_path / "empty.json"
    path.write_text("{}")
    code, out, _ = run(capsys, "eval", "search", str(path))
    assert code != 0 and "1.000" not in out


def test_eval_on_a_directory_is_one_line(capsys, tmp_path):
    code, _, err = run(capsys, "eval", "resolve", str(tmp_path))
    assert code == 2 and "is a directory" in one_error_line(err)


# ---------------------------------------------------------------------- files and paths


def test_a_huge_invalid_file_prints_a_capped_list_of_problems(capsys, tmp_path):
    seed = tmp_path / "seed"
    seed.mkdir()
    for name in ("regions.csv", "documents.yaml", "themes.yaml"):
        shutil.copy(DEFAULT_SEED_DIR / name, seed / name)
    header = (DEFAULT_SEED_DIR / "councils.csv").read_text().splitlines()[0]
    (seed / "councils.csv").write_text(header + "\n" + "NOTACODE,X,county\n" * 5000)
    code, _, err = run(capsys, "validate", str(seed))
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) <= 25
    assert lines[-2].startswith("... and ") and lines[-2].endswith(" more")
    assert lines[-1].startswith("peerlink: error: ")


def test_validate_with_a_100_kb_path_is_one_short_line(capsys):
    code, _, err = run(capsys, "validate", "x" * 100_000)
    assert code != 0 and len(one_error_line(err)) < 700


def test_server_with_a_data_path_that_cannot_be_made_is_one_line(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    code, _, err = run(capsys, "server", "--data", str(blocker / "data"), "--port", "6999")
    assert code != 0 and str(blocker) in one_error_line(err)


def test_allocate_out_naming_a_directory_is_one_line(capsys, tmp_path):
    code, _, err = run(capsys, "allocate", "--requests", str(EXAMPLES / "requests.csv"),
                       "--reviewers", str(EXAMPLES / "reviewers.csv"), "--solver", "greedy",
                       "--out", str(tmp_path))
    assert code == 2 and f"--out {tmp_path} is a directory" in one_error_line(err)


def test_contradictory_force_and_forbid_is_the_allocation_message_on_one_line(capsys):
    code, _, err = run(capsys, "allocate", "--requests", str(EXAMPLES / "requests.csv"),
                       "--reviewers", str(EXAMPLES / "reviewers.csv"),
                       "--force", "PR-01:R-001", "--forbid", "PR-01:R-001")
    assert code != 0
    assert "both forced (or locked) and forbidden" in one_error_line(err)


@pytest.mark.parametrize("cell", ["dcs:" + "9" * 5000, "dcs:" + "9" * 40, "x" * 200_000])
def test_huge_numbers_and_huge_cells_in_a_round_file_are_refused_briefly(capsys, tmp_path, cell):
    requests = tmp_path / "requests.csv"
    requests.write_text(f'request_id,council,focus,roles\nPR-01,Halton,system.front-door,"{cell}"\n')
    code, out, err = run(capsys, "allocate", "--requests", str(requests),
                         "--reviewers", str(EXAMPLES / "reviewers.csv"), "--solver", "greedy")
    assert code != 0 and out == ""
    assert err.strip().splitlines()[-1].startswith("peerlink: error: ")
    assert len(err) < 3000


# ---------------------------------------------------------------------- output escaping


def test_escape_sequences_in_an_input_file_print_escaped(capsys, tmp_path):
    path = tmp_path / "cases.json"
    path.write_text(json.dumps([{"q": f"front door{ESCAPES}", "names": ["nothing"], "k": 5}]))
    code, out, _ = run(capsys, "eval", "search", str(path))
    assert code == 1 and "FAIL  front door\\u001b[2J\\u001b[31mFAKE" in out
    assert not any(ch in out for ch in "\x1b\r\x07")


def test_a_name_with_escape_sequences_in_the_journal_prints_escaped_in_history(capsys, journal):
    # Names with control characters are refused at validation now; a journal written before
    # that (or by another client) may still hold one, and history must not replay it raw.
    store = EmbeddedStore(journal=journal)
    halton = store.snapshot().node("E06000006")
    view = SelfView(what_worries_us="agency spend", what_we_can_share="front door")
    store.apply([UpsertNode(node=halton.model_copy(update={"self_view": view}))], who="officer")
    store.close()
    with sqlite3.connect(journal) as db:
        db.execute("UPDATE changes SET who = ?", (f"officer{ESCAPES}",))
    code, out, _ = run(capsys, "history")
    assert code == 0 and "officer\\u001b[2J\\u001b[31mFAKE" in out
    assert not any(ch in out for ch in "\x1b\r\x07")
    code, out, _ = run(capsys, "history", "--json")
    assert not any(ch in out for ch in "\x1b\r\x07")
    assert json.loads(out)[0]["who"] == f"officer{ESCAPES}"  # JSON keeps the value itself


def test_escape_controls_leaves_ordinary_text_alone():
    assert escape_controls("Café — “quoted” ñ\n\tok") == "Café — “quoted” ñ\n\tok"
    assert escape_controls("a\u202eb\x9bc") == "a\\u202eb\\u009bc"


# ---------------------------------------------------------------------- the safety net


def test_an_unexpected_error_is_one_line_with_its_own_exit_code(capsys, monkeypatch):
    def broken():
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("app.cli.graph_cmds.load_snapshot", broken)
    code, _, err = run(capsys, "stats")
    assert code == INTERNAL_ERROR
    assert "internal error (RuntimeError: disk on fire)" in one_error_line(err)
