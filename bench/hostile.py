"""Hostile and malformed requests against a real server, with ``/healthz`` probed alongside.

Starts ``cartonet serve`` on a free loopback port (the bundled fixtures in a temporary
data dir, or ``--store bolt://...``), then sends every request of :data:`CASES` (fragment
bombs up to 40 levels, alias, directive and duplicate-field floods, deep and huge values,
bodies that are not what they claim, wrong methods and media types...) one after the
other, while a second thread asks ``/healthz`` every 10 ms on its own connection.

Reports, for each case, the status and ``extensions.code`` answered against the expected
ones and the time to the answer; then the slowest case, and the ``/healthz`` latencies
measured while the cases ran (count, median, p95, max, failures). ``--json`` prints one
JSON object. The hostile test suite (``tests/hostile``) runs the same corpus and asserts
every answer; this script is where the figures come from. Usage::

    .venv/bin/python bench/hostile.py
    .venv/bin/python bench/hostile.py --json --rounds 3
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BODY_TIMEOUT = 1.0
"""Seconds the server under test waits for a body or for headers (set low so those cases
are quick)."""

JSON_HEADERS = {"content-type": "application/json"}


@dataclass(frozen=True)
class Case:
    """One hostile request and what it must get: an HTTP status and an error code."""

    name: str
    status: int
    code: str
    body: bytes = b""
    method: str = "POST"
    query_string: str = ""
    headers: Mapping[str, str] = field(default_factory=lambda: dict(JSON_HEADERS))
    raw: bytes | None = None  # sent as is on a raw socket (bodies that lie about themselves)


def _post(name: str, payload: Any, status: int, code: str, **kw: Any) -> Case:
    return Case(name, status, code, json.dumps(payload).encode(), **kw)


def _query(name: str, query: str, code: str, variables: Any = None, status: int = 200) -> Case:
    return _post(name, {"query": query, "variables": variables}, status, code)


def fragment_bomb(levels: int) -> str:
    """``levels`` fragments, each spreading the next one twice: 2^levels fields once
    expanded, a few hundred tokens written down."""
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    fragments.append(f"fragment F{levels} on Query {{ stats {{ version }} }}")
    return "query Bomb { ...F0 }\n" + "\n".join(fragments)


def _raw(head: str, body: bytes = b"") -> bytes:
    return head.replace("\n", "\r\n").encode() + b"\r\n" + body


VALIDATION = "GRAPHQL_VALIDATION_FAILED"
PARSE = "GRAPHQL_PARSE_FAILED"
BAD_REQUEST = "BAD_REQUEST"
BAD_INPUT = "BAD_USER_INPUT"

CASES: list[Case] = [
    *(_query(f"fragment bomb {n} levels", fragment_bomb(n), VALIDATION) for n in (14, 17, 30, 40)),
    Case(
        "fragment bomb 40, graphql-response+json",
        400,
        VALIDATION,
        json.dumps({"query": fragment_bomb(40)}).encode(),
        headers={**JSON_HEADERS, "accept": "application/graphql-response+json"},
    ),
    _query(
        "unused fragment bomb",
        "{ __typename }\n" + fragment_bomb(40).split("\n", 1)[1],
        VALIDATION,
    ),
    _query(
        "fragment cycle",
        "{ ...A } fragment A on Query { ...B } fragment B on Query { ...C } "
        "fragment C on Query { ...A }",
        VALIDATION,
    ),
    _query(
        "alias flood (500)",
        "{ " + " ".join(f"a{i}: __typename" for i in range(500)) + " }",
        VALIDATION,
    ),
    _query("directive flood (250)", "{ __typename" + " @skip(if: false)" * 250 + " }", VALIDATION),
    _query(
        "directive flood through fragments",
        "{ ...D0 } "
        + " ".join(
            f"fragment D{i} on Query {{ ...D{i + 1} @include(if: true) ...D{i + 1} }}"
            for i in range(20)
        )
        + " fragment D20 on Query { __typename }",
        VALIDATION,
    ),
    _query("same field 1,900 times", "{ stats { " + "version " * 1900 + "} }", VALIDATION),
    _query("token flood (3,000)", "{ stats { " + "version " * 3000 + "} }", PARSE),
    _query("nesting 600 deep", "{ " + "a { " * 600 + "b" + " }" * 600 + " }", PARSE),
    _query(
        "depth 11",
        '{ occupation(id: "x") { ' + "broader { " * 10 + "id" + " }" * 10 + " } }",
        VALIDATION,
    ),
    _query(
        "cost: nested pages of 500",
        "{ occupations(first: 500) { edges { node { skills { skill { "
        "occupations(first: 500) { edges { node { id } } } } } } } } }",
        VALIDATION,
    ),
    _query(
        "introspection bomb",
        "{ __schema { types { fields { type { fields { type { fields { type { fields { "
        "type { fields { name } } } } } } } } } } } }",
        VALIDATION,
    ),
    _query(
        "5,000-digit integer literal",
        "{ occupations(first: " + "9" * 5000 + ") { totalCount } }",
        BAD_INPUT,
    ),
    _query(
        "weight 1e400 literal",
        '{ suggestTransitions(profile: {interests: [{id: "R", weight: 1e400}]}) { score } }',
        BAD_INPUT,
    ),
    Case(
        "weight 1e400 in variables",
        200,
        BAD_INPUT,
        b'{"query": "query($p: ProfileInput!) { suggestTransitions(profile: $p) { score } }",'
        b' "variables": {"p": {"interests": [{"id": "R", "weight": 1e400}]}}}',
    ),
    _query('first: "ten"', '{ occupations(first: "ten") { totalCount } }', BAD_INPUT),
    _query(
        "Int variable given a string",
        "query($n: Int!) { occupations(first: $n) { totalCount } }",
        BAD_INPUT,
        {"n": "x"},
    ),
    _query("text given a number", "{ search(text: 123) { score } }", BAD_INPUT),
    _query(
        "variables 500 arrays deep",
        'query($k: [NodeType!]) { search(text: "dev", kinds: $k) { score } }',
        BAD_INPUT,
        {"k": json.loads("[" * 500 + "]" * 500)},
    ),
    _query(
        "100,000 ids",
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        BAD_INPUT,
        {"ids": [str(i) for i in range(100_000)]},
    ),
    _query(
        "search text of 200,000 characters",
        "query($t: String!) { search(text: $t) { score } }",
        BAD_INPUT,
        {"t": "x" * 200_000},
    ),
    _query(
        "two operations, no operationName",
        "query A { __typename } query B { __typename }",
        BAD_REQUEST,
    ),
    _post(
        "unknown operationName",
        {"query": "query A { __typename }", "operationName": "B"},
        200,
        BAD_REQUEST,
    ),
    Case("body: a JSON string", 400, BAD_REQUEST, b'"{ __typename }"'),
    Case("body: null", 400, BAD_REQUEST, b"null"),
    Case("body: a number", 400, BAD_REQUEST, b"42"),
    Case(
        "body: batching array",
        400,
        BAD_REQUEST,
        json.dumps([{"query": "{ __typename }"}] * 2).encode(),
    ),
    Case("body: no query", 400, BAD_REQUEST, b'{"variables": {}}'),
    Case("body: query is a number", 400, BAD_REQUEST, b'{"query": 1}'),
    Case(
        "body: variables is a list",
        400,
        BAD_REQUEST,
        b'{"query": "{ __typename }", "variables": [1]}',
    ),
    Case("body: invalid UTF-8", 400, BAD_REQUEST, b'{"query": "{ \xff\xfe }"}'),
    Case("body: not JSON", 400, BAD_REQUEST, b"{ __typename }"),
    Case("body: NaN", 400, BAD_REQUEST, b'{"query": "{ __typename }", "variables": {"a": NaN}}'),
    Case(
        "body: 100,000 arrays deep",
        400,
        BAD_REQUEST,
        b'{"query": "{ __typename }", "variables": {"a": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}}",
    ),
    Case(
        "body: 5,000-digit integer",
        400,
        BAD_REQUEST,
        b'{"query": "{ __typename }", "variables": {"a": ' + b"9" * 5000 + b"}}",
    ),
    Case(
        "Content-Type text/plain",
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        b"{ __typename }",
        headers={"content-type": "text/plain"},
    ),
    Case(
        "no Content-Type", 415, "UNSUPPORTED_MEDIA_TYPE", b'{"query": "{ __typename }"}', headers={}
    ),
    Case(
        "Accept text/plain only (answered JSON)",
        200,
        VALIDATION,
        b'{"query": "{ nope }"}',
        headers={**JSON_HEADERS, "accept": "text/plain"},
    ),
    Case("PUT", 405, "METHOD_NOT_ALLOWED", b"", method="PUT"),
    Case("DELETE", 405, "METHOD_NOT_ALLOWED", b"", method="DELETE"),
    Case(
        "GET with variables not JSON",
        400,
        BAD_REQUEST,
        method="GET",
        query_string="query=%7B__typename%7D&variables=%7Bnope",
        headers={},
    ),
    Case(
        "50 MB announced",
        413,
        "PAYLOAD_TOO_LARGE",
        raw=_raw(
            "POST /graphql HTTP/1.1\nHost: x\nContent-Type: application/json\n"
            "Content-Length: 50000000\n",
            b"x" * 65536,
        ),
    ),
    Case(
        "2 MB chunked, no length",
        413,
        "PAYLOAD_TOO_LARGE",
        raw=_raw(
            "POST /graphql HTTP/1.1\nHost: x\nContent-Type: application/json\n"
            "Transfer-Encoding: chunked\n",
            b"".join(b"10000\r\n" + b"x" * 65536 + b"\r\n" for _ in range(32)) + b"0\r\n\r\n",
        ),
    ),
    Case(
        "body announced, never sent",
        408,
        "REQUEST_TIMEOUT",
        raw=_raw(
            "POST /graphql HTTP/1.1\nHost: x\nContent-Type: application/json\n"
            "Content-Length: 100\n",
            b'{"query":',
        ),
    ),
]


@dataclass
class Answer:
    name: str
    status: int
    code: str | None
    ms: float
    expected_status: int
    expected_code: str
    message: str = ""
    cpu_ms: float | None = None  # the server's event-loop thread, from /proc (Linux)

    @property
    def ok(self) -> bool:
        return self.status == self.expected_status and self.code == self.expected_code


def _code(body: bytes) -> tuple[str | None, str]:
    try:
        errors = json.loads(body)["errors"]
        return errors[0]["extensions"]["code"], errors[0]["message"]
    except (ValueError, KeyError, IndexError, TypeError):
        return None, body[:200].decode("utf-8", "replace")


def _send_raw(host: str, port: int, raw: bytes, timeout: float) -> tuple[int, bytes]:
    with socket.create_connection((host, port), timeout=timeout) as sock:
        with contextlib.suppress(OSError):  # the server may answer and close mid-upload
            sock.sendall(raw)
        data = b""
        while b"\r\n\r\n" not in data or not _complete(data):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head else 0
    return status, body


def _complete(data: bytes) -> bool:
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":", 1)[1])
    return False


SERVER_PIDS: dict[int, int] = {}
"""Port -> process id of the servers :func:`serve` started, to read their CPU time."""


def _loop_cpu_ns(pid: int | None) -> int | None:
    """CPU time of the server's main thread (where the event loop runs), in ns."""
    if pid is None:
        return None
    try:
        return int(Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def send(base_host: str, port: int, case: Case, timeout: float = 60.0) -> Answer:
    """Send one case; the answer with the time it took (and the server's CPU time for it,
    when :func:`serve` started the server; it includes the few /healthz probes answered
    meanwhile, about 0.3 ms each)."""
    pid = SERVER_PIDS.get(port)
    cpu_before = _loop_cpu_ns(pid)
    started = time.perf_counter()
    if case.raw is not None:
        status, body = _send_raw(base_host, port, case.raw, timeout)
    else:
        conn = http.client.HTTPConnection(base_host, port, timeout=timeout)
        try:
            path = "/graphql" + (f"?{case.query_string}" if case.query_string else "")
            conn.request(case.method, path, body=case.body or None, headers=dict(case.headers))
            response = conn.getresponse()
            status, body = response.status, response.read()
        finally:
            conn.close()
    ms = (time.perf_counter() - started) * 1000
    cpu_after = _loop_cpu_ns(pid)
    cpu_ms = None
    if cpu_before is not None and cpu_after is not None:
        cpu_ms = round((cpu_after - cpu_before) / 1e6, 2)
    code, message = _code(body)
    return Answer(case.name, status, code, round(ms, 2), case.status, case.code, message, cpu_ms)


class HealthProbe:
    """Asks ``/healthz`` every ``interval`` seconds in a thread, recording each latency."""

    def __init__(self, host: str, port: int, interval: float = 0.01, timeout: float = 30.0):
        self.host, self.port, self.interval, self.timeout = host, port, interval, timeout
        self.latencies_ms: list[float] = []
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> HealthProbe:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(self.timeout + 5)

    def _run(self) -> None:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        while not self._stop.is_set():
            started = time.perf_counter()
            try:
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    self.failures.append(f"status {response.status}")
            except (OSError, http.client.HTTPException) as exc:
                self.failures.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            else:
                self.latencies_ms.append((time.perf_counter() - started) * 1000)
            self._stop.wait(self.interval)
        conn.close()

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies_ms)
        if not lat:
            return {"count": 0, "failures": len(self.failures)}
        return {
            "count": len(lat),
            "p50_ms": round(statistics.median(lat), 2),
            "p95_ms": round(lat[min(len(lat) - 1, int(0.95 * len(lat)))], 2),
            "max_ms": round(lat[-1], 2),
            "failures": len(self.failures),
        }


def run_corpus(host: str, port: int, rounds: int = 1) -> dict[str, Any]:
    """Every case ``rounds`` times with the health probe running: the JSON report."""
    answers: list[Answer] = []
    with HealthProbe(host, port) as probe:
        for _ in range(rounds):
            answers.extend(send(host, port, case) for case in CASES)
    slowest = max(answers, key=lambda a: a.ms)
    costliest = max(answers, key=lambda a: a.cpu_ms or 0.0)
    return {
        "cases": len(CASES),
        "rounds": rounds,
        "answers": [a.__dict__ | {"ok": a.ok} for a in answers],
        "wrong": [a.__dict__ for a in answers if not a.ok],
        "server_errors": sum(1 for a in answers if a.status >= 500),
        "slowest": {"name": slowest.name, "ms": slowest.ms},
        "most_server_cpu": {"name": costliest.name, "cpu_ms": costliest.cpu_ms},
        "healthz": probe.summary(),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve(
    store: str | None = None,
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
    warm: bool = False,
) -> Iterator[int]:
    """``cartonet serve`` on a free loopback port (the fixtures in a temporary data dir
    when ``store`` is ``None``); yields the port once ``/readyz`` says ready, and with
    ``warm`` once the start-up warm-up is over too (as a server in service is: otherwise
    the first orientation query pays the projection build, hostile or not)."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        environ = {k: v for k, v in os.environ.items() if not k.startswith("CARTONET_")}
        environ |= {
            "CARTONET_DATA_DIR": data_dir,
            "CARTONET_WARM_UP": "on" if warm else "off",
            "CARTONET_WARM_CACHE": "off",
            "CARTONET_BODY_TIMEOUT": str(BODY_TIMEOUT),
            "CARTONET_HEADER_TIMEOUT": str(BODY_TIMEOUT),
            **(env or {}),
        }
        if store:
            environ["CARTONET_STORE"] = store
        exe = Path(sys.executable).with_name("cartonet")
        command = [str(exe)] if exe.exists() else [sys.executable, "-m", "cartonet.cli"]
        out = log.open("w") if log else subprocess.DEVNULL
        proc = subprocess.Popen(
            [*command, "serve", "--port", str(port), "--log-level", "warning"],
            env=environ,
            stdout=out,
            stderr=out,
        )
        try:
            _wait_ready(port, proc, warm)
            SERVER_PIDS[port] = proc.pid
            yield port
        finally:
            SERVER_PIDS.pop(port, None)
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if log:
                out.close()  # type: ignore[union-attr]


def _wait_ready(
    port: int, proc: subprocess.Popen[bytes], warm: bool = False, timeout: float = 180.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"cartonet serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                if r.status == 200 and (not warm or json.loads(r.read())["warm"] != "warming"):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"cartonet serve was not ready after {timeout:g} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="a store to serve (default: the bundled fixtures)")
    parser.add_argument("--rounds", type=int, default=1, help="times the corpus is sent")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="no start-up warm-up (the first orientation query then builds the projection)",
    )
    args = parser.parse_args(argv)
    with serve(args.store, warm=not args.cold) as port:
        report = run_corpus("127.0.0.1", port, args.rounds)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0 if not report["wrong"] else 1
    print(f"{'case':<42} {'status':>6} {'code':<26} {'ms':>9} {'CPU ms':>7}  ok")
    for a in report["answers"][: len(CASES)]:
        cpu = "-" if a["cpu_ms"] is None else f"{a['cpu_ms']:.1f}"
        print(
            f"{a['name']:<42} {a['status']:>6} {a['code'] or '-':<26} {a['ms']:>9.1f} "
            f"{cpu:>7}  {'yes' if a['ok'] else 'NO: ' + a['message'][:60]}"
        )
    h = report["healthz"]
    print(f"\nslowest hostile request: {report['slowest']['name']} ({report['slowest']['ms']} ms)")
    most = report["most_server_cpu"]
    print(f"most server CPU: {most['name']} ({most['cpu_ms']} ms)")
    print(
        f"/healthz during the corpus: {h['count']} probes, p50 {h.get('p50_ms')} ms, "
        f"p95 {h.get('p95_ms')} ms, max {h.get('max_ms')} ms, {h['failures']} failures"
    )
    print(f"wrong answers: {len(report['wrong'])}, 5xx: {report['server_errors']}")
    return 0 if not report["wrong"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
