"""The way out if MkDocs 1.x stops: ProperDocs, its maintained fork, builds the same site.

Same pages byte for byte apart from the generator line, same files, from the same sources and plugins.
"""

import re
from pathlib import Path

from conftest import ROOT, build

GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


def test_properdocs_builds_the_same_site(site, tmp_path):
    result = build(ROOT, tmp_path / "site", generator="properdocs")
    assert result.returncode == 0, result.stderr
    other = tmp_path / "site"
    files = {path.relative_to(site) for path in Path(site).rglob("*") if path.is_file()}
    assert {path.relative_to(other) for path in other.rglob("*") if path.is_file()} == files
    different = []
    for name in sorted(files):
        if name.suffix == ".html":
            mkdocs, properdocs = (GENERATOR.sub("", (folder / name).read_text(encoding="utf-8"))
                                  for folder in (Path(site), other))
            generator = GENERATOR.search((other / name).read_text(encoding="utf-8"))
            assert not generator or "ProperDocs" in generator.group(), name  # admin/ has no generator line
        else:
            mkdocs, properdocs = (Path(site) / name).read_bytes(), (other / name).read_bytes()
        if mkdocs != properdocs:
            different.append(str(name))
    assert different == []
    assert "ProperDocs" in (other / "index.html").read_text(encoding="utf-8")
