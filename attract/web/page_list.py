"""Every page a user reaches, as URLs on the data at hand (the demo data in the tests, the
seeded data in `make bench`): the menu's and palette's pages, a record of each kind, and the
other main pages. The accessibility test, the page-weight test and the bench's weight section
walk the same list, so a page added here is checked by all three."""

from __future__ import annotations

from django.urls import reverse

from attract.aftercare.models import (
    CarePlan,
    CarePlanStep,
    CaseStudy,
    CustomerEvent,
    Departure,
    Idea,
    Offer,
    Testimonial,
    Visit,
)
from attract.engagement.models import Interaction, Task
from attract.partners.models import Initiative, Partner, Topic
from attract.people.models import Company, Person
from attract.pipeline.models import Deal
from attract.web.commands import PAGES


def _first(model):
    return model.objects.order_by("pk").first()


# Pages that need no record, with the query they are opened with.
FORM_PAGES = (
    ("partners:create", "?q=a"),
    ("partners:initiatives", ""),
    ("partners:initiative_create", ""),
    ("partners:topics", ""),
    ("people:person_create", ""),
    ("pipeline:deal_create", ""),
    ("web:search", "?q=a"),
    ("transfer:import_start", ""),
    ("attraction:journal", ""),
    ("attraction:traits", ""),
    ("attraction:learning", ""),
    ("accounts:settings", ""),
    ("engagement:tasks", "?scope=all&state=all"),
    ("aftercare:testimonial_create", "?q=a"),
    ("mail:templates", ""),
    ("mail:template_create", ""),
    ("mailbox:settings", ""),
    ("mailbox:import", ""),
    ("mailbox:unmatched", ""),
    ("aftercare:events", ""),
    ("aftercare:offers", ""),
    ("aftercare:visits", ""),
    ("aftercare:ideas", ""),
)


def every_page_url() -> list[str]:
    """The menu's and palette's pages, the other main pages, and the page of the first
    record of each kind there is (a database without deals has no deal page to open)."""
    deal = _first(Deal)
    urls = [reverse(page.url_name) for page in PAGES]
    urls += [reverse(name) + query for name, query in FORM_PAGES]
    record_pages = (
        ("people:person_detail", _first(Person), ()),
        ("people:company_detail", _first(Company), ()),
        ("pipeline:deal_detail", deal, ()),
        ("partners:detail", _first(Partner), ()),
        ("partners:refer", deal, ("deal",)),
        ("engagement:task_edit", _first(Task), ()),
        ("engagement:interaction_edit", _first(Interaction), ()),
        ("partners:initiative_detail", _first(Initiative), ()),
        ("partners:topic_edit", _first(Topic), ()),
        ("aftercare:plan_detail", _first(CarePlan), ()),
        ("aftercare:departure_detail", _first(Departure), ()),
        ("aftercare:testimonial_detail", _first(Testimonial), ()),
        ("aftercare:case_detail", _first(CaseStudy), ()),
        ("aftercare:plan_step_edit", _first(CarePlanStep), ()),
        ("aftercare:event_detail", _first(CustomerEvent), ()),
        ("aftercare:offer_detail", _first(Offer), ()),
        ("aftercare:visit_detail", _first(Visit), ()),
        ("aftercare:idea_detail", _first(Idea), ()),
    )
    for name, record, leading in record_pages:
        if record is not None:
            urls.append(reverse(name, args=[*leading, record.pk]))
    from attract.mail.models import MailTemplate

    template = _first(MailTemplate)
    if template is not None:
        urls.append(reverse("mail:template_detail", args=[template.pk]))
    person = _first(Person)
    if person is not None:  # writing to the first person
        urls.append(reverse("mail:compose") + f"?person={person.pk}")
    # Each report (issue 18), on its default period.
    from attract.reports.registry import REPORTS

    urls += [reverse("reports:report", args=[name]) for name in REPORTS]
    return list(dict.fromkeys(urls))
