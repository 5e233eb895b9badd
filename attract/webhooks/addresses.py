"""Where a webhook may be sent: http(s) URLs whose host resolves only to public addresses.

A URL naming a private, loopback, link-local or otherwise reserved address (or a host name
that resolves to one) is refused, so a subscription cannot make the server call into its own
network (server-side request forgery). The check is made again at every delivery, on the
addresses the connection then uses (sending.py connects to the checked address itself), so a
name that later resolves elsewhere gains nothing. ATTRACT_WEBHOOKS_ALLOW_PRIVATE=true lifts
the rule, for an installation whose receivers live on its own network (and for tests).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError


def _refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def check_url_form(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a well-formed http(s) URL, or a ValidationError that says why."""
    if "\x00" in url or any(ch.isspace() for ch in url):
        raise ValidationError({"url": "A URL has no spaces or control characters."})
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise ValidationError({"url": "Use an http:// or https:// URL."})
    if not parts.hostname:
        raise ValidationError({"url": "The URL names no host."})
    if parts.username or parts.password:
        raise ValidationError(
            {"url": "Put no user name or password in the URL; the signature proves who sends."}
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise ValidationError({"url": "The URL's port is not a number from 1 to 65535."}) from exc
    return parts.scheme, parts.hostname, port


def resolve_allowed(host: str, port: int) -> list[str]:
    """The addresses to connect to, all of them allowed; ValidationError otherwise."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ValidationError({"url": f"The host {host} could not be found."}) from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not settings.ATTRACT_WEBHOOKS_ALLOW_PRIVATE:
        for text in addresses:
            if _refused(ipaddress.ip_address(text.split("%")[0])):
                raise ValidationError(
                    {
                        "url": f"{host} is a private, loopback or reserved address ({text}); "
                        "webhooks go to public addresses only."
                    }
                )
    return addresses


def check_url(url: str) -> None:
    _scheme, host, port = check_url_form(url)
    resolve_allowed(host, port)
