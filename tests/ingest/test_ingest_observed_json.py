"""The cartonet-observed file (observed mobility beside a graph export): written and read
back the same; a bad item is refused with its JSON path, nothing half-read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cartonet.errors import LoadError
from cartonet.ingest.observed_json import read_observed_json, write_observed_json
from cartonet.model import ObservedMobility, ObservedMove

# Rows of labonneboite_2021/lbb-pse_bassin-emploi_rome-connexe.csv and ..._code-insee.csv
DATA = ObservedMobility(
    "lbb-2021",
    [
        ObservedMove("rome:C1202", "rome:M1805", 0.9509598, "101"),
        ObservedMove("rome:J1505", "rome:K1303", 0.63646972, "101"),
    ],
    {"97102": "102", "97104": "101"},
)


def test_written_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "g.observed.json"
    write_observed_json([DATA], path)
    assert read_observed_json(path) == [DATA]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["sources"][0]["moves"][1].__setitem__(3, 1.5),
            r"moves\[1\]: score: must be in \(0, 1\]",
        ),
        (
            lambda d: d["sources"][0]["moves"].append(d["sources"][0]["moves"][0]),
            r"moves\[2\]: appears twice",
        ),
        (
            lambda d: d["sources"][0]["moves"][0].__setitem__(1, ""),
            r"moves\[0\]: start: a non-empty string",
        ),
        (lambda d: d["sources"][0]["communes"].__setitem__("97105", 101), r"communes.97105: area"),
        (
            lambda d: d.__setitem__("format", "cartonet-graph"),
            r"format: expected 'cartonet-observed'",
        ),
        (lambda d: d["sources"][0].pop("communes"), r"sources\[0\]: an object with exactly"),
    ],
)
def test_bad_items_are_named(tmp_path: Path, edit: object, message: str) -> None:
    path = tmp_path / "g.observed.json"
    write_observed_json([DATA], path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc)  # type: ignore[operator]
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(LoadError, match=message):
        read_observed_json(path)
