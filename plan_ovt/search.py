"""MkDocs hooks: search result excerpts that keep table cells apart.

Registered in mkdocs.yml under `hooks:`. Material's search plugin indexes each page's HTML in its
on_page_context and joins the text of adjacent table cells (« N°Région administrative… »). Just
before, a separator goes between cells; it is taken out of the written page (on_post_page), so
neither the pages nor the PDF (made from the pages' content before on_page_context) show it.
"""

import re

from mkdocs.plugins import event_priority

# The end of a table's caption or cell that a cell follows, in the same row or the next one.
CELL_END = re.compile(r"</(?:t[dh]|caption)>(?=(?:\s*</?(?:tr|thead|tbody|tfoot)\b[^<>]*>)*\s*<t[dh][\s>])")
# What the index reads between two cells; the comment marks it, so that it can be taken out again.
CELL_SEPARATOR = "<!--search--> · "


# Before the search plugin (priority 0).
@event_priority(100)
def on_page_context(context, page, config, nav):
    page.content = CELL_END.sub(lambda end: CELL_SEPARATOR + end[0], page.content)
    return context


def on_post_page(output, page, config):
    return output.replace(CELL_SEPARATOR, "")
