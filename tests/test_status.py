"""The publication's status (data/publication.yml, status): on every page in its language, escaped, refused
by make check when malformed."""

import pytest
from bs4 import BeautifulSoup

from conftest import ALL_PAGES, CONTENT, LANGUAGES, html_of, page_id
from plan_ovt import status
from plan_ovt.loading import load_data
from test_check import assert_finding, line_of, replace, run_check

DATA = load_data(CONTENT / "data", LANGUAGES)
STATUS = DATA["publication"]["status"]


def test_a_notice_is_escaped_and_marks_words_of_another_language():
    notice = status.notice({"state": "ended", "title": {"fr": "<b>Fin</b>", "en": "End"},
                            "text": {"fr": "Voir la [Loi]{lang=en} & <script>x</script>", "en": "x"}}, "fr")
    assert str(notice["title"]) == "&lt;b&gt;Fin&lt;/b&gt;"
    assert str(notice["text"]) == 'Voir la <span lang="en">Loi</span> &amp; &lt;script&gt;x&lt;/script&gt;'
    assert notice["lang"] is None and status.notice(STATUS, "en", marked=True)["lang"] == "en"


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_every_page_opens_with_the_status_in_its_language(soup, page):
    lang, _, _, url = page
    notices = soup(url).select("article .publication-status[role=note]")
    assert len(notices) == 1
    notice = notices[0]
    assert notice.find_previous("h1") is None and notice.find_next("h1") is not None  # above the page's title
    assert f"publication-status--{STATUS['state']}" in notice["class"]
    shown = " ".join(notice.get_text(" ").split())
    expected = status.notice(STATUS, lang)
    for part in ("title", "text"):
        assert " ".join(BeautifulSoup(str(expected[part]), "lxml").get_text(" ").split()) in shown


def test_the_bilingual_404_page_has_the_status_in_each_language(site):
    page = BeautifulSoup(html_of(site, "404.html"), "lxml")
    notices = page.select(".publication-status[role=note]")
    assert [notice.get("lang") for notice in notices] == [None] + LANGUAGES[1:]


def test_an_unknown_state_is_refused_with_the_states_to_choose_from(project):
    line = line_of(project, "data/publication.yml", "  state:")
    replace(project, "data/publication.yml", f"  state: {STATUS['state']}", "  state: fini")
    result = run_check(project)
    assert_finding(result, "data/publication.yml", line, "valeur inconnue")
    assert "current, ended, archived" in result.stderr


def test_a_notice_without_its_english_text_is_refused(project):
    text = (project / "data/publication.yml").read_text(encoding="utf-8")
    start = text.index("  text:\n")
    english = text.index("    en:", start)
    end = text.index("\n", english) + 1
    (project / "data/publication.yml").write_text(text[:english] + text[end:], encoding="utf-8")
    result = run_check(project)
    assert_finding(result, "data/publication.yml", None, "status.text")
