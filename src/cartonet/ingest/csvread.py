"""Reading taxonomy CSV files with line numbers, header checks and progress.

Every loader reads its CSV files through :class:`CsvTable`, so every file gets the same
treatment: a missing file or missing columns stop the load at once with one error naming
the file; a malformed record (bad quoting, wrong number of fields) goes to the
:class:`~cartonet.ingest.problems.Problems` collector as ``file:line: reason``, where
``line`` is the physical line on which the record *starts* (a quoted field may span
several lines, so this is not the record's index). Every field of every record must pass
:func:`~cartonet.ingest.textcheck.text_problem` (no control character, at most
:data:`~cartonet.ingest.textcheck.MAX_FIELD_CHARS` characters), else the record is bad.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from cartonet.errors import DataError, LoadError
from cartonet.ingest.problems import Problems, ProgressCallback
from cartonet.ingest.textcheck import MAX_FIELD_CHARS, text_problem

# ESCO's conceptSchemes file has a field of 600 kB; the csv default limit is 128 kB.
csv.field_size_limit(1 << 26)

PROGRESS_EVERY = 5000
"""Records between two progress calls."""


def companion_dir(dir: Path, given: Path | None, default_name: str, what: str) -> Path | None:
    """The folder of extra files a loader reads beside ``dir``: ``given`` if it exists (a
    missing one is a ``LoadError`` naming ``what``), else ``dir.parent / default_name`` when
    that exists, else None (the extra files are optional)."""
    if given is None:
        candidate = dir.parent / default_name
        return candidate if candidate.is_dir() else None
    if not Path(given).is_dir():
        raise LoadError(f"{given}: no such folder ({what})")
    return given


def rows_of(uses: Counter[str]) -> str:
    """``uses`` (rows per file name) as "1 row of a.csv, 3 rows of b.csv", files sorted."""
    return ", ".join(f"{n} row{'s' * (n != 1)} of {f}" for f, n in sorted(uses.items()))


def count_lines(path: Path) -> int:
    """Physical lines in ``path`` (the progress total), counted on raw bytes: fast."""
    n, last = 0, b""
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            n += chunk.count(b"\n")
            last = chunk
    return n + (1 if last and not last.endswith(b"\n") else 0)


class CsvRow:
    """One record: its starting line and its values by column (stripped, ``''`` if absent)."""

    __slots__ = ("line", "values")

    def __init__(self, line: int, values: dict[str, str]) -> None:
        self.line = line
        self.values = values

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")

    def __repr__(self) -> str:
        return f"CsvRow(line={self.line}, values={self.values!r})"


class CsvTable:
    """Iterate the records of one CSV file.

    Parameters
    ----------
    path:
        The file. Missing → :class:`LoadError` naming it.
    required:
        Columns the loader uses. Any missing from the header → one :class:`LoadError`
        naming the file and every missing column.
    problems:
        Where malformed records are reported (see :mod:`cartonet.ingest.problems`).
    delimiter:
        Field separator (``,`` for ESCO and ROME, ``;`` or ``|`` for the labonneboite files).
    pad_short_rows:
        Accept records with fewer fields than the header, the missing ones read as empty
        (ESCO's ``skillsHierarchy`` files leave trailing empty columns out). Otherwise such a
        record is a bad row, like one with too many fields.
    undouble_apostrophes:
        Replace ``''`` by ``'`` in every value (the ROME v3 export doubles apostrophes inside
        quoted fields, as in an SQL dump).
    progress, phase:
        ``progress(phase, line, total_lines)`` every :data:`PROGRESS_EVERY` records and at
        the end.
    counts, key:
        When given, ``counts[key]`` is set to :attr:`rows_read` once the file is read
        (a loader's ``read_counts``).

    After iteration, :attr:`rows_read` holds the number of records (header excluded, bad
    records included): the figure to check against the file.

    Example
    -------
    >>> table = CsvTable(path, ["conceptUri", "preferredLabel"], Problems())  # doctest: +SKIP
    >>> for row in table:  # doctest: +SKIP
    ...     print(row.line, row["conceptUri"])
    """

    def __init__(
        self,
        path: Path,
        required: Sequence[str],
        problems: Problems,
        *,
        delimiter: str = ",",
        pad_short_rows: bool = False,
        undouble_apostrophes: bool = False,
        progress: ProgressCallback | None = None,
        phase: str | None = None,
        counts: dict[str, int] | None = None,
        key: str | None = None,
    ) -> None:
        self.path = path
        self.name = str(path)
        self.required = tuple(required)
        self.problems = problems
        self.delimiter = delimiter
        self.pad_short_rows = pad_short_rows
        self.undouble_apostrophes = undouble_apostrophes
        self.progress = progress
        self.phase = phase or path.name
        self.rows_read = 0
        self.header: list[str] = []
        self.counts = counts
        self.key = key or path.name

    def __iter__(self) -> Iterator[CsvRow]:
        if not self.path.is_file():
            raise LoadError(f"{self.name}: file not found")
        total = count_lines(self.path) if self.progress else 0
        with self.path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f, delimiter=self.delimiter, strict=True)
            self.header = self._read_header(reader)
            width = len(self.header)
            previous_end = reader.line_num
            while True:
                try:
                    fields = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    self.rows_read += 1
                    self.problems.bad(self.name, previous_end + 1, f"malformed CSV: {exc}")
                    previous_end = reader.line_num
                    continue
                except UnicodeDecodeError as exc:
                    raise self._not_utf8() from exc
                start, previous_end = previous_end + 1, reader.line_num
                if not fields:
                    continue
                self.rows_read += 1
                if self.progress and self.rows_read % PROGRESS_EVERY == 0:
                    self.progress(self.phase, reader.line_num, total)
                if len(fields) != width:
                    if len(fields) < width and self.pad_short_rows:
                        fields = fields + [""] * (width - len(fields))
                    else:
                        self.problems.bad(
                            self.name,
                            start,
                            f"{len(fields)} fields where the header has {width}"
                            " (a stray quote or separator?)",
                        )
                        continue
                problem = self._field_problem(fields)
                if problem is not None:
                    self.problems.bad(self.name, start, problem)
                    continue
                if self.undouble_apostrophes:
                    fields = [v.replace("''", "'") for v in fields]
                values = {k: v.strip() for k, v in zip(self.header, fields, strict=True)}
                yield CsvRow(start, values)
            if self.progress:
                self.progress(self.phase, total, total)
        if self.counts is not None:
            self.counts[self.key] = self.rows_read

    def _field_problem(self, fields: list[str]) -> str | None:
        """The first field breaking the text rules, named by its column; one joined check
        first, so a clean record (nearly all of them) costs one regex pass."""
        joined = "".join(fields)
        if len(joined) <= MAX_FIELD_CHARS and text_problem(joined, "") is None:
            return None
        for column, value in zip(self.header, fields, strict=True):
            problem = text_problem(value, f"column {column}")
            if problem is not None:
                return problem
        return None

    def _not_utf8(self) -> LoadError:
        """Locate the first invalid byte (text mode decodes ahead, so the reader's line
        number is not where the byte is)."""
        raw = self.path.read_bytes()
        try:
            raw.decode("utf-8")
            where, reason = None, "not UTF-8 text"
        except UnicodeDecodeError as exc:
            where = raw[: exc.start].count(b"\n") + 1
            reason = f"not UTF-8 text (byte 0x{raw[exc.start]:02x})"
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            where = 1
            reason = "UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8"
        return LoadError(
            f"{self.name}: cannot read the file", [DataError(self.name, where, reason)]
        )

    def _read_header(self, reader: Iterator[list[str]]) -> list[str]:
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise LoadError(f"{self.name}:1: empty file, a header line was expected") from None
        except UnicodeDecodeError as exc:
            raise self._not_utf8() from exc
        except csv.Error as exc:
            raise LoadError(f"{self.name}:1: unreadable header ({exc})") from exc
        missing = [c for c in self.required if c not in header]
        if missing:
            raise LoadError(
                f"{self.name}:1: missing column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)} (the header has: {', '.join(header)})"
            )
        return header
