"""Memory and warm-up time of ``cartonet serve`` on the full ESCO + ROME graph.

Starts the real server (a child process, ``cartonet serve --warm-up``) on an embedded store
holding ESCO v1.1.1 and ROME v3.33, waits until ``/readyz`` says ``"warm": "warm"``, and
reads the process's memory from ``/proc/<pid>/status`` (``VmRSS`` now, ``VmHWM`` its peak)
and the warm-up time from the server's log (``warm-up: done in … s``). Three starts, in one
run, on the same file:

* ``no cache`` — ``--no-warm-cache``: everything built from the store (the baseline: how
  every start behaved before the warm-up cache);
* ``cold`` — the cache on, its folder empty (what a start after a change to the graph
  does: a file for another graph version is not read): a separate process builds and
  saves the files, the server reads them back (its log's ``build:`` steps are that
  process's; the RSS is the server's, the build process's peak is not in it);
* ``warm`` — the cache on, the files of the previous start present (a restart on an
  unchanged graph).

Targets (issue 10): RSS after warm-up ≤ 300 MiB; warm-up ≤ 10 s warm, ≤ 30 s cold.
Figures depend on the machine's load: the ratios against the baseline of the same run are
what compares. Prints a table, or one JSON object with ``--json``. Usage::

    .venv/bin/python bench/memory_warmup.py                       # builds the store in a temp dir
    .venv/bin/python bench/memory_warmup.py --store full.sqlite   # an existing ESCO + ROME store
    .venv/bin/python bench/memory_warmup.py --json

With ``--on neo4j`` (or ``both``) the same three starts run on a Neo4j-backed server: a
Neo4j is started with the project's tool (``tools/neo4j_server.py``, in a temporary home;
or ``CARTONET_NEO4J_URI`` and friends name one), ESCO + ROME are loaded into it with
``cartonet load``, and the RSS is the Python server's (the JVM's is given apart). The
warm start reads back both caches there too: the orientation results and the store's
label search index (``neo4j.<hash>.search.npz``).

    .venv/bin/python bench/memory_warmup.py --store full.sqlite --on both --json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).with_name("cartonet")
TIMEOUT = 900.0  # seconds a start may take before the run gives up (a very busy machine)
DONE = re.compile(r"warm-up: done in ([0-9.]+) s")
STEP = re.compile(r"warm-up: (.+?) in ([0-9.]+) s")


def shared_data() -> Path:
    return Path(os.environ.get("CARTONET_SHARED_DATA") or REPO.parent / "shared" / "data")


def build_store(path: Path | str, env: dict[str, str] | None = None) -> None:
    data = shared_data()
    for source, folder in (("esco", data / "esco" / "v1.1.1"), ("rome", data / "rome" / "v333")):
        if not folder.is_dir():
            sys.exit(f"{folder} not found: set CARTONET_SHARED_DATA or pass --store")
        print(f"loading {source} into {path} ...", file=sys.stderr)
        subprocess.run(
            [str(CLI), "load", source, str(folder), "--store", str(path), "-q"],
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _status(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            out[name] = int(value.split()[0]) // 1024  # kB → MiB
    return out


def _warm_state(port: int) -> str | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as r:
            return json.loads(r.read()).get("warm")
    except (OSError, ValueError):
        return None


def start(
    store: Path | str, flags: list[str], log: Path, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """One server start: seconds until warm, warm-up seconds (log), RSS and peak (MiB)."""
    port = _free_port()
    cmd = [str(CLI), "serve", "--store", str(store), "--port", str(port), "--warm-up", *flags]
    began = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        while True:
            state = _warm_state(port)
            if state in ("warm", "failed"):
                break
            if proc.poll() is not None or time.perf_counter() - began > TIMEOUT:
                raise RuntimeError(f"server did not get warm (see {log})")
            time.sleep(0.1)
        ready = time.perf_counter() - began
        time.sleep(0.5)  # the warm-up's last step (releasing memory) follows its state
        mem = _status(proc.pid)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    text = log.read_text()
    found = DONE.findall(text)
    return {
        "warm": state,
        "seconds_to_warm": round(ready, 2),
        "warm_up_s": float(found[-1]) if found else None,
        "rss_mib": mem.get("VmRSS"),
        "peak_rss_mib": mem.get("VmHWM"),
        # each warm-up step's seconds, from the log (where a slow start spends its time)
        "steps_s": {name: float(s) for name, s in STEP.findall(text) if name != "done"},
    }


def three_starts(
    store: Path | str, work: Path, label: str, env: dict[str, str] | None = None
) -> dict[str, dict[str, Any]]:
    """``no cache``, ``cold`` and ``warm`` starts on ``store`` (see the module docstring)."""
    cache = work / f"cache-{label}"
    runs = {}
    for name, flags in (
        ("no cache", ["--no-warm-cache"]),
        ("cold", ["--warm-cache", "--cache-dir", str(cache)]),
        ("warm", ["--warm-cache", "--cache-dir", str(cache)]),
    ):
        print(f"start ({label}): {name} ...", file=sys.stderr)
        runs[name] = start(store, flags, work / f"{label}-{name.replace(' ', '-')}.log", env)
    return runs


def neo4j_runs(work: Path) -> dict[str, Any]:
    """The three starts on a Neo4j loaded with ESCO + ROME for this run."""
    sys.path.insert(0, str(REPO / "tools"))
    from neo4j_server import neo4j_target

    with neo4j_target(os.environ.get("NEO4J_HEAP") or "1g") as target:
        env = dict(os.environ)
        env["CARTONET_NEO4J_DATABASE"] = target.database
        if target.auth:
            env["CARTONET_NEO4J_USER"], env["CARTONET_NEO4J_PASSWORD"] = target.auth
        began = time.perf_counter()
        build_store(target.uri, env)
        loaded_s = round(time.perf_counter() - began, 1)
        runs = three_starts(target.uri, work, "neo4j", env)
        jvm = _status(target.pid) if target.pid else {}
    return {"runs": runs, "load_s": loaded_s, "jvm_rss_mib": jvm.get("VmRSS")}


def _ratios(runs: dict[str, dict[str, Any]]) -> dict[str, dict[str, float | None]]:
    base = runs["no cache"]

    def ratio(run: dict[str, Any], key: str) -> float | None:
        a, b = run.get(key), base.get(key)
        return round(a / b, 3) if a is not None and b else None

    return {
        name: {k: ratio(runs[name], k) for k in ("rss_mib", "warm_up_s", "seconds_to_warm")}
        for name in ("cold", "warm")
    }


def _table(title: str, runs: dict[str, dict[str, Any]]) -> None:
    print(title)
    print(f"{'start':<10} {'to warm s':>10} {'warm-up s':>10} {'RSS MiB':>8} {'peak MiB':>9}")
    for name, run in runs.items():
        print(
            f"{name:<10} {run['seconds_to_warm']:>10.2f} {run['warm_up_s'] or 0:>10.2f} "
            f"{run['rss_mib']:>8} {run['peak_rss_mib']:>9}"
        )
    for name, r in _ratios(runs).items():
        print(f"{name} / no cache: RSS ×{r['rss_mib']}, warm-up ×{r['warm_up_s']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="an ESCO + ROME embedded store (default: build)")
    parser.add_argument(
        "--on",
        choices=("embedded", "neo4j", "both"),
        default="embedded",
        help="which store the server runs on (default: embedded)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result: dict[str, Any] = {
        "store": str(args.store or "ESCO v1.1.1 + ROME v3.33 (built for this run)"),
        "targets": {
            "rss_mib_max": 300,
            "warm_up_s_warm_max": 10,
            "warm_up_s_cold_max": 30,
        },
    }
    with tempfile.TemporaryDirectory(prefix="cartonet-memory-") as tmp:
        work = Path(tmp)
        if args.on in ("embedded", "both"):
            store = args.store
            if store is None:
                store = work / "full.sqlite"
                build_store(store)
            runs = three_starts(store, work, "embedded")
            result["runs"] = runs
            result["ratios_vs_no_cache"] = _ratios(runs)
        if args.on in ("neo4j", "both"):
            neo = neo4j_runs(work)
            neo["ratios_vs_no_cache"] = _ratios(neo["runs"])
            result["neo4j"] = neo
    if args.json:
        print(json.dumps(result, indent=2))
        return
    if "runs" in result:
        _table(f"embedded store: {result['store']}", result["runs"])
    if "neo4j" in result:
        neo = result["neo4j"]
        _table(
            f"Neo4j store (ESCO + ROME loaded in {neo['load_s']} s; "
            f"Neo4j JVM RSS {neo['jvm_rss_mib']} MiB)",
            neo["runs"],
        )


if __name__ == "__main__":
    main()
