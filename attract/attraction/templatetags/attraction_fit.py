"""Fit wherever a company, person or deal is shown: the fit card on company and person pages
(`{% fit_card company %}`, assessed in its dialog), a page header's chip
(`{% fit_chip person %}`), the deal's fit (`{% deal_fit deal %}`), and the badge of a list
row (`{% fit_badge company companies %}`) or a board card (`{% deal_fit_badge deal %}`).

Badges read the stored fit. A list's rows come with it (select_related("fit")); the mismatch
reasons of all the rows are read once, on the first row, and kept for the others, so that a
page's query count does not grow with its rows. The board does the same with its cards.
"""

from __future__ import annotations

from django import template

from attract.attraction import selectors
from attract.attraction.views.fit import fit_card_context
from attract.core.permissions import can_view_record, can_write
from attract.people.models import Company

register = template.Library()


@register.inclusion_tag("attraction/partials/_fit_card.html", takes_context=True)
def fit_card(context, record) -> dict:
    subject = "company" if isinstance(record, Company) else "person"
    return {
        **fit_card_context(context["request"].user, subject, record),
        "request": context["request"],
    }


def deal_subject(deal) -> tuple[str, object] | None:
    """Whose fit a deal shows: its company's, or its main contact's when it has no company."""
    if deal.company_id:
        return "company", deal.company
    if deal.contact_id:
        return "person", deal.contact
    return None


@register.inclusion_tag("attraction/partials/_deal_fit.html", takes_context=True)
def deal_fit(context, deal) -> dict:
    """The deal's fit, and the offer to close a poor fit as "not a fit"."""
    subject = deal_subject(deal)
    user = context["request"].user
    if subject and not can_view_record(user, subject[1]):
        # Someone else's private company (contact): its name and page stay theirs.
        subject = None
    fit = selectors.fit_for(**{subject[0]: subject[1]}) if subject else None
    return {
        "deal": deal,
        "fit": fit,
        "subject": subject[0] if subject else "",
        "whose": subject[1] if subject else None,
        "can_close": fit is not None and fit.is_poor and deal.is_open and can_write(user),
        "request": context["request"],
    }


@register.inclusion_tag("attraction/partials/_fit_badge.html", takes_context=True)
def fit_badge(context, record, rows=None) -> dict:
    """The fit badge of one row of a list of companies or persons (`rows`: the whole page)."""
    subject = "company" if isinstance(record, Company) else "person"
    key = ("fit_badges", subject, id(rows))
    fits = context.render_context.get(key)
    if fits is None:
        fits = selectors.list_fits(list(rows) if rows is not None else [record], subject)
        context.render_context[key] = fits
    return {"fit": fits.get(record.pk)}


@register.inclusion_tag("attraction/partials/_fit_badge.html", takes_context=True)
def deal_row_fit_badge(context, deal, rows) -> dict:
    """The fit badge of one row of a list of deals (`rows`: the whole page, read at once)."""
    key = ("deal_fit_badges", id(rows))
    fits = context.render_context.get(key)
    if fits is None:
        fits = selectors.deal_fits(list(rows))
        context.render_context[key] = fits
    return {"fit": fits.get(deal.pk)}


@register.inclusion_tag("attraction/partials/_deal_fit_badge.html", takes_context=True)
def deal_fit_badge(context, deal) -> dict:
    """The fit chip of a board card ("Fit 73"). The fits of every card are read on the first
    card and kept on the board."""
    board = context.get("board")
    fits = getattr(board, "deal_fits", None)
    if fits is None:
        cards = [card for column in getattr(board, "columns", []) for card in column.cards]
        fits = selectors.deal_fits(cards or [deal])
        if board is not None:
            board.deal_fits = fits
    # The card is not in a table with a "Fit" column: its chip says what its number is.
    return {"deal": deal, "fit": fits.get(deal.pk), "labelled": True}


@register.inclusion_tag("attraction/partials/_fit_chip.html")
def fit_chip(record) -> dict:
    """The record's fit as a labelled chip for a page header: "Fit 77", or "Fit not
    assessed"; a poor fit is coloured as danger, a middling one or a mismatch as a warning."""
    subject = "company" if isinstance(record, Company) else "person"
    fit = selectors.list_fits([record], subject)[record.pk]
    if fit.score is None:
        tone = "neutral"
    elif fit.is_poor:
        tone = "danger"
    else:
        tone = "ok" if fit.is_good and not fit.mismatches else "warn"
    return {"fit": fit, "tone": tone, "reasons": " ".join(fit.reasons)}
