"""What a page's {{ … }} and {% … %} may reach: the documented macros and the data, nothing else.

mkdocs-macros renders every page as a Jinja template, and Jinja can reach the attributes of any Python
object, and from there the interpreter, the configuration, the files and the environment of whoever
builds the site (an editor's machine, CI). A page's template is read before it is rendered, and only
this allowlist passes:

- text and {# comments #};
- {{ macro(…) }}: one of MACROS, registered by macros.py, with data or plain values as arguments;
- {{ plan.field }}, {{ itq["field"] }}: a value of a data file (DATA_NAMES), by field names that do not
  start with "_" and are not the names of Python methods;
- {% if … %}, {% elif … %}, {% else %} on such values, with not, and, or and comparisons.

Anything else (filters, set, for, include, import, macro definitions, calls of anything but a macro, other
variables such as config or page) is refused, page and line, in French: by `make check` and by the build.
The page's front matter is plain text: a title or a description cannot hold template or HTML syntax.
"""

from jinja2 import Environment, TemplateSyntaxError, nodes

from plan_ovt.findings import message
from plan_ovt.loading import DATA_FILES

# The macros a page may call (documented in CONTRIBUTING.md); macros.py registers exactly these.
MACROS = ("t", "action_table", "strategy_objectives", "strategy_levers", "regions_table", "contact_block",
          "accessibility_contact", "approval_date", "build_date", "open_data_files", "data_dictionary",
          "edition_notes", "site_pages")
DATA_NAMES = DATA_FILES
# Names of methods of what data holds: plan.items is a Python method, not a field of plan.yml.
METHOD_NAMES = frozenset(name for kind in (dict, list) for name in dir(kind))
EXPRESSIONS = (nodes.Const, nodes.Name, nodes.Getattr, nodes.Getitem, nodes.Call, nodes.Not, nodes.And,
               nodes.Or, nodes.Compare, nodes.Operand, nodes.Keyword)
STATEMENTS = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.If)
# Front matter fields are text as written: no template, no markup, nothing to escape.
FRONT_MATTER_SIGNS = ("{{", "{%", "{#", "<", ">", "&", '"')

# The same syntax mkdocs-macros reads (mkdocs.yml sets none of its j2_* delimiters).
_parser = Environment()


def template_issues(source):
    """[(line, what, what_en)] for everything of a page's template outside the allowlist (line in `source`)."""
    try:
        return _template_issues(source)
    except RecursionError:  # {{{{{{…, ((((…: nested beyond what Jinja's parser (or this walk) reads
        line = next((number for number, text in enumerate(source.splitlines(), start=1)
                     if "{{" in text or "{%" in text), None)
        return [(line, "écriture de macro illisible (accolades, crochets ou parenthèses imbriqués à l’excès)",
                 "unreadable macro syntax (braces, brackets or parentheses nested too deep)")]


def _template_issues(source):
    try:
        tree = _parser.parse(source)
    except TemplateSyntaxError as error:
        # One unreadable macro hides nothing else: every line that reads on its own is still checked.
        issues = [(error.lineno, f"écriture de macro illisible ({error.message})",
                   f"unreadable macro syntax ({error.message})")]
        for number, line in enumerate(source.splitlines(), start=1):
            if number != error.lineno and ("{{" in line or "{%" in line):
                try:
                    _walk(_parser.parse(line), issues, called=False, line=number)
                except TemplateSyntaxError:
                    pass
        return sorted(issues, key=lambda issue: issue[0] or 0)
    issues = []
    _walk(tree, issues, called=False)
    return issues


def _walk(node, issues, called, line=None):
    """Adds to `issues` what of `node` is outside the allowlist; `line` for a node parsed on its own."""
    at = line
    line = line or getattr(node, "lineno", None)
    if isinstance(node, nodes.Name):
        allowed = MACROS if called else DATA_NAMES
        if node.ctx != "load" or node.name not in allowed:
            issues.append((line, f"« {node.name} » n’est ni une macro documentée ni un fichier de données",
                           f"'{node.name}' is neither a documented macro nor a data file"))
        return
    if isinstance(node, nodes.Call):
        if not isinstance(node.node, nodes.Name) or node.dyn_args or node.dyn_kwargs:
            issues.append((line, "seules les macros documentées s’appellent avec des parenthèses",
                           "only the documented macros are called with parentheses"))
            return
        _walk(node.node, issues, called=True, line=at)
        for child in node.args + node.kwargs:
            _walk(child, issues, called=False, line=at)
        return
    if isinstance(node, nodes.Getattr) and (node.attr.startswith("_") or node.attr in METHOD_NAMES):
        issues.append((line, f"« .{node.attr} » n’est pas un champ de données", f"'.{node.attr}' is not a data field"))
        return
    if isinstance(node, nodes.Getitem) and not (
            isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, (str, int))
            and not str(node.arg.value).startswith("_")):
        issues.append((line, "un champ de données se nomme entre guillemets, par exemple itq[\"mission\"]",
                       "a data field is named in quotes, for example itq[\"mission\"]"))
        return
    if isinstance(node, nodes.Getitem):
        _walk(node.node, issues, called=False, line=at)
        return
    if not isinstance(node, STATEMENTS + EXPRESSIONS):
        kind = type(node).__name__
        issues.append((line, f"l’instruction « {kind} » n’est pas permise dans une page",
                       f"the '{kind}' construct is not allowed in a page"))
        return
    if isinstance(node, nodes.Const) and not isinstance(node.value, (str, int, float, bool, type(None))):
        issues.append((line, "valeur non permise", "value not allowed"))
        return
    for child in node.iter_child_nodes():
        _walk(child, issues, called=False, line=at)


def template_problems(source, shown, first_line=1):
    """Findings for a page's template; `first_line` is the line of the file where `source` starts."""
    return [message(shown, line + first_line - 1 if line else None, None, what,
                    "une page n’utilise que les macros décrites dans CONTRIBUTING.md, par exemple "
                    "{{ action_table() }} ou {{ t(itq.mission) }}; copiez l’écriture exacte d’une page voisine",
                    what_en, "a page only uses the macros CONTRIBUTING.md describes, for example "
                    "{{ action_table() }} or {{ t(itq.mission) }}; copy the exact form from a neighbouring page",
                    rule="macros")
            for line, what, what_en in template_issues(source)]


def front_matter_problems(meta, shown, lines=None):
    """Findings for text fields of a page's front matter that hold template or HTML syntax.
    `lines` maps a field name to its line in the file."""
    problems = []
    for field in ("title", "description"):
        value = meta.get(field)
        signs = [sign for sign in FRONT_MATTER_SIGNS if isinstance(value, str) and sign in value]
        if signs:
            problems.append(message(
                shown, (lines or {}).get(field), field, f"signe réservé « {signs[0]} » dans le texte",
                "écrivez le texte seul, sans balise ni macro; pour citer, utilisez les guillemets « » (ou “ ” "
                "en anglais), et « et » plutôt que « & »",
                f"reserved sign '{signs[0]}' in the text",
                "write plain text, with no tag nor macro; quote with « » (or “ ” in English), write 'and' for '&'",
                rule="front-matter"))
    return problems
