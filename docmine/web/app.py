"""The FastAPI app behind `docmine serve`: server-rendered pages and a JSON API under /api/.

Safe by default: the store is opened read-only for each request, every template is autoescaped
(document text can never become markup), a Content-Security-Policy allows only this server's
own script and style, Host headers other than the bound host are refused (DNS rebinding), and
errors are one line, never a stack trace."""

from __future__ import annotations

import contextlib
import logging
import shutil
import socket
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from docmine.config import InvalidSetting
from docmine.errors import BadInput, DocmineError, NotFound
from docmine.store import Store
from docmine.web import pages
from docmine.web.facets import facet_counts, holder_force_table
from docmine.web.query import View, default_mode, search_modes, view_params

HERE = Path(__file__).resolve().parent
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
ObligationId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{4,64}$", description="Id or prefix.")]
VersionParam = Annotated[int | None, Query(ge=1, description="Document version (default newest).")]
Format = Annotated[str, Query(pattern=r"^(xlsx|csv|json)$", description="xlsx, csv or json.")]
log = logging.getLogger("docmine.web")


def templates_environment() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    env.globals["modes"] = search_modes
    return Jinja2Templates(env=env)


def check_store(db_path: Path) -> None:
    """Refuse to start on a missing file or one that is not a docmine database."""
    if not db_path.is_file():
        raise NotFound(
            "no database here: run `docmine ingest PATH` first or pass --db", str(db_path)
        )
    try:
        with Store(db_path, read_only=True) as store:
            store.documents()
    except sqlite3.DatabaseError as error:
        raise BadInput(f"not a docmine database ({error})", str(db_path)) from None


def create_app(
    db_path: Path | str,
    default_search_mode: str | None = None,
    allowed_hosts: Sequence[str] = LOCAL_HOSTS,
) -> FastAPI:
    """The web app over one store; `default_search_mode` overrides search()'s default."""
    db = Path(db_path)
    check_store(db)
    app = FastAPI(
        title="docmine",
        summary="Search and browse an obligation register (read-only).",
        docs_url=None,  # the Swagger and ReDoc pages load assets from a CDN: schema only
        redoc_url=None,
    )
    app.state.db = db
    app.state.connections = threading.local()
    app.state.default_mode = default_search_mode or default_mode()
    app.state.templates = templates_environment()
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.middleware("http")(add_security_headers)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    add_error_handlers(app)
    add_api_routes(app)
    add_page_routes(app)
    return app


async def add_security_headers(request: Request, call_next: Any) -> Response:
    response: Response = await call_next(request)
    response.headers.update(SECURITY_HEADERS)
    return response


def reading(request: Request) -> Store:
    """This worker thread's read-only store. SQLite connections must stay in their thread; one per
    thread, kept open, lets search reuse its loaded vectors across requests."""
    local: threading.local = request.app.state.connections
    store: Store | None = getattr(local, "store", None)
    if store is None:
        store = local.store = Store(request.app.state.db, read_only=True)
    return store


CurrentView = Annotated[View, Depends(view_params)]


# JSON API -------------------------------------------------------------------------------------
def add_api_routes(app: FastAPI) -> None:
    @app.get("/api/search", tags=["api"])
    def api_search(request: Request, view: CurrentView, facets: bool = True) -> dict[str, Any]:
        """Ranked obligations for `q` (or the filtered register), with facet counts."""
        store = reading(request)
        results = pages.run_view(store, view)
        counts = facet_counts(store, view.filters) if facets else {}
        return {
            "query": view.q,
            "mode": results.mode,
            "total": results.total,
            "notes": results.notes,
            "results": [pages.hit_json(h) for h in results.hits],
            "facets": {k: [v.__dict__ for v in values] for k, values in counts.items()},
        }

    @app.get("/api/obligations/{obligation_id}", tags=["api"])
    def api_obligation(
        request: Request, obligation_id: ObligationId, version: VersionParam = None
    ) -> dict[str, Any]:
        """One obligation (in a given document version, else the newest) with the clauses
        around it and its other versions."""
        store = reading(request)
        detail = pages.obligation_detail(store, obligation_id, version=version)
        if detail is None:
            raise HTTPException(404, f"no obligation with id {obligation_id}")
        return pages.detail_json(detail)

    @app.get("/api/documents", tags=["api"])
    def api_documents(request: Request) -> list[dict[str, Any]]:
        """Every ingested document version, with clause and obligation counts."""
        store = reading(request)
        return pages.documents(store)

    @app.get("/api/export", tags=["api"], response_class=FileResponse)
    def api_export(request: Request, view: CurrentView, format: Format = "xlsx") -> Response:
        """The current view as a register file, written by the same code as `docmine export`."""
        directory = Path(tempfile.mkdtemp(prefix="docmine-export-"))
        try:
            store = reading(request)
            path = pages.export_view(store, view, format, directory)
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        return FileResponse(
            path,
            filename=path.name,
            background=BackgroundTask(shutil.rmtree, directory, ignore_errors=True),
        )


# pages ----------------------------------------------------------------------------------------
def add_page_routes(app: FastAPI) -> None:
    def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        templates: Jinja2Templates = request.app.state.templates
        return templates.TemplateResponse(request, name, context, status_code=status)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, view: CurrentView) -> HTMLResponse:
        store = reading(request)
        results = pages.run_view(store, view)
        counts = facet_counts(store, view.filters)
        cards = [
            (h, pages.snippet_parts(h.obligation.clause.text, results.terms)) for h in results.hits
        ]
        return render(
            request, "search.html", view=view, results=results, cards=cards, facets=counts
        )

    @app.get("/obligations/{obligation_id}", response_class=HTMLResponse, include_in_schema=False)
    def obligation_page(
        request: Request, obligation_id: ObligationId, version: VersionParam = None
    ) -> HTMLResponse:
        store = reading(request)
        detail = pages.obligation_detail(store, obligation_id, version=version)
        if detail is None:
            raise HTTPException(404, f"no obligation with id {obligation_id}")
        return render(request, "obligation.html", detail=detail, hit=detail.hit)

    @app.get("/summary", response_class=HTMLResponse, include_in_schema=False)
    def summary_page(request: Request) -> HTMLResponse:
        store = reading(request)
        table = holder_force_table(store)
        docs = pages.documents(store)
        widest = max((sum(counts.values()) for _, counts in table), default=1)
        return render(request, "summary.html", table=table, widest=widest, documents=docs)


# errors ---------------------------------------------------------------------------------------
def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def add_error_handlers(app: FastAPI) -> None:
    def error_response(request: Request, status: int, problems: list[str]) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": problems}, status_code=status)
        templates: Jinja2Templates = request.app.state.templates
        return templates.TemplateResponse(
            request, "error.html", {"status": status, "problems": problems}, status_code=status
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_parameters(request: Request, error: RequestValidationError) -> Response:
        problems = [
            f"{'.'.join(str(p) for p in e['loc'] if p not in ('query', 'path'))}: {e['msg']}"
            for e in error.errors()
        ]
        return error_response(request, 422, problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        return error_response(request, error.status_code, [str(error.detail)])

    @app.exception_handler(DocmineError)
    async def docmine_error(request: Request, error: DocmineError) -> Response:
        return error_response(request, 400, [error.message])

    @app.exception_handler(InvalidSetting)
    async def invalid_setting(request: Request, error: InvalidSetting) -> Response:
        # the server's own configuration (a DOCMINE_* file it cannot read): said in one line
        return error_response(request, 500, [str(error)])

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("error serving %s", request.url.path)  # the trace goes to the log only
        return error_response(request, 500, ["internal error: the server log has the details"])


def serve(
    db_path: Path | str,
    host: str = "127.0.0.1",
    port: int = 8000,
    announce: Callable[[], None] = lambda: None,
) -> None:
    """Run the app with uvicorn until interrupted (binds to 127.0.0.1 unless told otherwise);
    `announce` runs once the store is known to be servable."""
    import uvicorn

    app = create_app(db_path, allowed_hosts=served_hosts(host))  # refuses a bad store first
    announce()
    uvicorn.run(app, host=host, port=port, log_level="info")


def served_hosts(host: str) -> list[str]:
    """Host headers to accept: the bound name and local names; on every interface, the
    machine's own names and addresses, never "*" (which would re-open DNS rebinding)."""
    if host not in ("0.0.0.0", "::"):
        return [host, *LOCAL_HOSTS]
    name = socket.gethostname()
    names = {name, socket.getfqdn(), *LOCAL_HOSTS}
    with contextlib.suppress(OSError):
        names.update(str(info[4][0]) for info in socket.getaddrinfo(name, None))
    return sorted(names)
