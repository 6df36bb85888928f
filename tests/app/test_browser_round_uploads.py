"""Malformed uploads on the peer-review round page, in a real browser: each is refused with one
line naming the file, no traceback or server path reaches the page, the table is unchanged,
and a good file after them loads. Screenshots go to `screenshots/`."""

from __future__ import annotations

import pytest

from tests.app import test_browser as shared
from tests.app.test_browser import _go, _settle, _shot

server = shared.server  # the same running app and browser fixtures, started for this module
browser_page = shared.browser_page

pytestmark = pytest.mark.browser

MALFORMED = {
    "not-utf8.csv": (b"request_id,council\n\xff\xfe\x00bad\n", "not UTF-8 text"),
    "ragged.csv": (b"request_id,council,focus,roles\nr1,Halton,x,dcs,extra\n",
                   "line 2: more cells than header columns"),
    "huge-cell.csv": (b"request_id,council\nr1,\"" + b"x" * 200_000 + b"\"\n",
                      "not a CSV file we can read"),
}


def _upload(page, tmp_path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    page.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(
        str(path))
    _settle(page)


def test_malformed_uploads_are_refused_with_one_line_and_a_good_one_loads(browser_page,
                                                                         tmp_path):
    page = browser_page
    _go(page, "Peer-review round", "Peer-review round")
    for name, (data, words) in MALFORMED.items():
        _upload(page, tmp_path, name, data)
        alert = page.get_by_text(f"Not loaded, the table is unchanged: {name}").first
        alert.wait_for()
        assert words in alert.inner_text()
        assert page.locator("[data-testid=stException]").count() == 0
        body = page.inner_text("body")
        assert "Traceback" not in body and "site-packages" not in body
        if name == "ragged.csv":
            _shot(page, "10-round-upload-refused")
    good = "request_id,council,focus,roles\nbrowser-r1,Halton,front door,dcs\n"
    _upload(page, tmp_path, "requests.csv", good.encode())
    page.get_by_text("browser-r1").first.wait_for(state="attached")  # a grid cell
    assert page.get_by_text("Not loaded, the table is unchanged").count() == 0
