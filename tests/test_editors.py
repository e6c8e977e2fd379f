"""The editors' workflow: edit links, the pre-commit hook, the guide."""

import re
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ALL_PAGES, CONFIG, CONTENT, LANGUAGES, PAGE_PAIRS, ROOT, build, page_id
from plan_ovt.project import copy_sources
from plan_ovt.loading import load_data

LABELS = load_data(CONTENT / "data", ["fr", "en"])["labels"]


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_public_pages_show_no_edit_link(soup, page):
    assert soup(page[3]).find("a", rel="edit") is None


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """The site as a preview builds it (PLAN_OVT_EDIT_LINKS=1), from a copy of the tree."""
    project = copy_sources(tmp_path_factory.mktemp("preview") / "project")
    result = build(project, project / "site", PLAN_OVT_EDIT_LINKS="1")
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_preview_edit_links_lead_to_the_page_and_its_data_in_the_web_editor(preview, page):
    lang, _, file, url = page
    html = BeautifulSoup((preview / url).read_text(encoding="utf-8"), "lxml")
    links = html.find_all("a", rel="edit")
    pair = next(pair for pair in PAGE_PAIRS if pair[lang]["file"] == file)
    entry = pair[LANGUAGES[0]]["file"].removesuffix(".md")
    target = urljoin("https://host/" + url, links[0]["href"])
    assert target == f"https://host/admin/index.html#/collections/pages/entries/{entry}"
    assert links[0].get_text(" ", strip=True) == LABELS["edit_page"][lang]
    source = (CONTENT / "docs" / lang / file).read_text(encoding="utf-8")
    forms = [urljoin("https://host/" + url, link["href"]) for link in links[1:]]
    for link in links[1:]:
        assert link.get_text(" ", strip=True).startswith(LABELS["edit_data"][lang])
    # A page that shows the action table offers the plan's form.
    if "action_table()" in source:
        assert "https://host/admin/index.html#/collections/data/entries/plan" in forms
    assert all(re.fullmatch(r"https://host/admin/index\.html#/collections/data/entries/[a-z]+", form) for form in forms)


def test_pre_commit_runs_make_check():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert [hook["entry"] for hook in hooks] == ["make check"]
    assert re.search(r"^check:", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)


def test_guide_explains_every_check_message():
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for words in ("champ obligatoire manquant", "champ inconnu", "tabulation dans l’indentation",
                  "syntaxe YAML invalide", "la liste est vide", "le fichier est vide", "attendu :",
                  "ne correspond à aucun élément", "Traduction manquante", "mot inconnu", "apostrophe droite",
                  "sans espace insécable", "guillemets", "en-tête de page illisible", "n’a pas de traduction",
                  "n’est pas dans l’ordre", "mène à une page qui n’existe pas", "macro illisible",
                  "image sans texte de remplacement", "texte du plan modifié sans note", "cette note ne s’applique pas",
                  "note à compléter", "deuxième titre principal", "niveau de titre sauté", "lien sans texte",
                  "make serve", "make check", "make fix"):
        assert words in guide, words


def test_preview_looks_for_edits_every_tenth_of_a_second_in_the_same_places(tmp_path):
    from types import SimpleNamespace

    from mkdocs.livereload import LiveReloadServer

    from plan_ovt import hooks

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    config = SimpleNamespace(docs_dir=str(CONTENT / "docs"), config_file_path=str(ROOT / "mkdocs.yml"))
    server.watch(config.docs_dir)
    server.watch(config.config_file_path)
    watched = {emitter.watch.path for emitter in server.observer.emitters}
    assert server.observer.timeout == 0.5
    server = hooks.on_serve(server, config, None)
    assert server.observer.timeout == hooks.PREVIEW_POLLING_SECONDS == 0.1
    assert {emitter.watch.path for emitter in server.observer.emitters} == watched
    server.watch(str(CONTENT / "data"))  # what `--watch data` adds afterwards lands on the same observer
    assert len(server.observer.emitters) == 3


def test_preview_rebuilds_for_every_folder_the_guide_names():
    """CONTRIBUTING.md promises a reload when docs/, data/, overrides/, macros.py or mkdocs.yml change."""
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    promised = {"docs", "data", "overrides", "macros.py", "mkdocs.yml"}
    assert all(f"`{name}" in guide for name in promised)
    # MkDocs watches docs/ and mkdocs.yml itself; the rest comes from `watch:` in mkdocs.yml.
    assert promised - {"docs", "mkdocs.yml"} <= set(CONFIG["watch"])
