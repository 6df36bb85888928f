"""What is read and validated from the seed folder, kept between commands.

Reading and validating the seed files costs more CPU than `peerlink resolve` spends on
everything else, and the files rarely change. The validated results (the records; the name
tables the resolver reads) are pickled into the user's cache folder (PEERLINK_CACHE_DIR, else
~/.peerlink/cache) under a key that hashes every seed file and every module of the `graph`
package, so an edited file or a new version of peerlink never meets an old entry. A missing,
unreadable or unwritable cache only means reading the files again; a failed write leaves no
partial file (written beside, then renamed). Bad seed data raises exactly as reading it
directly does, and nothing is cached for it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pydantic import VERSION

from graph.loader import DEFAULT_SEED_DIR, SeedData, load_dir

log = logging.getLogger(__name__)

_GRAPH_PACKAGE = Path(__file__).resolve().parent
T = TypeVar("T")


def default_cache_dir() -> Path:
    env = os.environ.get("PEERLINK_CACHE_DIR")
    return Path(env) if env else Path.home() / ".peerlink" / "cache"


def seed_fingerprint(seed_dir: Path) -> str:
    """Changes whenever any seed file does, so a checkpoint is never used with other data."""
    digest = hashlib.sha256()
    for path in sorted(p for p in seed_dir.rglob("*") if p.suffix in (".csv", ".yaml")):
        digest.update(str(path.relative_to(seed_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _code_fingerprint() -> str:
    # The pickled records are instances of graph.schema's classes, built by graph.loader:
    # any change to the package's modules (or the pickle format) makes a new key.
    digest = hashlib.sha256(f"pickle {pickle.HIGHEST_PROTOCOL} pydantic {VERSION}".encode())
    for path in sorted(_GRAPH_PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(_GRAPH_PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_path(what: str, seed_dir: Path | str = DEFAULT_SEED_DIR,
               cache_dir: Path | None = None) -> Path:
    """Where `what` (read from this seed folder by this code) is kept."""
    key = hashlib.sha256(
        (what + seed_fingerprint(Path(seed_dir)) + _code_fingerprint()).encode()).hexdigest()
    return (cache_dir or default_cache_dir()) / f"{what}-{key[:32]}.pickle"


def cached(what: str, read: Callable[[Path], T], expected: type,
           seed_dir: Path | str = DEFAULT_SEED_DIR, cache_dir: Path | None = None) -> T:
    """`read(seed_dir)`, answered from the cache when this exact data was read before."""
    path = cache_path(what, seed_dir, cache_dir)
    try:
        with path.open("rb") as handle:
            found = pickle.load(handle)
        if isinstance(found, expected):
            return found
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 (a damaged entry is only a cache miss)
        log.info("seed cache %s unreadable (%s); reading the seed files", path, exc)
    value = read(Path(seed_dir))
    _write(path, value)
    return value


def load_seed(seed_dir: Path | str = DEFAULT_SEED_DIR, cache_dir: Path | None = None) -> SeedData:
    """`graph.loader.load_dir`, from the cache when this exact data was read before."""
    return cached("seed", load_dir, SeedData, seed_dir, cache_dir)


KEEP = 8


def _age_key(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _write(path: Path, value: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".entry-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        # Keep the newest few (tests and people may use several seed folders); older
        # entries are for data or code that has changed since.
        what = path.name.split("-", 1)[0]
        entries = sorted(path.parent.glob(f"{what}-*.pickle"), key=_age_key, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        log.info("seed cache %s not written (%s)", path, exc)
