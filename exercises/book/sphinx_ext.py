"""Sphinx extension of the course: Chinese search with the course dictionary, styles, the self-check script.

Listed in ``_config.yml`` under ``sphinx.extra_extensions``.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from .chapter import STATIC_ENV

PACKAGE = Path(__file__).resolve().parents[1]  # the whole exercises package


def _configure(app, config) -> None:
    """Point zh search at the user dictionary by absolute path (a relative one is silently ignored)."""
    options = dict(config.html_search_options or {})
    options["dict"] = str(PACKAGE / "data" / "userdict.txt")
    config.html_search_options = options
    config.html_static_path = [*config.html_static_path, str(PACKAGE / "static")]
    # A page icon of our own (no 404 for /favicon.ico) and the light theme the course styles are made for
    # (an unset mode makes the theme log a console error).
    config.html_favicon = config.html_favicon or str(PACKAGE / "static" / "favicon.svg")
    config.html_context = {"default_mode": "light", **(config.html_context or {})}


def _thebe_enabled(config) -> bool:
    launch = (config.html_theme_options or {}).get("launch_buttons") or {}
    return bool(launch.get("thebe"))


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    """Without Thebe, leave out its scripts: a CDN address and a config that is declared twice."""
    if _thebe_enabled(app.config) or "script_files" not in context:
        return
    context["script_files"] = [
        js for js in context["script_files"]
        if "sphinx-thebe" not in str(getattr(js, "filename", js))
        and "THEBE_JS_URL" not in str(getattr(js, "attributes", {}).get("body", ""))
    ]


def package_digest() -> str:
    """A digest of the course package (code, banks, data): what the executed pages depend on."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _refresh_cache(app) -> None:
    """Drop cached notebook outputs made with another version of the package.

    jupyter-cache keys outputs on the page source only, so an edited question bank or grader
    would otherwise leave old exercises in the book.
    """
    app.env.course_package_changed = False
    cache = Path(app.env.mystnb_config.execution_cache_path)
    stamp = cache / "course-package.sha256"
    current = package_digest()
    if stamp.exists() and stamp.read_text() == current:
        return
    if cache.exists():
        shutil.rmtree(cache)
        app.env.course_package_changed = True
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current)


def _outdated_pages(app, env, added, changed, removed) -> list[str]:
    """Re-read every page when the package changed (the pages' own sources did not)."""
    if not getattr(env, "course_package_changed", False):
        return []
    return sorted(set(env.found_docs) - set(added) - set(changed))


def setup(app):
    # Kernels started by the build inherit this: pages render their static exercise form.
    os.environ[STATIC_ENV] = "1"
    app.connect("config-inited", _configure)
    app.connect("html-page-context", _drop_thebe)
    app.connect("builder-inited", _refresh_cache)
    app.connect("env-get-outdated", _outdated_pages)
    app.add_css_file("sige.css")
    app.add_js_file("selfcheck.js", loading_method="defer")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
