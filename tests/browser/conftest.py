"""Playwright driving Debian's chromium against pytest-django's live server."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Step screenshots go with the other artifacts unless SCREENSHOT_DIR names a folder.
SHOTS = Path(os.environ.get("SCREENSHOT_DIR") or ARTIFACTS)


def shot(page, name: str, step: str) -> None:
    """A full-page screenshot of one step of a journey, to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{step}.png"), full_page=True)


# Every page must run under the site's Content-Security-Policy. Chromium reports what the
# policy refused as a console error and as a securitypolicyviolation event; the event is
# written to the console too (the listener is added by DevTools, outside the policy).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.effectiveDirective + " refused " +
    (event.blockedURI || "inline") + " at " + event.sourceFile + ":" + event.lineNumber +
    " " + (event.sample || ""));
}, true);
"""


def _csp_violation(message) -> bool:
    text = message.text
    return text.startswith("CSP violation") or "Content Security Policy" in text


def watch_csp(context, violations: list):
    """Collects the policy's refusals on every page of the context into violations."""
    context.add_init_script(script=CSP_LISTENER)
    context.on(
        "console",
        lambda message: (
            violations.append(f"{message.page.url if message.page else ''}: {message.text}")
            if _csp_violation(message)
            else None
        ),
    )
    return context


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="session")
def csp_violations():
    return []


@pytest.fixture(autouse=True)
def no_csp_violation(csp_violations):
    """Fails a test whose pages broke the Content-Security-Policy, in any context."""
    csp_violations.clear()
    yield
    found, csp_violations[:] = list(csp_violations), []
    assert not found, "Content-Security-Policy violations:\n" + "\n".join(found)


@pytest.fixture(scope="session")
def browser(csp_violations):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"chromium not found at {CHROMIUM}; .ci/run installs it")
        pytest.skip(f"chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # Contexts the tests open themselves are watched as well.
        new_context = browser.new_context
        browser.new_context = lambda **options: watch_csp(new_context(**options), csp_violations)
        yield browser
        browser.close()


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def page(request, browser):
    context = browser.new_context(viewport=request.param, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.viewport_name = request.node.callspec.id
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
