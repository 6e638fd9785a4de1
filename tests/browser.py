"""Debian's Chromium driven by Playwright, one browser per test session (Playwright's sync API allows only one
running instance per thread). Without Chromium these tests skip; CI installs it and requires it."""

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.services import IN_CI

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail(f"Chromium not found at {CHROMIUM} (CI=true: it is required)")
        pytest.skip(f"Chromium not found at {CHROMIUM}; `apt-get install chromium` to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1,
                                  is_mobile=True, has_touch=True, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


def artifacts_dir() -> Path:
    """Where failure screenshots go: $E2E_ARTIFACTS, default opop-e2e in the system's temporary directory."""
    directory = Path(os.environ.get("E2E_ARTIFACTS") or Path(tempfile.gettempdir()) / "opop-e2e")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test item, so a fixture's teardown knows whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@contextmanager
def screenshot_on_failure(page, name: str):
    """Keeps a full-page screenshot of the moment a browser step failed (in `artifacts_dir()`), so a red CI run
    shows what the browser saw."""
    try:
        yield
    except BaseException:
        directory = artifacts_dir()
        try:
            page.screenshot(path=str(directory / f"{name}.png"), full_page=True)
        except Exception:  # the page may be gone; the original failure matters more
            pass
        raise


def log_in(page, base: str, email: str, password: str | None = None) -> None:
    """Signs in through the login form, as a person would, and fails the test if the login page comes back."""
    from tests.factories import PASSWORD

    page.goto(f"{base}/masuk")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password or PASSWORD)
    with page.expect_navigation():
        page.click("main form button:has-text('Masuk')")
    assert "/masuk" not in page.url, "login failed"


_BROKEN_WORDS_JS = """(selector) => {
  const broken = [];
  for (const cell of document.querySelectorAll(selector)) {
    const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      for (const word of node.data.matchAll(/[^\\s-]+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(word[0]);
      }
    }
  }
  return broken;
}"""


def broken_words(page, selector: str) -> list[str]:
    """Words inside ``selector`` that the browser split across two lines (body's overflow-wrap: anywhere does
    that to narrow table columns on a phone: "penco/cokan")."""
    return page.evaluate(_BROKEN_WORDS_JS, selector)
