"""Partners on the trash page (core/trash.py)."""

from __future__ import annotations

from attract.core.trash import TrashSection, register


def _trashed(user):
    from attract.partners.selectors import visible_partners

    return (
        visible_partners(user, include_trash=True)
        .filter(deleted_at__isnull=False)
        .select_related("company", "person", "deleted_by")
        .order_by("-deleted_at", "-id")
    )


def register_sections() -> None:
    register(
        TrashSection(
            key="partners",
            title="Partners",
            empty="No partner is in the trash.",
            order=40,
            records=_trashed,
            detail_url="partners:detail",
            restore_url="partners:restore",
        )
    )
    register_initiative_sections()
    register(
        TrashSection(
            key="referrals",
            title="Referrals",
            empty="No referral is in the trash.",
            order=43,
            records=_trashed_referrals,
            detail_url="partners:referral_edit",
            restore_url="partners:referral_restore",
            context_label="Partner",
            context=lambda referral, user: str(referral.partner),
        )
    )
    register(
        TrashSection(
            key="articles",
            title="Articles",
            empty="No article is in the trash.",
            order=44,
            records=_trashed_articles,
            detail_url="partners:article",
            restore_url="partners:article_restore",
            context_label="Topic",
            context=lambda article, user: str(article.topic),
        )
    )


def _trashed_articles(user):
    from attract.partners.models import Article

    return (
        Article.all_objects.filter(deleted_at__isnull=False)
        .select_related("topic", "deleted_by")
        .order_by("-deleted_at", "-id")
    )


def _trashed_referrals(user):
    """Those whose partner and subject (deal, person or company) the user may see: the name
    of a referral is its subject's."""
    from django.db.models import Q

    from attract.core.permissions import visible_to
    from attract.partners.models import Referral
    from attract.partners.selectors import visible_partners
    from attract.people.models import Company, Person
    from attract.pipeline.models import Deal

    seen = (
        Q(deal__in=visible_to(Deal.all_objects.all(), user).values("pk"))
        | Q(person__in=visible_to(Person.all_objects.all(), user).values("pk"))
        | Q(company__in=visible_to(Company.all_objects.all(), user).values("pk"))
    )
    return (
        Referral.all_objects.filter(deleted_at__isnull=False)
        .filter(partner__in=visible_partners(user, include_trash=True).values("pk"))
        .filter(seen)
        .select_related(
            "partner__company", "partner__person", "deal", "person", "company", "deleted_by"
        )
        .order_by("-deleted_at", "-id")
    )


def _trashed_initiatives(user):
    from attract.partners.initiative_selectors import visible_initiatives

    return (
        visible_initiatives(user, include_trash=True)
        .filter(deleted_at__isnull=False)
        .select_related("deleted_by")
        .order_by("-deleted_at", "-id")
    )


def _trashed_topics(user):
    from attract.partners.models import Topic

    return (
        Topic.all_objects.filter(deleted_at__isnull=False)
        .select_related("deleted_by")
        .order_by("-deleted_at", "-id")
    )


def register_initiative_sections() -> None:
    register(
        TrashSection(
            key="initiatives",
            title="Joint initiatives",
            empty="No initiative is in the trash.",
            order=41,
            records=_trashed_initiatives,
            detail_url="partners:initiative_detail",
            restore_url="partners:initiative_restore",
        )
    )
    register(
        TrashSection(
            key="topics",
            title="Speaking and writing topics",
            empty="No topic is in the trash.",
            order=42,
            records=_trashed_topics,
            detail_url="partners:topic_edit",
            restore_url="partners:topic_restore",
        )
    )
