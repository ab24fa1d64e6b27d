"""A proxy in front of the S3 stand-in that fails the way a store going away does.

`trip_on`: the first PUT whose request line contains it is cut halfway through its body (the store
receives the headers and half the bytes, then the connection drops), and from then on the proxy is
down: every open connection is cut and new ones are turned away, until `up()`.
"""

from __future__ import annotations

import re
import socket
import threading

from tests.web.proxy import DroppingProxy

_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)


class FaultProxy(DroppingProxy):
    def __init__(self, upstream_port: int, trip_on: bytes):
        super().__init__(upstream_port)
        self.trip_on = trip_on
        self.tripped = threading.Event()
        self.cut_request_line = b""

    @property
    def url(self) -> str:
        return self.base_url

    def up(self) -> None:
        self.accept()

    def down(self) -> None:
        self.refuse()
        self.drop()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            outbound = dst.getpeername()[1] == self.upstream_port  # raises if down() already cut it
            while data := src.recv(65536):
                if outbound and not self.tripped.is_set() and self._trips(data):
                    self._cut(src, dst, data)
                    return
                dst.sendall(data)
        except OSError:
            pass
        finally:
            self.drop_pair(src, dst)

    def drop_pair(self, src: socket.socket, dst: socket.socket) -> None:
        with self._lock:
            self._open -= {src, dst}
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def _trips(self, data: bytes) -> bool:
        return data.startswith(b"PUT ") and self.trip_on in data.split(b"\r\n", 1)[0]

    def _cut(self, src: socket.socket, dst: socket.socket, data: bytes) -> None:
        """Send the store the headers and half the body, then drop everything and stay down."""
        while b"\r\n\r\n" not in data and (more := src.recv(65536)):
            data += more
        head, _, body = data.partition(b"\r\n\r\n")
        match = _CONTENT_LENGTH.search(head)
        length = int(match.group(1)) if match else len(body)
        while len(body) < length // 2 and (more := src.recv(65536)):
            body += more
        self.cut_request_line = head.split(b"\r\n", 1)[0]
        try:
            dst.sendall(head + b"\r\n\r\n" + body[: max(1, length // 2)])
        except OSError:
            pass
        self.down()
        self.tripped.set()
