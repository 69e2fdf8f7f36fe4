"""A ceiling on request bodies, checked before any handler reads one: a declared
length over it is refused at once, and a body sent without one is counted as it
arrives and refused as soon as it passes the ceiling. 413 with a JSON body naming
`body` on the API, a short page elsewhere; nothing is stored."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, send)
            return
        received = 0
        started = refused = False

        async def counted() -> Message:
            """The body as it arrives; past the ceiling the client is answered 413 here
            and the handler hears a disconnect (what it says after is dropped)."""
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes and not started:
                    refused = True
                    await self._refuse(scope, send)
                    return {"type": "http.disconnect"}
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counted, watched)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        message = f"the request body is over {self.max_bytes:,} bytes"
        body: bytes
        if str(scope.get("path", "")).startswith("/api/"):
            payload: Any = {"detail": [{"field": "body", "message": message}]}
            body, kind = json.dumps(payload).encode(), b"application/json"
        else:
            page = (
                '<!doctype html><html lang="en"><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                '<link rel="stylesheet" href="/static/app.css"><title>413 · neurogarden</title>'
                f"<main><h1>Too large</h1><p>{message.capitalize()}.</p>"
                '<p><a href="/">Back to the start</a></p></main>'
            )
            body, kind = page.encode(), b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
