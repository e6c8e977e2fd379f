"""Load the YAML files of data/ and validate them before any page renders.

Every problem becomes a DataError whose message names the file, the line,
the field, what was expected and what to do, in French first, then English.
"""

import copy
import functools
import json
import os
import re
from datetime import date
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from plan_ovt import intake
from plan_ovt.findings import DataError, message
from plan_ovt.intake import FastSafeDumper, FastSafeLoader

SCHEMAS = Path(__file__).parent / "schemas"
DATA_FILES = ("plan", "strategy", "itq", "regions", "labels", "publication", "changes")


# Loading and validation


class _Loader(FastSafeLoader):
    """Safe YAML loader that keeps dates as text, so the schema sees what the editor wrote."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


_cache = {}


def load_data(data_dir, languages):
    """Return {name: data} for every data file, or raise DataError listing every problem.

    A build reads the data once per language and once for the exports: unchanged files
    (same size and modification time) are not read, parsed nor validated again.
    """
    data_dir = Path(data_dir)
    key = (data_dir.resolve(), tuple(languages), tuple(_stamp(data_dir / f"{name}.yml") for name in DATA_FILES))
    if key not in _cache:
        _cache.clear()
        _cache[key] = _load_all(data_dir, languages)
    return copy.deepcopy(_cache[key])


def _stamp(path):
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def _load_all(data_dir, languages):
    documents, lines, problems = {}, {}, []
    for name in DATA_FILES:
        path = data_dir / f"{name}.yml"
        try:
            documents[name], lines[name] = _load_file(path, languages)
        except DataError as error:
            problems.extend(error.problems)
    if not problems:
        problems = cross_check(documents, lines, data_dir)
    if problems:
        raise DataError(problems)
    documents["plan"]["approved_on"] = date.fromisoformat(documents["plan"]["approved_on"])
    return documents


def _load_file(path, languages):
    shown = _shown_path(path)
    if not path.exists():
        raise DataError([message(shown, None, None,
                                 "le fichier est introuvable", "recréez-le à partir de l’historique Git",
                                 "the file is missing", "restore it from the Git history")])
    problem = intake.file_problem(path, shown, path.parent.parent)
    if problem:
        raise DataError([problem])
    text = intake.read_text(path, shown)
    try:
        node, data = intake.load(text, shown, loader_class=_Loader)
    except yaml.YAMLError as error:
        raise DataError([_yaml_problem(shown, text, error)]) from None
    if node is None or data is None:
        raise DataError([message(shown, 1, None,
                                 "le fichier est vide", "remettez son contenu (voir data/README.md)",
                                 "the file is empty", "put its content back (see data/README.md)")])
    lines = line_numbers(node)
    return validate(path.stem, data, lines, shown, languages), lines


def validate(name, data, lines, shown, languages):
    """data, checked against plan_ovt/schemas/<name>.json; raises DataError with a problem per mistake."""
    validator = _validator(name, tuple(languages))
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path))))
    # A value of the wrong kind (a line where fields were expected) breaks every other rule of its
    # field too: its one finding says what to write.
    mistyped = {tuple(error.absolute_path) for error in errors if error.validator == "type"}
    errors = [error for error in errors if error.validator == "type" or tuple(error.absolute_path) not in mistyped]
    if errors:
        raise DataError([_schema_problem(shown, lines, error) for error in errors])
    return data


def cross_check(documents, lines, data_dir):
    """Checks a schema cannot express: references between files and unique identifiers."""
    problems = []
    plan, itq, regions = documents["plan"], documents["itq"], documents["regions"]
    plan_file = (_shown_path(Path(data_dir) / "plan.yml"), lines["plan"])
    itq_file = (_shown_path(Path(data_dir) / "itq.yml"), lines["itq"])
    regions_file = (_shown_path(Path(data_dir) / "regions.yml"), lines["regions"])

    unit_ids = [unit["id"] for unit in plan["units"]]
    problems += _duplicates(plan_file, ("units",), unit_ids)
    for s, sector in enumerate(plan["sectors"]):
        owners = [("sectors", s)] + [("sectors", s, "actions", a) for a in range(len(sector["actions"]))]
        for owner in owners:
            item = sector if len(owner) == 2 else sector["actions"][owner[-1]]
            for u, unit in enumerate(item.get("responsible_units", [])):
                if unit not in unit_ids:
                    problems.append(_unknown_reference(plan_file, owner + ("responsible_units", u), unit,
                                                       "units", unit_ids))
    action_ids = [action["id"] for sector in plan["sectors"] for action in sector["actions"]]
    problems += _duplicates_at(plan_file, [("sectors", s, "actions", a, "id") for s, sector in enumerate(plan["sectors"])
                                           for a in range(len(sector["actions"]))], action_ids)
    problems += _duplicates(plan_file, ("sectors",), [sector["id"] for sector in plan["sectors"]])

    numbers = [region["number"] for region in regions]
    problems += _duplicates(regions_file, (), numbers)
    for field in ("business_locations", "csri"):
        for i, place in enumerate(itq[field]):
            if place["region"] not in numbers:
                problems.append(_unknown_reference(itq_file, (field, i, "region"), place["region"],
                                                   "data/regions.yml", numbers))
    if itq["head_office"]["region"] not in numbers:
        problems.append(_unknown_reference(itq_file, ("head_office", "region"), itq["head_office"]["region"],
                                           "data/regions.yml", numbers))
    for i, number in enumerate(itq["office_regions"]):
        if number not in numbers:
            problems.append(_unknown_reference(itq_file, ("office_regions", i), number,
                                               "data/regions.yml", numbers))
    return problems


# Helpers


def _shown_path(path):
    # Links not followed: a message names the file in data/, never where a link would lead.
    path = Path(os.path.abspath(path))
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@functools.lru_cache(maxsize=None)
def _validator(name, languages):
    registry = Registry()
    for schema_file in SCHEMAS.glob("*.json"):
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        if schema_file.stem == "common":
            schema["$defs"]["text"]["required"] = list(languages)
            schema["$defs"]["text"]["patternProperties"] = {
                f"^({'|'.join(languages)})$": {"type": "string", "minLength": 1}}
        registry = registry.with_resource(schema["$id"], Resource.from_contents(schema))
    schema = registry.contents(f"{name}.json")
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def line_numbers(node, path=()):
    """Map each field path (tuple of keys and indexes) to its 1-based line in the file."""
    lines = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[path + (key.value,)] = key.start_mark.line + 1
            lines.update({p: l for p, l in line_numbers(value, path + (key.value,)).items()
                          if p != path + (key.value,)})
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(line_numbers(item, path + (index,)))
    return lines


def _field_name(path):
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


TYPE_NAMES = {
    "string": ("du texte", "text"),
    "integer": ("un nombre entier", "a whole number"),
    "number": ("un nombre", "a number"),
    "array": ("une liste (lignes commençant par « - »)", "a list (lines starting with '- ')"),
    "object": ("des champs « clé: valeur »", "'key: value' fields"),
    "null": ("rien (valeur laissée vide)", "nothing (value left empty)"),
}


def _describe(value):
    if value is None:
        return "rien (valeur vide)", "nothing (empty value)"
    if isinstance(value, bool):
        return f"le booléen {value}", f"the boolean {value}"
    if isinstance(value, (int, float)):
        return f"le nombre {value}", f"the number {value}"
    if isinstance(value, str):
        return f"le texte « {value} »", f"the text '{value}'"
    if isinstance(value, list):
        return "une liste", "a list"
    return "des champs « clé: valeur »", "'key: value' fields"


def _schema_problem(file, lines, error):
    path = tuple(error.absolute_path)
    field = _field_name(path)
    line = lines.get(path) or lines.get(path[:-1]) or 1
    got_fr, got_en = _describe(error.instance)
    kind = error.validator
    if error.schema == _deadline_schema() and kind in ("type", "anyOf", "not"):
        return _deadline_problem(file, line, path, error)
    if kind == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        missing_field = _field_name(path + (missing[0],))
        return message(file, line, missing_field, "champ obligatoire manquant",
                       f"ajoutez « {missing[0]}: … » à cet endroit (voir data/README.md)",
                       "required field missing", f"add '{missing[0]}: …' here (see data/README.md)")
    if kind in ("additionalProperties", "unevaluatedProperties") or (
            kind == "patternProperties" and isinstance(error.instance, dict)):
        allowed = sorted(error.schema.get("properties", {})) or sorted(error.schema.get("required", []))
        extra = [key for key in error.instance if key not in allowed]
        unknown = extra[0] if extra else "?"
        bad_line = lines.get(path + (unknown,), line)
        return message(file, bad_line, _field_name(path + (unknown,)), "champ inconnu (faute de frappe ?)",
                       f"corrigez le nom du champ ; champs permis : {', '.join(allowed)}",
                       "unknown field (typo?)", f"fix the field name; allowed fields: {', '.join(allowed)}")
    if kind == "type":
        # A field may accept several types (a licence: its fields, or nothing): name each.
        expected = [error.validator_value] if isinstance(error.validator_value, str) else error.validator_value
        names = [TYPE_NAMES.get(name, (name, name)) for name in expected]
        expected_fr, expected_en = (" ou ".join(fr for fr, _ in names), " or ".join(en for _, en in names))
        hint_fr = ("mettez la valeur entre guillemets, par exemple \"01\""
                   if error.validator_value == "string" else "corrigez la valeur")
        hint_en = ("put the value in quotes, for example \"01\""
                   if error.validator_value == "string" else "fix the value")
        return message(file, line, field, f"attendu : {expected_fr} ; reçu : {got_fr}", hint_fr,
                       f"expected {expected_en}, got {got_en}", hint_en)
    if kind == "enum":
        choices = ", ".join(map(str, error.validator_value))
        # The field's description says what each value means, in words (changes.json's kind).
        described = error.schema.get("description")
        return message(file, line, field, f"valeur inconnue : {got_fr}",
                       f"écrivez une de ces valeurs : {choices}" + (f" — {described.rstrip('.')}" if described else ""),
                       f"unknown value: {got_en}", f"write one of these values: {choices}")
    if kind == "minItems":
        return message(file, line, field, "la liste est vide",
                       "ajoutez au moins un élément (une ligne commençant par « - »)",
                       "the list is empty", "add at least one item (a line starting with '- ')")
    if kind == "minLength":
        return message(file, line, field, "le texte est vide", "écrivez le texte ou retirez le champ",
                       "the text is empty", "write the text or remove the field")
    if kind == "format" and error.validator_value == "date":
        return message(file, line, field, f"date invalide : {got_fr}",
                       "écrivez la date sous la forme AAAA-MM-JJ, par exemple 2021-03-31",
                       f"invalid date: {got_en}", "write the date as YYYY-MM-DD, for example 2021-03-31")
    if kind == "pattern":
        # The field's own description says the form in words; a regular expression says nothing to an editor.
        described = error.schema.get("description")
        return message(file, line, field, f"forme inattendue : {got_fr}",
                       f"{described.rstrip('.')} (voir data/README.md)" if described
                       else "respectez la forme décrite dans data/README.md pour ce champ",
                       f"unexpected form: {got_en}", "follow the form data/README.md describes for this field")
    if kind in ("anyOf", "oneOf"):
        # The branch that fits the shape the editor wrote says best what is wrong.
        fitting = [sub for sub in error.context if sub.validator not in ("type", "format")]
        if fitting:
            return _schema_problem(file, lines, fitting[0])
    if kind in ("anyOf", "oneOf") and error.schema.get("description"):
        return message(file, line, field, f"valeur refusée : {got_fr}", error.schema["description"],
                       f"value rejected: {got_en}", "see data/README.md for the accepted forms")
    # jsonschema's own words are English and may quote a regular expression: never shown to an editor.
    return message(file, line, field, f"valeur refusée : {got_fr}",
                   "corrigez la valeur selon la forme que data/README.md décrit pour ce champ",
                   f"value rejected: {got_en}", "fix the value as data/README.md describes this field")


@functools.lru_cache(maxsize=None)
def _deadline_schema():
    return json.loads((SCHEMAS / "common.json").read_text(encoding="utf-8"))["$defs"]["deadline"]


def _deadline_problem(file, line, path, error):
    """A deadline is a date or a text in each language, written under `deadline:`: what to write instead."""
    field, value = _field_name(path), error.instance
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        return message(file, line, field, f"la date « {value} » doit être précédée de « date: »",
                       "écrivez-la sur la ligne suivante, décalée de deux espaces :\n"
                       f"        deadline:\n          date: {value.strip()}",
                       f"the date '{value}' needs 'date:' before it",
                       "write it on the next line, indented by two spaces: 'deadline:', then "
                       f"'  date: {value.strip()}'")
    if isinstance(value, str) and value.strip():
        return message(file, line, field, f"échéance écrite en un seul texte (« {value} ») : il en faut un dans "
                       "chaque langue",
                       "écrivez chaque langue sur sa ligne, décalée de deux espaces :\n"
                       f"        deadline:\n          fr: {value.strip()}\n          en: …\n"
                       "      (ou, pour une date : « date: AAAA-MM-JJ » sous « deadline: »)",
                       f"deadline written as a single text ('{value}'): it needs one in each language",
                       "write each language on its own line, indented by two spaces: 'deadline:', then "
                       f"'  fr: {value.strip()}' and '  en: …' (or, for a date, '  date: YYYY-MM-DD')")
    if isinstance(value, dict) and value and error.validator == "not":
        return message(file, line, field, "échéance à la fois date et texte : elle est l’une ou l’autre",
                       "gardez soit « date: … », soit « fr: … » et « en: … », et retirez le reste",
                       "deadline both a date and a text: it is one or the other",
                       "keep either 'date: …', or 'fr: …' and 'en: …', and remove the rest")
    texts = [lang for lang in ("fr", "en") if isinstance(value, dict) and lang in value]
    if len(texts) == 1 and error.validator == "anyOf":
        present, missing = texts[0], "en" if texts[0] == "fr" else "fr"
        return message(file, line, _field_name(path + (missing,)),
                       "texte manquant : une échéance en texte est écrite dans chaque langue",
                       f"ajoutez « {missing}: … » sous « deadline: », à côté de « {present}: » ; "
                       "ou, pour une date, remplacez les deux par « date: AAAA-MM-JJ »",
                       "missing text: a deadline written as text is in each language",
                       f"add '{missing}: …' under 'deadline:', next to '{present}:'; "
                       "or, for a date, replace both with 'date: YYYY-MM-DD'")
    got_fr, got_en = _describe(value)
    if value in (None, "", {}):
        problem_fr, problem_en = "échéance vide", "empty deadline"
    elif isinstance(value, dict):
        problem_fr, problem_en = "échéance incomplète", "incomplete deadline"
    else:
        problem_fr, problem_en = f"échéance illisible (reçu : {got_fr})", f"unreadable deadline (got {got_en})"
    return message(file, line, field, problem_fr,
                   "sous « deadline: », écrivez soit « date: AAAA-MM-JJ », soit « fr: … » et « en: … », chacun sur "
                   "sa ligne, décalé de deux espaces",
                   problem_en, "under 'deadline:', write either 'date: YYYY-MM-DD', or 'fr: …' and 'en: …', each on "
                   "its own line, indented by two spaces")


def _yaml_problem(file, text, error):
    mark = getattr(error, "problem_mark", None)
    context = getattr(error, "context_mark", None)
    # An unclosed bracket or quote is found lines later: point at where it was opened.
    if context and any(word in (error.context or "") for word in ("flow", "quoted")):
        mark = context
    line = mark.line + 1 if mark else None
    source_lines = text.splitlines()
    source_line = source_lines[mark.line] if mark and mark.line < len(source_lines) else ""
    if "\t" in source_line[: len(source_line) - len(source_line.lstrip())] or "'\\t'" in str(error):
        return message(file, line, None, "tabulation dans l’indentation",
                       "remplacez la tabulation par des espaces (deux espaces par niveau)",
                       "tab character in the indentation", "replace the tab with spaces (two per level)")
    problem = getattr(error, "problem", None) or str(error)
    return message(file, line, None, f"syntaxe YAML invalide ({problem})",
                   "vérifiez l’indentation, les « : », les crochets et les guillemets de cette ligne "
                   "et des suivantes",
                   f"invalid YAML syntax ({problem})",
                   "check the indentation, colons, brackets and quotes of this line and the next ones")


def _duplicates(source, path, values):
    return _duplicates_at(source, [path + (index,) for index in range(len(values))], values)


def _duplicates_at(source, paths, values):
    """A problem for each value seen before, at its path (values may come from several lists)."""
    (file, lines), seen, problems = source, set(), []
    for path, value in zip(paths, values):
        if value in seen:
            problems.append(message(file, lines.get(path), _field_name(path),
                                    f"identifiant en double : {value}",
                                    "donnez un identifiant unique à chaque élément",
                                    f"duplicate identifier: {value}", "give each item a unique identifier"))
        seen.add(value)
    return problems


def _unknown_reference(source, path, value, target, known):
    file, lines = source
    return message(file, lines.get(path), _field_name(path), f"« {value} » ne correspond à aucun élément de {target}",
                   f"choisissez parmi : {', '.join(known)}",
                   f"'{value}' matches nothing in {target}", f"choose among: {', '.join(known)}")
