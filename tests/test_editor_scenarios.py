"""The edits the guide teaches, made on a temporary copy as an editor would: each passes `make check`
and the product tests of CI on the edited content — no test freezes today's plan."""

import re
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT
from test_check import add_record, deadline_becomes_a_date, plan_page, replace, run_check

# The product tests that read the built site and the data: they must hold for any valid content.
PRODUCT_TESTS = ["tests/test_site.py", "tests/test_i18n.py", "tests/test_opendata.py", "tests/test_rendering.py"]


WHAT = {"Nouvelle échéance": "New deadline", "Action ajoutée": "Action added", "Erratum": "Erratum"}


def record(what, changes, kind="update"):
    return {"date": "2026-12-01", "kind": kind, "what": {"fr": what, "en": WHAT[what]},
            "why": {"fr": "Décision d’ITQ", "en": "ITQ’s decision"}, "changes": changes}


def change_a_deadline(project):
    _, where, before, after = deadline_becomes_a_date(project)
    add_record(project, record("Nouvelle échéance", [{"where": where, "before": before, "after": after}]))


def add_an_action_with_its_own_unit(project):
    plan = project / "data/plan.yml"
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    sector = data["sectors"][-1]
    text = plan.read_text(encoding="utf-8")
    text = text.replace("\nobjective:", "\n  - id: unite-nouvelle\n    name:\n      fr: Direction nouvelle\n"
                        "      en: \"[Direction nouvelle]{lang=fr}\"\n\nobjective:", 1)
    text = text.rstrip("\n") + ("\n      - id: action-nouvelle\n        text:\n          fr: Action nouvelle en région\n"
                                "          en: New action in the regions\n        responsible_units: [unite-nouvelle]\n")
    plan.write_text(text, encoding="utf-8")
    place = f"plan.yml:sectors[{sector['id']}].actions[action-nouvelle]"
    add_record(project, record("Action ajoutée", [
        {"where": "plan.yml:units[unite-nouvelle].name", "after": "Direction nouvelle"},
        {"where": f"{place}.text", "after": "Action nouvelle en région"},
        {"where": f"{place}.responsible_units[0]", "after": "unite-nouvelle"}]))


def record_an_erratum(project):
    replace(project, plan_page(project), "planification pluriannuelle", "planification triennale")
    add_record(project, record("Erratum", [{"where": "page:introduction", "before": "pluriannuelle",
                                            "after": "triennale"}], kind="erratum"))


def add_a_page_in_both_languages(project):
    for lang, file, title, description in (("fr", "glossaire.md", "Glossaire", "Glossaire du plan."),
                                           ("en", "glossary.md", "Glossary", "Glossary of the plan.")):
        (project / "docs" / lang / file).write_text(
            f"---\ntitle: {title}\ndescription: \"{description}\"\ntranslation_key: glossaire\n---\n\n"
            f"# {title}\n\nITQ.\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    last_english = re.findall(r"(?m)^ {12,}- .+: .+\.md\n", text)[-1]
    indent = last_english[: len(last_english) - len(last_english.lstrip())]
    text = text.replace(last_english, last_english + f"{indent}- Glossary: glossary.md\n")
    last_french = re.findall(r"(?m)^ *- .+: .+\.md$", text)[-1]
    indent = last_french[: len(last_french) - len(last_french.lstrip())]
    config.write_text(text.rstrip("\n") + f"\n{indent}- Glossaire: glossaire.md\n", encoding="utf-8")


SCENARIOS = {"deadline": change_a_deadline, "new-action-own-unit": add_an_action_with_its_own_unit,
             "erratum": record_an_erratum, "new-page": add_a_page_in_both_languages}


@pytest.mark.parametrize("name", SCENARIOS)
def test_edit_passes_make_check_and_the_ci_suite(project, name):
    SCENARIOS[name](project)
    result = run_check(project)
    assert result.returncode == 0, result.stderr
    shutil.copytree(ROOT / "tests", project / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", project / "pyproject.toml")
    suite = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *PRODUCT_TESTS],
                           cwd=project, capture_output=True, text=True)
    assert suite.returncode == 0, suite.stdout[-3000:]
