"""Sphinx extension of the course: Chinese search with the course dictionary, styles, the self-check script.

Listed in ``_config.yml`` under ``sphinx.extra_extensions``.
"""
from __future__ import annotations

import os
from pathlib import Path

from .chapter import STATIC_ENV

PACKAGE = Path(__file__).parent


def _configure(app, config) -> None:
    """Point zh search at the user dictionary by absolute path (a relative one is silently ignored)."""
    options = dict(config.html_search_options or {})
    options["dict"] = str(PACKAGE / "data" / "userdict.txt")
    config.html_search_options = options
    config.html_static_path = [*config.html_static_path, str(PACKAGE / "static")]


def setup(app):
    # Kernels started by the build inherit this: pages render their static exercise form.
    os.environ[STATIC_ENV] = "1"
    app.connect("config-inited", _configure)
    app.add_css_file("sige.css")
    app.add_js_file("selfcheck.js", loading_method="defer")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
