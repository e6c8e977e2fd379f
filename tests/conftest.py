"""Shared fixtures: one strict build per test session, served as a host would, and temporary copies of the tree."""

import fnmatch
import functools
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import sync_playwright

from plan_ovt import pages
from plan_ovt.project import copy_sources

ROOT = Path(__file__).resolve().parent.parent
# The content the product tests read and build: the working tree, or another copy of the sources that
# `make check` accepts (PLAN_OVT_TEST_CONTENT, see tests/test_edit_batch.py). Code, tools and CI files
# stay ROOT's. In that mode only the tests of the built site run (pytest_collection_modifyitems).
CONTENT = Path(os.environ.get("PLAN_OVT_TEST_CONTENT") or ROOT).resolve()


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The site is built for the loopback address the tests serve it from, as a real deployment sets
# PLAN_OVT_SITE_URL to its own address: absolute links (hreflang, canonical) then stay on the site.
SITE_PORT = _free_port()
os.environ["PLAN_OVT_SITE_URL"] = f"http://127.0.0.1:{SITE_PORT}/plan-ovt/"
# A build for the root of a host, with the addresses a platform gives (no placeholder of mkdocs.yml).
ROOT_SITE_URL = f"http://127.0.0.1:{SITE_PORT}/"
PLATFORM_ADDRESSES = {"PLAN_OVT_SITE_URL": ROOT_SITE_URL, "PLAN_OVT_REPO_URL": "https://gitlab.example.net/itq/plan-ovt"}
# What the publishing team sets in data/publication.yml before publishing.
OPERATOR_CONTACT = "accessibilite@exemple.test"
OPERATOR_SETTINGS = {"accessibility_contact": OPERATOR_CONTACT, "accessibility_response_days": 10}
CONFIG = pages.read_config(CONTENT / "mkdocs.yml")
LANGUAGES = pages.languages(CONFIG)
PAGE_PAIRS = pages.page_pairs(CONFIG, CONTENT / "docs")
# Every page of every language: (language, nav title, source file, site-relative URL).
ALL_PAGES = [(lang, pair[lang]["title"], pair[lang]["file"], pair[lang]["url"])
             for pair in PAGE_PAIRS for lang in LANGUAGES]


def page_id(page):
    return f"{page[0]}:{page[2]}"


def counterpart(lang, file):
    """(language, url) of the same page in the other language."""
    pair = next(pair for pair in PAGE_PAIRS if pair[lang]["file"] == file)
    other = next(other for other in pair if other != lang)
    return other, pair[other]["url"]


def build(project, site_dir, generator="mkdocs", **environ):
    """Run a strict build of `project` into `site_dir`; return the finished process.

    `environ` sets variables for this build (a value of None unsets one)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **{name: value for name, value in environ.items() if value})
    for name in [name for name, value in environ.items() if value is None]:
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", generator, "build", "--strict", "--site-dir", str(site_dir)],
                          cwd=project, env=env, capture_output=True, text=True)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The site, built once per session from the content (read only) into a temporary folder."""
    site_dir = tmp_path_factory.mktemp("site")
    result = build(CONTENT, site_dir)
    assert result.returncode == 0, result.stderr
    return site_dir


def shown_text(element):
    """An element's text as a wide screen shows it, without what `hidden` keeps for narrow ones (extra.css)."""
    return "".join(text for text in element.find_all(string=True) if not text.find_parent(hidden=True))


@pytest.fixture(scope="session")
def root_site(tmp_path_factory):
    """The site built for the root of a host (ROOT_SITE_URL), as a publishing job builds it: with the
    platform's addresses and the settings only the publishing team gives (data/publication.yml)."""
    site_dir = tmp_path_factory.mktemp("root-site")
    project = copy_sources(tmp_path_factory.mktemp("root-site-project") / "project", CONTENT)
    publication = project / "data" / "publication.yml"
    settings = publication.read_text(encoding="utf-8")
    for setting, value in OPERATOR_SETTINGS.items():
        settings = re.sub(rf"(?m)^{setting}:.*$", f"{setting}: {value}", settings)
    publication.write_text(settings, encoding="utf-8")
    result = build(project, site_dir, **PLATFORM_ADDRESSES)
    assert result.returncode == 0, result.stderr
    return site_dir


@pytest.fixture(scope="session")
def default_site(tmp_path_factory):
    """The site as `make site` builds it with no setting at all: site_url is mkdocs.yml's placeholder."""
    site_dir = tmp_path_factory.mktemp("default-site")
    result = build(CONTENT, site_dir, PLAN_OVT_SITE_URL=None, PLAN_OVT_REPO_URL=None)
    assert result.returncode == 0, result.stderr
    return site_dir


def html_of(site_dir, url):
    return (Path(site_dir) / url).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def soup(site):
    cache = {}

    def parse(url):
        if url not in cache:
            cache[url] = BeautifulSoup(html_of(site, url), "lxml")
        return cache[url]
    return parse


def pytest_collection_modifyitems(config, items):
    """With PLAN_OVT_TEST_CONTENT, run only the tests of the site built from that content: the others
    (rules, mutations of copies of the working tree, CI files) do not depend on it."""
    if CONTENT != ROOT.resolve():
        selected = [item for item in items if "site" in getattr(item, "fixturenames", ())]
        config.hook.pytest_deselected(items=[item for item in items if item not in selected])
        items[:] = selected


@pytest.fixture
def project(tmp_path):
    """A temporary copy of the tree; changes to it never touch the working tree."""
    return copy_sources(tmp_path / "project")


# A host that reads site/_headers, and the browser


def headers_for(site_dir, path):
    """The headers site/_headers gives a site path ("/admin/index.html"), as Cloudflare Pages applies them:
    every matching block in order; "! Name" drops what an earlier block set."""
    headers, matches = {}, False
    for line in (Path(site_dir) / "_headers").read_text(encoding="utf-8").splitlines():
        if line and not line[0].isspace():
            matches = fnmatch.fnmatchcase(path, line.strip())
        elif matches and line.strip().startswith("! "):
            headers.pop(line.strip()[2:], None)
        elif matches and line.strip():
            name, _, value = line.strip().partition(": ")
            headers[name] = value
    return headers


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a page closed mid-download is no error
            super().handle_error(request, client_address)


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves the site under the path of site_url, as in production: the 404 page's links are absolute.
    Every response carries the security headers the build wrote in site/_headers (CSP included), so
    every browser test runs under the exact policy a host would send."""
    prefix = urlsplit(CONFIG.get("site_url") or "/").path.rstrip("/") + "/"
    extensions_map = dict(SimpleHTTPRequestHandler.extensions_map, **{".yml": "application/yaml"})
    served = []  # every path requested, in order: a test can tell when a browser has loaded a page

    def end_headers(self):
        for name, value in headers_for(self.directory, self._site_path()).items():
            self.send_header(name, value)
        super().end_headers()

    def _site_path(self):
        path = urlsplit(self.path).path
        return "/" + path[len(self.prefix):] if path.startswith(self.prefix) else path

    def translate_path(self, path):
        return super().translate_path("/" + path[len(self.prefix):] if path.startswith(self.prefix) else "/-")

    def log_request(self, *args):
        self.served.append(self.path)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def base_url(site):
    """The built site on the loopback address it was built for (site_url, see above)."""
    server = _Server(("127.0.0.1", SITE_PORT), functools.partial(_SiteHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}{_SiteHandler.prefix}"
    server.shutdown()
    server.server_close()


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.fail("Chromium introuvable : apt-get install chromium "
                    "(Chromium not found: apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
