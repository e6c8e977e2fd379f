"""plan_ovt/theme_env.py: cheaper theme environments that produce exactly what MkDocs's own produce."""

import jinja2
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from conftest import ROOT
from plan_ovt import theme_env


def theme_files(config):
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return sorted(file.src_uri for file in files)


def test_the_theme_contributes_the_same_static_files():
    config = load_config(str(ROOT / "mkdocs.yml"))
    before = theme_files(config)
    theme_env.install(config.theme)
    assert theme_files(config) == before
    assert any(name.startswith("assets/javascripts/bundle.") for name in before)


def test_templates_in_hidden_folders_still_load_by_name(tmp_path):
    (tmp_path / ".icons").mkdir()
    (tmp_path / ".icons/logo.svg").write_text("<svg/>")
    (tmp_path / "page.html").write_text('{% include ".icons/logo.svg" %}')
    env = jinja2.Environment(loader=theme_env.ThemeLoader([str(tmp_path)]))
    assert env.list_templates() == ["page.html"]
    assert env.get_template("page.html").render() == "<svg/>"


def test_an_edited_template_is_compiled_again(tmp_path):
    template = tmp_path / "page.html"
    template.write_text("first {{ 1 + 1 }}")

    def render():
        env = jinja2.Environment(loader=theme_env.ThemeLoader([str(tmp_path)]), bytecode_cache=theme_env.CACHE)
        return env.get_template("page.html").render()

    assert render() == "first 2"
    assert render() == "first 2"
    template.write_text("second {{ 2 + 2 }}")
    assert render() == "second 4"
