"""What only the embedded store promises: a durable file, crash safety, noticing writers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cartonet.errors import StoreUnavailable
from cartonet.model import Dataset
from cartonet.store.embedded import EmbeddedStore

CONTRACT = Path(__file__).resolve().parents[1] / "contract"
sys.path.insert(0, str(CONTRACT))
from contract_data import ROME_NODES, esco_dataset, rome_dataset  # noqa: E402

SRC = Path(__file__).resolve().parents[2] / "src"


async def opened(path: Path | str) -> EmbeddedStore:
    store = EmbeddedStore(path)
    await store.open()
    return store


async def snapshot(store: EmbeddedStore) -> tuple[object, ...]:
    exported = await store.export()
    return (await store.version(), await store.stats(), exported.nodes, exported.relationships)


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in another Python process that can import the package and test data."""
    prelude = f"import sys; sys.path[:0] = [{str(SRC)!r}, {str(CONTRACT)!r}]\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_the_graph_survives_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "graph.sqlite"
    store = await opened(path)
    await store.load(esco_dataset())
    await store.load(rome_dataset())
    before = await snapshot(store)
    await store.close()

    again = await opened(path)
    try:
        assert await snapshot(again) == before
        hits = await again.search("infirmier", None, None, 3)
        assert hits and all("infirm" in h.matched_label.lower() for h in hits)
    finally:
        await again.close()


async def test_open_creates_missing_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "graph.sqlite"
    store = await opened(path)
    await store.close()
    assert path.is_file()


async def test_another_store_on_the_same_file_is_noticed(tmp_path: Path) -> None:
    path = tmp_path / "graph.sqlite"
    reader, writer = await opened(path), await opened(path)
    try:
        await reader.load(esco_dataset())
        version = await reader.version()
        await writer.load(rome_dataset())
        assert await reader.version() == await writer.version() != version
        assert await reader.get_nodes([ROME_NODES[0].id]) == [ROME_NODES[0]]
        hits = await reader.search(ROME_NODES[0].labels["fr"], None, None, 1)
        assert hits[0].node.id == ROME_NODES[0].id
    finally:
        await reader.close()
        await writer.close()


async def test_another_process_loading_is_noticed(tmp_path: Path) -> None:
    path = tmp_path / "graph.sqlite"
    reader = await opened(path)
    try:
        await reader.load(esco_dataset())
        before = await reader.stats()
        result = run_python(
            f"""
            import asyncio
            from contract_data import rome_dataset
            from cartonet.store.embedded import EmbeddedStore

            async def main():
                store = EmbeddedStore({str(path)!r})
                await store.open()
                await store.load(rome_dataset())
                await store.close()

            asyncio.run(main())
            """
        )
        assert result.returncode == 0, result.stderr
        after = await reader.stats()
        assert after.version != before.version
        assert after.occupations == before.occupations + sum(
            1 for n in ROME_NODES if n.type == "Occupation"
        )
    finally:
        await reader.close()


async def test_a_file_replaced_under_a_reader_is_reread(tmp_path: Path) -> None:
    path = tmp_path / "graph.sqlite"
    reader = await opened(path)
    try:
        await reader.load(esco_dataset())
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        other = await opened(path)
        await other.load(rome_dataset())
        await other.close()
        stats = await reader.stats()
        assert stats.skills == 0 and stats.interests > 0
    finally:
        await reader.close()


async def test_a_corrupt_file_is_reported_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite"
    path.write_bytes(b"this is not a database, just some bytes " * 200)
    with pytest.raises(StoreUnavailable) as err:
        await opened(path)
    assert str(path) in str(err.value)
    assert "Traceback" not in str(err.value)


async def test_another_sqlite_file_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    with pytest.raises(StoreUnavailable) as err:
        await opened(path)
    assert str(path) in str(err.value) and "not a Carto.net store" in str(err.value)


async def test_a_directory_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable) as err:
        await opened(tmp_path)
    assert str(tmp_path) in str(err.value)


async def test_ping(tmp_path: Path) -> None:
    path = tmp_path / "graph.sqlite"
    store = await opened(path)
    await store.ping()
    path.unlink()
    with pytest.raises(StoreUnavailable) as err:
        await store.ping()
    assert str(path) in str(err.value)
    with pytest.raises(StoreUnavailable):
        await store.stats()
    await store.close()
    with pytest.raises(StoreUnavailable):
        await store.ping()


async def test_an_exception_during_a_load_leaves_the_previous_graph(tmp_path: Path) -> None:
    path = tmp_path / "graph.sqlite"
    store = await opened(path)
    await store.load(esco_dataset())
    before = await snapshot(store)
    seen: list[str] = []

    def explode(phase: str, done: int, total: int) -> None:
        seen.append(phase)
        if phase == "relationships" and done > 0:
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        await store.load(rome_dataset(), progress=explode)
    assert "nodes" in seen  # nodes were already written inside the transaction
    assert await snapshot(store) == before
    await store.close()
    again = await opened(path)
    assert await snapshot(again) == before
    await again.close()


async def test_a_process_killed_mid_load_leaves_the_previous_graph(tmp_path: Path) -> None:
    path = tmp_path / "graph.sqlite"
    store = await opened(path)
    await store.load(esco_dataset())
    before = await snapshot(store)
    await store.close()
    result = run_python(
        f"""
        import asyncio, os
        from contract_data import rome_dataset
        from cartonet.store.embedded import EmbeddedStore

        def die(phase, done, total):
            if phase == "relationships" and done > 0:
                os._exit(17)  # no cleanup, no rollback: as if the machine stopped

        async def main():
            store = EmbeddedStore({str(path)!r})
            await store.open()
            await store.load(rome_dataset(), progress=die)

        asyncio.run(main())
        """
    )
    assert result.returncode == 17, result.stderr
    again = await opened(path)
    try:
        assert await snapshot(again) == before
    finally:
        await again.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


async def test_in_memory_store(tmp_path: Path) -> None:
    store = await opened(":memory:")
    report = await store.load(esco_dataset())
    assert report.nodes_written == len(esco_dataset().nodes)
    file = store._file
    assert file is not None and file.exists()
    await store.close()
    assert not file.exists()


async def test_no_change_writes_only_the_history(tmp_path: Path) -> None:
    path = tmp_path / "graph.sqlite"
    store = await opened(path)
    await store.load(esco_dataset())
    graph = "SELECT * FROM nodes UNION ALL SELECT type, start_id, end_id, props FROM rels"
    with sqlite3.connect(path) as conn:
        before = (conn.execute(graph).fetchall(), await store.version())
        report = await store.load(esco_dataset())
        assert (conn.execute(graph).fetchall(), await store.version()) == before
        assert conn.execute("SELECT count(*) FROM loads").fetchone() == (2,)
    assert report.changes == () and report.nodes_written == 0
    conn.close()
    await store.close()


async def test_empty_dataset_load(tmp_path: Path) -> None:
    store = await opened(tmp_path / "graph.sqlite")
    version = await store.version()
    report = await store.load(Dataset("nothing"))
    assert report.nodes_written == 0 and report.version == version
    await store.close()
