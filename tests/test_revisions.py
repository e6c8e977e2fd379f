"""plan_ovt/revisions.py: "Dernière mise à jour" is the last commit that changed the page."""

import os
import subprocess
from datetime import date

from plan_ovt import revisions


def commit(folder, message, day):
    stamp = f"{day}T12:00:00+00:00"
    env = dict(os.environ, GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-qam", message],
                   cwd=folder, env=env, check=True)


def test_each_file_gets_the_date_of_its_last_commit_even_in_a_subfolder(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("a")
    (docs / "b.md").write_text("b")
    (tmp_path / "elsewhere.md").write_text("c")
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    commit(tmp_path, "first", "2021-03-31")
    (docs / "b.md").write_text("b, edited")
    (tmp_path / "elsewhere.md").write_text("c, edited")
    commit(tmp_path, "second", "2022-01-05")

    dates = revisions.last_commit_dates(docs)
    assert dates == {os.path.realpath(docs / "a.md"): date(2021, 3, 31),
                     os.path.realpath(docs / "b.md"): date(2022, 1, 5)}
    (docs / "new.md").write_text("never committed")
    assert revisions.last_updated(docs / "new.md", dates) == date.today()


def test_without_git_history_every_page_gets_the_build_date(tmp_path):
    assert revisions.last_commit_dates(tmp_path) == {}
    assert revisions.last_updated(tmp_path / "a.md", {}) == date.today()
