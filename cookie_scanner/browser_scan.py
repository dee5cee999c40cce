"""Drive one headless Chromium over the site's pages in each consent state and record what is stored.

Async Playwright so that a bounded number of tabs work at once; the rest of the app never sees
Playwright objects, only the plain ``ScanResult`` this module returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Hosts under reserved names can never be real third parties: their requests are recorded, never sent.
RESERVED_HOST = re.compile(r"(^|\.)(invalid|test|example|localhost)$")
BANNER_BUTTON = "#consent-banner [data-consent='{action}']"

# Runs before any page script: wraps the cookie setter and Storage.setItem to note who wrote what.
RECORDER_JS = r"""
(() => {
  const log = window.__cookieScan = { writes: [], blocked: [] };
  document.addEventListener('securitypolicyviolation', e => { log.blocked.push(String(e.blockedURI)); });
  const who = () => {
    const s = document.currentScript;
    if (s) return s.src ? { src: s.src } : { code: (s.text || '').slice(0, 300), page: location.pathname };
    const frame = (new Error().stack || '').split('\n').slice(2).find(l => /https?:\/\//.test(l)) || '';
    const m = frame.match(/(https?:\/\/[^\s)]+?):\d+:\d+/);
    return { src: m ? m[1] : '' };
  };
  const desc = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (desc && desc.set) {
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true, enumerable: desc.enumerable,
      get() { return desc.get.call(this); },
      set(value) {
        try {
          const name = String(value).split(';')[0].split('=')[0].trim();
          const expired = /;\s*max-age=\s*(0|-\d+)/i.test(value) || /;\s*expires=[^;]*1970/i.test(value);
          if (name && !expired) log.writes.push(Object.assign({ type: 'cookie', name }, who()));
        } catch (e) { /* never break the page */ }
        return desc.set.call(this, value);
      },
    });
  }
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    try {
      const type = this === window.sessionStorage ? 'session_storage' : 'local_storage';
      log.writes.push(Object.assign({ type, name: String(key) }, who()));
    } catch (e) { /* storage blocked */ }
    return setItem.call(this, key, value);
  };
})();
"""
COLLECT_JS = """() => {
  const keys = s => { try { return Object.keys(window[s]); } catch (e) { return []; } };
  const log = window.__cookieScan || { writes: [], blocked: [] };
  return { writes: log.writes, blocked: log.blocked,
           local: keys('localStorage'), session: keys('sessionStorage') };
}"""


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@dataclass
class ConsentState:
    """A consent state: ``none``, ``reject_all``, ``accept_all``, ``only:<key>`` or ``withdrawn``."""

    name: str
    granted: list[str] | None = None  # None: no choice made


@dataclass
class Write:
    storage_type: str
    name: str
    page: str
    setter: dict


@dataclass
class StoredItem:
    storage_type: str
    name: str
    domain: str = ""
    path: str = ""
    expires: float = -1
    http_only: bool = False
    secure: bool = False
    same_site: str = ""
    pages: list[str] = field(default_factory=list)  # pages after which it was present (storage)


@dataclass
class Request:
    host: str
    url: str
    page: str
    failure: str = ""


@dataclass
class StateResult:
    state: str
    items: list[StoredItem] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)


@dataclass
class PageProblem:
    page: str
    state: str
    reason: str


@dataclass
class ScanResult:
    base_url: str
    pages: list[str]
    states: list[str]
    results: dict[str, StateResult]
    problems: list[PageProblem]
    started: float
    seconds: float
    timed_out: bool = False


@dataclass
class ScanSettings:
    max_tabs: int = 4
    page_timeout: float = 15.0
    time_limit: float = 240.0
    settle_ms: int = 300
    block_third_party: bool = False
    only_states: list[str] | None = None  # e.g. ["none", "reject_all"]; default: every state


def consent_states(optional_keys: list[str]) -> list[ConsentState]:
    states = [ConsentState("none"), ConsentState("reject_all", []), ConsentState("accept_all", optional_keys)]
    if len(optional_keys) > 1:
        states += [ConsentState(f"only:{key}", [key]) for key in optional_keys]
    return states


class _Tab:
    """A browser tab reused for several pages of one consent state; events go to the current page."""

    def __init__(self, page) -> None:
        self.page = page
        self.path = ""
        self.pending: list[asyncio.Future] = []
        self.errors: list[str] = []

    @classmethod
    async def open(cls, scan: _Scan, context, result: StateResult) -> _Tab:
        tab = cls(await context.new_page())
        tab.page.on("request", lambda request: scan.note_request(request, tab.path, result))
        tab.page.on("requestfailed", lambda request: scan.note_failure(request, result))
        tab.page.on(
            "response",
            lambda response: tab.pending.append(
                asyncio.ensure_future(scan.note_set_cookie(response, tab.path, result))
            ),
        )
        tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
        return tab

    def start(self, path: str) -> None:
        self.path, self.pending, self.errors = path, [], []

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.page.close()


class _Scan:
    def __init__(self, base_url: str, pages: list[str], settings: ScanSettings) -> None:
        self.base_url = base_url.rstrip("/")
        self.base_host = urlsplit(self.base_url).hostname or ""
        self.pages = pages
        self.settings = settings
        self.problems: list[PageProblem] = []
        self.tabs = asyncio.Semaphore(settings.max_tabs)
        self.deadline = time.monotonic() + settings.time_limit
        self.timed_out = False
        self.state_count = 1

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def blocked(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        if not host or host == self.base_host:
            return False
        return bool(RESERVED_HOST.search(host)) or self.settings.block_third_party

    async def new_context(self, browser):
        context = await browser.new_context(ignore_https_errors=True)
        await context.add_init_script(RECORDER_JS)
        await context.route(self.blocked, lambda route: route.abort("blockedbyclient"))
        return context

    async def run_state(self, browser, state: ConsentState, results: dict[str, StateResult]) -> None:
        context = await self.new_context(browser)
        try:
            result = results[state.name] = StateResult(state.name)
            if state.granted is not None and not await self.choose(context, state):
                return
            await self.visit_all(context, result)
            result.items += await self.jar(context)
            if state.name == "accept_all":
                withdrawn = results["withdrawn"] = StateResult("withdrawn")
                if await self.choose(context, ConsentState("withdrawn", [])):
                    await self.visit_all(context, withdrawn)
                    withdrawn.items += await self.jar(context)
        finally:
            await context.close()

    async def choose(self, context, state: ConsentState) -> bool:
        """Make the choice as a visitor would: the banner's buttons, or its POST for one category."""
        page_path = self.pages[0] if self.pages else "/"
        async with self.tabs:
            page = await context.new_page()
            try:
                # The choice is the base of a whole state: allow it more time than a single page.
                await page.goto(self.base_url + page_path, timeout=self.page_timeout_ms(minimum=10))
                action = {"reject_all": "reject_all", "accept_all": "accept_all"}.get(state.name)
                button = page.locator(BANNER_BUTTON.format(action=action)) if action else None
                if button is not None and await button.count() and await button.first.is_visible():
                    async with page.expect_response(lambda r: r.request.method == "POST"):
                        await button.first.click()
                else:
                    status = await page.evaluate(
                        """async granted => {
                          const cfg = JSON.parse(document.getElementById('consent-config').textContent);
                          const r = await fetch(cfg.endpoint, {method: 'POST', credentials: 'same-origin',
                            headers: {'Content-Type': 'application/json'},
                            body: JSON.stringify({action: granted.length ? 'custom' : 'reject_all', granted,
                                                  registry_version: cfg.registryVersion})});
                          return r.ok ? 200 : r.status;
                        }""",
                        state.granted,
                    )
                    if status != 200:
                        raise RuntimeError(f"the consent endpoint answered {status}")
                return True
            except Exception as error:  # noqa: BLE001 - reported, the other states go on
                self.problems.append(
                    PageProblem(page_path, state.name, f"could not make the consent choice: {short(error)}")
                )
                return False
            finally:
                await page.close()

    def page_timeout_ms(self, minimum: float = 0) -> float:
        return max(1.0, min(max(self.settings.page_timeout, minimum), self.remaining())) * 1000

    async def visit_all(self, context, result: StateResult) -> None:
        """Visit every page in this state: a few reused tabs per state, at most ``max_tabs`` busy at once."""
        queue: asyncio.Queue[str] = asyncio.Queue()
        for path in self.pages:
            queue.put_nowait(path)
        workers = max(1, min(len(self.pages), -(-self.settings.max_tabs // max(1, self.state_count))))
        await asyncio.gather(*(self.tab_worker(context, queue, result) for _ in range(workers)))

    async def tab_worker(self, context, queue: asyncio.Queue[str], result: StateResult) -> None:
        tab: _Tab | None = None
        try:
            while not queue.empty():
                path = queue.get_nowait()
                async with self.tabs:
                    if self.remaining() <= 1:
                        self.timed_out = True
                        self.problems.append(
                            PageProblem(path, result.state, "not scanned: the scan's time limit was reached")
                        )
                        continue
                    if tab is None:
                        tab = await _Tab.open(self, context, result)
                    if not await self.visit(tab, path, result):
                        await tab.close()  # a page that failed may have left the tab unusable
                        tab = None
        finally:
            if tab is not None:
                await tab.close()

    async def visit(self, tab: _Tab, path: str, result: StateResult) -> bool:
        """Load one page in ``tab`` and record what it stored; False when the tab should be replaced."""
        page = tab.page
        tab.start(path)
        try:
            try:
                response = await page.goto(
                    self.base_url + path, wait_until="load", timeout=self.page_timeout_ms()
                )
                if response is not None and response.status >= 400:
                    self.problems.append(
                        PageProblem(path, result.state, f"the page answered HTTP {response.status}")
                    )
            except Exception as error:  # noqa: BLE001 - unreachable, timeout … : reported per page
                self.problems.append(
                    PageProblem(path, result.state, f"the page did not load: {short(error)}")
                )
                return False
            await page.wait_for_timeout(self.settings.settle_ms)
            data = await asyncio.wait_for(page.evaluate(COLLECT_JS), timeout=max(1.0, self.remaining()))
            for write in data["writes"]:
                result.writes.append(Write(write["type"], write["name"], path, write))
            for storage_type, keys in (
                ("local_storage", data["local"]),
                ("session_storage", data["session"]),
            ):
                for key in keys:
                    result.items.append(StoredItem(storage_type, key, pages=[path]))
            for url in data["blocked"]:
                host = (urlsplit(url).hostname or "").lower()
                if host and host != self.base_host:
                    result.requests.append(
                        Request(host, url[:300], path, "blocked by Content-Security-Policy")
                    )
            for message in tab.errors[:3]:
                self.problems.append(PageProblem(path, result.state, f"a script threw: {message[:200]}"))
            if tab.pending:
                await asyncio.wait(tab.pending, timeout=2)
            return True
        except Exception as error:  # noqa: BLE001
            self.problems.append(
                PageProblem(path, result.state, f"the page could not be read: {short(error)}")
            )
            return False

    def note_request(self, request, path: str, result: StateResult) -> None:
        host = (urlsplit(request.url).hostname or "").lower()
        if host and host != self.base_host and request.url.startswith(("http:", "https:")):
            result.requests.append(Request(host, request.url[:300], path))

    def note_failure(self, request, result: StateResult) -> None:
        for noted in reversed(result.requests):
            if noted.url == request.url[:300]:
                noted.failure = request.failure or "failed"
                return

    async def note_set_cookie(self, response, path: str, result: StateResult) -> None:
        try:
            headers = await response.headers_array()
        except Exception:  # noqa: BLE001 - the page is gone
            return
        for header in headers:
            if header["name"].lower() != "set-cookie":
                continue
            for line in header["value"].split("\n"):
                name = line.split(";")[0].split("=")[0].strip()
                if name and not re.search(r";\s*max-age=0|expires=[^;]*1970", line, re.IGNORECASE):
                    result.writes.append(Write("cookie", name, path, {"response": response.url[:300]}))

    async def jar(self, context) -> list[StoredItem]:
        return [
            StoredItem(
                "cookie",
                cookie["name"],
                domain=cookie.get("domain", ""),
                path=cookie.get("path", ""),
                expires=cookie.get("expires", -1),
                http_only=cookie.get("httpOnly", False),
                secure=cookie.get("secure", False),
                same_site=cookie.get("sameSite", ""),
            )
            for cookie in await context.cookies()
        ]


def short(error: BaseException) -> str:
    return str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__


async def scan_site(
    base_url: str, pages: list[str], states: list[ConsentState], settings: ScanSettings
) -> ScanResult:
    from playwright.async_api import async_playwright

    started_wall, started = time.time(), time.monotonic()
    scan = _Scan(base_url, pages, settings)
    scan.state_count = len(states)
    results: dict[str, StateResult] = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            tasks = [asyncio.ensure_future(scan.run_state(browser, state, results)) for state in states]
            done, still_running = await asyncio.wait(tasks, timeout=settings.time_limit + 15)
            for task in still_running:
                task.cancel()
                scan.timed_out = True
            for task in done:
                error = task.exception()
                if error is not None:
                    scan.problems.append(PageProblem("", "", f"a consent state failed: {short(error)}"))
        finally:
            await browser.close()
    state_names = [state.name for state in states]
    if "accept_all" in state_names:
        state_names.insert(state_names.index("accept_all") + 1, "withdrawn")
    return ScanResult(
        base_url=scan.base_url,
        pages=pages,
        states=state_names,
        results=results,
        problems=scan.problems,
        started=started_wall,
        seconds=time.monotonic() - started,
        timed_out=scan.timed_out,
    )
