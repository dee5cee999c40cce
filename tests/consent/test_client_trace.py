"""The client trace kept with a record: a network, never the address; a browser family, never the UA."""

from __future__ import annotations

import pytest

from consent.client_trace import truncated_ip_network, user_agent_family


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:abcd:12:34::1", "2001:db8:abcd::/48"),
        ("::ffff:198.51.100.9", "198.51.100.0/24"),  # IPv4-mapped IPv6 is an IPv4 client
        ("", ""),
        (None, ""),
        ("not-an-ip", ""),
        ("203.0.113.77, 10.0.0.1", ""),  # a forwarded list is not an address
    ],
)
def test_ip_is_truncated(address, network):
    assert truncated_ip_network(address) == network


@pytest.mark.parametrize(
    ("user_agent", "family"),
    [
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
            "Chrome 156 / Linux",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:150.0) Gecko/20100101 Firefox/150.0",
            "Firefox 150 / Windows",
        ),
        ("", ""),
        ('=HYPERLINK("https://evil.example")', "Other / Other"),
    ],
)
def test_user_agent_is_reduced_to_a_family(user_agent, family):
    assert user_agent_family(user_agent) == family


def test_a_family_never_starts_like_a_spreadsheet_formula():
    for user_agent in ("=cmd|' /C calc'!A0/1.0", "+1+1/2.0 (X11; Linux)", "-2+3/1", "@SUM(1)/2"):
        assert not user_agent_family(user_agent).startswith(("=", "+", "-", "@"))
