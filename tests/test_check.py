"""The rulebook (`make check`): each rule fires on a temporary copy, on the right line, in French first,
without a traceback; the edits the guide teaches pass it once recorded; its findings reach the forges."""

import json
import re
import subprocess
import sys

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT
from edits import PNG, change_a_plan_word, plan_pairs, read_yaml, rebase, site_pairs, write_yaml
from plan_ovt import findings, pages
from plan_ovt.loading import _Loader


def run_check(project, *arguments):
    return subprocess.run([sys.executable, "-m", "plan_ovt.check", *arguments], cwd=project, capture_output=True,
                          text=True)


def replace(project, file, old, new):
    """Replace the first `old` of a file by `new`; returns the line where it was."""
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{file} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def append_line(project, file, line_text):
    """Add a line at the end of a file; returns its line number."""
    path = project / file
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line_text}\n", encoding="utf-8")
    return len(path.read_text(encoding="utf-8").splitlines())


def line_of(project, file, needle):
    text = (project / file).read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


def first_block_line(project, file):
    """Line of the first paragraph after the title of a page: a line of plan text to break."""
    lines = (project / file).read_text(encoding="utf-8").splitlines()
    title = next(i for i, line in enumerate(lines) if line.startswith("# "))
    return next(i for i in range(title + 1, len(lines)) if lines[i].strip()) + 1


def plan_page(project):
    """A French page of the plan (whatever its name) whose first two blocks after the title are plain text."""
    def movable(file):
        blocks = re.split(r"\n\n+", (project / file).read_text(encoding="utf-8").partition("\n# ")[2].strip("\n"))[1:3]
        return len(blocks) == 2 and blocks[0] != blocks[1] and not any("{" in block for block in blocks)
    return next(file for file in (f"docs/fr/{pair['fr']['file']}" for pair in plan_pairs(project)) if movable(file))


def site_page(project, lang="fr"):
    """A page of the site's own, not of the plan: free text."""
    return f"docs/{lang}/{site_pairs(project)[0][lang]['file']}"


def assert_finding(result, file, line, words):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    heads = [head for head in result.stderr.splitlines() if words in head and not head.startswith("    ")]
    assert heads, result.stderr
    where = rf":{line}(:\d+)?" if line else r"(:\d+)*"
    assert any(re.match(rf"{re.escape(file)}{where}: ", head) for head in heads), (heads, line)
    assert "À faire : " in result.stderr and "[en] " in result.stderr


def test_real_content_passes_clean():
    result = run_check(ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


# Each rule fires, with its message on the edited line


def break_sentence(project, file, old, new):
    return replace(project, file, old, new)


@pytest.mark.parametrize("lang, sentence, words", [("fr", "Une phrase de planiffication.", "planiffication"),
                                                    ("en", "A sentence on developement.", "developement")])
def test_spelling(project, lang, sentence, words):
    file = site_page(project, lang)
    line = append_line(project, file, sentence)
    assert_finding(run_check(project), file, line, f"mot inconnu « {words} »")


def test_spelling_in_data(project):
    plan = read_yaml(project, "plan.yml")
    plan["sectors"][0]["actions"][0]["text"]["fr"] = "Organisation des séannces d’examen"
    write_yaml(project, "plan.yml", plan)
    line = line_of(project, "data/plan.yml", "séannces")
    assert_finding(run_check(project), "data/plan.yml", line, "mot inconnu « séannces »")


def test_front_matter_without_closing_quote(project):
    file = site_page(project)
    line = line_of(project, file, "description:")
    path = project / file
    path.write_text(re.sub(r'(?m)^(description: ".*)"$', r"\1", path.read_text(encoding="utf-8"), count=1),
                    encoding="utf-8")
    assert_finding(run_check(project), file, line, "en-tête de page illisible")


@pytest.mark.parametrize("key", ["description", "title", "translation_key"])
def test_front_matter_required_keys(project, key):
    file = site_page(project, "en")
    path = project / file
    path.write_text(re.sub(rf"(?m)^{key}:.*\n", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    assert_finding(run_check(project), file, 2, f"champ « {key} »")  # the first line of the front matter


def test_front_matter_unknown_key(project):
    file = site_page(project)
    line = replace(project, file, "description:", "descripton:")
    assert_finding(run_check(project), file, line, "champ inconnu")


def test_image_without_alt_text(project):
    file = site_page(project)
    line = append_line(project, file, "![](carte.png)")
    assert_finding(run_check(project), file, line, "image sans texte de remplacement")


def test_an_image_added_as_the_guide_teaches_works_in_both_languages(project):
    """One file in docs/assets/images/, shown on a page of the plan in each language with its own alt text: the
    same ../assets/images/ address in both, and the alt text is the site's text, not a change to the plan."""
    (project / "docs/assets/images").mkdir(parents=True)
    (project / "docs/assets/images/carte.png").write_bytes(PNG)
    pair = plan_pairs(project)[0]
    for lang, alt in (("fr", "Carte des régions"), ("en", "Map of the regions")):
        append_line(project, f"docs/{lang}/{pair[lang]['file']}", f"![{alt}](../assets/images/carte.png)")
    result = run_check(project)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("heading, words", [("# Un autre titre", "deuxième titre principal"),
                                            ("#### Trop bas", "niveau de titre sauté")])
def test_heading_levels(project, heading, words):
    file = site_page(project)
    line = append_line(project, file, heading)
    assert_finding(run_check(project), file, line, words)


def test_link_without_text(project):
    file = site_page(project, "en")
    line = append_line(project, file, "See [](index.md).")
    assert_finding(run_check(project), file, line, "lien sans texte")


def test_link_to_a_missing_page(project):
    file = site_page(project)
    line = append_line(project, file, "Voir [la page](introducton.md).")
    assert_finding(run_check(project), file, line, "mène à une page qui n’existe pas")


def test_link_to_a_missing_anchor(project):
    file = site_page(project)
    line = append_line(project, file, f"Voir [la page]({site_pairs(project)[-1]['fr']['file']}#nulle-part).")
    assert_finding(run_check(project), file, line, "#nulle-part")


def test_undefined_macro_variable(project):
    file = site_page(project)
    line = append_line(project, file, "{{ plan.titre }}")
    assert_finding(run_check(project), file, line, "macro illisible")


def test_page_without_its_translation_names_it(project):
    pair = site_pairs(project)[0]
    (project / "docs/en" / pair["en"]["file"]).unlink()
    result = run_check(project)
    english_nav = pages.navs(pages.read_config(project / "mkdocs.yml"))["en"]
    index = [file for _, file in english_nav].index(pair["en"]["file"])
    line = pages._nav_lines(project / "mkdocs.yml", ["fr", "en"])["en"][index]
    assert_finding(result, "mkdocs.yml", line, f"docs/en/{pair['en']['file']}")
    assert f"docs/fr/{pair['fr']['file']}:" in result.stderr and "n’a pas de traduction « en »" in result.stderr


def test_english_navigation_out_of_order(project):
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    english = re.findall(r"(?m)^ {12,}- .+: .+\.md$", text)  # the English nav is the one indented deepest
    text = text.replace(english[-1] + "\n", "").replace(english[-2], english[-1] + "\n" + english[-2])
    config.write_text(text, encoding="utf-8")
    assert_finding(run_check(project), "mkdocs.yml", line_of(project, "mkdocs.yml", english[-1]),
                   "n’est pas dans l’ordre")


def test_pages_paired_with_the_wrong_counterpart(project):
    # Both English pages swap keys: each is now the "translation" of the other's French page.
    first, second = "docs/en/contact-us.md", "docs/en/open-data.md"
    key_first = yaml.safe_load((project / first).read_text(encoding="utf-8").split("---")[1])["translation_key"]
    key_second = yaml.safe_load((project / second).read_text(encoding="utf-8").split("---")[1])["translation_key"]
    replace(project, first, f"translation_key: {key_first}", f"translation_key: {key_second}")
    replace(project, second, f"translation_key: {key_second}", f"translation_key: {key_first}")
    assert_finding(run_check(project), "mkdocs.yml", None, "n’est pas dans l’ordre")


def test_duplicate_translation_key(project):
    file = "docs/en/contact-us.md"
    key = yaml.safe_load((project / file).read_text(encoding="utf-8").split("---")[1])["translation_key"]
    line = replace(project, file, f"translation_key: {key}", "translation_key: introduction")
    assert_finding(run_check(project), file, line, "déjà utilisée")


def test_invalid_data_is_a_finding_not_a_traceback(project):
    line = replace(project, "data/plan.yml", "period: 2020-2022", "period: [2020-2022")
    assert_finding(run_check(project), "data/plan.yml", line, "syntaxe YAML invalide")


# A deadline is a date or a text in each language, written under `deadline:`; each wrong form says what to write.
FIRST_DEADLINE = re.compile(r"(?m)^    deadline:\n(?:      .*\n)+")  # the first sector's
WRONG_DEADLINES = {
    # name: (what replaces the first sector's deadline, words of the French message, what it tells to write)
    "date-on-one-line": ("    deadline: 2022-03-31\n", "doit être précédée de « date: »",
                         "deadline:\n          date: 2022-03-31"),
    "date-and-text": ("    deadline:\n      date: 2022-03-31\n      fr: En continu\n      en: Ongoing\n",
                      "à la fois date et texte", "gardez soit « date: … », soit « fr: … » et « en: … »"),
    "text-without-english": ("    deadline:\n      fr: En continu\n", "« sectors[0].deadline.en » : texte manquant",
                             "ajoutez « en: … » sous « deadline: »"),
}


@pytest.mark.parametrize("name", WRONG_DEADLINES)
def test_a_deadline_in_a_wrong_form_says_what_to_write(project, name):
    new, words, advice = WRONG_DEADLINES[name]
    plan = (project / "data/plan.yml").read_text(encoding="utf-8")
    line = replace(project, "data/plan.yml", FIRST_DEADLINE.search(plan).group(), new)
    result = run_check(project)
    assert_finding(result, "data/plan.yml", line, words)
    assert advice in result.stderr
    assert result.stderr.count("data/plan.yml:") == 2  # one finding (French, then English), not jsonschema's


# One round: every finding in one run, links included, sorted by file and line, with a count


def finding_places(result):
    """(file, line) of each finding, in the order make check prints them."""
    return [(found.group(1), int(found.group(2))) for found in re.finditer(r"(?m)^(\S+?):(\d+)(?::\d+)?: ", result.stderr)]


def test_every_finding_comes_in_one_round_sorted_with_a_count(project):
    page = site_page(project)
    link = append_line(project, page, "Voir [la page](introducton.md).")
    spelling = append_line(project, page, "Une phrase de planiffication.")
    file, line, _, _ = change_a_plan_word(project)
    result = run_check(project)
    assert finding_places(result) == sorted([(page, link), (page, spelling), (file, line)])
    assert "mène à une page qui n’existe pas" in result.stderr and "mot inconnu « planiffication »" in result.stderr
    assert "texte du plan modifié sans note" in result.stderr
    assert "3 problème(s) à corriger" in result.stderr


def test_when_the_site_cannot_be_built_the_check_says_links_come_next(project):
    append_line(project, site_page(project), "Voir [la page](introducton.md).")
    line = replace(project, "data/plan.yml", "period: ", "period: [")
    result = run_check(project)
    assert_finding(result, "data/plan.yml", line, "syntaxe YAML invalide")
    assert "Liens, ancres, macros et HTML des pages : vérifiés dès que" in result.stderr
    assert "introducton.md" not in result.stderr


# Every message in words: no regular expression, no code without its meaning


REGULAR_EXPRESSION = re.compile(r"\^|\$\W|\[a-z|\[A-Z|\[0-9|\\[sdw]|\(\?|\{\d+(,\d*)?\}|does not match")


def test_every_form_the_schemas_require_is_described_in_words():
    """The description of a field is what its message and the web editor's hint say instead of its pattern."""
    def patterns(node, place):
        if isinstance(node, dict):
            if "pattern" in node:
                yield place, node
            for key, value in node.items():
                yield from patterns(value, f"{place}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from patterns(value, f"{place}[{index}]")
    for schema in sorted((ROOT / "plan_ovt/schemas").glob("*.json")):
        for place, node in patterns(json.loads(schema.read_text(encoding="utf-8")), schema.name):
            assert node.get("description") and not REGULAR_EXPRESSION.search(node["description"]), place


def test_a_value_of_the_wrong_form_is_refused_in_words(project):
    """A new unit, a new sector and a new action written wrong, as an editor could: each message says the form in
    words and what each allowed value means."""
    plan = read_yaml(project, "plan.yml")
    plan["period"] = "2020-22"
    plan["units"].append({"id": "Nouvelle Unité", "name": {"fr": "Direction", "en": "[Direction]{lang=fr}"}})
    plan["sectors"].append({"id": "nouveau_secteur", "name": {"fr": "Matérielles", "en": "Material"},
                            "responsible_units": [plan["units"][0]["id"]], "deadline": {"date": "2022-03-31"},
                            "actions": [{"id": "Action 1", "text": {"fr": "Texte", "en": "Text"}}]})
    write_yaml(project, "plan.yml", plan)
    itq = read_yaml(project, "itq.yml")
    itq["office_regions"].append("18")
    write_yaml(project, "itq.yml", itq)
    changes = read_yaml(project, "changes.yml")
    changes.append({"date": "2026-12-01", "kind": "errata", "what": {"fr": "a", "en": "a"}, "why": {"fr": "b", "en": "b"}})
    write_yaml(project, "changes.yml", changes)
    result = run_check(project)
    assert result.stderr.count("forme inattendue") == 5, result.stderr
    assert "erratum : faute du document publié corrigée" in result.stderr
    assert not REGULAR_EXPRESSION.search(result.stderr), REGULAR_EXPRESSION.search(result.stderr)


def test_unreadable_mkdocs_yml(project):
    replace(project, "mkdocs.yml", "nav:\n  - ", "nav:\n - [")
    result = run_check(project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert re.search(r"^mkdocs\.yml:\d+: configuration illisible", result.stderr, re.M), result.stderr


# Typography is fixed, not refused


def test_typography_is_fixed_by_make_fix(project):
    file = site_page(project)
    append_line(project, file, "Voici l'engagement du site.")
    result = run_check(project)
    assert result.returncode == 0, result.stderr
    assert "make fix" in result.stdout and file in result.stdout
    fixed = run_check(project, "--fix")
    assert fixed.returncode == 0, fixed.stderr
    assert "l'engagement" not in (project / file).read_text(encoding="utf-8")
    assert "make fix" not in run_check(project).stdout


# Fidelity: approved edition + records = sources


def test_unrecorded_change_to_the_plan_is_refused_with_the_record_to_add(project):
    file, line, old, new = change_a_plan_word(project)
    result = run_check(project)
    assert_finding(result, file, line, "texte du plan modifié sans note")
    assert f"« {old} » est devenu « {new} »" in result.stderr
    assert "data/changes.yml" in result.stderr


def suggested_record(result, what="Erratum demandé par ITQ", kind="erratum"):
    """The record `make check` proposes, completed as an editor would."""
    snippet = re.search(r"\n( +- date: .*?)\n +sinon", result.stderr, re.S).group(1)
    indent = len(snippet) - len(snippet.lstrip())
    record = yaml.safe_load("\n".join(line[indent:] for line in snippet.splitlines()))[0]
    record.update(kind=kind, what={"fr": what, "en": "Erratum requested by ITQ"},
                  why={"fr": "Demande d’ITQ", "en": "Requested by ITQ"})
    return record


def add_record(project, record):
    path = project / "data/changes.yml"
    records = yaml.safe_load(path.read_text(encoding="utf-8")) + [record]
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_recorded_change_passes(project):
    change_a_plan_word(project)
    add_record(project, suggested_record(run_check(project)))
    result = run_check(project)
    assert result.returncode == 0, result.stderr


def deadline_becomes_a_date(project):
    """The first sector's deadline becomes a date: (line of `deadline:`, where, before, after) for its record."""
    plan = (project / "data/plan.yml").read_text(encoding="utf-8")
    sector = yaml.load(plan, Loader=_Loader)["sectors"][0]
    before = sector["deadline"].get("date") or sector["deadline"]["fr"]
    after = "2022-03-31" if before != "2022-03-31" else "2022-06-30"
    line = replace(project, "data/plan.yml", FIRST_DEADLINE.search(plan).group(),
                   f"    deadline:\n      date: {after}\n")
    return line, f"plan.yml:sectors[{sector['id']}].deadline", before, after


def test_a_deadline_that_becomes_a_date_gets_one_record_to_add(project):
    line, where, before, after = deadline_becomes_a_date(project)
    result = run_check(project)
    assert_finding(result, "data/plan.yml", line + 1, "texte du plan modifié sans note")
    record = suggested_record(result, kind="update")
    assert record["changes"] == [{"where": where, "before": before, "after": after}]
    add_record(project, record)
    result = run_check(project)
    assert result.returncode == 0, result.stderr


def test_a_record_left_unfinished_is_refused(project):
    change_a_plan_word(project)
    record = suggested_record(run_check(project))
    record["why"]["fr"] = "« Pourquoi »"
    add_record(project, record)
    assert "note à compléter" in run_check(project).stderr


def test_a_record_that_does_not_apply_is_refused(project):
    add_record(project, {"date": "2026-12-01", "kind": "erratum", "what": {"fr": "Erratum", "en": "Erratum"},
                         "why": {"fr": "Demande", "en": "Request"},
                         "changes": [{"where": "page:introduction", "before": "texte absent", "after": "autre"}]})
    result = run_check(project)
    assert_finding(result, "data/changes.yml", line_of(project, "data/changes.yml", "- where: page:introduction"),
                   "cette note ne s’applique pas")


def test_removed_plan_text_is_refused(project):
    file = plan_page(project)
    line = first_block_line(project, file)
    path = project / file
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[: line - 1] + lines[line:]) + "\n", encoding="utf-8")
    assert_finding(run_check(project), file, None, "texte du plan retiré sans note")


def swap_first_blocks(project, file):
    """Exchange the first two blocks (paragraphs, lists…) after a page's title, as a cut and paste would."""
    path = project / file
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n# ")
    title, *blocks = re.split(r"\n\n+", body.strip("\n"))
    blocks[0], blocks[1] = blocks[1], blocks[0]
    path.write_text(f"{head}\n# " + "\n\n".join([title, *blocks]) + "\n", encoding="utf-8")


def test_moved_plan_text_is_refused_and_passes_once_recorded(project):
    rebase(project)
    file = plan_page(project)
    swap_first_blocks(project, file)
    result = run_check(project)
    assert_finding(result, file, None, "texte du plan déplacé sans note")
    assert "le plan approuvé l’a" in result.stderr
    record = suggested_record(result, kind="update")
    assert [change["before"] == change["after"] for change in record["changes"]] == [True]
    add_record(project, record)
    result = run_check(project)
    assert result.returncode == 0, result.stderr


def test_reordered_plan_data_is_refused(project):
    """Two neighbouring actions of a sector exchange places: the table's order is the plan's."""
    rebase(project)
    plan = read_yaml(project, "plan.yml")
    actions = next(sector for sector in plan["sectors"] if len(sector["actions"]) > 1)["actions"]
    first, second = actions[0]["id"], actions[1]["id"]
    actions[0], actions[1] = actions[1], actions[0]
    write_yaml(project, "plan.yml", plan)
    result = run_check(project)
    assert_finding(result, "data/plan.yml", None, "texte du plan déplacé sans note")
    assert f"l’élément « {first} »" in result.stderr or f"l’élément « {second} »" in result.stderr


def test_the_approved_reference_changes_only_through_its_visible_procedure(project):
    """An edit of data/edition/approved.yml is refused; the record the message gives (kind reference, the new
    fingerprint) lets it pass, and the edition note shows it."""
    path = project / "data/edition/approved.yml"
    reference = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = next(where for where in reference["units"] if where.startswith("plan.yml:"))
    reference["units"][where] = "Texte changé en douce"
    path.write_text(yaml.safe_dump(reference, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_check(project)
    assert_finding(result, "data/edition/approved.yml", None, "l’édition de référence a changé sans note")
    fingerprint = re.search(r"« fingerprint: ([0-9a-f]{16}) »", result.stderr).group(1)
    records = read_yaml(project, "changes.yml")
    records.append({"date": "2026-12-01", "kind": "reference", "what": {"fr": "Nouvelle édition.", "en": "New edition."},
                    "why": {"fr": "Décision d’ITQ.", "en": "ITQ’s decision."}, "fingerprint": fingerprint})
    write_yaml(project, "changes.yml", records)
    result = run_check(project)
    # The new reference holds a text the sources do not: that difference is the plan's, reported as such.
    assert "l’édition de référence a changé" not in result.stderr
    assert "Texte changé en douce" in result.stderr


def test_the_sites_own_pages_are_free_text(project):
    file = site_page(project)
    line = first_block_line(project, file)
    path = project / file
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line - 1] = "Ce site est conçu pour tout le monde."
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_check(project)
    assert result.returncode == 0, result.stderr


# The findings reach the forges


def test_github_annotation_on_the_edited_line(project):
    file, line, _, _ = change_a_plan_word(project)
    result = run_check(project, "--format", "github")
    annotations = [row for row in result.stdout.splitlines() if row.startswith("::error ")]
    assert any(row.startswith(f"::error file={file},line={line},") for row in annotations), result.stdout
    assert all("\n" not in row and "%0A" in row for row in annotations)


# Content quoted by a finding (a file name, a field) that tries to speak to the CI runner
HOSTILE_NAME = "a%0A::warning::b\n::add-mask::planovt\n##[add-mask]z.md"
HOSTILE_KEY = "x\n::add-mask::secret\n::stop-commands::abc\n##[add-mask]y%0A:: ,=%"


def hostile_page(project, quoted):
    """A page whose finding quotes hostile content: its name (refused as a file name of docs/), or a key of
    its front matter (refused as an unknown field)."""
    name, key = (HOSTILE_NAME, "description") if quoted == "name" else ("cle-hostile.md", json.dumps(HOSTILE_KEY))
    path = project / "docs/fr" / name
    path.write_text(f"---\ntitle: T\ndescription: D\ntranslation_key: k\n{key}: 1\n---\n# T\n", encoding="utf-8")
    return path.relative_to(project).as_posix()


def _unescape(text, mappings=(("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))):
    for escaped, character in mappings:
        text = text.replace(escaped, character)
    return text


def runner_commands(output):
    """The workflow commands GitHub's runner would read in a step's output, as it reads them: a line that
    starts with :: (after spaces) or holds ##[ is a command; after ::stop-commands::TOKEN, none is until ::TOKEN::."""
    commands, token = [], None
    for line in re.split(r"\r\n|\r|\n", output):
        line = line.lstrip()
        if token:
            if line == f"::{token}::":
                token = None
            continue
        if line.startswith("::") and "::" in line[2:]:
            head, _, data = line[2:].partition("::")
            name, _, properties = head.partition(" ")
            properties = dict(pair.split("=", 1) for pair in properties.split(",") if "=" in pair)
            commands.append((name, {key: _unescape(value) for key, value in properties.items()},
                             _unescape(data, (("%0D", "\r"), ("%0A", "\n"), ("%25", "%")))))
            token = data if name == "stop-commands" else None
        elif "##[" in line:
            commands.append(("##[", {}, line))
    return commands


@pytest.mark.parametrize("quoted", ["name", "key"])
def test_content_quoted_by_a_finding_never_becomes_a_workflow_command(project, quoted):
    file = hostile_page(project, quoted)
    result = run_check(project, "--format", "github")
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    commands = runner_commands(result.stdout + "\n" + result.stderr)
    names = [name for name, _, _ in commands]
    assert names[-1] == "stop-commands" and set(names[:-1]) == {"error"}, commands
    # The annotations land on the file as named, quoting the key as written.
    assert {properties["file"] for _, properties, _ in commands[:-1]} == {file}
    assert quoted == "name" or any(HOSTILE_KEY in message for _, _, message in commands[:-1])
    # The findings as text are all there, for the reader of the log.
    assert (HOSTILE_KEY if quoted == "key" else "::add-mask::planovt") in result.stdout


def test_the_job_summary_shows_quoted_content_as_text():
    hostile = 'a | b `c` <img src="https://evil.example/x"> [lien](https://evil.example) ![i](x) **g** ~~s~~ &amp;\nligne'
    finding = findings.message("docs/fr/`x` | <b>y</b>.md", 3, None, hostile, hostile, "p", "f")
    html = markdown.markdown(findings.summary([finding]), extensions=["tables"])
    row = BeautifulSoup(html, "lxml").select("tbody tr")
    assert len(row) == 1 and len(row[0].find_all("td")) == 3
    cells = row[0].find_all("td")
    assert not row[0].find_all(["a", "img", "b", "strong", "em", "del", "script"])
    assert cells[0].get_text() == "docs/fr/`x` | <b>y</b>.md:3"
    assert [cell.get_text("\n") for cell in cells[1:]] == [hostile, hostile]


@pytest.mark.parametrize("quoted", ["name", "key"])
def test_the_code_quality_report_keeps_quoted_content_exact(project, tmp_path, quoted):
    file = hostile_page(project, quoted)
    report_file = tmp_path / "gl-code-quality-report.json"
    run_check(project, "--codequality", str(report_file))
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert {entry["location"]["path"] for entry in report} == {file}
    assert quoted == "name" or any(HOSTILE_KEY in entry["description"] for entry in report)


def test_gitlab_code_quality_report(project, tmp_path):
    file, line, _, _ = change_a_plan_word(project)
    report_file = tmp_path / "gl-code-quality-report.json"
    run_check(project, "--codequality", str(report_file))
    report = json.loads(report_file.read_text(encoding="utf-8"))
    entry = next(entry for entry in report if entry["location"]["path"] == file)
    assert entry["location"]["lines"]["begin"] == line
    assert {"description", "check_name", "fingerprint", "severity"} <= set(entry)
    assert len({entry["fingerprint"] for entry in report}) == len(report)


def test_summary_in_french():
    finding = findings.message("data/plan.yml", 3, None, "problème", "solution", "problem", "fix")
    text = findings.summary([finding])
    assert "1 problème(s)" in text and "<code>data/plan.yml:3</code>" in text and "solution" in text
    assert "Vérifications réussies" in findings.summary([])


# CI says the same as make check


def test_ci_runs_the_rulebook_before_anything_else():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"(?ms)^test:.*?\n((?:\t.*\n)+)", makefile).group(1)
    steps = [step.strip() for step in recipe.splitlines() if "plan_ovt.check" in step or "pytest" in step]
    assert "plan_ovt.check" in steps[0] and "pytest" in steps[-1]


# Rules of the edition's form: French spacing, languages, one name per unit, parallel headings


def test_a_space_before_a_semicolon_in_french_is_fixed_by_make_fix(project):
    file = site_page(project)
    line = append_line(project, file, "Une phrase ; une autre.")
    result = run_check(project)
    assert result.returncode == 0 and "Typographie : 1 correction" in result.stdout
    assert run_check(project, "--fix").returncode == 0
    assert (project / file).read_text(encoding="utf-8").splitlines()[line - 1] == "Une phrase; une autre."


def test_english_quotes_in_french_text_say_their_language(project):
    file = site_page(project)
    line = append_line(project, file, "L’édition anglaise écrit “the plan”.")
    assert_finding(run_check(project), file, line, "passage entre “ ” sans indication de langue")
    replace(project, file, "“the plan”", "“[the plan]{lang=en}”")
    assert run_check(project).returncode == 0


def test_a_unit_has_its_french_name_in_every_edition(project):
    path = project / "data/plan.yml"
    text = path.read_text(encoding="utf-8")
    first = yaml.safe_load(text)["units"][0]["name"]
    start = text.index("      en:", text.index("\nunits:"))
    end = text.index("\n", start)
    path.write_text(text[:start] + "      en: Vice-Presidency for Something" + text[end:], encoding="utf-8")
    line = text[:start].count("\n") + 1
    result = run_check(project)
    assert_finding(result, "data/plan.yml", line, "une unité d’ITQ n’a qu’un nom")
    assert f"[{first['fr']}]{{lang=fr}}" in result.stderr


def test_a_translation_keeps_the_heading_levels_of_its_page(project):
    file = "docs/en/accessibility.md"
    text = (project / file).read_text(encoding="utf-8")
    heading = next(line for line in text.splitlines() if line.startswith("## "))
    line = replace(project, file, heading + "\n", "#" + heading + "\n")
    assert_finding(run_check(project), file, line, "la page française a ici ##")
