"""The visitor's IP address, taken through the reverse proxies this deployment trusts, and no others.

``X-Forwarded-For`` is written by whoever sends the request, so only the entries added by our own
proxies can be believed. Two ways to say which those are (README, *Security*):

- ``TRUSTED_PROXY_NETWORKS``: the proxies' networks (``10.0.0.0/8``, ``127.0.0.1/32``). Walking from
  the peer address leftwards through ``X-Forwarded-For``, the first address outside them is the client.
- ``TRUSTED_PROXY_COUNT``: how many proxies stand in front (nginx alone: 1; CDN + nginx: 2). The client
  is that many hops left of the peer address.

Neither set (the default): ``REMOTE_ADDR``, the peer address, and ``X-Forwarded-For`` is ignored.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _parse_networks(networks: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(network, strict=False) for network in networks)


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def client_ip(request: HttpRequest) -> str:
    """The client's address as text, or ``""`` when there is none worth believing."""
    peer = _ip(request.META.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return ""
    networks = _parse_networks(tuple(getattr(settings, "TRUSTED_PROXY_NETWORKS", ())))
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if not networks and count <= 0:
        return str(peer)
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    hops = [_ip(part) for part in forwarded] + [peer]
    if networks:
        for hop in reversed(hops):
            if hop is None:  # garbage in the header: nothing further left can be trusted
                return ""
            if not any(hop in network for network in networks):
                return str(hop)
        return str(hops[0])  # every hop is one of ours (an internal health check, say)
    if len(hops) <= count:  # fewer hops than proxies: misconfigured, or a request that bypassed them
        return str(peer)
    client = hops[-(count + 1)]
    return str(client) if client is not None else ""
