"""What care follows in the apps below it: a deal won (the pipeline's `deal_won` hook) starts
the customer's plan and turns the deal's expectations into promises; an interaction with a
customer in care refreshes their signal; a care task ticked on the tasks page does its step."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from attract.aftercare.models import CareStep, CustomerCare
from attract.engagement.models import Interaction, Task
from attract.pipeline.hooks import deal_won


@receiver(deal_won, dispatch_uid="aftercare_deal_won")
def start_care(sender, *, deal, actor, **kwargs) -> None:
    from attract.aftercare.care_plan_services import care_start_for_won_deal
    from attract.aftercare.promise_services import promises_from_won_deal

    promises_from_won_deal(actor=actor, deal=deal)
    care_start_for_won_deal(actor=actor, deal=deal)


@receiver(post_save, sender=Interaction, dispatch_uid="aftercare_interaction_touch")
def interaction_touch(sender, instance: Interaction, raw=False, **kwargs) -> None:
    if raw or not (instance.company_id or instance.person_id):
        return
    ids = (
        list(
            CustomerCare.objects.filter(company_id=instance.company_id).values_list("pk", flat=True)
        )
        if instance.company_id
        else []
    )
    if instance.person_id:
        ids += list(
            CustomerCare.objects.filter(person_id=instance.person_id).values_list("pk", flat=True)
        )
    if ids:
        from attract.aftercare.care_signal import care_signal_refresh

        care_signal_refresh(care_ids=ids)


@receiver(post_save, sender=Task, dispatch_uid="aftercare_task_done")
def task_done(sender, instance: Task, raw=False, **kwargs) -> None:
    if (
        raw
        or instance.done_at is None
        or instance.company_id is None
        and instance.person_id is None
    ):
        return
    CareStep.objects.filter(task_id=instance.pk, done_at__isnull=True).update(
        done_at=instance.done_at, done_by=instance.updated_by
    )
