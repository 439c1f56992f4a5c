"""CsvTable: line numbers, header checks, malformed records, progress; label helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

from cartonet.errors import LoadError
from cartonet.ingest.csvread import CsvTable, count_lines
from cartonet.ingest.labels import gender_forms, split_lines, split_pipes
from cartonet.ingest.problems import Problems

MULTILINE = (
    "id,label,notes\n"
    'a,first,"one line"\n'
    'b,second,"three\nphysical\nlines"\n'
    "c,third,\n"
    "\n"
    "d,fourth,x\n"
)


def rows(path: Path, problems: Problems, **kw) -> list[tuple[int, str]]:
    return [(r.line, r["id"]) for r in CsvTable(path, ["id", "label"], problems, **kw)]


def test_line_numbers_are_physical_start_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(MULTILINE, encoding="utf-8")
    problems = Problems()
    # "b" spans lines 3-5, so "c" starts on line 6; line 7 is blank; "d" is on line 8.
    assert rows(path, problems) == [(2, "a"), (3, "b"), (6, "c"), (8, "d")]
    assert problems.bad_rows == []


def test_rows_read_counts_records_not_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(MULTILINE, encoding="utf-8")
    counts: dict[str, int] = {}
    table = CsvTable(path, ["id"], Problems(), counts=counts, key="t")
    list(table)
    assert table.rows_read == 4
    assert counts == {"t": 4}
    assert count_lines(path) == 8


def test_missing_columns_name_the_file_and_every_column(tmp_path: Path) -> None:
    path = tmp_path / "skills.csv"
    path.write_text("conceptUri,label\nx,y\n", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        list(CsvTable(path, ["conceptUri", "skillType", "reuseLevel"], Problems()))
    message = str(err.value)
    assert f"{path}:1:" in message
    assert "skillType" in message and "reuseLevel" in message
    assert "conceptUri," not in message.split("header has")[0]


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"nothere\.csv: file not found"):
        list(CsvTable(tmp_path / "nothere.csv", ["id"], Problems()))


def test_wrong_field_count_is_a_bad_row_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id,label\na,1\nb,2,extra\nc\nd,4\n", encoding="utf-8")
    problems = Problems()
    assert rows(path, problems) == [(2, "a"), (5, "d")]
    assert [str(p) for p in problems.bad_rows] == [
        f"{path}:3: 3 fields where the header has 2 (a stray quote or separator?)",
        f"{path}:4: 1 fields where the header has 2 (a stray quote or separator?)",
    ]


def test_short_rows_padded_when_allowed(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id,label,more\na,1\n", encoding="utf-8")
    problems = Problems()
    table = CsvTable(path, ["id"], problems, pad_short_rows=True)
    assert [r.values for r in table] == [{"id": "a", "label": "1", "more": ""}]
    assert problems.bad_rows == []


def test_bad_quoting_is_reported_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('id,label\na,1\nb,"two"x\nc,3\n', encoding="utf-8")
    problems = Problems()
    assert rows(path, problems) == [(2, "a"), (4, "c")]
    assert len(problems.bad_rows) == 1
    assert str(problems.bad_rows[0]).startswith(f"{path}:3: malformed CSV")


def test_undoubled_apostrophes(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('"id","label"\n"1","Racine de l\'\'arborescence"\n', encoding="utf-8")
    table = CsvTable(path, ["label"], Problems(), undouble_apostrophes=True)
    assert [r["label"] for r in table] == ["Racine de l'arborescence"]


def test_not_utf8_is_refused_with_a_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"id,label\na,caf\xe9\n")
    with pytest.raises(LoadError) as err:
        list(CsvTable(path, ["id"], Problems()))
    assert f"{path}:2: not UTF-8 text (byte 0xe9)" in str(err.value)


def test_progress_reaches_the_total(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cartonet.ingest.csvread.PROGRESS_EVERY", 2)
    path = tmp_path / "t.csv"
    path.write_text("id\n" + "".join(f"{i}\n" for i in range(7)), encoding="utf-8")
    calls: list[tuple[str, int, int]] = []
    list(CsvTable(path, ["id"], Problems(), progress=lambda *a: calls.append(a), phase="p"))
    assert [c[1] for c in calls] == [3, 5, 7, 8]
    assert all(c[0] == "p" and c[2] == 8 for c in calls)


def test_strict_problems_raise_and_skip_mode_warns() -> None:
    strict = Problems()
    strict.bad("f.csv", 3, "broken")
    with pytest.raises(LoadError) as err:
        strict.raise_if_any("load")
    assert "f.csv:3: broken" in str(err.value)
    lenient = Problems(skip_bad_rows=True)
    lenient.bad("f.csv", 3, "broken")
    lenient.raise_if_any("load")
    assert lenient.warnings == ["f.csv:3: broken (skipped)"]


@pytest.mark.parametrize(
    ("label", "sep", "expected"),
    [
        ("directeur technique/directrice technique", "/",
         ("directeur technique", "directrice technique")),
        ("vendeur/vendeuse en articles de sport", "/",
         ("vendeur en articles de sport", "vendeuse en articles de sport")),
        ("steward/hôtesse", "/", ("steward", "hôtesse")),
        ("raboteur / raboteuse", "/", ("raboteur", "raboteuse")),
        ("formateur «lutte contre l’illettrisme/FLE»/formatrice «lutte contre l’illettrisme/FLE»",
         "/", ("formateur «lutte contre l’illettrisme/FLE»",
               "formatrice «lutte contre l’illettrisme/FLE»")),
        ("Agent / Agente de maîtrise", " / ", ("Agent de maîtrise", "Agente de maîtrise")),
        ("Agent chargé / Agente chargée de protection", " / ",
         ("Agent chargé de protection", "Agente chargée de protection")),
        ("Chef de rayon boucherie/charcuterie", " / ", ()),
        ("responsable développement/expansion immobilière", "/", ()),
        ("physiothérapeute", "/", ()),
        ("a / b / c", " / ", ()),
    ],
)  # fmt: skip
def test_gender_forms(label: str, sep: str, expected: tuple[str, ...]) -> None:
    assert gender_forms(label, sep) == expected


def test_list_splitters() -> None:
    assert split_lines("a\n b \n\na\nc") == ["a", "b", "c"]
    assert split_pipes("x | y |x| ") == ["x", "y"]
