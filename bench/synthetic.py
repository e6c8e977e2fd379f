"""Synthetic plans N times larger than the real one, built in a temporary folder.

At factor N: N × 6 action lines spread over sectors, and about 11 × √N pages per language
(plan text reused), so 100× gives 600 actions and 110 pages per language. Pages and actions can
also be scaled alone, to find which of the two a cost grows with.
"""

import math

import yaml

from plan_ovt.project import ROOT, copy_sources

class _WrittenOut(yaml.SafeDumper):
    """The site refuses YAML aliases (plan_ovt/intake.py): a value the scaled plan shares is written out in full."""

    def ignore_aliases(self, data):
        return True


def scale_plan(plan, factor):
    """The real plan with factor × as many action lines, in √factor × as many sectors."""
    template = [action for sector in plan["sectors"] for action in sector["actions"]]
    sectors_count = 2 * max(1, round(math.sqrt(factor)))
    lines = 6 * factor
    sectors = []
    for s in range(sectors_count):
        base = plan["sectors"][s % len(plan["sectors"])]
        count = lines // sectors_count + (1 if s < lines % sectors_count else 0)
        actions = []
        for a in range(count):
            source = template[(s + a) % len(template)]
            actions.append({"id": f"s{s}-a{a}",
                            "text": {lang: f"{text} ({s + 1}.{a + 1})" for lang, text in source["text"].items()}})
        sectors.append(dict(base, id=f"secteur-{s + 1}",
                            name={lang: f"{name} {s + 1}" for lang, name in base["name"].items()},
                            actions=actions))
    return dict(plan, sectors=sectors)


def make_project(destination, factor, pages=True, actions=True):
    """A copy of the project scaled by `factor` (its pages, its actions or both);
    returns (path, pages per language, action lines)."""
    project = copy_sources(destination)
    plan_file = project / "data/plan.yml"
    plan = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
    plan["approved_on"] = str(plan["approved_on"])
    plan = scale_plan(plan, factor if actions else 1)
    plan_file.write_text(yaml.dump(plan, Dumper=_WrittenOut, allow_unicode=True, sort_keys=False), encoding="utf-8")

    config_text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    real_pages = len(list((project / "docs/fr").glob("*.md")))
    extra = round(real_pages * math.sqrt(factor if pages else 1)) - real_pages
    fr_body = (project / "docs/fr/mot-du-president-directeur-general.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    en_body = (project / "docs/en/message-from-the-president-and-ceo.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    fr_nav, en_nav = [], []
    # A large plan's pages come in sections of ten, as an editor would arrange them.
    for n in range(1, extra + 1):
        if n % 10 == 1:
            fr_nav.append(f"  - Section {n // 10 + 1}:")
            en_nav.append(f"            - Section {n // 10 + 1}:")
        for lang, body, nav, name in (("fr", fr_body, fr_nav, f"page-synthetique-{n}.md"),
                                      ("en", en_body, en_nav, f"synthetic-page-{n}.md")):
            title = f"Page {n}"
            (project / "docs" / lang / name).write_text(
                f'---\ntitle: {title}\ndescription: "Page {n}."\ntranslation_key: page-synthetique-{n}\n---\n'
                + body.replace("# ", f"# {n} ", 1),
                encoding="utf-8")
            nav.append(f"      - {title}: {name}" if lang == "fr" else f"                - {title}: {name}")
    if extra > 0:
        # Same position in both navigations: after the last page of each (mkdocs.yml ends with the French nav).
        lines = config_text.splitlines()
        end = lines.index("          nav:") + 1
        while lines[end].startswith("            - ") or lines[end].startswith("                - "):
            end += 1
        lines[end:end] = en_nav
        config_text = "\n".join(lines + fr_nav) + "\n"
    (project / "mkdocs.yml").write_text(config_text, encoding="utf-8")
    return project, real_pages + max(extra, 0), sum(len(s["actions"]) for s in plan["sectors"])
