"""The rule a build alone can prove: links, anchors and macros of every page, as MkDocs finds them.

`make check` builds the site in memory's reach (a temporary folder, no PDF) and turns what MkDocs
and the macros plugin report into findings on the page's own line, in French first.
"""

import logging
import os
import re
import tempfile
from pathlib import Path

from plan_ovt.findings import message

LINK = re.compile(r"Doc file '(?P<page>[^']+)' contains (?:a|an) (?P<kind>[\w ]*?)\s*link '(?P<target>[^']+)'"
                  r"(?P<rest>.*)")
MACRO_FILE = re.compile(r"_File_: `(?P<page>[^`]+)`")
MACRO_ERROR = re.compile(r"_(?P<kind>[A-Za-z]+Error)_: (?P<detail>.*)")


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def build_problems(root):
    """Findings from a strict build of the project at `root` (links, anchors, macros)."""
    root = Path(root)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    # No PDF and no web editor (admin/): neither has a rule of its own to prove here.
    previous = {name: os.environ.get(name) for name in ("PLAN_OVT_PDF", "PLAN_OVT_ADMIN")}
    os.environ.update(PLAN_OVT_PDF="0", PLAN_OVT_ADMIN="0")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    crashed = None
    try:
        with tempfile.TemporaryDirectory() as site_dir:
            config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=site_dir)
            try:
                config.plugins.on_startup(command="build", dirty=False)
                build(config)
            except (Exception, SystemExit) as error:  # the build's own words are in the log records
                crashed = error
    finally:
        logger.removeHandler(collect)
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    problems = []
    for record in collect.records:
        # The project's own rules log their findings whole (plan_ovt/hooks.py report, macros.py).
        finding = getattr(record, "finding", None)
        problems += [finding] if finding else finding_for(root, record.getMessage())
    if crashed is not None and not problems:
        problems.append(message(
            "mkdocs.yml", None, None, f"le site ne se construit pas ({_first_line(crashed)})",
            "lancez make serve : le message d’erreur s’affiche dans le navigateur; si le problème persiste, "
            "transmettez ce message à l’équipe technique",
            f"the site does not build ({_first_line(crashed)})",
            "run make serve to see the error; if it persists, send this message to the technical team",
            rule="build"))
    return problems


def _first_line(error):
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:300]


def finding_for(root, text):
    link = LINK.search(text)
    if link:
        page, target, rest = link.group("page"), link.group("target"), link.group("rest")
        shown = f"docs/{page}"
        line, column = _locate(root / "docs" / page, [f"]({target}", f'"{target}"', target])
        anchor = re.search(r"does not contain an anchor '(#[^']+)'", rest)
        if anchor:
            return [message(shown, line, None,
                            f"le lien « {target} » vise l’ancre {anchor.group(1)}, qui n’existe pas dans sa page",
                            "corrigez la partie après « # » : elle doit reprendre l’identifiant d’un titre ou d’un "
                            "élément de la page visée (ouvrez la page dans l’aperçu et copiez l’adresse du titre)",
                            f"the link '{target}' points at the anchor {anchor.group(1)}, which its page does not have",
                            "fix the part after '#': it must be the id of a heading or element of the target page",
                            column=column, rule="links")]
        if "not found among documentation files" in rest:
            return [message(shown, line, None, f"le lien « {target} » mène à une page qui n’existe pas",
                            "écrivez le nom exact d’un fichier .md du même dossier (par exemple introduction.md), "
                            "ou retirez le lien",
                            f"the link '{target}' leads to a page that does not exist",
                            "write the exact name of a .md file of the same folder, or remove the link",
                            column=column, rule="links")]
        return [message(shown, line, None, f"lien « {target} » non reconnu",
                        "liez une autre page par son nom de fichier relatif (introduction.md), et un site externe "
                        "par son adresse complète (https://…)",
                        f"unrecognized link '{target}'",
                        "link another page by its relative file name (introduction.md), an external site by its "
                        "full address (https://…)", column=column, rule="links")]
    macro = MACRO_FILE.search(text)
    if macro:
        page = macro.group("page")
        error = MACRO_ERROR.search(text)
        detail = error.group("detail").strip() if error else "erreur de macro"
        name = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", detail)
        word = next((group for group in name.groups() if group), None) if name else None
        line, column = _locate(root / "docs" / page, [word] if word else ["{{", "{%"], inside_macro=True)
        return [message(f"docs/{page}", line, None, f"macro illisible ({detail})",
                        "reprenez l’écriture exacte de la macro d’une page voisine, entre {{ et }} "
                        "(voir CONTRIBUTING.md) : nom de la donnée, parenthèses et guillemets",
                        f"unreadable macro ({detail})",
                        "copy the exact form of a macro from a neighbouring page, between {{ and }}",
                        column=column, rule="macros")]
    if text.startswith("Aborted with"):
        return []
    # Any other warning stops the strict build of CI: say it here too, in the build's own words.
    return [message("mkdocs.yml", None, None, f"la construction signale : {text.strip().splitlines()[0][:300]}",
                    "corrigez ce que le message désigne; en cas de doute, transmettez-le à l’équipe technique",
                    f"the build reports: {text.strip().splitlines()[0][:300]}",
                    "fix what the message points at; if in doubt, send it to the technical team", rule="build")]


def _locate(path, needles, inside_macro=False):
    """(line, column) of the first of `needles` found in the file, 1-based; (None, None) if none is."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None, None
    for needle in needles:
        for number, text in enumerate(lines, start=1):
            index = text.find(needle)
            if index >= 0 and (not inside_macro or "{{" in text or "{%" in text):
                return number, index + 1
    return None, None
