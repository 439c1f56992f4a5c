#!/usr/bin/env python3
"""Run a real Neo4j Community 5.26 server for tests and local development, without Docker.

How it works
------------
* ``tools/neo4j-runtime/pom.xml`` names the Neo4j version. :func:`ensure_runtime` runs Maven once
  to copy the jar closure of ``org.neo4j:neo4j`` + ``org.neo4j:neo4j-bolt`` into a cache directory
  *outside* the repository, compiles ``tools/neo4j-runtime/Launcher.java`` into the same cache and
  writes a marker file saying the cache is complete. Later calls only check the marker.
* :class:`Neo4jServer` starts ``java ... Launcher HOME PORT`` (an embedded DBMS with the Bolt
  connector on ``127.0.0.1:PORT``), waits for the launcher's ``NEO4J_READY`` line and stops it
  with SIGTERM (clean checkpoint), falling back to SIGKILL.

Cache location: ``$CARTONET_NEO4J_CACHE`` if set, else
``${XDG_CACHE_HOME:-~/.cache}/cartonet/neo4j-<version>``; it holds ``lib/`` (jars),
``launcher-<hash>.jar`` (compiled launcher), ``cds-<hash>.jsa`` (JVM class-data-sharing archive
written by the first clean server run, ~100 MB, makes later starts faster), ``fetch.log`` and
the marker ``.complete``.

Environment knobs: ``NEO4J_PASSWORD`` (auth on with user ``neo4j``; min. 8 characters; unset =
auth off), ``NEO4J_HEAP`` (max heap, default ``1g``), ``NEO4J_PAGECACHE`` (default ``128m``),
``NEO4J_JAVA_OPTS`` (extra JVM flags), ``NEO4J_CDS=0`` (no class-data-sharing archive),
``NEO4J_PORT`` (CLI ``run`` default port), ``JAVA_HOME``.

Library use (stdlib only, importable from tests)::

    from neo4j_server import Neo4jServer          # with tools/ on sys.path
    with Neo4jServer() as server:                  # temp home, free loopback port
        driver = GraphDatabase.driver(server.uri, auth=server.auth)
        ...
        server.stop()                              # simulate an outage
        server.restart()                           # same port, same data

CLI::

    python tools/neo4j_server.py fetch                       # only fetch jars (+ compile launcher)
    python tools/neo4j_server.py run [--port N] [--data DIR] # foreground server, Ctrl-C stops it
"""

from __future__ import annotations

import argparse
import atexit
import fcntl
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import weakref
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType, TracebackType

__all__ = [
    "DEFAULT_DATA_DIR",
    "Neo4jRuntimeError",
    "Neo4jServer",
    "Neo4jStartError",
    "Target",
    "cache_dir",
    "ensure_runtime",
    "jvm_flags",
    "neo4j_target",
    "neo4j_version",
]

TOOLS_DIR = Path(__file__).resolve().parent
RUNTIME_SRC_DIR = TOOLS_DIR / "neo4j-runtime"
POM_PATH = RUNTIME_SRC_DIR / "pom.xml"
LAUNCHER_PATH = RUNTIME_SRC_DIR / "Launcher.java"
REPO_ROOT = TOOLS_DIR.parent
#: Default data directory of ``run`` (git-ignored).
DEFAULT_DATA_DIR = REPO_ROOT / ".neo4j-data"

HOST = "127.0.0.1"
DEFAULT_BOLT_PORT = 7687
DEFAULT_HEAP = "1g"
DEFAULT_PAGECACHE = "128m"
READY_PREFIX = "NEO4J_READY "
MARKER_NAME = ".complete"
MIN_PASSWORD_LENGTH = 8  # Neo4j 5 default of dbms.security.auth_minimum_password_length

#: Flags the Neo4j 5.26 server scripts add (neo4j.conf ``server.jvm.additional``); embedded users
#: must pass them themselves. Without ``java.nio`` Neo4j falls back to slower buffer handling.
BASE_JVM_FLAGS: tuple[str, ...] = (
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
    "-XX:-OmitStackTraceInFastThrow",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Djdk.nio.maxCachedBufferSize=1024",
)


class Neo4jRuntimeError(RuntimeError):
    """The Neo4j runtime cannot be prepared (Java/Maven missing, fetch or compile failed)."""


class Neo4jStartError(Neo4jRuntimeError):
    """The Neo4j JVM died during start-up or did not become ready in time."""


# --------------------------------------------------------------------------------------------
# Runtime (jars + compiled launcher) in the cache
# --------------------------------------------------------------------------------------------


def neo4j_version() -> str:
    """Return the Neo4j version pinned in ``tools/neo4j-runtime/pom.xml``."""
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    node = ET.parse(POM_PATH).getroot().find("m:properties/m:neo4j.version", ns)
    if node is None or not (node.text or "").strip():
        raise Neo4jRuntimeError(f"no <neo4j.version> property in {POM_PATH}")
    return (node.text or "").strip()


def cache_dir() -> Path:
    """Return the runtime cache directory (it may not exist yet).

    ``$CARTONET_NEO4J_CACHE`` if set (used as is, for any version: a changed pom triggers a
    clean re-fetch), else ``${XDG_CACHE_HOME:-~/.cache}/cartonet/neo4j-<version>``.
    """
    override = os.environ.get("CARTONET_NEO4J_CACHE")
    if override:
        return Path(override).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser().resolve() / "cartonet" / f"neo4j-{neo4j_version()}"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _find_tool(name: str) -> str:
    """Locate ``java``/``javac``: ``$JAVA_HOME/bin`` first, then ``PATH``."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and name in ("java", "javac"):
        candidate = Path(java_home) / "bin" / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    hints = {
        "java": "install a Java 17 or 21 runtime (Debian: apt-get install openjdk-17-jdk-headless) "
        "or set JAVA_HOME",
        "javac": "install a Java 17 or 21 JDK, not only a JRE (Debian: openjdk-17-jdk-headless) "
        "or set JAVA_HOME",
        "mvn": "install Maven >= 3.6.3 (Debian: apt-get install maven)",
    }
    raise Neo4jRuntimeError(f"'{name}' not found: {hints.get(name, 'install it')}")


def _marker_payload() -> dict[str, str]:
    return {"neo4j_version": neo4j_version(), "pom_sha256": _sha256(POM_PATH)}


def _jars_complete(root: Path) -> bool:
    try:
        recorded = json.loads((root / MARKER_NAME).read_text())
    except (OSError, ValueError):
        return False
    expected = _marker_payload()
    return all(recorded.get(k) == v for k, v in expected.items()) and (root / "lib").is_dir()


def _launcher_jar(root: Path) -> Path:
    """Compiled launcher, a jar named after the source hash.

    A changed ``Launcher.java`` compiles into a new file, so a JVM being started by another
    process at the same moment never sees a half-written one. A jar rather than a class
    directory because JVM class-data-sharing archives (``-XX:SharedArchiveFile`` via
    ``NEO4J_JAVA_OPTS``) accept only jars on the class path.
    """
    return root / f"launcher-{_sha256(LAUNCHER_PATH)[:16]}.jar"


def _launcher_current(root: Path) -> bool:
    return _launcher_jar(root).is_file()


def _cds_archive(root: Path, java: str) -> Path:
    """Class-data-sharing archive for this launcher, JDK and jar set.

    Created by the first clean run (``-XX:ArchiveClassesAtExit``), used by later starts
    (``-XX:SharedArchiveFile``): about a third less start-up CPU. The JVM checks the archive
    itself and, if it does not match, only prints a warning and starts without it.
    """
    real = os.path.realpath(java)
    info = os.stat(real)
    key = f"{_sha256(LAUNCHER_PATH)}|{real}|{info.st_size}|{info.st_mtime_ns}"
    return root / f"cds-{hashlib.sha256(key.encode()).hexdigest()[:16]}.jsa"


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """Exclusive inter-process lock so parallel test processes fetch only once."""
    root.parent.mkdir(parents=True, exist_ok=True)
    with open(root.parent / f".{root.name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _say(progress: bool, message: str) -> None:
    if progress:
        print(f"[neo4j_server] {message}", file=sys.stderr, flush=True)


def _tail(path: Path, lines: int = 40, start: int = 0) -> str:
    """Last ``lines`` lines of ``path`` from byte offset ``start`` (empty string if unreadable)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(start)
            data = handle.read()
    except OSError:
        return ""
    return "\n".join(data.decode("utf-8", "replace").splitlines()[-lines:])


def _fetch_jars(root: Path, progress: bool) -> None:
    mvn = _find_tool("mvn")
    _find_tool("java")  # Maven itself needs it; fail with the clearer message
    version = neo4j_version()
    partial = root / "lib.partial"
    shutil.rmtree(partial, ignore_errors=True)
    (root / MARKER_NAME).unlink(missing_ok=True)
    log_path = root / "fetch.log"
    _say(
        progress,
        f"fetching Neo4j {version} jars from Maven Central into {root} (one-time, ~125 MB)...",
    )
    started = time.monotonic()
    cmd = [
        mvn,
        "-B",
        "-q",
        "-Dstyle.color=never",
        "-f",
        str(POM_PATH),
        f"-Dneo4j.lib.dir={partial}",
        "generate-resources",
    ]
    with open(log_path, "w") as log:
        log.write("$ " + shlex.join(cmd) + "\n")
        log.flush()
        # cwd=root: nothing Maven might write lands in the repository.
        result = subprocess.run(
            cmd,
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    if result.returncode != 0:
        raise Neo4jRuntimeError(
            f"Maven failed to fetch Neo4j {version} (exit {result.returncode}); "
            f"log: {log_path}\n{_tail(log_path)}"
        )
    required = [partial / f"neo4j-{version}.jar", partial / f"neo4j-bolt-{version}.jar"]
    missing = [p.name for p in required if not p.is_file()]
    if missing:
        raise Neo4jRuntimeError(
            f"Maven finished but {missing} are missing in {partial}; log: {log_path}"
        )
    shutil.rmtree(root / "lib", ignore_errors=True)
    partial.rename(root / "lib")
    # Jars changed: the launcher must be recompiled and CDS archives re-created.
    for stale in [*root.glob("launcher-*.jar"), *root.glob("cds-*.jsa*")]:
        stale.unlink(missing_ok=True)
    payload = _marker_payload() | {"jars": str(len(list((root / "lib").glob("*.jar"))))}
    (root / MARKER_NAME).write_text(json.dumps(payload, indent=1) + "\n")
    _say(progress, f"fetched {payload['jars']} jars in {time.monotonic() - started:.1f}s")


def _compile_launcher(root: Path, progress: bool) -> None:
    javac = _find_tool("javac")
    target = _launcher_jar(root)
    partial = root / "classes.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    _say(progress, "compiling Launcher.java")
    cmd = [
        javac,
        "--release",
        "17",
        "-nowarn",
        "-encoding",
        "UTF-8",
        "-d",
        str(partial),
        "-cp",
        str(root / "lib" / "*"),
        str(LAUNCHER_PATH),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise Neo4jRuntimeError(
            f"javac failed (exit {result.returncode}):\n{result.stdout}{result.stderr}"
        )
    jar_partial = root / "launcher.jar.partial"
    with zipfile.ZipFile(jar_partial, "w", zipfile.ZIP_DEFLATED) as jar:
        jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMain-Class: Launcher\n\n")
        for class_file in sorted(partial.rglob("*.class")):
            jar.write(class_file, class_file.relative_to(partial).as_posix())
    jar_partial.replace(target)  # atomic
    shutil.rmtree(partial, ignore_errors=True)
    for stale in root.glob("launcher-*.jar"):  # launchers compiled from older sources
        if stale != target:
            stale.unlink(missing_ok=True)
    for stale in root.glob("cds-*.jsa"):  # archives name the launcher they were made with
        stale.unlink(missing_ok=True)


def ensure_runtime(progress: bool = True) -> Path:
    """Make sure the Neo4j jars and the compiled launcher are in the cache; return the cache dir.

    Idempotent and safe to call from parallel processes (file lock). The first call runs
    ``mvn -B -q`` with ``tools/neo4j-runtime/pom.xml`` (network: Maven Central) and ``javac``;
    later calls only check the marker file. The returned directory contains ``lib/`` and
    ``launcher-<hash of Launcher.java>.jar``.

    :param progress: print one-line progress messages to stderr while fetching/compiling.
    :raises Neo4jRuntimeError: java/javac/mvn missing, or the fetch/compile failed (the message
        includes the tail of the Maven log).
    """
    root = cache_dir()
    if _jars_complete(root) and _launcher_current(root):
        return root
    root.mkdir(parents=True, exist_ok=True)
    with _locked(root):
        if not _jars_complete(root):
            _fetch_jars(root, progress)
        if not _launcher_current(root):
            _compile_launcher(root, progress)
    return root


# --------------------------------------------------------------------------------------------
# JVM command line
# --------------------------------------------------------------------------------------------

_SIZE_RE = re.compile(r"^\s*(\d+)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)


def _size_bytes(size: str) -> int:
    match = _SIZE_RE.match(size)
    if not match:
        raise ValueError(f"invalid size {size!r}; use e.g. '512m' or '2g'")
    factor = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
    return int(match.group(1)) * factor[match.group(2).lower()]


def jvm_flags(heap: str | None = None) -> list[str]:
    """JVM flags for the launcher.

    :param heap: max heap (``-Xmx``), e.g. ``"1g"``; default ``$NEO4J_HEAP`` or ``1g``. The
        initial heap is 256 MiB (or the max heap if smaller). ``$NEO4J_JAVA_OPTS`` is appended.
    """
    xmx = (heap or os.environ.get("NEO4J_HEAP") or DEFAULT_HEAP).strip()
    xmx_bytes = _size_bytes(xmx)
    xmx_flag = f"{max(xmx_bytes >> 20, 64)}m"
    xms_flag = f"{min(256, max(xmx_bytes >> 20, 64))}m"
    extra = shlex.split(os.environ.get("NEO4J_JAVA_OPTS", ""))
    return [f"-Xms{xms_flag}", f"-Xmx{xmx_flag}", *BASE_JVM_FLAGS, *extra]


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1.0):
            return True
    except OSError:
        return False


# --------------------------------------------------------------------------------------------
# Server process
# --------------------------------------------------------------------------------------------

_LIVE_SERVERS: weakref.WeakSet[Neo4jServer] = weakref.WeakSet()


@atexit.register
def _stop_live_servers() -> None:
    for server in list(_LIVE_SERVERS):
        with suppress(Exception):  # best effort at interpreter exit
            server.stop(timeout=20.0)


class Neo4jServer:
    """A Neo4j Community server in a child JVM, Bolt on ``127.0.0.1``.

    :param home: Neo4j home (data, logs). ``None`` creates a fresh temporary directory, deleted
        by :meth:`close` / leaving the ``with`` block. A given directory is kept, and data in it
        is reused (that is how ``run --data`` persists).
    :param port: Bolt port; ``None`` picks a free loopback port now. The port never changes
        afterwards, so :meth:`restart` comes back on the same URI.
    :param password: ``None``: use ``$NEO4J_PASSWORD`` if set, else auth off. ``""``: auth off.
        Any other string (>= 8 chars): auth on, user ``neo4j`` with this password.
    :param heap: max JVM heap, e.g. ``"1g"`` (default ``$NEO4J_HEAP`` or ``1g``).
    :param pagecache: page cache size, e.g. ``"128m"`` (default ``$NEO4J_PAGECACHE`` or ``128m``).
    :param progress: let :func:`ensure_runtime` print progress when it has to fetch.
    """

    def __init__(
        self,
        home: str | os.PathLike[str] | None = None,
        port: int | None = None,
        *,
        password: str | None = None,
        heap: str | None = None,
        pagecache: str | None = None,
        progress: bool = True,
    ) -> None:
        if password is None:
            password = os.environ.get("NEO4J_PASSWORD", "")
        if password and len(password) < MIN_PASSWORD_LENGTH:
            raise ValueError(f"Neo4j passwords need at least {MIN_PASSWORD_LENGTH} characters")
        jvm_flags(heap)  # validate the heap size before anything is created
        self._password = password or None
        self._heap = heap
        self._port_fixed = port is not None
        self._port = port if port is not None else _free_port()
        if home is None:
            self._home = Path(tempfile.mkdtemp(prefix="cartonet-neo4j-"))
            self._owns_home = True
        else:
            self._home = Path(home).expanduser().resolve()
            self._owns_home = False
        self._pagecache = pagecache or os.environ.get("NEO4J_PAGECACHE") or DEFAULT_PAGECACHE
        self._progress = progress
        self._proc: subprocess.Popen[bytes] | None = None
        self._log_offset = 0
        self._ready = False
        self._cds_pending: Path | None = None

    # -- properties ----------------------------------------------------------------------------

    @property
    def uri(self) -> str:
        """Bolt URI, ``bolt://127.0.0.1:PORT`` (stable across :meth:`restart`)."""
        return f"bolt://{HOST}:{self._port}"

    @property
    def port(self) -> int:
        """Bolt port on 127.0.0.1."""
        return self._port

    @property
    def home(self) -> Path:
        """Neo4j home directory (``data/``, ``logs/debug.log``, ``logs/launcher.log``)."""
        return self._home

    @property
    def auth(self) -> tuple[str, str] | None:
        """Driver ``auth`` argument: ``None`` (auth off) or ``("neo4j", password)``."""
        return ("neo4j", self._password) if self._password else None

    @property
    def log_path(self) -> Path:
        """File receiving the JVM's stdout and stderr (appended to on every start)."""
        return self._home / "logs" / "launcher.log"

    @property
    def running(self) -> bool:
        """True while the JVM process is alive."""
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        """PID of the JVM, or ``None`` when not started/stopped."""
        return self._proc.pid if self._proc is not None else None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self, timeout: float = 180.0) -> str:
        """Start the JVM and wait until Bolt accepts connections; return :attr:`uri`.

        Fetches the runtime on first use (see :func:`ensure_runtime`). If the port was chosen
        automatically and is taken meanwhile, a new free port is picked (first start only).

        :raises Neo4jStartError: the JVM exited or did not get ready within ``timeout`` seconds
            (message includes the launcher log tail), or a fixed port is already in use.
        """
        if self.running:
            raise Neo4jRuntimeError(f"Neo4j is already running on {self.uri}")
        runtime = ensure_runtime(progress=self._progress)
        deadline = time.monotonic() + timeout
        for attempt in range(3):
            if not _port_is_free(self._port):
                if self._port_fixed:
                    raise Neo4jStartError(
                        f"port {HOST}:{self._port} is already in use (another Neo4j still running?)"
                    )
                self._port = _free_port()
            self._spawn(runtime)
            try:
                self._wait_ready(deadline)
                break
            except Neo4jStartError as exc:
                self._terminate(grace=5.0)
                lost_race = "Address already in use" in str(exc) and not self._port_fixed
                if not lost_race or attempt == 2:
                    raise
                self._port = _free_port()  # someone took the automatic port: pick another
            except BaseException:
                self._terminate(grace=5.0)
                raise
        self._port_fixed = True  # from now on restart() must come back on this very port
        _LIVE_SERVERS.add(self)
        return self.uri

    def stop(self, timeout: float = 60.0) -> None:
        """Stop the JVM: SIGTERM (clean shutdown), SIGKILL after ``timeout`` seconds.

        Returns once the process has exited, i.e. the Bolt port is closed. No-op if not running.
        """
        self._terminate(grace=timeout)
        _LIVE_SERVERS.discard(self)

    def restart(self, timeout: float = 180.0) -> str:
        """Stop (if running) and start again on the same port with the same home (data kept)."""
        self.stop()
        return self.start(timeout=timeout)

    def close(self) -> None:
        """Stop the server and delete the home directory if it was created by this object."""
        self.stop()
        if self._owns_home:
            shutil.rmtree(self._home, ignore_errors=True)

    def __enter__(self) -> Neo4jServer:
        if not self.running:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"Neo4jServer(uri={self.uri!r}, home={str(self._home)!r}, {state})"

    def wait(self) -> int:
        """Block until the JVM exits on its own; return its exit code."""
        if self._proc is None:
            raise Neo4jRuntimeError("Neo4j was not started")
        return self._proc.wait()

    # -- internals -----------------------------------------------------------------------------

    def _spawn(self, runtime: Path) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        java = _find_tool("java")
        classpath = os.pathsep.join([str(_launcher_jar(runtime)), str(runtime / "lib" / "*")])
        flags = jvm_flags(self._heap)
        self._ready = False
        self._cds_pending = None
        if os.environ.get("NEO4J_CDS", "1") != "0" and not any(
            "SharedArchiveFile" in f or "ArchiveClassesAtExit" in f for f in flags
        ):
            archive = _cds_archive(runtime, java)
            if archive.is_file():
                flags.append(f"-XX:SharedArchiveFile={archive}")
            else:
                for orphan in runtime.glob("cds-*.jsa.*.tmp"):  # from runs whose Python died
                    with suppress(OSError):
                        if time.time() - orphan.stat().st_mtime > 3600:
                            orphan.unlink()
                self._cds_pending = archive.with_name(
                    f"{archive.name}.{os.getpid()}-{id(self):x}.tmp"
                )
                # -Xlog: the dump lists every class it skips as a warning.
                flags += [f"-XX:ArchiveClassesAtExit={self._cds_pending}", "-Xlog:cds*=error"]
        cmd = [java, *flags, "-cp", classpath, "Launcher", str(self._home), str(self._port)]
        env = dict(os.environ)
        env["NEO4J_PAGECACHE"] = self._pagecache
        env["NEO4J_EXIT_ON_STDIN_EOF"] = "1"  # the JVM exits if this Python process dies
        env.pop("NEO4J_PASSWORD", None)
        if self._password:
            env["NEO4J_PASSWORD"] = self._password
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        header = f"\n==== {stamp} starting {self.uri}\n$ {shlex.join(cmd)}\n"
        # The child keeps its own copy of the descriptor; ours is closed right away.
        with open(self.log_path, "ab") as log:
            log.write(header.encode())
            log.flush()
            self._log_offset = log.tell()
            self._proc = subprocess.Popen(
                cmd,
                cwd=self._home,
                env=env,
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # own session: no stray Ctrl-C

    def _failure_report(self) -> str:
        """Key lines (launcher failure, ``Caused by``) plus the tail of this run's launcher log."""
        segment = _tail(self.log_path, lines=100_000, start=self._log_offset).splitlines()
        key = [
            line
            for line in segment
            if line.startswith(("NEO4J_FAILED", "Caused by:", "Error", "Exception"))
        ]
        tail = segment[-30:]
        parts = [f"Launcher log {self.log_path} (Neo4j's own: {self._home / 'logs' / 'debug.log'})"]
        if key:
            parts += ["-- key lines --", *key[:10]]
        parts += ["-- log tail --", *(tail or ["(empty)"])]
        return "\n".join(parts)

    def _wait_ready(self, deadline: float) -> None:
        assert self._proc is not None
        while True:
            text = _tail(self.log_path, lines=10_000, start=self._log_offset)
            if READY_PREFIX in text and _accepts_connections(self._port):
                self._ready = True
                return
            code = self._proc.poll()
            if code is not None:
                raise Neo4jStartError(
                    f"Neo4j JVM exited with code {code} during start-up on {self.uri}.\n"
                    f"{self._failure_report()}"
                )
            if time.monotonic() > deadline:
                raise Neo4jStartError(
                    f"Neo4j did not accept Bolt connections on {self.uri} in time.\n"
                    f"{self._failure_report()}"
                )
            time.sleep(0.1)

    def _terminate(self, grace: float) -> None:
        proc = self._proc
        if proc is not None:
            if proc.poll() is None:
                try:
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(timeout=grace)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if proc.stdin is not None:
                with suppress(OSError):
                    proc.stdin.close()
            self._proc = None
            self._publish_cds(clean=self._ready and proc.returncode in (0, 143))

    def _publish_cds(self, clean: bool) -> None:
        """Keep the archive a dumping JVM wrote at exit, if the run was good and exited cleanly."""
        pending, self._cds_pending = self._cds_pending, None
        if pending is None:
            return
        final = pending.with_name(pending.name.split(".jsa.", 1)[0] + ".jsa")
        if clean and pending.is_file() and pending.stat().st_size > 0:
            pending.replace(final)  # atomic; a concurrent writer's equivalent file may win
        else:
            pending.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


def _raise_keyboard_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _cmd_fetch(args: argparse.Namespace) -> int:
    root = ensure_runtime(progress=True)
    print(root)
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    # Explicit, because a shell starting us in the background (``cmd &``) leaves SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    signal.signal(signal.SIGHUP, _raise_keyboard_interrupt)
    server = Neo4jServer(home=args.data, port=args.port)
    try:
        print(
            f"[neo4j_server] starting Neo4j {neo4j_version()} (data: {server.home}, "
            f"log: {server.log_path})",
            file=sys.stderr,
            flush=True,
        )
        started = time.monotonic()
        server.start(timeout=args.timeout)
        print(
            f"[neo4j_server] ready in {time.monotonic() - started:.1f}s; auth "
            f"{'on (user neo4j)' if server.auth else 'off'}; Ctrl-C stops it",
            file=sys.stderr,
            flush=True,
        )
        print(server.uri, flush=True)
        code = server.wait()
        print(
            f"[neo4j_server] Neo4j exited unexpectedly (code {code}):\n{_tail(server.log_path)}",
            file=sys.stderr,
            flush=True,
        )
        return 1
    except KeyboardInterrupt:
        print("[neo4j_server] stopping...", file=sys.stderr, flush=True)
        return 0
    except Neo4jRuntimeError as exc:
        print(f"[neo4j_server] error: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not abort the stop
        server.stop()


class Target:
    """Where a benchmark talks to Neo4j: the server ``CARTONET_NEO4J_URI`` names, or one
    started for the run (``startup_s`` then says how long it took to start)."""

    def __init__(
        self,
        uri: str,
        auth: tuple[str, str] | None,
        database: str,
        startup_s: float | None,
        pid: int | None = None,
    ) -> None:
        self.uri, self.auth, self.database, self.startup_s = uri, auth, database, startup_s
        self.pid = pid  # the JVM's process id when the server was started here


@contextmanager
def neo4j_target(
    heap: str = "2g", progress: bool = True, home: str | os.PathLike[str] | None = None
) -> Iterator[Target]:
    """The Neo4j a benchmark should use: ``CARTONET_NEO4J_URI`` (with
    ``CARTONET_NEO4J_USER`` / ``_PASSWORD`` / ``_DATABASE``) when set, otherwise a
    :class:`Neo4jServer` with ``heap``, stopped when the block ends: in a fresh temporary
    home, or in ``home`` (kept, so a benchmark can reuse a database it loaded before)."""
    database = os.environ.get("CARTONET_NEO4J_DATABASE") or "neo4j"
    uri = os.environ.get("CARTONET_NEO4J_URI")
    if uri:
        password = os.environ.get("CARTONET_NEO4J_PASSWORD")
        user = os.environ.get("CARTONET_NEO4J_USER") or "neo4j"
        yield Target(uri, (user, password) if password else None, database, None)
        return
    server = Neo4jServer(home, heap=heap, progress=progress)
    try:
        started = time.perf_counter()
        uri = server.start()
        startup_s = round(time.perf_counter() - started, 2)
        yield Target(uri, server.auth, database, startup_s, server.pid)
    finally:
        server.close()


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (``fetch`` / ``run``)."""
    parser = argparse.ArgumentParser(
        prog="neo4j_server.py",
        description=f"Real Neo4j Community ({neo4j_version()}) for Carto.net tests and "
        "development, run from Maven Central jars (no Docker).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    fetch = sub.add_parser(
        "fetch",
        help="download the Neo4j jars once and compile the launcher",
        description=f"Fetch the Neo4j jars with Maven into the cache ({cache_dir()}) and "
        "compile the launcher. Does nothing if already complete. Prints the path.",
    )
    fetch.set_defaults(func=_cmd_fetch)
    run = sub.add_parser(
        "run",
        help="run Neo4j in the foreground (Ctrl-C stops it)",
        description="Run Neo4j in the foreground with Bolt on 127.0.0.1. Prints the bolt:// URI "
        "once it accepts connections; Ctrl-C (or SIGTERM) shuts it down cleanly. "
        "Auth is off unless NEO4J_PASSWORD is set (user neo4j).",
    )
    run.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("NEO4J_PORT") or DEFAULT_BOLT_PORT),
        help="Bolt port (default: $NEO4J_PORT or 7687)",
    )
    run.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="Neo4j home with data and logs, kept between runs "
        "(default: .neo4j-data/ in the repository root)",
    )
    run.add_argument(
        "--timeout", type=float, default=180.0, help="seconds to wait for start-up (default: 180)"
    )
    run.set_defaults(func=_cmd_run)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except Neo4jRuntimeError as exc:
        print(f"[neo4j_server] error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
