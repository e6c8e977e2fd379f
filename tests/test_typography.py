"""Typography fixed at build time: text only, never code, tags or URLs."""

import pytest

from conftest import build
from plan_ovt.typography import fix_html

NB = "\u00a0"


@pytest.mark.parametrize("source, lang, expected", [
    ("<p>l'avant : « oui »</p>", "fr", f"<p>l’avant{NB}: «{NB}oui{NB}»</p>"),
    ("<p>«oui»</p>", "fr", f"<p>«{NB}oui{NB}»</p>"),
    (f"<p>déjà{NB}: bien</p>", "fr", f"<p>déjà{NB}: bien</p>"),
    ("<p>ITQ's plan: yes</p>", "en", "<p>ITQ’s plan: yes</p>"),
    ("<p>d&#x27;ITQ</p>", "fr", "<p>d’ITQ</p>"),
    ("<code>a : 'b'</code> c :", "fr", f"<code>a : 'b'</code> c{NB}:"),
    ("<pre><code>x : y</code></pre>", "fr", "<pre><code>x : y</code></pre>"),
    ('<a href="https://x.org/l\'a">https://x.org</a>', "fr", '<a href="https://x.org/l\'a">https://x.org</a>'),
])
def test_fix_html(source, lang, expected):
    assert fix_html(source, lang) == expected


def test_build_repairs_a_straight_apostrophe(project, tmp_path):
    page = project / "docs/fr/introduction.md"
    page.write_text(page.read_text(encoding="utf-8").replace("l’engagement", "l'engagement"), encoding="utf-8")
    result = build(project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out/introduction.html").read_text(encoding="utf-8")
    assert "l’engagement" in html and "l'engagement" not in html
