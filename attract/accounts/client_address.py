"""Which address a request came from, for django-axes (AXES_CLIENT_IP_CALLABLE).

Behind a reverse proxy every request arrives from the proxy, so the client's address must be
read from the header the proxy writes (X-Forwarded-For by default). But anyone can send that
header: it is believed only when the request itself comes from one of
ATTRACT_TRUSTED_PROXIES. The header is then read from the right, skipping our own proxies;
the first address that is not one of them is the client. Entries further left were written
by the client or its proxies and are never trusted, so a forged X-Forwarded-For changes
nothing.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address

from django.conf import settings
from django.http import HttpRequest

Address = IPv4Address | IPv6Address


def client_ip_address(request: HttpRequest) -> str | None:
    peer = request.META.get("REMOTE_ADDR") or None
    if not _is_trusted_proxy(_parse(peer)):
        return peer
    forwarded = request.META.get(_meta_key(settings.ATTRACT_CLIENT_IP_HEADER), "")
    nearest = peer
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        address = _parse(hop)
        if address is None:
            # Not an address: whatever wrote it is not one of our proxies. Stop at the last
            # address our own proxies vouched for.
            return nearest
        if not _is_trusted_proxy(address):
            return str(address)
        nearest = str(address)
    return nearest


def _is_trusted_proxy(address: Address | None) -> bool:
    if address is None:
        return False
    return any(address in network for network in settings.ATTRACT_TRUSTED_PROXIES)


def _parse(text: str | None) -> Address | None:
    """An address as proxies write it: "203.0.113.7", "203.0.113.7:5123", "[2001:db8::1]:443"."""
    if not text:
        return None
    candidates = [text]
    if text.startswith("[") and "]" in text:
        candidates.append(text[1 : text.index("]")])
    elif text.count(":") == 1:
        candidates.append(text.split(":", 1)[0])
    for candidate in candidates:
        try:
            address = ip_address(candidate)
        except ValueError:
            continue
        # An IPv4 client seen through an IPv6 socket: compare it as IPv4.
        if isinstance(address, IPv6Address) and address.ipv4_mapped:
            return address.ipv4_mapped
        return address
    return None


def _meta_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")
