"""One verdict: a batch of recorded edits of every kind the guide teaches (tests/edits.py), made on a copy,
passes `make check`, builds, and passes the product tests of CI run against that copy's site. No product
test may freeze today's plan: if one does, this test names it."""

import os
import subprocess
import sys

from conftest import ROOT
from edits import BATCH, read_yaml
from plan_ovt.project import copy_sources

# The product tests that read the built site (structure, languages, links and CSP, open data, status, the
# edition's notes, PDF), run with PLAN_OVT_TEST_CONTENT: only their tests of the built site run (conftest.py).
PRODUCT_TESTS = ["tests/test_site.py", "tests/test_i18n.py", "tests/test_publishing.py", "tests/test_opendata.py",
                 "tests/test_status.py", "tests/test_edition.py", "tests/test_pdf.py"]
# make site's own machinery (locks, atomic swaps) builds the working tree whatever the content: not run again.
NOT_ABOUT_CONTENT = "not (killed or two_builds or full_disk or incomplete_build)"


def test_a_batch_of_recorded_edits_passes_make_check_and_the_product_tests(tmp_path):
    project = copy_sources(tmp_path / "project")
    records = len(read_yaml(project, "changes.yml"))
    for edit in BATCH:
        edit(project)
    assert len(BATCH) >= 12
    # One record per edit of the plan's text, each of what `make check` proposed for it.
    assert len(read_yaml(project, "changes.yml")) - records == sum(hasattr(edit, "records") for edit in BATCH) >= 8

    check = subprocess.run([sys.executable, "-m", "plan_ovt.check"], cwd=project, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr

    suite = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", NOT_ABOUT_CONTENT,
                            *PRODUCT_TESTS], cwd=ROOT, capture_output=True, text=True,
                           env=dict(os.environ, PLAN_OVT_TEST_CONTENT=str(project)))
    assert suite.returncode == 0, suite.stdout[-4000:]
