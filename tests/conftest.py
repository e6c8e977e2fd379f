"""Shared fixtures: one strict build per test session, and temporary copies of the tree."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from plan_ovt import pages
from plan_ovt.project import copy_sources

ROOT = Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The site is built for the loopback address the tests serve it from, as a real deployment sets
# PLAN_OVT_SITE_URL to its own address: absolute links (hreflang, canonical) then stay on the site.
SITE_PORT = _free_port()
os.environ["PLAN_OVT_SITE_URL"] = f"http://127.0.0.1:{SITE_PORT}/plan-ovt/"
CONFIG = pages.read_config(ROOT / "mkdocs.yml")
LANGUAGES = pages.languages(CONFIG)
PAGE_PAIRS = pages.page_pairs(CONFIG, ROOT / "docs")
# Every page of every language: (language, nav title, source file, site-relative URL).
ALL_PAGES = [(lang, pair[lang]["title"], pair[lang]["file"], pair[lang]["url"])
             for pair in PAGE_PAIRS for lang in LANGUAGES]


def page_id(page):
    return f"{page[0]}:{page[2]}"


def build(project, site_dir):
    """Run a strict MkDocs build of `project` into `site_dir`; return the finished process."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
                          cwd=project, env=env, capture_output=True, text=True)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The site, built once per session from the working tree (read only) into a temporary folder."""
    site_dir = tmp_path_factory.mktemp("site")
    result = build(ROOT, site_dir)
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


@pytest.fixture
def project(tmp_path):
    """A temporary copy of the tree; changes to it never touch the working tree."""
    return copy_sources(tmp_path / "project")
