"""Both editions: same pages, each in its own language, linked to each other."""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from conftest import ALL_PAGES, CONFIG, CONTENT, LANGUAGES, PAGE_PAIRS, html_of, page_id
from plan_ovt import pages, search
from plan_ovt.loading import load_data

DATA = load_data(CONTENT / "data", LANGUAGES)
DEFAULT, *TRANSLATIONS = LANGUAGES
NAVS = pages.navs(CONFIG)


def test_every_page_exists_in_every_language():
    for lang, entries in NAVS.items():
        assert len(entries) == len(NAVS[DEFAULT])
        for _, file in entries:
            assert (CONTENT / "docs" / lang / file).is_file()


def test_pages_pair_by_their_translation_key_in_navigation_order():
    keys, problems = pages.page_keys(CONFIG, CONTENT / "docs")
    assert problems == []
    assert [pair[DEFAULT]["key"] for pair in PAGE_PAIRS] == [keys[DEFAULT][file] for _, file in NAVS[DEFAULT]]
    for pair in PAGE_PAIRS:
        assert {keys[lang][pair[lang]["file"]] for lang in LANGUAGES} == {pair[DEFAULT]["key"]}


def expected_navigation(lang, current):
    """Titles the navigation shows on a page: each entry, and the pages of the section the page is in."""
    tree = CONFIG["nav"] if lang == DEFAULT else next(
        language["nav"] for language in pages._i18n(CONFIG)["languages"] if language["locale"] == lang)
    titles = []
    for entry in tree:
        title, target = next(iter(entry.items()))
        titles.append(title)
        if isinstance(target, list) and current in [file for _, file in pages._flatten(target)]:
            titles += [title for title, _ in pages._flatten(target)]
    return titles


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_navigation_titles_and_site_name_in_the_page_language(soup, page):
    lang, _, file, url = page
    html = soup(url)
    titles = [link.get_text(" ", strip=True) for link in html.select("nav.md-nav--primary .md-nav__link")
              if not link.find_parent("nav", class_="md-nav--secondary")]  # the page's own table of contents
    # The current page shows twice when it has a table of contents (its label, then its link).
    titles = [title for i, title in enumerate(titles) if i == 0 or title != titles[i - 1]]
    assert titles == expected_navigation(lang, file)
    site_name = CONFIG["site_name"] if lang == DEFAULT else next(
        language["site_name"] for language in pages._i18n(CONFIG)["languages"] if language["locale"] == lang)
    assert html.title.get_text().endswith(site_name)


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_interface_strings_in_the_page_language(soup, page):
    lang, _, _, url = page
    placeholder = soup(url).find("input", attrs={"name": "query"})["placeholder"]
    assert placeholder == {"fr": "Rechercher", "en": "Search"}[lang]


def other_language_strings(lang):
    """Displayed strings known to belong to one language only (labels and nav titles that differ)."""
    strings = set()
    for other in LANGUAGES:
        if other == lang:
            continue
        strings |= {value[other] for value in DATA["labels"].values() if value[other] != value[lang]}
        strings |= {title for (title, _), (mine, _) in zip(NAVS[other], NAVS[lang]) if title != mine}
        for sector in DATA["plan"]["sectors"]:
            strings.add(sector["name"][other])
            if other in sector["deadline"]:
                strings.add(sector["deadline"][other])
    return sorted(strings)


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_no_string_of_the_other_language_in_main_content(soup, page):
    lang, _, _, url = page
    article = BeautifulSoup(str(soup(url).find("article")), "lxml")  # a copy: the parse is shared
    for notice in article.select(".official-version"):
        notice.decompose()
    for quoted in article.select(f'[lang]:not([lang="{lang}"])'):  # words marked as the other language's
        quoted.decompose()
    text = " ".join(article.get_text(" ").split())
    found = [string for string in other_language_strings(lang) if re.search(rf"\b{re.escape(string)}\b", text)]
    assert found == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_index_holds_only_its_language(site, lang):
    prefix = "" if lang == DEFAULT else f"{lang}/"
    index = json.loads((Path(site) / prefix / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == [lang]
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    expected = {pair[lang]["url"][len(prefix):] for pair in PAGE_PAIRS}
    assert locations == expected


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_results_show_table_cells_apart(site, soup, lang):
    """Each row of a table reads in the search index as its cells with a separator between them
    (plan_ovt/search.py), and the separator never reaches the pages themselves."""
    prefix = "" if lang == DEFAULT else f"{lang}/"
    index = json.loads((Path(site) / prefix / "search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    rows = []
    for _, _, _, url in (page for page in ALL_PAGES if page[0] == lang):
        assert search.CELL_SEPARATOR not in html_of(site, url)
        for row in soup(url).select(".md-content table tr"):
            cells = row.find_all(["td", "th"], recursive=False)
            if len(cells) > 1 and all(cell.string and cell.find(True) is None for cell in cells):
                rows.append(" · ".join(cell.string.strip() for cell in cells))
    assert rows
    assert [row for row in rows if row not in text] == []


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_search_base_is_the_language_root(soup, page):
    lang, _, _, url = page
    config = json.loads(soup(url).find("script", id="__config").string)
    root = "" if lang == DEFAULT else f"{lang}/"
    assert urljoin("https://h/" + url, config["base"].rstrip("/") + "/") == "https://h/" + root


def test_each_other_edition_has_its_own_sitemap(site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    for lang in TRANSLATIONS:
        locs = [loc.text for loc in ET.parse(Path(site) / lang / "sitemap.xml").findall("s:url/s:loc", ns)]
        assert sorted(locs) == sorted(CONFIG["site_url"] + pair[lang]["url"] for pair in PAGE_PAIRS)


def test_sitemap_lists_both_editions_with_alternates(site):
    tree = ET.parse(Path(site) / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    site_url = CONFIG["site_url"]
    locs = [loc.text for loc in tree.findall("s:url/s:loc", ns)]
    assert sorted(locs) == sorted(site_url + url for _, _, _, url in ALL_PAGES)
    for entry in tree.findall("s:url", ns):
        langs = [link.get("hreflang") for link in entry.findall("x:link", ns)]
        assert langs == LANGUAGES + ["x-default"]
