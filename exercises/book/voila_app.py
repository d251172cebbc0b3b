"""The chapter as an app in Voilà (the Binder launch): web-only notes shown, print-only notes left out.

The pages mark notes for one medium with blocks Sphinx resolves for the book and the handouts
(``media_blocks.py``). Voilà shows a page's Markdown as it is, so before it runs a page this hook keeps the content
of the notes that hold on screen and drops the others (print, trainer).
The hook also gives the page Jupyter's ``_xsrf`` cookie: Voilà's page reads it when the page closes, to ask the
server to shut the page's kernel down, and without it the server refuses (403) and the kernel stays.
A second hook sets the page configuration so that Voilà typesets formulas with the MathJax bundled in its own
page, not one loaded from a CDN (slow or blocked in mainland China).
Both are set in ``.jupyter/jupyter_server_config.py``.
"""
from __future__ import annotations

from .media_blocks import for_screen


def app_notebook(request_handler, notebook, cwd):
    """Voilà's prelaunch hook: the notebook with every Markdown cell resolved for the screen."""
    if request_handler is not None:
        request_handler.xsrf_token  # noqa: B018 (reading it sets the _xsrf cookie on the response)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = for_screen(cell.source)
    return notebook


def local_mathjax(page_config, **kwargs):
    """Voilà's page_config_hook: "null" for both MathJax options selects the MathJax bundled in Voilà's page."""
    page_config["fullMathjaxUrl"] = "null"
    page_config["mathjaxConfig"] = "null"
    return page_config
