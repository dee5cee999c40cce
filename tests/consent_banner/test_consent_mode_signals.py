"""Consent Mode: a signal is granted only when every category that maps it is granted.

Runs the real ``consent-mode.js`` in Node with a minimal document (config + consent cookie) and reads
what it pushed to ``dataLayer``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "consent" / "static" / "consent" / "consent-mode.js"
HARNESS = """
const fs = require('fs'), vm = require('vm');
const [file, cfg, cookie] = process.argv.slice(-3), script = fs.readFileSync(file, 'utf8');
const window = {};
window.window = window;
window.document = { cookie, getElementById: () => ({ textContent: cfg }) };
vm.runInNewContext(script, window);
console.log(JSON.stringify(window.dataLayer.map(a => [a[0], a[1], a[2]])));
"""

CATEGORIES = [
    {"key": "necessary", "essential": True, "signals": ["security_storage"]},
    {
        "key": "preferences",
        "essential": False,
        "signals": ["functionality_storage", "personalization_storage"],
    },
    {"key": "marketing", "essential": False, "signals": ["ad_storage", "personalization_storage"]},
    {"key": "analytics", "essential": False, "signals": ["analytics_storage"]},
]

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")


def consent_update(granted: list[str]) -> dict[str, str]:
    cfg = {
        "cookieName": "cookie_consent",
        "registryVersion": 3,
        "lifetimeDays": 182,
        "categories": CATEGORIES,
    }
    cookie = f"cookie_consent=1|{'a' * 32}|3|{int(time.time())}|{'+'.join(granted)}:signature"
    result = subprocess.run(  # noqa: S603
        ["node", "-e", HARNESS, str(SCRIPT), json.dumps(cfg), cookie],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    pushes = json.loads(result.stdout)
    updates = [push[2] for push in pushes if push[:2] == ["consent", "update"]]
    assert len(updates) == 1, pushes
    return updates[0]


def test_a_shared_signal_stays_denied_when_one_of_its_categories_is_refused():
    update = consent_update(["preferences"])
    assert update["functionality_storage"] == "granted"
    assert update["personalization_storage"] == "denied"  # marketing maps it too, and was refused
    assert update["ad_storage"] == "denied"
    assert update["security_storage"] == "granted"  # essential


def test_a_shared_signal_is_granted_when_every_category_mapping_it_is_granted():
    update = consent_update(["preferences", "marketing"])
    assert update["personalization_storage"] == "granted"
    assert update["analytics_storage"] == "denied"


def test_order_of_categories_does_not_matter():
    update = consent_update(["marketing"])
    assert update["personalization_storage"] == "denied"
    assert update["ad_storage"] == "granted"
