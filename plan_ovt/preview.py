"""`make serve`: when an edit breaks the build, the preview keeps the last good render and every page says
what broke, in French; the next good build takes the message away. The preview never stops on an error.

MkDocs's own serve builds into the folder it serves, emptied at the start of each build: an error in a page
(a macro error, which mkdocs-macros raises as SystemExit) left an empty preview, a SystemExit stopped the
rebuilds for good, and an error in the first build ended `make serve`. Here each build goes into a folder
of its own, put in place of the served one only when it succeeds, and no error leaves the builder.

MkDocs 1.6 internals this relies on (mkdocs is pinned): the name `build` in mkdocs.commands.serve (what its
builder calls), and LiveReloadServer's `builder` and `_inject_js_into_html`.
"""

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from plan_ovt import build_check

_state = {"problems": [], "good": False}


def on_startup(command):
    """From the hooks' on_startup, before the first build: in `mkdocs serve`, build aside and keep the last
    good render."""
    if command != "serve":
        return
    from mkdocs.commands import serve

    if not getattr(serve.build, "keeps_last_good", False):
        serve.build = keep_last_good(serve.build)


def keep_last_good(build):
    def build_aside(config, **options):
        served = Path(config.site_dir)
        fresh = Path(tempfile.mkdtemp(prefix=f"{served.name}-", dir=served.parent))
        config.site_dir = str(fresh)
        try:
            built = _attempt(Path(config.config_file_path).parent, lambda: build(config, **options))
        finally:
            config.site_dir = str(served)
        if not built:
            shutil.rmtree(fresh, ignore_errors=True)
            if not _state["good"]:  # nothing good to show yet: a page that says why
                for name in ("index.html", "404.html"):
                    (served / name).write_text(_placeholder(), encoding="utf-8")
            return
        old = served.with_name(f"{fresh.name}-old")
        os.rename(served, old)  # no request is answered meanwhile: MkDocs holds them until the build is done
        os.rename(fresh, served)
        shutil.rmtree(old, ignore_errors=True)
        _state["good"] = True

    build_aside.keeps_last_good = True
    return build_aside


def on_serve(server, root):
    """From the hooks' on_serve: a rebuild that fails before building (mkdocs.yml unreadable) is reported too,
    and every page of the preview shows the problems of the last build."""
    builder, inject = server.builder, server._inject_js_into_html

    def inject_problems(content, epoch):
        content = inject(content, epoch)
        if not _state["problems"] or b'id="erreur-de-construction"' in content:
            return content
        return content.replace(b"<body", b"<body data-build-error", 1).replace(
            b"</body>", error_panel(_state["problems"]).encode() + b"</body>", 1)

    server.builder = lambda *args, **kwargs: _attempt(Path(root), lambda: builder(*args, **kwargs), clears=False)
    server._inject_js_into_html = inject_problems


class _BuildLog(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(getattr(record, "finding", None) or record.getMessage())


def _attempt(root, build, clears=True):
    """Run a build; True if it succeeded. A failure is kept as the preview's problems and told in the terminal,
    never raised: MkDocs would stop rebuilding, or stop serving. MkDocs's builder reads mkdocs.yml, then calls
    build_aside, which says itself whether the build succeeded (clears=False around it)."""
    log = _BuildLog()
    logging.getLogger("mkdocs").addHandler(log)
    try:
        build()
    except (Exception, SystemExit) as error:
        _state["problems"] = preview_problems(root, log.messages, error)
        print("\nLe site ne se construit plus ; l’aperçu garde la dernière version réussie "
              "(the build failed; the preview keeps the last good version):\n\n"
              + "\n\n".join(_state["problems"]) + "\n", file=sys.stderr, flush=True)
        return False
    finally:
        logging.getLogger("mkdocs").removeHandler(log)
    if clears:
        _state["problems"] = []
    return True


def preview_problems(root, messages, error=None):
    """The build's messages as an editor reads them: findings in French where a rule knows the message."""
    problems = []
    for text in messages:
        if not isinstance(text, str):  # a finding of the project's own rules (plan_ovt/hooks.py report)
            problems.append(str(text))
            continue
        if text.startswith("Aborted with"):
            continue
        found = build_check.finding_for(root, text)
        problems += [str(finding) for finding in found] if found and "la construction signale" not in found[0].problem \
            else [text]
    if not problems and error is not None and not isinstance(error, SystemExit) and str(error).strip():
        problems.append(f"La construction s’est arrêtée : {str(error).strip()[:2000]}\n    À faire : corrigez ce que "
                        "ce message désigne (fichier, ligne), puis enregistrez.\n    [en] The build stopped: fix "
                        "what this message points at, then save.")
    return problems or ["La construction a échoué : voir le terminal de make serve (the build failed)."]


def error_panel(problems):
    items = "".join(f"<li><pre style=\"white-space:pre-wrap;margin:0\">{escape(problem)}</pre></li>" for problem in problems)
    return ('<div role="alert" id="erreur-de-construction" style="position:fixed;inset:1rem;z-index:1000;'
            'overflow:auto;background:#fff;color:#1b1b1b;border:4px solid #b00020;padding:1.5rem;font:16px/1.5 '
            'system-ui,sans-serif"><h1 style="font-size:1.5rem;margin-top:0">Le site ne se construit plus : '
            'cette page n’est plus à jour</h1><p>Corrigez ce qui suit, puis enregistrez : la page se recharge '
            "d’elle-même (the build failed; fix the following and save).</p>"
            f'<ul style="padding-left:1.2rem">{items}</ul></div>')


def _placeholder():
    """The page shown before any build succeeded: the problems, and the script that reloads it once fixed."""
    return ('<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Aperçu indisponible '
            "(preview unavailable)</title></head><body data-build-error>"
            f"{error_panel(_state['problems'])}</body></html>")
