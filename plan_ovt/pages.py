"""The one list of pages: each page of the site with its counterpart in every language.

The page tree of each language is declared in mkdocs.yml (the main `nav` for the
default language, the i18n plugin's `nav` for the others). Entries at the same
position are the same page in two languages: the language switcher, the
hreflang links, the parity check and the tests all come from this pairing.
"""

import copy
import os
from pathlib import Path

from mkdocs.utils import yaml_load

from plan_ovt.loading import message


_read = {}


def read_config(config_file):
    """mkdocs.yml as plain data, read the way MkDocs reads it (!ENV tags resolved).

    A build asks for it several times: it is parsed again only when the file or the environment changed.
    """
    stat = os.stat(config_file)
    key = (os.path.realpath(config_file), stat.st_mtime_ns, stat.st_size, frozenset(os.environ.items()))
    if key not in _read:
        with open(config_file, encoding="utf-8") as stream:
            _read.clear()
            _read[key] = yaml_load(stream)
    return copy.deepcopy(_read[key])


def languages(config):
    """Language codes, default language first."""
    i18n = _i18n(config)
    return [lang["locale"] for lang in sorted(i18n["languages"], key=lambda lang: not lang.get("default"))]


def navs(config):
    """{language: [(title, file), …]} as declared in mkdocs.yml, sections flattened in reading order."""
    i18n = _i18n(config)
    return {lang["locale"]: _flatten(config["nav"] if lang.get("default") else lang.get("nav") or [])
            for lang in i18n["languages"]}


def _flatten(nav):
    entries = []
    for entry in nav:
        title, target = next(iter(entry.items()))
        entries += _flatten(target) if isinstance(target, list) else [(title, target)]
    return entries


def page_pairs(config):
    """[{language: {"title", "file", "url"}}, …] in navigation order."""
    default = languages(config)[0]
    per_language = navs(config)
    count = min(len(entries) for entries in per_language.values())
    return [{lang: {"title": entries[i][0], "file": entries[i][1], "url": page_url(lang, entries[i][1], default)}
             for lang, entries in per_language.items()} for i in range(count)]


def page_url(lang, file, default):
    """Site-relative URL of a page built by the i18n plugin (use_directory_urls: false)."""
    prefix = "" if lang == default else f"{lang}/"
    return f"{prefix}{file[: -len('.md')]}.html"


def parity_problems(config, config_file, docs_dir):
    """Every page must exist in every language and appear in every language's navigation."""
    problems = []
    shown_config = Path(config_file).name
    per_language = navs(config)
    default = languages(config)[0]
    expected = len(per_language[default])
    for lang, entries in per_language.items():
        folder = Path(docs_dir) / lang
        listed = {file for _, file in entries}
        for title, file in entries:
            if not (folder / file).exists():
                problems.append(message(
                    f"docs/{lang}/{file}", None, None,
                    f"page absente : « {title} » est dans la navigation « {lang} » de {shown_config}",
                    f"créez docs/{lang}/{file} (traduction de la page correspondante) "
                    f"ou corrigez le nom dans {shown_config}",
                    f"missing page: '{title}' is in the '{lang}' navigation of {shown_config}",
                    f"create docs/{lang}/{file} (translation of the matching page) "
                    f"or fix the name in {shown_config}"))
        for path in sorted(folder.rglob("*.md")):
            relative = path.relative_to(folder).as_posix()
            if relative not in listed:
                problems.append(message(
                    f"docs/{lang}/{relative}", None, None,
                    f"page absente de la navigation « {lang} » de {shown_config}",
                    f"ajoutez-la à la navigation de chaque langue, à la même position, dans {shown_config}",
                    f"page missing from the '{lang}' navigation of {shown_config}",
                    f"add it to every language's navigation, at the same position, in {shown_config}"))
        if len(entries) != expected:
            problems.append(message(
                shown_config, None, f"nav ({lang})",
                f"la navigation « {lang} » compte {len(entries)} pages, celle de « {default} » {expected}",
                "chaque page doit avoir son équivalent dans chaque langue, à la même position",
                f"the '{lang}' navigation has {len(entries)} pages, the '{default}' one {expected}",
                "every page needs its counterpart in every language, at the same position"))
    return problems


def _i18n(config):
    return next(plugin["i18n"] for plugin in config["plugins"] if isinstance(plugin, dict) and "i18n" in plugin)
