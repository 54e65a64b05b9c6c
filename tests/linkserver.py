"""A small HTTP server on 127.0.0.1, started in a thread by the link check's tests.

Paths: /ok (200), /gone (410), /missing (404), /moved (301 to /missing), /no-head (405 to HEAD,
200 to GET), /slow (answers after `SLOW_SECONDS`), /error (500), /to-internal (302 to a private
address). Each request is logged with its
time, so that the tests can see the rate per host.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW_SECONDS = 3.0


class _Handler(BaseHTTPRequestHandler):
    server: LinkServer

    def _answer(self, method: str) -> None:
        self.server.log.append((time.monotonic(), method, self.path))
        path = self.path.split("?", 1)[0]
        if path == "/slow":
            time.sleep(SLOW_SECONDS)
        if path == "/no-head" and method == "HEAD":
            status = 405
        else:
            status = {"/ok": 200, "/gone": 410, "/missing": 404, "/moved": 301, "/no-head": 200, "/slow": 200,
                      "/error": 500, "/to-internal": 302}.get(path, 404)
        self.send_response(status)
        if status == 301:
            self.send_header("Location", "/missing")
        if status == 302:
            self.send_header("Location", "http://10.0.0.8/secret")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer("HEAD")

    def do_GET(self) -> None:  # noqa: N802
        self._answer("GET")

    def log_message(self, *args) -> None:
        pass


class LinkServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.log: list[tuple[float, str, str]] = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def __enter__(self) -> LinkServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()
