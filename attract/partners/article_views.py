"""Articles on a topic: added from the topic's page, moved to the trash (with Undo) and back.
An article has no page of its own: its address leads to its topic's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from attract.core.permissions import can_write
from attract.partners import initiative_services as services
from attract.partners.initiative_forms import ArticleForm
from attract.partners.models import Article, Topic
from attract.people.views.trash import trashed_message


def _article(request: HttpRequest, pk: int, *, write: bool) -> Article:
    article = Article.all_objects.select_related("topic").filter(pk=pk).first()
    if article is None:
        raise Http404
    if write and not can_write(request.user):
        raise PermissionDenied("Your role can read but not change records.")
    return article


def _topic_page(article: Article) -> str:
    return reverse("partners:topic_edit", args=[article.topic_id]) + "#articles"


@login_required
@require_GET
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(_topic_page(_article(request, pk, write=False)))


@login_required
@require_POST
def article_add(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_write(request.user):
        raise PermissionDenied("Your role can read but not change records.")
    topic = Topic.all_objects.filter(pk=pk).first()
    if topic is None:
        raise Http404
    form = ArticleForm(request.POST)
    back = reverse("partners:topic_edit", args=[topic.pk]) + "#articles"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        article = services.article_add(actor=request.user, topic=topic, **form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Article “{article}” added to {topic}.")
    return redirect(back)


@login_required
@require_POST
def article_trash(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request, pk, write=True)
    services.article_trash(actor=request.user, article=article)
    restore = reverse("partners:article_restore", args=[article.pk])
    text = trashed_message(
        request, name=f"Article “{article}”", restore_url=restore, record_url=_topic_page(article)
    )
    messages.success(request, text)
    return redirect(_topic_page(article))


@login_required
@require_POST
def article_restore(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request, pk, write=True)
    services.article_restore(actor=request.user, article=article)
    messages.success(request, f"Article “{article}” restored.")
    return redirect(_topic_page(article))
