"""Fidelity to the plan: every sentence of the source (OCR repaired) is on the French site,
and no OCR damage remains in docs/ or data/."""

import re

import pytest

from conftest import ALL_PAGES, LANGUAGES, ROOT
from plan_ovt.loading import load_data

SOURCE = ROOT / "tests/fixtures/plan-ocr.txt"

# OCR damage in the source and its repair, as recorded in data/NOTES.md.
REPAIRS = [
    ("|'", "l’"), ("I'", "l’"), ("I’", "l’"), ("d’'", "d’"), ("l’’", "l’"), ("ceuvre", "œuvre"),
    ("manceuvre", "manœuvre"), ("Cing", "Cinq"), ("Obijectifs", "Objectifs"), ("plutdt", "plutôt"),
    ("matiére", "matière"), ("matiere", "matière"), ("ministeres", "ministères"), ("ministéres", "ministères"), ("ministere ", "ministère "),
    ("systemes", "systèmes"), ("systémes", "systèmes"), ("systeme", "système"), ("10¢ étage", "10e étage"),
    ("itg.gouv", "itq.gouv"), ("clientéle", "clientèle"), ("Clientele", "Clientèle"), ("siege", "siège"),
    ("québeécois", "québécois"), ("concu", "conçu"), ("accroitre", "accroître"), ("facon", "façon"),
    ("ci-apres", "ci-après"), ("étre", "être"), ("amenera", "amènera"), ("A terme", "À terme"),
    ("& Québec", "à Québec"), ("est propriétaires", "est propriétaire"), ("2018-2027", "2018-2022"),
    ("Saguenay—Lac", "Saguenay–Lac"),
]

# OCR damage that must never come back into the sources.
ARTIFACTS = ["|'", " I'", " I’", "ceuvre", "manceuvre", "Cing ", "Obijectifs", "plutdt", "matiére", "ministeres ",
             "systeme", "10¢", "itg.gouv", "clientéle", "québeécois", "concu ", "facon", "ci-apres", "étre "]

# Parts of the source that cannot be read sentence by sentence, each checked its own way: the two
# interleaved columns (UNTANGLED below), the action table (test_action_table_text_is_the_plans)
# and the contact block (tests/test_site.py).
SKIPPED = [("Emplacement et principales", "Sommaire de la Stratégie"),
           ("Les principaux services qu’ITQ offre", "De plus, des centres"),
           ("Plan d’action en occupation et en vitalité des territoires 2020-2022\n\nMaintenir", "Mesures de"),
           ("Infrastructures technologiques Québec\n880", None)]

# Editorial reformatting recorded in data/NOTES.md: the levers sentence became a list.
REFORMATTED = {
    "la capacité des milieux régionaux et leurs outils financiers ainsi que la capacité des ministères et "
    "organismes d’adapter leurs actions afin de les mettre au service des régions.": [
        "la capacité des milieux régionaux et leurs outils financiers",
        "la capacité des ministères et organismes d’adapter leurs actions afin de les mettre au service des régions"],
}

UNTANGLED = [
    "ITQ fournit des services dans toutes les régions du Québec :",
    "aux ministères et aux organismes assujettis à la Loi sur la gouvernance et la gestion des ressources "
    "informationnelles des organismes publics et des entreprises du gouvernement;",
    "aux personnes et aux entités désignées par la ministre responsable de l’Administration gouvernementale "
    "et présidente du Conseil du trésor.",
    "Le siège d’ITQ est sur le territoire de la Ville de Québec et il a établi des places d’affaires à différents "
    "emplacements sur le territoire québécois, notamment à Montréal, à Québec, à Rimouski et à Saguenay.",
    "Il occupe principalement des immeubles dont le gouvernement du Québec est propriétaire, lesquels sont gérés "
    "par la Société québécoise des infrastructures. Il loue quelques immeubles ou parties d’immeubles.",
    "ressources humaines : organisation et tenue de séances d’examen, promotion de la fonction publique comme "
    "employeur et gestion de programmes gouvernementaux;",
    "ressources informationnelles : services bureautiques, entretien et amélioration de solutions applicatives, "
    "systèmes de soutien communs, centres d’assistance et plateformes technologiques, notamment le Réseau national "
    "intégré de radiocommunication (RENIR) conçu prioritairement pour répondre aux besoins en communication de "
    "groupe qui découlent du Plan national de sécurité civile du Québec.",
]


def normalize(text):
    # The OCR lost the grave accent of the preposition « à »: compare without it.
    text = text.replace("'", "’").replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"[«»]", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<= )à(?= )", "a", text)


def repaired_source():
    text = SOURCE.read_text(encoding="utf-8").replace("'", "’")
    for damaged, repaired in REPAIRS:
        text = text.replace(damaged.replace("'", "’"), repaired)
    return text


def source_sentences():
    text = repaired_source()
    for begin, end in SKIPPED:
        i = text.index(begin)
        j = text.index(end, i) if end else len(text)
        text = text[:i] + "\n\n" + text[j:]
    result = []
    # Paragraphs end at a blank line, and at each page of the PDF (its heading starts with a space).
    for paragraph in re.split(r"\n\s*\n|\n(?= \S)", text):
        paragraph = re.sub(r"(?<=[a-zé])-\n(?=[a-z])", "-", paragraph.strip())
        paragraph = re.sub(r"(?m)^\s*(?:[41-]|\d-)\s+(?=\S)", "", paragraph)
        result += [s for s in re.split(r"(?<=[.;:])\s+", normalize(paragraph)) if len(s) > 3]
    return result


def page_text(soup, url):
    article = soup(url).find("article")
    return " ".join(element.get_text(" ") for element in article.children
                    if getattr(element, "get", lambda _: None)("rel") != ["edit"])


def site_text(soup, lang):
    return normalize(" ".join(page_text(soup, url) for page_lang, _, _, url in ALL_PAGES if page_lang == lang))


@pytest.mark.parametrize("sentence", source_sentences())
def test_every_sentence_of_the_plan_is_on_the_french_site(soup, sentence):
    text = site_text(soup, "fr")
    for part in REFORMATTED.get(sentence, [sentence]):
        assert normalize(part) in text


@pytest.mark.parametrize("clause", UNTANGLED)
def test_interleaved_columns_are_untangled(soup, clause):
    assert normalize(clause) in site_text(soup, "fr")


def test_action_table_text_is_the_plans():
    plan = load_data(ROOT / "data", LANGUAGES)["plan"]
    source = normalize(re.sub(r"(?m)^\s*[41-]\s+", "", repaired_source()))
    texts = [plan["objective"]["fr"]] + [unit["name"]["fr"] for unit in plan["units"]]
    for sector in plan["sectors"]:
        texts += [sector["name"]["fr"], sector["deadline"]["fr"]]
        texts += [action["text"]["fr"] for action in sector["actions"]]
    assert [text for text in texts if normalize(text) not in source] == []


SOURCES = sorted(path for folder in ("docs", "data") for path in (ROOT / folder).rglob("*")
                 if path.suffix in (".md", ".yml") and path.name not in ("NOTES.md", "README.md"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_ocr_artifact_in_sources(path):
    text = path.read_text(encoding="utf-8")
    assert [artifact for artifact in ARTIFACTS if artifact in text] == []
