"""Every built page is valid HTML for the W3C Nu HTML checker (vnu.jar, from package.json).

Needs: Java 17+ and `npm ci --ignore-scripts` (vnu-jar).
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_built_page_is_valid_html(site):
    if not shutil.which("java"):
        pytest.fail("Java introuvable : apt-get install default-jre-headless (Java not found)")
    if not VNU.exists():
        pytest.fail("vnu.jar introuvable : npm ci --ignore-scripts (vnu.jar not found: npm ci --ignore-scripts)")
    pages = sorted(str(path) for path in Path(site).rglob("*.html"))
    assert len(pages) > 1
    # One run for every file: the checker is slow to start.
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", *pages],
                            capture_output=True, text=True)
    messages = json.loads(result.stdout)["messages"]
    errors = messages
    assert errors == [], "\n".join(
        f"{m.get('url', '?').removeprefix('file:').removeprefix(str(site))}:{m.get('lastLine', '?')}: "
        f"{m['message']}\n    {m.get('extract', '').strip()}" for m in errors)
