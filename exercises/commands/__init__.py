"""The ``course`` command tree: one module per command, each with ``add_parser(subparsers)`` and ``run(args)``.

``add_parser`` adds the command's parser (``base.add_command`` gives it the Chinese help layout and the exit
codes) and sets ``run=run`` on it; ``run(args)`` does the work and returns the exit code. A user error is raised
(``base.CommandError`` or a module's own error class listed in ``errors.USER_ERRORS``), never printed by the
command: ``errors.report`` turns it into one Chinese line. Heavy imports happen inside ``run``.
Adding a command: a module here and one entry in ``COMMANDS`` (help order). A group of commands is a package
(``records/``) whose parser adds its own sub-commands the same way.
"""
from __future__ import annotations

from . import bank, bench, book, grade, paper, pdf, records, report, serve, test

COMMANDS = (book, test, pdf, report, records, grade, paper, serve, bank, bench)
