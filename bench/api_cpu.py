"""CPU the server spends per GraphQL request, measured from outside with a real load generator.

Starts ``cartonet serve`` (default store: the bundled fixtures, in a temporary data dir) on
a free loopback port, sends ``--requests`` POSTs of each query with ``autocannon`` (npm; not
a project dependency: install it anywhere and give its path with ``--autocannon`` or put it
on ``PATH``), and reads the server process's user + system CPU time from
``/proc/PID/stat`` before and after. A warm-up round runs first, so caches (parsed
documents, store reads) are in the state a busy server is in.

Prints, per query: requests sent, non-2xx answers, CPU milliseconds per request and
requests per second; ``--json`` prints one JSON object instead. Usage::

    npm i --prefix /tmp/ac autocannon
    .venv/bin/python bench/api_cpu.py --autocannon /tmp/ac/node_modules/.bin/autocannon

Linux only (``/proc``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

QUERIES = {
    "typename": "{ __typename }",
    "stats": "{ stats { occupations skills version } }",
    "occupations": "{ occupations(first: 20) { edges { node { id label } } totalCount } }",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # after the command name: state is field 3, utime 14 and stime 15 (1-based, man proc)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_ready(base: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not become ready")


def _autocannon(tool: str, url: str, body: str, requests: int, connections: int) -> dict:
    out = subprocess.run(
        [
            tool,
            "--json",
            "-c",
            str(connections),
            "-a",
            str(requests),
            "-m",
            "POST",
            "-H",
            "content-type=application/json",
            "-b",
            body,
            url,
        ],
        capture_output=True,
        check=True,
        text=True,
    )
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--autocannon", default=shutil.which("autocannon"))
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.autocannon:
        raise SystemExit("autocannon not found: npm i --prefix /tmp/ac autocannon")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    exe = Path(sys.executable).with_name("cartonet")
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "CARTONET_DATA_DIR": data_dir, "CARTONET_WARM_UP": "off"}
        env.pop("CARTONET_STORE", None)
        proc = subprocess.Popen(
            [str(exe), "serve", "--port", str(port), "--log-level", "warning"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_ready(base, proc)
            for name, query in QUERIES.items():
                body = json.dumps({"query": query})
                _autocannon(args.autocannon, f"{base}/graphql", body, 500, args.connections)
                before = _cpu_seconds(proc.pid)
                report = _autocannon(
                    args.autocannon, f"{base}/graphql", body, args.requests, args.connections
                )
                cpu = _cpu_seconds(proc.pid) - before
                sent = report["requests"]["total"]
                results[name] = {
                    "requests": sent,
                    "non2xx": report["non2xx"] + report["errors"],
                    "cpu_ms_per_request": round(1000 * cpu / max(sent, 1), 3),
                    "requests_per_second": report["requests"]["average"],
                }
        finally:
            proc.terminate()
            proc.wait(10)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"{'query':<12} {'requests':>9} {'non-2xx':>8} {'CPU ms/req':>11} {'req/s':>8}")
        for name, r in results.items():
            print(
                f"{name:<12} {r['requests']:>9} {r['non2xx']:>8} "
                f"{r['cpu_ms_per_request']:>11} {r['requests_per_second']:>8}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
