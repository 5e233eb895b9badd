"""Keep what the engagement pages store in step with the interactions, whatever writes them
(the services, a cascade when a person or deal is deleted, the admin, the test factories): the
last pull of each deal, the judged past weeks, and each user's goal counts per day."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from attract.engagement.goals import refresh_goal_days
from attract.engagement.models import CONVERSATION_CHANNELS, Channel, Direction, Interaction
from attract.engagement.pushpull import (
    copy_deal_fields,
    forget_weeks_touched_by,
    quick_reply,
    refresh_deal_signals,
)
from attract.engagement.responses import answer_key, refresh_response_days, user_zone
from attract.pipeline.models import Deal

GOAL_CHANNELS = (*CONVERSATION_CHANNELS, Channel.LETTER)


def is_pull_kind(interaction: Interaction) -> bool:
    if interaction.direction == Direction.THEY_REACHED_OUT:
        return True
    return (
        interaction.direction == Direction.THEY_REPLIED
        and interaction.reply_after is not None
        and interaction.reply_after <= quick_reply()
    )


def _recount_day(author, occurred_at) -> None:
    if author is not None:
        day = occurred_at.astimezone(user_zone(author)).date()
        refresh_goal_days(user=author, days={day})


@receiver(pre_save, sender=Interaction, dispatch_uid="engagement_interaction_before")
def interaction_before(sender, instance: Interaction, raw: bool = False, **kwargs):
    """An edit may move an interaction to another deal, day or author: remember where it was."""
    if raw or instance._state.adding:
        return
    instance._engagement_before = (
        Interaction.objects.filter(pk=instance.pk)
        .select_related("created_by")
        .only("deal_id", "occurred_at", "created_by", "answered_at", "answered_by_id")
        .first()
    )


@receiver(post_save, sender=Interaction, dispatch_uid="engagement_interaction_saved")
def interaction_saved(sender, instance: Interaction, created: bool, raw: bool = False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_engagement_before", None)
    # A new interaction that is not a pull signal changes no deal's verdict; an edited one may
    # have stopped being one, or moved.
    if instance.deal_id and (not created or is_pull_kind(instance)):
        refresh_deal_signals([instance.deal_id])
        forget_weeks_touched_by(instance.occurred_at)
    if before is not None:
        refresh_deal_signals([before.deal_id])
        forget_weeks_touched_by(before.occurred_at)
        if (before.created_by_id, before.occurred_at) != (
            instance.created_by_id,
            instance.occurred_at,
        ):
            _recount_day(before.created_by, before.occurred_at)
    if not created or instance.channel in GOAL_CHANNELS:
        _recount_day(instance.created_by, instance.occurred_at)
    # An answered message edited, trashed or restored: its answerer's day is counted again.
    refresh_response_days({answer_key(before), answer_key(instance)})


@receiver(post_delete, sender=Interaction, dispatch_uid="engagement_interaction_deleted")
def interaction_deleted(sender, instance: Interaction, **kwargs):
    if instance.deal_id and is_pull_kind(instance):
        refresh_deal_signals([instance.deal_id])
        forget_weeks_touched_by(instance.occurred_at)
    if instance.channel in GOAL_CHANNELS and instance.created_by_id:
        _recount_day(instance.created_by, instance.occurred_at)
    refresh_response_days({answer_key(instance)})


@receiver(post_save, sender=Deal, dispatch_uid="engagement_deal_saved")
def deal_saved(sender, instance: Deal, created: bool, raw: bool = False, **kwargs):
    """A new deal has no signal yet; a saved one may have changed owner, privacy or outcome."""
    if not raw and not created:
        copy_deal_fields(instance)
