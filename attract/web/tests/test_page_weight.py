"""Every page's first load (its HTML and the stylesheets and scripts it links) stays under
150 KB compressed with the demo data, so the product opens quickly on a phone network."""

from __future__ import annotations

from django.test import Client

from attract.web.demo import demo_load
from attract.web.page_list import every_page_url
from attract.web.page_weight import asset_paths, over_budget, weigh


def test_every_first_load_is_under_the_budget(db, owner):
    demo_load(owner=owner, seed=7)
    client = Client()
    client.force_login(owner)
    weights = [weigh(client, url) for url in every_page_url()]
    too_heavy = over_budget(weights)
    assert not too_heavy, "\n".join(too_heavy)
    # The weighing counts the shared assets, not only the HTML.
    assert all(any(a.path.endswith(".css") for a in w.assets) for w in weights)
    assert all(any(a.path.endswith(".js") for a in w.assets) for w in weights)


def test_a_page_over_the_budget_is_named(db, owner):
    """The budget check can fail: one byte less of budget than Today weighs names Today."""
    client = Client()
    client.force_login(owner)
    today = weigh(client, "/")
    assert today.compressed > today.html.compressed  # its assets are counted
    assert over_budget([today], budget=today.compressed) == []
    assert [line.split(":")[0] for line in over_budget([today], budget=today.compressed - 1)] == [
        "/"
    ]


def test_assets_are_read_from_the_links():
    html = (
        '<link rel="stylesheet" href="/static/web/a.css"><script src="/static/web/a.js"></script>'
        '<script src="https://elsewhere.example/x.js"></script><link rel="preload" href="/static/x">'
    )
    assert asset_paths(html) == ["/static/web/a.css", "/static/web/a.js"]


def test_the_page_list_opens_one_page_per_kind_of_record_there_is(db, owner):
    """Without records only the pages that need none; with the demo, one more page for each
    kind of record (person, company, deal, partner, refer a deal, task, interaction,
    initiative, topic, care plan, departure, testimonial, case study, writing to a person, care
    plan step, customer event, offer, visit, idea)."""
    without = every_page_url()
    demo_load(owner=owner, seed=7)
    with_records = every_page_url()
    assert set(without) < set(with_records)
    assert len(with_records) - len(without) == 19
