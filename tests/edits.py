"""Edits of every kind the guide teaches, made on a copy as an editor would, each recorded when it changes
the plan with the record `make check` proposes. Every edit finds its target from the structure of the
content (a sector with two actions, a plan page's first paragraph), never from today's words: any content
that `make check` accepts can be edited so.
"""

import re
from datetime import date

import yaml

from plan_ovt import fidelity, pages
from plan_ovt.loading import load_data

# A small real image and a real PDF, as an editor would add them (docs/assets/images/, docs/assets/documents/).
PNG = bytes.fromhex("89504e470d0a1a0a0000000d494844520000000100000001080600000000"
                    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f2e3d90000000049454e44ae426082")


def read_yaml(project, name):
    return yaml.safe_load((project / "data" / name).read_text(encoding="utf-8"))


def write_yaml(project, name, data):
    (project / "data" / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100),
                                         encoding="utf-8")


def config_of(project):
    return pages.read_config(project / "mkdocs.yml")


def proposed_changes(project):
    """The changes of the records `make check` proposes for what differs from the approved plan, as an editor
    copies them from its messages (the `where`, `before` and `after` lines of each proposal)."""
    config = config_of(project)
    data = load_data(project / "data", pages.languages(config))
    changes = []
    for finding in fidelity.fidelity_problems(project, data, config):
        proposal = re.search(r"\n( +- date: .*?)\n +sinon", finding.fix, re.S)
        assert proposal, finding  # every other difference is a defect of the edit itself
        snippet = proposal.group(1)
        indent = len(snippet) - len(snippet.lstrip())
        record = yaml.safe_load("\n".join(line[indent:] for line in snippet.splitlines()))[0]
        changes += [change for change in record["changes"] if change not in changes]
    return changes


def add_record(project, kind, what_fr, what_en, changes=None):
    """A dated record at the end of data/changes.yml: what changed and why, in both languages."""
    records = read_yaml(project, "changes.yml")
    record = {"date": date.today().isoformat(), "kind": kind, "what": {"fr": what_fr, "en": what_en},
              "why": {"fr": "Décision d’ITQ", "en": "ITQ’s decision"}}
    if changes:
        record["changes"] = changes
    write_yaml(project, "changes.yml", records + [record])


def recorded(kind, what_fr, what_en):
    """An edit of the plan, then its record as `make check` proposes it."""
    def decorate(edit):
        def edit_and_record(project):
            edit(project)
            changes = proposed_changes(project)
            assert changes, f"{edit.__name__} changed nothing of the plan"
            add_record(project, kind, what_fr, what_en, changes)
        edit_and_record.__name__, edit_and_record.records = edit.__name__, True
        return edit_and_record
    return decorate


def sector_with_actions(plan, count=2, last=False):
    sectors = [sector for sector in plan["sectors"] if len(sector["actions"]) >= count]
    assert sectors, f"no sector has {count} actions"
    return sectors[-1 if last else 0]


def rebase(project):
    """The copy's approved reference becomes what its sources say, through the guide's procedure (a `reference`
    record with its fingerprint; the records before it no longer apply): a rule test then starts from a plan
    equal to its reference, whatever today's content and records hold."""
    config = config_of(project)
    records = read_yaml(project, "changes.yml")
    keys = set(fidelity.plan_page_keys(project, records))
    path = project / fidelity.REFERENCE
    reference = yaml.safe_load(path.read_text(encoding="utf-8"))
    reference["units"] = {where: texts for where, texts in fidelity.snapshot(project, config).items()
                          if not where.startswith("page:") or where[len("page:"):] in keys}
    path.write_text(yaml.safe_dump(reference, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    add_record(project, "reference", "Nouvelle édition de référence.", "New reference edition.")
    records = read_yaml(project, "changes.yml")
    records[-1]["fingerprint"] = fidelity.reference_fingerprint(project)
    write_yaml(project, "changes.yml", records)


# The plan's data


@recorded("update", "Deux actions changent de place.", "Two actions change places.")
def swap_two_actions(project):
    plan = read_yaml(project, "plan.yml")
    actions = sector_with_actions(plan)["actions"]
    actions[0], actions[1] = actions[1], actions[0]
    write_yaml(project, "plan.yml", plan)


@recorded("update", "Une action est retirée.", "An action is removed.")
def remove_an_action(project):
    plan = read_yaml(project, "plan.yml")
    sector_with_actions(plan, last=True)["actions"].pop()
    write_yaml(project, "plan.yml", plan)


@recorded("addition", "Une action et son unité responsable sont ajoutées.", "An action and its unit are added.")
def add_an_action_with_a_new_unit(project):
    plan = read_yaml(project, "plan.yml")
    plan["units"].append({"id": "unite-ajoutee", "name": {"fr": "Direction régionale",
                                                          "en": "[Direction régionale]{lang=fr}"}})
    plan["sectors"][0]["actions"].append({"id": "action-ajoutee", "text": {
        "fr": "Accueil des personnes en région", "en": "Welcoming people in the regions"},
        "responsible_units": ["unite-ajoutee"]})
    write_yaml(project, "plan.yml", plan)


@recorded("update", "L’échéance d’un secteur devient une date.", "A sector’s deadline becomes a date.")
def change_a_sector_deadline(project):
    plan = read_yaml(project, "plan.yml")
    sector = plan["sectors"][-1]
    sector["deadline"] = {"date": date(2022, 6, 30) if sector["deadline"].get("date") != date(2022, 6, 30)
                          else date(2022, 3, 31)}
    write_yaml(project, "plan.yml", plan)


@recorded("update", "Une action reçoit sa propre échéance.", "An action gets a deadline of its own.")
def give_an_action_its_own_deadline(project):
    plan = read_yaml(project, "plan.yml")
    plan["sectors"][0]["actions"][0]["deadline"] = {"fr": "Au besoin", "en": "As needed"}
    write_yaml(project, "plan.yml", plan)


@recorded("update", "Une action change d’unité responsable.", "An action changes its responsible unit.")
def change_the_units_of_an_action(project):
    plan = read_yaml(project, "plan.yml")
    sector = plan["sectors"][-1]
    action = sector["actions"][0]
    current = action.get("responsible_units") or sector["responsible_units"]
    action["responsible_units"] = [next(unit["id"] for unit in plan["units"] if unit["id"] not in current)]
    write_yaml(project, "plan.yml", plan)


@recorded("erratum", "Le texte d’une action est précisé.", "The text of an action is made clearer.")
def erratum_in_an_action_in_both_languages(project):
    plan = read_yaml(project, "plan.yml")
    text = plan["sectors"][-1]["actions"][-1]["text"]
    text["fr"] = text["fr"].rstrip(". ") + ", en région"
    text["en"] = text["en"].rstrip(". ") + ", in the regions"
    write_yaml(project, "plan.yml", plan)


# The pages


def page_pairs(project):
    return pages.page_pairs(config_of(project), project / "docs")


def plan_pairs(project):
    keys = fidelity.plan_page_keys(project, read_yaml(project, "changes.yml"))
    return [pair for pair in page_pairs(project) if pair["fr"]["key"] in keys]


def site_pairs(project):
    keys = fidelity.plan_page_keys(project, read_yaml(project, "changes.yml"))
    return [pair for pair in page_pairs(project) if pair["fr"]["key"] not in keys and pair["fr"]["file"] != "index.md"]


def first_paragraph(path):
    """(text, start, end) of the first plain paragraph after the page's title: no heading, list, macro or markup."""
    text = path.read_text(encoding="utf-8")
    title = text.index("\n# ")
    for block in re.finditer(r"(?m)^(?![#>*\-+|\d{<!\[ ])[^\n]+(?:\n(?![#>*\-+|\d{<]|\n)[^\n]+)*", text[title + 1:]):
        words = block.group()
        if words.rstrip().endswith(".") and not re.search(r"[{}<>\[\]*_`]", words):
            return words, title + 1 + block.start(), title + 1 + block.end()
    return None


def edit_paragraph(path, change):
    found = first_paragraph(path)
    assert found, f"{path} has no plain paragraph"
    words, start, end = found
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:start] + change(words) + text[end:], encoding="utf-8")


def change_a_plan_word(project):
    """A word of a plan page's first paragraph replaced, as a typo fixed: (file, line, old word, new word)."""
    pair = next(pair for pair in plan_pairs(project) if first_paragraph(project / "docs/fr" / pair["fr"]["file"]))
    path = project / "docs/fr" / pair["fr"]["file"]
    words, start, _ = first_paragraph(path)
    old = next(word for word in re.findall(r"\w{6,}", words) if len(re.findall(rf"\b{word}\b", words)) == 1)
    new = "remplacé" if old != "remplacé" else "changé"
    index = start + re.search(rf"\b{old}\b", words).start()
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:index] + new + text[index + len(old):], encoding="utf-8")
    return path.relative_to(project).as_posix(), text.count("\n", 0, index) + 1, old, new


@recorded("update", "Une phrase est ajoutée au plan.", "A sentence is added to the plan.")
def add_a_sentence_in_both_languages(project):
    pair = next(pair for pair in plan_pairs(project)
                if all(first_paragraph(project / "docs" / lang / pair[lang]["file"]) for lang in ("fr", "en")))
    for lang, sentence in (("fr", " Cette phrase est ajoutée."), ("en", " This sentence is added.")):
        edit_paragraph(project / "docs" / lang / pair[lang]["file"], lambda words: words.rstrip() + sentence)


def _blocks(text):
    head, _, body = text.partition("\n# ")
    title, *blocks = re.split(r"\n\n+", body.strip("\n"))
    return head, title, blocks


@recorded("update", "Deux paragraphes changent de place.", "Two paragraphs change places.")
def move_a_paragraph_in_both_languages(project):
    def movable(path):
        _, _, blocks = _blocks(path.read_text(encoding="utf-8"))
        return len(blocks) >= 2 and blocks[0] != blocks[1] and not any("{" in block for block in blocks[:2])
    pair = next(pair for pair in reversed(plan_pairs(project))
                if all(movable(project / "docs" / lang / pair[lang]["file"]) for lang in ("fr", "en")))
    for lang in ("fr", "en"):
        path = project / "docs" / lang / pair[lang]["file"]
        head, title, blocks = _blocks(path.read_text(encoding="utf-8"))
        blocks[0], blocks[1] = blocks[1], blocks[0]
        path.write_text(f"{head}\n# " + "\n\n".join([title, *blocks]) + "\n", encoding="utf-8")


def append_to_site_page(project, lines):
    """Add a paragraph at the end of a page of the site's own (not of the plan), in each language."""
    pair = site_pairs(project)[0]
    for lang, line in lines.items():
        path = project / "docs" / lang / pair[lang]["file"]
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{line}\n", encoding="utf-8")


def add_a_page(project):
    for lang, file, title, description in (("fr", "glossaire.md", "Glossaire", "Les mots du plan."),
                                           ("en", "glossary.md", "Glossary", "The words of the plan.")):
        (project / "docs" / lang / file).write_text(
            f"---\ntitle: {title}\ndescription: \"{description}\"\ntranslation_key: glossaire\n---\n\n"
            f"# {title}\n\nITQ.\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    last_english = re.findall(r"(?m)^ {12,}- .+: .+\.md\n", text)[-1]
    indent = last_english[: len(last_english) - len(last_english.lstrip())]
    text = text.replace(last_english, last_english + f"{indent}- Glossary: glossary.md\n")
    last_french = re.findall(r"(?m)^ *- .+: .+\.md$", text)[-1]
    indent = last_french[: len(last_french) - len(last_french.lstrip())]
    config.write_text(text.rstrip("\n") + f"\n{indent}- Glossaire: glossaire.md\n", encoding="utf-8")


def add_an_image(project):
    """As CONTRIBUTING teaches: one file in docs/assets/images/, shown in each language with its own alt text."""
    (project / "docs/assets/images").mkdir(parents=True, exist_ok=True)
    (project / "docs/assets/images/carte-ajoutee.png").write_bytes(PNG)
    append_to_site_page(project, {"fr": "![Carte des régions](../assets/images/carte-ajoutee.png)",
                                  "en": "![Map of the regions](../assets/images/carte-ajoutee.png)"})


def add_a_document(project):
    """As CONTRIBUTING teaches: a document per language in docs/assets/documents/, linked with its format and size."""
    import pikepdf
    folder = project / "docs/assets/documents"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("rapport-ajoute.pdf", "report-added.pdf"):
        document = pikepdf.new()
        document.add_blank_page()
        document.save(folder / name)
    append_to_site_page(project, {"fr": "[Rapport annuel (PDF, 1 Ko)](../assets/documents/rapport-ajoute.pdf)",
                                  "en": "[Annual report (PDF, 1 KB)](../assets/documents/report-added.pdf)"})


def change_the_status(project):
    publication = read_yaml(project, "publication.yml")
    state = "archived" if publication["status"]["state"] != "archived" else "current"
    publication["status"] = {"state": state, "title": {"fr": "Plan conservé.", "en": "Plan kept."},
                             "text": {"fr": "Ce plan est conservé à titre de référence.",
                                      "en": "This plan is kept for reference."}}
    write_yaml(project, "publication.yml", publication)


def set_a_licence(project):
    publication = read_yaml(project, "publication.yml")
    publication["licence"] = {"name": {"fr": "Licence ouverte", "en": "Open licence"},
                              "url": "https://example.org/licence"}
    write_yaml(project, "publication.yml", publication)


# The batch CI applies (tests/test_edit_batch.py): every kind, in an order where none undoes another.
BATCH = [swap_two_actions, remove_an_action, add_an_action_with_a_new_unit, change_a_sector_deadline,
         give_an_action_its_own_deadline, change_the_units_of_an_action, erratum_in_an_action_in_both_languages,
         add_a_sentence_in_both_languages, move_a_paragraph_in_both_languages, add_a_page, add_an_image,
         add_a_document, change_the_status, set_a_licence]
