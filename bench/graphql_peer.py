"""Benchmark of the GraphQL API against an off-the-shelf peer on the same data: Carto.net
on Neo4j, Carto.net on its embedded store, and ``@neo4j/graphql`` (on Apollo Server) over
the same Neo4j database, measured back to back in one run with a real load generator.

What runs:

* **data**: full ESCO v1.1.1 (with the v1.0 French labels) read by the project's loader
  (:func:`cartonet.ingest.esco.load_esco`) and written into a Neo4j started with
  ``tools/neo4j_server.py`` and into an embedded store file. Both are kept in a cache
  outside the repository (``$CARTONET_PEER_CACHE``, else ``~/.cache/cartonet/peer``) with a
  marker naming the graph version they hold, so a second run starts in seconds instead of
  loading ESCO again (``--reload`` forces a fresh load);
* **the peer**: ``bench/peer/package.json`` + ``package-lock.json`` installed with
  ``npm ci`` into that cache (``@neo4j/graphql``, ``@apollo/server``, ``graphql``,
  ``neo4j-driver`` and the load generator ``autocannon``), and ``bench/peer/server.mjs``,
  a small Apollo server whose type definitions map our labels (``Occupation``, ``Skill``,
  ``REQUIRES {relevance, weight}``, ``label_fr``...);
* **three servers**: ``cartonet serve`` on the Neo4j, ``cartonet serve`` on the embedded
  file, and the peer on the Neo4j; each one process (one event loop, like Node);
* **workloads** (each the same question asked of the three, answers checked equal first):

  - ``a``: an occupation by id and its essential skills (id, label);
  - ``b``: the first 50 occupations (id, label) and their total count;
  - ``c``: a skill and the first 20 of the 46 occupations requiring it, with their count;
  - ``c2``: the same on the skill the most occupations require (~350);
  - ``d``: search "nurse", 10 occupations (Carto.net ranks labels and alternative labels,
    typo-tolerant, and finds 10; the peer filters ``label_en CONTAINS`` and finds 6: the
    answers differ by design, the check is that each answers 1 to 10 occupations);
  - ``typename``: ``{ __typename }``, the fixed cost of a request;

* **figures** per workload and server: requests per second, latency p50 / p95 (every
  response's time as autocannon saw it), and CPU milliseconds per request: the server
  process plus the Neo4j JVM (``utime + stime`` of ``/proc/<pid>/stat`` before and after
  the run); and the ratios ``ratio_neo4j`` (Carto.net on Neo4j req/s ÷ the peer's) and
  ``ratio_embedded`` (Carto.net embedded ÷ the peer).

With ``--rounds N``, each (workload, server) pair is timed N times, the servers taking
turns round by round and every other round in the opposite order; each figure is the
median over the rounds and each ratio the median of the rounds' ratios (a Carto.net run
and the peer's run of the same round are minutes apart, rounds are further apart: on a
shared machine whose speed drifts by 10-20 % within minutes, pairing within a round and
taking the median keeps one slow stretch from deciding a ratio).

Before any timed run, every (workload, server) pair gets one untimed burst: the Neo4j
JVM compiles its hot paths during the first seconds of load, and without this pass the
server measured first on the fresh database paid for it (the peer measured first spent
2.5-3.4x the JVM CPU per request it spent measured last). Then each (workload, server)
gets a short untimed warm-up burst again, then ``--duration`` seconds with
``--connections`` connections. Servers run one after the other, never at the same
time as another measurement. ``--reverse`` runs the workloads and the servers in the
opposite order (the machine's load drifts: run both orders to see it).

Usage::

    .venv/bin/python bench/graphql_peer.py                       # 10 s per run
    .venv/bin/python bench/graphql_peer.py --duration 30 --connections 10 --json
    .venv/bin/python bench/graphql_peer.py --reverse --only a,c2
    .venv/bin/python bench/graphql_peer.py --rounds 3 --json     # medians of 3 interleaved runs

Needs Java (for Neo4j), Node.js ≥ 20 and npm (the npm registry, once). Every server it
starts is stopped at the end, also on Ctrl-C or an error.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cartonet.model import NodeType, Relevance, RelType
from cartonet.store.base import Direction, NodeFilter, Store
from cartonet.store.embedded import EmbeddedStore
from cartonet.store.neo4j import Neo4jStore
from cartonet.store.neo4j_rows import FORMAT

REPO = Path(__file__).resolve().parents[1]
PEER_SRC = REPO / "bench" / "peer"
sys.path.insert(0, str(REPO / "tools"))
from neo4j_server import neo4j_target  # noqa: E402

SERVERS = ("neo4j", "embedded", "peer")
"""Carto.net on Neo4j, Carto.net embedded, @neo4j/graphql; the default order."""
WORKLOADS = ("a", "b", "c", "c2", "d", "typename")
WARM_SECONDS = 2
START_TIMEOUT = 600.0
"""Seconds a server may take to start and warm up (a busy machine: minutes)."""


class BenchError(Exception):
    """A failure the benchmark reports in one line (no traceback)."""


def shared_data() -> Path:
    return Path(os.environ.get("CARTONET_SHARED_DATA") or REPO.parent / "shared" / "data")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(os.environ.get("CARTONET_PEER_CACHE") or Path(base) / "cartonet" / "peer")


def _say(quiet: bool, message: str) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


# --- the peer's packages ---------------------------------------------------------------


def install_peer(cache: Path, quiet: bool) -> Path:
    """``npm ci`` of ``bench/peer`` into ``cache`` (once per lock file); the peer's scripts
    are copied next to its ``node_modules`` so Node resolves the packages from there."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            raise BenchError(f"{tool} not found on PATH: the peer needs Node.js >= 20 and npm")
    cache.mkdir(parents=True, exist_ok=True)
    lock = (PEER_SRC / "package-lock.json").read_bytes()
    digest = hashlib.sha256(lock + (PEER_SRC / "package.json").read_bytes()).hexdigest()
    marker = cache / "node_modules" / ".cartonet-lock"
    if not marker.exists() or marker.read_text() != digest:
        _say(quiet, f"installing the peer's npm packages into {cache} ...")
        shutil.copy(PEER_SRC / "package.json", cache / "package.json")
        shutil.copy(PEER_SRC / "package-lock.json", cache / "package-lock.json")
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=cache,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BenchError(f"npm ci failed in {cache}: {done.stderr.strip()[-800:]}")
        marker.write_text(digest)
    for script in ("server.mjs", "load.mjs"):
        shutil.copy(PEER_SRC / script, cache / script)
    return cache


# --- the data ----------------------------------------------------------------------------


def _data_key(esco: Path) -> str:
    """What the cached stores must have been loaded from: the release files (names, sizes,
    modification times) and the stored format."""
    parts = [f"format={FORMAT}"]
    for path in sorted(esco.parent.rglob("*.csv")):
        if "v1.1.1" in path.parts or "v1.0_fr_labels" in path.parts:
            st = path.stat()
            parts.append(f"{path.relative_to(esco.parent)}:{st.st_size}:{int(st.st_mtime)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


class _Esco:
    """Full ESCO read once, on first need (a run reusing both stores never reads it)."""

    def __init__(self, esco: Path, quiet: bool) -> None:
        self.esco, self.quiet, self._dataset = esco, quiet, None

    def dataset(self) -> Any:
        if self._dataset is None:
            from cartonet.ingest.esco import load_esco

            _say(self.quiet, "reading ESCO v1.1.1 ...")
            fr = self.esco.parent / "v1.0_fr_labels"
            self._dataset = load_esco(self.esco, fr_fallback_dir=fr if fr.is_dir() else None)
        return self._dataset


async def ensure_loaded(
    store: Store, marker: Path, key: str, esco: _Esco, reload: bool, what: str
) -> str:
    """Open ``store`` and load full ESCO into it unless ``marker`` says it already holds
    this data at its current version. Returns how it went ("reused" or "loaded in N s")."""
    await store.open()
    version = await store.version()
    stats = await store.stats()
    if not reload and marker.exists() and stats.occupations:
        with contextlib.suppress(ValueError):
            if json.loads(marker.read_text()) == {"key": key, "version": version}:
                return "reused"
    dataset = esco.dataset()
    _say(esco.quiet, f"loading full ESCO into {what} (minutes) ...")
    started = time.perf_counter()
    report = await store.load(dataset, replace=True)
    marker.write_text(json.dumps({"key": key, "version": report.version}))
    return f"loaded in {time.perf_counter() - started:.0f} s"


# --- the servers -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _post(url: str, body: dict[str, Any], timeout: float = 30.0) -> dict[str, Any]:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


@dataclass
class Server:
    """One GraphQL server process started for the run."""

    name: str
    args: list[str]
    url: str
    env: dict[str, str]
    cwd: Path
    log: Path
    ready_url: str | None = None  # Carto.net: /readyz, polled until the warm-up is over
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                self.args,
                cwd=self.cwd,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # our Ctrl-C is handled by us, not sent to it
            )

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                raise BenchError(f"{self.name} server exited at start-up:\n{self._tail()}")
            with contextlib.suppress(OSError, ValueError):
                if self.ready_url is not None:
                    with urllib.request.urlopen(self.ready_url, timeout=5) as response:
                        if json.loads(response.read()).get("warm") in ("warm", "failed"):
                            return
                elif _post(self.url, {"query": "{ __typename }"}, 5).get("data"):
                    return
            time.sleep(0.5)
        raise BenchError(f"{self.name} server not ready after {timeout:g} s:\n{self._tail()}")

    def _tail(self) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-15:])
        return ""

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _cpu_ticks(pid: int | None) -> int | None:
    """utime + stime of ``pid`` in clock ticks, ``None`` when unknown."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of the line


# --- workloads ---------------------------------------------------------------------------


@dataclass
class Workload:
    name: str
    what: str
    ours: dict[str, Any]
    peer: dict[str, Any]
    answers: dict[str, Any] = field(default_factory=dict)


def _ours_a(data: dict[str, Any]) -> list[tuple[str, str]]:
    occ = data["occupation"]
    return sorted((r["skill"]["id"], r["skill"]["label"]) for r in occ["skills"])


def _peer_a(data: dict[str, Any]) -> list[tuple[str, str]]:
    (occ,) = data["occupations"]
    return sorted(
        (e["node"]["id"], e["node"]["label_fr"]) for e in occ["skillsConnection"]["edges"]
    )


def _ours_page(conn: dict[str, Any]) -> tuple[int, list[tuple[str, str]]]:
    return conn["totalCount"], [(e["node"]["id"], e["node"]["label"]) for e in conn["edges"]]


def _peer_page(conn: dict[str, Any]) -> tuple[int, list[tuple[str, str]]]:
    return conn["totalCount"], [(e["node"]["id"], e["node"]["label_fr"]) for e in conn["edges"]]


def _ours_d(data: dict[str, Any]) -> tuple[bool, set[str]]:
    return 1 <= len(data["search"]) <= 10, {h["node"]["__typename"] for h in data["search"]}


def _peer_d(data: dict[str, Any]) -> tuple[bool, set[str]]:
    hits = data["occupations"]
    return 1 <= len(hits) <= 10, {h["__typename"] for h in hits}


ANSWERS = {
    "a": (_ours_a, _peer_a),
    "b": (lambda d: _ours_page(d["occupations"]), lambda d: _peer_page(d["occupationsConnection"])),
    "c": (
        lambda d: _ours_page(d["skill"]["occupations"]),
        lambda d: _peer_page(d["skills"][0]["occupationsConnection"]),
    ),
    "typename": (lambda d: d, lambda d: d),
}
ANSWERS["c2"] = ANSWERS["c"]
ANSWERS["d"] = (_ours_d, _peer_d)


async def pick_ids(store: Store) -> dict[str, str]:
    """The nodes the workloads read, chosen by rule from the data: ``a`` the first
    occupation (id order) with 15 to 30 essential skills; ``c`` the first skill 46
    occupations require; ``c2`` the skill the most occupations require."""
    occupations, skills = [], []
    for type_, into in ((NodeType.OCCUPATION, occupations), (NodeType.SKILL, skills)):
        after = None
        while True:
            page = await store.list_nodes(type_, NodeFilter(), 500, after)
            into.extend(n.id for n in page.items)
            if not page.has_next_page:
                break
            after = page.end_cursor
    essential = await store.neighbours(
        occupations, RelType.REQUIRES, Direction.OUT, {"relevance": Relevance.ESSENTIAL.value}
    )
    a = next((i for i in occupations if 15 <= len(essential[i]) <= 30), None)
    required = await store.neighbours(skills, RelType.REQUIRES, Direction.IN)
    counts = {i: sum(e.node.type == NodeType.OCCUPATION for e in required[i]) for i in skills}
    c = next((i for i in skills if counts[i] == 46), None)
    c2 = max(skills, key=lambda i: (counts[i], i)) if skills else None
    if a is None or c is None or c2 is None:
        raise BenchError("the store does not hold full ESCO (no occupation/skill fits the rules)")
    return {"a": a, "c": c, "c2": c2, "c2_count": str(counts[c2])}


def workloads(ids: dict[str, str]) -> list[Workload]:
    page = "totalCount edges { node { id label } }"
    peer_page = "totalCount edges { node { id label_fr } }"
    skill_q = "query($id: ID!) { skill(id: $id) { id label occupations(first: 20) { %s } } }"
    peer_skill_q = (
        "query($id: ID!) { skills(where: {id: {eq: $id}}) { id label_fr "
        "occupationsConnection(first: 20, sort: [{node: {id: ASC}}]) { %s } } }"
    )
    return [
        Workload(
            "a",
            "occupation by id + its essential skills (id, label)",
            {
                "query": "query($id: ID!) { occupation(id: $id) { id label "
                "skills(relevance: ESSENTIAL) { skill { id label } } } }",
                "variables": {"id": ids["a"]},
            },
            {
                "query": "query($id: ID!) { occupations(where: {id: {eq: $id}}) { id label_fr "
                'skillsConnection(where: {edge: {relevance: {eq: "ESSENTIAL"}}}) '
                "{ edges { node { id label_fr } } } } }",
                "variables": {"id": ids["a"]},
            },
        ),
        Workload(
            "b",
            "occupations(first: 50) id + label, totalCount",
            {"query": "{ occupations(first: 50) { " + page + " } }"},
            {
                "query": "{ occupationsConnection(first: 50, sort: [{id: ASC}]) { "
                + peer_page
                + " } }"
            },
        ),
        Workload(
            "c",
            "a skill + occupations(first: 20) (46 linked)",
            {"query": skill_q % page, "variables": {"id": ids["c"]}},
            {"query": peer_skill_q % peer_page, "variables": {"id": ids["c"]}},
        ),
        Workload(
            "c2",
            f"the same on the skill {ids['c2_count']} occupations require",
            {"query": skill_q % page, "variables": {"id": ids["c2"]}},
            {"query": peer_skill_q % peer_page, "variables": {"id": ids["c2"]}},
        ),
        Workload(
            "d",
            'search "nurse", 10 occupations',
            {
                "query": '{ search(text: "nurse", kinds: [OCCUPATION], first: 10) '
                "{ node { __typename id label } } }"
            },
            {
                "query": '{ occupations(where: {label_en: {contains: "nurse"}}, limit: 10, '
                "sort: [{id: ASC}]) { __typename id label_fr } }"
            },
        ),
        Workload(
            "typename", "{ __typename }", {"query": "{ __typename }"}, {"query": "{ __typename }"}
        ),
    ]


def check_answers(items: Sequence[Workload], urls: dict[str, str]) -> None:
    """Ask each workload's question once of every server; raise unless the answers agree."""
    for w in items:
        ours_of, peer_of = ANSWERS[w.name]
        got = {}
        for name, url in urls.items():
            body = w.peer if name == "peer" else w.ours
            reply = _post(url, body)
            if reply.get("errors") or not reply.get("data"):
                raise BenchError(f"{w.name} on {name}: {json.dumps(reply)[:600]}")
            got[name] = (peer_of if name == "peer" else ours_of)(reply["data"])
        first = next(iter(got.values()))
        if any(answer != first for answer in got.values()):
            shown = {k: str(v)[:300] for k, v in got.items()}
            raise BenchError(f"workload {w.name}: the servers answer differently: {shown}")
        w.answers = {k: str(v)[:120] for k, v in got.items()}


# --- measuring ---------------------------------------------------------------------------


def run_load(
    peer_dir: Path, url: str, body: dict[str, Any], connections: int, duration: int
) -> dict[str, Any]:
    opts = {"url": url, "body": json.dumps(body), "connections": connections, "duration": duration}
    done = subprocess.run(
        ["node", str(peer_dir / "load.mjs"), json.dumps(opts)],
        cwd=peer_dir,
        capture_output=True,
        text=True,
        timeout=duration + 120,
    )
    if done.returncode != 0:
        raise BenchError(f"autocannon failed on {url}: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(
    peer_dir: Path,
    server: Server,
    body: dict[str, Any],
    neo4j_pid: int | None,
    connections: int,
    duration: int,
) -> dict[str, Any]:
    """Warm up, then one timed run; CPU of the server (and of Neo4j when it is used)."""
    run_load(peer_dir, server.url, body, connections, WARM_SECONDS)
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    pid = server.proc.pid if server.proc else None
    uses_neo4j = server.name != "embedded"
    before = (_cpu_ticks(pid), _cpu_ticks(neo4j_pid) if uses_neo4j else 0)
    result = run_load(peer_dir, server.url, body, connections, duration)
    after = (_cpu_ticks(pid), _cpu_ticks(neo4j_pid) if uses_neo4j else 0)
    requests = max(1, result["requests"])
    cpu = {}
    for i, part in enumerate(("server", "neo4j")):
        if before[i] is None or after[i] is None:
            cpu[part] = None
        else:
            cpu[part] = round((after[i] - before[i]) * tick_ms / requests, 3)
    if result["non2xx"] or result["errors"]:
        raise BenchError(
            f"{server.name}: {result['non2xx']} non-2xx answers and {result['errors']} errors "
            "under load (see the server's log)"
        )
    total = None if None in cpu.values() else round(cpu["server"] + cpu["neo4j"], 3)
    return {
        "rps": round(result["rps"], 1),
        "p50_ms": result["p50_ms"],
        "p95_ms": result["p95_ms"],
        "cpu_ms_per_request": total,
        "cpu_ms_server": cpu["server"],
        "cpu_ms_neo4j": cpu["neo4j"] if uses_neo4j else None,
        "requests": result["requests"],
    }


def summarise(what: str, runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """One workload's row: per server the median of each figure over the rounds (one
    round: its figures), and the ratios as the median of each round's ratio (a Carto.net
    server and the peer measured minutes apart in the same round: pairing them cancels
    the drift between rounds)."""
    row: dict[str, Any] = {"what": what}
    for name, measured in runs.items():
        row[name] = {
            key: _median([m[key] for m in measured]) for key in measured[0] if key != "requests"
        }
        row[name]["requests"] = sum(m["requests"] for m in measured)
        if len(measured) > 1:
            row[name]["rounds_rps"] = [m["rps"] for m in measured]
    for ours in ("neo4j", "embedded"):
        ratios = [
            o["rps"] / p["rps"] if p["rps"] else float("nan")
            for o, p in zip(runs[ours], runs["peer"], strict=True)
        ]
        row[f"ratio_{ours}"] = round(_median(ratios), 2)  # type: ignore[arg-type]
        if len(ratios) > 1:
            row[f"rounds_ratio_{ours}"] = [round(r, 2) for r in ratios]
    return row


def _median(values: Sequence[Any]) -> Any:
    """The median of numbers (``None`` when one is ``None``: a figure not measured)."""
    if any(v is None for v in values):
        return None
    middle = statistics.median(values)
    return round(middle, 3) if isinstance(middle, float) else middle


@contextlib.contextmanager
def running(servers: Sequence[Server]) -> Iterator[None]:
    """Start every server, wait for them, stop them all whatever happens (SIGTERM too)."""

    def on_term(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
        yield
    finally:
        for server in servers:
            server.stop()
        signal.signal(signal.SIGTERM, previous)


def run(args: argparse.Namespace) -> dict[str, Any]:
    quiet = args.json
    esco_dir = shared_data() / "esco" / "v1.1.1"
    if not esco_dir.is_dir():
        raise BenchError(f"{esco_dir} not found: the benchmark needs the ESCO v1.1.1 release")
    cache = cache_dir()
    peer_dir = install_peer(cache, quiet)
    key = _data_key(esco_dir)
    esco = _Esco(esco_dir, quiet)
    embedded_file = cache / "esco-embedded.sqlite"
    figures: dict[str, Any] = {
        "duration_s": args.duration,
        "connections": args.connections,
        "rounds": args.rounds,
    }
    wanted = [w for w in WORKLOADS if not args.only or w in args.only.split(",")]
    order = list(SERVERS)
    if args.reverse:
        order.reverse()
        wanted.reverse()
    figures["order"] = order
    home = None if os.environ.get("CARTONET_NEO4J_URI") else cache / "neo4j-esco"
    if home is not None and args.reload and home.exists():
        shutil.rmtree(home)
    with neo4j_target(args.heap, progress=not quiet, home=home) as target:
        if target.startup_s is not None:
            figures["neo4j_startup_s"] = target.startup_s

        async def prepare() -> dict[str, str]:
            neo = Neo4jStore(target.uri, *(target.auth or (None, None)), target.database)
            emb = EmbeddedStore(embedded_file)
            try:
                figures["neo4j_data"] = await ensure_loaded(
                    neo, cache / "neo4j-esco.json", key, esco, args.reload, "Neo4j"
                )
                figures["embedded_data"] = await ensure_loaded(
                    emb, cache / "esco-embedded.json", key, esco, args.reload, "the embedded store"
                )
                return await pick_ids(emb)
            finally:
                await neo.close()
                await emb.close()

        ids = asyncio.run(prepare())
        esco._dataset = None  # the servers need the memory more than we do
        figures["ids"] = ids
        items = [w for w in workloads(ids) if w.name in wanted]
        items.sort(key=lambda w: wanted.index(w.name))
        logs = Path(tempfile.mkdtemp(prefix="cartonet-peer-bench-"))
        env = dict(os.environ)
        auth = target.auth or ("", "")
        cartonet = str(Path(sys.executable).parent / "cartonet")
        servers: dict[str, Server] = {}
        for name in order:
            port = _free_port()
            url = f"http://127.0.0.1:{port}/graphql"
            if name == "peer":
                args_ = ["node", "server.mjs", str(port), target.uri, *auth]
                senv = {**env, "NODE_ENV": "production"}
                servers[name] = Server(
                    name, args_, f"http://127.0.0.1:{port}/", senv, peer_dir, logs / "peer.log"
                )
                continue
            store = target.uri if name == "neo4j" else str(embedded_file)
            senv = {**env, "CARTONET_NEO4J_USER": auth[0], "CARTONET_NEO4J_PASSWORD": auth[1]}
            senv["CARTONET_NEO4J_DATABASE"] = target.database
            args_ = [cartonet, "serve", "--store", store, "--port", str(port)]
            # The warm-up builds the search index (and the orientation caches) before
            # the first search: measured requests never pay for a lazy build.
            args_ += ["--warm-up", "--log-level", "warning"]
            ready = f"http://127.0.0.1:{port}/readyz"
            servers[name] = Server(name, args_, url, senv, REPO, logs / f"{name}.log", ready)
        with running(list(servers.values())):
            urls = {name: servers[name].url for name in order}
            check_answers(items, urls)
            _say(quiet, "warming every server on every workload ...")
            for w in items:
                for name in order:
                    body = w.peer if name == "peer" else w.ours
                    run_load(peer_dir, servers[name].url, body, args.connections, WARM_SECONDS)
            results: dict[str, Any] = {}
            for w in items:
                runs: dict[str, list[dict[str, Any]]] = {name: [] for name in order}
                for round_ in range(args.rounds):
                    # every other round the other way round: each server is measured as
                    # often first as last, so the machine's drift weighs on all alike
                    for name in order if round_ % 2 == 0 else order[::-1]:
                        body = w.peer if name == "peer" else w.ours
                        _say(quiet, f"{w.name} on {name} (round {round_ + 1}/{args.rounds}) ...")
                        runs[name].append(
                            measure(
                                peer_dir,
                                servers[name],
                                body,
                                target.pid,
                                args.connections,
                                args.duration,
                            )
                        )
                results[w.name] = summarise(w.what, runs)
            figures["workloads"] = results
        shutil.rmtree(logs, ignore_errors=True)
    return figures


def print_table(figures: dict[str, Any]) -> None:
    print(
        f"order: {', '.join(figures['order'])}; {figures['connections']} connections, "
        f"{figures['duration_s']} s per run, {figures['rounds']} round(s) (medians); "
        f"data: Neo4j {figures.get('neo4j_data')}, embedded {figures.get('embedded_data')}"
    )
    head = "| workload | server | req/s | p50 ms | p95 ms | CPU ms/req (server + Neo4j) |"
    print(head)
    print("| --- | --- | --- | --- | --- | --- |")
    for name, row in figures["workloads"].items():
        for server in SERVERS:
            r = row[server]
            neo = f" + {r['cpu_ms_neo4j']}" if r["cpu_ms_neo4j"] is not None else ""
            print(
                f"| {name} | {server} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} | "
                f"{r['cpu_ms_per_request']} ({r['cpu_ms_server']}{neo}) |"
            )
    print()
    print("| workload | what | neo4j ÷ peer | embedded ÷ peer |")
    print("| --- | --- | --- | --- |")
    for name, row in figures["workloads"].items():
        shown = []
        for ours in ("neo4j", "embedded"):
            rounds = row.get(f"rounds_ratio_{ours}")
            each = f" ({', '.join(map(str, rounds))})" if rounds else ""
            shown.append(f"{row[f'ratio_{ours}']}{each}")
        print(f"| {name} | {row['what']} | {shown[0]} | {shown[1]} |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--duration", type=int, default=10, help="seconds per timed run (10)")
    parser.add_argument("--connections", type=int, default=10, help="concurrent connections (10)")
    parser.add_argument(
        "--reverse", action="store_true", help="run servers and workloads in reverse order"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="timed runs per workload and server, interleaved, every other round in the "
        "opposite server order; figures are medians, ratios the median of each round's (1)",
    )
    parser.add_argument(
        "--only", default="", help=f"comma-separated workloads among {','.join(WORKLOADS)}"
    )
    parser.add_argument(
        "--reload", action="store_true", help="load ESCO again into both cached stores"
    )
    parser.add_argument(
        "--heap", default=os.environ.get("NEO4J_HEAP") or "2g", help="Neo4j heap (default 2g)"
    )
    args = parser.parse_args(argv)
    unknown = set(filter(None, args.only.split(","))) - set(WORKLOADS)
    if unknown:
        parser.error(f"--only: unknown workloads {', '.join(sorted(unknown))}")
    if args.duration < 1 or args.connections < 1 or args.rounds < 1:
        parser.error("--duration, --connections and --rounds must be at least 1")
    try:
        figures = run(args)
    except BenchError as exc:
        print(f"graphql_peer: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("graphql_peer: interrupted, servers stopped", file=sys.stderr)
        return 130
    except (urllib.error.URLError, OSError) as exc:
        print(f"graphql_peer: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        print_table(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
