"""The sample business `attract demo` and the set-up page load.

`demo_load` calls each app's demo part in dependency order; a new app adds one line there.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.db import transaction

from attract.accounts.models import Role, User
from attract.aftercare.care_demo import care_demo_create
from attract.aftercare.demo import aftercare_demo_create
from attract.attraction.demo import attraction_demo_create
from attract.engagement.demo import engagement_demo_create
from attract.partners.demo import partners_demo_create
from attract.people.demo import people_demo_create
from attract.people.models import Company, Person
from attract.pipeline.demo import pipeline_demo_create
from attract.web.demo_dates import demo_dates_agree

# The sample team, so that records have different owners and each role can be tried out.
DEMO_TEAM = [
    ("ada.admin@example.com", "Ada Admin", Role.ADMIN),
    ("max.member@example.com", "Max Member", Role.MEMBER),
    ("val.viewer@example.com", "Val Viewer", Role.VIEWER),
]


@dataclass
class DemoTeammate:
    user: User
    # Only for a teammate made just now; an existing account keeps its own password.
    password: str | None


@dataclass
class DemoSummary:
    counts: dict[str, int] = field(default_factory=dict)
    team: list[DemoTeammate] = field(default_factory=list)


def demo_team_create() -> list[DemoTeammate]:
    """The sample teammates, made with random passwords, or found when they already exist."""
    team = []
    for email, full_name, role in DEMO_TEAM:
        user = User.objects.filter(email__iexact=email).first()
        password = None
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(email, password, full_name=full_name, role=role)
        team.append(DemoTeammate(user=user, password=password))
    return team


def installation_record_counts() -> dict[str, int]:
    """What the installation already holds, trash included: sample data joins only by choice."""
    return {
        "companies": Company.all_objects.count(),
        "persons": Person.all_objects.count(),
    }


@transaction.atomic
def demo_load(*, owner: User, seed: int) -> DemoSummary:
    summary = DemoSummary(team=demo_team_create())
    users = [owner, *(t.user for t in summary.team)]
    summary.counts.update(people_demo_create(owner=owner, seed=seed, users=users))
    summary.counts.update(pipeline_demo_create(owner=owner, seed=seed, users=users))
    summary.counts.update(attraction_demo_create(owner=owner, seed=seed, users=users))
    summary.counts.update(engagement_demo_create(owner=owner, seed=seed, users=users))
    summary.counts.update(partners_demo_create(owner=owner, seed=seed, users=users))
    summary.counts.update(care_demo_create(owner=owner, seed=seed, users=users))
    summary.counts.update(aftercare_demo_create(owner=owner, seed=seed, users=users))
    demo_dates_agree()
    return summary
