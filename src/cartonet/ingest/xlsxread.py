"""Reading the first sheet of an ``.xlsx`` file like a CSV file (O*NET ships some tables
only as official ``.xlsx``).

:class:`XlsxTable` yields the same :class:`~cartonet.ingest.csvread.CsvRow` records as
:class:`~cartonet.ingest.csvread.CsvTable`, with the same rules: a missing file or missing
columns stop the load with one error naming the file; ``line`` is the sheet's row number
(the header is row 1), so a user finds a record where a spreadsheet shows it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from cartonet.errors import LoadError
from cartonet.ingest.csvread import PROGRESS_EVERY, CsvRow
from cartonet.ingest.problems import ProgressCallback


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # a whole-number cell ("8") comes back as 8.0 or 8: read both as "8"
        return str(int(value))
    return str(value).strip()


class XlsxTable:
    """Iterate the records of the first sheet of ``path``.

    Parameters
    ----------
    path:
        The workbook. Missing or unreadable → :class:`LoadError` naming it.
    required:
        Columns the loader uses; any missing from row 1 → one :class:`LoadError`.
    progress, phase, counts, key:
        As for :class:`~cartonet.ingest.csvread.CsvTable`.

    After iteration, :attr:`rows_read` holds the number of non-empty records.
    """

    def __init__(
        self,
        path: Path,
        required: Sequence[str],
        *,
        progress: ProgressCallback | None = None,
        phase: str | None = None,
        counts: dict[str, int] | None = None,
        key: str | None = None,
    ) -> None:
        self.path = path
        self.name = str(path)
        self.required = tuple(required)
        self.progress = progress
        self.phase = phase or path.name
        self.counts = counts
        self.key = key or path.name
        self.rows_read = 0
        self.header: list[str] = []

    def __iter__(self) -> Iterator[CsvRow]:
        # openpyxl is imported here: only the loaders that read workbooks pay for it
        import openpyxl

        if not self.path.is_file():
            raise LoadError(f"{self.name}: file not found")
        try:
            workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # zipfile / XML errors of a file that is not a workbook
            raise LoadError(f"{self.name}: not a readable .xlsx workbook ({exc})") from exc
        try:
            sheet = workbook.worksheets[0]
            total = sheet.max_row or 0
            rows = sheet.iter_rows(values_only=True)
            first = next(rows, None)
            if first is None:
                raise LoadError(f"{self.name}:1: empty sheet, a header row was expected")
            self.header = [_text(h) for h in first]
            missing = [c for c in self.required if c not in self.header]
            if missing:
                raise LoadError(
                    f"{self.name}:1: missing column{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(missing)} (the header has: {', '.join(self.header)})"
                )
            width = len(self.header)
            for line, cells in enumerate(rows, 2):
                if not any(c is not None and c != "" for c in cells):
                    continue
                self.rows_read += 1
                if self.progress and self.rows_read % PROGRESS_EVERY == 0:
                    self.progress(self.phase, line, total)
                values = {
                    self.header[i]: _text(cells[i]) if i < len(cells) else "" for i in range(width)
                }
                yield CsvRow(line, values)
            if self.progress:
                self.progress(self.phase, total, total)
        finally:
            workbook.close()
        if self.counts is not None:
            self.counts[self.key] = self.rows_read
