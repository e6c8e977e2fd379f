"""The built site, asserted as HTML: every page of both languages, from the one list of pages."""

from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from conftest import ALL_PAGES, CONFIG, CONTENT, LANGUAGES, PAGE_PAIRS, page_id, shown_text
from plan_ovt import opendata, rendering
from plan_ovt.loading import load_data

DATA = load_data(CONTENT / "data", LANGUAGES)


def front_matter(lang, file):
    text = (CONTENT / "docs" / lang / file).read_text(encoding="utf-8")
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
    return next(pair[lang]["url"] for pair in PAGE_PAIRS if pair[LANGUAGES[0]]["key"] == "tableau-du-plan-d-action")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_action_table_holds_every_line_under_its_sector(soup, lang):
    table = soup(table_page(lang)).find("table", class_="action-table")
    plan = DATA["plan"]
    assert plan["objective"][lang] in table.caption.get_text()
    assert [th.get_text() for th in table.thead.find_all("th", scope="col")] == [
        DATA["labels"][key][lang] for key in ("sector", "action", "responsible_units", "deadline")]
    units = {unit["id"]: unit["name"][lang] for unit in plan["units"]}
    bodies = table.find_all("tbody")
    assert len(bodies) == len(plan["sectors"])
    for body, sector in zip(bodies, plan["sectors"]):
        assert shown_text(body.find("th", scope="rowgroup")) == sector["name"][lang]
        actions = [" ".join(shown_text(td).split()) for td in body.select('td[headers~="col-action"]')]
        assert actions == [" ".join(opendata.plain(action["text"][lang]).split()) for action in sector["actions"]]
        for row, action in zip(body.find_all("tr"), sector["actions"]):
            expected_units = [" ".join(opendata.plain(units[unit]).split()) for unit in rendering.action_units(sector, action)]
            expected_deadline = rendering.deadline_label(rendering.action_deadline(sector, action), lang)
            # Each action's units and deadline: in its row, or in a cell spanning down to it...
            cells = _cells_of(body, row)
            shown_units = [li.get_text(" ", strip=True) for li in cells["responsible_units"].find_all("li")]
            assert shown_units == expected_units
            assert cells["deadline"].get_text() == expected_deadline
            # ...and in its own cell, for the block layout of narrow screens.
            own = row.select_one('td[headers~="col-action"] .block-details').find_all("dd")
            assert [li.get_text(" ", strip=True) for li in own[0].find_all("li")] == expected_units
            assert own[1].get_text() == expected_deadline


def _cells_of(body, row):
    """{column: the cell that gives this row's value in that column}, following rowspans down."""
    found = {}
    for earlier in body.find_all("tr"):
        for cell in earlier.find_all("td"):
            column = next(h[len("col-"):] for h in cell["headers"] if h.startswith("col-"))
            span = int(cell.get("rowspan", 1))
            rows = body.find_all("tr")
            if rows.index(earlier) <= rows.index(row) < rows.index(earlier) + span:
                found[column] = cell
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_regions_table_shows_every_region_with_what_the_data_says(soup, lang):
    url = next(pair[lang]["url"] for pair in PAGE_PAIRS if pair[LANGUAGES[0]]["key"] == "itq-dans-les-regions")
    rows = soup(url).find("table", class_="regions-table").tbody.find_all("tr")
    assert [(row.td.get_text(), row.th.get_text()) for row in rows] == [
        (region["number"], region["name"]) for region in DATA["regions"]]
    itq, labels = DATA["itq"], DATA["labels"]
    for row, region in zip(rows, DATA["regions"]):
        assert (labels["office"][lang] in row.get_text()) == (region["number"] in itq["office_regions"])
        assert (labels["head_office"][lang] in row.get_text()) == (region["number"] == itq["head_office"]["region"])
        for field, label in (("business_locations", "business_location"), ("csri", "csri")):
            shown = [opendata.plain(place["city"][lang]) for place in itq[field] if place["region"] == region["number"]]
            assert row.get_text().count(labels[label][lang]) == len(shown)
            assert all(city in row.get_text() for city in shown)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_contact_page_gives_address_email_and_website(soup, lang):
    url = next(pair[lang]["url"] for pair in PAGE_PAIRS if pair[LANGUAGES[0]]["key"] == "nous-joindre")
    address = soup(url).find("address")
    itq = DATA["itq"]
    assert address.find("a", href=f"mailto:{itq['email']}")
    assert itq["head_office"]["street"] in address.get_text()
    assert itq["head_office"]["postal_code"] in address.get_text()


def test_every_page_is_built_and_nothing_else(site):
    # Besides the pages: the 404 page, and the web editor's own page (tests/test_cms.py).
    built = sorted(path.relative_to(site).as_posix() for path in Path(site).rglob("*.html")
                   if path.name != "404.html" and path.relative_to(site).parts[0] != "admin")
    expected = sorted(url for _, _, _, url in ALL_PAGES)
    assert built == expected
