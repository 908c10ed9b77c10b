"""The API's docs, ``/docs`` (Swagger UI) and ``/redoc``, served from this server.

FastAPI's own docs pages load Swagger UI and ReDoc from a CDN, so on a machine without
internet (drafter's first promise) ``/docs`` was a blank page. The same files ship in the
``fastapi-offline`` package; they are served here from a fixed allow-list, as the page's are.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

__all__ = ["router"]

_STATIC = "/docs/static"
_ASSETS: dict[str, str] = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}

router = APIRouter(include_in_schema=False)


@cache
def _read(name: str) -> bytes:
    return resources.files("fastapi_offline").joinpath("static", name).read_bytes()


@router.get("/docs")
async def swagger_ui() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json", title="drafter API",
        swagger_js_url=f"{_STATIC}/swagger-ui-bundle.js",
        swagger_css_url=f"{_STATIC}/swagger-ui.css",
        swagger_favicon_url=f"{_STATIC}/favicon.png",
        # The key stays in the page's memory: a reload forgets it, as a key should be.
        swagger_ui_parameters={"persistAuthorization": False, "displayOperationId": True})


@router.get("/redoc")
async def redoc() -> HTMLResponse:
    return get_redoc_html(openapi_url="/openapi.json", title="drafter API",
                          redoc_js_url=f"{_STATIC}/redoc.standalone.js",
                          redoc_favicon_url=f"{_STATIC}/favicon.png", with_google_fonts=False)


@router.get(_STATIC + "/{name}")
async def asset(name: str) -> Response:
    media_type = _ASSETS.get(name)
    if media_type is None:
        raise HTTPException(status_code=404, detail="Not Found")
    return Response(_read(name), media_type=media_type,
                    headers={"Cache-Control": "public, max-age=86400",
                             "X-Content-Type-Options": "nosniff"})
