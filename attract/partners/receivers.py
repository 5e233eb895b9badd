"""Keep each initiative's stored figures (figures.py) in step with the deals of the people
it brought in, and each partner's referral figures (partner_figures.py) in step with its
referrals and the deals referred, whatever writes them: the services, the admin, a cascade."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from attract.partners import figures, partner_figures
from attract.partners.models import InitiativePerson, Referral
from attract.pipeline.models import Deal


def _recount(*person_ids: int | None) -> None:
    """In the same transaction as the change: the figures are never seen stale."""
    ids = {figures.initiative_of_person(pk) for pk in set(person_ids) if pk}
    ids.discard(None)
    if ids:
        figures.recount(ids)


@receiver(pre_save, sender=Deal, dispatch_uid="partners_deal_before")
def deal_before(sender, instance: Deal, raw: bool = False, **kwargs):
    """A deal may move to another contact: remember the one it had."""
    if raw or instance._state.adding:
        return
    instance._partners_contact_before = (
        Deal.all_objects.filter(pk=instance.pk).values_list("contact_id", flat=True).first()
    )


@receiver(post_save, sender=Deal, dispatch_uid="partners_deal_saved")
def deal_saved(sender, instance: Deal, raw: bool = False, **kwargs):
    if not raw:
        _recount(instance.contact_id, getattr(instance, "_partners_contact_before", None))
        # Its outcome, revenue and cost make the won figures of the partners who referred it.
        partner_figures.recount(partner_figures.partners_of_deal(instance.pk))


@receiver(post_delete, sender=Deal, dispatch_uid="partners_deal_deleted")
def deal_deleted(sender, instance: Deal, **kwargs):
    _recount(instance.contact_id)


@receiver(pre_save, sender=Referral, dispatch_uid="partners_referral_before")
def referral_before(sender, instance: Referral, raw: bool = False, **kwargs):
    """A referral may be moved to another partner: remember the one it had."""
    if raw or instance._state.adding:
        return
    instance._partner_before = (
        Referral.all_objects.filter(pk=instance.pk).values_list("partner_id", flat=True).first()
    )


@receiver(post_save, sender=Referral, dispatch_uid="partners_referral_saved")
@receiver(post_delete, sender=Referral, dispatch_uid="partners_referral_deleted")
def referral_changed(sender, instance: Referral, raw: bool = False, **kwargs):
    """Added, edited, trashed, restored or deleted: in the same transaction, so the list
    never shows a figure the partner page would contradict."""
    if not raw:
        partner_figures.recount([instance.partner_id, getattr(instance, "_partner_before", None)])


@receiver(post_save, sender=InitiativePerson, dispatch_uid="partners_source_saved")
@receiver(post_delete, sender=InitiativePerson, dispatch_uid="partners_source_deleted")
def source_changed(sender, instance: InitiativePerson, raw: bool = False, **kwargs):
    if not raw:
        figures.recount([instance.initiative_id])
