"""Accessibility in a real browser (WCAG 2.2 AA, SGQRI 008 3.0), on every page of both languages.

The built site is served from a loopback HTTP server and opened in Debian's Chromium through
Playwright: axe-core in both palettes and at two widths, keyboard use, reflow at 320 px, text
spacing, page structure, and the requests each page makes.

Needs: `apt-get install chromium nginx` and `npm ci --ignore-scripts` (axe-core and HTML_CodeSniffer,
from package.json).
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from conftest import ALL_PAGES, CONFIG, LANGUAGES, PAGE_PAIRS, ROOT, counterpart, page_id
from plan_ovt.loading import load_data
from web_servers import start_nginx

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The second rule engine, beside axe: pa11y's HTML_CodeSniffer, its WCAG 2 AA standard (errors only).
HTMLCS = ROOT / "node_modules" / "html_codesniffer" / "build" / "HTMLCS.js"
LABELS = load_data(ROOT / "data", LANGUAGES)["labels"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Rules switched off, each with its reason. Empty: every rule of both sets runs.
AXE_DISABLED = {}
WIDTHS = {"desktop": 1280, "mobile": 375}
SCHEMES = {"light": "default", "dark": "slate"}
# The 404 page is not in the navigation but is a page visitors see.
AXE_PAGES = ALL_PAGES + [(ALL_PAGES[0][0], "404", "404.html", "404.html")]
# WCAG 1.4.12 text spacing, as the usual bookmarklet sets it.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; }
p { margin-bottom: 2em !important; }
"""


# Fixtures: the server and the browser are shared (conftest.py); a fresh browser context per page


@pytest.fixture
def open_page(browser, base_url):
    """open_page(url, width=1280, scheme="light") → a loaded page; page.requests lists every URL it asked for.

    Pages open with "reduce motion" set, as some visitors have it: Material then drops its transitions, so
    each key press shows its final state at once. axe-core checks the default, animated, pages.
    """
    contexts = []

    def open_(url, width=WIDTHS["desktop"], scheme="light", motion="reduce", height=800):
        # bypass_csp: axe-core is injected as an inline script; the site itself is tested under its
        # CSP in test_search_switcher_and_palette_run_under_the_csp.
        context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme,
                                      reduced_motion=motion, bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        page.goto(base_url + url)
        return page

    yield open_
    for context in contexts:
        context.close()


# Helpers


def settle(page):
    """Let Material's scripts react to the last key (two frames), then any animation finish (at most 1 s)."""
    page.evaluate("""async () => {
      const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
      await frame();
      await frame();
      await Promise.race([Promise.all(document.getAnimations().map(animation => animation.finished)),
                          new Promise(resolve => setTimeout(resolve, 1000))]);
    }""")


def press(page, key):
    page.keyboard.press(key)
    settle(page)


# The theme's script starts on the reader's first input (overrides/assets/javascripts/plan-ovt/site.js), and
# takes theme-pending off <html> once it runs (or failed to load).
THEME_SCRIPT = "**/assets/javascripts/bundle.*.min.js"
# A function, not an expression: Playwright evaluates expressions with eval, which the site's CSP forbids.
THEME_RUNS = "() => document.documentElement.matches('.js:not(.theme-pending)')"
# The site's own header controls (overrides/partials/header.html, palette.html) and Material's search field.
PALETTE_BUTTON = "button.palette-switch__button"
MENU_BUTTON = "button.md-header__button[data-toggle=__drawer]"
SEARCH_FIELD = "input.md-search__input"


def start_theme(page):
    """A first input that does nothing else (Shift) starts the theme's script; wait until it has set up."""
    page.keyboard.press("Shift")
    page.wait_for_function(THEME_RUNS)
    settle(page)


def hold_theme(page):
    """The theme's script does not arrive, as on a slow network: its request waits in the list returned
    until the test lets it through (route.continue_())."""
    held = []
    page.route(THEME_SCRIPT, lambda route: held.append(route))
    return held


def tab_to(page, selector, limit=30):
    """Press Tab until the focused element matches `selector`; fail if it never does."""
    for _ in range(limit):
        press(page, "Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    pytest.fail(f"{selector} not reached in {limit} presses of Tab")


def run_axe(page, tags):
    if not AXE.exists():
        pytest.fail("axe-core introuvable : npm ci --ignore-scripts (axe-core not found: npm ci --ignore-scripts)")
    page.add_script_tag(path=str(AXE))
    options = {"runOnly": {"type": "tag", "values": tags},
               "rules": {rule: {"enabled": False} for rule in AXE_DISABLED}}
    return page.evaluate("options => axe.run(document, options)", options)["violations"]


def describe(violations):
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n    " +
                     "\n    ".join(f"{node['target']}: {node['failureSummary']}" for node in v["nodes"])
                     for v in violations)


# Where the focus is and whether it shows: the focused element, or for a visually hidden input the
# label that stands for it (Material's palette toggle), must be on screen, not covered by another
# element (WCAG 2.4.11) and carry a focus indicator: an outline or a box shadow it does not have
# unfocused (WCAG 2.4.7; RECORD_UNFOCUSED keeps the unfocused look of every element).
FOCUS_STATE = """() => {
  const RING = style => `${style.outlineStyle} ${style.outlineWidth} ${style.boxShadow}`;
  const active = document.activeElement;
  if (!active || active === document.body) return null;
  const describe = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "") +
    (el.getAttribute("href") ? `[href="${el.getAttribute("href")}"]` : "");
  const label = active.nextElementSibling;
  const candidates = [active, ...(active.labels || []), ...(label && label.tagName === "LABEL" ? [label] : [])];
  const shown = el => {
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
    for (const box of el.getClientRects()) {
      const left = Math.max(box.left, 0), right = Math.min(box.right, innerWidth);
      const top = Math.max(box.top, 0), bottom = Math.min(box.bottom, innerHeight);
      if (right - left < 1 || bottom - top < 1) continue;
      const hit = document.elementFromPoint((left + right) / 2, (top + bottom) / 2);
      if (hit && (el.contains(hit) || (el.control && el.control === hit))) return true;
    }
    return false;
  };
  const indicated = el => {
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
    return ring && window.__unfocused?.get(el) !== RING(style);
  };
  const visible = candidates.filter(shown);
  return {element: describe(active), shown: visible.length > 0, indicated: visible.some(indicated)};
}"""


RECORD_UNFOCUSED = """() => {
  window.__unfocused = new WeakMap();
  for (const el of document.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    window.__unfocused.set(el, `${style.outlineStyle} ${style.outlineWidth} ${style.boxShadow}`);
  }
}"""


# axe-core


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("page_entry", AXE_PAGES, ids=page_id)
def test_axe_finds_no_violation(open_page, page_entry, scheme, width):
    page = open_page(page_entry[3], width=width, scheme=scheme, motion="no-preference")
    assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
    wcag = run_axe(page, WCAG_TAGS)
    best_practice = run_axe(page, ["best-practice"])
    assert not wcag and not best_practice, describe(wcag + best_practice)


THEME_STATES = [(scheme, width) for width in WIDTHS for scheme in SCHEMES]


@pytest.mark.parametrize("page_entry", AXE_PAGES, ids=page_id)
def test_axe_finds_no_violation_once_the_theme_runs(open_page, page_entry):
    """axe above sees pages before any input, as the theme's script has not started; here it has. Each page
    in one palette and width, taken in turn, as the script changes the same things on every page."""
    scheme, width = THEME_STATES[AXE_PAGES.index(page_entry) % len(THEME_STATES)]
    page = open_page(page_entry[3], width=WIDTHS[width], scheme=scheme, motion="no-preference")
    start_theme(page)
    wcag = run_axe(page, WCAG_TAGS)
    best_practice = run_axe(page, ["best-practice"])
    assert not wcag and not best_practice, describe(wcag + best_practice)


# Keyboard


@pytest.mark.parametrize("page_entry", AXE_PAGES, ids=page_id)
def test_first_tab_reaches_a_skip_link_to_the_content(open_page, page_entry):
    """On every page, the 404 page too, the first Tab reaches a skip link to the start of the content: before
    the publication's status and the notes above the title (role=note), which it does not skip."""
    page = open_page(page_entry[3])
    press(page, "Tab")
    skip = page.evaluate("""() => {
      const el = document.activeElement;
      return el.matches("a.md-skip") && {href: el.getAttribute("href"), text: el.textContent.trim()};
    }""")
    assert skip, "the first Tab does not focus the skip link"
    assert skip["text"] and page.evaluate("getComputedStyle(document.activeElement).opacity") == "1"
    target = skip["href"]
    assert page.evaluate("id => document.getElementById(id)?.closest('.md-content') !== null", target[1:])
    assert page.evaluate("""id => [...document.querySelectorAll(".md-content [role=note]")].every(note =>
      document.getElementById(id).compareDocumentPosition(note) & Node.DOCUMENT_POSITION_FOLLOWING)""", target[1:]), \
        "the skip link skips a note above the title"
    press(page, "Enter")
    assert page.evaluate("location.hash") == target
    # The next Tab continues from the content, past the header and the navigation.
    press(page, "Tab")
    assert page.evaluate("""id => !!(document.getElementById(id).compareDocumentPosition(document.activeElement)
                                     & Node.DOCUMENT_POSITION_FOLLOWING)""", target[1:])
    assert not page.evaluate("document.activeElement.closest('.md-header, .md-sidebar')")


@pytest.mark.parametrize("arrival", [5, None], ids=["theme-arrives-at-tab-5", "theme-held-back"])
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("page_entry", ALL_PAGES, ids=page_id)
def test_every_tab_stop_is_visible_and_shows_focus(open_page, page_entry, width, arrival):
    """The first Tab asks for the theme's script; it arrives in the middle of the header (tab 5 is at or
    near the search field), or not at all."""
    page = open_page(page_entry[3], width=width)
    held = hold_theme(page)
    page.evaluate(RECORD_UNFOCUSED)
    seen = []
    for _ in range(120):
        if len(seen) == arrival:
            [route.continue_() for route in held]
            page.wait_for_function(THEME_RUNS)
        press(page, "Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None or (seen and state["element"] == seen[0]["element"]):
            break  # focus left the document or came back round
        seen.append(state)
    else:
        pytest.fail("Tab never comes back round in 120 presses: a keyboard trap?")
    assert len(seen) > 5
    # Every page of the navigation is reachable by keyboard, in the drawer too (sections included).
    hrefs = page.evaluate("""[...document.querySelectorAll('.md-nav--primary a.md-nav__link[href]')]
        .filter(link => !link.closest('.md-nav--secondary') && !link.matches('.md-nav__link--active'))
        .map(link => link.getAttribute('href'))""")  # the current page's own link aside: you are on it
    assert [href for href in hrefs if not any(f'[href="{href}"]' in s["element"] for s in seen)] == []
    assert [s["element"] for s in seen if not s["shown"]] == [], "focused but not seen"
    assert [s["element"] for s in seen if not s["indicated"]] == [], "focused without a focus indicator"


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_opens_types_and_closes_by_keyboard(open_page, lang, width):
    home = next(entry for entry in ALL_PAGES if entry[0] == lang)
    page = open_page(home[3], width=width)
    tab_to(page, "input.md-search__input")
    assert page.evaluate("document.getElementById('__search').checked"), "search does not open on focus"
    assert page.evaluate(FOCUS_STATE)["shown"]
    page.keyboard.type("ITQ")
    page.wait_for_selector(".md-search-result__item", state="visible")
    press(page, "Escape")
    assert not page.evaluate("document.getElementById('__search').checked"), "Escape does not close search"
    assert not page.evaluate("document.activeElement.matches('.md-search__input')")
    # Not trapped: Tab moves on to the next control after the search field.
    press(page, "Tab")
    assert not page.evaluate("document.activeElement.matches('.md-search__input, body')")
    assert page.evaluate(FOCUS_STATE)["shown"]


def ax_dialogs(page):
    """The names of the dialogs in Chromium's accessibility tree."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    return [node.get("name", {}).get("value", "") for node in nodes
            if not node.get("ignored") and node.get("role", {}).get("value") == "dialog"]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_closed_search_is_no_dialog_in_the_accessibility_tree(open_page, lang, width):
    """Closed, the search leaves no dialog in the accessibility tree, before and after the theme starts; open,
    it is a dialog named after the search; closed again, none."""
    home = next(entry for entry in ALL_PAGES if entry[0] == lang)
    page = open_page(home[3], width=width)
    assert ax_dialogs(page) == []
    start_theme(page)
    assert ax_dialogs(page) == []
    page.focus(SEARCH_FIELD)
    settle(page)
    assert page.evaluate("document.getElementById('__search').checked")
    label = page.evaluate("document.querySelector('.md-search').dataset.dialogLabel")
    assert label and ax_dialogs(page) == [label]
    press(page, "Escape")
    assert ax_dialogs(page) == []


@pytest.mark.parametrize("page_entry", ALL_PAGES, ids=page_id)
def test_language_switcher_is_reachable_and_leads_to_the_counterpart(open_page, base_url, page_entry):
    lang, _, file, _ = page_entry
    page = open_page(page_entry[3])
    tab_to(page, "a.md-header__language")
    other, url = counterpart(lang, file)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == base_url + url
    assert page.evaluate("document.documentElement.lang") == other


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_link_is_as_large_as_the_text(open_page, lang, width):
    home = next(entry for entry in ALL_PAGES if entry[0] == lang)
    page = open_page(home[3], width=width)
    link, text = page.evaluate("""() => ["a.md-header__language", ".md-content .md-typeset"]
      .map(selector => parseFloat(getComputedStyle(document.querySelector(selector)).fontSize))""")
    assert link >= text


@pytest.mark.parametrize("key", ["Enter", " "], ids=["Enter", "Space"])
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_palette_button_is_reachable_works_by_keyboard_and_says_its_state(open_page, width, key):
    """A real button (overrides/partials/palette.html), pressed in the dark palette (WCAG 4.1.2), its focus
    seen in both palettes (WCAG 2.4.7)."""
    page = open_page(ALL_PAGES[0][3], width=width)
    page.evaluate(RECORD_UNFOCUSED)
    tab_to(page, PALETTE_BUTTON)
    for scheme, pressed in (("slate", "true"), ("default", "false")):
        press(page, key)
        assert page.evaluate("document.body.dataset.mdColorScheme") == scheme
        assert page.evaluate("document.activeElement.getAttribute('aria-pressed')") == pressed
        state = page.evaluate(FOCUS_STATE)
        assert state["element"].startswith("button") and state["shown"] and state["indicated"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_palette_button_is_named_in_the_page_language(open_page, lang):
    """WCAG 3.1.2, 4.1.2: the button is named after the palette it turns on (data/labels.yml), in the page's
    language, the same in both states (its state is aria-pressed, not its name)."""
    home = next(entry for entry in ALL_PAGES if entry[0] == lang)
    page = open_page(home[3])
    names = []
    for _ in range(2):
        names.append(page.locator(PALETTE_BUTTON).evaluate("button => [button.getAttribute('aria-label'), button.title]"))
        page.click(PALETTE_BUTTON)
    assert names[0] == names[1] == [LABELS["dark_mode"][lang]] * 2


def test_navigation_drawer_stays_closed_after_going_back(open_page, base_url):
    """Why the Nu checker's objection to autocomplete="off" on Material's toggles is not "fixed"
    (tests/test_html_valid.py): without it, Chromium restores the open drawer on Back."""
    page = open_page(ALL_PAGES[0][3], width=WIDTHS["mobile"])
    page.click(MENU_BUTTON)
    assert page.evaluate("document.getElementById('__drawer').checked")
    page.goto(base_url + ALL_PAGES[2][3])
    page.go_back()
    assert not page.evaluate("document.getElementById('__drawer').checked")


# Reflow and text spacing


NO_HORIZONTAL_SCROLL = "() => document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"
# Content that sticks out of the viewport (and would be cut off, or need a sideways scroll), outside
# the regions made to scroll on their own.
OVERFLOWING = """() => [...document.querySelectorAll(".md-content *")]
  .filter(el => !el.closest(".table-scroll") && el.checkVisibility())
  .filter(el => { const box = el.getBoundingClientRect(); return box.right > innerWidth + 1 || box.left < -1; })
  .map(el => el.outerHTML.slice(0, 80))"""
# Elements that hide their overflow, with more content than room: text cut off.
CLIPPED = """() => [...document.querySelectorAll(".md-content *")]
  .filter(el => el.checkVisibility())
  // Text kept for assistive technologies only (1 px, clipped to nothing) is off screen by design.
  .filter(el => { const box = el.getBoundingClientRect(); return box.width > 1 || box.height > 1; })
  .filter(el => { const style = getComputedStyle(el);
                  return [style.overflowX, style.overflowY].some(value => value === "hidden" || value === "clip"); })
  .filter(el => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
  .map(el => el.outerHTML.slice(0, 80))"""


@pytest.mark.parametrize("page_entry", ALL_PAGES, ids=page_id)
def test_page_reflows_at_320_px(open_page, page_entry):
    page = open_page(page_entry[3], width=320)
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the page scrolls sideways at 320 px"
    assert page.evaluate(OVERFLOWING) == []
    # Wide tables scroll inside their own labelled, focusable region, never the page.
    regions = page.evaluate("""() => [...document.querySelectorAll(".md-content table")].map(table => {
      const region = table.closest(".table-scroll");
      const label = region && document.getElementById(region.getAttribute("aria-labelledby"));
      return region && {role: region.getAttribute("role"), tabindex: region.getAttribute("tabindex"),
                        label: label ? label.textContent.trim() : "",
                        fits: region.getBoundingClientRect().right <= innerWidth};
    })""")
    for region in regions:
        assert region and region["role"] == "region" and region["tabindex"] == "0"
        assert region["label"] and region["fits"]


# Data tables on a phone: each row one block, nothing to scroll, still a table for assistive technology.

PHONE_WIDTHS = [320, WIDTHS["mobile"]]
TABLE_PAGES = [entry for entry in ALL_PAGES
               if next(pair for pair in PAGE_PAIRS if pair[entry[0]]["file"] == entry[2])[LANGUAGES[0]]["key"]
               in ("tableau-du-plan-d-action", "itq-dans-les-regions")]
# Every body row of every table: its text as the page shows it (innerText follows the CSS), and what
# the HTML table gives it: its header cells (of its row group, of its row), and the values of its data
# cells, following the cells that span down to it (list items apart), as a wide screen shows them.
TABLE_ROWS = """() => [...document.querySelectorAll(".md-content table")].map(table => {
  const box = el => el.getBoundingClientRect();
  const wide = el => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll("[hidden]").forEach(hidden => hidden.remove());
    return copy;
  };
  const rows = [];
  for (const body of table.tBodies) {
    const spanning = [];
    const group = body.querySelector("th[scope=rowgroup]");
    [...body.rows].forEach((row, index) => {
      spanning.push(...[...row.querySelectorAll("td")].map(cell => ({cell, last: index + cell.rowSpan - 1})));
      const values = spanning.filter(entry => entry.last >= index).map(entry => wide(entry.cell));
      const header = row.querySelector("th[scope=row]");
      rows.push({
        shown: row.innerText,
        groupHeader: group && wide(group).textContent.trim(),
        rowHeader: header && wide(header).textContent.trim(),
        texts: values.filter(cell => !cell.querySelector("li")).map(cell => cell.textContent.trim()),
        items: values.flatMap(cell => [...cell.querySelectorAll("li")].map(li => li.textContent.trim())),
        fits: [...row.querySelectorAll("th, td")].filter(cell => cell.checkVisibility())
          .every(cell => box(cell).left >= 0 && box(cell).right <= innerWidth),
      });
    });
  }
  const caption = table.caption;
  const region = table.closest(".table-scroll");
  return {caption: caption.textContent.trim(), rows,
          captionShown: caption.checkVisibility() && box(caption).left >= 0 && box(caption).right <= innerWidth
                        && caption.scrollWidth <= caption.clientWidth,
          scrolls: region.scrollWidth > region.clientWidth};
})"""


def words(text):
    return " ".join(text.split())


def ax_tables(page):
    """The page's tables as Chromium's accessibility tree gives them (CDP Accessibility.getFullAXTree):
    [{name, rows: [{cells: [(role, text)], group: its row group's rank, items: list items, terms: terms}]}]."""
    session = page.context.new_cdp_session(page)
    nodes = {node["nodeId"]: node for node in session.send("Accessibility.getFullAXTree")["nodes"]}
    session.detach()
    role = lambda node: node.get("role", {}).get("value")

    def descendants(node):
        for child in filter(None, map(nodes.get, node.get("childIds", []))):
            if not child.get("ignored"):
                yield child
            yield from descendants(child)

    def text(node):
        return " ".join(" ".join(child["name"]["value"].split()) for child in descendants(node)
                        if role(child) == "StaticText")

    def children(node, roles):
        """The nearest descendants of `node` in `roles`."""
        for child in filter(None, map(nodes.get, node.get("childIds", []))):
            if role(child) in roles and not child.get("ignored"):
                yield child
            else:
                yield from children(child, roles)

    tables = []
    for table in (node for node in nodes.values() if role(node) == "table" and not node.get("ignored")):
        rows = []
        # Chromium leaves a row group (tbody) out of the tree, as an ignored node: group rows by it all the same.
        for number, group in enumerate(filter(None, map(nodes.get, table.get("childIds", [])))):
            for row in ([group] if role(group) == "row" else children(group, {"row"})):
                cells = [(role(cell), text(cell))
                         for cell in children(row, {"cell", "rowheader", "columnheader", "gridcell"})]
                found = list(descendants(row))
                rows.append({"cells": cells, "group": number,
                             "items": [text(item) for item in found if role(item) == "listitem"],
                             "terms": [text(term) for term in found if role(term) == "term"]})
        tables.append({"name": table.get("name", {}).get("value", ""), "rows": rows})
    return tables


@pytest.mark.parametrize("width", PHONE_WIDTHS)
@pytest.mark.parametrize("page_entry", TABLE_PAGES, ids=page_id)
def test_tables_read_one_row_per_block_on_a_phone(open_page, page_entry, width):
    """Each row shows all it holds, its spanned cells included, inside the screen: no sideways scroll."""
    page = open_page(page_entry[3], width=width)
    tables = page.evaluate(TABLE_ROWS)
    assert tables, "no table on a table page"
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    for table in tables:
        assert table["captionShown"], f"caption cut: {table['caption']}"
        assert not table["scrolls"], "the table scrolls sideways"
        for row in table["rows"]:
            assert row["fits"], f"a cell sticks out of the screen: {row['shown'][:80]}"
            missing = [value for value in row["texts"] + row["items"] if words(value) not in words(row["shown"])]
            assert missing == [], f"not in the row's block: {missing}"


@pytest.mark.parametrize("width", PHONE_WIDTHS + [WIDTHS["desktop"]])
@pytest.mark.parametrize("page_entry", TABLE_PAGES, ids=page_id)
def test_tables_keep_their_semantics_in_the_accessibility_tree(open_page, page_entry, width):
    """At every width a screen reader meets a table named by its caption, each body row with its header
    cells; on a phone each row also reads all its values, those of cells spanning down to it included,
    each once; on a wide screen the labels of the phone's blocks stay out of the tree."""
    page = open_page(page_entry[3], width=width)
    expected = page.evaluate(TABLE_ROWS)
    found = ax_tables(page)
    assert [words(table["name"]) for table in found] == [words(table["caption"]) for table in expected]
    phone = width < WIDTHS["desktop"]
    for table, dom in zip(found, expected):
        body = [row for row in table["rows"] if not any(role == "columnheader" for role, _ in row["cells"])]
        assert len(body) == len(dom["rows"]), "rows missing from the accessibility tree"
        assert all(role in ("cell", "rowheader") for row in body for role, _ in row["cells"])
        first_of_group = {}
        for row, want in zip(body, dom["rows"]):
            headers = [text for role, text in row["cells"] if role == "rowheader"]
            first_of_group.setdefault(row["group"], headers)
            if want["rowHeader"]:
                assert any(words(want["rowHeader"]) in header for header in headers)
            if want["groupHeader"]:  # it heads the first row of its group, which this row belongs to
                assert any(words(want["groupHeader"]) in header for header in first_of_group[row["group"]])
            if phone:
                # Compared without spaces: the tree splits text at inline elements (a lang="fr" span).
                compact = lambda text: "".join(text.split())
                spoken = compact(" ".join(text for _, text in row["cells"]))
                assert [text for text in want["texts"] if compact(text) not in spoken] == []
                assert sorted(map(compact, row["items"])) == sorted(map(compact, want["items"])), \
                    "a value missing or read twice"
                assert len(set(row["terms"])) == len(row["terms"]), "a label read twice"
            else:
                assert row["terms"] == []


def ax_column_headers(page):
    """[(a data cell's text, the column header the accessibility tree gives it, the ids its HTML `headers` name)]
    for every data cell of the page's tables, as Chromium's accessibility tree has them.

    CDP names no header of a cell: as a table model does, each cell's column comes from its place among the
    cells of its row in the tree, after the cells of rows above that span down to it (their rowspan is read
    from the cell's DOM node), and the column header is the columnheader in the same column.
    """
    session = page.context.new_cdp_session(page)
    nodes = {node["nodeId"]: node for node in session.send("Accessibility.getFullAXTree")["nodes"]}
    role = lambda node: node.get("role", {}).get("value")
    kept = lambda node: not node.get("ignored")

    def attributes(node):
        found = session.send("DOM.describeNode", {"backendNodeId": node["backendDOMNodeId"]})["node"]["attributes"]
        return dict(zip(found[::2], found[1::2]))

    def under(node, roles):
        for child in filter(None, map(nodes.get, node.get("childIds", []))):
            if role(child) in roles and kept(child):
                yield child
            elif role(child) not in ("table",):
                yield from under(child, roles)

    cells_of = {"cell", "gridcell", "rowheader", "columnheader"}
    found = []
    session.send("DOM.getDocument", {"depth": 0})
    for table in (node for node in nodes.values() if role(node) == "table" and kept(node)):
        headers, data = {}, []
        for group in filter(None, map(nodes.get, table.get("childIds", []))):
            taken = set()
            for number, row in enumerate([group] if role(group) == "row" else under(group, {"row"})):
                column = 0
                for cell in under(row, cells_of):
                    while (number, column) in taken:
                        column += 1
                    html = attributes(cell)
                    span = int(html.get("rowspan", 1))
                    taken |= {(number + down, column) for down in range(span)}
                    if role(cell) == "columnheader":
                        headers[column] = (cell.get("name", {}).get("value", ""), html.get("id"))
                    elif role(cell) in ("cell", "gridcell"):
                        data.append((cell.get("name", {}).get("value", ""), column, html.get("headers", "").split()))
                    column += int(html.get("colspan", 1))
        found += [(" ".join(text.split())[:60], headers.get(column), named) for text, column, named in data]
    session.detach()
    return found


@pytest.mark.parametrize("width", [WIDTHS["mobile"], WIDTHS["desktop"]])
@pytest.mark.parametrize("page_entry", TABLE_PAGES, ids=page_id)
def test_every_data_cell_has_its_column_header_in_the_accessibility_tree(open_page, page_entry, width):
    """At 375 px, where a row reads as a block and the column headers leave the screen, as on a wide screen:
    every data cell has a column header in Chromium's accessibility tree, the one its HTML `headers` names."""
    page = open_page(page_entry[3], width=width)
    cells = ax_column_headers(page)
    assert cells, "no data cell in the accessibility tree"
    assert [text for text, header, _ in cells if header is None] == [], "data cells without a column header"
    assert [(text, header) for text, header, named in cells if named and header[1] not in named] == [], \
        "a column header that is not the one the HTML names"


@pytest.mark.parametrize("width", [320, WIDTHS["desktop"]])
@pytest.mark.parametrize("page_entry", ALL_PAGES, ids=page_id)
def test_text_spacing_cuts_nothing_off(open_page, page_entry, width):
    page = open_page(page_entry[3], width=width)
    page.add_style_tag(content=TEXT_SPACING)
    settle(page)
    assert page.evaluate(CLIPPED) == []
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "text spacing makes the page scroll sideways"
    assert page.evaluate(OVERFLOWING) == []


# Structure


# Landmarks in the accessibility tree (shown), by role, with their accessible name.
LANDMARKS = """() => {
  const roles = {HEADER: "banner", FOOTER: "contentinfo", MAIN: "main", NAV: "navigation", ASIDE: "complementary"};
  const sectioning = "article, aside, main, nav, section";
  const name = el => el.getAttribute("aria-label") || (el.getAttribute("aria-labelledby") || "").split(/\\s+/)
    .map(id => document.getElementById(id)?.textContent.trim() || "").join(" ").trim();
  return [...document.querySelectorAll("header, footer, main, nav, aside, form, section, [role]")]
    .filter(el => el.checkVisibility())
    .map(el => {
      let role = el.getAttribute("role") || roles[el.tagName] || "";
      if ((el.tagName === "HEADER" || el.tagName === "FOOTER") && el.parentElement.closest(sectioning)) role = "";
      if ((el.tagName === "FORM" || el.tagName === "SECTION") && !el.getAttribute("role")) role = name(el) ? "region" : "";
      return {role, name: name(el)};
    })
    .filter(landmark => ["banner", "contentinfo", "main", "navigation", "complementary", "region", "search",
                         "form"].includes(landmark.role));
}"""


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("page_entry", ALL_PAGES, ids=page_id)
def test_structure_headings_landmarks_and_language(open_page, page_entry, width):
    page = open_page(page_entry[3], width=width)
    assert page.evaluate("document.documentElement.lang") == page_entry[0]
    assert page.evaluate("document.querySelectorAll('h1').length") == 1
    levels = page.evaluate("""() => [...document.querySelectorAll(".md-content :is(h1, h2, h3, h4, h5, h6)")]
                                    .map(heading => +heading.tagName[1])""")
    assert levels[0] == 1
    skipped = [(before, after) for before, after in zip(levels, levels[1:]) if after > before + 1]
    assert skipped == [], "heading levels skipped"
    landmarks = page.evaluate(LANDMARKS)
    assert [landmark["role"] for landmark in landmarks].count("main") == 1
    for role in {landmark["role"] for landmark in landmarks}:
        names = [landmark["name"] for landmark in landmarks if landmark["role"] == role]
        if len(names) > 1:
            assert all(names) and len(set(names)) == len(names), f"{role} landmarks not told apart: {names}"


# Requests


@pytest.mark.parametrize("page_entry", ALL_PAGES, ids=page_id)
def test_every_request_stays_on_the_site(open_page, base_url, page_entry):
    page = open_page(page_entry[3])
    page.wait_for_load_state("networkidle")
    page.focus(SEARCH_FIELD)  # loads the search worker, index and stemmers too
    page.keyboard.type("ITQ")
    page.wait_for_selector(".md-search-result__item", state="visible")
    page.wait_for_load_state("networkidle")
    elsewhere = [url for url in page.requests if urlsplit(url).netloc != urlsplit(base_url).netloc]
    assert elsewhere == []



@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_worker_and_stemmers_load_only_when_search_opens(open_page, lang):
    """overrides/assets/javascripts/plan-ovt/site.js: a visit that never searches does not download them."""
    home = next(entry for entry in ALL_PAGES if entry[0] == lang)
    page = open_page(home[3])
    page.wait_for_load_state("networkidle")
    on_demand = [url for url in page.requests if "/workers/search." in url or "/lunr/" in url]
    assert on_demand == []
    page.focus(SEARCH_FIELD)
    page.keyboard.type("ITQ")
    page.wait_for_selector(".md-search-result__item", state="visible")
    assert any("/workers/search." in url for url in page.requests)
    if lang == "fr":
        assert any(url.endswith("/lunr.fr.min.js") for url in page.requests)


def theme_requests(page):
    return [url for url in page.requests if "/bundle." in urlsplit(url).path]


@pytest.mark.parametrize("first_input", ["Tab", "scroll", "tap"])
def test_theme_script_starts_on_first_input_and_the_worker_shim_is_not_requested(open_page, first_input):
    page = open_page(ALL_PAGES[0][3], height=400)
    page.wait_for_load_state("networkidle")
    assert theme_requests(page) == [], "the theme's script is loaded before any input"
    if first_input == "Tab":
        page.keyboard.press("Tab")
    elif first_input == "scroll":
        page.mouse.wheel(0, 300)
    else:
        page.click(".md-content h1")
    page.wait_for_function(THEME_RUNS)
    page.keyboard.press("Tab")
    assert len(theme_requests(page)) == 1
    assert [url for url in page.requests if "iframe-worker" in url] == []


def test_search_shows_from_the_first_paint_and_starts_the_theme(open_page):
    page = open_page(ALL_PAGES[0][3])
    assert page.locator("input.md-search__input").is_visible()
    tab_to(page, "input.md-search__input")
    page.wait_for_function(THEME_RUNS)
    page.keyboard.type("ITQ")
    page.wait_for_selector(".md-search-result__item", state="visible")


# Where the reader sees something: visible elements with text of their own, controls and images.
RECORD_SEEN = """() => {
  window.__seen = new Map();
  for (const el of document.querySelectorAll("body *")) {
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const text = [...el.childNodes].some(node => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
    const box = el.getBoundingClientRect();
    if ((text || el.matches("a, button, input, label, img, svg")) && box.width && box.height)
      window.__seen.set(el, [box.x, box.y, box.width, box.height].map(Math.round).join(","));
  }
}"""
MOVED_SINCE = """() => [...window.__seen].filter(([el, box]) => {
  const now = el.getBoundingClientRect();
  return !el.isConnected || [now.x, now.y, now.width, now.height].map(Math.round).join(",") !== box;
}).map(([el, box]) => `${el.tagName.toLowerCase()}.${el.className} ${box}`)"""


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("page_entry", [ALL_PAGES[0], ALL_PAGES[1]] + TABLE_PAGES, ids=page_id)
def test_the_theme_starting_moves_nothing_the_reader_sees(open_page, page_entry, width):
    """The first input starts the theme's script: what was on screen stays where it was."""
    page = open_page(page_entry[3], width=width)
    settle(page)
    page.evaluate(RECORD_SEEN)
    start_theme(page)
    assert page.evaluate(MOVED_SINCE) == []


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_without_the_theme_script_the_page_stays_usable(open_page, width):
    """Blocked or offline: no search that cannot work, search keys not swallowed, drawer and links as they are."""
    page = open_page(ALL_PAGES[0][3], width=width)
    page.route(THEME_SCRIPT, lambda route: route.abort())
    page.mouse.wheel(0, 100)
    page.wait_for_function("() => !document.documentElement.classList.contains('theme-pending')")
    assert page.locator(".md-search, button.md-header__button[data-toggle=__search]").evaluate_all(
        "elements => elements.filter(element => element.checkVisibility())") == []
    assert not page.evaluate("""() => {
      const key = new KeyboardEvent("keydown", { key: "/", bubbles: true, cancelable: true });
      document.body.dispatchEvent(key);
      return key.defaultPrevented;
    }""")
    if width == WIDTHS["mobile"]:
        page.click(MENU_BUTTON)
        settle(page)
        assert page.evaluate("document.querySelector('.md-sidebar--primary').getBoundingClientRect().left") >= 0


@pytest.mark.parametrize("scheme", SCHEMES)
def test_palette_tapped_before_the_theme_starts_is_kept(open_page, scheme):
    page = open_page(ALL_PAGES[0][3], scheme=scheme)
    page.wait_for_load_state("networkidle")
    other = next(value for value in SCHEMES.values() if value != SCHEMES[scheme])
    page.click(PALETTE_BUTTON)
    assert page.evaluate("document.body.dataset.mdColorScheme") == other
    page.wait_for_function(THEME_RUNS)
    settle(page)
    assert page.evaluate("document.body.dataset.mdColorScheme") == other
    page.reload()
    assert page.evaluate("document.body.dataset.mdColorScheme") == other
    assert page.locator(PALETTE_BUTTON).count() == 1


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_stored_palette_the_site_no_longer_has_gives_way_to_the_systems(open_page, scheme):
    page = open_page(ALL_PAGES[0][3], scheme=scheme)
    errors = record_errors(page)
    page.evaluate("__md_set('__palette', { index: 9, color: {} })")
    page.reload()
    assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
    assert page.locator(PALETTE_BUTTON).count() == 1
    assert errors == []


# Content-Security-Policy: every page used for real under the policy nginx sends with the shipped recipe


RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  event => window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`));
"""


@pytest.fixture(scope="module")
def nginx_url(site):
    """The site on Debian's nginx with the shipped recipe (tests/test_hosts.py proves its headers)."""
    server = start_nginx(site, CONFIG["site_url"], urlsplit(CONFIG["site_url"]).path)
    yield server.url
    server.stop()


def record_errors(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return errors


@pytest.mark.parametrize("page_entry", ALL_PAGES, ids=page_id)
def test_search_switcher_and_palette_run_under_the_csp(browser, nginx_url, page_entry):
    context = browser.new_context(viewport={"width": WIDTHS["desktop"], "height": 800})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    errors = record_errors(page)
    response = page.goto(nginx_url + page_entry[3])
    assert "script-src" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    page.focus(SEARCH_FIELD)
    page.keyboard.type("ITQ")
    page.wait_for_selector(".md-search-result__item", state="visible")
    page.keyboard.press("Escape")
    page.click(PALETTE_BUTTON)
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    violations = page.evaluate("window.__violations")
    with page.expect_navigation():
        page.click("a.md-header__language")
    start_theme(page)
    page.wait_for_load_state("networkidle")
    violations += page.evaluate("window.__violations")
    context.close()
    assert violations == [] and errors == []


def test_site_works_opened_from_disk(browser, site):
    """file://: pages link to .html files, the language switch works and search uses its .js index."""
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((Path(site) / "index.html").as_uri())
    with page.expect_navigation():
        page.click(f'.md-content a[href="{PAGE_PAIRS[3]["fr"]["url"]}"]')
    assert page.url.endswith(PAGE_PAIRS[3]["fr"]["url"])
    assert page.inner_text("h1") == PAGE_PAIRS[3]["fr"]["title"]
    with page.expect_navigation():
        page.click("a.md-header__language")
    assert page.url.endswith(PAGE_PAIRS[3]["en"]["url"])
    page.focus(SEARCH_FIELD)
    page.keyboard.type("ITQ")
    page.wait_for_selector(".md-search-result__item", state="visible")
    context.close()
    assert errors == []


# The site as `make site` builds it with no setting (site_url is mkdocs.yml's placeholder), anywhere


@pytest.fixture(scope="module", params=["root", "sub-path", "disk"])
def default_site_address(request, default_site):
    """Where the default build is opened: nginx at the root of a loopback host, nginx under a sub-path
    that is not site_url's, and from disk."""
    if request.param == "disk":
        yield Path(default_site).as_uri() + "/"
        return
    server = start_nginx(default_site, None, {"root": "/", "sub-path": "/ailleurs/plan/"}[request.param])
    yield server.url
    server.stop()


def test_default_build_asks_nothing_of_site_url_nor_of_anyone(browser, default_site_address):
    """Every page of both languages, with the theme's script running, and search: zero CSP violations,
    zero console errors, zero requests anywhere but where the site is (the hreflang and canonical links
    name site_url, nothing fetches it)."""
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    errors, requests, violations = record_errors(page), [], []
    page.on("request", lambda request: requests.append(request.url))
    for lang, _, _, url in ALL_PAGES:
        page.goto(default_site_address + url)
        start_theme(page)
        if url == next(entry[3] for entry in ALL_PAGES if entry[0] == lang):
            page.focus(SEARCH_FIELD)
            page.keyboard.type("ITQ")
            page.wait_for_selector(".md-search-result__item", state="visible")
        page.wait_for_load_state("networkidle")
        violations += page.evaluate("window.__violations")
    context.close()
    elsewhere = [url for url in requests if not url.startswith((default_site_address, "data:", "blob:"))]
    assert (violations, errors, elsewhere) == ([], [], [])


# What rule engines cannot see (issue 24): behaviour, on every page of both languages, in both palettes


# Every key of a US keyboard that types a character (Playwright types others without a key event).
PRINTABLE = "".join(map(chr, range(0x20, 0x7F)))
WHERE = "() => [location.href, document.activeElement?.outerHTML.slice(0, 80), ...['__search', '__drawer'].map(id => document.getElementById(id).checked)]"


def both_palettes(page):
    """Yield twice: in the palette the page opened in, then in the other one, turned on by its button."""
    yield page.evaluate("document.body.dataset.mdColorScheme")
    page.click(PALETTE_BUTTON)
    page.mouse.move(0, 0)
    settle(page)
    yield page.evaluate("document.body.dataset.mdColorScheme")


@pytest.mark.parametrize("page_entry", AXE_PAGES, ids=page_id)
def test_printable_keys_do_nothing_on_a_page(open_page, page_entry):
    """WCAG 2.1.4: no single-key shortcut. Every printable key, with nothing focused, then with a link focused,
    leaves the address, the focus, the search and the drawer as they were; the first key, which starts the
    theme's script (site.js), is not replayed into it. site.js stops these keys before Material's handler."""
    page = open_page(page_entry[3])
    before = page.evaluate(WHERE)
    page.keyboard.type(PRINTABLE)  # the first key starts the theme's script
    page.wait_for_function(THEME_RUNS)
    settle(page)
    for scheme in both_palettes(page):
        page.evaluate("document.activeElement.blur()")
        before = page.evaluate(WHERE)
        page.keyboard.type(PRINTABLE)
        settle(page)
        assert page.evaluate(WHERE) == before, f"a key did something ({scheme})"
        tab_to(page, ".md-content a[href]")
        before = page.evaluate(WHERE)
        page.keyboard.type(PRINTABLE)
        settle(page)
        assert page.evaluate(WHERE) == before, f"a key did something with a link focused ({scheme})"


def test_contract_material_keyboard_handler_is_where_site_js_stops_keys(open_page):
    """site.js relies on this Material internal: its keyboard handler (watchKeyboard, bundle.*.min.js) is a
    keydown listener on window, in the bubbling phase, so a capturing listener stops its keys first. Without
    site.js's stop, "/" opens Material's search: if it no longer does, the handler moved, and site.js with it."""
    page = open_page(ALL_PAGES[0][3])
    start_theme(page)
    key = """key => window.dispatchEvent(new KeyboardEvent("keydown", {key, bubbles: true, cancelable: true}))"""
    page.evaluate(key, "/")
    # Material opens its search once its field has the focus, a moment later.
    opened = "() => document.getElementById('__search').checked || document.activeElement.matches('.md-search__input')"
    try:
        page.wait_for_function(opened, timeout=5000)
    except PlaywrightTimeoutError:
        pytest.fail("Material's keyboard handler (watchKeyboard) no longer listens for keydown on window: "
                    "site.js's stop of single-key shortcuts must follow it")
    page.evaluate("() => { const search = document.getElementById('__search'); if (search.checked) search.click(); }")
    page.evaluate("() => document.activeElement.blur()")
    assert not page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("/")
    assert not page.evaluate("document.getElementById('__search').checked"), "site.js no longer stops single keys"


# Focus indicator contrast against what surrounds it (WCAG 2.4.7, 1.4.11): the ring's colour and the
# nearest opaque background behind the element.
FOCUS_CONTRAST = """() => {
  const el = document.activeElement;
  const parse = color => { const c = document.createElement("canvas").getContext("2d"); c.fillStyle = color;
    const hex = c.fillStyle; if (!hex.startsWith("#")) { const m = hex.match(/[\\d.]+/g).map(Number); return m[3] === 0 ? null : m; }
    return [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16)); };
  const lum = rgb => { const [r, g, b] = rgb.slice(0, 3).map(v => { v /= 255; return v <= .03928 ? v / 12.92 : ((v + .055) / 1.055) ** 2.4; });
    return .2126 * r + .7152 * g + .0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + .05) / (y + .05); };
  const target = [el, ...(el.labels || [])].find(node => { const s = getComputedStyle(node);
    return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none"; });
  if (!target) return 0;
  const style = getComputedStyle(target);
  const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 ? style.outlineColor
    : style.boxShadow.match(/rgba?\\([^)]*\\)/)[0];
  let node = parseFloat(style.outlineOffset) < 0 ? target : target.parentElement, background = null;
  for (; node && !background; node = node.parentElement) {
    const color = parse(getComputedStyle(node).backgroundColor);
    if (color && (color.length === 3 || color[3] === 1)) background = color;
  }
  background ??= parse(getComputedStyle(document.body).backgroundColor) || [255, 255, 255];
  return Math.round(ratio(parse(ring), background) * 100) / 100;
}"""


@pytest.mark.parametrize("page_entry", AXE_PAGES, ids=page_id)
def test_focus_is_seen_and_contrasted_at_320_by_256_in_both_palettes(open_page, page_entry):
    """Every tab stop, at 320 × 256 (a phone in landscape at 200 %), in both palettes: on screen, not under the
    sticky header (WCAG 2.4.11), with a focus indicator (2.4.7) of at least 3:1 against its surroundings."""
    page = open_page(page_entry[3], width=320, height=256)
    start_theme(page)
    for scheme in both_palettes(page):
        page.evaluate("document.activeElement.blur()")
        page.evaluate(RECORD_UNFOCUSED)
        seen = []
        for _ in range(120):
            press(page, "Tab")
            state = page.evaluate(FOCUS_STATE)
            if state is None or (seen and state["element"] == seen[0]["element"]):
                break
            state["contrast"] = page.evaluate(FOCUS_CONTRAST)
            seen.append(state)
        assert [s["element"] for s in seen if not s["shown"]] == [], f"focused but hidden ({scheme})"
        assert [s["element"] for s in seen if not s["indicated"]] == [], f"no focus indicator ({scheme})"
        assert [(s["element"], s["contrast"]) for s in seen if s["contrast"] < 3] == [], f"focus ring under 3:1 ({scheme})"


# How each link of the navigation looks, colour apart: the link to the page shown, and the others.
NAVIGATION_LOOKS = """() => {
  const look = link => { const style = getComputedStyle(link);
    return [style.fontWeight, style.textDecorationLine, style.fontStyle, style.borderLeftStyle, style.backgroundImage].join(" "); };
  const links = [...document.querySelectorAll("nav a[href]")].filter(link => link.checkVisibility()
    && link.closest(".md-sidebar--primary"));
  const here = link => link.href.split("#")[0] === location.href.split("#")[0] && !link.getAttribute("href").startsWith("#");
  return {current: links.filter(here).map(look), others: links.filter(link => !here(link)).map(look)};
}"""


@pytest.mark.parametrize("page_entry", ALL_PAGES, ids=page_id)
def test_the_navigation_shows_the_current_page_by_more_than_colour(open_page, page_entry):
    """WCAG 1.4.1: in the site's navigation, the link to the page shown looks unlike every other link,
    colour apart (its weight, underline, style, border or background)."""
    page = open_page(page_entry[3])
    looks = page.evaluate(NAVIGATION_LOOKS)
    assert looks["current"], "the navigation has no link to the page shown"
    assert [look for look in looks["current"] if look in looks["others"]] == [], looks


# In forced colours, what each piece of the page's frame draws between itself and the page: its borders' styles.
FRAME_BORDERS = """() => Object.fromEntries(Object.entries({
  header: ".md-header", search: ".md-search__form", skip: ".md-skip", footer: ".md-footer"})
  .map(([name, selector]) => { const style = getComputedStyle(document.querySelector(selector));
    return [name, ["Top", "Right", "Bottom", "Left"].filter(side => style[`border${side}Style`] !== "none"
      && parseFloat(style[`border${side}Width`]) >= 1)]; }))"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_forced_colours_keep_the_frame_of_the_page_outlined(browser, base_url, lang):
    """WCAG 1.4.11 in a contrast theme (forced colours drop backgrounds): the header and the footer keep an edge
    towards the content, the search field and the skip link a border all round."""
    home = next(entry for entry in ALL_PAGES if entry[0] == lang)
    context = browser.new_context(viewport={"width": WIDTHS["desktop"], "height": 800}, forced_colors="active")
    try:
        page = context.new_page()
        page.goto(base_url + home[3])
        start_theme(page)
        borders = page.evaluate(FRAME_BORDERS)
    finally:
        context.close()
    assert "Bottom" in borders["header"] and "Top" in borders["footer"], borders
    assert len(borders["search"]) == 4 and len(borders["skip"]) == 4, borders


# Whether an element (the focused one by default) lies, even in part, under the theme's sticky header.
UNDER_HEADER = """id => {
  const element = id === null ? document.activeElement : document.getElementById(id);
  const header = document.querySelector(".md-header").getBoundingClientRect();
  const box = element.getBoundingClientRect();
  // What scrolls with the page: not the header's own controls, nor what a fixed or sticky box holds.
  for (let node = element; node; node = node.parentElement) {
    if (["fixed", "sticky"].includes(getComputedStyle(node).position)) return false;
  }
  // An element taller than the room below the header (a table's scrolling region) cannot all show.
  if (box.height > innerHeight - header.bottom) return false;
  return box.height > 0 && box.top < header.bottom - 1 && box.bottom > header.top;
}"""


@pytest.mark.parametrize("page_entry", AXE_PAGES, ids=page_id)
def test_nothing_focused_or_reached_hides_under_the_sticky_header_at_320_by_256(open_page, page_entry):
    """WCAG 2.4.11 where the browser scrolls an element to the top of the window, under the sticky header:
    going back with Shift+Tab from the end of the page, and following each in-page link (skip link,
    links to the table's sectors) with Enter, whose target then comes first."""
    page = open_page(page_entry[3], width=320, height=256)
    start_theme(page)
    page.evaluate("() => { document.activeElement.blur(); window.scrollTo(0, document.body.scrollHeight); }")
    hidden, first = [], None
    for _ in range(120):
        press(page, "Shift+Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None or state["element"] == first:
            break
        first = first or state["element"]
        if page.evaluate(UNDER_HEADER, None):
            hidden.append(state["element"])
    assert hidden == [], f"focused under the sticky header going back (Shift+Tab): {hidden}"
    targets = page.evaluate("""() => [...document.querySelectorAll('a[href^="#"]')]
        .map(link => link.getAttribute("href").slice(1)).filter(id => id && document.getElementById(id))""")
    for target in targets:
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        page.focus(f'a[href="#{target}"]')
        press(page, "Enter")
        assert not page.evaluate(UNDER_HEADER, target), f"#{target} lands under the sticky header"


# Every control in Chromium's accessibility tree: its role, name and states.
CONTROL_ROLES = {"link", "button", "checkbox", "radio", "textbox", "searchbox", "switch", "combobox", "tab",
                 "menuitem", "DisclosureTriangle"}


def ax_controls(page):
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    return [{"role": node["role"]["value"], "name": node.get("name", {}).get("value", "").strip(),
             "properties": {prop["name"]: prop["value"].get("value") for prop in node.get("properties", [])}}
            for node in nodes if not node.get("ignored") and node.get("role", {}).get("value") in CONTROL_ROLES]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("page_entry", AXE_PAGES, ids=page_id)
def test_every_control_is_named_and_says_its_state_and_search_counts_aloud(open_page, page_entry, width):
    """WCAG 4.1.2, 4.1.3: every control in the accessibility tree has a name, search results included; the
    palette button says whether it is pressed, the menu and search buttons whether they are open; typing in
    search updates a status message (role=status) with the number of results."""
    page = open_page(page_entry[3], width=width)
    start_theme(page)
    if width == WIDTHS["mobile"]:
        page.click("button.md-header__button[data-toggle=__search]")
    else:
        page.focus(SEARCH_FIELD)
    status = page.locator(".md-search-result [role=status]")
    # The page's own title finds at least the page, whatever its words (a first word may be a stop word).
    page.keyboard.type(page.evaluate("document.querySelector('h1').textContent.trim()"))
    page.wait_for_selector(".md-search-result__item", state="visible")
    settle(page)
    count = page.locator(".md-search-result__item").count()
    said = [int(number) for number in re.findall(r"\d+", status.inner_text())]  # « 1 » may be a word
    assert count == 1 or (said and said[0] >= count), f"the status does not count the results: {status.inner_text()}"
    controls = ax_controls(page)
    assert [c["role"] for c in controls if not c["name"]] == [], "controls without a name"
    assert any(c["role"] == "link" and "?h=" not in c["name"] for c in controls)
    for selector, state in ((PALETTE_BUTTON, "aria-pressed"), ("button.header-toggle", "aria-expanded")):
        for button in page.locator(selector).all():
            assert button.get_attribute(state) in ("true", "false"), f"{selector} without {state}"
    header = [c for c in controls if c["role"] == "button" and ("pressed" in c["properties"] or "expanded" in c["properties"])]
    assert any("pressed" in c["properties"] for c in header), "the palette button's state is not in the tree"


@pytest.mark.parametrize("page_entry", AXE_PAGES, ids=page_id)
def test_html_codesniffer_finds_no_error(open_page, page_entry):
    """The second rule engine: HTML_CodeSniffer's WCAG 2 AA standard, in both palettes, once the theme runs."""
    if not HTMLCS.exists():
        pytest.fail("HTML_CodeSniffer introuvable : npm ci --ignore-scripts (HTML_CodeSniffer not found)")
    page = open_page(page_entry[3], motion="no-preference")
    start_theme(page)
    page.add_script_tag(path=str(HTMLCS))
    for scheme in both_palettes(page):
        errors = page.evaluate("""() => new Promise(resolve => HTMLCS.process("WCAG2AA", document, () => resolve(
          HTMLCS.getMessages().filter(m => m.type === HTMLCS.ERROR)
            .map(m => `${m.code}: ${m.element.outerHTML.slice(0, 120)}`))))""")
        assert errors == [], f"{scheme}:\n" + "\n".join(errors)
