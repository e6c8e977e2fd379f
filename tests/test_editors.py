"""The editors' workflow: edit links, the pre-commit hook, the guide."""

import re

import pytest
import yaml

from conftest import ALL_PAGES, CONFIG, ROOT, page_id
from plan_ovt.loading import load_data

LABELS = load_data(ROOT / "data", ["fr", "en"])["labels"]


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_edit_link_points_at_the_source_file(soup, page):
    lang, _, file, url = page
    link = soup(url).find("a", rel="edit")
    assert link["href"] == f"{CONFIG['repo_url'].rstrip('/')}/{CONFIG['edit_uri']}{lang}/{file}"
    assert link.get_text(" ", strip=True) == LABELS["edit_page"][lang]


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
                  "note à compléter", "make serve", "make check", "make fix"):
        assert words in guide, words


def test_preview_looks_for_edits_every_tenth_of_a_second_in_the_same_places(tmp_path):
    from types import SimpleNamespace

    from mkdocs.livereload import LiveReloadServer

    from plan_ovt import hooks

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    config = SimpleNamespace(docs_dir=str(ROOT / "docs"), config_file_path=str(ROOT / "mkdocs.yml"))
    server.watch(config.docs_dir)
    server.watch(config.config_file_path)
    watched = {emitter.watch.path for emitter in server.observer.emitters}
    assert server.observer.timeout == 0.5
    server = hooks.on_serve(server, config, None)
    assert server.observer.timeout == hooks.PREVIEW_POLLING_SECONDS == 0.1
    assert {emitter.watch.path for emitter in server.observer.emitters} == watched
    server.watch(str(ROOT / "data"))  # what `--watch data` adds afterwards lands on the same observer
    assert len(server.observer.emitters) == 3


def test_preview_rebuilds_for_every_folder_the_guide_names():
    """CONTRIBUTING.md promises a reload when docs/, data/, overrides/, macros.py or mkdocs.yml change."""
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    promised = {"docs", "data", "overrides", "macros.py", "mkdocs.yml"}
    assert all(f"`{name}" in guide for name in promised)
    # MkDocs watches docs/ and mkdocs.yml itself; the rest comes from `watch:` in mkdocs.yml.
    assert promised - {"docs", "mkdocs.yml"} <= set(CONFIG["watch"])
