"""Security headers on every response: a strict CSP for artifacts, the reviewer page's own CSP, and
the page-wide ones (nosniff, Referrer-Policy, frame-ancestors).

Artifacts are untrusted bytes derived from someone else's website. Served from the API's origin they
must never run as a document: `nosniff` stops type guessing and the sandboxed `default-src 'none'`
CSP makes even an HTML or SVG file that slipped through inert (no script, no fetches, its own
opaque origin). The reviewer page loads only its own script, stylesheet and images; FastAPI's /docs
and /redoc load Swagger/ReDoc from a CDN with an inline bootstrap script, so they get a looser CSP
of their own rather than a broken page.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ARTIFACT_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "worker-src blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
ARTIFACT_PREFIXES = ("/workflow/artifacts/", "/workflow/contact-sheet/")
# The bundled demo brand sites are our own files standing in for someone's website (some build
# their pages with inline scripts, as real sites do): they keep the common headers but no CSP.
DEMO_PREFIX = "/demo/"
DOCS_PATHS = ("/docs", "/redoc", "/docs/oauth2-redirect")

COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def csp_for(path: str) -> str | None:
    if path.startswith(DEMO_PREFIX):
        return None
    if path.startswith(ARTIFACT_PREFIXES):
        return ARTIFACT_CSP
    if path in DOCS_PATHS:
        return DOCS_CSP
    return PAGE_CSP


class SecurityHeadersMiddleware:
    """Adds the headers above to every HTTP response, never overriding one a route set itself."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = csp_for(scope.get("path", ""))
        extra = [*COMMON, *([(b"content-security-policy", csp.encode())] if csp else [])]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
