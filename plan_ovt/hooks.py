"""MkDocs hooks: page parity between languages and each page's counterparts.

Registered in mkdocs.yml under `hooks:`.
"""

import gzip
import json
import logging
import os
import re
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup, escape as escape_markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from watchdog.observers.polling import PollingObserver

from plan_ovt import cms, fidelity, headers, intake, markup_policy, pages, preview, revisions, theme_env, typography
from plan_ovt.loading import DataError, load_data
from plan_ovt.rendering import LOCALES, long_date

_state = {}
log = logging.getLogger("mkdocs.plugins.plan_ovt.hooks")
PREVIEW_POLLING_SECONDS = 0.1
TOGGLE_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle"[^>]*?) autocomplete="off">')
# Material's nav-item.html gives a section's label (« Le plan ») tabindex="0": a tab stop with no role nor
# state, that only folds the section (WCAG 4.1.2). The section's links stay reachable; the label is no stop.
# Material's icons (inline SVG, always inside a control or a label that names it, or pure decoration) stay out
# of the accessibility tree: unnamed graphics otherwise (IBM Equal Access: svg_graphics_labelled).
# Pages cannot hold an <svg> (plan_ovt/markup_policy.py): every one is the theme's.
THEME_ICON = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg"')
# The table of contents' hidden checkbox has a label only where Material shows one (the drawer of a narrow
# screen, on some pages): never shown itself, it says so (hidden) and is named after the contents
# (labels.contents), as an unlabelled control otherwise (HTML_CodeSniffer H91, F68).
TOC_TOGGLE = '<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">'
# Material's skip link leads to the page's first heading, past the publication's status above it, and a page
# without headings (404.html) has none: the site's own leads to the start of the content (CONTENT_START, in
# main.html and 404.html), in the page's language (labels.skip_to_content; French first on the 404 page).
SKIP_LINK = re.compile(r'<div data-md-component="skip">.*?</div>', re.S)
CONTENT_START = "debut-du-contenu"
NAV_SECTION_TAB_STOP = re.compile(r'(<label class="md-nav__link" for="__nav_[0-9_]+" id="__nav_[0-9_]+_label") tabindex="0">')


# Before Material's search plugin, which makes a theme environment in its own on_config.
@event_priority(100)
def on_config(config):
    theme_env.install(config.theme)
    # The i18n plugin runs on_config again for each other language: check and read once per build.
    if config.plugins["i18n"].building:
        return config
    intake.refuse(Path(config.config_file_path).parent)
    declared = pages.read_config(config.config_file_path)
    problems = pages.parity_problems(declared, config.config_file_path, config.docs_dir)
    if problems:
        raise PluginError("Traduction manquante — le site n’a pas été construit "
                          "(Missing translation — the site was not built):\n\n" + "\n\n".join(map(str, problems)))
    _state["pairs"] = pages.page_pairs(declared, config.docs_dir)
    _state["pair_of"] = {(lang, entry["file"]): pair for pair in _state["pairs"] for lang, entry in pair.items()}
    _state["names"] = {lang["locale"]: lang["name"] for lang in config.plugins["i18n"].config["languages"]}
    _state["site_url"] = config.site_url or ""
    _state["languages"] = pages.languages(declared)
    _state["changed_on"] = revisions.last_commit_dates(config.docs_dir)
    try:
        data = load_data(Path(config.config_file_path).parent / "data", _state["languages"])
    except DataError as error:
        raise PluginError("Données invalides — le site n’a pas été construit "
                          "(Invalid data — the site was not built):\n\n" + str(error)) from None
    _state["plan_keys"] = set(fidelity.plan_page_keys(Path(config.config_file_path).parent, data["changes"]))
    _state["approved_on"] = data["plan"]["approved_on"]
    _state["note_key"] = data["publication"]["edition_note_page"]
    return config


# Material's script carries a hash of its content in its name (bundle.a5f9d56c.min.js): the site's script starts
# it on the reader's first input (overrides/partials/header.html, data-src).
THEME_BUNDLE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js")


def theme_bundle(files):
    found = [file.src_uri for file in files if THEME_BUNDLE.fullmatch(file.src_uri)]
    if len(found) != 1:
        raise PluginError("Script du thème introuvable (Material : assets/javascripts/bundle.<empreinte>.min.js) : "
                          "une mise à jour du thème a changé son nom; adaptez THEME_BUNDLE dans plan_ovt/hooks.py "
                          "(the theme's script was not found: a theme update renamed it; update THEME_BUNDLE).")
    return found[0]


# After the i18n plugin, which keeps in another language's build only the files of that language's folder.
@event_priority(-150)
def on_files(files, config):
    """An image or a document of docs/assets/ is the site's, written once at its root by the first
    language's build: every other language's pages link it the same way (../assets/images/carte.png), as
    the guide teaches, and their links to it are checked as the first language's are."""
    _state["theme_bundle"] = theme_bundle(files)
    if config.plugins["i18n"].current_language == _state["languages"][0]:
        return files
    present = {file.src_uri for file in files}
    docs = Path(config.docs_dir)
    for path in sorted((docs / "assets").rglob("*")):
        uri = path.relative_to(docs).as_posix()
        if path.is_file() and uri not in present and path.suffix != ".md":
            files.append(File(uri, config.docs_dir, config.site_dir, config.use_directory_urls))
    return files


def on_page_markdown(markdown, page, config, files):
    """[texte]{lang=fr}: words of another language, marked for screen readers and hyphenation."""
    return typography.language_spans(markdown)


def on_page_content(html, page, config, files):
    """French typography and typographic apostrophes, even where a source forgot them; then only the
    allowlist's elements and attributes (plan_ovt/markup_policy.py): what is outside it is reported on its
    line (the strict build fails) and never reaches the page."""
    html = typography.fix_html(html, getattr(page.file, "locale", None) or _state["languages"][0])
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    report(markup_policy.content_problems(html, f"docs/{page.file.src_uri}", source))
    return markup_policy.clean(html)


def report(problems):
    """Findings found while building: in the build's log, so that a strict build fails and `make check`
    (plan_ovt/build_check.py) and `make serve` show them as they are."""
    for problem in problems:
        log.warning(str(problem), extra={"finding": problem})


def on_post_page(output, page, config):
    """Valid HTML: no autocomplete on Material's hidden checkboxes (assets/javascripts/plan-ovt/site.js
    does their job of closing the drawer and search when a page is shown again); no tab stop on the
    navigation's section labels; the theme's icons out of the accessibility tree; the site's skip link
    (SKIP_LINK)."""
    output = NAV_SECTION_TAB_STOP.sub(r"\1>", TOGGLE_AUTOCOMPLETE.sub(r"\1>", output))
    lang = getattr(page.file, "locale", None) if page else None
    contents = config.plugins["macros"].variables["labels"]["contents"][lang or _state["languages"][0]]
    output = output.replace(TOC_TOGGLE, TOC_TOGGLE[:-1] + f' aria-label="{escape_markup(contents)}" hidden>')
    labels = config.plugins["macros"].variables["labels"]["skip_to_content"]
    first, *others = _state["languages"]
    skip = escape_markup(labels[lang]) if lang else Markup(" ").join(
        [escape_markup(labels[first])] + [Markup('<span lang="{}">/ {}</span>').format(other, labels[other]) for other in others])
    output = SKIP_LINK.sub(f'<div data-md-component="skip"><a href="#{CONTENT_START}" class="md-skip">{skip}</a></div>',
                           output, count=1)
    return THEME_ICON.sub('<svg aria-hidden="true" xmlns="http://www.w3.org/2000/svg"', output)


def on_template_context(context, template_name, config):
    """Templates that are not pages (404.html) get the interface texts in every language, and in the default one."""
    context["all_labels"] = {key: {lang: escape_markup(text) for lang, text in value.items()}
                             for key, value in config.plugins["macros"].variables["labels"].items()}
    # Their header speaks the default language, as their <html lang> does.
    context.setdefault("labels", {key: value[_state["languages"][0]] for key, value in context["all_labels"].items()})
    context["content_security_policy"] = headers.content_security_policy(meta=True)
    context["theme_bundle"] = _state["theme_bundle"]
    return context


def on_post_template(output, template_name, config):
    """One bilingual 404.html at the root: keep the default language's, which later builds would overwrite."""
    if template_name != "404.html":
        return output
    if config.plugins["i18n"].current_language == _state["languages"][0]:
        _state["404"] = on_post_page(output, None, config)
    return _state.get("404", output)


# After the i18n plugin, which resets extra.alternate for every page.
@event_priority(-200)
def on_page_context(context, page, config, nav):
    """Expose page.counterparts: the same page in each language, for the switcher and hreflang."""
    lang = getattr(page.file, "locale", None)
    src = Path(page.file.src_uri).as_posix()
    src = src.split("/", 1)[1] if src.startswith(f"{lang}/") else src
    pair = _state["pair_of"].get((lang, src))
    page.counterparts = []
    if pair:
        for other, entry in pair.items():
            page.counterparts.append({
                "lang": other,
                "name": _state["names"][other],
                "url": entry["url"],
                "absolute_url": _state["site_url"] + entry["url"],
                "current": other == lang,
                "locale": LOCALES.get(other, other),
            })
        # Material writes <link rel="alternate" hreflang> from extra.alternate: point it at this page's
        # counterparts rather than at each language's home page.
        # Absolute URLs (site_url), as hreflang wants; overrides/main.html keeps Material's script from
        # fetching "sitemap.xml" next to them.
        config.extra.alternate = [{"name": other["name"], "lang": other["lang"], "link": other["absolute_url"]}
                                  for other in page.counterparts]
    # Interface texts of data/labels.yml in the page's language, for the templates.
    labels = config.plugins["macros"].variables["labels"]
    # Escaped here, as every value from data where it lands in a template.
    context["labels"] = {key: escape_markup(value[lang or _state["languages"][0]]) for key, value in labels.items()}
    context["is_translation"] = bool(lang) and lang != _state["languages"][0]
    context["content_security_policy"] = headers.content_security_policy(meta=True)
    context["theme_bundle"] = _state["theme_bundle"]
    if pair and pair[lang or _state["languages"][0]]["key"] in _state["plan_keys"]:
        context["edition_notice"] = edition_notice(page, pair, lang or _state["languages"][0], labels)
    if config.extra.get("edit_links") and pair:
        context["edit_links"] = edit_links(page, pair, context["labels"], config)
    # "Dernière mise à jour" / "Last updated": the page's last commit (overrides/partials/source-file.html).
    context["last_updated"] = long_date(revisions.last_updated(page.file.abs_src_path, _state["changed_on"]),
                                        lang or _state["languages"][0])
    # Material finds the search index from "base": give each language its own root, hence its own index.
    if lang and lang != _state["languages"][0]:
        context["base_url"] = get_relative_url(f"{lang}/", page.url)
    return context


def edition_notice(page, pair, lang, labels):
    """The plan's pages say which text is official, which edition this is and where its changes are listed."""
    default = _state["languages"][0]
    note = next((other for other in _state["pairs"] if other[default]["key"] == _state["note_key"]), None)
    note_link = (f'<a href="{escape(get_relative_url(note[lang]["url"], page.url))}">'
                 f'{escape(labels["edition_note_link"][lang])}</a>') if note else escape(labels["edition_note_link"][lang])
    official = (f'<a href="{escape(get_relative_url(pair[default]["url"], page.url))}" hreflang="{default}">'
                f'{escape(labels["official_version"][lang])}</a>')
    # The label is text with {date}, {note} and {official} in it: escaped, then filled with the links.
    return escape_markup(labels["edition_notice"][lang]).format(
        date=long_date(_state["approved_on"], lang), note=Markup(note_link), official=Markup(official))


# Interface texts, not facts of a page: editable in the web editor, never offered as a page's data.
NOT_PAGE_DATA = {"labels"}


def edit_links(page, pair, labels, config):
    """[(text, address)]: the page in the web editor, then the form of each data file its macros read."""
    admin = get_relative_url(f"{cms.ADMIN}/index.html", page.url)
    entry = Path(pair[_state["languages"][0]]["file"]).with_suffix("").as_posix()
    links = [(labels["edit_page"], cms.edit_url("pages", entry, admin))]
    read = config.plugins["macros"].variables["data_files_read"].get(page.file.src_uri, set())
    links += [(f"{labels['edit_data']} ({name}.yml)", cms.edit_url("data", name, admin))
              for name in sorted(read - NOT_PAGE_DATA)]
    return links


def on_startup(command, dirty):
    preview.on_startup(command)


def on_serve(server, config, builder):
    """`make serve` looks for edits every 0.1 s instead of MkDocs's 0.5 s, so the preview follows sooner.

    MkDocs has already scheduled docs/ and mkdocs.yml on its own observer, which is not started yet.
    """
    watched = [config.docs_dir, config.config_file_path]
    for path in watched:
        server.unwatch(path)
    server.observer = PollingObserver(timeout=PREVIEW_POLLING_SECONDS)
    for path in watched:
        server.watch(path)
    preview.on_serve(server, Path(config.config_file_path).parent)
    return server


# After the i18n plugin has built every language and written their shared search index.
@event_priority(-200)
def on_post_build(config):
    if config.plugins["i18n"].building:
        return
    site_dir = Path(config.site_dir)
    report(script_policy_problems(site_dir, config.docs_dir))
    split_search_index(site_dir, "material/offline" in config.plugins)
    write_sitemap(site_dir)
    write_robots(site_dir)
    # The web editor (admin/), except in the build `make check` makes to read its warnings.
    if os.environ.get("PLAN_OVT_ADMIN") == "0":
        headers.write_header_files(site_dir)
        return
    try:
        editor = cms.write_admin(site_dir, config.config_file_path)
    except cms.CmsError as error:
        raise PluginError(str(error)) from None
    headers.write_header_files(site_dir, cms.api_origins(editor["backend"]))


def script_policy_problems(site_dir, docs_dir):
    """Every built page runs only the site's script files: findings for any page that would need more than
    the fixed policy, on the line of its source where the cause is found (plan_ovt/markup_policy.py)."""
    sources = {entry["url"]: Path(docs_dir) / lang / entry["file"] for pair in _state["pairs"]
               for lang, entry in pair.items()}
    problems = []
    for page in sorted(site_dir.rglob("*.html")):
        url = page.relative_to(site_dir).as_posix()
        source = sources.get(url)
        shown = source.relative_to(Path(docs_dir).parent).as_posix() if source else f"site/{url}"
        problems += markup_policy.output_problems(page.read_text(encoding="utf-8"), shown,
                                                  source.read_text(encoding="utf-8") if source else None)
    return problems


def split_search_index(site_dir, offline):
    """One search index per language: each edition searches only its own pages, with its own stemmer.

    With the offline plugin, each index is also written as search_index.js, which Material loads
    instead of the JSON when the site is opened from disk (file://).
    """
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    default, *others = _state["languages"]
    prefixes = tuple(f"{lang}/" for lang in others)
    editions = {default: [doc for doc in index["docs"] if not doc["location"].startswith(prefixes)]}
    for lang in others:
        editions[lang] = [dict(doc, location=doc["location"][len(lang) + 1:]) for doc in index["docs"]
                          if doc["location"].startswith(f"{lang}/")]
    for lang, docs in editions.items():
        folder = site_dir / ("" if lang == default else lang) / "search"
        folder.mkdir(parents=True, exist_ok=True)
        data = json.dumps(dict(index, config=dict(index["config"], lang=[lang]), docs=docs), ensure_ascii=False)
        (folder / "search_index.json").write_text(data, encoding="utf-8")
        if offline:
            (folder / "search_index.js").write_text(f"var __index = {data}", encoding="utf-8")


def write_robots(site_dir):
    (site_dir / "robots.txt").write_text(f"User-agent: *\nAllow: /\n\nSitemap: {_state['site_url']}sitemap.xml\n",
                                         encoding="utf-8")


def write_sitemap(site_dir):
    """sitemap.xml of the whole site at the root, and one per other edition in its folder (which Material
    reads to keep a reader on the same page when switching language). Absolute hreflang URLs."""
    base, default = _state["site_url"], _state["languages"][0]

    def sitemap(languages):
        urls = []
        for pair in _state["pairs"]:
            links = "".join(f'\n    <xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(base + entry["url"])}/>'
                            for lang, entry in pair.items())
            links += (f'\n    <xhtml:link rel="alternate" hreflang="x-default" '
                      f'href={quoteattr(base + pair[default]["url"])}/>')
            urls += [f"  <url>\n    <loc>{escape(base + entry['url'])}</loc>{links}\n  </url>"
                     for lang, entry in pair.items() if lang in languages]
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
                + "\n".join(urls) + "\n</urlset>\n")

    editions = {Path("."): _state["languages"]}
    editions.update({Path(lang): [lang] for lang in _state["languages"][1:]})
    for folder, languages in editions.items():
        xml = sitemap(languages)
        (site_dir / folder / "sitemap.xml").write_text(xml, encoding="utf-8")
        (site_dir / folder / "sitemap.xml.gz").write_bytes(gzip.compress(xml.encode("utf-8"), mtime=0))
