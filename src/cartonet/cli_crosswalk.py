"""``cartonet crosswalk A B``: SAME_AS links between the occupations of two taxonomies
(:mod:`cartonet.ingest.crosswalk`), loaded as source ``crosswalk-<a>-<b>``."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import click

from cartonet.cli import (
    CliError,
    Progress,
    _table,
    describe_store,
    load_summary,
    opened_store,
    quiet_option,
    run,
    settings_for,
    store_option,
)
from cartonet.ingest import crosswalk as cw
from cartonet.model import Dataset, LoadReport, NodeType, Relationship, RelType

THRESHOLDS = (0.8, 0.85, 0.9, 0.95, 1.0)


def _existing_links(graph: Dataset, a: str, b: str, skills: bool = False) -> list[cw.Link]:
    """SAME_AS links of the store between the occupations (``skills``: the skills) of
    taxonomies ``a`` and ``b``, oriented a → b."""
    pa, _ = cw.taxonomy_of(a)
    pb, _ = cw.taxonomy_of(b)
    if skills:
        pa, pb = cw.SKILL_PREFIXES[a], cw.SKILL_PREFIXES[b]
    out = []
    for r in graph.relationships:
        if r.type is not RelType.SAME_AS:
            continue
        score = float(r.props.get("score", 1.0))
        method = str(r.props.get("method", ""))
        if r.start.startswith(pa) and r.end.startswith(pb):
            out.append(cw.Link(r.start, r.end, score, method))
        elif r.start.startswith(pb) and r.end.startswith(pa):
            out.append(cw.Link(r.end, r.start, score, method))
    return out


@click.command()
@click.argument("a", type=click.Choice(sorted(cw.TAXONOMIES), case_sensitive=False))
@click.argument("b", type=click.Choice(sorted(cw.TAXONOMIES), case_sensitive=False))
@click.option(
    "--published",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="The published ESCO–O*NET crosswalk (Nesta's ONET_ESCO_crosswalk folder or its "
    "esco_onet_crosswalk_Nov2020.csv); used for esco/onet.",
)
@click.option(
    "--labels/--no-labels",
    default=True,
    show_default=True,
    help="Propose links by label matching for occupations the other methods leave unlinked.",
)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    default=None,
    help=f"Lowest label-matching score proposed (default {cw.DEFAULT_MIN_SCORE} for "
    f"occupations, {cw.DEFAULT_SKILL_MIN_SCORE} for --skills).",
)
@click.option(
    "--via",
    type=click.Choice(sorted(cw.TAXONOMIES), case_sensitive=False),
    default=None,
    help="Also link through a third taxonomy both are already linked to (e.g. rome onet "
    "--via esco).",
)
@click.option(
    "--infer-interests",
    is_flag=True,
    help="Give occupations without interests their twin's RIASEC interests, marked inferred.",
)
@click.option(
    "--evaluate",
    is_flag=True,
    help="Measure the label matcher's precision and recall against the published crosswalk "
    "(held back from the matcher); esco/onet with --published. Nothing is loaded.",
)
@click.option(
    "--review-out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the proposed links to this CSV for review instead of loading them.",
)
@click.option(
    "--review-in",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Load the accepted rows of a reviewed CSV (written by --review-out).",
)
@click.option(
    "--skills",
    is_flag=True,
    help="Link the skills of A and B instead of their occupations (source "
    "crosswalk-skills-A-B): labels in the languages both have, weighed by shared-neighbour "
    "evidence from the occupations already linked A-B; or --via a third taxonomy.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with --evaluate).")
@quiet_option
@store_option
@click.pass_context
def crosswalk(
    ctx: click.Context,
    a: str,
    b: str,
    published: Path | None,
    labels: bool,
    min_score: float | None,
    via: str | None,
    infer_interests: bool,
    evaluate: bool,
    review_out: Path | None,
    review_in: Path | None,
    skills: bool,
    as_json: bool,
    quiet: bool,
    store: str | None,
) -> None:
    """SAME_AS links between the occupations of taxonomies A and B (esco, rome, onet), each
    with a score and a method: the published ESCO–O*NET crosswalk (--published), label
    matching in the languages both have (rapidfuzz, alt labels included), links through a
    third taxonomy (--via). Loaded as source crosswalk-A-B (a re-run replaces it), or
    written for review (--review-out) and loaded back once reviewed (--review-in).

    With --skills, links their skills instead (source crosswalk-skills-A-B): each skill of
    A gets the skill of B its labels match, weighed by shared-neighbour evidence (skills
    required by occupations already linked A-B)."""
    a, b = a.lower(), b.lower()
    if a == b:
        raise CliError("A and B must be two different taxonomies", exit_code=2)
    if skills and (published is not None or evaluate or infer_interests):
        raise CliError(
            "--skills links skills: --published, --evaluate and --infer-interests are for "
            "occupations (no published skill crosswalk is known here)",
            exit_code=2,
        )
    settings = settings_for(ctx, store=store)
    progress = Progress.for_terminal(quiet)
    source = f"crosswalk-skills-{a}-{b}" if skills else f"crosswalk-{a}-{b}"
    if min_score is None:
        min_score = cw.DEFAULT_SKILL_MIN_SCORE if skills else cw.DEFAULT_MIN_SCORE

    async def work() -> tuple[Dataset, LoadReport | None, list[str]]:
        async with opened_store(settings, seed=False) as s:
            graph = await s.export()
            notes: list[str] = []
            if review_in is not None:
                links, rejected = cw.read_review(review_in)
                notes.append(f"{len(links):,} accepted, {rejected:,} rejected in {review_in}")
                dataset = cw.crosswalk_dataset(f"{source}-reviewed", links)
                return dataset, await s.load(dataset, replace=True, progress=progress), notes
            build = _build_skills if skills else _build
            dataset, notes = build(graph, a, b, source, notes)
            if evaluate or review_out is not None:
                return dataset, None, notes
            return dataset, await s.load(dataset, replace=True, progress=progress), notes

    def _build(graph: Dataset, a: str, b: str, source: str, notes: list[str]):  # type: ignore[no-untyped-def]
        known = {n.id for n in graph.nodes}
        occ_a = cw.occupations_of(graph.nodes, a)
        occ_b = cw.occupations_of(graph.nodes, b)
        notes.append(f"{len(occ_a):,} {a} and {len(occ_b):,} {b} occupations in the store")
        langs_a, langs_b = cw.taxonomy_of(a)[1], cw.taxonomy_of(b)[1]
        langs = [lg for lg in langs_a if lg in langs_b] or list({*langs_a, *langs_b})
        links: list[cw.Link] = []
        truth: list[cw.Link] = []
        if published is not None:
            if {a, b} != {"esco", "onet"}:
                raise CliError("--published is the ESCO–O*NET crosswalk: use it with esco onet")
            truth, counts = cw.read_published(published, known)
            notes.append(
                f"published: {counts['rows']:,} rows, {len(truth):,} kept, "
                f"{counts['missing_onet']:,} with an O*NET code not in the store, "
                f"{counts['missing_esco']:,} with an ESCO URI not in the store"
            )
            if a == "onet":
                truth = cw.reverse(truth)
        if evaluate:
            if not truth:
                raise CliError("--evaluate needs --published (and esco onet in the store)")
            proposed = cw.match_labels(occ_a, occ_b, langs, min(THRESHOLDS))
            results = cw.evaluate(proposed, truth, THRESHOLDS)
            ctx.meta["evaluation"] = results
            return cw.crosswalk_dataset(source, proposed), notes
        links += truth
        if via is not None:
            first = _existing_links(graph, a, via)
            second = _existing_links(graph, via, b)
            composed = cw.compose(first, second, via)
            notes.append(
                f"via {via}: {len(composed):,} links from {len(first):,} × {len(second):,}"
            )
            links += composed
        if labels:
            linked = {x.start for x in links}
            todo = [n for n in occ_a if n.id not in linked]
            found = cw.match_labels(todo, occ_b, langs, min_score)
            notes.append(
                f"labels ({'/'.join(langs)}): {len(found):,} links for {len(todo):,} occupations"
            )
            links += found
        extra: list[Relationship] = []
        if infer_interests:
            interests: dict[str, list[Relationship]] = defaultdict(list)
            for r in graph.relationships:
                if r.type is RelType.MATCHES_INTEREST and not r.props.get("inferred"):
                    interests[r.start].append(r)
            lacking = {
                n.id
                for n in graph.nodes
                if n.type is NodeType.OCCUPATION and not interests.get(n.id)
            }
            extra = cw.infer_interests(links, interests, lacking)
            notes.append(
                f"interests inferred for {len({r.start for r in extra}):,} occupations "
                f"({len(extra):,} MATCHES_INTEREST marked inferred)"
            )
        return cw.crosswalk_dataset(source, links, extra), notes

    def _build_skills(
        graph: Dataset, a: str, b: str, source: str, notes: list[str]
    ) -> tuple[Dataset, list[str]]:
        skills_a, skills_b = cw.skills_of(graph.nodes, a), cw.skills_of(graph.nodes, b)
        notes.append(f"{len(skills_a):,} {a} and {len(skills_b):,} {b} skills in the store")
        langs_a, langs_b = cw.taxonomy_of(a)[1], cw.taxonomy_of(b)[1]
        langs = [lg for lg in langs_a if lg in langs_b]
        links: list[cw.Link] = []
        if via is not None:
            first = _existing_links(graph, a, via, skills=True)
            second = _existing_links(graph, via, b, skills=True)
            composed = cw.compose(first, second, via)
            notes.append(
                f"via {via}: {len(composed):,} skill links from {len(first):,} × {len(second):,}"
            )
            links += composed
        if labels and not langs:
            notes.append(f"labels: {a} and {b} share no language; use --via (e.g. --via esco)")
        elif labels:
            occupation_links = _existing_links(graph, a, b)
            evidence = cw.shared_neighbours(graph.relationships, occupation_links)
            notes.append(
                f"shared neighbours: {len(occupation_links):,} occupation links {a}-{b} give "
                f"evidence for {len(evidence):,} {a} skills"
            )
            linked = {x.start for x in links}
            todo = [n for n in skills_a if n.id not in linked]
            found = cw.match_skills(todo, skills_b, langs, evidence, min_score)
            methods = Counter(x.method for x in found)
            notes.append(
                f"labels ({'/'.join(langs)}): {len(found):,} links for {len(todo):,} skills ("
                + ", ".join(f"{n:,} {m}" for m, n in sorted(methods.items()))
                + ")"
            )
            links += found
        return cw.crosswalk_dataset(source, links), notes

    try:
        dataset, report, notes = run(work())
    finally:
        progress.close()
    evaluation = ctx.meta.get("evaluation")
    if evaluation is not None:
        rows = [
            {
                "threshold": e.threshold,
                "predicted": e.predicted,
                "correct": e.correct,
                "truth": e.truth,
                "precision": round(e.precision, 4),
                "recall": round(e.recall, 4),
            }
            for e in evaluation
        ]
        if as_json:
            click.echo(json.dumps({"notes": notes, "labelMatcher": rows}, indent=2))
            return
        for note in notes:
            click.echo(note)
        click.echo("")
        table = [
            (
                f"{r['threshold']:.2f}",
                r["predicted"],
                r["correct"],
                r["truth"],
                f"{r['precision']:.3f}",
                f"{r['recall']:.3f}",
            )
            for r in rows
        ]
        for line in _table(
            table, ("min score", "proposed", "correct", "published", "precision", "recall")
        ):
            click.echo(line)
        return
    if review_out is not None:
        labels_by_id = {}

        async def names() -> dict[str, str]:
            async with opened_store(settings, seed=False) as s:
                ids = sorted({i for r in dataset.relationships for i in (r.start, r.end)})
                found = await s.get_nodes(ids)
                return {n.id: n.label("fr") for n in found if n is not None}

        labels_by_id = run(names())
        links = [
            cw.Link(r.start, r.end, float(r.props["score"]), str(r.props["method"]))
            for r in dataset.relationships
            if r.type is RelType.SAME_AS
        ]
        cw.write_review(links, labels_by_id, review_out)
        for note in notes:
            click.echo(note)
        click.echo(f"{len(links):,} proposed links written to {review_out} (nothing loaded)")
        return
    for note in notes:
        click.echo(note)
    click.echo("")
    assert report is not None
    click.echo(load_summary(dataset, report, describe_store(settings)))
