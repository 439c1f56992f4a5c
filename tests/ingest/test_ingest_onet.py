"""O*NET loader: a small hand-made release (mapping, thresholds, bad rows) and the real
29.3 release (counts checked against the files)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from cartonet.cli import main
from cartonet.errors import LoadError
from cartonet.ingest.onet import MIN_WEIGHT, load_onet, requirement_weight, soc_groups
from cartonet.model import Dataset, NodeType, RelType
from cartonet.qualifications import level_of_job_zone
from cartonet_testing import need

RATING_HEADER = [
    "O*NET-SOC Code",
    "Title",
    "Element ID",
    "Element Name",
    "Scale ID",
    "Scale Name",
    "Data Value",
    "N",
    "Standard Error",
    "Lower CI Bound",
    "Upper CI Bound",
    "Recommend Suppress",
    "Not Relevant",
    "Date",
    "Domain Source",
]


def write_tsv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter="\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def rating(soc: str, element: str, name: str, scale: str, value: float, **kw: str) -> list:
    suppress, not_relevant = kw.get("suppress", "N"), kw.get("not_relevant")
    return [soc, "t", element, name, scale, "s", value, 8, 0.1, 0, 0, suppress, not_relevant]


def mini_onet(root: Path) -> Path:
    """Two occupations (a SOC occupation and its specialisation), two skills, one
    knowledge area, one work style, interests, zones and titles."""
    d = root / "onet"
    d.mkdir(parents=True)
    (d / "Read Me.txt").write_text("O*NET 29.3 Database\nMay 2025 Release\n", encoding="utf-8")
    write_tsv(
        d / "Content Model Reference.txt",
        ["Element ID", "Element Name", "Description"],
        [
            ["2.A", "Basic Skills", "Developed capacities"],
            ["2.A.1", "Content", "Background structures"],
            ["2.A.1.a", "Reading Comprehension", "Understanding written sentences."],
            ["2.A.1.b", "Active Listening", "Giving full attention."],
            ["2.C", "Knowledge", "Organized sets of principles"],
            ["2.C.3.a", "Computers and Electronics", "Knowledge of circuit boards."],
            ["1.C", "Work Styles", "Personal characteristics"],
            ["1.C.5.b", "Attention to Detail", "Being careful about detail."],
        ],
    )
    write_tsv(
        d / "Occupation Data.txt",
        ["O*NET-SOC Code", "Title", "Description"],
        [
            ["15-1252.00", "Software Developers", "Develop software."],
            ["15-1252.01", "Video Game Developers", "Develop games."],
        ],
    )
    write_xlsx(
        d / "Skills.xlsx",
        RATING_HEADER,
        [
            rating("15-1252.00", "2.A.1.a", "Reading Comprehension", "IM", 4.0),
            rating("15-1252.00", "2.A.1.a", "Reading Comprehension", "LV", 4.62, not_relevant="N"),
            rating("15-1252.00", "2.A.1.b", "Active Listening", "IM", 3.2),
            rating("15-1252.00", "2.A.1.b", "Active Listening", "LV", 3.0, not_relevant="Y"),
            rating("15-1252.01", "2.A.1.a", "Reading Comprehension", "IM", 2.9),
            rating("15-1252.01", "2.A.1.b", "Active Listening", "IM", 4.5, suppress="Y"),
        ],
    )
    write_xlsx(
        d / "Knowledge.xlsx",
        RATING_HEADER,
        [rating("15-1252.00", "2.C.3.a", "Computers and Electronics", "IM", 3.5)],
    )
    write_tsv(
        d / "Work Styles.txt",
        [*RATING_HEADER[:12], "Date", "Domain Source"],
        [
            [
                *map(str, rating("15-1252.01", "1.C.5.b", "Attention to Detail", "IM", 3.6)[:12]),
                "08/2023",
                "Incumbent",
            ]
        ],
    )
    interests = [
        ["15-1252.00", "t", "1.B.1.b", "Investigative", "OI", "s", "6.3"],
        ["15-1252.00", "t", "1.B.1.f", "Conventional", "OI", "s", "4.2"],
        ["15-1252.00", "t", "1.B.1.a", "Realistic", "OI", "s", "2.1"],
        ["15-1252.00", "t", "1.B.1.g", "First Interest High-Point", "IH", "s", "2.0"],
        ["15-1252.00", "t", "1.B.1.h", "Second Interest High-Point", "IH", "s", "6.0"],
        ["15-1252.00", "t", "1.B.1.i", "Third Interest High-Point", "IH", "s", "0.0"],
    ]
    write_tsv(
        d / "Interests.txt",
        [
            "O*NET-SOC Code",
            "Title",
            "Element ID",
            "Element Name",
            "Scale ID",
            "Scale Name",
            "Data Value",
        ],
        interests,
    )
    write_tsv(
        d / "Job Zones.txt",
        ["O*NET-SOC Code", "Title", "Job Zone"],
        [["15-1252.00", "t", "4"], ["15-1252.01", "t", "3"]],
    )
    write_xlsx(
        d / "Alternate Titles.xlsx",
        ["O*NET-SOC Code", "Title", "Alternate Title", "Short Title", "Source(s)"],
        [
            ["15-1252.00", "t", "Application Developer", None, "08"],
            ["15-1252.00", "t", "Computer Systems Software Engineer", "CSSE", "08"],
        ],
    )
    write_tsv(
        d / "Sample of Reported Titles.txt",
        ["O*NET-SOC Code", "Title", "Reported Job Title", "Shown in My Next Move"],
        [["15-1252.00", "t", "Software Engineer", "Y"], ["15-1252.00", "t", "Developer", "N"]],
    )
    return d


def rels(ds: Dataset, type: RelType) -> dict[tuple[str, str], dict]:
    return {(r.start, r.end): dict(r.props) for r in ds.relationships if r.type is type}


def test_mini_release_maps_every_file(tmp_path: Path) -> None:
    ds = load_onet(mini_onet(tmp_path))
    nodes = {n.id: n for n in ds.nodes}
    assert ds.source == "onet-29.3"
    dev = nodes["onet:15-1252.00"]
    assert dev.labels == {"en": "Software Developers"}
    # job zone 4 (a bachelor's degree) is level 6 of the shared entry scale
    assert dev.props == {
        "code": "15-1252.00",
        "jobZone": 4,
        "entryLevel": 6,
        "entryLevelFrom": "onet-job-zone",
    }
    assert dev.alt_labels == {
        "en": (
            "Application Developer",
            "Computer Systems Software Engineer",
            "CSSE",
            "Software Engineer",
            "Developer",
        )
    }
    assert nodes["onet-skill:2.A.1.a"].props == {"kind": "HARD", "code": "2.A.1.a"}
    assert nodes["onet-skill:2.A.1.a"].descriptions == {"en": "Understanding written sentences."}
    assert nodes["onet-skill:2.C.3.a"].props["kind"] == "KNOWLEDGE"
    assert nodes["onet-skill:1.C.5.b"].props["kind"] == "SOFT"
    # Importance ≥ 3.5 essential, 3.0–3.5 optional, below 3.0 (or suppressed) no edge;
    # a level O*NET marks not relevant is left out.
    assert rels(ds, RelType.REQUIRES) == {
        ("onet:15-1252.00", "onet-skill:2.A.1.a"): {
            "relevance": "ESSENTIAL",
            "weight": 0.75,
            "importance": 4.0,
            "level": 4.62,
        },
        ("onet:15-1252.00", "onet-skill:2.A.1.b"): {
            "relevance": "OPTIONAL",
            "weight": 0.55,
            "importance": 3.2,
        },
        ("onet:15-1252.00", "onet-skill:2.C.3.a"): {
            "relevance": "ESSENTIAL",
            "weight": 0.625,
            "importance": 3.5,
        },
        ("onet:15-1252.01", "onet-skill:1.C.5.b"): {
            "relevance": "ESSENTIAL",
            "weight": 0.65,
            "importance": 3.6,
        },
    }
    assert rels(ds, RelType.MATCHES_INTEREST) == {
        ("onet:15-1252.00", "riasec:I"): {"weight": 0.9, "rank": 1},
        ("onet:15-1252.00", "riasec:C"): {"weight": 0.6, "rank": 2},
    }
    broader = set(rels(ds, RelType.BROADER))
    # the specialisation sits under its SOC occupation, which sits in the SOC tree
    assert ("onet:15-1252.01", "onet:15-1252.00") in broader
    assert {
        ("onet:15-1252.00", "onet-group:15-1250"),
        ("onet-group:15-1250", "onet-group:15-1200"),
        ("onet-group:15-1200", "onet-group:15-0000"),
        ("onet-skill:2.A.1.a", "onet-skill-group:2.A.1"),
        ("onet-skill-group:2.A.1", "onet-skill-group:2.A"),
        ("onet-skill:1.C.5.b", "onet-skill-group:1.C"),
    } <= broader
    assert nodes["onet-group:15-0000"].labels == {"en": "Computer and Mathematical Occupations"}
    assert nodes["onet-group:15-0000"].props == {"code": "15-0000", "level": 1}
    assert nodes["onet-group:15-1250"].labels == {"en": "SOC broad group 15-1250"}
    # the riasec nodes are the ROME loader's, so both taxonomies share them
    assert nodes["riasec:I"].labels == {"en": "Investigative", "fr": "Investigateur"}
    assert ds.read_counts["Skills.xlsx"] == 6


def test_continuous_weights_come_from_the_ratings(tmp_path: Path) -> None:
    """``weights=`` changes only the REQUIRES ``weight``: the same edges, relevance and
    ratings; importance 3.0 → 0.5 and 5 → 1 as the relevance weights, level folded in by a
    geometric mean where O*NET gives one. ``relevance`` gives ESCO's and ROME's 1 / 0.5."""
    d = mini_onet(tmp_path)
    base = rels(load_onet(d, weights="relevance"), RelType.REQUIRES)
    assert {k: p["weight"] for k, p in base.items()} == {
        k: 1.0 if p["relevance"] == "ESSENTIAL" else 0.5 for k, p in base.items()
    }
    by_importance = rels(load_onet(d, weights="importance"), RelType.REQUIRES)
    by_both = rels(load_onet(d, weights="importance-level"), RelType.REQUIRES)
    for other in (by_importance, by_both):
        assert other.keys() == base.keys()
        for k, props in other.items():
            assert {**props, "weight": base[k]["weight"]} == base[k]
    reading = ("onet:15-1252.00", "onet-skill:2.A.1.a")  # importance 4.0, level 4.62
    assert by_importance[reading]["weight"] == 0.75
    assert by_both[reading]["weight"] == round((0.75 * 4.62 / 7) ** 0.5, 4)
    writing = ("onet:15-1252.00", "onet-skill:2.A.1.b")  # importance 3.2, no level
    assert by_importance[writing]["weight"] == by_both[writing]["weight"] == 0.55
    assert requirement_weight(3.0, None, "importance") == 0.5
    assert requirement_weight(5.0, 7.0, "importance-level") == 1.0
    assert requirement_weight(4.0, 0.0, "importance-level") == MIN_WEIGHT
    with pytest.raises(LoadError, match="weights: expected one of"):
        load_onet(d, weights="level")


def test_work_styles_can_be_left_out(tmp_path: Path) -> None:
    ds = load_onet(mini_onet(tmp_path), work_styles=False)
    kinds = {n.props.get("kind") for n in ds.nodes if n.type is NodeType.SKILL}
    assert kinds == {"HARD", "KNOWLEDGE"}
    assert ("onet:15-1252.01", "onet-skill:1.C.5.b") not in rels(ds, RelType.REQUIRES)
    assert "Work Styles.txt" not in ds.read_counts


def test_soc_groups() -> None:
    assert soc_groups("51-5112.00") == [("51-0000", 1), ("51-5100", 2), ("51-5110", 3)]
    assert soc_groups("not a code") == []


def test_bad_rows_name_file_and_line(tmp_path: Path) -> None:
    d = mini_onet(tmp_path)
    with (d / "Job Zones.txt").open("a", encoding="utf-8") as f:
        f.write("15-1252.00\tt\t9\n99-9999.00\tt\t2\n")
    workbook = openpyxl.load_workbook(d / "Knowledge.xlsx")
    workbook.active.append(rating("15-1252.00", "2.C.3.a", "Computers", "IM", "high"))
    workbook.save(d / "Knowledge.xlsx")
    with pytest.raises(LoadError) as err:
        load_onet(d)
    problems = err.value.problems
    assert f"{d / 'Job Zones.txt'}:4: Job Zone '9' (expected 1 to 5)" in problems
    assert any(
        p.startswith(f"{d / 'Job Zones.txt'}:5: unknown O*NET-SOC Code '99-9999.00'")
        for p in problems
    )
    assert f"{d / 'Knowledge.xlsx'}:3: Data Value 'high' is not a number" in problems
    skipped = load_onet(d, skip_bad_rows=True)
    assert sum("(skipped)" in w for w in skipped.warnings) == 3


def test_missing_file_or_column_is_named(tmp_path: Path) -> None:
    d = mini_onet(tmp_path)
    (d / "Interests.txt").unlink()
    with pytest.raises(LoadError, match=r"Interests\.txt: file not found"):
        load_onet(d)
    d2 = mini_onet(tmp_path / "b")
    write_xlsx(d2 / "Skills.xlsx", ["O*NET-SOC Code", "Title"], [["15-1252.00", "t"]])
    with pytest.raises(LoadError, match=r"Skills.xlsx:1: missing columns Element ID"):
        load_onet(d2)
    with pytest.raises(LoadError, match="not an O\\*NET release"):
        load_onet(tmp_path)


def test_cli_load_is_all_or_nothing(tmp_path: Path) -> None:
    d = mini_onet(tmp_path)
    store = str(tmp_path / "store.sqlite")

    def cli(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), env={"CARTONET_STORE": ""}, obj=None)

    loaded = cli("load", "onet", str(d), "--store", store, "-q")
    assert loaded.exit_code == 0, loaded.output
    assert "Loaded onet-29.3" in loaded.output
    before = json.loads(cli("stats", "--store", store, "--json").output)
    assert before["occupations"] == 2 and before["skills"] == 4
    with (d / "Job Zones.txt").open("a", encoding="utf-8") as f:
        f.write("15-1252.00\tt\tsix\n")
    (d / "Occupation Data.txt").write_text(
        "O*NET-SOC Code\tTitle\tDescription\n15-1252.00\tSoftware Developers\tx\n",
        encoding="utf-8",
    )
    failed = cli("load", "onet", str(d), "--store", store, "-q", "--replace")
    assert failed.exit_code == 1
    assert "Job Zones.txt:4: Job Zone 'six'" in failed.output
    assert json.loads(cli("stats", "--store", store, "--json").output) == before


# -- the real release -------------------------------------------------------------------


@pytest.fixture(scope="module")
def onet_dir(shared_data_dir: Path) -> Path:
    path = shared_data_dir / "onet" / "29.3"
    need(path.is_dir(), f"O*NET 29.3 not found at {path}")
    return path


@pytest.fixture(scope="module")
def onet_full(onet_dir: Path) -> Dataset:
    return load_onet(onet_dir)


def tsv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.mark.slow
@pytest.mark.shared_data
def test_real_release_counts_match_the_files(onet_full: Dataset, onet_dir: Path) -> None:
    # rows per file, as PROVENANCE.md lists them
    assert onet_full.read_counts == {
        "Content Model Reference.txt": 627,
        "Occupation Data.txt": 1016,
        "Skills.xlsx": 61530,
        "Knowledge.xlsx": 58014,
        "Work Styles.txt": 14064,
        "Interests.txt": 8307,
        "Job Zones.txt": 923,
        "Alternate Titles.xlsx": 56560,
        "Sample of Reported Titles.txt": 7796,
    }
    assert not [w for w in onet_full.warnings if "(skipped)" in w]
    types = Counter(n.type for n in onet_full.nodes)
    assert types[NodeType.OCCUPATION] == 1016
    kinds = Counter(n.props["kind"] for n in onet_full.nodes if n.type is NodeType.SKILL)
    work_styles = {r["Element ID"] for r in tsv_rows(onet_dir / "Work Styles.txt")}
    assert kinds == {"HARD": 35, "KNOWLEDGE": 33, "SOFT": len(work_styles)}
    zones = tsv_rows(onet_dir / "Job Zones.txt")
    with_zone = {n.id: n.props["jobZone"] for n in onet_full.nodes if "jobZone" in n.props}
    assert with_zone == {f"onet:{r['O*NET-SOC Code']}": int(r["Job Zone"]) for r in zones}
    # every occupation with a job zone has its entry level on the shared scale
    for n in onet_full.nodes:
        if "jobZone" in n.props:
            assert n.props["entryLevel"] == level_of_job_zone(n.props["jobZone"])
    # one MATCHES_INTEREST per non-zero high point of Interests.txt
    high_points = [r for r in tsv_rows(onet_dir / "Interests.txt") if r["Scale ID"] == "IH"]
    non_zero = sum(float(r["Data Value"]) > 0 for r in high_points)
    assert len(rels(onet_full, RelType.MATCHES_INTEREST)) == non_zero
    requires = rels(onet_full, RelType.REQUIRES)
    assert all(p["importance"] >= 3.0 for p in requires.values())
    # every REQUIRES edge is a Work Styles row with its importance, or a rated xlsx row
    styles = {
        (f"onet:{r['O*NET-SOC Code']}", f"onet-skill:{r['Element ID']}"): float(r["Data Value"])
        for r in tsv_rows(onet_dir / "Work Styles.txt")
        if r["Recommend Suppress"] != "Y"
    }
    soft = {k: p for k, p in requires.items() if k[1] in {f"onet-skill:{e}" for e in work_styles}}
    assert soft == {
        k: {
            "relevance": "ESSENTIAL" if v >= 3.5 else "OPTIONAL",
            "weight": round((v - 1) / 4, 4),
            "importance": v,
        }
        for k, v in styles.items()
        if v >= 3.0
    }
    titles = onet_full.nodes[[n.id for n in onet_full.nodes].index("onet:15-1252.00")]
    assert "Full Stack Developer" in titles.alt_labels["en"]


def test_cli_warnings_file_gets_every_warning(tmp_path: Path) -> None:
    d = mini_onet(tmp_path)
    with (d / "Job Zones.txt").open("a", encoding="utf-8") as f:
        f.writelines(f"15-1252.00\tt\t{9 + i}\n" for i in range(12))
    warnings = tmp_path / "warnings.txt"
    result = CliRunner().invoke(
        main,
        [
            *("load", "onet", str(d), "--store", str(tmp_path / "s.sqlite"), "-q"),
            *("--skip-bad-rows", "--warnings-file", str(warnings)),
        ],
        env={"CARTONET_STORE": ""},
        obj=None,
    )
    assert result.exit_code == 0, result.output
    lines = warnings.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 12 + 1  # the skipped rows, plus the note on suppressed ratings
    assert f"{d / 'Job Zones.txt'}:15: Job Zone '20' (expected 1 to 5) (skipped)" in lines
    assert "warnings: 13 (first 10)" in result.output
