"""Content is data, never code: hostile content, written where an editor writes (a page, its front matter,
a data file, the interface texts), is refused on its line in French or published as inert text. No script
of it runs, no template of it reaches Python, and the site's policy never changes with content."""

import re
import subprocess
import sys

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import CONFIG, LANGUAGES, ROOT, build, headers_for
from plan_ovt import fidelity, markup_policy, page_templates, pages
from plan_ovt.headers import content_security_policy
from plan_ovt.loading import load_data


def run_check(project):
    return subprocess.run([sys.executable, "-m", "plan_ovt.check"], cwd=project, capture_output=True, text=True)


def findings_of(result):
    """{(file, line)} of every finding `make check` printed, with its French text."""
    return [(match.group(1), int(match.group(2)) if match.group(2) else None, match.group(3))
            for match in re.finditer(r"^(\S+?\.(?:md|yml)):?(\d+)?(?::\d+)?: (.*)$", result.stderr, re.M)]


def assert_refused_on(result, file, line, words):
    assert result.returncode != 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    found = findings_of(result)
    assert any(shown == file and at == line and words in text for shown, at, text in found), (file, line, found)


def site_page(project, lang):
    """A page the site adds (not the plan's), in `lang`: content rules of the plan do not apply to it."""
    data = load_data(project / "data", LANGUAGES)
    plan_keys = set(fidelity.plan_page_keys(project, data["changes"]))
    pair = next(pair for pair in pages.page_pairs(CONFIG, project / "docs")
                if pair[LANGUAGES[0]]["key"] not in plan_keys)
    return f"docs/{lang}/{pair[lang]['file']}"


def add_lines(project, file, lines):
    """Append lines to a page, each after a blank line; returns {line: its number}."""
    path = project / file
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    numbers = {}
    for line in lines:
        text += "\n"
        numbers[line] = text.count("\n") + 1
        text += line + "\n"
    path.write_text(text, encoding="utf-8")
    return numbers


def runnable(site_dir):
    """Everything in the built pages that would run: inline scripts, event handlers, javascript: URLs, styles."""
    return {page.relative_to(site_dir).as_posix(): issues for page in site_dir.rglob("*.html")
            if (issues := markup_policy.output_issues(page.read_text(encoding="utf-8")))}


# Raw HTML in a page


HOSTILE_HTML = [
    ("<script>document.title = 'pwned'</script>", "<script>"),
    ('<img src="logo.png" alt="logo" onerror="alert(1)">', "onerror"),
    ("[Cliquez ici](javascript:alert(1))", "l’adresse"),
    ('<a href="java&#x09;script:alert(1)">lien</a>', "l’adresse"),
    ("Un paragraphe piégé.\n{: onclick=\"alert(1)\" }", "onclick"),
    ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', "<iframe>"),
    ('<div style="position:fixed;inset:0">voile</div>', "style"),
    ("<style>body { display: none }</style>", "<style>"),
    ('<span id="__config">{"search": "evil.js"}</span>', "__config"),
    ('<svg><script>alert(1)</script></svg>', "<svg>"),
    ('<form action="https://example.net/"><input name="mot-de-passe"></form>', "<form>"),
    ('<img src="https://example.net/pixel.png" alt="">', "d’un autre site"),
    ("[ailleurs](//example.net/page)", "l’adresse"),
]


def test_raw_html_outside_the_allowlist_is_refused_on_its_line(project):
    file = site_page(project, "fr")
    lines = add_lines(project, file, [snippet for snippet, _ in HOSTILE_HTML])
    result = run_check(project)
    for snippet, words in HOSTILE_HTML:
        assert_refused_on(result, file, lines[snippet] + (1 if snippet.startswith("Un paragraphe") else 0), words)
    # …and a build, strict as every build of the site is, publishes none of it.
    assert build(project, project / "site").returncode != 0


def test_raw_html_the_guide_allows_passes_and_is_kept(project):
    file = site_page(project, "en")
    allowed = ['[Conseil du trésor]{lang=fr}', '<abbr title="Infrastructures technologiques Québec">ITQ</abbr>',
               '<span lang="fr">Québec</span>', "[Contact](mailto:information@example.org)"]
    add_lines(project, file, allowed)
    result = build(project, project / "site")
    assert result.returncode == 0, result.stderr
    url = next(pair["en"]["url"] for pair in pages.page_pairs(CONFIG, project / "docs")
               if f"docs/en/{pair['en']['file']}" == file)
    html = BeautifulSoup((project / "site" / url).read_text(encoding="utf-8"), "lxml")
    assert html.find("abbr", title="Infrastructures technologiques Québec")
    assert html.find("a", href="mailto:information@example.org")
    assert runnable(project / "site") == {}


def test_the_sanitizer_keeps_the_allowlist_and_removes_the_rest():
    """nh3 removes what the check would report, even where a parser of the check would miss it."""
    cleaned = markup_policy.clean(" ".join(snippet for snippet, _ in HOSTILE_HTML if snippet.startswith("<"))
                                  + '<p lang="en">ok <a href="https://example.org/">lien</a></p>')
    assert markup_policy.output_issues(cleaned) == []
    assert not re.search(r"<(script|style|iframe|svg|form|input)\b|onerror|javascript:|__config", cleaned)
    assert '<p lang="en">ok <a href="https://example.org/">lien</a></p>' in cleaned


# Templates in a page


CANARY = "CANARY-macro-executed"
HOSTILE_TEMPLATES = [
    "{{ cycler.__init__.__globals__.os.popen('touch %s').read() }}" % CANARY,
    "{{ config.plugins }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% include 'mkdocs.yml' %}",
    "{% set x = lipsum.__globals__ %}",
    "{{ t(itq.mission) | safe }}",
    "{{ macros_info() }}",
    "{{ environment }}",
    "{{ plan.__class__ }}",
    "{{ t(itq.mission }}",
]


def test_page_templates_reach_only_the_documented_macros_and_data(project):
    file = site_page(project, "fr")
    lines = add_lines(project, file, HOSTILE_TEMPLATES)
    result = run_check(project)
    for template in HOSTILE_TEMPLATES:
        assert_refused_on(result, file, lines[template], "")
    assert not (project / CANARY).exists()
    # The build never renders them either: findings on their lines, the page kept as text, no command run.
    built = build(project, project / "site")
    assert built.returncode != 0
    assert f"{file}:{lines[HOSTILE_TEMPLATES[0]]}:" in built.stderr or f"{file}:{lines[HOSTILE_TEMPLATES[0]]}" in built.stderr
    assert not (project / CANARY).exists() and not (ROOT / CANARY).exists()


@pytest.mark.parametrize("template", ["{{" * 3000, "{{ " + "(" * 3000 + "x" + ")" * 3000 + " }}",
                                      "{% if " + "not " * 5000 + "plan %}{% endif %}"])
def test_a_template_nested_beyond_reading_is_refused_not_a_crash(template):
    issues = page_templates.template_issues("Texte.\n\n" + template)
    assert issues and issues[0][0] == 3 and "illisible" in issues[0][1]


def test_the_documented_macros_and_data_pass():
    assert page_templates.template_issues(
        "{{ action_table() }} {{ t(itq.mission) }} {{ itq.website }} {{ data_dictionary(\"actions\") }}\n"
        "{% if publication.licence %}{{ t(publication.licence.name) }}{% else %}—{% endif %}") == []


def test_macros_py_registers_exactly_the_documented_macros():
    text = (ROOT / "macros.py").read_text(encoding="utf-8")
    registered = set(re.findall(r'^        "(\w+)": ', text, re.M))
    assert registered == set(page_templates.MACROS)


# Front matter, interface texts and data: escaped where they land, or refused


@pytest.mark.parametrize("field, value", [
    ("title", "</title><script>alert(1)</script>"),
    ("description", 'Résumé" http-equiv="refresh" content="0;url=https://example.net'),
    ("title", "{{ config }}"),
    ("description", "&lt;script&gt;alert(1)&lt;/script&gt;"),
])
def test_front_matter_text_is_plain_text(project, field, value):
    file = site_page(project, "fr")
    path = project / file
    text = path.read_text(encoding="utf-8")
    line = next(number for number, line in enumerate(text.splitlines(), start=1) if line.startswith(f"{field}:"))
    path.write_text(re.sub(rf"^{field}:.*$", f"{field}: {yaml.safe_dump(value, allow_unicode=True).strip()}",
                           text, count=1, flags=re.M).replace("\n...", ""), encoding="utf-8")
    assert_refused_on(run_check(project), file, line, "signe réservé")


HOSTILE_TEXT = '<script>alert(1)</script>"><img src=x onerror=alert(2)>{{ config }}'


@pytest.fixture(scope="module")
def hostile_labels_site(tmp_path_factory):
    """A build where every interface text (data/labels.yml) and the plan's mission (itq.yml) are hostile."""
    from plan_ovt.project import copy_sources
    project = copy_sources(tmp_path_factory.mktemp("hostile") / "project")
    labels = yaml.safe_load((project / "data/labels.yml").read_text(encoding="utf-8"))
    for key, value in labels.items():
        for lang in value:
            value[lang] = value[lang] + " " + HOSTILE_TEXT if "{" not in value[lang] else value[lang] + " <b>x</b>"
    (project / "data/labels.yml").write_text(yaml.safe_dump(labels, allow_unicode=True), encoding="utf-8")
    itq = yaml.safe_load((project / "data/itq.yml").read_text(encoding="utf-8"))
    itq["mission"] = {lang: HOSTILE_TEXT + " " + text for lang, text in itq["mission"].items()}
    (project / "data/itq.yml").write_text(yaml.safe_dump(itq, allow_unicode=True), encoding="utf-8")
    result = build(project, project / "site", PLAN_OVT_PDF="0")
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_interface_texts_and_data_are_escaped_where_they_land(hostile_labels_site):
    assert runnable(hostile_labels_site) == {}
    pages_with_text = [page for page in hostile_labels_site.rglob("*.html")
                       if "onerror=alert(2)" in BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").get_text()]
    assert len(pages_with_text) > 2, "the hostile texts should show, as text"
    for page in hostile_labels_site.rglob("*.html"):
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        assert html.find("img", src="x") is None
        assert not [tag for tag in html.find_all(True) if "onerror" in tag.attrs]


def test_content_never_changes_the_policy(site, hostile_labels_site):
    """The same policy, header and <meta>, whatever the content: the project's own."""
    assert headers_for(hostile_labels_site, "/index.html")["Content-Security-Policy"] == \
        headers_for(site, "/index.html")["Content-Security-Policy"] == content_security_policy()
    metas = {meta["content"] for page in hostile_labels_site.rglob("*.html") if "admin" not in page.parts
             for meta in BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").find_all(
                 "meta", attrs={"http-equiv": "Content-Security-Policy"})}
    assert metas == {content_security_policy(meta=True)}


@pytest.mark.parametrize("value", [
    'https://example.org/" onmouseover="alert(1)',
    "javascript:alert(1)",
    "https://example.org/<script>",
    "http://example.org/",
])
def test_url_fields_accept_only_https_addresses(project, value):
    path = project / "data/itq.yml"
    text = path.read_text(encoding="utf-8")
    line = next(number for number, line in enumerate(text.splitlines(), start=1) if line.startswith("website:"))
    path.write_text(re.sub(r"^website:.*$", "website: " + yaml.safe_dump(value).strip().replace("\n...", ""),
                           text, count=1, flags=re.M), encoding="utf-8")
    result = run_check(project)
    assert_refused_on(result, "data/itq.yml", line, "forme inattendue")
    assert "https://" in result.stderr and "(?" not in result.stderr, "the form in words, not a regular expression"


# The project's own templates: a new inline script is refused by the build, never hashed


def test_an_inline_script_in_a_template_fails_the_build(project):
    main = project / "overrides/main.html"
    main.write_text(main.read_text(encoding="utf-8").replace(
        "{% block extrahead %}", "{% block extrahead %}<script>console.log('inline')</script>", 1), encoding="utf-8")
    result = build(project, project / "site", PLAN_OVT_PDF="0")
    assert result.returncode != 0
    assert "un script écrit dans la page" in result.stderr


def test_the_web_editor_carries_its_own_policy_where_no_header_can_be_sent(site):
    html = BeautifulSoup((site / "admin/index.html").read_text(encoding="utf-8"), "lxml")
    meta = html.head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta["content"] == headers_for(site, "/admin/index.html")["Content-Security-Policy"].replace(
        "; frame-ancestors 'none'", "")
    assert "script-src 'self';" in meta["content"] and "unsafe-eval" not in meta["content"]
    assert markup_policy.output_issues(str(html)) == []
