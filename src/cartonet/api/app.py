"""The ASGI app: GraphQL, health probes and the explorer page, over one store.

Routes:

* ``/graphql`` — GraphQL over HTTP (POST, and GET for queries; :mod:`cartonet.api.http`);
  for a browser (``Accept: text/html``, no query), GraphiQL built from npm packages and
  served from the package itself, so it works offline (no CDN);
* ``/healthz`` — 200 while the process is alive;
* ``/readyz`` — 200 when the store answers a ping, 503 with a JSON reason otherwise,
  always within :data:`READY_TIMEOUT` seconds; both bodies also say how far the start-up
  warm-up is (``"warm"``, see :mod:`cartonet.api.warmup`);
* ``/`` — the orientation guide, a single-page app built from ``web/`` (``make web``) into
  ``cartonet/web/dist``; it talks to the service through ``/graphql`` only;
* ``/static/...`` — the built assets of both pages (content-hashed names).

Every answer is gzip-compressed when the client accepts it and it is worth it; CORS
headers are added for the origins of ``Settings.cors_origins`` (none by default).

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
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from cartonet.errors import StoreUnavailable
from cartonet.settings import Settings
from cartonet.store import make_store
from cartonet.store.base import Store

from .context import AppState, Context
from .documents import Documents
from .http import GraphQLHTTP, HttpLimits
from .limits import Limits
from .loaders import Loaders
from .schema import QUERY_PARTS, build_schema
from .warmup import warm_up as run_warm_up

log = logging.getLogger("cartonet.api")

READY_TIMEOUT = 1.5
"""Seconds ``/readyz`` waits for the store; keeps the answer under the 2 s probes expect."""


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


def _middleware(settings: Settings) -> list[Middleware]:
    middleware = []
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["accept", "content-type", "if-none-match"],
                expose_headers=["etag"],
                max_age=600,
            )
        )
    middleware.append(Middleware(GZipMiddleware, minimum_size=1000))
    return middleware


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
    limits = limits or Limits()
    schema = build_schema(query_parts, limits)

    def make_context(request: Request) -> Context:
        ctx = Context(state=state, loaders=None, request=request)
        ctx.loaders = Loaders(state.store, read=ctx.read)
        return ctx

    async def graph_version() -> str:
        await state.ensure_open()
        return await state.store.version()

    graphql = GraphQLHTTP(
        schema,
        Documents(schema, limits),
        make_context,
        graph_version,
        HttpLimits(
            max_body_bytes=settings.max_body_bytes,
            body_timeout=settings.body_timeout,
            execution_timeout=settings.request_timeout,
            cache_max_age=settings.cache_max_age,
        ),
    )
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
            Route("/graphql", ide),  # every method: refusals are GraphQL JSON too
            Mount("/static", StaticFiles(directory=str(WEB_DIST)), name="static"),
        ],
        middleware=_middleware(settings),
        lifespan=lifespan,
    )
    app.state.cartonet = state
    return app
