"""Sign-in for real: an OpenID Connect provider (oidc-provider-mock) on loopback, the app
started with `peerlink app --secrets --roles` as a subprocess, and chromium signing in.

A council editor saves their own council's self-view (the journal records their email) and
is refused another council's; a viewer is refused; the refusals come from the store layer
and are shown on the page. Skips when /usr/bin/chromium is missing, unless
PEERLINK_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from graph.stores import EmbeddedStore
from tests.app.test_browser import CHROMIUM, FLAGS, ROOT, SHOTS, _free_port, _need_browser

pytestmark = pytest.mark.browser

TIMEOUT = 120_000  # a signed-in save runs the whole page twice: slow on a busy 2-core machine
ANN = {"sub": "ann", "email": "ann@halton.example", "name": "Ann Editor"}
VIC = {"sub": "vic", "email": "vic@example.org", "name": "Vic Viewer"}


def _wait_for(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{url} exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer: {log.read_text()}")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """A real OpenID Connect provider on loopback, knowing Ann and Vic."""
    _need_browser()
    port = _free_port()
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port",
             str(port), "--user-claims", json.dumps(ANN), "--user-claims", json.dumps(VIC)],
            stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    _wait_for(f"{url}/.well-known/openid-configuration", proc, log)
    yield url
    _stop(proc)


@pytest.fixture(scope="module")
def signed_app(provider, tmp_path_factory):
    """`peerlink app` with sign-in configured: Ann edits Halton; Vic is not in the roles
    file, so is a viewer. Yields (url, journal path)."""
    tmp = tmp_path_factory.mktemp("signin")
    port = _free_port()
    secrets = tmp / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-long-random-test-secret-that-is-not-a-real-one-0123456789"\n'
        'client_id = "peerlink-test"\n'
        'client_secret = "not-a-real-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8")
    roles = tmp / "roles.yaml"
    roles.write_text("- email: ann@halton.example\n  role: council editor\n"
                     "  council: E06000006\n", encoding="utf-8")
    journal = tmp / "journal.sqlite"
    env = {k: v for k, v in os.environ.items()
           if k not in ("PEERLINK_GRAPH", "PEERLINK_SEED_DIR", "PEERLINK_ROLES")}
    env["PEERLINK_JOURNAL"] = str(journal)
    log = tmp / "app.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "app", "--port", str(port), "--secrets",
             str(secrets), "--roles", str(roles)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    _wait_for(f"{url}/_stcore/health", proc, log)
    yield url, journal
    _stop(proc)


@pytest.fixture(scope="module")
def browser():
    """One headless chromium for the module (each test opens its own sessions)."""
    from playwright.sync_api import sync_playwright

    _need_browser()

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        yield b
        b.close()


def _sign_in(browser, url: str, who: str):
    """A fresh browser session signed in as `who` through the provider's own form."""
    page = browser.new_context(viewport={"width": 1400, "height": 1800}).new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(url)
    page.get_by_text("Sign in to use peerlink").wait_for()
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=who, exact=True).click()  # the provider's page
    page.get_by_text("Signed in as").wait_for()
    return page


def _save_self_view(page, council: str, text: str) -> None:
    page.get_by_role("link", name="Council profile").first.click()
    page.get_by_role("heading", name="Council profile").wait_for()
    box = page.get_by_label("Council", exact=True)
    box.fill(council)
    box.press("Enter")
    page.get_by_role("heading", name=council).first.wait_for()
    area = page.get_by_label("What worries us")
    area.fill(text)
    page.get_by_role("button", name="Save self-view").click()


def test_a_council_editor_signs_in_and_saves_their_own_council_under_their_email(
        browser, signed_app):
    url, journal = signed_app
    page = _sign_in(browser, url, "ann")
    page.get_by_text("Signed in as ann@halton.example, council editor for Halton.").wait_for()
    assert page.get_by_label("Your name").count() == 0  # the identity replaces a typed name
    _save_self_view(page, "Halton", "Keeping experienced staff")
    page.get_by_text("saved by ann@halton.example").wait_for()
    page.screenshot(path=str(SHOTS / "sign-in-editor-saved.png"))
    store = EmbeddedStore(journal=journal)
    try:
        [record] = store.history("E06000006")
        assert record.who == "ann@halton.example"
        assert store.snapshot().node("E06000006").self_view.what_worries_us == (
            "Keeping experienced staff")
    finally:
        store.close()

    _save_self_view(page, "Knowsley", "Not ours to say")
    page.get_by_text("may not change Knowsley, another council").wait_for()
    page.screenshot(path=str(SHOTS / "sign-in-other-council-refused.png"))
    store = EmbeddedStore(journal=journal)
    try:
        assert store.history("E08000011") == []
    finally:
        store.close()


def test_a_viewer_is_refused_by_the_store_and_told_so(browser, signed_app):
    url, journal = signed_app
    page = _sign_in(browser, url, "vic")
    page.get_by_text("Signed in as vic@example.org, viewer").wait_for()
    _save_self_view(page, "Halton", "A viewer's words")
    page.get_by_text("vic@example.org is a viewer and cannot change the graph").wait_for()
    store = EmbeddedStore(journal=journal)
    try:
        assert all(r.who != "vic@example.org" for r in store.history())
    finally:
        store.close()


def test_without_sign_in_the_app_asks_for_it_on_every_page(browser, signed_app):
    url, _ = signed_app
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{url}/profile")
    page.get_by_text("Sign in to use peerlink").wait_for()
    assert page.get_by_role("heading", name="Council profile").count() == 0
