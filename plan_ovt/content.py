"""Content checks for editors: front matter, French typography and spelling.

Each finding is a line `file:line: problem — suggested fix`, French first.
Spelling uses hunspell with Debian's dictionaries plus the project's word lists
in dictionary/<language>.txt.
"""

import re
import shutil
import subprocess
from pathlib import Path

import yaml

DICTIONARIES = {"fr": "fr_CA", "en": "en_CA"}
NBSP = "\u00a0"
ELISION = re.compile(r"^(?:[ldjnsmtc]|qu|jusqu|lorsqu|puisqu)[’']", re.IGNORECASE)
# What is not prose on a Markdown line: macros, HTML tags, link targets, URLs, e-mail addresses, code.
NOT_PROSE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|<[^>]+>|\]\([^)]*\)|https?://\S+|\S+@\S+|`[^`]*`"
                       r"|\b[\w-]+\.(?:ca|com|org|net)\b")
WORD = re.compile(r"(?<!\w)[^\W\d_]+(?:[’'-][^\W\d_]+)*(?!\w)")


def finding(file, line, problem, fix):
    return f"{file}:{line}: {problem} — {fix}"


# Loading


def markdown_lines(path):
    """(line number, text, is front matter) for each line of a page, macros and markup removed."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    in_front_matter = bool(lines) and lines[0] == "---"
    for number, line in enumerate(lines, start=1):
        if number > 1 and in_front_matter and line == "---":
            in_front_matter = False
            continue
        if number == 1 and in_front_matter:
            continue
        if in_front_matter:
            key, _, value = line.partition(":")
            yield number, value.strip().strip('"'), True
        else:
            yield number, NOT_PROSE.sub(" ", line), False


def data_texts(path, languages):
    """(line number, language, text) for every bilingual text of a data file."""
    node = yaml.compose(Path(path).read_text(encoding="utf-8"))
    found = []

    def walk(node):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value in languages and isinstance(value, yaml.ScalarNode):
                    found.append((value.start_mark.line + 1, key.value, value.value))
                else:
                    walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)
    if node is not None:
        walk(node)
    return found


# Checks


def front_matter_problems(path, shown):
    text = Path(path).read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    meta = yaml.safe_load(match.group(1)) if match else None
    problems = []
    for key, fix in (("title", "ajoutez « title: Titre de la page » dans l’en-tête (add a title)"),
                     ("description", "ajoutez « description: \"Une phrase qui résume la page\" » dans l’en-tête "
                                     "(add a description)")):
        if not isinstance(meta, dict) or not str(meta.get(key) or "").strip():
            problems.append(finding(shown, 1, f"« {key} » manquant dans l’en-tête de la page", fix))
    return problems


def typography_problems(text, lang, shown, line):
    """French typography, and the typographic apostrophe in every language."""
    problems = []
    if "'" in text:
        problems.append(finding(shown, line, "apostrophe droite ' (straight apostrophe)",
                                "remplacez-la par l’apostrophe typographique ’"))
    if lang == "fr":
        if re.search(r"[^\s\u00a0\u202f]:(?=\s|$)|(?<=\S) :", text):
            problems.append(finding(shown, line, "« : » sans espace insécable avant (no non-breaking space)",
                                    "mettez une espace insécable (U+00A0) juste avant le deux-points"))
        if re.search(r"«(?![\u00a0\u202f])|(?<![\u00a0\u202f])»", text):
            problems.append(finding(shown, line, "guillemets « » sans espaces insécables (no non-breaking spaces)",
                                    "écrivez «\u00a0texte\u00a0» avec des espaces insécables (U+00A0)"))
    return problems


def words_of(text):
    """Words to spell-check: elided articles (l’, d’, qu’…) and possessive ’s taken off."""
    for match in WORD.finditer(text):
        word = ELISION.sub("", match.group())
        word = re.sub(r"[’']s$", "", word)
        if len(word) > 1 and not word.isupper():
            yield word


def unknown_words(words, lang, word_list):
    """The words hunspell does not know in this language, the project's word list included."""
    if not words:
        return set()
    if not shutil.which("hunspell"):
        raise RuntimeError("hunspell est introuvable : installez les paquets Debian hunspell, "
                           "hunspell-fr-comprehensive et hunspell-en-ca (make check le fait).")
    command = ["hunspell", "-d", DICTIONARIES[lang], "-l"]
    if Path(word_list).exists():
        command += ["-p", str(word_list)]
    result = subprocess.run(command, input="\n".join(sorted(set(words))), capture_output=True, text=True,
                            check=True)
    return set(result.stdout.split())


def spelling_problems(entries, lang, word_list, shown_list):
    """entries: (shown file, line, text) in one language; one finding per unknown word and line."""
    by_line = [(shown, line, list(words_of(text))) for shown, line, text in entries]
    unknown = unknown_words([word for _, _, words in by_line for word in words], lang, word_list)
    problems = []
    for shown, line, words in by_line:
        for word in dict.fromkeys(word for word in words if word in unknown):
            problems.append(finding(shown, line, f"mot inconnu « {word} » (unknown word, {lang})",
                                    f"corrigez l’orthographe ou, si le mot est juste, ajoutez-le à "
                                    f"{shown_list}"))
    return problems


def content_problems(root, languages):
    """Every content finding for the pages of docs/ and the texts of data/."""
    root = Path(root)
    problems, spelling = [], {lang: [] for lang in languages}
    for lang in languages:
        for path in sorted((root / "docs" / lang).rglob("*.md")):
            shown = path.relative_to(root).as_posix()
            problems += front_matter_problems(path, shown)
            for line, text, _ in markdown_lines(path):
                problems += typography_problems(text, lang, shown, line)
                spelling[lang].append((shown, line, text))
    for path in sorted((root / "data").glob("*.yml")):
        shown = path.relative_to(root).as_posix()
        try:
            texts = data_texts(path, languages)
        except yaml.YAMLError:
            continue  # reported by the data validation with its line
        for line, lang, text in texts:
            problems += typography_problems(text, lang, shown, line)
            spelling[lang].append((shown, line, text))
    for lang, entries in spelling.items():
        problems += spelling_problems(entries, lang, root / "dictionary" / f"{lang}.txt", f"dictionary/{lang}.txt")
    return problems
