"""The ``cartonet`` command: serve the API, load taxonomies, look at the graph.

Every command takes ``--store`` (an embedded store file, or a ``bolt://`` / ``neo4j://``
URL); without it, ``CARTONET_STORE`` or the default store is used. Settings are read once,
in :func:`main`, and handed to the commands through the click context.

Errors meant for users (:class:`cartonet.errors.CartonetError`, unreadable files) are printed
to stderr without a traceback; the exit code is 2 for an invalid argument, 1 otherwise.

Adding commands from another module
-----------------------------------
Write the command (or a click group) in its own module, e.g. ``cartonet/cli_orientation.py``,
using the helpers here (:data:`store_option`, :func:`settings_for`, :func:`opened_store`,
:func:`run`), and list it in :data:`EXTRA_COMMANDS` as ``"name": "module:attribute"``. It
is imported only when used (or when ``--help`` lists it), so a slow import never slows the
other commands, and it gets the same error handling as the built-in ones.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from cartonet.errors import CartonetError, InvalidArgument
from cartonet.model import (
    Dataset,
    LoadRecord,
    LoadReport,
    NodeType,
    ObservedLoadReport,
    ObservedMobility,
    Stats,
    TypeChange,
)
from cartonet.settings import Settings
from cartonet.store.base import MAX_PAGE, ProgressCallback, Store

T = TypeVar("T")

EXTRA_COMMANDS: dict[str, str] = {
    "similar": "cartonet.cli_orientation:similar",
    "suggest": "cartonet.cli_orientation:suggest",
    "evaluate": "cartonet.cli_orientation:evaluate_cmd",
    "crosswalk": "cartonet.cli_crosswalk:crosswalk",
    "feeders": "cartonet.cli_pilotage:feeders",
    "pilotage": "cartonet.cli_pilotage:pilotage",
}
"""Commands defined in other modules, as ``name -> "module:attribute"``; see module doc."""

SHOWN_WARNINGS = 10


# --- plumbing other command modules reuse ------------------------------------------------


class CliError(click.ClickException):
    """A clean one-line error on stderr, with an exit code."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class CartonetGroup(click.Group):
    """The root group: lazily imported extra commands, and user errors shown cleanly."""

    def __init__(self, *args: Any, lazy: Mapping[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module_name, _, attribute = self.lazy[cmd_name].partition(":")
            command = getattr(importlib.import_module(module_name), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InvalidArgument as exc:
            raise CliError(str(exc), exit_code=2) from exc
        except CartonetError as exc:
            raise CliError(str(exc)) from exc
        except OSError as exc:  # unreadable file, full disk...: say what, not where in code
            message = f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc)
            raise CliError(message) from exc
        except KeyboardInterrupt as exc:
            raise CliError("interrupted", exit_code=130) from exc


def run(awaitable: Awaitable[T]) -> T:
    """Run a coroutine from a command."""

    async def wrapper() -> T:
        return await awaitable

    return asyncio.run(wrapper())


store_option = click.option(
    "--store",
    metavar="PATH|URL",
    default=None,
    help="Embedded store file, or bolt:// / neo4j:// URL "
    "(default: $CARTONET_STORE, else the default store).",
)
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bars.")


def settings_for(ctx: click.Context, **overrides: Any) -> Settings:
    """The settings read once by :func:`main`, with this command's flags applied."""
    base = ctx.find_root().obj
    if not isinstance(base, Settings):
        base = Settings.from_env()
    return base.with_overrides(**overrides)


def describe_store(settings: Settings) -> str:
    if settings.is_neo4j:
        return str(settings.store)
    if settings.uses_default_store:
        return f"{settings.embedded_path} (default store)"
    return str(settings.embedded_path)


def require_store(settings: Settings) -> None:
    """Refuse a named embedded store file that does not exist: a read command would
    otherwise create an empty store there and answer from it (a typo in ``--store`` would
    look like an empty graph). The default store is created (and seeded) on first use."""
    if settings.is_neo4j or settings.uses_default_store:
        return
    path = settings.embedded_path
    if not path.exists():
        raise CliError(
            f"{path}: no such store file (check --store / CARTONET_STORE, or create it with "
            f"'cartonet load fixtures --store {path}' or another load command)"
        )


@asynccontextmanager
async def opened_store(
    settings: Settings, seed: bool = True, create: bool = False
) -> AsyncIterator[Store]:
    """The store ``settings`` names, opened (and closed after). With ``seed``, a default
    store found empty first receives the bundled fixtures, as ``cartonet serve`` does.
    Without ``create`` (read commands), a named store file must exist (:func:`require_store`);
    load commands pass ``create=True``."""
    from cartonet.api.context import seed_default_store
    from cartonet.store import make_store

    if not create:
        require_store(settings)
    store = make_store(settings)
    await store.open()
    try:
        if seed:
            await seed_default_store(settings, store)
        yield store
    finally:
        await store.close()


class Progress:
    """tqdm bars for ``progress(phase, done, total)`` callbacks: one bar per phase, shown
    on a terminal only (a log file or pipe gets no bar noise)."""

    def __init__(self, enabled: bool, file: Any = None) -> None:
        self.enabled = enabled
        self.file = file  # where bars go; None: stderr
        self._bar: Any = None
        self._phase: str | None = None

    @classmethod
    def for_terminal(cls, quiet: bool) -> Progress:
        return cls(enabled=not quiet and sys.stderr.isatty())

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        if phase != self._phase:
            self.close()
            self._phase = phase
            self._bar = tqdm(
                total=total or None, desc=phase, unit="row", leave=False, file=self.file
            )
        bar = self._bar
        if total and bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
            self._phase = None


# --- output ------------------------------------------------------------------------------


def _table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> list[str]:
    cells = [[str(c) for c in header]] + [
        [f"{c:,}" if isinstance(c, int) else str(c) for c in row] for row in rows
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    out = []
    for n, row in enumerate(cells):
        out.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def load_summary(dataset: Dataset, report: LoadReport, store: str) -> str:
    """The table printed after a load: what was read, what changed, the graph now."""
    lines = [f"Loaded {dataset.source} into {store}", ""]
    if dataset.read_counts:
        lines += _table(sorted(dataset.read_counts.items()), ("file", "rows read"))
        lines.append("")
    node_types = Counter(n.type.value for n in dataset.nodes)
    rel_types = Counter(r.type.value for r in dataset.relationships)
    lines += _table(
        [*sorted(node_types.items()), *sorted(rel_types.items())], ("type", "in dataset")
    )
    lines.append("")
    lines += _table(
        [
            ("nodes", report.nodes_in_dataset, report.nodes_written, report.nodes_removed),
            (
                "relationships",
                report.relationships_in_dataset,
                report.relationships_written,
                report.relationships_removed,
            ),
        ],
        ("", "in dataset", "written", "removed"),
    )
    if report.changes:
        lines += ["", *changes_lines(report.changes)]
    lines += ["", "graph now: " + format_stats(report.stats), f"version: {report.version}"]
    if dataset.warnings:
        shown = dataset.warnings[:SHOWN_WARNINGS]
        lines.append(f"warnings: {len(dataset.warnings):,} (first {len(shown)})")
        lines += [f"  {w}" for w in shown]
    else:
        lines.append("warnings: 0")
    return "\n".join(lines)


def changes_lines(changes: Sequence[TypeChange]) -> list[str]:
    """What a load changed, one row per type (the load history's ``changes``)."""
    rows = [(f"{c.kind} {c.type}", c.added, c.updated, c.removed, c.taken_over) for c in changes]
    return _table(rows, ("changed", "added", "updated", "removed", "taken over"))


def history_lines(records: Sequence[LoadRecord]) -> list[str]:
    """The load history, newest first: one block per load."""
    lines: list[str] = []
    for r in records:
        read = "?" if r.read_seconds is None else f"{r.read_seconds:.1f}"
        lines.append(
            f"#{r.seq} {r.loaded_at} {r.source} ({r.kind}"
            + (", replace" if r.replace and r.kind == "graph" else "")
            + f"): {r.duration_seconds:.1f} s (read {read} s, write {r.write_seconds:.1f} s), "
            f"version {r.version}, {r.warnings:,} warnings"
        )
        counts = ", ".join(f"{n:,} {t}" for t, n in r.counts.items())
        lines.append(f"  items: {counts or 'none'}")
        if r.changes:
            lines += [f"  {line}" for line in changes_lines(r.changes)]
        else:
            lines.append("  changed: nothing")
        lines += [f"  sha256 {digest}  {name}" for name, digest in r.files]
    return lines


def record_json(r: LoadRecord) -> dict[str, Any]:
    """A load record as ``cartonet stats --json`` prints it."""
    return {
        "seq": r.seq,
        "source": r.source,
        "release": r.release,
        "kind": r.kind,
        "loadedAt": r.loaded_at,
        "durationSeconds": round(r.duration_seconds, 3),
        "readSeconds": r.read_seconds,
        "writeSeconds": r.write_seconds,
        "version": r.version,
        "replace": r.replace,
        "warnings": r.warnings,
        "files": [{"name": n, "sha256": d} for n, d in r.files],
        "counts": dict(r.counts),
        "changes": [
            {
                "kind": c.kind,
                "type": c.type,
                "added": c.added,
                "updated": c.updated,
                "removed": c.removed,
                "takenOver": c.taken_over,
            }
            for c in r.changes
        ],
    }


def format_stats(stats: Stats) -> str:
    return (
        f"{stats.occupations:,} occupations, {stats.skills:,} skills, "
        f"{stats.trainings:,} trainings, {stats.interests:,} interests, "
        f"{stats.groups:,} groups, {stats.relations:,} relations"
    )


# --- commands ----------------------------------------------------------------------------


# -h as well as --help, on every command (sub-commands inherit the root's context settings)
@click.group(
    cls=CartonetGroup,
    lazy=EXTRA_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="cartonet")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Carto.net: a skills-cartography graph (occupations, skills, interests, trainings)
    served by a GraphQL API.

    The store is an embedded file by default, or a Neo4j server (--store bolt://...).
    """
    if not isinstance(ctx.obj, Settings):
        ctx.obj = Settings.from_env()


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 8000).")
@click.option(
    "--log-level",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    default="info",
    show_default=True,
)
@click.option(
    "--warm-up/--no-warm-up",
    default=None,
    help="Build the search index, orientation projection and maps right after start-up, "
    "in the background (default: $CARTONET_WARM_UP, else on).",
)
@click.option(
    "--warm-cache/--no-warm-cache",
    default=None,
    help="Save what the warm-up built to a file keyed by the graph version, and read it back "
    "on a restart (default: $CARTONET_WARM_CACHE, else on).",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the warm-up cache files (default: $CARTONET_CACHE_DIR, else the embedded "
    "store's folder, or the data dir for Neo4j).",
)
@click.option(
    "--max-body-bytes",
    type=click.IntRange(min=1),
    default=None,
    help="Largest /graphql request body; larger ones get 413 "
    "(default: $CARTONET_MAX_BODY_BYTES, else 1000000).",
)
@click.option(
    "--request-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Seconds one GraphQL operation may run before it is stopped with a TIMEOUT error "
    "(default: $CARTONET_REQUEST_TIMEOUT, else 30).",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    help="A browser origin allowed to call the API (repeat for several; * for any; "
    "default: $CARTONET_CORS_ORIGINS, else none).",
)
@click.option(
    "--cache-max-age",
    type=click.IntRange(min=0),
    default=None,
    help="Cache-Control max-age, in seconds, of GET /graphql answers; 0: no-cache "
    "(default: $CARTONET_CACHE_MAX_AGE, else 0).",
)
@store_option
@click.pass_context
def serve(
    ctx: click.Context,
    host: str | None,
    port: int | None,
    log_level: str,
    warm_up: bool | None,
    warm_cache: bool | None,
    cache_dir: Path | None,
    max_body_bytes: int | None,
    request_timeout: float | None,
    cors_origins: tuple[str, ...],
    cache_max_age: int | None,
    store: str | None,
) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql, orientation guide at /)."""
    import uvicorn

    from cartonet.api.app import create_app
    from cartonet.api.server import protocol_with_header_timeout
    from cartonet.api.warmup import limit_malloc_arenas

    settings = settings_for(
        ctx,
        host=host,
        port=port,
        store=store,
        warm_up=warm_up,
        warm_cache=warm_cache,
        cache_dir=cache_dir,
        max_body_bytes=max_body_bytes,
        request_timeout=request_timeout,
        cors_origins=cors_origins or None,
        cache_max_age=cache_max_age,
    )
    require_store(settings)
    # The service's own messages (store unavailable, fixtures loaded, internal errors with
    # their traceback) go to stderr like uvicorn's, at the same level.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s:  %(name)s: %(message)s"))
    service_log = logging.getLogger("cartonet")
    service_log.addHandler(handler)
    service_log.setLevel(log_level.upper())
    service_log.propagate = False
    limit_malloc_arenas()  # before any thread: a long-lived process, kept compact
    app = create_app(settings, warm_up=settings.warm_up)
    base = f"http://{settings.host}:{settings.port}"
    click.echo(
        f"Carto.net: orientation guide at {base}/, GraphiQL at {base}/graphql "
        f"(store: {describe_store(settings)})",
        err=True,
    )
    # Idle keep-alive connections are closed after 5 s (uvicorn's default, kept explicit),
    # headers must be complete within settings.header_timeout; bodies are bounded in size
    # and time by the app itself (cartonet.api.http).
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=log_level,
        http=protocol_with_header_timeout(settings.header_timeout),
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=64 * 1024,  # request line + headers
    )


@main.command()
def schema() -> None:
    """Print the GraphQL schema (SDL) of the API, descriptions included.

    The repository publishes it as schema.graphql; after changing the API, regenerate it
    with: cartonet schema > schema.graphql
    """
    from cartonet.api.schema import build_schema

    click.echo(build_schema().as_str())


@main.group()
def load() -> None:
    """Load a taxonomy or dataset into the store (all or nothing, idempotent)."""


replace_option = click.option(
    "--replace",
    is_flag=True,
    help="Also remove what the store holds from this source that the files no longer have.",
)
skip_option = click.option(
    "--skip-bad-rows",
    is_flag=True,
    help="Leave bad rows out (listed as warnings) instead of refusing the whole load.",
)


def _remember_warnings_file(ctx: click.Context, _: click.Parameter, value: Path | None) -> None:
    ctx.meta["warnings_file"] = value


warnings_file_option = click.option(
    "--warnings-file",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    expose_value=False,
    callback=_remember_warnings_file,
    help="Write every warning of the load to this file (the summary shows the first ten).",
)


def write_warnings(ctx: click.Context, warnings: Sequence[str]) -> None:
    """All ``warnings``, one a line, to the file ``--warnings-file`` names (if given)."""
    path = ctx.meta.get("warnings_file")
    if path is not None:
        Path(path).write_text("".join(f"{w}\n" for w in warnings), encoding="utf-8")


def file_load_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options of every command that loads files, in the order ``--help`` lists them."""
    for option in (
        click.pass_context,
        warnings_file_option,
        quiet_option,
        skip_option,
        replace_option,
        store_option,
    ):
        command = option(command)
    return command


async def _write(
    settings: Settings, datasets: Iterable[Dataset], replace: bool, progress: ProgressCallback
) -> list[tuple[Dataset, LoadReport]]:
    done = []
    async with opened_store(settings, seed=False, create=True) as store:
        for dataset in datasets:
            done.append((dataset, await store.load(dataset, replace=replace, progress=progress)))
    return done


def stamp(data: Dataset | ObservedMobility, inputs: Sequence[Path | None], started: float) -> None:
    """Give ``data`` what the load history keeps of its reading: the SHA-256 of the files
    read (:func:`~cartonet.ingest.checksums.input_checksums`) and the read time."""
    from cartonet.ingest.checksums import input_checksums

    data.files = input_checksums(inputs, data.read_counts)
    data.read_seconds = time.monotonic() - started


def _load_and_report(
    ctx: click.Context,
    store: str | None,
    quiet: bool,
    replace: bool,
    read: Callable[[ProgressCallback], Dataset | list[Dataset]],
    inputs: Sequence[Path | None] = (),
    *,
    one_input_each: bool = False,
) -> None:
    """Read, write, print the summary. ``inputs``: the files and folders read (for the
    history's checksums); ``one_input_each``: the n-th dataset read the n-th input only."""
    settings = settings_for(ctx, store=store)
    progress = Progress.for_terminal(quiet)
    try:
        started = time.monotonic()
        read_result = read(progress)
        progress.close()
        datasets = read_result if isinstance(read_result, list) else [read_result]
        for n, dataset in enumerate(datasets):
            stamp(dataset, [inputs[n]] if one_input_each else inputs, started)
        results = run(_write(settings, datasets, replace, progress))
    finally:
        progress.close()
    write_warnings(ctx, [w for dataset, _ in results for w in dataset.warnings])
    for n, (dataset, report) in enumerate(results):
        if n:
            click.echo("")
        click.echo(load_summary(dataset, report, describe_store(settings)))


@load.command("esco")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--fr-labels",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="ESCO v1.0 French label files, used where the release has none "
    "(default: DIRECTORY/../v1.0_fr_labels when present).",
)
@file_load_options
def load_esco_cmd(
    ctx: click.Context,
    directory: Path,
    fr_labels: Path | None,
    store: str | None,
    replace: bool,
    skip_bad_rows: bool,
    quiet: bool,
) -> None:
    """Load an ESCO v1.1.1 CSV release from DIRECTORY (its en/, fr/ and relations/ folders)."""
    from cartonet.ingest.esco import load_esco

    _load_and_report(
        ctx,
        store,
        quiet,
        replace,
        lambda progress: load_esco(
            directory, fr_fallback_dir=fr_labels, skip_bad_rows=skip_bad_rows, progress=progress
        ),
        [directory, fr_labels],
    )


@load.command("rome")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--labels-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="labonneboite 2021 label files (optional; default: DIRECTORY/../labonneboite_2021 "
    "when present).",
)
@file_load_options
def load_rome_cmd(
    ctx: click.Context,
    directory: Path,
    labels_dir: Path | None,
    store: str | None,
    replace: bool,
    skip_bad_rows: bool,
    quiet: bool,
) -> None:
    """Load a ROME v3 CSV export from DIRECTORY (the unix_*_v333_utf8.csv files)."""
    from cartonet.ingest.rome import load_rome

    _load_and_report(
        ctx,
        store,
        quiet,
        replace,
        lambda progress: load_rome(
            directory, labels_dir=labels_dir, skip_bad_rows=skip_bad_rows, progress=progress
        ),
        [directory, labels_dir],
    )


@load.command("onet")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--weights",
    type=click.Choice(["relevance", "importance", "importance-level"]),
    default="importance",
    show_default=True,
    help="How a requirement's weight is written: continuous from the O*NET importance "
    "(and level) ratings, or 1 / 0.5 by essential / optional (relevance, as ESCO and ROME).",
)
@click.option(
    "--work-styles/--no-work-styles",
    default=True,
    show_default=True,
    help="Load Work Styles.txt as soft skills.",
)
@file_load_options
def load_onet_cmd(
    ctx: click.Context,
    directory: Path,
    weights: str,
    work_styles: bool,
    store: str | None,
    replace: bool,
    skip_bad_rows: bool,
    quiet: bool,
) -> None:
    """Load an O*NET database release from DIRECTORY (its .txt and .xlsx files, e.g.
    O*NET 29.3): occupations, skills, knowledge, work styles, interests, job zones, titles."""
    from cartonet.ingest.onet import load_onet

    _load_and_report(
        ctx,
        store,
        quiet,
        replace,
        lambda progress: load_onet(
            directory,
            skip_bad_rows=skip_bad_rows,
            progress=progress,
            weights=weights,
            work_styles=work_styles,
        ),
        [directory],
    )


@load.command("lbb")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@warnings_file_option
@store_option
@quiet_option
@skip_option
@click.pass_context
def load_lbb_cmd(
    ctx: click.Context, directory: Path, store: str | None, quiet: bool, skip_bad_rows: bool
) -> None:
    """Load observed local mobility (La Bonne Boîte 2021, the lbb-pse_* files of
    DIRECTORY): per employment area, the ROME fiches people of a fiche moved into, and the
    commune → area table. Load ROME first; a reload replaces the previous one."""
    from cartonet.ingest.lbb import load_lbb

    settings = settings_for(ctx, store=store)
    progress = Progress.for_terminal(quiet)

    async def write(data: ObservedMobility) -> ObservedLoadReport:
        async with opened_store(settings, seed=False) as s:
            return await s.load_observed(data, progress=progress)

    try:
        started = time.monotonic()
        data = load_lbb(directory, skip_bad_rows=skip_bad_rows, progress=progress)
        stamp(data, [directory], started)
        progress.close()
        report = run(write(data))
    finally:
        progress.close()
    write_warnings(ctx, data.warnings)
    lines = [f"Loaded {data.source} into {describe_store(settings)}", ""]
    lines += _table(sorted(data.read_counts.items()), ("file", "rows read"))
    lines += [
        "",
        f"moves: {report.moves:,} in {report.areas:,} areas; communes: {report.communes:,}",
        "written" if report.written else "unchanged (the store already held these)",
        f"version: {report.version}",
        f"warnings: {len(data.warnings):,}",
        *(f"  {w}" for w in data.warnings[:SHOWN_WARNINGS]),
    ]
    click.echo("\n".join(lines))


@load.command("observed")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@store_option
@quiet_option
@click.pass_context
def load_observed_cmd(ctx: click.Context, file: Path, store: str | None, quiet: bool) -> None:
    """Load observed mobility from a cartonet-observed JSON FILE (what 'cartonet export
    --format json' writes beside the graph as <output>.observed.json). Load the graph first;
    each source in the file replaces what that source held."""
    from cartonet.ingest.observed_json import read_observed_json

    settings = settings_for(ctx, store=store)
    progress = Progress.for_terminal(quiet)
    started = time.monotonic()
    items = read_observed_json(file)
    for data in items:
        stamp(data, [file], started)

    async def write() -> list[ObservedLoadReport]:
        async with opened_store(settings, seed=False) as s:
            return [await s.load_observed(data, progress=progress) for data in items]

    try:
        reports = run(write())
    finally:
        progress.close()
    for report in reports:
        state = "written" if report.written else "unchanged (the store already held these)"
        click.echo(
            f"Loaded {report.source} into {describe_store(settings)}: {report.moves:,} moves "
            f"in {report.areas:,} areas, {report.communes:,} communes; {state}; "
            f"version {report.version}"
        )


@load.command("trainings")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--source",
    default=None,
    help="Source name of the catalogue (default: the JSON's source, else trainings-<file>).",
)
@click.option(
    "--taxonomy",
    "taxonomies",
    multiple=True,
    metavar="SOURCE",
    help="Match labels only against nodes of this source, e.g. esco-v1.1.1 (repeatable).",
)
@file_load_options
def load_trainings_cmd(
    ctx: click.Context,
    file: Path,
    source: str | None,
    taxonomies: tuple[str, ...],
    store: str | None,
    replace: bool,
    skip_bad_rows: bool,
    quiet: bool,
) -> None:
    """Load a training catalogue (CSV or JSON, format: docs/data-loading.md): skills and
    occupations given by id or by label, resolved against the store; unresolved or
    ambiguous labels are reported with file:line, never guessed."""
    from cartonet.ingest.trainings import load_trainings

    settings = settings_for(ctx, store=store)
    progress = Progress.for_terminal(quiet)

    async def resolve_and_write() -> tuple[Dataset, LoadReport]:
        async with opened_store(settings, seed=False) as s:
            nodes = (await s.export()).nodes
            started = time.monotonic()
            dataset = load_trainings(
                file,
                nodes,
                source=source,
                taxonomies=taxonomies,
                skip_bad_rows=skip_bad_rows,
                progress=progress,
            )
            stamp(dataset, [file], started)
            progress.close()
            return dataset, await s.load(dataset, replace=replace, progress=progress)

    try:
        dataset, report = run(resolve_and_write())
    finally:
        progress.close()
    write_warnings(ctx, dataset.warnings)
    click.echo(load_summary(dataset, report, describe_store(settings)))


@load.command("json")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@file_load_options
def load_json_cmd(
    ctx: click.Context,
    file: Path,
    store: str | None,
    replace: bool,
    skip_bad_rows: bool,
    quiet: bool,
) -> None:
    """Load nodes and relationships from a JSON FILE (format: docs/data-loading.md)."""
    from cartonet.ingest.jsonfmt import read_json

    _load_and_report(
        ctx,
        store,
        quiet,
        replace,
        lambda progress: read_json(file, skip_bad_rows=skip_bad_rows, progress=progress),
        [file],
    )


@load.command("fixtures")
@store_option
@replace_option
@quiet_option
@click.pass_context
def load_fixtures_cmd(ctx: click.Context, store: str | None, replace: bool, quiet: bool) -> None:
    """Load the bundled fixtures (a real ESCO + ROME subset, illustrative trainings)."""
    from cartonet.ingest.fixtures import fixture_paths, load_fixtures

    _load_and_report(
        ctx,
        store,
        quiet,
        replace,
        lambda progress: load_fixtures(progress=progress),
        fixture_paths(),
        one_input_each=True,
    )


@main.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--requirements",
    is_flag=True,
    help="Also report, per taxonomy, the share of occupations with an entry level and the "
    "regulated ones (reads the whole graph).",
)
@click.option(
    "--loads",
    "last",
    type=click.IntRange(min=0, max=MAX_PAGE),
    default=5,
    show_default=True,
    help="How many loads of the history to list, newest first (0: none).",
)
@click.option("--source", default=None, help="Only the loads of this source (e.g. rome-v333).")
@click.pass_context
def stats(
    ctx: click.Context,
    store: str | None,
    as_json: bool,
    requirements: bool,
    last: int,
    source: str | None,
) -> None:
    """Counts of the graph and its version, then the last loads: source, release, time,
    duration, files (SHA-256), items per type and what each load changed."""
    settings = settings_for(ctx, store=store)

    async def read() -> tuple[Stats, dict[str, dict[str, Any]] | None, list[LoadRecord]]:
        async with opened_store(settings) as s:
            counts = await s.stats()
            loads = await s.load_history(source, last) if last else []
            coverage = requirements_by_source(await s.export()) if requirements else None
            return counts, coverage, loads

    result, coverage, loads = run(read())
    if as_json:
        out: dict[str, Any] = {
            "occupations": result.occupations,
            "skills": result.skills,
            "trainings": result.trainings,
            "interests": result.interests,
            "groups": result.groups,
            "relations": result.relations,
            "version": result.version,
        }
        if coverage is not None:
            out["requirements"] = coverage
        out["loads"] = [record_json(r) for r in loads]
        click.echo(json.dumps(out, indent=2))
        return
    click.echo(f"store: {describe_store(settings)}")
    click.echo(format_stats(result))
    click.echo(f"version: {result.version}")
    for line in requirements_lines(coverage or {}):
        click.echo(line)
    if last:
        click.echo("")
        click.echo(f"last loads ({len(loads)}, newest first):" if loads else "no load recorded")
        for line in history_lines(loads):
            click.echo(line)


def requirements_lines(coverage: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """One line per taxonomy of :func:`requirements_by_source`."""
    lines = []
    for source, c in coverage.items():
        origins = ", ".join(f"{k} {v}" for k, v in c["by_origin"].items()) or "none"
        lines.append(
            f"entry requirements, {source}: {c['with_level']} of {c['occupations']} occupations "
            f"with a level ({c['level_share']:.1%}; from {origins}), {c['regulated']} regulated"
        )
    return lines


def requirements_by_source(dataset: Dataset) -> dict[str, dict[str, Any]]:
    """:func:`cartonet.qualifications.entry_coverage` of the occupations of each source
    (taxonomy release): the figure a validation report gives for entry requirements."""
    from cartonet.qualifications import entry_coverage

    by_source: dict[str, list[Mapping[str, Any]]] = {}
    for node in dataset.nodes:
        if node.type == NodeType.OCCUPATION:
            by_source.setdefault(node.source, []).append(node.props)
    return {source: entry_coverage(props) for source, props in sorted(by_source.items())}


@main.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--strict", is_flag=True, help="Exit non-zero on warnings too.")
@click.pass_context
def validate(ctx: click.Context, store: str | None, as_json: bool, strict: bool) -> None:
    """Check the stored graph: invalid records, dangling references, cycles in hierarchies
    (errors); orphan skills, occupations without essential skills, duplicate labels,
    incomplete nodes (warnings); counts per source. Exit code 1 when there are errors
    (or warnings, with --strict), so a pipeline can gate on it."""
    from cartonet.store.graph_checks import check_graph

    settings = settings_for(ctx, store=store)

    async def read() -> Dataset:
        async with opened_store(settings, seed=False) as s:
            return await s.export()

    dataset = run(read())
    report = check_graph(dataset)
    # entry requirements: the share of occupations with an entry level, per taxonomy
    coverage = requirements_by_source(dataset)
    if as_json:
        out = {**report.as_json(), "entryRequirements": coverage}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        click.echo(f"store: {describe_store(settings)}")
        click.echo("")
        rows = [
            (f"{source} {type_}", n)
            for source, types in report.nodes_by_source.items()
            for type_, n in types.items()
        ]
        for line in _table(rows, ("source and type", "nodes")):
            click.echo(line)
        click.echo("")
        for line in _table(sorted(report.relationships_by_type.items()), ("relationship", "count")):
            click.echo(line)
        click.echo("")
        for f in report.findings:
            click.echo(f"{f.severity:<7}  {f.check}: {f.count:,} ({f.description})")
            for example in f.examples[: 3 if f.severity == "info" else 10]:
                click.echo(f"           {example}")
        click.echo("")
        for line in requirements_lines(coverage):
            click.echo(line)
        click.echo(f"{report.errors:,} errors, {report.warnings:,} warnings")
    if report.errors or (strict and report.warnings):
        ctx.exit(1)


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "graphml", "csv", "cypher"]),
    required=True,
    help="json (loads back with 'cartonet load json'), graphml (Gephi, Cytoscape), csv "
    "(a folder with nodes.csv and relationships.csv, for LOAD CSV), cypher (a script).",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="File to write (csv: a folder).",
)
@click.option("--source", default=None, help="Only the nodes of this source (e.g. rome-v333).")
@click.option("--group", default=None, help="Only this group and what is below it (BROADER).")
@click.option("--around", default=None, help="Only the neighbourhood of this node...")
@click.option("--hops", type=int, default=1, show_default=True, help="...up to this many hops.")
@click.option(
    "--observed/--no-observed",
    default=True,
    show_default=True,
    help="Also write the observed mobility (cartonet load lbb) between the kept occupations: "
    "json: <output>.observed.json (loads back with 'cartonet load observed'); csv: "
    "observed_moves.csv and area_communes.csv; cypher: in the script; graphml: never.",
)
@store_option
@click.pass_context
def export_cmd(
    ctx: click.Context,
    fmt: str,
    output: Path,
    source: str | None,
    group: str | None,
    around: str | None,
    hops: int,
    observed: bool,
    store: str | None,
) -> None:
    """Export the graph, or a part of it (--source, --group, --around/--hops), as JSON,
    GraphML, CSV or a Cypher script, with the observed mobility between kept occupations.
    Relationships between kept nodes only."""
    from cartonet.export import export, observed_part, subgraph

    settings = settings_for(ctx, store=store)

    async def read() -> tuple[Dataset, list[ObservedMobility]]:
        async with opened_store(settings) as s:
            graph = await s.export()
            return graph, await s.export_observed() if observed and fmt != "graphml" else []

    graph, moves = run(read())
    part = subgraph(graph, source=source, group=group, around=around, hops=hops)
    whole = source is None and group is None and around is None
    kept = observed_part(moves, part, whole=whole)
    files = export(part, fmt, output, kept)
    n_moves = sum(len(d.moves) for d in kept)
    click.echo(
        f"{len(part.nodes):,} nodes, {len(part.relationships):,} relationships and "
        f"{n_moves:,} observed moves written to " + ", ".join(str(f) for f in files)
    )


_KINDS = [t.name for t in NodeType]


@main.command()
@click.argument("text")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(_KINDS, case_sensitive=False),
    help="Node type to search (repeatable; default all).",
)
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None, help="Match one language.")
@click.option("--first", type=int, default=10, show_default=True, help="Number of hits.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@store_option
@click.pass_context
def search(
    ctx: click.Context,
    text: str,
    kinds: tuple[str, ...],
    lang: str | None,
    first: int,
    as_json: bool,
    store: str | None,
) -> None:
    """Search labels (accent- and case-insensitive, typo-tolerant)."""
    from cartonet.store.base import check_first

    if not text.strip():
        raise InvalidArgument("text", "must not be empty")
    check_first(first)
    settings = settings_for(ctx, store=store)
    types = [NodeType[k.upper()] for k in kinds] or None

    async def find() -> list[Any]:
        async with opened_store(settings) as s:
            return await s.search(text.strip(), types, lang, first)

    hits = run(find())
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": h.node.id,
                        "type": h.node.type.name,
                        "label": h.node.label(lang or "fr"),
                        "score": round(h.score, 2),
                        "matchedLabel": h.matched_label,
                        # the API's Lang enum: FR / EN
                        "matchedLang": h.matched_lang.upper() if h.matched_lang else None,
                    }
                    for h in hits
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not hits:
        click.echo("no match", err=True)
        return
    rows = [
        (f"{h.score:.0f}", h.node.type.name, h.node.label(lang or "fr"), h.matched_label, h.node.id)
        for h in hits
    ]
    for line in _table(rows, ("score", "type", "label", "matched", "id")):
        click.echo(line)
