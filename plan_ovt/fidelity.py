"""Fidelity to the approved plan: approved edition + recorded changes = what the sources say.

The plan ITQ approved on 31 March 2021 is kept as the reference (data/edition/approved.yml): its text
as units, each under a place — a page of the plan (`page:<translation_key>`: its paragraphs, headings
and list items) or a field of a data file (`plan.yml:sectors[humaines].deadline`). Every later change
to that text is a dated record in data/changes.yml. This rule applies the records to the reference,
in order, and compares the result with the French sources: any difference is a change nobody
recorded, reported on its line with the record to add. Order counts too: a page's approved units, and
the data's items named by an id (sectors, actions…), keep the approved edition's order unless a record
moves them (the same text as before and after). The site's own pages are free text.
"""

import difflib
import hashlib
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import yaml

from plan_ovt import intake, pages
from plan_ovt.findings import DataError, message

REFERENCE = Path("data/edition/approved.yml")
CHANGES = Path("data/changes.yml")
# Data files whose every value is the plan's (the others are the site's own: regions, labels, publication).
PLAN_DATA = ("plan", "strategy", "itq")
# Kinds of records that change the text; the others document how the reference itself was established.
APPLIED = ("correction", "addition", "erratum", "update")
# Fields that are one unit whatever their form (a date, or a text in each language): a deadline is at
# `sectors[humaines].deadline`, its value the date or the French text.
ONE_UNIT = ("deadline",)


# Units of text


def normalize(text):
    """One way of writing the same words: typographic apostrophe, plain spaces, no Markdown emphasis."""
    text = text.replace("'", "’").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


MARKUP = [
    (re.compile(r"<[^<>]+>"), " "),                      # HTML tags
    (re.compile(r"!\[[^\[\]]*\]\([^()]*\)"), " "),      # images: their alt text is the site's, not the plan's
    (re.compile(r"\[([^\[\]]*)\]\([^()]*\)"), r"\1"),     # links: their text
    (re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)"), ""),  # emphasis
    (re.compile(r"\{:?[^{}]*\}\s*$"), ""),                 # attribute lists { #id .class }
]
BLOCK_START = re.compile(r"^(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)")


def page_units(path):
    """[(line, text)]: the headings, paragraphs and list items of a page, without front matter and markup."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), len(lines))
    units, current, in_code = [], None, False

    def close():
        if current and normalize(current[1]):
            units.append((current[0], _strip_markup(current[1])))

    for number in range(start, len(lines)):
        line = lines[number]
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if in_code:
            continue
        if not line.strip():
            close()
            current = None
            continue
        marker = BLOCK_START.match(line)
        if marker or current is None or line.startswith("#"):
            close()
            current = [number + 1, line[marker.end():] if marker else line]
            if line.startswith("#"):
                close()
                current = None
        else:
            current[1] += " " + line.strip()
    close()
    return [(line, text) for line, text in units if text]


def _strip_markup(text):
    for pattern, replacement in MARKUP:
        text = pattern.sub(replacement, text)
    return normalize(text)


def data_units(path, default_language, other_languages):
    """[(where, line, text)]: every value of a data file but the translations, each under its place.

    A list item with an `id` is named by it (sectors[humaines]), others by position (levers[0]).
    """
    text = Path(path).read_text(encoding="utf-8")
    node = intake.compose(text, f"data/{Path(path).name}")
    units = []

    def walk(node, place, whole=False):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value in other_languages or key.value == "id":
                    continue
                inner = place if whole or key.value == default_language else \
                    f"{place}.{key.value}" if place else key.value
                walk(value, inner, whole or key.value in ONE_UNIT)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, f"{place}[{_item_name(item, index)}]")
        elif node is not None and node.value != "":
            units.append((f"{Path(path).name}:{place}", node.start_mark.line + 1, normalize(node.value)))

    walk(node, "")
    return units


def _item_name(node, index):
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "id" and isinstance(value, yaml.ScalarNode):
                return value.value
    return str(index)


def source_units(root, config):
    """{where: [(file, line, text)]} of the French sources: the plan's pages (by key) and the plan's data."""
    root = Path(root)
    codes = pages.languages(config)
    default = codes[0]
    keys, _ = pages.page_keys(config, root / "docs")
    units = {}
    for file, key in keys[default].items():
        shown = f"docs/{default}/{file}"
        units[f"page:{key}"] = [(shown, line, text) for line, text in page_units(root / "docs" / default / file)]
    for name in PLAN_DATA:
        path = root / "data" / f"{name}.yml"
        for where, line, text in data_units(path, default, set(codes[1:])):
            units.setdefault(where, []).append((f"data/{name}.yml", line, text))
    return units


# The reference and its records


def read_reference(root):
    """{where: [text]} of the approved edition."""
    _, reference = intake.load((Path(root) / REFERENCE).read_text(encoding="utf-8"), str(REFERENCE))
    return {where: [normalize(str(text)) for text in (texts if isinstance(texts, list) else [texts])]
            for where, texts in reference["units"].items()}


def reference_fingerprint(root):
    """16 hexadecimal digits that change with any change to the approved reference (data/edition/approved.yml)."""
    _, reference = intake.load((Path(root) / REFERENCE).read_text(encoding="utf-8"), str(REFERENCE))
    canonical = json.dumps(reference, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def _reference_problems(root, records, record_lines):
    """The reference changes only through a `reference` record naming its fingerprint, which the edition note
    shows: the last such record must name the reference as it is."""
    found = reference_fingerprint(root)
    index = max((i for i, record in enumerate(records) if record["kind"] == "reference"), default=None)
    if index is not None and records[index]["fingerprint"] == found:
        return []
    line = record_lines.get((index,)) if index is not None else None
    return [message(
        str(REFERENCE), None, None,
        "l’édition de référence a changé sans note" + (f" (la dernière note « reference », data/changes.yml:{line}, "
                                                       f"donne l’empreinte {records[index]['fingerprint']})"
                                                       if index is not None else ""),
        "ne modifiez jamais ce fichier : rétablissez-le depuis l’historique Git (git checkout -- "
        f"{REFERENCE}). Si ITQ a approuvé une nouvelle édition, suivez CONTRIBUTING.md, section 3 : ajoutez à la fin "
        f"de data/changes.yml une note « kind: reference » avec la date, ce qui change, la décision d’ITQ et "
        f"« fingerprint: {found} » ; elle paraît sur la page « À propos de cette édition »",
        "the approved reference edition changed without a record",
        f"never edit this file: restore it from Git. If ITQ approved a new edition, add a 'kind: reference' record "
        f"with 'fingerprint: {found}' at the end of data/changes.yml (CONTRIBUTING.md, section 3)",
        rule="fidelity")]


def expected_units(reference, records, record_lines):
    """Apply each record of an applied kind to the reference, in order: (units, findings on the records,
    moved). `moved` {where: Counter of texts} holds the units whose place no record fixes: additions (a
    record gives no place) and moves (a change whose before and after are the same text)."""
    expected = {where: list(texts) for where, texts in reference.items()}
    moved = {}
    problems = []
    # A new reference already holds every change recorded before it.
    start = max((i + 1 for i, record in enumerate(records) if record["kind"] == "reference"), default=0)
    for index, record in enumerate(records):
        if index < start or record["kind"] not in APPLIED:
            continue
        for number, change in enumerate(record.get("changes", [])):
            line = record_lines.get((index, "changes", number)) or record_lines.get((index,))
            where = change["where"]
            before = normalize(change.get("before") or "")
            after = normalize(change.get("after") or "")
            texts = expected.setdefault(where, [])
            if not before or before == after:
                moved.setdefault(where, Counter())[after] += 1
            if not before:
                texts.append(after)
                continue
            found = next((i for i, text in enumerate(texts) if before in text), None)
            if found is None:
                problems.append(message(
                    str(CHANGES), line, f"[{index}].changes[{number}].before",
                    f"cette note ne s’applique pas : « {before} » est introuvable à l’endroit « {where} » "
                    "(texte approuvé et notes précédentes)",
                    "recopiez dans before le texte exact tel qu’il était avant votre changement, et dans where "
                    "l’endroit donné par make check",
                    f"this record does not apply: '{before}' is not found at '{where}'",
                    "copy into before the exact text as it was before your change, and into where the place "
                    "make check gave", rule="fidelity"))
                continue
            changed = normalize(texts[found].replace(before, after, 1))
            if changed:
                texts[found] = changed
            else:
                del texts[found]
    return expected, problems, moved


PLACEHOLDERS = ("Ce qui a changé, en une phrase", "What changed, in one sentence", "Pourquoi", "Why")


def fidelity_problems(root, data, config, pages_readable=True):
    """Findings for every difference between (approved edition + records) and the French sources."""
    root = Path(root)
    if not (root / REFERENCE).exists():
        return [message(str(REFERENCE), None, None, "l’édition approuvée de référence est introuvable",
                        "restaurez ce fichier depuis l’historique Git (il ne se modifie jamais)",
                        "the approved reference edition is missing", "restore it from the Git history",
                        rule="fidelity")]
    records = data.get("changes") or []
    record_lines = _record_lines(root / CHANGES)
    reference = read_reference(root)
    expected, problems, moved = expected_units(reference, records, record_lines)
    problems += _reference_problems(root, records, record_lines)
    problems += _unfinished_records(records, record_lines)
    actual = source_units(root, config)
    for where in list(expected) + [where for where in actual if where not in expected]:
        if where.startswith("page:") and (where not in expected or not pages_readable):
            continue  # a page of the site's own, not of the plan; or pages that cannot be read yet
        problems += _differences(where, expected.get(where, []), actual.get(where, []), actual)
        if where.startswith("page:") and where in actual:
            problems += _moved_units(where, expected[where], actual[where], moved.get(where, Counter()))
    return problems + _moved_items(reference, actual, moved)


def _unfinished_records(records, record_lines):
    problems = []
    for index, record in enumerate(records):
        for field in ("what", "why"):
            for lang, text in record[field].items():
                if normalize(text).strip("«» ") in PLACEHOLDERS:
                    problems.append(message(
                        str(CHANGES), record_lines.get((index,)), f"[{index}].{field}.{lang}",
                        "note à compléter : le texte proposé par make check est resté tel quel",
                        "écrivez en une phrase " + ("ce qui a changé" if field == "what" else "pourquoi") +
                        " : les lecteurs la verront sur la page « À propos de cette édition »",
                        "record to complete: the text suggested by make check was left as is",
                        "write in one sentence " + ("what changed" if field == "what" else "why") +
                        ": readers see it on the “About this edition” page", rule="fidelity"))
    return problems


def _differences(where, expected, actual, all_actual):
    wanted = Counter(expected)
    extra = []
    for unit in actual:
        if wanted[unit[2]]:
            wanted[unit[2]] -= 1
        else:
            extra.append(unit)
    missing = list(wanted.elements())
    # A field of a data file whose one value was replaced (a deadline's text by a date) changed, however unlike.
    replaced = not where.startswith("page:") and len(missing) == len(extra) == 1
    problems = []
    for file, line, text in extra:
        old = max(missing, key=lambda candidate: difflib.SequenceMatcher(None, candidate, text).ratio(), default=None)
        if old is not None and (replaced or difflib.SequenceMatcher(None, old, text).ratio() > 0.5):
            missing.remove(old)
            before, after = _changed_words(old, text)
            problems.append(_unrecorded(file, line, where, before, after,
                                        f"texte du plan modifié sans note : « {_short(before)} » est devenu "
                                        f"« {_short(after)} »",
                                        f"plan text changed without a record: '{_short(before)}' became "
                                        f"'{_short(after)}'"))
        else:
            problems.append(_unrecorded(file, line, where, None, text,
                                        f"texte ajouté au plan sans note : « {_short(text)} »",
                                        f"text added to the plan without a record: '{_short(text)}'"))
    for text in missing:
        file, line = _place_of(where, all_actual)
        problems.append(_unrecorded(file, line, where, text, None,
                                    f"texte du plan retiré sans note : « {_short(text)} »",
                                    f"plan text removed without a record: '{_short(text)}'"))
    return problems


# Order: the plan's text in the plan's order


def _out_of_order(expected, actual):
    """Indexes of `actual` (the same items as `expected`, in another order perhaps) outside the longest
    runs the two lists share: what was moved."""
    matcher = difflib.SequenceMatcher(None, expected, actual, autojunk=False)
    kept = {index for block in matcher.get_matching_blocks() for index in range(block.b, block.b + block.size)}
    return [index for index in range(len(actual)) if index not in kept]


def _placed(items, allowed, text=lambda item: item):
    """`items` in their order, each only as often as `allowed` (a Counter) has its text."""
    allowed, placed = Counter(allowed), []
    for item in items:
        if allowed[text(item)] > 0:
            allowed[text(item)] -= 1
            placed.append(item)
    return placed


def _moved_units(where, expected, actual, moved):
    """A page's approved paragraphs, headings and items that changed places (additions and recorded moves
    have none to keep); the other differences are _differences'."""
    placed = (Counter(expected) & Counter(text for _, _, text in actual)) - moved
    before = _placed(expected, placed)
    units = _placed(actual, placed, text=lambda unit: unit[2])
    after = [text for _, _, text in units]
    problems = []
    for index in _out_of_order(before, after):
        file, line, text = units[index]
        problems.append(_unrecorded_move(file, line, where, text, _previous(before, text)))
    return problems


def _previous(order, item):
    """What comes before `item` in the approved `order` (None: it comes first)."""
    position = order.index(item)
    return order[position - 1] if position else None


ITEM = re.compile(r"\[([^\[\]]+)\]")


def _items(wheres):
    """{list: [item]} in order of first appearance: the items of the data files' lists named by an id
    (plan.yml:sectors[humaines].actions[dotation-en-ligne] is the item dotation-en-ligne of the list
    plan.yml:sectors[humaines].actions). Items named by their position change text, not place, when moved."""
    lists = {}
    for where in wheres:
        for match in ITEM.finditer(where):
            if not match.group(1).isdigit():
                items = lists.setdefault(where[:match.start()], [])
                if match.group(1) not in items:
                    items.append(match.group(1))
    return lists


def _moved_items(reference, actual, moved):
    """Items of the plan's data (sectors, actions…) in another order than the approved one's, unless a record
    moves one of their texts."""
    data = lambda wheres: [where for where in wheres if not where.startswith("page:")]
    was, now = _items(data(reference)), _items(data(actual))
    problems = []
    for name, items in now.items():
        free = {item for item in items if any(where.startswith(f"{name}[{item}]") for where in moved)}
        common = [item for item in was.get(name, []) if item in items and item not in free]
        after = [item for item in items if item in common]
        first = {item: next(where for where in actual if where.startswith(f"{name}[{item}]")) for item in after}
        for index in _out_of_order(common, after):
            item = after[index]
            file, line, text = actual[first[item]][0]
            previous = _previous(common, item)
            problems.append(_unrecorded_move(file, line, first[item], text,
                                             previous and actual[first[previous]][0][2], item=item))
    return problems


def _unrecorded_move(file, line, where, text, previous, item=None):
    """A move nobody recorded: what moved, and what the approved edition has before it."""
    neighbour = f"après « {_short(previous, 60)} »" if previous else "en premier"
    neighbour_en = f"after '{_short(previous, 60)}'" if previous else "first"
    what = f"l’élément « {item} » (« {_short(text, 60)} »)" if item else f"« {_short(text)} »"
    what_en = f"item '{item}' ('{_short(text, 60)}')" if item else f"'{_short(text)}'"
    return _unrecorded(file, line, where, text, text,
                       f"texte du plan déplacé sans note : {what} a changé de place ; le plan approuvé l’a "
                       f"{neighbour}",
                       f"plan text moved without a record: {what_en} changed places; the approved plan has it "
                       f"{neighbour_en}",
                       otherwise_fr="remettez-le à sa place (before et after identiques disent un déplacement)",
                       otherwise_en="put it back in its place (the same before and after record a move)")


def _place_of(where, actual):
    """Where to point for a text that is gone: its page, or the data file of its field."""
    if actual.get(where):
        return actual[where][0][:2]
    if where.startswith("page:"):
        return "mkdocs.yml", None
    file, _, path = where.partition(":")
    parents = [w for w in actual if w.startswith(f"{file}:{path.rsplit('.', 1)[0].rsplit('[', 1)[0]}")]
    return (actual[parents[0]][0][:2]) if parents else (f"data/{file}", None)


def _changed_words(old, new):
    """The smallest run of whole words that differs, with a word of context when one side is empty."""
    a, b = old.split(" "), new.split(" ")
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    if start == len(a) - end or start == len(b) - end:
        start = max(0, start - 1)
    before = " ".join(a[start: len(a) - end])
    after = " ".join(b[start: len(b) - end])
    if old.count(before) != 1:
        before, after = old, new
    return before, after


def _short(text, width=90):
    return text if len(text) <= width else text[: width - 1] + "…"


def _unrecorded(file, line, where, before, after, problem_fr, problem_en,
                otherwise_fr="rétablissez le texte approuvé", otherwise_en="restore the approved text"):
    snippet = [f"  - date: {date.today().isoformat()}", "    kind: correction   # ou erratum, update, addition",
               "    what:", "      fr: « Ce qui a changé, en une phrase »", "      en: What changed, in one sentence",
               "    why:", "      fr: « Pourquoi »", "      en: Why", "    changes:", f"      - where: {_quoted(where)}"]
    if before:
        snippet.append(f"        before: {_quoted(before)}")
    if after:
        snippet.append(f"        after: {_quoted(after)}")
    block = "\n".join("        " + line for line in snippet)
    fix_fr = ("si ce changement est voulu, inscrivez-le dans data/changes.yml (à la fin de la liste) en "
              "complétant what et why :\n" + block + f"\n      sinon, {otherwise_fr}")
    fix_en = ("if the change is intended, record it at the end of data/changes.yml (see the French text for the "
              f"entry to add); otherwise {otherwise_en}")
    return message(file, line, None, problem_fr, fix_fr, problem_en, fix_en, rule="fidelity")


def _quoted(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _record_lines(path):
    """{(record index,): line, (record index, "changes", change index): line} of data/changes.yml."""
    try:
        node = intake.compose(Path(path).read_text(encoding="utf-8"), str(CHANGES))
    except (OSError, yaml.YAMLError, DataError):
        return {}
    lines = {}
    for index, record in enumerate(node.value if isinstance(node, yaml.SequenceNode) else []):
        lines[(index,)] = record.start_mark.line + 1
        for key, value in record.value if isinstance(record, yaml.MappingNode) else []:
            if key.value == "changes" and isinstance(value, yaml.SequenceNode):
                for number, change in enumerate(value.value):
                    lines[(index, "changes", number)] = change.start_mark.line + 1
    return lines


def applied(records):
    """The records that change the text (the others document how the reference was established)."""
    return [record for record in records if record["kind"] in APPLIED]


def plan_page_keys(root, records):
    """translation_key of every page of the plan: the approved edition's, and those records add."""
    keys = [where[len("page:"):] for where in read_reference(root) if where.startswith("page:")]
    for record in applied(records):
        keys += [change["where"][len("page:"):] for change in record["changes"]
                 if change["where"].startswith("page:") and not change.get("before")]
    return list(dict.fromkeys(keys))


# Establishing the reference (once, when the approved edition is first recorded)


def snapshot(root, config):
    """{where: [text]} of today's French sources, in the reference's form."""
    return {where: [text for _, _, text in units] for where, units in source_units(root, config).items()}
