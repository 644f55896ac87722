"""A fake SMS gateway / 企业微信 robot on 127.0.0.1, and a few people in two units."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from chuangwen.org.choices import Role, UnitKind
from chuangwen.org.services import unit_create
from chuangwen.testing.people import Member, build_people

WECOM_OK = (200, {"errcode": 0, "errmsg": "ok"})


@dataclass
class FakeServer:
    url: str
    received: list[dict] = field(default_factory=list)
    # Answers in turn; the last one repeats. Each is (status, JSON-able body or bytes).
    answers: list[tuple[int, object]] = field(default_factory=lambda: [WECOM_OK])
    delay: float = 0.0
    # Called in the server's thread while a request is being answered.
    on_request: Callable[[], None] | None = None

    def next_answer(self) -> tuple[int, bytes]:
        status, body = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        return status, raw


@pytest.fixture
def fake_server(monkeypatch):
    # The test talks to 127.0.0.1 directly, whatever proxy the machine may have configured.
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")

    state: dict[str, FakeServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            server = state["server"]
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            server.received.append(
                {
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "json": json.loads(raw.decode("utf-8")),
                }
            )
            if server.on_request is not None:
                server.on_request()
            if server.delay:
                time.sleep(server.delay)
            status, body = server.next_answer()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, format, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    host, port = httpd.server_address
    state["server"] = FakeServer(url=f"http://{host}:{port}")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state["server"]
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@dataclass
class People:
    units: dict
    users: dict


@pytest.fixture
def people(db):
    """Unit A: alice, bob, an inactive account and a revoked member. Unit B: carol."""
    a = unit_create(name="市园林局", kind=UnitKind.MUNICIPAL_DEPARTMENT, territory=None, actor=None)
    b = unit_create(name="市水务局", kind=UnitKind.MUNICIPAL_DEPARTMENT, territory=None, actor=None)
    handler = Member(Role.UNIT_HANDLER, "a")
    users = build_people(
        {"a": a, "b": b},
        {
            "alice": handler.but(email="alice@example.cn", phone="13812341234"),
            "bob": handler.but(email="bob@example.cn", phone="13900001111"),
            "gone": handler.but(email="gone@example.cn", phone="13700002222", is_active=False),
            "revoked": Member(Role.UNIT_HANDLER, "a", revoked=True).but(
                email="revoked@example.cn", phone="13600003333"
            ),
            "carol": Member(Role.UNIT_HANDLER, "b").but(
                email="carol@example.cn", phone="13500004444"
            ),
            "dave": Member().but(email="", phone=""),  # of no unit
        },
    )
    return People(units={"a": a, "b": b}, users=users)
