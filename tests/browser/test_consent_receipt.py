"""The visitor's receipt in real Chromium: choose, download the receipt, verify it on /consent/verify/."""

from __future__ import annotations

import json


def test_a_visitor_downloads_a_receipt_and_verifies_it(site_url, page, tmp_path):
    page.goto(site_url + "/")
    page.locator("#consent-banner").get_by_role("button", name="Reject all", exact=True).click()
    page.locator("#consent-banner").wait_for(state="hidden")

    page.goto(site_url + "/cookie-settings/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download your consent receipt").click()
    path = tmp_path / "receipt.json"
    download_info.value.save_as(path)
    receipt = json.loads(path.read_text())
    assert receipt["@graph"][0]["dpv:hasConsentStatus"] == "dpv:ConsentRefused"

    page.get_by_role("link", name="verify it").click()
    page.get_by_label("… or a receipt file").set_input_files(path)
    page.get_by_role("button", name="Verify").click()
    result = page.locator("[data-receipt-result]")
    assert result.get_attribute("data-receipt-result") == "verified"
    assert "Verified: this receipt matches the stored record" in result.inner_text()

    # A tampered copy pasted into the form is refused with the reason.
    receipt["@graph"][0]["evidence"]["content"]["granted"] = ["analytics"]
    page.get_by_label("Receipt (JSON)").fill(json.dumps(receipt))
    page.get_by_role("button", name="Verify").click()
    assert page.locator("[data-receipt-result]").get_attribute("data-receipt-result") == "not-verified"
    assert "does not match its own hash" in page.locator("[data-receipt-reason]").inner_text()
