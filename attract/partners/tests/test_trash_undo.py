"""A partner, an initiative or a topic moved to the trash answers like every other record:
its name and an Undo that puts it back."""

from django.contrib.messages import get_messages
from django.urls import reverse

from attract.partners import initiative_services
from attract.partners.models import Initiative, Partner, Topic
from attract.partners.tests.factories import make_partner
from attract.partners.tests.test_initiatives import make_initiative


def _undo_url(response) -> str:
    """The Undo of the newest message (earlier ones may still wait to be shown)."""
    text = [str(m) for m in get_messages(response.wsgi_request)][-1]
    assert "moved to the trash" in text and "Undo" in text
    return text.split('action="', 1)[1].split('"', 1)[0]


def test_trashing_a_partner_an_initiative_or_a_topic_offers_undo(owner, owner_client):
    partner = make_partner(owner)
    initiative = make_initiative(owner, [partner])
    topic = initiative_services.topic_create(actor=owner, name="Pricing for small shops")
    for model, record, trash in (
        (Partner, partner, "partners:trash"),
        (Initiative, initiative, "partners:initiative_trash"),
        (Topic, topic, "partners:topic_trash"),
    ):
        response = owner_client.post(reverse(trash, args=[record.pk]))
        undo = _undo_url(response)
        assert model.all_objects.get(pk=record.pk).in_trash
        assert owner_client.post(undo).status_code == 302
        assert not model.all_objects.get(pk=record.pk).in_trash
