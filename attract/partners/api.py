"""REST endpoints for partners, their definition lines, alliance steps and referrals.

Access as everywhere: someone else's private partner (or a partner that is a company or
person the reader cannot see) answers 404 like a missing one; a viewer's writes answer 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router

from attract.accounts.models import User
from attract.core.access import get_record_for_user
from attract.core.permissions import can_view_record, visible_to
from attract.partners import challenge as challenge_rules
from attract.partners import selectors, services
from attract.partners.models import DefinitionLine, Partner, Referral, Step
from attract.partners.schemas import (
    ChallengeOut,
    CurrentChallengeOut,
    LineIn,
    LineOut,
    LinePatch,
    MeetingIn,
    PartnerDetailOut,
    PartnerFilters,
    PartnerIn,
    PartnerPage,
    PartnerPatch,
    ReferralIn,
    ReferralOut,
    ReferralPatch,
    StepIn,
    StepOut,
)
from attract.people.models import Company, Person
from attract.pipeline.models import Deal

router = Router(tags=["partners"])


def _partner(request: HttpRequest, pk: int, *, write: bool = False, trash: bool = False) -> Partner:
    queryset = selectors.partner_detail_queryset(request.auth)
    if not trash:
        queryset = queryset.filter(deleted_at__isnull=True) if write else queryset
    partner = get_record_for_user(queryset, user=request.auth, pk=pk, write=write)
    selectors.attach_referral_figures([partner])
    partner.active_lines = selectors.partner_lines(partner)
    partner.reached_steps = list(partner.steps.all())
    return partner


def _owner(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    owner = User.objects.filter(pk=user_id, is_active=True).first()
    if owner is None:
        raise ValidationError({"owner": f"No active team member has the id {user_id}."})
    return owner


def _visible(model: type, actor: User, pk: int | None, field: str):
    """The record, or the same refusal for missing, trashed and someone else's private."""
    if pk is None:
        return None
    record = visible_to(model.objects.all(), actor).filter(pk=pk).first()
    if record is None:
        raise ValidationError({field: f"No {field} with the id {pk}."})
    return record


def _fields(payload: PartnerIn | PartnerPatch) -> dict[str, Any]:
    fields = payload.dict(exclude_unset=True)
    for name in ("version", "company", "person"):
        fields.pop(name, None)
    if "owner" in fields:
        fields["owner"] = _owner(fields["owner"])
    return fields


@router.get("/partners", response=PartnerPage, summary="List partners")
def list_partners(request: HttpRequest, filters: Query[PartnerFilters]) -> dict[str, Any]:
    queryset = selectors.partner_list_for_user(
        user=request.auth, search=filters.search, sort=filters.sort
    )
    return {
        "count": queryset.count(),
        "items": list(queryset[filters.offset : filters.offset + filters.limit]),
    }


@router.post(
    "/partners", response={201: PartnerDetailOut}, summary="Make a company or person a partner"
)
def create_partner(request: HttpRequest, payload: PartnerIn) -> Partner:
    company = _visible(Company, request.auth, payload.company, "company")
    person = _visible(Person, request.auth, payload.person, "person")
    partner = services.partner_create(
        actor=request.auth, company=company, person=person, **_fields(payload)
    )
    return _partner(request, partner.pk)


@router.get("/partners/{partner_id}", response=PartnerDetailOut, summary="A partner")
def get_partner(request: HttpRequest, partner_id: int) -> Partner:
    return _partner(request, partner_id)


@router.patch("/partners/{partner_id}", response=PartnerDetailOut, summary="Change a partner")
def update_partner(request: HttpRequest, partner_id: int, payload: PartnerPatch) -> Partner:
    partner = _partner(request, partner_id, write=True)
    services.partner_update(
        actor=request.auth, partner=partner, expected_version=payload.version, **_fields(payload)
    )
    return _partner(request, partner_id)


@router.delete(
    "/partners/{partner_id}", response={204: None}, summary="Move a partner to the trash"
)
def trash_partner(request: HttpRequest, partner_id: int) -> None:
    services.partner_trash(actor=request.auth, partner=_partner(request, partner_id, write=True))


@router.post(
    "/partners/{partner_id}/restore", response=PartnerDetailOut, summary="Restore a partner"
)
def restore_partner(request: HttpRequest, partner_id: int) -> Partner:
    partner = _partner(request, partner_id, write=True, trash=True)
    services.partner_restore(actor=request.auth, partner=partner)
    return _partner(request, partner_id)


@router.post(
    "/partners/{partner_id}/lines",
    response={201: LineOut},
    summary="Add a line to a partner's perfect-client definition",
)
def add_line(request: HttpRequest, partner_id: int, payload: LineIn) -> DefinitionLine:
    partner = _partner(request, partner_id, write=True)
    return services.line_add(
        actor=request.auth, partner=partner, kind=payload.kind, text=payload.text
    )


def _line(request: HttpRequest, line_id: int) -> DefinitionLine:
    line = DefinitionLine.objects.filter(pk=line_id, removed_at__isnull=True).first()
    if line is None:
        raise Http404
    _partner(request, line.partner_id, write=True)
    return line


@router.patch(
    "/partner-lines/{line_id}", response=LineOut, summary="Mark a line overlap or complement"
)
def mark_line(request: HttpRequest, line_id: int, payload: LinePatch) -> DefinitionLine:
    line = _line(request, line_id)
    return services.line_mark(
        actor=request.auth, line=line, mark=payload.mark, expected_version=payload.version
    )


@router.delete("/partner-lines/{line_id}", response={204: None}, summary="Remove a line")
def remove_line(request: HttpRequest, line_id: int) -> None:
    services.line_remove(actor=request.auth, line=_line(request, line_id))


@router.put(
    "/partners/{partner_id}/steps/{step}",
    response=StepOut,
    summary="Record the alliance step reached (again: correct it)",
)
def record_step(request: HttpRequest, partner_id: int, step: Step, payload: StepIn):
    partner = _partner(request, partner_id, write=True)
    return services.step_record(actor=request.auth, partner=partner, step=step, **payload.dict())


@router.get(
    "/partners/{partner_id}/referrals",
    response=list[ReferralOut],
    summary="A partner's latest referrals, both ways",
)
def partner_referrals(request: HttpRequest, partner_id: int):
    return selectors.partner_referrals(_partner(request, partner_id), user=request.auth, limit=200)


@router.post(
    "/referrals",
    response={201: ReferralOut},
    summary="Refer a deal, person or company to a partner, or record one they referred to us",
)
def create_referral(request: HttpRequest, payload: ReferralIn):
    actor = request.auth
    partner = selectors.visible_partners(actor).filter(pk=payload.partner).first()
    if partner is None:
        raise ValidationError({"partner": f"No partner with the id {payload.partner}."})
    referral = services.referral_create(
        actor=actor,
        partner=partner,
        direction=payload.direction,
        deal=_visible(Deal, actor, payload.deal, "deal"),
        person=_visible(Person, actor, payload.person, "person"),
        company=_visible(Company, actor, payload.company, "company"),
        reason=payload.reason,
        value=payload.value,
        referred_on=payload.referred_on,
        became_customer=payload.became_customer,
        won_revenue=payload.won_revenue,
        won_profit=payload.won_profit,
    )
    referral.subject_visible = True
    return referral


def _referral(request: HttpRequest, referral_id: int, *, trash: bool = False) -> Referral:
    """404 for a referral whose partner or subject the reader may not see (or in the trash,
    unless restoring); 403 for a partner they may not change."""
    referral = (
        Referral.all_objects.select_related("partner", "deal", "person", "company")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None or referral.in_trash != trash:
        raise Http404
    get_record_for_user(
        selectors.visible_partners(request.auth),
        user=request.auth,
        pk=referral.partner_id,
        write=True,
    )
    if not can_view_record(request.auth, referral.subject):
        raise Http404
    referral.subject_visible = True
    return referral


@router.patch(
    "/referrals/{referral_id}",
    response=ReferralOut,
    summary="Correct a referral or record what came of it (became a customer, won)",
)
def update_referral(request: HttpRequest, referral_id: int, payload: ReferralPatch):
    referral = _referral(request, referral_id)
    fields = payload.dict(exclude_unset=True)
    version = fields.pop("version", None)
    services.referral_update(
        actor=request.auth, referral=referral, expected_version=version, **fields
    )
    return _referral(request, referral_id)


@router.delete(
    "/referrals/{referral_id}", response={204: None}, summary="Move a referral to the trash"
)
def trash_referral(request: HttpRequest, referral_id: int) -> None:
    services.referral_trash(actor=request.auth, referral=_referral(request, referral_id))


@router.post("/referrals/{referral_id}/restore", response=ReferralOut, summary="Restore a referral")
def restore_referral(request: HttpRequest, referral_id: int):
    services.referral_restore(
        actor=request.auth, referral=_referral(request, referral_id, trash=True)
    )
    return _referral(request, referral_id)


# --- The 21-day challenge: the token's user's own --------------------------------------------


def _status(user: User):
    latest = challenge_rules.latest_challenge(user)
    if latest is None:
        raise Http404
    return challenge_rules.challenge_status(latest, user=user)


@router.get("/challenge", response=CurrentChallengeOut, summary="Your latest 21-day challenge")
def get_challenge(request: HttpRequest) -> dict:
    latest = challenge_rules.latest_challenge(request.auth)
    if latest is None:
        return {"challenge": None}
    return {"challenge": challenge_rules.challenge_status(latest, user=request.auth)}


@router.post("/challenge", response={201: ChallengeOut}, summary="Start the 21-day challenge")
def start_challenge(request: HttpRequest):
    challenge_rules.challenge_start(actor=request.auth)
    return _status(request.auth)


@router.post(
    "/challenge/meetings", response={201: ChallengeOut}, summary="Today's new collaborator met"
)
def meet_for_challenge(request: HttpRequest, payload: MeetingIn):
    person = _visible(Person, request.auth, payload.person, "person")
    challenge_rules.challenge_meet(actor=request.auth, person=person, note=payload.note)
    return _status(request.auth)
