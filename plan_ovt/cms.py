"""The web editor (Sveltia CMS under admin/): its configuration, generated, never written by hand.

Everything in admin/config.yml comes from what already exists:
- the pages of both languages from mkdocs.yml (docs folder, languages, the pairing key of page.json);
- one form per data file from its JSON Schema in plan_ovt/schemas/ (fields, required flags, patterns,
  lengths, and the French `title`/`description` as labels and help texts);
- the forge (GitLab or GitHub) and branch from repo_url and edit_uri.
The build writes admin/ (plan_ovt/hooks.py); the CMS script itself comes from the pinned npm package.
"""

import json
import os
import re
import shutil
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from plan_ovt import headers, intake, pages
from plan_ovt.loading import SCHEMAS, FastSafeDumper

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
PACKAGE = NODE_MODULES / "@sveltia" / "cms"
# As shipped, the CMS fetches its fonts (jsDelivr), its French texts and its update check (unpkg):
# third-party requests. The build copies them from the pinned npm packages into admin/ and points the
# script at those copies. Each rewrite must apply, or the build stops (a new Sveltia version changed them).
# As bytes: the script (2 MB) is rewritten on every build, and decoding it would take most of the time.
FONT_URL = re.compile(rb"https://cdn\.jsdelivr\.net/fontsource/fonts/([a-z0-9-]+)(:vf)?@([0-9.]+)/([a-z0-9-]+\.woff2)")
LOCALES_URL = re.compile(rb"`\$\{\w+\}@\$\{\w+\}/locales`")
UPDATE_URL = re.compile(rb"`\$\{\w+\}/package\.json`")
# The forge status check asks a status page (githubstatus.com, hostedstatus.com for GitLab): off.
STATUS_CHECK = re.compile(rb"checkStatus:\w+,")
# The editor's page sets its viewport with maximum-scale=1, which stops a reader zooming on a phone
# (WCAG 1.4.4): out of the list it joins.
ZOOM_LIMIT = re.compile(rb"`maximum-scale=1`,")
# Referenced by the others, not data files of their own.
SHARED_SCHEMAS = {"common", "page"}
PAIRING_KEY = "translation_key"
TEXT_PATTERN = "^[a-z]{2}$"
# Day.js tokens of a schema's `format: date`.
DATE_FORMAT = "YYYY-MM-DD"
# Hints are Markdown: a placeholder such as <fichier> would be taken for an HTML tag and vanish.
PLACEHOLDER = re.compile(r"<[^<>\s]+>")
ADMIN = "admin"
PAGES_COLLECTION = "pages"
DATA_COLLECTION = "data"


class CmsError(Exception):
    pass


# Forge


def forge(repo_url, edit_uri):
    """{"name", "host", "repo", "branch"} of the forge in repo_url (GitLab unless the host is github.com)."""
    parts = urlsplit(repo_url)
    repo = parts.path.strip("/").removesuffix(".git")
    # edit_uri is "edit/<branch>/docs/" (GitHub) or "-/edit/<branch>/docs/" (GitLab).
    match = re.search(r"(?:^|/)(?:edit|blob)/([^/]+)/", edit_uri or "")
    return {"name": "github" if parts.hostname == "github.com" else "gitlab",
            "host": f"{parts.scheme}://{parts.netloc}", "repo": repo,
            "branch": match.group(1) if match else "main"}


def backend(repo_url, edit_uri, environ=os.environ):
    """The CMS backend, signing in only through the forge itself or a client the operator runs, never
    through Sveltia's default OAuth broker (Netlify's): GitLab with PKCE once PLAN_OVT_CMS_APP_ID names the
    OAuth application of the instance; GitHub through the OAuth client at PLAN_OVT_CMS_AUTH_URL; otherwise
    a personal access token only (README, « Éditeur web »)."""
    where = forge(repo_url, edit_uri)
    config = {"name": where["name"], "repo": where["repo"], "branch": where["branch"]}
    app_id = environ.get("PLAN_OVT_CMS_APP_ID", "").strip()
    auth_url = environ.get("PLAN_OVT_CMS_AUTH_URL", "").strip().rstrip("/")
    if where["name"] == "gitlab":
        if where["host"] != "https://gitlab.com":
            config["base_url"] = where["host"]
            config["api_root"] = where["host"] + "/api/v4"
        if app_id:
            return dict(config, auth_type="pkce", app_id=app_id)
    elif auth_url:
        if urlsplit(auth_url).scheme != "https":
            raise CmsError(f"PLAN_OVT_CMS_AUTH_URL doit être une adresse https:// (reçu : {auth_url}) : le jeton de "
                           "connexion y passe. Corrigez la variable de l’intégration continue ou videz-la pour la "
                           f"connexion par jeton. — PLAN_OVT_CMS_AUTH_URL must be an https:// address (got {auth_url}); "
                           "fix it, or leave it empty to sign in with a token.")
        return dict(config, base_url=auth_url)
    # No sign-in flow of the operator's: Sveltia's OAuth button would go through Netlify's broker.
    return dict(config, auth_methods=["token"])


def api_origins(backend_config):
    """The only addresses the admin page talks to besides itself (its CSP's connect-src)."""
    if backend_config["name"] == "github":
        origins = ["https://api.github.com"]
    else:
        origins = [backend_config.get("base_url", "https://gitlab.com")]
    if backend_config["name"] == "github" and backend_config.get("base_url"):
        origins.append(_origin(backend_config["base_url"]))
    return [_origin(url) for url in origins]


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# Schemas to fields


def load_schemas(schema_dir=SCHEMAS):
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(Path(schema_dir).glob("*.json"))}


def _resolve(node, schemas, current):
    """Follow $ref (within a schema or to another file); the referring node's title/description win."""
    while "$ref" in node:
        target, _, pointer = node["$ref"].partition("#")
        name = Path(target).stem if target else current
        if name not in schemas:
            raise CmsError(f"schéma introuvable : {node['$ref']} (schema not found)")
        resolved = schemas[name]
        for part in [p for p in pointer.split("/") if p]:
            resolved = resolved[part]
        node = {**resolved, **{k: v for k, v in node.items() if k != "$ref"}}
        current = name
    return node, current


def _is_union(node):
    """A value of one type or another. An anyOf that only combines `required` lists (an entry needs this
    field or that one: a deadline's date, or its texts) is a rule of its object, left to make check."""
    return any(any(set(branch) - {"required"} for branch in node.get(key, [])) for key in ("anyOf", "oneOf"))


def _is_text(node):
    return node.get("type") == "object" and TEXT_PATTERN in node.get("patternProperties", {})


def field(name, node, schemas, current, required, languages, language_names):
    """One CMS field for the schema `node` of property `name`."""
    own = node
    node, current = _resolve(node, schemas, current)
    result = {"name": name, "label": node.get("title") or name.replace("_", " ").capitalize()}
    if not required:
        result["required"] = False
    # A text's generic description ("one version per language") would repeat on every text: only its own.
    hint = own.get("description") if _is_text(node) else node.get("description")
    if hint:
        result["hint"] = PLACEHOLDER.sub(r"`\g<0>`", hint)
    kinds = node.get("type")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
    if _is_union(node):
        # The CMS has no "this or that" field: the value is kept as it is and edited in the file.
        return {"name": name, "widget": "hidden"}
    if node.get("format") == "date":
        # A date picker (no time), writing the date as data/ holds it: 2022-03-31.
        return dict(result, widget="datetime", type="date", format=DATE_FORMAT)
    if "enum" in node:
        result["widget"] = "select"
        result["options"] = list(node["enum"])
        return result
    if _is_text(node):
        inner = node["patternProperties"][TEXT_PATTERN]
        result["widget"] = "object"
        result["fields"] = [_string({"name": lang, "label": language_names.get(lang, lang)}, inner, "text")
                            for lang in languages]
        return result
    if "object" in kinds:
        result["widget"] = "object"
        result["fields"] = object_fields(node, schemas, current, languages, language_names)
        return result
    if "array" in kinds:
        result["widget"] = "list"
        if "minItems" in node:
            result["min"] = node["minItems"]
        if "maxItems" in node:
            result["max"] = node["maxItems"]
        item, item_schema = _resolve(node["items"], schemas, current)
        if item.get("type") == "object" and "properties" in item:
            result["fields"] = object_fields(item, schemas, item_schema, languages, language_names)
            summary = next((f["name"] for f in result["fields"] if f["name"] in ("id", "number", "name", "city", "date", "where")), None)
            if summary:
                result["summary"] = "{{fields.%s}}" % summary
        else:
            result["field"] = field("item", node["items"], schemas, current, True, languages, language_names)
            result["field"].pop("hint", None)
        return result
    if "integer" in kinds or "number" in kinds:
        result["widget"] = "number"
        result["value_type"] = "int" if "integer" in kinds else "float"
        for key in ("minimum", "maximum"):
            if key in node:
                result[key[:3]] = node[key]
        return result
    if "boolean" in kinds:
        result["widget"] = "boolean"
        return result
    return _string(result, node, "string")


def _string(result, node, widget):
    result = dict(result, widget=widget)
    pattern = node.get("pattern")
    if pattern:
        result["pattern"] = [pattern, node.get("description") or "Forme inattendue : voir data/README.md."]
    # An optional text left empty is left out of the file (omit_empty_optional_fields), never written
    # empty: a minimum of 1 would only show its empty box's counter in red.
    if "minLength" in node and not (node["minLength"] == 1 and result.get("required") is False):
        result["minlength"] = node["minLength"]
    if "maxLength" in node:
        result["maxlength"] = node["maxLength"]
    return result


def object_fields(node, schemas, current, languages, language_names):
    required = node.get("required", [])
    properties = node.get("properties")
    if properties is None and isinstance(node.get("additionalProperties"), dict):
        # A map (labels.yml): the form lists the keys the schema requires, in its order.
        properties = {key: node["additionalProperties"] for key in required}
    return [field(name, sub, schemas, current, name in required, languages, language_names)
            for name, sub in (properties or {}).items()]


def data_file(name, schemas, languages, language_names):
    """The form of data/<name>.yml."""
    schema = schemas[name]
    entry = {"name": name, "label": schema.get("title") or name, "file": f"data/{name}.yml"}
    if schema.get("type") == "array":
        # A file that is a list at its top (regions.yml): Sveltia's root list.
        top = field("items", schema, schemas, name, True, languages, language_names)
        top.update(root=True, label=schema.get("title") or name)
        entry["fields"] = [top]
    else:
        entry["fields"] = object_fields(schema, schemas, name, languages, language_names)
    return entry


# The whole configuration


def generate(config_file, schema_dir=SCHEMAS, environ=os.environ):
    """admin/config.yml as data, from mkdocs.yml and the schemas."""
    config = pages.read_config(config_file)
    codes = pages.languages(config)
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    names = {lang["locale"]: lang.get("name", lang["locale"]) for lang in i18n["languages"]}
    schemas = load_schemas(schema_dir)
    page = schemas["page"]
    docs_dir = config.get("docs_dir", "docs").strip("/")
    page_fields = [dict(field(name, sub, schemas, "page", name in page.get("required", []), codes, names), i18n=True)
                   for name, sub in page["properties"].items() if name != PAIRING_KEY]
    for page_field in page_fields:
        if page_field["name"] == "description":
            page_field["widget"] = "text"
    page_fields.append({"name": "body", "label": "Texte de la page", "widget": "markdown", "i18n": True,
                        # Raw Markdown: the pages hold macros ({{ action_table() }}) and attribute lists
                        # that a rich-text round trip would rewrite; no code highlighter loaded from elsewhere.
                        "modes": ["raw"],
                        "hint": "Markdown. Les {{ … }} affichent des données : modifiez-les dans « Données »."})
    backend_config = backend(config["repo_url"], config.get("edit_uri", ""), environ)
    return {
        "backend": backend_config,
        # Each change is a branch and a merge/pull request: nothing is published without review and CI.
        "publish_mode": "editorial_workflow",
        "site_url": config.get("site_url") or "",
        # An optional field left empty is left out of the file, as an editor would write it (no "[]").
        "output": {"omit_empty_optional_fields": True},
        # Every file saved there passes make check's file rules (plan_ovt/intake.py).
        "media_folder": f"{docs_dir}/{intake.MEDIA_FOLDER}",
        "public_folder": f"/{intake.MEDIA_FOLDER}",
        "i18n": {"structure": "multiple_folders", "locales": codes, "default_locale": codes[0],
                 # The pairing key of the site (plan_ovt/pages.py) links a page to its translation.
                 "canonical_slug": {"key": PAIRING_KEY, "value": "{{slug}}"}},
        "collections": [
            {"name": PAGES_COLLECTION, "label": "Pages", "label_singular": "Page",
             "description": page.get("description", ""),
             "folder": docs_dir, "extension": "md", "format": "yaml-frontmatter",
             "i18n": True,
             # A new page also needs its place in mkdocs.yml (nav): added through a merge request.
             "create": False, "delete": False,
             "identifier_field": "title", "summary": "{{title}}",
             "fields": page_fields},
            {"name": DATA_COLLECTION, "label": "Données", "label_singular": "Fichier de données",
             "description": "Les faits du plan que les pages affichent (data/README.md).",
             "files": [data_file(name, schemas, codes, names)
                       for name in schemas if name not in SHARED_SCHEMAS]},
        ],
    }


def dump(config):
    return yaml.dump(config, Dumper=FastSafeDumper, allow_unicode=True, sort_keys=False, width=120)


# Edit links


def edit_url(kind, name, admin_url):
    """Address of a page (kind="pages", name: its file in the default language, without .md) or of a
    data file's form (kind="data", name: plan, itq…) in the web editor at admin_url. The same on every
    forge: the editor itself speaks GitLab or GitHub (backend)."""
    collection = PAGES_COLLECTION if kind == "pages" else DATA_COLLECTION
    return f"{admin_url}#/collections/{collection}/entries/{name}"


# admin/ in the built site


def index_html(lang, policy):
    """The editor's page; `policy` is its content security policy, for hosts that send no header."""
    return (f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="robots" content="noindex">\n'
            '<title>Modifier le site — Edit the site</title>\n'
            '<link href="config.yml" type="application/yaml" rel="cms-config-url">\n'
            '</head>\n<body>\n<script src="sveltia-cms.js"></script>\n</body>\n</html>\n')


def self_hosted_bundle(admin, languages, package=PACKAGE, node_modules=NODE_MODULES):
    """Copy the CMS into admin/ with everything it would fetch from a CDN served from admin/ instead."""
    script = (package / "dist" / "sveltia-cms.js").read_bytes()
    (admin / "fonts").mkdir(parents=True, exist_ok=True)

    def font(match):
        name, variable, version, file = (group and group.decode() for group in match.groups())
        folder = node_modules / ("@fontsource-variable" if variable else "@fontsource") / name
        installed = json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"] \
            if (folder / "package.json").exists() else None
        if installed != version:
            raise CmsError(f"police {name} {version} attendue dans package.json, trouvée : {installed} "
                           f"(font {name} {version} expected in package.json, found {installed})")
        shutil.copyfile(folder / "files" / f"{name}-{file}", admin / "fonts" / f"{name}-{file}")
        return f"fonts/{name}-{file}".encode()

    for pattern, replacement, what in [(FONT_URL, font, "fonts"), (LOCALES_URL, b"`./locales`", "locales"),
                                       (UPDATE_URL, b"`./package.json`", "update check"),
                                       (STATUS_CHECK, b"", "status check"), (ZOOM_LIMIT, b"", "maximum-scale")]:
        script, count = pattern.subn(replacement, script)
        if not count:
            raise CmsError(f"@sveltia/cms : passage à réécrire introuvable ({what}) — mettez à jour plan_ovt/cms.py "
                           f"pour cette version (text to rewrite not found: {what})")
    (admin / "sveltia-cms.js").write_bytes(script)
    # The interface in the site's languages (English is also built in): other browsers get English.
    (admin / "locales").mkdir(exist_ok=True)
    for strings in (package / "locales").glob("*.json"):
        if strings.stem.split("-")[0] in languages:
            shutil.copyfile(strings, admin / "locales" / strings.name)
    # The update check reads this copy: the installed version is the newest it knows of.
    shutil.copyfile(package / "package.json", admin / "package.json")
    # Parts loaded on demand, looked for next to the script first.
    shutil.copytree(package / "dist" / "chunks", admin / "chunks", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.map"))


def write_admin(site_dir, config_file, schema_dir=SCHEMAS, package=PACKAGE):
    """Write admin/ (page, generated configuration, the CMS and its files); returns the configuration."""
    if not (Path(package) / "dist" / "sveltia-cms.js").exists():
        raise CmsError("Éditeur web absent : lancez « make site », qui installe @sveltia/cms (npm ci) "
                       f"— Web editor missing: run `make site`, which installs it ({package} not found).")
    config = generate(config_file, schema_dir)
    admin = Path(site_dir) / ADMIN
    admin.mkdir(parents=True, exist_ok=True)
    (admin / "config.yml").write_text(dump(config), encoding="utf-8")
    policy = headers.admin_policy(api_origins(config["backend"]), meta=True)
    (admin / "index.html").write_text(index_html(config["i18n"]["default_locale"], policy), encoding="utf-8")
    self_hosted_bundle(admin, config["i18n"]["locales"], Path(package), Path(package).parent.parent)
    return config


if __name__ == "__main__":
    print(dump(generate(ROOT / "mkdocs.yml")), end="")
