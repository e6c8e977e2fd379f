"""The web editor in Chromium: it loads under its own CSP, and an edit through its forms changes only that value.

Playwright cannot drive the native folder picker, so the page gets a `showDirectoryPicker` that returns an
origin-private (OPFS) folder filled with a copy of the repository: the CMS's "work with a local repository"
mode then reads and writes those files as it would a real clone. Logins to GitLab or GitHub are not tested here.

Set PLAN_OVT_SCREENSHOTS=folder to save the screenshots of CONTRIBUTING.md from these runs.
"""

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from conftest import CONTENT, LANGUAGES, PAGE_PAIRS, ROOT
from plan_ovt import cms, pages
from plan_ovt.project import copy_sources

LOCAL_REPOSITORY = "Travailler avec un dépôt local"
# The repository as the CMS sees it: what it edits, and the configuration it reads.
REPOSITORY = ["docs", "data"]
SETUP = """
window.showDirectoryPicker = async () =>
  (await navigator.storage.getDirectory()).getDirectoryHandle('repository', {create: true});
window.violations = [];
document.addEventListener('securitypolicyviolation',
  event => window.violations.push(`${event.violatedDirective} ${event.blockedURI}`));
"""
FILL = """async files => {
  const root = await (await navigator.storage.getDirectory()).getDirectoryHandle('repository', {create: true});
  await root.getDirectoryHandle('.git', {create: true});
  for (const [path, text] of Object.entries(files)) {
    let folder = root;
    const parts = path.split('/');
    for (const part of parts.slice(0, -1)) folder = await folder.getDirectoryHandle(part, {create: true});
    const writable = await (await folder.getFileHandle(parts.at(-1), {create: true})).createWritable();
    await writable.write(text);
    await writable.close();
  }
}"""
READ = """async () => {
  const files = {};
  const walk = async (folder, prefix) => {
    for await (const [name, handle] of folder.entries()) {
      if (handle.kind === 'directory') await walk(handle, `${prefix}${name}/`);
      else files[`${prefix}${name}`] = await (await handle.getFile()).text();
    }
  };
  await walk(await (await navigator.storage.getDirectory()).getDirectoryHandle('repository'), '');
  return files;
}"""


def repository_files():
    return {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
            for folder in REPOSITORY for path in sorted((ROOT / folder).rglob("*"))
            if path.is_file() and path.suffix in (".md", ".yml")}


def screenshot(page, name):
    folder = os.environ.get("PLAN_OVT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


@pytest.fixture
def admin(browser, base_url):
    """The admin page in a fresh French-speaking browser in Québec's time zone (a date picker that worked in UTC
    would write the day before), under the CSP the host sends for admin/.
    page.problems: every JavaScript error, console error and CSP violation; page.elsewhere: off-site requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="fr-CA",
                                  timezone_id="America/Toronto")
    page = context.new_page()
    page.problems, page.elsewhere = [], []
    origin = urlsplit(base_url).netloc
    page.on("request", lambda request: urlsplit(request.url).scheme in ("blob", "data")
            or urlsplit(request.url).netloc == origin or page.elsewhere.append(request.url))
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.add_init_script(SETUP)
    page.goto(base_url + "admin/")
    page.get_by_role("button", name=LOCAL_REPOSITORY).wait_for()
    yield page
    context.close()


def open_local_repository(page, files):
    page.evaluate(FILL, files)
    page.get_by_role("button", name=LOCAL_REPOSITORY).click()
    page.get_by_role("link", name="Données").or_(page.get_by_text("Données", exact=True)).first.wait_for()


def open_entry(page, base_url, collection, entry):
    page.goto(f"{base_url}admin/#/collections/{collection}/entries/{entry}")
    page.get_by_role("button", name="Enregistrer").wait_for()


def textarea_with(page, value, scrolls=60):
    """The form's text box holding exactly `value`; the CMS draws fields as they scroll into view."""
    page.mouse.move(300, 400)
    for _ in range(scrolls):
        boxes = page.locator("textarea")
        for index in range(boxes.count()):
            if boxes.nth(index).input_value() == value:
                return boxes.nth(index)
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(100)
    pytest.fail(f"no text box holds {value!r}")


def field_at(page, key_path, control="input", scrolls=60):
    """The control of the form's field at `key_path` (sectors.0.deadline.date), drawn once scrolled into view."""
    page.mouse.move(300, 400)
    box = page.locator(f'[data-key-path="{key_path}"] {control}')
    for _ in range(scrolls):
        if box.count():
            box.first.scroll_into_view_if_needed()
            return box.first
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(100)
    pytest.fail(f"no field at {key_path}")


def saved_files(page, files, seconds=15):
    """The repository once the CMS has written to it (or as it is after `seconds`)."""
    for _ in range(seconds * 4):
        saved = page.evaluate(READ)
        if any(saved.get(path) != text for path, text in files.items()):
            page.wait_for_timeout(500)
            return page.evaluate(READ)
        page.wait_for_timeout(250)
    return saved


def load(text):
    from plan_ovt.loading import _Loader
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def test_admin_page_loads_under_its_csp_with_no_error_and_no_request_elsewhere(admin):
    admin.wait_for_load_state("networkidle")
    assert admin.get_by_role("button", name=LOCAL_REPOSITORY).is_visible()
    screenshot(admin, "1-connexion")
    assert admin.evaluate("window.violations") == []
    assert admin.problems == []
    assert admin.elsewhere == []


def check(project, files):
    """`make check` on a copy of the project holding `files`: (passed, what it says)."""
    for path, text in files.items():
        (project / path).write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "plan_ovt.check"], cwd=project, capture_output=True, text=True)
    return result.returncode == 0, result.stdout + result.stderr


def scroll_to_end(page):
    page.mouse.move(300, 400)
    for _ in range(40):
        page.mouse.wheel(0, 1500)
        page.wait_for_timeout(50)


def test_an_edit_of_the_plan_and_its_record_through_the_forms_changes_only_those_values(admin, base_url, tmp_path):
    """An officer changes an action in both languages; make check asks for a record of the change
    (the plan never changes silently) and proposes it; the officer adds it with the form of data/changes.yml."""
    files = repository_files()
    before = load(files["data/plan.yml"])
    action = before["sectors"][0]["actions"][0]
    new = {"fr": action["text"]["fr"] + " Texte révisé.", "en": action["text"]["en"] + " Revised text."}

    open_local_repository(admin, files)
    open_entry(admin, base_url, "pages", "tableau-du-plan-d-action")
    # The right-hand pane shows the English page beside the French one.
    english = admin.get_by_role("tab", name="Anglais", exact=True).or_(
        admin.get_by_role("button", name="Anglais", exact=True)).or_(
        admin.get_by_role("radio", name="Anglais", exact=True)).last
    english.click()
    screenshot(admin, "2-page-francais-anglais")
    open_entry(admin, base_url, "data", "plan")
    for lang in ("fr", "en"):
        textarea_with(admin, action["text"][lang]).fill(new[lang])
    screenshot(admin, "3-formulaire-plan")
    admin.get_by_role("button", name="Enregistrer").click()
    saved = saved_files(admin, files)
    assert sorted(path for path in files if saved.get(path) != files[path]) == ["data/plan.yml"]
    expected = load(files["data/plan.yml"])
    expected["sectors"][0]["actions"][0]["text"] = new
    assert load(saved["data/plan.yml"]) == expected

    project = copy_sources(tmp_path / "project")
    passed, said = check(project, saved)
    proposal = re.search(r'- where: "(.*)"\n\s+before: "(.*)"\n\s+after: "(.*)"', said)
    assert not passed and proposal, said
    record = {"date": date.today().isoformat(), "kind": "update",
              "what": {"fr": "Le texte de la première action est révisé.", "en": "The text of the first action is revised."},
              "why": {"fr": "Décision de la direction.", "en": "Decision of the management."},
              "changes": [dict(zip(("where", "before", "after"), proposal.groups()))]}

    open_entry(admin, base_url, "data", "changes")
    scroll_to_end(admin)
    admin.get_by_role("button", name=re.compile("Ajouter.*Notes de l")).last.click()
    scroll_to_end(admin)
    admin.get_by_role("button", name=re.compile("Ajouter.*Changements du texte")).last.click()
    scroll_to_end(admin)
    [box for box in admin.locator("input[type=date]").all() if not box.input_value()][-1].fill(record["date"])
    empty_inputs = [box for box in admin.locator("input[type=text]").all() if not box.input_value()][-3:]
    for box, value in zip(empty_inputs, record["changes"][0].values()):
        box.fill(value)
    empty_texts = [box for box in admin.locator("textarea").all() if not box.input_value()][-4:]
    for box, value in zip(empty_texts, [record["what"]["fr"], record["what"]["en"], record["why"]["fr"],
                                        record["why"]["en"]]):
        box.fill(value)
    admin.get_by_role("combobox").last.click()
    admin.get_by_role("option", name=record["kind"], exact=True).click()
    screenshot(admin, "4-note-de-changement")
    admin.get_by_role("button", name="Enregistrer").click()
    recorded = saved_files(admin, saved)

    assert sorted(path for path in files if recorded.get(path) != files[path]) == ["data/changes.yml", "data/plan.yml"]
    assert load(recorded["data/changes.yml"]) == load(files["data/changes.yml"]) + [record]
    assert load(recorded["data/plan.yml"]) == expected
    passed, said = check(project, recorded)
    assert passed, said
    assert admin.evaluate("window.violations") == [] and admin.problems == [] and admin.elsewhere == []


def test_a_deadline_becomes_a_date_in_the_form_and_only_it_changes(admin, base_url, tmp_path):
    """An officer gives a sector a date as deadline with the date picker, emptying its texts: plan.yml gets
    `date: YYYY-MM-DD` under `deadline:` and no empty key; make check asks for a record, then passes."""
    files = repository_files()
    before = load(files["data/plan.yml"])
    sector = before["sectors"][0]
    old = sector["deadline"].get("date") or sector["deadline"][LANGUAGES[0]]
    new = "2022-03-31" if old != "2022-03-31" else "2022-06-30"

    open_local_repository(admin, files)
    open_entry(admin, base_url, "data", "plan")
    for lang in LANGUAGES:
        if lang in sector["deadline"]:
            field_at(admin, f"sectors.0.deadline.{lang}").fill("")
    picker = field_at(admin, "sectors.0.deadline.date")
    assert picker.get_attribute("type") == "date"
    picker.fill(new)
    screenshot(admin, "5-echeance")
    admin.get_by_role("button", name="Enregistrer").click()
    saved = saved_files(admin, files)

    assert sorted(path for path in files if saved.get(path) != files[path]) == ["data/plan.yml"]
    expected = load(files["data/plan.yml"])
    expected["sectors"][0]["deadline"] = {"date": new}
    assert load(saved["data/plan.yml"]) == expected
    assert re.search(rf"(?m)^( +)deadline:\n\1  date: {new}$", saved["data/plan.yml"]), saved["data/plan.yml"]

    project = copy_sources(tmp_path / "project")
    passed, said = check(project, saved)
    where = f"plan.yml:sectors[{sector['id']}].deadline"
    proposal = re.search(r'- where: "(.*)"\n\s+before: "(.*)"\n\s+after: "(.*)"', said)
    assert not passed and proposal and proposal.groups() == (where, old, new), said
    record = {"date": date.today().isoformat(), "kind": "update",
              "what": {"fr": "L’échéance du premier secteur devient une date.",
                       "en": "The deadline of the first sector becomes a date."},
              "why": {"fr": "Décision de la direction.", "en": "Decision of the management."},
              "changes": [{"where": where, "before": old, "after": new}]}
    changes = yaml.safe_dump(load(files["data/changes.yml"]) + [record], allow_unicode=True, sort_keys=False)
    passed, said = check(project, {"data/changes.yml": changes})
    assert passed, said
    assert admin.evaluate("window.violations") == [] and admin.problems == [] and admin.elsewhere == []


def test_an_action_gets_a_deadline_of_its_own_in_the_form(admin, base_url):
    """An action without a deadline of its own offers to add one: ticked and given a date, it is written under
    that action only."""
    files = repository_files()
    plan = load(files["data/plan.yml"])
    number, index = 0, 0
    if "deadline" in plan["sectors"][number]["actions"][index]:  # the plan may give every action its own
        del plan["sectors"][number]["actions"][index]["deadline"]
        files["data/plan.yml"] = yaml.safe_dump(plan, allow_unicode=True, sort_keys=False)
    open_local_repository(admin, files)
    open_entry(admin, base_url, "data", "plan")
    field_at(admin, f"sectors.{number}.actions.{index}.deadline", "[role=checkbox]").click()
    field_at(admin, f"sectors.{number}.actions.{index}.deadline.date").fill("2022-03-31")
    admin.get_by_role("button", name="Enregistrer").click()
    saved = saved_files(admin, files)
    plan["sectors"][number]["actions"][index]["deadline"] = {"date": "2022-03-31"}
    assert load(saved["data/plan.yml"]) == plan
    assert admin.problems == []


def test_a_required_field_left_empty_is_refused(admin, base_url):
    files = repository_files()
    title = load(files["data/plan.yml"])["title"]["fr"]
    open_local_repository(admin, files)
    open_entry(admin, base_url, "data", "plan")
    box = textarea_with(admin, title)
    box.fill("")
    admin.get_by_role("button", name="Enregistrer").click()
    assert saved_files(admin, files, seconds=3)["data/plan.yml"] == files["data/plan.yml"]
    assert box.get_attribute("aria-invalid") == "true"


def test_every_page_opens_in_the_editor_at_the_address_of_its_edit_link(admin, base_url):
    files = repository_files()
    open_local_repository(admin, files)
    for pair in PAGE_PAIRS:
        entry = pair[LANGUAGES[0]]["file"].removesuffix(".md")
        admin.goto(cms.edit_url("pages", entry, base_url + "admin/index.html"))
        title = pages.front_matter(CONTENT / "docs" / LANGUAGES[0] / pair[LANGUAGES[0]]["file"], "")["title"]
        expect(admin.get_by_role("textbox").first).to_have_value(title)
