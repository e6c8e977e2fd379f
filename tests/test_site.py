"""The built site, asserted as HTML: every page of both languages, from the one list of pages."""

from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from conftest import ALL_PAGES, CONFIG, LANGUAGES, PAGE_PAIRS, ROOT, page_id
from plan_ovt.loading import load_data

DATA = load_data(ROOT / "data", LANGUAGES)


def front_matter(lang, file):
    text = (ROOT / "docs" / lang / file).read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_page_has_one_h1_and_its_language(soup, page):
    lang, _, _, url = page
    html = soup(url)
    assert html.html["lang"] == lang
    assert len(html.find_all("h1")) == 1


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_page_title_and_description_come_from_front_matter(soup, page):
    lang, _, file, url = page
    meta = front_matter(lang, file)
    html = soup(url)
    assert html.find("meta", attrs={"name": "description"})["content"] == meta["description"]
    assert html.title.get_text().startswith(meta["title"])


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_switcher_leads_to_the_counterpart_page(soup, page):
    lang, _, file, url = page
    pair = next(pair for pair in PAGE_PAIRS if pair[lang]["file"] == file)
    links = soup(url).select("a.md-header__language")
    others = [other for other in LANGUAGES if other != lang]
    assert [link["hreflang"] for link in links] == others
    for link in links:
        target = urljoin("https://host/" + url, link["href"])
        assert target == "https://host/" + pair[link["hreflang"]]["url"]
        assert link["lang"] == link["hreflang"]


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_hreflang_alternates_name_every_counterpart(soup, page):
    lang, _, file, url = page
    pair = next(pair for pair in PAGE_PAIRS if pair[lang]["file"] == file)
    links = {link["hreflang"]: link["href"] for link in soup(url).find_all("link", rel="alternate")
             if link.get("hreflang")}
    expected = {other: CONFIG["site_url"] + pair[other]["url"] for other in LANGUAGES}
    expected["x-default"] = CONFIG["site_url"] + pair[LANGUAGES[0]]["url"]
    assert links == expected


def table_page(lang):
    return next(pair[lang]["url"] for pair in PAGE_PAIRS if pair[LANGUAGES[0]]["file"] == "tableau-du-plan-d-action.md")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_action_table_holds_every_line_under_its_sector(soup, lang):
    table = soup(table_page(lang)).find("table", class_="action-table")
    plan = DATA["plan"]
    assert plan["objective"][lang] in table.caption.get_text()
    assert [th.get_text() for th in table.thead.find_all("th", scope="col")] == [
        DATA["labels"][key][lang] for key in ("sector", "number", "action", "responsible_units", "deadline")]
    units = {unit["id"]: unit["name"][lang] for unit in plan["units"]}
    bodies = table.find_all("tbody")
    assert len(bodies) == len(plan["sectors"])
    for body, sector in zip(bodies, plan["sectors"]):
        assert body.find("th", scope="rowgroup").get_text() == sector["name"][lang]
        actions = [td.get_text(" ", strip=True) for td in body.select('td[headers~="col-action"]')]
        assert actions == [" ".join(action["text"][lang].split()) for action in sector["actions"]]
        shown_units = [li.get_text(" ", strip=True) for li in body.select('td[headers~="col-responsible_units"] li')]
        assert shown_units == [" ".join(units[unit].split()) for unit in sector["responsible_units"]]
        assert body.select_one('td[headers~="col-deadline"]').get_text() == sector["deadline"][lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_action_table_has_six_lines_and_five_actions(soup, lang):
    table = soup(table_page(lang)).find("table", class_="action-table")
    numbers = [td.get_text(" ", strip=True) for td in table.select('td[headers~="col-number"]')]
    assert len(numbers) == 6
    assert [number for number in numbers if number.isdigit()] == ["1", "2", "3", "4", "5"]
    assert numbers[5].startswith("5 (")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_regions_table_has_the_17_regions(soup, lang):
    url = next(pair[lang]["url"] for pair in PAGE_PAIRS if pair[LANGUAGES[0]]["file"] == "itq-dans-les-regions.md")
    table = soup(url).find("table", class_="regions-table")
    rows = table.tbody.find_all("tr")
    assert len(rows) == 17
    assert [row.td.get_text() for row in rows] == [f"{n:02d}" for n in range(1, 18)]
    office = DATA["labels"]["office"][lang]
    with_office = [row.th.get_text() for row in rows if office in row.get_text()]
    assert sorted(with_office) == sorted(["Bas-Saint-Laurent", "Saguenay–Lac-Saint-Jean", "Capitale-Nationale",
                                          "Montréal"])
    csri = DATA["labels"]["csri"][lang]
    assert [row.th.get_text() for row in rows if csri in row.get_text()] == ["Bas-Saint-Laurent",
                                                                            "Saguenay–Lac-Saint-Jean"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_contact_page_gives_address_email_and_website(soup, lang):
    url = next(pair[lang]["url"] for pair in PAGE_PAIRS if pair[LANGUAGES[0]]["file"] == "nous-joindre.md")
    address = soup(url).find("address")
    assert address.find("a", href="mailto:information@itq.gouv.qc.ca")
    assert address.find("a", href=DATA["itq"]["website"])
    assert "880, chemin Sainte-Foy" in address.get_text() and "G1S 2L2" in address.get_text()


def test_every_page_is_built_and_nothing_else(site):
    built = sorted(path.relative_to(site).as_posix() for path in Path(site).rglob("*.html") if path.name != "404.html")
    expected = sorted(url for _, _, _, url in ALL_PAGES)
    assert built == expected
