"""The editors' preview (`make serve`): a change that breaks the build shows its message in the page."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

from test_check import replace


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url, condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            page = urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
            if condition(page):
                return page
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url}: condition not met in {timeout} s")


def test_a_broken_build_shows_its_french_message_in_the_page_until_fixed(project):
    port = _free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PLAN_OVT_SITE_URL=f"http://127.0.0.1:{port}/",
               PLAN_OVT_PREVIEW_LANGUAGE="fr")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/index.html"
        _wait_for(url, lambda page: "<article" in page and "erreur-de-construction" not in page)
        line = replace(project, "data/plan.yml", "period: 2020-2022", "period: [2020-2022")
        page = _wait_for(url, lambda page: "erreur-de-construction" in page)
        assert f"data/plan.yml:{line}: " in page and "syntaxe YAML invalide" in page and "À faire" in page
        replace(project, "data/plan.yml", "period: [2020-2022", "period: 2020-2022")
        _wait_for(url, lambda page: "erreur-de-construction" not in page and "<article" in page)
    finally:
        server.terminate()
        server.wait(timeout=30)
