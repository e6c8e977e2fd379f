"""`make publish-check`: refuse to publish a site that carries a placeholder address or lacks a setting.

In mkdocs.yml, site_url and repo_url are `!ENV [VARIABLE, placeholder]`: the placeholder lets a local
`make site` work; a published site gets the real addresses from its platform (the CI files set the
variables). The check fails if a variable is not set, or if a placeholder is still in the built site.
It also fails if a page of the built site was made without a setting of data/publication.yml that only
the publishing team can give (the address where readers report an accessibility problem): the page
marks what is missing (rendering.MISSING_SETTING).
"""

import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from plan_ovt.headers import CONTENT_TYPES, TEXT_TYPES
from plan_ovt.rendering import MISSING_SETTING

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("site_url", "repo_url")
MISSING = re.compile(rf'{MISSING_SETTING}="([a-z_]+)"')
TEXT_EXTENSIONS = tuple(f".{extension}" for extension, kind in CONTENT_TYPES.items() if kind in TEXT_TYPES)
HOW_TO = ("Dans l’intégration continue, la plateforme la donne (GitHub Pages : sortie base_url de "
          "actions/configure-pages ; GitLab Pages : CI_PAGES_URL et CI_PROJECT_URL) ; ailleurs, réglez la "
          "variable avant `make site`.")


class _EnvTags(yaml.SafeLoader):
    """Reads `!ENV [VARIABLE, default]` as it is written, without resolving it."""


_EnvTags.add_constructor("!ENV", lambda loader, node: ("!ENV", loader.construct_sequence(node)))


def placeholders(config_file):
    """{setting: (variable, placeholder)} for the settings of CHECKED written as !ENV in mkdocs.yml."""
    config = yaml.load(Path(config_file).read_text(encoding="utf-8"), Loader=_EnvTags)
    found = {}
    for setting in CHECKED:
        value = config.get(setting)
        if isinstance(value, tuple) and len(value[1]) == 2:
            found[setting] = tuple(value[1])
    return found


def problems(config_file, site_dir, environ=os.environ):
    """What would publish a placeholder, as French-first messages; empty when the site may be published."""
    found = []
    defaults = placeholders(config_file)
    for setting, (variable, placeholder) in defaults.items():
        value = environ.get(variable, "").strip()
        if not value or value.rstrip("/") == placeholder.rstrip("/"):
            found.append(f"{config_file} : {setting} — la variable {variable} n’est pas réglée : le site serait "
                         f"publié avec l’adresse provisoire {placeholder}. {HOW_TO}\n"
                         f"({setting}: {variable} is not set; the site would be published with the "
                         f"placeholder {placeholder}.)")
    site_dir = Path(site_dir)
    if not (site_dir / "index.html").is_file():
        return found + [f"{site_dir}/index.html introuvable : construisez le site (make site) avant de vérifier. "
                        f"({site_dir}/index.html not found: run make site first.)"]
    files = [path for path in sorted(site_dir.rglob("*")) if path.suffix in TEXT_EXTENSIONS and path.is_file()]
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    for setting, (variable, placeholder) in defaults.items():
        # A repository also appears without its host ("owner/name" in the web editor's admin/config.yml).
        bare = urlsplit(placeholder).path.strip("/")
        needles = [placeholder.rstrip("/")] + ([bare] if "/" in bare else [])
        carrying = [str(path.relative_to(site_dir)) for path, text in texts.items()
                    if any(needle in text for needle in needles)]
        if carrying:
            shown = ", ".join(carrying[:5]) + (f" et {len(carrying) - 5} autres" if len(carrying) > 5 else "")
            found.append(f"{site_dir} : {len(carrying)} fichiers contiennent l’adresse provisoire {placeholder} "
                         f"({setting}) : {shown}. Reconstruisez le site avec {variable} réglée. "
                         f"({len(carrying)} files contain the placeholder: rebuild with {variable} set.)")
    return found + missing_settings(texts, site_dir)


def missing_settings(texts, site_dir):
    """One message per setting of data/publication.yml that some built page says is missing."""
    pages = {}
    for path, text in texts.items():
        for setting in MISSING.findall(text):
            pages.setdefault(setting, []).append(str(path.relative_to(site_dir)))
    return [f"data/publication.yml : {setting} — réglage vide : {', '.join(shown)} le disent aux lecteurs "
            f"(par exemple, la page « Accessibilité » ne donne aucune adresse où écrire). Inscrivez le réglage "
            f"dans data/publication.yml (voir data/README.md), puis reconstruisez le site (make site).\n"
            f"({setting} is empty: {', '.join(shown)} would be published without it. Set it in "
            f"data/publication.yml, then rebuild the site.)"
            for setting, shown in sorted(pages.items())]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    site_dir = Path(argv[0]) if argv else ROOT / "site"
    found = problems(ROOT / "mkdocs.yml", site_dir)
    if found:
        print("Publication refusée (publication refused):\n\n" + "\n\n".join(found), file=sys.stderr)
        return 1
    print(f"{site_dir} : adresses de publication vérifiées (publication addresses checked).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
