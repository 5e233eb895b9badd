"""Each customer's purchase summary (purchase_summary.py) counted again in the same
transaction as the change that moves it, whoever makes it: the pipeline's services (win,
reopen, trash, restore, an edit of the amount, owner, privacy or company), the admin, a
cascade. A deal that neither is nor was won costs one look-up of what it was."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from attract.aftercare import purchase_summary
from attract.people.models import Company
from attract.pipeline.models import Deal, Outcome


@receiver(pre_save, sender=Deal, dispatch_uid="aftercare_purchases_deal_before")
def deal_before(sender, instance: Deal, raw: bool = False, **kwargs) -> None:
    """What the deal was: a won deal may move to another company, or stop being won."""
    if raw or instance._state.adding:
        instance._purchases_before = None
        return
    instance._purchases_before = (
        Deal.all_objects.filter(pk=instance.pk).values_list("company_id", "outcome").first()
    )


@receiver(post_save, sender=Deal, dispatch_uid="aftercare_purchases_deal_saved")
def deal_saved(sender, instance: Deal, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_purchases_before", None)
    companies = set()
    if instance.outcome == Outcome.WON:
        companies.add(instance.company_id)
    if before is not None and before[1] == Outcome.WON:
        companies.add(before[0])
    purchase_summary.recount(companies)


@receiver(post_delete, sender=Deal, dispatch_uid="aftercare_purchases_deal_deleted")
def deal_deleted(sender, instance: Deal, **kwargs) -> None:
    if instance.outcome == Outcome.WON:
        purchase_summary.recount([instance.company_id])


@receiver(post_save, sender=Company, dispatch_uid="aftercare_purchases_company_saved")
def company_saved(sender, instance: Company, raw: bool = False, created: bool = False, **kwargs):
    if not raw and not created:
        purchase_summary.company_copied(instance)
