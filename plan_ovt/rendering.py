"""Turn validated data into accessible HTML, in one language at a time.

Every function takes plain data and a language code and returns a string.
Every data value goes through escape(): text in data/ is never HTML nor Jinja.
"""

import functools
import math
from datetime import date
from html import escape

from babel.dates import format_date
from babel.numbers import format_decimal

from plan_ovt.typography import language_spans

LOCALES = {"fr": "fr_CA", "en": "en_CA"}


# Helpers


def text(value, lang):
    """The escaped text of a data value: its version in the page's language, or the value itself.

    Words of another language written [texte]{lang=fr} come out as <span lang="fr">texte</span>.
    """
    return language_spans(escape(str(value[lang] if isinstance(value, dict) else value)))


@functools.lru_cache(maxsize=None)
def long_date(day, lang):
    """A date written out the way each language writes it (31 mars 2021 / March 31, 2021); the same few
    dates come back on every page (the approval, the records), and Babel finds its locale data each time."""
    return escape(format_date(day, format="long", locale=LOCALES.get(lang, lang)))


def file_size(size, labels, lang):
    """A file's size in kilobytes (1 kB = 1,000 bytes, rounded up), written the page's way: 124 Ko, 1 234 Ko."""
    kilobytes = max(1, math.ceil(size / 1000))
    return f"{format_decimal(kilobytes, locale=LOCALES.get(lang, lang))}\u00a0{text(labels['kilobytes'], lang)}"


def colon(lang):
    """A colon as each language writes it: French puts a non-breaking space before it."""
    return "\u00a0:" if lang == "fr" else ":"


def _list(items, css_class=None):
    attributes = f' class="{css_class}"' if css_class else ""
    return f"<ul{attributes}>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def scroll_region(caption_id, table):
    """Wide tables scroll inside their own labelled, focusable region instead of the page."""
    return (f'<div class="table-scroll" role="region" tabindex="0" aria-labelledby="{caption_id}">'
            f"{table}</div>")


# Rendering


def action_table(plan, labels, lang):
    """The plan's table: one row per action, each tied by headers to its sector, units and deadline.

    Units and deadline are the sector's unless an action sets its own; consecutive actions that share
    them share one cell, as in the plan. A cell spanning rows cannot follow each action into the block
    layout of narrow screens (extra.css), so each action cell also holds its own units and deadline,
    `hidden` (out of the page, its accessibility tree, the PDF, the search index) until that layout
    shows them instead.
    """
    label = {key: text(value, lang) for key, value in labels.items()}
    caption_id = "tableau-plan-caption"
    head = "".join(
        f'<th scope="col" id="col-{key}">{label[key]}</th>'
        for key in ("sector", "action", "responsible_units", "deadline"))
    units = {unit["id"]: unit["name"] for unit in plan["units"]}
    bodies = []
    for sector in plan["sectors"]:
        sector_id = f"secteur-{sector['id']}"
        actions = sector["actions"]
        unit_spans = _runs([tuple(action_units(sector, action)) for action in actions])
        deadline_spans = _runs([escape(deadline_label(action_deadline(sector, action), lang)) for action in actions])
        rows = []
        for index, action in enumerate(actions):
            cells = []
            if index == 0:
                cells.append(f'<th scope="rowgroup" rowspan="{len(actions)}" id="{sector_id}" '
                             f'headers="col-sector">{_block_label(label["sector"], lang)}'
                             f'{text(sector["name"], lang)}</th>')
            unit_names = _list(text(units[unit], lang) for unit in action_units(sector, action))
            deadline = escape(deadline_label(action_deadline(sector, action), lang))
            details = (f'<dl class="block-details" hidden data-search-exclude><dt>{label["responsible_units"]}</dt><dd>{unit_names}</dd>'
                       f'<dt>{label["deadline"]}</dt><dd>{deadline}</dd></dl>')
            cells.append(f'<td headers="col-action {sector_id}" id="action-{action["id"]}">'
                         f'{text(action["text"], lang)}{details}</td>')
            if index in unit_spans:
                cells.append(f'<td{_rowspan(unit_spans[index][1])} headers="col-responsible_units {sector_id}">'
                             f'{unit_names}</td>')
            if index in deadline_spans:
                cells.append(f'<td{_rowspan(deadline_spans[index][1])} headers="col-deadline {sector_id}">'
                             f'{deadline}</td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
        bodies.append("<tbody>" + "".join(rows) + "</tbody>")
    table = (f'<table class="action-table"><caption id="{caption_id}">{label["action_table_caption"]} '
             f'<span class="objective">{text(plan["objective"], lang)}</span></caption>'
             f"<thead><tr>{head}</tr></thead>{''.join(bodies)}</table>")
    return (_sector_links(plan, label, lang) + site_note(label["action_table_site_text"], label)
            + scroll_region(caption_id, table))


def site_note(content, label):
    """Words the site adds to a page of the plan, said to be the site's, visibly and aloud."""
    return f'<p class="site-text"><strong>{label["site_note"]}</strong> {content}</p>'


def action_units(sector, action):
    """The ids of an action's responsible units: its own if it names them, else its sector's."""
    return action.get("responsible_units", sector["responsible_units"])


def action_deadline(sector, action):
    """An action's deadline: its own if it has one, else its sector's."""
    return action.get("deadline", sector["deadline"])


def deadline_label(deadline, lang):
    """A deadline as read, unescaped: its date written out (31 mars 2022), or its text (En continu)."""
    if "date" in deadline:
        return format_date(date.fromisoformat(deadline["date"]), format="long", locale=LOCALES.get(lang, lang))
    return deadline[lang]


def _runs(values):
    """{first index: (value, length)} for each run of equal consecutive values."""
    runs, start = {}, 0
    for index in range(1, len(values) + 1):
        if index == len(values) or values[index] != values[start]:
            runs[start] = (values[start], index - start)
            start = index
    return runs


def _block_label(label, lang):
    """A column's name for a cell, `hidden` but in the block layout of narrow screens, which shows no column header."""
    return f'<span class="block-label" hidden data-search-exclude>{label}{colon(lang)} </span>'


def _rowspan(span):
    return f' rowspan="{span}"' if span > 1 else ""


def _sector_links(plan, label, lang):
    """In-page links to each sector of the table, so a long table can be reached part by part."""
    links = "".join(f'<li><a href="#secteur-{sector["id"]}">{text(sector["name"], lang)}</a> '
                    f'({len(sector["actions"])})</li>' for sector in plan["sectors"])
    return f'<nav class="table-sectors" aria-label="{label["sectors_nav"]}"><ul>{links}</ul></nav>'


def strategy_objectives(strategy, lang):
    """The strategy's objectives as a numbered list, with their sub-points."""
    items = []
    for objective in strategy["objectives"]:
        details = _list(text(detail, lang) for detail in objective.get("details", []))
        items.append(f'<li value="{objective["number"]}">{text(objective["text"], lang)}'
                     f'{details if objective.get("details") else ""}</li>')
    return '<ol class="objectives">' + "".join(items) + "</ol>"


def levers(strategy, lang):
    """The strategy's levers as a list."""
    return _list(text(lever, lang) for lever in strategy["levers"])


def regions_table(regions, itq, labels, lang, names_lang="fr"):
    """The 17 administrative regions with what the plan says of ITQ's presence in each.

    Region names are official French names: marked as such on pages of another language.
    """
    mark = f' lang="{names_lang}"' if lang != names_lang else ""
    label = {key: text(value, lang) for key, value in labels.items()}
    caption_id = "regions-caption"
    rows = []
    for region in regions:
        number = region["number"]
        presence = [label["head_office"]] if itq["head_office"]["region"] == number else []
        if number in itq["office_regions"]:
            presence.append(label["office"])
        presence += [f'{label["business_location"]}{colon(lang)} {text(place["city"], lang)}'
                     for place in itq["business_locations"] if place["region"] == number]
        presence += [f'{label["csri"]} — {text(place["city"], lang)}'
                     for place in itq["csri"] if place["region"] == number]
        shown = _list(presence) if presence else f'<span class="no-mention">{label["no_mention"]}</span>'
        rows.append(f'<tr><td>{escape(number)}</td><th scope="row"{mark}>{escape(region["name"])}</th>'
                    f"<td>{shown}</td></tr>")
    table = (f'<table class="regions-table"><caption id="{caption_id}">{label["regions_caption"]}</caption>'
             f'<thead><tr><th scope="col">{label["region_number"]}</th><th scope="col">{label["region"]}</th>'
             f'<th scope="col">{label["presence"]}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return scroll_region(caption_id, table)


def region_name(regions, number):
    """The official name of a region, by its number."""
    return escape(next(region["name"] for region in regions if region["number"] == number))


def contact_block(itq, labels, lang, names_lang="fr"):
    """ITQ's postal address and email as the plan gives them, as an <address> block.

    The street is a French name: marked as such on pages of another language.
    """
    office = itq["head_office"]
    email = escape(itq["email"])
    street = escape(office["street"]) if lang == names_lang else f'<span lang="{names_lang}">{escape(office["street"])}</span>'
    return (f'<address class="contact">{escape(itq["name"])}<br>'
            f'{street}, {text(office["floor"], lang)}<br>'
            f'{escape(office["city"])} {escape(office["postal_code"])}<br>'
            f'{text(labels["email"], lang)}{colon(lang)} <a href="mailto:{email}">{email}</a></address>')


# Marks what a publication setting left empty would leave out of a page: `make publish-check` refuses
# a site that carries it (plan_ovt.publish).
MISSING_SETTING = "data-missing-setting"


def accessibility_contact(publication, labels, lang):
    """Where readers report an accessibility problem or ask for another format, and how soon they get an
    answer: the site's own address and commitment, settings of the publishing team."""
    email, days = publication.get("accessibility_contact"), publication.get("accessibility_response_days")
    if not email:
        return (f'<p class="no-contact" {MISSING_SETTING}="accessibility_contact">'
                f'{text(labels["accessibility_contact_missing"], lang)}</p>')
    answer = (escape(labels["accessibility_response"][lang].format(days=days)) if days else
              f'<span {MISSING_SETTING}="accessibility_response_days">'
              f'{text(labels["accessibility_response_missing"], lang)}</span>')
    return (f'<p>{text(labels["accessibility_contact"], lang)} '
            f'<a href="mailto:{escape(email)}">{escape(email)}</a>. {answer}</p>')


# Kinds of records, in the order the note on the edition presents them: ITQ's own changes first.
EDITION_KINDS = ("erratum", "update", "correction", "addition", "ocr", "presentation", "translation", "reference")


def page_list(pairs, lang, link):
    """The pages of `pairs` in `lang`, each linked by its navigation title (link: site URL → the page's address)."""
    return '<ul class="site-pages">' + "".join(
        f'<li><a href="{escape(link(pair[lang]["url"]))}">{escape(pair[lang]["title"])}</a></li>' for pair in pairs) + "</ul>"


def edition_notes(records, labels, lang, default):
    """Every record of data/changes.yml, grouped by kind, each with its date, what, why and changes.

    The changes quote the plan's text, which is in the default language: marked as such on other pages.
    """
    sections = []
    for kind in EDITION_KINDS:
        items = []
        for record in records:
            if record["kind"] != kind:
                continue
            day = date.fromisoformat(record["date"])
            changes = "".join(_change(change, labels, lang, default) for change in record.get("changes", []))
            items.append(f'<li><p><time datetime="{day.isoformat()}">{long_date(day, lang)}</time> — '
                         f'{text(record["what"], lang)}</p>'
                         f'<p>{text(labels["edition_why"], lang)}{colon(lang)} {text(record["why"], lang)}</p>'
                         + (f'<ul class="edition-changes">{changes}</ul>' if changes else "") + "</li>")
        if items:
            sections.append(f'<h2 id="notes-{kind}">{text(labels[f"edition_{kind}"], lang)}</h2>'
                            f'<ol class="edition-notes">{"".join(items)}</ol>')
    return "".join(sections)


def _change(change, labels, lang, default):
    quoted = ' lang="{0}"'.format(default) if lang != default else ""
    if change.get("before") and change.get("before") == change.get("after"):  # the same text, in another place
        return (f'<li>{text(labels["edition_moved"], lang)}{colon(lang)} '
                f'<q{quoted}>{escape(change["before"])}</q></li>')
    parts = []
    if change.get("before"):
        parts.append(f'{text(labels["edition_before"], lang)}{colon(lang)} <q{quoted}>{escape(change["before"])}</q>')
    if change.get("after"):
        parts.append(f'{text(labels["edition_after"], lang)}{colon(lang)} <q{quoted}>{escape(change["after"])}</q>')
    return "<li>" + (" ; " if lang == "fr" else "; ").join(parts) + "</li>"
