"""Notes for one medium in the pages, written so that every reader of the Markdown resolves them.

A note for the screen is a ``{div}`` block and a note for print (or for the trainer's edition) a ``{raw:latex}``
block, each with the Sphinx tag expression it holds for in ``:only:`` (``{raw:latex}`` defaults to ``latex``)::

    ```{div}
    :only: html
    在线阅读时，可以在页面中直接作答自查。
    ```

    ```{raw:latex}
    :only: latex and not trainer
    请在讲义上作答。
    ```

Sphinx (the book, the handouts) reads both as its ``only`` directive with that expression, so each build keeps
exactly what ``{only}`` kept. JupyterLab's MyST renderer (jupyterlab-myst, which has no ``only``) shows a
``{div}``'s content and nothing of a ``{raw:latex}`` block, i.e. what a screen shows; Voilà's app view gets the
same from :func:`for_screen`. A block whose expression disagrees with its kind stops the Sphinx build.
In this course a ``{div}`` always carries ``:only:`` (sphinx-design's plain ``div`` is replaced).
"""
from __future__ import annotations

import re

SCREEN_TAGS = frozenset({"html"})
# A fenced block (backticks or colons, three or more): its directive, its body up to the same fence.
BLOCK = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>only|div|raw:latex)\}[ \t]*(?P<argument>[^\n]*)\n"
                   r"(?P<body>.*?)^(?P=fence)[ \t]*$\n?", re.MULTILINE | re.DOTALL)
ONLY_OPTION = re.compile(r"\A:only:[ \t]*(?P<expression>[^\n]*)\n?")
DEFAULTS = {"raw:latex": "latex"}
TOKEN = re.compile(r"\s*(\(|\)|[A-Za-z_][\w-]*)")


def holds(expression: str, tags=SCREEN_TAGS) -> bool:
    """Whether a Sphinx tag expression (names, ``and``, ``or``, ``not``, parentheses) holds for ``tags``."""
    tokens = TOKEN.findall(expression)
    if "".join(tokens) != re.sub(r"\s+", "", expression):
        raise ValueError(f"无法理解的条件：{expression}")
    position = 0

    def take() -> str:
        nonlocal position
        position += 1
        return tokens[position - 1] if position <= len(tokens) else ""

    def peek() -> str:
        return tokens[position] if position < len(tokens) else ""

    def either() -> bool:
        value = both()
        while peek() == "or":
            take()
            value = both() or value
        return value

    def both() -> bool:
        value = negated()
        while peek() == "and":
            take()
            value = negated() and value
        return value

    def negated() -> bool:
        if peek() == "not":
            take()
            return not negated()
        if peek() == "(":
            take()
            value = either()
            if take() != ")":
                raise ValueError(f"括号不成对：{expression}")
            return value
        name = take() if peek() not in ("", ")", "and", "or") else ""
        if not name:
            raise ValueError(f"条件不完整：{expression}")
        return name in tags

    value = either()
    if position != len(tokens):
        raise ValueError(f"无法理解的条件：{expression}")
    return value


def for_screen(markdown: str) -> str:
    """``markdown`` as a screen shows it: the content of notes that hold on screen, nothing of the others."""
    def resolve(match: re.Match) -> str:
        name, body = match.group("name"), match.group("body")
        if name == "only":
            expression = match.group("argument")
        else:
            option = ONLY_OPTION.match(body)
            expression = option.group("expression") if option else DEFAULTS.get(name, "")
            body = body[option.end():] if option else body
        return body if holds(expression) else ""

    return re.sub(r"\n{3,}", "\n\n", BLOCK.sub(resolve, markdown)).strip("\n")


def setup(app):
    """Register ``{div}`` and ``{raw:latex}`` as Sphinx's ``only`` with the expression of ``:only:``."""
    from docutils.parsers.rst import directives
    from sphinx.directives.other import Only
    from sphinx.domains import Domain

    class MediaBlock(Only):
        required_arguments = 0
        option_spec = {"only": directives.unchanged_required}
        default = ""
        on_screen = True

        def run(self):
            expression = self.options.get("only", self.default).strip()
            if not expression:
                raise self.error(f"{{{self.name}}} 块需要 :only: 条件（如 :only: html）")
            if holds(expression) != self.on_screen:
                kind = "{div}（屏幕上显示）" if self.on_screen else "{raw:latex}（屏幕上不显示）"
                raise self.error(f"条件 {expression} 与 {kind} 不符：屏幕上显示的写成 {{div}}，其余写成 {{raw:latex}}")
            self.arguments = [expression]
            return super().run()

    class PrintBlock(MediaBlock):
        default = DEFAULTS["raw:latex"]
        on_screen = False

    class RawDomain(Domain):
        """``raw`` as Sphinx reads the name ``raw:latex``: a domain whose one directive is the print note."""

        name, label = "raw", "print notes"
        directives = {"latex": PrintBlock}

        def merge_domaindata(self, docnames, otherdata):
            """Nothing to merge: the domain keeps no data."""

    # sphinx-design (loaded by jupyter-book) registers a plain ``div``; the course's, registered once every
    # extension is set up, takes its place.
    app.connect("builder-inited", lambda app: app.add_directive("div", MediaBlock, override=True))
    app.add_domain(RawDomain)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
