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
                  "sans espace insécable", "guillemets", "manquant dans l’en-tête", "make serve", "make check"):
        assert words in guide, words
