"""Property-based test of the whole API against its own OpenAPI schema (Schemathesis).

For every operation, Schemathesis generates requests from the schema: valid ones (every
type and bound the schema states) and invalid ones (wrong types, missing fields, a bare
number where an object is expected…), and sends them as the owner, through the real WSGI
application. The test fails on any 5xx answer and on any status the schema does not list
for that operation (see attract.api.openapi_errors). The budget is fixed and the examples
derandomised, so a run is repeatable and takes well under a minute per database.

It runs without the test's surrounding transaction (transaction=True), as the application
does in production: a database error inside one request must not be hidden by, or spoil,
the requests after it.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import status_code_conformance

from attract.accounts.services import api_token_create
from attract.api.api import api
from attract.people.tests.factories import CompanyFactory, PersonFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("fuzz")]

# Examples per operation and mode: ~70 operations × 2 modes × this stays under a minute.
EXAMPLES = {GenerationMode.POSITIVE: 5, GenerationMode.NEGATIVE: 4}
CHECKS = [not_a_server_error, status_code_conformance]


def _failures_of(operation, mode: GenerationMode, headers: dict[str, str]) -> list[str]:
    failures: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def send(case) -> None:
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as exc:  # every failing example is reported, not only the first
            failures.append(
                f"{operation.label} → {response.status_code}: {type(exc).__name__}: "
                f"{str(exc)[:300]}\n  {case.as_curl_command()[:500]}"
            )

    send()
    return failures


def test_no_generated_request_gets_a_server_error_or_an_undocumented_status(owner):
    # A few records, so that some generated ids (small integers) name real rows.
    for _ in range(3):
        PersonFactory(owner=owner, company=CompanyFactory(owner=owner))
    _, token = api_token_create(user=owner, name="fuzz")
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = get_wsgi_application()

    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in EXAMPLES:
            failures += _failures_of(operation, mode, headers)
    assert failures == [], "\n".join(failures[:40])
