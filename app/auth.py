"""Sign-in (Streamlit's `st.login`, OpenID Connect) and who the person at the page is.

Two modes:

- **local**: nothing configured, served on a loopback address (the default of `peerlink
  app`). No sign-in; every page says so; changes are recorded under the name typed in the
  sidebar, with an admin's rights (whoever sits at this computer owns the graph).
- **signed in**: `[auth]` in `.streamlit/secrets.toml` names an OpenID Connect provider
  (Microsoft Entra ID, Google, Okta ...). Every page needs sign-in; the roles file
  (`PEERLINK_ROLES`, see `graph.access`) says what the person may change; the journal
  records their email (or subject).

Serving on a non-loopback address without sign-in is refused, here and by `peerlink app`.
"""

from __future__ import annotations

import ipaddress
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from graph.access import Actor, Roles, UserRole, default_roles_path, load_roles
from graph.errors import LoadError

SIGN_IN_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret",
                "server_metadata_url")
LOCAL_MODE_NOTE = ("Local mode: no sign-in. Anyone who can open this page on this computer "
                   "can change the graph; changes are recorded under the name you type.")


def missing_sign_in_keys(auth: Mapping[str, Any] | None) -> list[str]:
    """The `[auth]` keys still needed for sign-in (all of them when there is no section)."""
    auth = auth or {}
    return [key for key in SIGN_IN_KEYS if not str(auth.get(key) or "").strip()]


def sign_in_section(secrets_files: Iterable[Path]) -> dict[str, Any] | None:
    """The `[auth]` section of the first secrets file that has one (None if none does).
    A file that is not valid TOML raises ValueError naming it."""
    for path in secrets_files:
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: not valid TOML: {exc}") from None
        if isinstance(data.get("auth"), dict):
            return data["auth"]
    return None


def default_secrets_files() -> list[Path]:
    """Where Streamlit looks for secrets by default (the project's, then the user's)."""
    return [Path.cwd() / ".streamlit" / "secrets.toml",
            Path.home() / ".streamlit" / "secrets.toml"]


def is_loopback(address: str | None) -> bool:
    """Whether serving on `address` reaches only this computer (an empty address is all)."""
    if not address:
        return False
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_problem(address: str | None, sign_in_ready: bool) -> str | None:
    """Why serving on `address` is refused (one line), or None."""
    if sign_in_ready or is_loopback(address):
        return None
    return (f"refusing to serve on {address or 'every address'} without sign-in: anyone on "
            "the network could change the graph. Configure sign-in ([auth] in "
            ".streamlit/secrets.toml, see the README's Sign-in section) or serve on 127.0.0.1")


def sign_in_problem(address: str, secrets_file: str | None,
                    roles_file: str | None) -> tuple[str | None, bool]:
    """Before starting the app: (why it must not start, or None; whether sign-in is on).
    Checks the secrets file, the address and, with sign-in, the roles file."""
    if secrets_file and not Path(secrets_file).is_file():
        return f"--secrets {secrets_file}: no such file", False
    files = [Path(secrets_file)] if secrets_file else default_secrets_files()
    try:
        section = sign_in_section(files)
    except ValueError as exc:
        return str(exc), False
    missing = missing_sign_in_keys(section)
    if section is not None and missing:
        return ("sign-in is half configured: [auth] lacks " + ", ".join(missing)
                + " (see the README's Sign-in section)"), False
    signed_in = not missing
    problem = exposure_problem(address, signed_in)
    if problem or not signed_in:
        return problem, signed_in
    path = Path(roles_file) if roles_file else default_roles_path()
    if path.exists():
        try:
            load_roles(path)
        except LoadError as exc:
            return f"roles file: {exc}", True
    return None, True


# ---------------------------------------------------------------------- in the app


def _secrets_auth() -> Mapping[str, Any] | None:
    try:
        return st.secrets.get("auth")
    except FileNotFoundError:  # no secrets file at all
        return None
    except Exception:  # noqa: BLE001 - Streamlit raises its own error for a broken file
        return None


def sign_in_configured() -> bool:
    return not missing_sign_in_keys(_secrets_auth())


@st.cache_resource(show_spinner=False)
def _roles(path: str, mtime: float) -> Roles:
    return load_roles(path)


def roles() -> Roles:
    """The roles file (re-read when it changes); LoadError names what is wrong with it."""
    path = default_roles_path()
    if not path.is_file():
        return Roles((), str(path))  # nobody has a role yet: everyone is a viewer
    return _roles(str(path), path.stat().st_mtime)


def current_actor(typed_name: str) -> Actor:
    """Who is at the page: the signed-in person with their role, a viewer if they are not
    signed in (or the roles file is broken), or, in local mode, the typed name."""
    if not sign_in_configured():
        return Actor(typed_name.strip(), UserRole.ADMIN)
    if not st.user.is_logged_in:
        return Actor("not signed in", UserRole.VIEWER)
    email, subject = st.user.get("email"), st.user.get("sub")
    try:
        return roles().actor(email, subject)
    except LoadError:
        return Actor(email or subject or "unknown", UserRole.VIEWER)


def guard() -> None:
    """Run before every page: refuse an exposed address without sign-in, ask for sign-in
    when it is configured, and say which mode the app is in."""
    signed = sign_in_configured()
    problem = exposure_problem(st.get_option("server.address"), signed)
    if problem:
        st.error(problem[0].upper() + problem[1:] + ".")
        st.stop()
    if not signed:
        st.caption(LOCAL_MODE_NOTE)
        return
    if not st.user.is_logged_in:
        st.title("peerlink")
        st.write("Sign in to use peerlink: your organisation's account says who you are, "
                 "and your role says what you may change.")
        st.button("Sign in", type="primary", on_click=st.login)
        st.stop()
    try:
        roles()
    except LoadError as exc:
        st.error(f"The roles file is not valid, so nobody can change anything until it is "
                 f"fixed: {exc}")


def describe(actor: Actor, name=str) -> str:
    """Who is signed in and what their role lets them do, for the sidebar (`name` turns a
    council or region code into its name)."""
    if actor.role == UserRole.COUNCIL_EDITOR:
        role = f"council editor for {name(actor.council)}"
    elif actor.role == UserRole.SLI_OFFICER:
        role = f"SLI officer for {name(actor.region)}"
    elif actor.role == UserRole.ADMIN:
        role = "admin"
    else:
        role = "viewer (you can read, not change)"
    return f"Signed in as {actor.identity}, {role}."
