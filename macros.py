"""Macros that put the data of data/ into the pages of docs/.

Data is loaded and validated once, before any page renders (plan_ovt.loading);
each macro renders in the language of the page being built (plan_ovt.rendering).
"""

from datetime import date
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from plan_ovt import opendata, pages, rendering
from plan_ovt.loading import DataError, load_data


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

    env.macro(lambda value: rendering.text(value, lang()), "t")
    env.macro(lambda: rendering.action_table(data["plan"], data["labels"], lang()), "action_table")
    env.macro(lambda: rendering.strategy_objectives(data["strategy"], lang()), "strategy_objectives")
    env.macro(lambda: rendering.levers(data["strategy"], lang()), "strategy_levers")
    env.macro(lambda: rendering.regions_table(data["regions"], data["itq"], data["labels"], lang(), languages[0]),
              "regions_table")
    env.macro(lambda: rendering.contact_block(data["itq"], data["labels"], lang(), languages[0]), "contact_block")
    env.macro(lambda: rendering.accessibility_contact(data["publication"], data["labels"], lang()),
              "accessibility_contact")
    env.macro(lambda: rendering.long_date(data["plan"]["approved_on"], lang()), "approval_date")
    env.macro(lambda: rendering.long_date(date.today(), lang()), "build_date")
    env.macro(lambda: opendata.file_list(data, languages, data["labels"], lang(),
                                         lambda path: get_relative_url(path, env.page.url)), "open_data_files")
    env.macro(lambda kind: opendata.dictionary_table(kind, data, languages, data["labels"], lang()),
              "data_dictionary")
    env.macro(lambda: rendering.edition_notes(data["changes"], data["labels"], lang(), languages[0]), "edition_notes")


# Helpers


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
