"""Crosswalks: label matching, composition, the published file, evaluation, the review
round trip and interests read across SAME_AS; the command on the bundled fixtures."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cartonet.cli import main
from cartonet.errors import LoadError
from cartonet.ingest import crosswalk as cw
from cartonet.model import Node, NodeType, Relationship, RelType

ESCO = "http://data.europa.eu/esco/occupation/"


def occ(id_: str, labels: dict[str, str], alt: dict[str, tuple[str, ...]] | None = None) -> Node:
    return Node(id_, NodeType.OCCUPATION, labels, "t", alt or {})


# Titles as ESCO v1.1.1 and O*NET 29.3 write them.
A = [
    occ(ESCO + "1", {"en": "accountant", "fr": "comptable"}),
    occ(ESCO + "2", {"en": "software developer"}, {"en": ("programmer",)}),
    occ(ESCO + "3", {"en": "astronaut"}),
]
B = [
    occ("onet:13-2011.00", {"en": "Accountants and Auditors"}, {"en": ("Accountant",)}),
    occ("onet:15-1252.00", {"en": "Software Developers"}, {"en": ("Software Developer",)}),
    occ("onet:15-1251.00", {"en": "Computer Programmers"}, {"en": ("Programmer",)}),
]


def test_labels_match_through_alt_labels_and_never_tie() -> None:
    links = cw.match_labels(A, B, ["en"], 0.9)
    # ESCO 2 matches "Software Developer" and "Programmer" exactly: a tie, nothing proposed
    assert links == [cw.Link(ESCO + "1", "onet:13-2011.00", 1.0, "label")]
    tie_free = cw.match_labels(A[1:2], B[1:2], ["en"], 0.9)
    assert tie_free == [cw.Link(ESCO + "2", "onet:15-1252.00", 1.0, "label")]
    assert cw.match_labels(A[2:], B, ["en"], 0.5) == []  # no shared word: no candidate


def test_compose_and_reverse() -> None:
    first = [cw.Link("rome:M1805", ESCO + "2", 0.9, "label")]
    second = [cw.Link(ESCO + "2", "onet:15-1252.00", 0.8, "published")]
    assert cw.compose(first, second, "esco") == [
        cw.Link("rome:M1805", "onet:15-1252.00", 0.72, "via:esco")
    ]
    assert cw.reverse(second) == [cw.Link("onet:15-1252.00", ESCO + "2", 0.8, "published")]


def skill(id_: str, labels: dict[str, str], alt: dict[str, tuple[str, ...]] | None = None) -> Node:
    return Node(id_, NodeType.SKILL, labels, "t", alt or {})


def test_shared_neighbours_is_the_gain_over_the_base_rate() -> None:
    # Illustrative ids (not real records): ten linked occupation pairs a<i> -> b<i>.
    links = [cw.Link(f"a{i}", f"b{i}", 1.0, "published") for i in range(10)]
    requires = [Relationship(RelType.REQUIRES, f"b{i}", "t-common") for i in range(10)]
    requires += [Relationship(RelType.REQUIRES, f"a{i}", "s") for i in range(4)]
    requires += [Relationship(RelType.REQUIRES, f"b{i}", "t") for i in range(4)]
    requires += [Relationship(RelType.REQUIRES, f"b{i}", "t-other") for i in (3, 5, 6, 7, 8)]
    evidence = cw.shared_neighbours(requires, links)
    # P(t|s) = 4 / (4 + 2), P(t) = 4 / 10: gain (2/3 - 2/5) / (3/5) = 4/9 (same both ways)
    assert evidence["s"]["t"] == pytest.approx(4 / 9)
    assert "t-common" not in evidence["s"]  # every b requires it: no gain
    assert "t-other" not in evidence["s"]  # seen together once, below its base rate


def test_skills_match_by_labels_weighed_by_neighbours() -> None:
    # O*NET 29.3 and ESCO v1.1.1 labels
    onet = [skill("onet-skill:2.C.4.a", {"en": "Mathematics"})]
    esco = [
        skill("esco:math", {"en": "mathematics"}),
        skill("esco:teach-math", {"en": "teach mathematics"}, {"en": ("mathematics",)}),
    ]
    # both ESCO skills carry the label: a tie without evidence, never guessed
    assert cw.match_skills(onet, esco, ["en"], {}, 0.8) == []
    evidence = {"onet-skill:2.C.4.a": {"esco:math": 0.5, "esco:teach-math": 0.1}}
    (link,) = cw.match_skills(onet, esco, ["en"], evidence, 0.8)
    assert link == cw.Link("onet-skill:2.C.4.a", "esco:math", 0.9, "label+neighbours")
    assert cw.match_skills(onet, esco, ["en"], evidence, 0.95) == []
    alone = cw.match_skills(onet, esco[:1], ["en"], {}, 0.8)
    assert alone == [cw.Link("onet-skill:2.C.4.a", "esco:math", 1.0, "label")]
    # evidence known for other skills only: this one's label match loses the weight
    other = {"onet-skill:2.A.1.a": {"esco:math": 1.0}}
    (weighed,) = cw.match_skills(onet, esco[:1], ["en"], other, 0.8)
    assert weighed.score == pytest.approx(1 - cw.NEIGHBOUR_WEIGHT)


def test_evaluate_counts_against_the_truth() -> None:
    truth = [cw.Link("a", "x", 1, "published"), cw.Link("b", "y", 1, "published")]
    proposed = [cw.Link("a", "x", 0.95, "label"), cw.Link("b", "z", 0.85, "label")]
    low, high = cw.evaluate([*proposed, cw.Link("c", "x", 1, "label")], truth, [0.8, 0.9])
    assert (low.predicted, low.correct, low.precision, low.recall) == (2, 1, 0.5, 0.5)
    assert (high.predicted, high.correct, high.precision, high.recall) == (1, 1, 1.0, 0.5)


def test_published_file_keeps_links_the_store_can_hold(tmp_path: Path) -> None:
    path = tmp_path / cw.PUBLISHED_FILE
    rows = [  # rows of esco_onet_crosswalk_Nov2020.csv
        [
            "188",
            "secretary of state",
            "1111",
            "11-1011.00",
            "chief executives",
            "[]",
            "0.8107619822025299",
            "1.0",
            ESCO + "0ee67d5e-8de9-48f0-97c5-ba23d486b1e9",
        ],
        [
            "1104",
            "member of parliament",
            "1111",
            "11-1031.00",
            "legislators",
            "[]",
            "0.747042378783226",
            "2.0",
            ESCO + "5bca96fd-4203-400b-be58-9e9b50bc98da",
        ],
    ]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(
            [
                "id",
                "esco_occupation",
                "isco_code",
                "onet_code",
                "onet_occupation",
                "matching_job_titles",
                "semantic_similarity",
                "confidence",
                "concept_uri",
            ]
        )
        writer.writerows(rows)
    known = {rows[0][8], "onet:11-1011.00", rows[1][8]}
    links, counts = cw.read_published(tmp_path, known)
    assert links == [cw.Link(rows[0][8], "onet:11-1011.00", 0.8108, "published")]
    assert counts == {"rows": 2, "missing_esco": 0, "missing_onet": 1}


def test_review_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "review.csv"
    links = [cw.Link("a", "x", 0.95, "label"), cw.Link("b", "y", 0.91, "label")]
    cw.write_review(links, {"a": "A", "x": "X"}, path)
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == list(cw.REVIEW_COLUMNS)
    rows[1][0], rows[2][0] = "accept", ""
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(LoadError) as err:
        cw.read_review(path)
    assert err.value.problems == [f"{path}:3: decision '' (expected accept or reject)"]
    rows[2][0] = "reject"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    accepted, rejected = cw.read_review(path)
    assert accepted == [cw.Link("a", "x", 0.95, "reviewed:label")] and rejected == 1


def test_interests_are_read_across_and_marked_inferred() -> None:
    interests = {
        "onet:1": [
            Relationship(RelType.MATCHES_INTEREST, "onet:1", "riasec:C", {"weight": 0.8, "rank": 1})
        ]
    }
    links = [cw.Link("esco:1", "onet:1", 0.9, "published"), cw.Link("esco:2", "onet:2", 1, "x")]
    assert cw.infer_interests(links, interests, {"esco:1", "esco:2"}) == [
        Relationship(
            RelType.MATCHES_INTEREST,
            "esco:1",
            "riasec:C",
            {"weight": 0.8, "rank": 1, "inferred": True},
        )
    ]


def test_cli_links_rome_and_esco_fixtures_and_reviews(tmp_path: Path) -> None:
    def cli(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(main, list(args), env={"CARTONET_STORE": ""}, obj=None)
        return result.exit_code, result.output

    store = str(tmp_path / "store.sqlite")
    assert cli("load", "fixtures", "--store", store, "-q")[0] == 0
    review = tmp_path / "review.csv"
    code, output = cli(
        "crosswalk", "rome", "esco", "--store", store, "--review-out", str(review), "-q"
    )
    assert code == 0, output
    rows = list(csv.DictReader(review.open(encoding="utf-8")))
    assert rows and all(r["start"].startswith("rome:") for r in rows)
    assert all(r["end"].startswith(ESCO) and float(r["score"]) >= 0.9 for r in rows)
    code, output = cli("crosswalk", "rome", "esco", "--store", store, "--infer-interests", "-q")
    assert code == 0, output
    assert "SAME_AS" in output and "MATCHES_INTEREST" in output
    # the links are in the store, and validate finds no error
    code, output = cli("validate", "--store", store, "--json")
    assert code == 0 and json.loads(output)["relationshipsByType"]["SAME_AS"] == len(rows)

    # skills, weighed by the occupations just linked; reviewed, then loaded back
    skills_review = tmp_path / "skills.csv"
    args = ("crosswalk", "rome", "esco", "--skills", "--store", store, "-q")
    code, output = cli(*args, "--review-out", str(skills_review))
    assert code == 0, output
    assert f"{len(rows):,} occupation links rome-esco" in output
    proposed = list(csv.DictReader(skills_review.open(encoding="utf-8")))
    assert proposed and all(r["start"].startswith("rome-skill:") for r in proposed)
    assert all(r["end"].startswith("http://data.europa.eu/esco/skill/") for r in proposed)
    assert {r["method"] for r in proposed} == {"label+neighbours"}
    assert all(float(r["score"]) >= cw.DEFAULT_SKILL_MIN_SCORE for r in proposed)
    for n, row in enumerate(proposed):
        row["decision"] = "accept" if n == 0 else "reject"
    with skills_review.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(proposed[0]))
        writer.writeheader()
        writer.writerows(proposed)
    code, output = cli(*args, "--review-in", str(skills_review))
    assert code == 0, output
    assert "Loaded crosswalk-skills-rome-esco-reviewed" in output
    code, output = cli(*args, "--published", str(tmp_path))
    assert code == 2 and "--published" in output
