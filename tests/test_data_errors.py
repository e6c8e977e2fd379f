"""Bad input, tried as an editor would: each stops the build with a message naming file and line.

Every test works on a temporary copy of the tree (fixture `project`), never on the working tree.
"""

import re

import pytest

from conftest import build

BAD_INPUTS = {
    # name: (file, text to replace, replacement, words the French message must contain)
    "yaml-syntax": ("data/plan.yml", "period: 2020-2022", "period: [2020-2022", "syntaxe YAML invalide"),
    "tab-indent": ("data/regions.yml", "  name: Mauricie", "\tname: Mauricie", "tabulation dans l’indentation"),
    "misspelled-key": ("data/plan.yml", "    deadline:\n      fr: En continu\n      en: Ongoing\n    actions:\n"
                       "      - id: dotation-en-ligne",
                       "    dealine:\n      fr: En continu\n      en: Ongoing\n    actions:\n"
                       "      - id: dotation-en-ligne", "champ inconnu"),
    "number-for-text": ("data/regions.yml", "name: Mauricie", "name: 42", "attendu : du texte"),
    "empty-file": ("data/strategy.yml", None, "", "le fichier est vide"),
    "empty-action-list": ("data/plan.yml", None, None, "la liste est vide"),
    "unknown-unit": ("data/plan.yml", "responsible_units: [vp-produits-sagir, dg-dotation]",
                     "responsible_units: [vp-produits-sagir, dg-dotations]", "ne correspond à aucun élément"),
    "missing-english": ("data/plan.yml", "      fr: En continu\n      en: Ongoing\n    actions:\n      - id: dotation-en-ligne",
                        "      fr: En continu\n    actions:\n      - id: dotation-en-ligne", "champ obligatoire manquant"),
}
# Where the message must point when it is not the first changed line: the field that lacks a key.
POINTS_AT = {"missing-english": "    deadline:\n      fr: En continu\n      en: Ongoing\n    actions:\n      - id: dotation-en-ligne"}


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
