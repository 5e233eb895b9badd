"""A real HTTP receiver on 127.0.0.1 for the webhook tests: it records what it is sent and
answers as the test scripts it (fail, then succeed; hang; answer 10 MB)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    answers: list[int] = field(default_factory=list)  # status codes to give, in turn; then 200
    delay: float = 0.0
    body_size: int = 2
    received: list[Received] = field(default_factory=list)


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
            length = int(self.headers.get("content-length", 0))
            body = self.rfile.read(length)
            receiver.received.append(Received(dict(self.headers.items()), body))
            if receiver.delay:
                time.sleep(receiver.delay)
            status = receiver.answers.pop(0) if receiver.answers else 200
            try:
                self.send_response(status)
                self.send_header("content-length", str(receiver.body_size))
                self.end_headers()
                chunk = b"x" * 65536
                left = receiver.body_size
                while left > 0:
                    self.wfile.write(chunk[: min(left, len(chunk))])
                    left -= len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading, as it should past its limit

        def log_message(self, *args) -> None:
            """Quiet: the tests read `received`, not the server's log on stderr."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_port}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
