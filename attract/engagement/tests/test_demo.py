from attract.engagement.models import Interaction
from attract.engagement.pushpull import pull_share
from attract.engagement.responses import awaiting_reply, response_stats
from attract.web.demo import demo_load


def test_the_demo_gives_a_believable_mix_of_push_and_pull(owner):
    demo_load(owner=owner, seed=3)
    overall, per_owner = pull_share(user=owner)
    assert overall.total >= 10
    assert 20 <= overall.percent <= 70
    assert len(per_owner) > 1
    assert response_stats(), "answered messages give response times"
    assert awaiting_reply(user=owner), "some messages still wait for our reply"
    assert Interaction.objects.filter(channel="letter").exists()
