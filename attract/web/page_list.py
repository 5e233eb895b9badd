"""Every page a user reaches, as URLs on the data at hand (the demo data in the tests, the
seeded data in `make bench`): the menu's and palette's pages, a record of each kind, and the
other main pages. The accessibility test, the page-weight test and the bench's weight section
walk the same list, so a page added here is checked by all three."""

from __future__ import annotations

from django.urls import reverse

from attract.engagement.models import Interaction, Task
from attract.partners.models import Initiative, Partner, Topic
from attract.people.models import Company, Person
from attract.pipeline.models import Deal
from attract.web.commands import PAGES


def every_page_url() -> list[str]:
    """The menu's and palette's pages, a record of each kind, and the other main pages."""
    person = Person.objects.order_by("pk").first()
    company = Company.objects.order_by("pk").first()
    deal = Deal.objects.order_by("pk").first()
    urls = [reverse(page.url_name) for page in PAGES]
    urls += [
        reverse("people:person_detail", args=[person.pk]),
        reverse("people:company_detail", args=[company.pk]),
        reverse("pipeline:deal_detail", args=[deal.pk]),
        reverse("partners:detail", args=[Partner.objects.order_by("pk").first().pk]),
        reverse("partners:create") + "?q=a",
        reverse("partners:refer", args=["deal", deal.pk]),
        reverse("partners:initiatives"),
        reverse("partners:initiative_create"),
        reverse("partners:topics"),
        reverse("people:person_create"),
        reverse("pipeline:deal_create"),
        reverse("web:search") + "?q=a",
        reverse("transfer:import_start"),
        reverse("attraction:journal"),
        reverse("attraction:traits"),
        reverse("attraction:learning"),
        reverse("accounts:settings"),
        reverse("engagement:tasks") + "?scope=all&state=all",
        reverse("engagement:task_edit", args=[Task.objects.order_by("pk").first().pk]),
        reverse(
            "engagement:interaction_edit", args=[Interaction.objects.order_by("pk").first().pk]
        ),
    ]
    initiative = Initiative.objects.order_by("pk").first()
    if initiative is not None:
        urls.append(reverse("partners:initiative_detail", args=[initiative.pk]))
    topic = Topic.objects.order_by("pk").first()
    if topic is not None:
        urls.append(reverse("partners:topic_edit", args=[topic.pk]))
    return list(dict.fromkeys(urls))
