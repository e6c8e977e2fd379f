"""Markup an editor may write, and markup the built site may carry: both are the project's to decide.

- Page content (Markdown, its raw HTML, attributes added with {…}, and what the macros make) keeps to
  one allowlist of elements, attributes and address schemes. `content_problems` finds what is outside
  it, for a French finding on the page's line; `clean` then removes it with nh3 (the Ammonia
  sanitizer) from the same list, so nothing outside it reaches a reader even where the check missed.
- The built pages run only the site's own script files: `output_problems` finds an inline script, an
  event-handler attribute, a javascript: address or an inline style anywhere in a built page, which the
  site's fixed policy (plan_ovt/headers.py: script-src 'self', style-src 'self', no hash) would block.
  The build refuses to publish them instead of computing a policy from what the pages contain.
"""

from html import unescape
import re
from html.parser import HTMLParser

import nh3
from lxml import html as lxml_html

from plan_ovt.findings import message
from plan_ovt.rendering import MISSING_SETTING

# What the pages' Markdown and the macros produce, and the few elements an editor writes in HTML
# (a language span, an abbreviation, a signature paragraph). No script, style, form, frame or embed.
ELEMENTS = {
    "a", "abbr", "address", "aside", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "nav", "ol", "p", "pre", "q", "s", "samp", "section",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
    "u", "ul", "var",
}
# Every element may carry these: identity, language, and what assistive technologies read.
# MISSING_SETTING marks what an empty publication setting leaves out (make publish-check looks for it).
COMMON_ATTRIBUTES = {"id", "class", "lang", "dir", "title", "hidden", "role", "tabindex", "aria-label",
                     "aria-labelledby", "aria-describedby", "data-search-exclude", MISSING_SETTING}
ATTRIBUTES = {
    "a": {"href", "hreflang", "type"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"headers", "rowspan", "colspan"},
    "th": {"headers", "rowspan", "colspan", "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
}
URL_ATTRIBUTES = {"href", "src"}
# Other sites over https, e-mail, telephone; and addresses within the site (no scheme).
URL_SCHEMES = {"https", "mailto", "tel"}
# Ids the theme's own elements use (__drawer, __search, __config, md-…): a page cannot shadow them.
RESERVED_ID = re.compile(r"^(?:_|md-)")

# Browsers ignore tabs and line breaks inside an address, and spaces and controls before it.
_IGNORED_IN_URL = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def url_scheme(value):
    """The scheme of an address as a browser reads it (lowercase), or None for an address within the site."""
    value = _IGNORED_IN_URL.sub("", value or "").lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e"
                                                        "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a"
                                                        "\x1b\x1c\x1d\x1e\x1f ")
    if re.match(r"[/\\]{2}", value):  # //host/… : another site, in the page's own scheme
        return "//"
    scheme = _SCHEME.match(value)
    return scheme.group(1).lower() if scheme else None


class _Walk(HTMLParser):
    """Every start tag of a piece of HTML, with its attributes and line, as browsers tokenize it."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((self.getpos()[0], tag, attrs))


# Page content


def content_issues(html):
    """[(what, needle)] for everything of `html` outside the allowlist; needle helps find it in the source."""
    issues = []
    for _, tag, attrs in _Walk(html).tags:
        if tag not in ELEMENTS:
            issues.append((f"l’élément HTML <{tag}>", f"the HTML element <{tag}>", f"<{tag}"))
            continue
        for name, value in attrs:
            if name not in COMMON_ATTRIBUTES | ATTRIBUTES.get(tag, set()):
                issues.append((f"l’attribut « {name} » sur <{tag}>", f"the attribute '{name}' on <{tag}>", name))
            elif name == "id" and RESERVED_ID.match(value or ""):
                issues.append((f"l’identifiant « {value} », réservé au thème", f"the id '{value}', kept for the theme",
                               value))
            elif name == "src" and url_scheme(value) is not None:
                issues.append((f"l’image « {value[:60]} » d’un autre site (le site ne charge rien d’ailleurs : "
                               "copiez l’image dans docs/assets/images/)",
                               f"the image '{value[:60]}' from another site (the site loads nothing from elsewhere: "
                               "copy it into docs/assets/images/)", value[:40]))
            elif name in URL_ATTRIBUTES and url_scheme(value) not in URL_SCHEMES | {None}:
                issues.append((f"l’adresse « {value[:60]} » (seules les adresses https:, mailto:, tel: et les "
                               "pages du site le sont)",
                               f"the address '{value[:60]}' (only https:, mailto:, tel: and the site's pages are "
                               "allowed)", value[:40]))
    return issues


def content_problems(html, shown, source):
    """Findings for what `html`, the rendered content of the page `shown` (source text `source`), has
    outside the allowlist, each on the line of the source where it is written, when it can be found."""
    problems = []
    for what, what_en, needle in content_issues(html):
        line = locate(source, needle)
        problems.append(message(
            shown, line, None, f"ceci n’est pas permis dans une page : {what}",
            "retirez-le : une page contient du texte, des liens et les quelques éléments décrits dans "
            "CONTRIBUTING.md (par exemple [mot]{lang=en} pour un passage dans une autre langue); la mise en "
            "forme et les scripts viennent du thème du site",
            f"not allowed in a page: {what_en}",
            "remove it: a page holds text, links and the few elements CONTRIBUTING.md describes; layout and "
            "scripts come from the site's theme", rule="html"))
    return problems


def _keep_attribute(tag, name, value):
    if name == "id" and RESERVED_ID.match(value):
        return None
    if (name == "src" and url_scheme(value) is not None) or (name == "href" and url_scheme(value) == "//"):
        return None
    return value


def clean(html):
    """`html` with only the allowlist's elements, attributes and address schemes (nh3, the Ammonia sanitizer)."""
    return nh3.clean(
        html, tags=ELEMENTS, clean_content_tags={"script", "style"},
        attributes={"*": COMMON_ATTRIBUTES, **ATTRIBUTES}, url_schemes=URL_SCHEMES, link_rel=None,
        strip_comments=True, attribute_filter=_keep_attribute)


# Built pages

# Script blocks that are data, never run: the policy does not apply to them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
RUNNABLE_SCHEMES = {"javascript", "vbscript"}


def _built_elements(html):
    """(line, tag, attributes) of every element of a built page: libxml2's HTML parser (lxml), several times
    faster than the tokenizer above over the whole site; the pages are the project's, content already cleaned."""
    if not html.strip():
        return []
    return [(element.sourceline, element.tag.lower(), list(element.attrib.items()))
            for element in lxml_html.document_fromstring(html).iter() if isinstance(element.tag, str)]


def output_issues(html):
    """[(line, what, what_en, needle)]: what in a built page would need more than the site's fixed policy."""
    issues = []
    for line, tag, attrs in _built_elements(html):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes and \
                (attributes.get("type") or "").strip().lower() not in DATA_SCRIPT_TYPES:
            issues.append((line, "un script écrit dans la page", "a script written in the page", "<script"))
        if tag == "style":
            issues.append((line, "une feuille de style écrite dans la page", "a style sheet written in the page",
                           "<style"))
        for name, value in attrs:
            if name.startswith("on"):
                issues.append((line, f"l’attribut d’événement « {name} »", f"the event attribute '{name}'", name))
            elif name == "style":
                issues.append((line, "un style écrit dans un élément (attribut style)",
                               "a style written in an element (style attribute)", "style="))
            elif url_scheme(value) in RUNNABLE_SCHEMES:
                issues.append((line, f"une adresse qui exécute du code ({name}=\"{value[:40]}\")",
                               f"an address that runs code ({name}=\"{value[:40]}\")", value[:40]))
    return issues


def output_problems(html, shown, source=None):
    """Findings for a built page: on the line of its source file where the cause is found, else on the page."""
    problems = []
    for line, what, what_en, needle in output_issues(html):
        problems.append(message(
            shown, locate(source, needle) if source is not None else line, None,
            f"{what} : le site n’exécute que ses propres fichiers de script, la page ne serait pas publiée",
            "retirez-le de la page, des données ou du gabarit qui l’ajoute; si c’est le code du site, mettez le "
            "script ou le style dans un fichier (overrides/assets/)",
            f"{what_en}: the site only runs its own script files, the page would not be published",
            "remove it from the page, data or template that adds it; if it is the site's code, move the script "
            "or style into a file (overrides/assets/)", rule="script-policy"))
    return problems


# Helpers


def locate(source, needle):
    """The 1-based line of `source` (text) where `needle` first appears, or None."""
    if not source or not needle:
        return None
    # As written, in any case, or with its character references read (java&#x09;script: …).
    for text in (source, source.lower(), unescape(source)):
        index = text.find(needle if text is not source.lower() else needle.lower())
        if index >= 0:
            return text.count("\n", 0, index) + 1
    return None
