"""An uploaded round table that is not readable CSV is refused with one line naming the file
(and the line where there is one), never a traceback; a good one comes back as text cells."""

from __future__ import annotations

import pytest

from graph.errors import LoadError
from graph.peer_round import uploaded_table

MALFORMED = {
    "empty": (b"", None),
    "not UTF-8": (b"request_id,council\n\xff\xfe\x00bad\n", "not UTF-8 text"),
    "more cells than columns": (b"request_id,council\nr1,Halton,extra\n",
                                "more cells than header columns"),
    "a cell over the size limit": (b"request_id,council\nr1,\"" + b"x" * 200_000 + b"\"\n",
                                   "not a CSV file we can read"),
}


@pytest.mark.parametrize("case", [c for c in MALFORMED if MALFORMED[c][1]])
def test_a_malformed_upload_is_one_line_naming_the_file(case):
    data, words = MALFORMED[case]
    with pytest.raises(LoadError) as err:
        uploaded_table("requests.csv", data)
    [problem] = err.value.problems
    assert problem.file == "requests.csv" and words in problem.message
    assert "\n" not in problem.message and "/" not in problem.message  # no server paths


def test_a_bad_row_names_its_line():
    with pytest.raises(LoadError) as err:
        uploaded_table("reviewers.csv", b"reviewer_id,council\np1,Halton\np2,Knowsley,x\n")
    assert err.value.problems[0].line == 3


def test_an_empty_file_is_an_empty_table():
    assert uploaded_table("requests.csv", b"") == ([], [])


def test_a_good_upload_keeps_every_cell_as_text():
    columns, rows = uploaded_table(
        "requests.csv", "\ufeffrequest_id,council,roles\nr1,Halton,dcs;lead_member\n"
                        "r2, 007 ,\n".encode())
    assert columns == ["request_id", "council", "roles"]
    assert rows == [{"request_id": "r1", "council": "Halton", "roles": "dcs;lead_member"},
                    {"request_id": "r2", "council": " 007 ", "roles": ""}]
