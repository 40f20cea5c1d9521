"""The FastAPI application behind ``marsad serve``: read-only pages over a store.

Every page is a GET; any other method is answered 405 before routing. Every page has a JSON
twin — the same path with ``.json`` appended, or the page itself requested with
``Accept: application/json`` — and FastAPI describes the JSON API at ``/openapi.json``. The
store is opened read-only (SQLite ``mode=ro``; a read-only PostgreSQL session). Ids from the
URL are validated (no slashes, dots-only names or control characters) before any lookup.
Pages are self-contained: inline CSS and SVG, no scripts, no fonts or files from elsewhere.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from marsad.core.version import VERSION as __version__
from marsad.store.db import DB
from marsad.web import pages

#: Ids come from records and file names; anything with a path separator, a control character
#: or made only of dots is refused.
_BAD_ID = re.compile(r"[/\\\x00-\x1f\x7f]")
_HL = re.compile(r"^(\d{1,9})-(\d{1,9})$")

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def valid_id(value: str) -> str:
    if not value or len(value) > 300 or _BAD_ID.search(value) or set(value) <= {"."}:
        raise HTTPException(status_code=400, detail="invalid id")
    return value


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def create_app(db_url: str) -> FastAPI:
    app = FastAPI(
        title="marsad",
        version=__version__,
        description="Read-only briefing over a marsad store: stories, articles, entities, search.",
    )
    local = threading.local()
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )

    # Fail now (with E016) rather than on the first request when the store is missing.
    DB(db_url, readonly=True).close()

    def db() -> DB:
        conn = getattr(local, "db", None)
        if conn is None:
            conn = local.db = DB(db_url, readonly=True)
        return conn

    @app.middleware("http")
    async def read_only(request: Request, call_next):
        if request.method not in ("GET", "HEAD"):
            return JSONResponse(
                {"detail": "method not allowed: this app is read-only"},
                status_code=405,
                headers={"Allow": "GET, HEAD", **SECURITY_HEADERS},
            )
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    def page(request: Request, template: str, data: dict[str, Any], title: str) -> Response:
        if _wants_json(request):
            return JSONResponse(pages.public(data))
        html = env.get_template(template).render(data=data, title=title, request=request)
        return HTMLResponse(html)

    def not_found(what: str) -> HTTPException:
        return HTTPException(status_code=404, detail=f"{what} not found")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if _wants_json(request) or request.url.path.endswith(".json"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        html = env.get_template("error.html").render(
            title=str(exc.status_code), data={"status": exc.status_code, "detail": exc.detail}
        )
        return HTMLResponse(html, status_code=exc.status_code)

    # JSON twins first, so that ``/story/x.json`` is not taken for the story ``x.json``.
    @app.get("/index.json", tags=["json"], summary="Latest stories and articles")
    def index_json() -> dict[str, Any]:
        return pages.public(pages.index(db()))

    @app.get("/story/{story_id}.json", tags=["json"], summary="One story")
    def story_json(story_id: str) -> dict[str, Any]:
        data = pages.story(db(), valid_id(story_id))
        if data is None:
            raise not_found("story")
        return pages.public(data)

    @app.get("/article/{doc_id}.json", tags=["json"], summary="One article with all its layers")
    def article_json(
        doc_id: str, hl: str | None = Query(None, pattern=_HL.pattern)
    ) -> dict[str, Any]:
        data = pages.article(db(), valid_id(doc_id), _hl(hl))
        if data is None:
            raise not_found("article")
        return pages.public(data)

    @app.get("/entity/{entity_id}.json", tags=["json"], summary="One entity")
    def entity_json(entity_id: str) -> dict[str, Any]:
        data = pages.entity(db(), valid_id(entity_id))
        if data is None:
            raise not_found("entity")
        return pages.public(data)

    @app.get("/search.json", tags=["json"], summary="Full-text search")
    def search_json(
        q: str = "",
        entity: str | None = None,
        outlet: str | None = None,
        since: str | None = Query(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"),
        until: str | None = Query(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"),
        story: str | None = None,
    ) -> dict[str, Any]:
        params = {
            "q": q,
            "entity": entity,
            "outlet": outlet,
            "since": since,
            "until": until,
            "story": story,
        }
        return pages.public(pages.search_page(db(), params))

    # HTML pages.
    @app.get("/", response_class=HTMLResponse, tags=["pages"], summary="Latest stories")
    def index(request: Request) -> Response:
        return page(request, "index.html", pages.index(db()), "marsad — مرصد الأخبار")

    @app.get("/story/{story_id}", response_class=HTMLResponse, tags=["pages"])
    def story(request: Request, story_id: str) -> Response:
        data = pages.story(db(), valid_id(story_id))
        if data is None:
            raise not_found("story")
        return page(request, "story.html", data, data.get("title") or story_id)

    @app.get("/article/{doc_id}", response_class=HTMLResponse, tags=["pages"])
    def article(
        request: Request, doc_id: str, hl: str | None = Query(None, pattern=_HL.pattern)
    ) -> Response:
        data = pages.article(db(), valid_id(doc_id), _hl(hl))
        if data is None:
            raise not_found("article")
        return page(request, "article.html", data, data["document"].get("title") or doc_id)

    @app.get("/entity/{entity_id}", response_class=HTMLResponse, tags=["pages"])
    def entity(request: Request, entity_id: str) -> Response:
        data = pages.entity(db(), valid_id(entity_id))
        if data is None:
            raise not_found("entity")
        return page(request, "entity.html", data, data.get("name") or entity_id)

    @app.get("/search", response_class=HTMLResponse, tags=["pages"])
    def search(
        request: Request,
        q: str = "",
        entity: str | None = None,
        outlet: str | None = None,
        since: str | None = Query(None, pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"),
        until: str | None = Query(None, pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"),
        story: str | None = None,
    ) -> Response:
        params = {
            "q": q,
            "entity": entity,
            "outlet": outlet,
            "since": since,
            "until": until,
            "story": story,
        }
        return page(request, "search.html", pages.search_page(db(), params), "بحث")

    return app


def _hl(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    m = _HL.match(value)
    return (int(m.group(1)), int(m.group(2))) if m else None
