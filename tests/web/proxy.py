"""A TCP proxy in front of the API that can drop every open connection, as a load balancer restart does.

The browser talks to the proxy; `drop()` closes every live connection (the open SSE stream
included) from the server side, and `refuse()` turns new connections away until `accept()`.
"""

from __future__ import annotations

import socket
import threading


class DroppingProxy:
    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._refusing = threading.Event()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self.accepted = 0
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> DroppingProxy:
        self._thread.start()
        return self

    def refuse(self) -> None:
        self._refusing.set()

    def accept(self) -> None:
        self._refusing.clear()

    def drop(self) -> int:
        """Close every open connection now; returns how many were cut."""
        with self._lock:
            socks, self._open = list(self._open), set()
        for s in socks:
            _close(s)
        return len(socks)

    def close(self) -> None:
        _close(self._listener)
        self.drop()
        self._thread.join(timeout=5)

    def _accept_loop(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # listener closed
            if self._refusing.is_set():
                _close(client)
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self.accepted += 1
                self._open |= {client, upstream}
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._open -= {src, dst}
            _close(src)
            _close(dst)


def _close(s: socket.socket) -> None:
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    s.close()
