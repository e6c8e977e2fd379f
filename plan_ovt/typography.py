"""Typography applied to every built page where it is safe: text only, never code, tags or attributes."""

import re

NBSP = "\u00a0"
UNTOUCHED = {"code", "pre", "script", "style", "kbd", "samp"}
TAG = re.compile(r"(<[^<>]+>)")
APOSTROPHE = re.compile(r"(?<=[^\W\d_])(?:'|&#x27;|&#39;)(?=[^\W\d_])")
FRENCH = [
    (re.compile(r"(?<=\S)[ \u202f]?:(?=\s|$)"), NBSP + ":"),   # « : » after a non-breaking space
    (re.compile(r"«[ \u202f]?(?=\S)"), "«" + NBSP),               # «·texte
    (re.compile(r"(?<=\S)[ \u202f]?»"), NBSP + "»"),              # texte·»
    (re.compile(r"(?<=\S)[ \u00a0\u202f]+;(?=\s|$)"), ";"),        # texte; as the plan writes it (OQLF)
]


# Words of another language inside a text, written [texte]{lang=fr} in pages and data alike (WCAG 3.1.2).
LANGUAGE_SPAN = re.compile(r"\[([^\[\]]+)\]\{\s*lang=([a-z]{2})\s*\}")


def language_spans(text):
    """[texte]{lang=fr} → <span lang="fr">texte</span>; the text is already escaped HTML or Markdown."""
    return LANGUAGE_SPAN.sub(r'<span lang="\2">\1</span>', text)


def fix_text(text, lang):
    text = APOSTROPHE.sub("’", text)
    if lang == "fr":
        for pattern, replacement in FRENCH:
            text = pattern.sub(replacement, text)
    return text


def fix_html(html, lang):
    """Apply fix_text to the text between tags, outside code, scripts and styles."""
    parts, skipping = TAG.split(html), []
    for index, part in enumerate(parts):
        if index % 2:
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if name and name.group(1).lower() in UNTOUCHED and not part.endswith("/>"):
                if part.startswith("</"):
                    if skipping:
                        skipping.pop()
                else:
                    skipping.append(name.group(1).lower())
        elif not skipping:
            parts[index] = fix_text(part, lang)
    return "".join(parts)
