"""ASGI middleware: request body size limit (checked before and while reading)."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send, scope, receive)
            return
        seen = 0
        responded = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal responded
            if message["type"] == "http.response.start":
                responded = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not responded:
                await self._refuse(send, scope, receive)

    async def _refuse(self, send: Send, scope: Scope, receive: Receive) -> None:
        mb = self.max_bytes // (1024 * 1024)
        message = f"The request is larger than the {mb} MB limit."
        hint = "Split the file, or ask the administrator to raise AITB_MAX_REQUEST_MB."
        accept = dict(scope.get("headers") or []).get(b"accept", b"").decode("latin-1")
        if "text/html" in accept and not scope.get("path", "").startswith("/api/"):
            from starlette.requests import Request

            from ai_toolbox.web.errors import too_large_page

            await too_large_page(Request(scope), mb)(scope, receive, send)
            return
        body = json.dumps({"error": "too_large", "message": message, "hint": hint}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
