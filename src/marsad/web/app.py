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
from urllib.parse import parse_qs

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from marsad.core.version import VERSION as __version__
from marsad.store import watchlists
from marsad.store.db import DB
from marsad.store.schema import migrate
from marsad.web import briefing, pages
from marsad.web.digest import CUE_LABELS, DigestCache

#: Ids come from records and file names; anything with a path separator, a control character
#: or made only of dots is refused.
_BAD_ID = re.compile(r"[/\\\x00-\x1f\x7f]")
_HL = re.compile(r"^(\d{1,9})-(\d{1,9})$")
DAY = r"^\d{4}-\d{2}-\d{2}$"
DATE = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"
TIME = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?)?$"
#: Paths that accept POST when watchlists are allowed (everything else stays GET/HEAD only).
_WRITABLE = re.compile(r"^/watchlists(/\d{1,12}/delete)?$")

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


def create_app(db_url: str, allow_watchlists: bool = False) -> FastAPI:
    app = FastAPI(
        title="marsad",
        version=__version__,
        description="Briefing over a marsad store: the day, who said what, stories, entities, "
        "outlets, search, watchlists. Read-only for articles; watchlists are written only "
        "when the app was started with --allow-watchlists.",
    )
    local = threading.local()
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )

    env.globals["cue_labels"] = CUE_LABELS
    for name in env.list_templates():  # compiled now, not on a user's first request
        env.get_template(name)
    # Fail now (with E016) rather than on the first request when the store is missing.
    DB(db_url, readonly=True).close()
    if allow_watchlists:
        # The one table this app writes: bring the store to a version that has it.
        with DB(db_url) as wdb:
            migrate(wdb)
    digests = DigestCache(lambda: DB(db_url, readonly=True))
    digests.warm()
    wlock = threading.Lock()

    def db() -> DB:
        conn = getattr(local, "db", None)
        if conn is None:
            conn = local.db = DB(db_url, readonly=True)
        return conn

    @app.middleware("http")
    async def read_only(request: Request, call_next):
        writable = (
            allow_watchlists and request.method == "POST" and _WRITABLE.match(request.url.path)
        )
        if writable and _cross_site(request):
            return JSONResponse(
                {"detail": "cross-site form refused"}, status_code=403, headers=SECURITY_HEADERS
            )
        if request.method not in ("GET", "HEAD") and not writable:
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
        html = env.get_template(template).render(
            data=data,
            title=title,
            request=request,
            cue_labels=CUE_LABELS,
            allow_watchlists=allow_watchlists,
        )
        return HTMLResponse(html)

    def digest():
        return digests.get(db())

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
    @app.get("/index.json", tags=["json"], summary="The day's briefing")
    def index_json(day: str | None = Query(None, pattern=DAY)) -> dict[str, Any]:
        return pages.public(briefing.home(db(), digest(), day))

    @app.get("/quotes.json", tags=["json"], summary="Who said what, filtered")
    def quotes_json(
        speaker: str | None = None,
        entity: str | None = None,
        outlet: str | None = None,
        story: str | None = None,
        since: str | None = Query(None, pattern=DATE),
        until: str | None = Query(None, pattern=DATE),
        cue: str | None = None,
        page: int = Query(1, ge=1, le=100000),
    ) -> dict[str, Any]:
        f = _qfilters(speaker, entity, outlet, story, since, until, cue)
        return pages.public(briefing.statements_page(db(), digest(), f, page))

    @app.get("/speaker/{entity_id}.json", tags=["json"], summary="Everything one speaker said")
    def speaker_json(entity_id: str) -> dict[str, Any]:
        data = briefing.speaker_page(db(), digest(), valid_id(entity_id))
        if data is None:
            raise not_found("speaker")
        return pages.public(data)

    @app.get("/entities.json", tags=["json"], summary="Entity index with facets")
    def entities_json(
        type: str | None = None,
        outlet: str | None = None,
        q: str | None = None,
        page: int = Query(1, ge=1, le=100000),
    ) -> dict[str, Any]:
        f = {"type": type or None, "outlet": outlet or None, "q": q or None}
        return pages.public(briefing.entities_index(digest(), f, page))

    @app.get("/outlets.json", tags=["json"], summary="Outlets and their volume")
    def outlets_json() -> dict[str, Any]:
        return pages.public(briefing.outlets_index(digest()))

    @app.get("/outlet/{name}.json", tags=["json"], summary="One outlet: volume and stories")
    def outlet_json(name: str) -> dict[str, Any]:
        data = briefing.outlet_page(db(), digest(), valid_id(name))
        if data is None:
            raise not_found("outlet")
        return pages.public(data)

    @app.get("/watchlists.json", tags=["json"], summary="Saved watchlists")
    def watchlists_json() -> dict[str, Any]:
        return pages.public(pages.watchlists_page(db(), allow_watchlists))

    @app.get("/watchlist/{n}.json", tags=["json"], summary="What is new for one watchlist")
    def watchlist_json(n: int, since: str | None = Query(None, pattern=TIME)) -> dict[str, Any]:
        data = pages.watchlist_page(db(), n, since)
        if data is None:
            raise not_found("watchlist")
        return pages.public(data)

    @app.get(
        "/watchlist/{n}.atom",
        tags=["json"],
        summary="Atom feed of one watchlist",
        response_class=Response,
    )
    def watchlist_atom(
        request: Request, n: int, since: str | None = Query(None, pattern=TIME)
    ) -> Response:
        data = pages.watchlist_page(db(), n, since)
        if data is None:
            raise not_found("watchlist")
        xml = env.get_template("watchlist.atom").render(data=data, base=str(request.base_url))
        return Response(xml, media_type="application/atom+xml")

    @app.get("/story/{story_id}.json", tags=["json"], summary="One story")
    def story_json(story_id: str) -> dict[str, Any]:
        data = pages.story(db(), valid_id(story_id), digest())
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
        data = pages.entity(db(), valid_id(entity_id), digest())
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
        page: int = Query(1, ge=1, le=1000),
    ) -> dict[str, Any]:
        params = {
            "q": q,
            "entity": entity,
            "outlet": outlet,
            "since": since,
            "until": until,
            "story": story,
        }
        return pages.public(pages.search_page(db(), params, digest(), page))

    # HTML pages.
    @app.get("/", response_class=HTMLResponse, tags=["pages"], summary="The day's briefing")
    def index(request: Request, day: str | None = Query(None, pattern=DAY)) -> Response:
        data = briefing.home(db(), digest(), day)
        return page(request, "index.html", data, f"موجز {data['day'] or ''} — marsad")

    @app.get("/quotes", response_class=HTMLResponse, tags=["pages"], summary="Who said what")
    def quotes(
        request: Request,
        speaker: str | None = None,
        entity: str | None = None,
        outlet: str | None = None,
        story: str | None = None,
        since: str | None = Query(None, pattern=DATE),
        until: str | None = Query(None, pattern=DATE),
        cue: str | None = None,
        page_: int = Query(1, ge=1, le=100000, alias="page"),
    ) -> Response:
        f = _qfilters(speaker, entity, outlet, story, since, until, cue)
        return page(
            request,
            "quotes.html",
            briefing.statements_page(db(), digest(), f, page_),
            "من قال ماذا",
        )

    @app.get("/speaker/{entity_id}", response_class=HTMLResponse, tags=["pages"])
    def speaker(request: Request, entity_id: str) -> Response:
        data = briefing.speaker_page(db(), digest(), valid_id(entity_id))
        if data is None:
            raise not_found("speaker")
        return page(request, "speaker.html", data, f"تصريحات {data.get('name') or entity_id}")

    @app.get("/entities", response_class=HTMLResponse, tags=["pages"])
    def entities(
        request: Request,
        type: str | None = None,
        outlet: str | None = None,
        q: str | None = None,
        page_: int = Query(1, ge=1, le=100000, alias="page"),
    ) -> Response:
        f = {"type": type or None, "outlet": outlet or None, "q": q or None}
        return page(
            request, "entities.html", briefing.entities_index(digest(), f, page_), "الكيانات"
        )

    @app.get("/outlets", response_class=HTMLResponse, tags=["pages"])
    def outlets(request: Request) -> Response:
        return page(request, "outlets.html", briefing.outlets_index(digest()), "المنافذ")

    @app.get("/outlet/{name}", response_class=HTMLResponse, tags=["pages"])
    def outlet(request: Request, name: str) -> Response:
        data = briefing.outlet_page(db(), digest(), valid_id(name))
        if data is None:
            raise not_found("outlet")
        return page(request, "outlet.html", data, name)

    @app.get("/watchlists", response_class=HTMLResponse, tags=["pages"])
    def watchlists_html(request: Request) -> Response:
        return page(
            request,
            "watchlists.html",
            pages.watchlists_page(db(), allow_watchlists),
            "قوائم المتابعة",
        )

    @app.get("/watchlist/{n}", response_class=HTMLResponse, tags=["pages"])
    def watchlist(
        request: Request, n: int, since: str | None = Query(None, pattern=TIME)
    ) -> Response:
        data = pages.watchlist_page(db(), n, since)
        if data is None:
            raise not_found("watchlist")
        return page(request, "watchlist.html", data, data["watchlist"]["name"])

    if allow_watchlists:

        @app.post(
            "/watchlists", tags=["watchlists"], summary="Save a watchlist (--allow-watchlists)"
        )
        async def watchlist_create(request: Request) -> Response:
            body = await request.body()
            if len(body) > 4000:
                raise HTTPException(status_code=413, detail="form too large")
            form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
            with wlock, DB(db_url) as wdb:
                try:
                    n = watchlists.create(
                        wdb,
                        *(form.get(k, "")[:300] for k in ("name", "words", "entity", "speaker")),
                    )
                except ValueError as e:
                    raise HTTPException(status_code=400, detail=str(e)) from e
            return RedirectResponse(f"/watchlist/{n}", status_code=303)

        @app.post(
            "/watchlists/{n}/delete",
            tags=["watchlists"],
            summary="Delete a watchlist (--allow-watchlists)",
        )
        def watchlist_delete(n: int) -> Response:
            with wlock, DB(db_url) as wdb:
                if not watchlists.delete(wdb, n):
                    raise not_found("watchlist")
            return RedirectResponse("/watchlists", status_code=303)

    @app.get("/story/{story_id}", response_class=HTMLResponse, tags=["pages"])
    def story(request: Request, story_id: str) -> Response:
        data = pages.story(db(), valid_id(story_id), digest())
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
        data = pages.entity(db(), valid_id(entity_id), digest())
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
        page_: int = Query(1, ge=1, le=1000, alias="page"),
    ) -> Response:
        params = {
            "q": q,
            "entity": entity,
            "outlet": outlet,
            "since": since,
            "until": until,
            "story": story,
        }
        return page(request, "search.html", pages.search_page(db(), params, digest(), page_), "بحث")

    return app


def _cross_site(request: Request) -> bool:
    """A write sent by a page of another site (the browser says so in Origin or
    Sec-Fetch-Site); a form of this app, curl or a script without those headers passes."""
    if request.headers.get("sec-fetch-site") in ("cross-site", "same-site"):
        return True
    origin = request.headers.get("origin")
    return bool(origin) and origin != f"{request.url.scheme}://{request.url.netloc}"


def _qfilters(*values: str | None) -> dict[str, str | None]:
    return {k: (v or None) for k, v in zip(briefing.QUOTE_FILTERS, values, strict=True)}


def _hl(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    m = _HL.match(value)
    return (int(m.group(1)), int(m.group(2))) if m else None
