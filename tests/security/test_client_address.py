"""The client address: the peer unless trusted proxies are configured; forged X-Forwarded-For ignored."""

from __future__ import annotations

import pytest

from django.test import RequestFactory, override_settings

from security.client_address import client_ip


def request_from(peer: str, forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, headers=headers)


def test_by_default_the_peer_address_and_forwarded_headers_are_ignored():
    assert client_ip(request_from("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("count", "peer", "forwarded", "expected"),
    [
        (1, "10.0.0.2", "198.51.100.7", "198.51.100.7"),
        (1, "10.0.0.2", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # a forged entry further left
        (2, "10.0.0.2", "6.6.6.6, 198.51.100.7, 172.16.0.9", "198.51.100.7"),  # CDN + nginx
        (1, "198.51.100.7", None, "198.51.100.7"),  # a request that bypassed the proxy
        (1, "10.0.0.2", "not-an-ip", ""),
        (1, "10.0.0.2", "[2001:db8::1]:443", "2001:db8::1"),
        (1, "10.0.0.2", "198.51.100.7:51234", "198.51.100.7"),
    ],
)
def test_trusted_proxy_count(count, peer, forwarded, expected):
    with override_settings(TRUSTED_PROXY_COUNT=count):
        assert client_ip(request_from(peer, forwarded)) == expected


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("10.0.0.2", "198.51.100.7", "198.51.100.7"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.1.2.3", "198.51.100.7"),
        ("198.51.100.9", "6.6.6.6", "198.51.100.9"),  # not from a trusted proxy: its header is ignored
        ("10.0.0.2", "10.0.0.3", "10.0.0.3"),  # an internal caller
        ("::ffff:10.0.0.2", "198.51.100.7", "198.51.100.7"),
        ("10.0.0.2", "junk, 198.51.100.7", "198.51.100.7"),
        ("10.0.0.2", "198.51.100.7, junk", ""),
    ],
)
def test_trusted_proxy_networks(peer, forwarded, expected):
    with override_settings(TRUSTED_PROXY_NETWORKS=["10.0.0.0/8"]):
        assert client_ip(request_from(peer, forwarded)) == expected


def test_a_missing_peer_address_is_empty():
    assert client_ip(request_from("")) == ""


def test_malformed_proxy_settings_are_system_check_errors():
    from django.core.checks import run_checks

    with override_settings(
        TRUSTED_PROXY_NETWORKS=["10.0.0.0/8", "the load balancer"], TRUSTED_PROXY_COUNT=-1
    ):
        ids = {message.id for message in run_checks()}
    assert {"security.E001", "security.E003"} <= ids
