"""`make check`, the editors' fast checks: each mistake is reported with file and line, and fails."""

import subprocess
import sys

import pytest

from conftest import ROOT

MISTAKES = {
    # name: (file, text, replacement, expected line start, words in the finding)
    "french-spelling": ("docs/fr/introduction.md", "la planification pluriannuelle", "la planiffication pluriannuelle",
                        "planiffication"),
    "straight-apostrophe": ("docs/fr/introduction.md", "l’engagement d’ITQ", "l'engagement d’ITQ",
                            "apostrophe droite"),
    "missing-description": ("docs/en/introduction.md", None, None, "« description » manquant"),
    "english-spelling": ("docs/en/introduction.md", "economic development", "economic developement",
                         "developement"),
    "colon-without-nbsp": ("docs/fr/nous-joindre.md", "plan d’action\u00a0:", "plan d’action :",
                           "espace insécable"),
    "data-spelling": ("data/plan.yml", "Organisation des séances", "Organisation des séannces", "séannces"),
}


def run_check(project):
    return subprocess.run([sys.executable, "-m", "plan_ovt.check"], cwd=project, capture_output=True, text=True)


def test_real_content_passes_clean():
    result = run_check(ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("name", MISTAKES)
def test_mistake_is_reported_with_file_and_line(project, name):
    file, old, new, words = MISTAKES[name]
    path = project / file
    text = path.read_text(encoding="utf-8")
    if old is None:
        lines = text.splitlines(keepends=True)
        line = 1
        path.write_text("".join(l for l in lines if not l.startswith("description:")), encoding="utf-8")
    else:
        assert old in text
        line = text[: text.index(old)].count("\n") + 1
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_check(project)
    assert result.returncode != 0
    findings = [f for f in result.stderr.splitlines() if words in f]
    assert findings, result.stderr
    assert findings[0].startswith(f"{file}:{line}: ")
    assert " — " in findings[0]
