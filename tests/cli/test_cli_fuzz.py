"""Fuzz every CLI command's arguments and input files: whatever a person types or hands over,
the command answers or refuses in a line; it never shows a traceback, never reports an
internal error, never prints a NaN or an infinity, and never passes control characters through.

Commands run in-process through `app.cli.main`. Examples are few per command so the suite stays
quick; set PEERLINK_FUZZ_EXAMPLES to run more (e.g. 500 before a release).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.cli.common import INTERNAL_ERROR
from graph.loader import DEFAULT_SEED_DIR

EXAMPLES = int(os.environ.get("PEERLINK_FUZZ_EXAMPLES", "6"))
ROUND = DEFAULT_SEED_DIR / "examples"
NON_FINITE = re.compile(r"(?i)(?<![\w])-?(nan|inf|infinity)(?![\w])")
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Text a person might type: names as written, typos, escapes, huge and empty values. Words
# "nan"/"inf" are kept out of free text so that any in the output were computed, not echoed.
INTERESTING = ["Halton", "NE Lincs", "E06000006", "Cumbria", "Kingston", "North West", "DCS",
               "lead member", "front door", "system.front-door", "", " ", "\x1b[2J\x1b[31m",
               "x" * 5000, "9" * 60, "-1", "Royal Borough of K&C", "Ünïcödé", "'; DROP--",
               "E99999999", "..", "/"]
free_text = st.one_of(
    st.sampled_from(INTERESTING),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            max_size=40),
).filter(lambda s: not NON_FINITE.search(s))
numbers = st.one_of(
    st.sampled_from(["0", "-1", "1", "2", "3", "10", "1000", "nan", "inf", "-inf", "1e999",
                     "9" * 40, "0.5", "abc", "", "1e-300"]),
    st.integers(-10**6, 10**6).map(str),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False)
    | free_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["q", "k", "need", "councils", "names", "cases", "council",
                         "themes", "must", "empty", "x"]), inner, max_size=5),
    max_leaves=12,
)


def option(flag: str, values) -> st.SearchStrategy[list[str]]:
    return st.one_of(st.just([]), values.map(lambda v: [flag, v]))


def flag(name: str) -> st.SearchStrategy[list[str]]:
    return st.sampled_from([[], [name]])


def join(*parts: st.SearchStrategy[list[str]]) -> st.SearchStrategy[list[str]]:
    return st.tuples(*parts).map(lambda ps: [a for p in ps for a in p])


def fixed(*args: str) -> st.SearchStrategy[list[str]]:
    return st.just(list(args))


def repeated(flag_name: str, values) -> st.SearchStrategy[list[str]]:
    return st.lists(values, max_size=3).map(lambda vs: [a for v in vs for a in (flag_name, v)])


def a_file(content) -> st.SearchStrategy[tuple[str, object]]:
    """A file the command will read, described as ("file", content) and written per example."""
    return content.map(lambda c: ("file", c))


weights = st.tuples(st.sampled_from(["expertise", "proximity", "capacity", "fame", ""]),
                    numbers).map(lambda t: f"{t[0]}={t[1]}")
csv_cells = st.one_of(free_text, numbers, st.sampled_from(["dcs:1;ad:1", "dcs:" + "9" * 50,
                                                           "Warrington", "R-001", "PR-01"]))


def mutated_csv(path: Path) -> st.SearchStrategy[str]:
    """A real round file with a few cells replaced by fuzzed values."""
    lines = path.read_text(encoding="utf-8").splitlines()
    width = lines[0].count(",") + 1

    def build(edits: list[tuple[int, int, str]]) -> str:
        rows = [line.split(",") for line in lines]
        for row, col, value in edits:
            rows[row % len(rows)][col % width] = '"' + value.replace('"', '""') + '"'
        return "\n".join(",".join(r) for r in rows) + "\n"

    return st.lists(st.tuples(st.integers(0, 50), st.integers(0, width - 1), csv_cells),
                    max_size=3).map(build)


COMMANDS: dict[str, st.SearchStrategy[list]] = {
    "stats": join(fixed("stats"), flag("--json")),
    "validate": join(fixed("validate"), st.one_of(
        free_text.map(lambda t: [t]),
        a_file(st.text(max_size=300)).map(lambda f: [("seed", f)]))),
    "resolve": join(fixed("resolve"), st.lists(free_text, min_size=1, max_size=3),
                    flag("--json")),
    "show": join(fixed("show"), free_text.map(lambda t: [t]), flag("--json")),
    "history": join(fixed("history"), st.one_of(st.just([]), free_text.map(lambda t: [t])),
                    option("--limit", numbers), flag("--json")),
    "partners": join(fixed("partners"), free_text.map(lambda t: [t]),
                     repeated("--theme", free_text), option("--top", numbers),
                     repeated("--weight", weights), option("--region", free_text),
                     flag("--outside-region"), flag("--json")),
    "search": join(fixed("search"), st.lists(free_text, min_size=1, max_size=3),
                   option("--top", numbers), option("--kind", free_text), flag("--json")),
    "support": join(fixed("support"), option("--role", free_text),
                    option("--region", free_text), flag("--json")),
    "groups": join(fixed("groups"), option("--region", free_text),
                   repeated("--theme", free_text), option("--size", numbers),
                   option("--top", numbers), flag("--json")),
    "eval": join(fixed("eval"), st.sampled_from([["search"], ["resolve"], ["partners"]]),
                 a_file(json_values).map(lambda f: [f]), option("--min-score", numbers),
                 flag("--json")),
    "allocate": join(fixed("allocate", "--solver", "greedy"),
                     a_file(mutated_csv(ROUND / "requests.csv")).map(lambda f: ["--requests", f]),
                     a_file(mutated_csv(ROUND / "reviewers.csv")).map(
                         lambda f: ["--reviewers", f]),
                     repeated("--force", st.sampled_from(["PR-01:R-001", "PR-02:R-002", "x",
                                                          "PR-01:", ":R-001"])),
                     repeated("--forbid", st.sampled_from(["PR-01:R-001", "PR-01:R-003"])),
                     option("--node-limit", numbers), flag("--json")),
    "push/pull": st.one_of(join(fixed("push"), option("--batch", numbers)),
                           join(fixed("pull"), free_text.map(lambda t: [t]))),
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PEERLINK_JOURNAL", str(root / "journal.sqlite"))
        mp.setenv("PEERLINK_GRAPH", "embedded")
        mp.delenv("PEERLINK_SEED_DIR", raising=False)
        yield root


def materialise(argv: list, root: Path) -> list[str]:
    """Write the example's files and return the command line naming them."""
    out = []
    for i, arg in enumerate(argv):
        if isinstance(arg, tuple) and arg[0] == "seed":  # a seed dir with one fuzzed file
            seed = root / f"seed{i}"
            shutil.rmtree(seed, ignore_errors=True)
            seed.mkdir()
            for name in ("councils.csv", "regions.csv", "documents.yaml"):
                shutil.copy(DEFAULT_SEED_DIR / name, seed / name)
            (seed / "themes.yaml").write_text(arg[1][1], encoding="utf-8")
            out.append(str(seed))
        elif isinstance(arg, tuple):
            path = root / f"input{i}"
            content = arg[1]
            text = content if isinstance(content, str) else json.dumps(content)
            path.write_text(text, encoding="utf-8")
            out.append(str(path))
        else:
            out.append(arg)
    return out


def run_in_process(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse usage errors and --help
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def reject_constant(name: str):
    raise AssertionError(f"JSON output holds {name}")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_input_gives_a_traceback_a_non_finite_number_or_raw_control_characters(
        workdir, command):
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(COMMANDS[command])
    def check(raw_argv):
        argv = materialise(raw_argv, workdir)
        code, out, err = run_in_process(argv)
        shown = f"{argv!r:.300} -> exit {code}\n{err[-600:]}"
        assert code != INTERNAL_ERROR, shown
        assert isinstance(code, int) and code in (0, 1, 2), shown
        assert "Traceback" not in out + err, shown
        assert not RAW_CONTROL.search(out + err), shown
        if code == 0 and "--json" in argv:
            json.loads(out, parse_constant=reject_constant)
        assert not NON_FINITE.search(out), shown
        if code != 0:  # says why (exit 1 may be an answer on stdout: "no match", "FAIL")
            assert (err if code == 2 else out + err).strip(), shown
        assert len(err.splitlines()) <= 30, shown  # capped, never a flood

    check()
