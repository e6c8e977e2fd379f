"""The editors' preview (`make serve`): a change that breaks the build shows its message in the page."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

from test_check import append_line, replace


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


def _serve(project, port, **popen):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PLAN_OVT_SITE_URL=f"http://127.0.0.1:{port}/",
               PLAN_OVT_PREVIEW_LANGUAGE="fr")
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=project, env=env, stdout=subprocess.DEVNULL, **popen)


def _article(page):
    return page[page.index("<article"):page.index("</article>")]


def test_a_broken_build_shows_its_french_message_in_the_page_until_fixed(project):
    port = _free_port()
    server = _serve(project, port, stderr=subprocess.DEVNULL)
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


def test_the_preview_never_stops_and_keeps_the_last_good_render(project, tmp_path):
    """A first build that fails, a macro error (mkdocs-macros exits), an unreadable mkdocs.yml: the preview
    keeps running, shows the last good render with the finding, and recovers once the file is fixed."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/index.html"
    terminal = tmp_path / "terminal.txt"
    line = replace(project, "data/plan.yml", "period: 2020-2022", "period: [2020-2022")
    with terminal.open("w") as output:
        server = _serve(project, port, stderr=output)
    try:
        page = _wait_for(url, lambda page: "erreur-de-construction" in page)
        assert f"data/plan.yml:{line}: " in page and "syntaxe YAML invalide" in page
        replace(project, "data/plan.yml", "period: [2020-2022", "period: 2020-2022")
        good = _wait_for(url, lambda page: "erreur-de-construction" not in page and "<article" in page)

        line = append_line(project, "docs/fr/index.md", "{{ t(itq.champ_inconnu) }}")
        page = _wait_for(url, lambda page: "erreur-de-construction" in page)
        assert _article(page) == _article(good)
        assert f"docs/fr/index.md:{line}" in page and "macro illisible" in page
        replace(project, "docs/fr/index.md", "{{ t(itq.champ_inconnu) }}", "")
        _wait_for(url, lambda page: "erreur-de-construction" not in page and "<article" in page)

        (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text(encoding="utf-8") + "\nnav: [\n",
                                            encoding="utf-8")
        page = _wait_for(url, lambda page: "erreur-de-construction" in page)
        assert _article(page) == _article(good) and "La construction s’est arrêtée : " in page
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = terminal.read_text(encoding="utf-8")
    # Told in the terminal too, each time; MkDocs never gave up on a rebuild (it would print a traceback).
    assert text.count("l’aperçu garde la dernière version réussie") == 3
    assert "An error happened during the rebuild" not in text


def test_the_mkdocs_internals_the_preview_relies_on_are_still_there():
    """plan_ovt/preview.py replaces mkdocs.commands.serve.build and wraps LiveReloadServer's builder and
    _inject_js_into_html: an upgrade of MkDocs that renames them fails here, by name."""
    from mkdocs.commands import serve
    from mkdocs.livereload import LiveReloadServer

    assert callable(serve.build), "mkdocs.commands.serve.build"
    assert callable(LiveReloadServer._inject_js_into_html), "LiveReloadServer._inject_js_into_html"
    assert "builder" in LiveReloadServer.__init__.__code__.co_varnames, "LiveReloadServer(builder=…)"
