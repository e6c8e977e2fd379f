"""When each page was last changed, from one `git log` of the whole docs folder.

A page never committed (a new file, a source archive without .git) shows the build date instead.
"""

import os
import subprocess
from datetime import date, datetime, timezone


def last_commit_dates(folder):
    """{absolute path of each file ever committed under folder: date of the last commit that changed it}."""
    try:
        root = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True,
                              text=True, check=True).stdout.strip()
        log = subprocess.run(["git", "log", "--format=%x00%ct", "--name-only", "--no-renames", "--", "."],
                             cwd=folder, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates = {}
    # Newest commit first: the first date seen for a path is its last change.
    for entry in log.split("\0")[1:]:
        stamp, *names = entry.strip().split("\n")
        day = datetime.fromtimestamp(int(stamp), timezone.utc).date()
        for name in filter(None, names):
            dates.setdefault(f"{root}/{name}", day)
    return dates


def last_updated(path, dates):
    return dates.get(os.path.realpath(path), date.today())
