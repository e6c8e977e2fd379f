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

from plan_ovt import intake, typography
from plan_ovt.findings import DataError, Finding
from plan_ovt.typography import LANGUAGE_SPAN

DICTIONARIES = {"fr": "fr_CA", "en": "en_CA"}
NBSP = "\u00a0"
ELISION = re.compile(r"^(?:[ldjnsmtc]|qu|jusqu|lorsqu|puisqu)[’']", re.IGNORECASE)
# What is not prose on a Markdown line: macros, HTML tags, attribute lists ({ .site-text }), link targets,
# URLs, e-mail addresses, code.
# Every pattern of the rulebook runs in linear time, however long the line an editor writes (make bench):
# a delimited part excludes its own opening (<[^<>]*>, not <[^>]*>), so that a thousand openings without
# their end are each scanned up to the next one only; a run (an address) starts where a run starts.
NOT_PROSE = re.compile(r"\{\{(?:[^{}]|\{(?!\{)|\}(?!\}))*\}\}|\{[a-z_]+\}|\{%(?:[^{%]|\{(?!%)|%(?!\}))*%\}|<[^<>]+>"
                       r"|\{:?[ \t]*[.#][^{}]*\}|\]\([^()]*\)|https?://\S+|(?<!\S)[^\s@]*@\S+|`[^`]*`"
                       r"|(?<![\w-])[\w-]+\.(?:ca|com|org|net)\b")
QUOTED = re.compile(r"«[^«»]*»|“[^“”]*”")
WORD = re.compile(r"(?<!\w)[^\W\d_]+(?:[’'-][^\W\d_]+)*(?!\w)")


def finding(file, line, problem, fix, problem_en, fix_en, rule, column=None):
    return Finding(file, line, problem, fix, problem_en, fix_en, column=column, rule=rule)


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
            if key.strip() in ("title", "description"):
                yield number, value.strip().strip('"'), True
        else:
            yield number, NOT_PROSE.sub(" ", line), False


def data_texts(path, languages):
    """(line number, language, text) for every bilingual text of a data file."""
    node = intake.compose(Path(path).read_text(encoding="utf-8"), f"data/{Path(path).name}")
    return [(value.start_mark.line + 1, lang, value.value) for lang, value in text_nodes(node, languages)]


def text_nodes(node, languages):
    """(language, scalar node) of every text of a YAML document, in file order."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value in languages and isinstance(value, yaml.ScalarNode):
                yield key.value, value
            else:
                yield from text_nodes(value, languages)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from text_nodes(item, languages)


# Checks


def typography_problems(text, lang, shown, line):
    """French typography, and the typographic apostrophe in every language: all fixed by `make fix`."""
    problems = []
    if "'" in text:
        problems.append(finding(shown, line, "apostrophe droite ' au lieu de l’apostrophe typographique ’",
                                "lancez make fix, ou remplacez-la par ’",
                                "straight apostrophe ' instead of the typographic ’", "run make fix, or replace it with ’",
                                "typography", column=text.index("'") + 1))
    if lang == "fr":
        if re.search(r"[^\s\u00a0\u202f]:(?=\s|$)|(?<=\S) :", text):
            problems.append(finding(shown, line, "« : » sans espace insécable avant",
                                    "lancez make fix, ou tapez une espace insécable (U+00A0) juste avant le deux-points",
                                    "colon without a non-breaking space before it",
                                    "run make fix, or type a non-breaking space (U+00A0) before the colon", "typography"))
        # One space after a word: where a code span or a quote was taken out, two are left.
        if re.search(r"(?<=[^\s\u00a0\u202f])[ \u00a0\u202f];(?=\s|$)", text):
            problems.append(finding(shown, line, "espace avant « ; » (le plan écrit « texte; suite », sans espace)",
                                    "lancez make fix, ou retirez l’espace avant le point-virgule",
                                    "space before a semicolon (the plan writes 'text; more' without a space)",
                                    "run make fix, or remove the space before the semicolon", "typography"))
        if re.search(r"«(?![\u00a0\u202f])|(?<![\u00a0\u202f])»", text):
            problems.append(finding(shown, line, "guillemets « » sans espaces insécables à l’intérieur",
                                    "lancez make fix, ou écrivez «\u00a0texte\u00a0» avec des espaces insécables (U+00A0)",
                                    "French quotes « » without non-breaking spaces inside",
                                    "run make fix, or type non-breaking spaces (U+00A0) inside the quotes", "typography"))
    return problems


HEADING = re.compile(r"^(#{1,6})\s")
EMPTY_LINK = re.compile(r"(?<!!)\[\s*\]\([^()]*\)")


def structure_problems(lines, shown):
    """lines: [(number, raw text)] of a page's body. One title (#), levels that follow each other, link texts."""
    problems, previous, titles = [], 0, 0
    for number, text in lines:
        for match in EMPTY_LINK.finditer(text):
            problems.append(finding(shown, number, "lien sans texte",
                                    "écrivez entre les crochets où mène le lien : [Tableau du plan](tableau.md)",
                                    "link without text", "write between the brackets where the link leads",
                                    "links", column=match.start() + 1))
        heading = HEADING.match(text)
        if not heading:
            continue
        level = len(heading.group(1))
        titles += level == 1
        if level == 1 and titles > 1:
            problems.append(finding(shown, number, "deuxième titre principal (#) dans la page",
                                    "une page n’a qu’un titre « # » ; les parties s’écrivent « ## », puis « ### »",
                                    "second main heading (#) in the page",
                                    "a page has one '#' heading; its parts are '##', then '###'", "headings"))
        elif level > previous + 1:
            problems.append(finding(shown, number, f"niveau de titre sauté : {'#' * level} après "
                                    f"{'#' * previous if previous else 'le début de la page'}",
                                    f"écrivez {'#' * (previous + 1)} (les niveaux se suivent, pour les lecteurs d’écran)",
                                    f"heading level skipped: {'#' * level} after {'#' * previous or 'the start'}",
                                    f"write {'#' * (previous + 1)} (levels follow each other, for screen readers)",
                                    "headings"))
        previous = level
    return problems


def outline(path):
    """[(line, level)] of the headings of a page's body."""
    raw = Path(path).read_text(encoding="utf-8").splitlines()
    return [(line, len(heading.group(1))) for line, _, in_front_matter in markdown_lines(path) if not in_front_matter
            for heading in [HEADING.match(raw[line - 1])] if heading]


def outline_problems(root, pairs, languages):
    """A translation has the headings of its page, at the same levels: the editions read alike."""
    problems, default = [], languages[0]
    for pair in pairs:
        reference = [level for _, level in outline(Path(root) / "docs" / default / pair[default]["file"])]
        for lang in languages[1:]:
            shown = f"docs/{lang}/{pair[lang]['file']}"
            levels = outline(Path(root) / shown)
            for index, (line, level) in enumerate(levels):
                expected = reference[index] if index < len(reference) else None
                if level != expected:
                    french = "#" * expected if expected else "aucun titre"
                    problems.append(finding(
                        shown, line, f"titre de niveau {'#' * level} ; la page française a ici {french}",
                        f"donnez aux titres les niveaux de docs/{default}/{pair[default]['file']}, dans le même ordre",
                        f"heading of level {'#' * level}; the French page has {french or 'no heading'} here",
                        f"give the headings the levels of docs/{default}/{pair[default]['file']}, in the same order",
                        "headings"))
                    break
            else:
                if len(levels) < len(reference):
                    problems.append(finding(
                        shown, None, f"{len(reference) - len(levels)} titre(s) de moins que la page française",
                        f"ajoutez les titres de docs/{default}/{pair[default]['file']}, aux mêmes niveaux",
                        f"{len(reference) - len(levels)} heading(s) fewer than the French page",
                        "add the French page's headings, at the same levels", "headings"))
    return problems


IMAGE = re.compile(r"!\[(?P<alt>[^\[\]]*)\]\((?P<src>[^()\s]++)[^()]*+\)")
HTML_IMAGE = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)


def image_problems(line_text, shown, line):
    """An image without a text alternative is invisible to a screen reader: refuse it."""
    problems = []
    images = [(match.start(), match.group("alt")) for match in IMAGE.finditer(line_text)]
    for match in HTML_IMAGE.finditer(line_text):
        alt = re.search(r"\balt\s*=\s*(\"[^\"]*\"|'[^']*')", match.group(), re.IGNORECASE)
        images.append((match.start(), alt.group(1)[1:-1] if alt else ""))
    for column, alt in images:
        if not alt.strip():
            problems.append(finding(
                shown, line, "image sans texte de remplacement",
                "écrivez entre les crochets ce que l’image apporte au lecteur : ![Carte des 17 régions](carte.png) ; "
                "une image purement décorative n’a pas sa place dans le contenu",
                "image without alternative text",
                "write between the brackets what the image tells the reader: ![Map of the 17 regions](map.png)",
                "image-alt", column=column + 1))
    return problems


def words_of(text):
    """Words to spell-check: elided articles (l’, d’, qu’…) and possessive ’s taken off."""
    for match in WORD.finditer(text):
        word = ELISION.sub("", match.group())
        word = re.sub(r"[’']s$", "", word)
        if len(word) > 1 and not word.isupper():
            yield word


# Longer than any word of either language ("anticonstitutionnellement" has 25 letters): unknown without
# asking hunspell, which takes seconds over a word of a hundred thousand letters.
LONGEST_WORD = 60


def unknown_words(words, lang, word_list):
    """The words hunspell does not know in this language, the project's word list included."""
    too_long = {word for word in words if len(word) > LONGEST_WORD}
    words = [word for word in words if len(word) <= LONGEST_WORD]
    if not words:
        return too_long
    if not shutil.which("hunspell"):
        raise RuntimeError("hunspell est introuvable : installez les paquets Debian hunspell, "
                           "hunspell-fr-comprehensive et hunspell-en-ca (make check le fait).")
    command = ["hunspell", "-d", DICTIONARIES[lang], "-l"]
    if Path(word_list).exists():
        command += ["-p", str(word_list)]
    result = subprocess.run(command, input="\n".join(sorted(set(words))), capture_output=True, text=True,
                            check=True)
    return set(result.stdout.split()) | too_long


ENGLISH_QUOTE = re.compile(r"“([^“”]*)”")


def quoted_language_problems(text, lang, shown, line):
    """French quotes with « »: a passage between “ ” in French text quotes another edition, and says its
    language, “[the Québec government]{lang=en}”, so that screen readers read it in that language."""
    if lang != "fr":
        return []
    return [finding(shown, line, f"passage entre “ ” sans indication de langue : “{match.group(1)}”",
                    f"écrivez “[{match.group(1)}]{{lang=en}}” (ou la langue du passage), ou, pour des mots "
                    f"français, « {match.group(1)} »",
                    f"passage between “ ” without a language mark: “{match.group(1)}”",
                    f"write “[{match.group(1)}]{{lang=en}}” (or the passage's language)", "language")
            for match in ENGLISH_QUOTE.finditer(text) if not LANGUAGE_SPAN.fullmatch(match.group(1))]


def add_spelling(spelling, shown, line, text, lang):
    """Queue a text for spelling in its language; words marked [texte]{lang=xx} go to that language."""
    for match in LANGUAGE_SPAN.finditer(text):
        if match.group(2) in spelling:
            spelling[match.group(2)].append((shown, line, match.group(1)))
    spelling[lang].append((shown, line, LANGUAGE_SPAN.sub(" ", text)))


def spelling_problems(entries, lang, word_list, shown_list, other_languages=()):
    """entries: (shown file, line, text) in one language; one finding per unknown word and line.

    A word of another language of the site is not misspelt: it lacks its language mark.
    """
    by_line = [(shown, line, list(words_of(text))) for shown, line, text in entries]
    unknown = unknown_words([word for _, _, words in by_line for word in words], lang, word_list)
    foreign = {}
    for other in other_languages:
        known = unknown - unknown_words(sorted(unknown), other, Path(word_list).with_name(f"{other}.txt"))
        foreign.update({word: other for word in known if word not in foreign})
    problems = []
    for shown, line, words in by_line:
        for word in dict.fromkeys(word for word in words if word in foreign):
            other = foreign[word]
            problems.append(finding(shown, line, f"mot en « {other} » sans indication de langue : « {word} »",
                                    f"entourez les mots en « {other} » ainsi : [{word} …]{{lang={other}}} — les lecteurs "
                                    f"d’écran les liront dans la bonne langue ; si c’est un mot de la langue de la "
                                    f"page, ajoutez-le à {shown_list}",
                                    f"'{other}' word without a language mark: '{word}'",
                                    f"mark the words in '{other}' like this: [{word} …]{{lang={other}}}", "language"))
        for word in dict.fromkeys(_shortened(word) for word in words if word in unknown and word not in foreign):
            problems.append(finding(shown, line, f"mot inconnu « {word} » ({lang})",
                                    f"corrigez l’orthographe ou, si le mot est juste (nom propre, sigle), ajoutez-le "
                                    f"à {shown_list}, un mot par ligne",
                                    f"unknown word '{word}' ({lang})",
                                    f"fix the spelling or, if the word is right, add it to {shown_list}", "spelling"))
    return problems


def _shortened(word):
    return word if len(word) <= LONGEST_WORD else word[:LONGEST_WORD] + "…"


def content_problems(root, languages):
    """(findings, fixable findings) for the pages of docs/ and the texts of data/."""
    root = Path(root)
    problems, fixable, spelling = [], [], {lang: [] for lang in languages}
    for lang in languages:
        for path in sorted((root / "docs" / lang).rglob("*.md")):
            shown = path.relative_to(root).as_posix()
            raw = path.read_text(encoding="utf-8").splitlines()
            body = [(line, raw[line - 1]) for line, _, in_front_matter in markdown_lines(path) if not in_front_matter]
            problems += structure_problems(body, shown)
            for line, text, in_front_matter in markdown_lines(path):
                fixable += typography_problems(LANGUAGE_SPAN.sub(r"\1", text), lang, shown, line)
                if not in_front_matter:
                    problems += image_problems(raw[line - 1], shown, line)
                add_spelling(spelling, shown, line, text, lang)
                problems += quoted_language_problems(raw[line - 1] if not in_front_matter else text, lang, shown,
                                                     line)
    for path in sorted((root / "data").glob("*.yml")):
        shown = path.relative_to(root).as_posix()
        try:
            texts = data_texts(path, languages)
        except yaml.YAMLError:
            continue  # reported by the data validation with its line
        for line, lang, text in texts:
            problems += quoted_language_problems(text, lang, shown, line)
            if path.name == "changes.yml":
                text = QUOTED.sub(" ", text)  # the records quote misread and replaced words as they were
            fixable += typography_problems(LANGUAGE_SPAN.sub(r"\1", text), lang, shown, line)
            add_spelling(spelling, shown, line, NOT_PROSE.sub(" ", text), lang)
    problems += unit_name_problems(root / "data" / "plan.yml", languages)
    for lang, entries in spelling.items():
        # French words are looked for in the other editions, not the other way round: French text quotes
        # English names (Québec.ca) that are not foreign words to mark.
        others = [other for other in languages if other != lang and lang != languages[0]]
        problems += spelling_problems(entries, lang, root / "dictionary" / f"{lang}.txt", f"dictionary/{lang}.txt",
                                      others)
    return problems, fixable


def unit_name_problems(path, languages):
    """ITQ's units have one name, their French one, in every edition: no official name exists in another
    language (translation rule of the English edition, data/changes.yml). In another edition it is marked
    as French: [Vice-présidence …]{lang=fr}."""
    try:
        node = intake.compose(Path(path).read_text(encoding="utf-8"), f"data/{Path(path).name}")
    except (OSError, yaml.YAMLError, DataError):
        return []  # reported by the data validation with its line
    units = next((value for key, value in getattr(node, "value", []) if key.value == "units"), None)
    default, problems = languages[0], []
    for unit in getattr(units, "value", []):
        name = next((value for key, value in getattr(unit, "value", []) if key.value == "name"), None)
        texts = dict((lang, value) for lang, value in text_nodes(name, languages)) if name is not None else {}
        if default not in texts:
            continue
        french = " ".join(texts[default].value.split())
        for lang, value in texts.items():
            if lang != default and " ".join(value.value.split()) != f"[{french}]{{lang={default}}}":
                problems.append(finding(
                    "data/plan.yml", value.start_mark.line + 1,
                    f"unité nommée autrement en « {lang} » qu’en français : une unité d’ITQ n’a qu’un nom",
                    f"écrivez {lang}: \"[{french}]{{lang={default}}}\" (le nom français, marqué pour les lecteurs "
                    "d’écran)", f"unit named differently in '{lang}' than in French: an ITQ unit has one name",
                    f"write {lang}: \"[{french}]{{lang={default}}}\"", "translation"))
    return problems


# Fixes


def fix_files(root, languages):
    """Rewrite what typography can fix by itself (apostrophes, non-breaking spaces); returns the files changed."""
    root = Path(root)
    changed = []
    for lang in languages:
        for path in sorted((root / "docs" / lang).rglob("*.md")):
            if _rewrite(path, lambda text: _fix_markdown(text, lang)):
                changed.append(path.relative_to(root).as_posix())
    for path in sorted((root / "data").glob("*.yml")):
        # Records quote texts as they were, straight apostrophes included: their quotes stay untouched.
        keep = QUOTED if path.name == "changes.yml" else None
        if _rewrite(path, lambda text: _fix_yaml(text, languages, keep)):
            changed.append(path.relative_to(root).as_posix())
    return changed


def _rewrite(path, fix):
    text = path.read_text(encoding="utf-8")
    fixed = fix(text)
    if fixed != text:
        path.write_text(fixed, encoding="utf-8")
    return fixed != text


def _fix_markdown(text, lang):
    """Fix the prose of a page: front-matter values and text outside macros, tags, links and code."""
    lines = text.split("\n")
    in_front_matter = bool(lines) and lines[0] == "---"
    in_code = False
    for index, line in enumerate(lines):
        if index and in_front_matter and line == "---":
            in_front_matter = False
            continue
        if index == 0 and in_front_matter:
            continue
        if line.lstrip().startswith("```"):
            in_code = not in_code
        if in_code:
            continue
        if in_front_matter:
            key, colon, value = line.partition(":")
            if colon and key in ("title", "description"):
                lines[index] = key + colon + _fix_prose(value, lang)
        else:
            lines[index] = _fix_prose(line, lang)
    return "\n".join(lines)


def _fix_prose(line, lang):
    parts, last = [], 0
    for match in NOT_PROSE.finditer(line):
        parts += [typography.fix_text(line[last:match.start()], lang), match.group()]
        last = match.end()
    parts.append(typography.fix_text(line[last:], lang))
    return "".join(parts)


def _fix_yaml(text, languages, keep=None):
    """Fix each fr/en text of a data file in place, keeping every other character of the file."""
    spans = []
    for lang, value in text_nodes(intake.compose(text, "data"), languages):
        if value.style != "'":
            quote = 1 if value.style == '"' else 0  # fix inside the quotes, as the value reads
            spans.append((value.start_mark.index + quote, value.end_mark.index - quote, lang))
    for start, end, lang in sorted(spans, reverse=True):
        text = text[:start] + _fix_outside(text[start:end], lang, keep) + text[end:]
    return text


def _fix_outside(text, lang, keep):
    if keep is None:
        return typography.fix_text(text, lang)
    parts, last = [], 0
    for match in keep.finditer(text):
        parts += [typography.fix_text(text[last:match.start()], lang), match.group()]
        last = match.end()
    return "".join(parts + [typography.fix_text(text[last:], lang)])
