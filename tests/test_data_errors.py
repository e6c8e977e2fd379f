"""Bad input, tried as an editor would: each stops the build with a message naming file and line.

Every test works on a temporary copy of the tree (fixture `project`), never on the working tree.
"""

import re

import pytest

from conftest import ROOT, build
from edits import page_pairs, read_yaml, write_yaml

PLAN = (ROOT / "data/plan.yml").read_text(encoding="utf-8")
# Mutations found from the file's structure, not from today's words: any valid plan.yml can be broken so.
FIRST_DEADLINE = re.search(r"(?m)^ +deadline:\n(?: +(?:fr|en): .*\n)+", PLAN).group()
FIRST_UNITS = re.search(r"responsible_units: \[([a-z0-9-]+)", PLAN)
_text = re.search(r"(?m)^( +)text:\n\1  fr: .*\n(?:\1    .*\n)*\1  en: .*\n(?:\1    .*\n)*", PLAN).group()
FIRST_TEXT, FIRST_TEXT_WITHOUT_EN = _text, re.sub(r"(?ms)^( +)en: .*", "", _text)
PERIOD = re.search(r"(?m)^period: .*$", PLAN).group()
REGION_NAME = re.search(r"(?m)^  name: .*$", (ROOT / "data/regions.yml").read_text(encoding="utf-8")).group()

BAD_INPUTS = {
    # name: (file, text to replace, replacement, words the French message must contain)
    "yaml-syntax": ("data/plan.yml", PERIOD, PERIOD.replace(": ", ": [", 1), "syntaxe YAML invalide"),
    "tab-indent": ("data/regions.yml", REGION_NAME, "\t" + REGION_NAME.lstrip(), "tabulation dans l’indentation"),
    "misspelled-key": ("data/plan.yml", FIRST_DEADLINE, FIRST_DEADLINE.replace("deadline:", "dealine:", 1),
                       "champ inconnu"),
    "number-for-text": ("data/regions.yml", REGION_NAME, "  name: 42", "attendu : du texte"),
    "empty-file": ("data/strategy.yml", None, "", "le fichier est vide"),
    "empty-action-list": ("data/plan.yml", None, None, "la liste est vide"),
    "unknown-unit": ("data/plan.yml", FIRST_UNITS.group(), FIRST_UNITS.group() + "-inconnue",
                     "ne correspond à aucun élément"),
    "missing-english": ("data/plan.yml", FIRST_TEXT, FIRST_TEXT_WITHOUT_EN, "champ obligatoire manquant"),
}
# Where the message must point when it is not the first changed line: the field that lacks a key.
POINTS_AT = {"missing-english": FIRST_TEXT}


def break_file(project, name):
    file, old, new, _ = BAD_INPUTS[name]
    path = project / file
    text = path.read_text(encoding="utf-8")
    if name == "empty-action-list":
        # The last sector's whole action list becomes an empty list.
        plan = read_yaml(project, "plan.yml")
        plan["sectors"][-1]["actions"] = []
        write_yaml(project, "plan.yml", plan)
        text = path.read_text(encoding="utf-8")
        return file, text[: text.index("actions: []")].count("\n") + 1
    if old is None:
        path.write_text(new, encoding="utf-8")
        return file, 1
    assert old in text, f"the fixture no longer matches {file}: {old!r}"
    line = text[: text.index(old)].count("\n") + 1 + next(
        (i for i, (a, b) in enumerate(zip(old.splitlines(), new.splitlines())) if a != b), 0)
    if name in POINTS_AT:
        line = text[: text.index(POINTS_AT[name])].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return file, line


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_data_fails_the_build_with_file_and_line(project, tmp_path, name):
    file, line = break_file(project, name)
    site_dir = tmp_path / "out"
    result = build(project, site_dir)
    assert result.returncode != 0
    assert "Données invalides" in result.stderr
    assert BAD_INPUTS[name][3] in result.stderr
    assert re.search(rf"{re.escape(file)}:{line}\b", result.stderr), result.stderr
    assert "[en]" in result.stderr and "À faire" in result.stderr
    assert not (site_dir / "index.html").exists()
    assert not (site_dir / "tableau-du-plan-d-action.html").exists()


def test_data_change_shows_in_the_table(project, tmp_path):
    plan = read_yaml(project, "plan.yml")
    plan["sectors"][-1]["actions"][-1]["text"] = {"fr": "Action modifiée pour l’essai", "en": "Action changed for the test"}
    write_yaml(project, "plan.yml", plan)
    result = build(project, tmp_path / "out", PLAN_OVT_PDF="0")
    assert result.returncode == 0, result.stderr
    for lang, text in (("fr", "Action modifiée pour l’essai"), ("en", "Action changed for the test")):
        pair = next(pair for pair in page_pairs(project)
                    if "action_table(" in (project / "docs" / lang / pair[lang]["file"]).read_text(encoding="utf-8"))
        assert text in (tmp_path / "out" / pair[lang]["url"]).read_text(encoding="utf-8")


def test_undefined_variable_in_a_page_fails_the_build(project, tmp_path):
    page = project / "docs/fr/introduction.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n{{ plan.titre }}\n", encoding="utf-8")
    result = build(project, tmp_path / "out")
    assert result.returncode != 0


def test_missing_english_page_fails_naming_it(project, tmp_path):
    (project / "docs/en/about-itq.md").unlink()
    result = build(project, tmp_path / "out")
    assert result.returncode != 0
    assert "docs/en/about-itq.md" in result.stderr and "Traduction manquante" in result.stderr
