"""How ``cartonet serve`` runs the app: uvicorn's HTTP/1.1 protocol with a header timeout.

uvicorn closes idle keep-alive connections, but a client that opens a connection and sends
its request line and headers a byte at a time (or never finishes them) holds the
connection as long as it likes. :func:`protocol_with_header_timeout` gives uvicorn's h11
protocol a deadline: a request whose headers are not complete ``seconds`` after the
connection opened (or after the previous answer) has its connection closed. Bodies are
bounded by the app itself (:mod:`cartonet.api.http`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol


class HeaderTimeoutH11(H11Protocol):
    """uvicorn's h11 protocol, closing connections whose request headers come too slowly."""

    header_timeout: float = 10.0
    _header_timer: asyncio.TimerHandle | None = None
    _armed_for: Any = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.cycle is not self._armed_for:  # a new request's headers are complete
            self._disarm()

    def _arm(self) -> None:
        self._disarm()
        self._armed_for = self.cycle
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


def protocol_with_header_timeout(seconds: float) -> type[HeaderTimeoutH11]:
    """The protocol class to give ``uvicorn.run(http=...)``."""
    return type("HeaderTimeoutH11", (HeaderTimeoutH11,), {"header_timeout": seconds})
