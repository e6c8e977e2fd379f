"""MkDocs hooks: the plan's PDF in each language and the open data files, made by every build.

Registered in mkdocs.yml under `hooks:`. Each language's PDF is made from that language's pages as
soon as they are rendered (on_env), before any page is written, so that every page can give the
PDF's real size. `mkdocs serve` skips the PDF to keep the editors' preview fast; the environment
variable PLAN_OVT_PDF=1 forces it there, PLAN_OVT_PDF=0 skips it in a build. The open data files
come from data/ alone and are written once, after every language is built.
"""

import logging
import os
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from plan_ovt import fidelity, opendata, pages, pdf, rendering
from plan_ovt.loading import DataError, load_data

log = logging.getLogger("mkdocs.plugins.plan_ovt.exports")
_state = {"pdf": True}


def on_startup(command, dirty):
    _state["pdf"] = pdf_wanted(command, os.environ.get("PLAN_OVT_PDF", ""))


def pdf_wanted(command, setting):
    """Whether this run makes the PDF: always in a build, never in `mkdocs serve`, unless PLAN_OVT_PDF says."""
    if setting in ("0", "1"):
        return setting == "1"
    return command != "serve"


def on_config(config):
    # The i18n plugin runs on_config again for each other language: load once, for the whole build.
    if config.plugins["i18n"].building:
        return config
    declared = pages.read_config(config.config_file_path)
    _state["languages"] = pages.languages(declared)
    # The PDF is the plan: its sections only, in the plan's order; the site's own pages stay on the site.
    _state["pairs"] = pages.page_pairs(declared, config.docs_dir)
    _state["site_url"] = config.site_url or ""
    _state["pdf_sizes"] = {}
    try:
        _state["data"] = load_data(Path(config.config_file_path).parent / "data", _state["languages"])
    except DataError as error:
        raise PluginError("Données invalides — ni PDF ni données ouvertes (Invalid data — no PDF, no open data):\n\n"
                          + str(error)) from None
    return config


def _pdf_path(lang):
    return pdf.site_path(lang, _state["languages"], _state["data"]["publication"])


# Every page of this language is rendered (page.content), none is written yet.
def on_env(env, config, files):
    if not _state["pdf"]:
        return env
    lang = config.plugins["i18n"].current_language
    started = time.perf_counter()
    data = _state["data"]
    plan_keys = set(fidelity.plan_page_keys(Path(config.config_file_path).parent, data["changes"]))
    note = next((pair[lang]["url"] for pair in _state["pairs"]
                 if pair[lang]["key"] == data["publication"]["edition_note_page"]), None)
    edition = {"count": len([record for record in data["changes"] if record["kind"] in fidelity.APPLIED]),
               "note_url": _state["site_url"] + note if note else None}
    sections = []
    for pair in _state["pairs"]:
        if pair[lang]["key"] not in plan_keys:
            continue
        file = pair[lang]["file"]
        page = files.get_file_from_path(f"{lang}/{file}").page
        sections.append({"key": file[: -len(".md")].replace("/", "-"), "url": page.url, "content": page.content})
    default = _state["languages"][0]
    official = None if lang == default else _state["site_url"] + _pdf_path(default)
    content = pdf.render(pdf.document_html(sections, lang, data, _state["site_url"], official, edition))
    target = Path(config.site_dir) / _pdf_path(lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    _state["pdf_sizes"][lang] = len(content)
    log.info(f"PDF ({lang}) : {_pdf_path(lang)} — {len(content)} octets (bytes), "
             f"{time.perf_counter() - started:.1f} s")
    return env


def on_page_context(context, page, config, nav):
    """pdf_download, for partials/downloads.html: this language's PDF, its link text and its real size."""
    lang = getattr(page.file, "locale", None) or _state["languages"][0]
    size = _state["pdf_sizes"].get(lang)
    if size is not None:
        labels = _state["data"]["labels"]
        context["pdf_download"] = {"url": _pdf_path(lang), "lang": lang,
                                   "label": rendering.text(labels["pdf_version"], lang),
                                   "size": rendering.file_size(size, labels, lang),
                                   "region": rendering.text(labels["downloads"], lang)}
    return context


# After the i18n plugin has built every language.
@event_priority(-200)
def on_post_build(config):
    if config.plugins["i18n"].building:
        return
    for path, content in opendata.files(_state["data"], _state["languages"]).values():
        target = Path(config.site_dir) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
