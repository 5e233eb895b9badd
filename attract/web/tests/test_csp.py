"""The Content-Security-Policy header, and templates that need nothing it forbids. The browser
test (test_browser_csp.py) proves the pages load clean; these catch a slip before a browser
runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ATTRACT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(ATTRACT.glob("*/templates/**/*.html"))

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


@pytest.mark.django_db
def test_every_page_carries_a_policy_with_no_inline_code_and_no_other_host(client):
    policy = client.get("/login/")["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    for sources in directives.values():
        assert not any(s in ("'unsafe-inline'", "'unsafe-eval'", "*") for s in sources), policy
        assert not any(s.startswith(("http:", "https:")) for s in sources), policy


def test_the_templates_are_found():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        (INLINE_SCRIPT, "an inline <script>"),
        (EVENT_HANDLER, "an on…= event handler"),
        (STYLE_ATTRIBUTE, "a style= attribute"),
        (STYLE_ELEMENT, "a <style> element"),
        (JAVASCRIPT_URL, "a javascript: URL"),
    ],
)
def test_no_template_holds_what_the_policy_refuses(pattern, what):
    found = [
        f"{path.relative_to(ATTRACT)}: {match.group(0)[:80]}"
        for path in TEMPLATES
        for match in pattern.finditer(path.read_text())
    ]
    assert found == [], f"{what} in: {found}"


def test_htmx_is_configured_without_eval_or_its_own_styles():
    base = (ATTRACT / "web/templates/base.html").read_text()
    assert '"includeIndicatorStyles": false' in base
    assert '"allowEval": false' in base
