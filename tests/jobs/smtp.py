"""A minimal SMTP server for fault tests: records messages, can hold a connection open, or refuse recipients."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class FakeSMTP:
    def __init__(self) -> None:
        self.messages: list[str] = []
        self.connected = threading.Event()  # set when a client connects
        self.release = threading.Event()  # while clear and `hold` is set, a connection waits before the greeting
        self.hold = False
        self.reject_code: int | None = None  # answer RCPT with this code instead of 250
        self.port = 0


def _handler(state: FakeSMTP) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write((line + "\r\n").encode())

        def handle(self) -> None:
            state.connected.set()
            if state.hold:
                state.release.wait(30)
            self.reply("220 fake ESMTP")
            while True:
                line = self.rfile.readline().decode(errors="replace").strip()
                if not line:
                    return
                verb = line.split(" ", 1)[0].upper()
                if verb in {"EHLO", "HELO"}:
                    self.reply("250 fake")
                elif verb == "RCPT" and state.reject_code:
                    self.reply(f"{state.reject_code} no such mailbox")
                elif verb == "DATA":
                    self.reply("354 go on")
                    body = []
                    while (part := self.rfile.readline().decode(errors="replace")) not in {".\r\n", ""}:
                        body.append(part)
                    state.messages.append("".join(body))
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 ok")

    return Handler


@contextmanager
def fake_smtp() -> Iterator[FakeSMTP]:
    state = FakeSMTP()
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A port nothing listens on (connections are refused), as when the mail server is stopped."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
