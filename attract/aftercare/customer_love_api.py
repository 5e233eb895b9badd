"""REST endpoints of events, offers, visits and ideas. A private customer of someone else
answers 404 (their offer, visit or guest row) or is left out (an event's guests, an idea's
inspiration); a viewer's writes 403; a stale PATCH 409; bad input 422 with the field."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from attract.aftercare import customer_love_selectors as selectors
from attract.aftercare import customer_love_services as services
from attract.aftercare.models import (
    EventGuest,
    EventKind,
    IdeaStatus,
    OfferKind,
    OfferOutcome,
)
from attract.core.access import get_record_for_user
from attract.core.permissions import can_view_record, can_write, visible_to
from attract.engagement.models import Channel
from attract.people.models import Company, Person
from attract.people.schemas import VERSION_FIELD, PageQuery

router = Router(tags=["care: events, offers, visits, ideas"])


# --- Shapes ---------------------------------------------------------------------------------


class CustomerRef(Schema):
    company: int | None = None
    person: int | None = None
    name: str


class GuestOut(Schema):
    id: int
    customer: CustomerRef
    came: bool | None
    version: int


class EventOut(Schema):
    id: int
    title: str
    kind: EventKind
    held_on: date
    what_they_learned: str
    what_followed: str
    in_trash: bool
    version: int
    guests: list[GuestOut] = []


class EventFields(Schema):
    kind: EventKind | None = None
    held_on: date | None = None
    what_they_learned: str | None = Field(None, max_length=5000)
    what_followed: str | None = Field(None, max_length=5000)


class EventIn(EventFields):
    title: str = Field(..., max_length=200)
    held_on: date


class EventPatch(EventFields):
    title: str | None = Field(None, max_length=200)
    version: int | None = VERSION_FIELD


class InviteIn(Schema):
    company: int | None = None
    person: int | None = None


class AttendanceIn(Schema):
    came: bool


class OfferOut(Schema):
    id: int
    customer: CustomerRef
    kind: OfferKind
    what: str
    terms: str
    offered_on: date
    outcome: OfferOutcome
    answered_on: date | None
    in_trash: bool
    version: int


class OfferFields(Schema):
    kind: OfferKind | None = None
    terms: str | None = Field(None, max_length=500)
    offered_on: date | None = None


class OfferIn(OfferFields):
    company: int | None = None
    person: int | None = None
    what: str = Field(..., max_length=200)
    channel: Channel = Channel.EMAIL


class OfferPatch(OfferFields):
    what: str | None = Field(None, max_length=200)
    version: int | None = VERSION_FIELD


class OfferAnswerIn(Schema):
    outcome: OfferOutcome
    answered_on: date | None = None
    version: int | None = VERSION_FIELD


class OfferQuery(PageQuery):
    outcome: OfferOutcome | None = None
    company: int | None = None
    person: int | None = None


class VisitOut(Schema):
    id: int
    customer: CustomerRef
    visited_on: date
    what_we_watched: str
    what_we_learned: str
    in_trash: bool
    version: int


class VisitIn(Schema):
    company: int | None = None
    person: int | None = None
    visited_on: date | None = None
    what_we_watched: str = Field(..., max_length=500)
    what_we_learned: str | None = Field(None, max_length=5000)


class VisitPatch(Schema):
    visited_on: date | None = None
    what_we_watched: str | None = Field(None, max_length=500)
    what_we_learned: str | None = Field(None, max_length=5000)
    version: int | None = VERSION_FIELD


class CustomerQuery(PageQuery):
    company: int | None = None
    person: int | None = None


class IdeaOut(Schema):
    id: int
    title: str
    description: str
    status: IdeaStatus
    visit: int | None
    inspired_by: list[CustomerRef]
    in_trash: bool
    version: int


class IdeaIn(Schema):
    title: str = Field(..., max_length=200)
    description: str | None = Field(None, max_length=5000)
    status: IdeaStatus = IdeaStatus.NEW
    visit: int | None = None
    companies: list[int] = Field(default_factory=list, max_length=100)
    persons: list[int] = Field(default_factory=list, max_length=100)


class IdeaPatch(Schema):
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    status: IdeaStatus | None = None
    version: int | None = VERSION_FIELD


class IdeaLinkIn(InviteIn):
    remove: bool = False


class IdeaQuery(CustomerQuery):
    status: IdeaStatus | None = None


# --- Helpers --------------------------------------------------------------------------------


def _ref(customer) -> dict:
    if isinstance(customer, Company):
        return {"company": customer.pk, "person": None, "name": customer.name}
    return {"company": None, "person": customer.pk, "name": str(customer)}


def _visible(model, actor, pk: int | None, field: str):
    if pk is None:
        return None
    record = visible_to(model.objects.all(), actor).filter(pk=pk).first()
    if record is None:
        raise ValidationError({field: f"No {field} with the id {pk}."})
    return record


def _customer(actor, company: int | None, person: int | None) -> dict:
    return {"company": _visible(Company, actor, company, "company"),
            "person": _visible(Person, actor, person, "person")}  # fmt: skip


def _narrowed(actor, query) -> Any:
    found = _customer(actor, query.company, query.person)
    return found["company"] or found["person"]


def _fields(payload) -> dict[str, Any]:
    fields = payload.dict(exclude_unset=True)
    fields.pop("version", None)
    for name, value in list(fields.items()):
        if value is None and name in ("what_they_learned", "what_followed", "terms",
                                      "what_we_learned", "description"):  # fmt: skip
            fields[name] = ""
    return fields


def _require_writer(request) -> None:
    if not can_write(request.auth):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Your role can read but not change records.")


def _event_out(request, event, with_guests: bool = True) -> dict:
    out = {f: getattr(event, f) for f in ("id", "title", "kind", "held_on", "what_they_learned",
                                          "what_followed", "in_trash", "version")}  # fmt: skip
    if with_guests:
        out["guests"] = [{"id": g.pk, "customer": _ref(g.customer), "came": g.came,
                          "version": g.version}
                         for g in selectors.event_guests(request.auth, event)]  # fmt: skip
    return out


def _one_customer_out(record, fields: tuple[str, ...]) -> dict:
    return {"customer": _ref(record.customer), "in_trash": record.in_trash,
            **{f: getattr(record, f) for f in fields}}  # fmt: skip


OFFER = ("id", "kind", "what", "terms", "offered_on", "outcome", "answered_on", "version")
VISIT = ("id", "visited_on", "what_we_watched", "what_we_learned", "version")


def _idea_out(idea) -> dict:
    return {"id": idea.pk, "title": idea.title, "description": idea.description,
            "status": idea.status, "visit": idea.visit_id, "in_trash": idea.in_trash,
            "version": idea.version,
            "inspired_by": [_ref(c) for c in idea.inspired_companies]
            + [_ref(p) for p in idea.inspired_persons]}  # fmt: skip


def _event(pk: int, *, trash: bool = False):
    event = selectors.events(include_trash=True).filter(pk=pk).first()
    if event is None or (event.in_trash and not trash):
        raise Http404
    return event


def _offer(request, pk: int, *, write: bool = False, trash: bool = False):
    rows = selectors.visible_offers(request.auth, include_trash=True)
    offer = get_record_for_user(rows, user=request.auth, pk=pk, write=write)
    if offer.in_trash and not trash:
        raise Http404
    return offer


def _visit(request, pk: int, *, write: bool = False, trash: bool = False):
    rows = selectors.visible_visits(request.auth, include_trash=True)
    visit = get_record_for_user(rows, user=request.auth, pk=pk, write=write)
    if visit.in_trash and not trash:
        raise Http404
    return visit


def _idea(request, pk: int, *, trash: bool = False):
    idea = selectors.idea_list(request.auth, include_trash=True).filter(pk=pk).first()
    if idea is None or (idea.in_trash and not trash):
        raise Http404
    return idea


# --- Events ---------------------------------------------------------------------------------


@router.get("/customer-events", response=list[EventOut], summary="Events for customers")
def list_events(request: HttpRequest, query: Query[CustomerQuery]):
    rows = selectors.event_list(request.auth, _narrowed(request.auth, query))
    return [_event_out(request, e, False) for e in rows[query.offset : query.offset + query.limit]]


@router.post("/customer-events", response={201: EventOut}, summary="Add an event for customers")
def create_event(request: HttpRequest, payload: EventIn):
    fields = _fields(payload)
    event = services.event_create(actor=request.auth, title=fields.pop("title"),
                                  held_on=fields.pop("held_on"), **fields)  # fmt: skip
    return 201, _event_out(request, event)


@router.get("/customer-events/{event_id}", response=EventOut, summary="An event and its guests")
def get_event(request: HttpRequest, event_id: int):
    return _event_out(request, _event(event_id))


@router.patch("/customer-events/{event_id}", response=EventOut, summary="Change an event")
def update_event(request: HttpRequest, event_id: int, payload: EventPatch):
    _require_writer(request)
    event = services.event_update(actor=request.auth, event=_event(event_id),
                                  expected_version=payload.version, **_fields(payload))  # fmt: skip
    return _event_out(request, event)


@router.delete("/customer-events/{event_id}", response={204: None}, summary="Move to the trash")
def trash_event(request: HttpRequest, event_id: int):
    services.event_trash(actor=request.auth, event=_event(event_id))
    return 204, None


@router.post("/customer-events/{event_id}/restore", response=EventOut, summary="Restore")
def restore_event(request: HttpRequest, event_id: int):
    event = _event(event_id, trash=True)
    services.event_restore(actor=request.auth, event=event)
    return _event_out(request, event)


@router.post("/customer-events/{event_id}/guests", response={201: GuestOut},
             summary="Invite a customer (logged on their timeline)")  # fmt: skip
def invite(request: HttpRequest, event_id: int, payload: InviteIn):
    _require_writer(request)
    guest = services.event_invite(actor=request.auth, event=_event(event_id),
                                  **_customer(request.auth, payload.company, payload.person))  # fmt: skip
    return 201, {"id": guest.pk, "customer": _ref(guest.customer), "came": guest.came,
                 "version": guest.version}  # fmt: skip


@router.post("/event-guests/{guest_id}/attendance", response=GuestOut,
             summary="Record whether a guest came")  # fmt: skip
def attendance(request: HttpRequest, guest_id: int, payload: AttendanceIn):
    guest = EventGuest.objects.select_related("event", "company", "person").filter(pk=guest_id)
    guest = guest.first()
    if guest is None or guest.event.in_trash or not can_view_record(request.auth, guest.customer):
        raise Http404
    guest = services.event_attendance(actor=request.auth, guest=guest, came=payload.came)
    return {"id": guest.pk, "customer": _ref(guest.customer), "came": guest.came,
            "version": guest.version}  # fmt: skip


# --- Offers ---------------------------------------------------------------------------------


@router.get("/offers", response=list[OfferOut], summary="Offers to customers")
def list_offers(request: HttpRequest, query: Query[OfferQuery]):
    rows = selectors.offer_list(request.auth, outcome=query.outcome or "",
                                customer=_narrowed(request.auth, query))  # fmt: skip
    return [_one_customer_out(o, OFFER) for o in rows[query.offset : query.offset + query.limit]]


@router.post("/offers", response={201: OfferOut}, summary="Offer something new to a customer")
def create_offer(request: HttpRequest, payload: OfferIn):
    fields = _fields(payload)
    customer = _customer(request.auth, fields.pop("company", None), fields.pop("person", None))
    if fields.get("offered_on") is None:
        fields.pop("offered_on", None)
    offer = services.offer_make(actor=request.auth, **customer, **fields)
    return 201, _one_customer_out(offer, OFFER)


@router.get("/offers/{offer_id}", response=OfferOut, summary="An offer")
def get_offer(request: HttpRequest, offer_id: int):
    return _one_customer_out(_offer(request, offer_id), OFFER)


@router.patch("/offers/{offer_id}", response=OfferOut, summary="Change an offer")
def update_offer(request: HttpRequest, offer_id: int, payload: OfferPatch):
    offer = services.offer_update(actor=request.auth, offer=_offer(request, offer_id, write=True),
                                  expected_version=payload.version, **_fields(payload))  # fmt: skip
    return _one_customer_out(offer, OFFER)


@router.post("/offers/{offer_id}/answer", response=OfferOut,
             summary="Their answer: taken or declined (logged on their timeline)")  # fmt: skip
def answer_offer(request: HttpRequest, offer_id: int, payload: OfferAnswerIn):
    offer = services.offer_answer(
        actor=request.auth, offer=_offer(request, offer_id, write=True), outcome=payload.outcome,
        answered_on=payload.answered_on, expected_version=payload.version,
    )  # fmt: skip
    return _one_customer_out(offer, OFFER)


@router.delete("/offers/{offer_id}", response={204: None}, summary="Move to the trash")
def trash_offer(request: HttpRequest, offer_id: int):
    services.offer_trash(actor=request.auth, offer=_offer(request, offer_id, write=True))
    return 204, None


@router.post("/offers/{offer_id}/restore", response=OfferOut, summary="Restore")
def restore_offer(request: HttpRequest, offer_id: int):
    offer = _offer(request, offer_id, write=True, trash=True)
    services.offer_restore(actor=request.auth, offer=offer)
    return _one_customer_out(offer, OFFER)


# --- Visits ---------------------------------------------------------------------------------


@router.get("/visits", response=list[VisitOut], summary="Visits to customers")
def list_visits(request: HttpRequest, query: Query[CustomerQuery]):
    rows = selectors.visit_list(request.auth, _narrowed(request.auth, query))
    return [_one_customer_out(v, VISIT) for v in rows[query.offset : query.offset + query.limit]]


@router.post(
    "/visits", response={201: VisitOut}, summary="Record a visit (logged on their timeline)"
)
def create_visit(request: HttpRequest, payload: VisitIn):
    fields = _fields(payload)
    customer = _customer(request.auth, fields.pop("company", None), fields.pop("person", None))
    if fields.get("visited_on") is None:
        fields.pop("visited_on", None)
    visit = services.visit_record(actor=request.auth, **customer, **fields)
    return 201, _one_customer_out(visit, VISIT)


@router.get("/visits/{visit_id}", response=VisitOut, summary="A visit")
def get_visit(request: HttpRequest, visit_id: int):
    return _one_customer_out(_visit(request, visit_id), VISIT)


@router.patch("/visits/{visit_id}", response=VisitOut, summary="Change a visit")
def update_visit(request: HttpRequest, visit_id: int, payload: VisitPatch):
    visit = services.visit_update(actor=request.auth, visit=_visit(request, visit_id, write=True),
                                  expected_version=payload.version, **_fields(payload))  # fmt: skip
    return _one_customer_out(visit, VISIT)


@router.delete("/visits/{visit_id}", response={204: None}, summary="Move to the trash")
def trash_visit(request: HttpRequest, visit_id: int):
    services.visit_trash(actor=request.auth, visit=_visit(request, visit_id, write=True))
    return 204, None


@router.post("/visits/{visit_id}/restore", response=VisitOut, summary="Restore")
def restore_visit(request: HttpRequest, visit_id: int):
    visit = _visit(request, visit_id, write=True, trash=True)
    services.visit_restore(actor=request.auth, visit=visit)
    return _one_customer_out(visit, VISIT)


# --- Ideas ----------------------------------------------------------------------------------


@router.get("/ideas", response=list[IdeaOut], summary="Ideas from customers")
def list_ideas(request: HttpRequest, query: Query[IdeaQuery]):
    rows = selectors.idea_list(request.auth, status=query.status or "",
                               customer=_narrowed(request.auth, query))  # fmt: skip
    return [_idea_out(i) for i in rows[query.offset : query.offset + query.limit]]


@router.post("/ideas", response={201: IdeaOut}, summary="Keep an idea from customers")
def create_idea(request: HttpRequest, payload: IdeaIn):
    fields = _fields(payload)
    companies = [
        _visible(Company, request.auth, pk, "companies") for pk in fields.pop("companies", [])
    ]
    persons = [_visible(Person, request.auth, pk, "persons") for pk in fields.pop("persons", [])]
    visit_id = fields.pop("visit", None)
    if visit_id is not None:
        visit = selectors.visible_visits(request.auth).filter(pk=visit_id).first()
        if visit is None:
            raise ValidationError({"visit": f"No visit with the id {visit_id}."})
        fields["visit"] = visit
    idea = services.idea_create(actor=request.auth, companies=companies, persons=persons,
                                **fields)  # fmt: skip
    return 201, _idea_out(_idea(request, idea.pk))


@router.get("/ideas/{idea_id}", response=IdeaOut, summary="An idea")
def get_idea(request: HttpRequest, idea_id: int):
    return _idea_out(_idea(request, idea_id))


@router.patch("/ideas/{idea_id}", response=IdeaOut, summary="Change an idea")
def update_idea(request: HttpRequest, idea_id: int, payload: IdeaPatch):
    _require_writer(request)
    services.idea_update(actor=request.auth, idea=_idea(request, idea_id),
                         expected_version=payload.version, **_fields(payload))  # fmt: skip
    return _idea_out(_idea(request, idea_id))


@router.post("/ideas/{idea_id}/customers", response=IdeaOut,
             summary="Link (or unlink) a customer who inspired the idea")  # fmt: skip
def link_idea(request: HttpRequest, idea_id: int, payload: IdeaLinkIn):
    _require_writer(request)
    services.idea_link(actor=request.auth, idea=_idea(request, idea_id), remove=payload.remove,
                       **_customer(request.auth, payload.company, payload.person))  # fmt: skip
    return _idea_out(_idea(request, idea_id))


@router.delete("/ideas/{idea_id}", response={204: None}, summary="Move to the trash")
def trash_idea(request: HttpRequest, idea_id: int):
    services.idea_trash(actor=request.auth, idea=_idea(request, idea_id))
    return 204, None


@router.post("/ideas/{idea_id}/restore", response=IdeaOut, summary="Restore")
def restore_idea(request: HttpRequest, idea_id: int):
    services.idea_restore(actor=request.auth, idea=_idea(request, idea_id, trash=True))
    return _idea_out(_idea(request, idea_id))
