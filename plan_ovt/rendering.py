"""Turn validated data into accessible HTML, in one language at a time.

Every function takes plain data and a language code and returns a string.
Every data value goes through escape(): text in data/ is never HTML nor Jinja.
"""

import math
from datetime import date
from html import escape

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALES = {"fr": "fr_CA", "en": "en_CA"}


# Helpers


def text(value, lang):
    """The escaped text of a data value: its version in the page's language, or the value itself."""
    return escape(str(value[lang] if isinstance(value, dict) else value))


def long_date(day, lang):
    """A date written out the way each language writes it (31 mars 2021 / March 31, 2021)."""
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
    them share one cell, as in the plan.
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
                             f'headers="col-sector">{text(sector["name"], lang)}</th>')
            cells.append(f'<td headers="col-action {sector_id}" id="action-{action["id"]}">'
                         f'{text(action["text"], lang)}</td>')
            if index in unit_spans:
                unit_ids, span = unit_spans[index]
                unit_names = _list(text(units[unit], lang) for unit in unit_ids)
                cells.append(f'<td{_rowspan(span)} headers="col-responsible_units {sector_id}">{unit_names}</td>')
            if index in deadline_spans:
                deadline, span = deadline_spans[index]
                cells.append(f'<td{_rowspan(span)} headers="col-deadline {sector_id}">{deadline}</td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
        bodies.append("<tbody>" + "".join(rows) + "</tbody>")
    table = (f'<table class="action-table"><caption id="{caption_id}">{label["action_table_caption"]} '
             f'<span class="objective">{text(plan["objective"], lang)}</span></caption>'
             f"<thead><tr>{head}</tr></thead>{''.join(bodies)}</table>")
    return _sector_links(plan, label, lang) + scroll_region(caption_id, table)


def action_units(sector, action):
    """The ids of an action's responsible units: its own if it names them, else its sector's."""
    return action.get("responsible_units", sector["responsible_units"])


def action_deadline(sector, action):
    """An action's deadline: its own if it has one, else its sector's."""
    return action.get("deadline", sector["deadline"])


def deadline_label(deadline, lang):
    """A deadline as read, unescaped: a date written out (31 mars 2022), or its text (En continu)."""
    if isinstance(deadline, str):
        return format_date(date.fromisoformat(deadline), format="long", locale=LOCALES.get(lang, lang))
    return deadline[lang]


def _runs(values):
    """{first index: (value, length)} for each run of equal consecutive values."""
    runs, start = {}, 0
    for index in range(1, len(values) + 1):
        if index == len(values) or values[index] != values[start]:
            runs[start] = (values[start], index - start)
            start = index
    return runs


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


def regions_table(regions, itq, labels, lang):
    """The 17 administrative regions with what the plan says of ITQ's presence in each."""
    label = {key: text(value, lang) for key, value in labels.items()}
    caption_id = "regions-caption"
    rows = []
    for region in regions:
        number = region["number"]
        presence = []
        if number in itq["office_regions"]:
            presence.append(label["office"])
        presence += [f'{label["business_location"]}{colon(lang)} {escape(place["city"])}'
                     for place in itq["business_locations"] if place["region"] == number]
        presence += [f'{label["csri"]} — {escape(place["city"])}'
                     for place in itq["csri"] if place["region"] == number]
        shown = _list(presence) if presence else f'<span class="no-mention">{label["no_mention"]}</span>'
        rows.append(f'<tr><td>{escape(number)}</td><th scope="row">{escape(region["name"])}</th>'
                    f"<td>{shown}</td></tr>")
    table = (f'<table class="regions-table"><caption id="{caption_id}">{label["regions_caption"]}</caption>'
             f'<thead><tr><th scope="col">{label["region_number"]}</th><th scope="col">{label["region"]}</th>'
             f'<th scope="col">{label["presence"]}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return scroll_region(caption_id, table)


def region_name(regions, number):
    """The official name of a region, by its number."""
    return escape(next(region["name"] for region in regions if region["number"] == number))


def contact_block(itq, labels, lang):
    """ITQ's postal address, email and website as an <address> block."""
    office = itq["head_office"]
    email = escape(itq["email"])
    website = escape(itq["website"])
    return (f'<address class="contact">{escape(itq["name"])}<br>'
            f'{escape(office["street"])}, {text(office["floor"], lang)}<br>'
            f'{escape(office["city"])} {escape(office["postal_code"])}<br>'
            f'{text(labels["email"], lang)}{colon(lang)} <a href="mailto:{email}">{email}</a><br>'
            f'{text(labels["website"], lang)}{colon(lang)} <a href="{website}">{website}</a></address>')
