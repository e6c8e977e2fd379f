"""The one list of pages: each page of the site with its counterpart in every language.

The page tree of each language is declared in mkdocs.yml (the main `nav` for the default language,
the i18n plugin's `nav` for the others). A page and its translations share one `translation_key` in
their front matter: that key, not a position in the navigation, pairs them. The language switcher,
the hreflang links, the PDF, the parity rules and the tests all come from this pairing.
"""

import copy
import os
from pathlib import Path

import yaml
from mkdocs.utils import yaml_load

from plan_ovt import intake, page_templates
from plan_ovt.findings import DataError, message
from plan_ovt.intake import FRONT_MATTER, FastSafeLoader
from plan_ovt.loading import line_numbers, validate

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


# Front matter


def front_matter(path, shown, languages=("fr", "en")):
    """The front matter of a page as data, validated (plan_ovt/schemas/page.json); raises DataError."""
    text = intake.read_text(path, shown)
    match = FRONT_MATTER.match(text)
    if not match:
        raise DataError([message(shown, 1, None, "en-tête de page absent",
                                 "commencez le fichier par une ligne « --- », puis title:, description: et "
                                 "translation_key:, puis une autre ligne « --- » (copiez l’en-tête d’une page voisine)",
                                 "page front matter missing",
                                 "start the file with a '---' line, then title:, description: and translation_key:, "
                                 "then another '---' line (copy the front matter of a neighbouring page)",
                                 rule="page-front-matter")])
    body = match.group(1) or ""
    try:
        node, meta = intake.load(body, shown, first_line=2)
    except yaml.YAMLError as error:
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise DataError([message(shown, (mark.line + 2) if mark else 1, None,
                                 f"en-tête de page illisible ({problem})",
                                 "vérifiez les guillemets et les « : » de cette ligne : un texte qui contient « : » "
                                 "ou commence par un guillemet s’écrit entre guillemets droits fermés, "
                                 "par exemple description: \"Une phrase : un résumé.\"",
                                 f"unreadable page front matter ({problem})",
                                 "check the quotes and colons of this line: a text containing ': ' or starting "
                                 "with a quote goes between closed straight quotes", rule="page-front-matter")]) from None
    lines = {path: line + 1 for path, line in line_numbers(node).items()} if node is not None else {(): 1}
    meta = validate("page", meta if meta is not None else {}, lines, shown, languages)
    problems = page_templates.front_matter_problems(meta, shown, {key: lines.get((key,)) for key in meta})
    if problems:
        raise DataError(problems)
    return meta


def page_keys(config, docs_dir):
    """({language: {file: translation_key}}, findings): every page of the nav that exists and can be read."""
    keys, problems = {}, []
    codes = languages(config)
    for lang, entries in navs(config).items():
        keys[lang] = {}
        for _, file in entries:
            path = Path(docs_dir) / lang / file
            if not path.exists():
                continue
            try:
                keys[lang][file] = front_matter(path, f"docs/{lang}/{file}", codes)["translation_key"]
            except DataError as error:
                problems += error.problems
    return keys, problems


def page_pairs(config, docs_dir):
    """[{language: {"title", "file", "url", "key"}}, …] in the default language's navigation order.

    Only pages found in every language: a page without its translation is a parity problem.
    """
    codes = languages(config)
    default = codes[0]
    per_language = navs(config)
    keys, _ = page_keys(config, docs_dir)
    by_key = {lang: {keys[lang][file]: (title, file) for title, file in entries if file in keys[lang]}
              for lang, entries in per_language.items()}
    pairs = []
    for title, file in per_language[default]:
        key = keys[default].get(file)
        if key is None or not all(key in by_key[lang] for lang in codes):
            continue
        pairs.append({lang: {"title": by_key[lang][key][0], "file": by_key[lang][key][1], "key": key,
                             "url": page_url(lang, by_key[lang][key][1], default)} for lang in codes})
    return pairs


def page_url(lang, file, default):
    """Site-relative URL of a page built by the i18n plugin (use_directory_urls: false)."""
    prefix = "" if lang == default else f"{lang}/"
    return f"{prefix}{file[: -len('.md')]}.html"


# Parity rules


def parity_problems(config, config_file, docs_dir):
    """Every page exists, is in its language's navigation, and has its translation (same translation_key)
    in every language, at the same place in each navigation."""
    problems = []
    shown_config = Path(config_file).name
    per_language = navs(config)
    codes = languages(config)
    default = codes[0]
    nav_lines = _nav_lines(config_file, codes)
    keys, front_matter_problems = page_keys(config, docs_dir)
    problems += front_matter_problems
    for lang, entries in per_language.items():
        folder = Path(docs_dir) / lang
        listed = {file for _, file in entries}
        for index, (title, file) in enumerate(entries):
            if not (folder / file).exists():
                problems.append(message(
                    shown_config, _line(nav_lines, lang, index), None,
                    f"page absente : « {title} » est dans la navigation « {lang} », mais docs/{lang}/{file} "
                    "n’existe pas",
                    f"créez docs/{lang}/{file} (traduction de la page correspondante) ou corrigez le nom "
                    f"dans {shown_config}",
                    f"missing page: '{title}' is in the '{lang}' navigation but docs/{lang}/{file} does not exist",
                    f"create docs/{lang}/{file} (translation of the matching page) or fix the name in {shown_config}",
                    rule="page-parity"))
        for path in sorted(folder.rglob("*.md")):
            relative = path.relative_to(folder).as_posix()
            if relative not in listed:
                problems.append(message(
                    f"docs/{lang}/{relative}", 1, None,
                    f"page absente de la navigation « {lang} » de {shown_config}",
                    f"ajoutez-la à la navigation de chaque langue dans {shown_config}, au même endroit",
                    f"page missing from the '{lang}' navigation of {shown_config}",
                    f"add it to every language's navigation in {shown_config}, at the same place",
                    rule="page-parity"))
        seen = {}
        for file, key in keys[lang].items():
            if key in seen:
                problems.append(message(
                    f"docs/{lang}/{file}", _key_line(folder / file), "translation_key",
                    f"clé de traduction « {key} » déjà utilisée par docs/{lang}/{seen[key]}",
                    "donnez à chaque page une clé unique ; la même clé ne relie qu’une page et sa traduction",
                    f"translation key '{key}' already used by docs/{lang}/{seen[key]}",
                    "give each page a unique key; one key links one page and its translation", rule="page-parity"))
            seen.setdefault(key, file)
    titles = {lang: dict((file, title) for title, file in entries) for lang, entries in per_language.items()}
    for lang in codes:
        for file, key in keys[lang].items():
            for other in codes:
                if other != lang and key not in keys[other].values():
                    problems.append(message(
                        f"docs/{lang}/{file}", _key_line(Path(docs_dir) / lang / file), "translation_key",
                        f"la page « {titles[lang][file]} » n’a pas de traduction « {other} » : aucune page de "
                        f"docs/{other}/ n’a « translation_key: {key} »",
                        f"créez sa traduction dans docs/{other}/ avec « translation_key: {key} » dans son en-tête, "
                        f"ou corrigez la clé de la traduction existante",
                        f"page '{titles[lang][file]}' has no '{other}' translation: no page of docs/{other}/ has "
                        f"'translation_key: {key}'",
                        f"create its translation in docs/{other}/ with 'translation_key: {key}' in its front matter, "
                        "or fix the key of the existing translation", rule="page-parity"))
    order = [keys[default].get(file) for _, file in per_language[default]]
    for lang in codes[1:]:
        shared = [key for key in order if key in keys[lang].values()]
        listed = [(index, keys[lang].get(file)) for index, (_, file) in enumerate(per_language[lang])]
        listed = [(index, key) for index, key in listed if key in shared]
        for (index, key), expected in zip(listed, shared):
            if key != expected:
                title = titles[lang][next(file for file, k in keys[lang].items() if k == key)]
                expected_title = titles[default][next(file for file, k in keys[default].items() if k == expected)]
                problems.append(message(
                    shown_config, _line(nav_lines, lang, index), f"nav ({lang})",
                    f"la navigation « {lang} » n’est pas dans l’ordre de la navigation « {default} » : "
                    f"« {title} » est à la place de la traduction de « {expected_title} »",
                    f"rangez les pages de la navigation « {lang} » dans le même ordre que celles de « {default} »",
                    f"the '{lang}' navigation is not in the order of the '{default}' one: '{title}' is where the "
                    f"translation of '{expected_title}' should be",
                    f"list the pages of the '{lang}' navigation in the same order as the '{default}' one",
                    rule="page-parity"))
                break
    return problems


def _key_line(path):
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("translation_key:"):
            return number
    return 1


def _line(nav_lines, lang, index):
    lines = nav_lines.get(lang, [])
    return lines[index] if index < len(lines) else None


def _nav_lines(config_file, codes):
    """{language: [line of each page entry of its nav in mkdocs.yml, in reading order]}."""
    try:
        root = yaml.compose(Path(config_file).read_text(encoding="utf-8"), Loader=_TagTolerantLoader)
    except yaml.YAMLError:
        return {}

    def get(node, key):
        if isinstance(node, yaml.MappingNode):
            return next((value for k, value in node.value if k.value == key), None)

    def flatten(node):
        lines = []
        for entry in node.value if isinstance(node, yaml.SequenceNode) else []:
            for _, target in entry.value if isinstance(entry, yaml.MappingNode) else []:
                lines += flatten(target) if isinstance(target, yaml.SequenceNode) else [target.start_mark.line + 1]
        return lines

    result = {codes[0]: flatten(get(root, "nav"))}
    for plugin in get(root, "plugins").value if get(root, "plugins") is not None else []:
        i18n = get(plugin, "i18n")
        for language in get(i18n, "languages").value if i18n is not None else []:
            locale = get(language, "locale")
            if locale is not None and locale.value != codes[0]:
                result[locale.value] = flatten(get(language, "nav"))
    return result


class _TagTolerantLoader(FastSafeLoader):
    """Composes mkdocs.yml without resolving its tags (!ENV): only positions are wanted."""


def _i18n(config):
    return next(plugin["i18n"] for plugin in config["plugins"] if isinstance(plugin, dict) and "i18n" in plugin)
