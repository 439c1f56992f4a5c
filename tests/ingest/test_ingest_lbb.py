"""Observed-mobility loader: a small hand-made folder (mapping, bad rows) and the real
2021 files (counts checked against the files)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cartonet.errors import LoadError
from cartonet.ingest.lbb import COMMUNES_FILE, MOVES_FILE, load_lbb
from cartonet.model import ObservedMove
from cartonet_testing import need


def mini_lbb(root: Path, extra_moves: str = "", extra_communes: str = "") -> Path:
    d = root / "lbb"
    d.mkdir(parents=True, exist_ok=True)
    (d / MOVES_FILE).write_text(
        "code_bassin_emploi,rome,rome_connexe,score\n"
        "101,J1505,K1303,.63646972\n"
        "101,J1505,K1302,.9533205\n"
        "201,J1505,J1307,.76273501\n" + extra_moves,
        encoding="utf-8",
    )
    (d / COMMUNES_FILE).write_text(
        "code_insee,code_bassin_emploi\n97104,101\n2A004,9401\n" + extra_communes,
        encoding="utf-8",
    )
    return d


def test_mini_folder_maps_both_files(tmp_path: Path) -> None:
    data = load_lbb(mini_lbb(tmp_path))
    assert data.source == "lbb-2021"
    assert data.moves == [
        ObservedMove("rome:J1505", "rome:K1302", 0.9533205, area="101"),
        ObservedMove("rome:J1505", "rome:K1303", 0.63646972, area="101"),
        ObservedMove("rome:J1505", "rome:J1307", 0.76273501, area="201"),
    ]
    assert data.communes == {"2A004": "9401", "97104": "101"}
    assert data.read_counts == {MOVES_FILE: 3, COMMUNES_FILE: 2}
    # area 201 has moves but no commune: said, not refused
    assert any("1 areas have moves but no commune" in w for w in data.warnings)


def test_bad_rows_name_file_and_line(tmp_path: Path) -> None:
    d = mini_lbb(
        tmp_path,
        "101,J1505,K1303,.5\n101,X15,K1303,.5\n101,J1505,J1505,.5\n101,J1505,D1208,1.5\n",
        "97104,102\n7510,101\n",
    )
    with pytest.raises(LoadError) as err:
        load_lbb(d)
    moves, communes = d / MOVES_FILE, d / COMMUNES_FILE
    assert err.value.problems == [
        f"{moves}:5: the move J1505 → K1303 in area 101 is listed twice",
        f"{moves}:6: 'X15' → 'K1303': not ROME codes (letter and 4 digits)",
        f"{moves}:7: a move from J1505 to itself",
        f"{moves}:8: score '1.5' is not a number in (0, 1]",
        f"{communes}:4: commune 97104 is in area 101 already",
        f"{communes}:5: code_insee '7510' is not an INSEE commune code",
    ]
    skipped = load_lbb(d, skip_bad_rows=True)
    assert len(skipped.moves) == 3 and sum("(skipped)" in w for w in skipped.warnings) == 6


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"no lbb-pse_bassin-emploi_rome-connexe\.csv inside"):
        load_lbb(tmp_path)
    d = mini_lbb(tmp_path)
    (d / COMMUNES_FILE).unlink()
    with pytest.raises(LoadError, match="file not found"):
        load_lbb(d)


@pytest.mark.shared_data
def test_real_files_counts(shared_data_dir: Path) -> None:
    d = shared_data_dir / "rome" / "labonneboite_2021"
    need((d / MOVES_FILE).is_file(), f"labonneboite 2021 observed mobility not found at {d}")
    data = load_lbb(d)
    with (d / MOVES_FILE).open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with (d / COMMUNES_FILE).open(encoding="utf-8") as f:
        communes = list(csv.DictReader(f))
    assert data.read_counts == {MOVES_FILE: len(rows), COMMUNES_FILE: len(communes)}
    assert len(data.moves) == len(rows) == 60206
    assert len({m.area for m in data.moves}) == len({r["code_bassin_emploi"] for r in rows})
    assert len({(m.start, m.end) for m in data.moves}) == 3566  # PROVENANCE.md
    assert len(data.communes) == len(communes) == 38283
    assert data.warnings == []
