"""A referral's own page: correct it, record what came of it (above all for one referred
out: did the prospect become the partner's customer, what was won), move it to the trash
(with Undo) and restore it. Only a referral whose partner and subject the user may see
exists for them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from attract.core.access import get_record_for_user
from attract.core.forms import saved_against_version
from attract.core.permissions import can_change_record, can_view_record
from attract.core.redirects import safe_next
from attract.partners import selectors, services
from attract.partners.forms import ReferralEditForm
from attract.partners.models import Referral
from attract.people.views.trash import trashed_message


def _referral(
    request: HttpRequest, pk: int, *, trash: bool = False, write: bool = True
) -> Referral:
    referral = (
        Referral.all_objects.select_related("partner", "deal", "person", "company")
        .filter(pk=pk)
        .first()
    )
    if referral is None or (referral.in_trash and not trash):
        raise Http404
    # 404 for a partner the user may not see, 403 for one they may not change.
    get_record_for_user(
        selectors.visible_partners(request.user), user=request.user, pk=referral.partner_id,
        write=write,
    )  # fmt: skip
    if not can_view_record(request.user, referral.subject):
        raise Http404
    return referral


@login_required
@require_http_methods(["GET", "POST"])
def referral_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # A trashed one shows, to be restored; a reader sees it without the form.
    referral = _referral(request, pk, trash=True, write=request.method == "POST")
    data = request.POST if request.method == "POST" else None
    form = ReferralEditForm(data, referral=referral)
    if request.method == "POST" and saved_against_version(
        form,
        lambda cleaned: services.referral_update(
            actor=request.user,
            referral=referral,
            expected_version=cleaned["version"],
            **form.service_arguments(),
        ),
    ):
        messages.success(request, "Referral saved.")
        return redirect(reverse("partners:detail", args=[referral.partner_id]) + "#referrals")
    context = {
        "form": form,
        "referral": selectors.describe_outcome(referral),
        "can_change": can_change_record(request.user, referral.partner),
    }
    return render(request, "partners/referral_edit.html", context)


@login_required
@require_POST
def referral_trash(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    services.referral_trash(actor=request.user, referral=referral)
    restore, page = (
        reverse(name, args=[referral.pk])
        for name in ("partners:referral_restore", "partners:referral_edit")
    )
    name = f"the referral of {referral.referred_on:%d %b %Y} ({referral.get_direction_display()})"
    messages.success(
        request, trashed_message(request, name=name, restore_url=restore, record_url=page)
    )
    return redirect(reverse("partners:detail", args=[referral.partner_id]) + "#referrals")


@login_required
@require_POST
def referral_restore(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk, trash=True)
    services.referral_restore(actor=request.user, referral=referral)
    messages.success(request, "Referral restored.")
    back = reverse("partners:detail", args=[referral.partner_id]) + "#referrals"
    return redirect(safe_next(request) or back)
