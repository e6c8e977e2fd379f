"""Macros that put the data of data/ into the pages of docs/.

Data is loaded and validated once, before any page renders (plan_ovt.loading);
each macro renders in the language of the page being built (plan_ovt.rendering).
"""

import logging
import re
from datetime import date
from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from plan_ovt import fidelity, opendata, page_templates, pages, rendering
from plan_ovt.loading import DataError, load_data

log = logging.getLogger("mkdocs.plugins.plan_ovt.macros")


# Loading and validation


def define_env(env):
    languages = pages.languages(pages.read_config(env.conf.config_file_path))
    data_dir = Path(env.project_dir) / "data"
    try:
        data = load_data(data_dir, languages)
    except DataError as error:
        raise PluginError(
            "Données invalides — le site n’a pas été construit (Invalid data — the site was not built):\n\n"
            + str(error)) from None

    env.variables.update(data)
    # Which data files the macros of each page read: its "Modifier les données" links (plan_ovt/hooks.py).
    data = DataReads(data, lambda: env.page.file.src_uri)
    env.variables["data_files_read"] = data.read

    def lang():
        return page_language(env.page, languages[0])

    page_macros = {
        "t": lambda value: rendering.text(value, lang()),
        "action_table": lambda: rendering.action_table(data["plan"], data["labels"], lang()),
        "strategy_objectives": lambda: rendering.strategy_objectives(data["strategy"], lang()),
        "strategy_levers": lambda: rendering.levers(data["strategy"], lang()),
        "regions_table": lambda: rendering.regions_table(data["regions"], data["itq"], data["labels"], lang(),
                                                         languages[0]),
        "contact_block": lambda: rendering.contact_block(data["itq"], data["labels"], lang(), languages[0]),
        "accessibility_contact": lambda: rendering.accessibility_contact(data["publication"], data["labels"], lang()),
        "approval_date": lambda: rendering.long_date(data["plan"]["approved_on"], lang()),
        "build_date": lambda: rendering.long_date(date.today(), lang()),
        "open_data_files": lambda: opendata.file_list(data, languages, data["labels"], lang(),
                                                      lambda path: get_relative_url(path, env.page.url)),
        "data_dictionary": lambda kind: opendata.dictionary_table(kind, data, languages, data["labels"], lang()),
        "edition_notes": lambda: rendering.edition_notes(data["changes"], data["labels"], lang(), languages[0]),
        "site_pages": lambda: rendering.page_list(site_pages(env, data["changes"]), lang(),
                                                  lambda path: get_relative_url(path, env.page.url)),
    }
    # A page reaches these and the data, nothing else (plan_ovt/page_templates.py checks each page first).
    if set(page_macros) != set(page_templates.MACROS):
        raise PluginError("macros.py et plan_ovt/page_templates.py MACROS doivent nommer les mêmes macros "
                          "(macros.py and page_templates.MACROS must name the same macros).")
    for name, function in page_macros.items():
        env.macro(_markup(function), name)


def site_pages(env, records):
    """The pages the site adds, in navigation order: every page that is not one of the plan's (the approved
    edition's pages and those records add)."""
    config = pages.read_config(env.conf.config_file_path)
    plan_keys = set(fidelity.plan_page_keys(env.project_dir, records))
    default = pages.languages(config)[0]
    return [pair for pair in pages.page_pairs(config, env.conf.docs_dir) if pair[default]["key"] not in plan_keys]


def on_pre_page_macros(env):
    """Before a page is rendered: a template outside the allowlist is never rendered. Its findings go to the
    build's log (the strict build then fails, `make serve` shows them) and the page is kept as plain text."""
    # What a macro returns is HTML the project made from escaped data (Markup); anything else a page prints
    # from data ({{ itq.website }}) is escaped where it lands. (The plugin makes its Jinja environment after
    # define_env: set here.)
    env.env.autoescape = True
    source = Path(env.page.file.abs_src_path).read_text(encoding="utf-8")
    first_line = source[:len(source) - len(env.markdown)].count("\n") + 1 if source.endswith(env.markdown) else 1
    problems = page_templates.template_problems(env.markdown, f"docs/{env.page.file.src_uri}", first_line)
    for problem in problems:
        log.warning(str(problem), extra={"finding": problem})
    if problems:
        env.markdown = "{% raw %}" + END_RAW.sub("", env.markdown) + "{% endraw %}"


# Helpers


END_RAW = re.compile(r"\{%-?\s*endraw\s*-?%\}")


def _markup(function):
    def markup(*args, **kwargs):
        return Markup(function(*args, **kwargs))
    return markup


class DataReads(dict):
    """The data, noting under the current page's source file which data files are read from it."""

    def __init__(self, data, current_page):
        super().__init__(data)
        self.read, self._current_page = {}, current_page

    def __getitem__(self, name):
        self.read.setdefault(self._current_page(), set()).add(name)
        return super().__getitem__(name)


def page_language(page, default):
    """The language of a page: the first folder of its source file (docs/fr/…, docs/en/…)."""
    return getattr(page.file, "locale", None) or default
