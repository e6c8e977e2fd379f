"""The project's sources — what a build and `make check` read — for tools that work on a copy of them.

The tests break copies on purpose; the benchmark scales copies up. Neither touches the working tree.
"""

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["docs", "data", "dictionary", "overrides", "plan_ovt", "macros.py", "mkdocs.yml"]
# Installed, not written: linked into the copy (the build copies the web editor from node_modules).
INSTALLED = ["node_modules"]


def copy_sources(destination, origin=ROOT):
    """Copy the sources of `origin` (the working tree unless told) into destination (created if needed);
    returns it as a Path."""
    destination, origin = Path(destination), Path(origin)
    for name in SOURCES:
        source = origin / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            destination.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    for name in INSTALLED:
        if (ROOT / name).exists():
            (destination / name).symlink_to(ROOT / name)
    return destination
