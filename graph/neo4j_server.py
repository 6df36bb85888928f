"""Start a real Neo4j on loopback (`peerlink server --engine neo4j`, and the test suite).

Neo4j's community engine is published on Maven Central as libraries; tests/neo4j/pom.xml
names them (`org.neo4j:neo4j` and its Bolt server `org.neo4j:neo4j-bolt`, 5.26 LTS, which
runs on Java 17) and `mvn dependency:copy-dependencies` puts them in tests/neo4j/jars/.
tests/neo4j/Launcher.java, one source file run by `java` without a build, starts the
embedded database with Bolt on 127.0.0.1, prints `READY bolt://127.0.0.1:<port> neo4j
<version>` and stops cleanly when its standard input closes, so it never outlives the
process that started it.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from graph.errors import StoreError

LAUNCHER_DIR = Path(__file__).resolve().parents[1] / "tests" / "neo4j"
DEFAULT_PORT = 7687
HEAP = "-Xmx1g"
# For tests: only the quick JIT tier and the serial collector. Neo4j then starts in about
# half the CPU time, which matters more than peak speed for short runs on shared machines.
QUICK_START = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


def launcher_dir() -> Path:
    return Path(os.environ.get("PEERLINK_NEO4J_LAUNCHER_DIR") or LAUNCHER_DIR)


def jars_present(where: Path | None = None) -> bool:
    """The jars were fetched completely (`.complete` is written after Maven succeeds)."""
    return ((where or launcher_dir()) / "jars" / ".complete").exists()


def fetch_jars(where: Path | None = None) -> None:
    """Download Neo4j's jars with Maven into `<launcher dir>/jars` (once; a few minutes)."""
    where = where or launcher_dir()
    mvn = shutil.which("mvn")
    if mvn is None:
        raise StoreError("Maven (mvn) is needed to fetch Neo4j's jars: apt-get install maven")
    shutil.rmtree(where / "jars", ignore_errors=True)
    done = subprocess.run([mvn, "-q", "-B", "-f", str(where / "pom.xml"),
                           "dependency:copy-dependencies"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stdout + done.stderr).strip().splitlines()[-1:] or ["no output"]
        raise StoreError(f"Maven could not fetch Neo4j's jars: {last[0]}")
    (where / "jars" / ".complete").touch()


@dataclass
class Neo4jServer:
    """A running local Neo4j. `url` is the PEERLINK_GRAPH value to use."""

    port: int
    data_dir: Path
    process: subprocess.Popen
    version: str
    log_file: Path

    @property
    def url(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 60.0) -> None:
        """Stop cleanly: closing its input makes the launcher shut the database down."""
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
            except OSError:
                pass
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        self._close_pipes()

    def kill(self) -> None:
        """Stop abruptly (SIGKILL), as a crash or a pulled plug would."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._close_pipes()

    def wait(self) -> int:
        return self.process.wait()

    def _close_pipes(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass

    def __enter__(self) -> Neo4jServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def java_command() -> str:
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not Path(java).exists():
        raise StoreError("Java 17 or later is needed for Neo4j: apt-get install "
                         "openjdk-17-jre-headless")
    return java


def start_neo4j(port: int | None = None, data_dir: Path | str | None = None,
                timeout: float = 180.0, quick_start: bool = False) -> Neo4jServer:
    """Start Neo4j on 127.0.0.1 (`port` None or 0: a free one) and wait until Bolt answers.
    `quick_start` trades peak speed for a faster start (tests)."""
    where = launcher_dir()
    if not jars_present(where):
        raise StoreError(f"Neo4j's jars are not in {where / 'jars'}: run `make neo4j-jars` "
                         f"(mvn -f {where / 'pom.xml'} dependency:copy-dependencies)")
    data = Path(data_dir) if data_dir else Path.home() / ".peerlink" / "neo4j"
    try:
        data.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot use {data} for Neo4j's data: {exc.strerror}") from None
    log_file = data / "launcher.log"
    flags = (HEAP, *QUICK_START) if quick_start else (HEAP,)
    cmd = [java_command(), *flags, "-cp", str(where / "jars" / "*"),
           str(where / "Launcher.java"), str(data), str(port or 0)]
    try:
        with open(log_file, "ab") as log:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=log, start_new_session=True)
    except OSError as exc:
        raise StoreError(f"cannot start Neo4j: {exc}") from None
    line = _ready_line(proc, timeout)
    if line is None:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
            raise StoreError(f"Neo4j did not start within {timeout:.0f}s; see {log_file}")
        raise StoreError(f"Neo4j exited at start (code {proc.returncode}); "
                         f"see {_last_line(log_file)}")
    _, url, _, version = line.split()
    return Neo4jServer(port=int(url.rsplit(":", 1)[1]), data_dir=data, process=proc,
                       version=version, log_file=log_file)


def _ready_line(proc: subprocess.Popen, timeout: float) -> str | None:
    deadline = time.monotonic() + timeout
    buffer = b""
    fd = proc.stdout.fileno()
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                return None  # the launcher exited
            buffer += chunk
            for raw in buffer.splitlines():
                text = raw.decode(errors="replace").strip()
                if text.startswith("READY ") and len(text.split()) == 4:
                    return text
        elif proc.poll() is not None:
            return None
    return None


def _last_line(log: Path) -> str:
    try:
        lines = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        return str(log)
    errors = [ln for ln in lines if "Exception" in ln or "error" in ln.lower()]
    return f"{log}: {(errors or lines)[-1].strip()}" if lines else str(log)
