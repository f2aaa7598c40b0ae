"""Small HTTP servers for the LLM tests, standing in for things outside our control.

`ScriptedServer` speaks just enough of the OpenAI chat API to play a misbehaving model server:
one that never answers, answers with broken JSON, fails before it succeeds, or echoes the prompt.
`RecordingProxy` sits in front of the real llama.cpp server and keeps every request body it
forwards, so a test can prove what left the toolbox.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Server:
    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def _completion(text: str, model: str = "scripted") -> dict[str, Any]:
    return {"id": "x", "object": "chat.completion", "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}}


class ScriptedServer(_Server):
    """An OpenAI-compatible endpoint whose answers a test scripts.

    `reply(body) -> (status, text)` decides each chat answer; `hang=True` accepts the request and
    never answers. Every request body is kept in `requests`; `max_in_flight` is the most requests
    it was handling at once.
    """

    def __init__(self, reply: Callable[[dict[str, Any]], tuple[int, str]] | None = None, *,
                 hang: bool = False, delay_s: float = 0.0, models: tuple[str, ...] = ("scripted",)) -> None:
        self.reply = reply or (lambda body: (200, body["messages"][-1]["content"]))
        self.hang, self.delay_s, self.models = hang, delay_s, models
        self.requests: list[dict[str, Any]] = []
        self.in_flight = self.max_in_flight = 0
        self.lock = threading.Lock()
        super().__init__(_ScriptedHandler)


class _ScriptedHandler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802
        srv: ScriptedServer = self.server.owner  # type: ignore[attr-defined]
        self._send(200, {"object": "list", "data": [{"id": m, "object": "model"} for m in srv.models]})

    def do_POST(self) -> None:  # noqa: N802
        srv: ScriptedServer = self.server.owner  # type: ignore[attr-defined]
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with srv.lock:
            srv.requests.append(body)
            srv.in_flight += 1
            srv.max_in_flight = max(srv.max_in_flight, srv.in_flight)
        try:
            if srv.hang:
                srv.stop_event.wait(60)
                return
            time.sleep(srv.delay_s)
            status, text = srv.reply(body)
            if status != 200:
                self._send(status, {"error": {"message": text}})
            elif body.get("stream"):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for word in text.split(" "):
                    event = {"choices": [{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")
            else:
                self._send(200, _completion(text))
        finally:
            with srv.lock:
                srv.in_flight -= 1


class RecordingProxy(_Server):
    """Forwards every request to `target` (an http://host:port origin) and keeps the request bodies."""

    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self.bodies: list[str] = []
        super().__init__(_ProxyHandler)


class _ProxyHandler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def _forward(self, method: str) -> None:
        proxy: RecordingProxy = self.server.owner  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        proxy.bodies.append(body.decode("utf-8"))
        headers = {"Content-Type": self.headers.get("Content-Type", "application/json")}
        response = httpx.request(method, proxy.target + self.path, content=body, headers=headers, timeout=300)
        self.send_response(response.status_code)
        self.send_header("Content-Type", response.headers.get("content-type", "application/json"))
        self.send_header("Content-Length", str(len(response.content)))
        self.end_headers()
        self.wfile.write(response.content)

    def do_GET(self) -> None:  # noqa: N802
        self._forward("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._forward("POST")
