"""Smoke tests in the two other browser engines: Firefox (Gecko) and WebKit (Safari's engine).

Chromium carries the full browser suite (test_browser.py). Here, on the home page and the action
table page of each language, served with the site's own headers (CSP included): no console error,
no CSP violation, search returns results, the palette toggles, the language switch reaches the same
page in the other language, the navigation drawer opens on a 375 px phone.

Needs Debian's firefox-esr (driven by puppeteer-core from package.json over WebDriver BiDi) and
webkit2gtk-driver (WebKitWebDriver and MiniBrowser, driven by Selenium, on an xvfb-run display).
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ALL_PAGES, CONFIG, CONTENT, LANGUAGES, PAGE_PAIRS, ROOT, _SiteHandler, _free_port, counterpart, page_id

ENGINES = ["firefox", "webkit"]
FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox")
WEBKIT_DRIVER = shutil.which("WebKitWebDriver")
MINIBROWSER = next(Path("/usr/lib").glob("*/webkit2gtk-4.*/MiniBrowser"), None)
QUERY = "ITQ"
# The site's own header controls (overrides/partials/header.html, palette.html) and Material's search field.
PALETTE_BUTTON = "button.palette-switch__button"
MENU_BUTTON = "button.md-header__button[data-toggle=__drawer]"
SEARCH_FIELD = "input.md-search__input"
# MiniBrowser's console lines: "[source:line:column: ]CONSOLE <SOURCE> ERROR <message>".
CONSOLE_ERROR = re.compile(r"(?:^|: )CONSOLE (?:\w+ )?ERROR ")
# The page that shows the action table: the one whose source calls the action_table macro.
TABLE_FILE = next(pair[LANGUAGES[0]]["file"] for pair in PAGE_PAIRS
                  if "action_table(" in (CONTENT / "docs" / LANGUAGES[0] / pair[LANGUAGES[0]]["file"]).read_text("utf-8"))
TABLE_PAIR = next(pair for pair in PAGE_PAIRS if pair[LANGUAGES[0]]["file"] == TABLE_FILE)
SMOKE_PAIRS = [PAGE_PAIRS[0], TABLE_PAIR]
SMOKE_PAGES = [entry for entry in ALL_PAGES if any(pair[entry[0]]["url"] == entry[3] for pair in SMOKE_PAIRS)]

# Page functions shared by both engines (sources run in the page).
CHECKS = {
    "record_problems": """() => { window.__problems = [];
        document.addEventListener("securitypolicyviolation",
          event => window.__problems.push(`${event.violatedDirective} ${event.blockedURI}`));
        addEventListener("error", event => window.__problems.push(`error: ${event.message}`));
        addEventListener("unhandledrejection", event => window.__problems.push(`error: ${event.reason}`));
        const log = console.error;
        console.error = (...args) => { window.__problems.push(`console: ${args.join(" ")}`); log(...args); }; }""",
    # Let the last action's transitions finish (at most 1 s), so that the next click lands where it aims.
    "settle": """async () => { await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        // A transition cut short (the palette changed again) rejects its promise: that one is over too.
        await Promise.race([Promise.all(document.getAnimations().map(animation => animation.finished.catch(() => {}))),
                            new Promise(resolve => setTimeout(resolve, 1000))]); }""",
    "problems": "() => window.__problems || ['not recorded']",
    "scheme": "() => document.body.dataset.mdColorScheme",
    "search_results": "() => document.querySelectorAll('.md-search-result__item').length",
    "language": "() => document.documentElement.lang",
    "drawer_open": """() => { const nav = document.querySelector(".md-sidebar--primary");
        const box = nav.getBoundingClientRect();
        return document.getElementById("__drawer").checked && box.left >= -1 && box.right > 200
               && getComputedStyle(nav).visibility !== "hidden"; }""",
}


# Firefox: one puppeteer-core run over every page (tests/engines/firefox.mjs)


@pytest.fixture(scope="session")
def firefox(base_url, tmp_path_factory):
    if not FIREFOX:
        pytest.fail("Firefox introuvable : apt-get install firefox-esr (Firefox not found)")
    plan = tmp_path_factory.mktemp("firefox") / "plan.json"
    plan.write_text(json.dumps({"query": QUERY, "checks": CHECKS,
                                "selectors": {"palette": PALETTE_BUTTON, "menu": MENU_BUTTON, "search": SEARCH_FIELD},
                                "pages": [{"url": base_url + entry[3]} for entry in SMOKE_PAGES]}))
    run = subprocess.run(["node", str(ROOT / "tests" / "engines" / "firefox.mjs"), FIREFOX, str(plan)],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return {result["url"]: result for result in json.loads(run.stdout)}


# WebKit: WebKitWebDriver on a virtual display, and MiniBrowser alone for the console


@pytest.fixture(scope="session")
def webkit_driver(tmp_path_factory):
    if not (WEBKIT_DRIVER and MINIBROWSER and shutil.which("xvfb-run")):
        pytest.fail("WebKit introuvable : apt-get install webkit2gtk-driver xvfb xauth (WebKit not found)")
    port = _free_port()
    service = subprocess.Popen(["xvfb-run", "--auto-servernum", WEBKIT_DRIVER, f"--port={port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port)).close()
                break
            except OSError:
                time.sleep(0.1)
        options = webdriver.WebKitGTKOptions()
        options.binary_location = str(MINIBROWSER)
        options.add_argument("--automation")
        options.enable_bidi = False  # WebKitWebDriver 2.50 refuses sessions that ask for BiDi
        options.set_capability("webSocketUrl", None)
        driver = webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=options)
        yield driver
        driver.quit()
    finally:
        os.killpg(service.pid, signal.SIGTERM)
        service.wait()


def webkit_console_errors(url, tmp_path):
    """Console errors of MiniBrowser loading `url` on its own: under automation it does not write its
    console (where WebKit reports, among others, CSP directives it does not know). Waits until the
    page has asked for its last stylesheet, then a second for it to render. The theme's script starts on
    the first input, which nobody gives here: what it logs is recorded in the driven session
    (record_problems)."""
    output = tmp_path / "console.log"
    requested = len(_SiteHandler.served)
    with output.open("w") as stdout:
        # A cache of its own, so that every run requests the theme's script (--private would, but then
        # MiniBrowser writes no console).
        browser = subprocess.Popen(["xvfb-run", "--auto-servernum", str(MINIBROWSER),
                                    "--enable-write-console-messages-to-stdout=true", url],
                                   stdout=stdout, stderr=subprocess.STDOUT, start_new_session=True,
                                   env=dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"),
                                            XDG_DATA_HOME=str(tmp_path / "data")))
    try:
        for _ in range(600):
            if any(path.endswith(CONFIG["extra_css"][-1]) for path in _SiteHandler.served[requested:]):
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"WebKit never loaded the stylesheets of {url}")
        time.sleep(1)
    finally:
        os.killpg(browser.pid, signal.SIGTERM)
        browser.wait()
    lines = output.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line for line in lines if CONSOLE_ERROR.search(line)]


def _run(driver, name, *args):
    return driver.execute_async_script(
        f"const done = arguments[arguments.length - 1]; Promise.resolve(({CHECKS[name]})(...arguments)).then(done)", *args)


@pytest.fixture(scope="session")
def webkit(base_url, webkit_driver, tmp_path_factory):
    driver, results = webkit_driver, {}
    wait = WebDriverWait(driver, 10)

    def until(condition):
        """Wait for `condition`; if it never holds, the test's assertion says what did not happen."""
        try:
            wait.until(condition)
        except TimeoutException:
            pass

    for entry in SMOKE_PAGES:
        url = base_url + entry[3]
        result = {"url": url, "problems": [],
                  "errors": webkit_console_errors(url, tmp_path_factory.mktemp("webkit"))}
        driver.set_window_size(1280, 800)
        driver.get(url)
        _run(driver, "record_problems")
        # Classic WebDriver has no response headers: the server always sends them (conftest.py).
        result["csp"] = "served"
        driver.find_element(By.CSS_SELECTOR, SEARCH_FIELD).click()
        wait.until(lambda d: d.execute_script("return document.activeElement.matches('.md-search__input')"))
        driver.switch_to.active_element.send_keys(QUERY)
        # Counted in the page: results are drawn again as each letter arrives, which would make element
        # handles stale.
        until(lambda d: _run(d, "search_results"))
        result["search_results"] = _run(driver, "search_results")
        driver.switch_to.active_element.send_keys(Keys.ESCAPE)
        wait.until(lambda d: not d.execute_script("return document.getElementById('__search').checked"))
        _run(driver, "settle")
        result["schemes"] = [_run(driver, "scheme")]
        driver.find_element(By.CSS_SELECTOR, PALETTE_BUTTON).click()
        until(lambda d: _run(d, "scheme") != result["schemes"][0])
        result["schemes"].append(_run(driver, "scheme"))
        _run(driver, "settle")
        result["problems"] += _run(driver, "problems")
        driver.find_element(By.CSS_SELECTOR, "a.md-header__language").click()
        wait.until(lambda d: d.current_url != url and d.execute_script("return document.readyState") == "complete")
        # The page reached is a smoke page too: its console is read on its own turn.
        result["landed"] = [driver.current_url, _run(driver, "language")]
        driver.set_window_size(375, 800)
        driver.get(url)
        _run(driver, "record_problems")
        driver.find_element(By.CSS_SELECTOR, MENU_BUTTON).click()
        until(lambda d: _run(d, "drawer_open"))
        result["drawer_open"] = _run(driver, "drawer_open")
        result["problems"] += _run(driver, "problems")
        results[url] = result
    return results


@pytest.mark.parametrize("page_entry", SMOKE_PAGES, ids=page_id)
@pytest.mark.parametrize("engine", ENGINES)
def test_engine_smoke(request, base_url, engine, page_entry):
    result = request.getfixturevalue(engine)[base_url + page_entry[3]]
    assert result["csp"], "the site's headers were not sent"
    assert result["errors"] == [], "console errors"
    assert result["problems"] == [], "CSP violations or script errors"
    assert result["search_results"] > 0, "search shows no result"
    assert result["schemes"][0] != result["schemes"][1], "the palette toggle does not change the palette"
    other, url = counterpart(page_entry[0], page_entry[2])
    assert result["landed"] == [base_url + url, other], "the language switch does not reach the counterpart page"
    assert result["drawer_open"], "the navigation drawer does not open at 375 px"
