"""Sphinx extension: the page chrome in Simplified Chinese from the project's catalogues in ``locale/``.

Sphinx itself puts the project's ``sphinx`` catalogue (``locale_dirs`` in ``_config.yml``) before its own and
the pydata theme's, and compiles it to ``sphinx.mo``. This extension does the rest:

- every other catalogue there (sphinx-book-theme's ``booktheme``) is compiled in memory with babel and put
  before the theme's own, whose zh_CN forms are Taiwanese (列印成 PDF) and incomplete;
- ``sphinx.js``, the search page script's messages, is written beside ``sphinx.po`` from Sphinx's list of
  them and the project's translations (Sphinx ships one that speaks of 分类, which the book does not have);
- the search box text, which the theme shows as configured, goes through the ``sphinx`` catalogue.

Listed in ``_config.yml`` under ``sphinx.extra_extensions``.
"""
from __future__ import annotations

import json
from gettext import GNUTranslations
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sphinx import locale, package_dir

from ..safeio import atomic_write, read_bytes

SPHINX_DOMAIN = "sphinx"
CATALOGUE_MAX_BYTES = 1 << 20
JS_START, JS_END = "Documentation.addTranslations(", ");"


def catalogues(config) -> dict[str, Path]:
    """The project's ``.po`` files for the book's language, by domain (first locale dir wins)."""
    found: dict[str, Path] = {}
    for folder in config.locale_dirs:
        for po in sorted(Path(folder, config.language, "LC_MESSAGES").glob("*.po")):
            found.setdefault(po.stem, po)
    return found


def read_catalogue(po: Path):
    """The babel catalogue of one ``.po`` file (capped, regular files only)."""
    return read_po(BytesIO(read_bytes(po, CATALOGUE_MAX_BYTES)), locale=None)


def translations(po: Path) -> GNUTranslations:
    """A ``.po`` file compiled in memory."""
    mo = BytesIO()
    write_mo(mo, read_catalogue(po))
    mo.seek(0)
    return GNUTranslations(mo)


def script_catalogue(po: Path, language: str) -> str:
    """``sphinx.js`` for ``language``: every message Sphinx's own file has, the project's translation first."""
    shipped = Path(package_dir, "locale", language, "LC_MESSAGES", "sphinx.js")
    data = {"locale": language, "messages": {}, "plural_expr": "0"}
    if shipped.is_file():
        text = read_bytes(shipped, CATALOGUE_MAX_BYTES).decode("utf-8").strip()
        data = json.loads(text[len(JS_START):-len(JS_END)])
    data["messages"].update({m.id: m.string for m in read_catalogue(po)
                             if m.id and isinstance(m.id, str) and m.string and not m.fuzzy})
    return JS_START + json.dumps(data, ensure_ascii=False, indent=4, sort_keys=True) + JS_END + "\n"


def _configure(app, config) -> None:
    """Absolute locale dirs (the builder looks for ``sphinx.js`` from the working directory), the page script's
    catalogue, and the search box text through the catalogue."""
    config.locale_dirs = [str(Path(app.srcdir, folder)) for folder in config.locale_dirs]
    po = catalogues(config).get(SPHINX_DOMAIN)
    if po is not None:
        atomic_write(po.with_suffix(".js"), script_catalogue(po, config.language).encode("utf-8"))
    options = dict(config.html_theme_options or {})
    if "search_bar_text" in options:
        options["search_bar_text"] = locale.get_translation(SPHINX_DOMAIN)(options["search_bar_text"])
        config.html_theme_options = options


def _theme_catalogues_first(app) -> None:
    """Put each project catalogue of a theme domain before the one the theme registered."""
    for domain, po in catalogues(app.config).items():
        if domain == SPHINX_DOMAIN:
            continue
        mine = translations(po)
        mine.add_fallback(locale.get_translator(domain))
        locale.translators["general", domain] = mine


def setup(app):
    app.connect("config-inited", _configure)
    app.connect("builder-inited", _theme_catalogues_first)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
