"""The ASGI app: GraphQL, health probes and the explorer page, over one store.

Routes:

* ``/graphql`` — GraphQL over POST (and GET for queries); for a browser (``Accept:
  text/html``, no query), GraphiQL built from npm packages and served from the package
  itself, so it works offline (no CDN);
* ``/healthz`` — 200 while the process is alive;
* ``/readyz`` — 200 when the store answers a ping, 503 with a JSON reason otherwise,
  always within :data:`READY_TIMEOUT` seconds; both bodies also say how far the start-up
  warm-up is (``"warm"``, see :mod:`cartonet.api.warmup`);
* ``/`` — the orientation guide, a single-page app built from ``web/`` (``make web``) into
  ``cartonet/web/dist``; it talks to the service through ``/graphql`` only;
* ``/static/...`` — the built assets of both pages (content-hashed names).

Nothing lives at module level: :func:`create_app` builds everything from the settings it is
given, so tests and the CLI can run several apps side by side.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from importlib import resources

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from cartonet.errors import StoreUnavailable
from cartonet.settings import Settings
from cartonet.store import make_store
from cartonet.store.base import Store

from .context import AppState, Context
from .limits import Limits
from .loaders import Loaders
from .schema import QUERY_PARTS, build_schema
from .warmup import warm_up as run_warm_up

log = logging.getLogger("cartonet.api")

READY_TIMEOUT = 1.5
"""Seconds ``/readyz`` waits for the store; keeps the answer under the 2 s probes expect."""


class GraphQLView(GraphQL):
    """Strawberry's ASGI view with Carto.net's per-request context."""

    def __init__(self, schema: object, state: AppState) -> None:
        # no IDE from strawberry: its GraphiQL loads scripts from a CDN (see BrowserIDE)
        super().__init__(schema, graphql_ide=None)  # type: ignore[arg-type]
        self._state = state

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        ctx = Context(state=self._state, loaders=None, request=request)  # type: ignore[arg-type]
        ctx.loaders = Loaders(self._state.store, read=ctx.read)
        return ctx


WEB_DIST = resources.files("cartonet.web").joinpath("dist")
"""Built pages and assets (``make web``), shipped inside the package."""


def _page(name: str) -> str:
    return WEB_DIST.joinpath(name).read_text(encoding="utf-8")


class BrowserIDE:
    """``/graphql``: a browser asking for HTML without a query gets the offline GraphiQL
    page; every other request goes to the GraphQL view."""

    def __init__(self, graphql: ASGIApp, page: str) -> None:
        self.graphql = graphql
        self.page = HTMLResponse(page)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            request = Request(scope)
            if "text/html" in request.headers.get("accept", "") and not request.query_params:
                await self.page(scope, receive, send)
                return
        await self.graphql(scope, receive, send)


def create_app(
    settings: Settings,
    store: Store | None = None,
    *,
    query_parts: Sequence[type] = QUERY_PARTS,
    limits: Limits | None = None,
    read_timeout: float = 10.0,
    warm_up: bool = False,
) -> Starlette:
    """The Carto.net ASGI app.

    Parameters
    ----------
    settings : read once by the caller (``Settings.from_env()`` plus CLI flags).
    store : the store to serve; by default the one ``settings`` names (``make_store``).
        The app opens it at start-up and closes it at shutdown.
    query_parts, limits : GraphQL schema composition and query limits (see
        :func:`cartonet.api.schema.build_schema`).
    read_timeout : seconds a store read may take before the request fails with
        ``STORE_UNAVAILABLE``.
    warm_up : after start-up, build in the background what first requests would build
        lazily (:func:`cartonet.api.warmup.warm_up`); the server listens meanwhile.
    """
    state = AppState(
        settings=settings, store=store or make_store(settings), read_timeout=read_timeout
    )
    graphql = GraphQLView(build_schema(query_parts, limits), state)
    guide_page = _page("index.html")
    ide = BrowserIDE(graphql, _page("graphiql.html"))

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "alive"})

    async def readyz(request: Request) -> Response:
        async def check() -> None:
            await state.ensure_open(timeout=READY_TIMEOUT)
            await state.store.ping()

        try:
            await asyncio.wait_for(check(), READY_TIMEOUT)
        except TimeoutError:
            reason = f"the store did not answer within {READY_TIMEOUT:g} s"
        except StoreUnavailable as exc:
            reason = str(exc)
        except Exception:  # a probe must answer, whatever broke
            log.exception("readiness check failed")
            reason = "internal error while checking the store"
        else:
            return JSONResponse({"status": "ready", "warm": state.warm})
        return JSONResponse(
            {"status": "unavailable", "reason": reason, "warm": state.warm}, status_code=503
        )

    async def guide(request: Request) -> Response:
        return HTMLResponse(guide_page)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await state.start()
        warming = None
        if warm_up:
            state.warm = "warming"  # from now on, not from the task's first step
            warming = asyncio.create_task(run_warm_up(state))
        try:
            yield
        finally:
            if warming is not None:
                warming.cancel()  # nothing to do when it is over; warm_up never raises
                with suppress(asyncio.CancelledError):
                    await warming
            await state.stop()

    app = Starlette(
        routes=[
            Route("/", guide, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/graphql", ide, methods=["GET", "POST"]),
            Mount("/static", StaticFiles(directory=str(WEB_DIST)), name="static"),
        ],
        lifespan=lifespan,
    )
    app.state.cartonet = state
    return app
