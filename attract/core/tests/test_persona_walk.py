"""Private stays private, through every door (DESIGN.md §5).

Six personas — the owner, an admin, member A (who owns the private records), member B, a
viewer and a visitor who is not signed in — walk every URL of the web app and every API
operation, against a world holding private records of every kind (walk_world.py). The walk
fails when a page, an answer, an export or the CLI shows a persona a record they may not see,
when a read they may not make is not refused (403/404, the sign-in page, 401), when a write
they may not make is not refused or changes anything, and on any 5xx.

A URL pattern or API operation missing from walk_registry.py fails the walk: every new page
joins it (docs/security.md says how).
"""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from attract.core.tests.persona_walk import Walker, body_text, stale_entries, unregistered
from attract.core.tests.walk_world import OWNER, PERSONAS, SIGNED_IN, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at its end; each test runs
    in a savepoint within it (pytest-django's `db`), so a write that got through cannot
    change what the next test sees."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_every_url_pattern_and_api_operation_is_in_the_registry():
    missing = unregistered()
    assert not missing, (
        "Add these to attract/core/tests/walk_registry.py so the persona walk covers them "
        f"(docs/security.md): {missing}"
    )
    assert not stale_entries(), f"The registry names what no longer exists: {stale_entries()}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_reads_show_each_persona_only_what_they_may_see(world, persona, db):
    walker = Walker(world, persona)
    walker.reads()
    assert not walker.failures, "\n".join(walker.failures)
    assert walker.count > 150


@pytest.mark.parametrize("persona", PERSONAS)
def test_writes_a_persona_may_not_make_are_refused_and_change_nothing(world, persona, db):
    walker = Walker(world, persona)
    walker.refused_writes()
    assert not walker.failures, "\n".join(walker.failures)


@pytest.mark.parametrize("persona", sorted(SIGNED_IN))
def test_writes_a_persona_may_make_answer_without_a_server_error_or_leak(world, persona, db):
    walker = Walker(world, persona)
    walker.allowed_writes()
    assert not walker.failures, "\n".join(walker.failures)


# --- The CLI shows what the web shows -----------------------------------------------------------


def _cli(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("persona", sorted(SIGNED_IN))
def test_cli_exports_and_lists_show_what_the_web_shows_that_user(world, persona, db, tmp_path):
    user = world.users[persona]
    walker = Walker(world, persona)
    for what, url, options in [
        ("persons", "/export/people.csv", []),
        ("companies", "/export/companies.csv", []),
        ("persons", "/export/people.vcf", ["--vcard", "3.0"]),
    ]:
        path = tmp_path / f"{what}-{len(options)}.out"
        _cli("export", what, str(path), "--as", user.email, *options)
        web = b"".join(walker.client.get(url).streaming_content)
        cli = path.read_bytes()
        assert cli.replace(b"\r\n", b"\n") == web.replace(b"\r\n", b"\n"), (what, options)
        assert not world.leaks(persona, cli.decode("utf-8-sig"))
    listing = _cli("people", "list", "--as", user.email, "--limit", "1000")
    assert not world.leaks(persona, listing)
    web_total = walker.client.get("/api/v1/persons", headers=walker.headers).json()["count"]
    assert f"of {web_total:,} persons shown" in listing
    partners = _cli("partners", "list", "--as", user.email, "--limit", "1000")
    assert not world.leaks(persona, partners)
    web_partners = walker.client.get("/api/v1/partners", headers=walker.headers).json()["count"]
    assert f"of {web_partners:,} partners shown" in partners


def test_cli_full_export_is_the_owners_and_matches_the_web(world, db, tmp_path):
    owner = world.users[OWNER]
    path = tmp_path / "all.zip"
    _cli("export", "all", str(path), "--as", owner.email)

    class Archive:
        streaming = False
        headers: dict = {}
        content = path.read_bytes()

    text = body_text(Archive)
    assert not world.leaks(OWNER, text, backup=True)
    assert "zqmkownernote" in text.lower()  # the owner's own note is there, A's is not
    for persona in sorted(SIGNED_IN - {OWNER}):
        with pytest.raises(CommandError):
            _cli(
                "export",
                "all",
                str(tmp_path / f"{persona}.zip"),
                "--as",
                world.users[persona].email,
            )


def test_the_registry_writes_bodies_the_api_accepts_the_fields_of():
    """A body with a misspelt field would be refused as bad input, and the walk would take
    that for a refusal: every field the registry sends must be one the operation reads."""
    from attract.api.api import api
    from attract.core.tests.walk_registry import API

    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    wrong = []
    for key, route in API.items():
        method, path = key.split(" ", 1)
        operation = schema["paths"][path][method.lower()]
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            ref = content["application/json"].get("schema", {}).get("$ref", "")
            body = components.get(ref.rsplit("/", 1)[-1], {})
            fields = body.get("properties", {})
            wrong += [f"{key}: {name}" for name in route.data if name not in fields]
            wrong += [
                f"{key}: no {name}" for name in body.get("required", []) if name not in route.data
            ]
        params = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        names = {name for query in route.queries() for name in query}
        wrong += [f"{key}: ?{name}" for name in names if name not in params]
    assert not wrong


# --- The walk itself can fail ---------------------------------------------------------------


def test_the_walk_reports_a_leak_an_unrefused_read_and_a_change_made(world, db):
    """Each check the walk makes is seen failing on a planted fault, so a green walk means
    something."""
    import io
    import zipfile

    from django.http import HttpResponse

    from attract.core.tests.persona_walk import changed_tables, requests, snapshot
    from attract.core.tests.walk_world import MEMBER_B
    from attract.people.models import Company

    walker = Walker(world, MEMBER_B)
    request = next(
        r
        for r in requests(world)
        if r.method == "GET" and r.label.startswith("people:person_detail [private]")
    )
    walker._check_answer(request, HttpResponse("<h1>Zqmkprivfirst</h1>"), may=False)
    assert any("showed zqmkprivfirst" in f for f in walker.failures)
    assert any("was not refused: 200" in f for f in walker.failures)

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("notes.csv", "to_whom\nZqmknoteto\n")
    walker.failures.clear()
    walker._check_answer(request, HttpResponse(packed.getvalue(), status=404), may=False)
    assert walker.failures == [f"{MEMBER_B}: GET {request.label} showed zqmknoteto (status 404)"]

    before = snapshot()
    Company.objects.filter(pk=world.records["company"]["private"]).update(city="Elsewhere")
    assert changed_tables(before, snapshot()) == ["people_company"]


@pytest.mark.parametrize(
    "url",
    ["/api/v1/search?q=zqm", "/api/v1/persons?search=zqm", "/people/?q=zqm", "/search/?q=zqm"],
)
def test_the_searches_walked_find_the_private_records_for_their_owner(world, db, url):
    """The walk's searches would prove nothing if they found nothing: member A's own search
    finds the private contact that member B's does not."""
    from attract.core.tests.walk_world import MEMBER_A, MEMBER_B

    found = {}
    for persona in (MEMBER_A, MEMBER_B):
        walker = Walker(world, persona)
        response = walker.client.get(url, headers=walker.headers)
        found[persona] = "zqmkprivfirst" in body_text(response).lower()
    assert found == {MEMBER_A: True, MEMBER_B: False}
