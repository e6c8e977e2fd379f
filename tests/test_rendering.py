"""Unit tests of the rendering functions, on tiny data."""

from datetime import date

import pytest
from bs4 import BeautifulSoup

from conftest import shown_text
from plan_ovt import rendering

LABELS = {key: {"fr": f"{key}-fr", "en": f"{key}-en"} for key in (
    "action_table_caption", "site_note", "action_table_site_text", "sector", "action", "responsible_units", "deadline",
    "regions_caption", "region_number", "region", "presence", "head_office", "office", "business_location", "csri",
    "no_mention", "email", "sectors_nav", "accessibility_contact", "accessibility_contact_missing",
    "accessibility_response_missing")}
LABELS["accessibility_response"] = {"fr": "Réponse en {days} jours.", "en": "Answer in {days} days."}


def tiny_plan(action_text="Agir"):
    return {
        "objective": {"fr": "Objectif", "en": "Objective"},
        "units": [{"id": "u1", "name": {"fr": "Unité 1", "en": "Unit 1"}},
                  {"id": "u2", "name": {"fr": "Unité 2", "en": "Unit 2"}}],
        "sectors": [
            {"id": "s1", "name": {"fr": "Secteur 1", "en": "Sector 1"}, "responsible_units": ["u1", "u2"],
             "deadline": {"fr": "En continu", "en": "Ongoing"},
             "actions": [{"id": "a1", "text": {"fr": action_text, "en": "Act"}},
                         {"id": "a2", "text": {"fr": "Deux", "en": "Two"}}]},
            {"id": "s2", "name": {"fr": "Secteur 2", "en": "Sector 2"}, "responsible_units": ["u2"],
             "deadline": {"date": "2022-03-31"},
             "actions": [{"id": "a3", "text": {"fr": "Trois", "en": "Three"}},
                         {"id": "a4", "text": {"fr": "Trois bis", "en": "Three bis"}},
                         {"id": "a5", "text": {"fr": "Quatre", "en": "Four"}, "responsible_units": ["u1"],
                          "deadline": {"fr": "En continu", "en": "Ongoing"}}]},
        ],
    }


def parse(html):
    return BeautifulSoup(html, "lxml")


def test_action_table_structure():
    table = parse(rendering.action_table(tiny_plan(), LABELS, "fr")).find("table")
    assert table.caption.get_text(" ", strip=True) == "action_table_caption-fr Objectif"
    assert [th["scope"] for th in table.thead.find_all("th")] == ["col"] * 4
    bodies = table.find_all("tbody")
    assert len(bodies) == 2
    sector = bodies[0].find("th", scope="rowgroup")
    assert shown_text(sector) == "Secteur 1" and sector["rowspan"] == "2"
    for cell in bodies[0].find_all("td"):
        assert "secteur-s1" in cell["headers"]


def test_action_table_adds_no_numbering():
    table = parse(rendering.action_table(tiny_plan(), LABELS, "fr")).find("table")
    assert len(table.thead.find_all("th")) == 4
    assert [len(row.find_all("td")) for row in table.find_all("tr")[1:]] == [3, 1, 3, 1, 3]


def test_action_table_lists_units_and_deadline_once_for_the_actions_that_share_them():
    table = parse(rendering.action_table(tiny_plan(), LABELS, "en"))
    units = table.select('td[headers~="col-responsible_units"]')
    assert [[li.get_text() for li in cell.find_all("li")] for cell in units] == [
        ["Unit 1", "Unit 2"], ["Unit 2"], ["Unit 1"]]
    assert [cell.get("rowspan") for cell in units] == ["2", "2", None]
    deadlines = table.select('td[headers~="col-deadline"]')
    assert [td.get_text() for td in deadlines] == ["Ongoing", "March 31, 2022", "Ongoing"]


def test_an_action_with_its_own_unit_does_not_change_its_sector():
    table = parse(rendering.action_table(tiny_plan(), LABELS, "fr"))
    rows = table.find_all("tbody")[1].find_all("tr")
    first = rows[0].select_one('td[headers~="col-responsible_units"]')
    assert [li.get_text() for li in first.find_all("li")] == ["Unité 2"] and first["rowspan"] == "2"
    assert rows[2].select_one('td[headers~="col-deadline"]').get_text() == "En continu"
    assert rows[0].select_one('td[headers~="col-deadline"]').get_text() == "31 mars 2022"


def test_every_action_cell_holds_its_own_units_and_deadline_for_narrow_screens():
    """Spanned cells cannot follow each action into the block layout of a phone (extra.css)."""
    plan = tiny_plan()
    table = parse(rendering.action_table(plan, LABELS, "en")).find("table")
    actions = [(sector, action) for sector in plan["sectors"] for action in sector["actions"]]
    cells = table.select('td[headers~="col-action"]')
    assert len(cells) == len(actions)
    for cell, (sector, action) in zip(cells, actions):
        details = cell.find("dl", class_="block-details")
        assert details.has_attr("hidden") and details.has_attr("data-search-exclude")
        assert [dt.get_text() for dt in details.find_all("dt")] == ["responsible_units-en", "deadline-en"]
        units, deadline = details.find_all("dd")
        names = {unit["id"]: unit["name"]["en"] for unit in plan["units"]}
        assert [li.get_text() for li in units.find_all("li")] == [
            names[unit] for unit in rendering.action_units(sector, action)]
        assert deadline.get_text() == rendering.deadline_label(rendering.action_deadline(sector, action), "en")


def test_sector_cells_carry_their_column_name_for_narrow_screens():
    for lang, colon in (("fr", "\u00a0:"), ("en", ":")):
        table = parse(rendering.action_table(tiny_plan(), LABELS, lang)).find("table")
        for sector in table.find_all("th", scope="rowgroup"):
            label = sector.find(class_="block-label")
            assert label.has_attr("hidden") and label.has_attr("data-search-exclude")
            assert label.get_text() == f"sector-{lang}{colon} "


def test_action_table_sits_in_a_labelled_focusable_region():
    region = parse(rendering.action_table(tiny_plan(), LABELS, "fr")).find("div")
    assert region["role"] == "region" and region["tabindex"] == "0"
    assert region["aria-labelledby"] == region.find("caption")["id"]


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "{{ config.site_name }}", "{% raw %}"])
def test_data_text_is_escaped_never_markup(hostile):
    html = rendering.action_table(tiny_plan(hostile), LABELS, "fr")
    assert "<script>" not in html
    assert shown_text(parse(html).find(id="action-a1")) == hostile


def test_strategy_objectives_keep_numbers_and_details():
    strategy = {"objectives": [
        {"number": 1, "text": {"fr": "Un", "en": "One"}},
        {"number": 2, "text": {"fr": "Deux :", "en": "Two:"}, "details": [{"fr": "détail", "en": "detail"}]}]}
    items = parse(rendering.strategy_objectives(strategy, "fr")).find("ol").find_all("li", recursive=False)
    assert [li["value"] for li in items] == ["1", "2"]
    assert items[1].find("ul").get_text() == "détail"


def test_levers_list():
    strategy = {"levers": [{"fr": "a", "en": "A"}, {"fr": "b", "en": "B"}]}
    assert [li.get_text() for li in parse(rendering.levers(strategy, "en")).find_all("li")] == ["A", "B"]


def test_regions_table_shows_only_what_data_states():
    regions = [{"number": "01", "name": "Bas-Saint-Laurent"}, {"number": "04", "name": "Mauricie"}]
    itq = {"head_office": {"region": "01"}, "office_regions": ["01"], "business_locations": [{"city": {"fr": "Rimouski", "en": "Rimouski-en"}, "region": "01"}],
           "csri": [{"city": {"fr": "Rimouski", "en": "Rimouski-en"}, "region": "01"}]}
    table = parse(rendering.regions_table(regions, itq, LABELS, "fr"))
    rows = table.find("tbody").find_all("tr")
    assert [row.th.get_text() for row in rows] == ["Bas-Saint-Laurent", "Mauricie"]
    assert [li.get_text() for li in rows[0].find_all("li")] == [
        "head_office-fr", "office-fr", "business_location-fr\u00a0: Rimouski", "csri-fr — Rimouski"]
    assert rows[1].find("li") is None and "no_mention-fr" in rows[1].get_text()
    english = parse(rendering.regions_table(regions, itq, LABELS, "en")).find("tbody").find("tr")
    assert [li.get_text() for li in english.find_all("li")] == [
        "head_office-en", "office-en", "business_location-en: Rimouski-en", "csri-en — Rimouski-en"]


def test_contact_block_gives_address_and_email_as_the_plan_does():
    itq = {"name": "ITQ", "email": "a@b.qc.ca", "website": "https://example.org/x",
           "head_office": {"street": "1, rue", "floor": {"fr": "2e étage", "en": "2nd floor"},
                           "city": "Québec (Québec)", "postal_code": "G1S 2L2"}}
    block = parse(rendering.contact_block(itq, LABELS, "en")).find("address")
    assert block.find("a", href="mailto:a@b.qc.ca").get_text() == "a@b.qc.ca"
    assert block.find("a", href="https://example.org/x") is None  # the plan's contact block has no website line
    assert "2nd floor" in block.get_text()


@pytest.mark.parametrize("email", [None, "accessibilite@example.gouv.qc.ca"])
@pytest.mark.parametrize("days", [None, 10])
def test_accessibility_contact_and_answer_time_are_the_sites_settings(email, days):
    shown = parse(rendering.accessibility_contact({"accessibility_contact": email, "accessibility_response_days": days},
                                                  LABELS, "fr"))
    missing = {element[rendering.MISSING_SETTING] for element in shown.select(f"[{rendering.MISSING_SETTING}]")}
    if email:
        assert shown.find("a", href=f"mailto:{email}").get_text() == email
        assert ("Réponse en 10 jours." in shown.get_text()) == bool(days)
        assert missing == (set() if days else {"accessibility_response_days"})
    else:
        assert shown.find("a") is None and "accessibility_contact_missing-fr" in shown.get_text()
        assert missing == {"accessibility_contact"}


def test_edition_notes_list_every_record_with_its_date():
    labels = dict(LABELS, **{key: {"fr": f"{key}-fr", "en": f"{key}-en"} for key in (
        "edition_why", "edition_before", "edition_after", "edition_moved") + tuple(f"edition_{kind}" for kind in rendering.EDITION_KINDS)})
    records = [{"date": "2027-01-15", "kind": "erratum", "what": {"fr": "Quoi", "en": "What"},
                "why": {"fr": "Pourquoi", "en": "Why"},
                "changes": [{"where": "page:x", "before": "deux", "after": "trois"},
                            {"where": "page:x", "before": "quatre", "after": "quatre"}]},
               {"date": "2026-11-25", "kind": "ocr", "what": {"fr": "Lu", "en": "Read"},
                "why": {"fr": "OCR", "en": "OCR"}}]
    html = parse(rendering.edition_notes(records, labels, "en", "fr"))
    assert [h2.get_text() for h2 in html.find_all("h2")] == ["edition_erratum-en", "edition_ocr-en"]
    assert [t["datetime"] for t in html.find_all("time")] == ["2027-01-15", "2026-11-25"]
    assert [(q.get_text(), q["lang"]) for q in html.find_all("q")] == [("deux", "fr"), ("trois", "fr"), ("quatre", "fr")]
    changes = html.find("ul", class_="edition-changes").find_all("li")
    assert changes[-1].get_text() == "edition_moved-en: quatre"  # a move: the same text, quoted once


@pytest.mark.parametrize("lang, expected", [("fr", "31 mars 2021"), ("en", "March 31, 2021")])
def test_long_date_in_each_language(lang, expected):
    assert rendering.long_date(date(2021, 3, 31), lang) == expected


def test_action_table_links_to_each_sector():
    html = parse(rendering.action_table(tiny_plan(), LABELS, "en"))
    nav = html.find("nav", class_="table-sectors")
    assert nav["aria-label"] == "sectors_nav-en"
    for link in nav.find_all("a"):
        assert html.find(id=link["href"][1:]).name == "th"
    assert [li.get_text(" ", strip=True) for li in nav.find_all("li")] == ["Sector 1 (2)", "Sector 2 (3)"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_action_table_says_which_of_its_words_are_the_sites(lang):
    """The caption, the column headers and the links to the sectors are the site's: a note says so, visibly."""
    html = parse(rendering.action_table(tiny_plan(), LABELS, lang))
    note = html.find("p", class_="site-text")
    assert note.strong.get_text() == f"site_note-{lang}"
    assert f"action_table_site_text-{lang}" in note.get_text()
    assert note.find_previous("nav") is not None and note.find_next("table") is not None


def test_action_table_header_cells_sit_over_their_columns():
    table = parse(rendering.action_table(tiny_plan(), LABELS, "fr")).find("table")
    columns = [th["id"] for th in table.thead.find_all("th")]
    first_row = table.tbody.find("tr").find_all(["th", "td"], recursive=False)
    assert [cell["headers"][0] for cell in first_row] == columns
