"""MkDocs hooks: the publication's status (data/publication.yml, `status`) on every page.

Registered in mkdocs.yml under `hooks:`. Each page gets `publication_status`, the notice in its language,
for overrides/partials/status.html; the bilingual 404 page gets it in every language. The same notice
goes on the PDFs' cover and properties (plan_ovt.pdf) and into the open data (plan_ovt.opendata).
"""

from markupsafe import Markup, escape

from plan_ovt.typography import language_spans


def notice(status, lang, marked=False):
    """The notice in one language: its state, title and text as escaped HTML ([mots]{lang=fr} marked).

    `marked`: the notice says its language (lang=…), for a page in another language.
    """
    return {"state": status["state"], "lang": lang if marked else None,
            "title": Markup(language_spans(str(escape(status["title"][lang])))),
            "text": Markup(language_spans(str(escape(status["text"][lang]))))}


def _status(config):
    return config.plugins["macros"].variables["publication"]["status"]


def _languages(config):
    return [language["locale"] for language in config.plugins["i18n"].config["languages"]]


def on_page_context(context, page, config, nav):
    lang = getattr(page.file, "locale", None) or _languages(config)[0]
    context["publication_status"] = [notice(_status(config), lang)]
    return context


def on_template_context(context, template_name, config):
    """Templates that are not pages (the bilingual 404.html): the notice in every language."""
    if template_name == "404.html":
        languages = _languages(config)
        context["publication_status"] = [notice(_status(config), lang, marked=lang != languages[0])
                                         for lang in languages]
    return context
