"""The page at ``/``: one HTML file, a script and a stylesheet shipped inside the package.

No build step and no CDN: the files live in ``drafter/static`` and are served as they are. The
page talks to drafter only through the public HTTP API (``/v1/drafts``, ``/v1/score``,
``/v1/info``, and the kept drafts under ``/v1/drafts/{id}`` for its "My drafts" tab), with the
``X-API-Key`` the user types when the server has keys. The browser remembers the sender's
fields (``localStorage``) and the key (``sessionStorage``), nothing else. Every
response carries a strict Content-Security-Policy: scripts, styles and requests come from this
origin only, nothing inline, no framing.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.exceptions import HTTPException

__all__ = ["CONTENT_SECURITY_POLICY", "router"]

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

# The only files served: a fixed allow-list, so no path from a request ever reaches the disk.
_ASSETS: dict[str, str] = {
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
}

router = APIRouter(include_in_schema=False)


@cache
def _read(name: str) -> bytes:
    return resources.files("drafter").joinpath("static", name).read_bytes()


def _headers() -> dict[str, str]:
    return {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cache-Control": "no-cache",
    }


@router.get("/")
async def index() -> Response:
    """The draft and coach page."""
    return Response(_read("index.html"), media_type="text/html; charset=utf-8",
                    headers=_headers())


@router.get("/static/{name}")
async def asset(name: str) -> Response:
    """The page's script and stylesheet."""
    media_type = _ASSETS.get(name)
    if media_type is None:
        raise HTTPException(status_code=404, detail="Not Found")
    return Response(_read(name), media_type=media_type, headers=_headers())
