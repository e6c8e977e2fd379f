"""The gate every content file passes before anything reads it: a file of the project, UTF-8, of a
sensible size, and YAML without aliases or duplicate keys.

Whoever can change a page or a data file changes words, never what the tools read or how long they
take: a symbolic link in docs/ would publish its target, an alias (« billion laughs ») would keep
`make check` and the build running with no end. `make check` and the build both call `problems`
first; the YAML readers (data, front matter, the approved edition) check each document with
`check_node` before they build anything from it.
"""

import os
import re
import stat
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError

from plan_ovt.findings import DataError, message

# Where the web editor saves images and documents, inside docs/ (plan_ovt/cms.py, media_folder).
MEDIA_FOLDER = "assets/images"
# The folders whose files an editor or a merge request can change; docs/ holds the media folder.
FOLDERS = ("docs", "data", "overrides", "dictionary")
# A page, a data file, a template or a word list: a thousand times today's largest is still far below.
TEXT_LIMIT = 1_000_000
# An image or a document of the media folder (docs/assets/images).
MEDIA_LIMIT = 5_000_000
TEXT_SUFFIXES = {".md", ".yml", ".yaml", ".txt", ".html", ".css", ".js", ".json", ".csv", ".svg", ".xml"}
# A name in docs/ becomes an address, written into every page's navigation and links.
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
# What docs/ may hold: pages, and the images and documents they show or offer. docs/ is published as it is,
# on the site's own origin (where the web editor keeps its sign-in): a page of HTML, a script, a style sheet
# or an SVG image (which can hold a script) there would be code, not content. The site's code is in overrides/.
DOCS_SUFFIXES = {".md", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".pdf", ".csv", ".txt", ".odt", ".ods",
                 ".odp", ".docx", ".xlsx", ".pptx"}
# No data file nests deeper than a handful of levels; deeper ones would only serve to exhaust the readers.
MAX_DEPTH = 32
# libyaml's parser and emitter when PyYAML has them (several times faster), else pure Python.
FastSafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FastSafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
# A page's front matter: between a first line "---" and the next "---".
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)


# Files


def problems(root, folders=FOLDERS):
    """Findings for every file of the content folders that is not a plain file of the project, is too
    large, is not UTF-8, or holds YAML the project refuses (data files, pages' front matter)."""
    root = Path(root).resolve()
    found = []
    for folder in folders:
        top = root / folder
        if top.is_symlink() or (top.exists() and not _inside(top, root)):
            found.append(_link(folder))
            continue
        for directory, subfolders, files in os.walk(top):
            for name in sorted(subfolders + files):
                path = Path(directory) / name
                shown = path.relative_to(root).as_posix()
                problem = file_problem(path, shown, root)
                if problem is None and name in files:
                    problem = _content_problem(path, shown)
                if problem is not None:
                    found.append(problem)
            # os.walk does not enter linked folders: a refused one stays closed.
            subfolders[:] = sorted(name for name in subfolders if not (Path(directory) / name).is_symlink())
    return found


def refuse(root):
    """For the build (plan_ovt/hooks.py): stop before any file is read if `problems` finds one."""
    found = problems(root)
    if found:
        raise PluginError("Fichiers refusés — le site n’a pas été construit (Files refused — the site was not "
                          "built):\n\n" + "\n\n".join(map(str, found)))


def file_problem(path, shown, root):
    """A finding if `path` is a link, not a plain file or folder, outside `root` or above its size limit."""
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode) or not _inside(path, root):
        return _link(shown)
    if stat.S_ISDIR(info.st_mode):
        return None
    if shown.startswith("docs/") and not SAFE_NAME.match(path.name):
        return message(shown, None, None, "nom de fichier avec des caractères non permis",
                       "renommez-le avec des lettres sans accent, des chiffres et des tirets, par exemple "
                       "rapport-annuel-2021.pdf : le nom devient l’adresse de la page ou du fichier sur le site",
                       "file name with characters that are not allowed",
                       "rename it with unaccented letters, digits and hyphens, e.g. annual-report-2021.pdf: the name "
                       "becomes the address of the page or file on the site", rule="files")
    if shown.startswith("docs/") and path.suffix.lower() not in DOCS_SUFFIXES:
        return message(shown, None, None, f"type de fichier non permis dans docs/ ({path.suffix or 'sans extension'})",
                       "une page s’écrit en Markdown (.md), une image en PNG, JPEG, GIF, WebP ou AVIF (pas en SVG), "
                       "un document en PDF, CSV, texte ou format bureautique ; retirez ce fichier ou convertissez-le",
                       f"file type not allowed in docs/ ({path.suffix or 'no extension'})",
                       "a page is Markdown (.md), an image PNG, JPEG, GIF, WebP or AVIF (not SVG), a document PDF, "
                       "CSV, text or an office format; remove the file or convert it", rule="files")
    if not stat.S_ISREG(info.st_mode):
        return message(shown, None, None, "fichier spécial (ni fichier ni dossier ordinaire)",
                       "retirez-le : seuls des fichiers ordinaires ont leur place ici",
                       "special file (neither a plain file nor a folder)", "remove it: only plain files belong here",
                       rule="files")
    limit = TEXT_LIMIT if path.suffix.lower() in TEXT_SUFFIXES else MEDIA_LIMIT
    if info.st_size > limit:
        return message(shown, None, None, f"fichier trop volumineux ({_size(info.st_size)}, au plus {_size(limit)})",
                       "scindez le texte en plusieurs pages ou fichiers, ou réduisez l’image "
                       "(limites : CONTRIBUTING.md, section 4)",
                       f"file too large ({info.st_size} bytes, at most {limit})",
                       "split the text into several pages or files, or make the image smaller", rule="files")
    return None


def read_text(path, shown):
    """The text of a UTF-8 file; raises DataError naming the byte (and line) where it is not UTF-8."""
    content = Path(path).read_bytes()
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise DataError([message(
            shown, line, None, f"le fichier n’est pas en UTF-8 (octet {error.start}, valeur 0x{content[error.start]:02x})",
            "enregistrez-le en UTF-8 (dans l’éditeur de texte : « Enregistrer sous », codage UTF-8) ; un caractère "
            "accentué collé depuis un autre logiciel est souvent en cause",
            f"the file is not UTF-8 (byte {error.start}, value 0x{content[error.start]:02x})",
            "save it as UTF-8 (in the text editor: 'Save as', encoding UTF-8)", rule="files")]) from None


def _content_problem(path, shown):
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return None
    try:
        text = read_text(path, shown)
        if shown.startswith("data/") and path.suffix in (".yml", ".yaml"):
            check_yaml(text, shown)
        elif shown.startswith("docs/") and path.suffix == ".md":
            _check_front_matter(text, shown)
    except DataError as error:
        return error.problems[0]
    return None


def _check_front_matter(text, shown):
    match = FRONT_MATTER.match(text)
    if match and match.group(1):
        check_yaml(match.group(1), shown, first_line=2)


def _link(shown):
    # The target is never named: it may be a file outside the project, which no message may reveal.
    return message(shown, None, None, "lien symbolique ou fichier hors du dépôt : refusé",
                   "remplacez le lien par le fichier lui-même (une copie), ou retirez-le",
                   "symbolic link or file outside the repository: refused",
                   "replace the link with the file itself (a copy), or remove it", rule="files")


def _inside(path, root):
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def _size(size):
    return f"{size:,} octets".replace(",", "\u202f")


# YAML


def check_yaml(text, shown, first_line=1):
    """Refuse what check_node refuses in `text`; its YAML syntax is each reader's to report."""
    try:
        compose(text, shown, first_line)
    except yaml.YAMLError:
        pass


def compose(text, shown, first_line=1):
    """The composed document of `text`, checked (check_node): raises DataError, or YAMLError on bad syntax."""
    return load(text, shown, first_line, construct=False)[0]


def load(text, shown, first_line=1, loader_class=FastSafeLoader, construct=True):
    """(node, data) of the YAML document `text`, its node checked before any data is built from it.

    Raises DataError (with `shown` and the line, `first_line` being the text's first line in its file)
    or YAMLError on bad syntax. `data` is None for an empty document.
    """
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        check_node(node, text, shown, first_line)
        return node, loader.construct_document(node) if construct and node is not None else None
    finally:
        loader.dispose()


def check_node(node, text, shown, first_line=1):
    """Raise DataError if a composed document uses an alias (*name), repeats a key of a mapping or nests
    deeper than MAX_DEPTH. Linear in the document: a node met twice is an alias, and the walk stops there."""
    seen, pending = set(), [(node, 1)] if node is not None else []
    while pending:
        current, depth = pending.pop()
        if id(current) in seen:
            raise DataError([_alias_problem(text, shown, first_line)])
        seen.add(id(current))
        if depth > MAX_DEPTH:
            raise DataError([message(
                shown, current.start_mark.line + first_line, None, f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)",
                "reprenez la forme décrite dans data/README.md : quelques niveaux de « clé: valeur » et de listes",
                f"nesting too deep (more than {MAX_DEPTH} levels)", "follow the form described in data/README.md",
                rule="yaml")])
        if isinstance(current, yaml.MappingNode):
            keys = {}
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        raise DataError([message(
                            shown, key.start_mark.line + first_line, None,
                            f"clé « {key.value} » en double : déjà écrite à la ligne {keys[key.value]}",
                            "gardez une seule fois chaque clé au même niveau (fusionnez les deux, ou renommez "
                            "celle-ci)", f"duplicate key '{key.value}': already written on line {keys[key.value]}",
                            "keep each key once at the same level (merge the two, or rename this one)",
                            rule="yaml")])
                    keys[key.value] = key.start_mark.line + first_line
                pending += [(key, depth + 1), (value, depth + 1)]
        elif isinstance(current, yaml.SequenceNode):
            pending += [(item, depth + 1) for item in current.value]


def _alias_problem(text, shown, first_line):
    """The first alias of the document, found from its parse events (which never expand aliases)."""
    line, name = None, ""
    try:
        for event in yaml.parse(text, Loader=FastSafeLoader):
            if isinstance(event, yaml.AliasEvent):
                line, name = event.start_mark.line + first_line, event.anchor
                break
    except yaml.YAMLError:
        pass
    return message(shown, line, None, f"renvoi YAML (« *{name} ») : les ancres (&) et les renvois (*) ne sont pas permis",
                   "écrivez la valeur en entier à cet endroit, et retirez l’ancre « &… » qu’il reprend",
                   f"YAML alias ('*{name}'): anchors (&) and aliases (*) are not allowed",
                   "write the value out in full here, and remove the '&…' anchor it repeats", rule="yaml")
