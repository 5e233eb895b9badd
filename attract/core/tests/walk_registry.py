"""How the persona walk reaches every page and every API operation (see test_persona_walk.py).

Each URL name of the web app and each API operation ("METHOD /api/v1/path") has one entry
saying how to fill its arguments from the world (walk_world.py), who may read it and who may
change through it. A URL pattern or an operation without an entry fails the walk: a new page
or endpoint joins it by being added here (docs/security.md).

`args` maps each URL argument to a kind of record in the world ("person", "deal", ...), whose
shared and private records are both walked, or to a literal value written "=value".
`reads` and `writes` name who may: "public" (anyone, signed in or not), "signed_in" (any
signed-in user, each on their own things), "team" (signed-in users; writing needs a role that
writes), "writers" (a form page only those who write open), "managers" (the owner and admins),
"owner". `writes=None`: the address only reads.
For a private record the record's own audience (World.access) narrows both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from attract.core.tests.walk_world import MANAGERS, OWNER, PERSONAS, SIGNED_IN, VISITOR, WRITERS

AUDIENCES = {
    "public": frozenset(PERSONAS),
    "signed_in": SIGNED_IN,
    "team": SIGNED_IN,
    "writers": WRITERS,
    "managers": MANAGERS,
    "owner": frozenset({OWNER}),
}
WRITE_AUDIENCES = {
    "public": frozenset(PERSONAS),
    "signed_in": SIGNED_IN,
    "team": WRITERS,
    "managers": MANAGERS,
    "owner": frozenset({OWNER}),
}


@dataclass(frozen=True)
class Route:
    args: dict[str, str] = field(default_factory=dict)
    reads: str = "team"
    writes: str | None = None
    # The body of a write: the API's JSON (valid, so that a refusal is a refusal and not a
    # complaint about the body), the web's form fields.
    data: dict = field(default_factory=dict)
    # The query string, or several, each walked; as in `data`, "@kind" stands for the id of
    # that kind's record in the variant walked, "@kind!private" for its private record always.
    query: dict | list[dict] = field(default_factory=dict)
    # The page answers htmx requests with a fragment of its own: walked that way too.
    htmx: bool = False
    # The whole installation, for `attract restore`: its owner reads every record in it but
    # other authors' thank-you notes (World.personal).
    backup: bool = False
    # The GET does nothing useful (a POST-only address answers 405): not read, only written.
    post_only: bool = False

    def queries(self) -> list[dict]:
        return (
            [self.query] if isinstance(self.query, dict) and self.query else list(self.query or [])
        )

    def kinds(self) -> list[str]:
        return [value for value in self.args.values() if not value.startswith("=")]

    def readers(self) -> frozenset[str]:
        return AUDIENCES[self.reads]

    def writers(self) -> frozenset[str]:
        return WRITE_AUDIENCES[self.writes] if self.writes else frozenset()


def page(**kwargs) -> Route:
    return Route(**kwargs)


def post(**kwargs) -> Route:
    kwargs.setdefault("writes", "team")
    return Route(post_only=True, **kwargs)


PK = "pk"
# A valid joint initiative (web form and API body alike); the partner is added per variant.
INITIATIVE_FORM = {"title": "Walked", "kind": "seminar", "held_on": "2099-01-01",
                   "our_role": "speaker", "audience": "3"}  # fmt: skip

# --- The web app: URL name -> Route ------------------------------------------------------
WEB: dict[str, Route] = {
    "web:today": page(),
    "aftercare:care": page(query=[{}, {"page": "2"}]),
    "aftercare:care_touch": post(args={PK: "care"}, data={"act": "note", "text": "Walked"}),
    "aftercare:plans": page(writes="team", data={"name": "Walked plan", "rhythm_days": "60"}),
    "aftercare:plan_detail": page(
        args={PK: "care_plan"}, writes="team", data={"name": "Walked", "rhythm_days": "30"}
    ),
    "aftercare:plan_step_add": post(
        args={PK: "care_plan"},
        data={
            "title": "W",
            "day": "1",
            "repeat_months": "0",
            "doer": "deal_owner",
            "channel": "call",
        },
    ),  # fmt: skip
    "aftercare:plan_trash": post(args={PK: "care_plan"}),
    "aftercare:plan_restore": post(args={PK: "trashed_care_plan"}),
    "aftercare:plan_step_remove": post(args={PK: "plan_step"}),
    "aftercare:step_done": post(args={PK: "care_step"}, data={"summary": "Walked"}),
    "aftercare:promise_create": post(
        args={"kind": "=company", PK: "company"}, data={"what": "W", "due_on": "2099-01-01"}
    ),
    "aftercare:promise_record": post(args={PK: "promise"}, data={"kept": "yes"}),
    "aftercare:experience_create": post(
        args={"kind": "=company", PK: "company"},
        data={"is_good": "yes", "what": "W", "feeling": "pleased"},
    ),
    "aftercare:expectation_add": post(
        args={PK: "deal"}, data={"their_words": "W", "due_in_days": "3"}
    ),  # fmt: skip
    "aftercare:expectation_delete": post(args={PK: "deal_expectation"}),
    "reports:dashboard": page(),
    "reports:report": page(args={"name": "=profit"}),
    "reports:report_csv": page(args={"name": "=profit"}),
    "reports:pin": post(args={"name": "=profit"}, writes="signed_in"),
    "reports:lost_reasons": page(writes="managers", data={"name": "Walked reason"}),
    "reports:lost_reason_update": post(
        args={"pk": "=1"}, writes="managers", data={"name": "Price", "is_active": "on"}
    ),
    "aftercare:person_date_add": post(
        args={PK: "person"}, data={"label": "Birthday", "day": "3", "month": "5"}
    ),
    "aftercare:person_date_remove": post(args={PK: "person_date"}),
    "web:healthz": page(reads="public"),
    "web:search": page(query=[{}, {"q": "zqm"}, {"q": "private"}], htmx=True),
    "web:palette": page(query=[{"q": "zqm"}, {"q": "log a call with zqm"}]),
    "web:saved_views": page(query=[{}, {"list": "deals"}]),
    "web:saved_view_save": post(
        writes="signed_in", data={"list_name": "deals", "name": "Walked", "query": "q=zqm"}
    ),
    "web:saved_view_rename": post(args={PK: "saved_view"}, writes="signed_in", data={"name": "W"}),
    "web:saved_view_delete": post(args={PK: "saved_view"}, writes="signed_in"),
    "web:setup": page(reads="public", writes="public"),
    "accounts:login": page(reads="public", writes="public"),
    "accounts:logout": post(writes="public"),
    "accounts:invitation_accept": page(
        args={"token": "invite_token"}, reads="public", writes="public"
    ),
    "accounts:settings": page(),
    "accounts:profile": page(writes="signed_in"),
    "accounts:password_change": page(writes="signed_in"),
    "accounts:token_list": page(),
    "accounts:token_create": post(writes="signed_in", data={"name": "Walk"}),
    "accounts:token_revoke": post(args={PK: "api_token"}, writes="signed_in"),
    "accounts:team": page(reads="managers"),
    "accounts:member_role_change": post(
        args={PK: "member"}, writes="managers", data={"role": "viewer"}
    ),
    "accounts:member_deactivate": post(args={PK: "member"}, writes="managers"),
    "accounts:member_reactivate": post(args={PK: "member"}, writes="managers"),
    "accounts:invitation_create": post(
        writes="managers", data={"email": "new@walk.example", "role": "member"}
    ),
    "accounts:invitation_revoke": post(args={PK: "invitation"}, writes="managers"),
    "jobs:background": page(reads="managers"),
    "jobs:retention": post(writes="owner", data={"days": "30"}),
    "jobs:retry": post(args={"job_id": "job"}, writes="managers"),
    "people:person_list": page(
        query=[{"q": "zqm"}, {"company": "@company"}, {"tag": "zqm", "sort": "company"}]
    ),
    "people:person_create": page(
        reads="writers",
        query={"company": "@company"},
        writes="team",
        data={"first_name": "New", "last_name": "One"},
    ),
    "people:person_detail": page(args={PK: "person"}),
    "people:person_edit": page(
        reads="writers", args={PK: "person"}, writes="team", data={"first_name": "X"}
    ),
    # Edit in place: the editor (and the field) only for those who may change the record.
    "people:person_field": page(
        reads="writers",
        args={PK: "person", "name": "=job_title"},
        query=[{"edit": "1", "place": "detail"}, {"place": "row"}],
        htmx=True,
        writes="team",
        data={"value": "Walker", "place": "row"},
    ),
    "people:company_field": page(
        reads="writers",
        args={PK: "company", "name": "=relationship"},
        query=[{"edit": "1", "place": "row"}, {"place": "detail"}],
        htmx=True,
        writes="team",
        data={"value": "partner", "place": "detail"},
    ),
    "people:company_list": page(query=[{"q": "zqm"}, {"sort": "name"}]),
    "people:company_create": page(reads="writers", writes="team", data={"name": "New company"}),
    "people:company_suggest": page(query=[{"q": "zqm"}, {"company": "zqm"}]),
    "people:company_detail": page(args={PK: "company"}),
    "people:company_edit": page(
        reads="writers", args={PK: "company"}, writes="team", data={"name": "X"}
    ),
    "people:trash": page(),
    "people:bulk_change": post(
        args={"kind": "=persons"}, data={"ids": "@person", "action": "add_tag", "tag": "walked"}
    ),
    "people:bulk_change_undo": post(args={PK: "bulkchange"}),
    "pipeline:deal_bulk_change": post(data={"ids": "@deal", "action": "add_tag", "tag": "walked"}),
    "people:person_trash": post(args={PK: "person"}),
    "people:person_restore": post(args={PK: "person"}),
    "people:person_merge": page(
        reads="writers",
        args={PK: "person"},
        writes="team",
        query=[{}, {"q": "zqm"}, {"other": "@person!private"}],
        htmx=True,
    ),
    "people:company_trash": post(args={PK: "company"}),
    "people:company_restore": post(args={PK: "trashed_company"}),
    "people:company_merge": page(
        reads="writers",
        args={PK: "company"},
        writes="team",
        query=[{}, {"q": "zqm"}, {"other": "@company!private"}],
        htmx=True,
    ),
    "pipeline:board": page(query=[{}, {"q": "zqm"}], htmx=True),
    "pipeline:forecast": page(),
    "pipeline:long_maybes": page(),
    "pipeline:stage_settings": page(writes="managers"),
    "pipeline:questions": page(writes="team", data={"text": "Why now?"}),
    "pipeline:question_update": post(args={PK: "tough_question"}, data={"text": "Why?"}),
    "pipeline:deal_create": page(
        reads="writers",
        query={"company": "@company", "contact": "@person"},
        writes="team",
        data={"title": "New deal"},
    ),
    "pipeline:deal_list": page(
        query=[{"q": "zqm"}, {"company": "@company"}, {"contact": "@person"}]
    ),
    "pipeline:closed_list": page(query=[{}, {"q": "zqm"}]),
    "pipeline:deal_detail": page(args={PK: "deal"}),
    "pipeline:deal_edit": page(
        reads="writers", args={PK: "deal"}, writes="team", data={"title": "X"}
    ),
    "pipeline:deal_move": post(args={PK: "deal"}, data={"stage": "interest"}),
    # A move that is not the deal's last: refused with its reason, never applied.
    "pipeline:deal_undo_move": post(args={PK: "deal", "move_pk": "=1"}, data={"version": "1"}),
    "pipeline:deal_conviction": post(args={PK: "deal"}),
    "pipeline:deal_win": post(args={PK: "deal"}),
    "pipeline:deal_lose": post(args={PK: "deal"}, data={"reason": "price"}),
    "pipeline:deal_refer_out": post(args={PK: "deal"}),
    "pipeline:deal_close_as_no": post(args={PK: "deal"}),
    "pipeline:deal_reopen": post(args={PK: "deal"}),
    "pipeline:deal_trash": post(args={PK: "deal"}),
    "pipeline:deal_restore": post(args={PK: "deal"}),
    "pipeline:quote_create": post(args={PK: "deal"}, data={"amount": "10"}),
    "pipeline:quote_update": post(args={PK: "quote"}, data={"action": "send"}),
    "attraction:plan": page(),
    "attraction:quality_add": post(data={"text": "Walk quality", "weight": "3"}),
    "attraction:quality_change": post(args={PK: "quality"}, data={"text": "Changed"}),
    "attraction:quality_remove": post(args={PK: "quality"}),
    "attraction:quality_restore": post(args={PK: "quality"}),
    "attraction:question_add": post(data={"text": "Walk question"}),
    "attraction:question_change": post(args={PK: "plan_question"}, data={"text": "Changed"}),
    "attraction:question_remove": post(args={PK: "plan_question"}),
    "attraction:question_restore": post(args={PK: "plan_question"}),
    "attraction:expectation_add": post(
        data={"text": "Walk expectation", "category": "services", "better": ""}
    ),
    "attraction:expectation_line": page(args={PK: "expectation"}),
    "attraction:expectation_remove": post(args={PK: "expectation"}),
    "attraction:expectation_restore": post(args={PK: "expectation"}),
    "attraction:perfect_number": post(data={"perfect_number": "12"}),
    "attraction:statement": post(data={"statement": "Changed"}),
    "attraction:revision_create": post(data={"note": "Walk"}),
    "attraction:compare": page(),
    "attraction:print": page(),
    "attraction:pdf": page(),
    "attraction:journal": page(
        writes="team",
        query=[{}, {"company": "@company"}, {"person": "@person"}],
        data={"text": "Walk complaint"},
    ),
    "attraction:complaint_turn": post(args={PK: "complaint"}, data={"text": "Pays"}),
    "attraction:traits": page(writes="team", data={"less_than_perfect": "a", "opposite": "b"}),
    "attraction:trait_add": post(args={PK: "trait"}),
    "attraction:notes": page(writes="signed_in", data={"text": "Thanks", "to_whom": "Ann"}),
    "attraction:note_delete": post(args={PK: "note"}, writes="signed_in"),
    "attraction:learning": page(),
    "attraction:companies_by_fit": page(query=[{}, {"sort": "name"}]),
    "attraction:deal_not_a_fit": post(args={PK: "deal"}),
    "attraction:assess": post(args={"subject": "=company", PK: "company"}),
    "attraction:require": post(args={"subject": "=company", PK: "company"}),
    "transfer:import_start": page(writes="team"),
    "transfer:import_history": page(),
    "transfer:import_settings": page(reads="owner", writes="owner"),
    "transfer:import_job": page(args={PK: "import"}, writes="team"),
    "transfer:import_progress": page(args={PK: "import"}),
    "transfer:import_status": page(args={PK: "import"}),
    "transfer:import_undo": post(args={PK: "import"}),
    "transfer:import_rejected": page(args={PK: "import"}),
    "transfer:export_persons": page(),
    "transfer:export_persons_vcard": page(query=[{}, {"version": "4.0"}]),
    "transfer:export_companies": page(),
    "transfer:export_deals": page(query=[{}, {"closed": "1"}]),
    "transfer:export_all": page(reads="owner", backup=True),
    "engagement:interaction_edit": page(
        args={PK: "interaction"},
        writes="team",
        data={
            "channel": "call",
            "direction": "they_reached_out",
            "summary": "Walked",
            "occurred_at": "2026-01-05T10:00",
        },
    ),
    "engagement:interaction_delete": post(args={PK: "interaction"}),
    "engagement:interaction_restore": post(args={PK: "trashed_interaction"}),
    "engagement:interaction_log": post(
        args={"kind": "=person", PK: "person"},
        data={"channel": "call", "direction": "they_reached_out", "summary": "Walk call"},
    ),
    "engagement:interactions": page(
        query=[
            {},
            {"channel": "call", "direction": "we_reached_out", "by": "mine", "days": "30"},
            {"person": "@person", "q": "walk", "page": "2"},
        ],
    ),
    "engagement:interaction_bulk_change": post(data={"ids": "@interaction", "action": "trash"}),
    "engagement:review": page(htmx=True),
    "engagement:verdict_override": post(args={PK: "deal"}, data={"verdict": "push"}),
    "engagement:awaiting": page(),
    "engagement:goals": page(writes="signed_in"),
    "engagement:tasks": page(
        htmx=True,
        writes="team",
        data={"title": "Walk", "due_at": "2026-12-10T09:00", "person": "@person"},
        query=[{}, {"scope": "all", "due": "week", "person": "@person", "sort": "-due"}],
    ),
    "engagement:task_edit": page(
        reads="writers",
        args={PK: "task"},
        writes="team",
        data={"title": "Walked", "due_at": "2026-12-10T09:00"},
    ),
    "engagement:task_bulk_change": post(data={"ids": "@task", "action": "mark_done"}),
    "engagement:task_trash": post(args={PK: "task"}),
    "engagement:task_restore": post(args={PK: "trashed_task"}),
    "engagement:task_create": post(args={"kind": "=deal", PK: "deal"}, data={"title": "Walk"}),
    "engagement:task_done": post(args={PK: "task"}),
    "engagement:task_undo": post(args={PK: "task"}),
    "engagement:calendar_reset": post(writes="signed_in"),
    "engagement:calendar_feed": page(args={"token": "calendar_feed"}, reads="public"),
    "partners:list": page(query=[{}, {"q": "zqm"}, {"sort": "referred_in"}], htmx=True),
    "partners:create": page(
        reads="writers",
        query=[{}, {"q": "zqm"}, {"company": "@company"}],
        writes="team",
        data={"company": "@company"},
    ),
    "partners:detail": page(args={PK: "partner"}),
    "partners:edit": page(
        reads="writers", args={PK: "partner"}, writes="team", data={"notes": "Walked"}
    ),
    "partners:trash": post(args={PK: "partner"}),
    "partners:restore": post(args={PK: "trashed_partner"}),
    "partners:line_add": post(args={PK: "partner"}, data={"kind": "quality", "text": "Walk"}),
    "partners:line_mark": post(args={PK: "partner_line"}, data={"mark": "overlap"}),
    "partners:line_remove": post(args={PK: "partner_line"}),
    "partners:step_record": post(args={PK: "partner"}, data={"step": "identified"}),
    "partners:refer": page(
        reads="writers",
        args={"kind": "=deal", PK: "deal"},
        writes="team",
        data={"partner": "@partner", "direction": "in"},
    ),
    "partners:challenge": page(query=[{}, {"q": "zqm"}]),
    "partners:challenge_start": post(),
    "partners:challenge_meet": post(data={"person": "@person"}),
    "partners:initiatives": page(query=[{}, {"q": "zqm"}, {"sort": "date"}, {"kind": "seminar"}]),
    "partners:initiative_create": page(
        reads="writers",
        query=[{}, {"partner": "@partner"}],
        writes="team",
        data={**INITIATIVE_FORM, "partners": "@partner"},
    ),
    "partners:initiative_detail": page(args={PK: "initiative"}, query=[{}, {"q": "zqm"}]),
    "partners:initiative_edit": page(
        reads="writers",
        args={PK: "initiative"},
        writes="team",
        data={**INITIATIVE_FORM, "partners": "@partner"},
    ),
    "partners:initiative_trash": post(args={PK: "initiative"}),
    "partners:initiative_restore": post(args={PK: "trashed_initiative"}),
    "partners:initiative_add_person": post(args={PK: "initiative"}, data={"person": "@person"}),
    "partners:topics": page(writes="team", data={"name": "Walked"}),
    "partners:topic_edit": page(args={PK: "topic"}, writes="team", data={"name": "Walked"}),
    "partners:topic_trash": post(args={PK: "topic"}),
    "partners:topic_restore": post(args={PK: "trashed_topic"}),
    "partners:referral_edit": page(
        args={PK: "referral"}, writes="team", data={"referred_on": "2026-01-02", "value": "1"}
    ),
    "partners:referral_trash": post(args={PK: "referral"}),
    "partners:referral_restore": post(args={PK: "trashed_referral"}),
    "partners:article_add": post(args={PK: "topic"}, data={"title": "Walked"}),
    "partners:article": page(args={PK: "article"}),
    "partners:article_trash": post(args={PK: "article"}),
    "partners:article_restore": post(args={PK: "trashed_article"}),
    "mailbox:settings": page(
        writes="team",
        data={
            "host": "imap.walk.example",
            "port": "993",
            "security": "tls",
            "username": "walker",
            "password": "pw",
            "inbox_folder": "INBOX",
        },
    ),
    "mailbox:test": post(),
    "mailbox:sync": post(),
    "mailbox:disconnect": post(),
    "mailbox:import": page(writes="team"),
    "mailbox:unmatched": page(query=[{}, {"page": "2"}]),
    "mailbox:unmatched_add": post(args={PK: "unmatched"}),
    "mailbox:unmatched_dismiss": post(args={PK: "unmatched"}),
    "webhooks:list": page(reads="managers"),
    "webhooks:add": post(writes="managers", data={"url": "https://hooks.example.com/n"}),
    "webhooks:detail": page(args={PK: "subscription"}, reads="managers"),
    "webhooks:edit": post(args={PK: "subscription"}, writes="managers"),
    "webhooks:switch": post(args={PK: "subscription"}, writes="managers"),
    "webhooks:delete": post(args={PK: "subscription"}, writes="managers"),
    "webhooks:ping": post(args={PK: "subscription"}, writes="managers"),
    "webhooks:resend": post(
        args={PK: "subscription", "delivery_pk": "delivery"}, writes="managers"
    ),
    # --- Aftercare: events, offers, visits and ideas (issue 16, part 6), a plan step's edit.
    "aftercare:plan_step_edit": page(
        args={PK: "plan_step"},
        writes="team",
        data={
            "title": "W",
            "day": "2",
            "repeat_months": "0",
            "doer": "deal_owner",
            "channel": "call",
        },
    ),  # fmt: skip
    "aftercare:events": page(
        writes="team", data={"title": "Walked event", "kind": "workshop", "held_on": "2026-01-01"}
    ),
    "aftercare:event_detail": page(
        args={PK: "customer_event"},
        query=[{}, {"q": "zqm"}, {"q": "walk"}],
        writes="team",
        data={"title": "Walked", "kind": "preview", "held_on": "2026-01-02"},
    ),  # fmt: skip
    "aftercare:event_invite": post(args={PK: "customer_event"}, data={"company": "@company"}),
    "aftercare:event_trash": post(args={PK: "customer_event"}),
    "aftercare:event_restore": post(args={PK: "trashed_customer_event"}),
    "aftercare:guest_attendance": post(args={PK: "event_guest"}, data={"came": "yes"}),
    "aftercare:offers": page(query=[{}, {"company": "@customer"}, {"outcome": "taken"}]),
    "aftercare:offer_create": page(
        reads="writers",
        args={"kind": "=company", PK: "customer"},
        writes="team",
        data={"kind": "product", "what": "Walked", "offered_on": "2026-01-01", "channel": "email"},
    ),  # fmt: skip
    "aftercare:offer_detail": page(
        args={PK: "offer"},
        writes="team",
        data={"kind": "terms", "what": "Walked", "offered_on": "2026-01-01"},
    ),  # fmt: skip
    "aftercare:offer_answer": post(args={PK: "offer"}, data={"outcome": "taken"}),
    "aftercare:offer_trash": post(args={PK: "offer"}),
    "aftercare:offer_restore": post(args={PK: "trashed_offer"}),
    "aftercare:visits": page(query=[{}, {"person": "@person"}]),
    "aftercare:visit_create": page(
        reads="writers",
        args={"kind": "=company", PK: "customer"},
        writes="team",
        data={"visited_on": "2026-01-01", "what_we_watched": "Walked"},
    ),  # fmt: skip
    "aftercare:visit_detail": page(
        args={PK: "visit"},
        writes="team",
        data={"visited_on": "2026-01-01", "what_we_watched": "Walked"},
    ),  # fmt: skip
    "aftercare:visit_trash": post(args={PK: "visit"}),
    "aftercare:visit_restore": post(args={PK: "trashed_visit"}),
    "aftercare:ideas": page(
        query=[{}, {"status": "new"}],
        writes="team",
        data={"title": "Walked idea", "status": "new", "company": "@customer"},
    ),  # fmt: skip
    "aftercare:idea_detail": page(
        args={PK: "idea"}, writes="team", data={"title": "Walked", "status": "doing"}
    ),
    "aftercare:idea_link": post(args={PK: "idea"}, data={"company": "@customer"}),
    "aftercare:idea_trash": post(args={PK: "idea"}),
    "aftercare:idea_restore": post(args={PK: "trashed_idea"}),
    # --- Aftercare: departures, the exit survey, repeat purchase, testimonials (issue 17).
    "aftercare:departures": page(
        query=[
            {},
            {"start": "2000-01-01", "end": "2099-01-01", "source": "guess"},
            {"reason": "indifference", "source": "answers"},
        ]
    ),  # fmt: skip
    "aftercare:departure_create": page(
        reads="writers",
        args={"company_pk": "customer"},
        writes="team",
        data={"departed_on": "2026-01-02", "reason": "moved"},
    ),  # fmt: skip
    "aftercare:departure_detail": page(args={PK: "departure"}),
    "aftercare:departure_edit": page(
        reads="writers",
        args={PK: "departure"},
        writes="team",
        data={"departed_on": "2026-01-01", "reason": "friend"},
    ),  # fmt: skip
    "aftercare:survey_link_create": post(args={PK: "departure"}),
    "aftercare:departure_trash": post(args={PK: "departure"}),
    "aftercare:departure_restore": post(args={PK: "trashed_departure"}),
    "aftercare:survey": page(
        args={"token": "survey_token"},
        reads="public",
        writes="public",
        data={"reason": "indifference"},
    ),  # fmt: skip
    "aftercare:survey_thanks": page(reads="public"),
    "aftercare:repeat": page(query=[{}, {"sort": "profit"}]),
    "aftercare:testimonials": page(),
    "aftercare:testimonial_create": page(
        reads="writers",
        query=[{}, {"company": "@customer"}, {"q": "zqm"}],
        writes="team",
        data={"words": "Walked", "consent": "none"},
    ),  # fmt: skip
    "aftercare:testimonial_export": page(),
    "aftercare:testimonial_ask": post(args={"company_pk": "customer"}),
    "aftercare:testimonial_detail": page(args={PK: "testimonial"}),
    "aftercare:testimonial_edit": page(
        reads="writers",
        args={PK: "testimonial"},
        writes="team",
        data={"words": "Walked", "said_on": "2026-01-01", "consent": "none"},
    ),  # fmt: skip
    "aftercare:testimonial_publish": post(args={PK: "testimonial"}),
    "aftercare:testimonial_print": page(args={PK: "testimonial"}),
    "aftercare:testimonial_trash": post(args={PK: "testimonial"}),
    "aftercare:testimonial_restore": post(args={PK: "trashed_testimonial"}),
    "aftercare:case_create": page(
        reads="writers",
        query=[{}, {"company": "@customer"}],
        writes="team",
        data={"title": "W", "pain": "p", "what_we_did": "w", "result": "1", "consent": "none"},
    ),  # fmt: skip
    "aftercare:case_detail": page(args={PK: "case_study"}),
    "aftercare:case_edit": page(
        reads="writers",
        args={PK: "case_study"},
        writes="team",
        data={"title": "W", "pain": "p", "what_we_did": "w", "result": "1", "consent": "none"},
    ),  # fmt: skip
    "aftercare:case_publish": post(args={PK: "case_study"}),
    "aftercare:case_print": page(args={PK: "case_study"}),
    "aftercare:case_image": page(args={PK: "case_study"}),
    "aftercare:case_trash": post(args={PK: "case_study"}),
    "aftercare:case_restore": post(args={PK: "trashed_case_study"}),
    # --- E-mail sending (issue 19).
    "mail:templates": page(),
    "mail:template_create": page(
        reads="writers", writes="team", data={"name": "Walked", "subject": "W", "body": "W"}
    ),
    "mail:template_detail": page(args={PK: "mail_template"}),
    "mail:template_edit": page(
        reads="writers",
        args={PK: "mail_template"},
        writes="team",
        data={"name": "Walk letter", "subject": "W", "body": "W"},
    ),  # fmt: skip
    "mail:template_trash": post(args={PK: "mail_template"}),
    "mail:template_restore": post(args={PK: "trashed_mail_template"}),
    "mail:signature": post(writes="signed_in", data={"signature": "Walked"}),
    "mail:compose": page(
        reads="writers",
        query={"person": "@mail_person"},
        writes="team",
        data={"subject": "W", "body": "W", "action": "preview"},
    ),  # fmt: skip
    "mail:send_detail": page(args={PK: "mail_send"}, htmx=True),
    "mail:unsubscribe": page(args={"token": "unsubscribe_token"}, reads="public", writes="public"),
}


# --- The API: "METHOD /api/v1/path" -> Route ---------------------------------------------
def read(**kwargs) -> Route:
    return Route(**kwargs)


def write(writes: str = "team", **kwargs) -> Route:
    return Route(writes=writes, post_only=True, **kwargs)


VERSION = {"version": 1}
API: dict[str, Route] = {
    "GET /api/v1/mail/templates": read(),
    "POST /api/v1/mail/templates": write(data={"name": "Walked", "subject": "W", "body": "W"}),
    "GET /api/v1/mail/templates/{template_id}": read(args={"template_id": "mail_template"}),
    "PATCH /api/v1/mail/templates/{template_id}": write(
        args={"template_id": "mail_template"}, data={"body": "Walked"}
    ),
    "DELETE /api/v1/mail/templates/{template_id}": write(args={"template_id": "mail_template"}),
    "POST /api/v1/mail/templates/{template_id}/restore": write(
        args={"template_id": "trashed_mail_template"}
    ),
    "POST /api/v1/mail/send": write(
        data={"persons": ["@mail_person"], "subject": "W", "body": "W"}
    ),
    "GET /api/v1/mail/sends/{send_id}": read(args={"send_id": "mail_send"}),
    "GET /api/v1/me": read(),
    "GET /api/v1/saved-views": read(query=[{}, {"list_name": "deals"}]),
    "POST /api/v1/saved-views": write("signed_in", data={"list_name": "people", "name": "W"}),
    "DELETE /api/v1/saved-views/{view_id}": write("signed_in", args={"view_id": "saved_view"}),
    "GET /api/v1/search": read(query=[{"q": "zqm"}, {"q": "zqm", "limit": "50", "kind": "person"}]),
    "GET /api/v1/companies": read(query={"search": "zqm"}),
    "POST /api/v1/companies": write(data={"name": "Walk company"}),
    "GET /api/v1/companies/{company_id}": read(args={"company_id": "company"}),
    "PATCH /api/v1/companies/{company_id}": write(
        args={"company_id": "company"}, data={"city": "Walkton"}
    ),
    "DELETE /api/v1/companies/{company_id}": write(args={"company_id": "company"}),
    "POST /api/v1/companies/{company_id}/restore": write(args={"company_id": "trashed_company"}),
    "GET /api/v1/persons": read(
        query=[{"search": "zqm"}, {"company": "@company"}, {"sort": "company"}]
    ),
    "POST /api/v1/persons": write(data={"first_name": "Walk", "last_name": "Person"}),
    "GET /api/v1/persons/{person_id}": read(args={"person_id": "person"}),
    "POST /api/v1/persons/bulk": write(
        data={"ids": ["@person"], "action": "add_tag", "tag": "walked"}
    ),
    "POST /api/v1/companies/bulk": write(
        data={"ids": ["@company"], "action": "add_tag", "tag": "walked"}
    ),
    "POST /api/v1/bulk-changes/{change_id}/undo": write(args={"change_id": "bulkchange"}),
    "POST /api/v1/deals/bulk": write(data={"ids": ["@deal"], "action": "add_tag", "tag": "walked"}),
    "PATCH /api/v1/persons/{person_id}": write(
        args={"person_id": "person"}, data={"job_title": "Walker"}
    ),
    "DELETE /api/v1/persons/{person_id}": write(args={"person_id": "person"}),
    "POST /api/v1/persons/{person_id}/restore": write(args={"person_id": "person"}),
    "GET /api/v1/deals": read(
        query=[{"search": "zqm"}, {"company": "@company"}, {"closed": "true"}]
    ),
    "POST /api/v1/deals": write(data={"title": "Walk deal"}),
    "GET /api/v1/deals/{deal_id}": read(args={"deal_id": "deal"}),
    "PATCH /api/v1/deals/{deal_id}": write(args={"deal_id": "deal"}, data={"title": "Walked"}),
    "DELETE /api/v1/deals/{deal_id}": write(args={"deal_id": "deal"}),
    "POST /api/v1/deals/{deal_id}/restore": write(args={"deal_id": "deal"}),
    "POST /api/v1/deals/{deal_id}/move": write(
        args={"deal_id": "deal"}, data={"stage": "interest"}
    ),
    "GET /api/v1/deals/{deal_id}/moves": read(args={"deal_id": "deal"}),
    "POST /api/v1/deals/{deal_id}/win": write(args={"deal_id": "deal"}),
    "POST /api/v1/deals/{deal_id}/lose": write(args={"deal_id": "deal"}, data={"reason": "price"}),
    "POST /api/v1/deals/{deal_id}/refer-out": write(args={"deal_id": "deal"}),
    "POST /api/v1/deals/{deal_id}/close-as-no": write(args={"deal_id": "deal"}),
    "POST /api/v1/deals/{deal_id}/reopen": write(args={"deal_id": "deal"}),
    "GET /api/v1/deals/{deal_id}/quotes": read(args={"deal_id": "deal"}),
    "POST /api/v1/deals/{deal_id}/quotes": write(args={"deal_id": "deal"}, data={"amount": "10"}),
    "POST /api/v1/quotes/{quote_id}/send": write(args={"quote_id": "quote"}),
    "POST /api/v1/quotes/{quote_id}/accept": write(args={"quote_id": "quote"}),
    "POST /api/v1/quotes/{quote_id}/decline": write(args={"quote_id": "quote"}),
    "GET /api/v1/stages": read(),
    "PUT /api/v1/stages/{stage}": write(
        "managers", args={"stage": "=interest"}, data={"probability": 20, "stale_after_days": 30}
    ),
    "GET /api/v1/forecast/calibration": read(),
    "GET /api/v1/forecast": read(),
    "POST /api/v1/interactions": write(
        data={
            "channel": "call",
            "direction": "they_reached_out",
            "summary": "Walk",
            "person": "@person",
        }
    ),
    "GET /api/v1/interactions": read(query={"person": "@person"}),
    "GET /api/v1/interactions/awaiting-reply": read(),
    "GET /api/v1/response-times": read(),
    "PATCH /api/v1/interactions/{pk}": write(args={"pk": "interaction"}, data={"summary": "W"}),
    "DELETE /api/v1/interactions/{pk}": write(args={"pk": "interaction"}),
    "POST /api/v1/interactions/{pk}/restore": write(args={"pk": "trashed_interaction"}),
    "POST /api/v1/interactions/bulk": write(data={"ids": ["@interaction"], "action": "trash"}),
    "POST /api/v1/tasks/bulk": write(data={"ids": ["@task"], "action": "mark_done"}),
    "GET /api/v1/tasks": read(
        query=[{}, {"scope": "all", "state": "all", "due": "week", "person": "@person"}]
    ),
    "POST /api/v1/tasks": write(data={"title": "Walk", "deal": "@deal"}),
    "PATCH /api/v1/tasks/{pk}": write(args={"pk": "task"}, data={"title": "Walked"}),
    "POST /api/v1/tasks/{pk}/done": write(args={"pk": "task"}),
    "POST /api/v1/tasks/{pk}/undo": write(args={"pk": "task"}),
    "GET /api/v1/goals": read(),
    "PUT /api/v1/goals/{kind}": write(
        "signed_in", args={"kind": "=conversations"}, data={"target": 3}
    ),
    "GET /api/v1/push-pull": read(),
    "PUT /api/v1/deals/{pk}/push-pull": write(
        args={"pk": "deal"}, data={"verdict": "push", "reason": "Walk"}
    ),
    "GET /api/v1/plan": read(),
    "PATCH /api/v1/plan": write(data={"statement": "Walked"}),
    "GET /api/v1/plan/revisions": read(),
    "POST /api/v1/plan/revisions": write(data={"note": "Walk"}),
    "POST /api/v1/plan/qualities": write(data={"text": "Walk quality"}),
    "PATCH /api/v1/plan/qualities/{quality_id}": write(
        args={"quality_id": "quality"}, data={"text": "Walked"}
    ),
    "DELETE /api/v1/plan/qualities/{quality_id}": write(args={"quality_id": "quality"}),
    "POST /api/v1/plan/questions": write(data={"text": "Walk question"}),
    "PATCH /api/v1/plan/questions/{question_id}": write(
        args={"question_id": "plan_question"}, data={"text": "Walked"}
    ),
    "POST /api/v1/plan/expectations": write(data={"text": "Walk", "category": "services"}),
    "PATCH /api/v1/plan/expectations/{expectation_id}": write(
        args={"expectation_id": "expectation"}, data={"text": "Walked"}
    ),
    "DELETE /api/v1/plan/expectations/{expectation_id}": write(
        args={"expectation_id": "expectation"}
    ),
    "GET /api/v1/complaints": read(),
    "POST /api/v1/complaints": write(data={"text": "Walk", "company": "@company"}),
    "POST /api/v1/complaints/{complaint_id}/quality": write(
        args={"complaint_id": "complaint"}, data={"text": "Walked"}
    ),
    "GET /api/v1/traits": read(),
    "POST /api/v1/traits": write(data={"less_than_perfect": "a", "opposite": "b"}),
    "POST /api/v1/traits/{trait_id}/quality": write(args={"trait_id": "trait"}),
    "GET /api/v1/thank-you-notes": read(),
    "POST /api/v1/thank-you-notes": write("signed_in", data={"text": "Thanks"}),
    "GET /api/v1/thank-you-notes/{note_id}": read(args={"note_id": "note"}),
    "DELETE /api/v1/thank-you-notes/{note_id}": write("signed_in", args={"note_id": "note"}),
    "GET /api/v1/{kind}/{pk}/fit": read(args={"kind": "=companies", "pk": "company"}),
    "PUT /api/v1/{kind}/{pk}/assessments": write(
        args={"kind": "=companies", "pk": "company"},
        data={"quality": "@quality", "answer": "no"},
    ),
    "PUT /api/v1/{kind}/{pk}/requirements": write(
        args={"kind": "=companies", "pk": "company"},
        data={"expectation": "@expectation", "value": "12"},
    ),
    "GET /api/v1/partners": read(query=[{"search": "zqm"}, {"sort": "referred_in"}]),
    "POST /api/v1/partners": write(data={"company": "@company"}),
    "GET /api/v1/partners/{partner_id}": read(args={"partner_id": "partner"}),
    "PATCH /api/v1/partners/{partner_id}": write(
        args={"partner_id": "partner"}, data={"notes": "Walked"}
    ),
    "DELETE /api/v1/partners/{partner_id}": write(args={"partner_id": "partner"}),
    "POST /api/v1/partners/{partner_id}/restore": write(args={"partner_id": "trashed_partner"}),
    "POST /api/v1/partners/{partner_id}/lines": write(
        args={"partner_id": "partner"}, data={"kind": "quality", "text": "Walk"}
    ),
    "PATCH /api/v1/partner-lines/{line_id}": write(
        args={"line_id": "partner_line"}, data={"mark": "overlap"}
    ),
    "DELETE /api/v1/partner-lines/{line_id}": write(args={"line_id": "partner_line"}),
    "PUT /api/v1/partners/{partner_id}/steps/{step}": write(
        args={"partner_id": "partner", "step": "=identified"}
    ),
    "GET /api/v1/partners/{partner_id}/referrals": read(args={"partner_id": "partner"}),
    "POST /api/v1/referrals": write(
        data={"partner": "@partner", "direction": "in", "person": "@person"}
    ),
    "GET /api/v1/challenge": read(),
    "POST /api/v1/challenge": write(),
    "POST /api/v1/challenge/meetings": write(data={"person": "@person"}),
    "GET /api/v1/initiatives": read(query=[{"search": "zqm"}, {"sort": "date"}]),
    "POST /api/v1/initiatives": write(data={**INITIATIVE_FORM, "partners": ["@partner"]}),
    "GET /api/v1/initiatives/{initiative_id}": read(args={"initiative_id": "initiative"}),
    "PATCH /api/v1/initiatives/{initiative_id}": write(
        args={"initiative_id": "initiative"}, data={"audience": 7}
    ),
    "DELETE /api/v1/initiatives/{initiative_id}": write(args={"initiative_id": "initiative"}),
    "POST /api/v1/initiatives/{initiative_id}/restore": write(
        args={"initiative_id": "trashed_initiative"}
    ),
    "POST /api/v1/initiatives/{initiative_id}/people": write(
        args={"initiative_id": "initiative"}, data={"person": "@person"}
    ),
    "GET /api/v1/topics": read(),
    "POST /api/v1/topics": write(data={"name": "Walked"}),
    "PATCH /api/v1/topics/{topic_id}": write(args={"topic_id": "topic"}, data={"name": "W"}),
    "DELETE /api/v1/topics/{topic_id}": write(args={"topic_id": "topic"}),
    "POST /api/v1/topics/{topic_id}/restore": write(args={"topic_id": "trashed_topic"}),
    "PATCH /api/v1/referrals/{referral_id}": write(
        args={"referral_id": "referral"}, data={"reason": "Walked"}
    ),
    "DELETE /api/v1/referrals/{referral_id}": write(args={"referral_id": "referral"}),
    "POST /api/v1/referrals/{referral_id}/restore": write(args={"referral_id": "trashed_referral"}),
    "GET /api/v1/topics/{topic_id}/articles": read(args={"topic_id": "topic"}),
    "POST /api/v1/articles": write(data={"topic": "@topic", "title": "Walked"}),
    "DELETE /api/v1/articles/{article_id}": write(args={"article_id": "article"}),
    "POST /api/v1/articles/{article_id}/restore": write(args={"article_id": "trashed_article"}),
    "GET /api/v1/export/persons.csv": read(),
    "GET /api/v1/export/persons.vcf": read(),
    "GET /api/v1/export/companies.csv": read(),
    "GET /api/v1/imports": read(),
    "POST /api/v1/imports": write(),
    "GET /api/v1/imports/{job_id}": read(args={"job_id": "import"}),
    "PUT /api/v1/imports/{job_id}/settings": write(
        args={"job_id": "import"}, data={"mapping": {"Email": "email"}}
    ),
    "POST /api/v1/imports/{job_id}/dry-run": write(args={"job_id": "import"}),
    "POST /api/v1/imports/{job_id}/start": write(args={"job_id": "import"}),
    "POST /api/v1/imports/{job_id}/process": write(args={"job_id": "import"}),
    "POST /api/v1/imports/{job_id}/undo": write(args={"job_id": "import"}),
    "GET /api/v1/imports/{job_id}/rejected.csv": read(args={"job_id": "import"}),
    "GET /api/v1/jobs": read(reads="managers"),
    "POST /api/v1/jobs/{job_id}/retry": write("managers", args={"job_id": "job"}),
    "GET /api/v1/mail/mailbox": read(),
    "PUT /api/v1/mail/mailbox": write(
        data={"host": "imap.walk.example", "username": "walker", "password": "pw"}
    ),
    "DELETE /api/v1/mail/mailbox": write(),
    "POST /api/v1/mail/mailbox/test": write(),
    "POST /api/v1/mail/mailbox/sync": write(),
    "POST /api/v1/mail/import": write(),
    "GET /api/v1/mail/unmatched": read(query=[{}, {"suspicious": "true"}]),
    "POST /api/v1/mail/unmatched/{unmatched_id}/person": write(
        args={"unmatched_id": "unmatched"}, data={"first_name": "Walked"}
    ),
    "POST /api/v1/mail/unmatched/{unmatched_id}/dismiss": write(args={"unmatched_id": "unmatched"}),
    "GET /api/v1/webhooks": read(reads="managers"),
    "POST /api/v1/webhooks": write(
        "managers", data={"url": "https://hooks.example.com/new", "events": []}
    ),
    "GET /api/v1/webhooks/{pk}": read(reads="managers", args={"pk": "subscription"}),
    "PATCH /api/v1/webhooks/{pk}": write(
        "managers", args={"pk": "subscription"}, data={"description": "Walked"}
    ),
    "DELETE /api/v1/webhooks/{pk}": write("managers", args={"pk": "subscription"}),
    "POST /api/v1/webhooks/{pk}/ping": write("managers", args={"pk": "subscription"}),
    "GET /api/v1/webhooks/{pk}/deliveries": read(reads="managers", args={"pk": "subscription"}),
    "POST /api/v1/webhooks/{pk}/deliveries/{delivery_id}/resend": write(
        "managers", args={"pk": "subscription", "delivery_id": "delivery"}
    ),
    "GET /api/v1/care-plans": read(),
    "POST /api/v1/care-plans": write(data={"name": "Walked plan"}),
    "GET /api/v1/care-plans/{plan_id}": read(args={"plan_id": "care_plan"}),
    "PATCH /api/v1/care-plans/{plan_id}": write(
        args={"plan_id": "care_plan"}, data={"rhythm_days": 45}
    ),
    "DELETE /api/v1/care-plans/{plan_id}": write(args={"plan_id": "care_plan"}),
    "POST /api/v1/care-plans/{plan_id}/restore": write(args={"plan_id": "trashed_care_plan"}),
    "POST /api/v1/care-plans/{plan_id}/steps": write(
        args={"plan_id": "care_plan"}, data={"title": "Walked step", "day": 3}
    ),
    "DELETE /api/v1/care-plan-steps/{step_id}": write(args={"step_id": "plan_step"}),
    "PATCH /api/v1/care-plan-steps/{step_id}": write(
        args={"step_id": "plan_step"}, data={"title": "Walked step"}
    ),
    "GET /api/v1/customer-events": read(query=[{}, {"company": "@customer"}]),
    "POST /api/v1/customer-events": write(data={"title": "Walked", "held_on": "2026-01-01"}),
    "GET /api/v1/customer-events/{event_id}": read(args={"event_id": "customer_event"}),
    "PATCH /api/v1/customer-events/{event_id}": write(
        args={"event_id": "customer_event"}, data={"what_followed": "Walked"}
    ),
    "DELETE /api/v1/customer-events/{event_id}": write(args={"event_id": "customer_event"}),
    "POST /api/v1/customer-events/{event_id}/restore": write(
        args={"event_id": "trashed_customer_event"}
    ),
    "POST /api/v1/customer-events/{event_id}/guests": write(
        args={"event_id": "customer_event"}, data={"company": "@company"}
    ),
    "POST /api/v1/event-guests/{guest_id}/attendance": write(
        args={"guest_id": "event_guest"}, data={"came": True}
    ),
    "GET /api/v1/offers": read(query=[{}, {"company": "@customer"}, {"outcome": "open"}]),
    "POST /api/v1/offers": write(data={"company": "@customer", "what": "Walked"}),
    "GET /api/v1/offers/{offer_id}": read(args={"offer_id": "offer"}),
    "PATCH /api/v1/offers/{offer_id}": write(args={"offer_id": "offer"}, data={"terms": "W"}),
    "POST /api/v1/offers/{offer_id}/answer": write(
        args={"offer_id": "offer"}, data={"outcome": "declined"}
    ),
    "DELETE /api/v1/offers/{offer_id}": write(args={"offer_id": "offer"}),
    "POST /api/v1/offers/{offer_id}/restore": write(args={"offer_id": "trashed_offer"}),
    "GET /api/v1/visits": read(query=[{}, {"company": "@customer"}]),
    "POST /api/v1/visits": write(data={"company": "@customer", "what_we_watched": "Walked"}),
    "GET /api/v1/visits/{visit_id}": read(args={"visit_id": "visit"}),
    "PATCH /api/v1/visits/{visit_id}": write(
        args={"visit_id": "visit"}, data={"what_we_learned": "W"}
    ),
    "DELETE /api/v1/visits/{visit_id}": write(args={"visit_id": "visit"}),
    "POST /api/v1/visits/{visit_id}/restore": write(args={"visit_id": "trashed_visit"}),
    "GET /api/v1/ideas": read(query=[{}, {"company": "@customer"}]),
    "POST /api/v1/ideas": write(data={"title": "Walked", "companies": ["@customer"]}),
    "GET /api/v1/ideas/{idea_id}": read(args={"idea_id": "idea"}),
    "PATCH /api/v1/ideas/{idea_id}": write(args={"idea_id": "idea"}, data={"status": "doing"}),
    "POST /api/v1/ideas/{idea_id}/customers": write(
        args={"idea_id": "idea"}, data={"company": "@customer"}
    ),
    "DELETE /api/v1/ideas/{idea_id}": write(args={"idea_id": "idea"}),
    "POST /api/v1/ideas/{idea_id}/restore": write(args={"idea_id": "trashed_idea"}),
    "GET /api/v1/care/at-risk": read(query=[{}, {"offset": "1"}]),
    "GET /api/v1/care/steps-due": read(),
    "POST /api/v1/care/steps/{step_id}/done": write(
        args={"step_id": "care_step"}, data={"summary": "Walked"}
    ),
    "GET /api/v1/care/{kind}/{customer_id}": read(
        args={"kind": "=companies", "customer_id": "company"}
    ),
    "GET /api/v1/promises": read(query={"company": "@company"}),
    "POST /api/v1/promises": write(
        data={"company": "@company", "what": "Walked", "due_on": "2099-01-01"}
    ),
    "GET /api/v1/promises/suggestion": read(query={"metric": "delivery", "unit": "hours"}),
    "GET /api/v1/promises/{promise_id}": read(args={"promise_id": "promise"}),
    "POST /api/v1/promises/{promise_id}/record": write(
        args={"promise_id": "promise"}, data={"kept": True}
    ),
    "GET /api/v1/deals/{deal_id}/expectations": read(args={"deal_id": "deal"}),
    "POST /api/v1/deals/{deal_id}/expectations": write(
        args={"deal_id": "deal"}, data={"their_words": "Walked"}
    ),
    "DELETE /api/v1/expectations/{expectation_id}": write(
        args={"expectation_id": "deal_expectation"}
    ),
    "POST /api/v1/experiences": write(
        data={"company": "@company", "what": "Walked", "feeling": "pleased", "is_good": True}
    ),
    "GET /api/v1/persons/{person_id}/dates": read(args={"person_id": "person"}),
    "POST /api/v1/persons/{person_id}/dates": write(
        args={"person_id": "person"}, data={"label": "Birthday", "month": 5, "day": 3}
    ),
    "DELETE /api/v1/person-dates/{date_id}": write(args={"date_id": "person_date"}),
    "PATCH /api/v1/experiences/{experience_id}": write(
        args={"experience_id": "experience"}, data={"what_we_did": "Walked"}
    ),
    "GET /api/v1/reports": read(),
    "GET /api/v1/reports/{name}": read(args={"name": "=profit"}),
    "GET /api/v1/departures": read(query=[{}, {"source": "answers", "start": "2000-01-01"}]),
    "GET /api/v1/departures/summary": read(query=[{}, {"source": "guess"}]),
    "POST /api/v1/departures": write(
        data={"company": "@customer", "departed_on": "2026-01-02", "reason": "moved"}
    ),
    "GET /api/v1/departures/{departure_id}": read(args={"departure_id": "departure"}),
    "DELETE /api/v1/departures/{departure_id}": write(args={"departure_id": "departure"}),
    "POST /api/v1/departures/{departure_id}/restore": write(
        args={"departure_id": "trashed_departure"}
    ),
    "PATCH /api/v1/departures/{departure_id}": write(
        args={"departure_id": "departure"}, data={"note": "Walked"}
    ),
    "POST /api/v1/departures/{departure_id}/survey-links": write(
        args={"departure_id": "departure"}
    ),
    "GET /api/v1/departures/{departure_id}/survey": read(args={"departure_id": "departure"}),
    "GET /api/v1/companies/{company_id}/purchases": read(args={"company_id": "customer"}),
    "GET /api/v1/repeat-purchase": read(),
    "GET /api/v1/repeat-purchase/one-time-buyers": read(query=[{}, {"sort": "profit"}]),
    "GET /api/v1/testimonials": read(),
    "GET /api/v1/testimonials/published": read(),
    "POST /api/v1/testimonials": write(data={"company": "@customer", "words": "Walked"}),
    "POST /api/v1/testimonials/requests": write(data={"company": "@customer"}),
    "GET /api/v1/testimonials/{testimonial_id}": read(args={"testimonial_id": "testimonial"}),
    "PATCH /api/v1/testimonials/{testimonial_id}": write(
        args={"testimonial_id": "testimonial"}, data={"words": "Walked"}
    ),
    "POST /api/v1/testimonials/{testimonial_id}/publish": write(
        args={"testimonial_id": "testimonial"}
    ),
    "POST /api/v1/testimonials/{testimonial_id}/unpublish": write(
        args={"testimonial_id": "testimonial"}
    ),
    "DELETE /api/v1/testimonials/{testimonial_id}": write(args={"testimonial_id": "testimonial"}),
    "POST /api/v1/testimonials/{testimonial_id}/restore": write(
        args={"testimonial_id": "trashed_testimonial"}
    ),
    "GET /api/v1/case-studies": read(),
    "POST /api/v1/case-studies": write(
        data={"company": "@customer", "title": "W", "pain": "p", "what_we_did": "w", "result": "1"}
    ),  # fmt: skip
    "GET /api/v1/case-studies/{case_id}": read(args={"case_id": "case_study"}),
    "PATCH /api/v1/case-studies/{case_id}": write(
        args={"case_id": "case_study"}, data={"title": "W"}
    ),
    "POST /api/v1/case-studies/{case_id}/image": write(args={"case_id": "case_study"}),
    "POST /api/v1/case-studies/{case_id}/publish": write(args={"case_id": "case_study"}),
    "POST /api/v1/case-studies/{case_id}/unpublish": write(args={"case_id": "case_study"}),
    "DELETE /api/v1/case-studies/{case_id}": write(args={"case_id": "case_study"}),
    "POST /api/v1/case-studies/{case_id}/restore": write(args={"case_id": "trashed_case_study"}),
}

# Served by the API but not operations of the schema: walked too, anyone may read them.
API_EXTRA_PATHS = ["/api/v1/openapi.json", "/api/v1/docs"]
VISITOR_SEES = frozenset({VISITOR})
