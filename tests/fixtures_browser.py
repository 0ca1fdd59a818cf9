"""Fixtures shared by the whole suite."""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {
    "phone": {"width": 360, "height": 740},
    "desktop": {"width": 1366, "height": 768},
}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the whole run (Playwright cannot download its own)."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class BrowserPage:
    """A Playwright page at one viewport that records what a person would never see:
    console errors (a Content Security Policy violation is one) and failed requests."""

    def __init__(self, page: Any, base_url: str, viewport: str) -> None:
        self.page = page
        self.base_url = base_url
        self.viewport = viewport
        self.console_errors: list[str] = []
        page.on(
            "console",
            lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))
        page.on(
            "response",
            lambda r: (
                self.console_errors.append(f"{r.status} {r.url}")
                if r.status >= 400 and r.request.resource_type != "document"
                else None
            ),
        )

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base_url + path)

    def login(self, user: Any) -> None:
        """Sign `user` in by giving the browser a session cookie (the sign-in form itself is
        driven in tests/browser/test_login.py)."""
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": self.base_url}]
        )

    def open_menu(self) -> None:
        """On a phone the navigation is behind the Menu button: open it and wait until
        Bootstrap's collapse has finished, so a click lands on the link, not mid-animation."""
        toggler = self.page.get_by_role("button", name="Menu")
        if toggler.is_visible():
            toggler.click()
            self.page.locator("#main-nav.show").wait_for()

    def assert_accessible(self) -> None:
        """axe-core over the whole page: any violation fails, with the rule and the nodes.

        The axe script goes into each document once (a check after a change on the same page
        reuses it), and only the violations come back over the wire."""
        violations = self._axe_violations()
        if violations:
            report = "\n".join(
                f"- {v['id']} ({v['impact']}): {v['help']}\n    "
                + "\n    ".join(n["html"][:200] for n in v["nodes"][:5])
                for v in violations
            )
            pytest.fail(f"axe found {len(violations)} violation(s) at {self.viewport}:\n{report}")
        assert not self.console_errors, f"console errors: {self.console_errors}"

    def _axe_violations(self) -> list[dict[str, Any]]:
        """Run axe once the page has loaded. A click that follows a link returns before the
        new document arrives, so a run that started on the old document can lose it mid-way
        ("Execution context was destroyed", or a null documentElement): wait for the new
        page to load and run again."""
        from playwright.sync_api import Error as PlaywrightError

        for attempt in range(3):
            self.page.wait_for_load_state("load")
            try:
                if not self.page.evaluate("typeof window.axe !== 'undefined'"):
                    self.page.evaluate(_axe_script())
                result: list[dict[str, Any]] = self.page.evaluate(
                    "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)"
                )
                return result
            except PlaywrightError as error:
                navigating = any(
                    sign in str(error)
                    for sign in ("Execution context was destroyed", "documentElement", "navigat")
                )
                if not navigating or attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def screenshot(self, name: str) -> str:
        folder = os.path.join("var", "screenshots")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{name}-{self.viewport}.png")
        self.page.screenshot(path=path, full_page=True)
        return path


@functools.cache
def _axe_script() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return str(Axe().axe_script)


def _worker_on_clock(worker: Any, offset_ms: float) -> None:
    worker.evaluate(
        """offset => { const realNow = Date.now.bind(Date);
                       Date.now = () => realNow() + offset; }""",
        offset_ms,
    )


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def bpage(request: pytest.FixtureRequest, browser: Any, live_server: Any) -> Iterator[BrowserPage]:
    """A fresh browser context per test, at the phone and then the desktop viewport, on the
    test's pinned clock (tests/clock.py) and in London time, like the server."""
    from django.utils import timezone

    context = browser.new_context(
        viewport=VIEWPORTS[request.param], locale="en-GB", timezone_id="Europe/London"
    )
    # Time flows on from the server's "now": a date input's "today", a countdown or the
    # offline queue's timestamps agree with the pages the server renders.
    context.clock.install(time=timezone.now())
    # Playwright's clock does not reach service workers: put the visits worker on the same
    # clock, or it sees the queue's timestamps months away and expires what is waiting.
    offset_ms = (timezone.now().timestamp() - time_machine.escape_hatch.time.time()) * 1000
    context.on("serviceworker", lambda worker: _worker_on_clock(worker, offset_ms))
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield BrowserPage(page, live_server.url, request.param)
    context.close()
