"""The one shape of every rule's finding, and the ways it is shown: to an editor, to GitHub, to GitLab.

A finding says where (file, line, column, field), what is wrong and what to do, in French first, then
in English. `make check` prints them; CI turns the same findings into annotations on the edited line.
A finding quotes content (a file name, a line of a page): wherever CI reads it, that text stays text,
never a workflow command, never Markdown or HTML of its own.
"""

import hashlib
import html
import json
import re
import secrets
from dataclasses import dataclass

# Markdown's own characters in a table cell (CommonMark backslash escapes, as GitHub reads them).
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]()!|])")


@dataclass(frozen=True)
class Finding:
    file: str
    line: int | None
    problem: str
    fix: str
    problem_en: str
    fix_en: str
    field: str | None = None
    column: int | None = None
    rule: str = "plan-ovt"

    @property
    def where(self):
        return ":".join(str(part) for part in (self.file, self.line, self.column) if part)

    def french(self):
        field = f"champ « {self.field} » : " if self.field else ""
        return f"{field}{self.problem}. À faire : {_sentence(self.fix)}"

    def english(self):
        field = f"field '{self.field}': " if self.field else ""
        return f"{field}{self.problem_en}. To do: {_sentence(self.fix_en)}"

    def __str__(self):
        return (f"{self.where}: {self.french().replace('. À faire : ', '.' + chr(10) + '    À faire : ', 1)}\n"
                f"    [en] {self.where}: {self.english()}")


def _sentence(text):
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", ":", "»", '"')) or "\n" in text else text + "."


class DataError(Exception):
    """One or more findings that stop what was being read (a data file, a page's front matter…)."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n\n".join(map(str, problems)))


def message(file, line, field, problem_fr, fix_fr, problem_en, fix_en, column=None, rule="plan-ovt"):
    return Finding(file, line, problem_fr.rstrip("."), fix_fr, problem_en.rstrip("."), fix_en, field, column, rule)


# Ways of showing findings


def github_annotations(findings):
    """GitHub workflow commands: each finding appears on its file and line in the pull request."""
    lines = []
    for finding in findings:
        location = f"file={_escape_property(finding.file)}"
        if finding.line:
            location += f",line={finding.line}"
        if finding.column:
            location += f",col={finding.column}"
        text = f"{finding.french()}\n[en] {finding.english()}"
        lines.append(f"::error {location},title={_escape_property('make check : ' + finding.rule)}::{_escape_data(text)}")
    return "\n".join(lines)


def github_log(findings, text):
    """GitHub reads every line a step prints as a possible workflow command (`::add-mask::`, `##[…]`):
    the findings' annotations, then `text` (the findings as make check words them) with commands stopped
    under a token nothing in the content can know. All of it goes to one stream, in this order."""
    token = secrets.token_hex(16)
    annotations = github_annotations(findings)
    return (annotations + "\n" if annotations else "") + f"::stop-commands::{token}\n{text}\n::{token}::"


def _escape_data(text):
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text):
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def code_quality(findings):
    """A GitLab Code Quality report: the merge request shows each finding on its line."""
    report = []
    for finding in findings:
        description = f"{finding.french()} — [en] {finding.english()}"
        report.append({
            "description": description,
            "check_name": finding.rule,
            "fingerprint": hashlib.sha256(f"{finding.where}|{finding.field}|{finding.problem}".encode()).hexdigest(),
            "severity": "major",
            "location": {"path": finding.file, "lines": {"begin": finding.line or 1}},
        })
    return json.dumps(report, ensure_ascii=False, indent=2)


def summary(findings):
    """A short French summary in Markdown (GitHub's job summary, the merge request's note)."""
    if not findings:
        return "### Vérifications réussies\n\nAucun problème : le site peut être publié.\n"
    rows = "\n".join(f"| <code>{_cell(finding.where)}</code> | {_cell(finding.problem)} | {_cell(finding.fix)} |" for finding in findings)
    return (f"### {len(findings)} problème(s) à corriger avant la publication\n\n"
            "| Où | Problème | Quoi faire |\n|---|---|---|\n" + rows + "\n\n"
            "Corrigez chaque point dans le fichier et à la ligne indiqués (dans l’éditeur Web ou dans votre "
            "copie), puis enregistrez : les vérifications reprennent d’elles-mêmes. Le site en ligne n’a pas "
            "changé. Guide : CONTRIBUTING.md, section « Ce que disent les vérifications ».\n")


def _cell(text):
    """Text shown as written in a cell of a Markdown table: no link, image, emphasis or HTML of its own."""
    text = MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(text, quote=False).replace("~", "&#126;"))
    return text.replace("\r", "").replace("\n", "<br>")

