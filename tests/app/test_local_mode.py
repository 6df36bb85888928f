"""Local mode (nothing configured, loopback) is one command with no sign-in and says so on
every page; serving to the network without sign-in is refused, by the CLI and the app."""

from __future__ import annotations

import pytest
from streamlit import config

from app.auth import LOCAL_MODE_NOTE, sign_in_problem
from app.cli import main
from tests.app.apptest_helpers import new_app, open_page, read

PAGES = ["home", "partners", "practice", "peer_review", "profile", "explorer"]


def test_every_page_says_it_is_in_local_mode_without_sign_in(app):
    for page in PAGES:
        open_page(app, page)
        assert LOCAL_MODE_NOTE in read(app), page
        assert app.text_input(key="who").label == "Your name"


def test_the_app_refuses_to_serve_a_network_address_without_sign_in(journal):
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")  # noqa: S104 - the case under test
    try:
        at = new_app()
    finally:
        config.set_option("server.address", before)
    assert "Refusing to serve on 0.0.0.0 without sign-in" in read(at)
    assert not at.text_input  # nothing of the app is shown


def test_peerlink_app_on_a_network_address_without_sign_in_is_refused(capsys, tmp_path,
                                                                        monkeypatch):
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml here
    monkeypatch.setenv("HOME", str(tmp_path))
    assert main(["app", "--address", "0.0.0.0"]) == 1  # noqa: S104
    err = capsys.readouterr().err
    assert err.startswith("peerlink: error: refusing to serve on 0.0.0.0 without sign-in")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("secrets", "expected"), [
    ("[auth]\nclient_id = 'x'\n", "sign-in is half configured: [auth] lacks redirect_uri, "
                                   "cookie_secret, client_secret, server_metadata_url"),
    ("[auth\n", "not valid TOML"),
])
def test_a_broken_sign_in_configuration_is_one_line_naming_what_is_wrong(tmp_path, secrets,
                                                                         expected):
    path = tmp_path / "secrets.toml"
    path.write_text(secrets, encoding="utf-8")
    problem, _ = sign_in_problem("0.0.0.0", str(path), None)  # noqa: S104
    assert expected in problem


def test_with_sign_in_configured_a_network_address_is_allowed_and_roles_are_checked(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text("[auth]\n" + "".join(
        f'{k} = "v"\n' for k in ("redirect_uri", "cookie_secret", "client_id",
                                 "client_secret", "server_metadata_url")), encoding="utf-8")
    assert sign_in_problem("0.0.0.0", str(path), str(tmp_path / "none.yaml")) == (None, True)
    roles = tmp_path / "roles.yaml"
    roles.write_text("- email: a@b.example\n  role: boss\n", encoding="utf-8")
    problem, signed_in = sign_in_problem("0.0.0.0", str(path), str(roles))  # noqa: S104
    assert signed_in and problem.startswith(f"roles file: {roles}:2: role: must be one of")
