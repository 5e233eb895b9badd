"""The search page (/search/?q=) and the command palette's results (/search/palette/).

Both read the same selector as the API's /search; the palette adds pages and actions. With
`then` (log_call, add_task) the palette is asking which record the action is for: it lists
only people, companies and deals, each opening at the form that does the action."""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from attract.core.search_text import clean_search
from attract.web.commands import THEN_ANCHORS, THEN_PROMPTS, commands_matching
from attract.web.search import RECORD_KINDS, search_everything


@login_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    query = clean_search(request.GET.get("q"))
    results = search_everything(user=request.user, query=query, limit=10)
    commands = commands_matching(user=request.user, query=query) if query else []
    context = {"query": query, "results": results, "commands": commands}
    return render(request, "web/search.html", context)


@login_required
@require_GET
def palette(request: HttpRequest) -> HttpResponse:
    query = clean_search(request.GET.get("q"))
    then = request.GET.get("then", "")
    if then not in THEN_ANCHORS:
        then = ""
    if then:
        results = search_everything(user=request.user, query=query, kinds=RECORD_KINDS)
        for group in results.groups:
            group.hits = [replace(hit, url=f"{hit.url}#{THEN_ANCHORS[then]}") for hit in group.hits]
        commands = []
    else:
        results = search_everything(user=request.user, query=query)
        commands = commands_matching(user=request.user, query=query)
    context = {
        "query": query,
        "results": results,
        "commands": commands,
        "then": then,
        "prompt": THEN_PROMPTS.get(then, ""),
    }
    return render(request, "web/partials/_palette_results.html", context)
