"""MkDocs hooks: the plan's PDF in each language and the open data files, made by every build.

Registered in mkdocs.yml under `hooks:`. Each language's PDF is made from that language's pages as
soon as they are rendered (on_env). A PDF is made again only when what it is made from changed
(pdf.cache_key): otherwise it comes from the cache, .cache/pdf/ beside mkdocs.yml, and every page
gives its real size at once. A PDF to make is laid out in a separate process while the build goes
on (both languages at the same time); the pages get its size once it is done, at the end of the
build. `mkdocs serve` skips the PDF to keep the editors' preview fast; the environment variable
PLAN_OVT_PDF=1 forces it there, PLAN_OVT_PDF=0 skips it in a build. The open data files come from
data/ alone and are written once, after every language is built.
"""

import logging
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from plan_ovt import fidelity, opendata, pages, pdf, rendering
from plan_ovt.loading import DataError, load_data

log = logging.getLogger("mkdocs.plugins.plan_ovt.exports")
_state = {"pdf": True, "pool": None}
# Cached PDFs kept, most recently used first: this build's, and a few older ones to switch back to.
CACHE_KEPT = 8
# Stands for the size of a PDF still being made, in the pages written meanwhile.
SIZE_PENDING = "plan-ovt-pdf-size-{lang}-pending"


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
    _state["pairs"] = pages.page_pairs(declared, config.docs_dir)
    _state["site_url"] = config.site_url or ""
    _state["pdf_sizes"] = {}
    _state["pending"] = {}
    _state["cache"] = Path(config.config_file_path).parent / ".cache" / "pdf"
    try:
        _state["data"] = load_data(Path(config.config_file_path).parent / "data", _state["languages"])
    except DataError as error:
        raise PluginError("Données invalides — ni PDF ni données ouvertes (Invalid data — no PDF, no open data):\n\n"
                          + str(error)) from None
    # The PDF is the plan: its sections only, in the plan's order; the site's own pages stay on the site.
    _state["plan_keys"] = set(fidelity.plan_page_keys(Path(config.config_file_path).parent,
                                                      _state["data"]["changes"]))
    return config


def _pdf_path(lang):
    return pdf.site_path(lang, _state["languages"], _state["data"]["publication"])


# Every page of this language is rendered (page.content), none is written yet.
def on_env(env, config, files):
    if not _state["pdf"]:
        return env
    lang = config.plugins["i18n"].current_language
    data = _state["data"]
    note = next((pair[lang]["url"] for pair in _state["pairs"]
                 if pair[lang]["key"] == data["publication"]["edition_note_page"]), None)
    edition = {"count": len(data["changes"]), "changes": len(fidelity.applied(data["changes"])),
               "note_url": _state["site_url"] + note if note else None}
    sections = []
    for pair in _state["pairs"]:
        if pair[lang]["key"] not in _state["plan_keys"]:
            continue
        file = pair[lang]["file"]
        page = files.get_file_from_path(f"{lang}/{file}").page
        sections.append({"key": file[: -len(".md")].replace("/", "-"), "url": page.url, "content": page.content})
    default = _state["languages"][0]
    official = None if lang == default else _state["site_url"] + _pdf_path(default)
    html = pdf.document_html(sections, lang, data, _state["site_url"], official, edition)
    cached = _state["cache"] / f"{pdf.cache_key(html)}.pdf"
    if cached.is_file():
        cached.touch()
        _write_pdf(config, lang, cached.read_bytes(), "cache")
    else:
        # The site's files: docs/, and the default language's folder, whose pages are at the site's root.
        folders = [config.docs_dir, os.path.join(config.docs_dir, _state["languages"][0])]
        _state["pending"][lang] = (_pool().submit(pdf.render, html, folders), cached, time.perf_counter())
    return env


def _pool():
    # Forked workers start at once and inherit what is already imported.
    if _state["pool"] is None:
        _state["pool"] = ProcessPoolExecutor(max_workers=len(_state["languages"]),
                                             mp_context=multiprocessing.get_context("fork"))
    return _state["pool"]


def _write_pdf(config, lang, content, origin):
    target = Path(config.site_dir) / _pdf_path(lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    _state["pdf_sizes"][lang] = len(content)
    log.info(f"PDF ({lang}) : {_pdf_path(lang)} — {len(content)} octets (bytes), {origin}")


def _finish_pdfs(config):
    """Wait for the PDFs being made, write them and their size in the pages, keep them in the cache."""
    pending, _state["pending"] = _state["pending"], {}
    try:
        for lang, (future, cached, started) in pending.items():
            content = future.result()
            _write_pdf(config, lang, content, f"{time.perf_counter() - started:.1f} s")
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.with_suffix(".tmp").write_bytes(content)
            cached.with_suffix(".tmp").replace(cached)
    finally:
        if _state["pool"] is not None:
            _state["pool"].shutdown(cancel_futures=True)
            _state["pool"] = None
    labels = _state["data"]["labels"]
    sizes = {SIZE_PENDING.format(lang=lang): rendering.file_size(_state["pdf_sizes"][lang], labels, lang)
             for lang in pending}
    if sizes:
        for page in Path(config.site_dir).rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            if any(token in html for token in sizes):
                for token, size in sizes.items():
                    html = html.replace(token, size)
                page.write_text(html, encoding="utf-8")
    kept = sorted(_state["cache"].glob("*.pdf"), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in kept[CACHE_KEPT:]:
        old.unlink()


def on_page_context(context, page, config, nav):
    """pdf_download, for partials/downloads.html: this language's PDF, its link text and its real size."""
    lang = getattr(page.file, "locale", None) or _state["languages"][0]
    size = _state["pdf_sizes"].get(lang)
    labels = _state["data"]["labels"]
    if size is not None or lang in _state["pending"]:
        context["pdf_download"] = {"url": _pdf_path(lang), "lang": lang,
                                   "label": rendering.text(labels["pdf_version"], lang),
                                   "size": SIZE_PENDING.format(lang=lang) if size is None
                                   else rendering.file_size(size, labels, lang),
                                   "region": rendering.text(labels["downloads"], lang)}
    return context


# After the i18n plugin has built every language.
@event_priority(-200)
def on_post_build(config):
    if config.plugins["i18n"].building:
        return
    _finish_pdfs(config)
    for path, content in opendata.files(_state["data"], _state["languages"]).values():
        target = Path(config.site_dir) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def on_build_error(error):
    """A failed build leaves no PDF being made behind it."""
    _state["pending"] = {}
    if _state["pool"] is not None:
        _state["pool"].shutdown(cancel_futures=True)
        _state["pool"] = None
