"""What a page weighs on its first load: its HTML and every stylesheet and script it links,
raw and gzip-compressed (what a browser downloads from a server that compresses).

Shared by `make bench` (the `weight` section reports every page) and the test that keeps
each first load under the budget, so both weigh the same way. Assets are read from the
static files (the collected, hashed ones when the manifest storage is on), not fetched:
the development server does not serve them under the production settings.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client

# Issue 14: the first load of any page stays under 150 KB compressed.
FIRST_LOAD_BUDGET = 150 * 1024


@dataclass(frozen=True)
class Part:
    path: str
    raw: int
    compressed: int


@dataclass
class PageWeight:
    url: str
    html: Part
    assets: list[Part] = field(default_factory=list)

    @property
    def raw(self) -> int:
        return self.html.raw + sum(a.raw for a in self.assets)

    @property
    def compressed(self) -> int:
        return self.html.compressed + sum(a.compressed for a in self.assets)


class _AssetLinks(HTMLParser):
    """The stylesheets, scripts and icons a page makes the browser download."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("src"):
            self.paths.append(found["src"] or "")
        elif tag == "link" and (found.get("rel") or "") in {"stylesheet", "icon"}:
            self.paths.append(found.get("href") or "")


def _part(path: str, content: bytes) -> Part:
    return Part(path, len(content), len(gzip.compress(content, compresslevel=6)))


def _static_bytes(url: str) -> bytes:
    path = urlsplit(url).path
    name = path.removeprefix(settings.STATIC_URL)
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as handle:
            return handle.read()
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(f"{url} is linked from a page but is no static file")
    with open(found, "rb") as handle:
        return handle.read()


def asset_paths(html: str) -> list[str]:
    parser = _AssetLinks()
    parser.feed(html)
    return list(dict.fromkeys(p for p in parser.paths if p.startswith(settings.STATIC_URL)))


def weigh(client: Client, url: str) -> PageWeight:
    """The page at `url` as the client's user sees it, with the assets it links."""
    response = client.get(url)
    if response.status_code != 200:
        raise ValueError(f"{url} answered {response.status_code}")
    html = response.content
    weight = PageWeight(url, _part(url, html))
    for path in asset_paths(html.decode(response.charset or "utf-8")):
        weight.assets.append(_part(path, _static_bytes(path)))
    return weight


def over_budget(weights: list[PageWeight], budget: int = FIRST_LOAD_BUDGET) -> list[str]:
    """The pages whose first load is over the budget, each with what it weighs."""
    return [
        f"{w.url}: {w.compressed / 1024:.1f} KB compressed (budget {budget / 1024:.0f} KB)"
        for w in weights
        if w.compressed > budget
    ]
