"""The plan as one accessible PDF per language (PDF/UA-1), made from the pages the build has just rendered.

The PDF holds no text of its own: a cover and a table of contents from data/, then the content of
every page of the language, in navigation order (the one list of pages, plan_ovt.pages), without a
page's own navigation (<nav>: the table's links to its sectors). Links
between pages become links inside the PDF; ids are made unique per page; a table cell that spans
rows is repeated in each of them (PDF readers and checkers disagree about row spans); words of
another language keep their language in the structure tree. WeasyPrint lays it out
with pdf.css and the fonts of FONT_FILES, which are embedded. It reads nothing else but the files of the
site its pages show (an image of docs/): no other file, no network (SiteFiles).
"""

import copy
import hashlib
import logging
import os
from contextlib import contextmanager
from importlib.metadata import version
from html import escape
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

import lxml.html
import pydyf
from mkdocs.exceptions import PluginError

from plan_ovt.findings import message
from plan_ovt import rendering
from plan_ovt.rendering import text
from plan_ovt.typography import LANGUAGE_SPAN

STYLESHEET = Path(__file__).parent / "pdf.css"
# Liberation Sans and Mono (SIL Open Font License), from Debian's fonts-liberation package.
FONT_DIR = Path("/usr/share/fonts/truetype/liberation")
FONT_PACKAGE = "fonts-liberation"
FONT_FILES = {
    ("Liberation Sans", "normal", "normal"): "LiberationSans-Regular.ttf",
    ("Liberation Sans", "bold", "normal"): "LiberationSans-Bold.ttf",
    ("Liberation Sans", "normal", "italic"): "LiberationSans-Italic.ttf",
    ("Liberation Sans", "bold", "italic"): "LiberationSans-BoldItalic.ttf",
    ("Liberation Mono", "normal", "normal"): "LiberationMono-Regular.ttf",
    ("Liberation Mono", "bold", "normal"): "LiberationMono-Bold.ttf",
}
# Resolves the pages' relative links and images: an image of the site is read from the site's files.
_BASE = "https://site.invalid/"
_ID_REFERENCES = ("headers", "aria-labelledby", "aria-describedby", "for")
# The elements whose language the PDF's structure tree carries (_languages).
_LANGUAGE_TAGS = ("span", "th", "td")


# Assembling the document


def site_path(lang, languages, publication):
    """Site-relative path of a language's PDF, in that language's folder: the name set in
    data/publication.yml, followed by the language code but for the default language."""
    if lang == languages[0]:
        return f"{publication['pdf_file']}.pdf"
    return f"{lang}/{publication['pdf_file']}-{lang}.pdf"


def document_html(sections, lang, data, site_url, official_pdf_url=None, edition=None):
    """One HTML document: cover, table of contents, then each section ({"key", "url", "content"}).

    `official_pdf_url`, for a translation: where the official (default language) PDF is.
    `edition` ({"count", "changes", "note_url"}): how many notes on the edition there are, how many of them
    change the text, and where they are listed.
    The publication's status (data/publication.yml) is on the cover and in the document's keywords.
    """
    plan, itq, labels = data["plan"], data["itq"], data["labels"]
    status = data["publication"]["status"]
    urls = {section["url"]: section["key"] for section in sections}
    bodies = [_section(section, urls, site_url) for section in sections]
    contents = "".join(f'<li><a href="#{key}">{escape(title)}</a></li>' for key, title, _ in bodies)
    note = ""
    if edition is not None:
        note += (f'<p class="cover-note">'
                 + escape(labels["pdf_edition"][lang].format(date=rendering.long_date(plan["approved_on"], lang),
                                                             count=edition["count"], changes=edition["changes"]))
                 + "</p>")
        if edition["note_url"]:
            note += (f'<p class="cover-note">{text(labels["pdf_edition_note"], lang)} '
                     f'<a href="{escape(edition["note_url"])}">{escape(edition["note_url"])}</a></p>')
    if official_pdf_url:
        link = f'<a href="{escape(official_pdf_url)}">{escape(official_pdf_url)}</a>'
        note += f'<p class="cover-note">{text(labels["pdf_official_text"], lang).format(link=link)}</p>'
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{text(plan['title'], lang)}</title>"
        f'<meta name="author" content="{escape(itq["name"])}">'
        f'<meta name="description" content="{text(plan["objective"], lang)}">'
        f'<meta name="keywords" content="{escape(status["state"])}, {escape(plain(status["title"][lang]))}">'
        f"</head><body>"
        f'<section class="cover"><p class="cover-publisher">{escape(itq["name"])} ({escape(itq["acronym"])})</p>'
        f'<p class="cover-title">{text(plan["title"], lang)}</p>'
        f'<p class="cover-period">{escape(plan["period"])}</p>'
        f'<p class="cover-status"><strong>{text(status["title"], lang)}</strong> {text(status["text"], lang)}</p>'
        f'{note}</section>'
        f'<section class="contents"><h1>{text(labels["contents"], lang)}</h1><ol>{contents}</ol></section>'
        + "".join(body for _, _, body in bodies)
        + "</body></html>")


def plain(value):
    """A data text without the site's language marks ([texte]{lang=fr} is texte), for the PDF's properties."""
    return LANGUAGE_SPAN.sub(r"\1", value)


def _section(section, urls, site_url):
    """(key, title, html) of one page: ids prefixed by the page's key, links pointed inside the PDF."""
    key = section["key"]
    root = lxml.html.fragment_fromstring(section["content"], create_parent="section")
    root.set("class", "page")
    # A page's own navigation (the table's links to its sectors) leads around the site's page: the PDF
    # has its table of contents and prints the plan, not the site's ways through it.
    for nav in list(root.iter("nav")):
        nav.drop_tree()
    for table in root.iter("table"):
        _without_row_spans(table)
    _languages_on_spans(root)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("id"):
            element.set("id", f"{key}--{element.get('id')}")
        for name in _ID_REFERENCES:
            if element.get(name):
                element.set(name, " ".join(f"{key}--{ref}" for ref in element.get(name).split()))
        if element.tag == "a" and element.get("href"):
            element.set("href", _pdf_link(element.get("href"), section["url"], key, urls, site_url))
        if element.get("src"):
            element.set("src", urljoin(_BASE + section["url"], element.get("src")))
    root.set("id", key)
    heading = next(root.iter("h1"), None)
    title = heading.text_content().strip() if heading is not None else key
    return key, title, lxml.html.tostring(root, encoding="unicode")


def _without_row_spans(table):
    """Repeat each cell that spans rows in every row it spans, so every row of the PDF's table holds
    all its cells: a copy gets its own id (its row's number added), and the cells of its row that
    named the spanning cell in `headers` name the copy instead, the header of their own row."""
    for group in [table, *table.findall("thead"), *table.findall("tbody"), *table.findall("tfoot")]:
        carried = {}  # column → [cell that spans, rows left]
        for number, row in enumerate(group.findall("tr")):
            cells, placed, column, renamed = [c for c in row if c.tag in ("th", "td")], [], 0, {}
            while cells or any(start >= column for start in carried):
                if column in carried:
                    source = carried[column][0]
                    cell = copy.deepcopy(source)
                    if source.get("id"):
                        cell.set("id", f"{source.get('id')}-{number}")
                        renamed[source.get("id")] = cell.get("id")
                    carried[column][1] -= 1
                    if carried[column][1] == 0:
                        del carried[column]
                elif cells:
                    cell = cells.pop(0)
                    span = int(cell.attrib.pop("rowspan", "1") or 1)
                    if span > 1:
                        if cell.get("scope") == "rowgroup":
                            cell.set("scope", "row")
                        carried[column] = [copy.deepcopy(cell), span - 1]
                else:
                    column += 1
                    continue
                placed.append(cell)
                column += int(cell.get("colspan", "1") or 1)
            for cell in placed:
                if cell.get("headers"):
                    cell.set("headers", " ".join(renamed.get(name, name) for name in cell.get("headers").split()))
            for cell in [c for c in row if c.tag in ("th", "td")]:
                row.remove(cell)
            for cell in placed:
                row.append(cell)


def _languages_on_spans(root):
    """Carry an element's `lang` on a span around its content, unless it is a span or a table cell:
    the PDF gives its structure tree's languages to those (_languages)."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or not element.get("lang") or element.tag in _LANGUAGE_TAGS:
            continue
        span = lxml.html.Element("span", lang=element.attrib.pop("lang"))
        span.text, element.text = element.text, None
        for child in list(element):
            span.append(child)
        element.append(span)


def _pdf_link(href, page_url, key, urls, site_url):
    """A page's link as it works in the PDF: to a section or an anchor of it, or to the site on the Web."""
    if urlsplit(href).scheme:
        return href
    if href.startswith("#"):
        return f"#{key}--{href[1:]}" if href[1:] else f"#{key}"
    target = urlsplit(urljoin(_BASE + page_url, href))
    path = target.path[len(urlsplit(_BASE).path):]
    if path in urls:
        return f"#{urls[path]}--{target.fragment}" if target.fragment else f"#{urls[path]}"
    return urljoin(site_url, path) + (f"#{target.fragment}" if target.fragment else "")


# Rendering


def font_faces():
    """@font-face rules for the embedded fonts, or a PluginError naming the Debian package to install."""
    missing = [name for name in FONT_FILES.values() if not (FONT_DIR / name).is_file()]
    if missing:
        raise PluginError(str(message(
            str(FONT_DIR / missing[0]), None, None,
            "police introuvable pour le PDF du plan",
            f"installez le paquet Debian {FONT_PACKAGE} (apt-get install {FONT_PACKAGE})",
            "font not found for the plan's PDF",
            f"install the Debian package {FONT_PACKAGE} (apt-get install {FONT_PACKAGE})")))
    return "".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{(FONT_DIR / name).as_uri()}"); }}\n'
        for (family, weight, style), name in FONT_FILES.items())


def cache_key(html):
    """What the PDF of `html` is made from, hashed: the document, the stylesheet, the fonts, this
    module (its finishing touches) and the versions of WeasyPrint and pydyf."""
    digest = hashlib.sha256()
    for part in (html, STYLESHEET.read_text(encoding="utf-8"), font_faces(), Path(__file__).read_text(encoding="utf-8"),
                 version("weasyprint"), version("pydyf")):
        digest.update(part.encode("utf-8") + b"\0")
    for name in FONT_FILES.values():
        digest.update((FONT_DIR / name).read_bytes())
    return digest.hexdigest()


def render(html, site_folders):
    """The PDF/UA-1 bytes of `html`; any WeasyPrint warning or error stops the build.

    `site_folders`: where the site's files are (docs/, and the default language's folder, whose pages
    are at the site's root); an image of a page is read there, and nowhere else.
    """
    # Imported here: WeasyPrint loads Pango when imported, which `mkdocs serve` never needs.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    fetcher = site_files(site_folders)
    fonts = FontConfiguration()
    with _weasyprint_problems() as problems:
        try:
            stylesheets = [CSS(string=font_faces(), url_fetcher=fetcher, font_config=fonts),
                           CSS(filename=str(STYLESHEET), url_fetcher=fetcher, font_config=fonts)]
            pdf = HTML(string=html, base_url=_BASE, url_fetcher=fetcher).write_pdf(
                stylesheets=stylesheets, font_config=fonts, pdf_variant="pdf/ua-1", pdf_identifier=b"plan-ovt",
                finisher=_finish)
        except FatalURLFetchingError as error:
            problems.append(str(error.__cause__ or error))
    if problems:
        raise PluginError("Le PDF du plan n’a pas pu être produit (The plan's PDF could not be made):\n"
                          + "\n".join(problems))
    return pdf


def site_files(site_folders):
    """A WeasyPrint URL fetcher that reads only the PDF's fonts and stylesheet, and the site's files that
    the pages show; any other address (another file, the network, data:) stops the PDF, in French."""
    from weasyprint.urls import URLFetcher

    allowed = {os.path.realpath(FONT_DIR / name) for name in FONT_FILES.values()} | {os.path.realpath(STYLESHEET)}
    folders = [os.path.realpath(folder) for folder in site_folders]

    class SiteFiles(URLFetcher):
        def fetch(self, url, headers=None):
            path = None
            if url.startswith(_BASE):
                relative = unquote(urlsplit(url).path[len(urlsplit(_BASE).path):])
                found = [os.path.realpath(os.path.join(folder, relative)) for folder in folders]
                path = next((candidate for candidate, folder in zip(found, folders)
                             if Path(candidate).is_relative_to(folder) and os.path.isfile(candidate)), None)
            elif url.startswith("file:"):
                candidate = os.path.realpath(url2pathname(urlsplit(url).path))
                path = candidate if candidate in allowed else None
            if path is None:
                shown = url[len(_BASE):] if url.startswith(_BASE) else url
                raise ValueError(str(message(
                    "PDF", None, None, f"adresse refusée dans une page du plan : « {shown[:200]} »",
                    "une image d’une page est un fichier du site (docs/assets/images/…), écrit avec un chemin "
                    "relatif ; retirez l’adresse ou remplacez-la par un tel fichier",
                    f"address refused in a page of the plan: '{shown[:200]}'",
                    "an image of a page is a file of the site (docs/assets/images/…), written with a relative path; "
                    "remove the address or replace it with such a file", rule="pdf")))
            return super().fetch(Path(path).as_uri(), headers)

    return SiteFiles(allowed_protocols={"file"}, fail_on_errors=True)


def _finish(document, pdf):
    """Last touches on WeasyPrint's PDF objects, before the file is written."""
    _table_headers(document)
    _languages(document, pdf)
    _pagination_artifacts(pdf)
    _printed_links(pdf)


def _table_headers(document):
    """Tie each table cell to the header cells its HTML `headers` attribute names, on the same page.

    WeasyPrint guesses headers from cell positions; the HTML says exactly which headers each cell has
    (plan_ovt.rendering, and the copies of _without_row_spans). Header cells also get their scope.
    """
    for page in document.pages:
        cells = [box for box in _boxes(page._page_box)
                 if box.element is not None and box.element_tag in ("th", "td") and hasattr(box, "mark")]
        header_ids = {box.element.get("id"): box.mark["ID"] for box in cells
                      if box.element_tag == "th" and box.element.get("id") and "ID" in box.mark}
        for box in cells:
            if box.element_tag == "th":
                scope = box.element.get("scope", "col")
                box.mark["A"]["Scope"] = "/Column" if scope in ("col", "colgroup") else "/Row"
            if box.element.get("headers"):
                box.mark["A"]["Headers"] = pydyf.Array(
                    [header_ids[name] for name in box.element.get("headers").split() if name in header_ids])


def _languages(document, pdf):
    """Give the structure element of each span or table cell with a `lang` its /Lang (PDF/UA-1, 7.2).

    WeasyPrint tags a span as a /Span, but keeps no link from the box to it: it makes one per span box
    (a piece of the span on one line), page after page, in the order of the boxes
    (pdf.tags._build_box_tree), besides a /Span for each run of text, which holds just its MCID. If the two counts differ, WeasyPrint changed: the build stops.
    """
    from weasyprint.formatting_structure.boxes import TextBox

    spans = [box for page in document.pages for box in _boxes(page._page_box)
             if box.element is not None and box.element_tag == "span" and not isinstance(box, TextBox)]
    tagged = [item for item in pdf.objects if isinstance(item, dict) and item.get("Type") == "/StructElem"
              and item.get("S") == "/Span" and not (len(item["K"]) == 1 and isinstance(item["K"][0], int))]
    if len(spans) != len(tagged):
        raise PluginError(f"Le PDF ne peut pas porter la langue des passages : WeasyPrint {version('weasyprint')} "
                          f"balise {len(tagged)} span pour {len(spans)} (plan_ovt/pdf.py, _languages). "
                          f"(The PDF cannot carry the passages' language: WeasyPrint tags {len(tagged)} spans "
                          f"for {len(spans)}.)")
    marked = [(box, box.mark) for page in document.pages for box in _boxes(page._page_box)
              if box.element is not None and box.element_tag in ("th", "td") and hasattr(box, "mark")]
    for box, element in [*zip(spans, tagged), *marked]:
        if box.element.get("lang"):
            element["Lang"] = pydyf.String(box.element.get("lang"))


def _boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


def _pagination_artifacts(pdf):
    """Mark the page numbers as pagination artifacts, as PDF/UA-1 wants.

    WeasyPrint tags the text of the page margins but leaves it out of the structure tree (its pydyf
    objects are edited here, before the file is written): such content must be an /Artifact instead.
    """
    def get(reference):
        return pdf.objects[int(reference.split()[0])]

    root = get(pdf.catalog["StructTreeRoot"])
    in_tree, pending = set(), list(root["K"])
    while pending:
        element = get(pending.pop())
        in_tree.add(element.number)
        pending += [kid for kid in element.get("K", []) if isinstance(kid, bytes)]
    parent_tree = get(root["ParentTree"])["Nums"]
    for number, page in enumerate(pdf.page_references):
        # Nums starts with each page's number and its array: MCID → structure element.
        parents = parent_tree[2 * number + 1]
        stream = get(get(page)["Contents"]).stream
        for index, item in enumerate(stream):
            if isinstance(item, dict) and "MCID" in item and get(parents[item["MCID"]]).number not in in_tree:
                stream[index - 1: index + 1] = ["/Artifact", pydyf.Dictionary({"Type": "/Pagination"})]
                parents[item["MCID"]] = "null"


def _printed_links(pdf):
    """Link annotations carry the Print flag (PDF/UA-1, Matterhorn 28-010): printed as shown on screen."""
    for item in pdf.objects:
        if isinstance(item, dict) and item.get("Type") == "/Annot" and item.get("Subtype") == "/Link":
            item["F"] = 1 << 2


@contextmanager
def _weasyprint_problems():
    """Collect WeasyPrint's warnings and errors (a missing alt text, an unknown CSS property…)."""
    problems = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: problems.append(record.getMessage())
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield problems
    finally:
        logger.removeHandler(handler)
