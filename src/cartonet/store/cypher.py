"""The Cypher statements of the Neo4j store, read from the ``cypher/*.cypher`` files.

Every statement the service runs lives in a ``.cypher`` file (one file per statement
group), so data teams can read, review and reuse them without reading Python. A file holds
named statements, each introduced by a ``// name: <statement name>`` line; other ``//``
lines are comments and stay part of the text (Cypher ignores them).

Values always travel as parameters (``$rows``, ``$ids``...). The only text ever put into
a statement is a node label or relationship type, because Cypher cannot take those as
parameters in the patterns that use indexes: a statement marks the spot with ``{label}``
or ``{rel}``, and :meth:`Statements.render` fills it from :class:`~cartonet.model.NodeType`
or :class:`~cartonet.model.RelType` members only, never from a string a user typed.

In a source checkout the files are in ``<repo>/cypher``; in an installed wheel they are
packaged as ``cartonet/_cypher`` (see ``pyproject.toml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cartonet.model import NodeType, RelType

_NAME = re.compile(r"^//\s*name:\s*([a-z_][a-z0-9_]*)\s*$")
_SLOT = re.compile(r"\{(label|rel)\}")


def cypher_dir() -> Path:
    """The folder holding the ``.cypher`` files (packaged copy first, then the checkout)."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_cypher", package.parents[1] / "cypher"):
        if candidate.is_dir() and any(candidate.glob("*.cypher")):
            return candidate
    raise FileNotFoundError(
        f"no .cypher files in {package / '_cypher'} nor {package.parents[1] / 'cypher'}"
    )


def parse(text: str, origin: str = "<text>") -> dict[str, str]:
    """Named statements of one file's ``text``: ``{name: statement}``, in file order.

    >>> parse("// name: one\\nRETURN 1\\n// name: two\\nRETURN 2")
    {'one': 'RETURN 1', 'two': 'RETURN 2'}
    """
    statements: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = _NAME.match(line.strip())
        if match:
            name = match.group(1)
            if name in statements:
                raise ValueError(f"{origin}:{number}: statement '{name}' named twice")
            current = statements[name] = []
        elif current is not None:
            current.append(line)
        elif line.strip() and not line.strip().startswith("//"):
            raise ValueError(f"{origin}:{number}: text before the first '// name:' line")
    result = {name: "\n".join(lines).strip() for name, lines in statements.items()}
    for name, body in result.items():
        if not body:
            raise ValueError(f"{origin}: statement '{name}' is empty")
    return result


@dataclass(frozen=True, slots=True)
class Statements:
    """All named statements of the ``.cypher`` files, looked up by name."""

    by_name: dict[str, str]
    origin: dict[str, str]

    def __getitem__(self, name: str) -> str:
        text = self.by_name[name]
        if _SLOT.search(text):
            raise ValueError(f"statement '{name}' has a {{label}}/{{rel}} slot: use render()")
        return text

    def render(
        self, name: str, *, label: NodeType | None = None, rel: RelType | None = None
    ) -> str:
        """Statement ``name`` with its ``{label}`` / ``{rel}`` slots filled from enum members."""
        text = self.by_name[name]
        wanted = set(_SLOT.findall(text))
        given = {"label": label, "rel": rel}
        for slot in ("label", "rel"):
            value = given[slot]
            if (slot in wanted) != (value is not None):
                raise ValueError(f"statement '{name}': slot {{{slot}}} given={value is not None}")
        if label is not None and not isinstance(label, NodeType):
            raise TypeError(f"label must be a NodeType, got {label!r}")
        if rel is not None and not isinstance(rel, RelType):
            raise TypeError(f"rel must be a RelType, got {rel!r}")
        # Enum values are fixed identifiers ([A-Za-z_]+); backticks keep them inert anyway.
        return _SLOT.sub(lambda m: f"`{given[m.group(1)].value}`", text)

    def group(self, file_stem: str) -> list[str]:
        """Names of the statements of one file, in file order."""
        return [name for name, stem in self.origin.items() if stem == file_stem]


@cache
def statements(folder: Path | None = None) -> Statements:
    """Every named statement of every ``.cypher`` file in ``folder`` (default: the project's).

    A name must be unique across files, so a statement is found by name alone.
    """
    folder = folder or cypher_dir()
    by_name: dict[str, str] = {}
    origin: dict[str, str] = {}
    for path in sorted(folder.glob("*.cypher")):
        for name, text in parse(path.read_text(encoding="utf-8"), path.name).items():
            if name in by_name:
                raise ValueError(f"{path.name}: statement '{name}' also in {origin[name]}.cypher")
            by_name[name], origin[name] = text, path.stem
    return Statements(by_name, origin)
