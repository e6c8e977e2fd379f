"""A faithful public edition: what ITQ approved, what the site changed, and the site's own words kept apart."""

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import ALL_PAGES, CONTENT, LANGUAGES, PAGE_PAIRS, build, page_id
from plan_ovt import content, fidelity, pdf, rendering
from plan_ovt.loading import load_data

DATA = load_data(CONTENT / "data", LANGUAGES)
DEFAULT = LANGUAGES[0]
PLAN_KEYS = fidelity.plan_page_keys(CONTENT, DATA["changes"])
NOTE_KEY = DATA["publication"]["edition_note_page"]


def note_page(lang):
    return next(pair[lang]["url"] for pair in PAGE_PAIRS if pair[lang]["key"] == NOTE_KEY)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_note_on_this_edition_lists_every_record_with_its_date(soup, lang):
    notes = soup(note_page(lang)).find("article").select("ol.edition-notes > li")
    assert len(notes) == len(DATA["changes"])
    shown = sorted(note.find("time")["datetime"] for note in notes)
    assert shown == sorted(record["date"] for record in DATA["changes"])
    def plain(text):
        return " ".join(text.replace("'", "’").split())
    texts = " ".join(plain(note.get_text()) for note in notes)
    for record in DATA["changes"]:
        assert plain(BeautifulSoup(rendering.text(record["what"], lang), "lxml").get_text()) in texts


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_note_on_this_edition_lists_the_pages_the_site_adds_from_the_page_list(soup, lang):
    """Every page that is not the plan's, a new one included, in navigation order, each linked: never by hand."""
    links = soup(note_page(lang)).find("article").select("ul.site-pages a")
    site_pages = [pair[lang] for pair in PAGE_PAIRS if pair[DEFAULT]["key"] not in PLAN_KEYS]
    assert [link.get_text() for link in links] == [page["title"] for page in site_pages]
    assert [urljoin(note_page(lang), link["href"]) for link in links] == [page["url"] for page in site_pages]


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_plan_pages_say_which_edition_they_reproduce_and_site_pages_do_not(soup, page):
    lang, _, file, url = page
    pair = next(pair for pair in PAGE_PAIRS if pair[lang]["file"] == file)
    notice = soup(url).find(class_="official-version")
    if pair[lang]["key"] not in PLAN_KEYS:
        assert notice is None
        return
    links = {urljoin("https://h/" + url, link["href"]): link for link in notice.find_all("a")}
    assert "https://h/" + note_page(lang) in links
    assert rendering.long_date(DATA["plan"]["approved_on"], lang) in notice.get_text()
    if lang != DEFAULT:
        official = links["https://h/" + pair[DEFAULT]["url"]]
        assert official["hreflang"] == DEFAULT


@pytest.mark.parametrize("lang", LANGUAGES)
def test_next_and_previous_walk_through_the_plan_without_detours(soup, lang):
    plan = [pair[lang]["url"] for pair in PAGE_PAIRS if pair[lang]["key"] in PLAN_KEYS]
    for here, there in zip(plan, plan[1:]):
        following = soup(here).find("a", class_="md-footer__link--next")
        assert urljoin("https://h/" + here, following["href"]) == "https://h/" + there


def french_words_outside_french_marks(html, lang):
    """Words of a page that are French, not English, and not inside an element marked lang="fr"."""
    article = BeautifulSoup(html, "lxml").find("article")
    for marked in article.select('[lang]:not([lang="%s"])' % lang):
        marked.decompose()
    words = list(content.words_of(article.get_text(" ")))
    english = CONTENT / "dictionary" / f"{lang}.txt"
    unknown = content.unknown_words(words, lang, english)
    return sorted(unknown - content.unknown_words(sorted(unknown), DEFAULT, CONTENT / "dictionary" / f"{DEFAULT}.txt"))


@pytest.mark.parametrize("page", [page for page in ALL_PAGES if page[0] != DEFAULT], ids=page_id)
def test_english_pages_have_no_french_run_outside_a_lang_fr_element(site, page):
    html = (Path(site) / page[3]).read_text(encoding="utf-8")
    assert french_words_outside_french_marks(html, page[0]) == []


def test_the_french_run_test_sees_an_unmarked_french_name():
    html = ("<article><p>Chair of the Conseil du trésor.</p>"
            '<p>the <span lang="fr">Société québécoise des infrastructures</span></p></article>')
    assert french_words_outside_french_marks(html, "en") == ["Conseil", "du", "trésor"]


def test_a_record_added_on_a_copy_appears_in_the_note_and_on_the_pdf_cover(project, tmp_path):
    page = next(path for path in (project / "docs" / DEFAULT).glob("*.md")
                if "translation_key: introduction\n" in path.read_text(encoding="utf-8"))
    page.write_text(page.read_text(encoding="utf-8").replace("pluriannuelle", "triennale", 1), encoding="utf-8")
    changes = project / "data/changes.yml"
    records = yaml.safe_load(changes.read_text(encoding="utf-8"))
    records.append({"date": "2027-02-01", "kind": "erratum",
                    "what": {"fr": "Planification triennale", "en": "Three-year planning"},
                    "why": {"fr": "Erratum d’ITQ", "en": "ITQ erratum"},
                    "changes": [{"where": "page:introduction", "before": "pluriannuelle", "after": "triennale"}]})
    changes.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build(project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    for lang in LANGUAGES:
        html = (tmp_path / "out" / note_page(lang)).read_text(encoding="utf-8")
        assert 'datetime="2027-02-01"' in html
        assert {"fr": "Planification triennale", "en": "Three-year planning"}[lang] in html
        path = tmp_path / "out" / pdf.site_path(lang, LANGUAGES, DATA["publication"])
        cover = " ".join(PdfReader(path).pages[0].extract_text().split())
        applied = fidelity.applied(records)
        assert re.search(rf":\s*{len(records)}\D+{len(applied)}\D", cover), cover


@pytest.mark.parametrize("form, value", [("date: 2022-03-31", "2022-03-31"),
                                         ("fr: En continu\n      en: Ongoing", "En continu")])
def test_a_deadline_is_one_unit_of_the_plan_whatever_its_form(tmp_path, form, value):
    """Records name a deadline `…deadline`, with its date or its French text, as before it had two forms."""
    path = tmp_path / "plan.yml"
    path.write_text(f"sectors:\n  - id: s1\n    deadline:\n      {form}\n", encoding="utf-8")
    assert [(where, text) for where, _, text in fidelity.data_units(path, "fr", {"en"})] == [
        ("plan.yml:sectors[s1].deadline", value)]
