"""The comparison with the registry, on hand-made scan results (no browser, no database)."""

from cookie_scanner.browser_scan import Request, ScanResult, StateResult, StoredItem, Write
from cookie_scanner.findings import analyse
from cookie_scanner.known_cookies import bundled_rows
from cookie_scanner.models import FindingKind
from cookie_scanner.registry_adapter import DeclaredCategory, DeclaredItem, GatedScript, RegistryView

NOW = 1_800_000_000.0
DAY = 86400


def registry_view() -> RegistryView:
    return RegistryView(
        categories=[
            DeclaredCategory("necessary", "Strictly Necessary", True),
            DeclaredCategory("analytics", "Analytics", False),
            DeclaredCategory("marketing", "Marketing", False),
        ],
        items=[
            DeclaredItem("cookie_consent", "necessary", True, "cookie", 183),
            DeclaredItem("_ga", "analytics", False, "cookie", 2 * 366, provider="Google"),
            DeclaredItem("_ga_*", "analytics", False, "cookie", 2 * 366, provider="Google"),
            DeclaredItem("session_thing", "analytics", False, "cookie", None),
            DeclaredItem("_gid", "analytics", False, "cookie", 1),
        ],
        provider_hosts={"Google": {"google.com"}},
        scripts=[GatedScript("GA", "analytics", "", "ga();")],
    )


def scan(**results: StateResult) -> ScanResult:
    for name, result in results.items():
        result.state = name
    return ScanResult("http://127.0.0.1:1", ["/", "/b/"], list(results), results, [], NOW, 1.0)


def cookie(name: str, days: float | None = None, **extra) -> StoredItem:
    return StoredItem(
        "cookie", name, domain="127.0.0.1", path="/", expires=NOW + days * DAY if days else -1, **extra
    )


def kinds(findings, name):
    return {f.kind for f in findings if f.name == name}


def test_patterns_cover_names_and_durations_are_checked():
    result = scan(
        accept_all=StateResult(
            "",
            items=[
                cookie("_ga", 700),
                cookie("_ga_X1", 900),
                cookie("session_thing", 5),
                cookie("cookie_consent", 100),
            ],
            writes=[
                Write("cookie", "_ga_X1", "/b/", {"code": "ga();"}),
                Write("cookie", "_ga_X1", "/", {"code": "ga();"}),
            ],
        )
    )
    findings = analyse(result, registry_view(), list(bundled_rows()))
    assert kinds(findings, "_ga") == set()
    (longer,) = [f for f in findings if f.name == "_ga_X1"]
    assert longer.kind == FindingKind.LONGER_THAN_DECLARED
    assert longer.page == "/" and longer.setter == "script “GA” (analytics)"  # first page in scan order
    assert kinds(findings, "session_thing") == {
        FindingKind.LONGER_THAN_DECLARED
    }  # declared session, lives 5 days
    assert {f.name for f in findings if f.kind == FindingKind.NEVER_SEEN} == {"_gid"}


def test_undeclared_items_get_suggestions_and_consent_state_kinds():
    result = scan(
        none=StateResult("", items=[cookie("_fbp", 90), cookie("cookie_consent", 100)]),
        reject_all=StateResult("", items=[cookie("_fbp", 90), cookie("_ga", 700)]),
        accept_all=StateResult(
            "", items=[cookie("_ga", 700), StoredItem("local_storage", "hjKey", pages=["/b/"])]
        ),
        withdrawn=StateResult("", items=[cookie("_ga", 700)]),
    )
    findings = analyse(result, registry_view(), list(bundled_rows()))
    (undeclared,) = [f for f in findings if f.kind == FindingKind.UNDECLARED and f.name == "_fbp"]
    assert (undeclared.state, undeclared.suggested_category, undeclared.suggested_provider) == (
        "none",
        "marketing",
        "Meta",
    )
    assert kinds(findings, "_fbp") == {
        FindingKind.UNDECLARED,
        FindingKind.BEFORE_CONSENT,
        FindingKind.AFTER_REFUSAL,
    }
    assert kinds(findings, "_ga") == {FindingKind.AFTER_REFUSAL, FindingKind.NOT_CLEARED}
    assert kinds(findings, "cookie_consent") == set()  # essential: fine before consent
    (storage,) = [f for f in findings if f.name == "hjKey"]
    assert (storage.page, storage.storage_type, storage.suggested_category) == ("/b/", "local_storage", "")


def test_third_party_hosts_are_checked_against_providers_and_known_domains():
    result = scan(
        accept_all=StateResult(
            "",
            requests=[
                Request("www.google.com", "https://www.google.com/x?id=secret", "/"),
                Request("region1.google-analytics.com", "https://region1.google-analytics.com/g", "/"),
                Request(
                    "cdn.unknown.test",
                    "https://cdn.unknown.test/a.js?v=1",
                    "/b/",
                    "net::ERR_BLOCKED_BY_CLIENT",
                ),
                Request("cdn.unknown.test", "https://cdn.unknown.test/b.js", "/"),
            ],
        )
    )
    findings = analyse(result, registry_view(), list(bundled_rows()))
    hosts = [f for f in findings if f.kind == FindingKind.UNDECLARED_HOST]
    assert [f.name for f in hosts] == ["cdn.unknown.test"]  # google-analytics.com: Google is a provider
    assert hosts[0].page == "/" and hosts[0].evidence["attempted"] is True
    assert "?" not in hosts[0].evidence["url"]  # no query strings (they can carry ids)
