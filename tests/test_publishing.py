"""Publishing anywhere: headers, metadata, sub-path crawl, atomic build, CI files."""

import http.server
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timezone
from functools import partial
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin, urlparse
from urllib.request import urlopen

import pytest
import yaml
from babel.dates import format_date
from bs4 import BeautifulSoup

from conftest import ALL_PAGES, CONFIG, CONTENT, LANGUAGES, OPERATOR_CONTACT, PLATFORM_ADDRESSES, ROOT, headers_for, html_of, page_id
from plan_ovt import publish_build
from plan_ovt.headers import LONG_CACHE, content_security_policy, hashed_assets, security_headers
from plan_ovt.loading import load_data
from plan_ovt.publish import placeholders
from plan_ovt.project import copy_sources
from plan_ovt import rendering
from plan_ovt.rendering import LOCALES

DATA = load_data(CONTENT / "data", LANGUAGES)
LABELS = DATA["labels"]


def parse_headers(site, path="/index.html"):
    """{file: {header: value}} of the header files published in the site, as the host applies them to `path`.
    The nginx and Apache configurations are proven on the real servers (tests/test_hosts.py)."""
    return {"_headers": headers_for(site, path)}


def test_headers_file_sends_the_security_headers_everywhere_and_caches_hashed_assets(site):
    assert headers_for(site, "/index.html") == security_headers(site)
    assets = hashed_assets(site)
    assert assets, "no hashed asset found: is HASHED_ASSET still Material's naming?"
    for asset in assets:
        assert headers_for(site, f"/{asset}") == dict(security_headers(site), **{"Cache-Control": LONG_CACHE})


def test_only_what_readers_need_is_published(site):
    """Server configurations stay beside the site."""
    published = {path.relative_to(site).as_posix() for path in Path(site).rglob("*") if path.is_file()}
    assert not {name for name in published if name.endswith((".conf", ".htaccess"))}


def csp_directives(site):
    csp = headers_for(site, "/index.html")["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in csp.split("; ")}


def test_csp_allows_no_inline_script_and_no_framing(site):
    directives = csp_directives(site)
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    # Only the site itself: keywords, hashes and data: images; no host, no wildcard.
    assert all(source.startswith("'") or source == "data:" for values in directives.values() for source in values)


def test_the_policy_is_fixed_and_runs_only_the_sites_files(site):
    """No hash, nothing computed from the pages: the policy of any build is the project's own."""
    assert csp_directives(site)["script-src"] == ["'self'"]
    assert csp_directives(site)["style-src"] == ["'self'"]
    assert headers_for(site, "/index.html")["Content-Security-Policy"] == content_security_policy()


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_no_page_writes_a_script_or_a_style_and_each_carries_the_policy(site, soup, page):
    """Hosts that send no header (GitHub and GitLab Pages, a copy opened from disk) get the same policy from
    the page itself, before its first script; a <meta> policy cannot hold frame-ancestors."""
    html = soup(page[3])
    assert [script for script in html.find_all("script", src=False) if script.get("type") != "application/json"] == []
    assert html.find_all("style") == [] and html.find_all(style=True) == []
    assert [tag for tag in html.find_all(True) if any(name.startswith("on") for name in tag.attrs)] == []
    meta = html.head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta["content"] == content_security_policy(meta=True)
    assert "frame-ancestors" not in meta["content"]
    assert meta.find_all_previous("script") == []


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_page_metadata(soup, page):
    lang, _, file, url = page
    html = soup(url)
    canonical = CONFIG["site_url"] + url
    assert html.find("link", rel="canonical")["href"] == canonical
    og = {meta["property"]: meta["content"] for meta in html.find_all("meta", property=True)}
    assert og["og:url"] == canonical
    assert og["og:description"] == html.find("meta", attrs={"name": "description"})["content"]
    assert og["og:locale"] == {"fr": "fr_CA", "en": "en_CA"}[lang]
    assert html.select_one(".last-updated").get_text(strip=True)


HREFLANG_LINK = re.compile(r'<link rel="([^"]*)"[^>]* hreflang="([^"]*)"')


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_hreflang_links_stay_but_escape_materials_sitemap_lookup(site, page):
    """Material's script fetches sitemap.xml next to each `link[rel=alternate]` (an exact-value match):
    overrides/main.html writes rel=" alternate", the same link relation for browsers and crawlers."""
    links = HREFLANG_LINK.findall(html_of(site, page[3]))
    assert sorted(lang for _, lang in links) == sorted([*LANGUAGES, "x-default"])
    assert all(rel.split() == ["alternate"] and rel != "alternate" for rel, _ in links), links


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_links_never_open_an_unprotected_tab_and_mailto_is_right(soup, page):
    html = soup(page[3])
    for link in html.find_all("a", target="_blank"):
        assert "noopener" in link.get("rel", [])
    addresses = {DATA["itq"]["email"], DATA["publication"]["accessibility_contact"]}
    for link in html.select('a[href^="mailto:"]'):
        assert link["href"][len("mailto:"):] in addresses


def test_robots_and_sitemap(site):
    robots = (Path(site) / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {CONFIG['site_url']}sitemap.xml" in robots


def test_404_page_is_bilingual(site):
    html = BeautifulSoup((Path(site) / "404.html").read_text(encoding="utf-8"), "lxml")
    assert html.html["lang"] == "fr"
    assert html.title.get_text().startswith(f"{LABELS['not_found_title']['fr']} / {LABELS['not_found_title']['en']} - ")
    assert html.find("h1").find(lang="en")
    assert html.find("p", lang="en").find("a", hreflang="en")


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site only under PREFIX; anything else is a 404."""
    prefix = "/itq/plan-ovt/"

    def translate_path(self, path):
        path = urlparse(path).path
        if not path.startswith(self.prefix):
            return "/nonexistent"
        return super().translate_path("/" + path[len(self.prefix):])

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def sub_path_server(site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(SubPathHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}{SubPathHandler.prefix}"
    server.shutdown()


def test_crawl_under_a_sub_path_finds_no_broken_link(sub_path_server):
    """Every page, asset, anchor and language link, from both homes: zero 404, nothing outside the sub-path."""
    start = [sub_path_server, sub_path_server + "en/index.html"]
    seen, pages, broken, escaped = set(), {}, [], []
    queue = list(start)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        try:
            with urlopen(url) as response:
                body = response.read()
                kind = response.headers.get_content_type()
        except HTTPError as error:
            broken.append((url, error.code))
            continue
        if kind != "text/html":
            continue
        html = BeautifulSoup(body, "lxml")
        pages[url] = html
        for element in html.find_all(["a", "link", "script", "img"]):
            target = element.get("href") or element.get("src")
            if not target or target.startswith(("mailto:", "data:")) or element.get("rel") in (["canonical"],
                                                                                            ["alternate"]):
                continue  # canonical and hreflang links are absolute (site_url), checked in test_site.py
            absolute = urljoin(url, target)
            if not absolute.startswith("http://127.0.0.1"):
                continue  # external links and absolute metadata URLs (site_url) are not crawled
            if not absolute.startswith(sub_path_server):
                escaped.append((url, target))
                continue
            queue.append(urldefrag(absolute).url)
    assert broken == [] and escaped == []
    crawled = {url[len(sub_path_server):] or "index.html" for url in pages}
    assert {page[3] for page in ALL_PAGES} <= crawled
    # In-page anchors point at an element that exists on the target page.
    for url, html in pages.items():
        for link in html.find_all("a", href=re.compile("#")):
            target, anchor = urldefrag(urljoin(url, link["href"]))
            if anchor and target in pages:
                assert pages[target].find(id=anchor), (url, link["href"])


# make site: a lock, a folder of its own per build, a completeness check, one atomic swap


def files_of(folder):
    return {path.relative_to(folder): path.read_bytes() for path in Path(folder).rglob("*") if path.is_file()}


def test_failed_build_keeps_the_last_good_site(tmp_path):
    project = copy_sources(tmp_path / "project")
    for name in ("Makefile", "requirements.txt", "constraints.txt", "pyproject.toml"):
        shutil.copy2(ROOT / name, project / name)
    venv = ROOT / ".venv"
    # Installed already: the venv, and node_modules (linked into the copy).
    make = ["make", "-C", str(project), "site", f"VENV={venv}", "-o", f"{venv}/.site-installed",
            "-o", "node_modules/.installed"]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    assert subprocess.run(make, capture_output=True, env=env).returncode == 0
    # site/ and server/ are the same build, complete, and nothing else is left in .builds/.
    assert (project / "site").resolve().parent == (project / "server").resolve().parent
    assert not publish_build.incomplete((project / "site").resolve().parent, publish_build.required_files(project))
    assert sorted(path.name for path in (project / ".builds").iterdir()) == sorted(
        ["lock", "current", os.readlink(project / ".builds/current")])
    before = files_of(project / "site")
    plan = project / "data/plan.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("deadline:", "dealine:", 1), encoding="utf-8")
    result = subprocess.run(make, capture_output=True, text=True, env=env)
    assert result.returncode != 0 and "champ inconnu" in result.stderr and "Traceback" not in result.stderr
    assert "La construction a échoué à l’étape « MkDocs »" in result.stderr and "reste en place" in result.stderr
    assert files_of(project / "site") == before
    assert len(list((project / ".builds").iterdir())) == 3


# The steps of a build replaced by copies of a finished site: the lock, the check and the swap, in a second.
PUBLISH = """
import json, os, signal, shutil, subprocess, sys
from plan_ovt import publish_build

kill_at = int(os.environ.get("KILL_AT", "0"))
calls = [0]

def killing(function):
    def call(*args, **kwargs):
        calls[0] += 1
        if calls[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return function(*args, **kwargs)
    return call

# Every step that changes the build folders or the links, and each command of the build.
for module, name in [(os, "mkdir"), (os, "chmod"), (os, "symlink"), (os, "replace"), (os, "rename"),
                     (shutil, "rmtree"), (subprocess, "Popen")]:
    setattr(module, name, killing(getattr(module, name)))
sys.exit(publish_build.main(["--root", sys.argv[1]], steps=json.loads(sys.argv[2])))
"""

COPY = "import shutil, sys; shutil.copytree(sys.argv[1], sys.argv[2]); open(sys.argv[2] + '/build.txt', 'w').write(sys.argv[3])"
KILL_PUBLISHER = "import os, signal; os.kill(os.getppid(), signal.SIGKILL)"


@pytest.fixture(scope="module")
def built(site, tmp_path_factory):
    """A finished site and its server configurations, for the fake steps to copy."""
    folder = tmp_path_factory.mktemp("built")
    shutil.copytree(site, folder / "site")
    subprocess.run([sys.executable, "-m", "plan_ovt.headers", folder / "site", folder / "server"], cwd=ROOT,
                   check=True)
    return folder


def fake_publish(project, built, label, *extra_steps, kill_at=0, **popen):
    """Publish `built` as build `label` (written in site/build.txt and server/build.txt); a Popen."""
    steps = [("copie du site", [sys.executable, "-c", COPY, str(built / "site"), "{site}", label]), *extra_steps,
             ("copie des configurations", [sys.executable, "-c", COPY, str(built / "server"), "{server}", label])]
    return subprocess.Popen([sys.executable, "-c", PUBLISH, str(project), json.dumps(steps)], cwd=project,
                            env=dict(os.environ, KILL_AT=str(kill_at)), stderr=subprocess.PIPE, text=True, **popen)


def published(project):
    """The label of the published build, after checking that site/ and server/ are one complete build."""
    build = (project / "site").resolve().parent
    assert build == (project / "server").resolve().parent
    assert not publish_build.incomplete(build, publish_build.required_files(project))
    labels = {(project / output / "build.txt").read_text() for output in ("site", "server")}
    assert len(labels) == 1
    return labels.pop()


def only_the_current_build_is_left(project):
    return sorted(path.name for path in (project / ".builds").iterdir()) == sorted(
        ["lock", "current", os.readlink(project / ".builds/current")])


@pytest.mark.parametrize("previous", ["none", "site/ of an earlier make site", "a build"])
def test_a_build_killed_at_any_step_leaves_the_last_good_site(project, built, previous):
    """Killed before each change to the folders and links, and during the build's first command: the site is
    the last good one (or the new one, once swapped), complete, site/ and server/ of the same build; the next
    build cleans up what the killed one left."""
    if previous == "site/ of an earlier make site":
        for output in ("site", "server"):
            shutil.copytree(built / output, project / output)
            (project / output / "build.txt").write_text("old")
    elif previous == "a build":
        assert fake_publish(project, built, "old").wait() == 0
    killed = fake_publish(project, built, "new", ("arrêt", [sys.executable, "-c", KILL_PUBLISHER]))
    assert killed.wait() == -signal.SIGKILL
    assert previous == "none" or published(project) == "old"
    kill_at = 1
    while True:
        result = fake_publish(project, built, "new", kill_at=kill_at)
        result.wait()
        if result.returncode == 0:
            break
        assert result.returncode == -signal.SIGKILL
        if previous == "site/ of an earlier make site" and not (project / "site").exists():
            # The one moment, once per checkout, between moving the earlier folder into .builds/ and linking it.
            assert (project / ".builds/current/site/build.txt").read_text() == "old"
        elif previous != "none" or (project / "server").exists():  # a first build links site/, then server/
            assert published(project) in ("old", "new"), kill_at
        kill_at += 1
    assert kill_at > 5 and published(project) == "new" and only_the_current_build_is_left(project)


def test_two_builds_at_once_take_turns(project, built):
    slow = ("attente", [sys.executable, "-c", "import time; time.sleep(2)"])
    first = fake_publish(project, built, "first", slow)
    deadline = time.monotonic() + 30
    while not list((project / ".builds").glob("build-*")):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    second = fake_publish(project, built, "second", slow)
    assert second.wait() == 0 and first.wait() == 0
    assert "Une autre construction du site est en cours" in second.stderr.read()
    assert published(project) == "second" and only_the_current_build_is_left(project)


def test_a_full_disk_leaves_the_last_good_site(project, built):
    """Writes beyond a size limit fail as on a full disk (RLIMIT_FSIZE: EFBIG, Python ignores SIGXFSZ)."""
    assert fake_publish(project, built, "old").wait() == 0
    largest = max(path.stat().st_size for path in (built / "site").rglob("*") if path.is_file())
    limit = largest // 2
    full = fake_publish(project, built, "new", preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE,
                                                                                      (limit, limit)))
    errors = full.stderr.read()
    assert full.wait() == 1 and "Le disque est plein" in errors and "reste en place" in errors
    assert published(project) == "old" and only_the_current_build_is_left(project)


def test_an_incomplete_build_is_not_published(project, built):
    assert fake_publish(project, built, "old").wait() == 0
    page = next(page for page in ALL_PAGES if page[0] == LANGUAGES[-1])[3]
    cut = ("une page coupée", [sys.executable, "-c", f"import sys; open(sys.argv[1] + '/{page}', 'w').write('<html>')",
                               "{site}"])
    result = fake_publish(project, built, "new", cut)
    errors = result.stderr.read()
    assert result.wait() == 1 and "Construction incomplète" in errors and f"site/{page} (incomplet" in errors
    assert "Traceback" not in errors
    assert published(project) == "old" and only_the_current_build_is_left(project)


@pytest.mark.parametrize("page", ALL_PAGES, ids=page_id)
def test_last_updated_is_the_date_of_the_last_commit_of_the_page(soup, page):
    lang, _, file, url = page
    source = CONTENT / "docs" / lang / file
    stamp = subprocess.run(["git", "log", "-1", "--format=%ct", "--", source.name], cwd=source.parent,
                           capture_output=True, text=True).stdout.strip()
    day = datetime.fromtimestamp(int(stamp), timezone.utc).date() if stamp else date.today()
    expected = f"{LABELS['last_updated'][lang]} {format_date(day, 'long', LOCALES[lang])}"
    assert soup(url).select_one(".last-updated").get_text(strip=True) == expected


def test_build_without_git_history_falls_back_to_the_build_date(project, tmp_path):
    from conftest import build
    result = build(project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = BeautifulSoup((tmp_path / "out/introduction.html").read_text(encoding="utf-8"), "lxml")
    today = format_date(date.today(), "long", LOCALES["fr"])
    assert html.select_one(".last-updated").get_text(strip=True) == f"{LABELS['last_updated']['fr']} {today}"


@pytest.mark.parametrize("path, commands", [
    (".github/workflows/publish.yml", ["make check", "make test", "make site", "make publish-check"]),
    (".gitlab-ci.yml", ["make check", "make test", "make site", "make publish-check"]),
    (".ci/run", ["make test"]),
])
def test_ci_files_call_the_makefile(path, commands):
    text = (ROOT / path).read_text(encoding="utf-8")
    if path.endswith((".yml", ".yaml")):
        yaml.safe_load(text)
    for command in commands:
        assert command in text
    targets = re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    for command in commands:
        assert command.split()[1] in targets


CI_SCHEMAS = {".github/workflows": "vendor.github-workflows", ".gitlab-ci.yml": "vendor.gitlab-ci"}


@pytest.mark.parametrize("path", [path.relative_to(ROOT).as_posix() for path in
                                  [*(ROOT / ".github/workflows").glob("*.yml"), ROOT / ".gitlab-ci.yml"]])
def test_ci_files_follow_their_forges_schema(path):
    """What neither forge can be asked here: the schema each publishes for its CI files (the copy
    check-jsonschema ships), e.g. GitLab's environment:url is an address or one variable."""
    schema = next(schema for prefix, schema in CI_SCHEMAS.items() if path.startswith(prefix))
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(ROOT / path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_runs_make_check_first_with_findings_where_the_forge_shows_them():
    github = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for step in github["jobs"]["check"]["steps"]]
    assert 'make check CHECK_FLAGS="--format github"' in steps
    assert github["jobs"]["test"]["needs"] == "check"
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    report = gitlab["check"]["artifacts"]["reports"]["codequality"]
    assert gitlab["check"]["script"] == [f'make check CHECK_FLAGS="--codequality {report}"']
    assert gitlab["check"]["artifacts"]["when"] == "always"
    assert gitlab["stages"][0] == gitlab["check"]["stage"] and gitlab["test"]["needs"] == ["check"]
    assert "$(CHECK_FLAGS)" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_requests_get_a_preview_with_edit_links():
    github = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    steps = github["jobs"]["test"]["steps"]
    build = next(step for step in steps if step.get("run") == "make site")
    assert "pull_request" in build["env"]["PLAN_OVT_EDIT_LINKS"]
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["if"] == "github.event_name == 'pull_request'" and upload["with"]["path"] == "site"
    assert any("GITHUB_STEP_SUMMARY" in step.get("run", "") and "artifact-url" in step["run"] for step in steps)
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    review = gitlab["review"]
    assert review["rules"] == [{"if": "$CI_MERGE_REQUEST_IID"}] and review["variables"]["PLAN_OVT_EDIT_LINKS"] == "1"
    assert "make site" in review["script"] and review["artifacts"]["paths"] == ["public"]
    page = review["environment"]["url"].lstrip("$")
    assert review["variables"][page].startswith("${PREVIEW_URL}")


def test_github_deploys_only_after_the_tests_and_the_publish_check():
    workflow = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    assert workflow["jobs"]["deploy"]["needs"] == "build" and workflow["jobs"]["build"]["needs"] == "test"
    build = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
    assert build.index("make site") < build.index("make publish-check")
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["pages"]["needs"] == ["test"]
    assert gitlab["pages"]["script"][:2] == ["make site", "make publish-check"]


@pytest.mark.parametrize("path, job", [(".github/workflows/publish.yml", "build"), (".gitlab-ci.yml", "pages")])
def test_publishing_jobs_take_the_addresses_from_the_platform(path, job):
    """Every variable that replaces a placeholder of mkdocs.yml is set by the publishing job."""
    text = (ROOT / path).read_text(encoding="utf-8")
    jobs = yaml.safe_load(text)
    published = yaml.safe_dump(jobs.get("jobs", jobs)[job])
    for variable, _ in placeholders(ROOT / "mkdocs.yml").values():
        assert re.search(rf"{variable}[=:]", published), variable


def ci_jobs():
    """(file, job name, job) of every job of both CI files."""
    github = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    return ([(".github/workflows/publish.yml", name, job) for name, job in github["jobs"].items()]
            + [(".gitlab-ci.yml", name, job) for name, job in gitlab.items() if isinstance(job, dict) and "script" in job])


def test_every_job_that_builds_the_site_knows_the_repository():
    """A preview or review app has the web editor: it must save to this repository, not mkdocs.yml's placeholder."""
    builders = [(path, name, job) for path, name, job in ci_jobs() if "make site" in yaml.safe_dump(job)]
    assert {name for _, name, _ in builders} == {"test", "build", "review", "pages"}
    for path, name, job in builders:
        assert re.search(r"PLAN_OVT_REPO_URL[=:]", yaml.safe_dump(job)), (path, name)


PINNED_ACTION = re.compile(r"^\s*(?:-\s+)?uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40})\s+#\s+v\d+\.\d+\.\d+\s*$")


@pytest.mark.parametrize("path", [path.relative_to(ROOT).as_posix() for path in (ROOT / ".github/workflows").glob("*.yml")])
def test_every_action_is_pinned_by_the_commit_of_a_release(path):
    """A tag can be moved to other code; a commit cannot. The comment says which release it is."""
    lines = [line for line in (ROOT / path).read_text(encoding="utf-8").splitlines() if re.match(r"^\s*(-\s+)?uses:", line)]
    assert lines
    assert [line.strip() for line in lines if not PINNED_ACTION.match(line)] == []


def test_a_publication_is_never_cancelled_midway():
    workflow = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    # Cancelling superseded runs is for pull requests only: a push to main waits for the running one.
    assert workflow["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    assert workflow["jobs"]["deploy"]["concurrency"]["cancel-in-progress"] is False
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["pages"]["interruptible"] is False
    assert gitlab.get("default", {}).get("interruptible") is not True


# make publish-check


def publish_check(site_dir, **environ):
    env = {name: value for name, value in os.environ.items() if name not in PLATFORM_ADDRESSES}
    return subprocess.run([sys.executable, "-m", "plan_ovt.publish", str(site_dir)], cwd=ROOT,
                          env=dict(env, **environ), capture_output=True, text=True)


def test_publish_check_refuses_the_placeholders_of_mkdocs_yml(default_site):
    result = publish_check(default_site)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for variable in PLATFORM_ADDRESSES:
        assert f"la variable {variable} n’est pas réglée" in result.stderr
    for variable, placeholder in placeholders(ROOT / "mkdocs.yml").values():
        assert f"fichiers contiennent l’adresse provisoire {placeholder}" in result.stderr


def test_publish_check_refuses_a_site_built_before_the_addresses_were_set(default_site):
    result = publish_check(default_site, **PLATFORM_ADDRESSES)
    assert result.returncode == 1 and "n’est pas réglée" not in result.stderr
    assert "fichiers contiennent l’adresse provisoire" in result.stderr


def test_publish_check_accepts_a_site_built_with_the_platform_addresses(root_site):
    result = publish_check(root_site, **PLATFORM_ADDRESSES)
    assert result.returncode == 0, result.stderr
    assert f'href="mailto:{OPERATOR_CONTACT}"' in html_of(root_site, "accessibilite.html")


def test_publish_check_refuses_a_site_without_the_accessibility_contact(tmp_path):
    """The accessibility page must give readers an address: a page built without one is not published."""
    page = rendering.accessibility_contact({"accessibility_contact": None}, DATA["labels"], "fr")
    (tmp_path / "index.html").write_text("<p>accueil</p>", encoding="utf-8")
    (tmp_path / "accessibilite.html").write_text(page, encoding="utf-8")
    result = publish_check(tmp_path, **PLATFORM_ADDRESSES)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "data/publication.yml : accessibility_contact — réglage vide : accessibilite.html" in result.stderr
    assert "(accessibility_contact is empty" in result.stderr
