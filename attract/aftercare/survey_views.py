"""The public exit-survey page: no login, the business's name, a phone-sized form. Every dead
link (unknown, guessed, expired, used, replaced) gets the same page and status, and too many
requests from one address get 429, so a guesser learns nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from attract.aftercare import survey_services
from attract.aftercare.departure_forms import SurveyForm
from attract.aftercare.survey_throttling import survey_request_allowed, survey_request_count
from attract.core.forms import apply_errors_to_form


def _context(**extra) -> dict:
    return {"business": survey_services.business_name(), **extra}


def _dead(request: HttpRequest) -> HttpResponse:
    survey_request_count(request, failed=True)
    return render(request, "aftercare/survey_dead.html", _context(), status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    if not survey_request_allowed(request):
        return render(request, "aftercare/survey_slow_down.html", _context(), status=429)
    link = survey_services.survey_link_open(token)
    if link is None:
        return _dead(request)
    survey_request_count(request, failed=False)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey_services.survey_answer(
                raw=token,
                reason=data["reason"],
                reason_other=data["reason_other"],
                could_have_done=data["could_have_done"],
                would_return=data["would_return"] or "",
                may_contact=data["may_contact"],
            )
        except PermissionDenied:
            return _dead(request)
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            return redirect("aftercare:survey_thanks")
    response = render(request, "aftercare/survey.html", _context(form=form))
    # The token stays out of other sites' logs ("no-referrer" would also blank the Origin of
    # the form's own post, which the CSRF check refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


@require_GET
def survey_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "aftercare/survey_thanks.html", _context())
