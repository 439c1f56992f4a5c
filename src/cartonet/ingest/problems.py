"""The bad-row policy shared by every loader.

A loader reports each malformed record to a :class:`Problems` collector instead of raising
at once, so one run lists many problems (a user fixes them all in one go, not one per run).

* **strict** (the default): at the end of the read, if any record was bad,
  :meth:`Problems.raise_if_any` raises one :class:`~cartonet.errors.LoadError` listing them
  (``file:line: reason``) and the loader returns nothing, so nothing is written.
* **skip** (``skip_bad_rows=True``): bad records are dropped and each one is recorded as a
  warning ``file:line: reason (skipped)`` in :attr:`cartonet.model.Dataset.warnings`.

Repairs that follow a documented rule (a data quirk of a known release) are not bad rows:
they go to :meth:`Problems.warn` in both modes.
"""

from __future__ import annotations

from collections.abc import Callable

from cartonet.errors import DataError, LoadError

ProgressCallback = Callable[[str, int, int], None]
"""``progress(phase, done, total)``, the same shape as the store's progress callback."""


class Problems:
    """Collects bad records and warnings during one load."""

    def __init__(self, skip_bad_rows: bool = False) -> None:
        self.skip_bad_rows = skip_bad_rows
        self.bad_rows: list[DataError] = []
        self.warnings: list[str] = []
        self._leading = 0

    def bad(self, file: str, line: int | None, reason: str) -> None:
        """A record that cannot be loaded as it is."""
        error = DataError(file, line, reason)
        self.bad_rows.append(error)
        if self.skip_bad_rows:
            self.warnings.append(f"{error} (skipped)")

    def warn(self, file: str, line: int | None, reason: str, *, first: bool = False) -> None:
        """Something repaired or left out by a documented rule. ``first`` puts it ahead of
        the others (for what changes the counts, which a reader should see first)."""
        text = str(DataError(file, line, reason))
        if first:
            self.warnings.insert(self._leading, text)
            self._leading += 1
        else:
            self.warnings.append(text)

    def raise_if_any(self, what: str) -> None:
        """In strict mode, refuse the whole load if any record was bad."""
        if self.bad_rows and not self.skip_bad_rows:
            n = len(self.bad_rows)
            raise LoadError(
                f"{what}: {n} bad record{'s' if n != 1 else ''}; nothing was loaded "
                "(fix them, or pass skip_bad_rows / --skip-bad-rows to drop them)",
                self.bad_rows,
            )
