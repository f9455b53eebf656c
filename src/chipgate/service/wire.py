"""uvicorn's HTTP protocol (httptools), with each response's head written with its body.

uvicorn writes a response's status line and headers when the application sends
``http.response.start`` and its body when it sends ``http.response.body``: two
writes on the socket, two segments on the wire, and on loopback two wake-ups of
the client for one answer (the first to read a head that cannot be used alone). A
one-order check's answer, head and body, is under 10 KiB.

:class:`OneWriteHttp` hands uvicorn a transport that holds a response's head until
the next write, which is the body's first part when the application sends it at
once (a ``Response``: both messages in one step of its task), and writes the two
together. A head not followed at once (a streamed body still being read) is written
at the next turn of the event loop, or when the connection closes. Nothing else
changes: every byte is written, in the same order, by the same transport.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


def _is_head(data: bytes | bytearray | memoryview) -> bool:
    """Whether ``data`` is a whole response head (a status line, headers, the empty
    line); what else is taken for one is only written a loop turn later."""
    return bytes(data[:5]) == b"HTTP/" and bytes(data[-4:]) == b"\r\n\r\n"


class HeadWithBody(asyncio.Transport):
    """A transport that writes a response's head together with what follows it."""

    def __init__(
        self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop
    ) -> None:
        super().__init__()
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Write ``data`` after what is held; hold a response head alone."""
        held, self._held = self._held, None
        if held is not None:
            self._transport.write(held + bytes(data))
        elif _is_head(data):
            self._held = bytes(data)
            self._loop.call_soon(self.flush)  # written by then at the latest
        else:
            self._transport.write(data)

    def flush(self) -> None:
        """Write what is held, if anything (unless the connection is closing: the
        client has gone, and nothing can reach it)."""
        held, self._held = self._held, None
        if held is not None and not self._transport.is_closing():
            self._transport.write(held)

    def writelines(self, list_of_data: Any) -> None:
        """Write each of ``list_of_data`` in turn."""
        for data in list_of_data:
            self.write(data)

    def close(self) -> None:
        """Write what is held, then close."""
        self.flush()
        self._transport.close()

    def write_eof(self) -> None:
        """Write what is held, then end the writing side."""
        self.flush()
        self._transport.write_eof()

    def abort(self) -> None:
        """Close at once; what is held or buffered is dropped (as abort does)."""
        self._held = None
        self._transport.abort()

    def can_write_eof(self) -> bool:
        """As the transport."""
        return self._transport.can_write_eof()

    def get_write_buffer_size(self) -> int:
        """Bytes not yet written, the head held included."""
        held = len(self._held) if self._held is not None else 0
        return self._transport.get_write_buffer_size() + held

    def get_write_buffer_limits(self) -> tuple[int, int]:
        """As the transport."""
        return self._transport.get_write_buffer_limits()

    def set_write_buffer_limits(
        self, high: int | None = None, low: int | None = None
    ) -> None:
        """As the transport."""
        self._transport.set_write_buffer_limits(high, low)

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        """As the transport (the socket, the addresses, TLS)."""
        return self._transport.get_extra_info(name, default)

    def is_closing(self) -> bool:
        """As the transport."""
        return self._transport.is_closing()

    def is_reading(self) -> bool:
        """As the transport."""
        return self._transport.is_reading()

    def pause_reading(self) -> None:
        """As the transport."""
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        """As the transport."""
        self._transport.resume_reading()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        """As the transport."""
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        """As the transport."""
        return self._transport.get_protocol()


class OneWriteHttp(HttpToolsProtocol):
    """uvicorn's httptools protocol over :class:`HeadWithBody` (``chipgate serve``
    passes it as uvicorn's ``http``)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Serve the connection through a transport that joins head and body."""
        super().connection_made(HeadWithBody(transport, asyncio.get_running_loop()))
