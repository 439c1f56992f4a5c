"""``cartonet feeders | pilotage``: strategic steering from the command line.

``feeders ID`` lists the occupations whose people can most easily move into ID;
``pilotage --population FILE.csv`` answers, for a population, where it can go and which
skills and trainings open the most doors, as text, JSON, CSV files or an HTML report
(docs/pilotage.md).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click
import networkx as nx

from cartonet.cli import opened_store, quiet_option, run, settings_for, store_option
from cartonet.cli_orientation import json_option, k_option, lang_option, table
from cartonet.errors import InvalidArgument
from cartonet.ingest.population import read_population
from cartonet.orientation.explain import label
from cartonet.orientation.index import index_of
from cartonet.orientation.pilotage import VIABLE_SCORE, check_population, feeder_occupations
from cartonet.orientation.projection import project
from cartonet.orientation.report import none_found, pilotage_report, render_html, write_csv
from cartonet.store.base import Store

area_option = click.option(
    "--area", default=None, metavar="CODE", help="Employment-area code (cartonet load lbb)."
)
commune_option = click.option(
    "--commune",
    default=None,
    metavar="CODE",
    help="INSEE code of a commune, instead of --area (its employment area is used).",
)


async def _area(s: Store, area: str | None, commune: str | None) -> str | None:
    if area is not None and commune is not None:
        raise InvalidArgument("--commune", "give --commune or --area, not both")
    if commune is None:
        return area
    found = await s.area_of_commune(commune)
    if found is None:
        raise InvalidArgument("--commune", f"no employment area known for commune {commune!r}")
    return found


def _moves(found: dict[str, list[Any]]) -> dict[str, dict[str, float]]:
    return {start: {m.end: m.score for m in moves} for start, moves in found.items()}


# --- feeders -------------------------------------------------------------------------------


@click.command()
@click.argument("occupation")
@k_option
@area_option
@commune_option
@lang_option
@json_option
@store_option
@click.pass_context
def feeders(
    ctx: click.Context,
    occupation: str,
    k: int,
    area: str | None,
    commune: str | None,
    lang: str,
    as_json: bool,
    store: str | None,
) -> None:
    """Occupations whose people can most easily move into OCCUPATION (an id).

    Ranked by the score `cartonet similar` gives each of them for the move into
    OCCUPATION (the same scoring, read the other way), with the skills they share and
    lack, the hours of training, and whether the move is a curated mobility or was
    observed (in --area/--commune when given, else in any area).
    """
    settings = settings_for(ctx, store=store)

    async def compute() -> tuple[nx.MultiDiGraph, list[Any]]:
        async with opened_store(settings) as s:
            G = await project(s)
            found = feeder_occupations(G, occupation, k)
            where = await _area(s, area, commune)
            seen = _moves(await s.observed_moves([f.occupation for f in found], where))
            return G, [(f, occupation in seen.get(f.occupation, {})) for f in found]

    G, found = run(compute())
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": f.occupation,
                        "label": label(G, f.occupation, lang),
                        "score": round(f.score, 4),
                        "parts": {p: round(v, 4) for p, v in f.parts.items()},
                        "sharedSkills": f.shared_skills,
                        "missingSkills": f.missing_skills,
                        "trainingHours": f.training_hours,
                        "curated": f.curated,
                        "observed": seen,
                    }
                    for f, seen in found
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(f"into {label(G, occupation, lang)} ({occupation})")
    rows = [
        (
            i,
            f"{f.score:.3f}",
            len(f.shared_skills),
            len(f.missing_skills),
            f"{f.training_hours:.0f}",
            ("curated " if f.curated else "") + ("observed" if seen else ""),
            label(G, f.occupation, lang),
            f.occupation,
        )
        for i, (f, seen) in enumerate(found, start=1)
    ]
    header = ("#", "score", "shared", "missing", "hours", "moves", "from", "id")
    for line in table(rows, header):
        click.echo(line)


# --- pilotage ------------------------------------------------------------------------------


@click.command()
@click.option(
    "--population",
    "population_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with columns occupation (id or label) and count (docs/pilotage.md).",
)
@area_option
@commune_option
@click.option(
    "--taxonomy",
    "taxonomies",
    multiple=True,
    metavar="SOURCE",
    help="Resolve labels among occupations of this source only (e.g. rome-v3.33; repeatable).",
)
@click.option(
    "--viability",
    type=float,
    default=VIABLE_SCORE,
    show_default=True,
    help="Similarity from which a feasible move is viable (0 to 1; Nesta's threshold by "
    "default). Lower it when no skill or training tips a move over it.",
)
@k_option
@lang_option
@json_option
@click.option(
    "--csv",
    "csv_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write one CSV file per answer into this folder.",
)
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write a self-contained HTML report (charts included) to this file.",
)
@quiet_option
@store_option
@click.pass_context
def pilotage(
    ctx: click.Context,
    population_file: Path,
    area: str | None,
    commune: str | None,
    taxonomies: tuple[str, ...],
    viability: float,
    k: int,
    lang: str,
    as_json: bool,
    csv_dir: Path | None,
    html_file: Path | None,
    quiet: bool,
    store: str | None,
) -> None:
    """Where a population can go, and which skills and trainings open the most doors.

    The population is a CSV file of occupations (ids or labels) and head counts: job
    seekers of an area, a company's staff. Prints the destinations most of it can reach,
    the skills and trainings adding the most viable moves (per person; per training hour),
    and the skills it holds that other fields value. With --area or --commune, moves
    people were observed to make there count as viable. --json prints JSON; --csv and
    --html write files a manager can open (docs/pilotage.md).
    """
    settings = settings_for(ctx, store=store)
    started = time.perf_counter()

    def say(step: str) -> None:
        if not quiet:
            click.echo(f"[{time.perf_counter() - started:6.1f} s] {step}", err=True)

    async def prepare() -> tuple[
        nx.MultiDiGraph, Any, dict[str, dict[str, float]] | None, str | None
    ]:
        async with opened_store(settings) as s:
            say("reading the graph")
            G = await project(s)
            say("building the orientation index")
            index_of(G)
            say(f"reading {population_file}")
            nodes = [G.nodes[o]["node"] for o in index_of(G).occupations]
            groups, warnings = read_population(population_file, nodes, taxonomies)
            for w in warnings:
                click.echo(f"warning: {w}", err=True)
            pop = check_population(G, groups, "--population")
            where = await _area(s, area, commune)
            observed = None
            if where is not None:
                say(f"observed moves in area {where}")
                observed = _moves(await s.observed_moves(list(pop.ids), where))
            return G, pop, observed, where

    G, pop, observed, where = run(prepare())
    say(f"{pop.total:,} people in {len(pop.ids):,} occupations")
    if not 0.0 <= viability <= 1.0:
        raise InvalidArgument("--viability", f"must be from 0 to 1, got {viability}")
    report = pilotage_report(G, pop, k, observed, where, lang, progress=say, viability=viability)
    say("done")
    if csv_dir is not None:
        for path in write_csv(report, csv_dir):
            say(f"wrote {path}")
    if html_file is not None:
        html_file.write_text(render_html(report), encoding="utf-8")
        say(f"wrote {html_file}")
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    if csv_dir is not None or html_file is not None:
        return
    _print(report)


def _print(report: Any) -> None:
    sections = [
        ("options", "Destinations (people able to reach them)", ("people", "share")),
        ("skills", "Skills (new viable moves per person)", ("newOptions", "people")),
        (
            "trainings",
            "Trainings (new viable moves per hour)",
            ("optionsPerHour", "newOptions", "hours"),
        ),
        ("transferable", "Skills held that other fields value", ("otherClusters", "heldBy")),
    ]
    for key, title, columns in sections:
        rows = getattr(report, key)
        click.echo(f"\n{title}")
        if not rows:
            what = {"skills": "skill", "trainings": "training"}.get(key)
            if what:
                click.echo("  " + none_found(report, what))
            else:
                click.echo("  (none)")
            continue
        shown = [
            (i, *("" if r.get(c) is None else r[c] for c in columns), r["label"], r["id"])
            for i, r in enumerate(rows, start=1)
        ]
        for line in table(shown, ("#", *columns, "label", "id")):
            click.echo(line)
