"""A privacy-preserving trace of who sent a consent choice: never the raw IP or the full user agent.

The truncated network and the browser family are enough to corroborate a record ("a Chrome on Linux in
this provider's /24 chose this") without identifying a person, which keeps the records themselves
from becoming tracking data.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.http import HttpRequest

from security.client_address import client_ip

IPV4_PREFIX = 24
IPV6_PREFIX = 48
MAX_USER_AGENT_LENGTH = 512


def truncated_ip_network(address: str | None) -> str:
    """``203.0.113.7`` → ``203.0.113.0/24``; ``2001:db8:1:2::1`` → ``2001:db8:1::/48``; junk → ``""``."""
    if not address:
        return ""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


@lru_cache(maxsize=512)
def user_agent_family(user_agent: str) -> str:
    """``"Chrome 156 / Linux"``: browser family, major version and OS family, nothing finer."""
    if not user_agent:
        return ""
    # Imported on the first consent choice, not with the site: its rule tables cost a worker memory.
    # Only the two domains used are parsed (ua-parser compiles each domain's rules on first use).
    from ua_parser import parse_os, parse_user_agent

    header = user_agent[:MAX_USER_AGENT_LENGTH]
    agent = parse_user_agent(header)
    system = parse_os(header)
    browser = "Other"
    if agent is not None:
        browser = agent.family
        if agent.major:
            browser = f"{browser} {agent.major}"
    operating_system = system.family if system is not None else "Other"
    # Families can echo text from the header; never let one start like a spreadsheet formula (CSV export).
    return f"{browser} / {operating_system}".lstrip("=+-@\t\r ")[:120]


def client_trace(request: HttpRequest) -> tuple[str, str]:
    """(truncated IP network, user-agent family) for a request.

    The address is the peer's unless trusted proxies are configured (``security.client_address``):
    ``X-Forwarded-For`` from the open internet is never believed.
    """
    return (
        truncated_ip_network(client_ip(request)),
        user_agent_family(request.headers.get("User-Agent", "")),
    )
