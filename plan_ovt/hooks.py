"""MkDocs hooks: page parity between languages and each page's counterparts.

Registered in mkdocs.yml under `hooks:`.
"""

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from plan_ovt import pages

_state = {}


def on_config(config):
    declared = pages.read_config(config.config_file_path)
    problems = pages.parity_problems(declared, config.config_file_path, config.docs_dir)
    if problems:
        raise PluginError("Traduction manquante — le site n’a pas été construit "
                          "(Missing translation — the site was not built):\n\n" + "\n\n".join(problems))
    _state["pairs"] = pages.page_pairs(declared)
    _state["names"] = {lang["locale"]: lang["name"] for lang in config.plugins["i18n"].config["languages"]}
    _state["site_url"] = config.site_url or ""
    return config


# After the i18n plugin, which resets extra.alternate for every page.
@event_priority(-200)
def on_page_context(context, page, config, nav):
    """Expose page.counterparts: the same page in each language, for the switcher and hreflang."""
    lang = getattr(page.file, "locale", None)
    src = Path(page.file.src_uri).as_posix()
    src = src.split("/", 1)[1] if src.startswith(f"{lang}/") else src
    pair = next((pair for pair in _state["pairs"] if pair.get(lang, {}).get("file") == src), None)
    page.counterparts = []
    if pair:
        for other, entry in pair.items():
            page.counterparts.append({
                "lang": other,
                "name": _state["names"][other],
                "url": entry["url"],
                "absolute_url": _state["site_url"] + entry["url"],
                "current": other == lang,
            })
        # Material writes <link rel="alternate" hreflang> from extra.alternate: point it at this page's
        # counterparts (absolute URLs) rather than at each language's home page.
        config.extra.alternate = [{"name": other["name"], "lang": other["lang"], "link": other["absolute_url"]}
                                     for other in page.counterparts]
    return context
