"""How ``cartonet serve`` runs the app: uvicorn's HTTP/1.1 protocol with header bounds.

uvicorn closes idle keep-alive connections, but a client that opens a connection and sends
its request line and headers a byte at a time (or never finishes them) holds the
connection as long as it likes. :func:`protocol_with_header_timeout` gives uvicorn's
protocol a deadline: a request whose headers are not complete ``seconds`` after the
connection opened (or after the previous answer) has its connection closed. Headers are
also bounded in size (:data:`MAX_HEADER_BYTES`): past it, the answer is 400 and the
connection is closed. Bodies are bounded by the app itself (:mod:`cartonet.api.http`).

The protocol is uvicorn's ``httptools`` one (a C parser: about 0.1 ms less CPU per
request than the pure-Python ``h11`` one) when ``httptools`` is installed, else ``h11``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools not installed: h11 only
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

MAX_HEADER_BYTES = 64 * 1024
"""Most bytes a request line and its headers may take (h11's own bound is set to it too)."""


class HeaderBounds:
    """Mixin over a uvicorn HTTP protocol: closes connections whose request headers come
    too slowly, and refuses (400) headers longer than ``max_header_bytes``."""

    header_timeout: float = 10.0
    max_header_bytes: int = MAX_HEADER_BYTES
    _header_timer: asyncio.TimerHandle | None = None
    _armed_for: Any = None
    _header_bytes: int = 0

    # the protocol's own attributes, used below
    cycle: Any
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[misc]
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]

    def data_received(self, data: bytes) -> None:
        super().data_received(data)  # type: ignore[misc]
        if self._header_timer is None:
            return  # not waiting for headers
        if self.cycle is not self._armed_for:  # a new request's headers are complete
            self._disarm()
            return
        if self.cycle is not None and self.cycle.more_body:
            return  # the rest of a body answered early (413), not the next request's head
        self._header_bytes += len(data)
        if self._header_bytes > self.max_header_bytes and not self.transport.is_closing():
            self._disarm()
            self.send_400_response("Invalid HTTP request received.")  # type: ignore[attr-defined]

    def _arm(self) -> None:
        self._disarm()
        self._armed_for = self.cycle
        self._header_bytes = 0
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        between_requests = self.cycle is None or self.cycle.response_complete
        if between_requests and not self.transport.is_closing():
            self.transport.close()


class HeaderTimeoutH11(HeaderBounds, H11Protocol):
    """uvicorn's h11 protocol with :class:`HeaderBounds`."""


def protocol_with_header_timeout(seconds: float, *, h11: bool = False) -> type[Any]:
    """The protocol class to give ``uvicorn.run(http=...)``: httptools when it is
    installed (``h11=True``: h11 whatever is installed)."""
    base: type[Any] = H11Protocol if h11 or HttpToolsProtocol is None else HttpToolsProtocol
    name = f"HeaderBounds{base.__name__}"
    return type(name, (HeaderBounds, base), {"header_timeout": seconds})
