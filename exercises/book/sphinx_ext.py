"""Sphinx extension of the course: Chinese search with the course dictionary, styles, the self-check script,
a quiet header (no developer controls for learners, the launch link opens the exercises as an app), only the
icons the pages use, pre-compressed copies of the site's text files, and the pages' screen and print notes
(``media_blocks.py``).

Listed in ``_config.yml`` under ``sphinx.extra_extensions``.
"""
from __future__ import annotations

import gzip
import hashlib
import html
import os
import re
import shutil
from pathlib import Path

from .chapter import STATIC_ENV

PACKAGE = Path(__file__).resolve().parents[1]  # the whole exercises package
TEMPLATES = Path(__file__).resolve().parent / "templates"
# Pages for trainers keep the repository link and the source downloads; learners' pages show neither.
TRAINER_PAGES = frozenset({"book/trainer-guide"})
# The launch link (Binder's ?urlpath=, JupyterHub's nbgitpuller &urlpath=) opens the page in Voilà (the exercises
# as an app), not in JupyterLab.
LAB_PATH, APP_PATH = "urlpath=lab/tree/", "urlpath=voila/render/"
# What a learner reads on the header's menus: an action about learning, not the name of a service or a file type.
BUTTON_WORDS = {
    "Binder": ("在线运行练习", "在浏览器中打开本章的练习，作答后即时判分（首次打开需要稍候）"),
    "JupyterHub": ("在单位平台运行练习", "在本单位的学习平台上打开本章的练习，作答后即时判分"),
    ".pdf": ("打印本页", "打印本页，或在打印对话框中另存为 PDF 文件"),
}
ICONS_CSS = "sige-icons.css"
ICON_CLASS = re.compile(r'class="([^"]*\bfa-[^"]*)"')
FA_ICON = re.compile(r'(?:"([a-z0-9-]+)"|\b([a-z0-9]+)):\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]+","(M[^"]+)"\]')
FA_STYLES = (("fab", "fa-brands"), ("far", "fa-regular"), ("fas", "fa-solid"))  # the order of the theme's packs
SCRIPT_ICONS = frozenset({"fa-solid fa-xmark"})  # made by pydata-sphinx-theme.js, not in the HTML
GZIP_SUFFIXES = frozenset({".html", ".js", ".css", ".svg", ".json", ".txt", ".xml", ".map"})
GZIP_MIN_BYTES = 512
BARE_REDIRECT = re.compile(r'<meta http-equiv="Refresh" content="0; url=([\w./-]+)" />\s*')  # sphinx-external-toc
# Without JavaScript the theme's phone menu cannot open: show the course's contents under the page instead.
NO_SCRIPT_CONTENTS = ("<noscript><style>@media (max-width: 959.98px) {"
                      ".bd-container__inner { flex-wrap: wrap; } .bd-sidebar-primary { position: static !important;"
                      " visibility: visible !important; transform: none !important; margin: 0 !important; flex: 0 0 100%;"
                      " width: 100% !important;"
                      " max-width: none !important; height: auto !important; max-height: none !important;"
                      " order: 3; box-shadow: none !important; }}</style></noscript>")
# The redirect page asks for no icon (data:,): a request it starts would be cut off by the redirect, and without
# one a browser asks for /favicon.ico, which the site does not have.
REDIRECT_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0; url={url}">
<link rel="icon" href="data:,">
<title>{title}</title>
</head>
<body>
<main><p><a href="{url}">进入课程：{title}</a></p></main>
</body>
</html>
"""


def _configure(app, config) -> None:
    """Point zh search at the user dictionary by absolute path (a relative one is silently ignored)."""
    options = dict(config.html_search_options or {})
    options["dict"] = str(PACKAGE / "data" / "userdict.txt")
    config.html_search_options = options
    config.html_static_path = [*config.html_static_path, str(PACKAGE / "static")]
    config.templates_path = [str(TEMPLATES), *config.templates_path]  # the theme's asset macros, icon script left out
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


def _quiet_header(app, pagename, templatename, context, doctree) -> None:
    """Learners' pages: no repository button or source downloads; the launch link opens the app (Voilà)."""
    buttons = context.get("header_buttons")
    if not buttons:
        return
    trainer = pagename in TRAINER_PAGES
    kept = []
    for group in buttons:
        label = group.get("label")
        if label in ("source-buttons", "source-repository-button") and not trainer:
            continue
        if label == "download-buttons" and not trainer:
            group = {**group, "buttons": [b for b in group["buttons"] if b.get("label") == "download-pdf-button"]}
        if label == "launch-buttons":
            group = {**group, "buttons": [{**b, "url": b["url"].replace(LAB_PATH, APP_PATH)} if "url" in b else b
                                          for b in group["buttons"]]}
        if "buttons" in group:
            group = {**group, "buttons": [_in_learners_words(b) for b in group["buttons"]]}
        kept.append(group)
    context["header_buttons"] = kept


def _in_learners_words(button: dict) -> dict:
    """A header menu item with the course's wording (BUTTON_WORDS) where the theme names a service or file type."""
    words = BUTTON_WORDS.get(button.get("text", ""))
    return {**button, "text": words[0], "tooltip": words[1]} if words else button


def _practice_assets(app, pagename, templatename, context, doctree) -> None:
    """The phone-first modes' script and styles (static/practice.js, practice.css), on their pages only."""
    if 'class="sige-practice"' in context.get("body", ""):
        app.add_css_file("practice.css")
        app.add_js_file("practice.js", type="module")


def _search_results(app, pagename, templatename, context, doctree) -> None:
    """The search page's results: each page once, snippets from the page body (static/search.js)."""
    if pagename == "search":
        app.add_js_file("search.js", type="module")


def _assessment_key(app, exception) -> None:
    """The 综合测评's key file beside the page scripts (fetched by the page only after 交卷)."""
    if exception is None and app.builder.format == "html":
        from .assessment import write_key

        write_key(Path(app.outdir) / "_static")


def _no_script_contents(app, pagename, templatename, context, doctree) -> None:
    context["metatags"] = context.get("metatags", "") + NO_SCRIPT_CONTENTS


def theme_icons(script: str) -> dict[str, tuple[int, int, str]]:
    """Icon name (with its style class, e.g. ``fa-solid fa-bars``) → (width, height, SVG path) from the theme's script."""
    icons = {}
    start = 0
    for short, style in FA_STYLES:
        end = script.find(f'd("{short}",p)', start)
        for m in FA_ICON.finditer(script, start, end if end != -1 else len(script)):
            icons[f"{style} fa-{m.group(1) or m.group(2)}"] = (int(m.group(3)), int(m.group(4)), m.group(5))
        start = end if end != -1 else start
    return icons


def icons_css(used: set[str], icons: dict[str, tuple[int, int, str]]) -> str:
    """A stylesheet drawing each used icon as a mask in the text colour (no script, works without JavaScript)."""
    styles = ",".join(f".{c}" for pair in FA_STYLES for c in pair)
    rules = ["/* The icons the course's pages use, from the theme's Font Awesome (CC BY 4.0); made by sphinx_ext.py. */",
             f"{styles}{{display:inline-block;height:1em;width:1em;vertical-align:-0.125em;"
             "background-color:currentColor;-webkit-mask:var(--sige-icon) no-repeat center/contain;"
             "mask:var(--sige-icon) no-repeat center/contain}",
             # The theme's stylesheet draws the same icons with a 156 KB web font; no glyph, no font download.
             ",".join(f".{c}::before" for pair in FA_STYLES for c in pair) + "{content:none!important}",
             ".fa-lg{font-size:1.25em;line-height:.05em;vertical-align:-.075em}"]
    for key in sorted(used):
        width, height, path = icons[key]
        svg = f"%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'%3E%3Cpath d='{path}'/%3E%3C/svg%3E"
        style, name = key.split()
        short = next(s for s, long in FA_STYLES if long == style)
        rules.append(f'.{style}.{name},.{short}.{name}'
                     f'{{width:{width / height:.4g}em;--sige-icon:url("data:image/svg+xml,{svg}")}}')
    return "\n".join(rules) + "\n"


def used_icons(html_dir: Path, icons: dict) -> set[str]:
    """The icons (``fa-solid fa-bars``) named in the built pages' class attributes, and those the theme's script adds."""
    used = set(SCRIPT_ICONS)
    for page in html_dir.rglob("*.html"):
        for classes in ICON_CLASS.findall(page.read_text("utf-8")):
            names = classes.split()
            for short, style in FA_STYLES:
                if style in names or short in names:
                    used.update(f"{style} {n}" for n in names if f"{style} {n}" in icons)
    return used


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _finish_site(app, exception) -> None:
    """Make the root redirect a valid page, write the used icons' stylesheet, then a ``.gz`` copy of every text
    file for servers that serve them."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    index = out / "index.html"
    bare = BARE_REDIRECT.fullmatch(index.read_text("utf-8")) if index.is_file() else None
    if bare:  # a valid page (doctype, title, language) with a link for browsers that do not follow the redirect
        title = html.escape(app.config.html_title or app.config.project)
        _write_atomic(index, REDIRECT_PAGE.format(url=bare.group(1), title=title).encode())
    script = out / "_static" / "scripts" / "fontawesome.js"
    if script.is_file():
        icons = theme_icons(script.read_text("utf-8"))
        _write_atomic(out / "_static" / ICONS_CSS, icons_css(used_icons(out, icons), icons).encode())
    for path in out.rglob("*"):
        if path.suffix not in GZIP_SUFFIXES or not path.is_file() or path.stat().st_size < GZIP_MIN_BYTES:
            continue
        packed, data = path.with_name(path.name + ".gz"), gzip.compress(path.read_bytes(), 9, mtime=0)
        if not packed.is_file() or packed.read_bytes() != data:
            _write_atomic(packed, data)


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
    app.setup_extension("exercises.book.media_blocks")  # the pages' screen and print notes
    app.connect("config-inited", _configure)
    app.connect("html-page-context", _practice_assets, priority=400)  # before _drop_thebe copies the list
    app.connect("html-page-context", _drop_thebe)
    app.connect("html-page-context", _quiet_header, priority=502)  # after the theme's buttons (501)
    app.connect("html-page-context", _no_script_contents)
    app.connect("html-page-context", _search_results, priority=400)
    app.connect("build-finished", _assessment_key)
    app.connect("build-finished", _finish_site, priority=900)  # after the theme rewrites pygments.css
    app.connect("builder-inited", _refresh_cache)
    app.connect("env-get-outdated", _outdated_pages)
    app.add_css_file("sige.css")
    app.add_css_file(ICONS_CSS)
    app.add_js_file("selfcheck.js", type="module")
    app.add_js_file("menu.js", type="module")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
