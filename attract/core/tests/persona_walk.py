"""The persona walk's machinery: enumerate every URL pattern and API operation, fill their
arguments from the world, send the requests as one persona, and say what went wrong.

Kept apart from the test module so that `make bench` (bench/walk.py) runs the very same walk.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from attract.api.api import api
from attract.core.tests.walk_registry import API, API_EXTRA_PATHS, WEB, Route
from attract.core.tests.walk_world import VISITOR, World

LOGIN_URL = "/login/"
API_PREFIX = "/api/v1/"
# What a refusal may look like, besides a redirect of the visitor to the sign-in page.
REFUSED = {403, 404}
API_REFUSED_VISITOR = {401}
# A write whose body names someone else's private record (not its address) may also be
# answered as bad input: the form shown again, or 422.
REFUSED_AS_BAD_INPUT = {200, 400, 409, 422}

# Rows that a refused request may still write: the session of the signed-in client, the
# login throttle's log, the time a token was last used.
SNAPSHOT_SKIPPED_TABLES = {"django_session", "django_migrations"}
SNAPSHOT_SKIPPED_COLUMNS = {"last_login", "last_used_at"}


# --- What there is to walk --------------------------------------------------------------------


def url_patterns(resolver=None, prefix: str = "", namespace: str = "") -> Iterator[tuple]:
    """(name, pattern) of every named URL of the web app, the API's own excluded."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            space = entry.namespace or ""
            full = f"{namespace}:{space}" if namespace and space else (space or namespace)
            pattern = prefix + str(entry.pattern)
            if pattern.startswith(API_PREFIX.lstrip("/")):
                continue
            yield from url_patterns(entry, pattern, full)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield name or prefix + str(entry.pattern), prefix + str(entry.pattern)


def api_operations() -> Iterator[tuple[str, str]]:
    """("METHOD /api/v1/path", path) of every operation in the OpenAPI schema."""
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method in operations:
            yield f"{method.upper()} {path}", path


def unregistered() -> list[str]:
    web = {name for name, _ in url_patterns()}
    operations = {key for key, _ in api_operations()}
    return sorted((web - WEB.keys()) | (operations - API.keys()))


def stale_entries() -> list[str]:
    web = {name for name, _ in url_patterns()}
    operations = {key for key, _ in api_operations()}
    return sorted((WEB.keys() - web) | (API.keys() - operations))


# --- Filling a route from the world -------------------------------------------------------------


def route_kinds(route: Route) -> list[str]:
    """The kinds of record a route names, in its address, its queries or its body, whose
    shared and private records give the walk's variants."""
    return route.kinds() + [k for k, forced in _refs([route.queries(), route.data]) if not forced]


def _variants(world: World, route: Route) -> list[str]:
    kinds = route_kinds(route)
    if not kinds:
        return ["plain"]
    # A route naming two kinds (a subscription's delivery) walks the variants they share.
    present = [
        variant
        for variant in ("shared", "private")
        if all(world.records[kind][variant] is not None for kind in kinds)
    ]
    assert present, f"the world has no record to fill {kinds}"
    return present


def _refs(data) -> list[tuple[str, bool]]:
    """(kind, forced private) of each "@kind" or "@kind!private" in a body or query."""
    if isinstance(data, str) and data.startswith("@"):
        kind, _, forced = data[1:].partition("!")
        return [(kind, forced == "private")]
    if isinstance(data, dict):
        return [ref for value in data.values() for ref in _refs(value)]
    if isinstance(data, (list, tuple)):
        return [ref for value in data for ref in _refs(value)]
    return []


def _fill(world: World, value: str, variant: str):
    if value.startswith("="):
        return value[1:]
    return world.records[value][variant]


def _body(world: World, data, variant: str):
    if isinstance(data, str) and data.startswith("@"):
        kind, _, forced = data[1:].partition("!")
        return world.records[kind]["private" if forced else variant]
    if isinstance(data, dict):
        return {key: _body(world, value, variant) for key, value in data.items()}
    if isinstance(data, list):
        return [_body(world, value, variant) for value in data]
    return data


def audience(world: World, request: Request, who: frozenset[str]) -> frozenset[str]:
    """Narrow `who` to the audience of the private records the request names: all it names
    in the private variant, and those named "@kind!private" in any."""
    refs = _refs([request.query, request.route.data])
    kinds = [kind for kind, forced in refs if forced]
    if request.variant == "private":
        kinds += request.route.kinds() + [kind for kind, forced in refs if not forced]
    for kind in kinds:
        who = who & world.access[kind]
    return who


def _query(world: World, query: dict, variant: str) -> str:
    return "?" + urlencode(_body(world, query, variant)) if query else ""


# --- Reading answers -------------------------------------------------------------------------


def body_text(response) -> str:
    """Everything a response shows: headers (a file name), and its body, unzipped when it is
    a zip archive and its text extracted when it is a PDF."""
    raw = b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    parts = [f"{key}: {value}" for key, value in response.headers.items()]
    if raw.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            for name in archive.namelist():
                parts.append(name)
                parts.append(archive.read(name).decode("utf-8", "replace"))
    elif raw.startswith(b"%PDF"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(raw))
        parts.extend(page.extract_text() or "" for page in reader.pages)
    else:
        parts.append(raw.decode("utf-8", "replace"))
    return "\n".join(parts)


def snapshot() -> dict[str, list]:
    """Every row of every table, so that a refused write can be shown to have changed nothing."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in SNAPSHOT_SKIPPED_TABLES or table.startswith("axes_"):
                continue
            # A table name from the database itself, quoted: no outside input.
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            names = [column[0] for column in cursor.description]
            keep = [i for i, name in enumerate(names) if name not in SNAPSHOT_SKIPPED_COLUMNS]
            rows[table] = sorted(repr(tuple(row[i] for i in keep)) for row in cursor.fetchall())
    return rows


def writes_so_far() -> int:
    """Rows inserted, updated or deleted so far on this connection (SQLite) or in this
    transaction (PostgreSQL): one cheap query that says whether a snapshot is worth taking."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT total_changes()")
        else:
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
                " FROM pg_stat_xact_user_tables"
            )
        return int(cursor.fetchone()[0])


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(
        table for table in before.keys() | after.keys() if before.get(table) != after.get(table)
    )


# --- The walk --------------------------------------------------------------------------------


@dataclass
class Request:
    label: str  # what a failure names: the route, the variant, the address
    method: str
    url: str
    route: Route
    variant: str
    data: object = None
    api: bool = False
    htmx: bool = False
    query: dict = field(default_factory=dict)


def requests(world: World) -> Iterator[Request]:
    """One request per route, variant, query and method, web first."""
    for name, route in WEB.items():
        for variant in _variants(world, route):
            kwargs = {key: _fill(world, value, variant) for key, value in route.args.items()}
            url = reverse(name, kwargs=kwargs)
            label = f"{name} [{variant}] {url}"
            for query in route.queries() or [{}]:
                address = url + _query(world, query, variant)
                shown = f"{label}{_query(world, query, variant)}"
                yield Request(shown, "GET", address, route, variant, query=query)
                if route.htmx:
                    yield Request(
                        f"{shown} (htmx)", "GET", address, route, variant, htmx=True, query=query
                    )
            if route.writes or route.post_only:
                yield Request(label, "POST", url, route, variant, _body(world, route.data, variant))
    for key, route in API.items():
        method, path = key.split(" ", 1)
        for variant in _variants(world, route):
            url = path
            for arg, value in route.args.items():
                url = url.replace("{" + arg + "}", str(_fill(world, value, variant)))
            label = f"{key} [{variant}] {url}"
            body = _body(world, route.data, variant)
            if method != "GET":
                yield Request(label, method, url, route, variant, body, api=True)
                continue
            for query in route.queries() or [{}]:
                address = url + _query(world, query, variant)
                shown = f"{label}{_query(world, query, variant)}"
                yield Request(shown, method, address, route, variant, api=True, query=query)
    for path in API_EXTRA_PATHS:
        yield Request(path, "GET", path, Route(reads="public"), "plain", api=True)


class Walker:
    """Sends the walk's requests as one persona and collects what went wrong."""

    def __init__(self, world: World, persona: str):
        self.world = world
        self.persona = persona
        # A server error is an answer to report with the others, not an exception.
        self.client = Client(raise_request_exception=False)
        # The API is reached with a token only, never the session. One client for all the
        # API's requests: each new client loads the middleware again (WhiteNoise then reads
        # every static file), which was a third of the walk's time.
        self.api_client = Client(raise_request_exception=False)
        user = world.users.get(persona)
        if user is not None:
            self.client.force_login(user)
        self.headers = {"Authorization": f"Bearer {world.tokens[persona]}"} if user else {}
        self.failures: list[str] = []
        self.count = 0

    def _send(self, request: Request):
        self.count += 1
        if not request.api:
            if request.method == "GET":
                headers = {"HX-Request": "true"} if request.htmx else {}
                return self.client.get(request.url, headers=headers)
            return self.client.post(request.url, request.data or {})
        method = getattr(self.api_client, request.method.lower())
        if request.method == "GET":
            return method(request.url, headers=self.headers)
        return method(
            request.url, request.data or {}, content_type="application/json", headers=self.headers
        )

    def _check_answer(self, request: Request, response, may: bool) -> None:
        persona, status = self.persona, response.status_code
        where = f"{persona}: {request.method} {request.label}"
        if status >= 500:
            self.failures.append(f"{where} answered {status}")
        leaks = self.world.leaks(persona, body_text(response), backup=request.route.backup)
        if leaks:
            self.failures.append(f"{where} showed {', '.join(leaks)} (status {status})")
        if may:
            # Only reads are sent to those who may: a refusal means the registry or the
            # world filled the address wrong, and the walk would test nothing.
            if request.method == "GET" and not request.route.post_only and status >= 400:
                self.failures.append(f"{where} refused a reader who may read it: {status}")
            return
        if self._refused(request, response):
            return
        self.failures.append(f"{where} was not refused: {status} {response.get('Location', '')}")

    def _refused(self, request: Request, response) -> bool:
        status = response.status_code
        if request.method == "GET" and request.route.post_only:
            return True  # nothing is read by a GET of a POST-only address (405 or sign-in)
        if self.persona == VISITOR:
            if request.api:
                return status in API_REFUSED_VISITOR
            return status == 302 and response["Location"].startswith(LOGIN_URL)
        if status in REFUSED:
            return True
        refs = _refs([request.query, request.route.data])
        names_hidden = any(forced for _, forced in refs) or (refs and request.variant == "private")
        if request.route.kinds() or not names_hidden:
            return False
        # The record is named in the query or the body, not the address: "no such record"
        # (as for an id that does not exist), or a form shown again with that error.
        if request.method == "GET":
            return status in {200, 400, 422}  # a filter by an unknown id: nothing, or 422
        return status in REFUSED_AS_BAD_INPUT

    def reads(self) -> None:
        for request in requests(self.world):
            if request.method != "GET":
                continue
            may = self.persona in audience(self.world, request, request.route.readers())
            self._check_answer(request, self._send(request), may)

    def refused_writes(self) -> None:
        """Send every write this persona may not make; each must be refused and change
        nothing. Writes this persona may make are not sent: they would change the world."""
        before, counted = snapshot(), writes_so_far()
        for request in requests(self.world):
            if request.method == "GET":
                continue
            route = request.route
            writers = audience(self.world, request, route.writers() & route.readers())
            if self.persona in writers:
                continue
            response = self._send(request)
            self._check_answer(request, response, may=False)
            if writes_so_far() == counted:
                continue  # nothing written at all: no need to compare every row
            # Something was written (a session, a token's last use...): compare the rows.
            after, counted = snapshot(), writes_so_far()
            changed = changed_tables(before, after)
            if changed:
                self.failures.append(
                    f"{self.persona}: {request.method} {request.label} changed {', '.join(changed)}"
                )
                before = after

    def allowed_writes(self) -> None:
        """Send every write this persona may make, one after another (the test's savepoint
        undoes them): none may answer 5xx or show a marker this persona may not read.
        Signing in and out are left out: they would change who is walking."""
        for request in requests(self.world):
            route = request.route
            if request.method == "GET" or route.writes == "public":
                continue
            if self.persona not in audience(self.world, request, route.writers() & route.readers()):
                continue
            response = self._send(request)
            where = f"{self.persona}: {request.method} {request.label}"
            if response.status_code >= 500:
                self.failures.append(f"{where} answered {response.status_code}")
            leaks = self.world.leaks(self.persona, body_text(response))
            if leaks:
                self.failures.append(f"{where} showed {', '.join(leaks)}")
