"""Compare what a scan saw with the published registry: a pure function, tested without a browser."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .browser_scan import ScanResult, StoredItem, Write
from .known_cookies import KnownCookieRow, known_hosts_by_controller, lookup, suggest_category
from .models import FindingKind
from .registry_adapter import DeclaredItem, RegistryView

DAY = 86400
GRACE_DAYS = 1  # clocks and rounding: a cookie may outlive its declaration by a day


@dataclass
class Finding:
    kind: str
    name: str
    storage_type: str = ""
    page: str = ""
    state: str = ""
    setter: str = ""
    category_key: str = ""
    suggested_category: str = ""
    suggested_provider: str = ""
    evidence: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def describe_setter(write: Write | None, registry: RegistryView) -> str:
    """Who set it, in words: a published script by name, a script URL, or the response's URL."""
    if write is None:
        return ""
    setter = write.setter
    if setter.get("response"):
        return f"Set-Cookie from {setter['response']}"
    script = registry.script_named_by(setter.get("src", ""), setter.get("code", ""))
    if script is not None:
        return f"script “{script.name}” ({script.category_key})"
    if setter.get("src"):
        return f"script {setter['src']}"
    if setter.get("code") is not None:
        return f"inline script on {setter.get('page') or write.page}"
    return ""


def refused_in(state: str, declared: DeclaredItem | None) -> bool:
    """Whether a non-essential item's presence in ``state`` follows a refusal."""
    if state == "reject_all":
        return True
    return state.startswith("only:") and declared is not None and declared.category_key != state[5:]


def analyse(
    scan: ScanResult, registry: RegistryView, known: list[KnownCookieRow], now: float | None = None
) -> list[Finding]:
    now = scan.started if now is None else now
    findings: list[Finding] = []
    seen_keys: set[tuple[str, str, str]] = set()
    page_order = {page: index for index, page in enumerate(scan.pages)}

    def add(finding: Finding) -> None:
        key = (finding.kind, finding.storage_type + ":" + finding.name, finding.state)
        if key not in seen_keys:
            seen_keys.add(key)
            findings.append(finding)

    def first_write(state: str, item: StoredItem) -> Write | None:
        result = scan.results.get(state)
        writes = [
            w
            for w in (result.writes if result else [])
            if w.storage_type == item.storage_type and w.name == item.name
        ]
        writes.sort(key=lambda w: page_order.get(w.page, len(page_order)))
        return writes[0] if writes else None

    def where(state: str, item: StoredItem) -> tuple[str, str]:
        write = first_write(state, item)
        if write is not None:
            return write.page, describe_setter(write, registry)
        pages = sorted(item.pages, key=lambda page: page_order.get(page, len(page_order)))
        return (pages[0] if pages else ""), ""

    def evidence(item: StoredItem) -> dict:
        if item.storage_type != "cookie":
            return {"storage": item.storage_type}
        days = round((item.expires - now) / DAY, 1) if item.expires and item.expires > 0 else None
        return {
            "domain": item.domain,
            "path": item.path,
            "expires_in_days": days,
            "http_only": item.http_only,
            "secure": item.secure,
            "same_site": item.same_site,
        }

    # Everything present per state, one entry per (storage type, name).
    present: dict[str, dict[tuple[str, str], StoredItem]] = {}
    for state in scan.states:
        items: dict[tuple[str, str], StoredItem] = {}
        for item in scan.results[state].items if state in scan.results else []:
            key = (item.storage_type, item.name)
            if key in items:
                items[key].pages += item.pages
            else:
                items[key] = StoredItem(**{**item.__dict__, "pages": list(item.pages)})
        present[state] = items

    def declaration(item: StoredItem) -> DeclaredItem | None:
        return registry.declaration_for(item.name, item.storage_type)

    suggestions: dict[str, tuple[str, str, KnownCookieRow | None]] = {}

    def suggestion(name: str) -> tuple[str, str, KnownCookieRow | None]:
        if name not in suggestions:
            row = lookup(name, known)
            category = suggest_category(row.category, registry.categories) if row else ""
            provider = (row.data_controller or row.platform) if row else ""
            suggestions[name] = (category, provider, row)
        return suggestions[name]

    def essential(item: StoredItem) -> bool:
        declared = declaration(item)
        if declared is not None:
            return declared.essential
        category = registry.category(suggestion(item.name)[0])
        return bool(category and category.essential)

    for state in scan.states:
        for item in present[state].values():
            declared = declaration(item)
            page, setter = where(state, item)
            common: dict[str, Any] = {
                "name": item.name,
                "storage_type": item.storage_type,
                "page": page,
                "state": state,
                "setter": setter,
                "category_key": declared.category_key if declared else "",
                "evidence": evidence(item),
            }
            if declared is None:
                category, provider, row = suggestion(item.name)
                extra = {"known_as": f"{row.platform}: {row.description}"} if row else {}
                add(
                    Finding(
                        kind=FindingKind.UNDECLARED,
                        suggested_category=category,
                        suggested_provider=provider,
                        **{**common, "evidence": {**common["evidence"], **extra}},
                    )
                )
            elif item.storage_type == "cookie" and item.expires and item.expires > 0:
                lives_days = (item.expires - now) / DAY
                allowed = declared.max_days if declared.max_days is not None else 1
                if lives_days > allowed + GRACE_DAYS:
                    add(
                        Finding(
                            kind=FindingKind.LONGER_THAN_DECLARED,
                            **{
                                **common,
                                "state": "",
                                "evidence": {**common["evidence"], "declared_days": declared.max_days},
                            },
                        )
                    )
            if essential(item):
                continue
            if state == "none":
                add(Finding(kind=FindingKind.BEFORE_CONSENT, **common))
            elif refused_in(state, declared):
                add(Finding(kind=FindingKind.AFTER_REFUSAL, **common))
            elif state == "withdrawn" and (item.storage_type, item.name) in present.get("accept_all", {}):
                add(Finding(kind=FindingKind.NOT_CLEARED, **common))

    # One "undeclared" per name: keep the first state's.
    deduplicated: list[Finding] = []
    undeclared_names: set[tuple[str, str]] = set()
    for finding in findings:
        if finding.kind == FindingKind.UNDECLARED:
            if (finding.storage_type, finding.name) in undeclared_names:
                continue
            undeclared_names.add((finding.storage_type, finding.name))
        deduplicated.append(finding)
    findings = deduplicated

    observed = [key for items in present.values() for key in items]
    # Nothing seen at all (the site was unreachable): "never seen" would only be noise.
    for declared in registry.items if observed else []:
        if declared.storage_type == "pixel":
            continue
        if not any(declared.matches(name, storage_type) for storage_type, name in observed):
            findings.append(
                Finding(
                    kind=FindingKind.NEVER_SEEN,
                    name=declared.name,
                    storage_type=declared.storage_type,
                    category_key=declared.category_key,
                    evidence={"states": scan.states},
                )
            )

    known_hosts = known_hosts_by_controller(known)
    reported_hosts: set[str] = set()
    for state in scan.states:
        result = scan.results.get(state)
        for request in sorted(result.requests if result else [], key=lambda r: page_order.get(r.page, 0)):
            if request.host in reported_hosts or registry.host_is_covered(request.host, known_hosts):
                continue
            reported_hosts.add(request.host)
            findings.append(
                Finding(
                    kind=FindingKind.UNDECLARED_HOST,
                    name=request.host,
                    page=request.page,
                    state=state,
                    evidence={
                        "url": urlsplit(request.url)._replace(query="", fragment="").geturl(),
                        "attempted": True,
                        "failure": request.failure,
                    },
                )
            )

    for problem in scan.problems:
        findings.append(
            Finding(kind=FindingKind.PAGE_ERROR, name=problem.reason, page=problem.page, state=problem.state)
        )
    return findings
