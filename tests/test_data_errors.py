"""Bad input, tried as an editor would: each stops the build with a message naming file and line.

Every test works on a temporary copy of the tree (fixture `project`), never on the working tree.
"""

import re

import pytest

from conftest import ROOT, build

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
        # Replace the whole action list of the second sector by an empty list.
        new_text = re.sub(r"(  - id: informationnelles\n(?:.*\n)*?    actions:)\n(?:      .*\n|\n)*", r"\1 []\n", text)
        line = new_text[: new_text.index("actions: []")].count("\n") + 1
        path.write_text(new_text, encoding="utf-8")
        return file, line
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
    path = project / "data/plan.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Organisation des séances d’examen", "Organisation modifiée des séances d’examen"),
                    encoding="utf-8")
    result = build(project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    table = (tmp_path / "out/tableau-du-plan-d-action.html").read_text(encoding="utf-8")
    assert "Organisation modifiée des séances d’examen" in table


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
