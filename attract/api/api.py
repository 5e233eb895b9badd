"""The one NinjaAPI object. Each app's api.py router is mounted here."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as RequestValidationError
from ninja.security import HttpBearer

from attract.accounts.services import api_token_authenticate
from attract.api.input_checks import refuse_unstorable_input
from attract.api.openapi_errors import document_errors
from attract.core.permissions import can_write
from attract.core.versions import VersionConflict

# Methods that only read; every other method changes something.
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(token)
        if user is None:
            return None
        request.user = user
        # Checked here, before the body is parsed, so that a read-only token gets the same
        # 403 whatever it sends. The services check again: this is the early answer, not
        # the rule.
        if request.method not in _READ_METHODS and not can_write(user):
            raise PermissionDenied("Your role can read but not change records.")
        return user


class AttractAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors(schema)


api = AttractAPI(
    title="Attract API",
    version="1",
    description="REST API of Attract, a CRM for attraction selling. "
    "Authenticate with `Authorization: Bearer <token>`; create a token under Settings → API tokens.",
    auth=BearerToken(),
    urls_namespace="api",
)
api.add_decorator(refuse_unstorable_input)


def _field_errors(exc: ValidationError) -> list[dict[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": "__all__", "message": m} for m in exc.messages]


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": _field_errors(exc)}, status=422)


def _request_field(location: tuple) -> str:
    """The field a request-validation error is about, named as the client sent it.

    ninja reports ("body", "payload", "emails", 0) or ("query", "limit"): drop where it came
    from and the name of the body parameter, keep the rest.
    """
    parts = [str(part) for part in location]
    if parts and parts[0] == "body":
        parts = parts[2:]
    elif parts:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


@api.exception_handler(RequestValidationError)
def on_request_validation_error(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    # The same shape as the services' errors, so a client reads every 422 the same way.
    detail = [
        {"field": _request_field(tuple(error.get("loc", ()))), "message": error.get("msg", "")}
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(VersionConflict)
def on_version_conflict(request: HttpRequest, exc: VersionConflict) -> HttpResponse:
    return api.create_response(request, exc.as_api_body(), status=409)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_value_out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    # The last guard: input checks name the field first (input_checks); what still reaches
    # the database out of its range is the client's input, never a server fault.
    detail = [{"field": "__all__", "message": "A value is out of range; nothing was changed."}]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or "You may not do this."
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Send a valid API token: Authorization: Bearer <token>."}, status=401
    )


@api.get("/me", tags=["accounts"], summary="The user the token belongs to")
def me(request: HttpRequest) -> dict:
    user = request.auth
    return {"id": user.pk, "email": user.email, "full_name": user.full_name, "role": user.role}


def _mount_routers() -> None:
    # Imported here so that each app owns its router and this module stays the composition root.
    from attract.people.api import router as people_router
    from attract.people.bulk_api import router as people_bulk_router

    # First: /persons/bulk must not be taken for /persons/{person_id}.
    api.add_router("/", people_bulk_router)

    api.add_router("/", people_router)
    from attract.pipeline.api import router as pipeline_router
    from attract.pipeline.bulk_api import router as pipeline_bulk_router

    api.add_router("/", pipeline_bulk_router)  # before /deals/{deal_id}, as for persons

    api.add_router("/", pipeline_router)
    from attract.engagement.api import router as engagement_router
    from attract.engagement.bulk_api import router as engagement_bulk_router

    api.add_router("/", engagement_bulk_router)  # before /tasks/{pk}, as for persons

    api.add_router("/", engagement_router)
    from attract.attraction.api import router as attraction_router

    api.add_router("/", attraction_router)
    from attract.partners.api import router as partners_router

    api.add_router("/", partners_router)
    from attract.partners.initiative_api import router as initiatives_router

    api.add_router("/", initiatives_router)
    from attract.aftercare.care_api import router as care_router

    api.add_router("/", care_router)
    from attract.aftercare.departure_api import router as departures_router
    from attract.aftercare.testimonial_api import router as testimonials_router

    api.add_router("/", departures_router)
    api.add_router("/", testimonials_router)
    from attract.aftercare.customer_love_api import router as customer_love_router

    api.add_router("/", customer_love_router)
    from attract.transfer.api import router as transfer_router

    api.add_router("/", transfer_router)
    from attract.jobs.api import router as jobs_router

    api.add_router("/", jobs_router)
    from attract.webhooks.api import router as webhooks_router

    api.add_router("/", webhooks_router)
    from attract.web.api import router as search_router

    api.add_router("/", search_router)
    from attract.web.saved_views_api import router as saved_views_router

    api.add_router("/", saved_views_router)
    from attract.reports.api import router as reports_router

    api.add_router("/", reports_router)
    from attract.mail.send_api import router as mail_send_router

    api.add_router("/", mail_send_router)
    from attract.mail.inbound_api import router as mail_inbound_router

    api.add_router("/", mail_inbound_router)


_mount_routers()
