"""Configuration, read once from the environment; CLI flags override it.

| variable | meaning | default |
| --- | --- | --- |
| ``CARTONET_STORE`` | embedded store file, or a ``bolt://`` / ``neo4j://`` URL | default store |
| ``CARTONET_NEO4J_USER`` / ``CARTONET_NEO4J_PASSWORD`` | Neo4j login (none: auth off) | unset |
| ``CARTONET_NEO4J_DATABASE`` | Neo4j database name | ``neo4j`` |
| ``CARTONET_HOST`` / ``CARTONET_PORT`` | where ``cartonet serve`` listens | 127.0.0.1 / 8000 |
| ``CARTONET_DATA_DIR`` | where the default embedded store lives | ``~/.local/share/cartonet`` |
| ``CARTONET_WARM_UP`` | ``serve`` warms its caches at start-up; ``0``/``off``: no | on |
| ``CARTONET_WARM_CACHE`` | the warm-up keeps its results on disk (see below); ``off``: no | on |
| ``CARTONET_CACHE_DIR`` | where those files go | store's folder (Neo4j: data dir) |
| ``CARTONET_MAX_BODY_BYTES`` | largest ``/graphql`` request body (413 above) | 1000000 |
| ``CARTONET_BODY_TIMEOUT`` | seconds a request body may take to arrive (408 after) | 10 |
| ``CARTONET_HEADER_TIMEOUT`` | seconds request headers may take (connection closed after) | 10 |
| ``CARTONET_REQUEST_TIMEOUT`` | seconds one GraphQL operation may run (``TIMEOUT`` after) | 30 |
| ``CARTONET_CORS_ORIGINS`` | browser origins allowed to call the API, comma-separated | none |
| ``CARTONET_CACHE_MAX_AGE`` | ``max-age`` of GET answers, seconds (0: ``no-cache``) | 0 |

The warm-up cache (:mod:`cartonet.orientation.persist`) lets a restart on an unchanged
graph read back the orientation projection, index and maps instead of rebuilding them.

With no ``CARTONET_STORE``, the service uses the *default store*: an embedded store in the
data dir, filled with the bundled fixtures the first time it is opened.

A variable holding a value that cannot be read (``CARTONET_PORT=eighty``) raises
:class:`~cartonet.errors.InvalidArgument` naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from cartonet.errors import InvalidArgument

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


@dataclass(frozen=True, slots=True)
class Settings:
    store: str | None = None
    neo4j_user: str | None = None
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"
    host: str = "127.0.0.1"
    port: int = 8000
    # a Path is immutable, so one default instance shared by every Settings is safe
    data_dir: Path = Path("~/.local/share/cartonet").expanduser()  # noqa: RUF009
    warm_up: bool = True
    # on through from_env (the CLI); off for a Settings made in code (tests, embedding
    # apps), so it writes no file next to a store unless asked
    warm_cache: bool = False
    cache_dir: Path | None = None
    max_body_bytes: int = 1_000_000
    body_timeout: float = 10.0
    header_timeout: float = 10.0
    request_timeout: float = 30.0
    cors_origins: tuple[str, ...] = ()
    cache_max_age: int = 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        xdg = env.get("XDG_DATA_HOME")
        default_dir = Path(xdg) / "cartonet" if xdg else Path("~/.local/share/cartonet")
        return cls(
            store=env.get("CARTONET_STORE") or None,
            neo4j_user=env.get("CARTONET_NEO4J_USER") or None,
            neo4j_password=env.get("CARTONET_NEO4J_PASSWORD") or None,
            neo4j_database=env.get("CARTONET_NEO4J_DATABASE") or "neo4j",
            host=env.get("CARTONET_HOST") or "127.0.0.1",
            port=_port(env, "CARTONET_PORT", 8000),
            data_dir=Path(env.get("CARTONET_DATA_DIR") or default_dir).expanduser(),
            warm_up=_flag(env, "CARTONET_WARM_UP", True),
            warm_cache=_flag(env, "CARTONET_WARM_CACHE", True),
            cache_dir=Path(env["CARTONET_CACHE_DIR"]).expanduser()
            if env.get("CARTONET_CACHE_DIR")
            else None,
            max_body_bytes=int(_number(env, "CARTONET_MAX_BODY_BYTES", 1_000_000, integer=True)),
            body_timeout=_number(env, "CARTONET_BODY_TIMEOUT", 10.0),
            header_timeout=_number(env, "CARTONET_HEADER_TIMEOUT", 10.0),
            request_timeout=_number(env, "CARTONET_REQUEST_TIMEOUT", 30.0),
            cors_origins=tuple(
                o.strip() for o in (env.get("CARTONET_CORS_ORIGINS") or "").split(",") if o.strip()
            ),
            cache_max_age=int(_number(env, "CARTONET_CACHE_MAX_AGE", 0, integer=True)),
        )

    def with_overrides(self, **overrides: object) -> Settings:
        """A copy with the CLI flags that were given (``None`` means not given)."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def is_neo4j(self) -> bool:
        return bool(self.store) and self.store.startswith(NEO4J_SCHEMES)

    @property
    def uses_default_store(self) -> bool:
        return not self.store

    @property
    def embedded_path(self) -> Path:
        """The embedded store's file (the default store's when none is set)."""
        if self.is_neo4j:
            raise ValueError("the store is a Neo4j URL, not a file")
        return Path(self.store).expanduser() if self.store else self.data_dir / "default.sqlite"


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name) or ""
    if not text:
        return default
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise InvalidArgument(name, f"must be a port number (0 to 65535), got {text!r}")
    return port


def _number(env: Mapping[str, str], name: str, default: float, *, integer: bool = False) -> float:
    text = (env.get(name) or "").strip()
    if not text:
        return default
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        value = -1
    if not 0 < value < 1e9 and not (integer and value == 0):
        kind = "a whole number" if integer else "a number of seconds"
        raise InvalidArgument(name, f"must be {kind} above 0, got {text!r}")
    return value


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    text = (env.get(name) or "").strip().lower()
    if not text:
        return default
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    words = "/".join(TRUE_WORDS + FALSE_WORDS)
    raise InvalidArgument(name, f"must be one of {words}, got {env[name]!r}")
