"""Errors that users see. Each one names what went wrong and where."""

from __future__ import annotations

from collections.abc import Sequence


class CartonetError(Exception):
    """Base class: any error meant for a user, with a message that stands on its own."""


class DataError(CartonetError):
    """One bad input record, as ``file:line: reason``."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file, self.line, self.reason = file, line, reason
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {reason}")


class LoadError(CartonetError):
    """A load refused as a whole; nothing was written. Lists the first problems found."""

    def __init__(self, summary: str, problems: Sequence[str | DataError] = (), limit: int = 20):
        self.summary = summary
        self.problems = [str(p) for p in problems]
        shown = self.problems[:limit]
        more = len(self.problems) - len(shown)
        lines = [summary, *(f"  {p}" for p in shown)]
        if more > 0:
            lines.append(f"  ... and {more} more")
        super().__init__("\n".join(lines))


class StoreUnavailable(CartonetError):
    """The store cannot be reached (database down, file unreadable). Safe to retry later."""


class InvalidArgument(CartonetError):
    """A caller's argument is out of range or malformed; names the argument."""

    def __init__(self, argument: str, reason: str) -> None:
        self.argument, self.reason = argument, reason
        super().__init__(f"invalid argument '{argument}': {reason}")
