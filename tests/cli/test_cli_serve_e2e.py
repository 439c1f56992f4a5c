"""`cartonet serve` as a user runs it (what `make serve` does): a real process, a real port."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cartonet_testing import cartonet_command, free_port

SOFTWARE_DEVELOPER = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"
START_TIMEOUT = 90.0  # generous: a cold start loads the fixtures into the default store


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def _post(url: str, query: str) -> dict:
    body = json.dumps({"query": query}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as r:
        return json.loads(r.read())


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    """``cartonet serve`` on a free port with the default store in a temp data dir."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARTONET_")}
    env["CARTONET_DATA_DIR"] = str(tmp_path / "data")
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [*cartonet_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"cartonet serve exited: {(tmp_path / 'serve.log').read_text()}")
            try:
                status, _ = _get(base + "/readyz")
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"not ready in time: {(tmp_path / 'serve.log').read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_serve_answers_queries_on_the_fixtures(server: str) -> None:
    status, body = _get(server + "/healthz")
    assert (status, body) == (200, {"status": "alive"})
    result = _post(
        server + "/graphql",
        '{ stats { occupations } search(text: "developpeur logiciel", first: 3) { node { id } } }',
    )
    assert "errors" not in result, result
    assert result["data"]["stats"]["occupations"] > 0
    assert SOFTWARE_DEVELOPER in [h["node"]["id"] for h in result["data"]["search"]]
