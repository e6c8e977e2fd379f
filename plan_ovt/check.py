"""`make check`: the rulebook. Every rule that can stop a publication, fast, without a browser.

Prints each finding as `file:line: problem. À faire : what to do.` (French, then English) and exits
non-zero. `--fix` first rewrites what typography can fix by itself. `--format github` prints the same
findings as GitHub annotations (and a French job summary); `--codequality FILE` writes GitLab's report.
"""

import argparse
import os
import sys
from pathlib import Path

import yaml

from plan_ovt import content, findings, intake, page_templates, pages
from plan_ovt.build_check import build_problems
from plan_ovt.fidelity import fidelity_problems
from plan_ovt.findings import message
from plan_ovt.loading import DataError, load_data


# Said when the build-based rules cannot run (make check prints it after the findings).
BUILD_SKIPPED = ("Liens, ancres, macros et HTML des pages : vérifiés dès que les problèmes de traduction, "
                 "d’en-tête de page ou de données ci-dessus seront corrigés, car le site ne peut pas se construire "
                 "avant (links, anchors, macros and page HTML are checked once the translation, front matter or "
                 "data problems above are fixed: the site cannot be built before).")


def run(root):
    """(findings that stop a publication, sorted by file and line; findings `make fix` corrects; a note when
    the rules that need a build could not run, or None)."""
    root = Path(root)
    try:
        config = pages.read_config(root / "mkdocs.yml")
        languages = pages.languages(config)
    except Exception as error:  # mkdocs.yml is beyond reading: say where, never a traceback
        cause = error.__cause__ or error.__context__ or error
        mark = getattr(cause, "problem_mark", None) or getattr(error, "problem_mark", None)
        error = cause if isinstance(cause, yaml.YAMLError) else error
        return [message("mkdocs.yml", mark.line + 1 if mark else None, None,
                        f"configuration illisible ({getattr(error, 'problem', None) or error})",
                        "annulez la dernière modification de mkdocs.yml ou comparez-la avec la version précédente",
                        f"unreadable configuration ({getattr(error, 'problem', None) or error})",
                        "undo the last change to mkdocs.yml or compare it with the previous version",
                        rule="config")], [], BUILD_SKIPPED
    # Links, oversized or non-UTF-8 files and hostile YAML first: the other rules would read them.
    problems = intake.problems(root)
    if problems:
        return _sorted(problems), [], BUILD_SKIPPED
    problems = pages.parity_problems(config, root / "mkdocs.yml", root / "docs")
    problems += _front_matter_of_unlisted_pages(root, config, languages)
    data = None
    try:
        data = load_data(root / "data", languages)
    except DataError as error:
        problems += error.problems
    # The build stops on exactly these (plan_ovt/hooks.py on_config); any other finding lets it run.
    builds = not problems
    if data is not None:
        # A page whose front matter cannot be read has no key: its text would only seem gone.
        problems += fidelity_problems(root, data, config, pages_readable=not problems)
    spelling, fixable = content.content_problems(root, languages)
    spelling += content.outline_problems(root, pages.page_pairs(config, root / "docs"), languages)
    if builds:
        # Links, anchors, macros and the pages' HTML need rendered pages: in the same round as the rest.
        problems += build_problems(root)
    # The build reports these too, and renders none of them: checked whether or not it ran.
    problems += _page_templates(root, languages)
    return _sorted(_unique(problems + spelling)), fixable, None if builds else BUILD_SKIPPED


def _sorted(problems):
    """By file, then line (a finding on a whole file first), in the order found within a line."""
    return sorted(problems, key=lambda problem: (problem.file, problem.line or 0, problem.column or 0))


def _front_matter_of_unlisted_pages(root, config, languages):
    listed = {(lang, file) for lang, entries in pages.navs(config).items() for _, file in entries}
    problems = []
    for lang in languages:
        for path in sorted((root / "docs" / lang).rglob("*.md")):
            if (lang, path.relative_to(root / "docs" / lang).as_posix()) not in listed:
                try:
                    pages.front_matter(path, path.relative_to(root).as_posix(), languages)
                except DataError as error:
                    problems += error.problems
    return problems


def _page_templates(root, languages):
    """Each page's {{ … }} and {% … %} keep to the documented macros and the data (plan_ovt/page_templates.py)."""
    problems = []
    for lang in languages:
        for path in sorted((root / "docs" / lang).rglob("*.md")):
            text = path.read_text(encoding="utf-8")
            front = pages.FRONT_MATTER.match(text)
            body_start = front.end() if front else 0
            problems += page_templates.template_problems(text[body_start:], path.relative_to(root).as_posix(),
                                                         text.count("\n", 0, body_start) + 1)
    return problems


def _unique(problems):
    seen, result = set(), []
    for problem in problems:
        if str(problem) not in seen:
            seen.add(str(problem))
            result.append(problem)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make check", description=__doc__)
    parser.add_argument("root", nargs="?", default=".")
    parser.add_argument("--fix", action="store_true", help="corrige d’abord la typographie (make fix)")
    parser.add_argument("--format", choices=("text", "github"), default="text")
    parser.add_argument("--codequality", metavar="FICHIER", help="rapport Code Quality de GitLab")
    arguments = parser.parse_args(argv)
    root = Path(arguments.root)
    if arguments.fix:
        languages = pages.languages(pages.read_config(root / "mkdocs.yml"))
        for changed in content.fix_files(root, languages):
            print(f"Typographie corrigée : {changed}")
    try:
        problems, fixable, skipped = run(root)
    except Exception as error:  # a defect of the rulebook itself: still no traceback for an editor
        text = (f"La vérification n’a pas pu se faire ({type(error).__name__} : {error}). Transmettez ce message à "
                "l’équipe technique (the check itself failed: please report this message).")
        print(findings.github_log([], text) if arguments.format == "github" else text, file=sys.stderr, flush=True)
        return 2
    report = "".join(f"{problem}\n\n" for problem in problems)
    advice = ""
    if fixable:
        files = sorted({problem.file for problem in fixable})
        advice = (f"Typographie : {len(fixable)} correction(s) automatique(s) possible(s) dans {', '.join(files)} — "
                  "lancez make fix (la construction les applique de toute façon au site publié).")
    if skipped:
        report += f"{skipped}\n\n"
    if arguments.format == "github":
        # One stream, in order: the annotations, then what the findings quote, never read as a command.
        print(findings.github_log(problems, (report + advice).rstrip("\n")), flush=True)
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            with open(summary_file, "a", encoding="utf-8") as stream:
                stream.write(findings.summary(problems))
    else:
        print(report, end="", file=sys.stderr)
        if advice:
            print(advice)
    if arguments.codequality:
        Path(arguments.codequality).write_text(findings.code_quality(problems), encoding="utf-8")
    if problems:
        print(f"{len(problems)} problème(s) à corriger avant la publication "
              f"({len(problems)} problem(s) to fix before publishing).", file=sys.stderr)
        return 1
    print("Vérifications réussies : le site peut être publié (checks passed).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
