"""Permissions-Policy on every response: no powerful feature, except what consent embeds need."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/", "/admin/login/", "/healthz/", "/consent/", "/no-such-page/"])
def test_every_response_carries_permissions_policy(client, demo_site, path):
    response = client.get(path)

    policy = dict(
        part.strip().split("=", 1) for part in response["Permissions-Policy"].split(",") if part.strip()
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert policy[feature] == "()", feature
    assert policy["fullscreen"] == '(self "https://www.youtube-nocookie.com")'
