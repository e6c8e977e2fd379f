"""The web editor's configuration (plan_ovt/cms.py) follows mkdocs.yml and the schemas; admin/ in the site."""

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import CONFIG, LANGUAGES, ROOT, headers_for
from plan_ovt import cms, headers
from plan_ovt.loading import SCHEMAS

DATA_FILES = sorted(path.stem for path in SCHEMAS.glob("*.json") if path.stem not in cms.SHARED_SCHEMAS)


def forms(config):
    return {entry["name"]: entry for entry in config["collections"][1]["files"]}


def by_name(fields):
    return {field["name"]: field for field in fields}


@pytest.fixture
def schema_copy(tmp_path):
    """The schemas, copied: a test changes the copy, never plan_ovt/schemas."""
    return Path(shutil.copytree(SCHEMAS, tmp_path / "schemas"))


# Unit: one schema node, one field


def field(node, required=True, schemas=None):
    return cms.field("x", node, schemas or {"t": {}}, "t", required, ["fr", "en"], {"fr": "Français", "en": "English"})


def test_a_string_keeps_its_pattern_lengths_title_and_description():
    result = field({"type": "string", "pattern": "^[a-z]+$", "minLength": 2, "maxLength": 9,
                    "title": "Nom", "description": "En minuscules."})
    assert result == {"name": "x", "label": "Nom", "hint": "En minuscules.", "widget": "string",
                      "pattern": ["^[a-z]+$", "En minuscules."], "minlength": 2, "maxlength": 9}


def test_an_optional_property_is_not_required_and_a_required_one_is_the_default():
    assert field({"type": "string"}, required=False)["required"] is False
    assert "required" not in field({"type": "string"})


def test_an_optional_text_needs_no_minimum_of_one_since_it_is_left_out_when_empty():
    assert "minlength" not in field({"type": "string", "minLength": 1}, required=False)
    assert field({"type": "string", "minLength": 1})["minlength"] == 1
    assert field({"type": "string", "minLength": 3}, required=False)["minlength"] == 3


def test_a_placeholder_in_a_description_stays_visible():
    assert field({"type": "string", "description": "page:<clé> ou <fichier>.yml"})["hint"] == "page:`<clé>` ou `<fichier>`.yml"


def test_a_date_is_picked_without_a_time_and_written_year_month_day():
    result = field({"type": "string", "format": "date", "title": "Date"})
    assert (result["widget"], result["type"], result["format"]) == ("datetime", "date", "YYYY-MM-DD")


def test_a_bilingual_text_is_one_field_per_language_side_by_side():
    schemas = {"common": {"$defs": {"text": {"type": "object", "patternProperties": {cms.TEXT_PATTERN: {
        "type": "string", "minLength": 1}}, "description": "générique"}}}, "t": {}}
    result = field({"$ref": "common.json#/$defs/text", "title": "Objectif"}, schemas=schemas)
    assert result["widget"] == "object" and result["label"] == "Objectif" and "hint" not in result
    assert [(f["name"], f["label"], f["minlength"]) for f in result["fields"]] == [("fr", "Français", 1),
                                                                                   ("en", "English", 1)]


def test_lists_keep_their_bounds_and_show_an_identifier_as_summary():
    result = field({"type": "array", "minItems": 1, "maxItems": 3, "items": {
        "type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "n": {"type": "integer",
                                                                                            "minimum": 0}}}})
    assert (result["min"], result["max"], result["summary"]) == (1, 3, "{{fields.id}}")
    fields = by_name(result["fields"])
    assert fields["n"] == {"name": "n", "label": "N", "required": False, "widget": "number", "value_type": "int",
                           "min": 0}


def test_a_value_of_one_type_or_another_is_kept_as_is():
    assert field({"anyOf": [{"type": "string"}, {"type": "object"}]}) == {"name": "x", "widget": "hidden"}
    assert field({"type": "object", "properties": {}, "anyOf": [{"required": ["a"]}]})["widget"] == "object"


def test_a_deadline_is_one_object_with_an_optional_date_and_texts_from_its_schema():
    """Sveltia has no "this or that" field: a deadline is a date, or a text in each language, side by side;
    the schema's rule (one form or the other) is make check's."""
    schemas = cms.load_schemas()
    deadline = schemas["common"]["$defs"]["deadline"]
    result = field({"$ref": "common.json#/$defs/deadline", "title": "Échéance"}, schemas=dict(schemas, t={}))
    assert (result["widget"], result["label"], result["hint"]) == ("object", "Échéance", deadline["description"])
    fields = by_name(result["fields"])
    assert list(fields) == list(deadline["properties"])
    for name, sub in deadline["properties"].items():
        resolved, _ = cms._resolve(sub, schemas, "common")
        assert fields[name]["required"] is False and fields[name]["label"] == resolved["title"]
        assert fields[name]["hint"] == resolved["description"]
        kind = ("datetime", "date") if resolved.get("format") == "date" else ("string", None)
        assert (fields[name]["widget"], fields[name].get("type")) == kind
    assert [name for name, sub in fields.items() if sub["widget"] == "datetime"] == ["date"]
    # The plan's form: a sector's deadline (required) and an action's (optional) are that object.
    sectors = by_name(by_name(forms(cms.generate(ROOT / "mkdocs.yml"))["plan"]["fields"])["sectors"]["fields"])
    actions = by_name(sectors["actions"]["fields"])
    assert sectors["deadline"]["fields"] == actions["deadline"]["fields"] == result["fields"]
    assert "required" not in sectors["deadline"] and actions["deadline"]["required"] is False


def test_the_configuration_is_valid_for_the_installed_cms():
    """Checked against the JSON Schema shipped with the pinned @sveltia/cms: every widget and option exists."""
    schema = json.loads((cms.PACKAGE / "schema" / "sveltia-cms.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    config = cms.generate(ROOT / "mkdocs.yml")
    assert [error.message for error in validator.iter_errors(config)] == []
    next(item for item in forms(config)["plan"]["fields"] if item["widget"] == "datetime")["type"] = "day"
    assert not validator.is_valid(config)


def test_an_empty_optional_field_is_left_out_of_the_file():
    assert cms.generate(ROOT / "mkdocs.yml")["output"]["omit_empty_optional_fields"] is True


def test_a_choice_is_a_list_of_options():
    result = field({"enum": ["ocr", "update"], "title": "Nature"})
    assert (result["widget"], result["options"], result["label"]) == ("select", ["ocr", "update"], "Nature")


def test_an_unknown_reference_is_an_error():
    with pytest.raises(cms.CmsError, match="introuvable"):
        field({"$ref": "nowhere.json#/$defs/x"})


GITLAB = ("https://gitlab.com/itq/plan-ovt", "-/edit/main/docs/")
OWN_GITLAB = ("https://gitlab.itq.gouv.qc.ca/web/plan-ovt.git", "-/edit/publication/docs/")
GITHUB = ("https://github.com/itq/plan-ovt", "edit/main/docs/")


@pytest.mark.parametrize("where, environ, expected", [
    (GITLAB, {"PLAN_OVT_CMS_APP_ID": "abc"},
     {"name": "gitlab", "repo": "itq/plan-ovt", "branch": "main", "auth_type": "pkce", "app_id": "abc"}),
    (OWN_GITLAB, {"PLAN_OVT_CMS_APP_ID": "abc"},
     {"name": "gitlab", "repo": "web/plan-ovt", "branch": "publication", "auth_type": "pkce", "app_id": "abc",
      "base_url": "https://gitlab.itq.gouv.qc.ca", "api_root": "https://gitlab.itq.gouv.qc.ca/api/v4"}),
    (GITLAB, {}, {"name": "gitlab", "repo": "itq/plan-ovt", "branch": "main", "auth_methods": ["token"]}),
    (GITHUB, {"PLAN_OVT_CMS_APP_ID": "abc"},
     {"name": "github", "repo": "itq/plan-ovt", "branch": "main", "auth_methods": ["token"]}),
    (GITHUB, {"PLAN_OVT_CMS_AUTH_URL": "https://auth.example.ca/"},
     {"name": "github", "repo": "itq/plan-ovt", "branch": "main", "base_url": "https://auth.example.ca"}),
], ids=["gitlab-pkce", "own-gitlab-pkce", "gitlab-token", "github-token", "github-operator-client"])
def test_backend_from_the_repository_address_and_the_operators_settings(where, environ, expected):
    assert cms.backend(*where, environ) == expected


@pytest.mark.parametrize("where", [GITLAB, OWN_GITLAB, GITHUB], ids=["gitlab", "own-gitlab", "github"])
@pytest.mark.parametrize("environ", [{}, {"PLAN_OVT_CMS_APP_ID": "abc"}, {"PLAN_OVT_CMS_AUTH_URL": "https://auth.example.ca"}],
                         ids=["nothing-set", "app-id", "auth-url"])
def test_sign_in_never_goes_through_a_broker_the_operator_did_not_choose(where, environ):
    """Sveltia's OAuth button goes to base_url, Netlify's broker when it is missing: it is offered only for
    GitLab's own PKCE flow with the operator's application, or GitHub with the operator's client; otherwise
    a personal access token is the one way in. The configuration stays valid for the pinned CMS."""
    config = cms.backend(*where, environ)
    if config.get("auth_methods") != ["token"]:
        gitlab_pkce = config["name"] == "gitlab" and config["auth_type"] == "pkce" and config["app_id"] == "abc"
        operator_client = config["name"] == "github" and config["base_url"] == environ["PLAN_OVT_CMS_AUTH_URL"]
        assert gitlab_pkce or operator_client
    schema = json.loads((cms.PACKAGE / "schema" / "sveltia-cms.json").read_text(encoding="utf-8"))
    site = dict(cms.generate(ROOT / "mkdocs.yml"), backend=config)
    assert [error.message for error in jsonschema.validators.validator_for(schema)(schema).iter_errors(site)] == []


@pytest.mark.parametrize("address", ["http://auth.example.ca", "javascript:alert(1)", "auth.example.ca"])
def test_an_operators_oauth_client_must_be_https(address):
    with pytest.raises(cms.CmsError, match="PLAN_OVT_CMS_AUTH_URL doit être une adresse https://"):
        cms.backend(*GITHUB, {"PLAN_OVT_CMS_AUTH_URL": address})


def test_the_admin_page_talks_only_to_its_forge():
    assert cms.api_origins({"name": "gitlab"}) == ["https://gitlab.com"]
    assert cms.api_origins({"name": "gitlab", "base_url": "https://git.example.ca"}) == ["https://git.example.ca"]
    assert cms.api_origins({"name": "github", "base_url": "https://auth.example.ca/x"}) == [
        "https://api.github.com", "https://auth.example.ca"]


# The configuration agrees with the schemas


def schema_fields(schema, schemas, name):
    """(path, required) of every property the schema declares, following $ref, as the form should show."""
    found = []

    def walk(node, path, current):
        node, current = cms._resolve(node, schemas, current)
        if cms._is_union(node) or cms._is_text(node):
            return
        if node.get("type") == "array":
            walk(node["items"], path, current)
        properties = node.get("properties")
        if properties is None and isinstance(node.get("additionalProperties"), dict):
            properties = {key: node["additionalProperties"] for key in node.get("required", [])}
        for key, sub in (properties or {}).items():
            found.append((path + (key,), key in node.get("required", [])))
            walk(sub, path + (key,), current)
    walk(schema, (), name)
    return found


def config_fields(fields, path=()):
    found = []
    for item in fields:
        if item.get("root"):
            found += config_fields(item.get("fields", []), path)
            continue
        if item["widget"] == "object" and [f["name"] for f in item["fields"]] == LANGUAGES:
            found.append((path + (item["name"],), item.get("required", True)))
            continue
        if item["widget"] != "hidden":
            found.append((path + (item["name"],), item.get("required", True)))
        found += config_fields(item.get("fields", []), path + (item["name"],))
    return found


@pytest.mark.parametrize("name", DATA_FILES)
def test_each_data_file_has_a_form_with_every_field_of_its_schema(name):
    schemas = cms.load_schemas()
    form = forms(cms.generate(ROOT / "mkdocs.yml"))[name]
    assert form["file"] == f"data/{name}.yml"
    expected = {path: required for path, required in schema_fields(schemas[name], schemas, name)}
    shown = dict(config_fields(form["fields"]))
    # Every field can be edited in the form: none is left out as "one type or another".
    assert shown == expected


def test_pages_are_paired_by_the_site_key_in_both_languages():
    config = cms.generate(ROOT / "mkdocs.yml")
    assert config["i18n"]["structure"] == "multiple_folders"
    assert config["i18n"]["locales"] == LANGUAGES and config["i18n"]["default_locale"] == LANGUAGES[0]
    assert config["i18n"]["canonical_slug"]["key"] == cms.PAIRING_KEY == "translation_key"
    pages = config["collections"][0]
    assert pages["folder"] == CONFIG["docs_dir"] and pages["i18n"] is True
    page_schema = json.loads((SCHEMAS / "page.json").read_text(encoding="utf-8"))
    names = [f["name"] for f in pages["fields"]]
    assert names == [name for name in page_schema["properties"] if name != cms.PAIRING_KEY] + ["body"]
    assert all(f["i18n"] for f in pages["fields"])
    assert config["publish_mode"] == "editorial_workflow"


def test_a_changed_schema_changes_the_form(schema_copy):
    plan = json.loads((schema_copy / "plan.json").read_text(encoding="utf-8"))
    plan["properties"]["contact"] = {"type": "string", "pattern": "^[^@]+@[^@]+$", "title": "Courriel",
                                     "description": "Adresse du responsable."}
    plan["required"].append("contact")
    plan["required"].remove("objective")
    plan["properties"]["period"]["title"] = "Années du plan"
    (schema_copy / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    (schema_copy / "events.json").write_text(json.dumps({
        "title": "Événements", "type": "object", "required": ["name"],
        "properties": {"name": {"type": "string", "minLength": 1}}}), encoding="utf-8")

    before = forms(cms.generate(ROOT / "mkdocs.yml"))
    after = forms(cms.generate(ROOT / "mkdocs.yml", schema_copy))
    fields = by_name(after["plan"]["fields"])
    assert fields["contact"]["pattern"] == ["^[^@]+@[^@]+$", "Adresse du responsable."]
    assert fields["contact"]["hint"] == "Adresse du responsable." and "required" not in fields["contact"]
    assert fields["objective"]["required"] is False and "required" not in by_name(before["plan"]["fields"])["objective"]
    assert fields["period"]["label"] == "Années du plan"
    assert after["events"]["file"] == "data/events.yml" and "events" not in before


# admin/ in the built site, and its headers


def test_the_site_ships_the_editor_with_the_generated_configuration(site):
    admin = Path(site) / "admin"
    assert yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8")) == cms.generate(ROOT / "mkdocs.yml")
    assert '<script src="sveltia-cms.js"></script>' in (admin / "index.html").read_text(encoding="utf-8")
    script = (admin / "sveltia-cms.js").read_bytes()
    assert b"cdn.jsdelivr.net" not in script and not cms.LOCALES_URL.search(script)
    assert not cms.STATUS_CHECK.search(script)
    # A reader can zoom the editor on a phone (WCAG 1.4.4).
    assert b"maximum-scale" not in script and "maximum-scale" not in (admin / "index.html").read_text(encoding="utf-8")
    for font in re.findall(r"url\((fonts/[^)]+)\)", script.decode()):
        assert (admin / font).stat().st_size > 0
    assert (admin / "locales" / "fr.json").exists()


def test_a_changed_cms_version_stops_the_build(tmp_path):
    package = tmp_path / "node_modules" / "@sveltia" / "cms"
    shutil.copytree(cms.PACKAGE, package, ignore=shutil.ignore_patterns("*.map"))
    for fonts in ("@fontsource", "@fontsource-variable"):
        (tmp_path / "node_modules" / fonts).symlink_to(cms.NODE_MODULES / fonts)
    script = package / "dist" / "sveltia-cms.js"
    script.write_text(script.read_text(encoding="utf-8").replace("/locales`", "/i18n`"), encoding="utf-8")
    with pytest.raises(cms.CmsError, match="locales"):
        cms.write_admin(tmp_path / "site", ROOT / "mkdocs.yml", package=package)


def test_without_the_npm_package_the_build_says_what_to_do(tmp_path):
    with pytest.raises(cms.CmsError, match="make site"):
        cms.write_admin(tmp_path / "site", ROOT / "mkdocs.yml", package=tmp_path / "missing")


def directives(csp):
    return {part.split()[0]: part.split()[1:] for part in csp.split("; ")}


@pytest.mark.parametrize("path", ["/admin/", "/admin/index.html"])
def test_the_admin_page_has_its_own_policy_in_the_three_files(site, path):
    from test_publishing import parse_headers
    public = parse_headers(Path(site))
    admin = parse_headers(Path(site), path)
    expected_headers = headers.admin_headers(cms.api_origins(cms.generate(ROOT / "mkdocs.yml")["backend"]))
    for name, value in expected_headers.items():
        assert {found[name] for found in admin.values()} == {value}
        assert all(found[name] != value for found in public.values())
    expected = expected_headers["Content-Security-Policy"]
    rules = directives(expected)
    assert rules["script-src"] == ["'self'"] and "'unsafe-eval'" not in expected
    assert rules["frame-ancestors"] == ["'none'"] and rules["object-src"] == ["'none'"]
    # Other headers are the site's.
    assert {k: v for k, v in admin["_headers"].items() if k not in expected_headers} == \
        {k: v for k, v in public["_headers"].items() if k not in expected_headers}
    assert headers_for(site, "/index.html")["Content-Security-Policy"] == public["_headers"]["Content-Security-Policy"]
