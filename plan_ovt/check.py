"""`make check`: the editors' fast checks, no browser, no build.

Prints each problem as `file:line: problem — what to do` and exits non-zero.
"""

import sys
from pathlib import Path

from plan_ovt import pages
from plan_ovt.content import content_problems
from plan_ovt.loading import DataError, load_data


def run(root):
    root = Path(root)
    config = pages.read_config(root / "mkdocs.yml")
    problems = pages.parity_problems(config, root / "mkdocs.yml", root / "docs")
    languages = pages.languages(config)
    try:
        load_data(root / "data", languages)
    except DataError as error:
        problems += error.problems
    return problems + content_problems(root, languages)


def main():
    problems = run(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())
    for problem in problems:
        print(problem, end="\n\n", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problème(s) à corriger ({len(problems)} problem(s) to fix).", file=sys.stderr)
        return 1
    print("Vérifications réussies : données et pages en ordre (checks passed).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
