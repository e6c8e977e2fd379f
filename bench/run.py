"""`make bench`: build, reload, PDF, first visit, Lighthouse, scale and hostile input, each against its budget.

Timed runs are interleaved and reported as medians. Prints a table and writes bench/results.json.
Exits non-zero when a measured figure misses its budget (a skipped measure says why).
"""

import gzip
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.request import urlopen

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import serve  # noqa: E402
from synthetic import make_project  # noqa: E402

from plan_ovt.project import ROOT, copy_sources  # noqa: E402

PYTHON = sys.executable


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The measured site is built for the loopback address it is served from, as a deployment sets its own.
PORT = free_port()
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", PLAN_OVT_PDF="0", PLAN_OVT_SITE_URL=f"http://127.0.0.1:{PORT}/")
# Builds keep their compiled modules, as on any machine: with PYTHONDONTWRITEBYTECODE (set on some CI
# machines), every build would compile plan_ovt again while the bare build's packages come compiled.
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
LIGHTHOUSE = "12.2.3"
LIGHTHOUSE_ROUNDS = int(os.environ.get("BENCH_LIGHTHOUSE_ROUNDS", "3"))
LIGHTHOUSE_TIMINGS = {"first-contentful-paint": "fcp", "largest-contentful-paint": "lcp",
                      "total-blocking-time": "tbt"}
CHROMIUM_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking " \
                 "--disable-component-update --disable-sync --no-first-run"
# Pages measured in the browser: home, a content page and the action table, in both languages.
VISITED = {"home-fr": "index.html", "content-fr": "presentation-d-itq.html", "table-fr": "tableau-du-plan-d-action.html",
           "home-en": "en/index.html", "content-en": "en/about-itq.html", "table-en": "en/action-plan-table.html"}
results, budgets = {}, []


def record(name, value, budget=None, check=None, unit=""):
    results[name] = value
    if budget is not None:
        ok = check(value) if value is not None else None
        budgets.append((name, value, budget, ok, unit))


def timed(command, cwd, env=ENV):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode:
        raise RuntimeError(f"{' '.join(command)} failed in {cwd}:\n{result.stderr[-3000:]}")
    return elapsed


def build(project, out, env=ENV):
    return timed([PYTHON, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)], project, env)


def bare_project(destination):
    """The same Markdown with mkdocs-material and no plugin at all."""
    destination = Path(destination)
    shutil.copytree(ROOT / "docs", destination / "docs")
    (destination / "mkdocs.yml").write_text("site_name: Bare\ntheme:\n  name: material\nplugins: []\n",
                                            encoding="utf-8")
    return destination


# Measures


def measure_build(work):
    """HTML build (no PDF), full build as `make site` runs it (PDFs from the cache when unchanged), and the
    bare build, interleaved; then the cost of making both PDFs again (empty cache)."""
    project = copy_sources(work / "full")
    bare = bare_project(work / "bare")
    with_pdf = dict(ENV, PLAN_OVT_PDF="1")
    build(project, work / "out-site", with_pdf)  # fills the PDF cache, as an earlier `make site` has
    html_times, site_times, bare_times = [], [], []
    for _ in range(ROUNDS):
        html_times.append(build(project, work / "out-full"))
        site_times.append(build(project, work / "out-site", with_pdf))
        bare_times.append(timed([PYTHON, "-m", "mkdocs", "build", "--site-dir", str(work / "out-bare")], bare))
    html, site, plain = (statistics.median(times) for times in (html_times, site_times, bare_times))
    record("build_s", round(html, 2))
    record("site_build_s", round(site, 2))
    record("bare_build_s", round(plain, 2))
    record("build_ratio", round(html / plain, 2), "≤ 2.0", lambda v: v <= 2.0)
    record("site_build_ratio", round(site / plain, 2), "≤ 3.5", lambda v: v <= 3.5)
    pdf_times = []
    for _ in range(max(1, ROUNDS // 2)):
        shutil.rmtree(project / ".cache", ignore_errors=True)
        pdf_times.append(build(project, work / "out-pdf", with_pdf) - html)
    record("pdf_generation_s", round(statistics.median(pdf_times), 2))
    return work / "out-pdf"


def measure_reload(work, language=None):
    """Time from saving a one-line edit to the preview serving it (mkdocs serve, as `make serve` runs it;
    with `language`, as `make serve LANGUE=…` runs it)."""
    project = copy_sources(work / f"serve-{language}")
    port = free_port()
    env = dict(ENV, PLAN_OVT_PDF="", **({"PLAN_OVT_PREVIEW_LANGUAGE": language} if language else {}))
    server = subprocess.Popen([PYTHON, "-m", "mkdocs", "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/introduction.html"
    try:
        wait_for(url, lambda body: True, timeout=120)
        page = project / "docs/fr/introduction.md"
        times = []
        for round_ in range(ROUNDS):
            token = f"mesure{round_}x{time.time_ns()}"
            start = time.perf_counter()
            page.write_text(page.read_text(encoding="utf-8") + f"\n{token}\n", encoding="utf-8")
            wait_for(url, lambda body: token in body, timeout=60)
            times.append(time.perf_counter() - start)
            time.sleep(1)
    finally:
        server.terminate()
        server.wait()
    name = f"reload_{language}_only_s" if language else "reload_s"
    record(name, round(statistics.median(times), 2), "≤ 1 s", lambda v: v <= 1.0, "s")


def wait_for(url, condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urlopen(url, timeout=5) as response:
                if condition(response.read().decode("utf-8", "replace")):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(url)


def first_visit(browser, url, base):
    """(requests, gzip KiB, third-party requests) of a first visit of url, with an empty cache."""
    context = browser.new_context()
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(url, wait_until="networkidle")
    total = 0
    for request in requests:
        # Playwright gives the decoded body: its gzip size is what a compressing host sends.
        response = request.response()
        body = response.body() if response else b""
        total += len(gzip.compress(body, 6)) if body else 0
    third_party = [r.url for r in requests if not r.url.startswith(base)]
    context.close()
    return len(requests), round(total / 1024, 1), len(third_party)


def with_browser(measure):
    """Run measure(browser), or say why it is skipped."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("first visit: skipped — Playwright is not installed (make test installs it)")
        return
    chromium = shutil.which("chromium")
    if not chromium:
        print("first visit: skipped — Debian's chromium is not installed")
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS.split()[1:])
        try:
            measure(browser)
        finally:
            browser.close()


def measure_first_visits(site):
    def measure(browser):
        base, server = serve(site, PORT)
        try:
            for name, path in VISITED.items():
                if not name.startswith(("home", "table")):
                    continue
                requests, kib, third_party = first_visit(browser, base + path, base)
                record(f"first_visit_{name}_requests", requests, "≤ 7", lambda v: v <= 7)
                record(f"first_visit_{name}_kib", kib, "≤ 100 KiB", lambda v: v <= 100, " KiB")
                record(f"first_visit_{name}_third_party", third_party, "0", lambda v: v == 0)
        finally:
            server.shutdown()
            server.server_close()

    with_browser(measure)


def lighthouse_binary():
    folder = ROOT / "bench" / ".lighthouse"
    binary = folder / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        if not shutil.which("npm"):
            return None
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder),
                        f"lighthouse@{LIGHTHOUSE}"], check=False, capture_output=True)
    return binary if binary.exists() else None


def measure_lighthouse(site, work):
    """Lighthouse mobile (simulated slow 4G, 4× slower CPU), LIGHTHOUSE_ROUNDS runs per page, interleaved:
    the median of each category score, and of the timings behind the performance score."""
    binary, chromium = lighthouse_binary(), shutil.which("chromium")
    if not binary or not chromium:
        print(f"lighthouse: skipped — needs npm (lighthouse@{LIGHTHOUSE}) and Debian's chromium")
        return
    runs = {name: [] for name in VISITED}
    base, server = serve(site, PORT)
    try:
        for round_ in range(LIGHTHOUSE_ROUNDS):
            for name, path in VISITED.items():
                report = work / f"lighthouse-{name}-{round_}.json"
                subprocess.run([str(binary), base + path, "--quiet", "--output=json", f"--output-path={report}",
                                f"--chrome-flags={CHROMIUM_FLAGS}",
                                "--only-categories=performance,accessibility,best-practices,seo"],
                               env=dict(os.environ, CHROME_PATH=chromium), capture_output=True, timeout=300)
                if report.exists():
                    runs[name].append(json.loads(report.read_text(encoding="utf-8")))
    finally:
        server.shutdown()
        server.server_close()
    for name, reports in runs.items():
        if not reports:
            print(f"lighthouse {name}: skipped — Lighthouse produced no report")
            continue
        for category in reports[0]["categories"]:
            score = statistics.median(round((r["categories"][category]["score"] or 0) * 100) for r in reports)
            record(f"lighthouse_{name}_{category}", score, "100", lambda v: v == 100)
        for metric, short in LIGHTHOUSE_TIMINGS.items():
            record(f"lighthouse_{name}_{short}_ms",
                   round(statistics.median(r["audits"][metric]["numericValue"] for r in reports)))


def measure_scale(work):
    """Build time per page at 1×, 10× and 100× the real plan, as a bigger plan grows: pages × √N, actions × N."""
    sizes = scaled_builds(work, "scale", (1, 10, 100), rounds=3)
    for factor, (pages, actions, seconds) in sizes.items():
        record(f"scale_{factor}x_pages", pages * 2)
        record(f"scale_{factor}x_actions", actions)
        record(f"scale_{factor}x_build_s", round(seconds, 2))
        record(f"scale_{factor}x_s_per_page", round(seconds / (pages * 2), 3))
    # Startup removed: what a size adds over 1×, per page added. One big table holds every action, so
    # this rises with the actions even when every cost is linear; scale_{pages,actions}_* tell them apart.
    for factor in (10, 100):
        added = (sizes[factor][2] - sizes[1][2]) / ((sizes[factor][0] - sizes[1][0]) * 2)
        record(f"scale_{factor}x_marginal_s_per_page", round(added, 3))
    measure_big_table(work / "scale-out-100")


def measure_growth(work, dimension):
    """Pages alone, or actions alone, at 10×, 40× and 100×: the cost of one more page (or action) from
    10× to 40× and from 40× to 100× must not grow by more than 25 % — nothing quadratic."""
    factors = (10, 40, 100)
    sizes = scaled_builds(work, dimension, factors, rounds=ROUNDS, pages=dimension == "pages",
                          actions=dimension == "actions")
    count = {factor: pages * 2 if dimension == "pages" else actions for factor, (pages, actions, _) in sizes.items()}
    slopes = [(sizes[b][2] - sizes[a][2]) / (count[b] - count[a]) for a, b in zip(factors, factors[1:])]
    unit = dimension[:-1]
    record(f"scale_{dimension}_alone_counts", [count[factor] for factor in factors])
    record(f"scale_{dimension}_alone_ms_per_{unit}", [round(slope * 1000, 2) for slope in slopes])
    drift = round((slopes[1] / slopes[0] - 1) * 100, 1)
    if dimension == "pages":
        # The budget for the cost of a page: flat, both ways.
        record("scale_pages_alone_cost_drift", drift, "within ±25 %", lambda v: abs(v) <= 25, " %")
    else:
        # An action growing dearer would be the quadratic sign; one getting cheaper is startup amortised.
        record("scale_actions_alone_cost_drift", drift, "≤ +25 %", lambda v: v <= 25, " %")


def scaled_builds(work, name, factors, rounds, **scaling):
    """Synthetic projects at each factor, built in turn once per round (site in work/{name}-out-{factor}):
    {factor: (pages per language, actions, median build seconds)}."""
    projects = {factor: make_project(work / f"{name}-{factor}", factor, **scaling) for factor in factors}
    times = {factor: [] for factor in factors}
    for _ in range(rounds):
        for factor, (project, _, _) in projects.items():
            times[factor].append(build(project, work / f"{name}-out-{factor}"))
    return {factor: (pages, actions, statistics.median(times[factor]))
            for factor, (_, pages, actions) in projects.items()}


def measure_big_table(site):
    """The 600-action table page: its first visit stays within the page budget plus the table's own text."""
    table_page = site / "tableau-du-plan-d-action.html"
    html = table_page.read_text(encoding="utf-8")
    table_text = " ".join(re.sub(r"<[^>]+>", " ", html[html.index("<table"):html.rindex("</table>")]).split())
    text_kib = round(len(gzip.compress(table_text.encode("utf-8"), 6)) / 1024, 1)
    record("scale_100x_table_text_kib", text_kib)

    def measure(browser):
        base, server = serve(site, PORT)
        try:
            requests, kib, _ = first_visit(browser, base + table_page.name, base)
        finally:
            server.shutdown()
            server.server_close()
        record("scale_100x_table_first_visit_kib", kib)
        record("scale_100x_table_first_visit_kib_without_table_text", round(kib - text_kib, 1), "≤ 100 KiB",
               lambda v: v <= 100, " KiB")

    with_browser(measure)


# Lines an editor could write to slow the rulebook down: the openings of its patterns, repeated without
# their ends (<<<…, {{{{…, ![![…), long runs a pattern scans (words, addresses), and their mixtures.
HOSTILE_UNITS = ["<", "{{", "{%", "{", "[", "![", "](", "[](", "![a](b", "<img", "«", "“", "a-", "a’", "a@", "_",
                 "http://", "a.", "x:", " :", "[a]{ lang=", "</td><tr a", "*a", "**", "`", "a", "é1", "# ", "@{ lang=fr"]
HOSTILE_LINE_CHARS = 100_000


def measure_hostile_lines(work):
    """The rulebook's text checks on 100 kB lines made to make a pattern backtrack: the slowest line,
    checked as a page's line and as a data file's text (typography, spelling, structure, images,
    fidelity's units, make fix and the build's typography)."""
    from plan_ovt import content, fidelity, typography

    project = work / "hostile"
    slowest = (0, None)
    for unit in HOSTILE_UNITS:
        line = (unit * (HOSTILE_LINE_CHARS // len(unit) + 1))[:HOSTILE_LINE_CHARS]
        shutil.rmtree(project, ignore_errors=True)
        for lang in ("fr", "en"):
            page = project / "docs" / lang / "page.md"
            page.parent.mkdir(parents=True)
            page.write_text(f"---\ntitle: Titre\n---\n\n# Titre\n\n{line}\n", encoding="utf-8")
        (project / "data").mkdir()
        (project / "data" / "texts.yml").write_text(f"text:\n  fr: |-\n    {line}\n  en: |-\n    {line}\n",
                                                   encoding="utf-8")
        start = time.perf_counter()
        content.content_problems(project, ["fr", "en"])
        fidelity.page_units(project / "docs/fr/page.md")
        content._fix_markdown(line, "fr")
        typography.fix_html(f"<p>{line}</p>", "fr")
        elapsed = time.perf_counter() - start
        slowest = max(slowest, (elapsed, unit))
    record("hostile_line_slowest", repr(slowest[1]))
    record("hostile_line_check_s", round(slowest[0], 2), "≤ 1 s", lambda v: v <= 1.0, "s")


def measure_hostile_yaml(work):
    """`make check` on the project with a « billion laughs » (9**30 strings in a few lines of YAML) in a data
    file and in a page's front matter: refused at once, never expanded."""
    project = copy_sources(work / "laughs")
    laughs = ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    laughs += [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]" for i in range(1, 30)]
    labels = project / "data" / "labels.yml"
    labels.write_text(labels.read_text(encoding="utf-8") + "\n".join(laughs) + "\n", encoding="utf-8")
    page = project / "docs" / "fr" / "index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("---\n", "---\n" + "\n".join(laughs) + "\n", 1),
                    encoding="utf-8")
    start = time.perf_counter()
    result = subprocess.run([PYTHON, "-m", "plan_ovt.check"], cwd=project, env=ENV, capture_output=True, text=True,
                            timeout=600)
    elapsed = time.perf_counter() - start
    if result.returncode != 1 or "renvoi YAML" not in result.stderr:
        raise RuntimeError(f"make check did not refuse the billion laughs:\n{result.stderr[-3000:]}")
    record("hostile_yaml_check_s", round(elapsed, 2), "≤ 5 s", lambda v: v <= 5.0, "s")


def main():
    record("machine", f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    record("date", date.today().isoformat())
    with tempfile.TemporaryDirectory(prefix="plan-ovt-bench-") as temp:
        work = Path(temp)
        site = measure_build(work)
        measure_reload(work)
        measure_reload(work, "fr")
        measure_first_visits(site)
        measure_lighthouse(site, work)
        measure_scale(work)
        measure_growth(work, "pages")
        measure_growth(work, "actions")
        measure_hostile_lines(work)
        measure_hostile_yaml(work)
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                                                 encoding="utf-8")
    width = max(len(name) for name in results)
    print(f"\n{'measure'.ljust(width)}  value        budget")
    checked = {name: (budget, ok) for name, _, budget, ok, _ in budgets}
    for name, value in results.items():
        budget, ok = checked.get(name, ("", None))
        status = "" if name not in checked else ("OK" if ok else ("MISSED" if ok is False else "skipped"))
        print(f"{name.ljust(width)}  {str(value).ljust(11)}  {budget} {status}")
    missed = [name for name, _, _, ok, _ in budgets if ok is False]
    print(f"\n{len(budgets) - len(missed)}/{len(budgets)} budgets met; results in bench/results.json")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
