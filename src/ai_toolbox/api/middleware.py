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
        if declared is not None and declared.isascii() and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send, scope)
            return
        seen = 0
        responded = False
        refused = False

        async def limited_receive() -> Message:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # Answer now and make the app see a client that went away; whatever it then
                    # tries to send is dropped.
                    refused = True
                    if not responded:
                        await self._refuse(send, scope)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal responded
            if refused:
                return
            if message["type"] == "http.response.start":
                responded = True
            await send(message)

        await self.app(scope, limited_receive, guarded_send)

    async def _refuse(self, send: Send, scope: Scope) -> None:
        mb = self.max_bytes // (1024 * 1024)
        accept = dict(scope.get("headers") or []).get(b"accept", b"").decode("latin-1")
        if "text/html" in accept and not scope.get("path", "").startswith("/api/"):
            # A browser form: answer with a page in the user's language.
            from starlette.requests import Request

            from ai_toolbox.web.errors import too_large_page

            page = too_large_page(Request(scope), mb)
            await send({"type": "http.response.start", "status": 413, "headers": page.raw_headers})
            await send({"type": "http.response.body", "body": page.body})
            return
        body = json.dumps(
            {"error": "too_large", "message": f"The request is larger than the {mb} MB limit.",
             "hint": "Split the file, or ask the administrator to raise AITB_MAX_REQUEST_MB."}
        ).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
