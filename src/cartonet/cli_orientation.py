"""``cartonet similar | suggest | evaluate``: the orientation engine from the command line.

Each command reads the store ``--store`` names (embedded file or Neo4j URL, like every
command), builds the orientation graph from its export, and prints a table, or JSON with
``--json``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
import networkx as nx

from cartonet.cli import opened_store, run, settings_for, store_option
from cartonet.errors import DataError, InvalidArgument
from cartonet.orientation.diagnostics import Diagnostics
from cartonet.orientation.diagnostics import diagnose as diagnose_misses
from cartonet.orientation.evaluate import (
    LEAKAGE_RULES,
    METHODS,
    OBSERVED,
    EvaluationReport,
    Metrics,
    camel_case,
    evaluate,
    evaluate_by_area,
    read_area_pairs,
    read_pairs,
    tune,
    without_leakage,
)
from cartonet.orientation.explain import label
from cartonet.orientation.gaps import SkillGap
from cartonet.orientation.index import index_of
from cartonet.orientation.profile import EMPTY_PROFILE, Constraints, Profile, is_empty
from cartonet.orientation.projection import project
from cartonet.orientation.similarity import similar_occupations
from cartonet.orientation.transitions import TransitionPart, suggest_transitions
from cartonet.qualifications import level_of_diploma

lang_option = click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default="fr",
    show_default=True,
    help="Language of labels and explanations.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
SHOWN_PARTS = ("skill", "title", "content", "group", "interest", "feasibility")
k_option = click.option(
    "--k", "k", type=int, default=10, show_default=True, help="How many results."
)


def _graph(ctx: click.Context, store: str | None, include_mobility: bool = True) -> nx.MultiDiGraph:
    settings = settings_for(ctx, store=store)

    async def build() -> nx.MultiDiGraph:
        async with opened_store(settings) as s:
            return await project(s, include_mobility=include_mobility)

    return run(build())


def _observed(
    ctx: click.Context, store: str | None, profile: Profile
) -> dict[str, dict[str, float]] | None:
    """Observed moves from the profile's occupations in its commune's or area's employment
    area, or merged over all areas when it names neither (a global prior; none when the
    store holds no observed mobility); ``None`` when the profile names no occupation."""
    if profile.commune is not None and profile.area is not None:
        raise InvalidArgument("--commune", "give --commune or --area, not both")
    origins = list(dict.fromkeys([*profile.current_occupations, *profile.past_occupations]))
    if not origins and profile.commune is None and profile.area is None:
        return None
    settings = settings_for(ctx, store=store)

    async def read() -> dict[str, dict[str, float]]:
        async with opened_store(settings) as s:
            area = profile.area
            if profile.commune is not None:
                area = await s.area_of_commune(profile.commune)
                if area is None:
                    raise InvalidArgument(
                        "--commune", f"no employment area known for commune {profile.commune!r}"
                    )
            found = await s.observed_moves(origins, area) if origins else {}
            return {o: {m.end: m.score for m in moves} for o, moves in found.items()}

    return run(read())


def table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> list[str]:
    """Aligned text columns: the first left-aligned, numbers right-aligned."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    numeric = [all(_is_number(r[i]) for r in cells[1:]) for i in range(len(header))]
    out = []
    for n, row in enumerate(cells):
        out.append(
            "  ".join(
                c.rjust(w) if numeric[i] else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


# --- similar -------------------------------------------------------------------------------


@click.command()
@click.argument("occupation")
@k_option
@lang_option
@json_option
@store_option
@click.pass_context
def similar(
    ctx: click.Context, occupation: str, k: int, lang: str, as_json: bool, store: str | None
) -> None:
    """Occupations easiest to move to from OCCUPATION (an id, e.g. rome:G1602).

    The score (0..1) mixes skill coverage (essential and rare skills weigh more), title and
    description text, shared occupation groups and interests; see docs/algorithms.md.
    """
    G = _graph(ctx, store)
    found = similar_occupations(G, occupation, k)
    if as_json:
        _echo_json(
            [
                {
                    "id": r.occupation,
                    "label": label(G, r.occupation, lang),
                    "score": round(r.score, 4),
                    "parts": {p: round(v, 4) for p, v in r.parts.items()},
                    "sharedSkills": r.shared_skills,
                    "missingSkills": r.missing_skills,
                }
                for r in found
            ]
        )
        return
    click.echo(f"from {label(G, occupation, lang)} ({occupation})")
    rows = [
        (
            i,
            f"{r.score:.3f}",
            *(f"{r.parts[p]:.2f}" for p in SHOWN_PARTS),
            label(G, r.occupation, lang),
            r.occupation,
        )
        for i, r in enumerate(found, start=1)
    ]
    for line in table(rows, ("#", "score", *SHOWN_PARTS[:-1], "feasib.", "occupation", "id")):
        click.echo(line)


# --- suggest -------------------------------------------------------------------------------


def _weighted(values: Sequence[str], option: str) -> dict[str, float]:
    """``ID`` or ``ID=NUMBER`` values; the split is on the last '=' so ids may contain '='."""
    out: dict[str, float] = {}
    for value in values:
        key, sep, number = value.rpartition("=")
        if sep and key:
            try:
                out[key] = float(number)
                continue
            except ValueError:
                pass
        out[value] = 1.0
    if any(k == "" for k in out):
        raise InvalidArgument(option, "an empty id")
    return out


def _profile_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(str(path), exc.lineno, f"not valid JSON: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise DataError(str(path), 1, "a profile must be a JSON object")
    return data


@click.command()
@click.option(
    "--occupation", "current", multiple=True, metavar="ID", help="Current occupation (repeatable)."
)
@click.option("--past", multiple=True, metavar="ID", help="Past occupation (repeatable).")
@click.option(
    "--skill",
    "skills",
    multiple=True,
    metavar="ID[=LEVEL]",
    help="Held skill, level in (0, 1] (repeatable).",
)
@click.option(
    "--interest",
    "interests",
    multiple=True,
    metavar="ID|CODE[=WEIGHT]",
    help="Interest, e.g. S=1 or riasec:A=0.5 (repeatable).",
)
@click.option("--like-skill", multiple=True, metavar="ID")
@click.option("--dislike-skill", multiple=True, metavar="ID")
@click.option("--like-occupation", multiple=True, metavar="ID")
@click.option("--dislike-occupation", multiple=True, metavar="ID")
@click.option("--like-group", multiple=True, metavar="ID")
@click.option("--dislike-group", multiple=True, metavar="ID")
@click.option(
    "--avoid-group", multiple=True, metavar="ID", help="Leave out occupations under this group."
)
@click.option(
    "--max-hours", type=float, default=None, help="Leave out occupations needing longer training."
)
@click.option(
    "--level",
    "education_level",
    metavar="LEVEL|DIPLOMA",
    default=None,
    help="The seeker's highest diploma: a level 2-8 of the entry scale or a name "
    "(CAP, Bac, Bac+2, BTS, Licence, Master, Doctorat, 'sans diplôme').",
)
@click.option(
    "--long-training/--no-long-training",
    "long_training",
    default=None,
    help="Whether long or regulated training (a state diploma) is an option; with it, "
    "moves up the entry scale or into a regulated profession cost a quarter as much.",
)
@click.option(
    "--profile",
    "profile_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Profile as JSON (same fields as the GraphQL ProfileInput); flags add to it.",
)
@click.option(
    "--commune",
    default=None,
    help="INSEE code of the commune where the seeker looks for work: adds the observed "
    "local mobility of its employment area (cartonet load lbb).",
)
@click.option("--area", default=None, help="Employment-area code (instead of --commune).")
@k_option
@lang_option
@json_option
@store_option
@click.pass_context
def suggest(
    ctx: click.Context,
    current: tuple[str, ...],
    past: tuple[str, ...],
    skills: tuple[str, ...],
    interests: tuple[str, ...],
    like_skill: tuple[str, ...],
    dislike_skill: tuple[str, ...],
    like_occupation: tuple[str, ...],
    dislike_occupation: tuple[str, ...],
    like_group: tuple[str, ...],
    dislike_group: tuple[str, ...],
    avoid_group: tuple[str, ...],
    max_hours: float | None,
    education_level: str | None,
    long_training: bool | None,
    profile_file: Path | None,
    commune: str | None,
    area: str | None,
    k: int,
    lang: str,
    as_json: bool,
    store: str | None,
) -> None:
    """Occupations within reach of a profile, with what is missing and which trainings help.

    A profile may hold only interests (e.g. --interest S --interest A=0.5): suggestions
    then follow interests and training effort.
    """
    base = Profile.from_dict(_profile_file(profile_file)) if profile_file else Profile()
    cons = base.constraints
    level = base.education_level
    if education_level is not None:
        level = level_of_diploma(education_level)
        if level is None:
            raise InvalidArgument(
                "--level", f"not a level 2-8 or a known diploma name: {education_level!r}"
            )
    profile = Profile(
        current_occupations=base.current_occupations + current,
        past_occupations=base.past_occupations + past,
        skills={**base.skills, **_weighted(skills, "--skill")},
        interests={**base.interests, **_weighted(interests, "--interest")},
        liked_skills=base.liked_skills + like_skill,
        disliked_skills=base.disliked_skills + dislike_skill,
        liked_occupations=base.liked_occupations + like_occupation,
        disliked_occupations=base.disliked_occupations + dislike_occupation,
        liked_groups=base.liked_groups + like_group,
        disliked_groups=base.disliked_groups + dislike_group,
        constraints=Constraints(
            max_training_hours=max_hours if max_hours is not None else cons.max_training_hours,
            avoid_groups=cons.avoid_groups + avoid_group,
        ),
        commune=commune or base.commune,
        area=area or base.area,
        education_level=level,
        open_to_long_training=(
            base.open_to_long_training if long_training is None else long_training
        ),
    )
    if is_empty(profile):  # said before the (slow) graph is built
        raise InvalidArgument(
            "profile",
            f"{EMPTY_PROFILE} (--occupation, --past, --skill, --interest, --like-skill, "
            "--like-occupation, --like-group or --profile FILE)",
        )
    G = _graph(ctx, store)
    observed = _observed(ctx, store, profile)
    found = suggest_transitions(G, profile, k, lang=lang, observed=observed)
    if as_json:
        _echo_json(
            [
                {
                    "id": s.occupation,
                    "label": label(G, s.occupation, lang),
                    "score": round(s.score, 4),
                    "parts": {camel_case(p): round(v, 4) for p, v in s.parts.items()},
                    "activeParts": [TransitionPart(p).name for p in s.active_parts],
                    "curatedMobility": s.curated_mobility,
                    "sharedSkills": s.shared_skills,
                    "missingSkills": s.missing_skills,
                    "missingEssential": s.missing_essential,
                    "matchedInterests": s.matched_interests,
                    "inferredInterests": s.inferred_interests,
                    "interestsFrom": s.interests_from,
                    "trainingPlan": {
                        "steps": [
                            {
                                "training": p.training,
                                "hours": p.hours,
                                "covers": p.covers,
                                "prerequisites": p.prerequisites,
                                "illustrative": p.illustrative,
                            }
                            for p in s.gap.plan
                        ],
                        "totalHours": s.gap.total_hours,
                        "uncoveredSkills": s.gap.uncovered,
                        "catalogueHours": s.gap.catalogue_hours,
                        "estimatedHours": s.gap.estimated_hours,
                        "regulated": s.gap.regulated,
                        "requiredDiploma": s.gap.required_diploma,
                    },
                    "entryLevel": s.entry_level,
                    "levelStep": s.level_step,
                    "explanation": s.explanation,
                }
                for s in found
            ]
        )
        return
    if not found:
        click.echo("no suggestion (every occupation was left out by the constraints)", err=True)
        return
    moved = any({"local_mobility", "observed_mobility"} & set(s.active_parts) for s in found)
    similar = any("similarity" in s.active_parts for s in found)
    rows = [
        (
            i,
            f"{s.score:.3f}",
            *([f"{s.parts['similarity']:.2f}"] if similar else []),
            f"{s.parts['skill_fit']:.2f}",
            f"{s.parts['affinity_fit']:.2f}",
            f"{s.parts['gap_cost']:.2f}",
            f"{s.parts['feasibility']:.2f}",
            s.curated_mobility or "-",
            *(
                [f"{max(s.parts['local_mobility'], s.parts['observed_mobility']):.2f}"]
                if moved
                else []
            ),
            _hours(s.gap),
            label(G, s.occupation, lang),
            s.occupation,
        )
        for i, s in enumerate(found, start=1)
    ]
    header = ("#", "score", *(("similar",) if similar else ()), "skill", "affinity", "gap")
    header += ("feasib.", "mobility", *(("observed",) if moved else ()))
    for line in table(rows, (*header, "hours", "occupation", "id")):
        click.echo(line)
    click.echo("")
    for i, s in enumerate(found, start=1):
        click.echo(f"{i}. {s.explanation}")


def _hours(gap: SkillGap) -> str:
    """Catalogue hours, ``+N est.`` for skills no training teaches, ``+diploma`` when a
    state diploma is required: a plan never reads as free when it is not."""
    text = f"{gap.catalogue_hours:g}"
    if gap.estimated_hours:
        text += f"+{gap.estimated_hours:g} est."
    if gap.regulated:
        text += " +diploma"
    return text


# --- evaluate ------------------------------------------------------------------------------


def _report_lines(report: EvaluationReport) -> list[str]:
    k = report.k
    ours = {
        "similar": "similarity (ours)",
        "suggest": "suggestions (ours)",
        "feeders": "feeders (ours)",
    }[report.method]
    rows = [
        (
            ours,
            f"{report.recall_at_k:.4f}",
            f"{report.mrr:.4f}",
            f"{report.ndcg_at_k:.4f}",
            report.n,
        )
    ]
    rows += [
        (name, f"{m.recall_at_k:.4f}", f"{m.mrr:.4f}", f"{m.ndcg_at_k:.4f}", m.n)
        for name, m in report.baselines.items()
    ]
    lines = table(rows, ("method", f"recall@{k}", "MRR", f"nDCG@{k}", "sources"))
    lines.append("")
    half_rows = [
        (
            f"half {h}: {'ours' if name == 'method' else name}",
            f"{m.recall_at_k:.4f}",
            f"{m.mrr:.4f}",
            f"{m.ndcg_at_k:.4f}",
            m.n,
        )
        for h, d in report.halves.items()
        for name, m in d.items()
    ]
    lines += table(half_rows, ("held-out check", f"recall@{k}", "MRR", f"nDCG@{k}", "sources"))
    removed = ", ".join(f"{t} {n}" for t, n in sorted(report.edges_removed.items())) or "none"
    lines += [
        "",
        f"pairs: {report.pairs_read} read, {report.pairs_used} used, "
        f"{report.pairs_skipped} skipped (unknown id, self or duplicate)",
        f"edges removed before scoring (truth pairs, excluded types): {removed}",
    ]
    return lines


@click.command(name="evaluate")
@click.option(
    "--truth",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="CSV with columns source,target (occupation ids as stored).",
)
@click.option(
    "--k", "k", type=int, default=10, show_default=True, help="Cut-off of recall@k and nDCG@k."
)
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default="similar",
    show_default=True,
    help="Ranking evaluated: the similarity, suggestTransitions with the source "
    "occupation as the profile, or feeders (for each target, the occupations ranked by "
    "the similarity into it; its known sources must come first).",
)
@click.option(
    "--exclude-rel",
    "exclude_rels",
    multiple=True,
    metavar="TYPE",
    help="Relationship type removed before scoring (repeatable; default MOBILITY, the type "
    "of the ROME mobilités; OBSERVED_MOBILITY for observed moves, which also keeps the "
    "suggestions from reading them).",
)
@click.option(
    "--leakage",
    type=click.Choice(LEAKAGE_RULES),
    default="type",
    show_default=True,
    help="What leaves the graph before scoring: the --exclude-rel types (type), or also "
    "every edge and observed move joining a truth pair, whatever its type (pairs: a biased-low "
    "check, see docs/algorithms.md).",
)
@click.option(
    "--tune-on",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Cross-truth protocol: choose the weights on this OTHER truth file (a small grid, "
    "best recall@k) and report them on --truth.",
)
@click.option(
    "--tune-exclude-rel",
    "tune_exclude_rels",
    multiple=True,
    metavar="TYPE",
    help="Relationship type removed while tuning on --tune-on (repeatable; default MOBILITY).",
)
@click.option(
    "--by-area",
    is_flag=True,
    help="Per-area hold-out of the suggestions (TRUTH needs an area column, "
    "lbb_observed_pairs.py --by-area): each area's moves predicted from the graph and the "
    "other areas' observed moves.",
)
@click.option(
    "--diagnose",
    is_flag=True,
    help="Also explain the misses: recall by how far source and target are in the group "
    "tree, the destinations most often missed, and the ceiling a popularity prior read from "
    "the truth would reach.",
)
@json_option
@store_option
@click.pass_context
def evaluate_cmd(
    ctx: click.Context,
    truth: Path,
    k: int,
    method: str,
    exclude_rels: tuple[str, ...],
    leakage: str,
    tune_on: Path | None,
    tune_exclude_rels: tuple[str, ...],
    by_area: bool,
    diagnose: bool,
    as_json: bool,
    store: str | None,
) -> None:
    """Rank all occupations from each source of TRUTH with --method and report recall@k
    (mean over sources), MRR, nDCG@k and the number of sources, next to plain Jaccard,
    IDF-cosine and random baselines computed in the same run, overall and on two held-out
    halves. Before scoring, every edge of the --exclude-rel types is removed (no leakage;
    --leakage pairs also removes every edge joining a truth pair); the report counts them.
    The suggestions read the store's observed moves merged over areas unless
    OBSERVED_MOBILITY is excluded.
    """
    rels = exclude_rels or ("MOBILITY",)
    if by_area:
        _evaluate_by_area(ctx, truth, k, rels, as_json, store)
        return
    pairs = read_pairs(truth)
    G = _graph(ctx, store)
    observed = _merged_observed(ctx, store, G) if method == "suggest" else None
    tuned: dict[str, Any] | None = None
    weights: dict[str, Any] = {}
    if tune_on is not None:
        tune_rels = tune_exclude_rels or ("MOBILITY",)
        chosen, seen = tune(G, read_pairs(tune_on), k, method, tune_rels, leakage, observed)
        tuned = {"truth": str(tune_on), "excludeRels": list(tune_rels), **seen}
        key = "transition_weights" if method == "suggest" else "weights"
        weights = {key: chosen}
    # the full projection, then one copy without the leaking edges that both the evaluation
    # and the diagnosis score (the similarity matrix is computed once, cached on it)
    clean, removed, observed = without_leakage(G, pairs, rels, leakage, observed)
    if observed is not None:  # the observed moves are counted even when none is removed
        removed.setdefault(OBSERVED, 0)
    report = replace(
        evaluate(clean, pairs, k, method=method, exclude_rels=(), observed=observed, **weights),
        edges_removed=removed,
        mobility_edges_removed=removed.get("MOBILITY", 0),
        leakage=leakage,
        tuned_on=tuned,
    )
    if report.n == 0:
        raise InvalidArgument("--truth", "no pair names two occupations of this store")
    found = diagnose_misses(clean, pairs, k) if diagnose else None
    if as_json:
        out = report.to_json()
        if found is not None:
            out["diagnostics"] = found.to_json()
        _echo_json(out)
        return
    for line in _report_lines(report):
        click.echo(line)
    if tuned is not None:
        click.echo(
            f"weights chosen on {tune_on} ({tuned['settings']} settings, recall@{k} "
            f"{tuned['recallAtK']:.4f} there): "
            + ", ".join(f"{camel_case(n)} {v:g}" for n, v in report.weights.items())
        )
    if found is not None:
        click.echo("")
        for line in _diagnostic_lines(found):
            click.echo(line)


def _merged_observed(
    ctx: click.Context, store: str | None, G: nx.MultiDiGraph
) -> dict[str, dict[str, float]]:
    """The store's observed moves from every occupation of ``G``, merged over areas."""
    settings = settings_for(ctx, store=store)
    ids = list(index_of(G).occupations)

    async def read() -> dict[str, dict[str, float]]:
        async with opened_store(settings) as s:
            found = await s.observed_moves(ids, None)
        return {o: {m.end: m.score for m in moves} for o, moves in found.items() if moves}

    return run(read())


def _evaluate_by_area(
    ctx: click.Context,
    truth: Path,
    k: int,
    rels: tuple[str, ...],
    as_json: bool,
    store: str | None,
) -> None:
    area_pairs = read_area_pairs(truth)
    G = _graph(ctx, store)
    settings = settings_for(ctx, store=store)
    sources = sorted({s for pairs in area_pairs.values() for s, _ in pairs})

    async def read() -> dict[str, dict[str, dict[str, float]]]:
        out = {}
        async with opened_store(settings) as s:
            for area in sorted(area_pairs):
                found = await s.observed_moves(sources, area)
                out[area] = {o: {m.end: m.score for m in ms} for o, ms in found.items() if ms}
        return out

    results = evaluate_by_area(G, area_pairs, run(read()), k, exclude_rels=rels)
    if results["held_out"].n == 0:
        raise InvalidArgument("--truth", "no pair names two occupations of this store")
    if as_json:

        def m(x: Metrics) -> dict[str, Any]:
            return {
                "n": x.n,
                "recallAtK": round(x.recall_at_k, 4),
                "mrr": round(x.mrr, 4),
                "ndcgAtK": round(x.ndcg_at_k, 4),
            }

        _echo_json(
            {
                "method": "suggest",
                "k": k,
                "areas": len(area_pairs),
                "byArea": {camel_case(n): m(x) for n, x in results.items()},
                "excludeRels": list(rels),
            }
        )
        return
    rows = [
        (name.replace("_", " "), f"{x.recall_at_k:.4f}", f"{x.mrr:.4f}", f"{x.ndcg_at_k:.4f}", x.n)
        for name, x in results.items()
    ]
    for line in table(rows, ("per-area hold-out", f"recall@{k}", "MRR", f"nDCG@{k}", "units")):
        click.echo(line)
    click.echo(f"\n{len(area_pairs)} areas; a unit is one (area, source) pair")


def _diagnostic_lines(d: Diagnostics) -> list[str]:
    k = d.k
    bins = list(d.by_distance[0].rank_bins) if d.by_distance else []
    lines = table(
        [(c.name, c.pairs, f"{c.recall_at_k:.4f}", *c.rank_bins.values()) for c in d.by_distance],
        ("distance in the group tree", "pairs", f"share in top {k}", *(f"rank {b}" for b in bins)),
    )
    lines.append("")
    lines += table(
        [
            (m.occupation, m.label[:50], m.sources, m.missed, f"{m.median_rank:g}")
            for m in d.missed_destinations
        ],
        ("most missed destination", "label", "sources", f"beyond {k}", "median rank"),
    )
    lines += [
        "",
        f"popularity ceiling (reads the truth, not a method): recall@{k} "
        f"{d.ceiling_recall_at_k:.4f} (weight {d.ceiling_weight:g}) against {d.recall_at_k:.4f}",
    ]
    return lines
