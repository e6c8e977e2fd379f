"""Open data: the plan's data as one JSON file and two CSV files, and the dictionary of their columns.

The JSON file holds the data files of data/ as they are (validated by plan_ovt.loading). Each CSV
column is declared once, below: the same declaration writes the file and renders its dictionary on
the « Données ouvertes » page, so the two cannot drift apart. Text columns come once per language
of the site (text_fr, text_en…); a cell that holds several values separates them with LIST_SEPARATOR.
A CSV cell that a spreadsheet would run as a formula is written as text (inert); the JSON keeps every value exact.
"""

import csv
import io
import json
from html import escape
from typing import Callable, NamedTuple

from babel import Locale

from plan_ovt import rendering
from plan_ovt.rendering import LOCALES, text
from plan_ovt.typography import LANGUAGE_SPAN

LIST_SEPARATOR = " | "
# OWASP, CSV injection: a spreadsheet reads a cell that starts with one of these as a formula (tab and
# carriage return too, which some strip before reading the rest).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
JSON_CONTENT = ("plan", "strategy", "itq", "regions")
MEDIA_TYPES = {"JSON": "application/json", "CSV": "text/csv"}


class Column(NamedTuple):
    """A CSV column: its name ("{lang}" for one column per language), its description, its value in a row."""

    name: str
    description: dict
    value: Callable


def _joined(values):
    return LIST_SEPARATOR.join(values)


# Columns


ACTION_COLUMNS = (
    Column("action_id", {"fr": "Identifiant de l’action (donné par le site ; le plan ne numérote pas ses actions)",
                         "en": "Identifier of the action (given by the site; the plan does not number its actions)"},
           lambda row, lang: row["action"]["id"]),
    Column("text_{lang}", {"fr": "Texte de l’action, en {language}", "en": "Text of the action, in {language}"},
           lambda row, lang: row["action"]["text"][lang]),
    Column("objective_{lang}", {"fr": "Objectif du plan, en {language}", "en": "Objective of the plan, in {language}"},
           lambda row, lang: row["objective"][lang]),
    Column("sector_id", {"fr": "Identifiant du secteur de ressources", "en": "Identifier of the resource sector"},
           lambda row, lang: row["sector"]["id"]),
    Column("sector_{lang}", {"fr": "Secteur de ressources, en {language}", "en": "Resource sector, in {language}"},
           lambda row, lang: row["sector"]["name"][lang]),
    Column("responsible_unit_ids", {"fr": "Identifiants des unités responsables", "en": "Identifiers of the responsible units"},
           lambda row, lang: _joined(unit["id"] for unit in row["units"])),
    Column("responsible_units_{lang}", {"fr": "Unités responsables, en {language}",
                                        "en": "Responsible units, in {language}"},
           lambda row, lang: _joined(unit["name"][lang] for unit in row["units"])),
    Column("deadline_{lang}", {"fr": "Échéance, en {language}", "en": "Deadline, in {language}"},
           lambda row, lang: rendering.deadline_label(row["deadline"], lang)),
    Column("deadline_date", {"fr": "Échéance sous forme de date AAAA-MM-JJ ; vide si l’échéance est un texte",
                             "en": "Deadline as a YYYY-MM-DD date; empty when the deadline is a text"},
           lambda row, lang: row["deadline"].get("date", "")),
)

REGION_COLUMNS = (
    Column("region_number", {"fr": "Numéro officiel de la région administrative (01 à 17)",
                             "en": "Official number of the administrative region (01 to 17)"},
           lambda row, lang: row["region"]["number"]),
    Column("region_name", {"fr": "Nom officiel de la région administrative",
                           "en": "Official name of the administrative region"},
           lambda row, lang: row["region"]["name"]),
    Column("itq_head_office", {"fr": "true si le siège d’ITQ est dans la région, sinon false",
                               "en": "true if ITQ’s head office is in the region, otherwise false"},
           lambda row, lang: "true" if row["head_office"] else "false"),
    Column("itq_office", {"fr": "true si le plan mentionne un bureau d’ITQ dans la région, sinon false",
                          "en": "true if the plan mentions an ITQ office in the region, otherwise false"},
           lambda row, lang: "true" if row["office"] else "false"),
    Column("business_location_cities_{lang}", {"fr": "Villes des places d’affaires d’ITQ dans la région, en {language}",
                                                "en": "Cities of ITQ’s places of business in the region, in {language}"},
           lambda row, lang: _joined(city[lang] for city in row["business_locations"])),
    Column("csri_cities_{lang}", {"fr": "Villes des centres spécialisés en ressources informationnelles (CSRI) dans "
                                        "la région, en {language}",
                                  "en": "Cities of the specialized information resources centres (CSRI) in the region, "
                                        "in {language}"},
           lambda row, lang: _joined(city[lang] for city in row["csri"])),
)

COLUMNS = {"actions": ACTION_COLUMNS, "regions": REGION_COLUMNS}


# Rows


def action_rows(plan):
    """One row per action of the plan's table, with its sector, its units, its deadline and the objective."""
    units = {unit["id"]: unit for unit in plan["units"]}
    return [{"action": action, "sector": sector, "objective": plan["objective"],
             "units": [units[unit] for unit in rendering.action_units(sector, action)],
             "deadline": rendering.action_deadline(sector, action)}
            for sector in plan["sectors"] for action in sector["actions"]]


def region_rows(regions, itq):
    """One row per administrative region, with what the plan says of ITQ's presence there."""
    return [{"region": region, "head_office": region["number"] == itq["head_office"]["region"],
             "office": region["number"] in itq["office_regions"],
             "business_locations": [place["city"] for place in itq["business_locations"]
                                    if place["region"] == region["number"]],
             "csri": [place["city"] for place in itq["csri"] if place["region"] == region["number"]]}
            for region in regions]


# Files


def paths(data):
    """{kind: site-relative path} of every open data file, in the order the page lists them."""
    stem = data["publication"]["open_data_file"]
    return {"json": f"{stem}.json", "actions": f"{stem}-actions.csv", "regions": f"{stem}-regions.csv"}


def files(data, languages):
    """{kind: (site-relative path, bytes)} of every open data file, in the order the page lists them."""
    rows = {"actions": action_rows(data["plan"]), "regions": region_rows(data["regions"], data["itq"])}
    return {kind: (path, json_bytes(data) if kind == "json" else csv_bytes(COLUMNS[kind], rows[kind], languages))
            for kind, path in paths(data).items()}


def expanded(columns, languages):
    """[(name, column, language)]: a "{lang}" column once per language, the others once."""
    return [(column.name.format(lang=lang), column, lang)
            for column in columns
            for lang in (languages if "{lang}" in column.name else [None])]


def csv_bytes(columns, rows, languages):
    """UTF-8 (without BOM), comma-separated, one header line, RFC 4180 quoting and line ends."""
    names = expanded(columns, languages)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(name for name, _, _ in names)
    for row in rows:
        writer.writerow(inert(plain(column.value(row, lang))) for _, column, lang in names)
    return buffer.getvalue().encode("utf-8")


def inert(cell):
    """A cell a spreadsheet shows as written: one that would start a formula gets a leading apostrophe,
    as OWASP advises (the apostrophe is shown, the formula never runs)."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_START) else cell


def plain(value):
    """Data without the site's language marks: [texte]{lang=fr} is read as texte."""
    if isinstance(value, str):
        return LANGUAGE_SPAN.sub(r"\1", value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def json_bytes(data):
    """The data files as they are in data/ (approval date as YYYY-MM-DD, no language marks), with the
    publication's status and the licence."""
    publication = data["publication"]
    content = plain({"status": publication["status"], "licence": publication["licence"],
                     **{name: data[name] for name in JSON_CONTENT}})
    content["plan"] = dict(content["plan"], approved_on=content["plan"]["approved_on"].isoformat())
    return (json.dumps(content, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# Rendering


FILE_DESCRIPTIONS = {
    "json": {"fr": "Toutes les données du plan\u00a0: actions, unités responsables, stratégie gouvernementale, ITQ, "
                   "régions administratives", "en": "All the plan’s data: actions, responsible units, government "
                   "strategy, ITQ, administrative regions"},
    "actions": {"fr": "Une ligne par action du tableau du plan d’action",
                "en": "One row per action of the action plan table"},
    "regions": {"fr": "Une ligne par région administrative, avec la présence d’ITQ selon le plan",
                "en": "One row per administrative region, with ITQ’s presence according to the plan"},
}


def file_list(data, languages, labels, lang, relative_url):
    """The open data files as a list of links, each with its format, real size and content.

    `relative_url` turns a site-relative path into a link from the current page.
    """
    items = []
    for kind, (path, content) in files(data, languages).items():
        file_format = "JSON" if kind == "json" else "CSV"
        items.append(f'<li><a href="{escape(relative_url(path))}" type="{MEDIA_TYPES[file_format]}">'
                     f'{escape(path.rsplit("/", 1)[-1])}</a> '
                     f"({file_format}, {rendering.file_size(len(content), labels, lang)})"
                     f" — {escape(FILE_DESCRIPTIONS[kind][lang])}</li>")
    return '<ul class="open-data-files">' + "".join(items) + "</ul>"


def dictionary_table(kind, data, languages, labels, lang):
    """The dictionary of a CSV file: each column, in file order, with its description in the page's language."""
    names = Locale.parse(LOCALES.get(lang, lang)).languages
    rows = "".join(
        f'<tr><th scope="row"><code>{escape(name)}</code></th>'
        f'<td>{escape(column.description[lang].format(language=names.get(column_lang, column_lang)))}</td></tr>'
        for name, column, column_lang in expanded(COLUMNS[kind], languages))
    caption_id = f"dictionary-{kind}-caption"
    table = (f'<table class="data-dictionary"><caption id="{caption_id}">'
             f'<code>{escape(paths(data)[kind].rsplit("/", 1)[-1])}</code></caption>'
             f'<thead><tr><th scope="col">{text(labels["column"], lang)}</th>'
             f'<th scope="col">{text(labels["column_description"], lang)}</th></tr></thead>'
             f"<tbody>{rows}</tbody></table>")
    return rendering.scroll_region(caption_id, table)
