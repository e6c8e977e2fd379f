"""The plan's PDF in each language: made by the build from the pages and data/, PDF/UA-1, outline, text.

The PDF/UA checks here are the machine-checkable ones (structure tree, marked content, language,
title, identification, fonts, links); reading the PDF with a screen reader stays a human check.
"""

import io
import re
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import outloud
import pikepdf
import pytest
from mkdocs.exceptions import PluginError
from outloud.model import Document
from outloud.rules._common import element_text
from outloud.rules.tables import Cell, Grid, grid_of
from pypdf import PdfReader

from conftest import ALL_PAGES, CONFIG, CONTENT, LANGUAGES, PAGE_PAIRS, ROOT, build, page_id
from plan_ovt import exports, fidelity, opendata, pdf, rendering
from plan_ovt.loading import load_data

DATA = load_data(CONTENT / "data", LANGUAGES)
PDF_PATHS = {lang: pdf.site_path(lang, LANGUAGES, DATA["publication"]) for lang in LANGUAGES}


def normalize(text):
    return " ".join(text.split())


@pytest.fixture(scope="session")
def pdf_file(site):
    opened = {}

    def open_pdf(lang):
        if lang not in opened:
            opened[lang] = pikepdf.open(Path(site) / PDF_PATHS[lang])
        return opened[lang]
    yield open_pdf
    for document in opened.values():
        document.close()


@pytest.fixture(scope="session")
def pdf_text(site):
    return lambda lang: normalize(" ".join(page.extract_text() for page in PdfReader(Path(site) / PDF_PATHS[lang]).pages))


def kids(element):
    k = element.get("/K")
    items = list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]
    return [item for item in items if isinstance(item, pikepdf.Dictionary) and "/S" in item]


def structure(document):
    """Every structure element of the tree, depth first."""
    pending, elements = list(document.Root.StructTreeRoot.K), []
    while pending:
        element = pending.pop(0)
        elements.append(element)
        pending[:0] = kids(element)
    return elements


PLAN_KEYS = fidelity.plan_page_keys(CONTENT, DATA["changes"])


def sections(soup, lang, keys=PLAN_KEYS):
    """[(h1, [h2, …])] of every page of the plan in a language, in navigation order, as the site shows them."""
    result = []
    for pair in PAGE_PAIRS:
        if pair[lang]["key"] not in keys:
            continue
        article = soup(pair[lang]["url"]).find("article")
        result.append((normalize(article.find("h1").get_text()),
                       [normalize(h2.get_text()) for h2 in article.find_all("h2")]))
    return result


# The structure a screen reader needs


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_is_tagged_with_headings_paragraphs_lists_and_tables(pdf_file, lang):
    document = pdf_file(lang)
    assert document.Root.MarkInfo.Marked is True
    tags = {str(element.S) for element in structure(document)}
    assert {"/Document", "/H1", "/H2", "/P", "/L", "/LI", "/LBody", "/Table", "/TR", "/TH", "/TD", "/Link"} <= tags


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_title_and_pdf_ua_identification(pdf_file, lang):
    document = pdf_file(lang)
    title = DATA["plan"]["title"][lang]
    assert str(document.Root.Lang) == lang
    assert str(document.docinfo["/Title"]) == title
    assert document.Root.ViewerPreferences.DisplayDocTitle is True
    metadata = document.open_metadata()
    assert metadata["dc:title"] == title
    assert metadata["pdfuaid:part"] == "1"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_marked_content_is_in_the_tree_or_an_artifact(pdf_file, lang):
    """Text drawn on a page is either reachable from the structure tree or marked /Artifact (page numbers)."""
    document = pdf_file(lang)
    in_tree = {element.objgen for element in structure(document)}
    nums = document.Root.StructTreeRoot.ParentTree.Nums
    parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    outside, pagination = [], 0
    for number, page in enumerate(document.pages, start=1):
        parents = parent_tree[int(page.obj.StructParents)]
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) != "BDC":
                continue
            tag, properties = operands
            if tag == "/Artifact":
                pagination += properties.get("/Type") == "/Pagination"
            elif parents[int(properties.MCID)].objgen not in in_tree:
                outside.append(number)
    assert outside == []
    assert pagination == len(document.pages) - 1  # every page is numbered but the cover


@pytest.mark.parametrize("lang", LANGUAGES)
def test_table_cells_name_their_header_cells(pdf_file, lang):
    """Each data cell points at existing header cells of its own table, and the action table's at two."""
    document = pdf_file(lang)
    tables = [element for element in structure(document) if element.S == "/Table"]
    assert tables
    for table in tables:
        cells = []
        pending = kids(table)
        while pending:
            element = pending.pop(0)
            cells += [element] if element.S in ("/TH", "/TD") else []
            pending[:0] = [] if element.S in ("/TH", "/TD") else kids(element)
        header_ids = {str(cell.ID) for cell in cells if cell.S == "/TH"}
        for cell in cells:
            if cell.S == "/TD":
                headers = [str(header) for header in cell.A.Headers]
                assert headers and set(headers) <= header_ids
            else:
                assert cell.A.Scope in ("/Column", "/Row")
    # The action table's cells have two headers each: their column and their sector.
    assert any(len(cell.A.Headers) == 2 for cell in structure(document) if cell.S == "/TD")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_fonts_are_embedded(pdf_file, lang):
    fonts = {}
    for page in pdf_file(lang).pages:
        for name, font in page.Resources.get("/Font", {}).items():
            fonts[str(font.BaseFont)] = font
    assert any("Liberation" in name for name in fonts), list(fonts)
    for name, font in fonts.items():
        descriptor = font.DescendantFonts[0].FontDescriptor if "/DescendantFonts" in font else font.FontDescriptor
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, name
        assert "/ToUnicode" in font, name


# Outline, text, links


@pytest.mark.parametrize("lang", LANGUAGES)
def test_outline_has_every_page_h1_and_its_h2(pdf_file, soup, lang):
    with pdf_file(lang).open_outline() as outline:
        shown = [(normalize(item.title), [normalize(child.title) for child in item.children])
                 for item in outline.root]
    assert shown == sections(soup, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_site_pages_are_not_in_the_pdf(pdf_file, pdf_text, soup, lang):
    site_pages = [pair[lang]["key"] for pair in PAGE_PAIRS if pair[lang]["key"] not in PLAN_KEYS]
    assert site_pages, "the site adds pages of its own around the plan"
    with pdf_file(lang).open_outline() as outline:
        titles = [normalize(item.title) for item in outline.root]
    for h1, _ in sections(soup, lang, keys=site_pages):
        assert h1 not in titles


@pytest.mark.parametrize("lang", LANGUAGES)
def test_cover_says_which_edition_and_where_its_note_is(site, lang):
    cover = normalize(PdfReader(Path(site) / PDF_PATHS[lang]).pages[0].extract_text())
    applied = fidelity.applied(DATA["changes"])
    assert rendering.long_date(DATA["plan"]["approved_on"], lang) in cover
    # As many notes as the note on the edition lists, and how many of them change the text.
    assert normalize(DATA["labels"]["pdf_edition"][lang].format(
        date=rendering.long_date(DATA["plan"]["approved_on"], lang), count=len(DATA["changes"]),
        changes=len(applied))) in cover
    note = next(pair[lang]["url"] for pair in PAGE_PAIRS if pair[lang]["key"] == DATA["publication"]["edition_note_page"])
    assert CONFIG["site_url"] + note in cover.replace(" ", "")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_cover_and_properties_give_the_publications_status(site, lang):
    reader = PdfReader(Path(site) / PDF_PATHS[lang])
    cover = normalize(reader.pages[0].extract_text())
    status = DATA["publication"]["status"]
    for part in ("title", "text"):
        assert normalize(pdf.plain(status[part][lang])) in cover
    assert reader.metadata["/Keywords"] == f"{status['state']}, {pdf.plain(status['title'][lang])}"


def test_the_translations_cover_says_the_official_text_is_the_default_languages(site):
    for lang in LANGUAGES[1:]:
        cover = normalize(PdfReader(Path(site) / PDF_PATHS[lang]).pages[0].extract_text())
        official = CONFIG["site_url"] + PDF_PATHS[LANGUAGES[0]]
        assert normalize(DATA["labels"]["pdf_official_text"][lang].format(link="")) in cover
        assert official in cover.replace(" ", "")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_text_has_every_section_title_in_reading_order(pdf_text, soup, lang):
    text = pdf_text(lang)
    position = 0
    for h1, h2s in sections(soup, lang):
        for title in [h1, *h2s]:
            found = text.find(title, position)
            assert found >= 0, title
            position = found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_text_has_every_action_of_the_plan(pdf_text, lang):
    text = pdf_text(lang)
    actions = [normalize(opendata.plain(action["text"][lang])) for sector in DATA["plan"]["sectors"] for action in sector["actions"]]
    assert [action for action in actions if action not in text] == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_cover_gives_publisher_title_and_period(site, lang):
    cover = normalize(PdfReader(Path(site) / PDF_PATHS[lang]).pages[0].extract_text())
    assert DATA["itq"]["name"] in cover
    assert normalize(DATA["plan"]["title"][lang]) in cover
    assert DATA["plan"]["period"] in cover


@pytest.mark.parametrize("lang", LANGUAGES)
def test_links_lead_inside_the_pdf_or_to_the_web(pdf_file, lang):
    document = pdf_file(lang)
    names, pending = set(), [document.Root.Names.Dests]
    while pending:
        node = pending.pop()
        names |= {str(name) for name in list(node.get("/Names", []))[::2]}
        pending += list(node.get("/Kids", []))
    internal, external = [], []
    for page in document.pages:
        for annotation in page.get("/Annots", []):
            assert "/StructParent" in annotation and "/Contents" in annotation
            if "/Dest" in annotation:
                internal.append(str(annotation.Dest))
            else:
                external.append(str(annotation.A.URI))
    assert internal and set(internal) <= names
    # The web, e-mail, or a file of the site at its public address (site_url, a loopback one in the tests).
    assert all(uri.startswith(("https://", "mailto:", CONFIG["site_url"])) for uri in external), external


# The link on every page


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_every_page_offers_its_language_pdf_with_its_real_size(site, soup, page):
    lang, _, _, url = page
    links = soup(url).select('a[type="application/pdf"]')
    assert len(links) == 1
    target = urljoin("https://h/" + url, links[0]["href"])
    assert target == "https://h/" + PDF_PATHS[lang]
    size = (Path(site) / PDF_PATHS[lang]).stat().st_size
    label = DATA["labels"]["pdf_version"][lang]
    assert links[0].get_text(strip=True) == f"{label} ({rendering.file_size(size, DATA['labels'], lang)})"
    assert re.fullmatch(r"\d[\d\u00a0]*\u00a0" + {"fr": "Ko", "en": "KB"}[lang],
                        rendering.file_size(size, DATA["labels"], lang))


# Made only when what it is made from changed


def test_a_pdf_is_made_again_only_when_its_sources_change(project, tmp_path):
    """The first build makes both PDFs (at the same time, in worker processes) and gives every page
    their size; the next reuses them from .cache/pdf; a changed page makes its language's PDF again."""
    assert build(project, tmp_path / "first").returncode == 0
    cached = sorted((project / ".cache" / "pdf").glob("*.pdf"))
    assert len(cached) == len(LANGUAGES)
    home = (tmp_path / "first" / "index.html").read_text(encoding="utf-8")
    size = (tmp_path / "first" / PDF_PATHS[LANGUAGES[0]]).stat().st_size
    assert f"({rendering.file_size(size, DATA['labels'], LANGUAGES[0])})" in home
    assert exports.SIZE_PENDING.format(lang=LANGUAGES[0]) not in home
    # Marked copies: a build that takes its PDFs from the cache writes these bytes.
    for path in cached:
        path.write_bytes(path.read_bytes() + b"%cached\n")
    assert build(project, tmp_path / "second").returncode == 0
    for lang in LANGUAGES:
        assert (tmp_path / "second" / PDF_PATHS[lang]).read_bytes().endswith(b"%cached\n")
    page = project / "docs" / LANGUAGES[0] / PAGE_PAIRS[1][LANGUAGES[0]]["file"]
    page.write_text(page.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    assert build(project, tmp_path / "third").returncode == 0
    assert not (tmp_path / "third" / PDF_PATHS[LANGUAGES[0]]).read_bytes().endswith(b"%cached\n")
    assert "Une phrase de plus." in normalize(" ".join(
        p.extract_text() for p in PdfReader(tmp_path / "third" / PDF_PATHS[LANGUAGES[0]]).pages))
    for lang in LANGUAGES[1:]:
        assert (tmp_path / "third" / PDF_PATHS[lang]).read_bytes().endswith(b"%cached\n")


# Printing a page of the site


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_every_page_links_the_stylesheet_with_the_print_rules(soup, page):
    _, _, _, url = page
    sheets = [urljoin("https://h/" + url, link["href"]) for link in soup(url).find_all("link", rel="stylesheet")]
    assert "https://h/assets/stylesheets/extra.css" in sheets


def test_print_stylesheet_hides_the_chrome_shows_link_targets_and_keeps_rows_whole():
    css = " ".join((ROOT / "overrides/assets/stylesheets/extra.css").read_text(encoding="utf-8").split())
    css = css[css.index("/* Printing a page of the site"):]
    assert "@media print {" in css
    hidden = css[css.index("@media print {"):css.index("display: none !important;")]
    for chrome in (".md-header", ".md-tabs", ".md-sidebar", ".md-search", ".md-footer", ".plan-download"):
        assert chrome in hidden
    assert 'a[href^="http"]::after { content: " (" attr(href) ")";' in css
    assert "break-inside: avoid;" in css[css.index(".md-typeset td:not([rowspan])"):]


# Unit tests, on tiny documents


def test_a_pages_own_navigation_is_not_printed():
    """The table's links to its sectors lead around the site's page: the PDF has its table of contents."""
    sections_in = [{"key": "t", "url": "t.html",
                    "content": '<h1>T</h1><nav aria-label="n"><ul><li><a href="#s">jump</a> (2)</li></ul></nav>'
                               '<table><tbody><tr><th id="s">S</th></tr></tbody></table>'}]
    html = pdf.document_html(sections_in, "fr", DATA, "https://site.org/")
    assert "<nav" not in html and "jump" not in html and 'id="t--s"' in html


def test_links_between_pages_become_links_inside_the_pdf():
    sections_in = [
        {"key": "index", "url": "index.html", "content": '<h1 id="top">A</h1><a href="b.html#x">b</a>'},
        {"key": "b", "url": "b.html",
         "content": '<h1 id="top">B</h1><p id="x">x</p><a href="#top">top</a><a href="https://e.org/">e</a>'
                    '<a href="donnees/f.csv">f</a><table><th id="h">h</th><td headers="h">c</td></table>'},
    ]
    html = pdf.document_html(sections_in, "fr", DATA, "https://site.org/")
    assert 'href="#b--x"' in html and 'href="#b--top"' in html and 'href="https://e.org/"' in html
    assert 'href="https://site.org/donnees/f.csv"' in html
    assert 'id="index--top"' in html and 'id="b--top"' in html and 'headers="b--h"' in html
    assert '<li><a href="#index">A</a></li><li><a href="#b">B</a></li>' in html
    assert html.startswith('<!DOCTYPE html><html lang="fr">')


def test_a_missing_font_stops_the_build_naming_the_package(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "FONT_DIR", tmp_path)
    with pytest.raises(PluginError, match="apt-get install fonts-liberation"):
        pdf.font_faces()


@pytest.mark.parametrize("command, setting, wanted", [
    ("build", "", True), ("gh-deploy", "", True), ("serve", "", False), ("serve", "1", True), ("build", "0", False)])
def test_the_live_preview_skips_the_pdf(command, setting, wanted):
    assert exports.pdf_wanted(command, setting) is wanted


# Bad data: the build stops before writing any PDF or open data file


@pytest.mark.parametrize("file, old, new", [
    ("data/plan.yml", "period: 2020-2022", "period: [2020-2022"),
    ("data/publication.yml", "pdf_file: plan-ovt-2020-2022", "pdf_file: plan ovt.pdf"),
])
def test_bad_data_writes_no_pdf_nor_open_data(project, tmp_path, file, old, new):
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    site_dir = tmp_path / "out"
    result = build(project, site_dir)
    assert result.returncode != 0
    assert "Données invalides" in result.stderr
    written = [path for pattern in ("*.pdf", "*.json", "*.csv") for path in site_dir.rglob(pattern)]
    assert written == []


# Tables: a regular grid, every data cell tied to its headers


def table_grids(path):
    document = Document(str(path))
    return [grid_of(document, table) for table in document.elements_of("Table")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_table_row_holds_all_its_cells_none_spans_rows(site, lang):
    """Readers and checkers disagree about row spans: the PDF repeats a spanning cell in each of its rows."""
    grids = table_grids(Path(site) / PDF_PATHS[lang])
    assert grids
    for grid in grids:
        assert [cell for cell in grid.cells if cell.rowspan != 1] == []
        assert len({sum(cell.colspan for cell in row) for row in grid.rows}) == 1, [len(row) for row in grid.rows]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_data_cell_names_its_column_header_and_its_rows(site, lang):
    """A data cell's /Headers hold the header cell above it in the header row, and the row header of its
    own row if the row has one (the action table's sector, repeated in every row)."""
    for grid in table_grids(Path(site) / PDF_PATHS[lang]):
        head = [row for row in grid.rows if row and all(cell.kind == "TH" for cell in row)]
        assert head, "a table of the PDF has its header row on every page"
        columns = [cell.id for cell in head[0] for _ in range(cell.colspan)]
        for row in grid.rows[len(head):]:
            row_headers = {cell.id for cell in row if cell.kind == "TH"}
            column = 0
            for cell in row:
                if cell.kind == "TD":
                    assert columns[column] in cell.headers, (cell.text, cell.headers)
                    assert row_headers <= set(cell.headers), (cell.text, cell.headers)
                column += cell.colspan


def test_a_cell_spanning_rows_is_repeated_in_each_with_its_own_id():
    html = pdf.document_html([{"key": "t", "url": "t.html", "content":
        '<h1>T</h1><table><thead><tr><th id="a" scope="col">A</th><th id="b" scope="col">B</th>'
        '<th id="c" scope="col">C</th></tr></thead><tbody>'
        '<tr><th id="s" scope="rowgroup" rowspan="3">S</th><td headers="b s">1</td><td rowspan="2" headers="c s">x</td></tr>'
        '<tr><td headers="b s">2</td></tr><tr><td headers="b s">3</td><td headers="c s">y</td></tr></tbody></table>'}],
        "fr", DATA, "https://example.org/")
    rows = lxml.html.fromstring(html).findall(".//tbody/tr")
    assert [[cell.text_content() for cell in row] for row in rows] == [["S", "1", "x"], ["S", "2", "x"], ["S", "3", "y"]]
    assert [row[0].get("id") for row in rows] == ["t--s", "t--s-1", "t--s-2"]
    assert [row[1].get("headers") for row in rows] == ["t--b t--s", "t--b t--s-1", "t--b t--s-2"]
    assert {row[0].get("scope") for row in rows} == {"row"} and "rowspan" not in html


# Words of another language


def passages(document, lang):
    """The text of each structure element of `document` whose /Lang is `lang`, in reading order."""
    return [normalize(element_text(document, element)) for element in document.elements if element.lang == lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_words_of_another_language_keep_it_in_the_pdf(site, soup, lang):
    """Every passage of a plan page marked with another language (lang="…") is, in the language's PDF,
    in structure elements with that /Lang, in the same order."""
    document = Document(str(Path(site) / PDF_PATHS[lang]))
    for other in LANGUAGES:
        if other == lang:
            continue
        shown = []
        for pair in PAGE_PAIRS:
            if pair[lang]["key"] in PLAN_KEYS:
                # The page's content, from its title on (the PDF has the site's notices once, on its cover).
                title = soup(pair[lang]["url"]).find("article").find("h1")
                content = [title, *title.find_next_siblings()]
                shown += [normalize(element.get_text()) for part in content
                          for element in ([part] if part.get("lang") == other else part.find_all(lang=other))
                          if not element.find_parent(hidden=True) and not element.find_parent(lang=other)]
        tagged, position = " ".join(passages(document, other)), 0
        for passage in shown:
            found = tagged.find(passage, position)
            assert found >= 0, passage
            position = found + len(passage)


def test_a_span_a_quotation_and_a_cell_in_another_language_carry_it(tmp_path):
    html = pdf.document_html([{"key": "p", "url": "en/p.html", "content":
        '<h1>Title</h1><p>The <span lang="fr">Conseil du trésor</span> and <q lang="fr">en continu</q>.</p>'
        '<table><thead><tr><th scope="col" id="r">Region</th></tr></thead>'
        '<tbody><tr><th scope="row" lang="fr">Bas-Saint-Laurent</th></tr></tbody></table>'}],
        "en", DATA, "https://example.org/")
    (tmp_path / "p.pdf").write_bytes(pdf.render(html, []))
    document = Document(str(tmp_path / "p.pdf"))
    # After the cover, which gives the publication status.
    assert passages(document, "fr")[-3:] == ["Conseil du trésor", "en continu", "Bas-Saint-Laurent"]
    assert {element.type for element in document.elements if element.lang == "fr"} == {"Span", "TH"}


# An independent checker: outloud (PDF/UA-1 Matterhorn checkpoints and WCAG 2.2, PyPI)


def headers_are_whole(grid):
    """One header cell per column in the header rows; every other header cell is a row header.

    outloud reads more header cells than data cells as wrapped headings cut into pieces; in a table
    whose rows have a header cell (a data dictionary's column names, the regions), it is not.
    """
    width = max(sum(cell.colspan for cell in row) for row in grid.rows)
    heads = [row for row in grid.rows if row and all(cell.kind == "TH" for cell in row)]
    body = [cell for row in grid.rows if row not in heads for cell in row if cell.kind == "TH"]
    return (all(sum(cell.colspan for cell in row) == width for row in heads)
            and all(cell.scope == "Row" for cell in body))


def test_the_proof_tells_whole_headers_from_shredded_ones():
    def grid(*rows):
        return Grid(None, [[Cell(None, kind, "x", 1, 1, scope) for kind, scope in row] for row in rows])
    head = [("TH", "Column")] * 3
    assert headers_are_whole(grid(head, [("TD", None), ("TH", "Row"), ("TD", None)]))
    assert not headers_are_whole(grid(head, head[:2], [("TD", None)] * 3))
    assert not headers_are_whole(grid(head, [("TD", None), ("TH", None), ("TD", None)]))


# Findings outloud reports where the tags are right, each with what proves it on every table of its page.
MISREAD_TABLES = {"TBL-010": headers_are_whole}
# Warnings that remain, and why.
REMAINING_WARNINGS = {
    "ORD-001": "WeasyPrint paints the numbers and bullets of a list (outside markers) after its items",
}


@pytest.fixture(scope="session")
def outloud_report(site):
    reports = {}

    def report(lang):
        if lang not in reports:
            path = str(Path(site) / PDF_PATHS[lang])
            result, document = outloud.check(path), Document(path)
            assert result.error is None
            assert not [run.rule for run in result.runs if run.status == "crashed"]
            reports[lang] = {severity: unproven(result, document, severity) for severity in ("error", "warning")}
        return reports[lang]
    return report


def unproven(result, document, severity):
    """The findings of `severity` that no proof of MISREAD_TABLES shows to be misreadings."""
    left = []
    for finding in (finding for finding in result.findings if finding.severity == severity):
        tables = [table for table in document.elements_of("Table") if table.page == finding.page - 1]
        proof = MISREAD_TABLES.get(finding.rule)
        if not (proof and tables and all(proof(grid_of(document, table)) for table in tables)):
            left.append(f"{finding.rule} p. {finding.page}: {finding.message}")
    return left


@pytest.mark.parametrize("lang", LANGUAGES)
def test_outloud_finds_no_error(outloud_report, lang):
    assert outloud_report(lang)["error"] == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_outloud_warns_only_of_what_remains_for_a_reason(outloud_report, lang):
    assert [warning for warning in outloud_report(lang)["warning"]
            if warning.split()[0] not in REMAINING_WARNINGS] == []


# The PDF reads only the site's files


HOSTILE_REFERENCES = {
    # name: a line of a page that would make the PDF read something else than the site's files
    "file-image": '<img src="file://{canary}" alt="Carte">',
    "network-image": '<img src="http://127.0.0.1:9/carte.png" alt="Carte">',
    "data-image": '<img src="data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%2F%3E" alt="Carte">',
    "attachment": '<a rel="attachment" href="file://{canary}">Annexe</a>',
    "style": '<span style="background: url(file://{canary})">Texte</span>',
    "outside-the-site": '<img src="../../../../../../../../{canary}" alt="Carte">',
}


@pytest.mark.parametrize("name", HOSTILE_REFERENCES)
def test_the_pdf_reads_nothing_but_the_sites_files(tmp_path, name):
    canary = tmp_path / "canari.txt"
    canary.write_text("CANARI-du-PDF", encoding="utf-8")
    site_files = tmp_path / "docs"
    (site_files / "fr").mkdir(parents=True)
    html = pdf.document_html([{"key": "page", "url": "page.html", "content": "<h1>Titre</h1><p>"
                               + HOSTILE_REFERENCES[name].format(canary=canary) + "</p>"}],
                             "fr", DATA, "https://example.org/")
    with pytest.raises(PluginError, match="adresse refusée") as refused:
        pdf.render(html, [site_files, site_files / "fr"])
    assert "CANARI-du-PDF" not in str(refused.value)


def test_an_image_of_the_site_is_in_the_pdf(tmp_path):
    image = tmp_path / "docs/assets/images/point.png"
    image.parent.mkdir(parents=True)
    image.write_bytes(bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944"
                                    "4154789c6360000002000154a24f5d0000000049454e44ae426082"))
    html = pdf.document_html([{"key": "page", "url": "en/page.html", "content": "<h1>Title</h1>"
                               '<p><img src="../assets/images/point.png" alt="A point"></p>'}],
                             "en", DATA, "https://example.org/")
    document = pikepdf.open(io.BytesIO(pdf.render(html, [tmp_path / "docs", tmp_path / "docs/fr"])))
    assert any(page.get_images() for page in document.pages)


def test_a_hostile_image_in_a_page_stops_the_build(project, tmp_path):
    canary = tmp_path / "canari.txt"
    canary.write_text("CANARI-du-PDF", encoding="utf-8")
    page = project / "docs/fr/introduction.md"
    page.write_text(page.read_text(encoding="utf-8") + f'\n<img src="file://{canary}" alt="Carte">\n', encoding="utf-8")
    result = build(project, tmp_path / "site")
    # The page's own rule refuses it first (plan_ovt/markup_policy.py) and the sanitizer keeps it out of the
    # page, so the PDF never sees it: the strict build fails, and no PDF holds an image.
    assert result.returncode != 0 and "d’un autre site" in result.stderr and "Traceback" not in result.stderr
    assert "CANARI-du-PDF" not in result.stderr + result.stdout
    assert not any(page.get_images() for path in (tmp_path / "site").rglob("*.pdf")
                   for page in pikepdf.open(path).pages)
