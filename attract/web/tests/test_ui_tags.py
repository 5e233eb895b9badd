"""The design system's template tags: components with a slot, labelled chips, avatars and
money in the reader's locale."""

from decimal import Decimal

from django.template import Context, Template
from django.test import RequestFactory, override_settings

from attract.core.money_display import locale_from_accept_language, money_format


def _render(source: str, request=None, **context) -> str:
    return Template("{% load ui %}" + source).render(Context({"request": request, **context}))


def test_a_card_component_wraps_its_slot_with_a_labelled_heading():
    html = _render(
        '{% component "card" title="Deals" id="deals" %}<p>{{ n }} open</p>{% endcomponent %}', n=3
    )
    assert '<section class="card" id="deals" aria-labelledby="deals-title">' in html
    assert '<h2 id="deals-title">Deals</h2>' in html
    assert "<p>3 open</p>" in html


def test_a_page_header_shows_its_actions_only_when_there_are_some():
    with_actions = _render(
        '{% component "page_header" title="People" %}<a href="/new/">New</a>{% endcomponent %}'
    )
    without = _render('{% component "page_header" title="People" %} {% endcomponent %}')
    assert 'class="actions"' in with_actions and "<h1>People</h1>" in with_actions
    assert 'class="actions"' not in without


def test_a_chip_carries_its_label_and_escapes_what_it_shows():
    assert _render('{% chip "Fit" 77 tone="ok" %}') == (
        '<span class="chip chip-ok"><span class="chip-label">Fit</span> 77</span>'
    )
    assert "&lt;b&gt;" in _render("{% chip name %}", name="<b>")
    assert "chip-neutral" in _render('{% chip "x" tone="no-such-tone" %}')


def test_an_avatar_shows_initials_and_names_the_person():
    html = _render('{% avatar "Ann Lee" %}')
    assert ">AL</span>" in html and 'aria-label="Ann Lee"' in html


@override_settings(ATTRACT_CURRENCY="EUR")
def test_money_is_written_the_way_the_readers_locale_writes_it():
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")
    assert _render("{% money amount %}", request, amount=Decimal("10250")) == "10.250\xa0€"
    english = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert _render("{% money amount %}", english, amount=Decimal("10250.5")) == "€10,250.50"


def test_money_falls_back_to_us_english_and_leaves_an_unknown_amount_empty():
    locale = locale_from_accept_language("xx-nonsense, *")
    assert str(locale) == "en_US"
    assert money_format(None, locale=locale) == ""
    assert money_format(Decimal("1234"), locale=locale, currency="USD") == "$1,234"
