"""A pilotage report: every answer for one population, as plain data, CSV files or one
self-contained HTML page (inline CSS and SVG bar charts: no script, no network), so a
manager can open it from a mail or a shared folder.

:func:`pilotage_report` computes it (:mod:`cartonet.orientation.pilotage` does the
work); :func:`write_csv` and :func:`render_html` write it out.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from cartonet.orientation.explain import label
from cartonet.orientation.index import index_of
from cartonet.orientation.pilotage import (
    VIABLE_SCORE,
    Population,
    population_options,
    skill_leverage,
    training_leverage,
    transferable_skills,
)

Progress = Callable[[str], None]


@dataclass
class PilotageReport:
    """The answers for one population, with labels, ready to print or write."""

    groups: int
    people: int
    area: str | None
    viability: float
    catalogue: int = 0  # trainings in the graph
    options: list[dict[str, Any]] = field(default_factory=list)
    skills: list[dict[str, Any]] = field(default_factory=list)
    trainings: list[dict[str, Any]] = field(default_factory=list)
    transferable: list[dict[str, Any]] = field(default_factory=list)
    bridges: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "population": {"groups": self.groups, "people": self.people, "area": self.area},
            "viability": self.viability,
            "options": self.options,
            "skills": self.skills,
            "trainings": self.trainings,
            "transferableSkills": self.transferable,
            "bridges": self.bridges,
        }


def pilotage_report(
    G: nx.MultiDiGraph,
    pop: Population,
    k: int = 20,
    observed: Mapping[str, Mapping[str, float]] | None = None,
    area: str | None = None,
    lang: str = "fr",
    progress: Progress | None = None,
    viability: float = VIABLE_SCORE,
) -> PilotageReport:
    """Every pilotage answer for ``pop`` (the ``k`` first of each list), labelled in
    ``lang``, moves viable from ``viability``; ``progress(step)`` is called before each
    step.

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> from cartonet.orientation.pilotage import check_population
    >>> G = demo_graph()
    >>> r = pilotage_report(G, check_population(G, [("demo:cook", 10)]))
    >>> r.people, r.options[0]["id"]
    (10, 'demo:pastry-cook')
    """
    say = progress or (lambda _: None)
    report = PilotageReport(
        len(pop.ids), pop.total, area, viability, catalogue=len(index_of(G).trainings)
    )
    say("options")
    for o in population_options(G, pop, k, observed, viability=viability):
        report.options.append(
            {
                "id": o.occupation,
                "label": label(G, o.occupation, lang),
                "people": o.people,
                "share": round(o.share, 4),
                "origins": [
                    {"id": x.occupation, "count": x.count, "score": round(x.score, 4)}
                    for x in o.origins
                ],
            }
        )
    say("skill leverage")
    for s in skill_leverage(G, pop, k, observed, viability=viability):
        report.skills.append(
            {
                "id": s.item,
                "label": label(G, s.item, lang),
                "newOptions": round(s.new_options, 4),
                "people": s.people,
            }
        )
    say("training leverage")
    for t in training_leverage(G, pop, k, observed, viability=viability):
        report.trainings.append(
            {
                "id": t.item,
                "label": label(G, t.item, lang),
                "newOptions": round(t.new_options, 4),
                "hours": t.hours,
                "optionsPerHour": round(t.options_per_hour or 0.0, 6),
                "people": t.people,
                "illustrative": bool(G.nodes[t.item]["node"].props.get("illustrative", False)),
            }
        )
    say("transferable skills")
    for key, found in (
        ("transferable", transferable_skills(G, pop, k)),
        ("bridges", transferable_skills(G, None, k)),
    ):
        getattr(report, key).extend(
            {
                "id": s.skill,
                "label": label(G, s.skill, lang),
                "clusters": s.clusters,
                "otherClusters": s.other_clusters,
                "heldBy": s.held_by,
            }
            for s in found
        )
    return report


CSV_FILES: dict[str, tuple[str, Sequence[str]]] = {
    "options": ("options.csv", ("id", "label", "people", "share", "origins")),
    "skills": ("skills.csv", ("id", "label", "newOptions", "people")),
    "trainings": (
        "trainings.csv",
        ("id", "label", "newOptions", "hours", "optionsPerHour", "people", "illustrative"),
    ),
    "transferable": ("transferable.csv", ("id", "label", "clusters", "otherClusters", "heldBy")),
    "bridges": ("bridges.csv", ("id", "label", "clusters", "otherClusters", "heldBy")),
}


def write_csv(report: PilotageReport, folder: Path) -> list[Path]:
    """One CSV file per list of ``report`` in ``folder`` (created if needed); an option's
    origins are written as ``id:count`` separated by ``|``. Returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for key, (name, columns) in CSV_FILES.items():
        path = folder / name
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(columns)
            for row in getattr(report, key):
                values = dict(row)
                if "origins" in values:
                    values["origins"] = "|".join(f"{x['id']}:{x['count']}" for x in row["origins"])
                writer.writerow(["" if values.get(c) is None else values[c] for c in columns])
        written.append(path)
    return written


# --- HTML --------------------------------------------------------------------------------------

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:60rem;padding:0 1rem;color:#1d2433}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2.2rem;border-bottom:1px solid #d8dde6}
p.note{color:#4a5568;font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eef1f5;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
svg{display:block;margin:.5rem 0 1rem}svg text{font-size:12px;fill:#1d2433}
.id{color:#718096;font-size:.8rem}
@media print{body{margin:0}h2{break-after:avoid}}
"""


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _bars(rows: Sequence[dict[str, Any]], value: str, title: str, unit: str = "") -> str:
    """A horizontal bar chart as inline SVG (accessible: a title and one text per bar)."""
    rows = list(rows)[:15]
    if not rows:
        return ""
    top = max(float(r[value]) for r in rows) or 1.0
    width, label_w, bar_w, row_h = 760, 330, 340, 22
    height = row_h * len(rows) + 8
    parts = [
        f'<svg role="img" aria-label="{_esc(title)}" width="100%" viewBox="0 0 {width} {height}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{_esc(title)}</title>",
    ]
    for i, r in enumerate(rows):
        y = 4 + i * row_h
        w = max(1.0, bar_w * float(r[value]) / top)
        name = str(r["label"])
        name = name if len(name) <= 48 else name[:47] + "…"
        parts.append(f'<text x="0" y="{y + 15}">{_esc(name)}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="#3b6fb6"/>'
        )
        shown = f"{float(r[value]):.3g}{unit}"
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 15}">{_esc(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str, bool]]) -> str:
    head = "".join(f"<th>{_esc(title)}</th>" for _, title, _ in columns)
    body = []
    for r in rows:
        cells = []
        for key, _, numeric in columns:
            v = r.get(key)
            if key == "label":
                cells.append(f'<td>{_esc(v)}<br><span class="id">{_esc(r["id"])}</span></td>')
            else:
                cells.append(
                    f'<td class="{"n" if numeric else ""}">{_esc("" if v is None else v)}</td>'
                )
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


NONE_TIPPED = (
    "None: no single {what} brings a move of this population up to the viability "
    "threshold ({viability}); run again with a lower one (--viability 0.2) to rank what "
    "brings moves closer (docs/pilotage.md)."
)
NO_CATALOGUE = "None: the store holds no training (load a catalogue: cartonet load trainings)."


def none_found(report: PilotageReport, what: str) -> str:
    """Why a list of ``report`` is empty, in one sentence."""
    if what == "training" and not report.catalogue:
        return NO_CATALOGUE
    return NONE_TIPPED.format(what=what, viability=report.viability)


def _empty(report: PilotageReport, what: str) -> str:
    rows = report.skills if what == "skill" else report.trainings
    return "" if rows else f'<p class="note">{_esc(none_found(report, what))}</p>'


def render_html(report: PilotageReport, title: str = "Pilotage: where a population can go") -> str:
    """The report as one HTML page (UTF-8, inline CSS and SVG, nothing fetched)."""
    where = f", employment area {report.area}" if report.area else ""
    illustrative = any(t.get("illustrative") for t in report.trainings)
    sections = [
        f"<h1>{_esc(title)}</h1>",
        f'<p class="note">Population: {report.people:,} people in {report.groups:,} '
        f"occupation(s){_esc(where)}. A move is viable when its similarity is at least "
        f"{report.viability} and it goes at most one level up without a state diploma the "
        "group lacks, or when it is a curated move or one observed in the area. Method: "
        "docs/algorithms.md (Pilotage); Nesta, <i>Mapping Career Causeways</i> (2020).</p>",
        "<h2>Where the population can go</h2>",
        _bars(report.options, "people", "People able to reach each occupation"),
        _table(
            report.options,
            [("label", "occupation", False), ("people", "people", True), ("share", "share", True)],
        ),
        "<h2>Skills that open the most doors</h2>",
        '<p class="note">New viable moves per person once the skill is acquired (mean over '
        "the population); people: those in groups that gain at least one.</p>",
        _empty(report, "skill"),
        _bars(report.skills, "newOptions", "New options per person, by skill"),
        _table(
            report.skills,
            [
                ("label", "skill", False),
                ("newOptions", "new options", True),
                ("people", "people", True),
            ],
        ),
        "<h2>Trainings: new options per hour</h2>",
        (
            '<p class="note">Some trainings below come from an <b>illustrative</b> catalogue '
            "(made-up offers): load a real catalogue with <code>cartonet load trainings</code>."
            "</p>"
            if illustrative
            else ""
        ),
        _empty(report, "training"),
        _bars(report.trainings, "optionsPerHour", "New options per training hour"),
        _table(
            report.trainings,
            [
                ("label", "training", False),
                ("newOptions", "new options", True),
                ("hours", "hours", True),
                ("optionsPerHour", "per hour", True),
                ("people", "people", True),
            ],
        ),
        "<h2>Skills the population holds that other fields value</h2>",
        _table(
            report.transferable,
            [
                ("label", "skill", False),
                ("otherClusters", "other fields", True),
                ("clusters", "fields", True),
                ("heldBy", "held by", True),
            ],
        ),
        "<h2>Bridges: skills required across the most fields</h2>",
        _table(
            report.bridges,
            [
                ("label", "skill", False),
                ("clusters", "fields", True),
                ("heldBy", "occupations", True),
            ],
        ),
    ]
    body = "\n".join(s for s in sections if s)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{_esc(title)}'
        f"</title><style>{STYLE}</style></head><body>\n{body}\n</body></html>\n"
    )
