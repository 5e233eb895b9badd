"""The design system's template tags (docs/design.md shows each one).

- `{% component "card" title="Deals" %}…{% endcomponent %}` renders web/components/card.html
  with the enclosed markup as `slot`: cards, side cards, empty states, dialogs, page headers
  and chart containers are composed this way instead of copying their markup.
- `{% chip "Fit" 77 tone="ok" %}`, `{% avatar user %}`, `{% icon "people" %}`,
  `{% money deal.revenue %}` are the small pieces that appear inside them.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, token_kwargs
from django.template.loader import get_template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

from attract.core.money_display import locale_from_accept_language, money_format

register = template.Library()

TONES = {"ok", "warn", "danger", "info", "violet", "accent", "neutral", "outline"}
AVATAR_HUES = 8


class ComponentNode(template.Node):
    def __init__(self, name: FilterExpression, kwargs: dict, nodelist: NodeList):
        self.name, self.kwargs, self.nodelist = name, kwargs, nodelist

    def render(self, context) -> SafeString:
        name = self.name.resolve(context)
        values = {key: value.resolve(context) for key, value in self.kwargs.items()}
        values["slot"] = self.nodelist.render(context)
        with context.push(**values):
            return get_template(f"web/components/{name}.html").template.render(context)


@register.tag
def component(parser, token) -> ComponentNode:
    """{% component "name" key=value … %}…{% endcomponent %}"""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("component needs the component's name")
    name = parser.compile_filter(bits[1])
    kwargs = token_kwargs(bits[2:], parser)
    if len(kwargs) != len(bits) - 2:
        raise template.TemplateSyntaxError("component takes key=value arguments only")
    nodelist = parser.parse(("endcomponent",))
    parser.delete_first_token()
    return ComponentNode(name, kwargs, nodelist)


@register.simple_tag
def chip(label, value="", tone: str = "neutral", title: str = "") -> SafeString:
    """A labelled chip: {% chip "Fit" 77 tone="ok" %} → "Fit 77"; a chip with one word
    ({% chip "Pull" tone="ok" %}) is its own label."""
    tone = tone if tone in TONES else "neutral"
    title_attr = format_html(' title="{}"', title) if title else ""
    if value in ("", None):
        return format_html('<span class="chip chip-{}"{}>{}</span>', tone, title_attr, label)
    return format_html(
        '<span class="chip chip-{}"{}><span class="chip-label">{}</span> {}</span>',
        tone,
        title_attr,
        label,
        value,
    )


def initials(name: str) -> str:
    words = [w for w in (name or "").replace("@", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2]
    return words[0][0] + words[-1][0]


@register.simple_tag
def avatar(user_or_name, size: str = "") -> SafeString:
    """Initials in a circle whose colour is picked from the record's id, with the name as
    its accessible name: {% avatar deal.owner "sm" %}."""
    if user_or_name is None:
        return ""
    name = getattr(user_or_name, "display_name", None) or str(user_or_name)
    hue = (getattr(user_or_name, "pk", None) or sum(map(ord, name))) % AVATAR_HUES
    size_class = f" avatar-{size}" if size in ("sm", "lg") else ""
    return format_html(
        '<span class="avatar{} hue-{}" role="img" aria-label="{}" title="{}">{}</span>',
        size_class,
        hue,
        name,
        name,
        initials(name),
    )


@register.simple_tag
def icon(name: str, css_class: str = "icon") -> SafeString:
    """One of our icons (web/static/web/icons.svg), decorative: the text beside it names it."""
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        css_class,
        static("web/icons.svg"),
        name,
    )


@register.simple_tag(takes_context=True)
def money(context, amount) -> str:
    """{% money deal.revenue %}: the currency symbol and the reader's locale ("$10,250")."""
    request = context.get("request")
    locale = getattr(request, "_money_locale", None)
    if locale is None:
        header = request.META.get("HTTP_ACCEPT_LANGUAGE") if request is not None else None
        locale = locale_from_accept_language(header)
        if request is not None:
            request._money_locale = locale
    return money_format(amount, locale=locale)


@register.filter
def nonempty(value) -> bool:
    """True when a field has something to show (phones hide empty fields)."""
    return value not in (None, "", [], ()) and str(value).strip() not in ("", "—")
